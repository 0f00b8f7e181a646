"""
Command line: ``wfm run`` plans a whole scenario; single steps work on CSV files.

::

    wfm run scenarios/weekly_bank_calls.yaml [--out DIR] [--jobs N] [--dask ADDRESS|local]
    wfm validate scenarios/weekly_bank_calls.yaml
    wfm schema [--out scenario.schema.json]
    wfm forecast  --history calls.csv --days 5 --out forecast.csv        (or --dataset bank_calls)
    wfm staff     --forecast forecast.csv --aht 300 --out plan.csv
    wfm schedule  --requirement plan.csv --rules rules.yaml --out schedule/
    wfm simulate  --plan plan.csv --replications 10 --out simulation.csv
    wfm evaluate  --actual calls.csv --forecast forecast.csv --out accuracy.csv
    wfm evaluate  --contacts contacts.csv [--states states.csv] [--targets kpi_targets.yaml] --out kpis.csv
    wfm intraday  --forecast forecast.csv --actual today.csv --history history.csv [--schedule shifts.csv
                  --rules rules.yaml --aht 300] --out intraday/
    wfm demo      staff the last full week of the bundled bank data
    wfm history   contact_log.csv --freq 30min --out history.csv [reader flags]
    wfm --version

Reader flags (``wfm history``, and ``wfm forecast --history``): ``--columns
name=Column,...``, ``--dayfirst``/``--monthfirst``, ``--date-format``,
``--tz``, ``--exclude EXPR``, ``--on-bad-rows reject``/``--rejected FILE``,
``--sort``, ``--missing``; for contact logs also ``--outcomes
CODE=answered,...``, ``--na COLUMN=VALUE``, ``--filter COLUMN=VALUE``,
``--fallback COLUMN=OTHER``, ``--zero-wait-abandons drop``, ``--skew``.
Errors from the readers name these flags, not Python arguments, and likely
unit mistakes (and values that look wrong: placeholder times, waits of
hours) print a ``warning:`` line.

Exit codes scripts can trust: 0 everything passed, 1 some variants failed
(their errors are in ``variants.csv``; the others are written), 2 bad usage or
bad input (a one-line message naming the file, the key path and the value;
``--debug`` shows the traceback).

The CLI parses arguments, calls :mod:`wfm.scenario`, the wfm functions and
:mod:`wfm.report`, prints, and sets the exit code; it computes nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path

__all__ = ["main"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _jobs(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 0; got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 0; got {value}")
    return value


def _common(p):
    p.add_argument("--debug", action="store_true", help="show the traceback of an error")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar, no summary")
    return p


def _say(args, text):
    if not getattr(args, "quiet", False):
        print(text)


def _read_table(path, what):
    """A CSV or Parquet table indexed by its first column (timestamps), as wfm.report.write_table writes it."""
    import pandas as pd

    from .logs import read_table

    p = Path(path)
    frame, _, _ = read_table(p, what)
    if not isinstance(frame.index, pd.DatetimeIndex):
        frame = frame.set_index(frame.columns[0])
    try:
        frame.index = pd.DatetimeIndex(pd.to_datetime(frame.index), name=frame.index.name or "timestamp")
    except (ValueError, TypeError):
        raise ValueError(f"{what} {p.name!r}: its first column must hold interval starts (timestamps); got "
                         f"{str(frame.index[0])!r}.") from None
    return frame


def _columns(frame, what, names):
    missing = [n for n in names if n not in frame.columns]
    if missing:
        raise ValueError(f"{what} has no column {missing[0]!r}; its columns are {list(frame.columns)}.")


def _write(path, frame):
    from .report import write_table

    return write_table(path, frame)


# --------------------------------------------------------------------------
# wfm run / validate / schema
# --------------------------------------------------------------------------


def _run(args):
    from .report import lock_folder
    from .scenario import load_scenario, run_scenario, summary_text, write_outputs
    from .scenario.output import output_dir

    start = time.perf_counter()
    loaded = load_scenario(args.scenario)
    progress = not args.quiet and sys.stderr.isatty()
    # the lock is held for the whole run: a second run into the folder stops at once (exit 2), naming this one
    with lock_folder(output_dir(loaded, args.out), what=f"wfm run {loaded.name}"):
        result = run_scenario(loaded, jobs=args.jobs, dask=args.dask, progress=progress)
        written = write_outputs(result, args.out)
    _say(args, summary_text(result, written, time.perf_counter() - start))
    return EXIT_OK if result.ok else EXIT_FAILED


def _capacity(args):
    from .report import write_figure, write_table
    from .scenario import run_capacity

    progress = not args.quiet and sys.stderr.isatty()
    result = run_capacity(args.scenario, jobs=args.jobs, dask=args.dask, progress=progress)
    out = Path(args.out)
    written = [write_table(out / f"{name}.csv", table) for name, table in result.tables().items() if len(table)]
    if "base" in result.plans:
        import matplotlib.pyplot as plt

        ax = result.plans["base"].plot()
        written.append(write_figure(out / "capacity_plan.png", ax.figure))
        plt.close(ax.figure)
    cols = [c for c in ("variant", "status", "hires", "classes", "site_weeks_short", "site_weeks_short_before_reach",
                        "total_cost", "prob_short_max", "prob_any_short", "error") if c in result.variants]
    table = result.variants[cols].to_string(index=False, float_format=lambda x: f"{x:,.0f}" if abs(x) >= 100
                                            else f"{x:.3g}")
    _say(args, f"wfm capacity: {len(result.variants)} what-if(s)\n" + table)
    if "base" in result.plans:
        _say(args, f"required FTE basis: {result.plans['base'].params.get('fte_basis')}; heads are whole, costs "
                   "per month in capacity_monthly.csv")
    _say(args, f"wrote {len(written)} files to {out}/")
    return EXIT_OK if result.ok else EXIT_FAILED


def _roster(args):
    import yaml

    from .calendar import check_week_start
    from .logs import read_table
    from .report import write_table
    from .report.schedule_views import breaks_text
    from .roster import roster_agents

    rules_path = Path(args.rules)
    if not rules_path.exists():
        raise FileNotFoundError(f"--rules: no such file {str(rules_path)!r}.")
    rules = yaml.safe_load(rules_path.read_text()) or {}
    if not isinstance(rules, dict):
        raise ValueError(f"--rules {rules_path.name!r} must hold a mapping of roster rules; got {type(rules).__name__}.")
    if args.requirement:
        table = _read_table(args.requirement, "--requirement")
        _columns(table, "--requirement", [args.column])
        demand = table[args.column]
    else:
        demand = read_table(args.cover, "--cover")[0]
    if args.week_start is not None:
        rules["week_start"] = check_week_start(args.week_start, "--week-start")
    agents = read_table(args.agents, "--agents")[0]
    requests = read_table(args.requests, "--requests")[0] if args.requests else None
    result = roster_agents(demand, agents, rules, requests=requests, time_limit=args.time_limit,
                           allow_shortfall=args.allow_shortfall)
    out = Path(args.out)
    table = result.table.assign(breaks=[breaks_text(b) for b in result.table["breaks"]])
    written = [write_table(out / "roster.csv", table), write_table(out / "roster_agents.csv", result.agents),
               write_table(out / "roster_cover.csv", result.cover)]
    if result.coverage is not None:
        written.append(write_table(out / "roster_coverage.csv", result.coverage))
    s = result.summary()
    _say(args, f"wfm roster: {s['agents']} agents x {s['days']} days, {s['agent_days_worked']} shifts; objective "
               f"{s['objective']:,.6g} (bound {s['lower_bound']:,.6g}, gap {s['gap']:.2%}, {s['status']}); "
               f"under-cover {s['cover_under']} agent-shifts; weekends per agent {s['weekends_min']}-"
               f"{s['weekends_max']}")
    _say(args, f"wrote {', '.join(str(p) for p in written)}")
    return EXIT_OK


def _init(args):
    from .scenario.draft import draft_scenario

    if not Path(args.export).exists():
        raise FileNotFoundError(f"EXPORT: no such file {args.export!r}.")
    out = Path(args.out)
    if out.exists() and not args.force:
        raise FileExistsError(f"--out {str(out)!r} exists; pass --force to replace it.")
    draft = draft_scenario(args.export, name=args.name, kind=args.kind, columns=args.columns,
                           dayfirst=_dayfirst(args), date_format=args.date_format, outcomes=args.outcomes,
                           na_values=_column_values(args.na, "--na") or None,
                           filters=_column_values(args.filter, "--filter") or None, freq=args.freq,
                           threshold=args.threshold, folder=out.parent, tz=args.tz)
    written = draft.write(out)
    d = draft.detected
    _say(args, f"wfm init: {d['file']}: {d['kind']}, {d['weeks']:.1f} weeks of {d['interval'] / 60:g}-min intervals "
               f"({d['first']:%d %b %Y} to {d['last']:%d %b %Y}), open {d['open_days']} day(s) a week, weeks from "
               f"{d['week_start']}; wrote {', '.join(str(p) for p in written)}")
    _say(args, f"  check the {len(draft.assumptions)} ASSUMPTION(s) in it ({', '.join(draft.assumptions)}), then: "
               f"wfm run {out}")
    return EXIT_OK


def _validate(args):
    from .scenario import load_scenario

    loaded = load_scenario(args.scenario)
    names = [v.name for v in loaded.variants]
    _say(args, f"{args.scenario}: ok: scenario {loaded.name!r}, {len(names)} variant(s), detail for "
               f"{len(loaded.detail)}.")
    return EXIT_OK


def _schema(args):
    import json

    from .scenario import scenario_schema

    text = json.dumps(scenario_schema(), indent=2)
    if args.out:
        from .report import atomic_write

        atomic_write(args.out, lambda tmp: Path(tmp).write_text(text + "\n"))
    else:
        print(text)
    return EXIT_OK


# --------------------------------------------------------------------------
# Single steps on CSV files.
# --------------------------------------------------------------------------


def _history(args):
    from .datasets import bank_calls
    from .logs import read_history

    if args.dataset:
        return bank_calls(args.freq).to_frame()
    if not args.history:
        raise ValueError("give --history FILE (CSV or Parquet of interval history) or --dataset bank_calls.")
    return read_history(args.history, timestamp=args.timestamp, calls=args.calls, aht=args.aht_col,
                        **_history_options(args))


def _forecast(args):
    from . import forecast as fc_module
    from .calendar import future_intervals

    history = _history(args)
    future = future_intervals(history["calls"], args.days, holidays=args.holidays)
    fc = fc_module.forecast(history["calls"], future, args.method, args.level)
    table = fc.table
    aht_text = ""
    if "aht" in history and history["aht"].notna().any():  # the history's AHT goes on, so wfm staff can read it
        table = table.assign(aht=fc_module.forecast_aht(history["aht"], future, calls=history["calls"]))
        aht_text = f", AHT {(table['aht'] * table['forecast']).sum() / table['forecast'].sum():,.0f} s"
    _write(args.out, table)
    _say(args, f"wfm forecast: {len(future)} intervals from {future[0]} to {future[-1]}, method {fc.method}, "
               f"{table['forecast'].sum():,.0f} calls{aht_text}; wrote {args.out}")
    _write_rejected(args, history)
    return EXIT_OK


def _shrinkage(text):
    """--shrinkage 0.3, or its components: breaks=0.1,absence=0.15 (fractions of paid time)."""
    def fraction(value, what):
        try:
            return float(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} must be a fraction such as 0.3; got {value!r}") from None

    if "=" not in text:
        return fraction(text, "--shrinkage")
    return {name: fraction(value, f"--shrinkage {name}") for name, value in _pairs(text, "--shrinkage").items()}


def _plan_aht(args, table):
    """--aht in seconds, else the --forecast file's aht column (what wfm forecast writes from a history with AHT)."""
    if args.aht is None:
        if "aht" not in table.columns:
            raise ValueError("--aht: give the average handle time in seconds (e.g. --aht 300), or a --forecast file "
                             "with an aht column (wfm forecast writes one when its history has AHT or handle time).")
        return table["aht"]
    if args.aht < 20:
        raise ValueError(f"--aht {args.aht:g}: the average handle time is in seconds, and {args.aht:g} s is shorter "
                         f"than any contact; if it is in minutes, pass --aht {args.aht * 60:g}.")
    return args.aht


