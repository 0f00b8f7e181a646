"""Real contact-centre data shipped with wfm; nothing is downloaded at run time."""

from __future__ import annotations

import gzip
from importlib import resources

import pandas as pd

from .. import _validation as v
from .synthetic import deferred_profile, synthetic_volume

__all__ = ["bank_calls", "deferred_profile", "synthetic_volume"]

_FREQS = {"5min": 5, "15min": 15, "30min": 30, "60min": 60, "1h": 60, "h": 60}


def bank_calls(freq="5min"):
    """
    Call volume of a large North American commercial bank, 2003 (real data).

    Five-minute counts of calls handled on weekdays 07:00-21:05, 3 March to
    24 October 2003 (164 open days), from Weinberg, Brown and Stroud (2007) as
    distributed with Hyndman and Athanasopoulos, *Forecasting: Principles and
    Practice*, 3rd ed. (R package fpp3, ``bank_calls``). Source and licence
    notes: ``wfm/datasets/data/README.md``.

    The index holds naive local clock times, each labelling the start of its
    interval. Only open intervals are present: nights, weekends and the six
    weekdays missing from the record (2003-04-04, 04-07, 05-26, 07-04, 09-01,
    10-14) are absent, not zero.

    Parameters
    ----------
    freq : {"5min", "15min", "30min", "60min"}
        Interval length. Coarser intervals are sums of the five-minute counts.
        The record's last slot of each day, 21:00-21:05, fills only part of a
        15-, 30- or 60-minute interval, so at those lengths it is dropped
        (about 0.2% of the calls; each day then runs 07:00-21:00). At "5min"
        every slot is kept.

    Returns
    -------
    calls : Series
        Calls per interval, name ``"calls"``, on a DatetimeIndex named
        ``"timestamp"``. [calls per interval]

    Examples
    --------
    >>> calls = bank_calls()
    >>> len(calls), int(calls.sum())
    (27716, 5323661)
    >>> half_hours = bank_calls("30min")
    >>> half_hours.index[0], half_hours.index[-1], len(half_hours) // 164
    (Timestamp('2003-03-03 07:00:00'), Timestamp('2003-10-24 20:30:00'), 28)
    """
    if freq not in _FREQS:
        v.check_choice(freq, "freq", ("5min", "15min", "30min", "60min"))
    minutes = _FREQS[freq]
    with resources.files(__package__).joinpath("data/bank_calls.csv.gz").open("rb") as fh:
        with gzip.open(fh, "rt") as text:
            frame = pd.read_csv(text, dtype={"calls": "int64"})
    index = pd.DatetimeIndex(pd.to_datetime(frame["timestamp"], format="%Y-%m-%d %H:%M"), name="timestamp")
    calls = pd.Series(frame["calls"].to_numpy(), index=index, name="calls")
    if minutes == 5:
        return calls
    minute_of_day = index.hour * 60 + index.minute
    kept = calls[minute_of_day < 21 * 60]
    return kept.groupby(kept.index.floor(f"{minutes}min")).sum().rename_axis("timestamp").rename("calls")
