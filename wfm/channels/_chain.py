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
limit): the shape is (intervals, states), all NumPy, no loop over intervals;
intervals of like width are solved together in blocks of bounded size
(:data:`BLOCK_CELLS`), so a year of intervals fits in memory.

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

__all__ = ["solve", "tail_states", "figures"]

_MAX_QUEUE = 200_000  # waiting states kept at most, per interval


def tail_states(lam, full_rate, theta):
    r"""Waiting positions j to keep so that the cut-off tail is below about 1e-18 of the mass.

    With abandonment the queue length is close to a Poisson law around its
    mode :math:`j^* = \max(0, (\lambda - R) / \theta)` with variance at most
    :math:`x = \lambda / \theta` (the ratios :math:`\lambda / (R + \theta j)`
    fall faster than a Poisson's beyond the mode), so j* + 10 sqrt(x) + 20
    positions hold all but a Gaussian-like tail under 1e-20; without it the
    tail is geometric with ratio :math:`\lambda / R`. Returns a float array
    (inf where the queue has no stationary law: no abandonment and arrivals
    at least the full completion rate).
    """
    lam, full_rate, theta = np.broadcast_arrays(*(np.asarray(z, float) for z in (lam, full_rate, theta)))
    has = theta > 0
    safe = np.where(has, theta, 1.0)
    x = np.where(has, lam / safe, np.inf)
    mode = np.where(has, np.maximum(lam - full_rate, 0.0) / safe, np.inf)
    poisson = mode + 10 * np.sqrt(x) + 20
    with np.errstate(divide="ignore", invalid="ignore"):
        rho = np.where(full_rate > 0, lam / full_rate, np.inf)
        geometric = np.where(rho < 1, np.log(1e-18) / np.log(np.maximum(rho, 1e-300)) + 2, np.inf)
    geometric = np.where(lam == 0, 1.0, geometric)
    return np.ceil(np.minimum(poisson, geometric))


def solve(lam, slots, rate, theta, *, lines=None, threshold=None, birth_factor=None, waits=True):
    r"""
    Stationary figures of the chain for each interval (1-D arrays of length T).

    Parameters
    ----------
    lam : array
        Arrival rate. [1/s]
    slots : int array
        Service slots s. [count]
    rate : callable
        ``rate(m, rows)`` -> completion rate with ``m`` contacts in service,
        for an (R, K) int array ``m`` whose rows are the intervals ``rows``
        (an index array into the inputs); ``rate(m) / m`` must not rise with
        m (handle times do not shrink as load grows). [1/s]
    theta : array
        Abandonment rate of a waiting contact, 0 for none. [1/s]
    lines : array, optional
        Most contacts in the system (in service + waiting); arrivals in that
        state are blocked. None or inf for no limit.
    threshold : array, optional
        Answer-time target T. [s]
    birth_factor : callable, optional
        ``birth_factor(j, rows)`` -> share of arrivals that join the queue
        with j contacts ahead (j < 0: a slot is free), for an (R, K) array
        ``j`` of the intervals ``rows``.
    waits : bool
        Also compute the wait figures (``wait_sum``, ``service_level``);
        False skips the digamma and incomplete-beta work.

    Returns
    -------
    dict of arrays
        ``blocked``, ``wait_probability``, ``abandon_rate``, ``answered``,
        ``service_level`` (answered within T over all arrivals), ``wait_sum``
        (E[wait; answered] per arrival) [s], ``busy`` (mean contacts in
        service), ``joined`` (share of arrivals that joined), ``declined``
        (share of arrivals that did not join, unblocked), ``unstable`` (bool).

    Notes
    -----
    States far below the load are skipped: with at most ``rate(1)`` per
    contact in service, :math:`\pi_{k-1} / \pi_k \le k / A`, :math:`A =
    \lambda / r(1)`, so below :math:`A - 10\sqrt{A} - 20` the mass is under
    1e-20 (a Poisson tail). Rows without arrivals are filled directly.
    """
    lam = np.asarray(lam, float).reshape(-1)
    t_all = lam.size
    slots_all = np.asarray(slots, np.int64).reshape(-1)
    theta_all = np.broadcast_to(np.asarray(theta, float), lam.shape)
    lines_all = (np.full(lam.shape, np.inf) if lines is None
                 else np.broadcast_to(np.asarray(lines, float), lam.shape))
    thr_all = None if threshold is None else np.broadcast_to(np.asarray(threshold, float), lam.shape)
    live = lam > 0
    keys = ("blocked", "joined", "declined", "wait_probability", "answered", "wait_sum", "busy", "abandon_rate")
    out = {k: np.zeros(t_all) for k in keys}
    out["joined"][:] = 1.0
    out["answered"][:] = 1.0
    out["unstable"] = np.zeros(t_all, bool)
    if thr_all is not None:
        out["service_level"] = np.ones(t_all)
    if not live.any():
        return out
    rows = np.flatnonzero(live)
    span = _states(lam[rows], slots_all[rows], lambda m: rate(m, rows), theta_all[rows], lines_all[rows])
    for block in _blocks(span["top"] - span["base"] + 1):  # rows of like width together, in bounded memory
        r = rows[block]
        part = _solve_rows(lam[r], slots_all[r], lambda m, r=r: rate(m, r), theta_all[r],
                           None if thr_all is None else thr_all[r],
                           None if birth_factor is None else (lambda j, r=r: birth_factor(j, r)), waits,
                           {key: val[block] for key, val in span.items()})
        for k, val in part.items():
            out[k][r] = val
    return out


