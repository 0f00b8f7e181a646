r"""
Schedule adherence and conformance: did agents do what the schedule said,
when it said, and did they work the time they were scheduled to work?

The schedule (agent, activity, start, end) and the agent-state log (agent,
state, start, end) are laid side by side on one timeline per agent, cut
wherever either changes. Each state maps to an activity (``handling``,
``available``, ``break``, ``lunch``, ``meeting``, ``training``,
``downtime``, ``other``, ``logged_out``) and each schedule row to a planned
activity (``work``, ``break``, ``lunch``, ``meeting``, ``training``,
``leave``, ``other``); see :mod:`wfm.logs` for the labels
understood without a mapping. An agent keeps to the schedule when

=================== ==========================================================
planned             in adherence when the agent is
=================== ==========================================================
``work``            ``handling`` or ``available`` (on the queue)
``break``           ``break``
``lunch``           ``lunch``, ``logged_out`` or without a state record
``meeting``         ``meeting``
``training``        ``training``
``other``           ``other``
``leave``           (planned absence: left out of adherence)
=================== ==========================================================

Per agent and day:

* **adherence** = time in the scheduled activity / scheduled time
  (every scheduled activity but ``leave``). [0-1] Every second out of
  adherence counts; ``grace`` only filters the list of events.
* **conformance** = time worked (``handling`` + ``available``, whenever it
  happened) / time scheduled to ``work``. [fraction] Above 1 with overtime.
* **out-of-adherence events**: runs of consecutive out-of-adherence time of
  one agent longer than ``grace`` seconds, with the planned and actual
  activity that took most of the run.
* **the floor against the plan** per ``interval``: agents scheduled to work
  and agents working (on average over the interval), and the intervals
  where the floor was short of the plan.

Time is split at local midnight: a spell crossing midnight counts in each
day for the part that falls in it; an event belongs to the day it started.

Data problems are handled, counted and reported in ``.issues`` (and as a
:class:`wfm._validation.DataWarning`), never dropped silently: unsorted state
records are sorted; a state spell overlapping an earlier spell of the same
agent loses the overlap (a spell inside another is left out); scheduled
agents without state records are out of adherence and absent for their whole
schedule; agents with states but no schedule count as unscheduled work.
Schedule rows of one agent that overlap, times that end before they start,
unknown states and scheduled agents missing from the staff list are errors.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import _validation as v
from .._results import INTERVALS_LABEL, Result
from ..logs import _parse as lp
from ..logs.schemas import SCHEDULE_ACTIVITIES, STATE_ACTIVITIES, read_schedule, read_staff, read_states
from ._timeline import ACTUAL, MATCH, PLANNED, build_timeline, period_edges, split, to_times

__all__ = ["adherence", "Adherence"]

_WORKED = (ACTUAL["handling"], ACTUAL["available"])


def _notes_frame(notes):
    return pd.DataFrame(notes, columns=["source", "problem", "rows", "seconds", "action", "kind"])


def warn_notes(notes, stacklevel=3):
    """One DataWarning for notes that adjusted or reported rows (info notes stay in the table)."""
    frame = _notes_frame(notes)
    loud = frame[frame["kind"] != "info"]
    if len(loud):
        warnings.warn(lp.data_note_text(loud), lp.DataWarning, stacklevel=stacklevel)
    return frame


def segment_facts(tl):
    """Per timeline segment: seconds of each quantity the adherence and shrinkage figures sum."""
    sec = tl.seconds
    planned, actual = tl.planned, tl.actual
    scheduled = (planned >= 0) & (planned != PLANNED["leave"])
    keeps = np.zeros(planned.size, dtype=bool)
    has = planned >= 0
    keeps[has] = MATCH[planned[has], actual[has]]
    worked = np.isin(actual, _WORKED)
    return {
        "scheduled": np.where(scheduled, sec, 0.0),
        "in_adherence": np.where(scheduled & keeps, sec, 0.0),
        "out_of_adherence": np.where(scheduled & ~keeps, sec, 0.0),
        "scheduled_work": np.where(planned == PLANNED["work"], sec, 0.0),
        "worked": np.where(worked, sec, 0.0),
    }


def _events(tl, out, grace):
    """Runs of touching out-of-adherence segments of one agent, longer than ``grace``."""
    idx = np.flatnonzero(out)
    cols = ["agent_key", "start", "end", "duration", "scheduled", "actual"]
    if idx.size == 0:
        return pd.DataFrame(columns=cols)
    a, s, e = tl.agent[idx], tl.start[idx], tl.end[idx]
    new = np.r_[True, (a[1:] != a[:-1]) | (s[1:] != e[:-1])]
    event = np.cumsum(new) - 1
    sec = (e - s) / 1e9
    n = event[-1] + 1
    duration = np.bincount(event, weights=sec, minlength=n)
    starts = s[new]
    ends = np.r_[e[np.r_[new[1:], True]]]
    keep = duration > grace

    def dominant(codes, names):
        frame = pd.DataFrame({"event": event, "code": codes, "sec": sec})
        tot = frame.groupby(["event", "code"], sort=False)["sec"].sum().reset_index()
        tot = tot.sort_values(["event", "sec"], ascending=[True, False], kind="stable").drop_duplicates("event")
        lookup = np.asarray(list(names) + ["none"], dtype=object)
        out_names = np.empty(n, dtype=object)
        out_names[tot["event"].to_numpy()] = lookup[tot["code"].to_numpy()]
        return out_names

    frame = pd.DataFrame({
        "agent_key": a[new], "start": starts, "end": ends, "duration": duration,
        "scheduled": dominant(tl.planned[idx], SCHEDULE_ACTIVITIES),
        "actual": dominant(tl.actual[idx], STATE_ACTIVITIES),
    })
    return frame[keep].reset_index(drop=True)


def adherence(schedule, states, grace=60, *, activities=None, staff=None, interval=1800, by=None, roster=None):
    r"""
    Schedule adherence, conformance, out-of-adherence events and the floor against the plan.

    Higher adherence is better; conformance is best at 1.

    .. math::

        \mathrm{adherence} = \frac{\text{time in the scheduled activity}}{\text{scheduled time}},
        \qquad
        \mathrm{conformance} = \frac{\text{time worked}}{\text{time scheduled to work}}

    Parameters
    ----------
    schedule : DataFrame or path
        One row per scheduled activity: ``agent``, ``activity``, ``start``,
        ``end`` (see :func:`wfm.evaluate.read_schedule`; read it first to map
        column names).
    states : DataFrame or path
        Agent-state log: ``agent``, ``state``, ``start``, ``end`` (see
        :func:`wfm.evaluate.read_states`), e.g. ``Simulation.agent_states``.
    grace : float
        Out-of-adherence runs up to this long are not listed as events;
        they still count in adherence. [s]
    activities : dict, optional
        State or schedule label -> activity, for labels not understood
        without a mapping, e.g. ``{"Ready": "available", "Phone": "work"}``.
    staff : DataFrame or path, optional
        The staff list, ``agent``, ``team`` (see :func:`wfm.evaluate.read_staff`; ``roster=`` is its
        deprecated name): adds the
        team and makes a scheduled agent missing from it an error.
    interval : float
        Length of the intervals of the floor-against-plan table; must divide
        a day. [s]
    by : str or list of str, optional
        Further columns of both logs that tell agents apart, e.g.
        ``"replication"`` for simulated logs.

    Returns
    -------
    Adherence
        ``.table`` per agent and day, ``.events``, ``.intervals`` and
        ``.issues`` (see :class:`Adherence`).

    Raises
    ------
    ValueError
        Naming the column and rows: times that end before they start,
        overlapping schedule rows of one agent, states or activities with no
        mapping, scheduled agents not on the staff list; a negative ``grace``.

    Examples
    --------
    Ann is scheduled 09:00-12:00 with a break at 10:30-10:45. She logs in
    two minutes late and comes back from her break five minutes late: 173
    of 180 minutes in adherence, and 88 + 70 = 158 of 165 minutes of work
    worked. Both lapses exceed the 60-s grace, so both are events:

    >>> t = lambda hm: pd.Timestamp(f"2024-01-01 {hm}")
    >>> schedule = pd.DataFrame({"agent": "ann", "activity": ["work", "break", "work"],
    ...                          "start": [t("09:00"), t("10:30"), t("10:45")],
    ...                          "end": [t("10:30"), t("10:45"), t("12:00")]})
    >>> states = pd.DataFrame({"agent": "ann", "state": ["logged_out", "idle", "break", "idle"],
    ...                        "start": [t("09:00"), t("09:02"), t("10:30"), t("10:50")],
    ...                        "end": [t("09:02"), t("10:30"), t("10:50"), t("12:00")]})
    >>> result = adherence(schedule, states, grace=60)
    >>> result.table[["agent", "day", "scheduled", "in_adherence", "adherence", "conformance"]]
      agent        day  scheduled  in_adherence  adherence  conformance
    0   ann 2024-01-01    10800.0       10380.0   0.961111     0.957576
    >>> result.events[["agent", "start", "duration", "scheduled", "actual"]]
      agent               start  duration scheduled      actual
    0   ann 2024-01-01 09:00:00     120.0      work  logged_out
    1   ann 2024-01-01 10:45:00     300.0      work       break
    """
    grace = float(v.check_nonnegative(v.as_float_array(grace, "grace"), "grace", "seconds"))
    interval = float(v.check_positive(v.as_float_array(interval, "interval"), "interval", "seconds"))
    if 86400 % interval:
        raise ValueError(f"interval must divide a day into whole intervals (900, 1800, 3600 s, ...); got "
                         f"{interval:g} s.")
    extra = [] if by is None else ([by] if isinstance(by, str) else list(by))
    staff = v.renamed(staff, roster, "staff", "roster", "adherence")
    staff_frame = read_staff(staff) if staff is not None else None
    sched = read_schedule(schedule, activities=activities, staff=staff_frame, by=extra)
    st = read_states(states, activities=activities)
    keys = ["agent"] + [k for k in extra if k != "agent"]
    for name, frame in (("schedule", sched), ("states", st)):
        missing = [k for k in keys if k not in frame.columns]
        if missing:
            raise ValueError(f"by names {missing[0]!r}, which {name} has no column for; its columns are "
                             f"{list(frame.columns)[:10]}.")
    if (sched["start"].dt.tz is None) != (st["start"].dt.tz is None):
        zone, naive = ((st["start"].dt.tz, "schedule") if sched["start"].dt.tz is None else
                       (sched["start"].dt.tz, "states"))
        fix = (f'if the times of {naive} are {zone} times, read it on that clock, wfm.evaluate.read_{naive}({naive}, '
               f'tz="{zone}") (with activities= as given here), or localize its start and end columns with '
               f'.dt.tz_localize("{zone}")')
        raise ValueError(v.mixed_clocks("schedule", sched["start"].dt.tz, "states", st["start"].dt.tz, fix))
    tl = build_timeline(sched, st, keys)
    facts = segment_facts(tl)
    team_of = None
    if staff_frame is not None:
        team_of = pd.Series(staff_frame["team"].to_numpy(), index=pd.Index(staff_frame["agent"]))
        unknown = ~tl.keys["agent"].isin(staff_frame["agent"])
        if unknown.any():
            tl.notes.append(dict(source="states", problem="are agents not on the staff list", rows=int(unknown.sum()),
                                 seconds=np.nan, action="their team is left blank", kind="reported"))

    table = _daily(tl, facts, keys, team_of)
    events = _events(tl, facts["out_of_adherence"] > 0, grace)
    events = _label_events(events, tl, keys, team_of)
    if len(events):
        counts = events.groupby(keys + ["day"], dropna=False).size().rename("events")
        table = table.merge(counts.reset_index(), on=keys + ["day"], how="left")
        table["events"] = table["events"].fillna(0).astype(int)
    else:
        table["events"] = 0
    intervals = _floor(tl, facts, interval, team_of)
    issues = warn_notes(tl.notes)
    params = dict(grace=grace, interval=interval, by=extra, activities=activities,
                  staff=staff_frame is not None)
    return Adherence(table, events, intervals, issues, params)


def _label_keys(tl, codes, keys, team_of):
    out = tl.keys.iloc[codes].reset_index(drop=True)
    if team_of is not None:
        out["team"] = out["agent"].map(team_of)
    return out


def _daily(tl, facts, keys, team_of):
    if tl.agent.size == 0:
        cols = keys + (["team"] if team_of is not None else []) + ["day"] + list(_DAILY_COLUMNS)
        return pd.DataFrame(columns=cols)
    first, last = to_times([tl.start.min()], tl.tz)[0], to_times([tl.end.max()], tl.tz)[0]
    edges = period_edges(first, last, ("tick", pd.Timedelta(days=1)))
    edges_ns = edges.asi8
    row, code, s, e = split(tl.start, tl.end, edges_ns)
    share = (e - s) / np.maximum(tl.end[row] - tl.start[row], 1)
    frame = pd.DataFrame({"key": tl.agent[row], "day": code})
    for name, values in facts.items():
        frame[name] = values[row] * share
    agg = frame.groupby(["key", "day"], sort=True).sum().reset_index()
    out = _label_keys(tl, agg["key"].to_numpy(), keys, team_of)
    out["day"] = edges[agg["day"].to_numpy()]
    for name in facts:
        out[name] = agg[name].to_numpy()
    return _rates(out)


_DAILY_COLUMNS = ("scheduled", "in_adherence", "out_of_adherence", "adherence", "scheduled_work", "worked",
                  "conformance")


def _rates(frame):
    """adherence and conformance from the summed seconds (NaN where nothing was scheduled)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        adh = np.where(frame["scheduled"] > 0, frame["in_adherence"] / frame["scheduled"], np.nan)
        conf = np.where(frame["scheduled_work"] > 0, frame["worked"] / frame["scheduled_work"], np.nan)
    frame.insert(list(frame.columns).index("out_of_adherence") + 1, "adherence", adh)
    frame["conformance"] = conf
    return frame


