r"""
Staffing a multi-skill centre by simulation: from a fast start, a greedy
search on a sample-average simulation with common random numbers.

For one interval (taken in steady state: its rates held constant over a
warm-up and a measured horizon, as the Erlang formulas take it), the search
works on one fixed sample of callers (``replications`` independent runs drawn
once), so every staffing it compares sees the same calls, handle times and
patience; differences between staffings are then not noise (common random
numbers). This is the sample-average approximation of Cezik and L'Ecuyer [1]_,
who solve it with linear programming and sub-gradient cuts; here it is solved
by a documented local search, in the spirit of their final phase and of
Wallace and Whitt's simulation refinement [2]_:

1. **Start** from the staffing :func:`wfm.skills.staff_centre` passes in
   (by default :func:`wfm.skills.primary_staffing`, Wallace and Whitt's
   square-root split of the pooled Erlang staffing).
2. **Add**, while some type misses a target in the sample: for every group
   (under its cap) that can answer a failing type, simulate one more agent;
   keep the group with the largest reduction of the total shortfall per unit
   cost. The shortfall of a type is the largest relative miss of its targets:
   :math:`(SL^* - SL)/SL^*`, :math:`(ASA - ASA^*)/ASA^*`,
   :math:`(a - a^*)/\max(a^*, 0.01)` (positive parts).
3. **Remove**: try one agent fewer in each group, the dearest first; keep
   the first removal after which every type still meets its targets, and
   start over until no single removal keeps them all.
4. **Exchange**: move one agent, at no extra cost, into a group holding the
   type with the smallest margin, the move that most raises the smallest
   margin over all types; then remove again. Stop when an exchange no
   longer makes room for a removal (``exchanges`` times in a row) or none
   raises the margin. The cheapest feasible staffing seen is kept.
5. **Enumerate** (small intervals: the kept staffing has at most
   ``exhaustive`` agents): every staffing with one agent fewer that leaves
   no type without an agent who can answer it, screened on the first
   replications of the sample and judged on all of it; the cheapest
   feasible one replaces the kept staffing, and the next total down is
   tried, until a total has no feasible staffing. At a few agents the
   greedy moves of one agent at a time miss staffings that cover the types
   differently (at the synthetic centre's night half-hours, 5 agents in
   five groups where the greedy search stops at 6).

:func:`repair` then adds agents on a second, larger sample until each
type's confidence bound meets its targets there (and removes and exchanges
again under that criterion), and
:func:`wfm.skills.staff_centre` reports the service of the result on a third,
independent sample.

With dedicated groups only (each group one skill) and exponential handle
times the Erlang staffing is exact for the steady-state queue, so
:func:`wfm.skills.staff_centre` skips the search and keeps the per-type
``required_agents``; the check still simulates it.

References
----------
.. [1] M. T. Cezik and P. L'Ecuyer, "Staffing multiskill call centers via
   linear programming and simulation", Management Science 54(2), 310-323,
   2008.
.. [2] R. B. Wallace and W. Whitt, "A staffing algorithm for call centers with
   skill-based routing", Manufacturing & Service Operations Management 7(4),
   276-294, 2005.
.. [3] J. Atlason, M. A. Epelman and S. G. Henderson, "Call center staffing
   with simulation and cutting plane methods", Annals of Operations Research
   127, 333-358, 2004.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..simulation import multiskill as ms

__all__ = ["interval_inputs", "service", "slack", "shortfall", "search_interval", "repair"]


def interval_inputs(centre, t, *, replications, intervals, warmup, seed):
    """Prepared simulation inputs of interval ``t`` in steady state: its rates over warmup + intervals."""
    n = warmup + intervals
    idx = pd.date_range("2000-01-01", periods=n, freq=pd.Timedelta(seconds=centre.interval))
    types = centre.types
    calls = pd.DataFrame(np.repeat(centre.calls.to_numpy()[t][None, :], n, axis=0), index=idx, columns=types)
    aht = {i: float(centre.aht[i].iloc[t]) for i in types}
    pat = {i: (None if np.isinf(centre.patience[i].iloc[t]) else float(centre.patience[i].iloc[t])) for i in types}
    thr = centre.targets["threshold"].fillna(20.0).to_dict()
    return ms.prepare(calls, centre.skills, aht=aht, patience=pat, routing=centre.routing,
                      aht_by_group=centre.aht_by_group, threshold=thr, handle_cv=centre.params["handle_cv"],
                      replications=replications, seed=seed, interval=centre.interval, level=0.95, warmup=warmup,
                      overflow_delay=centre.params.get("overflow_delay"),
                      primary_groups=centre.params.get("primary_groups"))


def service(inp, agents, level=0.95):
    """Per-type (estimate, lo, hi) of service level, abandon rate and ASA after the warm-up, for agents per group.

    The bounds are Student's t over replications for all three: the search's decision rule, with which
    ``benchmarks/bench_skills.py`` was measured (issue 30). Wilson bounds, which the simulators report for
    proportions, sit about 0.003 lower on a service level near 0.8 with this design effect and would move the
    Wallace-Whitt fully flexible centre from 100 to 101 agents.
    """
    staff = np.repeat(np.asarray(agents, dtype=np.int64)[None, :], len(inp["index"]), axis=0)
    return ms.horizon_rates(ms.run(inp, staff, groups_too=False), level, inp["warmup"], student=True)


def slack(rates, targets):
    r"""Smallest relative margin of each type over its targets: negative where a target is missed.

    :math:`(SL - SL^*)/SL^*`, :math:`(ASA^* - ASA)/ASA^*` and
    :math:`(a^* - a)/\max(a^*, 0.01)`, the smallest of those set; 1 for a
    type with no calls in the sample.
    """
    sl, ab, asa = rates["service_level"][0], rates["abandon_rate"][0], rates["asa"][0]
    offered = rates["offered"][0]
    t_sl, t_asa, t_ab = (targets[k].to_numpy(dtype=float) for k in ("service_level", "max_asa", "max_abandon_rate"))
    with np.errstate(invalid="ignore", divide="ignore"):
        parts = ((np.nan_to_num(sl) - t_sl) / t_sl,
                 (t_asa - np.nan_to_num(asa, nan=np.inf)) / t_asa,
                 (t_ab - np.nan_to_num(ab)) / np.maximum(t_ab, 0.01))
    out = np.ones(len(offered))
    for p in parts:
        out = np.minimum(out, np.nan_to_num(p, nan=1.0, neginf=-1e6))
    return np.where(offered > 0, out, 1.0)


def shortfall(rates, targets):
    """Largest relative miss of each type's targets (0 where all are met), from the point estimates."""
    return np.maximum(-slack(rates, targets), 0.0)


