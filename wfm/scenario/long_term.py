"""
The ``capacity:`` step of a scenario: the long-term hiring plan of each what-if, composed from :mod:`wfm.capacity`.

Each variant of the section's ``grid`` is one task: :func:`wfm.capacity.weekly_demand`
on the queues' histories (each queue a site), :func:`wfm.capacity.capacity_plan`
with the staff file and the rules, and, with a ``risk`` section,
:func:`wfm.capacity.capacity_risk`. Nothing is computed here.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field

import pandas as pd

from .._results import Result, date_axis, week_label
from .._validation import UnitWarning, option_names, warn_implausible
from ..capacity import (capacity_plan, capacity_risk, check_classes, check_staff, check_transfers, plan_start,
                        weekly_demand)
from ..logs import read_table
from .grid import BASE, format_value, get_path, scenario_options
from .schema import ScenarioError

__all__ = ["CapacityFiles", "CapacityTask", "CapacityOutcome", "CapacityResult", "capacity_files", "capacity_tasks",
           "collect_capacity", "inherited_section", "run_capacity_task", "week_start_key"]

#: How the capacity step's messages name its options in a scenario (:func:`wfm._validation.option`).
SCENARIO_OPTIONS = {
    **scenario_options("capacity", ["dayfirst", "date_format"]),
    "start": lambda v: f"capacity.demand.start: {v}",
    "week_start": lambda v: f"capacity.demand.week_start: {v} (or horizon.week_start, for the weekly plan too)",
}


@dataclass(frozen=True)
class CapacityTask:
    """One what-if of the capacity section, with the tables it reads."""

    variant: str
    values: dict
    section: object
    history: dict
    aht_history: dict | None
    staff: pd.DataFrame
    transfers: pd.DataFrame | None = None
    classes: pd.DataFrame | None = None


@dataclass(frozen=True)
class CapacityOutcome:
    """What one capacity what-if produced: its row, the plan and the risk (None where a step failed)."""

    variant: str
    row: dict
    plan: object = None
    risk: object = None
    seconds: dict = field(default_factory=dict)


@dataclass(frozen=True)
class CapacityFiles:
    """
    The capacity section's files, read and checked at load (:func:`capacity_files`).

    Each table is on its file's line numbers (index ``line``) and its
    ``attrs["file"]`` names the file, so the checks each what-if makes
    (horizon, training, transfers out) name the file and its lines too.
    ``where`` holds the file of each key as messages name it.
    """

    staff: pd.DataFrame
    transfers: pd.DataFrame | None = None
    classes: pd.DataFrame | None = None
    where: dict = field(default_factory=dict)


def _table(loaded, path, key, check):
    """The table of file ``capacity.<key>`` checked by ``check(frame)`` (the frame on the file's line numbers), and
    the file as messages name it. Errors name the file and its lines; so do warnings (a staff column left out)."""
    import warnings

    if path is None:
        return None, None
    try:
        frame, rows, where = read_table(loaded.resolve(path), f"capacity.{key}")
    except (ValueError, TypeError, FileNotFoundError) as err:
        raise ScenarioError(str(err), path=loaded.source, key=f"capacity.{key}") from None
    lines = "line" if "line numbers" in where else None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        checked = _checked(loaded, key, where, check, frame.set_axis(pd.Index(rows, name=lines)))
    for w in caught:  # said again with the file
        warnings.warn(f"capacity.{key}: {where}: {w.message}", w.category, stacklevel=3)
    checked = checked.rename_axis(lines)
    checked.attrs["file"] = f"file {loaded.resolve(path).name} (capacity.{key})"
    return checked, where


def _checked(loaded, key, where, check, frame):
    """``check(frame)``; its error as a ScenarioError at ``capacity.<key>`` naming the file (``where``)."""
    try:
        with option_names(SCENARIO_OPTIONS):
            return check(frame)
    except (ValueError, TypeError) as err:
        raise ScenarioError(f"{where}: {err}", path=loaded.source, key=f"capacity.{key}") from None


def capacity_files(loaded, section=None):
    """
    The files of the capacity section read and checked, each error naming the file, its lines and the fix.

    What needs neither the history nor a what-if is checked here, so ``wfm
    validate`` finds it: the columns and values of ``staff`` (hire dates
    read with ``capacity.dayfirst``/``date_format``), ``classes`` and
    ``transfers`` (whole weeks and heads; the base plan's horizon and
    training). The sites and the plan's start need the history
    (:func:`capacity_tasks`).

    Parameters
    ----------
    loaded : LoadedScenario
    section : CapacitySection, optional
        The section with what it inherits (:func:`inherited_section`).

    Returns
    -------
    CapacityFiles

    Raises
    ------
    ScenarioError
        At ``capacity.staff``, ``capacity.classes`` or ``capacity.transfers``.
    """
    sec = inherited_section(loaded) if section is None else section
    staff, where = _table(loaded, sec.staff, "staff",
                          lambda f: check_staff(f, dayfirst=sec.dayfirst, date_format=sec.date_format, rows=f.index))
    out = {"staff": staff}
    wheres = {"staff": where}
    for key, check in (("transfers", lambda f: check_transfers(f, weeks=sec.demand.weeks)),
                       ("classes", lambda f: check_classes(f, weeks=sec.demand.weeks,
                                                           training_weeks=sec.rules.training_weeks))):
        out[key], wheres[key] = _table(loaded, getattr(sec, key), key, check)
    return CapacityFiles(**out, where=wheres)


def week_start_key(loaded):
    """The scenario key that gives the capacity plan's week start (``capacity.demand.week_start``, else
    ``horizon.week_start``), or the keys left out when the history's open days give it."""
    if "week_start" in loaded.scenario.capacity.demand.model_fields_set:
        return "capacity.demand.week_start"
    if "week_start" in loaded.scenario.horizon.model_fields_set:
        return "horizon.week_start"
    return "capacity.demand.week_start and horizon.week_start"


