"""Each channel model reduces to the voice model of wfm.erlang where it should (issue 28's first bar).

The reference figures are wfm.erlang's closed forms (incomplete gamma functions, tested against
mpmath in tests/test_erlang.py); the channel models reach them through a birth-death chain and the
Beta representation of the wait, a different route, so agreement to 1e-9 is a real check.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wfm import erlang
from wfm.channels import callback_queue, chat_queue, erlang_x, erlang_x_staffing
from wfm.staffing import required_agents

# Loads from light to overloaded, small and large centres, short and long patience.
GRID = pd.DataFrame({
    "calls": [100, 50, 300, 10, 0, 600, 2000, 120],
    "aht": [180, 300, 240, 600, 300, 200, 240, 180],
    "agents": [10, 9, 42, 4, 3, 60, 250, 9],
    "patience": [120, 60, 300, 30, 100, 900, 180, 45],
})
INTERVAL, THRESHOLD = 1800, 20


def _erlang_a(g):
    args = (g.calls.to_numpy(float), g.aht.to_numpy(float), INTERVAL, g.agents.to_numpy(float))
    p = g.patience.to_numpy(float)
    return {
        "service_level": erlang.erlang_a_service_level(*args, THRESHOLD, p),
        "abandon_rate": erlang.erlang_a_abandon_rate(*args, p),
        "wait_probability": erlang.erlang_a_wait_probability(*args, p),
        "asa": erlang.erlang_a_asa(*args, p),
        "occupancy": erlang.erlang_a_occupancy(*args, p),
    }


def test_chat_with_concurrency_one_and_no_slowdown_is_erlang_a():
    got = chat_queue(GRID.calls, GRID.aht, INTERVAL, GRID.agents, concurrency=1, slowdown=0.0,
                     patience=GRID.patience, threshold=THRESHOLD)
    for name, want in _erlang_a(GRID).items():
        np.testing.assert_allclose(got[name], want, rtol=1e-9, atol=1e-12, err_msg=name)


def test_erlang_x_without_redials_or_lines_is_erlang_a():
    got = erlang_x(GRID.calls, GRID.aht, INTERVAL, GRID.agents, patience=GRID.patience, threshold=THRESHOLD)
    for name, want in _erlang_a(GRID).items():
        np.testing.assert_allclose(got[name], want, rtol=1e-9, atol=1e-12, err_msg=name)
    np.testing.assert_array_equal(got["attempts"], GRID.calls)
    np.testing.assert_array_equal(got["blocked"], 0.0)


@pytest.mark.parametrize("kw", [dict(acceptance=0.0, callback_threshold=60),
                                dict(acceptance=0.7, callback_threshold=np.inf)])
def test_callbacks_never_taken_is_the_plain_queue(kw):
    got = callback_queue(GRID.calls, GRID.aht, INTERVAL, GRID.agents, patience=GRID.patience, threshold=THRESHOLD,
                         **kw)
    want = _erlang_a(GRID)
    for name in ("service_level", "abandon_rate", "asa", "occupancy"):
        np.testing.assert_allclose(got[name], want[name], rtol=1e-9, atol=1e-12, err_msg=name)
    np.testing.assert_array_equal(got["callbacks"], 0.0)


def test_erlang_x_with_lines_equal_to_agents_and_no_patience_is_erlang_b():
    got = erlang_x(GRID.calls, GRID.aht, INTERVAL, GRID.agents, patience=None, lines=GRID.agents)
    want = erlang.erlang_b(GRID.calls.to_numpy(float), GRID.aht.to_numpy(float), INTERVAL, GRID.agents.to_numpy(float))
    np.testing.assert_allclose(got["blocked"], want, rtol=1e-9, atol=1e-15)


def test_chat_without_patience_is_erlang_c_where_stable():
    g = GRID[GRID.calls * GRID.aht / INTERVAL < GRID.agents]
    got = chat_queue(g.calls, g.aht, INTERVAL, g.agents, concurrency=1, threshold=THRESHOLD)
    args = (g.calls.to_numpy(float), g.aht.to_numpy(float), INTERVAL, g.agents.to_numpy(float))
    np.testing.assert_allclose(got["service_level"], erlang.erlang_c_service_level(*args, THRESHOLD), rtol=1e-9)
    np.testing.assert_allclose(got["asa"], erlang.erlang_c_asa(*args), rtol=1e-9)  # every call is answered


def test_erlang_x_staffing_without_redials_matches_required_agents():
    """No redials and no lines: the Erlang X sizing is wfm's Erlang A sizing."""
    idx = pd.date_range("2024-01-01 08:00", periods=8, freq="30min")
    calls = pd.Series([30, 80, 120, 200, 160, 90, 40, 5.0], idx)
    plan = erlang_x_staffing(calls, 240, service_level=0.8, threshold=20, patience=150)
    want = required_agents(calls, 240, service_level=0.8, threshold=20, model="erlang_a", patience=150)
    np.testing.assert_array_equal(plan.table["agents"].to_numpy(), want.to_numpy())


@settings(max_examples=40, deadline=None)
@given(calls=st.floats(1, 400), aht=st.floats(60, 600), agents=st.integers(1, 60), patience=st.floats(10, 1000),
       threshold=st.floats(0, 120))
def test_chat_and_erlang_x_reduce_exactly_on_random_inputs(calls, aht, agents, patience, threshold):
    want = erlang.erlang_a_service_level(calls, aht, INTERVAL, agents, threshold, patience)
    chat = chat_queue(calls, aht, INTERVAL, agents, concurrency=1, patience=patience, threshold=threshold)
    x = erlang_x(calls, aht, INTERVAL, agents, patience=patience, threshold=threshold)
    assert chat["service_level"].item() == pytest.approx(want, rel=1e-9, abs=1e-12)
    assert x["service_level"].item() == pytest.approx(want, rel=1e-9, abs=1e-12)
