"""
The arguments of :func:`wfm.roster.roster_agents`, read and checked: shift types, rules,
agents (contracts), requests, cover per day and shift type, and the horizon's weeks.

Every error names the argument, the row (agent) and the field, what was expected and
how to fix it. Days are 0-based days of the horizon or dates (calendar days of the
local wall clock counted from ``rules["start"]``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import _validation as v
from .. import calendar as cal
from ..logs._parse import parse_datetimes

#: Columns of the ``agents`` table besides ``agent``; a missing column or an empty cell means "no rule".
AGENT_FIELDS = (
    "contract", "skills", "days_off", "max_shifts",
    "min_paid_hours", "max_paid_hours", "min_paid_hours_per_week", "max_paid_hours_per_week",
    "min_days_per_week", "max_days_per_week", "min_consecutive_days", "max_consecutive_days",
    "min_consecutive_days_off", "min_working_weekends", "max_working_weekends", "min_rest_hours",
)
_RULE_KEYS = ("start", "days", "week_start", "shifts", "forbidden_successions", "weekend", "fairness", "late_after",
              "max_weekend_spread", "cover_weights", "schedule", "skills")
_SHIFT_KEYS = ("name", "paid", "start", "breaks", "skill", "contract", "late")
_FAIRNESS = ("weekends", "lates", "requests")
_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_BIG = 10 ** 7


# --------------------------------------------------------------------------
# Reading the arguments.
# --------------------------------------------------------------------------


def is_empty(x):
    """Whether a cell holds no value (None, NaN, NaT); lists, dicts and arrays are values."""
    if x is None:
        return True
    if isinstance(x, (list, tuple, dict, set, np.ndarray)):
        return False
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


@dataclass(frozen=True)
class Shift:
    """One shift type: paid minutes, clock start and span [min], breaks (offset, length [min], paid)."""

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


def read_shift(raw, i):
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
    return Shift(name, paid, start, span, tuple(breaks), raw.get("skill"), raw.get("contract"), late)


def horizon_dates(start, D):
    """Local midnight of each of the ``D`` days from ``start``: calendar days of the wall clock, so a day
    when the clocks change lasts 23 or 25 hours (where midnight itself is skipped, the first valid instant)."""
    wall = start.tz_localize(None) if start.tz is not None else start
    return local_times(pd.DatetimeIndex(wall + pd.to_timedelta(np.arange(D), unit="D")), start.tz)


def local_times(wall, tz):
    """Naive wall-clock times as times in ``tz`` (a repeated hour read as its first pass, a skipped one shifted
    forward); ``wall`` itself when ``tz`` is None."""
    wall = pd.DatetimeIndex(wall)
    if tz is None:
        return wall
    return wall.tz_localize(tz, ambiguous=np.ones(len(wall), dtype=bool), nonexistent="shift_forward")


def start_date(value, tz, name="rules['start']"):
    """Day 0 of the horizon as local midnight (in ``tz`` when the value is naive)."""
    try:
        start = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a date, e.g. '2024-01-01'; got {value!r}.") from None
    if start != start.normalize():
        raise ValueError(f"{name} must be a date (midnight); got {value!r}.")
    if start.tz is None and tz is not None:
        start = local_times([start], tz)[0]
    return start


def check_not_shift_rules(rules, name="rules", *, time_limit=None):
    """
    Roster rules, not shift rules: rules shaped for :func:`wfm.schedule_weeks` (a scenario's schedule section,
    the file of ``wfm schedule --rules``) are refused saying what roster rules are and where the shift rules go
    (under ``schedule``, without the solver's options). ``name`` names the rules (``--rules 'x.yaml'``).
    """
    from .._validation import _suggest
    from .._validation import option
    from ..schedule.shifts import _RULE_KEYS as SHIFT_KEYS, _SOLVER_KEYS

    inner = rules.get("schedule") if isinstance(rules.get("schedule"), dict) else {}
    shape = [k for k in rules if k in SHIFT_KEYS and k not in _RULE_KEYS]  # keys only shift rules have
    flat = [k for k in rules if k in _SOLVER_KEYS or k in shape]
    nested = [k for k in inner if k in _SOLVER_KEYS]
    left = [k for k in flat + nested if k in _SOLVER_KEYS]
    tail = (f", without {', '.join(left)}" if left else "") + (
        f": the solver's time is not a key; set it with {option('time_limit', time_limit)} (seconds for the whole "
        "roster, sizing included)" if "time_limit" in left else "")
    shift_keys = ", ".join(SHIFT_KEYS)
    if flat and not shape:  # only solver options, beside roster rules
        time = tail.split(": ", 1)[1] if "time_limit" in flat else ""
        raise ValueError(f"{name} has {', '.join(flat)}: options of the solver (arguments of wfm.roster_agents, keys "
                         f"of a scenario's schedule section), not roster rules; leave them out"
                         f"{': ' + time if time else ''}. Roster rules have the keys {', '.join(_RULE_KEYS)}.")
    if flat:
        raise ValueError(
            f"{name} looks like shift rules for wfm.schedule_weeks and wfm schedule --rules (it has "
            f"{', '.join(flat)}), not roster rules. Roster rules (wfm.roster_agents, wfm roster --rules) have the keys "
            f"{', '.join(_RULE_KEYS)}; put the shift rules ({shift_keys}) under schedule: to size an interval "
            f"requirement with them{tail}.")
    if nested:
        raise ValueError(f"{name}: schedule: holds {', '.join(nested)}, solver options of a scenario's schedule "
                         f"section, not shift rules; schedule: takes {shift_keys}{tail}.")
    unknown = [k for k in inner if k not in SHIFT_KEYS]
    if unknown:
        raise ValueError(f"{name}: schedule: has unknown key {unknown[0]!r}.{_suggest(unknown[0], SHIFT_KEYS)} "
                         f"schedule: holds the shift rules ({shift_keys}) that size an interval requirement.")


def read_rules(rules, *, shifts=None, days=None, start=None, week_start=None, tz=None):
    """The roster rules checked: shift types (``shifts`` when given, e.g. from sized plans), horizon (``days``,
    ``start`` and ``week_start`` are the defaults when the rules give none), successions, weekend, fairness,
    late shifts, cover weights. ``tz``: the time zone of a naive ``rules['start']``."""
    v.check_keys(rules, "rules", _RULE_KEYS)
    if shifts is None:
        raw = rules.get("shifts")
        if not isinstance(raw, (list, tuple)) or not raw:
            raise ValueError(f"rules['shifts'] must be a non-empty list of shift types; got {raw!r}.")
        shifts = [read_shift(s, i) for i, s in enumerate(raw)]
    names = [s.name for s in shifts]
    dup = [n for i, n in enumerate(names) if n in names[:i]]
    if dup:
        raise ValueError(f"rules['shifts'] names must be unique; got {dup[0]!r} twice.")
    start = start_date(rules.get("start", start if start is not None else "2024-01-01"), tz)
    D = rules.get("days", days)
    if D is None:
        raise ValueError("rules['days'] is required: the horizon's length in days, e.g. 28.")
    D = v.check_count(D, "rules['days']", unit="days")
    first = cal.check_week_start(rules.get("week_start", 0 if week_start is None else week_start),
                                 "rules['week_start']")
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
    shifts = [sh if sh.late is not None else
              dataclasses.replace(sh, late=sh.start is not None and sh.start + sh.span > late_after) for sh in shifts]
    return {"shifts": shifts, "names": names, "start": start, "days": D, "dates": horizon_dates(start, D),
            "week_start": first, "pairs": pairs,
                "weekend": [_DAY_NAMES.index(d) for d in weekend], "fairness": fair, "late_after": late_after,
                "max_weekend_spread": spread, "cover_weights": cw, "skills": rules.get("skills")}


def listed(value):
    """A list from a list, or from a string separated by ';' (as a CSV cell holds it)."""
    if isinstance(value, str):
        return [x.strip() for x in value.split(";") if x.strip()]
    return list(value)


def _wall_day(ts, tz):
    """The naive wall-clock date of a timestamp (converted to ``tz`` first when both have a zone)."""
    if ts.tz is not None:
        ts = (ts.tz_convert(tz) if tz is not None else ts).tz_localize(None)
    return ts


def day_index(value, name, start, D, who="", read=None):
    """0-based day of the horizon from a day number (also as text, "3") or a date (a calendar day of the wall
    clock counted from ``start``); an error names the field when outside. A date as text is read by
    :func:`read_days` (``read``: dayfirst, date_format), never guessed."""
    if isinstance(value, str) and not value.strip().isdigit():
        value = read_days([value], f"{name}{who}", read, [0])[0]
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}{who} must be a day number or a date; got {value!r}.")
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, (int, np.integer)) or isinstance(value, (float, np.floating)) and float(value).is_integer():
        d = int(value)
    else:
        try:
            ts = pd.Timestamp(value)
        except (TypeError, ValueError):
            raise TypeError(f"{name}{who} must be a day number (0 = {start:%Y-%m-%d}) or a date; got {value!r}.") \
                from None
        if ts is pd.NaT:
            raise TypeError(f"{name}{who} must be a day number (0 = {start:%Y-%m-%d}) or a date; got {value!r}.")
        ts = _wall_day(ts, start.tz)
        if ts != ts.normalize():
            raise ValueError(f"{name}{who} must be a date; got {value!r}.")
        d = (ts - _wall_day(start, start.tz)).days
    last = _wall_day(start, start.tz) + pd.Timedelta(days=D - 1)
    if not 0 <= d < D:
        shown = str(value.date()) if isinstance(value, pd.Timestamp) else value
        raise ValueError(f"{name}{who}: day {shown!r} is outside the horizon of {D} days "
                         f"({start:%Y-%m-%d} to {last:%Y-%m-%d}, days 0 to {D - 1}). Drop it or widen rules['days'].")
    return d


def read_days(values, name, read=None, rows=None, word="row"):
    """A day column with its dates as text read at once by :func:`wfm.logs.parse_datetimes` (``read``: its
    dayfirst and date_format): a day/month order that reads both ways is refused naming the rows, never guessed.
    Day numbers and datetimes are left as they are."""
    out = pd.Series(list(values), dtype=object)
    text = out.map(lambda x: isinstance(x, str) and not x.strip().isdigit()).to_numpy(dtype=bool)
    if text.any():
        rows = np.arange(len(out)) if rows is None else np.asarray(rows)
        label = name + (" (rows are line numbers)" if word == "line" else "")
        out[text] = list(parse_datetimes(out[text], label, rows[text], **(read or {})))
    return out.tolist()


def row_labels(frame):
    """How messages name the rows of ``frame``: ("line", its index) when the index is named 'line' (a file's
    line numbers, as wfm roster passes them), else ("row", positions from 0)."""
    if frame.index.name == "line":
        return "line", np.asarray(frame.index)
    return "row", np.arange(len(frame))


def _agent_table(agents, R):
    """(names, known skills or None): the table's columns and names checked, each shift's skill known."""
    v.check_frame_columns(agents, "agents", ["agent"], hint="One row per named agent.")
    unknown = [c for c in agents.columns if c != "agent" and c not in AGENT_FIELDS]
    if unknown:
        raise ValueError(f"agents has unknown column {unknown[0]!r}; the columns are ['agent'] + {list(AGENT_FIELDS)}.")
    names = [str(a) for a in agents["agent"]]
    dup = [a for i, a in enumerate(names) if a in names[:i]]
    if dup:
        raise ValueError(f"agents['agent'] must be unique; got {dup[0]!r} twice.")
    if not names:
        raise ValueError("agents must hold at least one agent; got an empty table.")
    all_skills = set()
    if "skills" in agents:
        for sk in agents["skills"]:
            if not is_empty(sk):
                all_skills |= set(listed(sk))
    known = set(R["skills"]) if R["skills"] is not None else None
    for i, s in enumerate(R["shifts"]):
        if s.skill is not None:
            pool = known if known is not None else all_skills
            if s.skill not in pool:
                raise ValueError(f"rules['shifts'][{i}] ({s.name!r}).skill {s.skill!r} is an unknown skill: "
                                 f"{'not in rules[' + repr('skills') + ']' if known is not None else 'no agent has it'}"
                                 f"; the skills are {sorted(pool)}.")
    return names, known


def _number(row, col, who, unit, minimum=0):
    """A number cell of the agents table, None when empty."""
    x = row.get(col)
    if is_empty(x):
        return None
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, float, np.integer, np.floating)):
        raise TypeError(f"agents[{col!r}] of {who} must be a number{unit}; got {x!r}.")
    if x < minimum:
        raise ValueError(f"agents[{col!r}] of {who} must be >= {minimum}{unit}; got {x!r}.")
    return float(x)


def _pair(row, lo_col, hi_col, who, unit):
    """A (min, max) pair of number cells, each None when empty; a min above the max is an error."""
    lo, hi = _number(row, lo_col, who, unit), _number(row, hi_col, who, unit)
    if lo is not None and hi is not None and lo > hi:
        raise ValueError(f"agents: contradictory contract bounds for {who}: {lo_col}={lo:g} is above "
                         f"{hi_col}={hi:g}{unit}. Lower {lo_col} or raise {hi_col}.")
    return lo, hi


def _contract_bounds(row, a, who, out):
    """Agent ``a``'s hours, days, consecutive-day and weekend bounds into the arrays of ``out``."""
    for lo_col, hi_col, lo_key, hi_key in (("min_paid_hours", "max_paid_hours", "min_total", "max_total"),
                                           ("min_paid_hours_per_week", "max_paid_hours_per_week", "min_week",
                                            "max_week")):
        lo, hi = _pair(row, lo_col, hi_col, who, " h")
        if lo is not None:
            out[lo_key][a] = round(lo * 60)
        if hi is not None:
            out[hi_key][a] = round(hi * 60)
    lo, hi = _pair(row, "min_days_per_week", "max_days_per_week", who, " days")
    if lo is not None:
        v.check_rule(lo <= 7, f"agents['min_days_per_week'] of {who}", lo, "at most 7 days")
        out["min_days_week"][a] = int(lo)
    if hi is not None:
        out["max_days_week"][a] = int(hi)
    lo, hi = _pair(row, "min_consecutive_days", "max_consecutive_days", who, " days")
    if lo is not None:
        out["min_cons"][a] = max(int(lo), 1)
    if hi is not None:
        if hi < 1:
            raise ValueError(f"agents['max_consecutive_days'] of {who} must be >= 1 day; got {hi:g}. "
                             "An agent who never works needs no row.")
        out["max_cons"][a] = int(hi)
    x = _number(row, "min_consecutive_days_off", who, " days")
    if x is not None:
        out["min_off"][a] = max(int(x), 1)
    lo, hi = _pair(row, "min_working_weekends", "max_working_weekends", who, " weekends")
    if lo is not None:
        out["min_weekends"][a] = int(lo)
    if hi is not None:
        out["max_weekends"][a] = int(hi)


def _max_shifts(row, who, R):
    """{shift index: most shifts} of an agent's ``max_shifts`` cell (a dict, or "E=5;L=3" as a CSV holds it)."""
    caps = row.get("max_shifts")
    if isinstance(caps, str):
        try:
            caps = {k.strip(): int(n) for k, _, n in (item.partition("=") for item in listed(caps))}
        except ValueError:
            raise ValueError(f"agents['max_shifts'] of {who} must be 'shift=count;...'; got {caps!r}.") from None
    if is_empty(caps):
        return {}
    if not isinstance(caps, dict):
        raise TypeError(f"agents['max_shifts'] of {who} must be a dict {{shift: most shifts}}; got {caps!r}.")
    sidx = {s: i for i, s in enumerate(R["names"])}
    out = {}
    for s, n in caps.items():
        if s not in sidx:
            raise ValueError(f"agents['max_shifts'] of {who} names unknown shift {s!r}; the shifts are "
                             f"{R['names'][:10]}.")
        out[sidx[s]] = v.check_count(n, f"agents['max_shifts'][{s!r}] of {who}", minimum=0)
    return out


def _days_off(row, who, R):
    """Day indices of an agent's ``days_off`` cell: day numbers, dates, or both in a ';'-separated string."""
    off = row.get("days_off")
    if is_empty(off):
        return []
    if isinstance(off, str):
        off = [int(x) if x.strip().isdigit() else x.strip() for x in listed(off)]
    elif isinstance(off, (pd.Timestamp, int, np.integer)):
        off = [off]
    return [day_index(dd, "agents['days_off']", R["start"], R["days"], f" of {who}", R.get("read")) for dd in off]


def _rest_successions(row, who, shifts):
    """(S, S) bool: shift t may not follow shift s the next day under the agent's ``min_rest_hours``."""
    S = len(shifts)
    rest = _number(row, "min_rest_hours", who, " h")
    if rest is None or rest <= 0:
        return np.zeros((S, S), dtype=bool)
    no_clock = [sh.name for sh in shifts if sh.start is None]
    if no_clock:
        raise ValueError(f"agents['min_rest_hours'] of {who} needs shift start times; shift {no_clock[0]!r} "
                         "has no rules['shifts'][...]['start'].")
    st = np.array([sh.start for sh in shifts])
    end = st + np.array([sh.span for sh in shifts])
    gap = (1440 + st[None, :]) - end[:, None]  # rest from s's end to t's start the next day
    return gap < rest * 60


def read_agents(agents, R):
    """The agents table as arrays: names, allowed (A, D, S) cells, max shifts, contract bounds, successions."""
    names, known = _agent_table(agents, R)
    A, D, S = len(names), R["days"], len(R["shifts"])
    shifts = R["shifts"]
    allowed = np.ones((A, D, S), dtype=bool)
    max_shifts = np.full((A, S), D, dtype=np.int64)
    out = {k: np.zeros(A, dtype=np.int64) for k in ("min_total", "min_week", "min_days_week", "min_weekends")}
    out.update(max_total=np.full(A, _BIG), max_week=np.full(A, _BIG), max_days_week=np.full(A, 7),
               min_cons=np.ones(A, dtype=np.int64), max_cons=np.full(A, _BIG), min_off=np.ones(A, dtype=np.int64),
               max_weekends=np.full(A, _BIG))
    follow = np.zeros((A, S, S), dtype=bool)
    for s, t in R["pairs"]:
        follow[:, s, t] = True
    rest = np.zeros(A)
    word, rows = row_labels(agents)
    for a, row in enumerate(agents.to_dict("records")):
        who = f"agent {names[a]!r} ({word} {rows[a]})"
        _contract_bounds(row, a, who, out)
        for s, n in _max_shifts(row, who, R).items():
            max_shifts[a, s] = n
        allowed[a, _days_off(row, who, R), :] = False
        skills = row.get("skills")
        have = set() if is_empty(skills) else set(listed(skills))
        if known is not None and have - known:
            raise ValueError(f"agents['skills'] of {who} has unknown skill {min(have - known)!r}; "
                             f"rules['skills'] lists {sorted(known)}.")
        contract = row.get("contract")
        for s, sh in enumerate(shifts):
            if sh.skill is not None and sh.skill not in have:
                allowed[a, :, s] = False
            if sh.contract is not None and not is_empty(contract) and sh.contract != contract:
                allowed[a, :, s] = False
        follow[a] |= _rest_successions(row, who, shifts)
        rest[a] = _number(row, "min_rest_hours", who, " h") or 0.0
    max_shifts = np.minimum(max_shifts, D)
    allowed &= (max_shifts > 0)[:, None, :]
    out.update(allowed=allowed, max_shifts=max_shifts, follow=follow, names=names, rest_hours=rest)
    return out


def read_requests(requests, R, agent_pos):
    empty = {"agent": np.zeros(0, np.int64), "day": np.zeros(0, np.int64), "shift": np.zeros(0, np.int64),
                 "on": np.zeros(0, bool), "weight": np.zeros(0)}
    if requests is None or len(requests) == 0:
        return empty
    v.check_frame_columns(requests, "requests", ["agent", "day", "kind", "weight"],
                          hint="One row per request; 'shift' empty for a day on/off request.")
    out = {k: [] for k in empty}
    sidx = {s: i for i, s in enumerate(R["names"])}
    word, rows = row_labels(requests)
    day = read_days(requests["day"], "requests['day']", R.get("read"), rows, word)
    for i, r in enumerate(requests.to_dict("records")):
        who = f" of {word} {rows[i]} (agent {r['agent']!r})"
        if r["agent"] not in agent_pos:
            raise ValueError(f"requests['agent']{who} is an unknown agent; it is not in agents['agent'].")
        s = r.get("shift")
        if is_empty(s) or s == "":
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
        out["day"].append(day_index(day[i], "requests['day']", R["start"], R["days"], who))
        out["shift"].append(s)
        out["on"].append(r["kind"] == "on")
        out["weight"].append(float(wt))
    return {k: np.asarray(val, dtype=empty[k].dtype) for k, val in out.items()}


def weeks_of(dates, week_start=0):
    """Planning weeks of the horizon (``dates``: its days), starting on weekday ``week_start`` (0 = Monday) on
    the wall clock: (day indices, full week?) per week."""
    label = cal.week_of(pd.DatetimeIndex(dates), week_start)
    out = []
    for first in pd.unique(label):
        days = np.flatnonzero(label == first).tolist()
        out.append((days, len(days) == 7))
    return out


def weekends_of(dates, weekend):
    """Each weekend's day indices inside the horizon (a weekend is its days in one Monday-to-Sunday week)."""
    if not weekend:
        return []
    wall = cal.wall_clock(pd.DatetimeIndex(dates)).normalize()
    is_we = np.isin(wall.day_of_week, weekend)
    monday = cal.week_of(wall, 0)
    return [np.flatnonzero(is_we & (monday == mon)).tolist() for mon in pd.unique(monday[is_we])]


# --------------------------------------------------------------------------
# Demand: cover per day and shift type, a sized plan, or an interval requirement.
# --------------------------------------------------------------------------


def cover_from_frame(demand, R, allow_shortfall):
    v.check_frame_columns(demand, "demand", ["day", "shift", "required"],
                          hint="Cover per day and shift type: day, shift, required (+ weight_under, weight_over).")
    sidx = {s: i for i, s in enumerate(R["names"])}
    days, shifts = [], []
    word, rows = row_labels(demand)
    day = read_days(demand["day"], "demand['day']", R.get("read"), rows, word)
    for i, (d, s) in enumerate(zip(day, demand["shift"])):
        if s not in sidx:
            raise ValueError(f"demand['shift'] of {word} {rows[i]} names unknown shift {s!r}; the shifts are "
                             f"{R['names'][:10]}.")
        days.append(day_index(d, "demand['day']", R["start"], R["days"], f" of {word} {rows[i]}"))
        shifts.append(sidx[s])
    req = v.as_float_array(demand["required"], "demand['required']")
    note = "Rows are line numbers of the file." if word == "line" else ""  # rows of the cover, not intervals
    v.check_whole(req, "demand['required']", rows=rows, hint=note)
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
                         f"({word} {rows[i]}); give one row per day and shift.")
    return {"day": np.array(days, np.int64), "shift": np.array(shifts, np.int64), "required": req.astype(np.int64),
                "under": wu if allow_shortfall else np.zeros_like(wu), "over": wo, "hard": not allow_shortfall}
