r"""
Reading the logs KPIs are computed from: contacts (and tickets), ticket
responses, agent states, schedules and the staff list (agents and their teams).

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
    "read_responses",
    "read_roster",
    "read_staff",
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
STAFF_COLUMNS = {"agent": _LABEL, "team": _LABEL, "hire": _TIME, "leave": _TIME}
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


def _times(frame, names, log, mapping, rows, required=(), dates=None):
    """
    Parse the time columns ``names`` in place. ``dates`` (``dayfirst``, ``date_format``, ``tz``, as
    :func:`read_contacts` takes them) reads them as the contact log's are; without it, numeric dates that read both
    ways and changing UTC offsets are errors whose hint needs no option.
    """
    out = {}
    for name in names:
        if name not in frame.columns:
            continue
        shown = _shown(name, mapping)
        if dates is None:
            out[name] = lp.parse_times(frame[name], shown, rows, required=name in required)
        else:
            parsed = lp.parse_datetimes(frame[name], shown, rows, dayfirst=dates["dayfirst"],
                                        date_format=dates["date_format"], required=name in required,
                                        what="timestamps", kind=TypeError, tz=dates["tz"])
            out[name] = lp.localize(parsed, dates["tz"], shown, rows).reset_index(drop=True)
        frame[name] = out[name]
    if out:
        lp.check_same_zone(out, log)
    return out


def _interval_rows(frame, log, mapping, rows):
    """Check start/end spells: end not before start."""
    lp.check_not_before(frame["end"], frame["start"], _shown("end", mapping), "start", rows,
                       hint=f"Each {log} row runs from start to end (end exclusive).")


# --------------------------------------------------------------------------
# Contacts: wfm.logs.contacts (read_contacts), built on the schema above.
# --------------------------------------------------------------------------


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
    >>> from wfm.logs import read_contacts
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
        zone = contacts["arrival"].dt.tz
        fix = (f"write the responses' times with their UTC offsets (e.g. '2024-03-04 10:00-05:00'), as the contact "
               f"log's are in {zone}" if zone is not None else
               "write the responses' times as local times without an offset, or read the contact log with "
               f"{v.option('tz', str(times['time'].dt.tz))}")
        raise ValueError(v.mixed_clocks("responses['time']", times["time"].dt.tz, "contacts['arrival']", zone, fix))
    lp.check_not_before(times["time"], pd.Series(arrival), _shown("time", mapping), "the contact's arrival", rows)
    return frame.sort_values(["contact", "time"], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------
# Agent states, schedules, the staff list.
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


def read_states(source, columns=None, *, activities=None, dayfirst=None, date_format=None, tz=None):
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
        :data:`DEFAULT_ACTIVITIES`. A log ``read_states`` has read already
        keeps its ``activity`` column (so :func:`wfm.kpis` and
        :func:`wfm.adherence` take it as it is).
    dayfirst : bool, optional
        Read numeric dates day-first (``02/01/2024`` is 2 January) or
        month-first; needed when a date reads both ways (never guessed), as
        in :func:`read_contacts`.
    date_format : str, optional
        strptime format of ``start`` and ``end``.
    tz : str, optional
        Time zone of naive times (localised), or to convert times with an
        offset to.

    Returns
    -------
    DataFrame
        ``agent``, ``state``, ``activity``, ``start``, ``end`` and the extra
        columns, in the order given. Overlapping or unsorted spells are kept
        here; :func:`wfm.adherence` and :func:`wfm.kpis` resolve and report
        them.

    Raises
    ------
    ValueError, TypeError
        For a spell that ends before it starts, a blank agent or time, text
        that is not a timestamp, dates that read both day-first and
        month-first without ``dayfirst`` or ``date_format``, or a state with
        no activity, naming the column and the rows (the lines of a file,
        the header being line 1).

    Examples
    --------
    >>> raw = pd.DataFrame({"Agent": ["ann"], "Code": ["Ready"], "From": ["2024-01-01 09:00"],
    ...                     "To": ["2024-01-01 09:30"]})
    >>> read_states(raw, columns={"agent": "Agent", "state": "Code", "start": "From", "end": "To"},
    ...             activities={"Ready": "available"})
      agent  state   activity               start                 end
    0   ann  Ready  available 2024-01-01 09:00:00 2024-01-01 09:30:00
    """
    frame, mapping, rows = _load(source, "states", columns, STATE_COLUMNS, with_rows=True)
    lp.check_log_columns(frame, "states", list(STATE_COLUMNS), mapping)
    _label(frame, "agent", "states", mapping, rows)
    _label(frame, "state", "states", mapping, rows)
    _times(frame, ["start", "end"], "states", mapping, rows, required=("start", "end"),
           dates=dict(dayfirst=dayfirst, date_format=date_format, tz=tz))
    _interval_rows(frame, "states", mapping, rows)
    if "activity" in frame.columns:  # read by read_states before: its activities stand
        given = frame.pop("activity")
        known = given.isin(list(STATE_ACTIVITIES)).to_numpy()
        if not known.all():
            raise lp.rows_error("activity", f"must hold state activities {list(STATE_ACTIVITIES)} (read_states "
                                "writes this column)", ~known, rows, values=given.to_numpy(),
                                hint="Rename a column of your own called 'activity' before reading the log.")
        activity = given.to_numpy(dtype=object)
    else:
        table = activity_map(activities, STATE_ACTIVITIES, "activities")
        activity = _map_labels(frame["state"], table, STATE_ACTIVITIES, _shown("state", mapping), rows, "state")
    frame.insert(list(frame.columns).index("state") + 1, "activity", activity)
    front = ["agent", "state", "activity", "start", "end"]
    return frame[front + [c for c in frame.columns if c not in front]]


