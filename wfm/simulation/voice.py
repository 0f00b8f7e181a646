"""
The voice simulator: :func:`simulate` plays one first-come-first-served queue out, contact by contact.

The model, its conventions and references are in :mod:`wfm.simulation`.
"""

from __future__ import annotations

from dataclasses import asdict

import numpy as np
import pandas as pd

from .. import _validation as v
from ..erlang import SL_DEFINITIONS
from . import _engine as eng
from ._result import Simulation, rate_table, state_rows, states_frame, time_unit, to_time
from .schedules import (apply_deviations, as_deviations, logged_out_rows, nominal_coverage, periods_from_counts,
                        schedule_table)

__all__ = ["simulate"]


def simulate(calls, aht, agents, *, patience=None, handle_cv=1.0, replications=1, seed=None, interval=None,
             threshold=20, level=0.95, sl_definition="offered", deviations=None):
    """
    Simulate one contact queue over a horizon of intervals, contact by contact.

    Parameters
    ----------
    calls : Series
        Expected contacts per interval on a sorted DatetimeIndex labelling
        each interval by its start; arrivals are Poisson around it. Only
        open intervals need be present (see the module docstring on open
        blocks). [calls per interval]
    aht : numeric or Series
        Mean handle time of the contacts arriving in each interval. [s]
    agents : int, array, Series or DataFrame
        Agents per interval (whole numbers, aligned with ``calls``, e.g.
        ``plan.table["agents"]``), or individual schedules: a DataFrame with
        columns ``agent``, ``start``, ``end`` and optionally ``breaks``, or a
        shift table with an ``agents`` count per row (or an object with such
        a ``.shifts`` table); see :func:`agent_schedules`.
    patience : numeric or Series, optional
        Mean patience of the callers arriving in each interval
        (exponential); None for callers who never hang up (Erlang C). [s]
    handle_cv : float
        Coefficient of variation of handle times: 1 for exponential
        (default), any other value > 0 for lognormal. [-]
    replications : int
        Independent runs of the horizon; two or more give confidence bounds.
    seed : int, SeedSequence or None
        Seed of every random draw; the same seed gives the same logs.
    interval : float, optional
        Interval length; inferred from the index of ``calls`` when None. [s]
    threshold : float
        Answer-time target T of the service level. [s]
    level : float
        Coverage of the confidence bounds, e.g. 0.95. [0-1]
    sl_definition : {"offered", "exclude_short_abandons"}
        Service level over all offered contacts, or over offered contacts
        less those that abandoned within ``threshold``.
    deviations : dict or Deviations, optional
        Late log-ins, early log-outs, long breaks and absences of scheduled
        agents (individual schedules only); see :class:`Deviations`.

    Returns
    -------
    Simulation
        ``.contacts``, ``.agent_states`` and ``.intervals`` DataFrames (the
        latter with ``_lo``/``_hi`` bounds when ``replications`` > 1), and
        ``.summary()``.

    Raises
    ------
    ValueError
        Naming the argument for negative or non-finite ``calls``, ``aht`` or
        ``patience`` <= 0, ``handle_cv`` <= 0, agents that are not whole
        numbers or do not align with ``calls``, no agent in an interval that
        receives calls when ``patience`` is None (an unbounded queue),
        schedules that end before they start or overlap, breaks outside
        their shift, and intervals missing inside the days of ``calls``
        (:func:`wfm._validation.check_no_holes`: left out, they would be
        simulated as closed).

    Examples
    --------
    A day of 30-minute intervals at 100 calls each (10 Erlangs at AHT 180 s)
    with 14 agents, where Erlang C promises 89% answered within 20 s:

    >>> idx = pd.date_range("2024-01-01 08:00", periods=16, freq="30min")
    >>> calls = pd.Series(100.0, index=idx)
    >>> sim = simulate(calls, 180, 14, replications=5, seed=1)
    >>> sim.intervals.columns[:8].tolist()
    ['calls', 'agents', 'staffed', 'offered', 'answered', 'abandoned', 'waiting', 'service_level']
    >>> sl = sim.summary().loc["service_level"]
    >>> bool(sl["lo"] < 0.888 < sl["hi"])
    True
    >>> sim.contacts.columns.tolist()
    ['replication', 'contact', 'interval', 'arrival', 'answer', 'abandon', 'end', 'agent', 'wait', 'handle', \
'answered', 'abandoned']
    """
    inputs = _check_inputs(calls, aht, agents, patience, handle_cv, replications, interval, threshold, level,
                           sl_definition, deviations)
    return _run(inputs, seed)


# --------------------------------------------------------------------------
# Inputs.
# --------------------------------------------------------------------------


