"""What-if grids: expansion, names, the base variant, marked variants; the main scenario file."""

import json
from pathlib import Path

import pytest
import yaml

from wfm import cli
from wfm.scenario import ScenarioError, expand_grid, load_scenario, scenario_schema
from wfm.scenario.grid import select_variants, set_path

from .conftest import REPO, small_scenario


def names(scenario):
    return [v.name for v in load_scenario(scenario).variants]


def test_cartesian_product_in_file_order_with_base_first():
    s = small_scenario(grid={"forecast.volume_factor": [0.9, 1.1], "aht.factor": [0.9, 1.1]})
    assert names(s) == ["base", "forecast.volume_factor=0.9,aht.factor=0.9", "forecast.volume_factor=0.9,aht.factor=1.1",
                        "forecast.volume_factor=1.1,aht.factor=0.9", "forecast.volume_factor=1.1,aht.factor=1.1"]


def test_the_base_settings_in_the_grid_are_base_not_a_second_run():
    s = small_scenario(grid={"forecast.volume_factor": [1.0, 1.2], "staffing.service_level": [0.8]})
    assert names(s) == ["base", "forecast.volume_factor=1.2,staffing.service_level=0.8"]


def test_each_variant_is_the_whole_scenario_validated_again():
    s = small_scenario(grid={"staffing.shrinkage": [0.3, {"breaks": 0.1, "absence": 0.25}], "aht": [280, 320]})
    variants = load_scenario(s).variants
    last = variants[-1]
    assert last.name == 'staffing.shrinkage={"absence":0.25,"breaks":0.1},aht=320'
    assert last.scenario.staffing.shrinkage == {"breaks": 0.1, "absence": 0.25}
    assert last.scenario.aht.value == 320 and last.scenario.staffing.threshold == 20


def test_paths_into_mappings_and_combinations_are_checked():
    s = small_scenario(grid={"staffing.model": ["erlang_c", "erlang_a"]})
    with pytest.raises(ScenarioError, match=r"grid.staffing.model\[1\]: model erlang_a needs patience"):
        load_scenario(s)
    s = small_scenario(grid={"staffing.shrinkage.absence": [0.1]})  # shrinkage is a number here
    with pytest.raises(ScenarioError, match="staffing.shrinkage is 0.3, not a mapping"):
        load_scenario(s)
    s = small_scenario(simulate=None, grid={"simulate.replications": [5]})
    with pytest.raises(ScenarioError, match="section 'simulate' is not in the scenario"):
        load_scenario(s)


def test_an_erlang_c_variant_of_an_erlang_a_base_drops_the_base_patience():
    """Erlang C refuses a patience; a grid comparing it with an Erlang A base means Erlang C without one."""
    erlang_a = {"model": "erlang_a", "service_level": 0.8, "threshold": 20, "shrinkage": 0.3, "patience": 120}
    variants = load_scenario(small_scenario(staffing=erlang_a, grid={"staffing.model": ["erlang_a", "erlang_c"]})
                             ).variants
    assert [v.name for v in variants] == ["base", "staffing.model=erlang_c"]
    assert variants[0].scenario.staffing.patience == 120
    written = load_scenario(small_scenario(staffing={**erlang_a, "model": "erlang_c", "patience": None}))
    assert variants[1].scenario.staffing == written.scenario.staffing  # as if the file said Erlang C, no patience
    # a patience the grid sets itself is the user's, and Erlang C still refuses it
    s = small_scenario(staffing=erlang_a, grid={"staffing.model": ["erlang_c"], "staffing.patience": [90]})
    with pytest.raises(ScenarioError, match="patience needs model erlang_a"):
        load_scenario(s)


def test_set_path_copies():
    config = {"staffing": {"service_level": 0.8}}
    assert set_path(config, "staffing.service_level", 0.9) == {"staffing": {"service_level": 0.9}}
    assert config == {"staffing": {"service_level": 0.8}}


def test_marked_variants_by_name_selection_or_all():
    loaded = load_scenario(small_scenario())
    assert loaded.detail == ["base", "forecast.volume_factor=1.1,staffing.service_level=0.9"]
    variants = expand_grid(loaded.scenario)
    assert select_variants(variants, [{"staffing.service_level": 0.9}]) == [
        "base", "forecast.volume_factor=1,staffing.service_level=0.9",
        "forecast.volume_factor=1.1,staffing.service_level=0.9"]
    assert select_variants(variants, ["forecast.volume_factor=1.1,staffing.service_level=0.8"])[-1].endswith("0.8")
    assert len(select_variants(variants, "all")) == 4


def test_the_main_scenario_validates():
    loaded = load_scenario(REPO / "scenarios" / "weekly_bank_calls.yaml")
    assert loaded.name == "weekly_bank_calls"
    assert len(loaded.variants) == 48  # 4 x 3 x 2 x 2, base among them
    assert loaded.detail == ["base",
                             "forecast.volume_factor=0.9,aht.factor=0.9,staffing.service_level=0.8,"
                             "staffing.shrinkage.absence=0.15",
                             "forecast.volume_factor=1.2,aht.factor=1.1,staffing.service_level=0.9,"
                             "staffing.shrinkage.absence=0.2"]
    assert loaded.resolve(loaded.scenario.kpis.targets) == REPO / "scenarios" / "kpi_targets.yaml"


