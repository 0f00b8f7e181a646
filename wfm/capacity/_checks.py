"""Row-level checks of the capacity tables (staff, classes, transfers, hires): messages name the column and rows."""

from __future__ import annotations

import difflib

import numpy as np
import pandas as pd

_MAX_SHOWN = 5


def _plain(value):
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return value.item() if hasattr(value, "item") else value


def rows_error(column, problem, mask, rows=None, *, values=None, hint="", kind=ValueError):
    """An error naming the column, what is wrong, how many rows and which (row numbers and values)."""
    mask = np.asarray(mask, dtype=bool).ravel()
    where = np.flatnonzero(mask)
    rows = np.arange(mask.size) if rows is None else np.asarray(rows)
    shown = where[:_MAX_SHOWN]
    more = ", ..." if where.size > _MAX_SHOWN else ""
    text = f"{column} {problem}; got otherwise in {where.size} of {mask.size} rows: rows [" \
           f"{', '.join(str(rows[i]) for i in shown)}{more}]"
    if values is not None:
        vals = np.asarray(values, dtype=object).ravel()
        text += " (values " + ", ".join(repr(_plain(vals[i])) for i in shown) + more + ")"
    return kind(text + "." + (f" {hint}" if hint else ""))


def check_known(values, column, known, *, hint=""):
    """Every value of ``column`` is one of ``known``; an unknown one is named with its rows."""
    series = pd.Series(values).astype(str).reset_index(drop=True)
    known = [str(k) for k in known]
    bad = ~series.isin(known).to_numpy()
    if bad.any():
        first = series[bad].iloc[0]
        close = difflib.get_close_matches(first, known, n=1)
        suggestion = f" Did you mean {close[0]!r}?" if close else ""
        raise rows_error(column, f"must name a known site {known[:10]}{' ...' if len(known) > 10 else ''}", bad,
                         values=series.to_numpy(), hint=(hint + suggestion).strip())
    return series
