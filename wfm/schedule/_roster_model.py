"""
The roster model in CP-SAT: named agents x days x shift types.

:func:`build_and_solve` takes the checked problem (:class:`Problem`, built by
:mod:`wfm.schedule.rostering` from the public arguments) and returns the
assignment, the objective by term and the proven bound. Every rule is one
family of constraints on the Booleans ``x[a, d, s]`` (agent a works shift
type s on day d) and ``w[a, d] = sum_s x[a, d, s] <= 1`` (agent a works on
day d):

* availability, days off, skills, contracts and ``max_shifts == 0``: the
  variable is not created;
* successions (forbidden pairs and minimum rest): ``x[a,d,s] + sum_{t in
  F(a, s)} x[a,d+1,t] <= 1``;
* max consecutive working days k: every k+1 days hold a day off;
* min consecutive working days k (days off likewise): no run of L < k
  working days between two days off inside the horizon, as one clause per
  start and length (runs touching either end of the horizon are exempt: they
  continue outside it);
* weekends: ``we[a, k] = max(w[a, d] for d in weekend k)``, summed;
* paid minutes over the horizon and per week, working days per week: linear;
* cover per day and shift type: ``n[d, s] + under - over = required``;
  per interval: ``sum n[d, s] on the phones in i + under - over =
  required_i``;
* requests: a linear penalty per unmet request;
* fairness: ``hi >= f_a >= lo`` for the weekends, lates and unmet request
  weight f of each agent, penalised by ``weight * (hi - lo)``.

Objective weights are scaled to integers (CP-SAT needs them) by a power of ten
and scaled back in the reported figures.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Problem:
    """A checked roster problem on index numbers (agents a, days d, shift types s)."""

    agents: list
    days: int
    shift_names: list
    paid: np.ndarray  # (S,) paid minutes per shift type
    late: np.ndarray  # (S,) bool
    allowed: np.ndarray  # (A, D, S) bool
    max_shifts: np.ndarray  # (A, S) int
    min_total: np.ndarray  # (A,) paid minutes over the horizon
    max_total: np.ndarray
    weeks: list  # per week: (day indices, full week?)
    min_week: np.ndarray  # (A,) paid minutes per full week
    max_week: np.ndarray
    min_days_week: np.ndarray  # (A,)
    max_days_week: np.ndarray
    min_cons: np.ndarray  # (A,) working days, 1 = no rule
    max_cons: np.ndarray  # (A,) working days, >= days = no rule
    min_off: np.ndarray  # (A,) days off, 1 = no rule
    max_weekends: np.ndarray  # (A,) >= number of weekends = no rule
    min_weekends: np.ndarray  # (A,) 0 = no rule
    weekends: list  # per weekend: day indices inside the horizon
    follow: np.ndarray  # (A, S, S) bool: shift t may not follow shift s on the next day
    cover: dict  # "day", "shift", "required", "under", "over" arrays (day-shift cover), may be empty
    interval_cover: dict | None  # "on" (I x (D*S) sparse 0/1), "required", "under", "over"
    requests: dict  # "agent", "day", "shift" (-1: any), "on" (bool), "weight"
    fairness: dict  # "weekends", "lates", "requests": weights per unit of spread
    max_weekend_spread: int | None = None
    hint: np.ndarray | None = None  # (A, D) shift index or -1 (off); None: no hint
    fixed: dict = field(default_factory=dict)  # (a, d) -> s: cells fixed to a shift
    fair_fixed: dict = field(default_factory=dict)  # spread name -> (min, max) over agents outside the model
    request_scale: int = 1  # unmet request weight x this is whole

    def __post_init__(self):
        if self.request_scale == 1 and len(self.requests["weight"]):
            self.request_scale = _scale(self.requests["weight"])


@dataclass
class Solution:
    assign: np.ndarray  # (A, D) shift index or -1
    objective: float
    bound: float
    status: str
    seconds: float
    terms: dict
    message: str
    build_seconds: float
    variables: int
    constraints: int


#: CP-SAT workers for a model searched in parts (larger than ``big_model``): one per core of a small
#: machine, as measured in benchmarks/bench_roster.py (instances 13 and 20-24, the bank case). [count]
PARTS_WORKERS = 2


def _scale(values):
    """Power of ten that makes every weight a whole number (at most 1e4)."""
    vals = np.asarray([x for x in values if x], dtype=float)
    for k in range(5):
        if np.allclose(vals * 10 ** k, np.rint(vals * 10 ** k), rtol=0, atol=1e-9):
            return 10 ** k
    return 10 ** 4


def build_and_solve(p: Problem, *, time_limit, num_workers=8, verbose=False, seed=0, relative_gap=0.0, stop_at=None,
                    full_lp=True, soft_limit=None, caps=None, floors=None):
    """
    CP-SAT on the whole problem ``p``: a :class:`Solution` (assignment None when none was found).

    ``time_limit`` caps the search [s]; with ``soft_limit`` [s] the search stops at the first roster
    found after that many seconds (or at ``time_limit`` if none). ``stop_at``: stop at a roster of
    at most this objective. ``full_lp``: CP-SAT's full linear relaxation (``linearization_level=2``).
    """
    from ortools.sat.python import cp_model

    t0 = time.perf_counter()
    A, D, S = p.allowed.shape
    m = cp_model.CpModel()
    x = {}
    per_day = [[[] for _ in range(D)] for _ in range(A)]  # (s, var)
    for a, d, s in zip(*np.nonzero(p.allowed)):
        v = m.new_bool_var(f"x{a}_{d}_{s}")
        x[a, d, s] = v
        per_day[a][d].append((s, v))
    for (a, d), s in p.fixed.items():
        m.add(x[a, d, s] == 1)
    w = [[None] * D for _ in range(A)]
    for a in range(A):
        for d in range(D):
            if per_day[a][d]:
                wv = m.new_bool_var(f"w{a}_{d}")
                m.add(sum(v for _, v in per_day[a][d]) == wv)
                w[a][d] = wv
            else:
                w[a][d] = 0

    def clause(lits):
        """lits: list of (value, positive). value is a var or 0."""
        out = []
        for val, pos in lits:
            if isinstance(val, int):
                if (val == 1) == pos:
                    return  # satisfied
                continue
            out.append(val if pos else val.Not())
        if not out:
            m.add_bool_or([])  # every literal is false: infeasible
            return
        m.add_bool_or(out)

    n_weekends = len(p.weekends)
    wk_count = []
    for a in range(A):
        wa = w[a]
        # max consecutive working days
        k = int(p.max_cons[a])
        if k < D:
            for d in range(D - k):
                window = [v for v in wa[d:d + k + 1] if not isinstance(v, int)]
                if len(window) > k:
                    m.add(sum(window) <= k)
        # min consecutive working days / days off: forbid short inner runs
        for kmin, work in ((int(p.min_cons[a]), True), (int(p.min_off[a]), False)):
            for L in range(1, kmin):
                for d in range(1, D - L):
                    lits = [(wa[d - 1], work)] + [(wa[t], not work) for t in range(d, d + L)] + [(wa[d + L], work)]
                    clause(lits)
        # weekends
        wks = []
        for days in p.weekends:
            vs = [wa[d] for d in days if not isinstance(wa[d], int)]
            if not vs:
                wks.append(0)
                continue
            if len(vs) == 1:
                wks.append(vs[0])
                continue
            we = m.new_bool_var("")
            m.add_max_equality(we, vs)
            wks.append(we)
        wk_count.append(wks)
        if int(p.max_weekends[a]) < n_weekends:
            m.add(sum(wks) <= int(p.max_weekends[a]))
        if int(p.min_weekends[a]) > 0:
            m.add(sum(wks) >= int(p.min_weekends[a]))
        # paid minutes over the horizon
        terms = [(int(p.paid[s]), v) for d in range(D) for s, v in per_day[a][d]]
        total = sum(c * v for c, v in terms) if terms else 0
        if p.max_total[a] < sum(c for c, _ in terms):
            m.add(total <= int(p.max_total[a]))
        if p.min_total[a] > 0:
            m.add(total >= int(p.min_total[a]))
        # per week
        for days, full in p.weeks:
            tw = [(int(p.paid[s]), v) for d in days for s, v in per_day[a][d]]
            wd = [wa[d] for d in days if not isinstance(wa[d], int)]
            if p.max_week[a] < sum(c for c, _ in tw):
                m.add(sum(c * v for c, v in tw) <= int(p.max_week[a]))
            if full and p.min_week[a] > 0:
                m.add(sum(c * v for c, v in tw) >= int(p.min_week[a]))
            if p.max_days_week[a] < len(wd):
                m.add(sum(wd) <= int(p.max_days_week[a]))
            if full and p.min_days_week[a] > 0:
                m.add(sum(wd) >= int(p.min_days_week[a]))
        # max shifts per type
        for s in range(S):
            vs = [x[a, d, s] for d in range(D) if (a, d, s) in x]
            if len(vs) > p.max_shifts[a, s]:
                m.add(sum(vs) <= int(p.max_shifts[a, s]))
        # successions
        F = p.follow[a]
        if F.any():
            for d in range(D - 1):
                nxt = dict(per_day[a][d + 1])
                for s, v in per_day[a][d]:
                    bad = [nxt[t] for t in np.flatnonzero(F[s]) if t in nxt]
                    if bad:
                        m.add(v + sum(bad) <= 1)

    # cover per day and shift
    const = 0.0
    terms_expr = {"cover_under": [], "cover_over": [], "requests": [], "fairness": []}
    count = {}

    def n_of(d, s):
        if (d, s) not in count:
            count[d, s] = [x[a, d, s] for a in range(A) if (a, d, s) in x]
        return count[d, s]

    cov = p.cover
    hard = bool(cov.get("hard", False))
    cover_const = {"cover_under": 0.0, "cover_over": 0.0}
    if A == 1 and not hard:
        # one agent against the cover the others leave: working a cell takes one off a shortfall
        # (required r >= 1) or adds one over it (r <= 0), so each term is linear in x and needs no
        # under/over variables (a model a fraction of the size: the construction solves one per agent)
        for d, s, r, wu, wo in zip(cov["day"], cov["shift"], cov["required"], cov["under"], cov["over"]):
            r, v = int(r), x.get((0, int(d), int(s)))
            cover_const["cover_under"] += float(wu) * max(r, 0)
            cover_const["cover_over"] += float(wo) * max(-r, 0)
            if v is not None and r >= 1 and wu:
                terms_expr["cover_under"].append((-float(wu), v))
            elif v is not None and r <= 0 and wo:
                terms_expr["cover_over"].append((float(wo), v))
        cov = {k: val[:0] for k, val in cov.items() if k != "hard"}
    for d, s, r, wu, wo in zip(cov["day"], cov["shift"], cov["required"], cov["under"], cov["over"]):
        vs = n_of(int(d), int(s))
        r = int(r)
        u = m.new_int_var(0, 0 if hard else max(r, 0), "")
        o = m.new_int_var(0, max(len(vs) - r, 0), "")
        m.add(sum(vs) + u - o == r) if vs else m.add(u - o == r)
        if wu:
            terms_expr["cover_under"].append((float(wu), u))
        if wo:
            terms_expr["cover_over"].append((float(wo), o))

    ic = p.interval_cover
    if ic is not None:
        on = ic["on"].tocsr()  # rows intervals, cols d * S + s
        nvar = {}
        for i in range(on.shape[0]):
            cols = on.indices[on.indptr[i]:on.indptr[i + 1]]
            r = int(ic["required"][i])
            vs = []
            for c in cols:
                d, s = divmod(int(c), S)
                vs.extend(n_of(d, s))
            if not vs and r == 0:
                continue
            u = m.new_int_var(0, r, "")
            o = m.new_int_var(0, len(vs), "")
            m.add(sum(vs) + u - o == r) if vs else m.add(u - o == r)
            if ic["under"][i]:
                terms_expr["cover_under"].append((float(ic["under"][i]), u))
            if ic["over"][i]:
                terms_expr["cover_over"].append((float(ic["over"][i]), o))
        del nvar

    # requests
    rq = p.requests
    unmet_by_agent = [[] for _ in range(A)]  # (weight, var, sign) linear pieces
    for a, d, s, on_, wt in zip(rq["agent"], rq["day"], rq["shift"], rq["on"], rq["weight"]):
        a, d, s, wt = int(a), int(d), int(s), float(wt)
        var = w[a][d] if s < 0 else x.get((a, d, s), 0)
        if isinstance(var, int):
            miss = (1 - var) if on_ else var
            const += wt * miss
            unmet_by_agent[a].append((wt * miss, None))
            continue
        if on_:  # penalty wt * (1 - var)
            const += wt
            terms_expr["requests"].append((-wt, var))
            unmet_by_agent[a].append((wt, None))
            unmet_by_agent[a].append((-wt, var))
        else:
            terms_expr["requests"].append((wt, var))
            unmet_by_agent[a].append((wt, var))
    req_const = const

    # fairness: spread (max - min) over agents
    fw = p.fairness
    spread_vars = {}

    def spread(name, exprs, weight, ub, cap=None, scale=1):
        lo_fix, hi_fix = p.fair_fixed.get(name, (None, None))
        if hi_fix is not None:
            ub = max(ub, int(np.ceil(hi_fix * scale)))
        hi = m.new_int_var(0, ub, f"{name}_hi")
        lo = m.new_int_var(0, ub, f"{name}_lo")
        if hi_fix is not None:
            m.add(hi >= int(np.ceil(hi_fix * scale - 1e-9)))
            m.add(lo <= int(np.floor(lo_fix * scale + 1e-9)))
        for e in exprs:
            m.add(hi >= e)
            m.add(lo <= e)
        if cap is not None:
            m.add(hi - lo <= cap)
        if weight:
            terms_expr["fairness"].append((float(weight), hi))
            terms_expr["fairness"].append((-float(weight), lo))
        spread_vars[name] = (hi, lo)

    multi = A > 1 or bool(p.fair_fixed)
    if multi and n_weekends and (fw.get("weekends") or p.max_weekend_spread is not None):
        spread("weekends", [sum(v for v in wks) for wks in wk_count], fw.get("weekends", 0.0), n_weekends,
               p.max_weekend_spread)
    if multi and fw.get("lates") and p.late.any():
        lates = [sum(x[a, d, s] for d in range(D) for s in np.flatnonzero(p.late) if (a, d, s) in x) for a in range(A)]
        spread("lates", lates, fw["lates"], D)
    if multi and fw.get("requests") and (len(rq["agent"]) or "requests" in p.fair_fixed):
        rscale = p.request_scale
        exprs = []
        ub = int(sum(abs(c) for lst in unmet_by_agent for c, _ in lst) * rscale) + 1
        for lst in unmet_by_agent:
            e = 0
            for c, v in lst:
                e = e + (round(c * rscale) if v is None else round(c * rscale) * v)
            exprs.append(e)
        spread("requests", exprs, fw["requests"] / rscale, ub, scale=rscale)

    allw = [c for lst in terms_expr.values() for c, _ in lst]
    consts = dict(cover_const, requests=req_const)  # each term's constant part
    scale = _scale(allw + list(consts.values())) if allw else 1
    m.minimize(sum(round(c * scale) * v for lst in terms_expr.values() for c, v in lst))
    for k, cap in (caps or {}).items():  # a term held at most at a value
        m.add(sum(round(c * scale) * v for c, v in terms_expr[k]) <= round((float(cap) - consts[k]) * scale))
    for k, floor in (floors or {}).items():  # a term held above a value
        m.add(sum(round(c * scale) * v for c, v in terms_expr[k]) >= round((float(floor) - consts[k]) * scale) + 1)
    const_scaled = sum(consts.values()) * scale

    if p.hint is not None:
        for (a, d, s), v in x.items():
            m.add_hint(v, int(p.hint[a, d] == s))

    build = time.perf_counter() - t0
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit)
    solver.parameters.num_workers = int(num_workers)
    solver.parameters.random_seed = int(seed)
    solver.parameters.log_search_progress = bool(verbose)
    if full_lp:
        # the full linear relaxation (every constraint, not only the small ones): on the benchmark's
        # models it gives the bound and the LP-guided workers their solutions
        solver.parameters.linearization_level = 2
    if relative_gap:
        solver.parameters.relative_gap_limit = float(relative_gap)

    t1 = time.perf_counter()
    target = None if stop_at is None else float(stop_at) * scale - const_scaled

    class _Watch(cp_model.CpSolverSolutionCallback):
        found = False

        def on_solution_callback(self):
            self.found = True
            if target is not None and self.objective_value <= target + 1e-9:
                self.stop_search()

    callback = _Watch()
    done = threading.Event()
    if soft_limit is not None:
        # past soft_limit seconds, stop as soon as there is a roster; time_limit stays the hard cap
        def watch():
            while not done.wait(0.05):
                if callback.found and time.perf_counter() - t1 >= soft_limit:
                    solver.stop_search()
                    return

        threading.Thread(target=watch, daemon=True).start()
    try:
        status = solver.solve(m, callback)
    finally:
        done.set()
    seconds = time.perf_counter() - t1
    proto = m.proto
    nvars, ncons = len(proto.variables), len(proto.constraints)
    name = solver.status_name(status)
    if status == cp_model.INFEASIBLE:
        return Solution(None, np.nan, np.nan, "infeasible", seconds, {}, name, build, nvars, ncons)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Solution(None, np.nan, np.nan, "no_solution", seconds, {}, name, build, nvars, ncons)
    assign = np.full((A, D), -1, dtype=np.int64)
    for (a, d, s), v in x.items():
        if solver.boolean_value(v):
            assign[a, d] = s
    terms = {k: sum(c * solver.value(v) for c, v in lst) for k, lst in terms_expr.items()}
    for k, c in consts.items():
        terms[k] += c
    if status != cp_model.OPTIMAL and ic is None and not p.fair_fixed:
        # a search stopped early may leave slack in the under/over and spread variables: the
        # roster's own figures, computed from the assignment
        terms = objective_of(p, assign)
    objective = float(sum(terms.values()))
    bound = max(float(solver.best_objective_bound) / scale + sum(consts.values()), 0.0)  # every term is >= 0
    if status == cp_model.OPTIMAL:
        bound = objective
    spreads = {k: (solver.value(hi), solver.value(lo)) for k, (hi, lo) in spread_vars.items()}
    terms = {k: float(v) for k, v in terms.items()}
    sol = Solution(assign, objective, min(bound, objective), "optimal" if status == cp_model.OPTIMAL else "time_limit",
                   seconds, terms, name, build, nvars, ncons)
    sol.spreads = spreads
    return sol


# --------------------------------------------------------------------------
# The objective of an assignment, and large-neighbourhood search by agents.
# --------------------------------------------------------------------------


def agent_figures(p: Problem, assign):
    """Per agent: working weekends, late shifts and unmet request weight."""
    A = assign.shape[0]
    worked = assign >= 0
    we = np.zeros(A, dtype=np.int64)
    for days in p.weekends:
        we += worked[:, days].any(axis=1)
    late = (worked & p.late[np.maximum(assign, 0)]).sum(axis=1) if p.late.any() else np.zeros(A, np.int64)
    unmet = np.zeros(A)
    rq = p.requests
    if len(rq["agent"]):
        got = np.where(rq["shift"] < 0, assign[rq["agent"], rq["day"]] >= 0,
                       assign[rq["agent"], rq["day"]] == rq["shift"])
        np.add.at(unmet, rq["agent"], np.where(got != rq["on"], rq["weight"], 0.0))
    return {"weekends": we, "lates": late, "requests": unmet}


def objective_of(p: Problem, assign):
    """The model's objective by term for ``assign`` (A x D shift index, -1 off), computed directly."""
    cov = p.cover
    n = np.zeros((p.days, len(p.shift_names)), dtype=np.int64)
    a_idx, d_idx = np.nonzero(assign >= 0)
    np.add.at(n, (d_idx, assign[a_idx, d_idx]), 1)
    got = n[cov["day"], cov["shift"]]
    terms = {"cover_under": float((np.maximum(cov["required"] - got, 0) * cov["under"]).sum()),
             "cover_over": float((np.maximum(got - cov["required"], 0) * cov["over"]).sum())}
    fig = agent_figures(p, assign)
    terms["requests"] = float(fig["requests"].sum())
    fair = 0.0
    for k in ("weekends", "lates", "requests"):
        wgt = p.fairness.get(k, 0.0)
        vals = fig[k]
        if k == "weekends" and not p.weekends or k == "lates" and not p.late.any():
            continue
        if wgt and len(vals) > 1:
            fair += wgt * float(vals.max() - vals.min())
    terms["fairness"] = fair
    return terms


