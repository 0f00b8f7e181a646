"""The simulator's logs and tables: reproducibility, conservation, agent states, open blocks,
and the first-come-first-served recursion against a deliberately slow event-by-event simulation."""

import heapq

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wfm.simulation import simulate
from wfm.simulation import _engine as eng
from wfm.simulation.schedules import periods_from_counts

from .helpers import assert_conserved, assert_states_do_not_overlap, day_index


# ---------------------------------------------------------------- reproducibility


def test_same_seed_same_logs(erlang_a_day):
    calls, agents, sim = erlang_a_day
    again = simulate(calls, 180, agents, patience=150, replications=3, seed=11)
    pd.testing.assert_frame_equal(sim.contacts, again.contacts)
    pd.testing.assert_frame_equal(sim.agent_states, again.agent_states)
    pd.testing.assert_frame_equal(sim.intervals, again.intervals)
    other = simulate(calls, 180, agents, patience=150, replications=3, seed=12)
    assert not other.contacts["arrival"].equals(sim.contacts["arrival"])


def test_a_replication_does_not_depend_on_how_many_run(erlang_a_day):
    calls, agents, sim = erlang_a_day
    one = simulate(calls, 180, agents, patience=150, replications=1, seed=11)
    first = sim.contacts[sim.contacts["replication"] == 0].reset_index(drop=True)
    pd.testing.assert_frame_equal(one.contacts, first)


def test_seed_none_records_its_entropy(erlang_a_day):
    calls, agents, _ = erlang_a_day
    sim = simulate(calls, 180, agents, patience=150)
    again = simulate(calls, 180, agents, patience=150, seed=sim.params["seed"])
    pd.testing.assert_frame_equal(sim.contacts, again.contacts)


def test_same_callers_under_different_staffing(erlang_a_day):
    """Arrivals, handle times and patience come from their own streams: common random numbers."""
    calls, agents, sim = erlang_a_day
    more = simulate(calls, 180, agents + 2, patience=150, replications=3, seed=11)
    pd.testing.assert_series_equal(sim.contacts["arrival"], more.contacts["arrival"])
    assert more.summary().loc["service_level", "estimate"] > sim.summary().loc["service_level", "estimate"]


# ---------------------------------------------------------------- conservation and logs


def test_conservation(erlang_a_day):
    _, _, sim = erlang_a_day
    assert_conserved(sim)
    assert sim.intervals["waiting"].sum() == 0  # patience: everyone ends answered or abandoned
    assert sim.contacts["abandoned"].any() and sim.contacts["answered"].any()


def test_contacts_are_served_first_come_first_served(erlang_a_day):
    _, _, sim = erlang_a_day
    for _, c in sim.contacts.groupby("replication"):
        assert c["arrival"].is_monotonic_increasing
        assert c.loc[c["answered"], "answer"].is_monotonic_increasing
        assert c["contact"].tolist() == list(range(len(c)))


def test_agent_states_do_not_overlap_and_match_the_contacts(erlang_a_day):
    _, _, sim = erlang_a_day
    states = sim.agent_states
    assert_states_do_not_overlap(states)
    assert set(states["state"].unique()) <= {"idle", "on_contact", "logged_out"}
    on = states[states["state"] == "on_contact"]
    ans = sim.contacts[sim.contacts["answered"]]
    assert len(on) == len(ans)
    key = ["replication", "agent", "start"]
    merged = on.merge(ans.rename(columns={"answer": "start"}), on=key, suffixes=("", "_contact"))
    assert len(merged) == len(ans)
    assert (merged["end"] == merged["end_contact"]).all()


def test_agents_follow_the_count_per_interval(erlang_a_day):
    """Agent k takes new contacts only in intervals with more than k agents (or drains at the close)."""
    calls, agents, sim = erlang_a_day
    ans = sim.contacts[sim.contacts["answered"]]
    pos = calls.index.searchsorted(ans["answer"], side="right") - 1
    allowed = agents.to_numpy()[pos]
    assert (ans["agent"].to_numpy() < allowed).all()
    # the highest agent numbers appear only where the count reaches them
    assert ans["agent"].max() == agents.max() - 1


