"""One rule for the bounds of every simulator: proportions of contacts (service level, abandon, blocked and callback
rates) get Wilson score bounds on pooled counts with a design effect (wfm.simulation._result.proportion_bounds), per
interval and over the horizon; other ratios (ASA, occupancy, callback wait) Student's t over replications
(ratio_ci). Before, the horizon figures of Simulation.summary() and every bound of the multi-skill and channel
simulators were Student's t, which gives [0, 0] where no contact abandoned in a few replications, and the channel
table's went below 0 and above 1. Every case here is synthetic and seeded."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import stats

from wfm.simulation import simulate
from wfm.simulation._result import PROPORTIONS, proportion_bounds, ratio_ci
from wfm.simulation.channels import simulate_callbacks, simulate_chat, simulate_redials
from wfm.simulation.multiskill import simulate_multiskill

from .helpers import day_index

LEVEL = 0.95
Z2 = stats.norm.ppf(0.975) ** 2


def _wilson_upper_at_zero(offered):
    """Wilson's upper bound when no event happened among ``offered`` contacts: z^2 / (n + z^2) (solve
    (p - 0)^2 = z^2 p (1 - p) / n for p). No event in any replication leaves no binomial variance, so the design
    effect is 1 and n is every contact offered, pooled over the replications."""
    return Z2 / (offered + Z2)


def _no_abandon_day():
    """20 calls per 30 minutes on 5 agents (2 Erlangs) with an hour of mean patience: callers wait, none abandons."""
    return pd.Series(20.0, index=day_index(8)), 180, 5


def test_summary_abandon_rate_without_abandons_is_bounded_above_by_wilson():
    calls, aht, agents = _no_abandon_day()
    sim = simulate(calls, aht, agents, patience=3600, replications=3, seed=1, level=LEVEL)
    assert sim.by_replication["abandoned"].sum() == 0  # the seeded case: no abandon anywhere
    s = sim.summary()
    offered = sim.by_replication["offered"].sum()
    assert s.loc["abandon_rate", "lo"] == 0
    assert s.loc["abandon_rate", "hi"] == pytest.approx(_wilson_upper_at_zero(offered), rel=1e-12)
    assert 0 < s.loc["abandon_rate", "hi"] < 1  # Student's t gave [0, 0]
    assert 0 <= s.loc["service_level", "lo"] < s.loc["service_level", "estimate"] < s.loc["service_level", "hi"] <= 1


def test_summary_bounds_are_proportion_bounds_on_the_horizon_totals_of_each_replication(erlang_a_day):
    """Horizon bounds of the two proportions = Wilson on each replication's totals (one column), here recomputed
    with statsmodels on the effective counts; those of the ASA and occupancy stay Student's t."""
    from statsmodels.stats.proportion import proportion_confint

    _, _, sim = erlang_a_day
    s = sim.summary()
    tot = sim.by_replication.groupby("replication").sum(numeric_only=True)
    reps = len(tot)
    for name, num in (("service_level", "answered_within"), ("abandon_rate", "abandoned")):
        y, x = tot[num].to_numpy(float), tot["offered"].to_numpy(float)
        lo, hi = proportion_bounds(y[:, None], x[:, None], LEVEL)
        assert (s.loc[name, "lo"], s.loc[name, "hi"]) == pytest.approx((lo[0], hi[0]), rel=1e-12)
        p = y.sum() / x.sum()  # design effect of the one column, at least 1
        deff = max(1.0, reps / (reps - 1) * ((y - p * x) ** 2).sum() / (x.sum() * p * (1 - p)))
        ref = proportion_confint(y.sum() / deff, x.sum() / deff, alpha=1 - LEVEL, method="wilson")
        assert (s.loc[name, "lo"], s.loc[name, "hi"]) == pytest.approx(ref, rel=1e-9)
    for name, num, den in (("asa", "wait_answered", "answered"), ("occupancy", "busy_seconds", "staffed_seconds")):
        _, lo, hi = ratio_ci(tot[num].to_numpy(float), tot[den].to_numpy(float), LEVEL)
        assert (s.loc[name, "lo"], s.loc[name, "hi"]) == pytest.approx((max(lo, 0.0), hi), rel=1e-12)


