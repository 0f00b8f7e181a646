r"""
Autoregressive models fitted by least squares: the error model of the seasonally adjusted series.

An AR(:math:`p`) model

.. math:: x_t = c + \phi_1 x_{t-1} + \dots + \phi_p x_{t-p} + e_t

is fitted by conditional least squares (ordinary least squares on the lagged
values, the first :math:`p` values conditioned on), which for a stationary
series is asymptotically equivalent to maximum likelihood [1]_ (section
7.2). The order is chosen by Akaike's information criterion over
:math:`p = 1 \dots p_{\max}`, every order fitted on the same observations
(from :math:`p_{\max} + 1` on), so the criteria compare like with like [2]_
(section 9.6). Forecasts run the recursion with the future errors at zero, as
one linear filter (no Python loop over the steps).

With ``difference=1`` the model is fitted to the first differences, without
a constant, and the forecast is summed back: an ARIMA(:math:`p`, 1, 0)
without drift, whose forecast settles at a level instead of returning to a
mean (a drift fitted on a few weeks would be carried into every step of the
week ahead). :func:`select_ar` keeps only stationary fits (every root of
:math:`1 - \phi_1 z - \dots - \phi_p z^p` outside the unit circle), so a
forecast can never grow without bound.

References
----------
.. [1] G. E. P. Box, G. M. Jenkins, G. C. Reinsel and G. M. Ljung, "Time
   Series Analysis: Forecasting and Control", 5th ed., Wiley, 2015.
.. [2] R. J. Hyndman and G. Athanasopoulos, "Forecasting: Principles and
   Practice", 3rd ed., OTexts, 2021.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import signal

from .. import _validation as v

__all__ = ["ARFit", "ar_forecast", "fit_ar", "select_ar"]


@dataclass(frozen=True)
class ARFit:
    """A fitted AR(p): ``const`` :math:`c` (0 when fitted to differences), ``phi`` :math:`\\phi_1..\\phi_p`,
    their standard errors, the innovation variance ``sigma2`` (residual sum of squares over the fitted
    observations), ``aic`` and ``nobs``; ``difference`` 0 (levels) or 1 (fitted to first differences)."""

    const: float
    phi: np.ndarray
    const_se: float
    phi_se: np.ndarray
    sigma2: float
    aic: float
    nobs: int
    difference: int = 0

    @property
    def order(self):
        return int(self.phi.size)

    @property
    def stationary(self):
        """True when every eigenvalue of the companion matrix lies inside the unit circle."""
        p = self.order
        companion = np.eye(p, k=-1)
        companion[0] = self.phi
        return bool(np.all(np.abs(np.linalg.eigvals(companion)) < 1 - 1e-9))


def _design(x, p, start, constant=True):
    """Regressors ((1,) x_{t-1}, ..., x_{t-p}) and targets x_t for t = start .. n-1."""
    n = x.size
    lags = [x[start - i: n - i] for i in range(1, p + 1)]
    return np.column_stack([np.ones(n - start)] * constant + lags), x[start:]


def _ols(x, p, start, constant=True):
    X, y = _design(x, p, start, constant)
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    resid = y - X @ beta
    nobs = y.size
    rss = float(resid @ resid)
    sigma2 = rss / nobs
    k = p + constant
    dof = max(nobs - k, 1)
    cov = np.linalg.pinv(X.T @ X) * (rss / dof)
    se = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    aic = nobs * np.log(max(sigma2, 1e-300)) + 2 * k
    if not constant:
        beta, se = np.r_[0.0, beta], np.r_[0.0, se]
    return ARFit(float(beta[0]), beta[1:].copy(), float(se[0]), se[1:].copy(), sigma2, float(aic), nobs,
                 0 if constant else 1)


def _check_series(x, name, least):
    x = v.as_float_array(x, name)
    if x.ndim != 1:
        raise ValueError(f"{name} must be one series (1-D); got shape {x.shape}.")
    if not np.isfinite(x).all():
        bad = np.flatnonzero(~np.isfinite(x))
        raise ValueError(f"{name} has {bad.size} value(s) that are NaN or infinite (first at position {bad[0]}); "
                         "an AR model needs a complete series: fill or drop them first.")
    if x.size < least:
        raise ValueError(f"{name} has {x.size} value(s); this AR fit needs at least {least}.")
    return x


def fit_ar(x, p, *, difference=0):
    """
    Least-squares AR(``p``) with a constant on ``x``, or without one on its first differences (``difference=1``).

    Parameters
    ----------
    x : array-like
        The series, complete and evenly spaced.
    p : int
        Order, at least 1.
    difference : {0, 1}
        1 fits the model to ``np.diff(x)``.

    Returns
    -------
    ARFit
    """
    p = v.check_count(p, "p")
    if difference not in (0, 1):
        raise ValueError(f"difference must be 0 or 1; got {difference!r}.")
    x = _check_series(x, "x", p + difference + 3)
    return _ols(np.diff(x) if difference else x, p, p, constant=not difference)


def select_ar(x, max_p, *, difference=0):
    """
    The stationary AR(p), p = 1 .. ``max_p``, of least AIC, every order fitted on the same observations.

    None when no order gives a stationary fit.
    """
    max_p = v.check_count(max_p, "max_p")
    if difference not in (0, 1):
        raise ValueError(f"difference must be 0 or 1; got {difference!r}.")
    x = _check_series(x, "x", max_p + difference + 3)
    z = np.diff(x) if difference else x
    fits = [f for f in (_ols(z, p, max_p, constant=not difference) for p in range(1, max_p + 1)) if f.stationary]
    return min(fits, key=lambda f: f.aic) if fits else None


def ar_forecast(x, fit, steps):
    """
    Forecasts of ``x`` 1 to ``steps`` ahead from ``fit`` (future errors zero), as one linear filter.

    For ``fit.difference == 1`` the differences are forecast and summed onto ``x``'s last value.
    """
    steps = int(steps)
    x = np.asarray(x, dtype=float)
    z = np.diff(x) if fit.difference else x
    p = fit.order
    if steps <= 0:
        return np.zeros(0)
    # y_h - sum phi_i y_{h-i} = c  (h = 1..steps): an all-pole filter driven by the constant, started from the
    # last p values (most recent first, as lfiltic expects for past outputs)
    a = np.r_[1.0, -fit.phi]
    zi = signal.lfiltic([1.0], a, y=z[::-1][:p])
    path, _ = signal.lfilter([1.0], a, np.full(steps, fit.const), zi=zi)
    return x[-1] + np.cumsum(path) if fit.difference else path
