"""
The compiled event loop of :mod:`wfm.simulation.multiskill` (numba).

Arrivals (sorted), call ends (a binary heap of busy agents keyed on the end of
their call, ties to the lower agent number) and staffing changes at interval
boundaries are merged in time order. The idle agents of each group form a
doubly linked list in the order they became idle, so the head is the agent
idle longest and an agent who goes off duty leaves the list in O(1). Each
type's waiting calls are a first-come-first-served run of its calls in
arrival order; calls answered at arrival or past their patience are skipped
when they reach the head (lazy abandonment: a call abandons exactly when no
agent takes it before its deadline). Everything works on plain arrays of
seconds from the start of the horizon and does no validation.

Overflow after a delay (:func:`route_overflow`): a group that is not primary
for a type (``primary[type, group]`` False) may take a call of that type only
once it has waited ``delay[type]`` seconds. A call's overflow instant is a
fourth stream of events (``oorder``: the calls in order of arrival + delay),
at which the call, if still waiting, tries its routing list again; a free
agent of a secondary group skips a type whose oldest waiting call has not
yet waited that long (the calls of a type overflow in arrival order).
Events at one instant run in the order: call ends, staffing changes,
arrivals, overflows.
"""

import numpy as np
from numba import njit

# --------------------------------------------------------------------------
# Heap and helpers.
# --------------------------------------------------------------------------


@njit(cache=True)
def _heap_push(ht, ha, size, t, a):
    i = size
    ht[i], ha[i] = t, a
    while i > 0:
        p = (i - 1) // 2
        if ht[p] < ht[i] or (ht[p] == ht[i] and ha[p] < ha[i]):
            break
        ht[p], ht[i] = ht[i], ht[p]
        ha[p], ha[i] = ha[i], ha[p]
        i = p
    return size + 1


@njit(cache=True)
def _heap_pop(ht, ha, size):
    size -= 1
    ht[0], ha[0] = ht[size], ha[size]
    i = 0
    while True:
        left = 2 * i + 1
        if left >= size:
            break
        c = left
        right = left + 1
        if right < size and (ht[right] < ht[left] or (ht[right] == ht[left] and ha[right] < ha[left])):
            c = right
        if ht[i] < ht[c] or (ht[i] == ht[c] and ha[i] < ha[c]):
            break
        ht[c], ht[i] = ht[i], ht[c]
        ha[c], ha[i] = ha[i], ha[c]
        i = c
    return size