def _check_inputs(calls, aht, agents, patience, handle_cv, replications, interval, threshold, level,
                  sl_definition, deviations):
    index = v.check_datetime_index(calls, "calls", "labelling each interval by its start, so contacts get times")
    v.check_nonempty(calls, "calls")
    inp = v.broadcast_inputs(calls=calls, aht=aht, patience=patience)
    arr = inp.arrays
    v.check_nonnegative(arr["calls"], "calls", "expected calls per interval", index=index)
    v.check_positive(arr["aht"], "aht", "seconds", index=index,
                     hint="aht is the mean handle time per call in seconds.")
    if patience is not None:
        v.check_positive(arr["patience"], "patience", "seconds", index=index,
                         hint="patience is the mean time a caller waits before abandoning; None for Erlang C.")
    cv = _scalar(handle_cv, "handle_cv")
    v.check_positive(cv, "handle_cv", hint="handle_cv is the coefficient of variation of handle times: "
                     "1 for exponential, e.g. 0.5 for less variable ones.")
    reps = v.check_count(replications, "replications", minimum=1)
    t = _scalar(threshold, "threshold")
    v.check_nonnegative(t, "threshold", "seconds")
    lev = _scalar(level, "level")
    v.check_fraction(lev, "level", closed_high=False)
    v.check_choice(sl_definition, "sl_definition", SL_DEFINITIONS)
    if interval is None:
        length = v.infer_interval(index, "calls")
    else:
        length = _scalar(interval, "interval")
        v.check_positive(length, "interval", "seconds")
    length = float(length)
    v.check_no_holes(index, "calls", length)  # a row missing mid-day would be simulated as closed: no call, no agent

    origin = index[0]
    starts = v.check_spacing(index, length, "calls")
    steps = np.diff(starts)
    block_first = np.r_[True, np.abs(steps - length) > 1e-6]
    block_last = np.r_[block_first[1:], True]
    block_end = starts[block_last] + length

    dev = as_deviations(deviations)
    schedules = isinstance(agents, pd.DataFrame) or hasattr(agents, "shifts")
    if schedules:
        periods = schedule_table(agents, origin)
        counts = nominal_coverage(periods, starts, length, eng.overlap)
        staffing = "individual schedules"
    else:
        if deviations is not None and dev.any:
            raise ValueError("deviations apply to individual schedules; agents is a count per interval. Pass "
                             "schedules (a DataFrame with agent, start, end) or drop deviations.")
        if agents is None:
            raise TypeError("agents is required: agents per interval or individual schedules; got None.")
        both = v.broadcast_inputs(calls=calls, agents=agents)
        counts = v.check_whole(both.arrays["agents"].copy(), "agents", index=index).astype(np.int64)
        periods = periods_from_counts(counts, starts, length, block_first, block_last, block_end)
        staffing = "agents per interval"
    if patience is None:
        v.check_staffed(arr["calls"], counts, index=index,
                        hint="Give patience in seconds (Erlang A) or staff every interval that has calls.")
    return dict(index=index, origin=origin, calls=arr["calls"], aht=arr["aht"],
                patience=None if patience is None else arr["patience"], handle_cv=float(cv), replications=reps,
                interval=length, threshold=float(t), level=float(lev), sl_definition=sl_definition,
                deviations=dev, starts=starts, block_end=block_end, periods=periods, schedules=schedules,
                agents_column=counts, staffing=staffing,
                params=dict(interval=length, threshold=float(t), patience=patience, aht=aht,
                            handle_cv=float(cv), replications=reps, level=float(lev), sl_definition=sl_definition,
                            model="erlang_c" if patience is None else "erlang_a", staffing=staffing,
                            deviations=asdict(dev) if schedules else None, blocks=int(block_first.sum())))


def _scalar(value, name):
    arr = v.as_float_array(value, name)
    if np.ndim(arr):
        raise TypeError(f"{name} must be one number; got an array of shape {np.shape(arr)}.")
    return arr


def _seed_sequence(seed):
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        raise TypeError("seed must be an int, a numpy SeedSequence or None; got a Generator. Pass an int.")
    if seed is not None:
        seed = v.check_count(seed, "seed", minimum=0)
    return np.random.SeedSequence(seed)


# --------------------------------------------------------------------------
# Replications.
# --------------------------------------------------------------------------


