"""
The unit of each column of wfm's tables, and the number format each unit is shown with.

A column's unit is declared once, here or next to the code that makes the
column, never guessed from its name when it is shown: the workbook
(:func:`wfm.report.write_excel` with ``units=``) formats a column by its unit.

Units
-----
=============== ===================================================== =================
unit            meaning                                               Excel format
=============== ===================================================== =================
``fraction``    rates, targets and shares, 0-1 (0.8 is 80 %)          ``0.0%``
``count``       whole things: agents, heads, contacts, answers        ``#,##0``
``calls``       expected calls (forecasts, sums of forecasts)         ``#,##0.0``
``agents``      fractional agents (gross of shrinkage, averages)      ``#,##0.0``
``erlang``      offered load                                          ``#,##0.0``
``s``           seconds (ASA of 0.2 s stays visible)                  ``#,##0.0``
``h``           hours                                                 ``#,##0.0``
``fte``         full-time equivalents                                 ``#,##0.0``
``currency``    money, whole units (with the run's currency)          ``#,##0 "USD"``
``price``       money per unit (per contact, per paid hour)           ``#,##0.00 "USD"``
``score``       answers on a scale (CSAT mean 1-5, CES 1-7, QA 0-100, ``0.00``
                net sentiment -1 to 1)
``points``      NPS points, -100 to 100                               ``0.0``
``ratio``       ratios that are not shares (MASE, factors)            ``0.00``
``per_h``       contacts per hour                                     ``#,##0.0``
``id``          seeds, years, numbers that are names                  ``0``
=============== ===================================================== =================

The tables made in :mod:`wfm.staffing`, :mod:`wfm.forecast`,
:mod:`wfm.simulation`, :mod:`wfm.schedule`, :mod:`wfm.capacity` and the
scenario runner declare their units in this module for now (``PLAN_UNITS``
and the others below); each mapping is meant to move next to the code that
makes its table. The KPIs' units come from :func:`wfm.evaluate.catalogue`,
the headline's from :data:`wfm.headline.HEADLINE_FIELDS`.
"""

from __future__ import annotations

import math

import pandas as pd

from ..evaluate.kpi import CATALOGUE
from ..headline import HEADLINE_FIELDS

__all__ = ["UNIT_FORMATS", "UNIT_TEXT", "unit_format", "unit_text", "per_row", "unit_of", "PLAN_UNITS", "TOTALS_UNITS",
           "FORECAST_UNITS", "PEAK_UNITS",
           "METRIC_UNITS", "COVERAGE_UNITS", "SHIFT_UNITS", "PATTERN_UNITS", "CHECK_UNITS", "VARIANT_UNITS",
           "CAPACITY_PLAN_UNITS", "CAPACITY_MONTHLY_UNITS", "CAPACITY_VARIANT_UNITS", "ROSTER_UNITS", "ROSTER_AGENT_UNITS", "KPI_UNITS",
           "HEADLINE_UNITS", "SCENARIO_KEY_UNITS", "scenario_key_unit", "TIMING_UNITS"]

#: Excel number format of each unit (``currency`` and ``price`` get the run's currency, see :func:`unit_format`).
UNIT_FORMATS = {
    "fraction": "0.0%",
    "count": "#,##0",
    "calls": "#,##0.0",
    "agents": "#,##0.0",
    "erlang": "#,##0.0",
    "s": "#,##0.0",
    "h": "#,##0.0",
    "fte": "#,##0.0",
    "currency": "#,##0",
    "price": "#,##0.00",
    "score": "0.00",
    "points": "0.0",
    "ratio": "0.00",
    "per_h": "#,##0.0",
    "id": "0",
}

#: Python format of each unit in text (the HTML report): the same decimals as :data:`UNIT_FORMATS`.
UNIT_TEXT = {"fraction": ".1%", "count": ",.0f", "calls": ",.1f", "agents": ",.1f", "erlang": ",.1f", "s": ",.1f",
             "h": ",.1f", "fte": ",.1f", "currency": ",.0f", "price": ",.2f", "score": ".2f", "points": ".1f",
             "ratio": ".2f", "per_h": ",.1f", "id": ".0f"}

