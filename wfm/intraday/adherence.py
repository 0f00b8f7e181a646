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
    now = pd.Timestamp(now)
    frame = getattr(schedule, "shifts", schedule)
    day = pd.Timestamp(v.check_timestamps(frame["start"], "schedule['start']")[0]).normalize()
    rows = agent_rows(schedule, day)
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
    now = pd.Timestamp(now)
    end = events["start"] + pd.to_timedelta(events["duration"], unit="s")
    open_ = events[np.asarray(end >= now)]
    return pd.DataFrame({"agent": open_["agent"].to_numpy(), "since": open_["start"].to_numpy(),
                         "seconds": open_["duration"].to_numpy(dtype=float),
                         "scheduled": open_["scheduled"].to_numpy(), "actual": open_["actual"].to_numpy()})
