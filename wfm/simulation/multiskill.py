r"""
Discrete-event simulation of a multi-skill contact centre: several call types,
agent groups with skill sets, and skill-based routing.

The single-queue simulator (:func:`wfm.simulate`) serves one first-come-
first-served queue with identical agents. Here calls come in several *types*
(service, sales, a second language, ...) and agents sit in *groups*, each
holding a set of skills (the types it may answer). :func:`simulate_multiskill`
plays such a centre out, call by call, over a horizon of intervals.

The model
---------
* **Arrivals** of each type: a Poisson process whose rate is constant within
  each interval (``calls[type]`` expected calls per interval), drawn exactly as
  the single-queue simulator draws them.
* **Handle time**: mean ``aht`` of the call's type and arrival interval, or
  ``aht_by_group[type][group]`` when the group that answers it has its own
  mean; exponential when ``handle_cv`` is 1, lognormal otherwise. A call
  draws one unit handle factor, multiplied by the mean of the group that
  answers it, so two runs with the same seed and different staffing see the
  same callers (common random numbers).
* **Patience**: exponential with mean ``patience`` of the type (Erlang A), or
  none (the caller waits as long as it takes).
* **Routing** (static priorities, as in most automatic call distributors
  and in the models of [1]_ and [2]_): an arriving call goes to the first
  group in its type's routing list that has an idle agent on duty, and there
  to the agent idle longest. When no such agent is free it waits in its
  type's first-come-first-served queue. An agent who becomes free (ends a
  call, or comes on duty) looks at the queues of its group's types in the
  group's priority order and takes the oldest waiting call of the first type
  that has one; if none waits it goes idle.
* **Overflow after a delay** (``overflow_delay``, as many centres set their
  router): a group that is not *primary* for a type (``primary_groups``;
  by default the groups that hold the type at their first priority level)
  may take a call of that type only after it has waited ``overflow_delay``
  seconds. At arrival the call tries its primary groups (in its routing
  order); at that instant, if still waiting, it tries its whole routing
  list; from then on an agent of a secondary group who becomes free may take
  it. With a delay of 0 (the default) this is the routing above; with
  ``inf`` the secondary groups never take the type, as if they lacked the
  skill (both tested exactly).
* **Staffing** changes at interval boundaries: agent k of a group is on duty
  while the group has more than k agents. An agent who leaves while on a call
  finishes it first. After the last interval arrivals stop and the agents of
  the last interval stay until every call is answered or has abandoned.

With one type and one group this is the single-queue model, and with the same
seed it draws the same callers: the answer time of every call equals that of
:func:`wfm.simulate` (tested).

Per type and interval (the call's arrival interval): service level = calls
answered within the type's ``threshold`` over calls offered, abandon rate =
abandoned over offered, ASA = mean wait of the answered calls. Per group and
interval: occupancy = busy agent-seconds over staffed agent-seconds (agents on
duty, plus agents finishing a call after leaving), and calls handled per type.
Rates are ratios of sums over replications with confidence bounds from
independent replications, by the rule of :mod:`wfm.simulation`
(:func:`~wfm.simulation._result.rate_ci`): Wilson score bounds on the pooled
counts, shrunk by a design effect, for the proportions of calls (service
level, abandon rate), Student's t over replications (delta method) for the
ASA and occupancy.

The event loop is compiled with numba: arrivals, completions and staffing
changes are merged in time order; the idle agents of each group form a
linked list in order of idleness and busy agents a binary heap keyed on the
end of their call, so each event costs O(types + groups + log agents).

References
----------
.. [1] R. B. Wallace and W. Whitt, "A staffing algorithm for call centers
   with skill-based routing", Manufacturing & Service Operations Management
   7(4), 276-294, 2005.
.. [2] M. T. Cezik and P. L'Ecuyer, "Staffing multiskill call centers via
   linear programming and simulation", Management Science 54(2), 310-323,
   2008.
.. [3] G. Koole, "Call Center Optimization", MG books, 2013, chapter 6
   (skill-based routing).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import _validation as v
from .._results import TIME_LABEL, Result, date_axis
from . import _engine as eng
from ._multiskill_inputs import (agents_array, calls_frame, overflow_delays, per_type, routing_tables,
                                 thresholds, _aht_table)
from ._result import horizon_ci, rate_ci, ratio_ci

__all__ = ["simulate_multiskill", "MultiskillSimulation", "routing_tables"]

_TYPE_TALLIES = ("offered", "answered", "abandoned", "waiting", "answered_within", "wait_answered")


# --------------------------------------------------------------------------
# Inputs, draws and tallies.
# --------------------------------------------------------------------------


def prepare(calls, skills, *, aht, patience=None, routing=None, aht_by_group=None, threshold=20, handle_cv=1.0,
            replications=1, seed=None, interval=None, level=0.95, warmup=0, draws=True, overflow_delay=None,
            primary_groups=None):
    """Validated inputs and the random draws of every replication (they do not depend on staffing).

    The arguments are those of :func:`simulate_multiskill` less ``agents``;
    :func:`run` then plays any staffing against the same callers (common
    random numbers), which is what the staffing search of
    :mod:`wfm.skills` does.
    """
    types, index, calls_arr = calls_frame(calls)
    tables = routing_tables(types, skills, routing, primary_groups)
    groups = tables["groups"]
    delay = overflow_delays(overflow_delay, types)
    if interval is None:
        length = float(v.infer_interval(index, "calls"))
    else:
        length = float(v.check_positive(v.as_float_array(interval, "interval"), "interval", "seconds"))
    starts = v.check_spacing(index, length, "calls")
    if np.any(np.abs(np.diff(starts) - length) > 1e-6):
        raise ValueError("calls must cover one unbroken run of intervals (no closed gaps) for the multi-skill "
                         "simulator; simulate each open block on its own.")
    pat = per_type(patience, "patience", types, index, "seconds", allow_none=True)
    thr = thresholds(threshold, types)
    cv = v.as_float_array(handle_cv, "handle_cv")
    v.check_positive(cv, "handle_cv", hint="handle_cv is the coefficient of variation of handle times: 1 for "
                     "exponential.")
    reps = v.check_count(replications, "replications", minimum=1)
    v.check_fraction(v.as_float_array(level, "level"), "level", closed_high=False)
    warm = v.check_count(warmup, "warmup", minimum=0)
    if warm >= len(index):
        raise ValueError(f"warmup must leave at least one interval of the {len(index)} in calls; got {warm}.")
    aht3 = _aht_table(aht, aht_by_group, types, groups, tables["skills"], index)
    ss = _seed_sequence(seed)
    draws = [_draw(child, calls_arr, starts, length, pat, float(cv)) for child in ss.spawn(reps)] if draws else []
    return dict(types=types, index=index, calls=calls_arr, interval=length, starts=starts,
                patience=pat, threshold=thr, aht3=aht3, draws=draws, warmup=warm, level=float(level), delay=delay,
                **tables,
                params=dict(interval=length, handle_cv=float(cv), replications=reps, level=float(level),
                            warmup=warm, seed=ss.entropy, threshold=dict(zip(types, thr.tolist())),
                            model="erlang_c" if np.isinf(pat).all() else "erlang_a",
                            skills=tables["skills"], routing=tables["routing"],
                            overflow_delay=dict(zip(types, delay.tolist())),
                            primary_groups=tables["primary_groups"]))


def _seed_sequence(seed):
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        raise TypeError("seed must be an int, a numpy SeedSequence or None; got a Generator. Pass an int.")
    return np.random.SeedSequence(None if seed is None else v.check_count(seed, "seed", minimum=0))


def _draw(child, calls, starts, length, patience, cv):
    """One replication's callers, drawn from the same streams as :func:`wfm.simulate` draws them."""
    rng_arrive, rng_handle, rng_patience, _ = (np.random.default_rng(s) for s in child.spawn(4))
    parts = [eng.draw_arrivals(rng_arrive, calls[:, j], starts, length) for j in range(calls.shape[1])]
    arrival = np.concatenate([p[0] for p in parts])
    where = np.concatenate([p[1] for p in parts])
    ctype = np.repeat(np.arange(len(parts)), [p[0].size for p in parts])
    order = np.argsort(arrival, kind="stable")
    arrival, where, ctype = arrival[order], where[order], ctype[order]
    n = arrival.size
    factor = eng.draw_handle(rng_handle, np.ones(n), cv)
    mean = patience[where, ctype]
    if np.isinf(mean).all():
        wait = eng.draw_patience(rng_patience, None, n)
    else:
        unit = rng_patience.standard_exponential(n)
        wait = np.where(np.isinf(mean), np.inf, unit * np.where(np.isinf(mean), 1.0, mean))
    counts = np.bincount(ctype, minlength=calls.shape[1])
    return dict(arrival=arrival, where=where.astype(np.int64), ctype=ctype.astype(np.int64), factor=factor,
                patience=wait, deadline=arrival + wait, qbuf=np.argsort(ctype, kind="stable").astype(np.int64),
                qstart=np.r_[0, np.cumsum(counts)].astype(np.int64))


