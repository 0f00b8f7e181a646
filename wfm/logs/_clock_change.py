"""
The hour a report repeats when summer time ends and it is exported on the wall clock without UTC offsets: told
apart from a repeated interval (two queues, a re-export), with the fixes that keep every call.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._validation import option

__all__ = ["repeated_hour", "fall_back", "fall_back_note", "looks_like_fall_back"]

_HOUR = pd.Timedelta(hours=1)


def repeated_hour(wall, mask):
    """
    The first interval start of the one hour that the rows of ``mask`` repeat, or None.

    The rows of ``mask`` must be one block of the table: an hour of intervals on the report's grid (the median step
    between its rows; they fill exactly one hour), then the same intervals again in the same order, as a wall-clock
    export writes the hour that the clock goes back over. ``wall`` are the naive wall-clock times of the rows.
    """
    pos = np.flatnonzero(np.asarray(mask, dtype=bool))
    k = pos.size // 2
    if k == 0 or pos.size % 2 or pos[-1] - pos[0] + 1 != pos.size:
        return None
    wall = pd.DatetimeIndex(wall)
    first, second = wall[pos[:k]], wall[pos[k:]]
    if not (first == second).all():
        return None
    every = np.diff(wall.asi8)
    grid = np.median(every[every > 0]) if (every > 0).any() else 0  # the report's interval length
    if (np.diff(first.asi8) != grid).any() or pd.Timedelta(int(grid) * k, "ns") != _HOUR:
        return None
    return first[0]


def _when(start):
    return f"the hour {start:%H:%M}-{start + _HOUR:%H:%M} of {start:%a %Y-%m-%d}"


def _sum_fix(start):
    return (f"for planning, sum the two copies of each interval of that hour into one row ({start:%H:%M} then holds "
            "the calls of both, and the day all of its calls)")


def looks_like_fall_back(start):
    """(problem, hint) of the error for a repeated hour with no time zone given: a clock change, and how to read it.
    The reader raises it with its rows (``rows_error``), as for any other repeat."""
    return (f"repeats {_when(start)} (each interval twice, in order)",
            "This looks like a clock change: summer time ending, on a wall clock written without UTC offsets. Pass "
            f"the centre's time zone (e.g. {option('tz', 'Europe/London')}): when the hour is that zone's change, wfm "
            f"reads the first copy on summer time and the second on winter time; or {_sum_fix(start)}, or give the "
            "times with their UTC offsets.")


def fall_back(start, tz):
    """
    (summer, winter): the first wall-clock interval ``start`` of the hour ``tz`` repeats at its fall-back, as the
    instant of its first copy and of its second; None when ``start`` is not in an hour that ``tz`` repeats.
    """
    try:
        summer, winter = (pd.Timestamp(start).tz_localize(tz, ambiguous=flag) for flag in (True, False))
        last = pd.Timestamp(start + _HOUR - pd.Timedelta(1, "ns")).tz_localize(tz, ambiguous=True)
    except (ValueError, TypeError):  # pytz's AmbiguousTimeError is a ValueError
        return None
    if summer == winter or last.utcoffset() != summer.utcoffset():
        return None
    return summer, winter


def fall_back_note(column, start, tz, summer, winter):
    """The warning of a reader that read both copies of the repeated hour (first on summer time, then winter)."""
    def offset(t):
        minutes = int(t.utcoffset().total_seconds() // 60)
        return f"UTC{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"

    return (f"{column}: {_when(start)} is there twice, each interval in order, as {tz}'s clocks went back that night: "
            f"the first copy is read at {offset(summer)} ({summer.tzname()}), the second at {offset(winter)} "
            f"({winter.tzname()}); the day has 25 hours and every call is kept.")
