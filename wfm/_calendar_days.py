"""
Open interval starts of many wall-clock days at once, for :mod:`wfm.calendar`.

One pass over every day asked for (no Python loop over days): a year of
15-minute intervals, or a contact log of several years, costs a few array
operations instead of one pandas round trip per day. The answers are those
of :meth:`wfm.calendar.OpenCalendar.day_slots` applied day by day.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["day_masks", "days_intervals", "open_intervals_from"]


def day_masks(calendar, dates):
    """Open-slot masks of ``dates``, shape (days, slots): ``calendar.day_slots`` of each date."""
    dates = pd.DatetimeIndex(dates).normalize()
    out = calendar.slots[np.asarray(dates.day_of_week, dtype=np.int64)].copy()
    zero = []
    for day, (factor, hours) in calendar.special.items():  # a handful of special days, not one per date
        on = np.asarray(dates.isin([day]), dtype=bool)
        if factor == 0:
            zero.append(on)
        elif hours is not None:
            out[on] = hours
    out[np.asarray(dates.isin(calendar.closed), dtype=bool)] = False
    for on in zero:
        out[on] = False
    return out


def _rows_and_stamps(calendar, days, tz):
    """(row, stamps): each open interval start of ``days`` (naive dates) and the position of its day."""
    masks = day_masks(calendar, days)
    step = calendar.interval
    if tz is None:
        row, slot = np.nonzero(masks)
        return row, days[row] + pd.to_timedelta(slot * step, unit="s")
    # walk absolute time across each local day, so a repeated hour appears twice and a skipped one never
    ambiguous = np.ones(len(days), dtype=bool)
    lo = days.tz_localize(tz, ambiguous=ambiguous, nonexistent="shift_forward").tz_convert("UTC")
    hi = (days + pd.Timedelta(days=1)).tz_localize(tz, ambiguous=ambiguous, nonexistent="shift_forward")
    width = pd.Timedelta(seconds=step)
    count = np.ceil(np.asarray((hi.tz_convert("UTC") - lo) / width, dtype=float)).astype(np.int64)
    rep = np.repeat(np.arange(len(days)), count)
    k = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    stamps = (lo[rep] + k * width).tz_convert(tz)
    wall = stamps.tz_localize(None)
    day = days[rep]
    seconds = np.asarray((wall - day).total_seconds())
    slot = np.floor(seconds / step).astype(int)
    keep = (np.asarray(wall.normalize() == day, dtype=bool) & np.isclose(seconds % step, 0)
            & masks[rep, np.clip(slot, 0, masks.shape[1] - 1)])
    return rep[keep], stamps[keep]


def days_intervals(calendar, days, tz):
    """Open interval starts of the wall-clock dates ``days``, in order, on their own local clock."""
    return _rows_and_stamps(calendar, pd.DatetimeIndex(days), tz)[1]


def open_intervals_from(calendar, start, days, tz, first_day):
    """The open intervals of the first ``days`` open days from ``start`` (see :func:`wfm.future_intervals`)."""
    limit = first_day + pd.Timedelta(days=max(60, 14 * days))
    found, parts, at, size = 0, [], first_day, max(2 * days + 14, 32)
    while found < days and at <= limit:  # a few growing blocks of days, each in one pass
        block = pd.date_range(at, min(limit, at + pd.Timedelta(days=size - 1)), freq="D", unit=first_day.unit)
        row, stamps = _rows_and_stamps(calendar, block, tz)
        later = np.asarray(stamps >= start, dtype=bool)
        row, stamps = row[later], stamps[later]
        open_rows = np.unique(row)
        if len(open_rows) > days - found:
            take = row <= open_rows[days - found - 1]
            row, stamps, open_rows = row[take], stamps[take], open_rows[:days - found]
        found += len(open_rows)
        parts.append(stamps)
        at, size = block[-1] + pd.Timedelta(days=1), 2 * size
    if found < days:
        raise ValueError(f"days={days}: the calendar has only {found} open day(s) in the {limit - first_day} "
                         f"after {start}; check open_days, open_hours, holidays and special_days.")
    out = parts[0].append(parts[1:]) if len(parts) > 1 else parts[0]
    return pd.DatetimeIndex(out, name="timestamp")
