"""Read interval history exported by an ACD: CSV, Parquet or a DataFrame, with the caller's column names."""

from __future__ import annotations


import numpy as np
import pandas as pd

from .tables import read_table
from . import _parse as lp

__all__ = ["read_history"]


def read_history(source, *, timestamp="timestamp", calls="calls", aht=None, handle_time=None, interval=None,
                 tz=None, sort=False):
    """
    Read and check an interval history: a timestamp column, calls, and optionally AHT or handle time.

    Parameters
    ----------
    source : str, Path or DataFrame
        A ``.csv`` (optionally ``.gz``) or ``.parquet`` file, or a table
        already in memory. Parquet needs ``pyarrow`` installed.
    timestamp : str
        Column holding each interval's start (local clock time, or with an
        offset).
    calls : str
        Column of calls offered (or handled) per interval. [calls per
        interval]
    aht : str, optional
        Column of average handle time per interval. [s]
    handle_time : str, optional
        Column of total handle time per interval, from which AHT is
        ``handle_time / calls``. [s per interval] Give ``aht`` or
        ``handle_time``, not both.
    interval : float or str, optional
        Interval length, e.g. 1800 or ``"30min"``; inferred from the
        timestamps when None. [s]
    tz : str, optional
        Time zone of naive timestamps (they are localised, keeping their
        local clock) or to convert offset-carrying timestamps to.
    sort : bool
        Sort rows by time instead of rejecting unsorted rows.

    Returns
    -------
    DataFrame
        Indexed by ``timestamp`` (a DatetimeIndex of interval starts, sorted,
        one row per interval), with a float column ``calls`` and, when AHT
        or handle time was given, ``aht`` [s] (NaN where ``calls`` is 0: no
        call, no handle time). Pass ``frame["calls"]`` to the forecasters.

    Raises
    ------
    ValueError, TypeError
        Naming the column, the problem and the rows (0-based positions in
        the table; for files, the line numbers with the header as line 1):
        missing columns, timestamps that do not parse, non-numeric or NaN
        values, negative counts, AHT <= 0 where there were calls, repeated
        timestamps, unsorted rows (unless ``sort``), and timestamps off the
        interval grid (e.g. 09:07 in 15-minute data).

    Examples
    --------
    >>> table = pd.DataFrame({"Interval": ["2024-03-04 08:00", "2024-03-04 08:30", "2024-03-04 09:00"],
    ...                       "Offered": [12, 18, 25], "HandleSec": [3600, 5400, 7250]})
    >>> read_history(table, timestamp="Interval", calls="Offered", handle_time="HandleSec")
                         calls    aht
    timestamp
    2024-03-04 08:00:00   12.0  300.0
    2024-03-04 08:30:00   18.0  300.0
    2024-03-04 09:00:00   25.0  290.0
    >>> read_history(table.iloc[[0, 2, 1]], timestamp="Interval", calls="Offered")
    Traceback (most recent call last):
    ...
    ValueError: column 'Interval' is not sorted by time (a timestamp earlier than the one before) in 1 of 3 rows: ...
    """
    if aht is not None and handle_time is not None:
        raise ValueError(f"give aht or handle_time, not both; got aht={aht!r} and handle_time={handle_time!r}.")
    frame, rows, source_name = _load(source, [c for c in (timestamp, calls, aht, handle_time) if c is not None])
    lp.check_columns(frame.columns, {"timestamp": timestamp, "calls": calls, "aht": aht,
                                    "handle_time": handle_time}, source_name)
    stamps = _timestamps(frame[timestamp], timestamp, rows, tz)
    data = {"calls": _numbers(frame[calls], calls, rows)}
    _nonnegative(data["calls"], calls, rows, "calls")
    if handle_time is not None:
        total = _numbers(frame[handle_time], handle_time, rows)
        _nonnegative(total, handle_time, rows, "seconds")
        with np.errstate(invalid="ignore", divide="ignore"):
            data["aht"] = np.where(data["calls"] > 0, total / np.where(data["calls"] > 0, data["calls"], 1), np.nan)
    elif aht is not None:
        values = _numbers(frame[aht], aht, rows, allow_nan_where=data["calls"] == 0)
        bad = (data["calls"] > 0) & ~(values > 0)
        if bad.any():
            raise lp.rows_error(aht, "must be > 0 seconds where there were calls", bad, rows, values=values,
                               hint="aht is the mean handle time per call in seconds.")
        data["aht"] = np.where(data["calls"] > 0, values, np.nan)
    order = np.arange(len(stamps))
    dup = stamps.duplicated(keep=False)
    if dup.any():
        raise lp.rows_error(timestamp, "repeats a timestamp", np.asarray(dup), rows, values=stamps,
                           hint="Each interval must appear once; sum or drop the repeats first.")
    if not stamps.is_monotonic_increasing:
        if not sort:
            back = np.r_[False, np.asarray(stamps[1:] < stamps[:-1])]
            raise lp.rows_error(timestamp, "is not sorted by time (a timestamp earlier than the one before)", back,
                               rows, values=np.asarray(frame[timestamp]), hint="Sort the table, or pass sort=True.")
        order = np.argsort(stamps.asi8, kind="stable")
    step = _step(stamps, interval)
    wall = stamps.tz_localize(None) if stamps.tz is not None else stamps
    seconds = np.asarray((wall - wall.normalize()).total_seconds())
    off = ~np.isclose(np.mod(seconds, step), 0) & ~np.isclose(np.mod(seconds, step), step)
    if off.any():
        raise lp.rows_error(timestamp, f"is off the {step / 60:g}-minute interval grid", off, rows, values=stamps,
                           hint=f"Interval starts must fall on multiples of {step:g} seconds after midnight; pass "
                                "interval= if the length was inferred wrongly.")
    out = pd.DataFrame(data, index=pd.DatetimeIndex(stamps, name="timestamp")).iloc[order]
    out.index.name = "timestamp"
    return out


