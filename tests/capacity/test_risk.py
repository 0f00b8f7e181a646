"""Monte Carlo risk: binomial attrition matches its expectation and variance; the volume draw its band."""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from wfm.capacity import capacity_plan, capacity_risk, simulate_supply


def _plan(weeks=20, heads=50, hazard=0.02, required=45.0, band=None, **rules):
    demand = pd.DataFrame({"site": "all", "week": range(weeks), "required_fte": required})
    if band is not None:
        demand["required_fte_lower"] = required - band
        demand["required_fte_upper"] = required + band
    staff = pd.DataFrame({"tenure_weeks": [200], "headcount": [heads]})
    r = {"attrition": {0: hazard}, "lead_time_weeks": 2, "training_weeks": 2, "nesting_weeks": 0, **rules}
    return capacity_plan(demand, staff, r, method="fixed", hires=pd.DataFrame({"week": [], "heads": []}))


def test_without_randomness_every_path_is_the_plan():
    plan = _plan()
    sims = simulate_supply(plan, paths=50, attrition=False)
    np.testing.assert_allclose(sims[:, 0, :], np.broadcast_to(plan.table["available_fte"], (50, 20)), rtol=1e-6)


def test_binomial_attrition_mean_and_variance():
    # One cohort of 50 with weekly hazard 2%: heads at week t are Binomial(50, 0.98^t).
    plan = _plan(heads=50, hazard=0.02)
    sims = simulate_supply(plan, paths=20_000, seed=3)[:, 0, :]
    p = 0.98 ** np.arange(20)
    mean, var = 50 * p, 50 * p * (1 - p)
    se = np.sqrt(var / 20_000) + 1e-12
    assert (np.abs(sims.mean(axis=0) - mean) <= 4.5 * se + 1e-6).all()
    assert sims[:, 10].var() == pytest.approx(var[10], rel=0.05)
    assert (sims == np.round(sims)).all()                     # whole heads (fte_per_head 1, productivity 1)
    assert (np.diff(sims, axis=1) <= 0).all()                 # nobody comes back


def test_volume_draw_gives_the_band_probability():
    # Constant supply of 50 (no attrition), requirement 45 +- 8 at 80% coverage: short when z > 5 / (8 / 1.2816),
    # i.e. with probability 1 - Phi(0.801) = 0.2116 in every week.
    plan = _plan(heads=50, hazard=0.0, band=8.0, required=45.0)
    risk = capacity_risk(plan, paths=20_000, seed=1, attrition=False, level=0.8, hedge=False)
    expected = 1 - norm.cdf(5 / (8 / norm.ppf(0.9)))
    assert risk.table["prob_short"].to_numpy() == pytest.approx(np.full(20, expected), abs=4 * np.sqrt(0.25 / 20_000))


def test_hedged_plan_meets_the_short_probability():
    base = capacity_plan(pd.DataFrame({"site": "all", "week": range(26), "required_fte": 50.0,
                                       "required_fte_lower": 47.0, "required_fte_upper": 53.0}),
                         pd.DataFrame({"tenure_weeks": [200], "headcount": [52]}),
                         {"attrition": {0: 0.01}, "lead_time_weeks": 1, "training_weeks": 1, "nesting_weeks": 0,
                          "class_min": 2, "class_max": 30, "start_weeks": list(range(1, 26, 2)),
                          "shortfall": "hard"})
    risk = capacity_risk(base, paths=4000, seed=2, level=0.8, max_short_probability=0.1, rounds=4)
    assert risk.figures()["prob_short_max"] > 0.1            # the expected-value plan is short too often
    assert risk.params["hires_hedged"] > risk.params["hires_plan"]
    reach = risk.table["week"] >= 2                           # weeks a new class can reach
    # fresh paths against the original demand: within Monte Carlo error (3 sd of a 10% rate on 4,000 paths) of 10%
    assert risk.table.loc[reach, "prob_short_hedged"].max() <= 0.1 + 3 * np.sqrt(0.09 / 4000)


def test_risk_note_says_when_the_plan_misses_its_risk_target():
    # The band test's plan: short in 21.2% of paths every week (1 - Phi(0.801)), above a 10% target in all 20
    # weeks; at a 30% target no week is above it and there is nothing to say.
    from wfm.capacity.result import risk_note

    plan = _plan(heads=50, hazard=0.0, band=8.0, required=45.0)
    risk = capacity_risk(plan, paths=20_000, seed=1, attrition=False, level=0.8, hedge=False,
                         max_short_probability=0.1)
    note = risk_note(risk.figures())
    assert note.startswith("risk: in 20 week(s) the plan is short in more than 10% of 20,000 simulated paths "
                           "(at worst 21%)"), note
    assert "capacity.risk.hedge: true" in note
    relaxed = capacity_risk(plan, paths=20_000, seed=1, attrition=False, level=0.8, hedge=False,
                            max_short_probability=0.3)
    assert risk_note(relaxed.figures()) == ""