class _Sample:
    """One interval's sample of callers and a cache of the margins of the staffings tried on it."""

    def __init__(self, centre, inp, level=None, tolerance=0.0):
        skills = centre.params["tables"]["skills"]
        self.inp, self.targets, self.level, self.tolerance = inp, centre.targets, level, tolerance
        self.cost = centre.cost.to_numpy()
        self.cap = centre.max_agents.to_numpy()
        self.holds = np.array([[i in skills[g] for i in centre.types] for g in centre.groups])
        self.cache = {}

    def margin(self, agents):
        key = tuple(int(x) for x in agents)
        if key not in self.cache:
            rates = service(self.inp, agents, level=self.level)
            if self.level is not None:  # judge the bound on the unfavourable side, less the tolerance
                rates = {"service_level": (rates["service_level"][1] + self.tolerance,),
                         "abandon_rate": (rates["abandon_rate"][2] - self.tolerance,),
                         "asa": (rates["asa"][2] * (1 - self.tolerance),), "offered": rates["offered"]}
            self.cache[key] = slack(rates, self.targets)
        return self.cache[key]

    def miss(self, agents):
        return np.maximum(-self.margin(agents), 0.0)

    def add(self, n, max_steps=200):
        """Greedy additions until every type meets its targets (or the caps stop it); returns (n, met)."""
        n = np.asarray(n, dtype=np.int64).copy()
        current = self.miss(n)
        for _ in range(max_steps):
            if current.max() <= 0:
                break
            best, best_score = None, -np.inf
            for g in np.flatnonzero(self.holds[:, current > 0].any(axis=1)):
                if n[g] + 1 > self.cap[g]:
                    continue
                trial = n.copy()
                trial[g] += 1
                score = (current.sum() - self.miss(trial).sum()) / self.cost[g]
                if score > best_score:
                    best, best_score = g, score
            if best is None:
                break  # every group that could help is at its cap
            n[best] += 1
            current = self.miss(n)
        return n, bool(current.max() <= 0)


def search_interval(centre, t, start, *, replications=8, intervals=6, warmup=1, seed=0, max_steps=200,
                    exchanges=1, exhaustive=0, max_evaluations=6000):
    """
    Greedy add, remove and exchange search of one interval's staffing on a sample-average simulation.

    Parameters
    ----------
    centre : Centre
    t : int
        Position of the interval in ``centre.calls``.
    start : array of int
        Agents per group to start from (the approximation).
    replications, intervals, warmup : int
        The sample: independent runs of ``warmup`` + ``intervals``
        intervals at the interval's rates; the warm-up is not measured.
    seed : int
        Seed of the sample (the same callers for every staffing compared).
    max_steps : int
        Cap on the additions (a guard; a reachable target needs far fewer).
    exchanges : int
        Exchanges in a row that may fail to make room for a removal before
        the search stops (0: no exchange phase).
    exhaustive : int
        Enumerate every staffing with fewer agents when the greedy result
        has at most this many (0: never; see step 5 of the module
        docstring).
    max_evaluations : int
        Cap on the staffings of one total the enumeration screens (it
        stops, keeping the best found, at a total with more).

    Returns
    -------
    agents : array of int
        Agents per group.
    evaluations : int
        Staffings simulated.
    met : bool
        Whether every type meets its targets in the sample.
    """
    sample = _Sample(centre, interval_inputs(centre, t, replications=replications, intervals=intervals,
                                             warmup=warmup, seed=seed))
    n, met = sample.add(start, max_steps)
    if not met:
        return n, len(sample.cache), False
    best = _descend(sample, n, exchanges)
    if 0 < best.sum() <= exhaustive:
        best = _enumerate(sample, best, max_evaluations)
    return best, len(sample.cache), True


