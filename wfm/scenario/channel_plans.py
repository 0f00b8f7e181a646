"""
The channels step of a scenario run: chat, deferred work, redials and callbacks beside the voice plan.

It composes; the numbers come from :mod:`wfm.channels`. The voice channel is
the scenario's base plan of one queue (``channels.voice_queue``, default the
first): its forecast feeds redials and callbacks, its agents (the schedule's
when there is one) give the idle time that deferred work may fill
(``blend``). Chat is sized on the voice horizon's intervals, deferred work
on every interval of the whole weeks from the horizon's first day (nights
and closed days included: items arrive then too; the week repeats, so the
backlog left at its end is the one it starts with). The figures per
channel and their total are :func:`wfm.headline.channel_headline`'s; a
channel that fails in the run is a ``failed`` row there, out of the total.
The volume files and open hours are checked when the scenario is read
(:func:`check_channel_files`, called by :func:`wfm.scenario.load_scenario`).
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import channels as _channels
from ..calendar import parse_open_hours
from ..datasets import deferred_profile, synthetic_volume
from ..headline import channel_headline
from ..logs import read_table
from ..logs._parse import parse_datetimes
from ..staffing import total_shrinkage
from .._results import TIME_LABEL, Result, date_axis
from .._validation import UnitWarning, warn_implausible
from .grid import BASE
from .schema import ScenarioError

__all__ = ["ChannelsResult", "run_channels", "size_channels", "check_channel_files"]


@dataclass(frozen=True)
class ChannelsResult(Result):
    """
    The channels of a scenario run.

    Attributes
    ----------
    plans : dict
        Channel name -> :class:`wfm.channels.ChannelPlan` (``chat``, each
        deferred name, ``voice_redials``).
    callbacks : DataFrame or None
        :func:`wfm.channels.callback_queue` at the voice plan's agents.
    headline : DataFrame
        :func:`wfm.headline.channel_headline`: one row per channel (``status`` ``failed`` for those in
        ``errors``, with the reason in ``note``) and a total.
    sources : dict
        Channel name -> where its volume came from (``synthetic (seed 1) ...`` or the file).
    voice_queue : str
    errors : dict
        Channel name -> the error that stopped it (the others finish).
    """

    plans: dict = field(default_factory=dict)
    callbacks: pd.DataFrame | None = None
    headline: pd.DataFrame = field(default_factory=pd.DataFrame)
    sources: dict = field(default_factory=dict)
    voice_queue: str = ""
    errors: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)

    TITLE = "Channels"

    @property
    def table(self):
        """The headline per channel and total (:attr:`headline`)."""
        return self.headline

    def figures(self):
        """``channels`` sized, ``failed``, and from the headline's total row ``agents_required_peak`` (most agents
        on duty at once, an int), ``agent_hours_required`` [h per week] and ``required_fte`` (NaN without a
        headline)."""
        out = {"channels": int(len(self.plans)), "failed": int(len(self.errors))}
        total = self.headline.set_index("channel").loc["total"] if len(self.headline) else None
        for key in ("agents_required_peak", "agent_hours_required", "required_fte"):
            value = total[key] if total is not None and key in total else None
            out[key] = float("nan") if value is None or pd.isna(value) else float(value)   # <NA> of an Int64 too
        if math.isfinite(out["agents_required_peak"]):  # whole agents, as StaffingPlan's peak_agents
            out["agents_required_peak"] = int(round(out["agents_required_peak"]))
        return out

    def sheets(self):
        return self.tables()

    def plot(self, ax=None, **kwargs):
        """Agents per interval of each channel; returns the Axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(11, 4))
        for name, plan in self.plans.items():
            ax.step(plan.table.index, plan.table["agents"], where="post", label=name, **kwargs)
        dated = any(isinstance(p.table.index, pd.DatetimeIndex) for p in self.plans.values())
        if dated:
            date_axis(ax.xaxis)
        ax.set_xlabel(TIME_LABEL if dated else "interval (in order)")
        ax.set_ylabel("agents")
        ax.set_title("Agents per interval by channel")
        ax.legend(fontsize="small", frameon=False)
        return ax

    def tables(self):
        """``channel_<name>``: agents and figures per interval of each channel; ``channels_headline``."""
        out = {f"channel_{name}": plan.table.drop(columns=["weight"], errors="ignore").rename_axis("timestamp")
               .reset_index() for name, plan in self.plans.items()}
        if self.callbacks is not None:
            out["channel_callbacks"] = self.callbacks.rename_axis("timestamp").reset_index()
        if len(self.headline):
            out["channels_headline"] = self.headline
        return out


