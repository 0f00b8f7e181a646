"""
Origins and the in-history backtest engine of the forecasting layer.

One rule for origins (:func:`origin_dates`: week starts on the calendar's
``week_start``, or any day for short histories) serves the public
:func:`wfm.backtest` and the in-history backtest that selects the method
(``method="auto"``) and calibrates the bands: the latter cuts the day x slot
panel at each origin, forecasts the next open days from the rows before the
cut and scores them with :mod:`wfm.metrics`.
"""

from __future__ import annotations

import contextvars
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import _validation as v
from .. import metrics
from ..calendar import check_week_start, infer_week_start, week_of

__all__ = ["Pairs", "Window", "backtest_origins", "collect", "origin_dates", "windows"]

#: True while :func:`wfm.backtest` runs its method: the future index is then the history's own timestamps, whose
#: gaps are the history's closures (``read_history(missing="closed")``), so the forecasters do not refuse them.
FUTURE_FROM_HISTORY = contextvars.ContextVar("wfm_future_from_history", default=False)


def _label(ts) -> str:
    return pd.Timestamp(ts).strftime("%Y-%m-%d %H:%M")


def _check_history(history):
    index = v.check_datetime_index(history, "history", "of calls per interval to backtest on")
    values = v.as_float_array(history, "history", index=index)
    v.check_nonnegative(values, "history", "calls", index=index,
                        hint="history counts calls per interval and cannot be negative.")
    if len(index) == 0:
        raise ValueError("history must hold at least one interval; got none.")
    return index


def _open_days(index):
    """Sorted distinct calendar dates (local wall time) of ``index``, and each timestamp's date."""
    days = index.normalize()
    return days.unique(), days


def backtest_origins(history, horizon=5, n_origins=4, *, week_start=None):
    """
    The last ``n_origins`` week starts with a full horizon after them and history before.

    Parameters
    ----------
    history : Series
        Calls per interval on a sorted DatetimeIndex of open intervals.
        [calls per interval]
    horizon : int
        Open days that must follow each origin in ``history``. [open days]
    n_origins : int
        How many origins. [count]
    week_start : str or int, optional
        The weekday planning weeks start on, ``"MON"``, ``"SUN"``, ``"SAT"``,
        ... (see :func:`wfm.calendar.week_of`). None (default): read from
        the history's open days (:func:`wfm.calendar.infer_week_start`:
        Sunday for a Sunday-Thursday centre, Monday for one open every day).

    Returns
    -------
    DatetimeIndex
        Week starts at 00:00 (in the history's time zone), oldest first. A
        week start that is itself closed (a holiday, or a weekday the centre
        never opens) still counts: its horizon starts on the next open day.

    Examples
    --------
    The record ends on Friday 24 October 2003; 14 October is missing, so the
    horizon of 13 October runs to Monday 20 October.

    >>> from wfm.datasets import bank_calls
    >>> backtest_origins(bank_calls("30min"), horizon=5, n_origins=3).strftime("%a %Y-%m-%d").tolist()
    ['Mon 2003-10-06', 'Mon 2003-10-13', 'Mon 2003-10-20']

    The same record planned in weeks from Sunday (the Sunday origin's
    horizon starts on Monday, the next open day):

    >>> backtest_origins(bank_calls("30min"), horizon=5, n_origins=2, week_start="SUN").strftime("%a %d %b").tolist()
    ['Sun 12 Oct', 'Sun 19 Oct']
    """
    index = _check_history(history)
    horizon = v.check_count(horizon, "horizon", unit="open days")
    n_origins = v.check_count(n_origins, "n_origins")
    return _default_origins(index, horizon, n_origins, infer_week_start(history) if week_start is None else week_start)


def origin_dates(open_dates, horizon, n_origins, week_start="MON", *, min_before=1, any_day=False):
    """
    The last ``n_origins`` origin dates: week starts (or any dates) with history before and a horizon after.

    The one rule for origins, shared by :func:`backtest` and the in-history
    backtest behind ``method="auto"`` and the bands. ``open_dates`` are the
    sorted distinct dates with data; an origin qualifies when at least
    ``min_before`` open dates precede it and at least ``horizon`` open dates
    are at or after it. With ``any_day``, every date (not only the week's
    first) is a candidate: used when the history is too short for two
    week-start origins.
    """
    dates = pd.DatetimeIndex(open_dates)
    if not len(dates):
        return dates
    first = dates[min(max(min_before, 1), len(dates)) - 1] + pd.Timedelta(days=1)
    if any_day:
        candidates = dates[dates >= first]
    else:
        start = week_of(pd.DatetimeIndex([first]), week_start)[0]
        if start < first:
            start += pd.Timedelta(days=7)
        candidates = pd.date_range(start, dates[-1], freq="7D")
    before = dates.searchsorted(candidates, side="left")
    remaining = len(dates) - before
    valid = candidates[(remaining >= horizon) & (before >= min_before)]
    return pd.DatetimeIndex(valid[-n_origins:] if n_origins else valid)


