"""
What a roster covers: sized shifts (a :class:`~wfm.schedule.SchedulePlan`, several, or an interval
requirement sized first) turned into shift types and cover per day and shift type.

Each distinct (template, start clock, span) of the plans is one shift type, named
``"template@HH:MM"``; the plans' agents per shift are the cover, and their break times are
handed to the rostered agents in turn.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _validation as v
from .. import calendar as cal
from ..schedule import SchedulePlan, schedule_weeks
from .arguments import Shift, start_date, read_rules

__all__ = ["plans_and_requirement", "rules_and_cover_from_plans"]


def _shifts_from_plans(plans):
    """Shift types (template, start clock, span) of sized plans; rows (day, key, agents, breaks)."""
    keyed, rows = {}, []
    for plan in plans:
        tab = plan.shifts
        for r in tab.itertuples(index=False):
            st = pd.Timestamp(r.start)
            start_min = st.hour * 60 + st.minute
            span = int((pd.Timestamp(r.end) - st).total_seconds() // 60)
            brk = tuple((int((pd.Timestamp(a) - st).total_seconds() // 60),
                         int((pd.Timestamp(b) - pd.Timestamp(a)).total_seconds() // 60), bool(p))
                        for a, b, p in r.breaks)
            key = (r.name, start_min, span)
            if key not in keyed:
                keyed[key] = Shift(f"{r.name}@{start_min // 60:02d}:{start_min % 60:02d}",
                                   round(r.paid_hours * 60), start_min, span, brk, contract=r.contract)
            rows.append((cal.wall_clock(pd.DatetimeIndex([r.day]))[0].normalize(), key, int(r.agents), brk))
    return keyed, rows


def plans_and_requirement(demand, rules, time_limit):
    """(list of SchedulePlan, requirement Series or None) from a plan, plans or an interval requirement (sized
    with :func:`wfm.schedule_weeks` by ``rules["schedule"]``, in ``time_limit`` seconds in all, on weeks from
    ``rules["week_start"]``, else from the requirement's first open day after its closed days:
    :func:`wfm.calendar.infer_week_start`)."""
    if isinstance(demand, SchedulePlan):
        return [demand], None
    if isinstance(demand, (list, tuple)) and demand and all(isinstance(p, SchedulePlan) for p in demand):
        return list(demand), None
    if isinstance(demand, pd.Series):
        if "schedule" not in rules:
            raise ValueError("rules['schedule'] is required when demand is an interval requirement: the shift "
                             "rules that wfm.schedule_weeks sizes it with (or pass a SchedulePlan as demand).")
        idx = v.check_datetime_index(demand, "demand", "(agents required per interval)")
        week_start = cal.check_week_start(rules["week_start"] if "week_start" in rules else  # else its own weeks
                                          cal.infer_week_start(idx), "rules['week_start']")
        weeks = len(pd.unique(cal.week_of(idx, week_start)))
        plan = schedule_weeks(demand, rules["schedule"], week_start=week_start, time_limit=time_limit / weeks,
                              allow_shortfall=True)
        return [plan], demand
    raise TypeError("demand must be a DataFrame of cover per day and shift type (day, shift, required), a "
                    f"SchedulePlan, a list of SchedulePlans or an interval requirement Series; got "
                    f"{type(demand).__name__}.")


def _plans_horizon(plans, rules, rows, tz):
    """(start, days, week start, repeat) of the roster of ``plans``: one plan of at most 7 calendar days
    repeats week after week (from the week start on or before its first day, ``rules['days']`` long, 7 by
    default); otherwise the plans are rostered as they are, over the calendar days they cover."""
    first = min(cal.wall_clock(p.coverage.index[:1])[0].normalize() for p in plans)
    last = max(cal.wall_clock(p.coverage.index[-1:])[0].normalize() for p in plans)
    week_start = cal.check_week_start(rules.get("week_start", plans[0].params.get("week_start", 0)),
                                      "rules['week_start']")
    if len(plans) == 1 and (last - first).days < 7:
        return first - pd.Timedelta(days=(first.day_of_week - week_start) % 7), 7, week_start, True
    start = start_date(rules["start"], tz) if "start" in rules else first
    wall_start = cal.wall_clock(pd.DatetimeIndex([start]))[0]
    span = (last - wall_start).days + 1
    days = rules.get("days", span)
    outside = [day for day, *_ in rows if not 0 <= (day - wall_start).days < days]
    if outside or days > span:
        where = (f"has shifts on {outside[0]:%a %Y-%m-%d}, outside" if outside else
                 f"ends on {last:%a %Y-%m-%d}, before the end of")
        raise ValueError(f"the sized plan {where} the roster's horizon ({wall_start:%Y-%m-%d}, {days} days, from "
                         "rules['start'] and rules['days']): a plan over several weeks is rostered as those weeks "
                         "(one of at most 7 days repeats). Drop rules['start'] and rules['days'], or size the "
                         "horizon you roster.")
    return start, days, week_start, False


def rules_and_cover_from_plans(plans, rules):
    """
    (R, cover frame, break plans, planned) of sized plans: the rules with the plans' shift types and
    horizon (R["repeat"]: a one-week plan repeated), cover per day and shift type, the plans' breaks per
    (day, shift type), and the (D, S) cells the plans have a shift of that type on.
    """
    keyed, rows = _shifts_from_plans(plans)
    tz = plans[0].coverage.index.tz
    start, days, week_start, repeat = _plans_horizon(plans, rules, rows, tz)
    R = read_rules({k: val for k, val in rules.items() if k not in ("shifts", "schedule")},
                   shifts=list(keyed.values()), days=days, start=start, week_start=week_start, tz=tz)
    R["repeat"] = repeat
    wall = cal.wall_clock(R["dates"])
    keys = {key: s for s, key in enumerate(keyed)}
    cov, break_plans = {}, {}
    for day, key, n, brk in rows:
        offset = np.asarray((wall - day).days)
        for d in np.flatnonzero(offset % 7 == 0 if repeat else offset == 0).tolist():
            s = keys[key]
            cov[d, s] = cov.get((d, s), 0) + n
            break_plans.setdefault((d, s), []).extend([brk] * n)
    demand = pd.DataFrame([{"day": d, "shift": R["names"][s], "required": n} for (d, s), n in sorted(cov.items())],
                          columns=["day", "shift", "required"])
    planned = np.zeros((R["days"], len(R["shifts"])), dtype=bool)
    for d, s in break_plans:
        planned[d, s] = True
    return R, demand, break_plans, planned
