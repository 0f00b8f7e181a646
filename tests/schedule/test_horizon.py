"""Multi-week scheduling: a horizon sized week by week is the weekly plans joined, with weighted figures."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import wfm
from wfm.calendar import week_of
from wfm.schedule import schedule_week, schedule_weeks

from .test_schedule_week import check_rules_kept

EXAMPLES = Path(wfm.__file__).parent / "datasets" / "data" / "examples"
REPORT_COLUMNS = {"date": "Date", "time": "Interval", "calls": "Offered", "answered": "Answered",
                  "abandoned": "Abandoned", "handle_time": "Handle Time (s)", "answered_within": "Answered in 20s"}
MONDAY = pd.Timestamp("2024-01-01")
GAP = 0.02  # any gap: a week sized inside schedule_weeks and alone is the same deterministic solve
RULES = {
    "shifts": [
        {"name": "D8", "paid": "8h", "breaks": [{"length": "1h", "paid": False, "start_after": ["3h", "4h"]}]},
        {"name": "P4", "paid": "4h", "contract": "part_time", "cost_per_paid_hour": 1.1},
    ],
    "open_hours": {d: ["08:00", "20:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
    "week": {"days_per_week": 5, "same_contract_all_week": False},
}


def _requirement(start, days, seed=0, freq="1h", tz=None):
    """Agents required 08:00-20:00 every day (weekends lighter), seeded; 0 while closed."""
    rng = np.random.default_rng(seed)
    idx = pd.date_range(pd.Timestamp(start).tz_localize(tz), periods=days * 24, freq=freq) if tz is None else \
        pd.date_range(pd.Timestamp(start).tz_localize(tz),
                      (pd.Timestamp(start) + pd.Timedelta(days=days)).tz_localize(tz), freq=freq, inclusive="left")
    wall = idx.tz_localize(None) if tz else idx
    open_ = (wall.hour >= 8) & (wall.hour < 20)
    base = np.where(wall.day_of_week >= 5, 1, 2)
    return pd.Series(np.where(open_, base + rng.integers(0, 2, len(idx)), 0), index=idx)


def _weekly(req, week_start=0, **kw):
    """The weeks of ``req`` sized one at a time with schedule_week (the reference)."""
    labels = week_of(req.index, week_start)
    return [schedule_week(req[np.asarray(labels == lab)], RULES, **kw) for lab in pd.unique(labels)]


def test_two_weeks_equal_two_schedule_week_calls():
    req = _requirement(MONDAY, 14)
    plan = schedule_weeks(req, RULES, mip_gap=GAP)
    one, two = _weekly(req, mip_gap=GAP)
    # the tables are the weekly tables one after the other, with the week's Monday
    shifts = plan.shifts.drop(columns="week")
    pd.testing.assert_frame_equal(shifts, pd.concat([one.shifts, two.shifts], ignore_index=True))
    assert plan.shifts["week"].tolist() == [MONDAY] * len(one.shifts) + [MONDAY + pd.Timedelta("7D")] * len(two.shifts)
    pd.testing.assert_frame_equal(plan.coverage.drop(columns="week"), pd.concat([one.coverage, two.coverage]))
    pd.testing.assert_frame_equal(plan.patterns.drop(columns="week"),
                                  pd.concat([one.patterns, two.patterns], ignore_index=True))
    # figures: sums, the larger headcount, and the gap of the sums
    assert plan.cost == pytest.approx(one.cost + two.cost)
    assert plan.paid_hours == pytest.approx(one.paid_hours + two.paid_hours)
    assert plan.heads == max(one.heads, two.heads)
    assert plan.lower_bound == pytest.approx(one.lower_bound + two.lower_bound)
    objective = one.objective + two.objective
    assert plan.gap == pytest.approx((objective - one.lower_bound - two.lower_bound) / objective)
    assert plan.status == "optimal" and plan.gap <= GAP
    assert plan.weeks["cost"].tolist() == [one.cost, two.cost]
    assert plan.weeks["heads"].tolist() == [one.heads, two.heads]
    assert plan.weeks["start"].tolist() == [req.index[0], req.index[0] + pd.Timedelta("7D")]
    check_rules_kept(one, RULES, req[:168])
    # display and figures-as-data agree
    assert not plan.params["rolling_week"] and plan.params["week_start"] == 0
    shown = plan.summary()["value"]
    assert shown["weeks"] == plan.figures()["weeks"] == 2 and shown["cost"] == plan.figures()["cost"]
    assert plan.efficiency == pytest.approx(req.sum() / plan.coverage["scheduled"].sum())


def test_service_level_is_weighted_by_calls():
    # Week 1 busy, week 2 quiet: the horizon's service level is the calls-weighted mean, which an
    # unweighted mean of the two weekly figures misses.
    idx = pd.date_range(MONDAY, periods=14 * 48, freq="30min")
    open_ = (idx.hour >= 8) & (idx.hour < 20)
    calls = pd.Series(np.where(open_, np.where(idx < MONDAY + pd.Timedelta("7D"), 60.0, 6.0), 0.0), index=idx)
    staffing = wfm.staffing_plan(calls, aht=300, service_level=0.8, threshold=20)
    req = staffing.table["agents"]
    rules = {**RULES, "shifts": [{"name": "D4", "paid": "4h"}], "week": {"days_per_week": [1, 7]}}
    plan = schedule_weeks(req, rules, plan=staffing, mip_gap=0.01)
    weekly = plan.weeks
    assert weekly["calls"].tolist() == pytest.approx([calls[:336].sum(), calls[336:].sum()])
    by_hand = (weekly["service_level"] * weekly["calls"]).sum() / weekly["calls"].sum()
    assert plan.service_level == pytest.approx(by_hand)
    # the same from the intervals: sum of SL x calls over sum of calls
    cov = plan.coverage
    per_interval = (cov["service_level"] * calls.reindex(cov.index, fill_value=0)).sum() / calls.sum()
    assert plan.service_level == pytest.approx(per_interval)
    # and from the Erlang C formula on the scheduled agents, independently of the schedule's own column
    sl = wfm.service_level(calls, 300, 1800, cov["scheduled"].reindex(calls.index, fill_value=0), 20)
    assert plan.service_level == pytest.approx((sl * calls).sum() / calls.sum())
    assert abs(plan.service_level - weekly["service_level"].mean()) > 1e-4
    assert plan.summary().set_index("figure").loc["service level (call-weighted)", "value"] == plan.service_level


def test_week_start_sunday_splits_on_sundays():
    start = pd.Timestamp("2024-01-07")  # a Sunday
    req = _requirement(start, 10)
    plan = schedule_weeks(req, RULES, week_start="SUN", mip_gap=GAP)
    sundays = [start, start + pd.Timedelta("7D")]
    assert plan.weeks["week"].tolist() == sundays and not plan.params["rolling_week"]
    # each week holds only its own days: Sun-Sat, then Sun-Tue
    for week, part in plan.coverage.groupby("week"):
        assert part.index.min() >= week and part.index.max() < week + pd.Timedelta("7D")
    for row in plan.shifts.itertuples():
        assert row.week <= row.day < row.week + pd.Timedelta("7D")
    days = plan.coverage.groupby("week").apply(lambda p: p.index.normalize().nunique())
    assert days.tolist() == [7, 3]
    # the same as sizing the two parts apart, and the same for week_start=6
    parts = _weekly(req, 6, mip_gap=GAP)
    assert plan.weeks["cost"].tolist() == [p.cost for p in parts]
    assert schedule_weeks(req, RULES, week_start=6, mip_gap=GAP).weeks["week"].tolist() == sundays
    # Monday weeks would cut the first week (Sun | Mon-Sun | Mon-Tue): the weeks count from the plan's Sunday
    monday = schedule_weeks(req, RULES, mip_gap=GAP, week_start="MON")
    assert monday.params["rolling_week"] and monday.params["week_start"] == 6
    assert monday.weeks["week"].tolist() == sundays and monday.cost == plan.cost
    # Sunday weeks from a Wednesday: weeks from the Wednesday (Wed-Tue, then Wed-Fri), not Wed-Sat | Sun-Fri
    wednesday = schedule_weeks(_requirement("2024-01-03", 10), RULES, week_start="SUN", mip_gap=GAP)
    assert wednesday.weeks["week"].tolist() == [pd.Timestamp("2024-01-03"), pd.Timestamp("2024-01-10")]
    assert wednesday.params["rolling_week"] and wednesday.params["week_start"] == 2


def test_a_partial_week_is_sized_on_the_days_it_has():
    req = _requirement(MONDAY, 8)
    plan = schedule_weeks(req, RULES, mip_gap=GAP)
    assert len(plan.weeks) == 2
    last = plan.shifts[plan.shifts["week"] == MONDAY + pd.Timedelta("7D")]
    assert (last["day"] == MONDAY + pd.Timedelta("7D")).all()
    # an agent of the one-day week works that day only
    assert set(plan.patterns.loc[plan.patterns["week"] == MONDAY + pd.Timedelta("7D"), "days"]) == {"Mon"}
    alone = schedule_week(req[req.index >= MONDAY + pd.Timedelta("7D")], RULES, mip_gap=GAP)
    assert plan.weeks["cost"].iloc[1] == alone.cost
    np.testing.assert_array_equal(plan.coverage["scheduled"], plan.coverage["scheduled"].clip(lower=req))


def test_open_intervals_only_give_the_plan_of_the_full_grid():
    # a staffing plan holds only open intervals: each week is put back on its grid with 0 while closed
    req = _requirement(MONDAY, 14)
    open_only = req[(req.index.hour >= 8) & (req.index.hour < 20)]
    a = schedule_weeks(open_only, RULES, mip_gap=GAP)
    b = schedule_weeks(req, RULES, mip_gap=GAP)
    assert a.cost == b.cost and a.heads == b.heads
    pd.testing.assert_frame_equal(a.shifts, b.shifts)
    assert a.coverage.index[0] == open_only.index[0] and a.coverage.index[-1] == open_only.index[-1]


def test_schedule_week_takes_a_plans_open_intervals_as_schedule_weeks_does():
    """Review30 item 20: schedule_week refused a staffing plan's agents (closed nights absent) that schedule_weeks
    accepts. Both now fill the closed intervals with 0 the same way (schedule.grid.fill_closed): one week alone
    gives the plan of the full grid and that of schedule_weeks."""
    req = _requirement(MONDAY, 7)
    open_only = req[(req.index.hour >= 8) & (req.index.hour < 20)]
    alone = schedule_week(open_only, RULES, mip_gap=GAP)
    full = schedule_week(req, RULES, mip_gap=GAP)
    weeks = schedule_weeks(open_only, RULES, week_start="MON", mip_gap=GAP)
    for other in (full, weeks):
        assert alone.cost == other.cost and alone.heads == other.heads
        pd.testing.assert_frame_equal(alone.shifts, other.shifts.drop(columns="week", errors="ignore"))
    pd.testing.assert_frame_equal(alone.coverage, weeks.coverage.drop(columns="week"))
    assert alone.coverage.index[0] == open_only.index[0] and alone.coverage.index[-1] == open_only.index[-1]
    assert (alone.coverage.loc[~alone.coverage.index.isin(open_only.index), ["required", "scheduled"]] == 0).all(axis=None)
    # a staffing plan's own table, on the example report's last week (Sunday-Thursday 08:00-18:00, nights absent)
    calls = wfm.logs.read_history(EXAMPLES / "interval_report.csv", dayfirst=True, columns=REPORT_COLUMNS)["calls"]
    staffing = wfm.staffing_plan(calls.loc["2024-06-23":] * 0.2, aht=240,
                                 open_days=["Sun", "Mon", "Tue", "Wed", "Thu"])
    rules = {"shifts": [{"name": "D8", "paid": "8h"}, {"name": "P4", "paid": "4h", "contract": "part_time"}],
             "week": {"days_per_week": [1, 5], "same_contract_all_week": False}}
    one = schedule_week(staffing.table["agents"], rules, plan=staffing, mip_gap=GAP)
    assert one.cost == schedule_weeks(staffing.table["agents"], rules, plan=staffing, mip_gap=GAP).cost
    assert (one.coverage["under"] == 0).all() and one.figures()["calls"] == pytest.approx(staffing.table["calls"].sum())


def test_weeks_across_the_clock_change_follow_the_local_calendar():
    # London, two weeks from Monday 2024-03-25: the clocks go forward on Sunday 31 March
    req = _requirement("2024-03-25", 14, tz="Europe/London")
    plan = schedule_weeks(req, RULES, mip_gap=0.01)
    assert [str(w) for w in plan.weeks["week"]] == ["2024-03-25 00:00:00+00:00", "2024-04-01 00:00:00+01:00"]
    assert plan.coverage.index.equals(req.index)
    assert (plan.coverage["under"] == 0).all()
    wall = plan.shifts["start"].dt.tz_localize(None)
    assert (wall.dt.hour >= 8).all() and (plan.shifts["end"].dt.tz_localize(None).dt.hour <= 20).all()


def test_an_executor_gives_the_same_plan():
    req = _requirement(MONDAY, 14, seed=3)
    with ThreadPoolExecutor(2) as pool:
        a = schedule_weeks(req, RULES, mip_gap=GAP, executor=pool)
    b = schedule_weeks(req, RULES, mip_gap=GAP)
    pd.testing.assert_frame_equal(a.shifts, b.shifts)
    assert a.cost == b.cost


def test_an_error_names_the_week():
    req = _requirement(MONDAY, 14)
    req[MONDAY + pd.Timedelta("8D 12h")] = 40  # week 2 needs far more agents than allowed
    with pytest.raises(ValueError, match=r"week starting 2024-01-08: .*max_heads"):
        schedule_weeks(req, {**RULES, "max_heads": 30})


@pytest.mark.parametrize("value,error,match", [
    ("FUNDAY", ValueError, r"week_start must name a weekday, 'MON' to 'SUN'; got 'FUNDAY'"),
    (7, ValueError, r"week_start must name weekdays"),
    (-1, ValueError, r"week_start must name weekdays"),
    (True, TypeError, r"week_start must name a weekday"),
    (1.0, TypeError, r"week_start must name a weekday"),
])
def test_bad_week_start(value, error, match):
    with pytest.raises(error, match=match):
        schedule_weeks(_requirement(MONDAY, 7), RULES, week_start=value)


def test_bad_horizon():
    req = _requirement(MONDAY, 7)
    shifted = req.copy()
    shifted.index = shifted.index.where(np.arange(len(req)) != 5, shifted.index[5] + pd.Timedelta("20min"))
    with pytest.raises(ValueError, match=r"requirement must be on one grid of 1h intervals.*positions \[5\]"):
        schedule_weeks(shifted, RULES, interval=3600)
    with pytest.raises(ValueError, match=r"requirement must hold at least one interval"):
        schedule_weeks(req[:0], RULES)
    with pytest.raises(TypeError, match=r"requirement must be a Series"):
        schedule_weeks(req.to_frame(), RULES)
    with pytest.raises(ValueError, match=r"requirement must be >= 0 agents"):
        schedule_weeks(req - 5, RULES)


def test_a_week_of_one_interval():
    # a full grid of 7 days and one more interval: the last week holds Monday 00:00 only (closed)
    req = _requirement(MONDAY, 7)
    req = pd.concat([req, pd.Series([0], index=[MONDAY + pd.Timedelta("7D")])])
    plan = schedule_weeks(req, RULES, mip_gap=GAP)
    assert len(plan.weeks) == 2 and plan.weeks["cost"].iloc[1] == 0 and plan.weeks["heads"].iloc[1] == 0
    assert plan.cost == schedule_week(req[:-1], RULES, mip_gap=GAP).cost
    assert not plan.coverage.index.duplicated().any()
    # a horizon starting at Sunday 23:00, in Monday weeks: the weeks count from that Sunday (Monday weeks would
    # cut it), the first week from 23:00 (no padding), the second holding Sunday 14 and Monday 15
    start = MONDAY + pd.Timedelta("6D 23h")
    late = pd.Series(0, index=pd.date_range(start, periods=8 * 24 + 1, freq="1h"))
    late[(late.index.hour >= 8) & (late.index.hour < 20)] = 2
    plan = schedule_weeks(late, RULES, week_start="MON", mip_gap=GAP)
    assert plan.params["rolling_week"]
    assert plan.weeks["week"].tolist() == [MONDAY + pd.Timedelta(f"{d}D") for d in (6, 13)]
    assert not plan.coverage.index.duplicated().any() and plan.coverage.index[0] == start
    assert (plan.coverage["under"] == 0).all()
    # a last week holding one interval, its own last (Saturday 23:00 of the second rolling week; the days between
    # closed): padded backwards (not into a third week)
    sunday = MONDAY + pd.Timedelta("6D")
    open_ = _requirement(sunday, 7)
    open_ = open_[(open_.index.hour >= 8) & (open_.index.hour < 20)]
    tail = pd.Series([0], index=[sunday + pd.Timedelta("13D 23h")])
    plan = schedule_weeks(pd.concat([open_, tail]), RULES, week_start="MON", mip_gap=GAP)
    assert plan.weeks["week"].tolist() == [sunday, sunday + pd.Timedelta("7D")] and plan.weeks["cost"].iloc[1] == 0
    assert plan.coverage.index[-2:].tolist() == [tail.index[0] - pd.Timedelta("1h"), tail.index[0]]


def _monsat_plan(start, days):
    """A Mon-Sat centre open 08:00-18:00 (Sunday closed), the calls of each weekday and hour the same whatever the
    horizon's first day (seeded), staffed on Mon-Sat weeks."""
    rng = np.random.default_rng(5)
    profile = rng.integers(20, 60, size=(7, 24)).astype(float)  # calls per hour, by weekday and hour
    idx = pd.date_range(start, periods=days * 24, freq="1h")
    idx = idx[(idx.hour >= 8) & (idx.hour < 18) & (idx.day_of_week < 6)]
    calls = pd.Series(profile[idx.day_of_week, idx.hour], index=idx)
    return wfm.staffing_plan(calls, aht=300, open_days=["Mon", "Tue", "Wed", "Thu", "Fri", "Sat"])


