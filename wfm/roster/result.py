"""
The results object of :func:`wfm.roster.roster_agents`: :class:`Roster`, and how it is built from
the search's assignment (the table of worked agent-days, cover per day and shift type, agents on
the phones per interval for a sized demand, and each agent's fairness figures).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import _validation as v
from .. import calendar as cal
from .._atomic import atomic_write
from .._results import TIME_LABEL, Result, date_axis
from ..schedule import shift_coverage
from .arguments import horizon_dates, local_times

__all__ = ["Roster", "make_roster"]


def _shift_rows(sol, prob, R, break_plans):
    """The roster's table: one row per worked agent-day, shift start on the day's wall clock (its end and
    breaks that many elapsed minutes later), breaks from the sized plan's when it had them."""
    names, shifts, dates = prob.agents, R["shifts"], R["dates"]
    a_idx, d_idx = np.nonzero(sol.assign >= 0)
    s_idx = sol.assign[a_idx, d_idx]
    clock = np.array([-1 if sh.start is None else sh.start for sh in shifts], dtype=np.int64)[s_idx]
    has = clock >= 0
    starts = pd.Series(pd.NaT, index=range(len(a_idx)), dtype=dates.dtype)
    if has.any():
        wall = cal.wall_clock(dates)[d_idx[has]] + pd.to_timedelta(clock[has], unit="min")
        starts.iloc[np.flatnonzero(has)] = local_times(wall, dates.tz)
    recs, handed = [], {}
    for a, d, s, st in zip(a_idx.tolist(), d_idx.tolist(), s_idx.tolist(), starts):
        sh = shifts[s]
        end, brk = pd.NaT, []
        if sh.start is not None:
            end = st + pd.Timedelta(minutes=sh.span)
            own = sh.breaks
            if (d, s) in break_plans:  # the sized plan's break times, one plan per agent in turn
                k = handed.get((d, s), 0)
                handed[d, s] = k + 1
                own = break_plans[d, s][k % len(break_plans[d, s])]
            brk = [(st + pd.Timedelta(minutes=o), st + pd.Timedelta(minutes=o + ln), p) for o, ln, p in own]
        recs.append({"agent": names[a], "date": dates[d], "day": d, "shift": sh.name, "start": st, "end": end,
                     "paid_hours": sh.paid / 60.0, "breaks": brk})
    return pd.DataFrame.from_records(recs, columns=["agent", "date", "day", "shift", "start", "end", "paid_hours",
                                                    "breaks"])


def make_roster(sol, prob, R, cover, rq, plans, requirement, break_plans, params):
    """The :class:`Roster` of the search's solution ``sol`` of ``prob``."""
    A, D = sol.assign.shape
    names, dates = prob.agents, R["dates"]
    table = _shift_rows(sol, prob, R, break_plans)
    if len(table):
        order = {a: i for i, a in enumerate(names)}
        table = table.sort_values(["day", "agent"], key=lambda c: c.map(order) if c.name == "agent" else c,
                                  kind="stable").reset_index(drop=True)
    n = np.array([(sol.assign[:, d] == s).sum() for d, s in zip(cover["day"], cover["shift"])], dtype=np.int64)
    cov = pd.DataFrame({"date": dates[cover["day"]], "day": cover["day"],
                        "shift": [R["names"][s] for s in cover["shift"]], "required": cover["required"],
                        "assigned": n, "under": np.maximum(cover["required"] - n, 0),
                        "over": np.maximum(n - cover["required"], 0)})
    # per-agent fairness figures
    worked = sol.assign >= 0
    we = np.zeros(A, dtype=np.int64)
    for days in prob.weekends:
        we += worked[:, days].any(axis=1)
    late = np.zeros(A, dtype=np.int64)
    if prob.late.any():
        late = (worked & prob.late[np.maximum(sol.assign, 0)]).sum(axis=1)
    n_req = np.zeros(A, dtype=np.int64)
    met = np.zeros(A, dtype=np.int64)
    unmet_w = np.zeros(A)
    for a, d, s, on, wt in zip(rq["agent"], rq["day"], rq["shift"], rq["on"], rq["weight"]):
        got = sol.assign[a, d] >= 0 if s < 0 else sol.assign[a, d] == s
        ok = bool(got) == bool(on)
        n_req[a] += 1
        met[a] += ok
        unmet_w[a] += 0.0 if ok else wt
    paid = np.where(worked, prob.paid[np.maximum(sol.assign, 0)], 0).sum(axis=1) / 60.0
    per_agent = pd.DataFrame({"agent": names, "shifts": worked.sum(axis=1), "paid_hours": paid,
                              "weekends": we, "lates": late, "requests": n_req, "requests_met": met,
                              "unmet_request_weight": unmet_w})
    coverage = None
    if plans is not None:
        coverage = _interval_coverage(table, plans, requirement, R)
    gap = (sol.objective - sol.bound) / abs(sol.objective) if sol.objective else 0.0
    return Roster(table=table, cover=cov, coverage=coverage, agents=per_agent, objective=float(sol.objective),
                  lower_bound=float(sol.bound), gap=float(max(gap, 0.0)), status=sol.status,
                  terms={k: float(val) for k, val in sol.terms.items()}, params=params)


