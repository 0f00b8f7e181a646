"""Error messages name the argument, the positions and what was expected (STYLE.md section 4)."""

import numpy as np
import pandas as pd
import pytest

import wfm
from wfm import _validation as v


@pytest.fixture
def day():
    """Half-hour index of one open day. Function scope: tests may mutate what they build on it."""
    return pd.date_range("2003-03-05 07:00", periods=28, freq="30min")


def test_message_names_positions_and_timestamps(day):
    aht = pd.Series(300.0, index=day)
    aht.iloc[[4, 5]] = 0.0
    with pytest.raises(ValueError) as err:
        wfm.service_level(pd.Series(100.0, index=day), aht, None, 20, 20)
    msg = str(err.value)
    assert "aht must be > 0 seconds" in msg
    assert "at 2 of 28 intervals, positions [4, 5]" in msg
    assert "2003-03-05 09:00, 2003-03-05 09:30" in msg


def test_percent_target_gets_a_hint():
    with pytest.raises(ValueError, match=r"service_level must be a fraction in \(0, 1\].*Did you mean 0.80"):
        wfm.required_agents(100, 180, 1800, 80, 20)


def test_misaligned_series_name_the_first_missing_timestamp(day):
    calls = pd.Series(100.0, index=day)
    aht = pd.Series(300.0, index=day[:-1])
    with pytest.raises(ValueError, match="calls and aht do not align.*28 intervals.*27.*2003-03-05 20:30"):
        wfm.required_agents(calls, aht, None, 0.8, 20)


@pytest.mark.parametrize("call", ["simulate", "required_agents", "wape"])
@pytest.mark.parametrize("zones, fix", [
    (("UTC", None), 'agents = agents.tz_localize("UTC")'),
    ((None, "Europe/London"), 'calls = calls.tz_localize("Europe/London")'),
    (("UTC", "Europe/London"), 'agents = agents.tz_convert("UTC")'),
])
def test_series_on_different_clocks_are_named_as_such(day, call, zones, fix):
    """Review30 item 16: naive against tz-aware (or two zones) showed one timestamp as missing from both sides,
    or, for the same instants in two zones, "the same timestamps repeat a different number of times"."""
    idx_a, idx_b = (day if tz is None else day.tz_localize("UTC").tz_convert(tz) for tz in zones)
    calls, agents = pd.Series(20.0, index=idx_a), pd.Series(5, index=idx_b)
    names = {"simulate": ("calls", "agents"), "required_agents": ("calls", "aht"), "wape": ("actual", "forecast")}
    a, b = names[call]
    states = ["naive (no time zone)" if tz is None else f"in time zone {tz}" for tz in zones]
    with pytest.raises(ValueError) as err:
        if call == "simulate":
            wfm.simulate(calls, 240, agents, seed=1)
        elif call == "required_agents":
            wfm.required_agents(calls, agents * 60.0, None, 0.8, 20)
        else:
            wfm.metrics.wape(calls, agents)
    msg = str(err.value)
    assert f"{a} is {states[0]} and {b} is {states[1]}" in msg
    assert fix.replace("agents", b).replace("calls", a) in msg
    assert "missing from" not in msg and "repeat" not in msg


def test_mismatched_array_lengths():
    with pytest.raises(ValueError, match="calls has shape \\(3,\\), aht has shape \\(2,\\)"):
        wfm.required_agents([1, 2, 3], [300, 300], 1800, 0.8, 20)


def test_non_numeric_values_are_named(day):
    calls = pd.Series(["10", "x", "12"], index=day[:3])
    with pytest.raises(TypeError, match="calls must be numeric.*'x'.*positions \\[1\\].*07:30"):
        wfm.required_agents(calls, 300, 1800, 0.8, 20)


def test_interval_inferred_over_closed_nights(bank_30min):
    # the most common step is 30 minutes even though nights and weekends leave gaps
    assert v.infer_interval(bank_30min.index) == 1800.0


def test_interval_that_cannot_be_inferred():
    irregular = pd.DatetimeIndex(["2024-01-01 00:00", "2024-01-01 00:30", "2024-01-01 00:40",
                                  "2024-01-01 01:10", "2024-01-01 01:40"])
    with pytest.raises(ValueError, match="interval cannot be inferred"):
        wfm.required_agents(pd.Series(10.0, index=irregular), 300, None, 0.8, 20)
    with pytest.raises(ValueError, match="interval is required"):
        wfm.service_level([10.0], 300, None, 5, 20)


