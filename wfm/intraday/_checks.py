"""Input checks of the intraday package: the forecast, the actuals so far, the error history."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _validation as v


def _fmt(ts):
    return pd.Timestamp(ts).strftime("%Y-%m-%d %H:%M")


def as_forecast_frame(forecast):
    """``forecast`` as a DataFrame with a float ``forecast`` column on a sorted DatetimeIndex; and its step [s]."""
    if isinstance(forecast, pd.Series):
        forecast = forecast.rename("forecast").to_frame()
    v.check_frame_columns(forecast, "forecast", ["forecast"],
                          hint="Pass wfm.forecast_volume(...)'s table or a Series of calls per interval.")
    if not isinstance(forecast.index, pd.DatetimeIndex):
        raise TypeError(f"forecast must be on a DatetimeIndex of interval starts; got a "
                        f"{type(forecast.index).__name__}.")
    v.check_unique_sorted(forecast.index, "forecast", fix="forecast.sort_index()")
    values = v.as_float_array(forecast["forecast"], "forecast", index=forecast.index)
    v.check_nonnegative(values, "forecast", "calls per interval", index=forecast.index)
    step = v.infer_interval(forecast.index, "forecast")
    out = pd.DataFrame({"forecast": values}, index=forecast.index)
    return out, step


def check_actual(actual, grid, step, now):
    """
    The actuals so far, on ``grid``, all before ``now``; returns ``(now, actual)``.

    Errors name what differs: an interval length other than the forecast's,
    timestamps the forecast's grid lacks, actuals at or after ``now``.
    """
    idx = v.check_datetime_index(actual, "actual", "of interval starts (calls that arrived so far)")
    v.check_same_clock(idx, "actual", grid, "forecast")
    values = v.as_float_array(actual, "actual", index=idx)
    v.check_nonnegative(values, "actual", "calls per interval", index=idx)
    if len(idx) > 1:
        steps = np.unique(np.asarray((idx[1:] - idx[:-1]).total_seconds()))
        if steps.min() < step or np.any(np.mod(steps, step) != 0):
            raise ValueError(
                f"actual is on a different grid from forecast: forecast's intervals are "
                f"{pd.Timedelta(seconds=step)} long, actual has steps of {pd.Timedelta(seconds=float(steps.min()))}. "
                f"Resample actual to {pd.Timedelta(seconds=step)} first, e.g. wfm.calendar.resample(actual, ...).")
    off = ~idx.isin(grid)
    if off.any():
        raise ValueError(
            f"actual is on a different grid from forecast: {int(off.sum())} of {len(idx)} timestamps are not "
            f"interval starts of forecast, first {_fmt(idx[off][0])}; forecast's intervals are "
            f"{pd.Timedelta(seconds=step)} long from {_fmt(grid[0])} to {_fmt(grid[-1])}.")
    if now is None:
        if not len(idx):
            raise ValueError("actual is empty and now is not given: give now (the time of the update).")
        now = idx[-1] + pd.Timedelta(seconds=step)
    else:
        try:
            now = pd.Timestamp(now)
        except (TypeError, ValueError):
            raise TypeError(f"now must be a timestamp; got {now!r}.") from None
        if (now.tz is None) != (grid.tz is None):
            raise ValueError(f"now is {'naive' if now.tz is None else 'in time zone ' + str(now.tz)} but forecast "
                             f"is {'naive' if grid.tz is None else 'in time zone ' + str(grid.tz)}.")
    future = idx + pd.Timedelta(seconds=step) > now
    if future.any():
        raise ValueError(
            f"actual holds {int(future.sum())} interval(s) that end after now ({_fmt(now)}): actuals in the "
            f"future, first {_fmt(idx[future][0])}. Give only intervals that ended by now, or a later now.")
    if now < grid[0] or now > grid[-1] + pd.Timedelta(seconds=step):
        raise ValueError(f"now ({_fmt(now)}) is outside forecast's span, {_fmt(grid[0])} to "
                         f"{_fmt(grid[-1] + pd.Timedelta(seconds=step))}.")
    day = day_of(grid, now)
    needed = grid[(grid.normalize() == day) & (grid < now)]
    missing = needed[~needed.isin(idx)]
    if len(missing):
        raise ValueError(f"actual misses {len(missing)} interval(s) of {day:%Y-%m-%d} before now ({_fmt(now)}), "
                         f"first {_fmt(missing[0])}; every interval of the day so far is needed (0 if no calls).")
    return now, pd.Series(values, index=idx, name="actual")


def day_of(grid, now):
    """The day being reforecast: the date of the first interval at or after ``now`` (else of the last)."""
    after = grid[grid >= now]
    return (after[0] if len(after) else grid[-1]).normalize()


def check_history(history, grid, day):
    """Past forecasts with actuals, as a frame on a DatetimeIndex, all before ``day``."""
    v.check_frame_columns(history, "history", ["forecast", "actual"],
                          hint="Past days' forecasts with what arrived, e.g. wfm.backtest('auto', calls).forecasts.")
    if not isinstance(history.index, pd.DatetimeIndex):
        if "timestamp" not in history.columns:
            raise TypeError("history must be on a DatetimeIndex or have a 'timestamp' column.")
        history = history.set_index(pd.DatetimeIndex(history["timestamp"]))
    history = history[~history.index.duplicated(keep="last")].sort_index()
    v.check_same_clock(history.index, "history", grid, "forecast")
    for col in ("forecast", "actual"):
        v.check_nonnegative(v.as_float_array(history[col], f"history[{col!r}]", index=history.index),
                            f"history[{col!r}]", "calls per interval", index=history.index)
    late = history.index >= day
    if late.any():
        raise ValueError(f"history must end before the day being reforecast ({day:%Y-%m-%d}); got "
                         f"{int(late.sum())} rows from {_fmt(history.index[late][0])}. Leave today out of it.")
    return history


def history_matrix(history, slots, day, days):
    """Past days x today's slots of forecast and actual; complete days only, the last ``days``."""
    dates = history.index.normalize()
    offsets = history.index - dates
    on = offsets.isin(slots)
    pos = pd.Index(slots).get_indexer(offsets[on])
    unique_days, row = np.unique(np.asarray(dates[on]), return_inverse=True)
    f = np.full((len(unique_days), len(slots)), np.nan)
    a = np.full_like(f, np.nan)
    f[row, pos] = history["forecast"].to_numpy(dtype=float)[on]
    a[row, pos] = history["actual"].to_numpy(dtype=float)[on]
    complete = ~np.isnan(f).any(1) & ~np.isnan(a).any(1)
    f, a = f[complete][-days:], a[complete][-days:]
    if len(f) < 5:
        raise ValueError(f"history has {len(f)} complete day(s) on the grid of {day:%Y-%m-%d} ({len(slots)} "
                         f"intervals from {pd.Timedelta(slots[0])}); at least 5 are needed. Give past days' "
                         "forecasts with actuals, e.g. wfm.backtest('weighted_average', calls, n_origins=4).forecasts.")
    return f, a, len(f)
