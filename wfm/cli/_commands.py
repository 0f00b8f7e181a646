"""What each ``wfm`` command does with its parsed arguments: calls wfm, prints, returns the exit code."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from ._shared import (EXIT_FAILED, EXIT_OK, _bad_rows, _check_week_starts, _column_values, _columns,
    _contact_options, _dayfirst, _flag_names, _history_options, _in_file, _open_hours, _read_table, _rules_yaml,
    _say, _schedule_week_start, _shift_rules, _timestamp_options, _timestamps, _whole_agents, _write,
    _write_rejected)


def _run(args):
    from ..report import lock_folder
    from ..scenario import load_scenario, run_scenario, summary_text, write_outputs
    from ..scenario.output import output_dir

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
    from ..report import write_figure, write_table
    from ..scenario import load_scenario, run_capacity

    progress = not args.quiet and sys.stderr.isatty()
    loaded = load_scenario(args.scenario)
    result = run_capacity(loaded, jobs=args.jobs, dask=args.dask, progress=progress)
    import shutil

    from .._atomic import replace_all, staging_folder

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    staging = staging_folder(out)  # the files replace the folder's all or none
    try:
        written = [write_table(staging / f"{name}.csv", table) for name, table in result.tables().items()
                   if len(table)]
        if "base" in result.plans:
            import matplotlib.pyplot as plt

            ax = result.plans["base"].plot()
            written.append(write_figure(staging / "capacity_plan.png", ax.figure))
            plt.close(ax.figure)
        replace_all(out, staging, [p.name for p in written])
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    cols = [c for c in ("variant", "status", "hires", "classes", "site_weeks_short", "site_weeks_short_before_reach",
                        "total_cost", "prob_short_max", "prob_any_short", "error") if c in result.variants]
    table = result.variants[cols].to_string(index=False, float_format=lambda x: f"{x:,.0f}" if abs(x) >= 100
                                            else f"{x:.3g}")
    _say(args, f"wfm capacity: {len(result.variants)} what-if(s)\n" + table)
    if "base" in result.plans:
        from ..capacity.result import risk_note

        _say(args, f"required FTE basis: {result.plans['base'].params.get('fte_basis')}; heads are whole, costs "
                   "per month in capacity_monthly.csv")
        base = result.variants[result.variants["variant"] == "base"]
        if len(base) and risk_note(base.iloc[0]):
            _say(args, "base " + risk_note(base.iloc[0]))
        _say(args, _capacity_weeks(loaded, base))
    _say(args, f"wrote {len(written)} files to {out}/")
    return EXIT_OK if result.ok else EXIT_FAILED


def _capacity_weeks(loaded, base):
    """The base plan's week start, said as wfm run says the weekly plan's."""
    from ..scenario.long_term import week_start_key
    from ..scenario.output import week_start_text

    row = base.iloc[0]
    return "weeks start " + week_start_text(row["week_start"], bool(row["week_start_inferred"]), week_start_key(loaded))


def _roster(args):
    from .._validation import option_names
    from ..calendar import check_week_start
    from ..logs import read_table
    from ..report import write_table
    from ..report.schedule_views import breaks_text
    from ..roster import roster_agents
    from ..roster.arguments import check_not_shift_rules

    rules_path = Path(args.rules)
    rules = _rules_yaml(rules_path) or {}
    if not isinstance(rules, dict):
        raise ValueError(f"--rules {rules_path.name!r} must hold a mapping of roster rules; got {type(rules).__name__}.")
    check_not_shift_rules(rules, f"--rules {rules_path.name!r}", time_limit=args.time_limit)  # named by the file
    if args.requirement:
        table = _read_table(args.requirement, "--requirement", **_timestamp_options(args))
        _columns(table, "--requirement", [args.column])
        demand = table[args.column]
    else:
        demand = _by_line(*read_table(args.cover, "--cover"))
    if "week_start" in rules:  # the file's, checked; a --week-start naming another day is refused
        _check_week_starts(args.week_start, rules["week_start"], "week_start", rules_path.name)
    elif args.week_start is not None:
        rules["week_start"] = check_week_start(args.week_start, "--week-start")
    # neither says: wfm.roster_agents sizes a requirement on its own weeks (wfm.calendar.infer_week_start)
    agents = _by_line(*read_table(args.agents, "--agents"))
    requests = _by_line(*read_table(args.requests, "--requests")) if args.requests else None
    whole = _whole_agents("--column") if args.requirement else \
        (lambda _: "Give --cover whole agents in its required column: round them up in the file.")
    with option_names({**_flag_names(), "whole_agents": whole}):  # fractional agents: the flag, not numpy.ceil
        result = roster_agents(demand, agents, rules, requests=requests, time_limit=args.time_limit,
                               allow_shortfall=args.allow_shortfall, dayfirst=_dayfirst(args),
                               date_format=args.date_format)
    out = Path(args.out)
    table = result.table.assign(breaks=[breaks_text(b) for b in result.table["breaks"]])
    written = [write_table(out / "roster.csv", table), write_table(out / "roster_agents.csv", result.agents),
               write_table(out / "roster_cover.csv", result.cover)]
    if result.coverage is not None:
        written.append(write_table(out / "roster_coverage.csv", result.coverage))
    s = result.figures()
    _say(args, f"wfm roster: {s['agents']} agents x {s['days']} days, {s['agent_days_worked']} shifts; objective "
               f"{s['objective']:,.6g} (bound {s['lower_bound']:,.6g}, gap {s['gap']:.2%}, {s['status']}); "
               f"under-cover {s['cover_under']} agent-shifts; weekends per agent {s['weekends_min']}-"
               f"{s['weekends_max']}")
    _say(args, f"wrote {', '.join(str(p) for p in written)}")
    return EXIT_OK


def _by_line(frame, rows, where):
    """A table read for wfm roster, on its file's line numbers (index 'line') so errors name the lines."""
    import pandas as pd

    return frame.set_axis(pd.Index(rows, name="line" if "line numbers" in where else None))


