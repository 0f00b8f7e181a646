r"""
The scenario file: its sections, their keys, and the one-line errors for bad ones.

A scenario is one YAML mapping whose top-level sections follow the pipeline
(data -> horizon -> forecast -> aht -> staffing -> schedule -> simulate ->
kpis -> costs) and whose keys are the arguments of the wfm functions each
section feeds, with the same names and units (seconds, fractions 0-1, calls
per interval). Every section is a pydantic model with ``extra="forbid"``: an
unknown key is an error naming the key, its section and the file, never
silently ignored.

========== ===================================================================================
section    keys (and the function they go to)
========== ===================================================================================
name       the scenario's name (required; labels outputs)
data       ``dataset`` (``bank_calls``) and ``freq``, or ``path`` (CSV/Parquet) with the column
           names of :func:`wfm.logs.read_history` (``timestamp``, ``calls``, ``aht``,
           ``handle_time``, ``interval``, ``tz``, ``sort``) and ``queue`` (a column that
           splits the file into queues, each planned on its own)
horizon    :func:`wfm.future_intervals`: ``days``, ``start``, ``open_hours``, ``open_days``,
           ``holidays``, ``special_days`` (the calendar keys also reach the forecast)
forecast   :func:`wfm.forecast.forecast`: ``method``, ``level``, ``n_windows``,
           ``candidates`` and the method options (``weeks``, ``alpha``, ...);
           ``volume_factor`` (what-if multiplier on forecast and band, default 1);
           ``backtest`` (:func:`wfm.backtest`: ``n_origins``, ``horizon``, ``levels``; null skips)
aht        average handle time [s]: a number, ``{profile: {"07:00": 320, "12:00": 290}}``
           (time of day -> seconds, each value holding until the next time),
           or ``{forecast: {weeks, smooth, cv}}`` (:func:`wfm.forecast_aht` on the history's
           AHT); ``factor`` scales any of them (what-if, default 1)
staffing   :func:`wfm.staffing_plan_from_forecast`: ``model``, ``service_level``,
           ``threshold``, ``patience``, ``max_asa``, ``max_occupancy``, ``max_abandon_rate``,
           ``sl_definition``, ``min_agents``, ``shrinkage`` (total or components),
           ``shrinkage_method``, ``fte_hours_per_week``, ``method`` (``quantile``,
           ``expected``, or ``point``: :func:`wfm.staffing_plan` on the point forecast),
           ``probability``, ``distribution``
schedule   :func:`wfm.schedule_week`: the rules dict (``shifts``, ``week``, ``open_hours``,
           ``max_heads``, ``max_cost``) and ``time_limit``, ``mip_gap``, ``allow_shortfall``,
           ``solver``; ``variants``: grid variants sized too (besides ``base``)
simulate   :func:`wfm.verify_plan`: ``replications``, ``seed``, ``level``, ``handle_cv``
kpis       ``targets`` (a KPI targets YAML, e.g. ``kpi_targets.yaml``, or the same mapping)
           and ``freq`` for :func:`wfm.evaluate.kpis` and :func:`wfm.scorecard`
costs      the ``costs`` of :func:`wfm.evaluate.kpis`: ``paid_hour``, ``telephony_minute``,
           ``fixed``, ``budget``; ``currency`` labels them
channels   chat, deferred work (e-mail, back office; blended into the voice plan), redials and callbacks
           beside the voice plan (:mod:`wfm.channels.section`)
grid       what-if grid: dotted key path -> list of values, e.g.
           ``staffing.service_level: [0.8, 0.9]``; the cartesian product is the variants
queues     per-queue overrides: queue -> {dotted key path: value}
output     ``dir``, ``tables`` (csv, parquet), ``plots``, ``html``, ``excel``
skills     a multi-skill centre (:class:`SkillsSection`): the keys of a ``wfm skills`` centre file
           (:mod:`wfm.scenario.skills`), staffed by :func:`wfm.skills.staff_centre`
========== ===================================================================================

Paths in the file (``data.path``, ``kpis.targets``) are relative to the
file's folder. :func:`scenario_schema` exports the JSON Schema of all this.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
from typing import Any, ClassVar, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .._validation import field_count, field_fraction, field_positive
from ..capacity import CapacitySection
from ..channels.section import ChannelsSection
from ..evaluate import KpiTargets
from ..forecast import METHODS
from ..schedule import ScheduleRulesModel
from .skills import STAFFING_KEYS

__all__ = ["Scenario", "ScenarioError", "validation_message", "scenario_schema", "SECTIONS", "GRID_SECTIONS",
           "SkillsSection"]

#: Top-level sections, in pipeline order.
SECTIONS = ("name", "description", "data", "horizon", "forecast", "aht", "staffing", "schedule", "simulate", "kpis",
            "costs", "grid", "queues", "output", "skills")
#: Sections a grid (or a queue override) may vary.
GRID_SECTIONS = ("forecast", "aht", "staffing", "schedule", "simulate", "costs")
FORECAST_METHODS = ("auto", *METHODS)
_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class ScenarioError(ValueError):
    """A scenario file (or its data) is bad: one line with the file, the key path and the bad value."""

    def __init__(self, message, *, path=None, key=None):
        self.path = path
        self.key = key
        where = f"{path}: " if path else ""
        at = f"{key}: " if key else ""
        super().__init__(f"{where}{at}{message}")
        self.message = message


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


# --------------------------------------------------------------------------
# Sections.
# --------------------------------------------------------------------------


class Data(_Section):
    """Interval history: the bundled data set, or a CSV/Parquet file with its column names."""

    dataset: Optional[Literal["bank_calls"]] = Field(
        None, description="A bundled data set (wfm.datasets); give this or path.")
    freq: Literal["5min", "15min", "30min", "60min"] = Field(
        "30min", description="Interval length of the bundled data set.")
    path: Optional[str] = Field(None, description="CSV (.csv, .csv.gz) or Parquet file of interval history, "
                                                  "relative to the scenario file's folder.")
    timestamp: str = Field("timestamp", description="Column of interval starts.")
    calls: str = Field("calls", description="Column of calls offered per interval. [calls per interval]")
    aht: Optional[str] = Field(None, description="Column of AHT per interval [s].")
    handle_time: Optional[str] = Field(None, description="Column of total handle time per interval [s].")
    interval: Optional[Union[float, str]] = Field(None, description="Interval length [s] or e.g. '30min'; "
                                                                    "inferred when null.")
    tz: Optional[str] = Field(None, description="Time zone of the timestamps.")
    sort: bool = Field(False, description="Sort rows by time instead of rejecting unsorted rows.")
    queue: Optional[str] = Field(None, description="Column naming the queue of each row; each queue is planned "
                                                   "on its own.")
    columns: Optional[dict[str, str]] = Field(None, description="Role -> column name, e.g. {date: Date, time: "
                                                             "Interval, calls: Offered} (wfm.logs.read_history).")
    date: Optional[str] = Field(None, description="Column of the interval's date, with 'time' for reports that split "
                                                  "them (then 'timestamp' is not read).")
    time: Optional[str] = Field(None, description="Column of the interval's start on the clock ('08:00').")
    answered: Optional[str] = Field(None, description="Column of contacts answered. [calls per interval]")
    abandoned: Optional[str] = Field(None, description="Column of contacts abandoned. [calls per interval]")
    answered_within: Optional[str] = Field(None, description="Column of contacts answered within the threshold.")
    abandoned_within: Optional[str] = Field(None, description="Column of contacts abandoned within the threshold.")
    dayfirst: Optional[bool] = Field(None, description="Numeric dates are day-first (01/10/2003 = 1 October); "
                                                       "needed when a date reads both ways, never guessed.")
    date_format: Optional[str] = Field(None, description="strptime format of the timestamp or date column.")
    missing: Literal["error", "zero", "closed", "interpolate"] = Field(
        "error", description="What an interval missing inside the open hours means (wfm.logs.fill_missing).")
    exclude: Optional[Union[str, dict, list]] = Field(
        None, description="Rows to leave out before reading: an expression on the file's column names (\"Interval "
                          "== 'Total'\"), a dict column -> value(s), or a list of them (wfm.logs.read_history).")
    on_bad_rows: Literal["error", "reject"] = Field(
        "error", description="A row breaking a rule on its own: an error, or set aside (reject) and counted.")

    @model_validator(mode="after")
    def _one_source(self):
        if (self.dataset is None) == (self.path is None):
            raise ValueError("give exactly one of 'dataset' (e.g. bank_calls) and 'path' (a CSV or Parquet file); "
                             f"got {'both' if self.dataset else 'neither'}.")
        if self.aht is not None and self.handle_time is not None:
            raise ValueError("give 'aht' or 'handle_time' (column names), not both.")
        return self


class Horizon(_Section):
    """The open intervals to plan: :func:`wfm.future_intervals` after the history ends."""

    days: int = Field(5, description="Open days to plan. [days]")
    start: Optional[Union[_dt.datetime, _dt.date, str]] = Field(
        None, description="First instant to plan; default the end of the history.")
    open_hours: Optional[Any] = Field(None, description="Opening hours override, as in wfm.calendar.open_calendar.")
    open_days: Optional[Any] = Field(None, description="Open weekdays override.")
    holidays: Optional[Any] = Field(None, description="Holidays: a country code ('US') or a list of dates.")
    special_days: Optional[Any] = Field(None, description="Closed, partial or abnormal days.")

    #: The keys that override the calendar read from the history.
    CALENDAR_KEYS: ClassVar[tuple] = ("open_hours", "open_days", "holidays", "special_days")

    def calendar_options(self):
        """The calendar overrides given, as keyword arguments of :func:`wfm.calendar.open_calendar`."""
        return {k: getattr(self, k) for k in self.CALENDAR_KEYS if getattr(self, k) is not None}
    week_start: str = Field("MON", description="Weekday planning weeks start on: MON ... SUN (wfm.calendar.week_of); "
                            "weekly figures and multi-week schedules split on it. Left out: the first open day "
                            "after the history's closed days (wfm.calendar.infer_week_start; SUN for a "
                            "Sunday-Thursday centre), said in the run's summary.")

    check_days = field_validator("days")(classmethod(lambda cls, value: field_count(value, "open days")))


class BacktestSection(_Section):
    """Rolling-origin backtest of the forecast method on the weeks before the horizon (:func:`wfm.backtest`)."""

    n_origins: int = Field(4, description="Weekly origins (the last Mondays). [count]")
    horizon: Optional[int] = Field(None, description="Open days forecast from each origin; default horizon.days.")
    levels: list[Literal["interval", "hour", "day", "week"]] = Field(["interval", "day"])

    @field_validator("n_origins")
    @classmethod
    def _n(cls, value):
        if value < 1:
            raise ValueError(f"must be >= 1; got {value}. Set forecast.backtest to null to skip the backtest.")
        return value


class ForecastSection(_Section):
    """Volume forecast with a calibrated band (:func:`wfm.forecast.forecast`)."""

    method: Literal[FORECAST_METHODS] = Field("auto", description="Forecast method; auto picks by backtest.")
    level: float = Field(0.8, description="Coverage of the band. [0-1)")
    n_windows: Optional[int] = Field(None, description="Origins of the in-history backtest that selects the method "
                                                      "and calibrates the band; null: the method's default.")
    candidates: Optional[list[Literal[FORECAST_METHODS[1:]]]] = Field(None, description="Methods auto compares.")
    weeks: Optional[int] = Field(None, description="Weeks of history the method looks at.")
    alpha: Optional[Union[float, str]] = Field(None, description="topdown: daily-level smoothing weight.")
    month: Optional[bool] = Field(None, description="topdown: turn-of-month effects.")
    backlog: Optional[bool] = Field(None, description="topdown: backlog after closed days.")
    level_model: Optional[str] = Field(None, description="topdown: daily level model.")
    halflife: Optional[float] = Field(None, description="topdown: profile half-life [weeks].")
    season: Optional[int] = Field(None, description="baselines: season length [intervals].")
    skip_abnormal: Optional[bool] = Field(None, description="window_average: skip abnormal days.")
    decay: Optional[float] = Field(None, description="weighted_average, window_average: weight of each week "
                                                    "relative to the week after it. (0-1]")
    trend: Optional[str] = Field(None, description="ets: trend component.")
    seasonal: Optional[str] = Field(None, description="ets: seasonal component.")
    log: Optional[bool] = Field(None, description="mstl: model log volumes.")
    volume_factor: float = Field(1.0, description="What-if multiplier on the forecast and its band (1.1 = "
                                                  "10% more calls). [ratio]")
    backtest: Optional[BacktestSection] = Field(default_factory=BacktestSection, description="null skips the backtest.")

    check_level = field_validator("level")(classmethod(lambda cls, v: field_fraction(v, high_closed=False)))
    check_decay = field_validator("decay")(classmethod(lambda cls, v: field_fraction(v, allow_none=True)))
    check_factor = field_validator("volume_factor")(classmethod(lambda cls, v: field_positive(v, "", allow_none=False)))

    check_count = field_validator("n_windows", "weeks")(classmethod(lambda cls, value: field_count(value)))


class AhtForecast(_Section):
    """:func:`wfm.forecast_aht` options."""

    weeks: int = 8
    smooth: bool = True
    cv: float = 1.0


class Aht(_Section):
    """Average handle time [s]: one value, a time-of-day profile or a forecast, times ``factor``."""

    value: Optional[float] = Field(None, description="One AHT for every interval. [s]")
    profile: Optional[dict[str, float]] = Field(
        None, description="Time of day 'HH:MM' -> AHT [s]; each value holds until the next time.")
    forecast: Optional[AhtForecast] = Field(None, description="Forecast from the history's AHT column "
                                                              "(data.aht or data.handle_time); true for the "
                                                              "defaults.")
    factor: float = Field(1.0, description="What-if multiplier on the AHT (1.1 = 10% longer). [ratio]")

    @model_validator(mode="before")
    @classmethod
    def _scalar(cls, value):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return {"value": value}
        if not isinstance(value, dict):
            raise ValueError("must be a number of seconds, {profile: {'HH:MM': seconds}} or {forecast: {...}}; "
                             f"got {value!r}.")
        if value.get("forecast") is True:  # forecast: true, the forecast with its defaults
            value = {**value, "forecast": {}}
        elif value.get("forecast") is False:
            value = {k: x for k, x in value.items() if k != "forecast"}
        return value

    @model_validator(mode="after")
    def _one(self):
        given = [k for k in ("value", "profile", "forecast") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give one of a number of seconds, 'profile' or 'forecast'; got "
                             f"{' and '.join(given) if given else 'none of them'}.")
        if self.value is not None:
            field_positive(self.value, "seconds", allow_none=False)
        if self.profile is not None:
            if not self.profile:
                raise ValueError("profile must map at least one 'HH:MM' time of day to seconds; got {}.")
            for key, val in self.profile.items():
                if not _CLOCK.match(str(key)):
                    raise ValueError(f"profile keys must be times of day 'HH:MM'; got {key!r}.")
                if not val > 0:
                    raise ValueError(f"profile[{key!r}] must be > 0 seconds; got {val:g}.")
        field_positive(self.factor, "", allow_none=False)
        return self


class Staffing(_Section):
    """Agents per interval to the forecast distribution (:func:`wfm.staffing_plan_from_forecast`)."""

    model: Literal["erlang_c", "erlang_a"] = "erlang_c"
    service_level: Optional[float] = Field(0.8, description="Target fraction answered within threshold. [0-1]")
    threshold: float = Field(20.0, description="Answer-time target of the service level. [s]")
    patience: Optional[float] = Field(None, description="Mean patience, Erlang A. [s]")
    max_asa: Optional[float] = Field(None, description="ASA cap. [s]")
    max_occupancy: Optional[float] = Field(None, description="Occupancy cap. [0-1]")
    max_abandon_rate: Optional[float] = Field(None, description="Abandon-rate cap, Erlang A. [0-1]")
    sl_definition: Literal["offered", "exclude_short_abandons"] = Field(
        "offered", description="Service-level base: all calls offered, or offered less the abandons before "
                               "threshold (in staffing, schedule, simulation and the KPIs alike).")
    min_agents: Optional[int] = Field(None, description="Fewest agents in an open interval. [count]")
    shrinkage: Union[float, dict[str, float]] = Field(
        0.0, description="Share of paid time off the phones: a total or named components. [0-1)")
    shrinkage_method: Literal["additive", "multiplicative"] = "additive"
    fte_hours_per_week: float = Field(37.5, description="Paid hours of one FTE per week. [h]")
    method: Literal["quantile", "expected", "point"] = Field(
        "quantile", description="quantile or expected: to the forecast distribution; point: "
                                "wfm.staffing_plan on the point forecast.")
    probability: float = Field(0.8, description="Quantile of the rate staffed for (method quantile). [0-1]")
    distribution: Literal["gamma", "normal"] = "gamma"

    check_sl = field_validator("service_level")(classmethod(lambda cls, v: field_fraction(v, allow_none=True)))
    check_occ = field_validator("max_occupancy", "max_abandon_rate")(
        classmethod(lambda cls, v: field_fraction(v, allow_none=True)))
    check_prob = field_validator("probability")(classmethod(lambda cls, v: field_fraction(v, high_closed=False)))
    check_thr = field_validator("threshold")(classmethod(lambda cls, v: field_positive(v, "seconds", allow_zero=True)))
    check_pos = field_validator("patience", "max_asa", "fte_hours_per_week")(
        classmethod(lambda cls, v: field_positive(v, "")))

    @field_validator("min_agents")
    @classmethod
    def _min(cls, value):
        if value is not None and value < 0:
            raise ValueError(f"must be a whole number >= 0; got {value}.")
        return value

    @field_validator("shrinkage")
    @classmethod
    def _shrinkage(cls, value):
        parts = value.items() if isinstance(value, dict) else [(None, value)]
        for name, part in parts:
            try:
                field_fraction(part, low_closed=True, high_closed=False)
            except ValueError as err:
                raise ValueError(f"component {name!r} {err}" if name else str(err)) from None
        return value

    @model_validator(mode="after")
    def _model(self):
        if self.model == "erlang_a" and self.patience is None:
            raise ValueError("model erlang_a needs patience (mean seconds a caller waits before hanging up).")
        if self.model == "erlang_c" and self.max_abandon_rate is not None:
            raise ValueError("max_abandon_rate needs model erlang_a (with patience).")
        if self.model == "erlang_c" and self.patience is not None:
            raise ValueError("patience needs model erlang_a: Erlang C has no abandonment, so it would ignore "
                             "patience; set model: erlang_a, or drop patience.")
        return self


class ScheduleSection(ScheduleRulesModel):
    """Shift rules (:class:`wfm.schedule.ScheduleRulesModel`, the rules of :func:`wfm.schedule_week`) and the
    solver's options."""

    model_config = ConfigDict(extra="forbid", validate_assignment=False, arbitrary_types_allowed=True)

    time_limit: float = Field(15.0, description="Seconds for the solver, per week. [s]")
    mip_gap: float = Field(0.005, description="Stop at this proven relative gap. [0-1]")
    allow_shortfall: bool = Field(False, description="Minimise the shortfall instead of covering every interval.")
    solver: Literal["highs", "cp-sat"] = "highs"
    method: Literal["decompose", "direct"] = Field(
        "decompose", description="decompose: weekly patterns from a relaxation, then each day (the default, "
                                 "tighter gaps); direct: the whole week as one MILP.")
    variants: Union[Literal["all"], list[Union[str, dict[str, Any]]]] = Field(
        default_factory=list, description="Grid variants sized, simulated and scored too (base always is): "
                                          "variant names, {dotted path: value} selections, or 'all'.")

    check_tl = field_validator("time_limit")(classmethod(lambda cls, v: field_positive(v, "seconds", allow_none=False)))
    check_gap = field_validator("mip_gap")(classmethod(lambda cls, v: field_fraction(v, low_closed=True)))


