"""
The roster model in CP-SAT: named agents x days x shift types.

:func:`build_and_solve` takes the checked problem (:class:`Problem`, built by
:mod:`wfm.roster.rostering` from the public arguments) and returns the
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


@dataclass(frozen=True)
class Problem:
    """A checked roster problem on index numbers (agents a, days d, shift types s); never changed once built
    (a variant is a new Problem, :func:`dataclasses.replace`)."""

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
    max_cons: np.ndarray  # (A,) working days, > days (with those before day 0) = no rule
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
    before: np.ndarray | None = None  # (A, K): 1 worked, 0 off on the K days before day 0 (the last is day -1);
    # -1: not known (the agent's runs start at day 0, as without a previous roster)

    def __post_init__(self):
        if self.request_scale == 1 and len(self.requests["weight"]):
            object.__setattr__(self, "request_scale", _scale(self.requests["weight"]))


@dataclass(frozen=True)
class Solution:
    """What one search found: the assignment (None when none), its objective by term and the proven bound."""

    assign: np.ndarray | None  # (A, D) shift index or -1
    objective: float
    bound: float
    status: str  # "optimal", "time_limit", "infeasible" or "no_solution"
    seconds: float
    terms: dict
    message: str
    build_seconds: float
    variables: int
    constraints: int
    least_shortfall: float | None = None  # the least weighted shortfall, when a staged search proved it


def _scale(values):
    """Power of ten that makes every weight a whole number (at most 1e4)."""
    vals = np.asarray([x for x in values if x], dtype=float)
    for k in range(5):
        if np.allclose(vals * 10 ** k, np.rint(vals * 10 ** k), rtol=0, atol=1e-9):
            return 10 ** k
    return 10 ** 4


#: The objective's terms, in the order they are reported.
TERMS = ("cover_under", "cover_over", "requests", "fairness")


class _Model:
    """The CP-SAT model of ``p`` being built: the variables, and each term's (weight, variable) pieces."""

    def __init__(self, p: Problem):
        from ortools.sat.python import cp_model

        self.p = p
        A, D, _ = p.allowed.shape
        self.m = m = cp_model.CpModel()
        self.x = {}
        self.per_day = [[[] for _ in range(D)] for _ in range(A)]  # (s, var)
        for a, d, s in zip(*np.nonzero(p.allowed)):
            var = m.new_bool_var(f"x{a}_{d}_{s}")
            self.x[a, d, s] = var
            self.per_day[a][d].append((s, var))
        for (a, d), s in p.fixed.items():
            m.add(self.x[a, d, s] == 1)
        self.w = [[None] * D for _ in range(A)]
        for a in range(A):
            for d in range(D):
                if self.per_day[a][d]:
                    wv = m.new_bool_var(f"w{a}_{d}")
                    m.add(sum(var for _, var in self.per_day[a][d]) == wv)
                    self.w[a][d] = wv
                else:
                    self.w[a][d] = 0
        self.terms = {k: [] for k in TERMS}
        self.consts = {k: 0.0 for k in TERMS[:3]}  # each term's constant part
        self.weekends_of = []  # per agent: its weekend indicators
        self.unmet_by_agent = [[] for _ in range(A)]  # (weight, var or None) linear pieces
        self._count = {}

    def n_of(self, d, s):
        """The variables of shift type ``s`` on day ``d``."""
        if (d, s) not in self._count:
            self._count[d, s] = [self.x[a, d, s] for a in range(len(self.p.agents)) if (a, d, s) in self.x]
        return self._count[d, s]

    def clause(self, lits):
        """At least one of ``lits`` holds: (value, positive) pairs, value a variable or 0."""
        out = []
        for val, pos in lits:
            if isinstance(val, int):
                if (val == 1) == pos:
                    return  # satisfied
                continue
            out.append(val if pos else val.Not())
        self.m.add_bool_or(out)  # empty: every literal is false, the model is infeasible

    def agent_rules(self, a):
        """Agent ``a``'s hard rules: consecutive days, weekends, paid minutes, days per week, successions."""
        p, m = self.p, self.m
        D, S = p.days, len(p.shift_names)
        # the days before day 0 (a previous roster's), as constants: runs across the seam are held to the rules
        pre = [] if p.before is None or (p.before[a] < 0).any() else [int(x) for x in p.before[a]]
        wa, k0 = pre + self.w[a], len(pre)
        k = int(p.max_cons[a])
        if k < len(wa):  # max consecutive working days: every k + 1 days hold a day off
            for d in range(max(k0 - k, 0), len(wa) - k):
                window = wa[d:d + k + 1]
                room = k - sum(var for var in window if isinstance(var, int))
                window = [var for var in window if not isinstance(var, int)]
                if len(window) > room:
                    m.add(sum(window) <= max(room, 0))
        for kmin, work in ((int(p.min_cons[a]), True), (int(p.min_off[a]), False)):
            for L in range(1, kmin):  # min consecutive working days / days off: no short inner run
                for d in range(max(1, k0 - L), len(wa) - L):
                    self.clause([(wa[d - 1], work)] + [(wa[t], not work) for t in range(d, d + L)]
                                + [(wa[d + L], work)])
        wa = self.w[a]
        self._weekend_rules(a)
        per_day = self.per_day[a]
        terms = [(int(p.paid[s]), var) for d in range(D) for s, var in per_day[d]]
        total = sum(c * var for c, var in terms) if terms else 0
        if p.max_total[a] < sum(c for c, _ in terms):
            m.add(total <= int(p.max_total[a]))
        if p.min_total[a] > 0:
            m.add(total >= int(p.min_total[a]))
        for days, full in p.weeks:
            tw = [(int(p.paid[s]), var) for d in days for s, var in per_day[d]]
            wd = [wa[d] for d in days if not isinstance(wa[d], int)]
            if p.max_week[a] < sum(c for c, _ in tw):
                m.add(sum(c * var for c, var in tw) <= int(p.max_week[a]))
            if full and p.min_week[a] > 0:
                m.add(sum(c * var for c, var in tw) >= int(p.min_week[a]))
            if p.max_days_week[a] < len(wd):
                m.add(sum(wd) <= int(p.max_days_week[a]))
            if full and p.min_days_week[a] > 0:
                m.add(sum(wd) >= int(p.min_days_week[a]))
        for s in range(S):
            vs = [self.x[a, d, s] for d in range(D) if (a, d, s) in self.x]
            if len(vs) > p.max_shifts[a, s]:
                m.add(sum(vs) <= int(p.max_shifts[a, s]))
        F = p.follow[a]
        if F.any():
            for d in range(D - 1):
                nxt = dict(per_day[d + 1])
                for s, var in per_day[d]:
                    bad = [nxt[t] for t in np.flatnonzero(F[s]) if t in nxt]
                    if bad:
                        m.add(var + sum(bad) <= 1)

    def _weekend_rules(self, a):
        """Agent ``a``'s weekend indicators (worked if any of its days is) and its min/max working weekends."""
        p, m, wa = self.p, self.m, self.w[a]
        wks = []
        for days in p.weekends:
            vs = [wa[d] for d in days if not isinstance(wa[d], int)]
            if len(vs) <= 1:
                wks.append(vs[0] if vs else 0)
                continue
            we = m.new_bool_var("")
            m.add_max_equality(we, vs)
            wks.append(we)
        self.weekends_of.append(wks)
        if int(p.max_weekends[a]) < len(p.weekends):
            m.add(sum(wks) <= int(p.max_weekends[a]))
        if int(p.min_weekends[a]) > 0:
            m.add(sum(wks) >= int(p.min_weekends[a]))

    def cover(self):
        """Under- and over-cover per day and shift type: ``n[d, s] + under - over = required``."""
        cov, m = self.p.cover, self.m
        hard = bool(cov.get("hard", False))
        if len(self.p.agents) == 1 and not hard:
            # one agent against the cover the others leave: working a cell takes one off a shortfall
            # (required r >= 1) or adds one over it (r <= 0), so each term is linear in x and needs no
            # under/over variables (a model a fraction of the size: the construction solves one per agent)
            for d, s, r, wu, wo in zip(cov["day"], cov["shift"], cov["required"], cov["under"], cov["over"]):
                r, var = int(r), self.x.get((0, int(d), int(s)))
                self.consts["cover_under"] += float(wu) * max(r, 0)
                self.consts["cover_over"] += float(wo) * max(-r, 0)
                if var is not None and r >= 1 and wu:
                    self.terms["cover_under"].append((-float(wu), var))
                elif var is not None and r <= 0 and wo:
                    self.terms["cover_over"].append((float(wo), var))
            return
        for d, s, r, wu, wo in zip(cov["day"], cov["shift"], cov["required"], cov["under"], cov["over"]):
            vs = self.n_of(int(d), int(s))
            r = int(r)
            u = m.new_int_var(0, 0 if hard else max(r, 0), "")
            o = m.new_int_var(0, max(len(vs) - r, 0), "")
            m.add(sum(vs) + u - o == r) if vs else m.add(u - o == r)
            if wu:
                self.terms["cover_under"].append((float(wu), u))
            if wo:
                self.terms["cover_over"].append((float(wo), o))

    def interval_cover(self):
        """Under- and over-cover per interval: agents on the phones in each interval against its requirement."""
        ic, m, S = self.p.interval_cover, self.m, len(self.p.shift_names)
        if ic is None:
            return
        on = ic["on"].tocsr()  # rows intervals, cols d * S + s
        for i in range(on.shape[0]):
            r = int(ic["required"][i])
            vs = [var for c in on.indices[on.indptr[i]:on.indptr[i + 1]] for var in self.n_of(*divmod(int(c), S))]
            if not vs and r == 0:
                continue
            u = m.new_int_var(0, r, "")
            o = m.new_int_var(0, len(vs), "")
            m.add(sum(vs) + u - o == r) if vs else m.add(u - o == r)
            if ic["under"][i]:
                self.terms["cover_under"].append((float(ic["under"][i]), u))
            if ic["over"][i]:
                self.terms["cover_over"].append((float(ic["over"][i]), o))

    def requests(self):
        """A linear penalty per unmet request, and each agent's unmet weight (for its fairness spread)."""
        rq = self.p.requests
        for a, d, s, on_, wt in zip(rq["agent"], rq["day"], rq["shift"], rq["on"], rq["weight"]):
            a, d, s, wt = int(a), int(d), int(s), float(wt)
            var = self.w[a][d] if s < 0 else self.x.get((a, d, s), 0)
            if isinstance(var, int):
                miss = (1 - var) if on_ else var
                self.consts["requests"] += wt * miss
                self.unmet_by_agent[a].append((wt * miss, None))
            elif on_:  # penalty wt * (1 - var)
                self.consts["requests"] += wt
                self.terms["requests"].append((-wt, var))
                self.unmet_by_agent[a] += [(wt, None), (-wt, var)]
            else:
                self.terms["requests"].append((wt, var))
                self.unmet_by_agent[a].append((wt, var))

    def _spread(self, name, exprs, weight, ub, cap=None, scale=1):
        """``hi >= e >= lo`` for every agent's figure e, ``weight * (hi - lo)`` penalised, ``hi - lo <= cap``."""
        m = self.m
        lo_fix, hi_fix = self.p.fair_fixed.get(name, (None, None))
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
            self.terms["fairness"] += [(float(weight), hi), (-float(weight), lo)]

    def fairness(self):
        """Spreads (most minus fewest over agents) of working weekends, late shifts and unmet request weight."""
        p, fw = self.p, self.p.fairness
        A, D = len(p.agents), p.days
        if not (A > 1 or p.fair_fixed):
            return
        if p.weekends and (fw.get("weekends") or p.max_weekend_spread is not None):
            self._spread("weekends", [sum(wks) for wks in self.weekends_of], fw.get("weekends", 0.0),
                         len(p.weekends), p.max_weekend_spread)
        if fw.get("lates") and p.late.any():
            late = np.flatnonzero(p.late)
            self._spread("lates", [sum(self.x[a, d, s] for d in range(D) for s in late if (a, d, s) in self.x)
                                   for a in range(A)], fw["lates"], D)
        if fw.get("requests") and (len(p.requests["agent"]) or "requests" in p.fair_fixed):
            rscale = p.request_scale
            ub = int(sum(abs(c) for lst in self.unmet_by_agent for c, _ in lst) * rscale) + 1
            exprs = [sum((round(c * rscale) if var is None else round(c * rscale) * var) for c, var in lst)
                     for lst in self.unmet_by_agent]
            self._spread("requests", exprs, fw["requests"] / rscale, ub, scale=rscale)

    def objective(self, caps=None, floors=None):
        """Minimise the weighted terms, scaled to whole numbers; a term held at most ``caps[k]`` or above
        ``floors[k]``. Returns the scale."""
        allw = [c for lst in self.terms.values() for c, _ in lst]
        scale = _scale(allw + list(self.consts.values())) if allw else 1
        expr = {k: sum(round(c * scale) * var for c, var in lst) for k, lst in self.terms.items()}
        self.m.minimize(sum(expr.values()))
        for k, cap in (caps or {}).items():
            self.m.add(expr[k] <= round((float(cap) - self.consts[k]) * scale))
        for k, floor in (floors or {}).items():
            self.m.add(expr[k] >= round((float(floor) - self.consts[k]) * scale) + 1)
        return scale

    def add_hint(self, hint):
        for (a, d, s), var in self.x.items():
            self.m.add_hint(var, int(hint[a, d] == s))