def _init(args):
    from types import SimpleNamespace

    from ..scenario.draft import draft_scenario

    if not Path(args.export).exists():
        raise FileNotFoundError(f"EXPORT: no such file {args.export!r}.")
    out = Path(args.out)
    if out.exists() and not args.force:
        raise FileExistsError(f"--out {str(out)!r} exists; pass --force to replace it.")
    with _in_file(args.export):  # every error of the draft is about the export: it starts with the file
        draft = draft_scenario(args.export, name=args.name, kind=args.kind, columns=args.columns,
                               dayfirst=_dayfirst(args), date_format=args.date_format, outcomes=args.outcomes,
                               na_values=_column_values(args.na, "--na") or None,
                               filters=_column_values(args.filter, "--filter") or None, freq=args.freq,
                               threshold=args.threshold, folder=out.parent, tz=args.tz, exclude=args.exclude,
                               on_bad_rows=_bad_rows(args), skew=args.skew,
                               fallback=_column_values(args.fallback, "--fallback") or None,
                               zero_wait_abandons=args.zero_wait_abandons)
    written = draft.write(out)
    d = draft.detected
    _say(args, f"wfm init: {d['file']}: {d['kind']}, {d['weeks']:.1f} weeks of {d['interval'] / 60:g}-min intervals "
               f"({d['first']:%d %b %Y} to {d['last']:%d %b %Y}), open {d['open_days']} day(s) a week, weeks from "
               f"{d['week_start']}; read {d['calls_per_week']:,.0f} calls a week"
               + (f", AHT {d['aht']:,.0f} s" if "aht" in d else ", no AHT") + f"; wrote {', '.join(str(p) for p in written)}")
    _say(args, f"  check the {len(draft.assumptions)} ASSUMPTION(s) in it ({', '.join(draft.assumptions)}), then: "
               f"wfm run {out}")
    _write_rejected(args, SimpleNamespace(attrs={"rejected": draft.rejected}))
    return EXIT_OK


def _validate(args):
    from ..scenario import load_scenario

    loaded = load_scenario(args.scenario)
    names = [v.name for v in loaded.variants]
    _say(args, f"{args.scenario}: ok: scenario {loaded.name!r}, {len(names)} variant(s), detail for "
               f"{len(loaded.detail)}.")
    return EXIT_OK


def _schema(args):
    import json

    from ..scenario import scenario_schema

    text = json.dumps(scenario_schema(), indent=2)
    if args.out:
        from ..report import atomic_write

        atomic_write(args.out, lambda tmp: Path(tmp).write_text(text + "\n"))
    else:
        print(text)
    return EXIT_OK


def _history(args):
    from ..datasets import bank_calls
    from ..logs import read_history

    if args.dataset:
        return bank_calls(args.freq).to_frame()
    if not args.history:
        raise ValueError("give --history FILE (CSV or Parquet of interval history) or --dataset bank_calls.")
    options = _history_options(args)
    if options["columns"] is None and args.aht_col is None:  # wfm history's file reads as it is, AHT included
        options["columns"] = _own_history_columns(args.history)
    with _in_file(args.history, "--history"):
        return read_history(args.history, timestamp=args.timestamp, calls=args.calls, aht=args.aht_col, **options)


def _own_history_columns(path):
    """wfm's own names (as wfm history writes them) of the answered calls and handle time in a file's header."""
    from ..logs import read_header

    try:
        header = read_header(path, "--history")
    except (OSError, ValueError):
        return None  # the reader says what is wrong with the file
    roles = ["answered", "handle_time" if "handle_time" in header else "aht"]  # handle_time / answered: exact AHT
    return {role: role for role in roles if role in header} or None


def _forecast(args):
    from .. import forecast as fc_module
    from ..calendar import _WEEKDAYS, future_intervals, open_calendar

    read = _history(args)
    history = _one_queue(args, read)
    calendar = open_calendar(history["calls"], holidays=args.holidays)
    future = future_intervals(history["calls"], args.days, calendar=calendar)
    fc = fc_module.forecast(history["calls"], future, args.method, args.level)
    # the band's coverage and the centre's open weekdays travel with the file: wfm staff reads them (a forecast
    # of fewer days than a week cannot show which weekdays make the working week its FTE counts against)
    table = fc.table.assign(level=fc.level, open_days=",".join(_WEEKDAYS[d] for d in calendar.open_days))
    aht_text = ""
    if "aht" in history and history["aht"].notna().any():  # the history's AHT goes on, so wfm staff can read it
        table = table.assign(aht=fc_module.forecast_aht(history["aht"], future, calls=history["calls"]))
        aht_text = f". AHT {(table['aht'] * table['forecast']).sum() / table['forecast'].sum():,.0f} s"
    _write(args.out, table)
    _say(args, f"wfm forecast: {fc._headline()}{aht_text}; wrote {args.out}")  # the method, why, the band's level
    _write_rejected(args, read)
    return EXIT_OK


