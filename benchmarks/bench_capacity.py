"""Long-term capacity plan: 78 weeks x 10 sites, the hiring MILP against a greedy heuristic, Monte Carlo risk.

Demand (real data)
------------------
The bundled ``bank_calls`` record (North American bank, 2003, 30-minute
intervals, 34 weeks) is the history of every site: site ``i`` of 10 takes the
record's calls times a size factor (``SITE_SIZES``: 10% to 100% of the bank;
the record has one site, so splitting it is an assumption). The weekly
forecast (:func:`wfm.capacity.weekly_demand`) continues its damped trend over
78 weeks from 2003-10-27; the required FTE is the exact Erlang C requirement
(80% in 20 s, occupancy cap 0.90) of each week's representative week,
through ``wfm.required_agents``.

Assumptions (the record holds no staff, attrition, handle times or seasons)
---------------------------------------------------------------------------
Every number below is an ASSUMPTION, chosen inside published industry
ranges where one exists:

* AHT 300 s (the repository's scenarios use the same; the record has none).
* Monthly seasonal indices ``SEASON`` (+-7%, peak in January and December,
  summer trough): illustrative, not measured (34 weeks cannot show a year).
* Shrinkage: absence 6%, breaks and coaching 14%, vacation 5% a month rising
  to 12% in July-August (total 25-32%); contact-centre shrinkage of about
  30-35% is the usual planning figure (B. Cleveland, *Call Center Management
  on Fast Forward*, 3rd ed., ICMI Press, 2012, ch. 6).
* Attrition by tenure: 1.5% a week in the first 13 weeks, 0.8% to a year,
  0.5% after (about 23% a year for tenured agents, more for new hires):
  annual agent attrition of 30-45% is commonly reported for US contact centres
  (e.g. ContactBabel, *The US Contact Center Decision-Makers' Guide*,
  2022-23), and new hires leave faster (N. Gans and Y.-P. Zhou, "Managing
  learning and turnover in employee staffing", Operations Research 50(6),
  2002).
* Training: 4 weeks in class, 10% lost in class, 8 weeks of nesting ramping
  from 60% to 100%; recruiting lead time 6 weeks; classes of 5-25.
* Costs: 4,700 USD per hire (SHRM, *Talent Acquisition Benchmarking
  Report*, 2022: average cost per hire), 27 USD per paid hour (BLS OEWS May
  2023 median wage of customer service representatives, 43-4051, about
  19 USD, loaded by benefits at about 30% of compensation, BLS ECEC 2023).
  Shortfall penalty: twice an FTE-week's pay per FTE-week short.
* Current staff: the first week's requirement, spread over tenures 2, 8, 20,
  40, 80 and 150 weeks as 5/8/12/15/30/30%.

What is measured
----------------
* ``plan``: ``wfm.capacity.capacity_plan`` on 78 weeks x 10 sites (the
  issue's bar: at most 10 s on 2 cores), with classes allowed every 2 weeks
  (``--cadence``) and every week; the time includes building the cohorts and
  the table; HiGHS stops at ``mip_rel_gap`` (printed with the gap proven).
  Wall and process CPU seconds are printed: on a shared machine the wall time
  includes other work (the load average is printed first).
* ``monte carlo``: ``wfm.capacity.simulate_supply`` (binomial attrition of every
  cohort) on 10,000 paths x 78 weeks x 10 sites (bar: at most 5 s on 2
  cores), and ``capacity_risk`` (attrition and volume, quantiles, no hedge).
* ``milp vs greedy``: the plan's cost with the MILP and with the greedy
  heuristic ("hire when the gap appears, minus the training time") on several
  cases (attrition x0.7/x1/x1.5, penalty or hard shortfall (classes up to 60 there),
  overtime 0 or 5%).
  The MILP must never cost more (checked: exit code 1 otherwise).

``--quick``: 3 sites, 2,000 paths, two greedy cases. Timings are printed,
never failed on.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
import pandas as pd

from wfm.capacity import capacity_plan, capacity_risk, simulate_supply, weekly_demand
from wfm.datasets import bank_calls

SITE_SIZES = np.linspace(0.1, 1.0, 10)
SEASON = dict(zip(range(1, 13), [1.07, 1.02, 1.00, 0.98, 0.97, 0.95, 0.93, 0.95, 1.00, 1.02, 1.04, 1.07]))
SHRINKAGE = {"absence": 0.06, "breaks_coaching": 0.14,
             "vacation": {m: (0.12 if m in (7, 8) else 0.05) for m in range(1, 13)}}
RULES = {"attrition": {0: 0.015, 13: 0.008, 52: 0.005}, "training_weeks": 4, "training_attrition": 0.10,
         "nesting_weeks": 8, "nesting_productivity": 0.6, "lead_time_weeks": 6, "class_min": 5, "class_max": 25,
         "cost_per_hire": 4700.0, "cost_per_paid_hour": 27.0}
#: Every input and limit of the planner at once (ASSUMPTIONS, per site): annual attrition by tenure (60% in the
#: first quarter's rate, 35% to a year, 23% after), more leavers in January and summer, trainees paid 21 USD an
#: hour, a trainer at 1,500 USD a week, 600 USD of training per hire; seats for 105% of the first week's
#: requirement of the largest site, 40 classroom seats, 2 classes at once (3 trainers, 1 per class), 30 starts
#: and 150,000 USD of hiring and training a month; 5% overtime; releases allowed every 4 weeks at 3,000 USD.
EVERY_CONSTRAINT = {**{k: val for k, val in RULES.items() if k != "attrition"},
                    "annual_attrition": {0: 0.6, 13: 0.35, 52: 0.23},
                    "attrition_season": {1: 1.3, 7: 1.2, 8: 1.2, 12: 0.8},
                    "trainee_cost_per_paid_hour": 21.0, "trainer_cost_per_week": 1500.0,
                    "training_cost_per_hire": 600.0, "cost_per_class": 2000.0, "seats": 640, "class_seats": 40,
                    "max_concurrent_classes": 2, "trainers": 3, "max_hires_per_month": 30,
                    "hiring_budget_per_month": 150_000.0, "overtime": 0.05, "release": True,
                    "release_weeks": list(range(0, 78, 4)), "cost_per_release": 3000.0}
TENURES = np.array([2, 8, 20, 40, 80, 150])


def _binding(plan):
    """Names of the limits that bind (within one head or 1 USD) somewhere in the plan."""
    r, tab = plan.inputs["rules"], plan.table
    out = []
    if r.seats is not None and (tab["headcount_expected"] > r.seats - 1).any():
        out.append("seats")
    if r.class_seats is not None and (tab["trainees_expected"] > r.class_seats - 1).any():
        out.append("class_seats")
    monthly = tab.groupby(["site", "month"])[["hires", "classes_started", "hiring_cost", "training_cost"]].sum()
    if r.max_hires_per_month is not None and (monthly["hires"] > r.max_hires_per_month - 1).any():
        out.append("max_hires_per_month")
    spend = monthly["hiring_cost"] + monthly["training_cost"]
    if r.hiring_budget_per_month is not None and (spend > r.hiring_budget_per_month - r.hire_cost).any():
        out.append("hiring_budget_per_month")
    starts = plan.hiring.groupby("site")["start_week"].apply(sorted)
    tw = r.training_weeks
    for weeks in starts:
        a = np.asarray(weeks)
        if r.class_limit is not None and any(((a <= w) & (a + tw > w)).sum() >= r.class_limit for w in a):
            out.append("concurrent classes / trainers")
            break
    return out
TENURE_SHARE = np.array([0.05, 0.08, 0.12, 0.15, 0.30, 0.30])


def build(n_sites):
    history = bank_calls("30min")
    sites = {f"site{i + 1:02d}": (history * f).round() for i, f in enumerate(SITE_SIZES[:n_sites])}
    t = time.perf_counter()
    demand = weekly_demand(sites, weeks=78, aht=300, seasonal_indices=SEASON, service_level=0.8, threshold=20,
                           max_occupancy=0.9, shrinkage=SHRINKAGE)
    seconds = time.perf_counter() - t
    first = demand.groupby("site", sort=False)["required_fte"].first()
    staff = pd.concat([pd.DataFrame({"site": s, "tenure_weeks": TENURES,
                                     "headcount": np.round(first[s] * TENURE_SHARE)}) for s in first.index])
    return demand, staff, seconds


def timed(fn, *args, repeats=1, **kwargs):
    """Result, best wall time and its process CPU time (all threads) over ``repeats`` calls."""
    best = (np.inf, np.inf)
    for _ in range(repeats):
        t, c = time.perf_counter(), time.process_time()
        out = fn(*args, **kwargs)
        best = min(best, (time.perf_counter() - t, time.process_time() - c))
    return out, best


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 sites, 2,000 paths, two greedy cases")
    parser.add_argument("--paths", type=int, default=10_000)
    parser.add_argument("--cadence", type=int, default=2, help="weeks between allowed class starts")
    parser.add_argument("--mip-rel-gap", type=float, default=1e-3)
    parser.add_argument("--time-limit", type=float, default=30.0, help="MILP time limit per site [s]")
    args = parser.parse_args(argv)
    import warnings

    # the hard cases' weeks before week 18 (no class reaches them) are the staff's; the plans say so in their
    # tables, the warning would repeat it for every case
    warnings.filterwarnings("ignore", message="rules.shortfall='hard' binds", category=UserWarning)
    n_sites = 3 if args.quick else 10
    paths = 2_000 if args.quick else args.paths
    ok = True
    import os
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores (the machine is shared: timings include "
          "other work)")

    demand, staff, t_demand = build(n_sites)
    print(f"demand: {n_sites} sites x 78 weeks from bank_calls (30 min), {len(demand)} site-weeks, "
          f"required FTE {demand.groupby('week')['required_fte'].sum().min():,.0f}-"
          f"{demand.groupby('week')['required_fte'].sum().max():,.0f} in total; built in {t_demand:.2f} s")

    print(f"\nplan: 78 weeks x {n_sites} sites (bar: <= 10 s on 2 cores), mip_rel_gap {args.mip_rel_gap:g}")
    print(f"{'class starts':<22}{'wall s':>8}{'cpu s':>8}{'gap':>10}{'hires':>7}{'classes':>8}{'cost [USD]':>15}"
          "  status")
    plans = {}
    for label, starts in ((f"every {args.cadence} weeks", list(range(6, 78, args.cadence))),
                          ("every week", None)):
        rules = {**RULES, "start_weeks": starts}
        plan, (sec, cpu) = timed(capacity_plan, demand, staff, rules, mip_rel_gap=args.mip_rel_gap,
                                 time_limit=args.time_limit)
        s = plan.figures()
        plans[label] = plan
        print(f"{label:<22}{sec:>8.2f}{cpu:>8.2f}{plan.params['mip_gap']:>10.2e}{s['hires']:>7d}{s['classes']:>8d}"
              f"{s['total_cost']:>15,.0f}  {plan.params['status'][:40]}")

    print(f"\nevery constraint active: 78 weeks x {n_sites} sites, classes every {args.cadence} weeks (bar: <= 10 s)")
    rules = {**EVERY_CONSTRAINT, "start_weeks": list(range(6, 78, args.cadence))}
    plan_all, (sec, cpu) = timed(capacity_plan, demand, staff, rules, mip_rel_gap=args.mip_rel_gap,
                                 time_limit=args.time_limit)
    s = plan_all.figures()
    binding = _binding(plan_all)
    print(f"{'every constraint':<22}{sec:>8.2f}{cpu:>8.2f}{plan_all.params['mip_gap']:>10.2e}{s['hires']:>7d}"
          f"{s['classes']:>8d}{s['total_cost']:>15,.0f}  {plan_all.params['status'][:40]}")
    print(f"  limits binding in some site-week/month: {', '.join(binding) or 'none'}; releases {s['releases']}")

    plan = plans[f"every {args.cadence} weeks"]
    print(f"\nmonte carlo: {paths:,} paths x 78 weeks x {n_sites} sites (bar: <= 5 s on 2 cores)")
    simulate_supply(plan, paths=200, seed=0)                      # warm-up
    sims, (sec, cpu) = timed(simulate_supply, plan, paths=paths, seed=0, repeats=3)
    expected = plan.table["available_fte"].to_numpy().reshape(n_sites, 78)
    err = np.abs(sims.mean(axis=0) - expected).max()
    print(f"simulate_supply (binomial attrition):         wall {sec:6.2f} s, cpu {cpu:6.2f} s (best of 3); "
          f"max |mean - expected| {err:.3f} FTE")
    risk, (sec, cpu) = timed(capacity_risk, plan, paths=paths, seed=0, hedge=False)
    print(f"capacity_risk (attrition + volume, no hedge): wall {sec:6.2f} s, cpu {cpu:6.2f} s; mean P(short) "
          f"{risk.table['prob_short'].mean():.3f}, worst week {risk.table['prob_short'].max():.3f}, "
          f"P(short in any week of the horizon) {risk.params['prob_any_short']:.3f} (same pass)")

    print("\nmilp vs greedy (cost of the plan over 78 weeks; the MILP must never cost more)")
    cases = [("attrition x1, penalty", {}), ("attrition x1.5, penalty", {"attrition_scale": 1.5}),
             ("attrition x0.7, penalty", {"attrition_scale": 0.7}),
             ("attrition x1, overtime 5%", {"overtime": 0.05}),
             ("attrition x1, hard, tol 2%", {"shortfall": "hard", "tolerance": 0.02, "class_max": 60}),
             ("attrition x1.5, hard, tol 2%", {"shortfall": "hard", "tolerance": 0.02, "class_max": 60,
                                               "attrition_scale": 1.5})]
    if args.quick:
        cases = cases[:2]
    print(f"{'case':<32}{'milp [USD]':>15}{'greedy [USD]':>15}{'greedy/milp':>12}{'hires m/g':>12}{'gap':>10}"
          "  greedy meets the rules")
    for label, extra in cases:
        rules = {**RULES, "start_weeks": list(range(6, 78, args.cadence)), **extra}
        m = capacity_plan(demand, staff, rules, mip_rel_gap=args.mip_rel_gap, time_limit=args.time_limit)
        g = capacity_plan(demand, staff, rules, method="greedy")
        mc, gc = m.figures()["total_cost"], g.figures()["total_cost"]
        print(f"{label:<32}{mc:>15,.0f}{gc:>15,.0f}{gc / mc:>12.4f}"
              f"{m.figures()['hires']:>6d}/{g.figures()['hires']:<5d}{m.params['mip_gap']:>10.1e}"
              f"  {'yes' if np.isfinite(g.params['objective']) else 'no (short beyond the hard tolerance)'}")
        if mc > gc * (1 + 1e-9):
            print("  FAIL: the MILP costs more than the greedy heuristic")
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
