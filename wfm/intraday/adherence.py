"""
Adherence in the day: the schedule as activity rows up to ``now``, for :func:`wfm.evaluate.adherence`.

:func:`wfm.adherence` compares a schedule of activities with an agent-state
log. On a partial day the state log stops at ``now`` while the schedule runs
on, and the scheduled time after ``now`` would count as not worked;
:func:`activities_until` cuts the schedule at ``now`` (and turns shifts with
breaks into the ``work``/``break``/``lunch`` rows the evaluator reads), so
``wfm.adherence(activities_until(schedule, now), states)`` scores the day so
far, and its ``events`` that end at ``now`` are the agents out of adherence
now (:func:`out_of_adherence_now`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _validation as v
from ._checks import check_now
from ._replan_table import agent_rows


def activities_until(schedule, now):
    """
    The day's schedule as activity rows (``agent``, ``activity``, ``start``, ``end``), cut at ``now``.

    Parameters
    ----------
    schedule : DataFrame
        One row per agent and shift (``agent``, ``name``, ``start``,
        ``end``, ``breaks`` as ``(start, end, paid)``), e.g.
        :attr:`wfm.intraday.Replan.schedule`, or a shift table with an
        ``agents`` count.
    now : timestamp
        Rows are cut at it; activities starting at or after it are left out.
        A full timestamp on the schedule's day (from its midnight to its
        last shift's end); a time of day alone (``"12:05"``, which pandas
        reads as today's date) or another day is refused, as is a time zone
        the schedule's times lack (or the other way round).

    Returns
    -------
    DataFrame
        ``work`` between breaks, ``break`` for paid breaks and ``lunch`` for
        unpaid ones, sorted by agent and start.

    Examples
    --------
    >>> t = lambda hm: pd.Timestamp(f"2024-01-01 {hm}")
    >>> shifts = pd.DataFrame({"agent": ["ann"], "name": ["FT8"], "start": [t("08:00")], "end": [t("16:00")],
    ...                        "breaks": [[(t("10:00"), t("10:15"), True), (t("12:00"), t("12:30"), False)]]})
    >>> activities_until(shifts, t("11:00"))[["activity", "start", "end"]]
      activity               start                 end
    0     work 2024-01-01 08:00:00 2024-01-01 10:00:00
    1    break 2024-01-01 10:00:00 2024-01-01 10:15:00
    2     work 2024-01-01 10:15:00 2024-01-01 11:00:00
    """
    frame = getattr(schedule, "shifts", schedule)
    v.check_frame_columns(frame, "schedule", ["start", "end", "name"],
                          hint="One row per agent (or per shift with an 'agents' count) and its template name.")
    starts = pd.DatetimeIndex(v.check_timestamps(frame["start"], "schedule['start']"))
    if not len(starts):
        raise ValueError("schedule has no shifts: give the day's shifts, one row per agent (or per shift).")
    day = starts[0].normalize()
    now = check_now(now, starts, "schedule")
    rows = agent_rows(schedule, day, caller="activities_until",
                      day_is=f"its first shift's day is {day:%Y-%m-%d}")
    _check_on_day(now, day, rows["end"].max(), "activities_until", "the schedule")
    out = []
    for r in rows.itertuples(index=False):
        at = r.start
        for b0, b1, paid in r.breaks:
            out.append((r.agent, "work", at, b0))
            out.append((r.agent, "break" if paid else "lunch", b0, b1))
            at = b1
        out.append((r.agent, "work", at, r.end))
    table = pd.DataFrame(out, columns=["agent", "activity", "start", "end"])
    table = table[(table["start"] < now) & (table["end"] > table["start"])].copy()
    table["end"] = table["end"].where(table["end"] <= now, now)
    return table.sort_values(["agent", "start"], kind="stable").reset_index(drop=True)


def _check_on_day(now, day, last_end, caller, what):
    """``now`` between ``day``'s midnight and ``last_end`` (the day's last shift end, or the day's end if earlier)."""
    last = max(pd.Timestamp(last_end), day + pd.Timedelta(days=1))
    if day <= now <= last:
        return
    bare = now.normalize() == pd.Timestamp.now(tz=now.tz).normalize()
    raise ValueError(f"{caller}: now ({now:%Y-%m-%d %H:%M}) is not on the day of {what}, {day:%a %Y-%m-%d}"
                     + (" (a time of day alone is read as today's date)" if bare else "")
                     + f". Give a full timestamp, e.g. now=pd.Timestamp('{day:%Y-%m-%d} {now:%H:%M}').")


def out_of_adherence_now(events, now):
    """
    The agents out of adherence at ``now``: the events of :func:`wfm.adherence` still open then.

    Parameters
    ----------
    events : DataFrame
        ``Adherence.events`` of ``wfm.adherence(activities_until(schedule, now), states)``.
    now : timestamp

    Returns
    -------
    DataFrame
        One row per agent: ``agent``, ``since`` (when the current lapse
        began), ``seconds`` (how long so far) [s], ``scheduled`` and
        ``actual`` (the activities that differ).
    """
    v.check_frame_columns(events, "events", ["agent", "start", "duration", "scheduled", "actual"])
    starts = pd.DatetimeIndex(v.check_timestamps(events["start"], "events['start']"))
    now = check_now(now, starts, "events")
    end = events["start"] + pd.to_timedelta(events["duration"], unit="s")
    if len(events):
        _check_on_day(now, starts.min().normalize(), pd.Timestamp(end.max()), "out_of_adherence_now", "the events")
    open_ = events[np.asarray(end >= now)]
    return pd.DataFrame({"agent": open_["agent"].to_numpy(), "since": open_["start"].to_numpy(),
                         "seconds": open_["duration"].to_numpy(dtype=float),
                         "scheduled": open_["scheduled"].to_numpy(), "actual": open_["actual"].to_numpy()})