def read_schedule(source, columns=None, *, activities=None, staff=None, by=None, roster=None, dayfirst=None,
                  date_format=None, tz=None):
    """
    Read and check a schedule: what each agent was planned to do, when.

    The same schedule :mod:`wfm.schedule` sizes, at the grain of one agent's
    activities (:func:`wfm.simulation.activity_log` turns a sized one into
    these rows); the agents named on it are a roster's (:mod:`wfm.roster`)
    or the centre's own export.

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
        added to :data:`DEFAULT_ACTIVITIES`. A schedule ``read_schedule``
        has read already (with its ``label`` column) keeps its activities.
    staff : DataFrame, optional
        When given (see :func:`read_staff`), every scheduled agent must be
        on it.
    by : list of str, optional
        Further columns that tell agents apart (e.g. ``replication``): rows
        overlap only when they share the agent and these columns.
    dayfirst, date_format, tz
        How ``start`` and ``end`` are read, as in :func:`read_states`.

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
        from ``staff``, and for dates that read both day-first and
        month-first without ``dayfirst`` or ``date_format``, naming the rows
        (the lines of a file, the header being line 1).

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
    frame, mapping, rows = _load(source, "schedule", columns, SCHEDULE_COLUMNS, with_rows=True)
    lp.check_log_columns(frame, "schedule", list(SCHEDULE_COLUMNS), mapping)
    _label(frame, "agent", "schedule", mapping, rows)
    _label(frame, "activity", "schedule", mapping, rows)
    _times(frame, ["start", "end"], "schedule", mapping, rows, required=("start", "end"),
           dates=dict(dayfirst=dayfirst, date_format=date_format, tz=tz))
    bad = (frame["end"] <= frame["start"]).to_numpy()
    if bad.any():
        raise lp.rows_error(_shown("end", mapping), "must be after 'start' (rows are [start, end))", bad, rows,
                           values=frame["end"].array)
    if "label" in frame.columns:  # read by read_schedule before: its activities stand
        known = frame["activity"].isin(list(SCHEDULE_ACTIVITIES)).to_numpy()
        if not known.all():
            raise lp.rows_error(_shown("activity", mapping), f"must hold schedule activities "
                                f"{list(SCHEDULE_ACTIVITIES)} beside a 'label' column (as read_schedule writes "
                                "them)", ~known, rows, values=frame["activity"].to_numpy(),
                                hint="Rename a column of your own called 'label' before reading the schedule.")
    else:
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
    staff = v.renamed(staff, roster, "staff", "roster", "read_schedule")
    if staff is not None:
        known = pd.Index(staff["agent"])
        unknown = known.get_indexer(frame["agent"]) < 0
        if unknown.any():
            raise lp.rows_error(_shown("agent", mapping), "names agents who are not on the staff list", unknown, rows,
                               values=frame["agent"].to_numpy(), hint="Add them to the staff list or fix the ids.")
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
    """Deprecated name of :func:`read_staff` (a roster is agents put on shifts: :mod:`wfm.roster`)."""
    import warnings

    warnings.warn("read_roster is deprecated: call read_staff (the staff list: agent, team, hire, leave); a roster "
                  "is agents put on shifts (wfm.roster).", DeprecationWarning, stacklevel=2)
    return read_staff(source, columns)


def read_staff(source, columns=None):
    """
    Read and check the staff list: one row per agent with team, hire and leave dates.

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
    >>> read_staff(pd.DataFrame({"agent": ["ann", "bob"], "team": ["A", "A"], "hire": ["2023-01-01", "2023-06-01"],
    ...                          "leave": [None, "2024-01-15"]}))
      agent team       hire      leave
    0   ann    A 2023-01-01        NaT
    1   bob    A 2023-06-01 2024-01-15
    """
    frame, mapping = _load(source, "staff list", columns, STAFF_COLUMNS)
    lp.check_log_columns(frame, "staff list", ["agent", "team"], mapping)
    rows = np.arange(len(frame))
    frame = frame.copy()
    _label(frame, "agent", "staff list", mapping, rows)
    _label(frame, "team", "staff list", mapping, rows)
    lp.check_unique_rows(frame["agent"], _shown("agent", mapping), rows, what="each agent",
                        hint="The staff list holds one row per agent.")
    for name in ("hire", "leave"):
        if name not in frame.columns:
            frame[name] = pd.NaT
    _times(frame, ["hire", "leave"], "staff list", mapping, rows)
    lp.check_not_before(frame["leave"], frame["hire"], _shown("leave", mapping), "hire", rows)
    front = ["agent", "team", "hire", "leave"]
    return frame[front + [c for c in frame.columns if c not in front]]
