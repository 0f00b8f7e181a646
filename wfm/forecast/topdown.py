r"""
Top-down forecast: daily totals times an intraday profile per weekday.

The way WFM suites forecast, in two parts that are each easy to estimate:

1. **Daily totals.** On the log scale a day's calls are a slowly drifting
   level plus a weekday effect, a turn-of-month effect, and a backlog effect
   on the first day after a closure:

   .. math::

      \log D_d = \ell_d + w_{\mathrm{wd}(d)} + m_{\mathrm{pos}(d)} + b\,1[\text{after closure}] + \varepsilon_d.

   The weekday effects :math:`w` are the mean log totals of each weekday
   over the last ``weeks`` weeks; the level :math:`\ell` is simple
   exponential smoothing (ETS(A,N,N)) of the adjusted log totals with
   smoothing weight ``alpha`` = 0.2. The weight is fixed on purpose: fitted
   to one-step errors (``level_model="ets"``, statsmodels) it comes out
   near 0.5-0.8 on the bank's daily totals, because a busy day tends to be
   followed by another, and then overreacts a week ahead; in the bank's
   backtest windows before the benchmark weeks (April-August 2003) weights
   of 0.1-0.2 did best, and ``level_model="multistep"`` (weight fitted to
   1- to h-step errors) sits in between. The turn-of-month effects
   :math:`m` (the first and last five open days of a month, only with three
   months of history) and the backlog :math:`b` are mean residuals against
   the median of the same weekday in the surrounding weeks, shrunk toward 0
   by :math:`n / (n + 3)` (turn of month) and :math:`n / (n + 1)` (backlog:
   a closure surely pushes calls to the next day, so the prior is weaker)
   so that a series without them is left alone.

   With ``level_model="damped"`` the level carries a damped trend
   (Holt's linear method with damping, ETS(A,Ad,N) on the log totals [4]_):
   :math:`\hat\ell_{T+h} = \ell_T + (\phi + \dots + \phi^h)\, b_T`. Its
   weights :math:`(\alpha, \beta, \phi)` are chosen on a small grid by
   the mean absolute error 1 to h days ahead over the history (direct
   multi-step estimation, as for ``"multistep"``); the grid includes
   :math:`\beta = 0`, so a series without a trend keeps a flat level.
2. **Intraday profile.** The share of a day's calls in each interval, per
   weekday: a mean over the last ``weeks`` normal days of that weekday, each
   interval winsorised at 3 robust standard deviations (an outage in one
   evening does not move it), then shrunk toward the mean profile of the
   weekdays with the same hours by an empirical-Bayes weight (weekdays keep
   their own shape where it differs by more than the noise).

Days that would teach the wrong thing are left out of both: closed days (no
data; they are never zeros), the day after a closure (its backlog is a
separate effect), caller's special days, days with partial hours, and days
whose total is more than four robust standard deviations off.

The forecast of an interval is the day's total times its share, times the
caller's factor on a special day. The band is a negative binomial band whose
dispersion is calibrated on the method's own rolling-origin errors in the
history (:mod:`wfm.forecast._bands`).

References
----------
.. [1] R. J. Hyndman and G. Athanasopoulos, "Forecasting: Principles and
   Practice", 3rd ed., OTexts, 2021, sections 8.1 (simple exponential
   smoothing) and 11.1 (top-down forecasting with proportions).
.. [2] H. Shen and J. Z. Huang, "Interday forecasting and intraday updating
   of call center arrivals", Manufacturing & Service Operations Management
   10(3), 391-410, 2008. (Daily volume times an intraday profile.)
.. [4] E. S. Gardner Jr. and E. McKenzie, "Forecasting trends in time
   series", Management Science 31(10), 1237-1246, 1985. (The damped trend.)
.. [3] J. Weinberg, L. D. Brown and J. R. Stroud, "Bayesian forecasting of an
   inhomogeneous Poisson process with applications to call center data",
   Journal of the American Statistical Association 102(480), 1185-1198,
   2007. (The bank data; multiplicative day x time-of-day model.)
"""

from __future__ import annotations

import warnings

import numpy as np

#: Prior weight (in days) that shrinks turn-of-month and backlog effects toward 0.
SHRINK_DAYS = 3.0
#: Turn-of-month positions modelled from each end of the month. [open days]
MONTH_DAYS = 5
#: A day whose total is this many robust standard deviations off is left out. [count]
OUTLIER_SD = 4.0


def learnable_rows(panel):
    """Rows of the history a model may learn the usual pattern from."""
    n = panel.n_hist
    ok = panel.observed & panel.complete & ~panel.after_closure & ~panel.special
    ok[n:] = False
    return ok


