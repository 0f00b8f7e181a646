"""The schedule's service level is on the plan's service-level definition (review 32, finding 1)."""

import numpy as np
import pandas as pd

import wfm
from wfm.schedule import schedule_week

MONDAY = pd.Timestamp("2024-01-01")


def _esa_plan():
    """One Monday, 1-hour intervals 08-16 h, Erlang A (patience 60 s) staffed 80/20 excluding short abandons."""
    idx = pd.date_range(MONDAY, periods=24, freq="1h")
    calls = pd.Series(0.0, index=idx)
    calls[(idx.hour >= 8) & (idx.hour < 16)] = [60, 120, 200, 260, 240, 180, 140, 90]
    return wfm.staffing_plan(calls, open_days=["Mon"], aht=180, service_level=0.8, threshold=20, model="erlang_a", patience=60,
                             sl_definition="exclude_short_abandons")


def test_coverage_service_level_uses_the_plans_definition():
    plan = _esa_plan()
    tab = plan.table
    # 3-hour shifts over an 8-hour day: the schedule has more agents than required in some intervals
    rules = {"shifts": [{"name": "D3", "paid": "3h"}], "week": {"days_per_week": 1}}
    sched = schedule_week(tab["agents"], rules, plan=plan)
    cov = sched.coverage
    busy = tab["calls"] > 0
    assert (cov["scheduled"] >= cov["required"]).all() and (cov["scheduled"][busy] > tab["agents"][busy]).any()
    # Erlang A at the scheduled agents, by the plan's definition (wfm.erlang is checked against the exact
    # birth-death chain and tagged-caller CTMC in tests/test_erlang.py)
    exact = wfm.erlang.erlang_a_service_level(tab["calls"], 180, 3600, cov["scheduled"], 20, 60,
                                       sl_definition="exclude_short_abandons")
    np.testing.assert_allclose(cov["service_level"], exact, rtol=0, atol=1e-12)
    offered = wfm.erlang.erlang_a_service_level(tab["calls"], 180, 3600, cov["scheduled"], 20, 60)
    assert (np.abs(cov["service_level"] - offered)[busy] > 1e-3).all()  # the old (offered) figure is another one
    # at least as many agents everywhere: never below the before-shifts service level, interval or call-weighted
    assert (cov["service_level"][busy] >= tab["service_level"][busy] - 1e-12).all()
    w = tab["calls"] / tab["calls"].sum()
    assert sched.params["sl_call_weighted"] >= float((tab["service_level"] * w).sum())
    assert abs(sched.params["sl_call_weighted"] - float((exact * w).sum())) < 1e-12


def test_shortfall_weights_use_the_plans_definition():
    from wfm.schedule.queueing import _queue_inputs, _shortfall_weights

    plan = _esa_plan()
    tab = plan.table
    queue = _queue_inputs(tab.index, 3600.0, plan, None, None, None)
    assert queue[-1] == "exclude_short_abandons"

    class Grid:
        req, interval = tab["agents"].to_numpy(), 3600.0

    n = Grid.req.astype(float)
    need = n > 0
    sl = lambda k: wfm.erlang.erlang_a_service_level(tab["calls"].to_numpy()[need], 180, 3600, k, 20, 60,  # noqa: E731
                                              sl_definition="exclude_short_abandons")
    loss = np.maximum(tab["calls"].to_numpy()[need] * (sl(n[need]) - sl(n[need] - 1)), 0.0)
    np.testing.assert_allclose(_shortfall_weights(Grid, queue)[need], 1.0 + loss / loss.mean(), rtol=1e-12)
