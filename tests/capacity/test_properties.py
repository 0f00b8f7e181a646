"""Hypothesis properties of the supply projection and of the hiring plan."""

import numpy as np
import pandas as pd
from hypothesis import given, settings, strategies as st

from wfm.capacity import capacity_plan, project_supply

tenures = st.lists(st.integers(min_value=12, max_value=400), min_size=1, max_size=5)


@settings(max_examples=30, deadline=None)
@given(tenures=tenures, heads=st.integers(1, 60), fte=st.floats(0.3, 1.0), weeks=st.integers(2, 30),
       training=st.integers(0, 4), nesting=st.integers(0, 8))
def test_zero_attrition_and_no_hires_keep_available_fte_constant(tenures, heads, fte, weeks, training, nesting):
    staff = pd.DataFrame({"tenure_weeks": [t + training + nesting for t in tenures], "headcount": heads})
    rules = {"attrition": {0: 0.0, 13: 0.0}, "training_attrition": 0.0, "training_weeks": training,
             "nesting_weeks": nesting, "fte_per_head": fte}
    weekly, _ = project_supply(staff, rules, weeks=weeks)
    expected = len(tenures) * heads * fte
    np.testing.assert_allclose(weekly["available_fte"], expected, rtol=1e-12)
    np.testing.assert_allclose(weekly["headcount"], len(tenures) * heads, rtol=1e-12)
    assert (weekly["leavers"] == 0).all()


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), low=st.floats(0.0, 0.03), more=st.floats(0.0, 0.03))
def test_more_attrition_never_hires_fewer(seed, low, more):
    # Hard shortfall rule, cost per hire only: every plan feasible under the higher attrition is feasible
    # under the lower (supply falls with the hazard), so the fewest hires can only rise.
    rng = np.random.default_rng(seed)
    weeks = 16
    demand = pd.DataFrame({"site": "all", "week": range(weeks), "required_fte": rng.uniform(15, 25, weeks)})
    staff = pd.DataFrame({"tenure_weeks": [3, 30, 120], "headcount": rng.integers(3, 9, 3)})
    base = {"training_weeks": 2, "nesting_weeks": 2, "lead_time_weeks": 1, "class_min": 1, "class_max": 40,
            "cost_per_hire": 1000.0, "cost_per_paid_hour": 0.0, "shortfall": "hard", "tolerance": 0.0,
            "training_attrition": 0.05}
    plans = [capacity_plan(demand, staff, {**base, "attrition": {0: rate, 10: rate / 2}}, mip_rel_gap=0.0)
             for rate in (low, low + more)]
    assert plans[1].figures()["hires"] >= plans[0].figures()["hires"]
    # and for the same hires, more attrition never leaves more supply
    hires = plans[0].hiring.assign(week=lambda f: f["start_week"])[["week", "heads"]]
    again = capacity_plan(demand, staff, {**base, "attrition": {0: low + more, 10: (low + more) / 2},
                                          "shortfall": "penalty"}, method="fixed", hires=hires)
    assert (again.table["available_fte"].to_numpy() <= plans[0].table["available_fte"].to_numpy() + 1e-9).all()
