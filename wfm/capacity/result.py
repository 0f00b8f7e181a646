"""The results objects of capacity planning: :class:`CapacityPlan` and :class:`CapacityRisk`."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .._results import Result, date_axis, legend_below, plain, week_label

__all__ = ["CapacityPlan", "CapacityRisk"]


_COSTS = ("hiring_cost", "training_cost", "paid_cost", "release_cost", "overtime_cost", "gap_cost")


def _before_reach(tab, params):
    """Rows of weeks before a new class can be fully productive."""
    first = params.get("first_full_week")
    if first is None:
        return pd.Series(False, index=tab.index)
    weeks = pd.Index(pd.unique(tab["week"])).sort_values()
    return tab["week"].isin(weeks[:first])


def _by_week(table, columns, site=None):
    tab = table if site is None else table[table["site"] == site]
    if site is not None and tab.empty:
        raise ValueError(f"site must be one of {sorted(table['site'].unique())[:10]}; got {site!r}.")
    return tab.groupby("week", sort=True)[[c for c in columns if c in tab]].sum()


@dataclass(frozen=True)
class CapacityPlan(Result):
    """
    A long-term capacity plan: required vs available FTE and the hires that close the gap.

    Attributes
    ----------
    table : DataFrame
        One row per site and week: ``required_fte`` (and ``_lower``/``_upper``
        when the demand has a band), ``month`` (the calendar month of the
        week's 4th day, as in :meth:`monthly`; for numbered weeks the same
        number as ``month_index``), ``month_index`` (0-based month of the
        plan, which ``rules.max_hires_per_month`` and the monthly budgets
        count by), ``available_fte`` (productive, the sum
        over cohorts of heads x FTE per head x productivity),
        ``available_fte_staff``, ``available_fte_hires``, ``overtime_fte``,
        ``gap_fte`` (required - available - overtime, floored at 0),
        ``penalised_gap_fte`` (the part beyond the tolerance), ``trainees``,
        ``headcount`` (on the floor), ``hires``, ``committed_hires``,
        ``graduates``, ``transfers``, ``leavers``, ``training_leavers``,
        ``paid_fte`` and the costs ``hiring_cost``, ``paid_cost``,
        ``overtime_cost``, ``gap_cost`` [currency]. Heads are expected values.
    cohorts : DataFrame
        One row per cohort and week: ``heads``, ``leavers``, ``fte``,
        ``productivity``, ``productive_fte``, ``tenure_weeks``, ``in_training``.
    hiring : DataFrame
        The classes to start: ``site``, ``start_week`` (0-based), ``week``
        (its date when the demand has dates), ``heads``, ``graduation_week``.
    params : dict
        The arguments and rules that built the plan, and the solver's status,
        objective and MIP gap.
    """

    table: pd.DataFrame
    cohorts: pd.DataFrame
    hiring: pd.DataFrame
    params: dict = field(default_factory=dict)
    inputs: dict = field(default_factory=dict, repr=False, compare=False)

    def figures(self):
        """
        Key figures as plain numbers (snake_case keys).

        Heads are whole (``headcount_*``: expected heads on the floor rounded);
        FTE are productive FTE per week [FTE]; costs in the rules' currency
        over the horizon; ``site_weeks_short`` splits into the weeks before
        any new class can be fully productive (``site_weeks_short_before_reach``)
        and the weeks the plan chose to be short (the penalty cost less than
        hiring: ``site_weeks_short_priced``). With no ``cost_per_paid_hour``
        in the rules, the costs that depend on it and ``total_cost`` are NaN
        (n/a), and with no ``cost_per_hire`` the ``hiring_cost`` of a plan
        that hires is NaN too; ``cost_note`` says which.
        """
        tab = self.table
        weekly = _by_week(tab, ["required_fte", "available_fte", "gap_fte", "penalised_gap_fte", "headcount"])
        reason = tab["shortfall_reason"]
        cost_cols = [c for c in _COSTS if c in tab]
        return plain({
            "sites": int(tab["site"].nunique()),
            "weeks": int(tab["week"].nunique()),
            "required_fte_mean": float(weekly["required_fte"].mean()),
            "available_fte_mean": float(weekly["available_fte"].mean()),
            "headcount_start": int(weekly["headcount"].iloc[0]),
            "headcount_end": int(weekly["headcount"].iloc[-1]),
            "hires": int(self.hiring["heads"].sum()),
            "classes": int(len(self.hiring)),
            "releases": int(tab["releases"].sum()) if "releases" in tab else 0,
            "site_transfers": int(self.inputs["site_transfers"]["heads"].sum())
            if "site_transfers" in self.inputs else 0,
            "leavers": float(tab["leavers"].sum() + tab["training_leavers"].sum()),
            "site_weeks_short": int((reason != "").sum()),
            "site_weeks_short_before_reach": int((reason == "before_hires_reach").sum()),
            "site_weeks_short_priced": int((reason == "penalty_below_hiring_cost").sum()),
            "gap_fte_weeks": float(tab["gap_fte"].sum()),
            "gap_fte_weeks_before_reach": float(tab.loc[_before_reach(tab, self.params), "gap_fte"].sum()),
            "hiring_cost": float(tab["hiring_cost"].sum(skipna=False)),
            "training_cost": float(tab["training_cost"].sum(skipna=False)) if "training_cost" in tab else 0.0,
            "paid_cost": float(tab["paid_cost"].sum(skipna=False)),
            "release_cost": float(tab["release_cost"].sum(skipna=False)) if "release_cost" in tab else 0.0,
            "overtime_cost": float(tab["overtime_cost"].sum(skipna=False)),
            "gap_cost": float(tab["gap_cost"].sum(skipna=False)),
            "total_cost": float(tab[cost_cols].to_numpy().sum()),
            "objective": self.params.get("objective"),
            "mip_gap": self.params.get("mip_gap"),
            **_cost_note(self.params.get("rules") or {}),
        })

    def sheets(self):
        return {"weeks": self.table, "hiring": self.hiring, "monthly": self.monthly()}

    def monthly(self, *, by_site=True):
        """
        The finance roll-up: heads, FTE, hires and cost per month.

        Weeks fall in the month of their 4th day (numbered weeks: month
        ``floor(12 t / 52)``); costs of a week count in its month, so the
        months add up to the plan's total.

        Parameters
        ----------
        by_site : bool
            One row per site and month (default), or per month over all sites.

        Returns
        -------
        monthly : DataFrame
            ``month`` (a period, or a number), ``weeks``, ``headcount_end``
            and ``trainees_end`` [whole heads at the month's last week],
            ``paid_fte`` and ``available_fte`` (productive) and
            ``required_fte`` [mean FTE per week], ``hires`` [heads started],
            ``releases`` [heads released], ``classes``, ``leavers`` [expected, floor and classroom],
            ``gap_fte_weeks``, the cost columns and ``total_cost``
            [currency].
        """
        tab = self.table.copy()
        if isinstance(tab["week"].iloc[0], pd.Timestamp):
            tab["month"] = (pd.DatetimeIndex(tab["week"]) + pd.Timedelta(days=3)).to_period("M")
        keys = ["site", "month"] if by_site else ["month"]
        cost_cols = [c for c in _COSTS if c in tab]
        site_week = tab
        if not by_site:
            sums = ["headcount", "trainees", "paid_fte", "available_fte", "required_fte", "hires", "committed_hires",
                    "releases", "classes_started", "leavers", "training_leavers", "gap_fte", *cost_cols]
            site_week = tab.groupby(["week", "month"], sort=True)[[c for c in sums if c in tab]].sum(
                min_count=len(tab["site"].unique())).reset_index()
        g = site_week.sort_values("week").groupby(keys, sort=True)
        out = pd.DataFrame({
            "weeks": g["week"].nunique(),
            "headcount_end": g["headcount"].last().astype(int),
            "trainees_end": g["trainees"].last().astype(int),
            "paid_fte": g["paid_fte"].mean(),
            "available_fte": g["available_fte"].mean(),
            "required_fte": g["required_fte"].mean(),
            "hires": (g["hires"].sum() + g["committed_hires"].sum()).round().astype(int),
            "releases": g["releases"].sum().astype(int),
            "classes": g["classes_started"].sum().astype(int),
            "leavers": g["leavers"].sum() + g["training_leavers"].sum(),
            "gap_fte_weeks": g["gap_fte"].sum(),
        })
        for c in cost_cols:  # a cost n/a (NaN: no cost_per_paid_hour) in any week is n/a for its month
            out[c] = g[c].sum().where(g[c].count() == g[c].size())
        out["total_cost"] = out[cost_cols].sum(axis=1, skipna=False)
        return out.reset_index()

    def plot(self, ax=None, *, site=None, **kwargs):
        """Required FTE (with its band) vs available productive FTE per week; hires as bars (right axis)."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(11, 4))
        weekly = _by_week(self.table, ["required_fte", "required_fte_lower", "required_fte_upper", "available_fte",
                                       "overtime_fte", "hires", "committed_hires"], site)
        x = weekly.index
        if {"required_fte_lower", "required_fte_upper"} <= set(weekly):
            ax.fill_between(x, weekly["required_fte_lower"], weekly["required_fte_upper"], color="C0", alpha=0.15,
                            step="mid", label="required FTE (band)")
        ax.step(x, weekly["required_fte"], where="mid", color="C0", label="required FTE", **kwargs)
        ax.step(x, weekly["available_fte"], where="mid", color="C2", label="available productive FTE")
        if weekly["overtime_fte"].sum() > 0:
            ax.step(x, weekly["available_fte"] + weekly["overtime_fte"], where="mid", color="C2", ls="--",
                    label="with overtime")
        ax.set_ylabel("FTE")
        ax.set_ylim(bottom=0)
        ax2 = ax.twinx()
        width = 5 if isinstance(x, pd.DatetimeIndex) else 0.8
        ax2.bar(x, weekly["hires"] + weekly["committed_hires"], width=width, color="C1", alpha=0.5, label="hires")
        ax2.set_ylabel("hires [heads]")
        ax.set_xlabel(week_label(x))
        if isinstance(x, pd.DatetimeIndex):
            date_axis(ax.xaxis)
        ax2.set_ylim(0, max(1.0, float((weekly["hires"] + weekly["committed_hires"]).max())) * 3)
        title = "Capacity plan" + (f": {site}" if site is not None else "")
        ax.set_title(title + f" ({self.params.get('method', '')}, {int(self.hiring['heads'].sum())} hires)")
        h1, l1 = ax.get_legend_handles_labels()
        h2, l2 = ax2.get_legend_handles_labels()
        legend_below(ax, h1 + h2, l1 + l2, ncol=5)
        return ax

    def __repr__(self):
        return f"CapacityPlan({self.table['site'].nunique()} sites x {self.table['week'].nunique()} weeks)\n" \
               f"{self._summary_text()}"

    def _repr_html_(self):
        cols = ["site", "week", "required_fte", "available_fte", "gap_fte", "headcount", "trainees", "hires",
                "leavers"]
        return ("<h4>CapacityPlan</h4>" + self.summary().to_html(float_format=lambda v: f"{v:,.2f}")
                + "<p>Classes to start</p>" + self.hiring.head(20).to_html(index=False)
                + "<p>By month (all sites)</p>"
                + self.monthly(by_site=False).to_html(index=False, float_format=lambda v: f"{v:,.0f}")
                + f"<p>First {min(20, len(self.table))} of {len(self.table)} site-weeks</p>"
                + self.table[cols].head(20).to_html(index=False, float_format=lambda v: f"{v:.2f}"))


def risk_note(figures):
    """
    One sentence on a plan's risk against its target, from :meth:`CapacityRisk.figures` (or a what-if's row of them).

    '' when no week is short in more than ``max_short_probability`` of the
    paths. A plan sized to the expected requirement is short in about half
    the paths of a tight week, so the sentence says that the plan meets the
    expectation, not the risk target, and what holds the target: the hedged
    plan's hires when it was solved (``hedge``), else how to ask for it.
    """
    above, weeks = figures.get("weeks_above_target"), figures.get("weeks")
    if not above or pd.isna(above):
        return ""
    target, worst, paths = figures["max_short_probability"], figures["prob_short_max"], figures["paths"]
    of = f" of {weeks:.0f}" if weeks is not None and not pd.isna(weeks) else ""
    text = (f"risk: in {above:.0f}{of} week(s) the plan is short in more than {target:.0%} of {paths:,.0f} simulated "
            f"paths (at worst {worst:.0%}): it meets the expected requirement, not the risk target.")
    hedged = figures.get("hires_hedged")
    if hedged is None or pd.isna(hedged):
        return text + " Set capacity.risk.hedge: true for the plan that holds the target in the weeks a class can reach."
    reach = figures.get("prob_short_max_hedged")
    return text + (f" The hedged plan hires {hedged:,.0f} against {figures.get('hires_plan', float('nan')):,.0f}"
                   + (f" and is short in at most {reach:.0%} of paths in the weeks a class can reach." if reach is not None
                      and not pd.isna(reach) else "."))


@dataclass(frozen=True)
class CapacityRisk(Result):
    """
    Monte Carlo risk of a capacity plan: the probability of being short in each week.

    Attributes
    ----------
    table : DataFrame
        One row per site and week: ``required_fte``, ``available_fte`` (the
        plan's expected values), ``prob_short`` (share of paths short beyond
        the tolerance after overtime), ``available_fte_p05``/``_p50``/``_p95``
        and ``required_fte_p05``/``_p50``/``_p95`` over the paths,
        ``buffer_fte`` (extra productive FTE that keeps the week short in at
        most ``max_short_probability`` of paths) and, with ``hedge``,
        ``prob_short_hedged`` (the same for the hedged plan, on fresh paths).
    params : dict
        Paths, seed, what was random, ``max_short_probability`` and the hires
        of the plan and of the hedged plan.
    hedged : CapacityPlan or None
        The plan re-solved against a risk-adjusted requirement (its
        ``required_fte`` column is that target: the expected supply at which
        each week is short in at most ``max_short_probability`` of paths,
        attrition and volume drawn as for the plan).
    """

    table: pd.DataFrame
    params: dict = field(default_factory=dict)
    hedged: object = None

    def figures(self):
        """
        Key figures as plain numbers (``*_hedged``: weeks a class can reach).

        ``prob_short_*`` read each week alone; ``prob_any_short`` is the share
        of paths short in at least one site-week over the horizon
        (``_reachable``: in a week a new class can reach), from the same paths.
        """
        tab = self.table
        weekly_p = tab.groupby("week")["prob_short"].max()
        return plain({
            "paths": self.params["paths"],
            "prob_short_mean": float(tab["prob_short"].mean()),
            "prob_short_max": float(tab["prob_short"].max()),
            "weeks_above_target": int((weekly_p > self.params["max_short_probability"] + 1e-12).sum()),
            "max_short_probability": self.params["max_short_probability"],
            "hires_plan": self.params.get("hires_plan"),
            "hires_hedged": self.params.get("hires_hedged"),
            "prob_short_max_reachable": float(tab.loc[tab["reachable"], "prob_short"].max())
            if tab["reachable"].any() else None,
            "prob_short_max_hedged": float(tab.loc[tab["reachable"], "prob_short_hedged"].max())
            if "prob_short_hedged" in tab and tab["reachable"].any() else None,
            "prob_any_short": self.params.get("prob_any_short"),
            "prob_any_short_reachable": self.params.get("prob_any_short_reachable"),
            "prob_any_short_reachable_hedged": self.params.get("prob_any_short_reachable_hedged"),
            "seconds": self.params.get("seconds"),
        })


    def plot(self, ax=None, *, site=None, **kwargs):
        """Probability of being short per week (summed sites: the worst site)."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(11, 3))
        tab = self.table if site is None else self.table[self.table["site"] == site]
        p = tab.groupby("week", sort=True)["prob_short"].max()
        ax.step(p.index, p.to_numpy(), where="mid", color="C3", label="P(short)", **kwargs)
        ax.axhline(self.params["max_short_probability"], color="0.5", ls=":", label="target")
        ax.set_ylim(0, 1)
        ax.set_xlabel(week_label(p.index))
        if isinstance(p.index, pd.DatetimeIndex):
            date_axis(ax.xaxis)
        ax.set_ylabel("probability short [0-1]")
        ax.set_title(f"Capacity risk over {self.params['paths']:,} paths")
        ax.legend(fontsize="small", frameon=False)
        return ax

    def __repr__(self):
        return f"CapacityRisk({self.params['paths']} paths)\n{self._summary_text()}"

    def _repr_html_(self):
        return ("<h4>CapacityRisk</h4>" + self.summary().to_html()
                + self.table.head(20).to_html(index=False, float_format=lambda v: f"{v:.3f}"))


def _cost_note(rules):
    """``{"cost_note": ...}`` naming the costs the rules give no price for (the MILP's reference weights), else {}."""
    missing = [k for k in ("cost_per_paid_hour", "cost_per_hire") if k in rules and rules[k] is None]
    if not missing:
        return {}
    parts = []
    if "cost_per_paid_hour" in missing:
        parts.append("no cost_per_paid_hour given: paid, overtime and derived shortfall costs and the total are n/a; "
                     "the plan weighs a paid hour at 25 to choose its hires (a weight, not a cost)")
    if "cost_per_hire" in missing:
        parts.append("no cost_per_hire given: the hiring cost (and so the total) is n/a in the weeks heads are "
                     "hired; the plan weighs a hire at 4000 (a weight, not a cost)")
    return {"cost_note": "; ".join(parts)}
