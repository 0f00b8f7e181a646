"""Rolling-origin backtest on the bundled bank calls: origins, horizons, no leakage, bad methods.

The forecasters here are written in the test, as plain functions
f(history, future_index): a seasonal naive (same half-hour, same weekday, last
time it was open) and a profile of the last eight weeks with an empirical
80 % band. The leakage tests poison every call at and after the origin and
show that nothing the method returns changes.
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import wfm
from wfm.forecast import Backtest, backtest, backtest_origins
from wfm.metrics import forecast_accuracy


def seasonal_naive(history, future_index):
    """Each interval as the same time on the same weekday the last time that weekday was open."""
    last = history.groupby([history.index.day_of_week, history.index.time]).last()
    slots = pd.MultiIndex.from_arrays([future_index.day_of_week, future_index.time])
    return pd.DataFrame({"forecast": last.reindex(slots).to_numpy()}, index=future_index)


def weekday_profile(history, future_index, level=0.8):
    """Mean of the same slot over the last eight weeks, band from its empirical quantiles."""
    recent = history[history.index >= history.index[-1].normalize() - pd.Timedelta(weeks=8)]
    groups = recent.groupby([recent.index.day_of_week, recent.index.time])
    slots = pd.MultiIndex.from_arrays([future_index.day_of_week, future_index.time])
    return pd.DataFrame({
        "forecast": groups.mean().reindex(slots).to_numpy(),
        "lower": groups.quantile((1 - level) / 2).reindex(slots).to_numpy(),
        "upper": groups.quantile((1 + level) / 2).reindex(slots).to_numpy(),
    }, index=future_index)


ORIGINS = pd.to_datetime(["2003-09-29", "2003-10-06", "2003-10-13", "2003-10-20"])


@pytest.fixture(scope="module")
def profile_run(bank_30min):
    """Backtest of the profile forecaster at the default origins. Module scope: read-only."""
    return backtest(weekday_profile, bank_30min, levels=("interval", "hour", "day", "week"))


# ---------------------------------------------------------------- origins and horizons

def test_default_origins_are_the_last_mondays_with_a_full_horizon(bank_30min, profile_run):
    # the record ends Friday 24 Oct 2003: 20 Oct is the last Monday with five open days after it
    assert backtest_origins(bank_30min).equals(pd.DatetimeIndex(ORIGINS, name="origin"))
    assert profile_run.timings.index.equals(pd.DatetimeIndex(ORIGINS, name="origin"))
    assert profile_run.params["origins"] == list(ORIGINS)
    # with ten open days needed, 20 Oct and 13 Oct no longer qualify
    assert backtest_origins(bank_30min, horizon=10, n_origins=2).strftime("%m-%d").tolist() == ["09-29", "10-06"]


def test_horizon_counts_open_days_and_skips_missing_ones(profile_run):
    fc = profile_run.forecasts
    days = fc.groupby("origin")["timestamp"].apply(lambda t: sorted(set(t.dt.strftime("%m-%d"))))
    # 14 Oct 2003 is missing from the record: the 13 Oct horizon runs to Monday 20 Oct
    assert days[pd.Timestamp("2003-10-13")] == ["10-13", "10-15", "10-16", "10-17", "10-20"]
    assert days[pd.Timestamp("2003-10-20")] == ["10-20", "10-21", "10-22", "10-23", "10-24"]
    # 28 half-hours per open day, 07:00 to 20:30
    assert fc.groupby("origin").size().tolist() == [140] * 4


def test_seasonal_naive_by_hand(bank_30min):
    result = backtest(seasonal_naive, bank_30min, origins=["2003-10-20"])
    fc = result.forecasts.set_index("timestamp")
    # Tuesday 21 Oct 09:00 is forecast as Tuesday 7 Oct 09:00 (Tuesday 14 Oct is missing)
    assert fc.loc["2003-10-21 09:00", "forecast"] == bank_30min["2003-10-07 09:00"]
    assert fc.loc["2003-10-20 07:00", "forecast"] == bank_30min["2003-10-13 07:00"]
    assert fc.loc["2003-10-21 09:00", "actual"] == bank_30min["2003-10-21 09:00"]
    assert list(result.forecasts.columns) == ["origin", "timestamp", "actual", "forecast"]


def test_scores_are_forecast_accuracy_of_each_origin(bank_30min, profile_run):
    origin = ORIGINS[1]
    fc = profile_run.forecasts[profile_run.forecasts["origin"] == origin].set_index("timestamp")
    expected = forecast_accuracy(fc["actual"], fc["forecast"], fc["lower"], fc["upper"],
                                 levels=("interval", "hour", "day", "week"),
                                 history=bank_30min[bank_30min.index < origin])
    got = profile_run.scores[profile_run.scores["origin"] == origin].drop(columns="origin")
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected, check_index_type=False)
    assert list(profile_run.scores.columns) == ["origin", "level", "metric", "value"]
    assert profile_run.scores["value"].notna().all()


def test_profile_scores_are_sensible(profile_run, bank_30min):
    mean = profile_run.summary().set_index(["level", "metric"])["value"]
    # an eight-week weekday profile beats the seasonal naive forecast of the same weeks by a clear margin
    naive = backtest("seasonal_naive", bank_30min).summary().set_index(["level", "metric"])["value"]
    assert mean["interval", "wape"] < 0.8 * naive["interval", "wape"]
    assert mean["day", "wape"] < mean["interval", "wape"]
    assert 0.5 < mean["interval", "coverage"] < 0.95
    assert 0 < mean["interval", "mase"] < 1  # beats the naive forecast of the same slot yesterday
    # the band is scored where each period is one interval only
    assert ("hour", "coverage") not in mean.index and ("day", "winkler") not in mean.index
    assert profile_run.summary()["origins"].eq(4).all()
    assert (profile_run.timings >= 0).all() and profile_run.timings.name == "seconds"


def test_summary_scores_every_origins_forecasts_pooled(bank_30min):
    """Review30 item 11: the backtest's WAPE was the mean of per-origin WAPEs and its tracking signal a mean over
    origins. The summary's value is now the metric over every origin's forecasts at once: the origins' windows
    do not overlap, so forecast_accuracy of all of them together is the reference (MASE aside: each origin has
    its own scale). min/max stay per origin; the tracking signal (a running sum within one horizon) stays in
    scores only. Four open days from each Monday: the windows do not overlap (14 Oct is missing)."""
    levels = ("interval", "hour", "day", "week")
    profile_run = backtest(weekday_profile, bank_30min, origins=ORIGINS, horizon=4, levels=levels)
    fc = profile_run.forecasts.set_index("timestamp")
    assert fc.index.is_unique
    pooled = forecast_accuracy(fc["actual"], fc["forecast"], fc["lower"], fc["upper"], levels=levels,
                               week_start=profile_run.params["week_start"]).set_index(["level", "metric"])["value"]
    summary = profile_run.summary().set_index(["level", "metric"])
    assert "tracking_signal" not in summary.index.get_level_values("metric")
    assert "tracking_signal" in set(profile_run.scores["metric"])
    for (level, metric), value in pooled.items():
        if metric in ("tracking_signal", "mase", "mape_excluded"):
            continue
        assert summary.loc[(level, metric), "value"] == pytest.approx(value, rel=1e-12), (level, metric)
    wape = profile_run.scores[profile_run.scores["metric"] == "wape"].groupby("level")["value"]
    for level in levels:
        assert summary.loc[(level, "wape"), "min"] == wape.min()[level]
        assert summary.loc[(level, "wape"), "max"] == wape.max()[level]
        assert profile_run.figures()[f"wape_{level}"] == summary.loc[(level, "wape"), "value"]
    # pooled, not the mean of the per-origin WAPEs (which differ here)
    assert abs(summary.loc[("interval", "wape"), "value"] - wape.mean()["interval"]) > 1e-6
    excluded = profile_run.scores.query("metric == 'mape_excluded' and level == 'interval'")["value"].sum()
    assert summary.loc[("interval", "mape_excluded"), "value"] == excluded


def test_the_headline_and_a_forecast_read_the_pooled_wape(bank_30min, profile_run):
    """One meaning of "backtest WAPE": the headline shows the backtest's pooled WAPE, and a Forecast's in-history
    backtest scores pool its windows' cells the same way (sum |F - A| / sum A, wfm.metrics.wape)."""
    from wfm.forecast._windows import Pairs

    plan = wfm.staffing_plan(bank_30min.loc["2003-10-20":"2003-10-24"], aht=300)
    head = wfm.plan_headline(plan, backtest=profile_run).figures()
    assert head["backtest_wape"] == profile_run.figures()["wape_interval"]
    assert head["backtest_daily_wape"] == profile_run.figures()["wape_day"]
    # window 0: one day of two cells, actual 100 + 100, forecast 110 + 90: WAPE 20 / 200 = 0.1, daily WAPE 0;
    # window 1: two days, actual 10 and 10, forecast 15 and 9: WAPE 6 / 20 = 0.3 (mean of the windows 0.2).
    # Pooled: WAPE 26 / 220, daily WAPE (0 + 6) / 220, bias (0 + 4) / 220.
    pairs = Pairs(actual=np.array([100.0, 100, 10, 10]), forecast=np.array([110.0, 90, 15, 9]),
                  window=np.array([0, 0, 1, 1]), row=np.array([3, 3, 10, 11]))
    got = pairs.scores()
    assert got["wape"] == pytest.approx(26 / 220) and got["daily_wape"] == pytest.approx(6 / 220)
    assert got["bias"] == pytest.approx(4 / 220)


