"""
``wfm schedule --rules FILE``: every key of the file is read or named, none dropped in silence.

It used to keep only the shift rules' keys, so a typo (``max_head: 1``, ``weeks:``) was dropped and the
schedule made without that rule. The keys a file legitimately carries for something else (a scenario's
schedule section: the solver's options and variants; a roster rules file: its roster rules beside
``schedule:``) stay accepted.
"""

from pathlib import Path

import pandas as pd
import pytest
import yaml

import wfm
from wfm import cli
from wfm.schedule.shifts import _RULE_KEYS, _SOLVER_KEYS

REPO = Path(wfm.__file__).parents[1]
ACCEPTED = ("The shift rules' keys are shifts, week, open_hours, max_heads, max_cost; a scenario's schedule section "
            "may also hold time_limit, mip_gap, allow_shortfall, solver, method, variants (set aside here).")


@pytest.fixture()
def plan(tmp_path):
    """Labelled synthetic: a flat 3 agents per half-hour, Monday-Friday 08:00-18:00, one week."""
    idx = pd.date_range("2024-01-01", periods=5 * 48, freq="30min")
    idx = idx[(idx.hour >= 8) & (idx.hour < 18)]
    pd.DataFrame({"agents": 3}, index=pd.Index(idx, name="timestamp")).to_csv(tmp_path / "plan.csv")
    return tmp_path


def _schedule(folder, rules, monkeypatch, capsys):
    """(exit code, stdout, stderr, the rules wfm.schedule_weeks was given) of wfm schedule on ``rules``."""
    import wfm.schedule

    path = rules if isinstance(rules, Path) else folder / "rules.yaml"
    if not isinstance(rules, Path):
        path.write_text(yaml.safe_dump(rules, sort_keys=False))
    given, real = [], wfm.schedule.schedule_weeks
    monkeypatch.setattr(wfm.schedule, "schedule_weeks", lambda req, r, **k: given.append(r) or real(req, r, **k))
    code = cli.main(["schedule", "--requirement", str(folder / "plan.csv"), "--rules", str(path), "--time-limit",
                     "10", "--out", str(folder / "out")])
    out, err = capsys.readouterr()
    return code, out, err, (given[0] if given else None)


@pytest.mark.parametrize("where, key, value, close", [
    ("flat", "max_head", 1, "max_heads"),  # dropped, it gave 3+ heads where 1 was meant
    ("flat", "weeks", {"days_per_week": 5}, "week"),
    ("schedule:", "time_limits", 5, "time_limit"),  # in a scenario's schedule section
])
def test_a_typo_in_the_rules_is_named_with_the_key_it_is_close_to(plan, monkeypatch, capsys, where, key, value,
                                                                   close):
    rules = {"shifts": [{"name": "D", "paid": "5h"}], key: value}
    code, _, err, given = _schedule(plan, rules if where == "flat" else {"schedule": rules}, monkeypatch, capsys)
    assert code == 2 and given is None  # refused before any schedule is made
    section = "" if where == "flat" else " schedule:"
    assert f"--rules 'rules.yaml'{section} has unknown key {key!r}. Did you mean {close!r}? {ACCEPTED}" in err


def test_keys_of_other_files_are_named_for_what_they_are(plan, monkeypatch, capsys):
    roster = {"shifts": [{"name": "D", "paid": "5h"}], "forbidden_successions": [["D", "D"]]}
    code, _, err, _ = _schedule(plan, roster, monkeypatch, capsys)
    assert code == 2
    assert ("has unknown key 'forbidden_successions'. 'forbidden_successions' is a roster rule (wfm roster --rules), "
            "which holds its shift rules under schedule:.") in err
    code, _, err, _ = _schedule(plan, REPO / "scenarios" / "capacity_bank_calls.yaml", monkeypatch, capsys)
    assert code == 2 and "has unknown key 'name'. The file has no schedule: section" in err


def test_a_roster_rules_file_gives_its_schedule_section(plan, monkeypatch, capsys):
    """The file wfm roster --requirement reads: roster rules, the shift rules that size the requirement under
    schedule:. wfm schedule reads that section; of the roster rules beside it only week_start is its business
    (the test below)."""
    section = {"shifts": [{"name": "D", "paid": "5h", "starts": ["08:00", "13:00"]}], "week": {"days_per_week": 5}}
    code, out, err, given = _schedule(plan, {"days": 7, "week_start": "MON", "schedule": section}, monkeypatch,
                                      capsys)
    assert code == 0, err
    assert given == section and "set aside" not in out
    cover = pd.read_csv(plan / "out" / "coverage.csv", index_col=0)
    assert (cover["scheduled"] >= cover["required"]).all()


