r"""
The kernel every live channel shares: a birth-death chain on the number of
contacts in the system, solved for every interval at once.

State k is the number of contacts present (in service or waiting). With s
service *slots* (agents for voice, agents x concurrency for chat), arrival
rate :math:`\lambda_k` (the caller in state k may be blocked, or take a
callback instead of waiting) and departure rate

.. math:: d_k = r(\min(k, s)) + \theta\,(k - s)^+

(r(m) the completion rate with m contacts in service, :math:`\theta = 1 /
\text{patience}` the abandonment rate of each waiting contact), the
stationary law is :math:`\pi_k \propto \prod_{i=1}^{k} \lambda_{i-1} / d_i`.
A contact arriving in state :math:`k \ge s` has :math:`j = k - s` contacts
ahead; each of them leaves the queue (a slot frees, at rate
:math:`R = r(s)`, or one ahead abandons) at rate :math:`R + \theta i`, so its
offered wait V is a sum of exponentials with rates :math:`\theta(a + i)`,
:math:`i = 0..j`, :math:`a = R / \theta`. That sum is
:math:`-\log(U) / \theta` with :math:`U \sim \mathrm{Beta}(a, j + 1)` (the
Renyi representation of exponential order statistics), which gives in
closed form

.. math::

    P(\text{answered} \mid j) = \frac{a}{a + j + 1}, \qquad
    P(\text{answered within } T \mid j) = \frac{a}{a + j + 1}\,
        I_{1 - e^{-\theta T}}(j + 1, a + 1),

    E[V;\ \text{answered} \mid j] = \frac{a}{a + j + 1}\,
        \frac{\psi(a + j + 2) - \psi(a + 1)}{\theta},

with I the regularised incomplete beta function and :math:`\psi` the
digamma function; without abandonment V is Erlang(j + 1, R). With
:math:`r(m) = m / \mathrm{aht}`, one arrival rate and no line limit this is
the M/M/n+M (Erlang A) queue of Mandelbaum and Zeltyn [1]_, and the figures
equal :mod:`wfm.erlang`'s to rounding.

The chain is cut where its tail is below 1e-18 of its mass (or at the line
limit): the shape is (intervals, states), all NumPy, no loop over intervals.

References
----------
.. [1] A. Mandelbaum and S. Zeltyn, "Service engineering in action: the
   Palm/Erlang-A queue, with applications to call centers", in Advances in
   Services Innovations, Springer, 17-45, 2007.
.. [2] L. Kleinrock, "Queueing Systems, Volume 1: Theory", Wiley, 1975,
   section 3.1 (birth-death processes in equilibrium).
"""

from __future__ import annotations

import numpy as np
from scipy import special

__all__ = ["solve", "tail_states"]

_MAX_QUEUE = 200_000  # waiting states kept at most, per interval


def tail_states(lam, full_rate, theta):
    """Waiting positions j to keep so that the cut-off tail is below 1e-18 of the mass.

    Returns a float array (inf where the queue has no stationary law:
    no abandonment and arrivals at least the full completion rate).
    """
    lam, full_rate, theta = np.broadcast_arrays(*(np.asarray(z, float) for z in (lam, full_rate, theta)))
    x = np.where(theta > 0, lam / np.where(theta > 0, theta, 1.0), np.inf)
    poisson = x + 12 * np.sqrt(x) + 45  # beyond x, the ratios fall like x / j
    with np.errstate(divide="ignore", invalid="ignore"):
        rho = np.where(full_rate > 0, lam / full_rate, np.inf)
        geometric = np.where(rho < 1, np.log(1e-18) / np.log(np.maximum(rho, 1e-300)) + 2, np.inf)
    geometric = np.where(lam == 0, 1.0, geometric)
    return np.ceil(np.minimum(poisson, geometric))


