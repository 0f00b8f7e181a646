"""The capacity input tables checked as they are read: staff columns left out, hire dates against the start,
committed classes and transfers, the plan's start, and the option names in messages."""

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import wfm
from wfm._validation import option_names
from wfm.capacity import (check_classes, check_staff, check_transfers, plan_start, staff_cohorts, weekly_demand,
                          weekly_forecast)
from wfm.datasets import bank_calls
from wfm.logs._parse import DataWarning

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bank_staff():
    """The shipped scenario's staff file (scenarios/bank_staff.csv: an assumed tenure mix)."""
    return pd.read_csv(REPO / "scenarios" / "bank_staff.csv")


@pytest.fixture(scope="module")
def sun_thu():
    """Real volumes of a Monday-Friday centre (bank_calls, 30 min) relabelled one day earlier: Sunday-Thursday."""
    h = bank_calls("30min")
    return pd.Series(h.to_numpy(), index=h.index - pd.Timedelta(days=1), name=h.name)


def test_an_hr_exports_extra_columns_are_named_once_and_left_out(bank_staff):
    export = bank_staff.assign(name=[f"agent {i}" for i in range(len(bank_staff))], team="blue")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        checked = check_staff(export)
    assert [str(w.message) for w in caught] == [
        "staff columns ['name', 'team'] are not read by the capacity plan and are left out. It reads site, "
        "headcount, tenure_weeks, hire_date, productivity."]
    assert caught[0].category is DataWarning
    assert list(checked.columns) == list(bank_staff.columns)  # the checked table holds what the plan reads
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the bare file warns about nothing
        bare = staff_cohorts(bank_staff)
    pd.testing.assert_frame_equal(staff_cohorts(checked), bare)


def test_hire_date_beside_tenure_and_a_near_miss_are_said():
    staff = pd.DataFrame({"tenure_weeks": [10, 80], "hire_date": ["2024-01-01", "2022-06-01"], "productivty": 0.9})
    with pytest.warns(DataWarning) as caught:
        checked = check_staff(staff)
    text = str(caught[0].message)
    assert "['hire_date', 'productivty']" in text and "tenure_weeks is given, and it is the tenure used" in text
    assert "Did you mean 'productivty' for 'productivity'?" in text
    assert list(checked.columns) == ["tenure_weeks"]
    # a close typo of a needed column stays an error (1 head per row would be counted silently)
    with pytest.raises(ValueError, match="no headcount column.*Did you mean 'headcount' for column 'heads'"):
        check_staff(pd.DataFrame({"tenure_weeks": [10], "heads": [5]}))


def test_a_hire_date_after_the_start_is_an_error_naming_the_rows_and_the_fix():
    staff = pd.DataFrame({"hire_date": ["2003-01-10", "2003-11-03", "2003-10-27", "2003-12-01"]})
    start = plan_start(bank_calls("30min"))  # Monday 27 October 2003: the week after the record
    with pytest.raises(ValueError) as err:
        check_staff(staff, start=start, rows=[2, 3, 4, 5])
    text = str(err.value)
    assert text.startswith("staff['hire_date'] must not be after the plan's start 2003-10-27 in 2 of 4 rows: "
                           "rows [3, 5] (values '2003-11-03', '2003-12-01').")
    assert "committed class (the classes table: start_week, size)" in text and "start='YYYY-MM-DD'" in text
    with option_names({"start": lambda v: f"capacity.demand.start: {v}"}):  # as a scenario names it
        with pytest.raises(ValueError, match="capacity.demand.start: YYYY-MM-DD"):
            check_staff(staff, start=start)
    # hired on the start day itself is staff with tenure 0; staff_cohorts gives the same error
    assert staff_cohorts(staff.iloc[[0, 2]], start=start)["tenure_weeks"].tolist() == [0, 41]
    with pytest.raises(ValueError, match=r"rows \[1, 3\]"):
        staff_cohorts(staff, start=start)


def test_plan_start_is_the_first_week_of_the_demand(sun_thu):
    bank = bank_calls("30min")
    for history, kw in ((bank, {}), (sun_thu, {}), (sun_thu, {"week_start": "MON"}),
                        ({"a": bank, "b": bank}, {"start": "2003-11-05"})):
        want = weekly_demand(history, weeks=5, aht=300, **kw)["week"].iloc[0]
        assert plan_start(history, **kw) == want
    assert plan_start(sun_thu) == pd.Timestamp("2003-10-26")  # the Sunday after the last Sunday-Thursday week
    assert plan_start(bank, start="2003-11-05") == pd.Timestamp("2003-11-03")  # moved back to its Monday
    with pytest.raises(ValueError, match=r"start must be after the history's last week \(2003-10-20\).*"
                                         r"give start='2003-10-27' or later"):
        plan_start(bank, start="2003-10-21")