# ---------------------------------------------------------------- no leakage

def test_method_never_sees_the_origin_or_later(bank_30min):
    seen = []

    def spy(history, future_index):
        seen.append((history.index.max(), future_index.min(), len(history)))
        assert history.index.max() < future_index.min()
        return seasonal_naive(history, future_index)

    backtest(spy, bank_30min, origins=[*ORIGINS, "2003-10-15 12:00"])
    assert len(seen) == 5
    for (last_seen, first_future, n), origin in zip(seen, [*ORIGINS[:3], pd.Timestamp("2003-10-15 12:00"),
                                                           ORIGINS[3]]):
        assert last_seen < origin <= first_future
        assert n == (bank_30min.index < origin).sum()


@pytest.mark.parametrize("method", [seasonal_naive, weekday_profile])
def test_poisoned_future_changes_nothing(bank_30min, method):
    clean = backtest(method, bank_30min, origins=ORIGINS)
    for origin in ORIGINS:
        poisoned_calls = bank_30min.copy()
        poisoned_calls[poisoned_calls.index >= origin] = 1e9
        poisoned = backtest(method, poisoned_calls, origins=[origin])
        mine = clean.forecasts[clean.forecasts["origin"] == origin].reset_index(drop=True)
        bands = [c for c in ("forecast", "lower", "upper") if c in mine]
        # the forecast is the same to the last bit ...
        pd.testing.assert_frame_equal(poisoned.forecasts[bands], mine[bands], check_exact=True)
        # ... so scored against the clean actuals it earns the clean scores
        fc = poisoned.forecasts.set_index("timestamp")
        rescored = forecast_accuracy(bank_30min.loc[fc.index], fc[bands],
                                     history=bank_30min[bank_30min.index < origin])
        expected = clean.scores[clean.scores["origin"] == origin].drop(columns="origin").reset_index(drop=True)
        pd.testing.assert_frame_equal(rescored, expected)


