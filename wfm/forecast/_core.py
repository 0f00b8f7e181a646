"""
One interface for every volume forecaster: ``f(history, future_index) -> forecast, lower, upper``.

Each method is a private function from a :class:`~wfm.forecast._panel.Panel`
to a (days, slots) matrix of point forecasts. This module validates the
inputs, lays out the panel, runs the method, calibrates its band on its own
rolling-origin errors inside the history, and returns the table.
"""

from __future__ import annotations

import warnings
from functools import partial

import numpy as np
import pandas as pd

from .. import _validation as v
from ..calendar import _WEEKDAYS, _open_weekdays, check_week_start, infer_week_start
from . import _bands
from ._windows import FUTURE_FROM_HISTORY, Pairs, Window, collect, windows
from .auto import auto_select
from ._panel import build_panel, read_future
from ._result import Forecast
from .baselines import seasonal_naive_matrix, window_average_matrix
from .ets import ets_matrix
from .mstl import mstl_matrix
from .topdown import topdown_matrix

#: name -> (matrix function, options it takes)
METHODS = {
    "seasonal_naive": (seasonal_naive_matrix, ("season",)),
    "window_average": (window_average_matrix, ("weeks", "season", "skip_abnormal", "decay")),
    "weighted_average": (partial(window_average_matrix, weeks=12, decay=0.8), ("weeks", "skip_abnormal", "decay")),
    "topdown": (topdown_matrix, ("weeks", "level_model", "alpha", "month", "backlog", "halflife")),
    "topdown_trend": (partial(topdown_matrix, level_model="damped"), ("weeks", "month", "backlog", "halflife")),
    "ets": (ets_matrix, ("weeks", "trend", "seasonal")),
    "mstl": (mstl_matrix, ("weeks", "log")),
    "mstl_arima": (partial(mstl_matrix, level_model="arima", log=True), ("weeks", "log")),
}
#: Methods ``method="auto"`` compares by default: cheap enough to refit at every backtest origin.
AUTO_CANDIDATES = ("topdown", "topdown_trend", "weighted_average")
#: Added for a centre open 24/7: a multi-seasonal model on the contiguous series.
AUTO_CANDIDATES_7DAY = ("mstl", "mstl_arima")
CALENDAR_OPTIONS = ("open_hours", "open_days", "holidays", "special_days")
#: Longest horizon of the in-history backtest that calibrates the band. [open days]
MAX_BACKTEST_DAYS = 10
#: In-history backtest windows by default, and when a slow candidate (MSTL) is fitted at each. [count]
N_WINDOWS, N_WINDOWS_SLOW = 6, 4
#: Backtest windows a calibrated band needs; with fewer, one-step errors calibrate it. [count]
MIN_BAND_WINDOWS = 2
#: Dispersion of the band when the history is too short even for one-step errors (under three open days).
WIDE_DISPERSION = 0.5


def method_function(name, options, *, strict=True):
    """The matrix function of method ``name`` with its options bound; unknown options are an error."""
    if name not in METHODS:
        v.check_choice(name, "method", ("auto", *METHODS))
    fn, allowed = METHODS[name]
    bad = [k for k in options if k not in allowed]
    if bad and strict:
        raise v.unknown_options(name, bad, allowed + CALENDAR_OPTIONS + ("n_windows", "candidates"))
    bound = {k: val for k, val in options.items() if k in allowed}
    if "weeks" in bound:
        bound["weeks"] = v.check_count(bound["weeks"], "weeks", unit="weeks")
    if "decay" in bound:
        decay = v.check_fraction(v.as_float_array(bound["decay"], "decay"), "decay",
                                 hint="decay is the weight of each week relative to the week after it (0.8 weighs "
                                      "last week 1, the week before 0.8, ...; 1 is the plain mean).")
        if decay.ndim:
            raise TypeError(f"decay must be one number; got {bound['decay']!r}.")
        bound["decay"] = float(decay)
    return partial(fn, **bound)


def _horizon_days(panel):
    return int(min(max(np.unique(panel.rows).size, 1), MAX_BACKTEST_DAYS))


