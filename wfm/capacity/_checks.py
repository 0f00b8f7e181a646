"""Row-level checks of the capacity tables (staff, classes, transfers, hires): messages name the column and rows."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._validation import _suggest, rows_error

__all__ = ["check_known", "check_seasonal_indices", "rows_error"]

#: Largest seasonal index taken: a multiplier around 1; above it, a percentage (107 for 1.07) is refused.
MAX_SEASONAL_INDEX = 10.0


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


def check_seasonal_indices(indices, name=""):
    """Seasonal indices are multipliers around 1; one above :data:`MAX_SEASONAL_INDEX` is refused as a percentage.

    Monthly or weekly indices of contact centres lie between about 0.5 and 2
    (a peak month 2 times an average one is already extreme), so 107 is
    1.07 written as a percentage: read as it is, that month would need 100
    times the agents. ``name`` starts the message (empty in a pydantic
    validator, which puts the key path first).
    """
    keys = list(indices)
    vals = np.asarray([indices[k] for k in keys], dtype=float)
    high = vals > MAX_SEASONAL_INDEX
    if high.any():
        shown = ", ".join(f"[{k}] = {x:g}" for k, x in zip(np.asarray(keys)[high][:4], vals[high][:4]))
        raise ValueError(f"{name + ' ' if name else ''}must be multipliers around 1 (1.07: 7% above an average "
                         f"period); got {shown}{', ...' if high.sum() > 4 else ''}. Did you mean "
                         f"{vals[high][0] / 100:g}? Seasonal indices are multipliers around 1, not percentages: "
                         f"those of contact centres lie between about 0.5 and 2, and one above "
                         f"{MAX_SEASONAL_INDEX:g} (a period over {MAX_SEASONAL_INDEX:g} times an average one) is "
                         "refused.")
    return indices
