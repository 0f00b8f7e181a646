"""
Shrinkage, FTE and the staffing plan per interval (:func:`staffing_plan`, :class:`StaffingPlan`).

See :mod:`wfm.staffing` for the method and references.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import _validation as v
from .. import erlang as e
from .._results import Result, interval_axis, legend_below
from .required import SHRINKAGE_METHODS, _solve, _target_inputs


def total_shrinkage(shrinkage, *, method="additive"):
    """
    Total shrinkage from a fraction or from named components.

    Shrinkage is the share of paid time agents are not available for calls.
    Components (breaks, training, meetings, absence, ...) are added as shares
    of paid time (``"additive"``, the usual WFM convention) or compounded,
    each applied to the time left by the others (``"multiplicative"``:
    ``1 - prod(1 - s_i)``).

    Parameters
    ----------
    shrinkage : float, array, Series or dict of name -> fraction
        [0-1]
    method : {"additive", "multiplicative"}

    Returns
    -------
    shrinkage : float, array or Series
        Total shrinkage. [0-1)

    Examples
    --------
    >>> total_shrinkage({"breaks": 0.10, "training": 0.05, "absence": 0.15})
    0.3
    >>> round(total_shrinkage({"breaks": 0.10, "training": 0.05, "absence": 0.15}, method="multiplicative"), 4)
    0.2732
    """
    v.check_choice(method, "method", SHRINKAGE_METHODS)
    if isinstance(shrinkage, dict):
        if not shrinkage:
            return 0.0
        parts = {}
        for name, part in shrinkage.items():
            arr = v.as_float_array(part, f"shrinkage[{name!r}]")
            v.check_fraction(arr, f"shrinkage[{name!r}]", closed_low=True, closed_high=False)
            parts[name] = part
        inp = v.broadcast_inputs(**{f"shrinkage[{k!r}]": p for k, p in parts.items()})
        stack = np.stack(list(inp.arrays.values()))
        total = stack.sum(axis=0) if method == "additive" else 1 - np.prod(1 - stack, axis=0)
        name = "shrinkage (total of " + ", ".join(parts) + ")"
    else:
        inp = v.broadcast_inputs(shrinkage=shrinkage)
        total = inp.arrays["shrinkage"]
        name = "shrinkage"
    hint = ("Each part is a fraction, but together they reach 1 or more, which leaves no time to take calls "
            "(not a percentage): check the parts." if isinstance(shrinkage, dict) else "")
    v.check_fraction(total, name, index=inp.index, closed_low=True, closed_high=False, hint=hint)
    return v.wrap_like(total, inp, "shrinkage")


def scheduled_agents(agents, shrinkage, *, method="additive"):
    """
    Agents to schedule so that ``agents`` are productive: ``agents / (1 - shrinkage)``.

    Returns a float count (not rounded), so agent-hours and FTE add up exactly.

    Examples
    --------
    >>> scheduled_agents(14, 0.3)
    20.0
    >>> scheduled_agents(14, {"breaks": 0.1, "absence": 0.2})
    20.0
    """
    s = total_shrinkage(shrinkage, method=method)
    inp = v.broadcast_inputs(agents=agents, shrinkage=s)
    v.check_nonnegative(inp.arrays["agents"], "agents", "agents", index=inp.index)
    return v.wrap_like(inp.arrays["agents"] / (1 - inp.arrays["shrinkage"]), inp, "scheduled_agents")


def _effective_shrinkage(shrinkage, agents):
    """
    One shrinkage [0-1) for per-interval totals ``shrinkage``, weighted the plan's own way.

    The plan grosses the :math:`a_i` agents of interval :math:`i` up to
    :math:`a_i / (1 - s_i)` (:func:`scheduled_agents`). Intervals are of one
    length, so over the horizon the scheduled (paid) hours over the
    productive hours are :math:`\\sum_i a_i / (1 - s_i) \\, / \\sum_i a_i`,
    and the one shrinkage :math:`s` that grosses the productive hours up to
    the same scheduled hours is

    .. math:: 1 - s = \\sum_i a_i \\Big/ \\sum_i \\frac{a_i}{1 - s_i},

    the agent-hours-weighted harmonic mean of :math:`1 - s_i` (not the plain
    mean of :math:`s_i`). One number stays itself; with no agents, the plain mean.
    """
    s = np.asarray(shrinkage, dtype=float)
    if not s.ndim:
        return float(s)
    a = np.broadcast_to(np.asarray(agents, dtype=float), s.shape) if agents is not None else None
    if a is None or not a.sum() > 0:
        return float(s.mean()) if s.size else 0.0
    return float(1.0 - a.sum() / (a / (1.0 - s)).sum())


def fte(scheduled_hours, fte_hours_per_week=37.5, weeks=1.0):
    """
    Full-time equivalents: scheduled agent-hours over the paid hours of one FTE.

    Parameters
    ----------
    scheduled_hours : numeric
        Scheduled agent-hours in the period. [h]
    fte_hours_per_week : numeric
        Paid hours of one full-time agent per week. [h]
    weeks : numeric
        Length of the period in weeks (a day of a five-day week is 0.2). [weeks]

    Examples
    --------
    >>> fte(750, 37.5)
    20.0
    """
    inp = v.broadcast_inputs(scheduled_hours=scheduled_hours, fte_hours_per_week=fte_hours_per_week, weeks=weeks)
    v.check_nonnegative(inp.arrays["scheduled_hours"], "scheduled_hours", "hours", index=inp.index)
    v.check_positive(inp.arrays["fte_hours_per_week"], "fte_hours_per_week", "hours")
    v.check_positive(inp.arrays["weeks"], "weeks", "weeks")
    a = inp.arrays
    return v.wrap_like(a["scheduled_hours"] / (a["fte_hours_per_week"] * a["weeks"]), inp, "fte")


@dataclass(frozen=True)
class StaffingPlan(Result):
    """
    Agents per interval with the queue figures they achieve.

    Attributes
    ----------
    table : DataFrame
        One row per interval: ``calls``, ``aht`` [s], ``load`` [Erlangs],
        ``agents``, ``scheduled_agents``, ``service_level_target``,
        ``service_level``, ``asa`` [s], ``occupancy``, ``abandon_rate``
        (Erlang A) and ``binding_target``.
    params : dict
        The arguments that built the plan, in their public names and units.
    """

    table: pd.DataFrame
    params: dict = field(default_factory=dict)

    def totals(self, freq="D", *, week_start=None):
        """
        Calls, productive and scheduled agent-hours and required FTE per day (``"D"``) or week (``"W"``).

        ``required_fte`` divides the scheduled hours the workload needs
        (agents grossed up for all shrinkage) by the paid hours of one FTE in
        the period: ``fte_hours_per_week`` for a week, a fifth of it for a
        day. It is the FTE of an Erlang calculator, before shifts: the FTE to
        employ comes from a schedule (:func:`wfm.plan_headline`). Days and
        weeks are those of the local wall clock; a week starts on
        ``week_start`` (``"MON"``, ``"SUN"``, ``"SAT"``, ...; see
        :func:`wfm.calendar.check_week_start`; default the plan's own
        ``week_start``) and is labelled by its first day.

        Weekly rows carry ``week_share``, the share of a working week the
        plan covers in that week (its open days over the centre's open
        weekdays: the plan's ``open_days``, else the weekdays the plan itself
        has): a week the horizon cuts is FTE over that share, so a week's
        FTE is the same whichever weekday the weeks start on, and the plan's
        mean weekly FTE (:meth:`figures`) is the hours over the shares added
        up.
        """
        v.check_choice(freq, "freq", ("D", "W"))
        from ..calendar import week_of
        if week_start is None:
            week_start = self.params.get("week_start") or "MON"
        tab = self.table
        if not isinstance(tab.index, pd.DatetimeIndex):
            raise ValueError("totals need a plan built on a DatetimeIndex.")
        hours = self.params["interval"] / 3600.0
        frame = pd.DataFrame({
            "calls": tab["calls"],
            "agent_hours": tab["agents"] * hours,
            "scheduled_hours": tab["scheduled_agents"] * hours,
        })
        if freq == "D":
            out = frame.groupby(tab.index.normalize()).sum()
            out.index.name = "date"
            weeks = 0.2
        else:
            weeks_of = week_of(tab.index, week_start)
            out = frame.groupby(weeks_of).sum()
            out.index.name = "week"
            shares = _week_shares(tab.index, weeks_of, self.params.get("open_days"))
            weeks = out["week_share"] = shares.reindex(out.index).to_numpy()
        out["required_fte"] = fte(out["scheduled_hours"], self.params["fte_hours_per_week"], weeks)
        return out

    def plot(self, ax=None, **kwargs):
        """Calls (left axis) and agents, productive and scheduled (right axis), per interval."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(11, 4))
        tab = self.table
        x = np.arange(len(tab))
        ax.bar(x, tab["calls"], width=1.0, color="0.8", label="calls", **kwargs)
        ax.set_ylabel("calls per interval")
        ax2 = ax.twinx()
        ax2.step(x, tab["agents"], where="mid", color="C0", label="agents (productive)")
        ax2.step(x, tab["scheduled_agents"], where="mid", color="C3", label="scheduled agents")
        ax2.set_ylabel("agents")
        ax2.set_ylim(bottom=0)
        interval_axis(ax, tab.index)
        p = self.params
        title = f"Staffing plan: {p['model'].replace('_', ' ').title()}"
        if p.get("service_level") is not None:
            title += f", {p['service_level']:.0%} in {p['threshold']:g} s"
        ax.set_title(title + f", shrinkage {p['shrinkage_total']:.0%}")
        lines = ax.get_legend_handles_labels()
        lines2 = ax2.get_legend_handles_labels()
        legend_below(ax, lines[0] + lines2[0], lines[1] + lines2[1], ncol=3)
        return ax

    #: Display label of each key of :meth:`figures`, for :meth:`summary`.
    LABELS = {"intervals": "intervals", "calls": "calls", "peak_agents": "peak agents",
              "agent_hours": "agent-hours", "scheduled_hours": "scheduled hours",
              "required_fte": "required FTE (mean week)",
              "service_level": "service level (call-weighted)", "asa": "ASA (call-weighted) [s]",
              "expected_service_level": "expected service level (call-weighted)",
              "p_meet": "probability of meeting the target (call-weighted)"}

    def figures(self):
        """
        Key figures of the plan as data: a dict with snake_case keys.

        ``intervals``, ``calls`` [calls], ``peak_agents`` [agents],
        ``agent_hours`` and ``scheduled_hours`` [h], ``required_fte`` (the
        mean working week's: scheduled hours over the weeks' shares of
        :meth:`totals`, the same for any week start; plans on a
        DatetimeIndex),
        ``service_level`` [0-1] and ``asa`` [s], both weighted by calls.
        A plan staffed to an uncertain forecast
        (:func:`wfm.staffing_plan_from_forecast`) also has
        ``expected_service_level``, the service level averaged over the
        forecast's uncertainty, and ``p_meet``, the probability of meeting
        the target [0-1], both weighted by the forecast calls; its
        ``service_level`` stays the one at the forecast mean.
        """
        tab = self.table
        hours = self.params["interval"] / 3600.0
        calls = float(tab["calls"].sum())
        out = {
            "intervals": len(tab),
            "calls": calls,
            "peak_agents": int(tab["agents"].max()) if len(tab) else 0,
            "agent_hours": float((tab["agents"] * hours).sum()),
            "scheduled_hours": float((tab["scheduled_agents"] * hours).sum()),
        }
        if isinstance(tab.index, pd.DatetimeIndex) and len(tab):
            weekly = self.totals("W")
            out["required_fte"] = float(weekly["scheduled_hours"].sum() / weekly["week_share"].sum()
                                        / self.params["fte_hours_per_week"])
        if calls > 0 and "service_level" in tab:
            out["service_level"] = float((tab["service_level"] * tab["calls"]).sum() / calls)
        if calls > 0 and np.isfinite(tab["asa"]).all():
            out["asa"] = float((tab["asa"] * tab["calls"]).sum() / calls)
        for col in ("expected_service_level", "p_meet"):  # a plan staffed to an uncertain forecast
            if calls > 0 and col in tab:
                out[col] = float((tab[col] * tab["calls"]).sum() / calls)
        return out

    def summary(self):
        """The figures, labelled; a plan staffed to an uncertain forecast says its service level is the mean's."""
        from .._results import figures_frame

        labels = dict(self.LABELS)
        if "expected_service_level" in self.table:
            labels["service_level"] = "service level at the forecast mean (call-weighted)"
        return figures_frame(self.figures(), labels)

    def __repr__(self):
        return f"StaffingPlan({len(self.table)} intervals)\n{self._summary_text()}"