def _staff(args):
    from .staffing import staffing_plan, staffing_plan_from_forecast

    from .calendar import check_week_start

    table = _read_table(args.forecast, "--forecast")
    if args.week_start is not None:
        check_week_start(args.week_start, "--week-start")
    aht = _plan_aht(args, table)
    targets = dict(service_level=args.service_level, threshold=args.threshold, model=args.model,
                   patience=args.patience, max_asa=args.max_asa, max_occupancy=args.max_occupancy,
                   max_abandon_rate=args.max_abandon_rate, shrinkage=args.shrinkage,
                   fte_hours_per_week=args.fte_hours, week_start=args.week_start)
    if {"forecast", "lower", "upper"} <= set(table.columns) and args.method != "point":
        plan = staffing_plan_from_forecast(table[["forecast", "lower", "upper"]], aht, method=args.method,
                                           probability=args.probability, level=args.level, **targets)
    else:
        column = "forecast" if "forecast" in table.columns else "calls"
        _columns(table, "--forecast", [column])
        plan = staffing_plan(table[column].rename("calls"), aht, **targets)
    _write(args.out, plan.table)
    f = plan.figures()
    weeks = plan.totals("W")
    _say(args, f"wfm staff: {len(plan.table)} intervals, peak {f['peak_agents']:.0f} agents, required FTE "
               f"{f['required_fte']:.1f} per working week ({weeks['week_share'].sum():.2g} working week(s) in "
               f"{len(weeks)} week(s) starting {plan.params['week_start']}, {plan.params['fte_hours_per_week']:g} h "
               f"per FTE, shrinkage {plan.params['shrinkage_total']:.0%}; the FTE to employ comes from shifts: "
               f"wfm schedule); wrote {args.out}")
    return EXIT_OK


