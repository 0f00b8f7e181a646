"""
Hiring and supply rules of a capacity plan, as one validated model.

:class:`CapacityRules` holds every rule of the supply side: attrition by
tenure band, the hiring classes (allowed start weeks, class size, classroom
training, nesting with its learning curve, training attrition, recruiting
lead time), the costs and how a shortfall is treated. It is a pydantic model
with ``extra="forbid"``, so it doubles as the ``capacity.rules`` section of a
scenario file; :func:`capacity_rules` turns a dict (or a model) into a
checked model and reports a bad field as a ``ValueError`` naming it
(``rules.attrition[13]``, ``rules.class_max``).

:class:`CapacitySection` is the proposed ``capacity:`` section of a scenario
file: demand options, the staffing targets, the staff file, the rules and the
risk run, with the same names and units as the functions they feed.

Planners' inputs: ``annual_attrition`` (an annual rate by tenure band,
converted exactly to the weekly hazard) and ``attrition_season`` (a monthly
multiplier), pay by stage (``trainee_cost_per_paid_hour``), trainer and
training costs, the limits of the MILP (``seats``, ``class_seats``,
``max_concurrent_classes``, ``trainers``, ``max_hires_per_month``,
``hiring_budget_per_month``, each per site) and the decisions a plan may
take besides classes (``release``, ``site_transfers``).

Units: weeks for every duration, fractions 0-1 for rates (``attrition`` is a
*weekly* hazard, ``annual_attrition`` an annual rate), heads for class sizes
and limits, currency per hire / per paid hour / per FTE-week / per month for
costs and budgets.
"""

from __future__ import annotations

from typing import Literal, Optional, Union

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .._validation import _suggest
from ..calendar import check_week_start
from ._checks import check_multipliers, check_seasonal_indices

__all__ = ["CapacityRules", "CapacitySection", "capacity_rules", "weekly_hazard"]


def weekly_hazard(annual_rate):
    """
    Weekly leaving probability equivalent to an annual attrition rate.

    A constant weekly hazard ``h`` keeps ``(1 - h) ** 52`` of a group over a
    year, so ``h = 1 - (1 - annual_rate) ** (1 / 52)``.

    Parameters
    ----------
    annual_rate : float or array
        Share of a group that leaves within a year. [0-1)

    Returns
    -------
    hazard : float or array
        Weekly hazard. [0-1)

    Examples
    --------
    35% annual attrition is a weekly hazard of about 0.83%:

    >>> round(weekly_hazard(0.35), 5)
    0.00825
    """
    from .. import _validation as v

    arr = v.as_float_array(annual_rate, "annual_rate")
    v.check_fraction(arr, "annual_rate", closed_low=True, closed_high=False)
    out = 1.0 - (1.0 - arr) ** (1.0 / 52.0)
    return float(out) if out.ndim == 0 else out


def _fraction(value, *, closed_high=False, what="a fraction", at_one=""):
    low_ok = value >= 0
    high_ok = value <= 1 if closed_high else value < 1
    if not (low_ok and high_ok):
        hint = ""
        if 1 <= value <= 100:
            hint = f" Did you mean {value / 100:g}? Rates are fractions, not percentages."
        if value >= 1 and not closed_high and at_one:
            hint += f" {at_one}"
        raise ValueError(f"must be {what} in [0, 1{']' if closed_high else ')'}; got {value:g}.{hint}")
    return value