def staffing_plan(calls, aht=None, interval=None, service_level=0.8, threshold=20, *, model="erlang_c",
                  patience=None, max_asa=None, max_occupancy=None, max_abandon_rate=None,
                  sl_definition="offered", min_agents=None, shrinkage=0.0, shrinkage_method="additive",
                  fte_hours_per_week=37.5, week_start=None, open_days=None):
    """
    Agents per interval, scheduled agents and FTE for interval volumes.

    Parameters
    ----------
    calls : Series or DataFrame
        Calls offered per interval on a DatetimeIndex (a DataFrame needs a
        ``calls`` column and may carry ``aht``). [calls per interval]
    aht : numeric or Series, optional
        Average handle time per interval or one value; taken from the
        DataFrame's ``aht`` column when None. NaN is accepted where
        ``calls`` is 0 (no call to handle: 0 agents; the table shows the
        plan's call-weighted mean AHT there), refused where calls arrive. [s]
    interval : numeric, optional
        Interval length; inferred from the index when None. Given with a
        DatetimeIndex, it must equal the index's step. [s]
    service_level, threshold : numeric
        Service target: ``service_level`` answered within ``threshold``
        seconds (default 80/20). Pass ``service_level=None`` to staff on the
        other targets only. [0-1], [s]
    model, patience, max_asa, max_occupancy, max_abandon_rate, sl_definition, min_agents
        As in :func:`required_agents`.
    shrinkage : float, Series or dict of name -> fraction
        Share of paid time not on calls; see :func:`total_shrinkage`. [0-1)
    shrinkage_method : {"additive", "multiplicative"}
    fte_hours_per_week : float
        Paid hours of one full-time agent per week. [h]
    week_start : str or int, optional
        The weekday the centre's planning weeks start on, for the weekly
        totals and the plan's required FTE; inferred from the open days of
        ``calls`` when None (:func:`wfm.calendar.infer_week_start`: a
        Sunday-Thursday centre's weeks start on Sunday; from ``open_days``
        when given; Monday for a plan of under a week without them, whose
        first day says nothing about the week).
    open_days : sequence, optional
        The weekdays the centre opens, 0-6 (Monday = 0) or ``"Mon"``-``"Sun"``
        as in :func:`wfm.calendar.open_calendar`: the working week the
        weekly totals' ``week_share`` and the required FTE count against.
        When None, ``calls.attrs["open_days"]`` (set by
        :func:`wfm.calendar.last_full_week` and on a
        :class:`~wfm.forecast.Forecast`'s table: the history's weekdays);
        else they are read from ``calls``, which a plan of less than a
        week cannot show: such a plan warns, and counts the weekdays it has
        as a whole working week (pass ``open_days`` to count a Wed-Fri plan
        of a Mon-Fri centre as 3/5 of a week).

    Returns
    -------
    StaffingPlan

    Examples
    --------
    >>> idx = pd.date_range("2024-01-01 08:00", periods=3, freq="30min")
    >>> plan = staffing_plan(pd.Series([100, 250, 0], index=idx), aht=180, shrinkage=0.3)
    >>> plan.table[["load", "agents", "scheduled_agents", "binding_target"]]
                         load  agents  scheduled_agents binding_target
    2024-01-01 08:00:00  10.0      14         20.000000  service_level
    2024-01-01 08:30:00  25.0      30         42.857143  service_level
    2024-01-01 09:00:00   0.0       0          0.000000           none
    """
    if isinstance(calls, pd.DataFrame):
        if "calls" not in calls.columns:
            raise ValueError(f"calls DataFrame needs a 'calls' column; got columns {list(calls.columns)}.")
        if aht is None:
            if "aht" not in calls.columns:
                raise ValueError("aht is required: pass aht in seconds or an 'aht' column in the calls DataFrame.")
            aht = calls["aht"]
        calls = calls["calls"]
    if aht is None:
        raise ValueError("aht is required: the average handle time in seconds, e.g. aht=300.")
    if not isinstance(calls, pd.Series):
        calls = pd.Series(v.as_float_array(calls, "calls"), name="calls")
        if interval is None:
            raise ValueError("interval is required when calls has no DatetimeIndex; pass it in seconds.")
    if interval is None:
        interval = v.infer_interval(calls.index, "calls")
    v.check_positive(v.as_float_array(interval, "interval"), "interval", "seconds")
    if np.ndim(interval):
        raise ValueError("interval must be one number of seconds for a plan.")
    _check_interval_step(interval, calls.index)
    v.check_no_holes(calls.index, "calls", interval)  # a row missing mid-day would be staffed as closed
    v.check_positive(v.as_float_array(fte_hours_per_week, "fte_hours_per_week"), "fte_hours_per_week", "hours")
    s_total = total_shrinkage(shrinkage, method=shrinkage_method)
    if open_days is None:  # as last_full_week and a Forecast's table carry them
        open_days = calls.attrs.get("open_days")
    open_days = _plan_open_days(open_days, calls.index)
    week_start = _plan_week_start(week_start, calls.index, open_days)
    aht = _idle_aht(calls, aht)

    inp, load, t, q = _target_inputs(calls, aht, interval, service_level, threshold, patience, model, max_asa,
                                     max_occupancy, max_abandon_rate, min_agents, sl_definition)
    v.warn_queue_units(aht=inp.arrays["aht"], interval=interval, threshold=threshold, patience=patience,
                       index=calls.index)
    agents, binding = _solve(inp, load, t, q, service_level=service_level, max_asa=max_asa,
                             max_occupancy=max_occupancy, max_abandon_rate=max_abandon_rate, model=model,
                             sl_definition=sl_definition, min_agents=min_agents)
    metrics = e.queue_metrics(calls, aht, interval, agents, threshold, model=model, patience=patience,
                              sl_definition=sl_definition) if len(calls) else pd.DataFrame(
        columns=["load", "wait_probability", "service_level", "asa", "occupancy"])
    sched = scheduled_agents(pd.Series(agents, index=calls.index), s_total if np.ndim(s_total) == 0 else
                             np.asarray(s_total))
    table = pd.DataFrame(index=calls.index)
    table["calls"] = inp.arrays["calls"]
    table["aht"] = inp.arrays["aht"]
    table["load"] = load
    table["agents"] = agents
    table["scheduled_agents"] = np.asarray(sched, dtype=float)
    if service_level is not None:
        table["service_level_target"] = inp.arrays["service_level"]
    for col in ("service_level", "asa", "occupancy", "abandon_rate"):
        if col in metrics:
            if col == "asa" and max_asa is not None:
                table["max_asa"] = inp.arrays["max_asa"]
            if col == "occupancy" and max_occupancy is not None:
                table["max_occupancy"] = inp.arrays["max_occupancy"]
            if col == "abandon_rate" and max_abandon_rate is not None:
                table["max_abandon_rate"] = inp.arrays["max_abandon_rate"]
            table[col] = metrics[col].to_numpy()
    table["binding_target"] = binding
    params = dict(service_level=service_level, threshold=threshold, model=model, patience=patience,
                  max_asa=max_asa, max_occupancy=max_occupancy, max_abandon_rate=max_abandon_rate,
                  sl_definition=sl_definition, min_agents=min_agents, interval=float(interval),
                  shrinkage=shrinkage, shrinkage_method=shrinkage_method,
                  shrinkage_total=_effective_shrinkage(s_total, agents), fte_hours_per_week=float(fte_hours_per_week),
                  week_start=week_start, open_days=open_days)
    return StaffingPlan(table, params)


