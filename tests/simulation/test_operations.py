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


@pytest.fixture(scope="module")
def erlang_a_plan():
    """An Erlang A plan (patience 144 s, threshold 30 s): module scope, read only."""
    idx = pd.date_range("2024-01-01 08:00", periods=8, freq="30min")
    return wfm.staffing_plan(pd.Series(30.0, index=idx), aht=240, model="erlang_a", patience=144, threshold=30)


def test_the_plan_gives_patience_and_threshold_as_verify_plan_reads_them(erlang_a_plan):
    """Review item 5: an Erlang A plan simulated with no patience had 0 abandons. By default the logs are the
    queue verify_plan simulates: the same run as wfm.simulate with the plan's patience and threshold."""
    logs = simulate_logs(erlang_a_plan, seed=11, customers=False)
    assert logs.params["patience"] == 144 and logs.params["threshold"] == 30
    t = erlang_a_plan.table
    sim = wfm.simulate(t["calls"], t["aht"], t["agents"], patience=144, threshold=30, seed=11)
    pd.testing.assert_frame_equal(logs.contacts, sim.contacts)
    assert logs.figures()["abandoned"] > 0
    # an explicit None still means callers who never hang up
    assert simulate_logs(erlang_a_plan, patience=None, seed=11).figures()["abandoned"] == 0


def test_kpis_of_simulated_logs_say_simulated(erlang_a_plan):
    """Review item 5: kpis labelled simulated logs "measured" and refused the logs object."""
    logs = simulate_logs(erlang_a_plan, seed=4)
    k = wfm.kpis(logs, freq=None)
    assert k["basis"].tolist() == ["simulated"]
    # the object gives its contacts and agent states: the same figures as passing them one by one
    by_hand = wfm.kpis(logs.contacts, states=logs.agent_states, freq=None)
    pd.testing.assert_frame_equal(k, by_hand)
    assert "occupancy" in k
    assert wfm.kpis(logs.contacts, freq=None)["basis"].iloc[0] == "simulated"
    t = erlang_a_plan.table
    sim = wfm.simulate(t["calls"], t["aht"], t["agents"], patience=144, seed=1)
    assert wfm.kpis(sim, freq=None)["basis"].iloc[0] == "simulated"
    # an explicit basis wins; a plain log is measured
    assert wfm.kpis(logs, freq=None, basis="synthetic")["basis"].iloc[0] == "synthetic"
    plain = pd.DataFrame({"arrival": pd.to_datetime(["2024-01-01 09:00"]), "answer": pd.to_datetime(["2024-01-01 09:00:05"])})
    assert wfm.kpis(plain, freq=None)["basis"].iloc[0] == "measured"
    with pytest.raises(TypeError, match="contacts must be a contact log"):
        wfm.kpis(42)