def _load(source, columns):
    """(table, row label per row, description of the source)."""
    return read_table(source, "source", text=True)


def _timestamps(column, name, rows, tz):
    raw = column.to_numpy()
    parsed = pd.to_datetime(pd.Series(raw), errors="coerce", format="mixed") if raw.dtype == object \
        else pd.to_datetime(pd.Series(raw), errors="coerce")
    missing = pd.isna(pd.Series(raw)).to_numpy()
    if missing.any():
        raise lp.rows_error(name, "is empty", missing, rows)
    bad = parsed.isna().to_numpy()
    if bad.any():
        raise lp.rows_error(name, "holds values that are not timestamps", bad, rows, values=raw,
                           hint="Use a format like 2024-03-04 08:30.")
    index = pd.DatetimeIndex(parsed)
    if tz is not None:
        index = index.tz_localize(tz, ambiguous="infer", nonexistent="raise") if index.tz is None \
            else index.tz_convert(tz)
    return index


def _numbers(column, name, rows, allow_nan_where=None):
    raw = column.to_numpy()
    if raw.dtype == bool:
        raise TypeError(f"column {name!r} must be numeric; got booleans.")
    values = pd.to_numeric(pd.Series(raw), errors="coerce").to_numpy(dtype=float)
    missing = pd.isna(pd.Series(raw)).to_numpy() | (np.isnan(values) & (pd.Series(raw).astype(str).str.strip()
                                                                        .str.lower().isin(["nan", ""])).to_numpy())
    bad = np.isnan(values) & ~missing
    if bad.any():
        raise lp.rows_error(name, "holds non-numeric values", bad, rows, values=raw, kind=TypeError)
    nan = np.isnan(values)
    if allow_nan_where is not None:
        nan &= ~allow_nan_where
    if nan.any():
        raise lp.rows_error(name, "is NaN (empty)", nan, rows,
                           hint="Fill or drop those rows first; a closed interval is simply absent.")
    inf = np.isinf(values)
    if inf.any():
        raise lp.rows_error(name, "is infinite", inf, rows, values=values)
    return values


def _nonnegative(values, name, rows, unit):
    bad = values < 0
    if bad.any():
        raise lp.rows_error(name, f"must be >= 0 {unit}", bad, rows, values=values,
                           hint=f"{name} counts {unit} per interval and cannot be negative.")


def _step(stamps, interval):
    from ..calendar import _interval_seconds, infer_step

    if interval is not None:
        return _interval_seconds(interval)
    if len(stamps) < 2:
        raise ValueError("interval cannot be inferred from a single timestamp; pass interval= in seconds.")
    return infer_step(stamps.sort_values(), "the timestamp column")
