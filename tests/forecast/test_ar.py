"""The least-squares AR model (wfm.forecast.ar): recovery on simulated series, an independent cross-check, forecasts."""

import numpy as np
import pytest

from wfm.forecast.ar import ar_forecast, fit_ar, select_ar


def simulate_ar(phi, n, *, const=0.0, sigma=1.0, seed=0, burn=500):
    """A seeded AR(p) path x_t = const + sum phi_i x_{t-i} + e_t, e_t ~ N(0, sigma^2) (synthetic)."""
    rng = np.random.default_rng(seed)
    phi = np.asarray(phi, dtype=float)
    e = rng.normal(0.0, sigma, n + burn)
    x = np.zeros(n + burn)
    for t in range(phi.size, n + burn):
        x[t] = const + phi @ x[t - phi.size:t][::-1] + e[t]
    return x[burn:]


def test_ar2_coefficients_are_recovered_within_their_standard_errors():
    # 20 seeded AR(2) paths, phi = (0.6, -0.3): each estimate within 3 of its own standard errors of the truth,
    # and the standard errors honest: the spread of the 20 estimates matches the mean reported SE within 35%
    truth = np.array([0.6, -0.3])
    est, se = [], []
    for seed in range(20):
        fit = fit_ar(simulate_ar(truth, 2000, const=2.0, seed=seed), 2)
        assert np.all(np.abs(fit.phi - truth) <= 3 * fit.phi_se)
        est.append(fit.phi)
        se.append(fit.phi_se)
    spread, reported = np.std(est, axis=0, ddof=1), np.mean(se, axis=0)
    assert np.all(np.abs(spread / reported - 1) < 0.35)
    # the constant: mean = c / (1 - phi1 - phi2) = 2 / 0.7
    fit = fit_ar(simulate_ar(truth, 20000, const=2.0, seed=99), 2)
    assert fit.const / (1 - fit.phi.sum()) == pytest.approx(2 / 0.7, rel=0.02)
    assert fit.sigma2 == pytest.approx(1.0, rel=0.05)


def test_least_squares_agrees_with_statsmodels_autoreg():
    # an independent implementation of the same conditional least squares
    from statsmodels.tsa.ar_model import AutoReg

    x = simulate_ar([0.5, 0.2, -0.1], 800, const=1.0, seed=3)
    ours = fit_ar(x, 3)
    theirs = AutoReg(x, lags=3, trend="c").fit()
    np.testing.assert_allclose(np.r_[ours.const, ours.phi], theirs.params, rtol=1e-9, atol=1e-12)
    # AutoReg's standard errors use the residual variance over n; ours over n - (p + 1), the unbiased one
    n = x.size - 3
    np.testing.assert_allclose(np.r_[ours.const_se, ours.phi_se], theirs.bse * np.sqrt(n / (n - 4)), rtol=1e-6)


def test_aic_picks_the_simulated_order_or_a_larger_one():
    # AIC is not consistent: it overfits with a probability that stays above 0 as n grows (Shibata 1976), but it
    # does not underfit a long series. 20 seeds each: never below the true order, the true order most often
    for truth in ([0.6, -0.3], [0.7]):
        orders = np.array([select_ar(simulate_ar(truth, 3000, seed=s), 6).order for s in range(20)])
        assert orders.min() == len(truth)
        assert np.mean(orders == len(truth)) >= 0.6


def test_forecast_is_the_recursion_with_zero_errors():
    x = simulate_ar([0.6, -0.3], 500, const=1.0, seed=1)
    fit = fit_ar(x, 2)
    path = ar_forecast(x, fit, 50)
    hist = list(x[-2:])
    for h in range(50):  # the recursion by hand
        hist.append(fit.const + fit.phi[0] * hist[-1] + fit.phi[1] * hist[-2])
    np.testing.assert_allclose(path, hist[2:], rtol=1e-12)
    # a stationary AR forecast returns to its mean c / (1 - sum phi)
    assert ar_forecast(x, fit, 2000)[-1] == pytest.approx(fit.const / (1 - fit.phi.sum()), rel=1e-9)


def test_differenced_fit_has_no_drift_and_settles_at_a_level():
    # ARIMA(1, 1, 0) without drift on a random walk with AR(1) steps: the same least squares as statsmodels'
    # AutoReg without a trend on the differences, and a forecast that is the last value plus the steps' forecasts
    from statsmodels.tsa.ar_model import AutoReg

    steps = simulate_ar([0.5], 1000, seed=2)
    x = 50 + np.cumsum(steps)
    fit = fit_ar(x, 1, difference=1)
    assert fit.const == 0.0 and fit.difference == 1
    assert fit.phi[0] == pytest.approx(0.5, abs=3 * fit.phi_se[0])
    np.testing.assert_allclose(fit.phi, AutoReg(np.diff(x), lags=1, trend="n").fit().params, rtol=1e-9)
    path = ar_forecast(x, fit, 400)
    d = np.diff(x)[-1] * fit.phi[0] ** np.arange(1, 401)
    np.testing.assert_allclose(path, x[-1] + np.cumsum(d), rtol=1e-12)
    # it settles at x_T + d_T phi / (1 - phi): no drift
    assert path[-1] == pytest.approx(x[-1] + np.diff(x)[-1] * fit.phi[0] / (1 - fit.phi[0]), rel=1e-9)


def test_only_stationary_fits_are_selected():
    # an explosive series (x_t = 1.05 x_{t-1} + e_t): no stationary AR(1) or AR(2) fits it
    x = simulate_ar([1.05], 200, seed=4, burn=0) + 0.0
    assert not fit_ar(x, 1).stationary
    assert select_ar(x, 2) is None
    assert fit_ar(simulate_ar([0.6, -0.3], 500, seed=4), 2).stationary


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="x has 3 value"):
        fit_ar([1.0, 2.0, 3.0], 2)
    with pytest.raises(ValueError, match="NaN or infinite"):
        fit_ar(np.r_[np.ones(10), np.inf], 1)
    with pytest.raises(ValueError, match="p must be a whole number"):
        fit_ar(np.ones(10), 0)
    with pytest.raises(ValueError, match="difference must be 0 or 1"):
        select_ar(np.ones(10), 2, difference=2)
