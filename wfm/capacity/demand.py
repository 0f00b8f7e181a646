r"""
Demand: weekly volume and AHT over a 52-78 week horizon, and the productive FTE they require.

:func:`weekly_forecast` turns an interval history into weekly totals and
projects them with a damped trend [1]_ and, where the history spans a year,
yearly seasonality estimated from it; a shorter history takes the seasonal
indices from the caller (monthly or weekly, documented assumptions).
:func:`week_profile` is the history's representative week (the share of the
weekly volume in each weekday and interval), and :func:`required_fte` staffs
that week, scaled to each forecast week's volume and AHT, with the exact
Erlang requirement of :func:`wfm.required_agents` (same targets and model as
the weekly plans), in one vectorised call over all weeks:

.. math::

    \mathrm{FTE}_w = \frac{\sum_j n_{w,j}\, \Delta / 3600}
                          {H_{\mathrm{FTE}}\,(1 - s_w)},
    \qquad n_{w,j} = \mathrm{required\_agents}(V_w\, p_j,\ \mathrm{AHT}_w)

with :math:`p_j` the week profile, :math:`V_w` the weekly volume,
:math:`\Delta` the interval [s], :math:`H_{\mathrm{FTE}}` the paid hours of
an FTE and :math:`s_w` the week's shrinkage.
:func:`weekly_demand` runs both.

References
----------
.. [1] E. S. Gardner Jr. and E. McKenzie, "Forecasting trends in time
   series," Management Science, vol. 31, no. 10, pp. 1237-1246, 1985
   (the damped trend: the h-step trend is b * sum_{k=1..h} phi^k).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm

from .. import _validation as v
from .. import calendar as cal
from ..staffing import total_shrinkage
from ..staffing.required import _required_agents
from ._checks import check_seasonal_indices

_WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")

__all__ = ["week_profile", "weekly_forecast", "required_fte", "weekly_demand", "plan_start", "FTE_BASIS"]

#: What ``required_fte`` counts (carried as ``demand.attrs["fte_basis"]`` and ``plan.params["fte_basis"]``).
#: It is the FTE of :meth:`wfm.StaffingPlan.totals` for the same week and targets: the interval requirement
#: before shift fit. The weekly job's headline FTE (:func:`wfm.plan_headline`) is the *scheduled* FTE: whole
#: shifts cover the intervals with some slack, and only the shrinkage the schedule does not place is grossed up.
FTE_BASIS = ("interval requirement: productive agent-hours / (fte_hours_per_week x (1 - shrinkage)), before "
             "shift fit")


def _history(history, name="history"):
    v.check_datetime_index(history, name, "of interval volumes (calls per interval)")
    vals = v.as_float_array(history, name, index=history.index)
    v.check_nonnegative(vals, name, "calls", index=history.index)
    return pd.Series(vals, index=history.index, name="calls")


def week_profile(history):
    """
    The representative week of a history: each weekday-and-interval's share of the weekly volume.

    The mean calls of each (weekday, time of day) slot over the days the
    history holds, divided by their sum. Days missing from the record
    (holidays) drop out of the means instead of counting as zero.

    Parameters
    ----------
    history : Series
        Calls per interval on a DatetimeIndex (open intervals). [calls per interval]

    Returns
    -------
    profile : Series
        Shares summing to 1 on a MultiIndex (``weekday`` 0=Monday, ``time``);
        ``profile.attrs["interval"]`` is the interval length [s].

    Examples
    --------
    >>> from wfm.datasets import bank_calls
    >>> p = week_profile(bank_calls("30min"))
    >>> len(p), round(float(p.sum()), 12), p.attrs["interval"]
    (140, 1.0, 1800.0)
    """
    calls = _history(history)
    idx = calls.index
    keys = [idx.day_of_week, idx.strftime("%H:%M")]
    mean = calls.groupby(keys).mean()
    mean.index.names = ["weekday", "time"]
    total = mean.sum()
    if total <= 0:
        raise ValueError("history must hold some calls: its total is 0, so it has no weekly profile.")
    out = (mean / total).rename("share")
    out.attrs["interval"] = v.infer_interval(idx, "history")
    return out


def _week_start(history, week_start, name="week_start"):
    """The weekday (0 = Monday) the weeks start on: ``week_start`` checked, or inferred from the open days."""
    if week_start is None:
        week_start = cal.infer_week_start(history.index)
    return cal.check_week_start(week_start, name)


def _weekly_totals(calls, week_start=0):
    """
    Weekly volume: days present scaled by their weekday shares (a holiday does not lower a week).

    Weeks start on ``week_start`` (0 = Monday) at local midnight (naive labels, as :func:`wfm.calendar.week_of`).
    A week whose days hold under half of the weekday shares (the history's first or last, cut mid-week) is
    dropped instead of being scaled up from a few days.
    """
    days = cal.wall_clock(calls.index).normalize()
    daily = pd.Series(calls.to_numpy(), index=days).groupby(level=0).sum()
    wd = daily.index.day_of_week
    by_weekday = daily.groupby(wd).mean()
    share = by_weekday / by_weekday.sum()
    week = cal.week_of(daily.index, week_start)
    covered = pd.Series(share.reindex(wd).to_numpy(), index=daily.index).groupby(week).sum()
    total = daily.groupby(week).sum()
    keep = covered >= 0.5
    out = (total[keep] / covered[keep]).rename("calls")
    out.index.name = "week"
    return out


def _season_of(weeks, indices, name):
    """Seasonal index of each week (week-start timestamps; a week takes the month and ISO week of its 4th day)."""
    if not isinstance(indices, (dict, pd.Series)):
        raise TypeError(f"{name} must be a dict or Series of month (1-12) or ISO week (1-52) -> index; got "
                        f"{type(indices).__name__}.")
    table = pd.Series(indices, dtype=float)
    keys = sorted(int(k) for k in table.index)
    vals = v.as_float_array(table.to_numpy(), name)
    v.check_positive(vals, name, "(relative volume)")
    check_seasonal_indices(dict(zip(table.index, vals)), name)
    if keys == list(range(1, 13)):
        key = (weeks + pd.Timedelta(days=3)).month
    elif keys in (list(range(1, 53)), list(range(1, 54))):
        key = np.minimum((weeks + pd.Timedelta(days=3)).isocalendar().week.to_numpy(), max(keys))
    else:
        raise ValueError(f"{name} must have the keys 1-12 (months) or 1-52 (ISO weeks); got {keys[:14]}.")
    table.index = [int(k) for k in table.index]
    return table.reindex(np.asarray(key)).to_numpy(dtype=float)


def _yearly_indices(totals):
    """ISO-week seasonal indices from >= 1 year of weekly totals: ratio to a log-linear trend, smoothed."""
    t = np.arange(len(totals), dtype=float)
    y = np.log(np.maximum(totals.to_numpy(), 1e-9))
    b, a = np.polyfit(t, y, 1)
    ratio = np.exp(y - (a + b * t))
    wk = np.minimum((totals.index + pd.Timedelta(days=3)).isocalendar().week.to_numpy(), 52)
    table = pd.Series(ratio).groupby(wk).mean().reindex(range(1, 53))
    filled = pd.concat([table, table, table]).reset_index(drop=True).interpolate(limit_direction="both")
    smooth = filled.rolling(3, center=True, min_periods=1).mean().to_numpy()[52:104]
    smooth = smooth / smooth.mean()
    return dict(zip(range(1, 53), smooth))


def _damped_trend(y, horizon, damping, level, growth=0.0):
    """Log-linear trend damped by ``damping`` per week, with an OLS prediction band (log scale)."""
    n = len(y)
    t = np.arange(n, dtype=float)
    ly = np.log(np.maximum(y, 1e-9))
    b, a = np.polyfit(t, ly, 1) if n >= 2 else (0.0, ly[0])
    resid = ly - (a + b * t)
    sigma = np.sqrt((resid ** 2).sum() / max(n - 2, 1)) if n > 2 else 0.0
    h = np.arange(1, horizon + 1)
    tau = np.cumsum(damping ** h) if damping < 1 else h.astype(float)
    centre = a + b * (n - 1) + b * tau + np.log1p(growth) * h / 52.0
    sxx = ((t - t.mean()) ** 2).sum()
    se = sigma * np.sqrt(1 + 1 / n + ((n - 1 + tau - t.mean()) ** 2) / max(sxx, 1e-12))
    z = norm.ppf(0.5 + level / 2)
    return np.exp(centre), np.exp(centre - z * se), np.exp(centre + z * se), b


def weekly_forecast(history, *, weeks=78, start=None, aht=300.0, seasonal_indices=None, damping=0.98,
                    level=0.8, trend_weeks=None, growth=0.0, aht_factor=1.0, site="all", week_start=None):
    """
    Weekly volume and AHT for 52-78 weeks, with bands.

    Weekly totals come from the history's days, in the centre's weeks
    (``week_start``; a Sunday-Thursday centre's week runs Sunday to
    Saturday); a week with a holiday is scaled up by the weekday shares of
    the days it has, and a first or last week cut mid-week is scaled the
    same way when its days hold at least half the week's volume (else left
    out, and a last one is forecast instead). Volume is
    deseasonalised, a log-linear trend is fitted on the last
    ``trend_weeks`` weeks and projected damped by ``damping`` per week
    (Gardner and McKenzie 1985), and seasonality is put back:

    * history of at least 52 weeks and no ``seasonal_indices``: yearly
      ISO-week indices estimated from it (ratio to the trend, averaged per
      week of year, smoothed over 3 weeks, mean 1);
    * otherwise ``seasonal_indices`` from the caller (months 1-12, taken at
      each week's 4th day, the Thursday of a Monday week, or ISO weeks 1-52,
      also of the 4th day); without them, no seasonality.
      Only their ratios matter: the history is divided by them before the
      trend is fitted.

    The band is the OLS prediction interval of the log trend at the damped
    horizon, so it widens with the horizon.

    Parameters
    ----------
    history : Series
        Calls per interval on a DatetimeIndex. [calls per interval]
    weeks : int
        Horizon. [weeks]
    start : date-like, optional
        First week (moved back to its week's start); default the week after the
        history.
    aht : float, array or Series
        AHT [s]: one number, one per week, or a Series of interval AHT on the
        history's index (then trended like the volume, weighted by calls,
        with its own band). Under 20 s or over 2 h warns
        (:class:`wfm._validation.UnitWarning`: minutes for seconds).
    seasonal_indices : dict or Series, optional
        Month (1-12) or ISO week (1-52) -> relative volume, a multiplier
        around 1 (1.07: 7% above an average month); an index above 10 is
        refused as a percentage.
    damping : float
        Weekly damping phi of the trend, (0, 1]; 1 is a straight trend.
    level : float
        Coverage of the bands, e.g. 0.8. [0-1]
    trend_weeks : int, optional
        Weeks of history the trend is fitted on (default all).
    growth : float
        What-if growth per year on top of the trend (0.1: +10% a year).
    aht_factor : float
        What-if multiplier on AHT and its band.
    site : str
        Label of the ``site`` column.
    week_start : str or int, optional
        The weekday weeks start on, ``"MON"`` ... ``"SUN"`` or 0-6
        (:func:`wfm.calendar.check_week_start`); default inferred from the
        history's open days (:func:`wfm.calendar.infer_week_start`, as
        ``wfm init`` does): Sunday for a Sunday-Thursday centre, Monday for
        a weekday or 24/7 one.

    Returns
    -------
    forecast : DataFrame
        One row per week: ``site``, ``week`` (its first day, naive local
        midnight), ``calls``,
        ``calls_lower``, ``calls_upper`` [calls per week], ``aht``,
        ``aht_lower``, ``aht_upper`` [s], ``seasonal_index``. ``attrs`` hold
        the weekly trend [log per week], the history's weeks and
        ``week_start`` (``"MON"`` ... ``"SUN"``).

    Examples
    --------
    >>> from wfm.datasets import bank_calls
    >>> fc = weekly_forecast(bank_calls("30min"), weeks=52, aht=300)
    >>> fc["week"].iloc[0].date(), len(fc)
    (datetime.date(2003, 10, 27), 52)
    >>> bool((fc["calls_lower"] <= fc["calls"]).all() and (fc["calls"] <= fc["calls_upper"]).all())
    True
    """
    calls = _history(history)
    first_day = _week_start(calls, week_start)
    weeks = v.check_count(weeks, "weeks", unit="weeks")
    level = v.check_level_fraction(level)
    d = float(v.as_float_array(damping, "damping"))
    if not 0 < d <= 1:
        raise ValueError(f"damping must be in (0, 1] (the weekly damping of the trend; 1 = straight); got {d:g}.")
    g = float(v.as_float_array(growth, "growth"))
    if not g > -1:
        raise ValueError(f"growth must be > -1 (a fraction per year, 0.1 = +10%); got {g:g}.")
    af = float(v.as_float_array(aht_factor, "aht_factor"))
    v.check_positive(np.asarray(af), "aht_factor")
    totals = _weekly_totals(calls, first_day)
    v.check_min_history(len(totals), 4, "history", "weeks", "the weekly trend needs at least 4 weeks.")
    if trend_weeks is not None:
        trend_weeks = v.check_count(trend_weeks, "trend_weeks", minimum=4, unit="weeks")
    last = totals.index[-1]
    first = _first_week(totals, start, first_day)
    future = pd.DatetimeIndex(pd.date_range(first, periods=weeks, freq="7D"), name="week")
    gap = int((first - last).days // 7) - 1
    if seasonal_indices is None and len(totals) >= 52:
        seasonal_indices = _yearly_indices(totals)
    if seasonal_indices is not None:
        hist_season = _season_of(totals.index, seasonal_indices, "seasonal_indices")
        season = _season_of(future, seasonal_indices, "seasonal_indices")
    else:
        hist_season, season = np.ones(len(totals)), np.ones(weeks)
    y = (totals / hist_season).to_numpy()
    if trend_weeks is not None:
        y = y[-trend_weeks:]
    mid, lo, hi, slope = _damped_trend(y, weeks + gap, d, level, g)
    mid, lo, hi = mid[gap:], lo[gap:], hi[gap:]
    out = pd.DataFrame({"site": site, "week": future, "calls": mid * season, "calls_lower": lo * season,
                        "calls_upper": hi * season})
    a_mid, a_lo, a_hi = _aht_weeks(aht, calls, weeks, gap, d, level, first_day)
    out["aht"], out["aht_lower"], out["aht_upper"] = a_mid * af, a_lo * af, a_hi * af
    out["seasonal_index"] = season
    out.attrs.update({"trend_per_week": float(slope), "history_weeks": int(len(totals)), "level": level,
                      "week_start": _WEEKDAYS[first_day]})
    return out


def _first_week(totals, start, first_day):
    """The plan's first week: the week after the last of ``totals`` (weekly totals), or ``start`` moved back to its
    week's start, which must come after that last week."""
    last = totals.index[-1]
    first = last + pd.Timedelta(days=7) if start is None else pd.Timestamp(start)
    first = cal.week_of(pd.DatetimeIndex([first]), first_day)[0]
    if first <= last:
        raise ValueError(f"start must be after the history's last week ({last.date()}); got {first.date()}: give "
                         f"{v.option('start', str((last + pd.Timedelta(days=7)).date()))} or later, or leave it out "
                         "(the week after the history).")
    return first


