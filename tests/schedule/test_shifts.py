"""Shift rules: reading the dict form, weekly patterns, and errors that name the field."""

from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from wfm.schedule import schedule_rules, weekly_patterns
from wfm.schedule.shifts import BreakRuleModel, ScheduleRulesModel, ShiftTemplateModel, WeekRulesModel, on_grid

ISSUE_RULES = {
    "shifts": [
        {"name": "PT4", "paid": "4h", "contract": "part_time", "cost_per_paid_hour": 1.05,
         "step": "15min", "starts": ["07:00", "17:00"],
         "breaks": [{"length": "15min", "paid": True, "start_after": ["1h30min", "2h15min"]}]},
        {"name": "FT8", "paid": "8h", "contract": "full_time", "cost_per_paid_hour": 1.0,
         "breaks": [{"length": "15min", "paid": True, "start_after": ["1h30min", "2h15min"]},
                    {"length": "30min", "paid": False, "start_after": ["3h45min", "4h45min"]},
                    {"length": "15min", "paid": True, "start_after": ["6h15min", "7h"]}]},
    ],
    "week": {"days_per_week": 5, "days_off_consecutive": True, "same_contract_all_week": True,
             "same_start_all_week": False},
    "max_heads": None, "max_cost": None,
}


def test_reads_the_issue_example():
    rules = schedule_rules(ISSUE_RULES)
    pt4, ft8 = rules.shifts
    assert (pt4.name, pt4.contract, pt4.cost_per_paid_hour, pt4.paid_hours) == ("PT4", "part_time", 1.05, 4.0)
    assert pt4.starts == (7 * 60, 17 * 60) and pt4.step == pd.Timedelta("15min")
    assert pt4.span == pd.Timedelta("4h")  # a paid break does not lengthen the shift
    assert ft8.span == pd.Timedelta("8h30min")  # the unpaid lunch does
    assert [b.paid for b in ft8.breaks] == [True, False, True]
    assert ft8.breaks[2].start_after == (pd.Timedelta("6h15min"), pd.Timedelta("7h"))
    assert rules.week.days_per_week == {"full_time": (5, 5), "part_time": (5, 5)}
    assert rules.max_heads is None and rules.open_hours is None
    # a ScheduleRules passes through unchanged
    assert schedule_rules(rules) == rules


def test_on_grid_counts_intervals():
    rules = schedule_rules(ISSUE_RULES)
    pt4, ft8 = on_grid(rules, 900)
    assert (pt4.span, pt4.paid, pt4.step, pt4.first, pt4.last) == (16, 16, 1, 28, 68)
    assert (ft8.span, ft8.paid) == (34, 32)
    assert ft8.breaks == ((6, 9, 1), (15, 19, 2), (25, 28, 1))
    with pytest.raises(ValueError, match=r"\('PT4'\)\.step must be a whole number of 30min intervals"):
        on_grid(rules, 1800)


def test_open_hours():
    rules = schedule_rules({**ISSUE_RULES, "open_hours": {"mon": ["07:00", "21:00"], "sat": ["09:00", "24:00"]}})
    assert rules.open_hours == {0: (420, 1260), 5: (540, 1440)}


def _cyclic_runs(off):
    off = np.asarray(off, bool)
    return int(np.sum(off & ~np.roll(off, 1)))


@pytest.mark.parametrize("open_days,days,consecutive", [
    ([1] * 7, (5, 5), True), ([1] * 7, (5, 5), False), ([1] * 5 + [0] * 2, (5, 5), True),
    ([1] * 5 + [0] * 2, (4, 4), True), ([1] * 7, (3, 5), True), ([1] * 6 + [0], (2, 6), False),
    ([0, 1, 1, 0, 1, 1, 1], (7, 7), True),
])
def test_weekly_patterns_by_brute_force(open_days, days, consecutive):
    got = {tuple(p) for p in weekly_patterns(open_days, days, consecutive).tolist()}
    avail = [d for d in range(7) if open_days[d]]
    lo, hi = min(days[0], len(avail)), min(days[1], len(avail))
    want = set()
    for k in range(lo, hi + 1):
        for chosen in combinations(avail, k):
            worked = tuple(d in chosen for d in range(7))
            if not consecutive or _cyclic_runs([not w for w in worked]) <= 1:
                want.add(worked)
    assert got == want
    assert len(got) == weekly_patterns(open_days, days, consecutive).shape[0]  # no repeats


def test_five_of_seven_with_two_consecutive_days_off():
    pats = weekly_patterns([True] * 7, (5, 5), True)
    assert pats.shape == (7, 7)
    assert (pats.sum(axis=1) == 5).all()
    # every pair of consecutive days (Sun-Mon included) is the days off of exactly one pattern
    off_starts = sorted(int(np.flatnonzero(~p & np.roll(p, 1))[0]) for p in pats)
    assert off_starts == list(range(7))
    assert weekly_patterns([True] * 7, (5, 5), False).shape == (21, 7)


