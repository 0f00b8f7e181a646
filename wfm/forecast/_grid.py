"""
The regular open-interval sequence that sequence models (ETS, MSTL) fit on.

Dropping closed days from the record shifts every later week by a day, so a
weekly season of 140 half-hours no longer lines up. The grid keeps every day
of the open calendar, closed ones included, with their template intervals,
and fills closed days (and any missing interval) with the mean of the same
weekday and time over the nearest observed weeks. The sequence then has
exactly the open calendar's daily and weekly periods, and a forecast of the
next rows is read off at the requested intervals.
"""

from __future__ import annotations

import numpy as np

from .baselines import window_average_matrix


def grid_rows(panel, weeks):
    """History rows of the open calendar in the last ``weeks`` weeks (closed days included)."""
    n = panel.n_hist
    open_rows = np.flatnonzero(panel.template[:n].any(axis=1))
    if not open_rows.size:
        return open_rows
    start = panel.dates[n - 1] - np.timedelta64(7 * weeks - 1, "D")
    return open_rows[panel.dates[open_rows] >= start]


def periods(panel):
    """(intervals per open day, intervals per week) of the open calendar; day is None when days differ."""
    per_day = panel.calendar.slots.sum(axis=1)
    open_counts = set(per_day[per_day > 0].tolist())
    day = open_counts.pop() if len(open_counts) == 1 else None
    return day, int(per_day.sum())


#: A cell further than this many standard deviations from its day's profile is replaced. [count]
CLEAN_SD = 4.0
#: Coefficient of variation of a cell around its day's profile, beyond Poisson noise. [fraction]
CLEAN_CV = 0.10


def history_sequence(panel, weeks, *, clean=True):
    """
    (sequence of the last ``weeks`` weeks on the regular grid, rows used).

    Closed days, missing intervals and, with ``clean``, abnormal days (the
    day after a closure, special days, days far off in total) are replaced
    by the mean of the same weekday and slot on the nearest ordinary days;
    single intervals far from their day's profile (an outage in one
    evening) by the day's total times the weekday's profile share. A
    sequence model then learns the usual pattern, not an outage as a new
    level.
    """
    rows = grid_rows(panel, weeks)
    values = panel.values[rows].copy()
    tmpl = panel.calendar.slots[panel.weekday[rows]]
    missing = np.isnan(values) & tmpl
    replace = np.zeros(rows.size, dtype=bool)
    if clean:
        from .topdown import learnable_rows, profiles

        ok = learnable_rows(panel)
        replace = ~ok[rows] & panel.observed[rows]
        prof = profiles(panel, ok)
        with np.errstate(invalid="ignore"):
            total = np.nansum(values, axis=1)
        expected = total[:, None] * prof[panel.weekday[rows]]
        far = np.abs(values - expected) > CLEAN_SD * np.sqrt(expected + (CLEAN_CV * expected) ** 2)
        far &= ok[rows][:, None] & ~np.isnan(values)
        values = np.where(far, expected, values)
    if missing.any() or replace.any():
        filled = _local_fill(panel, rows, clean)
        values = np.where(missing | replace[:, None], filled, values)
    return values[tmpl], rows


def _local_fill(panel, rows, ordinary=True):
    """Same weekday and slot, mean of the four nearest observed (ordinary) days."""
    out = np.zeros((rows.size, panel.n_slots))
    n = panel.n_hist
    if ordinary:
        from .topdown import learnable_rows

        seen = learnable_rows(panel)
        if not seen.any():
            seen = panel.observed.copy()
    else:
        seen = panel.observed.copy()
    seen[n:] = False
    for i, r in enumerate(rows):
        same = np.flatnonzero(seen & (panel.weekday == panel.weekday[r]) & (np.arange(len(seen)) != r))
        if not same.size:
            same = np.flatnonzero(seen)
        near = same[np.argsort(np.abs(same - r), kind="stable")[:4]]
        block = panel.values[near]
        count = (~np.isnan(block)).sum(axis=0)
        out[i] = np.where(count > 0, np.nansum(block, axis=0) / np.maximum(count, 1), 0.0)
    return out


def future_steps(panel):
    """(number of grid steps to forecast, positions of the requested cells in those steps, their rows, cols)."""
    n = panel.n_hist
    last = panel.rows.max() if panel.rows.size else len(panel.dates) - 1
    rows = np.arange(n, last + 1)
    rows = rows[panel.calendar.slots[panel.weekday[rows]].any(axis=1)]
    tmpl = panel.calendar.slots[panel.weekday[rows]]
    order = np.full((len(panel.dates), panel.n_slots), -1)
    r, c = np.nonzero(tmpl)
    order[rows[r], c] = np.arange(r.size)
    return r.size, order


def to_matrix(panel, path):
    """Spread a forecast path on the regular grid back onto the panel's (days, slots) matrix."""
    steps, order = future_steps(panel)
    out = np.full(panel.values.shape, np.nan)
    have = order >= 0
    out[have] = path[order[have]]
    # requested cells outside the grid (hours the calendar does not open): the seasonal average
    want = np.zeros(panel.values.shape, dtype=bool)
    if panel.rows.size:
        want[panel.rows, panel.cols] = True
    gap = want & ~have
    if gap.any():
        out[gap] = window_average_matrix(panel, weeks=4)[gap]
    out *= np.where(panel.ahead, panel.factor, 1.0)[:, None]  # the caller's special-day factors
    return np.maximum(out, 0.0)
