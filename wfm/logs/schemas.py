r"""
Reading the logs KPIs are computed from: contacts (and tickets), ticket
responses, agent states, schedules and the roster.

Every reader takes a DataFrame or a path to a CSV (``.csv``, ``.csv.gz``,
``.txt``), Excel (``.xlsx``) or Parquet (``.parquet``, ``.pq``) file, and ``columns``, a dict
mapping the canonical names below to the names in your data (they differ
between ACDs, ticketing systems and WFM tools), e.g.
``columns={"arrival": "CallStart", "agent": "AgentID"}``. Columns not named
in the schema are kept as they are, so they can be grouped by. Each reader
returns a new DataFrame with the canonical names, checked, with times as
timestamps and durations in seconds. Errors name the column (and the name it
was mapped from), what was expected and the rows that break it (line numbers
of a file, the header being line 1, in :func:`read_contacts`; 0-based
positions otherwise).

Contact log (one row per contact: a call, chat, e-mail or ticket)
-----------------------------------------------------------------

{contact_schema}

Flags accept booleans, 1/0 and yes/no text; a blank flag is False. A blank
score is no answer. Derivations, in order:

* ``answered``: an ``answer`` time (or, for deferred contacts, a
  ``first_response``); else the ``answered`` flag; else not ``abandoned``.
  A log of deferred contacts only may leave all three out: a ticket is
  answered when it has a first response.
* ``abandoned``: the ``abandoned`` flag; else an ``abandon`` time; else a live
  contact that was not answered. Deferred contacts never abandon.
* ``wait``: the ``wait`` column where given; else ``answer - arrival``
  (answered), ``abandon - arrival`` or ``end - arrival`` (abandoned).
* ``handle``: 0 for contacts not answered.

Ticket responses (``responses=``: one row per agent response)
-------------------------------------------------------------
``contact`` (the ticket's id in the contact log) and ``time``.

Agent-state log (one row per spell)
-----------------------------------
``agent``, ``state`` (the ACD's label), ``start``, ``end`` (end exclusive).
Each state maps to an activity (:data:`STATE_ACTIVITIES`) through
``activities=``; the labels of :data:`DEFAULT_ACTIVITIES` (the simulator's
``idle``, ``on_contact``, ``break``, ``lunch``, ``logged_out`` among them)
need no mapping. Labels match ignoring case, spaces and hyphens.

Schedule (one row per scheduled activity)
-----------------------------------------
``agent``, ``activity`` (mapped to :data:`SCHEDULE_ACTIVITIES`), ``start``,
``end``. One agent's rows must not overlap.

Roster (one row per agent)
--------------------------
``agent``, ``team``, ``hire`` and ``leave`` (dates; ``leave`` is the first
day the agent is no longer employed, blank while employed).
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd

from .. import _validation as v
from .tables import read_table
from . import _parse as lp

__all__ = [
    "CHANNELS",
    "CONTACT_COLUMNS",
    "CONTACT_SCHEMA",
    "DEFAULT_ACTIVITIES",
    "OUTCOMES",
    "SCHEDULE_ACTIVITIES",
    "STATE_ACTIVITIES",
    "read_contacts",
    "read_responses",
    "read_roster",
    "read_schedule",
    "read_states",
    "to_ns",
]

#: Channel name -> "live" (a queue: service level, abandonment) or "deferred" (a backlog: response times).
CHANNELS = {"voice": "live", "chat": "live", "email": "deferred", "ticket": "deferred"}

_TIME, _SECONDS, _FLAG, _SCORE, _LABEL, _COUNT = "time", "s", "flag", "score", "label", "count"
_DATE = "date"
#: What an outcome code can mean (``outcomes=`` of :func:`read_contacts`).
OUTCOMES = ("answered", "abandoned", "other")

#: The canonical contact log: (column, type, meaning).
CONTACT_SCHEMA = (
    ("arrival", _TIME, "contact offered to the queue (ticket or e-mail: created). Required"),
    ("date", _DATE, "date of the contact, when the time columns hold only a time of day ('0:10:10')"),
    ("outcome", _LABEL, "outcome code of the ACD (AGENT, HANG, ...), mapped through outcomes="),
    ("contact", _LABEL, "contact or ticket id (default: the row number)"),
    ("queue", _LABEL, "queue, skill or split"),
    ("channel", _LABEL, "voice, chat (live) or email, ticket (deferred); default voice; others through channels="),
    ("answer", _TIME, "answered by an agent (live); empty when not answered"),
    ("abandon", _TIME, "caller hung up before an answer"),
    ("end", _TIME, "contact (or abandon) ended"),
    ("answered", _FLAG, "answered by an agent (derived from answer when absent)"),
    ("abandoned", _FLAG, "hung up before an answer (derived, see below)"),
    ("agent", _LABEL, "agent who handled it"),
    ("wait", _SECONDS, "time in queue; derived from the times when absent"),
    ("talk", _SECONDS, "talk time"),
    ("hold", _SECONDS, "hold time"),
    ("acw", _SECONDS, "after-contact work"),
    ("handle", _SECONDS, "handle time; talk + hold + acw when those are given, else end - answer"),
    ("transferred", _FLAG, "transferred to another queue or agent"),
    ("escalated", _FLAG, "escalated (supervisor, second line)"),
    ("complaint", _FLAG, "the contact is a complaint"),
    ("complaint_category", _LABEL, "category of the complaint"),
    ("customer", _LABEL, "customer id (repeat contacts, FCR)"),
    ("reason", _LABEL, "contact reason code"),
    ("csat", _SCORE, "customer satisfaction, on csat_scale (default 1-5)"),
    ("nps", _SCORE, "likelihood to recommend, 0-10"),
    ("ces", _SCORE, "customer effort (\"made it easy\"), on ces_scale (default 1-7)"),
    ("sentiment", _SCORE, "sentiment of the contact, on sentiment_scale (default -1 to 1)"),
    ("qa", _SCORE, "quality-assurance evaluation, on qa_scale (default 0-100)"),
    ("first_response", _TIME, "ticket: first agent response"),
    ("resolved", _TIME, "ticket: resolved"),
    ("responses", _COUNT, "ticket: agent responses (blank is 0)"),
)
#: Canonical contact-log columns and their types.
CONTACT_COLUMNS = {name: kind for name, kind, _ in CONTACT_SCHEMA}


def schema_table(schema=CONTACT_SCHEMA):
    """A schema as a reStructuredText simple table (for module docstrings and the README)."""
    w = [max(len(r[0]) for r in schema) + 4, 6, max(len(r[2]) for r in schema)]
    rule = " ".join("=" * n for n in w)
    lines = [rule, " ".join(h.ljust(n) for h, n in zip(("column", "type", "meaning"), w)).rstrip(), rule]
    lines += [" ".join([f"``{name}``".ljust(w[0]), kind.ljust(w[1]), meaning]) for name, kind, meaning in schema]
    return "\n".join(lines + [rule])


STATE_COLUMNS = {"agent": _LABEL, "state": _LABEL, "start": _TIME, "end": _TIME}
SCHEDULE_COLUMNS = {"agent": _LABEL, "activity": _LABEL, "start": _TIME, "end": _TIME}
ROSTER_COLUMNS = {"agent": _LABEL, "team": _LABEL, "hire": _TIME, "leave": _TIME}
RESPONSE_COLUMNS = {"contact": _LABEL, "time": _TIME}

#: Activities of the agent-state log: what an agent was doing.
STATE_ACTIVITIES = ("handling", "available", "break", "lunch", "meeting", "training", "downtime", "other",
                    "logged_out")
#: Activities of a schedule: what an agent was planned to do ("work" is on the queue: handling or available).
SCHEDULE_ACTIVITIES = ("work", "break", "lunch", "meeting", "training", "leave", "other")

#: State and schedule labels understood without a mapping (after lower-casing; spaces and hyphens become _).
DEFAULT_ACTIVITIES = {
    # on a contact: talk, hold, after-contact work
    "on_contact": "handling", "handling": "handling", "talk": "handling", "hold": "handling", "acw": "handling",
    "wrap": "handling", "wrap_up": "handling", "after_call_work": "handling", "busy": "handling",
    # logged in, waiting for a contact
    "idle": "available", "available": "available", "ready": "available", "logged_in_idle": "available",
    # planned time away from the queue
    "break": "break", "lunch": "lunch", "meeting": "meeting", "training": "training", "coaching": "training",
    # unplanned
    "downtime": "downtime", "technical_downtime": "downtime", "system_down": "downtime", "other": "other",
    "aux": "other", "logged_out": "logged_out", "offline": "logged_out",
    # schedule only
    "work": "work", "open": "work", "phone": "work", "phones": "work", "on_queue": "work", "shift": "work",
    "leave": "leave", "holiday": "leave", "vacation": "leave", "annual_leave": "leave",
}


__doc__ = __doc__.replace("{contact_schema}", schema_table())


def _norm(label) -> str:
    return re.sub(r"[\s\-]+", "_", str(label).strip().lower())


# --------------------------------------------------------------------------
# Shared steps.
# --------------------------------------------------------------------------


def _load(source, log, columns, schema, *, with_rows=False):
    """DataFrame or file -> a renamed copy with a fresh 0..n-1 index (and the row labels of errors)."""
    frame, rows, _ = read_table(source, log)
    mapping = lp.check_column_map(columns, log, list(schema))
    lp.check_no_collision(frame, log, mapping)
    missing = {k: src for k, src in mapping.items() if src not in frame.columns}
    if missing:
        key, src = next(iter(missing.items()))
        raise ValueError(f"{log} has no column {src!r} (mapped to {key!r}); its columns are "
                         f"{list(frame.columns)[:12]}.")
    frame = frame.rename(columns={src: key for key, src in mapping.items()}).reset_index(drop=True)
    if with_rows:
        return frame.copy(), mapping, rows
    return frame, mapping


def _label(frame, name, log, mapping, rows, *, required=True):
    """A label column without blanks."""
    values = frame[name]
    if required:
        blank = values.isna().to_numpy()
        if blank.any():
            raise lp.rows_error(_shown(name, mapping), f"must name the {name} in every row of {log}; got blanks",
                               blank, rows)
    return values


class _Mapped(str):
    """A canonical column name that shows the source column it was mapped from in error messages."""

    source = ""

    def __repr__(self):
        return f"'{self}' (mapped from {self.source!r})"


def _shown(name, mapping):
    """The column's canonical name, with the source name when it was mapped."""
    if name not in mapping or mapping[name] == name:
        return name
    out = _Mapped(name)
    out.source = mapping[name]
    return out


