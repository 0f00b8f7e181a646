"""
Reading a month-sized contact log and building its interval history (bar: at most 2 s for ~50,000 rows).

SYNTHETIC DATA: the log is a seeded wfm.simulate run (22 weekdays, 07:00-21:00 in half-hours, about 80
calls per interval), written as a call-level ACD export would be: a day-first date column, times of day
(H:MM:SS), outcome codes (AGENT / HANG / PHANTOM), 0:00:00 and NO_SERVER placeholders, a queue type to
filter on. The timed step is the one an analyst runs:

    read_contacts(file, columns=..., outcomes=..., na_values=..., filters=..., dayfirst=True)
    interval_history(log, "30min")

Also printed: the patience interval's coverage over 50 seeded runs (bar: >= 90% at 95%) and whether the
history of a simulated log equals the simulator's own interval figures (bar: exactly).

Run: nice -n 10 .venv/bin/python benchmarks/bench_read_logs.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

import wfm
from wfm.logs import DataWarning, interval_history, read_contacts


def month_log(seed=1):
    days = pd.bdate_range("2024-03-04", periods=22)
    idx = pd.DatetimeIndex([d + pd.Timedelta(minutes=30 * k) for d in days for k in range(14, 42)])
    calls = pd.Series(80.0, index=idx)
    sim = wfm.simulate(calls, 240, 13, patience=120, seed=seed)
    c = sim.contacts

    def clock(times):
        t = pd.DatetimeIndex(times).round("s")
        return pd.Series(t.strftime("%-H:%M:%S"), dtype=object).where(~pd.isna(times), "0:00:00").to_numpy()

    rng = np.random.default_rng(seed)
    n = len(c)
    log = pd.DataFrame({
        "call_id": np.arange(n), "type": np.where(rng.random(n) < 0.02, "NE", "PS"),
        "date": pd.DatetimeIndex(c["arrival"]).strftime("%d/%m/%Y"), "q_start": clock(c["arrival"]),
        "q_exit": clock(c["answer"].where(c["answered"], c["abandon"])),
        "ser_start": clock(c["answer"]), "ser_exit": clock(c["end"].where(c["answered"])),
        "outcome": np.where(c["answered"], "AGENT", np.where(rng.random(n) < 0.01, "PHANTOM", "HANG")),
        "server": np.where(c["answered"], "A" + c["agent"].astype(str), "NO_SERVER")})
    return log, sim, calls


def read_and_build(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        log = read_contacts(path, {"arrival": "q_start", "abandon": "q_exit", "answer": "ser_start",
                                   "end": "ser_exit", "agent": "server"},
                            outcomes={"AGENT": "answered", "HANG": "abandoned", "PHANTOM": "other"},
                            na_values={"ser_start": "0:00:00", "ser_exit": "0:00:00", "server": "NO_SERVER"},
                            filters={"type": "PS"}, dayfirst=True)
        return log, interval_history(log, "30min")


def coverage(runs=50):
    idx = pd.date_range("2024-01-01 08:00", periods=8, freq="30min")
    hits = 0
    for seed in range(runs):
        sim = wfm.simulate(pd.Series(60.0, index=idx), 240, 8, patience=90, seed=seed)
        p = interval_history(sim.contacts, "30min", calendar=idx).patience.loc["all"]
        hits += p["lo"] <= 90 <= p["hi"]
    return hits / runs


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    raw, sim, calls = month_log()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "month.csv"
        raw.to_csv(path, index=False)
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            log, hist = read_and_build(path)
            times.append(time.perf_counter() - start)
    print(f"contact log: {len(raw):,} rows (SYNTHETIC, seeded), {len(log):,} kept, "
          f"{len(hist.table)} open half-hours")
    print(f"read_contacts + interval_history: best {min(times):.2f} s, median {np.median(times):.2f} s "
          f"over {args.repeat} runs (bar: <= 2 s)")
    exact = interval_history(sim.contacts, "30min", calendar=calls.index).table
    same = all(np.array_equal(exact[a].to_numpy(), sim.intervals[b].to_numpy(), equal_nan=True)
               for a, b in [("calls", "offered"), ("answered", "answered"), ("abandoned", "abandoned"),
                            ("service_level", "service_level"), ("abandon_rate", "abandon_rate"), ("asa", "asa")])
    print(f"interval history of the simulated log equals the simulator's interval figures exactly: {same}")
    p = hist.patience.loc["all"]
    print(f"patience from the file (simulated 120 s): {p['patience']:.1f} s, 95% interval "
          f"{p['lo']:.1f}-{p['hi']:.1f} s")
    print(f"patience 95% interval coverage over 50 seeded runs (simulated 90 s): {coverage():.0%} (bar: >= 90%)")


if __name__ == "__main__":
    main()