def _schedule(args):
    import yaml

    from .report import write_table
    from .report.schedule_views import breaks_text
    from .schedule import schedule_weeks

    table = _read_table(args.requirement, "--requirement")
    _columns(table, "--requirement", [args.column])
    rules_path = Path(args.rules)
    if not rules_path.exists():
        raise FileNotFoundError(f"--rules: no such file {str(rules_path)!r}.")
    rules = yaml.safe_load(rules_path.read_text())
    rules = rules.get("schedule", rules) if isinstance(rules, dict) else rules
    if isinstance(rules, dict):  # a scenario's schedule section may carry the solver options and variants too
        rules = {k: x for k, x in rules.items() if k in ("shifts", "week", "open_hours", "max_heads", "max_cost")}
    from .calendar import check_week_start, infer_week_start

    week_start = infer_week_start(table.index) if args.week_start is None else args.week_start
    check_week_start(week_start, "--week-start")
    out = Path(args.out)
    plan = schedule_weeks(table[args.column], rules, week_start=week_start, time_limit=args.time_limit,
                          mip_gap=args.mip_gap, allow_shortfall=args.allow_shortfall)
    shifts = plan.shifts.copy()
    shifts["breaks"] = [breaks_text(b) for b in shifts["breaks"]]
    write_table(out / "shifts.csv", shifts)
    write_table(out / "coverage.csv", plan.coverage)
    _say(args, f"wfm schedule: weeks starting {str(week_start).upper()}, "
               f"{plan.coverage.index[0]:%d %b %Y} to {plan.coverage.index[-1]:%d %b %Y}: "
               f"{plan.heads} heads, {plan.paid_hours:,.1f} paid hours, cost {plan.cost:,.2f}, {plan.status} "
               f"(gap {plan.gap:.2%})")
    _say(args, f"wrote {out / 'shifts.csv'} and {out / 'coverage.csv'}")
    return EXIT_OK