#: The rate [per paid hour] the hiring MILP weighs paid time at when no cost_per_paid_hour is given: one hire at
#: REFERENCE_HIRE_COST then weighs as much as 160 paid hours. A weight of the objective, never money.
REFERENCE_RATE = 25.0
#: The cost [per head hired] the hiring MILP weighs a hire at when no cost_per_hire is given (with
#: REFERENCE_RATE: a hire weighs as much as 160 paid hours, so the plan does not hire to cover a week or two of
#: shortfall). A weight of the objective, never money: the table's hiring_cost is then n/a.
REFERENCE_HIRE_COST = 4000.0
_BOOL_FIELDS = frozenset({"release", "site_transfers"})


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CapacityRules(_Model):
    """
    Supply-side rules of a capacity plan (attrition, hiring classes, costs, shortfall).

    Every duration is in weeks counted from the plan's first week (week 0);
    every rate is a fraction; attrition is a weekly hazard by tenure band.
    """

    attrition: dict[int, float] = Field(
        default_factory=lambda: {0: 0.012, 13: 0.008, 52: 0.005},
        description="Weekly leaving hazard by tenure band: tenure at the band's start [weeks since hire] -> "
                    "hazard [0-1). The first band must start at 0. New hires usually leave faster.")
    attrition_scale: float = Field(1.0, description="What-if multiplier on every attrition hazard (1 = as given).")
    training_attrition: float = Field(
        0.05, description="Share of a class lost during classroom training [0-1), spread evenly over its weeks.")
    lead_time_weeks: int = Field(
        4, description="Recruiting lead time: the first week a new class may start [weeks from week 0].")
    start_weeks: Optional[list[int]] = Field(
        None, description="Weeks a new class may start [weeks from week 0]; null: every week from "
                          "lead_time_weeks on.")
    class_min: int = Field(1, description="Smallest class that may start [heads].")
    class_max: int = Field(20, description="Largest class [heads].")
    training_weeks: int = Field(4, description="Classroom training: paid, not productive [weeks].")
    nesting_weeks: int = Field(8, description="Nesting after training, productivity ramping to 1 [weeks].")
    nesting_productivity: float = Field(
        0.6, description="Productivity in the first nesting week; it rises linearly to 1 over nesting_weeks. [0-1]")
    learning_curve: Optional[list[float]] = Field(
        None, description="Productivity in each nesting week [0-1], overriding nesting_productivity; its length "
                          "is nesting_weeks.")
    fte_per_head: float = Field(1.0, description="Paid FTE of one agent (0.5 for a half-time agent). (0, 1]")
    fte_hours_per_week: float = Field(37.5, description="Paid hours of one FTE per week [h].")
    cost_per_hire: Optional[float] = Field(
        None, description="Recruiting cost per head hired [currency]; null: no cost given, so the hiring cost and "
                          "the total are n/a (NaN) where heads are hired, and the hiring MILP weighs a hire at "
                          "REFERENCE_HIRE_COST (4000, a weight of the objective, never shown as money). "
                          "hiring_budget_per_month needs it.")
    cost_per_class: float = Field(0.0, description="Fixed cost of running one class [currency].")
    cost_per_paid_hour: Optional[float] = Field(
        None, description="Loaded cost of one paid hour [currency per h]; null: no cost given, so pay, overtime, "
                          "a shortfall priced from pay and the total are n/a (NaN), and the hiring MILP weighs a "
                          "paid hour at REFERENCE_RATE (25, a weight of the objective, never shown as money).")
    shortfall: Literal["penalty", "hard"] = Field(
        "penalty", description="'penalty': each FTE-week short beyond the tolerance costs shortfall_penalty; "
                               "'hard': no week may be short beyond the tolerance (from the first week a new "
                               "class can be fully productive: first start + training + nesting).")
    shortfall_penalty: Optional[float] = Field(
        None, description="Cost of one FTE-week short [currency]; null: twice the paid cost of an FTE-week.")
    tolerance: float = Field(0.0, description="Share of the required FTE that may be short at no cost [0-1).")
    overtime: float = Field(0.0, description="Overtime cap as a share of the available productive FTE [0-1).")
    overtime_premium: float = Field(1.5, description="Cost of an overtime hour over a paid hour (1.5: time and "
                                                     "a half).")
    # --- attrition as planners hold it ---
    annual_attrition: Optional[dict[int, float]] = Field(
        None, description="Annual attrition by tenure band: tenure at the band's start [weeks] -> share leaving "
                          "within a year [0-1); converted exactly to the weekly hazard 1 - (1 - a) ** (1 / 52). "
                          "Replaces attrition (give one of the two).")
    attrition_season: Optional[dict[int, float]] = Field(
        None, description="Month (1-12) -> multiplier on the weekly hazard of agents on the floor in the weeks of "
                          "that month (a week takes the month of its 4th day); months left out are 1. Needs dated "
                          "demand weeks. A multiplier above 10 is refused as a percentage (150 for 1.5).")
    # --- pay by tenure stage and training costs ---
    trainee_cost_per_paid_hour: Optional[float] = Field(
        None, description="Loaded cost of a paid hour in classroom training [currency per h]; null: "
                          "cost_per_paid_hour.")
    trainer_cost_per_week: float = Field(0.0, description="Cost of the trainer(s) of one class for one week of "
                                                          "classroom training [currency per class-week].")
    training_cost_per_hire: float = Field(0.0, description="Training cost per head hired (materials, systems, "
                                                           "onboarding) [currency].")
    # --- releases: fewer staff when in surplus ---
    release: bool = Field(False, description="Let the plan release tenured agents (not replace leavers, end "
                                             "contracts) in weeks of surplus, as decisions of the MILP.")
    release_weeks: Optional[list[int]] = Field(
        None, description="Weeks a release may take effect [weeks from week 0]; null: every week.")
    cost_per_release: float = Field(0.0, description="Cost of releasing one agent (notice, severance) [currency].")
    site_transfers: bool = Field(False, description="Let the plan move tenured agents between sites, as decisions "
                                                    "of the MILP (all sites are then solved as one model).")
    site_transfer_weeks: Optional[list[int]] = Field(
        None, description="Weeks a move between sites may take effect [weeks from week 0]; null: every week.")
    cost_per_site_transfer: float = Field(0.0, description="Cost of moving one agent to another site [currency].")
    # --- limits, each a constraint of the MILP, per site ---
    seats: Optional[int] = Field(None, description="Seats of a site: at most this many expected heads on the floor "
                                                   "(graduated, nesting included) in any week [heads].")
    class_seats: Optional[int] = Field(None, description="Classroom seats of a site: at most this many expected "
                                                         "trainees in any week (committed classes included) [heads].")
    max_concurrent_classes: Optional[int] = Field(
        None, description="At most this many new classes in classroom training at once at a site [classes].")
    trainers: Optional[int] = Field(None, description="Trainers of a site; each class in training takes "
                                                      "trainers_per_class of them [heads].")
    trainers_per_class: int = Field(1, description="Trainers one class needs while in the classroom [heads].")
    max_hires_per_month: Optional[int] = Field(
        None, description="Recruiting capacity: at most this many heads may start per month at a site [heads].")
    hiring_budget_per_month: Optional[float] = Field(
        None, description="Hiring and training budget per month of a site: cost per hire, training cost per hire, "
                          "class and trainer costs of the classes starting that month [currency].")

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool(cls, value, info):
        if isinstance(value, bool) and info.field_name not in _BOOL_FIELDS:
            raise ValueError(f"must be a number, not a boolean; got {value!r}.")
        return value

    @field_validator("attrition")
    @classmethod
    def _attrition(cls, value, what="a weekly hazard (fraction)",
                   at_one="A weekly hazard of 1 or more (100%) would empty the group in one week."):
        if not value:
            raise ValueError("must hold at least one band, e.g. {0: 0.01}.")
        if min(value) != 0:
            raise ValueError(f"must start a band at tenure 0 weeks; the first band starts at {min(value)}.")
        for start, rate in value.items():
            if start < 0:
                raise ValueError(f"band starts are tenures in weeks >= 0; got {start}.")
            try:
                _fraction(rate, what=what, at_one=at_one)
            except ValueError as err:
                raise ValueError(f"[{start}] {err}") from None
        return dict(sorted(value.items()))

    @field_validator("training_attrition", "tolerance", "overtime")
    @classmethod
    def _rate(cls, value):
        return _fraction(value)

    @field_validator("nesting_productivity", "fte_per_head")
    @classmethod
    def _share(cls, value):
        if not 0 < value <= 1:
            raise ValueError(f"must be a fraction in (0, 1]; got {value:g}.")
        return value

    @field_validator("attrition_scale", "overtime_premium")
    @classmethod
    def _scale(cls, value):
        if not value >= 0:
            raise ValueError(f"must be >= 0; got {value:g}.")
        return value

    @field_validator("lead_time_weeks", "training_weeks", "nesting_weeks")
    @classmethod
    def _weeks(cls, value):
        if value < 0:
            raise ValueError(f"must be a whole number of weeks >= 0; got {value}.")
        return value

    @field_validator("class_min", "class_max")
    @classmethod
    def _heads(cls, value):
        if value < 0:
            raise ValueError(f"must be a whole number of heads >= 0; got {value}.")
        return value

    @field_validator("fte_hours_per_week")
    @classmethod
    def _hours(cls, value):
        if not value > 0:
            raise ValueError(f"must be > 0 hours; got {value:g}.")
        return value

    @field_validator("annual_attrition")
    @classmethod
    def _annual(cls, value):
        return None if value is None else cls._attrition(
            value, what="an annual attrition rate (fraction leaving within a year)",
            at_one="An annual attrition of 1 or more (100%) would empty the group within the year.")

    @field_validator("attrition_season")
    @classmethod
    def _season(cls, value):
        if value is None:
            return value
        bad = [m for m in value if not 1 <= m <= 12]
        if bad:
            raise ValueError(f"must map months 1-12 to multipliers; got the keys {bad[:5]}.")
        neg = {m: f for m, f in value.items() if not (f >= 0 and np.isfinite(f))}
        if neg:
            raise ValueError(f"multipliers must be finite and >= 0; got {neg}.")
        return check_multipliers(value, what="Attrition-season multipliers",
                                 example="1.5: half again the leavers of an average month",
                                 typical="a month rarely loses more than about 3 times the agents of an average one",
                                 above="a month losing over {limit} times the agents of an average one")

    @field_validator("seats", "class_seats", "max_concurrent_classes", "trainers", "max_hires_per_month")
    @classmethod
    def _limit(cls, value):
        if value is not None and value < 0:
            raise ValueError(f"must be a whole number >= 0 (null: no limit); got {value}.")
        return value

    @field_validator("trainers_per_class")
    @classmethod
    def _tpc(cls, value):
        if value < 1:
            raise ValueError(f"must be a whole number >= 1; got {value}.")
        return value

    @field_validator("cost_per_hire", "cost_per_class", "cost_per_paid_hour", "shortfall_penalty",
                     "trainee_cost_per_paid_hour", "trainer_cost_per_week", "training_cost_per_hire",
                     "hiring_budget_per_month", "cost_per_release", "cost_per_site_transfer")
    @classmethod
    def _cost(cls, value):
        if value is not None and not (value >= 0 and np.isfinite(value)):
            raise ValueError(f"must be a finite cost >= 0; got {value:g}.")
        return value

    @field_validator("start_weeks", "release_weeks", "site_transfer_weeks")
    @classmethod
    def _starts(cls, value):
        if value is None:
            return value
        bad = [w for w in value if w < 0]
        if bad:
            raise ValueError(f"must be weeks >= 0 from the plan's first week; got {bad[:5]}.")
        return sorted(set(value))

    @field_validator("learning_curve")
    @classmethod
    def _curve(cls, value):
        if value is None:
            return value
        bad = [p for p in value if not 0 <= p <= 1]
        if bad:
            raise ValueError(f"must hold productivities in [0, 1]; got {bad[:3]}.")
        return value

    @model_validator(mode="after")
    def _together(self):
        default = type(self).model_fields["attrition"].default_factory()
        if self.annual_attrition is not None and "attrition" in self.model_fields_set and self.attrition != default:
            raise ValueError("give attrition (weekly hazards) or annual_attrition (annual rates), not both.")
        if self.class_min > self.class_max:
            raise ValueError(f"class_min ({self.class_min}) must be <= class_max ({self.class_max}).")
        if self.learning_curve is not None and len(self.learning_curve) != self.nesting_weeks:
            raise ValueError(f"learning_curve must hold one productivity per nesting week: nesting_weeks is "
                             f"{self.nesting_weeks}, learning_curve has {len(self.learning_curve)} values.")
        if self.hiring_budget_per_month is not None and self.cost_per_hire is None:
            raise ValueError(f"hiring_budget_per_month ({self.hiring_budget_per_month:g}) caps the money spent on "
                             "hiring each month, which needs cost_per_hire (the recruiting cost of one head, e.g. "
                             "cost_per_hire: 4000); give it, or leave the budget out.")
        if self.start_weeks is not None and self.start_weeks and min(self.start_weeks) < self.lead_time_weeks:
            early = [w for w in self.start_weeks if w < self.lead_time_weeks]
            raise ValueError(f"start_weeks {early[:5]} come before lead_time_weeks ({self.lead_time_weeks}): "
                             "a class cannot start before recruiting is done.")
        return self

    # ------------------------------------------------------------------
    # Derived quantities (numpy), used by the cohort model.
    # ------------------------------------------------------------------

    @property
    def priced(self) -> bool:
        """Whether a cost of a paid hour was given (else the money that depends on it is n/a)."""
        return self.cost_per_paid_hour is not None

    @property
    def pay_rate(self) -> float:
        """The rate the MILP weighs a paid hour at: ``cost_per_paid_hour``, or :data:`REFERENCE_RATE` when none."""
        return REFERENCE_RATE if self.cost_per_paid_hour is None else float(self.cost_per_paid_hour)

    @property
    def penalty(self) -> float:
        """Cost of one FTE-week short beyond the tolerance [currency]."""
        if self.shortfall_penalty is not None:
            return float(self.shortfall_penalty)
        return 2.0 * self.fte_hours_per_week * self.pay_rate

    @property
    def paid_week_cost(self) -> float:
        """Paid cost of one head for one week [currency]."""
        return self.fte_per_head * self.fte_hours_per_week * self.pay_rate

    @property
    def overtime_cost(self) -> float:
        """Cost of one productive FTE-week of overtime [currency]."""
        return self.overtime_premium * self.fte_hours_per_week * self.pay_rate

    @property
    def weekly_attrition(self) -> dict:
        """Weekly hazard by tenure band: ``attrition``, or ``annual_attrition`` converted exactly."""
        if self.annual_attrition is None:
            return self.attrition
        return {k: float(1.0 - (1.0 - a) ** (1.0 / 52.0)) for k, a in self.annual_attrition.items()}

    @property
    def trainee_week_cost(self) -> float:
        """Paid cost of one head in classroom training for one week [currency]."""
        rate = self.pay_rate if self.trainee_cost_per_paid_hour is None else self.trainee_cost_per_paid_hour
        return self.fte_per_head * self.fte_hours_per_week * rate

    @property
    def class_cost(self) -> float:
        """Fixed cost of one new class: cost_per_class plus its trainers over training_weeks [currency]."""
        return self.cost_per_class + self.trainer_cost_per_week * self.training_weeks

    @property
    def hire_priced(self) -> bool:
        """Whether a cost per hire was given (else the hiring cost is n/a)."""
        return self.cost_per_hire is not None

    @property
    def hire_cost(self) -> float:
        """Cost per head hired the MILP weighs: recruiting (``cost_per_hire``, or :data:`REFERENCE_HIRE_COST` when
        none) plus training [currency]."""
        recruiting = REFERENCE_HIRE_COST if self.cost_per_hire is None else float(self.cost_per_hire)
        return recruiting + self.training_cost_per_hire

    @property
    def class_limit(self):
        """Most new classes in training at once at a site (concurrent classes and trainers), or None."""
        limits = [self.max_concurrent_classes] if self.max_concurrent_classes is not None else []
        if self.trainers is not None:
            limits.append(self.trainers // self.trainers_per_class)
        return min(limits) if limits else None

    def season_of(self, weeks):
        """Multiplier on the floor hazard in each week (ones without ``attrition_season``); ``weeks`` dated."""
        if self.attrition_season is None:
            return None
        if not isinstance(weeks, pd.DatetimeIndex):
            raise ValueError("rules.attrition_season needs dated weeks: give the demand's week as week-start dates "
                             "(or leave attrition_season out).")
        month = (weeks + pd.Timedelta(days=3)).month
        return np.array([self.attrition_season.get(int(m), 1.0) for m in month], dtype=float)

    def nesting_curve(self) -> np.ndarray:
        """Productivity in each nesting week (length ``nesting_weeks``)."""
        if self.learning_curve is not None:
            return np.asarray(self.learning_curve, dtype=float)
        n = self.nesting_weeks
        return self.nesting_productivity + (1.0 - self.nesting_productivity) * np.arange(n) / max(n, 1)

    def training_hazard(self, train_len=None):
        """Weekly hazard in the classroom that loses ``training_attrition`` over a class of ``train_len`` weeks.

        ``training_attrition`` is the share lost over the whole class, so a
        committed class longer than ``training_weeks`` has a lower weekly
        hazard and loses the same share in total. [0-1)
        """
        n = np.asarray(self.training_weeks if train_len is None else train_len, dtype=float)
        out = np.where(n > 0, 1.0 - (1.0 - self.training_attrition) ** (1.0 / np.maximum(n, 1.0)), 0.0)
        return float(out) if out.ndim == 0 else out

    def tenured_age(self) -> int:
        """Tenure [weeks] from which hazard and productivity no longer change."""
        return int(max(max(self.weekly_attrition), self.training_weeks + self.nesting_weeks))

    def hazard(self, age, train_len=None, season=None):
        """Weekly hazard at tenure ``age`` [weeks since hire] (classroom hazard before ``train_len``).

        ``season`` multiplies the floor hazard week by week (broadcast against ``age``); capped below 1.
        """
        train_len = self.training_weeks if train_len is None else train_len
        age = np.asarray(age)
        bands = self.weekly_attrition
        starts = np.fromiter(bands, dtype=float)
        rates = np.minimum(np.fromiter(bands.values(), dtype=float) * self.attrition_scale, 1.0)
        band = rates[np.clip(np.searchsorted(starts, age, side="right") - 1, 0, None)]
        if season is not None:
            band = np.minimum(band * season, 1.0 - 1e-12)
        return np.where(age < train_len, self.training_hazard(train_len), band)

    def productivity(self, age, train_len=None):
        """Productivity at tenure ``age`` [weeks since hire]: 0 in training, the curve in nesting, then 1."""
        train_len = self.training_weeks if train_len is None else train_len
        age = np.asarray(age)
        curve = self.nesting_curve()
        k = age - train_len
        nest = curve[np.clip(k, 0, max(len(curve) - 1, 0))] if len(curve) else np.ones(np.shape(age))
        return np.where(k < 0, 0.0, np.where(k < len(curve), nest, 1.0))


def _loc_text(loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def capacity_rules(rules=None, **overrides) -> CapacityRules:
    """
    Checked :class:`CapacityRules` from a dict, a model or keyword overrides.

    Parameters
    ----------
    rules : dict or CapacityRules, optional
        The rules; missing keys take their defaults (documented on each field).
    **overrides
        Fields to replace, e.g. ``attrition_scale=1.2``.

    Returns
    -------
    rules : CapacityRules

    Raises
    ------
    ValueError
        For a bad or unknown field, naming it (``rules.class_max``) and saying
        what it must be.
    TypeError
        When ``rules`` is neither a dict nor a :class:`CapacityRules`.

    Examples
    --------
    >>> r = capacity_rules({"training_weeks": 3, "nesting_weeks": 2, "nesting_productivity": 0.5})
    >>> r.productivity([0, 2, 3, 4, 5]).tolist()
    [0.0, 0.0, 0.5, 0.75, 1.0]
    """
    if rules is None:
        data = {}
    elif isinstance(rules, CapacityRules):
        data = rules.model_dump(exclude_unset=True)
    elif isinstance(rules, dict):
        data = dict(rules)
    else:
        raise TypeError(f"rules must be a dict or a CapacityRules; got {type(rules).__name__}.")
    data.update(overrides)
    fields = list(CapacityRules.model_fields)
    for key in data:
        if key not in fields:
            raise ValueError(f"rules has unknown key {key!r}.{_suggest(key, fields)} The keys are {fields}.")
    try:
        return CapacityRules(**data)
    except ValidationError as err:
        first = err.errors()[0]
        where = _loc_text(first["loc"])
        msg = first["msg"].removeprefix("Value error, ")
        field = f"rules.{where}" if where else "rules"
        if first["type"] in ("int_parsing", "int_from_float", "float_parsing", "bool_parsing", "dict_type",
                             "list_type", "literal_error", "float_type", "int_type"):
            raise ValueError(f"{field}: {msg}; got {first.get('input')!r}.") from None
        raise ValueError(f"{field} {msg}" if not msg.startswith("[") else f"{field}{msg}") from None


# --------------------------------------------------------------------------
# The proposed ``capacity:`` section of a scenario file.
# --------------------------------------------------------------------------


class CapacityDemand(_Model):
    """Keys of :func:`wfm.capacity.weekly_forecast` (the history comes from the scenario's ``data``)."""

    weeks: int = Field(78, ge=1, description="Plan horizon [weeks].")
    start: Optional[str] = Field(None, description="First week (a date; moved back to its week's start); null: the "
                                                   "week after the history.")
    week_start: Optional[str] = Field(
        None, description="Weekday the plan's weeks start on: MON ... SUN; null: in a scenario the horizon's "
                          "week_start (the weekly plan's weeks), else (and in Python) inferred from the history's "
                          "open days.")
    aht: Union[float, list[float], Literal["history"]] = Field(
        300.0, description="AHT per week [s]: one number, one per week, or 'history' (trend of the history's AHT); "
                           "in a scenario, left out: the scenario's aht (a number, or 'history' for aht.forecast).")
    seasonal_indices: Optional[dict[int, float]] = Field(
        None, description="Month (1-12) or ISO week (1-52) -> relative volume, for histories under a year.")
    damping: float = Field(0.98, gt=0, le=1, description="Weekly damping of the trend (1: linear trend).")
    level: float = Field(0.8, gt=0, lt=1, description="Coverage of the volume and AHT bands.")
    trend_weeks: Optional[int] = Field(None, ge=4, description="Weeks of history the trend is fitted on.")
    growth: float = Field(0.0, gt=-1, description="What-if volume growth per year on top of the trend.")
    aht_factor: float = Field(1.0, gt=0, description="What-if multiplier on AHT.")

    @field_validator("seasonal_indices")
    @classmethod
    def _seasonal(cls, value):
        return value if value is None else check_seasonal_indices(value)

    @field_validator("week_start", mode="before")
    @classmethod
    def _week_start(cls, value):
        return value if value is None else ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")[check_week_start(value)]


class CapacityStaffing(_Model):
    """Keys of :func:`wfm.capacity.required_fte` (the same targets as the weekly staffing section).

    In a scenario, a key left out takes the value of the scenario's ``staffing`` section (what the weekly plan
    uses, its defaults included; :func:`wfm.scenario.long_term.inherited_section`); the defaults below apply
    to the section on its own."""

    model: Literal["erlang_c", "erlang_a"] = "erlang_c"
    service_level: Optional[float] = Field(0.8, gt=0, le=1)
    threshold: Optional[float] = Field(20.0, gt=0, description="[s]")
    patience: Optional[float] = Field(None, gt=0, description="[s]")
    max_asa: Optional[float] = Field(None, gt=0, description="[s]")
    max_occupancy: Optional[float] = Field(None, gt=0, le=1)
    max_abandon_rate: Optional[float] = Field(None, gt=0, le=1)
    sl_definition: Literal["offered", "exclude_short_abandons"] = "offered"
    shrinkage: Union[float, dict[int, float], dict[str, Union[float, dict[int, float], list[float]]]] = Field(
        0.3, description="Total shrinkage (a fraction or month (1-12) -> fraction), or named components, each a "
                         "fraction, month -> fraction, or one value per week.")
    shrinkage_method: Literal["additive", "multiplicative"] = "additive"
    fte_hours_per_week: float = Field(37.5, gt=0, description="[h]")
    schedule_factor: float = Field(
        1.0, gt=0, description="Paid hours a schedule needs per paid hour of the interval requirement; 1: plan on "
                               "the interval requirement (StaffingPlan.totals), the weekly job's headline FTE / "
                               "the plan's FTE: plan on the scheduled basis.")


class CapacityRiskOptions(_Model):
    """Keys of :func:`wfm.capacity.capacity_risk`."""

    paths: int = Field(2000, ge=10)
    seed: int = 0
    max_short_probability: float = Field(0.1, gt=0, lt=1)
    volume_correlation: float = Field(0.8, ge=0, le=1)
    attrition: bool = True
    volume: bool = True
    hedge: bool = True
    rounds: int = Field(3, ge=0)


class CapacitySection(_Model):
    """
    The proposed ``capacity:`` section of a scenario file.

    ``staff`` is a CSV/Parquet file (relative to the scenario file) of cohorts
    (``site``, ``headcount``, ``tenure_weeks`` or ``hire_date``, optional
    ``productivity``) or one row per agent; ``transfers`` and ``classes`` are
    optional files of :func:`wfm.capacity.capacity_plan`'s tables. A grid
    varies e.g. ``capacity.rules.attrition_scale``, ``capacity.demand.growth``,
    ``capacity.demand.aht_factor`` or ``capacity.staffing.service_level``.
    """

    demand: CapacityDemand = Field(default_factory=CapacityDemand)
    staffing: CapacityStaffing = Field(default_factory=CapacityStaffing)
    staff: str = Field(..., description="Staff file: cohorts or one row per agent.")
    dayfirst: Optional[bool] = Field(None, description="The staff file's numeric hire dates are day-first "
                                                       "(10/01/2003 = 10 January); needed when a date reads both "
                                                       "ways, never guessed.")
    date_format: Optional[str] = Field(None, description="strptime format of the staff file's hire_date column.")
    transfers: Optional[str] = None
    classes: Optional[str] = None
    rules: CapacityRules = Field(default_factory=CapacityRules)
    requirement: Literal["forecast", "lower", "upper"] = "forecast"
    method: Literal["milp", "greedy"] = "milp"
    risk: Optional[CapacityRiskOptions] = None
    time_limit: float = Field(20.0, gt=0, description="MILP time limit per site [s].")
    mip_rel_gap: float = Field(1e-3, ge=0, lt=1, description="Relative MIP gap at which HiGHS stops.")
