"""
The model of a multi-skill centre: call types with their volumes, handle times,
patience and service targets; agent groups with skill sets, priorities, costs
and caps; and the routing between them.

:func:`centre` validates everything at the boundary (a type no group can
answer, a group naming an unknown type, a routing list naming an unknown group,
a target that is not a fraction, an abandonment target without patience) and
returns a frozen :class:`Centre` that the staffing functions and
:func:`simulate_centre` read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import _validation as v
from ..simulation import multiskill as ms

__all__ = ["Centre", "centre", "simulate_centre", "overflow_options", "check_unbroken", "TARGET_KEYS"]

#: Keys of a call type's targets: a service level at a threshold, a cap on ASA, a cap on the abandon rate.
TARGET_KEYS = ("service_level", "threshold", "max_asa", "max_abandon_rate")
_DEFAULT_TARGET = {"service_level": 0.8, "threshold": 20.0, "max_asa": None, "max_abandon_rate": None}


@dataclass(frozen=True)
class Centre:
    """
    A validated multi-skill centre (built by :func:`centre`).

    Attributes
    ----------
    calls : DataFrame
        Expected calls per interval (rows, a regular DatetimeIndex) and call
        type (columns). [calls per interval]
    aht, patience : DataFrame
        Mean handle time and mean patience per interval and type; patience
        is ``inf`` for a type whose callers never hang up. [s]
    targets : DataFrame
        One row per type: ``service_level`` [0-1] within ``threshold`` [s],
        ``max_asa`` [s], ``max_abandon_rate`` [0-1]; NaN where not set.
    skills : dict
        Group -> the call types it answers, in the group's priority order
        (or a dict call type -> priority level, 1 first).
    cost : Series
        Cost per agent-hour of each group (any currency, e.g. the loaded
        hourly wage; 1 makes cost count agent-hours). [cost per agent-hour]
    max_agents : Series
        Cap on agents per group; ``inf`` for none. [count]
    routing : dict
        Call type -> its groups in the order an arriving call tries them.
    aht_by_group : dict or None
        ``{type: {group: aht}}`` where a group has its own handle time. [s]
    interval : float
        Interval length. [s]
    params : dict
        ``handle_cv``, ``overflow_delay`` (per type [s]),
        ``primary_groups`` and the resolved routing tables.
    """

    calls: pd.DataFrame
    aht: pd.DataFrame
    patience: pd.DataFrame
    targets: pd.DataFrame
    skills: dict
    cost: pd.Series
    max_agents: pd.Series
    routing: dict
    aht_by_group: dict | None
    interval: float
    params: dict = field(default_factory=dict)

    @property
    def types(self):
        """Call type names, in the order of ``calls``' columns."""
        return list(self.calls.columns)

    @property
    def groups(self):
        """Agent group names, in the order of ``skills``."""
        return list(self.skills)

    @property
    def table(self):
        """
        One row per call type, each column named by its basis: ``calls_total`` [calls, summed over the
        intervals], ``aht`` [s, call-weighted mean], ``load_mean`` [Erlangs, mean over the intervals],
        ``patience`` [s, mean over the intervals; NaN where callers never hang up] and the targets.
        """
        calls = self.calls.sum()
        aht = (self.calls * self.aht).sum() / calls.where(calls > 0)
        load = (self.calls * self.aht).mean() / self.interval
        pat = self.patience.mean().where(np.isfinite(self.patience.mean()))
        return pd.concat([pd.DataFrame({"calls_total": calls, "aht": aht, "load_mean": load, "patience": pat}),
                          self.targets], axis=1).rename_axis("type")

    def skill_matrix(self):
        """Groups (rows) x call types (columns): the priority level of each skill, NaN where a group lacks it."""
        levels = self.params["tables"]["group_level"]
        out = pd.DataFrame(np.nan, index=pd.Index(self.groups, name="group"), columns=pd.Index(self.types, name="type"))
        for b, g in enumerate(self.groups):
            for j, i in enumerate(self.params["tables"]["skills"][g]):
                out.loc[g, i] = levels[b, j]
        return out

    def select(self, positions):
        """The same centre on a subset of its intervals (positions into ``calls``)."""
        pos = np.asarray(positions)
        return Centre(self.calls.iloc[pos], self.aht.iloc[pos], self.patience.iloc[pos], self.targets, self.skills,
                      self.cost, self.max_agents, self.routing, self.aht_by_group, self.interval, self.params)

    def simulate(self, agents, **kwargs):
        """:func:`simulate_centre` of this centre."""
        return simulate_centre(self, agents, **kwargs)

    def __repr__(self):
        return (f"Centre: {len(self.types)} call types, {len(self.groups)} agent groups, {len(self.calls)} intervals "
                f"of {self.interval:g} s\n{self.table.to_string(float_format=lambda x: f'{x:,.4g}')}")

    def _repr_html_(self):
        return (f"<h4>Centre: {len(self.types)} call types, {len(self.groups)} agent groups, {len(self.calls)} "
                f"intervals</h4>" + self.table.to_html(float_format=lambda x: f"{x:,.4g}", na_rep="")
                + self.skill_matrix().to_html(na_rep="", float_format=lambda x: f"{x:g}"))


