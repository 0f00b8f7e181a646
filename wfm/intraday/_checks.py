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


def check_actual(actual, grid, step, now, forecast=None):
    """
    The actuals so far, on ``grid``, all before ``now``; returns ``(now, actual)``.

    Errors name what differs, the grid before what is missing: an interval
    length other than the forecast's, timestamps the forecast's grid lacks,
    stamps at interval ends (a day starting one interval late), actuals at or
    after ``now``, then intervals of today missing before ``now``. With
    ``now`` given, rows from ``now`` on that hold 0 are left out (intervals
    not reached yet, listed as 0 by the export); without it, actuals that end
    in a run of zeros against at least :data:`ZERO_RUN_CALLS` forecast calls
    (``forecast``, values on ``grid``) are an error (:func:`check_zero_tail`).
    """
    idx = v.check_datetime_index(actual, "actual", "of interval starts (calls that arrived so far)")
    v.check_same_clock(idx, "actual", grid, "forecast")
    values = v.as_float_array(actual, "actual", index=idx)
    v.check_nonnegative(values, "actual", "calls per interval", index=idx)
    if len(idx) > 1:
        check_same_step(idx, grid, step, "actual", "forecast", calls="actual")
    off = ~idx.isin(grid)
    if off.any():
        raise ValueError(
            f"actual is on a different grid from forecast: {int(off.sum())} of {len(idx)} timestamps are not "
            f"interval starts of forecast, first {_fmt(idx[off][0])}; forecast's intervals are "
            f"{v._fmt_td(pd.Timedelta(seconds=step))} long from {_fmt(grid[0])} to {_fmt(grid[-1])}."
            + _ends_hint(idx, grid, step))
    _check_day_starts(idx, grid, step)
    if now is None:
        if not len(idx):
            raise ValueError(f"actual is empty and now is not given: give {v.option('now', '...')} (the time of the "
                             "update).")
        if forecast is not None:
            check_zero_tail(idx, values, grid, forecast, step)
        now = idx[-1] + pd.Timedelta(seconds=step)
    else:
        now = check_now(now, grid, "forecast")
        pending = (idx + pd.Timedelta(seconds=step) > now) & (values == 0)  # not reached yet, exported as 0
        idx, values = idx[~pending], values[~pending]
    future = idx + pd.Timedelta(seconds=step) > now
    if future.any():
        raise ValueError(
            f"actual holds {int(future.sum())} interval(s) that end after now ({_fmt(now)}): actuals in the "
            f"future, first {_fmt(idx[future][0])}. Give only intervals that ended by now, or a later now.")
    if now < grid[0] or now > grid[-1] + pd.Timedelta(seconds=step):
        raise ValueError(f"now ({_fmt(now)}) is outside forecast's span, {_fmt(grid[0])} to "
                         f"{_fmt(grid[-1] + pd.Timedelta(seconds=step))}.")
    day = day_of(grid, now, None if forecast is None else np.asarray(forecast) > 0)
    needed = grid[(grid.normalize() == day) & (grid < now)]
    missing = needed[~needed.isin(idx)]
    if len(missing):
        raise ValueError(f"actual misses {len(missing)} interval(s) of {day:%Y-%m-%d} before now ({_fmt(now)}), "
                         f"first {_fmt(missing[0])}; every interval of the day so far is needed (0 if no calls).")
    return now, pd.Series(values, index=idx, name="actual")


def _length(seconds):
    return v._fmt_td(pd.Timedelta(seconds=float(seconds)))