def _week_shares(index, weeks_of, open_days=None):
    """Per planning week: its open days over the centre's open weekdays (``open_days``, else those of the plan); days
    off ``open_days`` add no share."""
    from ..calendar import _WEEKDAYS, wall_clock

    days = wall_clock(pd.DatetimeIndex(index)).normalize()
    if not open_days:
        per_week = pd.Series(days, index=weeks_of).groupby(level=0).nunique()
        return per_week / max(1, len(pd.unique(days.day_of_week)))
    on = np.isin(np.asarray(days.day_of_week), [_WEEKDAYS.index(d) for d in open_days])  # a special opening: no share
    per_week = pd.Series(days[on], index=weeks_of[on]).groupby(level=0).nunique()
    every = pd.Series(days, index=weeks_of).groupby(level=0).nunique()  # a week of special openings only: its days
    return per_week.reindex(every.index).fillna(every).astype(float) / len(open_days)


def _plan_week_start(week_start, index, open_days=None):
    """The plan's week start as 'MON'...'SUN': checked when given, else read from ``open_days`` or the open days of
    ``index`` (:func:`wfm.calendar.infer_week_start`: Monday for a plan of under a week, which cannot show them)."""
    from ..calendar import _WEEKDAYS, check_week_start, infer_week_start

    if week_start is None:
        if open_days or isinstance(index, pd.DatetimeIndex):
            return infer_week_start(index if isinstance(index, pd.DatetimeIndex) else [], open_days or None)
        return "MON"
    return _WEEKDAYS[check_week_start(week_start)].upper()


