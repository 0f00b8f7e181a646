"""wfm evaluate reads what wfm run writes: its forecast.csv (queue, forecast_config, timestamp, forecast, ...)."""

import pandas as pd
import pytest

from wfm import cli


def test_evaluate_scores_the_forecast_csv_wfm_run_writes(main_run, tmp_path, capsys):
    code, out, _ = main_run
    assert code == 0
    written = pd.read_csv(out / "forecast.csv")
    assert list(written.columns[:3]) == ["queue", "forecast_config", "timestamp"]  # the interval starts are third
    assert written["queue"].nunique() == 1 and written["forecast_config"].tolist() == ["base"] * len(written)
    base = written
    # actuals 10% above the forecast in every interval: WAPE = sum |f - 1.1 f| / sum 1.1 f = 0.1 / 1.1 at any level
    actual = tmp_path / "actual.csv"
    pd.DataFrame({"timestamp": base["timestamp"], "calls": 1.1 * base["forecast"]}).to_csv(actual, index=False)
    forecast = out / "forecast.csv"  # as wfm run wrote it
    assert cli.main(["evaluate", "--actual", str(actual), "--forecast", str(forecast), "--out",
                     str(tmp_path / "acc.csv")]) == 0
    assert "wfm evaluate: WAPE interval 9.1%, day 9.1%" in capsys.readouterr().out
    scores = pd.read_csv(tmp_path / "acc.csv")
    assert scores.loc[scores["metric"] == "wape", "value"].tolist() == pytest.approx([0.1 / 1.1] * 2)
    assert scores.loc[scores["metric"] == "bias", "value"].tolist() == pytest.approx([-0.1 / 1.1] * 2)
    # a file of two queues is refused, naming the column and how to pick one
    two = pd.concat([base, base.assign(queue="sales")])
    two.to_csv(tmp_path / "two.csv", index=False)
    assert cli.main(["evaluate", "--actual", str(actual), "--forecast", str(tmp_path / "two.csv"), "--out",
                     str(tmp_path / "x.csv")]) == 2
    err = capsys.readouterr().err
    assert "--forecast 'two.csv' holds 2 values in its column 'queue'" in err and "e.g. those where queue is" in err
