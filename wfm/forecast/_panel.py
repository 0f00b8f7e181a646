"""
The day x time-of-day panel every forecaster works on.

An interval history of open intervals becomes a matrix with one row per day
of the open calendar (closed days included, as rows without data) and one
column per interval of the day (local wall clock). A forecast is a matrix of
the same shape for the days ahead, read back at the requested timestamps.

Keeping the days as rows makes the calendar explicit: a closed day is a row
without data, not a run of zeros; the day after it is flagged; a weekday's
profile is a mean over rows; and a rolling-origin backtest inside the
history is a cut between two rows, with no refitting of the layout.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import _validation as v
from ..calendar import OpenCalendar, open_calendar, slot_keys

_DAY = 86_400


@dataclass(eq=False)
class Panel:
    """Days x slots of a history (rows ``[0, n_hist)``) and of the days to forecast (rows after)."""

    step: float                 # interval length [s]
    calendar: OpenCalendar
    dates: pd.DatetimeIndex     # every row's wall-clock date
    values: np.ndarray          # (days, slots) calls; NaN where not observed (and in future rows)
    weekday: np.ndarray         # (days,) 0 = Monday
    template: np.ndarray        # (days, slots) bool: slots the calendar opens that day
    observed: np.ndarray        # (days,) bool: the history has data that day
    complete: np.ndarray        # (days,) bool: observed on exactly the template slots, once each
    after_closure: np.ndarray   # (days,) bool: previous open-calendar day was closed
    factor: np.ndarray          # (days,) caller's special-day volume factor (1 = normal)
    special: np.ndarray         # (days,) bool: a caller special day (abnormal; not learned from)
    n_hist: int                 # rows that belong to the history
    month_first: np.ndarray     # (days,) position of the day among its month's open days, from 1
    month_last: np.ndarray      # (days,) position counted from the month's last open day, from 1
    rows: np.ndarray            # (future intervals,) row of each requested timestamp
    cols: np.ndarray            # (future intervals,) slot of each requested timestamp
    future_index: pd.DatetimeIndex | None = None

    @property
    def n_slots(self):
        return self.values.shape[1]

    @property
    def daily(self):
        """Calls per day (NaN on days without data)."""
        with np.errstate(invalid="ignore"):
            out = np.nansum(self.values, axis=1)
        out[~self.observed] = np.nan
        return out

    @property
    def ahead(self):
        """Rows to forecast: after the history, plus the history's last day when the future starts on it."""
        out = np.arange(len(self.dates)) >= self.n_hist
        if self.rows.size:
            out[self.rows[self.rows < self.n_hist]] = True
        return out

    def history(self, cut=None):
        """The same panel with the history cut before row ``cut`` (rows after it become future rows)."""
        cut = self.n_hist if cut is None else cut
        values = self.values.copy()
        values[cut:] = np.nan
        observed = self.observed.copy()
        observed[cut:] = False
        return _replace(self, values=values, observed=observed, n_hist=cut)


def _replace(panel, **changes):
    fields = dict(panel.__dict__)
    fields.update(changes)
    return Panel(**fields)


def _month_positions(dates, is_open, calendar):
    """
    Rank of each open day within its month, from the month's start and from its end (1-based).

    Days of the panel count as open when they have data (history) or were
    asked for (future); days beyond the panel, up to the end of its last
    month, count as open when the calendar opens them, so the last days
    asked for are not mistaken for the month's last days.
    """
    first = np.zeros(len(dates), dtype=int)
    last = np.zeros(len(dates), dtype=int)
    if not len(dates):
        return first, last
    month_end = (dates[-1] + pd.offsets.MonthEnd(0)).normalize()
    extra = pd.date_range(dates[-1] + pd.Timedelta(days=1), month_end, freq="D")
    extra_open = calendar.slots[extra.day_of_week].any(axis=1) & ~extra.isin(calendar.closed)
    all_dates = dates.append(extra)
    all_open = np.r_[is_open, extra_open]
    key = np.asarray(all_dates.year * 12 + all_dates.month)[all_open]
    frame = pd.DataFrame({"key": key})
    grp = frame.groupby("key").cumcount().to_numpy() + 1
    size = frame.groupby("key")["key"].transform("size").to_numpy()
    pos_first = np.zeros(len(all_dates), dtype=int)
    pos_last = np.zeros(len(all_dates), dtype=int)
    pos_first[all_open] = grp
    pos_last[all_open] = size - grp + 1
    return pos_first[: len(dates)], pos_last[: len(dates)]


