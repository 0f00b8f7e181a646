"""
Staffing to an uncertain forecast: a quantile of the arrival rate, or the expected service level.

See :mod:`wfm.staffing` for the method and references.
"""

from __future__ import annotations


import numpy as np
import pandas as pd
from scipy import special, stats

from .. import _validation as v
from .. import erlang as e
from .plan import StaffingPlan, scheduled_agents, staffing_plan
from .required import _search


#: Distributions of the arrival rate behind a forecast band.
RATE_DISTRIBUTIONS = ("gamma", "normal")


UNCERTAIN_METHODS = ("quantile", "expected")


_GL_NODES = 48


def rate_distribution(forecast, lower, upper, *, level=0.8):
    r"""
    Mean and standard deviation of the arrival rate behind a forecast band.

    A band of calls mixes two kinds of uncertainty: the Poisson noise of the
    calls given the rate, which the Erlang formulas already carry, and the
    uncertainty of the rate itself. With the band read as a normal interval
    at ``level`` and the Poisson part (variance = mean) taken out,

    .. math:: \sigma_\lambda^2 = \max\left(\left(\frac{U - L}{2 z_{(1+\mathrm{level})/2}}\right)^2
              - F,\; 0\right)

    so a band no wider than Poisson noise means a known rate. A band of whole
    calls (the quantiles of a count distribution, as
    :func:`wfm.forecast.forecast` gives them) is compared with the Poisson
    band of whole calls at the same level instead,
    :math:`\sigma_\lambda^2 = \max(((U - L)^2 - (U_P - L_P)^2) / (2 z)^2, 0)`
    with :math:`L_P, U_P` the Poisson(F) quantiles: rounding each end to a
    whole call widens a narrow band by up to two calls, which read as rate
    uncertainty would add agents where the forecast says the rate is known.

    Parameters
    ----------
    forecast, lower, upper : numeric
        Forecast calls and its band. [calls per interval]
    level : float
        Coverage of the band, e.g. 0.8. [0-1]

    Returns
    -------
    mean, sd : arrays
        Mean and standard deviation of the rate. [calls per interval]

    Examples
    --------
    >>> m, sd = rate_distribution(100.0, 80.5, 119.5, level=0.8)
    >>> round(float(sd), 3)  # (39 / 2.563)^2 - 100 = 131.5
    11.468
    >>> float(rate_distribution(5.0, 2.0, 8.0, level=0.8)[1])  # Poisson(5)'s own whole-call band: a known rate
    0.0
    """
    inp = v.broadcast_inputs(forecast=forecast, lower=lower, upper=upper)
    a, idx = inp.arrays, inp.index
    for name in ("forecast", "lower", "upper"):
        v.check_nonnegative(a[name], name, "calls per interval", index=idx)
    v.check_fraction(np.asarray(level, float), "level", closed_high=False)
    bad = (a["lower"] > a["forecast"]) | (a["forecast"] > a["upper"])
    if bad.any():
        raise ValueError("the band must hold the forecast, lower <= forecast <= upper; got otherwise"
                         + v.describe_positions(bad, idx) + ".")
    z = special.ndtri(0.5 + 0.5 * float(level))
    var_calls = ((a["upper"] - a["lower"]) / (2 * z)) ** 2
    poisson = a["forecast"]
    whole = np.all(a["lower"] == np.round(a["lower"])) and np.all(a["upper"] == np.round(a["upper"]))
    if whole:  # a band of whole calls against Poisson's band of whole calls: the rounding cancels
        low = stats.poisson.ppf(0.5 - 0.5 * float(level), a["forecast"])
        high = stats.poisson.ppf(0.5 + 0.5 * float(level), a["forecast"])
        poisson = np.nan_to_num(((high - low) / (2 * z)) ** 2)  # F = 0: no calls, no band
    var_rate = var_calls - poisson
    var_rate = np.where(var_rate > 1e-12 * var_calls, var_rate, 0.0)  # rounding of a Poisson-only band is 0
    return a["forecast"], np.sqrt(var_rate)


