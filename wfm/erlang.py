r"""
Queue formulas of the contact centre: Erlang B, Erlang C (M/M/n) and Erlang A
(M/M/n+M, callers who abandon after an exponential patience).

Every function is exact to double precision over loads from 0.01 to 50,000
Erlangs: no factorials and no power series that overflow. The Poisson
probabilities are taken in log space through the saddle-point (deviance) form
of Loader [3]_ and the cumulative sums through SciPy's regularised incomplete
gamma functions, with a convergent series where those underflow.

All public functions take the same inputs, in the same units:

========== =================================================== ==================
name       meaning                                              unit
========== =================================================== ==================
calls      calls offered in the interval                        calls per interval
aht        average handle time                                  s
interval   interval length (inferred from a DatetimeIndex)      s
agents     productive agents on the queue, whole numbers        count
threshold  answer-time target T of the service level            s
patience   mean time before a waiting caller hangs up           s
========== =================================================== ==================

Scalars give a ``float``, arrays an array and Series a Series on the same index.

References
----------
.. [1] N. Gans, G. Koole and A. Mandelbaum, "Telephone call centers: tutorial,
   review, and research prospects", Manufacturing & Service Operations
   Management 5(2), 79-141, 2003. (Erlang C, eq. 1-3.)
.. [2] A. Mandelbaum and S. Zeltyn, "Service engineering in action: the
   Palm/Erlang-A queue, with applications to call centers", in Advances in
   Services Innovations, Springer, 17-45, 2007. (Erlang A, section 4.)
.. [3] C. Loader, "Fast and accurate computation of binomial probabilities",
   2000. (Saddle-point form of the Poisson probability.)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special

from . import _validation as v

__all__ = [
    "offered_load",
    "erlang_b",
    "erlang_c_wait_probability",
    "erlang_c_service_level",
    "erlang_c_asa",
    "erlang_c_occupancy",
    "erlang_a_wait_probability",
    "erlang_a_abandon_rate",
    "erlang_a_service_level",
    "erlang_a_asa",
    "erlang_a_occupancy",
    "wait_probability",
    "service_level",
    "asa",
    "occupancy",
    "abandon_rate",
    "queue_metrics",
    "MODELS",
    "SL_DEFINITIONS",
]

MODELS = ("erlang_c", "erlang_a")
SL_DEFINITIONS = ("offered", "exclude_short_abandons")

_LOG_2PI = np.log(2 * np.pi)
_TINY_LOG = -650.0  # below exp(-650) a regularised gamma is taken from its series
_MAX_TERMS = 100_000

# --------------------------------------------------------------------------
# Dimensionless kernels. A: load in Erlangs, n: agents, t = threshold / aht,
# q = patience / aht. Inputs are float arrays that broadcast; no validation.
# --------------------------------------------------------------------------


def _stirlerr(k):
    """log(k!) - log(sqrt(2 pi k) (k/e)^k), for k > 0."""
    shape = np.shape(k)
    k = np.atleast_1d(np.asarray(k, dtype=float))
    with np.errstate(divide="ignore", invalid="ignore"):
        k2 = 1.0 / (k * k)
        out = (1 / 12 - k2 * (1 / 360 - k2 * (1 / 1260 - k2 * (1 / 1680 - k2 / 1188)))) / k
    small = k < 16  # the series is exact to 1e-16 from k = 16 on
    if small.any():
        ks = k[small]
        with np.errstate(divide="ignore", invalid="ignore"):
            out[small] = special.gammaln(ks + 1) - (ks + 0.5) * np.log(ks) + ks - 0.5 * _LOG_2PI
    return out.reshape(shape)


def _bd0(k, m):
    """Deviance term k log(k/m) + m - k without cancellation, for k > 0, m > 0.

    Near k = m the log1p form keeps every digit; away from it the plain form
    has no cancellation and no overflow of k/m (a subnormal m).
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        near = k * np.log1p((k - m) / m) - (k - m)
        far = k * (np.log(k) - np.log(m)) + m - k
    return np.where(np.abs(k - m) < 0.5 * m, near, far)


def _log_poisson(k, m):
    """log(m^k e^-m / Gamma(k + 1)) for real k >= 0 and m >= 0 (saddle-point form)."""
    k, m = np.broadcast_arrays(np.asarray(k, float), np.asarray(m, float))
    with np.errstate(divide="ignore", invalid="ignore"):
        body = -0.5 * (_LOG_2PI + np.log(k)) - _stirlerr(k) - _bd0(k, m)
        out = np.where(k == 0, -m, body)
        out = np.where((m == 0) & (k > 0), -np.inf, out)
    return out


