r"""
Run a scenario: load the data, then call the wfm functions in pipeline order for every queue and variant.

The runner composes; the numbers come from the library:

1. **data**: :func:`wfm.datasets.bank_calls` or :func:`wfm.logs.read_history`, per queue.
2. **forecast and backtest** (once per queue and forecast setting):
   :func:`wfm.future_intervals` (the ``horizon.days`` open days after the
   history ends), :func:`wfm.forecast.forecast` (the band calibrated on the
   history), :func:`wfm.backtest` of the same method on the weeks before,
   and :func:`wfm.forecast_aht` when the AHT is forecast; the history's
   peak periods (:func:`wfm.forecast.peak_periods`, once per queue).
3. **staffing** (every variant): :func:`wfm.staffing_plan_from_forecast`
   (or :func:`wfm.staffing_plan` on the point forecast with
   ``staffing.method: point``); FTE from :meth:`StaffingPlan.summary`.
4. **schedule sizing** (``base`` and the variants ``schedule.variants``
   marks): :func:`wfm.schedule_week` on the plan's productive agents per
   interval, one week at a time, laid on the regular interval
   grid with closed intervals at 0 (``Series.asfreq``) as it requires.
   Breaks are the schedule's; the plan's FTE carries the whole shrinkage.
5. **simulation check** (the same variants): :func:`wfm.verify_plan`.
6. **KPIs** (the same variants, with a ``kpis`` section): one simulated week
   (:func:`wfm.simulate`, one replication, under the schedule's shifts
   when there is a schedule, else the plan's agents), read by
   :func:`wfm.evaluate.kpis` with the scenario's ``costs`` and scored by
   :func:`wfm.scorecard`.
7. **multi-skill centre** (with a ``skills`` section, once per run):
   :func:`wfm.skills.staff_centre` of the section's centre, on the run's
   executor (:mod:`wfm.scenario.skills_step`).
8. **channels** (with a ``channels`` section, beside the base plan of one
   queue): :func:`wfm.scenario.channel_plans.run_channels`.

Weeks (forecast, schedule, headline, KPIs) start on ``horizon.week_start``; when the file does not give it, on
the first open day after the history's closed days (:func:`wfm.calendar.infer_week_start`, as ``wfm init``
writes it): a Sunday-Thursday centre plans Sunday weeks. The variants table says which (``week_start``,
``week_start_inferred``).

Two what-ifs are applied by the runner itself, and they are the only
arithmetic here: ``forecast.volume_factor`` multiplies the forecast and its
band, and ``aht.factor`` multiplies the AHT; an AHT ``profile`` is looked up
by :func:`wfm.calendar.by_time_of_day`. Every figure of a variant's row
(FTE, the one weekly cost, heads to employ, expected service level, backtest
accuracy) comes from :func:`wfm.plan_headline`.

Variants run in parallel (``jobs`` processes, or a Dask cluster, see
:mod:`wfm.executors`); each is a pure function of its inputs with a
fixed seed, so the results do not depend on where or in which order they
ran. A variant whose computation raises is a row of ``variants`` with
``status`` "failed" and its ``error``; the others finish.
"""

from __future__ import annotations

import dataclasses
import json
import time
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pandas as pd

from .. import evaluate as _evaluate
from .. import forecast as _forecast
from .._results import Result
from .._validation import option, option_names
from ..calendar import _WEEKDAYS, by_time_of_day, future_intervals, infer_week_start, open_calendar
from ..executors import open_executor, run_tasks
from ..headline import plan_headline
from ..logs import read_table
from ..roster import roster_agents
from ..schedule import schedule_weeks
from ..schedule.shifts import priced_rules
from ..simulation import simulate_logs, verify_plan
from ..staffing import staffing_plan, staffing_plan_from_forecast
from .channel_plans import run_channels
from .grid import BASE, expand_grid, format_value, scenario_options
from .load import LoadedScenario, load_history, load_scenario
from .long_term import CapacityOutcome, CapacityTask, capacity_tasks, collect_capacity, run_capacity_task
from .schema import ScenarioError
from .skills_step import run_skills, skills_input

__all__ = ["run_scenario", "run_capacity", "run_channels_only", "ScenarioResult", "PrepareTask", "Prepared", "VariantTask", "VariantResult", "prepare",
           "run_variant"]

_FORECAST_OPTIONS = ("weeks", "alpha", "month", "backlog", "level_model", "halflife", "season", "skip_abnormal",
                     "decay", "trend", "seasonal", "log")
_STAFFING_ARGS = ("service_level", "threshold", "model", "patience", "max_asa", "max_occupancy", "max_abandon_rate",
                  "sl_definition", "min_agents", "shrinkage", "shrinkage_method", "fte_hours_per_week")


def _error_text(err):
    text = str(err).strip().splitlines()
    return f"{type(err).__name__}: {text[0] if text else ''}".rstrip(": ")


# --------------------------------------------------------------------------
# Stage 1: forecast and backtest, once per queue and forecast setting.
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class PrepareTask:
    """Forecast inputs of one queue and one forecast setting."""

    queue: str
    key: str
    label: str
    history: pd.DataFrame
    scenario: object


@dataclass(frozen=True)
class Prepared:
    """The future intervals, forecast, backtest and AHT forecast of one queue and forecast setting."""

    queue: str
    key: str
    label: str
    future: pd.DatetimeIndex | None = None
    forecast: object = None
    backtest: object = None
    aht: pd.Series | None = None
    error: str | None = None
    seconds: dict = field(default_factory=dict)
    warnings: tuple = ()
    peaks: pd.DataFrame | None = None  # peak_periods of the queue's history
    open_days: tuple | None = None  # the weekdays the queue opens (its history's, or horizon.open_days): a plan's week