def _run(inp, seed):
    ss = _seed_sequence(seed)
    index, origin, starts, length = inp["index"], inp["origin"], inp["starts"], inp["interval"]
    t_count = index.size
    tallies = {k: [] for k in eng.TALLIES}
    contacts, states = [], []
    for rep, child in enumerate(ss.spawn(inp["replications"])):
        rng_arrive, rng_handle, rng_patience, rng_dev = (np.random.default_rng(s) for s in child.spawn(4))
        arrival, where = eng.draw_arrivals(rng_arrive, inp["calls"], starts, length)
        handle = eng.draw_handle(rng_handle, inp["aht"][where], inp["handle_cv"])
        patience = eng.draw_patience(rng_patience, None if inp["patience"] is None else inp["patience"][where],
                                     arrival.size)
        if inp["schedules"]:
            periods = apply_deviations(inp["periods"], inp["deviations"], rng_dev, inp["block_end"])
        else:
            periods = inp["periods"]
        answer, served_by, login, logout = eng.serve(arrival, handle, patience, periods.agent, periods.on_start,
                                                     periods.on_end, periods.relative, periods.drain)
        answered = served_by >= 0
        finite = np.isfinite(patience)
        outcome = np.where(answered, eng.ANSWERED, np.where(finite, eng.ABANDONED, eng.WAITING))
        wait = np.where(answered, answer - arrival, np.where(finite, patience, np.nan))
        handle = np.where(answered, handle, 0.0)
        end = np.where(answered, answer + handle, np.where(finite, arrival + patience, np.nan))
        for k, val in eng.tally(where, outcome, wait, answer, end, login, logout, starts, length,
                                inp["threshold"]).items():
            tallies[k].append(val)
        contacts.append((where, arrival, answer, end, served_by, wait, handle, outcome))
        extra = logged_out_rows(periods, login, logout) if inp["schedules"] else None
        states.append(state_rows(periods, login, logout, served_by, answer, end, extra))

    stacked = {k: np.vstack(val) for k, val in tallies.items()}
    table = rate_table(stacked, inp["level"], inp["sl_definition"], index=index)
    table.insert(0, "staffed", stacked["staffed_seconds"].mean(axis=0) / length)
    table.insert(0, "agents", inp["agents_column"])
    table.insert(0, "calls", inp["calls"])
    reps = inp["replications"]
    by_rep = pd.DataFrame({"replication": np.repeat(np.arange(reps), t_count), "interval": np.tile(index, reps),
                           **{k: val.ravel() for k, val in stacked.items()}})
    labels = inp["periods"].labels
    params = dict(inp["params"], seed=ss.entropy)
    unit = time_unit(index)
    return Simulation(table, _contacts_frame(contacts, index, origin, labels, unit),
                      _states_frame(states, origin, labels, unit), by_rep, params)


def _agent_labels(labels, codes):
    """Agent labels for codes (-1 -> missing): nullable integers when the labels are integers."""
    missing = codes < 0
    if len(labels) == 0:
        return pd.array([pd.NA] * codes.size, dtype="Int64")
    values = np.asarray(labels)[np.where(missing, 0, codes)]
    if pd.api.types.is_integer_dtype(values.dtype):
        return pd.arrays.IntegerArray(values.astype(np.int64), missing)
    values = values.astype(object)
    values[missing] = None
    return values


def _contacts_frame(parts, index, origin, labels, unit):
    reps = np.concatenate([np.full(p[0].size, r) for r, p in enumerate(parts)]) if parts else np.zeros(0, int)
    cat = [np.concatenate([p[k] for p in parts]) for k in range(8)]
    where, arrival, answer, end, served_by, wait, handle, outcome = cat
    seq = np.concatenate([np.arange(p[0].size) for p in parts])
    answered = outcome == eng.ANSWERED
    abandoned = outcome == eng.ABANDONED
    frame = pd.DataFrame({
        "replication": reps,
        "contact": seq,
        "interval": index[where],
        "arrival": to_time(origin, arrival, unit),
        "answer": to_time(origin, np.where(answered, answer, np.nan), unit),
        "abandon": to_time(origin, np.where(abandoned, end, np.nan), unit),
        "end": to_time(origin, end, unit),
        "agent": _agent_labels(labels, served_by),
        "wait": wait,
        "handle": handle,
        "answered": answered,
        "abandoned": abandoned,
    })
    frame.attrs["basis"] = "simulated"  # wfm.kpis reads it: KPIs of simulated contacts never read as measured
    return frame


def _states_frame(parts, origin, labels, unit):
    reps = np.concatenate([np.full(p[0].size, r) for r, p in enumerate(parts)])
    g, state, start, end = (np.concatenate([p[k] for p in parts]) for k in range(4))
    start, end = to_time(origin, start, unit), to_time(origin, end, unit)
    keep = np.asarray(end > start)  # spells shorter than the clock's resolution vanish
    return pd.DataFrame({
        "replication": reps[keep],
        "agent": _agent_labels(labels, g[keep]),
        "state": states_frame(state[keep]),
        "start": start[keep],
        "end": end[keep],
    })
