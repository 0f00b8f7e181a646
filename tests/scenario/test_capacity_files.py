"""The capacity section's files checked when read (naming the file, its lines and the fix), and what `wfm capacity`
and `wfm run` say about the plan: its week start, the option names in its errors, one AHT warning."""

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

import wfm
from wfm import cli
from wfm.datasets import bank_calls
from wfm.scenario import ScenarioError, run_capacity, run_scenario

from .conftest import small_scenario
from .test_capacity import CAPACITY, STAFF, _cli_capacity

REPO = Path(__file__).resolve().parents[2]


def _scenario(folder, staff=STAFF, changes=None, **capacity):
    """The small bank scenario with a capacity section (staff.csv beside it; ``changes`` to the scenario's other
    sections), written to ``folder``."""
    staff.to_csv(folder / "staff.csv", index=False)
    s = small_scenario(schedule=None, simulate=None, kpis=None, grid={},
                       capacity={**CAPACITY, "staff": "staff.csv", "grid": {}, **capacity}, **(changes or {}))
    (folder / "scenario.yaml").write_text(yaml.safe_dump(s, sort_keys=False))
    return folder / "scenario.yaml"


def test_an_hr_exports_extra_staff_columns_are_one_warning_naming_the_file(tmp_path, capsys):
    # the shipped staff file with the columns an HR export brings: the plan is that of the bare file, and one
    # warning (not one per what-if) names the file and the columns left out
    bank_staff = pd.read_csv(REPO / "scenarios" / "bank_staff.csv")
    export = bank_staff.assign(name=[f"agent {i}" for i in range(len(bank_staff))], team="blue")
    grid = {"rules.attrition_scale": [1.5]}
    assert _cli_capacity(tmp_path, export, "hr_export.csv", grid=grid) == 0
    out, err = capsys.readouterr()
    assert err.count("are not read by the capacity plan") == 1, err
    assert ("wfm capacity: warning: capacity.staff: file hr_export.csv (rows are line numbers): staff columns "
            "['name', 'team'] are not read by the capacity plan and are left out.") in err
    variants = pd.read_csv(tmp_path / "out" / "capacity_variants.csv")
    assert not variants["warnings"].astype("string").fillna("").str.contains("not read").any()
    with_export = pd.read_csv(tmp_path / "out" / "capacity_plan.csv")
    # the week start, said as wfm run says it: the bank's Monday-Friday open days give Monday weeks
    assert ("weeks start MON: inferred from the history's open days (the first open day after the closed days), as "
            "capacity.demand.week_start and horizon.week_start are not given") in out
    assert variants["week_start"].tolist() == ["MON", "MON"] and variants["week_start_inferred"].all()
    assert _cli_capacity(tmp_path, bank_staff, "bare.csv", grid=grid) == 0
    assert "not read" not in capsys.readouterr().err
    pd.testing.assert_frame_equal(with_export, pd.read_csv(tmp_path / "out" / "capacity_plan.csv"))


@pytest.mark.parametrize("file, table, message", [
    ("classes", pd.DataFrame({"start_week": [8, 9], "size": [10, 2.5]}),
     "classes['size'] must be whole numbers >= 0 in 1 of 2 rows: rows [3] (values 2.5)"),
    ("classes", pd.DataFrame({"start_week": [8, 30], "size": [10, 5]}),
     "classes['start_week'] must fall inside the 26-week horizon (weeks 0 to 25) in 1 of 2 rows: rows [3]"),
    ("classes", pd.DataFrame({"start_week": [8], "size": [10], "graduation_week": [10]}),
     "classes['graduation_week'] makes a class shorter than its training"),
    ("transfers", pd.DataFrame({"week_no": [3], "headcount": [5]}),
     "transfers needs the columns ['week', 'headcount']; missing ['week'], got ['week_no', 'headcount']"),
    ("transfers", pd.DataFrame({"week": [3, 4.5], "headcount": [5, -2]}),
     "transfers['week'] must be whole numbers >= 0 in 1 of 2 rows: rows [3]"),
    ("transfers", pd.DataFrame({"week": [3, 4], "headcount": [5, -2.5]}),  # accepted before: 2.5 agents left
     "transfers['headcount'] must be whole numbers in 1 of 2 rows: rows [3] (values -2.5). Rows are line numbers of "
     "the file. A transfer moves whole agents: give whole heads (negative for leavers or transfers out)."),
])
def test_wfm_validate_checks_the_classes_and_transfers_files(tmp_path, capsys, file, table, message):
    table.to_csv(tmp_path / f"my_{file}.csv", index=False)
    path = _scenario(tmp_path, **{file: f"my_{file}.csv"})
    assert cli.main(["validate", str(path)]) == 2  # before: ok, and each what-if failed at run time
    err = capsys.readouterr().err
    assert f"capacity.{file}: file my_{file}.csv (rows are line numbers): {message}" in err, err


