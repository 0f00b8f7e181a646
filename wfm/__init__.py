"""
wfm: contact-centre workforce planning.

The stable public names live here; each concept has its module:

- :mod:`wfm.logs` reads ACD exports (interval reports, contact logs) and
  makes interval histories; :mod:`wfm.datasets` holds the bundled real
  data; :mod:`wfm.calendar` open hours, weeks and future intervals;
- :mod:`wfm.forecast` forecasts interval volume and AHT with bands, and
  finds peaks; :mod:`wfm.metrics` scores forecasts;
- :mod:`wfm.erlang` holds the queue formulas; :mod:`wfm.staffing` turns a
  forecast into agents per interval, shrinkage and FTE (plans);
- :mod:`wfm.schedule` sizes shifts over any horizon; :mod:`wfm.roster`
  puts named agents on them (:func:`wfm.roster_agents`);
- :mod:`wfm.capacity` plans hires over 52-78 weeks;
- :mod:`wfm.simulation` checks a plan call by call (``wfm.simulate`` is
  the function); :mod:`wfm.skills` staffs multi-skill centres;
  :mod:`wfm.channels` chat, deferred work, redials and callbacks;
  :mod:`wfm.intraday` reforecasts and re-plans within the day;
- :mod:`wfm.evaluate` forecast accuracy, KPIs, adherence and scorecards;
  :mod:`wfm.headline` the figures a manager signs;
- :mod:`wfm.scenario` runs YAML scenarios and what-if grids (Dask too);
  :mod:`wfm.report` writes HTML, Excel, CSV/Parquet and PNG, each whole or
  not at all; :mod:`wfm.executors` runs tasks serially, in processes or on
  Dask; the command line is ``wfm`` (:mod:`wfm.cli`).

Every results object (a forecast, a plan, a schedule, a roster, a
simulation, ...) keeps one contract: ``table``, ``params``, ``figures()``,
``summary()``, ``plot()``, ``_repr_html_()`` and ``to_excel()``
(:mod:`wfm._results`).

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