def _times(frame, names, log, mapping, rows, required=()):
    out = {}
    for name in names:
        if name in frame.columns:
            out[name] = lp.parse_times(frame[name], _shown(name, mapping), rows, required=name in required)
            frame[name] = out[name]
    if out:
        lp.check_same_zone(out, log)
    return out


def _interval_rows(frame, log, mapping, rows):
    """Check start/end spells: end not before start."""
    lp.check_not_before(frame["end"], frame["start"], _shown("end", mapping), "start", rows,
                       hint=f"Each {log} row runs from start to end (end exclusive).")


# --------------------------------------------------------------------------
# Contacts.
# --------------------------------------------------------------------------


def read_contacts(source, columns=None, *, outcomes=None, na_values=None, skew=3.0, filters=None, dayfirst=None,
                  date_format=None, tz=None, channels=None, csat_scale=(1, 5), ces_scale=(1, 7), qa_scale=(0, 100),
                  sentiment_scale=(-1, 1)):
    """
    Read and check a contact log (calls, chats, e-mails, tickets).

    Parameters
    ----------
    source : DataFrame or path
        One row per contact; a CSV or Parquet file, or a DataFrame (not
        changed).
    columns : dict, optional
        Canonical name -> name in ``source``, for the columns whose names
        differ (see the module docstring for the canonical schema).
    outcomes : dict, optional
        Outcome code -> ``"answered"``, ``"abandoned"`` or ``"other"``, for
        a log whose ``outcome`` column carries the ACD's codes, e.g.
        ``{"AGENT": "answered", "HANG": "abandoned", "PHANTOM": "other"}``.
        "other" rows are left out and counted in the notes; a code not in
        the mapping is an error naming the rows.
    na_values : dict, optional
        Column -> placeholder value(s) meaning "missing" in that column, e.g.
        ``{"answer": "0:00:00", "agent": "NO_SERVER", "customer": 0}``.
        Matched as text, before anything is parsed; counted in the notes.
    skew : float
        Clock-skew tolerance: an answer, abandon or end time at most this
        far before the arrival (or an end before the answer) is taken as
        equal to it, and the rows touched are counted in the notes; further
        is an error. [s]
    filters : dict, optional
        Column -> value or list of values to keep, e.g. ``{"queue": "PS",
        "type": ["PS", "PE"]}``; the other rows are left out and counted.
    dayfirst : bool, optional
        Read numeric dates day-first (``01/10/2003`` is 1 October) or
        month-first; needed when a date reads both ways (never guessed).
    date_format : str, optional
        strptime format of the date or timestamp columns.
    tz : str, optional
        Time zone of naive times (localised), or to convert times with an
        offset to.
    channels : dict, optional
        Channel name -> ``"live"`` or ``"deferred"``, added to
        :data:`CHANNELS` (voice and chat live, email and ticket deferred).
    csat_scale, ces_scale, qa_scale, sentiment_scale : (low, high)
        Scales of the scores; a score outside its scale is an error. NPS is
        always 0-10.

    Returns
    -------
    DataFrame
        The canonical columns present in ``source`` and the extra columns as
        they were, plus ``channel`` (lower case, ``"voice"`` when absent),
        ``answered``, ``abandoned``, ``wait`` [s] (NaN when neither answered
        nor abandoned) and ``handle`` [s] (when it can be derived; 0 unless
        answered). Times are timestamps (ns), flags booleans, scores floats.
        Time-of-day columns are put on the ``date`` of their row; an answer,
        abandon or end time of day earlier than the arrival's rolls over to
        the next day (a call at 23:59:50 answered at 00:00:05). Rows left
        out and values adjusted are listed in ``.attrs["notes"]`` (source,
        rows, problem, action) and in a :class:`DataWarning`.

    Raises
    ------
    ValueError, TypeError
        Naming the column and the rows: a missing ``arrival``, text where
        times or numbers belong, negative durations, times that end before
        they start (``answer``, ``abandon``, ``end``, ``first_response`` or
        ``resolved`` before ``arrival``; ``end`` before ``answer``), a contact
        both answered and abandoned, an answered contact without a handle
        time, an unknown channel, a score outside its scale.

    Examples
    --------
    An ACD export with its own column names:

    >>> raw = pd.DataFrame({"CallStart": ["2024-01-01 09:00:00", "2024-01-01 09:00:30"],
    ...                     "Answered": ["2024-01-01 09:00:12", None],
    ...                     "Talk": [200, None], "ACW": [40, None]})
    >>> log = read_contacts(raw, columns={"arrival": "CallStart", "answer": "Answered", "talk": "Talk",
    ...                                   "acw": "ACW"})
    >>> log[["arrival", "answered", "abandoned", "wait", "handle"]]
                  arrival  answered  abandoned  wait  handle
    0 2024-01-01 09:00:00      True      False  12.0   240.0
    1 2024-01-01 09:00:30     False       True   NaN     0.0

    A log with a date column, times of day, outcome codes and placeholders:
    the second call crosses midnight, the third is a phantom.

    >>> raw = pd.DataFrame({"date": ["01/10/2003"] * 3, "q_start": ["23:10:00", "23:59:50", "23:59:58"],
    ...                     "ser_start": ["23:10:20", "0:00:05", "0:00:00"], "ser_time": [180, 240, 0],
    ...                     "outcome": ["AGENT", "AGENT", "PHANTOM"]})
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     log = read_contacts(raw, {"arrival": "q_start", "answer": "ser_start", "handle": "ser_time"},
    ...                         outcomes={"AGENT": "answered", "HANG": "abandoned", "PHANTOM": "other"},
    ...                         na_values={"answer": "0:00:00"}, dayfirst=True)
    >>> log[["arrival", "answer", "wait"]]
                  arrival              answer  wait
    0 2003-10-01 23:10:00 2003-10-01 23:10:20  20.0
    1 2003-10-01 23:59:50 2003-10-02 00:00:05  15.0
    >>> for note in log.attrs["notes"].itertuples():
    ...     print(note.rows, note.problem, "->", note.action)
    1 held the placeholder '0:00:00' in 'answer' -> taken as missing
    1 had outcome codes mapped to 'other' (PHANTOM) -> left out
    1 crossed midnight ('answer' is a time of day earlier than the arrival on the same date) -> taken on the next day
    """
    kinds = _channels(channels)
    scales = {"csat": (lp.check_scale(csat_scale, "csat_scale"), "csat_scale"), "nps": ((0.0, 10.0), None),
              "ces": (lp.check_scale(ces_scale, "ces_scale"), "ces_scale"),
              "qa": (lp.check_scale(qa_scale, "qa_scale"), "qa_scale"),
              "sentiment": (lp.check_scale(sentiment_scale, "sentiment_scale"), "sentiment_scale")}
    frame, mapping, rows = _load(source, "contacts", columns, CONTACT_COLUMNS, with_rows=True)
    lp.check_log_columns(frame, "contacts", ["arrival"], mapping)
    notes = []
    frame, rows = _filter_rows(frame, rows, filters, notes)
    frame = _placeholders(frame, na_values, mapping, notes)
    frame, rows = _outcomes(frame, rows, outcomes, mapping, notes)
    n = len(frame)
    skew = float(v.check_nonnegative(v.as_float_array(skew, "skew"), "skew", "seconds"))
    times = _contact_times(frame, mapping, rows, dayfirst, date_format, tz, skew, notes)
    for name, kind in CONTACT_COLUMNS.items():
        if name not in frame.columns:
            continue
        shown = _shown(name, mapping)
        if kind == _SECONDS:
            frame[name] = lp.parse_seconds(frame[name], shown, rows)
        elif kind == _FLAG:
            frame[name] = lp.parse_flags(frame[name], shown, rows)
        elif kind == _SCORE:
            scale, option = scales[name]
            frame[name] = lp.parse_scores(frame[name], shown, rows, scale, option=option)
        elif kind == _COUNT:
            counts = lp.parse_seconds(frame[name], shown, rows, unit="responses")
            counts = np.nan_to_num(counts, nan=0.0)
            bad = counts != np.floor(counts)
            if bad.any():
                raise lp.rows_error(shown, "must hold whole numbers of responses", bad, rows, values=counts)
            frame[name] = counts

    # channel
    if "channel" in frame.columns:
        raw = frame["channel"]
        v.check_rows(raw.isna().to_numpy(), _shown("channel", mapping), "name a channel in every row",
                     hint="Fill the blanks, e.g. with 'voice'.")
        channel = raw.astype(str).str.strip().str.lower()
        lp.check_known_labels(channel, _shown("channel", mapping), list(kinds), rows,
                             hint="Add other channels with channels={'sms': 'deferred'} ('live' or 'deferred').")
        frame["channel"] = channel.to_numpy(dtype=object)
    else:
        frame["channel"] = "voice"
    live = frame["channel"].map(kinds).to_numpy() == "live"

    # time order
    arrival = times["arrival"]
    skew_hint = (f"Times up to {skew:g} s early are taken as clock skew; if the systems' clocks differ by more, "
                 f"pass {lp.option('skew', 10)}.")
    for name in ("answer", "abandon", "end", "first_response", "resolved"):
        if name in times:
            lp.check_not_before(times[name], arrival, _shown(name, mapping), "arrival", rows,
                               hint="A contact cannot be answered, end or get a response before it arrives. "
                                    + skew_hint)
    if "end" in times and "answer" in times:
        lp.check_not_before(times["end"], times["answer"], _shown("end", mapping), "answer", rows, hint=skew_hint)

    answered = _answered(frame, times, live, mapping, rows)
    abandoned = _abandoned(frame, times, live, answered, mapping, rows)
    frame["answered"] = answered
    frame["abandoned"] = abandoned
    frame["wait"] = _wait(frame, times, answered, abandoned)
    handle = _handle(frame, times, answered, mapping, rows)
    if handle is not None:
        frame["handle"] = handle
    if "contact" not in frame.columns:
        frame.insert(0, "contact", np.arange(n))
    frame = frame.reset_index(drop=True)
    frame.attrs["notes"] = lp.notes_frame(notes)
    if notes:
        warnings.warn(lp.data_note_text(frame.attrs["notes"]), lp.DataWarning, stacklevel=2)
    return frame


