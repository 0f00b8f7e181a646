r"""
Hiring decisions: the cheapest class sizes and start weeks, as one MILP.

Because every cohort's expected heads and productive FTE are linear in its
starting size (:mod:`wfm.capacity.cohorts`), a class of :math:`x_{s,k}` heads
starting in week :math:`k` at site :math:`s` adds :math:`P_{k,t}\,x_{s,k}`
productive FTE in week :math:`t` (survival times productivity times FTE per
head) and :math:`U_{k,t}\,x_{s,k}` paid heads. With :math:`B_{s,t}` the
productive FTE of the staff, committed classes and transfers, and
:math:`R_{s,t}` the required FTE less the tolerance, the plan solves

.. math::

    \min \sum_{s,k} (c_h + c_p \textstyle\sum_t U_{k,t})\, x_{s,k} + c_c\, y_{s,k}
         + \sum_{s,t} c_o\, o_{s,t} + \pi\, g_{s,t}

    \text{s.t.}\quad B_{s,t} + \textstyle\sum_k P_{k,t} x_{s,k} + o_{s,t} + g_{s,t} \ge R_{s,t},
    \quad o_{s,t} \le \omega\,(B_{s,t} + \textstyle\sum_k P_{k,t} x_{s,k}),

    m\, y_{s,k} \le x_{s,k} \le M\, y_{s,k},\quad x \in \mathbb{Z}_{\ge 0},\ y \in \{0, 1\},\ o, g \ge 0

with :math:`c_h` the cost per hire, :math:`c_p` the paid cost of a head-week,
:math:`c_c` the cost of a class, :math:`c_o` the cost of an overtime
FTE-week, :math:`\omega` the overtime cap, :math:`\pi` the shortfall penalty
and :math:`m, M` the class size bounds. With ``shortfall="hard"`` the gap
:math:`g` is fixed at 0 from the first week a new class can be fully
productive (first start + training + nesting); earlier weeks keep the
penalty, since hires cannot fully close them. The rules' limits are rows of the same MILP, per site: floor seats
(expected floor heads of the staff plus :math:`\sum_k F_{k,t} x_{s,k}` at most
``seats``), classroom seats (trainees), classes in training at once
(:math:`\sum_k A_{k,t} y_{s,k}`, committed classes counted; trainers per
class), heads started and hiring-and-training spend per month. Where the
rules allow them, releases :math:`q_{s,j}` (tenured agents leaving from week
:math:`j`, saving their pay, at most the staff there) and moves between
sites :math:`m_{a,b,j}` (tenured agents leaving one site's supply and
joining another's; the sites are then one model) are integer decisions too.
Trainee and floor pay split :math:`U` by stage. The
MILP is solved by HiGHS [1]_ through :func:`scipy.optimize.milp`;
``_greedy`` (``capacity_plan(..., method="greedy")``) is the heuristic it is compared with.

References
----------
.. [1] Q. Huangfu and J. A. J. Hall, "Parallelizing the dual revised simplex
   method," Mathematical Programming Computation, vol. 10, no. 1,
   pp. 119-142, 2018 (HiGHS).
"""

from __future__ import annotations

import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from .cohorts import _make, _project
from .rules import CapacityRules

__all__: list = []

_FD_LOCK = threading.RLock()


