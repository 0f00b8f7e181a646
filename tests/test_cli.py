"""The command line: the demo, and each single step on CSV files (forecast, staff, schedule, simulate, evaluate).

`wfm run`, `wfm validate` and `wfm schema` are tested with the scenarios in tests/scenario/.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from wfm import cli

REPO = Path(__file__).resolve().parents[1]


def test_demo_writes_plan(tmp_path, capsys):
    assert cli.main(["demo", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "week of 20 Oct 2003" in printed and "FTE" in printed
    table = pd.read_csv(tmp_path / "staffing_plan.csv", index_col=0, parse_dates=True)
    assert len(table) == 5 * 28
    assert (table["service_level"] >= 0.8).all()
    assert (table["scheduled_agents"] > table["agents"]).where(table["agents"] > 0, True).all()
    png = (tmp_path / "staffing_plan.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary files left


def test_demo_bad_target_is_exit_2(tmp_path, capsys):
    assert cli.main(["demo", "--out", str(tmp_path), "--service-level", "80"]) == 2
    err = capsys.readouterr().err
    assert "Did you mean 0.80" in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not list(tmp_path.iterdir())


@pytest.fixture(scope="module")
def steps(tmp_path_factory, bank_30min):
    """
    The single steps chained on files, as an analyst would: history CSV -> forecast -> staff -> schedule,
    simulate. Module scope: each file is written once and only read by the tests.
    """
    folder = tmp_path_factory.mktemp("steps")
    history = folder / "history.csv"
    bank_30min.rename("Offered").rename_axis("Interval").reset_index().to_csv(history, index=False)
    codes = {}
    codes["forecast"] = cli.main(["forecast", "--history", str(history), "--timestamp", "Interval", "--calls",
                                  "Offered", "--days", "5", "--method", "topdown", "--out",
                                  str(folder / "forecast.csv"), "--quiet"])
    codes["staff"] = cli.main(["staff", "--forecast", str(folder / "forecast.csv"), "--aht", "300",
                               "--shrinkage", "0.3", "--out", str(folder / "plan.csv"), "--quiet"])
    rules = {"shifts": [{"name": "FT8", "paid": "8h",
                         "breaks": [{"length": "30min", "paid": False, "start_after": ["3h30min", "5h"]}]},
                        {"name": "PT4", "paid": "4h", "contract": "part_time"}],
             "week": {"days_per_week": 5}}
    (folder / "rules.yaml").write_text(yaml.safe_dump(rules))
    codes["schedule"] = cli.main(["schedule", "--requirement", str(folder / "plan.csv"), "--rules",
                                  str(folder / "rules.yaml"), "--time-limit", "5", "--out",
                                  str(folder / "schedule"), "--quiet"])
    codes["simulate"] = cli.main(["simulate", "--plan", str(folder / "plan.csv"), "--replications", "2",
                                  "--seed", "3", "--out", str(folder / "simulation.csv"), "--quiet"])
    return folder, codes


def test_forecast(steps):
    folder, codes = steps
    assert codes["forecast"] == 0
    fc = pd.read_csv(folder / "forecast.csv", index_col=0, parse_dates=True)
    assert list(fc.columns) == ["forecast", "lower", "upper", "level", "open_days"] and len(fc) == 140
    assert (fc["level"] == 0.8).all()  # the band's coverage, for wfm staff
    assert (fc["open_days"] == "Mon,Tue,Wed,Thu,Fri").all()  # the history's working week, for wfm staff's FTE
    assert fc.index[0] == pd.Timestamp("2003-10-27 07:00")
    assert (fc["lower"] <= fc["forecast"]).all() and (fc["forecast"] <= fc["upper"]).all()


def test_forecast_of_the_bundled_data_prints_a_line(tmp_path, capsys):
    out = tmp_path / "f.parquet"
    assert cli.main(["forecast", "--dataset", "bank_calls", "--method", "seasonal_naive", "--out", str(out)]) == 0
    assert "wfm forecast: Forecast by seasonal_naive: 140 intervals, 2003-10-27 07:00 to" in capsys.readouterr().out
    assert len(pd.read_parquet(out)) == 140


def test_staff(steps, capsys):
    folder, codes = steps
    assert codes["staff"] == 0
    plan = pd.read_csv(folder / "plan.csv", index_col=0, parse_dates=True)
    assert {"calls", "calls_staffed", "agents", "scheduled_agents", "p_meet"} <= set(plan.columns)
    assert (plan["service_level"] >= 0.8).all()
    point = folder / "point.csv"
    assert cli.main(["staff", "--forecast", str(folder / "forecast.csv"), "--aht", "300", "--method", "point",
                     "--out", str(point)]) == 0
    assert "peak" in capsys.readouterr().out
    point_plan = pd.read_csv(point, index_col=0, parse_dates=True)
    assert "p_meet" not in point_plan and (point_plan["agents"] <= plan["agents"]).all()


def test_schedule(steps):
    folder, codes = steps
    assert codes["schedule"] == 0
    coverage = pd.read_csv(folder / "schedule" / "coverage.csv", index_col=0, parse_dates=True)
    plan = pd.read_csv(folder / "plan.csv", index_col=0, parse_dates=True)
    assert (coverage["scheduled"] >= coverage["required"]).all()
    pd.testing.assert_series_equal(coverage["required"].reindex(plan.index), plan["agents"], check_names=False)
    shifts = pd.read_csv(folder / "schedule" / "shifts.csv")
    assert {"day", "name", "start", "end", "agents", "breaks"} <= set(shifts.columns)


def test_schedule_reads_the_rules_of_a_scenario(steps, tmp_path, capsys):
    folder, _ = steps
    assert cli.main(["schedule", "--requirement", str(folder / "plan.csv"), "--rules",
                     str(REPO / "scenarios" / "weekly_bank_calls.yaml"), "--time-limit", "5", "--out",
                     str(tmp_path)]) == 0
    assert "heads" in capsys.readouterr().out


def test_simulate(steps):
    folder, codes = steps
    assert codes["simulate"] == 0
    sim = pd.read_csv(folder / "simulation.csv", index_col=0, parse_dates=True)
    assert len(sim) == 140 and sim["service_level"].between(0, 1).all()


def test_evaluate_forecast_accuracy(tmp_path, bank_30min, capsys):
    history = tmp_path / "history.csv"
    bank_30min.rename_axis("timestamp").reset_index().to_csv(history, index=False)
    before = tmp_path / "before.csv"
    bank_30min[bank_30min.index < "2003-10-20"].rename_axis("timestamp").reset_index().to_csv(before, index=False)
    assert cli.main(["forecast", "--history", str(before), "--method", "topdown", "--out",
                     str(tmp_path / "f.csv"), "--quiet"]) == 0
    assert cli.main(["evaluate", "--actual", str(history), "--forecast", str(tmp_path / "f.csv"), "--out",
                     str(tmp_path / "accuracy.csv")]) == 0
    assert "wfm evaluate: WAPE interval" in capsys.readouterr().out
    scores = pd.read_csv(tmp_path / "accuracy.csv")
    wape = scores[(scores["level"] == "interval") & (scores["metric"] == "wape")]["value"].item()
    assert 0.01 < wape < 0.2
    # a forecast the actuals do not cover
    assert cli.main(["evaluate", "--actual", str(before), "--forecast", str(tmp_path / "f.csv"), "--out",
                     str(tmp_path / "x.csv")]) == 2
    assert "--actual has no calls for 140 of the 140 forecast intervals" in capsys.readouterr().err


def test_evaluate_kpis_of_a_contact_log(tmp_path, capsys):
    import wfm

    idx = pd.date_range("2024-01-01 08:00", periods=16, freq="30min")
    sim = wfm.simulate(pd.Series(60.0, index=idx), 240, 9, patience=120, seed=5)
    sim.contacts.to_csv(tmp_path / "contacts.csv", index=False)
    sim.agent_states.to_csv(tmp_path / "states.csv", index=False)
    assert cli.main(["evaluate", "--contacts", str(tmp_path / "contacts.csv"), "--states",
                     str(tmp_path / "states.csv"), "--targets", str(REPO / "scenarios" / "kpi_targets.yaml"),
                     "--out", str(tmp_path / "kpis.csv")]) == 0
    printed = capsys.readouterr().out
    assert "Service level (80/20)" in printed
    k = pd.read_csv(tmp_path / "kpis.csv")
    assert len(k) == 1 and np.isclose(k["service_level"].item(), sim.summary().loc["service_level", "estimate"])


@pytest.mark.parametrize("argv, message", [
    (["staff", "--forecast", "no_such.csv", "--aht", "300", "--out", "x.csv"], "--forecast: no such file"),
    (["forecast", "--out", "x.csv"], "give --history FILE"),
    (["forecast", "--history", "no_such.csv", "--out", "x.csv"], "no such file 'no_such.csv'"),
    (["simulate", "--plan", "no_such.csv", "--out", "x.csv"], "--plan: no such file"),
    (["evaluate", "--out", "x.csv"], "give --actual and --forecast"),
])
def test_bad_input_to_a_step_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys, argv, message):
    monkeypatch.chdir(tmp_path)
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not list(tmp_path.iterdir())


def test_bad_target_to_staff_names_it(steps, tmp_path, capsys):
    folder, _ = steps
    assert cli.main(["staff", "--forecast", str(folder / "forecast.csv"), "--aht", "300", "--service-level", "80",
                     "--out", str(tmp_path / "p.csv")]) == 2
    assert "--service-level must be a fraction in (0, 1]; got 80. Did you mean 0.80?" in capsys.readouterr().err


def test_help_is_exit_0(capsys):
    assert cli.main(["--help"]) == 0
    text = capsys.readouterr().out
    for command in ("run", "validate", "schema", "forecast", "staff", "schedule", "simulate", "evaluate", "demo"):
        assert command in text


# --------------------------------------------------------------------------
# Reading your own data: wfm history, reader flags, --version.
# --------------------------------------------------------------------------

EXAMPLES = REPO / "wfm" / "datasets" / "data" / "examples"
LOG_FLAGS = ["--columns", "arrival=q_start,abandon=q_exit,answer=ser_start,end=ser_exit,agent=server",
             "--outcomes", "AGENT=answered,HANG=abandoned,PHANTOM=other", "--na", "ser_start=0:00:00",
             "--na", "ser_exit=0:00:00", "--na", "server=NO_SERVER", "--filter", "type=PS", "--dayfirst"]


def test_version(capsys):
    from wfm import __version__

    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"wfm {__version__}"


def test_history_of_the_example_contact_log(tmp_path, capsys):
    out = tmp_path / "history.csv"
    assert cli.main(["history", str(EXAMPLES / "contact_log.csv"), "--freq", "30min", "--week-start", "SUN",
                     "--out", str(out)] + LOG_FLAGS) == 0
    printed = capsys.readouterr().out
    table = pd.read_csv(out, index_col=0, parse_dates=True)
    raw = pd.read_csv(EXAMPLES / "contact_log.csv")
    kept = raw[(raw["type"] == "PS") & (raw["outcome"] != "PHANTOM")]
    # counted by hand from the raw file: every kept call once, answered = AGENT rows
    assert table["calls"].sum() == len(kept)
    assert table["answered"].sum() == (kept["outcome"] == "AGENT").sum()
    assert len(table) == 5 * 20 and table.index[0] == pd.Timestamp("2024-06-23 08:00")
    assert "calls per week (starting SUN): 23 Jun" in printed and "patience:" in printed
    assert "PHANTOM" in printed and "clock skew" in printed


def test_history_and_init_of_a_log_whose_abandons_have_no_time_say_there_is_no_patience(tmp_path, capsys):
    """The example log without its abandon times (q_exit): its abandons have no wait, so no patience estimate, said
    so by wfm history (not 'inf s'), and left out of the scenario wfm init drafts (Erlang C, saying why)."""
    raw = pd.read_csv(EXAMPLES / "contact_log.csv", dtype=str)
    raw.drop(columns=["q_exit"]).to_csv(tmp_path / "log.csv", index=False)
    flags = [f.replace("abandon=q_exit,", "") for f in LOG_FLAGS]
    hang = int(((raw["type"] == "PS") & (raw["outcome"] == "HANG")).sum())
    assert cli.main(["history", str(tmp_path / "log.csv"), "--out", str(tmp_path / "h.csv")] + flags) == 0
    printed = capsys.readouterr().out
    assert (f"  patience: not estimated: none of the {hang} abandon(s) has a wait (no abandon or end time, no wait "
            "column); map the time callers hung up, --columns abandon=YourColumn, or their waits, --columns "
            "wait=YourColumn\n") in printed
    assert "inf" not in printed and "nan" not in printed
    assert pd.read_csv(tmp_path / "h.csv")["abandoned"].sum() == hang  # still counted as abandons
    assert cli.main(["init", str(tmp_path / "log.csv"), "--out", str(tmp_path / "s.yaml")] + flags) == 0
    text = (tmp_path / "s.yaml").read_text()
    assert "patience" not in yaml.safe_load(text)["staffing"]
    assert (f"model: erlang_c # ASSUMPTION: no patience estimate (none of the log's {hang} abandons has a wait): "
            "Erlang C") in " ".join(text.split())


def test_history_errors_name_the_flags(tmp_path, capsys):
    log = tmp_path / "log.csv"
    pd.read_csv(EXAMPLES / "contact_log.csv").head(300).assign(date="05/06/2024").to_csv(log, index=False)
    out = str(tmp_path / "h.csv")
    no_dayfirst = [f for f in LOG_FLAGS if f != "--dayfirst"]
    assert cli.main(["history", str(log), "--out", out] + no_dayfirst) == 2
    err = capsys.readouterr().err
    assert "column 'date' holds dates that read both day-first and month-first ('05/06/2024' is 5 June or 6 May)" \
        in err and "rows: rows [2, 3, 4, 5, 6, ...]" in err  # line numbers of the file
    assert "--dayfirst" in err and "--monthfirst" in err and "dayfirst=" not in err
    flags = LOG_FLAGS[:2] + ["--outcomes", "AGENT=answered"] + LOG_FLAGS[4:]
    assert cli.main(["history", str(log), "--out", out] + flags) == 2
    err = capsys.readouterr().err
    assert "--outcomes AGENT=answered,HANG=?,PHANTOM=?" in err and "outcomes=" not in err
    assert cli.main(["history", str(log), "--out", out, "--columns", "arrival"]) == 2
    assert "--columns takes name=value pairs" in capsys.readouterr().err
    assert not (tmp_path / "h.csv").exists()


def test_forecast_reads_an_interval_report_with_flags(tmp_path, capsys):
    report = EXAMPLES / "interval_report.csv"
    out = tmp_path / "fc.csv"
    columns = "date=Date,time=Interval,calls=Offered,answered=Answered,handle_time=Handle Time (s)"
    assert cli.main(["forecast", "--history", str(report), "--columns", columns, "--method", "seasonal_naive",
                     "--days", "5", "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "--dayfirst" in err and "--date-format" in err
    assert cli.main(["forecast", "--history", str(report), "--columns", columns, "--dayfirst", "--method",
                     "seasonal_naive", "--days", "5", "--out", str(out), "--quiet"]) == 0
    fc = pd.read_csv(out, index_col=0, parse_dates=True)
    # the week after Thu 27 June 2024 of a Sunday-Thursday centre: Sun 30 June to Thu 4 July, 20 half-hours a day
    assert len(fc) == 100 and fc.index[0] == pd.Timestamp("2024-06-30 08:00")
    assert set(fc.index.day_name()) == {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday"}


def test_staff_refuses_aht_in_minutes_and_says_the_seconds(tmp_path, capsys):
    idx = pd.date_range("2024-01-01 08:00", periods=4, freq="30min")
    pd.DataFrame({"timestamp": idx, "forecast": 100.0}).to_csv(tmp_path / "fc.csv", index=False)
    assert cli.main(["staff", "--forecast", str(tmp_path / "fc.csv"), "--aht", "5.3", "--out",
                     str(tmp_path / "plan.csv"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "--aht 5.3" in err and "--aht 318" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "plan.csv").exists()  # no plan of one agent written


def test_the_own_data_steps_chain_aht_shrinkage_and_a_sunday_week(tmp_path, capsys):
    """
    Interval report -> wfm forecast (keeps the report's AHT) -> wfm staff (reads it, shrinkage by component,
    the Sunday week read from the open days) -> wfm schedule (takes plan.csv as it is): the weekly required
    FTE of the CLI is StaffingPlan.totals' for the same week, whatever the week start.
    """
    import wfm

    report, fc, plan = EXAMPLES / "interval_report.csv", tmp_path / "fc.csv", tmp_path / "plan.csv"
    columns = "date=Date,time=Interval,calls=Offered,answered=Answered,handle_time=Handle Time (s)"
    assert cli.main(["forecast", "--history", str(report), "--columns", columns, "--dayfirst", "--method",
                     "seasonal_naive", "--days", "5", "--out", str(fc)]) == 0
    printed = capsys.readouterr().out
    table = pd.read_csv(fc, index_col=0, parse_dates=True)
    assert "aht" in table and table["aht"].between(150, 400).all() and " AHT " in printed
    # the AHT forecast is the report's handle time per answered call, by weekday and time
    history = wfm.read_history(report, dayfirst=True, columns=dict(x.split("=") for x in columns.split(",")))
    np.testing.assert_allclose(table["aht"], wfm.forecast_aht(history["aht"], table.index, calls=history["calls"]))
    shrink = "breaks=0.1,training=0.05,absence=0.15"
    assert cli.main(["staff", "--forecast", str(fc), "--shrinkage", shrink, "--method", "point",
                     "--out", str(plan)]) == 0
    printed = capsys.readouterr().out
    staffed = pd.read_csv(plan, index_col=0, parse_dates=True)
    np.testing.assert_allclose(staffed["aht"], table["aht"])
    np.testing.assert_allclose(staffed["scheduled_agents"], staffed["agents"] / (1 - 0.30))
    # hand count: a Sunday-Thursday week of half-hours, its scheduled hours over 37.5 h, printed as required FTE
    week_fte = staffed["scheduled_agents"].sum() * 0.5 / 37.5
    assert f"required FTE {week_fte:.1f} per working week (1 working week(s) in 1 week(s) starting SUN" in printed
    again = wfm.staffing_plan(table["forecast"].rename("calls"), table["aht"], shrinkage=0.3)
    assert again.totals("W")["required_fte"].iloc[0] == pytest.approx(week_fte)
    for start in ("MON", "WED"):  # any other week start: the same hours in two cut weeks, the same weekly FTE
        assert cli.main(["staff", "--forecast", str(fc), "--shrinkage", "0.3", "--method", "point", "--week-start",
                         start, "--out", str(tmp_path / f"{start}.csv")]) == 0
        weekly = again.totals("W", week_start=start)
        assert weekly["week_share"].sum() == pytest.approx(1.0) and len(weekly) == 2
        assert (f"required FTE {week_fte:.1f} per working week (1 working week(s) in 2 week(s) starting {start}"
                in capsys.readouterr().out)
    rules = {"shifts": [{"name": "day", "paid": "5h"}], "week": {"days_per_week": [1, 5]}}
    (tmp_path / "rules.yaml").write_text(yaml.safe_dump(rules))
    assert cli.main(["schedule", "--requirement", str(plan), "--rules", str(tmp_path / "rules.yaml"), "--time-limit",
                     "10", "--out", str(tmp_path / "schedule")]) == 0
    assert "weeks starting SUN" in capsys.readouterr().out
    cover = pd.read_csv(tmp_path / "schedule" / "coverage.csv", index_col=0, parse_dates=True)
    assert (cover["scheduled"] >= cover["required"]).all()


def test_demo_honours_quiet_and_has_its_own_default_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["demo", "-q"]) == 0
    assert capsys.readouterr().out == ""
    assert (tmp_path / "wfm_demo" / "staffing_plan.csv").exists() and not (tmp_path / "output").exists()


def test_wfm_run_holds_the_folder_lock_for_the_whole_run(tmp_path, monkeypatch):
    """Not only while writing: a second run started while the first still computes is refused."""
    import yaml

    import wfm.scenario as scenario_pkg
    from wfm.report.locking import LOCK_NAME

    seen = []
    real = scenario_pkg.run_scenario

    def spy(*args, **kwargs):
        seen.append((tmp_path / "out" / LOCK_NAME).exists())
        return real(*args, **kwargs)

    monkeypatch.setattr(scenario_pkg, "run_scenario", spy)
    s = {"name": "lock", "data": {"dataset": "bank_calls"}, "aht": 300, "simulate": None,
         "forecast": {"method": "seasonal_naive", "backtest": None}}
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(s, sort_keys=False))
    assert cli.main(["run", str(tmp_path / "s.yaml"), "--out", str(tmp_path / "out"), "-j", "1", "-q"]) == 0
    assert seen == [True] and not (tmp_path / "out" / LOCK_NAME).exists()


def test_roster_from_a_cover_file(tmp_path, capsys):
    """Two shift types over a week, cover per day: every required shift is staffed, errors name the flags."""
    import yaml

    days = range(7)
    cover = pd.DataFrame([{"day": d, "shift": s, "required": 2} for d in days for s in ("E", "L")])
    cover.to_csv(tmp_path / "cover.csv", index=False)
    pd.DataFrame({"agent": [f"a{k}" for k in range(6)], "max_days_per_week": 5}).to_csv(tmp_path / "agents.csv",
                                                                                      index=False)
    rules = {"start": "2024-01-01", "days": 7, "forbidden_successions": [["L", "E"]],
             "shifts": [{"name": "E", "paid": "8h", "start": "06:00"}, {"name": "L", "paid": "8h", "start": "14:00"}]}
    (tmp_path / "rules.yaml").write_text(yaml.safe_dump(rules))
    argv = ["roster", "--cover", str(tmp_path / "cover.csv"), "--agents", str(tmp_path / "agents.csv"),
            "--rules", str(tmp_path / "rules.yaml"), "--time-limit", "10", "--out", str(tmp_path / "out")]
    assert cli.main(argv) == 0
    table = pd.read_csv(tmp_path / "out" / "roster.csv")
    assert table.groupby(["day", "shift"]).size().eq(2).all() and len(table) == 28
    # no late shift followed by an early one the next day
    late = set(zip(table.loc[table["shift"] == "L", "agent"], table.loc[table["shift"] == "L", "day"]))
    early = set(zip(table.loc[table["shift"] == "E", "agent"], table.loc[table["shift"] == "E", "day"] - 1))
    assert not late & early
    assert table.groupby("agent").size().max() <= 5
    assert cli.main(argv[:-2] + ["--agents", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "o2")]) == 2
    assert "--agents: no such file" in capsys.readouterr().err


def test_a_schedule_that_cannot_cover_names_the_flag_not_the_argument(tmp_path, capsys):
    """Messages of wfm.schedule reached through the CLI name --allow-shortfall (the readers' option names)."""
    idx = pd.date_range("2024-01-01 08:00", periods=8, freq="30min")  # 08:00-12:00: shorter than any 8-h shift
    pd.DataFrame({"timestamp": idx, "agents": 3}).to_csv(tmp_path / "plan.csv", index=False)
    rules = {"shifts": [{"name": "day", "paid": "8h"}], "week": {"days_per_week": [1, 5]},
             "open_hours": ["08:00", "12:00"]}
    (tmp_path / "rules.yaml").write_text(yaml.safe_dump(rules))
    assert cli.main(["schedule", "--requirement", str(tmp_path / "plan.csv"), "--rules", str(tmp_path / "rules.yaml"),
                     "--out", str(tmp_path / "s")]) == 2
    err = capsys.readouterr().err
    assert "--allow-shortfall" in err and "allow_shortfall=True" not in err
