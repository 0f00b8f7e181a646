"""
The time tables the single steps read (wfm staff --forecast, wfm schedule --requirement, wfm simulate --plan):
one row per interval, whatever the order of the rows; an interval missing inside a day, a repeated one, an AHT
column in minutes and fractional agents are errors naming the file, the flag and the fix.

The tables are made from the shipped example report (synthetic, wfm/datasets/data/examples/README.md) by the
steps themselves, as the README runs them.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from wfm import cli

REPORT = Path(__file__).resolve().parents[1] / "wfm" / "datasets" / "data" / "examples" / "interval_report.csv"
COLUMNS = "date=Date,time=Interval,calls=Offered,answered=Answered,handle_time=Handle Time (s)"


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """forecast.csv and plan.csv (shrinkage 0.3: fractional scheduled_agents) of the example report, and rules."""
    folder = tmp_path_factory.mktemp("tables")
    assert cli.main(["forecast", "--history", str(REPORT), "--columns", COLUMNS, "--dayfirst", "--method",
                     "seasonal_naive", "--days", "5", "--out", str(folder / "forecast.csv"), "--quiet"]) == 0
    assert cli.main(["staff", "--forecast", str(folder / "forecast.csv"), "--shrinkage", "0.3", "--out",
                     str(folder / "plan.csv"), "--quiet"]) == 0
    rules = {"shifts": [{"name": "day", "paid": "5h"}], "week": {"days_per_week": [1, 5]}}
    (folder / "rules.yaml").write_text(yaml.safe_dump(rules))
    return folder


def rows_of(path):
    return pd.read_csv(path, dtype=str)


def staff(forecast, out):
    return cli.main(["staff", "--forecast", str(forecast), "--out", str(out), "--quiet"])


def test_the_help_example_maps_answered_and_the_review_command_is_refused(tmp_path, capsys):
    assert cli.main(["forecast", "--help"]) == 0
    assert "calls=Offered,answered=Answered,handle_time=Handle" in "".join(capsys.readouterr().out.split())
    columns = "date=Date,time=Interval,calls=Offered,handle_time=Handle Time (s)"
    assert cli.main(["forecast", "--history", str(REPORT), "--dayfirst", "--columns", columns, "--out",
                     str(tmp_path / "x.csv")]) == 2
    err = capsys.readouterr().err
    assert "'Answered', left unmapped" in err and "--columns answered=Answered" in err
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize("step", ["staff", "schedule", "simulate"])
def test_an_interval_missing_inside_a_day_is_an_error_at_every_step(made, tmp_path, capsys, step):
    source = made / ("forecast.csv" if step == "staff" else "plan.csv")
    table = rows_of(source)
    holed = tmp_path / "holed.csv"
    table[~table["timestamp"].isin(["2024-06-30 13:00:00", "2024-06-30 13:30:00"])].to_csv(holed, index=False)
    argv = {"staff": ["staff", "--forecast", str(holed), "--out", str(tmp_path / "p.csv")],
            "schedule": ["schedule", "--requirement", str(holed), "--rules", str(made / "rules.yaml"), "--out",
                         str(tmp_path / "s")],
            "simulate": ["simulate", "--plan", str(holed), "--replications", "1", "--out", str(tmp_path / "m.csv")]}
    assert cli.main(argv[step]) == 2
    err = capsys.readouterr().err
    flag = {"staff": "--forecast", "schedule": "--requirement", "simulate": "--plan"}[step]
    assert (f"{flag} 'holed.csv': 2 interval(s) missing inside the day's hours: 2024-06-30 13:00, 2024-06-30 13:30"
            in err)
    assert ("If the centre was open (and quiet), pass those intervals with 0 calls; if it was closed, leave the "
            "closure out the same way on every day" in err)
    assert not any(tmp_path.glob("[psm]*.csv")) and not (tmp_path / "s").exists()


def test_closed_days_hours_and_a_closure_every_day_are_not_holes(made, tmp_path):
    """
    A whole day absent, a day closing early and a lunch hour closed every day are a centre's hours, not lost rows:
    each is staffed, and each interval kept gets the agents of the full forecast (Erlang staffs one interval alone).
    """
    table = rows_of(made / "forecast.csv")
    stamps = pd.to_datetime(table["timestamp"])
    full = pd.read_csv(made / "plan.csv", index_col=0, parse_dates=True)
    cuts = {"day": stamps.dt.date.astype(str) == "2024-07-02",
            "early": (stamps.dt.date.astype(str) == "2024-07-03") & (stamps.dt.hour >= 15),
            "lunch": stamps.dt.hour == 12}
    for name, cut in cuts.items():
        path = tmp_path / f"{name}.csv"
        table[~cut].to_csv(path, index=False)
        out = tmp_path / f"plan_{name}.csv"
        assert cli.main(["staff", "--forecast", str(path), "--shrinkage", "0.3", "--out", str(out), "--quiet"]) == 0
        plan = pd.read_csv(out, index_col=0, parse_dates=True)
        assert len(plan) == (~cut).sum()
        pd.testing.assert_series_equal(plan["agents"], full["agents"].loc[plan.index])


def test_rows_out_of_time_order_give_the_plan_of_the_sorted_file(made, tmp_path):
    table = rows_of(made / "forecast.csv")
    shuffled = table.sample(frac=1.0, random_state=7)
    assert not pd.to_datetime(shuffled["timestamp"]).is_monotonic_increasing
    shuffled.to_csv(tmp_path / "shuffled.csv", index=False)
    table.sort_values("forecast").to_csv(tmp_path / "by_volume.csv", index=False)  # an Excel sort by a column
    assert staff(made / "forecast.csv", tmp_path / "sorted_plan.csv") == 0
    for name in ("shuffled", "by_volume"):
        assert staff(tmp_path / f"{name}.csv", tmp_path / f"{name}_plan.csv") == 0
        assert (tmp_path / f"{name}_plan.csv").read_bytes() == (tmp_path / "sorted_plan.csv").read_bytes()


def test_a_repeated_or_off_grid_row_is_an_error_naming_the_lines(made, tmp_path, capsys):
    table = rows_of(made / "forecast.csv")
    twice = pd.concat([table, table.iloc[[3]]]).sample(frac=1.0, random_state=1)  # unsorted too: still an error
    twice.to_csv(tmp_path / "twice.csv", index=False)
    assert staff(tmp_path / "twice.csv", tmp_path / "p.csv") == 2
    err = capsys.readouterr().err
    lines = (np.flatnonzero(twice["timestamp"].to_numpy() == table["timestamp"].iloc[3]) + 2).tolist()
    assert "--forecast 'twice.csv': column 'timestamp' repeats an interval in 2 of 101 rows: rows " in err
    assert f"rows [{lines[0]}, {lines[1]}]" in err and "remove (or add up) the repeated rows" in err
    odd = table.copy()
    odd.loc[10, "timestamp"] = "2024-06-30 13:15:00"  # 13:00 moved off the grid, 15 min before 13:30
    odd.to_csv(tmp_path / "odd.csv", index=False)
    assert staff(tmp_path / "odd.csv", tmp_path / "p.csv") == 2
    err = capsys.readouterr().err
    assert ("--forecast 'odd.csv': the rows are not one interval each: most interval starts are 30 min apart, but "
            "2024-06-30 13:15 and 13:30 are 15 min apart" in err)
    assert "pass interval in seconds" not in err and not (tmp_path / "p.csv").exists()


def test_an_aht_column_in_minutes_or_ms_is_refused_and_a_few_odd_rows_warned(made, tmp_path, capsys):
    table = rows_of(made / "forecast.csv")
    aht = table["aht"].astype(float)
    table.assign(aht=aht / 60).to_csv(tmp_path / "minutes.csv", index=False)
    assert staff(tmp_path / "minutes.csv", tmp_path / "p.csv") == 2
    err = capsys.readouterr().err
    assert "--forecast 'minutes.csv': column 'aht' holds handle times under 20 s in 100 of 100 rows" in err
    assert "if the column is in minutes, multiply it by 60" in err and not (tmp_path / "p.csv").exists()
    plan = rows_of(made / "plan.csv")
    plan.assign(aht=plan["aht"].astype(float) / 60).to_csv(tmp_path / "plan_minutes.csv", index=False)
    assert cli.main(["simulate", "--plan", str(tmp_path / "plan_minutes.csv"), "--out", str(tmp_path / "m.csv")]) == 2
    assert "--plan 'plan_minutes.csv': column 'aht' holds handle times under 20 s" in capsys.readouterr().err
    table.assign(aht=aht * 1000).to_csv(tmp_path / "ms.csv", index=False)  # milliseconds: over 2 h, refused too
    assert staff(tmp_path / "ms.csv", tmp_path / "p.csv") == 2
    err = capsys.readouterr().err
    assert "--forecast 'ms.csv': column 'aht' holds handle times over 2 h in 100 of 100 rows" in err
    assert "looks like milliseconds, divide by 1000" in err and not (tmp_path / "p.csv").exists()
    few = aht.copy()
    few.iloc[:9] /= 60  # 9 of 100 rows: outliers under the 90% mark, staffed with the library's warning
    table.assign(aht=few).to_csv(tmp_path / "few.csv", index=False)
    assert staff(tmp_path / "few.csv", tmp_path / "p.csv") == 0
    assert "warning: aht of" in capsys.readouterr().err


def test_fractional_agents_name_the_flag_not_numpy(made, tmp_path, capsys):
    plan = made / "plan.csv"
    assert cli.main(["schedule", "--requirement", str(plan), "--column", "scheduled_agents", "--rules",
                     str(made / "rules.yaml"), "--out", str(tmp_path / "s")]) == 2
    err = capsys.readouterr().err
    assert "Give --column a column of whole agents (agents, the default" in err and "round this column up" in err
    assert "numpy" not in err
    assert cli.main(["simulate", "--plan", str(plan), "--agents-col", "scheduled_agents", "--out",
                     str(tmp_path / "m.csv")]) == 2
    err = capsys.readouterr().err
    assert "Give --agents-col a column of whole agents" in err and "numpy" not in err
    # from Python the hint stays Python's
    import wfm

    table = pd.read_csv(plan, index_col=0, parse_dates=True)
    with pytest.raises(ValueError, match=r"Round up with numpy\.ceil"):
        wfm.simulate(table["calls"], table["aht"], table["scheduled_agents"])
