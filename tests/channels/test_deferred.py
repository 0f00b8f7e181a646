"""Deferred work: the vectorised backlog recursion against a plain loop, hand-worked on-time cases, sizing."""

import numpy as np
import pandas as pd
import pytest

from wfm.channels import blend_capacity, deferred_backlog, deferred_staffing
from wfm.staffing import required_agents


def _week(freq="30min"):
    return pd.date_range("2024-01-01", periods=7 * 48, freq=freq)


def test_backlog_matches_a_lindley_loop():
    rng = np.random.default_rng(4)
    idx = _week()
    items = pd.Series(rng.poisson(5, idx.size).astype(float), idx)
    agents = pd.Series(np.where((idx.hour >= 8) & (idx.hour < 18), rng.integers(2, 6, idx.size), 0), idx)
    got = deferred_backlog(items, 600, agents, deadline=86400, periodic=False)
    b, want = 0.0, []
    for a, n in zip(items, agents):
        b = max(b + a - n * 1800 / 600, 0.0)
        want.append(b)
    np.testing.assert_allclose(got["backlog"], want, atol=1e-9)
    np.testing.assert_allclose(got["handled"].cumsum(), items.cumsum() - got["backlog"], atol=1e-9)


def test_periodic_backlog_is_what_the_cycle_leaves():
    """Running the week twice from empty, the second week starts with the backlog the first left."""
    idx = _week()
    items = pd.Series(np.where(idx.hour < 12, 8.0, 3.0), idx)
    agents = pd.Series(np.where((idx.hour >= 9) & (idx.hour < 17), 12, 0), idx)
    two = pd.date_range(idx[0], periods=2 * idx.size, freq="30min")
    twice = deferred_backlog(pd.Series(np.tile(items, 2), two), 600, pd.Series(np.tile(agents, 2), two),
                             deadline=86400, periodic=False)
    once = deferred_backlog(items, 600, agents, deadline=86400)
    np.testing.assert_allclose(once["backlog"].to_numpy(), twice["backlog"].to_numpy()[idx.size:], atol=1e-9)


@pytest.mark.parametrize("deadline,want", [(5 * 3600, 1.0), (4.5 * 3600, 0.0)])
def test_on_time_by_hand(deadline, want):
    """Ten items in hour 0, one agent in hour 5 handling ten an hour (aht 360 s), nothing else.

    Item x (x in [0, 10)) arrives at 360 x s and starts at 5 h + 360 x s - 360 s... in the fluid it
    finishes at 5 h + 360 x s, so it starts 5 h - 360 s after arriving: on time for a 5 h deadline,
    late for 4.5 h.
    """
    idx = pd.date_range("2024-01-01", periods=8, freq="h")
    items = pd.Series([10.0, 0, 0, 0, 0, 0, 0, 0], idx)
    agents = pd.Series([0, 0, 0, 0, 0, 1, 0, 0], idx)
    got = deferred_backlog(items, 360, agents, deadline=deadline, periodic=False)
    assert got["on_time"].iloc[0] == want
    assert got["backlog"].iloc[4] == 10 and got["backlog"].iloc[5] == 0


def test_sizing_meets_the_target_with_fewer_hours_than_queue_sizing_and_is_minimal():
    idx = _week()
    hour = idx.hour + idx.minute / 60
    items = pd.Series(np.round(6 + 4 * np.sin((hour - 6) / 24 * 2 * np.pi), 1), idx)
    is_open = (idx.hour >= 8) & (idx.hour < 20) & (idx.day_of_week < 6)
    plan = deferred_staffing(items, 600, is_open, deadline=24 * 3600, service_level=0.9)
    f = plan.figures()
    assert f["service_level"] >= 0.9
    assert f["agent_hours"] < plan.params["queue_agent_hours"]
    assert (plan.table["agents"][~is_open] == 0).all()
    # one agent fewer on the level misses the target (the bisection's minimality)
    level = plan.table["agents"].max()
    fewer = deferred_backlog(items, 600, pd.Series(np.where(is_open, level - 1, 0), idx), deadline=24 * 3600)
    assert float((fewer["on_time"] * items).sum() / items.sum()) < 0.9


def test_queue_baseline_is_erlang_c_per_open_interval():
    """One day open 08:00-16:00: the 32 closed intervals' items (4 each) all join the first open interval."""
    idx = pd.date_range("2024-01-01", periods=48, freq="30min")
    items = pd.Series(4.0, idx)
    is_open = (idx.hour >= 8) & (idx.hour < 16)
    plan = deferred_staffing(items, 600, is_open, deadline=20 * 3600, service_level=0.8)
    pooled = np.full(16, 4.0)
    pooled[0] += 4.0 * 32
    want = required_agents(pooled, 600, 1800, service_level=0.8, threshold=1800).sum() * 0.5
    assert plan.params["queue_agent_hours"] == want


