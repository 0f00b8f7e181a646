r"""
Write a scenario's results into a folder: tables, plots, ``report.html`` and ``wfm_plan.xlsx``.

What is written (``output`` section of the scenario):

=========================== =====================================================================
file                        content
=========================== =====================================================================
variants.csv                one row per queue and variant: status, error, required FTE and its
                            weekly cost (every variant), heads to employ, FTE to employ, weekly
                            cost, SL (variants sized into shifts), ... (from :func:`wfm.plan_headline`)
forecast.csv                forecast, band (and AHT) per queue and interval
backtest.csv                backtest summary of the forecast method per queue
requirements.csv            the staffing plan of every variant, long (``queue``, ``variant``)
daily.csv                   agent-hours and required FTE per day of every variant
schedule_shifts.csv         shifts of the sized schedules (base and marked variants)
coverage.csv                required against scheduled agents per interval
simulation_check.csv        Erlang against simulated service level per interval
kpis.csv, scorecard.csv     KPIs per period of one simulated run of the horizon, and their
                            scorecard (the latest period: status and the reason for it)
timings.csv                 seconds per step
(each also as .parquet)
\*.png                      forecast, backtest, staffing plan, schedule coverage and Gantt,
                            simulation check, variants
report.html                 one self-contained page for a manager: the headline first (the same
                            figures as the CLI summary and the workbook's first sheet), the
                            variants as a sortable table, the base schedule's shifts (start, end,
                            breaks, agents per day), weekly patterns, a required-vs-scheduled heat
                            table and a Gantt by start time, then plots, the simulation check, the
                            KPI scorecard (simulated) and the parameters
wfm_plan.xlsx               ``summary`` (the headline) first, the base plan's ``requirement``,
                            ``shifts``, ``patterns`` and ``coverage``, the ``variants``, then the
                            base plan's other tables; each numeric column in the number format
                            of its declared unit (:mod:`wfm.report.units`: %, #,##0, currency, ...),
                            frozen headers, filters
scenario.yaml               the validated scenario, every default filled in
=========================== =====================================================================

**One run per folder.** While it writes, a run holds the folder's lock
(``.wfm-lock``, see :func:`wfm.report.lock_folder`); a second run into the
same folder fails at once with :class:`wfm.report.FolderLockedError` naming
the other run's pid, host and start time.

**Whole or nothing.** Every file is first written into a staging folder
inside the output folder (each through a temporary name and a rename, see
:func:`wfm.report.atomic_write`). Only once all of them are written are they
moved into place, one :func:`os.replace` each, and the files of the previous
run that this run did not write again are removed (the previous run's list
is in ``.wfm-manifest.json``). So a crash while computing or rendering
leaves the previous results untouched, a reader never sees a half-written
file, and a rerun into the same folder replaces the results whole. Files in
the folder that wfm did not write are never touched.
"""

from __future__ import annotations

import importlib.util
import json
import os
import secrets
import shutil
import time
from pathlib import Path

import numpy as np
import pandas as pd

from .._version import __version__ as _version
from ..evaluate.targets import format_value
from ..report import lock_folder, write_excel, write_figure, write_html, write_table
from ..report._dates import date_axis
from ..report.channel_views import channel_lines, channel_sections, channel_sheets, channel_tables
from ..report.schedule_views import (
    breaks_text,
    coverage_heat,
    pattern_table,
    plot_gantt,
    shift_table,
    shift_table_units,
)
from ..report.units import (
    CAPACITY_MONTHLY_UNITS,
    CAPACITY_PLAN_UNITS,
    CAPACITY_VARIANT_UNITS,
    CHECK_UNITS,
    COVERAGE_UNITS,
    FORECAST_UNITS,
    HEADLINE_UNITS,
    KPI_UNITS,
    METRIC_UNITS,
    PATTERN_UNITS,
    PLAN_UNITS,
    ROSTER_AGENT_UNITS,
    ROSTER_UNITS,
    TOTALS_UNITS,
    VARIANT_UNITS,
    per_row,
    scenario_key_unit,
    unit_format,
)
from .grid import BASE

__all__ = ["MANIFEST", "headline_sheet", "output_dir", "scorecard_view", "summary_text", "variants_view",
           "workbook_tables", "workbook_units", "write_outputs"]

MANIFEST = ".wfm-manifest.json"
_STAGING = ".wfm-staging-"
_METHODS = {"quantile": "staffed to the {p:.0%} quantile of each interval's forecast arrival rate",
            "expected": "staffed to the expected service level over the forecast distribution",
            "point": "staffed to the point forecast"}


def output_dir(result_or_loaded, out=None):
    """The folder to write into: ``out``, else the scenario's ``output.dir``, else ``output/<name>``."""
    loaded = getattr(result_or_loaded, "loaded", result_or_loaded)
    if out is not None:
        return Path(out)
    if loaded.scenario.output.dir:
        return Path(loaded.scenario.output.dir)
    return Path("output") / loaded.scenario.name


def _as_text(frame):
    """List cells as text for CSV, Parquet and Excel: a shift's breaks (``12:00-12:30 unpaid``), a KPI's trend."""
    out = frame
    for col, fmt in (("breaks", breaks_text), ("trend", lambda t: ", ".join(f"{x:.4g}" for x in t)
                                                     if isinstance(t, (list, tuple)) else t)):
        if col in frame and frame[col].map(lambda x: isinstance(x, (list, tuple))).any():
            out = out.copy() if out is frame else out
            out[col] = [fmt(x) for x in frame[col]]
    return out


