"""The planner's inputs (annual attrition by tenure, a season, pay by stage, training costs) and limits.

Each limit of the MILP is checked against brute-force enumeration on small cases where it binds: every
hiring plan is costed and checked against the limits directly (``_Problem.limits_met``, which reads the
cohort projection, not the MILP's rows).
"""

import itertools

import numpy as np
import pandas as pd
import pytest

from wfm.capacity import capacity_plan, capacity_risk, capacity_rules, project_supply, weekly_hazard
from wfm.capacity.hiring import _problem
from wfm.capacity.planning import _prepare

WEEKS = pd.date_range("2024-05-06", periods=12, freq="7D")      # May-July: a season and three months


def _case(seed, dated=True):
    rng = np.random.default_rng(seed)
    weeks = WEEKS if dated else np.arange(12)
    demand = pd.DataFrame({"site": "all", "week": weeks,
                           "required_fte": np.linspace(18, 18 + rng.uniform(4, 8), 12) + rng.normal(0, 1, 12)})
    staff = pd.DataFrame({"tenure_weeks": [5, 100], "headcount": rng.integers(5, 9, 2)})
    return demand, staff


BASE = {"attrition": {0: 0.03, 6: 0.015}, "training_weeks": 3, "training_attrition": 0.1, "nesting_weeks": 2,
        "nesting_productivity": 0.5, "lead_time_weeks": 1, "start_weeks": [1, 3, 6], "class_min": 2,
        "class_max": 8, "cost_per_hire": 2500.0, "cost_per_paid_hour": 20.0, "shortfall_penalty": 4000.0}

LIMIT_CASES = {
    "seats": dict(seats=22),
    "class_seats": dict(class_seats=10),
    "concurrent_classes": dict(max_concurrent_classes=1),
    "trainers": dict(trainers=3, trainers_per_class=2),
    "hires_per_month": dict(max_hires_per_month=7),
    "budget_per_month": dict(hiring_budget_per_month=21000.0, cost_per_class=2000.0),
    "pay_and_training_costs": dict(trainee_cost_per_paid_hour=14.0, trainer_cost_per_week=1500.0,
                                   training_cost_per_hire=800.0),
    "annual_attrition_season": dict(annual_attrition={0: 0.8, 6: 0.5}, attrition_season={6: 1.5, 7: 2.0}),
    "all": dict(seats=24, class_seats=12, max_concurrent_classes=2, max_hires_per_month=9,
                hiring_budget_per_month=30000.0, trainee_cost_per_paid_hour=14.0, trainer_cost_per_week=1000.0,
                training_cost_per_hire=500.0, annual_attrition={0: 0.8, 6: 0.5}, attrition_season={7: 1.5}),
}


def _brute(demand, staff, rules):
    r = capacity_rules(rules)
    ctx = _prepare(demand, staff, r)
    prob = _problem(r, **ctx["problem"])
    combos = list(itertools.product([0, *range(2, 9)], repeat=3))
    costs = {c: prob.evaluate(np.array([c]))["cost"] for c in combos}
    best = min(costs, key=costs.get)
    return prob, best, costs[best]


@pytest.mark.parametrize("name, seed", [(name, 0) for name in LIMIT_CASES] + [("all", 1), ("seats", 1)])
def test_milp_equals_brute_force_with_each_limit(name, seed):
    demand, staff = _case(seed)
    if name == "annual_attrition_season":
        rules = {k: val for k, val in BASE.items() if k != "attrition"} | LIMIT_CASES[name]
    elif name == "all":
        rules = {k: val for k, val in BASE.items() if k != "attrition"} | LIMIT_CASES[name]
    else:
        rules = BASE | LIMIT_CASES[name]
    prob, best_combo, best = _brute(demand, staff, rules)
    free = {k: val for k, val in rules.items() if k in BASE or k in ("annual_attrition", "attrition_season")
            or k.startswith(("trainee", "trainer_cost", "training_cost", "cost_per_class"))}
    if name not in ("pay_and_training_costs", "annual_attrition_season"):
        # the limit binds: the cheapest plan without it breaks it
        _, free_combo, free_cost = _brute(demand, staff, free)
        assert not prob.limits_met(np.array([free_combo])), name
        assert best >= free_cost
    milp = capacity_plan(demand, staff, rules, mip_rel_gap=0.0)
    assert milp.params["objective"] == pytest.approx(best, rel=1e-9)
    got = np.zeros(3, dtype=int)
    for w, h in zip(milp.hiring["start_week"], milp.hiring["heads"]):
        got[[1, 3, 6].index(w)] = h
    assert prob.limits_met(got[None, :])
    # the plan's own cost of the brute-force optimum (method="fixed") is the same number
    fixed = capacity_plan(demand, staff, rules, method="fixed",
                          hires=pd.DataFrame({"week": [1, 3, 6], "heads": best_combo}))
    assert fixed.params["objective"] == pytest.approx(best, rel=1e-12)


