"""Schedule adherence and conformance: hand-computed days, messy state logs, properties, bad input.

Evidence (STYLE.md section 7):
1. Hand-computed cases: an agent's day with a late log-in, a long break, a lunch and
   downtime against a schedule, worked out minute by minute in the comments.
2. Data problems handled and reported: unsorted and overlapping state records, spells
   crossing midnight, scheduled agents without states and agents without a schedule.
3. Cross-check: a deliberately slow minute-by-minute loop over random days agrees with
   the vectorised sweep (hypothesis), and adherence and conformance stay in [0, 1] when
   nobody works beyond the schedule.
"""

import warnings

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wfm.logs import DataWarning
from wfm.evaluate import Adherence, adherence


def t(hm, d="2024-01-01"):
    return pd.Timestamp(f"{d} {hm}")


def frame(rows, kind):
    cols = ["agent", kind, "start", "end"]
    out = pd.DataFrame(rows, columns=cols)
    out["start"] = out["start"].map(lambda x: x if isinstance(x, pd.Timestamp) else t(x))
    out["end"] = out["end"].map(lambda x: x if isinstance(x, pd.Timestamp) else t(x))
    return out


@pytest.fixture
def day():
    """Ann's day; Bob is scheduled with no state record. Function scope: tests change the frames."""
    schedule = frame([("ann", "work", "09:00", "10:00"), ("ann", "break", "10:00", "10:15"),
                      ("ann", "work", "10:15", "11:00"), ("ann", "lunch", "11:00", "11:30"),
                      ("ann", "work", "11:30", "12:00"), ("bob", "work", "09:00", "12:00")], "activity")
    states = frame([("ann", "logged_out", "09:00", "09:05"), ("ann", "idle", "09:05", "09:30"),
                    ("ann", "on_contact", "09:30", "09:50"), ("ann", "idle", "09:50", "10:00"),
                    ("ann", "break", "10:00", "10:20"), ("ann", "idle", "10:20", "11:00"),
                    ("ann", "lunch", "11:00", "11:30"), ("ann", "on_contact", "11:30", "11:45"),
                    ("ann", "downtime", "11:45", "11:55"), ("ann", "idle", "11:55", "12:10")], "state")
    return schedule, states