def check_same_step(idx, grid, step, name, grid_name, *, calls, example=None):
    """
    ``idx`` (of ``name``) has ``grid``'s interval length ``step`` [s] and lies on its clock.

    The interval length of ``idx`` is its shortest step within a day: shorter
    than ``step`` is a finer table, and no two intervals ``step`` apart on any
    day a coarser one (longer steps with some of ``step`` are missing
    intervals, left to the caller's check). The error names both lengths and
    how to resample: sum a finer table to the grid's intervals (``calls`` is
    what to sum, ``example`` how); a coarser one cannot be split by the data.
    """
    stamps = idx.unique().sort_values()
    same_day = stamps[1:].normalize() == stamps[:-1].normalize()
    steps = np.asarray((stamps[1:] - stamps[:-1]).total_seconds())[same_day]
    own = float(steps.min()) if steps.size else step
    want, have = _length(step), _length(own)
    if own < step and step % own == 0:
        raise ValueError(
            f"{name} is on a different grid from {grid_name}: {name}'s intervals are {have} long, {grid_name}'s "
            f"{want}. Resample {name} to {want} first: sum {calls} per {want} interval, e.g. "
            + (example or f"wfm.calendar.resample({name}, '{int(step // 60)}min')") + ".")
    if own != step:
        raise ValueError(
            f"{name} is on a different grid from {grid_name}: {name}'s intervals are {have} long, {grid_name}'s "
            f"{want}. Give {name} at {want} intervals (or finer, summed to {want}), or {grid_name} at {have}.")
    off = np.mod(np.asarray((idx - grid[0]).total_seconds()), step) != 0
    if off.any():
        raise ValueError(
            f"{name} is on a different grid from {grid_name}: {int(off.sum())} of {len(idx)} timestamps are not "
            f"on {grid_name}'s {want} grid (intervals starting {grid[0]:%H:%M}), first {_fmt(idx[off][0])}. "
            f"Stamp each interval by its start on {grid_name}'s grid.")


def _ends_hint(idx, grid, step):
    """A sentence when ``idx`` shifted back one interval lies on ``grid``: the times look like interval ends."""
    back = idx - pd.Timedelta(seconds=step)
    if back.isin(grid).all():
        return (f" The times look like interval ends: stamp each interval by its start ({back[0]:%H:%M} for "
                f"{back[0]:%H:%M}-{idx[0]:%H:%M}), as forecast is.")
    return ""


def _check_day_starts(idx, grid, step):
    """Actuals of a day that start one interval after the day's first interval of ``grid`` (stamped at ends)."""
    if not len(idx):
        return
    first = pd.Series(idx, index=idx).groupby(idx.normalize()).min()
    opens = pd.Series(grid, index=grid).groupby(grid.normalize()).min().reindex(first.index)
    late = (first - opens).to_numpy() == np.timedelta64(int(step * 1e9), "ns")
    if late.any():
        day = first.index[late][0]
        raise ValueError(
            f"actual starts at {first[day]:%H:%M} on {day:%Y-%m-%d}, one interval after forecast's first interval "
            f"({opens[day]:%H:%M}), and has none at {opens[day]:%H:%M}.{_ends_hint(idx, grid, step)} "
            f"If the {opens[day]:%H:%M} interval is really missing, add it (0 if no calls).")


def day_of(grid, now, is_open=None):
    """
    The day being reforecast: the date of the first open interval at or after ``now`` (else of the last).

    ``is_open`` (a boolean array on ``grid``, default all) marks the open
    intervals: a closed one (forecast 0) of a zero-filled 24-hour grid does
    not make its date the day, as it is absent from an open-hours grid.
    """
    is_open = np.ones(len(grid), dtype=bool) if is_open is None else np.asarray(is_open, dtype=bool)
    if not is_open.any():
        is_open = np.ones(len(grid), dtype=bool)
    after = grid[(grid >= now) & is_open]
    return (after[0] if len(after) else grid[is_open][-1]).normalize()


#: Forecast calls over a run of zero actuals at the end of ``actual`` from which the zeros are taken for intervals
#: not reached yet: at the forecast, Poisson arrivals leave such a run empty with chance e^-10 (under 1 in 20,000).
ZERO_RUN_CALLS = 10.0