def test_objective_is_the_cost_columns_less_the_fixed_pay():
    demand, staff = _case(3)
    rules = {k: val for k, val in BASE.items() if k != "attrition"} | LIMIT_CASES["all"]
    plan = capacity_plan(demand, staff, rules, mip_rel_gap=0.0)
    none = capacity_plan(demand, staff, rules, method="fixed", hires=pd.DataFrame({"week": [], "heads": []}))
    tab = plan.table
    cols = ["hiring_cost", "training_cost", "paid_cost", "overtime_cost", "gap_cost"]
    assert plan.figures()["total_cost"] == pytest.approx(tab[cols].to_numpy().sum())
    # objective = every cost less the pay of the staff who are there anyway
    assert plan.params["objective"] == pytest.approx(tab[cols].to_numpy().sum() - none.table["paid_cost"].sum(),
                                                     rel=1e-9)
    # trainees are paid at their own rate, the floor at cost_per_paid_hour (hand formula)
    r = capacity_rules(rules)
    trainee = tab["trainees_expected"] * 37.5 * 14.0
    floor = (tab["paid_fte"] - tab["trainees_expected"]) * 37.5 * 20.0
    np.testing.assert_allclose(tab["paid_cost"], trainee + floor, rtol=1e-12)
    # training and hiring cost: per head and per class, in the class's start week
    np.testing.assert_allclose(tab["training_cost"], tab["hires"] * 500.0 + tab["classes_started"] * 1000.0 * 3)
    np.testing.assert_allclose(tab["hiring_cost"], tab["hires"] * 2500.0)
    assert r.hire_cost == 3000.0


def test_annual_attrition_converts_exactly():
    # 30% a year: 1,000 tenured agents keep exactly 700 after 52 weeks
    staff = pd.DataFrame({"tenure_weeks": [100], "headcount": [1000]})
    weekly, _ = project_supply(staff, {"annual_attrition": {0: 0.3}}, weeks=53)
    assert weekly["headcount"].iloc[52] == pytest.approx(700.0, rel=1e-12)
    r = capacity_rules({"annual_attrition": {0: 0.6, 13: 0.35}})
    assert r.weekly_attrition == pytest.approx({0: weekly_hazard(0.6), 13: weekly_hazard(0.35)})
    with pytest.raises(ValueError, match=r"attrition.*annual_attrition.*not both"):
        capacity_rules({"attrition": {0: 0.01}, "annual_attrition": {0: 0.3}})
    with pytest.raises(ValueError, match=r"rules\.annual_attrition.*Did you mean 0\.3"):
        capacity_rules({"annual_attrition": {0: 30}})


def test_seasonal_attrition_by_hand():
    # 10 tenured agents, 1% a week, doubled in June (weeks whose Thursday is in June): 2024-05-27's Thursday
    # is May 30, 2024-06-03's is June 6.
    staff = pd.DataFrame({"tenure_weeks": [100], "headcount": [10]})
    weekly, _ = project_supply(staff, {"attrition": {0: 0.01}, "attrition_season": {6: 2.0}}, weeks=4,
                               start="2024-05-20")
    h = [10, 10 * 0.99, 10 * 0.99 ** 2, 10 * 0.99 ** 2 * 0.98]
    assert weekly["headcount"].tolist() == pytest.approx(h, rel=1e-12)
    with pytest.raises(ValueError, match=r"attrition_season.*dated weeks"):
        capacity_plan(pd.DataFrame({"site": "all", "week": range(8), "required_fte": 5.0}), staff,
                      {"attrition_season": {6: 2.0}, "lead_time_weeks": 2})
    with pytest.raises(ValueError, match=r"rules\.attrition_season.*1-12"):
        capacity_rules({"attrition_season": {13: 1.0}})


