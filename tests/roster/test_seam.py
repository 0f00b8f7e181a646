"""Joining rosters: a roster given the previous one's last days keeps the rules across the seam (runs of
working days and days off, rest), checked here on the joined grid and tables, independently of the model."""

import numpy as np
import pandas as pd
import pytest

from wfm import staffing_plan
from wfm.roster import roster_agents
from wfm.schedule import schedule_week

MAX_RUN, MIN_OFF, REST = 6, 2, 11.0


def _bank_week(calls_30min, start):
    """The bank case in small: the mean of each weekday x half hour over the record's last 8 weeks (real
    calls, scaled by 0.015 so the week needs a dozen agents), with a weekend at 45% (Saturday) and 30%
    (Sunday) of the weekday mean as in benchmarks/bench_roster.py (the record has no weekends); Erlang C,
    AHT 300 s, 80/20; sized with two 8-hour templates, 5 days a week, days off together."""
    week = calls_30min.index.normalize() - pd.to_timedelta(calls_30min.index.day_of_week, unit="D")
    recent = calls_30min[week.isin(np.sort(week.unique())[-8:])]
    minute = recent.index.hour * 60 + recent.index.minute
    profile = recent.groupby([recent.index.day_of_week, minute]).mean()
    weekday = profile.groupby(level=1).mean()
    calls = pd.Series(0.0, index=pd.date_range(start, periods=7 * 48, freq="30min"))
    for (d, m), x in profile.items():
        calls[start + pd.Timedelta(days=int(d), minutes=int(m))] = x
    for d, share in ((5, 0.45), (6, 0.30)):
        calls[[start + pd.Timedelta(days=d, minutes=int(m)) for m in weekday.index]] = share * weekday.to_numpy()
    plan = staffing_plan(calls * 0.015, aht=300, service_level=0.8, threshold=20)
    rules = {"shifts": [{"name": "E", "paid": "8h", "starts": ["07:00", "09:00"]},
                        {"name": "L", "paid": "8h", "starts": ["11:00", "13:00"]}],
             "open_hours": {d: ["07:00", "21:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
             "week": {"days_per_week": 5, "days_off_consecutive": True}}
    return schedule_week(plan.table["agents"], rules, time_limit=20)


def _broken(grid, tables):
    """Rules broken on the joined roster: runs of more than MAX_RUN working days, runs of days off shorter than
    MIN_OFF between two working days, and rests under REST hours between consecutive working days."""
    out = []
    for agent, row in (grid != "").iterrows():
        w = row.to_numpy()
        edges = np.flatnonzero(np.diff(w.astype(int))) + 1
        for lo, hi in zip(np.r_[0, edges], np.r_[edges, len(w)]):
            if w[lo] and hi - lo > MAX_RUN:
                out.append(f"{agent}: {hi - lo} working days from day {lo}")
            if not w[lo] and lo > 0 and hi < len(w) and hi - lo < MIN_OFF:
                out.append(f"{agent}: {hi - lo} day(s) off from day {lo}")
    t = pd.concat(tables).sort_values(["agent", "start"])
    same = (t["agent"].to_numpy()[1:] == t["agent"].to_numpy()[:-1]) & \
           (np.diff(pd.DatetimeIndex(t["date"]).asi8) == pd.Timedelta("1D").value)
    rest = (t["start"].to_numpy()[1:] - t["end"].to_numpy()[:-1]) / np.timedelta64(1, "h")
    out += [f"rest of {h:.1f} h" for h in rest[same & (rest < REST - 1e-9)]]
    return out


def test_two_consecutive_four_week_rosters_of_the_bank_case(bank_30min):
    """Two 4-week rosters of the bank case, the second given the first: on the 56 joined days no run of
    working days is over 6, no run of days off inside is under 2 and no rest is under 11 h, seam included;
    each roster keeps its own 5 working days in every week."""
    sized = _bank_week(bank_30min, pd.Timestamp("2003-11-03"))
    agents = pd.DataFrame({"agent": [f"A{k:02d}" for k in range(sized.heads + 1)], "min_days_per_week": 5,
                           "max_days_per_week": 5, "min_consecutive_days_off": MIN_OFF,
                           "max_consecutive_days": MAX_RUN, "min_rest_hours": REST})
    first = roster_agents(sized, agents, {"start": "2003-11-03", "days": 28}, time_limit=5, allow_shortfall=True)
    second = roster_agents(sized, agents, {"start": "2003-12-01", "days": 28}, time_limit=5, allow_shortfall=True,
                           previous=first)
    assert second.params["previous_days"] >= MAX_RUN
    grid = pd.concat([first.grid(), second.grid().set_axis(range(28, 56), axis=1)], axis=1)
    assert _broken(grid, [first.table, second.table]) == []
    for r in (first, second):
        assert (r.table.groupby(["agent", r.table["day"] // 7]).size() == 5).all()


def _one_agent(previous, **rules):
    agents = pd.DataFrame({"agent": ["Ann"], **rules})
    demand = pd.DataFrame({"day": range(4), "shift": "D", "required": 1})
    shifts = [{"name": "D", "paid": "8h", "start": "08:00"}, {"name": "N", "paid": "8h", "start": "22:00"}]
    return roster_agents(demand, agents, {"start": "2024-01-08", "days": 4, "shifts": shifts}, previous=previous,
                         time_limit=5, allow_shortfall=True)


@pytest.mark.parametrize(("before", "rules", "off"), [
    (["D", "D", ""], {"min_consecutive_days_off": 2}, [0]),        # a single day off ending the previous roster
    (["D", "D", "D", "D"], {"max_consecutive_days": 4}, [0]),       # 4 days worked: a 5th in a row is one too many
    (["", "", "N"], {"min_rest_hours": 11.0}, [0]),                 # night until 06:00: no 08:00 start that day
    (["", "D", "D"], {"min_consecutive_days": 3}, []),              # the run goes on: nothing to drop
])
def test_the_seam_on_one_agent(before, rules, off):
    """One agent wanted on 4 days: the previous days decide which it must leave off (worked out by hand)."""
    previous = pd.DataFrame([before], index=["Ann"], columns=range(-len(before), 0))
    r = _one_agent(previous, **rules)
    assert sorted(set(range(4)) - set(r.table["day"])) == off
    free = _one_agent(None, **rules)
    assert len(free.table) == 4  # without the previous days, every day is worked


def test_request_days_as_text_and_dates():
    """A request column holding "1" and dates is read like days_off (numbers, text numbers and dates)."""
    agents = pd.DataFrame({"agent": ["Ann", "Bea"]})
    demand = pd.DataFrame({"day": range(3), "shift": "D", "required": 1})
    requests = pd.DataFrame({"agent": ["Ann", "Bea"], "day": ["1", "2024-01-03"], "shift": [None, None],
                             "kind": ["on", "on"], "weight": [5, 5]})
    r = roster_agents(demand, agents, {"start": "2024-01-01", "days": 3, "shifts": [{"name": "D", "paid": "8h"}]},
                      requests=requests, time_limit=5)
    assert set(zip(r.table["agent"], r.table["day"])) >= {("Ann", 1), ("Bea", 2)}
    assert r.terms["requests"] == 0
