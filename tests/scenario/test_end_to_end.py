"""End to end: one `wfm run` of a small scenario on the real bank data; its files and how they agree."""

import json

import numpy as np
import pandas as pd
import pytest

from wfm import cli

from .conftest import small_scenario, write_scenario

TABLES = ["variants", "forecast", "backtest", "requirements", "daily", "schedule_shifts", "coverage",
          "simulation_check", "kpis", "scorecard"]


def read(out, name):
    return pd.read_csv(out / f"{name}.csv")


def test_run_exits_0_and_prints_the_summary(main_run):
    code, out, printed = main_run
    assert code == 0
    first, base = printed.splitlines()[:2]
    assert "4 variant(s), 4 ok, 0 failed" in first
    for figure in ("headcount", "FTE", "cost", "USD", "expected SL", "backtest WAPE"):
        assert figure in base


def test_every_file_is_written_whole(main_run):
    _, out, _ = main_run
    for name in TABLES:
        assert len(pd.read_parquet(out / f"{name}.parquet")) == len(read(out, name)) > 0, name
    for png in ("forecast", "backtest", "staffing_plan", "schedule_coverage", "simulation_check", "variants"):
        assert (out / f"{png}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", png
    page = (out / "report.html").read_text()
    for heading in ("Summary", "Forecast", "Backtest", "Staffing plan", "Variant comparison", "Schedule",
                    "Simulation check", "KPI scorecard", "Scenario parameters"):
        assert f">{heading}" in page, heading
    assert page.count("data:image/png;base64,") >= 6
    assert "staffing.service_level" in page  # the parameters and the grid
    sheets = pd.read_excel(out / "wfm_plan.xlsx", sheet_name=None)
    assert set(TABLES) <= set(sheets)
    assert len(sheets["requirements"]) == 4 * 140
    manifest = json.loads((out / ".wfm-manifest.json").read_text())
    assert set(manifest["files"]) == {p.name for p in out.iterdir() if not p.name.startswith(".")}
    assert not [p for p in out.iterdir() if p.name.startswith(".") and p.name != ".wfm-manifest.json"]


def test_variants_table(main_run):
    _, out, _ = main_run
    v = read(out, "variants")
    assert v["variant"].tolist() == ["base", "forecast.volume_factor=1,staffing.service_level=0.9",
                                     "forecast.volume_factor=1.1,staffing.service_level=0.8",
                                     "forecast.volume_factor=1.1,staffing.service_level=0.9"]
    assert (v["status"] == "ok").all()
    assert v["detail"].tolist() == [True, False, False, True]
    assert v["forecast.volume_factor"].tolist() == [1.0, 1.0, 1.1, 1.1]
    assert v["staffing.service_level"].tolist() == [0.8, 0.9, 0.8, 0.9]
    # more calls or a higher target never needs fewer agents
    assert v.loc[3, "fte"] > v.loc[2, "fte"] > v.loc[0, "fte"] and v.loc[1, "fte"] > v.loc[0, "fte"]
    # cost is scheduled hours x the paid hour of the scenario
    np.testing.assert_allclose(v["cost"], v["scheduled_hours"] * 22.0)
    assert v["backtest_wape"].between(0.01, 0.2).all()
    assert v.loc[v["detail"], "heads"].gt(0).all() and v.loc[~v["detail"], "heads"].isna().all()


def test_tables_agree_with_each_other(main_run):
    _, out, _ = main_run
    v = read(out, "variants").set_index("variant")
    req = read(out, "requirements")
    fc = read(out, "forecast")
    # every variant staffs the one forecast, times its volume factor
    for name, part in req.groupby("variant"):
        np.testing.assert_allclose(part["calls"].to_numpy(), fc["forecast"].to_numpy() * v.loc[name,
                                   "forecast.volume_factor"])
        assert part["service_level"].ge(part["service_level_target"] - 1e-12).all()
    # daily totals add up to the variant's week
    daily = read(out, "daily").groupby("variant")[["agent_hours", "scheduled_hours"]].sum()
    np.testing.assert_allclose(daily["agent_hours"], v.loc[daily.index, "agent_hours"])
    np.testing.assert_allclose(daily["scheduled_hours"], v.loc[daily.index, "scheduled_hours"])
    np.testing.assert_allclose(req.groupby("variant")["agents"].max(), v.loc[daily.index, "peak_agents"])
    # the schedule covers the requirement in every interval (the scenario does not allow a shortfall)
    cov = read(out, "coverage")
    assert set(cov["variant"]) == {"base", "forecast.volume_factor=1.1,staffing.service_level=0.9"}
    assert (cov["scheduled"] >= cov["required"]).all()
    for name, part in cov.groupby("variant"):
        agents = req[req["variant"] == name].set_index("timestamp")["agents"]
        required = part.set_index("timestamp")["required"]
        pd.testing.assert_series_equal(required.reindex(agents.index), agents, check_names=False)
        assert required.drop(agents.index).eq(0).all()  # closed intervals of the week grid
    shifts = read(out, "schedule_shifts")
    paid = shifts.groupby("variant").apply(lambda s: (s["paid_hours"] * s["agents"]).sum(), include_groups=False)
    np.testing.assert_allclose(paid, v.loc[paid.index, "paid_hours"])
    np.testing.assert_allclose(shifts.groupby("variant")["cost"].sum(), v.loc[paid.index, "schedule_cost"])
    # the simulation check and the KPIs are of the same plan
    check = read(out, "simulation_check")
    for name, part in check.groupby("variant"):
        assert part["agents"].tolist() == req.loc[req["variant"] == name, "agents"].tolist()
    kpis = read(out, "kpis")
    assert len(kpis) == 2 * 5 and kpis["service_level"].between(0, 1).all()
    card = read(out, "scorecard")
    assert {"service_level", "asa", "occupancy"} <= set(card["kpi"])
    assert set(card["status"]) <= {"green", "amber", "red", "no data"}
    # the simulated week is scored against the schedule it ran on and carries customer-side fields
    for kpi in ("adherence", "shrinkage", "utilisation", "fcr", "csat"):
        if kpi in kpis:
            assert kpis[kpi].notna().all(), kpi
    assert kpis["adherence"].between(0, 1).all()


def test_rerun_replaces_results_whole(tmp_path, capsys):
    out = tmp_path / "out"
    first = write_scenario(tmp_path, small_scenario(schedule=None, simulate=None, kpis=None, grid={},
                                                    forecast={"method": "seasonal_naive"}), "a.yaml")
    assert cli.main(["run", str(first), "--out", str(out), "--jobs", "1", "--quiet"]) == 0
    (out / "my_notes.txt").write_text("not wfm's")
    second = write_scenario(tmp_path, small_scenario(schedule=None, simulate=None, kpis=None, grid={},
                                                     forecast={"method": "seasonal_naive", "backtest": None},
                                                     output={"tables": ["csv"], "excel": False}), "b.yaml")
    assert cli.main(["run", str(second), "--out", str(out), "--jobs", "1", "--quiet"]) == 0
    names = {p.name for p in out.iterdir()}
    assert "backtest.csv" not in names and "backtest.png" not in names  # the first run's leftovers are gone
    assert "wfm_plan.xlsx" not in names and not [n for n in names if n.endswith(".parquet")]
    assert "my_notes.txt" in names  # never touches files wfm did not write
    assert "variants.csv" in names and "report.html" in names
    assert not [n for n in names if n.startswith(".wfm-staging") or n.endswith(".tmp")]


def test_a_failed_write_leaves_the_previous_results(tmp_path, monkeypatch):
    from wfm.scenario import output

    out = tmp_path / "out"
    path = write_scenario(tmp_path, small_scenario(schedule=None, simulate=None, kpis=None, grid={},
                                                   forecast={"method": "seasonal_naive", "backtest": None}))
    assert cli.main(["run", str(path), "--out", str(out), "--jobs", "1", "--quiet"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(output, "write_excel", broken)
    assert cli.main(["run", str(path), "--out", str(out), "--jobs", "1", "--quiet"]) == 2
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_failing_variant_exits_1_and_the_others_are_written(tmp_path, capsys, jobs):
    # max_heads 5 is a valid rule, but no schedule of 5 agents covers the bank's week: that variant fails
    s = small_scenario(simulate=None, kpis=None,
                       grid={"schedule.max_heads": [2000, 5], "staffing.service_level": [0.8, 0.9]})
    s["schedule"]["variants"] = "all"
    s["forecast"]["backtest"] = None
    path = write_scenario(tmp_path, s)
    code = cli.main(["run", str(path), "--out", str(tmp_path / "out"), "--jobs", jobs])
    assert code == 1
    printed = capsys.readouterr().out
    assert "5 variant(s), 3 ok, 2 failed" in printed and "FAILED" in printed
    v = pd.read_csv(tmp_path / "out" / "variants.csv")
    bad = v[v["status"] == "failed"]
    assert bad["variant"].str.contains("schedule.max_heads=5").all() and len(bad) == 2
    assert bad["error"].str.startswith("schedule: ValueError").all()
    assert bad["fte"].notna().all()  # the staffing before the failing step is kept
    cov = pd.read_csv(tmp_path / "out" / "coverage.csv")
    assert set(cov["variant"]) == set(v.loc[v["status"] == "ok", "variant"])
    assert "Failed variants" in (tmp_path / "out" / "report.html").read_text()
