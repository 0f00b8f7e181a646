"""The capacity plan: weekly demand against cohort supply, hires chosen by one MILP."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .. import _validation as v
from ._checks import check_known, rows_error
from .demand import FTE_BASIS
from .cohorts import (_build_base, _Cohorts, _cohort_table, _hire_cohorts, _make, _project, _release_cohorts,
                      _weekly, _weekly_frame)
from .hiring import _first_full, _greedy, _problem, _solve
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
    if len(d) == 0:
        raise ValueError("demand has no rows: it needs one row per site and week (site, week, required_fte). "
                         "Build it with wfm.capacity.weekly_demand.")
    sites = [str(s) for s in pd.unique(d["site"].astype(str))]
    weeks = pd.Index(pd.unique(d["week"])).sort_values()
    _check_consecutive(weeks)
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


def _check_consecutive(weeks):
    """The plan's weeks follow each other: dates 7 days apart, or week numbers 1 apart (week 0 is the first)."""
    if len(weeks) < 2:
        return
    if isinstance(weeks, pd.DatetimeIndex):
        steps = np.diff(weeks.to_numpy()) / np.timedelta64(1, "D")
        bad = steps != 7
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(f"demand['week'] must be consecutive weeks, 7 days apart (each week's first day); "
                             f"{weeks[i].date()} is followed by {weeks[i + 1].date()}, "
                             f"{steps[i]:g} day(s) later ({int(bad.sum())} such step(s)). "
                             "Give one row per week, e.g. dates from pd.date_range(start, periods=n, freq='7D'), "
                             "and fill a missing week rather than leave it out.")
        return
    try:
        nums = np.asarray(weeks, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"demand['week'] must hold week-start dates or week numbers; got "
                        f"{type(weeks[0]).__name__} values such as {weeks[0]!r}.") from None
    bad = np.diff(nums) != 1
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"demand['week'] must be consecutive week numbers; week {nums[i]:g} is followed by "
                         f"{nums[i + 1]:g} ({int(bad.sum())} gap(s)). The plan counts weeks from the first, so a "
                         "gap would shift every later week: give every week, with its required_fte.")