SHIPPED = sorted(p for d in ("scenarios", "examples", "docs", "notebooks", "tests/data") for p in
                 [*(REPO / d).glob("**/*.yaml"), *(REPO / d).glob("**/*.yml")]
                 if isinstance(yaml.safe_load(p.read_text()), dict) and "schedule" in yaml.safe_load(p.read_text()))


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_every_shipped_file_with_a_schedule_section_still_works(plan, monkeypatch, capsys, path):
    """Its shift rules reach wfm.schedule_weeks whole; only its solver options are set aside, and said to be."""
    section = yaml.safe_load(path.read_text())["schedule"]
    code, out, err, given = _schedule(plan, path, monkeypatch, capsys)
    assert code == 0, err
    aside = [k for k in section if k in _SOLVER_KEYS]
    assert given == {k: x for k, x in section.items() if k not in aside}  # every other key, as written
    assert f"set aside from --rules: {', '.join(aside)} (a scenario's solver options" in out


def test_the_shipped_scenarios_are_checked():
    assert {"weekly_bank_calls.yaml", "channels_bank_week.yaml"} <= {p.name for p in SHIPPED}


def test_the_keys_set_aside_are_the_scenario_schedule_sections_own():
    """_SOLVER_KEYS is what wfm.scenario's schedule section adds to the shift rules, no more and no less."""
    from wfm.scenario.schema import ScheduleSection

    assert set(ScheduleSection.model_fields) == set(_RULE_KEYS) | set(_SOLVER_KEYS)
    assert not set(_RULE_KEYS) & set(_SOLVER_KEYS)


def test_the_week_start_a_rules_file_states_is_used(plan, monkeypatch, capsys):
    """A roster rules file's week_start is the week wfm roster --requirement sizes its schedule on
    (wfm.roster_agents passes rules['week_start'] to wfm.schedule_weeks); wfm schedule on the same file sizes the
    same weeks. WED would cut the plan's Monday-Friday in two (Mon-Tue, Wed-Fri): a plan of at most 7 days is then
    one rolling week from its first day (review33 item 2); a --week-start that disagrees with the file is refused, one that agrees is fine."""
    import wfm.schedule

    section = {"shifts": [{"name": "D", "paid": "5h", "starts": ["08:00", "13:00"]}], "week": {"days_per_week": 5}}
    (plan / "roster.yaml").write_text(yaml.safe_dump({"days": 7, "week_start": "WED", "schedule": section}))
    weeks, real = [], wfm.schedule.schedule_weeks
    monkeypatch.setattr(wfm.schedule, "schedule_weeks",
                        lambda req, r, **k: weeks.append(k["week_start"]) or real(req, r, **k))
    argv = ["schedule", "--requirement", str(plan / "plan.csv"), "--rules", str(plan / "roster.yaml"),
            "--time-limit", "10", "--out", str(plan / "out"), "-q"]
    assert cli.main(argv) == 0 and weeks == ["WED"]
    shifts = pd.read_csv(plan / "out" / "shifts.csv")
    assert shifts["week"].nunique() == 1 and shifts["week"].iloc[0] == shifts["day"].min()
    assert cli.main(argv + ["--week-start", "wednesday"]) == 0 and weeks[-1] == "WED"
    assert cli.main(argv + ["--week-start", "MON"]) == 2 and len(weeks) == 2
    assert ("--week-start MON conflicts with --rules 'roster.yaml', whose week_start is WED"
            in capsys.readouterr().err)
    # a scenario states it as horizon.week_start (the week its own run schedules on); a plain rules file states none
    (plan / "scenario.yaml").write_text(yaml.safe_dump({"horizon": {"week_start": "WED"}, "schedule": section}))
    assert cli.main(argv[:4] + [str(plan / "scenario.yaml")] + argv[5:]) == 0 and weeks[-1] == "WED"
    (plan / "flat.yaml").write_text(yaml.safe_dump(section))
    assert cli.main(argv[:4] + [str(plan / "flat.yaml")] + argv[5:]) == 0 and weeks[-1] is None  # the library infers
    # the printout says the week is rolling (from the plan's first day, not from WED)
    capsys.readouterr()
    assert cli.main([a for a in argv if a != "-q"]) == 0
    assert ("weeks starting MON (one rolling week: a plan of at most 7 days that the weeks of the week_start of "
            "--rules would cut in two)") in capsys.readouterr().out
    week = pd.to_datetime(pd.read_csv(plan / "out" / "shifts.csv")["week"]).unique()
    assert len(week) == 1 and week[0].day_name() == "Monday"  # the plan's Monday-Friday: one Monday week
