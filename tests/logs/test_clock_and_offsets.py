"""12-hour clock times, times with no date and times whose UTC offset changes (the own-data review).

Each 12-hour case is cross-checked against the same data written on the 24-hour clock, which wfm read correctly
before; each error is checked for its exact text (column, rows, what was expected, the fix).
"""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from wfm import cli
from wfm.calendar import clock_seconds
from wfm.logs import DataWarning, interval_history, read_contacts, read_history
from wfm.logs._parse import parse_clock_seconds, parse_datetimes

EXAMPLES = Path(__file__).resolve().parents[2] / "wfm" / "datasets" / "data" / "examples"
COLUMNS = {"arrival": "q_start", "abandon": "q_exit", "answer": "ser_start", "end": "ser_exit", "agent": "server"}
OUTCOMES = {"AGENT": "answered", "HANG": "abandoned", "PHANTOM": "other"}
TIMES = ("q_start", "q_exit", "ser_start", "ser_exit")


def _contacts(source, placeholder):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        return read_contacts(source, columns=COLUMNS, outcomes=OUTCOMES, dayfirst=True, filters={"type": ["PS"]},
                             na_values={"ser_start": placeholder, "ser_exit": placeholder, "server": "NO_SERVER"})


def _twelve_hour(text, rows):
    """'8:00:09' -> '8:00:09 AM' by strftime; every third row writes the marker as 'a.m.'/'p.m.', every fifth lower."""
    clock = pd.to_datetime(text, format="%H:%M:%S").dt.strftime("%I:%M:%S %p").str.lstrip("0")
    clock = clock.where(rows % 3 != 0, clock.str.replace("AM", "a.m.").str.replace("PM", "p.m."))
    return clock.where(rows % 5 != 0, clock.str.lower())


# --------------------------------------------------------------------------
# 12-hour clock times
# --------------------------------------------------------------------------

def test_every_minute_of_the_day_on_the_12_hour_clock_reads_as_on_the_24_hour_clock():
    # brute force: strftime writes each of the 86,400 seconds both ways; the two readings must agree
    day = pd.date_range("2024-01-01", periods=86400, freq="s")
    want = np.arange(86400.0)
    assert np.array_equal(clock_seconds(day.strftime("%H:%M:%S").to_numpy()), want)
    assert np.array_equal(clock_seconds(day.strftime("%I:%M:%S %p").to_numpy()), want)
    unpadded = day[::60].strftime("%I:%M %p").str.lstrip("0").to_numpy()  # '8:05 PM', '12:00 AM'
    assert np.array_equal(clock_seconds(unpadded), want[::60])


def test_12_am_is_midnight_12_pm_is_noon_and_hours_outside_1_to_12_are_not_times():
    got = clock_seconds(["12:00 AM", "12:05 AM", "12:30 PM", "12:59:59 PM", "1:30 pm", "11:59:59 P.M.", "0:05 AM",
                         "13:00 PM", "0:30 PM", "12:60 PM", "8:05 XM"])
    want = [0, 300, 45000, 46799, 48600, 86399, 300, np.nan, np.nan, np.nan, np.nan]
    np.testing.assert_array_equal(got, want)
    # fractions of a second take the slower path, and the marker still applies
    secs = parse_clock_seconds(pd.Series(["12:00:00.5 AM", "1:00:00.25 PM", None]), "t", np.arange(3))
    np.testing.assert_array_equal(secs, [0.5, 46800.25, np.nan])


