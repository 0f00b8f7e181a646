"""
How the single steps read the timestamps of wfm's own tables (a forecast, a plan): ISO 8601 as wfm writes it, no
guessed day/month order, and UTC offsets that change with the clocks (read with --tz, the zone they were written in).

The data are the bundled bank_calls series (real) relabelled onto autumn 2024, weekday for weekday, so that a
forecast made on Wednesday 23 October 2024 in Europe/London runs over the end of British Summer Time (Sunday 27
October, 02:00 BST -> 01:00 GMT) and its file holds both +01:00 and +00:00.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import wfm
from wfm import cli

EXAMPLES = Path(wfm.__file__).parent / "datasets" / "data" / "examples"
ZONE = "Europe/London"


@pytest.fixture(scope="module")
def autumn(tmp_path_factory, bank_30min):
    """history.csv (8 weeks to Wed 23 Oct 2024), actual.csv (to Fri 1 Nov) and the CLI's 7-day forecast.csv."""
    folder = tmp_path_factory.mktemp("autumn")
    calls = bank_30min.copy()
    # the bank's last day, Friday 24 Oct 2003, becomes Friday 1 Nov 2024: a whole number of weeks later
    shift = pd.Timestamp("2024-11-01") - pd.Timestamp("2003-10-24")
    assert shift.days % 7 == 0
    calls.index = calls.index + shift
    calls = calls[calls.index >= "2024-08-29"]
    calls.rename_axis("timestamp").reset_index().to_csv(folder / "actual.csv", index=False)
    calls[calls.index < "2024-10-24"].rename_axis("timestamp").reset_index().to_csv(folder / "history.csv",
                                                                                     index=False)
    code = cli.main(["forecast", "--history", str(folder / "history.csv"), "--tz", ZONE, "--days", "7", "--method",
                     "topdown", "--out", str(folder / "forecast.csv"), "--quiet"])
    assert code == 0
    text = (folder / "forecast.csv").read_text()
    assert "+01:00" in text and "+00:00" in text  # the premise: the file's offsets change
    return folder


def _python_plan(folder, **options):
    """The same forecast and plan through the Python API, on the forecast frame in memory (never written)."""
    history = wfm.read_history(folder / "history.csv", tz=ZONE)
    future = wfm.future_intervals(history["calls"], 7)
    fc = wfm.forecast.forecast(history["calls"], future, "topdown", 0.8)
    return fc, wfm.staffing_plan_from_forecast(fc.table[["forecast", "lower", "upper"]], 300, **options)


def _read_plan(path):
    """A plan CSV as written, its offset-carrying timestamps as instants in ZONE."""
    table = pd.read_csv(path)
    table.index = pd.DatetimeIndex(pd.to_datetime(table.pop("timestamp"), utc=True)).tz_convert(ZONE)
    return table


def test_a_forecast_over_the_clock_change_staffs_as_the_python_api_does(autumn, tmp_path, capsys):
    plan_csv = tmp_path / "plan.csv"
    assert cli.main(["staff", "--forecast", str(autumn / "forecast.csv"), "--aht", "300", "--tz", ZONE, "--out",
                     str(plan_csv)]) == 0
    printed = capsys.readouterr().out
    fc, plan = _python_plan(autumn)
    got = _read_plan(plan_csv)
    assert got.index.equals(plan.table.index)  # the same instants
    np.testing.assert_array_equal(got["agents"], plan.table["agents"])
    np.testing.assert_allclose(got["calls_staffed"], plan.table["calls_staffed"])
    assert f"required FTE {plan.figures()['required_fte']:.1f} per working week" in printed
    # the local clock is kept across the change: the bank opens at 07:00 every day, summer time or not
    firsts = got.index.to_series().groupby(got.index.date).min()
    assert set(firsts.dt.strftime("%H:%M %z")) == {"07:00 +0100", "07:00 +0000"}
    # a Parquet file keeps its zone: it reads without --tz, to the same plan
    wfm.report.write_table(tmp_path / "forecast.parquet", fc.table)
    assert cli.main(["staff", "--forecast", str(tmp_path / "forecast.parquet"), "--aht", "300", "--out",
                     str(tmp_path / "plan2.csv"), "--quiet"]) == 0
    np.testing.assert_array_equal(_read_plan(tmp_path / "plan2.csv")["agents"], plan.table["agents"])


