"""The headline: each figure computed once, and the figures derivable from each other (issue 15)."""

import math
import re
import warnings

import numpy as np
import pandas as pd
import pytest

import wfm
from wfm.headline import HEADLINE_FIELDS, plan_headline

#: breaks: the shifts' paid 30 minutes of 8 paid hours (6.25%), so the schedule places all of it
SHRINK = {"breaks": 0.0625, "training": 0.05, "absence": 0.15}
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
    f = h.figures()
    # the schedule places the breaks (6.25% of its paid hours); training and absence it does not. Additive shares of
    # all paid time: the employed agents' paid time x (1 - 0.2625) must be the schedule's paid time x (1 - 0.0625)
    unscheduled = 1 - (1 - 0.2625) / (1 - 0.0625)  # 21.3% of the schedule's paid time (20% of all paid time)
    assert f["unscheduled_shrinkage"] == pytest.approx(unscheduled, rel=1e-12)
    assert f["scheduled_heads"] == sched.heads
    assert f["heads_to_employ"] == math.ceil(sched.heads / (1 - unscheduled) - 1e-9)
    # heads to employ x paid hours per head = FTE x hours per FTE (within rounding)
    assert f["heads_to_employ"] * f["paid_hours_per_head"] == pytest.approx(f["fte"] * 37.5, rel=1e-12)
    assert f["paid_hours_per_head"] == pytest.approx(sched.paid_hours / sched.heads)
    assert f["fte"] >= f["required_fte"]  # whole shifts cost at least the workload
    # one cost: FTE x hours per FTE x cost per paid hour
    assert f["weekly_cost"] == pytest.approx(f["fte"] * 37.5 * 20.0)
    assert f["agents_required_peak"] == plan.table["agents"].max()
    # service level with the scheduled agents, weighted by calls
    cov = sched.coverage
    calls = plan.table["calls"].reindex(cov.index).fillna(0)
    assert f["service_level"] == pytest.approx((cov["service_level"] * calls).sum() / calls.sum())


def test_without_a_schedule_the_plan_gives_required_fte_and_heads_are_unknown(small):
    plan, _ = small
    f = plan_headline(plan, cost_per_paid_hour=20.0).figures()
    assert f["required_fte"] == pytest.approx(plan.figures()["required_fte"])
    assert f["required_weekly_cost"] == pytest.approx(f["required_fte"] * 37.5 * 20.0)
    # the FTE to employ and its cost need a schedule: unknown, not the plan's figure under the same name
    assert math.isnan(f["fte"]) and math.isnan(f["weekly_cost"])
    assert math.isnan(f["heads_to_employ"]) and math.isnan(f["scheduled_heads"])


def test_required_fte_is_the_plans_scheduled_hours_per_week_whatever_the_schedule(small):
    plan, sched = small
    f = plan_headline(plan, sched).figures()
    # hand count: scheduled agents x half an hour, over 37.5 h (the two days are one Monday week)
    assert f["required_fte"] == pytest.approx(plan.table["scheduled_agents"].sum() * 0.5 / 37.5, rel=1e-12)
    assert f["required_fte"] == pytest.approx(plan.totals("W")["required_fte"].iloc[0], rel=1e-12)


@pytest.mark.parametrize("start", ["2024-06-02", "2024-06-03", "2024-06-06"])  # Sun, Mon, Thu
def test_a_weeks_fte_does_not_depend_on_its_first_weekday(start):
    """Five open days starting on any weekday are one planning week: nothing halved by a Monday-week split."""
    days = pd.date_range(start, periods=5, freq="D")
    idx = pd.DatetimeIndex([d + pd.Timedelta(hours=h) for d in days for h in range(9, 17)])
    plan = wfm.staffing_plan(pd.Series(40.0, index=idx), aht=240, shrinkage=0.25)
    hours = plan.table["scheduled_agents"].sum()  # hourly intervals: agents = agent-hours
    assert plan.figures()["required_fte"] == pytest.approx(hours / 37.5, rel=1e-12)
    assert plan_headline(plan).figures()["required_fte"] == pytest.approx(hours / 37.5, rel=1e-12)


def test_multiplicative_shrinkage_is_combined_the_plans_way(small):
    plan, sched = small
    mult = wfm.staffing_plan(plan.table["calls"], aht=300, shrinkage=SHRINK, shrinkage_method="multiplicative")
    f = plan_headline(mult, sched).figures()
    assert f["unscheduled_shrinkage"] == pytest.approx(1 - 0.95 * 0.85)


