"""The open calendar: inference, overrides, holidays, special days, DST change days, resampling."""

import numpy as np
import pandas as pd
import pytest

from wfm.calendar import future_intervals, holiday_dates, last_full_week, open_calendar, resample
from wfm.datasets import bank_calls


def open_index(start, days, hours=("07:00", "21:00"), freq="30min", weekdays=(0, 1, 2, 3, 4), tz=None):
    """Open intervals on the local clock, built day by day so DST days keep their local hours."""
    stamps = []
    for day in pd.date_range(start, periods=days, freq="D"):
        if day.day_of_week not in weekdays:
            continue
        stamps.append(pd.date_range(day + pd.Timedelta(hours[0] + ":00"), day + pd.Timedelta(hours[1] + ":00"),
                                    freq=freq, inclusive="left"))
    index = stamps[0].append(stamps[1:])
    return index.tz_localize(tz, ambiguous="infer") if tz else index


def test_bank_calendar_is_weekdays_seven_to_nine(bank_30min):
    cal = open_calendar(bank_30min)
    assert cal.open_days == (0, 1, 2, 3, 4)
    assert cal.hours()[["open", "close"]].drop_duplicates().values.tolist() == [["07:00", "21:00"]]
    assert cal.intervals_per_week == 140
    assert len(cal.closed) == 6 and pd.Timestamp("2003-09-01") in cal.closed


def test_partial_day_does_not_shrink_open_hours():
    index = open_index("2024-01-01", 21)
    short_day = (index.normalize() == pd.Timestamp("2024-01-10")) & (index.hour >= 12)
    cal = open_calendar(index[~short_day])
    assert cal.hours().loc["Wed", "close"] == "21:00"


def test_24_7_is_inferred():
    index = pd.date_range("2024-01-01", periods=14 * 48, freq="30min")
    cal = open_calendar(index)
    assert cal.open_days == tuple(range(7)) and cal.intervals_per_week == 7 * 48


def test_overrides():
    index = open_index("2024-01-01", 14)
    cal = open_calendar(index, open_hours=("08:00", "18:00"), open_days=["Mon", "Tue", "Wed", "Thu", "Fri", "Sat"])
    assert cal.hours().loc["Sat"].tolist() == ["08:00", "18:00", 20]
    cal = open_calendar(index, open_hours={"Fri": ("07:00", "12:00")})
    assert cal.hours().loc["Fri", "close"] == "12:00" and cal.hours().loc["Mon", "close"] == "21:00"
    with pytest.raises(ValueError, match="open_hours must close after it opens"):
        open_calendar(index, open_hours=("18:00", "08:00"))
    with pytest.raises(ValueError, match="open_days must name weekdays"):
        open_calendar(index, open_days=["Funday"])


def test_future_intervals_of_the_bank(bank_30min):
    future = future_intervals(bank_30min, days=5)
    assert len(future) == 140 and future[0] == pd.Timestamp("2003-10-27 07:00")
    assert future.name == "timestamp"


def test_holidays_close_days_but_not_ones_the_history_worked(bank_30min):
    future = future_intervals(bank_30min, days=20, holidays="US")
    days = set(future.normalize())
    assert pd.Timestamp("2003-11-11") not in days  # Veterans Day: never seen open
    assert pd.Timestamp("2003-11-27") not in days  # Thanksgiving
    cal = open_calendar(bank_30min, holidays="US")
    assert pd.Timestamp("2003-10-13") not in cal.closed  # Columbus Day: the bank was open


def test_holiday_sources():
    assert holiday_dates(["2024-12-25", "2024-12-26"], "2024-12-01", "2024-12-31").index.day.tolist() == [25, 26]
    assert "Labor Day" in holiday_dates(("US", "NY"), "2024-09-01", "2024-09-30").tolist()
    with pytest.raises(ValueError, match="holidays is not a country the holidays package knows"):
        holiday_dates("XX", "2024-01-01", "2024-12-31")


