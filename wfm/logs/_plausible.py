"""
Values a reader accepts but that look wrong: waits of hours, an ASA of hours, abandons that never queued,
history dated in the future. Each is a :class:`~wfm.logs.PlausibilityWarning` naming the rows (or intervals)
and saying how to check or exclude them; nothing is changed.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .. import _validation as v
from . import _parse as lp

__all__ = ["MAX_WAIT", "MAX_ASA", "ZERO_WAIT_SHARE", "warn_long_waits", "zero_wait_abandons", "warn_future",
           "warn_asa"]

#: A live contact's wait above this is implausible (a placeholder time, a wrong date, a queue left open). [s]
MAX_WAIT = 2 * 3600.0
#: An interval's ASA above this is implausible. [s]
MAX_ASA = 3600.0
#: Share of abandons with a wait of 0 s above which they are reported (exponential patience of a plausible mean
#: puts well under 1% of abandons below half a second).
ZERO_WAIT_SHARE = 0.05


def warn_long_waits(wait, live, rows, *, stacklevel=4):
    """Warn when live contacts waited over :data:`MAX_WAIT`, naming the rows."""
    long = live & (np.nan_to_num(wait, nan=0.0) > MAX_WAIT)
    if long.any():
        err = lp.rows_error("wait", f"is over {MAX_WAIT / 3600:g} h for live contacts (calls, chats)", long, rows,
                            values=wait, hint="A wait of hours is usually a misread time (a placeholder such as "
                                              "0:00:00, a wrong date, a time on the next day): check those rows.")
        warnings.warn(f"implausible waits: {err}", lp.PlausibilityWarning, stacklevel=stacklevel)


def zero_wait_abandons(wait, abandoned, rows, policy, notes, *, stacklevel=4, warn=True):
    """
    Abandons with a wait of 0 s: callers who hung up before queueing (in the IVR). Returns the rows to keep.

    With ``policy="keep"`` they stay and, when they are at least
    :data:`ZERO_WAIT_SHARE` of the abandons (and 3 or more), a warning
    gives the count, what they do to the patience estimate (abandons over
    the total wait, :func:`wfm.logs.patience_estimate`) and the option that
    leaves them out; with ``"drop"`` they are left out and counted in the
    notes.
    """
    v.check_choice(policy, "zero_wait_abandons", ("keep", "drop"))
    zero = abandoned & (wait == 0)
    k, d = int(zero.sum()), int(abandoned.sum())
    if policy == "drop":
        if k:
            notes.append(("contacts", k, "abandoned after a wait of 0 s (hung up before queueing)", "left out"))
        return ~zero
    if warn and k >= 3 and k >= ZERO_WAIT_SHARE * d:
        total = float(np.nansum(wait))
        with_them = total / d
        without = total / (d - k) if d > k else np.inf
        err = lp.rows_error("wait", "is 0 s for abandoned contacts", zero, rows, hint="")
        where = str(err).split(" in ", 1)[1].rstrip(".")
        warnings.warn(f"{k:,} of {d:,} abandons ({k / d:.0%}) waited 0 s ({where}): callers who hung up before "
                      f"they queued (in the IVR)? They count as abandons that waited nothing, so they pull the "
                      f"callers' patience down: {with_them:,.0f} s with them, {without:,.0f} s without. Leave them "
                      f"out with {lp.option('zero_wait_abandons', 'drop')}.", lp.PlausibilityWarning,
                      stacklevel=stacklevel)
    return np.ones(len(wait), dtype=bool)


def warn_future(times, column, rows, *, what="rows", stacklevel=4):
    """Warn when ``times`` (timestamps of history) are after now, naming the rows."""
    times = pd.DatetimeIndex(times)
    now = pd.Timestamp.now(tz=times.tz) if times.tz is not None else pd.Timestamp.now()
    late = np.asarray(times > now)
    if late.any():
        err = lp.rows_error(column, f"is dated after now ({now:%Y-%m-%d %H:%M})", late, rows,
                            values=times,
                            hint="History cannot be in the future: check the year, the day/month order "
                                 f"({lp.option('dayfirst', True)} or {lp.option('dayfirst', False)}) and the "
                                 "time zone.")
        warnings.warn(str(err).replace(" rows: rows ", f" {what}: {what} "), lp.PlausibilityWarning,
                      stacklevel=stacklevel)


def warn_asa(asa, index, *, stacklevel=4):
    """Warn when an interval's ASA is over :data:`MAX_ASA`, naming the intervals."""
    asa = np.asarray(asa, dtype=float)
    bad = np.nan_to_num(asa, nan=0.0) > MAX_ASA
    if bad.any():
        warnings.warn(f"asa (mean wait of the answered) is over {MAX_ASA / 3600:g} h"
                      f"{v.describe_positions(bad, index)} (values {', '.join(f'{x:,.0f}' for x in asa[bad][:3])} s"
                      f"{', ...' if bad.sum() > 3 else ''}): an ASA of hours is usually a misread time (a "
                      "placeholder, a wrong date). Check the contacts of those intervals.",
                      lp.PlausibilityWarning, stacklevel=stacklevel)
