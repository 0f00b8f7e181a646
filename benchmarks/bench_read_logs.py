"""
Reading a month-sized contact log and building its interval history (bar: at most 2 s for ~50,000 rows).

SYNTHETIC DATA: the log is a seeded wfm.simulate run (22 weekdays, 07:00-21:00 in half-hours, about 80
calls per interval), written as a call-level ACD export would be: a day-first date column, times of day
(H:MM:SS), outcome codes (AGENT / HANG / PHANTOM), 0:00:00 and NO_SERVER placeholders, a queue type to
filter on. The timed step is the one an analyst runs:

    read_contacts(file, columns=..., outcomes=..., na_values=..., filters=..., dayfirst=True)
    interval_history(log, "30min")

Also printed: the patience interval's coverage over 50 seeded runs (bar: >= 90% at 95%), whether the
history of a simulated log equals the simulator's own interval figures (bar: exactly), the same read with
60 bad rows of two kinds set aside (on_bad_rows="reject": three reads of the rows in memory), and each
misread of issue 25 (skew taken for midnight, placeholder times, waits and ASA of hours, zero-wait abandons,
history dated in the future): an error or a warning naming the rows (bar: all of them).

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
from wfm.logs import DataWarning, interval_history, read_contacts, read_history


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


def read_and_build(path, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        log = read_contacts(path, {"arrival": "q_start", "abandon": "q_exit", "answer": "ser_start",
                                   "end": "ser_exit", "agent": "server"},
                            outcomes={"AGENT": "answered", "HANG": "abandoned", "PHANTOM": "other"},
                            na_values={"ser_start": "0:00:00", "ser_exit": "0:00:00", "server": "NO_SERVER"},
                            filters={"type": "PS"}, dayfirst=True, **options)
        return log, interval_history(log, "30min")


def with_bad_rows(raw):
    """The month log with 30 service starts that are text and 30 a minute before their queue start."""
    bad = raw.copy()
    answered = np.flatnonzero((bad["outcome"].to_numpy() == "AGENT") & (bad["type"].to_numpy() == "PS"))
    bad.loc[answered[100:3100:100], "ser_start"] = "pending"
    early = answered[150:3150:100]
    start = pd.to_timedelta(bad.loc[early, "q_start"])
    bad.loc[early, "ser_start"] = [f"{int(t.total_seconds()) // 3600}:{int(t.total_seconds()) // 60 % 60:02d}:"
                                   f"{int(t.total_seconds()) % 60:02d}" for t in start - pd.Timedelta(minutes=1)]
    return bad


def misreads():
    """Each misread of issue 25 on a small log: (name, how it is reported, naming rows?)."""
    from wfm.logs import PlausibilityWarning

    def outcome(fn):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                fn()
            except (ValueError, TypeError) as err:
                return "error", "rows [" in str(err)
        hits = [w for w in caught if issubclass(w.category, PlausibilityWarning)]
        return ("warning", any("rows [" in str(w.message) or "positions [" in str(w.message) for w in hits)) \
            if hits else ("silent", False)

    cols = {"arrival": "q_start", "answer": "ser_start", "handle": "ser_time"}
    day = lambda a, b: pd.DataFrame({"date": "2003-10-01", "q_start": a, "ser_start": b, "ser_time": 100})
    office = [f"{h}:{m:02d}:{s:02d}" for h in range(8, 18) for m in range(0, 60, 7) for s in (5,)]
    t0 = pd.Timestamp("2024-03-04 09:00")
    arrivals = t0 + pd.to_timedelta(np.arange(30) * 60, unit="s")
    ivr = pd.DataFrame({"arrival": arrivals, "answered": np.arange(30) < 10, "abandoned": np.arange(30) >= 10,
                        "wait": np.r_[np.full(10, 20.0), np.full(10, 40.0), np.zeros(10)], "handle": 100.0})
    slow = pd.DataFrame({"arrival": ["2024-03-04 09:00:00"], "answer": ["2024-03-04 12:00:00"], "handle": [1]})
    cases = {
        "answer 16 s before arrival, skew 3 s (was: a wait of 86,384 s)":
            lambda: read_contacts(day(["10:00:16"], ["10:00:00"]), cols, skew=3),
        "placeholder arrival 0:00:00 (was: a wait of ten hours)":
            lambda: read_contacts(day(office + ["0:00:00"], office + ["10:00:15"]), cols),
        "waits over 2 h": lambda: read_contacts(slow),
        "ASA over 1 h": lambda: interval_history(slow, "60min", calendar=pd.DatetimeIndex([t0])),
        "a third of the abandons waited 0 s": lambda: read_contacts(ivr),
    }
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "future.csv"
        now = pd.Timestamp.now().normalize()
        pd.DataFrame({"timestamp": [now - pd.Timedelta(days=1), now + pd.Timedelta(days=7)], "calls": [1, 2]}
                     ).to_csv(path, index=False)
        cases["history dated in the future"] = lambda: read_history(path, interval="1D", missing="closed")
        return [(name, *outcome(fn)) for name, fn in cases.items()]


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
    parser.add_argument("--quick", action="store_true", help="one run of each, 10 coverage runs")
    args = parser.parse_args()
    if args.quick:
        args.repeat = 1
    raw, sim, calls = month_log()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "month.csv"
        raw.to_csv(path, index=False)
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            log, hist = read_and_build(path)
            times.append(time.perf_counter() - start)
        bad_path = Path(tmp) / "month_bad.csv"
        with_bad_rows(raw).to_csv(bad_path, index=False)
        bad_times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            bad_log, _ = read_and_build(bad_path, on_bad_rows="reject")
            bad_times.append(time.perf_counter() - start)
    print(f"contact log: {len(raw):,} rows (SYNTHETIC, seeded), {len(log):,} kept, "
          f"{len(hist.table)} open half-hours")
    print(f"read_contacts + interval_history: best {min(times):.2f} s, median {np.median(times):.2f} s "
          f"over {args.repeat} runs (bar: <= 2 s)")
    rejected = bad_log.attrs["rejected"]
    print(f"with 60 bad rows set aside (on_bad_rows='reject'): best {min(bad_times):.2f} s, median "
          f"{np.median(bad_times):.2f} s; {len(rejected)} rows in the rejected table, "
          f"{rejected['reason'].nunique()} reasons; kept {len(bad_log):,} + rejected {len(rejected)} = "
          f"{len(bad_log) + len(rejected):,} of the {len(log):,} read cleanly")
    found = misreads()
    for name, how, rows in found:
        print(f"  misread: {name}: {how}{' naming the rows' if rows else ''}")
    print(f"misreads of issue 25 reported as an error or warning naming the rows: "
          f"{sum(how != 'silent' and rows for _, how, rows in found)} of {len(found)} (bar: all)")
    exact = interval_history(sim.contacts, "30min", calendar=calls.index).table
    same = all(np.array_equal(exact[a].to_numpy(), sim.intervals[b].to_numpy(), equal_nan=True)
               for a, b in [("calls", "offered"), ("answered", "answered"), ("abandoned", "abandoned"),
                            ("service_level", "service_level"), ("abandon_rate", "abandon_rate"), ("asa", "asa")])
    print(f"interval history of the simulated log equals the simulator's interval figures exactly: {same}")
    p = hist.patience.loc["all"]
    print(f"patience from the file (simulated 120 s): {p['patience']:.1f} s, 95% interval "
          f"{p['lo']:.1f}-{p['hi']:.1f} s")
    runs = 10 if args.quick else 50
    print(f"patience 95% interval coverage over {runs} seeded runs (simulated 90 s): {coverage(runs):.0%} "
          "(bar: >= 90%)")


if __name__ == "__main__":
    main()
