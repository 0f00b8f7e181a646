r"""
Weekly schedule sizing: the cheapest shifts, breaks and days off that cover a
week's requirement, as one mixed-integer program with a proven gap.

The model
---------
On the requirement's interval grid (T intervals, index i), with shifts s
(a template, a start time and so a day), weekly patterns p (the days an
agent works) and break classes c:

* ``x[s]`` agents work shift s (integer);
* ``b[c, t]`` breaks of class c start at interval t (integer);
* ``w[g, p]`` agents of group g (a contract, or everyone) work pattern p
  (integer); with ``same_start_all_week`` one per pattern and start time;
* ``P[c, t]`` and, when shortfall is allowed, ``u[i]``: continuous.

Minimise the cost :math:`\sum_s h_s r_s x_s` (paid hours times cost per paid
hour) subject to

* coverage: :math:`\sum_{s \ni i} x_s - \sum_{c} \sum_{t \le i < t + L_c}
  b_{c,t} \ge R_i` on every interval with a requirement (plus ``u[i]`` in
  shortfall mode), so an agent on a break is off the phones;
* days: on each open day d, the shifts of group g on d equal the agents of
  g whose pattern works d: :math:`\sum_{s \in g, d} x_s = \sum_{p \ni d}
  w_{g,p}`; heads are :math:`\sum w`;
* breaks, implicitly (Bechtold and Jacobs [1]_): every break of a shift has a
  window of start times, and breaks of one length whose windows are equally
  wide form a class c in which a window is known by its first interval u
  (its last is u + W). Let X_u count the breaks of class c whose window
  starts at u. Breaks can be handed to shifts, each inside its own window,
  exactly when for every t the breaks started by t lie between the windows
  already closed and the windows already opened:

  .. math::

      \sum_{u + W \le t} X_u \;\le\; \sum_{t' \le t} b_{c,t'} \;\le\;
      \sum_{u \le t} X_u,

  the forward and backward constraints of [1]_, which suffice because
  equally wide windows never nest (Hall's condition on an interval
  bipartite graph then only needs prefixes and suffixes). The running
  difference ``P[c, t]`` (breaks started minus windows closed) keeps each
  constraint short: :math:`P_t = P_{t-1} + b_t - X_{t-W}`,
  :math:`0 \le P_t \le \sum_{t-W < u \le t} X_u`.
* caps: headcount, budget, part-time share of paid hours, agents per
  template per day.

Solving (``method``): by default the relaxation that keeps only the ``w``
integer is solved first (its value is the proven bound); with ``w`` fixed at
its values the days no longer share a row, and each day is solved as its own
small MILP (a decomposition by days; see :func:`schedule_week`, Notes).
``method="direct"`` gives the whole model to the solver at once.

After the solve, breaks are handed to agents by earliest deadline first
(always possible under the conditions above) and :attr:`SchedulePlan.shifts`
lists every distinct shift with its concrete breaks; the coverage is
recomputed from that table.

References
----------
.. [1] S. E. Bechtold and L. W. Jacobs, "Implicit modeling of flexible break
   assignments in optimal shift scheduling", Management Science 36(11),
   1339-1351, 1990.
.. [2] G. B. Dantzig, "A comment on Edie's 'Traffic delays at toll
   booths'", Operations Research 2(3), 339-341, 1954 (the set-covering
   model of shift scheduling).
.. [3] Q. Huangfu and J. A. J. Hall, "Parallelizing the dual revised simplex
   method", Mathematical Programming Computation 10(1), 119-142, 2018
   (HiGHS, behind ``scipy.optimize.milp``).
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse.csgraph import connected_components

from .. import _validation as v
from .. import calendar as cal
from .. import erlang as e
from .._results import Result, figures_frame, plain
from ..logs._parse import option
from .shifts import CONTRACTS, DAY_NAMES, on_grid, schedule_rules, weekly_patterns

__all__ = ["METHODS", "SOLVERS", "SchedulePlan", "schedule_week", "shift_coverage"]

#: Solvers of :func:`schedule_week`: HiGHS through SciPy (default) or OR-Tools CP-SAT.
SOLVERS = ("highs", "cp-sat")
#: Methods of :func:`schedule_week`: days solved apart under weekly patterns rounded from the LP
#: relaxation (default), or the whole week as one MILP.
METHODS = ("decompose", "direct")
_MASTER_SHARE = 0.3  # of the time limit, at most, for the relaxation with whole pattern counts
_MASTER_GAP = 1e-4  # its relative gap
_DIVE_SHARE = 0.8  # of the time limit, for that relaxation and the days solved apart
_DIVE_GAP = 0.5  # of mip_gap, the relative gap each day is solved to
_LOOSE_GAP = 0.01  # at least, the relative gap of the first, quick pass over the days
_DAY_LABELS = tuple(d.title() for d in DAY_NAMES)


# --------------------------------------------------------------------------
# The requirement and its grid.
# --------------------------------------------------------------------------


@dataclass
class _Grid:
    index: pd.DatetimeIndex
    interval: float  # seconds
    req: np.ndarray  # int
    day: np.ndarray  # 0..6: wall-clock calendar day, counted from the first
    slot: np.ndarray  # interval of the wall-clock day: wall-clock seconds after midnight / interval
    open: np.ndarray  # bool
    dates: list  # Timestamp of each of the 7 days: local midnight (in the index's time zone)
    open_days: np.ndarray  # bool, 7


def _check_requirement(requirement):
    idx = v.check_datetime_index(requirement, "requirement", "(agents required in each interval of the week)")
    values = v.as_float_array(requirement, "requirement", index=idx)
    v.check_nonnegative(values, "requirement", "agents", index=idx)
    v.check_whole(values, "requirement", index=idx)
    interval = v.check_regular_grid(idx, "requirement")
    step = pd.Timedelta(seconds=interval)
    v.check_rule(86400 % interval == 0 and interval % 60 == 0, "requirement's interval", v._fmt_td(step),
                 "a whole number of minutes that divides a day, e.g. 15min or 30min")
    wall = cal.wall_clock(idx)
    offset = (wall - wall.normalize()).total_seconds()
    off_grid = np.asarray(offset) % interval != 0
    v.check_rule(not off_grid.any(), "requirement's timestamps", str(idx[int(np.argmax(off_grid))]),
                 f"on the {v._fmt_td(step)} grid counted from midnight on the local wall clock")
    ndays = (wall[-1].normalize() - wall[0].normalize()).days + 1
    v.check_rule(ndays <= 7, "requirement", f"<{ndays} calendar days, {idx[0]} to {idx[-1]}>",
                 "one week: at most 7 calendar days",
                 "Schedule one week at a time, or a longer horizon with wfm.schedule_weeks.")
    return values.astype(np.int64), idx, interval


def _local_midnights(dates, tz):
    """Naive wall-clock dates as timestamps of local midnight in ``tz`` (the first instant of the day)."""
    dates = pd.DatetimeIndex(dates)
    if tz is None:
        return list(dates)
    # where midnight itself is skipped by a clock change, the day starts at the first valid instant
    return list(dates.tz_localize(tz, ambiguous=np.ones(len(dates), dtype=bool), nonexistent="shift_forward"))


def _grid(requirement, rules):
    """The requirement on its grid, with days, slots and opening hours read on the local wall clock.

    Positions on the grid are elapsed time (a day of 23 or 25 hours when the
    clocks change has 2 intervals of an hour fewer or more); the day, the
    weekday and the slot within the day of each interval are those of the
    wall clock, so open hours and start windows keep their clock times.
    """
    req, idx, interval = _check_requirement(requirement)
    date, weekday, slot = cal.slot_keys(idx, interval)
    date0 = date[0]
    day = np.asarray((date - date0).days, dtype=np.int64)
    if rules.open_hours is not None:
        lo = np.full(len(idx), np.inf)
        hi = np.full(len(idx), -np.inf)
        for d, (a, b) in rules.open_hours.items():
            lo[weekday == d] = a * 60.0
            hi[weekday == d] = b * 60.0
        is_open = (slot * interval >= lo) & ((slot + 1) * interval <= hi)
        closed_need = (req > 0) & ~is_open
        if closed_need.any():
            raise ValueError(
                "requirement must be 0 outside rules['open_hours'] (local wall-clock times); got agents required "
                f"while closed{v.describe_positions(closed_need, idx)}. Widen open_hours or set those intervals to 0."
            )
    else:
        positive = req > 0
        is_open = np.zeros(len(idx), dtype=bool)
        pos_days = day[positive]
        if pos_days.size:
            first = np.full(7, len(idx))
            last = np.full(7, -1)
            where = np.flatnonzero(positive)
            np.minimum.at(first, pos_days, where)
            np.maximum.at(last, pos_days, where)
            i = np.arange(len(idx))
            is_open = (i >= first[day]) & (i <= last[day])
    open_days = np.zeros(7, dtype=bool)
    open_days[np.unique(day[is_open])] = True
    dates = _local_midnights([date0 + pd.Timedelta(days=d) for d in range(7)], idx.tz)
    return _Grid(idx, interval, req, day, slot, is_open, dates, open_days)


# --------------------------------------------------------------------------
# Candidate shifts and the model.
# --------------------------------------------------------------------------


@dataclass
class _Shifts:
    template: np.ndarray  # index into rules.shifts
    start: np.ndarray  # interval index
    day: np.ndarray
    span: np.ndarray
    cost: np.ndarray  # per agent
    hours: np.ndarray  # paid hours per agent
    part_time: np.ndarray  # bool


def _candidate_shifts(rules, grid, templates):
    """Every allowed (template, start) on the grid, vectorised over start times per template."""
    T = len(grid.req)
    cum_open = np.r_[0, np.cumsum(grid.open)]
    parts = []
    for g in templates:
        tpl = rules.shifts[g.index]
        t = np.arange(max(T - g.span + 1, 0))
        ok = grid.open_days[grid.day[t]]
        slot = grid.slot[t]
        if g.first is not None:
            ok &= (slot >= g.first) & (slot <= g.last) & ((slot - g.first) % g.step == 0)
        else:
            ok &= slot % g.step == 0
        if tpl.within_open_hours:
            ok &= (cum_open[t + g.span] - cum_open[t]) == g.span
        parts.append((np.full(ok.sum(), g.index), t[ok]))
    tmpl = np.concatenate([p[0] for p in parts]).astype(np.int64)
    start = np.concatenate([p[1] for p in parts]).astype(np.int64)
    span = np.array([templates[j].span for j in range(len(templates))], dtype=np.int64)[tmpl]
    hours = np.array([t.paid_hours for t in rules.shifts])[tmpl]
    rate = np.array([t.cost_per_paid_hour for t in rules.shifts])[tmpl]
    pt = np.array([t.contract == "part_time" for t in rules.shifts])[tmpl]
    return _Shifts(tmpl, start, grid.day[start], span, hours * rate, hours, pt)


@dataclass
class _Model:
    """A MILP in the form min c x, lb <= A x <= ub, bounds, integrality."""

    c: np.ndarray
    A: sparse.csr_matrix
    lb: np.ndarray
    ub: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    integer: np.ndarray
    nx: int
    classes: list  # per break class: dict(L, W, units (s, k, u), b_cols, taus)
    groups: list  # per weekly-pattern variable: (group name, pattern row, start slot or None)
    w_cols: np.ndarray
    u_cols: np.ndarray  # shortfall variables (or empty)
    u_rows: np.ndarray  # their intervals
    cover_rows: np.ndarray  # intervals with a coverage row
    penalty: np.ndarray  # objective weight per shortfall variable
    on_phones: sparse.csr_matrix  # intervals x variables: agents on the phones


class _Builder:
    def __init__(self):
        self.rows, self.cols, self.vals = [], [], []
        self.lb, self.ub = [], []
        self.nrows = 0

    def add(self, rows, cols, vals, lb, ub):
        """Rows numbered locally from 0; lb/ub one per local row."""
        lb = np.atleast_1d(np.asarray(lb, dtype=float))
        ub = np.atleast_1d(np.asarray(ub, dtype=float))
        n = max(lb.size, ub.size)
        self.rows.append(np.asarray(rows, dtype=np.int64) + self.nrows)
        self.cols.append(np.asarray(cols, dtype=np.int64))
        self.vals.append(np.broadcast_to(np.asarray(vals, dtype=float), np.shape(rows)))
        self.lb.append(np.broadcast_to(lb, n))
        self.ub.append(np.broadcast_to(ub, n))
        first = self.nrows
        self.nrows += n
        return first

    def matrix(self, ncols):
        A = sparse.coo_matrix((np.concatenate(self.vals), (np.concatenate(self.rows), np.concatenate(self.cols))),
                              shape=(self.nrows, ncols)).tocsr()
        A.sum_duplicates()
        return A, np.concatenate(self.lb), np.concatenate(self.ub)


def _expand(starts, lengths):
    """(owner, position) for runs starts[k] .. starts[k] + lengths[k] - 1, without a Python loop."""
    lengths = np.asarray(lengths, dtype=np.int64)
    owner = np.repeat(np.arange(lengths.size), lengths)
    offset = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return owner, np.asarray(starts, dtype=np.int64)[owner] + offset


def _build(rules, grid, templates, sh, *, caps=True, shortfall=None, objective="cost"):
    """Assemble the MILP. ``shortfall``: None (cover every interval) or weights per interval."""
    T = len(grid.req)
    S = sh.template.size
    ncol = S
    lo_parts, hi_parts, int_parts = [np.zeros(S)], [np.full(S, np.inf)], [np.ones(S, bool)]
    B = _Builder()

    def new_vars(n, lo=0.0, hi=np.inf, integer=True):
        nonlocal ncol
        first = ncol
        ncol += n
        lo_parts.append(np.broadcast_to(np.asarray(lo, dtype=float), n))
        hi_parts.append(np.broadcast_to(np.asarray(hi, dtype=float), n))
        int_parts.append(np.full(n, integer))
        return np.arange(first, first + n)

    # -- coverage of the shifts (rows = intervals, later restricted)
    owner, rows = _expand(sh.start, sh.span)
    cov_rows, cov_cols, cov_vals = [rows], [owner], [np.ones(owner.size)]

    # -- break units: one per (shift, break); classes by (length, window width)
    unit_s, unit_k, unit_u, unit_key = [], [], [], []
    for g in templates:
        s_idx = np.flatnonzero(sh.template == g.index)
        for k, (first, last, length) in enumerate(g.breaks):
            unit_s.append(s_idx)
            unit_k.append(np.full(s_idx.size, k))
            unit_u.append(sh.start[s_idx] + first)
            unit_key.append(np.full((s_idx.size, 2), (length, last - first)))
    classes = []
    if unit_s:
        unit_s, unit_k, unit_u = (np.concatenate(a) for a in (unit_s, unit_k, unit_u))
        unit_key = np.concatenate(unit_key)
        keys = sorted({tuple(k) for k in unit_key.tolist()})
        for L, W in keys:
            m = (unit_key[:, 0] == L) & (unit_key[:, 1] == W)
            us, uk, uu = unit_s[m], unit_k[m], unit_u[m]
            if us.size == 0:
                continue
            q0, q1 = int(uu.min()), int(uu.max()) + W
            nq = q1 - q0 + 1
            # break starts t only where some window is open: t in [u, u + W]
            diff = np.zeros(nq + 1, dtype=np.int64)
            np.add.at(diff, uu - q0, 1)
            np.add.at(diff, uu - q0 + W + 1, -1)
            covered = np.cumsum(diff)[:nq] > 0
            taus = q0 + np.flatnonzero(covered)
            b_cols = new_vars(taus.size)
            p_cols = new_vars(nq, 0.0, np.inf, integer=False)
            # P_q - P_{q-1} - b_q + X_{q-W} = 0
            r = np.arange(nq)
            rr = [r, r[1:], taus - q0, uu + W - q0]
            cc = [p_cols, p_cols[:-1], b_cols, us]
            vv = [np.ones(nq), -np.ones(nq - 1), -np.ones(taus.size), np.ones(us.size)]
            B.add(np.concatenate(rr), np.concatenate(cc), np.concatenate(vv), 0.0, np.zeros(nq))
            # P_q - sum_{q-W < u <= q} X_u <= 0   (for W = 0: P_q <= 0)
            own, pos = _expand(uu - q0, np.full(us.size, W))
            B.add(np.r_[r, pos], np.r_[p_cols, us[own]], np.r_[np.ones(nq), -np.ones(own.size)],
                  -np.inf, np.zeros(nq))
            # off the phones for L intervals from each break start
            bo, bp = _expand(taus, np.full(taus.size, L))
            cov_rows.append(bp)
            cov_cols.append(b_cols[bo])
            cov_vals.append(-np.ones(bo.size))
            classes.append(dict(L=L, W=W, s=us, k=uk, u=uu, b_cols=b_cols, taus=taus))

    # -- weekly patterns
    wk = rules.week
    if wk.same_contract_all_week:
        group_of = np.where(sh.part_time, 1, 0)
        names = [c for c in CONTRACTS]
        days_rule = [wk.days_per_week[c] for c in CONTRACTS]
    else:
        group_of = np.zeros(S, dtype=np.int64)
        names = ["any"]
        rng = {wk.days_per_week[c] for c in CONTRACTS if any(t.contract == c for t in rules.shifts)}
        if len(rng) > 1:
            raise ValueError("rules['week']['days_per_week'] must be one value for every contract when "
                             f"same_contract_all_week is False; got {dict(wk.days_per_week)}.")
        days_rule = [rng.pop()]
    groups, w_parts = [], []
    for gi, gname in enumerate(names):
        in_g = group_of == gi
        if not in_g.any():
            continue
        pats = weekly_patterns(grid.open_days, days_rule[gi], wk.days_off_consecutive)
        starts = np.unique(grid.slot[sh.start[in_g]]) if wk.same_start_all_week else np.array([-1])
        for m in starts:
            sel = in_g & ((grid.slot[sh.start] == m) if m >= 0 else True)
            if pats.shape[0] == 0:
                # no allowed pattern: these shifts cannot be worked
                B.add(np.zeros(sel.sum()), np.flatnonzero(sel), 1.0, 0.0, 0.0)
                continue
            wc = new_vars(pats.shape[0])
            w_parts.append(wc)
            groups.extend((gname, p, None if m < 0 else int(m)) for p in pats)
            # rows: one per open day
            days = np.flatnonzero(grid.open_days)
            s_sel = np.flatnonzero(sel)
            d_pos = np.searchsorted(days, sh.day[s_sel])
            pr, pc = np.nonzero(pats[:, days].T)  # (day row, pattern)
            B.add(np.r_[d_pos, pr], np.r_[s_sel, wc[pc]], np.r_[np.ones(s_sel.size), -np.ones(pr.size)],
                  0.0, np.zeros(days.size))
    w_cols = np.concatenate(w_parts) if w_parts else np.zeros(0, dtype=np.int64)

    # -- coverage rows
    cover = np.flatnonzero(grid.req > 0)
    on_phones = sparse.coo_matrix((np.concatenate(cov_vals), (np.concatenate(cov_rows), np.concatenate(cov_cols))),
                                  shape=(T, ncol)).tocsr()
    R = on_phones[cover].tocoo()
    u_cols = np.zeros(0, dtype=np.int64)
    penalty = np.zeros(0)
    first_cov = B.add(R.row, R.col, R.data, grid.req[cover].astype(float), np.full(cover.size, np.inf))
    if shortfall is not None:
        u_cols = new_vars(cover.size, 0.0, grid.req[cover].astype(float), integer=False)
        B.rows.append(first_cov + np.arange(cover.size))
        B.cols.append(u_cols)
        B.vals.append(np.ones(cover.size))
        penalty = shortfall[cover]

    # -- caps
    if caps:
        if rules.max_heads is not None and w_cols.size:
            B.add(np.zeros(w_cols.size), w_cols, 1.0, -np.inf, float(rules.max_heads))
        if rules.max_cost is not None:
            B.add(np.zeros(S), np.arange(S), sh.cost, -np.inf, rules.max_cost)
        lo_share, hi_share = wk.part_time_share
        if lo_share > 0:
            B.add(np.zeros(S), np.arange(S), (sh.part_time - lo_share) * sh.hours, 0.0, np.inf)
        if hi_share < 1:
            B.add(np.zeros(S), np.arange(S), (sh.part_time - hi_share) * sh.hours, -np.inf, 0.0)
        for g in templates:
            cap = rules.shifts[g.index].max_agents
            if cap is None:
                continue
            s_idx = np.flatnonzero(sh.template == g.index)
            days = np.unique(sh.day[s_idx])
            B.add(np.searchsorted(days, sh.day[s_idx]), s_idx, 1.0, -np.inf, np.full(days.size, float(cap)))

    A, lb, ub = B.matrix(ncol)
    on_phones.resize((T, ncol))
    c = np.zeros(ncol)
    if objective == "heads":
        c[w_cols] = 1.0
    elif objective == "shortfall":
        c[u_cols] = 1.0
    else:
        c[:S] = sh.cost
        if u_cols.size:
            c[u_cols] = penalty
    return _Model(c, A, lb, ub, np.concatenate(lo_parts), np.concatenate(hi_parts), np.concatenate(int_parts), S,
                  classes, groups, w_cols, u_cols, cover, cover, penalty, on_phones)


# --------------------------------------------------------------------------
# Solvers.
# --------------------------------------------------------------------------


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
                                                integer=model.integer[cols])))
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


def _solve_decomposed(model, solver, time_limit, mip_gap, verbose, upper):
    """Weekly patterns from a relaxation, then the days solved apart; the whole MILP with the time left
    when the gap to the relaxation's bound is still above ``mip_gap``.

    The relaxation keeps only the agents per weekly pattern integer (a handful
    of variables) and relaxes every shift and break count: solved to
    optimality it is a valid lower bound (at least the LP relaxation's) and
    gives whole pattern counts whose days are LP-feasible.
    """
    start = time.perf_counter()
    if model.w_cols.size == 0:
        return _solve_direct(model, solver, time_limit, mip_gap, verbose, upper)
    integer = np.zeros_like(model.integer)
    integer[model.w_cols] = True
    master = _solve_highs(dataclasses.replace(model, integer=integer), _MASTER_SHARE * time_limit, _MASTER_GAP)
    if master.status == "infeasible":  # a relaxation: the week itself is infeasible
        return master
    if master.x is None:
        left = max(time_limit - (time.perf_counter() - start), 1e-3)
        return _solve_direct(model, solver, left, mip_gap, verbose, upper)
    bound = master.bound
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
    res = _solve_direct(model, solver, left, mip_gap, verbose, upper) if left > 0.05 * time_limit \
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
    if method == "direct":
        return _solve_direct(model, solver, time_limit, mip_gap, verbose, upper)
    return _solve_decomposed(model, solver, time_limit, mip_gap, verbose, upper)


# --------------------------------------------------------------------------
# From the solution to concrete shifts and breaks.
# --------------------------------------------------------------------------


def _assign_breaks(cls, x, b):
    """Hand the breaks of one class to its units, earliest deadline first.

    Units are (shift, break) pairs with ``x[shift]`` agents each and window
    [u, u + W]; ``b[t]`` breaks start at each t. Returns, per unit, a list of
    break starts (one per agent, ascending).
    """
    W = cls["W"]
    counts = x[cls["s"]]
    order = np.argsort(cls["u"], kind="stable")
    out = [[] for _ in range(cls["s"].size)]
    queue = []  # [unit, agents still without this break], by window start
    head = 0
    nxt = 0
    for tau, n in zip(cls["taus"].tolist(), b.tolist()):
        while nxt < order.size and cls["u"][order[nxt]] <= tau:
            if counts[order[nxt]] > 0:
                queue.append([order[nxt], int(counts[order[nxt]])])
            nxt += 1
        while n > 0:
            if head >= len(queue) or cls["u"][queue[head][0]] + W < tau:
                raise RuntimeError("break assignment failed: the solver's break counts violate the "
                                   "forward/backward conditions (please report this).")
            unit, left = queue[head]
            take = min(n, left)
            out[unit].extend([tau] * take)
            queue[head][1] -= take
            n -= take
            if queue[head][1] == 0:
                head += 1
    if head < len(queue) or nxt < order.size and counts[order[nxt:]].sum() > 0:
        raise RuntimeError("break assignment failed: some shifts got no break (please report this).")
    return out


def _shift_table(rules, grid, sh, model, x_all):
    x = np.rint(x_all[:model.nx]).astype(np.int64)
    breaks_of = {}  # shift -> {k: [starts]}
    for cls in model.classes:
        b = np.rint(x_all[cls["b_cols"]]).astype(np.int64)
        starts = _assign_breaks(cls, x, b)
        for unit, st in enumerate(starts):
            if st:
                breaks_of.setdefault(int(cls["s"][unit]), {})[int(cls["k"][unit])] = st
    idx, step = grid.index, pd.Timedelta(seconds=grid.interval)
    records = []
    for s in np.flatnonzero(x > 0).tolist():
        tpl = rules.shifts[sh.template[s]]
        per_break = breaks_of.get(s, {})
        plans = {}
        for a in range(x[s]):
            key = tuple(per_break[k][a] for k in range(len(tpl.breaks)))
            plans[key] = plans.get(key, 0) + 1
        start = idx[sh.start[s]]
        for key, agents in plans.items():
            brk = [(idx[t], idx[t] + rule.length, rule.paid) for t, rule in zip(key, tpl.breaks)]
            records.append(dict(day=grid.dates[sh.day[s]], name=tpl.name, contract=tpl.contract, start=start,
                                end=start + sh.span[s] * step, paid_hours=tpl.paid_hours, agents=int(agents),
                                breaks=brk, cost=agents * tpl.paid_hours * tpl.cost_per_paid_hour))
    cols = ["day", "name", "contract", "start", "end", "paid_hours", "agents", "breaks", "cost"]
    table = pd.DataFrame.from_records(records, columns=cols)
    if len(table):
        table = table.sort_values(["day", "start", "name", "end"], kind="stable").reset_index(drop=True)
    table["agents"] = table["agents"].astype(np.int64)
    return table, x


def shift_coverage(shifts, index):
    """
    Agents on the phones per interval from a table of shifts with breaks.

    An agent counts in every interval that starts inside [start, end) and
    not inside one of its breaks [break start, break end).

    Parameters
    ----------
    shifts : DataFrame
        Columns ``start``, ``end``, ``agents`` and ``breaks`` (a list of
        (start, end, paid) tuples), as in :attr:`SchedulePlan.shifts`.
    index : DatetimeIndex
        Interval starts, a regular grid.

    Returns
    -------
    scheduled : Series
        Agents on the phones, on ``index``. [agents]

    Examples
    --------
    >>> idx = pd.date_range("2024-01-01 08:00", periods=4, freq="30min")
    >>> t = pd.Timestamp
    >>> table = pd.DataFrame({"start": [t("2024-01-01 08:00")], "end": [t("2024-01-01 10:00")],
    ...                       "agents": [3], "breaks": [[(t("2024-01-01 09:00"), t("2024-01-01 09:30"), True)]]})
    >>> shift_coverage(table, idx).tolist()
    [3, 3, 0, 3]
    """
    pos = lambda ts: np.asarray(index.searchsorted(pd.DatetimeIndex(ts)), dtype=np.int64)  # noqa: E731
    diff = np.zeros(len(index) + 1, dtype=np.int64)
    if len(shifts):
        agents = shifts["agents"].to_numpy(dtype=np.int64)
        np.add.at(diff, pos(shifts["start"]), agents)
        np.add.at(diff, pos(shifts["end"]), -agents)
        n = shifts["breaks"].map(len).to_numpy()
        if n.sum():
            flat = [brk for lst in shifts["breaks"] for brk in lst]
            who = np.repeat(agents, n)
            np.add.at(diff, pos([f[0] for f in flat]), -who)
            np.add.at(diff, pos([f[1] for f in flat]), who)
    return pd.Series(np.cumsum(diff)[:-1], index=index, name="scheduled")


# --------------------------------------------------------------------------
# Service level of the schedule and shortfall weights.
# --------------------------------------------------------------------------


def _queue_inputs(index, interval, plan, calls, aht, threshold):
    """(calls, aht, threshold, model, patience) on ``index``, or None when not given."""
    model, patience = "erlang_c", None
    if plan is not None:
        tab = plan.table
        if calls is not None or aht is not None:
            raise ValueError("give plan or calls and aht, not both.")
        calls, aht = tab["calls"], tab["aht"]
        threshold = plan.params.get("threshold") if threshold is None else threshold
        model, patience = plan.params.get("model", "erlang_c"), plan.params.get("patience")
        if threshold is None:
            raise ValueError("threshold is required: the plan has no service-level threshold; pass threshold=.")
    elif calls is None and aht is None:
        return None
    if calls is None or aht is None:
        raise ValueError("calls and aht go together: pass both (or plan=) to get the service level per interval.")
    if threshold is None:
        raise ValueError("threshold is required with calls and aht: the answer-time target in seconds, e.g. 20.")
    if isinstance(calls, pd.Series):
        extra = calls.index.difference(index)
        if len(extra):
            raise ValueError(f"calls has timestamps outside the requirement's week, first {extra[0]}; "
                             "pass the calls of the scheduled week only.")
        calls = calls.reindex(index, fill_value=0.0)
    if isinstance(aht, pd.Series):
        aht = aht.reindex(index, fill_value=float(aht.median()) if len(aht) else 1.0)
    calls_arr = v.as_float_array(calls, "calls", index=index)
    aht_arr = v.as_float_array(aht, "aht", index=index)
    if calls_arr.ndim and calls_arr.shape != (len(index),):
        raise ValueError(f"calls must have one value per interval of the requirement ({len(index)}); "
                         f"got {calls_arr.shape[0]}.")
    calls_arr = np.broadcast_to(calls_arr, len(index))
    v.check_nonnegative(calls_arr, "calls", "calls per interval", index=index)
    v.check_positive(aht_arr, "aht", "seconds", index=index if aht_arr.ndim else None)
    t = v.as_float_array(threshold, "threshold")
    v.check_nonnegative(t, "threshold", "seconds")
    return calls_arr, aht_arr, float(t), model, patience


def _service_level(queue, interval, agents):
    calls, aht, threshold, model, patience = queue
    return np.asarray(e.service_level(calls, aht, interval, np.asarray(agents, dtype=float), threshold, model=model,
                                      patience=patience), dtype=float)


def _shortfall_weights(grid, queue):
    """1 + calls answered late when one agent is missing, relative to the mean such loss."""
    w = np.ones(len(grid.req))
    if queue is None:
        return w
    need = grid.req > 0
    if not need.any():
        return w
    n = grid.req[need].astype(float)
    sub = tuple(a[need] if np.ndim(a) else a for a in queue[:2]) + queue[2:]
    loss = sub[0] * (_service_level(sub, grid.interval, n) - _service_level(sub, grid.interval, n - 1))
    loss = np.maximum(loss, 0.0)
    if loss.mean() > 0:
        w[need] = 1.0 + loss / loss.mean()
    return w


# --------------------------------------------------------------------------
# The results object.
# --------------------------------------------------------------------------


#: Display labels of :meth:`SchedulePlan.summary`, by key of :meth:`SchedulePlan.figures`.
_SUMMARY_LABELS = {
    "mode": "mode", "status": "status", "cost": "cost", "lower_bound": "lower bound", "gap": "gap",
    "paid_hours": "paid hours", "heads": "heads", "shifts": "shifts (agent-days)", "efficiency": "efficiency",
    "required_agent_hours": "required agent-hours", "over_agent_hours": "over (agent-hours)",
    "under_agent_hours": "under (agent-hours)", "intervals_short": "intervals short",
    "solve_seconds": "solve time [s]", "weeks": "weeks", "service_level": "service level (call-weighted)",
}


@dataclass(frozen=True)
class SchedulePlan(Result):
    """
    A week of shifts, breaks and days off with its coverage and proven gap.

    Built by :func:`schedule_week`.

    Attributes
    ----------
    shifts : DataFrame
        One row per distinct shift-and-break plan: ``day``, ``name``,
        ``contract``, ``start``, ``end`` (end exclusive), ``paid_hours``
        [h per agent], ``agents``, ``breaks`` (list of (start, end, paid))
        and ``cost`` (of the row's agents).
    coverage : DataFrame
        One row per interval: ``required``, ``scheduled`` (agents on the
        phones: on shift and not on a break), ``on_break``, ``over``,
        ``under``, ``open`` and, with calls and AHT, ``service_level``
        (expected with the scheduled agents).
    patterns : DataFrame
        Agents per weekly pattern: ``contract`` ("any" when contracts mix),
        ``days``, ``days_off``, ``start`` (with ``same_start_all_week``),
        ``agents``.
    cost : float
        Paid hours times cost per paid hour. [cost units]
    paid_hours : float
        [h]
    heads : int
        Distinct agents the weekly patterns need.
    objective : float
        The solver's objective: ``cost`` when covering every interval; cost
        plus the weighted shortfall penalty in shortfall mode.
    lower_bound : float
        The solver's proven lower bound on ``objective`` (at least the LP
        relaxation's value).
    gap : float
        ``(objective - lower_bound) / objective``. [0-1]
    mode : {"cover", "shortfall"}
    status : {"optimal", "time_limit"}
        "optimal": the gap is within ``mip_gap``.
    params : dict
        The arguments that built the plan, and the model's size and the
        solve time.
    weeks : DataFrame or None
        Over a horizon of several weeks (:func:`wfm.schedule_weeks`): one row
        per week with its figures (``week``, ``start``, ``end``, ``cost``,
        ``paid_hours``, ``heads``, ``objective``, ``lower_bound``, ``gap``,
        ``status``, ``calls``, ``service_level``, ``intervals_short``,
        ``solve_seconds``); and ``shifts``, ``coverage`` and ``patterns``
        carry a ``week`` column. None for one week.
    """

    shifts: pd.DataFrame
    coverage: pd.DataFrame
    patterns: pd.DataFrame
    cost: float
    paid_hours: float
    heads: int
    objective: float
    lower_bound: float
    gap: float
    mode: str
    status: str
    params: dict = field(default_factory=dict)
    weeks: pd.DataFrame | None = None

    @property
    def efficiency(self):
        """Required agent-hours over scheduled productive (on-phone) agent-hours. [0-1]

        At most 1 when every interval is covered; above 1 only in shortfall mode.
        """
        productive = float(self.coverage["scheduled"].sum())
        return float(self.coverage["required"].sum()) / productive if productive else float("nan")

    @property
    def shortfall(self):
        """The intervals short of the requirement: ``required``, ``scheduled``, ``under``."""
        cov = self.coverage
        return cov.loc[cov["under"] > 0, ["required", "scheduled", "under"]]

    def by_template(self):
        """Agents per shift template (rows) and day (columns)."""
        tab = self.shifts
        out = tab.pivot_table(index="name", columns="day", values="agents", aggfunc="sum", fill_value=0)
        names = [t for t in self.params["templates"] if t in out.index]
        return out.reindex(names).astype(np.int64)

    @property
    def service_level(self):
        """Expected service level over the plan, weighted by calls. [0-1]

        NaN without calls (no ``plan``, ``calls`` or ``aht`` given) or when
        no call is offered.
        """
        if not self.params.get("calls_total"):
            return float("nan")
        return float(self.params["sl_call_weighted"])

    def figures(self):
        """
        Key figures as data: a dict with snake_case keys.

        ``mode``, ``status``, ``cost`` [cost units], ``lower_bound``, ``gap``
        [0-1], ``paid_hours`` [h], ``heads``, ``shifts`` (agent-days),
        ``efficiency`` [0-1], ``required_agent_hours``, ``over_agent_hours``,
        ``under_agent_hours`` [agent-h], ``intervals_short``,
        ``solve_seconds`` [s], ``calls`` [calls] and ``service_level``
        (call-weighted, NaN without calls) [0-1].
        """
        hours = self.params["interval"] / 3600.0
        cov = self.coverage
        return plain({
            **({"weeks": len(self.weeks)} if self.weeks is not None else {}),
            "mode": self.mode,
            "status": self.status,
            "cost": float(self.cost),
            "lower_bound": float(self.lower_bound),
            "gap": float(self.gap),
            "paid_hours": float(self.paid_hours),
            "heads": int(self.heads),
            "shifts": int(self.shifts["agents"].sum()) if len(self.shifts) else 0,
            "efficiency": self.efficiency,
            "required_agent_hours": float(cov["required"].sum() * hours),
            "over_agent_hours": float(cov["over"].sum() * hours),
            "under_agent_hours": float(cov["under"].sum() * hours),
            "intervals_short": int((cov["under"] > 0).sum()),
            "solve_seconds": float(self.params["solve_seconds"]),
            "calls": float(self.params.get("calls_total", 0.0)),
            "service_level": self.service_level,
        })

    @property
    def table(self):
        """The shifts (:attr:`shifts`): one row per template, start and day, with the agents on it."""
        return self.shifts

    def summary(self):
        """The figures under display labels (index ``key``, columns ``figure``, ``value``); ``weeks`` over a
        horizon, the call-weighted service level where the coverage has one."""
        fig = self.figures()
        keys = [k for k in ("weeks", *_SUMMARY_LABELS) if k in fig]
        if "service_level" in self.coverage and fig["calls"]:
            keys.append("service_level")
        return figures_frame({k: fig[k] for k in keys}, _SUMMARY_LABELS)

    def sheets(self):
        out = {"shifts": self.shifts, "coverage": self.coverage, "patterns": self.patterns}
        return out if self.weeks is None else {**out, "weeks": self.weeks}

    def __repr__(self):
        return (f"SchedulePlan({len(self.shifts)} shift rows, {len(self.coverage)} intervals)\n"
                + self._summary_text())

    def _repr_html_(self):
        shown = self.shifts.head(20).copy()
        shown["breaks"] = shown["breaks"].map(
            lambda lst: ", ".join(f"{a:%H:%M}-{b:%H:%M}{'' if p else ' (unpaid)'}" for a, b, p in lst))
        return ("<h4>SchedulePlan</h4>" + self.summary().to_html(float_format=lambda x: f"{x:,.4g}")
                + f"<p>First {len(shown)} of {len(self.shifts)} shift rows</p>" + shown.to_html())

    def plot(self, ax=None, *, kind="coverage", **kwargs):
        """
        Requirement against scheduled agents over the week (``kind="coverage"``),
        or the shifts as a Gantt chart (``kind="gantt"``: one bar per shift
        row, breaks drawn light, the agents on each bar).

        Returns the Axes.
        """
        import matplotlib.pyplot as plt

        v.check_choice(kind, "kind", ("coverage", "gantt"))
        if ax is None:
            _, ax = plt.subplots(figsize=(12, 4 if kind == "coverage" else 6))
        cov = self.coverage
        if kind == "coverage":
            x = cov.index
            ax.fill_between(x, cov["required"], step="post", color="0.8", label="required", **kwargs)
            ax.step(x, cov["scheduled"], where="post", color="C0", label="scheduled (on the phones)")
            under = cov["under"] > 0
            if under.any():
                ax.scatter(x[under], cov["required"][under], color="C3", s=8, zorder=3, label="short")
            ax.set_ylabel("agents")
            ax.set_ylim(bottom=0)
            ax.legend(loc="upper right", fontsize="small", frameon=False)
            ax.set_title(f"Schedule: cost {self.cost:,.1f}, gap {self.gap:.2%}, {self.heads} heads, "
                         f"efficiency {self.efficiency:.1%}")
            return ax
        tab = self.shifts
        colors = {c: f"C{i}" for i, c in enumerate(sorted(tab["contract"].unique()))} if len(tab) else {}
        for y, row in enumerate(tab.itertuples()):
            ax.barh(y, row.end - row.start, left=row.start, height=0.8, color=colors[row.contract], **kwargs)
            for a, b, _ in row.breaks:
                ax.barh(y, b - a, left=a, height=0.8, color="white", alpha=0.7)
            ax.text(row.end, y, f" {row.agents}", va="center", fontsize=6)
        ax.set_yticks([])
        ax.set_ylabel(f"{len(tab)} shift rows (agents at the right of each bar)")
        ax.invert_yaxis()
        for c, col in colors.items():
            ax.barh(0, pd.Timedelta(0), left=tab["start"].iloc[0], color=col, label=c)
        if colors:
            ax.legend(loc="lower left", fontsize="small", frameon=False)
        what = "the week" if self.weeks is None else f"{len(self.weeks)} weeks"
        ax.set_title(f"Shifts of {what} (breaks in white)")
        return ax


# --------------------------------------------------------------------------
# The public function.
# --------------------------------------------------------------------------


def _diagnose(rules, grid, templates, sh, time_limit):
    """Say which rule makes covering every interval impossible, from LP relaxations."""
    # Breaks and templates alone: the least shortfall with no cap at all.
    model = _build(rules, grid, templates, sh, caps=False, shortfall=np.ones(len(grid.req)), objective="shortfall")
    res = _solve_highs(model, time_limit, 1e-4, relax=True)
    if res.x is not None and res.objective > 1e-6:
        short = np.zeros(len(grid.req), dtype=bool)
        short[model.u_rows[res.x[model.u_cols] > 1e-6]] = True
        return ("requirement cannot be covered even without caps: every shift that spans these intervals "
                "must be on a break there (check the break windows)" + v.describe_positions(short, grid.index))
    reasons = []
    for what in ("max_heads", "max_cost"):
        cap = getattr(rules, what)
        if cap is None:
            continue
        model = _build(rules, grid, templates, sh, caps=False, objective="heads" if what == "max_heads" else "cost")
        res = _solve_highs(model, time_limit, 1e-4, relax=True)
        if res.x is None:
            continue
        need = res.objective
        if need > cap + 1e-6:
            unit = "heads" if what == "max_heads" else "cost units"
            reasons.append(f"rules['{what}']={cap:g} is below the {need:,.2f} {unit} that covering every interval "
                           "needs at least (LP bound)")
    if not reasons:
        caps = [f"rules['{n}']" for n in ("max_heads", "max_cost") if getattr(rules, n) is not None]
        if rules.week.part_time_share != (0.0, 1.0):
            caps.append("rules['week']['part_time_share']")
        caps += [f"max_agents of shift {t.name!r}" for t in rules.shifts if t.max_agents is not None]
        if caps:
            reasons.append("these caps together leave no schedule that covers every interval: " + ", ".join(caps))
        else:
            reasons.append("no schedule covers every interval under these shift templates, weekly patterns "
                           "and opening hours")
    return "; ".join(reasons)


def schedule_week(requirement, rules, *, time_limit=60, mip_gap=0.005, allow_shortfall=False, plan=None,
                  calls=None, aht=None, threshold=None, solver="highs", method="decompose", verbose=False):
    r"""
    Size a week of shifts: the cheapest shifts, breaks and days off that cover the requirement.

    One mixed-integer program over the whole week: shift variables per
    template, start and day, implicit break placement (Bechtold and Jacobs'
    forward and backward constraints) and weekly days-off patterns; the model
    is described in :mod:`wfm.schedule.solve`. The solver's proven lower
    bound gives the gap.

    Parameters
    ----------
    requirement : Series
        Productive agents required per interval (e.g. ``StaffingPlan.table
        ["agents"]``), whole numbers >= 0, on a DatetimeIndex that is a
        regular grid (closed intervals present, as 0) spanning at most 7
        calendar days. Agents on a break do not count. [agents] The index
        may carry a time zone: the grid is then regular in elapsed time, and
        a day on which the clocks change has 23 or 25 hours of intervals.
    rules : dict or ScheduleRules
        ``shifts``: a list of templates, each a dict with ``name``, ``paid``
        (e.g. ``"8h"``, paid breaks included), ``contract``
        (``"full_time"``, ``"part_time"``), ``cost_per_paid_hour`` (1.0),
        ``step`` (spacing of start times; the interval), ``starts``
        (``["07:00", "17:00"]``: earliest and latest start; by default any
        start that keeps the span inside opening hours), ``breaks`` (a list
        of ``{"length": "15min", "paid": True, "start_after": ["1h30min",
        "2h15min"]}``: the window for the break's start counted from the
        shift's start, both ends included; an unpaid break lengthens the
        span), ``max_agents`` (per day) and ``within_open_hours`` (True).
        ``week``: ``days_per_week`` (5; or [fewest, most]; or a dict per
        contract), ``days_off_consecutive`` (True, cyclic),
        ``same_contract_all_week`` (True), ``same_start_all_week`` (False),
        ``part_time_share`` ([0, 1], of paid hours). ``open_hours``:
        ``{"mon": ["07:00", "21:00"], ...}``; a day left out is closed;
        without it, each day is open from its first to its last interval
        with a positive requirement. ``max_heads``: agents available.
        ``max_cost``: budget for the week. [cost units]
    time_limit : float
        Seconds for the whole call (building, solving and, when no schedule
        covers the requirement, saying why): it returns by then with the best
        schedule found and its proven gap, plus a small allowance. [s]
    mip_gap : float
        Stop when the proven relative gap is at most this. [0-1]
    allow_shortfall : bool
        False: cover every interval, and raise a ValueError naming the rule
        when that is impossible. True: minimise the shortfall, each agent
        missing in interval i weighted by :math:`1 + m_i / \bar m` where
        :math:`m_i = \mathrm{calls}_i (SL(R_i) - SL(R_i - 1))` are the calls
        one agent fewer would leave answered late (weight 1 everywhere
        without calls), at a price per agent-interval above the cost of a
        whole week of the dearest shift, so any affordable coverage comes
        first; then the cost.
    plan : StaffingPlan, optional
        The plan the requirement came from: its calls, AHT, threshold and
        queue model give the expected ``service_level`` per interval.
    calls, aht, threshold : optional
        The same given directly (Erlang C). [calls per interval], [s], [s]
        Without ``plan`` or these, ``coverage`` has no ``service_level``
        column and shortfall weights are uniform.
    solver : {"highs", "cp-sat"}
        HiGHS through ``scipy.optimize.milp`` (default) or OR-Tools CP-SAT
        (needs ``ortools``; with 2 workers).
    method : {"decompose", "direct"}
        "decompose" (default): solve the relaxation in which only the
        agents per weekly pattern are whole numbers (its value is the proven
        bound, at least the LP relaxation's), fix those counts, and solve
        each day, which they leave independent of the others, as its own
        small MILP: every day first to a loose 1% (a whole schedule early),
        then the days furthest from their bounds again to half of
        ``mip_gap``, until the week's gap is met. When the gap is still above
        ``mip_gap`` after 80% of ``time_limit``, the whole week is solved as
        one MILP in the time left and the better schedule and bound kept.
        "direct": the whole week as one MILP from the start. See Notes.
    verbose : bool
        Print the solver's log.

    Returns
    -------
    SchedulePlan

    Raises
    ------
    ValueError
        Bad requirement or rules (the message names the field), an interval
        no shift can cover, or, without ``allow_shortfall``, a rule set that
        leaves no schedule covering every interval; or no feasible schedule
        found within ``time_limit``.

    Notes
    -----
    Days, weekdays, opening hours and start windows are read on the local
    wall clock (:func:`wfm.calendar.slot_keys`): a centre open 08:00-20:00
    opens at 08:00 on the day the clocks change, and a start window
    ``["08:00", "16:00"]`` keeps those clock times. Lengths are elapsed time:
    a shift's paid length, breaks and break windows are counted on the
    interval grid, so an 8-hour night shift across the spring change ends
    at 07:00 by the clock after starting at 22:00, and is paid 8 hours.

    An agent works one shift on each working day of its pattern; a shift
    belongs to the (local) day it starts.

    Why decompose: the days of a week are tied together only by the weekly
    patterns (how many agents of each contract work each set of days).
    Once those few counts are fixed, a week of 5 or 7 days is 5 or 7
    independent daily problems of a few hundred variables, each solved
    nearly to optimality in seconds, while one MILP of the whole week
    spends most of its time branching across days. Pattern counts taken from
    the relaxation cost little: on the bank benchmark
    (``benchmarks/bench_schedule_week.py``) the schedules found are within
    0.1-0.2% of the bound, where the whole-week MILP stalls at 0.3-0.4%
    after 60 s. The price is that the bound is the relaxation's, which does
    not tighten with time: ask ``mip_gap`` below what it can prove (small
    weeks, where a few agents make the LP bound loose) and the whole-week
    MILP runs after the decomposition. Minimum rest between consecutive days is
    not modelled (shifts inside opening hours of one day never overlap the
    next day's).

    Examples
    --------
    Two hours in 30-minute intervals: two agents needed 08:00-09:00, one
    after. Two-hour shifts with a paid 30-minute break starting 60 or 90
    minutes in: two agents from 08:00 cover it, one on a break at 09:00 and
    the other at 09:30.

    >>> idx = pd.date_range("2024-01-01 08:00", periods=4, freq="30min")
    >>> req = pd.Series([2, 2, 1, 1], index=idx)
    >>> rules = {"shifts": [{"name": "S2", "paid": "2h", "breaks": [
    ...     {"length": "30min", "paid": True, "start_after": ["1h", "1h30min"]}]}],
    ...     "week": {"days_per_week": 1}}
    >>> plan = schedule_week(req, rules)
    >>> plan.cost, plan.heads, int(plan.coverage["under"].sum())
    (4.0, 2, 0)
    >>> plan.shifts[["start", "end", "agents", "breaks"]].map(
    ...     lambda v: [f"{a:%H:%M}-{b:%H:%M}" for a, b, _ in v] if isinstance(v, list) else v)
                    start                 end  agents          breaks
    0 2024-01-01 08:00:00 2024-01-01 10:00:00       1  [09:00-09:30]
    1 2024-01-01 08:00:00 2024-01-01 10:00:00       1  [09:30-10:00]
    """
    t0 = time.perf_counter()
    rules = schedule_rules(rules)
    v.check_choice(solver, "solver", SOLVERS)
    v.check_choice(method, "method", METHODS)
    v.check_positive(v.as_float_array(time_limit, "time_limit"), "time_limit", "seconds")
    v.check_fraction(v.as_float_array(mip_gap, "mip_gap"), "mip_gap", closed_low=True)
    allow_shortfall = v.check_flag(allow_shortfall, "allow_shortfall")
    grid = _grid(requirement, rules)
    queue = _queue_inputs(grid.index, grid.interval, plan, calls, aht, threshold)
    templates = on_grid(rules, grid.interval)
    sh = _candidate_shifts(rules, grid, templates)

    # Intervals no shift spans: nothing can cover them.
    spanned = np.zeros(len(grid.req) + 1, dtype=np.int64)
    np.add.at(spanned, sh.start, 1)
    np.add.at(spanned, sh.start + sh.span, -1)
    orphan = (grid.req > 0) & (np.cumsum(spanned)[:-1] == 0)
    if orphan.any() and not allow_shortfall:
        raise ValueError(
            "requirement cannot be covered: no shift template spans"
            f"{v.describe_positions(orphan, grid.index)}. Check the templates' starts and lengths, "
            f"rules['open_hours'] and within_open_hours, or pass {option('allow_shortfall', True)}."
        )

    weights = None
    if allow_shortfall:
        w = _shortfall_weights(grid, queue)
        max_days = max(hi for _, hi in rules.week.days_per_week.values())
        price = 2.0 * max_days * max(t.paid_hours * t.cost_per_paid_hour for t in rules.shifts)
        weights = price * w
    model = _build(rules, grid, templates, sh, shortfall=weights)
    upper = rules.max_heads if rules.max_heads is not None else 4 * int(grid.req.max(initial=0)) * 7 + 10
    upper = max(upper * 10, int(grid.req.sum()) + 10)
    t_build = time.perf_counter() - t0
    if grid.req.sum() == 0:  # nothing to cover: no agent, no shift (and no solver call)
        res = _Result(np.zeros(model.A.shape[1]), 0.0, 0.0, "optimal", 0.0, "nothing to cover")
    else:
        # time_limit covers the whole call: the build so far, the solve and a diagnosis (its LPs share what is left)
        res = _solve(model, solver, max(time_limit - (time.perf_counter() - t0), 0.05), mip_gap, verbose, upper, method)
    if res.status == "infeasible":
        raise ValueError(_diagnose(rules, grid, templates, sh, max(time_limit - (time.perf_counter() - t0), 1.0) / 3)
                         + f". Pass {option('allow_shortfall', True)} for the best partial schedule.")
    if res.x is None:
        raise ValueError(f"no feasible schedule found within {option('time_limit', time_limit)} s ({res.message}); "
                         "raise the time limit or the MIP gap.")

    shifts, x = _shift_table(rules, grid, sh, model, res.x)
    scheduled = shift_coverage(shifts, grid.index).to_numpy()
    solver_view = model.on_phones @ np.where(model.integer, np.rint(res.x), 0.0)
    if not np.array_equal(np.rint(solver_view).astype(np.int64), scheduled):  # pragma: no cover - a bug guard
        raise RuntimeError("the shifts and breaks handed out do not give the solver's coverage (please report this).")
    on_shift = shift_coverage(shifts.assign(breaks=[[]] * len(shifts)), grid.index).to_numpy()
    req = grid.req
    coverage = pd.DataFrame({
        "required": req,
        "scheduled": scheduled,
        "on_break": on_shift - scheduled,
        "over": np.maximum(scheduled - req, 0),
        "under": np.maximum(req - scheduled, 0),
        "open": grid.open,
    }, index=grid.index)
    params = dict(time_limit=float(time_limit), mip_gap=float(mip_gap), allow_shortfall=allow_shortfall,
                  solver=solver, method=method, interval=grid.interval, rules=rules, templates=[t.name for t in rules.shifts],
                  variables=int(model.A.shape[1]), constraints=int(model.A.shape[0]), nonzeros=int(model.A.nnz),
                  integer_variables=int(model.integer.sum()), shift_variables=int(model.nx),
                  solve_seconds=res.seconds, build_seconds=t_build, solver_message=res.message)
    if queue is not None:
        sl = _service_level(queue, grid.interval, scheduled)
        coverage["service_level"] = sl
        calls_arr = np.broadcast_to(queue[0], len(req))
        params["calls_total"] = float(calls_arr.sum())
        params["sl_call_weighted"] = float((sl * calls_arr).sum() / calls_arr.sum()) if calls_arr.sum() else 1.0
        params["threshold"] = queue[2]

    w = np.rint(res.x[model.w_cols]).astype(np.int64) if model.w_cols.size else np.zeros(0, np.int64)
    pat_rows = []
    for (gname, pat, start), n in zip(model.groups, w.tolist()):
        if n > 0:
            worked = [_DAY_LABELS[grid.dates[d].day_of_week] for d in range(7) if pat[d]]
            off = [_DAY_LABELS[grid.dates[d].day_of_week] for d in range(7) if not pat[d]]
            clock = None if start is None else (pd.Timestamp(0) + start * pd.Timedelta(seconds=grid.interval)
                                                ).strftime("%H:%M")
            pat_rows.append(dict(contract=gname, days=" ".join(worked), days_off=" ".join(off), start=clock,
                                 agents=int(n)))
    patterns = pd.DataFrame.from_records(pat_rows, columns=["contract", "days", "days_off", "start", "agents"])
    if not rules.week.same_start_all_week:
        patterns = patterns.drop(columns="start")

    cost = float((x * sh.cost).sum())
    objective = float(model.c @ np.where(model.integer, np.rint(res.x), res.x)) if len(res.x) else 0.0
    if model.u_cols.size:
        # the penalty on the shortfall the schedule really leaves
        under = coverage["under"].to_numpy()[model.u_rows]
        objective = cost + float((model.penalty * under).sum())
    bound = min(res.bound, objective)
    gap = (objective - bound) / objective if objective > 0 else 0.0
    return SchedulePlan(shifts=shifts, coverage=coverage, patterns=patterns, cost=cost,
                        paid_hours=float((x * sh.hours).sum()), heads=int(w.sum()), objective=objective,
                        lower_bound=float(bound), gap=float(max(gap, 0.0)),
                        mode="shortfall" if allow_shortfall else "cover", status=res.status, params=params)