def _solution_of(p: Problem, assign, bound, message):
    """A :class:`Solution` of a roster found outside one CP-SAT search, with its figures computed from it."""
    terms = objective_of(p, assign)
    return Solution(assign, float(sum(terms.values())), bound, "time_limit", 0.0, terms, message, 0.0, 0, 0)


def _short_cells(p: Problem, cur):
    """(days, shifts) of the day-shift covers the assignment leaves short."""
    cov = p.cover
    n = np.zeros((p.days, len(p.shift_names)), dtype=np.int64)
    a_idx, d_idx = np.nonzero(cur >= 0)
    np.add.at(n, (d_idx, cur[a_idx, d_idx]), 1)
    short = (n[cov["day"], cov["shift"]] < cov["required"]) & (cov["under"] > 0)
    return cov["day"][short], cov["shift"][short]


def _subproblem(p: Problem, cur, ag, free):
    """The problem over agents ``ag`` (cells not ``free`` fixed to ``cur``), the others' cover taken off."""
    ag = np.asarray(ag)
    others = np.setdiff1d(np.arange(len(p.agents)), ag)
    allowed = p.allowed[ag].copy()
    fixed = {}
    for i, a in enumerate(ag):
        for d in np.flatnonzero(~free[i]):
            allowed[i, d, :] = False
            if cur[a, d] >= 0:
                allowed[i, d, cur[a, d]] = True
                fixed[i, int(d)] = int(cur[a, d])
    n = np.zeros((p.days, len(p.shift_names)), dtype=np.int64)
    sub = cur[others]
    a_idx, d_idx = np.nonzero(sub >= 0)
    np.add.at(n, (d_idx, sub[a_idx, d_idx]), 1)
    cov = dict(p.cover, required=p.cover["required"] - n[p.cover["day"], p.cover["shift"]])
    rq = p.requests
    keep = np.isin(rq["agent"], ag)
    remap = np.full(len(p.agents), -1)
    remap[ag] = np.arange(ag.size)
    req = {k: val[keep] for k, val in rq.items()}
    req["agent"] = remap[req["agent"]]
    fair_fixed = {}
    if others.size:
        fig = agent_figures(p, cur)
        fair_fixed = {k: (float(val[others].min()), float(val[others].max())) for k, val in fig.items()}
    kw = {k: getattr(p, k)[ag] for k in ("max_shifts", "min_total", "max_total", "min_week", "max_week",
                                          "min_days_week", "max_days_week", "min_cons", "max_cons", "min_off",
                                          "max_weekends", "min_weekends", "follow")}
    return Problem(agents=[p.agents[a] for a in ag], days=p.days, shift_names=p.shift_names, paid=p.paid,
                   late=p.late, allowed=allowed, weeks=p.weeks, weekends=p.weekends, cover=cov,
                   interval_cover=None, requests=req, fairness=p.fairness, max_weekend_spread=p.max_weekend_spread,
                   hint=cur[ag], fixed=fixed, fair_fixed=fair_fixed, request_scale=p.request_scale, **kw)


