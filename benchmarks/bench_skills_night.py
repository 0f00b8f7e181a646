"""
The synthetic centre's quiet half-hours: how close to pooled Erlang can a centre of 2-3 skill groups get?

Run: PYTHONPATH=. python benchmarks/bench_skills_night.py [--intervals 6] [--reps 120]

For each of the quietest half-hours of ``wfm.skills.synthetic_centre()`` (SYNTHETIC data, seed 7; 1-5 calls per
type) this compares:

* ``pooled``: the pooled Erlang staffing (every agent every skill, one queue), the bound of the bar;
* ``flexible``: the fewest agents of ONE group holding every skill (rare types first) that meet every target on a
  large simulated sample (``--reps`` replications of 6 half-hours in steady state, point estimates);
* ``least``: the least-cost staffing of the centre's ten 2-3 skill groups that meets every target on the same
  large sample, by brute force: every staffing in order of agents (then cost), skipping those that leave a type
  without an agent, screened on a small sample and confirmed on the large one. This is the per-interval lower bound
  (within the sample's noise) of what any search can reach with these groups;
* ``staff_centre``: what :func:`wfm.skills.staff_centre` returns (its own samples and checks).

Costs here are agents x their group's cost per agent-hour (1.00 for two skills, 1.03 for three), summed over
the half-hours: weighted agent counts, twice the cost of ``SkillStaffing.figures()`` (agent-hours x cost per
agent-hour) on half-hours; only ratios are compared. Measured on a shared, loaded machine.
"""

from __future__ import annotations

import argparse
import itertools
import time

import numpy as np
import pandas as pd

from wfm.skills import centre, erlang_bounds, staff_centre, synthetic_centre
from wfm.skills.search import _Sample, interval_inputs


def _compositions(total, parts):
    """Every way to put ``total`` agents into ``parts`` groups (stars and bars)."""
    for bars in itertools.combinations(range(total + parts - 1), parts - 1):
        edges = (-1,) + bars + (total + parts - 1,)
        yield np.diff(edges) - 1


def least_cost(one, big, small, max_agents=12):
    """Least-cost staffing of one interval meeting every target on ``big`` (screened on ``small``); (n, evaluated)."""
    holds = big.holds
    cost = big.cost
    evaluated = 0
    for total in range(1, max_agents + 1):
        found = []
        for n in _compositions(total, len(cost)):
            if not holds[n > 0].any(axis=0).all():
                continue  # a type without an agent who can answer it
            evaluated += 1
            if small.margin(n).min() < -0.15:
                continue
            if big.margin(n).min() >= 0:
                found.append(n.copy())
        if found:
            return min(found, key=lambda n: float(n @ cost)), evaluated
    return None, evaluated


def flexible_least(one, reps, seed):
    """Fewest agents of one group holding every skill (rare types first) meeting every target on the large sample."""
    levels = {"premium": 1, "spanish": 1, "retention": 1, "sales": 2, "billing": 2, "technical": 3}
    flex = centre(one.calls, {"all": levels}, aht=one.aht, patience=one.patience, targets=one.targets)
    sample = _Sample(flex, interval_inputs(flex, 0, replications=reps, intervals=6, warmup=1, seed=seed))
    for n in range(1, 40):
        if sample.margin(np.array([n])).min() >= 0:
            return n
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--intervals", type=int, default=6, help="the quietest half-hours to analyse")
    parser.add_argument("--reps", type=int, default=120, help="replications of the large sample")
    args = parser.parse_args()
    c = synthetic_centre()
    quiet = np.argsort(c.calls.sum(axis=1).to_numpy(), kind="stable")[:args.intervals]
    rows = []
    for t in sorted(quiet):
        one = c.select([t])
        t0 = time.perf_counter()
        big = _Sample(one, interval_inputs(one, 0, replications=args.reps, intervals=6, warmup=1, seed=11))
        small = _Sample(one, interval_inputs(one, 0, replications=8, intervals=6, warmup=1, seed=12))
        n, evaluated = least_cost(one, big, small)
        plan = staff_centre(one)
        bounds = erlang_bounds(one).iloc[0]
        got = plan.agents().iloc[0].to_numpy()
        rows.append({
            "interval": f"{c.calls.index[t]:%H:%M}", "calls": round(float(c.calls.iloc[t].sum()), 1),
            "pooled": int(bounds["pooled_agents"]), "per_type": int(bounds["per_type_agents"]),
            "flexible": flexible_least(one, args.reps, 11),
            "least": int(n.sum()) if n is not None else None,
            "least_cost": float(n @ big.cost) if n is not None else None,
            "least_groups": ",".join(f"{g}:{k}" for g, k in zip(one.groups, n) if k) if n is not None else "",
            "staff_centre": int(got.sum()), "staff_centre_cost": float(got @ big.cost),
            "staff_centre_on_large_sample": bool(big.margin(got).min() >= 0),
            "evaluated": evaluated, "seconds": round(time.perf_counter() - t0, 1)})
    out = pd.DataFrame(rows)
    pd.set_option("display.width", 250)
    print(out.drop(columns=["least_groups"]).to_string(index=False))
    print("\nleast-cost staffings:")
    for r in rows:
        print(f"  {r['interval']}: {r['least_groups']}")
    tot = out[["pooled", "flexible", "least", "least_cost", "staff_centre", "staff_centre_cost"]].sum()
    print(f"\nsums over these {len(out)} half-hours: pooled {tot['pooled']}, fully flexible {tot['flexible']}, least "
          f"cost with the 2-3 skill groups {tot['least_cost']:.2f} ({tot['least']} agents, "
          f"{tot['least_cost'] / tot['pooled'] - 1:+.1%} over pooled), staff_centre {tot['staff_centre_cost']:.2f} "
          f"({tot['staff_centre_cost'] / tot['pooled'] - 1:+.1%} over pooled)")


if __name__ == "__main__":
    main()