def test_every_inference_of_the_interval_is_the_same_one(bank_30min):
    """The calendar, the AHT forecast, the capacity profile and the staffing functions infer the interval
    through v.infer_interval: the same length on the bank, and the same error, naming where, on a history
    with a stray timestamp 10 minutes into a 30-minute grid (the calendar used to take the most common
    step there and carry on)."""
    from wfm.calendar import open_calendar
    from wfm.capacity.demand import week_profile
    from wfm.forecast.aht import forecast_aht

    assert open_calendar(bank_30min).interval == 1800.0
    assert week_profile(bank_30min).attrs["interval"] == 1800.0
    day = pd.date_range("2024-01-01 08:00", periods=8, freq="30min")
    stray = day.insert(3, pd.Timestamp("2024-01-01 09:10"))
    calls = pd.Series(10.0, index=stray)
    expected = "interval cannot be inferred.*most common step is 0 days 00:30:00.*only 0 days 00:10:00 apart"
    where = r"at 2 of 9 intervals, positions \[3, 4\] \(2024-01-01 09:10, 2024-01-01 09:30\)"
    with pytest.raises(ValueError, match=expected + ".*" + where):
        v.infer_interval(stray, "calls")
    with pytest.raises(ValueError, match=expected):
        open_calendar(calls)
    with pytest.raises(ValueError, match=expected):
        week_profile(calls)
    with pytest.raises(ValueError, match=expected):
        forecast_aht(pd.Series(300.0, index=stray), pd.date_range("2024-01-02 08:00", periods=4, freq="30min"))
    with pytest.raises(ValueError, match=expected):
        wfm.required_agents(calls, 300, None, 0.8, 20)


def test_unsatisfiable_intervals_are_named(day):
    calls = pd.Series(0.0, index=day)
    calls.iloc[3] = 50
    with pytest.raises(ValueError, match="no staffing can meet.*positions \\[3\\].*08:30.*service_level"):
        wfm.required_agents(calls, 300, None, 1.0, 20)
    with pytest.raises(ValueError, match="max_asa"):
        wfm.required_agents(calls, 300, None, max_asa=0)


def test_scalars_arrays_series_round_trip(day):
    assert isinstance(wfm.service_level(100, 180, 1800, 14, 20), float)
    assert isinstance(wfm.required_agents(100, 180, 1800, 0.8, 20), int)
    arr = wfm.required_agents(np.array([100.0, 200.0]), 180, 1800, 0.8, 20)
    assert isinstance(arr, np.ndarray) and arr.dtype.kind == "i"
    ser = wfm.required_agents(pd.Series(100.0, index=day), 180, None, 0.8, 20)
    assert isinstance(ser, pd.Series) and ser.index.equals(day) and (ser == 14).all()


def _holes_by_hand(index, step):
    """holes_inside_days by a loop over days: each day's grid from its first to its last start, less its starts,
    kept where the time of day is one another day has (wall clock; the grid in absolute time)."""
    wall = index.tz_localize(None) if index.tz is not None else index
    seen = set(wall.time)
    found = []
    for day in sorted(set(wall.date)):
        mine = index[wall.date == day]
        grid = pd.date_range(mine[0], mine[-1], freq=pd.Timedelta(seconds=step))
        for t in grid.difference(mine):
            local = t.tz_localize(None) if t.tz is not None else t
            if local.time() in seen:
                found.append(t)
    return found