def test_sites_and_what_if_checks_name_the_file(tmp_path, capsys):
    # a site needs the history: wfm capacity stops at load (exit 2, no what-if run), naming the file and the line
    pd.DataFrame({"site": ["bank_calls", "Bank_Calls"], "start_week": [8, 9], "size": [10, 5]}).to_csv(
        tmp_path / "classes.csv", index=False)
    path = _scenario(tmp_path, classes="classes.csv")
    assert cli.main(["validate", str(path)]) == 0
    assert cli.main(["capacity", str(path), "--out", str(tmp_path / "out"), "-j", "1"]) == 2
    err = capsys.readouterr().err
    assert re.search(r"capacity\.classes: file classes\.csv \(rows are line numbers\): classes\['site'\] must name a "
                     r"known site \['bank_calls'\] in 1 of 2 rows: rows \[3\].*Did you mean 'bank_calls'", err), err
    assert not (tmp_path / "out").exists()
    # what depends on the what-if is checked by it: its error names the file too
    pd.DataFrame({"start_week": [8, 12], "size": [10, 5]}).to_csv(tmp_path / "classes.csv", index=False)
    path = _scenario(tmp_path, classes="classes.csv", grid={"demand.weeks": [10]})
    v = run_capacity(path, jobs=1).variants.set_index("variant")
    assert v.loc["base", "status"] == "ok" and v.loc["demand.weeks=10", "status"] == "failed"
    assert ("classes['start_week'] must fall inside the 10-week horizon (weeks 0 to 9) in 1 of 2 rows: rows [3] "
            "(values 12). Rows are line numbers of file classes.csv (capacity.classes).") in v.loc["demand.weeks=10",
                                                                                                  "error"]


def test_a_hire_date_after_the_plan_start_stops_the_run_when_the_staff_file_is_read(tmp_path, capsys, monkeypatch):
    # bank_calls ends in the week of 20 October 2003, so the plan starts on Monday 27 October: an agent hired on
    # 10 November is not staff at the start (before: each what-if failed on it, not naming the file)
    staff = pd.DataFrame({"site": "bank_calls", "hire_date": ["2001-03-05", "2003-11-10", "2002-07-01"],
                          "headcount": [200, 15, 150]})
    assert _cli_capacity(tmp_path, staff, "late_hires.csv") == 2
    err = capsys.readouterr().err
    assert ("capacity.staff: file late_hires.csv (rows are line numbers): staff['hire_date'] must not be after the "
            "plan's start 2003-10-27 in 1 of 3 rows: rows [3] (values '2003-11-10').") in err, err
    assert "as a committed class (the classes table: start_week, size)" in err
    assert "set it with capacity.demand.start: YYYY-MM-DD" in err and "start=" not in err
    # wfm run stops there too, before the weekly job runs anything
    from wfm.scenario import runner

    def no_tasks(*args, **kwargs):
        raise AssertionError("the run started its tasks before the staff file was checked")

    monkeypatch.setattr(runner, "run_tasks", no_tasks)
    with pytest.raises(ScenarioError, match=r"late_hires\.csv.*must not be after the plan's start 2003-10-27"):
        run_scenario(tmp_path / "s.yaml", jobs=1)
    # a plan start given after the hire date reads the same agents as staff
    s = yaml.safe_load((tmp_path / "s.yaml").read_text())
    s["capacity"]["demand"]["start"] = "2003-11-10"
    monkeypatch.undo()
    result = run_capacity(s | {"capacity": {**s["capacity"], "staff": str(tmp_path / "late_hires.csv")}}, jobs=1)
    assert result.ok and result.plan["week"].iloc[0] == pd.Timestamp("2003-11-10")