@dataclass
class _Problem:
    rules: CapacityRules
    starts: np.ndarray     # (K,) allowed start weeks
    P: np.ndarray          # (K, W) productive FTE per head hired
    U: np.ndarray          # (K, W) paid heads per head hired
    base: np.ndarray       # (S, W) productive FTE without new hires
    target: np.ndarray     # (S, W) required FTE less the tolerance
    hard: np.ndarray       # (W,) weeks where the gap must be 0
    T: np.ndarray = None   # (K, W) heads in classroom training per head hired
    month: np.ndarray = None          # (W,) month number of each week (limits per month)
    base_floor: np.ndarray = None     # (S, W) expected heads on the floor without new hires
    base_trainees: np.ndarray = None  # (S, W) expected trainees without new hires (committed classes)
    base_classes: np.ndarray = None   # (S, W) committed classes in training
    rweeks: np.ndarray = None         # (J,) weeks a release may take effect (empty: releases not allowed)
    R: np.ndarray = None              # (J, W) productive FTE one release removes
    RH: np.ndarray = None             # (J, W) heads one release removes
    mweeks: np.ndarray = None         # (L,) weeks a move between sites may take effect (empty: not allowed)
    M: np.ndarray = None              # (L, W) productive FTE one moved agent takes from a site to another
    MH: np.ndarray = None             # (L, W) heads one moved agent takes

    def __post_init__(self):
        S, W = self.base.shape
        if self.T is None:
            self.T = np.zeros_like(self.U)
        if self.rweeks is None:
            self.rweeks, self.R, self.RH = np.zeros(0, dtype=int), np.zeros((0, W)), np.zeros((0, W))
        if self.mweeks is None or S < 2:
            self.mweeks, self.M, self.MH = np.zeros(0, dtype=int), np.zeros((0, W)), np.zeros((0, W))
        if self.month is None:
            self.month = np.floor(np.arange(W) * 12 / 52).astype(int)
        for name in ("base_floor", "base_trainees", "base_classes"):
            if getattr(self, name) is None:
                setattr(self, name, np.zeros((S, W)))

    def site(self, s):
        """The sub-problem of site ``s`` (its own block of the MILP)."""
        one = slice(s, s + 1)
        return _Problem(self.rules, self.starts, self.P, self.U, self.base[one], self.target[one], self.hard,
                        self.T, self.month, self.base_floor[one], self.base_trainees[one], self.base_classes[one],
                        self.rweeks, self.R, self.RH)

    def split(self, z, moves=False):
        """Hires (S x K) and releases (S x J) of a decision array; hires alone are accepted.

        The array is S x (K + J + (S - 1) L): per site its hires, releases and
        moves to each other site (in site order) at each move week. With
        ``moves=True`` the moves come third, as S x S x L (from, to, week).
        """
        z = np.asarray(z)
        S = z.shape[0]
        K, J, L = len(self.starts), len(self.rweeks), len(self.mweeks)
        q = z[:, K:K + J] if z.shape[1] > K else np.zeros((S, J), dtype=z.dtype)
        if not moves:
            return z[:, :K], q
        m = np.zeros((S, S, L), dtype=z.dtype)
        if z.shape[1] > K + J and L:
            out = z[:, K + J:].reshape(S, S - 1, L)
            for a in range(S):
                m[a, [b for b in range(S) if b != a]] = out[a]
        return z[:, :K], q, m

    def moved(self, m):
        """Heads and productive FTE moved out of and into each site (S x W each) by moves ``m`` (S x S x L)."""
        out_n, in_n = m.sum(axis=1), m.sum(axis=0)                     # (S, L)
        return out_n @ self.MH, in_n @ self.MH, out_n @ self.M, in_n @ self.M

    @property
    def release_cost(self):
        """Cost of one release at each release week: its cost less the pay it saves (negative: a saving)."""
        return self.rules.cost_per_release - self.rules.paid_week_cost * self.RH.sum(axis=1)

    @property
    def unit_cost(self):
        """Cost of one head hired at each start week: hire and training cost, paid weeks in class and on the floor."""
        r = self.rules
        floor = self.U - self.T
        return r.hire_cost + r.paid_week_cost * floor.sum(axis=1) + r.trainee_week_cost * self.T.sum(axis=1)

    @property
    def in_class(self):
        """(K, W) 1 where a class started at each start week is in the classroom."""
        t = np.arange(self.base.shape[1])
        return ((t[None, :] >= self.starts[:, None])
                & (t[None, :] < self.starts[:, None] + self.rules.training_weeks)).astype(float)

    def start_month(self):
        """Month number of each start week, and the months in order."""
        m = self.month[self.starts]
        return m, np.unique(m)

    def limits_met(self, z):
        """Whether a plan ``z`` (hires S x K, or hires and releases) keeps every limit, each checked directly."""
        r = self.rules
        x, q, m = self.split(np.asarray(z, dtype=float), moves=True)
        y = (x > 0).astype(float)
        tol = 1e-7
        released = q @ self.RH
        out_h, in_h, _, _ = self.moved(m)
        if (released + out_h > self.base_floor + tol).any():  # only the staff there can be released or moved
            return False
        if r.seats is not None and ((self.base_floor + x @ (self.U - self.T) - released - out_h + in_h) > np.maximum(
                r.seats, self.base_floor) + tol).any():
            return False
        if r.class_seats is not None and ((self.base_trainees + x @ self.T) > np.maximum(
                r.class_seats, self.base_trainees) + tol).any():
            return False
        if r.class_limit is not None and ((y @ self.in_class) > np.maximum(r.class_limit - self.base_classes, 0)
                                          + tol).any():
            return False
        m, months = self.start_month()
        for mm in months:
            ks = m == mm
            if r.max_hires_per_month is not None and (x[:, ks].sum(axis=1) > r.max_hires_per_month + tol).any():
                return False
            if r.hiring_budget_per_month is not None:
                spend = r.hire_cost * x[:, ks].sum(axis=1) + r.class_cost * y[:, ks].sum(axis=1)
                if (spend > r.hiring_budget_per_month * (1 + 1e-9) + tol).any():
                    return False
        return True

    def evaluate(self, z):
        """Overtime, gap and costs of a plan ``z`` (hires S x K, or hires and releases), each week at its cheapest."""
        r = self.rules
        z = np.asarray(z, dtype=float)
        x, q, m = self.split(z, moves=True)
        _, _, out_f, in_f = self.moved(m)
        avail = self.base + x @ self.P - q @ self.R - out_f + in_f
        short = np.maximum(self.target - avail, 0.0)
        cap = r.overtime * avail
        if r.overtime_cost < r.penalty:
            ot = np.minimum(short, cap)
        else:
            ot = np.where(self.hard[None, :], np.minimum(short, cap), 0.0)
        gap = short - ot
        feasible = not (gap[:, self.hard] > 1e-7 * np.maximum(1.0, self.target[:, self.hard])).any() \
            if r.shortfall == "hard" else True
        feasible = feasible and self.limits_met(z)
        hire_cost = x * self.unit_cost[None, :]
        class_cost = r.class_cost * (x > 0)
        total = hire_cost.sum() + class_cost.sum() + r.overtime_cost * ot.sum() + r.penalty * gap.sum() \
            + (q * self.release_cost[None, :]).sum() + r.cost_per_site_transfer * m.sum()
        return {"available": avail, "overtime": ot, "gap": gap, "feasible": feasible,
                "cost": float(total) if feasible else float("inf")}


