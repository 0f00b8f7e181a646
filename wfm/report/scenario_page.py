"""
The manager's page of a scenario run: its plots, the sections of ``report.html`` and the workbook's sheets.

The scenario runner computes and :mod:`wfm.scenario.output` writes; this
module turns a run's results (a :class:`wfm.scenario.ScenarioResult`, read
only through its tables, ``objects`` and ``loaded`` scenario) into what a
manager reads: :func:`plots` (file stem and Figure of each plot),
:func:`page_sections` (the report's sections, for :func:`wfm.report.write_html`),
:func:`workbook_tables` (the sheets and their number formats, for
:func:`wfm.report.write_excel`), :func:`headline_sheet`,
:func:`variants_view` and :func:`scorecard_view`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..evaluate.targets import format_value
from .._results import date_axis
from .schedule_views import (
    breaks_text,
    coverage_heat,
    pattern_table,
    plot_gantt,
    shift_table,
    shift_table_units,
)
from .channel_views import channel_sections, channel_sheets
from .skills_views import plot_skills, skills_sections, skills_sheets
from .units import (
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
    PEAK_UNITS,
    PLAN_UNITS,
    ROSTER_AGENT_UNITS,
    ROSTER_UNITS,
    TOTALS_UNITS,
    VARIANT_UNITS,
    per_row,
    scenario_key_unit,
    unit_format,
)

__all__ = ["as_text", "headline_of", "headline_sheet", "page_sections", "plots", "scorecard_view", "variants_view",
           "workbook_tables", "workbook_units"]

#: The name of a run's unchanged variant (:data:`wfm.scenario.grid.BASE`; a test holds the two equal).
BASE = "base"
_METHODS = {"quantile": "staffed to the {p:.0%} quantile of each interval's forecast arrival rate",
            "expected": "staffed to the expected service level over the forecast distribution",
            "point": "staffed to the point forecast"}

def as_text(frame):
    """List cells as text for CSV, Parquet and Excel: a shift's breaks (``12:00-12:30 unpaid``), a KPI's trend."""
    out = frame
    for col, fmt in (("breaks", breaks_text), ("trend", lambda t: ", ".join(f"{x:.4g}" for x in t)
                                                     if isinstance(t, (list, tuple)) else t)):
        if col in frame and frame[col].map(lambda x: isinstance(x, (list, tuple))).any():
            out = out.copy() if out is frame else out
            out[col] = [fmt(x) for x in frame[col]]
    return out



def _readable_dates(fig):
    """
    Date labels that never overlap and say which day they are: concise date labels naming weekday, day and month
    on date axes (:func:`wfm._results.date_axis`; never a week labelled by the next month); on axes labelled by a
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


def plots(result):
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
    if objects.get("skills") is not None:
        figures.append(("skills_staffing", plot_skills(objects["skills"])))
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
        axes[1].set_xlabel("service level before shifts (Erlang, required agents)")
        axes[0].set_yticks(y, labels, fontsize="small")
        axes[0].set_ylabel(" / ".join(short[p] for p in result.loaded.scenario.grid) or "variant")
        axes[0].invert_yaxis()
        fig.suptitle("Variants on one footing: required FTE and the service level before shifts (base in red)")
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


def headline_of(result, queue):
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
    FTE, its weekly cost, the service level before shifts), then the headline's figures of the variants sized into
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


