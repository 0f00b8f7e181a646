r"""
The mixed-integer program of weekly schedule sizing: the cheapest shifts, breaks and days off that
cover a week's requirement.

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

It is solved by :mod:`wfm.schedule.milp`; :func:`wfm.schedule_week` is the
public entrance.

References
----------
.. [1] S. E. Bechtold and L. W. Jacobs, "Implicit modeling of flexible break
   assignments in optimal shift scheduling", Management Science 36(11),
   1339-1351, 1990.
.. [2] G. B. Dantzig, "A comment on Edie's 'Traffic delays at toll
   booths'", Operations Research 2(3), 339-341, 1954 (the set-covering
   model of shift scheduling).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .shifts import CONTRACTS, weekly_patterns


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
    day_rows: np.ndarray  # the rows tying a day's shifts to the patterns working it (shifts - patterns = 0)
    u_cols: np.ndarray  # shortfall variables (or empty)
    u_rows: np.ndarray  # their intervals
    cover_rows: np.ndarray  # intervals with a coverage row
    penalty: np.ndarray  # objective weight per shortfall variable
    on_phones: sparse.csr_matrix  # intervals x variables: agents on the phones


class _Builder:
    """A MILP assembled block by block: columns with their bounds, rows as sparse (row, column, value) triplets."""

    def __init__(self):
        self.rows, self.cols, self.vals = [], [], []
        self.lb, self.ub = [], []
        self.nrows = 0
        self.ncols = 0
        self.lo, self.hi, self.integer = [], [], []

    def columns(self, n, lo=0.0, hi=np.inf, integer=True):
        """``n`` new variables with bounds [lo, hi]; returns their column numbers."""
        first = self.ncols
        self.ncols += n
        self.lo.append(np.broadcast_to(np.asarray(lo, dtype=float), n))
        self.hi.append(np.broadcast_to(np.asarray(hi, dtype=float), n))
        self.integer.append(np.full(n, integer))
        return np.arange(first, first + n)

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

    def matrix(self):
        A = sparse.coo_matrix((np.concatenate(self.vals), (np.concatenate(self.rows), np.concatenate(self.cols))),
                              shape=(self.nrows, self.ncols)).tocsr()
        A.sum_duplicates()
        return A, np.concatenate(self.lb), np.concatenate(self.ub)

    def bounds(self):
        return np.concatenate(self.lo), np.concatenate(self.hi), np.concatenate(self.integer)


def _expand(starts, lengths):
    """(owner, position) for runs starts[k] .. starts[k] + lengths[k] - 1, without a Python loop."""
    lengths = np.asarray(lengths, dtype=np.int64)
    owner = np.repeat(np.arange(lengths.size), lengths)
    offset = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return owner, np.asarray(starts, dtype=np.int64)[owner] + offset


def _build(rules, grid, templates, sh, *, caps=True, shortfall=None, objective="cost"):
    """Assemble the MILP. ``shortfall``: None (cover every interval) or weights per interval."""
    S = sh.template.size
    B = _Builder()
    B.columns(S)  # x: agents per shift
    # coverage of the shifts (rows = intervals, later restricted), less the breaks
    owner, rows = _expand(sh.start, sh.span)
    cov = [(rows, owner, np.ones(owner.size))]
    classes = _break_classes(B, templates, sh, cov)
    groups, w_cols, day_rows = _pattern_rows(B, rules, grid, sh)
    on_phones, cover, u_cols, penalty = _coverage_rows(B, grid, cov, shortfall)
    if caps:
        _cap_rows(B, rules, templates, sh, w_cols)
    A, lb, ub = B.matrix()
    on_phones.resize((len(grid.req), B.ncols))
    c = np.zeros(B.ncols)
    if objective == "heads":
        c[w_cols] = 1.0
    elif objective == "shortfall":
        c[u_cols] = 1.0
    else:
        c[:S] = sh.cost
        if u_cols.size:
            c[u_cols] = penalty
    return _Model(c, A, lb, ub, *B.bounds(), S, classes, groups, w_cols, day_rows, u_cols, cover, cover, penalty,
                  on_phones)


def _break_classes(B, templates, sh, cov):
    """Break variables and rows, one class per (length, window width); adds the breaks' coverage to ``cov``.

    A break unit is one (shift, break) pair; units of equal length and window
    width form a class, whose break starts ``b`` and running differences
    ``P`` satisfy the forward and backward constraints (module docstring).
    """
    unit_s, unit_k, unit_u, unit_key = [], [], [], []
    for g in templates:
        s_idx = np.flatnonzero(sh.template == g.index)
        for k, (first, last, length) in enumerate(g.breaks):
            unit_s.append(s_idx)
            unit_k.append(np.full(s_idx.size, k))
            unit_u.append(sh.start[s_idx] + first)
            unit_key.append(np.full((s_idx.size, 2), (length, last - first)))
    classes = []
    if not unit_s:
        return classes
    unit_s, unit_k, unit_u = (np.concatenate(a) for a in (unit_s, unit_k, unit_u))
    unit_key = np.concatenate(unit_key)
    for L, W in sorted({tuple(k) for k in unit_key.tolist()}):
        m = (unit_key[:, 0] == L) & (unit_key[:, 1] == W)
        if m.any():
            classes.append(_break_class(B, L, W, unit_s[m], unit_k[m], unit_u[m], cov))
    return classes


def _break_class(B, L, W, us, uk, uu, cov):
    """The variables and rows of one break class: units ``us`` (shifts), ``uk`` (break), ``uu`` (window start)."""
    q0, q1 = int(uu.min()), int(uu.max()) + W
    nq = q1 - q0 + 1
    # break starts t only where some window is open: t in [u, u + W]
    diff = np.zeros(nq + 1, dtype=np.int64)
    np.add.at(diff, uu - q0, 1)
    np.add.at(diff, uu - q0 + W + 1, -1)
    covered = np.cumsum(diff)[:nq] > 0
    taus = q0 + np.flatnonzero(covered)
    b_cols = B.columns(taus.size)
    p_cols = B.columns(nq, 0.0, np.inf, integer=False)
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
    cov.append((bp, b_cols[bo], -np.ones(bo.size)))
    return dict(L=L, W=W, s=us, k=uk, u=uu, b_cols=b_cols, taus=taus)


def _pattern_rows(B, rules, grid, sh):
    """Weekly-pattern variables ``w`` and the rows tying each open day's shifts to the patterns working it.

    Returns ``(groups, w_cols, day_rows)``: per ``w`` variable its (group
    name, pattern row, start slot or None), the columns of ``w`` and the
    numbers of those rows.
    """
    wk = rules.week
    if wk.same_contract_all_week:
        group_of = np.where(sh.part_time, 1, 0)
        names = [c for c in CONTRACTS]
        days_rule = [wk.days_per_week[c] for c in CONTRACTS]
    else:
        group_of = np.zeros(sh.template.size, dtype=np.int64)
        names = ["any"]
        rng = {wk.days_per_week[c] for c in CONTRACTS if any(t.contract == c for t in rules.shifts)}
        if len(rng) > 1:
            raise ValueError("rules['week']['days_per_week'] must be one value for every contract when "
                             f"same_contract_all_week is False; got {dict(wk.days_per_week)}.")
        days_rule = [rng.pop()]
    groups, w_parts, day_rows = [], [], []
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
            wc = B.columns(pats.shape[0])
            w_parts.append(wc)
            groups.extend((gname, p, None if m < 0 else int(m)) for p in pats)
            # rows: one per open day
            days = np.flatnonzero(grid.open_days)
            s_sel = np.flatnonzero(sel)
            d_pos = np.searchsorted(days, sh.day[s_sel])
            pr, pc = np.nonzero(pats[:, days].T)  # (day row, pattern)
            first = B.add(np.r_[d_pos, pr], np.r_[s_sel, wc[pc]], np.r_[np.ones(s_sel.size), -np.ones(pr.size)],
                          0.0, np.zeros(days.size))
            day_rows.append(first + np.arange(days.size))
    empty = np.zeros(0, dtype=np.int64)
    return groups, (np.concatenate(w_parts) if w_parts else empty), (np.concatenate(day_rows) if day_rows else empty)


def _coverage_rows(B, grid, cov, shortfall):
    """One row per interval with a requirement: agents on the phones (plus shortfall ``u``) >= requirement.

    Returns ``(on_phones, cover, u_cols, penalty)``: the intervals x variables
    matrix of agents on the phones, the covered intervals, the shortfall
    columns (empty without ``shortfall``) and their weights.
    """
    cover = np.flatnonzero(grid.req > 0)
    rows, cols, vals = (np.concatenate(a) for a in zip(*cov))
    on_phones = sparse.coo_matrix((vals, (rows, cols)), shape=(len(grid.req), B.ncols)).tocsr()
    R = on_phones[cover].tocoo()
    u_cols = np.zeros(0, dtype=np.int64)
    penalty = np.zeros(0)
    first_cov = B.add(R.row, R.col, R.data, grid.req[cover].astype(float), np.full(cover.size, np.inf))
    if shortfall is not None:
        u_cols = B.columns(cover.size, 0.0, grid.req[cover].astype(float), integer=False)
        B.rows.append(first_cov + np.arange(cover.size))
        B.cols.append(u_cols)
        B.vals.append(np.ones(cover.size))
        penalty = shortfall[cover]
    return on_phones, cover, u_cols, penalty


def _cap_rows(B, rules, templates, sh, w_cols):
    """Headcount, budget, part-time share of paid hours and agents per template per day."""
    S = sh.template.size
    if rules.max_heads is not None and w_cols.size:
        B.add(np.zeros(w_cols.size), w_cols, 1.0, -np.inf, float(rules.max_heads))
    if rules.max_cost is not None:
        B.add(np.zeros(S), np.arange(S), sh.cost, -np.inf, rules.max_cost)
    lo_share, hi_share = rules.week.part_time_share
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
