"""Known answers: a pure seasonal series is forecast exactly; level shifts are followed; closed days are closed."""

import numpy as np
import pandas as pd
import pytest

from wfm.calendar import future_intervals
from wfm.forecast import forecast, forecast_volume

from .conftest import seasonal_values, weekday_index


@pytest.mark.parametrize("method", ["seasonal_naive", "window_average", "topdown"])
def test_pure_seasonal_series_is_forecast_exactly(method, seasonal_history):
    future = future_intervals(seasonal_history, days=5)
    out = forecast_volume(seasonal_history, future, method=method)
    np.testing.assert_allclose(out["forecast"], seasonal_values(future), rtol=1e-9)


@pytest.mark.parametrize(("method", "rtol"), [("ets", 0.02), ("mstl", 0.04)])
def test_statsmodels_methods_reproduce_a_pure_season(method, rtol, seasonal_history):
    """MSTL's seasons are additive (daily + weekly) while the pattern is weekday x shape: within 4%, not exact."""
    future = future_intervals(seasonal_history, days=5)
    out = forecast_volume(seasonal_history, future, method=method)
    np.testing.assert_allclose(out["forecast"], seasonal_values(future), rtol=rtol)


def test_pure_season_with_a_holiday_stays_aligned(seasonal_history):
    """A closed day is a day without data, not a shift of the weekly season (the regular grid keeps it)."""
    hist = seasonal_history[seasonal_history.index.normalize() != pd.Timestamp("2024-01-24")]
    future = future_intervals(hist, days=5)
    for method in ("seasonal_naive", "topdown", "ets"):
        out = forecast_volume(hist, future, method=method)
        np.testing.assert_allclose(out["forecast"], seasonal_values(future), rtol=0.02, err_msg=method)


@pytest.mark.parametrize("method", ["topdown", "window_average", "seasonal_naive"])
def test_level_shift_is_followed(method):
    """Volume steps up 50% four weeks before the end: the adaptive forecasts follow it."""
    index = weekday_index(weeks=14)
    base = seasonal_values(index)
    step = np.where(index >= index[-1] - pd.Timedelta(days=27), 1.5, 1.0)
    history = pd.Series(base * step, index=index)
    future = future_intervals(history, days=5)
    out = forecast_volume(history, future, method=method)
    ratio = out["forecast"].sum() / (1.5 * seasonal_values(future).sum())
    assert ratio == pytest.approx(1.0, abs=0.03)


def test_outage_is_not_learned_as_a_new_level(bank_30min):
    """The partial outage of Friday 26 September 2003 (20:00-21:00) does not drag the next week down."""
    history = bank_30min[bank_30min.index < "2003-09-27"]
    future = future_intervals(history, days=5)
    out = forecast_volume(history, future, method="topdown")
    actual = bank_30min.reindex(future)
    assert abs(out["forecast"].sum() / actual.sum() - 1) < 0.05
    evening = future[(future.hour >= 20)]
    # the evening profile is robust to the outage: within 15% of what arrived
    assert abs(out.loc[evening, "forecast"].sum() / actual[evening].sum() - 1) < 0.15


def test_day_after_a_closure_gets_the_backlog(bank_30min):
    """Labor Day 2003: Tuesday 2 September is forecast above an ordinary Tuesday."""
    history = bank_30min[bank_30min.index < "2003-09-01"]
    future = bank_30min.index[(bank_30min.index >= "2003-09-02") & (bank_30min.index < "2003-09-09")]
    out = forecast_volume(history, future, method="topdown")
    daily = out["forecast"].groupby(out.index.normalize()).sum()
    tuesday_after = daily[pd.Timestamp("2003-09-02")]
    history_tuesdays = history[history.index.day_of_week == 1]
    ordinary = history_tuesdays.groupby(history_tuesdays.index.normalize()).sum().iloc[-4:].mean()
    assert tuesday_after > ordinary


