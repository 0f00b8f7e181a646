r"""
The simulator's queue kinds beyond one voice queue: voice with finite lines
and redials, chat with concurrency, and deferred work (e-mail, back office).
They judge the models of :mod:`wfm.channels`.

Conventions are the voice simulator's (:mod:`wfm.simulation._engine`):
Poisson arrivals at a constant rate within each interval
(:func:`~wfm.simulation._engine.draw_arrivals`), exponential or lognormal
handle times (:func:`~wfm.simulation._engine.draw_handle`), exponential
patience, and independent replications with separate streams spawned from
``seed`` by :class:`numpy.random.SeedSequence`, so the same seed gives the
same run and two staffings see the same customers.

* **Redials** (:func:`simulate_redials`): one first-come-first-served queue
  with at most ``lines`` callers in the system; a caller who finds every
  line busy is blocked. A blocked or abandoned attempt calls again with
  probability ``redial_probability`` after an exponential delay; the redial
  joins the queue like any arrival, with fresh patience and handle time.
  Agents per interval: agent k is on duty while more than k are staffed and
  finishes a contact it holds when its duty ends (the voice simulator's
  rule). Arrivals and draws are vectorised; the loop keeps three heaps (free
  agents, callers in the system, redials to come).
* **Callbacks** (:func:`simulate_callbacks`): the same queue with a fixed
  number of agents; a caller who finds no agent free is told the estimated
  wait (callers ahead + 1) x aht / agents and, when it exceeds
  ``callback_threshold``, takes a callback with probability
  ``acceptance``. A freed agent takes the oldest waiting caller, else the
  oldest callback, else idles (non-preemptive: a callback in progress is
  finished first), so callbacks are returned in idle time.
* **Chat** (:func:`simulate_chat`): each session needs an amount of work
  (mean ``aht`` seconds at one session; exponential or lognormal), an
  agent holds at most ``concurrency`` sessions and, holding j, advances each
  at speed ``aht / handle(j)``. A new session goes to the agent with the
  fewest sessions (ties to the lowest number) or waits first-come-first-
  served, and leaves after its patience if no slot frees first; the first
  response is the moment it is assigned. Sessions are not moved between
  agents afterwards, so loads are unbalanced, unlike the model's chain.
* **Deferred work** (:func:`simulate_deferred`): items arrive around the
  clock and wait, oldest first, for agents per interval (zero at night),
  with no abandonment: the voice simulator run on the full grid with the
  deadline as the answer-time threshold.

References
----------
.. [1] A. M. Law, "Simulation Modeling and Analysis", 5th ed., McGraw-Hill,
   2015, chapter 9 (independent replications).
.. [2] J. Zhang, J. G. Dai and B. Zwart, "Law of large number limits of
   limited processor-sharing queues", Mathematics of Operations Research
   34(4), 937-970, 2009 (the chat model as limited processor sharing).
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import _validation as v
from .._results import TIME_LABEL, Result, date_axis
from . import _engine as eng
from ._result import horizon_ci, rate_ci

__all__ = ["ChannelSimulation", "simulate_redials", "simulate_callbacks", "simulate_chat", "simulate_deferred"]

_TALLY = ("offered", "answered", "answered_within", "abandoned", "blocked", "wait_answered", "fresh")


# --------------------------------------------------------------------------
# Checks shared with wfm.channels (which sits above the simulator).
# --------------------------------------------------------------------------


def check_redial_probability(value):
    """A fraction in [0, 1): 1 would return every lost attempt for ever."""
    p = v.as_float_array(value, "redial_probability")
    if np.any(p >= 1) and np.all(p <= 1):
        raise ValueError("redial_probability must be below 1; got 1. With 1 every blocked or abandoned attempt "
                         "calls again until it is served, so the offered load has no bound; give the share of "
                         "lost attempts that call again, e.g. 0.5.")
    return v.check_fraction(p, "redial_probability", closed_low=True, closed_high=False)


def check_concurrency(value):
    """A whole number >= 1."""
    c = v.as_float_array(value, "concurrency")
    if np.ndim(c):
        raise TypeError(f"concurrency must be one whole number; got an array of shape {np.shape(c)}.")
    if not (c >= 1) or c != np.floor(c) or not np.isfinite(c):
        raise ValueError(f"concurrency must be a whole number >= 1 (the most sessions one agent holds at once); "
                         f"got {float(c):g}. Use 1 for one session at a time.")
    return int(c)


def check_slowdown(value, name="slowdown"):
    """A number slowdown (a share of the solo handle time) below 2; 2 or more reads as a percentage: an error.

    ``name`` starts the message ("" for a scenario field, whose key pydantic puts first).

    Above 1 the model still holds (each extra session more than doubles the handle time), so the bound is not
    that of a fraction; but at 1 or more an agent closes no more sessions by holding more, and 25 for a quarter
    would make a third session take 51 times the solo handle time. A sequence of factors is checked by
    :func:`handle_factors`, which calls this for a number: the simulator and the channel models refuse alike.
    """
    if np.ndim(value) == 0 and not isinstance(value, (str, bytes)):
        s = float(value)
        if s >= 2:
            start = f"{name} must" if name else "must"
            raise ValueError(f"{start} be below 2 (the extra handle time of each extra session as a share of the "
                             f"solo handle time: 0.25 adds a quarter); got {s:g}. {v.percentage_hint(s)}")
    return value


def handle_factors(concurrency, slowdown=0.0):
    """h(j) / h(1) for j = 1..concurrency; see :func:`wfm.channels.chat_handle_time`."""
    c = check_concurrency(concurrency)
    s = check_slowdown(v.as_float_array(slowdown, "slowdown"))
    if np.ndim(s):
        factors = np.asarray(s, float)
        if (factors.size != c or factors[0] != 1 or np.any(~np.isfinite(factors)) or np.any(factors <= 0)
                or np.any(np.diff(factors) < 0)):
            raise ValueError(f"slowdown as a sequence must hold {c} handle-time factors (one per number of sessions, "
                             f"the first 1, none below the one before); got {factors.tolist()}.")
        return factors
    v.check_nonnegative(s, "slowdown", hint="slowdown is the extra handle time per extra session, "
                        "as a share of the solo handle time, e.g. 0.25.")
    return 1 + float(s) * np.arange(c)


@dataclass(frozen=True)
class ChannelSimulation(Result):
    """
    Per-interval results and the contact log of a channel simulation.

    Attributes
    ----------
    table : DataFrame
        One row per interval: ``offered`` (attempts or sessions, means per
        replication), ``fresh`` (first attempts), ``answered``, ``abandoned``,
        ``blocked``, and ``service_level`` (answered within ``threshold``
        over offered), ``abandon_rate``, ``blocked_rate`` [0-1] and ``asa``
        [s] (with callbacks also ``callback_rate`` [0-1] and
        ``callback_wait`` [s]) with ``_lo``/``_hi`` bounds when
        ``replications`` > 1: Wilson score bounds on the pooled counts for
        the proportions of contacts (service level, abandon, blocked and
        callback rates; :func:`~wfm.simulation._result.proportion_bounds`),
        Student's t over replications for the ASA and callback wait, as in
        :func:`wfm.simulate`.
    contacts : DataFrame
        One row per attempt or session: ``replication``, ``customer``,
        ``attempt`` (1 for the first), ``arrival``, ``answered``,
        ``abandoned``, ``blocked`` (flags), ``wait`` [s] and ``abandon``
        (time of the abandon or block, NaT otherwise).
    by_replication : dict
        Tallies per replication and interval, arrays of shape
        (replications, intervals), keyed like the ``table`` counts.
    params : dict
        The arguments that built it.
    """

    table: pd.DataFrame
    contacts: pd.DataFrame
    by_replication: dict
    params: dict = field(default_factory=dict)

    def figures(self):
        """Whole-horizon ``service_level``, ``abandon_rate``, ``blocked_rate`` [0-1], ``asa`` [s] (with
        callbacks ``callback_rate`` [0-1] and ``callback_wait`` [s]), each with ``_lo``/``_hi`` bounds (NaN with
        one replication; those of the table, on the horizon totals of each replication), and ``offered`` per
        replication."""
        t = {k: x.sum(axis=1) for k, x in self.by_replication.items()}
        out = {"offered": float(t["offered"].mean())}
        for name, (num, den) in _parts(t).items():
            est, lo, hi = horizon_ci(name, num, den, self.params["level"])
            out[name] = float(est)
            out[f"{name}_lo"] = float(lo) if lo is not None else float("nan")
            out[f"{name}_hi"] = float(hi) if hi is not None else float("nan")
        return out

    def plot(self, ax=None, **kwargs):
        """Simulated service level per interval with its bounds; returns the Axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(10, 3))
        ax.plot(self.table.index, self.table["service_level"], label="service level", **kwargs)
        if "service_level_lo" in self.table:
            ax.fill_between(self.table.index, self.table["service_level_lo"], self.table["service_level_hi"],
                            alpha=0.3)
        ax.set_ylim(0, 1.05)
        if isinstance(self.table.index, pd.DatetimeIndex):
            date_axis(ax.xaxis)
        ax.set_xlabel(TIME_LABEL if isinstance(self.table.index, pd.DatetimeIndex) else "interval (in order)")
        within = f" within {self.params['threshold']:g} s" if "threshold" in self.params else ""
        ax.set_ylabel(f"service level{within} [0-1]")
        ax.set_title(f"simulated {self.params.get('channel', '')}")
        return ax

    def __repr__(self):
        f = self.figures()
        return (f"ChannelSimulation({self.params.get('channel')}: {len(self.table)} intervals, "
                f"{self.params['replications']} replications, service level {f['service_level']:.3f})")

    def _title(self):
        return repr(self)