def _log_series(ratio_step, size):
    """log(1 + r(0) + r(0) r(1) + ...) for ``size`` entries at once.

    Stops when every new term is below 1e-17 of its running sum. Used only
    where an incomplete gamma function underflows; there the terms fall at
    least geometrically.
    """
    total = np.ones(size)
    term = np.ones(size)
    for j in range(_MAX_TERMS):
        term = term * ratio_step(j)
        total += term
        if not (term > 1e-17 * total).any():
            break
    return np.log(total)


def _log_lower_gamma(a, y):
    """log P(a, y), the regularised lower incomplete gamma, robust to underflow.

    P(a, y) = y^a e^-y / Gamma(a + 1) * sum_j y^j / ((a + 1) ... (a + j)).
    """
    shape = np.broadcast_shapes(np.shape(a), np.shape(y))
    a, y = np.broadcast_arrays(np.atleast_1d(np.asarray(a, float)), np.asarray(y, float))
    with np.errstate(divide="ignore"):
        out = np.log(special.gammainc(a, y))
    low = (out < _TINY_LOG) & (y > 0)
    if low.any():
        aa, yy = a[low], y[low]
        out = out.copy()
        out[low] = _log_poisson(aa, yy) + _log_series(lambda j: yy / (aa + 1 + j), aa.size)
    return out.reshape(shape)


def _log_upper_gamma_int(n, A):
    """log Q(n, A) = log P(Poisson(A) <= n - 1) for whole n >= 1, robust to underflow.

    Q(n, A) = p_n(A) * sum_{j=1..n} n (n-1) ... (n-j+1) / A^j.
    """
    shape = np.broadcast_shapes(np.shape(n), np.shape(A))
    n, A = np.broadcast_arrays(np.atleast_1d(np.asarray(n, float)), np.asarray(A, float))
    with np.errstate(divide="ignore"):
        out = np.log(special.gammaincc(n, A))
    low = (out < _TINY_LOG) & (n >= 1)
    if low.any():
        nn, AA = n[low], A[low]
        # sum_{j>=1} prod_{i<j} (n - i)/A = (n/A) * (1 + (n-1)/A + ...); terms hit 0 at j = n.
        series = _log_series(lambda j: np.maximum(nn - 1 - j, 0) / AA, nn.size)
        out = out.copy()
        out[low] = _log_poisson(nn, AA) + np.log(nn / AA) + series
    return out.reshape(shape)


def _log_r(A, n):
    """log(F_{n-1}(A) / p_n(A)): the Poisson cdf below n over the pmf at n (n >= 1, A > 0)."""
    return _log_upper_gamma_int(n, A) - _log_poisson(n, A)


def _erlang_b(A, n):
    A, n = np.broadcast_arrays(np.asarray(A, float), np.asarray(n, float))
    safe_n = np.where(n >= 1, n, 1.0)
    safe_A = np.where(A > 0, A, 1.0)
    b = special.expit(-_log_r(safe_A, safe_n))
    return np.where(A == 0, 0.0, np.where(n == 0, 1.0, b))


def _erlang_c(A, n):
    """Probability of waiting, Erlang C. 1 where n <= A (unstable), 0 where A == 0."""
    A, n = np.broadcast_arrays(np.asarray(A, float), np.asarray(n, float))
    stable = (n > A) & (A > 0)
    log_r = _log_r(np.where(stable, A, 1.0), np.where(stable, n, 2.0))
    return _erlang_c_from_log_r(A, n, log_r)


