"""Replay ``method="auto"``'s choice under other selection rules, on the forecast panel, without refitting.

Why
---
``bench_forecast.py`` scores the rule ``auto`` uses. To compare that rule with
others fairly (the same candidates, the same backtest windows, the same
weeks), this script runs ``wfm.forecast.forecast(method="auto")`` once per
series and origin with ``--windows`` (12) backtest windows, records every
candidate's backtest pairs and its forecast of the real week, and then
scores each rule on those records in seconds: a rule sees only the backtest
(the last ``K`` windows of it) and returns weights over the candidates; its
forecast of the week is the weighted mean of the candidates' forecasts.

Self-check: wfm's own rule (:mod:`wfm.forecast.auto`: the simplest method
within ``TIE_TOLERANCE`` of the best, replaced by the equal-weight mean of
the best two of different families when that scores lower), replayed on the
last ``N_WINDOWS_SLOW`` windows, must give ``auto``'s forecast at its default
settings to 1e-9 on every series but the 5-day bank (``N_WINDOWS`` there);
the script exits 1 if the replayed default rule and a direct run disagree.

The rules replayed: the tie tolerance (0, 2%, 5%), how many candidates the
combination takes (2-4, of different families), equal or inverse-squared-WAPE
weights, windows weighted equally or by recency (each window twice the weight
of the one before), and the number of backtest windows (4-12). Figures are
interval / daily WAPE, mean over the origins, with ``*`` where the better of
wfm's calendar seasonal naive and 4-week average is lower (the bar), and the
geometric mean of the ratio to the best peer from ``benchmarks/README.md``.

Run (in the bench environment, see ``bench_forecast.py``)::

    .venv-bench/bin/python benchmarks/replay_auto_rules.py [--series vic_elec,taylor] [--windows 12]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

import wfm.forecast._core as core
from wfm.forecast import auto

sys.path.insert(0, str(Path(__file__).resolve().parent))
from panel import load_panel, week_origins

#: Best peer's interval WAPE per series (benchmarks/README.md, the last full panel run).
BEST_PEER = {"bank_calls 30min": .0724, "bank_calls 15min": .0768, "taylor": .0147, "vic_elec": .0604,
             "akl_pedestrians": .1487, "nyc_departures": .1739, "bank_sun_thu_3w": .0764,
             "akl19 1 Courthouse Lane": .2296, "akl19 2 High Street": .1887, "akl19 30 Queen Street": .1466,
             "akl19 8 Darby Street EW": .1636}


def record(series, n_windows, extra=()):
    """
    Per origin: actual week, auto's forecast, each candidate's backtest pairs and forecast of the week.

    ``extra``: methods recorded besides auto's default candidates (``"default"`` is always auto's own
    forecast at its default settings, without them). ``"bt"`` holds the default candidates' backtests,
    ``"bt_extra"`` the extras'; ``"future"`` every method's forecast of the week.
    """
    cap = {}
    real = (core.method_function, auto.collect, core.auto_select)

    def method_function(name, options, strict=True):
        fn = real[0](name, options, strict=strict)
        cap["fns"][name], cap["current"] = fn, name
        return fn

    def collect(fn, panel, wins):
        pairs = real[1](fn, panel, wins)
        cap["pairs"][cap["current"]] = pairs
        return pairs

    def auto_select(panel, wins, *args, **kwargs):
        out = real[2](panel, wins, *args, **kwargs)
        cap["future"] = {n: core._point(panel, cap["fns"][n](panel), n) for n in cap["pairs"]}
        return out

    core.method_function, auto.collect, core.auto_select = method_function, collect, auto_select
    try:
        out = []
        calls = series.calls
        for origin in week_origins(calls, series.week_start, series.horizon, 8,
                                   min_history_days=series.history_days or 7):
            hist = calls[calls.index < origin]
            if series.history_days:
                hist = hist[hist.index >= origin - pd.Timedelta(days=series.history_days)]
            week = calls[(calls.index >= origin) & (calls.index < origin + pd.Timedelta(days=7))]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                cap.update(fns={}, pairs={})
                default = core.forecast(hist, week.index, method="auto", week_start=series.week_start)
                default_names = set(cap["pairs"])
                cap.update(fns={}, pairs={})  # what the run with n_windows windows leaves here is kept
                defaults = core.default_candidates
                core.default_candidates = lambda panel, defaults=defaults: defaults(panel) + tuple(extra)
                try:
                    fc = core.forecast(hist, week.index, method="auto", week_start=series.week_start,
                                       n_windows=n_windows)
                finally:
                    core.default_candidates = defaults
            out.append({"origin": origin, "actual": week.to_numpy(), "days": week.index.normalize(),
                        "chosen": fc.method, "default": default.table["forecast"].to_numpy(),
                        "bt": {n: (p.actual, p.forecast, p.window) for n, p in cap["pairs"].items()
                               if n in default_names},
                        "bt_extra": {n: (p.actual, p.forecast, p.window) for n, p in cap["pairs"].items()
                                     if n not in default_names},
                        "future": cap["future"]})
        return out
    finally:
        core.method_function, auto.collect, core.auto_select = real


def window_wapes(actual, forecast, window):
    return np.array([np.abs(actual[m] - forecast[m]).sum() / actual[m].sum()
                     for m in (window == w for w in np.unique(window))])


def rule(tie=auto.TIE_TOLERANCE, k=2, weights="equal", recency=1.0, last=None):
    """A selection rule: backtest {name: (actual, forecast, window)} -> weights {name: w}."""
    def score(ww):
        wts = recency ** np.arange(len(ww))
        return float(np.sum(wts * ww) / wts.sum())

    def choose(bt):
        if last is not None:
            bt = {n: tuple(x[np.isin(w, np.unique(w)[-last:])] for x in (a, f, w)) for n, (a, f, w) in bt.items()}
        sc = {n: score(window_wapes(*v)) for n, v in bt.items()}
        near = [n for n in sc if sc[n] <= (1 + tie) * min(sc.values())]
        best = min(near, key=lambda n: auto.SIMPLICITY.index(n))
        top = []
        for n in sorted(sc, key=sc.get):
            if len(top) < k and all(auto.FAMILY.get(n, n) != auto.FAMILY.get(t, t) for t in top):
                top.append(n)
        if len(top) >= 2:
            raw = {n: 1.0 if weights == "equal" else sc[n] ** -2 for n in top}
            w = {n: x / sum(raw.values()) for n, x in raw.items()}
            a, _, win = bt[top[0]]
            if score(window_wapes(a, sum(w[n] * bt[n][1] for n in top), win)) < sc[best]:
                return w
        return {best: 1.0}
    return choose


def shipped(bt):
    """wfm's own rule at its default number of windows (fewer when MSTL is a candidate)."""
    return rule(last=core.N_WINDOWS_SLOW if "mstl" in bt else core.N_WINDOWS)(bt)


