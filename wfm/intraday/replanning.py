r"""
Re-plan the rest of the day: the staffing gap and the least-cost actions that close it.

:func:`replan` takes the reforecast (:func:`wfm.intraday.reforecast`), the
day's schedule (one row per agent, or a shift table with an ``agents``
count, e.g. ``wfm.schedule_week(...).shifts``) and the shift rules it was
built with, and finds the cheapest set of

* **break moves**: a break or lunch not yet started moves to another start
  inside its window (the template's ``start_after``, counted from the
  shift's start) and inside the shift; free;
* **overtime**: a shift ends later, or (not yet started) starts earlier, by
  whole intervals, at most ``max_overtime`` and within ``max_paid`` paid
  hours; paid at ``overtime_premium`` times the template's cost per hour;
* **extra shifts** (``extra_shifts``): agents called in for a whole shift
  of a template, from ``now``, paid at the overtime premium;
* **voluntary time off** (VTO): a shift ends earlier, never before the end
  of its last break's window nor below ``min_paid`` paid hours; saves the
  template's cost per hour times ``vto_saving``,

so that agents on the phones meet the required agents
(:func:`wfm.required_agents` on the reforecast) on every interval from
``now``, as a mixed-integer program solved by HiGHS
(``scipy.optimize.milp``). Agents with identical shifts form one group with
integer counts, which is exact: any counts can be handed to the group's
agents one action each. Where no action can close the gap, the shortfall is
allowed at a penalty per agent-interval and reported.

References
----------
.. [1] S. E. Bechtold and L. W. Jacobs, "Implicit modeling of flexible break
   assignments in optimal shift scheduling", Management Science 36(11),
   1339-1351, 1990 (breaks within windows in a covering MILP).
.. [2] G. Koole, "Call Center Optimization", MG books, 2013, chapter 10
   (intraday: rescheduling breaks, overtime and voluntary time off).
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from .. import _validation as v
from .._results import Result
from ..erlang import SL_DEFINITIONS
from ..erlang import service_level as _service_level
from ..schedule import schedule_rules
from ..staffing import required_agents
from .reforecasting import clock_axis
from ._checks import check_now
from ._replan_table import _interval_overlap, agent_rows, apply_actions, coverage_counts, group_rows

_PENALTY = 1e4  # cost of one agent-interval short, far above any action's

#: HiGHS without its sub-MIP heuristics (RENS, RINS). A sub-MIP's solution comes back through two presolves and can
#: break the original rows by a hair; HiGHS 1.12 (bundled by scipy 1.17, the last for Python 3.11) then repairs it
#: with an LP and prints "HighsMipSolverData::transformNewIntegerFeasibleSolution tmpSolver.run();" from C, which
#: no log option silences (ERGO-Code/HiGHS issue 2783). Off, it never came in the MILPs of 48 re-plans of the bank's
#: days (10 lines before); they took as long, and cost the same to within the 1% gap asked for (2% in one solve cut
#: short by a 2 s time limit).
_QUIET_HIGHS = {"mip_heuristic_run_rens": False, "mip_heuristic_run_rins": False}


@dataclass(frozen=True)
class Replan(Result):
    """
    The rest of the day's staffing gap and the actions that close it; built by :func:`replan`.

    Attributes
    ----------
    table : DataFrame
        One row per interval from ``now``: ``calls`` (reforecast), ``aht``
        [s], ``required`` (agents), ``scheduled_before`` and
        ``scheduled_after`` (agents on the phones), ``gap_before`` and
        ``gap_after`` (scheduled minus required; negative is short),
        ``service_level_before`` and ``service_level_after`` (expected,
        with the reforecast calls, by ``params["sl_definition"]``; agents on
        the phones for part of an interval, around a break, counted down to
        whole agents) and ``service_level_target``.
    actions : DataFrame
        One row per agent and action: ``agent``, ``action`` (``"move_break"``,
        ``"overtime"``, ``"vto"``, ``"extra_shift"``), ``start`` and ``end`` of the time
        concerned, ``from`` and ``to`` (the break's old and new start, or
        the shift's old and new end / start), ``hours`` [h] and ``cost``
        [cost units; negative for a saving].
    schedule : DataFrame
        The day's schedule after the actions, one row per agent (``agent``,
        ``name``, ``start``, ``end``, ``breaks``), ready for
        :func:`wfm.simulate`.
    params : dict
        The arguments, the solver's status, objective and seconds.
    """

    table: pd.DataFrame
    actions: pd.DataFrame
    schedule: pd.DataFrame
    params: dict = field(default_factory=dict)

    LABELS = {"intervals_short_before": "intervals short, before", "intervals_short_after": "intervals short, after",
              "service_level_before": "expected service level, before", "service_level_after":
              "expected service level, after", "overtime_hours": "overtime [h]", "vto_hours": "VTO [h]",
              "breaks_moved": "breaks moved", "extra_shifts": "extra shifts", "cost": "cost of the actions"}

    def sheets(self):
        return {"intervals": self.table, "actions": self.actions, "schedule": self.schedule}

    def figures(self):
        """
        ``intervals_short_before``/``_after`` [count], ``service_level_before``/``_after`` (call-weighted,
        [0-1]), ``overtime_hours``, ``vto_hours`` [h], ``breaks_moved``, ``extra_shifts`` [count],
        ``cost`` [cost units].
        """
        t, a = self.table, self.actions
        w = t["calls"].to_numpy()
        wsum = max(w.sum(), 1e-12)
        return {"intervals_short_before": int((t["gap_before"] < 0).sum()),
                "intervals_short_after": int((t["gap_after"] < 0).sum()),
                "service_level_before": float((t["service_level_before"] * w).sum() / wsum),
                "service_level_after": float((t["service_level_after"] * w).sum() / wsum),
                "overtime_hours": float(a.loc[a["action"] == "overtime", "hours"].sum()),
                "vto_hours": float(a.loc[a["action"] == "vto", "hours"].sum()),
                "breaks_moved": int((a["action"] == "move_break").sum()),
                "extra_shifts": int((a["action"] == "extra_shift").sum()),
                "cost": float(a["cost"].sum())}

    def plot(self, ax=None, *, currency=None, **kwargs):
        """
        Required agents and agents on the phones before and after, per interval; returns the Axes.

        The title gives the actions' cost in ``currency`` (e.g. ``"USD"``), or, without one, says it is in the
        units of the rules' ``cost_per_paid_hour``.
        """
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(10, 4))
        t = self.table
        ax.step(t.index, t["required"], where="post", color="k", label="required", **kwargs)
        ax.step(t.index, t["scheduled_before"], where="post", color="C3", label="scheduled before")
        ax.step(t.index, t["scheduled_after"], where="post", color="C2", label="scheduled after")
        clock_axis(ax, t.index)
        ax.set_ylabel("agents")
        unit = f" {currency}" if currency else " (units of the rules' cost_per_paid_hour)"
        ax.set_title(f"Re-plan from {self.params['now']:%H:%M}: actions cost {self.figures()['cost']:,.0f}{unit}")
        ax.legend(loc="upper right", fontsize="small")
        return ax

    def __repr__(self):
        return f"Replan({len(self.actions)} actions)\n{self._summary_text()}"

    def _repr_html_(self):
        return ("<h4>Replan</h4>" + self.summary().to_html(float_format=lambda x: f"{x:,.3f}")
                + self.actions.head(40).to_html() + self.table.to_html(float_format=lambda x: f"{x:.2f}"))


def _calls_of(reforecast):
    """The calls per interval and the reforecast's ``now`` (None for a table or a Series)."""
    table = getattr(reforecast, "table", reforecast)
    if isinstance(table, pd.Series):
        return table.astype(float), None
    v.check_frame_columns(table, "reforecast", ["reforecast"],
                          hint="Pass wfm.intraday.reforecast(...) or its table.")
    now = getattr(reforecast, "params", {}).get("now")
    return table["reforecast"].astype(float), now


