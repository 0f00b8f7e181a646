"""Times on two clocks (naive against a time zone, or two zones) get one message at every boundary that meets them.

Each test triggers the mistake where a user makes it, checks that the message (wfm._clock_checks.mixed_clocks)
names both inputs, both clocks and the fix that applies to that input, then applies the fix as the message words it
and checks that the call goes through: a fix that does not work for that input fails the test. The command line's
two messages (wfm evaluate, wfm intraday) are checked in test_cli_timestamps.py and intraday/test_guards.py, the
channel plans' in scenario/test_channels_section.py.
"""

import re
import warnings

import numpy as np
import pandas as pd
import pytest

import wfm
from wfm import _validation as v
from wfm.channels import deferred_staffing
from wfm.evaluate import adherence, kpis, read_schedule
from wfm.intraday import activities_until, reforecast
from wfm.intraday._checks import check_now
from wfm.logs import DataWarning
from wfm.logs.intervals import interval_history

CLOCKS = "; their times are on different clocks"
DAY = pd.Timestamp("2024-03-04")


def t(hm, day=DAY):
    return day + pd.Timedelta(hm + ":00")


@pytest.fixture(scope="module")
def toy():
    """Ten past days and today, 20 half-hours from 07:00, Poisson around one profile (seeded, synthetic)."""
    rng = np.random.default_rng(7)
    f = 100 + 50 * np.sin(np.linspace(0, np.pi, 20))
    days = pd.date_range("2024-03-04", periods=11, freq="D")
    grid = [pd.date_range(t("07:00", d), periods=20, freq="30min") for d in days]
    history = pd.concat([pd.DataFrame({"forecast": f, "actual": rng.poisson(f).astype(float)}, index=g)
                         for g in grid[:10]])
    today = pd.DataFrame({"forecast": f}, index=grid[10])
    actual = pd.Series(np.round(f[:6] * 1.2), index=grid[10][:6])
    return history, today, actual


@pytest.fixture(scope="module")
def shifts():
    """Two agents' shifts on DAY (agent, name, start, end, breaks), as wfm.intraday takes a schedule."""
    return pd.DataFrame([dict(agent=a, name="FT8", start=t(s), end=t(s) + pd.Timedelta("8h30min"),
                              breaks=[(t(b), t(b) + pd.Timedelta("15min"), True)])
                         for a, s, b in (("a0", "07:00", "09:00"), ("a1", "08:00", "10:30"))])


@pytest.fixture
def floor():
    """Agent A's states and schedule of 2024-01-01 and two contacts (as tests/evaluate/test_kpi.py's floor)."""
    day = pd.Timestamp("2024-01-01")
    schedule = pd.DataFrame([("A", "work", "09:00", "10:00"), ("A", "break", "10:00", "10:15"),
                             ("A", "work", "10:15", "12:00"), ("B", "work", "09:00", "12:00")],
                            columns=["agent", "activity", "start", "end"])
    states = pd.DataFrame([("A", "idle", "09:00", "09:30"), ("A", "on_contact", "09:30", "09:50"),
                           ("A", "idle", "09:50", "10:00"), ("A", "break", "10:00", "10:20"),
                           ("A", "on_contact", "10:20", "12:00")], columns=["agent", "state", "start", "end"])
    for frame in (schedule, states):
        for col in ("start", "end"):
            frame[col] = frame[col].map(lambda hm: t(hm, day))
    contacts = pd.DataFrame({"arrival": [t("09:30", day), t("10:20", day)], "answer": [t("09:30", day),
                             t("10:20", day)], "agent": ["A", "A"], "handle": [1200.0, 900.0]})
    return schedule, states, contacts


def _message(call):
    with pytest.raises(ValueError) as err:
        call()
    return str(err.value)


