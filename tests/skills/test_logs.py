"""The skill structure and per-type histories read back from a simulated multi-skill contact log."""

import numpy as np
import pandas as pd
import pytest

from wfm.simulation import simulate_multiskill
from wfm.skills import skills_from_log, synthetic_centre

IDX = pd.date_range("2024-01-01 08:00", periods=6, freq="30min")
SKILLS = {"svc": ["service"], "sal": ["sales"], "both": ["sales", "service"]}


@pytest.fixture(scope="module")
def simulated():
    """A seeded simulated log of two types and three groups; module scope: read-only."""
    calls = pd.DataFrame({"service": 100.0, "sales": 40.0}, index=IDX)
    return simulate_multiskill(calls, {"svc": 12, "sal": 7, "both": 3}, SKILLS, aht={"service": 180, "sales": 300},
                               patience=200, replications=2, seed=4, log=True)


def test_structure_and_histories_come_back(simulated):
    log = simulated.contacts[simulated.contacts.replication == 1]
    found = skills_from_log(log, "30min", calendar=IDX)
    assert {frozenset(s) for s in found.groups["skills"]} == {frozenset(s) for s in SKILLS.values()}
    assert found.groups["agents"].sum() == log["agent"].nunique()
    # every agent's skills read from the log are the skills of the group it was simulated in
    for agent, row in found.table.iterrows():
        group = agent.rsplit("-", 1)[0]
        assert set(row.index[row > 0]) <= set(SKILLS[group])
    # each type's history is the simulator's own tally of that replication
    for j, t in enumerate(["service", "sales"]):
        tab = found.histories[t].table
        np.testing.assert_array_equal(tab["calls"].to_numpy(), simulated.tallies["offered"][1, :, j])
        np.testing.assert_array_equal(tab["answered_within"].to_numpy(), simulated.tallies["answered_within"][1, :, j])
    vol = found.volumes()
    answered = log[log.answered]
    assert vol.loc["sales", "aht"] == pytest.approx(answered.loc[answered.queue == "sales", "handle"].mean())
    f = found.figures()
    assert f["groups"] == 3 and 0 < f["multi_skilled"] < 1
    assert repr(found).startswith("LogSkills:") and "<h4>" in found._repr_html_()


def test_centre_from_the_log(simulated):
    found = skills_from_log(simulated.contacts[simulated.contacts.replication == 0], "30min", calendar=IDX)
    c = found.centre(targets={"service_level": 0.8, "threshold": 20})
    assert set(c.types) == {"service", "sales"} and len(c.groups) == 3
    assert np.isfinite(c.patience.to_numpy()).all()  # estimated from the abandons
    pd.testing.assert_frame_equal(c.calls, found.calls(), check_names=False, check_freq=False)


def test_a_type_whose_abandons_have_no_wait_has_no_patience_not_never_hanging_up(simulated):
    """Without the sales abandons' times and waits, the log cannot say how patient sales callers are: centre() says
    so (before, the estimate was inf and sales became a type whose callers never hang up); patience=None still
    sizes with no abandonment, as asked."""
    log = simulated.contacts[simulated.contacts.replication == 0].copy()
    lost = log["abandoned"] & (log["queue"] == "sales")
    assert lost.sum() > 0  # the premise: sales callers hung up in the run
    log.loc[lost, ["abandon", "end", "wait"]] = np.nan
    from wfm.logs import PlausibilityWarning

    with pytest.warns(PlausibilityWarning, match=r"%d of the %d abandons have no wait" % (lost.sum(),
                                                                                          log["abandoned"].sum())):
        found = skills_from_log(log, "30min", calendar=IDX)  # the whole log's: some abandons have a wait
    assert np.isnan(found.volumes().loc["sales", "patience"])
    assert np.isfinite(found.volumes().loc["service", "patience"])
    with pytest.raises(ValueError, match=r"patience of call type\(s\) \['sales'\] cannot be estimated from the log: "
                                         r"sales: not estimated: none of the %d abandon\(s\) has a wait" % lost.sum()):
        found.centre(targets={"service_level": 0.8, "threshold": 20})
    assert np.isinf(found.centre(targets={"service_level": 0.8, "threshold": 20}, patience=None).patience).all().all()


def test_every_agent_stays_within_its_groups_skills_on_a_larger_centre():
    c = synthetic_centre().select(range(18, 22))
    from wfm.skills import approximate_staffing

    assert c.simulate(approximate_staffing(c) + 1, replications=1, seed=2).contacts is None  # only when asked
    log = c.simulate(approximate_staffing(c) + 1, replications=1, seed=2, log=True).contacts
    found = skills_from_log(log, "30min", calendar=c.calls.index)
    for agent, row in found.table.iterrows():
        assert set(row.index[row > 0]) <= set(c.skills[agent.rsplit("-", 1)[0]])


def test_bad_logs_are_named(simulated):
    with pytest.raises(ValueError, match="'agent' column"):
        skills_from_log(simulated.contacts.drop(columns="agent"), "30min", calendar=IDX)
    with pytest.raises(ValueError, match="several replications"):
        skills_from_log(simulated.contacts, "30min", calendar=IDX)
    with pytest.raises(ValueError, match="'queue' column"):
        skills_from_log(simulated.contacts.drop(columns="queue"), "30min", calendar=IDX)