def _interval_coverage(table, plans, requirement, R):
    """Agents on the phones per interval of the horizon against the requirement and the sized plan (a plan
    of one week that repeats is matched by weekday and wall-clock time)."""
    step = pd.Timedelta(seconds=plans[0].params["interval"])
    end = horizon_dates(R["start"], R["days"] + 1)[-1]
    idx = pd.date_range(R["dates"][0], end, freq=step, inclusive="left")
    base = pd.concat([p.coverage[["required", "scheduled"]] for p in plans])
    base = base[~base.index.duplicated()]
    if R.get("repeat"):
        def key(index):
            wall = cal.wall_clock(index)
            return pd.MultiIndex.from_arrays([wall.day_of_week, wall - wall.normalize()])
        base = base.set_axis(key(base.index)).groupby(level=[0, 1]).first().reindex(key(idx))
    else:
        base = base.reindex(idx)
    req, sized = base["required"].fillna(0).to_numpy(), base["scheduled"].fillna(0).to_numpy()
    if requirement is not None:
        req = requirement.reindex(idx).fillna(0).to_numpy()
    tab = table.assign(agents=1)
    sched = shift_coverage(tab, idx).to_numpy()
    return pd.DataFrame({"required": req.astype(np.int64), "sized": sized.astype(np.int64), "scheduled": sched,
                         "under": np.maximum(req - sched, 0).astype(np.int64),
                         "over": np.maximum(sched - req, 0).astype(np.int64)}, index=idx)