def test_the_shipped_contact_log_on_the_12_hour_clock_gives_the_same_history():
    raw = pd.read_csv(EXAMPLES / "contact_log.csv", dtype=str)
    twelve = raw.copy()
    rows = np.arange(len(raw))
    for col in TIMES:
        twelve[col] = _twelve_hour(raw[col], rows)
    assert twelve["q_start"].str.contains("PM").any() and twelve["q_start"].str.contains("a.m.").any()
    # the placeholder 0:00:00 is 12:00:00 AM on the 12-hour clock (and lower case on every fifth row)
    placeholder = raw["ser_start"] == "0:00:00"
    assert placeholder.sum() > 0
    twelve.loc[placeholder, ["ser_start", "ser_exit"]] = "12:00:00 AM"
    log24 = _contacts(raw, "0:00:00")
    log12 = _contacts(twelve, "12:00:00 AM")
    pd.testing.assert_frame_equal(log12, log24)
    assert log24["arrival"].dt.date.min() == pd.Timestamp("2024-06-23").date()
    pd.testing.assert_frame_equal(interval_history(log12, "30min").table, interval_history(log24, "30min").table)


def test_the_reported_12_hour_log_is_put_on_its_dates(tmp_path, capsys):
    log = tmp_path / "log12.csv"
    log.write_text("date,arrival,answer,end,outcome\n"
                   "23/06/2024,8:00:09 AM,8:00:15 AM,8:02:28 AM,AGENT\n"
                   "23/06/2024,1:30:00 PM,1:30:20 PM,1:35:00 PM,AGENT\n"
                   "24/06/2024,8:10:00 AM,8:10:05 AM,8:15:00 AM,AGENT\n"
                   "25/06/2024,9:00:00 AM,,,HANG\n")
    out = tmp_path / "h.csv"
    assert cli.main(["history", str(log), "--dayfirst", "--outcomes", "AGENT=answered,HANG=abandoned",
                     "--out", str(out)]) == 0
    table = pd.read_csv(out, index_col=0, parse_dates=True)
    busy = table[table["calls"] > 0]
    # one call in each interval, read off the rows: 08:00:09, 13:30:00 (1:30 PM), 08:10 next day, 09:00 the day after
    assert busy.index.tolist() == [pd.Timestamp("2024-06-23 08:00"), pd.Timestamp("2024-06-23 13:30"),
                                   pd.Timestamp("2024-06-24 08:00"), pd.Timestamp("2024-06-25 09:00")]
    assert busy["calls"].tolist() == [1, 1, 1, 1]
    # handle times: 8:00:15 -> 8:02:28 is 133 s; 1:30:20 PM -> 1:35:00 PM is 280 s; 8:10:05 -> 8:15:00 is 295 s
    assert busy["handle_time"].tolist() == [133, 280, 295, 0]


def test_13_pm_is_an_error_naming_the_column_rows_and_the_rule():
    frame = pd.DataFrame({"date": ["23/06/2024"] * 3, "arrival": ["8:00 AM", "13:00 PM", "1:00 PM"],
                          "outcome": ["HANG"] * 3})
    with pytest.raises(TypeError) as err:
        read_contacts(frame, dayfirst=True, outcomes={"HANG": "abandoned"})
    assert str(err.value) == (
        "column 'arrival' holds 12-hour times (with AM or PM) whose hour is not 1-12 in 1 of 3 rows: rows [1] "
        "(values '13:00 PM'). With AM or PM the hour runs from 1 to 12 ('12:05 AM' is 00:05, '1:30 PM' is 13:30); "
        "write 24-hour times ('13:00') without AM or PM.")


def test_interval_report_with_12_hour_ranges_reads_as_the_24_hour_report():
    raw = pd.read_csv(EXAMPLES / "interval_report.csv", dtype=str)
    twelve = raw.copy()
    ends = raw["Interval"].str.split(" - ", expand=True)
    as12 = [pd.to_datetime(e, format="%H:%M").dt.strftime("%I:%M %p").str.lstrip("0") for e in (ends[0], ends[1])]
    twelve["Interval"] = as12[0] + " - " + as12[1]
    assert twelve["Interval"].iloc[10] == "1:00 PM - 1:30 PM"
    columns = {"date": "Date", "time": "Interval", "calls": "Offered"}
    pd.testing.assert_frame_equal(read_history(twelve, columns=columns, dayfirst=True),
                                  read_history(raw, columns=columns, dayfirst=True))