def _plan_open_days(open_days, index):
    """``open_days`` as a tuple of 'Mon'...'Sun' (checked as :func:`wfm.calendar.open_calendar` checks them), with a
    warning for days of ``index`` off them; None when not given, with a warning when ``index`` spans under a week."""
    import warnings

    from ..calendar import _WEEKDAYS, open_day_names, wall_clock

    dated = isinstance(index, pd.DatetimeIndex) and len(index) > 0
    days = wall_clock(index).normalize() if dated else None
    if open_days is None:
        span = (days.max() - days.min()).days + 1 if dated else 7
        if span < 7:
            seen = list(pd.unique(days.strftime("%a")))  # in the plan's order: Sun, Mon, ... for a Sunday start
            warnings.warn(
                f"calls covers {span} day(s), {days.min():%a %d %b %Y} to {days.max():%a %d %b %Y}, less than a "
                f"week, so the centre's open weekdays cannot be read from it: its weekly totals and required FTE "
                f"count {', '.join(seen)} as a whole working week (week_share 1), which understates the FTE if the "
                f"centre opens on other days too. Pass the weekdays the centre opens, e.g. "
                f"{v.option('open_days', ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'])} for a Monday-Friday centre.",
                UserWarning, stacklevel=3)
        return None
    wanted = open_day_names(open_days)
    if dated:
        off = ~np.isin(np.asarray(days.day_of_week), [_WEEKDAYS.index(d) for d in wanted])
        if off.any():
            shown = ", ".join(pd.unique(days[off].strftime("%a %d %b %Y"))[:4])
            warnings.warn(f"calls has intervals on {shown}, a weekday {v.option('open_days', list(wanted))} leaves "
                          "out: their hours count in their week's FTE but not in its share of a working week (as "
                          "for a special opening). If the centre opens on that weekday, add it to open_days.",
                          UserWarning, stacklevel=3)
    return wanted


