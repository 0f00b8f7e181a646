"""
:func:`staff_centre`: agents per group and interval that meet every call type's
targets at least cost, with the simulated service per type and its confidence
interval; and :class:`SkillStaffing`, its result.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import _validation as v
from .._results import Result, interval_axis
from ..executors import SerialExecutor, run_tasks
from .approx import approximate_staffing, erlang_bounds, erlang_requirements, primary_staffing
from .search import interval_inputs, repair, search_interval, service, shortfall

__all__ = ["staff_centre", "SkillStaffing", "METHODS"]

METHODS = ("simulation", "approximation")


def staff_centre(centre, *, method="simulation", start_from="primary", replications=8, intervals=6, warmup=1,
                 check=4, tolerance=0.005, seed=0, level=0.95, min_calls=300, exhaustive=6, executor=None):
    """
    Agents per group and interval that meet every call type's targets at least cost.

    Each interval is staffed on its own in steady state (as the Erlang
    formulas staff it):

    1. a start: :func:`wfm.skills.primary_staffing` (Wallace and Whitt's
       square-root split of the pooled staffing; ``start_from="primary"``)
       or :func:`wfm.skills.approximate_staffing` (the pooling covering
       program; ``start_from="pooling"``, and always with
       ``method="approximation"``);
    2. with ``method="simulation"``, the sample-average search of
       :mod:`wfm.skills.search` with common random numbers (add, remove,
       exchange; after Cezik and L'Ecuyer 2008), and at small intervals
       (``exhaustive``) an enumeration of every staffing with fewer agents;
    3. a repair on a second, larger sample (``check`` times the
       replications, seed + 1): agents are added until each type's 95%
       bound on the unfavourable side meets its targets within
       ``tolerance``, then removed and exchanged again under that
       criterion; and, since that selection favours staffings that pass
       this one sample by luck, additions only on a fourth sample (seed +
       3) until the bounds meet the targets within twice ``tolerance``;
    4. a check on a third, independent sample (seed + 2) that reports each
       type's service with its confidence interval.

    On the synthetic centre's day (``benchmarks/bench_skills.py``), steps
    2-3 as above cost 11% more than the pooled Erlang staffing where the
    greedy search with a one-sample repair cost 15%, with more interval-
    types on target; quiet half-hours remain about one agent above the
    least cost any staffing of its groups reaches
    (``benchmarks/bench_skills_night.py``).

    With dedicated groups only (one skill each) and exponential handle
    times, the start is the per-type Erlang staffing, exact for the
    steady-state queue, and steps 2 and 3 are skipped.

    Parameters
    ----------
    centre : Centre
        The centre (:func:`wfm.skills.centre`).
    method : {"simulation", "approximation"}
        Refine the start by simulation, or keep the pooling approximation
        (the check still simulates it).
    start_from : {"primary", "pooling"}
        The start of the search.
    replications, intervals, warmup : int
        The search's sample per interval: ``replications`` runs of
        ``warmup`` + ``intervals`` intervals at the interval's rates.
    min_calls : int
        Fewest expected calls of the rarest type (with calls) in the
        search's sample: a quiet interval gets more replications (up to 20
        times ``replications``), so that its search and its confidence
        bounds do not rest on a handful of calls (at 0.6 calls per
        half-hour, 8 x 6 half-hours hold 29). 0 keeps ``replications``.
    exhaustive : int
        Intervals whose searched staffing has at most this many agents are
        searched exhaustively below it (step 5 of :mod:`wfm.skills.search`);
        0 never.
    check : int
        The repair and the check use ``check`` times as many replications.
    tolerance : float
        Slack of the repair: service level and abandon rate in fractions
        (0.005 is half a point), ASA relative. [0-1]
    seed : int
        Seed of the search sample (the repair uses ``seed + 1``, the check
        ``seed + 2``).
    level : float
        Coverage of the repair's and the check's confidence intervals. [0-1]
    executor : concurrent.futures.Executor, optional
        Where the intervals run (see :mod:`wfm.executors`); in this process
        when None.

    Returns
    -------
    SkillStaffing

    Raises
    ------
    ValueError
        For an unknown method, bad sample sizes, or caps (``max_agents``)
        that cannot cover some set of types (naming the types and groups).

    Examples
    --------
    Full flexibility: the pooled Erlang staffing of Wallace and Whitt's
    90 Erlangs:

    >>> from wfm.skills import wallace_whitt_centre
    >>> plan = staff_centre(wallace_whitt_centre("all"), method="approximation", check=1, replications=4)
    >>> f = plan.figures()
    >>> f["peak_agents"], f["agent_hours"], f["pooled_agent_hours"]  # one half-hour
    (99, 49.5, 49.5)
    """
    v.check_choice(method, "method", METHODS)
    v.check_choice(start_from, "start_from", ("primary", "pooling"))
    v.check_fraction(v.as_float_array(tolerance, "tolerance"), "tolerance", closed_low=True, closed_high=False)
    reps = v.check_count(replications, "replications", minimum=2)
    span = v.check_count(intervals, "intervals", minimum=1)
    warm = v.check_count(warmup, "warmup", minimum=0)
    times = v.check_count(check, "check", minimum=1)
    seed = v.check_count(seed, "seed", minimum=0)
    min_calls = v.check_count(min_calls, "min_calls", minimum=0)
    exhaustive = v.check_count(exhaustive, "exhaustive", minimum=0)
    v.check_fraction(v.as_float_array(level, "level"), "level", closed_high=False)
    began = time.perf_counter()
    req = erlang_requirements(centre)
    bounds = erlang_bounds(centre, req)
    start = approximate_staffing(centre, req)
    dedicated = (all(len(s) == 1 for s in centre.params["tables"]["skills"].values())
                 and centre.params["handle_cv"] == 1.0 and not centre.aht_by_group
                 and not any(centre.params.get("overflow_delay", {}).values()))
    if method == "simulation" and start_from == "primary" and not dedicated:
        start = primary_staffing(centre, req)
    search = method == "simulation" and not dedicated
    busy = np.flatnonzero(centre.calls.to_numpy().sum(axis=1) > 0)
    task = dict(search=search, intervals=span, warmup=warm, check=times, seed=seed, level=float(level),
                tolerance=float(tolerance), exhaustive=exhaustive)
    sizes = sample_sizes(centre, reps, span, min_calls)
    items = [(centre, int(t), start.to_numpy()[t], dict(task, replications=int(sizes[t]))) for t in busy]
    results = run_tasks(executor or SerialExecutor(), _staff_one, items)
    agents = start.copy()
    rows, extra = [], []
    for (_, t, _, _), res in zip(items, results):
        if isinstance(res, BaseException):
            raise res
        n, evaluations, rates = res
        agents.iloc[t] = n
        rows.append(_service_rows(centre, t, rates))
        extra.append((t, evaluations))
    return _result(centre, agents, start, bounds, rows, extra, dict(
        method=method, replications=reps, intervals=span, warmup=warm, check=times, seed=seed, level=float(level),
        min_calls=min_calls, exhaustive=exhaustive, searched=search, seconds=time.perf_counter() - began))


def sample_sizes(centre, replications, intervals, min_calls, most=20):
    """Replications of each interval's search sample: at least ``min_calls`` expected calls of its rarest type.

    ``replications`` where that already holds (or ``min_calls`` is 0), at
    most ``most`` times ``replications``; an array over the intervals.
    """
    calls = centre.calls.to_numpy()
    rare = np.where(calls > 0, calls, np.inf).min(axis=1)
    with np.errstate(divide="ignore"):
        need = np.ceil(min_calls / (rare * intervals))
    need = np.where(np.isfinite(need), need, replications)
    return np.clip(need, replications, most * replications).astype(np.int64)


def _staff_one(centre, t, start, task):
    """One interval: search (or keep the start), repair on the check sample, then check on a third one."""
    n, evaluations = np.asarray(start, dtype=np.int64), 0
    if task["search"]:
        n, evaluations, _ = search_interval(centre, t, n, replications=task["replications"],
                                            intervals=task["intervals"], warmup=task["warmup"], seed=task["seed"],
                                            exhaustive=task["exhaustive"])
        inp = interval_inputs(centre, t, replications=task["replications"] * task["check"], intervals=task["intervals"],
                              warmup=task["warmup"], seed=task["seed"] + 1)
        n, more = repair(centre, t, n, inp, level=task["level"], tolerance=task["tolerance"])
        evaluations += more
        inp = interval_inputs(centre, t, replications=task["replications"] * task["check"], intervals=task["intervals"],
                              warmup=task["warmup"], seed=task["seed"] + 3)
        n, more = repair(centre, t, n, inp, level=task["level"], tolerance=2 * task["tolerance"], exchanges=-1)
        evaluations += more
    inp = interval_inputs(centre, t, replications=task["replications"] * task["check"], intervals=task["intervals"],
                          warmup=task["warmup"], seed=task["seed"] + 2)
    return n, evaluations, service(inp, n, task["level"])


def _service_rows(centre, t, rates):
    out = pd.DataFrame({"interval": centre.calls.index[t], "type": centre.types,
                        "calls": centre.calls.to_numpy()[t]})
    for name in ("service_level", "asa", "abandon_rate"):
        est, lo, hi = rates[name]
        out[name], out[f"{name}_lo"], out[f"{name}_hi"] = est, lo, hi
    tgt = centre.targets
    out["service_level_target"] = tgt["service_level"].to_numpy()
    out["threshold"] = tgt["threshold"].to_numpy()
    out["max_asa"] = tgt["max_asa"].to_numpy()
    out["max_abandon_rate"] = tgt["max_abandon_rate"].to_numpy()
    out["shortfall"] = shortfall(rates, tgt)
    out["met"] = out["shortfall"] <= 0
    return out


def _result(centre, agents, start, bounds, rows, extra, params):
    cost = centre.cost * (centre.interval / 3600.0)  # per agent and interval, from the cost per agent-hour
    per = pd.DataFrame({"agents": agents.sum(axis=1), "cost": agents.to_numpy() @ cost.to_numpy(),
                        "approx_agents": start.sum(axis=1)}, index=agents.index)
    per = per.join(bounds)
    per["evaluations"] = 0
    for t, e in extra:
        per.iloc[t, per.columns.get_loc("evaluations")] = e
    table = agents.stack().rename("agents").reset_index()
    table.columns = ["interval", "group", "agents"]
    table["approx_agents"] = start.stack().to_numpy()
    table["cost"] = table["agents"] * table["group"].map(cost).to_numpy()
    svc = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
    return SkillStaffing(table=table, service=svc, intervals=per,
                         params=dict(params, types=centre.types, groups=centre.groups, interval=centre.interval))


@dataclass(frozen=True)
class SkillStaffing(Result):
    """
    Staffing of a multi-skill centre (built by :func:`staff_centre`).

    Attributes
    ----------
    table : DataFrame
        One row per interval and group: ``interval``, ``group``, ``agents``
        (the staffing) [count], ``approx_agents`` (the pooling approximation
        it started from) [count] and ``cost`` (agents x the group's cost per
        agent-hour x the interval's hours) [the centre's cost unit].
    service : DataFrame
        One row per interval (with calls) and type: ``calls``, the checked
        ``service_level``, ``asa`` [s], ``abandon_rate`` with ``_lo``/``_hi``
        bounds at ``params["level"]`` (Student's t over replications, the
        search's decision rule: :func:`wfm.skills.search.service`), the targets (``service_level_target``,
        ``threshold``, ``max_asa``, ``max_abandon_rate``), ``shortfall``
        (largest relative miss, 0 when met) and ``met``.
    intervals : DataFrame
        One row per interval: ``agents`` [count], ``cost`` (of the
        interval, as in ``table``), ``approx_agents``, the Erlang bounds
        ``per_type_agents``, ``pooled_agents`` [count], ``per_type_cost``,
        ``pooled_cost`` (of the interval, see
        :func:`wfm.skills.erlang_bounds`), and ``evaluations`` (staffings
        simulated by the search).
    params : dict
        The arguments that built it, ``seconds`` it took, types and groups.
    """

    table: pd.DataFrame
    service: pd.DataFrame
    intervals: pd.DataFrame
    params: dict = field(default_factory=dict)

    def sheets(self):
        return {"agents": self.table, "service": self.service, "intervals": self.intervals}

    def agents(self):
        """Agents per interval (rows) and group (columns), ready for :func:`wfm.skills.simulate_centre`."""
        wide = self.table.pivot(index="interval", columns="group", values="agents")
        return wide[self.params["groups"]]

    def figures(self):
        """
        Plain numbers over the horizon, none of which depends on the interval length.

        ``agent_hours`` (agents x interval length, summed) [h] and
        ``peak_agents`` (most agents on duty in one interval, all groups)
        [count]; ``cost`` (agent-hours x their group's cost per agent-hour)
        [the centre's cost unit]; the Erlang bounds ``per_type_agent_hours``,
        ``per_type_cost`` (each type staffed on its own), ``pooled_agent_hours``
        and ``pooled_cost`` (one queue, every agent every skill), in the same
        units; ``saving_vs_per_type`` (1 - cost / per-type cost) and
        ``excess_over_pooled`` (cost / pooled cost - 1) [fractions],
        ``types_on_target`` (share of interval and type pairs whose checked
        service meets every target) [0-1], ``worst_service_level_gap``
        (lowest ``service_level_lo`` minus its target) [fraction],
        ``evaluations`` and ``seconds``.
        """
        per, svc = self.intervals, self.service
        hours = float(self.params["interval"]) / 3600.0
        sl = svc.dropna(subset=["service_level_target"]) if len(svc) else svc
        gap = float((sl["service_level_lo"] - sl["service_level_target"]).min()) if len(sl) else float("nan")
        return {
            "agent_hours": float(per["agents"].sum() * hours),
            "peak_agents": int(per["agents"].max()) if len(per) else 0,
            "cost": float(per["cost"].sum()),
            "per_type_agent_hours": float(per["per_type_agents"].sum() * hours),
            "per_type_cost": float(per["per_type_cost"].sum()),
            "pooled_agent_hours": float(per["pooled_agents"].sum() * hours),
            "pooled_cost": float(per["pooled_cost"].sum()),
            "saving_vs_per_type": float(1 - per["cost"].sum() / per["per_type_cost"].sum()),
            "excess_over_pooled": float(per["cost"].sum() / per["pooled_cost"].sum() - 1),
            "types_on_target": float(svc["met"].mean()) if len(svc) else float("nan"),
            "worst_service_level_gap": gap,
            "evaluations": int(per["evaluations"].sum()),
            "seconds": float(self.params["seconds"]),
        }

    #: Labels of :meth:`figures` in :meth:`summary`, each with its unit.
    LABELS = {
        "agent_hours": "agent-hours staffed [h]", "peak_agents": "agents at the peak [count]",
        "cost": "cost (agent-hours x group cost per agent-hour)",
        "per_type_agent_hours": "per-type Erlang agent-hours [h]", "per_type_cost": "per-type Erlang cost",
        "pooled_agent_hours": "pooled Erlang agent-hours [h]", "pooled_cost": "pooled Erlang cost",
        "saving_vs_per_type": "saving against per-type Erlang [0-1]",
        "excess_over_pooled": "cost above pooled Erlang [0-1]", "types_on_target": "interval-types on target [0-1]",
        "worst_service_level_gap": "lowest SL lower bound minus target", "evaluations": "staffings simulated",
        "seconds": "seconds"}

    def summary(self):
        """The figures as a labelled DataFrame (column ``value``; each label names its unit)."""
        fig = self.figures()
        return pd.DataFrame({"figure": [self.LABELS[k] for k in fig], "value": list(fig.values())},
                            index=pd.Index(list(fig), name="key"))

    def plot(self, ax=None, **kwargs):
        """Agents per group (stacked bars) and interval, with the per-type and pooled Erlang totals; the Axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(11, 4))
        wide = self.agents()
        x = np.arange(len(wide))
        bottom = np.zeros(len(wide))
        for g in wide.columns:
            ax.bar(x, wide[g], bottom=bottom, width=0.9, label=str(g), **kwargs)
            bottom += wide[g].to_numpy()
        ax.step(x, self.intervals["per_type_agents"], where="mid", color="k", ls="--", label="per-type Erlang")
        ax.step(x, self.intervals["pooled_agents"], where="mid", color="k", ls=":", label="pooled Erlang")
        interval_axis(ax, wide.index)
        ax.set_ylabel("agents")
        ax.set_title(f"Multi-skill staffing ({self.params['method']})")
        ax.legend(fontsize="x-small", ncol=4, loc="upper left")
        return ax

    def __repr__(self):
        return (f"SkillStaffing ({self.params['method']}): {len(self.params['groups'])} groups, "
                f"{len(self.intervals)} intervals\n{self.summary().to_string()}")

    def _repr_html_(self):
        return (f"<h4>SkillStaffing ({self.params['method']})</h4>" + self.summary().to_html()
                + self.service.head(20).to_html(float_format=lambda x: f"{x:.3f}", na_rep=""))
