"""Replay ``method="auto"`` over other candidate sets, on the forecast panel, without refitting.

Why
---
``replay_auto_rules.py`` varies the rule ``auto`` chooses by, over its own
candidates. This script varies the candidates: it records, once per series
and origin, every default candidate of ``auto`` plus seasonal naive, the
4-week average and weighted averages of several decays and windows (``waD_W``:
``decay`` D over W weeks), each with its 12 in-history backtest windows and
its forecast of the real week; then replays ``auto``'s own rule (the
simplest candidate within 2% of the best, the baseline first; the mean of
the best two of different families when it backtests lower; the last 4
windows with MSTL, 6 without) over each candidate set. It is how the
weighted average came to stand for the baselines (``benchmarks/README.md``).

Self-check: the set ``auto`` uses now, replayed, must give ``auto``'s own
forecast to 1e-6 calls at every origin of every series; the script exits 1
if not.

Run (in the bench environment, see ``bench_forecast.py``)::

    .venv-bench/bin/python benchmarks/replay_auto_candidates.py [--series vic_elec,taylor] [--held-out]
"""

from __future__ import annotations

import argparse
import sys
from functools import partial
from pathlib import Path

import pandas as pd

import wfm.forecast._core as core
from wfm.forecast import auto
from wfm.forecast.baselines import window_average_matrix

sys.path.insert(0, str(Path(__file__).resolve().parent))
import replay_auto_rules as R
from panel import AKL19_SENSORS, load_panel

DEVELOPMENT = ("vic_elec", "taylor", "akl_pedestrians", "nyc_departures", "bank_sun_thu_3w", "bank_calls 30min",
               "bank_calls 15min")
HELD_OUT = tuple(f"akl19 {s}" for s in AKL19_SENSORS)
#: Weighted averages recorded: (decay, weeks).
WEIGHTED = [(d, w) for d in (0.5, 0.6, 0.7, 0.8) for w in (6, 8, 12)]
REST = ("topdown", "topdown_trend", "mstl")


def register():
    """The weighted-average variants as methods of their own; every one of the window-average family."""
    names = []
    for d, w in WEIGHTED:
        name = f"wa{d:g}_{w}"
        core.METHODS[name] = (partial(window_average_matrix, weeks=w, decay=d), ())
        auto.FAMILY[name] = "window_average"
        names.append(name)
    return names


def replay(baselines, family=None):
    """auto's rule over ``baselines`` (simplest first) and the model candidates; ``family`` for auto.FAMILY."""
    def choose(bt):
        names = [n for n in (*baselines, *REST) if n in bt]
        sub = {n: bt[n] for n in names}
        saved = auto.SIMPLICITY, auto.FAMILY
        auto.SIMPLICITY = tuple(baselines) + tuple(n for n in saved[0] if n not in baselines)
        auto.FAMILY = saved[1] if family is None else family
        try:
            return R.rule(last=core.N_WINDOWS_SLOW if "mstl" in sub else core.N_WINDOWS)(sub)
        finally:
            auto.SIMPLICITY, auto.FAMILY = saved
    return choose


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--series", default=None, help="comma-separated panel series (default: the development "
                                                       "seven, or the held-out four with --held-out)")
    parser.add_argument("--held-out", action="store_true", help="the four held-out Auckland sensors")
    args = parser.parse_args(argv)
    names = args.series.split(",") if args.series else HELD_OUT if args.held_out else DEVELOPMENT
    weighted = register()
    extra = ("seasonal_naive", "window_average", *weighted)
    sets = {"4-week average, seasonal naive": ("window_average", "seasonal_naive"),
            "4-week average only": ("window_average",),
            **{f"{n}, seasonal naive": (n, "seasonal_naive") for n in weighted if n in ("wa0.8_12", "wa0.7_8")},
            **{f"{n} only": (n,) for n in weighted}}
    records, bars, ok = R.record_panel(load_panel(names), 12, extra, replay(("weighted_average",)),
                                       "auto as it is")
    before = {"topdown_trend": "topdown"}  # auto's families before the weighted average: the two baselines apart
    grid = [("auto as it is (weighted_average)", replay(("weighted_average",))),
            ("as before (4-week average, seasonal naive; their own families)",
             replay(("window_average", "seasonal_naive"), before)),
            *[(label, replay(baselines)) for label, baselines in sets.items()]]
    pd.set_option("display.width", 250)
    print(R.score_table(records, bars, grid, "baseline candidates", extra=True).to_string(index=False))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
