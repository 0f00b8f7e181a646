"""Staff a year of 15-minute intervals with wfm and with pyworkforce, and compare.

The year
--------
35,040 intervals: every 15 minutes of 2025, 24 hours a day, 7 days a week.
Calls per interval are whole numbers drawn as

    calls = Poisson(PEAK * intraday[slot] * weekly[weekday] * day_factor)

* ``intraday`` (96 slots, peak 1): low at night (3-4% of the peak from
  midnight to 06:00), a morning ramp from 07:00, the peak at 10:30-11:00, a
  lunch dip, an afternoon shoulder at 80-85% (13:00-15:00) and an evening
  decline to 8% by 22:00. Either the synthetic knots of ``INTRADAY_KNOTS``
  (linear between them), or, when ``wfm.datasets.bank_calls()`` exists, the
  mean weekday 07:00-21:00 profile of that real data (North American bank,
  2003; 5-minute counts to 15 minutes), with the synthetic knots only for the
  night hours it does not cover.
* ``weekly`` (peak 1): Monday highest, falling through the week, Saturday 45%
  and Sunday 30% of Monday (weekday factors from the bank data when used).
* ``day_factor``: mild day-to-day noise, lognormal with sigma 3%.
* ``PEAK`` = 2,000: the expected calls of the busiest interval of the year
  (a Monday late morning), 667 Erlangs at AHT 300 s; Poisson noise takes the
  realised maximum a little above it.

With the bank data (the default when present) the weekday opening hours
follow its mean profile: a ramp from 30% at 07:00 to the peak at 10:15-11:00,
85% through early afternoon, then a decline to 25% by 20:45; Tuesday to
Thursday run 85-90% of Monday. ``--synthetic`` forces the synthetic shape.

Everything is seeded (``SEED``) and deterministic.

The staffing problem
--------------------
Erlang C, AHT 300 s, 80% of calls answered within 20 s, no occupancy cap and
no shrinkage: the fewest whole agents per interval with service level >= 0.8.

What is measured
----------------
* wfm: ``wfm.required_agents`` on the whole year at once, on a NumPy array and
  on a pandas Series (interval inferred from its index); one warm-up call,
  then the best and the median of ``--repeats`` timed calls.
* pyworkforce: ``ErlangC(...).required_positions(0.8, 1.0)['raw_positions']``
  one interval at a time (that is its API), timed on a seeded random sample
  stratified by load (equal draws from each decile of calls), then
  extrapolated to the 35,040 intervals with the stratified estimator
  sum_h N_h * mean_time_h. It is an extrapolation and the output says so.
  pyworkforce raises on transactions <= 0, so zero-call intervals count as
  0 agents on its side, at no cost (wfm also gives 0 there).
* Agreement on the sample: pyworkforce's answer n is *right* when the exact
  Erlang C service level at n is >= 0.8 and at n - 1 is < 0.8, checked
  independently with mpmath at 30 digits (or wfm.service_level, exact to
  about 1e-12, when mpmath is missing). wfm must equal pyworkforce wherever
  pyworkforce is right, and its own answer must pass the same check.
* Because calls are whole numbers and AHT and the target are fixed, the answer
  depends on the call count only: unless ``--quick`` or ``--no-exhaustive``,
  pyworkforce is also run once on every distinct call count of the year (not
  timed), which extends the agreement check to all 35,040 intervals.

The exit code is 1 when the agreement check fails, 0 otherwise. Speed is a
printed figure, never a failure.

Usage::

    python benchmarks/bench_staffing_year.py            # full run
    python benchmarks/bench_staffing_year.py --quick    # a few seconds
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from importlib import metadata

import numpy as np
import pandas as pd
import scipy

import wfm

try:
    from pyworkforce.queuing import ErlangC
except ImportError:  # pragma: no cover - reported by main()
    ErlangC = None

AHT = 300.0  # s
INTERVAL = 900.0  # s
SERVICE_LEVEL = 0.8
THRESHOLD = 20.0  # s
PEAK = 2000.0  # expected calls in the busiest interval of the year
YEAR = 2025
SEED = 20250101

# Intraday shape: (hour of day, level relative to the peak), linear in between.
INTRADAY_KNOTS = [
    (0, 0.04), (6, 0.03), (7, 0.12), (8, 0.45), (9, 0.80), (10, 0.95), (10.75, 1.00),
    (11.5, 0.97), (12.5, 0.84), (13.5, 0.85), (15, 0.80), (16, 0.70), (17, 0.55),
    (18, 0.38), (19, 0.25), (20, 0.17), (22, 0.08), (24, 0.04),
]
# Weekly shape, Monday first, relative to Monday.
WEEKLY = np.array([1.00, 0.96, 0.93, 0.92, 0.88, 0.45, 0.30])
DAY_NOISE = 0.03  # sigma of the lognormal day factor


# --------------------------------------------------------------------------
# Demand.
# --------------------------------------------------------------------------


def synthetic_intraday():
    """96 levels, one per 15-minute slot (taken at the slot's midpoint), peak 1."""
    hours, levels = zip(*INTRADAY_KNOTS)
    mid = (np.arange(96) + 0.5) / 4
    shape = np.interp(mid, hours, levels)
    return shape / shape.max()


def bank_shape():
    """(intraday, weekly, note) from wfm.datasets.bank_calls(), or None if it is not there.

    The open 15-minute slots (weekdays 07:00-21:00) take the real mean profile,
    scaled to peak 1; the closed night slots keep the synthetic knots and the
    weekend keeps the synthetic factors. The record's lone 21:00-21:05 slot is
    dropped: it would fill a third of a 15-minute interval.
    """
    try:
        from wfm import datasets
        calls = datasets.bank_calls()
    except (ImportError, AttributeError):
        return None
    idx = calls.index
    calls = calls[idx.hour * 60 + idx.minute < 21 * 60]
    idx = calls.index
    per_slot = calls.groupby(idx.hour * 4 + idx.minute // 15).mean() * 3  # mean 5-minute count x 3
    intraday = synthetic_intraday()
    intraday[per_slot.index.to_numpy()] = per_slot.to_numpy() / per_slot.max()
    by_day = calls.groupby(idx.day_of_week).mean()
    weekly = WEEKLY.copy()
    weekly[by_day.index.to_numpy()] = by_day.to_numpy() / by_day.max()
    note = (f"wfm.datasets.bank_calls() ({len(calls):,} five-minute counts): weekday "
            f"{per_slot.index.min() // 4:02d}:00-{(per_slot.index.max() + 1) // 4:02d}:00 profile and "
            "weekday factors; synthetic night hours and weekend")
    return intraday, weekly, note


def build_year(use_bank=True, seed=SEED):
    """The year of demand: whole calls per 15-minute interval on a DatetimeIndex, and a note."""
    shape = bank_shape() if use_bank else None
    if shape is None:
        intraday, weekly = synthetic_intraday(), WEEKLY
        note = "synthetic intraday and weekly shape (INTRADAY_KNOTS, WEEKLY)"
    else:
        intraday, weekly, note = shape
    index = pd.date_range(f"{YEAR}-01-01", f"{YEAR + 1}-01-01", freq="15min", inclusive="left")
    rng = np.random.default_rng(seed)
    days = index.normalize()
    day_number = (days - days[0]).days.to_numpy()
    day_factor = rng.lognormal(0.0, DAY_NOISE, day_number.max() + 1)[day_number]
    slot = index.hour * 4 + index.minute // 15
    shape = intraday[slot] * weekly[index.day_of_week] * day_factor
    mean = PEAK * shape / shape.max()
    calls = rng.poisson(mean).astype(np.int64)
    return pd.Series(calls, index=index, name="calls"), note


# --------------------------------------------------------------------------
# Timing.
# --------------------------------------------------------------------------


def time_calls(fn, repeats):
    """(result, list of seconds): one warm-up call, then ``repeats`` timed calls."""
    result = fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return result, times


def pyworkforce_agents(calls):
    """pyworkforce's raw positions for one interval (0 for no calls, which it rejects)."""
    if calls <= 0:
        return 0
    erlang = ErlangC(transactions=float(calls), aht=AHT / 60, asa=THRESHOLD / 60, interval=INTERVAL / 60)
    return int(erlang.required_positions(service_level=SERVICE_LEVEL, max_occupancy=1.0)["raw_positions"])


def stratified_sample(calls, size, rng, strata=10):
    """Positions drawn evenly from each load decile, and the stratum of every interval."""
    edges = np.quantile(calls, np.linspace(0, 1, strata + 1)[1:-1])
    stratum = np.searchsorted(edges, calls, side="right")
    if size >= calls.size:
        return np.arange(calls.size), stratum
    picks = []
    for h in range(strata):
        members = np.flatnonzero(stratum == h)
        take = min(members.size, max(1, size // strata))
        picks.append(rng.choice(members, take, replace=False))
    return np.sort(np.concatenate(picks)), stratum


def time_pyworkforce(calls, sample, stratum):
    """Answers on the sample, total seconds there, and the year extrapolated (estimate, 95% half-width)."""
    pyworkforce_agents(calls.max())  # warm-up, untimed
    answers = np.empty(sample.size, dtype=np.int64)
    seconds = np.empty(sample.size)
    for i, pos in enumerate(sample):
        start = time.perf_counter()
        answers[i] = pyworkforce_agents(calls[pos])
        seconds[i] = time.perf_counter() - start
    estimate, variance = 0.0, 0.0
    for h in np.unique(stratum):
        in_sample = stratum[sample] == h
        size = np.count_nonzero(stratum == h)
        t = seconds[in_sample]
        estimate += size * t.mean()
        if t.size > 1:  # with the finite-population correction: 0 when the stratum is all measured
            variance += size**2 * t.var(ddof=1) / t.size * (1 - t.size / size)
    return answers, seconds.sum(), estimate, 1.96 * np.sqrt(variance)


# --------------------------------------------------------------------------
# Independent check of an answer.
# --------------------------------------------------------------------------


def exact_sl_pair_mpmath(calls, n):
    """Exact Erlang C service level at n and at n - 1 agents, in 30-digit arithmetic."""
    import mpmath

    mpf = mpmath.mpf
    with mpmath.workdps(30):
        load = mpf(int(calls)) * mpf(str(AHT)) / mpf(str(INTERVAL))
        t = mpf(str(THRESHOLD)) / mpf(str(AHT))

        def sl_from_b(k, b):
            if k <= load:
                return mpf(0)
            c = k * b / (k - load * (1 - b))  # Erlang C from Erlang B
            return 1 - c * mpmath.exp(-(k - load) * t)

        b = b_prev = mpf(1)  # Erlang B with 0 agents; the recurrence below is stable
        for k in range(1, n + 1):
            b_prev, b = b, load * b / (k + load * b)
        return sl_from_b(n, b), (sl_from_b(n - 1, b_prev) if n >= 1 else mpf(0))


def check_answers(calls, answers, method):
    """Boolean array: ``answers`` is the fewest agents with service level >= target.

    Also returns the smallest distance of either service level to the target,
    to flag near-ties that double precision could not settle.
    """
    calls = np.asarray(calls)
    answers = np.asarray(answers)
    right = np.zeros(calls.size, dtype=bool)
    gap = np.full(calls.size, np.inf)
    zero = calls <= 0
    right[zero] = answers[zero] == 0
    busy = ~zero & (answers >= 1)
    if method == "mpmath":
        import mpmath

        target = mpmath.mpf(str(SERVICE_LEVEL))  # 0.8 exactly, not the double nearest to it
        cache = {}
        for i in np.flatnonzero(busy):
            key = (int(calls[i]), int(answers[i]))
            if key not in cache:
                at_n, below = exact_sl_pair_mpmath(*key)
                gap_n = float(min(abs(at_n - target), abs(below - target)))
                cache[key] = (at_n >= target and below < target, gap_n)
            right[i], gap[i] = cache[key]
    else:
        c, n = calls[busy], answers[busy]
        at_n = wfm.service_level(c, AHT, INTERVAL, n, THRESHOLD)
        below = wfm.service_level(c, AHT, INTERVAL, n - 1, THRESHOLD)
        right[busy] = (at_n >= SERVICE_LEVEL) & (below < SERVICE_LEVEL)
        gap[busy] = np.minimum(abs(at_n - SERVICE_LEVEL), abs(below - SERVICE_LEVEL))
    return right, gap


def have_mpmath():
    try:
        import mpmath  # noqa: F401
    except ImportError:
        return False
    return True


# --------------------------------------------------------------------------
# Report.
# --------------------------------------------------------------------------


def environment():
    """Lines describing the machine and the libraries."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    lines = [
        f"python {platform.python_version()} on {platform.system()} {platform.machine()}, CPU {cpu}",
        f"CPUs: {os.cpu_count()} (usable by this process: {usable})",
        f"numpy {np.__version__}, scipy {scipy.__version__}, pandas {pd.__version__}, "
        f"wfm {wfm.__version__}, pyworkforce {_version('pyworkforce')}, mpmath {_version('mpmath')}",
    ]
    try:
        from threadpoolctl import threadpool_info

        pools = [f"{p['internal_api']} {p.get('version')} x{p['num_threads']}" for p in threadpool_info()]
        lines.append("thread pools: " + (", ".join(pools) or "none loaded"))
    except ImportError:
        env = {k: os.environ[k] for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
               if k in os.environ}
        try:
            blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
            blas = f"{blas.get('name')} {blas.get('version')}"
        except Exception:  # noqa: BLE001 - purely informative
            blas = "unknown"
        lines.append(f"numpy BLAS: {blas}; thread env: {env or 'unset'} "
                     "(threadpoolctl not installed; wfm's work is element-wise, not BLAS)")
    return lines


def _version(package):
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def fmt_s(seconds):
    return f"{seconds * 1e3:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="fewer repeats, a smaller pyworkforce sample, no exhaustive check")
    parser.add_argument("--repeats", type=int, help="timed wfm calls (default 7, quick 3)")
    parser.add_argument("--sample", type=int,
                        help="pyworkforce sample size (default 500, quick 100; 0 = every interval, no extrapolation)")
    parser.add_argument("--synthetic", action="store_true", help="use the synthetic shape even if bank data exist")
    parser.add_argument("--no-exhaustive", action="store_true",
                        help="skip pyworkforce on every distinct call count of the year")
    args = parser.parse_args(argv)
    repeats = args.repeats or (3 if args.quick else 7)
    sample_size = (100 if args.quick else 500) if args.sample is None else args.sample
    exhaustive = not (args.quick or args.no_exhaustive)
    if ErlangC is None:
        print("pyworkforce is not installed (pip install pyworkforce); nothing to compare against.")
        return 2

    print("wfm staffing benchmark: a year of 15-minute intervals, Erlang C, AHT 300 s, 80/20")
    for line in environment():
        print("  " + line)

    series, note = build_year(use_bank=not args.synthetic)
    calls = series.to_numpy(dtype=float)
    print(f"\ndemand: {len(series):,} intervals, {series.index[0]:%Y-%m-%d %H:%M} to "
          f"{series.index[-1]:%Y-%m-%d %H:%M}; shape: {note}")
    print(f"  calls per interval: max {calls.max():,.0f}, mean {calls.mean():,.0f}, "
          f"zero in {np.count_nonzero(calls == 0)} intervals; peak load {calls.max() * AHT / INTERVAL:,.0f} Erlangs")

    # wfm on the whole year.
    agents, t_array = time_calls(
        lambda: wfm.required_agents(calls, AHT, INTERVAL, SERVICE_LEVEL, THRESHOLD), repeats)
    agents_series, t_series = time_calls(
        lambda: wfm.required_agents(series, AHT, service_level=SERVICE_LEVEL, threshold=THRESHOLD), repeats)
    if not np.array_equal(agents, agents_series.to_numpy()):
        print("ERROR: the array and Series paths of wfm give different agents")
        return 1
    print(f"\nwfm.required_agents, whole year, best / median of {repeats} after a warm-up:")
    print(f"  array : {fmt_s(min(t_array))} / {fmt_s(statistics.median(t_array))}")
    print(f"  Series: {fmt_s(min(t_series))} / {fmt_s(statistics.median(t_series))}")
    print(f"  peak agents {agents.max():,}, agent-hours {agents.sum() * INTERVAL / 3600:,.0f}")

    # pyworkforce on a stratified sample, extrapolated.
    rng = np.random.default_rng(SEED + 1)
    whole = sample_size <= 0 or sample_size >= len(calls)
    sample, stratum = stratified_sample(calls, len(calls) if whole else sample_size, rng)
    pw, pw_seconds, pw_year, pw_half = time_pyworkforce(calls, sample, stratum)
    print("\npyworkforce ErlangC.required_positions, one interval at a time:")
    if whole:
        print(f"  MEASURED on all {len(calls):,} intervals: {fmt_s(pw_seconds)} "
              f"({pw_seconds / sample.size * 1e3:.2f} ms per interval), not extrapolated")
    else:
        print(f"  measured on a stratified sample of {sample.size} intervals: {fmt_s(pw_seconds)} "
              f"({pw_seconds / sample.size * 1e3:.2f} ms per interval)")
        print(f"  EXTRAPOLATED to {len(calls):,} intervals: {fmt_s(pw_year)} "
              f"(95% interval +/- {fmt_s(pw_half)})")

    best, median = min(t_array), statistics.median(t_array)
    how = "measured" if whole else "extrapolated"
    print(f"\nratio pyworkforce ({how}) / wfm (array): {pw_year / best:,.0f}x against wfm's best, "
          f"{pw_year / median:,.0f}x against its median (bar: >= 200x)")

    # Agreement on the sample.
    method = "mpmath" if have_mpmath() else "wfm.service_level"
    pw_right, pw_gap = check_answers(calls[sample], pw, method)
    wfm_right, wfm_gap = check_answers(calls[sample], agents[sample], method)
    same = pw == agents[sample]
    failed = {"sampled intervals": np.count_nonzero((pw_right & ~same) | ~wfm_right)}
    where = "" if whole else "sampled "
    print(f"\nagreement on the {sample.size:,} {where}intervals (answers checked with {method}):")
    print(f"  wfm == pyworkforce: {np.count_nonzero(same):,} of {sample.size:,}")
    print(f"  pyworkforce right: {np.count_nonzero(pw_right):,} of {sample.size:,}; "
          f"wfm right: {np.count_nonzero(wfm_right):,} of {sample.size:,}")
    print(f"  wfm equals pyworkforce wherever pyworkforce is right: {not (pw_right & ~same).any()}")
    print(f"  closest service level to the target at n or n - 1: {min(pw_gap.min(), wfm_gap.min()):.2e}")
    show_wrong(calls[sample], pw, agents[sample], pw_right)

    if exhaustive:
        failed["intervals of the whole year"] = check_every_count(calls, agents)

    bad = " and ".join(f"{count:,} {where}" for where, count in failed.items() if count)
    print("\nAGREEMENT: " + (f"FAIL: wfm is not the fewest agents at {bad}" if bad else "PASS"))
    return 1 if bad else 0


def show_wrong(calls, pw, ours, pw_right, limit=5):
    """Print a few intervals where pyworkforce's answer is not the fewest agents."""
    wrong = np.flatnonzero(~pw_right)
    for i in wrong[:limit]:
        print(f"    pyworkforce wrong: {calls[i]:g} calls ({calls[i] * AHT / INTERVAL:.3f} Erlangs): "
              f"pyworkforce {pw[i]}" + ("" if ours is None else f", wfm {ours[i]}"))
    if wrong.size > limit:
        print(f"    ... and {wrong.size - limit} more")


def check_every_count(calls, agents):
    """pyworkforce once per distinct call count of the year; number of intervals failing the check."""
    counts, inverse = np.unique(calls, return_inverse=True)
    pw_count = np.array([pyworkforce_agents(c) for c in counts])
    pw_count_right, _ = check_answers(counts, pw_count, "wfm.service_level")
    pw, pw_right = pw_count[inverse], pw_count_right[inverse]
    wfm_right, _ = check_answers(calls, agents, "wfm.service_level")
    same = pw == agents
    print(f"\nagreement on all {len(calls):,} intervals ({counts.size:,} distinct call counts, "
          "pyworkforce run once per count, checked with wfm.service_level):")
    print(f"  wfm == pyworkforce: {np.count_nonzero(same):,} of {len(calls):,}")
    print(f"  pyworkforce right: {np.count_nonzero(pw_right):,}; wfm right: {np.count_nonzero(wfm_right):,}")
    print(f"  wfm equals pyworkforce wherever pyworkforce is right: {not (pw_right & ~same).any()}")
    show_wrong(counts, pw_count, None, pw_count_right)
    return np.count_nonzero((pw_right & ~same) | ~wfm_right)


if __name__ == "__main__":
    sys.exit(main())
