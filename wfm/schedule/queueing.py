"""
The queue behind a requirement: the expected service level of a schedule and the shortfall weights.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _validation as v
from .. import erlang as e


def _queue_inputs(index, interval, plan, calls, aht, threshold):
    """
    (calls, aht, threshold, model, patience, sl_definition) on ``index``, or None when not given.

    With a plan, its queue model, patience and service-level definition (``plan.params``), so the schedule's
    service level is on the definition the plan was staffed to (:func:`wfm.erlang.service_level`).
    """
    model, patience, definition = "erlang_c", None, "offered"
    if plan is not None:
        tab = plan.table
        if calls is not None or aht is not None:
            raise ValueError("give plan or calls and aht, not both.")
        calls, aht = tab["calls"], tab["aht"]
        threshold = plan.params.get("threshold") if threshold is None else threshold
        model, patience = plan.params.get("model", "erlang_c"), plan.params.get("patience")
        definition = plan.params.get("sl_definition") or "offered"
        if threshold is None:
            raise ValueError("threshold is required: the plan has no service-level threshold; pass threshold=.")
    elif calls is None and aht is None:
        return None
    if calls is None or aht is None:
        raise ValueError("calls and aht go together: pass both (or plan=) to get the service level per interval.")
    if threshold is None:
        raise ValueError("threshold is required with calls and aht: the answer-time target in seconds, e.g. 20.")
    if isinstance(calls, pd.Series):
        extra = calls.index.difference(index)
        if len(extra):
            raise ValueError(f"calls has timestamps outside the requirement's week, first {extra[0]}; "
                             "pass the calls of the scheduled week only.")
        calls = calls.reindex(index, fill_value=0.0)
    if isinstance(aht, pd.Series):
        aht = aht.reindex(index, fill_value=float(aht.median()) if len(aht) else 1.0)
    calls_arr = v.as_float_array(calls, "calls", index=index)
    aht_arr = v.as_float_array(aht, "aht", index=index)
    if calls_arr.ndim and calls_arr.shape != (len(index),):
        raise ValueError(f"calls must have one value per interval of the requirement ({len(index)}); "
                         f"got {calls_arr.shape[0]}.")
    calls_arr = np.broadcast_to(calls_arr, len(index))
    v.check_nonnegative(calls_arr, "calls", "calls per interval", index=index)
    v.check_positive(aht_arr, "aht", "seconds", index=index if aht_arr.ndim else None)
    t = v.as_float_array(threshold, "threshold")
    v.check_nonnegative(t, "threshold", "seconds")
    return calls_arr, aht_arr, float(t), model, patience, definition


def _service_level(queue, interval, agents):
    calls, aht, threshold, model, patience, definition = queue
    return np.asarray(e.service_level(calls, aht, interval, np.asarray(agents, dtype=float), threshold, model=model,
                                      patience=patience, sl_definition=definition), dtype=float)


def _shortfall_weights(grid, queue):
    """1 + calls answered late when one agent is missing, relative to the mean such loss."""
    w = np.ones(len(grid.req))
    if queue is None:
        return w
    need = grid.req > 0
    if not need.any():
        return w
    n = grid.req[need].astype(float)
    sub = tuple(a[need] if np.ndim(a) else a for a in queue[:2]) + queue[2:]
    loss = sub[0] * (_service_level(sub, grid.interval, n) - _service_level(sub, grid.interval, n - 1))
    loss = np.maximum(loss, 0.0)
    if loss.mean() > 0:
        w[need] = 1.0 + loss / loss.mean()
    return w

