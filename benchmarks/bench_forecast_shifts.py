"""Forecasting when the level moves: steps and a ramp laid on the panel's real series, and short histories.

The shift panel
---------------
Every series of the forecast panel (``benchmarks/panel.py``; the seven of the
issue by default, ``--held-out`` adds the four Auckland sensors of 2019),
at its last ``--origins`` (4) week starts. For each origin the series is
multiplied by a factor that depends on the day relative to the origin, in
the history and in the week to forecast alike (so the actuals carry the
same change), then rounded back to whole numbers when the series is counts:

* ``step -15% @1w`` ... ``step +15% @3w``: the factor is 0.85 (or 1.15) from
  1, 2 or 3 weeks before the origin on, 1 before: a level that moved one,
  two or three weeks ago and stayed.
* ``ramp -5%/wk``: from 4 weeks before the origin the factor falls 5
  percentage points a week (linearly, day by day) and goes on falling
  through the week forecast: a centre losing volume week by week.
* ``3 weeks`` / ``4 weeks``: no change, but every method sees only the last
  21 or 28 calendar days before the origin (a new queue).
* ``none``: no change, the panel's own history (for reference).

Everything synthetic here is the change itself (documented above, no
randomness); the series under it are real.

The bars (``wfm auto``)
-----------------------
In every shift case and on every series: interval WAPE and daily WAPE at
most the better of seasonal naive (the textbook one on the open-interval
sequence and wfm's calendar one) and wfm's weighted average; bias (sum of
forecast minus actual over actual, mean over origins) within +/-5% where
two weeks or more of the new level are in the history (the steps at 2 and
3 weeks; the ramp's bias is printed, without a bar). With 3 and 4 weeks of
history: daily WAPE at most seasonal naive's. The script prints each bar
per case and the counts; it exits 1 only when a forecast is invalid.

Run from the repository root (no peers needed):
``nice -n 10 /work/main/.venv/bin/python benchmarks/bench_forecast_shifts.py [--series a,b] [--cases ...]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

import wfm
from wfm import metrics

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_forecast import HELD_OUT_NAMES, positional, wfm_method  # noqa: E402
from panel import load_panel, week_origins  # noqa: E402

STEP = 0.15
RAMP = 0.05  # per week
CASES = ("none", "step -15% @1w", "step -15% @2w", "step -15% @3w", "step +15% @1w", "step +15% @2w",
         "step +15% @3w", "ramp -5%/wk", "3 weeks", "4 weeks")
METHODS = ("wfm auto", "seasonal naive", "seasonal naive (calendar)", "wfm weighted_average")
BASELINES = METHODS[1:]
SNAIVE = ("seasonal naive", "seasonal naive (calendar)")


def factor(days, origin, case):
    """Multiplier of each day (``days``: normalised timestamps) for ``case`` at ``origin``."""
    since = np.asarray((days - origin) / pd.Timedelta(days=1), dtype=float)  # days after the origin
    if case.startswith("step"):
        sign = -1.0 if "-" in case.split()[1] else 1.0
        weeks = int(case[-2])
        return np.where(since >= -7 * weeks, 1 + sign * STEP, 1.0)
    if case.startswith("ramp"):
        return 1 - RAMP * np.clip(since + 28, 0, None) / 7
    return np.ones(since.shape)


def history_days(series, case):
    if case in ("3 weeks", "4 weeks"):
        return 7 * int(case[0])
    return series.history_days


def shifted(calls, origin, case, counts):
    out = calls * factor(calls.index.normalize(), origin, case)
    return out.round() if counts else out


def with_case(series, origin, case):
    """(the series with ``case`` laid on it at ``origin``, the history a method sees at ``origin``)."""
    counts = bool(np.all(series.calls.to_numpy() == np.round(series.calls.to_numpy())))
    calls = shifted(series.calls, origin, case, counts)
    hist = calls[calls.index < origin]
    days = history_days(series, case)
    if days:
        hist = hist[hist.index >= origin - pd.Timedelta(days=days)]
    return calls, hist


def run_case(series, origin, case, methods):
    calls, hist = with_case(series, origin, case)
    week = calls[(calls.index >= origin) & (calls.index < origin + pd.Timedelta(days=7))]
    rows = []
    for name in methods:
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if name == "wfm auto":
                fc = wfm.forecast.forecast(hist, week.index, method="auto", week_start=series.week_start)
                table, chose = fc.table, fc.method
            elif name == "seasonal naive":
                table, chose = positional(hist, week.index, days_per_week=series.horizon, weeks=1), name
            else:
                method = {"seasonal naive (calendar)": "seasonal_naive", "wfm weighted_average": "weighted_average"}
                table = wfm_method(method[name], week_start=series.week_start)(hist, week.index)
                chose = name
        seconds = time.perf_counter() - start
        a, f = week.to_numpy(dtype=float), table["forecast"].to_numpy(dtype=float)
        if not np.isfinite(f).all():
            raise RuntimeError(f"{series.name} {case} {origin:%Y-%m-%d}: {name} gave a non-finite forecast")
        day = week.index.normalize()
        da = pd.Series(a).groupby(day).sum().to_numpy()
        df = pd.Series(f).groupby(day).sum().to_numpy()
        rows.append({"series": series.name, "case": case, "origin": origin, "method": name,
                     "wape": metrics.wape(a, f), "day_wape": metrics.wape(da, df), "bias": metrics.bias(a, f),
                     "seconds": seconds, "chose": chose})
    return rows


def bars(table):
    """One line per series and case: auto against the better baseline, and the bias bar."""
    mean = table.groupby(["series", "case", "method"], sort=False)[["wape", "day_wape", "bias", "seconds"]].mean()
    lines = []
    for (name, case), part in mean.groupby(level=[0, 1], sort=False):
        part = part.droplevel([0, 1])
        auto = part.loc["wfm auto"]
        short = case in ("3 weeks", "4 weeks")
        ref = part.loc[[m for m in (SNAIVE if short else BASELINES) if m in part.index]]
        line = {"series": name, "case": case, "auto_wape": auto["wape"], "ref_wape": ref["wape"].min(),
                "auto_day": auto["day_wape"], "ref_day": ref["day_wape"].min(), "auto_bias": auto["bias"],
                "snaive_bias": part.loc["seasonal naive", "bias"], "auto_s": auto["seconds"]}
        line["wape_ok"] = np.nan if short or case == "none" else auto["wape"] <= ref["wape"].min() + 1e-12
        line["day_ok"] = np.nan if case == "none" else auto["day_wape"] <= ref["day_wape"].min() + 1e-12
        line["bias_ok"] = abs(auto["bias"]) <= 0.05 if case.endswith(("@2w", "@3w")) else np.nan
        rows = table[(table["series"] == name) & (table["case"] == case)]
        chosen = rows[rows["method"] == "wfm auto"]
        for col, key in (("wape", "lost"), ("day_wape", "day_lost")):
            # origins where auto did worse than the better baseline (the one with the lower mean), of all origins
            by = rows.pivot_table(index="origin", columns="method", values=col)
            diff = by["wfm auto"] - by[ref[col].idxmin()]
            worse = diff > 1e-12
            line[key] = f"{int(worse.sum())}/{len(by)}"
            # paired t of auto minus that baseline over the origins: is a miss (or a win) more than origin noise?
            se = diff.std(ddof=1) / np.sqrt(len(diff)) if len(diff) > 1 else np.nan
            line[key.replace("lost", "t")] = diff.mean() / se if se > 0 else np.nan
        line["auto_chose"] = ", ".join(chosen["chose"].value_counts().index.tolist())[:60]
        lines.append(line)
    return pd.DataFrame(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", default=None, help="comma-separated panel series (default: the issue's seven)")
    parser.add_argument("--held-out", action="store_true", help="also the four held-out Auckland sensors")
    parser.add_argument("--cases", default=None, help=f"comma-separated cases (default: all of {CASES})")
    parser.add_argument("--origins", type=int, default=4, help="origins per series (4)")
    parser.add_argument("--out", default=None, help="write the per-origin rows as CSV here")
    args = parser.parse_args(argv)
    names = args.series.split(",") if args.series else None
    panel = [s for s in load_panel(names) if names or args.held_out or s.name not in HELD_OUT_NAMES]
    cases = tuple(args.cases.split(",")) if args.cases else CASES
    bad = [c for c in cases if c not in CASES]
    if bad:
        raise SystemExit(f"unknown cases {bad}; choose from {CASES}")
    print(f"wfm {wfm.__version__}; {os.cpu_count()} CPUs; load average "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}; synthetic level changes on real series")
    start = time.perf_counter()
    rows = []
    for series in panel:
        origins = week_origins(series.calls, series.week_start, series.horizon, args.origins, min_history_days=35)
        for case in cases:
            for origin in origins:
                rows += run_case(series, origin, case, METHODS)
            part = pd.DataFrame(rows)
            part = part[(part["series"] == series.name) & (part["case"] == case)]
            m = part.groupby("method")[["wape", "day_wape", "bias"]].mean()
            print(f"{series.name:17s} {case:15s} " + "  ".join(
                f"{k.replace('wfm ', '').replace('seasonal naive', 'sn')[:14]:>14s} {m.loc[k, 'wape']:.4f}/"
                f"{m.loc[k, 'day_wape']:.4f}/{m.loc[k, 'bias']:+.3f}" for k in METHODS), flush=True)
    table = pd.DataFrame(rows)
    check = bars(table)
    pd.set_option("display.width", 250)
    print("\nwfm auto against the better baseline (mean over origins; ref = better of seasonal naive and the "
          "weighted average, or seasonal naive alone for 3 and 4 weeks of history)")
    print(check.to_string(index=False, float_format=lambda x: f"{x:.4f}"))
    for col, label in (("wape_ok", "interval WAPE <= better baseline (shifts)"),
                       ("day_ok", "daily WAPE <= better baseline (shifts) / seasonal naive (short)"),
                       ("bias_ok", "|bias| <= 5% with two weeks of the new level")):
        done = check[col].dropna()
        print(f"  {label}: {int(done.astype(bool).sum())}/{len(done)}"
              + ("" if done.all() else "  missed: " + "; ".join(
                  f"{r.series} {r.case}" for r in check.loc[done.index[~done.astype(bool)]].itertuples())))
    if args.out:
        table.to_csv(args.out, index=False)
    print(f"max auto fit+predict {table.loc[table['method'] == 'wfm auto', 'seconds'].max():.1f} s per origin; "
          f"total {time.perf_counter() - start:.0f} s (shared, loaded machine)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
