"""
A multi-skill centre's staffing for people: the report's section, the workbook's sheets and the CSV tables.

Formatting only: every figure is read from a :class:`wfm.skills.SkillStaffing`
(its ``table``, ``service``, ``intervals``, ``figures()`` and ``plot()``) and
from its headline (:func:`wfm.headline.skills_headline`).

* :func:`skills_tables`: the tables written as CSV/Parquet, tidy and long:
  ``skills_agents`` (agents per interval and group), ``skills_service``
  (service per interval and call type with its confidence bounds) and
  ``skills_intervals`` (per interval: agents, cost and the Erlang bounds).
* :func:`skills_sheets`: the workbook's sheets (agents wide, one column per
  group; service per type over the horizon; service per interval) and the
  unit of each numeric column.
* :func:`skills_sections`: the HTML report's section.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["skills_tables", "skills_sheets", "skills_sections", "skills_lines", "type_summary", "plot_skills",
           "SKILLS_UNITS"]

#: Units of the multi-skill tables' columns (see :mod:`wfm.report.units`). ``cost`` is agent-hours weighted by
#: each group's cost per agent-hour (the centre's own cost units), shown like fractional agents.
SKILLS_UNITS = {
    "agents": "count", "approx_agents": "count", "cost": "agents", "calls": "calls",
    "service_level": "fraction", "service_level_lo": "fraction", "service_level_hi": "fraction",
    "service_level_target": "fraction", "threshold": "s", "asa": "s", "asa_lo": "s", "asa_hi": "s", "max_asa": "s",
    "abandon_rate": "fraction", "abandon_rate_lo": "fraction", "abandon_rate_hi": "fraction",
    "max_abandon_rate": "fraction", "shortfall": "ratio", "per_type_agents": "count", "pooled_agents": "count",
    "per_type_cost": "agents", "pooled_cost": "agents", "evaluations": "count", "intervals": "count",
    "intervals_met": "count", "worst_service_level_lo": "fraction", "worst_asa_hi": "s",
    "worst_abandon_rate_hi": "fraction",
}
_HEADLINE_UNITS = {"skills_agents_peak": "count", "skills_agent_hours": "h", "skills_cost": "agents",
                   "skills_per_type_cost": "agents", "skills_pooled_cost": "agents",
                   "skills_saving_vs_per_type": "fraction", "skills_excess_over_pooled": "fraction",
                   "skills_types_on_target": "fraction"}


def skills_tables(staffing):
    """The CSV/Parquet tables of a staffing: ``skills_agents``, ``skills_service``, ``skills_intervals`` (long)."""
    return {"skills_agents": staffing.table.copy(), "skills_service": staffing.service.copy(),
            "skills_intervals": staffing.intervals.rename_axis("interval").reset_index()}


def type_summary(staffing):
    """
    Service per call type over the horizon: intervals with calls, how many meet every target, calls, and the
    worst interval's bound on the unfavourable side (lowest ``service_level_lo``, highest ``asa_hi`` and
    ``abandon_rate_hi``) beside the targets.
    """
    svc = staffing.service
    if not len(svc):
        return pd.DataFrame()
    g = svc.groupby("type", sort=False)
    out = pd.DataFrame({"intervals": g.size(), "intervals_met": g["met"].sum().astype(int), "calls": g["calls"].sum(),
                        "service_level_target": g["service_level_target"].first(),
                        "worst_service_level_lo": g["service_level_lo"].min(), "max_asa": g["max_asa"].first(),
                        "worst_asa_hi": g["asa_hi"].max(), "max_abandon_rate": g["max_abandon_rate"].first(),
                        "worst_abandon_rate_hi": g["abandon_rate_hi"].max()})
    return out.rename_axis("type")


def skills_sheets(staffing, headline):
    """
    The workbook's sheets of a multi-skill staffing and the unit of each numeric column (or one per row).

    ``skills summary`` (the headline: label, text, value, one unit per row), ``skills agents`` (interval x group,
    whole agents), ``skills by type`` (:func:`type_summary`), ``skills service`` (per interval and type, with the
    bounds) and ``skills intervals`` (per interval: agents, cost and the Erlang bounds).
    """
    head = headline.table[["label", "text", "value", "figure"]]
    tables = {"skills summary": head, "skills agents": staffing.agents().rename_axis("interval"),
              "skills by type": type_summary(staffing), "skills service": staffing.service,
              "skills intervals": staffing.intervals.rename_axis("interval")}
    units = {"skills summary": {"value": [_HEADLINE_UNITS[k] for k in head["figure"]]},
             "skills agents": {g: "count" for g in staffing.params["groups"]}}
    for name in ("skills by type", "skills service", "skills intervals"):
        units[name] = {c: SKILLS_UNITS[c] for c in tables[name].columns if c in SKILLS_UNITS}
    return tables, units


def skills_lines(headline, error=None):
    """The multi-skill centre's headline as indented lines of the run's summary (its error when the step failed)."""
    if error:
        return [f"  multi-skill centre: FAILED: {error}"]
    if headline is None:
        return []
    return ["  multi-skill centre:"] + ["    " + line for line in headline.text().splitlines()]


def plot_skills(staffing):
    """The staffing's plot (agents per group, stacked, with the per-type and pooled Erlang totals); the Figure."""
    return staffing.plot().figure


