"""The capacity plan: weekly demand against cohort supply, hires chosen by one MILP."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _validation as v
from ._checks import check_known, rows_error
from .cohorts import _build_base, _Cohorts, _cohort_table, _hire_cohorts, _project, _weekly, _weekly_frame
from .hiring import _greedy, _problem, _solve
from .result import CapacityPlan
from .rules import capacity_rules

__all__ = ["capacity_plan", "METHODS"]

#: How the hires are chosen.
METHODS = ("milp", "greedy", "fixed")
_REQUIREMENT = {"forecast": "required_fte", "lower": "required_fte_lower", "upper": "required_fte_upper"}


def _demand_arrays(demand, requirement):
    v.check_frame_columns(demand, "demand", ["site", "week", "required_fte"],
                          hint="Build it with wfm.capacity.weekly_demand (or required_fte).")
    v.check_choice(requirement, "requirement", tuple(_REQUIREMENT))
    col = _REQUIREMENT[requirement]
    if col not in demand:
        raise ValueError(f"requirement={requirement!r} needs the demand column {col!r}; the demand has "
                         f"{list(demand.columns)[:12]}.")
    d = demand.reset_index(drop=True)
    sites = [str(s) for s in pd.unique(d["site"].astype(str))]
    weeks = pd.Index(pd.unique(d["week"])).sort_values()
    site_pos = d["site"].astype(str).map({s: i for i, s in enumerate(sites)}).to_numpy()
    week_pos = weeks.get_indexer(d["week"])
    dup = pd.Series(list(zip(site_pos, week_pos))).duplicated().to_numpy()
    if dup.any():
        raise rows_error("demand['week']", "must name each week once per site", dup, np.arange(len(d)),
                           values=d["week"].to_numpy())
    if len(d) != len(sites) * len(weeks):
        raise ValueError(f"demand must hold every week for every site: {len(sites)} sites x {len(weeks)} weeks = "
                         f"{len(sites) * len(weeks)} rows; got {len(d)}.")
    out = {}
    for c in ("required_fte", "required_fte_lower", "required_fte_upper", col):
        if c in d:
            vals = v.as_float_array(d[c], f"demand[{c!r}]")
            v.check_nonnegative(vals, f"demand[{c!r}]", "FTE")
            arr = np.zeros((len(sites), len(weeks)))
            arr[site_pos, week_pos] = vals
            out[c] = arr
    return sites, weeks, out, col


def capacity_plan(demand, staff, rules=None, *, transfers=None, classes=None, requirement="forecast",
                  method="milp", hires=None, time_limit=20.0, mip_rel_gap=1e-3, n_jobs=2,
                  decompose=True):
    """
    Long-term capacity plan: the cheapest hiring classes that keep each week's shortfall within tolerance.

    Supply is projected by cohorts (:mod:`wfm.capacity.cohorts`: expected
    attrition by tenure band, classroom training, nesting with a learning
    curve), and the class sizes and start weeks are chosen by one MILP over
    every site and week (:mod:`wfm.capacity.hiring`, HiGHS through
    :func:`scipy.optimize.milp`): hiring, paid-hour, overtime and shortfall
    costs against the required productive FTE of ``demand``. The expected
    (deterministic) attrition plan is the core; :func:`capacity_risk` adds
    its Monte Carlo risk.

    Parameters
    ----------
    demand : DataFrame
        One row per site and week with ``site``, ``week`` and
        ``required_fte`` [FTE] (optionally ``required_fte_lower`` /
        ``_upper``), e.g. from :func:`weekly_demand`. Week 0 is the first week.
    staff : DataFrame
        Current staff by cohort or per agent; see :func:`staff_cohorts`.
    rules : dict or CapacityRules, optional
        Attrition, hiring classes, costs and shortfall rules; see
        :class:`CapacityRules`.
    transfers : DataFrame, optional
        ``site``, ``week``, ``headcount`` (negative: planned leavers).
    classes : DataFrame, optional
        Classes already committed: ``site``, ``start_week``, ``size``,
        optional ``graduation_week``.
    requirement : {"forecast", "lower", "upper"}
        Plan to the forecast's required FTE or to an end of its band.
    method : {"milp", "greedy", "fixed"}
        ``"milp"``: the optimum; ``"greedy"``: hire when the gap appears
        minus the training time (the benchmark's heuristic); ``"fixed"``:
        cost the hiring plan given as ``hires``.
    hires : DataFrame, optional
        With ``method="fixed"``: ``site``, ``week`` (start week, 0-based),
        ``heads``.
    time_limit : float
        MILP time limit per site. [s]
    mip_rel_gap : float
        Relative MIP gap at which HiGHS stops (0.001: within 0.1% of the
        cheapest plan's cost, far below the forecast's uncertainty; 0 proves
        optimality, which on 78 weeks with weekly class starts can take
        seconds per site). ``params["mip_gap"]`` reports the gap proven.
    n_jobs : int
        Threads solving the sites' blocks of the MILP (no rule couples sites,
        so the MILP is block diagonal and each site is solved on its own; the
        optimum is the same).
    decompose : bool
        Solve the MILP site by site (default) or as one model over all
        sites; both give the same optimum (tested), the blocks far faster.

    Returns
    -------
    plan : CapacityPlan

    Raises
    ------
    ValueError
        For bad input, naming the field: a horizon shorter than the lead time
        (``rules.lead_time_weeks``), a committed class shorter than its
        training (``classes['graduation_week']``), negative rates or
        attrition of 100% or more (``rules.attrition``), unknown sites
        (``staff['site']``), ...

    References
    ----------
    .. [1] G. Koole, *Call Center Optimization*, MG books, 2013, ch. 10
       (long-term planning: hiring and training under attrition).

    Examples
    --------
    Twelve weeks needing 20 FTE, 18 tenured agents, 2% weekly attrition,
    classes of 2-6 heads starting from week 2 with 2 weeks of training and
    no nesting:

    >>> demand = pd.DataFrame({"site": "all", "week": range(12), "required_fte": 20.0})
    >>> staff = pd.DataFrame({"tenure_weeks": [100], "headcount": [18]})
    >>> rules = {"attrition": {0: 0.02}, "training_attrition": 0, "lead_time_weeks": 2, "training_weeks": 2,
    ...          "nesting_weeks": 0, "class_min": 2, "class_max": 6, "cost_per_hire": 1000,
    ...          "cost_per_paid_hour": 20, "shortfall_penalty": 3000}
    >>> plan = capacity_plan(demand, staff, rules)
    >>> plan.hiring[["start_week", "heads"]].to_dict("records")
    [{'start_week': 2, 'heads': 4}, {'start_week': 5, 'heads': 2}]
    >>> round(plan.summary()["total_cost"])
    221750
    """
    r = capacity_rules(rules)
    v.check_choice(method, "method", METHODS)
    sites, week_index, req, col = _demand_arrays(demand, requirement)
    W = len(week_index)
    if W <= r.lead_time_weeks:
        raise ValueError(f"the demand's horizon ({W} weeks) must be longer than rules.lead_time_weeks "
                         f"({r.lead_time_weeks}): no class could start inside the plan. Lengthen the horizon or "
                         "shorten the lead time.")
    start = week_index[0] if isinstance(week_index, pd.DatetimeIndex) else None
    base = _build_base(staff, r, sites, W, transfers=transfers, classes=classes, start=start)
    base_arr = _project(base, r, W)
    base_prod = np.zeros((len(sites), W))
    np.add.at(base_prod, base.site, base_arr["heads"] * base_arr["prod"] * r.fte_per_head)
    target = req[col] * (1.0 - r.tolerance)
    if method == "fixed":
        if hires is None:
            raise ValueError("method='fixed' needs hires=: a table of site, week (start week) and heads.")
        x_rows = _fixed_hires(hires, sites, W)
        r_fixed = r.model_copy(update={"start_weeks": sorted(set(x_rows["week"]) | set(
            r.start_weeks if r.start_weeks is not None else range(r.lead_time_weeks, W)))})
        prob = _problem(r_fixed, base_prod, target, W)
        x = np.zeros((len(sites), len(prob.starts)), dtype=int)
        k_of = {w: k for k, w in enumerate(prob.starts)}
        for s, w, h in zip(x_rows["site_pos"], x_rows["week"], x_rows["heads"]):
            x[s, k_of[w]] += h
        info = {"status": "fixed", "mip_gap": None, "objective": None, "optimal": None}
    else:
        if hires is not None:
            raise ValueError(f"hires= is only used with method='fixed'; got method={method!r}.")
        prob = _problem(r, base_prod, target, W)
        if method == "milp":
            x, info = _solve(prob, time_limit=time_limit, mip_rel_gap=mip_rel_gap, n_jobs=n_jobs,
                             decompose=decompose)
        else:
            x = _greedy(prob)
            info = {"status": "greedy", "mip_gap": None, "objective": None, "optimal": None}
    ev = prob.evaluate(x)
    if info["objective"] is None:
        info["objective"] = ev["cost"]
    co = _Cohorts.concat([base, _hire_cohorts(x, prob.starts, r)])
    arr = _project(co, r, W)
    totals = _weekly(co, arr, r, len(sites), W)
    table = _weekly_frame(totals, sites, week_index)
    lead = ["site", "week"] + [c for c in ("required_fte", "required_fte_lower", "required_fte_upper") if c in req]
    for c in lead[2:]:
        table[c] = req[c].ravel()
    table["overtime_fte"] = ev["overtime"].ravel()
    table["gap_fte"] = np.maximum(req[col] - totals["available_fte"] - ev["overtime"], 0.0).ravel()
    table["penalised_gap_fte"] = ev["gap"].ravel()
    classes_started = np.zeros((len(sites), W))
    s_idx, k_idx = np.nonzero(x > 0)
    np.add.at(classes_started, (s_idx, prob.starts[k_idx]), 1.0)
    table["hiring_cost"] = (r.cost_per_hire * totals["hires"] + r.cost_per_class * classes_started).ravel()
    table["paid_cost"] = table["paid_fte"] * r.fte_hours_per_week * r.cost_per_paid_hour
    table["overtime_cost"] = table["overtime_fte"] * r.overtime_cost
    table["gap_cost"] = table["penalised_gap_fte"] * r.penalty
    order = lead + ["available_fte", "available_fte_staff", "available_fte_hires", "overtime_fte", "gap_fte",
                    "penalised_gap_fte", "trainees", "headcount", "hires", "committed_hires", "graduates",
                    "transfers", "leavers", "training_leavers", "paid_fte", "hiring_cost", "paid_cost",
                    "overtime_cost", "gap_cost"]
    table = table[order]
    hiring = pd.DataFrame({"site": np.asarray(sites, dtype=object)[s_idx], "start_week": prob.starts[k_idx],
                           "week": np.asarray(week_index)[prob.starts[k_idx]], "heads": x[s_idx, k_idx],
                           "graduation_week": prob.starts[k_idx] + r.training_weeks})
    params = {"rules": r.model_dump(), "requirement": requirement, "method": method, "sites": sites, "weeks": W,
              "start": start, "time_limit": time_limit, "mip_rel_gap": mip_rel_gap, "n_jobs": n_jobs, **info}
    inputs = {"demand": demand, "staff": staff, "transfers": transfers, "classes": classes, "rules": r,
              "x": x, "starts": prob.starts, "cohorts": co}
    return CapacityPlan(table=table, cohorts=_cohort_table(co, arr, r, sites, week_index), hiring=hiring,
                        params=params, inputs=inputs)


def _fixed_hires(hires, sites, weeks):
    v.check_frame_columns(hires, "hires", ["week", "heads"], hint="hires: site, week (start week), heads.")
    h = hires.reset_index(drop=True)
    rows = np.arange(len(h))
    wk = v.as_float_array(h["week"], "hires['week']")
    bad = (wk < 0) | (wk >= weeks) | (wk != np.floor(wk))
    if bad.any():
        raise rows_error("hires['week']", f"must be whole start weeks in [0, {weeks})", bad, rows,
                           values=wk)
    heads = v.as_float_array(h["heads"], "hires['heads']")
    bad = (heads < 0) | (heads != np.floor(heads))
    if bad.any():
        raise rows_error("hires['heads']", "must be whole heads >= 0", bad, rows, values=heads)
    if "site" in h:
        check_known(h["site"], "hires['site']", sites)
        pos = h["site"].astype(str).map({s: i for i, s in enumerate(sites)}).to_numpy()
    elif len(sites) == 1:
        pos = np.zeros(len(h), dtype=int)
    else:
        raise ValueError(f"hires needs a site column: the demand has {len(sites)} sites.")
    return {"site_pos": pos, "week": wk.astype(int), "heads": heads.astype(int)}
