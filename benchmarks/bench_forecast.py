"""Forecast the bank's call volume with wfm and with the best open-source forecasters, and score them alike.

The protocol
------------
Data: ``wfm.datasets.bank_calls`` (real, 2003, weekdays 07:00-21:00), at 30 and
at 15 minutes. Origins: the last 8 Mondays whose Monday-to-Friday week is
fully open (so 1 September, Labor Day, and the week of the missing 14 October
are not origins: 18 and 25 August, 8, 15, 22 and 29 September, 6 and 20
October). From all the history before each origin, every method forecasts
every open interval of the next 5 open days, and ``wfm.backtest`` scores it
with the evaluators' metrics: interval WAPE, daily-total WAPE, bias, MASE
(scaled by the seasonal naive of one open day), coverage of the 80% band,
and the fit+predict seconds per origin.

The methods
-----------
* ``wfm auto``: ``wfm.forecast_volume(method="auto")``: a rolling-origin
  backtest on the history before the origin chooses among topdown,
  window_average and seasonal_naive; the band is calibrated on the chosen
  method's errors in that backtest.
* ``wfm topdown``, ``wfm ets`` (Holt-Winters), ``wfm mstl``: wfm's models on
  their own (ets and mstl only without ``--quick``; their bands come from 3
  backtest windows to keep the run short).
* ``seasonal naive``: the same open interval one open week earlier, on the
  contiguous open-interval sequence (lag of 5 open days), as statsforecast's
  SeasonalNaive; ``seasonal naive (calendar)`` is wfm's version, the same
  weekday and time the last week it was open.
* ``4-week average``: the mean of the same open interval 1 to 4 open weeks
  earlier, on the contiguous sequence; ``4-week average (calendar)`` is
  wfm's ``window_average``.
* ``statsforecast MSTL``: ``MSTL(season_length=[day, week],
  trend_forecaster=AutoETS(model="ZZN"))`` on the contiguous open-interval
  sequence, 80% level.
* ``Prophet``: default Prophet with daily and weekly seasonality on the
  timestamps, ``interval_width=0.8``.

Peers are benchmark extras (``pip install statsforecast prophet``), not
runtime dependencies; a peer that is not installed is reported and skipped.
Forecasts and bounds of peers are clipped at 0 (counts).

The bars (method="auto", 30 minutes): interval WAPE at most 0.95x the best
peer's and at most 0.85x seasonal naive's; 80% coverage within 75-85%;
fit+predict at most 10 s per origin on a 2-core machine. The script prints
whether each is met; it exits 1 only when a forecast is invalid (negative,
NaN or misaligned: wfm.backtest raises), never because of a score or a
timing.

A generalisation check (without ``--quick``) runs auto and the calendar
baselines on a seeded synthetic 24/7 series (Europe/London, with both DST
changes) at 15, 30 and 60 minutes and on the bank at 60 minutes, with
wfm.backtest's default origins (the last 6 Mondays, horizon 7 or 5 days).

Run from the repository root: ``PYTHONPATH=. python benchmarks/bench_forecast.py [--quick]``.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import sys
import time
import warnings

import numpy as np
import pandas as pd

import wfm
from wfm.forecast import forecast_volume

METRICS = [("interval", "wape"), ("day", "wape"), ("interval", "bias"), ("interval", "mase"),
           ("interval", "coverage")]


def full_week_mondays(calls, n):
    """The last ``n`` Mondays whose Monday-Friday are all in the record."""
    days = calls.index.normalize().unique()
    mondays = pd.date_range(days[0] + pd.Timedelta(days=1), days[-1], freq="W-MON")
    full = [m for m in mondays if all(m + pd.Timedelta(days=i) in days for i in range(5))]
    return full[-n:]


def per_day(calls):
    return int(pd.Series(calls.index.normalize()).value_counts().mode().iloc[0])


# --------------------------------------------------------------------------- methods


def wfm_method(name, **options):
    def method(history, future_index):
        return forecast_volume(history, future_index, method=name, **options)
    method.__name__ = f"wfm {name}"
    return method


def positional_naive(history, future_index, weeks=1):
    """Textbook seasonal naive / k-week average on the contiguous open-interval sequence (lag one open week)."""
    m = 5 * per_day(history)
    y = history.to_numpy(dtype=float)
    h = np.arange(len(future_index))
    fold = h % m
    f = np.mean([y[len(y) - k * m + fold] for k in range(1, weeks + 1)], axis=0)
    # band from the same rule's errors over the history (empirical 10% and 90% quantiles of the ratio)
    past = np.mean([y[m * weeks - k * m: len(y) - k * m] for k in range(1, weeks + 1)], axis=0)
    ratio = y[m * weeks:] / np.maximum(past, 1)
    lo, hi = np.quantile(ratio, [0.1, 0.9])
    return pd.DataFrame({"forecast": f, "lower": np.maximum(f * lo, 0), "upper": f * hi}, index=future_index)


def statsforecast_mstl(history, future_index):
    from statsforecast import StatsForecast
    from statsforecast.models import MSTL, AutoETS

    day = per_day(history)
    df = pd.DataFrame({"unique_id": "bank", "ds": np.arange(len(history)), "y": history.to_numpy(dtype=float)})
    sf = StatsForecast(models=[MSTL(season_length=[day, 5 * day], trend_forecaster=AutoETS(model="ZZN"))],
                       freq=1, n_jobs=1)
    out = sf.forecast(df=df, h=len(future_index), level=[80])
    return pd.DataFrame({"forecast": np.maximum(out["MSTL"].to_numpy(), 0),
                         "lower": np.maximum(out["MSTL-lo-80"].to_numpy(), 0),
                         "upper": np.maximum(out["MSTL-hi-80"].to_numpy(), 0)}, index=future_index)


def prophet(history, future_index):
    from prophet import Prophet

    df = pd.DataFrame({"ds": history.index.tz_localize(None) if history.index.tz else history.index,
                       "y": history.to_numpy(dtype=float)})
    model = Prophet(daily_seasonality=True, weekly_seasonality=True, yearly_seasonality=False, interval_width=0.8)
    model.fit(df)
    ds = future_index.tz_localize(None) if future_index.tz else future_index
    out = model.predict(pd.DataFrame({"ds": ds}))
    f = np.maximum(out["yhat"].to_numpy(), 0)
    return pd.DataFrame({"forecast": f, "lower": np.clip(out["yhat_lower"].to_numpy(), 0, None),
                         "upper": np.maximum(out["yhat_upper"].to_numpy(), f)}, index=future_index)


def peers_available():
    found = {}
    for name in ("statsforecast", "prophet"):
        try:
            module = __import__(name)
            found[name] = getattr(module, "__version__", "?")
            if name == "prophet":  # Prophet logs every Stan run at INFO; keep the table readable
                logging.getLogger("cmdstanpy").disabled = True
        except Exception as err:  # noqa: BLE001 - report any import failure
            found[name] = None
            print(f"  {name} is not available ({type(err).__name__}: {err}); skipped.")
    return found


def warm_up(method, history, future_index):
    """One untimed call, so JIT compilation (numba) and model loading (Stan) are not counted."""
    try:
        method(history.iloc[-5 * 28 * 6:], future_index)
    except Exception:  # noqa: BLE001 - a failing warm-up shows again in the timed run
        pass


# --------------------------------------------------------------------------- scoring


def score(name, method, calls, origins):
    result = wfm.backtest(method, calls, origins=origins, horizon=5)
    mean = result.summary().set_index(["level", "metric"])["mean"]
    row = {"method": name}
    for level, metric in METRICS:
        row[f"{metric}" if level == "interval" else f"{level}_{metric}"] = float(mean.get((level, metric), np.nan))
    row["seconds"] = float(result.timings.mean())
    return row, result


def poisson_floor(calls, origins, seed=0):
    """Interval WAPE of the true Poisson mean: the best any forecast can do if the actuals were that mean."""
    rng = np.random.default_rng(seed)
    vals = []
    for o in origins:
        days = calls.index.normalize()
        horizon = days[days >= o].unique()[:5]
        a = calls[days.isin(horizon)].to_numpy(dtype=float)
        draws = rng.poisson(a, size=(200, a.size))
        vals.append(np.mean(np.abs(draws - a).sum(axis=1) / a.sum()))
    return float(np.mean(vals))


def run_frequency(freq, origins_n, quick, peers):
    calls = wfm.datasets.bank_calls(freq)
    origins = full_week_mondays(calls, origins_n)
    print(f"\n=== bank_calls at {freq}: {len(calls):,} intervals; origins "
          f"{', '.join(o.strftime('%d %b') for o in origins)}; horizon 5 open days ===")
    methods = [
        ("wfm auto", wfm_method("auto")),
        ("wfm topdown", wfm_method("topdown")),
        ("seasonal naive", positional_naive),
        ("seasonal naive (calendar)", wfm_method("seasonal_naive")),
        ("4-week average", lambda h, f: positional_naive(h, f, weeks=4)),
        ("4-week average (calendar)", wfm_method("window_average")),
    ]
    if not quick:
        methods += [("wfm ets", wfm_method("ets", n_windows=3)), ("wfm mstl", wfm_method("mstl", n_windows=3))]
    if peers.get("statsforecast"):
        methods.append(("statsforecast MSTL", statsforecast_mstl))
    if peers.get("prophet"):
        methods.append(("Prophet", prophet))
    history = calls[calls.index < origins[0]]
    days = calls.index.normalize()
    first = calls.index[days.isin(days[days >= origins[0]].unique()[:5])]
    rows = []
    for name, method in methods:
        if name in ("statsforecast MSTL", "Prophet"):
            warm_up(method, history, first)
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            row, _ = score(name, method, calls, origins)
        row["run_s"] = time.perf_counter() - start
        rows.append(row)
        print(f"  {name:28s} interval WAPE {row['wape']:.4f}  ({row['seconds']:.2f} s per origin)", flush=True)
    table = pd.DataFrame(rows).set_index("method")
    floor = poisson_floor(calls, origins)
    return table, floor


def bars(table, floor):
    auto = table.loc["wfm auto"]
    peers = [p for p in ("statsforecast MSTL", "Prophet") if p in table.index]
    lines = []
    if peers:
        best = min(peers, key=lambda p: table.loc[p, "wape"])
        ratio = auto["wape"] / table.loc[best, "wape"]
        lines.append((f"interval WAPE <= 0.95 x best peer ({best} {table.loc[best, 'wape']:.4f})",
                      f"{auto['wape']:.4f} = {ratio:.2f}x", ratio <= 0.95))
    else:
        lines.append(("interval WAPE <= 0.95 x best peer", "no peer installed", None))
    for naive in ("seasonal naive", "seasonal naive (calendar)"):
        ratio = auto["wape"] / table.loc[naive, "wape"]
        lines.append((f"interval WAPE <= 0.85 x {naive} ({table.loc[naive, 'wape']:.4f})",
                      f"{ratio:.2f}x", ratio <= 0.85))
    lines.append(("80% coverage within 0.75-0.85", f"{auto['coverage']:.3f}", 0.75 <= auto["coverage"] <= 0.85))
    lines.append(("fit+predict <= 10 s per origin", f"{auto['seconds']:.2f} s", auto["seconds"] <= 10))
    lines.append(("(for scale) Poisson noise floor of interval WAPE", f"{floor:.4f}", None))
    for what, value, ok in lines:
        mark = "" if ok is None else ("met" if ok else "MISSED")
        print(f"  {what:62s} {value:>16s}  {mark}")


def synthetic_247(freq, weeks=16, seed=7):
    """Seeded 24/7 series on Europe/London local time: weekday and weekend shapes, drifting level, Poisson."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2024-01-01", tz="Europe/London")
    idx = pd.date_range(start, start + pd.Timedelta(weeks=weeks), freq=freq, inclusive="left")
    wall = idx.tz_localize(None)
    hour = np.asarray(wall.hour + wall.minute / 60)
    wd = np.asarray(wall.day_of_week)
    weekday = 0.05 + np.exp(-0.5 * ((hour - 11) / 2.5) ** 2) + 0.7 * np.exp(-0.5 * ((hour - 15.5) / 2) ** 2)
    weekend = 0.05 + 0.6 * np.exp(-0.5 * ((hour - 13) / 3.5) ** 2)
    day = np.asarray((wall.normalize() - wall.normalize()[0]).days)
    level = np.exp(np.cumsum(rng.normal(0, 0.01, day.max() + 1)) + rng.normal(0, 0.03, day.max() + 1))[day]
    mean = 200 * np.where(wd >= 5, weekend, weekday) * np.array([1.15, 1, .97, .97, 1, .55, .4])[wd] * level
    mean *= pd.Timedelta(freq).total_seconds() / 1800
    return pd.Series(rng.poisson(mean).astype(float), index=idx, name="calls")