def check_zero_tail(idx, values, grid, forecast, step):
    """
    Refuse actuals that end in a run of zeros against at least :data:`ZERO_RUN_CALLS` forecast calls.

    Many ACD interval reports list the rest of the day as 0; read as calls,
    the day would look over (``now`` at its close, the next day reforecast).
    The message names the run, its forecast and the two fixes: give ``now``
    (zero rows from then on are left out) or drop the rows.
    """
    if not len(values) or values[-1] != 0:
        return
    nonzero = np.flatnonzero(values != 0)
    first = int(nonzero[-1]) + 1 if nonzero.size else 0
    run = idx[first:]
    expected = float(pd.Series(np.asarray(forecast, dtype=float), index=grid).reindex(run).fillna(0.0).sum())
    if expected < ZERO_RUN_CALLS:
        return
    end = run[-1] + pd.Timedelta(seconds=step)
    drop = f"keep actual up to {_fmt(idx[first - 1])}" if first else "an empty actual with now"
    raise ValueError(
        f"actual ends in {len(run)} interval(s) of 0 calls, {_fmt(run[0])} to {_fmt(run[-1])}, against "
        f"{expected:,.0f} calls forecast: intervals not reached yet, listed as 0 by the export? Read as calls, they "
        f"would make the day look over at {_fmt(end)}. Give the time of the update, "
        f"{v.option('now', _fmt(run[0]))} (zero rows from then on are left out), or leave those rows out "
        f"({drop}). If no call really arrived (lines down), say so with {v.option('now', _fmt(end))}.")


def check_now(now, index, name, *, what="now"):
    """
    ``now`` as a Timestamp on ``index``'s clock (``name`` in the message); a clear error for a mix of clocks.

    A naive ``now`` against a time-zone index, or the other way round, is
    refused with the fix; a ``now`` in another zone is converted to
    ``index``'s.
    """
    try:
        stamp = pd.Timestamp(now)
    except (TypeError, ValueError):
        raise TypeError(f"{what} must be a timestamp; got {now!r}.") from None
    if stamp is pd.NaT:
        raise ValueError(f"{what} must be a timestamp; got {now!r}.")
    tz = getattr(index, "tz", None)
    if (stamp.tz is None) != (tz is None):
        raise ValueError(v.mixed_clocks(f"{what} ({stamp})", stamp.tz, name, tz, _now_fix(stamp, tz, name, what)))
    return stamp.tz_convert(tz) if tz is not None else stamp


def _now_fix(stamp, tz, name, what):
    """How to give ``what`` (a timestamp on the other clock than ``name``'s, zone ``tz``) on ``name``'s clock: in a
    call or, from the command line, as the flag (:func:`wfm._validation.option`)."""
    if tz is None:
        wall = f"{stamp.tz_localize(None):%Y-%m-%d %H:%M}"
        return (f"give {what} on {name}'s clock, {v.option(what, wall)} if that is {name}'s local time (else "
                f"convert it to {name}'s zone first and give that time without the zone)")
    local = pd.Timestamp(stamp).tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
    example = (v.option(what, local.isoformat(sep=" ", timespec="minutes")) if local is not pd.NaT else
               f"{what}=pd.Timestamp('{stamp:%Y-%m-%d %H:%M}', tz='{tz}')")
    return f"give {what} in {tz}, e.g. {example}"


def check_history(history, grid, day, step):
    """Past forecasts with actuals, as a frame on a DatetimeIndex, all before ``day``, on ``grid``'s intervals."""
    v.check_frame_columns(history, "history", ["forecast", "actual"],
                          hint="Past days' forecasts with what arrived, e.g. wfm.backtest('auto', calls).forecasts.")
    name = "history"
    if not isinstance(history.index, pd.DatetimeIndex):
        if "timestamp" not in history.columns:
            raise TypeError("history must be on a DatetimeIndex or have a 'timestamp' column.")
        history = history.set_index(pd.DatetimeIndex(history["timestamp"]))
        name = "history['timestamp']"  # the clock's fix is the column's, not the index's
    history = history[~history.index.duplicated(keep="last")].sort_index()
    v.check_same_clock(history.index, name, grid, "forecast")
    check_same_step(history.index, grid, step, "history", "forecast", calls="forecast and actual",
                    example=f"error_history(wfm.calendar.resample(calls, '{int(step // 60)}min'))")
    for col in ("forecast", "actual"):
        v.check_nonnegative(v.as_float_array(history[col], f"history[{col!r}]", index=history.index),
                            f"history[{col!r}]", "calls per interval", index=history.index)
    late = history.index >= day
    if late.any():
        raise ValueError(f"history must end before the day being reforecast ({day:%Y-%m-%d}); got "
                         f"{int(late.sum())} rows from {_fmt(history.index[late][0])}. Leave today out of it.")
    return history