def test_occupancy_and_staffed_time_come_from_the_state_log(erlang_a_day):
    calls, agents, sim = erlang_a_day
    tab = sim.intervals
    assert ((tab["occupancy"] > 0) & (tab["occupancy"] <= 1)).all()
    # agents log in for their intervals; leavers finishing a contact add a little
    assert (tab["staffed"] >= agents - 1e-9).all()
    assert (tab["staffed"] <= agents + 2).all()
    by = sim.by_replication
    states = sim.agent_states
    lo, hi = calls.index[0], calls.index[-1] + pd.Timedelta("30min")
    clip = lambda x: x.clip(lower=lo, upper=hi)  # noqa: E731
    seconds = (clip(states["end"]) - clip(states["start"])).dt.total_seconds()
    # every logged-in second inside the horizon counts in exactly one interval, and so does every busy one
    worked = states["state"].isin(["idle", "on_contact"])
    assert by["staffed_seconds"].sum() == pytest.approx(seconds[worked].sum(), rel=1e-9)
    on = states["state"] == "on_contact"
    assert by["busy_seconds"].sum() == pytest.approx(seconds[on].sum(), rel=1e-9)


def test_staffed_and_busy_seconds_by_brute_force():
    """The prefix-sum overlap equals clipping every segment to every interval."""
    rng = np.random.default_rng(0)
    s = rng.uniform(0, 1000, 300)
    e = s + rng.exponential(60, 300)
    grid = np.r_[0.0, 100, 200, 500, 900]
    brute = np.array([np.clip(np.minimum(e, g + 100) - np.maximum(s, g), 0, None).sum() for g in grid])
    np.testing.assert_allclose(eng.overlap(s, e, grid, 100.0), brute, rtol=1e-12, atol=1e-7)


# ---------------------------------------------------------------- open blocks and the end of the horizon


def test_open_blocks_drain_at_the_close():
    """Two days with a closed night: day one's queue drains that evening; day two starts empty."""
    idx = day_index(8, "2024-01-01 08:00").append(day_index(8, "2024-01-02 08:00"))
    calls = pd.Series(120.0, index=idx)
    agents = pd.Series(10, index=idx)  # 12 Erlangs on 10 agents: the queue grows all day
    sim = simulate(calls, 180, agents, seed=5)
    assert sim.params["blocks"] == 2
    assert_conserved(sim)
    c = sim.contacts
    assert c["answered"].all()  # Erlang C: the agents of the last interval answer everyone
    close1 = pd.Timestamp("2024-01-01 12:00")
    day1 = c["arrival"] < close1
    assert (c.loc[day1, "answer"] > close1).any()  # the drain runs past the close
    assert (c.loc[~day1, "answer"] >= pd.Timestamp("2024-01-02 08:00")).all()
    # the first contacts of day two wait no longer than those of a fresh start
    assert c.loc[~day1, "wait"].iloc[:20].max() < c.loc[day1, "wait"].max()
    assert_states_do_not_overlap(sim.agent_states)
    states = sim.agent_states
    night = (states["start"] >= close1) & (states["start"] < pd.Timestamp("2024-01-02 08:00"))
    assert set(states.loc[night, "state"]) <= {"on_contact", "idle"}


def test_contacts_left_waiting_are_said():
    """Callers who never hang up and no agent left: they stay waiting, and the tables say so."""
    idx = day_index(2)
    sim = simulate(pd.Series([50.0, 0.0], index=idx), 300, pd.Series([1, 0], index=idx), seed=1)
    assert_conserved(sim)
    assert sim.intervals["waiting"].iloc[0] > 0
    assert sim.contacts["wait"].isna().sum() == sim.intervals["waiting"].sum()
    assert "still waiting" in repr(sim)