def page_sections(result, files):
    """
    The sections of ``report.html`` (see :func:`wfm.report.write_html`), in reading order: the headline of each
    queue's base plan, the variants, each queue's shifts, patterns, coverage, plan, forecast, backtest and
    simulation check, the KPI scorecard, rosters, the capacity plan, failures, parameters and files.

    ``files``: ``figures`` (file stem, Figure) from :func:`plots` and ``names`` (the files written).
    """
    r = result
    v = r.variants
    queues = list(dict.fromkeys(v["queue"]))
    fig = dict(files.get("figures", []))
    sections = _headline_sections(r, queues) + _variant_sections(r, fig)
    for queue in queues:
        sections += _queue_sections(r, queue, queues, fig)
    sections += _scorecard_sections(r, queues) + _roster_sections(r, queues) + _capacity_sections(r, fig)
    if r.objects.get("skills") is not None:
        sections += skills_sections(r.objects["skills"], r.objects["skills_headline"],
                                    figure=fig.get("skills_staffing"), description=r.objects.get("skills_description"))
    elif r.skills_error:
        sections.append({"heading": "Multi-skill centre", "text": f"FAILED: {r.skills_error}"})
    if (v["status"] != "ok").any():
        sections.append({"heading": "Failed variants", "table": r.failed, "max_rows": None})
    sections += channel_sections(r.channels)
    sections.append({"heading": "Scenario parameters", "params": _flat("", r.loaded.scenario.model_dump(mode="json"),
                                                                          {})})
    sections.append({"heading": "Files", "text": "Written next to this page: " + ", ".join(files["names"]) + "."})
    return sections


def _run_text(r, queues):
    """The horizon, the staffing method and the run's counts, in three sentences."""
    s, v = r.loaded.scenario, r.variants
    horizon = ""
    if len(r.forecast):
        ts = pd.to_datetime(r.forecast["timestamp"])
        horizon = f"Horizon: {ts.min():%a %d %b %Y %H:%M} to {ts.max():%a %d %b %Y %H:%M}. "
    method = (f"Staffing: {s.staffing.model.replace('_', ' ').title()}, "
              f"{format(s.staffing.service_level, '.0%') if s.staffing.service_level else 'no SL target'} in "
              f"{s.staffing.threshold:g} s, {_METHODS[s.staffing.method].format(p=s.staffing.probability)}.")
    runs = f"{len(queues)} queue(s), {len(v)} variant run(s), {int((v['status'] != 'ok').sum())} failed."
    return f"{horizon}{method} {runs}"


def _headline_sections(r, queues):
    s = r.loaded.scenario
    cur = s.costs.currency or "currency units"
    sections = []
    for queue in queues:
        label = f", {queue}" if len(queues) > 1 else ""
        h = headline_of(r, queue)
        if h is None:
            continue
        sections.append({"heading": f"Headline{label}, base plan", "cards": h.table,
                         "text": f"{h.note()} Weekly cost: FTE to employ x {h.params['hours_per_fte']:g} h x "
                                 f"{s.costs.paid_hour:g} {cur} per paid hour. "
                                 f"{_p_meet_note(h, r.objects['plan'].get((queue, BASE)))}"
                                 f"\n\n{_run_text(r, queues)}"})
    if not sections:
        sections.append({"heading": "Summary", "text": _run_text(r, queues), "table": r.summary()})
    return sections


def _variant_sections(r, fig):
    cur = r.loaded.scenario.costs.currency or "currency units"
    sections = [{"heading": "Variants",
                 "text": "Every variant on one footing: required FTE (the plan's hours grossed up for all "
                         "shrinkage, per week, over the hours of one FTE: the workload before shifts), its "
                         "weekly cost (" + cur + ") and the service level before shifts (plan_service_level: "
                         "Erlang with the plan's required agents). The variants sized into "
                         "shifts (detail variants) also carry the headline's figures: heads to employ, FTE "
                         "to employ (heads to employ x paid hours per head / hours per FTE), weekly cost and "
                         "the expected service level as scheduled (service_level: Erlang with the agents the "
                         "shifts put on the phones; the headline's figure). Click a column heading to "
                         "sort.",
                 "table": variants_view(r), "max_rows": 500, "sortable": True, "units": _variant_units(r)}]
    if fig.get("variants") is not None:
        sections.append({"heading": "Variants: required FTE and service level before shifts",
                         "figure": fig["variants"]})
    return sections