def history_matrix(history, slots, day, days):
    """
    Past days x today's open slots of forecast and actual; complete open days only, the last ``days``.

    A closed interval (forecast 0 and actual 0, as a zero-filled 24-hour
    export has at night) counts as absent: it is no forecast error, so a day
    with one among ``slots`` is incomplete, as it is when the row is missing.
    A day whose forecast is 0 on every slot is a closed day and left out.
    The same calls on an open-hours grid and on a zero-filled one give the
    same matrices.
    """
    dates = history.index.normalize()
    offsets = history.index - dates
    on = offsets.isin(slots)
    pos = pd.Index(slots).get_indexer(offsets[on])
    unique_days, row = np.unique(np.asarray(dates[on]), return_inverse=True)
    f = np.full((len(unique_days), len(slots)), np.nan)
    a = np.full_like(f, np.nan)
    f[row, pos] = history["forecast"].to_numpy(dtype=float)[on]
    a[row, pos] = history["actual"].to_numpy(dtype=float)[on]
    closed_day = np.nansum(f, axis=1) == 0
    shut = (f == 0) & (a == 0)
    f[shut], a[shut] = np.nan, np.nan
    complete = ~np.isnan(f).any(1) & ~np.isnan(a).any(1) & ~closed_day
    f, a = f[complete][-days:], a[complete][-days:]
    if len(f) < 5:
        holed, shut_days = int((~closed_day & shut.any(1) & ~complete).sum()), int(closed_day.sum())
        why = " and ".join(([f"{holed} day(s) have closed intervals (forecast and actual 0) among them"] if holed
                            else []) + ([f"{shut_days} are closed days (forecast 0 all day)"] if shut_days else []))
        why = f"; {why}" if why else ""
        raise ValueError(f"history has {len(f)} complete day(s) on the grid of {day:%Y-%m-%d} ({len(slots)} open "
                         f"intervals from {_clock(slots[0])} to {_clock(slots[-1])}){why}; at least 5 are needed. "
                         "Give past days' forecasts with actuals, e.g. "
                         "wfm.backtest('weighted_average', calls, n_origins=4).forecasts.")
    return f, a, len(f)


def _clock(offset):
    """A time of day (an offset from midnight) as ``HH:MM``."""
    seconds = int(pd.Timedelta(offset).total_seconds())
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def open_history(calls):
    """
    ``calls`` without its closed days and closed hours, as a zero-filled 24-hour export holds them.

    A day without a single call is closed. On each weekday, the times of day
    before the first and after the last with a call on some (open) day of that
    weekday are closed hours (the nights of a zero-filled export). Both are
    left out, so a backtest sees open intervals only, as
    :func:`wfm.forecast_volume` expects; a quiet interval inside the day is
    kept (leaving it out would make a hole in every day). An open-hours
    history loses nothing.
    """
    idx = calls.index
    values = np.nan_to_num(np.asarray(calls, dtype=float))
    dates = idx.normalize()
    keep = pd.Series(values).groupby(np.asarray(dates)).transform("sum").to_numpy() > 0
    weekday, offset = np.asarray(idx.day_of_week), np.asarray(idx - dates)
    busy = pd.Series(offset[keep & (values > 0)]).groupby(weekday[keep & (values > 0)]).agg(["min", "max"])
    first = busy["min"].reindex(range(7)).to_numpy()
    last = busy["max"].reindex(range(7)).to_numpy()
    keep &= (offset >= first[weekday]) & (offset <= last[weekday])
    return calls[keep]