def test_monthly_roll_up_adds_up():
    demand, staff = _case(1)
    demand2 = pd.concat([demand, demand.assign(site="b")], ignore_index=True)
    staff2 = pd.concat([staff.assign(site="all"), staff.assign(site="b")], ignore_index=True)
    rules = {k: val for k, val in BASE.items() if k != "attrition"} | LIMIT_CASES["all"]
    plan = capacity_plan(demand2, staff2, rules)
    m = plan.monthly()
    assert m["month"].astype(str).unique().tolist() == ["2024-05", "2024-06", "2024-07"]
    assert m["total_cost"].sum() == pytest.approx(plan.figures()["total_cost"], rel=1e-12)
    assert m["hires"].sum() == plan.figures()["hires"]
    # a month's heads are the whole heads of its last week (July's last week is 2024-07-22)
    last = plan.table[plan.table["week"] == pd.Timestamp("2024-07-22")].set_index("site")["headcount"]
    july = m[m["month"].astype(str) == "2024-07"].set_index("site")["headcount_end"]
    assert july.to_dict() == last.to_dict()
    total = plan.monthly(by_site=False)
    np.testing.assert_allclose(total["total_cost"], m.groupby("month")["total_cost"].sum().to_numpy())
    assert total["headcount_end"].tolist() == m.groupby("month")["headcount_end"].sum().tolist()
    # weeks of the month: May has 4 (6, 13, 20, 27), June 4, July 4
    assert total["weeks"].tolist() == [4, 4, 4]


def test_probability_of_any_shortfall_by_closed_form():
    # 40 agents, 2% weekly hazard, no hires, 38 FTE needed: supply only falls, so a path is short in some week
    # iff it is short in the last; heads in week 19 are Binomial(40, 0.98^19): P(short) = P(B < 38).
    from scipy.stats import binom

    demand = pd.DataFrame({"site": "all", "week": range(20), "required_fte": 38.0})
    staff = pd.DataFrame({"tenure_weeks": [200], "headcount": [40]})
    plan = capacity_plan(demand, staff, {"attrition": {0: 0.02}, "lead_time_weeks": 2}, method="fixed",
                         hires=pd.DataFrame({"week": [], "heads": []}))
    risk = capacity_risk(plan, paths=20_000, seed=4, volume=False, hedge=False)
    last = risk.table["prob_short"].iloc[-1]
    assert risk.params["prob_any_short"] == last                       # the same paths, read two ways
    p = binom.cdf(37, 40, 0.98 ** 19)
    assert risk.params["prob_any_short"] == pytest.approx(p, abs=4 * np.sqrt(p * (1 - p) / 20_000))
    assert risk.figures()["prob_any_short"] == risk.params["prob_any_short"]
    assert risk.params["prob_any_short_by_site"] == {"all": risk.params["prob_any_short"]}


def test_paths_follow_the_season_and_annual_rates():
    # the Monte Carlo draws leavers from the same hazards as the expected plan: means agree within MC error
    from wfm.capacity import simulate_supply

    demand = pd.DataFrame({"site": "all", "week": pd.date_range("2024-06-03", periods=16, freq="7D"),
                           "required_fte": 60.0})
    staff = pd.DataFrame({"tenure_weeks": [2, 100], "headcount": [30, 40]})
    rules = {"annual_attrition": {0: 0.9, 13: 0.5}, "attrition_season": {7: 3.0}, "lead_time_weeks": 2,
             "training_weeks": 2, "nesting_weeks": 0}
    plan = capacity_plan(demand, staff, rules, method="fixed", hires=pd.DataFrame({"week": [], "heads": []}))
    sims = simulate_supply(plan, paths=20_000, seed=5)[:, 0, :]
    expected = plan.table["available_fte"].to_numpy()
    sd = sims.std(axis=0) / np.sqrt(20_000)
    assert (np.abs(sims.mean(axis=0) - expected) <= 4 * sd + 1e-6).all()


