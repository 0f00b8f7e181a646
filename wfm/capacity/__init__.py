"""
Long-term capacity planning: how many agents to hire, and when, over 52-78 weeks.

Demand (:mod:`.demand`): :func:`weekly_forecast` (weekly volume and AHT with
damped trend, seasonality and bands), :func:`week_profile` and
:func:`required_fte` (the exact Erlang requirement of a representative week,
through :func:`wfm.required_agents`), :func:`weekly_demand` (both).
Supply (:mod:`.cohorts`): :func:`check_staff`, :func:`check_classes`, :func:`check_transfers`,
:func:`staff_cohorts` and :func:`project_supply`
(cohorts by tenure, expected attrition, training and nesting).
Rules (:mod:`.rules`): :class:`CapacityRules`, :func:`capacity_rules`,
:func:`weekly_hazard` and the proposed scenario section :class:`CapacitySection`.
The plan (:mod:`.planning`, :mod:`.hiring`): :func:`capacity_plan` ->
:class:`CapacityPlan`, hires chosen by one MILP. Risk (:mod:`.risk`):
:func:`capacity_risk` -> :class:`CapacityRisk`, Monte Carlo over attrition
and volume (week by week, and short at any point of the horizon).
What-ifs (:mod:`.whatif`): :func:`capacity_whatif`, a grid of rule changes
in one call. :meth:`CapacityPlan.monthly` is the finance roll-up.

This package imports only the foundation, :mod:`wfm.forecast` and
:mod:`wfm.staffing`.
"""

from .cohorts import check_classes, check_staff, check_transfers, project_supply, staff_cohorts
from .demand import plan_start, required_fte, week_profile, weekly_demand, weekly_forecast
from .planning import METHODS, capacity_plan
from .result import CapacityPlan, CapacityRisk
from .risk import capacity_risk, simulate_supply
from .rules import CapacityRules, CapacitySection, capacity_rules, weekly_hazard
from .whatif import capacity_whatif

__all__ = [
    "CapacityPlan",
    "CapacityRisk",
    "CapacityRules",
    "CapacitySection",
    "METHODS",
    "capacity_plan",
    "capacity_risk",
    "capacity_whatif",
    "capacity_rules",
    "check_classes",
    "check_staff",
    "check_transfers",
    "plan_start",
    "project_supply",
    "required_fte",
    "simulate_supply",
    "staff_cohorts",
    "week_profile",
    "weekly_demand",
    "weekly_forecast",
    "weekly_hazard",
]