def _text_of(values):
    """Values as stripped text, for matching codes, placeholders and filters (1.0 reads as '1')."""
    def one(x):
        if isinstance(x, (float, np.floating)) and np.isfinite(x) and float(x).is_integer():
            return str(int(x))
        return str(x).strip()
    codes, uniques = pd.factorize(pd.Series(values, dtype=object))
    text = np.array([one(u) for u in uniques], dtype=object)
    out = text[np.maximum(codes, 0)] if len(text) else np.full(len(codes), None, dtype=object)
    return np.where(codes < 0, None, out)


def _as_list(value):
    return list(value) if isinstance(value, (list, tuple, set, np.ndarray, pd.Index)) else [value]


def _filter_rows(frame, rows, filters, notes):
    """Keep the rows whose columns match ``filters`` (column -> value or values)."""
    if not filters:
        return frame, rows
    if not isinstance(filters, dict):
        raise TypeError(f"filters must be a dict of column -> value(s) to keep, e.g. "
                        f"{lp.option('filters', {'queue': ['PS']})}; got {type(filters).__name__}.")
    keep = np.ones(len(frame), dtype=bool)
    for column, wanted in filters.items():
        if column not in frame.columns:
            raise ValueError(f"{lp.option('filters', {column: wanted})} names column {column!r}, which contacts "
                             f"does not have; its columns are {list(frame.columns)[:12]}."
                             f"{v._suggest(column, frame.columns)}")
        text = _text_of(frame[column].to_numpy())
        keep &= np.isin(text, [_text_of([w])[0] for w in _as_list(wanted)])
    dropped = int((~keep).sum())
    if dropped:
        shown = {k: _as_list(w) for k, w in filters.items()}
        notes.append(("contacts", dropped, f"did not match the filters {shown}", "left out"))
    return frame[keep].reset_index(drop=True), rows[keep]