def _minutes(seconds):
    return f"{seconds / 60:g} minutes" if seconds % 60 == 0 else f"{seconds:g} seconds"


def _at(rows, found, labels):
    """'line(s) 4, 5' of a CSV file (:func:`wfm.logs.read_table`'s ``rows`` and its ``labels`` text); 'row(s) ...'
    saying how they are counted for other files."""
    shown = ", ".join(str(rows[i]) for i in found[:5])
    if "line numbers" in labels:
        return f"line(s) {shown}"
    return f"row(s) {shown} ({labels.split('(', 1)[1]}" if "(" in labels else f"row(s) {shown} (counted from 0)"


def _check_grid(times, shape, step, name, where, source, rows, labels):
    """Raise naming the lines of ``times`` off ``shape``'s grid of ``step`` seconds (another interval length, or
    stamps between the plan's); rows on the grid outside the horizon are the caller's to count."""
    offset = np.asarray((times - shape.index[0]).total_seconds(), dtype=float) % step
    off = np.flatnonzero((offset > 1e-6) & (step - offset > 1e-6))
    if len(off):
        steps = np.diff(np.unique(np.asarray(times.asi8)) / 1e9)
        theirs = f"the file's intervals are {_minutes(float(np.min(steps)))}" if len(steps) else "the file has one row"
        raise ScenarioError(
            f"{name} has {len(off)} row(s) off the plan's intervals of {_minutes(step)}, at "
            f"{_at(rows, off, labels)} (the first {times[off[0]]}): {theirs}, the plan's "
            f"{_minutes(step)}. Resample the file to the plan's intervals (sum the volume within each interval of "
            f"{_minutes(step)}, e.g. pandas .resample('{step / 60:g}min').sum()), or run the plan at the file's "
            "interval.",
            path=source, key=f"{where}.path")


def _on_plan_clock(times, zone, raw, name, source, where):
    """``times`` on the voice plan's clock: offsets converted to a zoned plan's zone; a file with offsets beside a
    naive plan (or the other way round) is an error naming the file and the fix, as nothing says which local clock
    the naive side keeps."""
    if times.tz is not None and zone is not None:
        return times.tz_convert(zone)
    if (times.tz is None) == (zone is None):
        return times
    from .._validation import mixed_clocks

    first = str(raw.iloc[0])
    if zone is None:
        raise ScenarioError(mixed_clocks(name, f"written with UTC offsets ({first!r})", "the voice plan",
                                         "naive (local clock, no time zone)", "write the file's timestamps as local "
                                         "times without an offset (the clock of the voice history, e.g. "
                                         f"{times[0].tz_localize(None)}), or read the voice history in a time zone "
                                         "(data.tz) so that the plan carries it",
                                         why=": matching them would mean guessing the zone"),
                            path=source, key=f"{where}.path")
    raise ScenarioError(mixed_clocks(name, f"naive ({first!r}, no UTC offset)", "the voice plan",
                                     f"in time zone {zone} (data.tz)", "write the file's timestamps with their offset "
                                     f"(e.g. {times[0].tz_localize(zone, ambiguous='NaT', nonexistent='NaT')}) so "
                                     "they match the plan's clock"), path=source, key=f"{where}.path")