def _erlang_c_from_log_r(A, n, log_r):
    """Erlang C from log(F_{n-1}(A) / p_n(A)): 1 / (1 + (1 - A/n) R)."""
    stable = (n > A) & (A > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        c = special.expit(-(np.log1p(-A / np.where(stable, n, np.inf)) + log_r))
    return np.where(A == 0, 0.0, np.where(stable, c, 1.0))


def _erlang_c_sl(A, n, t, c=None):
    c = _erlang_c(A, n) if c is None else c
    with np.errstate(over="ignore", invalid="ignore"):
        sl = 1 - c * np.exp(-(n - A) * t)
    return np.where(A == 0, 1.0, np.where(n > A, sl, 0.0))


def _erlang_c_asa(A, n, c=None):
    """Mean wait of all calls in units of aht; inf where unstable."""
    c = _erlang_c(A, n) if c is None else c
    with np.errstate(divide="ignore", invalid="ignore"):
        w = c / (n - A)
    return np.where(A == 0, 0.0, np.where(n > A, w, np.inf))


def _occupancy(A_carried, n):
    with np.errstate(divide="ignore", invalid="ignore"):
        occ = np.minimum(A_carried / n, 1.0)
    return np.where(n > 0, occ, 0.0)


class _ErlangA:
    """Erlang A state for loads A, agents n, patience q (in aht units).

    Conditional on waiting, U = exp(-V / patience), with V the offered wait, has
    density a u^(a-1) e^(x(1-u)) / J on (0, 1], a = n q, x = A q; every
    quantity below is an integral of that density.
    """

    def __init__(self, A, n, q):
        A, n, q = np.broadcast_arrays(*(np.asarray(z, float) for z in (A, n, q)))
        self.zero = A == 0
        self.A = np.where(self.zero, 1.0, A)  # placeholder load where there are no calls
        self.n, self.q = n, q
        self.a, self.x = n * q, self.A * q
        self.log_pa = _log_lower_gamma(self.a, self.x)  # log P(a, x)
        self.log_j = self.log_pa - _log_poisson(self.a, self.x)
        safe_n = np.where(n >= 1, n, 1.0)
        log_r = np.where(n >= 1, _log_r(self.A, safe_n), -np.inf)
        self.p_wait = special.expit(self.log_j - log_r)
        # P(answered | wait) = (a / x) P(a+1, x) / P(a, x)
        self.log_pa1 = _log_lower_gamma(self.a + 1, self.x)
        with np.errstate(divide="ignore", over="ignore"):
            self.ans_given_wait = np.where(n > 0, np.exp(np.log(n / self.A) + self.log_pa1 - self.log_pa), 0.0)
        self.ans_given_wait = np.clip(self.ans_given_wait, 0.0, 1.0)

    def abandon_rate(self):
        return np.where(self.zero, 0.0, self.p_wait * (1 - self.ans_given_wait))

    def wait_probability(self):
        return np.where(self.zero, 0.0, self.p_wait)

    def service_level(self, t, definition="offered"):
        w = np.exp(-np.asarray(t, float) / self.q)  # e^(-theta T)
        log_pa1_w = _log_lower_gamma(self.a + 1, self.x * w)
        with np.errstate(divide="ignore", invalid="ignore"):
            # P(answered within T | wait) = (a/x) [P(a+1, x) - P(a+1, x w)] / P(a, x)
            within = self.ans_given_wait * -np.expm1(log_pa1_w - self.log_pa1)
        within = np.where(self.n > 0, within, 0.0)
        sl = 1 - self.p_wait + self.p_wait * within
        if definition == "exclude_short_abandons":
            log_pa_w = _log_lower_gamma(self.a, self.x * w)
            with np.errstate(invalid="ignore"):
                v_beyond = np.where(self.a > 0, np.exp(log_pa_w - self.log_pa), 1.0)  # P(V > T | wait)
            early_abandon = np.clip(1 - within - w * v_beyond, 0.0, 1.0)
            kept = 1 - self.p_wait * early_abandon  # share of calls still there at T
            with np.errstate(divide="ignore", invalid="ignore"):
                sl = np.where(kept > 0, sl / kept, 0.0)  # no one left at T: none answered within it
        return np.where(self.zero, 1.0, np.clip(sl, 0.0, 1.0))

    def asa(self):
        """Mean wait of answered calls, in units of aht (inf where none are answered).

        Given j callers ahead on arrival, V is a sum of exponentials with rates
        theta (a + i), i = 0..j, so E[V e^(-theta V)] = a/(a+j+1) (psi(a+j+2) - psi(a+1)) / theta.
        j is distributed as t_j / J with t_j = x^j / ((a+1) ... (a+j)); the sum runs
        outward from the mode of j until the terms vanish.
        """
        todo = ~self.zero & (self.n > 0)
        m = np.zeros(self.A.shape)
        if todo.any():
            a, x, log_pa = self.a[todo], self.x[todo], self.log_pa[todo]
            j0 = np.floor(np.maximum(x - a, 0.0))
            log_w0 = _log_poisson(a + j0, x) - log_pa  # log(t_j0 / J)
            h0 = np.where(j0 > 0, special.digamma(a + j0 + 2) - special.digamma(a + 1), 1 / (a + 1))
            w0 = np.exp(log_w0)
            acc = w0 * a / (a + j0 + 1) * h0
            for direction in (1, -1):
                j, w, h = j0.copy(), w0.copy(), h0.copy()
                for _ in range(_MAX_TERMS):
                    if direction == 1:
                        w = w * x / (a + j + 1)
                        h = h + 1 / (a + j + 2)
                        j = j + 1
                    else:
                        live = j > 0  # the sum stops at j = 0
                        with np.errstate(over="ignore"):
                            w = np.where(live, w * (a + j) / x, 0.0)
                        h = np.where(live, h - 1 / (a + j + 1), 0.0)
                        j = np.where(live, j - 1, j)
                    term = w * a / (a + j + 1) * h
                    acc += term
                    if not (term > 1e-17 * acc).any():
                        break
            m[todo] = acc
        with np.errstate(divide="ignore", invalid="ignore"):
            wait_answered = self.p_wait * self.q * m / (1 - self.abandon_rate())
        return np.where(self.zero, 0.0, np.where(self.n > 0, wait_answered, np.inf))

    def occupancy(self):
        carried = np.where(self.zero, 0.0, self.A * (1 - self.abandon_rate()))
        return _occupancy(carried, self.n)


# --------------------------------------------------------------------------
# Public functions: validate, compute the load, call a kernel, wrap.
# --------------------------------------------------------------------------


_ABSENT = object()  # an input the function does not take, unlike one passed as None


def _prepare(calls, aht, interval, agents=_ABSENT, threshold=_ABSENT, patience=_ABSENT):
    """Validate the common inputs and return (Inputs, load, n, t, q).

    ``agents``, ``threshold`` and ``patience`` are required when passed (None
    is an error naming them) and skipped when left out.
    """
    for name, value, what in (("agents", agents, "productive agents, whole numbers"),
                              ("threshold", threshold, "the answer-time target in seconds, e.g. 20"),
                              ("patience", patience, "the mean patience in seconds, e.g. 120")):
        if value is None:
            raise TypeError(f"{name} is required: {what}; got None.")
    agents, threshold, patience = (None if z is _ABSENT else z for z in (agents, threshold, patience))
    if interval is None:
        if isinstance(calls, (pd.Series, pd.DataFrame)):
            interval = v.infer_interval(calls.index, "calls")
        else:
            raise ValueError(
                "interval is required when calls has no DatetimeIndex: pass the interval length "
                "in seconds, e.g. interval=1800 for 30-minute intervals."
            )
    inp = v.broadcast_inputs(calls=calls, aht=aht, interval=interval, agents=agents,
                             threshold=threshold, patience=patience)
    arr, idx = inp.arrays, inp.index
    v.check_nonnegative(arr["calls"], "calls", "calls per interval", index=idx)
    v.check_positive(arr["aht"], "aht", "seconds", index=idx,
                     hint="aht is the mean handle time per call in seconds.")
    v.check_positive(arr["interval"], "interval", "seconds", index=idx)
    if agents is not None:
        v.check_whole(arr["agents"], "agents", index=idx)
    if threshold is not None:
        v.check_nonnegative(arr["threshold"], "threshold", "seconds", index=idx)
    if patience is not None:
        v.check_positive(arr["patience"], "patience", "seconds", index=idx,
                         hint="patience is the mean time a caller waits before hanging up.")
    load = arr["calls"] * arr["aht"] / arr["interval"]
    t = None if threshold is None else arr["threshold"] / arr["aht"]
    q = None if patience is None else arr["patience"] / arr["aht"]
    return inp, load, arr["agents"], t, q


def _require_patience(patience, model):
    if model == "erlang_a" and patience is None:
        from ._validation import option

        raise ValueError(f"patience is required for {option('model', 'erlang_a')}: the mean time in seconds a "
                         f"caller waits before abandoning, e.g. {option('patience', 120)}.")


def _reject_abandonment_args(model, **given):
    """ValueError for ``patience`` or ``max_abandon_rate`` with Erlang C, which has no abandonment to use them.

    The one check behind the dispatchers here and :func:`wfm.staffing.required_agents`; None counts as not given.
    """
    given = {name: value for name, value in given.items() if value is not None}
    if model != "erlang_c" or not given:
        return
    from ._validation import option

    shown = " and ".join(option(name, value.item() if hasattr(value, "item") and np.ndim(value) == 0 else value)
                         if np.ndim(value) == 0 else f"{name} (per interval)" for name, value in given.items())
    if "patience" in given:
        fix = f"Pass {option('model', 'erlang_a')} for callers who hang up"
    else:
        fix = (f"Pass {option('model', 'erlang_a')} with patience in seconds (the mean time a caller waits before "
               f"hanging up, e.g. {option('patience', 180)})")
    one = len(given) == 1
    raise ValueError(f"{shown} need{'s' if one else ''} {option('model', 'erlang_a')}: Erlang C "
                     f"({option('model', 'erlang_c')}) has no abandonment, so it would ignore {'it' if one else 'them'}. "
                     f"{fix}, or drop {shown}.")


def offered_load(calls, aht, interval=None):
    """
    Offered load in Erlangs: ``calls * aht / interval``.

    Parameters
    ----------
    calls : numeric
        Calls offered in the interval. [calls per interval]
    aht : numeric
        Average handle time. [s]
    interval : numeric, optional
        Interval length; inferred from a DatetimeIndex when None. [s]

    Returns
    -------
    load : numeric
        Offered load. [Erlangs]

    Examples
    --------
    >>> offered_load(100, 180, 1800)
    10.0
    """
    inp, load, *_ = _prepare(calls, aht, interval)
    return v.wrap_like(load, inp, "load")


def erlang_b(calls, aht, interval, agents):
    r"""
    Blocking probability of an Erlang B (M/M/n/n) loss system.

    .. math:: B(n, A) = \frac{A^n / n!}{\sum_{k=0}^{n} A^k / k!}

    Parameters
    ----------
    calls, aht, interval, agents : numeric
        As in the module table. [calls per interval, s, s, count]

    Returns
    -------
    blocking : numeric
        Fraction of calls that find every agent busy and are lost. [0-1]

    Examples
    --------
    A textbook case: 10 Erlangs on 10 trunks block about 21.5% of calls.

    >>> round(erlang_b(100, 180, 1800, 10), 6)
    0.214582
    """
    inp, load, n, _, _ = _prepare(calls, aht, interval, agents)
    return v.wrap_like(_erlang_b(load, n), inp, "blocking")


def erlang_c_wait_probability(calls, aht, interval, agents):
    r"""
    Probability that a call waits, Erlang C (M/M/n) [1]_.

    .. math:: C(n, A) = \frac{\frac{A^n}{n!}\frac{n}{n-A}}
              {\sum_{k=0}^{n-1}\frac{A^k}{k!} + \frac{A^n}{n!}\frac{n}{n-A}}

    Parameters
    ----------
    calls, aht, interval, agents : numeric
        As in the module table. [calls per interval, s, s, count]

    Returns
    -------
    wait_probability : numeric
        [0-1] One where ``agents`` does not exceed the load (the queue grows
        without bound); zero where ``calls`` is 0.

    Examples
    --------
    >>> round(erlang_c_wait_probability(100, 180, 1800, 13), 4)
    0.2853
    """
    inp, load, n, _, _ = _prepare(calls, aht, interval, agents)
    return v.wrap_like(_erlang_c(load, n), inp, "wait_probability")


def erlang_c_service_level(calls, aht, interval, agents, threshold):
    r"""
    Service level of an Erlang C (M/M/n) queue [1]_.

    Fraction of calls answered within ``threshold`` seconds when ``agents``
    agents serve ``calls`` calls per interval. Callers never hang up; use
    :func:`erlang_a_service_level` when they do.

    .. math::

        SL = 1 - C(n, A)\, e^{-(n - A)\, T / \mathrm{AHT}},
        \qquad A = \mathrm{calls} \cdot \mathrm{AHT} / \mathrm{interval}

    Parameters
    ----------
    calls : numeric
        Calls offered in the interval. [calls per interval]
    aht : numeric
        Average handle time. [s]
    interval : numeric
        Interval length; inferred from a DatetimeIndex when None. [s]
    agents : numeric
        Productive agents, whole numbers. [count]
    threshold : numeric
        Answer-time target T of the service level. [s]

    Returns
    -------
    service_level : numeric
        Fraction answered within ``threshold``. [0-1] One where ``calls`` is
        0; zero where ``agents`` does not exceed the load (unstable queue).

    See Also
    --------
    erlang_a_service_level, service_level

    Examples
    --------
    100 calls in 30 minutes, AHT 3 minutes: 10 Erlangs; 14 agents reach 80/20.

    >>> erlang_c_service_level(calls=100, aht=180, interval=1800, agents=14, threshold=20)
    0.8883...
    """
    inp, load, n, t, _ = _prepare(calls, aht, interval, agents, threshold)
    return v.wrap_like(_erlang_c_sl(load, n, t), inp, "service_level")


def erlang_c_asa(calls, aht, interval, agents):
    r"""
    Average speed of answer of an Erlang C queue: ``C(n, A) * aht / (n - A)``.

    Parameters
    ----------
    calls, aht, interval, agents : numeric
        As in the module table. [calls per interval, s, s, count]

    Returns
    -------
    asa : numeric
        Mean wait over all calls, answered immediately or not. [s] Infinite
        where ``agents`` does not exceed the load; zero where ``calls`` is 0.

    Examples
    --------
    >>> round(erlang_c_asa(100, 180, 1800, 14), 2)
    7.84
    """
    inp, load, n, _, _ = _prepare(calls, aht, interval, agents)
    return v.wrap_like(_erlang_c_asa(load, n) * inp.arrays["aht"], inp, "asa")


def erlang_c_occupancy(calls, aht, interval, agents):
    """
    Agent occupancy of an Erlang C queue: ``load / agents``, at most 1.

    Returns
    -------
    occupancy : numeric
        Fraction of agent time spent handling calls. [0-1] Zero where there
        are no agents.

    Examples
    --------
    >>> erlang_c_occupancy(100, 180, 1800, 14)
    0.7142...
    """
    inp, load, n, _, _ = _prepare(calls, aht, interval, agents)
    return v.wrap_like(_occupancy(load, n), inp, "occupancy")


def erlang_a_wait_probability(calls, aht, interval, agents, patience):
    r"""
    Probability that a call waits, Erlang A (M/M/n+M) [2]_.

    .. math:: P(W > 0) = \frac{\pi_n J}{\sum_{k<n} \pi_k + \pi_n J},\qquad
              J = \sum_{j\ge0} \prod_{i=1}^{j} \frac{\lambda}{n\mu + i\theta}

    with :math:`\mu = 1/\mathrm{AHT}`, :math:`\theta = 1/\mathrm{patience}`.

    Parameters
    ----------
    calls, aht, interval, agents : numeric
        As in the module table. [calls per interval, s, s, count]
    patience : numeric
        Mean time a caller waits before abandoning (exponential). [s]

    Returns
    -------
    wait_probability : numeric
        [0-1] Zero where ``calls`` is 0.

    Examples
    --------
    >>> round(erlang_a_wait_probability(100, 180, 1800, 10, patience=120), 4)
    0.4969
    """
    inp, load, n, _, q = _prepare(calls, aht, interval, agents, patience=patience)
    return v.wrap_like(_ErlangA(load, n, q).wait_probability(), inp, "wait_probability")


def erlang_a_abandon_rate(calls, aht, interval, agents, patience):
    r"""
    Fraction of offered calls that abandon, Erlang A (M/M/n+M) [2]_.

    .. math:: P(\mathrm{Ab}) = P(W > 0)\left(1 - \frac{1}{\rho} + \frac{1}{\rho J}\right),
              \qquad \rho = A / n

    Parameters
    ----------
    calls, aht, interval, agents : numeric
        As in the module table. [calls per interval, s, s, count]
    patience : numeric
        Mean time a caller waits before abandoning (exponential). [s]

    Returns
    -------
    abandon_rate : numeric
        [0-1] One where there are no agents and calls arrive.

    Examples
    --------
    >>> round(erlang_a_abandon_rate(100, 180, 1800, 10, patience=120), 4)
    0.1375
    """
    inp, load, n, _, q = _prepare(calls, aht, interval, agents, patience=patience)
    return v.wrap_like(_ErlangA(load, n, q).abandon_rate(), inp, "abandon_rate")


def erlang_a_service_level(calls, aht, interval, agents, threshold, patience, *, sl_definition="offered"):
    r"""
    Service level of an Erlang A (M/M/n+M) queue [2]_.

    Conditional on waiting, :math:`U = e^{-\theta V}` (V the offered wait)
    has density :math:`a u^{a-1} e^{x(1-u)} / J` on (0, 1] with
    :math:`a = n\mu/\theta`, :math:`x = \lambda/\theta`, which gives

    .. math:: P(\text{answered within } T \mid W>0)
              = \frac{a}{x}\,\frac{P(a+1, x) - P(a+1, x e^{-\theta T})}{P(a, x)}

    with P the regularised lower incomplete gamma function.

    Parameters
    ----------
    calls, aht, interval, agents : numeric
        As in the module table. [calls per interval, s, s, count]
    threshold : numeric
        Answer-time target T. [s]
    patience : numeric
        Mean time a caller waits before abandoning (exponential). [s]
    sl_definition : {"offered", "exclude_short_abandons"}
        ``"offered"`` (default): calls answered within T over all offered
        calls. ``"exclude_short_abandons"``: the same over offered calls less
        those that abandoned before T, as many ACDs report it.

    Returns
    -------
    service_level : numeric
        [0-1] One where ``calls`` is 0.

    See Also
    --------
    erlang_c_service_level, service_level

    Examples
    --------
    >>> round(erlang_a_service_level(100, 180, 1800, 10, 20, patience=120), 4)
    0.6399
    """
    v.check_choice(sl_definition, "sl_definition", SL_DEFINITIONS)
    inp, load, n, t, q = _prepare(calls, aht, interval, agents, threshold, patience)
    return v.wrap_like(_ErlangA(load, n, q).service_level(t, sl_definition), inp, "service_level")


def erlang_a_asa(calls, aht, interval, agents, patience):
    r"""
    Average speed of answer of the answered calls, Erlang A (M/M/n+M).

    The mean offered wait V of the calls that are answered, i.e. whose
    patience outlasts V: :math:`E[V e^{-\theta V}] / P(\text{answered})`,
    summed exactly over the number of callers ahead on arrival.

    Parameters
    ----------
    calls, aht, interval, agents : numeric
        As in the module table. [calls per interval, s, s, count]
    patience : numeric
        Mean time a caller waits before abandoning (exponential). [s]

    Returns
    -------
    asa : numeric
        [s] Zero where ``calls`` is 0; infinite where there are no agents.

    Examples
    --------
    >>> round(erlang_a_asa(100, 180, 1800, 10, patience=120), 2)
    14.55
    """
    inp, load, n, _, q = _prepare(calls, aht, interval, agents, patience=patience)
    return v.wrap_like(_ErlangA(load, n, q).asa() * inp.arrays["aht"], inp, "asa")


def erlang_a_occupancy(calls, aht, interval, agents, patience):
    """
    Agent occupancy of an Erlang A queue: carried load (offered load of the
    calls that do not abandon) over agents.

    Returns
    -------
    occupancy : numeric
        [0-1] Zero where there are no agents.

    Examples
    --------
    >>> round(erlang_a_occupancy(100, 180, 1800, 10, patience=120), 4)
    0.8625
    """
    inp, load, n, _, q = _prepare(calls, aht, interval, agents, patience=patience)
    return v.wrap_like(_ErlangA(load, n, q).occupancy(), inp, "occupancy")


# --------------------------------------------------------------------------
# Dispatchers on model=.
# --------------------------------------------------------------------------


def _dispatch(model, patience):
    v.check_choice(model, "model", MODELS)
    _require_patience(patience, model)
    _reject_abandonment_args(model, patience=patience)


def _warned(out, aht, interval, threshold=None, patience=None):
    """``out``, after a UnitWarning for inputs that look like unit slips (AHT in minutes, a 30 s interval), once per
    dispatcher call (the inputs are valid by now: the formula checked them)."""
    v.warn_queue_units(aht=aht, interval=interval, threshold=threshold, patience=patience,
                       index=getattr(aht, "index", None), stacklevel=5)
    return out


def wait_probability(calls, aht, interval, agents, *, model="erlang_c", patience=None):
    """
    Probability that a call waits, for ``model`` "erlang_c" or "erlang_a".

    See :func:`erlang_c_wait_probability` and :func:`erlang_a_wait_probability`.

    Examples
    --------
    >>> round(wait_probability(100, 180, 1800, 14), 4)
    0.1741
    """
    _dispatch(model, patience)
    out = (erlang_c_wait_probability(calls, aht, interval, agents) if model == "erlang_c" else
           erlang_a_wait_probability(calls, aht, interval, agents, patience))
    return _warned(out, aht, interval, patience=patience)


def service_level(calls, aht, interval, agents, threshold, *, model="erlang_c", patience=None,
                  sl_definition="offered"):
    """
    Fraction of calls answered within ``threshold`` seconds.

    ``model="erlang_c"`` (callers never abandon) or ``"erlang_a"`` (callers
    abandon after an exponential ``patience`` with the given mean in seconds).
    See :func:`erlang_c_service_level` and :func:`erlang_a_service_level`.

    Examples
    --------
    >>> service_level(100, 180, 1800, 14, 20)
    0.8883...
    >>> service_level(100, 180, 1800, 14, 20, model="erlang_a", patience=120) > 0.8883
    True
    """
    _dispatch(model, patience)
    out = (erlang_c_service_level(calls, aht, interval, agents, threshold) if model == "erlang_c" else
           erlang_a_service_level(calls, aht, interval, agents, threshold, patience, sl_definition=sl_definition))
    return _warned(out, aht, interval, threshold=threshold, patience=patience)


def asa(calls, aht, interval, agents, *, model="erlang_c", patience=None):
    """
    Average speed of answer in seconds (Erlang C: all calls; Erlang A: answered calls).

    Examples
    --------
    >>> round(asa(100, 180, 1800, 14), 2)
    7.84
    """
    _dispatch(model, patience)
    out = (erlang_c_asa(calls, aht, interval, agents) if model == "erlang_c" else
           erlang_a_asa(calls, aht, interval, agents, patience))
    return _warned(out, aht, interval, patience=patience)


def occupancy(calls, aht, interval, agents, *, model="erlang_c", patience=None):
    """
    Fraction of agent time spent on calls.

    Examples
    --------
    >>> round(occupancy(100, 180, 1800, 14), 4)
    0.7143
    """
    _dispatch(model, patience)
    out = (erlang_c_occupancy(calls, aht, interval, agents) if model == "erlang_c" else
           erlang_a_occupancy(calls, aht, interval, agents, patience))
    return _warned(out, aht, interval, patience=patience)


def abandon_rate(calls, aht, interval, agents, patience):
    """
    Fraction of offered calls that abandon (Erlang A); see :func:`erlang_a_abandon_rate`.

    Examples
    --------
    >>> round(abandon_rate(100, 180, 1800, 11, patience=120), 4)
    0.0942
    """
    return _warned(erlang_a_abandon_rate(calls, aht, interval, agents, patience), aht, interval, patience=patience)


def queue_metrics(calls, aht, interval, agents, threshold=None, *, model="erlang_c", patience=None,
                  sl_definition="offered"):
    """
    Every queue figure at once, as a DataFrame with one row per interval.

    Columns: ``load`` [Erlangs], ``wait_probability``, ``service_level``
    (when ``threshold`` is given), ``asa`` [s], ``occupancy`` and, for
    Erlang A, ``abandon_rate``.

    Examples
    --------
    >>> queue_metrics([100, 0], 180, 1800, [14, 0], 20).round(4)
       load  wait_probability  service_level     asa  occupancy
    0  10.0            0.1741         0.8884  7.8359     0.7143
    1   0.0            0.0000         1.0000  0.0000     0.0000
    """
    _dispatch(model, patience)
    v.check_choice(sl_definition, "sl_definition", SL_DEFINITIONS)
    inp, load, n, t, q = _prepare(calls, aht, interval, agents, _ABSENT if threshold is None else threshold,
                                  patience if model == "erlang_a" else _ABSENT)
    aht_s = inp.arrays["aht"]
    out = {"load": load}
    if model == "erlang_c":
        c = _erlang_c(load, n)
        out["wait_probability"] = c
        if t is not None:
            out["service_level"] = _erlang_c_sl(load, n, t, c)
        out["asa"] = _erlang_c_asa(load, n, c) * aht_s
        out["occupancy"] = _occupancy(load, n)
    else:
        ea = _ErlangA(load, n, q)
        out["wait_probability"] = ea.wait_probability()
        if t is not None:
            out["service_level"] = ea.service_level(t, sl_definition)
        out["asa"] = ea.asa() * aht_s
        out["occupancy"] = ea.occupancy()
        out["abandon_rate"] = ea.abandon_rate()
    frame = pd.DataFrame({k: np.broadcast_to(val, inp.shape).reshape(-1) for k, val in out.items()},
                         index=inp.index if inp.kind == "series" else None)
    return frame
