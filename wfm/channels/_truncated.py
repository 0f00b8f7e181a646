r"""
Maximum likelihood for redials seen through a window: a redial probability
and an exponential delay, right-truncated at the window.

Each of ``n`` failed attempts redials with probability p after an
exponential delay of mean d; a redial is seen only when it comes within
the window w. With k redials seen at delays :math:`x_1 \ldots x_k \le w`
the log-likelihood is (in :math:`\theta = w / d` and :math:`y_i = x_i / w`,
dropping constants)

.. math::

    \ell(p, \theta) = k \log p + k \log\theta - \theta \textstyle\sum y_i
                      + (n - k) \log\bigl(1 - p F(\theta)\bigr),
    \qquad F(\theta) = 1 - e^{-\theta},

F the chance that a redial falls inside the window. In :math:`q = pF` (the
chance a failure is seen to redial) it splits into a binomial part in q and
the right-truncated exponential :math:`k\log\theta - \theta\sum y_i -
k\log F(\theta)`, so :math:`\hat q = k/n` and :math:`\hat\theta` solves the
score equation of the truncated exponential (Deemer and Votaw [1]_):

.. math:: \bar y = \frac{1}{\theta} - \frac{1}{e^{\theta} - 1},

the truncated mean set to the sample mean. The right side falls from 1/2
(:math:`\theta \to 0`) to 0, so one root-find gives it when
:math:`\bar y < 1/2`. Then :math:`\hat p = k / (n F(\hat\theta))`. When
that exceeds 1 (or :math:`\bar y \ge 1/2`: delays spread evenly over the
window, no finite exponential MLE) the maximum is on the boundary p = 1 and
:math:`\theta` maximises :math:`\ell(1, \theta)`.

Intervals are profile likelihood (Venzon and Moolgavkar [2]_): the values
whose profile log-likelihood is within :math:`\chi^2_{1}(\text{level})/2`
of the maximum. For the delay the profile over :math:`p \le 1` is closed
form (:math:`q^* = \min(k/n, F(\theta))`); for p it maximises over
:math:`\theta` numerically. Unlike the delta method they follow the
skewed likelihood of a short window, and p's upper end stops at 1.

References
----------
.. [1] W. L. Deemer and D. F. Votaw, "Estimation of parameters of truncated
   or censored exponential distributions", Annals of Mathematical
   Statistics 26(3), 498-504, 1955 (the score equation above).
.. [2] D. J. Venzon and S. H. Moolgavkar, "A method for computing
   profile-likelihood-based confidence intervals", Applied Statistics
   37(1), 87-94, 1988.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize, stats

__all__ = ["truncated_mean", "redial_mle"]

_SPAN = 40.0  # the search for theta spans e**-40 to e**40 around the estimate (log scale)


def truncated_mean(theta):
    """Mean of an exponential right-truncated at the window, over the window: 1/theta - 1/(e**theta - 1)."""
    if theta < 1e-6:
        return 0.5 - theta / 12.0
    if theta > 700.0:
        return 1.0 / theta
    return 1.0 / theta - 1.0 / math.expm1(theta)


def _log_f(theta):
    return math.log(-math.expm1(-theta))


def _full(p, theta, k, n, ysum):
    """l(p, theta) (constants dropped)."""
    if p <= 0.0:
        return -math.inf if k else 0.0
    log_rest = -theta if p >= 1.0 else math.log((1.0 - p) + p * math.exp(-theta))  # log(1 - p F), no cancellation
    return (k * math.log(p) if k else 0.0) + k * math.log(theta) - theta * ysum + (n - k) * log_rest


def _delay_profile(theta, k, n, ysum):
    """max over p <= 1 of l(p, theta): the binomial part at q* = min(k/n, F(theta)) (closed form)."""
    log_f = _log_f(theta)
    q = min(k / n, math.exp(log_f))
    binom = k * math.log(q) + ((n - k) * math.log1p(-q) if n > k else 0.0)
    return k * math.log(theta) - theta * ysum - k * log_f + binom


def _best_theta(p, k, n, ysum, around):
    """theta maximising l(p, theta), searched on log theta within 15 (a factor 3e6) of ``around``."""
    res = optimize.minimize_scalar(lambda u: -_full(p, math.exp(u), k, n, ysum),
                                   bounds=(around - 15.0, around + 15.0), method="bounded",
                                   options={"xatol": 1e-10})
    return math.exp(res.x), -res.fun


def _root(f, a, b):
    return optimize.brentq(f, a, b, xtol=1e-12, rtol=1e-12, maxiter=500)


def redial_mle(delays, n, window, level):
    """
    (p, p_lo, p_hi, d, d_lo, d_hi) from ``delays`` [s] (the redials seen, each <= ``window``) among ``n`` failures.

    See the module docstring. With no redial seen, p is 0, its interval
    [0, 1] (a delay far beyond the window would hide any p) and the delay
    NaN. ``n`` 0 gives NaN throughout.
    """
    nan = float("nan")
    k = int(np.size(delays))
    if n == 0:
        return (nan,) * 6
    if k == 0:
        return 0.0, 0.0, 1.0, nan, nan, nan
    y = np.asarray(delays, float) / window
    ysum, ybar = float(y.sum()), float(y.mean())
    cut = stats.chi2.ppf(level, 1) / 2.0
    if ybar <= truncated_mean(math.exp(_SPAN)):  # every delay ~0: d -> 0
        return min(k / n, 1.0), nan, nan, 0.0, 0.0, nan
    theta = None
    if ybar < truncated_mean(math.exp(-_SPAN)):
        theta = math.exp(_root(lambda u: truncated_mean(math.exp(u)) - ybar, -_SPAN, _SPAN))
        p = k / (n * -math.expm1(-theta))
    if theta is None or p > 1.0:  # the maximum is on p = 1
        p = 1.0
        theta, _ = _best_theta(1.0, k, n, ysum, math.log(theta) if theta else 0.0)
    top = _full(p, theta, k, n, ysum)
    u_hat = math.log(theta)

    def drop_d(u):
        return _delay_profile(math.exp(u), k, n, ysum) - (top - cut)

    # d = window / theta: large theta is a short delay (lower end of d), small theta a long one (upper end)
    hi_u = u_hat + 1.0
    while drop_d(hi_u) > 0 and hi_u < u_hat + _SPAN:
        hi_u += 1.0
    lo_u = u_hat - 1.0
    while drop_d(lo_u) > 0 and lo_u > u_hat - _SPAN:
        lo_u -= 1.0
    d_lo = window / math.exp(_root(drop_d, u_hat, hi_u)) if drop_d(hi_u) < 0 else 0.0
    d_hi = window / math.exp(_root(drop_d, lo_u, u_hat)) if drop_d(lo_u) < 0 else math.inf

    def drop_p(q):
        return _best_theta(q, k, n, ysum, u_hat)[1] - (top - cut)

    p_lo = _root(drop_p, 1e-12, p) if drop_p(1e-12) < 0 else 0.0
    p_hi = 1.0 if p >= 1.0 or drop_p(1.0) >= 0 else _root(drop_p, p, 1.0)
    return p, p_lo, p_hi, window / theta, d_lo, d_hi
