"""
Documented, seeded synthetic volumes for the channels that have no public arrival data.

No public data set of e-mail, back-office or chat arrivals per interval
exists (the bank record, :func:`wfm.datasets.bank_calls`, is voice only), so
the channel examples, notebooks and benchmarks draw their volumes here, from
a stated shape and a seed, and label them synthetic wherever they are shown.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _validation as v

__all__ = ["deferred_profile", "synthetic_volume"]


def deferred_profile(index):
    r"""
    Shape of e-mail and back-office arrivals on a grid around the clock (synthetic).

    :math:`0.15 + \exp(-((h - 13) / 4)^2)` at hour of day h (a daytime
    peak at 13:00 over a night floor), times 0.3 on Saturday and Sunday.

    Parameters
    ----------
    index : DatetimeIndex
        Interval starts (nights and weekends included).

    Returns
    -------
    Series
        Relative rate per interval on ``index``. [-]

    Examples
    --------
    >>> idx = pd.date_range("2024-01-01", periods=48, freq="30min")
    >>> p = deferred_profile(idx)
    >>> round(float(p.iloc[26]), 3), round(float(p.iloc[0]), 3)
    (1.15, 0.15)
    """
    index = pd.DatetimeIndex(index)
    hour = np.asarray(index.hour + index.minute / 60)
    shape = (0.15 + np.exp(-((hour - 13) / 4) ** 2)) * np.where(np.asarray(index.day_of_week) >= 5, 0.3, 1.0)
    return pd.Series(shape, index, name="profile")


def synthetic_volume(shape, total, *, seed, name="volume"):
    """
    Poisson counts per interval around ``total`` spread in proportion to ``shape`` (synthetic, seeded).

    Parameters
    ----------
    shape : Series
        Relative rate per interval, >= 0 (e.g. :func:`deferred_profile`, or
        a voice forecast for chat that follows the calls). [-]
    total : float
        Expected volume over the whole index. [contacts]
    seed : int
        Seed of :func:`numpy.random.default_rng`: the same seed, the same counts.
    name : str
        Name of the returned Series.

    Returns
    -------
    Series
        Whole counts per interval on ``shape``'s index. [contacts per interval]

    Examples
    --------
    >>> idx = pd.date_range("2024-01-01", periods=7 * 48, freq="30min")
    >>> week = synthetic_volume(deferred_profile(idx), 20_000, seed=28)
    >>> int(week.sum()), week.name
    (20053, 'volume')
    """
    s = pd.Series(shape, dtype=float)
    v.check_nonnegative(s.to_numpy(), "shape", index=s.index)
    total = float(v.check_nonnegative(v.as_float_array(total, "total"), "total", "contacts"))
    if s.sum() <= 0:
        raise ValueError("shape must have a positive sum: it spreads the total over the intervals.")
    seed = v.check_count(seed, "seed", minimum=0)
    mean = total * s.to_numpy() / s.sum()
    return pd.Series(np.random.default_rng(seed).poisson(mean).astype(float), s.index, name=name)
