"""
Intraday management: reforecast the rest of the day from the actuals so far, and re-plan it.

:func:`reforecast` updates the day's forecast from the morning's actuals
(:mod:`.reforecast`, the model in :mod:`._model`); :func:`replan` turns the
reforecast and the day's schedule into the staffing gap per interval and the
least-cost actions that close it (:mod:`.replan`); :func:`adherence_now`
runs :func:`wfm.evaluate.adherence`'s logic on a partial day's state log
(:mod:`.adherence`).

Data flow: the forecast (:mod:`wfm.forecast`) and the staffing
(:mod:`wfm.staffing`) feed it; it imports the foundation, ``forecast``,
``staffing``, ``schedule`` and ``roster`` only.
"""

from .reforecast import METHODS, Reforecast, reforecast, reforecast_queues
from .replan import Replan, replan

__all__ = ["METHODS", "Reforecast", "Replan", "reforecast", "reforecast_queues", "replan"]