def test_whatif_grid_is_the_plans_one_by_one():
    from wfm.capacity import capacity_whatif

    demand, staff = _case(2)
    rules = BASE | {"shortfall": "hard", "tolerance": 0.05}
    w = capacity_whatif(demand, staff, rules, {"attrition_scale": [0.5, 1.5], "class_max": [8, 2]},
                        mip_rel_gap=0.0)
    assert w["variant"].tolist()[0] == "base" and len(w) == 5
    for _, row in w[w["status"] == "ok"].iterrows():
        change = {k: row[k] for k in ("attrition_scale", "class_max") if pd.notna(row.get(k))}
        one = capacity_plan(demand, staff, {**rules, **change}, mip_rel_gap=0.0)
        assert row["total_cost"] == pytest.approx(one.figures()["total_cost"], rel=1e-9)
    # a combination its rules cannot meet is a row with its error; the others finish
    failed = w[w["status"] == "failed"]
    assert len(failed) >= 1 and failed["error"].str.contains("shortfall='hard'").all()
    assert (w.loc[w["class_max"] == 8, "status"] == "ok").all()
    with pytest.raises(ValueError, match="attrition_scal"):
        capacity_whatif(demand, staff, rules, {"attrition_scal": [1.0]})


RELEASE_CASES = {
    "release": dict(release=True, release_weeks=[2, 5, 8], cost_per_release=500.0),
    "release_seats_overtime": dict(release=True, release_weeks=[2, 5, 8], cost_per_release=300.0, seats=26,
                                   overtime=0.05),
    "release_hard": dict(release=True, release_weeks=[2, 5, 8], cost_per_release=2000.0, shortfall="hard",
                         tolerance=0.05),
}


@pytest.mark.parametrize("name", list(RELEASE_CASES))
def test_releases_equal_brute_force(name):
    # a falling demand and a surplus of tenured staff: the plan may release agents at weeks 2, 5 and 8
    # (0-6 each) and hire at weeks 1 and 4 (0 or 2-6): 6^2 x 7^3 = 12,348 plans, each costed directly.
    demand = pd.DataFrame({"site": "all", "week": np.arange(12), "required_fte": np.linspace(30, 16, 12)})
    staff = pd.DataFrame({"tenure_weeks": [3, 100], "headcount": [6, 26]})
    rules = BASE | {"start_weeks": [1, 4], "class_max": 6} | RELEASE_CASES[name]
    r = capacity_rules(rules)
    prob = _problem(r, **_prepare(demand, staff, r)["problem"])
    assert prob.rweeks.tolist() == [2, 5, 8]
    hires = list(itertools.product([0, *range(2, 7)], repeat=2))
    rel = np.array(list(itertools.product(range(7), repeat=3)))
    best, best_z = np.inf, None
    for h in hires:
        z = np.column_stack([np.tile(h, (len(rel), 1)), rel])
        for zz in z:
            c = prob.evaluate(zz[None, :])["cost"]
            if c < best:
                best, best_z = c, zz
    assert best_z[2:].sum() > 0                       # releasing pays here
    plan = capacity_plan(demand, staff, rules, mip_rel_gap=0.0)
    assert plan.params["objective"] == pytest.approx(best, rel=1e-9)
    got = np.r_[[plan.hiring.set_index("start_week")["heads"].get(w, 0) for w in (1, 4)],
                plan.table.set_index("week")["releases"].reindex([2, 5, 8]).to_numpy()]
    assert prob.evaluate(got[None, :])["cost"] == pytest.approx(best, rel=1e-9)
    # released heads leave the floor for good: the table's balance and the release cost
    from tests.capacity.test_cohorts import _balance

    tab = plan.table
    assert tab["releases"].sum() > 0
    _balance(tab)
    assert tab["release_cost"].sum() == pytest.approx(tab["releases"].sum() * r.cost_per_release)
    assert plan.figures()["releases"] == tab["releases"].sum()