def _common_week_start(hists, week_start):
    """The week start of all the sites' histories: ``week_start`` as given, else each one's open days', which must
    agree."""
    if week_start is None:
        starts = {str(s): cal.infer_week_start(h.index) if isinstance(h, pd.Series) and
                  isinstance(h.index, pd.DatetimeIndex) else "MON" for s, h in hists.items()}
        if len(set(starts.values())) > 1:
            raise ValueError(f"the sites' open days give different week starts {starts}, so the weeks cannot be "
                             f"inferred; give {v.option('week_start', 'MON')}, or the weekday your weeks start on, "
                             "so all plans use the same weeks.")
        week_start = next(iter(starts.values()))
    return week_start


def plan_start(history, *, start=None, week_start=None):
    """
    The first week of the plan :func:`weekly_demand` makes of ``history``, without forecasting it.

    Parameters
    ----------
    history : Series or dict of site -> Series
        Calls per interval on a DatetimeIndex, one Series per site.
    start, week_start : optional
        As in :func:`weekly_demand`.

    Returns
    -------
    first : Timestamp
        The first day of the plan's week 0: the week after the histories'
        last week, or ``start`` moved back to its week's start.

    Examples
    --------
    >>> from wfm.datasets import bank_calls
    >>> plan_start(bank_calls("30min")).date()
    datetime.date(2003, 10, 27)
    """
    hists = history if isinstance(history, dict) else {"all": history}
    if not hists:
        raise ValueError("history must hold at least one site; got an empty dict.")
    week_start = _common_week_start(hists, week_start)
    firsts = set()
    for s, hist in hists.items():
        calls = _history(hist)
        day = _week_start(calls, week_start)
        totals = _weekly_totals(calls, day)
        v.check_min_history(len(totals), 4, "history", "weeks", "the weekly trend needs at least 4 weeks.")
        firsts.add(_first_week(totals, start, day))
    if len(firsts) > 1:
        raise ValueError(_DIFFERENT_ENDS.format(v.option("start", "YYYY-MM-DD")))
    return firsts.pop()


