"""wfm evaluate on files: the KPIs and scorecard of a contact log, forecast accuracy, and the errors at its flags."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from wfm import cli

REPO = Path(__file__).resolve().parents[1]
TARGETS = REPO / "scenarios" / "kpi_targets.yaml"


@pytest.fixture(scope="module")
def log(tmp_path_factory):
    """A simulated day of calls (8 h at 60 calls per half-hour, 9 agents): contacts.csv and states.csv."""
    import wfm

    folder = tmp_path_factory.mktemp("log")
    idx = pd.date_range("2024-01-01 08:00", periods=16, freq="30min")
    sim = wfm.simulate(pd.Series(60.0, index=idx), 240, 9, patience=120, seed=5)
    sim.contacts.to_csv(folder / "contacts.csv", index=False)
    sim.agent_states.to_csv(folder / "states.csv", index=False)
    return folder


def test_weekly_kpis_against_daily_targets_are_refused_naming_freq(log, tmp_path, capsys):
    # kpi_targets.yaml measures every KPI daily (frequency: D); a weekly average could hide a red day
    out = tmp_path / "k.csv"
    assert cli.main(["evaluate", "--contacts", str(log / "contacts.csv"), "--targets", str(TARGETS), "--freq", "W",
                     "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "kpi_targets.yaml: kpis.service_level.frequency is 'D' but the KPIs were computed with --freq W" in err
    assert "compute them with --freq D" in err and "freq=" not in err and "dict" not in err
    assert not out.exists()
    # at the targets' frequency it scores; the file holds the table only (no attrs in the Parquet metadata)
    assert cli.main(["evaluate", "--contacts", str(log / "contacts.csv"), "--targets", str(TARGETS), "--freq", "D",
                     "--out", str(tmp_path / "k.parquet")]) == 0
    assert "Service level (80/20)" in capsys.readouterr().out
    assert pd.read_parquet(tmp_path / "k.parquet").attrs == {}


def test_threshold_in_minutes_warns_and_the_label_says_the_threshold_measured(log, tmp_path, capsys):
    out = tmp_path / "k.csv"
    assert cli.main(["evaluate", "--contacts", str(log / "contacts.csv"), "--targets", str(TARGETS), "--threshold",
                     "0.33", "--out", str(out)]) == 0
    printed = capsys.readouterr()
    # the unit warning wfm run gives for the same value
    assert "wfm evaluate: warning: threshold of 0.33 s is implausible (expected at least 1 s)" in printed.err
    assert "Service level (80/0.33)" in printed.out and "(80/20)" not in printed.out
    # the service level measured: answered within 0.33 s of arrival / offered, by hand from the file
    raw = pd.read_csv(log / "contacts.csv", parse_dates=["arrival", "answer"])
    within = ((raw["answer"] - raw["arrival"]).dt.total_seconds() <= 0.33).sum()
    assert pd.read_csv(out)["service_level"].item() == pytest.approx(within / len(raw))
    # in seconds: no warning, and the label keeps the target file's 80/20
    assert cli.main(["evaluate", "--contacts", str(log / "contacts.csv"), "--targets", str(TARGETS), "--out",
                     str(out)]) == 0
    printed = capsys.readouterr()
    assert "implausible" not in printed.err and "Service level (80/20)" in printed.out


# --------------------------------------------------------------------------
# The reader flags --help lists read the contact log, as on wfm history and wfm init.
# --------------------------------------------------------------------------

EXAMPLES = REPO / "wfm" / "datasets" / "data" / "examples"
# the README's flags for the shipped example contact log (wfm history $E/contact_log.csv ...)
COLUMNS = {"arrival": "q_start", "abandon": "q_exit", "answer": "ser_start", "end": "ser_exit", "agent": "server",
           "customer": "customer_id"}
OUTCOMES = {"AGENT": "answered", "HANG": "abandoned", "PHANTOM": "other"}
NA = {"ser_start": "0:00:00", "ser_exit": "0:00:00", "server": "NO_SERVER", "customer_id": "0"}
LOG_FLAGS = (["--dayfirst", "--columns", ",".join(f"{k}={c}" for k, c in COLUMNS.items()),
              "--outcomes", ",".join(f"{k}={c}" for k, c in OUTCOMES.items()), "--filter", "type=PS"]
             + [x for col, value in NA.items() for x in ("--na", f"{col}={value}")])


def test_the_example_contact_log_scores_from_the_cli_as_from_python(tmp_path, capsys):
    from wfm.evaluate import kpis, read_contacts

    out = tmp_path / "k.csv"
    assert cli.main(["evaluate", "--contacts", str(EXAMPLES / "contact_log.csv"), "--targets", str(TARGETS),
                     "--out", str(out)] + LOG_FLAGS) == 0
    assert "Service level (80/20)" in capsys.readouterr().out
    with pytest.warns(UserWarning):  # the log's notes (filtered rows, placeholders, phantoms, clock skew)
        log = read_contacts(EXAMPLES / "contact_log.csv", COLUMNS, outcomes=OUTCOMES,
                            na_values={k: [v] for k, v in NA.items()}, filters={"type": ["PS"]}, dayfirst=True)
    want = kpis(log, freq="D")
    got = pd.read_csv(out, parse_dates=["period"])
    pd.testing.assert_frame_equal(got, want.astype({c: float for c in want.columns if c not in ("period", "basis")}),
                                  check_dtype=False)
    # by hand from the raw file: the PS calls less the phantoms, per day, and the abandons among them
    raw = pd.read_csv(EXAMPLES / "contact_log.csv")
    kept = raw[(raw["type"] == "PS") & (raw["outcome"] != "PHANTOM")]
    assert got["offered"].tolist() == kept.groupby(pd.to_datetime(kept["date"], dayfirst=True)).size().tolist()
    assert got["abandoned"].sum() == (kept["outcome"] == "HANG").sum()


def test_a_day_first_log_reads_with_dayfirst_and_errors_name_the_flags(tmp_path, capsys):
    log = tmp_path / "log.csv"
    pd.read_csv(EXAMPLES / "contact_log.csv").head(300).assign(date="05/06/2024").to_csv(log, index=False)
    out = tmp_path / "k.csv"
    no_dayfirst = [f for f in LOG_FLAGS if f != "--dayfirst"]
    assert cli.main(["evaluate", "--contacts", str(log), "--out", str(out)] + no_dayfirst) == 2
    err = capsys.readouterr().err
    assert "holds dates that read both day-first and month-first" in err and "--dayfirst" in err
    assert cli.main(["evaluate", "--contacts", str(log), "--out", str(out), "-q"] + LOG_FLAGS) == 0
    assert pd.read_csv(out, parse_dates=["period"])["period"].tolist() == [pd.Timestamp("2024-06-05")]
    # the column error names the flag, not the Python argument
    assert cli.main(["evaluate", "--contacts", str(log), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "Map your column names with --columns arrival=YourColumn" in err and "columns={" not in err
    # a flag of the other reader is refused, not ignored
    assert cli.main(["evaluate", "--contacts", str(log), "--out", str(out), "--sort"] + LOG_FLAGS) == 2
    assert "--sort read --actual (an interval report), not the contact log --contacts" in capsys.readouterr().err


def test_columns_maps_a_contact_log(log, tmp_path, capsys):
    renamed = tmp_path / "renamed.csv"
    pd.read_csv(log / "contacts.csv").rename(columns={"arrival": "start"}).to_csv(renamed, index=False)
    for path, flags in ((log / "contacts.csv", []), (renamed, ["--columns", "arrival=start"])):
        assert cli.main(["evaluate", "--contacts", str(path), "--out", str(tmp_path / f"{path.stem}.csv"),
                         "-q"] + flags) == 0
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "renamed.csv"), pd.read_csv(tmp_path / "contacts.csv"))


@pytest.mark.parametrize("flags, message", [
    (["--actual", "a.csv", "--forecast", "f.csv", "--na", "ser_start=0:00:00"],
     "--na read --contacts (a contact log), not the interval report --actual; leave it out."),
    (["--contacts", "c.csv", "--actual", "a.csv", "--forecast", "f.csv"],
     "give --contacts (KPIs) or --actual and --forecast (forecast accuracy), not both."),
])
def test_flags_of_the_other_input_are_refused(tmp_path, monkeypatch, capsys, flags, message):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["evaluate", "--out", "x.csv"] + flags) == 2
    assert message in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_kpis_not_computed_name_the_column_and_the_flag(log, tmp_path, capsys):
    assert cli.main(["evaluate", "--contacts", str(log / "contacts.csv"), "--targets", str(TARGETS), "--out",
                     str(tmp_path / "k.csv")]) == 0
    printed = capsys.readouterr().out
    assert ("First-contact resolution (7 days): not computed: the contact log has no 'customer' column, customer id "
            "(repeat contacts, FCR); map yours with --columns customer=YourColumn.") in printed
    assert "Transfers: not computed: the contact log has no 'transferred' column" in printed
    assert "it needs contacts" not in printed and "columns={" not in printed


def test_schedule_and_states_give_adherence_conformance_and_shrinkage(tmp_path, capsys):
    # wfm.adherence's docstring case: Ann is scheduled 09:00-12:00 with a paid break 10:30-10:45, logs in 2 minutes
    # late and comes back from her break 5 minutes late: 173 of 180 minutes in adherence, 88 + 70 = 158 of the 165
    # minutes of work on the queue, so shrinkage 1 - 158 / 180 of paid time
    day = "2024-01-01 "
    pd.DataFrame({"agent": "ann", "activity": ["work", "break", "work"], "start": [day + x for x in
                  ("09:00", "10:30", "10:45")], "end": [day + x for x in ("10:30", "10:45", "12:00")]}).to_csv(
        tmp_path / "schedule.csv", index=False)
    pd.DataFrame({"agent": "ann", "state": ["logged_out", "idle", "break", "idle"], "start": [day + x for x in
                  ("09:00", "09:02", "10:30", "10:50")], "end": [day + x for x in ("09:02", "10:30", "10:50",
                                                                                  "12:00")]}).to_csv(
        tmp_path / "states.csv", index=False)
    pd.DataFrame({"arrival": [day + "09:10:00"], "answer": [day + "09:10:05"], "talk": [120]}).to_csv(
        tmp_path / "contacts.csv", index=False)
    out = tmp_path / "k.csv"
    assert cli.main(["evaluate", "--contacts", str(tmp_path / "contacts.csv"), "--states", str(tmp_path / "states.csv"),
                     "--schedule", str(tmp_path / "schedule.csv"), "--targets", str(TARGETS), "--out", str(out)]) == 0
    k = pd.read_csv(out).iloc[0]
    assert k["adherence"] == pytest.approx(173 / 180) and k["conformance"] == pytest.approx(158 / 165)
    assert k["shrinkage"] == pytest.approx(1 - 158 / 180)
    printed = capsys.readouterr().out
    assert "Schedule adherence  96.1%" in printed and "it needs states, schedule" not in printed


def test_states_and_schedule_with_day_first_dates_read_with_the_date_flags(tmp_path, capsys):
    # the adherence docstring's case (logged in 09:02-10:30 and 10:50-12:00: 158 minutes; 173 of 180 scheduled
    # minutes in adherence) on 2 January 2024, written day-first (02/01/2024 also reads as 1 February): --dayfirst
    # reads the states and the schedule as the ISO copies
    def files(folder, date, schedule_date=None):
        folder.mkdir()
        sched = schedule_date or date
        pd.DataFrame({"agent": "ann", "activity": ["work", "break", "work"],
                      "start": [f"{sched} {x}" for x in ("09:00", "10:30", "10:45")],
                      "end": [f"{sched} {x}" for x in ("10:30", "10:45", "12:00")]}).to_csv(
            folder / "schedule.csv", index=False)
        pd.DataFrame({"agent": "ann", "state": ["logged_out", "idle", "break", "idle"],
                      "start": [f"{date} {x}" for x in ("09:00", "09:02", "10:30", "10:50")],
                      "end": [f"{date} {x}" for x in ("09:02", "10:30", "10:50", "12:00")]}).to_csv(
            folder / "states.csv", index=False)
        pd.DataFrame({"arrival": ["2024-01-02 09:10:00"], "answer": ["2024-01-02 09:10:05"], "talk": [120]}).to_csv(
            folder / "contacts.csv", index=False)
        return ["evaluate", "--contacts", str(folder / "contacts.csv"), "--states", str(folder / "states.csv"),
                "--schedule", str(folder / "schedule.csv"), "--out", str(folder / "k.csv")]

    assert cli.main(files(tmp_path / "iso", "2024-01-02")) == 0
    assert cli.main(files(tmp_path / "dmy", "02/01/2024") + ["--dayfirst"]) == 0
    iso, dmy = pd.read_csv(tmp_path / "iso" / "k.csv"), pd.read_csv(tmp_path / "dmy" / "k.csv")
    assert iso.loc[0, "agent_hours"] == pytest.approx(158 / 60) and iso.loc[0, "adherence"] == pytest.approx(173 / 180)
    pd.testing.assert_frame_equal(dmy, iso)
    capsys.readouterr()
    # without the flag: refused, starting with the flag and the file, naming the column and lines and the flags
    assert cli.main(files(tmp_path / "bad", "02/01/2024")) == 2
    err = capsys.readouterr().err
    assert "error: --states 'states.csv': column 'start' holds dates that read both day-first and month-first" in err
    assert "rows [2, 3, 4, 5]" in err and "pass --dayfirst (day/month/year), --monthfirst" in err
    assert "dayfirst=" not in err
    assert cli.main(files(tmp_path / "bad_schedule", "2024-01-02", schedule_date="02/01/2024")) == 2
    err = capsys.readouterr().err
    assert "error: --schedule 'schedule.csv': column 'start' holds dates that read both" in err
    assert "rows [2, 3, 4]" in err


def test_accuracy_scores_the_band_at_the_level_the_forecast_file_carries(tmp_path, capsys):
    # wfm forecast writes the band's coverage in a level column; coverage and the Winkler score are read at it.
    # Before, wfm evaluate scored every band as an 80% band (the Winkler penalty 2/alpha used alpha 0.2, not 0.05).
    from wfm import metrics

    idx = pd.date_range("2024-01-01 08:00", periods=20, freq="30min", name="timestamp")
    rng = np.random.default_rng(3)
    f = pd.Series(100.0 + 10 * np.sin(np.arange(20)), index=idx)
    fc = pd.DataFrame({"forecast": f, "lower": f - 15, "upper": f + 15, "level": 0.95})
    actual = pd.Series(rng.poisson(f.to_numpy()).astype(float), index=idx, name="calls")
    fc.to_csv(tmp_path / "fc.csv")
    actual.to_frame().to_csv(tmp_path / "actual.csv")
    assert cli.main(["evaluate", "--actual", str(tmp_path / "actual.csv"), "--forecast", str(tmp_path / "fc.csv"),
                     "--out", str(tmp_path / "acc.csv")]) == 0
    got = pd.read_csv(tmp_path / "acc.csv")
    want = metrics.forecast_accuracy(actual, fc[["forecast", "lower", "upper"]], level=0.95)
    at_80 = metrics.forecast_accuracy(actual, fc[["forecast", "lower", "upper"]], level=0.8)
    pick = (lambda t: t.loc[t["metric"] == "winkler", "value"].to_numpy())
    assert (actual.lt(fc["lower"]) | actual.gt(fc["upper"])).any()  # a miss, so the level changes the score
    np.testing.assert_allclose(pick(got), pick(want))
    assert not np.allclose(pick(got), pick(at_80))