def _parquet_safe(frame):
    """Object columns mixing kinds (text and NaN, dicts) as text, so Parquet can type them."""
    out = frame
    for col in frame.columns:
        values = frame[col]
        if values.dtype == object:
            kinds = {type(x) for x in values if x is not None and not (isinstance(x, float) and np.isnan(x))}
            if len(kinds) > 1 or (kinds and not kinds <= {str, bool, pd.Timestamp}):
                if out is frame:
                    out = frame.copy()
                out[col] = values.map(lambda x: None if x is None or (isinstance(x, float) and np.isnan(x))
                                      else str(x)).astype("string")
    return out


def _readable_dates(fig):
    """
    Date labels that never overlap and say which day they are: concise date labels naming weekday, day and month
    on date axes (:func:`wfm.report._dates.date_axis`; never a week labelled by the next month); on axes labelled by a
    fixed list of ticks (the forecast plots' day labels on a time axis without closed hours), every k-th
    label, with the smallest k whose rendered labels do not touch.
    """
    import matplotlib.dates as mdates
    from matplotlib.ticker import FixedLocator, FuncFormatter

    drawn = False
    for ax in fig.axes:
        fmt = ax.xaxis.get_major_formatter()
        if isinstance(fmt, (mdates.AutoDateFormatter, mdates.DateFormatter, mdates.ConciseDateFormatter)):
            date_axis(ax.xaxis)
            continue
        if not isinstance(ax.xaxis.get_major_locator(), FixedLocator) or len(ax.get_xticks()) < 8:
            continue
        if not drawn:
            fig.canvas.draw()
            drawn = True
        renderer = fig.canvas.get_renderer()
        labels = [t for t in ax.get_xticklabels() if t.get_text()]
        boxes = [t.get_window_extent(renderer) for t in labels]
        step = 1
        while step < len(boxes) and any(a.x1 + 3 > b.x0 for a, b in zip(boxes[::step], boxes[step::step])):
            step += 1
        if step > 1:
            ax.xaxis.set_major_formatter(FuncFormatter(
                lambda x, pos, fmt=fmt, step=step: fmt(x, pos) if pos is None or pos % step == 0 else ""))
    return fig


def _plots(result):
    """(file stem, Figure) of each plot; the caller closes them."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import PercentFormatter

    objects = result.objects
    queues = list(dict.fromkeys(result.variants["queue"]))
    many = len(queues) > 1
    figures = []

    def stem(name, queue):
        return f"{name}_{queue}" if many else name

    for queue in queues:
        fc = objects["forecast"].get((queue, BASE))
        if fc is not None:
            ax = fc.plot()
            ax.set_title(f"Forecast, {queue}")
            figures.append((stem("forecast", queue), ax.figure))
        bt = objects["backtest"].get((queue, BASE))
        if bt is not None:
            ax = bt.plot()
            figures.append((stem("backtest", queue), ax.figure))
        plan = objects["plan"].get((queue, BASE))
        if plan is not None:
            ax = plan.plot()
            ax.set_title(f"Staffing plan, {queue} (base)")
            figures.append((stem("staffing_plan", queue), ax.figure))
        sched = objects.get("schedule", {}).get((queue, BASE))
        if sched is not None:
            ax = sched.plot(kind="coverage")
            # the plan has one cost, the headline's: no schedule-only cost in the title
            ax.set_title(f"Agents required and scheduled, {queue} (base): {int(sched.heads)} scheduled heads")
            figures.append((stem("schedule_coverage", queue), ax.figure))
            ax = plot_gantt(sched)
            figures.append((stem("schedule_gantt", queue), ax.figure))
        ver = objects["verification"].get((queue, BASE))
        if ver is not None:
            ax = ver.plot()
            ax.set_ylim(0, max(1.0, ax.get_ylim()[1]))  # a ratio: its axis from zero
            figures.append((stem("simulation_check", queue), ax.figure))
    cap = objects.get("capacity", {}).get(BASE)
    if cap is not None:
        ax = cap.plot()
        ax.set_title("Capacity plan (base): required and available productive FTE, hires")
        figures.append(("capacity_plan", ax.figure))
    ok = result.variants[result.variants["status"] == "ok"]
    if 1 < len(ok) <= 60 and "required_fte" in ok:
        fig, axes = plt.subplots(1, 2, figsize=(11, 0.24 * len(ok) + 1.4), sharey=True,
                                 gridspec_kw={"width_ratios": [3, 2]})
        short = _short_names(list(result.loaded.scenario.grid))
        labels = [(f"{q}: " if many else "") + _short_label(v, short, compact=True)
                  for q, v in zip(ok["queue"], ok["variant"])]
        y = np.arange(len(ok))
        colours = ["C3" if v == BASE else "C0" for v in ok["variant"]]
        axes[0].barh(y, ok["required_fte"], color=colours)
        axes[0].set_xlim(0, None)
        axes[0].set_xlabel("required FTE (workload, before shifts)")
        axes[1].barh(y, ok["plan_service_level"], color=colours, alpha=0.7)
        axes[1].set_xlim(0, 1)
        axes[1].xaxis.set_major_formatter(PercentFormatter(1.0))
        axes[1].set_xlabel("service level of the plan (Erlang)")
        axes[0].set_yticks(y, labels, fontsize="small")
        axes[0].set_ylabel(" / ".join(short[p] for p in result.loaded.scenario.grid) or "variant")
        axes[0].invert_yaxis()
        fig.suptitle("Variants on one footing: required FTE and the plan's service level (base in red)")
        fig.tight_layout()
        figures.append(("variants", fig))
    for _, fig in figures:
        _readable_dates(fig)
    return figures


def _short_names(paths):
    """Grid paths by their last key, or the last two when the last is ambiguous (aht.factor)."""
    last = [p.split(".")[-1] for p in paths]
    return {p: (k if last.count(k) == 1 and k != "factor" else ".".join(p.split(".")[-2:]))
            for p, k in zip(paths, last)}


def _short_label(name, short, compact=False):
    """A variant's name by its short keys: ``volume_factor=1.1 service_level=0.9``; ``compact`` drops the keys."""
    if name == BASE:
        return name
    parts = []
    for part in name.split(","):
        key, _, value = part.partition("=")
        parts.append(value if compact else f"{short.get(key, key)}={value}")
    return (" / " if compact else " ").join(parts)