class Simulate(_Section):
    """Simulation check of the plan (:func:`wfm.verify_plan`)."""

    replications: int = Field(10, description="Independent replications, at least 2.")
    seed: Optional[int] = Field(1, description="Seed; scenarios are reproducible by default.")
    level: float = Field(0.99, description="Coverage of the confidence intervals. [0-1]")
    handle_cv: float = Field(1.0, description="Coefficient of variation of handle times. [-]")

    check_level = field_validator("level")(classmethod(lambda cls, v: field_fraction(v, high_closed=False)))
    check_cv = field_validator("handle_cv")(classmethod(lambda cls, v: field_positive(v, "", allow_none=False)))

    @field_validator("replications")
    @classmethod
    def _reps(cls, value):
        if value < 2:
            raise ValueError(f"must be >= 2 (confidence intervals need two or more); got {value}.")
        return value


class Kpis(_Section):
    """KPIs of one simulated week under the plan (:func:`wfm.evaluate.kpis`) and their scorecard."""

    targets: Optional[Union[str, KpiTargets]] = Field(
        None, description="KPI targets: a YAML file (relative to the scenario) or the same mapping "
                          "(wfm.evaluate.KpiTargets).")
    freq: str = Field("D", description="Reporting period of the KPIs: 30min, h, D, W.")


