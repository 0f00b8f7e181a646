"""The single steps chained on files: what one step writes, the next reads as it was meant (wfm history -> wfm
forecast -> wfm staff -> wfm schedule -> wfm simulate), or refuses naming both sides."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import wfm
from wfm import cli

EXAMPLES = Path(wfm.__file__).resolve().parent / "datasets" / "data" / "examples"
COLUMNS = "date=Date,time=Interval,calls=Offered,answered=Answered,handle_time=Handle Time (s)"


@pytest.fixture(scope="module")
def fc95(tmp_path_factory):
    """wfm forecast of the example interval report with a 95% band (module scope: written once, only read)."""
    out = tmp_path_factory.mktemp("chain") / "fc95.csv"
    assert cli.main(["forecast", "--history", str(EXAMPLES / "interval_report.csv"), "--dayfirst", "--columns",
                     COLUMNS, "--level", "0.95", "--out", str(out), "-q"]) == 0
    return out


def test_staff_staffs_the_band_at_the_level_it_was_made_at(fc95, tmp_path, capsys):
    """A 95% band read as an 80% one overstates the rate's spread: wfm staff takes the level from the file."""
    table = pd.read_csv(fc95, index_col=0, parse_dates=True)
    assert table["level"].tolist() == [0.95] * len(table)
    plan = tmp_path / "plan.csv"
    assert cli.main(["staff", "--forecast", str(fc95), "--out", str(plan), "-q"]) == 0
    band = table[["forecast", "lower", "upper"]]
    right = wfm.staffing_plan_from_forecast(band, table["aht"], level=0.95).table
    wrong = wfm.staffing_plan_from_forecast(band, table["aht"], level=0.8).table
    assert wrong["agents"].sum() > right["agents"].sum()  # what the default 0.8 made of it
    np.testing.assert_array_equal(pd.read_csv(plan)["agents"], right["agents"])
    # a --level the band was not made at: refused, naming both
    assert cli.main(["staff", "--forecast", str(fc95), "--level", "0.8", "--out", str(tmp_path / "x.csv")]) == 2
    err = capsys.readouterr().err
    assert "--level 0.8 disagrees with --forecast 'fc95.csv', whose band was made at level 0.95" in err
    assert not (tmp_path / "x.csv").exists()
    # a file without the column (written by hand, or by an older wfm): --level, default 0.8, as before
    table.drop(columns="level").to_csv(tmp_path / "old.csv")
    assert cli.main(["staff", "--forecast", str(tmp_path / "old.csv"), "--out", str(tmp_path / "old_plan.csv")]) == 0
    np.testing.assert_array_equal(pd.read_csv(tmp_path / "old_plan.csv")["agents"], wrong["agents"])
    # a level column in percent, or of two bands: refused, naming the column
    table.assign(level=95).to_csv(tmp_path / "pct.csv")
    assert cli.main(["staff", "--forecast", str(tmp_path / "pct.csv"), "--out", str(tmp_path / "x.csv")]) == 2
    assert "--forecast's level column must be a fraction in (0, 1); got 95. Did you mean 0.95?" in \
        capsys.readouterr().err
    table.assign(level=[0.8] + [0.95] * (len(table) - 1)).to_csv(tmp_path / "two.csv")
    assert cli.main(["staff", "--forecast", str(tmp_path / "two.csv"), "--out", str(tmp_path / "x.csv")]) == 2
    assert "--forecast's level column must hold one number" in capsys.readouterr().err


@pytest.fixture(scope="module")
def plan(fc95):
    """wfm staff of that forecast (Erlang C), as written."""
    out = fc95.with_name("plan.csv")
    assert cli.main(["staff", "--forecast", str(fc95), "--out", str(out), "-q"]) == 0
    return out


def _simulate(plan, tmp_path, *flags):
    return cli.main(["simulate", "--plan", str(plan), "--replications", "1", "--out", str(tmp_path / "sim.csv"),
                     *flags])


