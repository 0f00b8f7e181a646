"""The proposed ``capacity:`` scenario section: its keys are the functions' arguments, composed without arithmetic."""

import io

import numpy as np
import pandas as pd
import pytest
import yaml

from wfm.capacity import CapacitySection, capacity_plan, capacity_risk, weekly_demand

SECTION = """
demand: {weeks: 52, aht: 300, damping: 0.98, level: 0.8, growth: 0.05,
         seasonal_indices: {1: 1.07, 2: 1.02, 3: 1.0, 4: 0.98, 5: 0.97, 6: 0.95,
                            7: 0.93, 8: 0.95, 9: 1.0, 10: 1.02, 11: 1.04, 12: 1.07}}
staffing: {model: erlang_c, service_level: 0.8, threshold: 20, max_occupancy: 0.9,
           shrinkage: {absence: 0.06, breaks: 0.14, vacation: {7: 0.12, 8: 0.12}}}
staff: staff.csv
rules: {attrition: {0: 0.015, 13: 0.008, 52: 0.005}, lead_time_weeks: 6, class_min: 5, class_max: 40,
        start_weeks: [6, 10, 14, 18, 22, 26, 30, 34, 38, 42, 46], shortfall_penalty: 5000}
risk: {paths: 300, seed: 1, max_short_probability: 0.2, hedge: false}
"""

STAFF_CSV = "tenure_weeks,headcount\n2,26\n20,60\n80,160\n150,300\n"


def test_section_composes_into_the_functions(bank_30min):
    sec = CapacitySection(**yaml.safe_load(SECTION))
    # what a runner does: keys go straight to the functions (vacation months not given are 0)
    demand = weekly_demand(bank_30min, **sec.demand.model_dump(), **sec.staffing.model_dump())
    staff = pd.read_csv(io.StringIO(STAFF_CSV))
    plan = capacity_plan(demand, staff, sec.rules, requirement=sec.requirement, method=sec.method,
                         time_limit=sec.time_limit, mip_rel_gap=sec.mip_rel_gap)
    risk = capacity_risk(plan, level=sec.demand.level, **sec.risk.model_dump())
    assert len(plan.table) == 52 and plan.params["rules"]["class_max"] == 40
    assert set(plan.hiring["start_week"]) <= set(sec.rules.start_weeks)
    assert risk.params["paths"] == 300
    month = (demand["week"] + pd.Timedelta(days=3)).dt.month
    np.testing.assert_allclose(demand["shrinkage"], np.where(month.isin([7, 8]), 0.32, 0.20))


def test_section_rejects_unknown_keys_naming_them():
    bad = yaml.safe_load(SECTION)
    bad["rules"]["cost_per_heir"] = 10
    with pytest.raises(ValueError, match="cost_per_heir"):
        CapacitySection(**bad)
    bad = yaml.safe_load(SECTION)
    bad["demand"]["horizon"] = 52
    with pytest.raises(ValueError, match="horizon"):
        CapacitySection(**bad)


def test_the_shipped_capacity_scenario_base_plan_is_never_short(bank_30min):
    # issue 25: the base plan of scenarios/capacity_bank_calls.yaml was short in 26 of 78 weeks (14 before any
    # class could be fully productive: the staff file was too small for December's peak; 12 where the penalty
    # was cheaper than a class). Its staff now carries the first 18 weeks and shortfall is hard from week 18.
    from pathlib import Path

    folder = Path(__file__).parents[2] / "scenarios"
    section = yaml.safe_load((folder / "capacity_bank_calls.yaml").read_text())["capacity"]
    section.pop("grid")
    sec = CapacitySection(**section)
    demand = weekly_demand({"bank_calls": bank_30min}, **sec.demand.model_dump(), **sec.staffing.model_dump())
    plan = capacity_plan(demand, pd.read_csv(folder / sec.staff), sec.rules, time_limit=sec.time_limit,
                         mip_rel_gap=sec.mip_rel_gap)
    f = plan.figures()
    assert f["site_weeks_short"] == 0 and (plan.table["shortfall_reason"] == "").all()
    # whole heads and hires in every heads output
    for col in ("headcount", "trainees", "hires"):
        assert (plan.table[col] == np.round(plan.table[col])).all()
    m = plan.monthly()
    assert m["headcount_end"].dtype.kind == "i" and m["hires"].dtype.kind == "i"
    assert isinstance(f["headcount_start"], int) and plan.hiring["heads"].dtype.kind == "i"
