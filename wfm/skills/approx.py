r"""
Fast staffing of a multi-skill centre from Erlang formulas: the per-type and
pooled bounds, and a pooling approximation solved as a small integer program.

Two classical figures bracket the staffing of a multi-skill centre [1]_:

* **per type** (no pooling): every type staffed on its own with Erlang, as if
  each had dedicated agents. Enough agents, too many of them.
* **pooled** (full flexibility): one queue carrying the total load, as if
  every agent had every skill. Wallace and Whitt [1]_ take it as the first
  estimate of the total staff and find that with two skills per agent, in
  suitable combinations, a centre needs little more.

The approximation (:func:`approximate_staffing`) extends the pooled bound to
every set of types. For a set S of call types, the agents who can answer at
least one type of S must be at least :math:`R(S)`, the Erlang requirement of
the pooled queue of S (calls summed, AHT volume-weighted, abandonment rate
volume-weighted). Across the targets of S, :math:`R(S)` is the volume-
weighted mean of the requirement at each type's target, rounded up, so a set
of types sharing one target takes the exact pooled figure. The agents per
group then solve

.. math::

    \min_n \sum_g c_g n_g \quad \text{s.t.} \quad
    \sum_{g:\ \mathrm{skills}(g) \cap S \neq \emptyset} n_g \ge R(S)
    \ \ \forall S, \qquad 0 \le n_g \le \bar n_g, \ n_g \in \mathbb{Z},

a Hall-type covering condition (with all skills, only S = all types binds and
the total is the pooled staffing; with dedicated groups only the singletons
bind and each type gets its Erlang staffing). It is solved with HiGHS through
:func:`scipy.optimize.milp`, one small program per interval, over every set
of up to 10 types (singletons, pairs and the whole set beyond). The pooled
queues assume the router shares agents perfectly within S, so the result is
optimistic where priorities starve a type; :func:`wfm.skills.staff_centre`
refines it by simulation.

References
----------
.. [1] R. B. Wallace and W. Whitt, "A staffing algorithm for call centers with
   skill-based routing", Manufacturing & Service Operations Management 7(4),
   276-294, 2005 (step 1: total staff from the pooled Erlang model).
.. [2] G. Koole, "Call Center Optimization", MG books, 2013, section 6.3
   (per-type and pooled staffing as bounds of a skill-based centre).
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

from ..staffing.required import _required_agents

__all__ = ["erlang_requirements", "erlang_bounds", "approximate_staffing"]


def _subsets(n_types):
    if n_types <= 10:
        sizes = range(1, n_types + 1)
        return [s for k in sizes for s in combinations(range(n_types), k)]
    return [s for k in (1, 2) for s in combinations(range(n_types), k)] + [tuple(range(n_types))]


def _requirement(centre, total, aht, theta, type_name):
    """Agents pooled queues need at the targets of ``type_name`` (one queue per element of the arrays)."""
    tgt = centre.targets.loc[type_name]
    kwargs = {k: float(tgt[k]) for k in ("service_level", "threshold", "max_asa", "max_abandon_rate")
              if pd.notna(tgt[k])}
    out = np.zeros(total.size, dtype=np.int64)
    erlang_c = theta <= 0
    for mask, model in ((erlang_c, "erlang_c"), (~erlang_c, "erlang_a")):
        busy = mask & (total > 0)
        if not busy.any():
            continue
        extra = dict(kwargs)
        if model == "erlang_c":
            extra.pop("max_abandon_rate", None)
        else:
            extra["patience"] = 1.0 / theta[busy]
        out[busy] = _required_agents(total[busy], aht[busy], centre.interval, model=model, **extra)  # units warned
    return out


def erlang_requirements(centre):
    """
    Erlang requirement :math:`R(S)` of each pooled set of call types, per interval.

    Returns
    -------
    DataFrame
        Rows the intervals of ``centre.calls``; one column per set of types
        (a tuple of type names), whole agents. The singletons are the
        per-type Erlang staffing, the full set the pooled staffing.
    """
    sets = _subsets(len(centre.types))
    calls = centre.calls.to_numpy()
    work = calls * centre.aht.to_numpy()
    rate = calls / centre.patience.to_numpy()  # abandonments per unit of patience; 0 for inf patience
    member = np.zeros((len(sets), len(centre.types)))
    for k, s in enumerate(sets):
        member[k, list(s)] = 1.0
    total = calls @ member.T  # [T, S]
    safe = np.where(total > 0, total, 1.0)
    mean_aht = np.where(total > 0, (work @ member.T) / safe, 1.0)
    theta = (rate @ member.T) / safe
    need = np.zeros(total.shape)
    for j, i in enumerate(centre.types):
        cols = np.flatnonzero(member[:, j])  # the sets holding type j, all intervals in one call
        r = _requirement(centre, total[:, cols].ravel(), mean_aht[:, cols].ravel(), theta[:, cols].ravel(), i)
        need[:, cols] += calls[:, [j]] / safe[:, cols] * r.reshape(len(calls), cols.size)
    return pd.DataFrame(np.ceil(need - 1e-9).astype(np.int64), index=centre.calls.index,
                        columns=pd.Index([tuple(centre.types[j] for j in s) for s in sets], tupleize_cols=False,
                                         name="types"))


def erlang_bounds(centre, requirements=None):
    """
    Per-type and pooled Erlang staffing of a centre, per interval.

    Parameters
    ----------
    centre : Centre
    requirements : DataFrame, optional
        :func:`erlang_requirements` of ``centre``, when already computed.

    Returns
    -------
    DataFrame
        Per interval: ``per_type_agents`` (each type on its own, summed),
        ``pooled_agents`` (one queue, every agent every skill) [count], and
        their costs over the interval ``per_type_cost`` (each type's agents
        at the cheapest group holding its skill) and ``pooled_cost`` (the
        pooled agents at the cheapest group): agents x cost per agent-hour x
        the interval's hours [the centre's cost unit], so that sums over
        intervals do not depend on their length.

    Examples
    --------
    >>> idx = pd.date_range("2024-01-01 09:00", periods=1, freq="30min")
    >>> from wfm.skills import centre
    >>> c = centre(pd.DataFrame({"a": [100.0], "b": [100.0]}, index=idx), {"ab": ["a", "b"]}, aht=180)
    >>> erlang_bounds(c)[["per_type_agents", "pooled_agents"]].iloc[0].tolist()
    [28, 24]
    """
    req = erlang_requirements(centre) if requirements is None else requirements
    types = centre.types
    single = np.column_stack([req[(i,)].to_numpy() for i in types])
    cheapest = np.array([min(centre.cost[g] for g in centre.groups if i in centre.params["tables"]["skills"][g])
                         for i in types])
    hours = centre.interval / 3600.0
    return pd.DataFrame({"per_type_agents": single.sum(axis=1), "pooled_agents": req[tuple(types)].to_numpy(),
                         "per_type_cost": single @ cheapest * hours,
                         "pooled_cost": req[tuple(types)].to_numpy() * centre.cost.min() * hours}, index=req.index)


def approximate_staffing(centre, requirements=None):
    """
    Agents per group and interval from the pooling approximation (see the module docstring).

    Parameters
    ----------
    centre : Centre
    requirements : DataFrame, optional
        :func:`erlang_requirements` of ``centre``, when already computed.

    Returns
    -------
    DataFrame
        Whole agents, rows the intervals of ``centre.calls``, one column per
        group.

    Raises
    ------
    ValueError
        When the caps ``centre.max_agents`` cannot cover some set of types:
        names the types, the interval, the agents needed and the cap.

    Examples
    --------
    Full flexibility takes the pooled staffing; a dedicated group per type
    the per-type Erlang staffing:

    >>> idx = pd.date_range("2024-01-01 09:00", periods=1, freq="30min")
    >>> from wfm.skills import centre
    >>> calls = pd.DataFrame({"a": [100.0], "b": [100.0]}, index=idx)
    >>> approximate_staffing(centre(calls, {"ab": ["a", "b"]}, aht=180)).iloc[0].tolist()
    [24]
    >>> approximate_staffing(centre(calls, {"A": ["a"], "B": ["b"]}, aht=180)).iloc[0].tolist()
    [14, 14]
    """
    req = erlang_requirements(centre) if requirements is None else requirements
    groups, types = centre.groups, centre.types
    skills = centre.params["tables"]["skills"]
    sets = list(req.columns)
    cover = np.array([[1.0 if set(skills[g]) & set(s) else 0.0 for g in groups] for s in sets])
    cost = centre.cost.to_numpy()
    cap = centre.max_agents.to_numpy()
    need = req.to_numpy()
    out = np.zeros((len(req), len(groups)), dtype=np.int64)
    for t in range(len(req)):
        if not need[t].any():
            continue
        short = cover @ np.where(np.isfinite(cap), cap, 1e9) < need[t]
        if short.any():
            k = int(np.flatnonzero(short)[0])
            raise ValueError(f"the groups able to answer {list(sets[k])} are capped at "
                             f"{int(cover[k] @ np.where(np.isfinite(cap), cap, 0))} agents (max_agents) but the "
                             f"interval {req.index[t]} needs {int(need[t, k])} for them; raise max_agents of "
                             f"{[g for g, c in zip(groups, cover[k]) if c]} or lower the targets of {list(sets[k])}.")
        res = _solve(cover, need[t], cost, cap, _shares(centre, t, need[t, -1] if len(sets[-1]) == len(types) else 0))
        if res.x is None:  # pragma: no cover - the cap check above makes the program feasible
            raise RuntimeError(f"the staffing program of {req.index[t]} failed: {res.message}")
        out[t] = np.round(res.x).astype(np.int64)
    return pd.DataFrame(out, index=req.index, columns=pd.Index(groups, name="group"))


def _shares(centre, t, total):
    """Fair shares of ``total`` agents over the groups: each type's load split evenly over its groups."""
    skills = centre.params["tables"]["skills"]
    load = centre.calls.to_numpy()[t] * centre.aht.to_numpy()[t]
    share = np.zeros(len(centre.groups))
    for j, i in enumerate(centre.types):
        holders = [b for b, g in enumerate(centre.groups) if i in skills[g]]
        share[holders] += load[j] / len(holders)
    return share * (total / share.sum()) if share.sum() > 0 else share