def _one_queue(args, history):
    """The history of the queue --queue names, of a report of several (--columns queue=Column): one table."""
    where = f"--history {Path(args.history).name!r}" if args.history else "--dataset"
    if "queue" not in history.columns:
        if args.queue is not None:
            raise ValueError(f"--queue {args.queue}: {where} has no queue column; name it, e.g. --columns "
                             "queue=Queue, or leave --queue out.")
        return history
    queues = history["queue"].astype(str)
    names = list(dict.fromkeys(queues))
    shown = ", ".join(names[:6]) + (", ..." if len(names) > 6 else "")
    if args.queue is None and len(names) > 1:
        raise ValueError(f"{where} holds {len(names)} queues ({shown}); wfm forecast and the steps after it plan one "
                         f"queue at a time: pass --queue {names[0]} (once per queue, each to its own --out), or plan "
                         "them all with wfm run (wfm init drafts its scenario).")
    if args.queue is not None and args.queue not in names:
        raise ValueError(f"--queue {args.queue}: {where} has no such queue; its queues are {shown}.")
    return history[queues == (args.queue or names[0])].drop(columns="queue")


def _plan_aht(args, table, flag="--forecast", writer="wfm forecast writes one when its history has AHT or handle "
              "time"):
    """--aht in seconds, else the ``flag`` file's aht column (what wfm forecast writes from a history with AHT)."""
    from .._validation import PLAUSIBLE

    if args.aht is None:
        if "aht" not in table.columns:
            raise ValueError(f"--aht: give the average handle time in seconds (e.g. --aht 300), or a {flag} file "
                             f"with an aht column ({writer}).")
        return table["aht"]
    if args.aht < PLAUSIBLE["aht"][0]:  # 20 s: minutes typed for seconds
        raise ValueError(f"--aht {args.aht:g}: the average handle time is in seconds, and {args.aht:g} s is shorter "
                         f"than any contact; if it is in minutes, pass --aht {args.aht * 60:g}.")
    return args.aht


def _band_level(args, table):
    """--level, else the --forecast file's level column (wfm forecast writes the band's coverage), else 0.8; a
    --level the file's band was not made at is refused."""
    from ._shared import _check_fraction_flags

    _check_fraction_flags(("--level", args.level, False, False))
    if "level" in table.columns:  # a level in percent is named as such before any disagreement with --level
        _check_fraction_flags(("--forecast's level column", _made_with(args, table, "level"), False, False))
    level = _made_with(args, table, "level", check=True)
    return 0.8 if level is None else float(level)


#: A column of a file that says what the file was made with, for the flag of the same name (see :func:`_made_with`):
#: (the file's flag, its one number or None: one per interval, the words of a disagreeing flag's refusal, what
#: leaving the flag out does, the command that makes the file again).
_MADE_WITH = {
    "level": ("--forecast", "the coverage of the file's band (as wfm forecast writes it)",
              "whose band was made at level {}", "staff the band as it was made",
              "make the forecast again with wfm forecast"),
    "patience": ("--plan", None, "staffed for callers with a patience of {} s", "simulate the callers it was "
                 "staffed for", "staff it again with wfm staff"),
    "threshold": ("--plan", "the answer-time target in seconds the plan was staffed for (as wfm staff writes it)",
                  "staffed for a service level within {} s", "simulate the service level it was "
                  "staffed for", "staff it again with wfm staff"),
}


def _made_with(args, table, column, *, check=False):
    """
    The ``--column`` flag's value (``args.<column>``) for the file that ``table`` was read from: the flag when the
    file has no such column (None when the flag was not given either), else the column (:data:`_MADE_WITH`: one
    number, or a Series per interval), which the flag may only repeat. A column that is not one number when it must
    be, and a flag that disagrees with the column (``check``), are errors naming the values, the file and the fix.
    """
    import numpy as np

    file_flag, one, made, use, again = _MADE_WITH[column]
    flag, given = f"--{column}", getattr(args, column)
    if column not in table.columns:
        return given
    path = getattr(args, file_flag[2:], None)  # args.forecast, args.plan
    where = f"{file_flag} {Path(path).name!r}" if path else file_flag
    values = table[column].dropna().unique()
    if one and (len(values) != 1 or isinstance(values[0], (str, bool))):
        raise ValueError(f"{file_flag}'s {column} column must hold one number, {one}; it holds "
                         f"{', '.join(str(x) for x in values[:4]) or 'none'} ({where}).")
    if check and given is not None and not np.allclose(table[column], given, rtol=1e-9, atol=1e-12):
        shown = ", ".join(f"{x:g}" for x in values[:4]) + (", ..." if len(values) > 4 else "")
        raise ValueError(f"{flag} {given:g} disagrees with {where}, {made.format(shown)} (its {column} column): "
                         f"leave {flag} out to {use}, or {again} {flag} {given:g}.")
    return float(values[0]) if one else table[column]