#: Longest an agent of :func:`construct` searches for its first roster before the construction gives up. [s]
FIRST_ROSTER_CAP = 60.0


def construct(p: Problem, *, time_budget, num_workers=2, seed=0):
    """A roster built agent by agent: each agent solved alone (its own hard rules) against the cover the
    agents before it leave; agents with the fewest allowed cells first. Each agent gets an equal share of
    what is left of ``time_budget`` (seconds) and, when it has no roster by then, searches on until its
    first one (at most :data:`FIRST_ROSTER_CAP` seconds), so the construction may overrun its budget
    rather than fail. Returns (roster or None, "ok", "infeasible" or "no_solution").
    """
    A, D, _ = p.allowed.shape
    cur = np.full((A, D), -1, dtype=np.int64)
    order = np.argsort(p.allowed.reshape(A, -1).sum(axis=1), kind="stable")
    t_end = time.perf_counter() + time_budget
    for n, a in enumerate(order):
        share = max((t_end - time.perf_counter()) / (A - n), 0.1)
        sub = _subproblem(p, cur, np.array([a]), np.ones((1, D), dtype=bool))
        sub.hint = None
        sub.fair_fixed = {}
        res = build_and_solve(sub, time_limit=max(share, FIRST_ROSTER_CAP), soft_limit=share,
                              num_workers=num_workers, seed=seed, full_lp=False)
        if res.assign is None:
            return None, ("infeasible" if res.status == "infeasible" else "no_solution")
        cur[a] = res.assign[0]
    return cur, "ok"


