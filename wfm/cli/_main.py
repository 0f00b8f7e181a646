"""The ``wfm`` parser (one function per group of commands) and :func:`main`, which maps errors to exit codes."""

from __future__ import annotations

import argparse
import sys
import traceback

from ._commands import (_capacity, _channels, _contacts_history, _demo, _evaluate, _forecast, _init, _intraday, _roster, _run,
    _schedule, _schema, _simulate, _skills, _staff, _validate)
from ._shared import EXIT_USAGE, _common, _flag_names, _jobs, _pairs, _shrinkage, _zone

__all__ = ["main"]


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
    p.add_argument("--service-level", type=float, help="target fraction, for the re-plan (default 0.8)")
    p.add_argument("--threshold", type=float, help="answer-time target [s], for the re-plan (default 20)")
    p.add_argument("--currency", help="label of the money the rules' cost_per_paid_hour is in, e.g. USD (the page's "
                                      "cost of the actions)")
    p.add_argument("--out", required=True, help="folder for intraday.csv, intraday.html and actions.csv")
    _add_timestamp_flags(p)
    p.set_defaults(func=_intraday)


def _add_date_flags(g):
    """--dayfirst/--monthfirst, --date-format and --tz: how dates and times are read, the same on every command."""
    order = g.add_mutually_exclusive_group()
    order.add_argument("--dayfirst", action="store_true", help="numeric dates are day/month/year")
    order.add_argument("--monthfirst", action="store_true", help="numeric dates are month/day/year")
    g.add_argument("--date-format", metavar="FORMAT", help="strptime format of the dates, e.g. '%%d/%%m/%%Y %%H:%%M'")
    g.add_argument("--tz", type=_zone, metavar="ZONE", help="time zone of the times, e.g. Europe/London")
    return g


def _add_timestamp_flags(p):
    """The date flags on a command reading wfm's own tables (a forecast, a plan) not written as wfm writes them."""
    return _add_date_flags(p.add_argument_group(
        "reading the timestamps", "ISO 8601 (YYYY-MM-DD HH:MM, as wfm writes it) reads without these flags; "
        "other numeric dates need --dayfirst, --monthfirst or --date-format, and timestamps whose UTC offset "
        "changes (a clock change) need --tz, the time zone they were written in"))


def _add_reader_flags(p, *, contacts=False, detects=False):
    """The reader options as flags: every option of wfm.logs.read_history / read_contacts (contacts="both": of both)."""
    g = p.add_argument_group("reading the file", "of --contacts or --actual: --outcomes to --zero-wait-abandons "
                             "read --contacts only, --sort and --missing --actual only" if contacts == "both" else None)
    examples = ["arrival=q_start,answer=ser_start,date=date"] * bool(contacts) + [
        "date=Date,time=Interval,calls=Offered,answered=Answered,handle_time=Handle"] * (contacts is not True)
    g.add_argument("--columns", type=lambda t: _pairs(t, "--columns"), metavar="NAME=COLUMN,...",
                   help="your column names, e.g. " + " or ".join(examples)
                   + ("; NAME=- leaves out the column found for NAME by its usual name, e.g. abandoned=-" if detects
                      else ""))
    _add_date_flags(g)
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
    if contacts is not True:
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
    p.add_argument("--week-start", help="weekday weeks start on: MON, SUN, SAT, ... (default: the first open day after "
                                        "the log's closed days, wfm.calendar.infer_week_start)")
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


def _add_channels_command(sub):
    p = _common(sub.add_parser("channels", help="size a scenario's channels (chat, e-mail, back office, redials, "
                                                "callbacks) beside its base voice plan"))
    p.add_argument("scenario", help="scenario YAML file with a channels section")
    p.add_argument("--out", required=True, help="folder for channel_<name>.csv (agents per interval), "
                                                "channels_headline.csv and channels.png")
    p.add_argument("--only", type=lambda text: [x.strip() for x in text.split(",") if x.strip()], metavar="NAME,...",
                   help="size only these channels: chat, a deferred name (email, ...), redials, callbacks")
    p.set_defaults(func=_channels)
    return p


def _call_with_flag_names(args):
    """Run a command with reader errors naming flags; each warning (a likely unit mistake) becomes a line on stderr."""
    import warnings

    from .._validation import option_names
    from ..logs._parse import DataWarning

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