def _flat(prefix, value, out):
    if isinstance(value, dict) and value and not prefix.endswith(("profile", "open_hours", "special_days")):
        for k, v in value.items():
            _flat(f"{prefix}.{k}" if prefix else str(k), v, out)
    elif value is not None and value != [] and value != {}:
        out[prefix] = value
    return out


def _headline_of(result, queue):
    try:
        return result.headline(queue, BASE)
    except KeyError:
        return None


#: The variants table of the report and workbook: the headline columns first, then the rest.
_HEADLINE_COLUMNS = ["required_fte", "required_cost", "plan_service_level", "heads_to_employ", "fte", "cost",
                     "service_level", "abandon_rate", "p_meet", "peak_agents", "heads", "simulated_service_level"]


def variants_view(result):
    """
    The variants for people: a short label, the figures every variant has on one footing first (required
    FTE, its weekly cost, the plan's service level), then the headline's figures of the variants sized into
    shifts (heads to employ, FTE to employ, weekly cost, expected service level, abandon rate, probability
    of meeting the target), the grid values by their short keys, then status and error. One row per queue
    and variant, in the run's order.
    """
    v = result.variants
    grid = [c for c in result.loaded.scenario.grid if c in v.columns]
    short = _short_names(grid)
    out = pd.DataFrame(index=v.index)
    if v["queue"].nunique() > 1:
        out["queue"] = v["queue"]
    out["variant"] = [_short_label(name, short) for name in v["variant"]]
    for c in _HEADLINE_COLUMNS:
        if c in v.columns and v[c].notna().any():
            out[c] = v[c]
    for c in grid:  # by the short key unless a headline column has that name (service_level)
        out[short[c] if short[c] not in out.columns else c] = v[c]
    out["status"] = v["status"]
    if "error" in v and (v["error"].fillna("") != "").any():
        out["error"] = v["error"]
    return out.reset_index(drop=True)


def _kpi_text(x, unit, change=False):
    """A KPI value by its unit: fractions (0-1) as %, changes of fractions in percentage points, seconds with s."""
    if x is None or not np.isfinite(x):
        return "\u2013"
    if unit == "0-1":
        return f"{x * 100:+.1f} pp" if change else f"{x:.1%}"
    if unit == "s":
        return f"{x:+.1f} s" if change else f"{x:.1f} s"
    return f"{x:+,.3g}" if change else f"{x:,.4g}"


def scorecard_view(card):
    """The scorecard for people: value, target, change and trend as text in each KPI's unit (%, s, points)."""
    out = card.copy()
    units = out["unit"] if "unit" in out else pd.Series("", index=out.index)
    for col in ("value", "target", "change"):
        if col in out:
            out[col] = [_kpi_text(float(x) if x is not None else np.nan, u, change=col == "change")
                        for x, u in zip(out[col], units)]
    if "trend" in out:
        out["trend"] = [_trend_text(t, u) for t, u in zip(out["trend"], units)]
    return out


def _scorecard_text(result, card):
    """What the scorecard scores: which simulated period, of how long a simulated run, and what each status means."""
    kpis = result.kpis[result.kpis["variant"] == BASE] if len(result.kpis) else result.kpis
    periods = pd.to_datetime(kpis["period"]).drop_duplicates().sort_values() if "period" in kpis else pd.Series()
    freq = result.loaded.scenario.kpis.freq
    unit = {"D": "day", "W": "week", "M": "month"}.get(str(freq).upper(), f"period ({freq})")
    if len(periods):
        last = periods.iloc[-1]
        when = f"{last:%a %d %b %Y}" if unit == "day" else f"{unit} from {last:%a %d %b %Y}"
        span = (f"the last simulated {unit} ({when}) of one simulated run of the base schedule over "
                f"{len(periods)} {unit}(s) from {periods.iloc[0]:%a %d %b %Y}")
    else:
        span = "one simulated run of the base schedule"
    return (f"KPIs of {span}, against the targets; change and trend compare the {unit}s before it. Every value "
            "comes from simulated calls and agents, not from operations. Status: green, amber or red against the "
            "target for what the simulation produces (service level, speed of answer, abandonment, occupancy); "
            "'input' for a figure the simulation was given and echoes back within sampling noise (AHT); 'not "
            "scored' for what it does not model or draws from an assumed model (shrinkage, adherence, surveys, "
            "FCR, transfers). The reason column explains each status.")