def skills_sections(staffing, headline, *, figure=None, description=""):
    """
    The HTML report's sections of a multi-skill staffing: the headline as cards with what the figures mean,
    the plot, the agents per group and interval, the service per type over the horizon, and the intervals or
    types that miss a target.
    """
    p = staffing.params
    f = staffing.figures()
    method = ("refined by simulation (sample-average search with common random numbers, then repaired and checked "
              "on independent samples)" if p.get("searched") else
              "from the pooling approximation" if p["method"] == "approximation" else
              "per-type Erlang (dedicated groups)")
    text = (f"{description + ' ' if description else ''}{len(p['types'])} call types, {len(p['groups'])} agent "
            f"groups, {len(staffing.intervals)} intervals of {p['interval'] / 60:g} min, staffed {method} "
            f"(wfm.skills.staff_centre). Each interval is staffed in steady state. The service of each type is "
            f"checked by simulation on an independent sample of at least {p['replications'] * p['check']} "
            f"replications (more in quiet intervals), with {p['level']:.0%} confidence bounds. Cost: agent-hours x "
            f"their group's cost per agent-hour, summed over the groups; per-type Erlang staffs each type on its "
            f"own (no pooling), pooled Erlang one queue with every agent holding every skill (a bound no skill "
            f"structure beats by much). "
            f"{f['types_on_target']:.1%} of the interval-types meet every target by the point estimate; lowest "
            f"service-level bound minus its target {f['worst_service_level_gap']:+.3f}.")
    sections = [{"heading": "Multi-skill centre", "cards": headline.table, "text": text, "figure": figure}]
    wide = staffing.agents()
    wide.index = [f"{t:%a %H:%M}" for t in wide.index]
    sections.append({"heading": "Multi-skill centre: agents per group and interval",
                     "text": "Whole agents on duty in each group (columns) per interval (rows).",
                     "table": wide.rename_axis("interval"), "max_rows": 200})
    by_type = type_summary(staffing)
    if len(by_type):
        sections.append({"heading": "Multi-skill centre: service per call type",
                         "text": "Per call type over the intervals with calls: how many meet every target (point "
                                 "estimate), and the worst interval's confidence bound on the unfavourable side "
                                 "beside each target (blank where the type has no such target).",
                         "table": by_type, "max_rows": None, "units": SKILLS_UNITS})
        svc = staffing.service
        miss = svc[~svc["met"]]
        if len(miss):
            keep = ["interval", "type", "calls", "service_level", "service_level_lo", "service_level_target", "asa",
                    "asa_hi", "max_asa", "abandon_rate", "abandon_rate_hi", "max_abandon_rate", "shortfall"]
            sections.append({"heading": "Multi-skill centre: interval-types below a target",
                             "text": "Where the checked point estimate misses a target (shortfall: the largest "
                                     "relative miss). All service per interval and type is in skills_service.csv "
                                     "and the workbook.",
                             "table": miss[keep].reset_index(drop=True), "max_rows": 100, "units": SKILLS_UNITS})
    return [s if s.get("figure") is not None else {k: val for k, val in s.items() if k != "figure"}
            for s in sections]