def test_mixed_clocks_names_both_sides_both_clocks_and_the_fix():
    utc = pd.Timestamp("2024-01-01", tz="UTC").tz
    text = v.mixed_clocks("actual", None, "forecast", utc, "FIX", why=", so WHY")
    assert text == ("actual is naive (no time zone) and forecast is in time zone UTC; their times are on different "
                    "clocks, so WHY. Use one clock: FIX.")
    assert v.mixed_clocks("a and b", "written with UTC offsets", "c", None, "FIX", plural=(True, False)).startswith(
        "a and b are written with UTC offsets and c is naive")


def test_series_on_two_clocks_name_both_and_the_fix_works():
    """_validation.check_aligned (wfm.metrics), two zones: tz_convert, as the message says."""
    idx = pd.date_range("2024-03-04 08:00", periods=4, freq="30min")
    actual = pd.Series([10.0, 12, 9, 11], idx.tz_localize("UTC"))
    forecast = pd.Series([11.0, 11, 10, 10], idx.tz_localize("UTC").tz_convert("Europe/Paris"))
    text = _message(lambda: wfm.metrics.wape(actual, forecast))
    assert text.startswith("actual and forecast do not align: actual is in time zone UTC and forecast is in time "
                           "zone Europe/Paris" + CLOCKS)
    assert 'forecast = forecast.tz_convert("UTC")' in text
    fixed = forecast.tz_convert("UTC")
    assert wfm.metrics.wape(actual, fixed) == pytest.approx(4 / 42)  # |1| + |1| + |1| + |1| over 42 calls


def test_deferred_flags_naive_beside_zoned_items_and_the_fix_works():
    """channels.deferred: open_intervals without a zone beside items in UTC; tz_localize it, as the message says."""
    idx = pd.date_range("2024-01-01", periods=48, freq="30min")
    items = pd.Series(5.0, idx.tz_localize("UTC"))
    is_open = pd.Series((idx.hour >= 8) & (idx.hour < 18), idx)
    text = _message(lambda: deferred_staffing(items, 600, is_open, deadline=86400))
    assert "items is in time zone UTC and open_intervals is naive (no time zone)" + CLOCKS in text
    assert 'open_intervals = open_intervals.tz_localize("UTC") if its times are UTC times' in text
    plan = deferred_staffing(items, 600, is_open.tz_localize("UTC"), deadline=86400).table
    assert (plan["agents"][~is_open.to_numpy()] == 0).all() and plan["agents"].max() > 0


def test_actual_beside_a_zoned_forecast_and_the_fix_works(toy):
    """intraday check_actual (_validation.check_same_clock): a naive Series against the forecast's zone."""
    history, today, actual = toy
    zone = "America/New_York"
    text = _message(lambda: reforecast(today.tz_localize(zone), actual, history.tz_localize(zone), method="ratio"))
    assert f"actual is naive (no time zone) and forecast is in time zone {zone}" + CLOCKS in text
    assert f'actual = actual.tz_localize("{zone}") if its times are {zone} times' in text
    rf = reforecast(today.tz_localize(zone), actual.tz_localize(zone), history.tz_localize(zone), method="ratio")
    assert rf.table["observed"].sum() == 6


def test_history_with_a_timestamp_column_gets_the_column_fix(toy):
    """intraday check_history: a history given with a 'timestamp' column is fixed in that column, not its index."""
    history, today, actual = toy
    zone = "America/New_York"
    table = history.rename_axis("timestamp").reset_index()
    args = (today.tz_localize(zone), actual.tz_localize(zone))
    text = _message(lambda: reforecast(*args, table, method="ratio"))
    assert f"history['timestamp'] is naive (no time zone) and forecast is in time zone {zone}" + CLOCKS in text
    assert f"history['timestamp'] = history['timestamp'].dt.tz_localize(\"{zone}\")" in text
    table["timestamp"] = table["timestamp"].dt.tz_localize(zone)
    assert reforecast(*args, table, method="ratio").table["observed"].sum() == 6