def _first_full(rules, starts, weeks):
    """First week a new class can be fully productive: first start + training + nesting (``weeks`` if none)."""
    return int(starts.min() + rules.training_weeks + rules.nesting_weeks) if len(starts) else int(weeks)


def _tenured_unit(r, allowed, origin, weeks, season):
    """(weeks, FTE, heads) of one tenured agent leaving (a release or a move to another site) in each allowed week."""
    when = np.asarray(allowed if allowed is not None else range(weeks), dtype=int)
    when = when[when < weeks]
    n = len(when)
    unit = _make(np.zeros(n), [""] * n, [origin] * n, when, np.full(n, r.tenured_age()), np.ones(n), np.zeros(n))
    arr = _project(unit, r, weeks, season)
    return when, arr["heads"] * arr["prod"] * r.fte_per_head, arr["heads"]


def _problem(rules, base_cohorts_prod, target, weeks, *, season=None, month=None, base_floor=None,
             base_trainees=None, base_classes=None):
    """Unit cohorts of every allowed start week and the problem's arrays."""
    r = rules
    starts = np.asarray(r.start_weeks if r.start_weeks is not None else range(r.lead_time_weeks, weeks), dtype=int)
    starts = starts[starts < weeks]
    k = len(starts)
    unit = _make(np.zeros(k), [""] * k, ["hire"] * k, starts, np.zeros(k), np.ones(k),
                 np.full(k, r.training_weeks))
    arr = _project(unit, r, weeks, season)
    P = arr["heads"] * arr["prod"] * r.fte_per_head
    U = arr["heads"]
    T = np.where(arr["training"], arr["heads"], 0.0)
    # hard from the first week a new class can be fully productive (before it, hires cannot close the gap)
    first_full = _first_full(r, starts, weeks)
    hard = (np.arange(weeks) >= first_full) if r.shortfall == "hard" else np.zeros(weeks, dtype=bool)
    rweeks, R, RH = _tenured_unit(r, r.release_weeks, "release", weeks, season) if r.release else (None,) * 3
    mweeks, M, MH = (_tenured_unit(r, r.site_transfer_weeks, "transfer", weeks, season)
                     if r.site_transfers and base_cohorts_prod.shape[0] > 1 else (None,) * 3)
    return _Problem(r, starts, P, U, base_cohorts_prod, target, hard, T, month, base_floor, base_trainees,
                    base_classes, rweeks, R, RH, mweeks, M, MH)