def _placeholders(frame, na_values, mapping, notes):
    """Replace each column's placeholder values ('0:00:00', 'NO_SERVER', 0) by missing."""
    if not na_values:
        return frame
    if not isinstance(na_values, dict):
        raise TypeError(f"na_values must be a dict of column -> placeholder value(s), e.g. "
                        f"{lp.option('na_values', {'answer': '0:00:00'})}; got {type(na_values).__name__}.")
    reverse = {src: key for key, src in mapping.items()}
    for column, values in na_values.items():
        name = column if column in frame.columns else reverse.get(column, column)
        if name not in frame.columns:
            raise ValueError(f"{lp.option('na_values', {column: values})} names column {column!r}, which contacts "
                             f"does not have; its columns are {list(frame.columns)[:12]}.")
        text = _text_of(frame[name].to_numpy())
        placeholders = [_text_of([x])[0] for x in _as_list(values)]
        hit = np.isin(text, placeholders)
        if hit.any():
            frame[name] = frame[name].astype(object).where(~hit, None)
            shown = placeholders[0] if len(placeholders) == 1 else placeholders
            notes.append(("contacts", int(hit.sum()), f"held the placeholder {shown!r} in {name!r}",
                          "taken as missing"))
    return frame


def _outcomes(frame, rows, outcomes, mapping, notes):
    """Outcome codes -> answered / abandoned flags; 'other' rows are left out."""
    if outcomes is None:
        if "outcome" in frame.columns:
            codes = sorted(pd.unique(_text_of(frame["outcome"].dropna().to_numpy())))[:6]
            raise ValueError(f"contacts has an outcome column ({_shown('outcome', mapping)!r}) with codes "
                             f"{codes}; say what each means with "
                             f"{lp.option('outcomes', {str(c): 'answered' for c in codes[:2]})} "
                             "(answered, abandoned or other).")
        return frame, rows
    if not isinstance(outcomes, dict) or not outcomes:
        raise TypeError(f"outcomes must map the outcome codes to answered, abandoned or other, e.g. "
                        f"{lp.option('outcomes', {'AGENT': 'answered', 'HANG': 'abandoned'})}; got {outcomes!r}.")
    for code, meaning in outcomes.items():
        if meaning not in OUTCOMES:
            raise ValueError(f"outcomes[{code!r}] must be one of {list(OUTCOMES)}; got {meaning!r}."
                             f"{v._suggest(meaning, OUTCOMES)}")
    if "outcome" not in frame.columns:
        raise ValueError(f"outcomes needs the outcome column; map it with "
                         f"{lp.option('columns', {'outcome': 'YourColumn'})}. Its columns are "
                         f"{list(frame.columns)[:12]}.")
    for flag in ("answered", "abandoned"):
        if flag in frame.columns:
            raise ValueError(f"contacts has both an outcome column (mapped through outcomes) and an {flag!r} "
                             "column; give one of them.")
    table = {_text_of([k])[0]: m for k, m in outcomes.items()}
    code = _text_of(frame["outcome"].to_numpy())
    meaning = pd.Series(code, dtype=object).map(table).to_numpy(dtype=object)
    unknown = pd.isna(meaning)
    if unknown.any():
        new = sorted({str(c) for c in code[unknown]})[:6]
        raise lp.rows_error(_shown("outcome", mapping), "has outcome codes outside the outcomes mapping", unknown,
                            rows, values=code,
                            hint=f"Codes without a meaning: {new}. Give each one answered, abandoned or other: "
                                 f"{lp.option('outcomes', {**outcomes, **{c: '?' for c in new}})}.")
    other = meaning == "other"
    if other.any():
        which = sorted({str(c) for c in code[other]})
        notes.append(("contacts", int(other.sum()), f"had outcome codes mapped to 'other' ({', '.join(which)})",
                      "left out"))
    keep = ~other
    frame = frame[keep].reset_index(drop=True)
    frame["answered"] = meaning[keep] == "answered"
    frame["abandoned"] = meaning[keep] == "abandoned"
    return frame, rows[keep]


