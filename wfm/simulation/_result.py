"""Per-interval statistics with confidence intervals, the two logs, and :class:`Simulation`."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from .._results import Result, interval_axis, legend_below
from .schedules import IDLE, LOGGED_OUT, ON_CONTACT, STATES

__all__ = ["Simulation", "ratio_ci", "proportion_bounds", "rate_ci", "horizon_ci", "RATES", "PROPORTIONS"]

#: Rates of the interval table: (column, numerator tally, denominator tally).
RATES = ("service_level", "abandon_rate", "asa", "occupancy")
_COUNTS = ("offered", "answered", "abandoned", "waiting")


# --------------------------------------------------------------------------
# Statistics over replications.
# --------------------------------------------------------------------------


def ratio_ci(y, x, level):
    """Ratio estimate sum(y) / sum(x) over replications (axis 0) and its confidence interval.

    Each replication r gives a pair (y_r, x_r), e.g. contacts answered within
    the threshold and contacts offered. The estimate is the ratio of the sums
    (every contact weighs the same, as in the Erlang formulas) and its
    standard error the delta-method one, sqrt(sum (y_r - R x_r)^2 / (n (n-1)))
    / mean(x), with Student's t on n - 1 degrees of freedom. NaN where x sums
    to 0; the bounds are None with one replication.
    """
    y = np.asarray(y, dtype=float)
    x = np.asarray(x, dtype=float)
    n = y.shape[0]
    sy, sx = y.sum(axis=0), x.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        est = np.where(sx > 0, sy / sx, np.nan)
    if n < 2:
        return est, None, None
    resid = y - np.where(sx > 0, est, 0.0) * x
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt((resid ** 2).sum(axis=0) / (n * (n - 1))) / (sx / n)
    half = stats.t.ppf(0.5 + level / 2, n - 1) * se
    return est, est - half, est + half


def proportion_bounds(y, x, level):
    """Wilson score bounds of proportions y / x per interval, on counts pooled over replications (axis 0).

    ``y`` and ``x`` are (replications, intervals) counts, e.g. contacts answered within the threshold and contacts
    offered, or (replications, intervals, ...) to bound several series at once (one per call type). The contacts of
    one replication are not independent (one queue serves them), so the pooled count of each interval is divided by
    a design effect: the variance of the ratio estimate between replications over the binomial variance, pooled over
    the intervals (axis 1; a ratio of sums, so it stays defined where an interval has no event at all), and never
    below 1 (Kish; Korn and Graubard); each series along further axes gets its own. Horizon figures are one
    interval: the counts summed over the intervals per replication (see :func:`horizon_ci`). Unlike Student's t over
    replications, the bounds are never [0, 0] where no event happened in a few replications. Returns ``(lo, hi)``
    in [0, 1], shaped like ``y`` less axis 0; NaN where ``x`` sums to 0. Needs two or more replications. Shared by
    every simulator (through :func:`rate_ci`) and :func:`wfm.verify_plan`.
    """
    y, x = np.asarray(y, dtype=float), np.asarray(x, dtype=float)
    reps = y.shape[0]
    z2 = stats.norm.ppf(0.5 + level / 2) ** 2
    ys, xs = y.sum(axis=0), x.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(xs > 0, ys / xs, np.nan)
    spread = (((y - np.nan_to_num(p) * x) ** 2).sum(axis=0) * reps / (reps - 1)).sum(axis=0)
    binomial = np.nansum(xs * p * (1 - p), axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        deff = np.where(binomial > 0, np.maximum(1.0, spread / binomial), 1.0)
        n = xs / deff
        centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        half = np.sqrt(z2 * p * (1 - p) / n + z2 ** 2 / (4 * n ** 2)) / (1 + z2 / n)
    return np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)


#: Rates that are proportions of contacts, in every simulator: their bounds are :func:`proportion_bounds` (Wilson);
#: every other rate (ASA, occupancy = busy over staffed time, callback wait) is a ratio bounded by :func:`ratio_ci`.
PROPORTIONS = ("service_level", "abandon_rate", "blocked_rate", "callback_rate")


def rate_ci(name, num, den, level):
    """Estimate and bounds ``(est, lo, hi)`` of the rate ``name`` = sum(num) / sum(den) over replications (axis 0).

    The one rule of the simulators: a proportion of contacts (:data:`PROPORTIONS`) gets Wilson score bounds on the
    pooled counts (:func:`proportion_bounds`, the design effect pooled over axis 1, the intervals), any other ratio
    Student's t over replications (:func:`ratio_ci`). ``num`` and ``den`` are (replications, intervals, ...)
    tallies; the bounds are None with one replication.
    """
    est, lo, hi = ratio_ci(num, den, level)
    if name in PROPORTIONS and lo is not None:
        lo, hi = proportion_bounds(num, den, level)
    return est, lo, hi


def horizon_ci(name, num, den, level):
    """:func:`rate_ci` of horizon-wide figures from per-replication totals (replications,) or (replications, k).

    Each figure (each of the ``k`` columns, e.g. call types) is one interval of its own, so a proportion's design
    effect is that of its own totals. Returns ``(est, lo, hi)`` shaped like ``num`` less axis 0 (bounds None with
    one replication).
    """
    out = rate_ci(name, np.expand_dims(np.asarray(num, dtype=float), 1),
                  np.expand_dims(np.asarray(den, dtype=float), 1), level)
    return tuple(None if a is None else a[0] for a in out)


def _rate_parts(t, sl_definition):
    """(numerator, denominator) tallies of each rate."""
    sl_base = t["offered"] - t["short_abandoned"] if sl_definition == "exclude_short_abandons" else t["offered"]
    return {
        "service_level": (t["answered_within"], sl_base),
        "abandon_rate": (t["abandoned"], t["offered"]),
        "asa": (t["wait_answered"], t["answered"]),
        "occupancy": (t["busy_seconds"], t["staffed_seconds"]),
    }


def rate_table(tallies, level, sl_definition, index=None, axis_sum=False):
    """Counts (means per replication) and rates with bounds from stacked tallies (R, T).

    The bounds are :func:`rate_ci`'s: Wilson (:func:`proportion_bounds`) for the service level and abandon rate,
    Student's t over replications (:func:`ratio_ci`) for the ASA and occupancy.
    """
    t = {k: (val.sum(axis=1, keepdims=True) if axis_sum else val) for k, val in tallies.items()}
    n = t["offered"].shape[0]
    out = {k: t[k].mean(axis=0) for k in _COUNTS}
    for name, (num, den) in _rate_parts(t, sl_definition).items():
        est, lo, hi = rate_ci(name, num, den, level)
        if name != "asa":
            est = np.clip(est, 0.0, 1.0)
        out[name] = est
        if n > 1:
            low, high = (0.0, 1.0) if name != "asa" else (0.0, np.inf)
            out[f"{name}_lo"] = np.clip(lo, low, high)
            out[f"{name}_hi"] = np.clip(hi, low, high)
    return pd.DataFrame(out, index=index)


# --------------------------------------------------------------------------
# Logs.
# --------------------------------------------------------------------------


def state_rows(periods, login, logout, served_by, answer, end, extra=None):
    """Agent-state rows of one replication: (agent code, state code, start, end) arrays.

    On-contact rows are the answered contacts; idle rows fill each duty
    period around them; the gaps between periods of one agent carry the
    period's ``gap_state`` (break, lunch, logged out) unless it is not
    logged; ``extra`` adds (agent, start, end) logged-out rows. Rows of zero
    length are dropped; rows come sorted by agent and start.
    """
    p = periods.agent.size
    ans = served_by >= 0
    g_c, s_c, e_c = served_by[ans], answer[ans], end[ans]
    # Period of each contact: the last period of its agent that started at or before it.
    keys_g = np.r_[periods.agent, g_c]
    keys_t = np.r_[login, s_c]
    kind = np.r_[np.zeros(p, dtype=np.int8), np.ones(g_c.size, dtype=np.int8)]
    order = np.lexsort((kind, keys_t, keys_g))
    is_period = order < p
    running = np.maximum.accumulate(np.where(is_period, order, -1))
    c_order = order[~is_period] - p  # contacts sorted by agent and answer time
    pid = running[~is_period]
    s_sorted, e_sorted = s_c[c_order], e_c[c_order]
    first_in_period = np.r_[True, pid[1:] != pid[:-1]] if pid.size else np.zeros(0, dtype=bool)
    prev_end = np.where(first_in_period, login[pid] if pid.size else np.zeros(0),
                        np.r_[np.nan, e_sorted[:-1]])
    last_end = login.copy()
    if pid.size:
        last_in_period = np.r_[pid[1:] != pid[:-1], True]
        last_end[pid[last_in_period]] = e_sorted[last_in_period]
    same_agent = np.zeros(p, dtype=bool)
    same_agent[1:] = periods.agent[1:] == periods.agent[:-1]
    gap = same_agent & (periods.gap_state >= 0)
    gap_prev = np.flatnonzero(gap) - 1

    parts = [
        (g_c[c_order], np.full(pid.size, ON_CONTACT), s_sorted, e_sorted),
        (periods.agent[pid], np.full(pid.size, IDLE), prev_end, s_sorted),
        (periods.agent, np.full(p, IDLE), last_end, logout),
        (periods.agent[gap], periods.gap_state[gap], logout[gap_prev], login[gap]),
    ]
    if extra is not None:
        parts.append((extra[0], np.full(extra[0].size, LOGGED_OUT), extra[1], extra[2]))
    g = np.concatenate([q[0] for q in parts]).astype(np.int64)
    state = np.concatenate([q[1] for q in parts]).astype(np.int8)
    start = np.concatenate([q[2] for q in parts])
    stop = np.concatenate([q[3] for q in parts])
    keep = stop > start
    g, state, start, stop = g[keep], state[keep], start[keep], stop[keep]
    order = np.lexsort((start, g))
    return g[order], state[order], start[order], stop[order]


def to_time(origin, seconds, unit="us"):
    """Seconds from ``origin`` as timestamps in ``unit`` ("us" or "ns"; NaN -> NaT), time zone kept."""
    scale = 1e6 if unit == "us" else 1e9
    seconds = np.asarray(seconds, dtype=float)
    missing = np.isnan(seconds)
    ticks = np.rint(np.where(missing, 0.0, seconds) * scale).astype(np.int64)
    ticks[missing] = np.iinfo(np.int64).min  # NaT
    return pd.Timestamp(origin).as_unit(unit) + pd.TimedeltaIndex(ticks.view(f"m8[{unit}]"))


def time_unit(index):
    """The unit of the logs' timestamps: the index's, but never coarser than microseconds."""
    return "ns" if getattr(index, "unit", "ns") == "ns" else "us"


def states_frame(states):
    """Categorical state column from codes."""
    return pd.Categorical.from_codes(states, categories=list(STATES))


# --------------------------------------------------------------------------
# The results object.
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Simulation(Result):
    """
    Contact log, agent-state log and per-interval results of a simulation.

    Built by :func:`wfm.simulate`. Rates are estimated over every
    replication at once (a ratio of sums: each contact weighs the same) and,
    with two or more replications, carry ``_lo``/``_hi`` bounds at
    ``params["level"]``: Wilson score bounds for the service level and
    abandon rate, proportions of contacts (:func:`proportion_bounds`, as
    :func:`wfm.verify_plan` flags from), and Student's t over replications
    for the ASA and occupancy (:func:`ratio_ci`), both per interval and over
    the horizon (:meth:`summary`).

    Attributes
    ----------
    intervals : DataFrame
        One row per interval of ``calls``: ``calls`` (expected), ``agents``
        (given, or scheduled on duty on average for schedules), ``staffed``
        (agents logged in and not on a break, on average, as simulated),
        ``offered``, ``answered``, ``abandoned``, ``waiting`` (contacts no
        agent was left to answer) as means per replication [contacts], and
        ``service_level``, ``abandon_rate``, ``asa`` [s] and ``occupancy``
        [0-1] with their bounds (see above). Contacts count in the interval they arrived
        in; busy and staffed time in the interval it was spent in. A rate is
        NaN where its denominator is zero in every replication (no contact
        offered, none answered, or no agent staffed).
    contacts : DataFrame
        One row per contact: ``replication``, ``contact`` (0, 1, ... in order
        of arrival), ``interval`` (label of its arrival interval),
        ``arrival``, ``answer`` (NaT unless answered), ``abandon`` (NaT
        unless abandoned), ``end`` (end of the contact or the abandon; NaT
        for a contact still waiting), ``agent`` (<NA> unless answered),
        ``wait`` [s] (NaN for a contact still waiting), ``handle`` [s] (0
        unless answered), ``answered`` and ``abandoned`` flags.
    agent_states : DataFrame
        One row per spell: ``replication``, ``agent``, ``state`` (one of
        ``idle``, ``on_contact``, ``break``, ``lunch``, ``logged_out``),
        ``start``, ``end``. One agent's spells never overlap. ``logged_out``
        rows cover scheduled time not worked (late log-in, early log-out,
        absence) and, for agents per interval, the gaps between an agent's
        duty spells within an open block.
    by_replication : DataFrame
        The per-interval sums of each replication, long format, to compute
        other statistics: ``replication``, ``interval``, ``offered``,
        ``answered``, ``abandoned``, ``waiting``, ``answered_within``
        (answered within ``threshold``), ``short_abandoned`` (abandoned
        within it), ``wait_answered`` [s] (total wait of the answered),
        ``busy_seconds`` and ``staffed_seconds`` [agent-seconds].
    params : dict
        The arguments that built it (``seed`` holds the entropy that
        reproduces a run made with ``seed=None``).
    """

    intervals: pd.DataFrame
    contacts: pd.DataFrame
    agent_states: pd.DataFrame
    by_replication: pd.DataFrame
    params: dict = field(default_factory=dict)

    @property
    def table(self):
        """The per-interval results (:attr:`intervals`)."""
        return self.intervals

    def figures(self):
        """The :meth:`summary` as plain numbers: each figure's estimate, and ``<figure>_lo``/``_hi`` with bounds."""
        s = self.summary()
        out = {name: float(s.loc[name, "estimate"]) for name in s.index}
        for col in ("lo", "hi"):
            if col in s:
                out.update({f"{name}_{col}": float(s.loc[name, col]) for name in s.index})
        return out

    def sheets(self):
        """The per-interval results (contacts and agent states can outgrow a sheet: write them with
        :func:`wfm.report.write_table`)."""
        return {"intervals": self.intervals}

    def summary(self):
        """
        Figures over the whole horizon, with bounds over replications.

        Returns
        -------
        DataFrame
            Index ``offered``, ``answered``, ``abandoned``, ``waiting`` (means
            per replication), ``service_level``, ``abandon_rate``, ``asa``
            [s], ``occupancy`` (ratios of sums over every interval and
            replication); column ``estimate`` and, with two or more
            replications, the bounds ``lo`` and ``hi`` at ``params["level"]``:
            Wilson score bounds for the service level and abandon rate
            (:func:`proportion_bounds` on the horizon totals of each
            replication), Student's t over the replications for the counts,
            the ASA and occupancy.
        """
        by = self.by_replication
        p = self.params
        reps = p["replications"]
        tallies = {k: by[k].to_numpy().reshape(reps, -1).sum(axis=1) for k in by.columns
                   if k not in ("replication", "interval")}
        cis = {k: ratio_ci(tallies[k], np.ones(reps), p["level"]) for k in _COUNTS}  # counts: means per replication
        cis.update({name: horizon_ci(name, num, den, p["level"])
                    for name, (num, den) in _rate_parts(tallies, p["sl_definition"]).items()})
        upper = {"service_level": 1.0, "abandon_rate": 1.0, "occupancy": 1.0}
        frame = {}
        for name, (est, lo, hi) in cis.items():
            bounds = (0.0, upper.get(name, np.inf))
            frame[name] = [float(np.clip(x, *bounds)) for x in ((est, lo, hi) if reps > 1 else (est,))]
        return pd.DataFrame.from_dict(frame, orient="index", columns=["estimate", "lo", "hi"][:1 + 2 * (reps > 1)])

    def plot(self, ax=None, **kwargs):
        """Offered contacts (bars) and the simulated service level with its band, per interval; returns the Axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(11, 4))
        tab = self.intervals
        x = np.arange(len(tab))
        ax.bar(x, tab["offered"], width=1.0, color="0.85", label="offered (mean)")
        ax.set_ylabel("contacts per interval")
        ax2 = ax.twinx()
        if "service_level_lo" in tab:
            ax2.fill_between(x, tab["service_level_lo"], tab["service_level_hi"], step="mid", color="C0",
                             alpha=0.25, lw=0, label=f"{self.params['level']:.0%} band")
        ax2.step(x, tab["service_level"], where="mid", color="C0", label="service level", **kwargs)
        if self.params.get("patience") is not None:
            ax2.step(x, tab["abandon_rate"], where="mid", color="C3", label="abandon rate")
        ax2.set_ylim(0, 1.02)
        ax2.set_ylabel("fraction of offered")
        interval_axis(ax, tab.index)
        p = self.params
        ax.set_title(f"Simulation: {p['replications']} replication(s), service level within "
                     f"{p['threshold']:g} s")
        h1, l1 = ax.get_legend_handles_labels()
        h2, l2 = ax2.get_legend_handles_labels()
        legend_below(ax, h1 + h2, l1 + l2, ncol=4)
        return ax

    def _headline(self):
        p = self.params
        model = "Erlang A (patience)" if p.get("patience") is not None else "Erlang C (no abandonment)"
        return (f"Simulation of {len(self.intervals)} intervals in {p['blocks']} open block(s), "
                f"{p['replications']} replication(s), {model}, handle CV {p['handle_cv']:g}, "
                f"staffing: {p['staffing']}")

    def __repr__(self):
        s = self.summary()
        text = f"{self._headline()}\n{s.to_string(float_format=lambda x: f'{x:,.4g}')}"
        waiting = s.loc["waiting", "estimate"]
        if waiting > 0:
            text += (f"\n{waiting:g} contacts per replication were still waiting at the end: no agent was left "
                     "to answer them and callers never hang up (patience=None).")
        return text

    def _repr_html_(self):
        return (f"<h4>{self._headline()}</h4>" + self.summary().to_html(float_format=lambda x: f"{x:,.4g}",
                                                                        na_rep="")
                + f"<p>First {min(20, len(self.intervals))} of {len(self.intervals)} intervals</p>"
                + self.intervals.head(20).to_html(float_format=lambda x: f"{x:.3f}"))