def _with_flag_names(**names):
    """Run the decorated command with its own flags (``names``: argument -> flag text) in the errors it raises."""
    import functools

    def decorate(command):
        @functools.wraps(command)
        def run(args):
            from .._validation import option_names
            from ._shared import _flag_names

            with option_names({**_flag_names(), **names}):
                return command(args)
        return run
    return decorate


#: The service targets' flags (wfm staff, demo, intraday), for the errors of wfm.staffing ("--service-level 1: ...").
_TARGET_FLAGS = dict(service_level=lambda value: f"--service-level {value:g}",
                     max_asa=lambda value: f"--max-asa {value:g}")


@_with_flag_names(model=lambda value: f"--model {value}", patience=lambda value: f"--patience {value:g}",
                  max_abandon_rate=lambda value: f"--max-abandon-rate {value:g}",
                  open_days=lambda value: "--open-days " + ",".join(map(str, value or [])), **_TARGET_FLAGS)
def _staff(args):
    from ..staffing import staffing_plan, staffing_plan_from_forecast

    from ..calendar import check_week_start
    from ._shared import _check_fraction_flags, _check_seconds_flags

    _check_seconds_flags(("--threshold", args.threshold, True),  # Erlang C's own message says patience needs A
                         ("--patience", args.patience if args.model == "erlang_a" else None, False))
    table = _read_table(args.forecast, "--forecast", **_timestamp_options(args))
    if args.week_start is not None:
        check_week_start(args.week_start, "--week-start")
    aht = _plan_aht(args, table)
    level = _band_level(args, table)
    _check_fraction_flags(("--service-level", args.service_level, False, True),
                          ("--max-occupancy", args.max_occupancy, False, True),
                          ("--max-abandon-rate", args.max_abandon_rate, True, True),
                          ("--shrinkage", args.shrinkage, True, False),
                          ("--probability", args.probability, False, False))
    targets = dict(service_level=args.service_level, threshold=args.threshold, model=args.model,
                   patience=args.patience, max_asa=args.max_asa, max_occupancy=args.max_occupancy,
                   max_abandon_rate=args.max_abandon_rate, shrinkage=args.shrinkage,
                   fte_hours_per_week=args.fte_hours, week_start=args.week_start,
                   open_days=_staff_open_days(args, table))
    if {"forecast", "lower", "upper"} <= set(table.columns) and args.method != "point":
        plan = staffing_plan_from_forecast(table[["forecast", "lower", "upper"]], aht, method=args.method,
                                           probability=args.probability, level=level, **targets)
    else:
        column = "forecast" if "forecast" in table.columns else "calls"
        _columns(table, "--forecast", [column])
        plan = staffing_plan(table[column].rename("calls"), aht, **targets)
    patience = {"patience": plan.params["patience"]} if plan.params.get("model") == "erlang_a" else {}
    # what the plan was staffed for, for wfm simulate: the threshold, and an Erlang A plan's callers' patience
    _write(args.out, plan.table.assign(threshold=plan.params["threshold"], **patience))
    f = plan.figures()
    weeks = plan.totals("W")
    _say(args, f"wfm staff: {len(plan.table)} intervals, peak {f['peak_agents']:.0f} agents, required FTE "
               f"{f['required_fte']:.1f} per working week ({weeks['week_share'].sum():.2g} working week(s) in "
               f"{len(weeks)} week(s) starting {plan.params['week_start']}, {plan.params['fte_hours_per_week']:g} h "
               f"per FTE, shrinkage {plan.params['shrinkage_total']:.0%}; the FTE to employ comes from shifts: "
               f"wfm run, with a schedule section); wrote {args.out}")
    return EXIT_OK


def _staff_open_days(args, table):
    """--open-days, else the --forecast file's open_days column (wfm forecast writes the history's), else None."""
    from ._shared import _open_days

    if args.open_days is not None or "open_days" not in table.columns:
        return _open_days(args.open_days)
    values = table["open_days"].dropna().astype(str).unique()
    if len(values) != 1:
        raise ValueError(f"--forecast's open_days column must hold one list of weekdays (as wfm forecast writes it, "
                         f"e.g. Mon,Tue,Wed,Thu,Fri); it holds {', '.join(values[:3]) or 'none'}.")
    return _open_days(values[0], "--forecast's open_days column")


