"""Check a staffing plan by simulation: simulated figures beside the Erlang ones, per interval."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import _validation as v
from .. import erlang as e
from .._results import Result, figures_frame, interval_axis, legend_below

__all__ = ["verify_plan", "Verification"]


def plan_queue(plan, *, patience="plan", threshold=None, sl_definition=None):
    """The queue a staffing plan stands for: its table and ``{model, patience, threshold, sl_definition, interval}``.

    Read from ``plan.params`` where an argument is left at its default: the
    patience of an Erlang A plan (None, callers who never hang up, for an
    Erlang C plan) [s], the plan's threshold (20 s if it has none) [s] and
    service-level definition. Shared by :func:`verify_plan` and
    :func:`wfm.simulation.simulate_logs`, so both simulate the queue that was
    planned.
    """
    table = getattr(plan, "table", None)
    params = getattr(plan, "params", None)
    if not isinstance(table, pd.DataFrame) or not isinstance(params, dict):
        raise TypeError(f"plan must be a StaffingPlan (an object with a .table DataFrame and a .params dict); "
                        f"got {type(plan).__name__}.")
    v.check_frame_columns(table, "plan.table", ["calls", "aht", "agents"])
    model = params.get("model", "erlang_c")
    if isinstance(patience, str) and patience == "plan":
        patience = params.get("patience") if model == "erlang_a" else None
    if threshold is None:
        threshold = params.get("threshold") if params.get("threshold") is not None else 20
    if sl_definition is None:
        sl_definition = params.get("sl_definition", "offered")
    return table, dict(model=model, patience=patience, threshold=threshold, sl_definition=sl_definition,
                       interval=params.get("interval"))


def verify_plan(plan, *, replications=10, seed=None, level=0.99, handle_cv=1.0, threshold=None):
    """
    Simulate a staffing plan and set its simulated figures beside its Erlang ones.

    Runs :func:`wfm.simulate` on the plan's calls, AHT and productive agents
    per interval, with the plan's model (Erlang A plans: exponential
    patience with the plan's mean; Erlang C plans: none) and threshold,
    then flags each interval whose Erlang service level or abandon rate lies
    outside the simulation's confidence interval. Flags show where the
    steady-state formulas mislead: queues carried across intervals, empty
    queues at the opening, staffing changes, non-exponential handle times.

    The service level and abandon rate of an interval are proportions of
    its contacts, often near 0 or 1 and from few contacts, so their bounds
    are Wilson score intervals [1]_ on the counts pooled over the
    replications (never [0, 0] when no one abandoned), with the pooled count
    divided by a design effect [2]_, [3]_: the spread between replications
    over the binomial one, pooled over the intervals and at least 1, since
    the contacts of one queue are not independent. The ASA bounds are the
    simulation's (Student's t over replications). When the formulas are
    right, each rate is outside its bounds by chance in a fraction
    ``1 - level`` of the intervals, so ``figures()["flagged_by_chance"]``
    is ``1 - level`` times the intervals with calls times the rates checked
    (one for Erlang C plans, two for Erlang A): an upper bound on the
    expected number of flags.

    Parameters
    ----------
    plan : StaffingPlan
        Any object with a ``table`` (columns ``calls``, ``aht``, ``agents``
        on a DatetimeIndex) and ``params`` (``interval``, ``model``,
        ``patience``, ``threshold`` and optionally ``sl_definition``), such
        as the result of :func:`wfm.staffing_plan`.
    replications : int
        Independent runs, at least 2 (bounds come from their spread).
    seed : int or None
        Seed of the simulation.
    level : float
        Coverage of the confidence intervals that decide the flags. [0-1]
    handle_cv : float
        Coefficient of variation of handle times (1: exponential, as Erlang
        assumes). [-]
    threshold : float, optional
        Answer-time target; the plan's when None (20 s if it has none). [s]

    Returns
    -------
    Verification
        ``.table`` per interval, ``.simulation`` and ``.summary()``.

    References
    ----------
    .. [1] E. B. Wilson, "Probable inference, the law of succession, and
       statistical inference", Journal of the American Statistical
       Association 22(158), 209-212, 1927.
    .. [2] L. Kish, "Survey Sampling", Wiley, 1965, section 8.2 (the design
       effect).
    .. [3] E. L. Korn and B. I. Graubard, "Confidence intervals for
       proportions with small expected number of positive counts estimated
       from survey data", Survey Methodology 24(2), 193-201, 1998 (the
       effective sample size in an interval for a proportion).

    Examples
    --------
    >>> import wfm
    >>> idx = pd.date_range("2024-01-01 08:00", periods=8, freq="30min")
    >>> plan = wfm.staffing_plan(pd.Series(100.0, index=idx), aht=180)
    >>> check = verify_plan(plan, replications=20, seed=3)
    >>> check.table.columns[:6].tolist()
    ['calls', 'agents', 'service_level_erlang', 'service_level', 'service_level_lo', 'service_level_hi']
    >>> int(check.table["flag"].sum()) <= 1
    True
    """
    from . import simulate

    table, q = plan_queue(plan, threshold=threshold)
    reps = v.check_count(replications, "replications", minimum=2,
                         unit="(confidence intervals need the spread of two or more)")
    model, patience, threshold, sl_definition, interval = (q[k] for k in ("model", "patience", "threshold",
                                                                          "sl_definition", "interval"))
    sim = simulate(table["calls"], table["aht"], table["agents"], patience=patience, handle_cv=handle_cv,
                   replications=reps, seed=seed, interval=interval, threshold=threshold, level=level,
                   sl_definition=sl_definition)
    erl = e.queue_metrics(table["calls"], table["aht"], sim.params["interval"], table["agents"], threshold,
                          model=model, patience=patience, sl_definition=sl_definition)
    got = sim.intervals  # Wilson bounds for the two rates (wfm.simulation._result.proportion_bounds)
    out = pd.DataFrame(index=table.index)
    out["calls"] = table["calls"]
    out["agents"] = table["agents"]
    rates = ["service_level", "abandon_rate", "asa"] if model == "erlang_a" else ["service_level", "asa"]
    flag = np.zeros(len(out), dtype=bool)
    for name in rates:
        expected = erl[name].to_numpy() if name in erl else np.zeros(len(out))
        out[f"{name}_erlang"] = expected
        out[name] = got[name].to_numpy()
        lo, hi = got[f"{name}_lo"].to_numpy(), got[f"{name}_hi"].to_numpy()
        out[f"{name}_lo"], out[f"{name}_hi"] = lo, hi
        if name != "asa":
            flag |= (expected < lo) | (expected > hi)  # NaN bounds (nothing offered) compare False: no flag
    out["flag"] = flag
    return Verification(out, sim, dict(replications=reps, seed=sim.params["seed"], level=float(level),
                                       handle_cv=float(handle_cv), threshold=float(threshold), model=model,
                                       patience=patience, sl_definition=sl_definition))


@dataclass(frozen=True)
class Verification(Result):
    """
    A staffing plan's Erlang figures beside simulated ones; built by :func:`verify_plan`.

    Attributes
    ----------
    table : DataFrame
        One row per interval: ``calls``, ``agents``, then for the service
        level, the abandon rate (Erlang A plans) and the ASA [s] the Erlang
        value (``*_erlang``), the simulated one and its bounds (``*_lo``,
        ``*_hi``: Wilson score bounds for the two rates, see
        :func:`verify_plan`), and ``flag``: the Erlang service level or
        abandon rate lies outside its bounds.
    simulation : Simulation
        The simulation, with its contact and agent-state logs.
    params : dict
        The arguments that built it.
    """

    table: pd.DataFrame
    simulation: object
    params: dict = field(default_factory=dict)

    def figures(self):
        """
        Flags and horizon-wide figures as data: a dict with snake_case keys.

        ``intervals``, ``flagged``, ``flagged_by_chance`` (the expected count
        when the formulas are right, at most: ``1 - level`` times the
        intervals with calls times the rates checked),
        and for service level and abandon rate ``{name}_erlang`` (call-weighted
        mean of the interval values) and ``{name}_simulated`` with its bounds
        ``{name}_simulated_lo`` and ``_hi`` (ratios over every contact; the
        Wilson bounds of :meth:`wfm.simulation.Simulation.summary`).
        """
        tab = self.table
        sim = self.simulation.summary()
        calls = tab["calls"].sum()
        out = {
            "intervals": len(tab),
            "flagged": int(tab["flag"].sum()),
            "flagged_by_chance": round((1 - self.params["level"]) * int((tab["calls"] > 0).sum())
                                       * (2 if "abandon_rate_erlang" in tab else 1), 1),
        }
        for name in ("service_level", "abandon_rate"):
            if f"{name}_erlang" not in tab or calls <= 0:
                continue
            out[f"{name}_erlang"] = float((tab[f"{name}_erlang"] * tab["calls"]).sum() / calls)
            out[f"{name}_simulated"] = float(sim.loc[name, "estimate"])
            out[f"{name}_simulated_lo"] = float(sim.loc[name, "lo"])
            out[f"{name}_simulated_hi"] = float(sim.loc[name, "hi"])
        return out

    def summary(self):
        """:meth:`figures` under display labels (index ``key``, columns ``figure`` and ``value``)."""
        def label(key):
            if key == "flagged_by_chance":
                return "flagged by chance (expected)"
            for name in ("service_level", "abandon_rate"):
                if key.startswith(name):
                    rest = key[len(name) + 1:].replace("erlang", "Erlang (call-weighted)").replace("_", " ")
                    return f"{name.replace('_', ' ')}, {rest}"
            return key

        figures = self.figures()
        return figures_frame(figures, {k: label(k) for k in figures})

    def plot(self, ax=None, **kwargs):
        """Erlang and simulated service level per interval, the band, and the flagged intervals; returns the Axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(11, 4))
        tab = self.table
        x = np.arange(len(tab))
        ax.fill_between(x, tab["service_level_lo"], tab["service_level_hi"], step="mid", color="C0", alpha=0.25,
                        lw=0, label=f"simulated, {self.params['level']:.0%} band")
        ax.step(x, tab["service_level"], where="mid", color="C0", label="simulated", **kwargs)
        ax.step(x, tab["service_level_erlang"], where="mid", color="k", lw=1, ls="--", label="Erlang")
        flagged = tab["flag"].to_numpy()
        ax.plot(x[flagged], tab["service_level_erlang"].to_numpy()[flagged], "x", color="C3",
                label="Erlang outside the band")
        ax.set_ylim(0, 1.02)
        ax.set_ylabel(f"service level within {self.params['threshold']:g} s [0-1]")
        interval_axis(ax, tab.index)
        ax.set_title(f"Plan check: {self.params['model'].replace('_', ' ').title()} against "
                     f"{self.params['replications']} simulated replications")
        legend_below(ax, ncol=4)
        return ax

    def __repr__(self):
        return (f"Verification({len(self.table)} intervals, {int(self.table['flag'].sum())} flagged)\n"
                f"{self._summary_text()}")

    def _repr_html_(self):
        flagged = self.table[self.table["flag"]]
        return ("<h4>Verification</h4>" + self.summary().to_html()
                + f"<p>{len(flagged)} flagged intervals (first 20)</p>"
                + flagged.head(20).to_html(float_format=lambda x: f"{x:.3f}"))
