r"""
Holt-Winters exponential smoothing (statsmodels) on the open-interval sequence.

The model is fitted on the last ``weeks`` weeks of the regular open-calendar
grid (:mod:`wfm.forecast._grid`: closed days kept as rows and filled, so the
weekly season of, say, 140 half-hours stays aligned across holidays), with
one seasonal period of a week of open intervals. The season is
multiplicative when every interval has calls and additive otherwise (24/7
nights with zeros); trend is off by default, or damped. Initial states are
set heuristically from the first two seasons, so only the smoothing weights
are optimised: that keeps a fit on a week of 336 intervals to about a
second.

References
----------
.. [1] C. C. Holt, "Forecasting seasonals and trends by exponentially
   weighted moving averages", International Journal of Forecasting 20(1),
   5-10, 2004 (reprint of ONR memorandum 52, 1957).
.. [2] P. R. Winters, "Forecasting sales by exponentially weighted moving
   averages", Management Science 6(3), 324-342, 1960.
.. [3] R. J. Hyndman and G. Athanasopoulos, "Forecasting: Principles and
   Practice", 3rd ed., OTexts, 2021, section 8.3.
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import _validation as v
from ._grid import future_steps, history_sequence, periods, to_matrix


def ets_matrix(panel, *, weeks=12, trend=None, seasonal="add"):
    """Forecast matrix of the rows after the history from Holt-Winters on the regular grid."""
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    _, season = periods(panel)
    y, _ = history_sequence(panel, weeks)
    v.check_min_history(y.size // max(season, 1), 2, "history", "weeks of open intervals",
                        "Holt-Winters needs two weekly seasons; use method='topdown' or 'window_average'.")
    if seasonal is None:
        seasonal = "mul" if np.all(y > 0) else "add"
    steps = max(future_steps(panel)[0], 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ExponentialSmoothing(y, trend=trend, damped_trend=trend is not None, seasonal=seasonal,
                                     seasonal_periods=season, initialization_method="heuristic")
        fit = model.fit()
        path = fit.forecast(steps)
    return to_matrix(panel, np.maximum(np.asarray(path, dtype=float), 0.0))