@_with_flag_names(whole_agents=_whole_agents("--column"))
def _schedule(args):
    from ..calendar import _WEEKDAYS
    from ..report import write_table
    from ..report.schedule_views import breaks_text
    from ..schedule import schedule_weeks

    table = _read_table(args.requirement, "--requirement", **_timestamp_options(args))
    _columns(table, "--requirement", [args.column])
    rules, aside = _shift_rules(args.rules)  # unknown keys named; a scenario's solver options set aside
    week_start, source = _schedule_week_start(args.week_start, args.rules)  # the file's, if it says
    out = Path(args.out)
    plan = schedule_weeks(table[args.column], rules, week_start=week_start, time_limit=args.time_limit,
                          mip_gap=args.mip_gap, allow_shortfall=args.allow_shortfall)
    shifts = plan.shifts.copy()
    shifts["breaks"] = [breaks_text(b) for b in shifts["breaks"]]
    write_table(out / "shifts.csv", shifts)
    write_table(out / "coverage.csv", plan.coverage)
    if plan.params.get("rolling_week"):  # a week start would cut the plan's first week: weeks from its first day
        source = (f"one rolling week: a plan of at most 7 days that the weeks of {source} would cut in two"
                  if len(plan.weeks) == 1 else f"weeks counted from the plan's first day, which the weeks of "
                  f"{source} would cut")
    _say(args, f"wfm schedule: weeks starting {_WEEKDAYS[plan.params['week_start']].upper()} ({source}), "
               f"{plan.coverage.index[0]:%d %b %Y} to {plan.coverage.index[-1]:%d %b %Y}: "
               f"{_schedule_figures(plan, rules)}, {plan.status} (gap {plan.gap:.2%})")
    _say(args, "  heads are scheduled agents; the FTE to employ (heads grossed up for the shrinkage shifts do not "
               "cover, over the hours of one FTE) is in the headline of wfm run")
    if aside:
        _say(args, f"  set aside from --rules: {', '.join(aside)} (a scenario's solver options; here the flags "
                   "--time-limit, --mip-gap, --allow-shortfall)")
    _say(args, f"wrote {out / 'shifts.csv'} and {out / 'coverage.csv'}")
    return EXIT_OK


def _schedule_figures(plan, rules):
    """Heads, paid hours (in all and per week) and, when the shift rules price a paid hour, the cost."""
    f = plan.figures()
    weeks = f.get("weeks", 1)
    priced = isinstance(rules, dict) and any(isinstance(t, dict) and "cost_per_paid_hour" in t
                                             for t in rules.get("shifts") or [])
    notes = ([f"{f['paid_hours'] / weeks:,.1f} per week over {weeks} weeks"] if weeks > 1 else []) + (
        [] if priced else ["no cost: the shift rules set no cost_per_paid_hour"])
    return (f"{f['heads']} heads, {f['paid_hours']:,.1f} paid hours{'' if weeks > 1 else ' in the week'}"
            + (f" ({'; '.join(notes)})" if notes else "")
            + (f", cost {f['cost']:,.2f} (paid hours x the shifts' cost_per_paid_hour)" if priced else ""))


