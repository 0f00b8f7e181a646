"""The bundled bank_calls series: exactly the record, aggregated consistently."""

import numpy as np
import pandas as pd
import pytest

from wfm.datasets import bank_calls


@pytest.fixture(scope="module")
def five():
    """Five-minute record. Module scope: read-only."""
    return bank_calls()


def test_record_shape(five):
    # fpp3 documents 164 days of five-minute counts, 07:00 to 21:05 on weekdays.
    assert len(five) == 164 * 169
    days = five.index.normalize().unique()
    assert len(days) == 164
    assert days[0] == pd.Timestamp("2003-03-03") and days[-1] == pd.Timestamp("2003-10-24")
    assert (five.index.day_of_week < 5).all()
    assert five.index.is_monotonic_increasing and not five.index.has_duplicates
    assert five.index.tz is None
    per_day = five.groupby(five.index.normalize()).size()
    assert (per_day == 169).all()
    minutes = five.index.hour * 60 + five.index.minute
    assert minutes.min() == 7 * 60 and minutes.max() == 21 * 60


def test_missing_weekdays_stay_missing(five):
    open_days = set(five.index.normalize().unique())
    weekdays = set(pd.bdate_range("2003-03-03", "2003-10-24"))
    missing = sorted(weekdays - open_days)
    assert [d.strftime("%m-%d") for d in missing] == ["04-04", "04-07", "05-26", "07-04", "09-01", "10-14"]


def test_counts_are_whole_and_positive(five):
    assert five.dtype == np.int64
    assert (five > 0).all()


@pytest.mark.parametrize("freq,minutes", [("15min", 15), ("30min", 30), ("60min", 60)])
def test_coarser_intervals_are_sums_without_the_21h_slot(five, freq, minutes):
    coarse = bank_calls(freq)
    assert (coarse.index.minute % minutes == 0).all()
    per_day = coarse.groupby(coarse.index.normalize()).size()
    assert (per_day == 14 * 60 // minutes).all()
    kept = five[five.index.hour < 21]
    assert coarse.sum() == kept.sum()
    assert five.sum() - coarse.sum() == five[five.index.hour == 21].sum()
    # one interval checked by hand: 2003-03-03 07:00 holds the first minutes/5 five-minute counts
    assert coarse.iloc[0] == five.iloc[: minutes // 5].sum()


def test_bad_freq():
    with pytest.raises(ValueError, match="freq"):
        bank_calls("10min")