# --------------------------------------------------------------------------
# Times with no date: never on today's date
# --------------------------------------------------------------------------

NO_DATE = ("wfm never puts a time on today's date. Give each time its date ('23/06/2024 08:05'), or give the dates "
           "in a column of their own (columns={'date': 'YourDateColumn'}); times of day are read as 'H:MM', "
           "'H:MM:SS' or '8:05 PM'.")


def test_a_timestamp_column_of_times_only_is_an_error_not_today():
    frame = pd.DataFrame({"timestamp": ["8:00 AM", "8:30 AM", "9:00 AM"], "calls": [3, 4, 5]})
    with pytest.raises(ValueError) as err:
        read_history(frame)
    assert str(err.value) == ("column 'timestamp' holds times with no date (pandas would put them on today's date) "
                              "in 3 of 3 rows: rows [0, 1, 2] (values '8:00 AM', '8:30 AM', '9:00 AM'). " + NO_DATE)


def test_times_with_no_date_are_named_among_timestamps_with_dates():
    values = pd.Series(["2024-06-23 08:00", "20:05:10", "23/06/2024 9:00 PM"])
    with pytest.raises(ValueError, match=r"holds times with no date .* in 1 of 3 rows: rows \[3\] "
                                         r"\(values '20:05:10'\)"):
        parse_datetimes(values, "arrival", np.arange(3) + 2, dayfirst=True)
    # the dated ones alone read on their own dates
    got = parse_datetimes(values.drop(1), "arrival", np.arange(2), dayfirst=True)
    assert got.tolist() == [pd.Timestamp("2024-06-23 08:00"), pd.Timestamp("2024-06-23 21:00")]


def test_a_date_format_with_no_year_is_an_error():
    with pytest.raises(ValueError) as err:
        parse_datetimes(pd.Series(["8:05 PM"]), "arrival", np.arange(1), date_format="%I:%M %p")
    assert str(err.value) == ("date_format='%I:%M %p' reads no year, so every time would fall in 1900; give a format "
                              "with the date, e.g. date_format='%d/%m/%Y %H:%M', or give the dates in a column of "
                              "their own (columns={'date': 'YourDateColumn'}).")


# --------------------------------------------------------------------------
# Dates with no year: never in the current year
# --------------------------------------------------------------------------

REPORT_COLUMNS = {"date": "Date", "time": "Interval", "calls": "Offered", "answered": "Answered",
                  "handle_time": "Handle Time (s)"}
NO_YEAR = ("wfm never guesses the year (pandas would put them in the current year). Export the dates with their "
           "year ('23/06/2024 08:00'), and give their format with the year when they are not ISO 8601, e.g. "
           "date_format='%d/%m/%Y %H:%M'.")


def _report_without_year(tmp_path):
    """The shipped interval report (Date dd/mm/yyyy) with the year cut off its dates: '02/06'."""
    text = (EXAMPLES / "interval_report.csv").read_text().replace("/2024,", ",")
    assert "/2024" not in text
    (tmp_path / "report.csv").write_text(text)
    return tmp_path / "report.csv"


def test_an_interval_report_without_years_is_an_error_naming_the_lines(tmp_path):
    with pytest.raises(ValueError) as err:
        read_history(_report_without_year(tmp_path), columns=REPORT_COLUMNS, dayfirst=True)
    # the file's lines 2-6 are the first five intervals of Sunday 2 June
    assert str(err.value).startswith("column 'Date' holds dates with no year in ")
    assert "rows [2, 3, 4, 5, 6, ...] (values '02/06', '02/06', '02/06', '02/06', '02/06', ...). " + NO_YEAR in \
        str(err.value)