def run(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        return adherence(*args, **kwargs)


def test_adherence_and_conformance_by_hand(day):
    schedule, states = day
    with pytest.warns(DataWarning, match="no state record"):
        res = adherence(schedule, states, grace=60)
    assert isinstance(res, Adherence)
    ann = res.table.set_index("agent").loc["ann"]
    m = 60.0
    assert ann["scheduled"] == 180 * m
    # in adherence: 09:05-10:00 work (55), 10:00-10:15 break (15), 10:20-11:00 work (40),
    # 11:00-11:30 lunch (30), 11:30-11:45 work (15), 11:55-12:00 work (5) = 160 min
    assert ann["in_adherence"] == 160 * m
    # out: 09:00-09:05 logged out, 10:15-10:20 still on break, 11:45-11:55 downtime = 20 min
    assert ann["out_of_adherence"] == 20 * m
    assert ann["adherence"] == pytest.approx(160 / 180)
    # worked (handling + available): 55 + 40 + 15 + 15 (the last 10 after the shift) = 125 of 135 min of work
    assert ann["scheduled_work"] == 135 * m and ann["worked"] == 125 * m
    assert ann["conformance"] == pytest.approx(125 / 135)
    assert ann["events"] == 3
    bob = res.table.set_index("agent").loc["bob"]
    assert bob["adherence"] == 0 and bob["conformance"] == 0 and bob["events"] == 1
    everyone = res.summary(None).iloc[0]
    assert everyone["adherence"] == pytest.approx(160 / 360)
    assert everyone["conformance"] == pytest.approx(125 / 315)


def test_events_and_grace(day):
    schedule, states = day
    res = run(schedule, states, grace=60)
    ann = res.events[res.events["agent"] == "ann"]
    assert ann["start"].tolist() == [t("09:00"), t("10:15"), t("11:45")]
    assert ann["duration"].tolist() == [300.0, 300.0, 600.0]
    assert ann["scheduled"].tolist() == ["work"] * 3
    assert ann["actual"].tolist() == ["logged_out", "break", "downtime"]
    bob = res.events[res.events["agent"] == "bob"].iloc[0]
    assert bob["duration"] == 3 * 3600 and bob["actual"] == "none"
    # grace filters the list, not the percentage: events of exactly 300 s are not beyond a 300-s grace
    strict = run(schedule, states, grace=300)
    assert strict.events.loc[strict.events["agent"] == "ann", "duration"].tolist() == [600.0]
    assert strict.table["adherence"].tolist() == res.table["adherence"].tolist()


def test_a_run_across_activities_is_one_event():
    # scheduled: work to 10:00, break 10:00-10:15, work; the agent is logged out 09:55-10:20
    schedule = frame([("a", "work", "09:00", "10:00"), ("a", "break", "10:00", "10:15"),
                      ("a", "work", "10:15", "11:00")], "activity")
    states = frame([("a", "idle", "09:00", "09:55"), ("a", "logged_out", "09:55", "10:20"),
                    ("a", "idle", "10:20", "11:00")], "state")
    ev = run(schedule, states).events
    assert len(ev) == 1
    assert ev.loc[0, "duration"] == 25 * 60
    assert ev.loc[0, "scheduled"] == "break" and ev.loc[0, "actual"] == "logged_out"  # 15 of the 25 minutes


def test_floor_against_plan(day):
    schedule, states = day
    iv = run(schedule, states, interval=1800).intervals.set_index("interval")
    # 09:00-09:30: ann and bob scheduled; ann works 09:05-09:30 = 25 of 30 min
    assert iv.loc[t("09:00"), "scheduled"] == 2
    assert iv.loc[t("09:00"), "working"] == pytest.approx(25 / 30)
    assert iv.loc[t("09:00"), "short"]
    # 12:00-12:30: nobody scheduled; ann's ten overtime minutes
    assert iv.loc[t("12:00"), "scheduled"] == 0
    assert iv.loc[t("12:00"), "working"] == pytest.approx(10 / 30)
    assert not iv.loc[t("12:00"), "short"]
    with pytest.raises(ValueError, match="interval must divide a day"):
        adherence(schedule, states, interval=7 * 60)


def test_unsorted_and_overlapping_states_are_handled_and_reported(day):
    schedule, states = day
    base = run(schedule, states)
    shuffled = states.sample(frac=1.0, random_state=3)
    res = run(schedule, shuffled)
    pd.testing.assert_frame_equal(res.table, base.table)
    assert (res.issues["problem"] == "were out of time order within their agent").any()
    messy = pd.concat([states, frame([("ann", "idle", "09:40", "10:05"),       # overlaps 09:50-10:05
                                      ("ann", "idle", "10:30", "10:40")], "state")],  # inside an idle spell
                      ignore_index=True)
    with pytest.warns(DataWarning, match="overlapped an earlier spell"):
        res = adherence(schedule, messy)
    issues = res.issues.set_index("problem")
    overlap = issues.loc["overlapped an earlier spell of the same agent"]
    assert overlap["rows"] == 2   # the 09:40 idle (cut to 10:00-10:05) and the 09:50 idle (cut away 0 s)
    inside = issues.loc["lay wholly inside an earlier spell of the same agent"]
    assert inside["rows"] == 2 and inside["action"] == "left out"
    assert inside["seconds"] == pytest.approx(10 * 60 + 10 * 60)


def test_overlap_goes_to_the_earlier_spell():
    schedule = frame([("a", "work", "09:00", "10:00")], "activity")
    states = frame([("a", "idle", "09:00", "09:40"), ("a", "break", "09:30", "10:00")], "state")
    res = run(schedule, states)
    # the break is cut to 09:40-10:00: 40 min in adherence, 20 out
    assert res.table.loc[0, "in_adherence"] == 40 * 60
    assert res.issues.loc[0, "seconds"] == 10 * 60


def test_records_crossing_midnight_count_in_each_day():
    schedule = frame([("n", "work", t("22:00"), t("02:00", "2024-01-02"))], "activity")
    states = frame([("n", "idle", t("22:00"), t("01:00", "2024-01-02")),
                    ("n", "logged_out", t("01:00", "2024-01-02"), t("02:00", "2024-01-02"))], "state")
    res = run(schedule, states)
    tab = res.table.set_index("day")
    assert tab.loc[t("00:00"), "scheduled"] == 2 * 3600 and tab.loc[t("00:00"), "adherence"] == 1.0
    assert tab.loc[t("00:00", "2024-01-02"), "scheduled"] == 2 * 3600
    assert tab.loc[t("00:00", "2024-01-02"), "adherence"] == pytest.approx(0.5)
    # the event belongs to the day it starts
    assert res.events["day"].tolist() == [t("00:00", "2024-01-02")]


def test_agents_missing_on_one_side(day):
    schedule, states = day
    extra = pd.concat([states, frame([("cy", "idle", "09:00", "10:00")], "state")], ignore_index=True)
    with pytest.warns(DataWarning) as record:
        res = adherence(schedule, extra)
    text = str(record[0].message)
    assert "1 scheduled agent(s) with no state record (first: agent='bob')" in text
    assert "1 agent(s) with no schedule (first: agent='cy')" in text
    assert "cy" not in set(res.table.loc[res.table["scheduled"] > 0, "agent"])
    # cy's hour counts on the floor
    iv = res.intervals.set_index("interval")
    assert iv.loc[t("09:00"), "working"] == pytest.approx(25 / 30 + 1)


def test_staff_list_gives_teams_and_catches_unknown_agents(day):
    schedule, states = day
    staff = pd.DataFrame({"agent": ["ann", "bob"], "team": ["North", "South"]})
    res = run(schedule, states, staff=staff)
    assert res.table.set_index("agent")["team"].to_dict() == {"ann": "North", "bob": "South"}
    teams = res.summary("team").set_index("team")
    assert teams.loc["North", "adherence"] == pytest.approx(160 / 180)
    assert set(res.intervals["team"]) == {"North", "South"}
    with pytest.raises(ValueError, match=r"column 'agent' names agents who are not on the staff list.*rows \[5\].*'bob'"):
        adherence(schedule, states, staff=staff[staff["agent"] == "ann"])


def test_simulator_logs_with_replications():
    import wfm.simulation as sim_mod
    shifts = pd.DataFrame({"agent": ["a", "b"], "start": [t("08:00"), t("09:00")], "end": [t("12:00"), t("13:00")],
                           "breaks": [[(t("10:00"), t("10:15"), True)], []]})
    idx = pd.date_range("2024-01-01 08:00", periods=10, freq="30min")
    sim = sim_mod.simulate(pd.Series(20.0, index=idx), 180, shifts, patience=100, replications=2, seed=4,
                           deviations={"late_login_rate": 0.5, "long_break_rate": 1.0})
    schedule = frame([("a", "work", "08:00", "10:00"), ("a", "break", "10:00", "10:15"),
                      ("a", "work", "10:15", "12:00"), ("b", "work", "09:00", "13:00")], "activity")
    schedule = pd.concat([schedule.assign(replication=r) for r in (0, 1)], ignore_index=True)
    res = adherence(schedule, sim.agent_states, by="replication")
    assert len(res.table) == 4
    assert res.issues.empty
    # an independent, deliberately slow reference: the overlap of every state spell with every schedule block
    # whose activity it keeps to (work: on_contact or idle; break: break), over the scheduled seconds
    keeps = {"work": {"on_contact", "idle"}, "break": {"break"}}
    got = res.table.set_index(["replication", "agent"])["adherence"]
    for (rep, agent), blocks in schedule.groupby(["replication", "agent"]):
        spells = sim.agent_states[(sim.agent_states["replication"] == rep) & (sim.agent_states["agent"] == agent)]
        inside = 0.0
        for b in blocks.itertuples():
            for sp in spells.itertuples():
                if sp.state in keeps[b.activity]:
                    inside += max(0.0, (min(b.end, sp.end) - max(b.start, sp.start)).total_seconds())
        scheduled = (blocks["end"] - blocks["start"]).dt.total_seconds().sum()
        assert got[(rep, agent)] == pytest.approx(inside / scheduled, rel=1e-9), (rep, agent)


def test_summary_plot_and_html(day):
    import matplotlib

    matplotlib.use("Agg")
    schedule, states = day
    res = run(schedule, states)
    ax = res.plot()
    assert ax.get_ylabel() == "agents"
    html = res._repr_html_()
    assert "Adherence" in html and "Issues handled" in html
    assert "conformance" in repr(res)
    with pytest.raises(ValueError, match="by must name columns"):
        res.summary("queue")


# ---------------------------------------------------------------- properties

_ACT = ["work", "break", "lunch"]
_STATE_FOR = {"work": ["idle", "on_contact", "break", "logged_out", "downtime"],
              "break": ["break", "logged_out", "lunch"], "lunch": ["lunch", "logged_out", "break"]}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_ACT), st.integers(1, 12)), min_size=1, max_size=8),
       st.data())