def _label_events(events, tl, keys, team_of):
    cols = keys + (["team"] if team_of is not None else []) + ["day", "start", "end", "duration", "scheduled",
                                                                "actual"]
    if len(events) == 0:
        return pd.DataFrame(columns=cols)
    out = _label_keys(tl, events["agent_key"].to_numpy(), keys, team_of)
    start = to_times(events["start"].to_numpy(), tl.tz)
    out["day"] = start.tz_localize(None).normalize().tz_localize(tl.tz) if tl.tz is not None else start.normalize()
    out["start"] = start
    out["end"] = to_times(events["end"].to_numpy(), tl.tz)
    for name in ("duration", "scheduled", "actual"):
        out[name] = events[name].to_numpy()
    return out[cols]


def _floor(tl, facts, interval, team_of):
    """Agents scheduled to work and agents working, per interval (and team)."""
    cols = (["team"] if team_of is not None else []) + ["interval", "scheduled", "working", "difference", "short"]
    plan_or_work = (facts["scheduled_work"] > 0) | (facts["worked"] > 0)
    if not plan_or_work.any():
        return pd.DataFrame(columns=cols)
    idx = np.flatnonzero(plan_or_work)
    first = to_times([tl.start[idx].min()], tl.tz)[0]
    last = to_times([tl.end[idx].max()], tl.tz)[0]
    edges = period_edges(first, last, ("tick", pd.Timedelta(seconds=interval)))
    row, code, s, e = split(tl.start[idx], tl.end[idx], edges.asi8)
    seg = idx[row]
    share = (e - s) / np.maximum(tl.end[seg] - tl.start[seg], 1)
    frame = pd.DataFrame({"interval": code, "scheduled": facts["scheduled_work"][seg] * share / interval,
                          "working": facts["worked"][seg] * share / interval})
    keys = ["interval"]
    if team_of is not None:
        frame.insert(0, "team", tl.keys["agent"].iloc[tl.agent[seg]].map(team_of).to_numpy())
        keys = ["team", "interval"]
    agg = frame.groupby(keys, sort=True, dropna=False).sum().reset_index()
    agg["interval"] = edges[agg["interval"].to_numpy()]
    agg["difference"] = agg["working"] - agg["scheduled"]
    agg["short"] = agg["difference"] < -1e-9
    return agg[cols]


