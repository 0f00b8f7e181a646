r"""
Multi-week scheduling: one plan over any horizon, sized a week at a time.

:func:`schedule_weeks` splits a requirement into planning weeks on the local
wall clock (:func:`wfm.calendar.week_of`: weeks start on a given weekday,
by default the one read from the requirement's open days), sizes each with
:func:`wfm.schedule_week` and joins the weeks into one
:class:`~wfm.schedule.SchedulePlan` whose figures are those of the whole
horizon: cost, paid hours and objective are sums; heads the most any week
needs; the service level is weighted by the calls offered; the gap is that
of the summed objective against the summed proven bounds,

.. math::

    \mathrm{gap} = \frac{\sum_w z_w - \sum_w \underline{z}_w}{\sum_w z_w},

so it is at most the largest weekly gap.

Weeks count from the plan's first day when a week start would cut its first
week (``params["rolling_week"]``). A 14-day plan from a Thursday on Monday
weeks was cut Thu-Sun | Mon-Sun | Mon-Wed: each cut part was sized on its own
days with ``days_per_week`` capped at them and the parts were not linked,
so a 5-day contract could work Thu-Sun and then 5 more days, and the paid
hours and FTE to employ moved with the weekday the plan started on (the
real calls of :func:`wfm.datasets.bank_calls` x 0.2 repeated by weekday, a
4-day contract: 4,120 paid hours a week from a Tuesday, 4,976 from a Monday;
``benchmarks/bench_horizon_start.py``). Sized as Thu-Wed | Thu-Wed instead, every week is the Monday
week's problem turned round (the patterns' days off are one cyclic run,
which turning does not change), so a plan of whole weeks whose demand
repeats by weekday gets the same paid hours, heads and FTE whatever its
first weekday, and no head works more than ``days_per_week`` days of any
of its weeks. A plan of at most 7 days is the case of one week (a
Thursday-Wednesday plan sized as two partial weeks would work a 5-day
contract 6 days in 7).

A plan that is not a whole number of weeks keeps the same rule: whole
rolling weeks from its first day, then one cut week at the end, sized on
the days it has (an agent works at most those days). Calendar weeks would
cut it at both ends, each cut part with its own capped ``days_per_week``,
and the figures of the part before the first week start would move with
the start weekday again; with rolling weeks only the last week is cut, so
the plan's first weeks are those of the same plan made longer, and its
figures depend on the start weekday only through the demand of the days
the tail holds. A plan that starts on ``week_start``, or that no week
start cuts (a Thursday-Sunday plan on Monday weeks), keeps its calendar
weeks, exactly as before.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from .. import calendar as cal
from .shifts import schedule_rules
from .grid import _local_midnights, check_requirement_index, fill_closed
from .result import SchedulePlan
from .week import schedule_week

__all__ = ["WEEK_COLUMNS", "schedule_weeks"]

#: Columns of :attr:`SchedulePlan.weeks` for a plan over several weeks.
WEEK_COLUMNS = ("week", "start", "end", "cost", "paid_hours", "heads", "objective", "lower_bound", "gap", "status",
                "calls", "service_level", "intervals_short", "solve_seconds")


def _in_week(value, label, first):
    """The part of a Series (or DataFrame) in the week ``label``; a scalar or None as it is."""
    if isinstance(value, (pd.Series, pd.DataFrame)):
        return value[np.asarray(cal.week_of(value.index, first) == label)]
    return value


def _one_week(task):
    """Size one week (a module-level function, so a process pool can run it)."""
    requirement, rules, kwargs = task
    return schedule_week(requirement, rules, **kwargs)


def schedule_weeks(requirement, rules, *, week_start=None, interval=None, time_limit=60, mip_gap=0.005,
                   allow_shortfall=False, plan=None, calls=None, aht=None, threshold=None, solver="highs",
                   method="decompose", verbose=False, executor=None):
    r"""
    Size shifts over any horizon, a week at a time, as one plan.

    The requirement is split into weeks starting on ``week_start`` (local
    wall clock), or, when that would cut its first week, into weeks counted
    from its first day (the module docstring says why); each week is put on its regular interval grid (from its
    first to its last interval, missing intervals 0: a staffing plan holds
    only open intervals; a week of one interval gets a closed neighbour) and
    sized by :func:`wfm.schedule_week` with the same rules and options; the
    weeks are joined into one plan.

    Parameters
    ----------
    requirement : Series
        Productive agents required per interval over the horizon (e.g.
        ``StaffingPlan.table["agents"]``), whole numbers >= 0, on a
        DatetimeIndex (time zones are fine) whose timestamps lie on one grid;
        closed intervals may be absent, but only as a closure kept the same
        way every day (nights, whole days, a lunch): an interval missing
        between a day's first and last rows at a time other days have is an
        error (:func:`wfm._validation.check_no_holes`). [agents]
    rules : dict or ScheduleRules
        The shift rules of :func:`wfm.schedule_week`; ``max_heads`` and
        ``max_cost`` apply to each week.
    week_start : str or int, optional
        Weekday weeks start on: ``"MON"`` ... ``"SUN"`` or 0-6 (Monday = 0);
        weeks are those of :func:`wfm.calendar.week_of`. None (default):
        the ``week_start`` of ``plan`` when given, else read from the open
        days of ``requirement`` (:func:`wfm.calendar.infer_week_start`: a
        Sunday-Thursday centre's weeks start on Sunday, a centre open every
        day keeps Monday, a requirement spanning under a week keeps Monday
        unless that splits it),
        as :func:`wfm.staffing_plan` reads its weeks.
    interval : float, optional
        Interval length; inferred from the index when None. [s]
    time_limit : float
        Seconds for the solver, per week. [s]
    mip_gap, allow_shortfall, solver, method, verbose
        As in :func:`wfm.schedule_week`, for every week.
    plan : StaffingPlan, optional
        The plan the requirement came from (its calls, AHT, threshold and
        queue model), cut into the same weeks.
    calls, aht, threshold : optional
        The same given directly (Erlang C), Series over the horizon or
        scalars. [calls per interval], [s], [s]
    executor : concurrent.futures.Executor, optional
        Size the weeks in parallel with ``executor.map`` (e.g. a
        ``ProcessPoolExecutor`` or a Dask client's executor); in turn when
        None.

    Returns
    -------
    SchedulePlan
        Over the whole horizon: ``shifts``, ``coverage`` and ``patterns``
        of every week with a ``week`` column (local midnight of the week's
        first day, by ``week_start``); ``cost``, ``paid_hours`` and
        ``objective`` summed over the weeks; ``params["week_start"]`` the
        weekday used (0 = Monday; the horizon's first day when
        ``params["rolling_week"]``: a horizon whose first week
        ``week_start`` would cut, sized in weeks counted from its first day,
        the last one cut when the horizon is not a whole number of weeks)
        and ``params["week_start_inferred"]``
        whether it was not given (taken from ``plan`` or read from the
        requirement); ``heads`` the most of any week;
        ``lower_bound`` the sum of the weekly bounds and ``gap`` =
        (sum of objectives - sum of bounds) / sum of objectives;
        ``status`` "optimal" when every week is; the service level
        (``service_level``, ``figures()``) weighted by calls; ``weeks``
        one row per week (:data:`WEEK_COLUMNS`).

    Raises
    ------
    ValueError
        Bad requirement, rules or options (the message names them), or a
        week that cannot be scheduled (the message names the week).

    See Also
    --------
    wfm.schedule_week : one week.

    Examples
    --------
    Ten days from a Wednesday, one agent 09:00-17:00 every day, eight-hour
    shifts, each agent working every day its week has: Monday weeks would
    cut the first week (Wed-Sun), so the weeks count from Wednesday, one of
    seven days (Wed-Tue) and a cut one of three (Wed-Fri), and one agent
    works both.

    >>> idx = pd.date_range("2024-01-03", periods=10 * 24, freq="1h")
    >>> req = pd.Series(((idx.hour >= 9) & (idx.hour < 17)).astype(int), index=idx)
    >>> rules = {"shifts": [{"name": "D8", "paid": "8h"}], "week": {"days_per_week": 7}}
    >>> plan = schedule_weeks(req, rules, week_start="MON")
    >>> plan.weeks[["week", "cost", "heads"]]
            week  cost  heads
    0 2024-01-03  56.0      1
    1 2024-01-10  24.0      1
    >>> plan.params["rolling_week"], plan.params["week_start"]
    (True, 2)
    >>> plan.cost, plan.heads, plan.paid_hours
    (80.0, 1, 80.0)
    """
    rules = schedule_rules(rules)
    idx, seconds = check_requirement_index(requirement, interval, "(agents required per interval of the horizon)",
                                           interval_option=True)
    inferred = week_start is None
    if inferred:  # the plan's own weeks, else the requirement's open days (Monday when it spans under a week)
        week_start = plan.params.get("week_start") if plan is not None else None
        week_start = week_start or cal.infer_week_start(requirement)
    first = cal.check_week_start(week_start)
    labels = cal.week_of(idx, first)
    day0 = cal.wall_clock(pd.DatetimeIndex([idx.min()])).normalize()[0]
    rolling = labels[0] != labels[-1] and day0.day_of_week != first
    if rolling:  # a week start cuts the plan's first week: weeks from its first day (the last one may be cut)
        first = int(day0.day_of_week)
        labels = cal.week_of(idx, first)
    tasks, starts = [], []
    for label in pd.unique(labels):
        part = requirement[np.asarray(labels == label)]
        week_req = fill_closed(part, seconds,
                               inside=lambda t, label=label: cal.week_of(pd.DatetimeIndex([t]), first)[0] == label)
        kwargs = dict(time_limit=time_limit, mip_gap=mip_gap, allow_shortfall=allow_shortfall, solver=solver,
                      method=method, verbose=verbose, threshold=threshold, calls=_in_week(calls, label, first),
                      aht=_in_week(aht, label, first))
        if plan is not None:
            kwargs["plan"] = dataclasses.replace(plan, table=_in_week(plan.table, label, first))
        tasks.append((week_req, rules, kwargs))
        starts.append(pd.Timestamp(label))
    run = map if executor is None else executor.map
    weeks = list(_guarded(run(_one_week, tasks), starts))
    out = _join(weeks, _local_midnights(starts, idx.tz), first, seconds, inferred)
    out.params["rolling_week"] = bool(rolling)
    return out


def _guarded(results, starts):
    """Results in turn; an error names the week it came from."""
    it = iter(results)
    for label in starts:
        try:
            yield next(it)
        except ValueError as err:
            raise ValueError(f"week starting {label.date()}: {err}") from None


def _join(weeks, stamps, first, interval, inferred=False):
    """One SchedulePlan over the horizon from the weekly plans."""
    def tagged(frame, week, at=0):
        frame = frame.copy()
        frame.insert(at if at >= 0 else frame.shape[1], "week", week)
        return frame

    shifts = pd.concat([tagged(p.shifts, w) for p, w in zip(weeks, stamps)], ignore_index=True)
    coverage = pd.concat([tagged(p.coverage, w, -1) for p, w in zip(weeks, stamps)])
    patterns = pd.concat([tagged(p.patterns, w) for p, w in zip(weeks, stamps)], ignore_index=True)
    rows = []
    for p, w in zip(weeks, stamps):
        fig = p.figures()
        rows.append(dict(week=w, start=p.coverage.index[0], end=p.coverage.index[-1] + pd.Timedelta(seconds=interval),
                         cost=p.cost, paid_hours=p.paid_hours, heads=p.heads, objective=p.objective,
                         lower_bound=p.lower_bound, gap=p.gap, status=p.status, calls=fig["calls"],
                         service_level=fig["service_level"], intervals_short=fig["intervals_short"],
                         solve_seconds=fig["solve_seconds"]))
    table = pd.DataFrame.from_records(rows, columns=list(WEEK_COLUMNS))
    objective = float(table["objective"].sum())
    bound = float(table["lower_bound"].sum())
    gap = (objective - bound) / objective if objective > 0 else 0.0
    base = weeks[0].params
    params = {k: base[k] for k in ("time_limit", "mip_gap", "allow_shortfall", "solver", "method", "interval",
                                   "rules", "templates")}
    for k in ("variables", "constraints", "nonzeros", "integer_variables", "shift_variables", "solve_seconds",
              "build_seconds"):
        params[k] = sum(p.params[k] for p in weeks)
    params.update(week_start=first, week_start_inferred=inferred, weeks=len(weeks),
                  solver_message="; ".join(dict.fromkeys(p.params["solver_message"] for p in weeks)))
    calls = table["calls"].to_numpy()
    if "threshold" in base:
        params["threshold"] = base["threshold"]
        params["calls_total"] = float(calls.sum())
        answered = np.where(calls > 0, table["service_level"].to_numpy() * calls, 0.0)
        params["sl_call_weighted"] = float(answered.sum() / calls.sum()) if calls.sum() else 1.0
    return SchedulePlan(shifts=shifts, coverage=coverage, patterns=patterns, cost=float(table["cost"].sum()),
                        paid_hours=float(table["paid_hours"].sum()), heads=int(table["heads"].max()),
                        objective=objective, lower_bound=bound, gap=float(max(gap, 0.0)), mode=weeks[0].mode,
                        status="optimal" if (table["status"] == "optimal").all() else "time_limit", params=params,
                        weeks=table)
