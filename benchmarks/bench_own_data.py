"""
Issue 25's bars on the own-data path: from each shipped example export to report and workbook in two commands.

For each SYNTHETIC example export in ``wfm/datasets/data/examples/`` (a
Sunday-Thursday interval report, the same centre's contact log, a 24x7
centre's quarter-hour report) this runs, as a new user would,

    wfm init EXPORT --out DIR/centre.yaml [reader flags]
    wfm run DIR/centre.yaml --out DIR/out

each in its own process, and prints: the exit codes and seconds, the
headline's FTE to employ against heads to employ x paid hours per head /
hours per FTE, whether the same FTE text appears in the CLI summary, the
report's headline cards, the workbook's summary sheet and variants.csv, and
the weekly required FTE of ``wfm staff`` against ``StaffingPlan.totals`` for
every week start. Then it times the main job (``wfm run
scenarios/weekly_bank_calls.yaml``), whose bar is 30 s on 2 cores.

    python benchmarks/bench_own_data.py [--quick]

``--quick`` skips the main job's timing.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import wfm

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = Path(wfm.__file__).parent / "datasets" / "data" / "examples"
LOG_FLAGS = ["--dayfirst", "--na", "ser_start=0:00:00", "--na", "ser_exit=0:00:00", "--na", "server=NO_SERVER",
             "--na", "customer_id=0", "--filter", "type=PS"]
CASES = {"interval report (Sun-Thu)": ("interval_report.csv", []),
         "contact log (Sun-Thu)": ("contact_log.csv", LOG_FLAGS),
         "24x7 centre (15 min)": ("interval_report_24x7.csv", [])}


def _wfm(*args):
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "wfm", *map(str, args)], capture_output=True, text=True, cwd=REPO)
    return proc.returncode, time.perf_counter() - t0, proc.stdout, proc.stderr


def _same_fte(out, printed):
    """(FTE identity holds, the FTE text is the same in the CLI, report, workbook and variants.csv)."""
    book = pd.read_excel(out / "wfm_plan.xlsx", sheet_name="summary", keep_default_na=False).set_index("figure")
    f = book["value"]
    identity = bool(np.isclose(float(f["heads_to_employ"]) * float(f["paid_hours_per_head"]),
                               float(f["fte"]) * 37.5, rtol=1e-9))
    text = book.loc["fte", "text"]
    page = (out / "report.html").read_text()
    card = re.search(r'data-figure="fte"><div class="value">(.*?)</div>', page).group(1)
    cli = re.search(r"FTE to employ\s{2,}(\S+)", printed).group(1)
    variant = f"{pd.read_csv(out / 'variants.csv').set_index('variant').loc['base', 'fte']:,.1f}"
    return identity, text == card == cli == variant, text


def own_data():
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, (export, flags) in CASES.items():
            folder = Path(tmp) / export.split(".")[0]
            folder.mkdir()
            code_i, t_i, _, _ = _wfm("init", EXAMPLES / export, "--out", folder / "centre.yaml", "-q", *flags)
            code_r, t_r, printed, err = _wfm("run", folder / "centre.yaml", "--out", folder / "out")
            identity, same, fte = _same_fte(folder / "out", printed) if code_r == 0 else (False, False, "-")
            rows.append({"export": label, "init exit": code_i, "init s": round(t_i, 1), "run exit": code_r,
                         "run s": round(t_r, 1), "FTE to employ": fte, "FTE = heads x h / 37.5": identity,
                         "same FTE in CLI, report, workbook, variants": same})
    return pd.DataFrame(rows)


def week_starts():
    """wfm staff's printed required FTE against StaffingPlan.totals for every week start (the Sun-Thu forecast)."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        fc = Path(tmp) / "fc.csv"
        cols = "date=Date,time=Interval,calls=Offered,answered=Answered,handle_time=Handle Time (s)"
        _wfm("forecast", "--history", EXAMPLES / "interval_report.csv", "--columns", cols, "--dayfirst",
             "--method", "seasonal_naive", "--days", "5", "--out", fc)
        table = pd.read_csv(fc, index_col=0, parse_dates=True)
        plan = wfm.staffing_plan(table["forecast"].rename("calls"), table["aht"], shrinkage=0.3,
                                 open_days=table["open_days"].iloc[0].split(","))  # as wfm forecast wrote them
        for start in (None, "MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"):
            flags = [] if start is None else ["--week-start", start]
            _, _, printed, _ = _wfm("staff", "--forecast", fc, "--shrinkage", "0.3", "--method", "point", *flags,
                                    "--out", Path(tmp) / "plan.csv")
            cli = float(re.search(r"required FTE ([0-9.]+)", printed).group(1))
            weekly = plan.totals("W", week_start=start)
            lib = weekly["scheduled_hours"].sum() / weekly["week_share"].sum() / 37.5
            rows.append({"week start": start or "inferred (SUN)", "wfm staff": cli, "StaffingPlan.totals": round(lib, 1),
                         "equal": cli == round(lib, 1)})
    return pd.DataFrame(rows)


def main_job():
    with tempfile.TemporaryDirectory() as tmp:
        code, seconds, _, _ = _wfm("run", "scenarios/weekly_bank_calls.yaml", "--out", Path(tmp) / "out")
    return code, seconds


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--quick", action="store_true", help="skip the main job's timing")
    args = parser.parse_args()
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print("From each shipped example export (SYNTHETIC) to report and workbook in two commands:")
        print(own_data().to_string(index=False))
        print("\nWeekly required FTE, wfm staff against StaffingPlan.totals:")
        print(week_starts().to_string(index=False))
    if not args.quick:
        code, seconds = main_job()
        print(f"\nmain job (wfm run scenarios/weekly_bank_calls.yaml): exit {code}, {seconds:.1f} s (bar: 30 s)")
