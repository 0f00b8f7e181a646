"""`wfm run` writes the peak periods of the history: peaks.csv, a sheet of the workbook and a section of the report,
with the figures of wfm.forecast.peak_periods on the same history, and checked by hand with pandas."""

import html
import re

import numpy as np
import pandas as pd
import pytest

from wfm.forecast import peak_periods, peak_summary


def test_peaks_csv_is_peak_periods_of_the_history(main_run, bank_30min):
    _, out, _ = main_run
    written = pd.read_csv(out / "peaks.csv", keep_default_na=False, na_values=[""])
    expected = peak_summary(peak_periods(bank_30min))
    assert written["queue"].tolist() == ["bank_calls"] * 4
    assert written["level"].tolist() == expected["level"].tolist() == ["interval", "hour", "weekday",
                                                                        "week_of_month"]
    assert written["peak"].tolist() == expected["peak"].tolist() == ["10:00", "10:00", "Mon", "1 (days 1-7)"]
    for col in ("calls", "peak_to_average", "n_days", "days_at_peak"):
        np.testing.assert_allclose(written[col], expected[col], rtol=1e-12, err_msg=col)
    assert len(pd.read_parquet(out / "peaks.parquet")) == 4
    sheet = pd.read_excel(out / "wfm_plan.xlsx", sheet_name="peaks")
    np.testing.assert_allclose(sheet["peak_to_average"], expected["peak_to_average"], rtol=1e-12)


def test_peaks_by_hand(main_run, bank_30min):
    """The busiest weekday and week of the month by pandas groupby on the daily totals, the modal busiest interval by
    idxmax: the review's figures (Mon 1.120, week 1 1.036, 10:00 on 54 days)."""
    _, out, _ = main_run
    written = pd.read_csv(out / "peaks.csv").set_index("level")
    daily = bank_30min.groupby(bank_30min.index.normalize()).sum()
    weekday = daily.groupby(daily.index.day_of_week).mean()
    assert written.loc["weekday", "peak_to_average"] == pytest.approx(weekday.max() / weekday.mean())
    assert round(written.loc["weekday", "peak_to_average"], 3) == 1.120
    week = daily.groupby((daily.index.day - 1) // 7 + 1).mean()
    assert written.loc["week_of_month", "peak_to_average"] == pytest.approx(week.max() / week.mean())
    assert round(written.loc["week_of_month", "peak_to_average"], 3) == 1.036
    busiest = bank_30min.groupby(bank_30min.index.normalize()).idxmax().dt.strftime("%H:%M").value_counts()
    assert busiest.index[0] == written.loc["interval", "peak"] and busiest.iloc[0] == 54
    assert written.loc["interval", "days_at_peak"] == 54 and written.loc["interval", "n_days"] == len(daily)


def test_report_has_the_peaks_section(main_run):
    _, out, _ = main_run
    page = (out / "report.html").read_text()
    headings = re.findall(r"<h2>(.*?)</h2>", page)
    assert headings.index("Peak periods of the history") == headings.index("Forecast") + 1
    section = html.unescape(page.split("<h2>Peak periods of the history</h2>", 1)[1].split("</section>", 1)[0])
    assert "Busiest interval of the day: 10:00, the busiest on 54 of 164 days" in section
    assert "Busiest weekday: Mon" in section and "1.12 times the mean of the weekdays" in section
    assert "Busiest week of the month: 1 (days 1-7)" in section and "1.04 times" in section