_DIFFERENT_ENDS = "the sites' histories end in different weeks; give {} so all plans begin together."


def _aht_weeks(aht, calls, weeks, gap, damping, level, week_start=0):
    if isinstance(aht, pd.Series) and isinstance(aht.index, pd.DatetimeIndex):
        v.check_aligned(calls=calls, aht=aht)
        a = v.as_float_array(aht, "aht", index=aht.index)
        v.check_positive(a, "aht", "seconds", index=aht.index)
        v.warn_implausible(a, "aht", index=aht.index, stacklevel=4)  # minutes for seconds, as the weekly plan warns
        work = pd.Series(a * calls.to_numpy(), index=calls.index)
        w_calls, w_work = _weekly_totals(calls, week_start), _weekly_totals(work, week_start)
        weekly = (w_work / w_calls.reindex(w_work.index)).dropna()
        mid, lo, hi, _ = _damped_trend(weekly.to_numpy(), weeks + gap, damping, level)
        return mid[gap:], lo[gap:], hi[gap:]
    a = v.as_float_array(aht, "aht")
    v.check_positive(a, "aht", "seconds")
    v.warn_implausible(a, "aht", stacklevel=4)  # minutes for seconds (5 for 300): 0 hires, as the review found
    if a.ndim == 0:
        a = np.full(weeks, float(a))
    elif a.shape != (weeks,):
        raise ValueError(f"aht must be one number or one value per week ({weeks}); got {a.size} values.")
    return a, a, a