def _duration(value, name):
    return v.check_duration(value, name, allow_zero=True)


def replan(reforecast, schedule, rules, *, aht, service_level=0.8, threshold=20, model="erlang_c", patience=None,
           sl_definition="offered", now=None, max_overtime="2h", max_vto="4h", min_paid="4h", max_paid="10h",
           overtime_premium=1.5, vto_saving=1.0, extra_shifts=True, target="day", time_limit=4.0):
    """
    Required agents for the rest of the day, the gap, and the least-cost actions that close it.

    Parameters
    ----------
    reforecast : Reforecast, DataFrame or Series
        :func:`wfm.intraday.reforecast`'s result (or its table, or calls per
        interval): the calls expected per interval of the day. [calls per
        interval]
    schedule : DataFrame or SchedulePlan
        The day's shifts: one row per agent (``agent``, ``name``, ``start``,
        ``end``, ``breaks``) or per shift with an ``agents`` count
        (``SchedulePlan.shifts``). ``name`` is the shift template of
        ``rules``; ``breaks`` lists ``(start, end[, paid])`` in the order of
        the template's breaks. Every shift is on the reforecast's day.
    rules : dict or ScheduleRules
        The shift rules the schedule follows (break windows, costs), as in
        :func:`wfm.schedule_week`.
    aht : float or Series
        Average handle time per interval. [s]
    service_level, threshold, model, patience
        The service target, as in :func:`wfm.required_agents`. [0-1], [s]
    sl_definition : {"offered", "exclude_short_abandons"}
        The service level's base, as in :func:`wfm.required_agents` and the
        staffing plan the schedule came from: ``"offered"`` (default), or
        offered calls less those abandoned within ``threshold``. Every
        service level replan works with (the requirement, the day's target,
        the table's before and after) uses it; with Erlang C (no
        abandonment) both are the same.
    now : timestamp, optional
        Actions start at or after it; default the reforecast's ``now``.
    max_overtime, max_vto : duration
        Longest overtime and voluntary time off per agent. ["2h", "4h"]
    min_paid, max_paid : duration
        Paid length a changed shift must keep within. ["4h", "10h"]
    overtime_premium : float
        Multiplier of the template's cost per paid hour for an hour of
        overtime or of an extra shift: 1.5 for time and a half, 2 for double
        time. [ratio, above 0 and at most 5] Below 1 is allowed (overtime
        paid at straight time, without the loaded cost's overheads); above 5
        no contract pays, and the value is taken for a percentage (150 for
        1.5) or a premium on top (50 for 1.5) and refused with the fix.
    vto_saving : float
        Share of the template's cost per hour an hour of VTO saves. [0-1; 80
        is refused as a percentage, as a service level of 80 is]
    extra_shifts : bool
        Also consider whole extra shifts of the rules' templates (agents
        called in), starting from ``now``, breaks at the start of their
        windows, paid at ``overtime_premium``. The cheapest mix wins, so the
        actions never cost more than closing the gap with whole shifts alone.
    target : {"day", "interval"}
        ``"day"`` (default): the call-weighted expected service level over
        the rest of the day meets ``service_level`` at least cost, each
        interval credited by the concave majorant of its Erlang curve (exact
        above the curve's bend; solved for the target plus 0.01, then up to
        0.06 more if the day's actual figure falls short), and every interval
        keeps more agents than its load where the actions allow. Intervals
        a surge puts out of reach are made up for by the others.
        ``"interval"``: every interval meets :func:`wfm.required_agents` at
        ``service_level`` where the actions allow.
    time_limit : float
        Time limit of each solve; the best plan found by then is used and
        ``params["status"]`` says so. [s]

    Returns
    -------
    Replan

    Raises
    ------
    ValueError
        When a shift of ``schedule`` is on another day than the reforecast
        (the message names both dates), names a template ``rules`` lacks,
        or its breaks do not match the template's; when ``now`` is on
        another clock than the reforecast (naive against a time zone), the
        reforecast holds NaN from ``now`` on (closed hours need 0 calls),
        ``overtime_premium`` or ``vto_saving`` is out of its range, or
        ``sl_definition`` is not one of the above.
    """
    v.check_choice(sl_definition, "sl_definition", SL_DEFINITIONS)   # the check and message of wfm.required_agents
    with warnings.catch_warnings():                        # each unit slip said once, here, not once per formula
        v.warn_queue_units(aht=aht, threshold=threshold, patience=patience,
                           index=aht.index if isinstance(aht, pd.Series) else None)
        warnings.simplefilter("ignore", v.UnitWarning)
        return _replan(reforecast, schedule, rules, aht=aht, service_level=service_level, threshold=threshold,
                       model=model, patience=patience, sl_definition=sl_definition, now=now,
                       max_overtime=max_overtime, max_vto=max_vto, min_paid=min_paid, max_paid=max_paid,
                       overtime_premium=_premium(overtime_premium), vto_saving=_saving(vto_saving),
                       extra_shifts=extra_shifts, target=target, time_limit=time_limit)