def _solve(cover, need, cost, cap, share):
    """min cost.n (+ a small pull towards the fair shares, which only breaks ties) s.t. cover @ n >= need."""
    g = cost.size
    eps = 1e-3 * cost.min() / max(g, 1) / max(share.sum(), 1.0)
    c = np.r_[cost, np.full(g, eps)]  # n, then |n - share|
    a_cover = np.hstack([cover, np.zeros((cover.shape[0], g))])
    eye = np.eye(g)
    dev = [LinearConstraint(np.hstack([eye, -eye]), -np.inf, share), LinearConstraint(np.hstack([-eye, -eye]),
                                                                                      -np.inf, -share)]
    upper = np.r_[np.where(np.isfinite(cap), cap, np.inf), np.full(g, np.inf)]
    res = milp(c, constraints=[LinearConstraint(a_cover, lb=need, ub=np.inf), *dev], bounds=Bounds(0, upper),
               integrality=np.r_[np.ones(g), np.zeros(g)])
    if res.x is not None:
        res.x = res.x[:g]
    return res


def primary_staffing(centre, requirements=None):
    r"""
    Agents per group from Wallace and Whitt's square-root split of the pooled staffing.

    Step 1 of [1]_: the total staff N is the pooled Erlang staffing of the
    whole load. Step 2: each type i gets :math:`A_i + \beta \sqrt{A_i}`
    primary agents, with :math:`\beta` set so that they add up to N, shared
    evenly among the groups whose first-priority skill it is (among every
    group holding it when it is first nowhere). Whole agents by largest
    remainders, so the groups add up to N. Wallace and Whitt then allocate
    secondary skills by a fair-assignment scheme; here the skill sets are
    given, and the simulation search of :func:`wfm.skills.staff_centre`
    takes it from there.

    Returns
    -------
    DataFrame
        Whole agents, rows the intervals, one column per group.

    References
    ----------
    .. [1] R. B. Wallace and W. Whitt, "A staffing algorithm for call centers
       with skill-based routing", Manufacturing & Service Operations
       Management 7(4), 276-294, 2005, section 4.
    """
    req = erlang_requirements(centre) if requirements is None else requirements
    skills = centre.params["tables"]["skills"]
    levels = centre.params["tables"]["group_level"]
    groups, types = centre.groups, centre.types
    home = np.zeros((len(types), len(groups)))
    for j, i in enumerate(types):
        first = [b for b, g in enumerate(groups) if i in skills[g] and levels[b, skills[g].index(i)] == levels[b, 0]]
        holders = first or [b for b, g in enumerate(groups) if i in skills[g]]
        home[j, holders] = 1.0 / len(holders)
    load = centre.calls.to_numpy() * centre.aht.to_numpy() / centre.interval
    total = req[tuple(types)].to_numpy().astype(float)
    root = np.sqrt(load)
    with np.errstate(invalid="ignore", divide="ignore"):
        beta = np.where(root.sum(axis=1) > 0, (total - load.sum(axis=1)) / root.sum(axis=1), 0.0)
    share = (load + beta[:, None] * root) @ home
    share = np.maximum(share, 0.0)
    out = np.floor(share).astype(np.int64)
    # largest remainders, every interval at once: the `left` groups with the largest fractions get one more
    left = (total - out.sum(axis=1)).astype(np.int64)
    order = np.argsort(-(share - out), axis=1, kind="stable")
    row, rank = np.nonzero(np.arange(out.shape[1])[None, :] < left[:, None])
    out[row, order[row, rank]] += 1
    cap = centre.max_agents.to_numpy()
    out = np.minimum(out, np.where(np.isfinite(cap), cap, np.iinfo(np.int64).max)).astype(np.int64)
    return pd.DataFrame(out, index=req.index, columns=pd.Index(groups, name="group"))
