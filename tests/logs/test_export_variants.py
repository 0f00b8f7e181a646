"""Review 33: ACD exports the way team leads bring them. A 'Handle Time' column that holds each interval's average
(not its total), AHT as mm:ss text, thousands separators, percentages, a clock change on the wall clock, blank and
Total rows: each is read right or refused with the pattern named and the way out. The exports are made from the
shipped example reports (synthetic, seeded) as the reviewer's scripts made theirs; every expected figure is
recomputed here from the file."""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from wfm import cli
from wfm._validation import check_aht_column
from wfm.logs import DataWarning, read_history

EXAMPLES = Path(__file__).resolve().parents[2] / "wfm" / "datasets" / "data" / "examples"
ROLES = {"date": "Date", "time": "Interval", "calls": "Offered", "answered": "Answered", "abandoned": "Abandoned",
         "answered_within": "Answered in 20s"}


def quiet_read(source, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read_history(source, **kw)


def average_export(factor):
    """The example report with 'Handle Time (s)' replaced by each interval's average per answered call x factor,
    named 'Handle Time' (no unit, no avg/total), as the reviewer's s02.sh does (factor 3.5: a 949-s-like average;
    1: the report's own ~270 s)."""
    raw = pd.read_csv(EXAMPLES / "interval_report.csv")
    total = raw.pop("Handle Time (s)")
    raw["Handle Time"] = (total * factor / raw["Answered"].where(raw["Answered"] > 0)).round(1)
    return raw


# --------------------------------------------------------------------------
# #3 an average per call mapped as the total handle time
# --------------------------------------------------------------------------

@pytest.mark.parametrize("factor", [3.5, 1.0])
def test_an_average_handle_time_mapped_as_the_total_is_refused_with_both_readings(factor):
    """Old code: factor 3.5 was read as a total (AHT ~1/20 of the truth, a warning on a few rows); factor 1 was
    refused with 'multiply it by 60', which gives an AHT 60/answered times too high."""
    raw = average_export(factor)
    c, a = raw["Handle Time"].to_numpy(), raw["Answered"].to_numpy()
    use = (a > 0) & (c > 0)
    as_total = c[use].sum() / a[use].sum()
    as_average = (c[use] * a[use]).sum() / a[use].sum()
    with pytest.raises(ValueError) as info:
        quiet_read(raw, columns={**ROLES, "handle_time": "Handle Time"}, dayfirst=True)
    message = str(info.value)
    assert "holds each interval's average per call: it does not grow with the calls answered" in message
    assert f"Read as a total it gives an AHT of {as_total:,.0f} s" in message
    assert f"read as an average, {as_average:,.0f} s" in message
    assert "columns={'aht': 'Handle Time'}" in message and "multiply it by 60" not in message
    # the fix it names reads the truth: the call-weighted AHT is factor x the example's (total / answered)
    fixed = quiet_read(raw, columns={**ROLES, "aht": "Handle Time"}, dayfirst=True)
    example = pd.read_csv(EXAMPLES / "interval_report.csv")
    truth = factor * example["Handle Time (s)"].sum() / example["Answered"].sum()
    weighted = (fixed["aht"] * fixed["answered"]).sum() / fixed["answered"].sum()
    assert weighted == pytest.approx(truth, rel=2e-4)  # the column was rounded to 0.1 s


def test_the_shipped_24x7_average_column_mapped_as_a_total_is_refused():
    """The 24x7 example's 'Avg Handle Time (sec)' is an average (its rows with 1 call answered included)."""
    columns = {"timestamp": "Interval Start", "calls": "Calls Offered", "answered": "Calls Handled",
               "handle_time": "Avg Handle Time (sec)"}
    with pytest.raises(ValueError, match="holds each interval's average per call"):
        quiet_read(EXAMPLES / "interval_report_24x7.csv", columns=columns)


def test_a_true_total_is_read_as_before():
    raw = pd.read_csv(EXAMPLES / "interval_report.csv")
    out = quiet_read(raw, columns={**ROLES, "handle_time": "Handle Time (s)"}, dayfirst=True)
    a = raw["Answered"].to_numpy(dtype=float)
    expected = np.where(a > 0, raw["Handle Time (s)"] / np.where(a > 0, a, 1), np.nan)
    np.testing.assert_array_equal(out["aht"].to_numpy(), expected)


def test_a_total_in_minutes_still_gets_the_minutes_advice_and_it_is_right():
    """A total grows with the calls answered: under 20 s per call, it is in minutes, and x 60 reads the truth."""
    raw = pd.read_csv(EXAMPLES / "interval_report.csv")
    raw["Handle Time (s)"] = raw["Handle Time (s)"] / 60
    with pytest.raises(ValueError, match=r"if the column is in minutes, multiply it by 60"):
        quiet_read(raw, columns={**ROLES, "handle_time": "Handle Time (s)"}, dayfirst=True)


def test_when_the_rows_cannot_tell_both_readings_are_named():
    """20 calls answered in every interval: the column cannot be seen to grow or not. 270 s per call and 90 min in
    total both fit 270: the message names both fixes (and neither alone)."""
    table = pd.DataFrame({"Interval": pd.date_range("2024-03-04 08:00", periods=8, freq="30min").astype(str),
                          "Offered": 21, "Answered": 20, "Handle Time": [270, 255, 281, 262, 290, 248, 275, 266]})
    with pytest.raises(ValueError, match=r"under 20 s, shorter than any contact, while the column itself is 20 s to "
                                         r"2 h: it looks like each interval's average per call \(the rows cannot "
                                         r"tell.*If it is the average, map it as the average handle time, "
                                         r"columns=\{'aht': 'Handle Time'\}.*if it is a total in minutes, "
                                         r"multiply it by 60\."):
        quiet_read(table, timestamp="Interval", calls="Offered", answered="Answered", handle_time="Handle Time")


def test_the_minutes_advice_only_when_times_60_is_plausible():
    """AHT in hours (0.07 h = 252 s): x 60 gives 4.2 s, still implausible; old code advised minutes."""
    with pytest.raises(ValueError, match=r"if the column is in hours, multiply it by 3600 \(0\.07 hours is 252 s\)"):
        check_aht_column([0.07, 0.08, 0.06], "column 'AHT'")
    with pytest.raises(ValueError, match=r"neither minutes nor hours give handle times"):
        check_aht_column([0.001, 0.002, 0.001], "column 'AHT'")


def test_init_names_the_aht_flag_and_following_it_reads_the_average(tmp_path, capsys):
    average_export(3.5).to_csv(tmp_path / "avg.csv", index=False)
    assert cli.main(["init", str(tmp_path / "avg.csv"), "--out", str(tmp_path / "s.yaml"), "--dayfirst"]) == 2
    err = capsys.readouterr().err
    assert "holds each interval's average per call" in err and "--columns aht='Handle Time'" in err
    assert cli.main(["init", str(tmp_path / "avg.csv"), "--out", str(tmp_path / "s.yaml"), "--dayfirst",
                     "--columns", "aht=Handle Time"]) == 0
    assert "aht: Handle Time" in (tmp_path / "s.yaml").read_text()


# --------------------------------------------------------------------------
# #9 blank rows and a Total row in the Interval column name the options that leave them out
# --------------------------------------------------------------------------

def _padded(tmp_path):
    """The example report with two blank rows (after lines 11 and 31: lines 12, 33, 34 of the file) and a 'Total'
    row in the Interval column (Date blank) at the end, as Excel exports write them."""
    raw = pd.read_csv(EXAMPLES / "interval_report.csv", dtype=str)
    blank = pd.DataFrame([[""] * raw.shape[1]], columns=raw.columns)
    total = {c: "" for c in raw.columns} | {"Interval": "Total", "Offered": str(raw["Offered"].astype(int).sum())}
    pd.concat([raw.iloc[:10], blank, raw.iloc[10:30], blank, blank, raw.iloc[30:]]).to_csv(tmp_path / "blank.csv",
                                                                                            index=False)
    pd.concat([raw, pd.DataFrame([total])]).to_csv(tmp_path / "total.csv", index=False)
    return tmp_path / "blank.csv", tmp_path / "total.csv"


def test_blank_and_total_rows_name_the_flags_that_leave_them_out(tmp_path, capsys):
    blank, total = _padded(tmp_path)
    out = str(tmp_path / "s.yaml")
    assert cli.main(["init", str(blank), "--out", out, "--dayfirst"]) == 2
    err = capsys.readouterr().err
    assert "got none in 3 of 403 rows: rows [12, 33, 34]. Those rows are blank (every cell empty): set them aside " \
           "with --on-bad-rows reject (on_bad_rows: reject under data: in a scenario)" in err, err
    assert cli.main(["init", str(total), "--out", out, "--dayfirst"]) == 2
    err = capsys.readouterr().err
    assert "rows [402]. 'Total' in column 'Interval': a total or summary row? Leave such rows out with --exclude " \
           "\"Interval == 'Total'\"" in err, err
    # doing what they say reads the clean report
    clean = quiet_read(EXAMPLES / "interval_report.csv", columns=ROLES, dayfirst=True)
    for path, options in ((blank, dict(on_bad_rows="reject")), (total, dict(exclude="Interval == 'Total'"))):
        pd.testing.assert_frame_equal(quiet_read(path, columns=ROLES, dayfirst=True, **options)[clean.columns],
                                      clean, check_freq=False)


def test_blank_rows_from_python_and_a_scenario_name_the_argument_and_the_key(tmp_path):
    import yaml

    import wfm
    from wfm.scenario.draft import draft_scenario

    raw = pd.read_csv(EXAMPLES / "interval_report.csv", dtype=str)
    raw.loc[5, :] = None
    with pytest.raises(ValueError, match=r"rows \[5\]\. That row is blank \(every cell empty\): set it aside with "
                                         r"on_bad_rows='reject'"):
        quiet_read(raw, columns=ROLES, dayfirst=True)
    raw.to_csv(tmp_path / "blank.csv", index=False)
    draft_scenario(EXAMPLES / "interval_report.csv", folder=tmp_path).write(tmp_path / "s.yaml")
    scenario = yaml.safe_load((tmp_path / "s.yaml").read_text())
    scenario["data"]["path"] = "blank.csv"
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(scenario))
    with pytest.raises(ValueError, match=r"rows \[7\]\. That row is blank .*set it aside with data\.on_bad_rows: "
                                         r"'reject'"):
        wfm.scenario.load_history(wfm.scenario.load_scenario(tmp_path / "s.yaml"))


