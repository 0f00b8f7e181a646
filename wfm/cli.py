"""Command line: ``wfm demo`` staffs the last full week of the bundled bank data.

Exit codes: 0 success, 1 the run failed, 2 bad usage.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

__all__ = ["main"]


def _write_atomic(path: Path, write) -> None:
    """Write through a temporary file in the same folder, then rename: whole or nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _demo(args) -> int:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    from .calendar import last_full_week
    from .datasets import bank_calls
    from .staffing import staffing_plan

    calls = last_full_week(bank_calls(args.freq))
    plan = staffing_plan(calls, aht=args.aht, service_level=args.service_level, threshold=args.threshold,
                         shrinkage=args.shrinkage)
    out = Path(args.out)
    table = plan.table
    days = table.index.strftime("%a %d %b")
    grid = pd.DataFrame({"day": days, "time": table.index.strftime("%H:%M"),
                         "cell": [f"{c:>4.0f} {a:>3d} {s:>5.1f}" for c, a, s in
                                  zip(table["calls"], table["agents"], table["scheduled_agents"])]})
    pivot = grid.pivot(index="time", columns="day", values="cell")[list(dict.fromkeys(days))]
    with pd.option_context("display.width", 200, "display.max_rows", 200, "display.max_columns", 20):
        print(f"wfm demo: bank_calls, week of {table.index[0]:%d %b %Y}, {args.freq} intervals, "
              f"AHT {args.aht:g} s, {args.service_level:.0%} in {args.threshold:g} s, "
              f"shrinkage {args.shrinkage:.0%}, Erlang C\n")
        print("Per interval: calls  agents  scheduled agents")
        print(pivot.to_string())
        print("\nPer day:")
        print(plan.totals("D").round(1).to_string())
        print("\nWeek:")
        print(plan.summary().round(3).to_string())
    csv_path = out / "staffing_plan.csv"
    png_path = out / "staffing_plan.png"
    _write_atomic(csv_path, lambda p: table.to_csv(p, float_format="%.6g"))
    ax = plan.plot()
    _write_atomic(png_path, lambda p: ax.figure.savefig(p, dpi=120, bbox_inches="tight", format="png"))
    plt.close(ax.figure)
    print(f"\nwrote {csv_path} and {png_path}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="wfm", description="Contact-centre workforce planning.")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="staff the last full week of the bundled bank_calls data")
    demo.add_argument("--out", default="output", help="folder for the CSV and PNG (default: output)")
    demo.add_argument("--freq", default="30min", choices=["15min", "30min", "60min"], help="interval length")
    demo.add_argument("--aht", type=float, default=300.0, help="average handle time [s] (default 300)")
    demo.add_argument("--service-level", type=float, default=0.8, help="target fraction (default 0.8)")
    demo.add_argument("--threshold", type=float, default=20.0, help="answer-time target [s] (default 20)")
    demo.add_argument("--shrinkage", type=float, default=0.3, help="shrinkage fraction (default 0.3)")
    args = parser.parse_args(argv)
    try:
        return _demo(args)
    except (ValueError, TypeError) as err:
        print(f"wfm: error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
