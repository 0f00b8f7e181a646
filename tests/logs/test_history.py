"""Reading interval history from CSV, Parquet or a DataFrame, with errors that name rows and columns."""

import numpy as np
import pandas as pd
import pytest

from wfm.logs import read_history


@pytest.fixture
def acd_table():
    """A small ACD export with its own column names. Function scope: tests change it."""
    stamps = pd.date_range("2024-03-04 08:00", periods=6, freq="15min").strftime("%Y-%m-%d %H:%M")
    return pd.DataFrame({"Interval Start": stamps, "Offered": [12, 18, 25, 0, 30, 22],
                         "Handle (s)": [3600, 5400, 7250, 0, 9000, 6600]})


def read(table, **kw):
    kw.setdefault("timestamp", "Interval Start")
    kw.setdefault("calls", "Offered")
    return read_history(table, **kw)


def test_reads_dataframe_with_handle_time(acd_table):
    out = read(acd_table, handle_time="Handle (s)")
    assert list(out.columns) == ["calls", "aht"] and out.index.name == "timestamp"
    assert out["aht"].iloc[0] == 300 and np.isnan(out["aht"].iloc[3])


def test_csv_gzip_and_parquet_round_trip(acd_table, tmp_path):
    acd_table.to_csv(tmp_path / "acd.csv", index=False)
    acd_table.to_csv(tmp_path / "acd.csv.gz", index=False)
    a = read(tmp_path / "acd.csv")
    b = read(str(tmp_path / "acd.csv.gz"))
    pd.testing.assert_frame_equal(a, b)
    assert a["calls"].sum() == 107
    acd_table.to_parquet(tmp_path / "acd.parquet")
    pd.testing.assert_frame_equal(read(tmp_path / "acd.parquet"), a)


def test_missing_column_lists_columns(acd_table):
    with pytest.raises(ValueError, match=r"the table has no column for calls='Calls'; its columns are "
                                         r"\['Interval Start', 'Offered', 'Handle \(s\)'\]"):
        read(acd_table, calls="Calls")


def test_non_numeric_names_column_and_file_line(acd_table, tmp_path):
    acd_table["Offered"] = acd_table["Offered"].astype(object)
    acd_table.loc[2, "Offered"] = "twelve"
    acd_table.to_csv(tmp_path / "acd.csv", index=False)
    with pytest.raises(TypeError, match=r"column 'Offered' holds non-numeric values in 1 of 6 rows: rows \[4\] "
                                        r"\(values 'twelve'\)"):
        read(tmp_path / "acd.csv")
    with pytest.raises(TypeError, match=r"rows \[2\]"):
        read(acd_table)


def test_nan_and_negative(acd_table):
    acd_table.loc[1, "Offered"] = np.nan
    with pytest.raises(ValueError, match=r"column 'Offered' is NaN \(empty\) in 1 of 6 rows: rows \[1\]"):
        read(acd_table)
    acd_table.loc[1, "Offered"] = -3
    with pytest.raises(ValueError, match=r"column 'Offered' must be >= 0 contacts in 1 of 6 rows: rows \[1\] "
                                         r"\(values -3.0\)"):
        read(acd_table)


def test_duplicates_unsorted_and_off_grid(acd_table):
    dup = pd.concat([acd_table, acd_table.iloc[[2]]], ignore_index=True)
    with pytest.raises(ValueError, match=r"column 'Interval Start' repeats an interval in 2 of 7 rows: rows \[2, 6\]"):
        read(dup)
    shuffled = acd_table.iloc[[0, 2, 1, 3, 4, 5]].reset_index(drop=True)
    with pytest.raises(ValueError, match=r"is not sorted by time.*rows \[2\]"):
        read(shuffled)
    assert read(shuffled, sort=True).index.is_monotonic_increasing
    acd_table.loc[4, "Interval Start"] = "2024-03-04 09:07"
    with pytest.raises(ValueError, match=r"column 'Interval Start' is off the 15-minute interval grid in 1 of 6 "
                                         r"rows: rows \[4\] \(values '2024-03-04 09:07'\)"):
        read(acd_table, interval="15min")


def test_bad_timestamps_and_aht(acd_table):
    bad = acd_table.copy()
    bad.loc[3, "Interval Start"] = "yesterday"
    with pytest.raises(ValueError, match=r"column 'Interval Start' must hold timestamps; got text that does not read as one in 1 of 6 "
                                         r"rows: rows \[3\] \(values 'yesterday'\)"):
        read(bad)
    acd_table["AHT"] = [300.0, 0.0, 280, np.nan, 310, 305]
    with pytest.raises(ValueError, match=r"column 'AHT' must be > 0 seconds where there were calls in 1 of 6 rows: "
                                         r"rows \[1\]"):
        read(acd_table, aht="AHT")
    acd_table.loc[1, "AHT"] = 290.0
    out = read(acd_table, aht="AHT")
    assert np.isnan(out["aht"].iloc[3])
    with pytest.raises(ValueError, match="give aht or handle_time, not both"):
        read(acd_table, aht="AHT", handle_time="Handle (s)")


def test_time_zone(acd_table):
    out = read(acd_table, tz="America/New_York")
    assert str(out.index.tz) == "America/New_York" and out.index[0].hour == 8


def test_state_and_schedule_logs_never_guess_the_day_month_order():
    """An agent-state log written day-first is refused with the option named, not read as January."""
    import pandas as pd

    from wfm.logs import read_states

    states = pd.DataFrame({"agent": ["a1", "a1"], "state": ["idle", "on_contact"],
                           "start": ["01/10/2003 08:00", "01/10/2003 08:05"],
                           "end": ["01/10/2003 08:05", "01/10/2003 08:09"]})
    with pytest.raises(ValueError, match="dayfirst"):
        read_states(states)
    iso = states.assign(start=["2003-10-01 08:00", "2003-10-01 08:05"], end=["2003-10-01 08:05", "2003-10-01 08:09"])
    assert read_states(iso)["start"].dt.month.tolist() == [10, 10]
