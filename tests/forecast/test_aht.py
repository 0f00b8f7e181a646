"""AHT per interval: a weekday x time-of-day profile, smoothed, shrunk toward the day's mean where thin."""

import numpy as np
import pandas as pd
import pytest

from wfm.calendar import future_intervals
from wfm.forecast import forecast_aht


def test_recovers_the_true_profile(synthetic_aht):
    aht, calls, true = synthetic_aht
    future = future_intervals(calls, days=5)
    out = forecast_aht(aht, future, calls=calls)
    truth = true.groupby([true.index.day_of_week, true.index.time]).first()
    expected = truth.reindex(pd.MultiIndex.from_arrays([future.day_of_week, future.time])).to_numpy()
    assert out.name == "aht" and out.index.equals(future)
    assert np.mean(np.abs(out.to_numpy() / expected - 1)) < 0.01
    # the 1-2-1 smoothing and the shrinkage beat the raw recent slot means
    recent = aht[aht.index >= aht.index[-1] - pd.Timedelta(days=55)]
    raw = recent.groupby([recent.index.day_of_week, recent.index.time]).mean()
    raw = raw.reindex(pd.MultiIndex.from_arrays([future.day_of_week, future.time])).to_numpy()
    assert np.mean(np.abs(out.to_numpy() - expected)) < np.mean(np.abs(raw - expected))


def test_thin_slot_is_shrunk_toward_the_day_mean():
    idx = pd.date_range("2024-01-01", periods=8 * 7 * 24, freq="h")
    calls = pd.Series(np.where(idx.hour == 3, 1.0, 200.0), index=idx)
    aht = pd.Series(np.where(idx.hour == 3, 900.0, 300.0), index=idx)
    future = pd.date_range(idx[-1] + pd.Timedelta("1h"), periods=24, freq="h")
    out = forecast_aht(aht, future, calls=calls, smooth=False)
    assert out[future.hour == 3].iloc[0] < 600  # one call an hour does not set a 900 s AHT
    assert out[future.hour == 12].iloc[0] == pytest.approx(300, rel=0.02)


def test_nan_aht_is_skipped_and_bad_aht_named():
    idx = pd.date_range("2024-01-01", periods=3 * 7 * 24, freq="h")
    aht = pd.Series(300.0, index=idx)
    aht.iloc[5] = np.nan
    future = pd.date_range(idx[-1] + pd.Timedelta("1h"), periods=3, freq="h")
    assert forecast_aht(aht, future).round(6).tolist() == [300.0] * 3
    aht.iloc[7] = 0
    with pytest.raises(ValueError, match=r"aht must be > 0 seconds; got 0.0 at 1 of"):
        forecast_aht(aht, future)
    with pytest.raises(ValueError, match="aht and calls do not align"):
        forecast_aht(aht.where(aht > 0, 300), future, calls=pd.Series(1.0, index=idx[:-1]))
    with pytest.raises(ValueError, match="future_index must start after the history ends"):
        forecast_aht(aht.where(aht > 0, 300), idx[-2:])


def test_a_weekday_never_open_gives_no_all_nan_warning():
    """Review item 21: on the example report (closed at weekends) forecast_aht emitted "RuntimeWarning: All-NaN
    slice encountered" from the spread of the weekdays with no data; the forecast is unchanged and quiet."""
    import warnings

    import wfm
    from wfm.logs import read_history

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        history = read_history("wfm/datasets/data/examples/interval_report.csv", dayfirst=True, columns={
            "date": "Date", "time": "Interval", "calls": "Offered", "answered": "Answered",
            "abandoned": "Abandoned", "handle_time": "Handle Time (s)"})
    fut = wfm.future_intervals(history["calls"], days=5)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        aht = wfm.forecast_aht(history["aht"], fut)
    assert aht.index.equals(fut) and bool(aht.notna().all()) and bool((aht > 0).all())
