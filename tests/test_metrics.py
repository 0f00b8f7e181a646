"""Accuracy metrics: hand-computed small cases, levels, properties and bad input.

Evidence (STYLE.md section 7):
1. Hand-computed cases: every expected number below is written out from the
   metric's formula, with the arithmetic in a comment.
2. Cross-checks: forecast_accuracy at a coarser level equals the metric
   functions applied to series summed by hand; winkler = 4 / (1 - level) * pinball.
3. Properties with hypothesis: WAPE does not change when both series are
   scaled, coverage stays in [0, 1], the sign of bias follows over- and
   under-forecasting, a perfect forecast has zero error, and daily WAPE never
   exceeds interval WAPE.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from wfm import metrics as acc
from wfm.metrics import (
    aggregate,
    bias,
    coverage,
    forecast_accuracy,
    mae,
    mape,
    mase,
    pinball,
    rmse,
    smape,
    tracking_signal,
    wape,
    width,
    winkler,
)


@pytest.fixture
def quad():
    """Four half-hours, the third without calls. Function scope: tests may change the series they get."""
    idx = pd.date_range("2024-01-01 08:00", periods=4, freq="30min")
    actual = pd.Series([100.0, 120.0, 0.0, 80.0], index=idx)
    forecast = pd.Series([110.0, 115.0, 5.0, 85.0], index=idx)  # errors F - A: +10, -5, +5, +5
    lower = pd.Series([90.0, 110.0, 2.0, 80.0], index=idx)
    upper = pd.Series([110.0, 120.0, 9.0, 95.0], index=idx)
    return actual, forecast, lower, upper


def _table(frame):
    return {(lev, m): val for lev, m, val in frame.itertuples(index=False)}


# ---------------------------------------------------------------- hand-computed point metrics

def test_point_metrics_by_hand(quad):
    a, f, _, _ = quad
    # |errors| = 10, 5, 5, 5 -> 25; sum A = 300
    assert wape(a, f) == pytest.approx(25 / 300, rel=1e-15)
    # the zero actual is left out: (10/100 + 5/120 + 5/80) / 3 = (0.1 + 0.041667 + 0.0625) / 3
    assert mape(a, f) == pytest.approx((0.1 + 5 / 120 + 0.0625) / 3, rel=1e-15)
    # 2|e| / (|A| + |F|): 20/210, 10/235, 10/5 = 2 (A = 0), 10/165; mean of four
    assert smape(a, f) == pytest.approx((20 / 210 + 10 / 235 + 2 + 10 / 165) / 4, rel=1e-15)
    # sqrt((100 + 25 + 25 + 25) / 4) = sqrt(43.75)
    assert rmse(a, f) == pytest.approx(np.sqrt(43.75), rel=1e-15)
    # 25 / 4
    assert mae(a, f) == 6.25
    # sum(F - A) = 10 - 5 + 5 + 5 = 15 on 300 calls: over-forecast by 5 %
    assert bias(a, f) == pytest.approx(0.05, rel=1e-15)
    # 15 / 6.25
    assert tracking_signal(a, f) == pytest.approx(2.4, rel=1e-15)


def test_mase_by_hand(quad):
    a, f, _, _ = quad
    # no history: scale on actual with lag 1: |120-100|, |0-120|, |80-0| = 20, 120, 80 -> 220/3
    assert mase(a, f, season=1) == pytest.approx(6.25 / (220 / 3), rel=1e-15)
    # lag 2 on actual: |0-100|, |80-120| = 100, 40 -> 70
    assert mase(a, f, season=2) == pytest.approx(6.25 / 70, rel=1e-15)
    # on a history 10, 20, 30, 20 with lag 1: 10, 10, 10 -> 10; forecast MAE 6.25
    assert mase(a, f, season=1, history=[10, 20, 30, 20]) == pytest.approx(0.625, rel=1e-15)


def test_mase_on_a_constant_series():
    # the seasonal naive forecast of a constant series is perfect, so the scale is 0:
    # any error is infinitely worse than it, no error at all scores 0
    assert mase([50, 50, 50], [50, 52, 50], season=1) == np.inf
    assert mase([50, 50, 50], [50, 50, 50], season=1) == 0.0
    assert mase([40, 60], [41, 59], season=2, history=[50.0] * 6) == np.inf


def test_mase_needs_more_history_than_season():
    with pytest.raises(ValueError, match="history to hold more than season=4 intervals.*got 4"):
        mase([1, 2], [1, 2], season=4, history=[1, 2, 3, 4])
    with pytest.raises(ValueError, match="actual to hold more than season=2"):
        mase([1, 2], [1, 2], season=2)


def test_zero_actual_interval():
    # only the middle interval has calls: MAPE = |12 - 10| / 10 over one interval
    assert mape([0, 10, 0], [3, 12, 0]) == pytest.approx(0.2)
    # sMAPE: 2*3/3 = 2 for (0, 3), 2*2/22 for (10, 12), 0 for (0, 0): (2 + 0.181818 + 0) / 3
    assert smape([0, 10, 0], [3, 12, 0]) == pytest.approx((2 + 4 / 22) / 3, rel=1e-15)
    table = _table(forecast_accuracy(pd.Series([0.0, 10.0, 0.0]), [3.0, 12.0, 0.0],
                                     levels="interval", season=1))
    assert table["interval", "mape_excluded"] == 2
    assert table["interval", "mape"] == pytest.approx(0.2)


def test_all_zero_actuals():
    # WAPE and bias divide by sum A = 0: a perfect forecast scores 0, any other +-inf, never NaN
    assert wape([0, 0], [0, 0]) == 0.0
    assert wape([0, 0], [1, 0]) == np.inf
    assert bias([0, 0], [1, 0]) == np.inf
    assert bias([0, 0], [-1, 0]) == -np.inf
    assert width([0, 0], [0, 0], [2, 2]) == np.inf
    with pytest.raises(ValueError, match="mape is undefined: actual is 0 at all 2 intervals"):
        mape([0, 0], [1, 0])
    frame = forecast_accuracy(pd.Series([0.0, 0.0]), [1.0, 0.0], levels="interval", season=1)
    table = _table(frame)
    assert ("interval", "mape") not in table  # left out, not NaN
    assert table["interval", "mape_excluded"] == 2
    assert frame["value"].notna().all()


def test_perfect_forecast_scores_zero(quad):
    a, _, _, _ = quad
    frame = forecast_accuracy(a, a, a, a, levels=["interval", "hour", "day", "week"], season=1)
    table = _table(frame)
    for lev in ("interval", "hour", "day", "week"):
        for m in ("wape", "mape", "smape", "rmse", "mae", "bias", "tracking_signal"):
            assert table[lev, m] == 0.0, (lev, m)
    for lev in ("interval", "hour"):
        assert table[lev, "mase"] == 0.0
    # a band of zero width around a perfect forecast covers everything at no cost
    assert table["interval", "coverage"] == 1.0
    assert table["interval", "width"] == table["interval", "pinball"] == table["interval", "winkler"] == 0.0


# ---------------------------------------------------------------- hand-computed band metrics

def test_band_metrics_by_hand(quad):
    a, _, lo, up = quad
    # inside: 100 in [90, 110], 120 in [110, 120] (closed), 80 in [80, 95]; 0 below [2, 9] -> 3/4
    assert coverage(a, lo, up) == 0.75
    # widths 20, 10, 7, 15 -> mean 13; mean actual 300/4 = 75
    assert width(a, lo, up) == pytest.approx(13 / 75, rel=1e-15)
    # level 0.8: tau 0.1 for lower, 0.9 for upper; rho(u) = max(tau u, (tau - 1) u), u = A - q
    # lower: u = 10, 10, -2, 0 -> 1, 1, 1.8, 0 -> mean 0.95
    # upper: u = -10, 0, -9, -15 -> 1, 0, 0.9, 1.5 -> mean 0.85; average (0.95 + 0.85) / 2
    assert pinball(a, lo, up, level=0.8) == pytest.approx(0.9, rel=1e-14)
    # widths 20, 10, 7, 15, plus 2/0.2 * (2 - 0) = 20 for the miss below -> (20 + 10 + 27 + 15) / 4
    assert winkler(a, lo, up, level=0.8) == pytest.approx(18.0, rel=1e-15)
    # a 50 % band: penalty 2/0.5 = 4 per call -> (20 + 10 + 7 + 8 + 15) / 4
    assert winkler(a, lo, up, level=0.5) == pytest.approx(15.0, rel=1e-15)


# ---------------------------------------------------------------- the tidy table and its levels

def test_table_shape_and_order(quad):
    a, f, lo, up = quad
    frame = forecast_accuracy(a, f, lo, up, levels=("interval", "hour"), season=1)
    assert list(frame.columns) == ["level", "metric", "value"]
    assert frame["metric"][frame["level"] == "interval"].tolist() == list(acc.POINT_METRICS + acc.BAND_METRICS)
    # the band rows stop where a period sums several intervals
    assert frame["metric"][frame["level"] == "hour"].tolist() == list(acc.POINT_METRICS)
    assert frame["value"].notna().all()


def test_levels_aggregate_first_then_score():
    # Friday and Monday, two intervals a day: the week level splits them
    idx = pd.DatetimeIndex(["2024-01-05 09:00", "2024-01-05 09:30", "2024-01-08 09:00", "2024-01-08 09:30"])
    a = pd.Series([10.0, 30.0, 20.0, 20.0], index=idx)
    f = pd.Series([20.0, 20.0, 25.0, 20.0], index=idx)
    table = _table(forecast_accuracy(a, f, levels=["interval", "hour", "day", "week"], season=1))
    # interval: |10| + |10| + |5| + 0 = 25 on 80
    assert table["interval", "wape"] == pytest.approx(25 / 80)
    # hour = day here: Fri 40 vs 40, Mon 40 vs 45 -> 5 / 80; the Friday errors cancel
    assert table["hour", "wape"] == table["day", "wape"] == pytest.approx(5 / 80)
    # week of 1 Jan: 40 vs 40, week of 8 Jan: 40 vs 45
    assert table["week", "wape"] == pytest.approx(5 / 80)
    # day RMSE: sqrt((0 + 25) / 2)
    assert table["day", "rmse"] == pytest.approx(np.sqrt(12.5))
    # day MASE with the natural season (one week of open days = 1 here, the most common count) on actual:
    # daily 40, 40 -> naive scale 0 -> inf
    assert table["day", "mase"] == np.inf


def test_coarse_levels_match_metrics_on_summed_series(bank_30min):
    hist = bank_30min[:"2003-10-10"]
    week = bank_30min["2003-10-13":"2003-10-17"]
    f = week.shift(1).bfill() * 1.03
    table = _table(forecast_accuracy(week, f, levels=["interval", "hour", "day", "week"], history=hist))
    for lev, lag in (("interval", 28), ("hour", 14), ("day", 5), ("week", 1)):
        da, df, dh = aggregate(week, lev), aggregate(f, lev), aggregate(hist, lev)
        assert table[lev, "wape"] == pytest.approx(wape(da, df), rel=1e-12)
        assert table[lev, "bias"] == pytest.approx(bias(da, df), rel=1e-12)
        # the default season is a day of intervals or hours, a week of days, the previous week
        assert table[lev, "mase"] == pytest.approx(mase(da, df, season=lag, history=dh), rel=1e-12)
    # an explicit season of one week (140 half-hours) is 70 hours, 5 days and 1 week
    weekly = _table(forecast_accuracy(week, f, levels=["interval", "hour", "day", "week"], history=hist,
                                      season=140))
    for lev, lag in (("interval", 140), ("hour", 70), ("day", 5), ("week", 1)):
        da, df, dh = aggregate(week, lev), aggregate(f, lev), aggregate(hist, lev)
        assert weekly[lev, "mase"] == pytest.approx(mase(da, df, season=lag, history=dh), rel=1e-12)


def test_hourly_data_keep_the_band_at_hour_level():
    idx = pd.date_range("2024-01-01 08:00", periods=6, freq="h")
    a = pd.Series([10.0, 12, 14, 9, 8, 11], index=idx)
    frame = forecast_accuracy(a, a + 1, a - 2, a + 2, levels=["hour", "day"])
    table = _table(frame)
    assert table["hour", "coverage"] == 1.0
    assert ("day", "coverage") not in table


def test_forecast_frame_supplies_the_band(quad):
    a, f, lo, up = quad
    frame = pd.DataFrame({"forecast": f, "lower": lo, "upper": up})
    pd.testing.assert_frame_equal(forecast_accuracy(a, frame, levels="interval", season=1),
                                  forecast_accuracy(a, f, lo, up, levels="interval", season=1))


def test_time_zones_and_aggregate(quad):
    a, f, _, _ = quad
    aware = forecast_accuracy(a.tz_localize("America/New_York"), f.tz_localize("America/New_York"),
                              levels=["day", "week"])
    naive = forecast_accuracy(a, f, levels=["day", "week"])
    pd.testing.assert_frame_equal(aware, naive)
    assert aggregate(a, "day").tolist() == [300.0]


# ---------------------------------------------------------------- properties

# calls per interval: zero or at least 1e-6 (subnormal floats are no call counts and lose digits when scaled)
counts = st.lists(st.one_of(st.just(0.0), st.floats(1e-6, 5000)), min_size=2, max_size=40)
PROPS = settings(max_examples=60, deadline=None)


@PROPS
@given(counts, st.floats(0.01, 100), st.integers(0, 2**31 - 1))
def test_wape_invariant_to_scaling_both(actual, scale, seed):
    a = np.array(actual)
    assume(a.sum() > 0)
    f = a * np.random.default_rng(seed).uniform(0.5, 1.5, a.size)
    assert wape(a * scale, f * scale) == pytest.approx(wape(a, f), rel=1e-9)


@PROPS
@given(counts, st.integers(0, 2**31 - 1))
def test_coverage_in_unit_interval(actual, seed):
    rng = np.random.default_rng(seed)
    a = np.array(actual)
    lo = a * rng.uniform(0.5, 1.2, a.size) - rng.uniform(0, 10, a.size)
    up = lo + rng.uniform(0, 50, a.size)
    c = coverage(a, lo, up)
    assert 0.0 <= c <= 1.0
    assert c == np.mean((a >= lo) & (a <= up))


@PROPS
@given(counts, st.integers(0, 2**31 - 1))
def test_bias_sign_follows_over_and_under_forecasting(actual, seed):
    a = np.array(actual)
    extra = np.random.default_rng(seed).uniform(0, 20, a.size)
    extra[0] += 1  # at least one strictly over
    assert bias(a, a + extra) > 0
    assert tracking_signal(a, a + extra) > 0
    under = np.maximum(a - extra, 0)
    assume((under < a).any())
    assert bias(a, under) < 0
    assert tracking_signal(a, under) < 0


@PROPS
@given(counts)
def test_perfect_forecast_has_zero_error(actual):
    a = np.array(actual)
    for metric in (wape, smape, rmse, mae, bias, tracking_signal):
        assert metric(a, a) == 0.0
    assert mase(a, a, season=1) == 0.0
    if (a > 0).any():
        assert mape(a, a) == 0.0


@PROPS
@given(counts, st.integers(0, 2**31 - 1), st.floats(0.05, 0.99))
def test_winkler_is_scaled_pinball(actual, seed, level):
    rng = np.random.default_rng(seed)
    a = np.array(actual)
    lo = a + rng.normal(0, 30, a.size)
    up = lo + rng.uniform(0, 60, a.size)
    assert winkler(a, lo, up, level=level) == pytest.approx(4 / (1 - level) * pinball(a, lo, up, level=level),
                                                           rel=1e-9, abs=1e-9)


@PROPS
@given(st.lists(st.floats(0, 5000, allow_nan=False), min_size=8, max_size=8), st.integers(0, 2**31 - 1))
def test_daily_wape_never_exceeds_interval_wape(actual, seed):
    # |sum of errors| <= sum of |errors| on the same denominator
    idx = pd.date_range("2024-01-01 08:00", periods=4, freq="h").append(
        pd.date_range("2024-01-02 08:00", periods=4, freq="h"))
    a = pd.Series(actual, index=idx)
    assume(a.sum() > 0)
    f = a + np.random.default_rng(seed).normal(0, 50, 8)
    table = _table(forecast_accuracy(a, f, levels=["interval", "day"], season=1))
    assert table["day", "wape"] <= table["interval", "wape"] * (1 + 1e-12)


# ---------------------------------------------------------------- bad input

def test_misaligned_indexes_name_the_first_mismatching_timestamps(quad):
    a, f, _, _ = quad
    with pytest.raises(ValueError, match="actual and forecast do not align.*actual has 4 intervals from "
                                         "2024-01-01 08:00, forecast has 3.*missing from forecast: 2024-01-01 09:30"):
        wape(a, f.iloc[:3])
    shifted = f.copy()
    shifted.index = f.index + pd.Timedelta("30min")
    with pytest.raises(ValueError, match="missing from forecast: 2024-01-01 08:00.*forecast not in actual: "
                                         "2024-01-01 10:00"):
        forecast_accuracy(a, shifted)
    with pytest.raises(ValueError, match="different order, first at position 0"):
        mae(a, f.iloc[::-1])
    with pytest.raises(ValueError, match="actual and lower do not align"):
        coverage(a, a.iloc[1:], a)
    with pytest.raises(ValueError, match="actual and forecast do not align: actual has 3, forecast has 2"):
        wape([1, 2, 3], [1, 2])


def test_nan_is_named_with_positions(quad):
    a, f, lo, up = quad
    a = a.copy()
    a.iloc[2] = np.nan
    with pytest.raises(ValueError, match=r"actual must not contain NaN.*positions \[2\].*2024-01-01 09:00"):
        forecast_accuracy(a, f)
    f = f.copy()
    f.iloc[[1, 3]] = np.nan
    with pytest.raises(ValueError, match=r"forecast must not contain NaN.*2 of 4 intervals, positions \[1, 3\]"):
        wape(quad[0], f)
    with pytest.raises(ValueError, match="forecast must be finite"):
        wape([1, 2], [1, np.inf])


def test_negative_actuals(quad):
    a, f, _, _ = quad
    a = a.copy()
    a.iloc[1] = -4
    with pytest.raises(ValueError, match=r"actual must be >= 0 calls; got -4.0.*positions \[1\].*08:30"):
        wape(a, f)


def test_lower_above_upper(quad):
    a, f, lo, up = quad
    with pytest.raises(ValueError, match=r"lower must be <= upper.*positions \[0, 1, 2, 3\].*swapped"):
        forecast_accuracy(a, f, up + 1, lo)
    with pytest.raises(ValueError, match="lower and upper make one band.*lower without upper"):
        forecast_accuracy(a, f, lo)


@pytest.mark.parametrize("kwargs,match", [
    (dict(level=80), "level must be a fraction.*Did you mean 0.80"),
    (dict(level=1.0), "level must be a fraction in \\(0, 1\\)"),
    (dict(levels=("interval", "month")), "levels must be among.*'month'"),
    (dict(levels=("day", "day")), "levels must not repeat"),
    (dict(levels=()), "levels must name at least one"),
    (dict(season=0), "season must be a whole number >= 1"),
    (dict(season=2.5), "season must be a whole number"),
])
def test_bad_options(quad, kwargs, match):
    a, f, lo, up = quad
    with pytest.raises(ValueError, match=match):
        forecast_accuracy(a, f, lo, up, **kwargs)


def test_plain_arrays_need_interval_level_and_season():
    with pytest.raises(TypeError, match="actual must be a Series on a DatetimeIndex"):
        forecast_accuracy([1.0, 2.0], [1.0, 2.0], levels=("day",))
    with pytest.raises(ValueError, match="season is required"):
        forecast_accuracy([1.0, 2.0], [1.0, 2.0], levels="interval")
    with pytest.raises(ValueError, match="forecast DataFrame needs a 'forecast' column"):
        forecast_accuracy(pd.Series([1.0]), pd.DataFrame({"yhat": [1.0]}), levels="interval", season=1)


def test_empty_and_two_dimensional_input():
    with pytest.raises(ValueError, match="actual must hold at least one interval"):
        wape([], [])
    with pytest.raises(ValueError, match="actual must be one-dimensional"):
        wape([[1, 2], [3, 4]], [[1, 2], [3, 4]])


def test_week_level_honours_week_start():
    """Sunday-Thursday weeks: summed by hand, a Sunday belongs to the week it opens, not the Monday week before."""
    from wfm.metrics import aggregate

    days = pd.date_range("2024-01-07 09:00", periods=12, freq="D")  # Sun 7 .. Thu 18 January
    days = days[days.day_of_week.isin([6, 0, 1, 2, 3])]  # Sunday to Thursday
    actual = pd.Series(np.arange(1.0, len(days) + 1), index=days)
    weeks = aggregate(actual, "week", week_start="SUN")
    assert weeks.index.tolist() == [pd.Timestamp("2024-01-07"), pd.Timestamp("2024-01-14")]
    assert weeks.tolist() == [1 + 2 + 3 + 4 + 5, 6 + 7 + 8 + 9 + 10]
    forecast = actual.copy()
    forecast.iloc[0] += 5  # one error on the first Sunday
    table = forecast_accuracy(actual, forecast, levels=["week"], season=1, week_start="SUN")
    wape = table.set_index("metric")["value"]["wape"]
    assert wape == pytest.approx(5 / actual.sum())
    # with Monday weeks the two Sundays open their own (Monday-labelled) weeks: three weeks
    assert len(aggregate(actual, "week", week_start="MON")) == 3
    with pytest.raises(ValueError, match="week_start"):
        forecast_accuracy(actual, forecast, levels=["week"], week_start="XYZ")