def _sections(result, files):
    r = result
    s = r.loaded.scenario
    v = r.variants
    queues = list(dict.fromkeys(v["queue"]))
    n_failed = int((v["status"] != "ok").sum())
    fig = dict(files.get("figures", []))
    cur = s.costs.currency or "currency units"
    sections = []
    horizon = ""
    if len(r.forecast):
        ts = pd.to_datetime(r.forecast["timestamp"])
        horizon = f"Horizon: {ts.min():%a %d %b %Y %H:%M} to {ts.max():%a %d %b %Y %H:%M}. "
    method = (f"Staffing: {s.staffing.model.replace('_', ' ').title()}, "
              f"{format(s.staffing.service_level, '.0%') if s.staffing.service_level else 'no SL target'} in "
              f"{s.staffing.threshold:g} s, {_METHODS[s.staffing.method].format(p=s.staffing.probability)}.")
    runs = f"{len(queues)} queue(s), {len(v)} variant run(s), {n_failed} failed."
    for queue in queues:
        label = f", {queue}" if len(queues) > 1 else ""
        h = _headline_of(r, queue)
        if h is None:
            continue
        sections.append({"heading": f"Headline{label}, base plan", "cards": h.table(),
                         "text": f"{h.note()} Weekly cost: FTE to employ x {h.params['hours_per_fte']:g} h x "
                                 f"{s.costs.paid_hour:g} {cur} per paid hour. "
                                 f"{_p_meet_note(h, r.objects['plan'].get((queue, BASE)))}"
                                 f"\n\n{horizon}{method} {runs}"})
    if not sections:
        sections.append({"heading": "Summary", "text": f"{horizon}{method} {runs}", "table": r.summary()})
    view = variants_view(r)
    sections.append({"heading": "Variants",
                     "text": "Every variant on one footing: required FTE (the plan's hours grossed up for all "
                             "shrinkage, per week, over the hours of one FTE: the workload before shifts), its "
                             "weekly cost (" + cur + ") and the plan's service level. The variants sized into "
                             "shifts (detail variants) also carry the headline's figures: heads to employ, FTE "
                             "to employ (heads to employ x paid hours per head / hours per FTE), weekly cost and "
                             "the expected service level with the scheduled agents. Click a column heading to "
                             "sort.",
                     "table": view, "max_rows": 500, "sortable": True, "units": _variant_units(r)})
    if fig.get("variants") is not None:
        sections.append({"heading": "Variants: required FTE and service level of the plan", "figure": fig["variants"]})
    for queue in queues:
        label = f" ({queue})" if len(queues) > 1 else ""
        sched = r.objects.get("schedule", {}).get((queue, BASE))
        if sched is not None:
            shifts = shift_table(sched)
            n_days = sum(1 for c in shifts.columns if c not in ("shift", "contract", "start", "end", "paid_hours",
                                                                "breaks", "agent_days"))
            sections.append({"heading": f"Shifts{label}, base",
                             "text": f"Shifts sized by wfm.schedule_weeks (time limit {s.schedule.time_limit:g} s "
                                     "a week) to cover the plan's productive agents: start, end and breaks (times "
                                     f"of day), and the agents on each shift per day ({n_days} days shown). "
                                     f"{int(sched.heads)} scheduled heads, {float(sched.paid_hours):,.0f} paid "
                                     f"hours, solver status {sched.status}.",
                             "table": shifts, "max_rows": 300, "formats": {"paid_hours": "number"}})
            sections.append({"heading": f"Weekly patterns{label}, base",
                             "text": "Working days and days off of the scheduled agents, per contract.",
                             "table": pattern_table(sched), "max_rows": None})
            text, value = coverage_heat(sched)
            sections.append({"heading": f"Coverage{label}, base",
                             "figure": fig.get(_stem("schedule_coverage", queue, queues)),
                             "heat": {"text": text, "value": value,
                                      "legend": "Cells: agents required / scheduled on the phones (not on a break), "
                                                "per interval and day. Blue: more scheduled than required; red: "
                                                "short."}})
            sections.append({"heading": f"Shifts by start time{label}, base",
                             "figure": fig.get(_stem("schedule_gantt", queue, queues))})
        plan = r.objects["plan"].get((queue, BASE))
        if plan is not None:
            sections.append({"heading": f"Staffing plan{label}, base",
                             "figure": fig.get(_stem("staffing_plan", queue, queues)), "params": plan.params,
                             "table": plan.totals("D"), "units": TOTALS_UNITS})
        fc = r.objects["forecast"].get((queue, BASE))
        if fc is not None:
            sections.append({"heading": f"Forecast{label}", "figure": fig.get(_stem("forecast", queue, queues)),
                             "text": f"Method: {fc.method} (chosen by backtest when 'auto'), band "
                                     f"{s.forecast.level:.0%}. Scores of the candidates inside the history:",
                             "table": fc.scores})
        bt = r.backtest[(r.backtest["queue"] == queue)] if len(r.backtest) else r.backtest
        if len(bt):
            sections.append({"heading": f"Backtest{label}", "figure": fig.get(_stem("backtest", queue, queues)),
                             "text": "Rolling-origin backtest of the same method on the weeks before the "
                                     "horizon: the method saw only the calls before each origin.",
                             "table": bt.drop(columns=["queue"]), "max_rows": None, "units": _backtest_units(bt)})
        ver = r.objects["verification"].get((queue, BASE))
        if ver is not None:
            sections.append({"heading": f"Simulation check{label}",
                             "figure": fig.get(_stem("simulation_check", queue, queues)),
                             "text": "The plan simulated call by call (wfm.verify_plan; simulated, seeded); flagged "
                                     "intervals are where the Erlang figure lies outside the simulated confidence "
                                     "interval.",
                             "table": ver.summary().to_frame()})
    if len(r.scorecard):
        card = r.scorecard[r.scorecard["variant"] == BASE]
        alerts = [a for a in card["alert"] if isinstance(a, str) and a] if "alert" in card else []
        keep = [c for c in ("queue", "kpi", "name", "basis", "period", "value", "target", "status", "reason",
                            "change", "trend") if c in card.columns]
        if len(queues) == 1 and "queue" in keep:
            keep.remove("queue")
        sections.append({"heading": "KPI scorecard, base (simulated)",
                         "text": _scorecard_text(r, card) + "\n\n"
                                 + ("Alerts:\n\n" + "\n\n".join(alerts) if alerts else "No alerts."),
                         "table": scorecard_view(card)[keep], "max_rows": None})
    for queue in queues:
        ros = r.objects.get("roster", {}).get((queue, BASE))
        if ros is not None:
            label = f", {queue}" if len(queues) > 1 else ""
            figures = ros.summary()
            sections.append({"heading": f"Roster{label}, base",
                             "text": f"{figures['agents']} named agents on the base schedule's shifts over "
                                     f"{figures['days']} days (wfm.roster_agents, CP-SAT; {ros.status}, proven gap "
                                     f"{ros.gap:.2%}). Working weekends per agent: {figures['weekends_min']} to "
                                     f"{figures['weekends_max']}. The grid shows the shift each agent works "
                                     "each day.",
                             "table": ros.grid().rename(columns=lambda d: f"day {d}"), "max_rows": 60})
            sections.append({"heading": f"Roster figures{label}, base",
                             "table": pd.Series(figures, name="value", dtype=object).to_frame()})
    if len(r.capacity_variants):
        cap = r.capacity_variants
        keep = [c for c in cap.columns if c in ("variant", "status", "hires", "classes", "headcount_start",
                                                "headcount_end", "site_weeks_short", "site_weeks_short_before_reach",
                                                "total_cost", "prob_short_max", "prob_any_short", "error")
                or c.startswith("capacity.")]
        sections.append({"heading": "Capacity plan (long term)",
                         "text": "Hiring classes chosen by one MILP over the horizon (wfm.capacity_plan) for each "
                                 "long-term what-if; required FTE is the exact Erlang requirement of a "
                                 "representative week.",
                         "figure": fig.get("capacity_plan"), "table": cap[keep], "max_rows": None})
        base_plan = r.objects.get("capacity", {}).get(BASE)
        if base_plan is not None:  # the finance roll-up of the base plan: whole heads, mean FTE, cost per month
            sections.append({"heading": "Capacity plan by month (base)",
                             "text": "Heads at each month's end (whole), mean paid and productive FTE, hires "
                                     "started and cost per month, all sites. Required FTE basis: "
                                     f"{base_plan.params.get('fte_basis')}.",
                             "table": base_plan.monthly(by_site=False), "max_rows": None})
    if n_failed:
        sections.append({"heading": "Failed variants", "table": r.failed, "max_rows": None})
    sections += channel_sections(r.channels)
    sections.append({"heading": "Scenario parameters", "params": _flat("", s.model_dump(mode="json"), {})})
    sections.append({"heading": "Files", "text": "Written next to this page: " + ", ".join(files["names"]) + "."})
    return sections


