"""
Wall-clock times of day read from text: ``"07:30"`` in a rules file, ``"8:05 PM"`` in a contact log.

One parser for one value (:func:`parse_clock`, for arguments, YAML keys and
flags) and its vectorised twin for a column of a month of contacts
(:func:`clock_seconds`). Both return seconds after midnight on the local
wall clock. :mod:`wfm.calendar` exports both.
"""

from __future__ import annotations

import datetime as _dt

import numpy as np
import pandas as pd

__all__ = ["clock_seconds", "parse_clock"]


def parse_clock(value, name, *, allow_24=False):
    """
    Seconds after midnight of a wall-clock time: the one clock parser of wfm.

    Parameters
    ----------
    value : str or datetime.time
        ``"HH:MM"`` or ``"HH:MM:SS"`` (``"7:30"`` is fine), or a time.
    name : str
        What the value is, for the error message (an argument, a YAML key, a flag).
    allow_24 : bool
        Accept ``"24:00"`` (the end of the day, 86400) as a closing time.

    Returns
    -------
    int
        Seconds after midnight on the local wall clock. [s]

    Examples
    --------
    >>> parse_clock("07:30", "open")
    27000
    >>> parse_clock("24:00", "close", allow_24=True)
    86400
    """
    if isinstance(value, _dt.time):
        return value.hour * 3600 + value.minute * 60 + value.second
    parts = value.strip().split(":") if isinstance(value, str) else []
    ok = len(parts) in (2, 3) and all(p.isdigit() for p in parts) and all(len(p) == 2 for p in parts[1:])
    if ok:
        hh, mm, ss = (int(p) for p in (parts + ["0"])[:3])
        ok = mm < 60 and ss < 60 and (hh < 24 or (allow_24 and hh == 24 and mm == 0 and ss == 0))
    if not ok:
        top = "24:00" if allow_24 else "23:59"
        raise ValueError(f"{name} must be a clock time 'HH:MM' from '00:00' to '{top}'; got {value!r}.")
    return hh * 3600 + mm * 60 + ss


def clock_seconds(texts):
    """
    Seconds after midnight of many wall-clock texts at once: the vectorised twin of :func:`parse_clock`.

    Reads ``"H:MM"``, ``"HH:MM"``, ``"H:MM:SS"`` and ``"HH:MM:SS"`` by
    character arithmetic (fast on a month of contacts), also with AM/PM
    (``"8:05 PM"``, ``"1:30 p.m."``): 12 AM is midnight, 12 PM noon, a marked
    hour outside 1-12 is NaN (``"13:00 PM"``; ``"0:05 AM"`` is 00:05). Any
    other text gives NaN, for the caller to report. Unmarked hours up to 99
    pass (the caller checks the range).

    Examples
    --------
    >>> clock_seconds(["0:10:10", "23:59:50", "8:05", "8h05"]).tolist()
    [610.0, 86390.0, 29100.0, nan]
    >>> clock_seconds(["8:00:09 AM", "1:30 pm", "12:05 AM", "12:30 PM", "13:00 PM"]).tolist()
    [28809.0, 48600.0, 300.0, 45000.0, nan]
    """
    body, marker = _split_meridiem(texts)
    return _apply_meridiem(_clock_seconds_24(body), marker)


_MERIDIEM = r"^(.*?)\s*([AaPp])\.?\s*[Mm]\.?$"


def _split_meridiem(texts):
    """Texts without a trailing AM/PM marker, and the marker of each: 0 none, 1 AM, 2 PM."""
    text = np.char.strip(np.asarray(texts, dtype=str))
    marker = np.zeros(text.shape, dtype=np.int8)
    if text.size and (np.char.find(np.char.upper(text), "M") >= 0).any():
        parts = pd.Series(text, dtype=object).str.extract(_MERIDIEM)
        found = parts[0].notna().to_numpy()
        text = np.where(found, parts[0].fillna("").to_numpy(dtype=str), text)
        marker[found] = np.where(parts[1][found].str.upper().to_numpy() == "A", 1, 2)
    return text, marker


def _apply_meridiem(seconds, marker):
    """Seconds on a 24-hour clock of times read on a 12-hour one; a marked hour outside 1-12 is NaN (0 AM is 0)."""
    seconds, am, pm = np.asarray(seconds, dtype=float), marker == 1, marker == 2
    hour = np.floor(seconds / 3600)
    bad = (am & ~((hour >= 0) & (hour <= 12))) | (pm & ~((hour >= 1) & (hour <= 12)))
    shift = np.where(am & (hour == 12), -12.0, np.where(pm & (hour < 12), 12.0, 0.0)) * 3600
    return np.where(bad, np.nan, seconds + shift)


def _clock_seconds_24(texts):
    """:func:`clock_seconds` of texts with no AM/PM marker."""
    text = np.asarray(texts, dtype="U12")
    if text.size == 0:
        return np.zeros(0)
    short = np.char.count(text, ":") == 1
    text = np.where(short, np.char.add(text, ":00"), text)
    padded = np.char.rjust(text, 8)
    ok = np.char.str_len(text) <= 8
    c = np.ascontiguousarray(padded.astype("U8")).view(np.uint32).reshape(-1, 8).astype(np.int64) - 48
    digit = (c >= 0) & (c <= 9)
    colon = ord(":") - 48
    ok &= (c[:, 2] == colon) & (c[:, 5] == colon) & digit[:, [1, 3, 4, 6, 7]].all(axis=1)
    ok &= digit[:, 0] | (c[:, 0] == ord(" ") - 48)
    hours = np.where(digit[:, 0], c[:, 0], 0) * 10 + c[:, 1]
    minutes = c[:, 3] * 10 + c[:, 4]
    seconds = c[:, 6] * 10 + c[:, 7]
    ok &= (minutes < 60) & (seconds < 60)
    return np.where(ok, hours * 3600.0 + minutes * 60.0 + seconds, np.nan)
