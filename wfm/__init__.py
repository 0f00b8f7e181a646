"""
wfm: contact-centre workforce planning.

The stable public names live here; each concept has its module:
:mod:`wfm.forecast` (interval volume and AHT forecasts, peaks),
:mod:`wfm.erlang` (queue formulas), :mod:`wfm.staffing` (agents, shrinkage,
FTE, plans), :mod:`wfm.schedule` (shift sizing over any horizon), :mod:`wfm.roster` (named agents on the shifts: :func:`wfm.roster_agents`), :mod:`wfm.evaluate` (forecast accuracy and backtests, KPIs, adherence, scorecards),
:mod:`wfm.simulate` (discrete-event check of a plan; ``wfm.simulate`` itself
is the function), :mod:`wfm.intraday` (reforecast and re-plan within the day), :mod:`wfm.scenario` (YAML scenarios, what-if grids, Dask), :mod:`wfm.report` (HTML, Excel, CSV/Parquet and PNG writers, each atomic),
:mod:`wfm.channels` (chat, deferred work, redials and callbacks),
:mod:`wfm.calendar` and :mod:`wfm.datasets`.

Units everywhere: seconds for ``aht``, ``interval``, ``threshold`` and
``patience``; fractions (0-1) for rates and targets; calls per interval for
``calls``.
"""

from ._version import __version__
from . import calendar, capacity, datasets, erlang, evaluate, forecast, headline, logs, metrics, report, roster, scenario, schedule, staffing
from .calendar import future_intervals
from .evaluate import Adherence, Scorecard, adherence, kpis, scorecard
from .capacity import CapacityPlan, CapacityRisk, CapacityRules, capacity_plan, capacity_risk, weekly_demand
from .headline import Headline, plan_headline
from .logs import IntervalHistory, fill_missing, interval_history, read_contacts, read_history
from .forecast import Backtest, Forecast, backtest, forecast_aht, forecast_queues, forecast_volume, peak_periods
from .metrics import forecast_accuracy
from .erlang import abandon_rate, asa, occupancy, offered_load, queue_metrics, service_level, wait_probability
from .staffing import (
    StaffingPlan,
    fte,
    rate_distribution,
    required_agents,
    scheduled_agents,
    staffing_plan,
    staffing_plan_from_forecast,
    total_shrinkage,
)
from .scenario import load_scenario, run_scenario
from .roster import Roster, roster_agents
from .schedule import SchedulePlan, schedule_week, schedule_weeks
from .simulation import Simulation, Verification, simulate, verify_plan
from . import intraday
from .intraday import Reforecast, Replan, reforecast, replan
from . import skills
from .simulation import MultiskillSimulation, simulate_multiskill
from .skills import Centre, SkillStaffing, centre, staff_centre
from . import channels
from .channels import ChannelPlan, chat_staffing, deferred_staffing, erlang_x, erlang_x_staffing


__all__ = [
    "abandon_rate",
    "Adherence",
    "adherence",
    "asa",
    "Backtest",
    "backtest",
    "calendar",
    "capacity",
    "capacity_plan",
    "channels",
    "ChannelPlan",
    "chat_staffing",
    "deferred_staffing",
    "erlang_x",
    "erlang_x_staffing",
    "capacity_risk",
    "CapacityPlan",
    "CapacityRisk",
    "CapacityRules",
    "datasets",
    "erlang",
    "evaluate",
    "forecast",
    "Forecast",
    "forecast_accuracy",
    "forecast_aht",
    "forecast_queues",
    "forecast_volume",
    "fill_missing",
    "future_intervals",
    "headline",
    "Headline",
    "interval_history",
    "intraday",
    "IntervalHistory",
    "logs",
    "fte",
    "kpis",
    "load_scenario",
    "metrics",
    "occupancy",
    "peak_periods",
    "plan_headline",
    "offered_load",
    "queue_metrics",
    "read_contacts",
    "read_history",
    "rate_distribution",
    "reforecast",
    "Reforecast",
    "replan",
    "Replan",
    "report",
    "required_agents",
    "roster",
    "roster_agents",
    "Roster",
    "run_scenario",
    "schedule",
    "schedule_week",
    "schedule_weeks",
    "scenario",
    "scheduled_agents",
    "Scorecard",
    "scorecard",
    "SchedulePlan",
    "service_level",
    "simulate",
    "Simulation",
    "staffing",
    "staffing_plan",
    "staffing_plan_from_forecast",
    "StaffingPlan",
    "total_shrinkage",
    "verify_plan",
    "Verification",
    "wait_probability",
    "weekly_demand",
    "skills",
    "simulate_multiskill",
    "MultiskillSimulation",
    "Centre",
    "centre",
    "SkillStaffing",
    "staff_centre",
]
