r"""
Risk of a capacity plan: Monte Carlo over attrition and volume.

Each path redraws the plan's supply and demand:

* **attrition**: the leavers of every cohort in every week are
  :math:`\mathrm{Binomial}(n_t, h(a_t))` (the same hazards as the plan's
  expected core), so heads are whole and paths diverge. They are drawn
  exactly, one uniform per agent: an agent is still there in week :math:`t`
  while :math:`U < S(t)`, the cohort's survival curve, which gives
  :math:`P(\text{there at } t+1 \mid \text{there at } t) = 1 - h(a_t)`
  independently for every agent, i.e. the binomial chain. Transfers follow
  their expected path.
* **volume**: the required FTE of week :math:`w` is read off the demand's
  band at a standard-normal score
  :math:`z = \sqrt{\rho}\, e + \sqrt{1 - \rho}\, \eta_w` (a per-path level
  error :math:`e` shared by all weeks, correlation :math:`\rho`, plus weekly
  noise), interpolated linearly through the band's lower end (score
  :math:`-z_q`), the forecast (0) and the upper end (:math:`z_q`), with
  :math:`z_q` the band's normal quantile. Required FTE is exact Erlang at
  those three points, so this is an interpolation between exact values.

A week is *short* on a path when available productive FTE plus the
overtime cap falls below the required FTE less the tolerance. The buffer of
a week is the :math:`(1 - x)` quantile of that shortfall (productive FTE
over the plan's expected supply), and re-planning so that the expected
supply covers the plan's supply plus the buffer (a few rounds, each shortfall
then costing 100 times the rules' penalty, so the MILP covers every week it
can) gives the hires needed to be short in at most a share :math:`x` of paths
in every week hires can reach.

Paths are split into two seeded blocks drawn on two threads (NumPy releases
the GIL while drawing), so results depend on ``seed`` only.

References
----------
.. [1] D. J. Bartholomew, A. F. Forbes and S. I. McClean, *Statistical
   Techniques for Manpower Planning*, 2nd ed., Wiley, 1991 (ch. 4:
   binomial wastage in cohort models).
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
from scipy.stats import norm

from .. import _validation as v
from .cohorts import _project
from .result import CapacityPlan, CapacityRisk

__all__ = ["capacity_risk", "simulate_supply"]

_BLOCKS = 2
_COLUMN = {"forecast": "required_fte", "lower": "required_fte_lower", "upper": "required_fte_upper"}


def _plan_structure(co, rules, weeks, n_sites, season=None):
    """Per cohort: start week, unit survival and productive weight per week; transfers' expected FTE."""
    unit = type(co)(co.site, co.label, co.kind, co.start, co.offset, np.ones(len(co)), co.train_len, co.fixed_prod)
    arr = _project(unit, rules, weeks, season)
    kind = np.asarray(co.kind, dtype=object)
    random = ~np.isin(kind, ["transfer", "release"])
    weight = arr["prod"] * rules.fte_per_head
    det = np.zeros((n_sites, weeks))
    np.add.at(det, co.site[~random], (co.heads0[:, None] * arr["heads"] * weight)[~random])
    return {"survive": arr["heads"], "weight": weight, "random": random, "det": det, "start": co.start,
            "site": co.site, "heads0": co.heads0}


def _simulate_block(st, n_sites, weeks, paths, rng, attrition):
    r"""Available productive FTE of ``paths`` paths: (paths, sites, weeks) float32.

    Each agent of a cohort stays while the cohort's cumulative hazard
    :math:`\Lambda(k) = -\log S(k)` is below an exponential draw E (one per
    agent and path): P(still there at k + 1 | there at k) = S(k + 1) / S(k)
    = 1 - h(k), independently for every agent, which is the binomial chain.
    Only the agents who leave inside the horizon are placed (binary search on
    Lambda) and counted per path and week.
    """
    out = np.zeros((paths, n_sites, weeks), dtype=np.float32)
    rows = np.arange(paths, dtype=np.int64)
    for c in np.flatnonzero(st["random"]):
        n = int(round(st["heads0"][c]))
        if n <= 0:
            continue
        t0 = int(st["start"][c])
        surv = st["survive"][c, t0:]
        w = st["weight"][c, t0:].astype(np.float32)
        s = int(st["site"][c])
        L = surv.size
        if not attrition:
            out[:, s, t0:] += np.float32(n) * surv.astype(np.float32) * w
            continue
        lam = (-np.log(np.maximum(surv, 1e-300))).astype(np.float32)      # Lambda(k), k = 0..L-1, Lambda(0) = 0
        e = rng.standard_exponential((paths, n), dtype=np.float32)
        gone = e < lam[-1]                                                  # leaves before the last week
        heads = np.full((paths, L), n, dtype=np.float32)
        if gone.any():
            path_of = np.broadcast_to(rows[:, None], gone.shape)[gone]
            # weeks present: week 0 by definition (the cohort's heads at its start), then #{k >= 1: Lambda(k) < E};
            # a float32 draw of exactly 0 thus leaves after week 0, never before it
            stay = 1 + np.searchsorted(lam[1:], e[gone], side="left")
            departures = np.bincount(path_of * L + stay, minlength=paths * L).reshape(paths, L)
            heads -= np.cumsum(departures, axis=1, dtype=np.int32)
        out[:, s, t0:] += heads * w
    return out


