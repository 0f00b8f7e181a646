r"""
Solving the weekly model of :mod:`wfm.schedule.model` with HiGHS or OR-Tools CP-SAT.

By default (``method="decompose"``) the relaxation that keeps only the ``w``
integer is solved first (its value is the proven bound); with ``w`` fixed at
its values the days no longer share a row, and each day is solved as its own
small MILP (a decomposition by days; see :func:`wfm.schedule_week`, Notes).
``method="direct"`` gives the whole model to the solver at once.

Either way the solver may be handed the cost rewritten on the weekly patterns
(:func:`_on_lattice`): the same value at every schedule, but one the solver
can see is a whole multiple of a coarser step, so that a bound just above a
multiple is rounded up to the next one.

References
----------
.. [1] Q. Huangfu and J. A. J. Hall, "Parallelizing the dual revised simplex
   method", Mathematical Programming Computation 10(1), 119-142, 2018
   (HiGHS, behind ``scipy.optimize.milp``).
"""

from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse.csgraph import connected_components

_MASTER_SHARE = 0.3  # of the time limit, at most, for the relaxation with whole pattern counts
_MASTER_GAP = 1e-4  # its relative gap
_DIVE_SHARE = 0.8  # of the time limit, for that relaxation and the days solved apart
_DIVE_GAP = 0.5  # of mip_gap, the relative gap each day is solved to
_LOOSE_GAP = 0.01  # at least, the relative gap of the first, quick pass over the days
_DENOMINATOR = 10 ** 4  # costs are read as fractions with at most this denominator for their common step


@dataclass
class _Result:
    x: np.ndarray | None
    objective: float
    bound: float
    status: str  # "optimal", "time_limit", "infeasible", "no_solution", "error"
    seconds: float
    message: str = ""


def _solve_highs(model, time_limit, mip_gap, verbose=False, relax=False):
    start = time.perf_counter()
    res = milp(model.c, constraints=LinearConstraint(model.A, model.lb, model.ub),
               integrality=None if relax else model.integer.astype(np.int8),
               bounds=Bounds(model.lo, model.hi),
               options=dict(time_limit=float(time_limit), mip_rel_gap=float(mip_gap), disp=bool(verbose),
                            presolve=True))
    seconds = time.perf_counter() - start
    if res.status == 2:
        return _Result(None, np.nan, np.nan, "infeasible", seconds, res.message)
    if res.x is None:
        status = "no_solution" if res.status == 1 else "error"
        return _Result(None, np.nan, np.nan, status, seconds, res.message)
    bound = getattr(res, "mip_dual_bound", None)
    if relax or bound is None or not np.isfinite(bound):
        bound = res.fun
    return _Result(res.x, float(res.fun), float(bound), "optimal" if res.status == 0 else "time_limit", seconds,
                   res.message)


def _integer_rows(A, lb, ub):
    """Scale each row to integer coefficients (CP-SAT needs them); bounds rounded inward."""
    A = A.tocsr().astype(float)
    scale = np.ones(A.shape[0])
    for r in range(A.shape[0]):
        vals = A.data[A.indptr[r]:A.indptr[r + 1]]
        for k in range(7):
            if np.allclose(vals * 10 ** k, np.rint(vals * 10 ** k), rtol=0, atol=1e-9):
                scale[r] = 10.0 ** k
                break
        else:
            scale[r] = 1e6
    A = sparse.diags(scale) @ A
    A.data = np.rint(A.data)
    lb = np.where(np.isfinite(lb), np.ceil(lb * scale - 1e-9), lb)
    ub = np.where(np.isfinite(ub), np.floor(ub * scale + 1e-9), ub)
    return A.tocsr(), lb, ub


