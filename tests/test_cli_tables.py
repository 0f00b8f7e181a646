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


def test_an_aht_column_in_minutes_is_refused_and_a_few_odd_rows_warned(made, tmp_path, capsys):
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
    few = aht.copy()
    few.iloc[:9] /= 60  # 9 of 100 rows: outliers under the 90% mark, staffed with the library's warning
    table.assign(aht=few).to_csv(tmp_path / "few.csv", index=False)
    assert staff(tmp_path / "few.csv", tmp_path / "p.csv") == 0
    assert "warning: aht of" in capsys.readouterr().err
