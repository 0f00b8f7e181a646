"""
Column parsers and checks for tables read from ACDs, ticketing systems and WFM tools.

Each parser takes a column's values, the column's name as the user knows it
and the rows' labels, and returns the parsed values or raises an error naming
the column, the rows and what was expected.
"""

from __future__ import annotations

import contextlib
import re
import warnings

import numpy as np
import pandas as pd

from .._clock_text import _apply_meridiem, _split_meridiem, clock_seconds
from .._validation import _suggest, mixed_clocks, option
from .._validation import rows_error as _rows_error


def rows_error(column, problem, mask, rows=None, *, values=None, hint="", kind=ValueError, rejectable=True):
    """
    :func:`wfm._validation.rows_error`, remembering every row it names, so a reader can set them aside.

    The error carries ``wfm_rows`` (the labels of all the rows that break
    the rule, not only the few shown) and ``wfm_reason`` (the column and the
    rule, one line) when ``rejectable``: a rule a row breaks on its own
    (text where a time belongs, an answer before its arrival). A rule about
    the whole column (dates that read both day-first and month-first) is
    not rejectable: setting rows aside would not fix it.
    """
    err = _rows_error(column, problem, mask, rows, values=values, hint=hint, kind=kind)
    if rejectable:
        mask = np.asarray(mask, dtype=bool).ravel()
        labels = np.arange(mask.size) if rows is None else np.asarray(rows)
        err.wfm_rows = labels[mask]
        label = str(column) if "[" in str(column) else f"column {column!r}"
        err.wfm_reason = f"{label} {problem}"
    return err


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
            raise ValueError(f"{option('columns', {key: value})}: unknown {log} column {key!r}.{_suggest(key, known)} "
                             f"The {log} columns are {list(known)}.")
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
                         f"column names with {option('columns', {missing[0]: 'YourColumn'})}.")


def check_no_collision(frame, log, columns):
    """A renamed column does not collide with a column already called by that name."""
    for key, value in columns.items():
        if key in frame.columns and key != value:
            raise ValueError(f"{log} maps {value!r} to {key!r}, but it already has a column {key!r}; drop or "
                             "rename one of them first.")


def parse_times(values, column, rows, *, required=False):
    """Timestamps of one log column, read by :func:`parse_datetimes` (no day/month guessing); NaT unless ``required``."""
    return parse_datetimes(values, column, rows, required=required, what="timestamps", kind=TypeError,
                           zone_hint=f"Convert the column to one time zone before reading it, e.g. df[{str(column)!r}] "
                                     f"= pandas.to_datetime(df[{str(column)!r}], utc=True).dt.tz_convert('Europe/Berlin').")


def check_same_zone(times, log):
    """Every time column of ``log`` is naive, or all are in time zones."""
    zones = {name: getattr(t.dt, "tz", None) for name, t in times.items()}
    kinds = {name: tz is None for name, tz in zones.items()}
    if len(set(kinds.values())) > 1:
        naive = [n for n, k in kinds.items() if k]
        aware = [n for n, k in kinds.items() if not k]
        zone = zones[aware[0]]
        # offsets in the text give a fixed offset (UTC-05:00), which is not the centre's zone: name one as example
        named = str(zone) if "/" in str(zone) or str(zone) == "UTC" else "America/New_York"
        cols = lambda names: ", ".join(f"{log}[{n!r}]" for n in names)  # noqa: E731
        fix = (f"pass the centre's time zone, {option('tz', named)}" + ("" if named == str(zone) else " for example")
               + f", to read every time of {log} on it, or write all its time columns the same way")
        raise ValueError(mixed_clocks(cols(naive), None, cols(aware), zone, fix,
                                      plural=(len(naive) > 1, len(aware) > 1)))


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
        raise rows_error(column, f"must name {what} once; got repeats", dup, rows, rejectable=False,
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


class PlausibilityWarning(UserWarning):
    """Rows were read as given but look wrong (a placeholder time, a wait of hours, a date in the future)."""




# How an option is named to the user (a Python argument or a CLI flag) lives in wfm._validation, below both.


# --------------------------------------------------------------------------
# Dates, timestamps and clock times: parsed once per distinct value, never guessed.
# --------------------------------------------------------------------------

_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?=$|[ T])(.*)$")
_CLOCK = re.compile(r"^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(\s*[AaPp]\.?\s*[Mm]\.?)?$")


