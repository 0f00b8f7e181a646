"""The chain figures against a deliberately slow, independent solution on small cases.

The reference builds the generator matrix state by state, solves pi Q = 0 with a dense linear
solve, and takes each waiting caller's chance of being answered within T from the matrix
exponential of its own absorbing chain (scipy.linalg.expm): no Beta representation, no log-space
products, no vectorisation. The chat reference spreads m sessions over N agents by hand.
"""

import numpy as np
import pytest
from scipy import linalg

from wfm.channels import chat_handle_time, chat_queue, erlang_x

INTERVAL = 1800.0


def _stationary(birth, death):
    """pi of a birth-death chain on 0..K from explicit rate lists (dense solve of pi Q = 0, sum 1)."""
    k = len(death)
    q = np.zeros((k, k))
    for i in range(k):
        if i + 1 < k:
            q[i, i + 1] = birth[i]
        if i > 0:
            q[i, i - 1] = death[i]
        q[i, i] = -q[i].sum()
    a = np.vstack([q.T, np.ones(k)])
    b = np.r_[np.zeros(k), 1.0]
    return np.linalg.lstsq(a, b, rcond=None)[0]


def _answered_within(j, full_rate, theta, t):
    """P(answered within t) for a caller with j ahead: expm of its absorbing chain."""
    n = j + 1  # positions j..0, then answered, abandoned
    q = np.zeros((n + 2, n + 2))
    for idx in range(n):
        ahead = j - idx
        if ahead > 0:
            q[idx, idx + 1] = full_rate + ahead * theta
        else:
            q[idx, n] = full_rate
        q[idx, n + 1] = theta
        q[idx, idx] = -q[idx].sum()
    return linalg.expm(q * t)[0, n]


def _reference(lam, slots, serve, theta, lines, t, top):
    states = range(int(min(lines, top)) + 1)
    death = [serve(min(k, slots)) + theta * max(k - slots, 0) for k in states]
    pi = _stationary([lam] * len(death), death)
    last = len(death) - 1
    blocked = pi[last] if np.isfinite(lines) else 0.0
    sl = lost = 0.0
    for k in states:
        if np.isfinite(lines) and k == last:
            continue
        if k < slots:
            sl += pi[k]
            continue
        j = k - slots
        full = serve(slots)
        sl += pi[k] * _answered_within(j, full, theta, t)
        lost += pi[k] * (1 - full / (full + theta * (j + 1)) if theta > 0 else 0.0) if j == 0 else 0.0
    return sl, blocked


@pytest.mark.parametrize("calls,aht,agents,patience,lines", [
    (100, 180, 10, 120, 14), (60, 300, 8, 60, 9), (200, 240, 25, 300, 40), (40, 600, 10, 200, 10)])
def test_erlang_x_without_redials_matches_a_dense_solution(calls, aht, agents, patience, lines):
    lam, mu, theta = calls / INTERVAL, 1 / aht, 1 / patience
    sl, blocked = _reference(lam, agents, lambda m: m * mu, theta, lines, 20.0, lines)
    got = erlang_x(calls, aht, INTERVAL, agents, patience=patience, lines=lines, threshold=20)
    assert got["service_level"].item() == pytest.approx(sl, abs=1e-9)
    assert got["blocked"].item() == pytest.approx(blocked, abs=1e-12)


def _balanced_rate(m, agents, handle):
    """Completion rate with m sessions spread as evenly as possible over the agents, one agent at a time."""
    loads = [m // agents + (1 if a < m % agents else 0) for a in range(agents)]
    return sum(load / handle[load - 1] for load in loads if load > 0)


@pytest.mark.parametrize("concurrency,slowdown,agents,sessions", [(2, 0.3, 3, 60), (3, 0.2, 4, 120), (4, 0.5, 2, 50)])
def test_chat_matches_a_dense_solution_with_sessions_spread_by_hand(concurrency, slowdown, agents, sessions):
    aht, patience, t = 300.0, 90.0, 30.0
    handle = chat_handle_time(aht, concurrency, slowdown)
    slots = agents * concurrency
    sl, _ = _reference(sessions / INTERVAL, slots, lambda m: _balanced_rate(m, agents, handle), 1 / patience,
                       np.inf, t, slots + 40)
    got = chat_queue(sessions, aht, INTERVAL, agents, concurrency=concurrency, slowdown=slowdown, patience=patience,
                     threshold=t)
    assert got["service_level"].item() == pytest.approx(sl, abs=1e-9)


@pytest.mark.parametrize("r,lines", [(0.3, 14), (0.6, 12), (0.9, np.inf)])
def test_redial_fixed_point_holds(r, lines):
    """The attempts found satisfy lambda = lambda0 + r lambda L(lambda), L from the dense solution."""
    calls, aht, agents, patience = 100.0, 180.0, 10, 120.0
    got = erlang_x(calls, aht, INTERVAL, agents, patience=patience, lines=lines, redial_probability=r,
                   method="fixed_point")
    lam = got["attempts"].item() / INTERVAL
    top = lines if np.isfinite(lines) else agents + 80
    states = range(int(top) + 1)
    death = [min(k, agents) / aht + max(k - agents, 0) / patience for k in states]
    pi = _stationary([lam] * len(death), death)
    blocked = pi[-1] if np.isfinite(lines) else 0.0
    abandoned = sum(pi[k] * (1 - (agents / aht) / (agents / aht + (k - agents + 1) / patience))
                    for k in states if k >= agents and not (np.isfinite(lines) and k == top))
    assert lam == pytest.approx(calls / INTERVAL + r * lam * (blocked + abandoned), rel=1e-8)
    assert got["redials"].item() == pytest.approx(got["attempts"].item() - calls, rel=1e-12)
