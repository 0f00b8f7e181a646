"""Fixtures for the forecasting tests: small exact series, the bank forecast, a synthetic AHT history."""

import numpy as np
import pandas as pd
import pytest


def weekday_index(start="2024-01-01", weeks=6, freq="30min", open_hours=("08:00", "12:00"), days=(0, 1, 2, 3, 4),
                  tz=None):
    """Open intervals of a centre open on ``days`` between ``open_hours`` (close exclusive)."""
    dates = pd.date_range(start, periods=7 * weeks, freq="D")
    dates = dates[dates.day_of_week.isin(days)]
    step = pd.Timedelta(freq)
    first, last = pd.Timedelta(open_hours[0] + ":00"), pd.Timedelta(open_hours[1] + ":00")
    offsets = pd.timedelta_range(first, last - step, freq=step)
    stamps = (dates.repeat(len(offsets)) + np.tile(offsets, len(dates)))
    index = pd.DatetimeIndex(stamps, name="timestamp")
    return index.tz_localize(tz) if tz else index


def seasonal_values(index, scale=100.0):
    """A pure weekly pattern: weekday factor times a time-of-day shape, identical every week."""
    wall = index.tz_localize(None) if index.tz is not None else index
    hour = np.asarray(wall.hour + wall.minute / 60)
    weekday = np.array([1.3, 1.0, 0.9, 0.95, 1.1, 0.6, 0.5])[np.asarray(wall.day_of_week)]
    shape = 0.5 + np.sin(np.pi * (hour - 7.5) / 6) ** 2
    return scale * weekday * shape


@pytest.fixture(scope="session")
def seasonal_history():
    """Six weeks of a pure weekly pattern, weekdays 08:00-12:00, 30 minutes. Session: read-only."""
    index = weekday_index(weeks=6)
    return pd.Series(seasonal_values(index), index=index, name="calls")


@pytest.fixture(scope="session")
def bank_forecast(bank_30min):
    """wfm.forecast (auto) of the week after the bank's record. Session: fitted once, read-only."""
    from wfm.calendar import future_intervals
    from wfm.forecast import forecast

    return forecast(bank_30min, future_intervals(bank_30min, days=5))


@pytest.fixture(scope="session")
def synthetic_aht(bank_30min):
    """
    Synthetic AHT history on the bank's half-hours (no public interval AHT data exist for it).

    True AHT: 300 s times a time-of-day shape (longer early and late, 330 s at
    07:00 and 20:30, 285 s at midday) times 1.04 on Mondays. The observed AHT
    of an interval is the mean of ``calls`` handle times drawn from a
    log-normal with coefficient of variation 1 (Brown et al. 2005), i.e.
    normal with standard deviation true / sqrt(calls). Seeded (2003).
    Session scope: read-only. Returns (aht, calls, true_aht).
    """
    rng = np.random.default_rng(2003)
    calls = bank_30min.astype(float)
    hour = np.asarray(calls.index.hour + calls.index.minute / 60)
    shape = 1 + 0.1 * ((hour - 13.75) / 6.75) ** 2 - 0.05
    true = 300 * shape * np.where(calls.index.day_of_week == 0, 1.04, 1.0)
    noise = rng.normal(0, 1, calls.size) * true / np.sqrt(np.maximum(calls.to_numpy(), 1))
    aht = pd.Series(true + noise, index=calls.index, name="aht")
    return aht, calls, pd.Series(true, index=calls.index)