#: The highest overtime premium taken as a multiplier (double time is 2, triple time 3); above it, a percentage.
MAX_OVERTIME_PREMIUM = 5.0


def _premium(value):
    """``overtime_premium`` as a float in (0, :data:`MAX_OVERTIME_PREMIUM`]; a percentage gets the multiplier."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"overtime_premium must be a number (1.5 for time and a half); got {value!r}.") from None
    if 0 < x <= MAX_OVERTIME_PREMIUM:
        return x
    hint = ""
    if x >= 100 and x / 100 <= MAX_OVERTIME_PREMIUM:
        hint = f" Did you mean {x / 100:g}? It is a multiplier, not a percentage."
    elif MAX_OVERTIME_PREMIUM < x < 100:
        hint = (f" Did you mean {1 + x / 100:g} (a premium of {x:g}% on top) or {x / 100:g} ({x:g}% of the cost)? "
                "It is a multiplier, not a percentage.")
    raise ValueError(f"overtime_premium multiplies the shift template's cost per paid hour for overtime and extra "
                     f"shifts (1.5 for time and a half, 2 for double time), above 0 and at most "
                     f"{MAX_OVERTIME_PREMIUM:g}; got {x:g}.{hint}")


def _saving(value):
    """``vto_saving`` as a float in [0, 1], a percentage refused as :func:`wfm._validation.check_fraction` does."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"vto_saving must be a number, a share in [0, 1]; got {value!r}.") from None
    v.check_fraction(np.float64(x), "vto_saving (the share of an hour's cost an hour of VTO saves)", closed_low=True)
    return x