def test_simulate_refuses_an_aht_beside_the_plans_and_one_in_minutes(plan, tmp_path, capsys):
    assert _simulate(plan, tmp_path, "--aht", "4") == 2  # the plan's aht column is what it was staffed for
    err = capsys.readouterr().err
    assert "--aht 4: --plan has an aht column" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "sim.csv").exists()
    pd.read_csv(plan).drop(columns="aht").to_csv(tmp_path / "no_aht.csv", index=False)
    assert _simulate(tmp_path / "no_aht.csv", tmp_path, "--aht", "4") == 2  # minutes, as wfm staff refuses them
    assert "if it is in minutes, pass --aht 240" in capsys.readouterr().err
    assert _simulate(tmp_path / "no_aht.csv", tmp_path, "--aht", "240") == 0


def _warnings(err):
    """The warning lines of a command, without the command's name."""
    return sorted(line.split(": warning: ", 1)[1] for line in err.splitlines() if ": warning: " in line)


def test_simulate_warns_of_implausible_units_as_staff_does(fc95, plan, tmp_path, capsys):
    """A threshold of 0.33 (minutes?) and five AHTs in minutes: the same warnings as wfm staff's, word for word.

    (A whole AHT column in minutes is refused by both, as --aht 4 is: tests/test_cli_tables.py.)"""
    table = pd.read_csv(fc95)
    table.loc[:4, "aht"] = table.loc[:4, "aht"] / 60
    table.to_csv(tmp_path / "fc_min.csv", index=False)
    assert cli.main(["staff", "--forecast", str(tmp_path / "fc_min.csv"), "--threshold", "0.33", "--out",
                     str(tmp_path / "plan_min.csv"), "-q"]) == 0
    staff = _warnings(capsys.readouterr().err)
    assert len(staff) == 2 and "threshold of 0.33 s is implausible" in staff[1] and "aht of " in staff[0]
    assert _simulate(tmp_path / "plan_min.csv", tmp_path, "--threshold", "0.33", "-q") == 0
    assert _warnings(capsys.readouterr().err) == staff
    assert _simulate(plan, tmp_path, "-q") == 0
    assert _warnings(capsys.readouterr().err) == []  # none for a plan in seconds and 20 s


def test_an_erlang_a_plan_is_simulated_with_the_patience_it_was_staffed_for(fc95, tmp_path, capsys):
    plan = tmp_path / "plan_a.csv"
    assert cli.main(["staff", "--forecast", str(fc95), "--model", "erlang_a", "--patience", "144", "--out",
                     str(plan), "-q"]) == 0
    assert pd.read_csv(plan)["patience"].tolist() == [144.0] * 100
    assert _simulate(plan, tmp_path, "--seed", "4", "-q") == 0
    sim = pd.read_csv(tmp_path / "sim.csv", index_col=0, parse_dates=True)
    table = pd.read_csv(plan, index_col=0, parse_dates=True)
    direct = wfm.simulate(table["calls"], table["aht"], table["agents"], patience=144, seed=4).intervals
    pd.testing.assert_frame_equal(sim, direct, check_freq=False, check_names=False)
    assert sim["abandoned"].sum() > 0  # not the callers who never hang up it was simulated with before
    assert _simulate(plan, tmp_path, "--patience", "100") == 2  # not the callers it was staffed for
    err = capsys.readouterr().err
    assert "--patience 100 disagrees with --plan 'plan_a.csv', staffed for callers with a patience of 144 s" in err
    # an Erlang A plan written without the column (by an older wfm): simulated without abandons, and warned
    table.drop(columns="patience").to_csv(tmp_path / "old.csv")
    assert _simulate(tmp_path / "old.csv", tmp_path, "-q") == 0
    assert _warnings(capsys.readouterr().err) == [
        "--plan expects abandons (its abandon_rate column: an Erlang A plan) but has no patience column and no "
        "--patience was given, so its callers are simulated never hanging up; pass --patience with the patience it "
        "was staffed for."]


