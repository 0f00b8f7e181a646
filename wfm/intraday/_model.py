r"""
The within-day error model behind :func:`wfm.intraday.reforecast`: numerics only.

A day's forecast errors on the log scale, :math:`e_t = \log\{(A_t + 1/2) / (F_t + 1/2)\}`
for the day's intervals :math:`t = 1..n`, are taken as Gaussian with mean
:math:`\mu` (the forecast's bias) and covariance

.. math::

    \Sigma_{st} = \tau^2 + s^2 \rho^{|s-t|} + \delta_{st}\,(\sigma^2 + 1/(F_t + 1/2)),

a level shared by the whole day (:math:`\tau^2`, the day's volume
surprise), a drift that persists from one interval to the next and fades
(:math:`s^2, \rho`, an AR(1) path: a surge that starts at 10:00 is still
there at 10:30 and mostly gone by evening), and interval noise (Poisson
noise, :math:`1/F` on the log scale, plus :math:`\sigma^2`). The four
variances are fitted by maximum likelihood on past days' forecast errors
(empirical Bayes), and the rest of the day is the Gaussian conditional mean
given the morning's errors,
:math:`\hat e_r = \mu + \Sigma_{rm} \Sigma_{mm}^{-1} (e_m - \mu)`, with the
conditional variance :math:`\Sigma_{rr} - \Sigma_{rm}\Sigma_{mm}^{-1}\Sigma_{mr}`
behind the band. The morning's ratio shrinks towards the forecast by as much
as the history says mornings predict afternoons, more the shorter the
morning, and the nearest intervals follow the latest actuals most.

References
----------
.. [1] J. Weinberg, L. D. Brown and J. R. Stroud, "Bayesian forecasting of
   an inhomogeneous Poisson process with applications to call center data",
   Journal of the American Statistical Association 102(480), 1185-1198,
   2007 (multiplicative day level times intraday profile, Poisson counts,
   the within-day update of section 5; the data are the bank behind
   ``bank_calls``).
.. [2] H. Shen and J. Z. Huang, "Interday forecasting and intraday updating
   of call center arrivals", Manufacturing & Service Operations Management
   10(3), 391-410, 2008 (updating the rest of the day from its first
   intervals; the square-root / log transform of counts).
.. [3] C. E. Rasmussen and C. K. I. Williams, "Gaussian Processes for
   Machine Learning", MIT Press, 2006, eq. (2.19) (the Gaussian
   conditional) and section 5.4 (type-II maximum likelihood).
"""

from __future__ import annotations

import numpy as np
from scipy import optimize, stats

#: Bounds of the fitted parameters: log tau^2, log s^2, logit rho, log sigma^2.
_BOUNDS = [(-14.0, 1.0), (-14.0, 1.0), (-5.0, 7.0), (-14.0, 1.0)]
_START = np.array([np.log(0.003), np.log(0.005), 2.0, np.log(0.001)])


def log_errors(actual, forecast):
    """Log ratio of actual to forecast, each plus a half call, and its Poisson variance on that scale."""
    f = np.maximum(np.asarray(forecast, dtype=float), 0.0) + 0.5
    return np.log((np.asarray(actual, dtype=float) + 0.5) / f), 1.0 / f


def unpack(theta):
    """``theta`` (log tau2, log s2, logit rho, log sigma2) as a dict of the variances."""
    t = np.asarray(theta, dtype=float)
    return {"tau2": float(np.exp(t[0])), "s2": float(np.exp(t[1])), "rho": float(1 / (1 + np.exp(-t[2]))),
            "sigma2": float(np.exp(t[3]))}


def covariance(par, poisson):
    """Covariance of the day's log errors, batched over the leading axes of ``poisson`` (days x n)."""
    n = poisson.shape[-1]
    lag = np.abs(np.subtract.outer(np.arange(n), np.arange(n)))
    base = par["tau2"] + par["s2"] * par["rho"] ** lag
    return base + (np.asarray(poisson)[..., :, None] * np.eye(n)) + par["sigma2"] * np.eye(n)