def capacity_plan(demand, staff, rules=None, *, transfers=None, classes=None, requirement="forecast",
                  method="milp", hires=None, time_limit=20.0, mip_rel_gap=1e-3, n_jobs=2,
                  decompose=True, dayfirst=None, date_format=None):
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
        ``site``, ``week``, ``headcount`` (whole heads; negative: planned leavers).
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
        With ``rules.site_transfers`` the sites are coupled and the model is
        solved whole.
    dayfirst : bool, optional
        The staff's numeric ``hire_date`` values are day-first (True:
        ``10/01/2003`` is 10 January) or month-first (False). Without it a
        date that reads both ways is an error, never guessed; ISO dates
        need nothing. See :func:`~wfm.capacity.cohorts.check_staff`.
    date_format : str, optional
        strptime format of the staff's ``hire_date``, e.g. ``"%d/%m/%Y"``.

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
    >>> round(plan.figures()["total_cost"])
    221750
    """
    r = capacity_rules(rules)
    v.check_choice(method, "method", METHODS)
    ctx = _prepare(demand, staff, r, transfers=transfers, classes=classes, requirement=requirement,
                   dates={"dayfirst": dayfirst, "date_format": date_format})
    sites, week_index, W = ctx["sites"], ctx["week_index"], ctx["weeks"]
    if method == "fixed":
        if hires is None:
            raise ValueError("method='fixed' needs hires=: a table of site, week (start week) and heads.")
        x_rows = _fixed_hires(hires, sites, W)
        r_fixed = r.model_copy(update={"start_weeks": sorted(set(x_rows["week"]) | set(
            r.start_weeks if r.start_weeks is not None else range(r.lead_time_weeks, W)))})
        prob = _problem(r_fixed, **ctx["problem"])
        x = np.zeros((len(sites), len(prob.starts)), dtype=int)
        k_of = {w: k for k, w in enumerate(prob.starts)}
        for s, w, h in zip(x_rows["site_pos"], x_rows["week"], x_rows["heads"]):
            x[s, k_of[w]] += h
        info = {"status": "fixed", "mip_gap": None, "objective": None, "optimal": None}
    else:
        if hires is not None:
            raise ValueError(f"hires= is only used with method='fixed'; got method={method!r}.")
        prob = _problem(r, **ctx["problem"])
        _check_hard_binds(prob, W)
        if method == "milp":
            x, info = _solve(prob, time_limit=time_limit, mip_rel_gap=mip_rel_gap, n_jobs=n_jobs,
                             decompose=decompose)
        else:
            x = _greedy(prob)
            info = {"status": "greedy", "mip_gap": None, "objective": None, "optimal": None}
    ev = prob.evaluate(x)
    if info["objective"] is None:
        info["objective"] = ev["cost"]
    x, released, moves = prob.split(x, moves=True)
    co = _Cohorts.concat([ctx["base"], _hire_cohorts(x, prob.starts, r),
                          _release_cohorts(released, prob.rweeks, r), _move_cohorts(moves, prob.mweeks, r)])
    arr = _project(co, r, W, ctx["season"])
    table, s_idx, k_idx = _plan_table(ctx, prob, x, ev, co, arr)
    first_full = _first_full(r, prob.starts, W)
    _warn_short_before_reach(table, r, first_full, len(sites), W)
    hiring = pd.DataFrame({"site": np.asarray(sites, dtype=object)[s_idx], "start_week": prob.starts[k_idx],
                           "week": np.asarray(week_index)[prob.starts[k_idx]], "heads": x[s_idx, k_idx],
                           "graduation_week": prob.starts[k_idx] + r.training_weeks})
    params = {"rules": r.model_dump(), "requirement": requirement, "method": method, "sites": sites, "weeks": W,
              "start": ctx["start"], "time_limit": time_limit, "mip_rel_gap": mip_rel_gap, "n_jobs": n_jobs,
              "level": demand.attrs.get("level"), "fte_basis": demand.attrs.get("fte_basis", FTE_BASIS),
              "first_full_week": first_full, **info}
    a, b, li = np.nonzero(moves > 0)
    inputs = {"demand": demand, "staff": staff, "transfers": transfers, "classes": classes, "rules": r,
              "x": x, "starts": prob.starts, "releases": released, "release_weeks": prob.rweeks, "cohorts": co,
              "site_transfers": pd.DataFrame({"from_site": np.asarray(sites, dtype=object)[a],
                                              "to_site": np.asarray(sites, dtype=object)[b],
                                              "week": prob.mweeks[li], "heads": moves[a, b, li]}),
              "season": ctx["season"], "month": ctx["month"],
              "dates": {"dayfirst": dayfirst, "date_format": date_format}}
    return CapacityPlan(table=table, cohorts=_cohort_table(co, arr, r, sites, week_index), hiring=hiring,
                        params=params, inputs=inputs)


def _move_cohorts(moves, mweeks, rules):
    """Cohorts of the decided moves between sites (S x S x L): minus at the site left, plus at the site joined."""
    a, b, li = np.nonzero(moves > 0)
    n = moves[a, b, li]
    site = np.r_[a, b]
    week = np.r_[mweeks[li], mweeks[li]]
    heads = np.r_[-n, n]
    labels = [f"move w{w}" for w in week]
    return _make(site, labels, ["transfer"] * len(site), week, np.full(len(site), rules.tenured_age()), heads,
                 np.zeros(len(site)))


def _months(week_index):
    """Month number of each week (dated: the 4th day's calendar month; numbered: floor(12 t / 52))."""
    if isinstance(week_index, pd.DatetimeIndex):
        thu = week_index + pd.Timedelta(days=3)
        key = thu.year * 12 + thu.month - 1
        return np.asarray(key - key.min(), dtype=int)
    return np.floor(np.arange(len(week_index)) * 12 / 52).astype(int)


def _prepare(demand, staff, r, *, transfers=None, classes=None, requirement="forecast", dates=None):
    """Demand arrays, base cohorts and the keyword arguments of the hiring problem."""
    sites, week_index, req, col = _demand_arrays(demand, requirement)
    W = len(week_index)
    if W <= r.lead_time_weeks:
        raise ValueError(f"the demand's horizon ({W} weeks) must be longer than rules.lead_time_weeks "
                         f"({r.lead_time_weeks}): no class could start inside the plan. Lengthen the horizon or "
                         "shorten the lead time.")
    start = week_index[0] if isinstance(week_index, pd.DatetimeIndex) else None
    season = r.season_of(week_index)
    month = _months(week_index)
    base = _build_base(staff, r, sites, W, transfers=transfers, classes=classes, start=start, season=season,
                       dates=dates)
    arr = _project(base, r, W, season)
    S = len(sites)

    def by_site(values):
        out = np.zeros((S, W))
        np.add.at(out, base.site, values)
        return out

    floor = arr["present"] & ~arr["training"]
    is_class = (np.asarray(base.kind, dtype=object) == "class")[:, None]
    problem = {"base_cohorts_prod": by_site(arr["heads"] * arr["prod"] * r.fte_per_head),
               "target": req[col] * (1.0 - r.tolerance), "weeks": W, "season": season, "month": month,
               "base_floor": by_site(np.where(floor, arr["heads"], 0.0)),
               "base_trainees": by_site(np.where(arr["training"], arr["heads"], 0.0)),
               "base_classes": by_site((arr["training"] & is_class).astype(float))}
    return {"sites": sites, "week_index": week_index, "req": req, "col": col, "weeks": W, "start": start,
            "season": season, "month": month, "base": base, "problem": problem}


def _check_hard_binds(prob, weeks):
    r = prob.rules
    if r.shortfall == "hard" and not prob.hard.any():
        first = _first_full(r, prob.starts, weeks)
        raise ValueError(
            f"rules.shortfall='hard' binds from the first week a new class can be fully productive (week {first}: "
            f"first start + training_weeks + nesting_weeks), but the demand has only {weeks} weeks, so no week "
            "would be held to it. Lengthen the horizon, shorten lead_time_weeks, training or nesting, or use "
            "shortfall='penalty' (and read the gap in plan.table).")


def _warn_short_before_reach(table, r, first_full, n_sites, weeks):
    if r.shortfall != "hard":
        return
    gap = table["gap_fte"].to_numpy().reshape(n_sites, weeks)
    req = table["required_fte"].to_numpy().reshape(n_sites, weeks)
    early = (gap[:, :first_full] > r.tolerance * req[:, :first_full] + 1e-9)
    if early.any():
        warnings.warn(
            f"rules.shortfall='hard' binds from week {first_full} (the first week a new class can be fully "
            f"productive); {int(early.sum())} site-week(s) before it are short beyond the tolerance, "
            f"{gap[:, :first_full].sum():,.1f} FTE-weeks in all, which no hire can close (see "
            "plan.table['shortfall_reason']). Add committed classes or transfers, or overtime, for those weeks.",
            UserWarning, stacklevel=3)


def _plan_table(ctx, prob, x, ev, co, arr):
    """The weekly table of a plan: supply, demand, gap and the cost columns; the started classes (s, k)."""
    r = prob.rules
    sites, week_index, req, col, W = ctx["sites"], ctx["week_index"], ctx["req"], ctx["col"], ctx["weeks"]
    totals = _weekly(co, arr, r, len(sites), W)
    table = _weekly_frame(totals, sites, week_index)
    # heads are whole: the expected heads (fractional under expected attrition) are kept beside them
    for c in ("trainees", "headcount"):
        table[c + "_expected"] = table[c]
        table[c] = np.floor(table[c] + 0.5 + 1e-9).astype(int)
    for c in ("hires", "committed_hires", "releases"):     # whole by construction (decisions and class sizes)
        table[c] = np.rint(table[c]).astype(int)
    lead = ["site", "week"] + [c for c in ("required_fte", "required_fte_lower", "required_fte_upper") if c in req]
    for c in lead[2:]:
        table[c] = req[c].ravel()
    table["month_index"] = np.tile(ctx["month"], len(sites))  # 0 = the plan's first month, as the MILP's limits
    table["month"] = (np.tile((week_index + pd.Timedelta(days=3)).to_period("M"), len(sites))  # as monthly()
                      if isinstance(week_index, pd.DatetimeIndex) else table["month_index"])
    table["overtime_fte"] = ev["overtime"].ravel()
    gap = np.maximum(req[col] - totals["available_fte"] - ev["overtime"], 0.0)
    table["gap_fte"] = gap.ravel()
    table["penalised_gap_fte"] = ev["gap"].ravel()
    first_full = _first_full(r, prob.starts, W)
    short = gap > r.tolerance * req[col] + 1e-9
    reason = np.where(~short, "", np.where(np.arange(W)[None, :] < first_full, "before_hires_reach",
                                           "penalty_below_hiring_cost" if r.shortfall == "penalty" else "hard_limit"))
    table["shortfall_reason"] = reason.ravel()
    classes_started = np.zeros((len(sites), W))
    s_idx, k_idx = np.nonzero(x > 0)
    np.add.at(classes_started, (s_idx, prob.starts[k_idx]), 1.0)
    table["classes_started"] = classes_started.ravel().astype(int)
    recruiting = (r.cost_per_hire * totals["hires"] if r.hire_priced  # no cost given: n/a where heads are hired
                  else np.where(totals["hires"] > 0, np.nan, 0.0))
    table["hiring_cost"] = (recruiting + r.cost_per_class * classes_started).ravel()
    table["training_cost"] = (r.training_cost_per_hire * totals["hires"]
                              + r.trainer_cost_per_week * r.training_weeks * classes_started).ravel()
    trainee_fte = table["trainees_expected"] * r.fte_per_head
    rate = r.cost_per_paid_hour if r.priced else np.nan  # no cost given: pay is n/a, never an invented rate
    trainee_rate = rate if r.trainee_cost_per_paid_hour is None else r.trainee_cost_per_paid_hour
    table["paid_cost"] = ((table["paid_fte"] - trainee_fte) * rate
                          + trainee_fte * trainee_rate) * r.fte_hours_per_week
    table["release_cost"] = table["releases"] * r.cost_per_release
    unpriced = 0.0 if r.priced else np.nan  # overtime (and a penalty derived from pay) cost n/a, none costs 0
    table["overtime_cost"] = np.where(table["overtime_fte"] > 0, table["overtime_fte"] * r.overtime_cost
                                      + unpriced, 0.0)
    penalty = r.penalty + (0.0 if r.shortfall_penalty is not None else unpriced)
    table["gap_cost"] = np.where(table["penalised_gap_fte"] > 0, table["penalised_gap_fte"] * penalty, 0.0)
    order = lead + ["month", "month_index", "available_fte", "available_fte_staff", "available_fte_hires", "overtime_fte",
                    "gap_fte", "penalised_gap_fte", "shortfall_reason", "trainees", "headcount",
                    "trainees_expected", "headcount_expected", "hires", "committed_hires", "classes_started",
                    "graduates", "transfers", "releases", "leavers", "training_leavers", "paid_fte", "hiring_cost",
                    "training_cost", "paid_cost", "release_cost", "overtime_cost", "gap_cost"]
    return table[order], s_idx, k_idx


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