def test_committed_classes_are_checked_with_their_rows():
    lines = pd.Index([2, 3, 4], name="line")  # a file's line numbers, as a scenario reads it
    good = pd.DataFrame({"start_week": [-2, 6, 10], "size": [12, 15, 20]}, index=lines)
    assert check_classes(good, sites=["all"], weeks=26, training_weeks=4) is good
    cases = [
        (good.assign(size=[12, 15.5, 20]), {}, r"classes\['size'\] must be whole numbers >= 0 in 1 of 3 rows: rows \[3\]"),
        (good.drop(columns="size"), {}, r"classes needs the columns \['start_week', 'size'\]; missing \['size'\]"),
        (good.assign(start_week=[-2, 6, 30]), {"weeks": 26},
         r"classes\['start_week'\] must fall inside the 26-week horizon \(weeks 0 to 25\).*rows \[4\]"),
        (good.assign(graduation_week=[1, 10, 14]), {"training_weeks": 4},
         r"classes\['graduation_week'\] makes a class shorter than its training.*rows \[2\]"),
        (good.assign(site=["north", "north", "Nort"]), {"sites": ["north", "south"]},
         r"classes\['site'\] must name a known site.*rows \[4\].*Did you mean 'north'"),
        (good, {"sites": ["north", "south"]}, "classes needs a site column"),
    ]
    for frame, kw, message in cases:
        with pytest.raises(ValueError, match=message):
            check_classes(frame, **kw)
    frame = good.assign(size=[12, 15.5, 20])
    frame.attrs["file"] = "file classes.csv (capacity.classes)"
    with pytest.raises(ValueError, match=re.escape("Rows are line numbers of file classes.csv (capacity.classes).")):
        check_classes(frame)


def test_transfers_are_checked_with_their_rows():
    good = pd.DataFrame({"site": "all", "week": [3, 8], "headcount": [4, -2]})
    assert check_transfers(good, sites=["all"], weeks=10) is good
    with pytest.raises(ValueError, match=r"transfers\['week'\] must be whole numbers >= 0 in 1 of 2 rows: rows \[1\]"):
        check_transfers(good.assign(week=[3, -8]))
    with pytest.raises(ValueError, match=r"transfers\['week'\] must fall inside the 6-week horizon.*rows \[1\]"):
        check_transfers(good, weeks=6)
    with pytest.raises(ValueError, match=r"transfers needs the columns \['week', 'headcount'\]; missing \['week'\]"):
        check_transfers(good.drop(columns="week"))
    # heads are whole, as a class's size is: 1.5 agents leaving is refused, naming the rows and the fix
    with pytest.raises(ValueError, match=r"transfers\['headcount'\] must be whole numbers in 1 of 2 rows: rows \[1\] "
                                         r"\(values -1\.5\)\. A transfer moves whole agents: give whole heads"):
        check_transfers(good.assign(headcount=[4, -1.5]))


def test_different_open_days_name_the_week_start_as_the_caller_sets_it(sun_thu):
    history = {"sun_thu": sun_thu, "bank": bank_calls("30min")}
    with pytest.raises(ValueError, match=r"different week starts \{'sun_thu': 'SUN', 'bank': 'MON'\}.*"
                                         r"give week_start='MON', or the weekday"):
        weekly_demand(history, weeks=3)
    with option_names({"week_start": lambda v: f"capacity.demand.week_start: {v}"}):
        with pytest.raises(ValueError, match="give capacity.demand.week_start: MON, or the weekday") as err:
            plan_start(history)
    assert "week_start=" not in str(err.value)
    # given, both sites are planned on the same weeks
    assert set(weekly_forecast(sun_thu, weeks=2, week_start="MON")["week"].dt.day_name()) == {"Monday"}
    np.testing.assert_array_equal(weekly_demand(history, weeks=2, week_start="MON")["week"]
                                  .dt.day_name(), ["Monday"] * 4)


def test_a_column_is_refused_as_a_typo_only_when_it_is_one(bank_staff):
    """A per-agent HR export (the shipped cohorts, one row per agent, no headcount) with the client each agent works
    on in an 'account' column: 'account' is not 'headcount' misspelt (difflib's ratio 0.75, which the old cutoff 0.5
    took for a typo and refused), so it is left out with the warning and the cohorts are those of the shipped file.
    Misspelt or shortened needed columns stay errors naming the column meant."""
    export = bank_staff.loc[bank_staff.index.repeat(bank_staff["headcount"])].drop(columns="headcount")
    export = export.assign(account=np.resize(["retail", "cards", "loans"], len(export)))
    with pytest.warns(DataWarning, match=r"staff columns \['account'\] are not read by the capacity plan") as caught:
        cohorts = staff_cohorts(export)
    assert "Did you mean" not in str(caught[0].message)
    pd.testing.assert_frame_equal(cohorts, staff_cohorts(bank_staff))
    for typo, meant in (("hire_dat", "hire_date"), ("tenure_week", "tenure_weeks")):
        with pytest.raises(ValueError, match=f"needs a tenure_weeks or a hire_date column.*Did you mean {meant!r} "
                                             f"for column {typo!r}"):
            check_staff(pd.DataFrame({typo: [10], "headcount": [5]}))
    for typo in ("head_count", "headcont", "heads"):
        with pytest.raises(ValueError, match=f"no headcount column.*Did you mean 'headcount' for column {typo!r}"):
            check_staff(pd.DataFrame({"tenure_weeks": [10], typo: [5]}))