def _with(path, value, base=ISSUE_RULES):
    """A deep copy of ``base`` with one field replaced (path of keys and indices)."""
    import copy

    out = copy.deepcopy(base)
    node = out
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return out


BAD_RULES = [
    (("shifts", 0, "paid"), "25h", ValueError, r"\('PT4'\)\.paid must be at most 1 day; got '25h'"),
    (("shifts", 1, "paid"), "23h45min", ValueError, r"\('FT8'\)\.paid.*longer than a day.*span is 24h15min"),
    (("shifts", 0, "paid"), 4, TypeError, r"\('PT4'\)\.paid must be a duration.*'4h'"),
    (("shifts", 0, "paid"), "four hours", ValueError, r"\('PT4'\)\.paid must be a duration"),
    (("shifts", 0, "paid"), "-4h", ValueError, r"\('PT4'\)\.paid must be a duration > 0"),
    (("shifts", 0, "breaks", 0, "start_after"), ["3h", "3h50min"], ValueError,
     r"\('PT4'\)\.breaks\[0\]\.start_after must be a window inside the shift.*got \['3h', '3h50min'\]"),
    (("shifts", 0, "breaks", 0, "start_after"), ["2h", "1h"], ValueError,
     r"\('PT4'\)\.breaks\[0\]\.start_after must be a window \[earliest, latest\] with earliest <= latest"),
    (("shifts", 0, "breaks", 0, "start_after"), ["1h"], ValueError, r"start_after must be a pair"),
    (("shifts", 1, "breaks", 1, "start_after"), ["2h", "4h"], ValueError,
     r"\('FT8'\)\.breaks\[1\]\.start_after must be a window after the previous break.*2h30min"),
    (("shifts", 0, "breaks", 0, "length"), "0min", ValueError, r"breaks\[0\]\.length must be a duration > 0"),
    (("shifts", 0, "breaks", 0, "paid"), "yes", TypeError, r"breaks\[0\]\.paid must be True or False"),
    (("shifts", 0, "breaks", 0, "until"), "1h", ValueError, r"breaks\[0\] has unknown key 'until'"),
    (("shifts", 0, "contract"), "temp", ValueError, r"\('PT4'\)\.contract must be one of"),
    (("shifts", 0, "cost_per_paid_hour"), 0, ValueError, r"cost_per_paid_hour must be > 0"),
    (("shifts", 0, "starts"), ["17:00", "07:00"], ValueError, r"\('PT4'\)\.starts must be \[earliest, latest\]"),
    (("shifts", 0, "starts"), ["7:00", "25:00"], ValueError, r"starts\[1\] must be a clock time 'HH:MM'"),
    (("shifts", 0, "max_agents"), -1, ValueError, r"max_agents must be a whole number >= 0"),
    (("shifts", 0, "max_agents"), 2.5, ValueError, r"max_agents must be a whole number"),
    (("shifts", 0, "lenght"), "4h", ValueError, r"rules\['shifts'\]\[0\] has unknown key 'lenght'"),
    (("shifts", 1, "name"), "PT4", ValueError, r"names must be unique; got 'PT4' at positions \[0, 1\]"),
    (("week", "days_per_week"), 8, ValueError, r"days_per_week'\] must be at most 7 days; got 8"),
    (("week", "days_per_week"), 0, ValueError, r"days_per_week'\] must be a whole number >= 1"),
    (("week", "days_per_week"), [5, 3], ValueError, r"days_per_week'\] must be \[fewest, most\]"),
    (("week", "part_time_share"), [0.6, 0.4], ValueError, r"part_time_share'\] must be .*contradictory caps"),
    (("week", "part_time_share"), [0, 40], ValueError, r"part_time_share'\]\[1\].*Did you mean 0.40"),
    (("week", "same_start"), True, ValueError, r"rules\['week'\] has unknown key 'same_start'"),
    (("max_heads",), -3, ValueError, r"max_heads'\] must be a whole number >= 0; got -3"),
    (("max_cost",), -1.0, ValueError, r"max_cost'\] must be >= 0"),
    (("open_hours",), {"monday": ["07:00", "21:00"]}, ValueError, r"open_hours'\] has unknown key 'monday'"),
    (("open_hours",), {"mon": ["21:00", "07:00"]}, ValueError, r"open_hours'\]\['mon'\] must close after it opens"),
    (("shifts",), [], ValueError, r"rules\['shifts'\] must be a non-empty list"),
]


@pytest.mark.parametrize("path,value,error,match", BAD_RULES)
def test_bad_rules_name_the_field(path, value, error, match):
    with pytest.raises(error, match=match):
        schedule_rules(_with(path, value))


