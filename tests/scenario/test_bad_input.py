"""Bad scenario files: one line naming the file, the key path and the bad value, exit code 2, no traceback."""

import pandas as pd
import pytest

from wfm import cli
from wfm.scenario import ScenarioError, load_scenario

from .conftest import small_scenario, write_scenario


def _without(key, section=None):
    s = small_scenario()
    (s[section] if section else s).pop(key)
    return s


def _with(section, **values):
    s = small_scenario()
    s[section] = {**s[section], **values} if isinstance(s[section], dict) else values
    return s


CASES = {
    "missing key": (_without("aht"), "aht", "required key missing"),
    "missing nested key": (_without("shifts", "schedule"), "schedule.shifts", "required key missing"),
    "wrong type": (_with("staffing", threshold="twenty"), "staffing.threshold", "must be a number; got 'twenty'"),
    "wrong type of section": (small_scenario(costs=[22.0]), "costs", "must be a mapping"),
    "unknown key": (_with("staffing", servce_level=0.8), "staffing.servce_level",
                    "unknown key 'servce_level' in section 'staffing'. Did you mean 'service_level'?"),
    "unknown top-level key": (small_scenario(stafing={}), "stafing", "unknown key 'stafing' in the scenario"),
    "unknown section in grid": (small_scenario(grid={"data.freq": ["15min"]}), "grid.data.freq",
                                "grid may vary the sections"),
    "unknown key in grid": (small_scenario(grid={"staffing.servicelevel": [0.8]}), "grid.staffing.servicelevel",
                            "unknown key 'servicelevel'"),
    "negative target": (_with("staffing", service_level=-0.8), "staffing.service_level",
                        "must be a fraction in (0, 1]; got -0.8"),
    "percentage": (_with("staffing", service_level=80), "staffing.service_level", "Did you mean 0.80?"),
    "negative aht": (small_scenario(aht=-300), "aht", "must be > 0 seconds; got -300"),
    "bad grid value": (small_scenario(grid={"staffing.service_level": [0.8, 90]}), "grid.staffing.service_level[1]",
                       "Did you mean 0.90?"),
    "empty grid list": (small_scenario(grid={"aht.factor": []}), "grid.aht.factor", "non-empty list"),
    "erlang a without patience": (_with("staffing", model="erlang_a"), "staffing", "needs patience"),
    "erlang c with patience": (_with("staffing", patience=180), "staffing",
                               "patience needs model erlang_a: Erlang C has no abandonment"),
    "erlang c with max_abandon_rate": (_with("staffing", max_abandon_rate=0.05), "staffing",
                                       "max_abandon_rate needs model erlang_a"),
    "bad method": (_with("forecast", method="prophet"), "forecast.method", "must be one of"),
    "bad decay": (_with("forecast", method="weighted_average", decay=0.0), "forecast.decay",
                  "must be a fraction in (0, 1]; got 0."),
    "no backtest windows": (_with("forecast", n_windows=0), "forecast.n_windows", "must be a whole number >= 1; got 0"),
    "no horizon": (small_scenario(horizon={"days": 0}), "horizon.days",
                   "must be a whole number of open days >= 1; got 0"),
    "bad shift rule": (_with("schedule", shifts=[{"name": "FT8", "paid": "eight hours"}]), "schedule",
                       "paid"),
    "marked variant that does not exist": (_with("schedule", variants=["volume=2"]), "schedule.variants[0]",
                                           "names no variant"),
    "missing KPI targets file": (_with("kpis", targets="no_such_targets.yaml"), "kpis.targets", "no such"),
    # weekly KPIs scored against daily targets would hide a red day (a week's average over five days)
    "KPI frequency other than the targets'": (
        _with("kpis", freq="W", targets={"service_level": {"target": 0.8, "red": 0.7, "frequency": "D"}}),
        "kpis.freq", "kpis.service_level.frequency 'D', but kpis.freq is 'W'"),
    "unknown queue override": (small_scenario(queues={"bank_calls": {"staffing.treshold": 30}}),
                               "queues.bank_calls", "unknown key 'treshold'"),
    "data file that does not exist": (small_scenario(data={"path": "no_such_history.csv"}), "data.path",
                                      "no such data file"),
    "two data sources": (small_scenario(data={"dataset": "bank_calls", "path": "x.csv"}), "data",
                         "exactly one of"),
}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("command", ["validate", "run"])
def test_bad_file_is_one_line_with_the_key_path_and_exit_2(tmp_path, capsys, case, command):
    scenario, key, message = CASES[case]
    path = write_scenario(tmp_path, scenario, "bad.yaml")
    out = tmp_path / "out"
    assert cli.main([command, str(path), "--out", str(out)] if command == "run" else [command, str(path)]) == 2
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert len(err.splitlines()) == 1, err
    assert err.startswith(f"wfm {command}: error: {path}: {key}: "), err
    assert message in err, err
    assert "Traceback" not in captured.err + captured.out
    assert not out.exists()  # nothing ran, nothing was written