def test_changing_offsets_without_the_zone_or_with_another_zone_are_errors(autumn, tmp_path, capsys):
    out = tmp_path / "plan.csv"
    assert cli.main(["staff", "--forecast", str(autumn / "forecast.csv"), "--aht", "300", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    # rows are CSV line numbers: Thu 24 and Fri 25 Oct are 2 x 28 half-hours in BST, so line 58 is Mon 28 Oct
    assert ("--forecast 'forecast.csv': column 'timestamp' holds times with more than one UTC offset (+00:00, "
            "+01:00), as at a change to or from summer time; the offset changes in 1 of 196 rows: rows [58] (values "
            "'2024-10-28 07:00:00+00:00')") in err
    assert "Pass --tz with the time zone they were written in (the --tz given to wfm forecast)" in err
    # Paris is an hour ahead of London all year: none of the offsets is Paris's
    assert cli.main(["staff", "--forecast", str(autumn / "forecast.csv"), "--aht", "300", "--tz", "Europe/Paris",
                     "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "holds UTC offsets that are not those of --tz Europe/Paris at those times in 196 of 196 rows" in err
    assert "In Europe/Paris row 2 is +02:00" in err
    assert cli.main(["staff", "--forecast", str(autumn / "forecast.csv"), "--tz", "Nowhere/Zone", "--out",
                     str(out)]) == 2
    assert "argument --tz: unknown time zone 'Nowhere/Zone'" in capsys.readouterr().err
    assert not out.exists()


def test_one_offset_is_kept_as_it_is(autumn, tmp_path):
    """The summer-time days alone (all +01:00) need no --tz: their plan is the round trip's first 56 rows."""
    fc = pd.read_csv(autumn / "forecast.csv")
    summer = fc[fc["timestamp"].str.endswith("+01:00")]
    assert len(summer) == 56
    summer.to_csv(tmp_path / "summer.csv", index=False)
    assert cli.main(["staff", "--forecast", str(tmp_path / "summer.csv"), "--aht", "300", "--out",
                     str(tmp_path / "plan.csv"), "--quiet"]) == 0
    written = pd.read_csv(tmp_path / "plan.csv")
    assert written["timestamp"].str.endswith("+01:00").all()  # the offset kept, not converted to UTC
    _, plan = _python_plan(autumn)  # each interval is staffed from its own forecast and band only
    np.testing.assert_array_equal(written["agents"], plan.table["agents"].iloc[:56])


def test_evaluate_reads_actuals_and_a_forecast_over_the_clock_change_in_one_zone(autumn, tmp_path, capsys):
    out = tmp_path / "accuracy.csv"
    argv = ["evaluate", "--actual", str(autumn / "actual.csv"), "--forecast", str(autumn / "forecast.csv"),
            "--out", str(out)]
    assert cli.main(argv) == 2
    assert "Pass --tz" in capsys.readouterr().err
    summer = pd.read_csv(autumn / "forecast.csv").iloc[:56]  # one offset, beside naive actuals: still one clock
    summer.to_csv(tmp_path / "summer.csv", index=False)
    assert cli.main(argv[:3] + ["--forecast", str(tmp_path / "summer.csv"), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert ("--forecast 'summer.csv' is written with UTC offsets and --actual 'actual.csv' is written without UTC "
            "offsets (local times); their times are on different clocks. Use one clock: pass --tz with the time zone "
            "the files are in" in err)
    assert cli.main(argv + ["--tz", ZONE, "--quiet"]) == 0
    scores = pd.read_csv(out).set_index(["level", "metric"])["value"]
    actual = wfm.read_history(autumn / "actual.csv", tz=ZONE)["calls"]
    fc = _read_plan(autumn / "forecast.csv")["forecast"]
    assert scores[("interval", "wape")] == pytest.approx(np.abs(actual[fc.index] - fc).sum() / actual[fc.index].sum())


@pytest.fixture(scope="module")
def june(tmp_path_factory):
    """The README's forecast of the example interval report, relabelled Sun 2 - Thu 6 June 2024, ISO and day-first."""
    folder = tmp_path_factory.mktemp("june")
    columns = "date=Date,time=Interval,calls=Offered,answered=Answered,handle_time=Handle Time (s)"
    assert cli.main(["forecast", "--history", str(EXAMPLES / "interval_report.csv"), "--dayfirst", "--columns",
                     columns, "--method", "seasonal_naive", "--days", "5", "--out", str(folder / "fc.csv"),
                     "--quiet"]) == 0
    fc = pd.read_csv(folder / "fc.csv")
    stamps = pd.to_datetime(fc["timestamp"], format="ISO8601") - pd.Timedelta(days=28)  # Sun 30 Jun -> Sun 2 Jun
    assert stamps.dt.strftime("%a %d %b").iloc[0] == "Sun 02 Jun"
    fc.assign(timestamp=stamps.dt.strftime("%Y-%m-%d %H:%M")).to_csv(folder / "fc_iso.csv", index=False)
    fc.assign(timestamp=stamps.dt.strftime("%d/%m/%Y %H:%M")).to_csv(folder / "fc_dmy.csv", index=False)
    return folder


def test_a_day_first_forecast_is_an_error_naming_the_file_rows_and_flags(june, tmp_path, capsys):
    out = tmp_path / "plan.csv"
    assert cli.main(["staff", "--forecast", str(june / "fc_dmy.csv"), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err and not out.exists()
    # 2-5 June read both ways (6/6 does not): 4 days x 20 half-hours; rows are CSV line numbers
    assert ("wfm staff: error: --forecast 'fc_dmy.csv': column 'timestamp' holds dates that read both day-first "
            "and month-first ('02/06/2024' is 2 June or 6 February) in 80 of 100 rows: rows [2, 3, 4, 5, 6, ...] "
            "(values '02/06/2024 08:00', '02/06/2024 08:30'") in err
    assert "pass --dayfirst (day/month/year), --monthfirst (month/day/year) or --date-format" in err
    assert ("wfm writes interval starts in ISO 8601, YYYY-MM-DD HH:MM (with a UTC offset such as +01:00 in a time "
            "zone), and reads them as they are: write the column that way (as wfm forecast does)") in err


def test_a_day_first_forecast_with_its_flag_staffs_as_the_iso_one(june, tmp_path):
    for name, flags in (("fc_iso.csv", []), ("fc_dmy.csv", ["--dayfirst"]),
                        ("fc_dmy.csv", ["--date-format", "%d/%m/%Y %H:%M"]), ("fc_iso.csv", ["--date-format",
                                                                                             "%d/%m/%Y %H:%M"])):
        assert cli.main(["staff", "--forecast", str(june / name), *flags, "--out", str(tmp_path / f"{len(flags)}"
                         f"{name}"), "--quiet"]) == 0
    iso = pd.read_csv(tmp_path / "0fc_iso.csv")
    assert iso["timestamp"].iloc[0] == "2024-06-02 08:00:00"
    for name in ("1fc_dmy.csv", "2fc_dmy.csv", "2fc_iso.csv"):  # ISO reads even beside another file's format
        pd.testing.assert_frame_equal(pd.read_csv(tmp_path / name), iso)
