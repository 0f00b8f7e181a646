"""The misreads of issue 25, each now an error or a warning naming the rows: clock skew taken for midnight,
placeholder times, waits and ASA of hours, abandons that never queued, history dated in the future, an empty
file. Every expected figure is worked out by hand in the test."""

import warnings

import numpy as np
import pandas as pd
import pytest

from wfm.logs import DataWarning, PlausibilityWarning, interval_history, read_contacts, read_history
from wfm.logs._clock import MAX_CROSSING, midnight_placeholders


def read(source, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        return read_contacts(source, *args, **kw)


def day_log(arrivals, answers, date="2003-10-01"):
    return pd.DataFrame({"date": date, "q_start": arrivals, "ser_start": answers, "ser_time": 100})


COLUMNS = {"arrival": "q_start", "answer": "ser_start", "handle": "ser_time"}


# --------------------------------------------------------------------------
# 1. clock skew beyond the tolerance is not a midnight crossing
# --------------------------------------------------------------------------

def test_skew_beyond_the_tolerance_is_an_error_not_a_wait_of_a_day(tmp_path):
    """An answer 16 s before its arrival with skew=3: main read it as the next day (a wait of 86,384 s)."""
    path = tmp_path / "log.csv"
    day_log(["9:00:00", "10:00:16", "11:00:00"], ["9:00:20", "10:00:00", "11:00:05"]).to_csv(path, index=False)
    with pytest.raises(ValueError, match=r"column 'answer' \(mapped from 'ser_start'\) must not be before 'arrival'"
                                         r".* in 1 of 3 rows: rows \[3\].*16 s before.*skew=16"):
        read_contacts(path, COLUMNS, skew=3)
    # with the tolerance the message suggests, the answer is taken as equal to the arrival: a wait of 0 s
    assert read(path, COLUMNS, skew=16)["wait"].tolist() == [20.0, 0.0, 5.0]


def test_a_genuine_midnight_crossing_is_still_read_on_the_next_day():
    """23:59:50 answered 00:00:05 is a wait of 15 s; 22:30 answered 00:20 is 1 h 50 min (within 4 h: rolled);
    19:00 answered 00:00:30 would be 5 h after the arrival: not a crossing but an answer 68,370 s (18:59:30)
    before the arrival, an error."""
    log = read(day_log(["23:59:50", "22:30:00"], ["0:00:05", "0:20:00"]), COLUMNS)
    assert log["wait"].tolist() == [15.0, 3600 + 50 * 60.0]
    assert log["answer"].iloc[0] == pd.Timestamp("2003-10-02 00:00:05")
    assert MAX_CROSSING == pd.Timedelta(hours=4)
    with pytest.raises(ValueError, match=r"rows \[1\].*68,370 s before.*at most 4 h after the arrival"):
        read_contacts(day_log(["9:00:00", "19:00:00"], ["9:00:05", "0:00:30"]), COLUMNS)


def test_skew_backwards_across_midnight_is_skew():
    """Arrival 0:00:01, answer 23:59:59 on the same date: 2 s of skew (wait 0), not a wait of 86,398 s."""
    log = read(day_log(["0:00:01", "8:00:00"], ["23:59:59", "8:00:09"]), COLUMNS)
    assert log["wait"].tolist() == [0.0, 9.0]
    notes = log.attrs["notes"]
    assert notes.loc[notes["problem"].str.contains("clock skew"), "rows"].tolist() == [1]


# --------------------------------------------------------------------------
# 2. placeholder times
# --------------------------------------------------------------------------

def office_hours(n, seed=0):
    """n arrivals between 08:00 and 18:00 at second resolution, sorted, as H:MM:SS text."""
    secs = np.sort(np.random.default_rng(seed).integers(8 * 3600, 18 * 3600, n))
    return [f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" for s in secs]


def test_a_placeholder_arrival_warns_naming_the_rows_and_the_fix(tmp_path):
    """A centre open 08:00-18:00 with one arrival at 0:00:00: main read it as midnight (a wait of ten hours)."""
    arrivals = office_hours(200)
    answers = [a.replace(":", ":", 2) for a in arrivals]
    arrivals[57] = "0:00:00"  # line 59 of the file
    answers[57] = "10:00:15"
    path = tmp_path / "log.csv"
    day_log(arrivals, answers).to_csv(path, index=False)
    with pytest.warns(PlausibilityWarning) as caught:
        read(path, COLUMNS)
    texts = [str(w.message) for w in caught]
    placeholder = [t for t in texts if "00:00:00" in t]
    assert len(placeholder) == 1
    assert "column 'arrival' (mapped from 'q_start') holds times at exactly 00:00:00" in placeholder[0]
    assert "in 1 of 200 rows: rows [59]" in placeholder[0]
    assert "na_values={'q_start': '0:00:00'}" in placeholder[0]
    # the wait of 10 h 0 min 15 s is named too
    assert any("implausible waits" in t and "rows [59]" in t and "36015" in t for t in texts)


def test_a_placeholder_answer_is_an_error_that_says_which_na_fixes_it():
    """0:00:00 for 'never answered', without na_values: an error whose hint gives the placeholder, not --skew."""
    arrivals = office_hours(50, seed=1)
    answers = list(arrivals)
    for i in (3, 17, 40):
        answers[i] = "0:00:00"
    raw = day_log(arrivals, answers)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PlausibilityWarning)
        with pytest.raises(ValueError, match=r"'ser_start'.* in 3 of 50 rows: rows \[3, 17, 40\].*placeholder.*"
                                             r"na_values=\{'ser_start': '0:00:00'\}"):
            read_contacts(raw, COLUMNS)
    log = read(raw, COLUMNS, na_values={"ser_start": "0:00:00"})
    assert log["answered"].sum() == 47 and log["abandoned"].sum() == 3


def test_the_placeholder_rule_against_chance():
    """The rule of wfm.logs._clock: a closed-at-night column flags a single 00:00:00; in a 24/7 column of
    20,000 arrivals (833 an hour) one at 00:00:00 is chance (Poisson mean 834/3600 = 0.23, P(>=1) = 0.21) and
    five are not (P(>=5) = 2.6e-5 < 0.001)."""
    from scipy import stats

    office = np.r_[np.linspace(8 * 3600, 18 * 3600, 499).round(), 0.0]
    assert midnight_placeholders(office).tolist() == [False] * 499 + [True]
    rng = np.random.default_rng(3)
    around = rng.integers(1, 86400, 20000).astype(float)
    near = int(((around <= 1800) | (around >= 86400 - 1800)).sum())
    mean = (near + 1) / 3600
    assert stats.poisson.sf(0, mean) > 1e-3 and stats.poisson.sf(4, mean) < 1e-3
    assert midnight_placeholders(np.r_[around, 0.0]) is None
    assert midnight_placeholders(np.r_[around, np.zeros(5)]).sum() == 5
    # a column of dates only is not a placeholder column (it is all at midnight)
    assert midnight_placeholders(np.zeros(10)) == "all"


def test_the_placeholder_rule_rarely_warns_by_chance():
    """1,000 seeded 24/7 columns of 5,000 arrivals at second resolution: the false-alarm rate stays near the
    rule's 0.001 (at most 5 of 1,000; the expected count is at most 1)."""
    rng = np.random.default_rng(11)
    alarms = sum(midnight_placeholders(rng.integers(0, 86400, 5000).astype(float)) is not None
                 for _ in range(1000))
    assert alarms <= 5


# --------------------------------------------------------------------------
# 3. plausibility: waits, ASA, zero-wait abandons
# --------------------------------------------------------------------------

def test_zero_wait_abandons_warn_with_the_patience_they_cost():
    """30 callers: 10 answered after 20 s, 15 abandoned after 40 s, 5 hung up at once (wait 0 s: a third of
    the abandons). Patience = total wait / abandons = (200 + 600) / 20 = 40 s with them, 800 / 15 = 53 s
    without."""
    t0 = pd.Timestamp("2024-03-04 09:00")
    arrival = t0 + pd.to_timedelta(np.arange(30) * 60, unit="s")
    wait = np.r_[np.full(10, 20.0), np.full(15, 40.0), np.zeros(5)]
    raw = pd.DataFrame({"arrival": arrival, "answered": np.arange(30) < 10, "abandoned": np.arange(30) >= 10,
                        "wait": wait, "handle": np.where(np.arange(30) < 10, 200.0, 0.0)})
    with pytest.warns(PlausibilityWarning, match=r"5 of 20 abandons \(25%\) waited 0 s .*rows \[25, 26, 27, 28, "
                                                 r"29\].*40 s with them, 53 s without.*zero_wait_abandons='drop'"):
        read(raw)
    log = read(raw, zero_wait_abandons="drop")
    assert len(log) == 25 and log.attrs["notes"]["rows"].tolist() == [5]
    hist = interval_history(log, "60min", calendar=pd.date_range(t0, periods=1, freq="60min"))
    assert hist.patience.loc["all", "patience"] == pytest.approx(800 / 15)
    # a share under 5% passes without a word: 1 zero-wait abandon of 21
    with warnings.catch_warnings():
        warnings.simplefilter("error", PlausibilityWarning)
        read(raw.iloc[:26])


def test_waits_and_asa_of_hours_warn(tmp_path):
    """A wait of 3 h (a wrong date on the answer) warns with its row; the interval's ASA of 5,405 s too."""
    raw = pd.DataFrame({"arrival": ["2024-03-04 09:00:00", "2024-03-04 09:10:00"],
                        "answer": ["2024-03-04 12:00:00", "2024-03-04 09:10:10"], "handle": [100, 100]})
    with pytest.warns(PlausibilityWarning) as caught:
        hist = interval_history(raw, "60min", calendar=pd.DatetimeIndex(["2024-03-04 09:00"]))
    texts = [str(w.message) for w in caught]
    assert any("wait' is over 2 h" in t and "rows [0]" in t and "10800" in t for t in texts)
    assert hist.table["asa"].iloc[0] == (10800 + 10) / 2
    assert any("asa (mean wait of the answered) is over 1 h" in t and "2024-03-04 09:00" in t and "5,405" in t
               for t in texts)


def test_a_simulated_log_is_not_warned_about_its_waits():
    """A simulated plan that is short of agents has waits of hours: a result, not a misread. A DataFrame with a
    replication column (wfm.simulate's contacts) reads without the wait warnings; without it, the same rows warn."""
    raw = pd.DataFrame({"replication": 0, "arrival": pd.to_datetime(["2024-03-04 09:00", "2024-03-04 09:01"]),
                        "answer": pd.to_datetime(["2024-03-04 12:00", "2024-03-04 12:01"]), "handle": 100.0})
    with warnings.catch_warnings():
        warnings.simplefilter("error", PlausibilityWarning)
        assert read(raw)["wait"].tolist() == [10800.0, 10800.0]
    with pytest.warns(PlausibilityWarning, match=r"implausible waits.*rows \[0, 1\]"):
        read(raw.drop(columns="replication"))


# --------------------------------------------------------------------------
# Smaller: the future, an empty file
# --------------------------------------------------------------------------

def test_history_dated_in_the_future_warns(tmp_path):
    """Interval reports, and contact logs read from a file, warn when they are dated after now, naming the rows.
    (A contact log given as a DataFrame does not: simulations of next week's plan are dated in the future.)"""
    stamps = pd.date_range(pd.Timestamp.now().normalize() - pd.Timedelta(days=40), periods=3, freq="30D") \
        + pd.Timedelta(hours=9)  # 40 and 10 days ago, and in 20 days
    path = tmp_path / "report.csv"
    pd.DataFrame({"timestamp": stamps.strftime("%Y-%m-%d %H:%M"), "calls": [1, 2, 3]}).to_csv(path, index=False)
    with pytest.warns(PlausibilityWarning, match=r"column 'timestamp' is dated after now .* in 1 of 3 rows: "
                                                 r"rows \[4\].*check the year"):
        read_history(path, interval="30min", missing="closed")
    with pytest.warns(PlausibilityWarning, match=r"in 1 of 3 rows: rows \[2\]"):  # positions of a DataFrame
        read_history(pd.read_csv(path), interval="30min", missing="closed")
    log = tmp_path / "log.csv"
    pd.DataFrame({"arrival": stamps.strftime("%Y-%m-%d %H:%M:%S"), "answered": True, "wait": 1.0,
                  "handle": 100.0}).to_csv(log, index=False)
    with pytest.warns(PlausibilityWarning, match=r"column 'arrival' is dated after now .*rows \[4\]"):
        read(log)


def test_an_empty_file_is_named(tmp_path):
    for name in ("report.csv", "log.csv"):
        (tmp_path / name).write_text("")
    with pytest.raises(ValueError, match=r"file '.*report\.csv' is empty"):
        read_history(tmp_path / "report.csv")
    with pytest.raises(ValueError, match=r"file '.*log\.csv' is empty"):
        read_contacts(tmp_path / "log.csv")
    (tmp_path / "log.csv").write_text("arrival,answered,wait\n")
    with pytest.raises(ValueError, match=r"file '.*log\.csv' has a header but no rows"):
        read_contacts(tmp_path / "log.csv")


def test_midnight_rule_by_brute_force():
    """Every arrival on a grid over the day (every 7 min 13 s) with waits of 0 s to 3 h 50 min, written as times
    of day on the arrival's date: every wait reads back exactly, across midnight or not. The same arrivals with
    answers 4 s to 1,000 s early (beyond skew=3) are each set aside as an answer before its arrival (also when
    the early answer's clock is on the day before), and no other row is."""
    secs = np.arange(0, 86400, 433)
    waits = np.array([0, 5, 59, 600, 3600, 3 * 3600 + 50 * 60])
    a, w = np.repeat(secs, waits.size), np.tile(waits, secs.size)

    def clock(s):
        s = np.asarray(s) % 86400
        return [f"{x // 3600}:{x // 60 % 60:02d}:{x % 60:02d}" for x in s]
    raw = pd.DataFrame({"date": "2024-03-04", "q_start": clock(a), "ser_start": clock(a + w), "ser_time": 60})
    early = np.array([4, 17, 120, 1000])
    e_a = np.repeat(secs, early.size)
    skewed = pd.DataFrame({"date": "2024-03-04", "q_start": clock(e_a), "ser_start": clock(e_a - np.tile(early,
                                                                                                    secs.size)),
                           "ser_time": 60})
    both = pd.concat([raw, skewed], ignore_index=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        log = read_contacts(both, COLUMNS, skew=3, on_bad_rows="reject")
    rejected = log.attrs["rejected"]
    # an answer early by s seconds on an arrival in [0, s) is a time of day later than the arrival's by
    # 86,400 - s s: more than 20 h, so on the previous day, and set aside like the others
    assert rejected["row"].tolist() == list(range(len(raw), len(both)))
    assert set(rejected["reason"]) == {"column 'answer' (mapped from 'ser_start') must not be before 'arrival'; got "
                                       "an earlier time"}
    np.testing.assert_array_equal(log["wait"].to_numpy()[:len(raw)], w)