class Costs(_Section):
    """Cost rates (the ``costs`` of :func:`wfm.evaluate.kpis`)."""

    paid_hour: float = Field(0.0, description="Cost of one paid agent-hour. [currency per h]")
    telephony_minute: float = Field(0.0, description="Cost of one telephony minute. [currency per min]")
    fixed: float = Field(0.0, description="Fixed cost per KPI period. [currency]")
    budget: Optional[float] = Field(None, description="Budget per KPI period. [currency]")
    currency: str = Field("", description="Label of the currency, e.g. USD.")

    check_nn = field_validator("paid_hour", "telephony_minute", "fixed")(
        classmethod(lambda cls, v: field_positive(v, "", allow_zero=True)))


class Output(_Section):
    """What to write, and where."""

    dir: Optional[str] = Field(None, description="Output folder (relative to the working directory); default "
                                                 "output/<name>. wfm run --out overrides it.")
    tables: list[Literal["csv", "parquet"]] = Field(
        ["csv", "parquet"], description="Table formats; by default Parquet only where pyarrow is installed.")
    plots: bool = True
    html: bool = True
    excel: bool = True


class RosterSection(_Section):
    """Named agents on the base schedule's shifts (:func:`wfm.roster_agents`), over the horizon or repeated weeks."""

    agents: str = Field(description="CSV/Excel/Parquet file of named agents (relative to the scenario): agent, "
                                    "contract, days_off, min/max paid hours, consecutive days, weekends, rest ...")
    requests: Optional[str] = Field(None, description="File of shift and day requests: agent, day, shift, kind "
                                                      "(on/off), weight.")
    rules: dict[str, Any] = Field(default_factory=dict, description="Roster rules of wfm.roster_agents: days (a "
                                  "one-week schedule repeats for this many days; a longer one is rostered as its "
                                  "weeks), week_start, forbidden_successions, weekend, fairness, max_weekend_spread, "
                                  "cover_weights, late_after.")
    time_limit: float = Field(60.0, description="Seconds for the solver. [s]")
    allow_shortfall: bool = Field(False, description="Penalise under-cover instead of requiring every agent.")
    dayfirst: Optional[bool] = Field(None, description="Numeric dates of requests and days_off are day-first "
                                                       "(02/01/2024 = 2 January); needed when one reads both ways.")
    date_format: Optional[str] = Field(None, description="strptime format of the dates of requests and days_off.")

    check_tl = field_validator("time_limit")(classmethod(lambda cls, v: field_positive(v, "seconds", allow_none=False)))