#: A probability of meeting the target at or above this rounds to 100.0%: the report and the workbook say why.
#: (The headline's text comes from wfm.headline.format_figure, shared with the CLI summary, so one text is shown
#: everywhere; capping it at ">99.9%" belongs there.)
_P_MEET_CAP = 0.999


def _headline_rows(h, plan=None):
    """A headline's table (as the CLI shows it) with a ``note`` beside the figures that need one: the probability
    of meeting the target, which is not a guarantee."""
    tab = h.table()
    tab["note"] = np.where(tab["figure"] == "p_meet", _p_meet_note(h, plan), "")
    return tab


def _p_meet_note(h, plan=None):
    """What the probability of meeting the target means, and why it can read 100%."""
    p = h.figures.get("p_meet", np.nan)
    if p is None or not np.isfinite(p):
        return ""
    text = ("Probability of meeting the target: the call-weighted chance, over the forecast band of each "
            "interval's arrival rate, that the staffed agents meet the service-level target under the queue model. "
            "It is not a guarantee: it leaves out forecast errors beyond the band, absence beyond the planned "
            "shrinkage and whatever the queue model does not describe.")
    if p >= _P_MEET_CAP:
        why = "the band is narrow (little more than the Poisson variation of the calls)"
        if plan is not None and "binding_target" in plan.table:
            binding = plan.table["binding_target"].astype(str)
            occ = int(binding.str.contains("occupancy").sum())
            if occ:
                why = (f"the occupancy cap binds in {occ} of {len(binding)} intervals and staffs beyond what the "
                       "service-level target needs")
        text += (f" It reads 100% because the model's chance of missing is below {1 - _P_MEET_CAP:.1%} here: "
                 f"{why}.")
    return text