def forecast_key(scenario):
    """What a forecast depends on, as text: the forecast section (less volume_factor) and the AHT forecast."""
    fc = scenario.forecast.model_dump(mode="json", exclude={"volume_factor"})
    aht = scenario.aht.forecast.model_dump(mode="json") if scenario.aht.forecast is not None else None
    return json.dumps({"forecast": fc, "aht": aht, "horizon": scenario.horizon.model_dump(mode="json")},
                      sort_keys=True, default=str)


def _forecast_options(scenario):
    fc = scenario.forecast
    return {k: getattr(fc, k) for k in _FORECAST_OPTIONS if getattr(fc, k) is not None}


def _warning_text(caught):
    """The distinct warnings a step raised, one line each, in order."""
    lines = []
    for w in caught:
        text = " ".join(str(w.message).split())
        if text not in lines:
            lines.append(text)
    return lines


def prepare(task):
    """Stage 1 of a queue: future intervals, forecast, backtest, AHT forecast. Errors are returned, not raised."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = _prepare(task)
    return dataclasses.replace(out, warnings=tuple(_warning_text(caught)))


def _prepare(task):
    s = task.scenario
    seconds = {}
    step = "horizon"
    try:
        t0 = time.perf_counter()
        calls = task.history["calls"]
        calendar = s.horizon.calendar_options()
        open_cal = open_calendar(calls, **calendar)  # its open days also tell the plan what a working week is
        future = future_intervals(calls, s.horizon.days, start=s.horizon.start, calendar=open_cal)
        seconds["horizon"] = time.perf_counter() - t0
        step, t0 = "forecast", time.perf_counter()
        options = _forecast_options(s)
        fc = _forecast.forecast(calls, future, s.forecast.method, s.forecast.level, n_windows=s.forecast.n_windows,
                                candidates=s.forecast.candidates, week_start=s.horizon.week_start, **options,
                                **calendar)
        seconds["forecast"] = time.perf_counter() - t0
        bt = None
        if s.forecast.backtest is not None:
            step, t0 = "backtest", time.perf_counter()
            b = s.forecast.backtest
            method = partial(_forecast.forecast_volume, method=s.forecast.method, level=s.forecast.level,
                             n_windows=s.forecast.n_windows, **({"candidates": s.forecast.candidates}
                                                                if s.forecast.candidates else {}),
                             week_start=s.horizon.week_start, **options, **calendar)
            method.__name__ = f"forecast_volume(method={s.forecast.method!r})"  # the label of the backtest
            bt = _forecast.backtest(method, calls, horizon=b.horizon or s.horizon.days, levels=tuple(b.levels),
                                    n_origins=b.n_origins, level=s.forecast.level, week_start=s.horizon.week_start)
            seconds["backtest"] = time.perf_counter() - t0
        aht = None
        if s.aht.forecast is not None:
            step, t0 = "aht forecast", time.perf_counter()
            a = s.aht.forecast
            aht = _forecast.forecast_aht(task.history["aht"], future, calls=calls, weeks=a.weeks, smooth=a.smooth,
                                         cv=a.cv)
            seconds["aht forecast"] = time.perf_counter() - t0
        step, t0 = "peaks", time.perf_counter()
        peaks = _forecast.peak_periods(calls)
        seconds["peaks"] = time.perf_counter() - t0
        return Prepared(task.queue, task.key, task.label, future, fc, bt, aht, None, seconds, peaks=peaks,
                        open_days=open_cal.open_days)
    except Exception as err:  # noqa: BLE001 - a failing queue is reported, the others finish
        return Prepared(task.queue, task.key, task.label, error=f"{step}: {_error_text(err)}", seconds=seconds)


# --------------------------------------------------------------------------
# Stage 2: one variant of one queue.
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class VariantTask:
    """One variant of one queue: its scenario, whether it gets the detail steps, and the KPI targets."""

    queue: str
    variant: str
    values: dict
    scenario: object
    detail: bool
    key: str
    targets: object = None
    roster_agents: object = None
    roster_requests: object = None
    week_start_inferred: bool = False  # horizon.week_start not given: read from the history's open days


@dataclass(frozen=True)
class VariantResult:
    """What one variant produced: its row of ``variants`` and its tables (None where a step did not run)."""

    queue: str
    variant: str
    row: dict
    requirements: pd.DataFrame | None = None
    daily: pd.DataFrame | None = None
    shifts: pd.DataFrame | None = None
    coverage: pd.DataFrame | None = None
    check: pd.DataFrame | None = None
    kpis: pd.DataFrame | None = None
    scorecard: pd.DataFrame | None = None
    plan: object = None
    schedule: object = None
    headline: object = None
    roster: object = None
    verification: object = None
    seconds: dict = field(default_factory=dict)


def _aht(scenario, prepared):
    a = scenario.aht
    if a.value is not None:
        base = a.value
    elif a.profile is not None:
        base = by_time_of_day(prepared.future, a.profile, "aht.profile")
    else:
        base = prepared.aht
    return base * a.factor if a.factor != 1 else base


def _staff(scenario, fc_table, aht, open_days=None):
    s = scenario.staffing
    args = dict({k: getattr(s, k) for k in _STAFFING_ARGS}, open_days=open_days)  # a short horizon's week share
    if s.method == "point":
        return staffing_plan(fc_table["forecast"].rename("calls"), aht, **args)
    return staffing_plan_from_forecast(fc_table, aht, method=s.method, probability=s.probability,
                                       level=scenario.forecast.level, distribution=s.distribution, **args)


def _schedule(scenario, plan):
    """The plan's productive agents sized into shifts over the whole horizon."""
    sched = scenario.schedule
    rules = priced_rules(sched.rules(), scenario.costs.paid_hour)  # one cost: the headline's prices the shifts
    return schedule_weeks(plan.table["agents"], rules, week_start=scenario.horizon.week_start,
                          interval=plan.params.get("interval"), time_limit=sched.time_limit, mip_gap=sched.mip_gap,
                          allow_shortfall=sched.allow_shortfall, plan=plan, solver=sched.solver, method=sched.method)