def test_method_cannot_change_the_history_it_is_given(bank_30min):
    before = bank_30min.copy()

    def vandal(history, future_index):
        out = seasonal_naive(history, future_index)
        history.iloc[:] = 0.0  # scribbles over its copy
        return out

    vandalised = backtest(vandal, bank_30min, origins=ORIGINS)
    plain = backtest(seasonal_naive, bank_30min, origins=ORIGINS)
    pd.testing.assert_frame_equal(vandalised.forecasts, plain.forecasts)
    pd.testing.assert_series_equal(bank_30min, before)


# ---------------------------------------------------------------- the result object

def test_result_object_presents(profile_run):
    assert isinstance(profile_run, Backtest)
    text = repr(profile_run)
    assert text.startswith("Backtest of weekday_profile: 4 origins (2003-09-29 to 2003-10-20), horizon 5 open days")
    assert "wape" in text and "nan" not in text.lower()
    assert "<table" in profile_run._repr_html_()
    by_slot = profile_run.error_by_time_of_day()
    assert len(by_slot) == 28 and list(by_slot.columns) == ["actual", "error", "mae", "wape"]
    ax = profile_run.plot()
    assert ax.get_title().startswith("Backtest of weekday_profile")
    ax2 = profile_run.plot_error_by_time_of_day()
    assert ax2.get_ylabel() == "calls per interval"
    plt.close("all")


