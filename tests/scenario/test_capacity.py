"""The capacity section of a scenario: the runner composes wfm.capacity, what-ifs as variants."""

import re
from pathlib import Path

import numpy as np
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
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(  # no staging folder left behind
        [*(f"{n}.csv" for n in ("capacity_plan", "capacity_variants", "capacity_monthly", "capacity_hiring")
           if (tmp_path / "out" / f"{n}.csv").exists()), "capacity_plan.png"])
    # whole or nothing: a folder where a file goes stops the run before any file of the folder is replaced
    before = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir() if p.is_file()}
    (tmp_path / "out" / "capacity_plan.png").unlink()
    (tmp_path / "out" / "capacity_plan.png").mkdir()
    assert cli.main(["capacity", str(tmp_path / "s.yaml"), "--out", str(tmp_path / "out"), "-j", "1"]) == 2
    assert "is a folder, where wfm writes its file 'capacity_plan.png'" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir() if p.is_file()} == {
        k: b for k, b in before.items() if k != "capacity_plan.png"}
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


EXAMPLES = Path(wfm.__file__).parent / "datasets" / "data" / "examples"


def _own_data_scenario(folder, capacity):
    """`wfm init` on the bundled example interval report (SYNTHETIC), with a capacity section appended."""
    import shutil

    import yaml

    from wfm import cli

    shutil.copy(EXAMPLES / "interval_report.csv", folder / "interval_report.csv")
    assert cli.main(["init", str(folder / "interval_report.csv"), "--dayfirst", "--out", str(folder / "s.yaml"),
                     "--quiet"]) == 0
    pd.DataFrame({"site": "interval_report", "tenure_weeks": [30, 120], "headcount": [10, 5]}).to_csv(
        folder / "staff.csv", index=False)
    s = yaml.safe_load((folder / "s.yaml").read_text())
    s["capacity"] = {"staff": "staff.csv", **capacity}
    (folder / "cap.yaml").write_text(yaml.safe_dump(s, sort_keys=False))
    return folder / "cap.yaml", s


@pytest.mark.parametrize("demand", [{"weeks": 8, "aht": "history"}, {"weeks": 8}])
def test_own_data_capacity_with_the_reports_aht_is_the_library_demand(tmp_path, demand):
    # The new-user path: `wfm init` on an interval report, then a capacity section. With one queue the AHT history
    # reached weekly_demand as a one-key dict and failed ("unhashable type: 'dict'"). Cross-check: the plan's
    # requirement is weekly_demand on the bare history, with the scenario's staffing section (inherited) and,
    # without capacity.demand.aht, the scenario's `aht: {forecast: true}` as 'history'.
    from wfm.scenario import load_history, load_scenario
    from wfm.scenario.runner import _STAFFING_ARGS

    path, s = _own_data_scenario(tmp_path, {"demand": demand})
    result = wfm.scenario.run_capacity(path, jobs=1)
    assert result.ok, result.variants["error"].tolist()
    history = load_history(load_scenario(path))["interval_report"]
    staffing = {k: s["staffing"][k] for k in _STAFFING_ARGS if k in s["staffing"]}
    want = weekly_demand(history["calls"], weeks=8, aht=history["aht"], **staffing)
    np.testing.assert_allclose(result.plans["base"].table["required_fte"], want["required_fte"], rtol=1e-12)
    assert 200 < want["aht"].iloc[0] < 280  # the report's AHT (240 s on average), not the 300 s default