def simulate_supply(plan, *, paths=1000, seed=0, attrition=True, n_jobs=2):
    """
    Available productive FTE of a plan on Monte Carlo paths with binomial attrition.

    Parameters
    ----------
    plan : CapacityPlan
    paths : int
        Number of paths.
    seed : int
        Seed of the two path blocks.
    attrition : bool
        Draw leavers as binomials (True) or take the expected values (False:
        every path equals the plan).
    n_jobs : int
        Threads (1 or 2).

    Returns
    -------
    available : ndarray
        (paths, sites, weeks) productive FTE, float32; sites in
        ``plan.params["sites"]`` order.

    Examples
    --------
    >>> import pandas as pd
    >>> from wfm.capacity import capacity_plan
    >>> demand = pd.DataFrame({"site": "all", "week": range(8), "required_fte": 10.0})
    >>> staff = pd.DataFrame({"tenure_weeks": [80], "headcount": [10]})
    >>> plan = capacity_plan(demand, staff, {"attrition": {0: 0.01}, "lead_time_weeks": 2}, method="greedy")
    >>> sims = simulate_supply(plan, paths=20000, seed=1)
    >>> round(float(sims[:, 0, 7].mean()), 1), round(float(plan.table["available_fte"].iloc[7]), 2)
    (10.5, 10.54)
    """
    if not isinstance(plan, CapacityPlan):
        raise TypeError(f"plan must be a CapacityPlan (from capacity_plan); got {type(plan).__name__}.")
    paths = v.check_count(paths, "paths", unit="paths")
    rules, co = plan.inputs["rules"], plan.inputs["cohorts"]
    n_sites, weeks = len(plan.params["sites"]), plan.params["weeks"]
    st = _plan_structure(co, rules, weeks, n_sites, plan.inputs.get("season"))
    seqs = np.random.SeedSequence(seed).spawn(_BLOCKS)
    sizes = [paths // _BLOCKS + (1 if b < paths % _BLOCKS else 0) for b in range(_BLOCKS)]
    jobs = [(st, n_sites, weeks, n, np.random.default_rng(s), bool(attrition)) for n, s in zip(sizes, seqs) if n]
    if n_jobs > 1 and len(jobs) > 1:
        with ThreadPoolExecutor(max_workers=min(n_jobs, len(jobs))) as pool:
            blocks = list(pool.map(lambda a: _simulate_block(*a), jobs))
    else:
        blocks = [_simulate_block(*a) for a in jobs]
    out = np.concatenate(blocks, axis=0)
    out += st["det"][None, :, :].astype(np.float32)
    return out


def _required_paths(req, lo, hi, paths, level, rho, rng):
    S, W = req.shape
    zq = norm.ppf(0.5 + level / 2)
    e = rng.standard_normal((paths, S, 1), dtype=np.float32)
    eta = rng.standard_normal((paths, S, W), dtype=np.float32)
    z = np.sqrt(rho, dtype=np.float32) * e + np.sqrt(1 - rho, dtype=np.float32) * eta
    up = ((hi - req) / zq).astype(np.float32)
    down = ((req - lo) / zq).astype(np.float32)
    out = req.astype(np.float32) + np.where(z >= 0, z * up, z * down)
    return np.maximum(out, 0.0)


def capacity_risk(plan, *, paths=10_000, seed=0, attrition=True, volume=True, level=None, volume_correlation=0.8,
                  max_short_probability=0.1, hedge=True, rounds=3, n_jobs=2):
    """
    Probability of being short in each week of a plan, and the hires that keep it below a target.

    Parameters
    ----------
    plan : CapacityPlan
        From :func:`capacity_plan`.
    paths : int
        Monte Carlo paths.
    seed : int
        Seed (results depend on it only).
    attrition : bool
        Draw leavers per cohort and week as binomials.
    volume : bool
        Draw the required FTE from the demand's band (needs
        ``required_fte_lower`` and ``required_fte_upper``).
    level : float, optional
        Coverage of the demand's band (the ``level`` of
        :func:`weekly_forecast`). [0-1] Default: the level the demand
        carries (``demand.attrs["level"]``, kept in ``plan.params["level"]``);
        a different one is an error. A band built by hand carries none:
        then give it here.
    volume_correlation : float
        Share of the volume error's variance common to all weeks of a path
        (forecast errors persist). [0-1]
    max_short_probability : float
        Target: each week short in at most this share of paths. [0-1]
    hedge : bool
        Re-plan against the requirement plus the buffer (up to ``rounds``
        times) and return that plan as ``.hedged``.
    rounds : int
        Re-planning rounds of the hedge.
    n_jobs : int
        Threads for the paths (1 or 2).

    Returns
    -------
    risk : CapacityRisk

    Examples
    --------
    >>> import pandas as pd
    >>> from wfm.capacity import capacity_plan
    >>> demand = pd.DataFrame({"site": "all", "week": range(26), "required_fte": 50.0,
    ...                        "required_fte_lower": 46.0, "required_fte_upper": 54.0})
    >>> staff = pd.DataFrame({"tenure_weeks": [80], "headcount": [52]})
    >>> rules = {"attrition": {0: 0.01}, "lead_time_weeks": 2, "training_weeks": 2, "nesting_weeks": 0,
    ...          "class_min": 2, "class_max": 10, "start_weeks": list(range(2, 26, 2)), "shortfall": "hard"}
    >>> risk = capacity_risk(capacity_plan(demand, staff, rules), paths=2000, level=0.8, max_short_probability=0.1)
    >>> s = risk.figures()
    >>> s["hires_plan"], s["hires_hedged"]
    (12, 20)
    >>> round(s["prob_short_max_reachable"], 2), round(s["prob_short_max_hedged"], 3)
    (0.49, 0.091)

    The plan that meets the expected requirement is short in up to 49% of
    the paths in a week; eight more hires keep every week from week 4 (the
    first a new class reaches) short in at most 10% of them.
    """
    if not isinstance(plan, CapacityPlan):
        raise TypeError(f"plan must be a CapacityPlan (from capacity_plan); got {type(plan).__name__}.")
    level = _band_level(plan, level, volume)
    x = float(v.check_level_fraction(max_short_probability, "max_short_probability"))
    rho = float(v.as_float_array(volume_correlation, "volume_correlation"))
    v.check_fraction(np.asarray(rho), "volume_correlation", closed_low=True)
    rounds = v.check_count(rounds, "rounds", minimum=0)
    t0 = time.perf_counter()
    table, buffer, anyshort = _risk_table(plan, paths, seed, attrition, volume, level, rho, x, n_jobs)
    seconds = time.perf_counter() - t0
    params = {"paths": paths, "seed": seed, "attrition": attrition, "volume": volume, "level": level,
              "volume_correlation": rho, "max_short_probability": x, "seconds": seconds, **anyshort,
              "hires_plan": int(plan.hiring["heads"].sum()), "hires_hedged": None, "rounds_used": 0}
    hedged = None
    if hedge:
        rules = plan.inputs["rules"]
        shape = (len(plan.params["sites"]), plan.params["weeks"])
        req = plan.table[_COLUMN[plan.params["requirement"]]].to_numpy().reshape(shape)
        target = req.copy()
        current, cur_buffer = plan, buffer
        for k in range(rounds):
            if not (cur_buffer > 1e-6).any():
                break
            # the expected supply at which the week's (1 - x) quantile of the shortfall is zero
            level_needed = current.table["available_fte"].to_numpy().reshape(shape) + cur_buffer
            target = np.maximum(target, level_needed * (1.0 + rules.overtime) / (1.0 - rules.tolerance))
            current = _replan(plan, target - req)
            _, cur_buffer, _ = _risk_table(current, paths, seed + 1 + k, attrition, volume, level, rho, x, n_jobs,
                                        demand_of=plan)
            params["rounds_used"] = k + 1
        hedged = current
        params["hires_hedged"] = int(hedged.hiring["heads"].sum())
        check, _, any_h = _risk_table(hedged, paths, seed + 1000, attrition, volume, level, rho, x, n_jobs,
                                      demand_of=plan)
        table["prob_short_hedged"] = check["prob_short"].to_numpy()
        params.update({f"{k}_hedged": val for k, val in any_h.items() if not isinstance(val, dict)})
    return CapacityRisk(table=table, params=params, hedged=hedged)


def _risk_table(plan, paths, seed, attrition, volume, level, rho, x, n_jobs, demand_of=None):
    """Risk of ``plan``'s supply against the demand (and band) of ``demand_of`` (default: the plan itself)."""
    rules = plan.inputs["rules"]
    sites, weeks = plan.params["sites"], plan.params["weeks"]
    col = _COLUMN[plan.params["requirement"]]
    tab = (demand_of or plan).table
    req = tab[col].to_numpy().reshape(len(sites), weeks)
    avail = simulate_supply(plan, paths=paths, seed=seed, attrition=attrition, n_jobs=n_jobs)
    if volume:
        if not {"required_fte_lower", "required_fte_upper"} <= set(tab):
            raise ValueError("volume=True needs the demand's band (required_fte_lower, required_fte_upper); "
                             "pass volume=False or build the demand with weekly_demand.")
        lo = tab["required_fte_lower"].to_numpy().reshape(req.shape)
        hi = tab["required_fte_upper"].to_numpy().reshape(req.shape)
        rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(_BLOCKS + 1)[-1])
        need = _required_paths(req, lo, hi, avail.shape[0], level, rho, rng)
    else:
        need = np.broadcast_to(req.astype(np.float32), avail.shape)
    cover = avail * np.float32(1.0 + rules.overtime)
    target = need * np.float32(1.0 - rules.tolerance)
    shortfall = target - cover
    short = shortfall > 1e-6
    prob = short.mean(axis=0)
    q_short = np.quantile(shortfall, 1.0 - x, axis=0)
    buffer = np.maximum(q_short, 0.0) / (1.0 + rules.overtime)
    aq = np.quantile(avail, [0.05, 0.5, 0.95], axis=0)
    rq = np.quantile(need, [0.05, 0.5, 0.95], axis=0)
    out = pd.DataFrame({"site": np.repeat(np.asarray(sites, dtype=object), weeks),
                        "week": np.tile(tab["week"].to_numpy()[:weeks], len(sites)),
                        "required_fte": req.ravel(), "available_fte": plan.table["available_fte"].to_numpy(),
                        "prob_short": prob.ravel().astype(float)})
    for name, q in (("available_fte", aq), ("required_fte", rq)):
        for p, arr in zip(("p05", "p50", "p95"), q):
            out[f"{name}_{p}"] = arr.ravel().astype(float)
    out["buffer_fte"] = buffer.ravel().astype(float)
    starts = plan.inputs["starts"]
    first = int(starts.min()) + rules.training_weeks + rules.nesting_weeks if len(starts) else weeks
    reach = np.arange(weeks) >= first
    out["reachable"] = np.tile(reach, len(sites))
    # the same paths, read over the whole horizon: short in at least one week (of any site / of each site)
    anyshort = {"prob_any_short": float(short.any(axis=(1, 2)).mean()),
                "prob_any_short_reachable": float(short[:, :, reach].any(axis=(1, 2)).mean()),
                "prob_any_short_by_site": dict(zip(sites, short.any(axis=2).mean(axis=0).astype(float).tolist()))}
    return out, buffer, anyshort


