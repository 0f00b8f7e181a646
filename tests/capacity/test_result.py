"""CapacityPlan and CapacityRisk: figures as data, plots that draw the table."""

import dataclasses
import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from wfm.capacity import CapacitySection, capacity_plan, capacity_risk


@pytest.fixture(scope="module")
def plan():
    """A small two-site plan with a band. Module scope: read-only."""
    weeks = 20
    demand = pd.DataFrame({"site": np.repeat(["a", "b"], weeks), "week": np.tile(np.arange(weeks), 2),
                           "required_fte": 30.0, "required_fte_lower": 27.0, "required_fte_upper": 33.0})
    staff = pd.DataFrame({"site": ["a", "b"], "tenure_weeks": [100, 100], "headcount": [30, 28]})
    return capacity_plan(demand, staff, {"attrition": {0: 0.01}, "lead_time_weeks": 2, "training_weeks": 2,
                                         "nesting_weeks": 2, "cost_per_paid_hour": 25.0, "cost_per_hire": 4000.0})


def test_figures_are_data_with_snake_case_keys(plan):
    s = plan.figures()
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", k) for k in s)
    assert s["hires"] == plan.table["hires"].sum() == plan.hiring["heads"].sum()
    assert s["sites"] == 2 and s["weeks"] == 20
    assert s["total_cost"] == pytest.approx(plan.table[["hiring_cost", "paid_cost", "overtime_cost",
                                                       "gap_cost"]].to_numpy().sum())


def test_plot_draws_required_available_and_hires(plan):
    fig, ax = plt.subplots()
    out = plan.plot(ax=ax)
    assert out is ax
    weekly = plan.table.groupby("week")[["required_fte", "available_fte", "hires"]].sum()
    lines = {ln.get_label(): ln for ln in ax.get_lines()}
    np.testing.assert_allclose(lines["required FTE"].get_ydata(), weekly["required_fte"])
    np.testing.assert_allclose(lines["available productive FTE"].get_ydata(), weekly["available_fte"])
    bars = [b for ax2 in fig.axes if ax2 is not ax for b in ax2.patches]
    np.testing.assert_allclose([b.get_height() for b in bars], weekly["hires"])
    plt.close(fig)


def test_html_and_frozen(plan):
    html = plan._repr_html_()
    assert "<h4>CapacityPlan</h4>" in html and "total_cost" in html
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.table = None


def test_risk_object(plan):
    risk = capacity_risk(plan, paths=500, seed=0, hedge=False, level=0.8)
    assert set(risk.table["site"]) == {"a", "b"} and len(risk.table) == 40
    assert ((risk.table["prob_short"] >= 0) & (risk.table["prob_short"] <= 1)).all()
    ax = risk.plot()
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), risk.table.groupby("week")["prob_short"].max())
    plt.close(ax.figure)
    assert "<h4>CapacityRisk</h4>" in risk._repr_html_()


def test_scenario_section_validates_and_feeds_the_functions():
    sec = CapacitySection(staff="staff.csv", rules={"attrition": {0: 0.01}, "class_max": 12},
                          demand={"weeks": 52, "growth": 0.05}, staffing={"service_level": 0.9})
    assert sec.rules.class_max == 12 and sec.demand.weeks == 52
    with pytest.raises(ValueError, match="atrition"):
        CapacitySection(staff="s.csv", rules={"atrition": {0: 0.01}})
    with pytest.raises(ValueError, match="weeks"):
        CapacitySection(staff="s.csv", demand={"weeks": 0})


def test_month_is_the_calendar_month_in_the_plan_and_in_monthly(tmp_path):
    """One meaning for `month`: the calendar month of the week's 4th day, in the weekly table as in monthly();
    the 0-based month of the plan is `month_index` (it used to be `month` in the table, "2003-10" in monthly())."""
    demand = pd.DataFrame({"site": "a", "week": pd.date_range("2003-10-27", periods=12, freq="7D"),
                           "required_fte": 30.0})
    plan = capacity_plan(demand, pd.DataFrame({"tenure_weeks": [100], "headcount": [30]}),
                         {"attrition": {0: 0.01}, "lead_time_weeks": 2, "training_weeks": 2, "nesting_weeks": 0})
    tab = plan.table
    # by hand: the weeks of 27 Oct and 3 Nov 2003 have their Thursday in October and November
    assert tab["month"].astype(str).tolist()[:2] == ["2003-10", "2003-11"] and tab["month_index"].tolist()[:2] == [0, 1]
    thursday = pd.DatetimeIndex(tab["week"]) + pd.Timedelta(days=3)
    assert tab["month"].astype(str).tolist() == thursday.strftime("%Y-%m").tolist()
    first = thursday.min()
    assert tab["month_index"].tolist() == ((thursday.year - first.year) * 12 + thursday.month - first.month).tolist()
    assert set(plan.monthly()["month"].astype(str)) == set(tab["month"].astype(str))
    plan.to_excel(tmp_path / "plan.xlsx")
    weeks = pd.read_excel(tmp_path / "plan.xlsx", sheet_name="weeks")
    assert weeks["month"].astype(str).tolist() == tab["month"].astype(str).tolist()