def _queue_sections(r, queue, queues, fig):
    """A queue's base plan: shifts, weekly patterns, coverage, Gantt, staffing plan, forecast, backtest, check."""
    s = r.loaded.scenario
    label = f" ({queue})" if len(queues) > 1 else ""
    sections = []
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
    sections += _peak_sections(r, queue, label)
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
                         "table": ver.summary()})
    return sections


_PEAK_LABELS = {"interval": "busiest interval of the day", "hour": "busiest hour of the day",
                "weekday": "busiest weekday", "week_of_month": "busiest week of the month"}


def _peak_sections(r, queue, label):
    """The peak periods of a queue's history (the runner's ``peaks`` table), in a sentence each and as a table."""
    peaks = r.peaks[r.peaks["queue"] == queue].drop(columns="queue") if len(r.peaks) else r.peaks
    if not len(peaks):
        return []
    days = r.objects.get("peaks", {}).get(queue)
    span = ""
    if days is not None:
        dates = days.loc[days["level"] == "interval", "period"]
        span = f" ({len(dates)} days, {min(dates):%a %d %b %Y} to {max(dates):%a %d %b %Y})"
    lines = []
    for row in peaks.itertuples():
        what = _PEAK_LABELS.get(row.level, row.level)
        if not row.peak:
            lines.append(f"- {what.capitalize()}: not shown ({row.note}).")
        elif row.level in ("interval", "hour"):
            lines.append(f"- {what.capitalize()}: {row.peak}, the busiest on {row.days_at_peak:.0f} of "
                         f"{row.n_days} days; a day's busiest {row.level} carries {row.calls:,.0f} calls on average, "
                         f"{row.peak_to_average:.2f} times the mean {row.level} of its day.")
        else:
            unit = "weekdays" if row.level == "weekday" else "weeks of the month"
            lines.append(f"- {what.capitalize()}: {row.peak}, {row.calls:,.0f} calls a day on average over "
                         f"{row.n_days} days, {row.peak_to_average:.2f} times the mean of the {unit}.")
    return [{"heading": f"Peak periods of the history{label}",
             "text": f"Where the calls of the history{span} peak (wfm.forecast.peak_periods; times are the local "
                     "wall clock, interval starts):\n\n" + "\n".join(lines),
             "table": peaks, "max_rows": None, "units": _declared(peaks, PEAK_UNITS)}]


def _scorecard_sections(r, queues):
    if not len(r.scorecard):
        return []
    card = r.scorecard[r.scorecard["variant"] == BASE]
    alerts = [a for a in card["alert"] if isinstance(a, str) and a] if "alert" in card else []
    keep = [c for c in ("queue", "kpi", "name", "basis", "period", "value", "target", "status", "reason",
                        "change", "trend") if c in card.columns]
    if len(queues) == 1 and "queue" in keep:
        keep.remove("queue")
    return [{"heading": "KPI scorecard, base (simulated)",
             "text": _scorecard_text(r, card) + "\n\n" + ("Alerts:\n\n" + "\n\n".join(alerts) if alerts
                                                            else "No alerts."),
             "table": scorecard_view(card)[keep], "max_rows": None}]


def _roster_sections(r, queues):
    sections = []
    for queue in queues:
        ros = r.objects.get("roster", {}).get((queue, BASE))
        if ros is None:
            continue
        label = f", {queue}" if len(queues) > 1 else ""
        figures = ros.figures()
        sections.append({"heading": f"Roster{label}, base",
                         "text": f"{figures['agents']} named agents on the base schedule's shifts over "
                                 f"{figures['days']} days (wfm.roster_agents, CP-SAT; {ros.status}, proven gap "
                                 f"{ros.gap:.2%}). Working weekends per agent: {figures['weekends_min']} to "
                                 f"{figures['weekends_max']}. The grid shows the shift each agent works "
                                 "each day.",
                         "table": ros.grid().rename(columns=lambda d: f"day {d}"), "max_rows": 60})
        sections.append({"heading": f"Roster figures{label}, base", "table": ros.summary()})
    return sections


