"""Reforecast: known answers (the ratio methods, the credibility formula), the Gaussian conditional against a
slow reference, the fit on data drawn from the model, band calibration, bad input, the results contract."""

import re
import numpy as np
import pandas as pd
import pytest

import wfm
from wfm.intraday import Reforecast, reforecast, reforecast_queues
from wfm.intraday import _model


def _day(date, values, step="30min", start="07:00"):
    idx = pd.date_range(f"{date} {start}", periods=len(values), freq=step)
    return pd.Series(np.asarray(values, dtype=float), index=idx)


@pytest.fixture(scope="module")
def toy():
    """Ten past days and today, 20 half-hours each, drawn from the model (seeded); read-only."""
    rng = np.random.default_rng(7)
    f = 100 + 50 * np.sin(np.linspace(0, np.pi, 20))
    frames = []
    for d in pd.date_range("2024-03-04", periods=10, freq="D"):
        level = np.exp(rng.normal(0, 0.08))
        a = rng.poisson(f * level)
        frames.append(pd.DataFrame({"forecast": f, "actual": a}, index=_day(d.date(), f).index))
    history = pd.concat(frames)
    today = _day("2024-03-14", f).rename("forecast").to_frame()
    actual = _day("2024-03-14", np.round(f * 1.2)).iloc[:6]
    return history, today, actual, f


def test_ratio_scales_the_rest_by_the_morning_ratio(toy):
    history, today, actual, f = toy
    rf = reforecast(today, actual, history, method="ratio")
    ratio = actual.sum() / f[:6].sum()
    np.testing.assert_allclose(rf.table["reforecast"].to_numpy()[6:], f[6:] * ratio)
    np.testing.assert_array_equal(rf.table["reforecast"].to_numpy()[:6], actual.to_numpy())
    assert rf.table["observed"].sum() == 6
    half = reforecast(today, actual, history, method="shrunk_ratio", weight=0.5)
    np.testing.assert_allclose(half.table["reforecast"].to_numpy()[6:], f[6:] * (1 + 0.5 * (ratio - 1)))


def test_shrunk_ratio_weight_is_least_squares_through_one(toy):
    history, today, actual, f = toy
    rf = reforecast(today, actual, history, method="shrunk_ratio")
    h = history["actual"].to_numpy().reshape(10, 20)
    x = h[:, :6].sum(1) / f[:6].sum() - 1
    y = h[:, 6:].sum(1) / f[6:].sum() - 1
    assert rf.params["weight"] == pytest.approx(np.clip((x * y).sum() / (x * x).sum(), 0, 1))


def test_conditional_matches_a_slow_reference():
    """The batched conditional mean and variance against explicit inverses, day by day."""
    rng = np.random.default_rng(1)
    par = {"tau2": 0.004, "s2": 0.01, "rho": 0.9, "sigma2": 0.001, "mu": -0.02}
    errors, poisson = rng.normal(0, 0.1, (3, 12)), rng.uniform(0.001, 0.02, (3, 12))
    observed = np.arange(12) < 5
    mean, var = _model.conditional(par, errors, poisson, observed)
    lag = np.abs(np.subtract.outer(np.arange(12), np.arange(12)))
    for d in range(3):
        S = par["tau2"] + par["s2"] * par["rho"] ** lag + np.diag(par["sigma2"] + poisson[d])
        m, r = observed, ~observed
        inv = np.linalg.inv(S[np.ix_(m, m)])
        np.testing.assert_allclose(mean[d, r], par["mu"] + S[np.ix_(r, m)] @ inv @ (errors[d, m] - par["mu"]))
        np.testing.assert_allclose(var[d, r], np.diag(S[np.ix_(r, r)] - S[np.ix_(r, m)] @ inv @ S[np.ix_(m, r)]))
        np.testing.assert_array_equal(mean[d, m], errors[d, m])


def test_day_level_only_gives_the_credibility_formula():
    """With only a day level (s2 = 0), the update is Buhlmann's credibility: mu + Z (weighted mean - mu),
    Z = tau2 W / (1 + tau2 W), W the sum of the observed precisions (Sherman-Morrison on tau2 J + D)."""
    par = {"tau2": 0.01, "s2": 0.0, "rho": 0.5, "sigma2": 0.002, "mu": 0.01}
    e = np.array([[0.10, 0.05, 0.20, 0.0, 0.0]])
    p = np.array([[0.01, 0.02, 0.005, 0.01, 0.01]])
    observed = np.array([True, True, True, False, False])
    mean, _ = _model.conditional(par, e, p, observed)
    w = 1 / (par["sigma2"] + p[0, :3])
    z = par["tau2"] * w.sum() / (1 + par["tau2"] * w.sum())
    expected = par["mu"] + z * ((w * (e[0, :3] - par["mu"])).sum() / w.sum())
    np.testing.assert_allclose(mean[0, 3:], expected)


def test_fit_recovers_the_variances_of_data_drawn_from_the_model():
    rng = np.random.default_rng(3)
    true = {"tau2": 0.004, "s2": 0.006, "rho": 0.8, "sigma2": 0.002}
    n, days = 16, 300
    poisson = np.full((days, n), 0.002)
    cov = _model.covariance(true, poisson[0])
    errors = rng.multivariate_normal(np.full(n, 0.03), cov, size=days)
    par = _model.fit(errors, poisson)
    assert par["mu"] == pytest.approx(0.03, abs=0.01)
    assert par["tau2"] + par["s2"] == pytest.approx(true["tau2"] + true["s2"], rel=0.2)
    assert par["rho"] == pytest.approx(true["rho"], abs=0.1)