def centre(calls, skills, *, aht, patience=None, targets=None, cost=None, max_agents=None, routing=None,
           aht_by_group=None, interval=None, handle_cv=1.0, overflow_delay=None, primary_groups=None):
    """
    A validated multi-skill centre.

    Parameters
    ----------
    calls : DataFrame
        Expected calls per interval, one column per call type, on a regular
        DatetimeIndex (one unbroken run). [calls per interval]
    skills : dict
        Agent group -> the call types it answers, in the group's priority
        order (a list), or a dict call type -> priority level (1 first;
        types on one level are served first come, first served).
    aht : numeric, dict, Series or DataFrame
        Mean handle time per call type (one for all, one per type, or
        interval x type). [s]
    patience : None, numeric, dict, Series or DataFrame
        Mean patience per call type, shaped like ``aht``; None (for all or
        for a type) when callers never hang up. [s]
    targets : dict or DataFrame, optional
        Service targets, for every type (``{"service_level": 0.8,
        "threshold": 20}``) or per type (``{type: {...}}`` or a DataFrame
        indexed by type) with keys ``service_level`` [0-1], ``threshold``
        [s], ``max_asa`` [s], ``max_abandon_rate`` [0-1]. A type needs at
        least one target; default 80% within 20 s.
    cost : dict or Series, optional
        Cost per agent-hour of each group (any currency, e.g. the loaded
        hourly wage); 1 for every group by default, so that a staffing's
        cost is its agent-hours. Only the ratios between groups steer the
        staffing. [cost per agent-hour]
    max_agents : dict or Series, optional
        Cap on the agents of a group (e.g. the agents trained in that skill
        set); no cap by default. [count]
    routing : dict, optional
        Call type -> its groups in the order an arriving call tries them;
        default specialists first (see
        :func:`wfm.simulation.multiskill.routing_tables`).
    aht_by_group : dict or DataFrame, optional
        ``{type: {group: aht}}``: the handle time of a type when that group
        answers it. [s]
    interval : float, optional
        Interval length; inferred from the index when None. [s]
    handle_cv : float
        Coefficient of variation of handle times in simulations (1:
        exponential, as Erlang assumes). [-]
    overflow_delay : None, numeric or dict
        Seconds a call waits for its primary groups before its other groups
        may take it (one, or per type); None: no delay. The simulations (and
        so the search of :func:`wfm.skills.staff_centre`) apply it; the
        Erlang approximations ignore it. [s]
    primary_groups : dict, optional
        Call type -> its primary groups (see
        :func:`wfm.simulation.multiskill.routing_tables` for the default).

    Returns
    -------
    Centre

    Raises
    ------
    ValueError
        Naming the type or group: a type no group can answer, a group naming
        an unknown type, a routing list naming an unknown group, a target out
        of range (``service_level`` 80 suggests 0.80), a type without a
        target, ``max_abandon_rate`` for a type without patience, a cost or
        cap that is negative or names an unknown group.

    Examples
    --------
    >>> idx = pd.date_range("2024-01-01 09:00", periods=2, freq="30min")
    >>> c = centre(pd.DataFrame({"service": [100.0, 120], "sales": [30.0, 40]}, index=idx),
    ...            {"svc": ["service"], "mixed": ["sales", "service"]}, aht={"service": 180, "sales": 300})
    >>> c.groups, c.routing["service"]
    (['svc', 'mixed'], ['svc', 'mixed'])
    """
    check_unbroken(calls, interval, "calls")
    prepared = ms.prepare(calls, skills, aht=aht, patience=patience, routing=routing, aht_by_group=aht_by_group,
                          threshold=0, handle_cv=handle_cv, interval=interval, draws=False,
                          overflow_delay=overflow_delay, primary_groups=primary_groups)
    types, groups, index = prepared["types"], prepared["groups"], prepared["index"]
    frame = lambda arr: pd.DataFrame(arr, index=index, columns=pd.Index(types, name="type"))  # noqa: E731
    pat = frame(prepared["patience"])
    tgt = _targets(targets, types, pat)
    aht_frame = frame(prepared["aht3"][:, :, 0] if not aht_by_group else ms.per_type(aht, "aht", types, index,
                                                                                       "seconds"))
    for t in types:  # minutes for seconds: a warning naming the type, as the voice path warns
        v.warn_implausible(aht_frame[t].to_numpy(), f"aht[{t!r}]", "aht", index=index)
    for t, per_group in (aht_by_group.items() if isinstance(aht_by_group, dict) else ()):
        for g, value in per_group.items():
            v.warn_implausible(value, f"aht_by_group[{t!r}][{g!r}]", "aht")
    return Centre(calls=frame(prepared["calls"]), aht=aht_frame, patience=pat, targets=tgt,
                  skills=dict(skills), cost=_per_group(cost, "cost", groups, 1.0),
                  max_agents=_per_group(max_agents, "max_agents", groups, np.inf, whole=True),
                  routing=prepared["routing"], aht_by_group=aht_by_group, interval=prepared["interval"],
                  params=dict(handle_cv=prepared["params"]["handle_cv"],
                              overflow_delay=prepared["params"]["overflow_delay"],
                              primary_groups=prepared["primary_groups"],
                              tables={k: prepared[k] for k in ("skills", "routing", "type_groups", "group_types",
                                                               "group_level")}))


