"""Bad histories and future indexes give clear errors that name the argument (or fall back and say so)."""

import numpy as np
import pandas as pd
import pytest

from wfm.calendar import future_intervals
from wfm.forecast import forecast, forecast_volume

from .conftest import seasonal_values, weekday_index


@pytest.fixture
def history():
    """A fresh three-week pure-pattern history. Function scope: tests corrupt it."""
    index = weekday_index(weeks=3)
    return pd.Series(seasonal_values(index), index=index, name="calls")


def future_of(history, days=2):
    return future_intervals(history, days=days)


def test_nan_is_named(history):
    future = future_of(history)
    history.iloc[[3, 9]] = np.nan
    with pytest.raises(ValueError, match=r"history must not contain NaN; got NaN at 2 of \d+ intervals, "
                                         r"positions \[3, 9\] \(2024-01-01 09:30"):
        forecast_volume(history, future)


def test_negative_is_named(history):
    future = future_of(history)
    history.iloc[4] = -2
    with pytest.raises(ValueError, match=r"history must be >= 0 calls; got -2.0 at 1 of \d+ intervals, "
                                         r"positions \[4\]"):
        forecast_volume(history, future)


def test_duplicates_are_named(history):
    future = future_of(history)
    doubled = pd.concat([history.iloc[:5], history.iloc[4:]])
    with pytest.raises(ValueError, match=r"history must not repeat a timestamp; got repeats at 1 of"):
        forecast_volume(doubled, future)


def test_unsorted_is_named(history):
    future = future_of(history)
    with pytest.raises(ValueError, match=r"history must be sorted by time.*sort_index"):
        forecast_volume(history.iloc[::-1], future)


def test_non_numeric_is_named(history):
    future = future_of(history)
    text = history.astype(object)
    text.iloc[2] = "n/a"
    with pytest.raises(TypeError, match=r"history must be numeric; got non-numeric values 'n/a'"):
        forecast_volume(text, future)


def test_empty_history():
    empty = pd.Series([], index=pd.DatetimeIndex([]), dtype=float)
    with pytest.raises(ValueError, match="history must hold at least one interval"):
        forecast_volume(empty, pd.DatetimeIndex(["2024-01-01 08:00"]))


def test_history_must_be_a_series(history):
    with pytest.raises(TypeError, match="history must be a Series"):
        forecast_volume(history.to_frame(), future_of(history))


def test_future_before_history_end_is_named(history):
    overlap = history.index[-4:]
    with pytest.raises(ValueError, match=r"future_index must start after the history ends; got 2024-01-19 10:00"):
        forecast_volume(history, overlap)


def test_future_must_be_a_datetimeindex(history):
    with pytest.raises(TypeError, match="future_index must be a DatetimeIndex"):
        forecast_volume(history, list(future_of(history)))


def test_future_timezone_mismatch(history):
    future = future_of(history).tz_localize("UTC")
    with pytest.raises(ValueError, match=r"future_index is in time zone UTC and the history is naive \(no time zone\)"
                                         r".*future_intervals.*future_index.tz_localize\(None\)"):
        forecast_volume(history, future)


def test_level_as_percentage_gets_a_hint(history):
    with pytest.raises(ValueError, match=r"level must be a fraction in \(0, 1\); got 80.0.*Did you mean 0.80"):
        forecast_volume(history, future_of(history), level=80)


def test_unknown_method_and_option(history):
    with pytest.raises(ValueError, match=r"method must be one of \['auto', 'seasonal_naive'"):
        forecast_volume(history, future_of(history), method="arima")
    with pytest.raises(TypeError, match=r"method='topdown' got unknown option\(s\) \['wekks'\]"):
        forecast_volume(history, future_of(history), method="topdown", wekks=4)


def test_too_short_for_a_weekly_season_errors_for_sequence_models():
    index = weekday_index(weeks=1)
    short = pd.Series(seasonal_values(index), index=index)
    with pytest.raises(ValueError, match="history is too short: it holds 1 weeks of open intervals, and at least 2"):
        forecast_volume(short, future_intervals(short, days=1), method="ets")


def test_too_short_for_a_backtest_falls_back_and_says_so():
    index = weekday_index(weeks=1)
    short = pd.Series(seasonal_values(index), index=index)
    future = future_intervals(short, days=2)
    with pytest.warns(UserWarning, match="too short for a rolling-origin backtest"):
        out = forecast(short, future)
    np.testing.assert_allclose(out.table["forecast"], seasonal_values(future), rtol=1e-9)
    assert out.scores["wape"].isna().all()


def test_auto_with_mstl_on_short_history_notes_it():
    index = weekday_index(weeks=1)
    short = pd.Series(seasonal_values(index), index=index)
    with pytest.warns(UserWarning):
        out = forecast(short, future_intervals(short, days=1), candidates=["mstl", "topdown"])
    assert out.method == "topdown"


def test_intervals_outside_open_hours_warn(history):
    future = pd.date_range("2024-01-22 13:00", periods=2, freq="30min")
    with pytest.warns(UserWarning, match="future_index holds intervals the open calendar has closed"):
        out = forecast_volume(history, future, method="topdown")
    assert (out["forecast"] == 0).all()


def test_future_off_the_interval_grid_is_named(history):
    future = pd.date_range("2024-01-22 08:00", periods=4, freq="15min")
    with pytest.raises(ValueError, match=r"future_index must hold starts of the history's 30-minute intervals; "
                                         r"got timestamps off that grid at 2 of 4 intervals, positions \[1, 3\]"):
        forecast_volume(history, future)


@pytest.mark.parametrize("fn", ["forecast_volume", "forecast_aht"])
def test_a_number_of_days_as_future_index_says_how_to_build_one(fn):
    """Review item 17: forecast_volume(history, 5) gave "TypeError: object of type 'int' has no len()"."""
    import wfm

    history = wfm.calendar.last_full_week(wfm.datasets.bank_calls("30min"))
    with pytest.raises(TypeError, match=r"future_index must be a DatetimeIndex .* got int 5\. .*"
                                        r"wfm\.future_intervals\(history, days=5\)"):
        getattr(wfm, fn)(history, 5)