def _text(series):
    """Stripped text of a column (None where missing) and the missing mask."""
    missing = np.array(series.isna().to_numpy(), dtype=bool)
    codes, uniques = pd.factorize(series.astype(object))
    stripped = np.array([x.strip() if isinstance(x, str) else str(x) for x in uniques], dtype=object)
    text = stripped[np.maximum(codes, 0)] if len(stripped) else np.full(len(series), None, dtype=object)
    missing |= (codes < 0) | (text == "")
    text = np.where(missing, None, text)
    return pd.Series(text, dtype=object), missing


def looks_like_clock(series):
    """
    True when a text column holds times of day ('8:05', '23:59:50'): most of its distinct values are, and none is
    a date.

    A few other values ('pending', '?') do not make it a column of timestamps: it is read as times of day and
    they are errors naming their rows (or rows set aside), not a reason to read '8:05' as today at 8:05.
    """
    import datetime as _dt

    if pd.api.types.is_datetime64_any_dtype(series.dtype) or pd.api.types.is_numeric_dtype(series.dtype):
        return False
    if pd.api.types.is_timedelta64_dtype(series.dtype):
        return True
    uniq = pd.unique(series.dropna())
    if len(uniq) == 0:
        return False
    if isinstance(uniq[0], _dt.time) and all(isinstance(x, _dt.time) for x in uniq):
        return True
    text = np.char.strip(np.asarray([str(x) for x in uniq], dtype=str))
    text = text[text != ""]
    if not len(text):
        return False
    clock = ~np.isnan(clock_seconds(text))
    rest = text[~clock]
    if len(rest):
        clock[~clock] = pd.Series(rest, dtype=object).str.match(_CLOCK.pattern).to_numpy(dtype=bool)
    if clock.all():
        return True
    if clock.sum() * 2 <= len(text):
        return False
    others = pd.Series(text[~clock], dtype=object)
    return not others.str.contains(r"\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}|[A-Za-z]{3}\w* \d", regex=True).any()


def parse_clock_seconds(values, column, rows, *, leave_out=False):
    """
    Seconds after midnight of a column of clock times ('8:05', '23:59:50', '8:05 PM', datetime.time, timedelta).

    A 12-hour time carries AM or PM ('12:05 AM' is 00:05, '12:30 PM' is
    12:30). Missing values give NaN; anything else that is not a clock time
    names the rows.

    Examples
    --------
    >>> parse_clock_seconds(pd.Series(["0:10:10", "23:59:50", None, "8:05", "8:05 PM"]), "time", np.arange(5)).tolist()
    [610.0, 86390.0, nan, 29100.0, 72300.0]
    """
    import datetime as _dt

    series = pd.Series(values).reset_index(drop=True)
    if pd.api.types.is_timedelta64_dtype(series.dtype):
        out = series.dt.total_seconds().to_numpy(dtype=float)
    else:
        codes, uniques = pd.factorize(series.astype(object))
        texts = [x.strftime("%H:%M:%S.%f") if isinstance(x, _dt.time) else str(x).strip() for x in uniques]
        body, marker = _split_meridiem(np.asarray(texts, dtype=str)) if texts else (np.zeros(0, str), np.zeros(0))
        uniq = pd.Series(body, dtype=object)
        secs = clock_seconds(body) if len(uniq) else np.zeros(0)
        slow = np.isnan(secs)
        if slow.any():  # fractions of a second, or text that is no clock time at all
            parts = uniq[slow].str.extract(r"^(\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?$")
            more = (parts[0].astype(float) * 3600 + parts[1].astype(float) * 60
                    + parts[2].astype(float).fillna(0.0)).to_numpy(dtype=float, copy=True)
            more[(parts[1].astype(float) >= 60).to_numpy() | (parts[2].astype(float) >= 60).to_numpy()] = np.nan
            secs[slow] = more
        hours_off = ~np.isnan(secs) & np.isnan(_apply_meridiem(secs, marker)) if len(secs) else np.zeros(0, bool)
        secs = _apply_meridiem(secs, marker) if len(secs) else secs
        blank = (pd.Series(texts, dtype=object) == "").to_numpy()
        missing = codes < 0
        if blank.any():
            missing |= np.isin(codes, np.flatnonzero(blank))
        out = np.where(missing, np.nan, secs[np.maximum(codes, 0)] if len(secs) else np.nan)
        if hours_off.any():
            raise rows_error(column, "holds 12-hour times (with AM or PM) whose hour is not 1-12",
                             np.isin(codes, np.flatnonzero(hours_off)), rows, values=series.to_numpy(),
                             kind=TypeError, hint="With AM or PM the hour runs from 1 to 12 ('12:05 AM' is 00:05, "
                             "'1:30 PM' is 13:30); write 24-hour times ('13:00') without AM or PM.")
        bad = np.isnan(out) & ~missing
        if bad.any():
            raise rows_error(column, "must hold times of day 'H:MM', 'H:MM:SS' or '8:05 PM'; got other text", bad,
                             rows, values=series.to_numpy(), kind=TypeError,
                             hint=leave_out and _leave_out_hint(column, series.to_numpy(), bad, "times of day") or "")
    bad = (out < 0) | (out >= 86400)
    if bad.any():
        raise rows_error(column, "must hold times of day from 0:00:00 to 23:59:59", bad, rows, values=out)
    return out