def check_unbroken(calls, interval=None, name="calls"):
    """
    Refuse intervals missing from the one unbroken run a centre needs, naming ``name``, the first missing
    interval and the fix (0 calls where closed, or one centre per open block).

    Passes what other checks own: no DatetimeIndex, unsorted or repeated timestamps, an interval that cannot be
    inferred. ``interval`` [s] is inferred from the index when None.

    Examples
    --------
    >>> idx = pd.DatetimeIndex(["2024-03-04 08:00", "2024-03-04 08:30", "2024-03-04 09:30"])
    >>> check_unbroken(pd.DataFrame({"a": [1.0, 2, 3]}, index=idx))
    Traceback (most recent call last):
    ...
    ValueError: calls must cover one unbroken run of intervals: ... 1 interval of 30min is missing, first 2024-03-04
    09:00 (the rows before and after it are 2024-03-04 08:30 and 2024-03-04 09:30). If the centre was closed ...
    """
    index = getattr(calls, "index", None)
    if not isinstance(index, pd.DatetimeIndex) or len(index) < 2 or not index.is_monotonic_increasing \
            or index.has_duplicates:
        return
    try:
        length = v.infer_interval(index, name) if interval is None else float(interval)
    except (ValueError, TypeError):
        return
    steps = np.asarray((index[1:] - index[:-1]).total_seconds())
    gaps = np.flatnonzero(steps > length + 1e-6)
    if not gaps.size:
        return
    k = int(gaps[0])
    missing = int(np.round(steps[gaps] / length).sum() - gaps.size)
    fmt = lambda t: f"{t:%Y-%m-%d %H:%M}"  # noqa: E731
    raise ValueError(f"{name} must cover one unbroken run of intervals: a multi-skill centre is staffed and simulated "
                     f"interval after interval. {missing} interval{'s' if missing != 1 else ''} of "
                     f"{v._fmt_td(pd.Timedelta(seconds=length))} {'are' if missing != 1 else 'is'} missing, first "
                     f"{fmt(index[k] + pd.Timedelta(seconds=length))} (the rows before and after it are "
                     f"{fmt(index[k])} and {fmt(index[k + 1])}). If the centre was closed then (a lunch, the night) "
                     "or quiet, put those intervals in with 0 calls: an interval with no calls gets no agents. Or "
                     "staff each open block as a centre of its own.")


def _per_group(value, name, groups, default, whole=False):
    out = pd.Series(float(default), index=pd.Index(groups, name="group"), name=name)
    if value is None:
        return out
    if not isinstance(value, (dict, pd.Series)):
        arr = v.as_float_array(value, name)
        if arr.ndim:
            raise TypeError(f"{name} must be one number or a dict group -> number; got shape {arr.shape}.")
        value = {g: float(arr) for g in groups}
    for g, x in value.items():
        if g not in groups:
            raise ValueError(f"{name} names the group {g!r}, which is not among the agent groups {groups}.")
        arr = v.as_float_array(x, f"{name}[{g!r}]")
        if arr.ndim:
            raise TypeError(f"{name}[{g!r}] must be one number; got shape {arr.shape}.")
        if whole and np.isfinite(arr):
            v.check_whole(np.atleast_1d(arr), f"{name}[{g!r}]")
        if not arr >= 0:
            raise ValueError(f"{name}[{g!r}] must be >= 0; got {float(arr):g}.")
        out[g] = float(arr)
    return out