def test_a_plan_is_simulated_at_the_threshold_it_was_staffed_at(fc95, tmp_path, capsys):
    """wfm staff --threshold 30 writes a threshold column (the plan's params["threshold"] in Python); wfm simulate
    then scores the service level within 30 s without being told, as with --threshold 30 and as wfm.simulate does,
    and not within the 20 s default an older plan without the column still gets."""
    plan = tmp_path / "plan30.csv"
    assert cli.main(["staff", "--forecast", str(fc95), "--threshold", "30", "--out", str(plan), "-q"]) == 0
    table = pd.read_csv(plan, index_col=0, parse_dates=True)
    python = wfm.staffing_plan_from_forecast(table[["lower", "upper"]].assign(forecast=pd.read_csv(
        fc95, index_col=0, parse_dates=True)["forecast"]), table["aht"], threshold=30, level=0.95)
    assert table["threshold"].tolist() == [python.params["threshold"]] * len(table) == [30.0] * 100

    def simulated(path, *flags):
        assert _simulate(path, tmp_path, "--seed", "3", *flags) == 0
        return pd.read_csv(tmp_path / "sim.csv", index_col=0, parse_dates=True)

    read = simulated(plan)
    assert "within 30 s" in capsys.readouterr().out
    pd.testing.assert_frame_equal(read, simulated(plan, "--threshold", "30"))
    direct = wfm.simulate(table["calls"], table["aht"], table["agents"], seed=3, threshold=30).intervals
    pd.testing.assert_frame_equal(read, direct, check_freq=False, check_names=False)
    # the same plan without the column (by hand, or an older wfm): the default 20 s, as before, and as --threshold 20
    table.drop(columns="threshold").to_csv(tmp_path / "old.csv")
    old = simulated(tmp_path / "old.csv")
    pd.testing.assert_frame_equal(old, simulated(tmp_path / "old.csv", "--threshold", "20"))
    def within(sim):  # answered within the threshold over offered, of all intervals
        return (sim["service_level"] * sim["offered"]).sum() / sim["offered"].sum()

    pd.testing.assert_frame_equal(old.drop(columns="service_level"), read.drop(columns="service_level"))  # same calls
    assert within(old) < within(read) - 0.01  # the calls answered after 20 s but within 30 s
    capsys.readouterr()
    # a --threshold the plan was not staffed at: refused, naming both values, the file and the fix
    (tmp_path / "sim.csv").unlink()
    assert _simulate(plan, tmp_path, "--threshold", "20") == 2
    assert capsys.readouterr().err.strip() == (
        "wfm simulate: error: --threshold 20 disagrees with --plan 'plan30.csv', staffed for a service level within "
        "30 s (its threshold column): leave --threshold out to simulate the service level it was staffed for, or "
        "staff it again with wfm staff --threshold 20.")
    assert not (tmp_path / "sim.csv").exists()
    # a threshold column of two values is no plan wfm staff wrote: refused, naming the column
    table.assign(threshold=[20.0] + [30.0] * 99).to_csv(tmp_path / "two.csv")
    assert _simulate(tmp_path / "two.csv", tmp_path) == 2
    assert "--plan's threshold column must hold one number" in capsys.readouterr().err


def test_staff_names_the_flag_of_a_target_no_staffing_meets(fc95, tmp_path, capsys):
    """A service level of 1 (every call answered within the threshold) needs infinitely many agents: the error names
    --service-level, not the Python argument, and says what to give; Python's names service_level=."""
    assert cli.main(["staff", "--forecast", str(fc95), "--service-level", "1.0", "--out", str(tmp_path / "x.csv")]) \
        == 2
    err = capsys.readouterr().err
    assert err.startswith("wfm staff: error: no staffing can meet the targets at 100 of 100 intervals")
    assert err.strip().endswith("--service-level 1: no finite staffing answers every call within the threshold; give "
                                "a target below 1, e.g. --service-level 0.95.")
    assert "service_level" not in err and not (tmp_path / "x.csv").exists()
    with pytest.raises(ValueError, match=r"service_level=1\.0: no finite staffing .* e\.g\. service_level=0\.95\."):
        wfm.staffing_plan(pd.read_csv(fc95, index_col=0, parse_dates=True)["forecast"], 300, service_level=1.0)