def _rest_of_day(calls, now, name):
    """The day from ``now`` (the date of the first interval at or after it) and its intervals from ``now``."""
    later = calls.index[calls.index >= now]
    day = (later[0] if len(later) else calls.index[-1]).normalize()
    grid = calls.index[(calls.index >= now) & (calls.index.normalize() == day)]
    if not len(grid):
        raise ValueError(f"{name} has no interval at or after now ({now}) on {day:%Y-%m-%d}.")
    gaps = calls.loc[grid].isna().to_numpy()
    if gaps.any():
        at = grid[gaps]
        shown = ", ".join(f"{t:%H:%M}" for t in at[:4]) + (f", ... {at[-1]:%H:%M}" if len(at) > 4 else "")
        raise ValueError(f"{name} holds NaN calls at {len(at)} of the {len(grid)} intervals of {day:%Y-%m-%d} from "
                         f"now ({now:%H:%M}): {shown}. Closed hours have 0 calls: pass {name}.fillna(0) (or leave "
                         "them out); an open interval needs its calls.")
    return day, grid


def _replan(reforecast, schedule, rules, *, aht, service_level, threshold, model, patience, sl_definition, now,
            max_overtime, max_vto, min_paid, max_paid, overtime_premium, vto_saving, extra_shifts, target, time_limit):
    rules = schedule_rules(rules)
    calls, rf_now = _calls_of(reforecast)
    step = v.infer_interval(calls.index, "reforecast")
    now = check_now(now if now is not None else rf_now if rf_now is not None else calls.index[0], calls.index,
                    "reforecast")
    day, grid = _rest_of_day(calls, now, "reforecast")
    agents = agent_rows(schedule, day, caller="replan", day_is=f"the reforecast is for {day:%Y-%m-%d}")
    groups = group_rows(agents, rules, now, step)
    limits = dict(max_overtime=_duration(max_overtime, "max_overtime"), max_vto=_duration(max_vto, "max_vto"),
                  min_paid=_duration(min_paid, "min_paid"), max_paid=_duration(max_paid, "max_paid"))
    calls_rest = calls.loc[grid]
    aht_rest = aht.reindex(grid).to_numpy(dtype=float) if isinstance(aht, pd.Series) else np.full(len(grid),
                                                                                                    float(aht))
    required = np.asarray(required_agents(calls_rest.to_numpy(), aht_rest, step, service_level, threshold,
                                          model=model, patience=patience, sl_definition=sl_definition), dtype=float)
    v.check_choice(target, "target", ("day", "interval"))
    calls_arr = calls_rest.to_numpy()

    def sl(n):                                                # an agent on for part of an interval counts as absent
        return np.asarray(_service_level(calls_arr, aht_rest, step, np.floor(n + 1e-9), threshold, model=model,
                                         patience=patience, sl_definition=sl_definition), dtype=float)

    def day_sl(n):
        return float((sl(n) * calls_arr).sum() / max(calls_arr.sum(), 1e-12))

    before = coverage_counts(agents, grid, step)
    extra = extra_shift_options(rules, grid, step, now, overtime_premium) if extra_shifts else ()
    columns = _columns(groups, grid, step, limits, overtime_premium, vto_saving, extra)
    if target == "interval":
        solution, info = _solve(groups, grid, step, required, before, columns, time_limit)
    else:
        day_spec = dict(curves=[_curve(calls_arr[t], aht_rest[t], step, threshold, model, patience, sl_definition)
                                for t in range(len(grid))], floor=np.floor(calls_arr * aht_rest / step),
                        weights=calls_arr)
        for goal in (service_level + 0.01, service_level + 0.03, service_level + 0.06):
            # the majorant over-credits just above the load: re-solve with a higher goal until the day meets it
            solution, info = _solve(groups, grid, step, required, before, columns, time_limit,
                                    day=dict(day_spec, goal=min(goal, 0.999)))
            new = apply_actions(agents, groups, solution, step, overtime_premium, vto_saving,
                                {t.name: t for t in rules.shifts})[0]
            if day_sl(coverage_counts(new, grid, step)) >= service_level:
                break
        info["goal"] = goal
    new_schedule, actions = apply_actions(agents, groups, solution, step, overtime_premium, vto_saving,
                                          {t.name: t for t in rules.shifts})
    after = coverage_counts(new_schedule, grid, step)
    table = pd.DataFrame({"calls": calls_rest.to_numpy(), "aht": aht_rest, "required": required,
                          "scheduled_before": before, "scheduled_after": after,
                          "gap_before": before - required, "gap_after": after - required,
                          "service_level_before": sl(before), "service_level_after": sl(after),
                          "service_level_target": service_level}, index=grid)
    params = dict(now=now, day=day, interval=step, service_level=service_level, threshold=threshold, model=model,
                  patience=patience, sl_definition=sl_definition, overtime_premium=overtime_premium,
                  vto_saving=vto_saving, **{k: str(x) for k, x in limits.items()}, **info)
    return Replan(table=table, actions=actions, schedule=new_schedule, params=params)