def _parts(t):
    """(numerator, denominator) of each rate; with callbacks the service level counts the calls that stayed."""
    stayed = t["offered"] - t["callbacks"] if "callbacks" in t else t["offered"]
    parts = {"service_level": (t["answered_within"], stayed), "abandon_rate": (t["abandoned"], t["offered"]),
             "blocked_rate": (t["blocked"], t["offered"]), "asa": (t["wait_answered"], t["answered"])}
    if "callbacks" in t:
        parts["callback_rate"] = (t["callbacks"], t["offered"])
        parts["callback_wait"] = (t["callback_wait"], t["callbacks"])
    return parts


def _grid(calls, interval):
    index = v.check_datetime_index(calls, "calls", "labelling each interval by its start, so contacts get times")
    v.check_nonempty(calls, "calls")
    length = v.infer_interval(index, "calls") if interval is None else float(interval)
    v.check_positive(np.asarray(length, float), "interval", "seconds")
    starts = v.check_spacing(index, length, "calls")
    gaps = np.abs(np.diff(starts) - length) > 1e-6
    if gaps.any():
        raise ValueError(f"calls must cover one unbroken run of intervals for this simulation; the index jumps "
                         f"{v.describe_positions(np.r_[False, gaps], index)}. Give closed intervals with 0 agents.")
    return index, float(length), starts


