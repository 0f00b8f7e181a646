"""A 1,000-variant staffing grid on a Dask LocalCluster with 1 and 2 workers, against the run in one process.

The grid
--------
The week after the bundled ``bank_calls`` record (27-31 October 2003, 140
half-hours), one topdown forecast with its calibrated band, then
``wfm.staffing_plan_from_forecast`` (Erlang C, 80% quantile of the rate, 30%
shrinkage) for every point of

* ``forecast.volume_factor``: 0.80, 0.85, ..., 1.25 (10 values)
* ``aht.factor``: 0.80, 0.85, ..., 1.25 (10 values)
* ``staffing.service_level``: 0.70, 0.75, 0.80, 0.82, 0.85, 0.87, 0.90, 0.92, 0.95, 0.97 (10 values)

1,000 combinations, one of them the base: 1,000 variants. No schedule,
simulation or KPIs: the staffing of each variant is the task.

What is measured
----------------
``wfm.scenario.run_scenario`` wall time (the variants only; the cluster is
started before the clock and its start-up time is printed apart):

* in this process, one variant after the other (``jobs=1``);
* on a ``dask.distributed`` LocalCluster of 1 and of 2 single-threaded worker
  processes (``--dask``);
* with ``--processes``, also on a local process pool of 2 (``--jobs 2``).

The scaling is the 1-worker time over the 2-worker time. The load average is
printed before each run, since the machine may be shared.

Check (exit code 1 when it fails): every run gives the same tables as the
run in one process, exactly.

Usage::

    python benchmarks/bench_grid_dask.py
    python benchmarks/bench_grid_dask.py --processes
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

import numpy as np
import pandas as pd

from wfm.scenario import load_scenario, run_scenario
from wfm.executors import local_cluster

FACTORS = [round(x, 2) for x in np.arange(0.80, 1.26, 0.05)]
LEVELS = [0.70, 0.75, 0.80, 0.82, 0.85, 0.87, 0.90, 0.92, 0.95, 0.97]
SCENARIO = {
    "name": "grid_1000",
    "data": {"dataset": "bank_calls", "freq": "30min"},
    "horizon": {"days": 5},
    "forecast": {"method": "topdown", "backtest": None},
    "aht": 300,
    "staffing": {"model": "erlang_c", "service_level": 0.8, "threshold": 20, "shrinkage": 0.3,
                 "method": "quantile", "probability": 0.8},
    "simulate": None,
    "grid": {"forecast.volume_factor": FACTORS, "aht.factor": FACTORS, "staffing.service_level": LEVELS},
}


def timed(label, **kwargs):
    load = os.getloadavg()[0]
    start = time.perf_counter()
    result = run_scenario(LOADED, **kwargs)
    wall = time.perf_counter() - start
    print(f"  {label}: {wall:.1f} s (load before {load:.2f}), {len(result.variants)} variants", flush=True)
    return result, {"run": label, "wall [s]": round(wall, 2), "load before": round(load, 2)}


def same(a, b, label, problems):
    for name in a.TABLES:
        try:
            pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
        except AssertionError as err:
            problems.append(f"{label}: table {name} differs from the run in one process: {str(err)[:200]}")


def main(argv=None):
    global LOADED
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", action="store_true", help="also time a local pool of 2 processes")
    args = parser.parse_args(argv)
    from distributed import Client

    LOADED = load_scenario(SCENARIO)
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}; {len(LOADED.variants)} variants")
    problems, rows = [], []
    base, row = timed("one process (jobs=1)", jobs=1)
    rows.append(row)
    for workers in (1, 2):
        start = time.perf_counter()
        with local_cluster(workers) as cluster, Client(cluster) as client:
            client.run(lambda: __import__("wfm.scenario.runner"))  # import wfm on the workers before the clock
            print(f"  LocalCluster of {workers} worker(s) ready in {time.perf_counter() - start:.1f} s")
            result, row = timed(f"dask, {workers} worker(s)", dask=client)
        rows.append(row)
        same(base, result, f"dask {workers}", problems)
    if args.processes:
        result, row = timed("process pool, 2 (jobs=2)", jobs=2)
        rows.append(row)
        same(base, result, "processes", problems)
    table = pd.DataFrame(rows)
    table["variants/s"] = (len(base.variants) / table["wall [s]"]).round(1)
    print()
    print(table.to_string(index=False))
    one, two = table.set_index("run").loc[["dask, 1 worker(s)", "dask, 2 worker(s)"], "wall [s]"]
    print(f"\nScaling 1 -> 2 Dask workers: {one / two:.2f}x (ideal 2x on 2 idle cores). "
          f"Load average at end {os.getloadavg()[0]:.2f}.")
    if problems:
        print("\nFAILED:\n  " + "\n  ".join(problems))
        return 1
    print("Every run gave the same tables as the run in one process.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
