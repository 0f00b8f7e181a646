"""
The shift-scheduling benchmark's text format: read an instance into the
arguments of :func:`wfm.roster_agents`, write them back, read a roster solution.

The format is that of the 24 instances of Curtois and Qu [1]_: sections
``SECTION_HORIZON`` (days, day 0 a Monday), ``SECTION_SHIFTS`` (id, length
in minutes, the shifts that may not follow it on the next day),
``SECTION_STAFF`` (per employee: max shifts per type, max and min total
minutes, max and min consecutive shifts, min consecutive days off, max
weekends), ``SECTION_DAYS_OFF``, ``SECTION_SHIFT_ON_REQUESTS`` and
``SECTION_SHIFT_OFF_REQUESTS`` (employee, day, shift, weight) and
``SECTION_COVER`` (day, shift, requirement, weight for under- and for
over-cover). Lines starting with ``#`` are comments.

Each field maps one for one onto a :func:`wfm.roster_agents` argument:

=====================================  =========================================
instance                               wfm
=====================================  =========================================
horizon                                ``rules["days"]`` (``rules["start"]``: a Monday)
shift id, length                       ``rules["shifts"]``: ``name``, ``paid``
shifts which cannot follow             ``rules["forbidden_successions"]``
MaxShifts                              ``agents["max_shifts"]`` (dict per shift)
Max/MinTotalMinutes                    ``agents["max_paid_hours"]``/``["min_paid_hours"]``
Max/MinConsecutiveShifts               ``agents["max_consecutive_days"]``/``["min_consecutive_days"]``
MinConsecutiveDaysOff                  ``agents["min_consecutive_days_off"]``
MaxWeekends                            ``agents["max_working_weekends"]``
days off                               ``agents["days_off"]`` (day numbers)
shift on/off requests                  ``requests`` (``kind`` "on"/"off", ``weight``)
cover                                  ``demand``: ``day``, ``shift``, ``required``,
                                       ``weight_under``, ``weight_over``
=====================================  =========================================

References
----------
.. [1] T. Curtois and R. Qu, "Computational results on new staff scheduling
   benchmark instances", technical report, ASAP Research Group, School of
   Computer Science, University of Nottingham, 2014.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "INSTANCE_START",
    "RosterInstance",
    "read_instance",
    "read_solution",
    "write_instance",
    "write_solution",
]

#: Day 0 of every benchmark instance: the format says only "a Monday"; this one is used.
INSTANCE_START = pd.Timestamp("2024-01-01")

_SECTIONS = ("SECTION_HORIZON", "SECTION_SHIFTS", "SECTION_STAFF", "SECTION_DAYS_OFF",
             "SECTION_SHIFT_ON_REQUESTS", "SECTION_SHIFT_OFF_REQUESTS", "SECTION_COVER")
_AGENT_COLUMNS = ["agent", "max_shifts", "max_paid_hours", "min_paid_hours", "max_consecutive_days",
                  "min_consecutive_days", "min_consecutive_days_off", "max_working_weekends", "days_off"]


@dataclass(frozen=True)
class RosterInstance:
    """
    One benchmark instance as :func:`wfm.roster_agents` arguments.

    ``roster_agents(inst.demand, inst.agents, inst.rules, requests=inst.requests)``
    solves it.

    Attributes
    ----------
    name : str
        The file's stem, e.g. ``"Instance1"``.
    demand : DataFrame
        Cover: ``day`` (0-based), ``shift``, ``required`` [agents],
        ``weight_under``, ``weight_over`` [penalty per agent].
    agents : DataFrame
        One row per employee (see the module's table of fields).
    requests : DataFrame
        ``agent``, ``day``, ``shift``, ``kind`` ("on" or "off"), ``weight``.
    rules : dict
        ``start``, ``days``, ``shifts``, ``forbidden_successions`` and
        ``fairness`` (all weights 0: the benchmark has no fairness term).
    """

    name: str
    demand: pd.DataFrame
    agents: pd.DataFrame
    requests: pd.DataFrame
    rules: dict


def _sections(text, path):
    out, current = {}, None
    for k, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            if line not in _SECTIONS:
                raise ValueError(f"{path}: line {k}: unknown section {line!r}; the sections are {list(_SECTIONS)}.")
            current = line
            out[current] = []
            continue
        if current is None:
            raise ValueError(f"{path}: line {k}: data before the first SECTION_ header: {line!r}.")
        out[current].append((k, line))
    missing = [s for s in _SECTIONS if s not in out]
    if missing:
        raise ValueError(f"{path}: missing section {missing[0]}; an instance has {list(_SECTIONS)}.")
    return out


def _int(text, path, k, what):
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{path}: line {k}: {what} must be a whole number; got {text!r}.") from None


def read_instance(path):
    """
    Read a shift-scheduling benchmark instance into :func:`wfm.roster_agents` arguments.

    Parameters
    ----------
    path : str or path-like
        An instance file such as ``Instance1.txt``.

    Returns
    -------
    RosterInstance

    Raises
    ------
    ValueError
        A malformed line: the message gives the file, the line number and
        the field.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> text = '''SECTION_HORIZON
    ... 7
    ... SECTION_SHIFTS
    ... D,480,
    ... SECTION_STAFF
    ... A,D=7,2400,960,5,1,1,1
    ... SECTION_DAYS_OFF
    ... A,6
    ... SECTION_SHIFT_ON_REQUESTS
    ... SECTION_SHIFT_OFF_REQUESTS
    ... A,0,D,2
    ... SECTION_COVER
    ... 0,D,1,100,1
    ... '''
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "Tiny.txt"
    >>> _ = p.write_text(text)
    >>> inst = read_instance(p)
    >>> a = inst.agents.iloc[0]
    >>> a["agent"], float(a["max_paid_hours"]), float(a["min_paid_hours"]), a["days_off"]
    ('A', 40.0, 16.0, [6])
    >>> inst.requests.to_dict("records")
    [{'agent': 'A', 'day': 0, 'shift': 'D', 'kind': 'off', 'weight': 2.0}]
    """
    path = os.fspath(path)
    with open(path, encoding="utf-8") as fh:
        sec = _sections(fh.read(), path)
    name = os.path.splitext(os.path.basename(path))[0]
    (k, horizon_text), = sec["SECTION_HORIZON"][:1] or [(0, "")]
    days = _int(horizon_text, path, k, "the horizon (days)")

    shifts, forbidden = [], []
    for k, line in sec["SECTION_SHIFTS"]:
        parts = line.split(",")
        if len(parts) < 2:
            raise ValueError(f"{path}: line {k}: a shift is 'ID,length in minutes,successors'; got {line!r}.")
        minutes = _int(parts[1].strip(), path, k, f"shift {parts[0]!r} length (minutes)")
        shifts.append({"name": parts[0].strip(), "paid": f"{minutes}min"})
        nxt = parts[2].strip() if len(parts) > 2 else ""
        forbidden += [[parts[0].strip(), s.strip()] for s in nxt.split("|") if s.strip()]
    names = [s["name"] for s in shifts]

    rows = []
    for k, line in sec["SECTION_STAFF"]:
        p = [x.strip() for x in line.split(",")]
        if len(p) != 8:
            raise ValueError(f"{path}: line {k}: a staff line has 8 fields (ID, MaxShifts, MaxTotalMinutes, "
                             f"MinTotalMinutes, MaxConsecutiveShifts, MinConsecutiveShifts, MinConsecutiveDaysOff, "
                             f"MaxWeekends); got {len(p)}: {line!r}.")
        caps = {}
        for item in filter(None, p[1].split("|")):
            sid, _, n = item.partition("=")
            if sid not in names:
                raise ValueError(f"{path}: line {k}: MaxShifts of employee {p[0]!r} names unknown shift {sid!r}; "
                                 f"the shifts are {names}.")
            caps[sid] = _int(n, path, k, f"MaxShifts of {sid!r}")
        rows.append({"agent": p[0], "max_shifts": caps,
                     "max_paid_hours": _int(p[2], path, k, "MaxTotalMinutes") / 60.0,
                     "min_paid_hours": _int(p[3], path, k, "MinTotalMinutes") / 60.0,
                     "max_consecutive_days": _int(p[4], path, k, "MaxConsecutiveShifts"),
                     "min_consecutive_days": _int(p[5], path, k, "MinConsecutiveShifts"),
                     "min_consecutive_days_off": _int(p[6], path, k, "MinConsecutiveDaysOff"),
                     "max_working_weekends": _int(p[7], path, k, "MaxWeekends"),
                     "days_off": []})
    agents = pd.DataFrame(rows, columns=_AGENT_COLUMNS)
    pos = {a: i for i, a in enumerate(agents["agent"])}
    for k, line in sec["SECTION_DAYS_OFF"]:
        p = [x.strip() for x in line.split(",") if x.strip()]
        if p[0] not in pos:
            raise ValueError(f"{path}: line {k}: days off of unknown employee {p[0]!r}.")
        agents.at[pos[p[0]], "days_off"] = sorted(_int(d, path, k, "a day index") for d in p[1:])

    req = []
    for kind, section in (("on", "SECTION_SHIFT_ON_REQUESTS"), ("off", "SECTION_SHIFT_OFF_REQUESTS")):
        for k, line in sec[section]:
            p = [x.strip() for x in line.split(",")]
            if len(p) != 4:
                raise ValueError(f"{path}: line {k}: a request is 'EmployeeID,Day,ShiftID,Weight'; got {line!r}.")
            req.append({"agent": p[0], "day": _int(p[1], path, k, "Day"), "shift": p[2], "kind": kind,
                        "weight": float(_int(p[3], path, k, "Weight"))})
    requests = pd.DataFrame(req, columns=["agent", "day", "shift", "kind", "weight"])
    requests["day"] = requests["day"].astype(np.int64)
    requests["weight"] = requests["weight"].astype(float)

    cov = []
    for k, line in sec["SECTION_COVER"]:
        p = [x.strip() for x in line.split(",")]
        if len(p) != 5:
            raise ValueError(f"{path}: line {k}: a cover line is 'Day,ShiftID,Requirement,Weight for under,"
                             f"Weight for over'; got {line!r}.")
        cov.append({"day": _int(p[0], path, k, "Day"), "shift": p[1], "required": _int(p[2], path, k, "Requirement"),
                    "weight_under": float(_int(p[3], path, k, "Weight for under")),
                    "weight_over": float(_int(p[4], path, k, "Weight for over"))})
    demand = pd.DataFrame(cov, columns=["day", "shift", "required", "weight_under", "weight_over"])
    demand = demand.astype({"day": np.int64, "required": np.int64})

    rules = {"start": INSTANCE_START.strftime("%Y-%m-%d"), "days": days, "shifts": shifts,
             "forbidden_successions": forbidden, "fairness": {"weekends": 0.0, "lates": 0.0, "requests": 0.0}}
    return RosterInstance(name, demand, agents, requests, rules)


def _minutes(hours, what, agent):
    m = float(hours) * 60.0
    if not np.isfinite(m) or abs(m - round(m)) > 1e-6:
        raise ValueError(f"agents[{what!r}] of agent {agent!r} must be a whole number of minutes to write the "
                         f"benchmark format; got {hours!r} h.")
    return round(m)


def write_instance(path, demand, agents, rules, requests=None):
    """
    Write :func:`wfm.roster_agents` arguments in the benchmark's instance format.

    Only what the format holds is written: shift names and paid lengths,
    forbidden successions, the agents' fields listed in the module's table
    (every one must be given, as whole numbers of minutes for the hours),
    day-number days off, shift requests and day-by-shift cover.

    Parameters
    ----------
    path : str or path-like
    demand, agents, rules, requests
        As :func:`read_instance` returns them.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> demand = pd.DataFrame({"day": [0], "shift": ["D"], "required": [1], "weight_under": [100.0],
    ...                        "weight_over": [1.0]})
    >>> agents = pd.DataFrame([{"agent": "A", "max_shifts": {"D": 7}, "max_paid_hours": 40.0,
    ...     "min_paid_hours": 16.0, "max_consecutive_days": 5, "min_consecutive_days": 1,
    ...     "min_consecutive_days_off": 1, "max_working_weekends": 1, "days_off": [6]}])
    >>> rules = {"days": 7, "shifts": [{"name": "D", "paid": "8h"}], "forbidden_successions": []}
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "Tiny.txt"
    >>> write_instance(p, demand, agents, rules)
    >>> float(read_instance(p).agents.loc[0, "max_paid_hours"])
    40.0
    """
    path = os.fspath(path)
    lines = ["# Written by wfm.roster.write_instance", "SECTION_HORIZON",
             "# All instances start on a Monday", "# The horizon length in days:", str(int(rules["days"])), ""]
    succ = {}
    for a, b in rules.get("forbidden_successions", []) or []:
        succ.setdefault(a, []).append(b)
    lines += ["SECTION_SHIFTS", "# ShiftID, Length in mins, Shifts which cannot follow this shift | separated"]
    names = []
    for s in rules["shifts"]:
        minutes = pd.Timedelta(s["paid"]).total_seconds() / 60.0
        if minutes != int(minutes):
            raise ValueError(f"rules['shifts'] {s['name']!r}.paid must be whole minutes to write the benchmark "
                             f"format; got {s['paid']!r}.")
        names.append(s["name"])
        lines.append(f"{s['name']},{int(minutes)},{'|'.join(succ.get(s['name'], []))}")
    lines += ["", "SECTION_STAFF", ("# ID, MaxShifts, MaxTotalMinutes, MinTotalMinutes, MaxConsecutiveShifts, "
              "MinConsecutiveShifts, MinConsecutiveDaysOff, MaxWeekends")]
    missing = [c for c in _AGENT_COLUMNS if c not in agents.columns]
    if missing:
        raise ValueError(f"agents needs the column {missing[0]!r} to write the benchmark format; "
                         f"the format holds {_AGENT_COLUMNS}.")
    for r in agents.itertuples(index=False):
        caps = "|".join(f"{s}={int(r.max_shifts.get(s, 0))}" for s in names if s in r.max_shifts)
        lines.append(",".join([str(r.agent), caps, str(_minutes(r.max_paid_hours, "max_paid_hours", r.agent)),
                               str(_minutes(r.min_paid_hours, "min_paid_hours", r.agent)),
                               str(int(r.max_consecutive_days)), str(int(r.min_consecutive_days)),
                               str(int(r.min_consecutive_days_off)), str(int(r.max_working_weekends))]))
    lines += ["", "SECTION_DAYS_OFF", "# EmployeeID, DayIndexes (start at zero)"]
    for r in agents.itertuples(index=False):
        if len(r.days_off):
            lines.append(",".join([str(r.agent)] + [str(int(d)) for d in r.days_off]))
    req = requests if requests is not None else pd.DataFrame(columns=["agent", "day", "shift", "kind", "weight"])
    for kind, section in (("on", "SECTION_SHIFT_ON_REQUESTS"), ("off", "SECTION_SHIFT_OFF_REQUESTS")):
        lines += ["", section, "# EmployeeID, Day, ShiftID, Weight"]
        for r in req[req["kind"] == kind].itertuples(index=False):
            if r.shift is None or r.shift == "" or (isinstance(r.shift, float) and np.isnan(r.shift)):
                raise ValueError(f"requests: the benchmark format holds shift requests only; agent {r.agent!r} "
                                 f"has a day request on day {r.day}.")
            lines.append(f"{r.agent},{int(r.day)},{r.shift},{_whole(r.weight, 'requests weight')}")
    lines += ["", "SECTION_COVER", "# Day, ShiftID, Requirement, Weight for under, Weight for over"]
    for r in demand.itertuples(index=False):
        lines.append(f"{int(r.day)},{r.shift},{int(r.required)},{_whole(r.weight_under, 'weight_under')},"
                     f"{_whole(r.weight_over, 'weight_over')}")
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    os.replace(tmp, path)


def _whole(x, what):
    if float(x) != int(x):
        raise ValueError(f"{what} must be a whole number to write the benchmark format; got {x!r}.")
    return int(x)


def write_solution(path, table, days, agents):
    """
    Write a roster as the benchmark's solution grid: one line per agent, a
    tab-separated shift id per day (empty when off).

    Parameters
    ----------
    path : str or path-like
    table : DataFrame
        ``agent``, ``day`` (0-based) and ``shift``, one row per worked day
        (e.g. :attr:`Roster.table` with ``day_index`` as ``day``).
    days : int
        Horizon length.
    agents : sequence of str
        Agents in the order of the lines.
    """
    grid = {a: [""] * int(days) for a in agents}
    for r in table.itertuples(index=False):
        grid[r.agent][int(r.day)] = str(r.shift)
    with open(os.fspath(path), "w", encoding="utf-8") as fh:
        fh.writelines("\t".join(grid[a]) + "\n" for a in agents)


def read_solution(path, agents):
    """
    Read a solution grid (as :func:`write_solution` writes it) into a table
    ``agent``, ``day``, ``shift``.

    Parameters
    ----------
    path : str or path-like
    agents : sequence of str
        The agents, one per line in order.
    """
    rows = []
    with open(os.fspath(path), encoding="utf-8") as fh:
        lines = [ln.rstrip("\n") for ln in fh]
    if len(lines) != len(agents):
        raise ValueError(f"{os.fspath(path)}: {len(lines)} lines for {len(agents)} agents; one line per agent.")
    for a, ln in zip(agents, lines):
        for d, s in enumerate(ln.split("\t")):
            if s.strip():
                rows.append({"agent": a, "day": d, "shift": s.strip()})
    return pd.DataFrame(rows, columns=["agent", "day", "shift"])