def _weekly_values(value, weeks, name):
    """A fraction per week from a number, one value per week, or month (1-12) -> fraction (missing months 0)."""
    if isinstance(value, (dict, pd.Series)) and not isinstance(value, pd.Series) or (
            isinstance(value, pd.Series) and not isinstance(value.index, pd.DatetimeIndex)):
        table = dict(value)
        bad = [k for k in table if not (isinstance(k, (int, np.integer)) and 1 <= k <= 12)]
        if bad:
            raise ValueError(f"{name} as a table must map months 1-12 to fractions (months left out are 0); "
                             f"got the keys {bad[:5]}.")
        month = (weeks + pd.Timedelta(days=3)).month
        vals = v.as_float_array([table.get(int(m), 0.0) for m in month], name)
        return vals
    arr = v.as_float_array(value, name)
    if arr.ndim == 0:
        return np.full(len(weeks), float(arr))
    if arr.shape != (len(weeks),):
        raise ValueError(f"{name} must be a fraction, one per week ({len(weeks)}) or month (1-12) -> fraction; "
                         f"got {arr.size} values.")
    return arr


def weekly_shrinkage(shrinkage, weeks, *, method="additive"):
    """Total shrinkage per week from a number, per-week values, or components (each may be monthly)."""
    if isinstance(shrinkage, dict) and not all(isinstance(k, (int, np.integer)) for k in shrinkage):
        parts = {name: _weekly_values(part, weeks, f"shrinkage[{name!r}]") for name, part in shrinkage.items()}
        return np.asarray(total_shrinkage(parts, method=method), dtype=float) * np.ones(len(weeks))
    total = _weekly_values(shrinkage, weeks, "shrinkage")
    return np.asarray(total_shrinkage(total, method=method), dtype=float)


