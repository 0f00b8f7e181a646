"""
The roster's linear relaxation by column generation: one work pattern per agent.

A roster whose objective is a sum of each agent's own terms (unmet requests)
and day-shift cover terms is a choice of one pattern (a day-by-day row of
shifts that keeps every hard rule of the agent) per agent. Its relaxation,
the master problem over the patterns found so far,

    min  sum_a sum_c cost[a, c] lam[a, c] + sum_k (under[k] u[k] + over[k] o[k])
    s.t. sum_c lam[a, c] = 1                                   (each agent a)
         sum_a sum_c n[a, c, k] lam[a, c] + u[k] - o[k] = r[k]  (each cover cell k)
         lam, u, o >= 0,

is solved with HiGHS (:func:`scipy.optimize.linprog`). Its duals ``mu[k]``
price new patterns: for each agent, CP-SAT on the agent's own model (every
hard rule) minimises ``cost - sum_k mu[k] n[k]``; a pattern of negative
reduced cost joins the master. For any ``mu`` in ``[-over, under]``,

    L(mu) = sum_k mu[k] r[k] + sum_a min over the agent's patterns of (cost - mu . n)

is at most the objective of every roster (Lagrangian relaxation of the cover
rows), so each round proves a bound; the duals are rounded to
:data:`DUAL_GRID` first, so that CP-SAT prices them exactly. Each round
prices at a mix of the LP's duals and those of the best bound so far
(Wentges smoothing, :data:`SMOOTHING`). On the
Curtois-Qu instances this bound is far above CP-SAT's own (instance 8: 1,297
against 1,266; instance 12: 4,040, the best known value).

The relaxation also settles cells: a cell every pattern of positive weight
agrees on (a shift or a day off) is settled by the LP. Fixing those and
searching the rest is the RENS heuristic (Berthold 2014): every agent's
patterns of positive weight agree with the settled cells, so the restricted
problem always has rosters.

References: Desaulniers, Desrosiers and Solomon (eds.), *Column Generation*
(2005), chapter 1 (master, pricing, Lagrangian bound); P. Wentges, "Weighted
Dantzig-Wolfe decomposition for linear mixed-integer programming",
*International Transactions in Operational Research* 4 (1997) 151-162;
T. Berthold, "RENS: the optimal rounding", *Mathematical Programming
Computation* 6 (2014) 33-54.
"""

from __future__ import annotations

import dataclasses
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

from .model import Problem, _subproblem, build_and_solve

#: The grid the cover duals are rounded to before pricing: CP-SAT needs whole weights, and on the grid
#: its pricing objective is exact, so the Lagrangian bound stays a proof. [objective units]
DUAL_GRID = 1e-3

#: Longest one agent's pricing may search. [s]
PRICING_LIMIT = 10.0

#: Agents priced at once (threads: CP-SAT searches outside Python's lock), one per core of a small machine.
PRICING_THREADS = 2

#: Weight of the best bound's duals in the duals each round prices at (Wentges smoothing): the rest is the
#: LP's. Pricing near the best duals so far steadies the duals between rounds, so the bound climbs sooner
#: and fewer rounds are needed. [fraction]
SMOOTHING = 0.8


def separable(p: Problem):
    """Whether ``p``'s objective is what the master prices: a soft day-shift cover and each agent's own
    terms (no interval cover, no fairness spread, no cap on the weekend spread)."""
    return (p.interval_cover is None and not p.cover.get("hard", False) and len(p.cover["day"]) > 0
            and not any(p.fairness.values()) and p.max_weekend_spread is None and not p.fair_fixed)


@dataclass
class Relaxation:
    """What column generation proved and found."""

    value: float  # the master LP's value over the patterns found [objective units]
    bound: float  # the best Lagrangian bound: at most the objective of every roster
    settled: np.ndarray  # (A, D): the shift the LP settles a cell to, -1 a day off, -2 not settled
    hint: np.ndarray  # (A, D): each agent's pattern of largest weight in the LP
    converged: bool  # no pattern of negative reduced cost left, or value at most the (whole-number) bound
    rounds: int
    patterns: int
    seconds: float


def _unmet(p: Problem, a, rows):
    """Unmet request weight of agent ``a`` for each pattern in ``rows`` (n x D)."""
    rq = p.requests
    m = rq["agent"] == a
    d, s, on, w = rq["day"][m], rq["shift"][m], rq["on"][m], rq["weight"][m]
    got = np.where(s < 0, rows[:, d] >= 0, rows[:, d] == s)
    return np.where(got != on, w, 0.0).sum(axis=1)