@pytest.mark.parametrize("extra", [{}, {"seats": 24, "overtime": 0.05}], ids=["moves", "moves_seats_overtime"])
def test_moves_between_sites_equal_brute_force(extra):
    # site a has a surplus, site b a gap: moves of 0-8 tenured agents each way at week 3, and classes of 0 or
    # 2-6 at week 1 at each site: 6^2 x 9^2 = 2,916 plans, each costed directly; the model is solved jointly.
    weeks = np.arange(12)
    demand = pd.DataFrame({"site": np.repeat(["a", "b"], 12), "week": np.tile(weeks, 2),
                           "required_fte": np.r_[np.full(12, 14.0), np.linspace(20, 26, 12)]})
    staff = pd.DataFrame({"site": ["a", "b"], "tenure_weeks": [100, 100], "headcount": [22, 18]})
    rules = BASE | {"start_weeks": [1], "class_max": 6, "site_transfers": True, "site_transfer_weeks": [3],
                    "cost_per_site_transfer": 400.0, "shortfall_penalty": 3000.0} | extra
    r = capacity_rules(rules)
    prob = _problem(r, **_prepare(demand, staff, r)["problem"])
    best, best_z = np.inf, None
    for xa, xb in itertools.product([0, *range(2, 7)], repeat=2):
        for ab, ba in itertools.product(range(9), repeat=2):
            z = np.array([[xa, ab], [xb, ba]])
            c = prob.evaluate(z)["cost"]
            if c < best:
                best, best_z = c, z
    assert best_z[0, 1] > 0                           # moving from a to b pays here
    plan = capacity_plan(demand, staff, rules, mip_rel_gap=0.0)
    assert plan.params["blocks"] == 1
    assert plan.params["objective"] == pytest.approx(best, rel=1e-9)
    moves = plan.inputs["site_transfers"]
    assert plan.figures()["site_transfers"] == moves["heads"].sum() > 0
    # the moved agents leave one site and join the other in the table (transfers column), heads balance
    from tests.capacity.test_cohorts import _balance

    tab = plan.table
    _balance(tab)
    t3 = tab[tab["week"] == 3].set_index("site")["transfers"]
    assert -t3["a"] == t3["b"] == moves.loc[moves["from_site"] == "a", "heads"].sum() \
        - moves.loc[moves["from_site"] == "b", "heads"].sum()


def test_attrition_season_as_percentages_is_refused_with_the_multiplier():
    # {6: 200} (June at 200%) read as a multiplier made June's weekly hazard 0.01 * 200 = 2: the whole floor left in
    # one week; the check is the one seasonal indices use (above 10 is a percentage), worded for attrition
    staff = pd.DataFrame({"tenure_weeks": [100], "headcount": [10]})
    for season in ({6: 200}, {6: 1.0, 7: 150.0, 8: 110.0}):
        with pytest.raises(ValueError, match=r"rules\.attrition_season must be multipliers around 1 .*got "
                                             r"\[\d\] = (200|150)\b.*Did you mean (2|1\.5)\? Attrition-season "
                                             r"multipliers are multipliers around 1, not percentages"):
            project_supply(staff, {"attrition": {0: 0.01}, "attrition_season": season}, weeks=4, start="2024-05-20")
    # the limit is the seasonal indices' own: 10 is taken (a strong but possible month), 10.5 is not
    assert capacity_rules({"attrition_season": {6: 10.0}}).attrition_season == {6: 10.0}
    with pytest.raises(ValueError, match=r"\[6\] = 10\.5\. Did you mean 0\.105\?"):
        capacity_rules({"attrition_season": {6: 10.5}})
    with pytest.raises(ValueError, match=r"seasonal_indices must be multipliers around 1 \(1\.07: 7% above an "
                                         r"average period\); got \[1\] = 107\. Did you mean 1\.07\? Seasonal indices"):
        from wfm.capacity._checks import check_seasonal_indices
        check_seasonal_indices({1: 107.0}, "seasonal_indices")
