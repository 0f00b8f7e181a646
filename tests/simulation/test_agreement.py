"""Simulated service level, P(abandon) and ASA against the exact Erlang C and Erlang A values.

Staffing and calls are held constant over a long open block; the first two hours are
dropped as warm-up (the queue starts empty). Each replication gives one ratio estimate;
the 99% confidence interval comes from the spread between replications (Student's t,
delta method for the ratio), never from the formula being tested. Seeds are fixed, so
the tests are deterministic; each comparison would fail by chance in 1% of seeds.
The last tests show that the check has power: one agent too few or too many, or
non-exponential handle times, land the Erlang value outside the interval.
"""

import numpy as np
import pandas as pd
import pytest

import wfm
from wfm.simulation import simulate
from wfm.simulation._result import ratio_ci

from .helpers import day_index

INTERVAL = 1800
WARMUP = 4  # intervals dropped at the start (two hours, dozens of relaxation times)
LEVEL = 0.99


def horizon_ci(sim, warmup=WARMUP, level=LEVEL):
    """99% intervals of service level, abandon rate and ASA over the post-warm-up horizon."""
    by = sim.by_replication
    reps = sim.params["replications"]
    keep = by.groupby("replication").cumcount() >= warmup
    tot = by[keep].groupby("replication").sum(numeric_only=True)
    out = {}
    for name, num, den in (("service_level", "answered_within", "offered"),
                           ("abandon_rate", "abandoned", "offered"),
                           ("asa", "wait_answered", "answered")):
        est, lo, hi = ratio_ci(tot[num].to_numpy()[:, None], tot[den].to_numpy()[:, None], level)
        out[name] = (float(est[0]), float(lo[0]), float(hi[0]))
    assert len(tot) == reps
    return out


def run(calls, aht, agents, patience, replications=16, intervals=40, seed=2024, handle_cv=1.0):
    idx = day_index(intervals + WARMUP, "2024-01-01 00:00")
    return simulate(pd.Series(float(calls), index=idx), aht, agents, patience=patience,
                    replications=replications, seed=seed, handle_cv=handle_cv)


CASES = {
    # name: calls per 30 min, aht, agents, patience
    "light, Erlang C (10 Erlangs, 14 agents)": (100, 180, 14, None),
    "heavy, Erlang C (20 Erlangs, 22 agents)": (200, 180, 22, None),
    "small, Erlang C (2 Erlangs, 3 agents)": (30, 120, 3, None),
    "Erlang A (10 Erlangs, 10 agents)": (100, 180, 10, 120),
    "overloaded, Erlang A (25 Erlangs, 20 agents)": (250, 180, 20, 180),
    "Erlang A, impatient (5 Erlangs, 5 agents)": (60, 150, 5, 30),
}


@pytest.mark.parametrize("case", list(CASES))
def test_simulation_agrees_with_erlang(case):
    calls, aht, agents, patience = CASES[case]
    model = "erlang_c" if patience is None else "erlang_a"
    exact = wfm.queue_metrics(calls, aht, INTERVAL, agents, 20, model=model, patience=patience).iloc[0]
    got = horizon_ci(run(calls, aht, agents, patience))
    names = ["service_level", "asa"] + (["abandon_rate"] if patience else [])
    for name in names:
        est, lo, hi = got[name]
        assert lo <= exact[name] <= hi, \
            f"{case}: {name} exact {exact[name]:.4f}, simulated {est:.4f} [{lo:.4f}, {hi:.4f}]"
    if patience:
        assert got["abandon_rate"][0] > 0.01  # the abandonment cases do abandon
    if case.startswith("overloaded"):
        assert exact["abandon_rate"] > 0.15


@pytest.mark.parametrize("wrong", [13, 15])
def test_one_agent_off_is_detected(wrong):
    """The 99% interval is narrow enough to tell 13 or 15 agents from the 14 Erlang C assumes."""
    exact = wfm.service_level(100, 180, INTERVAL, 14, 20)
    est, lo, hi = horizon_ci(run(100, 180, wrong, None))["service_level"]
    assert not lo <= exact <= hi
    assert (est < exact) == (wrong < 14)


def test_wrong_patience_is_detected():
    exact = wfm.abandon_rate(100, 180, INTERVAL, 10, patience=120)
    est, lo, hi = horizon_ci(run(100, 180, 10, 240))["abandon_rate"]
    assert hi < exact


@pytest.mark.parametrize("cv,shorter", [(0.3, True), (2.0, False)])
def test_handle_time_variability_moves_waits_away_from_erlang_c(cv, shorter):
    """Erlang C assumes exponential handle times; less variable ones wait less, more variable ones
    more (in M/G/n the mean wait scales roughly with (1 + cv^2) / 2)."""
    exact = wfm.asa(100, 180, INTERVAL, 12)
    est, lo, hi = horizon_ci(run(100, 180, 12, None, handle_cv=cv, intervals=80))["asa"]
    assert (hi < exact) if shorter else (lo > exact)


def test_interval_bounds_cover_erlang_in_steady_state():
    """Per interval, about 95% of the bounds at level 0.95 hold the exact value."""
    sim = run(100, 180, 11, 120, replications=12, intervals=60)
    exact = wfm.erlang.erlang_a_service_level(100, 180, INTERVAL, 11, 20, patience=120)
    tab = sim.intervals.iloc[WARMUP:]
    covered = ((tab["service_level_lo"] <= exact) & (exact <= tab["service_level_hi"])).mean()
    assert 0.85 <= covered <= 1.0
    assert np.isfinite(tab["service_level_lo"]).all()