def test_now_on_another_clock_names_both_and_the_fix_works(shifts, toy):
    """intraday check_now, both ways: the values of now the message gives are taken by the call."""
    text = _message(lambda: activities_until(shifts, t("10:00").tz_localize("UTC")))
    assert "now (2024-03-04 10:00:00+00:00) is in time zone UTC and schedule is naive (no time zone)" + CLOCKS in text
    said = re.search(r"now='([^']+)' if that is schedule's local time", text).group(1)
    assert activities_until(shifts, said).equals(activities_until(shifts, t("10:00")))
    history, today, actual = toy
    zone = "Europe/London"
    aware = [x.tz_localize(zone) for x in (today, actual, history)]
    now = actual.index[-1] + pd.Timedelta("30min")
    text = _message(lambda: reforecast(*aware, now=now, method="ratio"))
    assert f"now ({now}) is naive (no time zone) and forecast is in time zone {zone}" + CLOCKS in text
    said = re.search(r"give now in Europe/London, e\.g\. now='([^']+)'", text).group(1)
    assert reforecast(*aware, now=said, method="ratio").table["observed"].sum() == 6


def test_now_from_the_command_line_is_named_as_the_flag():
    """The CLI registers --now (option_names): the fix names the flag with a value it parses."""
    grid = pd.date_range("2024-03-14 07:00", periods=4, freq="30min", tz="America/New_York")
    with v.option_names({"now": lambda value: f"--now '{value}'"}):
        text = _message(lambda: check_now("2024-03-14 10:00", grid, "forecast"))
    assert "give now in America/New_York, e.g. --now '2024-03-14 10:00-04:00'" in text  # EDT since 10 March
    assert check_now("2024-03-14 10:00-04:00", grid, "forecast") == pd.Timestamp("2024-03-14 10:00", tz=grid.tz)


def test_a_zoned_future_index_beside_a_naive_history_and_the_fix_works():
    """_validation.check_future_index: wfm.future_intervals keeps the history's clock."""
    calls = wfm.datasets.bank_calls("30min")
    calls = calls[calls.index < calls.index[0].normalize() + pd.Timedelta(days=21)]  # three weeks: a backtest
    future = wfm.future_intervals(calls, 2)
    text = _message(lambda: wfm.forecast_volume(calls, future.tz_localize("UTC"), method="seasonal_naive"))
    assert "future_index is in time zone UTC and the history is naive (no time zone)" + CLOCKS in text
    assert "build future_index with wfm.future_intervals" in text and "future_index.tz_localize(None)" in text
    fc = wfm.forecast_volume(calls, future.tz_localize("UTC").tz_localize(None), method="seasonal_naive")
    assert fc.index.equals(future)


def test_a_zoned_schedule_beside_naive_calls_in_the_simulator_and_the_fix_works():
    """simulation schedules (_validation.check_same_clock on a column): the column's fix, or the calls'."""
    idx = pd.date_range("2024-01-01 08:00", periods=4, freq="30min")
    calls = pd.Series(20.0, idx)
    agents = pd.DataFrame({"agent": ["A", "B"], "start": [idx[0]] * 2, "end": [idx[-1] + pd.Timedelta("30min")] * 2})
    zoned = agents.assign(start=agents["start"].dt.tz_localize("UTC"), end=agents["end"].dt.tz_localize("UTC"))
    text = _message(lambda: wfm.simulate(calls, 240, zoned, seed=1))
    assert "agents['start'] is in time zone UTC and calls.index is naive (no time zone)" + CLOCKS in text
    assert 'calls = calls.tz_localize("UTC") if its times are UTC times' in text
    assert "agents['start'] = agents['start'].dt.tz_localize(None)" in text
    sim = wfm.simulate(calls.tz_localize("UTC"), 240, zoned, seed=1)
    assert sim.intervals["offered"].sum() == wfm.simulate(calls, 240, agents, seed=1).intervals["offered"].sum()


@pytest.fixture(scope="module")
def morning():
    idx = pd.date_range("2024-01-01 08:00", periods=6, freq="30min")
    return idx, wfm.simulate(pd.Series(60.0, index=idx), 240, 8, patience=120, seed=3).contacts