#: Most cells (intervals x states) of the chain solved at once: about 32 MB per (intervals, states) array.
BLOCK_CELLS = 4_000_000


def _blocks(width):
    """
    Index arrays that cover ``width`` (states per row), rows sorted by width, each block's rows x its widest
    row at most :data:`BLOCK_CELLS` (one row alone if wider): a year of intervals is solved a block at a time,
    and the quiet hours of a block are not padded out to the busiest interval of the year.
    """
    order = np.argsort(width, kind="stable")
    w = np.asarray(width, dtype=np.int64)[order]
    blocks, i = [], 0
    while i < w.size:  # one step per block (a handful), not per row
        cost = (np.arange(1, w.size - i + 1)) * w[i:]  # rows x widest of the block [i, i + n), n = 1, 2, ...
        n = max(1, int(np.searchsorted(cost, BLOCK_CELLS, side="right")))
        blocks.append(order[i:i + n])
        i += n
    return blocks


def _states(lam, slots, rate, theta, lines):
    """Per row: the states kept, ``base`` to ``top`` (see :func:`solve`'s notes), and what sets them."""
    finite = np.isfinite(lines)
    full = np.asarray(rate(slots[:, None]))[:, 0]
    tail = tail_states(lam, full, theta)
    unstable = ~np.isfinite(tail) & ~finite
    queue = np.where(np.isfinite(tail), np.minimum(tail, _MAX_QUEUE), np.where(unstable, 1, _MAX_QUEUE))
    top = np.minimum(slots + queue, lines)
    one = np.asarray(rate(np.ones((lam.size, 1), np.int64)))[:, 0]
    a_lo = np.where(one > 0, lam / np.where(one > 0, one, 1.0), 0.0)
    base = np.clip(np.floor(a_lo - 10 * np.sqrt(a_lo) - 20), 0, np.minimum(slots, top)).astype(np.int64)
    return {"finite": finite, "full": full, "unstable": unstable, "top": top, "base": base}