def _curve(calls, aht, step, threshold, model, patience, sl_definition="offered"):
    """Service level of one interval as a function of agents (an array), by ``sl_definition``."""
    def sl(n):
        return np.asarray(_service_level(np.full(len(n), calls), aht, step, n, threshold, model=model,
                                         patience=patience, sl_definition=sl_definition), dtype=float)
    return sl


def extra_shift_options(rules, grid, step, now, premium):
    """Whole shifts of each template starting from ``now`` and ending by the close, breaks at their windows' starts."""
    close = grid[-1] + pd.Timedelta(seconds=step)
    out = []
    for tpl in rules.shifts:
        for start in grid[grid >= now]:
            if start + tpl.span > close:
                break
            delta = _interval_overlap(start, start + tpl.span, grid, step)
            for b in tpl.breaks:
                delta = delta - _interval_overlap(start + b.start_after[0], start + b.start_after[0] + b.length,
                                                  grid, step)
            out.append((tpl, start, delta, tpl.paid_hours * tpl.rate * premium))
    return out


def _columns(groups, grid, step, limits, premium, saving, extra=()):
    """The action columns: coverage change per interval, cost, bound, key; the rows tying them to groups."""
    cols_cov, cols_cost, cols_ub, cols_key, rows_eq, rows_le = [], [], [], [], [], []
    for gi, g in enumerate(groups):
        opts = g["options"](grid, step, limits, premium, saving)
        for b, starts in opts["breaks"]:                      # each movable break (its index b): move some agents'
            s0 = g["break_start"][b]                          # from where it is to another start in its window;
            off0 = dict(starts)[s0]                           # doing nothing is always a plan
            cols = []
            for s, delta in starts:
                if s == s0:
                    continue
                cols_cov.append(delta - off0)
                cols_cost.append(1e-3)
                cols_ub.append(g["n"])
                cols_key.append(("move_break", gi, b, s))
                cols.append(len(cols_cov) - 1)
            if cols:
                rows_le.append((cols, g["n"]))
        action_cols = []
        for kind, k, delta, cost in opts["shift"]:            # one shift change per agent at most
            cols_cov.append(delta)
            cols_cost.append(cost)
            cols_ub.append(g["n"])
            cols_key.append((kind, gi, k, None))
            action_cols.append(len(cols_cov) - 1)
        if action_cols:
            rows_le.append((action_cols, g["n"]))
    for tpl, start, delta, cost in extra:                     # whole extra shifts (call-ins), any number
        cols_cov.append(delta)
        cols_cost.append(cost)
        cols_ub.append(1000.0)
        cols_key.append(("extra_shift", tpl.name, start, None))
    cov = np.column_stack(cols_cov) if cols_cov else np.zeros((len(grid), 0))
    return cov, np.asarray(cols_cost, dtype=float), np.asarray(cols_ub, dtype=float), cols_key, rows_eq, rows_le


