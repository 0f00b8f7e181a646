r"""
Forecast accuracy: point metrics, prediction-band metrics and a tidy table of
both at interval, hour, day and week level.

Every metric takes ``actual`` first and the forecast (or the band) after it,
as Series on one interval index, arrays of one length, or numbers. Actuals
are calls per interval and must be finite and >= 0; forecasts and bounds must
be finite. NaN anywhere is an error naming its positions: fill or drop those
intervals first.

Scale-free metrics are fractions, not percentages (0.08 is 8 %):

=================== ============================================== ============
metric              definition                                     unit
=================== ============================================== ============
``wape``            sum|F - A| / sum A                             fraction
``mape``            mean |F - A| / A over intervals with A > 0     fraction
``smape``           mean 2|F - A| / (|A| + |F|)                    fraction 0-2
``mase``            MAE / MAE of the seasonal naive forecast       ratio
``rmse``            sqrt(mean (F - A)^2)                           calls
``mae``             mean |F - A|                                   calls
``bias``            sum(F - A) / sum A; > 0 is over-forecast       fraction
``tracking_signal`` sum(F - A) / MAE                               count of MAEs
``coverage``        share of A inside the closed band [L, U]       fraction 0-1
``width``           mean(U - L) / mean A                           fraction
``pinball``         quantile loss of L and U, averaged             calls
``winkler``         interval score of [L, U] at ``level``          calls
=================== ============================================== ============

Ratios with a zero denominator are never NaN: a perfect forecast scores 0
(0 / 0 is read as no error) and any other forecast scores +inf (or -inf for a
negative ``bias`` or ``tracking_signal``). MAPE leaves out intervals with a
zero actual and is undefined only when every actual is 0.

References
----------
.. [1] R. J. Hyndman and A. B. Koehler, "Another look at measures of forecast
   accuracy", International Journal of Forecasting 22(4), 679-688, 2006.
   (MASE, eq. 5; sMAPE.)
.. [2] T. Gneiting and A. E. Raftery, "Strictly proper scoring rules,
   prediction, and estimation", Journal of the American Statistical
   Association 102(477), 359-378, 2007. (Quantile (pinball) loss, eq. 40;
   interval score, eq. 43.)
.. [3] R. L. Winkler, "A decision-theoretic approach to interval estimation",
   Journal of the American Statistical Association 67(337), 187-191, 1972.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import _validation as v
from .calendar import _WEEKDAYS, check_week_start, infer_week_start

__all__ = [
    "wape",
    "mape",
    "smape",
    "mase",
    "rmse",
    "mae",
    "bias",
    "tracking_signal",
    "coverage",
    "width",
    "pinball",
    "winkler",
    "forecast_accuracy",
    "aggregate",
    "error_ratio",
    "LEVELS",
    "POINT_METRICS",
    "BAND_METRICS",
]

#: Aggregation levels, finest first.
LEVELS = ("interval", "hour", "day", "week")
#: Point-forecast rows of :func:`forecast_accuracy`, in order.
POINT_METRICS = ("wape", "mape", "mape_excluded", "smape", "mase", "rmse", "mae", "bias", "tracking_signal")
#: Prediction-band rows of :func:`forecast_accuracy`, in order.
BAND_METRICS = ("coverage", "width", "pinball", "winkler")


# --------------------------------------------------------------------------
# Kernels: validated 1-D float arrays in, a float (or None when undefined) out.
# --------------------------------------------------------------------------


def error_ratio(num, den):
    """
    Error over actual volume, elementwise: the one convention of every error ratio in wfm.

    ``num / den`` where ``den`` > 0; where ``den`` is 0, 0 for no error at
    all (0 / 0) and +-inf otherwise; NaN only where an input is NaN. WAPE and
    bias here, and ``forecast_wape``/``forecast_bias`` of the KPI catalogue,
    are this ratio of sums.

    Examples
    --------
    >>> error_ratio([4.0, 0.0, 2.0], [8.0, 0.0, 0.0]).tolist()
    [0.5, 0.0, inf]
    """
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(den > 0, num / np.where(den > 0, den, 1.0),
                       np.where(num == 0, 0.0, np.copysign(np.inf, num)))
    out = np.where(np.isnan(num) | np.isnan(den), np.nan, out)
    return out if out.ndim else float(out)


def _ratio(num, den):
    """num / den, with 0 / 0 = 0 (no error at all) and x / 0 = +-inf; never NaN."""
    return float(error_ratio(num, den))


def _wape(a, f):
    return _ratio(np.abs(f - a).sum(), a.sum())


def _mape(a, f):
    used = a > 0
    if not used.any():
        return None
    with np.errstate(over="ignore"):  # a tiny actual under a large error is +inf, not a warning
        return float(np.mean(np.abs(f[used] - a[used]) / a[used]))


def _smape(a, f):
    den = np.abs(a) + np.abs(f)
    # both zero: a perfect forecast of an empty interval, no error
    terms = np.divide(2 * np.abs(f - a), den, out=np.zeros_like(den), where=den > 0)
    return float(np.mean(terms))


def _naive_scale(s, lag):
    """Mean absolute error of the seasonal naive forecast s[t - lag] over s; None when too short."""
    if s.size <= lag:
        return None
    return float(np.mean(np.abs(s[lag:] - s[:-lag])))


def _mase(a, f, scale):
    return _ratio(np.mean(np.abs(f - a)), scale)


def _rmse(a, f):
    return float(np.sqrt(np.mean((f - a) ** 2)))


def _mae(a, f):
    return float(np.mean(np.abs(f - a)))


def _bias(a, f):
    return _ratio(np.sum(f - a), a.sum())


def _tracking_signal(a, f):
    return _ratio(np.sum(f - a), np.mean(np.abs(f - a)))


def _coverage(a, lo, up):
    return float(np.mean((a >= lo) & (a <= up)))


def _width(a, lo, up):
    return _ratio(np.mean(up - lo), np.mean(a))


def _quantile_loss(a, q, tau):
    diff = a - q
    return np.maximum(tau * diff, (tau - 1) * diff)


def _pinball(a, lo, up, level):
    return float(0.5 * (np.mean(_quantile_loss(a, lo, (1 - level) / 2))
                        + np.mean(_quantile_loss(a, up, (1 + level) / 2))))


def _winkler(a, lo, up, level):
    alpha = 1 - level
    score = (up - lo) + (2 / alpha) * np.maximum(lo - a, 0) + (2 / alpha) * np.maximum(a - up, 0)
    return float(np.mean(score))


# --------------------------------------------------------------------------
# Validation shared by the public functions.
# --------------------------------------------------------------------------


def _arrays(**named):
    """Check alignment, convert, broadcast; return (dict of 1-D float arrays, shared index or None)."""
    index = v.check_aligned(**named)
    out = {}
    for name, value in named.items():
        if value is None:
            continue
        arr = v.as_float_array(value, name, index=index)
        if arr.ndim > 1:
            raise ValueError(f"{name} must be one-dimensional, one value per interval; got shape {arr.shape}.")
        out[name] = arr
    shape = max((a.shape for a in out.values()), key=len)
    out = {k: np.broadcast_to(np.atleast_1d(a), shape if shape else (1,)) for k, a in out.items()}
    first = next(iter(out))
    v.check_nonempty(out[first], first)
    if "actual" in out:
        v.check_nonnegative(out["actual"], "actual", "calls", index=index,
                            hint="actual counts calls per interval and cannot be negative.")
    for name in ("forecast", "lower", "upper"):
        if name in out:
            v.check_finite(out[name], name, "calls", index=index)
    if "lower" in out and "upper" in out:
        v.check_ordered(out["lower"], out["upper"], index=index)
    return out, index


def _check_level(level):
    arr = v.as_float_array(level, "level")
    if arr.ndim:
        raise ValueError(f"level must be one number, the band's coverage, e.g. 0.8; got shape {arr.shape}.")
    v.check_fraction(arr, "level", closed_high=False)
    return float(arr)


# --------------------------------------------------------------------------
# Point metrics.
# --------------------------------------------------------------------------


def wape(actual, forecast):
    r"""
    Weighted absolute percentage error: lower is better, 0 is perfect.

    The WFM headline figure: the absolute errors summed over the intervals
    as a share of the calls that arrived. Busy intervals weigh more than
    quiet ones, and a zero actual does no harm.

    .. math:: \mathrm{WAPE} = \frac{\sum_t |F_t - A_t|}{\sum_t A_t}

    Parameters
    ----------
    actual : Series, array or number
        Calls that arrived. [calls per interval]
    forecast : Series, array or number
        Forecast calls on the same intervals. [calls per interval]

    Returns
    -------
    wape : float
        [fraction] 0.05 is 5 %. 0 when ``actual`` sums to 0 and the forecast
        is perfect, +inf when it sums to 0 and the forecast is not.

    Examples
    --------
    Errors of +10, -5, +5 and +5 calls on 300 calls:

    >>> wape([100, 120, 0, 80], [110, 115, 5, 85])
    0.08333...
    """
    x, _ = _arrays(actual=actual, forecast=forecast)
    return _wape(x["actual"], x["forecast"])


def mape(actual, forecast):
    r"""
    Mean absolute percentage error: lower is better, 0 is perfect.

    The mean of |F - A| / A over the intervals whose actual is above 0.
    Intervals with a zero actual are left out, never divided by:
    :func:`forecast_accuracy` reports how many as ``mape_excluded``. Quiet
    intervals weigh as much as busy ones, so MAPE runs well above WAPE on
    interval data.

    Parameters
    ----------
    actual : Series, array or number
        Calls that arrived. [calls per interval]
    forecast : Series, array or number
        Forecast calls on the same intervals. [calls per interval]

    Returns
    -------
    mape : float
        [fraction]

    Raises
    ------
    ValueError
        When every actual is 0: no interval is left to average over.

    Examples
    --------
    The third interval (actual 0) is left out: (10/100 + 5/120 + 5/80) / 3.

    >>> mape([100, 120, 0, 80], [110, 115, 5, 85])
    0.06805...
    """
    x, index = _arrays(actual=actual, forecast=forecast)
    value = _mape(x["actual"], x["forecast"])
    if value is None:
        raise ValueError(f"mape is undefined: actual is 0 at all {x['actual'].size} intervals, so no interval "
                         "is left after excluding zero actuals. Use wape, which weighs errors by volume.")
    return value


def smape(actual, forecast):
    r"""
    Symmetric mean absolute percentage error: lower is better, 0 is perfect.

    .. math:: \mathrm{sMAPE} = \frac{1}{n} \sum_t \frac{2 |F_t - A_t|}{|A_t| + |F_t|}

    An interval where both the actual and the forecast are 0 counts as 0;
    one where only one of them is 0 counts as 2, the maximum.

    Parameters
    ----------
    actual : Series, array or number
        Calls that arrived. [calls per interval]
    forecast : Series, array or number
        Forecast calls on the same intervals. [calls per interval]

    Returns
    -------
    smape : float
        [fraction, 0-2]

    Examples
    --------
    (20/210 + 10/235 + 10/5 + 10/165) / 4:

    >>> smape([100, 120, 0, 80], [110, 115, 5, 85])
    0.54959...
    """
    x, _ = _arrays(actual=actual, forecast=forecast)
    return _smape(x["actual"], x["forecast"])


def mase(actual, forecast, *, season, history=None):
    r"""
    Mean absolute scaled error: lower is better; below 1 beats the seasonal naive forecast.

    The mean absolute error divided by the mean absolute error of the
    seasonal naive forecast :math:`A_{t - m}` (lag ``season`` intervals,
    counted in positions) over ``history``, or over ``actual`` itself when
    no history is given.

    .. math:: \mathrm{MASE} = \frac{\frac{1}{n}\sum_t |F_t - A_t|}
              {\frac{1}{T - m}\sum_{t > m} |H_t - H_{t-m}|}

    Parameters
    ----------
    actual : Series, array or number
        Calls that arrived. [calls per interval]
    forecast : Series, array or number
        Forecast calls on the same intervals. [calls per interval]
    season : int
        Lag m of the seasonal naive forecast, e.g. 28 half-hours for "same
        time yesterday" on a 14-hour day. [intervals]
    history : Series or array, optional
        The series the naive scale is measured on, usually what the forecast
        was fitted on. [calls per interval]

    Returns
    -------
    mase : float
        [ratio] 0 for a perfect forecast; +inf when the seasonal naive
        forecast is itself perfect on the scale series (a constant series)
        and the forecast is not.

    Raises
    ------
    ValueError
        When the scale series has no more than ``season`` intervals.

    Examples
    --------
    The naive "same as last interval" misses by 10 on average over the
    history; the forecast misses by 5:

    >>> mase([30, 40], [35, 35], season=1, history=[10, 20, 30, 20])
    0.5
    """
    m = v.check_count(season, "season", unit="intervals")
    x, _ = _arrays(actual=actual, forecast=forecast)
    scale_name = "actual"
    scale_series = x["actual"]
    if history is not None:
        scale_name = "history"
        scale_series = _history_array(history)
    scale = _naive_scale(scale_series, m)
    if scale is None:
        raise ValueError(f"mase needs {scale_name} to hold more than season={m} intervals for the seasonal naive "
                         f"scale; got {scale_series.size}. Pass a longer history or a shorter season.")
    return _mase(x["actual"], x["forecast"], scale)


def _history_array(history):
    arr = v.as_float_array(history, "history", index=history.index if isinstance(history, pd.Series) else None)
    arr = np.atleast_1d(arr)
    if arr.ndim > 1:
        raise ValueError(f"history must be one-dimensional, one value per interval; got shape {arr.shape}.")
    idx = history.index if isinstance(history, pd.Series) else None
    v.check_nonnegative(arr, "history", "calls", index=idx)
    return arr


def rmse(actual, forecast):
    r"""
    Root mean squared error: lower is better, 0 is perfect.

    Weighs large misses more than :func:`mae`, as an understaffed peak does.

    Parameters
    ----------
    actual : Series, array or number
        Calls that arrived. [calls per interval]
    forecast : Series, array or number
        Forecast calls on the same intervals. [calls per interval]

    Returns
    -------
    rmse : float
        [calls per interval]

    Examples
    --------
    sqrt((100 + 25 + 25 + 25) / 4):

    >>> rmse([100, 120, 0, 80], [110, 115, 5, 85])
    6.61437...
    """
    x, _ = _arrays(actual=actual, forecast=forecast)
    return _rmse(x["actual"], x["forecast"])


def mae(actual, forecast):
    r"""
    Mean absolute error: lower is better, 0 is perfect.

    Parameters
    ----------
    actual : Series, array or number
        Calls that arrived. [calls per interval]
    forecast : Series, array or number
        Forecast calls on the same intervals. [calls per interval]

    Returns
    -------
    mae : float
        [calls per interval]

    Examples
    --------
    >>> mae([100, 120, 0, 80], [110, 115, 5, 85])
    6.25
    """
    x, _ = _arrays(actual=actual, forecast=forecast)
    return _mae(x["actual"], x["forecast"])


def bias(actual, forecast):
    r"""
    Forecast bias: closer to 0 is better; positive means over-forecast.

    .. math:: \mathrm{bias} = \frac{\sum_t (F_t - A_t)}{\sum_t A_t}

    Parameters
    ----------
    actual : Series, array or number
        Calls that arrived. [calls per interval]
    forecast : Series, array or number
        Forecast calls on the same intervals. [calls per interval]

    Returns
    -------
    bias : float
        [fraction] 0.05 is 5 % more calls forecast than arrived. When
        ``actual`` sums to 0: 0 if the errors cancel, else +-inf.

    Examples
    --------
    15 calls too many on 300:

    >>> bias([100, 120, 0, 80], [110, 115, 5, 85])
    0.05
    """
    x, _ = _arrays(actual=actual, forecast=forecast)
    return _bias(x["actual"], x["forecast"])


def tracking_signal(actual, forecast):
    r"""
    Tracking signal: closer to 0 is better; beyond +-4 flags a persistent bias.

    The running sum of errors in units of the mean absolute error. Positive
    means over-forecast.

    .. math:: \mathrm{TS} = \frac{\sum_t (F_t - A_t)}{\frac{1}{n}\sum_t |F_t - A_t|}

    Parameters
    ----------
    actual : Series, array or number
        Calls that arrived. [calls per interval]
    forecast : Series, array or number
        Forecast calls on the same intervals. [calls per interval]

    Returns
    -------
    tracking_signal : float
        [count of MAEs, between -n and n] 0 for a perfect forecast.

    Examples
    --------
    15 calls too many with a mean absolute error of 6.25:

    >>> tracking_signal([100, 120, 0, 80], [110, 115, 5, 85])
    2.4
    """
    x, _ = _arrays(actual=actual, forecast=forecast)
    return _tracking_signal(x["actual"], x["forecast"])


# --------------------------------------------------------------------------
# Prediction-band metrics.
# --------------------------------------------------------------------------


def coverage(actual, lower, upper):
    r"""
    Coverage of a prediction band: higher is better, up to the band's ``level``.

    The share of intervals whose actual lies in the closed band
    [``lower``, ``upper``]. An 80 % band should cover about 0.8; a band that
    covers far more is too wide (see :func:`width`).

    Parameters
    ----------
    actual : Series, array or number
        Calls that arrived. [calls per interval]
    lower, upper : Series, array or number
        Bounds of the band, ``lower <= upper``. [calls per interval]

    Returns
    -------
    coverage : float
        [fraction, 0-1]

    Examples
    --------
    The bounds themselves count as inside; 0 lies below its band:

    >>> coverage([100, 120, 0, 80], [90, 110, 2, 80], [110, 120, 9, 95])
    0.75
    """
    x, _ = _arrays(actual=actual, lower=lower, upper=upper)
    return _coverage(x["actual"], x["lower"], x["upper"])


def width(actual, lower, upper):
    r"""
    Relative width of a prediction band: lower is better at equal coverage.

    .. math:: \mathrm{width} = \frac{\frac{1}{n}\sum_t (U_t - L_t)}{\frac{1}{n}\sum_t A_t}

    Parameters
    ----------
    actual : Series, array or number
        Calls that arrived. [calls per interval]
    lower, upper : Series, array or number
        Bounds of the band, ``lower <= upper``. [calls per interval]

    Returns
    -------
    width : float
        [fraction of the mean actual] 0.2 is a band 20 % of the mean volume
        wide. When every actual is 0: 0 for a band of zero width, else +inf.

    Examples
    --------
    Mean width (20 + 10 + 7 + 15) / 4 = 13 on a mean of 75 calls:

    >>> width([100, 120, 0, 80], [90, 110, 2, 80], [110, 120, 9, 95])
    0.17333...
    """
    x, _ = _arrays(actual=actual, lower=lower, upper=upper)
    return _width(x["actual"], x["lower"], x["upper"])


def pinball(actual, lower, upper, *, level=0.8):
    r"""
    Pinball (quantile) loss of a band's bounds: lower is better.

    ``lower`` is scored as the :math:`\tau = (1 - \mathrm{level}) / 2`
    quantile and ``upper`` as the :math:`(1 + \mathrm{level}) / 2` quantile,
    with :math:`\rho_\tau(u) = \max(\tau u, (\tau - 1) u)` for
    :math:`u = A - q`; the two mean losses are averaged.

    Parameters
    ----------
    actual : Series, array or number
        Calls that arrived. [calls per interval]
    lower, upper : Series, array or number
        Bounds of the band, ``lower <= upper``. [calls per interval]
    level : float
        Coverage the band was built for, e.g. 0.8. [fraction, 0-1)

    Returns
    -------
    pinball : float
        [calls per interval] A rescaled :func:`winkler` score:
        ``winkler = 4 / (1 - level) * pinball``.

    Examples
    --------
    One interval, 80 % band [90, 110] around 100: 0.1 * 10 for each bound.

    >>> pinball([100], [90], [110], level=0.8)
    1.0
    """
    lvl = _check_level(level)
    x, _ = _arrays(actual=actual, lower=lower, upper=upper)
    return _pinball(x["actual"], x["lower"], x["upper"], lvl)


def winkler(actual, lower, upper, *, level=0.8):
    r"""
    Interval (Winkler) score of a band: lower is better.

    The band's width plus a penalty of :math:`2 / \alpha` per call outside
    it, :math:`\alpha = 1 - \mathrm{level}`, averaged over the intervals:

    .. math:: W_t = (U_t - L_t) + \tfrac{2}{\alpha}(L_t - A_t)\,1[A_t < L_t]
              + \tfrac{2}{\alpha}(A_t - U_t)\,1[A_t > U_t]

    Parameters
    ----------
    actual : Series, array or number
        Calls that arrived. [calls per interval]
    lower, upper : Series, array or number
        Bounds of the band, ``lower <= upper``. [calls per interval]
    level : float
        Coverage the band was built for, e.g. 0.8. [fraction, 0-1)

    Returns
    -------
    winkler : float
        [calls per interval]

    Examples
    --------
    Inside: width 20. Five calls above a [90, 110] 80 % band: 20 + 10 * 5.

    >>> winkler([100, 115], [90, 90], [110, 110], level=0.8)
    45.0
    """
    lvl = _check_level(level)
    x, _ = _arrays(actual=actual, lower=lower, upper=upper)
    return _winkler(x["actual"], x["lower"], x["upper"], lvl)


# --------------------------------------------------------------------------
# Levels: aggregate first, then score.
# --------------------------------------------------------------------------


def _keys(index, level, week_start=0):
    """Start of the hour, day or week (starting on weekday ``week_start``) of each timestamp, in local wall time."""
    wall = index.tz_localize(None) if index.tz is not None else index
    if level == "hour":
        return wall.floor("h")
    day = wall.normalize()
    if level == "day":
        return day
    return day - pd.to_timedelta((day.day_of_week - week_start) % 7, unit="D")


def _group(index, level, week_start=0):
    """(codes, bucket labels, intervals per bucket) of ``index`` at ``level``."""
    if level == "interval":
        return np.arange(len(index)), index, np.ones(len(index), dtype=int)
    codes, labels = pd.factorize(_keys(index, level, week_start), sort=True)
    return codes, pd.DatetimeIndex(labels), np.bincount(codes, minlength=len(labels))


def _modal(counts):
    """Most common value of positive integer ``counts`` (the smallest on a tie)."""
    return int(np.bincount(np.asarray(counts, dtype=int)).argmax())


def aggregate(series, level, *, week_start=None):
    """
    Sum a series of interval values per hour, day or week.

    Parameters
    ----------
    series : Series
        Values on a DatetimeIndex, e.g. calls or forecast calls.
        [calls per interval]
    level : {"interval", "hour", "day", "week"}
        ``"interval"`` returns the series as it is; ``"hour"`` sums within
        each clock hour, ``"day"`` per calendar date and ``"week"`` per week
        starting on ``week_start``, all in local wall time. Periods without
        intervals are absent, not 0.
    week_start : str or int, optional
        The weekday weeks start on at ``"week"``: ``"MON"`` (ISO weeks),
        ``"SUN"``, ``"SAT"``, ... (see :func:`wfm.calendar.check_week_start`).
        None (default): read from the series' ``attrs["open_days"]``, else
        from the days it has values on (:func:`wfm.calendar.infer_week_start`:
        a Sunday-Thursday centre's weeks start on Sunday; a centre open
        every day, or a series spanning under a week, keeps Monday).

    Returns
    -------
    Series
        Sums labelled by the start of their period. [calls per period]
        At ``"week"``, ``attrs["week_start"]`` says the weekday the weeks
        start on (``"MON"`` ... ``"SUN"``).

    Examples
    --------
    >>> idx = pd.date_range("2024-01-01 08:00", periods=4, freq="30min")
    >>> aggregate(pd.Series([1, 2, 3, 4], index=idx), "hour")
    2024-01-01 08:00:00    3.0
    2024-01-01 09:00:00    7.0
    dtype: float64

    Weeks of a centre that plans Sunday to Saturday: Saturday 6 January
    closes one week and Sunday 7 January opens the next.

    >>> days = pd.date_range("2024-01-05 09:00", periods=4, freq="D")  # Fri, Sat, Sun, Mon
    >>> aggregate(pd.Series([10, 20, 30, 40], index=days), "week", week_start="SUN")
    2023-12-31    30.0
    2024-01-07    70.0
    dtype: float64
    """
    v.check_choice(level, "level", LEVELS)
    if week_start is not None:
        check_week_start(week_start)
    v.check_datetime_index(series, "series", "to aggregate by hour, day or week")
    if level == "interval":
        return series
    first = check_week_start(infer_week_start(series) if week_start is None else week_start)
    codes, labels, _ = _group(series.index, level, first)
    values = np.bincount(codes, weights=series.to_numpy(dtype=float), minlength=len(labels))
    out = pd.Series(values, index=labels, name=series.name)
    if level == "week":
        out.attrs["week_start"] = _WEEKDAYS[first].upper()
    return out


def _default_lag(index, level, week_start=0):
    """Natural season at ``level``: a day of intervals or hours, a week of days, one week."""
    if level == "week":
        return 1
    outer = "week" if level == "day" else "day"
    if level == "interval":
        inner_keys = index
    else:
        inner_keys = pd.DatetimeIndex(pd.unique(_keys(index, level)))
    return max(1, _modal(_group(inner_keys, outer, week_start)[2]))


def _lag(season, index, level, week_start=0):
    """Seasonal naive lag at ``level``: ``season`` intervals in that level's periods, or the natural one."""
    if season is None:
        return _default_lag(index, level, week_start)
    if level == "interval":
        return season
    per_period = _modal(_group(index, level)[2])
    return max(1, int(round(season / per_period)))