def _identical_weeks(folder):
    """SYNTHETIC history: six identical Mon-Fri weeks of half-hours 09:00-17:00, so both plans see the same week."""
    days = pd.bdate_range("2024-01-01", periods=30)
    slots = pd.timedelta_range("09:00:00", "16:30:00", freq="30min")
    week = np.round(30 + 25 * np.sin(np.linspace(0.2, 2.9, 16))[None, :]
                    * np.array([1.3, 1.1, 1.0, 0.95, 0.8])[:, None])
    pd.DataFrame({"timestamp": [d + t for d in days for t in slots], "calls": np.tile(week.ravel(), 6)}).to_csv(
        folder / "weeks.csv", index=False)
    pd.DataFrame({"site": "weeks", "tenure_weeks": [60], "headcount": [40]}).to_csv(folder / "staff.csv", index=False)
    return {"name": "identical_weeks", "data": {"path": str(folder / "weeks.csv")}, "horizon": {"days": 5},
            "forecast": {"method": "weighted_average", "backtest": None}, "aht": 240,
            "staffing": {"model": "erlang_c", "service_level": 0.8, "threshold": 20, "max_occupancy": 0.85,
                         "shrinkage": {"breaks": 0.1, "training": 0.05, "absence": 0.12}, "method": "point"},
            "schedule": None, "simulate": None, "kpis": None,
            "capacity": {"staff": str(folder / "staff.csv"), "demand": {"weeks": 8}}}


def test_capacity_takes_the_weekly_plans_aht_and_staffing_unless_it_gives_its_own(tmp_path):
    # The history repeats one week, so the weekly forecast and the capacity trend give the same calls per interval,
    # and the weekly plan staffs the point forecast: with the same AHT, targets and shrinkage the two required FTE
    # are the same number. Before, the capacity plan used its own defaults (AHT 300 s, shrinkage 0.3, no occupancy
    # cap) where its section said nothing: 17.5 FTE against the weekly plan's 14.0.
    s = _identical_weeks(tmp_path)
    run = run_scenario(s, jobs=1)
    weekly = run.variants.set_index("variant").loc["base", "required_fte"]
    capacity = run.capacity_plan["required_fte"].to_numpy()
    assert run.ok and capacity == pytest.approx(np.full(8, weekly), rel=1e-9)
    # a key the capacity section gives wins: its shrinkage (0.4 in place of 0.27) and its AHT
    s["capacity"]["staffing"] = {"shrinkage": 0.4}
    own = run_scenario(s, jobs=1).capacity_plan["required_fte"].to_numpy()
    assert own == pytest.approx(capacity * (1 - 0.27) / (1 - 0.4), rel=1e-9)
    s["capacity"]["demand"]["aht"], s["aht"] = 240, 300
    assert run_scenario(s, jobs=1).capacity_plan["required_fte"].to_numpy() == pytest.approx(own, rel=1e-9)


@pytest.mark.parametrize("change, key, message", [
    (dict(aht={"profile": {"09:00": 240, "12:00": 260}}), "capacity.demand.aht", "time-of-day profile"),
    (dict(capacity_staffing={"patience": 120}), "capacity.staffing.patience",
     "patience needs model erlang_a: Erlang C (capacity.staffing.model, or the staffing section's"),
    (dict(capacity_staffing={"model": "erlang_a"}), "capacity.staffing.patience", "model erlang_a needs patience"),
])
def test_capacity_assumptions_that_cannot_be_inherited_are_named(tmp_path, change, key, message):
    s = _identical_weeks(tmp_path)
    s.update({k: val for k, val in change.items() if k != "capacity_staffing"})
    s["capacity"]["staffing"] = change.get("capacity_staffing", {})
    with pytest.raises(wfm.scenario.ScenarioError, match=re.escape(message)) as err:
        wfm.scenario.load_scenario(s)  # what `wfm validate` runs, before anything is computed
    assert err.value.key == key


def test_a_capacity_model_other_than_the_weekly_one_leaves_its_abandonment_keys(tmp_path):
    from wfm.scenario import load_scenario
    from wfm.scenario.long_term import inherited_section

    s = _identical_weeks(tmp_path)
    s["staffing"].update(model="erlang_a", patience=150, max_abandon_rate=0.05)
    assert inherited_section(load_scenario(s)).staffing.patience == 150
    s["capacity"]["staffing"] = {"model": "erlang_c"}
    sec = inherited_section(load_scenario(s)).staffing
    assert sec.model == "erlang_c" and sec.patience is None and sec.max_abandon_rate is None
    assert sec.max_occupancy == 0.85 and sec.shrinkage == s["staffing"]["shrinkage"]


