"""The day's schedule for :func:`wfm.intraday.replan`: agents, groups of identical shifts, their options, coverage."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _validation as v


def _fmt(ts):
    return pd.Timestamp(ts).strftime("%Y-%m-%d %H:%M")


def _breaks_from_text(text, day, row):
    """``"12:00-12:30 unpaid; 15:00-15:15 paid"`` (as ``wfm schedule`` writes it) as break tuples on ``day``."""
    out = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        words = part.split()
        try:
            a, b = words[0].split("-")
            b0, b1 = day + pd.Timedelta(a + ":00"), day + pd.Timedelta(b + ":00")
        except ValueError:
            raise ValueError(f"schedule['breaks'] row {row}: cannot read {part!r}; expected 'HH:MM-HH:MM [paid|unpaid]'"
                             ", e.g. '12:00-12:30 unpaid'.") from None
        out.append((b0, b1, not (len(words) > 1 and words[1] == "unpaid")))
    return out


def _breaks_of(items, row, day=None):
    if items is None or (isinstance(items, float) and np.isnan(items)):
        return []
    if isinstance(items, str):
        items = _breaks_from_text(items, day, row)
    out = []
    for item in items:
        if len(item) not in (2, 3):
            raise ValueError(f"schedule['breaks'] row {row}: each break is (start, end) or (start, end, paid); "
                             f"got {item!r}.")
        b0, b1 = pd.Timestamp(item[0]), pd.Timestamp(item[1])
        out.append((b0, b1, bool(item[2]) if len(item) == 3 else True))
    return sorted(out, key=lambda b: b[0])


def agent_rows(schedule, day, *, caller, day_is):
    """
    One row per agent (``agent``, ``name``, ``start``, ``end``, ``breaks``), every shift starting on ``day``.

    ``caller`` (the public function) and ``day_is`` (why ``day``: ``"the
    reforecast is for 2003-10-20"``) make the message of a shift on another
    day.
    """
    frame = getattr(schedule, "shifts", schedule)
    v.check_frame_columns(frame, "schedule", ["start", "end", "name"],
                          hint="One row per agent (or per shift with an 'agents' count) and its template name.")
    frame = frame.reset_index(drop=True)
    if "agent" not in frame.columns:
        if "agents" not in frame.columns:
            raise ValueError("schedule needs an 'agent' column (one row per agent) or an 'agents' count per shift.")
        counts = v.as_float_array(frame["agents"], "schedule['agents']").astype(int)
        frame = frame.iloc[np.repeat(np.arange(len(frame)), counts)].reset_index(drop=True)
        frame.insert(0, "agent", np.arange(len(frame)))
    start = v.check_timestamps(frame["start"], "schedule['start']")
    end = v.check_timestamps(frame["end"], "schedule['end']")
    other = start.normalize() != day
    if other.any():
        dates = sorted({d.strftime("%Y-%m-%d") for d in start.normalize()[other]})
        raise ValueError(f"{caller}: schedule holds shifts of another day: {int(other.sum())} of {len(frame)} shifts "
                         f"start on {', '.join(dates[:3])}{', ...' if len(dates) > 3 else ''}, {day_is}. {caller} "
                         f"takes one day's shifts: give that day's only, e.g. shifts[shifts['start'].dt.normalize() "
                         f"== '{day:%Y-%m-%d}'].")
    v.check_rows(~(end > start), "schedule", "end after they start", labels=list(frame["agent"]))
    breaks = frame["breaks"] if "breaks" in frame.columns else [None] * len(frame)
    return pd.DataFrame({"agent": frame["agent"].to_numpy(), "name": frame["name"].astype(str).to_numpy(),
                         "start": start, "end": end,
                         "breaks": [_breaks_of(b, i, day) for i, b in enumerate(breaks)]})


def _interval_overlap(a, b, grid, step):
    """Share of each grid interval inside [a, b). [0-1]"""
    t0 = np.asarray((grid - grid[0]).total_seconds())
    a_s, b_s = (pd.Timestamp(a) - grid[0]).total_seconds(), (pd.Timestamp(b) - grid[0]).total_seconds()
    return np.clip(np.minimum(b_s, t0 + step) - np.maximum(a_s, t0), 0, step) / step


def coverage_counts(agents, grid, step):
    """Agents on the phones per grid interval: on shift and not on a break (fractions where partial)."""
    t0 = np.asarray((grid - grid[0]).total_seconds())
    out = np.zeros(len(grid))

    def add(a, b, sign):
        a_s = np.asarray((pd.DatetimeIndex(a) - grid[0]).total_seconds())[:, None]
        b_s = np.asarray((pd.DatetimeIndex(b) - grid[0]).total_seconds())[:, None]
        return sign * (np.clip(np.minimum(b_s, t0 + step) - np.maximum(a_s, t0), 0, step) / step).sum(0)

    if len(agents):
        out += add(agents["start"], agents["end"], 1)
        br = [(b0, b1) for items in agents["breaks"] for b0, b1, _ in items]
        if br:
            out += add([b[0] for b in br], [b[1] for b in br], -1)
    return out


def _template_map(rules):
    return {t.name: t for t in rules.shifts}


def group_rows(agents, rules, now, step):
    """Agents with identical shifts as groups, each with its break windows and an ``options`` builder."""
    templates = _template_map(rules)
    unknown = sorted(set(agents["name"]) - set(templates))
    if unknown:
        raise ValueError(f"schedule['name'] names template(s) {unknown[:5]} that rules lacks; rules has "
                         f"{sorted(templates)}.")
    key = agents.apply(lambda r: (r["name"], r["start"], r["end"], tuple(r["breaks"])), axis=1)
    groups = []
    for k, idx in agents.groupby(key, sort=False).groups.items():
        name, start, end, breaks = k
        tpl = templates[name]
        if len(breaks) != len(tpl.breaks):
            raise ValueError(f"schedule: agent {agents.loc[idx[0], 'agent']} on {name!r} from {_fmt(start)} has "
                             f"{len(breaks)} break(s); the template has {len(tpl.breaks)}.")
        windows = [(start + r.start_after[0], start + r.start_after[1], r.length) for r in tpl.breaks]
        groups.append(_group(list(agents.loc[idx, "agent"]), tpl, start, end, list(breaks), windows, now, step))
    return groups


def _group(members, tpl, start, end, breaks, windows, now, step):
    movable = [b0 >= now for b0, _, _ in breaks]
    unpaid = sum(((b1 - b0) for b0, b1, paid in breaks if not paid), pd.Timedelta(0))
    paid = (end - start) - unpaid
    stp = pd.Timedelta(seconds=step)
    latest_break_end = max([(w[1] + w[2]) if m else b[1] for b, w, m in zip(breaks, windows, movable)],
                           default=start)

    def options(grid, step_s, limits, premium, saving):
        close = grid[-1] + stp
        rate = tpl.rate
        out = {"breaks": [], "shift": []}
        for j, ((b0, b1, _), (lo, hi, length), m) in enumerate(zip(breaks, windows, movable)):
            if not m:
                continue
            cands = grid[(grid >= max(lo, now)) & (grid <= hi) & (grid + length <= end)]
            if b0 not in cands:
                cands = cands.append(pd.DatetimeIndex([b0])).sort_values()
            out["breaks"].append((j, [(s, -_interval_overlap(s, s + length, grid, step_s)) for s in cands]))
        k_ot = int(limits["max_overtime"] / stp)
        for k in range(1, k_ot + 1):
            if paid + k * stp > limits["max_paid"]:
                break
            cost = k * step_s / 3600 * rate * premium
            if end + k * stp <= close:
                out["shift"].append(("overtime_late", k, _interval_overlap(end, end + k * stp, grid, step_s), cost))
            if start - k * stp >= now:
                out["shift"].append(("overtime_early", k, _interval_overlap(start - k * stp, start, grid, step_s),
                                     cost))
        for k in range(1, int(limits["max_vto"] / stp) + 1):
            new_end = end - k * stp
            if new_end < max(now, latest_break_end) or paid - k * stp < limits["min_paid"]:
                break
            out["shift"].append(("vto", k, -_interval_overlap(new_end, end, grid, step_s),
                                 -k * step_s / 3600 * rate * saving))
        return out

    return {"members": members, "n": len(members), "template": tpl, "start": start, "end": end, "breaks": breaks,
            "windows": windows, "movable": movable, "options": options, "paid": paid,
            "break_start": [b[0] if m else None for b, m in zip(breaks, movable)],
            "movable_off": None}


def apply_actions(agents, groups, solution, step, premium, saving, templates=None):
    """The new per-agent schedule and the table of actions, from the solver's counts per group and option."""
    stp = pd.Timedelta(seconds=step)
    new = {row.agent: dict(agent=row.agent, name=row.name, start=row.start, end=row.end, breaks=list(row.breaks))
           for row in agents.itertuples(index=False)}
    actions = []
    shift_next = {gi: 0 for gi in range(len(groups))}
    break_next = {}
    extra = 0
    for (kind, gi, k, s), count in solution:
        if kind == "extra_shift":                             # gi is the template's name, k the start
            tpl = templates[gi]
            for _ in range(count):
                agent = f"extra {extra}"
                extra += 1
                brk = [(k + b.start_after[0], k + b.start_after[0] + b.length, b.paid) for b in tpl.breaks]
                new[agent] = dict(agent=agent, name=tpl.name, start=k, end=k + tpl.span, breaks=brk)
                actions.append(dict(agent=agent, action="extra_shift", start=k, end=k + tpl.span,
                                    **{"from": pd.NaT, "to": k}, hours=tpl.paid_hours,
                                    cost=tpl.paid_hours * tpl.rate * premium))
            continue
        g = groups[gi]
        rate = g["template"].rate
        if kind == "move_break":
            b = k
            at = break_next.get((gi, b), 0)
            for agent in g["members"][at:at + count]:
                b0, b1, paid = new[agent]["breaks"][b]
                if s != b0:
                    new[agent]["breaks"][b] = (s, s + (b1 - b0), paid)
                    actions.append(dict(agent=agent, action="move_break", start=s, end=s + (b1 - b0), **{
                        "from": b0, "to": s}, hours=0.0, cost=0.0))
            break_next[(gi, b)] = at + count
            continue
        at = shift_next[gi]
        hours = k * step / 3600
        for agent in g["members"][at:at + count]:
            row = new[agent]
            if kind == "overtime_late":
                actions.append(dict(agent=agent, action="overtime", start=row["end"], end=row["end"] + k * stp,
                                    **{"from": row["end"], "to": row["end"] + k * stp}, hours=hours,
                                    cost=hours * rate * premium))
                row["end"] = row["end"] + k * stp
            elif kind == "overtime_early":
                actions.append(dict(agent=agent, action="overtime", start=row["start"] - k * stp, end=row["start"],
                                    **{"from": row["start"], "to": row["start"] - k * stp}, hours=hours,
                                    cost=hours * rate * premium))
                row["start"] = row["start"] - k * stp
            else:
                actions.append(dict(agent=agent, action="vto", start=row["end"] - k * stp, end=row["end"],
                                    **{"from": row["end"], "to": row["end"] - k * stp}, hours=hours,
                                    cost=-hours * rate * saving))
                row["end"] = row["end"] - k * stp
        shift_next[gi] = at + count
    schedule = pd.DataFrame(list(new.values()))
    cols = ["agent", "action", "start", "end", "from", "to", "hours", "cost"]
    table = pd.DataFrame(actions, columns=cols).sort_values(["action", "agent", "start"], kind="stable")
    return schedule, table.reset_index(drop=True)
