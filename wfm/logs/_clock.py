r"""
The time columns of a contact log: times of day put on their date, calls crossing midnight, clock skew, and
placeholder times.

Midnight or skew
----------------
A log that gives a date and times of day (``q_start`` 23:59:50,
``ser_start`` 0:00:05) cannot say on which day a later time falls. A time
of day earlier than the arrival's by more than the skew tolerance is read
on the next day only when that makes it at most :data:`MAX_CROSSING` (4 h)
after the arrival: the arrival is late in the evening, the time early in
the morning, and the wait (or the call) a plausible length. Anything else
earlier than the arrival (an answer 16 s before it with a tolerance of
3 s, which the next day would make a wait of 86,384 s) is an error naming
the rows. By the same rule, a time of day later than the arrival's by more
than 20 h (a day less :data:`MAX_CROSSING`: arrival 0:00:01, answer
23:59:59) is on the previous day, before the arrival: clock skew within the
tolerance (taken as equal to the arrival), else an error.

Placeholder times
-----------------
Some ACDs write 0:00:00 for "no time". A time column whose values sit on
exactly 00:00:00 more often than chance warns, naming the rows and the
``na_values`` that reads them as missing. Chance is judged against the
column's own values near midnight: with :math:`m` values in the hour around
midnight (00:00:00 itself left out) at a resolution of :math:`r` seconds (1,
or 60 when no value has seconds), the count at 00:00:00 is taken as Poisson
with mean :math:`(m + 1) r / 3600`, and a count whose upper tail probability
is under 0.001 warns. A centre closed at night has no value near midnight,
so a single arrival at 00:00:00 warns; a 24/7 centre needs many.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats

from . import _parse as lp
from ._rows import text_of

__all__ = ["contact_times", "check_order", "MAX_CROSSING", "midnight_placeholders"]

#: Longest time after the arrival a time of day earlier than the arrival's is read as (on the next day).
MAX_CROSSING = pd.Timedelta(hours=4)
#: Tail probability under which a count of values at 00:00:00 warns as placeholders.
PLACEHOLDER_P = 1e-3

_ROLL = ("answer", "abandon", "end")
_AFTER_ARRIVAL = ("answer", "abandon", "end", "first_response", "resolved")


def midnight_placeholders(seconds):
    """
    Which values of a time column are placeholders at 00:00:00 (the rule of the module docstring).

    Parameters
    ----------
    seconds : ndarray
        Seconds after midnight of each value (NaN where missing).

    Returns
    -------
    ndarray of bool or None
        True at the values on exactly 00:00:00 when they are more than
        chance; the string ``"all"`` when every value is at 00:00:00 (dates
        only).

    Examples
    --------
    A centre open 08:00-18:00: one value at 00:00:00 among 500 is no time
    of day it could have:

    >>> secs = np.r_[np.linspace(8 * 3600, 18 * 3600, 499).round(), 0.0]
    >>> int(midnight_placeholders(secs).sum())
    1
    >>> midnight_placeholders(secs[:-1]) is None
    True
    """
    secs = np.asarray(seconds, dtype=float)
    ok = ~np.isnan(secs)
    at = ok & (secs == 0)
    k = int(at.sum())
    if k == 0:
        return None
    if k == int(ok.sum()):
        return "all"
    resolution = 1.0 if np.any(np.mod(secs[ok], 60) != 0) else 60.0
    near = ok & ~at & ((secs <= 1800) | (secs >= 86400 - 1800))
    mean = (int(near.sum()) + 1) * resolution / 3600
    return at if stats.poisson.sf(k - 1, mean) < PLACEHOLDER_P else None


def _seconds_of_day(times):
    wall = times.dt.tz_localize(None) if times.dt.tz is not None else times
    return (wall - wall.dt.normalize()).dt.total_seconds().to_numpy(dtype=float)


def _warn_placeholders(name, shown, seconds, raw, rows):
    """Warn about 00:00:00 placeholders in one time column; returns (the rows' mask, the value as written) or None."""
    found = midnight_placeholders(seconds)
    if found is None:
        return None
    if isinstance(found, str):
        if name == "arrival":
            warnings.warn(f"column {shown!r} holds dates only: every value is at 00:00:00, so every contact is "
                          "read as arriving at midnight. Give the arrival's time of day too (a timestamp column, "
                          f"or a date column and a time column: {lp.option('columns', {'date': 'Date'})}).",
                          lp.PlausibilityWarning, stacklevel=5)
        return None
    value = text_of(raw.to_numpy()[found][:1])[0]
    source = getattr(shown, "source", "") or str(shown)
    fix = f"Read it as missing with {lp.option('na_values', {source: value})}"
    if name == "arrival":
        fix += (f" and set those rows aside with {lp.option('on_bad_rows', 'reject')}, or take the time from "
                f"another column with {lp.option('fallback', {source: 'OtherColumn'})}")
    err = lp.rows_error(shown, "holds times at exactly 00:00:00 far more often than chance for this column",
                        found, rows, values=raw.to_numpy(),
                        hint=f"A placeholder for 'no time'? {fix}.")
    warnings.warn(str(err), lp.PlausibilityWarning, stacklevel=5)
    return found, value


def contact_times(frame, names, shown_of, rows, dayfirst, date_format, tz, skew, notes):
    """
    Parse the time columns ``names`` of a contact log (pairing times of day with the date), roll calls over midnight
    by the rule of the module docstring, absorb clock skew, warn about placeholder times.

    Returns the dict column -> Series of timestamps, the dict column -> (mask, value) of suspected placeholders
    and the columns that were times of day; ``frame``'s time columns are replaced by the timestamps.
    """
    dates = None
    paired, out, suspects = [], {}, {}
    for name in names:
        shown = shown_of(name)
        raw = frame[name]
        if lp.looks_like_clock(raw):
            if dates is None:
                if "date" not in frame.columns:
                    raise ValueError(f"column {shown!r} holds times of day ({raw.dropna().iloc[0]!r}) and "
                                     f"contacts has no date column to put them on; map it with "
                                     f"{lp.option('columns', {'date': 'YourDateColumn'})}. Times of day are never "
                                     "put on today's date.")
                dates = lp.parse_datetimes(frame["date"], shown_of("date"), rows, dayfirst=dayfirst,
                                           date_format=date_format, required=True, what="dates", leave_out=True)
                clock = dates != dates.dt.normalize()
                if clock.any():
                    raise lp.rows_error(shown_of("date"), "must hold dates only; got a time of day",
                                        clock.to_numpy(), rows, values=dates.array)
            seconds = lp.parse_clock_seconds(raw, shown, rows, leave_out=True)
            out[name] = dates + pd.to_timedelta(seconds, unit="s")
            paired.append(name)
        else:
            out[name] = lp.parse_datetimes(raw, shown, rows, dayfirst=dayfirst, date_format=date_format,
                                           required=False, what="timestamps", kind=TypeError, tz=tz,
                                           leave_out=True)
            seconds = None
        if name in _AFTER_ARRIVAL or name == "arrival":
            secs = seconds if seconds is not None else _seconds_of_day(out[name])
            found = _warn_placeholders(name, shown, secs, raw.reset_index(drop=True), rows)
            if found is not None:
                suspects[name] = found
        out[name] = lp.localize(out[name], tz, shown, rows).reset_index(drop=True)
    if "arrival" not in out:
        raise ValueError("contacts needs an arrival time.")
    blank = out["arrival"].isna().to_numpy()
    if blank.any():
        raise lp.rows_error(shown_of("arrival"), "must hold a timestamp in every row; got none", blank, rows,
                            hint=f"Drop or filter those rows first ({lp.option('filters', {'queue': ['...']})}), "
                                 f"map their outcome to 'other', take the time from another column "
                                 f"({lp.option('fallback', {'arrival': 'OtherColumn'})}), or set them aside "
                                 f"({lp.option('on_bad_rows', 'reject')}).")
    lp.check_same_zone(out, "contacts")
    _midnight_and_skew(out, paired, skew, notes)
    for name, values in out.items():
        frame[name] = values.to_numpy() if values.dt.tz is None else values.array
    if "date" in frame.columns and paired:
        del frame["date"]
    return out, suspects, paired


def _midnight_and_skew(out, paired, skew, notes):
    """Roll times of day over midnight (within MAX_CROSSING), then move times within ``skew`` to what they follow."""
    arrival = out["arrival"]
    tol = pd.Timedelta(seconds=skew)
    day = pd.Timedelta(days=1)
    touched = np.zeros(len(arrival), dtype=bool)
    if "arrival" in paired:
        for name in _ROLL:
            if name not in paired:
                continue
            t = out[name]
            early = (t < arrival - tol).to_numpy(dtype=bool, na_value=False)
            cross = early & ((t + day - arrival) <= MAX_CROSSING).to_numpy(dtype=bool, na_value=False)
            # later than the arrival by more than a day less MAX_CROSSING: on the previous day, before the arrival
            back = ((t - arrival) > day - MAX_CROSSING).to_numpy(dtype=bool, na_value=False)
            if cross.any():
                t = t.where(~cross, t + day)
                notes.append(("contacts", int(cross.sum()), f"crossed midnight ({name!r} is a time of day "
                              "earlier than the arrival's, and within "
                              f"{MAX_CROSSING.total_seconds() / 3600:g} h of it on the next day)",
                              "taken on the next day"))
            if back.any():
                t = t.where(~back, t - day)
            out[name] = t
    for name in _AFTER_ARRIVAL:
        if name in out:
            early = ((out[name] < arrival) & (out[name] >= arrival - tol)).to_numpy(dtype=bool, na_value=False)
            if early.any():
                out[name] = out[name].where(~early, arrival)
                touched |= early
    if "end" in out and "answer" in out:
        early = ((out["end"] < out["answer"]) & (out["end"] >= out["answer"] - tol)).to_numpy(dtype=bool,
                                                                                           na_value=False)
        if early.any():
            out["end"] = out["end"].where(~early, out["answer"])
            touched |= early
    if touched.any():
        notes.append(("contacts", int(touched.sum()), f"had a time up to {skew:g} s before the one it follows "
                      "(clock skew between systems)", "moved to the time it follows"))


def check_order(out, suspects, shown_of, rows, skew, paired=()):
    """No time before the one it follows (beyond the skew tolerance): an error naming the rows, with the likely fix."""
    pairs = [(name, "arrival") for name in _AFTER_ARRIVAL if name in out]
    if "end" in out and "answer" in out:
        pairs.append(("end", "answer"))
    for later, earlier in pairs:
        bad = (out[later] < out[earlier]).to_numpy(dtype=bool, na_value=False)
        if not bad.any():
            continue
        gap = (out[earlier] - out[later]).dt.total_seconds().to_numpy()
        placeholder, value = suspects.get(later, (np.zeros(len(bad), dtype=bool), None))
        if (bad & placeholder).sum() * 2 >= bad.sum():
            source = getattr(shown_of(later), "source", "") or later
            hint = (f"Most of them hold 00:00:00: a placeholder for 'no time'? Read it as missing with "
                    f"{lp.option('na_values', {source: value})}.")
        else:
            worst = float(np.nanmax(gap[bad]))
            hint = (f"A contact cannot be answered, end or get a response before it arrives; the earliest is "
                    f"{worst:,.0f} s before. Times up to {skew:g} s early are taken as clock skew")
            if worst <= 120:
                hint += (f"; if the systems' clocks differ by that much, pass "
                         f"{lp.option('skew', int(np.ceil(worst)))}")
            if later in paired and earlier == "arrival":
                hint += (f"; a time of day earlier than the arrival's is read on the next day only when that puts "
                         f"it at most {MAX_CROSSING.total_seconds() / 3600:g} h after the arrival (a call crossing "
                         "midnight)")
            hint += f". Or set such rows aside with {lp.option('on_bad_rows', 'reject')}."
        lp.check_not_before(out[later], out[earlier], shown_of(later), earlier, rows, hint=hint)
