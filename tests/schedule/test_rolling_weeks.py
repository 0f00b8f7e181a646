"""Plans longer than a week that a week start cuts are sized in weeks counted from their first day.

A 14-day plan from a Tuesday on Monday weeks was cut Tue-Sun | Mon-Sun | Mon, each cut part sized on its own
days with ``days_per_week`` capped at them and the parts not linked: an agent could work Tue-Fri and then its
whole next week, and the paid hours and FTE to employ moved with the weekday the plan started on (the bank's
calls x 0.2 and a 4-day contract: 4,120 paid hours a week from a Tuesday against 4,976 from a Monday, the demand
per weekday the same; benchmarks/bench_horizon_start.py). Here the calls are x 0.05, to stay fast; every
expectation is read off the Monday plan or counted from the tables."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

import wfm
from wfm.datasets import bank_calls
from wfm.schedule import schedule_week, schedule_weeks

from .test_horizon import MONDAY

OPEN = ["Mon", "Tue", "Wed", "Thu", "Fri"]


def _rules(days_per_week):
    """Bank shifts: 8 paid hours with an unpaid hour's lunch, or a part-time 4 (at most 40% of agents)."""
    return {"shifts": [{"name": "FT8", "paid": "8h", "breaks": [{"length": "1h", "paid": False,
                                                                 "start_after": ["3h", "5h"]}]},
                       {"name": "PT4", "paid": "4h", "contract": "part_time", "cost_per_paid_hour": 1.1}],
            "open_hours": {d.lower(): ["07:00", "21:00"] for d in OPEN},
            "week": {"days_per_week": days_per_week, "part_time_share": [0, 0.4]}}


@pytest.fixture(scope="module")
def profile():
    """Calls per (weekday, hour) of the bank's last full week (real, Mon-Fri 07:00-21:00), x 0.05."""
    week = wfm.calendar.last_full_week(bank_calls("60min"))
    return week.groupby([week.index.day_of_week, week.index.hour]).sum() * 0.05


def _plan(profile, start, days):
    """The bank week's calls repeated by weekday and hour over ``days`` days from ``start``, staffed (Erlang C)."""
    idx = pd.date_range(start, periods=days * 24, freq="1h")
    calls = pd.Series(profile.reindex(list(zip(idx.day_of_week, idx.hour))).to_numpy(), index=idx).dropna()
    return wfm.staffing_plan(calls, aht=300, open_days=OPEN)


def _size(plan, days_per_week):
    return schedule_weeks(plan.table["agents"], _rules(days_per_week), plan=plan, week_start="MON", mip_gap=0)


def _most_agent_days_in_7(schedule):
    """The most agent-shifts in any 7 consecutive days of the plan, counted from its shifts table."""
    per_day = schedule.shifts.groupby(schedule.shifts["day"])["agents"].sum()
    per_day = per_day.reindex(pd.date_range(per_day.index.min(), per_day.index.max()), fill_value=0)
    return int(per_day.rolling(7, min_periods=1).sum().max())