def test_time_zones_and_dst():
    idx = pd.date_range("2024-03-31 00:00", periods=12, freq="30min", tz="Europe/Paris")
    sim = simulate(pd.Series(30.0, index=idx), 180, 5, patience=60, seed=2)
    assert str(sim.contacts["arrival"].dt.tz) == "Europe/Paris"
    c = sim.contacts
    assert (c["arrival"] >= idx[0]).all() and (c["arrival"] < idx[-1] + pd.Timedelta("30min")).all()
    assert_conserved(sim)


def test_results_object_presentation(erlang_a_day):
    _, _, sim = erlang_a_day
    text = repr(sim)
    assert "3 replication(s)" in text and "service_level" in text
    html = sim._repr_html_()
    assert "<table" in html
    s = sim.summary()
    assert list(s.columns) == ["estimate", "lo", "hi"]
    assert (s["lo"] <= s["estimate"]).all() and (s["estimate"] <= s["hi"]).all()
    tab = sim.intervals
    for name in ("service_level", "abandon_rate", "asa", "occupancy"):
        assert (tab[f"{name}_lo"] <= tab[name] + 1e-12).all() and (tab[name] <= tab[f"{name}_hi"] + 1e-12).all()
    ax = sim.plot()
    assert ax.get_title().startswith("Simulation")
    single = simulate(pd.Series(10.0, index=day_index(4)), 180, 3, seed=1)
    assert "service_level_lo" not in single.intervals
    assert list(single.summary().columns) == ["estimate"]
    single.plot()


def test_handle_time_distribution():
    """Exponential by default; lognormal with the given mean and CV otherwise (log-handle is normal)."""
    idx = day_index(48)
    calls = pd.Series(100.0, index=idx)
    for cv in (0.5, 2.0):
        h = simulate(calls, 200, 40, handle_cv=cv, seed=3).contacts["handle"].to_numpy()
        logs = np.log(h)
        sigma = np.sqrt(np.log1p(cv**2))
        n = logs.size
        assert abs(logs.mean() - (np.log(200) - sigma**2 / 2)) < 4 * sigma / np.sqrt(n)
        assert abs(logs.std(ddof=1) / sigma - 1) < 4 / np.sqrt(2 * n)
    h = simulate(calls, 200, 40, seed=3).contacts["handle"].to_numpy()
    assert abs(h.mean() / 200 - 1) < 4 / np.sqrt(h.size)
    assert abs(h.std() / h.mean() - 1) < 0.05


def test_aht_and_patience_per_interval():
    idx = day_index(24)
    aht = pd.Series(np.where(np.arange(24) < 12, 100.0, 400.0), index=idx)
    sim = simulate(pd.Series(60.0, index=idx), aht, 30, patience=pd.Series(90.0, index=idx), seed=4)
    c = sim.contacts[sim.contacts["answered"]]
    early = c["interval"] < idx[12]
    assert c.loc[early, "handle"].mean() == pytest.approx(100, rel=0.15)
    assert c.loc[~early, "handle"].mean() == pytest.approx(400, rel=0.15)


# ---------------------------------------------------------------- the recursion against a slow simulation


