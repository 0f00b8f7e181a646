"""The headline: each figure computed once, and the figures derivable from each other (issue 15)."""

import math

import numpy as np
import pandas as pd
import pytest

import wfm
from wfm.headline import HEADLINE_FIELDS, plan_headline

SHRINK = {"breaks": 0.10, "training": 0.05, "absence": 0.15}
RULES = {"shifts": [{"name": "day", "paid": "8h", "breaks": [{"length": "30min", "paid": True,
                                                              "start_after": ["3h", "5h"]}]}],
         "week": {"days_per_week": [1, 5]}}


@pytest.fixture(scope="module")
def small():
    """A two-day plan sized into shifts: module scope, the objects are read only."""
    idx = pd.date_range("2024-01-01 08:00", periods=20, freq="30min")
    idx = idx.append(idx + pd.Timedelta(days=1))
    calls = pd.Series(np.r_[np.linspace(20, 60, 20), np.linspace(30, 50, 20)], index=idx)
    plan = wfm.staffing_plan(calls, aht=300, shrinkage=SHRINK, fte_hours_per_week=37.5)
    req = plan.table["agents"]
    sched = wfm.schedule_weeks(req, RULES, plan=plan, time_limit=20)
    return plan, sched


def test_heads_to_employ_gross_up_the_unscheduled_shrinkage(small):
    plan, sched = small
    h = plan_headline(plan, sched, cost_per_paid_hour=20.0, currency="EUR")
    f = h.figures
    # the schedule places the breaks; training and absence (additive, as the plan) it does not
    assert f["unscheduled_shrinkage"] == pytest.approx(0.20)
    assert f["scheduled_heads"] == sched.heads
    assert f["heads_to_employ"] == math.ceil(sched.heads / 0.8 - 1e-9)
    # heads to employ x paid hours per head = FTE x hours per FTE (within rounding)
    assert f["heads_to_employ"] * f["paid_hours_per_head"] == pytest.approx(f["fte"] * 37.5, rel=1e-12)
    assert f["paid_hours_per_head"] == pytest.approx(sched.paid_hours / sched.heads)
    # one cost: FTE x hours per FTE x cost per paid hour
    assert f["weekly_cost"] == pytest.approx(f["fte"] * 37.5 * 20.0)
    assert f["agents_required_peak"] == plan.table["agents"].max()
    # service level with the scheduled agents, weighted by calls
    cov = sched.coverage
    calls = plan.table["calls"].reindex(cov.index).fillna(0)
    assert f["service_level"] == pytest.approx((cov["service_level"] * calls).sum() / calls.sum())


def test_without_a_schedule_the_plan_gives_fte_and_heads_are_unknown(small):
    plan, _ = small
    f = plan_headline(plan).figures
    assert f["fte"] == pytest.approx(plan.figures()["fte"])
    assert math.isnan(f["heads_to_employ"]) and math.isnan(f["scheduled_heads"])


def test_multiplicative_shrinkage_is_combined_the_plans_way(small):
    plan, sched = small
    mult = wfm.staffing_plan(plan.table["calls"], aht=300, shrinkage=SHRINK, shrinkage_method="multiplicative")
    f = plan_headline(mult, sched).figures
    assert f["unscheduled_shrinkage"] == pytest.approx(1 - 0.95 * 0.85)


def test_the_display_table_has_every_field_once_and_rates_as_percent(small):
    plan, sched = small
    tab = plan_headline(plan, sched, cost_per_paid_hour=20.0, currency="EUR").table()
    assert tab["figure"].tolist() == [k for k, *_ in HEADLINE_FIELDS]
    text = tab.set_index("figure")["text"]
    assert text["unscheduled_shrinkage"] == "20.0%"
    assert text["weekly_cost"].endswith("EUR")