_ROLL = ("answer", "abandon", "end")
_AFTER_ARRIVAL = ("answer", "abandon", "end", "first_response", "resolved")


def _contact_times(frame, mapping, rows, dayfirst, date_format, tz, skew, notes):
    """Parse the time columns (pairing times of day with the date), roll over midnight, absorb clock skew."""
    names = [k for k, t in CONTACT_COLUMNS.items() if t == _TIME and k in frame.columns]
    dates = None
    paired = []
    out = {}
    for name in names:
        shown = _shown(name, mapping)
        if lp.looks_like_clock(frame[name]):
            if dates is None:
                if "date" not in frame.columns:
                    raise ValueError(f"column {shown!r} holds times of day ({frame[name].dropna().iloc[0]!r}) and "
                                     f"contacts has no date column to put them on; map it with "
                                     f"{lp.option('columns', {'date': 'YourDateColumn'})}. Times of day are never "
                                     "put on today's date.")
                dates = lp.parse_datetimes(frame["date"], _shown("date", mapping), rows, dayfirst=dayfirst,
                                           date_format=date_format, required=True, what="dates")
                clock = dates != dates.dt.normalize()
                if clock.any():
                    raise lp.rows_error(_shown("date", mapping), "must hold dates only; got a time of day",
                                        clock.to_numpy(), rows, values=dates.array)
            seconds = lp.parse_clock_seconds(frame[name], shown, rows)
            out[name] = dates + pd.to_timedelta(seconds, unit="s")
            paired.append(name)
        else:
            out[name] = lp.parse_datetimes(frame[name], shown, rows, dayfirst=dayfirst, date_format=date_format,
                                           required=False, what="timestamps", kind=TypeError)
        out[name] = lp.localize(out[name], tz, shown, rows).reset_index(drop=True)
    if "arrival" not in out:
        raise ValueError("contacts needs an arrival time.")
    blank = out["arrival"].isna().to_numpy()
    if blank.any():
        raise lp.rows_error(_shown("arrival", mapping), "must hold a timestamp in every row; got none", blank, rows,
                            hint=f"Drop or filter those rows first ({lp.option('filters', {'queue': ['...']})}), "
                                 f"or map their outcome to 'other'.")
    lp.check_same_zone(out, "contacts")
    arrival = out["arrival"]
    tol = pd.Timedelta(seconds=skew)
    day = pd.Timedelta(days=1)
    if "arrival" in paired:
        rolled = np.zeros(len(arrival), dtype=bool)
        for name in _ROLL:
            if name in paired:
                early = (out[name] < arrival - tol).to_numpy(dtype=bool, na_value=False)
                if early.any():
                    out[name] = out[name].where(~early, out[name] + day)
                    rolled |= early
                    notes.append(("contacts", int(early.sum()), f"crossed midnight ({name!r} is a time of day "
                                  "earlier than the arrival on the same date)", "taken on the next day"))
    touched = np.zeros(len(arrival), dtype=bool)
    for name in _AFTER_ARRIVAL:
        if name in out:
            early = ((out[name] < arrival) & (out[name] >= arrival - tol)).to_numpy(dtype=bool, na_value=False)
            if early.any():
                out[name] = out[name].where(~early, arrival)
                touched |= early
    if "end" in out and "answer" in out:
        early = ((out["end"] < out["answer"]) & (out["end"] >= out["answer"] - tol)).to_numpy(dtype=bool,
                                                                                           na_value=False)
        if early.any():
            out["end"] = out["end"].where(~early, out["answer"])
            touched |= early
    if touched.any():
        notes.append(("contacts", int(touched.sum()), f"had a time up to {skew:g} s before the one it follows "
                      "(clock skew between systems)", "moved to the time it follows"))
    for name, values in out.items():
        frame[name] = values.to_numpy() if values.dt.tz is None else values.array
    if "date" in frame.columns and paired:
        frame = frame.drop(columns="date")
    return out