@njit(cache=True)
def _add_staffed(staffed, g, lo, hi, interval):
    """Add the agent-seconds [lo, hi) of group g to the intervals they fall in (inside the horizon)."""
    t_count = staffed.shape[0]
    t = int(lo // interval)
    while t < t_count and lo < hi:
        end = min(hi, (t + 1) * interval)
        staffed[t, g] += end - lo
        lo = end
        t += 1


@njit(cache=True)
def _next_call(g, now, group_types, group_level, qbuf, qhead, qtail, served, deadline, arrival, ctype, primary,
               delay):
    """The call a free agent of group g takes at ``now``, or -1.

    The oldest waiting call of the first priority level of the group's types
    that has one (types on one level are served first come, first served),
    among the types whose oldest call the group may take now (a secondary
    group: once it has waited the type's overflow delay). Calls answered at
    arrival or past their patience leave the queue heads.
    """
    width = group_types.shape[1]
    j = 0
    while j < width and group_types[g, j] >= 0:
        level = group_level[g, j]
        best = -1
        while j < width and group_types[g, j] >= 0 and group_level[g, j] == level:
            i = group_types[g, j]
            while qhead[i] < qtail[i]:
                c = qbuf[qhead[i]]
                if served[c] >= 0 or deadline[c] < now:
                    qhead[i] += 1
                    continue
                if (primary[i, g] or arrival[c] + delay[i] <= now) and (best < 0 or arrival[c] < arrival[best]):
                    best = c
                break
            j += 1
        if best >= 0:
            qhead[ctype[best]] += 1
            return best
    return -1


@njit(cache=True)
def _serve(c, b, g, now, answer, served, by_agent, handle, factor, aht3, cint, ctype, busy, ht, ha, hsize):
    """Agent b of group g takes call c at ``now``; returns the heap size."""
    answer[c], served[c], by_agent[c] = now, g, b
    handle[c] = factor[c] * aht3[cint[c], ctype[c], g]
    busy[b] = True
    return _heap_push(ht, ha, hsize, now + handle[c], b)


@njit(cache=True)
def _push_idle(b, g, head, tail, nxt, prv, inlist):
    """Agent b goes to the end of group g's idle list."""
    if tail[g] >= 0:
        nxt[tail[g]] = b
    else:
        head[g] = b
    prv[b], nxt[b], tail[g], inlist[b] = tail[g], -1, b, True


@njit(cache=True)
def _unlink(b, g, head, tail, nxt, prv, inlist):
    """Agent b leaves group g's idle list."""
    if prv[b] >= 0:
        nxt[prv[b]] = nxt[b]
    else:
        head[g] = nxt[b]
    if nxt[b] >= 0:
        prv[nxt[b]] = prv[b]
    else:
        tail[g] = prv[b]
    prv[b], nxt[b], inlist[b] = -1, -1, False


@njit(cache=True)
def _agent_slots(staff):
    """Each group's agents as slots: (``first[g]`` the group's first slot, ``grp`` and ``rank`` of each slot), as
    many slots per group as its most agents in any interval."""
    t_count, g_count = staff.shape
    cap = np.zeros(g_count, np.int64)
    for g in range(g_count):
        for t in range(t_count):
            cap[g] = max(cap[g], staff[t, g])
    first = np.zeros(g_count + 1, np.int64)
    for g in range(g_count):
        first[g + 1] = first[g] + cap[g]
    grp = np.zeros(first[g_count], np.int64)
    rank = np.zeros(first[g_count], np.int64)
    for g in range(g_count):
        for k in range(cap[g]):
            grp[first[g] + k] = g
            rank[first[g] + k] = k
    return first, grp, rank


@njit(cache=True)
def route(arrival, ctype, cint, deadline, factor, aht3, staff, interval, type_groups, group_types, group_level,
          qbuf, qstart):
    """Route every call without overflow delays; returns (answer time, group, agent, handle, staffed seconds)."""
    i_count, g_count = type_groups.shape
    return route_overflow(arrival, ctype, cint, deadline, factor, aht3, staff, interval, type_groups, group_types,
                          group_level, qbuf, qstart, np.zeros(i_count), np.ones((i_count, g_count), np.bool_),
                          np.zeros(0, np.int64))


@njit(cache=True)
def route_overflow(arrival, ctype, cint, deadline, factor, aht3, staff, interval, type_groups, group_types,
                   group_level, qbuf, qstart, delay, primary, oorder):
    """Route every call, secondary groups after ``delay``; returns (answer, group, agent, handle, staffed [T, G]).

    ``delay[type]`` [s], ``primary[type, group]``, and ``oorder`` the calls
    with a finite positive delay in order of arrival + delay (see the module
    docstring).
    """
    n = arrival.size
    t_count, g_count = staff.shape
    first, grp, rank = _agent_slots(staff)
    a_count = first[g_count]
    nxt = np.full(a_count, -1, np.int64)
    prv = np.full(a_count, -1, np.int64)
    inlist = np.zeros(a_count, np.bool_)
    busy = np.zeros(a_count, np.bool_)
    off_since = np.full(a_count, np.nan)
    head = np.full(g_count, -1, np.int64)
    tail = np.full(g_count, -1, np.int64)
    ht = np.empty(a_count + 1)
    ha = np.empty(a_count + 1, np.int64)
    hsize = 0
    answer = np.full(n, np.nan)
    served = np.full(n, -1, np.int64)
    by_agent = np.full(n, -1, np.int64)
    handle = np.zeros(n)
    staffed = staff * interval + np.zeros((t_count, g_count))
    qhead = qstart[:-1].copy()
    qtail = qstart[:-1].copy()
    for g in range(g_count):  # on duty at the start, idle in rank order
        for k in range(staff[0, g]):
            _push_idle(first[g] + k, g, head, tail, nxt, prv, inlist)

    tc = 0
    ptr = 0
    optr = 0
    o_count = oorder.size
    inf = np.inf
    while True:
        ta = arrival[ptr] if ptr < n else inf
        tb = (tc + 1) * interval if tc + 1 < t_count else inf
        tf = ht[0] if hsize > 0 else inf
        to = arrival[oorder[optr]] + delay[ctype[oorder[optr]]] if optr < o_count else inf
        if ta == inf and tb == inf and tf == inf and to == inf:
            break
        if tf <= tb and tf <= ta and tf <= to:  # a call ends; the agent takes the next or goes idle (or off duty)
            now, a = tf, ha[0]
            hsize = _heap_pop(ht, ha, hsize)
            busy[a] = False
            g = grp[a]
            if rank[a] >= staff[tc, g]:
                _add_staffed(staffed, g, off_since[a], now, interval)
                off_since[a] = np.nan
                continue
            c = _next_call(g, now, group_types, group_level, qbuf, qhead, qtail, served, deadline, arrival, ctype,
                           primary, delay)
            if c >= 0:
                hsize = _serve(c, a, g, now, answer, served, by_agent, handle, factor, aht3, cint, ctype, busy, ht,
                               ha, hsize)
            else:
                _push_idle(a, g, head, tail, nxt, prv, inlist)
        elif tb <= ta and tb <= to:  # a staffing boundary
            tc += 1
            now = tb
            for g in range(g_count):
                old, new = staff[tc - 1, g], staff[tc, g]
                for k in range(new, old):  # leaving: an idle agent now, a busy one when its call ends
                    b = first[g] + k
                    if inlist[b]:
                        _unlink(b, g, head, tail, nxt, prv, inlist)
                    elif busy[b]:
                        off_since[b] = now
                for k in range(old, new):  # joining: a busy one stays on, an idle one takes a call or waits
                    b = first[g] + k
                    if busy[b]:
                        if not np.isnan(off_since[b]):
                            _add_staffed(staffed, g, off_since[b], now, interval)
                            off_since[b] = np.nan
                        continue
                    c = _next_call(g, now, group_types, group_level, qbuf, qhead, qtail, served, deadline, arrival,
                                   ctype, primary, delay)
                    if c >= 0:
                        hsize = _serve(c, b, g, now, answer, served, by_agent, handle, factor, aht3, cint, ctype,
                                       busy, ht, ha, hsize)
                    else:
                        _push_idle(b, g, head, tail, nxt, prv, inlist)
        elif ta <= to:  # a call arrives: the first group of its routing with an idle agent, its longest idle
            now = ta
            c = ptr
            ptr += 1
            i = ctype[c]
            qtail[i] += 1
            for j in range(g_count):
                g = type_groups[i, j]
                if g < 0:
                    break
                if not primary[i, g] and delay[i] > 0:
                    continue  # a secondary group waits for the overflow instant
                b = head[g]
                if b >= 0:
                    _unlink(b, g, head, tail, nxt, prv, inlist)
                    hsize = _serve(c, b, g, now, answer, served, by_agent, handle, factor, aht3, cint, ctype, busy,
                                   ht, ha, hsize)
                    break
        else:  # a call's overflow instant: still waiting, it tries its routing list again (secondary groups too)
            now = to
            c = oorder[optr]
            optr += 1
            if served[c] >= 0 or deadline[c] < now:
                continue
            i = ctype[c]
            for j in range(g_count):
                g = type_groups[i, j]
                if g < 0:
                    break
                b = head[g]
                if b >= 0:
                    _unlink(b, g, head, tail, nxt, prv, inlist)
                    hsize = _serve(c, b, g, now, answer, served, by_agent, handle, factor, aht3, cint, ctype, busy,
                                   ht, ha, hsize)
                    break
    return answer, served, by_agent, handle, staffed