def _compositions(total, parts):
    """Every way to put ``total`` agents into ``parts`` groups, as arrays (stars and bars)."""
    from itertools import combinations

    for bars in combinations(range(total + parts - 1), parts - 1):
        yield np.diff(np.array((-1,) + bars + (total + parts - 1,))) - 1


def _enumerate(sample, best, max_evaluations):
    """Down from ``best``'s total, one agent at a time: the cheapest feasible staffing of each total, while one is."""
    from math import comb

    screen = _Sample.__new__(_Sample)  # the same sample's first replications, to discard hopeless staffings fast
    first = {k: x for k, x in sample.inp.items() if k != "_tally_keys"}
    screen.__dict__.update(sample.__dict__, cache={}, inp=dict(first, draws=sample.inp["draws"][:8]))
    groups = len(sample.cost)
    for total in range(int(best.sum()) - 1, 0, -1):
        if comb(total + groups - 1, groups - 1) > max_evaluations:
            break
        found = []
        for n in _compositions(total, groups):
            if (n > sample.cap).any() or not sample.holds[n > 0].any(axis=0).all():
                continue  # over a cap, or a type without an agent who can answer it
            if len(sample.inp["draws"]) > 8 and screen.margin(n).min() < -0.15:
                continue
            if sample.margin(n).min() >= 0:
                found.append(n)
        if not found:
            break
        best = min(found, key=lambda n: float(n @ sample.cost))
    return best


def _descend(sample, n, exchanges):
    """Steps 3 and 4 from a feasible staffing: remove, then exchange and remove again; the cheapest one seen."""
    cost = sample.cost
    order = sorted(range(len(cost)), key=lambda g: (-cost[g], -n[g]))
    idle, best = 0, n
    while True:
        n = _remove(n, order, lambda m: sample.margin(m).min() >= 0)
        if n @ cost < best @ cost - 1e-9:
            best, idle = n, 0
        elif n is not best:
            idle += 1
        if idle > exchanges:
            break
        moved = _exchange(n, sample.holds, cost, sample.cap, sample.margin)
        if moved is None:
            break
        n = moved
    return best


def repair(centre, t, agents, inp, *, level=0.95, tolerance=0.005, exchanges=1):
    """Greedy additions on a second sample until every type meets its targets there with confidence, then the
    search's removals and exchanges on that sample, under the same criterion.

    A type passes when the bound of its ``level`` confidence interval on
    the unfavourable side meets each target less ``tolerance``: the lower
    bound of the service level >= target - tolerance, the upper bound of the
    abandon rate <= cap + tolerance, the upper bound of ASA <= cap x (1 +
    tolerance). The additions go to the groups that most reduce the miss
    per unit cost, one agent at a time, so they can overshoot; the removals
    and exchanges that follow take back what the criterion does not need
    (on the synthetic centre about one agent in half of the intervals).
    Returns (agents, evaluations).
    """
    sample = _Sample(centre, inp, level=level, tolerance=tolerance)
    n, met = sample.add(agents)
    if met and exchanges >= 0:
        n = _descend(sample, n, exchanges)
    return n, len(sample.cache)


def _remove(n, order, feasible):
    """Drop one agent at a time (dearest group first) while the staffing stays feasible."""
    improved = True
    while improved:
        improved = False
        for g in order:
            if n[g] == 0:
                continue
            trial = n.copy()
            trial[g] -= 1
            if feasible(trial):
                n, improved = trial, True
                break
    return n


def _exchange(n, holds, cost, cap, margin):
    """The best move of one agent from any group to a group holding the tightest type, at no extra cost.

    Best: the largest smallest margin over the types, if it beats the current one.
    """
    now = margin(n)
    tight = int(np.argmin(now))
    best, best_value = None, now.min()
    for g2 in np.flatnonzero(holds[:, tight]):
        if n[g2] + 1 > cap[g2]:
            continue
        for g1 in np.flatnonzero(n > 0):
            if g1 == g2 or cost[g2] > cost[g1] + 1e-12:
                continue
            trial = n.copy()
            trial[g1] -= 1
            trial[g2] += 1
            value = margin(trial).min()
            if value > best_value + 1e-9:
                best, best_value = trial, value
    return best