def _rate_quantile(mean, sd, p, distribution):
    """p-quantile of the rate (gamma or normal truncated at 0, moment-matched)."""
    mean, sd, p = np.broadcast_arrays(mean, sd, p)
    known = (sd == 0) | (mean == 0)
    safe_m, safe_sd = np.where(known, 1.0, mean), np.where(known, 1.0, sd)
    if distribution == "gamma":
        shape = (safe_m / safe_sd) ** 2
        q = special.gammaincinv(shape, p) * safe_sd**2 / safe_m
    else:
        q = np.maximum(safe_m + safe_sd * special.ndtri(p), 0.0)
    return np.where(known, mean, q)


def _rate_cdf(x, mean, sd, distribution):
    """P(rate <= x)."""
    x, mean, sd = np.broadcast_arrays(x, mean, sd)
    known = (sd == 0) | (mean == 0)
    safe_m, safe_sd = np.where(known, 1.0, mean), np.where(known, 1.0, sd)
    if distribution == "gamma":
        cdf = special.gammainc((safe_m / safe_sd) ** 2, np.maximum(x, 0) * safe_m / safe_sd**2)
    else:
        cdf = special.ndtr((x - safe_m) / safe_sd)
    return np.where(known, (x >= mean).astype(float), cdf)


class _ExpectedSL:
    """Targets object for the search: expected service level over the rate distribution."""

    def __init__(self, mean, sd, aht, interval, t, q, sl, model, sl_definition, distribution):
        self.mean, self.sd, self.aht, self.interval = mean, sd, aht, interval
        self.t, self.q, self.sl = t, q, sl
        self.model, self.sl_definition, self.distribution = model, sl_definition, distribution

    def subset(self, i):
        pick = lambda z: None if z is None else z[i]  # noqa: E731
        return _ExpectedSL(pick(self.mean), pick(self.sd), pick(self.aht), pick(self.interval), pick(self.t),
                           pick(self.q), pick(self.sl), self.model, self.sl_definition, self.distribution)

    def expected(self, n):
        """E[SL(n, rate)] by Gauss-Legendre quadrature over the rate's quantiles.

        For Erlang C the service level is 0 from the rate at which the load
        reaches n on, with a kink there; the quadrature covers only the
        quantiles below it, where the integrand is smooth.
        """
        u, w = np.polynomial.legendre.leggauss(_GL_NODES)
        u, w = 0.5 * (u + 1), 0.5 * w
        top = np.ones(n.shape)
        if self.model == "erlang_c":
            top = _rate_cdf(n * self.interval / self.aht, self.mean, self.sd, self.distribution)
            top = np.where(top > 0, top, 0.0)
        p = top[:, None] * u[None, :]
        w = top[:, None] * w[None, :]
        rates = _rate_quantile(self.mean[:, None], self.sd[:, None], p, self.distribution)
        load = rates * (self.aht / self.interval)[:, None]
        sl = _service_level_kernel(load, n[:, None], self.t[:, None],
                                   None if self.q is None else self.q[:, None], self.model, self.sl_definition)
        return (sl * w).sum(axis=1)

    def meets(self, n, log_r=None):
        return self.expected(n) >= self.sl


def _service_level_kernel(load, n, t, q, model, sl_definition):
    if model == "erlang_c":
        return e._erlang_c_sl(load, n, t)
    return e._ErlangA(load, n, q).service_level(t, sl_definition)


def _max_rate(n, aht, interval, t, q, sl, model, sl_definition, iterations=60):
    """Largest rate (calls per interval) at which n agents still reach ``sl``, by bisection."""
    lo = np.zeros(n.shape)
    hi = (4 * n + 10) * interval / aht
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        ok = _service_level_kernel(mid * aht / interval, n, t, q, model, sl_definition) >= sl
        lo = np.where(ok, mid, lo)
        hi = np.where(ok, hi, mid)
    return lo


