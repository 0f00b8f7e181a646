"""
Draft a scenario for a centre from its own export: what the data show, detected; the rest marked as assumed.

:func:`draft_scenario` reads an interval report (one row per interval) or a
contact log (one row per contact) once and writes the scenario ``wfm run``
needs for that centre. Read from the data: the columns (by their usual ACD
names, unless ``columns`` names them), the day/month order of the dates (only
where exactly one order gives a plausible calendar), the interval length, the
open days and hours (a weekday with data in fewer than half of its weeks is
a special opening, planned closed: :func:`wfm.calendar.weekday_presence`,
the rule the run reads the calendar by), the week start, a last day cut
short (an export pulled mid-day: the plan starts on the next open day), the
service-level threshold of an "answered within N s" column, whether handle
times are there to forecast, and, for a contact log, the callers' patience.
What was read that the analyst should know (a weekday planned closed, a
part-day, days missing whole) is a note: a :class:`wfm.logs.DataWarning`
(``wfm init`` prints it), in :attr:`ScenarioDraft.notes` and at the top of
the file. Everything the data cannot
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
import textwrap
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import _validation as v
from .. import calendar as cal
from ..logs import _parse as lp
from ..logs import DataWarning, interval_history, read_contacts, read_history, read_table
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
    notes : tuple of str
        What the draft read that the analyst should know: a weekday planned
        closed, a last day cut short, rows the reader adjusted. Each is
        also warned (:class:`wfm.logs.DataWarning`) and written at the top
        of ``text``.
    """

    text: str
    detected: dict
    assumptions: list = field(default_factory=list)
    history: pd.DataFrame | None = None
    rejected: pd.DataFrame | None = None
    notes: tuple = ()

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


def _volume_read(history, open_days):
    """What the export says of the volume, for init's summary line, so a unit slip shows before the run: calls
    offered per week [calls], the mean of its days with data times the centre's ``open_days`` a week (a history of
    3.7 calendar weeks from a Sunday to a Thursday holds four Sunday-Thursday weeks), and the AHT [s], handle time
    over the calls answered (over the calls offered when the export gives no answered count), i.e. the AHT of
    every interval weighted by its calls answered."""
    days = pd.DatetimeIndex(history.index).normalize().unique().size
    out = {"calls_per_week": float(history["calls"].sum() / days * open_days) if days else float("nan")}
    if "aht" in history:
        aht = history["aht"].to_numpy(dtype=float)
        weight = history["answered" if "answered" in history else "calls"].to_numpy(dtype=float)
        ok = np.isfinite(aht) & (weight > 0)
        if ok.any():
            out["aht"] = float((aht[ok] * weight[ok]).sum() / weight[ok].sum())
    return out


#: The column given for a role that leaves out the column detected for it by name (``--columns abandoned=-``).
LEAVE_OUT = "-"


def _given(columns):
    """(role -> column as given, the roles given as :data:`LEAVE_OUT`: no column for them, none detected)."""
    given = dict(columns or {})
    left_out = {k for k, c in given.items() if c == LEAVE_OUT}
    return {k: c for k, c in given.items() if k not in left_out}, left_out


