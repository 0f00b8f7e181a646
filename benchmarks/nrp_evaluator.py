"""Independent evaluator of a shift-scheduling benchmark (Curtois-Qu) roster.

Written separately from ``wfm.roster`` (its model and ``instance_format``) on purpose: it
parses the instance file itself and checks a roster day by day, agent by agent, in plain Python
(no CP model, no NumPy), so a bug in the model cannot hide in both.

The rules, as the instance files state them (Curtois and Qu, "Computational results on new staff
scheduling benchmark instances", University of Nottingham, 2014):

hard
    at most one shift per day; no shift on a day off; shift successions (a shift ``t`` that
    "cannot follow" shift ``s`` may not be worked the day after ``s``); per shift type at most
    MaxShifts; total minutes within [MinTotalMinutes, MaxTotalMinutes]; no run of more than
    MaxConsecutiveShifts working days; no run of working days shorter than MinConsecutiveShifts and
    no run of days off shorter than MinConsecutiveDaysOff, except runs touching the start or the
    end of the horizon (they continue outside it); at most MaxWeekends working weekends (a weekend
    is worked when its Saturday or Sunday is; day 0 is a Monday).
soft (the objective)
    weight of every shift-on request not met (that shift not worked that day); weight of every
    shift-off request not met (that shift worked); per day and shift, weight-under times the agents
    missing and weight-over times the agents above the requirement.

Usage::

    python benchmarks/nrp_evaluator.py Instance1.txt solution.txt   # solution: one line per employee,
                                                                    # tab-separated shift ids ('' = off)
"""

from __future__ import annotations

import sys


def parse(path):
    """The instance as plain dicts and lists."""
    sections, current = {}, None
    with open(path, encoding="utf-8") as fh:
        for raw in fh:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("SECTION_"):
                current = line
                sections[current] = []
            else:
                sections[current].append(line)
    inst = {"horizon": int(sections["SECTION_HORIZON"][0]), "length": {}, "cannot_follow": {}, "staff": {},
            "days_off": {}, "on": [], "off": [], "cover": []}
    for line in sections["SECTION_SHIFTS"]:
        f = line.split(",")
        inst["length"][f[0]] = int(f[1])
        inst["cannot_follow"][f[0]] = {x for x in (f[2].split("|") if len(f) > 2 else []) if x}
    for line in sections["SECTION_STAFF"]:
        f = line.split(",")
        max_shifts = {}
        for item in f[1].split("|"):
            if item:
                k, n = item.split("=")
                max_shifts[k] = int(n)
        inst["staff"][f[0]] = {"max_shifts": max_shifts, "max_min": int(f[2]), "min_min": int(f[3]),
                               "max_cons": int(f[4]), "min_cons": int(f[5]), "min_off": int(f[6]),
                               "max_wkd": int(f[7])}
    for line in sections.get("SECTION_DAYS_OFF", []):
        f = line.split(",")
        inst["days_off"][f[0]] = {int(x) for x in f[1:] if x != ""}
    for key, sec in (("on", "SECTION_SHIFT_ON_REQUESTS"), ("off", "SECTION_SHIFT_OFF_REQUESTS")):
        for line in sections.get(sec, []):
            e, d, s, w = line.split(",")
            inst[key].append((e, int(d), s, int(w)))
    for line in sections["SECTION_COVER"]:
        d, s, r, wu, wo = line.split(",")
        inst["cover"].append((int(d), s, int(r), int(wu), int(wo)))
    return inst


def _runs(worked):
    """(start, length, is_work) of every maximal run of working / non-working days."""
    out, start = [], 0
    for d in range(1, len(worked) + 1):
        if d == len(worked) or worked[d] != worked[start]:
            out.append((start, d - start, worked[start]))
            start = d
    return out


