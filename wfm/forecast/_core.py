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
from . import _bands
from .backtesting import collect, windows
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
    "window_average": (window_average_matrix, ("weeks", "season", "skip_abnormal")),
    "topdown": (topdown_matrix, ("weeks", "level_model", "alpha", "month", "backlog", "halflife")),
    "ets": (ets_matrix, ("weeks", "trend", "seasonal")),
    "mstl": (mstl_matrix, ("weeks", "log")),
}
#: Methods ``method="auto"`` compares by default: cheap enough to refit at every backtest origin.
AUTO_CANDIDATES = ("topdown", "window_average", "seasonal_naive")
CALENDAR_OPTIONS = ("open_hours", "open_days", "holidays", "special_days")
#: Longest horizon of the in-history backtest that calibrates the band. [open days]
MAX_BACKTEST_DAYS = 10


def method_function(name, options, *, strict=True):
    """The matrix function of method ``name`` with its options bound; unknown options are an error."""
    if name not in METHODS:
        v.check_choice(name, "method", ("auto", *METHODS))
    fn, allowed = METHODS[name]
    bad = [k for k in options if k not in allowed]
    if bad and strict:
        raise v.unknown_options(name, bad, allowed + CALENDAR_OPTIONS + ("n_windows", "candidates"))
    return partial(fn, **{k: val for k, val in options.items() if k in allowed})


def _horizon_days(panel):
    return int(min(max(np.unique(panel.rows).size, 1), MAX_BACKTEST_DAYS))


def _min_train_days(panel):
    return max(2, 2 * len(panel.calendar.open_days))


def backtest_windows(panel, n_windows):
    return windows(panel, _horizon_days(panel), n_windows, _min_train_days(panel))


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


def _band(panel, pairs, point, level, name):
    """
    Lower and upper bounds, and the dispersions used: ordinary days and days after a closure apart.

    Days after a closure (their backlog) miss by more than ordinary days, so
    each kind gets its own dispersion, fitted on the backtest errors of that
    kind of day. With no day after a closure in the backtest, those days get
    twice the ordinary dispersion.
    """
    if pairs.actual.size == 0:
        warnings.warn(f"history is too short for a rolling-origin backtest of {name!r}; the {level:.0%} band "
                      f"uses a default dispersion of {_bands.DEFAULT_DISPERSION:.2f} (a {level:.0%} band about "
                      "+-13% wide on large volumes) and is not calibrated. Give at least three weeks of history.",
                      stacklevel=4)
        ordinary = after = _bands.DEFAULT_DISPERSION
    else:
        unusual = panel.after_closure[pairs.row] | panel.special[pairs.row]
        usual = ~unusual if (~unusual).any() else np.ones_like(unusual)
        ordinary = _bands.fit_dispersion(pairs.actual[usual], pairs.forecast[usual], level)
        after = (_bands.fit_dispersion(pairs.actual[unusual], pairs.forecast[unusual], level)
                 if unusual.any() else 2 * ordinary)
        after = max(after, ordinary)
    future_unusual = panel.after_closure[panel.rows] | panel.special[panel.rows]
    lower, upper = _bands.nb_band(point, ordinary, level)
    if future_unusual.any():
        lo, up = _bands.nb_band(point[future_unusual], after, level)
        lower[future_unusual], upper[future_unusual] = lo, up
    return lower, upper, {"ordinary": ordinary, "after_closure": after}


def _score_row(name, pairs, n_windows):
    row = {"method": name, **pairs.scores(), "windows": len(pairs.origins),
           "seconds": float(np.mean(pairs.seconds)) if pairs.seconds else np.nan}
    return row