def test_no_cost_per_paid_hour_means_no_pay_cost():
    """Review item 9: with no cost given the plan priced paid hours at an invented 25, so the finance tables showed
    money while the headline said n/a. Now pay-based money is n/a (NaN, with a note) and the hires stay those of
    the same rules priced at the reference weight (25): the optimiser still chooses them."""

    demand = pd.DataFrame({"site": "all", "week": range(12), "required_fte": 20.0})
    staff = pd.DataFrame({"tenure_weeks": [100], "headcount": [18]})
    rules = {"attrition": {0: 0.02}, "training_attrition": 0, "lead_time_weeks": 2, "training_weeks": 2,
             "nesting_weeks": 0, "class_min": 2, "class_max": 6, "cost_per_hire": 1000}
    free = capacity_plan(demand, staff, rules)
    priced = capacity_plan(demand, staff, dict(rules, cost_per_paid_hour=25.0))  # REFERENCE_RATE
    f = free.figures()
    assert np.isnan(f["paid_cost"]) and np.isnan(f["total_cost"]) and "cost_per_paid_hour" in f["cost_note"]
    assert free.table["paid_cost"].isna().all()
    assert free.monthly()["total_cost"].isna().all() and free.monthly(by_site=False)["paid_cost"].isna().all()
    assert f["hiring_cost"] == 1000 * f["hires"]  # a cost that was given is still shown
    pd.testing.assert_frame_equal(free.hiring, priced.hiring)
    assert "cost_note" not in priced.figures() and np.isfinite(priced.figures()["total_cost"])


def test_no_cost_per_hire_means_no_hiring_cost():
    """Follow-up of review item 9: cost_per_hire defaulted to 4000, so hiring_cost showed money no one gave while
    pay was n/a. Now recruiting is n/a (NaN, with a note) in the weeks heads are hired, 0 in the others, and the
    hires are those of the same rules priced at the MILP's reference weight (REFERENCE_HIRE_COST = 4000)."""
    from wfm.capacity.rules import REFERENCE_HIRE_COST

    demand = pd.DataFrame({"site": "all", "week": range(20), "required_fte": 26.0})  # short enough to hire
    staff = pd.DataFrame({"tenure_weeks": [100], "headcount": [18]})
    rules = {"attrition": {0: 0.02}, "training_attrition": 0, "lead_time_weeks": 2, "training_weeks": 2,
             "nesting_weeks": 0, "class_min": 2, "class_max": 6, "cost_per_paid_hour": 20.0,
             "training_cost_per_hire": 300.0}
    free = capacity_plan(demand, staff, rules)
    priced = capacity_plan(demand, staff, dict(rules, cost_per_hire=REFERENCE_HIRE_COST))
    pd.testing.assert_frame_equal(free.hiring, priced.hiring)  # the optimiser's choice is unchanged
    f, p = free.figures(), priced.figures()
    assert f["hires"] > 0 and np.isnan(f["hiring_cost"]) and np.isnan(f["total_cost"])
    assert "cost_per_hire" in f["cost_note"] and "cost_per_paid_hour" not in f["cost_note"]
    hired = free.table["hires"] > 0
    assert free.table.loc[hired, "hiring_cost"].isna().all() and (free.table.loc[~hired, "hiring_cost"] == 0).all()
    assert p["hiring_cost"] == REFERENCE_HIRE_COST * p["hires"] and "cost_note" not in p
    # costs that were given stay money: pay, and training per hire
    assert f["paid_cost"] == pytest.approx(p["paid_cost"]) and f["training_cost"] == 300.0 * f["hires"]
    assert free.monthly()["total_cost"].isna().any()
    with pytest.raises(ValueError, match="hiring_budget_per_month.*cost_per_hire"):
        capacity_plan(demand, staff, dict(rules, hiring_budget_per_month=20_000.0))