def check_staffing(inp, staff):
    """Raise when a type receives calls that no agent on duty can ever answer (see simulate_multiskill)."""
    types, groups, index = inp["types"], inp["groups"], inp["index"]
    for j, i in enumerate(types):  # a secondary group with an infinite overflow delay never answers the type
        holders = [b for b, g in enumerate(groups) if i in inp["skills"][g]
                   and (inp["primary"][j, b] or np.isfinite(inp["delay"][j]))]
        able = staff[:, holders].sum(axis=1)
        busy = inp["calls"][:, j] > 0
        if busy.any() and not (able > 0).any():
            raise ValueError(f"no agent can answer the call type {i!r}: its groups {[groups[h] for h in holders]} "
                             "have 0 agents in every interval while it receives calls. Staff one of them.")
        if np.isinf(inp["patience"][:, j]).all():
            v.check_staffed(inp["calls"][:, j], able, index=index,
                            hint=f"The call type {i!r} never abandons (patience None): staff one of its groups "
                                 f"{[groups[h] for h in holders]} in every interval it has calls, or give patience.")


def run(inp, staff, *, groups_too=True, keep=None):
    """Play staffing ``staff`` [T, G] against the prepared callers; per-replication tallies (R, T, ...).

    ``keep``, a list, receives each replication's (draws, answer, group, agent, handle) when given.
    """
    from ._multiskill_kernel import route_overflow  # numba loads on first use, not with ``import wfm``

    staff = np.ascontiguousarray(staff, dtype=np.int64)
    t_count, i_count, g_count = len(inp["index"]), len(inp["types"]), len(inp["groups"])
    out = {k: [] for k in ("busy_seconds", "staffed_seconds", "handled")}
    delay = inp["delay"]
    overflow = bool(np.any((delay > 0) & np.isfinite(delay)))
    none = np.zeros(0, np.int64)
    answers, serveds = [], []
    for d in inp["draws"]:
        answer, served, _, handle, staffed = route_overflow(
            d["arrival"], d["ctype"], d["where"], d["deadline"], d["factor"], inp["aht3"], staff, inp["interval"],
            inp["type_groups"], inp["group_types"], inp["group_level"], d["qbuf"], d["qstart"], delay,
            inp["primary"], overflow_order(d["arrival"], d["ctype"], delay) if overflow else none)
        answers.append(answer)
        serveds.append(served)
        if keep is not None:
            keep.append((d, answer, served, _, handle))
        if groups_too:
            ok = served >= 0
            key = (d["where"][ok] * g_count + served[ok]) * i_count + d["ctype"][ok]
            out["handled"].append(np.bincount(key, minlength=t_count * g_count * i_count)
                                  .reshape(t_count, g_count, i_count).astype(float))
            busy = np.column_stack([eng.overlap(answer[ok & (served == g)], (answer + handle)[ok & (served == g)],
                                                inp["starts"], inp["interval"]) for g in range(g_count)])
            out["busy_seconds"].append(busy)
            out["staffed_seconds"].append(staffed)
    tallies = _tally(inp, np.concatenate(answers), np.concatenate(serveds), t_count, i_count)
    return {**tallies, **{k: np.stack(val) for k, val in out.items() if val}}


