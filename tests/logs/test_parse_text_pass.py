"""parse_datetimes skips its pass over rows for text columns: a text column holds no date objects to rewrite."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from wfm.logs._parse import parse_datetimes


def _old_pass(series):
    """The per-row rewrite parse_datetimes used to run on every column (date objects to ISO text)."""
    return series.map(lambda x: pd.Timestamp(x).isoformat() if isinstance(x, (dt.datetime, dt.date)) else x)


TEXTS = ["23/06/2024 08:00:09", None, " 24/06/2024 17:59:59 ", "", "25/06/2024 00:00:00"]


@pytest.mark.parametrize("dtype", ["str", "string", "string[python]"])
def test_the_skipped_pass_was_the_identity_on_text(dtype):
    s = pd.Series(TEXTS, dtype=dtype)
    old = _old_pass(s)
    assert old.dtype == s.dtype and old.equals(s)
    # and the parse agrees with the object column, which still takes the pass (it may hold datetime objects)
    rows = np.arange(len(s))
    new = parse_datetimes(s, "when", rows, dayfirst=True)
    ref = parse_datetimes(pd.Series(TEXTS, dtype=object), "when", rows, dayfirst=True)
    pd.testing.assert_series_equal(new, ref)
    assert new.iloc[2] == pd.Timestamp("2024-06-24 17:59:59") and new.isna().tolist() == [False, True, False, True,
                                                                                           False]


def test_object_columns_still_read_date_objects():
    s = pd.Series([dt.datetime(2024, 6, 23, 8, 0, 9), "24/06/2024 17:59:59", dt.date(2024, 6, 25)], dtype=object)
    got = parse_datetimes(s, "when", np.arange(3), dayfirst=True)
    assert got.tolist() == [pd.Timestamp("2024-06-23 08:00:09"), pd.Timestamp("2024-06-24 17:59:59"),
                            pd.Timestamp("2024-06-25")]