def _report_roles(header, columns, detected):
    """Role -> column of an interval report: ``columns`` as given, the rest by their usual names."""
    roles, left_out = _given(columns)
    has_date = "date" in roles or ("date" not in left_out and _match(header, {"date": REPORT_NAMES["date"]}))
    clock = ("date", "time") if has_date else ("timestamp",)
    names = {k: x for k, x in REPORT_NAMES.items()
             if (k not in ("timestamp", "date", "time") or k in clock) and k not in left_out}
    found = _match(header, names, taken=set(roles.values()))
    if "handle_time" in found and "aht" in found:
        found.pop("aht")
    roles = {**found, **roles}
    for col in header:
        named = threshold_of_column(col)
        if named is not None and col not in roles.values() and "answered_within" not in left_out:
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
        :func:`wfm.logs.read_history` / :func:`wfm.logs.read_contacts`);
        ``"-"`` for a role leaves out the column the detection would take
        for it (``{"abandoned": "-"}``: the report is read without one).
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
        with warnings.catch_warnings(record=True) as caught:  # the reader's notes are init's, worded below
            warnings.simplefilter("always")
            history, dayfirst, how = _read_report(path, roles, dayfirst, date_format, tz, exclude=exclude,
                                                  on_bad_rows=on_bad_rows)
        notes = _reader_notes(history.attrs.get("notes"), caught)
        rejected = history.attrs.get("rejected")
        queue = roles.pop("queue", None)  # the runner splits the queues on data.queue
        detected.update(columns=roles, dayfirst=dayfirst, dayfirst_how=how, queue=queue,
                        queues=sorted(history["queue"].astype(str).unique()) if queue else None)
        data = {"path": _relative(path, folder), "columns": roles, "exclude": exclude, "on_bad_rows": on_bad_rows}
        made = None
    else:
        given, left_out = _given(columns)
        roles = {**_match(header, {k: x for k, x in LOG_NAMES.items() if k not in left_out}, taken=set(given.values())),
                 **given}
        if outcomes is None and "outcome" in roles:
            outcomes = _detect_outcomes(path, roles["outcome"])
        options = dict(columns=roles, outcomes=outcomes, na_values=na_values, filters=filters, dayfirst=dayfirst,
                       date_format=date_format, tz=tz, exclude=exclude, on_bad_rows=on_bad_rows, skew=skew,
                       fallback=fallback, zero_wait_abandons=zero_wait_abandons)
        log = read_contacts(path, **{k: x for k, x in options.items() if x is not None})
        notes = []  # the log's reader and interval_history warn their own notes
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
    detected.update(interval=interval, weeks=_weeks(history), first=idx.min(), last=idx.max(),
                    aht_history=bool("aht" in history and history["aht"].notna().any()))
    notes += _detect_calendar(idx, interval, detected)
    detected.update(_volume_read(history, detected["open_days"]))
    if threshold is None:
        threshold = detected.get("threshold_column")
    detected["threshold"] = threshold
    draft = _compose(name, data, detected, made, notes)
    for note in notes:
        warnings.warn(note, DataWarning, stacklevel=2)
    return ScenarioDraft(draft.text, draft.detected, draft.assumptions, draft.history, rejected, tuple(notes))


_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _detect_calendar(idx, interval, detected):
    """The open weekdays, hours, week start and a last day cut short, into ``detected``; the notes they give.

    Open weekdays follow :func:`wfm.calendar.weekday_presence`, the rule :func:`wfm.calendar.open_calendar`
    reads the run's calendar by: a weekday with data in fewer than half of its weeks is planned closed (one
    campaign Saturday in ten weeks of Monday-Friday does not make a six-day week), and said. The hours are
    those of the open weekdays. A last day whose data end before its weekday's close (an export pulled at
    midday) would start the plan mid-day, so the plan starts on the next open day (``horizon.start``).
    """
    local = cal.wall_clock(idx)  # on a clock-change day, 08:00 is 08:00, not 7 h after midnight
    with_data, in_span, is_open = cal.weekday_presence(local)
    if not is_open.any():  # data too scattered for any weekday to be seen in half its weeks: as seen
        is_open = with_data > 0
    notes = []
    for d in np.flatnonzero((with_data > 0) & ~is_open):
        seen = pd.DatetimeIndex(pd.unique(local[local.day_of_week == d].normalize()))
        shown = ", ".join(f"{x:%a %d %b %Y}" for x in seen[:3]) + (", ..." if len(seen) > 3 else "")
        notes.append(f"{_DAY_NAMES[d]} had data in {with_data[d]} of {in_span[d]} weeks ({shown}): planned closed "
                     f"(a special opening, not an open day); if the centre opens on {_DAY_NAMES[d]}s, add "
                     f"{_DAY_KEYS[d]} to horizon.open_days and to schedule.open_hours, and count it in "
                     f"horizon.days.")
    on_open = local[is_open[local.day_of_week]]
    clock = (on_open - on_open.normalize()).total_seconds()
    detected.update(week_start=cal.infer_week_start(idx), open_days=int(is_open.sum()),
                    open_weekdays=[_DAY_KEYS[d] for d in np.flatnonzero(is_open)],
                    closed_seen=[_DAY_KEYS[d] for d in np.flatnonzero((with_data > 0) & ~is_open)],
                    open_from=float(clock.min()), open_to=float(clock.max() + interval))
    last = local.max()
    day, weekday = last.normalize(), last.day_of_week
    slots = np.flatnonzero(cal.open_calendar(idx, interval=interval).slots[weekday]) if len(idx) > 1 else []
    end = (last - day).total_seconds() + interval
    close = (slots[-1] + 1) * interval if len(slots) else end
    if is_open[weekday] and end < close and len(pd.unique(local.normalize())) > 1:
        start = day + pd.Timedelta(days=next(k for k in range(1, 8) if is_open[(weekday + k) % 7]))
        detected["start"] = start
        notes.append(f"the last day, {day:%a %d %b %Y}, ends at {cal._fmt_seconds(end)} where {_DAY_NAMES[weekday]}s "
                     f"run to {cal._fmt_seconds(close)} (an export pulled mid-day?): the plan starts on the next open "
                     f"day, {start:%a %d %b %Y} (horizon.start), not at {cal._fmt_seconds(end)} on a part-day; the "
                     f"part-day stays in the history as it was read.")
    return notes