def overflow_order(arrival, ctype, delay):
    """The calls with a finite positive overflow delay, in order of their overflow instant (arrival + delay)."""
    own = delay[ctype]
    calls = np.flatnonzero((own > 0) & np.isfinite(own))
    return calls[np.argsort(arrival[calls] + own[calls], kind="stable")].astype(np.int64)


def _tally(inp, answer, served, t_count, i_count):
    """Per-type tallies [R, T, I] of every replication at once (``answer``, ``served``: the replications' calls
    concatenated in order); the callers' side of the keys is computed once per prepared sample."""
    reps, size = len(inp["draws"]), t_count * i_count
    if inp.get("_tally_keys", {}).get("draws") is not inp["draws"]:  # computed for these very draws only
        draws = inp["draws"]
        inp["_tally_keys"] = dict(
            draws=draws,
            key=np.concatenate([r * size + d["where"] * i_count + d["ctype"] for r, d in enumerate(draws)]),
            arrival=np.concatenate([d["arrival"] for d in draws]),
            finite=np.concatenate([np.isfinite(d["patience"]) for d in draws]),
            threshold=np.concatenate([inp["threshold"][d["ctype"]] for d in draws]))
    c = inp["_tally_keys"]
    key, shape = c["key"], (reps, t_count, i_count)
    answered = served >= 0
    wait = answer - c["arrival"]

    def count(mask, weights=None):
        w = mask.astype(float) if weights is None else np.where(mask, weights, 0.0)
        return np.bincount(key, weights=w, minlength=reps * size).reshape(shape)

    return {
        "offered": np.bincount(key, minlength=reps * size).reshape(shape).astype(float),
        "answered": count(answered),
        "abandoned": count(~answered & c["finite"]),
        "waiting": count(~answered & ~c["finite"]),
        "answered_within": count(answered & (wait <= c["threshold"])),
        "wait_answered": count(answered, wait),
    }