def headline_sheet(result):
    """The workbook's first sheet: each queue's base headline (label, text as shown, value, unit, figure key, note
    where a figure needs one), and the unit of each value (from wfm.headline.HEADLINE_FIELDS), one per row."""
    frames, units = [], []
    queues = list(dict.fromkeys(result.variants["queue"]))
    for queue in queues:
        h = _headline_of(result, queue)
        if h is None:
            continue
        tab = _headline_rows(h, result.objects["plan"].get((queue, BASE)))
        if len(queues) > 1:
            tab.insert(0, "queue", queue)
        frames.append(tab)
        units += [HEADLINE_UNITS[f] for f in tab["figure"]]
    if not frames:
        return None, None
    out = pd.concat(frames, ignore_index=True)
    cols = (["queue"] if "queue" in out else []) + ["label", "text", "value", "unit", "figure", "note"]
    return out[cols], units


def _variant_units(result):
    """Units of the variants table and of its view (grid columns by their short keys too)."""
    grid = list(result.loaded.scenario.grid)
    short = _short_names(grid)
    keys = {**{c: scenario_key_unit(c) for c in grid}, **{short[c]: scenario_key_unit(c) for c in grid}}
    return {**{k: u for k, u in keys.items() if u is not None}, **VARIANT_UNITS}


def _backtest_units(bt):
    """The backtest summary's mean, min and max in the unit of each row's metric; origins a count."""
    if "metric" not in bt:
        return {}
    rows = [METRIC_UNITS.get(m) for m in bt["metric"]]
    return {"mean": rows, "min": rows, "max": rows, "origins": "count"}


def _declared(frame, mapping):
    """{column: unit} of the columns of ``frame`` that ``mapping`` declares."""
    return {c: mapping[c] for c in frame.columns if c in mapping}


def _trend_text(trend, unit):
    """A KPI's trend as readable text in its unit, oldest first: '92.1%, 95.0%, 93.1%'."""
    if not isinstance(trend, (list, tuple)):
        return trend
    return ", ".join(format_value(float(x), unit) for x in trend)


def _scorecard_units(card):
    """The scorecard sheet: its trend as text, and value, target, change and bands in each row's unit."""
    card = card.copy()
    unit = card["unit"] if "unit" in card else pd.Series(None, index=card.index, dtype=object)
    if "trend" in card:
        card["trend"] = [_trend_text(t, u) for t, u in zip(card["trend"], unit)]
    rows = per_row(unit)
    return card, {c: rows for c in ("value", "target", "change", "tolerance", "green_low", "green_high", "red_low",
                                    "red_high") if c in card}


def workbook_units(result):
    """
    The sheets of ``wfm_plan.xlsx`` and the unit of each numeric column (or one unit per row), as declared by the
    code that makes each table (see :mod:`wfm.report.units`): the headline first (``summary``), the base plan's
    requirement, shifts, weekly patterns and coverage on their own sheets, then the variants (headline columns
    first) and the other tables of the base plan. The tables of every variant stay in the CSV/Parquet files.
    """
    r = result
    tables, units = {}, {}
    summary, per_figure = headline_sheet(r)
    if summary is not None:
        tables["summary"], units["summary"] = summary, {"value": per_figure}
    queues = list(dict.fromkeys(r.variants["queue"]))
    many = len(queues) > 1
    for queue in queues:
        tail = f" {queue}" if many else ""
        plan = r.objects["plan"].get((queue, BASE))
        if plan is not None:
            tables[f"requirement{tail}"] = plan.table.rename_axis("timestamp")
            units[f"requirement{tail}"] = _declared(plan.table, PLAN_UNITS)
        sched = r.objects.get("schedule", {}).get((queue, BASE))
        if sched is not None:
            tables[f"shifts{tail}"] = shifts = shift_table(sched)
            units[f"shifts{tail}"] = shift_table_units(shifts)
            tables[f"patterns{tail}"] = patterns = pattern_table(sched)
            units[f"patterns{tail}"] = _declared(patterns, PATTERN_UNITS)
            tables[f"coverage{tail}"] = sched.coverage.rename_axis("timestamp")
            units[f"coverage{tail}"] = _declared(sched.coverage, COVERAGE_UNITS)
        ros = r.objects.get("roster", {}).get((queue, BASE))
        if ros is not None:
            tables[f"roster{tail}"] = _as_text(ros.table)
            units[f"roster{tail}"] = _declared(ros.table, ROSTER_UNITS)
            tables[f"roster agents{tail}"] = ros.agents
            units[f"roster agents{tail}"] = _declared(ros.agents, ROSTER_AGENT_UNITS)
    v = r.variants
    grid = [c for c in r.loaded.scenario.grid if c in v.columns]
    first = ["queue", "variant"] + [c for c in _HEADLINE_COLUMNS if c in v.columns] + grid
    tables["variants"] = v[first + [c for c in v.columns if c not in first]]
    units["variants"] = _declared(v, _variant_units(r))
    declared = {"daily": TOTALS_UNITS, "simulation_check": CHECK_UNITS, "kpis": KPI_UNITS}
    for name in ("daily", "simulation_check", "kpis", "scorecard"):
        frame = getattr(r, name)
        if len(frame) and "variant" in frame:
            tables[name] = frame[frame["variant"] == BASE].reset_index(drop=True)
            if name in declared:
                units[name] = _declared(frame, declared[name])
    if "scorecard" in tables:
        tables["scorecard"], units["scorecard"] = _scorecard_units(tables["scorecard"])
    if len(r.forecast):
        tables["forecast"], units["forecast"] = r.forecast, _declared(r.forecast, FORECAST_UNITS)
    if len(r.backtest):
        tables["backtest"], units["backtest"] = r.backtest, _backtest_units(r.backtest)
    if len(r.capacity_variants):
        cap = r.capacity_variants
        tables["capacity_variants"] = cap
        units["capacity_variants"] = {**_declared(cap, CAPACITY_VARIANT_UNITS),
                                      **{c: scenario_key_unit(c) for c in cap.columns if c.startswith("capacity.")
                                         and scenario_key_unit(c) is not None}}
    if len(r.capacity_plan):
        tables["capacity_plan"] = r.capacity_plan
        units["capacity_plan"] = _declared(r.capacity_plan, CAPACITY_PLAN_UNITS)
    cap_plans = r.objects.get("capacity", {})
    if cap_plans:  # the finance roll-up of every capacity what-if, variant first
        months = [p.monthly().assign(variant=v) for v, p in cap_plans.items()]
        monthly = pd.concat([m[["variant", *m.columns[:-1]]] for m in months], ignore_index=True)
        tables["capacity_monthly"], units["capacity_monthly"] = monthly, _declared(monthly, CAPACITY_MONTHLY_UNITS)
    for got, into in zip(channel_sheets(r.channels), (tables, units)):
        into.update(got)
    return {name: _as_text(frame) for name, frame in tables.items()}, units


