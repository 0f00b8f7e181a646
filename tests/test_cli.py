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
    assert list(fc.columns) == ["forecast", "lower", "upper"] and len(fc) == 140
    assert fc.index[0] == pd.Timestamp("2003-10-27 07:00")
    assert (fc["lower"] <= fc["forecast"]).all() and (fc["forecast"] <= fc["upper"]).all()


def test_forecast_of_the_bundled_data_prints_a_line(tmp_path, capsys):
    out = tmp_path / "f.parquet"
    assert cli.main(["forecast", "--dataset", "bank_calls", "--method", "seasonal_naive", "--out", str(out)]) == 0
    assert "wfm forecast: 140 intervals from 2003-10-27 07:00:00" in capsys.readouterr().out
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
    assert "service_level must be a fraction" in capsys.readouterr().err


def test_help_is_exit_0(capsys):
    assert cli.main(["--help"]) == 0
    text = capsys.readouterr().out
    for command in ("run", "validate", "schema", "forecast", "staff", "schedule", "simulate", "evaluate", "demo"):
        assert command in text
