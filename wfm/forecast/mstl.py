r"""
MSTL decomposition (statsmodels) with a model for the seasonally adjusted part.

The last ``weeks`` (6) weeks of the regular open-calendar grid
(:mod:`wfm.forecast._grid`) are split by MSTL [1]_ into a daily season (the
intervals of an open day), a weekly season (the open intervals of a week), a
trend and a remainder. The seasons are carried forward from their last
cycle; the seasonally adjusted series (trend + remainder) is forecast with
simple exponential smoothing (statsmodels' ``ExponentialSmoothing``, level
only, smoothing weight fitted), as statsforecast's MSTL does with its trend
forecaster. The decomposition runs on log(1 + calls), so the seasons are
multiplicative and the forecast stays positive (``log=True``, the default). It
is the multi-seasonal candidate of ``method="auto"`` for centres open every
day of the week. When the open days differ in
length the daily season is left out.

References
----------
.. [1] K. Bandara, R. J. Hyndman and C. Bergmeir, "MSTL: A seasonal-trend
   decomposition algorithm for time series with multiple seasonal
   patterns", International Journal of Operational Research 52(1), 79-98,
   2025 (arXiv:2107.13462, 2021).
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import _validation as v
from ._grid import future_steps, history_sequence, periods, to_matrix


def mstl_matrix(panel, *, weeks=6, log=True):
    """Forecast matrix of the rows after the history from MSTL + exponential smoothing on the grid."""
    from statsmodels.tsa.holtwinters import ExponentialSmoothing
    from statsmodels.tsa.seasonal import MSTL

    day, week = periods(panel)
    y, _ = history_sequence(panel, weeks)
    v.check_min_history(y.size // max(week, 1), 2, "history", "weeks of open intervals",
                        "MSTL needs two weekly cycles; use method='topdown' or 'window_average'.")
    x = np.log1p(y) if log else y
    season_list = tuple(p for p in (day, week) if p and p < week) + (week,)
    steps = max(future_steps(panel)[0], 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        decomposition = MSTL(x, periods=season_list)
        result = decomposition.fit()
        season_list = tuple(int(p) for p in np.atleast_1d(decomposition.periods))  # MSTL drops periods > n / 2
        seasonal = np.asarray(result.seasonal).reshape(x.size, -1)
        adjusted = x - seasonal.sum(axis=1)
        fit = ExponentialSmoothing(adjusted, initialization_method="estimated").fit()
        level_path = np.asarray(fit.forecast(steps), dtype=float)
    future_seasonal = np.zeros(steps)
    for k, period in enumerate(season_list):
        last_cycle = seasonal[-period:, k]
        future_seasonal += np.resize(last_cycle, steps)
    path = level_path + future_seasonal
    if log:
        path = np.expm1(path)
    return to_matrix(panel, np.maximum(path, 0.0))
