r"""
Redials with the callers who wait to redial tracked: a two-dimensional
Markov chain on (callers in the system, callers in the orbit), truncated
and solved for every interval at once.

State (k, m): k callers present (in service or waiting, at most ``lines``),
m callers in the *orbit* (failed, waiting to call again). With s agents,
service rate :math:`\mu`, abandonment rate :math:`\theta`, fresh arrival
rate :math:`\lambda_0`, redial probability r and redial rate :math:`\nu =
1 / \text{redial\_delay}` per orbiting caller:

==============================  ==============================================
transition                      rate
==============================  ==============================================
(k, m) -> (k + 1, m)            :math:`\lambda_0` (a fresh call joins)
(k, m) -> (k + 1, m - 1)        :math:`m\nu` (a redial joins)
(k, m) -> (k - 1, m)            :math:`\min(k, s)\mu + (1 - r)\theta(k - s)^+`
(k, m) -> (k - 1, m + 1)        :math:`r\theta(k - s)^+` (abandons, will redial)
(K, m) -> (K, m + 1)            :math:`r\lambda_0` (blocked, will redial)
(K, m) -> (K, m - 1)            :math:`(1 - r)m\nu` (a redial blocked, gives up)
==============================  ==============================================

This is the multiserver retrial queue with impatience of Aguir et al. [1]_
(their "exact" model; it is solved there, as here, by truncating the
orbit), in the level-by-level form of a level-dependent quasi-birth-death
process: levels are k, each a block of orbit sizes m = 0..M, and the
stationary law follows from the matrices :math:`R_k` with
:math:`\pi_{k+1} = \pi_k R_k`, computed from the top level down (linear
level reduction, Gaver, Jacobs and Latouche [2]_). Unlike the fixed point
of :func:`wfm.channels.erlang_x`, which adds the redials as independent
Poisson load, the chain keeps their correlation with congestion: a short
redial delay brings callers back while the queue that lost them is still
long.

The chain is stationary within each interval (a pointwise stationary
approximation [3]_): right when the orbit turns over within the interval
(``redial_delay`` at most the interval length) and the load moves slowly
between intervals.

Attempts see the state with weight :math:`\lambda_0 + m\nu` (fresh and
redial arrivals), and an attempt that joins with j ahead is answered, and
within T, as in :mod:`wfm.channels._chain`.

References
----------
.. [1] M. S. Aguir, F. Karaesmen, O. Z. Aksin and F. Chauvet, "The impact of
   retrials on call center performance", OR Spectrum 26(3), 353-376, 2004.
.. [2] D. P. Gaver, P. A. Jacobs and G. Latouche, "Finite birth-and-death
   models in randomly changing environments", Advances in Applied
   Probability 16(4), 715-731, 1984.
.. [3] L. Green, P. Kolesar and J. Soares, "Improving the SIPP approach for
   staffing service systems that have cyclic demands", Operations Research
   49(4), 549-564, 2001.
"""

from __future__ import annotations

import numpy as np

from . import _chain

__all__ = ["solve", "states_needed"]

BUDGET = 8e6  # most flops per interval (levels x orbit sizes^3) for the chain; beyond it, the fixed point
MIN_REDIAL_SHARE = 0.01  # the chain where redials are at least this share of the attempts (fixed point's figure)
_TAIL = 1e-9  # largest orbit mass allowed at the truncation


def _shape(lam0, lam_hi, s, mu, theta, lines):
    """Lowest and highest level (callers present) and whether the top blocks.

    The cuts hold all but about 1e-12 of the mass: below :math:`A - 8\\sqrt{A} - 10`
    (a Poisson lower tail, :math:`A = \\lambda_0 / \\mu`) and, above the agents,
    beyond the queue lengths of :func:`wfm.channels._chain.tail_states` at
    the highest arrival rate the orbit allows.
    """
    full = s * mu
    tail = _chain.tail_states(lam_hi, full, theta)
    top_q = s + np.minimum(tail, _chain._MAX_QUEUE)
    blocking = np.isfinite(lines) & (lines <= top_q)
    top = np.where(blocking, lines, top_q).astype(np.int64)
    a_lo = lam0 / mu
    base = np.clip(np.floor(a_lo - 8 * np.sqrt(a_lo) - 10), 0, np.minimum(s, top)).astype(np.int64)
    return base, top, blocking