# --------------------------------------------------------------------------
# #7 numbers written as text: durations, thousands separators, percentages
# --------------------------------------------------------------------------

def _aht_report(fmt):
    """The example report with its AHT (total / answered, rounded to whole seconds) as text in an 'AHT' column."""
    raw = pd.read_csv(EXAMPLES / "interval_report.csv")
    total = raw.pop("Handle Time (s)")
    seconds = (total / raw["Answered"].where(raw["Answered"] > 0)).round().fillna(0).astype(int)
    raw["AHT"] = [fmt(s) for s in seconds]
    return raw, seconds


@pytest.mark.parametrize("fmt", [lambda s: f"{s // 60}:{s % 60:02d}", lambda s: f"{s // 3600}:{s // 60 % 60:02d}:"
                                                                             f"{s % 60:02d}"], ids=["m:ss", "h:mm:ss"])
def test_an_aht_written_as_a_duration_is_read_in_seconds(fmt, tmp_path, capsys):
    """'4:24' as hours:minutes would be 4 h 24 min, over 2 h in (nearly) every row: the column is minutes:seconds."""
    raw, seconds = _aht_report(fmt)
    out = quiet_read(raw, columns={**ROLES, "aht": "AHT"}, dayfirst=True)
    served = raw["Answered"].to_numpy() > 0
    np.testing.assert_array_equal(out["aht"].to_numpy()[served], seconds.to_numpy()[served])
    assert out["aht"].isna().to_numpy()[~served].all()
    raw.to_csv(tmp_path / "aht.csv", index=False)  # wfm init maps 'AHT' by its name and reads it
    assert cli.main(["init", str(tmp_path / "aht.csv"), "--out", str(tmp_path / "s.yaml"), "--dayfirst",
                     "--quiet"]) == 0