def _check_levels(levels):
    if isinstance(levels, str):
        levels = (levels,)
    levels = tuple(levels)
    if not levels:
        raise ValueError(f"levels must name at least one of {list(LEVELS)}; got none.")
    for lev in levels:
        if lev not in LEVELS:
            raise ValueError(f"levels must be among {list(LEVELS)}; got {lev!r}.")
    dup = [lev for i, lev in enumerate(levels) if lev in levels[:i]]
    if dup:
        raise ValueError(f"levels must not repeat a level; got {dup[0]!r} twice.")
    return levels


def forecast_accuracy(actual, forecast, lower=None, upper=None, *, level=0.8, levels=("interval", "day"),
                      season=None, history=None, week_start=None):
    r"""
    Every accuracy metric of a forecast at interval, hour, day or week level, in one tidy table.

    Actuals and forecasts are summed per period first, then scored, so the
    ``"day"`` rows judge the daily totals an analyst plans weeks with and
    the ``"interval"`` rows the shape within the day that staffing follows.
    Errors cancel within a day, so daily WAPE is usually well below interval
    WAPE: report both.

    Parameters
    ----------
    actual : Series
        Calls that arrived, on a DatetimeIndex of interval starts.
        [calls per interval]
    forecast : Series or DataFrame
        Forecast calls on exactly the same index. A DataFrame, as returned by
        a forecaster, supplies its ``forecast`` column and its ``lower`` and
        ``upper`` columns when those arguments are None. [calls per interval]
    lower, upper : Series, optional
        Bounds of a prediction band at ``level``, given together, on the same
        index. [calls per interval]
    level : float
        Coverage the band was built for; sets the pinball quantiles
        (1 - level) / 2 and (1 + level) / 2 and the Winkler penalty.
        [fraction, 0-1)
    levels : sequence of {"interval", "hour", "day", "week"} or str
        Levels to score, in the order wanted. ``"hour"`` sums within each
        clock hour, ``"day"`` per calendar date and ``"week"`` per week
        starting on ``week_start``.
    season : int, optional
        Lag of the seasonal naive forecast that scales MASE, in intervals.
        At a coarser level it becomes ``season`` divided by the usual number
        of intervals in one of that level's periods, rounded, at least 1
        (so 140 half-hours is 70 hours, 5 days, 1 week). When None, each
        level takes its natural cycle: one open day of intervals (the most
        common count of intervals per date) at ``"interval"``, one open day
        of hours at ``"hour"``, one week of open days at ``"day"`` and the
        previous week at ``"week"``. [intervals]
    history : Series, optional
        Calls the forecast was fitted on, aggregated like ``actual``; MASE is
        scaled on it. When None, MASE is scaled on ``actual`` itself.
        [calls per interval]
    week_start : str or int, optional
        The weekday weeks start on at the ``"week"`` level: ``"MON"``,
        ``"SUN"``, ``"SAT"``, ... (see :func:`wfm.calendar.check_week_start`).
        None (default): read from the ``attrs["open_days"]`` of ``actual``,
        ``forecast`` or ``history`` (a :class:`~wfm.forecast.Forecast`'s
        table carries them), else from the days ``history`` and ``actual``
        have calls on (:func:`wfm.calendar.infer_week_start`: a
        Sunday-Thursday centre's weeks start on Sunday, a centre open every
        day keeps Monday, days spanning under a week give Monday), as
        :func:`wfm.staffing_plan` reads its weeks.

    Returns
    -------
    DataFrame
        Columns ``level``, ``metric``, ``value``: one row per level and
        metric, levels in the order given and metrics in the order
        ``wape, mape, mape_excluded, smape, mase, rmse, mae, bias,
        tracking_signal``, then with a band ``coverage, width, pinball,
        winkler``. Units as in the module table; ``rmse``, ``mae``,
        ``pinball`` and ``winkler`` are in calls per period of that level.
        ``mape_excluded`` counts the periods with a zero actual that MAPE
        left out.

        No value is NaN. Rows that cannot be computed are left out, and
        only these: ``mape`` when every actual at that level is 0, and
        ``mase`` when the scale series at that level holds no more than the
        lag. The band rows appear only at levels where every period holds a
        single interval (``"interval"``, and ``"hour"`` for hourly data):
        the sum of interval bounds is not a band of the summed calls (it is
        too wide unless the errors move in perfect step), so scoring it
        would overstate coverage.

    Examples
    --------
    Four half-hours, one of them without calls, scored per interval and per
    hour with an 80 % band. The band rows stop at the interval level: each
    hour sums two intervals.

    >>> idx = pd.date_range("2024-01-01 08:00", periods=4, freq="30min")
    >>> actual = pd.Series([100, 120, 0, 80], index=idx)
    >>> forecast = pd.Series([110, 115, 5, 85], index=idx)
    >>> lower = pd.Series([90, 110, 2, 80], index=idx)
    >>> upper = pd.Series([110, 120, 9, 95], index=idx)
    >>> forecast_accuracy(actual, forecast, lower, upper, levels=["interval", "hour"], season=1)
           level           metric      value
    0   interval             wape   0.083333
    1   interval             mape   0.068056
    2   interval    mape_excluded   1.000000
    3   interval            smape   0.549599
    4   interval             mase   0.085227
    5   interval             rmse   6.614378
    6   interval              mae   6.250000
    7   interval             bias   0.050000
    8   interval  tracking_signal   2.400000
    9   interval         coverage   0.750000
    10  interval            width   0.173333
    11  interval          pinball   0.900000
    12  interval          winkler  18.000000
    13      hour             wape   0.050000
    14      hour             mape   0.073864
    15      hour    mape_excluded   0.000000
    16      hour            smape   0.070059
    17      hour             mase   0.053571
    18      hour             rmse   7.905694
    19      hour              mae   7.500000
    20      hour             bias   0.050000
    21      hour  tracking_signal   2.000000
    """
    levels = _check_levels(levels)
    lvl = _check_level(level)
    first = None if week_start is None else check_week_start(week_start)
    hint = next((getattr(a, "attrs", {}).get("open_days") for a in (actual, forecast, history)
                 if getattr(a, "attrs", {}).get("open_days") is not None), None)  # a Forecast's table carries them
    if isinstance(forecast, pd.DataFrame):
        if "forecast" not in forecast.columns:
            raise ValueError(f"forecast DataFrame needs a 'forecast' column; got columns {list(forecast.columns)}.")
        if lower is None and upper is None and "lower" in forecast.columns and "upper" in forecast.columns:
            lower, upper = forecast["lower"], forecast["upper"]
        forecast = forecast["forecast"]
    if (lower is None) != (upper is None):
        given, missing = ("lower", "upper") if upper is None else ("upper", "lower")
        raise ValueError(f"lower and upper make one band and come together; got {given} without {missing}.")
    if season is not None:
        season = v.check_count(season, "season", unit="intervals")
    x, _ = _arrays(actual=actual, forecast=forecast, lower=lower, upper=upper)
    if not isinstance(actual, pd.Series) or not isinstance(actual.index, pd.DatetimeIndex):
        if levels != ("interval",):
            raise TypeError("actual must be a Series on a DatetimeIndex to score it by hour, day or week; "
                            f"got {type(actual).__name__}. Pass levels=('interval',) for plain arrays.")
        if season is None:
            raise ValueError("season is required when actual has no DatetimeIndex to infer one open day "
                             "of intervals from; pass it in intervals, e.g. season=28.")
        index = None
    else:
        index = v.check_datetime_index(actual, "actual", "to score by hour, day or week")
    if history is not None:
        hist = _history_array(history)
        if index is not None:
            hist_index = v.check_datetime_index(history, "history", "to aggregate it like actual")
        else:
            hist_index = None
    else:
        hist, hist_index = x["actual"], index
    if first is None:  # the centre's weeks, from every day it had calls on
        days = index if hist_index is None or hist_index is index or hist_index.tz != index.tz \
            else hist_index.append(index)
        first = check_week_start(infer_week_start([] if days is None else days, hint))

    rows = []
    for lev in levels:
        if lev == "interval":
            agg, sizes = x, np.ones(x["actual"].size, dtype=int)
            h = hist
        else:
            codes, labels, sizes = _group(index, lev, first)
            agg = {k: np.bincount(codes, weights=arr, minlength=len(labels)) for k, arr in x.items()}
            hcodes, hlabels, _ = _group(hist_index, lev, first)
            h = np.bincount(hcodes, weights=hist, minlength=len(hlabels))
        a, f = agg["actual"], agg["forecast"]
        lag = season if index is None else _lag(season, hist_index, lev, first)
        scale = _naive_scale(h, lag)
        values = {
            "wape": _wape(a, f),
            "mape": _mape(a, f),
            "mape_excluded": float(np.sum(a == 0)),
            "smape": _smape(a, f),
            "mase": None if scale is None else _mase(a, f, scale),
            "rmse": _rmse(a, f),
            "mae": _mae(a, f),
            "bias": _bias(a, f),
            "tracking_signal": _tracking_signal(a, f),
        }
        if "lower" in agg and (sizes == 1).all():
            lo, up = agg["lower"], agg["upper"]
            values.update(coverage=_coverage(a, lo, up), width=_width(a, lo, up),
                          pinball=_pinball(a, lo, up, lvl), winkler=_winkler(a, lo, up, lvl))
        rows.extend((lev, name, value) for name, value in values.items() if value is not None)
    return pd.DataFrame(rows, columns=["level", "metric", "value"])
