"""Simulate a week of the bank_calls staffing plan, 10 replications, and check it against Erlang A.

The week
--------
The last full week of ``wfm.datasets.bank_calls("15min")``: Monday 20 to Friday
24 October 2003, five open days of 07:00-21:00, 280 fifteen-minute intervals.
The bank's real week has 157,461 calls; the issue asks for about 60,000 and up
to 150 agents, so every interval's volume is scaled by 60,000 / 157,461
(0.381): the week keeps its real intraday and daily shape and expects exactly
60,000 calls (the simulated count is Poisson around it).

The plan and the simulation
---------------------------
``wfm.staffing_plan``: Erlang A, AHT 380 s, exponential patience with mean
120 s, 80% of calls answered within 20 s. The busiest interval needs 148
agents. ``wfm.simulate`` then plays the week out with those agents per
interval: Poisson arrivals, exponential handle times and patience, 10
independent replications, every contact and agent spell logged. Each day is an
open block: it starts with an empty queue and the evening's agents drain it
after 21:00.

What is measured
----------------
* The wall time of ``simulate`` (10 replications, logs included), one untimed
  warm-up and then the best and median of ``--repeats`` runs; the time of
  ``verify_plan`` (the same simulation plus the Erlang figures); the machine's
  load average before timing, since the machine may be shared.
* Agreement: the simulated service level and abandon rate over the week (with
  99% bounds over the replications) beside the call-weighted Erlang figures,
  and how many intervals ``verify_plan`` flags (Erlang outside the simulated
  99% interval), split into the first interval of each day (empty queue at
  the opening) and the rest.
* ``--compare``: one replication of a comparable constant-staffing M/M/n+M
  queue (same calls, AHT and patience; 80 agents) in SimPy and ciw when they
  are installed, against wfm; the figures behind the choice of a custom
  event loop.

The exit code is 1 when a result is wrong (a contact lost, not answered nor
abandoned, or an agent in two states at once), never because of a timing.

Usage::

    python benchmarks/bench_simulate_week.py             # full run
    python benchmarks/bench_simulate_week.py --quick     # one timed run
    python benchmarks/bench_simulate_week.py --compare   # also SimPy and ciw
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time

import numpy as np
import pandas as pd

import wfm
from wfm.simulation import simulate, verify_plan

CALLS_IN_WEEK = 60_000
AHT = 380.0
PATIENCE = 120.0
REPLICATIONS = 10
SEED = 20031020


def build_plan():
    """The scaled week and its Erlang A plan."""
    week = wfm.calendar.last_full_week(wfm.datasets.bank_calls("15min"))
    calls = week * (CALLS_IN_WEEK / week.sum())
    plan = wfm.staffing_plan(calls, aht=AHT, model="erlang_a", patience=PATIENCE, service_level=0.8,
                             threshold=20)
    return week, calls, plan


def load_average():
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f} {five:.2f} {fifteen:.2f} (1, 5, 15 min) on {os.cpu_count()} CPUs"


def check(sim):
    """Problems found in the logs (empty list when all is right)."""
    problems = []
    tab = sim.intervals
    if not np.allclose(tab["offered"], tab["answered"] + tab["abandoned"] + tab["waiting"]):
        problems.append("offered != answered + abandoned + waiting")
    if tab["waiting"].sum() > 0:
        problems.append("contacts left waiting although callers have patience")
    c = sim.contacts
    if (c["answered"] & c["abandoned"]).any() or (~c["answered"] & ~c["abandoned"]).any():
        problems.append("a contact is not exactly one of answered or abandoned")
    s = sim.agent_states.sort_values(["replication", "agent", "start"], kind="stable")
    same = (s["replication"].to_numpy()[1:] == s["replication"].to_numpy()[:-1]) & \
        (s["agent"].to_numpy()[1:] == s["agent"].to_numpy()[:-1])
    if (s["start"].to_numpy()[1:] < s["end"].to_numpy()[:-1])[same].any():
        problems.append("an agent's states overlap")
    return problems


def timed(fn, repeats):
    fn()  # warm-up, untimed
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        seconds.append(time.perf_counter() - start)
    return out, seconds


def compare_libraries(calls_total, hours):
    """One constant-staffing M/M/n+M replication in SimPy, ciw and wfm: seconds each."""
    rate = calls_total / (hours * 3600)
    agents, horizon = 80, hours * 3600
    out = {}
    try:
        import simpy

        def run_simpy():
            rng = np.random.default_rng(1)
            env = simpy.Environment()
            pool = simpy.Resource(env, capacity=agents)

            def caller(env):
                with pool.request() as req:
                    got = yield req | env.timeout(rng.exponential(PATIENCE))
                    if req in got:
                        yield env.timeout(rng.exponential(AHT * 0.6))

            def source(env):
                while env.now < horizon:
                    yield env.timeout(rng.exponential(1 / rate))
                    env.process(caller(env))

            env.process(source(env))
            env.run()

        start = time.perf_counter()
        run_simpy()
        out[f"SimPy {simpy.__version__}"] = time.perf_counter() - start
    except ImportError:
        out["SimPy"] = None
    try:
        import ciw

        def run_ciw():
            ciw.seed(1)
            net = ciw.create_network(arrival_distributions=[ciw.dists.Exponential(rate)],
                                     service_distributions=[ciw.dists.Exponential(1 / (AHT * 0.6))],
                                     number_of_servers=[agents],
                                     reneging_time_distributions=[ciw.dists.Exponential(1 / PATIENCE)])
            ciw.Simulation(net).simulate_until_max_time(horizon)

        start = time.perf_counter()
        run_ciw()
        out[f"ciw {ciw.__version__}"] = time.perf_counter() - start
    except ImportError:
        out["ciw"] = None
    idx = pd.date_range("2024-01-01", periods=int(hours * 4), freq="15min")
    start = time.perf_counter()
    simulate(pd.Series(rate * 900, index=idx), AHT * 0.6, agents, patience=PATIENCE, seed=1)
    out[f"wfm {wfm.__version__} (with both logs)"] = time.perf_counter() - start
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="one timed run instead of three")
    parser.add_argument("--repeats", type=int, help="timed runs of simulate (default 3, quick 1)")
    parser.add_argument("--compare", action="store_true", help="also time SimPy and ciw (if installed)")
    args = parser.parse_args(argv)
    repeats = args.repeats or (1 if args.quick else 3)

    print("wfm simulation benchmark: a week of bank_calls at 15 minutes, Erlang A plan, 10 replications")
    print(f"  python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
          f"wfm {wfm.__version__}")
    print(f"  load average before timing: {load_average()}")

    week, calls, plan = build_plan()
    agents = plan.table["agents"]
    print(f"\nweek {week.index[0]:%Y-%m-%d} to {week.index[-1]:%Y-%m-%d %H:%M}: {len(calls)} intervals, "
          f"{week.sum():,} real calls scaled by {CALLS_IN_WEEK / week.sum():.3f} to {calls.sum():,.0f} expected")
    print(f"plan: Erlang A, AHT {AHT:g} s, patience {PATIENCE:g} s, 80/20; agents per interval "
          f"{agents.min()}-{agents.max()}, {agents.sum() * 0.25:,.0f} agent-hours")

    run = lambda: simulate(calls, AHT, agents, patience=PATIENCE, replications=REPLICATIONS,  # noqa: E731
                           seed=SEED)
    sim, seconds = timed(run, repeats)
    print(f"\nwfm.simulate, {REPLICATIONS} replications, logs included: best {min(seconds):.2f} s, "
          f"median {statistics.median(seconds):.2f} s of {repeats} (bar: under 20 s)")
    print(f"  {len(sim.contacts):,} contacts ({len(sim.contacts) / REPLICATIONS:,.0f} per replication), "
          f"{len(sim.agent_states):,} agent spells")
    start = time.perf_counter()
    checked = verify_plan(plan, replications=REPLICATIONS, seed=SEED)
    print(f"wfm.verify_plan, {REPLICATIONS} replications: {time.perf_counter() - start:.2f} s")
    print(f"  load average after timing: {load_average()}")

    s = sim.summary()
    tab = checked.table
    weights = tab["calls"] / tab["calls"].sum()
    print("\nagreement over the week (simulated with 95% bounds over replications):")
    for name in ("service_level", "abandon_rate", "asa"):
        erlang = float((tab[f"{name}_erlang"] * weights).sum())
        print(f"  {name:<14} Erlang (call-weighted) {erlang:8.4f}   simulated {s.loc[name, 'estimate']:8.4f} "
              f"[{s.loc[name, 'lo']:.4f}, {s.loc[name, 'hi']:.4f}]")
    opening = np.r_[True, tab.index[1:].normalize() != tab.index[:-1].normalize()]
    flags = tab["flag"]
    per_interval = (1 - checked.params["level"]) * (2 if "abandon_rate_erlang" in tab else 1)
    print(f"verify_plan flags (Erlang outside the simulated 99% interval): {int(flags.sum())} of {len(tab)} "
          f"intervals; {int(flags[opening].sum())} of the {int(opening.sum())} openings (empty queue at 07:00), "
          f"{int(flags[~opening].sum())} of the other {int((~opening).sum())} "
          f"(at most {per_interval * (~opening).sum():.1f} expected by chance: 1% per rate checked)")
    rest = tab[~opening]
    gap = (rest["service_level"] - rest["service_level_erlang"])
    print(f"  service level, simulated - Erlang, outside openings: mean {gap.mean():+.4f}, "
          f"5%-95% [{gap.quantile(0.05):+.4f}, {gap.quantile(0.95):+.4f}]")

    if args.compare:
        print("\none replication of a constant-staffing M/M/n+M queue with the same calls per hour (80 agents):")
        for name, secs in compare_libraries(CALLS_IN_WEEK, 70).items():
            print(f"  {name:<34} " + ("not installed" if secs is None else f"{secs:.2f} s"))

    problems = check(sim)
    print("\nCHECKS: " + ("PASS" if not problems else "FAIL: " + "; ".join(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
