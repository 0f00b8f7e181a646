"""The weekly cost moved onto the patterns: the same cost at every schedule, and a bound rounded up to its step.

When every shift of a contract costs the same, an agent's week costs its
days x paid hours x rate, whatever shifts it works: the cost of any schedule
is a whole multiple of the greatest common divisor of those weekly costs
(20 for 8-hour and 4-hour shifts five days a week at rate 1), and a lower
bound may be raised to the next multiple. Checked here against the exact
optimum of the MILP solved with its own cost, with no rounding.
"""

import numpy as np
import pandas as pd
import pytest

from wfm.schedule import grid as g
from wfm.schedule import milp
from wfm.schedule import model as m
from wfm.schedule import schedule_week
from wfm.schedule.shifts import on_grid, schedule_rules

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _week(seed, pt_rate=1.0):
    """7 days open 08:00-20:00, 1-hour intervals, 1-4 agents; FT8 with a 1-hour unpaid break, PT4; 5 days."""
    rng = np.random.default_rng(seed)
    idx = pd.date_range("2024-01-01", periods=7 * 24, freq="1h")  # a Monday
    open_ = (idx.hour >= 8) & (idx.hour < 20)
    req = pd.Series(np.where(open_, rng.integers(1, 5, len(idx)), 0), index=idx)
    rules = {"shifts": [
        {"name": "FT8", "paid": "8h", "breaks": [{"length": "1h", "paid": False, "start_after": ["3h", "5h"]}]},
        {"name": "PT4", "paid": "4h", "contract": "part_time", "cost_per_paid_hour": pt_rate}],
        "open_hours": {d: ["08:00", "20:00"] for d in DAYS},
        "week": {"days_per_week": 5, "days_off_consecutive": True, "part_time_share": [0, 0.4]}}
    return req, rules


def _model(req, rules, **kw):
    r = schedule_rules(rules)
    grid = g._grid(req, r)
    templates = on_grid(r, grid.interval)
    return m._build(r, grid, templates, g._candidate_shifts(r, grid, templates), **kw)


def test_step_of_a_cost():
    whole = np.ones(5, dtype=bool)
    assert milp._objective_step(np.array([8.0, 4.0, 0.0, 8.0, 4.0]), whole) == 4.0
    # the benchmark's templates: 4 h and 6 h at 1.05, 6, 8 and 10 h at 1.00 -> tenths 42, 63, 60, 80, 100: gcd 1
    assert milp._objective_step(np.array([4 * 1.05, 6 * 1.05, 6.0, 8.0, 10.0]), whole) == pytest.approx(0.1)
    assert milp._objective_step(np.array([40.0, 22.0, 0, 0, 0]), whole) == 2.0
    # a continuous variable with a cost, a cost that is no fraction, no cost at all: no step
    assert milp._objective_step(np.array([8.0, 4.0, 0, 0, 1.0]), np.array([1, 1, 1, 1, 0], dtype=bool)) is None
    assert milp._objective_step(np.array([np.pi, 4.0, 0, 0, 0]), whole) is None
    assert milp._objective_step(np.zeros(5), whole) is None


def test_round_up():
    assert milp._round_up(1244.0, 20.0) == 1260.0
    assert milp._round_up(1240.0, 20.0) == 1240.0
    assert milp._round_up(1240.0 + 1e-7, 20.0) == 1240.0  # solver noise above a multiple is no proof of more
    assert milp._round_up(1240.5, 20.0) == 1260.0
    assert milp._round_up(1244.0, None) == 1244.0
    assert np.isnan(milp._round_up(np.nan, 20.0))


def test_one_cost_per_contract_puts_the_whole_cost_on_the_patterns():
    req, rules = _week(0, pt_rate=1.1)
    model = _model(req, rules)
    lattice, step = milp._on_lattice(model)
    c = lattice.c
    assert np.all(c[:model.nx] == 0)  # shifts cost nothing beyond the patterns that work them
    ft = np.array([grp == "full_time" for grp, _, _ in model.groups])
    # a pattern works 5 days: 5 x 8 h x 1.0 = 40 full time, 5 x 4 h x 1.1 = 22 part time
    np.testing.assert_allclose(c[model.w_cols[ft]], 40.0)
    np.testing.assert_allclose(c[model.w_cols[~ft]], 22.0)
    assert step == 2.0 and milp._objective_step(model.c, model.integer) == pytest.approx(0.4)
    # the same cost at the integer optimum and at the LP relaxation's optimum (both satisfy the day rows)
    for x in (milp._solve_highs(model, 30, 0.0).x, milp._solve_highs(model, 30, 0.0, relax=True).x):
        assert c @ x == pytest.approx(model.c @ x, rel=1e-9)


