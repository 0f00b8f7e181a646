"""The redial chain (wfm.channels._orbit) against a deliberately slow dense solution, and the method rule.

The reference lists every state (k callers present, m waiting to redial) of the retrial queue with
impatience of Aguir et al. (2004), writes each transition of the model by hand, solves pi Q = 0 with a
dense solve, weights the states by the attempts that arrive in them (fresh plus m
redials at rate m / delay), and takes each attempt's chance of being answered within T from the
matrix exponential of its own absorbing chain: no block recursion,
no Beta representation, no truncation search.
"""

import numpy as np
import pandas as pd
import pytest


from wfm.channels import erlang_x, erlang_x_staffing

from .test_bruteforce import _answered_within

INTERVAL = 1800.0


def _dense(calls, aht, agents, patience, lines, r, delay, orbit=90, t=20.0):
    lam0, mu, theta, nu = calls / INTERVAL, 1 / aht, 1 / patience, 1 / delay
    states = [(k, m) for k in range(lines + 1) for m in range(orbit + 1)]
    at = {s: i for i, s in enumerate(states)}
    q = np.zeros((len(states), len(states)))

    def add(src, dst, rate):
        if rate > 0 and dst in at:  # a redial beyond the orbit cut is dropped (its mass is negligible here)
            q[at[src], at[dst]] += rate

    for k, m in states:
        waiting = max(k - agents, 0)
        if k < lines:
            add((k, m), (k + 1, m), lam0)  # a fresh call joins
            add((k, m), (k + 1, m - 1), m * nu)  # a redial joins
        else:
            add((k, m), (k, m + 1), r * lam0)  # a fresh call is blocked and will redial
            add((k, m), (k, m - 1), (1 - r) * m * nu)  # a blocked redial gives up
        if k > 0:
            add((k, m), (k - 1, m), min(k, agents) * mu + (1 - r) * waiting * theta)  # served, or abandons for good
            add((k, m), (k - 1, m + 1), r * waiting * theta)  # abandons and will redial
    np.fill_diagonal(q, -q.sum(axis=1))
    a = q.T.copy()
    a[-1] = 1.0  # one balance equation is redundant: normalise instead
    pi = np.linalg.solve(a, np.r_[np.zeros(len(states) - 1), 1.0])
    weight = np.array([pi[at[(k, m)]] * (lam0 + m * nu) for k, m in states])
    attempts = weight.sum()
    seen = np.zeros(lines + 1)
    for (k, _), w in zip(states, weight):
        seen[k] += w / attempts
    sl = sum(seen[k] * (1.0 if k < agents else _answered_within(k - agents, agents * mu, theta, t))
             for k in range(lines))
    assert pi.reshape(lines + 1, orbit + 1).sum(axis=0)[-1] < 1e-12  # the reference's own cut holds no mass
    return dict(attempts=attempts * INTERVAL, blocked=seen[lines], service_level=sl)


@pytest.mark.parametrize("calls,aht,agents,patience,lines,r,delay", [
    (100, 180, 8, 120, 12, 0.5, 300), (60, 300, 6, 60, 9, 0.7, 120), (200, 240, 12, 300, 16, 0.3, 900),
    (120, 180, 14, 90, 16, 0.8, 200)])
def test_chain_matches_a_dense_solution(calls, aht, agents, patience, lines, r, delay):
    want = _dense(calls, aht, agents, patience, lines, r, delay)
    got = erlang_x(calls, aht, INTERVAL, agents, patience=patience, lines=lines, redial_probability=r,
                   redial_delay=delay, method="chain")
    assert got["method"].item() == "chain"
    for key in ("attempts", "blocked", "service_level"):
        assert got[key].item() == pytest.approx(want[key], rel=1e-7, abs=1e-10), key


def test_short_delays_cost_service_the_fixed_point_misses():
    """Redials that return while the queue that lost them is still long see a worse queue than Poisson load:
    the chain's service level is below the fixed point's, and the gap closes as the delay grows."""
    kw = dict(patience=120, lines=40, redial_probability=0.5)
    gaps = []
    for delay in (120, 300, 900):
        chain = erlang_x(300, 180, 1800, 30, redial_delay=delay, method="chain", **kw)["service_level"].item()
        fixed = erlang_x(300, 180, 1800, 30, redial_delay=delay, method="fixed_point", **kw)["service_level"].item()
        gaps.append(fixed - chain)
    assert gaps[0] > gaps[1] > gaps[2] > 0


def test_the_method_rule():
    idx = pd.date_range("2024-01-01", periods=3, freq="30min")
    kw = dict(patience=120, redial_probability=0.5, lines=20)
    short = erlang_x(pd.Series(100.0, idx), 180, agents=10, redial_delay=600, **kw)
    long = erlang_x(pd.Series(100.0, idx), 180, agents=10, redial_delay=3000, **kw)
    few = erlang_x(pd.Series(100.0, idx), 180, agents=16, redial_delay=600, **kw)
    none = erlang_x(pd.Series(100.0, idx), 180, agents=10, patience=120)
    assert (short["method"] == "chain").all() and (long["method"] == "fixed_point").all()
    assert (few["redials"] < 0.01 * few["attempts"]).all() and (few["method"] == "fixed_point").all()
    assert (none["method"] == "fixed_point").all()  # no redials: nothing to track, Erlang A
    with pytest.raises(ValueError, match="method"):
        erlang_x(100, 180, 1800, 10, method="exact", **kw)


def test_chain_staffing_is_minimal():
    calls = np.array([80.0, 200, 300])
    kw = dict(patience=120, lines=60, redial_probability=0.6, redial_delay=300)
    plan = erlang_x_staffing(calls, 180, 1800, service_level=0.8, **kw)
    n = plan.table["agents"].to_numpy()
    assert (plan.table["method"] == "chain").all()
    assert (plan.table["service_level"] >= 0.8).all()
    assert (erlang_x(calls, 180, 1800, n - 1, **kw)["service_level"] < 0.8).all()
