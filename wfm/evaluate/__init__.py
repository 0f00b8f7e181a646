"""
Operations: how the centre ran, from its contact, agent-state and schedule logs.

:mod:`wfm.evaluate.kpi` computes the KPI catalogue per period and group
(:func:`kpis`, built from one fact builder per source: contacts, responses,
states, schedule, staff list, forecast, costs), :mod:`wfm.evaluate.schedule_adherence`
schedule adherence and conformance, :mod:`wfm.evaluate.targets` KPIs against
targets (the pydantic :class:`KpiTargets`) with a status in each KPI's
direction and alerts, and :mod:`wfm.evaluate.reports` the by-agent, team,
queue and ticket tables. The logs are read by :mod:`wfm.logs` (its readers are
re-exported here); forecast-error measures live in :mod:`wfm.metrics` and the
backtest in :mod:`wfm.forecast`.
"""

__all__ = []

# KPIs, schedule adherence, scorecard and reports (issue 8).
from ..logs import read_contacts, read_responses, read_roster, read_schedule, read_staff, read_states
from .schedule_adherence import Adherence, adherence
from .kpi import catalogue, kpis
from .reports import agent_report, queue_report, team_report, ticket_report
from .targets import KpiTarget, KpiTargets, Scorecard, load_targets, scorecard

__all__ += [
    "Adherence",
    "adherence",
    "agent_report",
    "catalogue",
    "KpiTarget",
    "KpiTargets",
    "kpis",
    "load_targets",
    "queue_report",
    "read_contacts",
    "read_responses",
    "read_roster",
    "read_staff",
    "read_schedule",
    "read_states",
    "Scorecard",
    "scorecard",
    "team_report",
    "ticket_report",
]