def states_needed(lam0, orbit_mean, s, mu, theta, lines, nu):
    """(levels, orbit truncation M, flops per interval) for a first truncation from an orbit estimate."""
    orbit_mean = np.maximum(orbit_mean, 0.0)
    m_top = np.ceil(1.5 * orbit_mean + 12 * np.sqrt(orbit_mean + 1) + 15).astype(np.int64)
    base, top, _ = _shape(lam0, lam0 + m_top * nu, s, mu, theta, lines)
    levels = top - base + 1
    return levels, m_top, levels * (m_top + 1.0) ** 3


def _blocks(k, top, base, blocking, lam0, nu, s, mu, theta, r, m):
    """Up, down and within-level blocks (B, P, P) and the full diagonal block for levels k (B,)."""
    b, p = k.size, m.size
    inside = k <= top
    can_up = inside & (k < top)
    can_down = inside & (k > base)
    waiting = np.maximum(k - s, 0) * theta
    ar = np.arange(p)
    up = np.zeros((b, p, p))
    up[:, ar, ar] = (lam0 * can_up)[:, None]
    up[:, ar[1:], ar[:-1]] = (can_up[:, None] * nu[:, None] * m[None, 1:])
    dn = np.zeros((b, p, p))
    last = (ar == p - 1)[None, :]
    dn[:, ar, ar] = can_down[:, None] * ((np.minimum(k, s) * mu + (1 - r) * waiting)[:, None]
                                         + np.where(last, (r * waiting)[:, None], 0.0))
    dn[:, ar[:-1], ar[1:]] = (can_down * r * waiting)[:, None]
    q = np.zeros((b, p, p))
    at_top = (inside & blocking & (k == top))[:, None]
    q[:, ar[:-1], ar[1:]] = np.where(at_top, (r * lam0)[:, None], 0.0)
    q[:, ar[1:], ar[:-1]] = np.where(at_top, ((1 - r) * nu)[:, None] * m[None, 1:], 0.0)
    out = up.sum(axis=2) + dn.sum(axis=2) + q.sum(axis=2)
    q[:, ar, ar] = -out
    q[~inside] = -np.eye(p)  # a level above the top: a placeholder that carries no mass
    return up, dn, q


def _solve_chunk(lam0, s, mu, theta, lines, r, nu, m_top):
    """Stationary law pi[b, level, m] and the level numbers k[b, level] for a chunk of intervals.

    Two-sided linear level reduction: matrices R_i (pi_{i+1} = pi_i R_i) from the top down and
    L_i (pi_{i-1} = pi_i L_i) from the bottom up, the censored chain solved at the level nearest
    the load (where the mass is), and the law carried outwards from it, so that rounding errors
    only ever shrink with the mass they ride on.
    """
    m = np.arange(m_top + 1, dtype=float)
    b, p = lam0.size, m.size
    base, top, blocking = _shape(lam0, lam0 + m_top * nu, s, mu, theta, lines)
    width = int((top - base).max()) + 1
    ks = base[:, None] + np.arange(width)[None, :]
    blocks = [_blocks(ks[:, i], top, base, blocking, lam0, nu, s, mu, theta, r, m) for i in range(width)]

    def ratio(into, big):  # into (-big)^{-1}, by a solve of the transposed system
        return np.swapaxes(np.linalg.solve(np.swapaxes(-big, 1, 2), np.swapaxes(into, 1, 2)), 1, 2)

    ups, downs = [None] * width, [None] * width
    big = blocks[-1][2]
    for i in range(width - 1, 0, -1):  # R_{i-1} = U_{i-1} (-S_i)^{-1}; S_{i-1} = Q_{i-1} + R_{i-1} D_i
        ups[i - 1] = ratio(blocks[i - 1][0], big)
        big = blocks[i - 1][2] + ups[i - 1] @ blocks[i][1]
    low = blocks[0][2]
    for i in range(1, width):  # L_{i+1} = D_{i+1} (-T_i)^{-1}; T_i = Q_i + L_i U_{i-1}
        downs[i] = ratio(blocks[i][1], low)
        low = blocks[i][2] + downs[i] @ blocks[i - 1][0]
    # the level nearest the load (min of load and agents), inside each row's levels
    centre = np.clip(np.round(np.minimum(lam0 / mu, s)) - base, 0, top - base).astype(np.int64)
    rows = np.arange(b)
    censored = np.zeros((b, p, p))
    for i in range(width):
        at = centre == i
        if not at.any():
            continue
        c = blocks[i][2][at].copy()
        if i + 1 < width:
            c += ups[i][at] @ blocks[i + 1][1][at]
        if i > 0:
            c += downs[i][at] @ blocks[i - 1][0][at]
        censored[at] = c
    a = np.swapaxes(censored, 1, 2).copy()
    a[:, -1, :] = 1.0
    rhs = np.zeros((b, p, 1))
    rhs[:, -1] = 1.0
    pi = np.zeros((b, width, p))
    pi[rows, centre] = np.maximum(np.linalg.solve(a, rhs)[..., 0], 0.0)
    for i in range(1, width):
        go = (i > centre)[:, None]
        pi[:, i] = np.where(go, np.einsum("bp,bpq->bq", pi[:, i - 1], ups[i - 1]), pi[:, i])
    for i in range(width - 2, -1, -1):
        go = (i < centre)[:, None]
        pi[:, i] = np.where(go, np.einsum("bp,bpq->bq", pi[:, i + 1], downs[i + 1]), pi[:, i])
    pi = np.maximum(pi, 0.0)
    pi /= pi.sum(axis=(1, 2), keepdims=True)
    inside = ks <= top[:, None]
    return pi, np.where(inside, ks, top[:, None]), inside, top, blocking


