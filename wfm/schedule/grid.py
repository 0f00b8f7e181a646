"""
A week's requirement on its interval grid, and the candidate shifts on that grid.

:func:`_grid` checks the requirement (agents per interval, at most 7
calendar days on a regular grid) and reads each interval's day, slot and
opening on the local wall clock; :func:`_candidate_shifts` lists every
allowed (template, start) pair, vectorised over start times. Both feed the
model of :mod:`wfm.schedule.model`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import _validation as v
from .. import calendar as cal

# --------------------------------------------------------------------------
# The requirement and its grid.
# --------------------------------------------------------------------------


@dataclass
class _Grid:
    index: pd.DatetimeIndex
    interval: float  # seconds
    req: np.ndarray  # int
    day: np.ndarray  # 0..6: wall-clock calendar day, counted from the first
    slot: np.ndarray  # interval of the wall-clock day: wall-clock seconds after midnight / interval
    open: np.ndarray  # bool
    dates: list  # Timestamp of each of the 7 days: local midnight (in the index's time zone)
    open_days: np.ndarray  # bool, 7


def check_requirement_index(requirement, interval=None, why="(agents required in each interval of the week)", *,
                            interval_option=False):
    """
    A requirement's DatetimeIndex and interval [s]: whole agents >= 0 on one grid from the first timestamp.

    Closed intervals may be absent (a staffing plan holds only open ones), but only as a closure kept the same way
    every day: an interval missing inside a day's hours is an error (:func:`wfm._validation.check_no_holes`).
    ``interval`` None: inferred from the index (``interval_option``: the caller takes ``interval=``, and an index
    off its grid is told so). Shared by :func:`wfm.schedule_week` and
    :func:`wfm.schedule_weeks`, which put the requirement on its full grid with :func:`fill_closed`.
    """
    idx = v.check_datetime_index(requirement, "requirement", why)
    if len(idx) == 0:
        raise ValueError("requirement must hold at least one interval; got an empty Series.")
    values = v.as_float_array(requirement, "requirement", index=idx)
    v.check_nonnegative(values, "requirement", "agents", index=idx)
    v.check_whole(values, "requirement", index=idx)
    if interval is None:
        seconds = cal._interval_seconds(v.infer_interval(idx, "requirement"), "the interval of requirement")
    else:
        seconds = float(v.as_float_array(interval, "interval"))
        v.check_positive(np.asarray(seconds), "interval", "seconds")
    off = np.asarray((idx - idx[0]).total_seconds()) % seconds != 0
    if off.any():
        raise ValueError(f"requirement must be on one grid of {v._fmt_td(pd.Timedelta(seconds=seconds))} "
                         f"intervals from its first timestamp {idx[0]}; got timestamps off that grid"
                         f"{v.describe_positions(off, idx)}. Resample it (wfm.calendar.resample)"
                         f"{' or pass interval=' if interval_option else ''}.")
    v.check_no_holes(idx, "requirement", seconds)  # a row missing mid-day would get no agents
    return idx, seconds


def fill_closed(requirement, seconds, inside=None):
    """``requirement`` on its regular grid from its first to its last interval, the absent (closed) ones as 0.

    A requirement of one interval gets a closed neighbour: the interval after it, or the one before when
    ``inside(after)`` is False (a week's last interval).
    """
    step = pd.Timedelta(seconds=seconds)
    grid = pd.date_range(requirement.index[0], requirement.index[-1], freq=step)
    if len(grid) == 1:
        after = grid[0] + step
        grid = grid.append(pd.DatetimeIndex([after])) if inside is None or inside(after) \
            else pd.DatetimeIndex([grid[0] - step]).append(grid)
    return requirement.reindex(grid, fill_value=0)


def _check_requirement(requirement):
    idx = getattr(requirement, "index", None)
    if isinstance(idx, pd.DatetimeIndex) and len(idx) == 1 and idx.freq is None:
        raise ValueError("requirement must hold at least two intervals (one alone does not give the interval "
                         "length); got 1.")
    _, interval = check_requirement_index(requirement)
    requirement = fill_closed(requirement, interval)  # closed intervals a plan leaves out, as 0
    idx = requirement.index
    values = requirement.to_numpy(dtype=float)
    step = pd.Timedelta(seconds=interval)
    v.check_rule(86400 % interval == 0 and interval % 60 == 0, "requirement's interval", v._fmt_td(step),
                 "a whole number of minutes that divides a day, e.g. 15min or 30min")
    wall = cal.wall_clock(idx)
    offset = (wall - wall.normalize()).total_seconds()
    off_grid = np.asarray(offset) % interval != 0
    v.check_rule(not off_grid.any(), "requirement's timestamps", str(idx[int(np.argmax(off_grid))]),
                 f"on the {v._fmt_td(step)} grid counted from midnight on the local wall clock")
    ndays = (wall[-1].normalize() - wall[0].normalize()).days + 1
    v.check_rule(ndays <= 7, "requirement", f"<{ndays} calendar days, {idx[0]} to {idx[-1]}>",
                 "one week: at most 7 calendar days",
                 "Schedule one week at a time, or a longer horizon with wfm.schedule_weeks.")
    return values.astype(np.int64), idx, interval


def _local_midnights(dates, tz):
    """Naive wall-clock dates as timestamps of local midnight in ``tz`` (the first instant of the day)."""
    dates = pd.DatetimeIndex(dates)
    if tz is None:
        return list(dates)
    # where midnight itself is skipped by a clock change, the day starts at the first valid instant
    return list(dates.tz_localize(tz, ambiguous=np.ones(len(dates), dtype=bool), nonexistent="shift_forward"))


def _grid(requirement, rules):
    """The requirement on its grid, with days, slots and opening hours read on the local wall clock.

    Positions on the grid are elapsed time (a day of 23 or 25 hours when the
    clocks change has 2 intervals of an hour fewer or more); the day, the
    weekday and the slot within the day of each interval are those of the
    wall clock, so open hours and start windows keep their clock times.
    """
    req, idx, interval = _check_requirement(requirement)
    date, weekday, slot = cal.slot_keys(idx, interval)
    date0 = date[0]
    day = np.asarray((date - date0).days, dtype=np.int64)
    if rules.open_hours is not None:
        lo = np.full(len(idx), np.inf)
        hi = np.full(len(idx), -np.inf)
        for d, (a, b) in rules.open_hours.items():
            lo[weekday == d] = a * 60.0
            hi[weekday == d] = b * 60.0
        is_open = (slot * interval >= lo) & ((slot + 1) * interval <= hi)
        closed_need = (req > 0) & ~is_open
        if closed_need.any():
            raise ValueError(
                "requirement must be 0 outside rules['open_hours'] (local wall-clock times); got agents required "
                f"while closed{v.describe_positions(closed_need, idx)}. Widen open_hours or set those intervals to 0."
            )
    else:
        positive = req > 0
        is_open = np.zeros(len(idx), dtype=bool)
        pos_days = day[positive]
        if pos_days.size:
            first = np.full(7, len(idx))
            last = np.full(7, -1)
            where = np.flatnonzero(positive)
            np.minimum.at(first, pos_days, where)
            np.maximum.at(last, pos_days, where)
            i = np.arange(len(idx))
            is_open = (i >= first[day]) & (i <= last[day])
    open_days = np.zeros(7, dtype=bool)
    open_days[np.unique(day[is_open])] = True
    dates = _local_midnights([date0 + pd.Timedelta(days=d) for d in range(7)], idx.tz)
    return _Grid(idx, interval, req, day, slot, is_open, dates, open_days)


@dataclass
class _Shifts:
    template: np.ndarray  # index into rules.shifts
    start: np.ndarray  # interval index
    day: np.ndarray
    span: np.ndarray
    cost: np.ndarray  # per agent
    hours: np.ndarray  # paid hours per agent
    part_time: np.ndarray  # bool


def _candidate_shifts(rules, grid, templates):
    """Every allowed (template, start) on the grid, vectorised over start times per template."""
    T = len(grid.req)
    cum_open = np.r_[0, np.cumsum(grid.open)]
    parts = []
    for g in templates:
        tpl = rules.shifts[g.index]
        t = np.arange(max(T - g.span + 1, 0))
        ok = grid.open_days[grid.day[t]]
        slot = grid.slot[t]
        if g.first is not None:
            ok &= (slot >= g.first) & (slot <= g.last) & ((slot - g.first) % g.step == 0)
        else:
            ok &= slot % g.step == 0
        if tpl.within_open_hours:
            ok &= (cum_open[t + g.span] - cum_open[t]) == g.span
        parts.append((np.full(ok.sum(), g.index), t[ok]))
    tmpl = np.concatenate([p[0] for p in parts]).astype(np.int64)
    start = np.concatenate([p[1] for p in parts]).astype(np.int64)
    span = np.array([templates[j].span for j in range(len(templates))], dtype=np.int64)[tmpl]
    hours = np.array([t.paid_hours for t in rules.shifts])[tmpl]
    rate = np.array([t.rate for t in rules.shifts])[tmpl]
    pt = np.array([t.contract == "part_time" for t in rules.shifts])[tmpl]
    return _Shifts(tmpl, start, grid.day[start], span, hours * rate, hours, pt)
