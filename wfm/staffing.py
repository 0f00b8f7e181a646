r"""
Staffing: the fewest agents that meet every service target, shrinkage, FTE,
and the :class:`StaffingPlan` that puts them together per interval.

The inverse of the queue formulas in :mod:`wfm.erlang` is found by an exact
integer search, vectorised over intervals: a square-root-staffing guess
(Halfin and Whitt [1]_) lands within an agent or two of the answer, then
galloping and bisection on the exact formulas settle every interval at the
smallest agent count that meets every target at once.

References
----------
.. [1] S. Halfin and W. Whitt, "Heavy-traffic limits for queues with many
   exponential servers", Operations Research 29(3), 567-588, 1981.
.. [2] G. Koole, "Call Center Optimization", MG books, 2013, ch. 4-5
   (staffing for service level, shrinkage).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import special

from . import _validation as v
from . import erlang as e

__all__ = [
    "required_agents",
    "total_shrinkage",
    "scheduled_agents",
    "fte",
    "staffing_plan",
    "staffing_plan_from_forecast",
    "rate_distribution",
    "StaffingPlan",
    "TARGETS",
]

#: Targets in the order they are reported when several bind at once.
TARGETS = ("service_level", "asa", "occupancy", "abandon_rate")
SHRINKAGE_METHODS = ("additive", "multiplicative")
# Occupancy is a plain ratio of decimal inputs: 5.7 Erlangs on 6 agents is 95% exactly, though
# 5.7 / 6 rounds a hair above 0.95. A few ulps of slack keep such ties on the right side.
_OCC_TIE = 1 + 8 * np.finfo(float).eps


# --------------------------------------------------------------------------
# The exact inverse.
# --------------------------------------------------------------------------


def _hw_guess(A, t, sl, max_asa_aht):
    """Square-root-staffing guess for Erlang C: n = A + beta sqrt(A).

    In the Halfin-Whitt regime the wait probability is 1 / (1 + beta M(beta))
    with M = Phi / phi; beta solves the service-level and ASA targets in that
    form by Newton's method (a few steps: the guess only seeds the exact search).
    """
    sqrt_a = np.sqrt(A)
    beta = np.zeros_like(A)

    def newton(rhs, slope):
        # solve log(1 + b M(b)) + slope(b) = rhs for b >= 0; the left side increases in b
        b = np.ones_like(A)
        for _ in range(3):
            m = special.ndtr(b) * np.exp(0.5 * b * b) * np.sqrt(2 * np.pi)  # Phi(b) / phi(b)
            g = np.log1p(b * m) + slope[0](b) - rhs
            dg = (m + b * (1 + b * m)) / (1 + b * m) + slope[1](b)
            b = np.clip(b - g / dg, 1e-6, 30.0)
        return b

    if sl is not None:
        # 1 - C e^(-b sqrt(A) t) = sl  <=>  log(1 + b M) + b sqrt(A) t = -log(1 - sl)
        k = sqrt_a * t
        beta = np.maximum(beta, newton(-np.log1p(-np.minimum(sl, 1 - 1e-12)), (lambda b: b * k, lambda b: k)))
    if max_asa_aht is not None:
        # C / (b sqrt(A)) = max_asa / aht  <=>  log(1 + b M) + log(b) = -log(max_asa sqrt(A) / aht)
        rhs = -np.log(np.maximum(max_asa_aht, 1e-300) * sqrt_a)
        beta = np.maximum(beta, newton(rhs, (np.log, lambda b: 1 / b)))
    return np.ceil(A + beta * sqrt_a)


class _Targets:
    """Which targets n agents miss, for one model, over a set of busy intervals."""

    _FIELDS = ("A", "t", "q", "sl", "max_asa", "max_occ", "max_ab")

    def __init__(self, A, t, q, sl, max_asa, max_occ, max_ab, model, sl_definition):
        self.A, self.t, self.q = A, t, q
        self.sl, self.max_asa, self.max_occ, self.max_ab = sl, max_asa, max_occ, max_ab
        self.model, self.sl_definition = model, sl_definition

    def subset(self, mask):
        picked = [None if getattr(self, f) is None else getattr(self, f)[mask] for f in self._FIELDS]
        return _Targets(*picked, self.model, self.sl_definition)

    def failing(self, n, log_r=None):
        """Boolean array (len(TARGETS), intervals): target k missed with n agents.

        For Erlang C, ``log_r`` = log(F_{n-1}(A) / p_n(A)) may be given to skip
        the incomplete gamma function.
        """
        A = self.A
        fails = np.zeros((len(TARGETS), A.size), dtype=bool)
        if self.model == "erlang_c":
            c = e._erlang_c(A, n) if log_r is None else e._erlang_c_from_log_r(A, n, log_r)
            if self.sl is not None:
                fails[0] = e._erlang_c_sl(A, n, self.t, c) < self.sl
            if self.max_asa is not None:
                fails[1] = e._erlang_c_asa(A, n, c) > self.max_asa
            if self.max_occ is not None:
                fails[2] = e._occupancy(A, n) > self.max_occ * _OCC_TIE
        else:
            ea = e._ErlangA(A, n, self.q)
            if self.sl is not None:
                fails[0] = ea.service_level(self.t, self.sl_definition) < self.sl
            if self.max_asa is not None:
                fails[1] = ea.asa() > self.max_asa
            if self.max_occ is not None:
                fails[2] = ea.occupancy() > self.max_occ * _OCC_TIE
            if self.max_ab is not None:
                fails[3] = ea.abandon_rate() > self.max_ab
        return fails

    def meets(self, n, log_r=None):
        return ~self.failing(n, log_r).any(axis=0)


def _erlang_c_walk(targets, lower, start, steps=4):
    """Settle Erlang C intervals near ``start`` with one incomplete-gamma evaluation.

    R(n) = F_{n-1}(A) / p_n(A) obeys R(n+1) = (n+1)/A (R(n) + 1) exactly, so the
    agents next to ``start`` are checked with a few flops each. Needs
    ``lower > A``. Returns n, NaN where ``steps`` steps did not settle it.
    """
    A = targets.A
    log_a = np.log(A)
    log_r0 = e._log_r(A, start)
    ok0 = targets.meets(start, log_r0)
    result = np.full(A.shape, np.nan)
    # Down from a good start: the answer is the last good n before a miss (or the floor).
    n, log_r, live = start.copy(), log_r0.copy(), ok0 & (start > lower)
    result[ok0 & (start <= lower)] = start[ok0 & (start <= lower)]
    for _ in range(steps):
        if not live.any():
            break
        i = np.flatnonzero(live)
        down = np.log(np.expm1(log_r[i] + log_a[i] - np.log(n[i])))  # R(n-1) = R(n) A / n - 1
        good = targets.subset(i).meets(n[i] - 1, down)
        result[i[~good]] = n[i[~good]]
        n[i[good]] -= 1
        log_r[i[good]] = down[good]
        floor = good & (n[i] <= lower[i])
        result[i[floor]] = n[i[floor]]
        live[i[~good | floor]] = False
    # Up from a bad start: the answer is the first good n.
    n, log_r, live = start.copy(), log_r0.copy(), ~ok0
    for _ in range(steps):
        if not live.any():
            break
        i = np.flatnonzero(live)
        up = np.log(n[i] + 1) - log_a[i] + np.logaddexp(log_r[i], 0.0)  # R(n+1) = (n+1)/A (R(n) + 1)
        n[i] += 1
        log_r[i] = up
        good = targets.subset(i).meets(n[i], up)
        result[i[good]] = n[i[good]]
        live[i[good]] = False
    return result


def _search(targets, lower, guess, cap):
    """Smallest whole n >= lower with no failing target, for every interval.

    Gallops from ``guess`` to bracket the answer in (lo, hi], then bisects.
    Returns (n, unreached) where unreached marks intervals still failing at ``cap``.
    """
    n0 = np.clip(guess, lower, cap)
    ok0 = targets.meets(n0)
    hi = np.where(ok0, n0, np.nan)  # known good
    lo = np.where(ok0, np.nan, n0)  # known bad
    lo[ok0 & (n0 <= lower)] = lower[ok0 & (n0 <= lower)] - 1
    step = np.ones_like(n0)
    unreached = np.zeros(n0.shape, dtype=bool)
    # Gallop: from a good n step down, from a bad n step up, doubling the step.
    need = np.isnan(lo) | np.isnan(hi)
    while need.any():
        i = np.flatnonzero(need)
        down = np.isnan(lo[i])
        probe = np.where(down, np.maximum(hi[i] - step[i], lower[i]), np.minimum(lo[i] + step[i], cap[i]))
        ok = targets.subset(i).meets(probe)
        hi[i[ok]] = probe[ok]
        lo[i[~ok]] = probe[~ok]
        at_floor = ok & (probe <= lower[i])
        lo[i[at_floor]] = lower[i[at_floor]] - 1
        unreached[i[~ok & (probe >= cap[i])]] = True
        step[i] *= 2
        need = (np.isnan(lo) | np.isnan(hi)) & ~unreached
    # Bisect: lo misses, hi meets.
    hi[unreached] = cap[unreached]
    active = (hi - lo > 1) & ~unreached
    while active.any():
        i = np.flatnonzero(active)
        mid = np.floor(0.5 * (lo[i] + hi[i]))
        ok = targets.subset(i).meets(mid)
        hi[i[ok]] = mid[ok]
        lo[i[~ok]] = mid[~ok]
        active[i] = hi[i] - lo[i] > 1
    return hi, unreached


def _solve(inp, load, t, q, *, service_level, max_asa, max_occupancy, max_abandon_rate, model,
           sl_definition, min_agents, binding=True):
    """Validated arrays in, (agents, binding target names or None) out."""
    arr, idx = inp.arrays, inp.index
    aht = arr["aht"]
    sl = None if service_level is None else v.check_fraction(arr["service_level"], "service_level", index=idx)
    if max_occupancy is not None:
        v.check_fraction(arr["max_occupancy"], "max_occupancy", index=idx)
    if max_abandon_rate is not None:
        v.check_fraction(arr["max_abandon_rate"], "max_abandon_rate", index=idx, closed_low=True)
    if max_asa is not None:
        v.check_nonnegative(arr["max_asa"], "max_asa", "seconds", index=idx)
    min_n = np.zeros(inp.shape) if min_agents is None else v.check_whole(arr["min_agents"], "min_agents", index=idx)

    busy = load > 0

    # Targets no finite staffing meets wherever calls arrive.
    impossible = np.zeros(inp.shape, dtype=bool)
    reasons = []
    for name, value, limit, why in (
        ("service_level", sl, 1.0, "no finite staffing answers every call within the threshold"),
        ("max_asa", max_asa, 0.0, "some calls always wait, so the ASA is never 0"),
        ("max_abandon_rate", max_abandon_rate, 0.0, "some callers always abandon, so the abandon rate is never 0"),
    ):
        if value is None:
            continue
        mask = busy & ((arr[name] >= limit) if name == "service_level" else (arr[name] <= limit))
        if mask.any():
            impossible |= mask
            reasons.append(f"{name}: {why}")
    if impossible.any():
        raise ValueError("no staffing can meet the targets" + v.describe_positions(impossible, idx) + ": "
                         + "; ".join(reasons) + ".")

    max_asa_aht = None if max_asa is None else arr["max_asa"] / aht
    occ = None if max_occupancy is None else arr["max_occupancy"]
    ab = None if max_abandon_rate is None else arr["max_abandon_rate"]
    targets = _Targets(load, t, q, sl, max_asa_aht, occ, ab, model, sl_definition).subset(busy)
    A = load[busy]

    lower = min_n[busy]
    if model == "erlang_c":
        lower = np.maximum(lower, np.floor(A) + 1)  # stability
        if occ is not None:
            lower = np.maximum(lower, np.ceil(A / occ[busy] * (1 - 1e-15)))
    guess = np.maximum(_hw_guess(A, targets.t if targets.t is not None else 0.0, targets.sl, targets.max_asa),
                       lower)
    cap = np.maximum(lower, np.ceil(2 * A + 100 * np.sqrt(A) + 1000))

    agents = np.array(min_n, dtype=float)
    n = _erlang_c_walk(targets, lower, guess) if model == "erlang_c" else np.full(A.shape, np.nan)
    rest = np.isnan(n)
    if rest.any():
        n[rest], unreached = _search(targets.subset(rest), lower[rest], guess[rest], cap[rest])
        if unreached.any():
            bad = np.zeros(inp.shape, bool)
            bad[np.flatnonzero(busy)[np.flatnonzero(rest)[unreached]]] = True
            raise ValueError(
                "no staffing up to 2 x load + 100 sqrt(load) + 1000 agents meets the targets"
                + v.describe_positions(bad, idx) + "; relax max_asa, service_level or max_abandon_rate there."
            )
    agents[busy] = n
    if not binding:
        return agents.astype(np.int64), None
    # Which targets bind: those missed with one agent fewer.
    binding = np.full(inp.shape, "min_agents" if min_agents is not None else "none", dtype=object)
    fewer = n - 1 >= np.maximum(min_n[busy], 0)
    if fewer.any():
        fails = targets.subset(fewer).failing(n[fewer] - 1)
        where = np.flatnonzero(busy)[fewer]
        binding[where] = _labels(fails, np.array(TARGETS, dtype=object))
    return agents.astype(np.int64), binding


def _labels(fails, names):
    """'+'-joined names of the failing targets per column, without a Python loop over columns."""
    codes = (fails * (1 << np.arange(len(names)))[:, None]).sum(axis=0)
    table = {}
    for code in np.unique(codes):
        table[code] = "+".join(names[[(code >> k) & 1 == 1 for k in range(len(names))]]) or "min_agents"
    return np.vectorize(table.get, otypes=[object])(codes)


def _target_inputs(calls, aht, interval, service_level, threshold, patience, model, max_asa,
                   max_occupancy, max_abandon_rate, min_agents, sl_definition):
    v.check_choice(model, "model", e.MODELS)
    v.check_choice(sl_definition, "sl_definition", e.SL_DEFINITIONS)
    e._require_patience(patience, model)
    if service_level is None and max_asa is None and max_abandon_rate is None:
        raise ValueError("give at least one target: service_level with threshold, max_asa or max_abandon_rate.")
    if service_level is not None and threshold is None:
        raise ValueError("threshold is required with service_level: the answer-time target in seconds, "
                         "e.g. threshold=20 for 80/20.")
    inp, load, _, t, q = e._prepare(calls, aht, interval, threshold=e._ABSENT if threshold is None else threshold,
                                    patience=patience if model == "erlang_a" else e._ABSENT)
    extra = v.broadcast_inputs(calls=calls if inp.kind == "series" else np.broadcast_to(0.0, inp.shape),
                               service_level=service_level, max_asa=max_asa, max_occupancy=max_occupancy,
                               max_abandon_rate=max_abandon_rate, min_agents=min_agents)
    if extra.shape != inp.shape:
        raise ValueError(f"targets do not align with the {inp.shape[0] if inp.shape else 1} intervals of calls.")
    inp.arrays.update({k: val for k, val in extra.arrays.items() if k != "calls"})
    return inp, load, t, q


def required_agents(calls, aht, interval=None, service_level=None, threshold=None, *, model="erlang_c",
                    patience=None, max_asa=None, max_occupancy=None, max_abandon_rate=None,
                    sl_definition="offered", min_agents=None):
    """
    Fewest productive agents that meet every given target at once.

    Parameters
    ----------
    calls : numeric
        Calls offered in the interval. [calls per interval]
    aht : numeric
        Average handle time. [s]
    interval : numeric, optional
        Interval length; inferred from a DatetimeIndex on ``calls`` when None. [s]
    service_level : numeric, optional
        Target fraction answered within ``threshold``, e.g. 0.8. [0-1]
    threshold : numeric, optional
        Answer-time target T of the service level, e.g. 20. [s]
    model : {"erlang_c", "erlang_a"}
        Erlang C (callers never abandon) or Erlang A (exponential patience).
    patience : numeric, optional
        Mean patience for Erlang A. [s]
    max_asa : numeric, optional
        Cap on the average speed of answer. [s]
    max_occupancy : numeric, optional
        Cap on agent occupancy, e.g. 0.85. [0-1]
    max_abandon_rate : numeric, optional
        Cap on the fraction of calls abandoned (Erlang A). [0-1]
    sl_definition : {"offered", "exclude_short_abandons"}
        Service-level definition for Erlang A; see :func:`wfm.erlang.erlang_a_service_level`.
    min_agents : numeric, optional
        Floor on agents in every interval, also when no calls arrive. [count]

    Returns
    -------
    agents : int or array or Series
        Whole productive agents. 0 (or ``min_agents``) where ``calls`` is 0.

    Raises
    ------
    ValueError
        For bad input, naming the argument and positions, and for intervals
        no staffing can satisfy (e.g. 100% within the threshold).

    Examples
    --------
    100 calls in 30 minutes with AHT 180 s (10 Erlangs) need 14 agents for 80/20:

    >>> required_agents(100, 180, 1800, service_level=0.8, threshold=20)
    14
    >>> required_agents([100, 0, 400], 180, 1800, 0.8, 20, max_occupancy=0.85)
    array([14,  0, 48])
    """
    inp, load, t, q = _target_inputs(calls, aht, interval, service_level, threshold, patience, model, max_asa,
                                     max_occupancy, max_abandon_rate, min_agents, sl_definition)
    agents, _ = _solve(inp, load, t, q, service_level=service_level, max_asa=max_asa,
                       max_occupancy=max_occupancy, max_abandon_rate=max_abandon_rate, model=model,
                       sl_definition=sl_definition, min_agents=min_agents, binding=False)
    return v.wrap_like(agents, inp, "agents")


# --------------------------------------------------------------------------
# Shrinkage and FTE.
# --------------------------------------------------------------------------


def total_shrinkage(shrinkage, *, method="additive"):
    """
    Total shrinkage from a fraction or from named components.

    Shrinkage is the share of paid time agents are not available for calls.
    Components (breaks, training, meetings, absence, ...) are added as shares
    of paid time (``"additive"``, the usual WFM convention) or compounded,
    each applied to the time left by the others (``"multiplicative"``:
    ``1 - prod(1 - s_i)``).

    Parameters
    ----------
    shrinkage : float, array, Series or dict of name -> fraction
        [0-1]
    method : {"additive", "multiplicative"}

    Returns
    -------
    shrinkage : float, array or Series
        Total shrinkage. [0-1)

    Examples
    --------
    >>> total_shrinkage({"breaks": 0.10, "training": 0.05, "absence": 0.15})
    0.3
    >>> round(total_shrinkage({"breaks": 0.10, "training": 0.05, "absence": 0.15}, method="multiplicative"), 4)
    0.2732
    """
    v.check_choice(method, "method", SHRINKAGE_METHODS)
    if isinstance(shrinkage, dict):
        if not shrinkage:
            return 0.0
        parts = {}
        for name, part in shrinkage.items():
            arr = v.as_float_array(part, f"shrinkage[{name!r}]")
            v.check_fraction(arr, f"shrinkage[{name!r}]", closed_low=True, closed_high=False)
            parts[name] = part
        inp = v.broadcast_inputs(**{f"shrinkage[{k!r}]": p for k, p in parts.items()})
        stack = np.stack(list(inp.arrays.values()))
        total = stack.sum(axis=0) if method == "additive" else 1 - np.prod(1 - stack, axis=0)
        name = "shrinkage (total of " + ", ".join(parts) + ")"
    else:
        inp = v.broadcast_inputs(shrinkage=shrinkage)
        total = inp.arrays["shrinkage"]
        name = "shrinkage"
    v.check_fraction(total, name, index=inp.index, closed_low=True, closed_high=False)
    return v.wrap_like(total, inp, "shrinkage")


def scheduled_agents(agents, shrinkage, *, method="additive"):
    """
    Agents to schedule so that ``agents`` are productive: ``agents / (1 - shrinkage)``.

    Returns a float count (not rounded), so agent-hours and FTE add up exactly.

    Examples
    --------
    >>> scheduled_agents(14, 0.3)
    20.0
    >>> scheduled_agents(14, {"breaks": 0.1, "absence": 0.2})
    20.0
    """
    s = total_shrinkage(shrinkage, method=method)
    inp = v.broadcast_inputs(agents=agents, shrinkage=s)
    v.check_nonnegative(inp.arrays["agents"], "agents", "agents", index=inp.index)
    return v.wrap_like(inp.arrays["agents"] / (1 - inp.arrays["shrinkage"]), inp, "scheduled_agents")


def fte(scheduled_hours, fte_hours_per_week=37.5, weeks=1.0):
    """
    Full-time equivalents: scheduled agent-hours over the paid hours of one FTE.

    Parameters
    ----------
    scheduled_hours : numeric
        Scheduled agent-hours in the period. [h]
    fte_hours_per_week : numeric
        Paid hours of one full-time agent per week. [h]
    weeks : numeric
        Length of the period in weeks (a day of a five-day week is 0.2). [weeks]

    Examples
    --------
    >>> fte(750, 37.5)
    20.0
    """
    inp = v.broadcast_inputs(scheduled_hours=scheduled_hours, fte_hours_per_week=fte_hours_per_week, weeks=weeks)
    v.check_nonnegative(inp.arrays["scheduled_hours"], "scheduled_hours", "hours", index=inp.index)
    v.check_positive(inp.arrays["fte_hours_per_week"], "fte_hours_per_week", "hours")
    v.check_positive(inp.arrays["weeks"], "weeks", "weeks")
    a = inp.arrays
    return v.wrap_like(a["scheduled_hours"] / (a["fte_hours_per_week"] * a["weeks"]), inp, "fte")


# --------------------------------------------------------------------------
# The plan.
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffingPlan:
    """
    Agents per interval with the queue figures they achieve.

    Attributes
    ----------
    table : DataFrame
        One row per interval: ``calls``, ``aht`` [s], ``load`` [Erlangs],
        ``agents``, ``scheduled_agents``, ``service_level_target``,
        ``service_level``, ``asa`` [s], ``occupancy``, ``abandon_rate``
        (Erlang A) and ``binding_target``.
    params : dict
        The arguments that built the plan, in their public names and units.
    """

    table: pd.DataFrame
    params: dict = field(default_factory=dict)

    def totals(self, freq="D", *, week_start=None):
        """
        Calls, productive and scheduled agent-hours and required FTE per day (``"D"``) or week (``"W"``).

        ``required_fte`` divides the scheduled hours the workload needs
        (agents grossed up for all shrinkage) by the paid hours of one FTE in
        the period: ``fte_hours_per_week`` for a week, a fifth of it for a
        day. It is the FTE of an Erlang calculator, before shifts: the FTE to
        employ comes from a schedule (:func:`wfm.plan_headline`). Days and
        weeks are those of the local wall clock; a week starts on
        ``week_start`` (``"MON"``, ``"SUN"``, ``"SAT"``, ...; see
        :func:`wfm.calendar.check_week_start`; default the plan's own
        ``week_start``) and is labelled by its first day.

        Weekly rows carry ``week_share``, the share of a working week the
        plan covers in that week (its open days over the open weekdays of the
        plan): a week the horizon cuts is FTE over that share, so a week's
        FTE is the same whichever weekday the weeks start on, and the plan's
        mean weekly FTE (:meth:`figures`) is the hours over the shares added
        up.
        """
        v.check_choice(freq, "freq", ("D", "W"))
        from .calendar import week_of
        if week_start is None:
            week_start = self.params.get("week_start") or "MON"
        tab = self.table
        if not isinstance(tab.index, pd.DatetimeIndex):
            raise ValueError("totals need a plan built on a DatetimeIndex.")
        hours = self.params["interval"] / 3600.0
        frame = pd.DataFrame({
            "calls": tab["calls"],
            "agent_hours": tab["agents"] * hours,
            "scheduled_hours": tab["scheduled_agents"] * hours,
        })
        if freq == "D":
            out = frame.groupby(tab.index.normalize()).sum()
            out.index.name = "date"
            weeks = 0.2
        else:
            weeks_of = week_of(tab.index, week_start)
            out = frame.groupby(weeks_of).sum()
            out.index.name = "week"
            weeks = out["week_share"] = _week_shares(tab.index, weeks_of).reindex(out.index).to_numpy()
        out["required_fte"] = fte(out["scheduled_hours"], self.params["fte_hours_per_week"], weeks)
        return out

    def plot(self, ax=None, **kwargs):
        """Calls (left axis) and agents, productive and scheduled (right axis), per interval."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(11, 4))
        tab = self.table
        x = np.arange(len(tab))
        ax.bar(x, tab["calls"], width=1.0, color="0.8", label="calls", **kwargs)
        ax.set_ylabel("calls per interval")
        ax2 = ax.twinx()
        ax2.step(x, tab["agents"], where="mid", color="C0", label="agents (productive)")
        ax2.step(x, tab["scheduled_agents"], where="mid", color="C3", label="scheduled agents")
        ax2.set_ylabel("agents")
        ax2.set_ylim(bottom=0)
        if isinstance(tab.index, pd.DatetimeIndex) and len(tab):
            days = tab.index.normalize()
            starts = np.flatnonzero(np.r_[True, days[1:] != days[:-1]])
            ax.set_xticks(starts)
            ax.set_xticklabels([tab.index[i].strftime("%a %d %b") for i in starts], rotation=0)
            for s in starts[1:]:
                ax.axvline(s - 0.5, color="0.6", lw=0.5)
        ax.set_xlim(-0.5, len(tab) - 0.5)
        p = self.params
        title = f"Staffing plan: {p['model'].replace('_', ' ').title()}"
        if p.get("service_level") is not None:
            title += f", {p['service_level']:.0%} in {p['threshold']:g} s"
        ax.set_title(title + f", shrinkage {p['shrinkage_total']:.0%}")
        lines = ax.get_legend_handles_labels()
        lines2 = ax2.get_legend_handles_labels()
        ax.legend(lines[0] + lines2[0], lines[1] + lines2[1], loc="upper center", bbox_to_anchor=(0.5, -0.08),
                  ncol=3, fontsize="small", frameon=False)
        return ax

    #: Display label of each key of :meth:`figures`, for :meth:`summary`.
    LABELS = {"intervals": "intervals", "calls": "calls", "peak_agents": "peak agents",
              "agent_hours": "agent-hours", "scheduled_hours": "scheduled hours",
              "required_fte": "required FTE (mean week)",
              "service_level": "service level (call-weighted)", "asa": "ASA (call-weighted) [s]"}

    def figures(self):
        """
        Key figures of the plan as data: a dict with snake_case keys.

        ``intervals``, ``calls`` [calls], ``peak_agents`` [agents],
        ``agent_hours`` and ``scheduled_hours`` [h], ``required_fte`` (the
        mean working week's: scheduled hours over the weeks' shares of
        :meth:`totals`, the same for any week start; plans on a
        DatetimeIndex),
        ``service_level`` [0-1] and ``asa`` [s], both weighted by calls.
        """
        tab = self.table
        hours = self.params["interval"] / 3600.0
        calls = float(tab["calls"].sum())
        out = {
            "intervals": len(tab),
            "calls": calls,
            "peak_agents": int(tab["agents"].max()) if len(tab) else 0,
            "agent_hours": float((tab["agents"] * hours).sum()),
            "scheduled_hours": float((tab["scheduled_agents"] * hours).sum()),
        }
        if isinstance(tab.index, pd.DatetimeIndex) and len(tab):
            weekly = self.totals("W")
            out["required_fte"] = float(weekly["scheduled_hours"].sum() / weekly["week_share"].sum()
                                        / self.params["fte_hours_per_week"])
        if calls > 0 and "service_level" in tab:
            out["service_level"] = float((tab["service_level"] * tab["calls"]).sum() / calls)
        if calls > 0 and np.isfinite(tab["asa"]).all():
            out["asa"] = float((tab["asa"] * tab["calls"]).sum() / calls)
        return out

    def summary(self):
        """Key figures of the plan (:meth:`figures`) under display labels, as a one-column Series."""
        return pd.Series({self.LABELS[k]: val for k, val in self.figures().items()}, name="plan")

    def __repr__(self):
        return f"StaffingPlan({len(self.table)} intervals)\n{self.summary().to_string()}"

    def _repr_html_(self):
        return (
            "<h4>StaffingPlan</h4>" + self.summary().to_frame().to_html(float_format=lambda x: f"{x:,.2f}")
            + f"<p>First {min(20, len(self.table))} of {len(self.table)} intervals</p>"
            + self.table.head(20).to_html(float_format=lambda x: f"{x:.3f}")
        )


