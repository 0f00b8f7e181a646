"""The hiring MILP: equal to brute-force enumeration on small cases, never worse than the greedy heuristic."""

import itertools

import numpy as np
import pandas as pd
import pytest

from wfm.capacity import capacity_plan, capacity_rules
from wfm.capacity.cohorts import _build_base, _project
from wfm.capacity.hiring import _problem


def _evaluator(demand, staff, rules):
    """The plan's cost of any hiring plan (sites x allowed starts), from the cohort projection alone."""
    r = capacity_rules(rules)
    sites = list(pd.unique(demand["site"]))
    weeks = demand["week"].nunique()
    base = _build_base(staff, r, sites, weeks)
    arr = _project(base, r, weeks)
    prod = np.zeros((len(sites), weeks))
    np.add.at(prod, base.site, arr["heads"] * arr["prod"] * r.fte_per_head)
    req = demand["required_fte"].to_numpy().reshape(len(sites), weeks)
    prob = _problem(r, prod, req * (1 - r.tolerance), weeks)
    return prob


def _case(seed, weeks=12, sites=("all",)):
    rng = np.random.default_rng(seed)
    demand = pd.DataFrame({"site": np.repeat(list(sites), weeks), "week": np.tile(np.arange(weeks), len(sites)),
                           "required_fte": np.concatenate([np.linspace(18, 18 + rng.uniform(0, 8), weeks)
                                                           + rng.normal(0, 1, weeks) for _ in sites])})
    staff = pd.DataFrame({"site": np.repeat(list(sites), 2), "tenure_weeks": np.tile([5, 100], len(sites)),
                          "headcount": rng.integers(4, 10, 2 * len(sites))})
    return demand, staff


BRUTE_CASES = [
    dict(shortfall="penalty", overtime=0.0, cost_per_class=0.0),
    dict(shortfall="penalty", overtime=0.05, cost_per_class=2000.0),
    dict(shortfall="penalty", overtime=0.1, overtime_premium=3.0, cost_per_class=500.0, tolerance=0.03),
    dict(shortfall="hard", overtime=0.1, cost_per_class=1000.0, tolerance=0.1),
    dict(shortfall="hard", overtime=0.0, cost_per_class=0.0, tolerance=0.08),
]


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("extra", BRUTE_CASES, ids=lambda e: f"{e['shortfall']}-ot{e['overtime']}")
def test_milp_equals_brute_force(seed, extra):
    # 12 weeks, three allowed class starts, sizes 0 or 2-8: 8^3 = 512 plans, each costed by the
    # plan's own evaluation (method="fixed"), independently of the MILP's matrix.
    demand, staff = _case(seed)
    rules = {"attrition": {0: 0.03, 6: 0.015}, "training_weeks": 2, "training_attrition": 0.1, "nesting_weeks": 2,
             "nesting_productivity": 0.5, "lead_time_weeks": 1, "start_weeks": [1, 3, 6], "class_min": 2,
             "class_max": 8, "cost_per_hire": 2500.0, "cost_per_paid_hour": 20.0, "shortfall_penalty": 2500.0,
             **extra}
    prob = _evaluator(demand, staff, rules)
    assert prob.starts.tolist() == [1, 3, 6]
    combos = itertools.product([0, *range(2, 9)], repeat=3)
    costs = {combo: prob.evaluate(np.array([combo]))["cost"] for combo in combos}
    best_combo = min(costs, key=costs.get)
    best = costs[best_combo]
    if not np.isfinite(best):
        with pytest.raises(ValueError, match="shortfall"):
            capacity_plan(demand, staff, rules, mip_rel_gap=0.0)
        return
    # the brute-force optimum costed by the public plan (method="fixed") is the same number
    fixed = capacity_plan(demand, staff, rules, method="fixed",
                          hires=pd.DataFrame({"week": [1, 3, 6], "heads": best_combo}))
    assert fixed.params["objective"] == pytest.approx(best, rel=1e-12)
    milp = capacity_plan(demand, staff, rules, mip_rel_gap=0.0)
    assert milp.params["objective"] == pytest.approx(best, rel=1e-9)
    # the objective HiGHS reports is the plan's own cost of the hires it chose
    refit = capacity_plan(demand, staff, rules, method="fixed",
                          hires=milp.hiring.rename(columns={"start_week": "week_no"})
                          .assign(week=lambda f: f["week_no"])[["week", "heads"]])
    assert refit.params["objective"] == pytest.approx(milp.params["objective"], rel=1e-9)


