"""
The results object of weekly (and multi-week) schedule sizing: :class:`SchedulePlan`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import _validation as v
from .._results import TIME_LABEL, Result, date_axis, figures_frame, plain

__all__ = ["SchedulePlan"]


#: Display labels of :meth:`SchedulePlan.summary`, by key of :meth:`SchedulePlan.figures`.
_SUMMARY_LABELS = {
    "mode": "mode", "status": "status", "cost": "cost", "lower_bound": "lower bound", "gap": "gap",
    "paid_hours": "paid hours", "heads": "heads", "shifts": "shifts (agent-days)", "efficiency": "efficiency",
    "required_agent_hours": "required agent-hours", "over_agent_hours": "over (agent-hours)",
    "under_agent_hours": "under (agent-hours)", "intervals_short": "intervals short",
    "solve_seconds": "solve time [s]", "weeks": "weeks", "service_level": "service level (call-weighted)",
}


@dataclass(frozen=True)
class SchedulePlan(Result):
    """
    A week of shifts, breaks and days off with its coverage and proven gap.

    Built by :func:`schedule_week`.

    Attributes
    ----------
    shifts : DataFrame
        One row per distinct shift-and-break plan: ``day``, ``name``,
        ``contract``, ``start``, ``end`` (end exclusive), ``paid_hours``
        [h per agent], ``agents``, ``breaks`` (list of (start, end, paid))
        and ``cost`` (of the row's agents; NaN when the rules give its
        template no ``cost_per_paid_hour``).
    coverage : DataFrame
        One row per interval: ``required``, ``scheduled`` (agents on the
        phones: on shift and not on a break), ``on_break``, ``over``,
        ``under``, ``open`` and, with calls and AHT, ``service_level``
        (expected with the scheduled agents).
    patterns : DataFrame
        Agents per weekly pattern: ``contract`` ("any" when contracts mix),
        ``days``, ``days_off``, ``start`` (with ``same_start_all_week``),
        ``agents``.
    cost : float
        Paid hours times cost per paid hour (a template without one weighs
        a paid hour 1: with no cost given, the paid hours). [cost units]
    paid_hours : float
        [h]
    heads : int
        Distinct agents the weekly patterns need.
    objective : float
        The solver's objective: ``cost`` when covering every interval; cost
        plus the weighted shortfall penalty in shortfall mode.
    lower_bound : float
        The solver's proven lower bound on ``objective`` (at least the LP
        relaxation's value).
    gap : float
        ``(objective - lower_bound) / objective``. [0-1]
    mode : {"cover", "shortfall"}
    status : {"optimal", "time_limit"}
        "optimal": the gap is within ``mip_gap``.
    params : dict
        The arguments that built the plan, and the model's size and the
        solve time.
    weeks : DataFrame or None
        Over a horizon of several weeks (:func:`wfm.schedule_weeks`): one row
        per week with its figures (``week``, ``start``, ``end``, ``cost``,
        ``paid_hours``, ``heads``, ``objective``, ``lower_bound``, ``gap``,
        ``status``, ``calls``, ``service_level``, ``intervals_short``,
        ``solve_seconds``); and ``shifts``, ``coverage`` and ``patterns``
        carry a ``week`` column. None for one week.
    """

    shifts: pd.DataFrame
    coverage: pd.DataFrame
    patterns: pd.DataFrame
    cost: float
    paid_hours: float
    heads: int
    objective: float
    lower_bound: float
    gap: float
    mode: str
    status: str
    params: dict = field(default_factory=dict)
    weeks: pd.DataFrame | None = None

    @property
    def efficiency(self):
        """Required agent-hours over scheduled productive (on-phone) agent-hours. [0-1]

        At most 1 when every interval is covered; above 1 only in shortfall mode.
        """
        productive = float(self.coverage["scheduled"].sum())
        return float(self.coverage["required"].sum()) / productive if productive else float("nan")

    @property
    def shortfall(self):
        """The intervals short of the requirement: ``required``, ``scheduled``, ``under``."""
        cov = self.coverage
        return cov.loc[cov["under"] > 0, ["required", "scheduled", "under"]]

    def by_template(self):
        """Agents per shift template (rows) and day (columns)."""
        tab = self.shifts
        out = tab.pivot_table(index="name", columns="day", values="agents", aggfunc="sum", fill_value=0)
        names = [t for t in self.params["templates"] if t in out.index]
        return out.reindex(names).astype(np.int64)

    @property
    def service_level(self):
        """Expected service level over the plan, weighted by calls. [0-1]

        NaN without calls (no ``plan``, ``calls`` or ``aht`` given) or when
        no call is offered.
        """
        if not self.params.get("calls_total"):
            return float("nan")
        return float(self.params["sl_call_weighted"])

    def figures(self):
        """
        Key figures as data: a dict with snake_case keys.

        ``mode``, ``status``, ``cost`` [cost units], ``lower_bound``, ``gap``
        [0-1], ``paid_hours`` [h], ``heads``, ``shifts`` (agent-days),
        ``efficiency`` [0-1], ``required_agent_hours``, ``over_agent_hours``,
        ``under_agent_hours`` [agent-h], ``intervals_short``,
        ``solve_seconds`` [s], ``calls`` [calls] and ``service_level``
        (call-weighted, NaN without calls) [0-1].
        """
        hours = self.params["interval"] / 3600.0
        cov = self.coverage
        return plain({
            **({"weeks": len(self.weeks)} if self.weeks is not None else {}),
            "mode": self.mode,
            "status": self.status,
            "cost": float(self.cost),
            "lower_bound": float(self.lower_bound),
            "gap": float(self.gap),
            "paid_hours": float(self.paid_hours),
            "heads": int(self.heads),
            "shifts": int(self.shifts["agents"].sum()) if len(self.shifts) else 0,
            "efficiency": self.efficiency,
            "required_agent_hours": float(cov["required"].sum() * hours),
            "over_agent_hours": float(cov["over"].sum() * hours),
            "under_agent_hours": float(cov["under"].sum() * hours),
            "intervals_short": int((cov["under"] > 0).sum()),
            "solve_seconds": float(self.params["solve_seconds"]),
            "calls": float(self.params.get("calls_total", 0.0)),
            "service_level": self.service_level,
        })

    @property
    def table(self):
        """The shifts (:attr:`shifts`): one row per template, start and day, with the agents on it."""
        return self.shifts

    def summary(self):
        """The figures under display labels (index ``key``, columns ``figure``, ``value``); ``weeks`` over a
        horizon, the call-weighted service level where the coverage has one."""
        fig = self.figures()
        keys = [k for k in ("weeks", *_SUMMARY_LABELS) if k in fig]
        if "service_level" in self.coverage and fig["calls"]:
            keys.append("service_level")
        return figures_frame({k: fig[k] for k in keys}, _SUMMARY_LABELS)

    def sheets(self):
        out = {"shifts": self.shifts, "coverage": self.coverage, "patterns": self.patterns}
        return out if self.weeks is None else {**out, "weeks": self.weeks}

    def __repr__(self):
        return (f"SchedulePlan({len(self.shifts)} shift rows, {len(self.coverage)} intervals)\n"
                + self._summary_text())

    def _repr_html_(self):
        shown = self.shifts.head(20).copy()
        shown["breaks"] = shown["breaks"].map(
            lambda lst: ", ".join(f"{a:%H:%M}-{b:%H:%M}{'' if p else ' (unpaid)'}" for a, b, p in lst))
        return ("<h4>SchedulePlan</h4>" + self.summary().to_html(float_format=lambda x: f"{x:,.4g}")
                + f"<p>First {len(shown)} of {len(self.shifts)} shift rows</p>" + shown.to_html())

    def plot(self, ax=None, *, kind="coverage", **kwargs):
        """
        Requirement against scheduled agents over the week (``kind="coverage"``),
        or the shifts as a Gantt chart (``kind="gantt"``: one bar per shift
        row, breaks drawn light, the agents at the right of the bars; where
        the rows are too thin for a label each, of every k-th bar, as the
        y label says; the days labelled ``Mon 20 Oct``).

        Returns the Axes.
        """
        import matplotlib.pyplot as plt

        v.check_choice(kind, "kind", ("coverage", "gantt"))
        if ax is None:
            rows = len(self.shifts)
            _, ax = plt.subplots(figsize=(12, 4 if kind == "coverage" else min(12.0, max(4.0, 0.08 * rows + 1.5))))
        cov = self.coverage
        if kind == "coverage":
            x = cov.index
            ax.fill_between(x, cov["required"], step="post", color="0.8", label="required", **kwargs)
            ax.step(x, cov["scheduled"], where="post", color="C0", label="scheduled (on the phones)")
            under = cov["under"] > 0
            if under.any():
                ax.scatter(x[under], cov["required"][under], color="C3", s=8, zorder=3, label="short")
            if isinstance(x, pd.DatetimeIndex):
                date_axis(ax.xaxis)
            ax.set_xlabel(TIME_LABEL)
            ax.set_ylabel("agents")
            ax.set_ylim(bottom=0)
            ax.legend(loc="upper right", fontsize="small", frameon=False)
            ax.set_title(f"Schedule: cost {self.cost:,.1f}, gap {self.gap:.2%}, {self.heads} heads, "
                         f"efficiency {self.efficiency:.1%}")
            return ax
        return self._plot_gantt(ax, **kwargs)

    def _plot_gantt(self, ax, **kwargs):
        import matplotlib.dates as mdates

        tab = self.shifts
        colors = {c: f"C{i}" for i, c in enumerate(sorted(tab["contract"].unique()))} if len(tab) else {}
        # a label needs about 7 points of row height (6-point text): label every k-th bar where rows are thinner
        pitch = ax.get_window_extent().height * 72 / ax.figure.dpi / max(len(tab), 1)
        step = max(1, int(np.ceil(7 / pitch))) if pitch > 0 else 1
        for y, row in enumerate(tab.itertuples()):
            ax.barh(y, row.end - row.start, left=row.start, height=0.8, color=colors[row.contract], **kwargs)
            for a, b, _ in row.breaks:
                ax.barh(y, b - a, left=a, height=0.8, color="white", alpha=0.7)
            if y % step == 0:
                ax.text(row.end, y, f" {row.agents}", va="center", fontsize=6)
        ax.set_yticks([])
        ax.set_ylabel(f"{len(tab)} shift rows (agents at the right of "
                      + ("each bar)" if step == 1 else f"one bar in {step})"))
        ax.invert_yaxis()
        if len(tab):  # each day named at its noon (at most 10 names), day boundaries as minor ticks
            days = pd.date_range(tab["start"].min().normalize(), tab["end"].max().normalize(), freq="D")
            named = days[::int(np.ceil(len(days) / 10))]
            ax.set_xticks(mdates.date2num(named + pd.Timedelta(hours=12)), [f"{d:%a %d %b}" for d in named])
            ax.set_xticks(mdates.date2num(days), minor=True)
        ax.set_xlabel("day (local time)")
        for c, col in colors.items():
            ax.barh(0, pd.Timedelta(0), left=tab["start"].iloc[0], color=col, label=c)
        if colors:
            ax.legend(loc="lower left", fontsize="small", frameon=False)
        what = "the week" if self.weeks is None else f"{len(self.weeks)} weeks"
        ax.set_title(f"Shifts of {what} (breaks in white)")
        return ax