#: Keys of ``capacity.staffing`` that the scenario's ``staffing`` section has too (and the weekly plan uses).
SHARED_STAFFING = ("model", "service_level", "threshold", "patience", "max_asa", "max_occupancy", "max_abandon_rate",
                   "sl_definition", "shrinkage", "shrinkage_method", "fte_hours_per_week")


def inherited_section(loaded):
    """
    The capacity section with the weekly plan's assumptions wherever it gives none of its own.

    A key of :data:`SHARED_STAFFING` that ``capacity.staffing`` leaves out
    takes the value of the scenario's ``staffing`` section (its defaults
    included: what the weekly plan of the same scenario uses); the abandonment
    keys (``patience``, ``max_abandon_rate``) only while the capacity model is
    the weekly one. ``capacity.demand.aht`` left out takes the scenario's
    ``aht``: its value (and ``factor`` as ``aht_factor``), or ``history`` for
    ``aht: {forecast: ...}``; a time-of-day profile has no weekly value, so it
    needs ``capacity.demand.aht``. ``capacity.demand.week_start`` left out
    takes ``horizon.week_start``, so the plan's weeks are the weekly plan's;
    with neither, both infer it from the history's open days.
    Keys the capacity section gives win.
    """
    scenario = loaded.scenario
    section = scenario.capacity
    own = section.staffing.model_fields_set
    weekly = scenario.staffing.model_dump()
    staffing = {k: weekly[k] for k in SHARED_STAFFING if k not in own}
    if "model" in own and section.staffing.model != scenario.staffing.model:
        for key in ("patience", "max_abandon_rate"):  # the weekly model's abandonment, not this model's
            staffing.pop(key, None)
    demand, aht = {}, scenario.aht
    if "aht" not in section.demand.model_fields_set:
        if aht.profile is not None:
            raise ScenarioError("the scenario's aht is a time-of-day profile, which has no weekly value: give "
                                "capacity.demand.aht in seconds (or 'history' with an AHT column in the data).",
                                path=loaded.source, key="capacity.demand.aht")
        demand["aht"] = "history" if aht.forecast is not None else aht.value
        if "aht_factor" not in section.demand.model_fields_set:
            demand["aht_factor"] = aht.factor
    if "week_start" not in section.demand.model_fields_set and "week_start" in scenario.horizon.model_fields_set:
        demand["week_start"] = scenario.horizon.week_start  # the weekly plan's; neither given: the open days'
    config = section.model_dump()
    config["staffing"].update(staffing)
    config["demand"].update(demand)
    merged = config["staffing"]
    for key in ("patience", "max_abandon_rate"):
        if merged["model"] == "erlang_c" and merged[key] is not None:
            raise ScenarioError(f"{key} needs model erlang_a: Erlang C (capacity.staffing.model, or the staffing "
                                f"section's when left out) has no abandonment, so it would ignore {key}; set "
                                f"capacity.staffing.model: erlang_a, or drop {key}.", path=loaded.source,
                                key=f"capacity.staffing.{key}")
    if merged["model"] == "erlang_a" and merged["patience"] is None:
        raise ScenarioError("model erlang_a needs patience (mean seconds a caller waits before hanging up): give "
                            "capacity.staffing.patience.", path=loaded.source, key="capacity.staffing.patience")
    try:
        return type(section)(**config)
    except ValueError as err:
        raise ScenarioError(f"with the staffing section's values where it gives none: {err}", path=loaded.source,
                            key="capacity.staffing") from None


