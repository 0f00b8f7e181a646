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
                                         "nesting_weeks": 2})


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
