r"""
Deferred work (e-mail, back office, tickets): a target of hours or days, a
backlog carried from one interval to the next and over nights, oldest
first, sized at least cost and blended into the idle time of voice agents.

The fluid backlog model
-----------------------
Items arrive around the clock, uniformly within each interval (``items``
per interval); agents work only in the intervals they are staffed, each
handling ``interval / aht`` items per interval. With cumulative arrivals
:math:`A_t` and capacity :math:`S_t`, the backlog at the end of interval t
is the Lindley recursion in closed form,

.. math:: B_t = X_t - \min(0, \min_{s \le t} X_s), \qquad X_t = B_0 + A_t - S_t,

(Chen and Yao [1]_, section 6.1), one cumulative minimum over the horizon
with no loop. Within an interval cumulative departures are :math:`D(\tau) =
\min(D_{t-1} + c_t f, A_{t-1} + a_t f)` (f the elapsed share of the
interval), so oldest-first the item at cumulative position x, arrived at
:math:`\tau_a(x)`, is started on time when :math:`D(\tau_a(x) + \text{deadline}
+ \text{aht}) \ge x` (it is finished one handle time after it is started).
The share on time in each interval is this test at ``resolution`` evenly
spaced arrivals (a midpoint rule).

``periodic=True`` (the default) treats the horizon as a week that repeats:
the backlog carried into the first interval is the one the last leaves,
:math:`B_0 = X'_T - \min(0, \min_s X'_s)` with :math:`X'` the recursion from
an empty start, and a deadline past the end reaches into the next cycle.
That needs the cycle's capacity to exceed its arrivals; otherwise the
backlog grows without bound and the functions say so.

Sizing at least cost
--------------------
:func:`deferred_staffing` finds the least *level* N of agents over the open
intervals whose on-time share over the horizon meets the target (a
bisection), then trims each interval to the agents its work needs when the
backlog clears there, which keeps every item's handling time (to within an
interval). The baseline it reports, ``queue_agent_hours``, sizes each open
interval as its own queue (Erlang C with the deadline as threshold, night
arrivals moved to the next open interval), as a voice planner would.

Blending
--------
:func:`blend_capacity` gives the agent-equivalents voice agents can spend
on deferred work in each interval: their idle time up to ``max_occupancy``,
:math:`n\,\text{max\_occupancy} - \text{load}`, but never more than the
agents above the least that keep voice on its target, so voice service stays
on target by construction (checked by simulation in the benchmark).

References
----------
.. [1] H. Chen and D. D. Yao, "Fundamentals of Queueing Networks:
   Performance, Asymptotics, and Optimization", Springer, 2001, chapter 6
   (fluid models and the reflection mapping).
.. [2] S. Bhulai and G. Koole, "A queueing model for call blending in call
   centers", IEEE Transactions on Automatic Control 48(8), 1434-1438, 2003.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .. import _validation as v
from ..staffing import required_agents
from ..staffing.required import _required_agents
from ._checks import prepare
from .result import ChannelPlan

__all__ = ["deferred_backlog", "deferred_staffing", "blend_capacity"]


def _check_deadline(deadline, aht):
    dl = v.check_positive(v.as_float_array(deadline, "deadline"), "deadline", "seconds")
    if np.ndim(dl):
        raise TypeError(f"deadline must be one number of seconds; got an array of shape {np.shape(dl)}.")
    longest = float(np.max(aht))
    if float(dl) < longest:
        raise ValueError(f"deadline must be longer than the handle time: got deadline {float(dl):g} s and aht up to "
                         f"{longest:g} s. deadline is the target from arrival to handling in seconds, e.g. 86400 "
                         "for 24 hours.")
    return float(dl)


def _fluid(a, c, length, aht, deadline, periodic, resolution, starts):
    """Backlog, departures and the on-time share per interval (1-D arrays)."""
    x0 = np.cumsum(a - c)
    low = min(0.0, float(x0.min())) if x0.size else 0.0
    if periodic:
        if x0[-1] >= -1e-9 * max(1.0, a.sum()):
            raise ValueError(f"agents are too few: over the cycle they handle {c.sum():,.1f} items but "
                             f"{a.sum():,.1f} arrive, so the backlog grows without end. Staff more hours, or pass "
                             "periodic=False for a horizon that starts empty.")
        b0 = x0[-1] - low
    else:
        b0 = 0.0
    x = b0 + x0
    backlog = x - np.minimum(0.0, np.minimum.accumulate(x))
    cum_a = np.cumsum(a)
    dep = cum_a - backlog  # departures by the end of each interval, positions from -b0
    d_prev = np.r_[-b0, dep[:-1]]
    a_prev = np.r_[0.0, cum_a[:-1]]
    total = cum_a[-1]
    span = starts[-1] + length - starts[0]

    def departed(tau):
        """Cumulative departures D(tau), tau seconds from the first start."""
        if periodic:
            cycles = np.floor(tau / span)
            tau = tau - cycles * span
        else:
            cycles = np.zeros_like(tau)
            tau = np.minimum(tau, span)
        u = np.minimum(np.searchsorted(starts - starts[0], tau, side="right") - 1, a.size - 1)
        f = np.clip((tau - (starts[u] - starts[0])) / length, 0.0, 1.0)
        return np.minimum(d_prev[u] + c[u] * f, a_prev[u] + a[u] * f + 0.0 * b0) + cycles * total

    share = (np.arange(resolution) + 0.5) / resolution
    pos = a_prev[:, None] + a[:, None] * share[None, :]
    t_arr = (starts - starts[0])[:, None] + length * share[None, :]
    on_time = departed(t_arr + deadline + aht[:, None]) >= pos - 1e-9
    return dict(backlog=backlog, handled=np.diff(np.r_[-b0, dep]), on_time=on_time.mean(axis=1),
                start_backlog=b0)


def _grid_inputs(items, aht, interval, agents=None):
    index = v.check_datetime_index(items, "items", "labelling each interval by its start, nights included")
    inp, arr, length = prepare(items, aht, interval, name="items", agents=agents)
    v.warn_implausible(arr["aht"], "aht", index=index, stacklevel=4)  # minutes for seconds, as for voice and chat
    length = float(np.reshape(length, -1)[0])
    starts = v.check_spacing(index, length, "items")
    gaps = np.abs(np.diff(starts) - length) > 1e-6
    if gaps.any():
        raise ValueError(f"items must cover every interval, nights and weekends included (items arrive around the "
                         f"clock); the index jumps{v.describe_positions(np.r_[False, gaps], index)}. Reindex with "
                         "zeros where nothing arrives and 0 agents where the team is off.")
    return index, {k: np.reshape(np.asarray(x, float), -1) for k, x in arr.items() if x is not None}, length, starts


def deferred_backlog(items, aht, agents, *, deadline, interval=None, periodic=True, resolution=32):
    """
    Backlog and on-time share of deferred work at given agents (see the module docstring).

    Parameters
    ----------
    items : Series
        Items arriving per interval, on a DatetimeIndex that covers every
        interval (nights too). [items per interval]
    aht : numeric or Series
        Handle time of an item, by the interval it is handled in. [s]
    agents : numeric or Series
        Agents on the work per interval (0 when off; fractions allowed for
        blended agent-equivalents). [count]
    deadline : float
        Target from arrival to the start of handling. [s] Must exceed ``aht``.
    interval : float, optional
        Interval length; inferred from the index when None. [s]
    periodic : bool
        Treat the horizon as a repeating cycle (a week); else start empty.
    resolution : int
        Arrivals tested per interval for the on-time share.

    Returns
    -------
    DataFrame
        ``items``, ``agents``, ``capacity`` and ``handled`` [items per
        interval], ``backlog`` [items at the end of the interval] and
        ``on_time`` (share of the interval's items started within
        ``deadline``) [0-1].

    Examples
    --------
    Ten e-mails an hour around the clock, five agents 08:00-18:00, AHT 10 min:

    >>> idx = pd.date_range("2024-01-01", periods=48, freq="h")
    >>> agents = pd.Series(np.where((idx.hour >= 8) & (idx.hour < 18), 5, 0), idx)
    >>> t = deferred_backlog(pd.Series(10.0, idx), 600, agents, deadline=24 * 3600)
    >>> round(float(t["backlog"].max()), 1), round(float((t["on_time"] * t["items"]).sum() / t["items"].sum()), 3)
    (140.0, 1.0)
    """
    index, flat, length, starts = _grid_inputs(items, aht, interval, agents)
    v.check_nonnegative(flat["agents"], "agents", "agents", index=index)
    dl = _check_deadline(deadline, flat["aht"])
    res = v.check_count(resolution, "resolution", minimum=1)
    cap = flat["agents"] * length / flat["aht"]
    out = _fluid(flat["items"], cap, length, flat["aht"], dl, bool(periodic), res, starts)
    return pd.DataFrame({"items": flat["items"], "agents": flat["agents"], "capacity": cap,
                         "handled": out["handled"], "backlog": out["backlog"], "on_time": out["on_time"]},
                        index=index)


def _index_mismatch(index, other, name):
    """Why ``other`` (a Series' index) is not ``index`` (items'): the clocks, else the first label that differs."""
    clocks = v.clock_mismatch("items", index, name, other)
    if clocks:
        return clocks
    outside = other.difference(index)
    if len(outside):
        return (f"{len(outside)} of its {len(other)} labels are not intervals of items ({index.size} from "
                f"{index[0]} to {index[-1]}), the first {outside[0]}.")
    missing = index.difference(other)
    if len(missing):
        return f"it has no label for {len(missing)} of the {index.size} intervals of items, the first {missing[0]}."
    return f"it has the labels of items in another order or repeated ({len(other)} labels, items {index.size})."


def _blend_on(blend, index):
    """``blend`` per interval of items: a Series by its labels (0 where it has none: the voice queue is closed
    there), anything else by position."""
    if isinstance(blend, pd.Series):
        if not blend.index.equals(index):
            if (not isinstance(blend.index, pd.DatetimeIndex) or str(blend.index.tz) != str(index.tz)
                    or len(blend.index.difference(index)) or blend.index.has_duplicates):
                raise ValueError("blend must be labelled by intervals of items (a Series on the voice plan's "
                                 "intervals, as blend_capacity returns it, is put on items' grid with 0 where voice "
                                 f"is closed): {_index_mismatch(index, blend.index, 'blend')}")
            blend = blend.reindex(index, fill_value=0.0)
        return v.check_nonnegative(v.as_float_array(blend, "blend"), "blend", "agent-equivalents", index=index)
    return np.broadcast_to(v.check_nonnegative(v.as_float_array(blend, "blend"), "blend", "agent-equivalents"),
                           index.shape)


def deferred_staffing(items, aht, open_intervals, *, deadline, service_level=0.9, interval=None, blend=None, periodic=True,
                      resolution=32):
    """
    Least-cost dedicated agents for deferred work that meet an on-time target over the horizon.

    Parameters
    ----------
    items, aht, deadline, interval, periodic, resolution
        As in :func:`deferred_backlog`.
    open_intervals : bool array or Series
        Intervals in which dedicated agents can work (the team's hours); a
        Series must be on the index of ``items``. [flag]
    service_level : float
        Target share of the horizon's items started within ``deadline``. [0-1)
    blend : numeric or Series, optional
        Agent-equivalents of voice idle time available for the work in each
        interval (:func:`blend_capacity`); the dedicated agents are sized on
        top of it. A Series is read by its labels, which must be intervals of
        ``items`` (same clock); intervals it has no label for get 0 (the
        voice queue is closed there), so :func:`blend_capacity`'s output on
        the voice plan's open intervals goes in as it is. An array is read by
        position.

    Returns
    -------
    ChannelPlan
        ``table`` is :func:`deferred_backlog`'s at the dedicated agents
        (``agents``) plus ``blended`` agent-equivalents, ``load`` [Erlangs]
        and ``service_level`` (the on-time share) beside
        ``service_level_target``. ``params`` holds ``overall_service_level``,
        ``queue_agent_hours`` (each open interval sized as its own Erlang C
        queue with the deadline as threshold) and, with ``blend``,
        ``blended_agent_hours`` and ``dedicated_agent_hours_saved``.

    Examples
    --------
    >>> idx = pd.date_range("2024-01-01", periods=7 * 48, freq="30min")
    >>> open_ = (idx.hour >= 8) & (idx.hour < 18)
    >>> plan = deferred_staffing(pd.Series(6.0, idx), 600, open_, deadline=24 * 3600, service_level=0.9)
    >>> plan.figures()["service_level"] >= 0.9, round(plan.figures()["agent_hours"])
    (True, 350)
    """
    index, flat, length, starts = _grid_inputs(items, aht, interval)
    dl = _check_deadline(deadline, flat["aht"])
    sl = float(v.check_fraction(v.as_float_array(service_level, "service_level"), "service_level",
                                closed_high=False))
    if isinstance(open_intervals, pd.Series) and not open_intervals.index.equals(index):
        raise ValueError("open_intervals must be on the same index as items (one flag per interval, nights "
                         f"included): {_index_mismatch(index, open_intervals.index, 'open_intervals')}")
    is_open = np.asarray(open_intervals, dtype=bool).reshape(-1)
    if is_open.size != index.size:
        raise ValueError(f"open_intervals must have one flag per interval of items ({index.size}); got {is_open.size}.")
    extra = np.zeros(index.size) if blend is None else _blend_on(blend, index)
    if not is_open.any() and blend is None:
        raise ValueError("open_intervals has no open interval: dedicated agents cannot work. Mark the team's hours True.")
    res = v.check_count(resolution, "resolution", minimum=1)
    a, aht_arr = flat["items"], flat["aht"]

    def table_for(n_open):
        agents = np.where(is_open, n_open, 0.0)
        cap = (agents + extra) * length / aht_arr
        out = _fluid(a, cap, length, aht_arr, dl, bool(periodic), res, starts)
        return agents, out

    def share_of(out):
        return float((out["on_time"] * a).sum() / a.sum()) if a.sum() > 0 else 1.0

    def ok(n):
        try:
            return share_of(table_for(n)[1]) >= sl
        except ValueError:  # capacity below arrivals
            return False

    hi = max(1.0, np.ceil(a.sum() * aht_arr.mean() / (length * max(is_open.sum(), 1)) * 2 + 1))
    best = np.ceil(a.sum() * aht_arr.max() / length) + 1  # every item of the horizon in one interval
    if not ok(best):
        reach = share_of(table_for(best)[1])
        raise ValueError(f"service_level {sl:g} cannot be met with these open hours: even without a backlog only "
                         f"{reach:.3f} of the items can start within the deadline of {dl:g} s (items that arrive "
                         "when no open interval starts within the deadline are late). Widen open_intervals, lengthen the "
                         "deadline or lower service_level.")
    while not ok(hi):
        hi = min(hi * 2, best)
    lo = -1.0
    while hi - lo > 1:
        mid = np.floor((lo + hi) / 2)
        lo, hi = (lo, mid) if mid >= 0 and ok(mid) else (mid, hi)
    agents, out = table_for(hi)
    # Trim: where the backlog clears, the interval needs only the agents its work takes.
    need = np.ceil(np.maximum(np.r_[out["start_backlog"], out["backlog"][:-1]] + a, 0) * aht_arr / length
                   - extra - 1e-9)
    trimmed = np.where(is_open, np.minimum(agents, np.maximum(need, 0)), 0.0)
    cap = (trimmed + extra) * length / aht_arr
    try:
        out_t = _fluid(a, cap, length, aht_arr, dl, bool(periodic), res, starts)
        if share_of(out_t) >= sl:
            agents, out = trimmed, out_t
    except ValueError:
        pass
    table = pd.DataFrame({"items": a, "load": a * aht_arr / length, "agents": agents, "blended": extra,
                          "capacity": (agents + extra) * length / aht_arr, "handled": out["handled"],
                          "backlog": out["backlog"], "service_level": out["on_time"]}, index=index)
    table["service_level_target"] = sl
    table["weight"] = a
    params = dict(channel="deferred", interval=length, service_level=sl, deadline=dl, periodic=bool(periodic),
                  overall_service_level=share_of(out), queue_agent_hours=_queue_hours(a, aht_arr, is_open, length, dl,
                                                                                      sl, index))
    if blend is not None:
        with warnings.catch_warnings():  # the aht was checked above: one warning, not two
            warnings.simplefilter("ignore", v.UnitWarning)
            alone = deferred_staffing(items, aht, open_intervals, deadline=deadline, service_level=service_level,
                                      interval=interval, periodic=periodic, resolution=resolution)
        params["blended_agent_hours"] = float(extra.sum() * length / 3600)
        params["dedicated_agent_hours_saved"] = alone.figures()["agent_hours"] - float(agents.sum() * length / 3600)
    return ChannelPlan(table, params)


def _queue_hours(a, aht, is_open, length, deadline, sl, index):
    """Agent-hours when each open interval is sized as its own Erlang C queue.

    Items that arrive while closed join the next open interval (the first of the next cycle after
    the last); the threshold is the deadline, at most one interval.
    """
    if not is_open.any():
        return float("nan")
    n_open = int(is_open.sum())
    ahead = np.cumsum(np.r_[0, is_open[:-1].astype(int)])  # open intervals before each one
    # a closed interval's items join the next open one (after the last, the first of the next cycle)
    pooled = np.bincount(np.where(is_open, ahead, ahead % n_open), weights=a, minlength=n_open)
    aht_open = aht[is_open]
    n = _required_agents(pooled, aht_open, length, service_level=sl, threshold=min(deadline, length))  # warned above
    return float(np.sum(n) * length / 3600)


def blend_capacity(calls, aht, agents, *, service_level=0.8, threshold=20, max_occupancy=0.85, interval=None,
                   patience=None):
    """
    Agent-equivalents of voice agents' idle time that deferred work may fill (see the module docstring).

    Parameters
    ----------
    calls, aht, interval : numeric or Series
        Voice calls per interval, AHT [s] and interval length [s].
    agents : numeric or Series
        Voice agents on duty per interval. [count]
    service_level, threshold, patience
        The voice target (as in :func:`wfm.required_agents`); ``patience``
        switches to Erlang A.
    max_occupancy : float
        Most share of their time voice agents spend working, voice and
        deferred together. [0-1]

    Returns
    -------
    numeric or Series
        min(agents x max_occupancy - load, agents - least agents meeting the
        voice target), at least 0. [agent-equivalents]

    Examples
    --------
    >>> blend_capacity(100, 180, 16, interval=1800, max_occupancy=0.85)
    2.0
    """
    occ = float(v.check_fraction(v.as_float_array(max_occupancy, "max_occupancy"), "max_occupancy"))
    inp = v.broadcast_inputs(calls=calls, aht=aht, agents=agents)
    if interval is None:
        interval = v.infer_interval(inp.index, "calls")
    arr = inp.arrays
    v.check_whole(arr["agents"], "agents", index=inp.index)
    model = "erlang_c" if patience is None else "erlang_a"
    need = np.asarray(required_agents(arr["calls"], arr["aht"], interval, service_level=service_level,
                                      threshold=threshold, model=model, patience=patience), float)
    load = arr["calls"] * arr["aht"] / float(interval)
    spare = np.maximum(np.minimum(arr["agents"] * occ - load, arr["agents"] - need), 0.0)
    return v.wrap_like(spare, inp, "blend")