def test_a_cut_plan_of_7_days_is_one_rolling_week():
    """Review33 item 2: a 7-day plan from a Thursday on Monday weeks was sized as two partial weeks (Thu-Sat, Mon-Wed),
    each with the whole days_per_week, so every head worked 6 days in the 7 under a 5-day contract and the FTE to
    employ depended on the weekday the history ended on. Sized as one rolling week Thu-Wed instead, it is the
    Mon-Sat week's problem turned round: the same demand per weekday, the same patterns (days off one cyclic run),
    so the same optimal paid hours and FTE to employ; and no head works more than 5 of the 7 days."""
    rules = {"shifts": [{"name": "FT8", "paid": "8h", "breaks": [{"length": "1h", "paid": False,
                                                                    "start_after": ["3h", "5h"]}]},
                        {"name": "PT4", "paid": "4h", "contract": "part_time"}],
             "open_hours": {d: ["08:00", "18:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat")},
             "week": {"days_per_week": 5, "part_time_share": [0, 0.4]}}
    whole, cut = _monsat_plan(MONDAY, 7), _monsat_plan(MONDAY + pd.Timedelta("3D"), 7)  # Mon-Sun, Thu-Wed
    figures = []
    for plan in (whole, cut):
        schedule = schedule_weeks(plan.table["agents"], rules, plan=plan, week_start="MON", mip_gap=0)
        assert schedule.status == "optimal" and (schedule.coverage["under"] == 0).all()
        # agent-days at most days_per_week per head: each head's pattern is 5 days of the plan's 7
        agent_days = schedule.patterns["agents"] @ schedule.patterns["days"].str.split().str.len()
        assert agent_days == schedule.shifts["agents"].sum() <= 5 * schedule.heads
        figures.append((schedule.paid_hours, wfm.plan_headline(plan, schedule).figures()["fte"], schedule))
    (paid_w, fte_w, _), (paid_c, fte_c, cut_schedule) = figures
    assert cut_schedule.params["rolling_week"] and cut_schedule.weeks["week"].tolist() == [MONDAY + pd.Timedelta("3D")]
    assert paid_c == paid_w and fte_c == pytest.approx(fte_w, rel=1e-12)
