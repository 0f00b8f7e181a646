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

import numpy as np
import pandas as pd

import wfm.forecast._core as core
from wfm.forecast import auto
from wfm.forecast.baselines import window_average_matrix

sys.path.insert(0, str(Path(__file__).resolve().parent))
import replay_auto_rules as R  # noqa: E402
from panel import AKL19_SENSORS, load_panel  # noqa: E402

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
    records, bars, ok = {}, {}, True
    shipped = replay(("weighted_average",))
    for s in load_panel(names):
        records[s.name] = R.record(s, 12, extra=extra)
        bars[s.name] = tuple(min(R.score_rule(records[s.name], lambda bt, n=n: {n: 1.0})[i]
                                 for n in ("seasonal_naive", "window_average")) for i in (0, 1))
        worst = max(np.abs(sum(w * r["future"][n] for n, w in shipped(r["bt"]).items()) - r["default"]).max()
                    for r in records[s.name])
        ok &= worst < 1e-6
        print(f"{s.name}: {len(records[s.name])} origins; replay of auto as it is vs a direct run: "
              f"max difference {worst:.2g} calls", flush=True)
    rows = []
    before = {"topdown_trend": "topdown"}  # auto's families before the weighted average: the two baselines apart
    for label, baselines in {"auto as it is (weighted_average)": ("weighted_average",),
                             "as before (4-week average, seasonal naive; their own families)":
                                 ("window_average", "seasonal_naive"), **sets}.items():
        choose = replay(baselines, before if label.startswith("as before") else None)
        cells, ratios, met = [], [], 0
        for s, recs in records.items():
            iw, dw = R.score_rule(recs, choose)
            cells.append(f"{iw:.4f}{'*' if iw > bars[s][0] + 1e-12 else ' '}/{dw:.4f}"
                         f"{'*' if dw > bars[s][1] + 1e-12 else ' '}")
            met += (iw <= bars[s][0] + 1e-12) + (dw <= bars[s][1] + 1e-12)
            ratios.append(iw / R.BEST_PEER.get(s, bars[s][0]))
        rows.append([label, f"{met}/{2 * len(records)}", f"{np.exp(np.mean(np.log(ratios))):.3f}", *cells])
    pd.set_option("display.width", 250)
    print("\ninterval/daily WAPE of auto; * above the bar (better of calendar seasonal naive and 4-week average): " +
          ", ".join(f"{s} {b[0]:.4f}/{b[1]:.4f}" for s, b in bars.items()))
    print(pd.DataFrame(rows, columns=["baseline candidates", "bars met", "geomean/peer", *records]).to_string(
        index=False))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
