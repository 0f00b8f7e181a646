"""Input checks the channel models share, built on :mod:`wfm._validation`."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .. import _validation as v


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


def scalar(value, name):
    """One number (float)."""
    arr = v.as_float_array(value, name)
    if np.ndim(arr):
        raise TypeError(f"{name} must be one number; got an array of shape {np.shape(arr)}.")
    return float(arr)


def check_target(service_level, threshold):
    sl = v.check_fraction(v.as_float_array(service_level, "service_level"), "service_level", closed_high=False)
    t = v.check_nonnegative(v.as_float_array(threshold, "threshold"), "threshold", "seconds")
    return sl, t


def check_redial_probability(value):
    """A fraction in [0, 1): 1 would return every lost attempt for ever."""
    p = v.as_float_array(value, "redial_probability")
    if np.any(p >= 1) and np.all(p <= 1):
        raise ValueError("redial_probability must be below 1; got 1. With 1 every blocked or abandoned attempt "
                         "calls again until it is served, so the offered load has no bound; give the share of "
                         "lost attempts that call again, e.g. 0.5.")
    return v.check_fraction(p, "redial_probability", closed_low=True, closed_high=False)


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


def check_concurrency(value):
    """A whole number >= 1."""
    c = v.as_float_array(value, "concurrency")
    if np.ndim(c):
        raise TypeError(f"concurrency must be one whole number; got an array of shape {np.shape(c)}.")
    if not (c >= 1) or c != np.floor(c) or not np.isfinite(c):
        raise ValueError(f"concurrency must be a whole number >= 1 (the most sessions one agent holds at once); "
                         f"got {float(c):g}. Use 1 for one session at a time.")
    return int(c)