def build_panel(history, future_index=None, *, calendar=None, open_hours=None, open_days=None, holidays=None,
                special_days=None, extra_future_days=0):
    """
    Validate a history (and future index) and lay them out as a :class:`Panel`.

    ``history`` is a Series of calls per open interval. Days of the open
    calendar missing from it are closed days (rows without data).
    Open-calendar days missing from ``future_index`` between its first and
    last day, and between the end of the history and its first day, are
    also closed, so the day after them is flagged for the backlog.
    """
    index, values = v.check_interval_history(history, "history")
    if future_index is not None:
        v.check_future_index_type(future_index)
    if calendar is None:
        calendar = open_calendar(index, open_hours=open_hours, open_days=open_days, holidays=holidays,
                                 special_days=special_days,
                                 until=None if future_index is None or not len(future_index)
                                 else _naive_day(future_index[-1]))
    step = calendar.interval
    n_slots = int(_DAY // step)
    h_date, _, h_slot = slot_keys(index, step)
    off_grid = (h_slot < 0) | (h_slot >= n_slots)
    if off_grid.any():
        raise ValueError(f"history has timestamps off the day's {n_slots} intervals"
                         f"{v.describe_positions(off_grid, index)}.")
    if future_index is not None:
        v.check_future_index(future_index, index, step)
        f_date, _, f_slot = slot_keys(future_index, step)
        f_days = pd.DatetimeIndex(pd.unique(f_date))
    else:
        f_date = f_slot = None
        f_days = pd.DatetimeIndex([])
    h_days = pd.DatetimeIndex(pd.unique(h_date))
    open_weekdays = calendar.slots.any(axis=1)
    first, last_hist = h_days[0], h_days[-1]
    last = f_days[-1] if len(f_days) else last_hist + pd.Timedelta(days=extra_future_days)
    span = pd.date_range(first, last, freq="D")
    keep = open_weekdays[span.day_of_week] | span.isin(h_days) | span.isin(f_days)
    dates = span[keep]
    n_days = len(dates)
    row_of = pd.Series(np.arange(n_days), index=dates)
    # history rows: the last history date may also start the future (an intraday reforecast)
    h_rows = row_of.reindex(h_date).to_numpy()
    n_hist = int(h_rows.max()) + 1
    mat = np.full((n_days, n_slots), np.nan)
    counts = np.zeros((n_days, n_slots), dtype=int)
    np.add.at(counts, (h_rows, h_slot), 1)
    filled = np.zeros((n_days, n_slots))
    np.add.at(filled, (h_rows, h_slot), values)
    mat[counts > 0] = filled[counts > 0]
    weekday = np.asarray(dates.day_of_week)
    template = calendar.slots[weekday].copy()
    for day, (factor, hours) in calendar.special.items():
        if hours is not None and day in row_of.index:
            template[row_of[day]] = hours
    observed = counts.sum(axis=1) > 0
    complete = observed & ((counts > 0) == template).all(axis=1) & (counts <= 1).all(axis=1)
    factor = calendar.factor(dates)
    special = np.asarray([d in calendar.special for d in dates])
    # open rows: history rows with data, and future rows the caller asked about
    is_future = np.arange(n_days) >= n_hist
    if future_index is not None:
        f_rows = row_of.reindex(f_date).to_numpy()
        # a future day that is also the history's last day gets its own row: only when the history ends before it
        asked = np.zeros(n_days, dtype=bool)
        asked[np.unique(f_rows)] = True
    else:
        f_rows = np.zeros(0, dtype=int)
        asked = is_future & template.any(axis=1) & ~dates.isin(calendar.closed)
    is_open = np.where(is_future, asked, observed)
    if future_index is not None and len(f_rows) and f_rows.min() < n_hist:
        # intraday reforecast: the future starts on the history's last date; that row is both
        is_open[f_rows.min()] = True
    cal_open = template.any(axis=1) | observed | asked
    # after_closure: the previous row of the open calendar is closed (no data / not asked for)
    after = np.zeros(n_days, dtype=bool)
    prev_closed = False
    for r in range(n_days):
        if not cal_open[r] and not is_open[r]:
            continue
        after[r] = prev_closed and is_open[r]
        prev_closed = not is_open[r]
    month_first, month_last = _month_positions(pd.DatetimeIndex(dates), is_open, calendar)
    return Panel(step=step, calendar=calendar, dates=pd.DatetimeIndex(dates), values=mat, weekday=weekday,
                 template=template, observed=observed, complete=complete, after_closure=after,
                 factor=factor, special=special, n_hist=n_hist, month_first=month_first,
                 month_last=month_last, rows=np.asarray(f_rows, dtype=int),
                 cols=np.asarray(f_slot if f_slot is not None else [], dtype=int), future_index=future_index)


def _naive_day(ts):
    ts = pd.Timestamp(ts)
    return (ts.tz_localize(None) if ts.tz is not None else ts).normalize()


def read_future(panel, matrix):
    """Values of a (days, slots) forecast matrix at the requested future timestamps."""
    return matrix[panel.rows, panel.cols]