def _search(model, *, time_limit, num_workers, verbose, seed, relative_gap, full_lp, soft_limit, target):
    """Run CP-SAT on ``model``: (solver, status, seconds). Stops at an objective at most ``target`` (scaled),
    and past ``soft_limit`` seconds at the first roster found; ``time_limit`` is the hard cap."""
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(max(time_limit, 0.01))
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
        status = solver.solve(model.m, callback)
    finally:
        done.set()
    return solver, status, time.perf_counter() - t1


def build_and_solve(p: Problem, *, time_limit, num_workers=8, verbose=False, seed=0, relative_gap=0.0, stop_at=None,
                    full_lp=True, soft_limit=None, caps=None, floors=None):
    """
    CP-SAT on the whole problem ``p``: a :class:`Solution` (assignment None when none was found).

    ``time_limit`` caps the call, the model's build included [s]; with ``soft_limit`` [s] the search stops at
    the first roster found after that many seconds (or at ``time_limit`` if none). ``stop_at``: stop at a roster of
    at most this objective. ``full_lp``: CP-SAT's full linear relaxation (``linearization_level=2``).
    ``caps``/``floors``: {term: value} holds the term at most / above the value.
    """
    from ortools.sat.python import cp_model

    t0 = time.perf_counter()
    A, D, _ = p.allowed.shape
    model = _Model(p)
    for a in range(A):
        model.agent_rules(a)
    model.cover()
    model.interval_cover()
    model.requests()
    model.fairness()
    scale = model.objective(caps, floors)
    const = sum(model.consts.values())
    if p.hint is not None:
        model.add_hint(p.hint)
    build = time.perf_counter() - t0
    target = None if stop_at is None else float(stop_at) * scale - const * scale
    solver, status, seconds = _search(model, time_limit=time_limit - build, num_workers=num_workers, verbose=verbose,
                                      seed=seed, relative_gap=relative_gap, full_lp=full_lp, soft_limit=soft_limit,
                                      target=target)
    nvars, ncons = len(model.m.proto.variables), len(model.m.proto.constraints)
    name = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Solution(None, np.nan, np.nan, "infeasible" if status == cp_model.INFEASIBLE else "no_solution",
                        seconds, {}, name if status == cp_model.INFEASIBLE else
                        f"CP-SAT found no roster in {seconds:.3g} s after {build:.3g} s of building ({name})", build,
                        nvars, ncons)
    assign = np.full((A, D), -1, dtype=np.int64)
    for (a, d, s), var in model.x.items():
        if solver.boolean_value(var):
            assign[a, d] = s
    if status != cp_model.OPTIMAL and p.interval_cover is None and not p.fair_fixed:
        # a search stopped early may leave slack in the under/over and spread variables: the
        # roster's own figures, computed from the assignment
        terms = objective_of(p, assign)
    else:
        terms = {k: sum(c * solver.value(var) for c, var in lst) + model.consts.get(k, 0.0)
                 for k, lst in model.terms.items()}
    terms = {k: float(val) for k, val in terms.items()}
    objective = float(sum(terms.values()))
    bound = max(float(solver.best_objective_bound) / scale + const, 0.0)  # every term is >= 0
    if status == cp_model.OPTIMAL:
        bound = objective
    return Solution(assign, objective, min(bound, objective), "optimal" if status == cp_model.OPTIMAL else "time_limit",
                    seconds, terms, name, build, nvars, ncons)


# --------------------------------------------------------------------------
# The objective of an assignment, and the problem over a part of the agents and days.
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
    kw["before"] = None if p.before is None else p.before[ag]
    return Problem(agents=[p.agents[a] for a in ag], days=p.days, shift_names=p.shift_names, paid=p.paid,
                   late=p.late, allowed=allowed, weeks=p.weeks, weekends=p.weekends, cover=cov,
                   interval_cover=None, requests=req, fairness=p.fairness, max_weekend_spread=p.max_weekend_spread,
                   hint=cur[ag], fixed=fixed, fair_fixed=fair_fixed, request_scale=p.request_scale, **kw)