def _nll(theta, errors, poisson, mu):
    cov = covariance(unpack(theta), poisson)
    chol = np.linalg.cholesky(cov)
    r = (errors - mu)[..., None]
    z = np.linalg.solve(chol, r)[..., 0]
    return float(np.log(np.diagonal(chol, axis1=-2, axis2=-1)).sum() + 0.5 * (z ** 2).sum())


def fit(errors, poisson):
    """Maximum-likelihood variances and the mean of past days' log errors (days x n arrays)."""
    mu = float(errors.mean())
    res = optimize.minimize(_nll, _START, args=(errors, poisson, mu), method="L-BFGS-B", bounds=_BOUNDS)
    par = unpack(res.x)
    par["mu"] = mu
    return par


def conditional(par, errors, poisson, observed):
    """
    Mean and variance of each day's log errors given its observed intervals.

    ``errors`` and ``poisson`` are days x n; ``observed`` is a boolean
    vector of n (the morning, shared by every day). Observed intervals keep
    their own error and a variance of 0. Returns two days x n arrays.
    """
    mu = par["mu"]
    cov = covariance(par, poisson)
    m, r = np.asarray(observed, dtype=bool), ~np.asarray(observed, dtype=bool)
    mean = np.where(m, errors, mu)
    var = np.where(m, 0.0, np.diagonal(cov, axis1=-2, axis2=-1))
    if m.any() and r.any():
        s_mm = cov[..., m, :][..., :, m]
        s_mr = cov[..., m, :][..., :, r]
        gain = np.linalg.solve(s_mm, s_mr)                       # days x |m| x |r|
        mean[..., r] = mu + np.einsum("...mr,...m->...r", gain, errors[..., m] - mu)
        var[..., r] = var[..., r] - np.einsum("...mr,...mr->...r", gain, s_mr)
    return mean, np.maximum(var, 0.0)


def nb_band(mean, c2, level):
    """Central ``level`` band of a negative binomial of mean ``mean`` and variance ``mean + c2 mean^2``."""
    mean = np.maximum(np.asarray(mean, dtype=float), 0.0)
    c2 = np.broadcast_to(np.maximum(np.asarray(c2, dtype=float), 1e-12), mean.shape)
    n = 1.0 / c2
    p = n / (n + np.maximum(mean, 1e-12))
    lower = stats.nbinom.ppf((1 - level) / 2, n, p)
    upper = stats.nbinom.ppf((1 + level) / 2, n, p)
    return np.minimum(lower, mean), np.maximum(upper, mean)


def calibrate(actual, mean, c2, level):
    """
    Factor ``k`` on ``c2`` whose band covers ``level`` of ``actual``; by bisection on log k in [1/50, 50].

    The band widens with ``k``, so coverage rises with it; the smallest
    ``k`` reaching ``level`` is returned (1 when nothing to calibrate on).
    """
    actual, mean, c2 = (np.asarray(x, dtype=float).ravel() for x in (actual, mean, c2))
    if actual.size == 0:
        return 1.0

    m = np.maximum(mean, 0.0)
    a_lo, a_hi = np.floor(actual), np.ceil(actual)

    def cover(k):
        # inside nb_band's [lower, upper] without its quantile search: actual >= lower iff its floor's cdf
        # reaches (1 - level) / 2 (or it is at least the mean); actual <= upper likewise from above
        n = 1.0 / np.maximum(c2 * k, 1e-12)
        p = n / (n + np.maximum(m, 1e-12))
        above = (stats.nbinom.cdf(a_lo, n, p) >= (1 - level) / 2) | (actual >= m)
        below = (stats.nbinom.cdf(a_hi - 1, n, p) < (1 + level) / 2) | (actual <= m)
        return float(np.mean(above & below & (m > 0) | (m <= 0) & (actual == 0)))

    lo, hi = np.log(1 / 50), np.log(50.0)
    if cover(np.exp(lo)) >= level:
        return float(np.exp(lo))
    if cover(np.exp(hi)) < level:
        return float(np.exp(hi))
    for _ in range(25):
        mid = 0.5 * (lo + hi)
        if cover(np.exp(mid)) >= level:
            hi = mid
        else:
            lo = mid
    return float(np.exp(hi))