def _add_scenario_commands(sub):
    """wfm run, capacity, init, validate and schema: the commands that read or write a scenario file."""
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
    _add_reader_flags(p, contacts=True, detects=True)
    p.set_defaults(func=_init, skew=None, zero_wait_abandons=None)  # None: not given (an error for a report)

    p = _common(sub.add_parser("validate", help="check a scenario file (exit 0 ok, 2 bad)"))
    p.add_argument("scenario")
    p.set_defaults(func=_validate)

    p = _common(sub.add_parser("schema", help="print the JSON Schema of a scenario file"))
    p.add_argument("--out", help="write it to this file instead")
    p.set_defaults(func=_schema)


def _add_step_commands(sub):
    """The single steps on CSV files: forecast, staff, schedule, roster, simulate, evaluate, demo."""
    p = _common(sub.add_parser("forecast", help="forecast calls per interval with a band (CSV in, CSV out)"))
    src = p.add_mutually_exclusive_group()
    src.add_argument("--history", help="CSV or Parquet of interval history")
    src.add_argument("--dataset", choices=["bank_calls"], help="a bundled data set instead")
    p.add_argument("--freq", default="30min", choices=["5min", "15min", "30min", "60min"],
                   help="interval length of the bundled data set")
    p.add_argument("--timestamp", default="timestamp", help="column of interval starts")
    p.add_argument("--calls", default="calls", help="column of calls per interval")
    p.add_argument("--aht-col", help=argparse.SUPPRESS)
    p.add_argument("--queue", metavar="NAME", help="the queue to forecast, of a history of several (mapped with "
                                                   "--columns queue=Column); one queue a file, as wfm staff reads")
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
    p.add_argument("--open-days", metavar="DAYS", help="weekdays the centre opens, e.g. Mon-Fri or Sun-Thu: the "
                                                       "working week FTE counts against (default: the --forecast "
                                                       "file's open_days column, as wfm forecast writes it, else the "
                                                       "forecast's own weekdays, which a forecast under a week cannot "
                                                       "show)")
    p.add_argument("--method", default="quantile", choices=["quantile", "expected", "point"],
                   help="staff to a quantile of the forecast rate, to the expected SL, or to the point forecast")
    p.add_argument("--probability", type=float, default=0.8, help="quantile staffed for (default 0.8)")
    p.add_argument("--level", type=float, help="coverage of the forecast band (default: the --forecast file's level "
                                               "column, as wfm forecast writes it, else 0.8)")
    p.add_argument("--out", required=True, help="CSV or Parquet file to write")
    _add_timestamp_flags(p)
    p.set_defaults(func=_staff)

    p = _common(sub.add_parser("schedule", help="size a week of shifts for a requirement (CSV + rules YAML)"))
    p.add_argument("--requirement", required=True, help="CSV with agents per interval (e.g. from wfm staff)")
    p.add_argument("--column", default="agents", help="column of agents required (default agents)")
    p.add_argument("--rules", required=True, help="YAML of shift rules (or a scenario with a schedule section)")
    p.add_argument("--time-limit", type=float, default=15.0, help="solver seconds (default 15)")
    p.add_argument("--mip-gap", type=float, default=0.005, help="proven gap to stop at (default 0.005)")
    p.add_argument("--allow-shortfall", action="store_true", help="minimise the shortfall instead of covering all")
    p.add_argument("--week-start", help="weekday planning weeks start on: MON, SUN, SAT, ... (default: the one "
                                        "--rules states, a roster rules' week_start or a scenario's "
                                        "horizon.week_start, else the first open day after the closed days of "
                                        "--requirement; refused when it differs from the file's)")
    p.add_argument("--out", required=True, help="folder for shifts.csv and coverage.csv")
    _add_timestamp_flags(p)
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
                                        "week_start, else the first open day after the closed days of "
                                        "--requirement, else MON; refused when it differs from the rules' "
                                        "week_start); per-week contract rules count these weeks")
    p.add_argument("--out", required=True, help="folder for roster.csv, roster_agents.csv, roster_cover.csv and, "
                   "with --requirement, roster_coverage.csv (agents on the phones against it per interval)")
    _add_timestamp_flags(p)
    p.set_defaults(func=_roster)

    p = _common(sub.add_parser("simulate", help="simulate a plan call by call (CSV in, CSV out)"))
    p.add_argument("--plan", required=True, help="CSV with calls, aht and agents per interval (e.g. from wfm staff)")
    p.add_argument("--agents-col", help="the plan's column of agents (default agents)")
    p.add_argument("--schedule", metavar="COVERAGE", help="wfm schedule's coverage.csv: simulate its scheduled "
                                                          "agents (on the phones) against the plan's calls and aht")
    p.add_argument("--aht", type=float, help="AHT [s], for a plan with no aht column (refused when it has one)")
    p.add_argument("--patience", type=float, help="mean patience [s] (default: the plan's patience column, as wfm "
                                                  "staff writes it for Erlang A; none: callers never hang up)")
    p.add_argument("--replications", type=int, default=10, help="independent replications (default 10)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--threshold", type=float, help="answer-time target [s] (default: the plan's threshold column, "
                                                   "as wfm staff writes it, else 20)")
    p.add_argument("--out", required=True, help="CSV or Parquet file of the per-interval results")
    _add_timestamp_flags(p)
    p.set_defaults(func=_simulate)

    p = _common(sub.add_parser("evaluate", help="forecast accuracy against actuals, or KPIs of a contact log"))
    p.add_argument("--actual", help="CSV of the calls that arrived")
    p.add_argument("--timestamp", default="timestamp", help="column of interval starts in --actual")
    p.add_argument("--calls", default="calls", help="column of calls in --actual")
    p.add_argument("--forecast", help="CSV with a forecast column (and lower, upper) per interval")
    p.add_argument("--levels", nargs="+", default=["interval", "day"], help="interval, hour, day, week")
    p.add_argument("--contacts", help="contact log (CSV) for KPIs instead")
    p.add_argument("--states", help="agent-state log (CSV: agent, state, start, end) for the state KPIs")
    p.add_argument("--schedule", help="agents' schedule (CSV: agent, activity, start, end), with --states for "
                                      "adherence, conformance and shrinkage")
    p.add_argument("--targets", help="KPI targets YAML for a scorecard, e.g. scenarios/kpi_targets.yaml")
    p.add_argument("--freq", default="D", help="KPI period (default D)")
    p.add_argument("--threshold", type=float, default=20.0, help="service-level answer-time target [s]")
    p.add_argument("--out", required=True, help="CSV or Parquet file to write")
    _add_reader_flags(p, contacts="both")  # for --actual or --contacts; the date flags read --forecast too
    p.set_defaults(func=_evaluate, skew=None, zero_wait_abandons=None, missing=None)  # None: not given

    p = _common(sub.add_parser("demo", help="staff the last full week of the bundled bank_calls data"))
    p.add_argument("--out", default="wfm_demo", help="folder for the CSV and PNG (default: wfm_demo, apart from "
                                                     "the main job's output/)")
    p.add_argument("--freq", default="30min", choices=["15min", "30min", "60min"], help="interval length")
    p.add_argument("--aht", type=float, default=300.0, help="average handle time [s] (default 300)")
    p.add_argument("--service-level", type=float, default=0.8, help="target fraction (default 0.8)")
    p.add_argument("--threshold", type=float, default=20.0, help="answer-time target [s] (default 20)")
    p.add_argument("--shrinkage", type=float, default=0.3, help="shrinkage fraction (default 0.3)")
    p.set_defaults(func=_demo)


def _parser():
    parser = argparse.ArgumentParser(prog="wfm", description="Contact-centre workforce planning: forecast, staff, schedule, "
                                             "simulate and evaluate, from one scenario file or step by step.",
                     epilog="Exit codes: 0 ok, 1 some variants failed, 2 bad usage or input.")
    from .._version import __version__

    parser.add_argument("--version", action="version", version=f"wfm {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    _add_scenario_commands(sub)
    _add_step_commands(sub)
    _add_history_command(sub)
    _add_intraday_command(sub)
    _add_skills_command(sub)
    _add_channels_command(sub)
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
    from ..scenario import ScenarioError

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
        print(f"wfm {args.command}: error: {text}", file=sys.stderr)
        return EXIT_USAGE