def test_wfm_capacity_says_the_week_start_the_file_gives(tmp_path, capsys):
    path = _scenario(tmp_path, demand={**CAPACITY["demand"], "week_start": "SUN"})
    assert cli.main(["capacity", str(path), "--out", str(tmp_path / "out"), "-j", "1"]) == 0
    out = capsys.readouterr().out
    assert "\nweeks start SUN (capacity.demand.week_start)\n" in out and "inferred" not in out
    plan = pd.read_csv(tmp_path / "out" / "capacity_plan.csv", parse_dates=["week"])
    assert (plan["week"].dt.day_name() == "Sunday").all()


def test_queues_with_different_open_days_are_told_the_scenario_key(tmp_path, capsys):
    # two queues of real bank volumes, one relabelled a day earlier (Sunday-Thursday): their open days give different
    # week starts. The what-if's error named the Python argument week_start=; it names the scenario keys.
    h = bank_calls("30min")
    frame = pd.concat([pd.DataFrame({"timestamp": h.index, "calls": h.to_numpy(), "queue": "mon_fri"}),
                       pd.DataFrame({"timestamp": h.index - pd.Timedelta(days=1), "calls": h.to_numpy(),
                                     "queue": "sun_thu"})])
    frame.to_csv(tmp_path / "two_queues.csv", index=False)
    staff = pd.DataFrame({"site": ["mon_fri", "sun_thu"], "tenure_weeks": 120, "headcount": [300, 300]})
    path = _scenario(tmp_path, staff, changes={"data": {"path": "two_queues.csv", "queue": "queue"}})
    s = yaml.safe_load(path.read_text())
    assert cli.main(["capacity", str(path), "--out", str(tmp_path / "out"), "-j", "1"]) == 1
    error = pd.read_csv(tmp_path / "out" / "capacity_variants.csv")["error"].iloc[0]
    assert ("different week starts {'mon_fri': 'MON', 'sun_thu': 'SUN'}, so the weeks cannot be inferred; give "
            "capacity.demand.week_start: MON (or horizon.week_start, for the weekly plan too), or the weekday your "
            "weeks start on") in error and "week_start=" not in error
    capsys.readouterr()
    s["capacity"]["demand"]["week_start"] = "MON"  # the fix the message gives
    path.write_text(yaml.safe_dump(s, sort_keys=False))
    assert cli.main(["capacity", str(path), "--out", str(tmp_path / "out"), "-j", "1"]) == 0
    plan = pd.read_csv(tmp_path / "out" / "capacity_plan.csv", parse_dates=["week"])
    assert set(plan["site"]) == {"mon_fri", "sun_thu"} and (plan["week"].dt.day_name() == "Monday").all()


def test_wfm_run_warns_once_about_an_aht_the_capacity_plan_inherits(tmp_path, capsys):
    # aht: 5 (minutes meant) and no capacity.demand.aht: the capacity plan takes the same 5 s. wfm run warned twice
    # (the weekly job's 'aht of 5 s', then capacity's 'aht (capacity.demand.aht left out) of 5 s'); once now.
    demand = {k: val for k, val in CAPACITY["demand"].items() if k != "aht"}
    path = _scenario(tmp_path, changes={"aht": 5}, demand=demand)
    assert cli.main(["run", str(path), "--out", str(tmp_path / "out"), "-j", "1"]) == 0
    out, err = capsys.readouterr()
    assert (out + err).count("of 5 s is implausible") == 1, out + err
    # wfm capacity alone has no weekly job: the capacity plan's own warning is the one
    assert cli.main(["capacity", str(path), "--out", str(tmp_path / "cap"), "-j", "1"]) == 0
    err = capsys.readouterr().err
    assert err.count("of 5 s is implausible") == 1 and "aht (capacity.demand.aht left out) of 5 s" in err
