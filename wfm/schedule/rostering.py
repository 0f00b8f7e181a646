r"""
Rosters: who works which shift on which day, for named agents with contracts,
requests and fairness, as one CP-SAT model with a proven bound.

:func:`roster` turns a demand (cover per day and shift type, or a sized
:class:`~wfm.schedule.solve.SchedulePlan`, or an interval requirement that it
sizes first with :func:`~wfm.schedule.solve.schedule_week`) into a
:class:`Roster`. Contract rules are hard; cover, requests and fairness are
the weighted objective. The model is described in
:mod:`wfm.schedule._roster_model`; :mod:`wfm.schedule.instance_format` reads
the public shift-scheduling benchmark into these same arguments.

References
----------
.. [1] T. Curtois and R. Qu, "Computational results on new staff scheduling
   benchmark instances", technical report, ASAP Research Group, University
   of Nottingham, 2014 (the benchmark's rules and objective).
.. [2] E. K. Burke, P. De Causmaecker, G. Vanden Berghe and H. Van Landeghem,
   "The state of the art of nurse rostering", Journal of Scheduling 7(6),
   441-499, 2004.
.. [3] L. Perron and F. Didier, "CP-SAT", OR-Tools v9, Google, 2024.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import _validation as v
from .. import calendar as cal
from ._roster_model import Problem, build_and_solve
from ._roster_search import solve_lns
from .solve import SchedulePlan, schedule_week, shift_coverage

__all__ = ["AGENT_FIELDS", "Roster", "roster"]

#: Columns of the ``agents`` table besides ``agent``; a missing column or an empty cell means "no rule".
AGENT_FIELDS = (
    "contract", "skills", "days_off", "max_shifts",
    "min_paid_hours", "max_paid_hours", "min_paid_hours_per_week", "max_paid_hours_per_week",
    "min_days_per_week", "max_days_per_week", "min_consecutive_days", "max_consecutive_days",
    "min_consecutive_days_off", "min_working_weekends", "max_working_weekends", "min_rest_hours",
)
_RULE_KEYS = ("start", "days", "shifts", "forbidden_successions", "weekend", "fairness", "late_after",
              "max_weekend_spread", "cover_weights", "schedule", "skills")
_SHIFT_KEYS = ("name", "paid", "start", "breaks", "skill", "contract", "late")
_FAIRNESS = ("weekends", "lates", "requests")
_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_BIG = 10 ** 7


# --------------------------------------------------------------------------
# Reading the arguments.
# --------------------------------------------------------------------------


def _empty(x):
    if x is None:
        return True
    if isinstance(x, (list, tuple, dict, set, np.ndarray)):
        return False
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


@dataclass
class _Shift:
    name: str
    paid: int  # minutes
    start: int | None  # minutes after midnight
    span: int  # minutes
    breaks: tuple  # (offset min, length min, paid)
    skill: str | None = None
    contract: str | None = None
    late: bool | None = None


def _minutes_of(td, name):
    m = td.total_seconds() / 60.0
    v.check_rule(m == int(m), name, v._fmt_td(td), "a whole number of minutes")
    return int(m)


def _read_shift(raw, i):
    label = f"rules['shifts'][{i}]"
    v.check_keys(raw, label, _SHIFT_KEYS, required=("name", "paid"))
    name = raw["name"]
    if not isinstance(name, str) or not name:
        raise TypeError(f"{label}.name must be a non-empty string; got {name!r}.")
    label = f"{label} ({name!r})"
    paid = _minutes_of(v.check_duration(raw["paid"], f"{label}.paid", at_most=pd.Timedelta(days=1)), f"{label}.paid")
    start = raw.get("start")
    if start is not None:
        start = cal.parse_clock(start, f"{label}.start") // 60
    breaks, span = [], paid
    for k, b in enumerate(raw.get("breaks") or []):
        bl = f"{label}.breaks[{k}]"
        v.check_keys(b, bl, ("start", "length", "paid"), required=("start", "length"))
        off = _minutes_of(v.check_duration(b["start"], f"{bl}.start", allow_zero=True), f"{bl}.start")
        length = _minutes_of(v.check_duration(b["length"], f"{bl}.length"), f"{bl}.length")
        bpaid = v.check_flag(b.get("paid", True), f"{bl}.paid")
        breaks.append((off, length, bpaid))
        span += 0 if bpaid else length
    for k, (off, length, _) in enumerate(breaks):
        v.check_rule(off + length <= span, f"{label}.breaks[{k}].start", f"{off}min",
                     f"a start that ends the break inside the shift's {span} minutes")
    late = raw.get("late")
    if late is not None:
        late = v.check_flag(late, f"{label}.late")
    return _Shift(name, paid, start, span, tuple(breaks), raw.get("skill"), raw.get("contract"), late)


def _read_rules(rules, *, shifts=None, days=None, start=None):
    v.check_keys(rules, "rules", _RULE_KEYS)
    if shifts is None:
        raw = rules.get("shifts")
        if not isinstance(raw, (list, tuple)) or not raw:
            raise ValueError(f"rules['shifts'] must be a non-empty list of shift types; got {raw!r}.")
        shifts = [_read_shift(s, i) for i, s in enumerate(raw)]
    names = [s.name for s in shifts]
    dup = [n for i, n in enumerate(names) if n in names[:i]]
    if dup:
        raise ValueError(f"rules['shifts'] names must be unique; got {dup[0]!r} twice.")
    start = pd.Timestamp(rules.get("start", start if start is not None else "2024-01-01"))
    if start != start.normalize():
        raise ValueError(f"rules['start'] must be a date (midnight); got {rules.get('start')!r}.")
    D = rules.get("days", days)
    if D is None:
        raise ValueError("rules['days'] is required: the horizon's length in days, e.g. 28.")
    D = v.check_count(D, "rules['days']", unit="days")
    pairs = []
    for k, pair in enumerate(rules.get("forbidden_successions") or []):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise ValueError(f"rules['forbidden_successions'][{k}] must be a pair [shift, next day's shift]; "
                             f"got {pair!r}.")
        for s in pair:
            if s not in names:
                raise ValueError(f"rules['forbidden_successions'][{k}] names unknown shift {s!r}; the shifts are "
                                 f"{names[:10]}.")
        pairs.append((names.index(pair[0]), names.index(pair[1])))
    weekend = rules.get("weekend", ["sat", "sun"])
    for d in weekend:
        v.check_choice(d, "rules['weekend']", _DAY_NAMES)
    fair = rules.get("fairness", {})
    v.check_keys(fair, "rules['fairness']", _FAIRNESS)
    fair = {k: float(v.check_nonnegative(v.as_float_array(fair.get(k, 1.0), f"rules['fairness'][{k!r}]"),
                                          f"rules['fairness'][{k!r}]", "penalty per unit of spread"))
            for k in _FAIRNESS}
    late_after = rules.get("late_after", "20:00")
    late_after = cal.parse_clock(late_after, "rules['late_after']", allow_24=True) // 60
    spread = rules.get("max_weekend_spread")
    spread = None if spread is None else v.check_count(spread, "rules['max_weekend_spread']", minimum=0)
    cw = rules.get("cover_weights", {})
    v.check_keys(cw, "rules['cover_weights']", ("under", "over"))
    cw = {k: float(v.check_nonnegative(v.as_float_array(cw.get(k, d), f"rules['cover_weights'][{k!r}]"),
                                        f"rules['cover_weights'][{k!r}]", "penalty per agent-hour"))
          for k, d in (("under", 100.0), ("over", 1.0))}
    return {"shifts": shifts, "names": names, "start": start, "days": D, "pairs": pairs,
                "weekend": [_DAY_NAMES.index(d) for d in weekend], "fairness": fair, "late_after": late_after,
                "max_weekend_spread": spread, "cover_weights": cw, "skills": rules.get("skills")}


def _listed(value):
    """A list from a list, or from a string separated by ';' (as a CSV cell holds it)."""
    if isinstance(value, str):
        return [x.strip() for x in value.split(";") if x.strip()]
    return list(value)


def _day_index(value, name, start, D, who=""):
    """0-based day of the horizon from a day number or a date; an error names the field when outside."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}{who} must be a day number or a date; got {value!r}.")
    if isinstance(value, (int, np.integer)) or isinstance(value, (float, np.floating)) and float(value).is_integer():
        d = int(value)
    else:
        try:
            ts = pd.Timestamp(value)
        except (TypeError, ValueError):
            raise TypeError(f"{name}{who} must be a day number (0 = {start:%Y-%m-%d}) or a date; got {value!r}.") \
                from None
        if ts != ts.normalize():
            raise ValueError(f"{name}{who} must be a date; got {value!r}.")
        d = (ts - start).days
    last = start + pd.Timedelta(days=D - 1)
    if not 0 <= d < D:
        raise ValueError(f"{name}{who}: day {value!r} is outside the horizon of {D} days "
                         f"({start:%Y-%m-%d} to {last:%Y-%m-%d}, days 0 to {D - 1}). Drop it or widen rules['days'].")
    return d


