"""Rosters over any horizon: a plan of several weeks is rostered as those weeks (not one week repeated),
on planning weeks that start on the plan's weekday, and on the wall clock through a daylight-saving change.

Every expectation is counted here from the sized plan's own table (its shifts per day and start time),
independently of how the roster reads the plan."""

import numpy as np
import pandas as pd
import pytest

from wfm.roster import roster_agents
from wfm.schedule import schedule_week, schedule_weeks

RULES = {"shifts": [{"name": "D8", "paid": "8h"}], "week": {"days_per_week": 5}}


def _requirement(start, days, per_day, tz=None):
    """Hourly requirement: ``per_day[d]`` agents from 08:00 to 16:00 local time on day d, none otherwise."""
    idx = pd.date_range(start, periods=days * 24, freq="1h")  # naive wall clock: 24 hours a day
    agents = np.asarray(per_day)[(idx.normalize() - idx[0].normalize()).days]
    req = pd.Series(np.where((idx.hour >= 8) & (idx.hour < 16), agents, 0), index=idx)
    if tz is not None:  # on the local wall clock: the skipped hour (01:00 on the spring change) dropped
        req = req[~req.index.isin(pd.date_range(f"{start[:4]}-03-31 01:00", periods=1, freq="1h"))]
        req.index = req.index.tz_localize(tz)
    return req


def _plan_cover(plan):
    """Agent-shifts of the plan per (wall-clock date, start time), from its shifts table."""
    start = pd.DatetimeIndex(plan.shifts["start"])
    wall = start.tz_localize(None) if start.tz is not None else start
    return plan.shifts.groupby([wall.normalize(), wall.strftime("%H:%M")])["agents"].sum().sort_index()


def _roster_cover(r):
    """Agent-shifts the roster asks for per (wall-clock date, start time of its shift type)."""
    c = r.cover
    date = pd.DatetimeIndex(c["date"])
    date = date.tz_localize(None) if date.tz is not None else date
    return c.groupby([date, c["shift"].str.split("@").str[1]])["required"].sum().sort_index()


def _agents(n, **rules):
    return pd.DataFrame({"agent": [f"a{k}" for k in range(n)], **rules})


def test_two_week_plan_is_rostered_as_those_weeks():
    """schedule_weeks over two different weeks (2 agents a day, then 3 on weekdays): the roster asks for
    exactly the plan's agent-shifts on each date (before, a plan of several weeks was read as one week
    repeated: twice the agent-shifts over two weeks), and with enough agents it staffs them all."""
    req = _requirement("2024-01-01", 14, [2] * 7 + [3, 3, 3, 3, 3, 2, 2])
    plan = schedule_weeks(req, RULES)
    r = roster_agents(plan, _agents(6, max_days_per_week=5), {}, time_limit=20)
    assert r.params["days"] == 14 and r.params["start"] == pd.Timestamp("2024-01-01")
    pd.testing.assert_series_equal(_roster_cover(r), _plan_cover(plan), check_names=False, check_freq=False)
    assert int(r.cover["required"].sum()) == int(plan.shifts["agents"].sum())
    assert int(r.cover["under"].sum()) == 0
    np.testing.assert_array_equal(r.coverage["sized"].reindex(plan.coverage.index).to_numpy(),
                                  plan.coverage["scheduled"].to_numpy())


def test_a_sunday_week():
    """A centre whose week starts on Sunday: a two-week plan from schedule_weeks(week_start="SUN") is rostered
    from that Sunday, and the per-week rules hold on Sunday-to-Saturday weeks (7 agents, exactly 5 days each,
    against 5 agents a day: 35 agent-shifts in every Sunday week, counted here from the table)."""
    req = _requirement("2023-12-31", 14, [5] * 14)
    plan = schedule_weeks(req, RULES, week_start="SUN")
    r = roster_agents(plan, _agents(7, min_days_per_week=5, max_days_per_week=5), {}, time_limit=20)
    assert pd.Timestamp(r.params["start"]).day_name() == "Sunday" and r.params["days"] == 14
    pd.testing.assert_series_equal(_roster_cover(r), _plan_cover(plan), check_names=False, check_freq=False)
    week = (pd.DatetimeIndex(r.table["date"]) - pd.Timestamp("2023-12-31")).days // 7
    per_week = r.table.groupby([r.table["agent"], week]).size()
    assert len(per_week) == 14 and (per_week == 5).all()


def test_a_daylight_saving_week():
    """Europe/London, two weeks from Monday 25 March 2024 (clocks go forward on Sunday 31 March): the roster
    asks for the plan's agent-shifts on every date, its dates are local midnights and every shift starts at
    08:00 on the wall clock, before and after the change (before, days were counted in elapsed 24 h from a
    GMT midnight, so the second week's dates fell at 01:00 BST and its cover was lost). A one-week plan of the
    same week repeated over two weeks does the same."""
    req = _requirement("2024-03-25", 14, [2] * 14, tz="Europe/London")
    plan = schedule_weeks(req, RULES)
    agents = _agents(4, max_days_per_week=5, min_rest_hours=11.0)
    r = roster_agents(plan, agents, {}, time_limit=20)
    pd.testing.assert_series_equal(_roster_cover(r), _plan_cover(plan), check_names=False, check_freq=False)
    assert int(r.cover["required"].sum()) == int(plan.shifts["agents"].sum()) and int(r.cover["under"].sum()) == 0
    dates = pd.DatetimeIndex(r.table["date"])
    assert (dates.hour == 0).all() and str(dates.tz) == "Europe/London"
    start = pd.DatetimeIndex(r.table["start"])
    assert (start.hour == 8).all() and ((pd.DatetimeIndex(r.table["end"]) - start) == pd.Timedelta("8h")).all()
    assert (r.coverage["scheduled"].reindex(plan.coverage.index) == plan.coverage["scheduled"]).all()

    week = schedule_week(req[req.index < pd.Timestamp("2024-04-01", tz="Europe/London")], RULES)
    rr = roster_agents(week, agents, {"days": 14}, time_limit=20)
    assert int(rr.cover["required"].sum()) == 2 * int(week.shifts["agents"].sum()) and int(rr.cover["under"].sum()) == 0
    assert (pd.DatetimeIndex(rr.table["start"]).hour == 8).all()
    assert (pd.DatetimeIndex(rr.table["date"]).hour == 0).all()


def test_a_horizon_past_the_plans_is_named():
    """rules['days'] beyond a plan of several weeks is an error naming the keys (no silent empty days)."""
    plan = schedule_weeks(_requirement("2024-01-01", 14, [2] * 14), RULES)
    with pytest.raises(ValueError, match=r"rules\['days'\]"):
        roster_agents(plan, _agents(4), {"days": 28}, time_limit=5)