def _light(verification):
    """The Verification without its contact and state logs (they are large; KPIs are read before)."""
    sim = verification.simulation
    light = dataclasses.replace(sim, contacts=sim.contacts.iloc[:0], agent_states=sim.agent_states.iloc[:0])
    return dataclasses.replace(verification, simulation=light)


def _front(frame, **columns):
    out = frame.copy()
    for i, (name, value) in enumerate(columns.items()):
        out.insert(i, name, value)
    return out


def run_variant(task, prepared):
    """
    Stage 2: staffing, and for detail variants schedule sizing, the simulation check and KPIs, of one variant.

    Never raises: an error becomes ``status`` "failed" with the step and the
    message in ``error``; the tables of the steps before it are kept. The
    warnings of the forecast and of the variant's own steps are in the row's
    ``warnings`` (one per line).
    """
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = _run_variant(task, prepared)
    result.row["warnings"] = "\n".join(dict.fromkeys(list(prepared.warnings) + _warning_text(caught)))
    return result


def _run_variant(task, prepared):
    s = task.scenario
    row = {"queue": task.queue, "variant": task.variant, "status": "ok", "error": "", "warnings": "",
           "detail": task.detail, "week_start": s.horizon.week_start, "week_start_inferred": task.week_start_inferred}
    for path, value in task.values.items():
        row[path] = format_value(value) if isinstance(value, (dict, list)) else value
    out = {}
    seconds = {}
    if prepared.error:
        row.update(status="failed", error=prepared.error)
        return VariantResult(task.queue, task.variant, row, seconds=seconds)
    row["forecast_method"] = prepared.forecast.method
    step = "staffing"
    try:
        t0 = time.perf_counter()
        fc_table = prepared.forecast.table
        if s.forecast.volume_factor != 1:
            fc_table = fc_table * s.forecast.volume_factor
        plan = _staff(s, fc_table, _aht(s, prepared), prepared.open_days)
        figures = plan.figures()
        row.update({k: float(figures.get(k, np.nan)) for k in
                    ("calls", "peak_agents", "agent_hours", "scheduled_hours", "required_fte", "asa")})
        row["plan_service_level"] = float(figures.get("service_level", np.nan))
        out["requirements"] = _front(plan.table.rename_axis("timestamp").reset_index(), queue=task.queue,
                                     variant=task.variant)
        out["daily"] = _front(plan.totals("D").reset_index(), queue=task.queue, variant=task.variant)
        seconds["staffing"] = time.perf_counter() - t0
        if task.detail:
            out["plan"] = plan
            if s.schedule is not None:
                step, t0 = "schedule", time.perf_counter()
                schedule = _schedule(s, plan)
                out["schedule"] = schedule
                out["shifts"] = _front(schedule.shifts, queue=task.queue, variant=task.variant)
                out["coverage"] = _front(schedule.coverage.rename_axis("timestamp").reset_index(), queue=task.queue,
                                         variant=task.variant)
                row.update({
                    "heads": int(schedule.heads),
                    "paid_hours": float(schedule.paid_hours),
                    "schedule_status": schedule.status,
                    "schedule_gap": float(schedule.gap),
                    "intervals_short": int((schedule.coverage["under"] > 0).sum()),
                    # weeks counted from the plan's first day, which horizon.week_start would cut (schedule_weeks)
                    "schedule_weeks_from": (_WEEKDAYS[schedule.params["week_start"]].upper()
                                            if schedule.params.get("rolling_week") else ""),
                })
                seconds["schedule"] = time.perf_counter() - t0
            if s.simulate is not None:
                step, t0 = "simulation check", time.perf_counter()
                m = s.simulate
                ver = verify_plan(plan, replications=m.replications, seed=m.seed, level=m.level,
                                  handle_cv=m.handle_cv)
                vf = ver.figures()
                row.update({f"simulated_service_level{end}": vf.get(f"service_level_simulated{end}", np.nan)
                            for end in ("", "_lo", "_hi")})
                row["flagged_intervals"] = vf["flagged"]
                out["check"] = _front(ver.table.rename_axis("timestamp").reset_index(), queue=task.queue,
                                      variant=task.variant)
                out["verification"] = _light(ver)
                seconds["simulation check"] = time.perf_counter() - t0
            if s.kpis is not None:
                step, t0 = "kpis", time.perf_counter()
                _kpis(task, plan, out, row)
                seconds["kpis"] = time.perf_counter() - t0
        if task.variant == BASE and s.roster is not None and "schedule" in out:
            step, t0 = "roster", time.perf_counter()
            r = s.roster
            with option_names(scenario_options("roster", ROSTER_OPTIONS)):  # hints name roster.dayfirst etc.
                out["roster"] = roster_agents(out["schedule"], task.roster_agents, r.rules,
                                              requests=task.roster_requests, time_limit=r.time_limit,
                                              allow_shortfall=r.allow_shortfall, dayfirst=r.dayfirst,
                                              date_format=r.date_format)
            row.update(roster_status=out["roster"].status, roster_gap=out["roster"].gap,
                       roster_coverage_loss=out["roster"].coverage_loss())
            seconds["roster"] = time.perf_counter() - t0
        step = "headline"
        headline = plan_headline(plan, out.get("schedule"), backtest=prepared.backtest,
                                 cost_per_paid_hour=s.costs.paid_hour, currency=s.costs.currency,
                                 week_start=s.horizon.week_start)
        h = headline.figures()
        row.update({k: h[k] for k in ("required_fte", "heads_to_employ", "fte", "service_level", "abandon_rate",
                                      "p_meet", "backtest_wape", "backtest_daily_wape")})
        row["required_cost"] = h["required_weekly_cost"]
        row["cost"] = h["weekly_cost"]
        if task.detail:
            out["headline"] = headline
    except Exception as err:  # noqa: BLE001 - a failing variant is reported, the others finish
        row.update(status="failed", error=f"{step}: {_error_text(err)}")
    return VariantResult(task.queue, task.variant, row, seconds=seconds, **out)