def _channels(channels):
    kinds = dict(CHANNELS)
    if channels is not None:
        if not isinstance(channels, dict):
            raise TypeError(f"channels must be a dict of channel -> 'live' or 'deferred'; got "
                            f"{type(channels).__name__}.")
        for key, kind in channels.items():
            v.check_choice(kind, f"channels[{key!r}]", ("live", "deferred"))
        kinds.update({str(k).strip().lower(): kind for k, kind in channels.items()})
    return kinds


def _answered(frame, times, live, mapping, rows):
    deferred = ~live
    flag = frame["answered"].to_numpy(dtype=bool) if "answered" in frame.columns else None
    if "answer" in times:
        answered = times["answer"].notna().to_numpy()
        if flag is not None:
            bad = flag & ~answered & live
            if bad.any():
                raise lp.rows_error(_shown("answered", mapping), "is True but 'answer' is empty", bad, rows,
                                   hint="Give an answer time for every answered contact, or drop one of the "
                                        "columns.")
            answered = answered | (flag & deferred)
    elif flag is not None:
        answered = flag.copy()
    elif "abandoned" in frame.columns or "abandon" in times:
        gone = frame["abandoned"].to_numpy(dtype=bool) if "abandoned" in frame.columns else \
            times["abandon"].notna().to_numpy()
        answered = ~gone & live
    elif not live.any():  # tickets only: answered means a first response (below)
        answered = np.zeros(len(frame), dtype=bool)
    else:
        raise ValueError("contacts needs 'answer' (a time), 'answered' or 'abandoned' (flags) to tell answered "
                         f"contacts from the others; its columns are {list(frame.columns)[:12]}. Map yours with "
                         "columns={'answer': 'AnswerTime'}.")
    if "first_response" in times:
        answered = answered | (times["first_response"].notna().to_numpy() & deferred)
    return answered


def _abandoned(frame, times, live, answered, mapping, rows):
    if "abandoned" in frame.columns:
        abandoned = frame["abandoned"].to_numpy(dtype=bool)
    elif "abandon" in times:
        abandoned = times["abandon"].notna().to_numpy()
    else:
        abandoned = live & ~answered
    both = abandoned & answered
    if both.any():
        raise lp.rows_error(_shown("abandoned", mapping) if "abandoned" in frame.columns else "abandon",
                           "marks contacts that were also answered", both, rows,
                           hint="A contact is answered or abandoned, not both.")
    return abandoned & live


def _wait(frame, times, answered, abandoned):
    arrival = times["arrival"]
    derived = np.full(len(frame), np.nan)
    if "answer" in times:
        derived = np.where(answered, (times["answer"] - arrival).dt.total_seconds().to_numpy(), derived)
    gone = None
    if "abandon" in times:
        gone = (times["abandon"] - arrival).dt.total_seconds().to_numpy()
    elif "end" in times:
        gone = (times["end"] - arrival).dt.total_seconds().to_numpy()
    if gone is not None:
        derived = np.where(abandoned, gone, derived)
    if "wait" in frame.columns:
        given = frame["wait"].to_numpy(dtype=float)
        return np.where(np.isnan(given), derived, given)
    return derived


def _handle(frame, times, answered, mapping, rows):
    if "talk" in frame.columns:
        parts = [frame[k].to_numpy(dtype=float) for k in ("talk", "hold", "acw") if k in frame.columns]
        blank = np.isnan(parts[0]) & answered
        if blank.any():
            raise lp.rows_error(_shown("talk", mapping), "is empty for answered contacts", blank, rows,
                               hint="AHT would leave them out; fill the talk time or mark them unanswered.")
        total = np.sum([np.nan_to_num(p) for p in parts], axis=0)
    elif "handle" in frame.columns:
        total = frame["handle"].to_numpy(dtype=float)
        blank = np.isnan(total) & answered
        if blank.any():
            raise lp.rows_error(_shown("handle", mapping), "is empty for answered contacts", blank, rows)
        total = np.nan_to_num(total)
    elif "answer" in times and "end" in times:
        total = (times["end"] - times["answer"]).dt.total_seconds().to_numpy()
        blank = np.isnan(total) & answered
        if blank.any():
            raise lp.rows_error(_shown("end", mapping), "is empty for answered contacts (handle = end - answer)",
                               blank, rows)
        total = np.nan_to_num(total)
    else:
        return None
    return np.where(answered, total, 0.0)