def forecast(history, future_index, method="auto", level=0.8, *, n_windows=6, candidates=None, **options):
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
    n_windows : int
        Weekly origins of the rolling-origin backtest inside the history
        that calibrates the band (and, for ``"auto"``, picks the method).
        [count]
    candidates : sequence of str, optional
        Methods ``"auto"`` compares; default ``("topdown",
        "window_average", "seasonal_naive")``. Add ``"ets"`` and ``"mstl"``
        to compare those too (each refit costs up to a few seconds at 15
        minutes). With ``"auto"``, each method option goes to every
        candidate that takes it (``weeks=6`` sets topdown's profile window
        and window_average's average alike).

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
    >>> fc.scores[["method", "wape", "coverage"]].round(3)
               method   wape  coverage
    0         topdown  0.051       0.8
    1  window_average  0.066       NaN
    2  seasonal_naive  0.076       NaN
    """
    level = v.check_level_fraction(level)
    n_windows = v.check_count(n_windows, "n_windows")
    calendar_options = {k: options.pop(k) for k in CALENDAR_OPTIONS if k in options}
    panel = build_panel(history, future_index, **calendar_options)
    _check_outside_hours(panel)
    wins = backtest_windows(panel, n_windows)
    if method == "auto":
        name, fn, pairs, scores = auto_select(panel, wins, candidates, options, methods=METHODS,
                                              default_candidates=AUTO_CANDIDATES,
                                              method_function=method_function, score_row=_score_row)
    else:
        if candidates is not None:
            raise ValueError(f"candidates is only for method='auto'; got method={method!r}.")
        fn = method_function(method, options)
        name = method
        pairs = collect(fn, panel, wins)
        scores = pd.DataFrame([_score_row(name, pairs, n_windows)])
    matrix = fn(panel)
    point = _point(panel, matrix, name)
    lower, upper, dispersion = _band(panel, pairs, point, level, name)
    index = pd.DatetimeIndex(future_index)
    table = pd.DataFrame({"forecast": point, "lower": lower, "upper": upper}, index=index)
    if len(pairs.actual):
        unusual = panel.after_closure[pairs.row] | panel.special[pairs.row]
        lo, up = _bands.nb_band(pairs.forecast, dispersion["ordinary"], level)
        lo_u, up_u = _bands.nb_band(pairs.forecast, dispersion["after_closure"], level)
        lo, up = np.where(unusual, lo_u, lo), np.where(unusual, up_u, up)
        scores.loc[scores["method"] == name, "coverage"] = float(np.mean((pairs.actual >= lo) & (pairs.actual <= up)))
    params = dict(method=method, level=level, n_windows=n_windows, dispersion=dispersion,
                  interval=panel.step, options=dict(options), calendar=panel.calendar,
                  backtest_origins=list(pairs.origins), **calendar_options)
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
        weekly pattern, three weeks for a calibrated band. [calls per
        interval]
    future_index : DatetimeIndex
        Interval starts to forecast, after the history ends, e.g. from
        :func:`wfm.future_intervals`. Open-calendar days missing from it
        (between the history's end and its last day) are taken as closed.
    method : {"auto", "topdown", "window_average", "seasonal_naive", "ets", "mstl"}
        ``"auto"`` (default) runs a rolling-origin backtest of the
        candidate methods on the history's last weeks and uses the best by
        interval WAPE. ``"topdown"``: daily totals (level, weekday,
        turn-of-month and backlog effects) times a weekday intraday profile
        (:mod:`wfm.forecast.topdown`). ``"window_average"``: mean of the
        same weekday and time over the last ``weeks`` (4) open weeks.
        ``"seasonal_naive"``: the same weekday and time the last week it was
        open. ``"ets"``: Holt-Winters (statsmodels) and ``"mstl"``: MSTL plus
        exponential smoothing (statsmodels), both on the open-interval
        sequence with closed days filled so the weekly season stays aligned.
    level : float
        Coverage of the band. [fraction, 0-1)
    **options
        Calendar: ``open_hours``, ``open_days``, ``holidays``,
        ``special_days`` (as in :func:`wfm.calendar.open_calendar`).
        Backtest: ``n_windows`` (6), and ``candidates`` for ``"auto"``.
        Method options: ``weeks``, ``alpha`` (topdown's daily-level
        smoothing weight, 0.2), ``month``, ``backlog``, ``level_model``,
        ``halflife`` (topdown); ``weeks``, ``season``, ``skip_abnormal``
        (baselines); ``weeks``, ``trend``, ``seasonal``, ``log`` (ets,
        mstl).

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
        the history ends; when a method needs more history than there is
        (ETS and MSTL need two weeks). The message names the argument.

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
    157280
    >>> bool((table["lower"] <= table["forecast"]).all() and (table["forecast"] <= table["upper"]).all())
    True
    """
    result = forecast(history, future_index, method=method, level=level, **options)
    return result.table[["forecast", "lower", "upper"]]
