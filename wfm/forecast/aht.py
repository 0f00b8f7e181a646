r"""
Interval-level AHT forecast: a weekday x time-of-day profile, smoothed and shrunk where data are thin.

Staffing needs an AHT for every interval, and the handle time of a quiet
07:00 interval rests on a handful of calls. The forecast for weekday
:math:`w` and slot :math:`s` is

.. math::

   \widehat{\mathrm{AHT}}_{w,s} = M_w + \lambda_{w,s}\,(m_{w,s} - M_w),
   \qquad \lambda_{w,s} = \frac{\tau_w^2}{\tau_w^2 + v_{w,s}},

where :math:`m_{w,s}` is the call-weighted mean AHT of that slot over the
last ``weeks`` weeks, smoothed with its neighbouring slots (weights 1-2-1),
:math:`M_w` the call-weighted daily mean of the weekday, :math:`v_{w,s}` the
sampling variance of :math:`m_{w,s}` (from the spread between days, and at
least :math:`(\mathrm{cv}\,M_w)^2 / \text{calls}`, the variance of a mean of
that many handle times with coefficient of variation ``cv``), and
:math:`\tau_w^2` the variance of the true slot means around :math:`M_w`
(between-slot variance minus the mean sampling variance). Slots with many
calls keep their own AHT; thin slots move toward the day's mean: the
James-Stein / empirical-Bayes compromise.

References
----------
.. [1] B. Efron and C. Morris, "Data analysis using Stein's estimator and its
   generalizations", Journal of the American Statistical Association
   70(350), 311-319, 1975.
.. [2] L. Brown, N. Gans, A. Mandelbaum, A. Sakov, H. Shen, S. Zeltyn and
   L. Zhao, "Statistical analysis of a telephone call center: a
   queueing-science perspective", Journal of the American Statistical
   Association 100(469), 36-50, 2005. (Service times: log-normal, coefficient
   of variation about 1, mean varying with the time of day.)
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .. import _validation as v
from ..calendar import _interval_seconds, slot_keys

_KERNEL = np.array([1.0, 2.0, 1.0])


def _smooth(x):
    """1-2-1 sums along the slot axis (last), zero beyond the ends."""
    pad = np.pad(x, [(0, 0)] * (x.ndim - 1) + [(1, 1)])
    return _KERNEL[0] * pad[..., :-2] + _KERNEL[1] * pad[..., 1:-1] + _KERNEL[2] * pad[..., 2:]


def _smooth_sq(x):
    pad = np.pad(x, [(0, 0)] * (x.ndim - 1) + [(1, 1)])
    k = _KERNEL ** 2
    return k[0] * pad[..., :-2] + k[1] * pad[..., 1:-1] + k[2] * pad[..., 2:]


def forecast_aht(aht, future_index, *, calls=None, weeks=8, smooth=True, cv=1.0):
    """
    Forecast the average handle time of every future interval.

    Parameters
    ----------
    aht : Series
        Average handle time per interval on a sorted DatetimeIndex of
        interval starts; NaN marks an interval without a measured AHT (no
        calls) and is skipped. [s]
    future_index : DatetimeIndex
        Interval starts to forecast, after ``aht`` ends.
    calls : Series, optional
        Calls per interval on the same index as ``aht``; weights each
        interval's AHT by its calls and measures how thin the data are.
        Without it every interval weighs the same. [calls per interval]
    weeks : int
        Weeks of history the profile is averaged over. [weeks]
    smooth : bool
        Average each slot with its neighbours (weights 1-2-1) first.
    cv : float
        Coefficient of variation of one call's handle time, for the
        sampling variance of thin slots (about 1 in published call-centre
        data). [ratio]

    Returns
    -------
    Series
        AHT per interval of ``future_index``, name ``"aht"``. [s] A weekday
        or time the history never saw gets the nearest available mean: the
        weekday's daily mean, else the overall mean.

    Examples
    --------
    A flat 300 s AHT is forecast as 300 s everywhere:

    >>> idx = pd.date_range("2024-01-01 08:00", periods=8 * 24 * 7, freq="h")
    >>> future = pd.date_range(idx[-1] + pd.Timedelta("1h"), periods=24, freq="h")
    >>> forecast_aht(pd.Series(300.0, index=idx), future).round(6).unique().tolist()
    [300.0]
    """
    index, values = v.check_interval_history(aht, "aht", unit="seconds", allow_nan=True)
    present = ~np.isnan(values)
    v.check_positive(values[present], "aht", "seconds", index=index[present],
                     hint="aht is the mean handle time per call in seconds.")
    if calls is not None:
        v.check_aligned(aht=aht, calls=calls)
        weight = v.as_float_array(calls, "calls", index=index)
        v.check_nonnegative(weight, "calls", "calls", index=index)
    else:
        weight = np.ones(values.size)
    weight = np.where(present, weight, 0.0)
    if not (weight > 0).any():
        raise ValueError("aht has no interval with a measured AHT (and calls > 0); nothing to forecast from.")
    weeks = v.check_count(weeks, "weeks", unit="weeks")
    step = _interval_seconds(v.infer_interval(index, "aht"), "the interval of aht")
    v.check_future_index(future_index, index, step)
    n_slots = int(86_400 // step)
    date, weekday, slot = slot_keys(index, step)
    recent = date >= date[-1] - pd.Timedelta(days=7 * weeks - 1)
    a = np.where(present, values, 0.0)[recent]
    c = weight[recent]
    wd, sl = weekday[recent], slot[recent]
    sums = {key: np.zeros((7, n_slots)) for key in ("s0", "s1", "t0", "t1", "t2")}
    np.add.at(sums["s0"], (wd, sl), c)
    np.add.at(sums["s1"], (wd, sl), c * a)
    np.add.at(sums["t0"], (wd, sl), c * c)
    np.add.at(sums["t1"], (wd, sl), c * c * a)
    np.add.at(sums["t2"], (wd, sl), c * c * a * a)
    s0, s1 = sums["s0"], sums["s1"]
    daily_s0, daily_s1 = s0.sum(axis=1), s1.sum(axis=1)
    overall = daily_s1.sum() / daily_s0.sum()
    day_mean = np.where(daily_s0 > 0, daily_s1 / np.where(daily_s0 > 0, daily_s0, 1), overall)
    if smooth:
        S0, S1 = _smooth(s0), _smooth(s1)
        T0, T1, T2 = _smooth_sq(sums["t0"]), _smooth_sq(sums["t1"]), _smooth_sq(sums["t2"])
    else:
        S0, S1, T0, T1, T2 = s0, s1, sums["t0"], sums["t1"], sums["t2"]
    seen = S0 > 0
    safe = np.where(seen, S0, 1.0)
    m = np.where(seen, S1 / safe, day_mean[:, None])
    sandwich = np.maximum(T2 - 2 * m * T1 + m * m * T0, 0.0) / safe ** 2
    # a slot's mean rests on its calls: at least the variance of a mean of that many handle times
    if calls is not None:
        floor = (cv * day_mean[:, None]) ** 2 / safe
    else:  # intervals weigh 1: the typical spread of one interval's AHT, over how many there are
        per_obs = np.where(seen, sandwich * S0 ** 2 / np.where(seen, T0, 1.0), np.nan)
        with warnings.catch_warnings():  # a weekday the history never opens is all NaN: 0 below, no warning
            warnings.filterwarnings("ignore", "All-NaN slice encountered", RuntimeWarning)
            typical = np.nanmedian(np.where(seen, per_obs, np.nan), axis=1) if seen.any() else np.zeros(7)
        floor = np.nan_to_num(typical)[:, None] * np.where(seen, T0, 1.0) / safe ** 2
    var = np.where(seen, np.maximum(sandwich, floor), np.inf)
    shrunk = np.empty_like(m)
    for w in range(7):
        ok = seen[w] & (s0[w] > 0)
        if not ok.any():
            shrunk[w] = day_mean[w]
            continue
        wts = s0[w, ok] / s0[w, ok].sum()
        between = np.sum(wts * (m[w, ok] - day_mean[w]) ** 2)
        tau2 = max(between - np.sum(wts * var[w, ok]), 0.0)
        lam = np.where(seen[w], tau2 / (tau2 + var[w]), 0.0) if tau2 > 0 else np.zeros(n_slots)
        shrunk[w] = day_mean[w] + lam * (m[w] - day_mean[w])
    f_date, f_weekday, f_slot = slot_keys(future_index, step)
    f_slot = np.clip(f_slot, 0, n_slots - 1)
    out = shrunk[f_weekday, f_slot]
    no_data = s0.sum(axis=1)[f_weekday] == 0
    out = np.where(no_data, overall, out)
    return pd.Series(out, index=future_index, name="aht")