def _solve_rows(lam, slots, rate, theta, threshold, birth_factor, waits, span):
    t_count = lam.size
    finite, full, unstable, top, base = (span[k] for k in ("finite", "full", "unstable", "top", "base"))
    width = int((top - base).max()) + 1
    k = base[:, None] + np.arange(width)[None, :]
    inside = k <= top[:, None]
    k = np.where(inside, k, top[:, None]).astype(np.int64)
    in_service = np.minimum(k, slots[:, None])
    ahead = k - slots[:, None]  # contacts ahead of an arrival in state k (negative: a slot is free)
    death = np.asarray(rate(in_service)) + theta[:, None] * np.maximum(ahead, 0)
    join = None if birth_factor is None else np.asarray(birth_factor(ahead), float) * np.ones(k.shape)
    birth = lam[:, None] if join is None else lam[:, None] * join
    with np.errstate(divide="ignore"):
        step = np.log(np.broadcast_to(birth, k.shape)[:, :-1]) - np.log(np.maximum(death[:, 1:], 1e-300))
    log_pi = np.concatenate([np.zeros((t_count, 1)), np.cumsum(step, axis=1)], axis=1)
    log_pi = np.where(inside, log_pi, -np.inf)
    pi = np.exp(log_pi - log_pi.max(axis=1, keepdims=True))
    pi /= pi.sum(axis=1, keepdims=True)

    blocked_state = finite[:, None] & (k == top[:, None]) & inside
    out = figures(k, pi, pi, slots, full, theta, blocked_state, threshold, join, waits)
    out["unstable"] = unstable
    if unstable.any():  # no stationary law: every arrival waits for ever
        for key, value in (("wait_probability", 1.0), ("answered", 0.0), ("abandon_rate", 0.0),
                           ("service_level", 0.0), ("wait_sum", np.inf)):
            if key in out:
                out[key] = np.where(unstable, value, out[key])
        out["busy"] = np.where(unstable, slots.astype(float), out["busy"])
    return out


def figures(k, pi, seen, slots, full, theta, blocked_state, threshold=None, join=None, waits=True):
    r"""
    The figures of a queue from the law of the number of contacts present.

    ``pi`` is the time-stationary law over the states ``k`` (rows: intervals)
    and gives the busy slots; ``seen`` is the law an arriving contact sees
    (``pi`` itself for Poisson arrivals; weighted by the arrival rate of
    each state when it varies, as with redials from an orbit). A contact
    that joins with j = k - s ahead is answered, and within T, with the
    closed forms of the module docstring. ``blocked_state`` flags the
    states in which arrivals are blocked, ``join`` the share of arrivals
    that join by state (None: all).
    """
    slots = np.asarray(slots)
    ahead = k - slots[:, None]
    joining = np.ones(k.shape) if join is None else join
    arrive = np.where(blocked_state, 0.0, seen * joining)  # arrivals that join, by state
    waiting = ahead >= 0
    j = np.maximum(ahead, 0).astype(float)
    th = theta[:, None]
    full_c = full[:, None]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        a = np.where(th > 0, full_c / np.where(th > 0, th, 1.0), np.inf)
        ans = np.where(th > 0, a / (a + j + 1), np.where(full_c > 0, 1.0, 0.0))
    ans = np.where(waiting, ans, 1.0)
    out = {
        "blocked": (seen * blocked_state).sum(axis=1),
        "joined": arrive.sum(axis=1),
        "declined": np.where(blocked_state, 0.0, seen * (1 - joining)).sum(axis=1),
        "wait_probability": (arrive * waiting).sum(axis=1),
        "answered": (arrive * ans).sum(axis=1),
        "busy": (pi * np.minimum(k, slots[:, None])).sum(axis=1),
    }
    if waits:
        sub = waiting & (arrive > 0)  # the digamma and beta terms only where they weigh
        wait_ans = np.zeros(k.shape)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            ab, jb, thb = np.broadcast_to(a, k.shape)[sub], j[sub], np.broadcast_to(th, k.shape)[sub]
            fb, ansb = np.broadcast_to(full_c, k.shape)[sub], ans[sub]
            wait_ans[sub] = np.where(thb > 0, ansb * (special.digamma(ab + jb + 2) - special.digamma(ab + 1)) / thb,
                                     (jb + 1) / fb)
            wait_ans[sub] = np.where(ansb > 0, wait_ans[sub], 0.0)
        out["wait_sum"] = (arrive * wait_ans).sum(axis=1)
        if threshold is not None:
            within = np.ones(k.shape)
            tb = np.broadcast_to(threshold[:, None], k.shape)[sub]
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                w = -np.expm1(-thb * tb)
                wb = np.where(thb > 0, ansb * special.betainc(jb + 1, ab + 1, w), special.gammainc(jb + 1, fb * tb))
                within[sub] = np.where(fb > 0, np.nan_to_num(wb), 0.0)
            within[waiting & ~sub] = 0.0
            out["service_level"] = (arrive * within).sum(axis=1)
    else:
        out["wait_sum"] = np.full(k.shape[0], np.nan)
    out["abandon_rate"] = out["joined"] - out["answered"]
    return out