def test_special_day_factor_and_closure():
    index = weekday_index(weeks=6)
    history = pd.Series(seasonal_values(index), index=index)
    special = {"2024-02-12": 1.5, "2024-02-13": "closed"}
    future = future_intervals(history, days=4, special_days=special)
    assert not (future.normalize() == pd.Timestamp("2024-02-13")).any()
    out = forecast_volume(history, future, method="topdown", special_days=special)
    monday = out.loc[future.normalize() == pd.Timestamp("2024-02-12"), "forecast"]
    expected = seasonal_values(monday.index)
    np.testing.assert_allclose(monday, 1.5 * expected, rtol=1e-6)


def test_auto_reports_choice_and_scores(bank_forecast):
    assert bank_forecast.method == "topdown"
    scores = bank_forecast.scores.set_index("method")
    assert {"topdown", "topdown_trend", "weighted_average"} <= set(scores.index)
    assert scores.loc["topdown", "wape"] < scores.loc["weighted_average", "wape"]
    # the band is calibrated on the backtest: it covers the level there
    assert scores.loc["topdown", "coverage"] == pytest.approx(0.8, abs=0.03)


def test_interval_band_covers_about_level_out_of_sample(bank_30min):
    """Coverage of the 80% band over four later weeks of the bank, each forecast from the weeks before."""
    hits = []
    for origin in ["2003-09-15", "2003-09-22", "2003-10-06", "2003-10-20"]:
        history = bank_30min[bank_30min.index < origin]
        future = bank_30min.index[(bank_30min.index >= origin)][:140]
        out = forecast_volume(history, future, method="topdown")
        actual = bank_30min[future]
        hits.append(((actual >= out["lower"]) & (actual <= out["upper"])).mean())
    assert 0.7 <= np.mean(hits) <= 0.92


def test_forecast_with_candidates_and_statsmodels(seasonal_history):
    future = future_intervals(seasonal_history, days=2)
    out = forecast(seasonal_history, future, candidates=["topdown", "mstl"], n_windows=2)
    # both candidates, and their equal-weight combination, scored on the same windows
    assert set(out.scores["method"]) == {"topdown", "mstl", "topdown+mstl"}
    scores = out.scores.set_index("method")["wape"]
    assert out.method == scores.idxmin()


def test_combination_takes_one_method_of_each_family(seasonal_history):
    """Top-down and top-down with a damped trend are one family: never averaged with each other."""
    future = future_intervals(seasonal_history, days=2)
    out = forecast(seasonal_history, future, candidates=["topdown", "topdown_trend", "mstl"], n_windows=2)
    combos = [m for m in out.scores["method"] if "+" in m]
    assert len(combos) == 1
    parts = set(combos[0].split("+"))
    assert "mstl" in parts and len(parts & {"topdown", "topdown_trend"}) == 1
    # the better-scoring of the two top-down variants is the one combined with MSTL
    scores = out.scores.set_index("method")["wape"]
    assert (parts - {"mstl"}).pop() == scores[["topdown", "topdown_trend"]].idxmin()
    # with only the one family there is nothing to combine
    same = forecast(seasonal_history, future, candidates=["topdown", "topdown_trend"], n_windows=2)
    assert set(same.scores["method"]) == {"topdown", "topdown_trend"}