#: Units as other modules spell them -> the unit of :data:`UNIT_FORMATS`.
_ALIASES = {"0-1": "fraction", "scale": "score", "-1 to 1": "score", "1/h": "per_h", "FTE": "fte",
            "agents_count": "count"}


def unit_of(unit):
    """The unit of :data:`UNIT_FORMATS` a spelling stands for (``"0-1"`` is ``fraction``); None for None."""
    if unit is None:
        return None
    unit = _ALIASES.get(unit, unit)
    if unit not in UNIT_FORMATS:
        raise ValueError(f"unit must be one of {sorted(UNIT_FORMATS)} (or {sorted(_ALIASES)}); got {unit!r}.")
    return unit


def unit_format(unit, currency=None):
    """
    The Excel number format of a unit; money gets its currency.

    Examples
    --------
    >>> unit_format("0-1"), unit_format("count"), unit_format("currency", "USD"), unit_format("scale")
    ('0.0%', '#,##0', '#,##0 "USD"', '0.00')
    """
    unit = unit_of(unit)
    fmt = UNIT_FORMATS[unit]
    if unit in ("currency", "price") and currency:
        fmt += f' "{currency}"'
    return fmt


def unit_text(value, unit):
    """
    A number as text in its unit's format (the HTML report); a dash for NaN.

    Examples
    --------
    >>> unit_text(0.9146, "fraction"), unit_text(8360.0, "count"), unit_text(4.153, "scale"), unit_text(17.17, "calls")
    ('91.5%', '8,360', '4.15', '17.2')
    """
    x = float(value)
    if not math.isfinite(x):
        return "\u2013" if math.isnan(x) else ("\u221e" if x > 0 else "\u2212\u221e")
    return format(x, UNIT_TEXT[unit_of(unit)])


# --------------------------------------------------------------------------
# Units of the tables made outside wfm.report (to move next to their producers).
# --------------------------------------------------------------------------

#: StaffingPlan.table (wfm.staffing): one row per interval. Move to wfm/staffing/plan.py.
PLAN_UNITS = {
    "calls": "calls", "lower": "calls", "upper": "calls", "rate_sd": "calls", "calls_staffed": "calls",
    "aht": "s", "load": "erlang", "agents": "count", "scheduled_agents": "agents",
    "service_level_target": "fraction", "service_level": "fraction", "expected_service_level": "fraction",
    "asa": "s", "max_asa": "s", "occupancy": "fraction", "max_occupancy": "fraction",
    "abandon_rate": "fraction", "max_abandon_rate": "fraction", "p_meet": "fraction",
}
#: StaffingPlan.totals (wfm.staffing): agent-hours and FTE per day or week. Move to wfm/staffing/plan.py.
TOTALS_UNITS = {"calls": "calls", "agent_hours": "h", "scheduled_hours": "h", "fte": "fte", "week_share": "fraction",
                "required_fte": "fte", "paid_hours": "h", "weeks": "ratio"}
#: The forecast table (wfm.forecast and the runner's forecast.csv). Move to wfm/forecast/_result.py.
FORECAST_UNITS = {"forecast": "calls", "lower": "calls", "upper": "calls", "level": "fraction", "aht": "s",
                  "actual": "calls"}
#: The history's peak periods (wfm.forecast.peak_summary, the runner's peaks.csv). Move to wfm/forecast/peaks.py.
PEAK_UNITS = {"calls": "calls", "peak_to_average": "ratio", "n_days": "count", "days_at_peak": "count"}
#: Units of the forecast-accuracy metrics (wfm.metrics' table): the backtest summary's mean, min and max
#: are in the unit of the row's metric. Move to wfm/metrics.py.
METRIC_UNITS = {"wape": "fraction", "mape": "fraction", "mape_excluded": "count", "smape": "fraction",
                "mase": "ratio", "rmse": "calls", "mae": "calls", "bias": "fraction", "tracking_signal": "ratio",
                "coverage": "fraction", "width": "fraction", "pinball": "calls", "winkler": "calls"}
