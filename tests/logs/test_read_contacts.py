"""Contact-level logs as ACDs export them: each case a correct read checked by hand, or an error naming
the column, the rows and the option that fixes it."""

import warnings

import numpy as np
import pandas as pd
import pytest

from wfm.logs import DataWarning, interval_history, read_contacts


def read(source, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        return read_contacts(source, *args, **kw)


def test_day_first_file(tmp_path):
    """01/10/2003 is 1 October when dayfirst=True; without it the ambiguous dates are an error naming the rows."""
    path = tmp_path / "calls.csv"
    pd.DataFrame({"start": ["01/10/2003 08:00:05", "02/10/2003 09:10:00", "12/10/2003 10:00:00"],
                  "answer": ["01/10/2003 08:00:25", "02/10/2003 09:10:02", "12/10/2003 10:01:00"],
                  "handle": [200, 300, 250]}).to_csv(path, index=False)
    with pytest.raises(ValueError, match=r"column 'arrival' \(mapped from 'start'\) holds dates that read both "
                                         r"day-first and month-first .*in 3 of 3 rows: rows \[2, 3, 4\].*"
                                         r"dayfirst=True"):
        read_contacts(path, {"arrival": "start"})
    log = read(path, {"arrival": "start"}, dayfirst=True)
    assert log["arrival"].dt.month.tolist() == [10, 10, 10]
    assert log["arrival"].dt.day.tolist() == [1, 2, 12]
    assert log["wait"].tolist() == [20.0, 2.0, 60.0]
    # month-first reading of the same text gives 10 January, 10 February, 10 December
    us = read(path, {"arrival": "start"}, dayfirst=False)
    assert us["arrival"].dt.month.tolist() == [1, 2, 12] and us["arrival"].dt.day.tolist() == [10, 10, 10]
    # a value that reads one way only does not settle the others: still an error, with the hint
    pd.DataFrame({"start": ["13/10/2003 08:00", "01/10/2003 08:00"], "answered": [1, 1],
                  "handle": [1, 1]}).to_csv(path, index=False)
    with pytest.raises(ValueError, match=r"in 1 of 2 rows: rows \[3\].*'13/10/2003' read only day-first"):
        read_contacts(path, {"arrival": "start"})
    # values that each read one way only are read that way
    pd.DataFrame({"start": ["13/10/2003 08:00", "31/10/2003 08:00"], "answered": [1, 1],
                  "handle": [1, 1]}).to_csv(path, index=False)
    assert read(path, {"arrival": "start"})["arrival"].dt.day.tolist() == [13, 31]


def test_date_and_time_columns_crossing_midnight():
    """A time of day goes on its row's date; an answer or end earlier than the arrival is on the next day."""
    raw = pd.DataFrame({"date": ["2003-10-01"] * 3, "arrival": ["23:59:50", "8:00:00", "23:50:00"],
                        "answer": ["0:00:05", "8:00:10", "23:58:00"], "end": ["0:04:05", "8:02:10", "0:01:00"]})
    log = read(raw)
    assert log["answer"].tolist() == [pd.Timestamp("2003-10-02 00:00:05"), pd.Timestamp("2003-10-01 08:00:10"),
                                      pd.Timestamp("2003-10-01 23:58:00")]
    assert log["end"].iloc[2] == pd.Timestamp("2003-10-02 00:01:00")
    # waits and handle times by hand: 15 s, 10 s, 480 s; 240 s, 120 s, 180 s
    assert log["wait"].tolist() == [15.0, 10.0, 480.0]
    assert log["handle"].tolist() == [240.0, 120.0, 180.0]
    notes = log.attrs["notes"]
    rolled = notes[notes["problem"].str.startswith("crossed midnight")]
    assert rolled["rows"].tolist() == [1, 2]  # one answer, two ends
    with pytest.warns(DataWarning, match="crossed midnight"):
        read_contacts(raw)
    # times of day without a date column are never put on today's date
    with pytest.raises(ValueError, match=r"holds times of day .*no date column.*columns=\{'date'"):
        read_contacts(raw.drop(columns="date"))


def test_clock_skew_is_absorbed_and_counted():
    raw = pd.DataFrame({"arrival": ["2024-01-01 09:00:10", "2024-01-01 09:05:00", "2024-01-01 09:06:00"],
                        "answer": ["2024-01-01 09:00:08", "2024-01-01 09:05:30", "2024-01-01 09:05:59"],
                        "handle": [100, 100, 100]})
    log = read(raw)
    assert log["wait"].tolist() == [0.0, 30.0, 0.0]
    notes = log.attrs["notes"]
    assert notes["rows"].tolist() == [2] and "clock skew" in notes["problem"].iloc[0]
    with pytest.raises(ValueError, match=r"column 'answer' must not be before 'arrival'.*rows \[0\].*2 s before.*"
                                         r"skew=2\b"):
        read_contacts(raw, skew=1)
    raw.loc[0, "answer"] = "2024-01-01 09:00:00"  # 10 s early: beyond the default 3 s
    with pytest.raises(ValueError, match=r"rows \[0\]"):
        read_contacts(raw)
    assert read(raw, skew=10)["wait"].iloc[0] == 0.0


def test_outcome_coded_log_with_placeholders_and_filters(tmp_path):
    """The shape of a call-level ACD log: outcome codes, 0:00:00 for never served, NO_SERVER, customer 0."""
    raw = pd.DataFrame({
        "type": ["PS", "PS", "PS", "NE", "PS"],
        "date": ["01/10/2003"] * 5,
        "q_start": ["7:00:00", "7:01:00", "7:02:00", "7:03:00", "7:04:00"],
        "q_exit": ["7:00:30", "7:01:45", "7:02:00", "7:03:10", "7:04:20"],
        "ser_start": ["7:00:30", "0:00:00", "0:00:00", "7:03:10", "7:04:20"],
        "ser_time": [120, 0, 0, 60, 90],
        "outcome": ["AGENT", "HANG", "PHANTOM", "AGENT", "AGENT"],
        "server": ["ann", "NO_SERVER", "NO_SERVER", "bob", "ann"],
        "customer_id": [5551, 0, 0, 7, 5551]})
    raw.to_csv(tmp_path / "log.csv", index=False)
    columns = {"arrival": "q_start", "abandon": "q_exit", "answer": "ser_start", "handle": "ser_time",
               "agent": "server", "customer": "customer_id"}
    outcomes = {"AGENT": "answered", "HANG": "abandoned", "PHANTOM": "other"}
    na = {"ser_start": "0:00:00", "server": "NO_SERVER", "customer_id": 0}
    log = read(tmp_path / "log.csv", columns, outcomes=outcomes, na_values=na, filters={"type": "PS"},
               dayfirst=True)
    # by hand: PS rows 0, 1, 4 kept (row 2 a phantom, row 3 another queue)
    assert log["answered"].tolist() == [True, False, True]
    assert log["abandoned"].tolist() == [False, True, False]
    assert log["wait"].tolist() == [30.0, 45.0, 20.0]
    assert log["handle"].tolist() == [120.0, 0.0, 90.0]
    assert log["agent"].isna().tolist() == [False, True, False]
    assert log["customer"].isna().tolist() == [False, True, False]
    notes = log.attrs["notes"].set_index("problem")["rows"]
    assert notes["had outcome codes mapped to 'other' (PHANTOM)"] == 1
    assert notes["did not match the filters {'type': ['PS']}"] == 1
    # an unmapped code names the column, the file's line numbers and the option
    with pytest.raises(ValueError, match=r"column 'outcome' has outcome codes outside the outcomes mapping in 1 of "
                                         r"5 rows: rows \[3\].*'HANG'.*outcomes=\{"):
        read_contacts(tmp_path / "log.csv", columns, outcomes={"AGENT": "answered", "PHANTOM": "other"},
                      na_values=na, dayfirst=True)
    with pytest.raises(ValueError, match=r"outcome column .*outcomes="):
        read_contacts(tmp_path / "log.csv", columns, na_values=na, dayfirst=True)
    with pytest.raises(ValueError, match=r"outcomes\['HANG'\] must be one of"):
        read_contacts(tmp_path / "log.csv", columns, outcomes={"HANG": "abandon"})


def test_a_24_7_log_gives_every_interval_of_the_day():
    """A 24/7 centre over two days: 48 open half-hours a day, zero-filled; calls after midnight in their own day."""
    rng = np.random.default_rng(5)
    arrival = pd.Timestamp("2024-03-04") + pd.to_timedelta(np.sort(rng.uniform(0, 2 * 86400, 3000)), unit="s")
    arrival = arrival.floor("s")
    wait = rng.integers(0, 40, arrival.size)
    raw = pd.DataFrame({"arrival": arrival, "answer": arrival + pd.to_timedelta(wait, unit="s"),
                        "handle": 180.0})
    hist = interval_history(raw, "30min")
    t = hist.table
    assert len(t) == 96 and t.index[0] == pd.Timestamp("2024-03-04 00:00") and t.index[-1] == pd.Timestamp(
        "2024-03-05 23:30")
    # counts by hand, per half-hour of arrival
    expected = pd.Series(1, index=arrival).groupby(arrival.floor("30min")).sum()
    np.testing.assert_array_equal(t["calls"].to_numpy(), expected.reindex(t.index, fill_value=0).to_numpy())
    within = pd.Series(wait <= 20, index=arrival).groupby(arrival.floor("30min")).sum()
    np.testing.assert_allclose(t["service_level"], (within / expected).reindex(t.index), rtol=1e-12)


def test_a_sunday_to_thursday_log():
    """Open Sunday-Thursday 08:00-12:00: Friday and Saturday are closed (absent), open intervals without calls are 0."""
    days = pd.date_range("2024-06-02", "2024-06-15", freq="D")  # Sun 2 .. Sat 15 June
    open_days = days[days.day_of_week.isin([6, 0, 1, 2, 3])]
    stamps = [d + pd.Timedelta(hours=8, minutes=5 + 30 * k) for d in open_days for k in range(8)
              if not (d == open_days[3] and k == 2)]  # no call on Wed 5 June 09:05
    raw = pd.DataFrame({"arrival": stamps, "answered": True, "wait": 5.0, "handle": 200.0})
    t = interval_history(raw, "30min").table
    assert set(t.index.day_name()) == {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday"}
    assert len(t) == 10 * 8 and t.loc["2024-06-05 09:00", "calls"] == 0
    assert t["calls"].sum() == len(stamps)
    from wfm.metrics import aggregate

    weeks = aggregate(t["calls"], "week", week_start="SUN")
    assert weeks.index.tolist() == [pd.Timestamp("2024-06-02"), pd.Timestamp("2024-06-09")]
    assert weeks.tolist() == [39.0, 40.0]


def test_excel_log_with_date_and_time_cells(tmp_path):
    """Excel stores dates and times of day as cells of their own types; they pair like text does."""
    import datetime as dt

    raw = pd.DataFrame({"Date": [dt.datetime(2024, 6, 2), dt.datetime(2024, 6, 2)],
                        "Start": [dt.time(23, 59, 50), dt.time(9, 0, 0)],
                        "Answer": [dt.time(0, 0, 5), dt.time(9, 0, 30)], "Handle": [100, 200]})
    raw.to_excel(tmp_path / "log.xlsx", index=False)
    log = read(tmp_path / "log.xlsx", {"date": "Date", "arrival": "Start", "answer": "Answer", "handle": "Handle"})
    assert log["arrival"].tolist() == [pd.Timestamp("2024-06-02 23:59:50"), pd.Timestamp("2024-06-02 09:00:00")]
    assert log["answer"].iloc[0] == pd.Timestamp("2024-06-03 00:00:05")
    assert log["wait"].tolist() == [15.0, 30.0]


def test_24_7_log_in_a_time_zone_across_the_spring_clock_change():
    """Europe/London on Sunday 31 March 2024: the day has 46 half-hours (01:00-02:00 does not exist)."""
    local = pd.date_range("2024-03-30 00:10", "2024-04-01 23:50", freq="20min", tz="Europe/London")
    raw = pd.DataFrame({"arrival": local.tz_localize(None).strftime("%Y-%m-%d %H:%M:%S"), "answered": True,
                        "wait": 3.0, "handle": 100.0})
    log = read(raw, tz="Europe/London")
    assert log["arrival"].dt.tz is not None and len(log) == len(local)
    t = interval_history(log, "30min").table
    per_day = pd.Series(1, index=t.index).groupby(t.index.tz_localize(None).normalize()).sum()
    assert per_day.tolist() == [48, 46, 48]
    assert t["calls"].sum() == len(local)
    # a local time that does not exist on that day names the row
    bad = pd.DataFrame({"arrival": ["2024-03-31 01:30:00"], "answered": [True], "handle": [1.0]})
    with pytest.raises(ValueError, match=r"column 'arrival' holds local times that do not exist or repeat in "
                                         r"Europe/London .*rows \[0\]"):
        read_contacts(bad, tz="Europe/London")