def test_a_timestamp_column_without_years_names_only_those_rows():
    values = pd.Series(["2024-06-23 08:00", "23/06 08:30", "06-23 09:00", "23 Jun 09:30", "23/06/2024 10:00"])
    with pytest.raises(ValueError) as err:
        parse_datetimes(values, "arrival", np.arange(5) + 2, dayfirst=True)
    assert str(err.value) == ("column 'arrival' holds dates with no year in 3 of 5 rows: rows [3, 4, 5] (values "
                              "'23/06 08:30', '06-23 09:00', '23 Jun 09:30'). " + NO_YEAR)


def test_dates_without_years_are_refused_where_pandas_2_reads_them_in_the_current_year(monkeypatch):
    """pandas 2 puts a date with no year in the current year (dateutil's default, today); pandas 3 in the year 1,
    which wfm reads as no date. Emulate pandas 2 so the refusal does not rest on pandas 3's choice."""
    from dateutil import parser

    from wfm.logs import _parse as lp

    real = lp._to_datetime

    def pandas_2(values, **kw):
        out = real(values, **kw)
        if kw.get("format") == "mixed":
            now = pd.Timestamp.now().to_pydatetime()
            out = out.where(out.notna(), pd.Series([parser.parse(v, default=now, dayfirst=kw.get("dayfirst", False))
                                                    for v in values], dtype="datetime64[ns]"))
        return out

    monkeypatch.setattr(lp, "_to_datetime", pandas_2)
    assert lp._to_datetime(pd.Series(["23 Jun 08:00"]), format="mixed")[0].year == pd.Timestamp.now().year
    with pytest.raises(ValueError, match=r"holds dates with no year in 2 of 2 rows: rows \[2, 3\]"):
        parse_datetimes(pd.Series(["23 Jun 08:00", "Jun 23 08:30"]), "arrival", np.arange(2) + 2)


def test_full_dates_of_the_current_year_still_read():
    year = pd.Timestamp.now().year
    values = pd.Series([f"23 Jun {year} 08:00", f"Jun 23 {year % 100:02d} 08:30", f"{year}-06-23 09:00"])
    got = parse_datetimes(values, "arrival", np.arange(3))
    assert got.tolist() == [pd.Timestamp(f"{year}-06-23 {t}") for t in ("08:00", "08:30", "09:00")]


