"""
The exact inverse of the queue formulas: the fewest agents meeting every target (:func:`required_agents`).

See :mod:`wfm.staffing` for the method and references.
"""

from __future__ import annotations


import numpy as np
from scipy import special

from .. import _validation as v
from .. import erlang as e


#: Targets in the order they are reported when several bind at once.
TARGETS = ("service_level", "asa", "occupancy", "abandon_rate")
SHRINKAGE_METHODS = ("additive", "multiplicative")
# Occupancy is a plain ratio of decimal inputs: 5.7 Erlangs on 6 agents is 95% exactly, though
# 5.7 / 6 rounds a hair above 0.95. A few ulps of slack keep such ties on the right side.
_OCC_TIE = 1 + 8 * np.finfo(float).eps


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
    for name, value, limit, why, fix, example in (
        ("service_level", sl, 1.0, "no finite staffing answers every call within the threshold", "a target below 1",
         0.95),
        ("max_asa", max_asa, 0.0, "some calls always wait, so the ASA is never 0", "a cap above 0 s", 30),
        ("max_abandon_rate", max_abandon_rate, 0.0, "some callers always abandon, so the abandon rate is never 0",
         "a cap above 0", 0.05),
    ):
        if value is None:
            continue
        mask = busy & ((arr[name] >= limit) if name == "service_level" else (arr[name] <= limit))
        if mask.any():
            impossible |= mask
            first = float(np.ravel(arr[name])[np.flatnonzero(np.ravel(mask))[0]])  # named as the user set it
            reasons.append(f"{v.option(name, first)}: {why}; give {fix}, e.g. {v.option(name, example)}")
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
            bad.reshape(-1)[np.flatnonzero(busy)[np.flatnonzero(rest)[unreached]]] = True  # a view, also of one number
            stuck = targets.subset(rest).subset(unreached)
            missed = stuck.failing(cap[rest][unreached]).any(axis=1)  # the targets still missed at the cap
            keys = [k for k, miss in zip(("service_level", "max_asa", "max_occupancy", "max_abandon_rate"), missed)
                    if miss]
            raise ValueError(
                "no staffing up to 2 x load + 100 sqrt(load) + 1000 agents meets the targets"
                + v.describe_positions(bad, idx) + f"; {' and '.join(keys) or 'the targets'} still "
                f"{'fails' if len(keys) == 1 else 'fail'} there at that many agents: relax "
                f"{' or '.join(keys) or 'max_asa, service_level or max_abandon_rate'} there."
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
    unique, inverse = np.unique(codes, return_inverse=True)  # a few distinct codes, looked up with one take
    text = np.array(["+".join(names[[(code >> k) & 1 == 1 for k in range(len(names))]]) or "min_agents"
                     for code in unique], dtype=object)
    return text[inverse.reshape(codes.shape)]


def _target_inputs(calls, aht, interval, service_level, threshold, patience, model, max_asa,
                   max_occupancy, max_abandon_rate, min_agents, sl_definition):
    v.check_choice(model, "model", e.MODELS)
    v.check_choice(sl_definition, "sl_definition", e.SL_DEFINITIONS)
    e._require_patience(patience, model)
    e._reject_abandonment_args(model, patience=patience, max_abandon_rate=max_abandon_rate)
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
    return _required_agents(calls, aht, interval, service_level, threshold, model=model, patience=patience,
                            max_asa=max_asa, max_occupancy=max_occupancy, max_abandon_rate=max_abandon_rate,
                            sl_definition=sl_definition, min_agents=min_agents, warn=True)


def _required_agents(calls, aht, interval=None, service_level=None, threshold=None, *, model="erlang_c",
                     patience=None, max_asa=None, max_occupancy=None, max_abandon_rate=None,
                     sl_definition="offered", min_agents=None, warn=False):
    """:func:`required_agents`, for callers inside wfm that warned about their own inputs' units (``warn=False``)."""
    inp, load, t, q = _target_inputs(calls, aht, interval, service_level, threshold, patience, model, max_asa,
                                     max_occupancy, max_abandon_rate, min_agents, sl_definition)
    if warn:  # unit slips (AHT in minutes, a 30 s interval), once per call, naming the caller's line
        v.warn_queue_units(aht=inp.arrays["aht"], interval=interval, threshold=threshold, patience=patience,
                           index=inp.index, stacklevel=5)
    agents, _ = _solve(inp, load, t, q, service_level=service_level, max_asa=max_asa,
                       max_occupancy=max_occupancy, max_abandon_rate=max_abandon_rate, model=model,
                       sl_definition=sl_definition, min_agents=min_agents, binding=False)
    return v.wrap_like(agents, inp, "agents")