def test_blending_saves_dedicated_hours_and_respects_the_voice_target():
    idx = _week()
    is_open = (idx.hour >= 8) & (idx.hour < 20)
    calls = pd.Series(np.where(is_open, 60.0, 0.0), idx)
    need = required_agents(calls, 240, service_level=0.8, threshold=20)
    voice_agents = need + 2
    blend = blend_capacity(calls, 240, voice_agents, service_level=0.8, threshold=20, max_occupancy=0.85)
    assert (voice_agents - np.ceil(blend) >= need).all()
    assert ((voice_agents * 0.85 - calls * 240 / 1800 - blend)[is_open] >= -1e-9).all()
    items = pd.Series(5.0, idx)
    plan = deferred_staffing(items, 600, is_open, deadline=86400, service_level=0.9, blend=blend)
    assert plan.figures()["dedicated_agent_hours_saved"] > 0
    assert plan.figures()["service_level"] >= 0.9


def test_unreachable_target_is_explained():
    idx = _week()
    weekdays = (idx.hour >= 8) & (idx.hour < 18) & (idx.day_of_week < 5)
    with pytest.raises(ValueError, match="service_level 0.9 cannot be met with these open hours"):
        deferred_staffing(pd.Series(6.0, idx), 600, weekdays, deadline=24 * 3600, service_level=0.9)


def _blend_case():
    """A week of items, the team 08:00-20:00, voice open 08:00-20:00 with spare agents (review 31, 1.6 and 2.1)."""
    idx = _week()
    is_open = (idx.hour >= 8) & (idx.hour < 20)
    voice = pd.Series(60.0, idx[is_open])  # the voice plan's open intervals only, as a plan's table has them
    need = required_agents(voice, 240, service_level=0.8, threshold=20)
    spare = blend_capacity(voice, 240, need + 2, service_level=0.8, threshold=20, max_occupancy=0.85)
    return idx, is_open, spare


def test_blend_on_the_voice_intervals_is_put_on_the_items_grid():
    """blend_capacity's output (a Series on the voice intervals only) goes in as it is: the same plan as the Series
    reindexed by hand onto the items' grid with 0 where voice is closed (the README's snippet)."""
    idx, is_open, spare = _blend_case()
    assert len(spare) < idx.size
    items = pd.Series(5.0, idx)
    direct = deferred_staffing(items, 600, is_open, deadline=86400, blend=spare)
    by_hand = deferred_staffing(items, 600, is_open, deadline=86400, blend=spare.reindex(idx, fill_value=0.0))
    pd.testing.assert_frame_equal(direct.table, by_hand.table)
    assert direct.figures()["blended_agent_hours"] == pytest.approx(spare.sum() * 0.5)
    assert (direct.table.loc[~is_open, "blended"] == 0).all()


def test_blend_on_other_labels_is_refused_naming_the_first():
    """Next week's labels (none in common with items), or a grid starting at 07:00, are not read by position."""
    idx, is_open, spare = _blend_case()
    items = pd.Series(5.0, idx)
    aligned = spare.reindex(idx, fill_value=0.0)
    with pytest.raises(ValueError, match=r"blend must be labelled by intervals of items.*336 of its 336 labels are "
                                         r"not intervals of items.*the first 2024-01-08 00:00"):
        deferred_staffing(items, 600, is_open, deadline=86400, blend=aligned.set_axis(idx + pd.Timedelta(days=7)))
    with pytest.raises(ValueError, match=r"blend must be labelled.*the first 2024-01-01 00:15"):
        deferred_staffing(items, 600, is_open, deadline=86400, blend=aligned.set_axis(idx + pd.Timedelta("15min")))


def test_a_series_in_another_time_zone_says_so():
    """review 31, 3.6: the message said 'it has 336 labels, items 336' for a tz-aware flag Series."""
    idx, is_open, spare = _blend_case()
    items = pd.Series(5.0, idx.tz_localize("UTC"))
    with pytest.raises(ValueError, match=r"open_intervals must be on the same index.*items is in time zone UTC and "
                                         r"open_intervals is naive"):
        deferred_staffing(items, 600, pd.Series(is_open, idx), deadline=86400)
    with pytest.raises(ValueError, match=r"blend must be labelled.*items is in time zone UTC and blend is naive"):
        deferred_staffing(items, 600, is_open, deadline=86400, blend=spare)
