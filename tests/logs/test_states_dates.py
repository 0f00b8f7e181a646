"""read_states and read_schedule read dates as read_contacts does: dayfirst / date_format / tz, never a guessed
day/month order.

The log is wfm.adherence's docstring case (Ann logs in 2 minutes late and comes back from her break 5 minutes late),
put on 2 January 2024 so that its day-first dates (02/01/2024) also read as 1 February."""

import pandas as pd
import pytest

from wfm.evaluate import kpis
from wfm.logs import read_schedule, read_states

SPELLS = {"agent": "ann", "state": ["logged_out", "idle", "break", "idle"],
          "start": ["09:00", "09:02", "10:30", "10:50"], "end": ["09:02", "10:30", "10:50", "12:00"]}


def write(path, date):
    """The spells on ``date`` (as the file writes it) as a CSV file; the header is line 1, the spells lines 2-5."""
    frame = pd.DataFrame(SPELLS)
    for col in ("start", "end"):
        frame[col] = date + " " + frame[col]
    frame.to_csv(path, index=False)
    return path


@pytest.fixture
def iso(tmp_path):
    return read_states(write(tmp_path / "iso.csv", "2024-01-02"))


def test_day_first_and_month_first_copies_equal_the_iso_log(tmp_path, iso):
    assert iso["start"].iloc[0] == pd.Timestamp("2024-01-02 09:00")
    day_first = write(tmp_path / "dmy.csv", "02/01/2024")
    pd.testing.assert_frame_equal(read_states(day_first, dayfirst=True), iso)
    pd.testing.assert_frame_equal(read_states(day_first, date_format="%d/%m/%Y %H:%M"), iso)
    pd.testing.assert_frame_equal(read_states(write(tmp_path / "mdy.csv", "01/02/2024"), dayfirst=False), iso)
    # read the other way it is 1 February: the option is obeyed, not second-guessed
    assert read_states(day_first, dayfirst=False)["start"].iloc[0] == pd.Timestamp("2024-02-01 09:00")


def test_ambiguous_dates_are_refused_naming_the_column_and_lines(tmp_path):
    with pytest.raises(ValueError) as err:
        read_states(write(tmp_path / "dmy.csv", "02/01/2024"))
    text = str(err.value)
    assert text.startswith("column 'start' holds dates that read both day-first and month-first")
    assert "in 4 of 4 rows: rows [2, 3, 4, 5]" in text  # the lines of the file, header on line 1
    assert "dayfirst=True" in text and "date_format=" in text
    with pytest.raises(ValueError, match=r"column 'end' \(mapped from 'To'\) holds dates that read both"):
        raw = pd.read_csv(write(tmp_path / "dmy.csv", "02/01/2024")).rename(columns={"end": "To"})
        raw["start"] = pd.to_datetime(raw["start"], dayfirst=True)
        read_states(raw, columns={"end": "To"})


def test_tz_puts_naive_times_on_the_centres_clock(tmp_path, iso):
    got = read_states(write(tmp_path / "dmy.csv", "02/01/2024"), dayfirst=True, tz="Europe/Berlin")
    assert str(got["start"].dt.tz) == "Europe/Berlin"
    pd.testing.assert_series_equal(got["start"].dt.tz_localize(None), iso["start"])


def test_a_log_read_before_reads_again_with_its_activities(tmp_path):
    # kpis and adherence read their states again: a log read with a label mapping keeps its activities
    raw = pd.read_csv(write(tmp_path / "iso.csv", "2024-01-02")).replace({"idle": "Ready"})
    once = read_states(raw, activities={"Ready": "available"})
    pd.testing.assert_frame_equal(read_states(once), once)
    k = kpis(None, states=once).iloc[0]
    assert k["agent_hours"] == pytest.approx((88 + 70) / 60)  # 09:02-10:30 and 10:50-12:00 available
    with pytest.raises(ValueError, match=r"column 'activity' must hold state activities .* rows \[1\]"):
        read_states(once.assign(activity=["logged_out", "idle", "break", "available"]))


def test_the_schedule_reads_its_dates_the_same_way(tmp_path):
    # Ann's schedule of the adherence docstring: work 09:00-10:30, break 10:30-10:45, work 10:45-12:00
    def write_schedule(path, date):
        pd.DataFrame({"agent": "ann", "activity": ["Phone", "Break", "Phone"],
                      "start": [f"{date} {x}" for x in ("09:00", "10:30", "10:45")],
                      "end": [f"{date} {x}" for x in ("10:30", "10:45", "12:00")]}).to_csv(path, index=False)
        return path

    iso = read_schedule(write_schedule(tmp_path / "iso.csv", "2024-01-02"))
    day_first = write_schedule(tmp_path / "dmy.csv", "02/01/2024")
    pd.testing.assert_frame_equal(read_schedule(day_first, dayfirst=True), iso)
    pd.testing.assert_frame_equal(read_schedule(day_first, date_format="%d/%m/%Y %H:%M"), iso)
    with pytest.raises(ValueError, match=r"column 'start' holds dates that read both .* rows \[2, 3, 4\]"):
        read_schedule(day_first)
    # read again (as kpis and adherence do), it keeps its activities and labels
    pd.testing.assert_frame_equal(read_schedule(iso), iso)
    assert iso["activity"].tolist() == ["work", "break", "work"]
    assert iso["label"].tolist() == ["Phone", "Break", "Phone"]
