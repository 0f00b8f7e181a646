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
from ..schedule import SchedulePlan, schedule_week
from .arguments import Shift, read_rules

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
            rows.append((pd.Timestamp(r.day).normalize(), key, int(r.agents), brk))
    return keyed, rows


def plans_and_requirement(demand, rules, time_limit):
    """(list of SchedulePlan, requirement Series or None) from a plan, plans or an interval requirement."""
    if isinstance(demand, SchedulePlan):
        return [demand], None
    if isinstance(demand, (list, tuple)) and demand and all(isinstance(p, SchedulePlan) for p in demand):
        return list(demand), None
    if isinstance(demand, pd.Series):
        if "schedule" not in rules:
            raise ValueError("rules['schedule'] is required when demand is an interval requirement: the shift "
                             "rules that wfm.schedule_week sizes it with (or pass a SchedulePlan as demand).")
        idx = v.check_datetime_index(demand, "demand", "(agents required per interval)")
        weeks = idx.normalize() - pd.to_timedelta(idx.normalize().day_of_week, unit="D")
        plans = []
        for mon in pd.unique(weeks):
            part = demand[weeks == mon]
            plans.append(schedule_week(part, rules["schedule"], time_limit=max(time_limit / 4, 10),
                                       allow_shortfall=True))
        return plans, demand
    raise TypeError("demand must be a DataFrame of cover per day and shift type (day, shift, required), a "
                    f"SchedulePlan, a list of SchedulePlans or an interval requirement Series; got "
                    f"{type(demand).__name__}.")


def rules_and_cover_from_plans(plans, rules):
    """
    (R, cover frame, break plans, planned) of sized plans: the rules with the plans' shift types and
    horizon, cover per day and shift type, the plans' breaks per (day, shift type), and the (D, S) cells
    the plans have a shift of that type on.
    """
    keyed, rows = _shifts_from_plans(plans)
    first = min(r[0] for r in rows) if rows else plans[0].coverage.index[0].normalize()
    first = first - pd.Timedelta(days=int(first.day_of_week)) if len(plans) == 1 else first
    span_days = max((plans[-1].coverage.index[-1].normalize() - first).days + 1, 7)
    R = read_rules({k: val for k, val in rules.items() if k not in ("shifts", "schedule")},
                   shifts=list(keyed.values()), days=span_days, start=first)
    keys = list(keyed)
    horizon = R["start"] + pd.to_timedelta(np.arange(R["days"]), unit="D")
    cov, break_plans = {}, {}
    weekly = len(plans) == 1
    for day, key, n, brk in rows:
        for d in range(R["days"]):
            if (weekly and (horizon[d] - day).days % 7 == 0) or (not weekly and horizon[d] == day):
                cov[d, keys.index(key)] = cov.get((d, keys.index(key)), 0) + n
                break_plans.setdefault((d, keys.index(key)), []).extend([brk] * n)
    demand = pd.DataFrame([{"day": d, "shift": R["names"][s], "required": n} for (d, s), n in sorted(cov.items())],
                          columns=["day", "shift", "required"])
    planned = np.zeros((R["days"], len(R["shifts"])), dtype=bool)
    for d, s in break_plans:
        planned[d, s] = True
    return R, demand, break_plans, planned