def horizon_rates(tallies, level, warmup=0, *, student=False):
    """Per-type service level, abandon rate and ASA over the horizon after ``warmup`` intervals.

    Returns a dict of (estimate, lo, hi) arrays over types; lo/hi are None
    with one replication or when ``level`` is None (estimates only). The
    bounds are :func:`~wfm.simulation._result.horizon_ci`'s on each type's
    totals per replication: Wilson for the two proportions, Student's t for
    the ASA; with ``student``, Student's t for all three (the decision rule
    of :mod:`wfm.skills`' staffing search, as its benchmark was measured).
    """
    tot = {k: tallies[k][:, warmup:].sum(axis=1) for k in _TYPE_TALLIES}

    def rate(name, num, den):
        if level is None:
            s_num, s_den = tot[num].sum(axis=0), tot[den].sum(axis=0)
            with np.errstate(invalid="ignore", divide="ignore"):
                return np.where(s_den > 0, s_num / np.where(s_den > 0, s_den, 1.0), np.nan), None, None
        if student:
            return ratio_ci(tot[num], tot[den], level)
        return horizon_ci(name, tot[num], tot[den], level)

    return {
        "service_level": rate("service_level", "answered_within", "offered"),
        "abandon_rate": rate("abandon_rate", "abandoned", "offered"),
        "asa": rate("asa", "wait_answered", "answered"),
        "offered": (tot["offered"].mean(axis=0), None, None),
    }


# --------------------------------------------------------------------------
# The public function and its result.
# --------------------------------------------------------------------------