def required_fte(forecast, profile, *, service_level=0.8, threshold=20, model="erlang_c", patience=None,
                 max_asa=None, max_occupancy=None, max_abandon_rate=None, sl_definition="offered", shrinkage=0.0,
                 shrinkage_method="additive", fte_hours_per_week=37.5, schedule_factor=1.0):
    """
    Productive FTE each week needs: the exact Erlang requirement of its representative week.

    Each week's volume is spread over the representative week
    (``profile``), each interval is staffed with :func:`wfm.required_agents`
    at the week's AHT (one call over every week and interval, and the
    band's ends), and the agent-hours are divided by the productive hours of
    one FTE, ``fte_hours_per_week * (1 - shrinkage)``. The band uses the
    lower volume with the lower AHT and the upper with the upper.

    Parameters
    ----------
    forecast : DataFrame
        From :func:`weekly_forecast` (``site``, ``week``, ``calls``,
        ``calls_lower``, ``calls_upper``, ``aht``, ``aht_lower``,
        ``aht_upper``); several sites stacked are fine.
    profile : Series or dict of site -> Series
        From :func:`week_profile`; a dict gives each site its own.
    service_level, threshold, model, patience, max_asa, max_occupancy, max_abandon_rate, sl_definition
        Targets and queue model, as in :func:`wfm.required_agents`
        (threshold, patience and max_asa in seconds; rates 0-1).
    shrinkage : float, array, or dict
        Share of paid time not productive [0-1): one number, one per week, a
        month (1-12) -> fraction table (vacation seasonality; months left out
        are 0; a week takes the month of its 4th day), or named
        components (``{"vacation": {7: 0.15, ...}, "training": ..., "absence":
        0.06}``), each of those forms, combined by ``shrinkage_method``.
        Default 0, as in :func:`wfm.staffing_plan`: give the centre's own.
    shrinkage_method : {"additive", "multiplicative"}
    fte_hours_per_week : float
        Paid hours of one FTE. [h]
    schedule_factor : float
        Paid hours a schedule needs per paid hour of the interval
        requirement (>= 1 in practice: whole shifts cover the intervals with
        slack). 1 (default): ``required_fte`` is the interval requirement,
        the FTE of :meth:`wfm.StaffingPlan.totals` for the same week and
        targets (tested equal). To plan on the weekly job's basis, give the
        ratio of its headline FTE (:func:`wfm.plan_headline`, scheduled
        heads grossed up) to the plan's FTE for a representative week.

    Returns
    -------
    demand : DataFrame
        ``forecast`` plus ``agent_hours`` (+ ``_lower``/``_upper``)
        [productive agent-hours per week], ``shrinkage`` and
        ``required_fte`` (+ ``_lower``/``_upper``) [FTE].
        ``attrs["fte_basis"]`` says which FTE they are.

    Examples
    --------
    >>> from wfm.datasets import bank_calls
    >>> hist = bank_calls("30min")
    >>> fc = weekly_forecast(hist, weeks=2, aht=300)
    >>> d = required_fte(fc, week_profile(hist), service_level=0.8, threshold=20, shrinkage=0.3)
    >>> d[["calls", "agent_hours", "required_fte"]].round(1)
          calls  agent_hours  required_fte
    0  161931.5      14189.5         540.6
    1  161903.7      14189.0         540.5

    About 162,000 calls a week need 14,190 productive agent-hours at 80/20,
    which at 37.5 paid hours and 30% shrinkage is 14,189.5 / 26.25 = 540.6 FTE.
    """
    v.check_frame_columns(forecast, "forecast", ["site", "week", "calls", "calls_lower", "calls_upper", "aht",
                                                 "aht_lower", "aht_upper"])
    h = v.as_float_array(fte_hours_per_week, "fte_hours_per_week")
    v.check_positive(h, "fte_hours_per_week", "hours")
    sites = pd.unique(forecast["site"].astype(str))
    profiles = profile if isinstance(profile, dict) else {s: profile for s in sites}
    missing = [s for s in sites if s not in profiles]
    if missing:
        raise ValueError(f"profile has no week profile for the site(s) {missing[:5]}; its sites are "
                         f"{list(profiles)[:8]}.")
    out = forecast.reset_index(drop=True).copy()
    calls_parts, aht_parts, interval_parts, owners = [], [], [], []
    for s in sites:
        rows = np.flatnonzero(out["site"].astype(str).to_numpy() == s)
        p = profiles[s]
        share = v.as_float_array(p, f"profile[{s!r}]")
        v.check_nonnegative(share, f"profile[{s!r}]")
        interval = float(p.attrs.get("interval", np.nan)) if hasattr(p, "attrs") else np.nan
        if not np.isfinite(interval):
            raise ValueError(f"profile[{s!r}] has no interval length: build it with week_profile(history).")
        share = share / share.sum()
        for col_c, col_a in (("calls", "aht"), ("calls_lower", "aht_lower"), ("calls_upper", "aht_upper")):
            vol = v.as_float_array(out.loc[rows, col_c], f"forecast[{col_c!r}]")
            v.check_nonnegative(vol, f"forecast[{col_c!r}]", "calls")
            a = v.as_float_array(out.loc[rows, col_a], f"forecast[{col_a!r}]")
            v.check_positive(a, f"forecast[{col_a!r}]", "seconds")
            calls_parts.append(np.outer(vol, share).ravel())
            aht_parts.append(np.repeat(a, share.size))
            interval_parts.append(np.full(vol.size * share.size, interval))
            owners.append((rows, col_c, share.size, interval))
    v.warn_queue_units(threshold=threshold, patience=patience, stacklevel=4)  # the AHT is the forecast's, warned there
    agents = _required_agents(np.concatenate(calls_parts), np.concatenate(aht_parts), np.concatenate(interval_parts),
                              service_level, threshold, model=model, patience=patience, max_asa=max_asa,
                              max_occupancy=max_occupancy, max_abandon_rate=max_abandon_rate,
                              sl_definition=sl_definition)
    agents = np.asarray(agents, dtype=float)
    pos = 0
    suffix = {"calls": "", "calls_lower": "_lower", "calls_upper": "_upper"}
    for rows, col_c, n, interval in owners:
        block = agents[pos:pos + rows.size * n].reshape(rows.size, n)
        pos += rows.size * n
        out.loc[rows, "agent_hours" + suffix[col_c]] = block.sum(axis=1) * interval / 3600.0
    shr = np.empty(len(out))
    for s in sites:
        rows = np.flatnonzero(out["site"].astype(str).to_numpy() == s)
        shr[rows] = weekly_shrinkage(shrinkage, pd.DatetimeIndex(out.loc[rows, "week"]), method=shrinkage_method)
    out["shrinkage"] = shr
    factor = float(v.as_float_array(schedule_factor, "schedule_factor"))
    if not (np.isfinite(factor) and factor > 0):
        raise ValueError(f"schedule_factor must be a number > 0 (paid hours scheduled per paid hour required, "
                         f"1 = the interval requirement); got {factor:g}.")
    productive_hours = float(h) * (1.0 - shr)
    for suf in ("", "_lower", "_upper"):
        out["required_fte" + suf] = out["agent_hours" + suf] / productive_hours * factor
    out.attrs["fte_basis"] = fte_basis(factor)
    return out