def capacity_tasks(loaded, histories, *, weekly=False):
    """
    The capacity what-ifs of a scenario (base first, then the grid's product), ready to run.

    The files (:func:`capacity_files`, read at load unless the scenario was
    loaded without its data) are checked here against the history: their
    sites are the queues, and no staff hire date comes after the plan's
    start (the earliest of the what-ifs'). ``weekly``: the weekly job runs
    too (``wfm run``) and warns about the scenario's ``aht`` itself, so an
    inherited ``capacity.demand.aht`` is not warned about twice.
    """
    section = inherited_section(loaded)
    files = loaded.capacity_files if loaded.capacity_files is not None else capacity_files(loaded, section)
    history = {q: h["calls"] for q, h in histories.items()}
    aht_history = {q: h["aht"] for q, h in histories.items()} if all("aht" in h for h in histories.values()) \
        else None
    if section.demand.aht == "history" and aht_history is None:
        raise ScenarioError("capacity.demand.aht is 'history' but the data has no AHT column: give data.aht or "
                            "data.handle_time, or an AHT in seconds.", path=loaded.source, key="capacity.demand.aht")
    _warn_aht(loaded, section, weekly)
    variants = [(BASE, {}, section), *_grid_sections(loaded, section)]
    staff, transfers, classes = _on_history(loaded, files, list(histories), _earliest_start(history, variants))
    return [CapacityTask(name, values, sec, history, aht_history, staff, transfers, classes)
            for name, values, sec in variants]


def _grid_sections(loaded, section):
    """(name, values, section) of each what-if of ``capacity.grid``."""
    base = section.model_dump(exclude={"grid"})
    grid = section.grid
    out = []
    for combo in (itertools.product(*grid.values()) if grid else ()):
        values = dict(zip(grid, combo))
        config = base
        for path, value in values.items():
            try:
                get_path(base, path)
            except KeyError:
                raise ScenarioError(f"capacity.grid names {path!r}, which is not a key of the capacity section.",
                                    path=loaded.source, key=f"capacity.grid.{path}") from None
            config = _set(config, path, value)
        try:
            variant = type(section)(**config)
        except ValueError as err:
            raise ScenarioError(f"capacity.grid {values}: {err}", path=loaded.source, key="capacity.grid") \
                from None
        out.append((",".join(f"{k}={format_value(v)}" for k, v in values.items()), values, variant))
    return out


def _earliest_start(history, variants):
    """The earliest plan start of the what-ifs (None where none can be found: each what-if then says why)."""
    starts = []
    for start, week_start in dict.fromkeys((sec.demand.start, sec.demand.week_start) for _, _, sec in variants):
        try:
            starts.append(plan_start(history, start=start, week_start=week_start))
        except (ValueError, TypeError):
            continue
    return min(starts) if starts else None