def staffing_plan_from_forecast(forecast, aht, interval=None, service_level=0.8, threshold=20, *,
                                method="quantile", probability=0.8, level=0.8, distribution="gamma",
                                model="erlang_c", patience=None, sl_definition="offered", max_asa=None,
                                max_occupancy=None, max_abandon_rate=None, min_agents=None, shrinkage=0.0,
                                shrinkage_method="additive", fte_hours_per_week=37.5, week_start=None,
                                open_days=None):
    r"""
    Staff to an uncertain forecast: to a quantile of the arrival rate, or to the expected service level.

    The arrival rate of each interval is taken as uncertain, with the mean
    and spread of :func:`rate_distribution` (the forecast band less its
    Poisson noise) and a gamma (the Poisson-gamma model of overdispersed
    counts; default) or normal (truncated at 0) shape.

    - ``method="quantile"``: staff every interval for the ``probability``
      quantile of its rate, all targets applied there. The service-level
      target is then met with at least that probability.
    - ``method="expected"``: the fewest agents whose service level averaged
      over the rate distribution, :math:`E[SL(n, \Lambda)]`, reaches the
      target (48-point Gauss-Legendre quadrature over the rate's quantiles).
      Only the service-level target applies.

    A wider band never asks for fewer agents with the normal shape and
    ``probability >= 0.5``. The gamma shape is skewed: its quantiles near the
    median fall as the spread grows, so the same holds for it with
    ``probability >= 0.8`` and a rate coefficient of variation up to 1.2
    (both tested), which covers interval forecasts in practice.

    Either way the table reports ``p_meet``, the probability that the
    interval meets the service-level target with the agents given,
    :math:`P(\Lambda \le \lambda^*(n))` with :math:`\lambda^*(n)` the
    largest rate at which ``n`` agents still reach it.

    Parameters
    ----------
    forecast : DataFrame
        Columns ``forecast``, ``lower``, ``upper`` on a DatetimeIndex, as
        :func:`wfm.forecast_volume` returns them. [calls per interval]
    aht, interval, service_level, threshold
        As in :func:`staffing_plan`. [s, s, 0-1, s]
    method : {"quantile", "expected"}
    probability : float
        Quantile of the rate to staff for (``method="quantile"``). [0-1]
    level : float
        Coverage of the forecast band. [0-1]
    distribution : {"gamma", "normal"}
    model, patience, sl_definition, max_asa, max_occupancy, max_abandon_rate, min_agents, shrinkage,
    shrinkage_method, fte_hours_per_week, week_start, open_days
        As in :func:`staffing_plan` (``open_days``: the weekdays the centre
        opens, which a forecast of less than a week cannot show).

    Returns
    -------
    StaffingPlan
        Its table holds, besides the usual columns (queue figures at the
        forecast mean), ``lower``, ``upper``, ``rate_sd``,
        ``calls_staffed`` (the rate staffed for), ``expected_service_level``
        and ``p_meet``; its :meth:`~StaffingPlan.figures` add their
        call-weighted means, ``expected_service_level`` and ``p_meet``, to
        ``service_level`` (the service level at the forecast mean).

    Examples
    --------
    >>> idx = pd.date_range("2024-01-01 08:00", periods=2, freq="30min")
    >>> fc = pd.DataFrame({"forecast": [100.0, 250.0], "lower": [80.0, 215.0], "upper": [120.0, 285.0]}, index=idx)
    >>> plan = staffing_plan_from_forecast(fc, aht=180, probability=0.9)
    >>> plan.table[["calls", "calls_staffed", "agents", "p_meet"]].round(3)
                         calls  calls_staffed  agents  p_meet
    2024-01-01 08:00:00  100.0        115.468      15   0.927
    2024-01-01 08:30:00  250.0        279.119      33   0.941
    """
    v.check_choice(method, "method", UNCERTAIN_METHODS)
    v.check_choice(distribution, "distribution", RATE_DISTRIBUTIONS)
    if not isinstance(forecast, pd.DataFrame) or not {"forecast", "lower", "upper"} <= set(forecast.columns):
        got = list(forecast.columns) if isinstance(forecast, pd.DataFrame) else type(forecast).__name__
        raise ValueError(f"forecast must be a DataFrame with columns forecast, lower, upper; got {got}.")
    v.check_no_holes(forecast.index, "forecast", interval)  # named here, not as staffing_plan's calls
    if service_level is None:
        raise ValueError("service_level is required to staff to a forecast distribution.")
    v.check_fraction(np.asarray(probability, float), "probability", closed_high=False)
    mean, sd = rate_distribution(forecast["forecast"], forecast["lower"], forecast["upper"], level=level)
    calls_staffed = mean if method == "expected" else _rate_quantile(mean, sd, float(probability), distribution)
    base = staffing_plan(pd.Series(calls_staffed, index=forecast.index, name="calls"), aht, interval,
                         service_level, threshold, model=model, patience=patience, max_asa=max_asa,
                         max_occupancy=max_occupancy, max_abandon_rate=max_abandon_rate, sl_definition=sl_definition,
                         min_agents=min_agents, shrinkage=shrinkage, shrinkage_method=shrinkage_method,
                         fte_hours_per_week=fte_hours_per_week, week_start=week_start,
                         open_days=forecast.attrs.get("open_days") if open_days is None else open_days)
    tab = base.table
    ivl = np.full(len(tab), base.params["interval"])
    aht_s = tab["aht"].to_numpy()
    t = np.broadcast_to(np.asarray(threshold, float), len(tab)) / aht_s
    q = None if model == "erlang_c" else np.broadcast_to(np.asarray(patience, float), len(tab)) / aht_s
    sl = tab["service_level_target"].to_numpy()
    agents = tab["agents"].to_numpy().astype(float)
    expected = _ExpectedSL(mean, sd, aht_s, ivl, t, q, sl, model, sl_definition, distribution)
    busy = mean > 0
    if method == "expected" and busy.any():
        sub = expected.subset(busy)
        lower = np.zeros(busy.sum()) if min_agents is None else np.broadcast_to(
            np.asarray(min_agents, float), len(tab))[busy]
        cap = np.ceil(2 * agents[busy] + 100 * np.sqrt(agents[busy]) + 1000)
        n, unreached = _search(sub, lower, agents[busy], cap)
        if unreached.any():
            bad = np.zeros(len(tab), bool)
            bad[np.flatnonzero(busy)[unreached]] = True
            raise ValueError("no staffing meets the expected service level" + v.describe_positions(bad, tab.index))
        agents[busy] = n
    table = tab.copy()
    table["agents"] = agents.astype(np.int64)
    table["scheduled_agents"] = np.asarray(scheduled_agents(agents, shrinkage, method=shrinkage_method), dtype=float)
    at_mean = e.queue_metrics(pd.Series(mean, index=tab.index), aht_s, ivl, agents, threshold, model=model,
                              patience=patience, sl_definition=sl_definition)
    table["calls"] = mean
    table["load"] = at_mean["load"].to_numpy()
    for col in ("service_level", "asa", "occupancy", "abandon_rate"):
        if col in table:
            table[col] = at_mean[col].to_numpy()
    p_meet = np.ones(len(tab))
    exp_sl = np.ones(len(tab))
    if busy.any():
        sub = expected.subset(busy)
        exp_sl[busy] = sub.expected(agents[busy])
        rate_star = _max_rate(agents[busy], aht_s[busy], ivl[busy], t[busy], None if q is None else q[busy],
                              sl[busy], model, sl_definition)
        p_meet[busy] = _rate_cdf(rate_star, mean[busy], sd[busy], distribution)
    table.insert(1, "lower", forecast["lower"].to_numpy(float))
    table.insert(2, "upper", forecast["upper"].to_numpy(float))
    table.insert(3, "rate_sd", sd)
    table.insert(4, "calls_staffed", calls_staffed)
    table["expected_service_level"] = exp_sl
    table["p_meet"] = p_meet
    if method == "expected":
        table["binding_target"] = np.where(busy, "expected_service_level",
                                           "min_agents" if min_agents is not None else "none")
    params = dict(base.params, method=method, probability=probability, level=level, distribution=distribution)
    return StaffingPlan(table, params)