#: SchedulePlan.coverage (wfm.schedule): agents per interval. Move to wfm/schedule/result.py.
COVERAGE_UNITS = {"required": "count", "scheduled": "count", "on_break": "count", "over": "count",
                  "under": "count", "service_level": "fraction", "sized": "count"}
#: SchedulePlan.shifts (wfm.schedule), and the shift table of wfm.report.schedule_views (its day columns
#: are agents: see :func:`wfm.report.schedule_views.shift_table`).
SHIFT_UNITS = {"paid_hours": "h", "agents": "count", "cost": "currency", "agent_days": "count"}
#: wfm.report.schedule_views.pattern_table.
PATTERN_UNITS = {"agents": "count"}
#: Verification.table (wfm.simulation.verify_plan). Move to wfm/simulation/verify.py.
CHECK_UNITS = {"calls": "calls", "agents": "count",
               **{f"{name}{end}": unit for name, unit in (("service_level", "fraction"),
                                                          ("abandon_rate", "fraction"), ("asa", "s"))
                  for end in ("", "_erlang", "_lo", "_hi")}}
#: The runner's variants table (wfm.scenario.runner); the grid columns have the units of their scenario keys
#: (:func:`scenario_key_unit`). Move to wfm/scenario/runner.py.
VARIANT_UNITS = {
    "heads_to_employ": "count", "fte": "fte", "required_fte": "fte", "cost": "currency", "required_cost": "currency",
    "plan_service_level": "fraction",
    "service_level": "fraction", "abandon_rate": "fraction", "p_meet": "fraction", "peak_agents": "count",
    "heads": "count", "simulated_service_level": "fraction", "simulated_service_level_lo": "fraction",
    "simulated_service_level_hi": "fraction", "calls": "calls", "agent_hours": "h", "scheduled_hours": "h",
    "asa": "s", "paid_hours": "h", "schedule_cost": "currency", "schedule_gap": "fraction",
    "intervals_short": "count", "flagged_intervals": "count", "kpi_alerts": "count",
    "backtest_wape": "fraction", "backtest_daily_wape": "fraction", "roster_gap": "fraction",
    "roster_coverage_loss": "count",
}
#: CapacityPlan.table (wfm.capacity): heads are expected values. Move to wfm/capacity/result.py.
CAPACITY_PLAN_UNITS = {
    **{c: "fte" for c in ("required_fte", "required_fte_lower", "required_fte_upper", "available_fte",
                          "available_fte_staff", "available_fte_hires", "overtime_fte", "gap_fte",
                          "penalised_gap_fte", "paid_fte")},
    **{c: "agents" for c in ("trainees", "headcount", "hires", "committed_hires", "graduates", "transfers",
                             "leavers", "training_leavers")},
    **{c: "currency" for c in ("hiring_cost", "paid_cost", "overtime_cost", "gap_cost")},
}
#: The capacity what-ifs (CapacityPlan.summary and CapacityRisk.summary per what-if). Move to
#: wfm/scenario/long_term.py.
#: CapacityPlan.monthly() (wfm.capacity): the finance roll-up. Move to wfm/capacity/result.py.
CAPACITY_MONTHLY_UNITS = {
    "weeks": "count", "headcount_end": "count", "trainees_end": "count", "paid_fte": "fte", "available_fte": "fte",
    "required_fte": "fte", "hires": "count", "releases": "count", "classes": "count", "leavers": "agents",
    "gap_fte_weeks": "fte", "total_cost": "currency",
    **{c: "currency" for c in ("hiring_cost", "training_cost", "paid_cost", "release_cost", "overtime_cost",
                               "gap_cost")},
}
CAPACITY_VARIANT_UNITS = {
    "sites": "count", "weeks": "count", "required_fte_mean": "fte", "available_fte_mean": "fte",
    "headcount_start": "agents", "headcount_end": "agents", "hires": "count", "classes": "count",
    "leavers": "agents", "site_weeks_short": "count", "gap_fte_weeks": "fte", "hiring_cost": "currency",
    "paid_cost": "currency", "overtime_cost": "currency", "gap_cost": "currency", "total_cost": "currency",
    "objective": "currency", "mip_gap": "fraction", "paths": "count", "prob_short_mean": "fraction",
    "prob_short_max": "fraction", "weeks_above_target": "count", "max_short_probability": "fraction",
    "hires_plan": "count", "hires_hedged": "count", "prob_short_max_reachable": "fraction",
    "prob_short_max_hedged": "fraction",
}
#: Roster.table and Roster.agents (wfm.roster). Move to wfm/schedule/rostering.py.
ROSTER_UNITS = {"day": "id", "paid_hours": "h"}
ROSTER_AGENT_UNITS = {"shifts": "count", "paid_hours": "h", "weekends": "count", "lates": "count",
                      "requests": "count", "requests_met": "count", "unmet_request_weight": "ratio"}