class Capacity(CapacitySection):
    """
    The ``capacity:`` section: a 52-78 week hiring plan (:mod:`wfm.capacity`) from the scenario's history.

    Each queue of ``data`` is a site; ``staff`` (and ``transfers``,
    ``classes``) are files relative to the scenario file. ``grid`` holds the
    long-term what-ifs, as key paths inside this section, e.g.
    ``rules.attrition_scale``, ``demand.growth``, ``demand.aht_factor``,
    ``staffing.service_level``.
    """

    grid: dict[str, list[Any]] = Field(default_factory=dict,
                                       description="Key path inside capacity -> list of values (what-ifs).")


class SkillsSection(_Section):
    """
    The ``skills:`` section: a multi-skill centre staffed by :func:`wfm.skills.staff_centre`.

    The keys are those of a ``wfm skills`` centre file
    (:data:`wfm.scenario.skills.CENTRE_KEYS`, read by the same
    :func:`wfm.scenario.skills.centre_from_spec`); ``calls`` is relative to
    the scenario file's folder.
    """

    calls: str = Field(description="CSV/Parquet of expected calls per interval: interval starts in the first column, "
                                   "one column per call type (relative to the scenario). [calls per interval]")
    skills: dict[str, Any] = Field(description="Agent group -> the call types it answers, in priority order (a list), "
                                               "or {call type: priority level, 1 first}.")
    aht: Union[float, dict[str, float]] = Field(description="Mean handle time, one or per call type. [s]")
    patience: Optional[Union[float, dict[str, Optional[float]]]] = Field(
        None, description="Mean patience, one or per call type; null where callers never hang up. [s]")
    targets: Optional[dict[str, Any]] = Field(
        None, description="{service_level, threshold, max_asa, max_abandon_rate} for every type, or per type "
                          "{type: {...}}; default 80% within 20 s.")
    cost: Optional[Union[float, dict[str, float]]] = Field(None, description="Cost per agent-hour of each group "
                                                                             "(any currency); 1 by default.")
    max_agents: Optional[Union[int, dict[str, int]]] = Field(None, description="Cap on the agents of a group. [count]")
    routing: Optional[dict[str, Union[str, list[str]]]] = Field(
        None, description="Call type -> its groups in the order an arriving call tries them; default specialists "
                          "first.")
    aht_by_group: Optional[dict[str, dict[str, float]]] = Field(
        None, description="{call type: {group: aht}} where a group has its own handle time. [s]")
    interval: Optional[float] = Field(None, description="Interval length; inferred from the calls when null. [s]")
    handle_cv: Optional[float] = Field(None, description="Coefficient of variation of handle times in the "
                                                         "simulations; 1 (exponential) by default. [-]")
    overflow_delay: Optional[Union[float, dict[str, float]]] = Field(
        None, description="Seconds a call waits for its primary groups before its other groups may take it, one or "
                          "per call type (.inf: never). [s]")
    primary_groups: Optional[dict[str, Union[str, list[str]]]] = Field(
        None, description="Call type -> its primary groups; default the groups holding it at their first priority.")
    staffing: Optional[dict[str, Any]] = Field(
        None, description="wfm.skills.staff_centre options: " + ", ".join(STAFFING_KEYS) + ".")
    description: str = Field("", description="Free text shown with the results (say so when the data are "
                                             "synthetic).")

    @field_validator("staffing")
    @classmethod
    def _staffing(cls, value):
        bad = [k for k in (value or {}) if k not in STAFFING_KEYS]
        if bad:
            raise ValueError(f"unknown key {bad[0]!r}; the keys are {list(STAFFING_KEYS)}.")
        return value