#: Shares of the time limit of a small model with a soft cover (see :func:`_least_shortfall_first`): the
#: least shortfall alone, the whole objective with at most that shortfall, and with more; neighbourhood
#: search has the rest. [fraction]
STAGE_SHARES = (0.30, 0.10, 0.05)


def _staged(p: Problem):
    """Whether a model searched whole is searched in stages: a soft day-shift cover with shortfall weights."""
    cov = p.cover
    return p.interval_cover is None and not cov.get("hard", False) and bool(np.any(np.asarray(cov.get("under", [])) > 0))


def _least_shortfall_first(p: Problem, *, time_limit, num_workers, verbose, seed, stop_at):
    """
    A first roster of a small model with a soft cover, and a bound, from a split on the shortfall.

    Shortfall is the term everything else bends around: with its weight far
    above the others' (100 against 1 in the Curtois-Qu instances), a search
    of the whole model keeps trading preferences against shortfall and
    settles with more shortfall than needed (instance 8: 14 units where 12
    is the least). So, with CP-SAT:

    1. the least weighted shortfall U alone (over-cover, request and fairness
       weights dropped, every hard rule kept), for ``STAGE_SHARES[0]`` of
       the time;
    2. the whole objective over the rosters with shortfall at most U,
       hinted with stage 1's roster, for ``STAGE_SHARES[1]``;
    3. the whole objective over the rosters with shortfall above U, for
       ``STAGE_SHARES[2]``.

    Stages 2 and 3 split every roster into two sets, so the better of their
    rosters is the answer over both and the lower of their bounds is a bound
    of the whole problem (a stage 3 that finds nothing in its time, or is
    skipped because stage 2 reached ``stop_at``, has the bound U: its
    rosters' shortfall alone is above it). Every roster returned
    keeps every hard rule.
    """
    import copy

    t0 = time.perf_counter()
    q = copy.copy(p)
    q.cover = dict(p.cover, over=np.zeros_like(np.asarray(p.cover["over"])))
    q.requests = {k: val[:0] for k, val in p.requests.items()}
    q.fairness = {}
    q.hint = None
    one = build_and_solve(q, time_limit=time_limit * STAGE_SHARES[0], num_workers=num_workers, full_lp=True,
                          verbose=verbose, seed=seed)
    if one.assign is None:
        return one
    least = float(one.objective)
    hint = p.hint
    p.hint = one.assign
    try:
        two = build_and_solve(p, time_limit=time_limit * STAGE_SHARES[1], num_workers=num_workers, full_lp=True,
                              verbose=verbose, seed=seed, stop_at=stop_at, caps={"cover_under": least})
    finally:
        p.hint = hint
    if two.assign is None:  # stage 1's roster is a roster of the whole problem; stage 1's bound holds for it
        two = _solution_of(p, one.assign, float(one.bound), "least shortfall")
    best, bound = two, float(two.bound)
    if stop_at is not None and two.objective <= stop_at + 1e-9:
        bound = min(bound, least)  # stage 3 not searched: its rosters' shortfall alone is above U
    else:
        three = build_and_solve(p, time_limit=time_limit * STAGE_SHARES[2], num_workers=num_workers, full_lp=True,
                                verbose=verbose, seed=seed, stop_at=stop_at, floors={"cover_under": least})
        if three.assign is not None:
            bound = min(bound, float(three.bound))
            if three.objective < best.objective:
                best = three
        elif three.status != "infeasible":  # none found in time (infeasible: no roster has more shortfall)
            bound = min(bound, least)
    status = "optimal" if best.objective <= bound + 1e-9 else "time_limit"
    sol = Solution(best.assign, best.objective, min(bound, best.objective), status, time.perf_counter() - t0, best.terms,
                   f"least shortfall {least:g} ({one.status}), then the whole objective at most and above it",
                   best.build_seconds, best.variables, best.constraints)
    sol.spreads = getattr(best, "spreads", {})
    sol.least_shortfall = least if one.status == "optimal" else None
    return sol