def _read_agents(agents, R):
    v.check_frame_columns(agents, "agents", ["agent"], hint="One row per named agent.")
    unknown = [c for c in agents.columns if c != "agent" and c not in AGENT_FIELDS]
    if unknown:
        raise ValueError(f"agents has unknown column {unknown[0]!r}; the columns are ['agent'] + {list(AGENT_FIELDS)}.")
    names = [str(a) for a in agents["agent"]]
    dup = [a for i, a in enumerate(names) if a in names[:i]]
    if dup:
        raise ValueError(f"agents['agent'] must be unique; got {dup[0]!r} twice.")
    A, D, S = len(names), R["days"], len(R["shifts"])
    if A == 0:
        raise ValueError("agents must hold at least one agent; got an empty table.")
    shifts = R["shifts"]
    sidx = {s: i for i, s in enumerate(R["names"])}
    allowed = np.ones((A, D, S), dtype=bool)
    max_shifts = np.full((A, S), D, dtype=np.int64)
    out = {k: np.zeros(A, dtype=np.int64) for k in ("min_total", "min_week", "min_days_week", "min_weekends")}
    out.update(max_total=np.full(A, _BIG), max_week=np.full(A, _BIG), max_days_week=np.full(A, 7),
               min_cons=np.ones(A, dtype=np.int64), max_cons=np.full(A, D), min_off=np.ones(A, dtype=np.int64),
               max_weekends=np.full(A, _BIG))
    follow = np.zeros((A, S, S), dtype=bool)
    for s, t in R["pairs"]:
        follow[:, s, t] = True
    all_skills = set()
    if "skills" in agents:
        for sk in agents["skills"]:
            if not _empty(sk):
                all_skills |= set(_listed(sk))
    known = set(R["skills"]) if R["skills"] is not None else None
    for i, s in enumerate(shifts):
        if s.skill is not None:
            pool = known if known is not None else all_skills
            if s.skill not in pool:
                raise ValueError(f"rules['shifts'][{i}] ({s.name!r}).skill {s.skill!r} is an unknown skill: "
                                 f"{'not in rules[' + repr('skills') + ']' if known is not None else 'no agent has it'}"
                                 f"; the skills are {sorted(pool)}.")

    def num(row, col, who, unit, minimum=0):
        x = row.get(col)
        if _empty(x):
            return None
        if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, float, np.integer, np.floating)):
            raise TypeError(f"agents[{col!r}] of {who} must be a number{unit}; got {x!r}.")
        if x < minimum:
            raise ValueError(f"agents[{col!r}] of {who} must be >= {minimum}{unit}; got {x!r}.")
        return float(x)

    def pair(row, lo_col, hi_col, who, unit):
        lo, hi = num(row, lo_col, who, unit), num(row, hi_col, who, unit)
        if lo is not None and hi is not None and lo > hi:
            raise ValueError(f"agents: contradictory contract bounds for {who}: {lo_col}={lo:g} is above "
                             f"{hi_col}={hi:g}{unit}. Lower {lo_col} or raise {hi_col}.")
        return lo, hi

    for a, row in enumerate(agents.to_dict("records")):
        who = f"agent {names[a]!r} (row {a})"
        lo, hi = pair(row, "min_paid_hours", "max_paid_hours", who, " h")
        if lo is not None:
            out["min_total"][a] = round(lo * 60)
        if hi is not None:
            out["max_total"][a] = round(hi * 60)
        lo, hi = pair(row, "min_paid_hours_per_week", "max_paid_hours_per_week", who, " h")
        if lo is not None:
            out["min_week"][a] = round(lo * 60)
        if hi is not None:
            out["max_week"][a] = round(hi * 60)
        lo, hi = pair(row, "min_days_per_week", "max_days_per_week", who, " days")
        if lo is not None:
            v.check_rule(lo <= 7, f"agents['min_days_per_week'] of {who}", lo, "at most 7 days")
            out["min_days_week"][a] = int(lo)
        if hi is not None:
            out["max_days_week"][a] = int(hi)
        lo, hi = pair(row, "min_consecutive_days", "max_consecutive_days", who, " days")
        if lo is not None:
            out["min_cons"][a] = max(int(lo), 1)
        if hi is not None:
            if hi < 1:
                raise ValueError(f"agents['max_consecutive_days'] of {who} must be >= 1 day; got {hi:g}. "
                                 "An agent who never works needs no row.")
            out["max_cons"][a] = int(hi)
        x = num(row, "min_consecutive_days_off", who, " days")
        if x is not None:
            out["min_off"][a] = max(int(x), 1)
        lo, hi = pair(row, "min_working_weekends", "max_working_weekends", who, " weekends")
        if lo is not None:
            out["min_weekends"][a] = int(lo)
        if hi is not None:
            out["max_weekends"][a] = int(hi)
        caps = row.get("max_shifts")
        if isinstance(caps, str):  # "E=5;L=3" as written in a CSV file
            try:
                caps = {k.strip(): int(n) for k, _, n in (item.partition("=") for item in _listed(caps))}
            except ValueError:
                raise ValueError(f"agents['max_shifts'] of {who} must be 'shift=count;...'; got {caps!r}.") from None
        if not _empty(caps):
            if not isinstance(caps, dict):
                raise TypeError(f"agents['max_shifts'] of {who} must be a dict {{shift: most shifts}}; got {caps!r}.")
            for s, n in caps.items():
                if s not in sidx:
                    raise ValueError(f"agents['max_shifts'] of {who} names unknown shift {s!r}; the shifts are "
                                     f"{R['names'][:10]}.")
                max_shifts[a, sidx[s]] = v.check_count(n, f"agents['max_shifts'][{s!r}] of {who}", minimum=0)
        off = row.get("days_off")
        if not _empty(off):
            if isinstance(off, str):
                off = [int(x) if x.strip().isdigit() else x.strip() for x in _listed(off)]
            elif isinstance(off, (pd.Timestamp, int, np.integer)):
                off = [off]
            for dd in off:
                allowed[a, _day_index(dd, "agents['days_off']", R["start"], D, f" of {who}"), :] = False
        skills = row.get("skills")
        have = set() if _empty(skills) else set(_listed(skills))
        if known is not None and have - known:
            raise ValueError(f"agents['skills'] of {who} has unknown skill {min(have - known)!r}; "
                             f"rules['skills'] lists {sorted(known)}.")
        contract = row.get("contract")
        for s, sh in enumerate(shifts):
            if sh.skill is not None and sh.skill not in have:
                allowed[a, :, s] = False
            if sh.contract is not None and not _empty(contract) and sh.contract != contract:
                allowed[a, :, s] = False
        rest = num(row, "min_rest_hours", who, " h")
        if rest is not None and rest > 0:
            no_clock = [sh.name for sh in shifts if sh.start is None]
            if no_clock:
                raise ValueError(f"agents['min_rest_hours'] of {who} needs shift start times; shift {no_clock[0]!r} "
                                 "has no rules['shifts'][...]['start'].")
            st = np.array([sh.start for sh in shifts])
            end = st + np.array([sh.span for sh in shifts])
            gap = (1440 + st[None, :]) - end[:, None]  # rest from s's end to t's start the next day
            follow[a] |= gap < rest * 60
    max_shifts = np.minimum(max_shifts, D)
    allowed &= (max_shifts > 0)[:, None, :]
    out.update(allowed=allowed, max_shifts=max_shifts, follow=follow, names=names)
    return out