def _solve_cpsat(model, time_limit, mip_gap, verbose=False, upper=None):
    try:
        from ortools.sat.python import cp_model
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("solver='cp-sat' needs OR-Tools: pip install ortools (or use solver='highs').") from None
    start = time.perf_counter()
    big = int(upper)
    m = cp_model.CpModel()
    lo = np.where(np.isfinite(model.lo), model.lo, -big)
    hi = np.where(np.isfinite(model.hi), np.minimum(model.hi, big), big)
    xs = [m.new_int_var(int(np.ceil(a)), int(np.floor(b)), "") for a, b in zip(lo, hi)]
    A, lb, ub = _integer_rows(model.A, model.lb, model.ub)
    for r in range(A.shape[0]):
        sl = slice(A.indptr[r], A.indptr[r + 1])
        expr = cp_model.LinearExpr.weighted_sum([xs[j] for j in A.indices[sl]], A.data[sl].astype(int).tolist())
        a, b = lb[r], ub[r]
        if np.isfinite(a) and np.isfinite(b) and a == b:
            m.add(expr == int(a))
        else:
            if np.isfinite(a):
                m.add(expr >= int(a))
            if np.isfinite(b):
                m.add(expr <= int(b))
    nz = np.flatnonzero(model.c)
    m.minimize(cp_model.LinearExpr.weighted_sum([xs[j] for j in nz], model.c[nz].tolist()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit)
    solver.parameters.relative_gap_limit = float(mip_gap)
    solver.parameters.num_workers = 2
    solver.parameters.log_search_progress = bool(verbose)
    status = solver.solve(m)
    seconds = time.perf_counter() - start
    if status == cp_model.INFEASIBLE:
        return _Result(None, np.nan, np.nan, "infeasible", seconds, solver.status_name(status))
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _Result(None, np.nan, np.nan, "no_solution", seconds, solver.status_name(status))
    x = np.array([solver.value(z) for z in xs], dtype=float)
    objective = float(model.c @ x)
    gap_met = objective - solver.best_objective_bound <= mip_gap * abs(objective) + 1e-9
    return _Result(x, objective, float(solver.best_objective_bound),
                   "optimal" if status == cp_model.OPTIMAL or gap_met else "time_limit", seconds,
                   solver.status_name(status))


def _solve_direct(model, solver, time_limit, mip_gap, verbose, upper):
    if solver == "highs":
        return _solve_highs(model, time_limit, mip_gap, verbose)
    return _solve_cpsat(model, time_limit, mip_gap, verbose, upper)


def _objective_step(c, integer):
    """The largest step d > 0 such that ``c @ x`` is a whole multiple of d at every point with whole ``integer``
    variables: the greatest common divisor of their costs (each read as a fraction with a denominator of at most
    ``_DENOMINATOR``). None when a continuous variable has a cost, a cost is no such fraction, or nothing costs."""
    nz = c != 0
    if (nz & ~integer).any() or not nz.any():
        return None
    values = np.unique(np.abs(c[nz]))
    fractions = [Fraction(float(v)).limit_denominator(_DENOMINATOR) for v in values]
    if any(abs(float(f) - v) > 1e-9 * max(1.0, v) for f, v in zip(fractions, values)):
        return None
    den = math.lcm(*(f.denominator for f in fractions))
    return math.gcd(*(int(f * den) for f in fractions)) / den


def _on_patterns(model):
    r"""The cost moved from the shifts onto the weekly patterns, along the day rows.

    Each day row says that the shifts of a group on a day are as many as the
    agents whose pattern works that day, :math:`\sum_{s} x_s - \sum_{p \ni d}
    w_p = 0`. Adding :math:`\lambda_r` times a row to the cost changes nothing
    at any point that satisfies it: with :math:`\lambda_r` the cheapest shift
    of the row, the shifts keep only what they cost above it, :math:`c_s -
    \lambda_r \ge 0`, and a pattern costs the sum of :math:`\lambda_r` over
    the days it works. When every shift of a contract costs the same (one
    template per contract), the whole cost sits on the patterns: five days
    of an 8-hour shift, 40 paid hours per agent.
    """
    rows = model.day_rows
    if rows.size == 0:
        return model.c
    D = model.A[rows].tocsr()
    shifts = D[:, :model.nx].tocsr()
    lam = np.zeros(rows.size)
    has = np.diff(shifts.indptr) > 0
    if has.any():
        lam[has] = np.minimum.reduceat(model.c[shifts.indices], shifts.indptr[:-1][has])
    return model.c - D.T @ lam


def _on_lattice(model):
    """``(model, step)``: the model with the cost on the patterns when that makes the cost's step
    (:func:`_objective_step`) coarser, else the model as it is, and the step of the cost it has (None: none)."""
    step = _objective_step(model.c, model.integer)
    c = _on_patterns(model)
    moved = _objective_step(c, model.integer)
    if moved is not None and (step is None or moved > step * (1 + 1e-9)):
        return dataclasses.replace(model, c=c), moved
    return model, step


def _round_up(bound, step):
    """A lower bound raised to the next whole multiple of ``step`` (the cost of any schedule is one); a bound
    within a relative 1e-6 above a multiple is taken as that multiple (solver tolerances)."""
    if step is None or not np.isfinite(bound):
        return bound
    q = bound / step
    return float(np.ceil(q - 1e-6 * max(1.0, abs(q))) * step)


def _fixed_at_zero(model, lo, hi):
    """Upper bounds of 0 for variables alone in a row ``a x <= 0`` (a > 0, x >= 0): the break
    counters P of hours in which no break window is open (nights), so that fixing the weekly
    patterns leaves the days unconnected."""
    A = model.A
    single = np.flatnonzero(np.diff(A.indptr) == 1)
    j = A.indices[A.indptr[single]]
    a = A.data[A.indptr[single]]
    zero = (a > 0) & (model.ub[single] <= 0) & (lo[j] >= 0)
    hi = hi.copy()
    hi[j[zero]] = np.minimum(hi[j[zero]], 0.0)
    return hi


def _dive(model, w_fixed, solver, deadline, mip_gap, upper, bound):
    """Fix the weekly-pattern counts and solve what is left, one connected block (a day) at a time.

    With the patterns fixed, every day's shifts, breaks and coverage form a
    block of the constraint matrix that shares no row with another day's
    (caps such as ``max_cost`` join them into one block). Two passes, each
    sharing the time left equally among the blocks still to solve: every
    block to a loose gap (so a whole schedule exists early), then the blocks
    furthest from their bounds again to ``_DIVE_GAP * mip_gap``, until the
    week is within ``mip_gap`` of ``bound`` or the deadline. Returns the
    full solution vector, or None when a block is infeasible or unsolved.
    """
    lo, hi = model.lo.copy(), model.hi.copy()
    lo[model.w_cols] = hi[model.w_cols] = w_fixed
    hi = _fixed_at_zero(model, lo, hi)
    fixed = lo >= hi
    x = np.where(fixed, lo, 0.0)
    A = model.A
    rest = A @ x
    free = np.flatnonzero(~fixed)
    # rows with no free variable: just check them
    n_free = np.diff((A[:, free] != 0).tocsr().indptr) if free.size else np.zeros(A.shape[0], dtype=np.int64)
    const = n_free == 0
    if (rest[const] < model.lb[const] - 1e-6).any() or (rest[const] > model.ub[const] + 1e-6).any():
        return None
    if free.size == 0:
        return x
    Af = A[:, free].tocsc()
    pattern = (Af != 0).astype(np.int8)
    n_comp, label = connected_components(pattern.T @ pattern, directed=False)
    order = np.argsort(label, kind="stable")
    edges = np.searchsorted(label[order], np.arange(n_comp + 1))
    parts = []
    for k in range(n_comp):
        cols = free[order[edges[k]:edges[k + 1]]]
        sub = A[:, cols].tocsr()
        rows = np.flatnonzero(np.diff(sub.indptr) > 0)
        parts.append((cols, dataclasses.replace(model, c=model.c[cols], A=sub[rows], lb=model.lb[rows] - rest[rows],
                                                ub=model.ub[rows] - rest[rows], lo=lo[cols], hi=hi[cols],
                                                integer=model.integer[cols], day_rows=np.zeros(0, np.int64))))
    fixed_cost = float(model.c @ x)
    value = np.full(n_comp, np.inf)
    floor = np.full(n_comp, -np.inf)

    def met():
        total = fixed_cost + value.sum()
        return np.isfinite(total) and total - bound <= mip_gap * total + 1e-9

    tight = _DIVE_GAP * mip_gap
    loose = max(_LOOSE_GAP, 4 * tight)
    passes = [loose, tight] if loose > tight else [tight]
    for gap in passes:
        slack = np.where(np.isfinite(value), value - floor, np.inf)  # unsolved blocks first
        todo = [k for k in np.argsort(-slack, kind="stable") if not np.isfinite(value[k])
                or value[k] - floor[k] > gap * abs(value[k]) + 1e-9]
        for i, k in enumerate(todo):
            left = deadline - time.perf_counter()
            if left <= 0:
                break
            cols, part = parts[k]
            res = _solve_direct(part, solver, left / (len(todo) - i), gap, False, upper)
            if res.status == "infeasible":
                return None
            if res.x is not None and res.objective < value[k]:
                value[k] = res.objective
                x[cols] = res.x
            if res.x is not None and np.isfinite(res.bound):
                floor[k] = max(floor[k], res.bound)
            if np.isfinite(value).all() and met():
                return x
    return x if np.isfinite(value).all() else None


def _solve_decomposed(model, lattice, step, solver, time_limit, mip_gap, verbose, upper):
    """Weekly patterns from a relaxation, then the days solved apart; the whole MILP with the time left
    when the gap to the relaxation's bound is still above ``mip_gap``.

    The relaxation keeps only the agents per weekly pattern integer (a handful
    of variables) and relaxes every shift and break count: solved to
    optimality it is a valid lower bound (at least the LP relaxation's) and
    gives whole pattern counts whose days are LP-feasible. The relaxation and
    the whole MILP are given ``lattice`` (the model with the cost the solver
    can see is a multiple of ``step``, :func:`_on_lattice`), the days the
    model's own cost; the bound is rounded up to a multiple of ``step``.
    """
    start = time.perf_counter()
    if model.w_cols.size == 0:
        return _solve_direct(lattice, solver, time_limit, mip_gap, verbose, upper)
    integer = np.zeros_like(model.integer)
    integer[model.w_cols] = True
    master = _solve_highs(dataclasses.replace(lattice, integer=integer), _MASTER_SHARE * time_limit, _MASTER_GAP)
    if master.status == "infeasible":  # a relaxation: the week itself is infeasible
        return master
    if master.x is None:
        left = max(time_limit - (time.perf_counter() - start), 1e-3)
        return _solve_direct(lattice, solver, left, mip_gap, verbose, upper)
    bound = _round_up(master.bound, step)
    deadline = start + _DIVE_SHARE * time_limit
    w = master.x[model.w_cols]
    best = None
    for rounded in dict.fromkeys((tuple(np.rint(w)), tuple(np.ceil(w - 1e-6)))):
        best = _dive(model, np.array(rounded), solver, deadline, mip_gap, upper, bound)
        if best is not None:
            break
    message = "weekly patterns from the relaxation with whole pattern counts, days solved apart"
    if best is not None:
        objective = float(model.c @ best)
        gap = (objective - bound) / objective if objective > 0 else 0.0
        if verbose:
            print(f"decomposition: objective {objective:.6g}, bound {bound:.6g}, gap {gap:.3%} after "
                  f"{time.perf_counter() - start:.1f} s")
        if gap <= mip_gap + 1e-12:
            return _Result(best, objective, bound, "optimal", time.perf_counter() - start, message)
    left = time_limit - (time.perf_counter() - start)
    res = _solve_direct(lattice, solver, left, mip_gap, verbose, upper) if left > 0.05 * time_limit \
        else _Result(None, np.nan, np.nan, "no_solution", 0.0, "time limit reached")
    seconds = time.perf_counter() - start
    if best is None:
        if res.x is not None:
            res = dataclasses.replace(res, bound=max(res.bound, bound))
        return dataclasses.replace(res, seconds=seconds)
    objective = float(model.c @ best)
    if res.x is not None:
        bound = max(bound, res.bound)
        if res.objective <= objective:
            gap = (res.objective - bound) / res.objective if res.objective > 0 else 0.0
            return dataclasses.replace(res, bound=bound, seconds=seconds,
                                       status="optimal" if gap <= mip_gap + 1e-12 else res.status)
    gap = (objective - bound) / objective if objective > 0 else 0.0
    return _Result(best, objective, bound, "optimal" if gap <= mip_gap + 1e-12 else "time_limit", seconds, message)


def _solve(model, solver, time_limit, mip_gap, verbose, upper, method="decompose"):
    """Solve ``model`` by ``method``; the bound rounded up to the step of the cost (:func:`_on_lattice`), and
    "optimal" when that bound proves the gap."""
    lattice, step = _on_lattice(model)
    if method == "direct":
        res = _solve_direct(lattice, solver, time_limit, mip_gap, verbose, upper)
    else:
        res = _solve_decomposed(model, lattice, step, solver, time_limit, mip_gap, verbose, upper)
    if res.x is None:
        return res
    objective = float(model.c @ res.x)
    bound = min(_round_up(res.bound, step), objective) if step is not None else res.bound
    met = objective - bound <= mip_gap * abs(objective) + 1e-9
    return dataclasses.replace(res, objective=objective, bound=bound,
                               status="optimal" if res.status == "time_limit" and met else res.status)