def _min_train_days(panel):
    """One open week: the least a weekly pattern can be learnt from."""
    return max(2, len(panel.calendar.open_days))


def backtest_windows(panel, n_windows, week_start="MON"):
    """In-history windows: two open weeks of training before each when that leaves two windows, else one."""
    horizon = _horizon_days(panel)
    wins = windows(panel, horizon, n_windows, 2 * _min_train_days(panel), week_start)
    if len(wins) >= min(MIN_BAND_WINDOWS, n_windows):
        return wins
    return windows(panel, horizon, n_windows, _min_train_days(panel), week_start)


#: Fewest calls in the quietest interval for ``"mstl_arima"`` to be a default candidate on counts: its level
#: reads the last intervals, and below 100 calls their Poisson noise alone (1 / sqrt(100) = 10%) outweighs the
#: level changes it is there to follow. [calls per interval]
MIN_ARIMA_CALLS = 100


def default_candidates(panel):
    """
    The candidates of ``method="auto"`` for this calendar and history.

    MSTL for centres open every day of the week; its ARIMA-level variant
    (``"mstl_arima"``) too where every interval of the history is large
    enough to read a level from (:data:`MIN_ARIMA_CALLS`, or a series that
    is not counts).
    """
    if not panel.calendar.slots.all():
        return AUTO_CANDIDATES
    values = panel.values[:panel.n_hist]
    values = values[np.isfinite(values)]
    readable = values.size and (not _bands.is_counts(values) or values.min() >= MIN_ARIMA_CALLS)
    return AUTO_CANDIDATES + (AUTO_CANDIDATES_7DAY if readable else AUTO_CANDIDATES_7DAY[:1])


def _point(panel, matrix, name):
    point = read_future(panel, matrix)
    bad = ~np.isfinite(point)
    if bad.any():
        warnings.warn(f"method {name!r} gave no forecast{v.describe_positions(bad, panel.future_index)}; "
                      "those intervals are forecast as 0 calls.", stacklevel=4)
        point = np.where(bad, 0.0, point)
    return np.maximum(point, 0.0)


def _check_outside_hours(panel):
    if not panel.rows.size:
        return
    outside = ~panel.template[panel.rows, panel.cols]
    if outside.any():
        where = v.describe_positions(outside, panel.future_index)
        warnings.warn(f"future_index holds intervals the open calendar has closed{where}; "
                      "they are forecast from the history's nearest pattern or as 0 calls. Pass open_hours= "
                      "or special_days= to open them.", stacklevel=4)


#: Backtest windows needed before the per-window inflation is used, and the most it is used with:
#: a small-sample correction, for 3 to 5 windows (with 6 or more the pooled dispersion stands). [count]
MIN_QUANTILE_WINDOWS, MAX_QUANTILE_WINDOWS = 3, 5
#: Level at which the per-window dispersions are compared (so the inflation is one factor for every level).
REFERENCE_LEVEL = 0.8