def _volume(loaded, spec, shape, where, step):
    """Volume per interval on ``shape``'s index (intervals of ``step`` seconds): from the file, or a seeded synthetic
    draw around ``shape``. A file's rows must sit on the plan's grid; rows on it outside ``shape`` (other days, closed
    hours) are not used, and the source label says how many."""
    if spec.total is not None:
        label = f"synthetic (Poisson around {spec.total:,.0f} over the horizon, seed {spec.seed})"
        return synthetic_volume(shape, spec.total, seed=spec.seed), label
    path = loaded.resolve(spec.path)
    try:
        frame, rows, labels = read_table(path, f"{where}.path")
    except (ValueError, TypeError, FileNotFoundError) as err:
        raise ScenarioError(str(err), path=loaded.source, key=f"{where}.path") from None
    for key, col in (("timestamp", spec.timestamp), ("column", spec.column)):
        if col not in frame:
            raise ScenarioError(f"column {col!r} not in {path.name} (its columns: {', '.join(map(str, frame.columns))}"
                                f"); set {where}.{key}.", path=loaded.source, key=f"{where}.{key}")
    zone = shape.index.tz
    try:  # no guessed day/month order: an ambiguous date is an error naming the column and rows
        times = parse_datetimes(frame[spec.timestamp], spec.timestamp, rows, required=True,
                                tz=None if zone is None else str(zone))
    except ValueError as err:
        raise ScenarioError(f"{path.name}: {err}", path=loaded.source, key=f"{where}.timestamp") from None
    times = _on_plan_clock(pd.DatetimeIndex(times), zone, frame[spec.timestamp], path.name, loaded.source, where)
    _check_grid(times, shape, step, path.name, where, loaded.source, rows, labels)
    dup = np.flatnonzero(times.duplicated(keep=False))
    if len(dup):
        raise ScenarioError(f"{path.name} has {len(dup)} rows on repeated timestamps, at {_at(rows, dup, labels)} "
                            f"(the first {times[dup[0]]}); give one row per "
                            "interval (sum the repeated rows).", path=loaded.source, key=f"{where}.path")
    volume = pd.to_numeric(frame[spec.column], errors="coerce")
    series = pd.Series(volume.to_numpy(float), times)
    missing = shape.index.difference(series.index)
    bad = np.flatnonzero(volume.isna().to_numpy() | (volume < 0).to_numpy())
    if len(missing) or len(bad):
        what = (f"has {len(bad)} empty, non-numeric or negative volume(s) in column {spec.column!r}, at "
                f"{_at(rows, bad, labels)}" if len(bad)
                else f"has no row for {len(missing)} of the {len(shape)} intervals of the horizon ({shape.index[0]} "
                     f"to {shape.index[-1]}), the first {missing[0]} (the file's rows run from "
                     f"{series.index.min()} to {series.index.max()})")
        raise ScenarioError(f"{path.name} {what}; give one volume per interval of the horizon (0 where none "
                            "arrive).", path=loaded.source, key=f"{where}.path")
    unused = len(series) - int(series.index.isin(shape.index).sum())
    label = f"file {spec.path}" + (f" ({unused} of its {len(series)} rows outside the horizon's intervals, not used)"
                                   if unused else "")
    return series.reindex(shape.index).rename("volume"), label


def _open_mask(index, open_hours, where):
    """True where the team works: ``open_hours`` (a pair, '24h' or per weekday) on the clock of ``index``."""
    try:
        hours = parse_open_hours(open_hours, f"{where}.open_hours")
    except ValueError as err:
        raise ScenarioError(str(err)) from None
    start, stop = np.zeros(7), np.zeros(7)
    for day in range(7):
        pair = hours.get(day, hours.get(None))
        if pair is not None:
            start[day], stop[day] = pair
    clock = np.asarray(index.hour * 3600 + index.minute * 60 + index.second)
    day = np.asarray(index.day_of_week)
    return (clock >= start[day]) & (clock < stop[day])


def _voice_agents(plan, schedule):
    """Voice agents on duty per interval: the schedule's when there is one, else the plan's."""
    if schedule is not None and "scheduled" in schedule.coverage:
        return schedule.coverage["scheduled"].reindex(plan.table.index).fillna(0.0).round()
    return plan.table["agents"]


def _chat(loaded, c, calls, step):
    sessions, label = _volume(loaded, c.volume, calls, "channels.chat.volume", step)
    warn_implausible(c.aht, "channels.chat.aht", "aht", stacklevel=2)  # the key; chat_staffing's "aht" is dropped
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", r"aht of ", UnitWarning)
        return _channels.chat_staffing(sessions, c.aht, service_level=c.service_level, threshold=c.threshold,
                                       concurrency=c.concurrency, slowdown=c.slowdown, patience=c.patience,
                                       max_abandon_rate=c.max_abandon_rate), label