def test_contradictory_part_time_share():
    only_ft = {"shifts": [ISSUE_RULES["shifts"][1]], "week": {"part_time_share": [0.2, 1.0]}}
    with pytest.raises(ValueError, match="part_time_share.*no template has contract 'part_time'"):
        schedule_rules(only_ft)


def test_rules_must_be_a_dict_with_shifts():
    with pytest.raises(ValueError, match="rules needs the key 'shifts'"):
        schedule_rules({"week": {}})
    with pytest.raises(TypeError, match="rules must be a dict"):
        schedule_rules([1, 2])
    with pytest.raises(ValueError, match="rules has unknown key 'shift'"):
        schedule_rules({"shift": []})


# ---------------------------------------------------------------- the pydantic model of the rules dict


def test_the_model_reads_the_rules_the_dict_does():
    model = ScheduleRulesModel.model_validate(ISSUE_RULES)
    assert model.rules() == schedule_rules(ISSUE_RULES)
    assert schedule_rules(model) == schedule_rules(ISSUE_RULES)
    # only the keys given come back, nested too
    assert model.to_dict()["shifts"][0].keys() == ISSUE_RULES["shifts"][0].keys()
    with_hours = {**ISSUE_RULES, "open_hours": {"mon": ["07:00", "21:00"], "sat": ["09:00", "24:00"]}}
    assert ScheduleRulesModel.model_validate(with_hours).rules().open_hours == {0: (420, 1260), 5: (540, 1440)}
    # Timedeltas pass through
    td = {"shifts": [{"name": "A", "paid": pd.Timedelta("4h")}]}
    assert ScheduleRulesModel.model_validate(td).rules() == schedule_rules(td)


@pytest.mark.parametrize("path,value,error,match", BAD_RULES)
def test_the_model_gives_the_same_messages(path, value, error, match):
    with pytest.raises(ValidationError, match=match):
        ScheduleRulesModel.model_validate(_with(path, value))


def test_the_model_knows_the_keys_the_parser_does():
    from wfm.schedule import shifts

    props = {model: set(model.model_json_schema()["properties"])
             for model in (ScheduleRulesModel, ShiftTemplateModel, BreakRuleModel, WeekRulesModel)}
    assert props[ScheduleRulesModel] == set(shifts._RULE_KEYS)
    assert props[ShiftTemplateModel] == set(shifts._SHIFT_KEYS)
    assert props[BreakRuleModel] == set(shifts._BREAK_KEYS)
    assert props[WeekRulesModel] == set(shifts._WEEK_KEYS)
    # defaults agree with the dataclasses'
    week = shifts.WeekRules()
    assert WeekRulesModel().days_off_consecutive == week.days_off_consecutive
    assert WeekRulesModel().same_start_all_week == week.same_start_all_week
    assert tuple(WeekRulesModel().part_time_share) == week.part_time_share
    tpl = shifts.ShiftTemplate("x", pd.Timedelta("1h"))
    model = ShiftTemplateModel(name="x", paid="1h")
    assert (model.contract, model.cost_per_paid_hour, model.within_open_hours, model.max_agents) == \
        (tpl.contract, tpl.cost_per_paid_hour, tpl.within_open_hours, tpl.max_agents)


def test_the_schema_documents_every_field_with_its_unit():
    schema = ScheduleRulesModel.model_json_schema()
    defs = schema["$defs"]
    for props in [schema["properties"]] + [d["properties"] for d in defs.values()]:
        for name, prop in props.items():
            assert prop.get("description"), name
    tpl = defs["ShiftTemplateModel"]["properties"]
    assert "[duration]" in tpl["paid"]["description"] and "[cost units per h]" in tpl["cost_per_paid_hour"]["description"]
    assert "[0-1]" in defs["WeekRulesModel"]["properties"]["part_time_share"]["description"]
    assert "[count]" in schema["properties"]["max_heads"]["description"]
    assert tpl["contract"]["enum"] == ["full_time", "part_time"]
    assert schema["required"] == ["shifts"] and defs["ShiftTemplateModel"]["required"] == ["name", "paid"]


def test_a_subclass_adds_its_own_fields():
    # e.g. a scenario section: the rules plus solver options
    from pydantic import Field

    class Section(ScheduleRulesModel):
        time_limit: float = Field(15.0, description="Seconds for the solver. [s]")

    section = Section.model_validate({**ISSUE_RULES, "time_limit": 3})
    assert section.time_limit == 3 and section.rules() == schedule_rules(ISSUE_RULES)
    assert "time_limit" not in section.to_dict()
    with pytest.raises(ValidationError, match=r"\('PT4'\)\.paid must be at most 1 day"):
        Section.model_validate({**_with(("shifts", 0, "paid"), "25h"), "time_limit": 3})
    with pytest.raises(ValidationError, match="timelimit"):
        Section.model_validate({**ISSUE_RULES, "timelimit": 3})