def _capacity_sections(r, fig):
    if not len(r.capacity_variants):
        return []
    cap = r.capacity_variants
    keep = [c for c in cap.columns if c in ("variant", "status", "hires", "classes", "headcount_start",
                                            "headcount_end", "site_weeks_short", "site_weeks_short_before_reach",
                                            "total_cost", "prob_short_max", "prob_any_short", "error")
            or c.startswith("capacity.")]
    sections = [{"heading": "Capacity plan (long term)",
                 "text": "Hiring classes chosen by one MILP over the horizon (wfm.capacity_plan) for each "
                         "long-term what-if; required FTE is the exact Erlang requirement of a "
                         "representative week.",
                 "figure": fig.get("capacity_plan"), "table": cap[keep], "max_rows": None}]
    base_plan = r.objects.get("capacity", {}).get(BASE)
    if base_plan is not None:  # the finance roll-up of the base plan: whole heads, mean FTE, cost per month
        sections.append({"heading": "Capacity plan by month (base)",
                         "text": "Heads at each month's end (whole), mean paid and productive FTE, hires "
                                 "started and cost per month, all sites. Required FTE basis: "
                                 f"{base_plan.params.get('fte_basis')}.",
                         "table": base_plan.monthly(by_site=False), "max_rows": None})
    return sections


#: A probability of meeting the target at or above this rounds to 100.0%: the report and the workbook say why.
#: (The headline's text comes from wfm.headline.format_figure, shared with the CLI summary, so one text is shown
#: everywhere; capping it at ">99.9%" belongs there.)
_P_MEET_CAP = 0.999


def _headline_rows(h, plan=None):
    """A headline's table (as the CLI shows it) with a ``note`` beside the figures that need one: the probability
    of meeting the target, which is not a guarantee."""
    tab = h.table
    tab["note"] = np.where(tab["figure"] == "p_meet", _p_meet_note(h, plan), "")
    return tab


def _p_meet_note(h, plan=None):
    """What the probability of meeting the target means, and why it can read 100%."""
    p = h.figures().get("p_meet", np.nan)
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
        h = headline_of(result, queue)
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
    """The backtest summary's value, min and max in the unit of each row's metric; origins a count."""
    if "metric" not in bt:
        return {}
    rows = [METRIC_UNITS.get(m) for m in bt["metric"]]
    return {"value": rows, "min": rows, "max": rows, "origins": "count"}


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
            tables[f"roster{tail}"] = as_text(ros.table)
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
    if len(r.peaks):
        tables["peaks"], units["peaks"] = r.peaks, _declared(r.peaks, PEAK_UNITS)
    if len(r.capacity_variants):
        cap = r.capacity_variants
        tables["capacity_variants"] = cap
        units["capacity_variants"] = {**_declared(cap, CAPACITY_VARIANT_UNITS),
                                      **{c: scenario_key_unit(c) for c in cap.columns if c.startswith("capacity.")
                                         and scenario_key_unit(c) is not None}}
    if len(r.capacity_plan):
        tables["capacity_plan"] = r.capacity_plan
        units["capacity_plan"] = _declared(r.capacity_plan, CAPACITY_PLAN_UNITS)
    if len(r.capacity_monthly):  # the finance roll-up of every capacity what-if, variant first
        tables["capacity_monthly"] = r.capacity_monthly
        units["capacity_monthly"] = _declared(r.capacity_monthly, CAPACITY_MONTHLY_UNITS)
    if r.objects.get("skills") is not None:
        more, more_units = skills_sheets(r.objects["skills"], r.objects["skills_headline"])
        tables.update(more)
        units.update(more_units)
    for got, into in zip(channel_sheets(r.channels), (tables, units)):
        into.update(got)
    return {name: as_text(frame) for name, frame in tables.items()}, units


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
