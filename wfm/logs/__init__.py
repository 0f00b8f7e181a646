"""
Reading contact-centre data: the one table reader, interval histories, and the
log schemas (contacts, ticket responses, agent states, schedules, the staff list).

The simulator writes these logs, the evaluators read them and the CLI reads
them from files, so their schemas live here, below all three:

- :func:`read_table` / :func:`read_header` (:mod:`wfm.logs.tables`): a
  DataFrame or a CSV, Excel or Parquet file, the same way everywhere;
- :func:`read_history` (:mod:`wfm.logs.history`): an interval report
  (interval starts, offered, answered, abandoned, AHT or handle time,
  service-level counts) from an ACD export;
- :func:`interval_history` (:mod:`wfm.logs.intervals`): a contact log to
  interval history on the open calendar, with the callers' patience;
- :func:`fill_missing` (:mod:`wfm.logs.gaps`): intervals missing inside the
  open hours, reported and filled only as the caller says;
- :func:`read_contacts`, :func:`read_responses`, :func:`read_states`,
  :func:`read_schedule`, :func:`read_staff` (:mod:`wfm.logs.schemas`): the
  logs KPIs, adherence and reports are computed from, with their schemas
  (:func:`read_contacts` in :mod:`wfm.logs.contacts`).

What a reader adjusts or leaves out on purpose is counted in
``.attrs["notes"]`` with a :class:`DataWarning`; what it reads as given but
looks wrong (a placeholder time, a wait of hours) is a
:class:`PlausibilityWarning` naming the rows; rows set aside with
``on_bad_rows="reject"`` are in ``.attrs["rejected"]`` with their reasons.
"""

from .gaps import fill_missing
from .history import HISTORY_ROLES, read_history
from .intervals import IntervalHistory, interval_history, patience_estimate
from .schemas import (
    CHANNELS,
    CONTACT_COLUMNS,
    CONTACT_SCHEMA,
    DEFAULT_ACTIVITIES,
    OUTCOMES,
    SCHEDULE_ACTIVITIES,
    STATE_ACTIVITIES,
    read_responses,
    read_roster,
    read_staff,
    read_schedule,
    read_states,
)
from .contacts import read_contacts
from ._parse import DataWarning, PlausibilityWarning
from .tables import read_header, read_table

__all__ = [
    "CHANNELS",
    "DataWarning",
    "PlausibilityWarning",
    "CONTACT_COLUMNS",
    "CONTACT_SCHEMA",
    "DEFAULT_ACTIVITIES",
    "HISTORY_ROLES",
    "OUTCOMES",
    "SCHEDULE_ACTIVITIES",
    "STATE_ACTIVITIES",
    "IntervalHistory",
    "fill_missing",
    "interval_history",
    "patience_estimate",
    "read_contacts",
    "read_header",
    "read_history",
    "read_responses",
    "read_roster",
    "read_staff",
    "read_schedule",
    "read_states",
    "read_table",
]
