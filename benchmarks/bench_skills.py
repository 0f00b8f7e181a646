"""
Multi-skill centres: the bars of issue 30, measured.

Run: python benchmarks/bench_skills.py [--quick]

Cases (the staffing search was developed on the synthetic centre's peak
half-hour and on the Wallace-Whitt centres; the one-type cases and the day
were only measured):

1. One type, one group: the simulator against exact Erlang C / Erlang A
   (99% interval over replications) and ``staff_centre`` against
   ``wfm.required_agents`` (must be equal).
2. Full flexibility (one group with every skill, types served first come,
   first served): ``staff_centre`` within one agent of the pooled Erlang
   staffing of the total load, and on target in simulation.
3. Wallace and Whitt's symmetric case (six types, 90 Erlangs in all, mean
   handle time 10 min, 80/20, no abandonment; parameters as assumed in
   ``wfm.skills.wallace_whitt_centre``): two skills per agent in a chain
   against full flexibility and against the pooled total.
4. The synthetic centre (SYNTHETIC, seeded: ``wfm.skills.synthetic_centre``):
   cost against per-type Erlang (>= 5% below) and pooled Erlang (within 5%),
   every type on target (lower 95% bound >= target - 1 point).
5. Overflow after a delay: the Wallace-Whitt chain's staffing simulated with
   secondary groups allowed after D seconds (0: today's routing; inf: primary
   groups only).
6. Speed: a simulated day (6 types, 10 groups, 48 half-hours, 10
   replications) <= 5 s; one interval's optimised staffing <= 10 s; a day of
   48 intervals <= 2 min (two worker processes).

Costs are agent-hours x each group's cost per agent-hour (1.00 or 1.03 in
the synthetic centre), so a half-hour's cost is half its agents' weighted
count; agents in a one-interval case are the agents on duty in it.

Timings are wall-clock on whatever machine runs this; on a shared, loaded
machine they are upper bounds.
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd

import wfm  # noqa: E402 - run as PYTHONPATH=. python benchmarks/bench_skills.py from the repository
from wfm.simulation import simulate_multiskill
from wfm.simulation.multiskill import horizon_rates
from wfm.skills import (centre, erlang_bounds, simulate_centre, staff_centre, synthetic_centre,
                        wallace_whitt_centre)


def one_type():
    print("\n1. One type, one group")
    idx = pd.date_range("2024-01-01", periods=44, freq="30min")
    for calls, aht, agents, patience in ((100, 180, 14, None), (200, 180, 22, None), (100, 180, 10, 120),
                                         (250, 180, 20, 180)):
        sim = simulate_multiskill(pd.DataFrame({"q": float(calls)}, index=idx), {"g": agents}, {"g": ["q"]},
                                  aht=aht, patience=patience, replications=16, seed=2024, warmup=4)
        r = horizon_rates(sim.tallies, 0.99, 4)
        model = "erlang_c" if patience is None else "erlang_a"
        exact = wfm.service_level(calls, aht, 1800, agents, 20, model=model, patience=patience)
        est, lo, hi = (float(x[0]) for x in r["service_level"])
        print(f"  {calls} calls, aht {aht}, {agents} agents, patience {patience}: SL exact {exact:.4f}, "
              f"simulated {est:.4f} [{lo:.4f}, {hi:.4f}] {'inside' if lo <= exact <= hi else 'OUTSIDE'}")
    rows = []
    for calls, aht, patience, target in ((100, 180, None, {"service_level": 0.8, "threshold": 20}),
                                          (40, 300, None, {"service_level": 0.9, "threshold": 15}),
                                          (300, 240, 120, {"service_level": 0.8, "threshold": 20}),
                                          (80, 200, 90, {"max_abandon_rate": 0.05}),
                                          (150, 180, None, {"max_asa": 15})):
        c = centre(pd.DataFrame({"q": [float(calls)]}, index=idx[:1]), {"g": ["q"]}, aht=aht, patience=patience,
                   targets=target)
        plan = staff_centre(c, replications=4, check=2)
        ref = wfm.required_agents(calls, aht, 1800, model="erlang_c" if patience is None else "erlang_a",
                                  patience=patience, **target)
        rows.append((calls, aht, patience, str(target), plan.figures()["peak_agents"], int(ref)))
    out = pd.DataFrame(rows, columns=["calls", "aht", "patience", "target", "staff_centre", "required_agents"])
    print(out.to_string(index=False))
    print(f"  equal in {int((out.staff_centre == out.required_agents).sum())} of {len(out)}")


def on_duty(plan):
    """Agents staffed, pooled Erlang and per-type Erlang agents in the one interval of a one-interval centre."""
    row = plan.intervals.iloc[0]
    return int(row["agents"]), int(row["pooled_agents"]), int(row["per_type_agents"])


def full_flexibility(reps):
    print("\n2. Full flexibility (one group, every skill, first come first served)")
    idx = pd.date_range("2024-01-01 10:00", periods=1, freq="30min")
    cases = {
        "WW symmetric, all skills": wallace_whitt_centre("all"),
        "6 unequal types, one AHT": centre(pd.DataFrame({k: [v] for k, v in zip("abcdef", (120, 70, 50, 25, 20, 15))},
                                                        index=idx), {"all": {k: 1 for k in "abcdef"}}, aht=300),
        "6 unequal types, unequal AHT, patience": centre(
            pd.DataFrame({k: [v] for k, v in zip("abcdef", (120, 70, 50, 25, 20, 15))}, index=idx),
            {"all": {k: 1 for k in "abcdef"}}, aht=dict(zip("abcdef", (240, 420, 300, 360, 300, 270))),
            patience=180),
    }
    for name, c in cases.items():
        t = time.perf_counter()
        plan = staff_centre(c, replications=reps)
        f = plan.figures()
        staffed, pooled, per_type = on_duty(plan)
        print(f"  {name}: staffed {staffed}, pooled Erlang {pooled} "
              f"(difference {staffed - pooled:+d}), per type {per_type}; "
              f"on target {f['types_on_target']:.0%}, lowest SL bound - target {f['worst_service_level_gap']:+.3f}; "
              f"{time.perf_counter() - t:.1f} s")


def wallace_whitt(reps):
    print("\n3. Wallace-Whitt symmetric case (assumed parameters: 6 types x 15 Erlangs, AHT 600 s, 80/20, no "
          "abandonment)")
    figures, plans = {}, {}
    for design in ("one", "two", "all"):
        c = wallace_whitt_centre(design)
        t = time.perf_counter()
        plan = plans[design] = staff_centre(c, replications=reps)
        staffed, pooled, per_type = figures[design] = on_duty(plan)
        sl = plan.service[["type", "service_level", "service_level_lo"]]
        print(f"  {design} skill(s): {staffed} agents (pooled Erlang {pooled}, per type "
              f"{per_type}); SL {sl.service_level.min():.3f}-{sl.service_level.max():.3f}, lowest lower "
              f"bound {sl.service_level_lo.min():.3f}; groups {plan.agents().iloc[0].tolist()}; "
              f"{time.perf_counter() - t:.1f} s")
    one, two, every = (figures[d][0] for d in ("one", "two", "all"))
    print(f"  two skills need {two - every:+d} agents against full flexibility, one skill {one - every:+d}; two "
          f"skills recover {(one - two) / (one - every):.0%} of the pooling gain")
    print("  (the paper's base-case parameters and published staffing total could not be read here: the figures "
          "above are on the assumed parameters, not a reproduction of the published table)")
    return plans["two"]


def overflow(plan):
    print("\n5. Overflow after a delay: the WW chain's staffing, secondary groups allowed after D seconds")
    c = wallace_whitt_centre("two", intervals=14)
    agents = plan.agents().iloc[0].to_dict()
    for delay in (0, 5, 20, 60, np.inf):
        sim = simulate_multiskill(c.calls, agents, c.skills, aht=600, routing=c.routing, overflow_delay=delay,
                                  replications=8, seed=4, warmup=2)
        s = sim.summary()
        share = sim.handled().to_numpy()
        own = sum(share[b, j] for b, g in enumerate(c.groups) for j, i in enumerate(c.types) if g.startswith(i + "+"))
        print(f"  D = {delay:>4} s: SL by type {s.service_level.min():.3f}-{s.service_level.max():.3f}, ASA "
              f"{s.asa.mean():.1f} s; {own / share.sum():.1%} of calls answered by the type's primary group")


def synthetic(reps, day, jobs):
    print("\n4. Synthetic centre (SYNTHETIC data, seed 7): 6 types, 10 groups of 2-3 skills")
    c = synthetic_centre()
    peak = int(np.argmax(c.calls.sum(axis=1).to_numpy()))
    t = time.perf_counter()
    plan = staff_centre(c.select([peak]), replications=reps, check=8)
    took = time.perf_counter() - t
    f = plan.figures()
    staffed, pooled, per_type = on_duty(plan)
    print(f"  peak half-hour {c.calls.index[peak]:%H:%M} ({c.calls.iloc[peak].sum():.0f} calls): cost {f['cost']:.2f} "
          f"per half-hour ({staffed} agents); per-type Erlang {f['per_type_cost']:.2f} ({per_type}), saving "
          f"{f['saving_vs_per_type']:.1%}; pooled Erlang {f['pooled_cost']:.2f} ({pooled}), above it by "
          f"{f['excess_over_pooled']:.1%}; {took:.1f} s")
    cols = ["type", "service_level", "service_level_lo", "service_level_target", "asa", "asa_hi", "max_asa",
            "abandon_rate", "abandon_rate_hi", "max_abandon_rate", "met"]
    print(plan.service[cols].round(3).to_string(index=False))
    one = c.select([peak])
    flexible = centre(one.calls, {"all": {"premium": 1, "spanish": 1, "retention": 1, "sales": 2, "billing": 2,
                                          "technical": 3}}, aht=one.aht, patience=one.patience, targets=one.targets)
    g = staff_centre(flexible, replications=reps, check=8).figures()
    print(f"  the same centre fully flexible (one group, every skill, rare types first), same search: "
          f"{g['peak_agents']} agents; the 2-3 skill centre needs {f['peak_agents'] - g['peak_agents']:+d}")
    if not day:
        return
    with ProcessPoolExecutor(jobs) as pool:
        t = time.perf_counter()
        plan = staff_centre(c, replications=reps, executor=pool)
        took = time.perf_counter() - t
    f = plan.figures()
    svc = plan.service
    sl = svc.dropna(subset=["service_level_target"])
    within = (sl.service_level_lo >= sl.service_level_target - 0.01).mean()
    print(f"  whole day (48 half-hours, {jobs} processes): {took:.1f} s; cost {f['cost']:.2f} "
          f"({f['agent_hours']:.1f} agent-hours x cost per agent-hour), "
          f"per-type {f['per_type_cost']:.1f} (saving {f['saving_vs_per_type']:.1%}), pooled {f['pooled_cost']:.1f} "
          f"(above by {f['excess_over_pooled']:.1%}); interval-types meeting targets (point) "
          f"{f['types_on_target']:.1%}; SL lower bound within 1 point of target {within:.1%}; lowest SL bound "
          f"minus target {f['worst_service_level_gap']:+.3f}")
    quiet = (c.calls.sum(axis=1) < 30).to_numpy()
    cost, pooled = plan.intervals["cost"].to_numpy(), plan.intervals["pooled_cost"].to_numpy()
    print(f"    quiet half-hours (< 30 calls, {quiet.sum()}): cost {cost[quiet].sum():.2f} vs pooled "
          f"{pooled[quiet].sum():.1f} ({cost[quiet].sum() / pooled[quiet].sum() - 1:+.1%}); the others: "
          f"{cost[~quiet].sum():.2f} vs {pooled[~quiet].sum():.1f} "
          f"({cost[~quiet].sum() / pooled[~quiet].sum() - 1:+.1%})")
    flexible = centre(c.calls, {"all": {"premium": 1, "spanish": 1, "retention": 1, "sales": 2, "billing": 2,
                                        "technical": 3}}, aht=c.aht, patience=c.patience, targets=c.targets)
    with ProcessPoolExecutor(jobs) as pool:
        g = staff_centre(flexible, replications=reps, executor=pool).figures()
    print(f"    the same day fully flexible (one group, every skill), same method: {g['agent_hours']:.1f} agent-hours, "
          f"{g['excess_over_pooled']:+.1%} over pooled Erlang; the 2-3 skill centre costs "
          f"{f['cost'] / g['cost'] - 1:+.1%} more than it")


def speed():
    print("\n6. Speed of the simulator")
    c = synthetic_centre()
    agents = erlang_bounds(c)  # noqa: F841 - warm the formulas
    from wfm.skills import approximate_staffing
    staffing = approximate_staffing(c) + 1
    simulate_centre(c.select([0, 1]), staffing.iloc[:2], replications=1, seed=0)  # compile / load the cache
    t = time.perf_counter()
    sim = simulate_centre(c, staffing, replications=10, seed=1)
    took = time.perf_counter() - t
    print(f"  a simulated day: {len(c.types)} types, {len(c.groups)} groups, 48 half-hours, 10 replications, "
          f"{sim.summary()['offered'].sum():.0f} calls per replication: {took:.2f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--quick", action="store_true", help="skip the whole-day staffing")
    parser.add_argument("--replications", type=int, default=8, help="search sample replications")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes for the day")
    args = parser.parse_args()
    speed()
    one_type()
    full_flexibility(args.replications)
    plan = wallace_whitt(args.replications)
    overflow(plan)
    synthetic(args.replications, not args.quick, args.jobs)


if __name__ == "__main__":
    main()
