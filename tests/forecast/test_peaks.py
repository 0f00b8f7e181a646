"""Peak periods and the heatmap, on a series whose peaks are known."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from wfm.forecast import heatmap, peak_periods, profile_table


def known_series():
    idx = pd.date_range("2024-04-01", "2024-04-30 23:00", freq="h")
    hour = np.asarray(idx.hour)
    values = 10 + 100 * (hour == 11) + 20 * (hour == 15)
    values = values * np.where(idx.day_of_week == 1, 2.0, 1.0) * np.where(idx.day >= 22, 1.5, 1.0)
    values = values * np.where(idx.day > 28, 0.5, 1.0)
    return pd.Series(values.astype(float), index=idx)


def test_peaks_are_where_they_were_put():
    peaks = peak_periods(known_series())
    interval = peaks[peaks["level"] == "interval"]
    assert len(interval) == 30 and {t.hour for t in interval["peak"]} == {11}
    assert peaks.loc[peaks["level"] == "weekday", "peak"].item() == "Tue"
    assert peaks.loc[peaks["level"] == "week_of_month", "peak"].item() == 4
    first = interval.iloc[0]
    assert first["calls"] == 110 and first["peak_to_average"] == 110 / ((24 * 10 + 100 + 20) / 24)


def test_heatmap_and_profile_table():
    s = known_series()
    table = profile_table(s)
    assert table.shape == (24, 7) and table.loc[pd.Timestamp("11:00").time(), "Tue"] == table.max().max()
    ax = heatmap(s)
    assert ax.get_title() == "Mean calls per interval"
    plt.close(ax.figure)
