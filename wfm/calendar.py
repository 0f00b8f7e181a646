"""Open intervals and calendar weeks of an interval series."""

from __future__ import annotations

import pandas as pd

__all__ = ["last_full_week"]


def last_full_week(calls, open_days=5):
    """
    The last Monday-to-Sunday week in which ``calls`` has ``open_days`` open days.

    Parameters
    ----------
    calls : Series or DataFrame on a DatetimeIndex
        Interval history; only open intervals need be present.
    open_days : int
        Days with data that make a week full (5 for a weekday centre, 7 for 24/7).

    Returns
    -------
    Series or DataFrame
        The rows of that week.

    Examples
    --------
    >>> from wfm.datasets import bank_calls
    >>> week = last_full_week(bank_calls("30min"))
    >>> week.index[0], week.index[-1]
    (Timestamp('2003-10-20 07:00:00'), Timestamp('2003-10-24 20:30:00'))
    """
    if not isinstance(calls.index, pd.DatetimeIndex):
        raise TypeError("calls needs a DatetimeIndex to find calendar weeks.")
    days = calls.index.normalize()
    week_start = days - pd.to_timedelta(days.day_of_week, unit="D")
    per_week = pd.Series(days, index=week_start).groupby(level=0).nunique()
    full = per_week.index[per_week >= open_days]
    if len(full) == 0:
        raise ValueError(f"calls has no week with {open_days} open days; its weeks have at most "
                         f"{int(per_week.max()) if len(per_week) else 0}.")
    return calls[week_start == full[-1]]
