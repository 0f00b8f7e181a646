"""Issue 28's bars for the channel models: each model against the simulator, and the speed of sizing a week.

What is measured (all on seeded runs; the machine may be shared, so timings are upper bounds)
-------------------------------------------------------------------------------------------
1. Redials (``wfm.channels.erlang_x``, ``method="auto"``: the orbit chain for a delay up to the
   interval, the fixed point beyond) against ``simulate_redials`` at fresh loads 0.7-1.1 of 30 agents
   (AHT 180 s, patience 120 s, 40 lines, half the lost attempts redial) with redial delays of 300 s
   and 3,000 s: the service level at 30 agents (points apart), and the least agents meeting 80/20 by
   the model and by the simulation (agents apart). Bar: within one agent and 1 point, every load and
   delay. The fixed point's figures are printed beside (``fixed_point_points``,
   ``agents_fixed_point``).
1b. Callbacks (``callback_queue``, inbound given n minus the callback load) against
   ``simulate_callbacks`` (non-preemptive, callbacks returned in idle time): service level of the calls
   that stayed and the callback rate, four cases where the callbacks fit. No bar in the issue beyond
   the reduction (acceptance 0 is the plain queue, tested exactly); reported.
2. The redial probability and delay estimated (``estimate_redials``) from 50 simulated one-day logs:
   how often the 95% interval covers the truth. Bar: >= 90% of 50.
3. Chat (``chat_staffing``) against ``simulate_chat``: concurrency 1-4 and three loads, handle time
   300 s stretching by 25% per extra session, patience 180 s, 80% first responses within 60 s; the
   least agents meeting it by the model and by the simulation. Bar: within one agent, every case.
4. E-mail: a documented synthetic week of items (no public e-mail arrival data exists; see
   ``email_week``), a 24-hour target of 90%, the team open Mon-Sat 08:00-20:00. The sized plan is
   simulated over three repeats of the week (the middle one measured, 10 replications); bar: the
   lower end of the 95% interval >= 0.90, with fewer agent-hours than sizing each interval as a
   queue. Blending with the bank's voice week (``wfm.datasets.bank_calls``, last full week, Erlang A
   AHT 300 s, patience 180 s, scheduled with the shifts of notebook 03): the dedicated agent-hours
   saved and the voice service level simulated with the agents left on voice.
5. Speed: a week of 30-minute intervals sized per channel (best of 3). Bar: <= 10 s each.

Usage::

    python benchmarks/bench_channels.py            # everything (a few minutes)
    python benchmarks/bench_channels.py --quick    # fewer replications and runs
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
import pandas as pd

import wfm
from wfm.channels import (blend_capacity, chat_staffing, deferred_staffing, erlang_x, erlang_x_staffing,
                          estimate_redials)
from wfm.simulation.channels import simulate_chat, simulate_deferred, simulate_redials

TARGET = 0.8


def _least(meets, start, low=1):
    """Least n >= low with meets(n), searching around start (meets is assumed monotone)."""
    n = max(start, low)
    if meets(n):
        while n - 1 >= low and meets(n - 1):
            n -= 1
        return n
    while not meets(n):
        n += 1
    return n


def bench_redials(quick):
    aht, patience, lines, r, threshold = 180.0, 120.0, 40, 0.5, 20
    reps, periods = (6, 200) if quick else (16, 200)  # a replication's SL varies by ~1.5 points at load 1
    idx = pd.date_range("2024-01-01", periods=periods, freq="30min")
    rows = []
    for delay in (300.0, 3000.0):
        for rho in (0.7, 0.8, 0.9, 1.0, 1.1):
            calls = rho * 30 * 1800 / aht
            kw = dict(patience=patience, lines=lines, redial_probability=r, redial_delay=delay)

            def sim_sl(n):
                sim = simulate_redials(pd.Series(calls, idx), aht, n, threshold=threshold, replications=reps, seed=11,
                                       **kw)
                t = {k: x[:, 8:].sum() for k, x in sim.by_replication.items()}  # the first four hours warm up
                return t["answered_within"] / t["offered"]

            model = erlang_x(calls, aht, 1800, 30, threshold=threshold, **kw)
            fixed = erlang_x(calls, aht, 1800, 30, threshold=threshold, method="fixed_point", **kw)
            n_model = int(erlang_x_staffing(calls, aht, 1800, service_level=TARGET, threshold=threshold, **kw)
                          .table["agents"].item())
            n_fixed = int(erlang_x_staffing(calls, aht, 1800, service_level=TARGET, threshold=threshold,
                                            method="fixed_point", **kw).table["agents"].item())
            n_sim = _least(lambda n: sim_sl(n) >= TARGET, n_model)
            sim30 = sim_sl(30)
            rows.append(dict(delay=delay, load=rho, method=model["method"].item(),
                             model_sl_30=model["service_level"].item(), sim_sl_30=sim30,
                             points=100 * abs(model["service_level"].item() - sim30),
                             fixed_point_points=100 * abs(fixed["service_level"].item() - sim30),
                             agents_model=n_model, agents_sim=n_sim, agents_fixed_point=n_fixed))
    t = pd.DataFrame(rows)
    t["met"] = (t["points"] <= 1) & ((t["agents_model"] - t["agents_sim"]).abs() <= 1)
    return t


def bench_callbacks(quick):
    from wfm.channels import callback_queue
    from wfm.simulation.channels import simulate_callbacks

    reps, periods = (2, 60) if quick else (4, 150)
    idx = pd.date_range("2024-01-01", periods=periods, freq="30min")
    rows = []
    for agents, calls, cb, acc in [(10, 100.0, 60, 0.5), (10, 100.0, 30, 0.8), (20, 220.0, 45, 0.6),
                                   (30, 300.0, 40, 0.7)]:
        kw = dict(patience=120, callback_threshold=cb, acceptance=acc)
        m = callback_queue(calls, 180, 1800, agents, **kw)
        f = simulate_callbacks(pd.Series(calls, idx), 180, agents, replications=reps, seed=3, **kw).figures()
        rows.append(dict(agents=agents, calls=calls, callback_threshold=cb, acceptance=acc,
                         model_sl=m["service_level"].item(), sim_sl=f["service_level"],
                         points=100 * abs(m["service_level"].item() - f["service_level"]),
                         model_callback_rate=m["callback_rate"].item(), sim_callback_rate=f["callback_rate"],
                         fits=bool(m["callbacks_fit"].item())))
    return pd.DataFrame(rows)


def bench_redial_estimate(quick):
    r, delay = 0.5, 300.0
    idx = pd.date_range("2024-01-01", periods=32, freq="30min")
    runs = 20 if quick else 50
    hits_p = hits_d = 0
    for seed in range(runs):
        sim = simulate_redials(pd.Series(220.0, idx), 180, 20, patience=90, redial_probability=r, redial_delay=delay,
                               seed=1000 + seed)
        f = estimate_redials(sim.contacts, window=3600).figures()
        hits_p += f["redial_probability_lo"] <= r <= f["redial_probability_hi"]
        hits_d += f["redial_delay_lo"] <= delay <= f["redial_delay_hi"]
    return pd.DataFrame([dict(runs=runs, probability_covered=hits_p, delay_covered=hits_d,
                              met=hits_p >= 0.9 * runs)])


def bench_chat(quick):
    aht, slowdown, patience, threshold = 300.0, 0.25, 180.0, 60
    reps, periods = (2, 60) if quick else (4, 120)
    idx = pd.date_range("2024-01-01", periods=periods, freq="30min")
    rows = []
    for c in (1, 2, 3, 4):
        for sessions in (60.0, 200.0, 600.0):
            kw = dict(concurrency=c, slowdown=slowdown, patience=patience, threshold=threshold)
            n_model = int(chat_staffing(sessions, aht, 1800, service_level=TARGET, **kw).table["agents"].item())

            def sim_sl(n):
                sim = simulate_chat(pd.Series(sessions, idx), aht, n, replications=reps, seed=21, **kw)
                t = {k: x[:, 2:].sum() for k, x in sim.by_replication.items()}
                return t["answered_within"] / t["offered"]

            n_sim = _least(lambda n: sim_sl(n) >= TARGET, n_model)
            rows.append(dict(concurrency=c, sessions=sessions, agents_model=n_model, agents_sim=n_sim))
    t = pd.DataFrame(rows)
    t["met"] = (t["agents_model"] - t["agents_sim"]).abs() <= 1
    return t


def email_week(index, total=20_000, seed=28):
    """Synthetic (documented) e-mail arrivals on a 24/7 grid: ``wfm.datasets.deferred_profile`` (a weekday
    daytime profile, weekends at 30%) scaled to ``total`` items, Poisson counts (seeded)."""
    return wfm.datasets.synthetic_volume(wfm.datasets.deferred_profile(index), total, seed=seed, name="items")


def bench_email(quick):
    week = wfm.calendar.last_full_week(wfm.datasets.bank_calls("30min"))
    grid = pd.date_range(week.index[0].normalize(), periods=7 * 48, freq="30min")
    items = email_week(grid)
    team = (grid.hour >= 8) & (grid.hour < 20) & (grid.day_of_week < 6)
    aht, deadline = 480.0, 24 * 3600
    plan = deferred_staffing(items, aht, team, deadline=deadline, service_level=0.9)
    reps = 4 if quick else 10
    three = pd.date_range(grid[0], periods=3 * grid.size, freq="30min")
    sim = simulate_deferred(pd.Series(np.tile(items, 3), three), aht, pd.Series(np.tile(plan.table["agents"], 3), three),
                            deadline=deadline, replications=reps, seed=5)
    by = sim.by_replication
    mid = by[(by.interval >= three[grid.size]) & (by.interval < three[2 * grid.size])]
    g = mid.groupby("replication")[["answered_within", "offered"]].sum()
    from wfm.simulation._result import horizon_ci  # Wilson bounds on the week's totals, as Simulation.summary()
    est, lo, hi = horizon_ci("service_level", g[["answered_within"]].to_numpy(), g[["offered"]].to_numpy(), 0.95)

    # Blending with the bank's voice week.
    voice = wfm.staffing_plan(week, aht=300, service_level=0.8, threshold=20, model="erlang_a", patience=180)
    requirement = voice.table["agents"].reindex(pd.date_range(week.index[0], week.index[-1], freq="30min"),
                                                fill_value=0)
    rules = {
        "shifts": [
            {"name": "FT8", "paid": "8h", "contract": "full_time", "breaks": [
                {"length": "30min", "paid": True, "start_after": ["1h30min", "3h"]},
                {"length": "30min", "paid": False, "start_after": ["3h30min", "5h"]}]},
            {"name": "PT4", "paid": "4h", "contract": "part_time", "cost_per_paid_hour": 1.05, "breaks": [
                {"length": "30min", "paid": True, "start_after": ["1h30min", "2h30min"]}]},
        ],
        "week": {"days_per_week": {"full_time": 5, "part_time": [3, 5]}},
        "open_hours": {day: ["07:00", "21:00"] for day in ["mon", "tue", "wed", "thu", "fri"]},
    }
    schedule = wfm.schedule_week(requirement, rules, plan=voice, time_limit=15, mip_gap=0.01)
    scheduled = schedule.coverage["scheduled"].reindex(week.index).fillna(0).round()
    spare = blend_capacity(week, 300, scheduled, service_level=0.8, threshold=20, max_occupancy=0.85,
                           patience=180)
    blend = spare.reindex(grid, fill_value=0.0)
    blended = deferred_staffing(items, aht, team, deadline=deadline, service_level=0.9, blend=blend)
    left = (scheduled - np.ceil(spare)).astype(int)
    voice_sim = wfm.simulate(week, 300, left, patience=180, replications=3, seed=7).summary()
    voice_sim_full = wfm.simulate(week, 300, scheduled.astype(int), patience=180, replications=3, seed=7).summary()
    return pd.DataFrame([dict(
        items=float(items.sum()), agent_hours=plan.figures()["agent_hours"],
        queue_agent_hours=plan.params["queue_agent_hours"], model_on_time=plan.figures()["service_level"],
        sim_on_time=float(est[0]), sim_lo=float(lo[0]), sim_hi=float(hi[0]),
        blended_agent_hours=blended.params["blended_agent_hours"],
        dedicated_hours_with_blend=blended.figures()["agent_hours"],
        dedicated_hours_saved=blended.params["dedicated_agent_hours_saved"],
        voice_sl_blended=float(voice_sim.loc["service_level", "estimate"]),
        voice_sl_blended_lo=float(voice_sim.loc["service_level", "lo"]),
        voice_sl_without_blend=float(voice_sim_full.loc["service_level", "estimate"]),
        met=bool(lo[0] >= 0.9 and plan.figures()["agent_hours"] < plan.params["queue_agent_hours"]
                 and voice_sim.loc["service_level", "estimate"] >= 0.8))])


def bench_speed():
    week = wfm.calendar.last_full_week(wfm.datasets.bank_calls("30min"))  # open intervals only: 140
    grid = pd.date_range(week.index[0].normalize(), periods=7 * 48, freq="30min")
    calls = week.reindex(grid, fill_value=0.0)  # the same week on the full 336-interval grid
    team = (grid.hour >= 8) & (grid.hour < 20) & (grid.day_of_week < 6)
    jobs = {
        "voice with redials (bank week, 40% redial)": lambda: erlang_x_staffing(
            calls, 300, service_level=0.8, threshold=20, patience=180, redial_probability=0.4, redial_delay=600),
        "voice with redials, small centre (bank week's shape, peak 30 Erlangs, 40 lines, 50% redial after 300 s: "
        "the orbit chain)": lambda: erlang_x_staffing(
            calls * 300 / calls.max(), 180, service_level=0.8, threshold=20, patience=120, lines=40,
            redial_probability=0.5, redial_delay=300),
        "chat (bank week / 4 as sessions, concurrency 3)": lambda: chat_staffing(
            calls / 4, 300, service_level=0.8, threshold=60, concurrency=3, slowdown=0.25, patience=180),
        "e-mail (20,000 items, 24 h target)": lambda: deferred_staffing(
            email_week(grid), 480, team, deadline=86400, service_level=0.9),
    }
    rows = []
    for name, job in jobs.items():
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            job()
            times.append(time.perf_counter() - t0)
        rows.append(dict(channel=name, intervals=grid.size, best_s=min(times), met=min(times) <= 10))
    t0 = time.perf_counter()
    erlang_x_staffing(week, 300, service_level=0.8, threshold=20, patience=180, redial_probability=0.4,
                      redial_delay=600)
    rows.append(dict(channel="voice with redials, open intervals only", intervals=week.size,
                     best_s=time.perf_counter() - t0, met=time.perf_counter() - t0 <= 10))
    return pd.DataFrame(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", choices=["redials", "callbacks", "estimate", "chat", "email", "speed"])
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}  (shared machine: timings are upper bounds)")
    pd.set_option("display.width", 200)
    benches = {"redials": bench_redials, "callbacks": bench_callbacks, "estimate": bench_redial_estimate, "chat": bench_chat,
               "email": bench_email, "speed": lambda quick: bench_speed()}
    for name, fn in benches.items():
        if args.only and name != args.only:
            continue
        t0 = time.perf_counter()
        table = fn(args.quick)
        print(f"\n== {name} ({time.perf_counter() - t0:.0f} s) ==")
        print(table.round(4).to_string(index=False))


if __name__ == "__main__":
    main()
