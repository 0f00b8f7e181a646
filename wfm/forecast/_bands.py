r"""
Prediction bands calibrated on the history's own rolling-origin errors.

Calls in an interval are counts whose spread grows faster than Poisson: the
day's level is uncertain, and that error is shared by every interval of the
day. The band is the central ``level`` interval of a negative binomial
distribution with the point forecast :math:`F` as its mean and variance

.. math:: \operatorname{Var}(A) = F + c^2 F^2,

Poisson noise plus a multiplicative error of coefficient of variation
:math:`c`. The Poisson part belongs to counts only: when the history is not
whole numbers (workload in hours, a demand in megawatts or gigawatts), a
Poisson term would be on the wrong scale (it does not change when the unit
does), so the band is that of a gamma distribution with mean :math:`F` and
variance :math:`c^2 F^2` instead, the multiplicative error alone. Such a
band scales with the series: the same history in other units gives the
same band in those units. The dispersion :math:`c` is the smallest value for which the band
covers ``level`` of the actual calls in a rolling-origin backtest inside the
history: the method is refitted at the start of each of the last few weeks
and its forecasts of the following days are compared with what arrived. So
the band is as wide as the method's own out-of-sample errors, no wider.

References
----------
.. [1] R. J. Hyndman and G. Athanasopoulos, "Forecasting: Principles and
   Practice", 3rd ed., OTexts, 2021, section 5.5 (prediction intervals from
   bootstrapped or empirical errors) and section 5.10 (time series
   cross-validation).
.. [2] A. C. Cameron and P. K. Trivedi, "Regression Analysis of Count Data",
   2nd ed., Cambridge University Press, 2013, section 3.3 (the NB2
   variance :math:`\mu + \alpha \mu^2`).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

#: Dispersion used when the history is too short for a backtest. [coefficient of variation]
DEFAULT_DISPERSION = 0.10


def is_counts(values):
    """True when every finite value is a whole number (the series counts something)."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    return bool(np.all(values == np.round(values)))


def nb_band(forecast, dispersion, level, counts=True):
    """
    Central ``level`` band of NB(mean ``forecast``, var ``F + c^2 F^2``); Poisson when ``c`` is 0.

    With ``counts`` False: the band of a gamma distribution of mean ``F``
    and variance ``c^2 F^2`` (no Poisson part; the point itself when ``c``
    is 0).
    """
    f = np.maximum(np.asarray(forecast, dtype=float), 0.0)
    lo_q, hi_q = (1 - level) / 2, (1 + level) / 2
    lower = np.zeros_like(f)
    upper = np.zeros_like(f)
    pos = f > 0
    if not pos.any():
        return lower, upper
    fp = f[pos]
    if not counts:
        if dispersion <= 0:
            lower[pos], upper[pos] = fp, fp
        else:
            shape = 1.0 / dispersion ** 2
            lower[pos] = stats.gamma.ppf(lo_q, shape, scale=fp / shape)
            upper[pos] = stats.gamma.ppf(hi_q, shape, scale=fp / shape)
        return lower, upper
    if dispersion <= 0:
        lower[pos] = stats.poisson.ppf(lo_q, fp)
        upper[pos] = stats.poisson.ppf(hi_q, fp)
    else:
        n = 1.0 / dispersion ** 2
        p = n / (n + fp)
        lower[pos] = stats.nbinom.ppf(lo_q, n, p)
        upper[pos] = stats.nbinom.ppf(hi_q, n, p)
    # the discrete quantiles bracket the mean; a band never excludes its own forecast
    lower = np.minimum(lower, f)
    upper = np.maximum(upper, f)
    return lower, upper


def coverage_at(actual, forecast, dispersion, level, counts=True):
    lower, upper = nb_band(forecast, dispersion, level, counts)
    return float(np.mean((actual >= lower) & (actual <= upper)))


def fit_dispersion(actual, forecast, level, counts=True):
    """Smallest ``c`` in [0, 3] whose band covers ``level`` of ``actual``; by bisection on log c."""
    actual = np.asarray(actual, dtype=float)
    forecast = np.maximum(np.asarray(forecast, dtype=float), 0.0)
    if actual.size == 0:
        return DEFAULT_DISPERSION
    if coverage_at(actual, forecast, 0.0, level, counts) >= level:
        return 0.0
    lo, hi = np.log(1e-3), np.log(3.0)
    if coverage_at(actual, forecast, np.exp(hi), level, counts) < level:
        return float(np.exp(hi))
    for _ in range(30):
        mid = 0.5 * (lo + hi)
        if coverage_at(actual, forecast, np.exp(mid), level, counts) >= level:
            hi = mid
        else:
            lo = mid
    return float(np.exp(hi))
