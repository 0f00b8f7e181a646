"""One contract for every forecaster (STYLE section 7): index, columns, no NaN, bounds ordered, >= 0, deterministic."""

import numpy as np
import pandas as pd
import pytest

import wfm
from wfm.calendar import future_intervals
from wfm.forecast import METHODS, forecast_volume

ALL = ["auto", *METHODS]


@pytest.fixture(scope="module")
def noisy_history(seasonal_history):
    """The pure pattern with seeded Poisson noise. Module scope: read-only."""
    rng = np.random.default_rng(5)
    return pd.Series(rng.poisson(seasonal_history.to_numpy()).astype(float), index=seasonal_history.index)


@pytest.mark.parametrize("method", ALL)
def test_contract(method, noisy_history):
    future = future_intervals(noisy_history, days=5)
    first = forecast_volume(noisy_history, future, method=method)
    second = forecast_volume(noisy_history, future, method=method)
    assert first.index.equals(future)
    assert list(first.columns) == ["forecast", "lower", "upper"]
    assert first.notna().all().all()
    assert (first >= 0).all().all()
    assert (first["lower"] <= first["forecast"]).all() and (first["forecast"] <= first["upper"]).all()
    pd.testing.assert_frame_equal(first, second)


@pytest.mark.parametrize("method", ["topdown", "window_average", "seasonal_naive"])
def test_level_sets_band_width(method, noisy_history):
    future = future_intervals(noisy_history, days=2)
    narrow = forecast_volume(noisy_history, future, method=method, level=0.5)
    wide = forecast_volume(noisy_history, future, method=method, level=0.95)
    assert ((wide["upper"] - wide["lower"]) >= (narrow["upper"] - narrow["lower"])).all()
    pd.testing.assert_series_equal(narrow["forecast"], wide["forecast"])


def test_public_names_are_reachable():
    from wfm import forecast as module

    assert callable(module.forecast_volume) and callable(module.forecast_aht) and callable(module.peak_periods)
    assert callable(wfm.calendar.future_intervals)


@pytest.mark.parametrize("method", ["topdown", "seasonal_naive"])
def test_backtest_resolves_method_names(method, bank_30min):
    """wfm.backtest looks up wfm.forecast.forecast_volume for a string method: the call shape it assumes works."""
    result = wfm.backtest(method, bank_30min, n_origins=1, horizon=5)
    assert {"lower", "upper"} <= set(result.forecasts.columns)
    assert result.params["method"] == method