def _group_rows(rows, n_total, kind):
    m = sparse.lil_matrix((len(rows), n_total))
    rhs = np.zeros(len(rows))
    for i, (cols, n) in enumerate(rows):
        m[i, cols] = 1.0
        rhs[i] = n
    return LinearConstraint(m.tocsr(), rhs if kind == "eq" else 0.0, rhs)


def _envelope(sl_curve, load_floor, n_hi):
    """
    Lines whose minimum is the least concave majorant of the service level on agents ``load_floor..n_hi``.

    Above the load, Erlang service level rises in agents along an S then a
    concave arc; the majorant is exact on the arc and over-credits only just
    above the load (checked after the solve). Returns (intercepts, slopes).
    """
    n = np.arange(load_floor, n_hi + 1, dtype=float)
    y = sl_curve(n)
    y[0] = 0.0 if load_floor > 0 else y[0]
    hull = []                                                 # upper hull, left to right (monotone chain)
    for i in range(len(n)):
        while len(hull) >= 2:
            (x1, y1), (x2, y2) = (n[hull[-2]], y[hull[-2]]), (n[hull[-1]], y[hull[-1]])
            if (y2 - y1) * (n[i] - x1) <= (y[i] - y1) * (x2 - x1):
                hull.pop()
            else:
                break
        hull.append(i)
    xs, ys = n[hull], y[hull]
    if len(xs) < 2:
        return np.array([ys[0]]), np.array([0.0])
    slopes = np.diff(ys) / np.diff(xs)
    return ys[:-1] - slopes * xs[:-1], slopes