class Scenario(_Section):
    """A whole weekly plan: data, forecast, staffing, schedule, simulation, KPIs, costs and a what-if grid."""

    name: str = Field(description="Name of the scenario.")
    description: str = Field("", description="Free text shown in the report.")
    data: Data
    horizon: Horizon = Field(default_factory=Horizon)
    forecast: ForecastSection = Field(default_factory=ForecastSection)
    aht: Aht = Field(description="Average handle time [s]: a number, {profile: ...} or {forecast: ...}.")
    staffing: Staffing = Field(default_factory=Staffing)
    schedule: Optional[ScheduleSection] = None
    simulate: Optional[Simulate] = Field(default_factory=Simulate)
    kpis: Optional[Kpis] = None
    costs: Costs = Field(default_factory=Costs)
    grid: dict[str, list[Any]] = Field(default_factory=dict, description="Dotted key path -> list of values.")
    queues: dict[str, dict[str, Any]] = Field(default_factory=dict,
                                              description="Queue -> {dotted key path: value} overrides.")
    output: Output = Field(default_factory=Output)
    capacity: Optional[Capacity] = Field(None, description="Long-term capacity plan (wfm.capacity).")
    roster: Optional[RosterSection] = Field(None, description="Named agents on the base schedule (wfm.roster_agents); needs a "
                                                       "schedule section.")
    skills: Optional[SkillsSection] = Field(None, description="A multi-skill centre staffed by simulation "
                                                              "(wfm.skills.staff_centre).")
    channels: Optional[ChannelsSection] = Field(None, description="Chat, deferred work, redials and callbacks beside "
                                                                  "the voice plan (wfm.channels.section).")

    @field_validator("name")
    @classmethod
    def _name(cls, value):
        if not value.strip():
            raise ValueError("must be a non-empty name.")
        return value

    @model_validator(mode="after")
    def _aht_history(self):
        columns = self.data.columns or {}
        if self.aht.forecast is not None and self.data.aht is None and self.data.handle_time is None and not (
                columns.get("aht") or columns.get("handle_time")):
            raise ValueError("aht.forecast needs an AHT history: give data.aht or data.handle_time (or data.columns."
                             "aht / data.columns.handle_time: a column "
                             f"of the file){' (the bundled ' + self.data.dataset + ' has none)' if self.data.dataset else ''}.")
        return self