class _Master:
    """The patterns found so far and the master LP over them."""

    def __init__(self, p: Problem):
        A, D, S = p.allowed.shape
        self.p, self.A = p, A
        cov = p.cover
        self.cell = np.full((D, S), -1, dtype=np.int64)
        self.cell[cov["day"], cov["shift"]] = np.arange(len(cov["day"]))
        self.rows = [np.empty((0, D), dtype=np.int64) for _ in range(A)]
        self.cost = [np.empty(0) for _ in range(A)]
        self.seen = [set() for _ in range(A)]

    def add(self, a, row):
        """Add agent ``a``'s pattern ``row``; False when it is already there."""
        key = row.tobytes()
        if key in self.seen[a]:
            return False
        self.seen[a].add(key)
        self.rows[a] = np.vstack([self.rows[a], row[None, :]])
        self.cost[a] = np.append(self.cost[a], _unmet(self.p, a, row[None, :]))
        return True

    def reduced_cost(self, a, row, mu):
        """Agent ``a``'s cost of pattern ``row`` less what its cover cells earn at duals ``mu``."""
        d = np.flatnonzero(row >= 0)
        k = self.cell[d, row[d]]
        return float(_unmet(self.p, a, row[None, :])[0] - mu[k[k >= 0]].sum())

    def solve(self):
        """(value, weights per agent, agent duals, cover duals) of the master LP."""
        cov, A = self.p.cover, self.A
        K = len(cov["day"])
        r_idx, c_idx = [], []
        j = 0
        for a in range(A):
            rows = self.rows[a]
            n = rows.shape[0]
            rr, dd = np.nonzero(rows >= 0)
            k = self.cell[dd, rows[rr, dd]]
            keep = k >= 0
            r_idx += [np.full(n, a), A + k[keep]]
            c_idx += [j + np.arange(n), j + rr[keep]]
            j += n
        r_idx, c_idx = np.concatenate(r_idx), np.concatenate(c_idx)
        lam_part = sp.csr_matrix((np.ones(r_idx.size), (r_idx, c_idx)), shape=(A + K, j))
        slack = sp.vstack([sp.csr_matrix((A, K)), sp.identity(K, format="csr")])
        a_eq = sp.hstack([lam_part, slack, -slack], format="csr")
        c = np.concatenate([np.concatenate(self.cost), cov["under"], cov["over"]]).astype(float)
        b = np.concatenate([np.ones(A), cov["required"]]).astype(float)
        res = linprog(c, A_eq=a_eq, b_eq=b, bounds=(0, None), method="highs")
        if res.status != 0:  # every agent has a pattern and the cover is soft: always solvable
            raise RuntimeError(f"the roster's master LP: {res.message}")
        y = res.eqlin.marginals
        lam = np.split(res.x[:j], np.cumsum([r.shape[0] for r in self.rows])[:-1])
        return float(res.fun), lam, y[:A], y[A:]


def _pricing_models(p: Problem):
    """Each agent's own model (its hard rules, its requests), cover to be set from the duals."""
    A, D, _ = p.allowed.shape
    empty = np.full((A, D), -1, dtype=np.int64)
    subs = []
    for a in range(A):
        sub = _subproblem(p, empty, np.array([a]), np.ones((1, D), dtype=bool))
        subs.append(dataclasses.replace(sub, hint=None, fair_fixed={}))
    return subs


def _price(sub: Problem, cov, mu, time_limit, soft_limit=None):
    """(pattern or None, least cost - mu . n found, a bound of it) for one agent: working cell k earns
    ``mu[k]`` (a one-agent cover of 1 under weight mu where mu > 0, of 0 over weight -mu elsewhere)."""
    pos = mu > 0
    sub = dataclasses.replace(sub, cover={"day": cov["day"], "shift": cov["shift"], "required": pos.astype(np.int64),
                                          "under": np.where(pos, mu, 0.0), "over": np.where(pos, 0.0, -mu)})
    res = build_and_solve(sub, time_limit=time_limit, soft_limit=soft_limit, num_workers=1, full_lp=False)
    shift = float(mu[pos].sum())  # the model's constant: every positive mu unearned
    if res.assign is None:
        return None, np.inf, (-np.inf if res.status != "infeasible" else np.inf)
    return res.assign[0], res.objective - shift, res.bound - shift


