"""Row-level checks of the capacity tables (staff, classes, transfers, hires): messages name the column and rows."""

from __future__ import annotations

import pandas as pd

from .._validation import _suggest, rows_error

__all__ = ["check_known", "rows_error"]


def check_known(values, column, known, *, hint="", rows=None):
    """Every value of ``column`` is one of ``known``; an unknown one is named with its rows."""
    series = pd.Series(values).astype(str).reset_index(drop=True)
    known = [str(k) for k in known]
    bad = ~series.isin(known).to_numpy()
    if bad.any():
        suggestion = _suggest(series[bad].iloc[0], known)
        raise rows_error(column, f"must name a known site {known[:10]}{' ...' if len(known) > 10 else ''}", bad,
                         rows, values=series.to_numpy(), hint=(hint + suggestion).strip())
    return series