def fte_basis(schedule_factor=1.0):
    """The text that says which FTE ``required_fte`` is (carried in ``attrs`` and ``plan.params``)."""
    if schedule_factor == 1.0:
        return FTE_BASIS
    return f"scheduled: {FTE_BASIS}, times schedule_factor {schedule_factor:g}"


def weekly_demand(history, *, weeks=78, start=None, aht=300.0, seasonal_indices=None, damping=0.98, level=0.8,
                  trend_weeks=None, growth=0.0, aht_factor=1.0, service_level=0.8, threshold=20,
                  model="erlang_c", patience=None, max_asa=None, max_occupancy=None, max_abandon_rate=None,
                  sl_definition="offered", shrinkage=0.0, shrinkage_method="additive", fte_hours_per_week=37.5,
                  schedule_factor=1.0, week_start=None):
    """
    Weekly volume, AHT and required FTE for one or several sites: :func:`weekly_forecast` then :func:`required_fte`.

    Parameters
    ----------
    history : Series or dict of site -> Series
        Calls per interval on a DatetimeIndex, one Series per site.
    aht, seasonal_indices, shrinkage : as in the two functions, or a dict of site -> value
        (a dict keyed by every site is taken per site).
    week_start : str or int, optional
        The weekday the plan's weeks start on, ``"MON"`` ... ``"SUN"`` or 0-6;
        default inferred from the histories' open days
        (:func:`wfm.calendar.infer_week_start`), which must then agree.
    **others
        As in :func:`weekly_forecast` and :func:`required_fte`.

    Returns
    -------
    demand : DataFrame
        One row per site and week; the columns of :func:`required_fte`.

    Examples
    --------
    >>> from wfm.datasets import bank_calls
    >>> d = weekly_demand(bank_calls("30min"), weeks=52, aht=300, shrinkage=0.3)
    >>> len(d), bool((d["required_fte_lower"] <= d["required_fte"]).all())
    (52, True)
    """
    hists = history if isinstance(history, dict) else {"all": history}
    if not hists:
        raise ValueError("history must hold at least one site; got an empty dict.")

    def by_site(value):  # a dict keyed by exactly the sites (also one): one value per site
        return isinstance(value, dict) and set(map(str, value)) == set(map(str, hists))

    def per_site(value, s):
        return {str(k): val for k, val in value.items()}[s] if by_site(value) else value

    week_start = _common_week_start(hists, week_start)
    forecasts, profiles = [], {}
    for s, hist in hists.items():
        s = str(s)
        forecasts.append(weekly_forecast(hist, weeks=weeks, start=start, aht=per_site(aht, s),
                                         seasonal_indices=per_site(seasonal_indices, s), damping=damping,
                                         level=level, trend_weeks=trend_weeks, growth=growth, aht_factor=aht_factor,
                                         site=s, week_start=week_start))
        profiles[s] = week_profile(hist)
    firsts = {f["week"].iloc[0] for f in forecasts}
    if len(firsts) > 1:
        raise ValueError(_DIFFERENT_ENDS.format(v.option("start", "YYYY-MM-DD")))
    fc = pd.concat(forecasts, ignore_index=True)
    targets = dict(service_level=service_level, threshold=threshold, model=model, patience=patience,
                   max_asa=max_asa, max_occupancy=max_occupancy, max_abandon_rate=max_abandon_rate,
                   sl_definition=sl_definition, shrinkage_method=shrinkage_method,
                   fte_hours_per_week=fte_hours_per_week, schedule_factor=schedule_factor)
    if not by_site(shrinkage):                      # one shrinkage for all: one required_agents call for all sites
        out = required_fte(fc, profiles, shrinkage=shrinkage, **targets)
    else:
        parts = [required_fte(fc[fc["site"] == s], profiles[s], shrinkage=per_site(shrinkage, s), **targets)
                 for s in profiles]
        out = pd.concat(parts, ignore_index=True)
    out.attrs = {"level": level, "fte_basis": fte_basis(float(schedule_factor)),
                 "week_start": forecasts[0].attrs["week_start"]}
    return out