def solve(lam, slots, rate, theta, *, lines=None, threshold=None, birth_factor=None):
    """
    Stationary figures of the chain for each interval (1-D arrays of length T).

    Parameters
    ----------
    lam : array
        Arrival rate. [1/s]
    slots : int array
        Service slots s. [count]
    rate : callable
        ``rate(m)`` -> completion rate with ``m`` contacts in service, for a
        (T, K) int array ``m`` (rows are intervals). [1/s]
    theta : array
        Abandonment rate of a waiting contact, 0 for none. [1/s]
    lines : array, optional
        Most contacts in the system (in service + waiting); arrivals in that
        state are blocked. None or inf for no limit.
    threshold : array, optional
        Answer-time target T. [s]
    birth_factor : callable, optional
        ``birth_factor(j)`` -> share of arrivals that join the queue with j
        contacts ahead (j < 0: a slot is free), for a (T, K) array ``j``.

    Returns
    -------
    dict of arrays
        ``blocked``, ``wait_probability``, ``abandon_rate``, ``answered``,
        ``service_level`` (answered within T over all arrivals), ``wait_sum``
        (E[wait; answered] per arrival) [s], ``busy`` (mean contacts in
        service), ``joined`` (share of arrivals that joined), ``unstable``
        (bool), ``declined`` (share of arrivals that did not join, unblocked), ``dist`` (the (T, K) stationary law, for callers that need it).
    """
    lam = np.asarray(lam, float)
    t_count = lam.size
    slots = np.asarray(slots, np.int64)
    theta = np.broadcast_to(np.asarray(theta, float), lam.shape)
    lines = np.full(lam.shape, np.inf) if lines is None else np.broadcast_to(np.asarray(lines, float), lam.shape)
    full = rate(slots[:, None].astype(np.int64))[:, 0] if t_count else np.zeros(0)
    tail = tail_states(lam, full, theta)
    unstable = ~np.isfinite(tail) & ~np.isfinite(lines)
    queue = np.where(np.isfinite(tail), np.minimum(tail, _MAX_QUEUE), np.where(unstable, 1, _MAX_QUEUE))
    top = np.minimum(slots + queue, lines)
    k_max = int(top.max()) + 1 if t_count else 1
    k = np.arange(k_max)[None, :]
    in_service = np.minimum(k, slots[:, None])
    ahead = k - slots[:, None]  # contacts ahead of an arrival in state k (negative: a slot is free)
    death = rate(in_service) + theta[:, None] * np.maximum(ahead, 0)
    birth = np.broadcast_to(lam[:, None], death.shape).copy()
    if birth_factor is not None:
        birth = birth * birth_factor(ahead)
    with np.errstate(divide="ignore"):
        step = np.log(birth[:, :-1]) - np.log(np.maximum(death[:, 1:], 1e-300))
    log_pi = np.concatenate([np.zeros((t_count, 1)), np.cumsum(step, axis=1)], axis=1)
    inside = k <= top[:, None]
    log_pi = np.where(inside, log_pi, -np.inf)
    log_pi -= special.logsumexp(log_pi, axis=1, keepdims=True) if k_max else 0
    pi = np.exp(log_pi)

    finite_lines = np.isfinite(lines)[:, None]
    blocked_state = finite_lines & (k == top[:, None])
    join = np.ones_like(pi) if birth_factor is None else birth_factor(ahead) * np.ones_like(pi)
    arrive = np.where(blocked_state, 0.0, pi * join)  # arrivals that join, by state
    waits = ahead >= 0
    j = np.maximum(ahead, 0).astype(float)
    th = theta[:, None]
    full_c = full[:, None]
    t = None if threshold is None else np.broadcast_to(np.asarray(threshold, float), lam.shape)[:, None]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        a = np.where(th > 0, full_c / np.where(th > 0, th, 1.0), np.inf)
        ans = np.where(th > 0, a / (a + j + 1), np.where(full_c > 0, 1.0, 0.0))
        wait_ans = np.where(th > 0, ans * (special.digamma(a + j + 2) - special.digamma(a + 1)) / th,
                            (j + 1) / full_c)
        wait_ans = np.where(ans > 0, wait_ans, 0.0)
        if t is not None:
            w = -np.expm1(-th * t)
            within = np.where(th > 0, ans * special.betainc(j + 1, a + 1, w), special.gammainc(j + 1, full_c * t))
            within = np.where(full_c > 0, within, 0.0)
    ans = np.where(waits, ans, 1.0)
    wait_ans = np.where(waits, wait_ans, 0.0)
    out = {
        "blocked": np.where(finite_lines[:, 0], (pi * blocked_state).sum(axis=1), 0.0),
        "joined": arrive.sum(axis=1),
        "declined": np.where(blocked_state, 0.0, pi * (1 - join)).sum(axis=1),
        "wait_probability": (arrive * waits).sum(axis=1),
        "answered": (arrive * ans).sum(axis=1),
        "wait_sum": (arrive * wait_ans).sum(axis=1),
        "busy": (pi * in_service).sum(axis=1),
        "unstable": unstable,
        "dist": pi,
        "ahead": ahead,
    }
    out["abandon_rate"] = out["joined"] - out["answered"]
    if t is not None:
        within = np.where(waits, np.nan_to_num(within), 1.0)
        out["service_level"] = (arrive * within).sum(axis=1)
    if unstable.any():  # no stationary law: every arrival waits for ever
        for key, value in (("wait_probability", 1.0), ("answered", 0.0), ("abandon_rate", 0.0),
                           ("service_level", 0.0), ("wait_sum", np.inf), ("busy", np.nan)):
            if key in out:
                out[key] = np.where(unstable, value, out[key])
        out["busy"] = np.where(unstable, slots.astype(float), out["busy"])
    return out
