"""
Schedules: weekly shift sizing from an interval requirement.

:func:`schedule_week` finds the cheapest shifts, breaks and days off that
cover a week's requirement (agents per interval, e.g. from
:func:`wfm.staffing_plan`) as one mixed-integer program with a proven gap;
:mod:`wfm.schedule.shifts` reads and checks the shift rules.
"""

from .shifts import BreakRule, ScheduleRules, ShiftTemplate, WeekRules, schedule_rules, weekly_patterns
from .solve import SOLVERS, SchedulePlan, schedule_week, shift_coverage

__all__ = [
    "BreakRule",
    "SchedulePlan",
    "ScheduleRules",
    "ShiftTemplate",
    "SOLVERS",
    "WeekRules",
    "schedule_rules",
    "schedule_week",
    "shift_coverage",
    "weekly_patterns",
]
