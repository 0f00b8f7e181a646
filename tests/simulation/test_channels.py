"""The channel simulators: reproducible, and agreeing with the models of wfm.channels within their noise.

Each agreement test runs a modest seeded horizon and asserts the model's figure lies inside the
simulation's 95% interval widened by a stated allowance for the model's approximation (redials as
Poisson load where the fixed point is used, chat sessions not rebalanced, deferred work as a fluid); the benchmark
benchmarks/bench_channels.py runs the full grids.
"""

import numpy as np
import pandas as pd
import pytest

from wfm.channels import chat_queue, deferred_backlog, erlang_x, estimate_redials
from wfm.simulation.channels import simulate_chat, simulate_deferred, simulate_redials


def _index(n, freq="30min"):
    return pd.date_range("2024-01-01", periods=n, freq=freq)


def _inside(model, sim, allowance):
    f = sim.figures()
    assert f["service_level_lo"] - allowance <= model <= f["service_level_hi"] + allowance, (model, f)


def test_redials_simulation_agrees_with_the_model():
    idx = _index(60)
    kw = dict(patience=120, lines=28, redial_probability=0.5, redial_delay=300)
    sim = simulate_redials(pd.Series(180.0, idx), 180, 20, replications=4, seed=5, **kw)
    model = erlang_x(180, 180, 1800, 20, **kw)
    _inside(model["service_level"].item(), sim, 0.01)
    assert sim.table["offered"].iloc[4:].mean() == pytest.approx(model["attempts"].item(), rel=0.03)
    assert sim.figures()["blocked_rate"] > 0  # the line limit binds


def test_redials_simulation_is_reproducible_and_common_across_staffing():
    idx = _index(8)
    a = simulate_redials(pd.Series(100.0, idx), 180, 10, patience=120, redial_probability=0.4, seed=3)
    b = simulate_redials(pd.Series(100.0, idx), 180, 10, patience=120, redial_probability=0.4, seed=3)
    c = simulate_redials(pd.Series(100.0, idx), 180, 12, patience=120, redial_probability=0.4, seed=3)
    pd.testing.assert_frame_equal(a.contacts, b.contacts)
    fresh = lambda s: s.contacts.loc[s.contacts.attempt == 1, "arrival"].to_numpy()  # noqa: E731
    np.testing.assert_array_equal(fresh(a), fresh(c))
    assert c.figures()["service_level"] > a.figures()["service_level"]


def test_redials_interval_staffing_is_followed():
    """No agent in the second half: every attempt there abandons (or is blocked), none is answered."""
    idx = _index(8)
    agents = pd.Series([10, 10, 10, 10, 0, 0, 0, 0], idx)
    sim = simulate_redials(pd.Series(100.0, idx), 180, agents, patience=60, seed=2)
    late = sim.table.iloc[5:]
    assert late["answered"].sum() == 0 and late["abandoned"].sum() == late["offered"].sum()


def test_redial_estimate_covers_the_truth_on_a_simulated_log():
    idx = _index(48)
    r, delay = 0.6, 400.0
    sim = simulate_redials(pd.Series(110.0, idx), 180, 10, patience=90, redial_probability=r, redial_delay=delay,
                           seed=8)
    est = estimate_redials(sim.contacts, window=4 * 3600).figures()
    assert est["redial_probability_lo"] <= r <= est["redial_probability_hi"]
    assert est["redial_delay_lo"] <= delay <= est["redial_delay_hi"]
    assert est["failed_attempts"] > 500


@pytest.mark.parametrize("concurrency,slowdown,agents", [(1, 0.0, 11), (3, 0.25, 6)])
def test_chat_simulation_agrees_with_the_chain(concurrency, slowdown, agents):
    idx = _index(40)
    sessions = 100.0
    sim = simulate_chat(pd.Series(sessions, idx), 240, agents, concurrency=concurrency, slowdown=slowdown,
                        patience=150, threshold=30, replications=4, seed=7)
    model = chat_queue(sessions, 240, 1800, agents, concurrency=concurrency, slowdown=slowdown, patience=150,
                       threshold=30)
    _inside(model["service_level"].item(), sim, 0.02)


def test_chat_simulation_holds_at_most_concurrency_sessions():
    """With no arrivals after the first instant the first-response waits show the slots: at most c x N at 0 s."""
    idx = _index(2)
    sim = simulate_chat(pd.Series([400.0, 0.0], idx), 6000, 3, concurrency=2, threshold=0, seed=1)
    log = sim.contacts
    assert (log["wait"] == 0).sum() <= 400 and sim.figures()["service_level"] < 0.1
    first = log.sort_values("arrival").head(6)
    assert (first["wait"] == 0).all()  # the first six sessions find free slots