def test_objective_is_the_sum_of_the_cost_columns():
    demand, staff = _case(7)
    rules = {"attrition": {0: 0.02}, "training_weeks": 2, "nesting_weeks": 0, "lead_time_weeks": 1,
             "class_min": 1, "class_max": 6, "cost_per_hire": 1000, "cost_per_class": 300, "overtime": 0.05,
             "cost_per_paid_hour": 20}
    plan = capacity_plan(demand, staff, rules)
    tab = plan.table
    base = capacity_plan(demand, staff, rules, method="fixed", hires=pd.DataFrame({"week": [], "heads": []}))
    # objective = all costs minus the paid cost of the staff who are there anyway
    base_paid = (base.table["paid_fte"] - 0).sum() * 37.5 * 20
    total = tab[["hiring_cost", "paid_cost", "overtime_cost", "gap_cost"]].to_numpy().sum()
    assert plan.params["objective"] == pytest.approx(total - base_paid, rel=1e-9)
    assert plan.figures()["total_cost"] == pytest.approx(total)
    # gap cost: the penalty (default twice an FTE-week's pay) on the gap beyond the tolerance
    assert tab["gap_cost"].to_numpy() == pytest.approx(tab["penalised_gap_fte"].to_numpy() * 2 * 37.5 * 20)


@pytest.mark.parametrize("seed", range(4))
def test_milp_never_worse_than_greedy(seed):
    rng = np.random.default_rng(100 + seed)
    demand, staff = _case(seed, weeks=40, sites=("a", "b"))
    rules = {"attrition": {0: 0.015, 13: 0.008}, "training_weeks": int(rng.integers(2, 5)), "nesting_weeks": 4,
             "lead_time_weeks": 3, "start_weeks": list(range(3, 40, 2)), "class_min": int(rng.integers(1, 4)),
             "class_max": 10, "overtime": float(rng.choice([0.0, 0.05])), "cost_per_class": 1000.0,
             "cost_per_paid_hour": 25.0, "cost_per_hire": 4000.0}
    milp = capacity_plan(demand, staff, rules, mip_rel_gap=1e-9)
    greedy = capacity_plan(demand, staff, rules, method="greedy")
    assert milp.params["optimal"]
    assert milp.params["objective"] <= greedy.params["objective"] * (1 + 1e-9)
    assert milp.figures()["total_cost"] <= greedy.figures()["total_cost"] * (1 + 1e-9)


def test_greedy_hires_at_the_gap_minus_the_training():
    # One tenured group losing 5% a week, 30 FTE needed; classes every week from week 2 with 3 training weeks
    # and no training attrition. Supply 32 * 0.95^t is short from week 4, but no class reaches a week before
    # 2 + 3 = 5, so greedy starts its first class in week 2 (the latest start that graduates by week 5) with
    # ceil(30 - 32 * 0.95^5) = ceil(5.24) = 6 heads, which close week 5's gap.
    demand = pd.DataFrame({"site": "all", "week": range(20), "required_fte": 30.0})
    staff = pd.DataFrame({"tenure_weeks": [100], "headcount": [32]})
    rules = {"attrition": {0: 0.05}, "training_weeks": 3, "training_attrition": 0.0, "nesting_weeks": 0,
             "lead_time_weeks": 2, "class_min": 1, "class_max": 50}
    g = capacity_plan(demand, staff, rules, method="greedy")
    first = g.hiring.iloc[0]
    gap5 = 30 - 32 * 0.95 ** 5
    assert first["start_week"] == 2
    assert first["heads"] == int(np.ceil(gap5)) == 6


@pytest.mark.parametrize("seed", range(2))
def test_site_blocks_give_the_joint_milp_optimum(seed):
    # No rule couples sites, so the MILP is block diagonal: one model over all sites and one per site agree.
    demand, staff = _case(seed, weeks=16, sites=("a", "b", "c"))
    rules = {"attrition": {0: 0.02}, "training_weeks": 2, "nesting_weeks": 2, "lead_time_weeks": 1,
             "start_weeks": [1, 4, 7, 10], "class_min": 2, "class_max": 8, "cost_per_class": 800.0}
    joint = capacity_plan(demand, staff, rules, mip_rel_gap=0.0, decompose=False)
    blocks = capacity_plan(demand, staff, rules, mip_rel_gap=0.0)
    assert joint.params["blocks"] == 1 and blocks.params["blocks"] == 3
    assert blocks.params["objective"] == pytest.approx(joint.params["objective"], rel=1e-9)


def test_no_allowed_start_week_costs_the_gap():
    # Start weeks beyond the horizon: nothing can be hired; the cost is the penalty on the gap (by hand).
    demand = pd.DataFrame({"site": "all", "week": range(4), "required_fte": 10.0})
    staff = pd.DataFrame({"tenure_weeks": [100], "headcount": [8]})
    plan = capacity_plan(demand, staff, {"attrition": {0: 0.0}, "start_weeks": [10], "lead_time_weeks": 1,
                                         "shortfall_penalty": 100.0})
    assert plan.hiring.empty
    assert plan.params["objective"] == pytest.approx(4 * 2 * 100.0)