#: The KPIs of wfm.evaluate.kpis, from its catalogue.
KPI_UNITS = {row[0]: unit_of(row[3]) for row in CATALOGUE}
#: The headline's figures (wfm.headline.HEADLINE_FIELDS: key, label, unit, display kind).
HEADLINE_UNITS = {key: "count" if unit == "agents" else unit_of(unit) for key, _, unit, _ in HEADLINE_FIELDS}
#: The runner's timings.
TIMING_UNITS = {"seconds": "s"}

#: Scenario keys (the arguments of the functions they feed) by their last part: grid columns and parameters.
SCENARIO_KEY_UNITS = {
    **{k: "fraction" for k in ("service_level", "max_occupancy", "occupancy", "max_abandon_rate", "abandon_rate",
                               "probability", "level", "shrinkage", "mip_gap", "mip_rel_gap", "tolerance",
                               "growth", "training_attrition", "nesting_productivity", "max_short_probability",
                               "part_time_share", "survey_rate")},
    **{k: "s" for k in ("aht", "threshold", "patience", "max_asa", "time_limit", "short_abandon")},
    **{k: "ratio" for k in ("factor", "volume_factor", "handle_cv", "attrition_scale")},
    **{k: "h" for k in ("fte_hours_per_week", "hours_per_fte")},
    **{k: "price" for k in ("paid_hour", "cost_per_paid_hour", "telephony_minute")},
    **{k: "currency" for k in ("fixed", "budget", "cost_per_hire", "shortfall_penalty")},
    **{k: "count" for k in ("replications", "n_origins", "days", "max_heads", "weeks", "days_per_week",
                            "paths", "class_min", "class_max", "lead_time_weeks", "training_weeks",
                            "nesting_weeks")},
    "seed": "id",
}


def scenario_key_unit(path):
    """
    The unit of a scenario key such as ``staffing.shrinkage.absence`` (a shrinkage component: a fraction);
    None when the key is not listed in :data:`SCENARIO_KEY_UNITS`.

    Examples
    --------
    >>> [scenario_key_unit(p) for p in ("forecast.volume_factor", "staffing.shrinkage.absence", "aht", "x.y")]
    ['ratio', 'fraction', 's', None]
    """
    parts = str(path).split(".")
    if "shrinkage" in parts[:-1]:
        return "fraction"
    return SCENARIO_KEY_UNITS.get(parts[-1])


def per_row(units):
    """A list of units, one per row, from a Series or iterable of spellings (``"0-1"``, ``"s"``, ...)."""
    values = units.tolist() if isinstance(units, pd.Series) else list(units)
    return [unit_of(u) if isinstance(u, str) and u else None for u in values]
