"""
Joining rosters: the days a previous roster ends with, so the rules at the new horizon's start hold
across the seam.

Without them a roster's first days are free: runs of working days or days off that touch day 0 are
exempt from the minimums (they continue outside the horizon), and nothing limits the first day's shift
after the last day worked before it. With them, the previous days are constants of the model: a run
that starts before day 0 is held to the minimum and maximum consecutive days (a single day off ending
the previous roster makes day 0 a day off when days off come in runs of two), and day 0's shift keeps
the minimum rest after the previous day's end and the forbidden successions. Weekly and weekend rules
count the days inside each horizon.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import calendar as cal
from .arguments import horizon_dates, is_empty, local_times
from .result import Roster

__all__ = ["read_previous"]


def _previous_grid(previous, R):
    """(grid of the days before day 0, agents x days in order, "" off; end time of each agent's day -1 or None)."""
    if isinstance(previous, Roster):
        start = pd.Timestamp(previous.params["start"])
        wall = cal.wall_clock(horizon_dates(start, int(previous.params["days"])))
        first = cal.wall_clock(R["dates"][:1])[0]
        keep = np.flatnonzero(wall < first)
        if not keep.size or (first - wall[keep[-1]]).days != 1:
            raise ValueError(f"previous is a roster from {wall[0]:%Y-%m-%d} to {wall[-1]:%Y-%m-%d}; this roster starts "
                             f"on {first:%Y-%m-%d}: pass the roster that ends the day before it.")
        grid = previous.grid().iloc[:, keep]
        t = previous.table
        last = t[t["day"] == keep[-1]]
        return grid, dict(zip(last["agent"].astype(str), last["end"]))
    if isinstance(previous, pd.DataFrame):
        if previous.shape[1] == 0:
            raise ValueError("previous must hold at least one day: agents (rows) x the days before day 0 "
                             "(columns, the last one the day just before); got no columns.")
        return previous, None
    raise TypeError("previous must be a Roster (the one ending the day before this one) or its grid, a DataFrame of "
                    f"agents (index) x days (columns, the last the day before day 0); got {type(previous).__name__}.")


def read_previous(previous, R, A_):
    """
    (before, forbidden on day 0) from a previous roster: ``before`` (A, K) is 1 where the agent worked,
    0 where off, on the K days before day 0 (-1 for an agent the previous roster does not have);
    ``forbidden`` (A, S) the shift types day 0 may not hold after the agent's day -1 (rest, successions).
    """
    grid, ends = _previous_grid(previous, R)
    names, D, S = A_["names"], R["days"], len(R["shifts"])
    grid = grid.set_axis(grid.index.astype(str))
    worked = grid.map(lambda x: not (is_empty(x) or x == "")).to_numpy(dtype=bool)
    need = max(int(A_["min_cons"].max()), int(A_["min_off"].max()),
               int(max((m for m in A_["max_cons"] if m < D + grid.shape[1]), default=0)) + 1)
    K = min(grid.shape[1], max(need, 1))
    before = np.full((len(names), K), -1, dtype=np.int64)
    forbidden = np.zeros((len(names), S), dtype=bool)
    row_of = {n: i for i, n in enumerate(grid.index)}
    clock = np.array([-1 if sh.start is None else sh.start for sh in R["shifts"]])
    day0 = cal.wall_clock(R["dates"][:1])[0]
    starts = local_times([day0 + pd.Timedelta(minutes=int(m)) for m in np.maximum(clock, 0)], R["dates"].tz)
    for a, name in enumerate(names):
        if name not in row_of:
            continue
        i = row_of[name]
        before[a] = worked[i, -K:]
        if not worked[i, -1]:
            continue
        last = grid.iloc[i, -1]
        if last in R["names"]:
            forbidden[a] |= A_["follow"][a, R["names"].index(last)]
        end = None if ends is None else ends.get(name)
        if end is not None and not pd.isna(end) and A_["rest_hours"][a] > 0:
            gap = np.asarray((starts - pd.Timestamp(end)).total_seconds()) / 3600.0
            forbidden[a] |= (clock >= 0) & (gap < A_["rest_hours"][a])
    return before, forbidden