def test_the_display_table_has_every_field_once_and_rates_as_percent(small):
    plan, sched = small
    tab = plan_headline(plan, sched, cost_per_paid_hour=20.0, currency="EUR").table
    assert tab["figure"].tolist() == [k for k, *_ in HEADLINE_FIELDS]
    text = tab.set_index("figure")["text"]
    assert text["unscheduled_shrinkage"] == "21.3%"  # 1 - 0.7375 / 0.9375
    assert text["weekly_cost"].endswith("EUR")


def test_the_service_level_says_whose_agents_it_is_of(small):
    """Two Erlang service levels of one plan: with the required agents (before shifts) and with the agents the
    shifts put on the phones (as scheduled); each label names its own, so one label never shows two numbers."""
    plan, sched = small
    cov = sched.coverage
    calls = plan.table["calls"].reindex(cov.index).fillna(0)
    required = plan.figures()["service_level"]  # the variants' plan_service_level
    scheduled = (cov["service_level"] * calls).sum() / calls.sum()
    assert (cov["scheduled"] >= cov["required"]).all() and scheduled > required  # the shifts over-cover here
    for h, label, value in [(plan_headline(plan, sched), "expected service level (as scheduled)", scheduled),
                            (plan_headline(plan), "expected service level (before shifts)", required)]:
        row = h.table.set_index("figure").loc["service_level"]
        assert row["label"] == label and row["value"] == pytest.approx(value)
        assert re.search(rf"{re.escape(label)}\s+{value:.1%}", h.text()) and f"({label.split('(')[1]}" in h.note()


def test_paid_break_share_is_the_shifts_paid_break_hours_over_paid_hours(small):
    _, sched = small
    # every shift of the fixture is 8 paid hours with one paid 30-minute break: 0.5 / 8 of paid time, by hand
    assert wfm.headline.paid_break_share(sched) == pytest.approx(0.5 / 8, rel=1e-12)
    lunch = {"shifts": [{"name": "day", "paid": "8h", "breaks": [{"length": "30min", "paid": False,
                                                                  "start_after": ["3h", "5h"]}]}],
             "week": {"days_per_week": [1, 5]}}
    plan, _ = small
    unpaid = wfm.schedule_weeks(plan.table["agents"], lunch, plan=plan, time_limit=20)
    assert wfm.headline.paid_break_share(unpaid) == 0.0


@pytest.mark.parametrize("breaks, lunch_paid, unscheduled", [
    (0.10, True, 1 - 0.70 / (1 - 0.0625)),  # the shifts place 6.25% of the 10% allowance
    (0.10, False, 0.30),                    # an unpaid lunch places none of it: all 30% is grossed up
    (0.05, True, 1 - 0.75 / (1 - 0.05)),    # more paid break than the 5% allowance: the allowance is placed
])
def test_break_shrinkage_the_shifts_do_not_place_is_grossed_up(small, breaks, lunch_paid, unscheduled):
    """The review of 7 Dec: the bank scenario's shifts place only an unpaid lunch, and its 10% breaks allowance
    appeared nowhere, so the FTE to employ (508) came out below the required FTE (576)."""
    plan, _ = small
    shrink = {**SHRINK, "breaks": breaks}
    p = wfm.staffing_plan(plan.table["calls"], aht=300, shrinkage=shrink, fte_hours_per_week=37.5)
    rules = {"shifts": [{"name": "day", "paid": "8h", "breaks": [{"length": "30min", "paid": lunch_paid,
                                                                  "start_after": ["3h", "5h"]}]}],
             "week": {"days_per_week": [1, 5]}}
    sched = wfm.schedule_weeks(p.table["agents"], rules, plan=p, time_limit=20)
    h = plan_headline(p, sched)
    f = h.figures()
    assert f["unscheduled_shrinkage"] == pytest.approx(unscheduled, rel=1e-12)
    assert f["heads_to_employ"] == math.ceil(sched.heads / (1 - unscheduled) - 1e-9)
    assert ("not placed by the shifts" in " ".join(h.params["unscheduled_components"])) == (breaks > 0.0625 + 1e-9
                                                                                             or not lunch_paid)
    # whole shifts cover at least the requirement, so the FTE to employ is never below the workload's FTE (before,
    # an unpaid lunch gave 0.8 / 0.7 = 12.5% less than the allowance implies)
    assert f["fte"] >= f["required_fte"] * (1 - 1e-9)


def test_a_schedule_sized_on_scheduled_agents_is_warned_of(small):
    """scheduled_agents already carry the shrinkage; the heads to employ would gross it up again."""
    plan, sched = small
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plan_headline(plan, sched)  # sized on the agents on the phones: no warning
    twice = wfm.schedule_weeks(np.ceil(plan.table["scheduled_agents"]), RULES, plan=plan, time_limit=20)
    with pytest.warns(UserWarning, match="scheduled_agents .* a second time"):
        plan_headline(plan, twice)
