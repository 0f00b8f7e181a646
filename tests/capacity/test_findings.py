"""Issue 27's findings, each reproduced: an error naming the field, or the documented behaviour made true."""

import numpy as np
import pandas as pd
import pytest

from wfm.capacity import capacity_plan, capacity_risk, capacity_rules, project_supply
from wfm.capacity.risk import _plan_structure, _simulate_block

STAFF = pd.DataFrame({"tenure_weeks": [100], "headcount": [18]})


def _demand(weeks, required=20.0, site="all"):
    return pd.DataFrame({"site": site, "week": weeks, "required_fte": required})


def test_gaps_in_the_demand_weeks_are_an_error():
    # weeks 0-2 then 10-29: on main they were planned as 23 consecutive weeks (a class "at week 1" meant week 8)
    weeks = list(range(3)) + list(range(10, 30))
    with pytest.raises(ValueError, match=r"demand\['week'\].*consecutive.*week 2 is followed by 10"):
        capacity_plan(_demand(weeks), STAFF)


@pytest.mark.parametrize("freq, step", [("D", "1 day"), ("14D", "14 day")])
def test_dates_that_are_not_weekly_are_an_error(freq, step):
    weeks = pd.date_range("2024-01-01", periods=20, freq=freq)
    with pytest.raises(ValueError, match=rf"demand\['week'\].*7 days.*{step}"):
        capacity_plan(_demand(weeks), STAFF)


def test_weekly_dates_and_week_numbers_still_plan():
    dates = pd.date_range("2024-01-01", periods=12, freq="7D")
    a = capacity_plan(_demand(dates), STAFF, {"lead_time_weeks": 2})
    b = capacity_plan(_demand(range(5, 17)), STAFF, {"lead_time_weeks": 2})
    assert a.params["objective"] == pytest.approx(b.params["objective"], rel=1e-9)


def test_transfers_out_beyond_the_staff_are_an_error():
    # 18 agents and 30 transferred out in week 3: on main the headcount went to -12 and the plan hired to make up
    transfers = pd.DataFrame({"week": [3], "headcount": [-30]})
    with pytest.raises(ValueError, match=r"transfers\['headcount'\].*more than the site's staff.*week 3"):
        capacity_plan(_demand(range(12)), STAFF, transfers=transfers)
    with pytest.raises(ValueError, match=r"transfers\['headcount'\]"):
        project_supply(STAFF, {}, weeks=12, transfers=transfers)
    # a transfer out within the staff is fine and leaves a non-negative headcount
    ok = capacity_plan(_demand(range(12)), STAFF, transfers=pd.DataFrame({"week": [3], "headcount": [-5]}))
    assert (ok.table["headcount_expected"] >= 0).all()


def test_empty_demand_names_the_demand():
    with pytest.raises(ValueError, match=r"demand.*no rows"):
        capacity_plan(_demand([])[:0], STAFF)


def test_staff_without_site_column_joins_the_one_site():
    # documented: site is optional when there is one site, whatever it is called
    plan = capacity_plan(_demand(range(12), site="north"), STAFF, {"lead_time_weeks": 2})
    assert plan.table["site"].unique().tolist() == ["north"]
    assert plan.table["headcount_expected"].iloc[0] == 18
    with pytest.raises(ValueError, match=r"staff.*site column.*2 sites"):
        capacity_plan(pd.concat([_demand(range(12), site="a"), _demand(range(12), site="b")]), STAFF)


def test_hard_shortfall_that_binds_no_week_is_an_error():
    # 14 weeks, default rules: no class can be fully productive before week 4 + 4 + 8 = 16, so "hard" bound no
    # week and main returned a plan 1,129 FTE-weeks short without a word.
    with pytest.raises(ValueError, match=r"rules\.shortfall='hard'.*week 16.*14 weeks"):
        capacity_plan(_demand(range(14), required=200.0), STAFF, {"shortfall": "hard"})


