"""
Who is on duty when: agent schedules, shift tables expanded into agents,
deviations from the schedule, and the duty periods the simulator runs on.

Staffing reaches the simulator in one of two forms:

* **agents per interval** (a count, e.g. ``StaffingPlan.table["agents"]``).
  Agent *k* (counting from 0) is on duty in every interval with more than
  *k* agents, so the same agents stay on from one interval to the next and
  the highest-numbered ones leave first when the count drops. A leaving
  agent on a contact finishes it, then logs out.
* **individual schedules**: a DataFrame with one row per shift and columns
  ``agent``, ``start``, ``end`` (timestamps, end exclusive) and optionally
  ``breaks`` (a list of ``(start, end)`` tuples per row; see
  :func:`agent_schedules` for the forms accepted). A shift table with an
  ``agents`` count per row, such as ``SchedulePlan.shifts``, is expanded
  into such rows by :func:`agent_schedules`.

:class:`Deviations` describes how agents depart from their schedules: late
log-ins, early log-outs, long breaks and absences, each with a rate and a
mean, drawn afresh (and seeded) in every replication.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from .. import _validation as v

__all__ = ["activity_log", "agent_schedules", "Deviations", "STATES"]

#: States of the agent-state log, in the order of its categorical column.
STATES = ("idle", "on_contact", "break", "lunch", "logged_out")
IDLE, ON_CONTACT, BREAK, LUNCH, LOGGED_OUT = range(5)
_NOT_LOGGED = -1  # the gap before a period that starts a new shift or block: not a state of the log


# --------------------------------------------------------------------------
# Deviations.
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Deviations:
    """
    How agents depart from their schedules; each event is drawn per replication.

    Every shift independently is missed (absence), starts late and ends
    early; every break independently overruns. Delays are exponential with
    the given means, so rates and means are all a deviation needs. Applies
    to individual schedules only.

    Parameters
    ----------
    absence_rate : float
        Probability that an agent misses a whole shift. [0-1]
    late_login_rate : float
        Probability that an agent logs in late for a shift. [0-1]
    late_login_mean : float
        Mean delay of a late log-in (exponential). [s] A delay that reaches
        the end of the shift makes the shift an absence.
    early_logout_rate : float
        Probability that an agent logs out before the shift ends. [0-1]
    early_logout_mean : float
        Mean time left unworked at the end of the shift (exponential). [s]
        An agent on a contact at that moment finishes it first.
    long_break_rate : float
        Probability that a break (or lunch) overruns. [0-1]
    long_break_mean : float
        Mean overrun of a long break (exponential). [s]

    Examples
    --------
    >>> Deviations(absence_rate=0.05, late_login_rate=0.1)
    Deviations(absence_rate=0.05, late_login_rate=0.1, late_login_mean=300.0, early_logout_rate=0.0, \
early_logout_mean=600.0, long_break_rate=0.0, long_break_mean=300.0)
    """

    absence_rate: float = 0.0
    late_login_rate: float = 0.0
    late_login_mean: float = 300.0
    early_logout_rate: float = 0.0
    early_logout_mean: float = 600.0
    long_break_rate: float = 0.0
    long_break_mean: float = 300.0

    def __post_init__(self):
        for name, value in asdict(self).items():
            arr = v.as_float_array(value, f"deviations.{name}")
            if np.ndim(arr):
                raise TypeError(f"deviations.{name} must be one number; got an array of shape {arr.shape}.")
            if name.endswith("_rate"):
                v.check_fraction(arr, f"deviations.{name}", closed_low=True)
            else:
                v.check_positive(arr, f"deviations.{name}", "seconds")
            object.__setattr__(self, name, float(arr))

    @property
    def any(self):
        """True when some rate is above zero."""
        return any(getattr(self, k) > 0 for k in ("absence_rate", "late_login_rate", "early_logout_rate",
                                                   "long_break_rate"))


def as_deviations(deviations):
    """None, a dict of :class:`Deviations` fields, or a Deviations -> Deviations."""
    if deviations is None:
        return Deviations()
    if isinstance(deviations, Deviations):
        return deviations
    if isinstance(deviations, dict):
        unknown = sorted(set(deviations) - set(Deviations.__dataclass_fields__))
        if unknown:
            raise ValueError(f"deviations has unknown keys {unknown}; known keys are "
                             f"{list(Deviations.__dataclass_fields__)}.")
        return Deviations(**deviations)
    raise TypeError(f"deviations must be a dict or a wfm.simulation.Deviations; got {type(deviations).__name__}.")


# --------------------------------------------------------------------------
# Shift tables -> agent schedules.
# --------------------------------------------------------------------------


def agent_schedules(shifts):
    """
    One row per agent and shift from a shift table with an agent count per row.

    Duck-typed: ``shifts`` is a DataFrame (or an object with a ``.shifts``
    DataFrame, such as ``wfm.schedule.SchedulePlan``) with columns
    ``start``, ``end`` (timestamps, end exclusive) and ``agents`` (whole
    number of agents working that shift), and optionally ``breaks`` (a list
    of ``(start, end)`` or ``(start, end, paid)`` tuples shared by those
    agents). Other columns (``day``, ``name``, ``contract``, ...) are
    carried over.

    Each of a row's agents becomes its own agent: the table says how many
    agents work a shift, not who, so the same person on two days appears as
    two agents.

    Parameters
    ----------
    shifts : DataFrame or object with a ``shifts`` DataFrame

    Returns
    -------
    schedules : DataFrame
        Columns ``agent`` (0, 1, ... in row order), ``shift`` (the row of
        ``shifts`` it came from), ``start``, ``end``, ``breaks`` and the
        carried columns; ready for ``wfm.simulate(calls, aht, schedules)``.

    Examples
    --------
    >>> shifts = pd.DataFrame({
    ...     "name": ["early", "late"],
    ...     "start": pd.to_datetime(["2024-01-01 08:00", "2024-01-01 12:00"]),
    ...     "end": pd.to_datetime(["2024-01-01 16:00", "2024-01-01 20:00"]),
    ...     "agents": [2, 1],
    ...     "breaks": [[(pd.Timestamp("2024-01-01 12:00"), pd.Timestamp("2024-01-01 12:30"), False)], []],
    ... })
    >>> agent_schedules(shifts)[["agent", "shift", "name", "start", "end"]]
       agent  shift   name               start                 end
    0      0      0  early 2024-01-01 08:00:00 2024-01-01 16:00:00
    1      1      0  early 2024-01-01 08:00:00 2024-01-01 16:00:00
    2      2      1   late 2024-01-01 12:00:00 2024-01-01 20:00:00
    """
    frame = getattr(shifts, "shifts", shifts)
    v.check_frame_columns(frame, "shifts", ["start", "end", "agents"],
                    hint="Give one row per shift with the number of agents working it.")
    counts = v.as_float_array(frame["agents"], "shifts['agents']")
    v.check_rows(~((counts >= 0) & (counts == np.floor(counts)) & np.isfinite(counts)), "shifts['agents']",
                 "be a whole number >= 0 of agents")
    counts = counts.astype(np.int64)
    rows = np.repeat(np.arange(len(frame)), counts)
    out = frame.iloc[rows].drop(columns=["agents"]).reset_index(drop=True)
    out.insert(0, "shift", rows)
    out.insert(0, "agent", np.arange(rows.size))
    if "breaks" not in out.columns:
        out["breaks"] = [[] for _ in range(len(out))]
    return out


# --------------------------------------------------------------------------
# Duty periods.
# --------------------------------------------------------------------------


def activity_log(schedules):
    """
    The planned activities of individual schedules, one row per stretch.

    Each shift becomes ``work`` stretches around its breaks; a paid break is
    ``break`` and an unpaid one ``lunch``, the labels the simulator's
    agent-state log uses. This is the schedule that
    :func:`wfm.evaluate.kpis` and :func:`wfm.adherence` compare an
    agent-state log with.

    Parameters
    ----------
    schedules : DataFrame or object with a ``shifts`` DataFrame
        One row per agent and shift (``agent``, ``start``, ``end``,
        optional ``breaks`` of ``(start, end)`` or ``(start, end, paid)``),
        or a shift table with an ``agents`` count per row, expanded by
        :func:`agent_schedules`.

    Returns
    -------
    DataFrame
        Columns ``agent``, ``activity``, ``start``, ``end``, sorted by agent
        and start.

    Examples
    --------
    >>> shifts = pd.DataFrame({
    ...     "start": pd.to_datetime(["2024-01-01 08:00"]), "end": pd.to_datetime(["2024-01-01 16:00"]),
    ...     "agents": [1],
    ...     "breaks": [[(pd.Timestamp("2024-01-01 12:00"), pd.Timestamp("2024-01-01 12:30"), False)]],
    ... })
    >>> activity_log(shifts)
       agent activity               start                 end
    0      0     work 2024-01-01 08:00:00 2024-01-01 12:00:00
    1      0    lunch 2024-01-01 12:00:00 2024-01-01 12:30:00
    2      0     work 2024-01-01 12:30:00 2024-01-01 16:00:00
    """
    frame = getattr(schedules, "shifts", schedules)
    if isinstance(frame, pd.DataFrame) and "agent" not in frame.columns and "agents" in frame.columns:
        frame = agent_schedules(frame)
    v.check_frame_columns(frame, "schedules", ["agent", "start", "end"])
    breaks = frame["breaks"] if "breaks" in frame.columns else pd.Series([[]] * len(frame), index=frame.index)
    # Breaks as rows: agent, activity, start, end (one row per break, no loop over intervals).
    flat = breaks.explode().dropna()
    rows = [frame[["agent", "start", "end"]].assign(activity="work")]
    if len(flat):
        items = pd.DataFrame(flat.tolist(), index=flat.index).iloc[:, :3]
        paid = items[2].astype(bool) if items.shape[1] > 2 else pd.Series(True, index=items.index)
        rows.append(pd.DataFrame({"agent": frame.loc[flat.index, "agent"].to_numpy(),
                                  "start": pd.to_datetime(items[0]).to_numpy(),
                                  "end": pd.to_datetime(items[1]).to_numpy(),
                                  "activity": np.where(paid.to_numpy(), "break", "lunch")}))
    marks = pd.concat(rows, ignore_index=True)
    # Cut each shift's work at its breaks: the boundaries of one agent's shift, in time order.
    shift_of = np.concatenate([np.arange(len(frame))] + ([flat.index.map(frame.index.get_loc).to_numpy()]
                                                          if len(flat) else []))
    marks["shift"] = shift_of
    off = marks[marks["activity"] != "work"].sort_values(["shift", "start"])
    work = frame[["agent", "start", "end"]].reset_index(drop=True)
    edges = pd.concat([
        pd.DataFrame({"shift": np.arange(len(work)), "t": work["start"], "kind": 0}),
        pd.DataFrame({"shift": off["shift"].to_numpy(), "t": off["start"].to_numpy(), "kind": 1}),
        pd.DataFrame({"shift": off["shift"].to_numpy(), "t": off["end"].to_numpy(), "kind": 0}),
        pd.DataFrame({"shift": np.arange(len(work)), "t": work["end"], "kind": 1}),
    ]).sort_values(["shift", "t", "kind"], kind="stable").reset_index(drop=True)
    # kind 0 opens a work stretch, kind 1 closes it; pairs alternate within a shift.
    opens, closes = edges.iloc[0::2].reset_index(drop=True), edges.iloc[1::2].reset_index(drop=True)
    stretches = pd.DataFrame({"agent": work["agent"].to_numpy()[opens["shift"].to_numpy()], "activity": "work",
                              "start": opens["t"].to_numpy(), "end": closes["t"].to_numpy()})
    stretches = stretches[stretches["end"] > stretches["start"]]
    out = pd.concat([stretches, off[["agent", "activity", "start", "end"]]], ignore_index=True)
    return out.sort_values(["agent", "start"], kind="stable").reset_index(drop=True)


@dataclass
class Periods:
    """Duty periods of every agent (see :mod:`wfm.simulation._engine`) and what the log needs.

    Arrays run over periods, grouped by agent and chronological within one.
    ``gap_state`` is the state of the time between the previous period of the
    same agent and this one (:data:`STATES` code, or -1 when not logged).
    ``shift`` is the schedule row of each period (-1 for counts); ``shifts``
    holds, per schedule row, the agent code, scheduled start and end.
    """

    agent: np.ndarray
    on_start: np.ndarray
    on_end: np.ndarray
    relative: np.ndarray
    drain: np.ndarray
    gap_state: np.ndarray
    shift: np.ndarray
    labels: object  # agent code -> label (Index)
    shifts: dict | None = None
    gap: np.ndarray | None = None  # break lengths of relative periods (schedules)


def drain_times(start, end, block_end):
    """End of the first open block that closes in (start, end], else -inf."""
    k = np.searchsorted(block_end, start, side="right")
    inside = k < block_end.size
    closes = np.full(start.shape, np.inf)
    closes[inside] = block_end[k[inside]]
    return np.where(closes <= end, closes, -np.inf)


def periods_from_counts(agents, starts, interval, block_first, block_last, block_end):
    """Duty periods of agent k = runs of intervals with more than k agents, within each open block."""
    n = agents.astype(np.int64)
    t = n.size
    prev = np.r_[0, n[:-1]]
    prev[block_first] = 0
    nxt = np.r_[n[1:], 0]
    nxt[block_last] = 0

    def ranges(low, high):
        cnt = np.maximum(high - low, 0)
        pos = np.repeat(np.arange(t), cnt)
        offset = np.arange(pos.size) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        return pos, low[pos] + offset

    s_pos, s_rank = ranges(prev, n)  # rank k starts a run at interval s_pos
    e_pos, e_rank = ranges(nxt, n)  # rank k ends a run with interval e_pos
    s_order = np.lexsort((s_pos, s_rank))
    e_order = np.lexsort((e_pos, e_rank))
    s_pos, rank, e_pos = s_pos[s_order], s_rank[s_order], e_pos[e_order]
    on_start = starts[s_pos]
    on_end = starts[e_pos] + interval
    block = np.cumsum(block_first) - 1
    same_block = np.r_[False, (rank[1:] == rank[:-1]) & (block[s_pos[1:]] == block[e_pos[:-1]])]
    return Periods(
        agent=rank,
        on_start=on_start,
        on_end=on_end,
        relative=np.zeros(rank.size, dtype=bool),
        drain=drain_times(on_start, on_end, block_end),
        gap_state=np.where(same_block, LOGGED_OUT, _NOT_LOGGED),
        shift=np.full(rank.size, -1),
        labels=pd.Index(np.arange(int(n.max()) if t else 0), name="agent"),
    )


def _break_state(item, name, row):
    """(start, end, state code) of one break of row ``row``."""
    if not isinstance(item, (tuple, list)) or len(item) not in (2, 3):
        raise TypeError(f"{name}: each break must be a (start, end) or (start, end, paid) tuple; row {row} has "
                        f"{item!r}.")
    state = BREAK
    if len(item) == 3:
        kind = item[2]
        if isinstance(kind, (bool, np.bool_)):
            state = BREAK if kind else LUNCH  # paid breaks are breaks, unpaid ones lunches
        elif kind in ("break", "lunch"):
            state = BREAK if kind == "break" else LUNCH
        else:
            raise ValueError(f"{name}: the third item of a break is paid (True/False) or 'break'/'lunch'; "
                             f"row {row} has {kind!r}.")
    return item[0], item[1], state


def schedule_table(schedules, origin, name="agents"):
    """Validate individual schedules and turn them into nominal duty periods (no deviations).

    Times become seconds from ``origin``. Each shift gives one period before
    its first break, one between consecutive breaks and one after the last;
    the periods after a break are relative (they start a break's length after
    the agent leaves the previous period) and ``gap`` holds that length, while
    ``on_start`` holds the scheduled absolute start. ``shifts`` holds each
    row's agent code, start and end. ``drain`` is left unset (see
    :func:`apply_deviations`).
    """
    frame = getattr(schedules, "shifts", schedules)
    if isinstance(frame, pd.DataFrame) and "agent" not in frame.columns and "agents" in frame.columns:
        frame = agent_schedules(frame)
    v.check_frame_columns(frame, name, ["agent", "start", "end"],
                          hint="Give one row per agent and shift, or a shift table with an 'agents' count per row.")
    frame = frame.reset_index(drop=True)
    start_ts = v.check_timestamps(frame["start"], f"{name}['start']")
    end_ts = v.check_timestamps(frame["end"], f"{name}['end']")
    v.check_same_clock(start_ts, f"{name}['start']", pd.DatetimeIndex([origin]), "calls.index")
    labels = _RowLabels(frame["agent"], start_ts)
    start = np.asarray((start_ts - origin).total_seconds())
    end = np.asarray((end_ts - origin).total_seconds())
    v.check_rows(~(end > start), name, "end after they start (end > start)", labels=labels,
                 hint="Shifts are [start, end) with end exclusive.")
    codes, uniques = pd.factorize(frame["agent"])
    v.check_rows(codes < 0, f"{name}['agent']", "name an agent in every row", labels=labels)
    # One agent's shifts must not overlap.
    order = np.lexsort((start, codes))
    overlap = np.zeros(len(frame), dtype=bool)
    overlap[order[1:]] = (codes[order[1:]] == codes[order[:-1]]) & (start[order[1:]] < end[order[:-1]])
    v.check_rows(overlap, name, "give each agent shifts that do not overlap", labels=labels)

    breaks = frame["breaks"] if "breaks" in frame.columns else None
    fast = _plain_periods(breaks, order, start, end, origin, codes)
    agent, nom_start, nom_end, relative, gap, gap_state, shift = fast or ([], [], [], [], [], [], [])
    for row in order.tolist() if fast is None else []:  # the row-by-row reading checks and names odd breaks
        s, e = start[row], end[row]
        items = breaks.iloc[row] if breaks is not None else None
        items = _break_list(items, f"{name}['breaks']", row)
        spans = []
        for item in items:
            b0, b1, state = _break_state(item, f"{name}['breaks']", row)
            b0, b1 = (_as_seconds(b, start_ts[row], origin, f"{name}['breaks']", row) for b in (b0, b1))
            spans.append((b0, b1, state))
        spans.sort()
        at = s
        for b0, b1, _ in spans:
            if not (s <= b0 < b1 <= e) or b0 < at:
                raise ValueError(f"{name}['breaks'] must lie inside their shift, end after they start and not "
                                 f"overlap; row {row} ({labels[row]}) has a break from {b0 - s:+g} s to "
                                 f"{b1 - s:+g} s after the shift start (shift length {e - s:g} s).")
            at = b1
        edges = [(s, _NOT_LOGGED, 0.0)] + [(b1, st, b1 - b0) for b0, b1, st in spans]
        ends = [b0 for b0, _, _ in spans] + [e]
        for j, ((p0, state, dur), p1) in enumerate(zip(edges, ends)):
            agent.append(codes[row])
            nom_start.append(p0)
            nom_end.append(p1)
            relative.append(j > 0)
            gap.append(dur)
            gap_state.append(state)
            shift.append(row)
    periods = Periods(
        agent=np.asarray(agent, dtype=np.int64),
        on_start=np.asarray(nom_start, dtype=float),
        on_end=np.asarray(nom_end, dtype=float),
        relative=np.asarray(relative, dtype=bool),
        drain=np.full(len(agent), -np.inf),
        gap_state=np.asarray(gap_state, dtype=np.int64),
        shift=np.asarray(shift, dtype=np.int64),
        labels=pd.Index(uniques, name="agent"),
        shifts={"agent": codes, "start": start, "end": end},
        gap=np.asarray(gap, dtype=float),
    )
    return periods


class _RowLabels:
    """'agent A from YYYY-MM-DD HH:MM' of each schedule row, written only for the rows a message names."""

    def __init__(self, agents, starts):
        self.agents, self.starts = agents, starts

    def __len__(self):
        return len(self.agents)

    def __getitem__(self, row):
        return f"agent {self.agents.iloc[row]} from {_fmt(self.starts[row])}"


def _plain_state(size, kind):
    """The state code of a plain break, or None when the row-by-row reading must judge it."""
    if size == 2:
        return BREAK
    if isinstance(kind, (bool, np.bool_)):
        return BREAK if kind else LUNCH
    return {"break": BREAK, "lunch": LUNCH}.get(kind) if isinstance(kind, str) else None


def _plain_periods(breaks, order, start, end, origin, codes):
    """
    The duty periods of :func:`schedule_table` in one pass over every shift, when the breaks are plain.

    Plain: each row's breaks None, NaN or a list (tuple, array) of ``(start, end)`` or ``(start, end, paid)``
    tuples with pd.Timestamp bounds on the time zone of ``origin``, paid a bool or 'break'/'lunch', each break
    inside its shift and after the one before. Returns None for anything else, and the row-by-row reading then
    gives the answer or the error naming the row. The arrays are those the row-by-row reading builds.
    """
    cells = np.full(len(order), None, dtype=object) if breaks is None else breaks.to_numpy(dtype=object)
    if not all(c is None or isinstance(c, (list, tuple, np.ndarray, pd.Series)) or isinstance(c, float) and np.isnan(c)
               for c in cells):
        return None
    items = pd.Series(cells[order], index=np.arange(len(order)), dtype=object).explode().dropna()
    size = [len(x) if isinstance(x, (tuple, list)) else -1 for x in items]
    if len(items) != sum(len(c) for c in cells if not (c is None or isinstance(c, float))) or not all(
            k in (2, 3) for k in size):
        return None
    zone = str(origin.tz)
    b0 = [x[0] for x in items]
    b1 = [x[1] for x in items]
    if not all(type(x) is pd.Timestamp and str(x.tz) == zone for x in b0 + b1):
        return None
    state = [_plain_state(k, x[2] if k == 3 else None) for k, x in zip(size, items)]
    if None in state:
        return None
    pos = items.index.to_numpy(dtype=np.int64)  # each break's shift, as its place in ``order``
    state = np.asarray(state, dtype=np.int64)
    b0, b1 = ((np.asarray((pd.DatetimeIndex(b) - origin).total_seconds(), dtype=float) if len(b) else np.zeros(0))
              for b in (b0, b1))
    by = np.lexsort((state, b1, b0, pos))  # each shift's breaks in time order, as the reading sorts them
    pos, b0, b1, state = pos[by], b0[by], b1[by], state[by]
    row = order[pos]
    first = np.r_[True, pos[1:] != pos[:-1]] if len(pos) else np.zeros(0, dtype=bool)
    after = np.where(first, start[row], np.r_[0.0, b1[:-1]][:len(pos)])
    if not ((start[row] <= b0) & (b0 < b1) & (b1 <= end[row]) & (b0 >= after)).all():
        return None
    # one head period per shift, then one after each break, grouped by shift in ``order``
    n = len(order)
    key = np.r_[np.arange(n), pos]
    is_head = np.r_[np.ones(n, dtype=bool), np.zeros(len(pos), dtype=bool)]
    seq = np.lexsort((~is_head, key))
    key, is_head = key[seq], is_head[seq]
    rows = order[key]
    next_b0 = np.r_[np.r_[np.full(n, np.nan), b0][seq][1:], np.nan]
    same = np.r_[key[1:] == key[:-1], False]
    return (codes[rows].astype(np.int64), np.r_[start[order], b1][seq], np.where(same, next_b0, end[rows]), ~is_head,
            np.r_[np.zeros(n), b1 - b0][seq], np.r_[np.full(n, _NOT_LOGGED, dtype=np.int64), state][seq],
            rows.astype(np.int64))


def _break_list(items, name, row):
    """The breaks of one row as a list: None, NaN and empty mean none."""
    if items is None or (isinstance(items, float) and np.isnan(items)):
        return []
    if isinstance(items, (list, tuple, np.ndarray, pd.Series)):
        return list(items)
    raise TypeError(f"{name} must hold a list of (start, end) tuples per row; row {row} has {items!r}.")


def _fmt(ts):
    return ts.strftime("%Y-%m-%d %H:%M") if isinstance(ts, pd.Timestamp) else str(ts)


def _as_seconds(value, shift_start, origin, name, row):
    """A break bound (timestamp, or timedelta from the shift start) in seconds from origin."""
    if isinstance(value, (pd.Timedelta, np.timedelta64)) or hasattr(value, "total_seconds") and not isinstance(
            value, pd.Timestamp):
        return float((shift_start + pd.Timedelta(value) - origin).total_seconds())
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name}: break bounds must be timestamps or timedeltas from the shift start; row {row} "
                        f"has {value!r}.") from None
    if (ts.tz is None) != (origin.tz is None):
        raise ValueError(f"{name}: row {row}: " + v.mixed_clocks(
            f"the break bound {value!r}", ts.tz, "calls.index", origin.tz,
            "give break bounds as timedeltas from the shift start (e.g. pd.Timedelta('2h')), or on the clock of "
            "calls.index"))
    return float((ts - origin).total_seconds())


def nominal_coverage(periods, grid_start, interval, overlap):
    """Scheduled agents on duty per interval (shift time less breaks), no deviations."""
    return overlap(periods.on_start, periods.on_end, grid_start, interval) / interval


def apply_deviations(periods, deviations, rng, block_end):
    """Duty periods of one replication: deviations drawn, then drain times set.

    A late log-in moves the start of the shift's first period (periods that
    end before it are dropped); an early log-out cuts its last one (periods
    that start after it are dropped); an absence, or a delay that reaches the
    end of the shift, drops the shift; a long break lengthens the break
    before a relative period. The same number of random numbers is drawn
    whatever the rates, so runs that differ only in a rate share every other
    draw. Returns Periods ready for :func:`wfm.simulation._engine.serve`
    (``on_start`` of a relative period holds its break length) whose
    ``shifts`` dict also says which shifts were ``worked``.
    """
    sh = periods.shifts
    m = sh["start"].size
    u = rng.random((3, m))
    delays = rng.standard_exponential((2, m))
    long_u = rng.random(periods.agent.size)
    long_x = rng.standard_exponential(periods.agent.size)

    late = np.where(u[0] < deviations.late_login_rate, delays[0] * deviations.late_login_mean, 0.0)
    early = np.where(u[1] < deviations.early_logout_rate, delays[1] * deviations.early_logout_mean, 0.0)
    login = sh["start"] + late
    leave = sh["end"] - early
    absent = (u[2] < deviations.absence_rate) | (login >= leave)  # a delay past the end is an absence

    row = periods.shift
    keep = ~absent[row] & (periods.on_end > login[row]) & (periods.on_start < leave[row])
    # the first kept period of a shift is a log-in at max(scheduled start, late log-in)
    first = keep & ~np.r_[False, keep[:-1] & (row[1:] == row[:-1])]
    last = keep & ~np.r_[keep[1:] & (row[1:] == row[:-1]), False]
    relative = periods.relative & ~first
    gap = periods.gap + np.where(long_u < deviations.long_break_rate, long_x * deviations.long_break_mean, 0.0)
    on_start = np.where(first, np.maximum(periods.on_start, login[row]),
                        np.where(relative, gap, periods.on_start))
    on_end = np.where(last, np.minimum(periods.on_end, leave[row]), periods.on_end)
    gap_state = np.where(first, _NOT_LOGGED, periods.gap_state)
    nominal_start = np.where(first, on_start, periods.on_start)
    out = Periods(
        agent=periods.agent[keep],
        on_start=on_start[keep],
        on_end=on_end[keep],
        relative=relative[keep],
        drain=drain_times(nominal_start[keep], on_end[keep], block_end),
        gap_state=gap_state[keep],
        shift=row[keep],
        labels=periods.labels,
        shifts={**sh, "worked": np.bincount(row[keep], minlength=m) > 0},
    )
    return out


def logged_out_rows(periods, login, logout):
    """Scheduled time not logged in: before a late log-in, after an early log-out, absent shifts.

    Returns (agent code, start, end) arrays.
    """
    sh = periods.shifts
    row = periods.shift
    if row.size:
        first = np.r_[True, row[1:] != row[:-1]]
        last = np.r_[row[1:] != row[:-1], True]
    else:
        first = last = np.zeros(0, dtype=bool)
    a = [sh["agent"][row[first]], sh["agent"][row[last]], sh["agent"][~sh["worked"]]]
    s = [sh["start"][row[first]], logout[last], sh["start"][~sh["worked"]]]
    e = [login[first], sh["end"][row[last]], sh["end"][~sh["worked"]]]
    return np.concatenate(a), np.concatenate(s), np.concatenate(e)
