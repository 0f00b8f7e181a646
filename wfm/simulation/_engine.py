"""
The numerics of the simulator: random draws, the first-come-first-served
recursion over the agents' duty periods, and per-interval tallies.

Everything here works on plain NumPy arrays of seconds from the start of the
horizon and does no validation; :func:`wfm.simulation.simulate` validates and
builds the inputs.

Agents and their duty periods
-----------------------------
Every agent (an agent of a schedule, or rank k of a count per interval) has a
chronological list of *duty periods*: spans in which it takes new contacts.
Period ``p`` of agent ``agent[p]`` ends at ``on_end[p]`` and starts either at
the absolute time ``on_start[p]`` (a log-in: ``relative[p]`` False) or
``on_start[p]`` seconds after the agent leaves period ``p - 1`` (the end of a
break that began when the agent finished its last contact: ``relative[p]``
True). An agent still on a contact at the end of a period finishes it, then
leaves. ``drain[p]`` is the end of an open block when period ``p`` covers
that instant: the agent then keeps taking the contacts that arrived before it
until none is left (the queue drains at the close); otherwise ``-inf``.

The recursion
-------------
With one first-come-first-served queue and identical agents, contact i is
taken at ``s = max(arrival_i, f)``, with ``f`` the earliest time any agent
can take a new contact after the contacts before it have been placed (Kiefer
and Wolfowitz [1]_). It is answered when its offered wait ``s - arrival_i``
does not exceed its patience, and then keeps that agent until ``s + handle``;
otherwise it abandons at ``arrival_i + patience_i`` and leaves the agents as
they were. The earliest agent comes from a heap keyed on the time each agent
is next free, so ties go to the agent idle longest (longest-idle-agent
routing). An agent whose period has closed by ``s`` is moved on to its next
period lazily, when it reaches the top of the heap: an idle agent leaves at
the period's end, a busy one when its contact ends. Arrivals and draws are
vectorised; the loop does a few list look-ups and one heap operation per
contact.

Why not SimPy or ciw
--------------------
Both are well kept, but a process or an object per contact costs time: on
one replication of a constant-staffing M/M/n+M queue with 60,000 calls
(2-core machine, load about 2.7), SimPy 4.1.2 took 1.1-1.4 s and ciw 3.2.7
2.0-2.9 s, against 0.08-0.18 s here with both logs built; neither handles
interval staffing, breaks or draining at the close without extra processes.
See ``benchmarks/bench_simulate_week.py --compare``.

References
----------
.. [1] J. Kiefer and J. Wolfowitz, "On the theory of queues with many
   servers", Transactions of the American Mathematical Society 78(1), 1-18,
   1955.
"""

from __future__ import annotations

import heapq
import math

import numpy as np

ANSWERED, ABANDONED, WAITING = 0, 1, 2


# --------------------------------------------------------------------------
# Draws.
# --------------------------------------------------------------------------


def draw_arrivals(rng, calls, starts, interval):
    """Non-homogeneous Poisson arrivals, constant rate within each interval.

    Returns (arrival seconds sorted, interval position of each arrival).
    """
    counts = rng.poisson(calls)
    where = np.repeat(np.arange(calls.size), counts)
    times = starts[where] + rng.random(where.size) * interval
    times.sort()  # intervals are disjoint and ordered, so ``where`` stays right
    return times, where


def draw_handle(rng, aht, cv):
    """Handle times with mean ``aht``: exponential for cv 1, lognormal otherwise."""
    if cv == 1.0:
        return rng.standard_exponential(aht.size) * aht
    sigma2 = math.log1p(cv * cv)
    return aht * np.exp(rng.standard_normal(aht.size) * math.sqrt(sigma2) - 0.5 * sigma2)


def draw_patience(rng, patience, size):
    """Exponential patience with mean ``patience`` (inf everywhere when None)."""
    if patience is None:
        return np.full(size, np.inf)
    return rng.standard_exponential(size) * patience


# --------------------------------------------------------------------------
# The first-come-first-served recursion.
# --------------------------------------------------------------------------