def test_a_sunday_thursday_centres_plan_has_the_weekly_plans_sunday_weeks(tmp_path, capsys):
    # `wfm init` reads week_start SUN from the example's Sunday-Thursday days; the capacity plan's weeks are those
    # weeks (it used to plan ISO Monday weeks): the first is the Sunday after the history's last week (Sun 23 -
    # Sat 29 June 2024), and each week's calls trend the Sunday-Saturday totals of the history.
    import yaml

    from wfm import cli
    from wfm.scenario import load_history, load_scenario

    path, s = _own_data_scenario(tmp_path, {"demand": {"weeks": 6}})
    assert s["horizon"]["week_start"] == "SUN"
    assert cli.main(["capacity", str(path), "--out", str(tmp_path / "out"), "-j", "1", "--quiet"]) == 0
    plan = pd.read_csv(tmp_path / "out" / "capacity_plan.csv", parse_dates=["week"])
    assert (plan["week"].dt.day_name() == "Sunday").all() and plan["week"].iloc[0] == pd.Timestamp("2024-06-30")
    calls = load_history(load_scenario(path))["interval_report"]["calls"]
    sundays = calls.groupby(calls.index.normalize() - pd.to_timedelta((calls.index.day_of_week + 1) % 7, "D")).sum()
    assert list(sundays.index.day_name()) == ["Sunday"] * 4  # four whole Sunday-Thursday weeks, none cut
    want = weekly_demand(calls, weeks=6, aht=300, damping=1.0)
    y = np.log(sundays.to_numpy())
    b, a = np.polyfit(np.arange(4), y, 1)
    np.testing.assert_allclose(want["calls"], np.exp(a + b * (3 + np.arange(1, 7))), rtol=1e-9)
    # the scenario's week start is the one used: MON in the horizon gives Monday weeks, capacity's own key wins
    for horizon, own, day in (("MON", None, "Monday"), ("MON", "sun", "Sunday")):
        s["horizon"]["week_start"] = horizon
        s["capacity"]["demand"] = {"weeks": 6, **({"week_start": own} if own else {})}
        (tmp_path / "v.yaml").write_text(yaml.safe_dump(s, sort_keys=False))
        result = wfm.scenario.run_capacity(tmp_path / "v.yaml", jobs=1)
        assert result.ok and (result.plan["week"].dt.day_name() == day).all()
    s["capacity"]["demand"] = {"weeks": 6, "week_start": "Sonday"}
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(s, sort_keys=False))
    assert cli.main(["capacity", str(tmp_path / "bad.yaml"), "--out", str(tmp_path / "o2")]) == 2
    assert "week_start" in capsys.readouterr().err


def _cli_capacity(tmp_path, staff, name, **keys):
    import yaml

    from wfm import cli

    staff.to_csv(tmp_path / name, index=False)
    s = small_scenario(schedule=None, simulate=None, kpis=None, grid={},
                       capacity={**CAPACITY, "staff": name, **keys})
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(s, sort_keys=False))
    return cli.main(["capacity", str(tmp_path / "s.yaml"), "--out", str(tmp_path / "out"), "-j", "1"])