def slow_queue(arrival, handle, patience, agents, interval):
    """Event by event, with an explicit queue, agent states and abandon events; one open block.

    Agent g may take contacts while g < agents in the current interval (after the close, the
    last interval's count); an idle agent that loses its place leaves, a busy one leaves when
    its contact ends; the agent idle longest takes the next contact, lowest number on a tie.
    """
    t_end = len(agents) * interval
    count = lambda t: agents[min(int(t // interval), len(agents) - 1)] if t < t_end else agents[-1]  # noqa: E731
    size = max(agents) if len(agents) else 0
    busy = [False] * size
    idle_since = [None] * size  # None: not idle (busy or off)
    queue = []  # contact ids in order of arrival
    gone = set()
    answer = np.full(arrival.size, np.nan)
    who = np.full(arrival.size, -1)
    events = [(k * interval, 0, k) for k in range(len(agents))]  # (time, kind, data)
    events += [(a, 2, i) for i, a in enumerate(arrival)]
    events += [(a + p, 1, i) for i, (a, p) in enumerate(zip(arrival, patience)) if np.isfinite(p)]
    heapq.heapify(events)

    def dispatch(t):
        while queue:
            idle = [(idle_since[g], g) for g in range(count(t)) if idle_since[g] is not None]
            if not idle:
                return
            g = min(idle)[1]
            i = queue.pop(0)
            answer[i], who[i] = t, g
            idle_since[g], busy[g] = None, True
            heapq.heappush(events, (t + handle[i], 3, g))

    while events:
        t, kind, x = heapq.heappop(events)
        if kind == 0:  # interval boundary: the count changes
            n = count(t)
            for g in range(size):
                if g < n and not busy[g] and idle_since[g] is None:
                    idle_since[g] = t
                elif g >= n and idle_since[g] is not None:
                    idle_since[g] = None
        elif kind == 1:  # abandon, if still waiting
            if x in queue:
                queue.remove(x)
                gone.add(x)
        elif kind == 2:  # arrival
            queue.append(x)
        else:  # agent x ends a contact
            busy[x] = False
            idle_since[x] = t if x < count(t) else None
        dispatch(t)
    return answer, who


@settings(max_examples=60, deadline=None)
@given(
    agents=st.lists(st.integers(0, 6), min_size=1, max_size=8),
    load=st.floats(0.2, 2.0),
    patience=st.one_of(st.none(), st.floats(5.0, 600.0)),
    seed=st.integers(0, 10_000),
)
def test_recursion_equals_event_by_event_simulation(agents, load, patience, seed):
    interval = 600.0
    if agents[-1] == 0:
        agents[-1] = 1  # someone drains the queue at the close
    rng = np.random.default_rng(seed)
    calls = np.array([load * max(n, 1) * interval / 120.0 for n in agents])
    starts = np.arange(len(agents)) * interval
    arrival, where = eng.draw_arrivals(rng, calls, starts, interval)
    handle = rng.exponential(120.0, arrival.size)
    pat = eng.draw_patience(rng, None if patience is None else np.full(arrival.size, patience), arrival.size)
    n = np.array(agents)
    first = np.zeros(n.size, bool)
    first[0] = True
    last = np.zeros(n.size, bool)
    last[-1] = True
    periods = periods_from_counts(n, starts, interval, first, last, np.array([n.size * interval]))
    answer, who, login, logout = eng.serve(arrival, handle, pat, periods.agent, periods.on_start,
                                           periods.on_end, periods.relative, periods.drain)
    want_answer, want_who = slow_queue(arrival, handle, pat, list(agents), interval)
    np.testing.assert_array_equal(np.isnan(answer), np.isnan(want_answer))
    np.testing.assert_allclose(answer, want_answer, rtol=0, atol=1e-9)
    np.testing.assert_array_equal(who, want_who)
    # periods: logged in no earlier than scheduled, out no earlier than the period's end
    assert (login >= periods.on_start - 1e-9).all() and (logout >= periods.on_end - 1e-9).all()


def test_no_agent_at_all_with_patience_everyone_abandons():
    sim = simulate(pd.Series(5.0, index=day_index(4)), 180, 0, patience=60, replications=2, seed=1)
    assert sim.contacts["abandoned"].all()
    assert sim.agent_states.empty
    assert (sim.intervals["abandon_rate"] == 1).all()
    assert sim.intervals["asa"].isna().all()  # documented: no contact answered, no ASA


def test_rates_of_nothing_are_nan_and_counts_zero():
    sim = simulate(pd.Series(0.0, index=day_index(4)), 180, 2, seed=1)
    tab = sim.intervals
    assert (tab["offered"] == 0).all() and tab["service_level"].isna().all()
    assert (tab["occupancy"] == 0).all() and (tab["staffed"] == 2).all()
    assert sim.contacts.empty
    assert set(sim.agent_states["state"]) == {"idle"}


# ---------------------------------------------------------------- bounds of the rates


def _small_erlang_a_plan():
    """A seeded small Erlang A plan (synthetic: 4 calls per 30 minutes over a 10-hour day), where some intervals
    see no abandon in any of 3 replications."""
    import wfm

    return wfm.staffing_plan(pd.Series(4.0, index=day_index(20)), aht=240, model="erlang_a", patience=120,
                             open_days=["Mon"])


def test_no_abandons_in_an_interval_still_bound_the_rate_from_above():
    """Student's t over 3 replications gave [0, 0] where no caller abandoned: the rate bounds are Wilson score
    bounds on the pooled counts (wfm.simulation._result.proportion_bounds), which never collapse on 0."""
    plan = _small_erlang_a_plan()
    sim = simulate(plan.table["calls"], 240, plan.table["agents"], patience=120, replications=3, seed=1)
    tab = sim.intervals
    quiet = (tab["offered"] > 0) & (tab["abandoned"] == 0)
    assert quiet.any()  # the seeded case exists
    assert (tab.loc[quiet, "abandon_rate_lo"] == 0).all() and (tab.loc[quiet, "abandon_rate_hi"] > 0).all()
    perfect = (tab["offered"] > 0) & (tab["service_level"] == 1)
    assert perfect.any() and (tab.loc[perfect, "service_level_lo"] < 1).all()


def test_rate_bounds_are_those_verify_plan_flags_from():
    import wfm

    plan = _small_erlang_a_plan()
    check = wfm.verify_plan(plan, replications=3, seed=1, level=0.95)
    sim = simulate(plan.table["calls"], plan.table["aht"], plan.table["agents"], patience=120, replications=3,
                   seed=1, level=0.95)
    for name in ("service_level", "abandon_rate"):
        for end in ("lo", "hi"):
            np.testing.assert_array_equal(sim.intervals[f"{name}_{end}"].to_numpy(),
                                          check.table[f"{name}_{end}"].to_numpy(), err_msg=f"{name}_{end}")


def test_rate_bounds_are_wilson_bounds_on_counts_shrunk_by_the_design_effect():
    """Cross-check with statsmodels' Wilson interval on the effective counts: the pooled counts of each interval
    divided by the design effect, here computed interval by interval (between-replication variance of the
    ratio estimate over its binomial variance, each weighted by the squared count offered, then at least 1)."""
    from statsmodels.stats.proportion import proportion_confint

    plan = _small_erlang_a_plan()
    reps, level = 4, 0.9
    sim = simulate(plan.table["calls"], 240, plan.table["agents"], patience=120, replications=reps, seed=5,
                   level=level)
    by = sim.by_replication
    y = by.pivot(index="replication", columns="interval", values="answered_within").to_numpy(float)
    x = by.pivot(index="replication", columns="interval", values="offered").to_numpy(float)
    between, binomial = 0.0, 0.0
    for t in range(x.shape[1]):
        big_x = x[:, t].sum()
        if big_x == 0:
            continue
        p = y[:, t].sum() / big_x
        var_ratio = reps / (reps - 1) * ((y[:, t] - p * x[:, t]) ** 2).sum() / big_x ** 2
        between += big_x ** 2 * var_ratio
        binomial += big_x ** 2 * p * (1 - p) / big_x
    deff = max(1.0, between / binomial)
    count, nobs = y.sum(axis=0) / deff, x.sum(axis=0) / deff
    lo, hi = proportion_confint(count, nobs, alpha=1 - level, method="wilson")
    np.testing.assert_allclose(sim.intervals["service_level_lo"], lo, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(sim.intervals["service_level_hi"], hi, rtol=1e-9, atol=1e-12)
