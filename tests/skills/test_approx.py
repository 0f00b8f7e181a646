"""Per-type and pooled Erlang bounds, the pooling approximation and the primary split."""

import itertools

import numpy as np
import pandas as pd
import pytest

import wfm
from wfm.skills import approximate_staffing, centre, erlang_bounds, erlang_requirements, primary_staffing

IDX = pd.date_range("2024-01-01 09:00", periods=3, freq="30min")
CALLS = pd.DataFrame({"a": [100.0, 60, 0], "b": [40.0, 80, 10], "c": [20.0, 10, 5]}, index=IDX)
AHT = {"a": 180, "b": 300, "c": 240}


def test_singletons_and_full_set_are_erlang_staffing():
    c = centre(CALLS, {"all": ["a", "b", "c"]}, aht=AHT, patience={"a": 120, "b": None, "c": 200},
               targets={"a": {"service_level": 0.8, "threshold": 20}, "b": {"max_asa": 30},
                        "c": {"max_abandon_rate": 0.04}})
    req = erlang_requirements(c)
    assert req[("a",)].tolist() == wfm.required_agents(CALLS["a"].to_numpy(), 180, 1800, 0.8, 20, model="erlang_a",
                                                       patience=120).tolist()
    assert req[("b",)].tolist() == wfm.required_agents(CALLS["b"].to_numpy(), 300, 1800, max_asa=30).tolist()
    assert req[("c",)].tolist() == wfm.required_agents(CALLS["c"].to_numpy(), 240, 1800, model="erlang_a",
                                                       patience=200, max_abandon_rate=0.04).tolist()


def test_pooled_queue_with_one_target_is_erlang_of_the_total():
    """Same target: R(all) is required_agents of the summed calls at the volume-weighted AHT."""
    c = centre(CALLS, {"all": ["a", "b", "c"]}, aht=AHT)
    total = CALLS.sum(axis=1).to_numpy()
    aht = (CALLS * pd.Series(AHT)).sum(axis=1).to_numpy() / total
    expected = wfm.required_agents(total, aht, 1800, 0.8, 20)
    b = erlang_bounds(c)
    assert b["pooled_agents"].tolist() == expected.tolist()
    per = sum(wfm.required_agents(CALLS[k].to_numpy(), AHT[k], 1800, 0.8, 20) for k in "abc")
    assert b["per_type_agents"].tolist() == per.tolist()
    assert approximate_staffing(c)["all"].tolist() == expected.tolist()  # full flexibility takes the pooled figure


def test_dedicated_groups_take_each_types_erlang_staffing():
    c = centre(CALLS, {"A": ["a"], "B": ["b"], "C": ["c"]}, aht=AHT)
    got = approximate_staffing(c)
    for g, k in zip("ABC", "abc"):
        assert got[g].tolist() == wfm.required_agents(CALLS[k].to_numpy(), AHT[k], 1800, 0.8, 20).tolist()


def test_covering_program_is_the_cheapest_cover_by_brute_force():
    """Every staffing with up to 25 agents per group: none cheaper meets every set's requirement."""
    skills = {"ab": ["a", "b"], "bc": ["b", "c"], "c": ["c"]}
    cost = {"ab": 1.1, "bc": 1.05, "c": 1.0}
    c = centre(CALLS.iloc[[0]], skills, aht=AHT, cost=cost)
    req = erlang_requirements(c).iloc[0]
    got = approximate_staffing(c).iloc[0].to_numpy()
    cover = np.array([[bool(set(skills[g]) & set(s)) for g in skills] for s in req.index])
    cvec = np.array(list(cost.values()))
    best = min((np.dot(cvec, n), n) for n in itertools.product(range(26), repeat=3)
               if (cover @ np.array(n) >= req.to_numpy()).all())
    assert (cover @ got >= req.to_numpy()).all()
    assert np.dot(cvec, got) == pytest.approx(best[0])


def test_caps_that_cannot_cover_name_the_types_and_groups():
    c = centre(CALLS, {"ab": ["a", "b"], "c": ["c"]}, aht=AHT, max_agents={"ab": 5})
    with pytest.raises(ValueError, match=r"the groups able to answer \['a'\] are capped at 5 agents.*\['ab'\]"):
        approximate_staffing(c)


def test_primary_split_adds_up_to_the_pooled_staffing():
    c = centre(CALLS, {"ab": ["a", "b"], "ba": ["b", "a"], "ca": ["c", "a"]}, aht=AHT)
    split = primary_staffing(c)
    pooled = erlang_bounds(c)["pooled_agents"]
    assert split.sum(axis=1).tolist() == pooled.tolist()
    assert (split["ab"] > split["ca"]).iloc[0]  # a carries more load than c