def _check_interval_step(interval, index):
    """ValueError when ``interval`` disagrees with the step of a DatetimeIndex (one it can be read from)."""
    if not isinstance(index, pd.DatetimeIndex) or len(index) < 2:
        return
    try:
        step = v.infer_interval(index, "calls")
    except ValueError:  # an irregular index: the interval given is all there is
        return
    if abs(float(interval) - step) > 1e-9 * step:
        raise ValueError(f"interval={float(interval):g} s disagrees with calls' DatetimeIndex, whose intervals are "
                         f"{step:g} s ({step / 60:g} minutes) apart: interval is in seconds. Leave interval out to "
                         f"use the index's, or pass interval={step:g}.")


def _idle_aht(calls, aht):
    """``aht`` with its NaN replaced where no calls arrive (no call to handle, so AHT plays no part): by the
    call-weighted mean AHT of the intervals with calls. NaN where calls arrive is left for the check to refuse."""
    if np.ndim(aht) != 1 or len(aht) != len(calls):
        return aht
    if isinstance(aht, pd.Series) and not aht.index.equals(calls.index):
        return aht  # left for the alignment check to name
    try:
        a, c = np.asarray(aht, dtype=float), np.asarray(calls, dtype=float)
    except (TypeError, ValueError):
        return aht  # left for the checks to name
    idle = np.isnan(a) & (c == 0)
    known = ~np.isnan(a) & (c > 0)
    if not idle.any() or not known.any():
        return aht
    filled = np.where(idle, np.average(a[known], weights=c[known]), a)
    return pd.Series(filled, index=aht.index, name=aht.name) if isinstance(aht, pd.Series) else filled