def test_a_duration_that_reads_both_ways_is_refused_not_guessed():
    """AHTs of 1-2 minutes: '1:30' is 90 s as m:ss and 5,400 s as h:mm, both within 20 s to 2 h."""
    raw, _ = _aht_report(lambda s: f"{1 + s % 2}:{s % 60:02d}")
    with pytest.raises(ValueError, match=r"holds handle times as 'm:ss' or 'h:mm' text in \d+ of 400 rows.*read two "
                                         r"ways .* as minutes:seconds, .* as hours:minutes.*does not guess"):
        quiet_read(raw, columns={**ROLES, "aht": "AHT"}, dayfirst=True)
    raw.loc[3, "AHT"] = "4:60"  # and a part of 60 is no duration at all
    with pytest.raises(TypeError, match=r"holds durations with 60 or more minutes or seconds .* rows \[3\]"):
        quiet_read(raw, columns={**ROLES, "aht": "AHT"}, dayfirst=True)


def test_thousands_separators_and_percentages_name_the_pattern_and_the_way_out(tmp_path, capsys):
    import csv

    raw = pd.read_csv(EXAMPLES / "interval_report.csv", dtype=str)
    sep = raw.assign(**{"Handle Time (s)": [f"{int(x):,}" for x in raw["Handle Time (s)"]]})
    sep.to_csv(tmp_path / "thousands.csv", index=False, quoting=csv.QUOTE_NONNUMERIC)
    pct = raw.assign(Abandoned=[f"{round(100 * int(a) / int(o))}%" for a, o in zip(raw["Abandoned"], raw["Offered"])])
    pct.rename(columns={"Abandoned": "Abandoned %"}).to_csv(tmp_path / "pct.csv", index=False)
    out = str(tmp_path / "s.yaml")
    assert cli.main(["init", str(tmp_path / "thousands.csv"), "--out", out, "--dayfirst"]) == 2
    err = capsys.readouterr().err
    n = int((raw["Handle Time (s)"].astype(int) >= 1000).sum())  # the cells with a separator
    assert f"column 'Handle Time (s)' holds numbers with a comma between thousands ('4,859' is 4859) in {n} of 400 " \
           "rows" in err and "pandas.read_csv(path, thousands=',')" in err, err
    assert cli.main(["init", str(tmp_path / "pct.csv"), "--out", out, "--dayfirst"]) == 2
    err = capsys.readouterr().err
    assert "column 'Abandoned %' holds percentages ('14%', a rate, not a count of contacts)" in err
    assert "Map the column that counts them (--columns abandoned=COLUMN); if the report has none, leave abandoned " \
           "out" in err, err
    # the Python way out the first message names reads the original report
    roles = {**ROLES, "handle_time": "Handle Time (s)"}
    fixed = quiet_read(pd.read_csv(tmp_path / "thousands.csv", thousands=","), columns=roles, dayfirst=True)
    pd.testing.assert_frame_equal(fixed, quiet_read(EXAMPLES / "interval_report.csv", columns=roles, dayfirst=True))


