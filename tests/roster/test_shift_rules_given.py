"""
Shift rules given to wfm.roster_agents as roster rules: Python says what roster rules are and where the shift
rules go, as ``wfm roster --rules`` does (one message, wfm.roster.arguments.check_not_shift_rules), not a bare
"unknown key".
"""

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

import wfm
from wfm import cli

SCENARIO = Path(wfm.__file__).parents[1] / "scenarios" / "weekly_bank_calls.yaml"


@pytest.fixture()
def inputs(tmp_path):
    """The bundled scenario's schedule section; labelled synthetic: 3 agents Mon-Fri 08:00-18:00, 12 agents."""
    section = yaml.safe_load(SCENARIO.read_text())["schedule"]
    section.pop("variants")
    idx = pd.date_range("2024-01-01 08:00", "2024-01-05 17:30", freq="30min")
    requirement = pd.Series(3, index=pd.Index(idx[(idx.hour >= 8) & (idx.hour < 18)], name="timestamp"))
    agents = pd.DataFrame({"agent": [f"a{k}" for k in range(12)], "max_days_per_week": 5})
    requirement.rename("agents").to_frame().to_csv(tmp_path / "req.csv")
    agents.to_csv(tmp_path / "agents.csv", index=False)
    return section, requirement, agents, tmp_path


def _python(rules, requirement, agents):
    with pytest.raises(ValueError) as info:
        wfm.roster_agents(requirement, agents, rules, time_limit=20)
    return str(info.value)


def _cli(rules, folder, capsys):
    (folder / "rules.yaml").write_text(yaml.safe_dump(rules, sort_keys=False))
    assert cli.main(["roster", "--requirement", str(folder / "req.csv"), "--agents", str(folder / "agents.csv"),
                     "--rules", str(folder / "rules.yaml"), "--time-limit", "20", "--out", str(folder / "o")]) == 2
    return capsys.readouterr().err.removeprefix("wfm roster: error: ").strip()


@pytest.mark.parametrize("shape", ["flat", "nested"])
def test_python_and_the_cli_say_the_same_thing(inputs, capsys, shape):
    section, requirement, agents, folder = inputs
    rules = section if shape == "flat" else {"schedule": section}
    py, line = _python(rules, requirement, agents), _cli(rules, folder, capsys)
    assert "unknown key" not in py
    # the same words; only the rules' name and how the solver's time is set differ (argument vs flag and file)
    assert line == (py.replace("rules", "--rules 'rules.yaml'", 1).replace("time_limit=20", "--time-limit 20"))
    if shape == "flat":
        assert py.startswith("rules looks like shift rules for wfm.schedule_weeks and wfm schedule --rules (it has "
                             "week, open_hours, time_limit, mip_gap), not roster rules. Roster rules "
                             "(wfm.roster_agents, wfm roster --rules) have the keys start, days, week_start, shifts, ")
    else:
        assert py.startswith("rules: schedule: holds time_limit, mip_gap, solver options of a scenario's schedule "
                             "section, not shift rules; schedule: takes shifts, week, open_hours, max_heads, max_cost")
    assert py.endswith(", without time_limit, mip_gap: the solver's time is not a key; set it with time_limit=20 "
                       "(seconds for the whole roster, sizing included).")


def test_a_cover_demand_gets_the_same_explanation(inputs):
    """Not only an interval requirement: with a cover per day and shift type the rules are read first."""
    section, _, agents, _ = inputs
    cover = pd.DataFrame({"day": [0, 1], "shift": "FT8", "required": 1})
    rules = {k: x for k, x in section.items() if k not in ("time_limit", "mip_gap")}
    with pytest.raises(ValueError, match=r"^rules looks like shift rules .* \(it has week, open_hours\), not roster "
                                         r"rules\. .* under schedule: to size an interval requirement with them\.$"):
        wfm.roster_agents(cover, agents, rules, time_limit=20)


def test_a_typo_under_schedule_is_named_with_the_key_it_is_close_to(inputs):
    section, requirement, agents, _ = inputs
    inner = {("weeks" if k == "week" else k): x for k, x in section.items() if k not in ("time_limit", "mip_gap")}
    with pytest.raises(ValueError, match=r"^rules: schedule: has unknown key 'weeks'\. Did you mean 'week'\?"):
        wfm.roster_agents(requirement, agents, {"schedule": inner}, time_limit=20)


def test_solver_options_beside_roster_rules_are_named_as_options_not_shift_rules(inputs, capsys):
    """Roster rules with a time limit in them are still roster rules: the message says the limit is an option."""
    _, _, agents, folder = inputs
    cover = pd.DataFrame({"day": [0, 1], "shift": "D", "required": 1})
    rules = {"days": 2, "shifts": [{"name": "D", "paid": "8h"}], "time_limit": 30}
    said = ("has time_limit: options of the solver (arguments of wfm.roster_agents, keys of a scenario's schedule "
            "section), not roster rules; leave them out: the solver's time is not a key; set it with {} (seconds")
    with pytest.raises(ValueError, match=r"^rules " + re.escape(said.format("time_limit=20"))):
        wfm.roster_agents(cover, agents, rules, time_limit=20)
    cover.to_csv(folder / "cover.csv", index=False)
    (folder / "rules.yaml").write_text(yaml.safe_dump(rules))
    assert cli.main(["roster", "--cover", str(folder / "cover.csv"), "--agents", str(folder / "agents.csv"),
                     "--rules", str(folder / "rules.yaml"), "--time-limit", "20", "--out", str(folder / "o")]) == 2
    assert "--rules 'rules.yaml' " + said.format("--time-limit 20") in capsys.readouterr().err