def _localized(log, tz):
    out = log.copy()
    for col in ("arrival", "answer", "abandon", "end"):
        out[col] = pd.to_datetime(out[col]).dt.tz_localize(tz)
    return out


def test_a_calendar_on_another_clock_or_grid_is_refused_not_emptied(simulated):
    """A log in a time zone with a naive calendar (as notebook 08 passes it) kept 0 of its calls, and freq 15min on a
    30-min calendar about half, each behind 'arrived in an interval the calendar has closed' (review 31, 1.3): now
    an error naming the mismatch and the fix. The fixes it names give back every call."""
    log = simulated.contacts[simulated.contacts.replication == 0]
    offered = len(log)
    london = _localized(log, "Europe/London")
    with pytest.raises(ValueError, match=r"the log \(contacts\) is in time zone Europe/London and calendar is naive "
                                         r".* different clocks, so no arrival would fall in an open interval .*"
                                         r"calendar=calendar.tz_localize\(\"Europe/London\"\)"):
        skills_from_log(london, "30min", calendar=IDX)
    with pytest.raises(ValueError, match=r"log \(contacts\) is naive .* calendar is in time zone UTC.*pass tz='UTC'"):
        skills_from_log(log, "30min", calendar=IDX.tz_localize("UTC"))
    with pytest.raises(ValueError, match=r"freq is '15min' \(900 s\) but calendar does not match it: its intervals "
                                         r"are 30min long.* \(freq='30min'\)"):
        skills_from_log(log, "15min", calendar=IDX)
    with pytest.raises(ValueError, match=r"freq is '30min' .* 6 of its 12 timestamps are not on the 30min grid "
                                         r"\(first 2024-01-01 08:15\)"):
        skills_from_log(log, "30min", calendar=pd.date_range(IDX[0], periods=12, freq="15min"))
    # the fixes: the calendar on the log's clock (any zone: instants compare), or freq on the calendar's grid
    for found in (skills_from_log(london, "30min", calendar=IDX.tz_localize("Europe/London")),
                  skills_from_log(london, "30min", calendar=IDX.tz_localize("Europe/London").tz_convert("UTC")),
                  skills_from_log(log, "15min", calendar=pd.date_range(IDX[0], periods=12, freq="15min"))):
        assert found.calls().to_numpy().sum() == offered


def test_an_open_calendar_of_another_interval_is_refused(simulated):
    from wfm.calendar import open_calendar
    from wfm.logs import interval_history

    log = simulated.contacts[simulated.contacts.replication == 0]
    cal = open_calendar(IDX, interval=1800)
    assert interval_history(log, "30min", calendar=cal).table["calls"].sum() == len(log)
    with pytest.raises(ValueError, match="freq is 15min .* but the calendar's intervals are 30min"):
        interval_history(log, "15min", calendar=cal)


def test_a_call_type_nobody_answered_keeps_its_demand(simulated):
    """Every sales call hung up (an unstaffed queue): sales was dropped from the types and its calls vanished from
    the centre (review 31, 1.4). Now it stays in calls() and volumes() with a warning; centre() refuses it, naming
    it, its offered calls and the fix, until a group holds it (with a handle time, which the log cannot give) or
    its demand is left out knowingly."""
    from wfm.logs import PlausibilityWarning

    log = simulated.contacts[simulated.contacts.replication == 0].copy()
    sales = log["queue"] == "sales"
    n_sales = int(sales.sum())
    # the answered sales callers hang up when they would have been answered: same wait, no agent
    log.loc[sales & log["answered"], ["abandon", "end"]] = log.loc[sales & log["answered"], ["answer", "answer"]].values
    log.loc[sales, ["answer", "agent", "handle"]] = np.nan
    log.loc[sales, "answered"], log.loc[sales, "abandoned"] = False, True
    with pytest.warns(PlausibilityWarning, match=r"call type\(s\) 'sales': %d calls offered, none answered" % n_sales):
        found = skills_from_log(log, "30min", calendar=IDX)
    assert found.params["types"] == ["service", "sales"] and found.params["unheld"] == {"sales": n_sales}
    assert found.calls()["sales"].sum() == n_sales and found.calls().to_numpy().sum() == len(log)
    assert found.volumes().loc["sales", "answered"] == 0 and np.isnan(found.volumes().loc["sales", "aht"])
    assert found.figures()["types_without_group"] == 1 and "no group holds: sales" in repr(found)
    assert all("sales" not in s for s in found.skills().values())
    with pytest.raises(ValueError, match=r"no group holds the call type 'sales' \(%d calls offered in the log, none "
                                         r"answered\).*'sales_team': \['sales'\]\}, aht=\{'sales': 300\}.*leave its "
                                         r"demand out knowingly" % n_sales):
        found.centre()
    with pytest.raises(ValueError, match=r"'sales' has no handle time.*aht=\{'sales': 300\}"):
        found.centre(skills={**found.skills(), "sales_team": ["sales"]})
    # the fixes: a group (and an AHT) for sales keeps every call; leaving it out is explicit
    c = found.centre(skills={**found.skills(), "sales_team": ["sales"]}, aht={"sales": 300})
    assert c.calls.to_numpy().sum() == len(log) and c.routing["sales"] == ["sales_team"]
    assert c.aht["sales"].eq(300).all() and np.isfinite(c.patience["sales"]).all()  # the log's abandons
    without = found.centre(calls=found.calls().drop(columns=["sales"]))
    assert without.types == ["service"]