def serve(arrival, handle, patience, agent, on_start, on_end, relative, drain):
    """Place every contact; see the module docstring.

    Parameters are float/int/bool arrays: contacts sorted by ``arrival``;
    periods grouped by ``agent`` (0..G-1) and chronological within an agent.

    Returns
    -------
    answer : float array
        Answer time of each contact, NaN where it is not answered.
    served_by : int array
        Agent of each answered contact, -1 otherwise.
    login, logout : float arrays
        When each period actually started and ended (NaN for periods never
        reached by an agent whose periods all lie past the last event; they
        are filled by :func:`finish_periods`).
    """
    n = arrival.size
    p_count = agent.size
    if p_count:
        firsts = np.flatnonzero(np.r_[True, agent[1:] != agent[:-1]])
        stops = np.r_[firsts[1:], p_count]
        groups = agent[firsts]
    else:
        firsts = stops = groups = np.zeros(0, dtype=np.int64)
    n_agents = int(agent.max()) + 1 if p_count else 0
    cur = [0] * n_agents
    stop = [0] * n_agents
    for g, f, s in zip(groups.tolist(), firsts.tolist(), stops.tolist()):
        cur[g], stop[g] = f, s
    start_l = on_start.tolist()
    end_l = on_end.tolist()
    rel_l = relative.tolist()
    drain_l = drain.tolist()
    login = [math.nan] * p_count
    logout = [math.nan] * p_count
    heap = []
    for g, f in zip(groups.tolist(), firsts.tolist()):
        login[f] = start_l[f]  # an agent's first period is always a log-in
        heap.append((start_l[f], g))
    heapq.heapify(heap)

    arr_l = arrival.tolist()
    hnd_l = handle.tolist()
    pat_l = patience.tolist()
    answer = [math.nan] * n
    served_by = [-1] * n
    heapreplace, heappop = heapq.heapreplace, heapq.heappop
    for i in range(n):
        a = arr_l[i]
        while heap:
            key, g = heap[0]
            s = a if a > key else key
            p = cur[g]
            if s < end_l[p] or a < drain_l[p]:
                break
            # Agent g cannot take this contact in period p: it left when the period
            # closed (idle) or when its last contact ended (busy).
            out = end_l[p] if end_l[p] > key else key
            logout[p] = out
            p += 1
            if p == stop[g]:
                heappop(heap)
                continue
            cur[g] = p
            if rel_l[p]:
                nxt = out + start_l[p]
            else:
                nxt = start_l[p] if start_l[p] > out else out
            login[p] = nxt
            heapreplace(heap, (nxt, g))
        else:
            continue  # no agent will ever come: the contact abandons or waits
        if s - a <= pat_l[i]:
            answer[i] = s
            served_by[i] = g
            heapreplace(heap, (s + hnd_l[i], g))
    # Close the period each remaining agent is in; later periods are idle.
    for key, g in heap:
        p = cur[g]
        logout[p] = end_l[p] if end_l[p] > key else key
        out = logout[p]
        for q in range(p + 1, stop[g]):
            login[q] = out + start_l[q] if rel_l[q] else max(start_l[q], out)
            logout[q] = out = max(end_l[q], login[q])
    return (np.array(answer), np.array(served_by, dtype=np.int64),
            np.array(login), np.array(logout))


# --------------------------------------------------------------------------
# Tallies.
# --------------------------------------------------------------------------


def overlap(seg_start, seg_end, grid_start, interval):
    """Seconds of the segments [start, end) inside each grid interval [g, g + interval).

    Uses F(x) = sum over segments of |[start, end) before x|, evaluated with
    sorted endpoints and prefix sums: no loop over segments or intervals.
    """
    if seg_start.size == 0:
        return np.zeros(grid_start.size)
    s = np.sort(seg_start)
    e = np.sort(seg_end)
    cs = np.r_[0.0, np.cumsum(s)]
    ce = np.r_[0.0, np.cumsum(e)]

    def before(x):
        ks = np.searchsorted(s, x, side="left")
        ke = np.searchsorted(e, x, side="left")
        return (ks * x - cs[ks]) - (ke * x - ce[ke])

    return np.maximum(before(grid_start + interval) - before(grid_start), 0.0)


TALLIES = ("offered", "answered", "abandoned", "waiting", "answered_within", "short_abandoned",
           "wait_answered", "busy_seconds", "staffed_seconds")


def tally(where, outcome, wait, answer, end, login, logout, grid_start, interval, threshold):
    """Per-interval sums of one replication, keyed by :data:`TALLIES`.

    Contacts count in the interval they arrived in; busy and staffed
    agent-seconds in the interval they were spent in.
    """
    t = grid_start.size
    answered = outcome == ANSWERED
    abandoned = outcome == ABANDONED

    def count(mask, weights=None):
        w = mask if weights is None else np.where(mask, weights, 0.0)
        return np.bincount(where, weights=w, minlength=t).astype(float)

    return {
        "offered": np.bincount(where, minlength=t).astype(float),
        "answered": count(answered),
        "abandoned": count(abandoned),
        "waiting": count(outcome == WAITING),
        "answered_within": count(answered & (wait <= threshold)),
        "short_abandoned": count(abandoned & (wait < threshold)),
        "wait_answered": count(answered, wait),
        "busy_seconds": overlap(answer[answered], end[answered], grid_start, interval),
        "staffed_seconds": overlap(login, logout, grid_start, interval),
    }