def solve(lam0, s, mu, theta, lines, r, nu, orbit_mean, threshold, max_bytes=3e8):
    """
    Figures of the redial chain for each interval (1-D arrays of length B, every ``lam0`` > 0).

    ``orbit_mean`` (callers waiting to redial, e.g. from the fixed point)
    sets the first truncation; it is doubled where the orbit's mass at the
    truncation exceeds 1e-9 (at most twice). Returns the keys of
    :func:`wfm.channels._chain.figures` plus ``attempts`` (attempt rate
    [1/s]) and ``orbit`` (mean callers waiting to redial).
    """
    b = lam0.size
    out = {}
    _, m_top, _ = states_needed(lam0, orbit_mean, s, mu, theta, lines, nu)
    todo = np.arange(b)
    for _ in range(3):  # the truncation grows at most twice; the figures are kept as they are
        if todo.size == 0:
            break
        need = int(m_top[todo].max())
        base, top, _ = _shape(lam0[todo], lam0[todo] + need * nu[todo], s[todo], mu[todo], theta[todo], lines[todo])
        per_row = 48.0 * int((top - base).max() + 1) * (need + 1) ** 2  # the blocks and the R and L matrices
        step = max(1, int(max_bytes // per_row))
        again = []
        for lo in range(0, todo.size, step):  # chunks bound the memory
            rows = todo[lo:lo + step]
            res, tail = _figures_chunk(lam0[rows], s[rows], mu[rows], theta[rows], lines[rows], r[rows], nu[rows],
                                       need, threshold[rows])
            for key, val in res.items():
                out.setdefault(key, np.zeros(b))[rows] = val
            again.append(rows[tail > _TAIL])
        todo = np.concatenate(again)
        m_top[todo] = 2 * m_top[todo] + 10
    return out


def _figures_chunk(lam0, s, mu, theta, lines, r, nu, m_top, threshold):
    pi, k, inside, top, blocking = _solve_chunk(lam0, s, mu, theta, lines, r, nu, m_top)
    m = np.arange(m_top + 1, dtype=float)
    rate = lam0[:, None, None] + nu[:, None, None] * m[None, None, :]
    pk = pi.sum(axis=2) * inside
    seen = (pi * rate).sum(axis=2) * inside
    attempts = seen.sum(axis=1)
    seen = seen / attempts[:, None]
    blocked_state = blocking[:, None] & (k == top[:, None]) & inside
    res = _chain.figures(k, pk, seen, s, s * mu, theta, blocked_state, threshold)
    res["attempts"] = attempts
    res["orbit"] = (pi.sum(axis=1) * m[None, :]).sum(axis=1)
    tail = pi.sum(axis=1)[:, -1]
    return res, tail
