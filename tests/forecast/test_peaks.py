"""Peak periods and the heatmap, on a series whose peaks are known, on the bank record by hand, and on short series."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from wfm.forecast import heatmap, peak_periods, peak_summary, profile_table
from wfm.forecast.peaks import MIN_DAYS_WEEK_OF_MONTH, MIN_DAYS_WEEKDAY


def known_series(end="2024-05-31 23:00"):
    """Hourly, 1 April to ``end``: a spike at 11:00 (and a smaller one at 15:00), Tuesdays doubled, days 22-28 of the
    month x1.5, days 29-31 halved."""
    idx = pd.date_range("2024-04-01", end, freq="h")
    hour = np.asarray(idx.hour)
    values = 10 + 100 * (hour == 11) + 20 * (hour == 15)
    values = values * np.where(idx.day_of_week == 1, 2.0, 1.0) * np.where(idx.day >= 22, 1.5, 1.0)
    values = values * np.where(idx.day > 28, 0.5, 1.0)
    return pd.Series(values.astype(float), index=idx)


def test_peaks_are_where_they_were_put():
    s = known_series()
    peaks = peak_periods(s)
    interval = peaks[peaks["level"] == "interval"]
    assert len(interval) == 61 and {t.hour for t in interval["peak"]} == {11} and (interval["n_days"] == 1).all()
    weekday = peaks[peaks["level"] == "weekday"].iloc[0]
    assert weekday["peak"] == "Tue" and weekday["note"] == ""
    assert weekday["n_days"] == 9  # the Tuesdays of April and May 2024: 2, 9, 16, 23, 30 April, 7, 14, 21, 28 May
    week = peaks[peaks["level"] == "week_of_month"].iloc[0]
    assert week["peak"] == 4 and week["n_days"] == 14  # days 22-28 of April and of May
    first = interval.iloc[0]
    assert first["calls"] == 110 and first["peak_to_average"] == 110 / ((24 * 10 + 100 + 20) / 24)


def test_bank_peaks_match_pandas_groupby(bank_30min):
    """The review's hand check: modal interval peak 10:00, Mondays 1.120 x the mean weekday, week 1 1.036."""
    s = bank_30min
    peaks = peak_periods(s)
    daily = s.groupby(s.index.normalize()).sum()
    by_weekday = daily.groupby(daily.index.day_of_week).mean()
    row = peaks[peaks["level"] == "weekday"].iloc[0]
    assert row["peak"] == "Mon" and row["calls"] == pytest.approx(by_weekday[0])
    assert row["peak_to_average"] == pytest.approx(by_weekday[0] / by_weekday.mean())
    assert round(row["peak_to_average"], 3) == 1.120 and row["n_days"] == (daily.index.day_of_week == 0).sum()
    by_week = daily.groupby((daily.index.day - 1) // 7 + 1).mean()
    row = peaks[peaks["level"] == "week_of_month"].iloc[0]
    assert row["peak"] == 1 and row["peak_to_average"] == pytest.approx(by_week[1] / by_week.mean())
    assert round(row["peak_to_average"], 3) == 1.036
    top = s.groupby(s.index.normalize()).idxmax()
    assert list(peaks.loc[peaks["level"] == "interval", "peak"]) == list(top)
    summary = peak_summary(peaks).set_index("level")
    modal = pd.Series(top.dt.strftime("%H:%M")).value_counts()
    assert summary.loc["interval", "peak"] == modal.index[0] == "10:00"
    assert summary.loc["interval", "days_at_peak"] == modal.iloc[0] and summary.loc["interval", "n_days"] == len(top)
    hours = s.groupby(s.index.floor("h")).sum()
    assert summary.loc["hour", "calls"] == pytest.approx(hours.groupby(hours.index.normalize()).max().mean())
    assert summary.loc["weekday", "peak"] == "Mon" and summary.loc["week_of_month", "peak"] == "1 (days 1-7)"


@pytest.mark.parametrize("days", [MIN_DAYS_WEEKDAY - 1, MIN_DAYS_WEEKDAY])
def test_weekday_needs_two_weeks(days):
    s = known_series(end=str(pd.Timestamp("2024-04-01") + pd.Timedelta(days=days) - pd.Timedelta(hours=1)))
    row = peak_periods(s).set_index("level").loc["weekday"]
    if days < MIN_DAYS_WEEKDAY:
        assert row["peak"] is None and np.isnan(row["calls"]) and np.isnan(row["peak_to_average"])
        assert row["n_days"] == days and f"spans {days} day(s)" in row["note"] and "at least 14 days" in row["note"]
    else:
        assert row["peak"] == "Tue" and row["n_days"] == 2 and row["note"] == ""


@pytest.mark.parametrize("days", [MIN_DAYS_WEEK_OF_MONTH - 1, MIN_DAYS_WEEK_OF_MONTH])
def test_week_of_month_needs_about_two_months(days):
    s = known_series(end=str(pd.Timestamp("2024-04-01") + pd.Timedelta(days=days) - pd.Timedelta(hours=1)))
    peaks = peak_periods(s)
    row = peaks.set_index("level").loc["week_of_month"]
    if days < MIN_DAYS_WEEK_OF_MONTH:
        assert row["peak"] is None and np.isnan(row["calls"]) and "at least 56 days" in row["note"]
        text = peak_summary(peaks).set_index("level").loc["week_of_month"]
        assert text["peak"] == "" and text["note"] == row["note"]
    else:  # 1 April to 26 May: days 22-28 of April and 22-26 of May
        assert row["peak"] == 4 and row["n_days"] == 12 and row["note"] == ""


def test_five_days_give_no_monthly_or_weekday_peak(bank_30min):
    """The review's case: a five-day series gave 'week 4, ratio 1.025' from its weekday mix."""
    peaks = peak_periods(bank_30min.loc["2003-10-20":]).set_index("level")
    assert peaks.loc[["weekday", "week_of_month"], "calls"].isna().all()
    assert (peaks.loc[["weekday", "week_of_month"], "n_days"] == 5).all()


def test_peak_summary_refuses_a_series(bank_30min):
    with pytest.raises(TypeError, match=r"peak_summary\(peak_periods\(calls\)\)"):
        peak_summary(bank_30min)


def test_heatmap_and_profile_table():
    s = known_series()
    table = profile_table(s)
    assert table.shape == (24, 7) and table.loc[pd.Timestamp("11:00").time(), "Tue"] == table.max().max()
    ax = heatmap(s)
    assert ax.get_title() == "Mean calls per interval"
    plt.close(ax.figure)
