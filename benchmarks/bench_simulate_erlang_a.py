"""Does ``wfm.simulate`` agree with exact Erlang A in steady state, for every service-level definition?

Why
---
A numerical audit saw the simulated service level with
``sl_definition="exclude_short_abandons"`` (answered within T over offered less
abandons before T) about 3 standard errors above exact Erlang A in one run:
0.8008 against 0.79533 at 10 Erlangs, 10 agents, AHT 180 s, patience 60 s,
T = 20 s. This script tells a counting error from the start of the horizon.

The exact side
--------------
Written here, independent of :mod:`wfm.erlang`: the stationary law of the
M/M/n+M birth-death chain (mpmath, 30 digits) and a tagged-caller chain (an
arrival that finds n + j in the system has j callers ahead; the line ahead
shortens at rate n/AHT + j/patience and the caller leaves at rate 1/patience;
``scipy.linalg.expm`` of the generator over T gives P(answered within T) and
P(abandoned before T)). It is printed beside ``wfm.erlang``'s closed forms.

The simulated side
------------------
Constant calls and agents over ``--intervals`` half-hours plus ``--warmup``
half-hours dropped at the start, ``--replications`` independent replications
(seeded, run in chunks to bound memory). Contacts count in their arrival
interval, so the figure after the warm-up is the ratio of the kept tallies
summed over intervals and replications (each contact weighs the same, as in
Erlang A), with the delta-method standard error of a ratio estimator between
replications (Cochran 1977, ch. 6). The same figure without dropping the
warm-up, and over shorter horizons, shows the bias of the empty start.

Output: one table of exact and simulated figures with (sim - exact) / SE;
exit code 1 when a post-warm-up figure is more than 4 standard errors from
the exact value (a wrong count, not a timing). Run on a shared machine, the
seconds are upper bounds.

Usage::

    python benchmarks/bench_simulate_erlang_a.py            # all cases, SE about 0.0005-0.001
    python benchmarks/bench_simulate_erlang_a.py --quick    # the audited case only, fewer replications
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import mpmath as mp
import numpy as np
import pandas as pd
from scipy.linalg import expm

import wfm
from wfm import erlang

INTERVAL = 1800.0
TALLIES = ("offered", "answered_within", "short_abandoned", "abandoned")

# name: load [Erlangs], agents, aht [s], patience [s], threshold [s]
CASES = {
    "audit: A=10 n=10 P=60 T=20": (10, 10, 180, 60, 20),
    "A=50 n=52 P=60 T=20": (50, 52, 180, 60, 20),
    "A=3 n=4 P=60 T=20": (3, 4, 180, 60, 20),
    "A=10 n=10 P=30 T=20": (10, 10, 180, 30, 20),
    "A=10 n=10 P=300 T=20": (10, 10, 180, 300, 20),
    "A=10 n=10 P=60 T=10": (10, 10, 180, 60, 10),
    "A=10 n=10 P=60 T=60": (10, 10, 180, 60, 60),
    "A=50 n=52 P=300 T=60": (50, 52, 180, 300, 60),
}


def exact(load, agents, aht, patience, threshold):
    """Per-caller steady-state figures of M/M/n+M from the tagged-caller chain (independent of wfm.erlang)."""
    mu, theta = 1.0 / aht, 1.0 / patience
    lam = load * mu
    top = int(agents + 80 + 12 * np.sqrt(lam / theta) + 4 * lam / theta)  # P(top) is far below 1e-30
    mp.mp.dps = 30
    p = [mp.mpf(1)]
    for k in range(1, top + 1):
        p.append(p[-1] * lam / (min(k, agents) * mu + max(k - agents, 0) * theta))
    total = mp.fsum(p)
    p = np.array([float(x / total) for x in p])
    ahead = top - agents  # transient states j = 0 .. ahead-1; then answered, abandoned
    gen = np.zeros((ahead + 2, ahead + 2))
    for j in range(ahead):
        out = agents * mu + j * theta
        gen[j, ahead if j == 0 else j - 1] += out
        gen[j, ahead + 1] += theta
        gen[j, j] -= out + theta
    waiting = p[agents:agents + ahead]
    at_t = expm(gen * threshold)
    within = p[:agents].sum() + waiting @ at_t[:ahead, ahead]
    short = waiting @ at_t[:ahead, ahead + 1]
    absorbed = np.linalg.solve(-gen[:ahead, :ahead], gen[:ahead, ahead:])
    return {"sl_offered": within, "sl_exclude": within / (1 - short), "abandon_rate": waiting @ absorbed[:, 1],
            "short_abandon_rate": short}


def wfm_exact(load, agents, aht, patience, threshold):
    calls = load * INTERVAL / aht
    args = (calls, aht, INTERVAL, agents, threshold, patience)
    return {"sl_offered": float(erlang.erlang_a_service_level(*args)),
            "sl_exclude": float(erlang.erlang_a_service_level(*args, sl_definition="exclude_short_abandons")),
            "abandon_rate": float(erlang.erlang_a_abandon_rate(calls, aht, INTERVAL, agents, patience))}


def simulate_totals(load, agents, aht, patience, threshold, intervals, replications, seed, chunk_calls=400_000):
    """Per-replication tallies, (replications, intervals) each, from ``wfm.simulate`` run in chunks."""
    calls = load * INTERVAL / aht
    idx = pd.date_range("2024-01-01", periods=intervals, freq=f"{INTERVAL:g}s")
    series = pd.Series(calls, index=idx)
    per_chunk = max(1, int(chunk_calls // (calls * intervals)))
    out = {k: [] for k in TALLIES}
    done = 0
    for child in np.random.SeedSequence(seed).spawn(-(-replications // per_chunk)):
        reps = min(per_chunk, replications - done)
        sim = wfm.simulate(series, aht, agents, patience=patience, threshold=threshold, replications=reps,
                           seed=child, sl_definition="exclude_short_abandons")
        by = sim.by_replication
        for k in TALLIES:
            out[k].append(by[k].to_numpy().reshape(reps, intervals))
        done += reps
    return {k: np.vstack(v) for k, v in out.items()}


def ratio(num, den):
    """Ratio of sums over replications and its delta-method standard error."""
    r = num.sum() / den.sum()
    n = num.size
    se = np.sqrt(((num - r * den) ** 2).sum() / (n * (n - 1))) / den.mean()
    return float(r), float(se)


def figures(tot, skip=0):
    t = {k: v[:, skip:].sum(axis=1) for k, v in tot.items()}
    return {"sl_offered": ratio(t["answered_within"], t["offered"]),
            "sl_exclude": ratio(t["answered_within"], t["offered"] - t["short_abandoned"]),
            "abandon_rate": ratio(t["abandoned"], t["offered"]),
            "short_abandon_rate": ratio(t["short_abandoned"], t["offered"])}


def load_average():
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg()) + f" (1, 5, 15 min) on {os.cpu_count()} CPUs"
    except OSError:
        return "unknown"


def run_cases(cases, args):
    bad = []
    rows = []
    for name, case in cases.items():
        start = time.perf_counter()
        ref, ours = exact(*case), wfm_exact(*case)
        calls = case[0] * INTERVAL / case[2]
        reps = max(2, int(round(args.calls / (calls * (args.intervals + args.warmup)))))
        tot = simulate_totals(*case, args.warmup + args.intervals, reps, args.seed)
        kept, cold = figures(tot, args.warmup), figures(tot, 0)
        for fig in ("sl_exclude", "sl_offered", "abandon_rate", "short_abandon_rate"):
            (est, se), (est0, se0) = kept[fig], cold[fig]
            z, z0 = (est - ref[fig]) / se, (est0 - ref[fig]) / se0
            if abs(z) > 4:
                bad.append(f"{name} {fig}: z = {z:+.1f}")
            rows.append({"case": name, "figure": fig, "exact": ref[fig], "wfm.erlang": ours.get(fig, np.nan),
                         "sim after warm-up": f"{est:.5f} ± {se:.5f}", "z": f"{z:+.1f}",
                         "sim from empty": f"{est0:.5f} ± {se0:.5f}", "z empty": f"{z0:+.1f}"})
        print(f"  {name}: {reps} replications, {tot['offered'].sum():,.0f} contacts, "
              f"{time.perf_counter() - start:.1f} s", flush=True)
    return pd.DataFrame(rows), bad


def horizon_bias(args):
    """The audited case over horizons of 1-48 half-hours from an empty start, about the same contacts each."""
    case = CASES["audit: A=10 n=10 P=60 T=20"]
    ref = exact(*case)["sl_exclude"]
    rows = []
    for intervals in (1, 2, 4, 8, 16, 48):
        reps = max(2, int(args.calls // (case[0] * INTERVAL / case[2] * intervals)))
        est, se = figures(simulate_totals(*case, intervals, reps, args.seed + intervals))["sl_exclude"]
        rows.append({"horizon [h]": f"{intervals / 2:g}", "replications": reps,
                     "sim from empty": f"{est:.5f} ± {se:.5f}", "sim - exact": f"{est - ref:+.5f}",
                     "z": f"{(est - ref) / se:+.1f}"})
    return pd.DataFrame(rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="the audited case only, 600,000 contacts")
    parser.add_argument("--calls", type=float, help="simulated contacts per case (default 2,000,000)")
    parser.add_argument("--intervals", type=int, default=48, help="half-hours kept per replication (48)")
    parser.add_argument("--warmup", type=int, default=4, help="half-hours dropped at the start (4)")
    parser.add_argument("--seed", type=int, default=20261207)
    args = parser.parse_args(argv)
    args.calls = args.calls or (600_000 if args.quick else 2_000_000)
    cases = {k: v for k, v in CASES.items() if k.startswith("audit")} if args.quick else CASES
    print(f"wfm {wfm.__version__}: simulate vs exact Erlang A, {args.intervals} + {args.warmup} warm-up "
          f"half-hours per replication, about {args.calls:,.0f} contacts per case")
    print(f"  load average before: {load_average()}")
    start = time.perf_counter()
    table, bad = run_cases(cases, args)
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.float_format", "{:.5f}".format):
        print(table.to_string(index=False))
        print("\nThe audited case from an empty start, by horizon (no warm-up dropped), exclude_short_abandons:")
        print(horizon_bias(args).to_string(index=False))
    print(f"\ntotal {time.perf_counter() - start:.1f} s (shared machine: an upper bound)")
    if bad:
        print("MORE THAN 4 SE FROM EXACT:\n  " + "\n  ".join(bad))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