# ---------------------------------------------------------------- bad input

def test_horizon_past_the_history_names_the_origin(bank_30min):
    with pytest.raises(ValueError, match="horizon of 5 open days from origin 2003-10-21 00:00 runs past the "
                                         "history.*4 open day.*ends at 2003-10-24 20:30"):
        backtest(seasonal_naive, bank_30min, origins=["2003-10-06", "2003-10-21"])
    with pytest.raises(ValueError, match="n_origins=40.*only 33 Monday"):
        backtest(seasonal_naive, bank_30min, n_origins=40)


def test_origin_without_history_before_it(bank_30min):
    with pytest.raises(ValueError, match="origin 2003-03-03 00:00 has no history before it"):
        backtest(seasonal_naive, bank_30min, origins=["2003-03-03"])


def test_named_methods_run_through_forecast_volume(bank_30min):
    origin = pd.Timestamp("2003-10-20")
    bt = backtest("seasonal_naive", bank_30min, origins=[origin], horizon=5, level=0.9)
    past = bank_30min[bank_30min.index < origin]
    future = pd.DatetimeIndex(bt.forecasts["timestamp"])
    direct = wfm.forecast_volume(past, future, method="seasonal_naive", level=0.9)
    np.testing.assert_allclose(bt.forecasts["forecast"].to_numpy(), direct["forecast"].to_numpy())
    np.testing.assert_allclose(bt.forecasts["upper"].to_numpy(), direct["upper"].to_numpy())
    with pytest.raises(ValueError, match="method must be one of"):
        backtest("no_such_method", bank_30min, origins=[origin])
    with pytest.raises(TypeError, match="method must be a function"):
        backtest(42, bank_30min)


def _returning(make):
    def method(history, future_index):
        return make(seasonal_naive(history, future_index))
    return method


@pytest.mark.parametrize("make,error,match", [
    (lambda df: df["forecast"], TypeError, "method must return a DataFrame.*got Series at origin 2003-10-20"),
    (lambda df: df.rename(columns={"forecast": "yhat"}), ValueError, "'forecast' column.*'yhat'"),
    (lambda df: df.iloc[:-1], ValueError,
     "future_index and method's output at origin 2003-10-20 00:00 do not align.*2003-10-24 20:30"),
    (lambda df: df.assign(forecast=df["forecast"].where(df.index.hour != 9)), ValueError,
     r"method's forecast at origin 2003-10-20 00:00 must not contain NaN.*positions \[4, 5, 32"),
    (lambda df: df.assign(lower=df["forecast"] + 1, upper=df["forecast"] - 1), ValueError,
     "method's lower at origin 2003-10-20 00:00 must be <= upper"),
    (lambda df: df.assign(lower=df["forecast"]), ValueError, "lower without upper at origin 2003-10-20"),
])
def test_bad_method_output_names_the_origin(bank_30min, make, error, match):
    with pytest.raises(error, match=match):
        backtest(_returning(make), bank_30min, origins=["2003-10-20"])


def test_method_errors_carry_the_origin(bank_30min):
    def broken(history, future_index):
        raise RuntimeError("model did not converge")

    with pytest.raises(RuntimeError, match="did not converge") as err:
        backtest(broken, bank_30min, origins=["2003-10-20"])
    assert "raised by method 'broken' at origin 2003-10-20 00:00" in err.value.__notes__


def test_band_at_some_origins_only(bank_30min):
    def sometimes(history, future_index):
        out = weekday_profile(history, future_index)
        return out if future_index[0].day == 20 else out[["forecast"]]

    with pytest.raises(ValueError, match="lower and upper at origin 2003-10-20.*not at origin 2003-10-13"):
        backtest(sometimes, bank_30min, origins=["2003-10-13", "2003-10-20"])