def test_without_overtime_rates_stay_in_unit_interval_and_match_a_slow_loop(plan, data):
    """Work only happens in scheduled work time, so adherence and conformance are in [0, 1]."""
    start = t("09:00")
    sched, states, minute_rows = [], [], []
    at = start
    for act, blocks in plan:
        end = at + pd.Timedelta(minutes=5 * blocks)
        sched.append(("a", act, at, end))
        # cut the block into pieces, each with a state allowed there (no work outside scheduled work)
        cuts = sorted(set(data.draw(st.lists(st.integers(1, 5 * blocks - 1), max_size=3)))) if blocks > 0 else []
        edges = [0] + cuts + [5 * blocks]
        for lo, hi in zip(edges[:-1], edges[1:]):
            state = data.draw(st.sampled_from(_STATE_FOR[act]))
            states.append(("a", state, at + pd.Timedelta(minutes=lo), at + pd.Timedelta(minutes=hi)))
            minute_rows += [(act, state)] * (hi - lo)
        at = end
    res = run(frame(sched, "activity"), frame(states, "state"))
    row = res.table.iloc[0]
    assert 0 <= row["adherence"] <= 1
    if row["scheduled_work"] > 0:
        assert 0 <= row["conformance"] <= 1
    # a deliberately slow loop, minute by minute
    keeps = {"work": {"idle", "on_contact"}, "break": {"break"}, "lunch": {"lunch", "logged_out"}}
    inside = sum(1 for act, state in minute_rows if state in keeps[act])
    assert row["in_adherence"] == pytest.approx(inside * 60)
    assert row["adherence"] == pytest.approx(inside / len(minute_rows))


