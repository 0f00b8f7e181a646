"""
The last Monday defaults: wfm.forecast.forecast's backtest origins, wfm.metrics.aggregate and
wfm.calendar.last_full_week read the week from the data, as kpis, backtest and staffing_plan do; and
infer_week_start does not read a week start from the first day of data spanning under a week.

The shipped example centre (wfm/datasets/data/examples/interval_report.csv) opens Sunday to Thursday, Sun 2 -
Thu 27 June 2024. Monday origins put the forecast's in-history backtest at Mon 17 (only one Monday has ten open
days before and five after), so it fell back to origins on any day (Sun 16, Mon 17, ..., Sun 23), each scoring a
"week" made of the end of one week and the start of the next.
"""

from pathlib import Path

import pandas as pd
import pytest

import wfm
from wfm.calendar import infer_week_start, last_full_week
from wfm.metrics import aggregate

EXAMPLES = Path(wfm.__file__).parent / "datasets" / "data" / "examples"


@pytest.fixture(scope="module")
def calls(example_calls):
    """The example interval report's calls (tests/conftest.py): a Sunday-Thursday centre, 2-27 June 2024."""
    return example_calls


def test_forecast_backtests_a_sunday_thursday_centre_on_its_sunday_weeks(calls):
    fc = wfm.forecast.forecast(calls, wfm.future_intervals(calls, days=5))
    assert fc.params["week_start"] == "SUN" and fc.params["week_start_inferred"] is True
    origins = pd.DatetimeIndex(fc.params["backtest_origins"])
    # Sun 16 has ten open days before it (two weeks of training) and Sun 23 the report's last five after it
    assert origins.tolist() == [pd.Timestamp("2024-06-16"), pd.Timestamp("2024-06-23")]
    monday = wfm.forecast.forecast(calls, wfm.future_intervals(calls, days=5), week_start="MON")
    assert monday.params["week_start_inferred"] is False
    assert len(set(pd.DatetimeIndex(monday.params["backtest_origins"]).day_name())) > 1  # any-day origins


def test_last_full_week_of_the_example_is_sunday_to_thursday(calls):
    week = last_full_week(calls)
    assert week.index.normalize().unique().day_name().tolist() == ["Sunday", "Monday", "Tuesday", "Wednesday",
                                                                   "Thursday"]
    assert week.index[0] == pd.Timestamp("2024-06-23 08:00") and week.attrs["week_start"] == "SUN"
    # pandas' own Sunday-Saturday weeks (W-SAT): the week found is one of them, whole
    assert week.index.to_period("W-SAT").nunique() == 1
    assert len(week) == (calls.index.to_period("W-SAT") == week.index[0].to_period("W-SAT")).sum()
    assert last_full_week(calls, week_start="MON").index[0] == pd.Timestamp("2024-06-17 08:00")  # cut: Mon-Thu + Sun


def test_aggregate_weeks_are_the_centre_weeks(calls):
    weeks = aggregate(calls, "week")
    by_pandas = calls.groupby(calls.index.to_period("W-SAT")).sum()  # Sunday-Saturday weeks
    assert weeks.tolist() == by_pandas.astype(float).tolist() and len(weeks) == 4
    assert weeks.index.day_name().unique().tolist() == ["Sunday"] and weeks.attrs["week_start"] == "SUN"
    assert len(aggregate(calls, "week", week_start="MON")) == 5


def _days(first, n):
    return pd.DatetimeIndex([d + pd.Timedelta(hours=h) for d in pd.date_range(first, periods=n, freq="D")
                             for h in (9, 10)])


@pytest.mark.parametrize("first, n, expected", [
    ("2024-06-05", 2, "MON"),   # Wed-Thu: one ISO week, and Wednesday is not evidence of a week start
    ("2024-06-04", 3, "MON"),   # Tue-Thu
    ("2024-06-08", 2, "MON"),   # Sat-Sun: the end of one ISO week
    ("2024-06-02", 5, "SUN"),   # Sun-Thu: Monday weeks would split it, so its first day
    ("2024-06-07", 4, "FRI"),   # Fri-Mon: the same
])
def test_data_under_a_week_is_not_read_from_its_first_day(first, n, expected):
    idx = _days(first, n)
    got = infer_week_start(idx)
    assert got == expected
    assert wfm.calendar.week_of(idx, got).nunique() == 1  # never split in two


def test_open_days_say_the_week_of_short_data():
    wed_thu = _days("2024-06-05", 2)
    sun_thu = ["Sun", "Mon", "Tue", "Wed", "Thu"]
    assert infer_week_start(wed_thu, open_days=sun_thu) == "SUN"
    tagged = pd.Series(1.0, index=wed_thu)
    tagged.attrs["open_days"] = tuple(sun_thu)  # as a Forecast's table and last_full_week carry them
    assert infer_week_start(tagged) == "SUN"
    # callers read the same: a plan and the weekly sums of two days of a Sunday-Thursday centre
    with pytest.warns(UserWarning, match="less than a week"):
        assert wfm.staffing_plan(pd.Series(10.0, index=wed_thu), aht=240).params["week_start"] == "MON"
    assert wfm.staffing_plan(tagged, aht=240).params["week_start"] == "SUN"
    assert aggregate(tagged, "week").attrs["week_start"] == "SUN"
    with pytest.raises(ValueError, match="open_days"):
        infer_week_start(wed_thu, open_days=["Sonday"])
