"""The roster section of a scenario: named agents on the base schedule, in the report and the workbook."""

import pandas as pd
import pytest

from wfm import cli
from wfm.scenario import run_scenario

from .conftest import small_scenario, write_scenario

AGENTS = pd.DataFrame({"agent": [f"agent{k:02d}" for k in range(24)], "min_days_per_week": 0,
                       "max_days_per_week": 5, "min_rest_hours": 11.0})


def _scenario(folder):
    AGENTS.to_csv(folder / "agents.csv", index=False)
    s = small_scenario(grid={}, simulate=None, kpis=None, forecast={"method": "topdown", "backtest": None,
                                                                    "volume_factor": 0.03},
                       roster={"agents": str(folder / "agents.csv"), "time_limit": 20,
                               "rules": {"fairness": {"weekends": 1, "lates": 0, "requests": 0}}})
    s["schedule"]["variants"] = []
    return s


def test_the_base_schedule_is_rostered_and_reported(tmp_path):
    result = run_scenario(_scenario(tmp_path), jobs=1)
    assert result.ok, result.failed
    ros = result.objects["roster"][("bank_calls", "base")]
    sched = result.objects["schedule"][("bank_calls", "base")]
    # every sized shift is staffed by a named agent: the agents on the phones equal the sized plan's
    assert int(ros.cover["under"].sum()) == 0 and ros.coverage_loss() == 0.0
    assert len(ros.table) == int(sched.shifts["agents"].sum())
    assert ros.table["agent"].isin(AGENTS["agent"]).all()
    base = result.variants.set_index("variant").loc["base"]
    assert base["roster_coverage_loss"] == 0.0


def test_wfm_run_writes_the_roster_section_and_sheets(tmp_path):
    import openpyxl

    path = write_scenario(tmp_path, _scenario(tmp_path))
    assert cli.main(["run", str(path), "--out", str(tmp_path / "out"), "-j", "1", "-q"]) == 0
    assert "Roster, base" in (tmp_path / "out" / "report.html").read_text()
    book = openpyxl.load_workbook(tmp_path / "out" / "wfm_plan.xlsx", read_only=True)
    assert {"roster", "roster agents"} <= set(book.sheetnames)


def test_a_roster_without_a_schedule_is_named(tmp_path):
    s = _scenario(tmp_path)
    s["schedule"] = None
    from wfm.scenario import ScenarioError

    with pytest.raises(ScenarioError, match="roster"):
        run_scenario(s, jobs=1)


def test_an_ambiguous_request_date_names_the_scenario_key(tmp_path):
    """A request dated 03/04/2003 (3 April or 4 March) is refused, never guessed; run from a scenario, the hint names
    the scenario's keys (roster.dayfirst: true), not the Python argument dayfirst=True."""
    s = _scenario(tmp_path)
    pd.DataFrame({"agent": ["agent01"], "day": ["03/04/2003"], "shift": "", "kind": "off", "weight": 1}).to_csv(
        tmp_path / "requests.csv", index=False)
    s["roster"]["requests"] = str(tmp_path / "requests.csv")
    result = run_scenario(s, jobs=1)
    error = result.variants.set_index("variant").loc["base", "error"]
    assert "'03/04/2003' is 3 April or 4 March" in error
    assert "roster.dayfirst: true" in error and "roster.dayfirst: false" in error
    assert "roster.date_format: '%d/%m/%Y'" in error and "dayfirst=" not in error