def parse_datetimes(values, column, rows, *, dayfirst=None, date_format=None, required=False, what="dates",
                    kind=ValueError, tz=None, zone_hint=None, leave_out=False, missing_hint=None):
    """
    Timestamps (or dates) of a text, datetime or Excel column, with no guessing of the day/month order.

    Each distinct value is parsed once. ``date_format`` (a strptime format)
    reads every value strictly. Otherwise ISO 8601 (``2003-10-01 07:00``),
    year-first and written-out months parse as they are; numeric day/month
    dates (``01/10/2003``) need ``dayfirst``: a value that reads both ways
    is an error naming the column, the rows and the option that fixes it,
    even when other values of the column (``13/10/2003``) read one way only;
    a column whose every value reads one way only is read that way.

    A value that holds a time but no date ('8:05 PM', which pandas would put
    on today's date) is an error naming the rows, and so is a
    ``date_format`` with no year. Times carrying more than one UTC offset
    (+01:00 in winter, +02:00 in summer) are converted to UTC only when
    ``tz`` says to which zone the caller then converts them; with
    ``tz=None`` they are an error naming the rows where the offset changes
    (``zone_hint`` replaces its advice, for readers that take no ``tz``).
    ``missing_hint(mask)`` may say what the rows with no value are (blank
    rows, a total row) and the option that leaves them out.

    Returns
    -------
    Series of datetime64[ns] (naive, or with the offset carried by the text; in UTC when offsets differ).

    Examples
    --------
    >>> rows = np.arange(2)
    >>> parse_datetimes(pd.Series(["13/10/2003", "31/10/2003"]), "Date", rows).dt.strftime("%d %b").tolist()
    ['13 Oct', '31 Oct']
    >>> parse_datetimes(pd.Series(["01/10/2003", "02/10/2003"]), "Date", rows)
    Traceback (most recent call last):
    ...
    ValueError: column 'Date' holds dates that read both day-first and month-first ('01/10/2003' is 1 October or 10 January) in 2 of 2 rows: rows [0, 1] (values '01/10/2003', '02/10/2003'). wfm does not guess the order: pass dayfirst=True (day/month/year), dayfirst=False (month/day/year) or date_format='%d/%m/%Y'.
    """
    series = pd.Series(values).reset_index(drop=True)
    if isinstance(series.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(series.dtype):
        out = series
    else:
        if pd.api.types.is_numeric_dtype(series.dtype) and not series.isna().all():
            raise TypeError(f"column {column!r} must hold {what}; got numbers (dtype {series.dtype}). Convert "
                            f"them first, e.g. pandas.to_datetime(df[{column!r}], unit='s'), or read the file "
                            f"as text.")
        import datetime as _dt

        if not isinstance(series.dtype, pd.StringDtype):  # a text column holds no date objects: no pass over rows
            series = series.map(lambda x: pd.Timestamp(x).isoformat() if isinstance(x, (_dt.datetime, _dt.date))
                                else x)
        text, missing = _text(series)
        codes, uniques = pd.factorize(text)
        parsed = _parse_unique(pd.Series(uniques, dtype=object), column, codes, rows, dayfirst, date_format)
        taken = parsed.iloc[np.maximum(codes, 0)].reset_index(drop=True) if len(parsed) else \
            pd.Series(pd.NaT, index=range(len(codes)), dtype="datetime64[ns]")
        out = taken.where(codes >= 0, pd.NaT)
        if getattr(out.dt, "tz", None) is not None:
            _check_offsets(pd.Series(uniques, dtype=object), codes, column, rows, tz, zone_hint)
        bad = (out.isna() & ~pd.Series(missing)).to_numpy()
        if bad.any():
            fmt = option("date_format", date_format) if date_format else option("date_format", "%d/%m/%Y %H:%M")
            raise rows_error(column, f"must hold {what}; got text that does not read as one"
                             + (f" in the format {date_format!r}" if date_format else ""), bad, rows,
                             values=series.to_numpy(), kind=kind,
                             hint=leave_out and _leave_out_hint(column, series.to_numpy(), bad, what)
                             or f"Give the format of the column, e.g. {fmt}.")
    if required:
        miss = out.isna().to_numpy()
        if miss.any():
            raise rows_error(column, f"must hold one of the {what} in every row; got none", miss, rows,
                             hint=(missing_hint(miss) if missing_hint else None) or "Drop or fill those rows first.")
    return out.dt.as_unit("ns") if len(out) else out.astype("datetime64[ns]")


def _offsets(texts):
    """The UTC offset written in each text ('+01:00'; None where it carries none), for messages and checks."""
    found = texts.str.extract(r"(Z|[+-]\d{2}(?::?\d{2})?)\s*$")[0]
    out = found.map(lambda x: x if pd.isna(x) else "+00:00" if x == "Z" else
                    f"{x[:3]}:{x[-2:]}" if len(x) > 3 else f"{x}:00")
    for i in np.flatnonzero(found.isna().to_numpy()):  # a zone written another way ('CEST'), if pandas read one
        with contextlib.suppress(ValueError, TypeError, OverflowError):
            off = pd.Timestamp(texts.iloc[i]).utcoffset()
            if off is not None:
                minutes = int(off.total_seconds() // 60)
                out.iloc[i] = f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return out


def _check_offsets(uniques, codes, column, rows, tz, zone_hint):
    """
    Times of one column all carry a UTC offset, and (unless ``tz`` is given) the same one; else an error naming
    the rows where it changes and the offsets.
    """
    offsets = _offsets(uniques)
    seen = offsets.dropna().unique()
    naive = (offsets.isna().to_numpy() & np.isin(np.arange(len(uniques)), codes))
    if naive.any() and len(seen):
        raise rows_error(column, f"mixes times with a UTC offset ({', '.join(sorted(seen)[:3])}) and times without "
                         "one", np.isin(codes, np.flatnonzero(naive)), rows,
                         values=uniques.to_numpy()[np.maximum(codes, 0)], rejectable=False,
                         hint="Give every time the same way: all with their offset, or all on the local clock "
                              "(with the time zone given separately).")
    if len(seen) <= 1 or tz is not None:
        return
    per_row = pd.Series(offsets.to_numpy(dtype=object)[np.maximum(codes, 0)]).where(codes >= 0)
    before = per_row.ffill().shift()
    change = (per_row.notna() & before.notna() & (per_row != before)).to_numpy(dtype=bool)
    shown = ", ".join(sorted(seen)[:6]) + (", ..." if len(seen) > 6 else "")
    hint = zone_hint or (
        "wfm does not convert them to UTC on its own: open hours, days and weeks would move by the offset. Pass "
        "the time zone of the centre, and the times are read on its wall clock: tz='Europe/Berlin' from Python, "
        "--tz Europe/Berlin on the command line, or tz: Europe/Berlin under data: in a scenario file.")
    raise rows_error(column, f"holds times with more than one UTC offset ({shown}), as at a change to or from summer "
                     "time; the offset changes", change, rows, values=uniques.to_numpy()[np.maximum(codes, 0)],
                     rejectable=False, hint=hint)


def _to_datetime(values, **kw):
    """pandas.to_datetime of text, as a Series of datetime64 (offsets converted to UTC when they differ)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            out = pd.to_datetime(pd.Series(values, dtype=object), errors="coerce", **kw)
        except (ValueError, TypeError):
            try:
                out = pd.to_datetime(pd.Series(values, dtype=object), errors="coerce", utc=True, **kw)
            except (ValueError, TypeError):  # one value out of range ('8h05' read as year 1): NaT, named later
                out = pd.Series([_one_datetime(x, kw) for x in values], dtype="datetime64[ns, UTC]")
    if out.dtype == object:
        out = pd.to_datetime(out, errors="coerce", utc=True)
    try:
        out = out.dt.as_unit("ns")
    except pd.errors.OutOfBoundsDatetime:  # '8h05' read as 08:05 in the year 1: no date wfm can use
        out = out.where((out.dt.year > 1677) & (out.dt.year < 2262)).dt.as_unit("ns")
    return out


def _one_datetime(value, kw):
    try:
        return pd.to_datetime(value, utc=True, **kw)
    except (ValueError, TypeError):
        return pd.NaT


def _parse_unique(uniq, column, codes, rows, dayfirst, date_format):
    """Parse distinct date texts; ambiguous day/month orders raise an error naming the rows."""
    if len(uniq) == 0:
        return pd.Series([], dtype="datetime64[ns]")
    if date_format is not None:
        if not isinstance(date_format, str) or "%" not in date_format:
            raise ValueError(f"{option('date_format', date_format)} is not a strptime format; give e.g. "
                             f"{option('date_format', '%d/%m/%Y %H:%M')}.")
        if not any(d in date_format for d in ("%Y", "%y", "%G", "%c", "%x")):
            raise ValueError(f"{option('date_format', date_format)} reads no year, so every time would fall in "
                             "1900; give a format with the date, e.g. "
                             f"{option('date_format', '%d/%m/%Y %H:%M')}, or give the dates in a column of their "
                             f"own ({option('columns', {'date': 'YourDateColumn'})}).")
        return _to_datetime(uniq, format=date_format)
    out = _to_datetime(uniq, format="ISO8601")
    left = out.isna().to_numpy()
    if not left.any():
        return out
    parts = uniq[left].str.extract(_NUMERIC_DATE.pattern)
    numeric = parts[0].notna().to_numpy()
    if numeric.any():
        a = parts[0][numeric].astype(int).to_numpy()
        b = parts[1][numeric].astype(int).to_numpy()
        day_first_only = a > 12
        month_first_only = b > 12
        ambiguous = (a <= 12) & (b <= 12) & (a != b)
        order = dayfirst
        if order is None:
            examples = uniq[left][numeric]
            if day_first_only.any() and month_first_only.any():
                mask = np.isin(codes, np.flatnonzero(left)[numeric][day_first_only | month_first_only])
                raise rows_error(column, "holds dates in both day-first and month-first order", mask, rows,
                                 values=uniq.to_numpy()[np.maximum(codes, 0)], rejectable=False,
                                 hint=f"Give the format explicitly, e.g. {option('date_format', '%d/%m/%Y')}.")
            if ambiguous.any():
                first = str(examples[ambiguous].iloc[0])
                mask = np.isin(codes, np.flatnonzero(left)[numeric][ambiguous])
                evidence = ""
                for only, fix, text in ((day_first_only, True, "day-first"), (month_first_only, False,
                                                                               "month-first")):
                    if only.any():
                        evidence = (f" Values such as {str(examples[only].iloc[0]).split()[0]!r} read only "
                                    f"{text}: if the whole column is {text}, pass {option('dayfirst', fix)}.")
                raise rows_error(
                    column, f"holds dates that read both day-first and month-first ({first.split()[0]!r} is "
                    f"{_both_ways(a[ambiguous][0], b[ambiguous][0])})", mask, rows,
                    values=uniq.to_numpy()[np.maximum(codes, 0)], rejectable=False,
                    hint=f"wfm does not guess the order: pass {option('dayfirst', True)} (day/month/year), "
                         f"{option('dayfirst', False)} (month/day/year) or {option('date_format', '%d/%m/%Y')}."
                         + evidence)
            # every value reads one way only (or has day == month)
            order = not month_first_only.any()
        day = np.where(order, a, b)
        month = np.where(order, b, a)
        year = parts[2][numeric].to_numpy(dtype=object)
        year = np.array([y if len(y) == 4 else (f"20{y}" if int(y) < 69 else f"19{y}") for y in year])
        rest = parts[3][numeric].fillna("").to_numpy(dtype=object)
        iso = pd.Series([f"{y}-{m:02d}-{d:02d}{r}" for y, m, d, r in zip(year, month, day, rest)], dtype=object)
        got = _to_datetime(iso, format="ISO8601")
        if got.isna().any():
            got = got.where(got.notna(), _to_datetime(iso, format="mixed"))
        idx = np.flatnonzero(left)[numeric]
        out = _assign(out, idx, got)
    rest_idx = np.flatnonzero(left)[~numeric]
    if rest_idx.size:
        texts = uniq.iloc[rest_idx]
        digits = texts.str.fullmatch(r"\d+").to_numpy(dtype=bool)
        got = pd.Series(pd.NaT, index=range(rest_idx.size), dtype="datetime64[ns]")
        if (~digits).any():
            mixed = _to_datetime(texts[~digits].reset_index(drop=True), format="mixed",
                                 dayfirst=bool(dayfirst))
            _check_has_date(texts[~digits].reset_index(drop=True), mixed, rest_idx[~digits], codes, column, rows,
                            uniq)
            got = _assign(got, np.flatnonzero(~digits), mixed)
        eight = digits & (texts.str.len().to_numpy() == 8)
        if eight.any():  # 20031001: year, month, day (no other order writes a 4-digit year first)
            got = _assign(got, np.flatnonzero(eight), _to_datetime(texts[eight].reset_index(drop=True),
                                                                    format="%Y%m%d"))
        out = _assign(out, rest_idx, got)
    return out


def _check_has_date(texts, parsed, where, codes, column, rows, uniq):
    """
    No text read as a time with no date, or as a date with no year: pandas puts '8:05 PM' on today's date and
    '23/06 08:00' in the current year (pandas 2) or the year 1 (pandas 3); wfm never does.

    Only values that landed within a day of today, in the current year with
    no such year written, or on no date at all (with a digit) can be such texts; each is
    read again by dateutil with two different default dates, and a value
    whose date follows the default holds no date (or only part of one): no
    year when only the year follows it.
    """
    from dateutil import parser as _du

    wall = parsed.dt.tz_localize(None) if getattr(parsed.dt, "tz", None) is not None else parsed
    today = pd.Timestamp.now().normalize()
    near = ((wall.dt.normalize() - today).abs() <= pd.Timedelta(days=1)).to_numpy(dtype=bool, na_value=False)
    this_year = ((wall.dt.year == today.year) & ~texts.str.contains(str(today.year), regex=False)).to_numpy(
        dtype=bool, na_value=False)
    unread = wall.isna().to_numpy() & texts.str.contains(r"\d").to_numpy(dtype=bool)  # not a word ('Monday')
    candidates = near | this_year | unread
    dateless, yearless = [], []
    for i in np.flatnonzero(candidates):
        for dayfirst in (False, True):  # '23/06' reads day-first only: which order does not matter here
            with contextlib.suppress(ValueError, TypeError, OverflowError):
                one = _du.parse(texts.iloc[i], default=pd.Timestamp("1904-02-29").to_pydatetime(), dayfirst=dayfirst)
                two = _du.parse(texts.iloc[i], default=pd.Timestamp("1911-11-11").to_pydatetime(), dayfirst=dayfirst)
                if one.date() != two.date():
                    (yearless if (one.month, one.day) == (two.month, two.day) else dateless).append(where[i])
                break
    values = uniq.to_numpy()[np.maximum(codes, 0)]
    if dateless:
        raise rows_error(column, "holds times with no date (pandas would put them on today's date)",
                         np.isin(codes, dateless), rows, values=values,
                         hint="wfm never puts a time on today's date. Give each time its date ('23/06/2024 "
                              "08:05'), or give the dates in a column of their own "
                              f"({option('columns', {'date': 'YourDateColumn'})}); times of day are read as "
                              "'H:MM', 'H:MM:SS' or '8:05 PM'.")
    if yearless:
        raise rows_error(column, "holds dates with no year", np.isin(codes, yearless), rows, values=values,
                         hint="wfm never guesses the year (pandas would put them in the current year). Export the "
                              "dates with their year ('23/06/2024 08:00'), and give their format with the year "
                              f"when they are not ISO 8601, e.g. {option('date_format', '%d/%m/%Y %H:%M')}.")


def _assign(target, idx, values):
    """target[idx] = values, unifying time zones (offset-carrying text becomes UTC)."""
    target = target.copy()
    values = pd.Series(values).reset_index(drop=True)
    tz_t = getattr(target.dt, "tz", None)
    tz_v = getattr(values.dt, "tz", None)
    if (tz_t is None) != (tz_v is None):
        if tz_t is None and target.notna().sum() == 0:
            target = target.dt.tz_localize("UTC")
        elif tz_v is None and values.notna().sum() == 0:
            values = values.dt.tz_localize("UTC")
        else:
            raise ValueError("a column mixes times with and without a UTC offset; give every time the same way.")
    target = target.astype(values.dtype) if target.isna().all() else target
    target.iloc[idx] = values.to_numpy()
    return target


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


_WORD = re.compile(r"^[^\W\d_][^\d]*$")


def _leave_out_hint(column, values, bad, what):
    """
    How to leave out rows whose date or time is a word (Total, Sum, Grand total, Average): a report's summary rows.

    Only when every bad value is a word with no digit and the bad rows are
    fewer than half; else None (the column is read wrongly, not padded).
    """
    bad = np.asarray(bad, dtype=bool)
    words = list(dict.fromkeys(str(x).strip() for x in np.asarray(values, dtype=object)[bad]))
    if not words or bad.sum() * 2 >= bad.size or not all(_WORD.match(w) for w in words):
        return None
    name = column if str(column).isidentifier() else f"`{column}`"
    rule = f"{name} == {words[0]!r}" if len(words) == 1 else f"{name} in {words[:5]!r}"
    return (f"{', '.join(repr(w) for w in words[:3])} {'is a word' if len(words) == 1 else 'are words'} where "
            f"{what} belong: a total or summary row? Leave such rows out with {option('exclude', rule)}, or set "
            f"every row that breaks a rule aside with {option('on_bad_rows', 'reject')}.")


def _both_ways(a, b):
    return f"{a} {_MONTHS[b - 1]} or {b} {_MONTHS[a - 1]}"


def localize(times, tz, column, rows):
    """Naive times on the local clock of ``tz`` (or times with an offset converted to it); gaps and repeats name rows."""
    if tz is None:
        return times
    if getattr(times.dt, "tz", None) is not None:
        return times.dt.tz_convert(tz)
    out = times.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
    bad = (out.isna() & times.notna()).to_numpy()
    if not bad.any():
        return out
    from ._clock_change import fall_back, fall_back_note, repeated_hour

    start = repeated_hour(times, bad)  # an hour of intervals, then the same again, in order
    change = fall_back(start, tz) if start is not None else None
    if change is None:
        raise rows_error(column, f"holds local times that do not exist or repeat in {tz} (a clock change)", bad,
                         rows, values=times.array,
                         hint=f"Give the times with a UTC offset (2003-10-26 01:30+01:00), or in UTC with {option('tz', 'UTC')}.")
    # tz's own fall-back written on the wall clock: the first copy of the hour was on summer time, the second on
    # winter time (an export writes them in order), so both are read and no guess is left
    summer = np.zeros(bad.size, dtype=bool)
    pos = np.flatnonzero(bad)
    summer[pos[: pos.size // 2]] = True
    warnings.warn(fall_back_note(column, start, tz, *change), DataWarning, stacklevel=3)
    return times.dt.tz_localize(tz, ambiguous=summer, nonexistent="NaT")


def notes_frame(records):
    """The notes table readers attach as ``.attrs['notes']``: one row per adjustment."""
    return pd.DataFrame(records, columns=["source", "rows", "problem", "action"])
