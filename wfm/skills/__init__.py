"""
Multi-skill centres: call types, agent groups with skill sets, routing, and
staffing by Erlang bounds, a pooling approximation and simulation.

* :func:`centre` builds a validated :class:`Centre` (call types with volumes,
  handle times, patience and targets; groups with skills, priorities, costs
  and caps; routing, with overflow to secondary groups after a delay).
* :func:`simulate_centre` plays a staffing out with the multi-skill simulator
  (:func:`wfm.simulation.simulate_multiskill`).
* :func:`erlang_bounds` gives the per-type and pooled Erlang staffing,
  :func:`approximate_staffing` the pooling approximation, and
  :func:`staff_centre` the staffing refined and checked by simulation.
* :func:`skills_from_log` reads the skill structure and each type's history
  from a contact log.
* :func:`synthetic_centre` and :func:`wallace_whitt_centre` are example
  centres (the first SYNTHETIC).
"""

from .model import Centre, centre, simulate_centre
from .approx import approximate_staffing, erlang_bounds, erlang_requirements, primary_staffing
from .staffing import SkillStaffing, staff_centre
from .examples import synthetic_centre, wallace_whitt_centre
from .logs import LogSkills, skills_from_log

__all__ = ["Centre", "centre", "simulate_centre", "approximate_staffing", "erlang_bounds", "erlang_requirements",
           "primary_staffing",
           "SkillStaffing", "staff_centre", "synthetic_centre", "wallace_whitt_centre",
           "LogSkills", "skills_from_log"]
