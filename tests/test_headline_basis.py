"""The headline's figures on one basis (review 32): the abandon rate on the service level's agents (finding 2) and
heads to employ grossed up by the plan's own per-interval shrinkage (finding 4)."""

import math

import numpy as np
import pandas as pd
import pytest

import wfm
from wfm.headline import plan_headline

RULES = {"shifts": [{"name": "day", "paid": "8h"}], "week": {"days_per_week": [1, 5]}}


def _chain_abandon_rate(calls, aht, interval, n, patience):
    """Exact Erlang A (M/M/n+M) abandon rate from the birth-death chain: theta E[queue] / lambda (PASTA)."""
    lam, mu, th = calls / interval, 1.0 / aht, 1.0 / patience
    K = int(n + 60 * (1 + lam / th) ** 0.5 + 4 * lam / th + 200)
    k = np.arange(1, K + 1)
    logw = np.r_[0.0, np.cumsum(np.log(lam) - np.log(np.minimum(k, n) * mu + np.maximum(k - n, 0) * th))]
    p = np.exp(logw - logw.max())
    p /= p.sum()
    return th * (np.maximum(np.arange(K + 1) - n, 0) * p).sum() / lam


def _weighted_chain(tab, agents, patience):
    busy = tab["calls"] > 0
    ab = [_chain_abandon_rate(c, a, 1800.0, int(n), patience) for c, a, n in
          zip(tab["calls"][busy], tab["aht"][busy], agents[busy])]
    return float(np.dot(ab, tab["calls"][busy]) / tab["calls"][busy].sum())


@pytest.fixture(scope="module")
def erlang_a():
    """Two days of 10 hours, Erlang A (patience 120 s), sized into 8-hour shifts that over-cover the shoulders."""
    idx = pd.date_range("2024-01-01 08:00", periods=20, freq="30min")
    idx = idx.append(idx + pd.Timedelta(days=1))
    calls = pd.Series(np.r_[np.linspace(20, 60, 20), np.linspace(30, 50, 20)], index=idx)
    plan = wfm.staffing_plan(calls, aht=300, model="erlang_a", patience=120, max_abandon_rate=0.05,
                             open_days=["Mon", "Tue"])
    return plan, wfm.schedule_weeks(plan.table["agents"], RULES, plan=plan, time_limit=20)


def test_abandon_rate_is_on_the_agents_of_the_service_level(erlang_a):
    plan, sched = erlang_a
    tab = plan.table
    scheduled = sched.coverage["scheduled"].reindex(tab.index)
    assert (scheduled >= tab["agents"]).all() and (scheduled > tab["agents"]).any()
    as_scheduled, before = _weighted_chain(tab, scheduled, 120.0), _weighted_chain(tab, tab["agents"], 120.0)
    assert before - as_scheduled > 1e-3  # the two bases differ by more than the tolerance below
    for h, value, basis in [(plan_headline(plan, sched), as_scheduled, "as scheduled"),
                            (plan_headline(plan), before, "before shifts")]:
        row = h.table.set_index("figure").loc["abandon_rate"]
        assert row["value"] == pytest.approx(value, rel=1e-9)
        assert row["label"] == f"expected abandon rate ({basis})"
        assert h.table.set_index("figure").loc["service_level", "label"] == f"expected service level ({basis})"


def test_erlang_c_plan_has_no_abandon_rate(erlang_a):
    plan = wfm.staffing_plan(erlang_a[0].table["calls"], aht=300, open_days=["Mon", "Tue"])
    sched = wfm.schedule_weeks(plan.table["agents"], RULES, plan=plan, time_limit=20)
    assert math.isnan(plan_headline(plan, sched).figures()["abandon_rate"])


def test_heads_to_employ_gross_up_per_interval_shrinkage_as_the_plan_does():
    """Absence 40% before 10:00 and 20% after: one shrinkage for the heads is the plan's own gross-up,
    1 - sum(agents) / sum(agents / (1 - s_i)) (productive over scheduled hours), not the plain mean of s_i."""
    idx = pd.date_range("2024-01-01 08:00", periods=20, freq="30min")
    idx = idx.append(idx + pd.Timedelta(days=1))
    calls = pd.Series(np.r_[np.linspace(80, 30, 20), np.linspace(70, 30, 20)], index=idx)
    s = pd.Series(np.where(idx.hour < 10, 0.40, 0.20), index=idx)
    plan = wfm.staffing_plan(calls, aht=300, shrinkage=s, open_days=["Mon", "Tue"])
    tab = plan.table
    by_hand = 1 - tab["agents"].sum() / (tab["agents"] / (1 - s)).sum()
    assert by_hand == pytest.approx(1 - tab["agents"].sum() / tab["scheduled_agents"].sum(), rel=1e-12)
    assert by_hand - s.mean() > 0.01  # the morning's heavier shrinkage falls on more agents here
    assert plan.params["shrinkage_total"] == pytest.approx(by_hand, rel=1e-12)
    sched = wfm.schedule_weeks(tab["agents"], RULES, plan=plan, time_limit=20)
    f = plan_headline(plan, sched, cost_per_paid_hour=20.0).figures()
    assert f["unscheduled_shrinkage"] == pytest.approx(by_hand, rel=1e-12)  # no paid breaks: all of it
    heads = sched.heads
    assert f["heads_to_employ"] == math.ceil(heads / (1 - by_hand))
    assert f["heads_to_employ"] != math.ceil(heads / (1 - s.mean()))  # the old plain mean gives another count
    # one number stays itself
    flat = wfm.staffing_plan(calls, aht=300, shrinkage=0.3, open_days=["Mon", "Tue"])
    assert flat.params["shrinkage_total"] == 0.3