def _seeds(seed, replications):
    if isinstance(seed, np.random.SeedSequence):
        ss = seed
    else:
        ss = np.random.SeedSequence(None if seed is None else v.check_count(seed, "seed", minimum=0))
    return ss, ss.spawn(v.check_count(replications, "replications", minimum=1))


def _table(stacked, index, level, extra):
    out = pd.DataFrame(extra, index=index)
    for k in ("offered", "fresh", "answered", "abandoned", "blocked"):
        out[k] = stacked[k].mean(axis=0)
    for name, (num, den) in _parts(stacked).items():
        est, lo, hi = rate_ci(name, num, den, level)
        out[name] = est
        if lo is not None:
            out[f"{name}_lo"], out[f"{name}_hi"] = lo, hi
    return out


def _next_on(counts):
    """next_on[g, u]: first interval >= u in which agent g is on duty (counts > g), T when none."""
    t_count = counts.size
    g_count = int(counts.max()) if t_count else 0
    on = counts[None, :] > np.arange(g_count)[:, None]
    pos = np.where(on, np.arange(t_count)[None, :], t_count)
    return np.minimum.accumulate(pos[:, ::-1], axis=1)[:, ::-1]


def _redial_run(rng, inp):
    """One replication; returns per-attempt arrays."""
    r_arr, r_hnd, r_pat, r_red = (np.random.default_rng(s) for s in rng.spawn(4))
    starts, length, counts = inp["starts"], inp["interval"], inp["agents"]
    fresh, where = eng.draw_arrivals(r_arr, inp["calls"], starts, length)
    t0, end = starts[0], starts[-1] + length
    nxt = _next_on(counts)
    nxt_l = nxt.tolist()
    heap = [(starts[nxt[g, 0]], g) for g in range(nxt.shape[0]) if nxt[g, 0] < counts.size]
    heapq.heapify(heap)
    aht, pat, lines, r, delay = inp["aht"], inp["patience"], inp["lines"], inp["r"], inp["delay"]
    starts_l, counts_l, t_count = starts.tolist(), counts.tolist(), counts.size
    in_sys, redials = [], []
    out = []  # (customer, attempt, arrival, outcome, wait, fail_time)
    fresh_l = fresh.tolist()
    i, n_fresh = 0, len(fresh_l)
    heappush, heappop, heapreplace = heapq.heappush, heapq.heappop, heapq.heapreplace
    while i < n_fresh or redials:
        if redials and (i >= n_fresh or redials[0][0] < fresh_l[i]):
            a, cust, att = heappop(redials)
            if a >= end:
                continue
        else:
            a, cust, att = fresh_l[i], i, 1
            i += 1
        u = min(int((a - t0) // length), t_count - 1)
        while in_sys and in_sys[0] <= a:
            heappop(in_sys)
        if len(in_sys) >= lines:
            out.append((cust, att, a, 2, 0.0, a))
            fail = a
        else:
            while heap:
                key, g = heap[0]
                s = a if a > key else key
                us = int((s - t0) // length)
                if us < t_count and g < counts_l[us]:
                    break
                nu = nxt_l[g][us] if us < t_count else t_count
                if nu >= t_count:
                    heappop(heap)
                else:
                    heapreplace(heap, (starts_l[nu], g))
            p = r_pat.standard_exponential() * pat[u] if pat is not None else math.inf
            if heap and s - a <= p:
                h = float(eng.draw_handle(r_hnd, aht[u:u + 1], inp["cv"])[0])
                heapreplace(heap, (s + h, g))
                heappush(in_sys, s + h)
                out.append((cust, att, a, 0, s - a, math.nan))
                continue
            if not math.isfinite(p):
                out.append((cust, att, a, 3, math.nan, math.nan))  # no agent left and no patience
                continue
            fail = a + p
            heappush(in_sys, fail)
            out.append((cust, att, a, 1, p, fail))
        if r > 0 and r_red.random() < r:
            heappush(redials, (fail + r_red.standard_exponential() * delay, cust, att + 1))
    return np.array(out, dtype=float).reshape(-1, 6)


def simulate_redials(calls, aht, agents, *, patience=None, lines=None, redial_probability=0.0, redial_delay=600.0,
                     threshold=20, interval=None, handle_cv=1.0, replications=1, seed=None, level=0.95):
    """
    Simulate a voice queue with finite lines, abandonment and redials (see the module docstring).

    Parameters
    ----------
    calls : Series
        Expected fresh calls per interval on an unbroken DatetimeIndex. [calls per interval]
    aht : numeric or Series
        Mean handle time. [s]
    agents : int, array or Series
        Agents per interval, whole numbers. [count]
    patience : numeric or Series, optional
        Mean patience (exponential); None for none. [s]
    lines : int, optional
        Most callers in the system; None for no limit.
    redial_probability : float
        Share of failed attempts that call again. [0-1)
    redial_delay : float
        Mean delay of a redial (exponential). [s]
    threshold : float
        Answer-time target. [s]
    interval, handle_cv, replications, seed, level
        As in :func:`wfm.simulate`.

    Returns
    -------
    ChannelSimulation
        Attempts count in the interval they arrive in; redials after the
        horizon are dropped.

    Examples
    --------
    >>> idx = pd.date_range("2024-01-01", periods=48, freq="30min")
    >>> sim = simulate_redials(pd.Series(100.0, idx), 180, 10, patience=120, redial_probability=0.5, seed=1)
    >>> round(sim.figures()["service_level"], 2)
    0.51
    """
    index, length, starts = _grid(calls, interval)
    inp = v.broadcast_inputs(calls=calls, aht=aht, agents=agents, patience=patience)
    arr = inp.arrays
    v.check_nonnegative(arr["calls"], "calls", "calls per interval", index=index)
    v.check_positive(arr["aht"], "aht", "seconds", index=index)
    counts = v.check_whole(np.array(arr["agents"], float), "agents", index=index).astype(np.int64)
    if patience is not None:
        v.check_positive(arr["patience"], "patience", "seconds", index=index)
    r = float(check_redial_probability(redial_probability))
    delay = float(v.check_positive(np.asarray(float(redial_delay)), "redial_delay", "seconds"))
    n_lines = math.inf if lines is None else float(v.check_count(lines, "lines", minimum=1))
    run = dict(starts=starts, interval=length, agents=counts, calls=arr["calls"], aht=arr["aht"],
               patience=None if patience is None else arr["patience"], lines=n_lines, r=r, delay=delay,
               cv=float(handle_cv))
    ss, children = _seeds(seed, replications)
    tallies = {k: [] for k in _TALLY}
    logs = []
    for rep, child in enumerate(children):
        o = _redial_run(child, run)
        cust, att, a, outcome, wait = o[:, 0], o[:, 1], o[:, 2], o[:, 3], o[:, 4]
        where = np.minimum(((a - starts[0]) // length).astype(np.int64), index.size - 1)

        def count(mask, w=None):
            return np.bincount(where, weights=np.where(mask, 1.0 if w is None else w, 0.0), minlength=index.size)

        tallies["offered"].append(count(np.ones(a.size, bool)))
        tallies["fresh"].append(count(att == 1))
        tallies["answered"].append(count(outcome == 0))
        tallies["answered_within"].append(count((outcome == 0) & (wait <= threshold)))
        tallies["abandoned"].append(count(outcome == 1))
        tallies["blocked"].append(count(outcome == 2))
        tallies["wait_answered"].append(count(outcome == 0, np.nan_to_num(wait)))
        logs.append(pd.DataFrame({"replication": rep, "customer": cust.astype(np.int64), "attempt": att.astype(int),
                                  "arrival": index[0] + pd.to_timedelta(a - starts[0], unit="s"),
                                  "answered": outcome == 0, "abandoned": outcome == 1, "blocked": outcome == 2,
                                  "wait": wait,
                                  "abandon": index[0] + pd.to_timedelta(o[:, 5] - starts[0], unit="s")}))
    stacked = {k: np.vstack(x) for k, x in tallies.items()}
    table = _table(stacked, index, level, {"calls": arr["calls"], "agents": counts})
    contacts = pd.concat(logs, ignore_index=True).sort_values(["replication", "arrival"], ignore_index=True)
    return ChannelSimulation(table, contacts, stacked, dict(channel="voice_redials", interval=length,
                                                            threshold=float(threshold), patience=patience,
                                                            lines=lines, redial_probability=r, redial_delay=delay,
                                                            replications=len(children), level=level,
                                                            seed=ss.entropy))


def _callback_run(rng, inp):
    """One replication of the callback queue; returns per-call (arrival, where, outcome, wait, callback_wait)."""
    r_arr, r_hnd, r_pat, r_acc = (np.random.default_rng(s) for s in rng.spawn(4))
    arrival, where = eng.draw_arrivals(r_arr, inp["calls"], inp["starts"], inp["interval"])
    handle = eng.draw_handle(r_hnd, inp["aht"][where], inp["cv"]).tolist()
    pat = eng.draw_patience(r_pat, inp["patience"][where], arrival.size).tolist()
    accept = (r_acc.random(arrival.size) < inp["acceptance"]).tolist()
    per_agent = (inp["aht"][where] / inp["agents"]).tolist()  # seconds of estimated wait per caller ahead
    arr_l, n = arrival.tolist(), arrival.size
    outcome, wait, cb_wait = [3] * n, [math.nan] * n, [math.nan] * n
    idle, busy, queue, callbacks = inp["agents"], [], deque(), deque()
    heappush, heappop = heapq.heappush, heapq.heappop
    i = 0
    while i < n or busy:
        if busy and (i >= n or busy[0] <= arr_l[i]):
            t = heappop(busy)
            while queue:
                j = queue.popleft()
                if arr_l[j] + pat[j] < t:
                    outcome[j], wait[j] = 1, pat[j]
                    continue
                outcome[j], wait[j] = 0, t - arr_l[j]
                heappush(busy, t + handle[j])
                break
            else:
                if callbacks:
                    j = callbacks.popleft()
                    cb_wait[j] = t - arr_l[j]
                    heappush(busy, t + handle[j])
                else:
                    idle += 1
            continue
        t = arr_l[i]
        if idle:
            idle -= 1
            outcome[i], wait[i] = 0, 0.0
            heappush(busy, t + handle[i])
        else:
            ahead = sum(1 for j in queue if arr_l[j] + pat[j] >= t)
            if (ahead + 1) * per_agent[i] > inp["callback_threshold"] and accept[i]:
                outcome[i] = 4
                callbacks.append(i)
            else:
                queue.append(i)
        i += 1
    for j in queue:
        outcome[j], wait[j] = 1, pat[j]
    return arrival, where, np.array(outcome), np.array(wait), np.array(cb_wait)


def simulate_callbacks(calls, aht, agents, *, patience, callback_threshold, acceptance, threshold=20, interval=None,
                       handle_cv=1.0, replications=1, seed=None, level=0.95):
    """
    Simulate a voice queue whose callers may take a callback when the estimated wait is long.

    See the module docstring for the rules. It judges
    :func:`wfm.channels.callback_queue`, which takes inbound calls as
    preemptive over callbacks.

    Parameters
    ----------
    calls : Series
        Expected calls per interval on an unbroken DatetimeIndex. [calls per interval]
    aht : numeric or Series
        Mean handle time (callbacks alike). [s]
    agents : int
        Agents, the same in every interval. [count]
    patience : numeric or Series
        Mean patience of the callers who wait (exponential). [s]
    callback_threshold : float
        Estimated wait above which a callback is offered. [s]
    acceptance : float
        Share of the callers offered a callback who take it. [0-1]
    threshold, interval, handle_cv, replications, seed, level
        As in :func:`wfm.simulate`.

    Returns
    -------
    ChannelSimulation
        ``service_level`` counts the calls that stayed in the queue;
        ``figures()`` adds ``callback_rate`` [0-1 of calls] and
        ``callback_wait`` (mean time from the call to the callback) [s].

    Examples
    --------
    >>> idx = pd.date_range("2024-01-01", periods=48, freq="30min")
    >>> sim = simulate_callbacks(pd.Series(100.0, idx), 180, 10, patience=120, callback_threshold=60,
    ...                          acceptance=0.5, seed=1)
    >>> f = sim.figures()
    >>> round(f["callback_rate"], 2), round(f["service_level"], 2)
    (0.06, 0.62)
    """
    index, length, starts = _grid(calls, interval)
    inp = v.broadcast_inputs(calls=calls, aht=aht, patience=patience)
    arr = inp.arrays
    v.check_nonnegative(arr["calls"], "calls", "calls per interval", index=index)
    v.check_positive(arr["aht"], "aht", "seconds", index=index)
    v.check_positive(arr["patience"], "patience", "seconds", index=index)
    n_agents = v.check_count(agents, "agents", minimum=1)
    cb = float(v.check_positive(np.asarray(float(callback_threshold)), "callback_threshold", "seconds",
                                allow_inf=True))
    acc = float(v.check_fraction(np.asarray(float(acceptance)), "acceptance", closed_low=True))
    run = dict(starts=starts, interval=length, calls=arr["calls"], aht=arr["aht"], patience=arr["patience"],
               cv=float(handle_cv), agents=n_agents, callback_threshold=cb, acceptance=acc)
    ss, children = _seeds(seed, replications)
    tallies = {k: [] for k in (*_TALLY, "callbacks", "callback_wait")}
    for child in children:
        arrival, where, outcome, wait, cb_wait = _callback_run(child, run)

        def count(mask, w=None):
            return np.bincount(where, weights=np.where(mask, 1.0 if w is None else w, 0.0), minlength=index.size)

        ones = np.ones(arrival.size, bool)
        for key, val in (("offered", count(ones)), ("fresh", count(ones)), ("answered", count(outcome == 0)),
                         ("answered_within", count((outcome == 0) & (wait <= threshold))),
                         ("abandoned", count(outcome == 1)), ("blocked", count(~ones)),
                         ("wait_answered", count(outcome == 0, np.nan_to_num(wait))),
                         ("callbacks", count(outcome == 4)),
                         ("callback_wait", count(outcome == 4, np.nan_to_num(cb_wait)))):
            tallies[key].append(val)
    stacked = {k: np.vstack(x) for k, x in tallies.items()}
    table = _table(stacked, index, level, {"calls": arr["calls"], "agents": n_agents})
    return ChannelSimulation(table, pd.DataFrame(), stacked,
                             dict(channel="voice_callbacks", interval=length, threshold=float(threshold),
                                  patience=patience, callback_threshold=cb, acceptance=acc,
                                  replications=len(children), level=level, seed=ss.entropy))


def _chat_run(rng, inp):
    """One replication of the chat queue; returns per-session (arrival, outcome, wait)."""
    r_arr, r_work, r_pat = (np.random.default_rng(s) for s in rng.spawn(3))
    starts, length = inp["starts"], inp["interval"]
    arrival, where = eng.draw_arrivals(r_arr, inp["calls"], starts, length)
    work = eng.draw_handle(r_work, inp["aht"][where], inp["cv"]).tolist()  # solo seconds
    pat = eng.draw_patience(r_pat, None if inp["patience"] is None else inp["patience"][where], arrival.size).tolist()
    slow = inp["slow"]  # slow[j]: handle time at j sessions over handle time at one (slow[0] unused)
    c, n_agents = inp["concurrency"], inp["agents"]
    rem = [[] for _ in range(n_agents)]
    last = [0.0] * n_agents
    version = [0] * n_agents
    by_load = [set() for _ in range(c + 1)]
    by_load[0].update(range(n_agents))
    events, queue = [], deque()
    outcome = [3] * arrival.size
    wait = [math.nan] * arrival.size
    heappush, heappop = heapq.heappush, heapq.heappop

    def advance(g, t):
        k = len(rem[g])
        if k:
            dec = (t - last[g]) / slow[k]
            rem[g] = [x - dec for x in rem[g]]
        last[g] = t

    def schedule(g, t):
        version[g] += 1
        if rem[g]:
            heappush(events, (t + min(rem[g]) * slow[len(rem[g])], g, version[g]))

    arr_l = arrival.tolist()
    i, n = 0, len(arr_l)
    while i < n or events:
        if events and (i >= n or events[0][0] <= arr_l[i]):
            t, g, ver = heappop(events)
            if ver != version[g]:
                continue
            advance(g, t)
            k = len(rem[g])
            rem[g].pop(int(np.argmin(rem[g])) if k > 1 else 0)
            taken = False
            while queue:
                j = queue.popleft()
                if arr_l[j] + pat[j] < t:
                    outcome[j], wait[j] = 1, pat[j]
                    continue
                outcome[j], wait[j] = 0, t - arr_l[j]
                rem[g].append(work[j])
                taken = True
                break
            if not taken:
                by_load[k].discard(g)
                by_load[k - 1].add(g)
            schedule(g, t)
            continue
        t = arr_l[i]
        for k in range(c):
            if by_load[k]:
                g = min(by_load[k])
                advance(g, t)
                by_load[k].discard(g)
                by_load[k + 1].add(g)
                rem[g].append(work[i])
                outcome[i], wait[i] = 0, 0.0
                schedule(g, t)
                break
        else:
            queue.append(i)
        i += 1
    for j in queue:
        outcome[j], wait[j] = (1, pat[j]) if math.isfinite(pat[j]) else (3, math.nan)
    return arrival, where, np.array(outcome), np.array(wait)


def simulate_chat(sessions, aht, agents, *, concurrency, slowdown=0.0, patience=None, threshold=60, interval=None,
                  handle_cv=1.0, replications=1, seed=None, level=0.95):
    """
    Simulate chat sessions served by agents holding several at once (see the module docstring).

    Parameters
    ----------
    sessions : Series
        Expected sessions per interval on an unbroken DatetimeIndex. [sessions per interval]
    aht : numeric or Series
        Handle time of a session when the agent holds only it. [s]
    agents : int
        Agents, the same in every interval. [count]
    concurrency : int
        Most sessions an agent holds at once. [count >= 1]
    slowdown : float or sequence
        How handle time stretches with concurrency, as in
        :func:`wfm.channels.chat_handle_time`.
    patience : numeric, optional
        Mean time a waiting session stays before leaving (exponential). [s]
    threshold : float
        First-response target. [s]
    interval, handle_cv, replications, seed, level
        As in :func:`wfm.simulate`.

    Returns
    -------
    ChannelSimulation
        ``service_level`` is the share of sessions given a first response
        within ``threshold``.

    Examples
    --------
    >>> idx = pd.date_range("2024-01-01", periods=48, freq="30min")
    >>> sim = simulate_chat(pd.Series(100.0, idx), 180, 10, concurrency=1, patience=120, threshold=20, seed=1)
    >>> round(sim.figures()["service_level"], 2)
    0.63
    """
    index, length, starts = _grid(sessions, interval)
    c = check_concurrency(concurrency)
    inp = v.broadcast_inputs(sessions=sessions, aht=aht, patience=patience)
    arr = inp.arrays
    v.check_nonnegative(arr["sessions"], "sessions", "sessions per interval", index=index)
    v.check_positive(arr["aht"], "aht", "seconds", index=index)
    n_agents = v.check_count(agents, "agents", minimum=1)
    slow = np.r_[1.0, handle_factors(c, slowdown)].tolist()
    run = dict(starts=starts, interval=length, calls=arr["sessions"], aht=arr["aht"], cv=float(handle_cv),
               patience=None if patience is None else arr["patience"], slow=slow, concurrency=c, agents=n_agents)
    ss, children = _seeds(seed, replications)
    tallies = {k: [] for k in _TALLY}
    logs = []
    for rep, child in enumerate(children):
        arrival, where, outcome, wait = _chat_run(child, run)

        def count(mask, w=None):
            return np.bincount(where, weights=np.where(mask, 1.0 if w is None else w, 0.0), minlength=index.size)

        ones = np.ones(arrival.size, bool)
        tallies["offered"].append(count(ones))
        tallies["fresh"].append(count(ones))
        tallies["answered"].append(count(outcome == 0))
        tallies["answered_within"].append(count((outcome == 0) & (wait <= threshold)))
        tallies["abandoned"].append(count(outcome == 1))
        tallies["blocked"].append(count(~ones))
        tallies["wait_answered"].append(count(outcome == 0, np.nan_to_num(wait)))
        logs.append(pd.DataFrame({"replication": rep, "customer": np.arange(arrival.size), "attempt": 1,
                                  "arrival": index[0] + pd.to_timedelta(arrival - starts[0], unit="s"),
                                  "answered": outcome == 0, "abandoned": outcome == 1, "blocked": False,
                                  "wait": wait}))
    stacked = {k: np.vstack(x) for k, x in tallies.items()}
    table = _table(stacked, index, level, {"sessions": arr["sessions"], "agents": n_agents})
    return ChannelSimulation(table, pd.concat(logs, ignore_index=True), stacked,
                             dict(channel="chat", interval=length, threshold=float(threshold), concurrency=c,
                                  slowdown=slowdown, patience=patience, replications=len(children), level=level,
                                  seed=ss.entropy))


def simulate_deferred(items, aht, agents, *, deadline, interval=None, handle_cv=1.0, replications=1, seed=None,
                      level=0.95):
    """
    Simulate deferred work (e-mail, back office): oldest first, no abandonment, backlog carried overnight.

    Parameters
    ----------
    items : Series
        Expected items arriving per interval, on an unbroken DatetimeIndex
        covering nights too (items arrive around the clock). [items per interval]
    aht : numeric or Series
        Mean handle time of an item. [s]
    agents : array or Series
        Agents per interval, 0 when the team is off. [count]
    deadline : float
        Target time from arrival to the start of handling. [s]
    interval, handle_cv, replications, seed, level
        As in :func:`wfm.simulate`.

    Returns
    -------
    wfm.simulation.Simulation
        The voice simulator's result with ``threshold`` = ``deadline``: its
        ``service_level`` is the share of items picked up within the
        deadline. The agents of the last interval stay until the backlog is
        empty.

    Examples
    --------
    >>> idx = pd.date_range("2024-01-01", periods=96, freq="30min")
    >>> agents = pd.Series(0, idx).where(idx.hour.isin(range(0, 8)), 3)
    >>> sim = simulate_deferred(pd.Series(10.0, idx), 300, agents, deadline=8 * 3600, seed=1)
    >>> bool(sim.summary().loc["service_level", "estimate"] > 0.95)
    True
    """
    from . import simulate

    _grid(items, interval)
    dl = float(v.check_positive(np.asarray(float(deadline)), "deadline", "seconds"))
    # Items never leave: a patience of 1e9 s (32 years) stands for none and lets intervals without agents pass.
    return simulate(items, aht, agents, patience=1e9, threshold=dl, interval=interval, handle_cv=handle_cv,
                    replications=replications, seed=seed, level=level)
