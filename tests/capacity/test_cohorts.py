"""Cohort supply: hand-worked projections and the balance equations on every plan."""

import numpy as np
import pandas as pd
import pytest

from wfm.capacity import capacity_plan, capacity_rules, project_supply, staff_cohorts


def test_tenured_group_decays_by_its_hazard():
    # 10 agents, 10% weekly hazard: 10, 9, 8.1, 7.29 heads; leavers 1, 0.9, 0.81 (hand-worked).
    weekly, _ = project_supply(pd.DataFrame({"tenure_weeks": [60], "headcount": [10]}),
                               {"attrition": {0: 0.1}}, weeks=4)
    assert weekly["headcount"].tolist() == pytest.approx([10, 9, 8.1, 7.29], abs=1e-12)
    assert weekly["leavers"].tolist() == pytest.approx([1, 0.9, 0.81, 0.729], abs=1e-12)
    assert weekly["available_fte"].tolist() == pytest.approx([10, 9, 8.1, 7.29], abs=1e-12)


def test_class_through_training_and_nesting_by_hand():
    # A class of 10 starts in week 1. Training 2 weeks losing 19% in total (weekly hazard 1 - 0.81^(1/2) = 0.1),
    # nesting 2 weeks at 50% then 75%, then 100%; 5% weekly attrition on the floor.
    # heads: w1 10 (trainees), w2 9 (trainees), w3 8.1 floor @0.5, w4 7.695 @0.75, w5 7.31025 @1.
    rules = {"attrition": {0: 0.05}, "training_weeks": 2, "training_attrition": 0.19, "nesting_weeks": 2,
             "nesting_productivity": 0.5, "lead_time_weeks": 0}
    staff = pd.DataFrame({"tenure_weeks": [100], "headcount": [1]})
    weekly, cohorts = project_supply(staff, rules, weeks=6, hires=pd.DataFrame({"week": [1], "heads": [10]}))
    hire = cohorts[cohorts["kind"] == "hire"].set_index("week")
    assert hire["heads"].tolist() == pytest.approx([10, 9, 8.1, 7.695, 7.31025], rel=1e-12)
    assert hire["productivity"].tolist() == pytest.approx([0, 0, 0.5, 0.75, 1.0])
    assert hire["productive_fte"].tolist() == pytest.approx([0, 0, 4.05, 5.77125, 7.31025], rel=1e-12)
    assert weekly["trainees"].tolist() == pytest.approx([0, 10, 9, 0, 0, 0], abs=1e-12)
    assert weekly["graduates"].tolist() == pytest.approx([0, 0, 0, 8.1, 0, 0], abs=1e-12)
    assert weekly["hires"].tolist() == [0, 10, 0, 0, 0, 0]
    # the tenured agent: 1, 0.95, 0.9025, ...
    assert weekly["available_fte_staff"].tolist() == pytest.approx(0.95 ** np.arange(6), rel=1e-12)


def _balance(tab):
    """Check headcount[t+1] = headcount[t] - leavers[t] + graduates[t+1] + transfers[t+1] (and trainees) per site."""
    for _, g in tab.groupby("site"):
        h, tr = g["headcount_expected"].to_numpy(), g["trainees_expected"].to_numpy()
        np.testing.assert_allclose(h[1:], h[:-1] - g["leavers"].to_numpy()[:-1] + g["graduates"].to_numpy()[1:]
                                   + g["transfers"].to_numpy()[1:] - g["releases"].to_numpy()[1:], atol=1e-9)
        new = g["hires"].to_numpy() + g["committed_hires"].to_numpy()
        np.testing.assert_allclose(tr[1:], tr[:-1] - g["training_leavers"].to_numpy()[:-1]
                                   - g["graduates"].to_numpy()[1:] + new[1:], atol=1e-9)