LOG_FLAGS = ["--dayfirst", "--columns", "arrival=q_start,abandon=q_exit,answer=ser_start,end=ser_exit,agent=server",
             "--outcomes", "AGENT=answered,HANG=abandoned,PHANTOM=other", "--na", "ser_start=0:00:00", "--na",
             "ser_exit=0:00:00", "--na", "server=NO_SERVER", "--filter", "type=PS"]


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_history_to_forecast_to_staff_keeps_the_aht_without_columns(tmp_path, suffix):
    """wfm history's file is an interval history like any other: wfm forecast reads its answered and handle_time
    by their names (the AHT goes on to wfm staff), with no --columns and no --aht."""
    history, fc, plan = tmp_path / f"history.{suffix}", tmp_path / "fc.csv", tmp_path / "plan.csv"
    assert cli.main(["history", str(EXAMPLES / "contact_log.csv"), "--out", str(history), "-q"] + LOG_FLAGS) == 0
    assert cli.main(["forecast", "--history", str(history), "--out", str(fc), "-q"]) == 0
    assert cli.main(["staff", "--forecast", str(fc), "--out", str(plan), "-q"]) == 0
    table = pd.read_csv(fc, index_col=0, parse_dates=True)
    # the AHT forecast of the log's handle time per answered call, read with the roles named by hand
    read = wfm.read_history(history, columns={"answered": "answered", "handle_time": "handle_time"})
    expected = wfm.forecast_aht(read["aht"], table.index, calls=read["calls"])
    np.testing.assert_allclose(table["aht"], expected)
    np.testing.assert_allclose(pd.read_csv(plan)["aht"], table["aht"])


def test_forecast_takes_one_queue_of_a_report_of_several(tmp_path, capsys):
    """A report of two queues: refused without --queue (saying how to pick one); with it, the forecast is that of a
    file of the queue's rows alone, which wfm staff reads."""
    report = pd.read_csv(EXAMPLES / "interval_report.csv", dtype={"Date": str})
    counts = ["Offered", "Answered", "Abandoned", "Handle Time (s)", "Answered in 20s"]
    support = report.assign(**{c: report[c] * 2 for c in counts})
    two = pd.concat([report.assign(Queue="Sales"), support.assign(Queue="Support")])
    two.to_csv(tmp_path / "two.csv", index=False)
    support.to_csv(tmp_path / "support.csv", index=False)
    flags = ["--dayfirst", "--method", "seasonal_naive", "-q"]
    argv = ["forecast", "--history", str(tmp_path / "two.csv"), "--columns", COLUMNS + ",queue=Queue"] + flags
    assert cli.main(argv + ["--out", str(tmp_path / "x.csv")]) == 2
    err = capsys.readouterr().err
    assert "'two.csv' holds 2 queues (Sales, Support)" in err and "pass --queue Sales" in err
    assert cli.main(argv + ["--queue", "Support", "--out", str(tmp_path / "fc.csv")]) == 0
    assert cli.main(["forecast", "--history", str(tmp_path / "support.csv"), "--columns", COLUMNS, "--out",
                     str(tmp_path / "alone.csv")] + flags) == 0
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "fc.csv"), pd.read_csv(tmp_path / "alone.csv"))
    assert cli.main(["staff", "--forecast", str(tmp_path / "fc.csv"), "--out", str(tmp_path / "plan.csv"), "-q"]) == 0
    assert cli.main(argv + ["--queue", "Sale", "--out", str(tmp_path / "x.csv")]) == 2
    err = capsys.readouterr().err
    assert "--queue Sale: --history 'two.csv' has no such queue; its queues are Sales, Support." in err