def test_deferred_simulation_agrees_with_the_fluid_model():
    """Three repeats of a day; the middle day is compared with the periodic fluid model."""
    day = _index(48)
    items = pd.Series(np.r_[np.full(16, 2.0), np.full(20, 9.0), np.full(12, 4.0)], day)
    agents = pd.Series(np.where((day.hour >= 8) & (day.hour < 18), 7, 0), day)
    model = deferred_backlog(items, 900, agents, deadline=8 * 3600)
    want = float((model["on_time"] * items).sum() / items.sum())
    idx = _index(144)
    sim = simulate_deferred(pd.Series(np.tile(items.to_numpy(), 3), idx), 900,
                            pd.Series(np.tile(agents.to_numpy(), 3), idx), deadline=8 * 3600, replications=4, seed=2)
    mid = sim.by_replication[(sim.by_replication.interval >= idx[48]) & (sim.by_replication.interval < idx[96])]
    share = mid.groupby("replication")[["answered_within", "offered"]].sum()
    got = share["answered_within"] / share["offered"]
    assert got.min() - 0.03 <= want <= got.max() + 0.03, (want, got.tolist())
    assert 0.3 < want < 0.99  # a case where the deadline binds


def test_bad_input_names_the_field():
    idx = _index(4)
    with pytest.raises(ValueError, match="concurrency"):
        simulate_chat(pd.Series(10.0, idx), 200, 3, concurrency=0)
    with pytest.raises(ValueError, match="redial_probability"):
        simulate_redials(pd.Series(10.0, idx), 200, 3, patience=60, redial_probability=1.0)
    with pytest.raises(ValueError, match="deadline"):
        simulate_deferred(pd.Series(10.0, idx), 200, 3, deadline=0)
    with pytest.raises(ValueError, match="unbroken"):
        simulate_redials(pd.Series(10.0, idx.delete(2)), 200, 3, patience=60)



def test_chat_simulation_refuses_a_percentage_slowdown_as_the_model_does():
    # Before, slowdown=25 ran: a second session took 26 times the solo handle time and the ASA came out in hours.
    idx = _index(4)
    message = (r"^slowdown must be below 2 \(.*\); got 25\. Did you mean 0\.25\? Targets and rates are fractions, "
               r"not percentages\.$")
    with pytest.raises(ValueError, match=message):
        simulate_chat(pd.Series(20.0, idx), 180, 5, concurrency=2, slowdown=25, seed=1)
    with pytest.raises(ValueError, match=message):
        chat_queue(20.0, 180, 1800, 5, concurrency=2, slowdown=25)
    # the same check, not a copy: the channels layer re-exports the simulator's
    from wfm.channels import _checks
    from wfm.simulation import channels as sim_channels

    assert _checks.check_slowdown is sim_channels.check_slowdown
    simulate_chat(pd.Series(20.0, idx), 180, 5, concurrency=2, slowdown=1.5, seed=1)  # above 1 the model holds

@pytest.mark.parametrize("calls,agents,callback_threshold,acceptance", [(100.0, 10, 60, 0.5), (100.0, 10, 30, 0.8)])
def test_callback_simulation_agrees_with_the_effective_agents_model(calls, agents, callback_threshold, acceptance):
    from wfm.channels import callback_queue
    from wfm.simulation.channels import simulate_callbacks

    idx = _index(60)
    kw = dict(patience=120, callback_threshold=callback_threshold, acceptance=acceptance)
    sim = simulate_callbacks(pd.Series(calls, idx), 180, agents, replications=3, seed=4, **kw)
    model = callback_queue(calls, 180, 1800, agents, **kw)
    _inside(model["service_level"].item(), sim, 0.015)
    assert sim.figures()["callback_rate"] == pytest.approx(model["callback_rate"].item(), abs=0.02)
    assert bool(model["callbacks_fit"].item())


def test_callback_simulation_without_acceptance_takes_no_callback():
    from wfm.simulation.channels import simulate_callbacks

    sim = simulate_callbacks(pd.Series(100.0, _index(8)), 180, 10, patience=120, callback_threshold=30, acceptance=0.0,
                             seed=1)
    assert sim.figures()["callback_rate"] == 0