def test_hard_shortfall_warns_about_the_weeks_before_it_binds():
    demand = _demand(range(30), required=25.0)
    with pytest.warns(UserWarning, match=r"shortfall='hard'.*week 16.*short"):
        plan = capacity_plan(demand, STAFF, {"shortfall": "hard", "class_max": 40})
    tab = plan.table
    assert (tab["gap_fte"].to_numpy()[16:] <= 1e-7).all()
    assert plan.figures()["gap_fte_weeks_before_reach"] == pytest.approx(tab["gap_fte"].to_numpy()[:16].sum())


def test_training_attrition_is_the_total_over_a_longer_committed_class():
    # 19% lost in class in total; a committed class of 4 weeks when training_weeks is 2: main applied the
    # 2-week hazard (10%) for 4 weeks and lost 1 - 0.9^4 = 34.4%.
    rules = {"attrition": {0: 0.0}, "training_weeks": 2, "training_attrition": 0.19, "nesting_weeks": 0}
    classes = pd.DataFrame({"start_week": [0], "size": [100], "graduation_week": [4]})
    weekly, _ = project_supply(STAFF, rules, weeks=6, classes=classes)
    assert weekly["headcount"].iloc[4] - 18 == pytest.approx(81.0, rel=1e-12)
    # an ordinary class keeps its 2-week hazard: 100 -> 90 -> 81
    hires = pd.DataFrame({"week": [0], "heads": [100]})
    weekly, _ = project_supply(STAFF, rules, weeks=4, hires=hires)
    assert weekly["trainees"].tolist()[:2] == pytest.approx([100, 90])
    assert weekly["headcount"].iloc[2] - 18 == pytest.approx(81.0, rel=1e-12)


class _ZeroDraws:
    """A generator whose exponential draws are all exactly 0 (a float32 draw can be)."""

    def standard_exponential(self, size, dtype=np.float64):
        return np.zeros(size, dtype=dtype)


def test_an_exponential_draw_of_zero_does_not_remove_an_agent_at_week_zero():
    demand = _demand(range(6), required=5.0)
    staff = pd.DataFrame({"tenure_weeks": [100], "headcount": [10]})
    plan = capacity_plan(demand, staff, {"attrition": {0: 0.1}, "lead_time_weeks": 2}, method="fixed",
                         hires=pd.DataFrame({"week": [], "heads": []}))
    st = _plan_structure(plan.inputs["cohorts"], plan.inputs["rules"], 6, 1)
    out = _simulate_block(st, 1, 6, 3, _ZeroDraws(), True)
    # the cohort is there in its first week by definition; a draw of 0 leaves after it
    assert out[:, 0, 0].tolist() == [10, 10, 10]
    assert out[:, 0, 1].tolist() == [0, 0, 0]


def test_solver_prints_nothing_on_stdout(capfd):
    rng = np.random.default_rng(0)
    demand = _demand(range(30), required=rng.uniform(15, 30, 30))
    capacity_plan(demand, STAFF, {"lead_time_weeks": 2, "overtime": 0.05, "cost_per_class": 100.0},
                  mip_rel_gap=0.0)
    out, _ = capfd.readouterr()
    assert out == ""


def test_the_band_level_travels_with_the_demand_and_the_plan():
    from wfm.capacity import weekly_demand
    from wfm.datasets import bank_calls

    demand = weekly_demand(bank_calls("30min"), weeks=20, aht=300, level=0.95)
    assert demand.attrs["level"] == 0.95
    staff = pd.DataFrame({"tenure_weeks": [100], "headcount": [550]})
    plan = capacity_plan(demand, staff, {"lead_time_weeks": 2})
    assert plan.params["level"] == 0.95
    risk = capacity_risk(plan, paths=200, hedge=False)
    assert risk.params["level"] == 0.95
    with pytest.raises(ValueError, match=r"level=0\.8.*0\.95"):
        capacity_risk(plan, paths=200, hedge=False, level=0.8)


@pytest.mark.parametrize("field", ["class_max", "class_min", "training_weeks", "lead_time_weeks"])
def test_a_boolean_is_not_a_number(field):
    with pytest.raises(ValueError, match=rf"rules\.{field}.*True"):
        capacity_rules({field: True})