def test_costs_that_differ_within_a_contract_keep_the_model():
    # the benchmark's costs: moving them onto the patterns gives no coarser step, so the solver sees them as they are
    req, rules = _week(0)
    rules["shifts"] = [{"name": "FT6", "paid": "6h"}, {"name": "FT8", "paid": "8h"},
                       {"name": "PT4", "paid": "4h", "contract": "part_time", "cost_per_paid_hour": 1.05},
                       {"name": "PT6", "paid": "6h", "contract": "part_time", "cost_per_paid_hour": 1.05}]
    model = _model(req, rules)
    lattice, step = milp._on_lattice(model)
    assert lattice is model and step == pytest.approx(0.1)
    # shortfall allowed: continuous shortfall variables carry a cost, there is no step and nothing is rounded
    short = _model(req, rules, shortfall=np.ones(len(req)))
    assert milp._on_lattice(short) == (short, None)


@pytest.mark.parametrize("seed", [1, 2, 6, 8])
def test_rounded_bound_is_never_above_the_integer_optimum(seed):
    req, rules = _week(seed)
    model = _model(req, rules)
    exact = milp._solve_highs(model, 60, 0.0)  # the MILP with its own cost, no rounding anywhere
    assert exact.status == "optimal"
    lp = milp._solve_highs(model, 60, 0.0, relax=True).objective
    _, step = milp._on_lattice(model)
    assert step == 20.0
    assert lp < exact.objective - 1 and lp < milp._round_up(lp, step) <= exact.objective + 1e-9
    # with no gap allowed, the schedule is the optimum and its rounded bound proves it
    plan = schedule_week(req, rules, mip_gap=0.0)
    assert plan.status == "optimal" and plan.cost == pytest.approx(exact.objective)
    assert plan.lower_bound == pytest.approx(exact.objective) and plan.gap == 0.0


def test_the_relaxation_proves_its_optimum_at_the_root():
    # the relaxation with whole pattern counts only: with the cost on the patterns, no branching is needed once
    # the LP bound rounds up to a schedule's cost (seed 1: LP 286.7, optimum 300)
    from scipy.optimize import Bounds, LinearConstraint, milp as scipy_milp

    req, rules = _week(1)
    model = _model(req, rules)
    lattice, _ = milp._on_lattice(model)
    integer = np.zeros(model.A.shape[1], dtype=np.int8)
    integer[model.w_cols] = 1
    nodes = {}
    for name, c in (("shifts", model.c), ("patterns", lattice.c)):
        res = scipy_milp(c, constraints=LinearConstraint(model.A, model.lb, model.ub), integrality=integer,
                         bounds=Bounds(model.lo, model.hi), options=dict(mip_rel_gap=0.0, time_limit=60.0))
        assert res.status == 0 and res.fun == pytest.approx(300.0)
        nodes[name] = res.mip_node_count
    assert nodes["patterns"] <= 1 < nodes["shifts"]


def test_solving_the_days_apart_keeps_the_costs_of_the_days():
    # with the cost on the patterns the days are feasibility problems; the schedule's cost is still the model's
    req, rules = _week(2)
    model = _model(req, rules)
    res = milp._solve(model, "highs", 60, 0.005, False, 10 ** 4)
    assert res.objective == pytest.approx(model.c @ res.x) and res.bound <= res.objective + 1e-9
    w = np.rint(res.x[model.w_cols])
    ft = np.array([grp == "full_time" for grp, _, _ in model.groups])
    assert res.objective == pytest.approx(40 * w[ft].sum() + 20 * w[~ft].sum())
    assert np.all(model.c[:model.nx] > 0)  # the model itself keeps its cost (the days are solved on it)


def test_cp_sat_on_the_patterns_finds_the_same_optimum():
    pytest.importorskip("ortools")
    req, rules = _week(1)
    exact = milp._solve_highs(_model(req, rules), 60, 0.0)  # HiGHS, the model's own cost
    plan = schedule_week(req, rules, mip_gap=0.0, solver="cp-sat", method="direct", time_limit=30)
    assert plan.status == "optimal" and plan.cost == pytest.approx(exact.objective) == 300.0
    assert plan.lower_bound == pytest.approx(300.0)