@dataclass(frozen=True)
class Adherence(Result):
    """
    Adherence and conformance per agent and day, out-of-adherence events and the floor against the plan.

    Built by :func:`adherence`.

    Attributes
    ----------
    table : DataFrame
        One row per agent (and ``by`` key) and day: ``agent``, ``team`` (with
        a staff list), ``day``, ``scheduled`` (every scheduled activity but
        leave), ``in_adherence``, ``out_of_adherence`` [s], ``adherence``
        [0-1], ``scheduled_work``, ``worked`` [s], ``conformance``
        [fraction], ``events`` (count beyond ``grace``). Rates are NaN where
        the denominator is 0 (a day with nothing scheduled).
    events : DataFrame
        One row per out-of-adherence run longer than ``grace``: ``agent``,
        ``team``, ``day``, ``start``, ``end``, ``duration`` [s],
        ``scheduled`` and ``actual`` (the activities that took most of the
        run; ``none`` is no state record).
    intervals : DataFrame
        One row per interval (and team): ``interval``, ``scheduled`` and
        ``working`` (agents on average), ``difference`` (working -
        scheduled) and ``short`` (the floor was short of the plan).
    issues : DataFrame
        What was adjusted or reported: ``source``, ``problem``, ``rows``,
        ``seconds``, ``action``, ``kind``.
    params : dict
        The arguments that built it.
    """

    table: pd.DataFrame
    events: pd.DataFrame
    intervals: pd.DataFrame
    issues: pd.DataFrame
    params: dict = field(default_factory=dict)

    def figures(self):
        """
        Over everyone: ``adherence`` and ``conformance`` [0-1] (ratios of summed seconds), ``scheduled_hours``,
        ``agents``, ``days``, ``events`` (beyond ``grace``) and ``intervals_short`` (the floor short of plan).
        """
        nan = float("nan")
        s = self.summary(None).iloc[0] if len(self.table) else {}
        return {"adherence": float(s.get("adherence", nan)), "conformance": float(s.get("conformance", nan)),
                "scheduled_hours": float(self.table["scheduled"].sum() / 3600.0) if len(self.table) else 0.0,
                "agents": int(self.table["agent"].nunique()) if len(self.table) else 0,
                "days": int(self.table["day"].nunique()) if len(self.table) else 0,
                "events": int(len(self.events)),
                "intervals_short": int(self.intervals["short"].sum()) if len(self.intervals) else 0}

    def sheets(self):
        return {"agent_days": self.table, "events": self.events, "intervals": self.intervals, "issues": self.issues}

    def summary(self, by="agent"):
        """
        Adherence and conformance summed over days, per ``by``.

        Parameters
        ----------
        by : {"agent", "team", "day"} or list of them, or None
            None gives one row for everyone.

        Returns
        -------
        DataFrame
            The seconds summed and the rates recomputed from the sums (a
            ratio of sums: every scheduled second weighs the same).
        """
        keys = [] if by is None else ([by] if isinstance(by, str) else list(by))
        for k in keys:
            if k not in self.table.columns:
                raise ValueError(f"by must name columns of the table {list(self.table.columns)[:4]}; got {k!r}"
                                 + (" (pass staff= to adherence for teams)." if k == "team" else "."))
        sums = ["scheduled", "in_adherence", "out_of_adherence", "scheduled_work", "worked", "events"]
        if keys:
            out = self.table.groupby(keys, dropna=False)[sums].sum().reset_index()
        else:
            out = self.table[sums].sum().to_frame().T
        events = out.pop("events")
        out = _rates(out)
        out["events"] = events.astype(int).to_numpy()
        return out

    def plot(self, ax=None, **kwargs):
        """Agents scheduled to work and agents working per interval, short intervals shaded; returns the Axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(11, 4))
        tab = self.intervals
        if "team" in tab.columns:
            tab = tab.groupby("interval", sort=True)[["scheduled", "working"]].sum().reset_index()
            tab["short"] = tab["working"] < tab["scheduled"] - 1e-9
        x = np.arange(len(tab))
        ax.step(x, tab["scheduled"], where="mid", color="0.3", label="scheduled to work")
        ax.step(x, tab["working"], where="mid", color="C0", label="working", **kwargs)
        short = tab["short"].to_numpy(dtype=bool)
        ax.fill_between(x, tab["working"], tab["scheduled"], where=short, step="mid", color="C3", alpha=0.3,
                        lw=0, label="floor short of plan")
        if len(tab):
            labels = pd.DatetimeIndex(tab["interval"])
            ticks = np.linspace(0, len(tab) - 1, min(len(tab), 8)).astype(int)
            ax.set_xticks(ticks)
            ax.set_xticklabels([labels[i].strftime("%a %H:%M") for i in ticks])
        ax.set_xlabel(INTERVALS_LABEL)
        ax.set_ylabel("agents")
        s = self.summary(None).iloc[0] if len(self.table) else None
        title = "Floor against plan"
        if s is not None:
            title += f": adherence {s['adherence']:.1%}, conformance {s['conformance']:.1%}"
        ax.set_title(title)
        ax.legend(loc="upper right", fontsize="small", frameon=False)
        return ax

    def _headline(self):
        if not len(self.table):
            return "Adherence: nothing scheduled"
        s = self.summary(None).iloc[0]
        short = int(self.intervals["short"].sum()) if len(self.intervals) else 0
        return (f"Adherence {s['adherence']:.1%}, conformance {s['conformance']:.1%} over "
                f"{self.table['agent'].nunique()} agent(s) and {self.table['day'].nunique()} day(s); "
                f"{len(self.events)} event(s) beyond {self.params['grace']:g} s; {short} interval(s) short of plan")

    def __repr__(self):
        text = self._headline()
        if len(self.issues):
            text += "\nIssues handled:\n" + self.issues.to_string(index=False)
        return text

    def _repr_html_(self):
        html = f"<h4>{self._headline()}</h4>"
        html += self.summary("agent").to_html(index=False, float_format=lambda x: f"{x:,.3f}", na_rep="")
        if len(self.issues):
            html += "<p>Issues handled</p>" + self.issues.to_html(index=False, na_rep="")
        return html