def _window_inflation(pairs, usual, counts=True):
    r"""
    Factor (>= 1) by which the pooled dispersion is raised when the windows disagree.

    A dispersion pooled over the backtest windows is right on average; when the
    series shifts regime (weather on electricity demand, a holiday season), a
    few windows miss by much more than the others and the next week may be one
    of them. Take each window :math:`w` to have its own multiplicative error
    of coefficient of variation :math:`c_w` (its dispersion fitted alone) and
    the next week to be any one of them: the ratio of actual to forecast then
    has variance :math:`\frac{1}{n}\sum_w c_w^2` (the variance of a scale
    mixture is the mean of the variances), so the band of that variance has

    .. math:: c = \sqrt{\tfrac{1}{n} \textstyle\sum_w c_w^2},

    the root mean square of the per-window dispersions. The pooled fit is
    narrower than that when the windows disagree: it matches the mixture's
    central 80%, and a mixture of scales is more peaked than one
    distribution of the same variance, so its central 80% is narrower (for
    two equal windows of c and 2c, the root mean square is 1.58 c and the
    mixture's central 80% is that of 1.48 c, normal errors). The factor is that
    root mean square over the pooled dispersion, both at
    :data:`REFERENCE_LEVEL` (one factor for every level, so a higher level
    never gives a narrower band), and 1 when the windows agree (all
    :math:`c_w` equal). It has no tuned constant; it replaced the 0.85
    quantile of the :math:`c_w` (7 Dec 2026), which over-covered on most of
    the panel of ``benchmarks/bench_forecast.py`` (80% bands covering up to
    .868 on a held-out sensor, mean .822 over its 12 series) and made the
    band on ``vic_elec`` in GW wider than the textbook 4-week average's
    (.187 of the mean against .172): with the root mean square, mean
    coverage .797 over the 12 series, every one within .757-.842, and
    ``vic_elec`` GW .757 at width .153 (``benchmarks/README.md``).

    It is a small-sample correction: 1 with fewer than
    :data:`MIN_QUANTILE_WINDOWS` windows (too few to tell a regime from
    noise) or more than :data:`MAX_QUANTILE_WINDOWS` (enough for the pooled
    dispersion to stand; on the bank data the pooled band over six windows
    already covers .83-.84 at 30 and 15 minutes), and 1 when windows share days
    (a short history's origins on any day, a few days apart): their errors
    are the same days' errors, not separate draws of a week (on the panel's
    three-week Sunday-Thursday series, five such windows raised the band to
    86% coverage; without the factor, 84%).
    """
    labels = np.unique(pairs.window[usual])
    if not MIN_QUANTILE_WINDOWS <= labels.size <= MAX_QUANTILE_WINDOWS:
        return 1.0
    days = [np.unique(pairs.row[pairs.window == w]) for w in labels]
    if np.unique(np.concatenate(days)).size < sum(d.size for d in days):
        return 1.0
    pooled = _bands.fit_dispersion(pairs.actual[usual], pairs.forecast[usual], REFERENCE_LEVEL, counts)
    if pooled <= 0:
        return 1.0
    each = np.array([_bands.fit_dispersion(pairs.actual[usual & (pairs.window == w)],
                                           pairs.forecast[usual & (pairs.window == w)], REFERENCE_LEVEL, counts)
                     for w in labels])
    return max(1.0, float(np.sqrt(np.mean(each ** 2))) / pooled)


def _dispersions(panel, pairs, level, counts=True):
    """(ordinary, after_closure) dispersions fitted on (actual, forecast) pairs; see :func:`_band`."""
    unusual = panel.after_closure[pairs.row] | panel.special[pairs.row]
    usual = ~unusual if (~unusual).any() else np.ones_like(unusual)
    ordinary = _bands.fit_dispersion(pairs.actual[usual], pairs.forecast[usual], level, counts)
    ordinary *= _window_inflation(pairs, usual, counts)
    after = (_bands.fit_dispersion(pairs.actual[unusual], pairs.forecast[unusual], level, counts)
             if unusual.any() else 2 * ordinary)
    return ordinary, max(after, ordinary)


#: Most days the one-step fallback refits on (the last ones). [open days]
MAX_ONE_STEP_DAYS = 20


def one_step_pairs(fn, panel, *, min_before=2):
    """
    In-sample one-step (next-day) forecasts: fit on the days before each observed day, forecast that day.

    The fallback calibration of the band when the history holds fewer than
    two backtest origins: each of the last :data:`MAX_ONE_STEP_DAYS`
    observed days (after the first ``min_before``) is forecast from the days
    before it. Days on which the method cannot be fitted yet (too little
    history before them) are skipped.
    """
    n = panel.n_hist
    observed = np.flatnonzero(panel.observed[:n] & panel.template[:n].any(axis=1))
    wins = [Window(int(r), np.array([r])) for r in observed[min_before:][-MAX_ONE_STEP_DAYS:]]
    kept = []
    for win in wins:
        try:
            kept.append(collect(fn, panel, [win]))
        except ValueError:
            continue
    if not kept:
        return collect(fn, panel, [])
    return Pairs(np.concatenate([k.actual for k in kept]), np.concatenate([k.forecast for k in kept]),
                 np.arange(sum(k.actual.size for k in kept)) * 0, np.concatenate([k.row for k in kept]),
                 [t for k in kept for t in k.seconds], [o for k in kept for o in k.origins])