def staffing_plan(calls, aht=None, interval=None, service_level=0.8, threshold=20, *, model="erlang_c",
                  patience=None, max_asa=None, max_occupancy=None, max_abandon_rate=None,
                  sl_definition="offered", min_agents=None, shrinkage=0.0, shrinkage_method="additive",
                  fte_hours_per_week=37.5, week_start=None):
    """
    Agents per interval, scheduled agents and FTE for interval volumes.

    Parameters
    ----------
    calls : Series or DataFrame
        Calls offered per interval on a DatetimeIndex (a DataFrame needs a
        ``calls`` column and may carry ``aht``). [calls per interval]
    aht : numeric or Series, optional
        Average handle time per interval or one value; taken from the
        DataFrame's ``aht`` column when None. [s]
    interval : numeric, optional
        Interval length; inferred from the index when None. [s]
    service_level, threshold : numeric
        Service target: ``service_level`` answered within ``threshold``
        seconds (default 80/20). Pass ``service_level=None`` to staff on the
        other targets only. [0-1], [s]
    model, patience, max_asa, max_occupancy, max_abandon_rate, sl_definition, min_agents
        As in :func:`required_agents`.
    shrinkage : float, Series or dict of name -> fraction
        Share of paid time not on calls; see :func:`total_shrinkage`. [0-1)
    shrinkage_method : {"additive", "multiplicative"}
    fte_hours_per_week : float
        Paid hours of one full-time agent per week. [h]
    week_start : str or int, optional
        The weekday the centre's planning weeks start on, for the weekly
        totals and the plan's required FTE; inferred from the open days of
        ``calls`` when None (:func:`wfm.calendar.infer_week_start`: a
        Sunday-Thursday centre's weeks start on Sunday).

    Returns
    -------
    StaffingPlan

    Examples
    --------
    >>> idx = pd.date_range("2024-01-01 08:00", periods=3, freq="30min")
    >>> plan = staffing_plan(pd.Series([100, 250, 0], index=idx), aht=180, shrinkage=0.3)
    >>> plan.table[["load", "agents", "scheduled_agents", "binding_target"]]
                         load  agents  scheduled_agents binding_target
    2024-01-01 08:00:00  10.0      14         20.000000  service_level
    2024-01-01 08:30:00  25.0      30         42.857143  service_level
    2024-01-01 09:00:00   0.0       0          0.000000           none
    """
    if isinstance(calls, pd.DataFrame):
        if "calls" not in calls.columns:
            raise ValueError(f"calls DataFrame needs a 'calls' column; got columns {list(calls.columns)}.")
        if aht is None:
            if "aht" not in calls.columns:
                raise ValueError("aht is required: pass aht in seconds or an 'aht' column in the calls DataFrame.")
            aht = calls["aht"]
        calls = calls["calls"]
    if aht is None:
        raise ValueError("aht is required: the average handle time in seconds, e.g. aht=300.")
    if not isinstance(calls, pd.Series):
        calls = pd.Series(v.as_float_array(calls, "calls"), name="calls")
        if interval is None:
            raise ValueError("interval is required when calls has no DatetimeIndex; pass it in seconds.")
    if interval is None:
        interval = v.infer_interval(calls.index, "calls")
    v.check_positive(v.as_float_array(interval, "interval"), "interval", "seconds")
    if np.ndim(interval):
        raise ValueError("interval must be one number of seconds for a plan.")
    v.check_positive(v.as_float_array(fte_hours_per_week, "fte_hours_per_week"), "fte_hours_per_week", "hours")
    s_total = total_shrinkage(shrinkage, method=shrinkage_method)
    week_start = _plan_week_start(week_start, calls.index)

    inp, load, t, q = _target_inputs(calls, aht, interval, service_level, threshold, patience, model, max_asa,
                                     max_occupancy, max_abandon_rate, min_agents, sl_definition)
    _warn_units(inp.arrays, calls.index, threshold, patience)
    agents, binding = _solve(inp, load, t, q, service_level=service_level, max_asa=max_asa,
                             max_occupancy=max_occupancy, max_abandon_rate=max_abandon_rate, model=model,
                             sl_definition=sl_definition, min_agents=min_agents)
    metrics = e.queue_metrics(calls, aht, interval, agents, threshold, model=model, patience=patience,
                              sl_definition=sl_definition) if len(calls) else pd.DataFrame(
        columns=["load", "wait_probability", "service_level", "asa", "occupancy"])
    sched = scheduled_agents(pd.Series(agents, index=calls.index), s_total if np.ndim(s_total) == 0 else
                             np.asarray(s_total))
    table = pd.DataFrame(index=calls.index)
    table["calls"] = inp.arrays["calls"]
    table["aht"] = inp.arrays["aht"]
    table["load"] = load
    table["agents"] = agents
    table["scheduled_agents"] = np.asarray(sched, dtype=float)
    if service_level is not None:
        table["service_level_target"] = inp.arrays["service_level"]
    for col in ("service_level", "asa", "occupancy", "abandon_rate"):
        if col in metrics:
            if col == "asa" and max_asa is not None:
                table["max_asa"] = inp.arrays["max_asa"]
            if col == "occupancy" and max_occupancy is not None:
                table["max_occupancy"] = inp.arrays["max_occupancy"]
            if col == "abandon_rate" and max_abandon_rate is not None:
                table["max_abandon_rate"] = inp.arrays["max_abandon_rate"]
            table[col] = metrics[col].to_numpy()
    table["binding_target"] = binding
    params = dict(service_level=service_level, threshold=threshold, model=model, patience=patience,
                  max_asa=max_asa, max_occupancy=max_occupancy, max_abandon_rate=max_abandon_rate,
                  sl_definition=sl_definition, min_agents=min_agents, interval=float(interval),
                  shrinkage=shrinkage, shrinkage_method=shrinkage_method,
                  shrinkage_total=float(np.mean(s_total)), fte_hours_per_week=float(fte_hours_per_week),
                  week_start=week_start)
    return StaffingPlan(table, params)


