"""
Evaluation: how good a forecast was, how a forecasting method performs when it
is refitted and judged week after week, and how the centre ran.

:mod:`wfm.evaluate.accuracy` holds one pure function per metric and
:func:`forecast_accuracy`, the tidy table of all of them by level;
:mod:`wfm.evaluate.backtest` holds the rolling-origin :func:`backtest` and its
:class:`Backtest` result; :mod:`wfm.evaluate.kpi` computes the KPI catalogue
from contact, state and schedule logs (read by :mod:`wfm.logs`),
:mod:`wfm.evaluate.schedule_adherence` schedule adherence and conformance,
:mod:`wfm.evaluate.targets` KPIs against targets with alerts, and
:mod:`wfm.evaluate.reports` the by-agent, team, queue and ticket tables.
"""

__all__ = []

# KPIs, schedule adherence, scorecard and reports (issue 8).
from ..logs import read_contacts, read_responses, read_roster, read_schedule, read_states
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
    "read_schedule",
    "read_states",
    "Scorecard",
    "scorecard",
    "team_report",
    "ticket_report",
]