def test_calibrate_gives_the_smallest_scale_reaching_the_level():
    rng = np.random.default_rng(5)
    mean = np.full(4000, 200.0)
    actual = rng.negative_binomial(1 / 0.02, (1 / 0.02) / (1 / 0.02 + mean))
    k = _model.calibrate(actual, mean, np.full(4000, 0.01), 0.8)
    lo, up = _model.nb_band(mean, 0.01 * k, 0.8)
    assert np.mean((actual >= lo) & (actual <= up)) >= 0.8
    lo, up = _model.nb_band(mean, 0.01 * k * 0.9, 0.8)
    assert np.mean((actual >= lo) & (actual <= up)) < 0.8
    assert k * 0.01 == pytest.approx(0.02, rel=0.25)        # the NB's own c^2


def test_bayes_follows_a_persistent_surge_and_bands_hold_the_point(toy):
    history, today, actual, f = toy
    rf = reforecast(today, actual, history)
    rest = ~rf.table["observed"]
    assert (rf.table["reforecast"][rest] > rf.table["forecast"][rest]).all()
    assert (rf.table["lower"] <= rf.table["reforecast"]).all() and (rf.table["reforecast"] <= rf.table["upper"]).all()
    assert rf.params["history_days"] == 10


def test_bayes_on_bank_days_beats_the_starting_forecast():
    """Six bank days (30 min) with the weighted average as the plan: the rest of the day from 12:00 is closer."""
    calls = wfm.datasets.bank_calls("30min")
    bt = wfm.backtest("weighted_average", calls, n_origins=3, horizon=5)
    pairs = bt.forecasts.set_index("timestamp")
    pairs = pairs[~pairs.index.duplicated(keep="last")]
    days = pairs.index.normalize().unique()[-6:]
    w0 = w1 = 0.0
    for day in days:
        today = pairs[pairs.index.normalize() == day]
        now = day + pd.Timedelta(hours=12)
        rf = reforecast(today[["forecast"]], today["actual"][today.index < now], pairs[pairs.index < day]).table
        rest = rf.index >= now
        a = today["actual"][rest].to_numpy()
        w0 += np.abs(a - rf["forecast"][rest]).sum() / a.sum()
        w1 += np.abs(a - rf["reforecast"][rest]).sum() / a.sum()
    assert w1 < w0


def test_queues_are_each_reforecast_on_their_own(toy):
    history, today, actual, f = toy
    long = lambda frame, q: frame.reset_index(names="timestamp").assign(queue=q)   # noqa: E731
    table, results = reforecast_queues(
        pd.concat([long(today, "a"), long(today * 2, "b")]),
        pd.concat([long(actual.rename("actual").to_frame(), "a"), long((actual * 2).rename("actual").to_frame(), "b")]),
        pd.concat([long(history, "a"), long(history * 2, "b")]), method="ratio")
    alone = reforecast(today * 2, actual * 2, history * 2, method="ratio").table
    np.testing.assert_allclose(table.loc[table["queue"] == "b", "reforecast"], alone["reforecast"])
    assert set(results) == {"a", "b"}


def test_actuals_in_the_future_are_an_error(toy):
    history, today, actual, f = toy
    with pytest.raises(ValueError, match="actuals in the future"):
        reforecast(today, actual, history, now="2024-03-14 09:00")


def test_actuals_on_another_grid_are_an_error(toy):
    history, today, actual, f = toy
    fine = pd.Series(1.0, index=pd.date_range("2024-03-14 07:00", periods=4, freq="15min"))
    with pytest.raises(ValueError, match="different grid.*30"):
        reforecast(today, fine, history)
    shifted = pd.Series(1.0, index=pd.date_range("2024-03-14 07:10", periods=3, freq="30min"))
    with pytest.raises(ValueError, match="different grid.*07:10"):
        reforecast(today, shifted, history)


def test_missing_morning_interval_and_late_history_are_errors(toy):
    history, today, actual, f = toy
    with pytest.raises(ValueError, match="misses 1 interval.*08:00"):
        reforecast(today, actual.drop(actual.index[2]), history)
    with pytest.raises(ValueError, match="history must end before"):
        reforecast(today, actual, pd.concat([history, today.assign(actual=1.0)]))
    with pytest.raises(ValueError, match="at least 5"):
        reforecast(today, actual, history.iloc[:60])
    with pytest.raises(ValueError, match="method"):
        reforecast(today, actual, history, method="magic")


def test_results_contract(toy):
    import matplotlib

    matplotlib.use("Agg")
    history, today, actual, f = toy
    rf = reforecast(today, actual, history)
    assert isinstance(rf, Reforecast)
    figs = rf.figures()
    assert figs.pop("day") == "Thu 2024-03-14" and figs.pop("now") == "Thu 2024-03-14 10:00"  # the day it covers
    assert all(isinstance(x, float) for x in figs.values())
    assert figs["morning_actual"] == pytest.approx(actual.sum())
    assert figs["day_reforecast"] == pytest.approx(rf.table["reforecast"].sum())
    assert list(rf.summary().columns) == ["figure", "value"]
    ax = rf.plot()
    assert ax.get_ylabel() == "calls per interval"
    ax.figure.canvas.draw()  # times of day, not '10-20 12' (notebook 07)
    labels = [x.get_text() for x in ax.get_xticklabels() if x.get_text()]
    assert labels and all(re.fullmatch(r"\d\d:\d\d", x) for x in labels)
    assert "<h4>" in rf._repr_html_()