def test_every_scenario_in_the_repository_validates(capsys):
    files = sorted(Path(REPO / "scenarios").glob("*.yaml"))
    for path in files:
        if path.name == "kpi_targets.yaml":
            continue
        assert cli.main(["validate", str(path)]) == 0, capsys.readouterr().err
    assert "ok: scenario 'weekly_bank_calls', 48 variant(s)" in capsys.readouterr().out


def test_schema_documents_every_section(capsys, tmp_path):
    schema = scenario_schema()
    assert set(schema["properties"]) == {"name", "description", "data", "horizon", "forecast", "aht", "staffing",
                                         "schedule", "simulate", "kpis", "costs", "grid", "queues", "output",
                                         "capacity", "roster", "skills",
                                         "channels"}
    assert set(schema["required"]) == {"name", "data", "aht"}
    # the shift rules and the capacity rules are documented field by field, with units
    shift = schema["$defs"]["ShiftTemplateModel"]["properties"]
    assert {"name", "paid", "contract", "cost_per_paid_hour", "starts", "breaks"} <= set(shift)
    assert all(p.get("description") for p in shift.values())
    assert {"attrition", "class_max", "lead_time_weeks"} <= set(schema["$defs"]["CapacityRules"]["properties"])
    staffing = schema["$defs"]["Staffing"]
    assert staffing["additionalProperties"] is False
    assert {"service_level", "threshold", "patience", "max_abandon_rate", "max_occupancy", "shrinkage"} <= set(
        staffing["properties"])
    assert all(p.get("description") for p in schema["$defs"]["SkillsSection"]["properties"].values())
    assert cli.main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == schema
    assert cli.main(["schema", "--out", str(tmp_path / "s.json")]) == 0
    assert json.loads((tmp_path / "s.json").read_text()) == schema


PARTS = {"breaks": 0.1, "training": 0.05, "absence": 0.15}


def test_a_grid_key_naming_a_part_the_base_does_not_have_is_a_typo(tmp_path, capsys):
    """shrinkage and open_hours are mappings of the user's own names: a grid may vary their entries, not add one."""
    s = small_scenario(staffing={"shrinkage": PARTS}, grid={"staffing.shrinkage.absense": [0.1, 0.2]})
    with pytest.raises(ScenarioError, match=r"grid.staffing.shrinkage.absense: unknown key 'absense' in "
                                            r"'staffing.shrinkage'.* Did you mean 'absence'\? .*put it in the file's "
                                            r"staffing.shrinkage at the base plan's value \(e.g. 0"):
        load_scenario(s)
    path = tmp_path / "typo.yaml"
    path.write_text(yaml.safe_dump(s))
    assert cli.main(["validate", str(path)]) == 2  # and so wfm run stops before it computes anything
    assert "Did you mean 'absence'?" in capsys.readouterr().err
    s = small_scenario(staffing={"shrinkage": PARTS}, queues={"bank_calls": {"staffing.shrinkage.absense": 0.3}})
    with pytest.raises(ScenarioError, match=r"queues.bank_calls.staffing.shrinkage.absense: .*'absence'\?"):
        load_scenario(s)  # a queue's override alike
    s = small_scenario(grid={"schedule.open_hours.sat": [["08:00", "12:00"]]})
    with pytest.raises(ScenarioError, match=r"unknown key 'sat' in 'schedule.open_hours', which has 'mon', .*'fri'"):
        load_scenario(s)
    s = small_scenario(grid={"schedule.open_hours.fri": [["07:00", "17:00"]]})
    s["schedule"]["week"] = {"days_per_week": {"full_time": 5, "part_time": 4}}
    s["grid"]["schedule.week.days_per_week.part_tme"] = [3]
    with pytest.raises(ScenarioError, match=r"unknown key 'part_tme' in 'schedule.week.days_per_week'.*Did you mean "
                                            r"'part_time'\?"):
        load_scenario(s)
    s["schedule"]["week"] = {"days_per_week": {"full_time": 5}}  # a valid name the base leaves out: said how to add
    s["grid"] = {"schedule.week.days_per_week.part_time": [3]}
    with pytest.raises(ScenarioError, match=r"'schedule.week.days_per_week', which has 'full_time'\. A grid .*\(or vary "
                                            r"the whole schedule.week.days_per_week"):
        load_scenario(s)


def test_a_new_part_in_the_base_at_zero_can_be_varied():
    """The way the error gives: the part in the file at the base plan's value (0), then the grid varies it."""
    s = small_scenario(staffing={"shrinkage": {**PARTS, "overtime": 0.0}},
                       grid={"staffing.shrinkage.overtime": [0.0, 0.05], "staffing.shrinkage.absence": [0.2]})
    variants = load_scenario(s).variants
    assert [v.name for v in variants] == ["base", "staffing.shrinkage.overtime=0,staffing.shrinkage.absence=0.2",
                                          "staffing.shrinkage.overtime=0.05,staffing.shrinkage.absence=0.2"]
    assert variants[2].scenario.staffing.shrinkage == {**PARTS, "absence": 0.2, "overtime": 0.05}
    assert variants[0].scenario.staffing.shrinkage == {**PARTS, "overtime": 0.0}
    s = small_scenario(schedule={**small_scenario()["schedule"], "variants": [],
                                 "open_hours": {**small_scenario()["schedule"]["open_hours"], "sat": None}},
                       grid={"schedule.open_hours.sat": [None, ["08:00", "12:00"]]})
    assert [v.name for v in load_scenario(s).variants] == ["base", 'schedule.open_hours.sat=["08:00","12:00"]']
