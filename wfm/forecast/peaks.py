"""
Peak periods of an interval series, and its weekday x time-of-day heatmap.

Works on history and forecasts alike (calls per interval on a DatetimeIndex
of interval starts; times are the local wall clock). :func:`peak_periods`
finds the peaks, :func:`peak_summary` puts them in four rows (what
``wfm run`` writes to ``peaks.csv``, its report and workbook).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _validation as v
from ..calendar import wall_clock

__all__ = ["MIN_DAYS_WEEKDAY", "MIN_DAYS_WEEK_OF_MONTH", "heatmap", "peak_periods", "peak_summary", "profile_table"]

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

#: The shortest span (calendar days, first to last day) for the busiest weekday: two weeks, so that each weekday's
#: mean rests on at least two days. [days]
MIN_DAYS_WEEKDAY = 14
#: The shortest span (calendar days) for the busiest week of the month: eight weeks (about two months), so that each
#: week of the month is seen in at least two months rather than in the weekday mix of a few days. [days]
MIN_DAYS_WEEK_OF_MONTH = 56

_COLUMNS = ["level", "period", "peak", "calls", "peak_to_average", "n_days", "note"]


def _series(calls, name="calls"):
    index, values = v.check_interval_history(calls, name)
    return pd.Series(values, index=wall_clock(index)), index


def _ratios(peak, mean):
    """peak / mean, 0 where both are 0 and inf where only the mean is (a day without calls has no peak)."""
    peak, mean = np.asarray(peak, dtype=float), np.asarray(mean, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(mean > 0, peak / mean, np.where(peak == 0, 0.0, np.inf))


def _daily_rows(level, s):
    """The busiest interval (``level`` "interval") or clock hour ("hour") of each day of ``s``."""
    day = s.index.normalize()
    by_day = s.groupby(day)
    top = by_day.idxmax()
    peak = s.loc[top.to_numpy()].to_numpy()
    return pd.DataFrame({"level": level, "period": [d.date() for d in top.index], "peak": top.to_numpy(),
                         "calls": peak, "peak_to_average": _ratios(peak, by_day.mean().to_numpy()),
                         "n_days": 1, "note": ""})


def _mean_row(level, daily, key, names, span, min_days, what):
    """The busiest ``key`` (weekday, week of the month) by mean calls per day; blank with a note below ``min_days``."""
    if span < min_days:
        note = (f"not computed: the series spans {span} day(s); the busiest {what} needs at least {min_days} "
                f"days, else it shows which days happen to be in the series rather than a pattern")
        return (level, "all", None, np.nan, np.nan, int(len(daily)), note)
    by_key = daily.groupby(key)
    mean = by_key.mean()
    k = int(mean.idxmax())
    return (level, "all", names(k), float(mean[k]), float(_ratios(mean[k], mean.mean())), int(by_key.size()[k]), "")


def peak_periods(calls):
    """
    The busiest interval and hour of each day, the busiest weekday and the busiest week of the month.

    A weekday or week-of-month peak needs a long enough series: the busiest
    weekday at least :data:`MIN_DAYS_WEEKDAY` (14) calendar days from the
    first day to the last, the busiest week of the month at least
    :data:`MIN_DAYS_WEEK_OF_MONTH` (56, about two months). On a shorter
    series (a five-day forecast) the row is still there, with ``peak``
    None, ``calls`` and ``peak_to_average`` NaN and a ``note`` saying why:
    on a few days the "busiest week of the month" only reflects which
    weekdays fall in it. ``n_days`` says how many days each figure rests on.

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
          None when the series is too short for it;
        - ``calls``: calls in the peak interval or clock hour, or mean
          calls per day on that weekday or week of the month [calls];
        - ``peak_to_average``: ``calls`` over the mean of the alternatives
          (the day's intervals or hours, the weekdays, the weeks of the
          month) [ratio];
        - ``n_days``: the days behind the figure: 1 for a day's peaks, the
          days of the busiest weekday or week of the month that its mean
          is taken over, all the series' days where not computed [days];
        - ``note``: why a figure is not computed, else ``""``.

    Examples
    --------
    >>> from wfm.datasets import bank_calls
    >>> peaks = peak_periods(bank_calls("30min"))
    >>> cols = ["level", "peak", "calls", "peak_to_average", "n_days"]
    >>> peaks.query("level in ['weekday', 'week_of_month']")[cols].round(3)
                 level peak      calls  peak_to_average  n_days
    328        weekday  Mon  36339.323            1.120      31
    329  week_of_month    1  33763.167            1.036      36
    >>> busiest = peaks.query("level == 'interval'")["peak"]
    >>> pd.Series([t.strftime("%H:%M") for t in busiest]).value_counts().index[0]
    '10:00'
    >>> week = peak_periods(bank_calls("30min").loc["2003-10-20":]).query("level == 'week_of_month'")
    >>> week[["peak", "calls", "n_days"]].to_string(index=False)
    'peak  calls  n_days\\nNone    NaN       5'
    """
    s, _ = _series(calls)
    hours = s.groupby(s.index.floor("h")).sum()
    daily = s.groupby(s.index.normalize()).sum()
    span = int((daily.index[-1] - daily.index[0]).days) + 1
    week = (daily.index.day - 1) // 7 + 1
    whole = pd.DataFrame([
        _mean_row("weekday", daily, daily.index.day_of_week, lambda k: _WEEKDAYS[k], span, MIN_DAYS_WEEKDAY,
                  "weekday"),
        _mean_row("week_of_month", daily, week, lambda k: k, span, MIN_DAYS_WEEK_OF_MONTH, "week of the month"),
    ], columns=_COLUMNS)
    out = pd.concat([_daily_rows("interval", s), _daily_rows("hour", hours), whole], ignore_index=True)
    out["calls"] = out["calls"].astype(float)
    out["n_days"] = out["n_days"].astype(int)
    out["peak"] = out["peak"].astype(object).where(out["peak"].notna(), None)  # concat turned None into NaN
    return out


def peak_summary(peaks):
    """
    The peaks of :func:`peak_periods` in four rows: the usual busiest interval and hour of the day, the busiest
    weekday and week of the month.

    Parameters
    ----------
    peaks : DataFrame
        The table of :func:`peak_periods`.

    Returns
    -------
    DataFrame
        One row per ``level`` (``"interval"``, ``"hour"``, ``"weekday"``,
        ``"week_of_month"``), columns:

        - ``peak`` (text): for interval and hour, the time of day (local,
          ``"10:00"``) that is most often the day's busiest (the earliest
          of a tie); the weekday name; the week of the month with its days
          (``"1 (days 1-7)"``); ``""`` where not computed;
        - ``calls``: for interval and hour, the mean over the days of the
          day's busiest interval or hour (whenever it fell) [calls]; else
          as in :func:`peak_periods` [calls per day];
        - ``peak_to_average``: for interval and hour, the mean over the days
          of the day's peak-to-average ratio; else as in
          :func:`peak_periods` [ratio];
        - ``n_days``: the days behind the figure (all days for interval and
          hour) [days];
        - ``days_at_peak``: for interval and hour, the days on which
          ``peak`` was the busiest; NaN otherwise [days];
        - ``note``: why a figure is not computed (series too short), else ``""``.

    Examples
    --------
    >>> from wfm.datasets import bank_calls
    >>> summary = peak_summary(peak_periods(bank_calls("30min")))
    >>> summary[["level", "peak", "n_days", "days_at_peak"]]
               level          peak  n_days  days_at_peak
    0       interval         10:00     164          54.0
    1           hour         10:00     164         132.0
    2        weekday           Mon      31           NaN
    3  week_of_month  1 (days 1-7)      36           NaN
    """
    need = {"level", "peak", "calls", "peak_to_average", "n_days", "note"}
    if not isinstance(peaks, pd.DataFrame) or not need <= set(peaks.columns):
        raise TypeError("peaks must be the table of wfm.forecast.peak_periods(calls) (columns "
                        f"{sorted(need)}); got {type(peaks).__name__}. Call peak_summary(peak_periods(calls)).")
    rows = []
    for level in ("interval", "hour"):
        days = peaks[peaks["level"] == level]
        if not len(days):
            continue
        counts = pd.Series([t.strftime("%H:%M") for t in days["peak"]]).value_counts().sort_index()
        rows.append({"level": level, "peak": counts.idxmax(), "calls": float(days["calls"].mean()),
                     "peak_to_average": float(days["peak_to_average"].mean()), "n_days": len(days),
                     "days_at_peak": float(counts.max()), "note": ""})
    for level in ("weekday", "week_of_month"):
        for _, row in peaks[peaks["level"] == level].iterrows():
            k = row["peak"]
            text = "" if k is None else (f"{k} (days {7 * k - 6}-{min(7 * k, 31)})" if level == "week_of_month"
                                         else str(k))
            rows.append({"level": level, "peak": text, "calls": float(row["calls"]),
                         "peak_to_average": float(row["peak_to_average"]), "n_days": int(row["n_days"]),
                         "days_at_peak": np.nan, "note": row["note"]})
    return pd.DataFrame(rows, columns=["level", "peak", "calls", "peak_to_average", "n_days", "days_at_peak", "note"])


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
