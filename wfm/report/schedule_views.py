"""
Views of a schedule for people: shifts with times and breaks per day, weekly patterns, a coverage heat table, a Gantt.

Each function reads a :class:`~wfm.schedule.SchedulePlan` (``shifts``,
``coverage``, ``patterns``; one week or several, with a ``week`` column) and
reshapes it for display; none computes a new figure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._results import date_axis

__all__ = ["shift_table", "shift_table_units", "pattern_table", "coverage_heat", "plot_gantt", "day_label"]


def day_label(day):
    """A day as a column label: ``Mon 27 Oct``."""
    return pd.Timestamp(day).strftime("%a %d %b")


def _clock(stamp, day):
    """Time of day of ``stamp``, ``+1d`` when it falls after ``day`` (a night shift)."""
    stamp = pd.Timestamp(stamp)
    extra = (stamp.normalize() - pd.Timestamp(day).normalize()).days
    return f"{stamp:%H:%M}" + (f" +{extra}d" if extra else "")


def breaks_text(breaks, day=None):
    """
    A shift's breaks as text: ``12:00-12:30 unpaid; 15:00-15:15 paid`` (``+1d`` past ``day``, a night shift).

    Examples
    --------
    >>> breaks_text([(pd.Timestamp("2024-01-01 12:00"), pd.Timestamp("2024-01-01 12:30"), False)])
    '12:00-12:30 unpaid'
    """
    if isinstance(breaks, str):
        return breaks
    if not isinstance(breaks, (list, tuple)) or not breaks:
        return ""
    parts = []
    for b in breaks:
        paid = "" if len(b) < 3 else (" paid" if b[2] else " unpaid")
        first = pd.Timestamp(b[0]) if day is None else day
        parts.append(f"{_clock(b[0], first)}-{_clock(b[1], first)}{paid}")
    return "; ".join(parts)


def shift_table(schedule, *, max_days=14):
    """
    The shifts of a schedule as people plan them: one row per shift (template, start, end, breaks), agents per day.

    Parameters
    ----------
    schedule : SchedulePlan
    max_days : int
        Days shown as columns (the first ones of the horizon).

    Returns
    -------
    DataFrame
        Columns ``shift``, ``contract``, ``start``, ``end`` (times of day,
        ``+1d`` past midnight), ``paid_hours`` [h], ``breaks`` (times of
        day), then one column per day (``Mon 27 Oct``) with the agents
        starting that shift that day (0 where none), and ``agent_days``
        over the days shown. Sorted by start time and shift.
    """
    sh = schedule.shifts
    if not len(sh):
        return pd.DataFrame(columns=["shift", "contract", "start", "end", "paid_hours", "breaks", "agent_days"])
    days = sorted(pd.unique(sh["day"]))[:max_days]
    sh = sh[sh["day"].isin(days)]
    rows = pd.DataFrame({
        "shift": sh["name"].to_numpy(), "contract": sh["contract"].to_numpy(),
        "start": [_clock(s, d) for s, d in zip(sh["start"], sh["day"])],
        "end": [_clock(e, d) for e, d in zip(sh["end"], sh["day"])],
        "paid_hours": sh["paid_hours"].to_numpy(dtype=float),
        "breaks": [breaks_text(b, d) for b, d in zip(sh["breaks"], sh["day"])],
        "day": [day_label(d) for d in sh["day"]], "agents": sh["agents"].to_numpy(dtype=int)})
    keys = ["start", "shift", "contract", "end", "paid_hours", "breaks"]
    wide = rows.pivot_table(index=keys, columns="day", values="agents", aggfunc="sum", fill_value=0, sort=False)
    wide = wide.reindex(columns=[day_label(d) for d in days], fill_value=0).astype(int)
    wide["agent_days"] = wide.sum(axis=1)
    wide = wide.sort_index(level=["start", "shift", "breaks"]).reset_index()
    wide.columns.name = None
    return wide[["shift", "contract", "start", "end", "paid_hours", "breaks"]
                + [day_label(d) for d in days] + ["agent_days"]]


def pattern_table(schedule):
    """The weekly patterns (working days, days off) per contract and the agents on each; ``week`` when several."""
    pat = schedule.patterns.copy()
    if "week" in pat and pat["week"].nunique() <= 1:
        pat = pat.drop(columns="week")
    elif "week" in pat:
        pat["week"] = [f"{pd.Timestamp(w):%Y-%m-%d}" for w in pat["week"]]
    return pat.reset_index(drop=True)


def coverage_heat(schedule, *, max_days=14):
    """
    Required against scheduled agents, intervals x days, for a heat table.

    Returns
    -------
    text, value : DataFrame
        Indexed by time of day (``HH:MM``), one column per open day
        (``Mon 27 Oct``): ``text`` is "required / scheduled", ``value`` is
        scheduled minus required [agents] (negative where short). Closed
        intervals are left out.
    """
    cov = schedule.coverage
    if "open" in cov:
        cov = cov[cov["open"].astype(bool)]
    idx = pd.DatetimeIndex(cov.index)
    days = sorted(pd.unique(idx.normalize()))[:max_days]
    keep = idx.normalize().isin(days)
    cov, idx = cov[keep], idx[keep]
    frame = pd.DataFrame({"time": idx.strftime("%H:%M"), "day": [day_label(d) for d in idx.normalize()],
                          "required": cov["required"].to_numpy(), "scheduled": cov["scheduled"].to_numpy()})
    cols = [day_label(d) for d in days]
    req = frame.pivot(index="time", columns="day", values="required").reindex(columns=cols).sort_index()
    sch = frame.pivot(index="time", columns="day", values="scheduled").reindex(columns=cols).sort_index()
    text = pd.DataFrame(np.where(req.isna(), "", req.fillna(0).astype(int).astype(str) + " / "
                                 + sch.fillna(0).astype(int).astype(str)), index=req.index, columns=cols)
    value = sch - req
    for f in (text, value):
        f.index.name, f.columns.name = "time", None
    return text, value


def plot_gantt(schedule, ax=None, *, max_days=7, **kwargs):
    """
    The shifts as a Gantt chart grouped by start time: one row per start time and shift, a bar per day.

    Each bar spans the shift on its day and is labelled with its agents; a
    row gathers every agent starting that shift at that time, so the chart
    has as many rows as distinct starts, not one per agent. Unpaid breaks
    are not drawn (they differ between agents of a row; see
    :func:`shift_table`). The first ``max_days`` days are shown.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    sh = schedule.shifts
    days = sorted(pd.unique(sh["day"]))[:max_days]
    sh = sh[sh["day"].isin(days)]
    sh = sh.assign(start_clock=[f"{pd.Timestamp(s):%H:%M}" for s in sh["start"]])
    groups = sh.groupby(["start_clock", "name", "day"], sort=True).agg(
        agents=("agents", "sum"), start=("start", "first"), end=("end", "first"),
        contract=("contract", "first")).reset_index()
    rows = list(dict.fromkeys(zip(groups["start_clock"], groups["name"])))
    if ax is None:
        _, ax = plt.subplots(figsize=(12, 0.28 * len(rows) + 1.6))
    contracts = list(dict.fromkeys(groups["contract"]))
    colours = {c: f"C{i}" for i, c in enumerate(contracts)}
    pos = {r: i for i, r in enumerate(rows)}
    for g in groups.itertuples():
        y = pos[(g.start_clock, g.name)]
        start, end = mdates.date2num(pd.Timestamp(g.start)), mdates.date2num(pd.Timestamp(g.end))
        ax.barh(y, end - start, left=start, height=0.75, color=colours[g.contract], alpha=0.85, **kwargs)
        ax.text((start + end) / 2, y, f"{g.agents}", ha="center", va="center", fontsize="x-small", color="white")
    ax.set_yticks(range(len(rows)), [f"{s} {n}" for s, n in rows], fontsize="small")
    ax.invert_yaxis()
    date_axis(ax.xaxis)
    from matplotlib.patches import Patch

    if len(groups):
        ax.set_xlim(mdates.date2num(groups["start"].min()) - 0.05, mdates.date2num(groups["end"].max()) + 0.05)
    ax.legend(handles=[Patch(color=colours[c], label=c) for c in contracts], loc="upper left", bbox_to_anchor=(1, 1),
              fontsize="small")
    ax.set_xlabel("shift spans by day; bar labels: agents starting it")
    ax.set_title("Shifts by start time (rows: start and shift)")
    ax.grid(axis="x", alpha=0.3)
    return ax


def shift_table_units(table):
    """
    The unit of each numeric column of :func:`shift_table`: ``paid_hours`` in hours, every day column and
    ``agent_days`` in agents (whole numbers).
    """
    fixed = {"shift", "contract", "start", "end", "breaks"}
    return {c: "h" if c == "paid_hours" else "count" for c in table.columns if c not in fixed}