def _default_origins(index, horizon, n_origins, week_start="MON"):
    dates, _ = _open_days(index)
    valid = origin_dates(dates.tz_localize(None) if dates.tz is not None else dates, horizon, n_origins, week_start)
    if len(valid) < n_origins:
        name = pd.Timestamp(2024, 1, 1 + check_week_start(week_start)).strftime("%A")
        from .._validation import option

        fewer = f"a smaller {option('n_origins', len(valid))}" if len(valid) else "a longer history"
        raise ValueError(
            f"{option('n_origins', n_origins)}: history from {_label(index[0])} to {_label(index[-1])} has only "
            f"{len(valid)} {name}(s) (the week start) with {horizon} open days after them and history before; "
            f"pass {fewer}, a shorter horizon or explicit origins."
        )
    if index.tz is not None:
        valid = valid.tz_localize(index.tz, ambiguous=True, nonexistent="shift_forward")
    return pd.DatetimeIndex(valid, name="origin", freq=None).as_unit(index.unit)


# --------------------------------------------------------------------------
# The in-history engine: method selection and band calibration score the
# candidates on the day x slot panel, cut at the start of each of the last
# few weeks, with the same measures (wfm.metrics).
# --------------------------------------------------------------------------


@dataclass
class Window:
    cut: int                 # first row the method does not see
    rows: np.ndarray         # rows scored (observed days at/after the cut)


@dataclass
class Pairs:
    """Actual and forecast calls of every scored cell, with the window and row of each."""

    actual: np.ndarray
    forecast: np.ndarray
    window: np.ndarray
    row: np.ndarray
    seconds: list = field(default_factory=list)
    origins: list = field(default_factory=list)

    def scores(self):
        """Interval WAPE, daily WAPE and bias over every window's cells pooled (ratios of sums, :mod:`wfm.metrics`):
        the WAPE of the whole backtest, as :meth:`wfm.forecast.Backtest.summary` gives it. NaN without actuals."""
        a, f = self.actual, self.forecast
        if a.sum() <= 0:
            return {"wape": np.nan, "daily_wape": np.nan, "bias": np.nan}
        _, day = np.unique(np.stack([self.window, self.row]), axis=1, return_inverse=True)  # a day of one window
        day = day.ravel()
        return {"wape": float(metrics.wape(a, f)),
                "daily_wape": float(metrics.wape(np.bincount(day, weights=a), np.bincount(day, weights=f))),
                "bias": float(metrics.bias(a, f))}


def windows(panel, horizon_days, n_windows, min_train_days, week_start="MON", *, min_windows=2):
    """
    The in-history origins: cuts between panel rows, from :func:`origin_dates`.

    The last ``n_windows`` week starts (``week_start``) with at least
    ``min_train_days`` observed days before them and ``horizon_days``
    observed days after. When fewer than ``min_windows`` week starts
    qualify (a short history), any day qualifies, so three weeks of history
    give at least two origins.
    """
    n = panel.n_hist
    observed = panel.observed[:n] & panel.template[:n].any(axis=1)
    dates = panel.dates[:n][observed]
    found = origin_dates(dates, horizon_days, n_windows, week_start, min_before=min_train_days)
    if len(found) < min(min_windows, n_windows):
        spaced = origin_dates(dates, horizon_days, 0, week_start, min_before=min_train_days, any_day=True)
        # any day, spaced as far apart as the history allows (the last origin as late as possible)
        if len(spaced) > len(found):
            k = min(n_windows, len(spaced))
            pick = np.unique(np.round(np.linspace(0, len(spaced) - 1, k)).astype(int))
            found = spaced[pick]
    out = []
    obs_rows = np.flatnonzero(observed)
    for origin in found:
        cut = int(panel.dates[:n].searchsorted(origin, side="left"))
        rows = obs_rows[obs_rows >= cut][:horizon_days]
        if rows.size == horizon_days:
            out.append(Window(cut, rows))
    return out


def collect(point, panel, wins):
    """
    Fit ``point`` at each window's cut and gather (actual, forecast) on the observed cells after it.

    A cut whose history the method cannot learn from (it raises ValueError, e.g. top-down with no complete
    ordinary day before an early cut of a short, sparse history) is left out: the method is judged on the
    windows it can forecast, and with none the caller's fallback band applies.
    """
    actual, forecast, window, row, seconds, used = [], [], [], [], [], []
    for k, win in enumerate(wins):
        cut_panel = panel.history(win.cut)
        start = time.perf_counter()
        try:
            matrix = point(cut_panel)
        except ValueError:
            continue
        seconds.append(time.perf_counter() - start)
        block = panel.values[win.rows]
        seen = ~np.isnan(block)
        r, c = np.nonzero(seen)
        actual.append(block[r, c])
        forecast.append(matrix[win.rows][r, c])
        window.append(np.full(r.size, k))
        row.append(win.rows[r])
        used.append(win)
    if not used:
        empty = np.zeros(0)
        return Pairs(empty, empty, empty.astype(int), empty.astype(int))
    return Pairs(np.concatenate(actual), np.maximum(np.concatenate(forecast), 0.0), np.concatenate(window),
                 np.concatenate(row), seconds, [panel.dates[w.cut] for w in used])
