"""The capacity section of a scenario: the runner composes wfm.capacity, what-ifs as variants."""

import pandas as pd
import pytest

import wfm
from wfm.capacity import capacity_plan, weekly_demand
from wfm.scenario import run_scenario

from .conftest import small_scenario

STAFF = pd.DataFrame({"site": "bank_calls", "tenure_weeks": [4, 30, 120], "headcount": [20, 60, 300]})
CAPACITY = {"demand": {"weeks": 26, "aht": 300, "seasonal_indices": {m: 1.0 for m in range(1, 13)}},
            "staffing": {"service_level": 0.8, "threshold": 20, "shrinkage": 0.3},
            "rules": {"attrition": {0: 0.01, 13: 0.005}, "lead_time_weeks": 4, "class_max": 40,
                      "start_weeks": [4, 8, 12, 16]},
            "time_limit": 10, "grid": {"rules.attrition_scale": [1.5]}}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One scenario run with a capacity section and one what-if: module scope, the result is read only."""
    folder = tmp_path_factory.mktemp("capacity")
    STAFF.to_csv(folder / "staff.csv", index=False)
    s = small_scenario(schedule=None, simulate=None, kpis=None, grid={},
                       capacity={**CAPACITY, "staff": str(folder / "staff.csv")})
    return run_scenario(s, jobs=1)


def test_the_base_plan_is_the_library_plan(run):
    assert run.ok
    v = run.capacity_variants.set_index("variant")
    assert list(v.index) == ["base", "rules.attrition_scale=1.5"]
    assert (v["status"] == "ok").all(), v["error"]
    history = {"bank_calls": wfm.datasets.bank_calls("30min")}
    demand = weekly_demand(history, weeks=26, aht=300, seasonal_indices={m: 1.0 for m in range(1, 13)},
                           service_level=0.8, threshold=20, shrinkage=0.3)
    plan = capacity_plan(demand, STAFF, CAPACITY["rules"], time_limit=10)
    got = run.capacity_plan[run.capacity_plan["variant"] == "base"].drop(columns="variant").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, plan.table.reset_index(drop=True))
    assert v.loc["base", "hires"] == plan.figures()["hires"]
    monthly = run.capacity_monthly[run.capacity_monthly["variant"] == "base"].drop(columns="variant")
    pd.testing.assert_frame_equal(monthly.reset_index(drop=True), plan.monthly().reset_index(drop=True))
    assert "capacity_monthly" in run.tables()  # so `wfm run` writes capacity_monthly.csv beside the plan


def test_more_attrition_never_hires_fewer(run):
    v = run.capacity_variants.set_index("variant")
    assert v.loc["rules.attrition_scale=1.5", "hires"] >= v.loc["base", "hires"]
    assert v.loc["rules.attrition_scale=1.5", "leavers"] > v.loc["base", "leavers"]


def test_a_grid_key_outside_the_section_is_named(tmp_path):
    STAFF.to_csv(tmp_path / "staff.csv", index=False)
    s = small_scenario(schedule=None, simulate=None, kpis=None, grid={},
                       capacity={**CAPACITY, "staff": str(tmp_path / "staff.csv"), "grid": {"rules.atrition": [1]}})
    with pytest.raises(wfm.scenario.ScenarioError, match="rules.atrition"):
        run_scenario(s, jobs=1)


def test_run_capacity_alone_gives_the_same_plans(run, tmp_path):
    STAFF.to_csv(tmp_path / "staff.csv", index=False)
    s = small_scenario(schedule=None, simulate=None, kpis=None, grid={},
                       capacity={**CAPACITY, "staff": str(tmp_path / "staff.csv")})
    alone = wfm.scenario.run_capacity(s, jobs=1)
    assert alone.ok
    pd.testing.assert_frame_equal(alone.plan, run.capacity_plan)


def test_wfm_capacity_writes_the_tables_and_exits_0(tmp_path, capsys):
    import yaml

    from wfm import cli

    STAFF.to_csv(tmp_path / "staff.csv", index=False)
    s = small_scenario(schedule=None, simulate=None, kpis=None, grid={}, capacity={**CAPACITY, "staff": "staff.csv",
                                                                                   "grid": {}})
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(s, sort_keys=False))
    assert cli.main(["capacity", str(tmp_path / "s.yaml"), "--out", str(tmp_path / "out"), "-j", "1"]) == 0
    variants = pd.read_csv(tmp_path / "out" / "capacity_variants.csv")
    assert variants["status"].tolist() == ["ok"] and (tmp_path / "out" / "capacity_plan.png").exists()
    assert "wfm capacity: 1 what-if(s)" in capsys.readouterr().out
    no_section = small_scenario(schedule=None, simulate=None, kpis=None, grid={})
    (tmp_path / "t.yaml").write_text(yaml.safe_dump(no_section, sort_keys=False))
    assert cli.main(["capacity", str(tmp_path / "t.yaml"), "--out", str(tmp_path / "o2")]) == 2
    assert "has no capacity section" in capsys.readouterr().err


def test_the_bundled_capacity_scenario_is_valid(capsys):
    from pathlib import Path

    from wfm import cli

    path = Path(__file__).resolve().parents[2] / "scenarios" / "capacity_bank_calls.yaml"
    assert cli.main(["validate", str(path)]) == 0
    loaded = wfm.scenario.load_scenario(path)
    assert loaded.scenario.capacity.rules.class_max == 40 and loaded.resolve(loaded.scenario.capacity.staff).exists()


def test_a_capacity_task_whose_worker_dies_fails_alone():
    from wfm.scenario.long_term import CapacityTask
    from wfm.scenario.runner import _crashed

    task = CapacityTask("rules.attrition_scale=2", {}, None, {}, None, STAFF)
    out = _crashed((task,), MemoryError("out of memory"))
    assert out.variant == "rules.attrition_scale=2" and out.row["status"] == "failed"
    assert out.row["error"].startswith("worker: MemoryError") and out.plan is None


def test_a_what_ifs_warnings_are_its_rows_and_the_summary_names_it(tmp_path, monkeypatch):
    """A warning raised while planning one what-if is told with that what-if (not as an anonymous warning)."""
    import warnings

    from wfm.scenario import long_term, summary_text

    original = long_term.capacity_plan

    def warning_plan(demand, staff, rules, **kw):
        scale = rules.get("attrition_scale", 1.0) if isinstance(rules, dict) else getattr(rules, "attrition_scale", 1.0)
        if scale != 1.0:
            warnings.warn("short before hires reach", UserWarning)
        return original(demand, staff, rules, **kw)

    monkeypatch.setattr(long_term, "capacity_plan", warning_plan)
    STAFF.to_csv(tmp_path / "staff.csv", index=False)
    s = small_scenario(schedule=None, simulate=None, kpis=None, grid={},
                       capacity={**CAPACITY, "staff": str(tmp_path / "staff.csv")})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing escapes the what-if's row
        result = run_scenario(s, jobs=1)
    v = result.capacity_variants.set_index("variant")
    assert (v["status"] == "ok").all(), v["error"]
    assert v.loc["base", "warnings"] == "" and v.loc["rules.attrition_scale=1.5", "warnings"] == "short before hires reach"
    assert "capacity warning (rules.attrition_scale=1.5): short before hires reach" in summary_text(result)