def test_bad_history(bank_30min):
    calls = bank_30min.copy()
    calls.iloc[[10, 11]] = np.nan
    with pytest.raises(ValueError, match=r"history must not contain NaN.*positions \[10, 11\].*2003-03-03 12:00"):
        backtest(seasonal_naive, calls)
    calls = bank_30min.copy()
    calls.iloc[3] = -1
    with pytest.raises(ValueError, match=r"history must be >= 0 calls.*positions \[3\]"):
        backtest(seasonal_naive, calls)
    with pytest.raises(ValueError, match="history must be sorted"):
        backtest(seasonal_naive, bank_30min.iloc[::-1])
    with pytest.raises(TypeError, match="history must be a Series on a DatetimeIndex"):
        backtest(seasonal_naive, bank_30min.to_frame())
    with pytest.raises(ValueError, match="horizon must be a whole number >= 1 open days"):
        backtest(seasonal_naive, bank_30min, horizon=0)
    with pytest.raises(ValueError, match="origins must not repeat"):
        backtest(seasonal_naive, bank_30min, origins=["2003-10-20", "2003-10-20"])


def test_a_fits_warning_names_its_origin(bank_30min):
    """Review33 item 10: a warning the method gives at one origin was printed as if about the user's history ("history
    is too short ...: it has 14 open day(s)" on a 28-day history). It is given again naming the origin, with the
    method's words after it, once per origin that warned."""
    def noisy(history, future_index):
        import warnings
        warnings.warn(f"saw {len(history)} intervals", UserWarning)
        return seasonal_naive(history, future_index)

    with pytest.warns(UserWarning) as record:
        backtest(noisy, bank_30min, origins=ORIGINS[-2:])
    got = [str(w.message) for w in record if "saw" in str(w.message)]
    assert len(got) == 2
    for message, origin in zip(got, ORIGINS[-2:]):
        assert message.startswith(f"backtest of 'noisy' at origin {origin:%Y-%m-%d %H:%M} (one backtest fit, on the "
                                  "history before that origin only; not your whole history): ")
        assert message.endswith(f"saw {int((bank_30min.index < origin).sum())} intervals")


@pytest.mark.filterwarnings("ignore:column .Avg Handle Time")  # three short AHTs in the export, not read here
def test_a_short_origin_of_the_24x7_example_is_named_as_one():
    """The reviewer's case: the 28-day example, two 7-day origins; the first sees 14 open days, too few for its
    band's own backtest. Every such warning names its origin; none reads as about the 28-day history."""
    from wfm.logs import read_history

    examples = __import__("pathlib").Path(wfm.__file__).parent / "datasets" / "data" / "examples"
    history = read_history(examples / "interval_report_24x7.csv", columns={
        "timestamp": "Interval Start", "calls": "Calls Offered", "answered": "Calls Handled",
        "abandoned": "Abandoned", "aht": "Avg Handle Time (sec)", "answered_within": "Answered within 30s"})["calls"]
    with pytest.warns(UserWarning) as record:
        backtest("topdown", history, horizon=7, n_origins=2)
    short = [str(w.message) for w in record if "too short" in str(w.message)]
    assert short and all(m.startswith("backtest of 'topdown' at origin 2024-06-17 00:00 ") for m in short)
    assert "it has 14 open day(s), Mon 2024-06-03 to Sun 2024-06-16" in short[0]


def test_the_pooled_mean_of_a_slot_never_seen_is_0_without_a_numpy_warning():
    """Review33 item 10: a bare "Mean of empty slice" on short histories came from the pooled mean of the baselines
    (np.nanmean over a slot with no observed value). The mean is now counted out: the same figures, 0 for such a
    slot, no warning."""
    import warnings

    from wfm.forecast.baselines import _pooled_mean

    rng = np.random.default_rng(3)
    values = rng.poisson(20, size=(12, 6)).astype(float)
    values[rng.random(values.shape) < 0.3] = np.nan
    values[:, 2] = np.nan  # a slot never observed
    usable = np.ones(12, dtype=bool)
    usable[[1, 4]] = False
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = _pooled_mean(values, usable, 2)
    rows = np.flatnonzero(usable)[-10:]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = np.nan_to_num(np.nanmean(values[rows], axis=0))
    np.testing.assert_array_equal(got, expected)
    assert got[2] == 0