def _band(panel, pairs, point, level, name, wanted, fn, counts=True):
    r"""
    Lower and upper bounds, the dispersions used and how the band was calibrated.

    Days after a closure (their backlog) miss by more than ordinary days, so
    each kind gets its own dispersion, fitted on the backtest errors of that
    kind of day. With no day after a closure in the backtest, those days get
    twice the ordinary dispersion.

    With at least two backtest windows the dispersions are fitted on their
    errors; with three to five windows the ordinary dispersion is raised by
    :func:`_window_inflation` when the windows disagree (regime shifts). With fewer (a short history) the band falls back on in-sample
    one-step (next-day) errors, scaled to the horizon by
    :math:`\sqrt{(H + 1) / 2}` (the root mean of :math:`h = 1 \dots H`
    days: a level error that grows like a random walk), and a warning says
    what was missing. With fewer than three open days even for that, the
    dispersion is :data:`WIDE_DISPERSION`.
    """
    horizon = _horizon_days(panel)
    n_windows = len(set(pairs.window.tolist())) if pairs.actual.size else 0
    if n_windows >= min(MIN_BAND_WINDOWS, wanted):
        ordinary, after = _dispersions(panel, pairs, level, counts)
        band = {"calibration": "backtest", "windows": n_windows}
    else:
        n = panel.n_hist
        days = panel.dates[:n][panel.observed[:n]]
        need = _min_train_days(panel) + horizon + 1
        steps = one_step_pairs(fn, panel)
        scale = float(np.sqrt((horizon + 1) / 2))
        span = f"{len(days)} open day(s)" + (f", {days[0]:%a %Y-%m-%d} to {days[-1]:%a %Y-%m-%d}" if len(days) else "")
        missing = (f"history is too short for a rolling-origin backtest of {name!r}: it has {span}, and two "
                   f"backtest origins need {_min_train_days(panel)} open days (one open week) before each and "
                   f"{horizon} after (the days asked for), at least {need} open days; it has {n_windows} origin(s).")
        if steps.actual.size:
            one_ordinary, one_after = _dispersions(panel, steps, level, counts)
            ordinary, after = one_ordinary * scale, one_after * scale
            band = {"calibration": "one-step", "one_step_days": int(np.unique(steps.row).size),
                    "one_step_dispersion": one_ordinary, "horizon_scale": scale}
            how = (f"The {level:.0%} band is calibrated on in-sample one-step (next-day) errors over "
                   f"{band['one_step_days']} day(s) (dispersion {one_ordinary:.3f}) scaled to the {horizon}-day "
                   f"horizon by {scale:.2f}: dispersion {ordinary:.3f}.")
        else:
            ordinary = after = WIDE_DISPERSION
            band = {"calibration": "wide default", "one_step_days": 0}
            how = (f"Not even one-step errors can be measured, so the {level:.0%} band uses a wide dispersion of "
                   f"{WIDE_DISPERSION:.2f}.")
        warnings.warn(f"{missing} {how} Give at least {need} open days of history for a calibrated band.",
                      stacklevel=4)
    dispersion = {"ordinary": ordinary, "after_closure": after}
    future_unusual = panel.after_closure[panel.rows] | panel.special[panel.rows]
    lower, upper = band_bounds(point, future_unusual, dispersion, level, counts)
    return lower, upper, dispersion, band


def band_bounds(point, unusual, dispersion, level, counts=True):
    """Lower and upper bounds of ``point``: the band of the ordinary or (``unusual``) after-closure dispersion."""
    lower, upper = _bands.nb_band(point, dispersion["ordinary"], level, counts)
    if unusual.any():
        lo, up = _bands.nb_band(point[unusual], dispersion["after_closure"], level, counts)
        lower[unusual], upper[unusual] = lo, up
    return lower, upper


