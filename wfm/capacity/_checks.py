"""Row-level checks of the capacity tables (staff, classes, transfers, hires): messages name the column and rows."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._validation import _suggest, rows_error

__all__ = ["check_known", "check_multipliers", "check_seasonal_indices", "rows_error"]

#: Largest seasonal index (or attrition-season multiplier) taken: a multiplier around 1; above it, a percentage
#: (107 for 1.07) is refused.
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
    return check_multipliers(indices, name, what="Seasonal indices", example="1.07: 7% above an average period",
                             typical="those of contact centres lie between about 0.5 and 2",
                             above="a period over {limit} times an average one")


def check_multipliers(values, name="", *, what, example, typical, above):
    """
    Multipliers around 1 (``values``: key -> multiplier); one above :data:`MAX_SEASONAL_INDEX` is refused as a
    percentage (110 for 1.10), saying the multiplier meant.

    ``name`` starts the message (empty in a pydantic validator, which puts
    the key path first); ``what`` names the values, ``example`` reads one,
    ``typical`` says their usual range and ``above`` what a value over the
    limit (``{limit}``) would mean.

    Examples
    --------
    >>> check_multipliers({7: 110}, "season", what="Multipliers", example="1.1: 10% more", typical="most are 0.5-2",
    ...                   above="{limit} times as many")
    Traceback (most recent call last):
    ...
    ValueError: season must be multipliers around 1 (1.1: 10% more); got [7] = 110. Did you mean 1.1? Multipliers are multipliers around 1, not percentages: most are 0.5-2, and one above 10 (10 times as many) is refused.
    """
    keys = list(values)
    vals = np.asarray([values[k] for k in keys], dtype=float)
    high = vals > MAX_SEASONAL_INDEX
    if high.any():
        shown = ", ".join(f"[{k}] = {x:g}" for k, x in zip(np.asarray(keys)[high][:4], vals[high][:4]))
        raise ValueError(f"{name + ' ' if name else ''}must be multipliers around 1 ({example}); got {shown}"
                         f"{', ...' if high.sum() > 4 else ''}. Did you mean {vals[high][0] / 100:g}? {what} are "
                         f"multipliers around 1, not percentages: {typical}, and one above {MAX_SEASONAL_INDEX:g} "
                         f"({above.format(limit=f'{MAX_SEASONAL_INDEX:g}')}) is refused.")
    return values