def workbook_tables(result):
    """
    The sheets of ``wfm_plan.xlsx`` (see :func:`workbook_units`) and the Excel number format of each numeric
    column: its unit's (:func:`wfm.report.units.unit_format`, money in the run's currency).
    """
    tables, units = workbook_units(result)
    cur = result.loaded.scenario.costs.currency
    formats = {}
    for sheet, cols in units.items():
        formats[sheet] = {c: ([unit_format(x, cur) if x else None for x in u] if isinstance(u, list)
                              else unit_format(u, cur)) for c, u in cols.items() if u is not None}
    return tables, formats


def _stem(name, queue, queues):
    return f"{name}_{queue}" if len(queues) > 1 else name


def write_outputs(result, out=None, *, progress=False):
    """
    Write every table, plot, the HTML report and the Excel workbook of a run into a folder, whole or not at all.

    Parameters
    ----------
    result : ScenarioResult
    out : str or Path, optional
        The folder; default the scenario's ``output.dir``, else
        ``output/<name>``. Created if missing.

    Returns
    -------
    dict
        ``folder`` (Path), ``files`` (names written, in order) and
        ``seconds`` per kind of file.

    Raises
    ------
    FolderLockedError
        When another run is writing into the folder (it holds the folder's
        lock, see :func:`wfm.report.lock_folder`); nothing is written. The
        same process may already hold the lock (a CLI run locks the folder
        before it computes).
    """

    folder = output_dir(result, out)
    with lock_folder(folder, what=f"wfm run {result.loaded.name}"):
        return _write_outputs(result, folder)


def _write_outputs(result, folder):
    import matplotlib.pyplot as plt

    settings = result.loaded.scenario.output
    staging = folder / f"{_STAGING}{secrets.token_hex(4)}"
    staging.mkdir()
    names, seconds = [], {}
    try:
        t0 = time.perf_counter()
        tables = result.tables()
        tables.update(channel_tables(result.channels))
        tables["timings"] = result.timings
        formats = list(settings.tables)
        if "parquet" in formats and "tables" not in settings.model_fields_set \
                and importlib.util.find_spec("pyarrow") is None:
            formats.remove("parquet")  # the default asks for Parquet only where pyarrow is installed
        for name, frame in tables.items():
            for fmt in formats:
                frame_out = _as_text(frame)
                write_table(staging / f"{name}.{fmt}", _parquet_safe(frame_out) if fmt == "parquet" else frame_out)
                names.append(f"{name}.{fmt}")
        seconds["tables"] = time.perf_counter() - t0
        figures = []
        if settings.plots or settings.html:
            t0 = time.perf_counter()
            figures = _plots(result)
            if settings.plots:
                for stem, fig in figures:
                    write_figure(staging / f"{stem}.png", fig)
                    names.append(f"{stem}.png")
            seconds["plots"] = time.perf_counter() - t0
        try:
            if settings.html:
                t0 = time.perf_counter()
                listed = names + (["report.html"] + (["wfm_plan.xlsx"] if settings.excel else []))
                write_html(staging / "report.html", title=f"wfm plan: {result.loaded.name}",
                           sections=_sections(result, {"figures": figures, "names": listed}))
                names.append("report.html")
                seconds["html"] = time.perf_counter() - t0
        finally:
            for _, fig in figures:
                plt.close(fig)
        if settings.excel:
            t0 = time.perf_counter()
            sheets, sheet_formats = workbook_tables(result)
            write_excel(staging / "wfm_plan.xlsx", sheets, formats=sheet_formats)
            names.append("wfm_plan.xlsx")
            seconds["excel"] = time.perf_counter() - t0
        import yaml

        (staging / "scenario.yaml").write_text(yaml.safe_dump(result.loaded.scenario.model_dump(mode="json"),
                                                              sort_keys=False))
        names.append("scenario.yaml")
        _swap(folder, staging, names, result)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return {"folder": folder, "files": names, "seconds": seconds}