def _skills(args):
    from ..scenario.skills import staff_centre_file

    plan = staff_centre_file(args.centre, method=args.method, replications=args.replications, seed=args.seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    _write(out / "agents.csv", plan.agents())
    _write(out / "service.csv", plan.service.set_index("interval"))
    _write(out / "intervals.csv", plan.intervals)
    f = plan.figures()
    _say(args, f"wfm skills: {len(plan.intervals)} intervals of {plan.params['interval'] / 60:g} min, "
               f"{f['peak_agents']} agents at the peak, {f['agent_hours']:,.1f} agent-hours, cost {f['cost']:,.1f} "
               f"(agent-hours x group cost per agent-hour; {f['saving_vs_per_type']:.1%} below per-type Erlang, "
               f"{f['excess_over_pooled']:.1%} above pooled); {f['types_on_target']:.1%} of interval-types on "
               f"target; wrote {out}")
    return EXIT_OK if f["types_on_target"] == 1.0 else EXIT_FAILED


@_with_flag_names(whole_agents=_whole_agents("--agents-col"))
def _simulate(args):
    from .._validation import warn_implausible
    from ..simulation import simulate
    from ._shared import _check_seconds_flags

    _check_seconds_flags(("--threshold", args.threshold, True), ("--patience", args.patience, False))
    table = _read_table(args.plan, "--plan", **_timestamp_options(args))
    _columns(table, "--plan", ["calls"] + ([] if args.schedule else [args.agents_col or "agents"]))
    agents = _scheduled_agents(args, table) if args.schedule else table[args.agents_col or "agents"]
    if args.aht is not None and "aht" in table.columns:
        raise ValueError(f"--aht {args.aht:g}: --plan has an aht column (the AHT it was staffed for), which the "
                         "simulation uses; leave --aht out, or drop the column to simulate another AHT.")
    aht = _plan_aht(args, table, "--plan", "wfm staff writes one")
    patience = _plan_patience(args, table)
    threshold = _made_with(args, table, "threshold", check=True)  # the plan's (wfm staff writes it), else 20 s
    threshold = 20.0 if threshold is None else threshold
    for value, name in ((aht, "aht"), (threshold, "threshold"), (patience, "patience")):
        if value is not None:  # likely unit mistakes, warned as wfm staff warns them
            warn_implausible(value, name, index=getattr(value, "index", None), stacklevel=2)
    sim = simulate(table["calls"], aht, agents, patience=patience,
                   replications=args.replications, seed=args.seed, threshold=threshold)
    _write(args.out, sim.intervals)
    s = sim.summary()["estimate"]
    of = f" of the agents scheduled in {Path(args.schedule).name}" if args.schedule else ""
    _say(args, f"wfm simulate: {args.replications} replication(s){of}, service level {s['service_level']:.1%} "
               f"within {threshold:g} s, "
               f"abandon rate {s['abandon_rate']:.1%}, ASA {s['asa']:.1f} s; wrote {args.out}")
    return EXIT_OK


def _scheduled_agents(args, plan):
    """The agents on the phones per interval of wfm schedule's coverage.csv (--schedule), on the plan's intervals."""
    from .._validation import infer_interval

    if args.agents_col is not None:
        raise ValueError(f"--agents-col {args.agents_col} names the plan's agents, --schedule the schedule's (its "
                         "scheduled column): give one of them.")
    where = f"--schedule {Path(args.schedule).name!r}"
    cover = _read_table(args.schedule, "--schedule", **_timestamp_options(args))
    _columns(cover, f"{where} (wfm schedule's coverage.csv)", ["scheduled"])
    missing = plan.index.difference(cover.index)
    if len(missing) or infer_interval(cover.index, "--schedule") != infer_interval(plan.index, "--plan"):
        raise ValueError(f"{where} does not schedule the intervals of --plan ({len(missing)} of its {len(plan)} "
                         f"missing{f', first {missing[0]}' if len(missing) else ''}, or another interval length): "
                         "give the coverage.csv wfm schedule wrote for this plan (its --requirement).")
    return cover["scheduled"].reindex(plan.index)


def _plan_patience(args, table):
    """--patience, else the --plan file's patience column (wfm staff writes it for Erlang A); a --patience the plan was
    not staffed with is refused, and a plan expecting abandons with no patience is simulated with none, warned."""
    if ("patience" not in table.columns and args.patience is None and "abandon_rate" in table.columns
            and (table["abandon_rate"] > 0).any()):
        import warnings

        warnings.warn("--plan expects abandons (its abandon_rate column: an Erlang A plan) but has no patience column "
                      "and no --patience was given, so its callers are simulated never hanging up; pass --patience "
                      "with the patience it was staffed for.", UserWarning, stacklevel=2)
    return _made_with(args, table, "patience", check=True)


@_with_flag_names(freq=lambda value: f"--freq {value}")
def _evaluate(args):
    from .. import evaluate

    _check_evaluate_flags(args)
    if args.contacts:
        for name, value in (("--contacts", args.contacts), ("--states", args.states), ("--schedule", args.schedule)):
            if value and not Path(value).exists():
                raise FileNotFoundError(f"{name}: no such file {value!r}.")
        with _in_file(args.contacts, "--contacts"):
            log = evaluate.read_contacts(args.contacts, **{k: v for k, v in _contact_options(args).items()
                                                           if v is not None})  # None: the reader's default
        states = schedule = None
        if args.states:  # read here with the date flags (kpis would read the file without them)
            with _in_file(args.states, "--states"):
                states = evaluate.read_states(args.states, **_timestamp_options(args))
        if args.schedule:
            with _in_file(args.schedule, "--schedule"):
                schedule = evaluate.read_schedule(args.schedule, **_timestamp_options(args))
        k = evaluate.kpis(log, states=states, schedule=schedule, freq=args.freq, threshold=args.threshold)
        card = evaluate.scorecard(k, args.targets) if args.targets else None  # checks k's freq against the targets
        table = k.copy(deep=False)
        table.attrs = {}  # the file holds the table only (its notes and definitions are not Parquet metadata)
        _write(args.out, table)
        _say(args, f"wfm evaluate: KPIs of {len(k)} period(s); wrote {args.out}" + (f"\n{card!r}" if card else ""))
        _write_rejected(args, log)
        return EXIT_OK
    from .. import metrics
    from ..logs import read_history

    with _in_file(args.actual, "--actual"):
        read = read_history(args.actual, timestamp=args.timestamp, calls=args.calls,
                            **{k: v for k, v in _history_options(args).items() if v is not None})
    actual = read["calls"]
    fc = _read_table(args.forecast, "--forecast", **_timestamp_options(args))
    _columns(fc, "--forecast", ["forecast"])
    if (fc.index.tz is None) != (actual.index.tz is None):
        from .._validation import file_clock, mixed_clocks

        raise ValueError(mixed_clocks(f"--forecast {Path(args.forecast).name!r}", file_clock(fc.index.tz),
                                      f"--actual {Path(args.actual).name!r}", file_clock(actual.index.tz), _TZ_FIX))
    missing = fc.index.difference(actual.index)
    if len(missing):
        raise ValueError(f"--actual has no calls for {len(missing)} of the {len(fc)} forecast intervals, first "
                         f"{missing[0]}; the actual history must cover the forecast's horizon.")
    from types import SimpleNamespace

    # the file's band coverage (wfm forecast writes it), else 0.8
    level = _band_level(SimpleNamespace(level=None, forecast=args.forecast), fc)
    scores = metrics.forecast_accuracy(actual.loc[fc.index], fc, level=level, levels=tuple(args.levels))
    _write(args.out, scores)
    wape = scores[scores["metric"] == "wape"].set_index("level")["value"]
    _say(args, "wfm evaluate: WAPE " + ", ".join(f"{lvl} {val:.1%}" for lvl, val in wape.items())
         + f"; wrote {args.out}")
    _write_rejected(args, read)
    return EXIT_OK


def _check_evaluate_flags(args):
    """--contacts (KPIs) or --actual and --forecast (accuracy), and only the reader flags of the file read."""
    if args.contacts and (args.actual or args.forecast):
        raise ValueError("give --contacts (KPIs) or --actual and --forecast (forecast accuracy), not both.")
    if not args.contacts and not (args.actual and args.forecast):
        raise ValueError("give --actual and --forecast (forecast accuracy), or --contacts (KPIs).")
    given = {"--sort": args.sort, "--missing": args.missing, "--outcomes": args.outcomes, "--na": args.na,
             "--filter": args.filter, "--skew": args.skew, "--fallback": args.fallback,
             "--zero-wait-abandons": args.zero_wait_abandons}
    other = ["--sort", "--missing"] if args.contacts else ["--outcomes", "--na", "--filter", "--skew", "--fallback",
                                                           "--zero-wait-abandons"]
    wrong = [flag for flag in other if given[flag] not in (None, False)]
    if wrong:
        this, that = ("--actual (an interval report)", "contact log --contacts") if args.contacts else (
            "--contacts (a contact log)", "interval report --actual")
        raise ValueError(f"{', '.join(wrong)} read {this}, not the {that}; leave {'it' if len(wrong) == 1 else 'them'} "
                         "out.")


@_with_flag_names(n_origins=lambda value: f"--history-weeks {value}", now=lambda value: f"--now '{value}'",
                  **_TARGET_FLAGS)  # the backtest's origins; the time of the update
def _intraday(args):
    from ..intraday import error_history, reforecast, replan
    from ..report import write_intraday_page

    forecast = _read_table(args.forecast, "--forecast", **_timestamp_options(args))
    _columns(forecast, "--forecast", ["forecast"])
    actual = _read_table(args.actual, "--actual", **_timestamp_options(args))
    column = "actual" if "actual" in actual.columns else "calls"
    _columns(actual, "--actual", [column])
    history = _read_table(args.history, "--history", **_timestamp_options(args), allow_holes=True)  # closures left out
    _intraday_grid(forecast, actual, history, args)
    replan_flags = _intraday_replan_flags(args, forecast)
    if not {"forecast", "actual"} <= set(history.columns):
        _columns(history, "--history (an interval history, or past forecasts with forecast and actual)", ["calls"])
        history = error_history(history["calls"], weeks=args.history_weeks)
    rf = reforecast(forecast[["forecast"]], actual[column], history, now=args.now, method=args.method,
                    level=args.level)
    out = Path(args.out)
    rp = None
    if args.schedule:
        from ..logs import read_table

        shifts, rows, _ = read_table(Path(args.schedule), "--schedule")
        for col in ("start", "end"):
            if col in shifts.columns:
                shifts[col] = _timestamps(shifts[col], f"--schedule {Path(args.schedule).name!r}", col, rows,
                                          **_timestamp_options(args))
        rp = replan(rf, shifts, _shift_rules(args.rules)[0], **replan_flags)
    picture = rf.table
    if rp is not None:
        picture = picture.join(rp.table[["required", "scheduled_before", "scheduled_after", "gap_before",
                                         "gap_after"]])
        _write(out / "actions.csv", rp.actions)
    _write(out / "intraday.csv", picture)
    write_intraday_page(out / "intraday.html", rf, rp, currency=args.currency)
    f = rf.figures()
    other_day = rf.params["day"] != rf.params["now"].normalize()   # the day after a finished one
    _say(args, f"wfm intraday: {rf.params['now']:%a %d %b %Y %H:%M}"
               + (f" (reforecasting {rf.params['day']:%a %d %b %Y})" if other_day else "")
               + f", {f['morning_actual']:,.0f} calls so far against "
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


#: The fix for files with and without UTC offsets read side by side (wfm._validation.mixed_clocks).
_TZ_FIX = ("pass --tz with the time zone the files are in, e.g. --tz America/New_York: times without an offset are "
           "read as that zone's local times and offsets are converted to it; or write both files the same way")


def _intraday_grid(forecast, actual, history, args):
    """--actual and --history on --forecast's clock and intervals: UTC offsets in one file only, or a 15-minute
    history under a 30-minute forecast, is an error naming the flags, the files and the fix."""
    from ..intraday._checks import as_forecast_frame, check_same_step

    for flag, path, frame in (("--actual", args.actual, actual), ("--history", args.history, history)):
        if (frame.index.tz is None) != (forecast.index.tz is None):
            from .._validation import file_clock, mixed_clocks

            raise ValueError(mixed_clocks(f"{flag} {Path(path).name!r}", file_clock(frame.index.tz),
                                          f"--forecast {Path(args.forecast).name!r}", file_clock(forecast.index.tz),
                                          _TZ_FIX))
    frame, step = as_forecast_frame(forecast[["forecast"]])
    check_same_step(actual.index, frame.index, step, "--actual", "--forecast", calls="the calls",
                    example=f"wfm.calendar.resample(calls, '{int(step // 60)}min')")
    check_same_step(history.index, frame.index, step, "--history", "--forecast",
                    calls="calls (or forecast and actual)",
                    example=f"wfm history --freq {int(step // 60)}min, or wfm.calendar.resample(calls, "
                            f"'{int(step // 60)}min')")


def _intraday_replan_flags(args, forecast):
    """The re-plan's flags, checked: refused without --schedule (nothing to re-plan), --aht in seconds."""
    from .._validation import field_fraction

    given = [flag for flag, value in (("--rules", args.rules), ("--aht", args.aht),
                                      ("--service-level", args.service_level), ("--threshold", args.threshold))
             if value is not None]
    if not args.schedule:
        if given:
            raise ValueError(f"{', '.join(given)}: the re-plan's flags need --schedule (the day's shifts CSV); "
                             f"without it there is nothing to re-plan. Give --schedule FILE (with --rules and "
                             f"--aht), or leave {'it' if len(given) == 1 else 'them'} out.")
        return {}
    if not args.rules:
        raise ValueError("--schedule needs --rules (the shift rules YAML) and --aht (seconds).")
    service_level = 0.8 if args.service_level is None else args.service_level
    threshold = 20.0 if args.threshold is None else args.threshold
    try:
        field_fraction(service_level)
    except ValueError as err:
        raise ValueError(f"--service-level {service_level:g}: the service-level target {err}") from None
    if not threshold > 0:
        raise ValueError(f"--threshold {threshold:g}: the answer-time target is in seconds and must be > 0, "
                         f"e.g. --threshold 20.")
    return dict(aht=_plan_aht(args, forecast), service_level=service_level, threshold=threshold)


@_with_flag_names(**_TARGET_FLAGS)
def _demo(args):
    import matplotlib.pyplot as plt
    import pandas as pd

    from ..calendar import last_full_week, open_calendar
    from ..datasets import bank_calls
    from ..report import write_figure, write_table
    from ..staffing import staffing_plan

    from ._shared import _check_fraction_flags

    _check_fraction_flags(("--service-level", args.service_level, False, True), ("--shrinkage", args.shrinkage, True, False))
    history = bank_calls(args.freq)
    calls = last_full_week(history)
    plan = staffing_plan(calls, aht=args.aht, service_level=args.service_level, threshold=args.threshold,
                         shrinkage=args.shrinkage, open_days=open_calendar(history).open_days)  # the bank's week
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
        _say(args, plan._summary_text())
    csv_path = write_table(out / "staffing_plan.csv", table)
    ax = plan.plot()
    png_path = write_figure(out / "staffing_plan.png", ax.figure)
    plt.close(ax.figure)
    _say(args, f"\nwrote {csv_path} and {png_path}")
    return EXIT_OK


def _contacts_history(args):
    """wfm history: the interval history of a contact log, and the callers' patience."""
    from ..calendar import _WEEKDAYS, check_week_start, infer_week_start, week_of
    from ..logs import interval_history, read_contacts
    from ..logs.intervals import patience_text

    if not Path(args.log).exists():
        raise FileNotFoundError(f"LOG: no such file {args.log!r}.")
    if args.week_start is not None:
        check_week_start(args.week_start, "--week-start")
    with _in_file(args.log):
        log = read_contacts(args.log, **_contact_options(args))
    hist = interval_history(log, args.freq, threshold=args.threshold, open_hours=_open_hours(args.open_hours),
                            patience_by=args.patience_by)
    _write(args.out, hist.table)
    s = hist.figures()
    table = hist.table
    first = check_week_start(infer_week_start(table.index) if args.week_start is None else args.week_start)
    weeks = table["calls"].groupby(week_of(table.index, first)).sum()
    lines = [f"wfm history: {len(log):,} contacts -> {len(table)} open {args.freq} intervals from "
             f"{table.index[0]:%Y-%m-%d %H:%M} to {table.index[-1]:%Y-%m-%d %H:%M}; {s['calls']:,.0f} offered, "
             f"service level {s['service_level']:.1%} within {args.threshold:g} s, abandon rate "
             f"{s['abandon_rate']:.1%}, AHT {s['aht']:.0f} s; wrote {args.out}",
             f"  calls per week (starting {_WEEKDAYS[first].upper()}"
             + (", read from the log's open days" if args.week_start is None else "") + "): "
             + ", ".join(f"{w:%d %b} {c:,.0f}" for w, c in weeks.items())]
    for group, row in hist.patience.iterrows():
        lines.append("  " + patience_text(row, label="patience" if group == "all" else f"patience {group:02d}h"))
    for note in hist.notes.itertuples():
        lines.append(f"  note: {note.rows:,} row(s) {note.problem}; {note.action}")
    _say(args, "\n".join(lines))
    _write_rejected(args, log)
    return EXIT_OK


def _channels(args):
    import matplotlib.pyplot as plt

    from ..report import write_figure, write_table
    from ..report.channel_views import channel_lines, channel_tables, plot_channels
    from ..scenario.runner import run_channels_only

    result = run_channels_only(args.scenario, only=args.only)
    out = Path(args.out)
    channels = result.channels
    written = [write_table(out / f"{name}.csv", table) for name, table in channel_tables(channels).items()]
    if channels is not None and channels.plans:
        ax = plot_channels(channels)
        written.append(write_figure(out / "channels.png", ax.figure))
        plt.close(ax.figure)
    failed = not result.ok
    if channels is None:
        failed = True
        _say(args, f"wfm channels: the base plan failed: {result.failed.to_string(index=False)}")
    else:
        _say(args, "\n".join([f"wfm channels {result.loaded.name}:"] + channel_lines(
            channels, result.loaded.scenario.costs.currency)))
    _say(args, f"wrote {len(written)} files to {out}/")
    return EXIT_FAILED if failed else EXIT_OK
