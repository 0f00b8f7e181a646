"""The skills section of a scenario: `wfm run` staffs the centre as wfm.skills.staff_centre does and writes it out."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from wfm.headline import skills_headline
from wfm.scenario import ScenarioError, load_scenario, run_scenario, summary_text, write_outputs
from wfm.scenario.schema import SkillsSection
from wfm.scenario.skills import CENTRE_KEYS
from wfm.scenario.skills_step import skills_input
from wfm.skills import staff_centre, synthetic_centre

EXAMPLE = Path(__file__).resolve().parents[2] / "scenarios" / "multiskill_centre.yaml"
QUICK = {"method": "approximation", "replications": 2, "check": 1, "seed": 3}


def _example(**skills_changes):
    spec = yaml.safe_load(EXAMPLE.read_text())
    spec["skills"]["calls"] = str(EXAMPLE.parent / spec["skills"]["calls"])
    spec["skills"].update(skills_changes)
    return spec


def test_section_holds_the_keys_of_a_centre_file():
    assert set(SkillsSection.model_fields) == set(CENTRE_KEYS)


def test_example_centre_is_the_synthetic_centre():
    """The example's calls file and keys rebuild wfm.skills.synthetic_centre() (the documented, seeded source)."""
    got = skills_input(load_scenario(EXAMPLE)).centre
    ref = synthetic_centre()
    pd.testing.assert_frame_equal(got.calls, ref.calls, check_freq=False, check_names=False, atol=1e-9)
    assert got.routing == ref.routing and got.skills == ref.skills
    pd.testing.assert_series_equal(got.cost, ref.cost)
    pd.testing.assert_frame_equal(got.targets, ref.targets)
    pd.testing.assert_frame_equal(got.aht, ref.aht, check_freq=False, check_names=False)
    pd.testing.assert_frame_equal(got.patience, ref.patience, check_freq=False, check_names=False)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The example scenario (staffed by the quick approximation) run and written out; module scope: read only."""
    folder = tmp_path_factory.mktemp("multiskill")
    path = folder / "scenario.yaml"
    path.write_text(yaml.safe_dump(_example(staffing=QUICK), sort_keys=False))
    result = run_scenario(path, jobs=1)
    write_outputs(result, folder / "out")
    return folder / "out", result


def test_written_figures_equal_staff_centre(written):
    out, result = written
    assert result.ok
    task = skills_input(result.loaded)
    plan = staff_centre(task.centre, **QUICK)
    agents = pd.read_csv(out / "skills_agents.csv", parse_dates=["interval"])
    wide = agents.pivot(index="interval", columns="group", values="agents")[plan.params["groups"]]
    np.testing.assert_array_equal(wide.to_numpy(), plan.agents().to_numpy())
    service = pd.read_csv(out / "skills_service.csv")
    for col in ("service_level", "service_level_lo", "service_level_hi", "asa_hi", "abandon_rate_hi"):
        np.testing.assert_allclose(service[col].to_numpy(), plan.service[col].to_numpy(), rtol=1e-12, equal_nan=True)
    assert list(service["type"]) == list(plan.service["type"])
    sheets = pd.read_excel(out / "wfm_plan.xlsx", sheet_name=None)
    np.testing.assert_array_equal(sheets["skills agents"][plan.params["groups"]].to_numpy(), plan.agents().to_numpy())
    head = sheets["skills summary"].set_index("figure")["value"]
    ref = skills_headline(plan).figures()
    assert head["skills_cost"] == pytest.approx(ref["skills_cost"]) == pytest.approx(plan.figures()["cost"])
    assert head["skills_agents_peak"] == ref["skills_agents_peak"] == plan.intervals["agents"].max()
    html = (out / "report.html").read_text()
    assert "Multi-skill centre" in html and "SYNTHETIC" in html


def test_summary_names_the_multiskill_headline(written):
    _, result = written
    text = summary_text(result)
    assert "multi-skill centre:" in text and "multi-skill agents at the peak" in text
    assert result.skills_agents["agents"].sum() * 0.5 == result.objects["skills"].figures()["agent_hours"]  # 30 min
    assert "skills_agents" in result.tables() and "skills" in set(result.timings["variant"])


def test_a_bad_skills_section_names_the_key(tmp_path):
    bad = _example()
    bad["skills"]["routings"] = {}
    with pytest.raises(ScenarioError, match=r"skills.routings: unknown key 'routings' in section 'skills'. Did you "
                                            r"mean 'routing'"):
        load_scenario(bad)
    bad = _example(staffing={"replication": 2})
    with pytest.raises(ScenarioError, match=r"skills.staffing: unknown key 'replication'"):
        load_scenario(bad)
    bad = _example()
    bad["skills"]["skills"]["billing+sales"] = {"sales": 1, "chat": 2}
    with pytest.raises(ScenarioError, match=r"skills: .*'chat'"):
        load_scenario(bad)


def test_a_failing_skills_step_is_reported_and_fails_the_run(tmp_path):
    """Caps the pooling program cannot fit: the step's error is in the result, the summary and the report, the run
    is not ok, and the single-queue plan still stands."""
    spec = _example(staffing=QUICK)
    spec["skills"]["skills"] = {g: s for g, s in spec["skills"]["skills"].items()
                                if g in ("billing+sales", "technical+billing", "sales+retention+premium",
                                         "sales+technical+spanish", "billing+technical+retention")}
    spec["skills"]["cost"] = None
    spec["skills"]["max_agents"] = {g: 2 for g in spec["skills"]["skills"]}
    result = run_scenario(spec, jobs=1)
    assert not result.ok and "capped" in result.skills_error
    assert (result.variants["status"] == "ok").all() and not len(result.skills_agents)
    assert "multi-skill centre: FAILED: skills: ValueError" in summary_text(result)
    written = write_outputs(result, tmp_path / "out")
    assert "FAILED: skills" in (tmp_path / "out" / "report.html").read_text()
    assert "skills_agents.csv" not in written["files"]
