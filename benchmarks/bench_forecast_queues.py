"""Forecast 1,000 queues at once with wfm.forecast_queues: here, on 2 local processes and on a Dask LocalCluster.

The queues (SYNTHETIC)
----------------------
No public data set holds interval histories of many queues, so the queues are
synthetic, made by :func:`synthetic_queues` below from one seed (2024): 8
weeks of 30-minute history each, starting Monday 1 January 2024 (naive local
time), forecast for the next 5 or 7 open days. Queue ``q`` draws from its
own generator (seed 2024 + q):

* a calendar, in turn over the queues: weekdays 08:00-18:00 (30%),
  weekdays 07:00-21:00 with Saturday 09:00-13:00 (25%), Sunday-Thursday
  08:00-17:00 with weeks from Sunday (15%), every day 08:00-20:00 (15%),
  and 24/7 (15%);
* a volume of 5 to 150 calls in the busiest half-hour (log-uniform);
* an intraday shape: one or two peaks (Gaussian bumps at random hours
  within the open hours, widths 1.5-3.5 h) over a floor of 5-30%;
* weekday factors: 1 +- 0.15 on working days, 0.3-0.7 on Saturday and
  Sunday when open;
* a trend of -1% to +1% per week and a day-to-day log-normal level noise
  (sd 0.05); calls are Poisson around that mean.

Every table, here and in the output, is labelled synthetic.

What it measures
----------------
The wall time of ``wfm.forecast_queues(history, days=..., method="auto")`` on
all queues with ``jobs=1`` (this process), ``jobs=2`` (two local processes)
and on a ``distributed.LocalCluster`` of 2 single-threaded workers (its
start-up is timed apart), and checks that the three tables are identical.
The exit code is 1 if they differ or a queue fails.

Run from the repository root:
``nice -n 10 .venv/bin/python benchmarks/bench_forecast_queues.py [--queues 1000]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import warnings

import numpy as np
import pandas as pd

import wfm
from wfm.forecast import forecast_queues

SEED = 2024
CALENDARS = (  # (name, share, open days (Monday = 0), open hour, close hour, weekend days, week_start)
    ("weekday 08-18", 0.30, (0, 1, 2, 3, 4), 8, 18, {}, "MON"),
    ("weekday 07-21 + Sat 09-13", 0.25, (0, 1, 2, 3, 4, 5), 7, 21, {5: (9, 13)}, "MON"),
    ("Sun-Thu 08-17", 0.15, (6, 0, 1, 2, 3), 8, 17, {}, "SUN"),
    ("every day 08-20", 0.15, (0, 1, 2, 3, 4, 5, 6), 8, 20, {}, "MON"),
    ("24/7", 0.15, (0, 1, 2, 3, 4, 5, 6), 0, 24, {}, "MON"),
)


def calendar_of(q):
    """The calendar of queue ``q``: in turn, so every block of 20 queues has the shares above."""
    slots = np.cumsum([round(c[1] * 20) for c in CALENDARS])
    return CALENDARS[int(np.searchsorted(slots, q % 20, side="right"))]


def synthetic_queue(q, weeks=8, start="2024-01-01"):
    """One SYNTHETIC queue's history (calls per open half-hour) and its calendar entry."""
    rng = np.random.default_rng(SEED + q)
    name, _, days, open_h, close_h, hours_by_day, week_start = calendar_of(q)
    peak = np.exp(rng.uniform(np.log(5), np.log(150)))
    centres = rng.uniform(open_h + 1, close_h - 1, size=rng.integers(1, 3))
    widths = rng.uniform(1.5, 3.5, size=centres.size)
    floor = rng.uniform(0.05, 0.30)
    weekday = 1 + rng.uniform(-0.15, 0.15, 7)
    weekday[5:] = rng.uniform(0.3, 0.7, 2)
    if week_start == "SUN":  # a Sunday-Thursday centre's Sunday is a working day
        weekday[6] = 1 + rng.uniform(-0.15, 0.15)
    trend = rng.uniform(-0.01, 0.01)
    dates = pd.date_range(start, periods=7 * weeks, freq="D")
    dates = dates[dates.day_of_week.isin(days)]
    stamps = []
    for d in dates:
        lo, hi = hours_by_day.get(d.day_of_week, (open_h, close_h))
        stamps.append(d + pd.to_timedelta(np.arange(lo * 2, hi * 2) * 1800, unit="s"))
    index = pd.DatetimeIndex(np.concatenate([s.values for s in stamps]), name="timestamp")
    hour = np.asarray(index.hour + index.minute / 60 + 0.25)
    shape = floor + np.exp(-0.5 * ((hour[:, None] - centres) / widths) ** 2).sum(axis=1)
    shape /= shape.max()
    day = np.asarray((index.normalize() - index.normalize()[0]).days)
    noise = np.exp(rng.normal(0, 0.05, day.max() + 1))[day]
    mean = peak * shape * weekday[np.asarray(index.day_of_week)] * (1 + trend) ** (day / 7) * noise
    calls = rng.poisson(mean).astype(float)
    return pd.DataFrame({"queue": f"q{q:04d}", "timestamp": index, "calls": calls}), name, week_start


