"""Overflow after a delay in the multi-skill simulator: the kernel against the slow reference with delays, a delay
of 0 is the routing without delays, an infinite delay is routing to the primary groups only (exactly, and Erlang C
for dedicated primaries), and bad input."""

import math

import numpy as np
import pandas as pd
import pytest

import wfm
from wfm.simulation import multiskill as ms
from wfm.simulation import simulate_multiskill
from wfm.simulation._multiskill_kernel import route_overflow
from wfm.skills import centre, simulate_centre

from .test_multiskill import _idx, _random_structure, reference_route

SKILLS = {"A": {"a": 1, "b": 2}, "B": {"b": 1, "a": 2}, "C": {"a": 1, "b": 1}}


@pytest.mark.parametrize("seed", range(6))
def test_kernel_with_delays_matches_slow_reference(seed):
    """Random centres with a delay per type (0, finite or infinite) and the default primary groups (even seeds) or
    random ones (odd seeds): the same answer time and group for every call as the slow reference's overflow
    events."""
    rng = np.random.default_rng(100 + seed)
    types, groups, skills, routing = _random_structure(rng)
    t_count = 6
    calls = pd.DataFrame(rng.uniform(5, 40, (t_count, len(types))), index=_idx(t_count), columns=types)
    patience = {i: (None if rng.random() < 0.3 else float(rng.uniform(30, 300))) for i in types}
    delay = {i: float(rng.choice([0.0, rng.uniform(5, 60), math.inf])) for i in types}
    primary = None
    if seed % 2:
        primary = {i: [g for g in routing[i] if rng.random() < 0.5] or [routing[i][-1]] for i in types}
    inp = ms.prepare(calls, skills, aht={i: float(rng.uniform(100, 400)) for i in types}, patience=patience,
                     routing=routing, replications=1, seed=seed, overflow_delay=delay, primary_groups=primary)
    staff = rng.integers(0, 5, (t_count, len(groups)))
    for j, i in enumerate(types):  # a primary group of every type on duty
        staff[:, groups.index(inp["primary_groups"][i][0])] += 1
    d = inp["draws"][0]
    answer, served, _, _, _ = route_overflow(
        d["arrival"], d["ctype"], d["where"], d["deadline"], d["factor"], inp["aht3"], staff, inp["interval"],
        inp["type_groups"], inp["group_types"], inp["group_level"], d["qbuf"], d["qstart"], inp["delay"],
        inp["primary"], ms.overflow_order(d["arrival"], d["ctype"], inp["delay"]))
    ref_routing = [[groups.index(g) for g in routing[i]] for i in types]
    ref_skills = [[(lv, types.index(i)) for i, lv in skills[g].items()] for g in groups]
    ref_answer, ref_group = reference_route(d["arrival"], d["ctype"], d["where"], d["deadline"], d["factor"],
                                            inp["aht3"], staff, inp["interval"], ref_routing, ref_skills,
                                            delay=inp["delay"], primary=inp["primary"].tolist())
    assert d["arrival"].size > 50
    np.testing.assert_array_equal(served, ref_group)
    np.testing.assert_allclose(answer, ref_answer, rtol=0, atol=1e-9)


@pytest.fixture(scope="module")
def two_types():
    """Two types, a group primary for each and a shared one; 12 half-hours. Module scope: read only."""
    idx = _idx(12)
    calls = pd.DataFrame({"a": 100.0, "b": 60.0}, index=idx)
    return calls, {"A": 8, "B": 5, "C": 2}


def _answers(sim):
    log = sim.contacts
    return log["answer"].to_numpy(), log["group"].fillna("").to_numpy()


def test_zero_delay_is_the_routing_without_delays(two_types):
    calls, agents = two_types
    kw = dict(aht={"a": 180, "b": 300}, patience=200, replications=2, seed=5, log=True)
    plain = simulate_multiskill(calls, agents, SKILLS, **kw)
    zero = simulate_multiskill(calls, agents, SKILLS, overflow_delay=0, **kw)
    short = simulate_multiskill(calls, agents, SKILLS, overflow_delay=20, **kw)
    for x, y in zip(_answers(plain), _answers(zero)):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(_answers(plain)[1], _answers(short)[1])  # a delay does change who answers


def test_infinite_delay_is_routing_to_the_primary_groups_only(two_types):
    """Secondary groups that never take a type are groups without that skill: the same calls, answered at the same
    times by the same groups. C holds a and b at one level, so it is primary for both and keeps them."""
    calls, agents = two_types
    kw = dict(aht={"a": 180, "b": 300}, patience={"a": 200, "b": None}, replications=2, seed=9, log=True)
    never = simulate_multiskill(calls, agents, SKILLS, overflow_delay=math.inf, **kw)
    primary_only = simulate_multiskill(calls, agents, {"A": ["a"], "B": ["b"], "C": {"a": 1, "b": 1}}, **kw)
    for x, y in zip(_answers(never), _answers(primary_only)):
        np.testing.assert_array_equal(x, y)
    c = centre(calls, SKILLS, aht={"a": 180, "b": 300}, patience={"a": 200, "b": None},
               overflow_delay={"a": math.inf, "b": math.inf})
    via_centre = simulate_centre(c, agents, replications=2, seed=9, log=True)
    for x, y in zip(_answers(never), _answers(via_centre)):
        np.testing.assert_array_equal(x, y)


def test_infinite_delay_with_dedicated_primaries_is_erlang_c():
    """A primary for a, B primary for b (each secondary for the other): with an infinite delay each type is its
    own M/M/n queue, and its simulated service level covers Erlang C (99% interval)."""
    idx = _idx(40)
    calls = pd.DataFrame({"a": 100.0, "b": 60.0}, index=idx)
    skills = {"A": ["a", "b"], "B": ["b", "a"]}
    sim = simulate_multiskill(calls, {"A": 12, "B": 12}, skills, aht={"a": 180, "b": 300}, overflow_delay=math.inf,
                              replications=8, seed=3, warmup=4, level=0.99)
    got = sim.summary()
    for i, n, aht, volume in (("a", 12, 180, 100), ("b", 12, 300, 60)):
        exact = float(wfm.service_level(volume, aht, 1800, n, 20, model="erlang_c"))
        assert got.loc[i, "service_level_lo"] <= exact <= got.loc[i, "service_level_hi"], (i, exact, got.loc[i])
    assert (sim.handled().loc["A", "b"], sim.handled().loc["B", "a"]) == (0.0, 0.0)


@pytest.mark.parametrize("delay, primary, match", [
    ({"a": -5}, None, r"overflow_delay\['a'\] must be >= 0"),
    ({"z": 5}, None, "overflow_delay names the call type 'z'"),
    (5, {"a": ["B", "X"]}, r"primary_groups\['a'\] names the group 'X'"),
    (5, {"a": ["A"], "b": ["A"]}, r"primary_groups\['b'\] names the group 'A', which does not hold"),
    (5, {"a": []}, r"primary_groups\['a'\] is empty"),
])
def test_bad_overflow_input_names_the_type_or_group(two_types, delay, primary, match):
    calls, agents = two_types
    with pytest.raises(ValueError, match=match):
        simulate_multiskill(calls, agents, {"A": ["a"], "B": ["b", "a"]}, aht=180, overflow_delay=delay,
                            primary_groups=primary)