def simulate_multiskill(calls, agents, skills, *, aht, patience=None, routing=None, aht_by_group=None, threshold=20,
                        handle_cv=1.0, replications=1, seed=None, interval=None, level=0.95, warmup=0, log=False,
                        overflow_delay=None, primary_groups=None):
    """
    Simulate a multi-skill centre over a horizon of intervals, call by call.

    See the module docstring for the model (arrivals, handle times,
    patience, static-priority routing with the longest-idle agent first).

    Parameters
    ----------
    calls : DataFrame
        Expected calls per interval, one column per call type, on a regular
        DatetimeIndex labelling each interval by its start (one unbroken
        run). A Series is one type. [calls per interval]
    agents : dict, Series or DataFrame
        Agents on duty per group: one whole number per group (dict or
        Series), or a DataFrame with the index of ``calls`` and one column
        per group. [count]
    skills : dict
        Group -> the call types it answers, in its priority order (or a dict
        call type -> priority, 1 first).
    aht : numeric, dict, Series or DataFrame
        Mean handle time per call type: one number for all, one per type
        (dict or Series), or a DataFrame interval x type. [s]
    patience : None, numeric, dict, Series or DataFrame
        Mean patience (exponential) per call type, shaped like ``aht``; None
        (or None for a type) for callers who never hang up. [s]
    routing : dict, optional
        Call type -> its groups in the order an arriving call tries them;
        see :func:`routing_tables` for the default (specialists first).
    aht_by_group : dict or DataFrame, optional
        Mean handle time of a type when a given group answers it,
        ``{type: {group: aht}}`` or a DataFrame types x groups; overrides
        ``aht`` for that pair in every interval. [s]
    threshold : numeric or dict
        Answer-time target of the service level, one for all types or one
        per type. [s]
    handle_cv : float
        Coefficient of variation of handle times: 1 exponential, otherwise
        lognormal. [-]
    replications : int
        Independent runs of the horizon; two or more give confidence bounds.
    seed : int, SeedSequence or None
        Seed of every random draw; the same seed gives the same callers.
    interval : float, optional
        Interval length; inferred from the index when None. [s]
    level : float
        Coverage of the confidence bounds. [0-1]
    warmup : int
        Leading intervals left out of :meth:`MultiskillSimulation.summary`
        and ``figures()`` (the centre starts empty). [intervals]
    log : bool
        Keep the contact log (``.contacts``): one row per call, in the
        canonical columns of :func:`wfm.logs.read_contacts` with the call
        type in ``queue`` and the agent as ``group-k``.
    overflow_delay : None, numeric or dict
        Seconds a call waits for its primary groups before the other groups
        of its routing may take it, one for all types or per type (types
        left out: 0); ``inf`` keeps a type with its primary groups. None or
        0: no delay. [s]
    primary_groups : dict, optional
        Call type -> its primary groups; see :func:`routing_tables` for the
        default (the groups holding the type at their first priority level).

    Returns
    -------
    MultiskillSimulation

    Raises
    ------
    ValueError
        Naming the type or group: a type no group can answer, a group with
        no skill or an unknown one, a routing list naming an unknown group or
        one without the skill, a type that receives calls while no agent who
        can answer it is ever on duty (or, for a type that never abandons,
        in some interval with calls), agents missing for a group, and bad
        numbers (negative calls, aht <= 0, ...).

    Examples
    --------
    Two types, a specialist group for each and a small group holding both:

    >>> idx = pd.date_range("2024-01-01 08:00", periods=8, freq="30min")
    >>> calls = pd.DataFrame({"service": 100.0, "sales": 40.0}, index=idx)
    >>> skills = {"svc": ["service"], "sal": ["sales"], "both": ["sales", "service"]}
    >>> sim = simulate_multiskill(calls, {"svc": 12, "sal": 7, "both": 3}, skills, aht={"service": 180,
    ...                           "sales": 300}, replications=4, seed=1)
    >>> sim.summary().columns[:4].tolist()
    ['offered', 'service_level', 'service_level_lo', 'service_level_hi']
    >>> sim.handled().round(0)  # calls per replication, by group and type
    type   service  sales
    group
    svc      755.0    0.0
    sal        0.0  266.0
    both      49.0   57.0
    """
    inp = prepare(calls, skills, aht=aht, patience=patience, routing=routing, aht_by_group=aht_by_group,
                  threshold=threshold, handle_cv=handle_cv, replications=replications, seed=seed, interval=interval,
                  level=level, warmup=warmup, overflow_delay=overflow_delay, primary_groups=primary_groups)
    staff = agents_array(agents, inp["groups"], inp["index"])
    check_staffing(inp, staff)
    kept = [] if log else None
    out = _simulation_of(inp, staff, run(inp, staff, keep=kept))
    if log:
        object.__setattr__(out, "contacts", _contacts(inp, staff, kept))
    return out


def _contacts(inp, staff, kept):
    """The contact log of every replication (see simulate_multiskill's ``log``)."""
    index, types, groups = inp["index"], np.asarray(inp["types"], dtype=object), inp["groups"]
    first = np.r_[0, np.cumsum(staff.max(axis=0))]
    labels = np.array([f"{g}-{k}" for b, g in enumerate(groups) for k in range(first[b + 1] - first[b])] + [None],
                      dtype=object)
    origin = index[0]
    frames = []
    for r, (d, answer, served, agent, handle) in enumerate(kept):
        ok = served >= 0
        finite = np.isfinite(d["patience"])
        seconds = lambda x: origin + pd.to_timedelta(x, unit="s")  # noqa: E731
        frames.append(pd.DataFrame({
            "replication": r, "contact": np.arange(answer.size), "queue": types[d["ctype"]],
            "interval": index[d["where"]], "arrival": seconds(d["arrival"]),
            "answer": seconds(np.where(ok, answer, np.nan)),
            "abandon": seconds(np.where(~ok & finite, d["arrival"] + d["patience"], np.nan)),
            "end": seconds(np.where(ok, answer + handle, np.where(finite, d["arrival"] + d["patience"], np.nan))),
            "agent": labels[np.where(ok, agent, -1)],
            "group": np.asarray(groups + [None], dtype=object)[np.where(ok, served, -1)],
            "wait": np.where(ok, answer - d["arrival"], np.where(finite, d["patience"], np.nan)),
            "handle": np.where(ok, handle, 0.0), "answered": ok, "abandoned": ~ok & finite}))
    return pd.concat(frames, ignore_index=True)