def _score_row(name, pairs, n_windows):
    row = {"method": name, **pairs.scores(), "windows": len(pairs.origins),
           "seconds": float(np.mean(pairs.seconds)) if pairs.seconds else np.nan}
    return row


def forecast(history, future_index, method="auto", level=0.8, *, n_windows=None, candidates=None, week_start=None,
             **options):
    """
    Forecast calls per interval with a calibrated band, as a :class:`Forecast` object.

    The same as :func:`forecast_volume`, but returning the results object:
    its ``table`` (forecast, lower, upper), ``method`` (the method used;
    for ``"auto"`` the one chosen), ``scores`` (the rolling-origin backtest
    in the history behind the choice and the band) and ``params``, with
    ``plot()``, ``heatmap()`` and an HTML view.

    Parameters
    ----------
    history, future_index, method, level, **options
        As in :func:`forecast_volume`.
    n_windows : int, optional
        Weekly origins of the rolling-origin backtest inside the history
        that calibrates the band (and, for ``"auto"``, picks the method):
        6, or 4 when MSTL is refitted at each. [count]
    candidates : sequence of str, optional
        Methods ``"auto"`` compares; default ``("topdown",
        "topdown_trend", "weighted_average")``, plus ``"mstl"`` when the
        centre is open every day of the week, and ``"mstl_arima"`` there
        too when every interval holds at least 100 calls or the series is
        not counts (why the weighted average
        stands for the baselines: :mod:`wfm.forecast.auto`). Add
        ``"ets"``, ``"window_average"`` or ``"seasonal_naive"`` to compare
        them too (each ets refit costs up to a few seconds at 15 minutes).
        With ``"auto"``, each method option goes to every candidate that
        takes it (``weeks=6`` sets topdown's profile window and the
        weighted average's window alike). When the mean of the two best
        candidates scores better in the backtest than the best alone, that
        combination is used (``method`` reads ``"topdown+mstl"``). When
        the daily totals show a recent change of level
        (:mod:`wfm.forecast.shifts`), the choice is made again on the
        history rescaled to the new level and kept when it backtests no
        worse; ``params["choice"]`` says what was chosen and why, and what
        the test saw.
    week_start : str or int, optional
        The weekday planning weeks start on (``"MON"``, ``"SUN"``, ...): the
        in-history backtest's origins fall on it. With fewer than two such
        origins (a short history), origins fall on any day. None (default):
        read from the open days of the forecast's calendar (the history's,
        or ``open_days`` when given; :func:`wfm.calendar.infer_week_start`),
        so a Sunday-Thursday centre is backtested on its Sunday weeks, not
        from Mondays that cut them, and its weeks are those
        :func:`wfm.staffing_plan` reads from the forecast's table.
        ``params`` records ``week_start`` (``"MON"`` ... ``"SUN"``) and
        ``week_start_inferred``.

    Returns
    -------
    Forecast

    Examples
    --------
    >>> from wfm.datasets import bank_calls
    >>> from wfm.calendar import future_intervals
    >>> history = bank_calls("30min")
    >>> fc = forecast(history, future_intervals(history, days=5))
    >>> fc.method
    'topdown'
    >>> fc.scores[["method", "wape", "coverage"]].head(4).round(3)
                         method   wape  coverage
    0                   topdown  0.050     0.801
    1             topdown_trend  0.051       NaN
    2  topdown+weighted_average  0.054       NaN
    3          weighted_average  0.061       NaN
    >>> fc.coverage, fc.params["band"]["calibration"]
    (0.801..., 'backtest')

    The bank's volume fell about 6% in September 2003; ``auto`` saw it and
    forecast from the history rescaled to the new level (the scores of the
    candidates without the rescaling follow, marked ``(no shift)``):

    >>> fc.params["choice"]["level_shift"]["description"]
    'level shift of -5.8% from Mon 2003-09-08 (33 day(s) at the new level, t = -4.5)'
    >>> fc.params["choice"]["level_shift"]["used"]
    True
    """
    level = v.check_level_fraction(level)
    if week_start is not None:
        week_start = _WEEKDAYS[check_week_start(week_start)].upper()
    calendar_options = {k: options.pop(k) for k in CALENDAR_OPTIONS if k in options}
    panel = build_panel(history, future_index, **calendar_options)
    inferred = week_start is None
    if inferred:  # the calendar's open days (a weekday opened once in a while is not one) when they are evidence
        readable = _open_weekdays(history, calendar_options.get("open_days")) is not None
        week_start = infer_week_start(history, [_WEEKDAYS[d] for d in panel.calendar.open_days] if readable else None)
    _check_outside_hours(panel)
    if not FUTURE_FROM_HISTORY.get():  # a forecast missing a mid-day interval would be staffed as closed
        v.check_no_holes(future_index, "future_index", panel.step)
    if n_windows is None:
        slow = method in AUTO_CANDIDATES_7DAY or (method == "auto" and set(AUTO_CANDIDATES_7DAY) & set(
            default_candidates(panel) if candidates is None else np.atleast_1d(candidates)))
        n_windows = N_WINDOWS_SLOW if slow else N_WINDOWS
    n_windows = v.check_count(n_windows, "n_windows")
    wins = backtest_windows(panel, n_windows, week_start)
    if method == "auto":
        name, fn, pairs, scores, choice = auto_select(panel, wins, candidates, options, methods=METHODS,
                                                     default_candidates=default_candidates(panel),
                                                     method_function=method_function, score_row=_score_row)
    else:
        if candidates is not None:
            raise ValueError(f"candidates is only for method='auto'; got method={method!r}.")
        fn = method_function(method, options)
        name = method
        pairs = collect(fn, panel, wins)
        scores = pd.DataFrame([_score_row(name, pairs, n_windows)])
        choice = None
    matrix = fn(panel)
    point = _point(panel, matrix, name)
    counts = _bands.is_counts(panel.values[:panel.n_hist])
    lower, upper, dispersion, band = _band(panel, pairs, point, level, name, n_windows, fn, counts)
    band["distribution"] = "negative binomial" if counts else "gamma (not counts: no Poisson part)"
    index = pd.DatetimeIndex(future_index)
    table = pd.DataFrame({"forecast": point, "lower": lower, "upper": upper}, index=index)
    # the centre's working week, which a forecast of a few days cannot show: wfm.staffing_plan reads it
    table.attrs["open_days"] = tuple(_WEEKDAYS[d] for d in panel.calendar.open_days)
    coverage = np.nan
    if band["calibration"] == "backtest":
        unusual = panel.after_closure[pairs.row] | panel.special[pairs.row]
        lo, up = band_bounds(pairs.forecast, unusual, dispersion, level, counts)
        coverage = float(np.mean((pairs.actual >= lo) & (pairs.actual <= up)))
    if "coverage" not in scores:
        scores["coverage"] = np.nan
    scores.loc[scores["method"] == name, "coverage"] = coverage
    band["coverage"] = coverage
    params = dict(method=method, level=level, n_windows=n_windows, dispersion=dispersion, band=band,
                  interval=panel.step, options=dict(options), calendar=panel.calendar, week_start=week_start,
                  week_start_inferred=inferred,
                  backtest_origins=list(pairs.origins) if band["calibration"] == "backtest" else
                  [panel.dates[w.cut] for w in wins], **calendar_options)
    if choice is not None:
        params["choice"] = choice
    return Forecast(table=table, method=name, scores=scores, params=params)