def read_responses(source, contacts, columns=None):
    """
    Read ticket responses: one row per agent response to a contact of ``contacts``.

    Parameters
    ----------
    source : DataFrame or path
        Columns ``contact`` and ``time``.
    contacts : DataFrame
        The contact log (as read by :func:`read_contacts`) the responses
        belong to.
    columns : dict, optional
        Canonical name -> name in ``source``.

    Returns
    -------
    DataFrame
        ``contact``, ``time``, sorted by contact and time.

    Raises
    ------
    ValueError
        For a contact id not in ``contacts`` or a response before the
        contact's arrival, naming the rows.

    Examples
    --------
    >>> log = pd.DataFrame({"contact": ["T1"], "channel": ["email"], "arrival": [pd.Timestamp("2024-01-01 09:00")],
    ...                     "answered": [True]})
    >>> read_responses(pd.DataFrame({"contact": ["T1"], "time": ["2024-01-01 10:00"]}), read_contacts(log))
      contact                time
    0      T1 2024-01-01 10:00:00
    """
    frame, mapping = _load(source, "responses", columns, RESPONSE_COLUMNS)
    lp.check_log_columns(frame, "responses", ["contact", "time"], mapping)
    rows = np.arange(len(frame))
    frame = frame[["contact", "time"]].copy()
    _label(frame, "contact", "responses", mapping, rows)
    times = _times(frame, ["time"], "responses", mapping, rows, required=("time",))
    ids = pd.Index(contacts["contact"])
    lp.check_unique_rows(contacts["contact"], "contacts['contact']", np.arange(len(contacts)),
                        what="each contact", hint="Responses are matched to contacts by their id.")
    pos = ids.get_indexer(frame["contact"])
    v.check_rows(pos < 0, _shown("contact", mapping), "name a contact of the contact log",
                 labels=frame["contact"].tolist(), hint="Every response belongs to a contact in contacts.")
    arrival = contacts["arrival"].to_numpy()[pos]
    if (times["time"].dt.tz is None) != (contacts["arrival"].dt.tz is None):
        raise ValueError("responses['time'] and contacts['arrival'] must both be naive or both in a time zone.")
    lp.check_not_before(times["time"], pd.Series(arrival), _shown("time", mapping), "the contact's arrival", rows)
    return frame.sort_values(["contact", "time"], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------
# Agent states, schedules, roster.
# --------------------------------------------------------------------------


def activity_map(activities, allowed, name):
    """Normalised label -> activity: the defaults plus ``activities`` (whose values must be in ``allowed``)."""
    table = {k: val for k, val in DEFAULT_ACTIVITIES.items()}
    if activities is not None:
        if not isinstance(activities, dict):
            raise TypeError(f"activities must be a dict of state or schedule label -> activity, e.g. "
                            f"{{'Ready': 'available'}}; got {type(activities).__name__}.")
        vocabulary = set(STATE_ACTIVITIES) | set(SCHEDULE_ACTIVITIES)
        for key, value in activities.items():
            if value not in vocabulary:
                raise ValueError(f"activities[{key!r}] must be one of {sorted(vocabulary)}; got {value!r}."
                                 f"{v._suggest(value, vocabulary)}")
            table[_norm(key)] = value
    return table


def _map_labels(labels, table, allowed, column, rows, context):
    """Labels -> activity via ``table``; labels whose activity is not in ``allowed`` name the rows."""
    norm = labels.map(_norm)
    mapped = norm.map(table)
    if context == "schedule":
        mapped = mapped.replace({"handling": "work", "available": "work"})
    ok = mapped.isin(list(allowed)).to_numpy()
    if not ok.all():
        unknown = sorted(pd.unique(labels[~ok].astype(str)))[:5]
        raise lp.rows_error(column, f"has {context} labels with no {context} activity", ~ok, rows,
                           values=labels.to_numpy(),
                           hint=f"Map them with activities={{{unknown[0]!r}: ...}}; the {context} activities are "
                                f"{list(allowed)}.")
    return mapped.to_numpy(dtype=object)


def read_states(source, columns=None, *, activities=None):
    """
    Read and check an agent-state log and map each state to an activity.

    Parameters
    ----------
    source : DataFrame or path
        One row per spell: ``agent``, ``state``, ``start``, ``end``.
    columns : dict, optional
        Canonical name -> name in ``source``.
    activities : dict, optional
        State label -> activity (one of :data:`STATE_ACTIVITIES`), added to
        :data:`DEFAULT_ACTIVITIES`.

    Returns
    -------
    DataFrame
        ``agent``, ``state``, ``activity``, ``start``, ``end`` and the extra
        columns, in the order given. Overlapping or unsorted spells are kept
        here; :func:`wfm.adherence` and :func:`wfm.kpis` resolve and report
        them.

    Raises
    ------
    ValueError
        For a spell that ends before it starts, a blank agent or time, or a
        state with no activity, naming the rows.

    Examples
    --------
    >>> raw = pd.DataFrame({"Agent": ["ann"], "Code": ["Ready"], "From": ["2024-01-01 09:00"],
    ...                     "To": ["2024-01-01 09:30"]})
    >>> read_states(raw, columns={"agent": "Agent", "state": "Code", "start": "From", "end": "To"},
    ...             activities={"Ready": "available"})
      agent  state   activity               start                 end
    0   ann  Ready  available 2024-01-01 09:00:00 2024-01-01 09:30:00
    """
    frame, mapping = _load(source, "states", columns, STATE_COLUMNS)
    lp.check_log_columns(frame, "states", list(STATE_COLUMNS), mapping)
    rows = np.arange(len(frame))
    frame = frame.copy()
    _label(frame, "agent", "states", mapping, rows)
    _label(frame, "state", "states", mapping, rows)
    _times(frame, ["start", "end"], "states", mapping, rows, required=("start", "end"))
    _interval_rows(frame, "states", mapping, rows)
    table = activity_map(activities, STATE_ACTIVITIES, "activities")
    activity = _map_labels(frame["state"], table, STATE_ACTIVITIES, _shown("state", mapping), rows, "state")
    frame.insert(list(frame.columns).index("state") + 1, "activity", activity)
    front = ["agent", "state", "activity", "start", "end"]
    return frame[front + [c for c in frame.columns if c not in front]]


def read_schedule(source, columns=None, *, activities=None, roster=None, by=None):
    """
    Read and check a schedule: what each agent was planned to do, when.

    Parameters
    ----------
    source : DataFrame or path
        One row per scheduled activity: ``agent``, ``activity``, ``start``,
        ``end``. Rows of one agent must not overlap; a shift with a break is
        three rows (work, break, work).
    columns : dict, optional
        Canonical name -> name in ``source``.
    activities : dict, optional
        Schedule label -> activity (one of :data:`SCHEDULE_ACTIVITIES`),
        added to :data:`DEFAULT_ACTIVITIES`.
    roster : DataFrame, optional
        When given (see :func:`read_roster`), every scheduled agent must be
        on it.
    by : list of str, optional
        Further columns that tell agents apart (e.g. ``replication``): rows
        overlap only when they share the agent and these columns.

    Returns
    -------
    DataFrame
        ``agent``, ``activity`` (one of :data:`SCHEDULE_ACTIVITIES`),
        ``label`` (the label given), ``start``, ``end`` and the extra
        columns.

    Raises
    ------
    ValueError
        For rows that end before (or when) they start, overlap another row of
        the same agent, carry an unknown activity, or name an agent missing
        from ``roster``, naming the rows.

    Examples
    --------
    >>> raw = pd.DataFrame({"agent": ["ann"] * 3, "activity": ["Phone", "Break", "Phone"],
    ...                     "start": pd.to_datetime(["2024-01-01 09:00", "2024-01-01 11:00", "2024-01-01 11:15"]),
    ...                     "end": pd.to_datetime(["2024-01-01 11:00", "2024-01-01 11:15", "2024-01-01 13:00"])})
    >>> read_schedule(raw)[["agent", "activity", "label", "start"]]
      agent activity  label               start
    0   ann     work  Phone 2024-01-01 09:00:00
    1   ann    break  Break 2024-01-01 11:00:00
    2   ann     work  Phone 2024-01-01 11:15:00
    """
    frame, mapping = _load(source, "schedule", columns, SCHEDULE_COLUMNS)
    lp.check_log_columns(frame, "schedule", list(SCHEDULE_COLUMNS), mapping)
    rows = np.arange(len(frame))
    frame = frame.copy()
    _label(frame, "agent", "schedule", mapping, rows)
    _label(frame, "activity", "schedule", mapping, rows)
    _times(frame, ["start", "end"], "schedule", mapping, rows, required=("start", "end"))
    bad = (frame["end"] <= frame["start"]).to_numpy()
    if bad.any():
        raise lp.rows_error(_shown("end", mapping), "must be after 'start' (rows are [start, end))", bad, rows,
                           values=frame["end"].array)
    table = activity_map(activities, SCHEDULE_ACTIVITIES, "activities")
    activity = _map_labels(frame["activity"], table, SCHEDULE_ACTIVITIES, _shown("activity", mapping), rows,
                           "schedule")
    frame.insert(list(frame.columns).index("activity") + 1, "label", frame["activity"])
    frame["activity"] = activity
    keys = ["agent"] + [b for b in (by or []) if b != "agent" and b in frame.columns]
    if len(keys) == 1:
        codes = pd.factorize(frame["agent"])[0]
    else:
        codes = pd.factorize(pd.MultiIndex.from_frame(frame[keys]))[0]
    start, end = to_ns(frame["start"]), to_ns(frame["end"])
    order = np.lexsort((start, codes))
    prev_end = running_prev_max(codes[order], end[order])
    overlap = np.zeros(len(frame), dtype=bool)
    overlap[order] = start[order] < prev_end
    if overlap.any():
        raise lp.rows_error(_shown("start", mapping), "overlaps an earlier row of the same agent", overlap, rows,
                           values=frame["start"].array,
                           hint="Give one row per activity with no overlap (work, break, work), not a shift row "
                                "with activities on top.")
    if roster is not None:
        known = pd.Index(roster["agent"])
        unknown = known.get_indexer(frame["agent"]) < 0
        if unknown.any():
            raise lp.rows_error(_shown("agent", mapping), "names agents who are not on the roster", unknown, rows,
                               values=frame["agent"].to_numpy(), hint="Add them to the roster or fix the ids.")
    front = ["agent", "activity", "label", "start", "end"]
    return frame[front + [c for c in frame.columns if c not in front]]


def to_ns(times):
    """Timestamps -> int64 nanoseconds since the epoch (UTC for times in a zone; NaT -> the minimum int64)."""
    return pd.DatetimeIndex(times).as_unit("ns").asi8


def running_prev_max(group, values):
    """Per row (rows sorted by group): the maximum of ``values`` over the earlier rows of its group, or min int."""
    group = np.asarray(group)
    cm = pd.Series(np.asarray(values, dtype=np.int64)).groupby(group).cummax().to_numpy(dtype=np.int64)
    first = np.r_[True, group[1:] != group[:-1]] if group.size else np.zeros(0, dtype=bool)
    return np.where(first, np.iinfo(np.int64).min, np.r_[np.iinfo(np.int64).min, cm[:-1]])


def read_roster(source, columns=None):
    """
    Read and check a roster: one row per agent with team, hire and leave dates.

    Parameters
    ----------
    source : DataFrame or path
        ``agent`` and ``team``; ``hire`` and ``leave`` optional (blank
        ``leave`` while employed; ``leave`` is the first day no longer
        employed).
    columns : dict, optional
        Canonical name -> name in ``source``.

    Returns
    -------
    DataFrame
        ``agent``, ``team``, ``hire``, ``leave`` (NaT where blank or absent)
        and the extra columns.

    Raises
    ------
    ValueError
        For an agent listed twice, a blank team, or a leave date before the
        hire date, naming the rows.

    Examples
    --------
    >>> read_roster(pd.DataFrame({"agent": ["ann", "bob"], "team": ["A", "A"], "hire": ["2023-01-01", "2023-06-01"],
    ...                           "leave": [None, "2024-01-15"]}))
      agent team       hire      leave
    0   ann    A 2023-01-01        NaT
    1   bob    A 2023-06-01 2024-01-15
    """
    frame, mapping = _load(source, "roster", columns, ROSTER_COLUMNS)
    lp.check_log_columns(frame, "roster", ["agent", "team"], mapping)
    rows = np.arange(len(frame))
    frame = frame.copy()
    _label(frame, "agent", "roster", mapping, rows)
    _label(frame, "team", "roster", mapping, rows)
    lp.check_unique_rows(frame["agent"], _shown("agent", mapping), rows, what="each agent",
                        hint="The roster holds one row per agent.")
    for name in ("hire", "leave"):
        if name not in frame.columns:
            frame[name] = pd.NaT
    _times(frame, ["hire", "leave"], "roster", mapping, rows)
    lp.check_not_before(frame["leave"], frame["hire"], _shown("leave", mapping), "hire", rows)
    front = ["agent", "team", "hire", "leave"]
    return frame[front + [c for c in frame.columns if c not in front]]
