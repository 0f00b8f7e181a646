"""The Forecast object: table, method, scores, plots and HTML."""

import matplotlib.pyplot as plt
import pandas as pd
import pytest


def test_table_and_presentation(bank_forecast, bank_30min):
    assert list(bank_forecast.table.columns) == ["forecast", "lower", "upper"]
    assert bank_forecast.params["level"] == 0.8 and bank_forecast.params["dispersion"]["ordinary"] > 0
    html = bank_forecast._repr_html_()
    assert "Forecast by topdown" in html and "<table" in html
    assert "backtest in the history" in repr(bank_forecast)
    ax = bank_forecast.plot()
    assert ax.get_ylabel() == "calls per interval"
    plt.close(ax.figure)
    ax = bank_forecast.heatmap()
    plt.close(ax.figure)
    assert len(bank_forecast.totals()) == 5 and len(bank_forecast.totals("W")) == 1


def test_with_actual(bank_forecast, bank_30min):
    shifted = bank_30min.iloc[-140:]
    shifted.index = bank_forecast.table.index
    out = bank_forecast.with_actual(shifted)
    assert "actual" in out.table.columns and "actual" not in bank_forecast.table.columns
    ax = out.plot()
    assert len(ax.get_lines()) >= 2
    plt.close(ax.figure)
    assert out.totals()["actual"].sum() == shifted.sum()
    with pytest.raises(ValueError, match="actual must cover every forecast interval"):
        bank_forecast.with_actual(shifted.iloc[:-1])
    with pytest.raises(TypeError, match="actual must be a Series"):
        bank_forecast.with_actual(shifted.to_numpy())
    assert isinstance(out.table.index, pd.DatetimeIndex)