@pytest.mark.parametrize("days_per_week", [4, 5])
@pytest.mark.parametrize("days", [14, 21])
def test_a_cut_plan_of_whole_weeks_does_not_depend_on_its_first_weekday(profile, days, days_per_week):
    monday = _size(_plan(profile, MONDAY, days), days_per_week)
    assert not monday.params["rolling_week"] and monday.status == "optimal"
    base = wfm.plan_headline(_plan(profile, MONDAY, days), monday).figures()
    for offset in (1, 3):  # Tuesday, Thursday
        start = MONDAY + pd.Timedelta(days=offset)
        plan = _plan(profile, start, days)
        cut = _size(plan, days_per_week)
        assert cut.status == "optimal" and (cut.coverage["under"] == 0).all()
        # weeks from the plan's first day, each of 7 days
        assert cut.params["rolling_week"] and cut.params["week_start"] == offset
        assert cut.weeks["week"].tolist() == [start + pd.Timedelta(days=7 * k) for k in range(days // 7)]
        # each week the Monday week turned round: the same paid hours per week, heads, cost and FTE to employ
        assert cut.weeks["paid_hours"].tolist() == monday.weeks["paid_hours"].tolist()
        assert (cut.paid_hours, cut.heads) == (monday.paid_hours, monday.heads)
        assert cut.cost == pytest.approx(monday.cost, rel=1e-12)
        head = wfm.plan_headline(plan, cut).figures()
        assert head["heads_to_employ"] == base["heads_to_employ"] and head["fte"] == pytest.approx(base["fte"])
        # no 7 days of the plan ask for more than days_per_week days of every head
        assert _most_agent_days_in_7(cut) <= days_per_week * cut.heads
        assert cut.patterns["days"].str.split().str.len().max() <= days_per_week


def test_a_plan_of_whole_weeks_from_the_week_start_is_unchanged(profile):
    """From a Monday on Monday weeks: the calendar weeks, each exactly schedule_week of its days."""
    plan = _plan(profile, MONDAY, 14)
    joined = _size(plan, 4)
    assert not joined.params["rolling_week"] and joined.params["week_start"] == 0
    assert joined.weeks["week"].tolist() == [MONDAY, MONDAY + pd.Timedelta("7D")]
    for k, week in enumerate(joined.weeks["week"]):
        part = plan.table[(plan.table.index >= week) & (plan.table.index < week + pd.Timedelta("7D"))]
        alone = schedule_week(part["agents"], _rules(4), mip_gap=0, plan=dataclasses.replace(plan, table=part))
        pd.testing.assert_frame_equal(joined.shifts[joined.shifts["week"] == week].drop(columns="week")
                                      .reset_index(drop=True), alone.shifts)
        assert joined.weeks["paid_hours"].iloc[k] == alone.paid_hours


def test_a_plan_of_10_days_is_a_rolling_week_and_a_cut_tail(profile):
    """10 days from a Tuesday: the first week is that of the 14-day plan from the same Tuesday (Tue-Mon), the
    last one the three days left (Tue-Thu), sized on its days alone; calendar weeks would have cut it at both
    ends (Tue-Fri | Mon-Thu, four days each, every head working 8 of 10 days for a 4-day contract)."""
    tuesday = MONDAY + pd.Timedelta("1D")
    plan = _plan(profile, tuesday, 10)
    ten = _size(plan, 4)
    assert ten.params["rolling_week"] and ten.weeks["week"].tolist() == [tuesday, tuesday + pd.Timedelta("7D")]
    fourteen = _size(_plan(profile, tuesday, 14), 4)
    first = ten.shifts[ten.shifts["week"] == tuesday]
    pd.testing.assert_frame_equal(first, fourteen.shifts[fourteen.shifts["week"] == tuesday])
    tail = plan.table[plan.table.index >= tuesday + pd.Timedelta("7D")]
    alone = schedule_week(tail["agents"], _rules(4), mip_gap=0, plan=dataclasses.replace(plan, table=tail))
    assert ten.weeks["paid_hours"].tolist() == [fourteen.weeks["paid_hours"].iloc[0], alone.paid_hours]
    assert set(ten.patterns.loc[ten.patterns["week"] == tuesday + pd.Timedelta("7D"), "days"]) <= {"Tue Wed Thu"}
    # the rolling week keeps the 4-day contract over the plan's first 7 days
    assert _most_agent_days_in_7(ten) <= 4 * ten.heads


def test_a_plan_no_week_start_cuts_keeps_its_calendar_week():
    """Thursday to Sunday on Monday weeks: one calendar week (labelled by its Monday), as before."""
    idx = pd.date_range(MONDAY + pd.Timedelta("3D"), periods=4 * 24, freq="1h")
    req = pd.Series(((idx.hour >= 9) & (idx.hour < 17)).astype(int), index=idx)
    rules = {"shifts": [{"name": "D8", "paid": "8h"}], "week": {"days_per_week": 4}}
    plan = schedule_weeks(req, rules, week_start="MON")
    assert not plan.params["rolling_week"] and plan.params["week_start"] == 0
    assert plan.weeks["week"].tolist() == [MONDAY] and plan.cost == schedule_week(req, rules).cost == 32.0


def test_wfm_schedule_says_the_weeks_count_from_the_plans_first_day(profile, tmp_path, capsys):
    """wfm schedule on the 14-day plan from a Thursday with --week-start MON: two weeks from Thursday, and the
    printout says why (the CLI reads the same weeks as the library)."""
    import yaml

    from wfm import cli

    thursday = MONDAY + pd.Timedelta("3D")
    plan = _plan(profile, thursday, 14)
    plan.table[["agents"]].rename_axis("timestamp").to_csv(tmp_path / "plan.csv")
    (tmp_path / "rules.yaml").write_text(yaml.safe_dump(_rules(5)))
    assert cli.main(["schedule", "--requirement", str(tmp_path / "plan.csv"), "--rules", str(tmp_path / "rules.yaml"),
                     "--week-start", "MON", "--mip-gap", "0", "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert ("weeks starting THU (weeks counted from the plan's first day, which the weeks of --week-start would "
            "cut)") in out
    weeks = pd.to_datetime(pd.read_csv(tmp_path / "out" / "shifts.csv")["week"]).unique()
    assert list(weeks) == [thursday, thursday + pd.Timedelta("7D")]
    assert f"{_size(plan, 5).paid_hours:,.1f} paid hours" in out


def test_a_roster_over_two_rolling_weeks_asks_for_the_plans_cover_once():
    """wfm.roster_agents on the 14-day plan from a Thursday: the roster's weeks are the plan's (from Thursday),
    it asks for exactly the plan's agent-shifts on each date (not a week's repeated, not twice over), and a 5-day
    agent works at most 5 days in each of them; counted here from the tables."""
    from wfm.roster import roster_agents

    thursday = MONDAY + pd.Timedelta("3D")
    idx = pd.date_range(thursday, periods=14 * 24, freq="1h")
    per_day = np.array([5, 5, 4, 3, 5, 5, 5] * 2)[(idx.normalize() - thursday).days]
    req = pd.Series(np.where((idx.hour >= 8) & (idx.hour < 16), per_day, 0), index=idx)
    plan = schedule_weeks(req, {"shifts": [{"name": "D8", "paid": "8h"}], "week": {"days_per_week": 5}},
                          week_start="MON")
    assert plan.params["rolling_week"]
    agents = pd.DataFrame({"agent": [f"a{k}" for k in range(plan.heads)], "max_days_per_week": 5})
    r = roster_agents(plan, agents, {}, time_limit=20)
    assert r.params["week_start"] == "THU" and r.params["days"] == 14
    asked = r.cover.groupby(pd.DatetimeIndex(r.cover["date"]))["required"].sum()
    sized = plan.shifts.groupby("day")["agents"].sum()
    assert asked[asked > 0].to_dict() == sized.to_dict() and int(r.cover["under"].sum()) == 0
    week = (pd.DatetimeIndex(r.table["date"]) - thursday).days // 7
    assert r.table.groupby([r.table["agent"], week]).size().max() <= 5