def _skills(args):
    from .scenario.skills import staff_centre_file

    plan = staff_centre_file(args.centre, method=args.method, replications=args.replications, seed=args.seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    _write(out / "agents.csv", plan.agents())
    _write(out / "service.csv", plan.service.set_index("interval"))
    _write(out / "intervals.csv", plan.intervals)
    f = plan.figures()
    _say(args, f"wfm skills: {len(plan.intervals)} intervals, {f['agents']} agent-intervals, cost {f['cost']:,.1f} "
               f"({f['saving_vs_per_type']:.1%} below per-type Erlang, {f['excess_over_pooled']:.1%} above pooled); "
               f"{f['types_on_target']:.1%} of interval-types on target; wrote {out}")
    return EXIT_OK if f["types_on_target"] == 1.0 else EXIT_FAILED


def _simulate(args):
    from .simulation import simulate

    table = _read_table(args.plan, "--plan")
    _columns(table, "--plan", ["calls", args.agents_col] + ([] if args.aht is not None else ["aht"]))
    aht = args.aht if args.aht is not None else table["aht"]
    sim = simulate(table["calls"], aht, table[args.agents_col], patience=args.patience,
                   replications=args.replications, seed=args.seed, threshold=args.threshold)
    _write(args.out, sim.intervals)
    s = sim.summary()["estimate"]
    _say(args, f"wfm simulate: {args.replications} replication(s), service level {s['service_level']:.1%}, "
               f"abandon rate {s['abandon_rate']:.1%}, ASA {s['asa']:.1f} s; wrote {args.out}")
    return EXIT_OK


def _evaluate(args):
    from . import evaluate

    if args.contacts:
        for name, value in (("--contacts", args.contacts), ("--states", args.states)):
            if value and not Path(value).exists():
                raise FileNotFoundError(f"{name}: no such file {value!r}.")
        k = evaluate.kpis(args.contacts, states=args.states, freq=args.freq, threshold=args.threshold)
        k.attrs = {}
        _write(args.out, k)
        text = f"wfm evaluate: KPIs of {len(k)} period(s); wrote {args.out}"
        if args.targets:
            card = evaluate.scorecard(k, args.targets)
            text += "\n" + repr(card)
        _say(args, text)
        return EXIT_OK
    if not (args.actual and args.forecast):
        raise ValueError("give --actual and --forecast (forecast accuracy), or --contacts (KPIs).")
    from . import metrics
    from .logs import read_history

    read = read_history(args.actual, timestamp=args.timestamp, calls=args.calls, **_history_options(args))
    actual = read["calls"]
    fc = _read_table(args.forecast, "--forecast")
    _columns(fc, "--forecast", ["forecast"])
    missing = fc.index.difference(actual.index)
    if len(missing):
        raise ValueError(f"--actual has no calls for {len(missing)} of the {len(fc)} forecast intervals, first "
                         f"{missing[0]}; the actual history must cover the forecast's horizon.")
    scores = metrics.forecast_accuracy(actual.loc[fc.index], fc, levels=tuple(args.levels))
    _write(args.out, scores)
    wape = scores[scores["metric"] == "wape"].set_index("level")["value"]
    _say(args, "wfm evaluate: WAPE " + ", ".join(f"{lvl} {val:.1%}" for lvl, val in wape.items())
         + f"; wrote {args.out}")
    _write_rejected(args, read)
    return EXIT_OK


# --------------------------------------------------------------------------
# wfm demo (the first quick-start command before scenarios existed)
# --------------------------------------------------------------------------


def _intraday(args):
    import pandas as pd
    import yaml

    from .intraday import error_history, reforecast, replan
    from .report import write_intraday_page

    forecast = _read_table(args.forecast, "--forecast")
    _columns(forecast, "--forecast", ["forecast"])
    actual = _read_table(args.actual, "--actual")
    column = "actual" if "actual" in actual.columns else "calls"
    _columns(actual, "--actual", [column])
    history = _read_table(args.history, "--history")
    if not {"forecast", "actual"} <= set(history.columns):
        _columns(history, "--history (an interval history, or past forecasts with forecast and actual)", ["calls"])
        history = error_history(history["calls"], weeks=args.history_weeks)
    rf = reforecast(forecast[["forecast"]], actual[column], history, now=args.now, method=args.method,
                    level=args.level)
    out = Path(args.out)
    rp = None
    if args.schedule:
        if not args.rules or args.aht is None:
            raise ValueError("--schedule needs --rules (the shift rules YAML) and --aht (seconds).")
        rules = yaml.safe_load(Path(args.rules).read_text())
        rules = rules.get("schedule", rules) if isinstance(rules, dict) else rules
        if isinstance(rules, dict):
            rules = {k: x for k, x in rules.items() if k in ("shifts", "week", "open_hours", "max_heads", "max_cost")}
        from .logs import read_table

        shifts = read_table(Path(args.schedule), "--schedule")[0]
        for col in ("start", "end"):
            if col in shifts.columns:
                shifts[col] = pd.to_datetime(shifts[col])
        rp = replan(rf, shifts, rules, aht=args.aht, service_level=args.service_level, threshold=args.threshold)
    picture = rf.table.drop(columns=["observed"])
    if rp is not None:
        picture = picture.join(rp.table[["required", "scheduled_before", "scheduled_after", "gap_before",
                                         "gap_after"]])
        _write(out / "actions.csv", rp.actions)
    _write(out / "intraday.csv", picture)
    write_intraday_page(out / "intraday.html", rf, rp)
    f = rf.figures()
    _say(args, f"wfm intraday: {rf.params['now']:%a %d %b %Y %H:%M}, {f['morning_actual']:,.0f} calls so far against "
               f"{f['morning_forecast']:,.0f} forecast ({f['morning_ratio'] - 1:+.1%}); rest of day "
               f"{f['rest_forecast']:,.0f} -> {f['rest_reforecast']:,.0f} ({rf.params['method']})")
    if rp is not None:
        g = rp.figures()
        _say(args, f"  staffing: {g['intervals_short_before']} intervals short -> {g['intervals_short_after']}; "
                   f"expected service level {g['service_level_before']:.1%} -> {g['service_level_after']:.1%}; "
                   f"{g['breaks_moved']} breaks moved, {g['overtime_hours']:.2f} h overtime, {g['extra_shifts']} "
                   f"extra shifts, {g['vto_hours']:.2f} h VTO; cost {g['cost']:,.2f}")
    _say(args, f"wrote {out / 'intraday.csv'}, {out / 'intraday.html'}" + (
        f" and {out / 'actions.csv'}" if rp is not None else ""))
    return EXIT_OK


def _add_intraday_command(sub):
    p = _common(sub.add_parser("intraday", help="reforecast the rest of the day from the morning's actuals and "
                                                "re-plan it (CSV in, CSV + HTML out)"))
    p.add_argument("--forecast", required=True, help="CSV of the day's (or week's) forecast: timestamp, forecast")
    p.add_argument("--actual", required=True, help="CSV of the calls so far: timestamp, actual (or calls)")
    p.add_argument("--history", required=True, help="CSV of past forecasts with actuals (timestamp, forecast, "
                                                    "actual), or an interval history (timestamp, calls)")
    p.add_argument("--history-weeks", type=int, default=8, help="weeks of backtest when --history is calls")
    p.add_argument("--now", help="time of the update (default: the end of the last actual interval)")
    p.add_argument("--method", default="bayes", choices=["bayes", "ratio", "shrunk_ratio"])
    p.add_argument("--level", type=float, default=0.8, help="band coverage (default 0.8)")
    p.add_argument("--schedule", help="CSV of the day's shifts: agent (or agents), name, start, end, breaks")
    p.add_argument("--rules", help="YAML of the shift rules (or a scenario with a schedule section)")
    p.add_argument("--aht", type=float, help="average handle time [s], for the re-plan")
    p.add_argument("--service-level", type=float, default=0.8, help="target fraction (default 0.8)")
    p.add_argument("--threshold", type=float, default=20.0, help="answer-time target [s] (default 20)")
    p.add_argument("--out", required=True, help="folder for intraday.csv, intraday.html and actions.csv")
    p.set_defaults(func=_intraday)


def _demo(args):
    import matplotlib.pyplot as plt
    import pandas as pd

    from .calendar import last_full_week
    from .datasets import bank_calls
    from .report import write_figure, write_table
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
        _say(args, f"wfm demo: bank_calls, week of {table.index[0]:%d %b %Y}, {args.freq} intervals, "
              f"AHT {args.aht:g} s, {args.service_level:.0%} in {args.threshold:g} s, "
              f"shrinkage {args.shrinkage:.0%}, Erlang C\n")
        _say(args, "Per interval: calls  agents  scheduled agents")
        _say(args, pivot.to_string())
        _say(args, "\nPer day:")
        _say(args, plan.totals("D").round(1).to_string())
        _say(args, "\nWeek:")
        _say(args, plan.summary().round(3).to_string())
    csv_path = write_table(out / "staffing_plan.csv", table)
    ax = plan.plot()
    png_path = write_figure(out / "staffing_plan.png", ax.figure)
    plt.close(ax.figure)
    _say(args, f"\nwrote {csv_path} and {png_path}")
    return EXIT_OK


# --------------------------------------------------------------------------
# Reading your own data: the reader flags and wfm history.
# --------------------------------------------------------------------------


def _pairs(text, flag):
    """'a=b,c=d' -> {'a': 'b', 'c': 'd'} for --columns and --outcomes."""
    out = {}
    for item in (x.strip() for x in text.split(",")):
        if not item:
            continue
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise argparse.ArgumentTypeError(f"{flag} takes name=value pairs separated by commas, e.g. "
                                             f"{'calls=Offered,date=Date' if flag == '--columns' else 'AGENT=answered,HANG=abandoned'}; "
                                             f"got {item!r}")
        out[key.strip()] = value.strip()
    return out


def _column_values(items, flag):
    """['type=PS,PE', 'queue=A'] -> {'type': ['PS', 'PE'], 'queue': ['A']} for --filter and --na."""
    out = {}
    for item in items or []:
        key, sep, values = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"{flag} takes COLUMN=VALUE[,VALUE...], e.g. {flag} type=PS; got {item!r}.")
        out.setdefault(key.strip(), []).extend(v.strip() for v in values.split(","))
    return out


