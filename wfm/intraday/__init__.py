"""
Intraday management: reforecast the rest of the day from the actuals so far, and re-plan it.

:func:`reforecast` updates the day's forecast from the morning's actuals
(:mod:`.reforecasting`, the model in :mod:`._model`); :func:`replan` turns the
reforecast and the day's schedule into the staffing gap per interval and the
least-cost actions that close it (:mod:`.replanning`); :func:`activities_until`
cuts the day's schedule at ``now`` so that :func:`wfm.adherence` scores a
partial day's state log, and :func:`out_of_adherence_now` lists who is out
of adherence now (:mod:`.adherence`).

Data flow: the forecast (:mod:`wfm.forecast`) and the staffing
(:mod:`wfm.staffing`) feed it; it imports the foundation, ``forecast``,
``staffing``, ``schedule`` and ``roster`` only.
"""

from .adherence import activities_until, out_of_adherence_now
from .reforecasting import METHODS, Reforecast, error_history, reforecast, reforecast_queues
from .replanning import Replan, replan

__all__ = ["METHODS", "Reforecast", "Replan", "activities_until", "error_history", "out_of_adherence_now",
           "reforecast", "reforecast_queues", "replan"]
