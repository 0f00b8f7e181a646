r"""
Staffing: the fewest agents that meet every service target, shrinkage, FTE,
and the :class:`StaffingPlan` that puts them together per interval.

The inverse of the queue formulas in :mod:`wfm.erlang` is found by an exact
integer search, vectorised over intervals: a square-root-staffing guess
(Halfin and Whitt [1]_) lands within an agent or two of the answer, then
galloping and bisection on the exact formulas settle every interval at the
smallest agent count that meets every target at once.

The package's modules: :mod:`~wfm.staffing.required` (the exact inverse,
:func:`required_agents`), :mod:`~wfm.staffing.plan` (shrinkage, FTE,
:func:`staffing_plan`, :class:`StaffingPlan`) and
:mod:`~wfm.staffing.uncertain` (:func:`staffing_plan_from_forecast`,
:func:`rate_distribution`).

References
----------
.. [1] S. Halfin and W. Whitt, "Heavy-traffic limits for queues with many
   exponential servers", Operations Research 29(3), 567-588, 1981.
.. [2] G. Koole, "Call Center Optimization", MG books, 2013, ch. 4-5
   (staffing for service level, shrinkage).
"""


from .required import TARGETS, required_agents
from .plan import StaffingPlan, fte, scheduled_agents, staffing_plan, total_shrinkage
from .uncertain import rate_distribution, staffing_plan_from_forecast

__all__ = [
    "required_agents",
    "total_shrinkage",
    "scheduled_agents",
    "fte",
    "staffing_plan",
    "staffing_plan_from_forecast",
    "rate_distribution",
    "StaffingPlan",
    "TARGETS",
]
