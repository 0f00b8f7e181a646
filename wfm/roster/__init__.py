"""
Rosters: named agents on shifts, day by day, over any horizon.

:func:`roster_agents` puts named agents (their contracts, days off, skills and
requests) on the shifts a sized schedule (:func:`wfm.schedule_week`,
:func:`wfm.schedule_weeks`) or a cover per day and shift type asks for, as one
CP-SAT model with a proven bound, and returns a :class:`Roster`;
:func:`read_instance` and :func:`write_instance` read and write the Curtois-Qu
shift-scheduling benchmark's instances as its arguments.

Inside: :mod:`~wfm.roster.arguments` reads and checks the arguments,
:mod:`~wfm.roster.demand` turns sized plans into shift types and cover,
:mod:`~wfm.roster.hints` builds warm starts, :mod:`~wfm.roster.model` is the
CP-SAT model, :mod:`~wfm.roster.relaxation` its linear relaxation (column
generation), :mod:`~wfm.roster.search` the search around them and
:mod:`~wfm.roster.result` the results object.

``wfm.roster(...)``, the function's name before rostering had a package of its
own, still calls :func:`roster_agents`, with a DeprecationWarning.
"""

import sys
import types
import warnings

from .instance_format import RosterInstance, read_instance, write_instance
from .result import Roster
from .rostering import AGENT_FIELDS, roster_agents

__all__ = ["AGENT_FIELDS", "Roster", "RosterInstance", "read_instance", "roster_agents", "write_instance"]


class _DeprecatedCall(types.ModuleType):
    """The package, callable as the function it replaced (``wfm.roster(...)``), with a DeprecationWarning."""

    def __call__(self, *args, **kwargs):
        warnings.warn("wfm.roster(...) is deprecated: wfm.roster is the rostering package; call "
                      "wfm.roster_agents(...), the same function.", DeprecationWarning, stacklevel=2)
        return roster_agents(*args, **kwargs)


sys.modules[__name__].__class__ = _DeprecatedCall