def _flag_names():
    """How the readers' options are named on the command line (for their error messages)."""
    def pairs(flag):
        return lambda d: f"{flag} " + ",".join(f"{k}={v}" for k, v in (d or {"name": "Column"}).items())

    def per_column(flag):
        return lambda d: " ".join(f"{flag} {k}={','.join(str(x) for x in (v if isinstance(v, list) else [v]))}"
                                  for k, v in (d or {"column": "value"}).items())

    return {
        "columns": pairs("--columns"),
        "outcomes": pairs("--outcomes"),
        "dayfirst": lambda value: "--dayfirst" if value else "--monthfirst",
        "date_format": lambda value: f"--date-format '{value}'",
        "sort": lambda value: "--sort",
        "skew": lambda value: f"--skew {value}",
        "filters": per_column("--filter"),
        "na_values": per_column("--na"),
        "missing": lambda value: f"--missing {value}",
        "interval": lambda value: f"--interval {value:g}" if isinstance(value, (int, float)) else
        f"--interval {value}",
        "week_start": lambda value: f"--week-start {value}",
        "allow_shortfall": lambda value: "--allow-shortfall",
        "time_limit": lambda value: f"--time-limit {value:g}",
        "open_hours": lambda value: "--open-hours 08:00-18:00",
        "exclude": lambda value: " ".join(f'--exclude "{x}"' for x in _exclude_texts(value)),
        "fallback": per_column("--fallback"),
        "on_bad_rows": lambda value: f"--on-bad-rows {value}",
        "zero_wait_abandons": lambda value: f"--zero-wait-abandons {value}",
    }


def _exclude_texts(value):
    """An exclude option (expression, dict or list) as the expressions --exclude takes."""
    items = value if isinstance(value, (list, tuple)) else [value]
    out = []
    for item in items:
        if isinstance(item, dict):
            out += [f"{k} in {list(v) if isinstance(v, (list, tuple)) else [v]!r}" for k, v in item.items()]
        else:
            out.append(str(item))
    return out


def _bad_rows(args):
    """--on-bad-rows, which --rejected FILE implies is reject."""
    return "reject" if getattr(args, "rejected", None) else getattr(args, "on_bad_rows", "error")


def _write_rejected(args, frame):
    """Write the rows a reader set aside (--on-bad-rows reject) to --rejected, or beside --out; say so."""
    rejected = frame.attrs.get("rejected")
    if rejected is None:
        return None
    out = Path(args.out)
    path = Path(args.rejected) if args.rejected else out.with_name(out.name.split(".")[0] + "_rejected.csv")
    if not len(rejected):
        _say(args, "  rejected: no row set aside")
        return None
    _write(path, rejected)
    reasons = rejected["reason"].value_counts()
    _say(args, f"  rejected: {len(rejected):,} row(s) set aside, written to {path} ("
               + "; ".join(f"{n:,} {reason}" for reason, n in reasons.items()) + ")")
    return path


def _dayfirst(args):
    return True if args.dayfirst else (False if args.monthfirst else None)


def _history_options(args):
    """Reader flags of an interval report -> keyword arguments of wfm.logs.read_history."""
    return dict(columns=args.columns, dayfirst=_dayfirst(args), date_format=args.date_format, tz=args.tz,
                sort=args.sort, missing=args.missing, exclude=args.exclude, on_bad_rows=_bad_rows(args))


def _contact_options(args):
    """Reader flags of a contact log -> keyword arguments of wfm.logs.read_contacts."""
    return dict(columns=args.columns, outcomes=args.outcomes, na_values=_column_values(args.na, "--na") or None,
                filters=_column_values(args.filter, "--filter") or None, skew=args.skew, dayfirst=_dayfirst(args),
                date_format=args.date_format, tz=args.tz, exclude=args.exclude,
                fallback=_column_values(args.fallback, "--fallback") or None,
                zero_wait_abandons=args.zero_wait_abandons, on_bad_rows=_bad_rows(args))


def _open_hours(text):
    if text is None:
        return None
    if text.strip().lower() in ("24h", "24/7"):
        return "24h"
    start, sep, stop = text.partition("-")
    if not sep:
        raise ValueError(f"--open-hours takes OPEN-CLOSE, e.g. 08:00-18:00, or 24h; got {text!r}.")
    return (start.strip(), stop.strip())


def _contacts_history(args):
    """wfm history: the interval history of a contact log, and the callers' patience."""
    from .calendar import check_week_start, week_of
    from .logs import interval_history, read_contacts

    if not Path(args.log).exists():
        raise FileNotFoundError(f"LOG: no such file {args.log!r}.")
    check_week_start(args.week_start, "--week-start")
    log = read_contacts(args.log, **_contact_options(args))
    hist = interval_history(log, args.freq, threshold=args.threshold, open_hours=_open_hours(args.open_hours),
                            patience_by=args.patience_by)
    _write(args.out, hist.table)
    s = hist.summary()
    table = hist.table
    weeks = table["calls"].groupby(week_of(table.index, args.week_start)).sum()
    lines = [f"wfm history: {len(log):,} contacts -> {len(table)} open {args.freq} intervals from "
             f"{table.index[0]:%Y-%m-%d %H:%M} to {table.index[-1]:%Y-%m-%d %H:%M}; {s['calls']:,.0f} offered, "
             f"service level {s['service_level']:.1%} within {args.threshold:g} s, abandon rate "
             f"{s['abandon_rate']:.1%}, AHT {s['aht']:.0f} s; wrote {args.out}",
             "  calls per week (starting " + args.week_start.upper()[:3] + "): "
             + ", ".join(f"{w:%d %b} {c:,.0f}" for w, c in weeks.items())]
    for group, row in hist.patience.iterrows():
        label = "patience" if group == "all" else f"patience {group:02d}h"
        lines.append(f"  {label}: {row['patience']:.0f} s (95% {row['lo']:.0f}-{row['hi']:.0f} s; "
                     f"{row['abandoned']:.0f} abandons over {row['exposure'] / 3600:,.1f} h waited)")
    for note in hist.notes.itertuples():
        lines.append(f"  note: {note.rows:,} row(s) {note.problem}; {note.action}")
    _say(args, "\n".join(lines))
    _write_rejected(args, log)
    return EXIT_OK