def _targets(targets, types, patience):
    if targets is None:
        targets = dict(_DEFAULT_TARGET)
    if isinstance(targets, pd.DataFrame):
        targets = {i: {k: x for k, x in row.items() if pd.notna(x)} for i, row in targets.iterrows()}
    if not isinstance(targets, dict):
        raise TypeError("targets must be a dict ({'service_level': 0.8, 'threshold': 20} for every type, or "
                        f"{{type: {{...}}}}) or a DataFrame indexed by type; got {type(targets).__name__}.")
    # one dict for every type (its keys are target keys, its values numbers), or one per type (dicts)
    for_all = any(k in TARGET_KEYS for k in targets) or any(not isinstance(x, dict) for x in targets.values())
    unknown = [k for k in targets if k not in (TARGET_KEYS if for_all else types)]
    if unknown and for_all:
        raise ValueError(f"targets has the unknown target key {unknown[0]!r}; the keys are {list(TARGET_KEYS)}."
                         + v._suggest(unknown[0], TARGET_KEYS)
                         + (f" (To set targets per call type, map each type to its own dict: {{{types[0]!r}: "
                            "{'service_level': 0.8, 'threshold': 20}, ...}.)" if unknown[0] in types else ""))
    if unknown:
        raise ValueError(f"targets names the call type {unknown[0]!r}, which is not among the call types {types}."
                         + v._suggest(unknown[0], types))
    if for_all:
        targets = {i: dict(targets) for i in types}
    rows = {}
    for i in types:
        spec = targets.get(i, _DEFAULT_TARGET)
        v.check_keys(spec, f"targets[{i!r}]", TARGET_KEYS)
        row = {k: spec.get(k) for k in TARGET_KEYS}
        if row["service_level"] is not None:
            row["threshold"] = 20.0 if row["threshold"] is None else row["threshold"]
            v.check_fraction(v.as_float_array(row["service_level"], f"targets[{i!r}]['service_level']"),
                             f"targets[{i!r}]['service_level']", closed_high=False)
            v.check_nonnegative(v.as_float_array(row["threshold"], f"targets[{i!r}]['threshold']"),
                                f"targets[{i!r}]['threshold']", "seconds")
        elif row["threshold"] is not None:
            raise ValueError(f"targets[{i!r}] gives a threshold but no service_level; add service_level "
                             "(e.g. 0.8) or drop the threshold.")
        if row["max_asa"] is not None:
            v.check_positive(v.as_float_array(row["max_asa"], f"targets[{i!r}]['max_asa']"),
                             f"targets[{i!r}]['max_asa']", "seconds")
        if row["max_abandon_rate"] is not None:
            v.check_fraction(v.as_float_array(row["max_abandon_rate"], f"targets[{i!r}]['max_abandon_rate']"),
                             f"targets[{i!r}]['max_abandon_rate']", closed_high=False)
            if np.isinf(patience[i]).all():
                raise ValueError(f"targets[{i!r}] caps the abandon rate but the type has no patience (callers never "
                                 "hang up); give patience for it or drop max_abandon_rate.")
        if all(row[k] is None for k in ("service_level", "max_asa", "max_abandon_rate")):
            raise ValueError(f"targets[{i!r}] sets no target; give service_level (with threshold), max_asa or "
                             "max_abandon_rate.")
        rows[i] = row
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(TARGET_KEYS)).astype(float).rename_axis("type")


def simulate_centre(centre, agents, *, replications=10, seed=None, level=0.95, warmup=0, log=False):
    """
    Simulate a centre under a staffing (see :func:`wfm.simulation.simulate_multiskill`).

    Parameters
    ----------
    centre : Centre
    agents : dict, Series or DataFrame
        Agents per group (one count each) or per interval and group. [count]
    replications, seed, level, warmup, log
        As in :func:`wfm.simulation.simulate_multiskill`.

    Returns
    -------
    MultiskillSimulation
        With the service threshold of each type from ``centre.targets``.
    """
    thr = centre.targets["threshold"].fillna(20.0).to_dict()
    pat = {i: (None if np.isinf(centre.patience[i]).all() else centre.patience[i]) for i in centre.types}
    return ms.simulate_multiskill(centre.calls, agents, centre.skills, aht=centre.aht, patience=pat,
                                  routing=centre.routing, aht_by_group=centre.aht_by_group, threshold=thr,
                                  handle_cv=centre.params["handle_cv"], replications=replications, seed=seed,
                                  interval=centre.interval, level=level, warmup=warmup, log=log,
                                  **overflow_options(centre))


def overflow_options(centre):
    """The ``overflow_delay`` and ``primary_groups`` of a centre, as the simulator takes them."""
    return dict(overflow_delay=centre.params.get("overflow_delay"), primary_groups=centre.params.get("primary_groups"))