def _on_history(loaded, files, sites, start):
    """The files checked against the history: every site a queue, no hire date after the plan's ``start``."""
    sec = loaded.scenario.capacity
    dates = {"dayfirst": sec.dayfirst, "date_format": sec.date_format}
    checks = {"staff": lambda f: check_staff(f, sites=sites, start=start, rows=f.index, **dates),
              "transfers": lambda f: check_transfers(f, sites=sites),
              "classes": lambda f: check_classes(f, sites=sites)}
    out = []
    for key, check in checks.items():
        frame = getattr(files, key)
        if frame is not None:
            checked = _checked(loaded, key, files.where[key], check, frame)
            checked.attrs = dict(frame.attrs)
            frame = checked.rename_axis(frame.index.name)
        out.append(frame)
    return out


def _warn_aht(loaded, section, weekly=False):
    """An AHT in minutes for seconds warns once here, naming its key; the what-ifs leave weekly_forecast's out.
    ``weekly``: the weekly job warns about the scenario's ``aht``, so the value the section inherits is left to it."""
    own = "aht" in loaded.scenario.capacity.demand.model_fields_set
    key = "capacity.demand.aht" if own else "aht (capacity.demand.aht left out)"
    seen = [] if own or not weekly else [section.demand.aht]
    for value in [section.demand.aht, *section.grid.get("demand.aht", [])]:
        if not isinstance(value, str) and value not in seen:  # 'history': the data's AHT, checked by its reader
            seen.append(value)
            warn_implausible(value, key, "aht", stacklevel=2)


def _set(config, path, value):
    import copy

    out = copy.deepcopy(config)
    node = out
    parts = path.split(".")
    for part in parts[:-1]:
        node = node[part]
    node[parts[-1]] = value
    return out


def run_capacity_task(task):
    """
    Demand, plan and risk of one what-if. Never raises: an error becomes ``status`` "failed", and the
    warnings of the what-if are its row's ``warnings`` (one per line), so each is told with its what-if.
    """
    import warnings

    with warnings.catch_warnings(record=True) as caught, option_names(SCENARIO_OPTIONS):
        warnings.simplefilter("always")
        warnings.filterwarnings("ignore", r"aht of ", UnitWarning)  # warned once at load, naming the key
        outcome = _run_capacity_task(task)
    outcome.row["warnings"] = "\n".join(dict.fromkeys(" ".join(str(w.message).split()) for w in caught))
    return outcome


def _run_capacity_task(task):
    sec = task.section
    row = {"variant": task.variant, "status": "ok", "error": "", **{f"capacity.{k}": format_value(v)
                                                                    for k, v in task.values.items()}}
    seconds = {}
    step = "capacity demand"
    plan = risk = None
    try:
        t0 = time.perf_counter()
        demand_args = sec.demand.model_dump()
        if demand_args["aht"] == "history":
            demand_args["aht"] = task.aht_history
        demand = weekly_demand(task.history, **demand_args, **sec.staffing.model_dump())
        row.update(week_start=demand.attrs["week_start"], week_start_inferred=sec.demand.week_start is None)
        seconds[step] = time.perf_counter() - t0
        step, t0 = "capacity plan", time.perf_counter()
        plan = capacity_plan(demand, task.staff, sec.rules, transfers=task.transfers, classes=task.classes,
                             requirement=sec.requirement, method=sec.method, time_limit=sec.time_limit,
                             mip_rel_gap=sec.mip_rel_gap)
        seconds[step] = time.perf_counter() - t0
        row.update(plan.figures())
        row["fte_basis"] = plan.params.get("fte_basis")
        if sec.risk is not None:
            step, t0 = "capacity risk", time.perf_counter()
            risk = capacity_risk(plan, level=sec.demand.level, **sec.risk.model_dump())
            seconds[step] = time.perf_counter() - t0
            row.update({k: val for k, val in risk.figures().items() if k != "seconds"})
    except Exception as err:  # noqa: BLE001 - a failing what-if is reported, the others finish
        row.update(status="failed", error=f"{step}: {type(err).__name__}: {err}")
    return CapacityOutcome(task.variant, row, plan, risk, seconds)