@dataclass(frozen=True)
class Roster(Result):
    """
    Named agents' shifts over the horizon, with cover, fairness and a proven gap.

    Built by :func:`roster`.

    Attributes
    ----------
    table : DataFrame
        One row per worked agent-day: ``agent``, ``date``, ``day`` (0-based),
        ``shift``, ``start``, ``end`` (NaT for shift types without a clock
        time), ``paid_hours`` [h] and ``breaks`` (list of (start, end, paid)).
    cover : DataFrame
        Per day and shift type of the demand: ``date``, ``day``, ``shift``,
        ``required``, ``assigned``, ``under``, ``over``. [agents]
    coverage : DataFrame or None
        With a sized demand, per interval: ``required`` (the requirement),
        ``sized`` (on the phones in the sized plan), ``scheduled`` (on the
        phones in the roster), ``under``, ``over``. [agents]
    agents : DataFrame
        Per agent: ``shifts``, ``paid_hours`` [h], ``weekends`` (worked),
        ``lates``, ``requests``, ``requests_met``, ``unmet_request_weight``.
    objective : float
        Weighted under- and over-cover plus unmet requests plus fairness.
    lower_bound : float
        The solver's proven lower bound on the objective.
    gap : float
        ``(objective - lower_bound) / objective``. [0-1]
    status : {"optimal", "time_limit"}
    terms : dict
        The objective by term: ``cover_under``, ``cover_over``,
        ``requests``, ``fairness``.
    params : dict
        The arguments and the model's size and solve time.
    """

    table: pd.DataFrame
    cover: pd.DataFrame
    coverage: pd.DataFrame | None
    agents: pd.DataFrame
    objective: float
    lower_bound: float
    gap: float
    status: str
    terms: dict
    params: dict = field(default_factory=dict)

    def grid(self):
        """Agents (rows) x days (columns): the shift worked, "" when off."""
        names = list(self.agents["agent"])
        out = pd.DataFrame("", index=pd.Index(names, name="agent"),
                           columns=pd.RangeIndex(self.params["days"], name="day"))
        for a, d, s in zip(self.table["agent"], self.table["day"], self.table["shift"]):
            out.at[a, d] = s
        return out

    def coverage_loss(self):
        """Required agent-hours the roster covers less than the sized plan, as a share of all required. [0-1]

        ``sum(min(sized, required)) - sum(min(scheduled, required))`` over
        the intervals, divided by ``sum(required)``; None without a sized demand.
        """
        if self.coverage is None:
            return None
        c = self.coverage
        req = c["required"].to_numpy()
        lost = np.minimum(c["sized"], req).sum() - np.minimum(c["scheduled"], req).sum()
        return float(lost / req.sum()) if req.sum() else 0.0

    def figures(self):
        """Key figures as a dict (snake_case keys): the search's status and objective, cover, requests, fairness."""
        ag = self.agents
        out = {
            "status": self.status,
            "objective": self.objective,
            "lower_bound": self.lower_bound,
            "gap": self.gap,
            **{f"objective_{k}": val for k, val in self.terms.items()},
            "agents": len(ag),
            "days": int(self.params["days"]),
            "agent_days_worked": len(self.table),
            "paid_hours": float(ag["paid_hours"].sum()),
            "cover_required": int(self.cover["required"].sum()),
            "cover_under": int(self.cover["under"].sum()),
            "cover_over": int(self.cover["over"].sum()),
            "requests": int(ag["requests"].sum()),
            "requests_met": int(ag["requests_met"].sum()),
            "weekends_min": int(ag["weekends"].min()),
            "weekends_max": int(ag["weekends"].max()),
            "lates_min": int(ag["lates"].min()),
            "lates_max": int(ag["lates"].max()),
            "solve_seconds": float(self.params["solve_seconds"]),
        }
        if self.coverage is not None:
            hours = v.infer_interval(self.coverage.index, "coverage") / 3600.0
            c = self.coverage
            out["required_agent_hours"] = float(c["required"].sum() * hours)
            out["under_agent_hours"] = float(c["under"].sum() * hours)
            out["coverage_loss"] = self.coverage_loss()
        return out

    def __repr__(self):
        s = self.figures()
        return (f"Roster({s['agents']} agents x {s['days']} days, {s['agent_days_worked']} shifts; objective "
                f"{s['objective']:,.6g}, bound {s['lower_bound']:,.6g}, gap {s['gap']:.2%}, {s['status']})")

    def _repr_html_(self):
        grid = self.grid().head(30)
        return ("<h4>Roster</h4>" + self.summary().to_html(float_format=lambda x: f"{x:,.4g}") + f"<p>First {len(grid)} of {len(self.agents)} agents</p>"
                + grid.to_html())

    def plot(self, ax=None, *, kind="grid", **kwargs):
        """
        The roster as a grid (``kind="grid"``): agents (rows) x days
        (columns), one colour per shift type, days off white, weekends
        shaded. ``kind="coverage"``: agents on the phones per interval
        against the requirement and the sized plan (with a sized demand),
        or agents assigned against required per day and shift type.
        Returns the Axes.
        """
        import matplotlib.pyplot as plt
        from matplotlib.colors import ListedColormap

        v.check_choice(kind, "kind", ("grid", "coverage"))
        if kind == "coverage":
            if ax is None:
                _, ax = plt.subplots(figsize=(12, 4))
            if self.coverage is not None:
                c = self.coverage
                ax.fill_between(c.index, c["required"], step="post", color="0.8", label="required")
                ax.step(c.index, c["sized"], where="post", color="C1", lw=0.8, label="sized plan")
                ax.step(c.index, c["scheduled"], where="post", color="C0", label="roster (on the phones)", **kwargs)
                if isinstance(c.index, pd.DatetimeIndex):
                    date_axis(ax.xaxis)
                ax.set_xlabel(TIME_LABEL)
                ax.set_ylabel("agents")
            else:
                c = self.cover
                x = np.arange(len(c))
                ax.bar(x, c["required"], color="0.8", label="required")
                ax.plot(x, c["assigned"], "o", color="C0", ms=3, label="assigned", **kwargs)
                ax.set_xlabel("day x shift type (in the demand's order)")
                ax.set_ylabel("agents")
            ax.legend(loc="upper right", fontsize="small", frameon=False)
            ax.set_title(f"Roster cover: {int(self.cover['under'].sum())} agent-shifts short")
            return ax
        grid = self.grid()
        names = list(self.params["shifts"])
        code = grid.apply(lambda col: col.map(lambda s: names.index(s) + 1 if s else 0)).to_numpy()
        if ax is None:
            _, ax = plt.subplots(figsize=(max(6, 0.25 * grid.shape[1] + 2), max(3, 0.18 * grid.shape[0] + 1)))
        cmap = plt.get_cmap("tab20", max(len(names), 1))
        colors = ["white"] + [cmap(i % 20) for i in range(len(names))]
        ax.imshow(code, aspect="auto", interpolation="nearest", cmap=ListedColormap(colors), vmin=0,
                  vmax=len(names), **kwargs)
        start = pd.Timestamp(self.params["start"])
        start = start.tz_localize(None) if start.tz is not None else start  # calendar days of the wall clock
        for d in range(grid.shape[1]):
            if (start + pd.Timedelta(days=d)).day_of_week >= 5:
                ax.axvspan(d - 0.5, d + 0.5, color="0.5", alpha=0.12, lw=0)
        if grid.shape[0] <= 60:
            ax.set_yticks(range(grid.shape[0]), grid.index, fontsize=6)
        ax.set_xlabel(f"day (0 = {start:%a %Y-%m-%d})")
        ax.set_ylabel("agent")
        used = sorted(set(code.ravel()) - {0})
        if 0 < len(used) <= 20:
            for c in used:
                ax.bar(0, 0, color=colors[c], label=names[c - 1])
            ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small", frameon=False)
        ax.set_title(f"Roster: objective {self.objective:,.6g}, gap {self.gap:.2%}")
        return ax

    def to_csv(self, path):
        """Write :attr:`table` (breaks as text) to a CSV file, whole or not at all; returns the Path."""
        return atomic_write(path, lambda tmp: self._flat().to_csv(tmp, index=False))

    def sheets(self):
        """The workbook's sheets after the summary: roster, grid, cover, coverage (with a sized demand), agents."""
        out = {"roster": self._flat(), "grid": self.grid(), "cover": self.cover}
        if self.coverage is not None:
            out["coverage"] = self.coverage
        return {**out, "agents": self.agents}

    def _flat(self):
        out = self.table.copy()
        out["breaks"] = out["breaks"].map(
            lambda lst: "; ".join(f"{a:%H:%M}-{b:%H:%M}{'' if p else ' unpaid'}" for a, b, p in lst))
        return out