def _read_requests(requests, R, agent_pos):
    empty = {"agent": np.zeros(0, np.int64), "day": np.zeros(0, np.int64), "shift": np.zeros(0, np.int64),
                 "on": np.zeros(0, bool), "weight": np.zeros(0)}
    if requests is None or len(requests) == 0:
        return empty
    v.check_frame_columns(requests, "requests", ["agent", "day", "kind", "weight"],
                          hint="One row per request; 'shift' empty for a day on/off request.")
    out = {k: [] for k in empty}
    sidx = {s: i for i, s in enumerate(R["names"])}
    for i, r in enumerate(requests.to_dict("records")):
        who = f" of row {i} (agent {r['agent']!r})"
        if r["agent"] not in agent_pos:
            raise ValueError(f"requests['agent']{who} is an unknown agent; it is not in agents['agent'].")
        s = r.get("shift")
        if _empty(s) or s == "":
            s = -1
        elif s not in sidx:
            raise ValueError(f"requests['shift']{who} names unknown shift {s!r}; the shifts are {R['names'][:10]}.")
        else:
            s = sidx[s]
        v.check_choice(r["kind"], f"requests['kind']{who}", ("on", "off"))
        wt = r["weight"]
        if isinstance(wt, (bool, np.bool_)) or not isinstance(wt, (int, float, np.integer, np.floating)) \
                or not np.isfinite(wt) or wt < 0:
            raise ValueError(f"requests['weight']{who} must be a number >= 0 (penalty when unmet); got {wt!r}.")
        out["agent"].append(agent_pos[r["agent"]])
        out["day"].append(_day_index(r["day"], "requests['day']", R["start"], R["days"], who))
        out["shift"].append(s)
        out["on"].append(r["kind"] == "on")
        out["weight"].append(float(wt))
    return {k: np.asarray(val, dtype=empty[k].dtype) for k, val in out.items()}


def _weeks(start, D):
    """Calendar weeks (Monday first) of the horizon: (day indices, full week?)."""
    dates = start + pd.to_timedelta(np.arange(D), unit="D")
    monday = dates - pd.to_timedelta(dates.day_of_week, unit="D")
    out = []
    for mon in pd.unique(monday):
        days = np.flatnonzero(monday == mon).tolist()
        out.append((days, len(days) == 7))
    return out, dates


def _weekends(dates, weekend):
    """Each weekend's day indices inside the horizon (a weekend is its days in one calendar week)."""
    if not weekend:
        return []
    is_we = np.isin(dates.day_of_week, weekend)
    monday = dates - pd.to_timedelta(dates.day_of_week, unit="D")
    out = []
    for mon in pd.unique(monday[is_we]):
        out.append(np.flatnonzero(is_we & (monday == mon)).tolist())
    return out


# --------------------------------------------------------------------------
# Demand: cover per day and shift type, a sized plan, or an interval requirement.
# --------------------------------------------------------------------------


def _cover_from_frame(demand, R, allow_shortfall):
    v.check_frame_columns(demand, "demand", ["day", "shift", "required"],
                          hint="Cover per day and shift type: day, shift, required (+ weight_under, weight_over).")
    sidx = {s: i for i, s in enumerate(R["names"])}
    days, shifts = [], []
    for i, (d, s) in enumerate(zip(demand["day"], demand["shift"])):
        if s not in sidx:
            raise ValueError(f"demand['shift'] of row {i} names unknown shift {s!r}; the shifts are {R['names'][:10]}.")
        days.append(_day_index(d, "demand['day']", R["start"], R["days"], f" of row {i}"))
        shifts.append(sidx[s])
    req = v.as_float_array(demand["required"], "demand['required']")
    v.check_nonnegative(req, "demand['required']", "agents")
    v.check_whole(req, "demand['required']")
    wu = demand["weight_under"].to_numpy(float) if "weight_under" in demand else \
        np.array([R["shifts"][s].paid / 60.0 * R["cover_weights"]["under"] for s in shifts])
    wo = demand["weight_over"].to_numpy(float) if "weight_over" in demand else \
        np.array([R["shifts"][s].paid / 60.0 * R["cover_weights"]["over"] for s in shifts])
    for name, arr in (("weight_under", wu), ("weight_over", wo)):
        v.check_nonnegative(v.as_float_array(arr, f"demand[{name!r}]"), f"demand[{name!r}]", "penalty per agent")
    key = pd.Series(list(zip(days, shifts)))
    if key.duplicated().any():
        i = int(np.flatnonzero(key.duplicated())[0])
        raise ValueError(f"demand lists day {demand['day'].iloc[i]!r}, shift {demand['shift'].iloc[i]!r} twice "
                         f"(row {i}); give one row per day and shift.")
    return {"day": np.array(days, np.int64), "shift": np.array(shifts, np.int64), "required": req.astype(np.int64),
                "under": wu if allow_shortfall else np.zeros_like(wu), "over": wo, "hard": not allow_shortfall}