def _add_reader_flags(p, *, contacts=False):
    """The reader options as flags: every option of wfm.logs.read_history / read_contacts."""
    g = p.add_argument_group("reading the file")
    g.add_argument("--columns", type=lambda t: _pairs(t, "--columns"), metavar="NAME=COLUMN,...",
                   help="your column names, e.g. " + ("arrival=q_start,answer=ser_start,date=date" if contacts else
                                                     "date=Date,time=Interval,calls=Offered,handle_time=Handle"))
    order = g.add_mutually_exclusive_group()
    order.add_argument("--dayfirst", action="store_true", help="numeric dates are day/month/year")
    order.add_argument("--monthfirst", action="store_true", help="numeric dates are month/day/year")
    g.add_argument("--date-format", metavar="FORMAT", help="strptime format of the dates, e.g. '%%d/%%m/%%Y %%H:%%M'")
    g.add_argument("--tz", help="time zone of the times, e.g. Europe/London")
    if contacts:
        g.add_argument("--outcomes", type=lambda t: _pairs(t, "--outcomes"), metavar="CODE=MEANING,...",
                       help="outcome codes: answered, abandoned or other (left out), e.g. "
                            "AGENT=answered,HANG=abandoned,PHANTOM=other")
        g.add_argument("--na", action="append", metavar="COLUMN=VALUE[,VALUE]",
                       help="placeholders meaning missing in a column, e.g. --na ser_start=0:00:00 (repeatable)")
        g.add_argument("--filter", action="append", metavar="COLUMN=VALUE[,VALUE]",
                       help="keep only rows with these values, e.g. --filter type=PS (repeatable)")
        g.add_argument("--skew", type=float, default=3.0,
                       help="clock-skew tolerance [s]: times this much before arrival are taken as equal (default 3)")
        g.add_argument("--fallback", action="append", metavar="COLUMN=OTHER[,OTHER]",
                       help="where COLUMN is blank (or a --na placeholder) take OTHER, e.g. --fallback "
                            "q_start=vru_exit (repeatable)")
        g.add_argument("--zero-wait-abandons", choices=["keep", "drop"], default="keep",
                       help="abandons that waited 0 s (hung up in the IVR): keep (default; a warning when 5%% or "
                            "more) or drop")
    else:
        g.add_argument("--sort", action="store_true", help="sort rows by time instead of rejecting unsorted rows")
        g.add_argument("--missing", default="error", choices=["error", "zero", "closed", "interpolate"],
                       help="what an interval missing inside the open hours means (default: error)")
    g.add_argument("--exclude", action="append", metavar="EXPR",
                   help="leave out rows matching EXPR, on your column names, e.g. \"q_start == '0:00:00'\" or "
                        "\"outcome == 'HANG' and q_exit == q_start\" (repeatable)")
    g.add_argument("--on-bad-rows", choices=["error", "reject"], default="error",
                   help="a row breaking a rule on its own: error (default) or reject (set aside with its reason)")
    g.add_argument("--rejected", metavar="FILE",
                   help="where to write the rows set aside (implies --on-bad-rows reject; default: beside --out, "
                        "NAME_rejected.csv)")
    return p


def _add_history_command(sub):
    p = _common(sub.add_parser("history", help="interval history (and callers' patience) of a contact log"))
    p.add_argument("log", metavar="LOG", help="contact log: CSV, Excel or Parquet, one row per contact")
    p.add_argument("--freq", default="30min", help="interval length, e.g. 15min, 30min, 60min (default 30min)")
    p.add_argument("--threshold", type=float, default=20.0, help="service-level answer-time target [s] (default 20)")
    p.add_argument("--open-hours", metavar="OPEN-CLOSE",
                   help="opening hours, e.g. 08:00-18:00 or 24h (default: inferred from the log)")
    p.add_argument("--patience-by", choices=["hour"], help="one patience estimate per hour of day")
    p.add_argument("--week-start", default="MON", help="weekday weeks start on: MON, SUN, SAT, ... (default MON)")
    p.add_argument("--out", required=True, help="CSV or Parquet file of the interval history")
    _add_reader_flags(p, contacts=True)
    p.set_defaults(func=_contacts_history)
    return p


def _add_skills_command(sub):
    p = _common(sub.add_parser("skills", help="staff a multi-skill centre (centre YAML: call types, groups, targets)"))
    p.add_argument("centre", metavar="CENTRE", help="centre file (YAML; see wfm.scenario.skills)")
    p.add_argument("--method", choices=["simulation", "approximation"], help="override staffing.method")
    p.add_argument("--replications", type=int, help="override staffing.replications (search sample)")
    p.add_argument("--seed", type=int, help="override staffing.seed")
    p.add_argument("--out", required=True, help="output folder: agents.csv, service.csv, intervals.csv")
    p.set_defaults(func=_skills)
    return p


def _call_with_flag_names(args):
    """Run a command with reader errors naming flags; each warning (a likely unit mistake) becomes a line on stderr."""
    import warnings

    from .logs._parse import DataWarning, option_names

    with warnings.catch_warnings(record=True) as caught, option_names(_flag_names()):
        warnings.simplefilter("always", UserWarning)
        try:
            return args.func(args)
        finally:
            seen = set()
            for w in caught:
                if issubclass(w.category, DataWarning) and args.func is _contacts_history:
                    continue  # wfm history prints its notes itself
                if issubclass(w.category, UserWarning):
                    text = " ".join(str(w.message).split())
                    if text not in seen:
                        seen.add(text)
                        print(f"wfm {args.command}: warning: {text}", file=sys.stderr)


# --------------------------------------------------------------------------
# The parser.
# --------------------------------------------------------------------------


#: A library message's Python spelling -> the flag a shell user types (single steps that share the argument).
_CLI_WORDS = (("pass allow_shortfall=True", "pass --allow-shortfall"), ("allow_shortfall=True", "--allow-shortfall"),
              ("time_limit=", "--time-limit "), ("week_start=", "--week-start "))


def _in_cli_words(text):
    """An error message with the Python keyword arguments a single step exposes as flags named as those flags."""
    for python, flag in _CLI_WORDS:
        text = text.replace(python, flag)
    return text