def _simulation_of(inp, staff, tallies):
    """A :class:`MultiskillSimulation` from prepared inputs, staffing and tallies."""
    index, types, groups = inp["index"], inp["types"], inp["groups"]
    t_count, i_count, g_count = len(index), len(types), len(groups)
    reps, level = tallies["offered"].shape[0], inp["level"]
    table = pd.DataFrame({"interval": np.repeat(index, i_count), "type": np.tile(types, t_count),
                          "calls": inp["calls"].ravel()})
    for k in ("offered", "answered", "abandoned", "waiting"):
        table[k] = tallies[k].reshape(reps, -1).mean(axis=0)
    for name, num, den in (("service_level", "answered_within", "offered"), ("abandon_rate", "abandoned", "offered"),
                           ("asa", "wait_answered", "answered")):  # (R, T, I): a design effect per type
        ci = rate_ci(name, tallies[num], tallies[den], level)
        _put(table, name, tuple(None if a is None else np.ravel(a) for a in ci), reps)
    busy, staffed = tallies["busy_seconds"].reshape(reps, -1), tallies["staffed_seconds"].reshape(reps, -1)
    by_group = pd.DataFrame({"interval": np.repeat(index, g_count), "group": np.tile(groups, t_count),
                             "agents": staff.ravel(), "staffed": staffed.mean(axis=0) / inp["interval"],
                             "handled": tallies["handled"].sum(axis=3).reshape(reps, -1).mean(axis=0)})
    _put(by_group, "occupancy", rate_ci("occupancy", busy, staffed, level), reps)
    return MultiskillSimulation(table, by_group, tallies, dict(inp["params"], types=types, groups=groups))


def _put(frame, name, ci, reps):
    est, lo, hi = ci
    upper = np.inf if name == "asa" else 1.0
    frame[name] = np.clip(est, 0.0, upper)
    if reps > 1:
        frame[f"{name}_lo"] = np.clip(lo, 0.0, upper)
        frame[f"{name}_hi"] = np.clip(hi, 0.0, upper)