def generalisation():
    print("\n=== generalisation: same methods, other series (wfm.backtest default origins) ===")
    cases = [(f"synthetic 24/7 Europe/London {f}", synthetic_247(f), 7) for f in ("15min", "30min", "60min")]
    cases.append(("bank_calls 60min", wfm.datasets.bank_calls("60min"), 5))
    rows = []
    for label, series, horizon in cases:
        for name in ("auto", "window_average", "seasonal_naive"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = wfm.backtest(name, series, horizon=horizon, n_origins=6)
            mean = result.summary().set_index(["level", "metric"])["mean"]
            rows.append({"series": label, "method": name, "wape": mean["interval", "wape"],
                         "day_wape": mean["day", "wape"], "coverage": mean["interval", "coverage"],
                         "seconds": result.timings.mean()})
    print(pd.DataFrame(rows).to_string(index=False, float_format=lambda x: f"{x:.4f}"))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="30 minutes only, 4 origins, no ets/mstl, no "
                                                               "generalisation check")
    parser.add_argument("--origins", type=int, default=8, help="number of origins (default 8)")
    parser.add_argument("--freqs", default="30min,15min", help="interval lengths, comma-separated")
    parser.add_argument("--no-peers", action="store_true", help="skip statsforecast and Prophet")
    args = parser.parse_args(argv)
    logging.getLogger("cmdstanpy").setLevel(logging.WARNING)
    logging.getLogger("prophet").setLevel(logging.WARNING)
    freqs = ["30min"] if args.quick else args.freqs.split(",")
    n_origins = min(args.origins, 4) if args.quick else args.origins
    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",)
    print(f"wfm {wfm.__version__}; Python {platform.python_version()}; numpy {np.__version__}; pandas "
          f"{pd.__version__}; {os.cpu_count()} CPUs; load average {', '.join(f'{x:.2f}' for x in load)}")
    peers = {} if args.no_peers else peers_available()
    print("peers: " + (", ".join(f"{k} {v}" for k, v in peers.items() if v) or "none"))
    start = time.perf_counter()
    tables = {}
    for freq in freqs:
        table, floor = run_frequency(freq, n_origins, args.quick, peers)
        tables[freq] = table
        print(f"\nResults at {freq} (mean over origins; coverage of the 80% band; seconds = fit+predict per origin)")
        cols = ["wape", "day_wape", "bias", "mase", "coverage", "seconds"]
        print(table[cols].to_string(float_format=lambda x: f"{x:.4f}"))
        print(f"Poisson noise floor of interval WAPE at {freq}: {floor:.4f}")
        if freq == "30min":
            print("\nBars for wfm auto at 30 minutes:")
            bars(table, floor)
    if not args.quick:
        generalisation()
    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",)
    print(f"\ntotal {time.perf_counter() - start:.0f} s; load average at the end {', '.join(f'{x:.2f}' for x in load)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