def scenario_schema():
    """The JSON Schema of a scenario file (``wfm schema``)."""
    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "wfm scenario"
    return schema


# --------------------------------------------------------------------------
# Errors: one line with the key path.
# --------------------------------------------------------------------------


def _loc(loc):
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _model_at(loc):
    """The section model at ``loc`` (for listing its keys), or None."""
    model = Scenario
    for part in loc:
        if isinstance(part, int) or model is None:
            return None
        field = model.model_fields.get(part)
        if field is None:
            return None
        ann = field.annotation
        model = None
        for cand in getattr(ann, "__args__", (ann,)):
            if isinstance(cand, type) and issubclass(cand, BaseModel):
                model = cand
    return model


def _clean_loc(loc):
    # pydantic adds the union member or validator name to the location; drop those parts
    return tuple(p for p in loc if not (isinstance(p, str) and (p.startswith("function-") or p in (
        "float", "int", "str", "bool", "dict[str,float]", "literal['all']", "list[union[str,dict[str,any]]]")
        or p.startswith("list[") or p.startswith("dict[") or p.startswith("union[") or p.startswith("literal["))))


def validation_message(err: ValidationError):
    """(key path, message) of the first error of a pydantic ValidationError, in wfm's words."""
    errors = err.errors(include_url=False)
    first = errors[0]
    loc = _clean_loc(first["loc"])
    kind = first["type"]
    value = first.get("input")
    if kind == "extra_forbidden":
        key = loc[-1]
        section = loc[:-1]
        model = _model_at(section) if section else Scenario
        known = list(model.model_fields) if model is not None else []
        close = difflib.get_close_matches(str(key), known, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        where = f"section {_loc(section)!r}" if section else "the scenario (top level)"
        msg = f"unknown key {key!r} in {where}.{hint}" + (f" The keys are: {', '.join(known)}." if known else "")
    elif kind == "missing":
        msg = "required key missing."
        model = _model_at(loc)
        field = None
        if len(loc) >= 1:
            parent = _model_at(loc[:-1]) if len(loc) > 1 else Scenario
            field = parent.model_fields.get(loc[-1]) if parent is not None else None
        if field is not None and field.description:
            msg = f"required key missing ({field.description.rstrip('.')})."
    elif kind in ("value_error", "assertion_error"):
        msg = first["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
        if loc and loc[0] == "schedule":  # the shift rules' own checks name the rules dict: here it is 'schedule'
            msg = msg.replace("rules[", "schedule[").replace("rules ", "schedule ")
    elif kind in ("literal_error", "enum"):
        expected = first.get("ctx", {}).get("expected", "")
        msg = f"must be one of {expected}; got {value!r}."
    elif kind.startswith(("float", "int")):
        whole = " whole" if kind.startswith("int") else ""
        msg = f"must be a{whole} number; got {value!r}."
    elif kind.startswith("bool"):
        msg = f"must be true or false; got {value!r}."
    elif kind.startswith("string"):
        msg = f"must be text; got {value!r}."
    elif kind in ("dict_type", "model_type", "model_attributes_type"):
        msg = f"must be a mapping of keys to values; got {value!r}."
    elif kind == "list_type":
        msg = f"must be a list; got {value!r}."
    else:
        msg = f"{first['msg']}; got {value!r}."
    more = len({_loc(_clean_loc(e['loc'])) for e in errors}) - 1
    if more > 0:
        msg += f" ({more} more problem{'s' if more > 1 else ''} after this one)"
    return _loc(loc), msg