def _solve(prob: _Problem, *, time_limit=60.0, mip_rel_gap=1e-6, n_jobs=2, decompose=True):
    """The MILP, block by block (one block per site); returns (x as S x K integers, info dict).

    No rule couples two sites, so the MILP's constraint matrix is block
    diagonal and its optimum is the sum of the blocks' optima; HiGHS proves
    optimality far faster block by block (a joint 10-site model of 78 weeks
    stalls at a few percent gap for minutes). Blocks run on ``n_jobs``
    threads (HiGHS releases the GIL); each block's answer does not depend on it.
    Moves between sites (``rules.site_transfers``) couple the sites: the
    model is then solved whole.
    """
    S = prob.base.shape[0]
    if len(prob.starts) == 0 and len(prob.rweeks) == 0 and len(prob.mweeks) == 0:
        return np.zeros((S, 0), dtype=int), {"status": "no start weeks", "mip_gap": 0.0, "objective": None,
                                             "optimal": True, "blocks": S}
    if not decompose or len(prob.mweeks):             # moves between sites couple them: one model
        with _solver_output_to_stderr():
            x, info = _solve_block(prob, time_limit=time_limit, mip_rel_gap=mip_rel_gap)
        return x, {**info, "blocks": 1}
    subs = [prob.site(s) for s in range(S)]

    def run(sub):
        return _solve_block(sub, time_limit=time_limit, mip_rel_gap=mip_rel_gap)

    with _solver_output_to_stderr():
        if n_jobs > 1 and S > 1:
            with ThreadPoolExecutor(max_workers=min(n_jobs, S)) as pool:
                results = list(pool.map(run, subs))
        else:
            results = [run(sub) for sub in subs]
    xs = [r[0] for r in results]
    infos = [r[1] for r in results]
    objective = sum(i["objective"] for i in infos if i["objective"] is not None)
    bound = sum(i["bound"] for i in infos if i.get("bound") is not None)
    gap = (objective - bound) / max(abs(objective), 1e-9) if infos and infos[0].get("bound") is not None else 0.0
    return np.concatenate(xs, axis=0), {
        "status": "; ".join(sorted({i["status"] for i in infos})), "mip_gap": max(gap, 0.0),
        "objective": objective, "optimal": all(i["optimal"] for i in infos), "blocks": S}


def _limit_rows(prob: _Problem, s, ix, iy, row, iq=None):
    """Rows (lists of arrays) of the rules' limits for site ``s``: seats, class seats, classes, hires and budget."""
    r = prob.rules
    K, W = prob.P.shape
    rows, cols, vals, ub = [], [], [], []

    def add(matrix, var, rhs):
        nonlocal row
        kk, tt = np.nonzero(matrix.T > 0) if matrix.shape == (K, W) else np.nonzero(matrix)
        if matrix.shape == (K, W):                         # one row per week t: sum_k matrix[k, t] var_k
            rows.append(row + kk)
            cols.append(var[tt])
            vals.append(matrix.T[kk, tt])
            row += W
        else:                                              # (M, K): one row per month
            rows.append(row + kk)
            cols.append(var[tt])
            vals.append(matrix[kk, tt])
            row += matrix.shape[0]
        ub.append(rhs)

    if r.seats is not None:
        start = row
        add(prob.U - prob.T, ix, np.maximum(r.seats - prob.base_floor[s], 0.0))
        if iq is not None and len(iq):                     # releases free seats
            jj, tt = np.nonzero(prob.RH.T > 0)
            rows.append(start + jj)
            cols.append(iq[tt])
            vals.append(-prob.RH.T[jj, tt])
    if r.class_seats is not None:
        add(prob.T, ix, np.maximum(r.class_seats - prob.base_trainees[s], 0.0))
    if r.class_limit is not None:
        add(prob.in_class, iy, np.maximum(r.class_limit - prob.base_classes[s], 0.0))
    m, months = prob.start_month()
    by_month = (m[None, :] == months[:, None]).astype(float)          # (M, K)
    if r.max_hires_per_month is not None:
        add(by_month, ix, np.full(len(months), float(r.max_hires_per_month)))
    if r.hiring_budget_per_month is not None:
        rows_b = np.concatenate([by_month * r.hire_cost, by_month * r.class_cost], axis=1)     # (M, 2K)
        kk, tt = np.nonzero(rows_b)
        rows.append(row + kk)
        cols.append(np.concatenate([ix, iy])[tt])
        vals.append(rows_b[kk, tt])
        ub.append(np.full(len(months), float(r.hiring_budget_per_month)))
        row += len(months)
    return rows, cols, vals, ub, row


