"""
Column parsers and checks for tables read from ACDs, ticketing systems and WFM tools.

Each parser takes a column's values, the column's name as the user knows it
and the rows' labels, and returns the parsed values or raises an error naming
the column, the rows and what was expected.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._validation import _MAX_SHOWN, _plain, _suggest

def check_columns(columns, wanted, source):
    """Every column the caller named is in the table; the message lists what is there."""
    missing = {role: col for role, col in wanted.items() if col is not None and col not in columns}
    if missing:
        roles = ", ".join(f"{role}={col!r}" for role, col in missing.items())
        raise ValueError(f"{source} has no column for {roles}; its columns are {list(columns)[:12]}. "
                         "Name the columns with the timestamp=, calls=, aht= or handle_time= arguments.")


def rows_error(column, problem, mask, rows, *, values=None, hint="", kind=ValueError):
    """An error naming a column, what is wrong, how many rows and which (row numbers and values)."""
    mask = np.asarray(mask, dtype=bool)
    where = np.flatnonzero(mask)
    shown = where[:_MAX_SHOWN]
    more = ", ..." if where.size > _MAX_SHOWN else ""
    row_text = ", ".join(str(rows[i]) for i in shown)
    value_text = ""
    if values is not None:
        value_text = " (values " + ", ".join(repr(_plain(values[i])) for i in shown) + more + ")"
    return kind(f"column {column!r} {problem} in {where.size} of {mask.size} rows: rows [{row_text}{more}]"
                f"{value_text}.{(' ' + hint) if hint else ''}")


def check_column_map(columns, log, known):
    """``columns`` maps canonical names of ``log`` to the names in the file; returns it as a dict.

    Unknown canonical names and one source column mapped twice are errors
    naming the key and listing the canonical names.
    """
    if columns is None:
        return {}
    if not isinstance(columns, dict):
        raise TypeError(f"columns must be a dict mapping {log} column names to the names in your data, e.g. "
                        f"{{'arrival': 'CallStart'}}; got {type(columns).__name__}.")
    for key, value in columns.items():
        if key not in known:
            raise ValueError(f"columns has unknown {log} column {key!r}.{_suggest(key, known)} The {log} columns "
                             f"are {list(known)}.")
        if not isinstance(value, str) or not value:
            raise TypeError(f"columns[{key!r}] must be the name of a column in your data (a string); got {value!r}.")
    seen = {}
    for key, value in columns.items():
        if value in seen:
            raise ValueError(f"columns maps {value!r} twice, to {seen[value]!r} and {key!r}; map each column of "
                             "your data to one name.")
        seen[value] = key
    return dict(columns)


def check_log_columns(frame, log, required, columns):
    """``frame`` (already renamed) holds every ``required`` canonical column; the message names the source names."""
    missing = [c for c in required if c not in frame.columns]
    if missing:
        named = ", ".join(f"{c!r}" + (f" (mapped from {columns[c]!r})" if c in columns else "") for c in missing)
        raise ValueError(f"{log} has no column {named}; its columns are {list(frame.columns)[:12]}. Map your "
                         f"column names with columns={{{missing[0]!r}: 'YourColumn'}}.")


def check_no_collision(frame, log, columns):
    """A renamed column does not collide with a column already called by that name."""
    for key, value in columns.items():
        if key in frame.columns and key != value:
            raise ValueError(f"{log} maps {value!r} to {key!r}, but it already has a column {key!r}; drop or "
                             "rename one of them first.")


def parse_times(values, column, rows, *, required=False):
    """Timestamps of one log column; unparsable values name the rows, NaT allowed unless ``required``."""
    series = pd.Series(values).reset_index(drop=True)
    if isinstance(series.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(series.dtype):
        out = series
    else:
        if pd.api.types.is_numeric_dtype(series.dtype) and not series.isna().all():
            raise TypeError(f"column {column!r} must hold timestamps; got numbers (dtype {series.dtype}). Convert "
                            f"them first, e.g. pandas.to_datetime(df[{column!r}], unit='s').")
        out = pd.to_datetime(series, errors="coerce", format="mixed")
        bad = (out.isna() & series.notna()).to_numpy()
        if bad.any():
            raise rows_error(column, "must hold timestamps; got text that is not a date and time", bad, rows,
                             values=series.to_numpy(), kind=TypeError)
    if required:
        missing = out.isna().to_numpy()
        if missing.any():
            raise rows_error(column, "must hold a timestamp in every row; got none", missing, rows,
                             hint="Drop or fill those rows first.")
    return out.dt.as_unit("ns") if len(out) else out.astype("datetime64[ns]")


def check_same_zone(times, log):
    """Every time column of ``log`` is naive, or all are in time zones."""
    zones = {name: getattr(t.dt, "tz", None) for name, t in times.items()}
    kinds = {name: tz is None for name, tz in zones.items()}
    if len(set(kinds.values())) > 1:
        naive = [n for n, k in kinds.items() if k]
        aware = [n for n, k in kinds.items() if not k]
        raise ValueError(f"{log} mixes naive times (columns {naive}) and times in a time zone (columns {aware}); "
                         "use one clock, e.g. .dt.tz_localize(...) on the naive ones.")


def parse_seconds(values, column, rows, *, unit="seconds"):
    """Non-negative durations in seconds (NaN kept); text or negative values name the rows."""
    series = pd.Series(values).reset_index(drop=True)
    if pd.api.types.is_timedelta64_dtype(series.dtype):
        arr = series.dt.total_seconds().to_numpy(dtype=float)
    else:
        if pd.api.types.is_bool_dtype(series.dtype):
            raise TypeError(f"column {column!r} must hold {unit}; got booleans.")
        arr = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
        bad = np.isnan(arr) & series.notna().to_numpy()
        if bad.any():
            raise rows_error(column, f"must hold numbers of {unit}; got text", bad, rows, values=series.to_numpy(),
                             kind=TypeError)
    bad = (arr < 0) | np.isinf(arr)
    if bad.any():
        raise rows_error(column, f"must be finite and >= 0 {unit}; got otherwise", bad, rows, values=arr)
    return arr


_TRUE = {"true", "t", "yes", "y", "1", "1.0"}
_FALSE = {"false", "f", "no", "n", "0", "0.0", ""}


def parse_flags(values, column, rows):
    """True/False flags from booleans, 0/1 or yes/no text; blanks are False; anything else names the rows."""
    series = pd.Series(values).reset_index(drop=True)
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.fillna(False).to_numpy(dtype=bool)
    missing = series.isna().to_numpy()
    if pd.api.types.is_numeric_dtype(series.dtype):
        arr = series.to_numpy(dtype=float, na_value=0.0)
        bad = ~np.isin(arr, (0.0, 1.0)) & ~missing
        if bad.any():
            raise rows_error(column, "must hold True/False (or 1/0); got other numbers", bad, rows, values=arr)
        return arr == 1.0
    text = series.astype(str).str.strip().str.lower().to_numpy()
    true, false = np.isin(text, list(_TRUE)), np.isin(text, list(_FALSE))
    bad = ~(true | false) & ~missing
    if bad.any():
        raise rows_error(column, "must hold True/False, 1/0 or yes/no; got other values", bad, rows,
                         values=series.to_numpy(), kind=TypeError)
    return true & ~missing


def parse_scores(values, column, rows, scale, *, option):
    """Survey or QA scores on ``scale`` (low, high); NaN is no answer; values outside name the rows."""
    series = pd.Series(values).reset_index(drop=True)
    if pd.api.types.is_bool_dtype(series.dtype):
        raise TypeError(f"column {column!r} must hold scores on {scale[0]:g}-{scale[1]:g}; got booleans.")
    arr = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
    bad = np.isnan(arr) & series.notna().to_numpy()
    if bad.any():
        raise rows_error(column, "must hold numeric scores (blank for no answer); got text", bad, rows,
                         values=series.to_numpy(), kind=TypeError)
    low, high = scale
    bad = ~np.isnan(arr) & ((arr < low) | (arr > high))
    if bad.any():
        hint = (f"{column} is read on the scale {low:g}-{high:g}; if your data uses another scale, pass "
                f"{option}=(low, high)" + ("." if option else ".")) if option else \
            f"{column} is on the fixed scale {low:g}-{high:g}."
        raise rows_error(column, f"must lie on its scale [{low:g}, {high:g}]; got scores outside it", bad, rows,
                         values=arr, hint=hint)
    return arr


def check_scale(value, name):
    """A (low, high) pair of numbers with low < high; returns floats."""
    ok = isinstance(value, (tuple, list)) and len(value) == 2 and all(
        isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, (bool, np.bool_))
        and np.isfinite(x) for x in value)
    if not ok or not value[0] < value[1]:
        raise ValueError(f"{name} must be a (low, high) pair of numbers with low < high, e.g. (1, 5); got {value!r}.")
    return float(value[0]), float(value[1])


def check_not_before(later, earlier, later_name, earlier_name, rows, *, hint=""):
    """``later >= earlier`` where both are present: times that end before they start name the rows."""
    bad = (later < earlier).to_numpy(dtype=bool, na_value=False) if hasattr(later, "to_numpy") else \
        np.asarray(later < earlier)
    if bad.any():
        raise rows_error(later_name, f"must not be before {earlier_name!r}; got an earlier time", bad, rows,
                         values=pd.Series(later).reset_index(drop=True).array, hint=hint)


def check_known_labels(values, column, known, rows, *, hint=""):
    """Every non-missing value of ``column`` is in ``known``; unknown values name the rows and the values."""
    series = pd.Series(values).reset_index(drop=True)
    bad = ~series.isin(list(known)).to_numpy() & series.notna().to_numpy()
    if bad.any():
        first = series[bad].iloc[0]
        shown = list(known)[:12]
        raise rows_error(column, "has values that are not known", bad, rows, values=series.to_numpy(),
                         hint=f"The known values are {shown}{' ...' if len(known) > 12 else ''}."
                              f"{_suggest(first, known)}{(' ' + hint) if hint else ''}")


def check_unique_rows(keys, column, rows, *, what, hint=""):
    """No two rows share ``keys`` (a Series or DataFrame)."""
    dup = keys.duplicated(keep=False).to_numpy()
    if dup.any():
        raise rows_error(column, f"must name {what} once; got repeats", dup, rows,
                         values=(keys.to_numpy() if isinstance(keys, pd.Series) else None), hint=hint)


def check_option_keys(mapping, name, allowed):
    """A dict of options whose keys are among ``allowed`` (costs=, channels=, activities=)."""
    if not isinstance(mapping, dict):
        raise TypeError(f"{name} must be a dict with keys from {list(allowed)}; got {type(mapping).__name__}.")
    for key in mapping:
        if key not in allowed:
            raise ValueError(f"{name} has unknown key {key!r}.{_suggest(key, allowed)} The keys are {list(allowed)}.")
    return mapping


def data_note_text(notes) -> str:
    """One warning text for rows a computation adjusted or left out (a DataFrame of notes)."""
    lines = [f"{r.source}: {r.rows} row(s) {r.problem}; {r.action}." for r in notes.itertuples()]
    return "Some rows were adjusted or left out (see .attrs['notes'] or .issues):\n  " + "\n  ".join(lines)


class DataWarning(UserWarning):
    """Rows of a log were adjusted or left out on purpose; the notes table says which and why."""