def _band_level(plan, level, volume):
    """The band's coverage: the one the plan's demand carries; a different one given is an error."""
    carried = plan.params.get("level")
    if level is None:
        if carried is None and volume and "required_fte_lower" in plan.table:
            raise ValueError("level: the plan's demand band carries no level (it was not built by weekly_demand); "
                             "give level=, the coverage its required_fte_lower/upper were built with, e.g. 0.8.")
        return None if carried is None else v.check_level_fraction(carried)
    level = v.check_level_fraction(level)
    if carried is not None and abs(level - float(carried)) > 1e-12:
        raise ValueError(f"level={level:g} does not match the demand's band, built with level={float(carried):g} "
                         "(plan.params['level']): the volume draw would misread the band. Leave level out, or "
                         "rebuild the demand with weekly_demand(level=...).")
    return level


def _replan(plan, extra):
    """The plan re-solved against its requirement plus ``extra``, a shortfall costing 100 times the rules' penalty."""
    from .planning import capacity_plan

    inp = plan.inputs
    col = _COLUMN[plan.params["requirement"]]
    demand = inp["demand"].reset_index(drop=True).copy()
    sites = plan.params["sites"]
    weeks = pd.Index(pd.unique(demand["week"])).sort_values()
    s_pos = demand["site"].astype(str).map({s: i for i, s in enumerate(sites)}).to_numpy()
    w_pos = weeks.get_indexer(demand["week"])
    demand[col] = demand[col].to_numpy(dtype=float) + extra[s_pos, w_pos]
    p = plan.params
    rules = inp["rules"].model_copy(update={"shortfall": "penalty", "shortfall_penalty": 100.0 * inp["rules"].penalty})
    return capacity_plan(demand, inp["staff"], rules, transfers=inp["transfers"], classes=inp["classes"],
                         requirement=p["requirement"], method=p["method"] if p["method"] != "fixed" else "milp",
                         time_limit=p["time_limit"], mip_rel_gap=p["mip_rel_gap"], **inp.get("dates", {}))