def solve_lns(p: Problem, *, time_limit, num_workers=8, verbose=False, seed=0, relative_gap=0.0, first_share=0.5,
              log=None, sub_limit=2.0, stop_at=None, big_model=20000):
    """
    A roster of ``p`` within ``time_limit`` seconds: the CP-SAT search suited to the model's size.

    A model of at most ``big_model`` agent x day x shift cells: CP-SAT on the
    whole model for all the time when the cover is hard; with a soft
    day-shift cover, in stages split on the shortfall
    (:func:`_least_shortfall_first`) and then neighbourhood search as below.
    A larger one: an agent-by-agent start (or the hint) and CP-SAT on the
    whole model for a share of the time (first roster and proven bound),
    then large-neighbourhood search: free a few agents (all days) or all
    agents over a window of days, fix the rest, solve that exactly with
    CP-SAT and keep the result when it is no worse.
    """
    t_end = time.perf_counter() + float(time_limit)
    A, D, S = p.allowed.shape
    whole = A * D * S <= big_model  # searched whole (or in stages), with the full relaxation
    staged = whole and _staged(p)
    if not whole:  # searched in parts, with CP-SAT's default relaxation
        num_workers = min(num_workers, PARTS_WORKERS)
    if p.hint is None and not whole:
        # a large model: build a roster agent by agent first (every hard rule is an agent's own, so
        # each agent solved alone against the cover left by those before is feasible), then improve
        built, why = construct(p, time_budget=float(time_limit) * 0.4, num_workers=num_workers, seed=seed)
        if built is None:
            if why == "infeasible":
                return Solution(None, np.nan, np.nan, "infeasible", time.perf_counter() - (t_end - float(time_limit)),
                                {}, "an agent's own rules admit no roster", 0.0, 0, 0)
            left = t_end - time.perf_counter()  # no agent-by-agent roster in time: the whole model for the rest
            return build_and_solve(p, time_limit=max(left, 1.0), num_workers=num_workers, full_lp=False,
                                   verbose=verbose, seed=seed, relative_gap=relative_gap, stop_at=stop_at)
        p.hint = built
        if A * D * S > 10 * big_model:  # too large to build whole: no proven bound beyond 0
            first = _solution_of(p, built, 0.0, "agent-by-agent construction")
        else:
            left = t_end - time.perf_counter()
            first = build_and_solve(p, time_limit=max(left * first_share, 1.0), num_workers=num_workers,
                                    full_lp=False, verbose=verbose, seed=seed, relative_gap=relative_gap,
                                    stop_at=stop_at)
            if first.assign is None or sum(objective_of(p, first.assign).values()) > \
                    sum(objective_of(p, built).values()):
                bound = first.bound if first.assign is not None else 0.0
                first = _solution_of(p, built, bound, "agent-by-agent construction")
    elif staged:
        # a model small enough to search whole, with a soft cover: the least shortfall first, then the
        # whole objective with the shortfall held there, then neighbourhood search on the result
        first = _least_shortfall_first(p, time_limit=float(time_limit), num_workers=num_workers,
                                       verbose=verbose, seed=seed, stop_at=stop_at)
    else:
        # a model small enough to search whole gets the whole time: CP-SAT's own portfolio (with 8
        # workers) includes neighbourhood search
        first = build_and_solve(p, time_limit=float(time_limit) * (1.0 if whole else first_share),
                                num_workers=num_workers, full_lp=whole,
                                verbose=verbose, seed=seed, relative_gap=relative_gap, stop_at=stop_at)
    if first.assign is None:
        left = t_end - time.perf_counter()
        if first.status == "infeasible" or left < 1:
            return first
        first = build_and_solve(p, time_limit=left, num_workers=num_workers, full_lp=whole, verbose=verbose,
                                seed=seed + 1, relative_gap=relative_gap)
        return first
    if first.status == "optimal" or stop_at is not None and first.objective <= stop_at + 1e-9 or whole and not staged:
        return first  # optimal, good enough, or a model searched whole for the entire time
    num_workers = min(num_workers, PARTS_WORKERS)  # neighbourhoods: one worker per core of a small machine
    cur = first.assign.copy()
    cur_terms = objective_of(p, cur)
    cur_obj = sum(cur_terms.values())
    rng = np.random.default_rng(seed)
    if log is None and verbose:
        log = print
    if log:
        log(f"first: {cur_obj:g} bound {first.bound:g} after {first.seconds:.1f} s")
    k = min(A, max(2, A // 10))
    window = min(D, 7)
    least = getattr(first, "least_shortfall", None)  # the proven least shortfall, when the staged search has one
    it = improved = 0
    history = [(time.perf_counter(), cur_obj)]
    while True:
        left = t_end - time.perf_counter()
        if left < 0.2 or cur_obj <= first.bound + 1e-9 or stop_at is not None and cur_obj <= stop_at + 1e-9:
            break
        it += 1
        kind = rng.random()
        # at the least shortfall (proven by the staged search), the short cells are short in every roster
        at_least = least is not None and cur_terms["cover_under"] <= least + 1e-9
        short = _short_cells(p, cur) if kind >= 0.6 and not at_least else None
        unmet = agent_figures(p, cur)["requests"] if kind >= 0.6 and at_least else None
        if unmet is not None and unmet.sum() > 0 and rng.random() < 0.6:
            # targeted: agents with unmet requests (by weight), free on all days
            ag = np.sort(rng.choice(A, size=min(k, int(np.count_nonzero(unmet)), A), replace=False,
                                    p=unmet / unmet.sum()))
            free = np.ones((ag.size, D), dtype=bool)
        elif kind >= 0.6 and short is not None and len(short[0]) and rng.random() < 0.6:
            # targeted: agents who could work a short (day, shift), free on all days, and every agent
            # free within a few days of it
            j = int(rng.integers(0, len(short[0])))
            d0, s0 = int(short[0][j]), int(short[1][j])
            able = np.flatnonzero(p.allowed[:, d0, s0] & (cur[:, d0] != s0))
            pick = rng.choice(able, size=min(max(k // 2, 1), able.size), replace=False) if able.size else []
            ag = np.arange(A)
            free = np.zeros((A, D), dtype=bool)
            half = max(window // 2, 1)
            free[:, max(d0 - half, 0):d0 + half + 1] = True
            free[pick, :] = True
        elif kind < 0.6 or D <= window:
            ag = np.sort(rng.choice(A, size=min(k, A), replace=False))
            free = np.ones((ag.size, D), dtype=bool)
        else:
            ag = np.arange(A)
            lo = int(rng.integers(0, D - window + 1))
            free = np.zeros((A, D), dtype=bool)
            free[:, lo:lo + window] = True
        sub = _subproblem(p, cur, ag, free)
        # the current roster is a hint the subproblem can always return: past sub_limit, stop at the first
        # roster; a large subproblem whose presolve alone takes longer still gets up to 5 x sub_limit
        res = build_and_solve(sub, time_limit=min(left, 5 * sub_limit), soft_limit=min(left, sub_limit),
                              num_workers=num_workers, full_lp=whole, seed=seed + it)
        if res.assign is not None:
            new = cur.copy()
            new[ag] = res.assign
            terms = objective_of(p, new)
            obj = sum(terms.values())
            if obj <= cur_obj + 1e-9:
                if obj < cur_obj - 1e-9:
                    improved += 1
                    history.append((time.perf_counter(), obj))
                    if log:
                        log(f"lns it {it}: {obj:g} (k={k}, window={window})")
                cur, cur_obj, cur_terms = new, obj, terms
        # adapt the neighbourhood: grow while the subproblems solve to optimality fast, shrink when not
        if res.status == "optimal" and res.seconds < 1.0:
            if kind < 0.6:
                k = min(A, k + 1)
            else:
                window = min(D, window + 1)
        elif res.status != "optimal":
            if kind < 0.6:
                k = max(2, k - 1)
            else:
                window = max(2, window - 1)
    sol = Solution(cur, float(cur_obj), min(first.bound, cur_obj), "optimal" if cur_obj <= first.bound + 1e-9
                   else "time_limit", first.seconds + (time.perf_counter() - (t_end - float(time_limit))
                                                        - first.seconds), cur_terms,
                   f"CP-SAT then {it} LNS steps ({improved} improving)", first.build_seconds, first.variables,
                   first.constraints)
    sol.spreads = {}
    return sol
