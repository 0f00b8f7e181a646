"""Interval reports: date and interval columns, handle time as total seconds, day-first dates, gaps, queues."""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from wfm.logs import DataWarning, fill_missing, read_history

ROLES = {"date": "Date", "time": "Interval", "calls": "Offered", "answered": "Answered", "abandoned": "Abandoned",
         "handle_time": "Handle Time (s)", "answered_within": "Answered in 20s"}


@pytest.fixture
def report():
    """Two Sunday-to-Monday days, 08:00-10:00 in half-hours, day-first. Function scope: tests change it."""
    dates = ["02/06/2024"] * 4 + ["03/06/2024"] * 4
    starts = ["08:00", "08:30", "09:00", "09:30"] * 2
    offered = [20, 30, 40, 10, 22, 31, 44, 0]
    answered = [18, 29, 35, 10, 22, 30, 40, 0]
    return pd.DataFrame({
        "Date": dates, "Interval": [f"{s} - {s[:2]}:{int(s[3:]) + 29}" for s in starts], "Offered": offered,
        "Answered": answered, "Abandoned": np.subtract(offered, answered),
        "Handle Time (s)": [a * 240 + 60 for a in answered[:7]] + [0], "Answered in 20s": [15, 25, 20, 10, 20, 28,
                                                                                           30, 0]})


def test_aht_from_total_handle_seconds(report, tmp_path):
    report.to_csv(tmp_path / "report.csv", index=False)
    out = read_history(tmp_path / "report.csv", columns=ROLES, dayfirst=True)
    assert out.index[0] == pd.Timestamp("2024-06-02 08:00") and out.index[4] == pd.Timestamp("2024-06-03 08:00")
    # by hand: AHT = total handle seconds / answered = 240 + 60 / answered; none answered -> NaN
    answered = report["Answered"].to_numpy(float)
    np.testing.assert_allclose(out["aht"].to_numpy()[:7], 240 + 60 / answered[:7], rtol=1e-12)
    assert np.isnan(out["aht"].iloc[7])
    np.testing.assert_allclose(out["service_level"].to_numpy()[:7],
                               report["Answered in 20s"].to_numpy()[:7] / report["Offered"].to_numpy()[:7])
    assert np.isnan(out["service_level"].iloc[7])
    # the same table from Excel and Parquet
    report.to_excel(tmp_path / "report.xlsx", index=False)
    pd.testing.assert_frame_equal(read_history(tmp_path / "report.xlsx", columns=ROLES, dayfirst=True), out)


def test_ambiguous_dates_and_bad_mapping_name_rows_and_options(report):
    with pytest.raises(ValueError, match=r"column 'Date' holds dates that read both day-first and month-first "
                                         r"\('02/06/2024' is 2 June or 6 February\) in 8 of 8 rows.*dayfirst=True"):
        read_history(report, columns=ROLES)
    explicit = read_history(report, columns=ROLES, date_format="%d/%m/%Y")
    assert explicit.index[0] == pd.Timestamp("2024-06-02 08:00")
    bad = report.copy()
    bad.loc[2, "Answered"] = 41  # more answered than offered (40): a mapping mistake
    with pytest.raises(ValueError, match=r"column 'Answered' counts more contacts than 'Offered' in 1 of 8 rows: "
                                         r"rows \[2\]"):
        read_history(bad, columns=ROLES, dayfirst=True)
    with pytest.raises(ValueError, match=r"has no column for calls='Calls'.*columns=\{'calls'"):
        read_history(report, columns={**ROLES, "calls": "Calls"}, dayfirst=True)
    with pytest.raises(ValueError, match=r"columns has unknown key 'offered'"):
        read_history(report, columns={"offered": "Offered"})