def test_data_file_lacking_a_column(tmp_path, capsys, bank_30min):
    data = tmp_path / "history.csv"
    bank_30min.rename("Offered").rename_axis("Interval").reset_index().to_csv(data, index=False)
    path = write_scenario(tmp_path, small_scenario(data={"path": "history.csv", "timestamp": "Interval",
                                                         "calls": "Calls"}))
    assert cli.main(["run", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (f"wfm run: error: {path}: data.calls: column 'Calls' is not in history.csv; its columns are "
                   "['Interval', 'Offered'].")


def test_bad_rows_in_the_data_name_the_file_and_the_line(tmp_path, capsys, bank_30min):
    data = tmp_path / "history.csv"
    frame = bank_30min.rename_axis("timestamp").reset_index()
    frame.loc[3, "calls"] = -5
    frame.to_csv(data, index=False)
    path = write_scenario(tmp_path, small_scenario(data={"path": "history.csv"}))
    assert cli.main(["run", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    # line 5 of the file: the header is line 1, row 3 (0-based) of the table line 5
    assert f"{path}: data: history.csv:" in err and "rows [5]" in err and len(err.strip().splitlines()) == 1


def test_yaml_syntax_error_names_the_line(tmp_path, capsys):
    path = tmp_path / "broken.yaml"
    path.write_text("name: x\ndata: {dataset: bank_calls\naht: 300\n")
    assert cli.main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}: not valid YAML: line" in err


def test_missing_file_and_not_a_mapping(tmp_path, capsys):
    assert cli.main(["run", str(tmp_path / "nope.yaml")]) == 2
    assert "no such scenario file" in capsys.readouterr().err
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n")
    assert cli.main(["validate", str(path)]) == 2
    assert "must be a YAML mapping of sections" in capsys.readouterr().err


def test_debug_shows_the_traceback(tmp_path, capsys):
    path = write_scenario(tmp_path, _with("staffing", service_level=80))
    assert cli.main(["validate", str(path), "--debug"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" in err and "ScenarioError" in err


def test_bad_usage_is_exit_2(capsys):
    assert cli.main(["run"]) == 2
    assert cli.main(["run", "x.yaml", "--jobs", "-1"]) == 2
    assert cli.main(["frobnicate"]) == 2
    assert "usage: wfm" in capsys.readouterr().err


def test_the_error_is_a_value_error_in_python():
    with pytest.raises(ScenarioError, match=r"^<dict>: staffing.service_level: must be a fraction") as info:
        load_scenario(_with("staffing", service_level=80))
    assert isinstance(info.value, ValueError) and info.value.key == "staffing.service_level"


def test_an_unknown_queue_in_the_data_is_exit_2(tmp_path, capsys, bank_30min):
    data = tmp_path / "two.csv"
    a = bank_30min.rename_axis("timestamp").reset_index().assign(queue="retail")
    b = a.assign(queue="business", calls=a["calls"] // 3)
    pd.concat([a, b]).to_csv(data, index=False)
    path = write_scenario(tmp_path, small_scenario(data={"path": "two.csv", "queue": "queue"},
                                                   queues={"corporate": {"staffing.threshold": 30}}))
    assert cli.main(["run", str(path), "--out", str(tmp_path / "out")]) == 2
    assert "queues.corporate: names a queue that is not in the data" in capsys.readouterr().err