def test_special_days_closed_partial_and_factor():
    index = open_index("2024-12-02", 21)
    special = {"2024-12-24": ("07:00", "13:00"), "2024-12-25": "closed", "2024-12-26": 0.5}
    future = future_intervals(index, days=4, special_days=special)
    per_day = pd.Series(1, index=future).groupby(future.normalize()).sum()
    assert per_day.to_dict() == {pd.Timestamp("2024-12-23"): 28, pd.Timestamp("2024-12-24"): 12,
                                 pd.Timestamp("2024-12-26"): 28, pd.Timestamp("2024-12-27"): 28}
    cal = open_calendar(index, special_days=special)
    assert cal.factor(pd.DatetimeIndex(["2024-12-26", "2024-12-27"])).tolist() == [0.5, 1.0]
    with pytest.raises(ValueError, match=r"special_days\[2024-12-26\] must be a volume factor >= 0"):
        open_calendar(index, special_days={"2024-12-26": -1})


def test_dst_days_keep_their_local_clock():
    """New York, spring change on Sunday 10 March 2024 and autumn change on Sunday 3 November."""
    index = open_index("2024-02-05", 28, weekdays=range(7), tz="America/New_York")
    future = future_intervals(index, days=14)
    change = future[future.tz_localize(None).normalize() == pd.Timestamp("2024-03-10")]
    assert change[0].strftime("%H:%M") == "07:00" and change[-1].strftime("%H:%M") == "20:30"
    assert change[0].utcoffset() == pd.Timedelta(hours=-4)
    before = future[future.tz_localize(None).normalize() == pd.Timestamp("2024-03-09")]
    assert before[0].utcoffset() == pd.Timedelta(hours=-5) and len(before) == len(change) == 28


def test_dst_days_of_a_24_7_centre_have_23_and_25_hours():
    start = pd.Timestamp("2024-02-26", tz="Europe/London")
    index = pd.date_range(start, start + pd.Timedelta(weeks=3), freq="30min", inclusive="left")
    future = future_intervals(index, days=7 * 36)
    per_day = pd.Series(1, index=future).groupby(future.tz_localize(None).normalize()).sum()
    assert per_day[pd.Timestamp("2024-03-31")] == 46
    assert per_day[pd.Timestamp("2024-10-27")] == 50
    assert per_day[pd.Timestamp("2024-06-01")] == 48


def test_future_start_is_checked(bank_30min):
    with pytest.raises(ValueError, match="start must start after the history ends; got 2003-10-24 20:00"):
        future_intervals(bank_30min, days=1, start="2003-10-24 20:00")
    later = future_intervals(bank_30min, days=1, start="2003-10-29")
    assert later[0] == pd.Timestamp("2003-10-29 07:00") and len(later) == 28
    with pytest.raises(ValueError, match="days must be a whole number >= 1"):
        future_intervals(bank_30min, days=0)


def test_resample_coarser_and_partial_edges():
    five = bank_calls("5min")
    half = resample(five, "30min")
    assert half.equals(bank_calls("30min").astype(float))
    kept = resample(five, "30min", partial="keep")
    assert kept.sum() == five.sum()  # nothing lost: the 21:00 slot stays as a short interval
    scaled = resample(five, "30min", partial="scale")
    last = pd.Timestamp("2003-03-03 21:00")
    assert scaled[last] == pytest.approx(6 * five[last])
    hourly = resample(half, "60min")
    assert hourly.equals(bank_calls("60min").astype(float))


def test_resample_finer_keeps_totals_and_aht():
    idx = pd.date_range("2024-01-01 08:00", periods=4, freq="30min")
    frame = pd.DataFrame({"calls": [10.0, 20, 0, 5], "aht": [300.0, 240, np.nan, 600]}, index=idx)
    fine = resample(frame, "15min")
    assert len(fine) == 8 and fine["calls"].sum() == 35
    assert fine["aht"].iloc[:2].tolist() == [300.0, 300.0]
    back = resample(fine, "30min")
    pd.testing.assert_series_equal(back["calls"], frame["calls"], check_freq=False, check_names=False)
    assert back["aht"].iloc[1] == pytest.approx(240) and np.isnan(back["aht"].iloc[2])
    coarse = resample(frame, "60min")
    assert coarse["aht"].iloc[0] == pytest.approx((10 * 300 + 20 * 240) / 30)


