"""The single steps chained on files: what one step writes, the next reads as it was meant (wfm history -> wfm
forecast -> wfm staff -> wfm schedule -> wfm simulate), or refuses naming both sides."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import wfm
from wfm import cli

EXAMPLES = Path(wfm.__file__).resolve().parent / "datasets" / "data" / "examples"
COLUMNS = "date=Date,time=Interval,calls=Offered,answered=Answered,handle_time=Handle Time (s)"


@pytest.fixture(scope="module")
def fc95(tmp_path_factory):
    """wfm forecast of the example interval report with a 95% band (module scope: written once, only read)."""
    out = tmp_path_factory.mktemp("chain") / "fc95.csv"
    assert cli.main(["forecast", "--history", str(EXAMPLES / "interval_report.csv"), "--dayfirst", "--columns",
                     COLUMNS, "--level", "0.95", "--out", str(out), "-q"]) == 0
    return out


def test_staff_staffs_the_band_at_the_level_it_was_made_at(fc95, tmp_path, capsys):
    """A 95% band read as an 80% one overstates the rate's spread: wfm staff takes the level from the file."""
    table = pd.read_csv(fc95, index_col=0, parse_dates=True)
    assert table["level"].tolist() == [0.95] * len(table)
    plan = tmp_path / "plan.csv"
    assert cli.main(["staff", "--forecast", str(fc95), "--out", str(plan), "-q"]) == 0
    band = table[["forecast", "lower", "upper"]]
    right = wfm.staffing_plan_from_forecast(band, table["aht"], level=0.95).table
    wrong = wfm.staffing_plan_from_forecast(band, table["aht"], level=0.8).table
    assert wrong["agents"].sum() > right["agents"].sum()  # what the default 0.8 made of it
    np.testing.assert_array_equal(pd.read_csv(plan)["agents"], right["agents"])
    # a --level the band was not made at: refused, naming both
    assert cli.main(["staff", "--forecast", str(fc95), "--level", "0.8", "--out", str(tmp_path / "x.csv")]) == 2
    err = capsys.readouterr().err
    assert "--level 0.8 disagrees with --forecast, whose band was made at level 0.95" in err
    assert not (tmp_path / "x.csv").exists()
    # a file without the column (written by hand, or by an older wfm): --level, default 0.8, as before
    table.drop(columns="level").to_csv(tmp_path / "old.csv")
    assert cli.main(["staff", "--forecast", str(tmp_path / "old.csv"), "--out", str(tmp_path / "old_plan.csv")]) == 0
    np.testing.assert_array_equal(pd.read_csv(tmp_path / "old_plan.csv")["agents"], wrong["agents"])