def _parser():
    parser = argparse.ArgumentParser(prog="wfm", description="Contact-centre workforce planning: forecast, staff, schedule, "
                                             "simulate and evaluate, from one scenario file or step by step.",
                     epilog="Exit codes: 0 ok, 1 some variants failed, 2 bad usage or input.")
    from ._version import __version__

    parser.add_argument("--version", action="version", version=f"wfm {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = _common(sub.add_parser("run", help="run a scenario: forecast, staffing, schedule, simulation, KPIs, report"))
    p.add_argument("scenario", help="scenario YAML file, e.g. scenarios/weekly_bank_calls.yaml")
    p.add_argument("--out", help="output folder (default: the scenario's output.dir, else output/<name>)")
    p.add_argument("--jobs", "-j", type=_jobs, default=0,
                   help="worker processes for the variants (default 0: one per CPU; 1: in this process)")
    p.add_argument("--dask", metavar="ADDRESS",
                   help="run the queues and variants on a dask.distributed scheduler at ADDRESS "
                        "(tcp://host:8786), or 'local' for a LocalCluster of 2 workers")
    p.set_defaults(func=_run)

    p = _common(sub.add_parser("capacity", help="plan hires over 52-78 weeks: a scenario's capacity section and its "
                                                "what-ifs"))
    p.add_argument("scenario", help="scenario YAML file with a capacity section")
    p.add_argument("--out", required=True, help="folder for capacity_variants.csv, capacity_plan.csv, "
                                                "capacity_monthly.csv and the plot")
    p.add_argument("--jobs", "-j", type=_jobs, default=0,
                   help="worker processes for the what-ifs (default 0: one per CPU; 1: in this process)")
    p.add_argument("--dask", metavar="ADDRESS", help="run the what-ifs on a dask.distributed scheduler, or 'local'")
    p.set_defaults(func=_capacity)

    p = _common(sub.add_parser("init", help="draft a scenario for your centre from its interval report or contact "
                                            "log: columns, dates, open hours, week start detected; the rest marked "
                                            "ASSUMPTION"))
    p.add_argument("export", metavar="EXPORT", help="interval report or contact log: CSV, Excel or Parquet")
    p.add_argument("--out", required=True, help="scenario YAML file to write (then: wfm run FILE)")
    p.add_argument("--name", help="scenario name (default: the export's file name)")
    p.add_argument("--kind", choices=["report", "log"], help="one row per interval or per contact (default: "
                                                             "detected from the columns)")
    p.add_argument("--freq", default="30min", help="interval length a contact log is counted in (default 30min)")
    p.add_argument("--threshold", type=float, help="service-level answer-time target [s] (default: read from an "
                                                   "'answered within N s' column, else 20)")
    p.add_argument("--force", action="store_true", help="replace --out if it exists")
    _add_reader_flags(p, contacts=True)
    p.set_defaults(func=_init)

    p = _common(sub.add_parser("validate", help="check a scenario file (exit 0 ok, 2 bad)"))
    p.add_argument("scenario")
    p.set_defaults(func=_validate)

    p = _common(sub.add_parser("schema", help="print the JSON Schema of a scenario file"))
    p.add_argument("--out", help="write it to this file instead")
    p.set_defaults(func=_schema)

    p = _common(sub.add_parser("forecast", help="forecast calls per interval with a band (CSV in, CSV out)"))
    src = p.add_mutually_exclusive_group()
    src.add_argument("--history", help="CSV or Parquet of interval history")
    src.add_argument("--dataset", choices=["bank_calls"], help="a bundled data set instead")
    p.add_argument("--freq", default="30min", choices=["5min", "15min", "30min", "60min"],
                   help="interval length of the bundled data set")
    p.add_argument("--timestamp", default="timestamp", help="column of interval starts")
    p.add_argument("--calls", default="calls", help="column of calls per interval")
    p.add_argument("--aht-col", help=argparse.SUPPRESS)
    p.add_argument("--days", type=int, default=5, help="open days to forecast (default 5)")
    p.add_argument("--method", default="auto", help="auto (default) or a method of wfm.forecast.METHODS, "
                                                    "e.g. topdown, weighted_average, mstl")
    p.add_argument("--level", type=float, default=0.8, help="coverage of the band (default 0.8)")
    p.add_argument("--holidays", help="country code of closed holidays, e.g. US")
    p.add_argument("--out", required=True, help="CSV or Parquet file to write")
    _add_reader_flags(p)
    p.set_defaults(func=_forecast)

    p = _common(sub.add_parser("staff", help="agents per interval for a forecast (CSV in, CSV out)"))
    p.add_argument("--forecast", required=True, help="CSV with forecast, lower, upper (or calls) per interval")
    p.add_argument("--aht", type=float, help="average handle time [s] (default: the --forecast file's aht column)")
    p.add_argument("--service-level", type=float, default=0.8, help="target fraction (default 0.8)")
    p.add_argument("--threshold", type=float, default=20.0, help="answer-time target [s] (default 20)")
    p.add_argument("--model", default="erlang_c", choices=["erlang_c", "erlang_a"])
    p.add_argument("--patience", type=float, help="mean patience [s] (Erlang A)")
    p.add_argument("--max-asa", type=float, help="ASA cap [s]")
    p.add_argument("--max-occupancy", type=float, help="occupancy cap (fraction)")
    p.add_argument("--max-abandon-rate", type=float, help="abandon-rate cap (fraction, Erlang A)")
    p.add_argument("--shrinkage", type=_shrinkage, default=0.0, metavar="FRACTION|NAME=FRACTION,...",
                   help="shrinkage, one fraction (0.3) or its components added up, e.g. "
                        "breaks=0.1,training=0.05,absence=0.15 (default 0)")
    p.add_argument("--fte-hours", type=float, default=37.5, help="paid hours of one FTE per week (default 37.5)")
    p.add_argument("--week-start", help="weekday planning weeks start on: MON, SUN, SAT, ... (default: the first "
                                        "open day after the closed days, MON for a centre open every day)")
    p.add_argument("--method", default="quantile", choices=["quantile", "expected", "point"],
                   help="staff to a quantile of the forecast rate, to the expected SL, or to the point forecast")
    p.add_argument("--probability", type=float, default=0.8, help="quantile staffed for (default 0.8)")
    p.add_argument("--level", type=float, default=0.8, help="coverage of the forecast band (default 0.8)")
    p.add_argument("--out", required=True, help="CSV or Parquet file to write")
    p.set_defaults(func=_staff)

    p = _common(sub.add_parser("schedule", help="size a week of shifts for a requirement (CSV + rules YAML)"))
    p.add_argument("--requirement", required=True, help="CSV with agents per interval (e.g. from wfm staff)")
    p.add_argument("--column", default="agents", help="column of agents required (default agents)")
    p.add_argument("--rules", required=True, help="YAML of shift rules (or a scenario with a schedule section)")
    p.add_argument("--time-limit", type=float, default=15.0, help="solver seconds (default 15)")
    p.add_argument("--mip-gap", type=float, default=0.005, help="proven gap to stop at (default 0.005)")
    p.add_argument("--allow-shortfall", action="store_true", help="minimise the shortfall instead of covering all")
    p.add_argument("--week-start", help="weekday planning weeks start on: MON, SUN, SAT, ... (default: the first "
                                        "open day after the closed days of --requirement)")
    p.add_argument("--out", required=True, help="folder for shifts.csv and coverage.csv")
    p.set_defaults(func=_schedule)

    p = _common(sub.add_parser("roster", help="put named agents on shifts: agents file + roster rules YAML + a "
                                              "requirement or cover per day and shift"))
    need = p.add_mutually_exclusive_group(required=True)
    need.add_argument("--requirement", help="CSV of agents required per interval (sized with the rules' schedule "
                                            "section first)")
    need.add_argument("--cover", help="CSV of cover per day and shift type: day, shift, required")
    p.add_argument("--column", default="agents", help="column of --requirement (default agents)")
    p.add_argument("--agents", required=True, help="CSV/Excel/Parquet of named agents and their contract fields")
    p.add_argument("--rules", required=True, help="YAML of roster rules (wfm.roster_agents: start, days, shifts, ...)")
    p.add_argument("--requests", help="CSV of requests: agent, day, shift, kind (on/off), weight")
    p.add_argument("--time-limit", type=float, default=60.0, help="seconds for the whole roster, sizing included: "
                                                                  "it returns by then (default 60)")
    p.add_argument("--allow-shortfall", action="store_true", help="penalise under-cover instead of requiring it")
    p.add_argument("--week-start", help="weekday planning weeks start on, MON ... SUN (default: the rules' "
                                        "week_start, else MON); per-week contract rules count these weeks")
    p.add_argument("--out", required=True, help="folder for roster.csv, roster_agents.csv, roster_cover.csv")
    p.set_defaults(func=_roster)

    p = _common(sub.add_parser("simulate", help="simulate a plan call by call (CSV in, CSV out)"))
    p.add_argument("--plan", required=True, help="CSV with calls, aht and agents per interval (e.g. from wfm staff)")
    p.add_argument("--agents-col", default="agents", help="column of agents (default agents)")
    p.add_argument("--aht", type=float, help="AHT [s] when the plan has no aht column")
    p.add_argument("--patience", type=float, help="mean patience [s]; none: callers never hang up")
    p.add_argument("--replications", type=int, default=10, help="independent replications (default 10)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--threshold", type=float, default=20.0, help="answer-time target [s] (default 20)")
    p.add_argument("--out", required=True, help="CSV or Parquet file of the per-interval results")
    p.set_defaults(func=_simulate)

    p = _common(sub.add_parser("evaluate", help="forecast accuracy against actuals, or KPIs of a contact log"))
    p.add_argument("--actual", help="CSV of the calls that arrived")
    p.add_argument("--timestamp", default="timestamp", help="column of interval starts in --actual")
    p.add_argument("--calls", default="calls", help="column of calls in --actual")
    p.add_argument("--forecast", help="CSV with a forecast column (and lower, upper) per interval")
    p.add_argument("--levels", nargs="+", default=["interval", "day"], help="interval, hour, day, week")
    p.add_argument("--contacts", help="contact log (CSV) for KPIs instead")
    p.add_argument("--states", help="agent-state log (CSV) for the state KPIs")
    p.add_argument("--targets", help="KPI targets YAML for a scorecard, e.g. scenarios/kpi_targets.yaml")
    p.add_argument("--freq", default="D", help="KPI period (default D)")
    p.add_argument("--threshold", type=float, default=20.0, help="service-level answer-time target [s]")
    p.add_argument("--out", required=True, help="CSV or Parquet file to write")
    _add_reader_flags(p)  # for --actual
    p.set_defaults(func=_evaluate)

    p = _common(sub.add_parser("demo", help="staff the last full week of the bundled bank_calls data"))
    p.add_argument("--out", default="wfm_demo", help="folder for the CSV and PNG (default: wfm_demo, apart from "
                                                     "the main job's output/)")
    p.add_argument("--freq", default="30min", choices=["15min", "30min", "60min"], help="interval length")
    p.add_argument("--aht", type=float, default=300.0, help="average handle time [s] (default 300)")
    p.add_argument("--service-level", type=float, default=0.8, help="target fraction (default 0.8)")
    p.add_argument("--threshold", type=float, default=20.0, help="answer-time target [s] (default 20)")
    p.add_argument("--shrinkage", type=float, default=0.3, help="shrinkage fraction (default 0.3)")
    p.set_defaults(func=_demo)

    _add_history_command(sub)
    _add_intraday_command(sub)
    _add_skills_command(sub)
    return parser


def main(argv=None) -> int:
    """Run the ``wfm`` command line; returns the exit code (0 ok, 1 some variants failed, 2 bad usage or input)."""
    import matplotlib

    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse: 0 for --help, 2 for bad arguments
        return int(exit_.code or 0)
    matplotlib.use("Agg")
    from .scenario import ScenarioError

    # what counts as bad input: for a scenario run, the file, its data, the output folder or the cluster
    # address (a variant's own error is its row, exit 1; anything else is a bug and shows its traceback);
    # for a single step, any error the wfm function raises about its input
    if args.func in (_run, _capacity):
        usage = (ScenarioError, ImportError, OSError)
    else:
        usage = (ScenarioError, ValueError, TypeError, KeyError, FileNotFoundError, FileExistsError, ImportError, OSError)
    try:
        return _call_with_flag_names(args)
    except KeyboardInterrupt:
        print(f"wfm {args.command}: interrupted; no half-written file was left behind.", file=sys.stderr)
        return 130
    except usage as err:
        if args.debug:
            traceback.print_exc()
        text = " ".join(str(err).split()) if not isinstance(err, KeyError) else f"missing {err}"
        print(f"wfm {args.command}: error: {_in_cli_words(text)}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
