"""
From the solver's counts to concrete shifts and breaks, and the coverage of a table of shifts.

After the solve, breaks are handed to agents by earliest deadline first
(always possible under the break conditions of :mod:`wfm.schedule.model`)
and :attr:`~wfm.schedule.SchedulePlan.shifts` lists every distinct shift
with its concrete breaks; :func:`shift_coverage` recomputes the coverage
from that table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["shift_coverage"]


def _priced(tpl):
    """A template's cost per paid hour; NaN when the rules give none (the cost is then n/a, not the paid hours)."""
    return np.nan if tpl.cost_per_paid_hour is None else tpl.cost_per_paid_hour


def _assign_breaks(cls, x, b):
    """Hand the breaks of one class to its units, earliest deadline first.

    Units are (shift, break) pairs with ``x[shift]`` agents each and window
    [u, u + W]; ``b[t]`` breaks start at each t. Returns, per unit, a list of
    break starts (one per agent, ascending).
    """
    W = cls["W"]
    counts = x[cls["s"]]
    order = np.argsort(cls["u"], kind="stable")
    out = [[] for _ in range(cls["s"].size)]
    queue = []  # [unit, agents still without this break], by window start
    head = 0
    nxt = 0
    for tau, n in zip(cls["taus"].tolist(), b.tolist()):
        while nxt < order.size and cls["u"][order[nxt]] <= tau:
            if counts[order[nxt]] > 0:
                queue.append([order[nxt], int(counts[order[nxt]])])
            nxt += 1
        while n > 0:
            if head >= len(queue) or cls["u"][queue[head][0]] + W < tau:
                raise RuntimeError("break assignment failed: the solver's break counts violate the "
                                   "forward/backward conditions (please report this).")
            unit, left = queue[head]
            take = min(n, left)
            out[unit].extend([tau] * take)
            queue[head][1] -= take
            n -= take
            if queue[head][1] == 0:
                head += 1
    if head < len(queue) or nxt < order.size and counts[order[nxt:]].sum() > 0:
        raise RuntimeError("break assignment failed: some shifts got no break (please report this).")
    return out


def _shift_table(rules, grid, sh, model, x_all):
    x = np.rint(x_all[:model.nx]).astype(np.int64)
    breaks_of = {}  # shift -> {k: [starts]}
    for cls in model.classes:
        b = np.rint(x_all[cls["b_cols"]]).astype(np.int64)
        starts = _assign_breaks(cls, x, b)
        for unit, st in enumerate(starts):
            if st:
                breaks_of.setdefault(int(cls["s"][unit]), {})[int(cls["k"][unit])] = st
    idx, step = grid.index, pd.Timedelta(seconds=grid.interval)
    records = []
    for s in np.flatnonzero(x > 0).tolist():
        tpl = rules.shifts[sh.template[s]]
        per_break = breaks_of.get(s, {})
        plans = {}
        for a in range(x[s]):
            key = tuple(per_break[k][a] for k in range(len(tpl.breaks)))
            plans[key] = plans.get(key, 0) + 1
        start = idx[sh.start[s]]
        for key, agents in plans.items():
            brk = [(idx[t], idx[t] + rule.length, rule.paid) for t, rule in zip(key, tpl.breaks)]
            records.append(dict(day=grid.dates[sh.day[s]], name=tpl.name, contract=tpl.contract, start=start,
                                end=start + sh.span[s] * step, paid_hours=tpl.paid_hours, agents=int(agents),
                                breaks=brk, cost=agents * tpl.paid_hours * _priced(tpl)))
    cols = ["day", "name", "contract", "start", "end", "paid_hours", "agents", "breaks", "cost"]
    table = pd.DataFrame.from_records(records, columns=cols)
    if len(table):
        table = table.sort_values(["day", "start", "name", "end"], kind="stable").reset_index(drop=True)
    table["agents"] = table["agents"].astype(np.int64)
    return table, x


def shift_coverage(shifts, index):
    """
    Agents on the phones per interval from a table of shifts with breaks.

    An agent counts in every interval that starts inside [start, end) and
    not inside one of its breaks [break start, break end).

    Parameters
    ----------
    shifts : DataFrame
        Columns ``start``, ``end``, ``agents`` and ``breaks`` (a list of
        (start, end, paid) tuples), as in :attr:`SchedulePlan.shifts`.
    index : DatetimeIndex
        Interval starts, a regular grid.

    Returns
    -------
    scheduled : Series
        Agents on the phones, on ``index``. [agents]

    Examples
    --------
    >>> idx = pd.date_range("2024-01-01 08:00", periods=4, freq="30min")
    >>> t = pd.Timestamp
    >>> table = pd.DataFrame({"start": [t("2024-01-01 08:00")], "end": [t("2024-01-01 10:00")],
    ...                       "agents": [3], "breaks": [[(t("2024-01-01 09:00"), t("2024-01-01 09:30"), True)]]})
    >>> shift_coverage(table, idx).tolist()
    [3, 3, 0, 3]
    """
    pos = lambda ts: np.asarray(index.searchsorted(pd.DatetimeIndex(ts)), dtype=np.int64)  # noqa: E731
    diff = np.zeros(len(index) + 1, dtype=np.int64)
    if len(shifts):
        agents = shifts["agents"].to_numpy(dtype=np.int64)
        np.add.at(diff, pos(shifts["start"]), agents)
        np.add.at(diff, pos(shifts["end"]), -agents)
        n = shifts["breaks"].map(len).to_numpy()
        if n.sum():
            flat = [brk for lst in shifts["breaks"] for brk in lst]
            who = np.repeat(agents, n)
            np.add.at(diff, pos([f[0] for f in flat]), -who)
            np.add.at(diff, pos([f[1] for f in flat]), who)
    return pd.Series(np.cumsum(diff)[:-1], index=index, name="scheduled")

