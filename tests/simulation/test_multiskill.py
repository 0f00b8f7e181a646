"""The multi-skill simulator: exact reduction to the single-queue simulator, a slow reference
implementation of the routing rules, exact queueing results (Erlang C/A, Cobham's priority
queue), bad input and the results contract."""

import heapq
import math

import numpy as np
import pandas as pd
import pytest

import wfm
from wfm.simulation import simulate, simulate_multiskill
from wfm.simulation import multiskill as ms
from wfm.simulation._multiskill_kernel import route

LEVEL = 0.99


def _idx(n, start="2024-01-01 08:00"):
    return pd.date_range(start, periods=n, freq="30min")


# --------------------------------------------------------------------------
# One type, one group: the single-queue simulator, call for call.
# --------------------------------------------------------------------------


@pytest.mark.parametrize("patience, cv", [(None, 1.0), (150, 1.0), (90, 0.6)])
def test_one_type_one_group_reproduces_simulate_exactly(patience, cv):
    """Same seed, same callers, same rules: every answer time and every tally equal wfm.simulate's."""
    idx = _idx(16)
    calls = pd.Series(np.r_[40, 60, 90, 120, 120, 110, 100, 90, 90, 100, 110, 100, 80, 60, 40, 30.0], index=idx)
    agents = pd.Series(np.r_[6, 8, 12, 15, 15, 14, 13, 12, 12, 13, 14, 13, 11, 8, 6, 5], index=idx)
    one = simulate(calls, 180, agents, patience=patience, handle_cv=cv, replications=3, seed=11)
    multi = simulate_multiskill(calls.rename("q").to_frame(), pd.DataFrame({"g": agents}), {"g": ["q"]}, aht=180,
                                patience=patience, handle_cv=cv, replications=3, seed=11)
    by = one.by_replication
    for k in ("offered", "answered", "abandoned", "answered_within", "wait_answered"):
        np.testing.assert_allclose(multi.tallies[k][:, :, 0].ravel(), by[k].to_numpy(), rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(multi.tallies["busy_seconds"][:, :, 0].ravel(), by["busy_seconds"], rtol=1e-9)
    np.testing.assert_allclose(multi.tallies["staffed_seconds"][:, :, 0].ravel(), by["staffed_seconds"], rtol=1e-9)
    np.testing.assert_allclose(multi.table["service_level"], one.intervals["service_level"], rtol=1e-12)


# --------------------------------------------------------------------------
# A slow reference of the routing rules, written independently.
# --------------------------------------------------------------------------


def reference_route(arrival, ctype, cint, deadline, factor, aht3, staff, interval, routing, skills, delay=None,
                    primary=None):
    """Event by event with plain lists: the rules of the module docstring, nothing shared with the kernel.

    routing[i]: groups in order; skills[g]: list of (level, type). Agents are (g, k); an agent's idle
    time decides who is idle longest; waiting calls are scanned in full each time. With ``delay[i]`` and
    ``primary[i][g]``: a secondary group takes a call only once it has waited delay[i] (an overflow event).
    """
    n_types = max(len(routing), 1)
    delay = [0.0] * n_types if delay is None else list(delay)
    primary = [[True] * staff.shape[1] for _ in range(n_types)] if primary is None else primary

    def allowed(c, g, now):
        return primary[ctype[c]][g] or arrival[c] + delay[ctype[c]] <= now

    t_count, g_count = staff.shape
    n = arrival.size
    answer = [math.nan] * n
    group = [-1] * n
    idle_since = {}  # (g, k) -> time idle since (on duty and idle)
    busy_until = {}  # (g, k) -> end of its call
    waiting = []  # call indices
    events = []  # (time, kind, payload); kinds: 0 call end, 1 boundary, 2 arrival, 3 overflow
    for c in range(n):
        heapq.heappush(events, (arrival[c], 2, c))
        if 0 < delay[ctype[c]] < math.inf:
            heapq.heappush(events, (arrival[c] + delay[ctype[c]], 3, c))
    for t in range(1, t_count):
        heapq.heappush(events, (t * interval, 1, t))
    for g in range(g_count):
        for k in range(staff[0, g]):
            idle_since[(g, k)] = 0.0
    tc = 0

    def take(agent, now):
        g = agent[0]
        live = [c for c in waiting if deadline[c] >= now]
        for level in sorted({lv for lv, _ in skills[g]}):
            types = {i for lv, i in skills[g] if lv == level}
            cands = [c for c in live if ctype[c] in types and allowed(c, g, now)]
            if cands:
                return min(cands, key=lambda c: arrival[c])
        return None

    def serve(c, agent, now):
        answer[c], group[c] = now, agent[0]
        end = now + factor[c] * aht3[cint[c], ctype[c], agent[0]]
        busy_until[agent] = end
        heapq.heappush(events, (end, 0, agent))

    while events:
        now, kind, payload = heapq.heappop(events)
        if kind in (2, 3):
            c = payload
            if kind == 3 and (c not in waiting or deadline[c] < now):
                continue
            for g in routing[ctype[c]]:
                if not allowed(c, g, now):
                    continue
                free = [a for a in idle_since if a[0] == g]
                if free:
                    agent = min(free, key=lambda a: (idle_since[a], a[1]))
                    del idle_since[agent]
                    if kind == 3:
                        waiting.remove(c)
                    serve(c, agent, now)
                    break
            else:
                if kind == 2:
                    waiting.append(c)
        elif kind == 1:
            tc = payload
            for g in range(g_count):
                for k in range(staff[tc, g], staff[tc - 1, g]):
                    idle_since.pop((g, k), None)
                for k in range(staff[tc - 1, g], staff[tc, g]):
                    if (g, k) in busy_until:
                        continue
                    c = take((g, k), now)
                    if c is None:
                        idle_since[(g, k)] = now
                    else:
                        waiting.remove(c)
                        serve(c, (g, k), now)
        else:
            agent = payload
            del busy_until[agent]
            if agent[1] >= staff[tc, agent[0]]:
                continue
            c = take(agent, now)
            if c is None:
                idle_since[agent] = now
            else:
                waiting.remove(c)
                serve(c, agent, now)
    return np.array(answer), np.array(group)


def _random_structure(rng):
    """2-4 types, 2-4 groups, random skill sets with priority levels (ties allowed) and random routing orders."""
    n_types, n_groups = rng.integers(2, 5), rng.integers(2, 5)
    types = [f"t{i}" for i in range(n_types)]
    groups = [f"g{g}" for g in range(n_groups)]
    skills = {}
    for g in groups:
        held = rng.choice(types, size=rng.integers(1, n_types + 1), replace=False)
        skills[g] = {str(i): int(rng.integers(1, 3)) for i in held}
    for i in types:  # every type has a group
        if not any(i in s for s in skills.values()):
            skills[groups[int(rng.integers(n_groups))]][i] = 1
    routing = {i: [g for g in rng.permutation(groups) if i in skills[g]] for i in types}
    return types, groups, skills, routing


@pytest.mark.parametrize("seed", range(10))
def test_kernel_matches_slow_reference(seed):
    """Random small centres: random skill sets and priorities (with ties), random routing, per-group handle
    times, patience for some types, staffing that rises and falls: the same answer time and group for every
    call as the slow reference."""
    rng = np.random.default_rng(seed)
    types, groups, skills, routing = _random_structure(rng)
    t_count = 6
    calls = pd.DataFrame(rng.uniform(5, 40, (t_count, len(types))), index=_idx(t_count), columns=types)
    patience = {i: (None if rng.random() < 0.4 else float(rng.uniform(30, 300))) for i in types}
    aht = {i: float(rng.uniform(100, 400)) for i in types}
    g0 = next(g for g in groups if types[0] in skills[g])
    inp = ms.prepare(calls, skills, aht=aht, patience=patience, routing=routing,
                     aht_by_group={types[0]: {g0: 500.0}}, replications=1, seed=seed)
    staff = rng.integers(0, 5, (t_count, len(groups)))
    staff[:, [groups.index(g) for g in {r[0] for r in routing.values()}]] += 1  # every type can be answered
    d = inp["draws"][0]
    answer, served, _, _, _ = route(d["arrival"], d["ctype"], d["where"], d["deadline"], d["factor"], inp["aht3"],
                                    staff, inp["interval"], inp["type_groups"], inp["group_types"],
                                    inp["group_level"], d["qbuf"], d["qstart"])
    ref_routing = [[groups.index(g) for g in routing[i]] for i in types]
    ref_skills = [[(lv, types.index(i)) for i, lv in skills[g].items()] for g in groups]
    ref_answer, ref_group = reference_route(d["arrival"], d["ctype"], d["where"], d["deadline"], d["factor"],
                                            inp["aht3"], staff, inp["interval"], ref_routing, ref_skills)
    assert d["arrival"].size > 50 and (served >= 0).any()
    np.testing.assert_array_equal(served, ref_group)
    np.testing.assert_allclose(answer, ref_answer, rtol=0, atol=1e-9)


# --------------------------------------------------------------------------
# Exact queueing results.
# --------------------------------------------------------------------------


def _horizon(sim, warmup):
    return ms.horizon_rates(sim.tallies, LEVEL, warmup)


@pytest.mark.parametrize("calls, agents, patience", [(100, 14, None), (100, 10, 120)])
def test_dedicated_groups_are_independent_erlang_queues(calls, agents, patience):
    """Two types, each with its own group: each is an M/M/n(+M) queue; Erlang C/A inside the 99% interval."""
    idx = _idx(24)
    frame = pd.DataFrame({"a": float(calls), "b": float(calls) / 2}, index=idx)
    sim = simulate_multiskill(frame, {"A": agents, "B": agents // 2 + 2}, {"A": ["a"], "B": ["b"]}, aht=180,
                              patience=patience, replications=12, seed=3, warmup=4)
    r = _horizon(sim, 4)
    model = "erlang_c" if patience is None else "erlang_a"
    for j, (c, n) in enumerate(((calls, agents), (calls / 2, agents // 2 + 2))):
        exact = wfm.service_level(c, 180, 1800, n, 20, model=model, patience=patience)
        est, lo, hi = (x[j] for x in r["service_level"])
        assert lo <= exact <= hi, (j, exact, est, lo, hi)
        if patience is not None:
            exact_ab = wfm.abandon_rate(c, 180, 1800, n, patience)
            _, lo, hi = (x[j] for x in r["abandon_rate"])
            assert lo <= exact_ab <= hi


def test_one_group_first_come_first_served_is_the_pooled_erlang_queue():
    """Two types with one AHT, served first come first served by one group: together an M/M/n queue."""
    idx = _idx(24)
    frame = pd.DataFrame({"a": 120.0, "b": 80.0}, index=idx)
    sim = simulate_multiskill(frame, {"g": 24}, {"g": {"a": 1, "b": 1}}, aht=180, replications=12, seed=5,
                              warmup=4)
    tot = {k: sim.tallies[k][:, 4:].sum(axis=(1, 2)) for k in ("answered_within", "offered")}
    est, lo, hi = wfm.simulation._result.ratio_ci(tot["answered_within"], tot["offered"], LEVEL)
    exact = wfm.erlang.erlang_c_service_level(200, 180, 1800, 24, 20)
    assert lo <= exact <= hi
    r = _horizon(sim, 4)["service_level"]  # and both types see the same queue
    assert r[1][0] <= r[0][1] <= r[2][0] or r[1][1] <= r[0][0] <= r[2][1]


def test_strict_priority_waits_match_cobham():
    """Non-preemptive priority M/M/n with one service rate (Cobham 1954; Kleinrock, Queueing Systems vol. 2,
    1976, eq. 3.30): mean wait of class k = C(n, A) / (n mu) / ((1 - s_{k-1}) (1 - s_k)), s_k the
    utilisation by classes 1..k."""
    idx = _idx(28)
    rates = {"hi": 30.0, "mid": 30.0, "lo": 40.0}
    n, aht = 10, 150.0
    sim = simulate_multiskill(pd.DataFrame(rates, index=idx), {"g": n}, {"g": ["hi", "mid", "lo"]}, aht=aht,
                              replications=16, seed=8, warmup=4)
    r = _horizon(sim, 4)["asa"]
    total = sum(rates.values())
    c = wfm.erlang.erlang_c_wait_probability(total, aht, 1800, n)
    mu_n = n / aht
    s = np.cumsum([rates[k] / 1800 / mu_n for k in rates])
    prev = np.r_[0.0, s[:-1]]
    exact = c / mu_n / ((1 - prev) * (1 - s))
    for j in range(3):
        assert r[1][j] <= exact[j] <= r[2][j], (j, exact[j], r[0][j], r[1][j], r[2][j])
    assert r[2][0] < r[1][2]  # power: the top class waits clearly less than the bottom one


# --------------------------------------------------------------------------
# Seeds, common random numbers, results.
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def two_types():
    """Two types and three groups over four half-hours; module scope: read-only."""
    frame = pd.DataFrame({"service": [80.0, 100, 120, 90], "sales": [30.0, 40, 40, 20]}, index=_idx(4))
    skills = {"svc": ["service"], "sal": ["sales"], "both": ["sales", "service"]}
    return frame, skills


def test_seed_reproduces_and_staffing_keeps_the_callers(two_types):
    frame, skills = two_types
    kw = dict(aht={"service": 180, "sales": 300}, patience=150, replications=3)
    a = simulate_multiskill(frame, {"svc": 8, "sal": 3, "both": 2}, skills, seed=4, **kw)
    b = simulate_multiskill(frame, {"svc": 8, "sal": 3, "both": 2}, skills, seed=4, **kw)
    c = simulate_multiskill(frame, {"svc": 10, "sal": 4, "both": 2}, skills, seed=4, **kw)
    pd.testing.assert_frame_equal(a.table, b.table)
    np.testing.assert_array_equal(a.tallies["offered"], c.tallies["offered"])
    assert (c.summary()["service_level"] >= a.summary()["service_level"]).all()


def test_results_contract(two_types):
    import matplotlib

    matplotlib.use("Agg")
    frame, skills = two_types
    sim = simulate_multiskill(frame, {"svc": 8, "sal": 3, "both": 2}, skills, aht={"service": 180, "sales": 300},
                              replications=3, seed=1)
    fig = sim.figures()
    assert all(isinstance(v, float) for v in fig.values())
    assert set(sim.summary().index) == {"service", "sales"}
    handled = sim.handled()
    assert handled.loc["svc", "sales"] == 0 and handled.loc["sal", "service"] == 0
    np.testing.assert_allclose(handled.sum().sum(), sim.table["answered"].sum())
    occ = sim.occupancy()["occupancy"]
    assert ((occ > 0) & (occ <= 1)).all()
    assert sim.plot() is not None and "<h4>" in sim._repr_html_()
    assert len(sim.groups) == 4 * 3 and len(sim.table) == 4 * 2


# --------------------------------------------------------------------------
# Bad input.
# --------------------------------------------------------------------------


@pytest.mark.parametrize("skills, routing, agents, match", [
    ({"svc": ["service"]}, None, {"svc": 5}, "no agent group can answer the call type 'sales'"),
    ({"svc": ["service", "billing"], "sal": ["sales"]}, None, {"svc": 5, "sal": 2}, "'billing'"),
    ({"svc": ["service"], "sal": ["sales"]}, {"sales": ["sal", "nobody"]}, {"svc": 5, "sal": 2},
     "routing\\['sales'\\] names the group 'nobody'"),
    ({"svc": ["service"], "sal": ["sales"]}, {"sales": ["svc"]}, {"svc": 5, "sal": 2},
     "does not hold the skill 'sales'"),
    ({"svc": ["service"], "sal": ["sales"]}, None, {"svc": 5}, "no count for the group 'sal'"),
    ({"svc": ["service"], "sal": ["sales"]}, None, {"svc": 5, "sal": 0}, "no agent can answer the call type 'sales'"),
    ({"svc": ["service"], "sal": []}, None, {"svc": 5, "sal": 1}, "skills\\['sal'\\] is empty"),
])
def test_bad_structure_names_the_type_or_group(two_types, skills, routing, agents, match):
    frame, _ = two_types
    with pytest.raises(ValueError, match=match):
        simulate_multiskill(frame, agents, skills, aht=180, routing=routing, seed=1)


def test_unstaffed_interval_without_patience_is_an_error(two_types):
    frame, skills = two_types
    agents = pd.DataFrame({"svc": [5, 0, 5, 5], "sal": [2, 2, 2, 2], "both": [0, 0, 0, 0]}, index=frame.index)
    with pytest.raises(ValueError, match="service"):
        simulate_multiskill(frame, agents, skills, aht=180, seed=1)
    simulate_multiskill(frame, agents, skills, aht=180, patience=120, seed=1)  # with patience they abandon


def test_bad_numbers_name_the_argument(two_types):
    frame, skills = two_types
    with pytest.raises(ValueError, match=r"aht\['sales'\]"):
        simulate_multiskill(frame, {"svc": 5, "sal": 2, "both": 1}, skills, aht={"service": 180, "sales": 0})
    with pytest.raises(ValueError, match=r"agents\['svc'\]"):
        simulate_multiskill(frame, {"svc": 2.5, "sal": 2, "both": 1}, skills, aht=180)
    with pytest.raises(ValueError, match=r"calls\['sales'\]"):
        simulate_multiskill(frame.assign(sales=-1.0), {"svc": 5, "sal": 2, "both": 1}, skills, aht=180)
