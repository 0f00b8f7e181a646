"""
Warm starts for the roster search: a roster given as a table, or the sized plan's shifts handed
to the agents week by week (one run of days off per week, rest-aware shift matching, weekends
shared). A hint only guides the search; the model keeps every rule.
"""

from __future__ import annotations

import numpy as np

from .. import _validation as v
from .. import calendar as cal
from .arguments import day_index, weeks_of

__all__ = ["greedy_hint", "hint_from_table", "pattern_hint"]


def hint_from_table(hint, R, pos):
    v.check_frame_columns(hint, "hint", ["agent", "day", "shift"])
    out = np.full((len(pos), R["days"]), -1, dtype=np.int64)
    sidx = {s: i for i, s in enumerate(R["names"])}
    for a, d, s in zip(hint["agent"], hint["day"], hint["shift"]):
        if a in pos and s in sidx:
            out[pos[a], day_index(d, "hint['day']", R["start"], R["days"])] = sidx[s]
    return out


def pattern_hint(cover, R, A_):
    """A warm start built week by week from the sized plan's shifts.

    Each agent gets, in each calendar week, one run of consecutive days off
    (7 minus its most days per week, at least its minimum run of days off;
    all inside the week, so runs never break across weeks), chosen to cover
    the days that still need agents, with agents ahead on working weekends
    taking the weekend off. Each day the shifts, latest start first, go to
    the working agents who ended latest the day before, so the rest rule
    holds wherever it can. Falls back to :func:`_greedy_hint` for partial
    weeks.
    """
    A, D, S = A_["allowed"].shape
    weeks, dates = weeks_of(R["dates"], R["week_start"]), cal.wall_clock(R["dates"])
    if not all(full for _, full in weeks):
        return greedy_hint(cover, R, A_)
    need = np.zeros((D, S), dtype=np.int64)
    need[cover["day"], cover["shift"]] = cover["required"]
    starts = np.array([sh.start if sh.start is not None else 0 for sh in R["shifts"]])
    ends = starts + np.array([sh.span for sh in R["shifts"]])
    assign = np.full((A, D), -1, dtype=np.int64)
    weekends = np.zeros(A)
    wkd = set(R["weekend"])
    for w, (days, _) in enumerate(weeks):
        per_day = need[days].sum(axis=1).astype(float)
        order = np.argsort(-weekends, kind="stable")  # agents ahead on weekends choose first
        for a in order:
            n_off = min(max(7 - int(min(A_["max_days_week"][a], 7)), int(A_["min_off"][a]) if A_["min_off"][a] > 1 else 0), 7)
            best, best_score = None, -np.inf
            for lo in range(7 - n_off + 1):
                off = np.zeros(7, dtype=bool)
                off[lo:lo + n_off] = True
                can = A_["allowed"][a, days].any(axis=1)
                work = ~off & can
                score = float(np.minimum(per_day[work], 1.0).sum() + 0.01 * per_day[work].sum())
                works_weekend = any(dates[days[k]].day_of_week in wkd for k in np.flatnonzero(work))
                left = len(weeks) - w  # weekends still to come, this one included
                if works_weekend:
                    score -= 0.3 * weekends[a] + (10.0 if weekends[a] >= A_["max_weekends"][a] else 0.0)
                elif A_["min_weekends"][a] - weekends[a] >= left:
                    score -= 10.0  # must work this weekend to reach its minimum
                if score > best_score:
                    best, best_score = work, score
            per_day[best] -= 1
            for k in np.flatnonzero(best):
                assign[a, days[k]] = -2  # working, shift to be chosen
            if any(dates[days[k]].day_of_week in wkd for k in np.flatnonzero(best)):
                weekends[a] += 1
        for d in days:
            working = np.flatnonzero(assign[:, d] == -2)
            prev_end = np.full(A, -10 ** 6)
            if d > 0:
                on = assign[:, d - 1] >= 0
                prev_end[on] = ends[assign[on, d - 1]] - 1440
            slots = [s for s in np.argsort(-starts, kind="stable") for _ in range(need[d, s])]
            free = set(working.tolist())
            for s in slots:
                cand = [a for a in free if A_["allowed"][a, d, s]
                        and not (d > 0 and assign[a, d - 1] >= 0 and A_["follow"][a, assign[a, d - 1], s])]
                if not cand:
                    continue
                a = max(cand, key=lambda x: prev_end[x])
                assign[a, d] = s
                free.discard(a)
            for a in free:  # working but no planned shift left: the least harmful allowed shift
                ok = [s for s in range(S) if A_["allowed"][a, d, s]
                      and not (d > 0 and assign[a, d - 1] >= 0 and A_["follow"][a, assign[a, d - 1], s])]
                assign[a, d] = max(ok, key=lambda x: need[d, x] - (assign[:, d] == x).sum()) if ok else -1
    assign[assign == -2] = -1
    return assign


def greedy_hint(cover, R, A_):
    """Hand the plan's shifts to agents day by day: a warm start that respects the simple rules.

    Agents are taken in order of fewest days worked so far (then fewest
    weekends), skipping those who are off, at their weekly or consecutive-day
    limit, or whose rest rule forbids the shift after yesterday's.
    """
    A, D, _S = A_["allowed"].shape
    assign = np.full((A, D), -1, dtype=np.int64)
    worked = np.zeros(A)
    cons = np.zeros(A, dtype=np.int64)
    week_days = np.zeros(A, dtype=np.int64)
    starts = np.array([sh.start if sh.start is not None else 0 for sh in R["shifts"]])
    need = {}
    for d, s, r in zip(cover["day"], cover["shift"], cover["required"]):
        need.setdefault(int(d), []).append((int(s), int(r)))
    dates = cal.wall_clock(R["dates"])
    for d in range(D):
        if dates[d].day_of_week == R["week_start"]:
            week_days[:] = 0
        for s, r in sorted(need.get(d, []), key=lambda t: -starts[t[0]]):
            ok = A_["allowed"][:, d, s] & (week_days < A_["max_days_week"]) & (cons < A_["max_cons"]) \
                & (assign[:, d] < 0)
            if d > 0:
                prev = assign[:, d - 1]
                ok &= ~np.where(prev >= 0, A_["follow"][np.arange(A), np.maximum(prev, 0), s], False)
            order = np.lexsort((np.arange(A), worked))
            chosen = [a for a in order if ok[a]][:r]
            assign[chosen, d] = s
            worked[chosen] += 1
            week_days[chosen] += 1
        on = assign[:, d] >= 0
        cons = np.where(on, cons + 1, 0)
    return assign