def profiles(panel, rows_ok, *, weeks=8, halflife=None):
    """
    Share of the day's calls in each slot, per weekday: (7, slots), rows summing to 1 on open weekdays.

    Winsorised, optionally exponentially weighted means over the last
    ``weeks`` learnable days of each weekday, shrunk toward the pooled
    profile of weekdays with the same hours (empirical Bayes per slot).
    """
    values = panel.values
    slots = panel.calendar.slots
    n_slots = values.shape[1]
    prof = np.zeros((7, n_slots))
    noise = np.zeros((7, n_slots))
    count = np.zeros(7)
    with np.errstate(invalid="ignore", divide="ignore"):
        totals = np.nansum(values, axis=1)
    for w in range(7):
        tmpl = slots[w]
        if not tmpl.any():
            continue
        rows = np.flatnonzero(rows_ok & (panel.weekday == w) & (totals > 0))[-weeks:]
        if rows.size == 0:
            continue
        x = values[rows][:, tmpl] / totals[rows, None]
        if rows.size >= 4:
            med = np.median(x, axis=0)
            mad = 1.4826 * np.median(np.abs(x - med), axis=0)
            x = np.clip(x, med - 3 * mad, med + 3 * mad)
        wts = np.ones(rows.size) if not halflife else 0.5 ** (np.arange(rows.size)[::-1] / halflife)
        wts = wts / wts.sum()
        mean = wts @ x
        prof[w, tmpl] = mean
        n_eff = 1.0 / np.sum(wts ** 2)
        var = (wts @ (x - mean) ** 2) * rows.size / max(rows.size - 1, 1) if rows.size > 1 else mean * 0 + np.inf
        noise[w, tmpl] = var / n_eff
        count[w] = rows.size
    # empirical-Bayes shrinkage toward the pooled profile of weekdays sharing the same hours
    seen = count > 0
    groups = {}
    for w in np.flatnonzero(slots.any(axis=1)):
        groups.setdefault(slots[w].tobytes(), []).append(w)
    for members in groups.values():
        have = [w for w in members if seen[w]]
        if not have:
            continue
        tmpl = slots[members[0]]
        pooled = prof[have][:, tmpl].mean(axis=0)
        for w in members:
            if not seen[w]:
                prof[w, tmpl] = pooled
                continue
            if len(have) < 2:
                continue
            spread = np.var(prof[have][:, tmpl], axis=0, ddof=1) - np.mean(noise[have][:, tmpl], axis=0)
            tau2 = np.maximum(spread, 0.0)
            sigma2 = noise[w, tmpl]
            with np.errstate(invalid="ignore", divide="ignore"):
                keep = np.where(np.isfinite(sigma2), tau2 / (tau2 + sigma2), 0.0)
            keep = np.nan_to_num(keep, nan=1.0)
            prof[w, tmpl] = keep * prof[w, tmpl] + (1 - keep) * pooled
    for w in range(7):
        tmpl = slots[w]
        if tmpl.any() and prof[w, tmpl].sum() <= 0:
            prof[w, tmpl] = 1.0 / tmpl.sum()
    prof = np.maximum(prof, 0.0)
    sums = prof.sum(axis=1, keepdims=True)
    return np.divide(prof, sums, out=np.zeros_like(prof), where=sums > 0)


def _same_weekday_median(log_daily, rows_ok, weekday, span=3):
    """Median log total of the same weekday's learnable days within ``span`` occurrences either side."""
    out = np.full(log_daily.shape, np.nan)
    for w in range(7):
        rows = np.flatnonzero(rows_ok & (weekday == w))
        if rows.size < 3:
            continue
        vals = log_daily[rows]
        all_rows = np.flatnonzero(weekday == w)
        pos = np.searchsorted(rows, all_rows)
        for r, p in zip(all_rows, pos):
            lo, hi = max(0, p - span), min(rows.size, p + span + 1)
            pick = [k for k in range(lo, hi) if rows[k] != r]
            if len(pick) >= 2:
                out[r] = np.median(vals[pick])
    return out


def _shrunk_mean(values, prior_days=SHRINK_DAYS):
    values = values[np.isfinite(values)]
    return float(values.sum() / (values.size + prior_days)) if values.size else 0.0


