r"""
Shift rules: templates, breaks, weekly patterns, opening hours and caps.

:func:`schedule_rules` reads the dict form (the ``schedule:`` section of a
scenario YAML: durations are pandas-style strings such as ``"4h"`` or
``"1h30min"``, clock times are ``"HH:MM"``) into frozen dataclasses and
checks every rule; an error names the field, e.g.
``rules['shifts'][1] ('FT8').breaks[2].start_after``, what it must be and
what arrived. Checks that need the requirement's interval grid (durations
that are whole intervals) are made by :func:`on_grid`.

A shift template describes one kind of shift: a paid length, breaks, a
window and step of start times, a contract and a cost per paid hour. An
unpaid break lengthens the shift's span (its time from start to end); a paid
one does not. Every break takes the agent off the phones for its length.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field, replace
from itertools import combinations
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from .. import _validation as v
from .. import calendar as cal

__all__ = [
    "CONTRACTS",
    "DAY_NAMES",
    "BreakRule",
    "BreakRuleModel",
    "ScheduleRules",
    "ScheduleRulesModel",
    "ShiftTemplate",
    "ShiftTemplateModel",
    "WeekRules",
    "WeekRulesModel",
    "on_grid",
    "priced_rules",
    "schedule_rules",
    "weekly_patterns",
]

#: Contracts a shift template may belong to; ``part_time_share`` counts ``"part_time"``.
CONTRACTS = ("full_time", "part_time")
#: Keys of ``rules["open_hours"]``, Monday first.
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_RULE_KEYS = ("shifts", "week", "open_hours", "max_heads", "max_cost")
#: What a scenario's schedule section holds besides the rules: the solver's options and the variants
#: (wfm.scenario.schema.ScheduleSection). A rules file given to wfm schedule may carry them: set aside there.
_SOLVER_KEYS = ("time_limit", "mip_gap", "allow_shortfall", "solver", "method", "variants")
_SHIFT_KEYS = ("name", "paid", "contract", "cost_per_paid_hour", "step", "starts", "breaks", "max_agents",
               "within_open_hours")
_BREAK_KEYS = ("length", "paid", "start_after")
_WEEK_KEYS = ("days_per_week", "days_off_consecutive", "same_contract_all_week", "same_start_all_week",
              "part_time_share")
_DAY = pd.Timedelta(days=1)


@dataclass(frozen=True)
class BreakRule:
    """
    One break or lunch of a shift.

    Attributes
    ----------
    length : Timedelta
        Time off the phones.
    paid : bool
        A paid break counts in the shift's paid length; an unpaid one
        lengthens its span.
    start_after : (Timedelta, Timedelta)
        Earliest and latest start of the break, counted from the shift's
        start, both included.
    """

    length: pd.Timedelta
    paid: bool
    start_after: tuple


@dataclass(frozen=True)
class ShiftTemplate:
    """
    One kind of shift.

    Attributes
    ----------
    name : str
        Unique name, e.g. ``"FT8"``.
    paid : Timedelta
        Paid length, paid breaks included.
    contract : {"full_time", "part_time"}
    cost_per_paid_hour : float or None
        Cost of one paid hour on this template; None: not given, so the
        shifts' ``cost`` is n/a (NaN) and the solver weighs a paid hour 1
        (:attr:`rate`). [cost units per h]
    step : Timedelta or None
        Spacing of start times; the requirement's interval when None.
    starts : (int, int) or None
        Earliest and latest start, minutes after midnight on the local
        wall clock, both included;
        any start that keeps the span inside opening hours when None.
    breaks : tuple of BreakRule
        In the order they are taken; their windows never overlap.
    max_agents : int or None
        At most this many agents on this template on any one day.
    within_open_hours : bool
        The whole span lies inside opening hours (the default); False lets
        the shift start or end while the centre is closed.
    """

    name: str
    paid: pd.Timedelta
    contract: str = "full_time"
    cost_per_paid_hour: float | None = None
    step: pd.Timedelta | None = None
    starts: tuple | None = None
    breaks: tuple = ()
    max_agents: int | None = None
    within_open_hours: bool = True

    @property
    def span(self) -> pd.Timedelta:
        """Start to end: the paid length plus the unpaid breaks."""
        return self.paid + sum((b.length for b in self.breaks if not b.paid), pd.Timedelta(0))

    @property
    def paid_hours(self) -> float:
        """Paid length in hours. [h]"""
        return self.paid.total_seconds() / 3600.0

    @property
    def rate(self) -> float:
        """What the solver weighs a paid hour at: ``cost_per_paid_hour``, 1 when it is not given (the cheapest
        schedule is then the one with the fewest paid hours). [cost units per h]"""
        return 1.0 if self.cost_per_paid_hour is None else self.cost_per_paid_hour


@dataclass(frozen=True)
class WeekRules:
    """
    Weekly patterns: which days an agent works.

    Attributes
    ----------
    days_per_week : dict
        Contract -> (fewest, most) working days in the week. Days with no
        open interval never count; an agent works at most the open days.
    days_off_consecutive : bool
        The days off of a week form one run, counted cyclically (Sunday and
        the next Monday are consecutive, as in a rotating roster).
    same_contract_all_week : bool
        An agent works only shifts of its contract (full-timers may mix
        lengths across days). When False, any agent works any template.
    same_start_all_week : bool
        An agent starts at the same clock time on every working day.
    part_time_share : (float, float)
        Least and most share of the paid hours on part-time templates. [0-1]
    """

    days_per_week: dict = field(default_factory=lambda: {c: (5, 5) for c in CONTRACTS})
    days_off_consecutive: bool = True
    same_contract_all_week: bool = True
    same_start_all_week: bool = False
    part_time_share: tuple = (0.0, 1.0)


@dataclass(frozen=True)
class ScheduleRules:
    """
    Everything :func:`wfm.schedule_week` needs besides the requirement.

    Attributes
    ----------
    shifts : tuple of ShiftTemplate
    week : WeekRules
    open_hours : dict or None
        Weekday (0 = Monday) -> (open, close) in minutes after midnight on
        the local wall clock, close exclusive; a day left out is closed. None: each day is open
        from its first to its last interval with a positive requirement.
    max_heads : int or None
        Agents available: at most this many distinct agents in the week.
    max_cost : float or None
        Budget: at most this cost for the week. [cost units]
    """

    shifts: tuple
    week: WeekRules = field(default_factory=WeekRules)
    open_hours: dict | None = None
    max_heads: int | None = None
    max_cost: float | None = None


# --------------------------------------------------------------------------
# Reading the dict form.
# --------------------------------------------------------------------------


def _window(value, name, parse):
    """A two-item [first, last] list read with ``parse``."""
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise ValueError(f"{name} must be a pair [earliest, latest]; got {value!r}.")
    return parse(value[0], f"{name}[0]"), parse(value[1], f"{name}[1]")


def _count(value, name, minimum=0):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer, float, np.floating)) \
            or value != np.floor(value):
        raise ValueError(f"{name} must be a whole number >= {minimum}; got {value!r}.")
    v.check_rule(value >= minimum, name, value, f"a whole number >= {minimum}")
    return int(value)


def _break(raw, name):
    if isinstance(raw, BreakRule):
        raw = {"length": raw.length, "paid": raw.paid, "start_after": list(raw.start_after)}
    v.check_keys(raw, name, _BREAK_KEYS, required=("length", "start_after"))
    length = v.check_duration(raw["length"], f"{name}.length")
    paid = v.check_flag(raw.get("paid", True), f"{name}.paid")
    lo, hi = _window(raw["start_after"], f"{name}.start_after",
                     lambda x, n: v.check_duration(x, n, allow_zero=True))
    v.check_rule(lo <= hi, f"{name}.start_after", [v._fmt_td(lo), v._fmt_td(hi)],
                 "a window [earliest, latest] with earliest <= latest")
    return BreakRule(length, paid, (lo, hi))


def _template(raw, i):
    label = f"rules['shifts'][{i}]"
    if isinstance(raw, ShiftTemplate):
        raw = {"name": raw.name, "paid": raw.paid, "contract": raw.contract,
               "cost_per_paid_hour": raw.cost_per_paid_hour, "step": raw.step,
               "starts": None if raw.starts is None else [f"{m // 60:02d}:{m % 60:02d}" for m in raw.starts],
               "breaks": list(raw.breaks), "max_agents": raw.max_agents,
               "within_open_hours": raw.within_open_hours}
    v.check_keys(raw, label, _SHIFT_KEYS, required=("name", "paid"))
    name = raw["name"]
    if not isinstance(name, str) or not name:
        raise TypeError(f"{label}.name must be a non-empty string; got {name!r}.")
    label = f"{label} ({name!r})"
    paid = v.check_duration(raw["paid"], f"{label}.paid", at_most=_DAY)
    contract = raw.get("contract", "full_time")
    if contract not in CONTRACTS:
        raise ValueError(f"{label}.contract must be one of {list(CONTRACTS)}; got {contract!r}.")
    cost = raw.get("cost_per_paid_hour")
    if cost is not None:
        cost = v.as_float_array(cost, f"{label}.cost_per_paid_hour")
        if cost.ndim:
            raise ValueError(f"{label}.cost_per_paid_hour must be one number; got {raw['cost_per_paid_hour']!r}.")
        v.check_positive(cost, f"{label}.cost_per_paid_hour", "per paid hour")
        cost = float(cost)
    step = raw.get("step")
    step = None if step is None else v.check_duration(step, f"{label}.step", at_most=_DAY)
    starts = raw.get("starts")
    if starts is not None:
        starts = _window(starts, f"{label}.starts", lambda x, n: cal.parse_clock(x, n) // 60)
        v.check_rule(starts[0] <= starts[1], f"{label}.starts", raw["starts"],
                     "[earliest, latest] start with earliest <= latest")
    breaks_raw = raw.get("breaks") or []
    if not isinstance(breaks_raw, (list, tuple)):
        raise TypeError(f"{label}.breaks must be a list of breaks; got {type(breaks_raw).__name__}.")
    breaks = tuple(_break(b, f"{label}.breaks[{k}]") for k, b in enumerate(breaks_raw))
    max_agents = raw.get("max_agents")
    max_agents = None if max_agents is None else _count(max_agents, f"{label}.max_agents")
    within = v.check_flag(raw.get("within_open_hours", True), f"{label}.within_open_hours")
    tpl = ShiftTemplate(name, paid, contract, cost, step, starts, breaks, max_agents, within)
    _check_breaks(tpl, label)
    return tpl


def _check_breaks(tpl, label):
    """Break windows inside the span, in order, never overlapping; span at most a day."""
    span = tpl.span
    v.check_rule(span <= _DAY, f"{label}.paid", v._fmt_td(tpl.paid),
                 "at most 1 day with its unpaid breaks (a shift template longer than a day)",
                 f"Its span is {v._fmt_td(span)}.")
    paid_breaks = sum((b.length for b in tpl.breaks if b.paid), pd.Timedelta(0))
    v.check_rule(paid_breaks < tpl.paid, f"{label}.breaks", f"<paid breaks of {v._fmt_td(paid_breaks)}>",
                 f"shorter in total than the paid length {v._fmt_td(tpl.paid)}")
    previous_end = pd.Timedelta(0)
    for k, b in enumerate(tpl.breaks):
        name = f"{label}.breaks[{k}].start_after"
        lo, hi = b.start_after
        shown = [v._fmt_td(lo), v._fmt_td(hi)]
        v.check_rule(hi + b.length <= span, name, shown,
                     f"a window inside the shift: the latest start plus the length {v._fmt_td(b.length)} "
                     f"must end by the shift's end, {v._fmt_td(span)} after its start")
        v.check_rule(lo >= previous_end, name, shown,
                     f"a window after the previous break: it may end as late as {v._fmt_td(previous_end)} "
                     "after the shift's start", "List breaks in the order they are taken.")
        previous_end = hi + b.length


def _days(value, name):
    if isinstance(value, (list, tuple)):
        lo, hi = _window(value, name, lambda x, n: _count(x, n, 1))
        v.check_rule(lo <= hi, name, list(value), "[fewest, most] days with fewest <= most")
    else:
        lo = hi = _count(value, name, 1)
    v.check_rule(hi <= 7, name, value, "at most 7 days")
    return lo, hi


def _week(raw):
    label = "rules['week']"
    if isinstance(raw, WeekRules):
        return raw
    raw = {} if raw is None else raw
    v.check_keys(raw, label, _WEEK_KEYS)
    dpw = raw.get("days_per_week", 5)
    if isinstance(dpw, dict):
        v.check_keys(dpw, f"{label}['days_per_week']", CONTRACTS)
        days = {c: _days(dpw.get(c, 5), f"{label}['days_per_week'][{c!r}]") for c in CONTRACTS}
    else:
        both = _days(dpw, f"{label}['days_per_week']")
        days = {c: both for c in CONTRACTS}
    share = raw.get("part_time_share", (0.0, 1.0))
    lo, hi = _window(share, f"{label}['part_time_share']",
                     lambda x, n: float(v.check_fraction(v.as_float_array(x, n), n, closed_low=True)))
    v.check_rule(lo <= hi, f"{label}['part_time_share']", list(share),
                 "[least, most] with least <= most (contradictory caps)")
    return WeekRules(
        days,
        v.check_flag(raw.get("days_off_consecutive", True), f"{label}['days_off_consecutive']"),
        v.check_flag(raw.get("same_contract_all_week", True), f"{label}['same_contract_all_week']"),
        v.check_flag(raw.get("same_start_all_week", False), f"{label}['same_start_all_week']"),
        (lo, hi),
    )


def _open_hours(raw):
    """{weekday: (open, close)} in minutes after midnight, read by the calendar's one parser."""
    if raw is None:
        return None
    label = "rules['open_hours']"
    internal = isinstance(raw, dict) and all(
        isinstance(k, (int, np.integer)) and 0 <= k <= 6 and isinstance(h, (tuple, list)) and len(h) == 2
        and all(isinstance(m, (int, np.integer)) for m in h) for k, h in raw.items())
    if internal:  # the ScheduleRules form: {weekday: (open, close) in minutes}
        raw = {DAY_NAMES[k]: [f"{a // 60:02d}:{a % 60:02d}", f"{b // 60:02d}:{b % 60:02d}"]
               for k, (a, b) in raw.items()}
    if isinstance(raw, dict):
        v.check_keys(raw, label, DAY_NAMES + tuple(range(7)))
    hours = cal.parse_open_hours(raw, label)
    if None in hours:  # one pair for every day
        hours = dict.fromkeys(range(7), hours[None])
    return {d: (h[0] // 60, h[1] // 60) for d, h in hours.items() if h is not None}


def schedule_rules(rules):
    """
    Read and check shift rules given as a dict (or pass a :class:`ScheduleRules` through).

    Parameters
    ----------
    rules : dict, ScheduleRulesModel or ScheduleRules
        Keys ``shifts`` (a list of templates; required), ``week``,
        ``open_hours``, ``max_heads`` and ``max_cost``; see
        :func:`wfm.schedule_week` for each key and :class:`ScheduleRulesModel`
        for each field with its unit.

    Returns
    -------
    ScheduleRules

    Examples
    --------
    >>> rules = schedule_rules({"shifts": [
    ...     {"name": "FT8", "paid": "8h", "breaks": [
    ...         {"length": "30min", "paid": False, "start_after": ["3h30min", "4h30min"]}]}]})
    >>> tpl = rules.shifts[0]
    >>> tpl.paid_hours, str(tpl.span), rules.week.days_per_week["full_time"]
    (8.0, '0 days 08:30:00', (5, 5))
    """
    if isinstance(rules, ScheduleRules):
        rules = {"shifts": list(rules.shifts), "week": rules.week, "open_hours": rules.open_hours,
                 "max_heads": rules.max_heads, "max_cost": rules.max_cost}
    elif isinstance(rules, ScheduleRulesModel):
        rules = rules.to_dict()
    v.check_keys(rules, "rules", _RULE_KEYS, required=("shifts",))
    raw = rules["shifts"]
    if not isinstance(raw, (list, tuple)) or not raw:
        raise ValueError(f"rules['shifts'] must be a non-empty list of shift templates; got {raw!r}.")
    shifts = tuple(_template(t, i) for i, t in enumerate(raw))
    names = [t.name for t in shifts]
    dup = [n for i, n in enumerate(names) if n in names[:i]]
    if dup:
        raise ValueError(f"rules['shifts'] names must be unique; got {dup[0]!r} at positions "
                         f"{[i for i, n in enumerate(names) if n == dup[0]]}.")
    week = _week(rules.get("week"))
    heads = rules.get("max_heads")
    heads = None if heads is None else _count(heads, "rules['max_heads']")
    cost = rules.get("max_cost")
    if cost is not None:
        arr = v.as_float_array(cost, "rules['max_cost']")
        v.check_nonnegative(arr, "rules['max_cost']", "cost units")
        cost = float(arr)
    contracts = {t.contract for t in shifts}
    lo, hi = week.part_time_share
    v.check_rule(lo == 0 or "part_time" in contracts, "rules['week']['part_time_share']", [lo, hi],
                 "[0, ...] when no template has contract 'part_time' (contradictory caps)")
    v.check_rule(hi == 1 or "full_time" in contracts, "rules['week']['part_time_share']", [lo, hi],
                 "[..., 1] when no template has contract 'full_time' (contradictory caps)")
    return ScheduleRules(shifts, week, _open_hours(rules.get("open_hours")), heads, cost)


def priced_rules(rules, cost_per_paid_hour):
    """
    The rules with ``cost_per_paid_hour`` on every template that gives none.

    One cost per plan: a scenario's ``costs.paid_hour`` (what its headline
    prices the FTE at) prices the shifts whose rules set no cost of their own.

    Parameters
    ----------
    rules : dict or ScheduleRules
    cost_per_paid_hour : float or None
        0 or None: no cost (the rules as they are). [cost units per h]

    Returns
    -------
    ScheduleRules

    Examples
    --------
    >>> rules = priced_rules({"shifts": [{"name": "FT8", "paid": "8h"},
    ...                                  {"name": "PT4", "paid": "4h", "cost_per_paid_hour": 18}]}, 22)
    >>> [t.cost_per_paid_hour for t in rules.shifts]
    [22.0, 18.0]
    """
    rules = schedule_rules(rules)
    if not cost_per_paid_hour:
        return rules
    rate = float(v.check_positive(v.as_float_array(cost_per_paid_hour, "cost_per_paid_hour"), "cost_per_paid_hour",
                                  "per paid hour"))
    return replace(rules, shifts=tuple(t if t.cost_per_paid_hour is not None else replace(t, cost_per_paid_hour=rate)
                                       for t in rules.shifts))


# --------------------------------------------------------------------------
# The same rules as pydantic models: the documented schema of the dict form.
# --------------------------------------------------------------------------

#: A duration: a pandas-style string such as "4h", "1h30min" or "15min" (or a Timedelta).
Duration = str | _dt.timedelta
#: A wall-clock time "HH:MM" (or a datetime.time).
Clock = str | _dt.time
#: Opening hours of one day: a pair [open, close] ("24:00" is midnight), "24h", or None (closed).
DayHours = str | tuple[Clock, Clock] | None
#: Days worked in the week: a number, or [fewest, most].
DaysPerWeek = int | tuple[int, int]


class _RulesPart(BaseModel):
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)


class BreakRuleModel(_RulesPart):
    """One break or lunch of a shift template."""

    length: Duration = Field(description="Time off the phones, e.g. '15min'. [duration]")
    paid: bool = Field(True, description="A paid break counts in the shift's paid length; an unpaid one "
                                         "lengthens its span.")
    start_after: tuple[Duration, Duration] = Field(
        description="[earliest, latest] start of the break counted from the shift's start, both included, "
                    "e.g. ['1h30min', '2h15min']. [duration]")


class ShiftTemplateModel(_RulesPart):
    """One kind of shift: paid length, breaks, start times, contract and cost."""

    name: str = Field(description="Unique name, e.g. 'FT8'.")
    paid: Duration = Field(description="Paid length, paid breaks included, e.g. '8h'; at most a day. [duration]")
    contract: Literal["full_time", "part_time"] = Field("full_time", description="Contract the template "
                                                                                 "belongs to.")
    cost_per_paid_hour: float | None = Field(
        None, description="Cost of one paid hour on this template. Omitted: the shifts' cost is n/a and the "
                          "cheapest schedule is the one with the fewest paid hours. [cost units per h]")
    step: Duration | None = Field(None, description="Spacing of start times, e.g. '30min'; the "
                                                    "requirement's interval when omitted. [duration]")
    starts: tuple[Clock, Clock] | None = Field(
        None, description="[earliest, latest] start, local wall-clock 'HH:MM', both included; any start that "
                          "keeps the shift inside opening hours when omitted.")
    breaks: list[BreakRuleModel] = Field(default_factory=list, description="Breaks in the order they are "
                                                                           "taken; their windows never overlap.")
    max_agents: int | None = Field(None, description="At most this many agents on this template on any "
                                                     "one day. [count]")
    within_open_hours: bool = Field(True, description="The whole shift lies inside opening hours; false lets "
                                                      "it start or end while the centre is closed.")


class WeekRulesModel(_RulesPart):
    """Weekly patterns: which days an agent works."""

    days_per_week: DaysPerWeek | dict[Literal["full_time", "part_time"], DaysPerWeek] = Field(
        5, description="Working days in the week: a number, [fewest, most], or one of those per contract. "
                       "Days with no open interval never count. [days]")
    days_off_consecutive: bool = Field(True, description="The days off form one run, counted cyclically "
                                                         "(Sunday and the next Monday are consecutive).")
    same_contract_all_week: bool = Field(True, description="An agent works only shifts of its contract; "
                                                           "false lets any agent work any template.")
    same_start_all_week: bool = Field(False, description="An agent starts at the same clock time on every "
                                                         "working day.")
    part_time_share: tuple[float, float] = Field(
        (0.0, 1.0), description="[least, most] share of the paid hours on part-time templates. [0-1]")


class ScheduleRulesModel(_RulesPart):
    """
    Shift rules of :func:`wfm.schedule_week` as a pydantic model: the schema of the rules dict.

    Validation runs :func:`schedule_rules`, so an error is the same message
    naming the field (``rules['shifts'][1] ('FT8').breaks[2].start_after
    must be ...``), raised inside a ``pydantic.ValidationError``.
    :meth:`rules` gives the :class:`ScheduleRules`; :meth:`to_dict` the
    rules dict with the keys given. A subclass may add fields of its own
    (e.g. a scenario's solver options): only the rules' keys are checked
    by :func:`schedule_rules` and returned by :meth:`to_dict`.

    Examples
    --------
    >>> model = ScheduleRulesModel.model_validate({"shifts": [{"name": "FT8", "paid": "8h"}],
    ...                                            "open_hours": {"mon": ["07:00", "21:00"]}})
    >>> model.rules().shifts[0].paid_hours, model.rules().open_hours
    (8.0, {0: (420, 1260)})
    >>> ScheduleRulesModel.model_json_schema()["properties"]["max_heads"]["description"]
    'Agents available: at most this many distinct agents in the week. [count]'
    """

    shifts: list[ShiftTemplateModel] = Field(min_length=1, description="Shift templates (at least one).")
    week: WeekRulesModel | None = Field(None, description="Weekly patterns; the defaults when omitted.")
    open_hours: str | tuple[Clock, Clock] | dict[str | int, DayHours] | None = Field(
        None, description="Opening hours on the local wall clock: {mon: ['07:00', '21:00'], ...} (a day left "
                          "out is closed), one pair for every day, or '24h'. Without it each day is open from "
                          "its first to its last interval with a positive requirement.")
    max_heads: int | None = Field(None, description="Agents available: at most this many distinct agents "
                                                    "in the week. [count]")
    max_cost: float | None = Field(None, description="Budget: at most this cost for the week. [cost units]")

    @model_validator(mode="before")
    @classmethod
    def _check(cls, data):
        if isinstance(data, dict) and "shifts" in data:  # without shifts, pydantic names the missing field
            if cls is not ScheduleRulesModel:  # a subclass (e.g. a scenario section) adds its own fields
                data_rules = {k: val for k, val in data.items() if k in _RULE_KEYS}
            else:
                data_rules = data
            try:
                schedule_rules(data_rules)
            except TypeError as err:  # pydantic reports ValueErrors; the message is the same
                raise ValueError(str(err)) from None
        return data

    def to_dict(self):
        """The rules dict, with only the keys given (nested too)."""
        return self.model_dump(exclude_unset=True, include=set(_RULE_KEYS))

    def rules(self):
        """The checked :class:`ScheduleRules`."""
        return schedule_rules(self.to_dict())


# --------------------------------------------------------------------------
# Rules on the interval grid.
# --------------------------------------------------------------------------


def _intervals(td, name, interval):
    """Whole number of intervals in ``td``, or an error naming the field."""
    n = td / pd.Timedelta(seconds=interval)
    v.check_rule(abs(n - round(n)) < 1e-9, name, v._fmt_td(td),
                 f"a whole number of {v._fmt_td(pd.Timedelta(seconds=interval))} intervals "
                 "(the requirement's interval)")
    return int(round(n))


@dataclass(frozen=True)
class GridTemplate:
    """A template in intervals of the requirement's grid."""

    index: int
    span: int
    paid: int
    step: int
    first: int | None  # earliest start, in intervals after midnight
    last: int | None
    breaks: tuple  # (earliest offset, latest offset, length) per break, in intervals


def on_grid(rules, interval):
    """
    Templates of ``rules`` in whole intervals of ``interval`` seconds.

    Every duration must be a whole number of intervals and every start
    window must sit on the grid; the error names the field.

    Parameters
    ----------
    rules : ScheduleRules
    interval : float
        The requirement's interval length. [s]

    Returns
    -------
    list of GridTemplate
        ``span``, ``paid``, ``step``, ``first``/``last`` start (intervals
        after midnight) and ``breaks`` as (earliest offset, latest offset,
        length), all in intervals.

    Examples
    --------
    >>> rules = schedule_rules({"shifts": [{"name": "FT8", "paid": "8h", "starts": ["07:00", "12:00"],
    ...     "breaks": [{"length": "30min", "paid": False, "start_after": ["3h30min", "4h30min"]}]}]})
    >>> g = on_grid(rules, 900)[0]
    >>> g.span, g.paid, g.first, g.last, g.breaks
    (34, 32, 28, 48, ((14, 18, 2),))
    """
    out = []
    for i, t in enumerate(rules.shifts):
        label = f"rules['shifts'][{i}] ({t.name!r})"
        paid = _intervals(t.paid, f"{label}.paid", interval)
        span = _intervals(t.span, f"{label}.paid", interval)
        step = 1 if t.step is None else _intervals(t.step, f"{label}.step", interval)
        first = last = None
        if t.starts is not None:
            first = _intervals(pd.Timedelta(minutes=t.starts[0]), f"{label}.starts[0]", interval)
            last = _intervals(pd.Timedelta(minutes=t.starts[1]), f"{label}.starts[1]", interval)
        breaks = []
        for k, b in enumerate(t.breaks):
            name = f"{label}.breaks[{k}]"
            breaks.append((_intervals(b.start_after[0], f"{name}.start_after[0]", interval),
                           _intervals(b.start_after[1], f"{name}.start_after[1]", interval),
                           _intervals(b.length, f"{name}.length", interval)))
        out.append(GridTemplate(i, span, paid, step, first, last, tuple(breaks)))
    return out


def weekly_patterns(open_days, days, consecutive):
    """
    Sets of working days an agent may have in the week.

    Parameters
    ----------
    open_days : sequence of bool, length 7
        Days of the week (from the requirement's first day) with an open
        interval; only these are worked.
    days : (int, int)
        Fewest and most working days; both are capped at the open days.
    consecutive : bool
        The days off (closed days included) form one cyclic run.

    Returns
    -------
    patterns : ndarray of bool, shape (patterns, 7)

    Examples
    --------
    Five of seven days with two consecutive days off: seven patterns.

    >>> weekly_patterns([True] * 7, (5, 5), True).shape
    (7, 7)
    >>> weekly_patterns([True] * 5 + [False] * 2, (5, 5), True).astype(int)
    array([[1, 1, 1, 1, 1, 0, 0]])
    """
    open_days = np.asarray(open_days, dtype=bool)
    avail = np.flatnonzero(open_days)
    lo, hi = min(days[0], avail.size), min(days[1], avail.size)
    rows = []
    for k in range(lo, hi + 1):
        for chosen in combinations(avail.tolist(), k):
            worked = np.zeros(7, dtype=bool)
            worked[list(chosen)] = True
            if consecutive:
                off = ~worked
                runs = int(np.sum(off & ~np.roll(off, 1)))  # cyclic starts of runs of days off
                if runs > 1:
                    continue
            rows.append(worked)
    return np.array(rows, dtype=bool).reshape(-1, 7)