def _solve(groups, grid, step, required, before, columns, time_limit, *, day=None):
    """
    Build and solve the MILP at least cost.

    Without ``day``: agents on the phones meet ``required`` on every
    interval; the shortfall per interval is a continuous variable at a
    penalty far above any action's cost, so intervals no action reaches stay
    short and the rest are covered. With ``day`` (a dict of ``curves`` (one
    service-level function of agents per interval), ``floor`` (each
    interval's load, floored), ``weights`` (calls) and ``goal``): the
    call-weighted service level over the intervals, credited per interval by
    the concave majorant of its curve (:func:`_envelope`), is at least
    ``goal``, and each interval has more agents than its load where it can
    (at a penalty: a queue that cannot drain spills into the next ones).
    """
    T = len(grid)
    cov, cost, ub, keys, rows_eq, rows_le = columns
    n_x = cov.shape[1]
    base = before.astype(float).copy()
    if day is None:
        A = sparse.hstack([sparse.csr_matrix(cov), sparse.identity(T)]).tocsr()
        constraints = [LinearConstraint(A, required - base, np.inf)]
        c = np.r_[cost, np.full(T, _PENALTY)]
        integrality = np.r_[np.ones(n_x), np.zeros(T)]
        upper = np.r_[ub, np.full(T, np.inf)]
        lower = np.zeros(n_total := n_x + T)
    else:
        # variables: x (n_x), agents N (T), credited service level s (T), stability shortfall u (T), day shortfall
        n_total = n_x + 3 * T + 1
        n_hi = base + np.clip(cov, 0, None) @ ub
        iN, iS, iU = n_x, n_x + T, n_x + 2 * T
        # N(t) - cov x = base
        link = sparse.hstack([-sparse.csr_matrix(cov), sparse.identity(T), sparse.csr_matrix((T, 2 * T + 1))])
        rows, cols, vals, lo, hi = [], [], [], [], []
        r = 0
        for t in range(T):
            a, b = _envelope(day["curves"][t], int(day["floor"][t]), int(max(n_hi[t], day["floor"][t] + 1)))
            for ak, bk in zip(a, b):                          # s_t - b N_t <= a
                rows += [r, r]
                cols += [iS + t, iN + t]
                vals += [1.0, -bk]
                lo.append(-np.inf)
                hi.append(ak)
                r += 1
            rows += [r, r]                                    # N_t + u_t >= floor(load) + 1
            cols += [iN + t, iU + t]
            vals += [1.0, 1.0]
            lo.append(day["floor"][t] + 1)
            hi.append(np.inf)
            r += 1
        w = np.asarray(day["weights"], dtype=float)
        w = w / max(w.sum(), 1e-12)
        rows += [r] * (T + 1)                                 # sum w s + shortfall >= goal
        cols += list(range(iS, iS + T)) + [n_total - 1]
        vals += list(w) + [1.0]
        lo.append(day["goal"])
        hi.append(np.inf)
        r += 1
        A = sparse.vstack([link, sparse.csr_matrix((vals, (rows, cols)), shape=(r, n_total))]).tocsr()
        constraints = [LinearConstraint(A, np.r_[base, lo], np.r_[base, hi])]
        c = np.r_[cost, np.zeros(2 * T), np.full(T, _PENALTY), _PENALTY * 1000]
        integrality = np.r_[np.ones(n_x), np.zeros(3 * T + 1)]
        day_index = n_total - 1
        upper = np.r_[ub, np.full(T, np.inf), np.ones(T), np.full(T + 1, np.inf)]
        # the credit may go below 0 under the load (the majorant's first line, extended): an overloaded interval
        # costs the day more than nothing, as its queue spills into the next
        lower = np.r_[np.zeros(n_x + T), np.full(T, -np.inf), np.zeros(T + 1)]
    for rows_, kind in ((rows_eq, "eq"), (rows_le, "le")):
        if rows_:
            constraints.append(_group_rows(rows_, n_total, kind))
    t0 = time.perf_counter()
    for limit in (time_limit, 3 * time_limit):               # no plan at all by the limit: once more, longer
        with warnings.catch_warnings():                       # scipy says it passes the HiGHS options on verbatim
            warnings.filterwarnings("ignore", "Unrecognized options", RuntimeWarning)
            res = milp(c, constraints=constraints, integrality=integrality, bounds=Bounds(lower, upper),
                       options={"time_limit": float(limit), "mip_rel_gap": 0.01 if day is not None else 1e-3,
                                "disp": False, **_QUIET_HIGHS})
        if res.x is not None:
            break
    seconds = time.perf_counter() - t0
    if res.x is None:
        raise RuntimeError(f"the re-plan MILP found no solution in {4 * time_limit:g} s: {res.message}; raise "
                           "time_limit.")
    x = np.round(res.x[:n_x]).astype(int)
    day_shortfall = float(res.x[day_index]) if day is not None else float("nan")
    solution = [(key, int(n)) for key, n in zip(keys, x) if n > 0]
    return solution, dict(status=res.message, objective=float(res.fun), solve_seconds=seconds, variables=n_total,
                          day_shortfall=day_shortfall)
