"""
Size a week of shifts: :func:`schedule_week`, the cheapest shifts, breaks and days off covering a requirement.

It checks the inputs, builds the model of :mod:`wfm.schedule.model` on the
requirement's grid (:mod:`wfm.schedule.grid`), solves it
(:mod:`wfm.schedule.milp`), hands the breaks out (:mod:`wfm.schedule.assignment`)
and returns a :class:`~wfm.schedule.SchedulePlan`; when no schedule covers
the requirement, it says which rule is to blame.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from .. import _validation as v
from .._validation import option
from .assignment import _shift_table, shift_coverage
from .grid import _candidate_shifts, _grid
from .milp import _Result, _solve, _solve_highs
from .model import _build
from .queueing import _queue_inputs, _service_level, _shortfall_weights
from .result import SchedulePlan
from .shifts import DAY_NAMES, on_grid, schedule_rules

__all__ = ["METHODS", "SOLVERS", "schedule_week"]

#: Solvers of :func:`schedule_week`: HiGHS through SciPy (default) or OR-Tools CP-SAT.
SOLVERS = ("highs", "cp-sat")
#: Methods of :func:`schedule_week`: days solved apart under weekly patterns rounded from the LP
#: relaxation (default), or the whole week as one MILP.
METHODS = ("decompose", "direct")
_DAY_LABELS = tuple(d.title() for d in DAY_NAMES)


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
    is described in :mod:`wfm.schedule.model`. The solver's proven lower
    bound gives the gap.

    Parameters
    ----------
    requirement : Series
        Productive agents required per interval (e.g. ``StaffingPlan.table
        ["agents"]``), whole numbers >= 0, on a DatetimeIndex on one grid
        spanning at most 7 calendar days. Closed intervals may be absent (a
        staffing plan holds only open ones; they count as 0, as in
        :func:`wfm.schedule_weeks`), but only as a closure kept the same way
        every day (nights, whole days, a lunch): an interval missing between
        a day's first and last rows at a time other days have is an error
        (:func:`wfm._validation.check_no_holes`). Agents on a break do not
        count. [agents] The index may carry a time zone: the grid is then
        regular in elapsed time, and a day on which the clocks change has 23
        or 25 hours of intervals.
    rules : dict or ScheduleRules
        ``shifts``: a list of templates, each a dict with ``name``, ``paid``
        (e.g. ``"8h"``, paid breaks included), ``contract``
        (``"full_time"``, ``"part_time"``), ``cost_per_paid_hour`` (none: the
        shifts' cost is n/a and the solver minimises paid hours),
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
        The plan the requirement came from: its calls, AHT, threshold,
        queue model and ``sl_definition`` give the expected ``service_level``
        per interval (and the shortfall weights), on the plan's definition.
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
    MILP runs after the decomposition. The cost of a schedule is a whole
    multiple of a step, and the bound is rounded up to it: with one template
    per contract, an agent's week costs its days x paid hours x rate whatever
    shifts it works (five 8-hour and five 4-hour days: every schedule costs
    a multiple of 20 paid hours, so a bound of 1244 proves 1260 optimal);
    the solver is then given the cost on the weekly patterns, which it can
    see is such a multiple. Minimum rest between consecutive days is
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
        price = 2.0 * max_days * max(t.paid_hours * t.rate for t in rules.shifts)
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
    patterns = _patterns_table(model, w, grid, rules)
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


def _patterns_table(model, w, grid, rules):
    """Agents per weekly pattern worked (``w`` > 0): contract, days, days off (and start), agents."""
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
    return patterns