def _solve_block(prob: _Problem, *, time_limit=60.0, mip_rel_gap=1e-6):
    """The MILP of the sites of ``prob`` (one, or all with ``decompose=False``); returns (x as S x K, info)."""
    r = prob.rules
    S, W = prob.base.shape
    K, J, L = len(prob.starts), len(prob.rweeks), len(prob.mweeks)
    if K == 0 and J == 0 and L == 0:
        return np.zeros((S, 0), dtype=int), {"status": "no start weeks", "mip_gap": 0.0, "objective": None,
                                             "optimal": True, "bound": None}
    nm = (S - 1) * L
    nv = 2 * K + J + nm + 2 * W
    ix = lambda s: s * nv + np.arange(K)                       # noqa: E731
    iy = lambda s: s * nv + K + np.arange(K)                   # noqa: E731
    iq = lambda s: s * nv + 2 * K + np.arange(J)               # noqa: E731
    im = lambda s: s * nv + 2 * K + J + np.arange(nm)          # noqa: E731  moves out of s, (other site, week)
    io = lambda s: s * nv + 2 * K + J + nm + np.arange(W)      # noqa: E731
    ig = lambda s: s * nv + 2 * K + J + nm + W + np.arange(W)  # noqa: E731

    moves = _MoveTerms(prob, S, L, im)
    move_cols, move_terms = moves.cols, moves.terms
    MHj, MHt, mhvals = moves.heads
    Rj, Rt = np.nonzero(prob.R.T > 0)                          # (t, j) pairs with R > 0
    rvals = prob.R.T[Rj, Rt]
    Hj, Ht = np.nonzero(prob.RH.T > 0)
    hvals = prob.RH.T[Hj, Ht]
    n = S * nv
    c = np.zeros(n)
    lo, hi = np.zeros(n), np.full(n, np.inf)
    integrality = np.zeros(n, dtype=np.uint8)
    unit_cost = prob.unit_cost
    Pk, Pt = np.nonzero(prob.P.T > 0)                          # (t, k) pairs with P > 0
    pvals = prob.P.T[Pk, Pt]
    rows, cols, vals, lb, ub = [], [], [], [], []
    row = 0
    for s in range(S):
        c[ix(s)] = unit_cost
        c[iy(s)] = r.class_cost
        c[io(s)] = r.overtime_cost
        c[ig(s)] = r.penalty
        c[iq(s)] = prob.release_cost
        integrality[iq(s)] = 1
        c[im(s)] = r.cost_per_site_transfer
        integrality[im(s)] = 1
        hi[ix(s)] = r.class_max
        hi[iy(s)] = 1
        integrality[ix(s)] = 1
        integrality[iy(s)] = 1
        if r.overtime <= 0:
            hi[io(s)] = 0.0
        hi[ig(s)[prob.hard]] = 0.0
        # coverage: sum_k P x + o + g >= target - base
        rows += [row + Pk, row + np.arange(W), row + np.arange(W), row + Rj]
        cols += [ix(s)[Pt], io(s), ig(s), iq(s)[Rt]]
        vals += [pvals, np.ones(W), np.ones(W), -rvals]
        mr, mc, mv = move_terms(s, row)
        rows, cols, vals = rows + mr, cols + mc, vals + mv
        lb.append(prob.target[s] - prob.base[s])
        ub.append(np.full(W, np.inf))
        row += W
        if r.overtime > 0:
            rows += [row + np.arange(W), row + Pk, row + Rj]
            cols += [io(s), ix(s)[Pt], iq(s)[Rt]]
            vals += [np.ones(W), -r.overtime * pvals, r.overtime * rvals]
            mr, mc, mv = move_terms(s, row, sign=-r.overtime)
            rows, cols, vals = rows + mr, cols + mc, vals + mv
            lb.append(np.full(W, -np.inf))
            ub.append(r.overtime * prob.base[s])
            row += W
        if J or L:
            # only the staff there can be released or moved out: sum_j RH q + sum_l MH out <= base floor heads
            rows.append(row + Hj)
            cols.append(iq(s)[Ht])
            vals.append(hvals)
            for b in range(S):
                if b != s and L:
                    rows.append(row + MHj)
                    cols.append(move_cols(s, b)[MHt])
                    vals.append(mhvals)
            lb.append(np.full(W, -np.inf))
            ub.append(prob.base_floor[s] + 1e-9)
            row += W
        # class size: m y <= x <= M y
        rows += [row + np.arange(K), row + np.arange(K), row + K + np.arange(K), row + K + np.arange(K)]
        cols += [ix(s), iy(s), ix(s), iy(s)]
        vals += [np.ones(K), -float(r.class_max) * np.ones(K), np.ones(K), -float(r.class_min) * np.ones(K)]
        lb += [np.full(K, -np.inf), np.zeros(K)]
        ub += [np.zeros(K), np.full(K, np.inf)]
        row += 2 * K
        # the limits: sum <= rhs
        if r.seats is not None and L:                       # moves in take seats, moves out free them
            mr, mc, mv = move_terms(s, row, fte=False)
            rows, cols, vals = rows + mr, cols + mc, vals + mv
        l_rows, l_cols, l_vals, l_ub, row_end = _limit_rows(prob, s, ix(s), iy(s), row, iq(s))
        rows += l_rows
        cols += l_cols
        vals += l_vals
        ub += l_ub
        lb += [np.full(u.size, -np.inf) for u in l_ub]
        row = row_end
    A = sparse.csr_array((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(row, n))
    res = milp(c, constraints=LinearConstraint(A, np.concatenate(lb), np.concatenate(ub)),
               integrality=integrality, bounds=Bounds(lo, hi),
               options={"time_limit": float(time_limit), "mip_rel_gap": float(mip_rel_gap), "presolve": True,
                        "disp": False})
    if res.x is None:
        _no_solution(prob, res, time_limit)
    x = np.rint(np.stack([np.concatenate([res.x[ix(s)], res.x[iq(s)], res.x[im(s)]]) for s in range(S)])).astype(int)
    gap = float(getattr(res, "mip_gap", 0.0) or 0.0)
    bound = getattr(res, "mip_dual_bound", None)
    return x, {"status": res.message, "mip_gap": gap, "objective": float(res.fun), "optimal": res.status == 0,
               "bound": float(bound) if bound is not None else float(res.fun) * (1 - gap)}


class _MoveTerms:
    """Columns and coefficients of the moves between sites in the joint MILP (one block of S-1 x L per site)."""

    def __init__(self, prob, S, L, im):
        self.S, self.L, self.im = S, L, im
        Mj, Mt = np.nonzero(prob.M.T > 0)                      # (t, l) pairs with M > 0
        self.fte = (Mj, Mt, prob.M.T[Mj, Mt])
        Hj, Ht = np.nonzero(prob.MH.T > 0)
        self.heads = (Hj, Ht, prob.MH.T[Hj, Ht])

    def cols(self, a, b):
        """Columns of the moves from site a to site b, one per move week."""
        pos = b if b < a else b - 1
        return self.im(a)[pos * self.L:(pos + 1) * self.L]

    def terms(self, s, row0, fte=True, sign=1.0):
        """Rows/cols/vals of sum_l (moved in - moved out) at site s, per week (FTE or heads)."""
        tj, tl, tv = self.fte if fte else self.heads
        rr, cc, vv = [], [], []
        for b in range(self.S):
            if b == s or not self.L:
                continue
            rr += [row0 + tj, row0 + tj]
            cc += [self.cols(b, s)[tl], self.cols(s, b)[tl]]
            vv += [sign * tv, -sign * tv]
        return rr, cc, vv


def _no_solution(prob, res, time_limit):
    """The error when HiGHS returns no plan: the rules that cannot be met, or the time limit."""
    r = prob.rules
    if r.shortfall == "hard" or _has_limits(r):
        first = int(np.flatnonzero(prob.hard)[0]) if prob.hard.any() else 0
        what = (f"rules.shortfall='hard' cannot be met: no hiring plan within class_max ({r.class_max}), the "
                f"allowed start_weeks and the limits ({_limit_text(r)}) keeps every week from week {first} "
                f"within the tolerance ({r.tolerance:g}). Raise rules.class_max or a limit, allow more "
                "start_weeks or overtime, raise the tolerance, or use shortfall='penalty'."
                if r.shortfall == "hard" else
                f"the limits ({_limit_text(r)}) leave no hiring plan: loosen one of them.")
        raise ValueError(f"{what} (HiGHS: {res.message})")
    raise RuntimeError(f"the hiring MILP found no solution in {time_limit:g} s: {res.message}")


_LIMITS = ("seats", "class_seats", "max_concurrent_classes", "trainers", "max_hires_per_month",
           "hiring_budget_per_month")


def _has_limits(rules):
    return any(getattr(rules, name) is not None for name in _LIMITS)


def _limit_text(rules):
    text = ", ".join(f"rules.{name}={getattr(rules, name):g}" for name in _LIMITS if getattr(rules, name) is not None)
    return text or "none set"


_FD_STATE = {"users": 0, "saved": None, "fd": None}


@contextmanager
def _solver_output_to_stderr():
    """Send anything the solver's C++ code prints on file descriptor 1 to stderr, keeping stdout for results.

    HiGHS can print a diagnostic line with printf whatever its log options;
    stdout belongs to the caller (a CLI piping a table, a notebook cell).
    Python's own ``sys.stdout`` is flushed first so none of it moves.
    Reentrant across threads: the first user redirects, the last restores.
    """
    with _FD_LOCK:
        try:
            sys.stdout.flush()
            if _FD_STATE["users"] == 0:
                fd = sys.__stdout__.fileno() if sys.__stdout__ is not None else 1
                _FD_STATE.update(saved=os.dup(fd), fd=fd)
                os.dup2(2, fd)
            _FD_STATE["users"] += 1
            active = True
        except (OSError, ValueError, AttributeError):
            active = False
    try:
        yield
    finally:
        if active:
            with _FD_LOCK:
                _FD_STATE["users"] -= 1
                if _FD_STATE["users"] == 0:
                    os.dup2(_FD_STATE["saved"], _FD_STATE["fd"])
                    os.close(_FD_STATE["saved"])


def _greedy(prob: _Problem):
    """
    The "hire when the gap appears, minus the lead time" heuristic.

    Walking forward, at the first week still short (after overtime) that a
    class can reach, start a class at the latest allowed week that graduates
    by then (else the latest that reaches it at all), just large enough to
    close that week's gap (at least ``class_min``, at most ``class_max``),
    and repeat. The MILP of :func:`wfm.capacity.capacity_plan` is never more
    expensive; ``capacity_plan(..., method="greedy")`` runs this instead.

    Parameters
    ----------
    prob : the plan's internal problem (built by :func:`wfm.capacity.capacity_plan`).

    Returns
    -------
    hires : ndarray
        Heads per site and allowed start week (sites x start weeks).
    """
    r = prob.rules
    S, W = prob.base.shape
    K = len(prob.starts)
    x = np.zeros((S, K), dtype=int)
    grads = prob.starts + r.training_weeks
    for s in range(S):
        for _ in range(4 * W + 4 * K):
            avail = prob.base[s] + x[s] @ prob.P
            short = prob.target[s] - avail * (1.0 + r.overtime)
            open_k = x[s] < r.class_max
            reach = (prob.P[open_k] > 0).any(axis=0) if open_k.any() else np.zeros(W, dtype=bool)
            weeks = np.flatnonzero((short > 1e-9) & reach)
            if weeks.size == 0:
                break
            t = weeks[0]
            cand = np.flatnonzero(open_k & (grads <= t) & (prob.P[:, t] > 0))
            if cand.size == 0:
                cand = np.flatnonzero(open_k & (prob.P[:, t] > 0))
            k = cand[-1]
            need = int(np.ceil(short[t] / (prob.P[k, t] * (1.0 + r.overtime)) - 1e-9))
            x[s, k] = int(np.clip(x[s, k] + max(need, 1), r.class_min, r.class_max))
    return x