def test_multiskill_bounds_without_abandons_are_wilson_per_type():
    idx = day_index(8)
    calls = pd.DataFrame({"a": 20.0, "b": 10.0}, index=idx)
    sim = simulate_multiskill(calls, {"g": 4, "h": 3}, {"g": ["a", "b"], "h": ["b"]}, aht=180, patience=3600,
                              replications=3, seed=1, level=LEVEL)
    tal = sim.tallies
    assert tal["abandoned"].sum() == 0
    s = sim.summary()
    offered = tal["offered"].sum(axis=(0, 1))
    np.testing.assert_array_equal(s["abandon_rate_lo"], 0.0)
    np.testing.assert_allclose(s["abandon_rate_hi"], _wilson_upper_at_zero(offered), rtol=1e-12)
    assert (s["abandon_rate_hi"] > 0).all() and (s["abandon_rate_hi"] < 1).all()
    # Each type is its own column over the horizon and its own series per interval (its own design effect).
    for j, i in enumerate(sim.params["types"]):
        tot = {k: tal[k][:, :, j].sum(axis=1)[:, None] for k in ("answered_within", "offered")}
        lo, hi = proportion_bounds(tot["answered_within"], tot["offered"], LEVEL)
        assert (s.loc[i, "service_level_lo"], s.loc[i, "service_level_hi"]) == pytest.approx((lo[0], hi[0]))
        rows = sim.table[sim.table["type"] == i]
        for name, num in (("service_level", "answered_within"), ("abandon_rate", "abandoned")):
            lo, hi = proportion_bounds(tal[num][:, :, j], tal["offered"][:, :, j], LEVEL)
            np.testing.assert_allclose(rows[f"{name}_lo"], lo, rtol=1e-12, atol=1e-15)
            np.testing.assert_allclose(rows[f"{name}_hi"], hi, rtol=1e-12, atol=1e-15)
        _, lo, hi = ratio_ci(tal["wait_answered"][:, :, j].sum(axis=1), tal["answered"][:, :, j].sum(axis=1), LEVEL)
        assert (s.loc[i, "asa_lo"], s.loc[i, "asa_hi"]) == pytest.approx((max(lo, 0.0), hi))


def test_channel_bounds_without_abandons_are_wilson_and_stay_in_0_1():
    """Redials on 5 agents: Student's t gave bounds below 0 and above 1 in some intervals, [0, 0] in others."""
    calls = pd.Series(20.0, index=day_index(8))
    sim = simulate_redials(calls, 180, 5, patience=600, replications=3, seed=1, level=LEVEL)
    tab, by = sim.table, sim.by_replication
    for name, num in (("service_level", "answered_within"), ("abandon_rate", "abandoned"),
                      ("blocked_rate", "blocked")):
        lo, hi = proportion_bounds(by[num], by["offered"], LEVEL)
        np.testing.assert_allclose(tab[f"{name}_lo"], lo, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(tab[f"{name}_hi"], hi, rtol=1e-12, atol=1e-15)
        assert ((tab[f"{name}_lo"] >= 0) & (tab[f"{name}_hi"] <= 1)).all()
        assert (tab[f"{name}_hi"] > 0).all()
    assert (tab["abandoned"] == 0).any() and (tab["abandoned"] > 0).any()  # both cases are in the sample
    chat = simulate_chat(calls, 180, 4, concurrency=2, patience=3600, replications=3, seed=1, level=LEVEL)
    assert chat.by_replication["abandoned"].sum() == 0
    f = chat.figures()
    assert f["abandon_rate_lo"] == 0
    assert f["abandon_rate_hi"] == pytest.approx(_wilson_upper_at_zero(chat.by_replication["offered"].sum()))


def test_callback_rate_is_a_proportion_and_callback_wait_is_not():
    calls = pd.Series(30.0, index=day_index(8))
    sim = simulate_callbacks(calls, 180, 4, patience=300, callback_threshold=60, acceptance=0.5, replications=4,
                             seed=2, level=LEVEL)
    t = {k: x.sum(axis=1) for k, x in sim.by_replication.items()}
    assert t["callbacks"].sum() > 0
    f = sim.figures()
    lo, hi = proportion_bounds(t["callbacks"][:, None], t["offered"][:, None], LEVEL)
    assert (f["callback_rate_lo"], f["callback_rate_hi"]) == pytest.approx((lo[0], hi[0]), rel=1e-12)
    _, lo, hi = ratio_ci(t["callback_wait"], t["callbacks"], LEVEL)
    assert (f["callback_wait_lo"], f["callback_wait_hi"]) == pytest.approx((lo, hi), rel=1e-12)
    assert set(PROPORTIONS) == {"service_level", "abandon_rate", "blocked_rate", "callback_rate"}


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 5), st.integers(1, 6), st.integers(1, 3), st.data())
def test_proportion_bounds_keep_a_design_effect_per_series_and_stay_in_0_1(reps, intervals, series, data):
    """(replications, intervals, series) gives each series the bounds it gets alone, inside [0, 1] around p."""
    x = data.draw(hnp.arrays(np.int64, (reps, intervals, series), elements=st.integers(0, 60)))
    y = np.floor(x * data.draw(hnp.arrays(float, x.shape, elements=st.floats(0, 1))))
    lo, hi = proportion_bounds(y, x, LEVEL)
    for k in range(series):
        alone = proportion_bounds(y[:, :, k], x[:, :, k], LEVEL)
        np.testing.assert_array_equal(lo[:, k], alone[0])
        np.testing.assert_array_equal(hi[:, k], alone[1])
    seen = x.sum(axis=0) > 0
    p = y.sum(axis=0)[seen] / x.sum(axis=0)[seen]
    assert (0 <= lo[seen]).all() and (lo[seen] <= p + 1e-12).all() and (p <= hi[seen] + 1e-12).all()
    assert (hi[seen] <= 1).all() and (hi[seen] > lo[seen]).all()
    assert np.isnan(lo[~seen]).all() and np.isnan(hi[~seen]).all()
