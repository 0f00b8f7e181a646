"""
Time bookkeeping shared by adherence and the KPIs: reporting periods, state
spells cleaned of overlaps, and the timeline that lays each agent's schedule
beside what the agent did.

Everything runs on int64 nanoseconds since the epoch (UTC for times in a
zone); period edges are built in the data's own clock, so a day runs from
local midnight to local midnight across a daylight-saving change.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..calendar import check_week_start, week_of
from ..logs.schemas import SCHEDULE_ACTIVITIES, STATE_ACTIVITIES, running_prev_max, to_ns

__all__ = ["check_freq", "period_edges", "period_codes", "split", "Timeline", "build_timeline", "MATCH",
           "PLANNED", "ACTUAL"]

PLANNED = {name: i for i, name in enumerate(SCHEDULE_ACTIVITIES)}
ACTUAL = {name: i for i, name in enumerate(STATE_ACTIVITIES)}

#: MATCH[planned, actual] is True when doing ``actual`` keeps to ``planned``; the last column (-1) is "no record".
MATCH = np.zeros((len(SCHEDULE_ACTIVITIES), len(STATE_ACTIVITIES) + 1), dtype=bool)
for _planned, _actuals in {"work": ("handling", "available"), "break": ("break",),
                           "lunch": ("lunch", "logged_out", None), "meeting": ("meeting",),
                           "training": ("training",), "leave": ("logged_out", None), "other": ("other",)}.items():
    for _a in _actuals:
        MATCH[PLANNED[_planned], -1 if _a is None else ACTUAL[_a]] = True

_FREQS = "a pandas frequency: '15min', '30min', 'h' or 'D' (fixed lengths), 'W' (weeks from week_start), 'M' " \
         "(calendar months), or None (one period)"


# --------------------------------------------------------------------------
# Periods.
# --------------------------------------------------------------------------


def check_freq(freq, name="freq"):
    """None, ("tick", Timedelta), "W" or "M"."""
    if freq is None:
        return None
    if not isinstance(freq, str):
        raise TypeError(f"{name} must be {_FREQS}; got {freq!r}.")
    text = freq.strip()
    if text.upper() in ("W", "W-MON", "WEEK"):
        return "W"
    if text in ("M", "MS", "ME") or text.lower() == "month":
        return "M"
    try:
        td = pd.Timedelta(pd.tseries.frequencies.to_offset(text.replace("H", "h")))
    except (ValueError, TypeError):
        td = None
    if td is None or td <= pd.Timedelta(0):
        raise ValueError(f"{name} must be {_FREQS}; got {freq!r}.")
    day = pd.Timedelta(days=1)
    if td < day and day % td != pd.Timedelta(0):
        raise ValueError(f"{name} must divide a day into whole periods (15min, 30min, h, ...); got {freq!r}.")
    return ("tick", td)


def period_edges(first, last, freq, week_start="MON"):
    """Period starts from the one holding ``first`` to the first one after ``last`` (DatetimeIndex); weeks start
    at local midnight of ``week_start`` (see :func:`wfm.calendar.week_of`)."""
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    day = first.normalize()
    if freq is None:
        return pd.DatetimeIndex([day, last + pd.Timedelta(1, "ns")]).as_unit("ns")
    if freq == "W":
        weekday = check_week_start(week_start)
        start = week_of(pd.DatetimeIndex([first]), weekday)[0]
        start = start.tz_localize(first.tz) if first.tz is not None else start
        edges = pd.date_range(start, last, freq=f"W-{_DAY_CODES[weekday]}")
        step = pd.offsets.Week(weekday=weekday)
    elif freq == "M":
        start = day.replace(day=1)
        edges = pd.date_range(start, last, freq="MS")
        step = pd.offsets.MonthBegin(1)
    else:
        td = freq[1]
        if td >= pd.Timedelta(days=1) and td % pd.Timedelta(days=1) == pd.Timedelta(0):
            edges = pd.date_range(day, last, freq=f"{td.days}D")
            step = pd.offsets.Day(td.days)
        else:
            edges = pd.date_range(day, last, freq=td)
            step = td
    if len(edges) == 0:
        edges = pd.DatetimeIndex([start if freq in ("W", "M") else day])
    edges = edges.append(pd.DatetimeIndex([edges[-1] + step]))
    return edges.as_unit("ns")


def period_codes(times_ns, edges_ns):
    """Index of the period holding each time (edges sorted; every time inside [edges[0], edges[-1]))."""
    return np.searchsorted(edges_ns, times_ns, side="right") - 1


def split(start, end, edges_ns):
    """Cut spells [start, end) at the period edges: (spell index, period code, piece start, piece end)."""
    first = period_codes(start, edges_ns)
    last = np.searchsorted(edges_ns, end, side="left") - 1
    last = np.maximum(last, first)
    count = last - first + 1
    row = np.repeat(np.arange(start.size), count)
    offset = np.arange(row.size) - np.repeat(np.cumsum(count) - count, count)
    code = first[row] + offset
    s = np.maximum(start[row], edges_ns[code])
    e = np.minimum(end[row], edges_ns[np.minimum(code + 1, edges_ns.size - 1)])
    return row, code, s, e


# --------------------------------------------------------------------------
# The schedule beside the states.
# --------------------------------------------------------------------------


def _locate(seg_agent, seg_t, row_agent, row_start, row_end):
    """Index of the row of ``seg_agent`` covering time ``seg_t`` (rows of one agent do not overlap), else -1."""
    n, m = row_agent.size, seg_agent.size
    out = np.full(m, -1, dtype=np.int64)
    if n == 0 or m == 0:
        return out
    keys_a = np.r_[row_agent, seg_agent]
    keys_t = np.r_[row_start, seg_t]
    kind = np.r_[np.zeros(n, dtype=np.int8), np.ones(m, dtype=np.int8)]  # rows first at equal times
    order = np.lexsort((kind, keys_t, keys_a))
    is_row = order < n
    last = np.maximum.accumulate(np.where(is_row, np.arange(order.size), -1))  # latest row so far, sorted order
    cand = last[~is_row]
    seg = order[~is_row] - n
    ok = cand >= 0
    c, s = order[cand[ok]], seg[ok]
    valid = (row_agent[c] == seg_agent[s]) & (seg_t[s] < row_end[c])
    out[s[valid]] = c[valid]
    return out


@dataclass
class Timeline:
    """Elementary segments of every agent's time: planned and actual activity are constant within each.

    ``agent`` indexes the rows of ``keys`` (the agent key columns). ``planned``
    and ``actual`` are codes into SCHEDULE_ACTIVITIES and STATE_ACTIVITIES
    (-1: not scheduled / no state record). ``absent`` marks segments of a
    scheduled shift (a run of touching schedule rows) in which the agent was
    never logged in. ``notes`` lists what was adjusted and reported.
    """

    agent: np.ndarray
    start: np.ndarray
    end: np.ndarray
    planned: np.ndarray
    actual: np.ndarray
    absent: np.ndarray
    keys: pd.DataFrame
    tz: object
    notes: list = field(default_factory=list)

    @property
    def seconds(self):
        return (self.end - self.start) / 1e9


def _note(source, problem, rows, action, seconds=np.nan, kind="adjusted"):
    return dict(source=source, problem=problem, rows=int(rows), seconds=float(seconds), action=action, kind=kind)


def _clean_states(codes, start, end, notes):
    """Sort spells per agent and cut the overlap off the later spell; report both."""
    order = np.lexsort((end, start, codes))
    unsorted = int((order != np.arange(order.size)).any() and
                   np.sum(np.r_[False, (codes[1:] == codes[:-1]) & (start[1:] < start[:-1])]))
    if unsorted:
        notes.append(_note("states", "were out of time order within their agent", unsorted,
                           "sorted by agent and start", kind="info"))
    c, s, e = codes[order], start[order], end[order]
    prev = running_prev_max(c, e)
    new_s = np.maximum(s, prev)
    overlapped = prev > s
    covered = new_s >= e
    trimmed = overlapped & ~covered
    if trimmed.any():
        notes.append(_note("states", "overlapped an earlier spell of the same agent", trimmed.sum(),
                           "the overlap was cut off the later spell", (new_s - s)[trimmed].sum() / 1e9))
    if covered.any():
        notes.append(_note("states", "lay wholly inside an earlier spell of the same agent", covered.sum(),
                           "left out", (e - s)[covered].sum() / 1e9))
    keep = ~covered
    return order[keep], new_s[keep], e[keep]


def _agent_keys(frames, keys):
    """Joint integer codes of the key columns over several frames, and the key table."""
    present = [f[list(keys)] for f in frames if f is not None]
    combined = pd.concat(present, ignore_index=True)
    if len(keys) == 1:
        codes, uniques = pd.factorize(combined[keys[0]], use_na_sentinel=False)
        table = pd.DataFrame({keys[0]: uniques})
    else:
        codes, uniques = pd.factorize(pd.MultiIndex.from_frame(combined), use_na_sentinel=False)
        table = uniques.to_frame(index=False)
        table.columns = list(keys)
    out, at = [], 0
    for f in frames:
        if f is None:
            out.append(None)
        else:
            out.append(codes[at:at + len(f)].astype(np.int64))
            at += len(f)
    return out, table


def build_timeline(schedule, states, keys=("agent",), unpaid=("lunch",)):
    """The :class:`Timeline` of ``schedule`` and ``states`` (either may be None), per agent key."""
    keys = list(keys)
    notes = []
    (sched_agent, state_agent), table = _agent_keys([schedule, states], keys)
    times = [f["start"] for f in (schedule, states) if f is not None]
    tz = times[0].dt.tz
    if schedule is not None:
        p_start, p_end = to_ns(schedule["start"]), to_ns(schedule["end"])
        p_act = schedule["activity"].map(PLANNED).to_numpy(dtype=np.int64)
    else:
        sched_agent = np.zeros(0, dtype=np.int64)
        p_start = p_end = p_act = np.zeros(0, dtype=np.int64)
    if states is not None:
        rows, a_start, a_end = _clean_states(state_agent, to_ns(states["start"]), to_ns(states["end"]), notes)
        state_agent = state_agent[rows]
        a_act = states["activity"].map(ACTUAL).to_numpy(dtype=np.int64)[rows]
    else:
        state_agent = np.zeros(0, dtype=np.int64)
        a_start = a_end = a_act = np.zeros(0, dtype=np.int64)

    if schedule is not None and states is not None:
        only_sched = np.setdiff1d(np.unique(sched_agent), np.unique(state_agent))
        only_states = np.setdiff1d(np.unique(state_agent), np.unique(sched_agent))
        if only_sched.size:
            rows_n = np.isin(sched_agent, only_sched).sum()
            secs = ((p_end - p_start)[np.isin(sched_agent, only_sched)]).sum() / 1e9
            notes.append(_note("schedule", f"belong to {only_sched.size} scheduled agent(s) with no state record "
                               f"(first: {_key_text(table, only_sched[0])})", rows_n,
                               "their scheduled time counts as out of adherence and absent", secs, "reported"))
        if only_states.size:
            mask = np.isin(state_agent, only_states)
            notes.append(_note("states", f"belong to {only_states.size} agent(s) with no schedule "
                               f"(first: {_key_text(table, only_states[0])})", mask.sum(),
                               "their time counts as worked but not scheduled",
                               ((a_end - a_start)[mask]).sum() / 1e9, "reported"))

    # elementary segments: between consecutive boundaries of either side, per agent
    ag = np.r_[sched_agent, sched_agent, state_agent, state_agent]
    t = np.r_[p_start, p_end, a_start, a_end]
    order = np.lexsort((t, ag))
    ag, t = ag[order], t[order]
    distinct = np.r_[True, (ag[1:] != ag[:-1]) | (t[1:] != t[:-1])]
    ag, t = ag[distinct], t[distinct]
    inner = ag[:-1] == ag[1:]
    seg_agent, seg_start, seg_end = ag[:-1][inner], t[:-1][inner], t[1:][inner]
    p_row = _locate(seg_agent, seg_start, sched_agent, p_start, p_end)
    a_row = _locate(seg_agent, seg_start, state_agent, a_start, a_end)
    covered = (p_row >= 0) | (a_row >= 0)
    seg_agent, seg_start, seg_end, p_row, a_row = (x[covered] for x in (seg_agent, seg_start, seg_end, p_row, a_row))
    planned = np.where(p_row >= 0, p_act[np.maximum(p_row, 0)] if p_act.size else -1, -1)
    actual = np.where(a_row >= 0, a_act[np.maximum(a_row, 0)] if a_act.size else -1, -1)

    # shifts: runs of touching schedule rows of one agent; absent when never logged in during one
    absent = np.zeros(seg_agent.size, dtype=bool)
    if p_start.size and states is not None:
        o = np.lexsort((p_start, sched_agent))
        new = np.r_[True, (sched_agent[o][1:] != sched_agent[o][:-1]) | (p_start[o][1:] > p_end[o][:-1])]
        block = np.empty(o.size, dtype=np.int64)
        block[o] = np.cumsum(new) - 1
        logged_in = (actual >= 0) & (actual != ACTUAL["logged_out"])
        seg_block = np.where(p_row >= 0, block[np.maximum(p_row, 0)], -1)
        has_login = np.bincount(seg_block[logged_in & (seg_block >= 0)], minlength=block.max() + 1) > 0
        absent = (seg_block >= 0) & ~has_login[np.maximum(seg_block, 0)]
    return Timeline(seg_agent, seg_start, seg_end, planned.astype(np.int64), actual.astype(np.int64), absent,
                    table, tz, notes)


def _key_text(table, code):
    row = table.iloc[int(code)]
    return ", ".join(f"{k}={row[k]!r}" for k in table.columns)


def to_times(ns, tz):
    """int64 ns -> DatetimeIndex in ``tz`` (naive when None)."""
    idx = pd.DatetimeIndex(np.asarray(ns, dtype="datetime64[ns]"))
    return idx.tz_localize("UTC").tz_convert(tz) if tz is not None else idx


_DAY_CODES = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")


def edges_for(times, freq, week_start="MON"):
    """Period edges covering every timestamp in ``times`` (a list of Series/DatetimeIndex; NaT ignored)."""
    lows, highs = [], []
    for t in times:
        t = pd.DatetimeIndex(t)
        t = t[~t.isna()]
        if len(t):
            lows.append(t.min())
            highs.append(t.max())
    if not lows:
        raise ValueError("the logs hold no timestamps to build periods from.")
    return period_edges(min(lows), max(highs), freq, week_start)