def _swap(folder, staging, names, result):
    """Move the staged files into ``folder``, drop the previous run's leftovers, record the new manifest."""
    manifest = folder / MANIFEST
    previous = []
    if manifest.exists():
        try:
            previous = json.loads(manifest.read_text()).get("files", [])
        except (ValueError, OSError):
            previous = []
    for name in names:
        os.replace(staging / name, folder / name)
    for name in previous:
        if name not in names and "/" not in name and not name.startswith("."):
            (folder / name).unlink(missing_ok=True)
    record = {"wfm": _version, "scenario": result.loaded.name, "source": result.loaded.source,
              "written": pd.Timestamp.now().isoformat(timespec="seconds"), "files": names}
    tmp = folder / f".{MANIFEST}.{secrets.token_hex(4)}.tmp"
    tmp.write_text(json.dumps(record, indent=1))
    os.replace(tmp, manifest)


def _pct(x):
    return "-" if x is None or not np.isfinite(x) else f"{x:.1%}"


def _num(x, fmt=",.1f"):
    return "-" if x is None or not np.isfinite(x) else format(x, fmt)


def _capacity_lines(result, cur):
    """The capacity section's base plan in a few lines, beside the weekly job's required FTE for its first week."""
    cv = result.capacity_variants
    if not len(cv):
        return []
    base = cv[cv["variant"] == BASE]
    if not len(base) or base["status"].iloc[0] != "ok":
        error = base["error"].iloc[0] if len(base) else "no base what-if"
        return [f"  capacity plan: FAILED: {error}"]
    row = base.iloc[0]
    lines = [f"  capacity plan, base ({row['weeks']:.0f} weeks, {row['sites']:.0f} site(s)): {row['hires']:,.0f} hires "
             f"in {row['classes']:.0f} classes, {row['site_weeks_short']:.0f} site-week(s) short, total cost "
             f"{_num(row['total_cost'], ',.0f')}{cur}"]
    plan = result.capacity_plan
    first = plan[plan["variant"] == BASE].sort_values("week").groupby("site").head(1)
    for name, text in zip(cv["variant"], cv.get("warnings", pd.Series("", index=cv.index)).fillna("")):
        for line in [t for t in str(text).splitlines() if t][:2]:
            lines.append(f"    capacity warning ({name}): {line}")
    v = result.variants
    for site, fte_cap, week in zip(first["site"], first["required_fte"], first["week"]):
        weekly = v[(v["queue"] == site) & (v["variant"] == BASE)]
        if len(weekly) and np.isfinite(weekly["required_fte"].iloc[0]):
            lines.append(f"    {site}: required FTE in the week of {pd.Timestamp(week):%d %b %Y}: capacity "
                         f"{fte_cap:,.1f} (its own staffing section: targets, shrinkage and the demand's level), "
                         f"weekly job {weekly['required_fte'].iloc[0]:,.1f} (the staffing section)")
    return lines


def summary_text(result, written=None, seconds=None):
    """
    The summary ``wfm run`` prints: the run, each queue's base headline (the same text as the report's first
    screen and the workbook's summary sheet), the range over the variants, failures and warnings.
    """
    v = result.variants
    s = result.loaded.scenario
    n_failed = int((v["status"] != "ok").sum())
    took = f" in {seconds:.1f} s" if seconds is not None else ""
    lines = [(f"wfm run {result.loaded.name}: {v['queue'].nunique()} queue(s), {len(v)} variant(s), "
              f"{len(v) - n_failed} ok, {n_failed} failed{took} ({result.executor}).")]
    cur = f" {s.costs.currency}" if s.costs.currency else ""
    for queue in dict.fromkeys(v["queue"]):
        h = _headline_of(result, queue)
        if h is None:
            lines.append(f"  {queue}, base plan: no headline (the base variant failed or has no detail)")
            continue
        lines.append(f"  {queue}, base plan:")
        lines += ["    " + line for line in h.text().splitlines()]
    lines += _capacity_lines(result, cur)
    lines += channel_lines(result.channels, s.costs.currency)
    ok = v[v["status"] == "ok"]
    if len(ok) > 1 and "required_fte" in ok:
        lines.append(f"  variants (workload before shifts, every variant alike): required FTE "
                     f"{_num(ok['required_fte'].min())} to {_num(ok['required_fte'].max())}, weekly cost "
                     f"{_num(ok['required_cost'].min(), ',.0f')} to {_num(ok['required_cost'].max(), ',.0f')}{cur}, "
                     f"plan SL {_pct(ok['plan_service_level'].min())} to {_pct(ok['plan_service_level'].max())}")
    for _, row in v[v["status"] != "ok"].head(10).iterrows():
        lines.append(f"  FAILED {row['queue']} / {row['variant']}: {row['error']}")
    if n_failed > 10:
        lines.append(f"  ... and {n_failed - 10} more failed variants (see variants.csv)")
    if "warnings" in v:
        texts = list(dict.fromkeys(t for w in v["warnings"].dropna() for t in str(w).splitlines() if t))
        for text in texts[:3]:
            lines.append(f"  warning: {text}")
        if len(texts) > 3:
            lines.append(f"  ... and {len(texts) - 3} more warnings (see the warnings column of variants.csv)")
    if written is not None:
        lines.append(f"  wrote {len(written['files'])} files to {written['folder']}/ (report.html, "
                     f"wfm_plan.xlsx, CSV and Parquet tables)")
    return "\n".join(lines)