def _first_limit(deadline):
    """Seconds an agent's first pricing may take: :data:`PRICING_LIMIT`, or less to keep the deadline."""
    return PRICING_LIMIT if deadline is None else max(min(PRICING_LIMIT, deadline - time.perf_counter()), 0.01)


def column_generation(p: Problem, *, time_limit, log=None, deadline=None):
    """
    The relaxation of roster ``p`` (:func:`separable`) by column generation, for about ``time_limit``
    seconds (the first patterns may take longer, though never past ``deadline``, a ``time.perf_counter()``
    time): a :class:`Relaxation`, or None when an agent has no pattern (its rules admit none, or its pricing
    found none in :data:`PRICING_LIMIT` seconds or by the deadline).

    Every agent starts with the first pattern its model finds (at the under-cover weights); each round
    solves the master LP and prices every agent at its duals, until no agent has a pattern of negative
    reduced cost, the LP value meets the bound, or the time is up.
    """
    t0 = time.perf_counter()
    t_end = t0 + float(time_limit)
    A, D, S = p.allowed.shape
    cov = p.cover
    under, over = np.asarray(cov["under"], float), np.asarray(cov["over"], float)
    required = np.asarray(cov["required"], float)
    weights = np.concatenate([under, over, np.asarray(p.requests["weight"], float)])
    whole = bool(np.all(weights == np.rint(weights)))  # every roster's objective is a whole number
    subs = _pricing_models(p)
    master = _Master(p)

    def grid(mu):
        return np.clip(np.round(mu / DUAL_GRID) * DUAL_GRID, -over, under)

    mu = grid(under)
    with ThreadPoolExecutor(PRICING_THREADS) as pool:  # any pattern will do: each agent's first one
        first = list(pool.map(lambda a: _price(subs[a], cov, mu, _first_limit(deadline), soft_limit=0.0), range(A)))
    for a, (row, _, _) in enumerate(first):
        if row is None:  # the agent's rules admit no pattern, or none was found in time
            return None
        master.add(a, row)
    bound, rounds, converged = -np.inf, 0, False
    centre, best, smooth = None, -np.inf, SMOOTHING  # the duals of the best bound so far
    while True:
        value, lam, pi, mu_lp = master.solve()
        if converged or time.perf_counter() >= t_end:
            break
        rounds += 1
        alpha = smooth if centre is not None else 0.0
        mu = grid(mu_lp if alpha == 0 else alpha * centre + (1 - alpha) * mu_lp)
        with ThreadPoolExecutor(PRICING_THREADS) as pool:  # each agent: at most what is left of the time
            priced = list(pool.map(lambda a: _price(subs[a], cov, mu, min(max(t_end - time.perf_counter(), 0.05),
                                                                          PRICING_LIMIT)), range(A)))
        lagrange, new = float(mu @ required) + sum(low for _, _, low in priced), 0
        for a, (row, _, _) in enumerate(priced):
            # a pattern joins when its reduced cost at the LP's own duals is negative
            if row is not None and master.reduced_cost(a, row, mu_lp) - pi[a] < -1e-6:
                new += master.add(a, row)
        if np.isfinite(lagrange) and lagrange > best:
            centre, best = mu, lagrange
            bound = float(np.ceil(lagrange - 1e-6)) if whole else lagrange
        if log:
            log(f"column generation round {rounds}: LP {value:.3f}, bound {bound:.3f}, {new} new patterns "
                f"(smoothing {alpha:g}, {time.perf_counter() - t0:.1f} s)")
        # no new pattern at the smoothed duals: price at the LP's next (a round at them with none proves the LP)
        converged = new == 0 and alpha == 0 or value <= bound + 1e-6
        smooth = SMOOTHING if new else 0.0
    # cells every pattern of positive weight agrees on
    weight = np.zeros((A, D, S + 1))
    hint = np.empty((A, D), dtype=np.int64)
    days = np.arange(D)
    for a in range(A):
        rows, w = master.rows[a], lam[a]
        for row, x in zip(rows[w > 1e-9], w[w > 1e-9]):
            weight[a, days, np.where(row >= 0, row, S)] += x
        hint[a] = rows[int(np.argmax(w))]
    top = weight.argmax(axis=2)
    settled = np.where(weight.max(axis=2) >= 1 - 1e-6, np.where(top == S, -1, top), -2)
    return Relaxation(value, max(bound, 0.0), settled, hint, converged, rounds,
                      int(sum(r.shape[0] for r in master.rows)), time.perf_counter() - t0)