def test_24_7_time_zone_aware_across_a_dst_change():
    """A 24/7 centre in London, forecast over the spring change (46 half-hours on 31 March 2024)."""
    start = pd.Timestamp("2024-02-26", tz="Europe/London")
    index = pd.date_range(start, pd.Timestamp("2024-03-25", tz="Europe/London"), freq="30min", inclusive="left")
    rng = np.random.default_rng(11)
    wall = index.tz_localize(None)
    mean = 50 * (1.2 + np.sin(np.pi * np.asarray(wall.hour) / 24) ** 2) * np.where(wall.day_of_week >= 5, 0.5, 1)
    history = pd.Series(rng.poisson(mean).astype(float), index=index)
    future = future_intervals(history, days=7)
    out = forecast_volume(history, future)
    on_change_day = future.tz_localize(None).normalize() == pd.Timestamp("2024-03-31")
    assert on_change_day.sum() == 46 and out.index.equals(future)
    assert np.isfinite(out.to_numpy()).all() and (out["forecast"] > 0).all()
    # the local 09:00 of the change day is forecast like a Sunday 09:00, not shifted by the lost hour
    sunday_9 = history[(wall.day_of_week == 6) & (wall.hour == 9) & (wall.minute == 0)].mean()
    assert out.loc[future[on_change_day & (future.hour == 9) & (future.minute == 0)], "forecast"].item() == \
        pytest.approx(sunday_9, rel=0.25)


def test_weighted_average_weighs_each_week_by_decay_to_the_power_of_its_age():
    """Week k back (k = 1, 2, ...) of a series whose every value in week j is j: the weighted mean by hand."""
    index = weekday_index(weeks=5)
    week_no = ((index.normalize() - index[0].normalize()).days // 7 + 1).to_numpy()
    history = pd.Series(week_no.astype(float), index=index)
    future = future_intervals(history, days=5)
    # weeks 5, 4, 3 back from the future weigh 1, 0.8, 0.64: (5 + 0.8 * 4 + 0.64 * 3) / 2.44
    out = forecast_volume(history, future, method="window_average", weeks=3, decay=0.8)
    np.testing.assert_allclose(out["forecast"], (5 + 3.2 + 1.92) / 2.44, rtol=1e-12)
    # the default weighted average, 12 weeks at 0.8, over the 5 weeks there are
    out = forecast_volume(history, future, method="weighted_average")
    w = 0.8 ** np.arange(5)
    np.testing.assert_allclose(out["forecast"], (w * np.arange(5, 0, -1)).sum() / w.sum(), rtol=1e-12)
    # decay 1 is the plain mean
    plain = forecast_volume(history, future, method="window_average", weeks=3)
    np.testing.assert_allclose(plain["forecast"], 4.0, rtol=1e-12)
    assert np.array_equal(forecast_volume(history, future, method="window_average", weeks=3, decay=1.0)["forecast"],
                          plain["forecast"])


def test_weighted_average_skips_a_missing_interval_and_takes_the_week_before():
    """A slot missing in the last week: its weights go to the last ``weeks`` weeks it was observed."""
    index = weekday_index(weeks=5)
    week_no = ((index.normalize() - index[0].normalize()).days // 7 + 1).to_numpy()
    history = pd.Series(week_no.astype(float), index=index)
    gap = pd.Timestamp("2024-01-29 09:00")  # Monday of week 5, 09:00
    history = history.drop(gap)
    future = future_intervals(history, days=5)
    out = forecast_volume(history, future, method="window_average", weeks=2, decay=0.5,
                          open_hours=("08:00", "12:00"))["forecast"]
    monday_9 = pd.Timestamp("2024-02-05 09:00")
    assert out[monday_9] == pytest.approx((4 + 0.5 * 3) / 1.5, rel=1e-12)
    assert out[pd.Timestamp("2024-02-05 10:00")] == pytest.approx((5 + 0.5 * 4) / 1.5, rel=1e-12)


@pytest.mark.parametrize(("options", "match"), [({"decay": 0.0}, "decay"), ({"decay": 1.5}, "decay"),
                                                ({"weeks": 0}, "weeks")])
def test_weighted_average_options_are_checked(options, match, seasonal_history):
    future = future_intervals(seasonal_history, days=5)
    with pytest.raises(ValueError, match=match):
        forecast_volume(seasonal_history, future, method="weighted_average", **options)
    with pytest.raises(ValueError, match=match):  # auto hands them to every candidate: checked once, first
        forecast_volume(seasonal_history, future, **options)