# --------------------------------------------------------------------------
# #8 the hour a wall-clock export repeats when summer time ends
# --------------------------------------------------------------------------

def _wall_clock_report(start="2026-10-24", days=3):
    """A 24x7 quarter-hour report over Europe/London's fall-back (Sun 25 Oct 2026, 02:00 BST -> 01:00 GMT), its
    times written on the wall clock without offsets, so 01:00-01:45 are there twice (synthetic, seeded)."""
    idx = pd.date_range(start, periods=days * 96 + 4, freq="15min", tz="Europe/London")
    calls = np.random.default_rng(8).poisson(5, len(idx))
    return pd.DataFrame({"Interval Start": idx.strftime("%Y-%m-%d %H:%M"), "Offered": calls}), idx


def test_the_fall_back_hour_is_named_a_clock_change_with_the_fixes_that_keep_every_call(tmp_path, capsys):
    report, idx = _wall_clock_report()
    report.to_csv(tmp_path / "wall.csv", index=False)
    rows = "rows [102, 103, 104, 105, 106, ...]"  # 01:00 of the 25th is the 101st row: line 102
    base = ["init", str(tmp_path / "wall.csv"), "--out", str(tmp_path / "s.yaml")]
    assert cli.main(base) == 2
    err = capsys.readouterr().err
    assert "repeats the hour 01:00-02:00 of Sun 2026-10-25 (each interval twice, in order) in 8 of 292 rows: " + rows \
           in err and "looks like a clock change" in err and "queue" not in err, err
    assert "when the hour is that zone's change, wfm reads the first copy on summer time" in err
    # fix 1, the centre's zone: Europe/London's own fall-back, each interval twice in order, is read exactly, the
    # first copy on BST and the second on GMT: the same instants as the times written with their offsets
    with_offsets = report.assign(**{"Interval Start": [f"{t:%Y-%m-%d %H:%M}{t.isoformat()[-6:]}" for t in idx]})
    exact = quiet_read(with_offsets, timestamp="Interval Start", calls="Offered", tz="Europe/London")
    assert exact.index.equals(pd.DatetimeIndex(idx, name="timestamp"))
    with pytest.warns(DataWarning, match=r"Interval Start: the hour 01:00-02:00 of Sun 2026-10-25 is there "
                      r"twice, each interval in order, as Europe/London's clocks went back that night: the first copy "
                      r"is read at UTC\+01:00 \(BST\), the second at UTC\+00:00 \(GMT\)"):
        read = read_history(report, timestamp="Interval Start", calls="Offered", tz="Europe/London")
    assert read.index.equals(exact.index) and (read["calls"] == exact["calls"]).all()
    assert read["calls"].sum() == report["Offered"].sum()
    assert cli.main(base + ["--tz", "Europe/London"]) == 0  # and wfm init goes on
    # fix 2, the two copies summed, on the wall clock: one row for 01:00, the day keeps all its calls
    summed = report.groupby("Interval Start", sort=False, as_index=False)["Offered"].sum()
    read = quiet_read(summed, timestamp="Interval Start", calls="Offered")
    assert len(read) == len(report) - 4 and read["calls"].sum() == report["Offered"].sum()