def daily_effects(panel, rows_ok, log_daily, *, month=True):
    """Turn-of-month effect per future/history row and the backlog effect, both on the log scale."""
    n = panel.n_hist
    base = _same_weekday_median(log_daily, rows_ok, panel.weekday)
    resid = log_daily - base
    month_effect = np.zeros(len(panel.dates))
    span_days = (panel.dates[n - 1] - panel.dates[0]).days if n else 0
    if month and span_days >= 90:
        first, last = panel.month_first, panel.month_last
        for k in range(1, MONTH_DAYS + 1):
            at = first == k
            month_effect[at] = _shrunk_mean(resid[:n][at[:n] & rows_ok[:n]])
        for k in range(1, MONTH_DAYS + 1):
            at = (last == k) & (first > MONTH_DAYS)
            month_effect[at] = _shrunk_mean(resid[:n][at[:n] & rows_ok[:n]])
    after = panel.after_closure[:n] & panel.observed[:n] & panel.complete[:n] & ~panel.special[:n]
    backlog = _shrunk_mean(resid[:n][after] - month_effect[:n][after], prior_days=1.0)
    return month_effect, backlog


def _smooth_level(z, level_model, alpha, horizon=5, fit_horizon=5):
    """
    Level of the adjusted log totals ``z`` (chronological, no NaN) 1 to ``horizon`` days after the history.

    Returns an array of ``horizon`` levels (flat unless ``level_model`` is
    ``"damped"``); weights fitted by multi-step errors look ``fit_horizon``
    days ahead (the days asked for).
    """
    horizon = max(1, int(horizon))
    if z.size == 0:
        return np.zeros(horizon)
    if z.size < 5 or level_model == "mean":
        return np.full(horizon, float(np.mean(z[-20:])))
    if level_model == "ets":
        from statsmodels.tsa.holtwinters import SimpleExpSmoothing

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = SimpleExpSmoothing(z[-130:], initialization_method="estimated").fit(optimized=True)
        return np.full(horizon, float(fit.forecast(1)[0]))
    if level_model == "damped":
        return damped_trend_path(z, horizon, fit_horizon)
    if level_model == "multistep":
        alpha = multistep_alpha(z, fit_horizon)
    return np.full(horizon, float(_ses_levels(z, np.array([alpha]))[-1, 0]))


#: Grid of (alpha, beta, phi) tried by :func:`damped_trend_path`; beta = 0 is the flat level.
_DAMPED_GRID = np.array([(a, b, p) for a in (0.05, 0.1, 0.2, 0.3, 0.5) for b in (0.0, 0.02, 0.05, 0.1, 0.2)
                         for p in ((0.9,) if b == 0.0 else (0.8, 0.9, 0.95, 0.98))])


