"""Time the main job, ``wfm run scenarios/weekly_bank_calls.yaml``, end to end and step by step.

The job
-------
``scenarios/weekly_bank_calls.yaml`` on the bundled real ``bank_calls`` data
(30-minute intervals): forecast the week of 27-31 October 2003 (auto method,
calibrated band), backtest it on the four weeks before, staff 48 variants of a
what-if grid (volume x0.9..x1.2, AHT +-10%, SL 80% or 90%, absence 15% or 20%)
to the forecast distribution with Erlang A, size the shifts (HiGHS, 15 s limit)
and run the simulation check and the KPIs for the base plan and two marked
variants, then write the CSV and Parquet tables, the plots, ``report.html``
and ``wfm_plan.xlsx``.

What is measured
----------------
* **End to end**: the wall time of the command in a fresh Python process
  (interpreter start and imports included), ``--repeats`` times, with the
  load average of the machine before each run (it may be shared).
* **Per step**: one run in this process, with the seconds of each step summed
  over queues and variants as the runner records them (``timings.csv``; with
  several worker processes the sum exceeds the wall time) and the seconds of
  each kind of output file.

The bar (issue 15): the whole run under 30 s on a 2-core machine. The CPU
seconds of the command (user + system, its worker processes included) are
printed beside the wall time, as the machine may be shared.

Checks (exit code 1 when one fails; timings never fail): the command exits
0, every variant is ok, the expected files exist, the schedule covers the
requirement in every interval, the output folder's lock is released, and
the CLI summary, the report's headline cards and the workbook's summary
sheet show the same headline text.

Usage::

    python benchmarks/bench_scenario.py              # 1 end-to-end run + the per-step run
    python benchmarks/bench_scenario.py --repeats 3 --jobs 1
"""

from __future__ import annotations

import argparse
import html
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "weekly_bank_calls.yaml"
FILES = ["variants.csv", "forecast.csv", "requirements.csv", "schedule_shifts.csv", "coverage.csv",
         "simulation_check.csv", "kpis.csv", "report.html", "wfm_plan.xlsx", "forecast.png", "schedule_gantt.png"]


def check_headline(out, printed, problems, label):
    """The same headline text in the CLI summary, the report's first screen and the workbook's first sheet."""
    if not (out / "wfm_plan.xlsx").exists() or not (out / "report.html").exists():
        return
    book = pd.read_excel(out / "wfm_plan.xlsx", sheet_name="summary", keep_default_na=False)
    cards = dict(re.findall(r'<div class="card" data-figure="([a-z_]+)"><div class="value">(.*?)</div>',
                            (out / "report.html").read_text()))
    lines = {m.group(1): m.group(2) for m in (re.match(r"    (.+?)\s{2,}(\S.*)$", line)
                                              for line in printed.splitlines()) if m}
    for row in book.itertuples():
        if html.unescape(cards.get(row.figure, "")) != row.text or lines.get(row.label) != row.text:
            problems.append(f"{label}: headline {row.figure} differs: workbook {row.text!r}, report "
                            f"{cards.get(row.figure)!r}, CLI {lines.get(row.label)!r}")


def check(out, problems, label):
    if (out / ".wfm-lock").exists():
        problems.append(f"{label}: the output folder's lock was left behind")
    for name in FILES:
        if not (out / name).exists():
            problems.append(f"{label}: {name} missing")
    if (out / "variants.csv").exists():
        v = pd.read_csv(out / "variants.csv")
        if not (v["status"] == "ok").all():
            problems.append(f"{label}: failed variants {v.loc[v['status'] != 'ok', 'variant'].tolist()}")
    if (out / "coverage.csv").exists():
        cov = pd.read_csv(out / "coverage.csv")
        if (cov["scheduled"] < cov["required"]).any():
            problems.append(f"{label}: the schedule leaves intervals under the requirement")


def end_to_end(args, problems):
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    rows = []
    for i in range(args.repeats):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "output"
            load = os.getloadavg()[0]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "wfm", "run", str(SCENARIO), "--out", str(out),
                                   "--jobs", str(args.jobs)], env=env, capture_output=True, text=True, check=False)
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            check_headline(out, proc.stdout, problems, f"run {i + 1}")
            if proc.returncode != 0:
                problems.append(f"run {i + 1}: exit code {proc.returncode}: {proc.stderr.strip()[-500:]}")
            check(out, problems, f"run {i + 1}")
            rows.append({"run": i + 1, "wall [s]": round(wall, 1), "cpu [s]": round(cpu, 1),
                         "load before": round(load, 2),
                         "load after": round(os.getloadavg()[0], 2), "exit": proc.returncode})
            print(f"  run {i + 1}: {wall:.1f} s wall, {cpu:.1f} s CPU (load {load:.2f})", flush=True)
    return pd.DataFrame(rows)


def per_step(args):
    import matplotlib

    matplotlib.use("Agg")
    from wfm.scenario import run_scenario, write_outputs

    start = time.perf_counter()
    result = run_scenario(SCENARIO, jobs=args.jobs)
    run_wall = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        written = write_outputs(result, Path(tmp) / "output")
    write_wall = time.perf_counter() - start - run_wall
    steps = result.timings.groupby("step", sort=False)["seconds"].agg(["sum", "count", "max"]).round(2)
    steps.columns = ["seconds (sum)", "calls", "longest"]
    files = pd.Series(written["seconds"], name="seconds").round(2)
    return result, steps, files, run_wall, write_wall


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=1, help="end-to-end runs (default 1)")
    parser.add_argument("--jobs", type=int, default=0, help="wfm run --jobs (default 0: one per CPU)")
    args = parser.parse_args(argv)
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}; load average {os.getloadavg()[0]:.2f}")
    problems = []
    print(f"\nEnd to end: wfm run {SCENARIO.relative_to(ROOT)} --jobs {args.jobs}")
    table = end_to_end(args, problems)
    print(table.to_string(index=False))
    print("\nPer step (one run in this process):")
    result, steps, files, run_wall, write_wall = per_step(args)
    print(steps.to_string())
    print(f"  run_scenario wall: {run_wall:.1f} s ({result.executor}), {len(result.variants)} variants")
    print("Output files:")
    print(files.to_string())
    print(f"  write_outputs wall: {write_wall:.1f} s")
    best = table["wall [s]"].min()
    print(f"\nBest end-to-end time {best:.1f} s; bar 30 s: {'met' if best < 30 else 'NOT met'}. "
          f"Load average at end {os.getloadavg()[0]:.2f}.")
    if problems:
        print("\nFAILED:\n  " + "\n  ".join(problems))
        return 1
    print("All checks passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