def _shifts_from_plans(plans, rules):
    """Shift types (template, start clock, span) of sized plans; rows (day, key, agents, breaks)."""
    keyed, rows = {}, []
    for plan in plans:
        tab = plan.shifts
        for r in tab.itertuples(index=False):
            st = pd.Timestamp(r.start)
            start_min = st.hour * 60 + st.minute
            span = int((pd.Timestamp(r.end) - st).total_seconds() // 60)
            brk = tuple((int((pd.Timestamp(a) - st).total_seconds() // 60),
                         int((pd.Timestamp(b) - pd.Timestamp(a)).total_seconds() // 60), bool(p))
                        for a, b, p in r.breaks)
            key = (r.name, start_min, span)
            if key not in keyed:
                keyed[key] = _Shift(f"{r.name}@{start_min // 60:02d}:{start_min % 60:02d}",
                                    round(r.paid_hours * 60), start_min, span, brk, contract=r.contract)
            rows.append((pd.Timestamp(r.day).normalize(), key, int(r.agents), brk))
    return keyed, rows


def _plans_and_requirement(demand, rules, time_limit):
    """(list of SchedulePlan, requirement Series or None) from a plan, plans or an interval requirement."""
    if isinstance(demand, SchedulePlan):
        return [demand], None
    if isinstance(demand, (list, tuple)) and demand and all(isinstance(p, SchedulePlan) for p in demand):
        return list(demand), None
    if isinstance(demand, pd.Series):
        if "schedule" not in rules:
            raise ValueError("rules['schedule'] is required when demand is an interval requirement: the shift "
                             "rules that wfm.schedule_week sizes it with (or pass a SchedulePlan as demand).")
        idx = v.check_datetime_index(demand, "demand", "(agents required per interval)")
        weeks = idx.normalize() - pd.to_timedelta(idx.normalize().day_of_week, unit="D")
        plans = []
        for mon in pd.unique(weeks):
            part = demand[weeks == mon]
            plans.append(schedule_week(part, rules["schedule"], time_limit=max(time_limit / 4, 10),
                                       allow_shortfall=True))
        return plans, demand
    raise TypeError("demand must be a DataFrame of cover per day and shift type (day, shift, required), a "
                    f"SchedulePlan, a list of SchedulePlans or an interval requirement Series; got "
                    f"{type(demand).__name__}.")


# --------------------------------------------------------------------------
# The public function.
# --------------------------------------------------------------------------


def roster(demand, agents, rules, *, requests=None, time_limit=60.0, allow_shortfall=False, hint=None,
           method="lns", num_workers=8, seed=0, mip_gap=0.0, stop_at=None, verbose=False):
    r"""
    Roster named agents: which agent works which shift type on which day.

    One CP-SAT model over the whole horizon (described in
    :mod:`wfm.schedule._roster_model`): contract rules are hard; the
    objective is the weighted under- and over-cover, plus the weight of
    every unmet request, plus the fairness terms (weight times the spread,
    most minus fewest over agents, of working weekends, late shifts and
    unmet request weight). The proven bound (CP-SAT's, or the linear
    relaxation's, see ``method``) gives the gap.

    Parameters
    ----------
    demand : DataFrame, SchedulePlan, list of SchedulePlan or Series
        * Cover per day and shift type: columns ``day`` (0-based day of the
          horizon, or a date), ``shift`` (a name in ``rules["shifts"]``),
          ``required`` [agents] and optionally ``weight_under`` and
          ``weight_over`` [penalty per agent short / above]; by default the
          shift's paid hours times ``rules["cover_weights"]``.
        * A sized week (:func:`wfm.schedule_week`), or one per week: its
          shifts (template, start time and breaks) become the shift types,
          its agents per shift the cover, weighted by paid hours times
          ``rules["cover_weights"]``. A one-week plan repeats every week of
          a longer horizon. ``Roster.coverage`` then compares agents on the
          phones per interval with the plan's requirement.
        * An interval requirement [agents per interval], sized week by week
          with ``wfm.schedule_week(..., rules["schedule"])`` first.
    agents : DataFrame
        One row per named agent: ``agent`` (unique name) and any of
        ``contract`` (only shift types of this contract), ``skills`` (a
        list; a shift type with a ``skill`` needs it), ``days_off`` (day
        numbers or dates: fixed days off and approved time off),
        ``max_shifts`` (dict shift -> most shifts of that type; lists and
        dicts may also be strings as a CSV cell holds them: ``"0;5"``,
        ``"french;german"``, ``"E=5;L=3"``),
        ``min_paid_hours``/``max_paid_hours`` (over the horizon) [h],
        ``min_paid_hours_per_week``/``max_paid_hours_per_week`` [h],
        ``min_days_per_week``/``max_days_per_week`` [days],
        ``min_consecutive_days``/``max_consecutive_days`` (working days),
        ``min_consecutive_days_off`` [days], ``min_working_weekends``/``max_working_weekends`` and
        ``min_rest_hours`` (between the end of a shift and the start of the
        next day's) [h]. A missing column or an empty cell: no such rule.
        Runs of working days or days off that touch either end of the
        horizon are not held to the minimum (they continue outside it);
        per-week minimums apply to full calendar weeks (Monday to Sunday).
    rules : dict
        ``start`` (day 0, a date; "2024-01-01"), ``days`` (horizon length;
        taken from the plans when demand is sized), ``shifts`` (list of
        ``{"name", "paid": "8h", "start": "07:00", "breaks": [{"start":
        "2h", "length": "15min", "paid": True}], "skill", "contract",
        "late"}``; from the plans when demand is sized),
        ``forbidden_successions`` (pairs [shift, next day's shift]),
        ``weekend`` (["sat", "sun"]), ``fairness`` (``{"weekends": 1,
        "lates": 1, "requests": 1}``: penalty per unit of spread),
        ``late_after`` ("20:00": a shift ending after this clock time is a
        late one unless it sets ``late``), ``max_weekend_spread`` (a hard
        cap on most minus fewest working weekends), ``cover_weights``
        (``{"under": 100, "over": 1}`` per agent-hour), ``skills`` (the
        known skills) and ``schedule`` (shift rules for sizing an interval
        requirement).
    requests : DataFrame, optional
        ``agent``, ``day``, ``shift`` (empty: the whole day), ``kind``
        ("on" or "off") and ``weight`` (penalty when unmet).
    time_limit : float
        Seconds for the solver. [s] A model too large to search whole is
        first built agent by agent; an agent that has no roster at the end
        of its share of the time searches on until its first one (at most
        60 s each), so on very large models the first roster can come after
        ``time_limit`` rather than not at all.
    allow_shortfall : bool
        False: every required agent is covered (under-cover is a hard rule)
        and a demand the agents cannot cover raises a ValueError naming
        where. True: under-cover is penalised by its weight instead (the
        benchmark's cover is soft: pass True), and
        ``Roster.cover``/``Roster.coverage`` report the shortfall.
    method : {"lns", "cp-sat"}
        "cp-sat": one CP-SAT search on the whole model. "lns" (default):
        the same for a model of at most 20,000 agent x day x shift-type
        cells with a hard cover; with a soft day-shift cover, the least
        shortfall first (up to 30% of the time), then the whole objective over
        the rosters with at most that shortfall (10%) and with more (5%),
        so the better of the two is the answer and the lower of their
        bounds the proven bound, then large-neighbourhood search for the
        rest. When the objective is cover and requests alone (no fairness
        weight, no weekend spread cap), its linear relaxation comes first
        (column generation: HiGHS for the LP, CP-SAT for each agent's
        patterns; up to 40% of the time, :mod:`wfm.schedule._roster_columns`):
        its Lagrangian bound is the proven bound, and the stages search only
        the cells its LP leaves unsettled. A larger model gets an agent-by-agent start or the hint and
        CP-SAT on the whole model for part of the time (the first roster
        and the proven bound), then large-neighbourhood search: free a few
        agents, or every agent over a window of days, fix the rest, solve
        that part with CP-SAT and keep it when it is no worse.
    hint : DataFrame, optional
        A roster to start from (``agent``, ``day``, ``shift``), e.g. an
        earlier :attr:`Roster.table`. With a sized demand and no hint, the
        plan's shifts are handed to the agents week by week as the warm
        start (one run of days off per week, rest-aware shift matching,
        weekends shared).
    num_workers : int
        CP-SAT search workers (threads; they share the machine's cores).
        The default 8 runs CP-SAT's whole portfolio (LP-guided, core-based
        and neighbourhood-search workers), which finds better rosters than
        one worker per core even on a 2-core machine. A model searched in
        parts (``method="lns"`` on more than 20,000 cells) uses at most 2.
    seed : int
        Solver seed (the search is deterministic for a given seed and
        worker count, up to the time limit).
    mip_gap : float
        Stop when the proven relative gap is at most this. [0-1]
    stop_at : float, optional
        Stop as soon as a roster with an objective at most this is found
        (e.g. a known good value); otherwise search until ``time_limit``
        or a proof of optimality.
    verbose : bool
        Print the solver's log.

    Returns
    -------
    Roster

    Raises
    ------
    ValueError
        Bad input, naming the agent (or row) and the field: contradictory
        contract bounds, a day off outside the horizon, an unknown shift or
        skill. Without ``allow_shortfall``, a demand no roster can cover
        (the message lists where the best roster falls short). Contract
        rules no roster can meet (the message names the agent).

    Examples
    --------
    Two agents, three days, one 8-hour day shift; two agents needed on day 0,
    one on days 1 and 2; Bea asks for day 2 off.

    >>> agents = pd.DataFrame({"agent": ["Ann", "Bea"], "max_paid_hours": [16, 24]})
    >>> demand = pd.DataFrame({"day": [0, 1, 2], "shift": "D", "required": [2, 1, 1]})
    >>> requests = pd.DataFrame({"agent": ["Bea"], "day": [2], "shift": [None], "kind": ["off"],
    ...                          "weight": [5]})
    >>> r = roster(demand, agents, {"days": 3, "shifts": [{"name": "D", "paid": "8h"}]},
    ...            requests=requests, time_limit=10)
    >>> r.grid()
    day    0  1  2
    agent
    Ann    D     D
    Bea    D  D
    >>> r.objective, r.status
    (0.0, 'optimal')
    """
    v.check_positive(v.as_float_array(time_limit, "time_limit"), "time_limit", "seconds")
    allow_shortfall = v.check_flag(allow_shortfall, "allow_shortfall")
    v.check_choice(method, "method", ("lns", "cp-sat"))
    if not isinstance(rules, dict):
        raise TypeError(f"rules must be a dict (see wfm.roster); got {type(rules).__name__}.")
    if not isinstance(agents, pd.DataFrame):
        raise TypeError(f"agents must be a DataFrame with one row per agent; got {type(agents).__name__}.")

    plans, requirement = None, None
    if isinstance(demand, pd.DataFrame):
        R = _read_rules(rules)
    else:
        plans, requirement = _plans_and_requirement(demand, rules, time_limit)
        keyed, rows = _shifts_from_plans(plans, rules)
        first = min(r[0] for r in rows) if rows else plans[0].coverage.index[0].normalize()
        first = first - pd.Timedelta(days=int(first.day_of_week)) if len(plans) == 1 else first
        span_days = max((plans[-1].coverage.index[-1].normalize() - first).days + 1, 7)
        R = _read_rules({k: val for k, val in rules.items() if k not in ("shifts", "schedule")},
                        shifts=list(keyed.values()), days=span_days, start=first)
        R["plans"] = plans
        keys = list(keyed)
        horizon = R["start"] + pd.to_timedelta(np.arange(R["days"]), unit="D")
        cov, R["break_plans"] = {}, {}
        weekly = len(plans) == 1
        for day, key, n, brk in rows:
            for d in range(R["days"]):
                if (weekly and (horizon[d] - day).days % 7 == 0) or (not weekly and horizon[d] == day):
                    cov[d, keys.index(key)] = cov.get((d, keys.index(key)), 0) + n
                    R["break_plans"].setdefault((d, keys.index(key)), []).extend([brk] * n)
        demand = pd.DataFrame([{"day": d, "shift": R["names"][s], "required": n} for (d, s), n in sorted(cov.items())],
                              columns=["day", "shift", "required"])
    if R["late_after"] is not None:
        for sh in R["shifts"]:
            if sh.late is None:
                sh.late = sh.start is not None and sh.start + sh.span > R["late_after"]
    A_ = _read_agents(agents, R)
    if plans is not None:  # a sized plan: each shift type only on the days the plan has it
        planned = np.zeros((R["days"], len(R["shifts"])), dtype=bool)
        for d, s in R["break_plans"]:
            planned[d, s] = True
        A_["allowed"] &= planned[None, :, :]
    pos = {a: i for i, a in enumerate(A_["names"])}
    rq = _read_requests(requests, R, pos)
    cover = _cover_from_frame(demand, R, allow_shortfall)
    weeks, dates = _weeks(R["start"], R["days"])
    hint_arr = None
    if hint is not None:
        hint_arr = _hint_from_table(hint, R, pos)
    elif plans is not None:
        hint_arr = _pattern_hint(cover, R, A_)
    prob = Problem(
        agents=A_["names"], days=R["days"], shift_names=R["names"],
        paid=np.array([s.paid for s in R["shifts"]], dtype=np.int64),
        late=np.array([bool(s.late) for s in R["shifts"]]),
        allowed=A_["allowed"], max_shifts=A_["max_shifts"], min_total=A_["min_total"], max_total=A_["max_total"],
        weeks=weeks, min_week=A_["min_week"], max_week=A_["max_week"], min_days_week=A_["min_days_week"],
        max_days_week=A_["max_days_week"], min_cons=A_["min_cons"], max_cons=A_["max_cons"], min_off=A_["min_off"],
        max_weekends=A_["max_weekends"], min_weekends=A_["min_weekends"], weekends=_weekends(dates, R["weekend"]),
        follow=A_["follow"],
        cover=cover, interval_cover=None, requests=rq, fairness=R["fairness"],
        max_weekend_spread=R["max_weekend_spread"], hint=hint_arr)
    if method == "lns":
        sol = solve_lns(prob, time_limit=time_limit, num_workers=num_workers, verbose=verbose, seed=seed,
                        relative_gap=mip_gap, stop_at=stop_at)
    else:
        sol = build_and_solve(prob, time_limit=time_limit, num_workers=num_workers, verbose=verbose, seed=seed,
                              relative_gap=mip_gap, stop_at=stop_at)
    if sol.status == "infeasible" or (sol.assign is None and not allow_shortfall):
        raise ValueError(_diagnose(prob, cover, R, time_limit, allow_shortfall))
    if sol.assign is None:
        raise ValueError(f"no roster found within time_limit={time_limit:g} s ({sol.message}); raise time_limit.")
    return _make_roster(sol, prob, R, cover, rq, plans, requirement, {
        "time_limit": float(time_limit), "allow_shortfall": allow_shortfall, "num_workers": int(num_workers), "seed": int(seed),
        "start": R["start"], "days": R["days"], "shifts": R["names"], "fairness": R["fairness"],
        "max_weekend_spread": R["max_weekend_spread"], "variables": sol.variables, "constraints": sol.constraints,
        "solve_seconds": sol.seconds, "build_seconds": sol.build_seconds, "solver_message": sol.message,
        "warm_start": hint_arr is not None})


def _shortfall(assign, cover):
    _A, _D = assign.shape
    n = np.array([(assign[:, d] == s).sum() for d, s in zip(cover["day"], cover["shift"])])
    return np.maximum(cover["required"] - n, 0) > 0


def _diagnose(prob, cover, R, time_limit, allow_shortfall):
    """Why no roster: an agent whose own rules are infeasible, else where the cover falls short."""
    bad = []
    deadline = time.perf_counter() + max(float(time_limit), 10.0)
    for a in range(len(prob.agents)):
        if time.perf_counter() > deadline:
            break
        one = Problem(**{**prob.__dict__, "agents": [prob.agents[a]], "allowed": prob.allowed[a:a + 1],
                         "max_shifts": prob.max_shifts[a:a + 1], "follow": prob.follow[a:a + 1],
                         "cover": {k: val[:0] if isinstance(val, np.ndarray) else val for k, val in cover.items()},
                         "requests": {k: val[:0] for k, val in prob.requests.items()}, "hint": None,
                         "max_weekend_spread": None,
                         **{k: getattr(prob, k)[a:a + 1] for k in ("min_total", "max_total", "min_week", "max_week",
                                                                    "min_days_week", "max_days_week", "min_cons",
                                                                    "max_cons", "min_off", "max_weekends",
                                                                    "min_weekends")}})
        one.fairness = {k: 0.0 for k in one.fairness}
        res = build_and_solve(one, time_limit=min(5.0, time_limit), num_workers=1)
        if res.status == "infeasible":
            bad.append(prob.agents[a])
            if len(bad) >= 3:
                break
    if bad:
        return (f"no roster meets the contract rules of agent {bad[0]!r}" + (f" (also {bad[1:]})" if bad[1:] else "")
                + " on its own: check its min/max paid hours, days per week, consecutive days and days off "
                "against the shift lengths and the horizon.")
    if allow_shortfall:
        return ("no roster meets the agents' rules together (e.g. rules['max_weekend_spread'] with the agents' "
                "max_working_weekends); relax them.")
    soft = Problem(**{**prob.__dict__, "cover": dict(cover, under=np.full(len(cover["day"]), 1000.0), hard=False),
                      "hint": None})
    res = build_and_solve(soft, time_limit=time_limit, num_workers=prob.__dict__.get("num_workers", 2))
    if res.assign is None:
        return "no roster meets the agents' rules together; relax them or pass allow_shortfall=True."
    short = _shortfall(res.assign, cover)
    where = [f"day {int(d)} ({R['start'] + pd.Timedelta(days=int(d)):%a %Y-%m-%d}) shift {R['names'][int(s)]!r}"
             for d, s in zip(cover["day"][short], cover["shift"][short])][:5]
    n = np.array([(res.assign[:, d] == s).sum() for d, s in zip(cover["day"], cover["shift"])])
    missing = int(np.maximum(cover["required"] - n, 0).sum())
    return (f"demand cannot be covered with these {len(prob.agents)} agents under their rules: the best roster found "
            f"is {missing} agent-shifts short at {int(short.sum())} of {short.size} day-shift covers, e.g. "
            + "; ".join(where) + ". Add agents, relax their rules, or pass allow_shortfall=True for the roster with "
            "the shortfall reported.")


def _hint_from_table(hint, R, pos):
    v.check_frame_columns(hint, "hint", ["agent", "day", "shift"])
    out = np.full((len(pos), R["days"]), -1, dtype=np.int64)
    sidx = {s: i for i, s in enumerate(R["names"])}
    for a, d, s in zip(hint["agent"], hint["day"], hint["shift"]):
        if a in pos and s in sidx:
            out[pos[a], _day_index(d, "hint['day']", R["start"], R["days"])] = sidx[s]
    return out


def _pattern_hint(cover, R, A_):
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
    weeks, dates = _weeks(R["start"], D)
    if not all(full for _, full in weeks):
        return _greedy_hint(cover, R, A_)
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


def _greedy_hint(cover, R, A_):
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
    dates = R["start"] + pd.to_timedelta(np.arange(D), unit="D")
    for d in range(D):
        if dates[d].day_of_week == 0:
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


# --------------------------------------------------------------------------
# The results object.
# --------------------------------------------------------------------------


def _make_roster(sol, prob, R, cover, rq, plans, requirement, params):
    A, D = sol.assign.shape
    names, shifts = prob.agents, R["shifts"]
    dates = R["start"] + pd.to_timedelta(np.arange(D), unit="D")
    a_idx, d_idx = np.nonzero(sol.assign >= 0)
    s_idx = sol.assign[a_idx, d_idx]
    recs = []
    handed = {}
    plans_brk = R.get("break_plans", {})
    for a, d, s in zip(a_idx.tolist(), d_idx.tolist(), s_idx.tolist()):
        sh = shifts[s]
        if sh.start is not None:
            st = dates[d] + pd.Timedelta(minutes=sh.start)
            end = st + pd.Timedelta(minutes=sh.span)
            own = sh.breaks
            if (d, s) in plans_brk:  # the sized plan's break times, one plan per agent in turn
                k = handed.get((d, s), 0)
                handed[d, s] = k + 1
                own = plans_brk[d, s][k % len(plans_brk[d, s])]
            brk = [(st + pd.Timedelta(minutes=o), st + pd.Timedelta(minutes=o + ln), p) for o, ln, p in own]
        else:
            st = end = pd.NaT
            brk = []
        recs.append({"agent": names[a], "date": dates[d], "day": d, "shift": sh.name, "start": st, "end": end,
                         "paid_hours": sh.paid / 60.0, "breaks": brk})
    table = pd.DataFrame.from_records(recs, columns=["agent", "date", "day", "shift", "start", "end", "paid_hours",
                                                     "breaks"])
    if len(table):
        order = {a: i for i, a in enumerate(names)}
        table = table.sort_values(["day", "agent"], key=lambda c: c.map(order) if c.name == "agent" else c,
                                  kind="stable").reset_index(drop=True)
    n = np.array([(sol.assign[:, d] == s).sum() for d, s in zip(cover["day"], cover["shift"])], dtype=np.int64)
    cov = pd.DataFrame({"date": dates[cover["day"]], "day": cover["day"],
                        "shift": [R["names"][s] for s in cover["shift"]], "required": cover["required"],
                        "assigned": n, "under": np.maximum(cover["required"] - n, 0),
                        "over": np.maximum(n - cover["required"], 0)})
    # per-agent fairness figures
    worked = sol.assign >= 0
    we = np.zeros(A, dtype=np.int64)
    for days in prob.weekends:
        we += worked[:, days].any(axis=1)
    late = np.zeros(A, dtype=np.int64)
    if prob.late.any():
        late = (worked & prob.late[np.maximum(sol.assign, 0)]).sum(axis=1)
    n_req = np.zeros(A, dtype=np.int64)
    met = np.zeros(A, dtype=np.int64)
    unmet_w = np.zeros(A)
    for a, d, s, on, wt in zip(rq["agent"], rq["day"], rq["shift"], rq["on"], rq["weight"]):
        got = sol.assign[a, d] >= 0 if s < 0 else sol.assign[a, d] == s
        ok = bool(got) == bool(on)
        n_req[a] += 1
        met[a] += ok
        unmet_w[a] += 0.0 if ok else wt
    paid = np.where(worked, prob.paid[np.maximum(sol.assign, 0)], 0).sum(axis=1) / 60.0
    per_agent = pd.DataFrame({"agent": names, "shifts": worked.sum(axis=1), "paid_hours": paid,
                              "weekends": we, "lates": late, "requests": n_req, "requests_met": met,
                              "unmet_request_weight": unmet_w})
    coverage = None
    if plans is not None:
        coverage = _interval_coverage(table, plans, requirement, R)
    gap = (sol.objective - sol.bound) / abs(sol.objective) if sol.objective else 0.0
    return Roster(table=table, cover=cov, coverage=coverage, agents=per_agent, objective=float(sol.objective),
                  lower_bound=float(sol.bound), gap=float(max(gap, 0.0)), status=sol.status,
                  terms={k: float(val) for k, val in sol.terms.items()}, params=params)


def _interval_coverage(table, plans, requirement, R):
    """Agents on the phones per interval of the horizon against the requirement and the sized plan."""
    interval = plans[0].params["interval"]
    step = pd.Timedelta(seconds=interval)
    tz = plans[0].coverage.index.tz
    idx = pd.date_range(R["start"], periods=int(R["days"] * 86400 // interval), freq=step, tz=tz)
    if len(plans) == 1:
        base = plans[0].coverage
        offset = (idx - idx[0]) % pd.Timedelta(days=7)
        lookup_idx = base.index[0].normalize() - pd.Timedelta(days=int(base.index[0].day_of_week)) + offset
        req = base["required"].reindex(lookup_idx).fillna(0).to_numpy()
        sized = base["scheduled"].reindex(lookup_idx).fillna(0).to_numpy()
    else:
        base = pd.concat([p.coverage for p in plans])
        req = base["required"].reindex(idx).fillna(0).to_numpy()
        sized = base["scheduled"].reindex(idx).fillna(0).to_numpy()
    if requirement is not None:
        req = requirement.reindex(idx).fillna(0).to_numpy()
    tab = table.assign(agents=1)
    sched = shift_coverage(tab, idx).to_numpy()
    return pd.DataFrame({"required": req.astype(np.int64), "sized": sized.astype(np.int64), "scheduled": sched,
                         "under": np.maximum(req - sched, 0).astype(np.int64),
                         "over": np.maximum(sched - req, 0).astype(np.int64)}, index=idx)


@dataclass(frozen=True)
class Roster:
    """
    Named agents' shifts over the horizon, with cover, fairness and a proven gap.

    Built by :func:`roster`.

    Attributes
    ----------
    table : DataFrame
        One row per worked agent-day: ``agent``, ``date``, ``day`` (0-based),
        ``shift``, ``start``, ``end`` (NaT for shift types without a clock
        time), ``paid_hours`` [h] and ``breaks`` (list of (start, end, paid)).
    cover : DataFrame
        Per day and shift type of the demand: ``date``, ``day``, ``shift``,
        ``required``, ``assigned``, ``under``, ``over``. [agents]
    coverage : DataFrame or None
        With a sized demand, per interval: ``required`` (the requirement),
        ``sized`` (on the phones in the sized plan), ``scheduled`` (on the
        phones in the roster), ``under``, ``over``. [agents]
    agents : DataFrame
        Per agent: ``shifts``, ``paid_hours`` [h], ``weekends`` (worked),
        ``lates``, ``requests``, ``requests_met``, ``unmet_request_weight``.
    objective : float
        Weighted under- and over-cover plus unmet requests plus fairness.
    lower_bound : float
        The solver's proven lower bound on the objective.
    gap : float
        ``(objective - lower_bound) / objective``. [0-1]
    status : {"optimal", "time_limit"}
    terms : dict
        The objective by term: ``cover_under``, ``cover_over``,
        ``requests``, ``fairness``.
    params : dict
        The arguments and the model's size and solve time.
    """

    table: pd.DataFrame
    cover: pd.DataFrame
    coverage: pd.DataFrame | None
    agents: pd.DataFrame
    objective: float
    lower_bound: float
    gap: float
    status: str
    terms: dict
    params: dict = field(default_factory=dict)

    def grid(self):
        """Agents (rows) x days (columns): the shift worked, "" when off."""
        names = list(self.agents["agent"])
        out = pd.DataFrame("", index=pd.Index(names, name="agent"),
                           columns=pd.RangeIndex(self.params["days"], name="day"))
        for a, d, s in zip(self.table["agent"], self.table["day"], self.table["shift"]):
            out.at[a, d] = s
        return out

    def coverage_loss(self):
        """Required agent-hours the roster covers less than the sized plan, as a share of all required. [0-1]

        ``sum(min(sized, required)) - sum(min(scheduled, required))`` over
        the intervals, divided by ``sum(required)``; None without a sized demand.
        """
        if self.coverage is None:
            return None
        c = self.coverage
        req = c["required"].to_numpy()
        lost = np.minimum(c["sized"], req).sum() - np.minimum(c["scheduled"], req).sum()
        return float(lost / req.sum()) if req.sum() else 0.0

    def summary(self):
        """Key figures as a dict (snake_case keys)."""
        ag = self.agents
        out = {
            "status": self.status,
            "objective": self.objective,
            "lower_bound": self.lower_bound,
            "gap": self.gap,
            **{f"objective_{k}": val for k, val in self.terms.items()},
            "agents": len(ag),
            "days": int(self.params["days"]),
            "agent_days_worked": len(self.table),
            "paid_hours": float(ag["paid_hours"].sum()),
            "cover_required": int(self.cover["required"].sum()),
            "cover_under": int(self.cover["under"].sum()),
            "cover_over": int(self.cover["over"].sum()),
            "requests": int(ag["requests"].sum()),
            "requests_met": int(ag["requests_met"].sum()),
            "weekends_min": int(ag["weekends"].min()),
            "weekends_max": int(ag["weekends"].max()),
            "lates_min": int(ag["lates"].min()),
            "lates_max": int(ag["lates"].max()),
            "solve_seconds": float(self.params["solve_seconds"]),
        }
        if self.coverage is not None:
            hours = (self.coverage.index[1] - self.coverage.index[0]).total_seconds() / 3600.0
            c = self.coverage
            out["required_agent_hours"] = float(c["required"].sum() * hours)
            out["under_agent_hours"] = float(c["under"].sum() * hours)
            out["coverage_loss"] = self.coverage_loss()
        return out

    def __repr__(self):
        s = self.summary()
        return (f"Roster({s['agents']} agents x {s['days']} days, {s['agent_days_worked']} shifts; objective "
                f"{s['objective']:,.6g}, bound {s['lower_bound']:,.6g}, gap {s['gap']:.2%}, {s['status']})")

    def _repr_html_(self):
        def fmt(x):
            return f"{x:,.4g}" if isinstance(x, float) else str(x)

        summary = pd.Series({k: fmt(val) for k, val in self.summary().items()}, name="roster").to_frame()
        grid = self.grid().head(30)
        return ("<h4>Roster</h4>" + summary.to_html() + f"<p>First {len(grid)} of {len(self.agents)} agents</p>"
                + grid.to_html())

    def plot(self, ax=None, *, kind="grid", **kwargs):
        """
        The roster as a grid (``kind="grid"``): agents (rows) x days
        (columns), one colour per shift type, days off white, weekends
        shaded. ``kind="coverage"``: agents on the phones per interval
        against the requirement and the sized plan (with a sized demand),
        or agents assigned against required per day and shift type.
        Returns the Axes.
        """
        import matplotlib.pyplot as plt
        from matplotlib.colors import ListedColormap

        v.check_choice(kind, "kind", ("grid", "coverage"))
        if kind == "coverage":
            if ax is None:
                _, ax = plt.subplots(figsize=(12, 4))
            if self.coverage is not None:
                c = self.coverage
                ax.fill_between(c.index, c["required"], step="post", color="0.8", label="required")
                ax.step(c.index, c["sized"], where="post", color="C1", lw=0.8, label="sized plan")
                ax.step(c.index, c["scheduled"], where="post", color="C0", label="roster (on the phones)", **kwargs)
                ax.set_ylabel("agents")
            else:
                c = self.cover
                x = np.arange(len(c))
                ax.bar(x, c["required"], color="0.8", label="required")
                ax.plot(x, c["assigned"], "o", color="C0", ms=3, label="assigned", **kwargs)
                ax.set_xlabel("day x shift type (in the demand's order)")
                ax.set_ylabel("agents")
            ax.legend(loc="upper right", fontsize="small", frameon=False)
            ax.set_title(f"Roster cover: {int(self.cover['under'].sum())} agent-shifts short")
            return ax
        grid = self.grid()
        names = list(self.params["shifts"])
        code = grid.apply(lambda col: col.map(lambda s: names.index(s) + 1 if s else 0)).to_numpy()
        if ax is None:
            _, ax = plt.subplots(figsize=(max(6, 0.25 * grid.shape[1] + 2), max(3, 0.18 * grid.shape[0] + 1)))
        cmap = plt.get_cmap("tab20", max(len(names), 1))
        colors = ["white"] + [cmap(i % 20) for i in range(len(names))]
        ax.imshow(code, aspect="auto", interpolation="nearest", cmap=ListedColormap(colors), vmin=0,
                  vmax=len(names), **kwargs)
        start = pd.Timestamp(self.params["start"])
        for d in range(grid.shape[1]):
            if (start + pd.Timedelta(days=d)).day_of_week >= 5:
                ax.axvspan(d - 0.5, d + 0.5, color="0.5", alpha=0.12, lw=0)
        if grid.shape[0] <= 60:
            ax.set_yticks(range(grid.shape[0]), grid.index, fontsize=6)
        ax.set_xlabel(f"day (0 = {start:%a %Y-%m-%d})")
        ax.set_ylabel("agent")
        used = sorted(set(code.ravel()) - {0})
        if 0 < len(used) <= 20:
            for c in used:
                ax.bar(0, 0, color=colors[c], label=names[c - 1])
            ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small", frameon=False)
        ax.set_title(f"Roster: objective {self.objective:,.6g}, gap {self.gap:.2%}")
        return ax

    def to_csv(self, path):
        """Write :attr:`table` (breaks as text) to a CSV file; written to a temporary file, then renamed."""
        path = os.fspath(path)
        tmp = path + ".tmp"
        self._flat().to_csv(tmp, index=False)
        os.replace(tmp, path)

    def to_excel(self, path):
        """Write the roster to an Excel workbook: sheets roster, grid, cover, coverage, agents, summary."""
        path = os.fspath(path)
        tmp = path + ".tmp.xlsx"
        with pd.ExcelWriter(tmp) as xw:
            self._flat().to_excel(xw, sheet_name="roster", index=False)
            self.grid().to_excel(xw, sheet_name="grid")
            self.cover.to_excel(xw, sheet_name="cover", index=False)
            if self.coverage is not None:
                c = self.coverage.copy()
                c.index = c.index.tz_localize(None) if c.index.tz is not None else c.index
                c.to_excel(xw, sheet_name="coverage")
            self.agents.to_excel(xw, sheet_name="agents", index=False)
            pd.Series(self.summary(), name="value").to_frame().to_excel(xw, sheet_name="summary")
        os.replace(tmp, path)

    def _flat(self):
        out = self.table.copy()
        out["breaks"] = out["breaks"].map(
            lambda lst: "; ".join(f"{a:%H:%M}-{b:%H:%M}{'' if p else ' unpaid'}" for a, b, p in lst))
        return out