def damped_trend_path(z, horizon, fit_horizon=None):
    """
    Damped-trend forecasts of ``z`` 1 to ``horizon`` steps ahead, weights by multi-step error.

    Holt's method with a damped trend (Gardner and McKenzie 1985):
    ``l_t = a z_t + (1 - a)(l_{t-1} + p b_{t-1})``, ``b_t = b' (l_t -
    l_{t-1}) + (1 - b') p b_{t-1}``, forecast ``l_T + (p + ... + p^h) b_T``.
    Every (a, b', p) of a small grid runs at once (vectorised over the
    grid); the one with the least mean absolute error 1 to
    ``fit_horizon`` (default ``horizon``) steps ahead over the series
    (after a burn-in) is used.
    """
    horizon = max(1, int(horizon))
    fit_horizon = horizon if fit_horizon is None else max(1, min(int(fit_horizon), horizon))
    a, b, p = _DAMPED_GRID.T
    n = z.size
    init = min(5, n)
    level = np.full(a.shape, float(np.mean(z[:init])))
    trend = np.zeros(a.shape)
    levels = np.empty((n, a.size))
    trends = np.empty((n, a.size))
    for t in range(n):
        prev = level
        level = a * z[t] + (1 - a) * (prev + p * trend)
        trend = b * (level - prev) + (1 - b) * p * trend
        levels[t], trends[t] = level, trend
    powers = np.cumsum(p[None, :] ** np.arange(1, horizon + 1)[:, None], axis=0)  # (horizon, grid)
    burn = min(10, n // 3)
    err = np.zeros(a.size)
    if n > burn + fit_horizon + 5:
        for h in range(1, fit_horizon + 1):
            pred = levels[burn:n - h] + powers[h - 1] * trends[burn:n - h]
            err += np.abs(z[burn + h:, None] - pred).sum(axis=0)
        best = int(np.argmin(err))
    else:  # too short to choose: the flat level of weight 0.2
        best = int(np.flatnonzero((a == 0.2) & (b == 0.0))[0])
    return levels[-1, best] + powers[:, best] * trends[-1, best]


#: Smoothing weights tried by :func:`multistep_alpha`.
ALPHAS = np.array([0.02, 0.05, 0.08, 0.12, 0.16, 0.2, 0.25, 0.3, 0.4, 0.5, 0.7])


def _ses_levels(z, alphas):
    """Simple exponential smoothing levels after each observation, one column per weight. (len, alphas)"""
    lvl = np.full(alphas.shape, float(np.mean(z[: min(5, z.size)])))
    out = np.empty((z.size, alphas.size))
    for t, value in enumerate(z):
        lvl = alphas * value + (1 - alphas) * lvl
        out[t] = lvl
    return out


def multistep_alpha(z, horizon):
    """
    Smoothing weight that minimises the mean squared error 1 to ``horizon`` steps ahead.

    Fitting simple exponential smoothing by its one-step errors picks a large
    weight on call-centre daily totals (a busy day is often followed by
    another), which then overreacts a week ahead. Direct multi-step
    estimation [1]_ picks the weight for the horizon actually forecast.

    References
    ----------
    .. [1] G. Chevillon, "Direct multi-step estimation and forecasting",
       Journal of Economic Surveys 21(4), 746-785, 2007.
    """
    horizon = max(1, int(horizon))
    if z.size < horizon + 10:
        return 0.2
    levels = _ses_levels(z, ALPHAS)
    burn = min(10, z.size // 3)
    err = np.zeros(ALPHAS.size)
    count = 0
    for h in range(1, horizon + 1):
        diff = z[burn + h:, None] - levels[burn:z.size - h]
        err += np.sum(np.abs(diff), axis=0)
        count += diff.shape[0]
    return float(ALPHAS[np.argmin(err)])


def topdown_matrix(panel, *, weeks=8, level_model="ses", alpha=0.2, month=True, backlog=True, halflife=None):
    """Forecast matrix (days, slots) of the rows after the history; see the module docstring."""
    weekday = panel.weekday
    daily = panel.daily
    with np.errstate(divide="ignore", invalid="ignore"):
        log_daily = np.where(daily > 0, np.log(daily), np.nan)
    rows_ok = learnable_rows(panel) & np.isfinite(log_daily)
    month_effect, backlog_effect = daily_effects(panel, rows_ok, log_daily, month=month)
    if not backlog:
        backlog_effect = 0.0
    adjusted = log_daily - month_effect
    # weekday effects over the last `weeks` weeks of learnable days
    window = rows_ok & (np.arange(len(weekday)) >= _row_weeks_back(panel, weeks))
    effects = np.full(7, np.nan)
    for w in range(7):
        pick = window & (weekday == w)
        if not pick.any():
            pick = rows_ok & (weekday == w)
        if pick.any():
            effects[w] = np.mean(adjusted[pick])
    open_days = np.isfinite(effects)
    if not open_days.any():
        raise ValueError("history has no complete ordinary day to learn from; give at least one full week.")
    centre = np.mean(effects[open_days])
    effects = np.where(open_days, effects - centre, 0.0)
    z = adjusted - effects[weekday]
    # drop days whose total is far off (outages, one-off events)
    good = rows_ok.copy()
    idx = np.flatnonzero(good)
    if idx.size >= 8:
        zz = z[idx]
        local = np.array([np.median(zz[max(0, i - 5):i + 6]) for i in range(zz.size)])
        dev = zz - local
        scale = max(1.4826 * np.median(np.abs(dev - np.median(dev))), 0.01)
        good[idx[np.abs(dev) > OUTLIER_SD * scale]] = False
    future = panel.ahead
    steps = np.cumsum(future) * future  # 1, 2, ... on the rows ahead (open days), 0 elsewhere
    horizon = max(int(steps.max()), 1)
    asked = min(np.unique(panel.rows).size if panel.rows.size else 5, 10)
    path = _smooth_level(z[good], level_model, alpha, horizon, asked)
    level = np.where(future, path[np.clip(steps - 1, 0, horizon - 1)], path[0])
    prof = profiles(panel, good, weeks=weeks, halflife=halflife)
    log_total = level + effects[weekday] + month_effect + backlog_effect * panel.after_closure
    total = np.exp(log_total) * panel.factor
    matrix = total[:, None] * prof[weekday]
    matrix[~future] = np.nan
    return matrix


def _row_weeks_back(panel, weeks):
    """First row within ``weeks`` weeks before the end of the history."""
    n = panel.n_hist
    if n == 0:
        return 0
    start = panel.dates[n - 1] - np.timedelta64(7 * weeks, "D")
    return int(np.searchsorted(panel.dates[:n].asi8, start.value, side="right"))
