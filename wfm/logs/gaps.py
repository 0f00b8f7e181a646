"""
Missing intervals inside the open hours: found, reported, and filled only as the caller says.

A history holds only the intervals a centre was open, so an absent interval
reads as closed. When it was open but the export lost the row, taking it as
closed shifts the open calendar and the forecast. :func:`fill_missing`
compares a history with its open calendar and makes the caller choose.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .. import _validation as v
from . import _parse as lp

__all__ = ["fill_missing", "MISSING"]

#: What a missing interval inside the open hours can mean.
MISSING = ("error", "zero", "closed", "interpolate")


def fill_missing(history, missing="error", *, calendar=None, open_hours=None, open_days=None, interval=None,
                 name="history", stacklevel=2):
    """
    Find the intervals missing inside the open hours of a history, and fill them as ``missing`` says.

    The open calendar (:func:`wfm.calendar.open_calendar`, inferred from the
    history unless given) says which intervals of each date in the history
    should be there. An interval missing between the history's first and
    last timestamp, on a date the history has, is a gap; a whole date that
    is absent stays closed (holidays), as in the calendar, and is reported
    in the notes and a :class:`~wfm.logs.DataWarning`.

    Parameters
    ----------
    history : Series or DataFrame
        Interval history on a sorted DatetimeIndex of interval starts (calls,
        and any other columns).
    missing : {"error", "zero", "closed", "interpolate"}
        ``"error"`` (default) raises, naming the count and the first missing
        intervals; ``"zero"`` adds them with 0 in every count column (and NaN
        AHT and rates: no call); ``"closed"`` leaves them out (the centre was
        closed then); ``"interpolate"`` adds them with values on a straight
        line in time between their neighbours on the same day.
    calendar : OpenCalendar or DatetimeIndex, optional
        The open calendar, or the exact open intervals; inferred from
        ``history`` when None.
    open_hours, open_days : optional
        Overrides of the inferred calendar, as in
        :func:`wfm.calendar.open_calendar`.
    interval : float or str, optional
        Interval length; inferred when None. [s]
    name : str
        What the history is, for messages.

    Returns
    -------
    Series or DataFrame
        The history with the gaps filled (or left out), sorted. Its
        ``.attrs["notes"]`` holds one row per adjustment (source, rows,
        problem, action); a :class:`~wfm.logs.DataWarning` repeats it when
        something was filled or left out.

    Raises
    ------
    ValueError
        For ``missing="error"`` when a gap exists: the count, the days and the
        first missing intervals, and the options that fix it.

    Examples
    --------
    Two days open 08:00-10:00 in half-hours; the second misses 09:00 (with
    weeks of history the hours are inferred; two days need them given):

    >>> idx = pd.DatetimeIndex(["2024-03-04 08:00", "2024-03-04 08:30", "2024-03-04 09:00", "2024-03-04 09:30",
    ...                         "2024-03-05 08:00", "2024-03-05 08:30", "2024-03-05 09:30"])
    >>> calls = pd.Series([10.0, 12, 14, 16, 11, 13, 17], index=idx, name="calls")
    >>> fill_missing(calls, open_hours=("08:00", "10:00"))
    Traceback (most recent call last):
    ...
    ValueError: history misses 1 open interval(s) inside its open hours, on 1 day(s): first 2024-03-05 09:00. A missing interval is not a closed one: say what it means with missing='zero' (no contact came), missing='closed' (the centre was closed) or missing='interpolate' (the record lost it).
    >>> fill_missing(calls, "interpolate", open_hours=("08:00", "10:00")).loc["2024-03-05"].tolist()
    [11.0, 13.0, 15.0, 17.0]
    """
    from .._calendar_days import days_intervals
    from ..calendar import open_calendar, wall_clock

    v.check_choice(missing, "missing", MISSING)
    if not isinstance(history, (pd.Series, pd.DataFrame)) or not isinstance(history.index, pd.DatetimeIndex):
        raise TypeError(f"{name} must be a Series or DataFrame on a DatetimeIndex of interval starts; got "
                        f"{type(history).__name__}.")
    index = history.index
    out = history.copy()
    out.attrs["notes"] = lp.notes_frame([])
    if len(index) < 2:
        return out
    if isinstance(calendar, pd.DatetimeIndex):
        expected = calendar[(calendar >= index.min()) & (calendar <= index.max())]
    else:
        cal = calendar if calendar is not None else open_calendar(index, open_hours=open_hours,
                                                                  open_days=open_days, interval=interval)
        days = pd.DatetimeIndex(pd.unique(wall_clock(index).normalize()))
        expected = days_intervals(cal, days, index.tz)
        expected = expected[(expected >= index.min()) & (expected <= index.max())]
    gaps = pd.DatetimeIndex(expected).difference(index)
    notes = []
    if not isinstance(calendar, pd.DatetimeIndex):
        span = pd.date_range(days[0], days[-1], freq="D")
        absent = span[cal.slots[span.day_of_week].any(axis=1) & ~span.isin(days)]
        if len(absent):
            shown = ", ".join(d.strftime("%a %Y-%m-%d") for d in absent[:5]) + (", ..." if len(absent) > 5 else "")
            notes.append((name, len(absent), f"day(s) missing whole: open weekdays with no data at all ({shown})",
                          "taken as closed days (holidays); add them to the history if the centre was open"))
    if len(gaps) == 0:
        if notes:
            out.attrs["notes"] = lp.notes_frame(notes)
            warnings.warn(lp.data_note_text(out.attrs["notes"]), lp.DataWarning, stacklevel=stacklevel)
        return out
    n_days = len(pd.unique(wall_clock(gaps).normalize()))
    first = ", ".join(t.strftime("%Y-%m-%d %H:%M") for t in gaps[:5]) + (", ..." if len(gaps) > 5 else "")
    problem = f"{len(gaps)} open interval(s) inside its open hours, on {n_days} day(s): first {first}"
    if missing == "error":
        raise ValueError(f"{name} misses {problem}. A missing interval is not a closed one: say what it means with "
                         f"{lp.option('missing', 'zero')} (no contact came), {lp.option('missing', 'closed')} "
                         f"(the centre was closed) or {lp.option('missing', 'interpolate')} (the record lost it).")
    frame = out.to_frame() if isinstance(out, pd.Series) else out
    if missing == "closed":
        action = "left out as closed intervals"
        result = out
    else:
        add = pd.DataFrame(np.nan, index=gaps, columns=frame.columns)
        if missing == "zero":
            for col in frame.columns:
                if col in ("calls", "answered", "abandoned", "answered_within", "abandoned_within", "handle_time"):
                    add[col] = 0.0
                elif col == "queue" or not pd.api.types.is_numeric_dtype(frame[col].dtype):
                    add[col] = frame[col].iloc[0]
            action = "added with 0 contacts"
        else:
            for col in frame.columns:
                if not pd.api.types.is_numeric_dtype(frame[col].dtype):
                    add[col] = frame[col].iloc[0]
            action = "added with values interpolated in time within their day"
        both = pd.concat([frame, add.astype({c: frame[c].dtype for c in frame.columns
                                             if not pd.api.types.is_numeric_dtype(frame[c].dtype)})]).sort_index()
        both.index.name = index.name
        if missing == "interpolate":
            numeric = [c for c in both.columns if pd.api.types.is_numeric_dtype(both[c].dtype)]
            day = wall_clock(both.index).normalize()
            both[numeric] = both[numeric].groupby(day).transform(
                lambda s: s.interpolate(method="time", limit_direction="both"))
        result = both[frame.columns[0]] if isinstance(out, pd.Series) else both
        if isinstance(out, pd.Series):
            result = result.rename(out.name)
    result.attrs["notes"] = lp.notes_frame(notes + [(name, len(gaps), f"missing inside the open hours ({problem})",
                                                     action)])
    warnings.warn(lp.data_note_text(result.attrs["notes"]), lp.DataWarning, stacklevel=stacklevel)
    return result