def score_rule(records, choose, extra=False):
    """Mean interval and daily WAPE of the weeks ``choose`` forecasts (over the extras too with ``extra``)."""
    iw, dw = [], []
    for r in records:
        f = sum(w * r["future"][n] for n, w in choose({**r["bt"], **r["bt_extra"]} if extra else r["bt"]).items())
        a = r["actual"]
        iw.append(np.abs(a - f).sum() / a.sum())
        A, F = pd.Series(a).groupby(r["days"]).sum(), pd.Series(f).groupby(r["days"]).sum()
        dw.append(float(np.abs(A - F).sum() / A.sum()))
    return float(np.mean(iw)), float(np.mean(dw))


def record_panel(panel, n_windows, extra, replayed, what):
    """(records, bars, ok) per series: the records, the better baseline's interval and daily WAPE (the bar),
    and whether ``replayed`` (a choose over the records' default candidates) reproduced auto to 1e-6 calls."""
    records, bars, ok = {}, {}, True
    for s in panel:
        records[s.name] = record(s, n_windows, extra=extra)
        bars[s.name] = tuple(min(score_rule(records[s.name], lambda bt, n=n: {n: 1.0})[i]
                                 for n in ("seasonal_naive", "window_average")) for i in (0, 1))
        worst = max(np.abs(sum(w * r["future"][n] for n, w in replayed(r["bt"]).items()) - r["default"]).max()
                    for r in records[s.name])
        ok &= worst < 1e-6
        print(f"{s.name}: {len(records[s.name])} origins; replay of {what} vs a direct run: "
              f"max difference {worst:.2g} calls", flush=True)
    return records, bars, ok


def score_table(records, bars, grid, label, extra=False):
    """One row per (name, choose) of ``grid``: bars met, geometric mean over the best peer, per-series cells."""
    rows = []
    for name, choose in grid:
        cells, ratios, met = [], [], 0
        for s, recs in records.items():
            iw, dw = score_rule(recs, choose, extra)
            cells.append(f"{iw:.4f}{'*' if iw > bars[s][0] + 1e-12 else ' '}/{dw:.4f}"
                         f"{'*' if dw > bars[s][1] + 1e-12 else ' '}")
            met += (iw <= bars[s][0] + 1e-12) + (dw <= bars[s][1] + 1e-12)
            ratios.append(iw / BEST_PEER.get(s, bars[s][0]))
        rows.append([name, f"{met}/{2 * len(records)}", f"{np.exp(np.mean(np.log(ratios))):.3f}", *cells])
    print("\ninterval/daily WAPE of auto; * above the bar (better of calendar seasonal naive and 4-week "
          "average): " + ", ".join(f"{s} {b[0]:.4f}/{b[1]:.4f}" for s, b in bars.items()))
    return pd.DataFrame(rows, columns=[label, "bars met", "geomean/peer", *records])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--series", default="vic_elec,taylor,bank_sun_thu_3w,bank_calls 30min,akl_pedestrians,"
                                            "nyc_departures")
    parser.add_argument("--windows", type=int, default=12, help="backtest windows recorded (12)")
    args = parser.parse_args(argv)
    # the baselines are recorded for the bar only: the rules choose among auto's own candidates
    records, bars, ok = record_panel(load_panel(args.series.split(",")), args.windows,
                                     ("seasonal_naive", "window_average"), shipped, "auto's default rule")
    grid = [("auto as shipped", shipped)]
    grid += [(f"tie {t:.0%} k {k} {w} recency {r:g} windows {n}", rule(t, k, w, r, n))
             for n in (4, 8, 12) for t, k, w, r in itertools.product((0.0, 0.02, 0.05), (2, 3),
                                                                      ("equal", "inv-sq"), (1.0, 2.0))]
    print(score_table(records, bars, grid, "rule").to_string(index=False))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
