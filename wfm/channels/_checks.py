"""Input checks the channel models share, built on :mod:`wfm._validation`."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .. import _validation as v
from ..simulation.channels import check_concurrency, check_redial_probability, check_slowdown  # noqa: F401 (shared)


def prepare(calls, aht, interval, name="calls", **named):
    """Broadcast ``calls``, ``aht`` and ``named`` (None passes through); check the common ones.

    Returns (Inputs, arrays, interval seconds as an array).
    """
    if interval is None:
        if isinstance(calls, (pd.Series, pd.DataFrame)):
            interval = v.infer_interval(calls.index, name)
        else:
            raise ValueError(f"interval is required when {name} has no DatetimeIndex: pass the interval length "
                             "in seconds, e.g. interval=1800 for 30-minute intervals.")
    inp = v.broadcast_inputs(**{name: calls}, aht=aht, interval=interval, **named)
    arr, idx = inp.arrays, inp.index
    v.check_nonnegative(arr[name], name, f"{name} per interval", index=idx)
    v.check_positive(arr["aht"], "aht", "seconds", index=idx, hint="aht is the mean handle time in seconds.")
    v.check_positive(arr["interval"], "interval", "seconds", index=idx)
    return inp, arr, arr["interval"]


def check_target(service_level, threshold):
    sl = v.check_fraction(v.as_float_array(service_level, "service_level"), "service_level", closed_high=False)
    t = v.check_nonnegative(v.as_float_array(threshold, "threshold"), "threshold", "seconds")
    return sl, t


def check_callback_threshold(value):
    """Seconds > 0; a value under 10 looks like minutes and warns (:class:`wfm._validation.UnitWarning`)."""
    t = v.check_positive(v.as_float_array(value, "callback_threshold"), "callback_threshold", "seconds",
                         allow_inf=True)
    if np.any(t < 10):
        worst = float(np.min(t))
        warnings.warn(f"callback_threshold of {worst:g} s is implausible (expected at least 10 s); "
                      f"callback_threshold is the estimated wait in seconds above which a callback is offered "
                      f"({worst * 60:g} for {worst:g} minutes). Check the unit.", v.UnitWarning, stacklevel=3)
    return t