def _deferred_grid(idx, step):
    """Every interval of the whole weeks from the first day of ``idx`` (the work arrives on closed days too)."""
    days = (idx[-1].normalize() - idx[0].normalize()).days + 1
    weeks = -(-days // 7)
    return pd.date_range(idx[0].normalize(), idx[0].normalize() + pd.Timedelta(days=7 * weeks), freq=step,
                         inclusive="left")


def _deferred(loaded, name, spec, plan, schedule, staffing):
    idx = plan.table.index
    step = pd.Timedelta(seconds=float(plan.params["interval"]))
    grid = _deferred_grid(idx, step)
    where = f"channels.deferred.{name}"
    warn_implausible(spec.aht, f"{where}.aht", "aht", stacklevel=2)  # minutes for seconds, as for voice
    items, label = _volume(loaded, spec.volume, deferred_profile(grid), f"{where}.volume",
                          step.total_seconds())
    team = _open_mask(grid, spec.open_hours, where)
    blend = None
    if spec.blend:
        if staffing.service_level is None:
            raise ScenarioError("blend needs staffing.service_level: the voice target the blended agents keep.",
                                key=f"{where}.blend")
        spare = _channels.blend_capacity(plan.table["calls"], plan.table["aht"], _voice_agents(plan, schedule),
                                         service_level=staffing.service_level, threshold=staffing.threshold,
                                         max_occupancy=spec.max_occupancy,
                                         patience=staffing.patience if staffing.model == "erlang_a" else None)
        blend = spare.reindex(grid, fill_value=0.0)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", r"aht of ", UnitWarning)  # warned above, naming the key
        out = _channels.deferred_staffing(items, spec.aht, team, deadline=spec.deadline,
                                          service_level=spec.service_level, blend=blend)
    return out, label


def _redials(r, calls, aht, staffing, patience):
    if r.redial_probability > 0:  # minutes for seconds, named by the key; erlang_x_staffing's own is dropped
        warn_implausible(r.redial_delay, "channels.redials.redial_delay", "redial_delay", stacklevel=2)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", r"redial_delay of ", UnitWarning)
        return _channels.erlang_x_staffing(calls, aht, service_level=staffing.service_level or 0.8,
                                           threshold=staffing.threshold, patience=r.patience or patience,
                                           lines=r.lines, redial_probability=r.redial_probability,
                                           redial_delay=r.redial_delay, method=r.method)


def _voice_horizon(loaded, section, histories):
    """The voice plan's intervals as the run makes them (the history of ``voice_queue``, the horizon's open
    intervals), without forecasting: what the channel files are checked against."""
    from ..calendar import future_intervals, open_calendar
    from .._validation import infer_interval
    from .grid import apply_overrides

    queue = section.voice_queue or next(iter(histories))
    if queue not in histories:
        raise ScenarioError(f"no queue {queue!r}; the queues are {', '.join(map(str, histories))}.",
                            path=loaded.source, key="channels.voice_queue")
    s = loaded.scenario
    if queue in s.queues:
        s = apply_overrides(s, s.queues[queue], where=f"queues.{queue}", source=loaded.source)
    calls = histories[queue]["calls"]
    calendar = open_calendar(calls, **s.horizon.calendar_options())
    future = future_intervals(calls, s.horizon.days, start=s.horizon.start, calendar=calendar)
    return pd.Series(0.0, index=future), infer_interval(calls.index, "calls")


def check_channel_files(loaded, history):
    """
    Check the channels section against its data when the scenario is read (``wfm validate`` too): each deferred
    channel's open hours, and each volume file (columns, timestamps and their clock, the plan's intervals, one
    numeric volume per interval of the horizon), with the messages of the run itself.

    The voice horizon is built from the history (no forecast) only when some channel reads a file:
    ``history`` is called then, and returns the interval histories of the queues
    (:func:`wfm.scenario.load.load_history` of ``loaded``; passed in, so that this module does not import the
    loader that calls it).

    Raises
    ------
    ScenarioError
        Naming the key and the file.
    """
    section = loaded.scenario.channels
    for name, spec in section.deferred.items():
        where = f"channels.deferred.{name}"
        try:
            parse_open_hours(spec.open_hours, "open_hours")
        except ValueError as err:
            raise ScenarioError(str(err), path=loaded.source, key=f"{where}.open_hours") from None
    files = ([("channels.chat.volume", section.chat.volume, False)] if section.chat is not None else []) + \
        [(f"channels.deferred.{n}.volume", d.volume, True) for n, d in section.deferred.items()]
    files = [f for f in files if f[1].path is not None]
    if not files:
        return
    shape, step = _voice_horizon(loaded, section, history())
    for where, spec, around_the_clock in files:
        on = (pd.Series(0.0, index=_deferred_grid(shape.index, pd.Timedelta(seconds=step))) if around_the_clock
              else shape)
        _volume(loaded, spec, on, where, step)


def size_channels(loaded, plan, schedule=None):
    """
    Each channel of ``loaded``'s ``channels`` section, sized beside the voice ``plan`` (a StaffingPlan).

    Returns (plans, callbacks, sources, errors); a channel whose function
    raises is an entry of ``errors`` ("ValueError: ...") and the others finish.
    """
    s = loaded.scenario
    section, staffing = s.channels, s.staffing
    calls, aht = plan.table["calls"], plan.table["aht"]
    patience = staffing.patience if staffing.model == "erlang_a" else None
    plans, sources, errors, callbacks = {}, {}, {}, None
    jobs = []
    if section.chat is not None:
        c = section.chat
        jobs.append(("chat", lambda c=c: _chat(loaded, c, calls, float(plan.params["interval"]))))
    for name, spec in section.deferred.items():
        jobs.append((name, lambda name=name, spec=spec: _deferred(loaded, name, spec, plan, schedule, staffing)))
    if section.redials is not None:
        r = section.redials
        jobs.append(("voice_redials", lambda r=r: (_redials(r, calls, aht, staffing, patience), "the voice forecast")))
    for name, job in jobs:
        try:
            plans[name], sources[name] = job()
        except (ValueError, TypeError, ScenarioError) as err:
            errors[name] = f"{type(err).__name__}: {' '.join(str(err).split())}"
    if section.callbacks is not None:
        cb = section.callbacks
        try:
            callbacks = _channels.callback_queue(calls, aht, agents=_voice_agents(plan, schedule).astype(int),
                                                 patience=cb.patience or patience, threshold=staffing.threshold,
                                                 callback_threshold=cb.callback_threshold, acceptance=cb.acceptance)
            sources["callbacks"] = "the voice forecast at the voice plan's agents"
        except (ValueError, TypeError) as err:
            errors["callbacks"] = f"{type(err).__name__}: {' '.join(str(err).split())}"
    return plans, callbacks, sources, errors


def run_channels(result):
    """The scenario result with its ``channels`` (a :class:`ChannelsResult`) filled in; a composer step."""
    loaded = result.loaded
    section = loaded.scenario.channels
    if section is None:
        return result
    queues = list(dict.fromkeys(result.variants["queue"])) if len(result.variants) else []
    queue = section.voice_queue or (queues[0] if queues else "")
    if section.voice_queue is not None and queue not in queues:
        raise ScenarioError(f"no queue {queue!r}; the queues are {', '.join(map(str, queues))}.",
                            path=loaded.source, key="channels.voice_queue")
    plan = result.objects.get("plan", {}).get((queue, BASE))
    if plan is None:
        out = ChannelsResult(voice_queue=queue, errors={"channels": f"the base plan of {queue!r} failed, so the "
                                                                   "channels beside it were not sized."})
        return dataclasses.replace(result, channels=out)
    schedule = result.objects.get("schedule", {}).get((queue, BASE))
    plans, callbacks, sources, errors = size_channels(loaded, plan, schedule)
    s = loaded.scenario
    shrink = section.shrinkage if section.shrinkage is not None else float(
        total_shrinkage(s.staffing.shrinkage, method=s.staffing.shrinkage_method))
    voice = result.objects.get("headline", {}).get((queue, BASE))
    head = channel_headline(plan, plans, shrinkage=shrink, fte_hours_per_week=s.staffing.fte_hours_per_week,
                            cost_per_paid_hour=s.costs.paid_hour, currency=s.costs.currency,
                            weeks=voice.params["weeks"] if voice is not None else None,
                            callbacks=callbacks, failed=errors)
    head["volume"] = head["channel"].map({"voice": f"the forecast of {queue!r}", **sources}).fillna("")
    out = ChannelsResult(plans, callbacks, head, sources, queue, errors)
    return dataclasses.replace(result, channels=out)