def test_a_missing_interval_is_an_error_until_missing_says_what_it_means(report):
    # three weeks of the same two days: Monday 10 June lost its 09:00 interval (still open on the other Mondays)
    weeks = []
    for k, (sun, mon) in enumerate([("02/06/2024", "03/06/2024"), ("09/06/2024", "10/06/2024"),
                                    ("16/06/2024", "17/06/2024")]):
        weeks.append(report.assign(Date=[sun] * 4 + [mon] * 4))
    three = pd.concat(weeks, ignore_index=True).drop(index=14)
    with pytest.raises(ValueError, match=r"misses 1 open interval\(s\) inside its open hours, on 1 day\(s\): first "
                                         r"2024-06-10 09:00.*missing='zero'"):
        read_history(three, columns=ROLES, dayfirst=True)
    with pytest.warns(DataWarning, match="added with 0 contacts"):
        assert read_history(three, columns=ROLES, dayfirst=True, missing="zero").loc["2024-06-10 09:00", "calls"] == 0
    # two days only: a weekday's hours cannot be inferred from one date, so give them to fill_missing
    gap = report.drop(index=6)  # Monday 09:00 lost
    wide = read_history(gap, columns=ROLES, dayfirst=True, missing="closed")
    with pytest.raises(ValueError, match="misses 1 open interval"):
        fill_missing(wide, open_hours=("08:00", "10:00"))
    with pytest.warns(DataWarning, match="added with 0 contacts"):
        zero = fill_missing(wide, "zero", open_hours=("08:00", "10:00"))
    assert zero.loc["2024-06-03 09:00", "calls"] == 0 and np.isnan(zero.loc["2024-06-03 09:00", "aht"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        line = fill_missing(wide, "interpolate", open_hours=("08:00", "10:00"))
    # straight line between 31 (08:30) and 0 (09:30)
    assert line.loc["2024-06-03 09:00", "calls"] == pytest.approx(15.5)
    assert len(fill_missing(wide, "closed", open_hours=("08:00", "10:00"))) == 7


def test_queues_in_one_report(report):
    both = pd.concat([report.assign(Queue="A"), report.assign(Queue="B")], ignore_index=True)
    out = read_history(both, columns={**ROLES, "queue": "Queue"}, dayfirst=True)
    assert out["queue"].tolist() == ["A"] * 8 + ["B"] * 8
    assert out.groupby("queue")["calls"].sum().tolist() == [report["Offered"].sum()] * 2
    with pytest.raises(ValueError, match=r"repeats an interval in 16 of 16 rows.*columns=\{'queue'"):
        read_history(both, columns=ROLES, dayfirst=True)


def test_unit_warnings(report):
    by_aht = {**{k: v for k, v in ROLES.items() if k != "handle_time"}, "aht": "AHT"}
    minutes = report.assign(AHT=[4.0] * 8)  # every row in minutes: a unit error, refused as --aht 4 is
    with pytest.raises(ValueError, match=r"column 'AHT' holds handle times under 20 s in 7 of 7 rows .*multiply "
                                         r"it by 60 \(4 minutes is 240 s\)"):
        read_history(minutes, columns=by_aht, dayfirst=True)
    ms = report.assign(**{"Handle Time (s)": report["Handle Time (s)"] * 1000})  # a switch's milliseconds
    with pytest.raises(ValueError, match=r"the AHT of column 'Handle Time \(s\)' \(handle time per answered call\) "
                                         r"holds handle times over 2 h in 7 of 7 rows .*looks like milliseconds, "
                                         r"divide by 1000"):
        read_history(ms, columns=ROLES, dayfirst=True)
    one_odd = report.assign(AHT=[4.0] + [240.0] * 7)  # one odd row among seconds: an outlier, warned
    with pytest.warns(UserWarning, match=r"column 'AHT' of 4 s is implausible \(expected 20 s to 2 h\) in 1 of 8 "
                                         r"rows"):
        read_history(one_odd, columns=by_aht, dayfirst=True)
    rates = report.assign(Offered=report["Offered"] + 0.5)
    with pytest.warns(UserWarning, match=r"column 'Offered' holds numbers with decimals"):
        read_history(rates, columns=ROLES, dayfirst=True)


def test_a_missing_whole_day_is_reported_as_closed(bank_30min):
    """The bank's record lacks six weekdays (holidays): read as closed days, and said so."""
    table = bank_30min.rename("calls").rename_axis("timestamp").reset_index()
    with pytest.warns(DataWarning, match=r"6 row\(s\) day\(s\) missing whole: open weekdays with no data at all "
                                         r"\(Fri 2003-04-04, Mon 2003-04-07"):
        out = read_history(table)
    assert len(out) == len(bank_30min) and out.attrs["notes"]["rows"].tolist() == [6]


def test_handle_time_is_per_answered_call_and_never_silently_per_offered_call(report):
    """AHT from a total handle time divides by the answered calls; offered calls (abandons included) never silently."""
    no_answered = {k: v for k, v in ROLES.items() if k != "answered"}
    # the report has an Answered column left unmapped: refused, naming it and the mapping
    with pytest.raises(ValueError, match=r"column of answered calls, 'Answered', left unmapped: map its answered "
                                         r"column \(columns=\{'answered': 'Answered'\}\)"):
        read_history(report, columns={k: v for k, v in no_answered.items() if k != "abandoned"}, dayfirst=True)
    # abandons counted (an abandoned column mapped) and no answered column: refused
    with pytest.raises(ValueError, match=r"too low an AHT\. The report counts abandons \('Abandoned'\)"):
        read_history(report.drop(columns="Answered"), columns=no_answered, dayfirst=True)
    # nothing says any call was abandoned: read per offered call, and a DataWarning names the divisor
    bare = report.drop(columns=["Answered", "Abandoned"])
    roles = {k: v for k, v in no_answered.items() if k not in ("abandoned", "answered_within")}
    with pytest.warns(DataWarning, match=r"have no answered count: AHT is 'Handle Time \(s\)' / 'Offered', handle "
                                         r"time per offered call, right only if every call was answered"):
        out = read_history(bare.drop(columns="Answered in 20s"), columns=roles, dayfirst=True)
    offered = report["Offered"].to_numpy(float)
    handle = report["Handle Time (s)"].to_numpy(float)
    np.testing.assert_allclose(out["aht"].to_numpy()[:7], handle[:7] / offered[:7], rtol=1e-12)
    assert out.attrs["notes"]["rows"].tolist() == [8]


def test_the_example_report_aht_is_handle_time_over_answered():
    """The shipped report: the calls-weighted AHT read is sum(handle) / sum(answered), by hand 238.9 s, not 231.3 s."""
    path = Path(__file__).resolve().parents[2] / "wfm" / "datasets" / "data" / "examples" / "interval_report.csv"
    raw = pd.read_csv(path)
    out = read_history(path, columns=ROLES, dayfirst=True)
    by_hand = raw["Handle Time (s)"].sum() / raw["Answered"].sum()
    assert by_hand == pytest.approx(238.9, abs=0.05)
    assert np.nansum(out["aht"] * out["answered"]) / out["answered"].sum() == pytest.approx(by_hand, rel=1e-12)
    with pytest.raises(ValueError, match="'Answered', left unmapped"):
        read_history(path, columns={"date": "Date", "time": "Interval", "calls": "Offered",
                                    "handle_time": "Handle Time (s)"}, dayfirst=True)


def test_the_threshold_of_an_answered_within_column_is_recorded():
    """Review item 12: read_history dropped the 30 s of "Answered within 30s", so the service_level column said
    nowhere at what threshold it was counted. It is read from the name as wfm init reads it, given or refused."""
    import warnings

    from wfm.logs import read_history
    from wfm.scenario.draft import draft_scenario

    path = "wfm/datasets/data/examples/interval_report_24x7.csv"
    columns = {"timestamp": "Interval Start", "calls": "Calls Offered", "answered": "Calls Handled",
               "answered_within": "Answered within 30s"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        h = read_history(path, columns=columns)
        assert h.attrs["threshold"] == 30
        assert read_history(path, columns=columns, threshold=30).attrs["threshold"] == 30
        with pytest.raises(ValueError, match="threshold is 20 s, but the answered_within column 'Answered within "
                                             "30s' counts calls answered within 30 s"):
            read_history(path, columns=columns, threshold=20)
        # a column whose name states no threshold: as given, or None
        plain = pd.read_csv(path).rename(columns={"Answered within 30s": "SL calls"})
        cols = dict(columns, answered_within="SL calls")
        assert read_history(plain, columns=cols).attrs["threshold"] is None
        assert read_history(plain, columns=cols, threshold=30).attrs["threshold"] == 30
        assert "threshold" not in read_history(path, columns={k: c for k, c in columns.items()
                                                              if k != "answered_within"}).attrs
        # wfm init reads the same threshold from the same name
        assert draft_scenario(path).detected["threshold"] == h.attrs["threshold"]
