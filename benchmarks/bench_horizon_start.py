"""
Does a multi-week schedule depend on the weekday its horizon starts on?

The bank's last full week of calls (real, ``wfm.datasets.bank_calls``, Monday-Friday 07:00-21:00, hourly, x SCALE)
is repeated by weekday and hour over DAYS days from each weekday, staffed with Erlang C (AHT 300 s, 80/20) and
sized with ``wfm.schedule_weeks`` on Monday weeks (8-hour shifts with an unpaid lunch, 4-hour part-time shifts
at 1.1 a paid hour, at most 40% part-time, ``days_per_week`` DPW). The same demand per weekday, so an analyst
expects the same paid hours per week, heads and FTE whatever the first weekday.

Two sizings per start weekday:

* ``calendar``: the horizon cut into Monday weeks, each cut part sized alone on its days (``days_per_week``
  capped at them), as schedule_weeks did before plans longer than 7 days were counted from their first day;
* ``schedule_weeks``: the library now (weeks counted from the first day when Monday weeks would cut the first).

Columns: paid hours per working week (paid hours / the plan's working weeks, StaffingPlan.totals' week_share),
heads (the most any week needs), FTE (heads to employ x paid hours per head per week / 37.5; no shrinkage here),
cost per day of plan, and the most agent-shifts in any 7 days over DPW x heads (above 1: some heads would work
more than DPW days in 7).

Usage: python benchmarks/bench_horizon_start.py [DAYS [SCALE [DPW]]]   (defaults 14 0.2 4; a few seconds).
Exits 1 when DAYS is whole weeks and schedule_weeks' paid hours or heads depend on the first weekday.
"""

import math
import sys
import warnings

import pandas as pd

import wfm
from wfm.datasets import bank_calls

OPEN = ["Mon", "Tue", "Wed", "Thu", "Fri"]
MONDAY = pd.Timestamp("2024-01-01")


def rules(dpw):
    return {"shifts": [{"name": "FT8", "paid": "8h", "breaks": [{"length": "1h", "paid": False,
                                                                 "start_after": ["3h", "5h"]}]},
                       {"name": "PT4", "paid": "4h", "contract": "part_time", "cost_per_paid_hour": 1.1}],
            "open_hours": {d.lower(): ["07:00", "21:00"] for d in OPEN},
            "week": {"days_per_week": dpw, "part_time_share": [0, 0.4]}}


def staffed(profile, start, days):
    idx = pd.date_range(start, periods=days * 24, freq="1h")
    calls = pd.Series(profile.reindex(list(zip(idx.day_of_week, idx.hour))).to_numpy(), index=idx).dropna()
    return wfm.staffing_plan(calls, aht=300, open_days=OPEN)


def calendar_weeks(plan, r):
    """Each Monday week of the plan sized alone: (paid hours, heads, cost, per-day agent-shifts)."""
    labels = wfm.calendar.week_of(plan.table.index, 0)
    parts = [wfm.schedule_weeks(plan.table["agents"][labels == w], r, week_start="MON", mip_gap=0,
                                plan=type(plan)(plan.table[labels == w], plan.params)) for w in pd.unique(labels)]
    shifts = pd.concat([p.shifts for p in parts])
    return sum(p.paid_hours for p in parts), max(p.heads for p in parts), sum(p.cost for p in parts), shifts


def most_in_7(shifts):
    per_day = shifts.groupby("day")["agents"].sum()
    per_day = per_day.reindex(pd.date_range(per_day.index.min(), per_day.index.max()), fill_value=0)
    return int(per_day.rolling(7, min_periods=1).sum().max())


def main(days=14, scale=0.2, dpw=4):
    warnings.simplefilter("ignore")
    week = wfm.calendar.last_full_week(bank_calls("60min"))
    profile = week.groupby([week.index.day_of_week, week.index.hour]).sum() * scale
    r = rules(dpw)
    rows = []
    for offset in range(7):
        start = MONDAY + pd.Timedelta(days=offset)
        plan = staffed(profile, start, days)
        n_weeks = float(plan.totals("W")["week_share"].sum())
        now = wfm.schedule_weeks(plan.table["agents"], r, plan=plan, week_start="MON", mip_gap=0)
        for name, (paid, heads, cost, shifts) in (("calendar", calendar_weeks(plan, r)),
                                                  ("schedule_weeks", (now.paid_hours, now.heads, now.cost,
                                                                      now.shifts))):
            employ = math.ceil(heads)  # no shrinkage: every head is on the schedule
            rows.append({"start": start.strftime("%a"), "sizing": name, "paid_per_week": paid / n_weeks,
                         "heads": heads, "fte": employ * paid / n_weeks / heads / 37.5 if heads else 0.0,
                         "cost_per_day": cost / days, "most_in_7_over_cap": most_in_7(shifts) / (dpw * heads)})
        rows[-1]["weeks"] = " | ".join(f"{w:%a %d}" for w in now.weeks["week"])
    table = pd.DataFrame(rows)
    print(f"{days} days of bank calls x {scale} from each weekday, Monday weeks, days_per_week {dpw}")
    print(table.pivot(index="start", columns="sizing", values=["paid_per_week", "heads", "fte", "cost_per_day",
                                                              "most_in_7_over_cap"]).loc[table["start"].unique()]
          .round(2).to_string())
    for k, s in (("calendar", "calendar weeks"), ("schedule_weeks", "schedule_weeks")):
        spread = table.loc[table["sizing"] == k, "paid_per_week"]
        print(f"{s}: paid hours per week from {spread.min():,.1f} to {spread.max():,.1f} over the 7 start weekdays")
    return table


if __name__ == "__main__":
    args = sys.argv[1:]
    days = int(args[0]) if args else 14
    out = main(days, float(args[1]) if len(args) > 1 else 0.2, int(args[2]) if len(args) > 2 else 4)
    now = out[out["sizing"] == "schedule_weeks"]
    if days % 7 == 0 and (now["paid_per_week"].nunique() > 1 or now["heads"].nunique() > 1):
        sys.exit("wrong: a plan of whole weeks has figures that depend on its first weekday")
