"""simulate_logs: the logs the KPIs of a scenario are read from, the same run as wfm.simulate."""

import pandas as pd
import pytest

import wfm
from wfm.simulation import activity_log, simulate_logs


@pytest.fixture(scope="module")
def plan():
    """A morning of a small queue: module scope, read only."""
    idx = pd.date_range("2024-01-01 08:00", periods=8, freq="30min")
    return wfm.staffing_plan(pd.Series(30.0, index=idx), aht=240)


def test_the_contact_log_is_wfm_simulate_with_the_same_seed(plan):
    logs = simulate_logs(plan, patience=120, seed=11, customers=False)
    sim = wfm.simulate(plan.table["calls"], plan.table["aht"], plan.table["agents"], patience=120, seed=11)
    pd.testing.assert_frame_equal(logs.contacts, sim.contacts)
    pd.testing.assert_frame_equal(logs.agent_states, sim.agent_states)
    assert logs.schedule is None


def test_customer_fields_are_added_and_a_schedule_gives_its_planned_activities(plan):
    sched = wfm.schedule_week(plan.table["agents"], {"shifts": [{"name": "am", "paid": "4h"}],
                                                     "week": {"days_per_week": 1}}, time_limit=10)
    logs = simulate_logs(plan, sched, seed=5)
    assert {"csat", "nps", "customer"} <= set(logs.contacts.columns)
    pd.testing.assert_frame_equal(logs.schedule, activity_log(sched.shifts))
    assert logs.agent_states["agent"].nunique() == sched.heads


def test_a_seed_is_required(plan):
    with pytest.raises(TypeError, match="seed"):
        simulate_logs(plan, seed=None)