@dataclass(frozen=True)
class CapacityResult(Result):
    """
    The capacity what-ifs of a scenario, built by :func:`run_capacity`.

    Attributes
    ----------
    variants : DataFrame
        One row per what-if: ``variant``, ``status``, ``error``, the grid
        values and the plan's (and risk's) summary figures.
    plan : DataFrame
        The weekly table of every what-if's plan, ``variant`` first.
    monthly : DataFrame
        The finance roll-up of every what-if's plan
        (:meth:`~wfm.capacity.CapacityPlan.monthly`), ``variant`` first.
    plans, risks : dict
        :class:`~wfm.capacity.CapacityPlan` and
        :class:`~wfm.capacity.CapacityRisk` by variant.
    """

    variants: pd.DataFrame
    plan: pd.DataFrame
    plans: dict
    risks: dict
    monthly: pd.DataFrame = field(default_factory=pd.DataFrame)
    params: dict = field(default_factory=dict)

    TITLE = "Capacity plans"

    @property
    def ok(self):
        return bool((self.variants["status"] == "ok").all())

    @property
    def table(self):
        """One row per what-if (:attr:`variants`)."""
        return self.variants

    def figures(self):
        """``what_ifs``, ``failed``, and the range over the what-ifs of ``hires`` [heads, int] and ``total_cost``."""
        v = self.variants
        out = {"what_ifs": int(len(v)), "failed": int((v["status"] != "ok").sum())}
        for col in ("hires", "total_cost"):
            if col in v and v[col].notna().any():
                cast = int if col == "hires" else float
                out[f"{col}_min"], out[f"{col}_max"] = cast(v[col].min()), cast(v[col].max())
        return out

    def sheets(self):
        return {"variants": self.variants, "plan": self.plan, "monthly": self.monthly}

    def tables(self):
        """The tables by name, as :func:`wfm.report.write_table` writes them."""
        return {"capacity_variants": self.variants, "capacity_plan": self.plan, "capacity_monthly": self.monthly}

    def plot(self, ax=None, **kwargs):
        """Each what-if's available productive FTE per week against the first one's required FTE; the Axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(11, 4))
        for i, (variant, plan) in enumerate(self.plans.items()):
            weekly = plan.table.groupby("week")[["required_fte", "available_fte"]].sum()
            if i == 0:
                ax.step(weekly.index, weekly["required_fte"], where="mid", color="k", ls="--", label="required FTE")
            ax.step(weekly.index, weekly["available_fte"], where="mid", label=f"{variant}: available", **kwargs)
        weeks = weekly.index if self.plans else pd.Index([])
        ax.set_xlabel(week_label(weeks))
        if isinstance(weeks, pd.DatetimeIndex):
            date_axis(ax.xaxis)
        ax.set_ylabel("FTE")
        ax.set_title(f"Capacity what-ifs ({len(self.variants)})")
        ax.legend(fontsize="small", frameon=False)
        return ax

    def __repr__(self):
        return f"CapacityResult({len(self.variants)} what-if(s))\n{self.variants.to_string(max_cols=12)}"


def collect_capacity(outcomes):
    """The :class:`CapacityResult` of the outcomes of :func:`run_capacity_task`."""
    frames = [o.plan.table.assign(variant=o.variant)[["variant", *o.plan.table.columns]]
              for o in outcomes if o.plan is not None]
    months = [o.plan.monthly().assign(variant=o.variant) for o in outcomes if o.plan is not None]
    months = [m[["variant", *m.columns[:-1]]] for m in months]
    return CapacityResult(variants=pd.DataFrame([o.row for o in outcomes]),
                          plan=pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(),
                          plans={o.variant: o.plan for o in outcomes if o.plan is not None},
                          risks={o.variant: o.risk for o in outcomes if o.risk is not None},
                          monthly=pd.concat(months, ignore_index=True) if months else pd.DataFrame())
