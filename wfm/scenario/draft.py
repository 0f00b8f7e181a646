"""
Draft a scenario for a centre from its own export: what the data show, detected; the rest marked as assumed.

:func:`draft_scenario` reads an interval report (one row per interval) or a
contact log (one row per contact) once and writes the scenario ``wfm run``
needs for that centre. Read from the data: the columns (by their usual ACD
names, unless ``columns`` names them), the day/month order of the dates (only
where exactly one order gives a plausible calendar), the interval length, the
open days and hours, the week start, the service-level threshold of an
"answered within N s" column, whether handle times are there to forecast,
and, for a contact log, the callers' patience. Everything the data cannot
say (targets, shrinkage by component, shift rules, costs) is written as a
default with an ``# ASSUMPTION`` comment, so the analyst sees what to check.
A contact log is turned into an interval history once, written beside the
scenario (``<name>_history.csv``), which the scenario reads.

``wfm init EXPORT`` is the command; ``wfm run`` on what it writes gives the
headline, report and workbook.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import _validation as v
from .. import calendar as cal
from ..logs import _parse as lp
from ..logs import interval_history, read_contacts, read_history, read_table
from ..logs.history import ABANDONED_NAMES, ANSWERED_NAMES
from ..logs.history import column_key as _key
from ..logs.history import threshold_of_column

__all__ = ["ScenarioDraft", "draft_scenario"]

#: Usual ACD column names of each role of an interval report, lower case without spaces, punctuation or units.
REPORT_NAMES = {
    "timestamp": ("timestamp", "intervalstart", "datetime", "intervalbegin", "periodstart", "starttime", "interval"),
    "date": ("date", "day", "reportdate", "calldate"),
    "time": ("interval", "time", "intervaltime", "halfhour", "timeinterval", "period"),
    "calls": ("offered", "callsoffered", "calls", "contacts", "contactsoffered", "offeredcalls", "volume",
              "incoming", "inbound", "received", "callsreceived"),
    "answered": ANSWERED_NAMES,  # the names the history reader knows them by
    "abandoned": ABANDONED_NAMES,
    "handle_time": ("handletime", "totalhandletime", "handletimetotal", "sumhandletime"),
    "aht": ("aht", "avghandletime", "averagehandletime", "ahtsec", "meanhandletime"),
}
#: Usual names of each role of a contact log (wfm.logs.read_contacts' canonical names first).
LOG_NAMES = {
    "arrival": ("arrival", "qstart", "queuestart", "arrivaltime", "offeredtime", "callstart", "starttime"),
    "answer": ("answer", "serstart", "answertime", "answered", "servicestart", "connecttime"),
    "abandon": ("abandon", "qexit", "queueexit", "abandontime"),
    "end": ("end", "serexit", "endtime", "serviceend", "disconnecttime", "callend"),
    "agent": ("agent", "server", "agentid", "agentname"),
    "customer": ("customer", "customerid", "caller", "callerid", "ani"),
    "outcome": ("outcome", "result", "disposition", "callresult", "status"),
    "date": ("date", "calldate"),
}
#: Outcome codes whose meaning is plain (upper case); any other code needs --outcomes.
OUTCOME_WORDS = {
    "answered": ("AGENT", "ANSWERED", "ANSWER", "HANDLED", "ANS", "COMPLETED", "CONNECTED"),
    "abandoned": ("HANG", "HANGUP", "ABANDON", "ABANDONED", "ABN", "ABD", "ABAN"),
    "other": ("PHANTOM", "TEST", "LINETEST"),
}
#: Units a header may give handle times in other than seconds: unit -> (name, how to make seconds of it).
_NOT_SECONDS = {**dict.fromkeys(("m", "min", "mins", "minute", "minutes"), ("minutes", "multiply by 60")),
                **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), ("hours", "multiply by 3600")),
                **dict.fromkeys(("ms", "msec", "msecs", "millisecond", "milliseconds"),
                                ("milliseconds", "divide by 1000"))}
_UNIT = re.compile(r"[(\[]\s*([a-z]+)\s*[)\]]|[\s_\-]([a-z]+)\s*$")


def _check_seconds(roles):
    """A handle-time column whose header names a unit other than seconds is refused: wfm reads seconds."""
    for role in ("aht", "handle_time"):
        column = roles.get(role)
        units = [u for pair in _UNIT.findall(str(column or "").lower()) for u in pair if u in _NOT_SECONDS]
        if units:
            unit, fix = _NOT_SECONDS[units[0]]
            raise ValueError(f"column {column!r} ({role}) gives handle times in {unit}, by its header; wfm reads "
                             f"{role} in seconds and has no option for another unit. Convert the column to seconds "
                             f"({fix}) and name it e.g. {re.sub(_UNIT, '', str(column)).strip() + ' (s)'!r}, then "
                             f"run wfm init again.")


def _match(header, names, taken=()):
    """Role -> column by the usual names, each role in order taking the first free column that matches."""
    keys = {_key(c): c for c in header}
    used, out = set(taken), {}
    for role, options in names.items():
        column = next((keys[k] for k in options if k in keys and keys[k] not in used), None)
        if column is not None:
            out[role] = column
            used.add(column)
    return out


@dataclass(frozen=True)
class ScenarioDraft:
    """
    A drafted scenario: its YAML ``text``, what was detected and what was assumed.

    Attributes
    ----------
    text : str
        The scenario file, commented: detected values say where they come
        from, assumed ones carry ``# ASSUMPTION``.
    detected : dict
        What the data showed (columns, kind, interval [s], week start, open
        hours, weeks of history, threshold [s], patience [s], ...).
    assumptions : list of str
        The keys written as defaults to check.
    history : DataFrame or None
        The interval history made from a contact log (written beside the
        scenario by :meth:`write`), else None.
    rejected : DataFrame or None
        The rows set aside with their reason, with ``on_bad_rows="reject"``.
    """

    text: str
    detected: dict
    assumptions: list = field(default_factory=list)
    history: pd.DataFrame | None = None
    rejected: pd.DataFrame | None = None

    def write(self, path):
        """Write the scenario (and a contact log's history beside it) atomically; returns the paths written."""
        from ..report import atomic_write, write_table

        path = Path(path)
        written = []
        if self.history is not None:
            written.append(write_table(path.parent / self.detected["history_file"], self.history))
        atomic_write(path, lambda tmp: Path(tmp).write_text(self.text))
        return [path, *written]

    def __repr__(self):
        d = self.detected
        return (f"ScenarioDraft({d['kind']}: {d['weeks']:.1f} weeks of {d['interval'] / 60:g}-min intervals, "
                f"weeks from {d['week_start']}; {len(self.assumptions)} assumption(s) to check)")


def _no_log_options(path, **options):
    """Contact-log options given for an interval report are an error: nothing would read them."""
    given = {k: x for k, x in options.items() if x is not None}
    if given:
        raise ValueError(f"{', '.join(lp.option(k, x) for k, x in given.items())}: option(s) of a contact log (one "
                         f"row per contact), but {path.name} is read as an interval report (one row per interval), "
                         f"which does not use them; leave them out, or pass kind='log' (--kind log) if the file is "
                         f"a contact log.")


def _report_roles(header, columns, detected):
    """Role -> column of an interval report: ``columns`` as given, the rest by their usual names."""
    roles = dict(columns or {})
    has_date = "date" in roles or _match(header, {"date": REPORT_NAMES["date"]})
    clock = ("date", "time") if has_date else ("timestamp",)
    names = {k: x for k, x in REPORT_NAMES.items() if k not in ("timestamp", "date", "time") or k in clock}
    found = _match(header, names, taken=set(roles.values()))
    if "handle_time" in found and "aht" in found:
        found.pop("aht")
    roles = {**found, **roles}
    for col in header:
        named = threshold_of_column(col)
        if named is not None and col not in roles.values():
            roles["answered_within"] = col
            detected["threshold_column"] = named
    _check_seconds(roles)
    if "calls" not in roles:
        raise ValueError(f"found no column of contacts offered among {header}; name it with --columns "
                         f"calls=COLUMN (and date/time or timestamp the same way).")
    return roles


def _read_report(source, columns, dayfirst, date_format, tz, **options):
    """Read with the detected columns; where the dates read both ways, the one order that gives a calendar.

    The order is decided on the date (or timestamp) column alone, then the file is read once in it, so an
    error of the rows (a blank cell, a repeated interval, a Total row) is raised as the reader words it.
    """
    def read(first):
        return read_history(source, columns=columns, dayfirst=first, date_format=date_format, tz=tz,
                            missing="zero", **options)

    if dayfirst is not None or date_format is not None:
        return read(dayfirst), dayfirst, "given"
    try:
        return read(None), None, "unambiguous"
    except ValueError as err:
        if "dayfirst" not in str(err):
            raise
    column = columns.get("date") or columns.get("timestamp", "timestamp")
    orders = [first for first in (True, False) if _one_calendar(read_table(source, "EXPORT", text=True)[0][column],
                                                                 first)]
    if len(orders) != 1:
        raise ValueError(f"the dates of column {column!r} read both day-first and month-first and "
                         f"{'both orders give' if orders else 'neither order gives'} a regular calendar on its own; "
                         "pass --dayfirst or --monthfirst (or --date-format).")
    return read(orders[0]), orders[0], "detected"


def _one_calendar(values, dayfirst):
    """True when every numeric date of ``values`` is a real date in this order and together they are a calendar.

    Text that is no numeric date (a 'Total' row, a blank) is left to the reader, which names it.
    """
    parts = values.dropna().astype(str).str.strip().drop_duplicates().str.extract(
        lp._NUMERIC_DATE.pattern)[[0, 1, 2]].dropna().astype(int)  # the readers' d/m/y or m/d/y
    if parts.empty:
        return False
    day, month = (parts[0], parts[1]) if dayfirst else (parts[1], parts[0])
    year = parts[2].where(parts[2] >= 100, parts[2] + np.where(parts[2] < 69, 2000, 1900))  # as the readers do
    dates = pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": day}), errors="coerce")
    return bool(dates.notna().all()) and _regular(dates)


def _regular(index):
    """True when the days with data are at most a week apart: a calendar, not dates scattered over months."""
    days = pd.DatetimeIndex(index).normalize().unique().sort_values()
    return len(days) > 1 and bool((days[1:] - days[:-1] <= pd.Timedelta(days=7)).all())


def _detect_outcomes(source, column):
    values = read_table(source, "EXPORT", text=True)[0][column].dropna().astype(str).str.strip().unique()
    meaning = {code: next((m for m, words in OUTCOME_WORDS.items() if code.upper() in words), None) for code in values}
    unknown = [code for code, m in meaning.items() if m is None]
    if unknown:
        raise ValueError(f"the outcome column {column!r} holds codes whose meaning is not plain: "
                         f"{sorted(unknown)[:10]}; say what each means with --outcomes CODE=answered|abandoned|other.")
    return meaning


def draft_scenario(source, *, name=None, kind=None, columns=None, dayfirst=None, date_format=None, outcomes=None,
                   na_values=None, filters=None, freq="30min", threshold=None, folder=None, tz=None, exclude=None,
                   on_bad_rows="error", skew=None, fallback=None, zero_wait_abandons=None):
    """
    Draft the scenario of a centre from its interval report or contact log.

    Parameters
    ----------
    source : str or Path
        The export: CSV, Excel or Parquet.
    name : str, optional
        Scenario name; default the file's stem.
    kind : {"report", "log"}, optional
        One row per interval, or per contact; detected from the columns.
    columns : dict, optional
        Role -> column, for names the detection does not know (as in
        :func:`wfm.logs.read_history` / :func:`wfm.logs.read_contacts`).
    dayfirst, date_format : optional
        Day/month order or format of the dates; detected when the dates read
        both ways and exactly one order gives a regular calendar.
    outcomes, na_values, filters : dict, optional
        Contact logs: as in :func:`wfm.logs.read_contacts`; outcome codes with a
        plain meaning (AGENT, HANG, PHANTOM, ...) are detected.
    freq : str
        Interval length a contact log is counted in. [e.g. "30min"]
    threshold : float, optional
        Service-level answer-time target [s]; read from an "answered within
        N s" column when None, else 20 (an assumption).
    folder : str or Path, optional
        Where the scenario will be written: the data path is written
        relative to it (default the export's own folder).
    tz : str, optional
        Time zone of the export's times (as in the readers); written to the
        scenario.
    exclude, on_bad_rows : optional
        Rows to leave out, and whether a bad row is an error or set aside
        ("reject"), as in the readers; for a report they are written to the
        scenario's ``data`` section, so ``wfm run`` reads the file the same way.
    skew, fallback, zero_wait_abandons : optional
        Contact logs: as in :func:`wfm.logs.read_contacts`.

    Returns
    -------
    ScenarioDraft

    Raises
    ------
    ValueError
        What the readers raise (naming columns, rows and the option that
        fixes it), a calls column that cannot be found, outcome codes with no
        plain meaning, a contact-log option given for an interval report, a
        handle-time column in a unit other than seconds.
    """
    path = Path(source)
    header = read_table(path, "EXPORT", text=True)[0].columns.tolist()
    if kind is None:
        kind = "log" if len(_match(header, {k: LOG_NAMES[k] for k in ("arrival", "answer", "end")})) >= 2 else "report"
    detected = {"kind": kind, "file": path.name, "tz": tz}
    name = name or re.sub(r"[^A-Za-z0-9_]+", "_", path.stem)
    if kind == "report":
        _no_log_options(path, outcomes=outcomes, na_values=na_values, filters=filters, skew=skew, fallback=fallback,
                        zero_wait_abandons=zero_wait_abandons)
        roles = _report_roles(header, columns, detected)
        history, dayfirst, how = _read_report(path, roles, dayfirst, date_format, tz, exclude=exclude,
                                              on_bad_rows=on_bad_rows)
        rejected = history.attrs.get("rejected")
        queue = roles.pop("queue", None)  # the runner splits the queues on data.queue
        detected.update(columns=roles, dayfirst=dayfirst, dayfirst_how=how, queue=queue,
                        queues=sorted(history["queue"].astype(str).unique()) if queue else None)
        data = {"path": _relative(path, folder), "columns": roles, "exclude": exclude, "on_bad_rows": on_bad_rows}
        made = None
    else:
        roles = {**_match(header, LOG_NAMES, taken=set((columns or {}).values())), **(columns or {})}
        if outcomes is None and "outcome" in roles:
            outcomes = _detect_outcomes(path, roles["outcome"])
        options = dict(columns=roles, outcomes=outcomes, na_values=na_values, filters=filters, dayfirst=dayfirst,
                       date_format=date_format, tz=tz, exclude=exclude, on_bad_rows=on_bad_rows, skew=skew,
                       fallback=fallback, zero_wait_abandons=zero_wait_abandons)
        log = read_contacts(path, **{k: x for k, x in options.items() if x is not None})
        rejected = log.attrs.get("rejected")
        th = 20.0 if threshold is None else float(threshold)
        hist = interval_history(log, freq, threshold=th)
        history = made = hist.table
        detected.update(columns=roles, outcomes=outcomes, contacts=len(log), history_file=f"{name}_history.csv")
        pat = hist.patience.loc["all"] if "all" in hist.patience.index else None
        if pat is not None and np.isfinite(pat["patience"]):
            detected["patience"] = float(pat["patience"])
            detected["patience_interval"] = (float(pat["lo"]), float(pat["hi"]))
        elif pat is not None:  # no caller hung up, or no abandon has a wait: left out, and the comment says why
            detected["no_patience"] = ("no caller hung up in the log" if np.isinf(pat["patience"]) else
                                       f"none of the log's {pat['abandoned_no_wait']:.0f} abandons has a wait"
                                       if pat["abandoned_no_wait"] > 0 else "no caller waited in the log")
        data = {"path": detected["history_file"], "timestamp": "timestamp", "calls": "calls", "aht": "aht"}
    idx = history.index.unique().sort_values()  # of all the queues of a report that has several
    interval = 1800.0
    if len(idx) > 1:
        interval = cal._interval_seconds(v.infer_interval(idx, "history"), "the interval of history")
    local = cal.wall_clock(idx)  # on a clock-change day, 08:00 is 08:00, not 7 h after midnight
    open_days = sorted(set(local.day_of_week))
    clock = (local - local.normalize()).total_seconds()
    detected.update(interval=interval, week_start=cal.infer_week_start(idx), open_days=len(open_days),
                    open_weekdays=[("mon", "tue", "wed", "thu", "fri", "sat", "sun")[i] for i in open_days],
                    weeks=_weeks(history), first=idx.min(), last=idx.max(),
                    open_from=float(clock.min()), open_to=float(clock.max() + interval),
                    aht_history=bool("aht" in history and history["aht"].notna().any()))
    if threshold is None:
        threshold = detected.get("threshold_column")
    detected["threshold"] = threshold
    draft = _compose(name, data, detected, made)
    return ScenarioDraft(draft.text, draft.detected, draft.assumptions, draft.history, rejected)


def _weeks(history):
    """Weeks from the first to the last day with data, of the queue with the fewest when there are several."""
    days = pd.Series(history.index.normalize(), index=history.index)
    span = days.groupby(history["queue"].to_numpy()) if "queue" in history else days.groupby(np.zeros(len(days)))
    return float(((span.max() - span.min()).dt.days / 7 + 1 / 7).min())


def _relative(path, folder):
    """The export's path as the scenario in ``folder`` reads it (scenario paths are relative to the file)."""
    if folder is None:
        return path.name
    return Path(os.path.relpath(path.resolve(), Path(folder).resolve())).as_posix()


def _yaml_value(value):
    import yaml

    return yaml.safe_dump(value, default_flow_style=True, width=10_000).strip().removesuffix("...").strip()


def _compose(name, data, d, history):
    """The commented YAML text of the draft."""
    assumed = []

    def line(key, value, comment="", *, indent=2, assumption=False):
        if assumption:
            assumed.append(key)
            comment = "ASSUMPTION: " + comment
        text = f"{' ' * indent}{key.split('.')[-1]}: {_yaml_value(value)}"
        return f"{text:<44} # {comment}" if comment else text

    weeks = d["weeks"]
    short = weeks < 3
    around_the_clock = d["open_to"] - d["open_from"] >= 86_400 - d["interval"] / 2
    queues = f"{len(d['queues'])} queues, the shortest " if d.get("queues") else ""
    lines = [f"# Scenario drafted by `wfm init` from {d['file']} ({d['kind']}, {queues}{weeks:.1f} weeks; from "
             f"{d['first']:%a %d %b %Y} to {d['last']:%a %d %b %Y}).",
             "# Lines marked ASSUMPTION are defaults the data could not show: check them before you sign the plan.",
             "#   wfm run THIS_FILE --out OUTPUT_FOLDER",
             f"name: {name}",
             f"description: Week after the {d['file']} history, planned from the centre's own data.",
             "", "data:"]
    lines.append(line("path", data["path"], "relative to this file" + (
        "; the interval history wfm init made from the contact log" if history is not None else "")))
    if d["tz"]:
        lines.append(line("tz", d["tz"], "given"))
    if d["kind"] == "report":
        lines.append(line("columns", data["columns"], "detected from the column names"))
        if d["queue"]:
            lines.append(line("queue", d["queue"], f"given: {len(d['queues'])} queue(s), each planned on its own"))
        if d["dayfirst"] is not None:
            lines.append(line("dayfirst", d["dayfirst"], "detected: the only day/month order giving a regular "
                                                          "calendar" if d["dayfirst_how"] == "detected" else "given"))
        if data["exclude"]:
            lines.append(line("exclude", data["exclude"], "given: rows left out before reading"))
        if data["on_bad_rows"] != "error":
            lines.append(line("on_bad_rows", data["on_bad_rows"], "given: a bad row is set aside and counted"))
        lines.append(line("data.missing", "zero", "an interval missing inside the open hours had no contacts",
                          assumption=True))
    else:
        for key in ("timestamp", "calls", "aht"):
            lines.append(line(key, data[key]))
    open_days = d["open_days"]
    lines += ["", "horizon:",
              line("days", int(open_days), f"one week: the centre is open {open_days} day(s) a week (detected)"),
              line("week_start", d["week_start"], "detected: the first open day after the closed days"
                   if open_days < 7 else "open every day: ISO weeks")]
    method = "weighted_average" if short else "auto"
    lines += ["", "forecast:",
              line("method", method, f"only {weeks:.1f} weeks of history: the same weekday and time, recent weeks "
                   "weigh more" if short else "the best of wfm's candidates by backtest"),
              line("level", 0.8, "coverage of the band")]
    if short:
        lines.append(line("backtest", None, "too little history to backtest"))
    else:
        lines += ["  backtest:", line("n_origins", int(min(4, max(1, math.floor(weeks) - 2))),
                                      "weekly origins backtested", indent=4)]
    lines += [""]
    if d["aht_history"]:
        lines += ["aht:", line("forecast", True, "forecast from the history's handle times (detected)")]
    else:
        lines.append(line("aht", 300, "seconds; the export has no handle times", indent=0, assumption=True))
    th = d["threshold"]
    lines += ["", "staffing:"]
    if d.get("patience"):
        lo, hi = d["patience_interval"]
        lines += [line("model", "erlang_a", "callers abandon: Erlang A"),
                  line("patience", round(d["patience"]), f"seconds, estimated from the log (95% {lo:.0f}-{hi:.0f} s)")]
    else:
        why = f"({d['no_patience']})" if "no_patience" in d else "in an interval report"
        lines.append(line("staffing.model", "erlang_c", f"no patience estimate {why}: Erlang C", assumption=True))
    lines += [line("staffing.service_level", 0.8, "service target fraction", assumption=True),
              line("staffing.threshold", th if th is not None else 20,
                   "seconds, read from the 'answered within' column" if th is not None else "seconds",
                   assumption=th is None),
              line("staffing.max_occupancy", 0.85, "a cap agents can sustain", assumption=True),
              "  shrinkage:                                 # ASSUMPTION: shares of paid time, by component",
              line("breaks", 0.10, "paid breaks (what the shifts don't place is grossed up)", indent=4),
              line("training", 0.05, "coaching and training", indent=4),
              line("absence", 0.12, "absence and leave", indent=4),
              line("staffing.fte_hours_per_week", 37.5, "paid hours of one FTE", assumption=True)]
    assumed.append("staffing.shrinkage")
    first, last = cal._fmt_seconds(d["open_from"]), cal._fmt_seconds(d["open_to"])  # open_to <= 24:00
    span_h = (d["open_to"] - d["open_from"]) / 3600
    lines += ["", "schedule:                                   # ASSUMPTION: shift rules; set your centre's own",
              "  shifts:"]
    step = ", step: 1h" if around_the_clock else ""  # starts on the hour: a day of 96 starts is a large model
    lines += [f"    - {{name: FT8, paid: 8h, contract: full_time{step},",
              "       breaks: [{length: 30min, paid: false, start_after: [3h30min, 5h]}]}"]
    if span_h >= 4 or around_the_clock:
        lines.append(f"    - {{name: PT4, paid: 4h, contract: part_time{step}}}")
    lines += ["  week:", f"    days_per_week: {min(5, open_days)}", "    part_time_share: [0, 0.4]"]
    if around_the_clock:
        lines.append("  open_hours: 24h                            # detected: open around the clock")
    else:
        lines.append(f"  open_hours: {{{', '.join(f'{x}: [{first!r}, {last!r}]' for x in d['open_weekdays'])}}}"
                     .replace("'", '"') + "  # detected")
    lines += [f"  time_limit: {60 if around_the_clock else 20}{'':<24}# seconds of the solver per week", "",
              "simulate:", "  replications: 5", "  seed: 1", "",
              "costs:",
              "  paid_hour: 0                               # ASSUMPTION: your loaded cost per paid hour; 0 shows "
              "costs as n/a",
              "  currency: ''                               # e.g. USD", "", "output:", "  excel: true", "  html: true",
              ""]
    assumed += ["schedule", "costs.paid_hour"]
    return ScenarioDraft("\n".join(lines), d, assumed, history)