def test_other_repeats_are_not_taken_for_a_clock_change():
    """A week with no clock change: 01:00-01:45 of Sun 11 Oct repeated is a clock change nowhere in Europe/London,
    and a repeat of other than one hour, or not in order, is no clock change at all."""
    report, _ = _wall_clock_report("2026-10-10")  # rows 100-103: 01:00-01:45 of the 11th
    hour = pd.concat([report.iloc[:104], report.iloc[100:104], report.iloc[104:]])
    with pytest.raises(ValueError, match=r"repeats an interval in 8 of 296 rows.*name the queue column"):
        quiet_read(hour, timestamp="Interval Start", calls="Offered", tz="Europe/London")
    with pytest.raises(ValueError, match=r"repeats the hour 01:00-02:00 of Sun 2026-10-11"):  # no zone: it may be
        quiet_read(hour, timestamp="Interval Start", calls="Offered")
    cases = {"three times": (pd.concat([report.iloc[:104], report.iloc[100:104], report.iloc[100:104],
                                        report.iloc[104:]]), 12),
             "half an hour": (pd.concat([report.iloc[:102], report.iloc[100:102], report.iloc[102:]]), 4),
             "one interval": (pd.concat([report.iloc[:101], report.iloc[100:101], report.iloc[101:]]), 2),
             "not in order": (pd.concat([report.iloc[:104], report.iloc[[101, 100, 102, 103]], report.iloc[104:]]), 8)}
    for name, (table, n) in cases.items():
        with pytest.raises(ValueError, match=rf"repeats an interval in {n} of {len(table)} rows"):
            quiet_read(table, timestamp="Interval Start", calls="Offered")