def forecast_volume(history, future_index, method="auto", level=0.8, **options):
    r"""
    Forecast calls per interval, with a prediction band, for the intervals of ``future_index``.

    Every method sees the history on the open calendar: days missing from
    it are closed days (never zero volume), the day after a closure carries
    a backlog, and weekdays and times of day are those of the local clock.
    Forecasts and bounds are never negative. The band is the central
    ``level`` interval of a negative binomial distribution around the
    forecast whose dispersion is fitted so that, in a rolling-origin
    backtest on the history's own last weeks, it covers ``level`` of the
    calls that arrived (see :mod:`wfm.forecast._bands`).

    Parameters
    ----------
    history : Series
        Calls per open interval on a sorted DatetimeIndex of interval
        starts; closed intervals absent. At least a week is needed for the
        weekly pattern, three weeks for a calibrated band. An interval
        missing inside a day (``read_history(missing="closed")``) is not
        read as 0 calls: that day is incomplete, and the methods learn the
        day's total and shape from complete days. [calls per interval]
    future_index : DatetimeIndex
        Interval starts to forecast, after the history ends, e.g. from
        :func:`wfm.future_intervals`. Open-calendar days missing from it
        (between the history's end and its last day) are taken as closed.
        An interval missing between a day's first and last interval, at a
        time other days have, is an error: a forecast without it would be
        staffed as closed (:func:`wfm._validation.check_no_holes`; a
        backtest's method gets the history's own timestamps, closures
        included).
    method : str
        One of :data:`METHODS` or ``"auto"``. ``"auto"`` (default) runs a rolling-origin backtest of the
        candidate methods on the history's last weeks and uses the best by
        interval WAPE. ``"topdown"``: daily totals (level, weekday,
        turn-of-month and backlog effects) times a weekday intraday profile
        (:mod:`wfm.forecast.topdown`); ``"topdown_trend"``: the same with a
        damped-trend daily level. ``"window_average"``: mean of the
        same weekday and time over the last ``weeks`` (4) open weeks;
        ``"weighted_average"``: the same over 12 weeks, each week weighing
        ``decay`` (0.8) of the week after it.
        ``"seasonal_naive"``: the same weekday and time the last week it was
        open. ``"ets"``: Holt-Winters (statsmodels), ``"mstl"``: MSTL plus
        exponential smoothing (statsmodels), and ``"mstl_arima"``: MSTL on
        the log scale plus an ARIMA(p, 1, 0) level (:mod:`wfm.forecast.ar`),
        all on the open-interval sequence with closed days filled so the
        weekly season stays aligned.
    level : float
        Coverage of the band. [fraction, 0-1)
    **options
        Calendar: ``open_hours``, ``open_days``, ``holidays``,
        ``special_days`` (as in :func:`wfm.calendar.open_calendar`).
        Backtest: ``n_windows`` (6), ``week_start`` (read from the open
        days when not given), and
        ``candidates`` for ``"auto"`` (see :func:`forecast`).
        Method options: ``weeks``, ``alpha`` (topdown's daily-level
        smoothing weight, 0.2), ``month``, ``backlog``, ``level_model``,
        ``halflife`` (topdown); ``weeks``, ``season``, ``skip_abnormal``,
        ``decay`` (baselines; ``season`` not with ``decay``); ``weeks``,
        ``trend``, ``seasonal``, ``log`` (ets, mstl).

    Returns
    -------
    DataFrame
        Indexed by ``future_index``; columns ``forecast``, ``lower`` and
        ``upper``. [calls per interval] Use :func:`wfm.forecast.forecast`
        for the object with the chosen method and its backtest scores.

    Raises
    ------
    ValueError
        When the history has NaN, negative counts, repeated or unsorted
        timestamps, or no data; when ``future_index`` does not start after
        the history ends, or misses an interval inside a day; when a method
        needs more history than there is (ETS and MSTL need two weeks). The
        message names the argument.

    Examples
    --------
    Forecast the week after the bank's record ends, 28 half-hours a day:

    >>> from wfm.datasets import bank_calls
    >>> from wfm.calendar import future_intervals
    >>> history = bank_calls("30min")
    >>> table = forecast_volume(history, future_intervals(history, days=5))
    >>> table.shape, list(table.columns)
    ((140, 3), ['forecast', 'lower', 'upper'])
    >>> round(table["forecast"].sum())
    156876
    >>> bool((table["lower"] <= table["forecast"]).all() and (table["forecast"] <= table["upper"]).all())
    True
    """
    result = forecast(history, future_index, method=method, level=level, **options)
    return result.table[["forecast", "lower", "upper"]]