def test_day_first_hire_dates_are_refused_then_read_with_the_dayfirst_key(tmp_path, capsys):
    """10/01/2003 read month-first would be 1 October: tenured agents would silently become trainees."""
    uk = pd.DataFrame({"site": "bank_calls", "hire_date": ["10/01/2003", "03/10/2003", "01/04/2002"],
                       "headcount": [60, 20, 300]})
    assert _cli_capacity(tmp_path, uk, "staff_uk.csv") == 2
    err = capsys.readouterr().err
    assert "file staff_uk.csv" in err and "rows [2, 3, 4]" in err and "capacity.dayfirst: true" in err
    assert _cli_capacity(tmp_path, uk, "staff_uk.csv", dayfirst=True) == 0
    got = pd.read_csv(tmp_path / "out" / "capacity_plan.csv")
    iso = uk.assign(hire_date=["2003-01-10", "2003-10-03", "2002-04-01"])
    assert _cli_capacity(tmp_path, iso, "staff_iso.csv") == 0
    pd.testing.assert_frame_equal(got, pd.read_csv(tmp_path / "out" / "capacity_plan.csv"))


@pytest.mark.parametrize("staff, message", [
    (STAFF.rename(columns={"headcount": "heads"}), r"no headcount column.*Did you mean 'headcount' for column 'heads'"),
    (STAFF.assign(headcount=[20, -60, 300]), r"staff\['headcount'\] must be whole heads >= 0.*rows \[3\]"),
    (STAFF.assign(site=["bank_calls", "Bank_Calls", "bank_calls"]), r"rows \[3\].*Did you mean 'bank_calls'"),
    (STAFF.iloc[:0], "at least one row"),
])
def test_a_bad_staff_file_is_one_input_error_naming_the_file(tmp_path, capsys, staff, message):
    """Checked once at load (exit 2, the file and its line numbers), not once per what-if as a failed variant."""
    assert _cli_capacity(tmp_path, staff, "my_staff.csv", grid={"rules.attrition_scale": [1.5, 2]}) == 2
    err = capsys.readouterr().err
    assert "capacity.staff: file my_staff.csv (rows are line numbers)" in err and err.count("my_staff.csv") == 1
    assert re.search(message, err), err


def test_a_capacity_aht_in_minutes_warns_once_naming_the_key(tmp_path, capsys):
    """capacity.demand.aht: 5 (minutes meant) plans 0 hires; one warning naming the key, not one per what-if."""
    demand = {**CAPACITY["demand"], "aht": 5}
    assert _cli_capacity(tmp_path, STAFF, "staff.csv", demand=demand, grid={"rules.attrition_scale": [1.5, 2]}) == 0
    err = capsys.readouterr().err
    assert err.count("aht of 5 s is implausible") == 1 and "capacity.demand.aht of 5 s" in err
    assert not pd.read_csv(tmp_path / "out" / "capacity_variants.csv")["warnings"].astype("string").fillna("").str.contains("aht").any()


def test_percentage_seasonal_indices_are_refused_at_load_naming_the_key(tmp_path, capsys):
    demand = {**CAPACITY["demand"], "seasonal_indices": {m: 100.0 for m in range(1, 13)} | {12: 107.0}}
    assert _cli_capacity(tmp_path, STAFF, "staff.csv", demand=demand) == 2
    err = capsys.readouterr().err
    assert "capacity.demand.seasonal_indices: must be multipliers around 1" in err and "Did you mean 1?" in err


def test_a_classes_file_error_names_its_line_numbers(tmp_path):
    """The README promises the file's line numbers: the second class (line 3, the header is line 1) is named."""
    STAFF.to_csv(tmp_path / "staff.csv", index=False)
    pd.DataFrame({"start_week": [8, 9], "size": [10, 2.5]}).to_csv(tmp_path / "classes.csv", index=False)
    s = small_scenario(schedule=None, simulate=None, kpis=None, grid={},
                       capacity={**CAPACITY, "staff": str(tmp_path / "staff.csv"), "grid": {},
                                 "classes": str(tmp_path / "classes.csv")})
    with pytest.raises(wfm.scenario.ScenarioError) as err:  # when the file is read, not by each what-if
        wfm.scenario.run_capacity(s, jobs=1)
    assert "classes['size'] must be whole numbers >= 0 in 1 of 2 rows: rows [3]" in str(err.value)
    assert "file classes.csv (rows are line numbers)" in str(err.value) and err.value.key == "capacity.classes"
