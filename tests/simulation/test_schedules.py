"""Individual agent schedules: breaks, shift ends, the expansion of shift tables and deviations."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from wfm.simulation import Deviations, activity_log, agent_schedules, simulate

from .helpers import assert_conserved, assert_states_do_not_overlap, day_index

T = pd.Timestamp
H = pd.Timedelta(hours=1)
M = pd.Timedelta(minutes=1)


def roster(n=8, day="2024-01-01"):
    """n agents on 7.5-hour shifts from 08:00 or 08:30, a 15-minute break and an unpaid 30-minute lunch."""
    rows = []
    for a in range(n):
        s = T(f"{day} 08:00") + 30 * M * (a % 2)
        rows.append(dict(agent=f"A{a}", start=s, end=s + 7.5 * H,
                         breaks=[(s + 2 * H, s + 2 * H + 15 * M), (s + 4 * H, s + 4.5 * H, False)]))
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def scheduled():
    """A seeded day on the roster, Erlang A. Module scope: read-only."""
    calls = pd.Series(50.0, index=day_index(16))
    sched = roster()
    return calls, sched, simulate(calls, 180, sched, patience=120, replications=2, seed=7)


def test_logs_are_consistent(scheduled):
    _, _, sim = scheduled
    assert_conserved(sim)
    assert_states_do_not_overlap(sim.agent_states)
    assert set(sim.contacts["agent"].dropna()) <= {f"A{a}" for a in range(8)}
    counts = sim.agent_states["state"].value_counts()
    assert counts["break"] == counts["lunch"] == 8 * 2  # every agent, both replications
    assert counts["logged_out"] == 0  # no deviations


def test_no_contact_is_answered_during_a_break_or_after_the_shift(scheduled):
    _, sched, sim = scheduled
    c = sim.contacts[sim.contacts["answered"]].merge(sched, on="agent")
    assert (c["answer"] >= c["start"]).all()
    after = c["answer"] >= c["end_y"]
    # no new contact at or after the shift end, except to drain the queue at the close (16:00)
    assert (c.loc[after, "end_y"] == T("2024-01-01 16:00")).all()
    assert (c.loc[c["end_y"] < T("2024-01-01 16:00"), "answer"] < T("2024-01-01 15:30")).all()
    late = (c["end_x"] > c["end_y"]) & (c["end_y"] < T("2024-01-01 16:00"))
    assert late.any()  # a contact running past the shift end is finished
    brk = np.array([r[0] for r in c["breaks"]], dtype=object)
    lunch = np.array([r[1] for r in c["breaks"]], dtype=object)
    for spans in (brk, lunch):
        start = pd.DatetimeIndex([s[0] for s in spans])
        end = pd.DatetimeIndex([s[1] for s in spans])
        inside = (c["answer"].to_numpy() >= start) & (c["answer"].to_numpy() < end)
        assert not inside.any()


def test_breaks_last_their_length_and_start_after_the_contact(scheduled):
    _, sched, sim = scheduled
    st = sim.agent_states
    breaks = st[st["state"] == "break"]
    lunches = st[st["state"] == "lunch"]
    np.testing.assert_allclose((breaks["end"] - breaks["start"]).dt.total_seconds(), 900, atol=1e-5)
    np.testing.assert_allclose((lunches["end"] - lunches["start"]).dt.total_seconds(), 1800, atol=1e-5)
    first = sched.set_index("agent")["start"]
    delay = (breaks["start"].to_numpy() - (first[breaks["agent"]].to_numpy() + 2 * H)) / pd.Timedelta(seconds=1)
    assert (delay >= -1e-5).all() and (delay > 0).any()  # some agents finish a contact first


def test_scheduled_agents_per_interval(scheduled):
    calls, _, sim = scheduled
    agents = sim.intervals["agents"]
    assert agents.iloc[0] == 4  # half the roster starts at 08:00
    assert agents.iloc[1] == 8
    assert agents[T("2024-01-01 10:00")] == pytest.approx(8 - 4 * 0.5)  # 15 of 30 minutes on a break
    assert agents[T("2024-01-01 12:00")] == 4  # lunch


def test_shift_tables_expand_to_agents():
    shifts = pd.DataFrame({
        "day": [T("2024-01-01")] * 2,
        "name": ["early", "late"],
        "contract": ["full", "part"],
        "start": [T("2024-01-01 08:00"), T("2024-01-01 12:00")],
        "end": [T("2024-01-01 16:00"), T("2024-01-01 16:00")],
        "paid_hours": [7.5, 4.0],
        "agents": [3, 2],
        "breaks": [[(T("2024-01-01 12:00"), T("2024-01-01 12:30"), False)], []],
    })
    out = agent_schedules(shifts)
    assert len(out) == 5 and out["agent"].tolist() == list(range(5))
    assert out["shift"].tolist() == [0, 0, 0, 1, 1]
    assert {"day", "name", "contract", "paid_hours"} <= set(out.columns)
    plan = SimpleNamespace(shifts=shifts)  # duck-typed SchedulePlan
    pd.testing.assert_frame_equal(agent_schedules(plan), out)
    calls = pd.Series(30.0, index=day_index(16))
    a = simulate(calls, 180, plan, patience=100, seed=1)
    b = simulate(calls, 180, shifts, patience=100, seed=1)
    c = simulate(calls, 180, out, patience=100, seed=1)
    pd.testing.assert_frame_equal(a.contacts, b.contacts)
    pd.testing.assert_frame_equal(a.contacts, c.contacts)
    assert a.intervals["agents"].iloc[0] == 3 and a.intervals["agents"].iloc[-1] == 5
    assert a.intervals["agents"][T("2024-01-01 12:00")] == 2
    assert (a.agent_states["state"] == "lunch").sum() == 3


def test_breaks_as_offsets_from_the_shift_start():
    s = T("2024-01-01 08:00")
    absolute = pd.DataFrame([dict(agent=1, start=s, end=s + 4 * H, breaks=[(s + H, s + H + 15 * M)])])
    offsets = pd.DataFrame([dict(agent=1, start=s, end=s + 4 * H, breaks=[(H, H + 15 * M)])])
    calls = pd.Series(10.0, index=day_index(8))
    pd.testing.assert_frame_equal(simulate(calls, 180, absolute, patience=60, seed=2).agent_states,
                                  simulate(calls, 180, offsets, patience=60, seed=2).agent_states)


# ---------------------------------------------------------------- deviations


def test_absence_leaves_every_shift_unworked():
    calls = pd.Series(20.0, index=day_index(16))
    sim = simulate(calls, 180, roster(4), patience=60, seed=3, deviations={"absence_rate": 1.0})
    assert sim.contacts["abandoned"].all()
    st = sim.agent_states
    assert (st["state"] == "logged_out").all() and len(st) == 4
    assert ((st["end"] - st["start"]) == 7.5 * H).all()


def test_late_logins_and_early_logouts_are_logged_out_spells():
    calls = pd.Series(40.0, index=day_index(16))
    sched = roster(8)
    dev = Deviations(late_login_rate=1.0, late_login_mean=240, early_logout_rate=1.0, early_logout_mean=120)
    sim = simulate(calls, 180, sched, patience=120, replications=20, seed=4, deviations=dev)
    assert_conserved(sim)
    assert_states_do_not_overlap(sim.agent_states)
    st = sim.agent_states.merge(sched[["agent", "start", "end"]], on="agent", suffixes=("", "_shift"))
    out = st[st["state"] == "logged_out"]
    late = out[out["start"] == out["start_shift"]]
    early = out[out["end"] == out["end_shift"]]
    assert len(late) == 8 * 20
    n = len(late)
    mean = (late["end"] - late["start"]).dt.total_seconds().mean()
    assert abs(mean / 240 - 1) < 4 / np.sqrt(n)  # exponential delays with mean 240 s
    assert 0 < len(early) <= 8 * 20  # an agent finishing a contact past the early log-out may reach the end
    first = st[st["state"].isin(["idle", "on_contact"])].groupby(["replication", "agent"])["start"].min()
    lates = late.set_index(["replication", "agent"])["end"]
    assert (first.loc[lates.index] == lates).all()  # the day starts when the agent logs in


def test_long_breaks_overrun():
    calls = pd.Series(40.0, index=day_index(16))
    sim = simulate(calls, 180, roster(8), patience=120, replications=10, seed=5,
                   deviations={"long_break_rate": 1.0, "long_break_mean": 300})
    st = sim.agent_states
    extra = (st.loc[st["state"] == "break", "end"] - st.loc[st["state"] == "break", "start"]).dt.total_seconds() - 900
    assert (extra > 0).all()
    assert abs(extra.mean() / 300 - 1) < 4 / np.sqrt(extra.size)


def test_deviations_are_seeded_and_do_not_shift_the_callers():
    calls = pd.Series(40.0, index=day_index(16))
    dev = dict(absence_rate=0.2, late_login_rate=0.3, early_logout_rate=0.2, long_break_rate=0.5)
    a = simulate(calls, 180, roster(), patience=120, seed=6, deviations=dev)
    b = simulate(calls, 180, roster(), patience=120, seed=6, deviations=dev)
    pd.testing.assert_frame_equal(a.agent_states, b.agent_states)
    plain = simulate(calls, 180, roster(), patience=120, seed=6)
    pd.testing.assert_series_equal(a.contacts["arrival"], plain.contacts["arrival"])
    assert a.params["deviations"]["absence_rate"] == 0.2


def test_deviations_reject_bad_rates():
    with pytest.raises(ValueError, match="absence_rate"):
        Deviations(absence_rate=1.5)
    with pytest.raises(ValueError, match="late_login_mean"):
        Deviations(late_login_mean=0)
    with pytest.raises(ValueError, match="unknown keys"):
        simulate(pd.Series(1.0, index=day_index(2)), 180, roster(1), patience=60, deviations={"sick": 0.1})


def test_multi_day_schedules_drain_at_each_close():
    idx = day_index(16, "2024-01-01 08:00").append(day_index(16, "2024-01-02 08:00"))
    calls = pd.Series(60.0, index=idx)
    sched = pd.concat([roster(5, "2024-01-01"), roster(5, "2024-01-02")], ignore_index=True)
    sim = simulate(calls, 180, sched, seed=8)  # Erlang C: everyone is answered
    assert sim.params["blocks"] == 2
    assert_conserved(sim)
    assert sim.contacts["answered"].all()
    assert_states_do_not_overlap(sim.agent_states)


def test_activity_log_tiles_each_shift_with_work_and_breaks():
    day = pd.Timestamp("2024-01-01")
    shifts = pd.DataFrame({
        "start": [day + pd.Timedelta("08:00:00"), day + pd.Timedelta("12:00:00")],
        "end": [day + pd.Timedelta("16:30:00"), day + pd.Timedelta("16:00:00")],
        "agents": [2, 1],
        "breaks": [[(day + pd.Timedelta("10:00:00"), day + pd.Timedelta("10:15:00"), True),
                    (day + pd.Timedelta("12:00:00"), day + pd.Timedelta("12:30:00"), False)], []],
    })
    log = activity_log(shifts)
    assert list(log.columns) == ["agent", "activity", "start", "end"]
    assert log["agent"].nunique() == 3
    for agent, part in log.groupby("agent"):
        # stretches follow each other without gap or overlap from shift start to shift end
        assert (part["start"].iloc[1:].to_numpy() == part["end"].iloc[:-1].to_numpy()).all()
        assert (part["end"] > part["start"]).all()
    first = log[log["agent"] == 0]
    assert first["activity"].tolist() == ["work", "break", "work", "lunch", "work"]
    assert (first["end"] - first["start"]).sum() == pd.Timedelta("8h30min")
    assert log[log["agent"] == 2]["activity"].tolist() == ["work"]
