"""Which rows are read: exclusions by value or by an expression on two columns, fallback columns, and bad rows
set aside with their reasons (on_bad_rows="reject") so nothing is lost and nothing blocks the rest."""

import warnings

import numpy as np
import pandas as pd
import pytest

from wfm.logs import DataWarning, PlausibilityWarning, interval_history, read_contacts, read_history


def read(source, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        return read_contacts(source, *args, **kw)


def acd_log():
    """Six calls of an ACD export (by hand): two IVR hang-ups (HANG with q_exit == q_start), a call whose
    q_start is the placeholder 0:00:00 (its vru_exit is the time it reached the queue), another queue's call."""
    return pd.DataFrame({
        "type": ["PS", "PS", "PS", "PS", "NE", "PS"],
        "date": ["2003-10-01"] * 6,
        "vru_exit": ["8:59:50", "9:04:55", "9:10:00", "9:14:58", "9:20:00", "9:30:00"],
        "q_start": ["9:00:00", "9:05:00", "0:00:00", "9:15:00", "9:20:00", "9:30:00"],
        "q_exit": ["9:00:30", "9:05:00", "9:10:20", "9:15:00", "9:20:05", "9:31:00"],
        "ser_start": ["9:00:30", None, "9:10:20", None, "9:20:05", None],
        "outcome": ["AGENT", "HANG", "AGENT", "HANG", "AGENT", "HANG"],
        "ser_time": [120, 0, 200, 0, 90, 0]})


COLUMNS = {"arrival": "q_start", "abandon": "q_exit", "answer": "ser_start", "handle": "ser_time"}
OUTCOMES = {"AGENT": "answered", "HANG": "abandoned"}


def test_exclude_by_an_expression_on_two_columns_and_by_value():
    """IVR hang-ups are HANG rows whose queue exit equals their queue start: rows 1 and 3 by hand."""
    raw = acd_log().drop(index=2).reset_index(drop=True)  # no placeholder here
    log = read(raw, COLUMNS, outcomes=OUTCOMES,
               exclude=["outcome == 'HANG' and q_exit == q_start", {"type": "NE"}])
    assert log["arrival"].dt.strftime("%H:%M").tolist() == ["09:00", "09:30"]
    notes = log.attrs["notes"].set_index("problem")["rows"]
    assert notes["matched the exclusion \"outcome == 'HANG' and q_exit == q_start\""] == 2
    assert notes["matched the exclusion {'type': ['NE']}"] == 1
    # numbers compare as numbers, canonical names work, isna finds blanks, backticks quote names with spaces
    same = read(raw.rename(columns={"type": "queue type"}), COLUMNS, outcomes=OUTCOMES,
                exclude="handle < 100 and arrival != q_exit or `queue type` in ['NE']")
    assert same["arrival"].dt.strftime("%H:%M").tolist() == ["09:00", "09:05", "09:15"]


def test_exclude_is_validated():
    raw = acd_log()
    kw = dict(columns=COLUMNS, outcomes=OUTCOMES)
    with pytest.raises(ValueError, match=r"exclude=.outcom == .*names column 'outcom'.*Did you mean 'outcome'"):
        read_contacts(raw, exclude="outcom == 'HANG'", **kw)
    with pytest.raises(ValueError, match=r"is not an expression wfm reads"):
        read_contacts(raw, exclude="outcome = 'HANG'", **kw)
    with pytest.raises(ValueError, match=r"text is compared with == or != only .*got <"):
        read_contacts(raw, exclude="q_exit < q_start", **kw)
    with pytest.raises(ValueError, match=r"__import__\('os'\)\W+ is not allowed there"):
        read_contacts(raw, exclude="__import__('os')", **kw)
    with pytest.raises(ValueError, match=r"column 'type' is compared with a number .*in 6 of 6 rows: "
                                         r"rows \[0, 1, 2, 3, 4, \.\.\.\]"):
        read_contacts(raw, exclude="type > 3", **kw)
    with pytest.raises(ValueError, match=r"exclude='outcome': 'outcome' is not allowed there"):
        read_contacts(raw, exclude="outcome", **kw)


def test_a_column_falls_back_to_another():
    """q_start, else vru_exit: the placeholder 0:00:00 of row 2 is missing, so its arrival is 9:10:00 (vru exit)
    and its wait 20 s; main read it as midnight, a wait of 9 h 10 min 20 s."""
    log = read(acd_log(), COLUMNS, outcomes=OUTCOMES, na_values={"q_start": "0:00:00"},
               fallback={"arrival": "vru_exit"})
    assert log["arrival"].iloc[2] == pd.Timestamp("2003-10-01 09:10:00")
    assert log["wait"].tolist() == [30.0, 0.0, 20.0, 0.0, 5.0, 60.0]
    notes = log.attrs["notes"].set_index("problem")["rows"]
    assert notes["had no 'q_start'"] == 1
    with pytest.raises(ValueError, match=r"fallback=\{'arrival': 'vru'\} names column 'vru'.*'vru_exit'"):
        read_contacts(acd_log(), COLUMNS, outcomes=OUTCOMES, fallback={"arrival": "vru"})


def bad_file(tmp_path):
    """A contact log with three bad rows among seven: text for a time (line 3), an answer 60 s before its
    arrival (line 5), a blank arrival (line 7)."""
    raw = pd.DataFrame({
        "CallStart": ["2024-03-04 09:00:00", "soon", "2024-03-04 09:10:00", "2024-03-04 09:20:00",
                      "2024-03-04 09:30:00", None, "2024-03-04 09:50:00"],
        "Answer": ["2024-03-04 09:00:10", "2024-03-04 09:05:10", "2024-03-04 09:10:20", "2024-03-04 09:19:00",
                   None, "2024-03-04 09:40:30", "2024-03-04 09:50:05"],
        "Handle": [100, 100, 100, 100, 0, 100, 100]})
    path = tmp_path / "log.csv"
    raw.to_csv(path, index=False)
    return path


def test_bad_rows_block_by_default_and_are_set_aside_on_request(tmp_path):
    path = bad_file(tmp_path)
    columns = {"arrival": "CallStart", "answer": "Answer", "handle": "Handle"}
    with pytest.raises(TypeError, match=r"column 'arrival' \(mapped from 'CallStart'\) must hold timestamps.*"
                                        r"rows \[3\]"):
        read_contacts(path, columns)
    with pytest.warns(DataWarning, match="set aside"):
        log = read_contacts(path, columns, on_bad_rows="reject")
    # the four good rows, by hand: waits 10, 20, (abandoned at 09:30, no abandon time: NaN), 5
    assert log["arrival"].dt.strftime("%H:%M").tolist() == ["09:00", "09:10", "09:30", "09:50"]
    assert log["wait"].tolist()[:2] == [10.0, 20.0] and log["wait"].iloc[3] == 5.0
    rejected = log.attrs["rejected"]
    assert rejected["line"].tolist() == [3, 5, 7]
    assert rejected["CallStart"].tolist()[:2] == ["soon", "2024-03-04 09:20:00"]  # as read, the user's names
    reasons = rejected.set_index("line")["reason"]
    assert reasons[3].startswith("column 'arrival' (mapped from 'CallStart') must hold timestamps")
    assert reasons[5].startswith("column 'answer' (mapped from 'Answer') must not be before 'arrival'")
    assert reasons[7].startswith("column 'arrival' (mapped from 'CallStart') must hold a timestamp in every row")
    notes = log.attrs["notes"]
    aside = notes[notes["action"].str.startswith("set aside")]
    assert aside["rows"].sum() == 3 and len(aside) == 3
    # interval_history carries them through
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        hist = interval_history(path, "60min", columns=columns, on_bad_rows="reject")
    assert hist.rejected["line"].tolist() == [3, 5, 7] and hist.table["calls"].sum() == 4
    # a rule about a whole column is not a bad row: still an error
    pd.DataFrame({"CallStart": ["01/03/2024 09:00", "02/03/2024 09:00"], "Answer": [None, None],
                  "Handle": [0, 0]}).to_csv(path, index=False)
    with pytest.raises(ValueError, match="day-first and month-first"):
        read_contacts(path, columns, on_bad_rows="reject")
    with pytest.raises(ValueError, match=r"on_bad_rows must be one of"):
        read_contacts(path, columns, on_bad_rows="skip")


def test_interval_report_bad_rows_and_exclusions(tmp_path):
    """A report with a 'Total' line at the bottom and a negative count: excluded, and set aside (its interval
    is then missing; one day is too little to infer the open hours from, so it is not called a gap)."""
    stamps = pd.date_range("2024-03-04 08:00", periods=4, freq="30min").strftime("%Y-%m-%d %H:%M").tolist()
    path = tmp_path / "report.csv"
    pd.DataFrame({"timestamp": stamps + ["Total"], "calls": [10, -1, 12, 13, 34]}).to_csv(path, index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        out = read_history(path, exclude={"timestamp": "Total"}, on_bad_rows="reject", interval="30min")
    assert out["calls"].tolist() == [10.0, 12.0, 13.0]
    assert out.attrs["rejected"]["line"].tolist() == [3]
    assert "must be >= 0 contacts" in out.attrs["rejected"]["reason"].iloc[0]
    problems = out.attrs["notes"]["problem"].tolist()
    assert "matched the exclusion {'timestamp': ['Total']}" in problems
    with pytest.raises(ValueError, match=r"column 'calls' must be >= 0 contacts in 1 of 4 rows: rows \[3\]"):
        read_history(path, exclude="timestamp == 'Total'")


def test_reading_many_bad_rows_is_one_pass_per_kind_of_error():
    """10,000 rows with 500 bad times and 300 early answers: two kinds of error, so three reads; all are kept
    or set aside, none lost."""
    n = 10_000
    t = pd.Timestamp("2024-03-04 08:00") + pd.to_timedelta(np.arange(n) * 3, unit="s")
    arrival = pd.Series(t.strftime("%Y-%m-%d %H:%M:%S"), dtype=object)
    answer = pd.Series((t + pd.Timedelta(seconds=5)).strftime("%Y-%m-%d %H:%M:%S"), dtype=object)
    arrival[np.arange(0, 5000, 10)] = "n/a"
    answer[np.arange(5001, 8000, 10)] = (t[np.arange(5001, 8000, 10)] - pd.Timedelta(seconds=30)).strftime(
        "%Y-%m-%d %H:%M:%S")
    raw = pd.DataFrame({"arrival": arrival, "answer": answer, "handle": 60.0})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        warnings.simplefilter("error", PlausibilityWarning)
        log = read_contacts(raw, on_bad_rows="reject")
    rejected = log.attrs["rejected"]
    assert len(log) + len(rejected) == n and len(rejected) == 800
    assert rejected["row"].tolist() == sorted(np.r_[np.arange(0, 5000, 10), np.arange(5001, 8000, 10)].tolist())


def test_a_few_non_times_in_a_time_of_day_column_are_named_not_read_as_today():
    """'pending' among service starts: the column is still times of day on the row's date (never today's)."""
    raw = acd_log()
    raw.loc[4, "ser_start"] = "pending"
    with pytest.raises(TypeError, match=r"column 'answer' \(mapped from 'ser_start'\) must hold times of day "
                                        r".*in 1 of 6 rows: rows \[4\]"):
        read_contacts(raw, COLUMNS, outcomes=OUTCOMES, na_values={"q_start": "0:00:00"},
                      fallback={"arrival": "vru_exit"})
    log = read(raw, COLUMNS, outcomes=OUTCOMES, na_values={"q_start": "0:00:00"}, fallback={"arrival": "vru_exit"},
               on_bad_rows="reject")
    assert log.attrs["rejected"]["row"].tolist() == [4]
    assert log["answer"].dropna().dt.date.astype(str).unique().tolist() == ["2003-10-01"]


def test_text_of_matches_a_value_by_value_reference():
    """The vectorised text_of against the plain loop it replaced: strip text, 1.0 reads as '1', missing is None."""
    import datetime as dt

    from wfm.logs._rows import _one_text, text_of

    def reference(values):
        return [None if pd.isna(x) else _one_text(x) for x in pd.Series(values, dtype=object)]

    cases = [pd.Series([1.0, 2.5, np.nan, 3.0, -0.0, 1e20, np.inf]), pd.Series([1, 2, 3]), pd.Series([True, False]),
             pd.Series([" a", "b ", None, 1.0, 2, "0:00:00", dt.time(0, 0), pd.Timestamp("2024-01-01")]),
             pd.Series(["x", " y"], dtype="string"), pd.Series([], dtype=object), pd.Series([1.5, 2], dtype=object)]
    for values in cases:
        assert text_of(values).tolist() == reference(values)
