"""Date and clock parsing: round trips through the formats exports use (hypothesis), and the no-guess rule."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wfm.logs._parse import parse_clock_seconds, parse_datetimes

stamps = st.datetimes(min_value=dt.datetime(1995, 1, 1), max_value=dt.datetime(2035, 12, 31)).map(
    lambda t: t.replace(microsecond=0))
FORMATS = [("%d/%m/%Y %H:%M:%S", True), ("%m/%d/%Y %H:%M:%S", False), ("%d.%m.%Y %H:%M", True),
           ("%d-%m-%y %H:%M:%S", True), ("%Y-%m-%d %H:%M:%S", None), ("%Y/%m/%d %H:%M:%S", None)]


@settings(max_examples=60, deadline=None)
@given(st.lists(stamps, min_size=1, max_size=8), st.sampled_from(FORMATS))
def test_written_dates_read_back_with_their_order(times, fmt):
    """Whatever the dates, written in a format and read with its order they come back to the minute."""
    pattern, dayfirst = fmt
    text = pd.Series([t.strftime(pattern) for t in times])
    got = parse_datetimes(text, "t", np.arange(len(times)), dayfirst=dayfirst)
    want = pd.Series(pd.to_datetime([t.strftime(pattern) for t in times], format=pattern))
    assert (got.to_numpy() == want.to_numpy()).all()


@settings(max_examples=60, deadline=None)
@given(st.lists(stamps, min_size=1, max_size=8))
def test_without_dayfirst_a_two_way_date_is_never_read(times):
    """No dayfirst: any value whose day and month are both <= 12 and differ is an error, whatever else is there."""
    text = pd.Series([t.strftime("%d/%m/%Y") for t in times])
    two_way = [t.day <= 12 and t.month <= 12 and t.day != t.month for t in times]
    if any(two_way):
        with pytest.raises(ValueError, match="reads? both day-first and month-first"):
            parse_datetimes(text, "t", np.arange(len(times)))
    else:
        got = parse_datetimes(text, "t", np.arange(len(times)))
        assert [d.date() for d in got] == [t.date() for t in times]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 86399), min_size=1, max_size=10), st.booleans())
def test_clock_times_read_back(seconds, padded):
    text = [(f"{s // 3600:02d}" if padded else f"{s // 3600}") + f":{s % 3600 // 60:02d}:{s % 60:02d}"
            for s in seconds]
    assert parse_clock_seconds(pd.Series(text), "t", np.arange(len(text))).tolist() == [float(s) for s in seconds]


def test_bad_clock_text_names_rows():
    with pytest.raises(TypeError, match=r"column 't' must hold times of day .* rows \[1\] \(values '8h05'\)"):
        parse_clock_seconds(pd.Series(["8:05", "8h05", None]), "t", np.arange(3))
    with pytest.raises(ValueError, match=r"from 0:00:00 to 23:59:59 in 1 of 1 rows"):
        parse_clock_seconds(pd.Series(["25:00:00"]), "t", np.arange(1))
