"""
The time tables the single steps read (wfm staff --forecast, wfm schedule --requirement, wfm simulate --plan):
one row per interval, whatever the order of the rows; an interval missing inside a day, a repeated one, an AHT
column in minutes and fractional agents are errors naming the file, the flag and the fix.

The tables are made from the shipped example report (synthetic, wfm/datasets/data/examples/README.md) by the
steps themselves, as the README runs them.
"""

from pathlib import Path

import pandas as pd
import pytest

from wfm import cli

REPORT = Path(__file__).resolve().parents[1] / "wfm" / "datasets" / "data" / "examples" / "interval_report.csv"
COLUMNS = "date=Date,time=Interval,calls=Offered,answered=Answered,handle_time=Handle Time (s)"


def test_the_help_example_maps_answered_and_the_review_command_is_refused(tmp_path, capsys):
    assert cli.main(["forecast", "--help"]) == 0
    assert "calls=Offered,answered=Answered,handle_time=Handle" in "".join(capsys.readouterr().out.split())
    columns = "date=Date,time=Interval,calls=Offered,handle_time=Handle Time (s)"
    assert cli.main(["forecast", "--history", str(REPORT), "--dayfirst", "--columns", columns, "--out",
                     str(tmp_path / "x.csv")]) == 2
    err = capsys.readouterr().err
    assert "'Answered', left unmapped" in err and "--columns answered=Answered" in err
    assert not (tmp_path / "x.csv").exists()