PLANNER_INPUTS = {"annual_attrition": {0: 0.7, 13: 0.4}, "attrition_season": {1: 1.4, 8: 0.7},
                  "trainee_cost_per_paid_hour": 15.0, "trainer_cost_per_week": 900.0, "training_cost_per_hire": 300.0,
                  "seats": 40, "class_seats": 12, "max_concurrent_classes": 2, "trainers": 3,
                  "max_hires_per_month": 10, "hiring_budget_per_month": 60000.0, "cost_per_hire": 4000.0,
                  "release": True,
                  "cost_per_release": 800.0}


@pytest.mark.parametrize("planner", [False, True], ids=["weekly-hazards", "planner-inputs"])
@pytest.mark.parametrize("seed", range(4))
def test_balance_equations_hold_on_every_plan(seed, planner):
    rng = np.random.default_rng(seed)
    weeks = 30
    sites = ["north", "south"]
    week = pd.date_range("2024-11-04", periods=weeks, freq="7D") if planner else np.arange(weeks)
    demand = pd.DataFrame({"site": np.repeat(sites, weeks), "week": np.tile(week, 2),
                           "required_fte": rng.uniform(20, 40, 2 * weeks)})
    staff = pd.DataFrame({"site": ["north", "north", "south", "south", "south"],
                          "tenure_weeks": [1, 70, 6, 30, 200], "headcount": rng.integers(3, 15, 5),
                          "productivity": [np.nan, np.nan, np.nan, 0.9, np.nan]})
    classes = pd.DataFrame({"site": ["north", "south"], "start_week": [-1, 3], "size": [6, 4],
                            "graduation_week": [4, 8]})
    transfers = pd.DataFrame({"site": ["north", "south"], "week": [5, 9], "headcount": [3, -2]})
    rules = {"attrition": {0: 0.02, 13: 0.01}, "training_weeks": int(rng.integers(0, 4)),
             "training_attrition": 0.1, "nesting_weeks": 3, "lead_time_weeks": 2, "class_min": 2,
             "class_max": 8, "fte_per_head": 0.8}
    if planner:
        rules = {k: val for k, val in rules.items() if k != "attrition"} | PLANNER_INPUTS
    plan = capacity_plan(demand, staff, rules, classes=classes, transfers=transfers)
    tab = plan.table
    _balance(tab)
    # whole heads beside the expected ones
    assert tab["headcount"].dtype.kind == "i" and tab["trainees"].dtype.kind == "i"
    np.testing.assert_array_equal(tab["headcount"], np.floor(tab["headcount_expected"] + 0.5 + 1e-9))
    # productive FTE = sum over cohorts of heads x FTE per head x productivity
    co = plan.cohorts
    by = co.assign(p=co["heads"] * 0.8 * co["productivity"]).groupby(["site", "week"])["p"].sum()
    got = tab.set_index(["site", "week"])["available_fte"]
    np.testing.assert_allclose(got.to_numpy(), by.reindex(got.index).fillna(0).to_numpy(), atol=1e-9)
    np.testing.assert_allclose(co["productive_fte"], co["fte"] * co["productivity"])
    # hires in the table are the classes of plan.hiring
    assert tab["hires"].sum() == plan.hiring["heads"].sum()
    if planner:
        # leavers on the floor, recomputed from the annual rates and the season by hand
        floor = co[~co["in_training"]]
        annual = np.where(floor["tenure_weeks"] >= 13, 0.4, 0.7)
        month = (pd.DatetimeIndex(floor["week"]) + pd.Timedelta(days=3)).month
        season = np.select([month == 1, month == 8], [1.4, 0.7], 1.0)
        hazard = (1 - (1 - annual) ** (1 / 52)) * season
        np.testing.assert_allclose(floor["leavers"], floor["heads"] * hazard, rtol=1e-12, atol=1e-12)


