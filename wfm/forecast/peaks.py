"""
Peak periods of an interval series, and its weekday x time-of-day heatmap.

Works on history and forecasts alike (calls per interval on a DatetimeIndex
of interval starts; times are the local wall clock).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _validation as v
from ..calendar import wall_clock

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _series(calls, name="calls"):
    index, values = v.check_interval_history(calls, name)
    return pd.Series(values, index=wall_clock(index)), index


def peak_periods(calls):
    """
    The busiest interval and hour of each day, the busiest weekday and the busiest week of the month.

    Parameters
    ----------
    calls : Series
        Calls per interval (history or forecast) on a DatetimeIndex of
        interval starts. [calls per interval]

    Returns
    -------
    DataFrame
        One row per peak, columns:

        - ``level``: ``"interval"`` and ``"hour"`` (one row per day),
          ``"weekday"`` and ``"week_of_month"`` (one row each);
        - ``period``: the date the peak was taken within, or ``"all"``;
        - ``peak``: the peak's start (interval, hour; local time), weekday
          name, or week of the month (1: days 1-7, ..., 5: days 29-31);
        - ``calls``: calls in the peak interval or clock hour, or mean
          calls per day on that weekday or week of the month [calls];
        - ``peak_to_average``: ``calls`` over the mean of the alternatives
          (the day's intervals or hours, the weekdays, the weeks of the
          month) [ratio].

    Examples
    --------
    >>> from wfm.datasets import bank_calls
    >>> peaks = peak_periods(bank_calls("30min"))
    >>> peaks.query("level in ['weekday', 'week_of_month']").round(3)
                 level period peak      calls  peak_to_average
    328        weekday    all  Mon  36339.323            1.120
    329  week_of_month    all    1  33763.167            1.036
    >>> busiest = peaks.query("level == 'interval'")["peak"]
    >>> pd.Series([t.strftime("%H:%M") for t in busiest]).value_counts().index[0]
    '10:00'
    """
    s, _ = _series(calls)
    day = s.index.normalize()
    rows = []
    by_day = s.groupby(day)
    top = by_day.idxmax()
    mean = by_day.mean()
    for d, ts in top.items():
        rows.append(("interval", d.date(), ts, s[ts], _ratio(s[ts], mean[d])))
    hours = s.groupby(s.index.floor("h")).sum()
    hour_day = hours.index.normalize()
    for d, grp in hours.groupby(hour_day):
        ts = grp.idxmax()
        rows.append(("hour", d.date(), ts, grp[ts], _ratio(grp[ts], grp.mean())))
    daily = s.groupby(day).sum()
    by_weekday = daily.groupby(daily.index.day_of_week).mean()
    w = int(by_weekday.idxmax())
    rows.append(("weekday", "all", _WEEKDAYS[w], by_weekday[w], _ratio(by_weekday[w], by_weekday.mean())))
    week = (daily.index.day - 1) // 7 + 1
    by_week = daily.groupby(week).mean()
    k = int(by_week.idxmax())
    rows.append(("week_of_month", "all", k, by_week[k], _ratio(by_week[k], by_week.mean())))
    out = pd.DataFrame(rows, columns=["level", "period", "peak", "calls", "peak_to_average"])
    out["calls"] = out["calls"].astype(float)
    return out


def _ratio(peak, mean):
    return float(peak / mean) if mean > 0 else (0.0 if peak == 0 else float("inf"))


def profile_table(calls):
    """
    Mean calls per interval by time of day (rows) and weekday (columns).

    Parameters
    ----------
    calls : Series
        Calls per interval on a DatetimeIndex. [calls per interval]

    Returns
    -------
    DataFrame
        Index: time of day (``datetime.time``); columns: weekday names
        present; values: mean calls in that interval. [calls per interval]

    Examples
    --------
    >>> from wfm.datasets import bank_calls
    >>> table = profile_table(bank_calls("60min"))
    >>> table.shape, list(table.columns)
    ((14, 5), ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'])
    """
    s, _ = _series(calls)
    table = s.groupby([s.index.time, s.index.day_of_week]).mean().unstack()
    table.columns = [_WEEKDAYS[c] for c in table.columns]
    table.index.name = "time_of_day"
    return table


def heatmap(calls, ax=None, **kwargs):
    """
    Heatmap of mean calls by weekday and time of day; returns the Axes.

    Parameters
    ----------
    calls : Series
        Calls per interval (history or forecast). [calls per interval]
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    **kwargs
        Passed to ``imshow`` (e.g. ``cmap``).

    Returns
    -------
    matplotlib Axes
    """
    import matplotlib.pyplot as plt

    table = profile_table(calls)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 7))
    kwargs.setdefault("cmap", "viridis")
    image = ax.imshow(table.to_numpy(dtype=float), aspect="auto", interpolation="nearest", **kwargs)
    ax.set_xticks(np.arange(table.shape[1]))
    ax.set_xticklabels(table.columns)
    step = max(1, len(table) // 14)
    ax.set_yticks(np.arange(0, len(table), step))
    ax.set_yticklabels([t.strftime("%H:%M") for t in table.index[::step]], fontsize="small")
    ax.set_ylabel("time of day (interval start)")
    ax.set_title("Mean calls per interval")
    ax.figure.colorbar(image, ax=ax, label="calls per interval")
    return ax