def test_simulate_a_schedule_against_the_plan(plan, tmp_path, capsys):
    """wfm staff -> wfm schedule -> wfm simulate --schedule coverage.csv: the schedule's agents on the phones (its
    scheduled column; coverage.csv's first column has no name) take the plan's calls with the plan's AHT."""
    import yaml

    rules = {"shifts": [{"name": "day", "paid": "5h"}], "week": {"days_per_week": [1, 5]}}
    (tmp_path / "rules.yaml").write_text(yaml.safe_dump(rules))
    assert cli.main(["schedule", "--requirement", str(plan), "--rules", str(tmp_path / "rules.yaml"), "--time-limit",
                     "10", "--out", str(tmp_path / "schedule"), "-q"]) == 0
    coverage = tmp_path / "schedule" / "coverage.csv"
    assert Path(coverage).read_text().startswith(",required,scheduled")
    assert _simulate(plan, tmp_path, "--schedule", str(coverage), "--seed", "2") == 0
    assert "1 replication(s) of the agents scheduled in coverage.csv" in capsys.readouterr().out
    sim = pd.read_csv(tmp_path / "sim.csv", index_col=0, parse_dates=True)
    table = pd.read_csv(plan, index_col=0, parse_dates=True)
    scheduled = pd.read_csv(coverage, index_col=0, parse_dates=True)["scheduled"].reindex(table.index)
    assert (scheduled > table["agents"]).any()  # the schedule is not the plan: whole shifts over-cover
    direct = wfm.simulate(table["calls"], table["aht"], scheduled, seed=2).intervals
    pd.testing.assert_frame_equal(sim, direct, check_freq=False, check_names=False)
    # a coverage of other intervals (another plan's schedule): refused
    pd.read_csv(coverage).iloc[20:].to_csv(tmp_path / "cut.csv", index=False)
    assert _simulate(plan, tmp_path, "--schedule", str(tmp_path / "cut.csv")) == 2
    assert "--schedule 'cut.csv' does not schedule the intervals of --plan (20 of its 100 missing, first 2024-06-30 " \
           "08:00:00" in capsys.readouterr().err


def test_forecast_says_what_auto_chose_why_and_the_band_level(tmp_path, capsys):
    """The Forecast's own headline: the method auto chose and why, the level shift it rescaled for (on bank_calls
    -5.8% from Mon 8 Sep 2003, as the review checked by hand), and the band's level."""
    assert cli.main(["forecast", "--dataset", "bank_calls", "--level", "0.9", "--out", str(tmp_path / "f.csv")]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("wfm forecast: Forecast by topdown: 140 intervals, 2003-10-27 07:00 to 2003-10-31 "
                              "20:30, 156,876 calls, 90% band")
    assert "Why: topdown had the lowest backtest interval WAPE" in printed
    assert "Saw a level shift of -5.8% from Mon 2003-09-08" in printed


def test_staff_reads_the_band_level_of_wfm_runs_forecast_csv(tmp_path):
    """wfm run's forecast.csv (one queue, one forecast setting) is read by wfm staff: at the scenario's level."""
    import yaml

    s = {"name": "level", "data": {"dataset": "bank_calls"}, "aht": 300, "simulate": None,
         "forecast": {"method": "seasonal_naive", "backtest": None, "level": 0.95}}
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(s, sort_keys=False))
    assert cli.main(["run", str(tmp_path / "s.yaml"), "--out", str(tmp_path / "out"), "-j", "1", "-q"]) == 0
    written = pd.read_csv(tmp_path / "out" / "forecast.csv", index_col="timestamp", parse_dates=True)
    assert written["level"].tolist() == [0.95] * len(written)
    assert cli.main(["staff", "--forecast", str(tmp_path / "out" / "forecast.csv"), "--aht", "300", "--out",
                     str(tmp_path / "plan.csv"), "-q"]) == 0
    right = wfm.staffing_plan_from_forecast(written[["forecast", "lower", "upper"]], 300, level=0.95).table
    np.testing.assert_array_equal(pd.read_csv(tmp_path / "plan.csv")["agents"], right["agents"])