def synthetic_queues(n):
    """The long-format SYNTHETIC history of ``n`` queues, the per-queue calendars, and each queue's kind."""
    frames, calendars, kinds = [], {}, {}
    for q in range(n):
        frame, kind, week_start = synthetic_queue(q)
        frames.append(frame)
        kinds[frame["queue"].iat[0]] = kind
        if week_start != "MON":
            calendars[frame["queue"].iat[0]] = {"week_start": week_start}
    return pd.concat(frames, ignore_index=True), calendars, kinds


def timed(label, **kwargs):
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = forecast_queues(**kwargs)
    seconds = time.perf_counter() - start
    print(f"  {label:34s} {seconds:8.1f} s  ({1000 * seconds / out['queue'].nunique():.0f} ms per queue)", flush=True)
    return out, seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queues", type=int, default=1000, help="number of SYNTHETIC queues (1000)")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask LocalCluster run")
    args = parser.parse_args(argv)
    load = os.getloadavg() if hasattr(os, "getloadavg") else ()
    print(f"wfm {wfm.__version__}; Python {platform.python_version()}; pandas {pd.__version__}; {os.cpu_count()} "
          f"CPUs; load average {', '.join(f'{x:.2f}' for x in load)}")
    history, calendars, kinds = synthetic_queues(args.queues)
    counts = pd.Series(kinds).value_counts()
    print(f"SYNTHETIC queues: {args.queues:,}, {len(history):,} history rows (8 weeks of 30-minute intervals); "
          + ", ".join(f"{k}: {v}" for k, v in counts.items()))
    common = dict(history=history, days=5, calendars=calendars, method="auto", progress=False)
    # one horizon for all (5 open days): each queue's open days follow its own calendar
    print("\nforecast_queues(method='auto'), next 5 open days of every queue (SYNTHETIC):")
    serial, t1 = timed("1 local worker (this process)", jobs=1, **common)
    local2, t2 = timed("2 local worker processes", jobs=2, **common)
    same = serial.equals(local2)
    results = {"2 local processes": same}
    if not args.no_dask:
        from distributed import Client

        from wfm.executors import local_cluster

        start = time.perf_counter()
        cluster = local_cluster(2)
        client = Client(cluster)
        print(f"  (Dask LocalCluster of 2 workers started in {time.perf_counter() - start:.1f} s)")
        try:
            dask_out, t3 = timed("Dask LocalCluster, 2 workers", executor=client.get_executor(pure=False), **common)
        finally:
            client.close()
            cluster.close()
        results["Dask LocalCluster (2)"] = serial.equals(dask_out)
    print(f"\nspeed-up on 2 local processes: {t1 / t2:.2f}x")
    methods = serial.groupby("queue")["method"].first().value_counts()
    print("methods auto chose: " + ", ".join(f"{k} {v}" for k, v in methods.items()))
    cov = serial.groupby("queue")["coverage"].first()
    print(f"in-history backtest coverage of the 80% bands: median {cov.median():.3f}, "
          f"{cov.isna().sum()} queue(s) without one")
    ok = all(results.values())
    for label, equal in results.items():
        print(f"tables identical to the one-process run on {label}: {'yes' if equal else 'NO'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
