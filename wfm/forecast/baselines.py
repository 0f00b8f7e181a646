r"""
The baselines every analyst knows: seasonal naive and the k-week average, plain or weighted.

Both work on the open calendar: the "same interval one week earlier" is the
same weekday and time of day the last time the centre was open then, so a
holiday does not shift a week of forecasts by a day. With ``season`` given
(in intervals) they are instead the textbook versions on the contiguous
sequence of open intervals, :math:`\hat y_{T+h} = y_{T+h-m(\lfloor (h-1)/m
\rfloor + 1)}` for seasonal naive and the mean of the ``k`` values
:math:`m, 2m, \dots, km` intervals back for the average, as in
statsforecast's ``SeasonalNaive`` and ``SeasonalWindowAverage``.

With ``decay`` below 1 the average is weighted: the value ``k`` weeks
back weighs ``decay ** (k - 1)``, so the recent weeks count most and a
longer window still damps the noise of any one week. Over an unlimited
window it is simple exponential smoothing of each weekday and time across
weeks with smoothing weight ``1 - decay`` [2]_; ``weeks`` truncates it.
``method="weighted_average"`` is the last 12 weeks with ``decay`` 0.8.

References
----------
.. [1] R. J. Hyndman and G. Athanasopoulos, "Forecasting: Principles and
   Practice", 3rd ed., OTexts, 2021, section 5.2 (simple forecasting
   methods: seasonal naive).
"""

from __future__ import annotations

import numpy as np


def seasonal_naive_matrix(panel, *, season=None):
    """Each future cell is the same weekday and slot the last time it was observed."""
    if season is not None:
        return window_average_matrix(panel, weeks=1, season=season)
    return window_average_matrix(panel, weeks=1)


def window_average_matrix(panel, *, weeks=4, season=None, skip_abnormal=False, decay=1.0):
    """
    Each future cell is the mean of the same weekday and slot over its last ``weeks`` observed days.

    ``decay`` (0-1]: the weight of each week relative to the week after it
    (1, the default: a plain mean).
    """
    if season is not None:
        if decay != 1.0:
            raise ValueError("decay applies to the calendar average only; leave season unset to weight the weeks.")
        return _positional(panel, weeks, season)
    n = panel.n_hist
    values = panel.values
    out = np.full(values.shape, np.nan)
    usable = panel.observed.copy()
    usable[n:] = False
    if skip_abnormal:
        usable &= ~panel.after_closure & ~panel.special
    future = panel.ahead
    pooled = None
    for w in range(7):
        rows = np.flatnonzero(usable & (panel.weekday == w))
        targets = np.flatnonzero(future & (panel.weekday == w))
        if not targets.size:
            continue
        if rows.size == 0:
            if pooled is None:
                pooled = _pooled_mean(values, usable, weeks)
            out[targets] = pooled
            continue
        block = values[rows]
        # per slot: the last `weeks` observed values (skipping days where that slot was not observed)
        have = ~np.isnan(block)
        rank = np.cumsum(have[::-1], axis=0)[::-1]
        take = have & (rank <= weeks)
        weight = np.where(take, decay ** (rank - 1.0), 0.0)  # the latest observed value weighs 1
        with np.errstate(invalid="ignore"):
            mean = np.where(take.any(axis=0), (np.where(take, block, 0) * weight).sum(axis=0) / weight.sum(axis=0),
                            np.nan)
        out[targets] = mean
    out[np.isnan(out) & future[:, None]] = 0.0
    out[~future] = np.nan
    return out * np.where(future, panel.factor, 1.0)[:, None]


def _pooled_mean(values, usable, weeks):
    rows = np.flatnonzero(usable)[-5 * weeks:]
    if not rows.size:
        return np.zeros(values.shape[1])
    block = values[rows]
    have = ~np.isnan(block)  # a slot never observed in these rows (a short history) gets 0, with no numpy warning
    count = have.sum(axis=0)
    return np.divide(np.where(have, block, 0.0).sum(axis=0), count, out=np.zeros(values.shape[1]), where=count > 0)


def _positional(panel, weeks, season):
    """Textbook seasonal naive / window average on the contiguous sequence of open intervals."""
    n = panel.n_hist
    hist = panel.values[:n]
    seq = hist[~np.isnan(hist)]  # row-major: chronological
    out = np.full(panel.values.shape, np.nan)
    future_rows = np.arange(n, len(panel.dates))
    want = np.zeros(panel.values.shape, dtype=bool)
    want[future_rows] = panel.template[future_rows]
    if panel.rows.size:
        want[panel.rows, panel.cols] = True
    want[:n] = False
    # closed future days are not part of the sequence: only asked-for rows count
    if panel.rows.size:
        asked = np.zeros(len(panel.dates), dtype=bool)
        asked[panel.rows] = True
        want &= asked[:, None]
    r, c = np.nonzero(want)
    h = np.arange(1, r.size + 1)
    fold = (h - 1) % season + 1
    usable_k = min(weeks, seq.size // season) if seq.size >= season else 0
    if usable_k == 0:
        vals = np.full(r.size, seq.mean() if seq.size else 0.0)
    else:
        vals = np.mean([seq[seq.size - k * season + fold - 1] for k in range(1, usable_k + 1)], axis=0)
    out[r, c] = vals
    return out