def evaluate(inst, roster):
    """
    Penalty and hard-rule violations of ``roster``.

    Parameters
    ----------
    inst : dict
        From :func:`parse`.
    roster : dict
        Employee id -> list of ``horizon`` shift ids, ``None`` or ``""`` for a day off.

    Returns
    -------
    dict
        ``penalty`` (the instance's objective), ``requests`` (its request part), ``cover``
        (its cover part) and ``violations`` (a list of messages; empty when every hard rule holds).
    """
    H = inst["horizon"]
    bad = []
    if set(roster) != set(inst["staff"]):
        bad.append(f"roster employees {sorted(roster)} differ from the instance's {sorted(inst['staff'])}")
    for e, c in inst["staff"].items():
        days = [s or None for s in roster.get(e, [None] * H)]
        if len(days) != H:
            bad.append(f"{e}: {len(days)} days, horizon is {H}")
            continue
        for d, s in enumerate(days):
            if s is not None and s not in inst["length"]:
                bad.append(f"{e} day {d}: unknown shift {s}")
        if any(s is not None and s not in inst["length"] for s in days):
            continue
        for d in inst["days_off"].get(e, ()):
            if days[d] is not None:
                bad.append(f"{e} day {d}: works {days[d]} on a day off")
        for d in range(H - 1):
            if days[d] is not None and days[d + 1] is not None and days[d + 1] in inst["cannot_follow"][days[d]]:
                bad.append(f"{e} days {d}-{d + 1}: {days[d + 1]} cannot follow {days[d]}")
        for s in inst["length"]:
            n = sum(1 for x in days if x == s)
            if n > c["max_shifts"].get(s, H):
                bad.append(f"{e}: {n} shifts {s} > max {c['max_shifts'].get(s)}")
        total = sum(inst["length"][x] for x in days if x is not None)
        if not c["min_min"] <= total <= c["max_min"]:
            bad.append(f"{e}: {total} minutes outside [{c['min_min']}, {c['max_min']}]")
        worked = [x is not None for x in days]
        for start, length, is_work in _runs(worked):
            inner = start > 0 and start + length < H
            if is_work and length > c["max_cons"]:
                bad.append(f"{e}: {length} consecutive shifts from day {start} > {c['max_cons']}")
            if is_work and inner and length < c["min_cons"]:
                bad.append(f"{e}: {length} consecutive shifts from day {start} < {c['min_cons']}")
            if not is_work and inner and length < c["min_off"]:
                bad.append(f"{e}: {length} consecutive days off from day {start} < {c['min_off']}")
        weekends = sum(1 for sat in range(5, H, 7) if worked[sat] or (sat + 1 < H and worked[sat + 1]))
        if weekends > c["max_wkd"]:
            bad.append(f"{e}: {weekends} working weekends > {c['max_wkd']}")
    requests = 0
    for e, d, s, w in inst["on"]:
        if (roster.get(e) or [None] * H)[d] != s:
            requests += w
    for e, d, s, w in inst["off"]:
        if (roster.get(e) or [None] * H)[d] == s:
            requests += w
    cover = 0
    for d, s, r, wu, wo in inst["cover"]:
        n = sum(1 for e in inst["staff"] if (roster.get(e) or [None] * H)[d] == s)
        cover += wu * max(r - n, 0) + wo * max(n - r, 0)
    return {"penalty": requests + cover, "requests": requests, "cover": cover, "violations": bad}


def roster_from_table(table, inst):
    """Employee -> list of shift ids from a table with ``agent``, ``day`` (0-based), ``shift``."""
    out = {e: [None] * inst["horizon"] for e in inst["staff"]}
    for a, d, s in zip(table["agent"], table["day"], table["shift"]):
        if out[a][int(d)] is not None:
            out[a][int(d)] = "<two shifts>"
        else:
            out[a][int(d)] = s
    return out


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    inst = parse(argv[0])
    with open(argv[1], encoding="utf-8") as fh:
        lines = [ln.rstrip("\n").split("\t") for ln in fh]
    roster = {e: [x or None for x in ln] for e, ln in zip(inst["staff"], lines)}
    res = evaluate(inst, roster)
    print(f"penalty {res['penalty']} (requests {res['requests']}, cover {res['cover']}); "
          f"{len(res['violations'])} hard-rule violations")
    for msg in res["violations"][:20]:
        print("  " + msg)
    return 0 if not res["violations"] else 1


if __name__ == "__main__":
    sys.exit(main())