def _reader_notes(frame, caught):
    """The reader's notes (rows it adjusted or left out) as sentences; other warnings it gave are given again.

    A note counts its rows by the unit its problem names ("day(s) missing whole": "1 day missing whole"),
    where the reader's own warning says "1 row(s) day(s) missing whole".
    """
    notes = [] if frame is None else [_note_sentence(r) for r in frame.itertuples()]
    seen = set()
    for w in caught:
        text = str(w.message)
        if (issubclass(w.category, DataWarning) and notes) or text in seen:
            continue
        seen.add(text)
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return notes


def _note_sentence(note):
    """One row of a notes table (source, rows, problem, action) as the reader words it, except that a problem
    naming its own unit ("day(s) missing whole") is counted in it: "1 day missing whole", "3 days ..."."""
    rows, problem = int(note.rows), str(note.problem)
    unit = re.match(r"(\w+)\(s\) (.*)", problem, re.S)
    count = f"{rows} {unit.group(1)}{'' if rows == 1 else 's'} {unit.group(2)}" if unit else f"{rows} row(s) {problem}"
    return f"{note.source}: {count}; {note.action}."


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


def _days_off_consecutive(open_weekdays):
    """
    Whether a head's days off must be consecutive, for the centre's open weekdays, and why (the comment).

    A head works ``min(5, open days)`` days, so of its days off the closed days are given and ``open days -
    5`` are chosen (the closed days count as days off in the week's cyclic run, as
    :func:`wfm.schedule.weekly_patterns` reads them):

    - open every day: two chosen days off; two in a row is the common rota rule (seven patterns, which still
      cover every day), so True;
    - open 6 days: one chosen day off; in a row with the closed day it could only be that day's neighbour,
      so every head would work the same 4 middle days (Tue-Fri of a Monday-Saturday centre) and those days
      would be covered about twice over (31.0 FTE against 18.8 in review 33); so False;
    - open 5 days or fewer: none chosen, the closed days are the days off; True when they form one run (a
      Friday-Saturday weekend), False when they do not (else no week would be allowed at all).
    """
    open_days = np.isin(np.arange(7), [_DAY_KEYS.index(x) for x in open_weekdays])
    closed = [_DAY_NAMES[i][:3] for i in np.flatnonzero(~open_days)]
    if open_days.all():
        return True, "open every day: two days off in a row, the common rota rule"
    if open_days.sum() == 6:
        shut = int(np.flatnonzero(~open_days)[0])
        before, after = (_DAY_NAMES[(shut + k) % 7][:3] for k in (-1, 1))
        middle = f"{_DAY_NAMES[(shut + 2) % 7][:3]}-{_DAY_NAMES[(shut + 5) % 7][:3]}"
        return False, (f"open 6 days: in a row with {closed[0]} (closed), each head's day off would be {before} or "
                       f"{after}, and every head would work {middle}")
    one_run = int(np.sum(~open_days & np.roll(open_days, 1))) == 1  # cyclic starts of runs of closed days
    return one_run, (f"the closed days ({', '.join(closed)}) are the days off"
                     + ("" if one_run else ", and they are not in a row"))


def _compose(name, data, d, history, notes=()):
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
             *("\n#   ".join(textwrap.wrap(f"Note: {note}", 110, break_on_hyphens=False)).join(("# ", ""))
               for note in notes),
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
    if d.get("closed_seen"):  # a weekday seen in under half its weeks: the run plans the open days written here
        lines.append(line("open_days", d["open_weekdays"], f"detected; {', '.join(d['closed_seen'])}: data in under "
                          "half of the weeks, planned closed"))
    if d.get("start") is not None:
        lines.append(line("start", d["start"].date(), f"the last day ({d['last']:%a %d %b}) ends mid-day: plan from "
                          "the next open day"))
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
    consecutive, why = _days_off_consecutive(d["open_weekdays"])
    lines += ["  week:", f"    days_per_week: {min(5, open_days)}",
              line("days_off_consecutive", consecutive, why, indent=4), "    part_time_share: [0, 0.4]"]
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
