"""
How a roster is searched: the strategy around the CP-SAT model of :mod:`.model`.

:func:`solve_lns` picks it by the model's size and objective: a small model
with a soft day-shift cover is searched in stages (the relaxation's settled
cells fixed when :mod:`.relaxation` can price the objective, then the
least shortfall first), then by large-neighbourhood search; a large one is
built agent by agent (:func:`construct`) and improved by neighbourhood search.
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np

from .model import Problem, Solution, _solution_of, _subproblem, agent_figures, build_and_solve, objective_of
from .relaxation import column_generation, separable


#: CP-SAT workers for a model searched in parts (larger than ``big_model``): one per core of a small
#: machine, as measured in benchmarks/bench_roster.py (instances 13 and 20-24, the bank case). [count]
PARTS_WORKERS = 2


def _short_cells(p: Problem, cur):
    """(days, shifts) of the day-shift covers the assignment leaves short."""
    cov = p.cover
    n = np.zeros((p.days, len(p.shift_names)), dtype=np.int64)
    a_idx, d_idx = np.nonzero(cur >= 0)
    np.add.at(n, (d_idx, cur[a_idx, d_idx]), 1)
    short = (n[cov["day"], cov["shift"]] < cov["required"]) & (cov["under"] > 0)
    return cov["day"][short], cov["shift"][short]


#: Longest an agent of :func:`construct` searches for its first roster before the construction gives up. [s]
FIRST_ROSTER_CAP = 60.0


def construct(p: Problem, *, time_budget, num_workers=2, seed=0, t_end=None):
    """A roster built agent by agent: each agent solved alone (its own hard rules) against the cover the
    agents before it leave; agents with the fewest allowed cells first. Each agent gets an equal share of
    what is left of ``time_budget`` (seconds) and, when it has no roster by then, searches on until its
    first one (at most :data:`FIRST_ROSTER_CAP` seconds), so the construction may overrun its budget
    rather than fail, though never the deadline ``t_end`` (a ``time.perf_counter()`` time). Returns
    (roster or None, "ok", "infeasible" or "no_solution: ..." saying how many agents it had built).
    """
    A, D, _ = p.allowed.shape
    cur = np.full((A, D), -1, dtype=np.int64)
    order = np.argsort(p.allowed.reshape(A, -1).sum(axis=1), kind="stable")
    t_budget = time.perf_counter() + time_budget
    for n, a in enumerate(order):
        share = max((t_budget - time.perf_counter()) / (A - n), 0.1)
        limit = max(share, FIRST_ROSTER_CAP)
        if t_end is not None:
            limit = min(limit, t_end - time.perf_counter())
            if limit <= 0:
                return None, f"no_solution: the time ran out with {n} of {A} agents built agent by agent"
        sub = dataclasses.replace(_subproblem(p, cur, np.array([a]), np.ones((1, D), dtype=bool)), hint=None,
                                  fair_fixed={})
        res = build_and_solve(sub, time_limit=limit, soft_limit=min(share, limit),
                              num_workers=num_workers, seed=seed, full_lp=False)
        if res.assign is None:
            return None, ("infeasible" if res.status == "infeasible" else
                          f"no_solution: agent {n + 1} of {A} built agent by agent found no roster in {limit:.3g} s")
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
       weights dropped, every hard rule kept; hinted with the warm start of a
       sized plan, which finds a first roster sooner on a short limit), for
       ``STAGE_SHARES[0]`` of the time;
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
    t0 = time.perf_counter()
    q = dataclasses.replace(p, cover=dict(p.cover, over=np.zeros_like(np.asarray(p.cover["over"]))),
                            requests={k: val[:0] for k, val in p.requests.items()}, fairness={})
    one = build_and_solve(q, time_limit=time_limit * STAGE_SHARES[0], num_workers=num_workers, full_lp=True,
                          verbose=verbose, seed=seed)
    if one.assign is None:
        return one
    least = float(one.objective)
    two = build_and_solve(dataclasses.replace(p, hint=one.assign), time_limit=time_limit * STAGE_SHARES[1],
                          num_workers=num_workers, full_lp=True, verbose=verbose, seed=seed, stop_at=stop_at,
                          caps={"cover_under": least})
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
    return Solution(best.assign, best.objective, min(bound, best.objective), status, time.perf_counter() - t0,
                    best.terms, f"least shortfall {least:g} ({one.status}), then the whole objective at most and "
                    "above it", best.build_seconds, best.variables, best.constraints,
                    least_shortfall=least if one.status == "optimal" else None)


#: Longest share of the time limit column generation may take before the settled cells are fixed. [fraction]
COLUMN_SHARE = 0.4


def _settled_first(p: Problem, *, time_limit, num_workers, verbose, seed, stop_at):
    """
    A first roster of a small model whose objective the master LP prices (:func:`.relaxation.separable`),
    and a bound, from the relaxation.

    Column generation (at most ``COLUMN_SHARE`` of ``time_limit``) gives a
    bound of the whole problem and, when it reaches the LP's optimum, the
    cells the LP settles; the staged search (:func:`_least_shortfall_first`)
    then searches the rest with those cells fixed, for the time left (RENS,
    see :mod:`.relaxation`); short of the optimum, the whole model. The roster
    keeps every hard rule; the bound reported is the relaxation's, the one
    that holds for every roster. On instance 8 of the Curtois-Qu benchmark
    the relaxation takes 49 s, proves 1,297 and settles 66% of the cells;
    the search of the rest ended at 1,310 in 10 minutes (best known 1,300),
    where the staged search of the whole model ended at 1,349-1,458.
    """
    t0 = time.perf_counter()
    rel = column_generation(p, time_limit=float(time_limit) * COLUMN_SHARE, log=print if verbose else None,
                            deadline=t0 + float(time_limit))
    if rel is None or not rel.converged:
        # an agent without a pattern (the staged search says whether any roster exists), or an LP short of
        # its optimum, whose settled cells are no guide: the staged search of the whole model for the rest,
        # started from each agent's pattern of largest weight in the LP (a roster that keeps every hard rule)
        left = max(float(time_limit) - (time.perf_counter() - t0), 1.0)
        start = p if rel is None else dataclasses.replace(p, hint=rel.hint)
        sol = _least_shortfall_first(start, time_limit=left, num_workers=num_workers, verbose=verbose, seed=seed,
                                     stop_at=stop_at)
        if rel is not None and sol.assign is not None and rel.bound > sol.bound:  # both bounds hold: the higher
            bound = min(rel.bound, sol.objective)
            sol = dataclasses.replace(
                sol, bound=bound, status="optimal" if sol.objective <= bound + 1e-9 else sol.status,
                message=f"column generation stopped ({rel.rounds} rounds, bound {rel.bound:.6g}); {sol.message}")
        return sol
    free = rel.settled == -2
    A = len(p.agents)
    sub = dataclasses.replace(_subproblem(p, np.where(free, rel.hint, rel.settled), np.arange(A), free), hint=None,
                              fair_fixed={})
    left = max(float(time_limit) - (time.perf_counter() - t0), 1.0)
    sol = _least_shortfall_first(sub, time_limit=left, num_workers=num_workers, verbose=verbose, seed=seed,
                                 stop_at=stop_at)
    if sol.assign is None:  # the LP's patterns agree with the settled cells: a roster exists, none found in time
        sol = _solution_of(p, rel.hint, rel.bound, "each agent's pattern of largest weight in the LP")
    bound = min(rel.bound, sol.objective)
    return Solution(sol.assign, sol.objective, bound, "optimal" if sol.objective <= bound + 1e-9 else "time_limit",
                    time.perf_counter() - t0, sol.terms,
                    f"column generation ({rel.rounds} rounds, {rel.patterns} patterns, LP {rel.value:.6g}"
                    f"{'' if rel.converged else ', stopped'}), {1 - free.mean():.0%} of cells settled by it; "
                    f"on the rest: {sol.message}", sol.build_seconds, sol.variables, sol.constraints,
                    least_shortfall=sol.least_shortfall)


def _first_roster(p: Problem, *, t_end, time_limit, num_workers, verbose, seed, relative_gap, first_share, stop_at,
                  big_model):
    """(first Solution, the problem with its hint, whether that Solution is the answer) of :func:`solve_lns`."""
    A, D, S = p.allowed.shape
    whole = A * D * S <= big_model  # searched whole (or in stages), with the full relaxation
    staged = whole and _staged(p)
    if not whole:  # searched in parts, with CP-SAT's default relaxation
        num_workers = min(num_workers, PARTS_WORKERS)
    if p.hint is None and not whole:
        # a large model: build a roster agent by agent first (every hard rule is an agent's own, so
        # each agent solved alone against the cover left by those before is feasible), then improve
        built, why = construct(p, time_budget=float(time_limit) * 0.4, num_workers=num_workers, seed=seed,
                               t_end=t_end)
        if built is None:
            if why == "infeasible":
                return (Solution(None, np.nan, np.nan, "infeasible", float(time_limit) - (t_end - time.perf_counter()),
                                {}, "an agent's own rules admit no roster", 0.0, 0, 0), p, True)
            left = t_end - time.perf_counter()  # no agent-by-agent roster in time: the whole model for the rest
            if left < 1.0:  # too little to build the whole model and search it
                return (Solution(None, np.nan, np.nan, "no_solution", float(time_limit) - left, {},
                                 why.partition(": ")[2], 0.0, 0, 0), p, True)
            return (build_and_solve(p, time_limit=left, num_workers=num_workers, full_lp=False,
                                    verbose=verbose, seed=seed, relative_gap=relative_gap, stop_at=stop_at), p, True)
        p = dataclasses.replace(p, hint=built)
        if A * D * S > 10 * big_model:  # too large to build whole: no proven bound beyond 0
            first = _solution_of(p, built, 0.0, "agent-by-agent construction")
        else:
            left = t_end - time.perf_counter()
            first = build_and_solve(p, time_limit=max(left * first_share, 0.1), num_workers=num_workers,
                                    full_lp=False, verbose=verbose, seed=seed, relative_gap=relative_gap,
                                    stop_at=stop_at)
            if first.assign is None or sum(objective_of(p, first.assign).values()) > \
                    sum(objective_of(p, built).values()):
                bound = first.bound if first.assign is not None else 0.0
                first = _solution_of(p, built, bound, "agent-by-agent construction")
    elif staged:
        # a model small enough to search whole, with a soft cover: the relaxation's settled cells fixed
        # (when the master LP prices the objective), the least shortfall first, then the whole objective
        # with the shortfall held there, then neighbourhood search on the result
        search = _settled_first if separable(p) else _least_shortfall_first
        first = search(p, time_limit=float(time_limit), num_workers=num_workers, verbose=verbose, seed=seed,
                       stop_at=stop_at)
    else:
        # a model small enough to search whole gets the whole time: CP-SAT's own portfolio (with 8
        # workers) includes neighbourhood search
        first = build_and_solve(p, time_limit=float(time_limit) * (1.0 if whole else first_share),
                                num_workers=num_workers, full_lp=whole,
                                verbose=verbose, seed=seed, relative_gap=relative_gap, stop_at=stop_at)
    if first.assign is None:
        left = t_end - time.perf_counter()
        if first.status == "infeasible" or left < 1:
            return first, p, True
        first = build_and_solve(p, time_limit=left, num_workers=num_workers, full_lp=whole, verbose=verbose,
                                seed=seed + 1, relative_gap=relative_gap)
        return first, p, True
    if first.status == "optimal" or stop_at is not None and first.objective <= stop_at + 1e-9 or whole and not staged:
        return first, p, True  # optimal, good enough, or a model searched whole for the entire time
    return first, p, False


def _neighbourhoods(p: Problem, first: Solution, *, t_end, time_limit, num_workers, seed, log, sub_limit, stop_at,
                    whole):
    """Large-neighbourhood search from ``first`` until ``t_end``: free a few agents (all days), or every agent
    over a window of days, fix the rest, solve that part with CP-SAT and keep it when it is no worse."""
    A, D, _ = p.allowed.shape
    num_workers = min(num_workers, PARTS_WORKERS)  # neighbourhoods: one worker per core of a small machine
    cur = first.assign.copy()
    cur_terms = objective_of(p, cur)
    cur_obj = sum(cur_terms.values())
    rng = np.random.default_rng(seed)
    if log:
        log(f"first: {cur_obj:g} bound {first.bound:g} after {first.seconds:.1f} s")
    k = min(A, max(2, A // 10))
    window = min(D, 7)
    # the least shortfall the staged search proved (of the whole problem, or of the cells the relaxation
    # left free): neighbourhoods that keep it target the requests
    least = first.least_shortfall
    bound = first.bound
    it = improved = 0
    while True:
        left = t_end - time.perf_counter()
        if left < 0.2 or cur_obj <= bound + 1e-9 or stop_at is not None and cur_obj <= stop_at + 1e-9:
            break
        it += 1
        kind = rng.random()
        # at the least shortfall, the short cells are short in every roster (of the problem searched)
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
            if res.status == "optimal" and ag.size == A and free.all():
                bound = max(bound, obj)  # the neighbourhood was the whole problem: its optimum is the problem's
            if obj <= cur_obj + 1e-9:
                if obj < cur_obj - 1e-9:
                    improved += 1
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
    return Solution(cur, float(cur_obj), min(bound, cur_obj), "optimal" if cur_obj <= bound + 1e-9 else "time_limit",
                    float(time_limit) - (t_end - time.perf_counter()), cur_terms,
                    f"CP-SAT then {it} LNS steps ({improved} improving)", first.build_seconds, first.variables,
                    first.constraints)


def solve_lns(p: Problem, *, time_limit, num_workers=8, verbose=False, seed=0, relative_gap=0.0, first_share=0.5,
              log=None, sub_limit=2.0, stop_at=None, big_model=20000):
    """
    A roster of ``p`` within ``time_limit`` seconds: the CP-SAT search suited to the model's size.

    A model of at most ``big_model`` agent x day x shift cells: CP-SAT on the
    whole model for all the time when the cover is hard; with a soft
    day-shift cover, in stages split on the shortfall
    (:func:`_least_shortfall_first`), with the cells the relaxation settles
    fixed first when it prices the objective (:func:`_settled_first`), and
    then neighbourhood search as below; a neighbourhood that frees every
    agent on every day and is solved to optimality proves the roster optimal.
    A larger one: an agent-by-agent start (or the hint) and CP-SAT on the
    whole model for a share of the time (first roster and proven bound),
    then large-neighbourhood search: free a few agents (all days) or all
    agents over a window of days, fix the rest, solve that exactly with
    CP-SAT and keep the result when it is no worse.
    """
    t_end = time.perf_counter() + float(time_limit)
    if not p.allowed.shape[0] * p.allowed.shape[1] * p.allowed.shape[2] <= big_model:
        num_workers = min(num_workers, PARTS_WORKERS)  # searched in parts, with CP-SAT's default relaxation
    first, p, final = _first_roster(p, t_end=t_end, time_limit=time_limit, num_workers=num_workers, verbose=verbose,
                                    seed=seed, relative_gap=relative_gap, first_share=first_share, stop_at=stop_at,
                                    big_model=big_model)
    if final:
        return first
    if log is None and verbose:
        log = print
    return _neighbourhoods(p, first, t_end=t_end, time_limit=time_limit, num_workers=num_workers, seed=seed, log=log,
                           sub_limit=sub_limit, stop_at=stop_at,
                           whole=p.allowed.shape[0] * p.allowed.shape[1] * p.allowed.shape[2] <= big_model)