# ---------------------------------------------------------------- bad input

def test_bad_input_names_column_and_rows(day):
    schedule, states = day
    back = states.copy()
    back.loc[4, "end"] = t("09:59")
    with pytest.raises(ValueError, match=r"column 'end' must not be before 'start'.*rows \[4\]"):
        adherence(schedule, back)
    sched_back = schedule.copy()
    sched_back.loc[0, "end"] = t("09:00")
    with pytest.raises(ValueError, match=r"column 'end' must be after 'start'.*rows \[0\]"):
        adherence(sched_back, states)
    missing = states.drop(columns="state")
    with pytest.raises(ValueError, match="states has no column 'state'"):
        adherence(schedule, missing)
    unknown = schedule.copy()
    unknown.loc[2, "activity"] = "Gym"
    with pytest.raises(ValueError,
                       match=r"column 'activity' has schedule labels with no schedule activity.*rows \[2\]"):
        adherence(unknown, states)
    assert run(unknown, states, activities={"Gym": "training"}).table.loc[0, "scheduled"] == 180 * 60
    wrong_kind = {"Gym": "gym"}
    with pytest.raises(ValueError, match=r"activities\['Gym'\] must be one of"):
        adherence(unknown, states, activities=wrong_kind)
    with pytest.raises(ValueError, match="grace must be >= 0 seconds"):
        adherence(schedule, states, grace=-1)
    text = states.astype({"start": object})
    text.loc[1, "start"] = "soon"
    with pytest.raises(TypeError, match=r"column 'start' must hold timestamps.*rows \[1\]"):
        adherence(schedule, text)
    aware = states.assign(start=states["start"].dt.tz_localize("UTC"), end=states["end"].dt.tz_localize("UTC"))
    with pytest.raises(ValueError, match=r"schedule is naive \(no time zone\) and states is in time zone UTC;.*"
                                         r"read_schedule\(schedule, tz=\"UTC\"\)"):
        adherence(schedule, aware)
    with pytest.raises(ValueError, match="by names 'replication'"):
        adherence(schedule, states, by="replication")