def test_a_calendar_on_another_clock_than_the_log_and_the_fixes_work(morning):
    """logs.intervals: a naive log with a zoned calendar (the reader's tz), and a zoned log with a naive calendar."""
    idx, log = morning
    text = _message(lambda: interval_history(log, "30min", calendar=idx.tz_localize("UTC")))
    assert "the log (contacts) is naive (no time zone) and calendar is in time zone UTC" + CLOCKS in text
    assert "so no arrival would fall in an open interval of the calendar" in text
    assert "pass tz='UTC' (the log's times are then read as UTC times)" in text
    assert interval_history(log, "30min", calendar=idx.tz_localize("UTC"), tz="UTC").table["calls"].sum() == len(log)
    london = log.assign(**{c: log[c].dt.tz_localize("Europe/London") for c in ("arrival", "answer", "abandon", "end")})
    text = _message(lambda: interval_history(london, "30min", calendar=idx))
    assert "the log (contacts) is in time zone Europe/London and calendar is naive (no time zone)" + CLOCKS in text
    assert 'calendar=calendar.tz_localize("Europe/London")' in text
    fixed = interval_history(london, "30min", calendar=idx.tz_localize("Europe/London"))
    assert fixed.table["calls"].sum() == len(log)


def test_kpis_name_which_inputs_are_on_which_clock_and_the_fix_works(floor):
    """evaluate.kpis: naive contacts and schedule beside states in a zone; tz= reads them all on that clock."""
    schedule, states, contacts = floor
    zoned = states.assign(start=states["start"].dt.tz_localize("Europe/Paris"),
                          end=states["end"].dt.tz_localize("Europe/Paris"))
    text = _message(lambda: kpis(contacts, states=zoned, schedule=schedule))
    assert "contacts and schedule are naive (no time zone) and states is in time zone Europe/Paris" + CLOCKS in text
    assert "pass tz='Europe/Paris', which reads the times of contacts and schedule as Europe/Paris times" in text
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        k = kpis(contacts, states=zoned, schedule=schedule, tz="Europe/Paris")
        plain = kpis(contacts, states=states, schedule=schedule)
    assert str(k["period"].dt.tz) == "Europe/Paris"
    assert np.allclose(k.drop(columns="period").select_dtypes("number").to_numpy(dtype=float),
                       plain.drop(columns="period").select_dtypes("number").to_numpy(dtype=float), equal_nan=True)


def test_kpis_name_a_naive_forecast_and_its_fix(floor):
    schedule, states, contacts = floor
    paris = {c: contacts[c].dt.tz_localize("Europe/Paris") for c in ("arrival", "answer")}
    forecast = pd.Series(1.0, pd.date_range("2024-01-01 09:00", periods=6, freq="30min"))
    text = _message(lambda: kpis(contacts.assign(**paris), forecast=forecast))
    assert "forecast is naive (no time zone) and contacts is in time zone Europe/Paris" + CLOCKS in text
    assert 'forecast = forecast.tz_localize("Europe/Paris") for a Series' in text and "tz='" not in text
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        k = kpis(contacts.assign(**paris), forecast=forecast.tz_localize("Europe/Paris"))
    assert k["forecast_wape"].notna().all()


def test_adherence_schedule_beside_zoned_states_and_the_fix_works(floor):
    """evaluate.adherence: the schedule read again with tz= (or its columns localized) goes through."""
    schedule, states, _ = floor
    zoned = states.assign(start=states["start"].dt.tz_localize("UTC"), end=states["end"].dt.tz_localize("UTC"))
    text = _message(lambda: adherence(schedule, zoned))
    assert "schedule is naive (no time zone) and states is in time zone UTC" + CLOCKS in text
    assert 'wfm.evaluate.read_schedule(schedule, tz="UTC")' in text and '.dt.tz_localize("UTC")' in text
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        fixed = adherence(read_schedule(schedule, tz="UTC"), zoned)
        plain = adherence(schedule, states)
    assert fixed.figures()["adherence"] == pytest.approx(plain.figures()["adherence"])


def _contacts(arrival, answer, end):
    return pd.DataFrame({"arrival": arrival, "answer": answer, "end": end})