def test_resample_bad_freq():
    idx = pd.date_range("2024-01-01 08:00", periods=4, freq="30min")
    with pytest.raises(ValueError, match="freq must divide a day"):
        resample(pd.Series(1.0, index=idx), 7 * 60 * 60 + 1)
    with pytest.raises(ValueError, match="partial must be one of"):
        resample(pd.Series(1.0, index=idx), "60min", partial="trim")


def test_last_full_week_still_works(bank_30min):
    week = last_full_week(bank_30min)
    assert week.index[0] == pd.Timestamp("2003-10-20 07:00")


def test_week_start_names_and_weeks():
    """week_of by hand: Sat 6, Sun 7 and Mon 8 January 2024 in Sunday, Saturday and Monday weeks."""
    from wfm.calendar import check_week_start, week_of

    assert [check_week_start(x) for x in ("MON", "sun", "Saturday", 3)] == [0, 6, 5, 3]
    idx = pd.DatetimeIndex(["2024-01-06 09:00", "2024-01-07 09:00", "2024-01-08 09:00"], tz="Asia/Jerusalem")
    assert week_of(idx, "SUN").strftime("%Y-%m-%d").tolist() == ["2023-12-31", "2024-01-07", "2024-01-07"]
    assert week_of(idx, "SAT").strftime("%Y-%m-%d").tolist() == ["2024-01-06", "2024-01-06", "2024-01-06"]
    assert week_of(idx).strftime("%Y-%m-%d").tolist() == ["2024-01-01", "2024-01-01", "2024-01-08"]
    with pytest.raises(ValueError, match=r"--week-start must name a weekday.*Did you mean 'SUN'"):
        check_week_start("SUNN", "--week-start")
    with pytest.raises(TypeError, match="week_start"):
        check_week_start(True)


def test_last_full_week_of_a_sunday_to_thursday_centre():
    """Five open days Sunday-Thursday: with Sunday weeks the last full week is Sun 14 - Thu 18 January."""
    index = open_index("2024-01-07", 12, weekdays=(6, 0, 1, 2, 3))  # Sun 7 .. Thu 18 January 2024
    calls = pd.Series(1.0, index=index)
    week = last_full_week(calls, 5, week_start="SUN")
    assert week.index[0] == pd.Timestamp("2024-01-14 07:00") and week.index[-1] == pd.Timestamp("2024-01-18 20:30")
    # Monday weeks cut every Sunday off its week: no Monday week holds five open days until Mon 15 - Sun 21
    monday = last_full_week(calls, 4, week_start="MON")
    assert monday.index[0] == pd.Timestamp("2024-01-15 07:00")


def test_open_days_read_one_way_everywhere(bank_30min):
    """open_calendar, infer_week_start and staffing_plan read open_days with calendar.open_day_names: names in any
    case or 0-6, in weekday order; an empty list is refused naming the option."""
    from wfm.calendar import infer_week_start, open_calendar, open_day_names

    assert open_day_names(["sun", 0, "Tue", 3, "thu"]) == ("Mon", "Tue", "Thu", "Sun")
    assert open_calendar(bank_30min, open_days=["fri", 0, 1, 2, "Thu"]).open_days == (0, 1, 2, 3, 4)
    assert infer_week_start(bank_30min.index[:3], open_days=["Sun", "Mon", "Tue", "Wed", "Thu"]) == "SUN"
    for call in (lambda: open_calendar(bank_30min, open_days=[]), lambda: open_day_names([])):
        with pytest.raises(ValueError, match=r"open_days=\[\] names no weekday"):
            call()