def _week_shares(index, weeks_of):
    """Per planning week: its open days over the open weekdays of the whole plan (1 for a full working week)."""
    from .calendar import wall_clock

    days = wall_clock(pd.DatetimeIndex(index)).normalize()
    per_week = pd.Series(days, index=weeks_of).groupby(level=0).nunique()
    return per_week / max(1, len(pd.unique(days.day_of_week)))


def _plan_week_start(week_start, index):
    """The plan's week start as 'MON'...'SUN': checked when given, else read from the open days of ``index``."""
    from .calendar import _WEEKDAYS, check_week_start, infer_week_start

    if week_start is None:
        return infer_week_start(index) if isinstance(index, pd.DatetimeIndex) else "MON"
    return _WEEKDAYS[check_week_start(week_start)].upper()


def _warn_units(arrays, index, threshold, patience):
    """UnitWarning for inputs that are allowed but look like unit mistakes (AHT in minutes, threshold 0.33 s)."""
    v.warn_implausible(arrays["aht"], "aht", index=index, stacklevel=4)
    if threshold is not None:
        v.warn_implausible(threshold, "threshold", stacklevel=4)
    if patience is not None:
        v.warn_implausible(patience, "patience", stacklevel=4)


# --------------------------------------------------------------------------
# Staffing to the forecast distribution.
# --------------------------------------------------------------------------

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

    so a band no wider than Poisson noise means a known rate.

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
    >>> m, sd = rate_distribution(100.0, 80.0, 120.0, level=0.8)
    >>> round(float(sd), 3)  # (40 / 2.563)^2 - 100 = 143.6
    11.981
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
    var_rate = var_calls - a["forecast"]
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
                                shrinkage_method="additive", fte_hours_per_week=37.5, week_start=None):
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
    shrinkage_method, fte_hours_per_week, week_start
        As in :func:`staffing_plan`.

    Returns
    -------
    StaffingPlan
        Its table holds, besides the usual columns (queue figures at the
        forecast mean), ``lower``, ``upper``, ``rate_sd``,
        ``calls_staffed`` (the rate staffed for), ``expected_service_level``
        and ``p_meet``.

    Examples
    --------
    >>> idx = pd.date_range("2024-01-01 08:00", periods=2, freq="30min")
    >>> fc = pd.DataFrame({"forecast": [100.0, 250.0], "lower": [80.0, 215.0], "upper": [120.0, 285.0]}, index=idx)
    >>> plan = staffing_plan_from_forecast(fc, aht=180, probability=0.9)
    >>> plan.table[["calls", "calls_staffed", "agents", "p_meet"]].round(3)
                         calls  calls_staffed  agents  p_meet
    2024-01-01 08:00:00  100.0        115.629      15   0.925
    2024-01-01 08:30:00  250.0        278.929      33   0.942
    """
    v.check_choice(method, "method", UNCERTAIN_METHODS)
    v.check_choice(distribution, "distribution", RATE_DISTRIBUTIONS)
    if not isinstance(forecast, pd.DataFrame) or not {"forecast", "lower", "upper"} <= set(forecast.columns):
        got = list(forecast.columns) if isinstance(forecast, pd.DataFrame) else type(forecast).__name__
        raise ValueError(f"forecast must be a DataFrame with columns forecast, lower, upper; got {got}.")
    if service_level is None:
        raise ValueError("service_level is required to staff to a forecast distribution.")
    v.check_fraction(np.asarray(probability, float), "probability", closed_high=False)
    mean, sd = rate_distribution(forecast["forecast"], forecast["lower"], forecast["upper"], level=level)
    calls_staffed = mean if method == "expected" else _rate_quantile(mean, sd, float(probability), distribution)
    base = staffing_plan(pd.Series(calls_staffed, index=forecast.index, name="calls"), aht, interval,
                         service_level, threshold, model=model, patience=patience, max_asa=max_asa,
                         max_occupancy=max_occupancy, max_abandon_rate=max_abandon_rate, sl_definition=sl_definition,
                         min_agents=min_agents, shrinkage=shrinkage, shrinkage_method=shrinkage_method,
                         fte_hours_per_week=fte_hours_per_week, week_start=week_start)
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
