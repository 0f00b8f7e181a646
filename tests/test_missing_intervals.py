"""
An interval missing inside a day's hours is refused in Python as the CLI refuses it (review30 item 4).

A plan, a requirement or a forecast holds one row per open interval, so a row left out mid-morning was staffed
as closed: 0 agents, with no message (staffing_plan, schedule_weeks, forecast_volume). The one check
(wfm._validation.check_no_holes, which the CLI's table reader calls too) refuses it, naming the argument, the
times and the fix; closures kept the same way every day (whole days, early closing, a lunch, nights) and wfm's
own outputs (Sunday-Thursday and 24/7 forecasts, histories read with missing="closed") pass.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import wfm
from wfm.logs import read_history

EXAMPLES = Path(wfm.__file__).parent / "datasets" / "data" / "examples"
REPORT_COLUMNS = {"date": "Date", "time": "Interval", "calls": "Offered", "answered": "Answered",
                  "abandoned": "Abandoned", "handle_time": "Handle Time (s)", "answered_within": "Answered in 20s"}
SUNDAY = pd.Timestamp("2024-06-23")  # the example report's last week, Sun 23 - Thu 27 June 2024, 08:00-18:00
HOLE = pd.date_range("2024-06-24 10:00", periods=3, freq="30min")  # Monday 10:00-11:30, open every other day


@pytest.fixture(scope="module")
def calls():
    return read_history(EXAMPLES / "interval_report.csv", dayfirst=True, columns=REPORT_COLUMNS)["calls"]


def _refused(name):
    """The message: the argument, the three missing times and both fixes."""
    return (rf"{name}: 3 interval\(s\) missing inside the day's hours: 2024-06-24 10:00, 2024-06-24 10:30, "
            r"2024-06-24 11:00 .*no call, no agent\. If the centre was open \(and quiet\), pass those intervals with 0 "
            r"calls; if it was closed, leave the closure out the same way on every day")


def test_a_forecast_missing_mid_morning_is_refused_at_each_python_step(calls):
    week = calls.loc[SUNDAY:]
    assert HOLE.isin(week.index).all()
    with pytest.raises(ValueError, match=_refused("calls")):
        wfm.staffing_plan(week.drop(HOLE), aht=240, shrinkage=0.3)
    plan = wfm.staffing_plan(week, aht=240, shrinkage=0.3)
    rules = yaml.safe_load((EXAMPLES / "shift_rules.yaml").read_text())
    with pytest.raises(ValueError, match=_refused("requirement")):
        wfm.schedule_weeks(plan.table["agents"].drop(HOLE), rules, time_limit=5)
    band = pd.DataFrame({"forecast": week, "lower": week * 0.9, "upper": week * 1.1})
    with pytest.raises(ValueError, match=_refused("forecast")):
        wfm.staffing_plan_from_forecast(band.drop(HOLE), aht=240)
    with pytest.raises(ValueError, match=_refused("future_index")):
        wfm.forecast_volume(calls.loc[:SUNDAY], week.index.drop(HOLE), method="seasonal_naive")
    with pytest.raises(ValueError, match=_refused("calls")):  # simulated, the hole would be a closed hour
        wfm.simulate(week.drop(HOLE), 240, plan.table["agents"].drop(HOLE), seed=1)
    # the first fix the message offers: the intervals back, with 0 calls (open and quiet) need no agents
    quiet = wfm.staffing_plan(week.where(~week.index.isin(HOLE), 0), aht=240, shrinkage=0.3)
    assert (quiet.table.loc[HOLE, "agents"] == 0).all()
    kept = week.index.difference(HOLE)
    pd.testing.assert_series_equal(quiet.table.loc[kept, "agents"], plan.table.loc[kept, "agents"])


def test_closures_kept_the_same_way_every_day_are_not_holes(calls):
    """A whole day, early closing at a day's end and a lunch closed every day: each interval kept gets the agents of
    the full week (Erlang staffs each interval alone)."""
    week = calls.loc[SUNDAY:]
    full = wfm.staffing_plan(week, aht=240).table["agents"]
    t = week.index
    cuts = {"day": t.normalize() == pd.Timestamp("2024-06-25"),
            "early": (t.normalize() == pd.Timestamp("2024-06-27")) & (t.hour >= 15),
            "lunch": t.hour == 12}
    for name, cut in cuts.items():
        got = wfm.staffing_plan(week[~cut], aht=240).table["agents"]
        assert len(got) == (~cut).sum(), name
        pd.testing.assert_series_equal(got, full[~cut], check_names=False)
    lunch = wfm.staffing_plan(week[~cuts["lunch"]], aht=240, shrinkage=0.3)
    rules = yaml.safe_load((EXAMPLES / "shift_rules.yaml").read_text())
    sched = wfm.schedule_weeks(lunch.table["agents"], rules, time_limit=20, mip_gap=0.05)
    assert (sched.coverage.loc[sched.coverage.index.hour == 12, "required"] == 0).all()


def test_sunday_thursday_forecasts_are_not_refused(calls):
    future = wfm.future_intervals(calls, days=10)  # two weeks: Friday and Saturday closed
    assert set(future.day_name()) == {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday"}
    fc = wfm.forecast_volume(calls, future, method="seasonal_naive")
    plan = wfm.staffing_plan(fc["forecast"], aht=240)
    assert len(plan.table) == len(future) == 10 * 20


@pytest.mark.filterwarnings("ignore:column .Avg Handle Time")  # three short AHTs in the export, not read here
def test_around_the_clock_and_overnight_centres_are_not_refused():
    history = read_history(EXAMPLES / "interval_report_24x7.csv", columns={
        "timestamp": "Interval Start", "calls": "Calls Offered", "answered": "Calls Handled",
        "abandoned": "Abandoned", "aht": "Avg Handle Time (sec)", "answered_within": "Answered within 30s"})["calls"]
    night = history[(history.index.hour >= 20) | (history.index.hour < 6)]  # open 20:00-06:00 every night
    for h in (history, night):
        future = wfm.future_intervals(h, days=3)
        fc = wfm.forecast_volume(h, future, method="seasonal_naive")
        assert len(wfm.staffing_plan(fc["forecast"], aht=300).table) == len(future)
    assert len(wfm.staffing_plan(night, aht=300).table) == len(night) == 28 * 40


@pytest.mark.filterwarnings("ignore:history is too short", "ignore:Mean of empty slice")
def test_a_history_read_with_missing_closed_forecasts_and_backtests(calls, tmp_path):
    # the report with Tuesday 18 June 10:00-10:30 lost, read as read_history(missing="closed") (and wfm forecast
    # --missing closed) reads it: the history wfm intraday's error_history backtests on
    report = pd.read_csv(EXAMPLES / "interval_report.csv", dtype=str)
    lost = (report["Date"] == "18/06/2024") & report["Interval"].isin(["10:00 - 10:30", "10:30 - 11:00"])
    report[~lost].to_csv(tmp_path / "report.csv", index=False)
    with pytest.warns(wfm.logs.DataWarning, match="left out as closed"):
        closed = read_history(tmp_path / "report.csv", dayfirst=True, columns=REPORT_COLUMNS, missing="closed")
    holed = closed["calls"]
    gone = pd.DatetimeIndex(["2024-06-18 10:00", "2024-06-18 10:30"])
    assert len(holed) == len(calls) - 2 and not gone.isin(holed.index).any()
    fc = wfm.forecast_volume(holed, wfm.future_intervals(holed, days=5), method="seasonal_naive")
    assert len(fc) == 5 * 20  # the future has every interval: only the history lost two
    errors = wfm.intraday.error_history(holed, weeks=3)  # a backtest: its futures are the history's timestamps
    june_18 = errors.index.normalize() == pd.Timestamp("2024-06-18")
    assert june_18.sum() == 18 and not gone.isin(errors.index).any()
    assert np.array_equal(errors["actual"].to_numpy(), holed.loc[errors.index].to_numpy())
