"""
The open intervals of many days in one pass (wfm/_calendar_days.py) against the day-by-day loop it replaced.

The reference functions below are the per-day implementations wfm used before (calendar._day_intervals,
calendar._open_intervals_from and OpenCalendar.open_dates), kept verbatim apart from their names: the
vectorised code must give the same timestamps, in the same order, with the same dtype.
"""

import numpy as np
import pandas as pd
import pytest

import wfm
from wfm._calendar_days import day_masks, days_intervals
from wfm.calendar import open_calendar, wall_clock
from wfm.datasets import bank_calls


def _day_intervals_loop(calendar, day, tz):
    mask = calendar.day_slots(day)
    if not mask.any():
        return pd.DatetimeIndex([], tz=tz)
    step = calendar.interval
    if tz is None:
        return day + pd.to_timedelta(np.flatnonzero(mask) * step, unit="s")
    lo = pd.Timestamp(day).tz_localize(tz, ambiguous=True, nonexistent="shift_forward")
    hi = pd.Timestamp(day + pd.Timedelta(days=1)).tz_localize(tz, ambiguous=True, nonexistent="shift_forward")
    stamps = pd.date_range(lo.tz_convert("UTC"), hi.tz_convert("UTC"), freq=pd.Timedelta(seconds=step),
                           inclusive="left").tz_convert(tz)
    wall = stamps.tz_localize(None)
    stamps = stamps[wall.normalize() == day]
    seconds = np.asarray((stamps.tz_localize(None) - day).total_seconds())
    on_grid = np.isclose(seconds % step, 0)
    slot = np.floor(seconds / step).astype(int)
    return stamps[on_grid & mask[np.clip(slot, 0, mask.size - 1)]]


def _open_intervals_loop(calendar, start, days, tz):
    first_day = wall_clock(pd.DatetimeIndex([start]))[0].normalize()
    found = []
    day = first_day
    limit = first_day + pd.Timedelta(days=max(60, 14 * days))
    while len(found) < days and day <= limit:
        stamps = _day_intervals_loop(calendar, day, tz)
        stamps = stamps[stamps >= start]
        if len(stamps):
            found.append(stamps)
        day += pd.Timedelta(days=1)
    if len(found) < days:
        raise ValueError(f"only {len(found)}")
    out = found[0].append(found[1:]) if len(found) > 1 else found[0]
    return pd.DatetimeIndex(out, name="timestamp")


def _concat(parts):
    return parts[0].append(parts[1:]) if len(parts) > 1 else parts[0]


@pytest.fixture(scope="module")
def bank_calendar():
    # the bank's weekdays, US holidays, and one special day of each kind (closed, a factor, own hours)
    return open_calendar(bank_calls("30min"), holidays="US", special_days={
        "2003-11-03": "closed", "2003-11-04": 1.3, "2003-11-05": ("09:00", "13:00"), "2003-11-08": ("10:00", "12:00"),
        "2003-11-06": 0})


def test_bank_days_match_the_day_by_day_loop(bank_calendar):
    days = pd.date_range("2003-02-20", "2004-01-10", freq="D")  # inside and past the record, weekends included
    new = days_intervals(bank_calendar, days, None)
    old = _concat([_day_intervals_loop(bank_calendar, d, None) for d in days])
    pd.testing.assert_index_equal(new, old, exact=True)
    masks = day_masks(bank_calendar, days)
    assert np.array_equal(masks, np.array([bank_calendar.day_slots(d) for d in days]))
    keep = [bool(bank_calendar.day_slots(d).any()) for d in days]
    pd.testing.assert_index_equal(bank_calendar.open_dates(days[0], days[-1]), days[np.asarray(keep)], exact=True)
    # the special days did what they say: closed, open all day, own hours (a Saturday opened)
    assert not masks[days.get_loc("2003-11-03")].any() and not masks[days.get_loc("2003-11-06")].any()
    assert masks[days.get_loc("2003-11-04")].sum() == 28 and masks[days.get_loc("2003-11-05")].sum() == 8
    assert masks[days.get_loc("2003-11-08")].sum() == 4


@pytest.mark.parametrize("days", [1, 5, 40, 300])
def test_future_intervals_match_the_loop(bank_calendar, days):
    history = bank_calls("30min")
    for start in (None, "2003-11-05 10:00", "2003-12-24 20:30"):
        new = wfm.future_intervals(history, days, calendar=bank_calendar, start=start)
        first = pd.Timestamp(start) if start else history.index.max() + pd.Timedelta(minutes=30)
        pd.testing.assert_index_equal(new, _open_intervals_loop(bank_calendar, first, days, None), exact=True)


@pytest.mark.parametrize("tz, step", [("Europe/London", 900), ("America/Santiago", 1800),
                                      ("Australia/Lord_Howe", 3600), ("America/Havana", 1800)])
def test_clock_change_days_match_the_loop(tz, step):
    # a 24/7 centre over two years of clock changes: repeated and skipped hours, midnight changes
    # (Santiago, Havana) and a half-hour change (Lord Howe) on hourly intervals
    index = pd.date_range("2023-01-02", "2023-01-16", freq=f"{step}s", tz=tz, inclusive="left")
    cal = open_calendar(index, open_hours="24h", special_days={"2023-12-25": "closed",
                                                               "2024-04-07": ("00:00", "06:00")})
    days = pd.date_range("2023-01-01", "2024-12-31", freq="D")
    new = days_intervals(cal, days, tz)
    old = _concat([_day_intervals_loop(cal, d, tz) for d in days])
    pd.testing.assert_index_equal(new, old, exact=True)
    start = pd.Timestamp("2023-03-20 05:00", tz=tz)
    pd.testing.assert_index_equal(wfm.future_intervals(index, 400, calendar=cal, start=start),
                                  _open_intervals_loop(cal, start, 400, tz), exact=True)


def test_too_few_open_days_still_raises(bank_calendar):
    cal = open_calendar(bank_calls("30min"), special_days={d: "closed" for d in
                                                          pd.date_range("2003-10-27", "2004-03-01", freq="D")})
    with pytest.raises(ValueError, match=r"days=3: the calendar has only 0 open day\(s\)"):
        wfm.future_intervals(bank_calls("30min"), 3, calendar=cal)