@dataclass(frozen=True)
class MultiskillSimulation(Result):
    """
    Per type and per group results of :func:`simulate_multiskill`.

    Attributes
    ----------
    table : DataFrame
        One row per interval and call type (long format): ``interval``,
        ``type``, ``calls`` (expected), ``offered``, ``answered``,
        ``abandoned``, ``waiting`` (means per replication) [calls], and
        ``service_level``, ``abandon_rate`` [0-1], ``asa`` [s], each with
        ``_lo``/``_hi`` bounds at ``params["level"]`` when there are two or
        more replications: Wilson score bounds for the two proportions of
        calls (:func:`~wfm.simulation._result.proportion_bounds`, a design
        effect per type), Student's t over replications for the ASA. A rate
        is NaN where its denominator is 0.
    groups : DataFrame
        One row per interval and group: ``interval``, ``group``, ``agents``
        (given), ``staffed`` (agents on duty or finishing a call, on
        average), ``handled`` (calls answered, by arrival interval, mean per
        replication) and ``occupancy`` [0-1] with bounds (Student's t over
        replications: busy over staffed time is not a proportion of calls).
    tallies : dict
        Per-replication sums, arrays (replications, intervals, types) for
        ``offered``, ``answered``, ``abandoned``, ``waiting``,
        ``answered_within``, ``wait_answered`` [s]; (replications,
        intervals, groups) for ``busy_seconds`` and ``staffed_seconds``;
        (replications, intervals, groups, types) for ``handled``.
    params : dict
        The arguments that built it (``seed`` holds the entropy that
        reproduces a run made with ``seed=None``).
    contacts : DataFrame or None
        With ``log=True``: one row per call and replication, ``replication``,
        ``contact``, ``queue`` (the call type), ``interval``, ``arrival``,
        ``answer``, ``abandon``, ``end``, ``agent`` (``group-k``),
        ``group``, ``wait`` and ``handle`` [s], ``answered``, ``abandoned``.
    """

    table: pd.DataFrame
    groups: pd.DataFrame
    tallies: dict = field(repr=False)
    params: dict = field(default_factory=dict)
    contacts: pd.DataFrame | None = field(default=None, repr=False)

    def sheets(self):
        return {"types": self.table, "groups": self.groups}

    def summary(self):
        """
        Per call type over the horizon after the warm-up intervals.

        Returns
        -------
        DataFrame
            Index the call types; ``offered`` (mean per replication) and
            ``service_level``, ``abandon_rate`` [0-1], ``asa`` [s] with
            ``_lo``/``_hi`` bounds with two or more replications: Wilson
            score bounds on each type's totals per replication for the two
            proportions, Student's t over replications for the ASA.
        """
        p = self.params
        rates = horizon_rates(self.tallies, p["level"], p["warmup"])
        out = pd.DataFrame({"offered": rates.pop("offered")[0]}, index=pd.Index(p["types"], name="type"))
        for name, ci in rates.items():
            _put(out, name, ci, p["replications"])
        return out

    def handled(self):
        """Calls answered per group (rows) and call type (columns) after the warm-up, mean per replication."""
        h = self.tallies["handled"][:, self.params["warmup"]:].sum(axis=1).mean(axis=0)
        return pd.DataFrame(h, index=pd.Index(self.params["groups"], name="group"),
                            columns=pd.Index(self.params["types"], name="type"))

    def occupancy(self):
        """Occupancy per group after the warm-up, with bounds: busy over staffed agent-seconds. [0-1]"""
        w = self.params["warmup"]
        busy = self.tallies["busy_seconds"][:, w:].sum(axis=1)
        staffed = self.tallies["staffed_seconds"][:, w:].sum(axis=1)
        out = pd.DataFrame(index=pd.Index(self.params["groups"], name="group"))
        _put(out, "occupancy", horizon_ci("occupancy", busy, staffed, self.params["level"]),
             self.params["replications"])
        return out

    def figures(self):
        """Plain numbers: ``offered`` [calls per replication], ``service_level``, ``abandon_rate`` [0-1] and
        ``asa`` [s] over all types after the warm-up, and ``service_level_<type>`` per type."""
        w = self.params["warmup"]
        tot = {k: self.tallies[k][:, w:].sum(axis=(1, 2)) for k in _TYPE_TALLIES}
        out = {"offered": float(tot["offered"].mean())}
        for name, num, den in (("service_level", "answered_within", "offered"),
                               ("abandon_rate", "abandoned", "offered"), ("asa", "wait_answered", "answered")):
            out[name] = float(horizon_ci(name, tot[num], tot[den], self.params["level"])[0])
        for i, sl in self.summary()["service_level"].items():
            out[f"service_level_{i}"] = float(sl)
        return out

    def plot(self, ax=None, **kwargs):
        """Simulated service level per call type and interval; returns the Axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(11, 4))
        wide = self.table.pivot(index="interval", columns="type", values="service_level")[self.params["types"]]
        for i in wide.columns:
            ax.step(wide.index, wide[i], where="post", label=str(i), **kwargs)
        ax.set_ylim(0, 1.02)
        dated = isinstance(wide.index, pd.DatetimeIndex)
        if dated:
            date_axis(ax.xaxis)
        ax.set_xlabel(TIME_LABEL if dated else "interval (in order)")
        thresholds = set(self.params["threshold"].values())
        within = f"{thresholds.pop():g} s" if len(thresholds) == 1 else "each type's threshold"
        ax.set_ylabel(f"service level within {within} [0-1]")
        ax.set_title(f"Multi-skill simulation: {self.params['replications']} replication(s)")
        ax.legend(loc="lower left", fontsize="small", ncol=3)
        return ax

    def _headline(self):
        p = self.params
        return (f"Multi-skill simulation: {len(p['types'])} call types, {len(p['groups'])} groups, "
                f"{self.table['interval'].nunique()} intervals, {p['replications']} replication(s)")

    def __repr__(self):
        return f"{self._headline()}\n{self.summary().to_string(float_format=lambda x: f'{x:,.4g}')}"

    def _repr_html_(self):
        return (f"<h4>{self._headline()}</h4>" + self.summary().to_html(float_format=lambda x: f"{x:,.4g}")
                + self.occupancy().to_html(float_format=lambda x: f"{x:.3f}"))