def test_committed_class_graduates_at_its_graduation_week():
    rules = capacity_rules({"attrition": {0: 0.0}, "training_attrition": 0.0, "training_weeks": 2,
                            "nesting_weeks": 0})
    staff = pd.DataFrame({"tenure_weeks": [100], "headcount": [5]})
    weekly, _ = project_supply(staff, rules, weeks=8,
                               classes=pd.DataFrame({"start_week": [1], "size": [4], "graduation_week": [5]}))
    # in class weeks 1-4 (longer than the 2 training weeks), productive from week 5
    assert weekly["trainees"].tolist() == [0, 4, 4, 4, 4, 0, 0, 0]
    assert weekly["available_fte"].tolist() == [5, 5, 5, 5, 5, 9, 9, 9]


def test_roster_with_hire_dates_groups_by_tenure():
    roster = pd.DataFrame({"site": ["a", "a", "b"], "hire_date": ["2024-01-01", "2024-01-05", "2020-03-01"]})
    got = staff_cohorts(roster, start="2024-03-04")
    # 63 days -> 9 weeks; 59 days -> 8 weeks; 4 years
    assert got[["site", "tenure_weeks", "headcount"]].values.tolist() == [["a", 8, 1.0], ["a", 9, 1.0],
                                                                         ["b", 209, 1.0]]


# Hire dates of UK staff files: 10/01/2003 is 10 January (day-first); read month-first it would be 1 October,
# a week before the plan's start, and those agents would be trainees (the review's staff_hd.csv).
UK = ["10/01/2003", "03/10/2003", "01/04/2002"]
ISO = ["2003-01-10", "2003-10-03", "2002-04-01"]


def test_ambiguous_hire_dates_are_refused_naming_the_column_rows_and_option():
    staff = pd.DataFrame({"hire_date": UK, "headcount": [95, 20, 300]})
    with pytest.raises(ValueError, match=r"staff\['hire_date'\].*both day-first and month-first.*rows \[0, 1, 2\]"
                                         r".*dayfirst=True"):
        staff_cohorts(staff, start="2003-10-06")


def test_dayfirst_and_date_format_read_hire_dates_as_the_iso_dates():
    iso = staff_cohorts(pd.DataFrame({"hire_date": ISO, "headcount": [95, 20, 300]}), start="2003-10-06")
    # by hand: 10 Jan -> 6 Oct 2003 is 269 days = 38 weeks; 3 Oct is 0 weeks; 1 Apr 2002 is 553 days = 79 weeks
    assert iso["tenure_weeks"].tolist() == [0, 38, 79]
    uk = pd.DataFrame({"hire_date": UK, "headcount": [95, 20, 300]})
    pd.testing.assert_frame_equal(staff_cohorts(uk, start="2003-10-06", dayfirst=True), iso)
    pd.testing.assert_frame_equal(staff_cohorts(uk, start="2003-10-06", date_format="%d/%m/%Y"), iso)
    us = pd.DataFrame({"hire_date": ["01/10/2003", "10/03/2003", "04/01/2002"], "headcount": [95, 20, 300]})
    pd.testing.assert_frame_equal(staff_cohorts(us, start="2003-10-06", dayfirst=False), iso)


def test_capacity_plan_passes_dayfirst_to_the_staff_file():
    demand = pd.DataFrame({"site": "all", "week": pd.date_range("2003-10-06", periods=12, freq="7D"),
                           "required_fte": 400.0})
    rules = {"attrition": {0: 0.01}, "lead_time_weeks": 2, "training_weeks": 2, "nesting_weeks": 0}
    iso = capacity_plan(demand, pd.DataFrame({"hire_date": ISO, "headcount": [95, 20, 300]}), rules)
    uk = pd.DataFrame({"hire_date": UK, "headcount": [95, 20, 300]})
    with pytest.raises(ValueError, match="dayfirst"):
        capacity_plan(demand, uk, rules)
    plan = capacity_plan(demand, uk, rules, dayfirst=True)
    pd.testing.assert_frame_equal(plan.table, iso.table)