def test_a_contact_log_with_offsets_in_some_columns_only_and_the_fix_works():
    arrival = ["2024-03-04 10:00-05:00", "2024-03-04 10:05-05:00"]
    local = ["2024-03-04 10:00:20", "2024-03-04 10:05:30"]
    ends = ["2024-03-04 10:04:00", "2024-03-04 10:09:00"]
    with pytest.raises(ValueError) as err:
        wfm.logs.read_contacts(_contacts(arrival, local, ends))
    msg = str(err.value)
    assert "contacts['answer'], contacts['end'] are naive (no time zone)" in msg
    assert "contacts['arrival'] is in time zone UTC-05:00" + CLOCKS in msg and "tz='America/New_York'" in msg
    read = wfm.logs.read_contacts(_contacts(arrival, local, ends), tz="America/New_York")
    assert read["wait"].tolist() == [20.0, 30.0]  # the offsets and the local times are one clock now


def test_responses_on_another_clock_than_their_contacts_and_the_fix_works():
    contacts = wfm.logs.read_contacts(_contacts(["2024-03-04 10:00-05:00"], ["2024-03-04 10:00:20-05:00"],
                                                ["2024-03-04 10:04:00-05:00"]))
    naive = pd.DataFrame({"contact": contacts["contact"], "time": ["2024-03-04 11:00"]})
    with pytest.raises(ValueError) as err:
        wfm.logs.read_responses(naive, contacts)
    msg = str(err.value)
    assert "responses['time'] is naive (no time zone) and contacts['arrival'] is in time zone UTC-05:00" in msg
    assert CLOCKS in msg and "write the responses' times with their UTC offsets" in msg
    fixed = naive.assign(time=["2024-03-04 11:00-05:00"])
    assert len(wfm.logs.read_responses(fixed, contacts)) == 1


def test_a_zoned_origin_or_start_beside_a_naive_history_names_both_and_the_fix_works(bank_30min):
    history = bank_30min[bank_30min.index < "2003-10-13"]
    origin = pd.Timestamp("2003-10-06", tz="UTC")
    with pytest.raises(ValueError) as err:
        wfm.forecast.backtest("seasonal_naive", history, origins=[origin], horizon=1)
    msg = str(err.value)
    assert "is in time zone UTC and history's index is naive (no time zone)" + CLOCKS in msg
    local = re.search(r"e\.g\. '([^']+)'", msg).group(1)
    assert len(wfm.forecast.backtest("seasonal_naive", history, origins=[local], horizon=1).table)
    with pytest.raises(ValueError) as err:
        wfm.future_intervals(history, days=1, start=pd.Timestamp("2003-10-13 07:00", tz="UTC"))
    msg = str(err.value)
    assert "is in time zone UTC and the history's index is naive (no time zone)" + CLOCKS in msg
    local = re.search(r"e\.g\. '([^']+)'", msg).group(1)
    assert wfm.future_intervals(history, days=1, start=local)[0] == pd.Timestamp("2003-10-13 07:00")


def test_a_zoned_break_in_a_naive_schedule_names_the_row_and_the_fix_works():
    calls = pd.Series(10.0, index=pd.date_range("2024-03-04 08:00", periods=8, freq="30min"))
    def agents(brk):
        return pd.DataFrame({"agent": ["a0"], "start": [t("08:00")], "end": [t("12:00")], "breaks": [[brk]]})
    zoned = (pd.Timestamp("2024-03-04 10:00", tz="UTC"), pd.Timestamp("2024-03-04 10:15", tz="UTC"))
    with pytest.raises(ValueError) as err:
        wfm.simulate(calls, 180, agents(zoned), seed=1)
    msg = str(err.value)
    assert "row 0" in msg and "is in time zone UTC and calls.index is naive (no time zone)" + CLOCKS in msg
    assert "timedeltas from the shift start" in msg
    sim = wfm.simulate(calls, 180, agents((pd.Timedelta("2h"), pd.Timedelta("2h15min"))), seed=1)
    assert sim.intervals["staffed"].iloc[4] == pytest.approx(0.5)  # the break 10:00-10:15 halves that half-hour