@pytest.mark.parametrize("tz", [None, "Europe/London"])
def test_holes_inside_days_agree_with_a_loop_over_days(tz):
    """Random open hours per weekday, a random lunch closure, random rows deleted, over the March clock change."""
    from hypothesis import given, settings, strategies as st

    full = pd.date_range("2024-03-25", "2024-04-05 23:45", freq="15min", tz=tz)

    @settings(max_examples=40, deadline=None, derandomize=True)
    @given(st.lists(st.tuples(st.integers(0, 40), st.integers(56, 95)), min_size=7, max_size=7),
           st.integers(0, 95), st.lists(st.integers(0, len(full) - 1), max_size=12), st.booleans())
    def check(hours, lunch, deleted, drop_day):
        wall = full.tz_localize(None) if tz else full
        slot = (wall.hour * 4 + wall.minute // 15).to_numpy()
        lo = np.array([h[0] for h in hours])[wall.day_of_week]
        hi = np.array([h[1] for h in hours])[wall.day_of_week]
        keep = (slot >= lo) & (slot <= hi) & (slot != lunch)
        keep[np.array(deleted, dtype=int)] = False
        if drop_day:
            keep &= wall.date != wall[200].date()
        index = full[keep]
        got = v.holes_inside_days(index, 900)
        assert [t.value for t in got] == [t.value for t in _holes_by_hand(index, 900)]
        assert set(got.asi8) <= set(pd.DatetimeIndex(full[np.array(deleted, dtype=int)]).as_unit("ns").asi8)

    check()


def test_aht_column_in_minutes_is_refused_from_nine_rows_in_ten():
    seconds = np.full(10, 240.0)
    nine = seconds.copy()
    nine[:9] = 4.0
    with pytest.raises(ValueError, match=r"column 'aht' holds handle times under 20 s in 9 of 10 rows \(values 4\)"):
        v.check_aht_column(nine, "column 'aht'")
    eight = seconds.copy()
    eight[:8] = 4.0
    with pytest.warns(v.UnitWarning, match=r"aht of 4 s is implausible"):
        assert v.check_aht_column(eight, "aht") is not None
    assert v.check_aht_column(np.r_[seconds, np.nan], "aht") is None


def test_aht_column_in_milliseconds_is_refused_from_nine_rows_in_ten():
    """Over 2 h in 9 rows of 10, and 20 s to 2 h once divided by 1000: milliseconds, refused with the conversion.
    8 of 10 stay outliers (warned), as 9 over 2 h that are no AHT in milliseconds either (20,000 s once divided)."""
    seconds = np.full(10, 240.0)
    nine = seconds.copy()
    nine[:9] = 245000.0
    with pytest.raises(ValueError, match=r"column 'aht' holds handle times over 2 h in 9 of 10 rows \(values 245000\)"
                                         r": longer than any contact.*looks like milliseconds, divide by 1000 "
                                         r"\(245000 ms is 245 s\)"):
        v.check_aht_column(nine, "column 'aht'")
    eight = seconds.copy()
    eight[:8] = 245000.0
    with pytest.warns(v.UnitWarning, match=r"aht of 245000 s is implausible"):
        assert v.check_aht_column(eight, "aht") is not None
    huge = seconds.copy()
    huge[:9] = 2e7
    with pytest.warns(v.UnitWarning, match=r"aht of 2e\+07 s is implausible"):
        assert v.check_aht_column(huge, "aht") is not None



def test_a_bare_number_as_a_shift_length_gets_the_likely_unit():
    """Review item 19: {"paid": 480} was hinted '480h' (20 days). The hint now names the unit a number of that
    size most likely is, and its suggestion parses back to that length."""
    import re

    import pandas as pd

    from wfm.schedule.shifts import schedule_rules

    cases = {480: ("minutes", pd.Timedelta(hours=8)), 8: ("hours", pd.Timedelta(hours=8)),
             7.5: ("hours", pd.Timedelta(hours=7, minutes=30)), 15: ("minutes", pd.Timedelta(minutes=15)),
             28800: ("seconds", pd.Timedelta(hours=8))}
    for value, (unit, length) in cases.items():
        with pytest.raises(TypeError, match=rf"D8'\).paid .* most likely means {unit}") as err:
            schedule_rules({"shifts": [{"name": "D8", "paid": value}]})
        suggested = re.search(r"means \w+: '([^']+)'", str(err.value)).group(1)
        assert pd.Timedelta(suggested) == length


def test_rows_error_names_the_values_of_the_rows_by_position_whatever_holds_them():
    """The values shown are those of the flagged positions for a Series with its own labels, an index, an array,
    timestamps (tz-aware too) and a list: only those rows are taken, not the whole column turned into objects."""
    mask = [False, True, False, True]
    stamps = pd.date_range("2024-03-04 09:00", periods=4, freq="h", tz="Europe/London")
    for values, shown in ((pd.Series([5.0, 6.0, 7.0, 8.0], index=[40, 30, 20, 10]), "6.0, 8.0"),
                          (np.array([5, 6, 7, 8]), "6, 8"), (["a", "b", "c", "d"], "'b', 'd'"),
                          (stamps, "'2024-03-04 10:00', '2024-03-04 12:00'"),
                          (stamps.array, "'2024-03-04 10:00', '2024-03-04 12:00'"),
                          (np.array([[1, 2], [3, 4]]), "2, 4")):
        assert f"rows [1, 3] (values {shown})" in str(v.rows_error("x", "is bad", mask, values=values)), values
