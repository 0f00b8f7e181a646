"""
Schedules: shift sizing from an interval requirement, a week or a horizon.

:func:`schedule_week` finds the cheapest shifts, breaks and days off that
cover a week's requirement (agents per interval, e.g. from
:func:`wfm.staffing_plan`) as one mixed-integer program with a proven gap;
:func:`schedule_weeks` does so week by week over any horizon and joins the
weeks into one plan with weighted figures; :mod:`wfm.schedule.shifts` reads
and checks the shift rules (:class:`ScheduleRulesModel` is their pydantic
schema). :mod:`wfm.schedule.model` describes the mixed-integer program
(built on :mod:`~wfm.schedule.grid`, solved by :mod:`~wfm.schedule.milp`,
its breaks handed out by :mod:`~wfm.schedule.assignment`);
:class:`SchedulePlan` (:mod:`~wfm.schedule.result`) holds a plan. Named
agents on the shifts are :mod:`wfm.roster`'s.
"""

from .horizon import schedule_weeks
from .shifts import (BreakRule, ScheduleRules, ScheduleRulesModel, ShiftTemplate, WeekRules, schedule_rules,
                     weekly_patterns)
from .assignment import shift_coverage
from .result import SchedulePlan
from .week import SOLVERS, schedule_week

__all__ = [
    "SOLVERS",
    "BreakRule",
    "SchedulePlan",
    "ScheduleRules",
    "ScheduleRulesModel",
    "ShiftTemplate",
    "WeekRules",
    "schedule_rules",
    "schedule_week",
    "schedule_weeks",
    "shift_coverage",
    "weekly_patterns",
]