def test_the_cli_names_the_file_and_the_date_format_flag(tmp_path, capsys):
    pd.DataFrame({"timestamp": ["23/06 08:00", "23/06 08:30"], "forecast": [10.0, 12.0]}).to_csv(
        tmp_path / "fc.csv", index=False)
    assert cli.main(["staff", "--forecast", str(tmp_path / "fc.csv"), "--aht", "300", "--out",
                     str(tmp_path / "plan.csv"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "--forecast 'fc.csv': column 'timestamp' holds dates with no year in 2 of 2 rows: rows [2, 3]" in err
    assert "--date-format '%d/%m/%Y %H:%M'" in err and not (tmp_path / "plan.csv").exists()


# --------------------------------------------------------------------------
# UTC offsets that change (summer time)
# --------------------------------------------------------------------------

def _report_across_dst(offsets=True):
    """The shipped interval report moved to 17 Mar-11 Apr 2024 (Berlin changes to summer time on 31 Mar), with its
    interval start in one ISO column carrying the offset; and the same wall-clock times, naive."""
    raw = pd.read_csv(EXAMPLES / "interval_report.csv")
    wall = pd.to_datetime(raw["Date"], format="%d/%m/%Y") + pd.to_timedelta(raw["Interval"].str[:5] + ":00")
    wall = wall - wall.min().normalize() + pd.Timestamp("2024-03-17")
    local = wall.dt.tz_localize("Europe/Berlin")
    frame = raw.drop(columns=["Date", "Interval"])
    frame.insert(0, "Interval Start", local.map(lambda t: t.isoformat()) if offsets else wall.astype(str))
    return frame, wall


DST_HINT = ("wfm does not convert them to UTC on its own: open hours, days and weeks would move by the offset. Pass "
            "the time zone of the centre, and the times are read on its wall clock: tz='Europe/Berlin' from Python, "
            "--tz Europe/Berlin on the command line, or tz: Europe/Berlin under data: in a scenario file.")
COLS = {"timestamp": "Interval Start", "calls": "Offered"}


def test_offsets_that_change_without_tz_are_an_error_naming_where():
    frame, wall = _report_across_dst()
    first_summer = int(np.flatnonzero(wall >= pd.Timestamp("2024-03-31"))[0])
    with pytest.raises(ValueError) as err:
        read_history(frame, columns=COLS)
    assert str(err.value) == (
        "column 'Interval Start' holds times with more than one UTC offset (+01:00, +02:00), as at a change to or "
        f"from summer time; the offset changes in 1 of 400 rows: rows [{first_summer}] (values "
        "'2024-03-31T08:00:00+02:00'). " + DST_HINT)


def test_offsets_that_change_with_tz_read_on_the_local_wall_clock():
    frame, wall = _report_across_dst()
    got = read_history(frame, columns=COLS, tz="Europe/Berlin")
    naive, _ = _report_across_dst(offsets=False)
    want = read_history(naive, columns=COLS, tz="Europe/Berlin")
    pd.testing.assert_frame_equal(got, want)
    assert got.index.tz_localize(None).equals(pd.DatetimeIndex(wall.to_numpy(), name="timestamp"))
    assert sorted(set(got.index.hour)) == list(range(8, 18))  # 08:00-18:00 local, before and after the change


def test_one_constant_offset_still_reads_without_tz():
    frame, wall = _report_across_dst()
    winter = wall < pd.Timestamp("2024-03-31")
    got = read_history(frame[winter.to_numpy()], columns=COLS)
    assert str(got.index.tz) == "UTC+01:00"
    assert got.index.tz_localize(None).equals(pd.DatetimeIndex(wall[winter].to_numpy(), name="timestamp"))


def test_times_with_and_without_an_offset_are_an_error_even_with_tz():
    values = pd.Series(["2024-03-30T08:00:00+01:00", "2024-03-30T08:30:00"])
    for tz in (None, "Europe/Berlin"):
        with pytest.raises(ValueError) as err:
            parse_datetimes(values, "start", np.arange(2), tz=tz)
        assert str(err.value) == (
            "column 'start' mixes times with a UTC offset (+01:00) and times without one in 1 of 2 rows: rows [1] "
            "(values '2024-03-30T08:30:00'). Give every time the same way: all with their offset, or all on the "
            "local clock (with the time zone given separately).")


def test_contact_log_across_dst_needs_tz_and_reads_with_it():
    arrival = pd.Series(["2024-03-30T09:00:00+01:00", "2024-03-31T09:00:00+02:00"])
    frame = pd.DataFrame({"arrival": arrival, "outcome": ["HANG"] * 2})
    with pytest.raises(ValueError, match=r"column 'arrival' holds times with more than one UTC offset "
                                        r"\(\+01:00, \+02:00\).* rows \[1\]"):
        read_contacts(frame, outcomes={"HANG": "abandoned"})
    log = read_contacts(frame, outcomes={"HANG": "abandoned"}, tz="Europe/Berlin")
    assert log["arrival"].dt.hour.tolist() == [9, 9]


def test_init_without_tz_fails_naming_the_flag(tmp_path, capsys):
    frame, _ = _report_across_dst()
    path = tmp_path / "dst.csv"
    frame.to_csv(path, index=False)
    assert cli.main(["init", str(path), "--out", str(tmp_path / "s.yaml")]) == 2
    err = capsys.readouterr().err
    assert "more than one UTC offset (+01:00, +02:00)" in err and "--tz Europe/Berlin" in err
    assert cli.main(["init", str(path), "--tz", "Europe/Berlin", "--out", str(tmp_path / "s.yaml")]) == 0