#: Options of wfm.roster_agents that the roster section sets under the same names.
ROSTER_OPTIONS = ("dayfirst", "date_format", "time_limit", "allow_shortfall")


def _kpis(task, plan, out, row):
    import warnings

    from ..evaluate.targets import SIMULATION_NOT_SCORED

    s = task.scenario
    logs = simulate_logs(plan, out.get("schedule"), patience=s.staffing.patience if s.staffing.model == "erlang_a"
                         else None, handle_cv=s.simulate.handle_cv if s.simulate else 1.0,
                         seed=s.simulate.seed if s.simulate else None, threshold=s.staffing.threshold,
                         sl_definition=s.staffing.sl_definition)
    costs = {k: getattr(s.costs, k) for k in ("paid_hour", "telephony_minute", "fixed", "budget")
             if getattr(s.costs, k)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the notes of one simulated week (e.g. no schedule log) are expected
        k = _evaluate.kpis(logs.contacts, states=logs.agent_states, schedule=logs.schedule, freq=s.kpis.freq,
                           threshold=s.staffing.threshold, sl_definition=s.staffing.sl_definition,
                           short_abandon=s.staffing.threshold,  # short abandons as the plan counted them: before T
                           costs=costs or None, basis="simulated", week_start=s.horizon.week_start)
    table = k.copy()
    table.attrs = {}  # the written table holds the KPIs only; the scorecard reads their freq and threshold from k
    out["kpis"] = _front(table, queue=task.queue, variant=task.variant)
    if task.targets is not None:
        # Score what the simulation produces (labelled simulated); not what it assumes (shrinkage, surveys), and
        # the AHT it was given only when it strays beyond sampling noise: 3 standard errors of the latest
        # period's mean handle time (handle_cv x AHT / sqrt(handled)).
        inputs = {}
        if len(k) and "handled" in k and "aht" in k:
            last = k["period"].max()
            tab = plan.table[plan.table.index >= last]
            calls = float(tab["calls"].sum())
            handled = float(k.loc[k["period"] == last, "handled"].iloc[0])
            if calls > 0 and handled > 0:
                given = float((tab["calls"] * tab["aht"]).sum() / calls)
                cv = s.simulate.handle_cv if s.simulate else 1.0
                inputs["aht"] = (given, 3 * cv * given / np.sqrt(handled))
        card = _evaluate.scorecard(k, task.targets, not_scored=SIMULATION_NOT_SCORED, inputs=inputs)
        out["scorecard"] = _front(card.table, queue=task.queue, variant=task.variant)
        row["kpi_alerts"] = int((card.table["status"].isin(["amber", "red"])).sum())


# --------------------------------------------------------------------------
# Executors: where the tasks run.
# --------------------------------------------------------------------------


def _crashed(args, err):
    """The failure result of a task whose worker could not run it."""
    task = args[0]
    text = f"worker: {_error_text(err)}"
    if isinstance(task, PrepareTask):
        return Prepared(task.queue, task.key, task.label, error=text)
    if isinstance(task, CapacityTask):
        return CapacityOutcome(task.variant, {"variant": task.variant, "status": "failed", "error": text})
    return VariantResult(task.queue, task.variant, {"queue": task.queue, "variant": task.variant,
                                                    "status": "failed", "error": text, "detail": task.detail})


# --------------------------------------------------------------------------
# The result.
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioResult(Result):
    """
    Everything a scenario run produced, as tidy tables (long format, ``queue`` and ``variant`` first).

    Attributes
    ----------
    loaded : LoadedScenario
    variants : DataFrame
        One row per queue and variant: ``queue``, ``variant``, ``status``
        ("ok" or "failed"), ``error``, ``warnings``, ``detail`` (schedule,
        simulation and KPIs ran), ``week_start`` and ``week_start_inferred``
        (True: read from the history's open days, the file gives none), the
        grid values, ``forecast_method``;
        every variant: ``calls``, ``peak_agents``, ``agent_hours``,
        ``scheduled_hours``, ``required_fte`` and ``required_cost``
        [currency] (the workload's FTE before shifts: what variants compare
        on), ``plan_service_level`` and ``asa`` (Erlang, at the forecast
        mean), the headline's ``service_level``, ``abandon_rate`` and
        ``p_meet``, the backtest's ``backtest_wape`` and
        ``backtest_daily_wape``; detail variants (sized into shifts) also
        ``heads_to_employ``, ``fte`` and ``cost`` [currency] (the FTE to
        employ and its weekly cost, as the headline), ``heads``,
        ``paid_hours``, ``schedule_status``, ``schedule_gap``,
        ``intervals_short``, ``schedule_weeks_from`` (the weekday the
        shifts' weeks count from when ``week_start`` would cut the plan's
        first week, else empty), ``simulated_service_level``,
        ``simulated_service_level_lo``, ``simulated_service_level_hi``,
        ``flagged_intervals`` and ``kpi_alerts``; with a roster section the
        base variant also ``roster_status``, ``roster_gap`` and
        ``roster_coverage_loss``.
    forecast : DataFrame
        ``queue``, ``forecast_config``, ``timestamp``, ``forecast``,
        ``lower``, ``upper`` [calls per interval], ``level`` (the band's
        coverage [fraction]) and ``aht`` when forecast [s].
    backtest : DataFrame
        The backtest summary per queue and forecast setting.
    peaks : DataFrame
        The peak periods of each queue's history, ``queue`` first:
        :func:`wfm.forecast.peak_summary` of :func:`wfm.forecast.peak_periods`
        (busiest interval and hour of the day, weekday, week of the month).
    requirements : DataFrame
        The StaffingPlan table of every variant, stacked.
    daily : DataFrame
        :meth:`StaffingPlan.totals` per day of every variant.
    schedule_shifts, coverage : DataFrame
        The SchedulePlan tables of the detail variants.
    simulation_check : DataFrame
        The Verification tables of the detail variants.
    kpis, scorecard : DataFrame
        KPIs of one simulated week per detail variant and their scorecard.
    capacity_variants, capacity_plan, capacity_monthly : DataFrame
        With a ``capacity`` section: one row per long-term what-if (the
        :class:`~wfm.capacity.CapacityPlan` and risk figures), the weekly
        plan table of every what-if and its finance roll-up by month
        (:meth:`~wfm.capacity.CapacityPlan.monthly`), ``variant`` first.
    skills_agents, skills_service, skills_intervals : DataFrame
        With a ``skills`` section: the :class:`~wfm.skills.SkillStaffing`'s
        agents per interval and group, service per interval and call type
        (with confidence bounds) and per-interval totals with the Erlang
        bounds (:func:`wfm.report.skills_views.skills_tables`).
    skills_error : str or None
        Why the skills step failed (then ``ok`` is False).
    skills_seconds : float
        Seconds the skills step took.
    timings : DataFrame
        Seconds per step, queue and variant (wall time of the worker).
    objects : dict
        Result objects for plots: ``forecast`` and ``backtest`` by (queue,
        forecast_config); ``plan``, ``schedule``, ``headline``, ``verification`` by
        (queue, variant) for the detail variants; ``peaks`` by queue (the
        history's :func:`~wfm.forecast.peak_periods`); with a ``skills`` section
        ``skills`` (the SkillStaffing), ``skills_headline`` and
        ``skills_description``.
    """

    loaded: LoadedScenario
    variants: pd.DataFrame
    forecast: pd.DataFrame
    backtest: pd.DataFrame
    requirements: pd.DataFrame
    daily: pd.DataFrame
    schedule_shifts: pd.DataFrame
    coverage: pd.DataFrame
    simulation_check: pd.DataFrame
    kpis: pd.DataFrame
    scorecard: pd.DataFrame
    timings: pd.DataFrame
    capacity_plan: pd.DataFrame = field(default_factory=pd.DataFrame)
    capacity_variants: pd.DataFrame = field(default_factory=pd.DataFrame)
    capacity_monthly: pd.DataFrame = field(default_factory=pd.DataFrame)
    skills_agents: pd.DataFrame = field(default_factory=pd.DataFrame)
    skills_service: pd.DataFrame = field(default_factory=pd.DataFrame)
    skills_intervals: pd.DataFrame = field(default_factory=pd.DataFrame)
    skills_error: str | None = None
    skills_seconds: float = 0.0
    objects: dict = field(default_factory=dict, repr=False)
    executor: str = "serial"
    channels: object = None  # wfm.scenario.channel_plans.ChannelsResult, with a channels section
    peaks: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def failed(self):
        """The variants that failed: queue, variant, error."""
        v = self.variants
        return v.loc[v["status"] != "ok", ["queue", "variant", "error"]].reset_index(drop=True)

    @property
    def ok(self):
        return (bool((self.variants["status"] == "ok").all()) and self.skills_error is None
                and not getattr(self.channels, "errors", None))

    TABLES = ("variants", "forecast", "backtest", "peaks", "requirements", "daily", "schedule_shifts", "coverage",
              "simulation_check", "kpis", "scorecard", "capacity_variants", "capacity_plan", "capacity_monthly",
              "skills_agents", "skills_service", "skills_intervals")

    def tables(self):
        """The non-empty tables by name, in pipeline order."""
        return {name: getattr(self, name) for name in self.TABLES if len(getattr(self, name))}

    @property
    def table(self):
        """One row per queue and variant (:attr:`variants`)."""
        return self.variants

    @property
    def params(self):
        """The scenario as it ran (``name``, ``source`` and the file's sections: :meth:`scenario_as_run`) and the
        ``executor``."""
        return {"name": self.loaded.name, "source": self.loaded.source, "executor": self.executor,
                **self.scenario_as_run()}

    def scenario_as_run(self, mode="python"):
        """
        The validated scenario with every default filled in, as it ran (pydantic's ``model_dump(mode=...)``): a
        ``horizon.week_start`` the file leaves out is the one read from the open days (every queue's, when they
        agree), and is left out when queues differ, so that the written ``scenario.yaml`` plans the same weeks.
        """
        dump = self.loaded.scenario.model_dump(mode=mode)
        if "week_start" not in self.loaded.scenario.horizon.model_fields_set:
            inferred = set(self.variants["week_start"].dropna()) if "week_start" in self.variants else set()
            if len(inferred) == 1:
                dump["horizon"]["week_start"] = inferred.pop()
            else:
                dump["horizon"].pop("week_start", None)
        return dump

    def figures(self):
        """
        ``variants`` and ``failed`` (rows), then the first queue's base plan: ``required_fte``,
        ``plan_service_level``, ``calls`` and, for a variant sized into shifts, ``fte`` and ``cost``
        (the headline's FTE to employ and weekly cost) [NaN where not computed].
        """
        v = self.variants
        out = {"variants": int(len(v)), "failed": int((v["status"] != "ok").sum())}
        base = v[v["variant"] == BASE]
        for col in ("required_fte", "plan_service_level", "calls", "fte", "cost"):
            value = base[col].iloc[0] if len(base) and col in base else float("nan")
            out[col] = float(value) if pd.notna(value) else float("nan")
        return out

    def sheets(self):
        return self.tables()

    def plot(self, ax=None, **kwargs):
        """Required FTE of each queue and variant (bars); returns the Axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(max(5, 0.5 * len(self.variants) + 2), 4))
        v = self.variants
        labels = [f"{q}: {n}" if v["queue"].nunique() > 1 else str(n) for q, n in zip(v["queue"], v["variant"])]
        ax.bar(range(len(v)), v.get("required_fte", pd.Series(np.nan, v.index)), color="C0", **kwargs)
        ax.set_xticks(range(len(v)), labels, rotation=30, ha="right", fontsize="small")
        ax.set_xlabel("queue: variant" if v["queue"].nunique() > 1 else "variant")
        ax.set_ylabel("required FTE (mean week)")
        ax.set_title(f"Scenario {self.loaded.name}: required FTE by variant")
        return ax

    def headline(self, queue=None, variant=BASE):
        """The :class:`~wfm.headline.Headline` of a detail variant (default: the first queue's base plan)."""
        heads = self.objects.get("headline", {})
        if queue is None:
            queue = next((q for q, v in heads if v == variant), None)
        if (queue, variant) not in heads:
            raise KeyError(f"no headline for queue {queue!r}, variant {variant!r}: headlines exist for the detail "
                           f"variants {sorted(heads)}.")
        return heads[(queue, variant)]

    @property
    def headlines(self):
        """One row per queue and detail variant: the headline figures (snake_case) and the currency."""
        rows = [{"queue": q, "variant": v, **h.figures(), "currency": h.params["currency"]}
                for (q, v), h in self.objects.get("headline", {}).items()]
        return pd.DataFrame(rows)

    def summary(self):
        """The key figures of each queue's base plan: headcount, FTE, cost, expected SL, backtest WAPE."""
        v = self.variants
        base = v[v["variant"] == BASE].set_index("queue")
        cols = ["status", "heads_to_employ", "fte", "cost", "required_fte", "service_level", "simulated_service_level",
                "backtest_wape", "peak_agents", "calls"]
        return base[[c for c in cols if c in base.columns]]

    def __repr__(self):
        n = len(self.variants)
        bad = int((self.variants["status"] != "ok").sum())
        return (f"ScenarioResult({self.loaded.name!r}: {self.variants['queue'].nunique()} queue(s), {n} "
                f"variant row(s), {bad} failed)\n{self.summary().to_string()}")

    def _repr_html_(self):
        return f"<h4>Scenario {self.loaded.name}</h4>" + self.summary().to_html() + self.variants.head(30).to_html()


def _concat(frames):
    frames = [f for f in frames if f is not None and len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _targets(loaded):
    kpis = loaded.scenario.kpis
    if kpis is None or kpis.targets is None:
        return None
    return _evaluate.load_targets(loaded.resolve(kpis.targets) if isinstance(kpis.targets, str) else kpis.targets)


def _roster_tables(loaded):
    """(agents, requests) of the roster section, read once here (None, None without one)."""
    r = loaded.scenario.roster
    if r is None:
        return None, None
    if loaded.scenario.schedule is None:
        raise ScenarioError("needs a schedule section: the roster puts named agents on the base schedule's shifts.",
                            path=loaded.source, key="roster")
    out = []
    for key in ("agents", "requests"):
        path = getattr(r, key)
        if path is None:
            out.append(None)
            continue
        try:
            frame, rows, where = read_table(loaded.resolve(path), f"roster.{key}")
            out.append(frame.set_axis(pd.Index(rows, name="line" if "line numbers" in where else None)))
        except (ValueError, TypeError, FileNotFoundError) as err:
            raise ScenarioError(str(err), path=loaded.source, key=f"roster.{key}") from None
    return tuple(out)


def _forecast_label(variant):
    parts = {k: v for k, v in variant.values.items()
             if (k.startswith("forecast.") and k != "forecast.volume_factor") or k.startswith("aht.forecast")
             or k in ("forecast", "aht")}
    return ",".join(f"{k}={format_value(v)}" for k, v in parts.items()) or BASE


def _week_start(loaded, history):
    """The week start of a queue when the file gives no ``horizon.week_start`` (queue overrides and grids cannot):
    the first open day after the history's closed days (:func:`wfm.calendar.infer_week_start`, as ``wfm init`` and
    the capacity plan read it); None when it is given."""
    return None if "week_start" in loaded.scenario.horizon.model_fields_set else infer_week_start(history.index)


def _on_weeks(scenario, week_start):
    """``scenario`` with ``horizon.week_start`` set (as if the file gave it); itself when ``week_start`` is None."""
    if week_start is None:
        return scenario
    return scenario.model_copy(update={"horizon": scenario.horizon.model_copy(update={"week_start": week_start})})


def run_scenario(source, *, jobs=0, dask=None, progress=False):
    """
    Run a scenario: forecast, backtest, staffing of every variant, schedule, simulation check and KPIs.

    Parameters
    ----------
    source : str, Path, dict or LoadedScenario
        The scenario file (see :mod:`wfm.scenario.schema`) or its dict.
    jobs : int
        Worker processes for the variants: 0 (default) one per CPU, 1 runs
        them here, one after the other.
    dask : str, optional
        Address of a running ``dask.distributed`` scheduler, or ``"local"``
        for a LocalCluster of two single-threaded worker processes; the
        queues and variants are submitted to it as tasks. Overrides ``jobs``.
    progress : bool
        Show a progress bar (tqdm, on stderr) over the steps and variants.

    Returns
    -------
    ScenarioResult

    Raises
    ------
    ScenarioError
        For a bad scenario file or data (before any variant runs).
    """
    from tqdm.auto import tqdm

    t_start = time.perf_counter()
    loaded = load_scenario(source)
    histories = load_history(loaded)
    t_load = time.perf_counter() - t_start
    targets = _targets(loaded)
    roster_tables = _roster_tables(loaded)
    skills_task = skills_input(loaded)  # a bad skills section stops the run here, before anything is computed
    cap_tasks = capacity_tasks(loaded, histories, weekly=True) if loaded.scenario.capacity is not None else []

    # one scenario per queue (queue overrides), its variants, and the forecast settings they need
    from .grid import apply_overrides, expand_grid, get_path, select_variants

    prepare_tasks, variant_tasks = [], []
    for queue, history in histories.items():
        base, week_start = loaded.scenario, _week_start(loaded, history)
        if queue in base.queues:
            base = apply_overrides(base, base.queues[queue], where=f"queues.{queue}", source=loaded.source)
            variants = expand_grid(base, source=loaded.source)
            detail = set(select_variants(variants, base.schedule.variants if base.schedule else [],
                                         source=loaded.source))
        else:
            variants, detail = loaded.variants, set(loaded.detail)
        keys = {}
        for v in variants:
            scenario = _on_weeks(v.scenario, week_start)
            key = forecast_key(scenario)
            if key not in keys:
                keys[key] = _forecast_label(v)
                prepare_tasks.append(PrepareTask(queue, key, keys[key], history, scenario))
            values = {}
            if base.grid:
                dump = v.scenario.model_dump()
                values = {path: get_path(dump, path) for path in base.grid}
            variant_tasks.append(VariantTask(queue, v.name, values, scenario, v.name in detail, key, targets,
                                             *roster_tables, week_start is not None))

    bar = tqdm(total=len(prepare_tasks) + len(variant_tasks), disable=not progress, unit="task", leave=False,
               desc="forecast and backtest")
    n_skills = len(skills_task.centre.calls) if skills_task is not None else 0
    with open_executor(jobs, dask, len(variant_tasks) + n_skills) as ex:
        prepared = run_tasks(ex, prepare, [(t,) for t in prepare_tasks], crashed=_crashed, done=bar.update)
        by_key = {(p.queue, p.key): p for p in prepared}
        bar.set_description("staffing variants")
        # the detail variants (schedule, simulation) are the long tasks: start them first, keep the file's order
        order = sorted(range(len(variant_tasks)), key=lambda i: not variant_tasks[i].detail)
        done = run_tasks(ex, run_variant, [(variant_tasks[i], by_key[(variant_tasks[i].queue, variant_tasks[i].key)])
                                           for i in order], crashed=_crashed, done=bar.update, share=(Prepared,))
        results = [None] * len(done)
        for i, r in zip(order, done):
            results[i] = r
        capacity = []
        if cap_tasks:
            bar.set_description("capacity plans")
            bar.total += len(cap_tasks)
            capacity = run_tasks(ex, run_capacity_task, [(t,) for t in cap_tasks], done=bar.update,
                                 crashed=_crashed)
        skills = None
        if skills_task is not None:
            bar.set_description("multi-skill centre")
            skills = run_skills(skills_task, ex)
        executor_name = ex.name
    bar.close()
    return run_channels(_assemble(loaded, prepared, results, t_load, executor_name, capacity, skills))


def channels_only(source, *, only=None):
    """
    The scenario slimmed to its channels and the base voice plan they sit beside: no grid, simulation, KPIs, roster.

    The schedule is kept only when a deferred channel blends into it (its
    agents give the idle time). ``only`` keeps some channels (``chat``, a
    deferred name, ``redials``, ``callbacks``). :func:`run_channels_only`
    runs it (``wfm channels``).

    Returns
    -------
    LoadedScenario
    """
    loaded = load_scenario(source)
    s = loaded.scenario
    section = s.channels
    if section is None:
        raise ScenarioError("has no channels section; add one (chat, deferred, redials, callbacks; see `wfm schema`).",
                            path=loaded.source, key="channels")
    if only:
        known = ["chat"] * bool(section.chat) + list(section.deferred) + ["redials"] * bool(section.redials) + \
            ["callbacks"] * bool(section.callbacks)
        bad = [name for name in only if name not in known]
        if bad:
            raise ValueError(f"{option('only', list(only))}: no channel {bad[0]!r} in the scenario; its channels are "
                             f"{', '.join(known)}.")
        section = section.model_copy(update=dict(
            chat=section.chat if "chat" in only else None,
            deferred={k: d for k, d in section.deferred.items() if k in only},
            redials=section.redials if "redials" in only else None,
            callbacks=section.callbacks if "callbacks" in only else None))
    blend = any(d.blend for d in section.deferred.values())
    schedule = s.schedule.model_copy(update={"variants": []}) if blend and s.schedule is not None else None
    slim = s.model_copy(update=dict(grid={}, queues={}, simulate=None, kpis=None, roster=None, capacity=None,
                                    schedule=schedule, channels=section,
                                    forecast=s.forecast.model_copy(update={"backtest": None})))
    return LoadedScenario(slim, loaded.source, loaded.base_dir, expand_grid(slim, source=loaded.source), [BASE])


def run_channels_only(source, *, only=None):
    """
    Run a scenario's channels beside its base voice plan only (``wfm channels``): :func:`run_scenario` of
    :func:`channels_only`, in this process.

    Returns
    -------
    ScenarioResult
        With ``channels`` filled in.
    """
    return run_scenario(channels_only(source, only=only), jobs=1)


def run_capacity(source, *, jobs=0, dask=None, progress=False):
    """
    Run only the ``capacity`` section of a scenario: every long-term what-if, locally or on Dask.

    Returns
    -------
    CapacityResult

    Raises
    ------
    ScenarioError
        For a bad scenario file, data or staff file, or a scenario without a ``capacity`` section.
    """
    from tqdm.auto import tqdm

    loaded = load_scenario(source)
    if loaded.scenario.capacity is None:
        raise ScenarioError("has no capacity section; add one (see `wfm schema`) to plan hires.",
                            path=loaded.source, key="capacity")
    tasks = capacity_tasks(loaded, load_history(loaded))
    with tqdm(total=len(tasks), disable=not progress, unit="plan", leave=False, desc="capacity plans") as bar, \
            open_executor(jobs, dask, len(tasks)) as ex:
        outcomes = run_tasks(ex, run_capacity_task, [(t,) for t in tasks], done=bar.update,
                             crashed=_crashed)
    return collect_capacity(outcomes)


def _assemble(loaded, prepared, results, t_load, executor_name, capacity=(), skills=None):
    cap = collect_capacity(capacity)
    objects = {"forecast": {}, "backtest": {}, "plan": {}, "schedule": {}, "headline": {}, "verification": {},
               "roster": {}, "peaks": {},
               "capacity": cap.plans, "capacity_risk": cap.risks}
    fc_frames, bt_frames, timing_rows = [], [], [{"step": "load", "queue": "", "variant": "", "seconds": t_load}]
    for p in prepared:
        for step, sec in p.seconds.items():
            timing_rows.append({"step": step, "queue": p.queue, "variant": p.label, "seconds": sec})
        if p.error:
            continue
        if p.peaks is not None and p.queue not in objects["peaks"]:  # the same history in each forecast setting
            objects["peaks"][p.queue] = p.peaks
        objects["forecast"][(p.queue, p.label)] = p.forecast
        table = p.forecast.table.rename_axis("timestamp").assign(level=p.forecast.level)  # the band's, for wfm staff
        if p.aht is not None:
            table = table.assign(aht=p.aht.to_numpy())
        fc_frames.append(_front(table.reset_index(), queue=p.queue, forecast_config=p.label))
        if p.backtest is not None:
            objects["backtest"][(p.queue, p.label)] = p.backtest
            bt_frames.append(_front(p.backtest.summary(), queue=p.queue, forecast_config=p.label))
    rows = []
    for r in results:
        rows.append(r.row)
        for step, sec in r.seconds.items():
            timing_rows.append({"step": step, "queue": r.queue, "variant": r.variant, "seconds": sec})
        key = (r.queue, r.variant)
        if r.plan is not None:
            objects["plan"][key] = r.plan
        if r.schedule is not None:
            objects["schedule"][key] = r.schedule
        if r.headline is not None:
            objects["headline"][key] = r.headline
        if r.roster is not None:
            objects["roster"][key] = r.roster
        if r.verification is not None:
            objects["verification"][key] = r.verification
    variants = pd.DataFrame(rows)
    shifts = _concat([r.shifts for r in results])
    return ScenarioResult(
        loaded=loaded, variants=variants, forecast=_concat(fc_frames), backtest=_concat(bt_frames),
        requirements=_concat([r.requirements for r in results]), daily=_concat([r.daily for r in results]),
        schedule_shifts=shifts, coverage=_concat([r.coverage for r in results]),
        simulation_check=_concat([r.check for r in results]), kpis=_concat([r.kpis for r in results]),
        scorecard=_concat([r.scorecard for r in results]), timings=pd.DataFrame(timing_rows + [
            {"step": step, "queue": "", "variant": c.variant, "seconds": sec}
            for c in capacity for step, sec in c.seconds.items()] + [
            {"step": step, "queue": "", "variant": "skills", "seconds": sec}
            for step, sec in (skills.seconds.items() if skills is not None else ())]),
        capacity_plan=cap.plan, capacity_variants=cap.variants, capacity_monthly=cap.monthly, objects=objects,
        executor=executor_name, peaks=_concat([_front(_forecast.peak_summary(table), queue=queue)
                                               for queue, table in objects["peaks"].items()]),
        **_skills_fields(skills, objects))


def _skills_fields(skills, objects):
    """The ScenarioResult fields of the skills step (its tables, error, timing); its objects go into ``objects``."""
    if skills is None:
        return {}
    from ..report.skills_views import skills_tables

    objects.update(skills=skills.staffing, skills_headline=skills.headline, skills_description=skills.description)
    tables = skills_tables(skills.staffing) if skills.staffing is not None else {}
    return dict(tables, skills_error=skills.error, skills_seconds=skills.seconds.get("skills", 0.0))


__all__ += ["ScenarioError"]
