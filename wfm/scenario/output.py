r"""
Write a scenario's results into a folder: tables, plots, ``report.html`` and ``wfm_plan.xlsx``.

What is written (``output`` section of the scenario):

=========================== =====================================================================
file                        content
=========================== =====================================================================
variants.csv                one row per queue and variant: status, error, FTE, cost, SL, heads...
forecast.csv                forecast, band (and AHT) per queue and interval
backtest.csv                backtest summary of the forecast method per queue
requirements.csv            the staffing plan of every variant, long (``queue``, ``variant``)
daily.csv                   agent-hours and FTE per day of every variant
schedule_shifts.csv         shifts of the sized schedules (base and marked variants)
coverage.csv                required against scheduled agents per interval
simulation_check.csv        Erlang against simulated service level per interval
kpis.csv, scorecard.csv     KPIs of one simulated week, and their scorecard
timings.csv                 seconds per step
(each also as .parquet)
\*.png                      forecast, backtest, staffing plan, schedule, simulation check, variants
report.html                 one self-contained page for a manager: plots, tables, parameters,
                            the variant comparison, the KPI scorecard and its alerts
wfm_plan.xlsx               every table, one sheet each
scenario.yaml               the validated scenario, every default filled in
=========================== =====================================================================

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
from ..report import write_excel, write_figure, write_html, write_table
from .grid import BASE

__all__ = ["write_outputs", "output_dir", "summary_text", "MANIFEST"]

MANIFEST = ".wfm-manifest.json"
_STAGING = ".wfm-staging-"
_METHODS = {"quantile": "staffed to the {p:.0%} quantile of each interval's forecast arrival rate",
            "expected": "staffed to the expected service level over the forecast distribution",
            "point": "staffed to the point forecast"}
_VARIANT_COLUMNS = ["queue", "variant", "status", "fte", "cost", "service_level", "peak_agents", "heads",
                    "simulated_service_level", "error"]


def output_dir(result_or_loaded, out=None):
    """The folder to write into: ``out``, else the scenario's ``output.dir``, else ``output/<name>``."""
    loaded = getattr(result_or_loaded, "loaded", result_or_loaded)
    if out is not None:
        return Path(out)
    if loaded.scenario.output.dir:
        return Path(loaded.scenario.output.dir)
    return Path("output") / loaded.scenario.name


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


def _plots(result):
    """(file stem, Figure) of each plot; the caller closes them."""
    import matplotlib.pyplot as plt

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
        for i, sched in enumerate(objects["schedules"].get((queue, BASE), [])):
            ax = sched.plot(kind="coverage")
            figures.append((stem("schedule_coverage" + (f"_week{i + 1}" if i else ""), queue), ax.figure))
        ver = objects["verification"].get((queue, BASE))
        if ver is not None:
            ax = ver.plot()
            figures.append((stem("simulation_check", queue), ax.figure))
    ok = result.variants[result.variants["status"] == "ok"]
    if 1 < len(ok) <= 60 and "fte" in ok:
        fig, axes = plt.subplots(1, 2, figsize=(11, 0.24 * len(ok) + 1.4), sharey=True,
                                 gridspec_kw={"width_ratios": [3, 2]})
        short = _short_names(list(result.loaded.scenario.grid))
        labels = [(f"{q}: " if many else "") + _short_label(v, short) for q, v in zip(ok["queue"], ok["variant"])]
        y = np.arange(len(ok))
        colours = ["C3" if v == BASE else "C0" for v in ok["variant"]]
        axes[0].barh(y, ok["fte"], color=colours)
        axes[0].set_xlabel("FTE")
        axes[1].barh(y, ok["service_level"], color=colours, alpha=0.7)
        low = float(np.nanmin(ok["service_level"]))
        axes[1].set_xlim(max(0.0, np.floor((low - 0.02) * 50) / 50), 1)
        axes[1].set_xlabel("service level (Erlang, at the forecast mean)")
        axes[0].set_yticks(y, labels, fontsize="small")
        axes[0].invert_yaxis()
        fig.suptitle("Variants: FTE and expected service level (base in red)")
        fig.tight_layout()
        figures.append(("variants", fig))
    return figures


def _short_names(paths):
    """Grid paths by their last key, or the last two when the last is ambiguous (aht.factor)."""
    last = [p.split(".")[-1] for p in paths]
    return {p: (k if last.count(k) == 1 and k != "factor" else ".".join(p.split(".")[-2:]))
            for p, k in zip(paths, last)}


def _short_label(name, short):
    if name == BASE:
        return name
    parts = []
    for part in name.split(","):
        key, _, value = part.partition("=")
        parts.append(f"{short.get(key, key)}={value}")
    return " ".join(parts)


def _flat(prefix, value, out):
    if isinstance(value, dict) and value and not prefix.endswith(("profile", "open_hours", "special_days")):
        for k, v in value.items():
            _flat(f"{prefix}.{k}" if prefix else str(k), v, out)
    elif value is not None and value != [] and value != {}:
        out[prefix] = value
    return out


def _sections(result, files):
    r = result
    s = r.loaded.scenario
    v = r.variants
    queues = list(dict.fromkeys(v["queue"]))
    n_failed = int((v["status"] != "ok").sum())
    fig = dict(files.get("figures", []))
    sections = []
    horizon = ""
    if len(r.forecast):
        ts = pd.to_datetime(r.forecast["timestamp"])
        horizon = f" Horizon: {ts.min():%a %d %b %Y %H:%M} to {ts.max():%a %d %b %Y %H:%M}."
    text = (f"{s.description.strip()}\n\n" if s.description.strip() else "") + (
        f"{len(queues)} queue(s), {len(v)} variant run(s), {n_failed} failed.{horizon} "
        f"Staffing: {s.staffing.model.replace('_', ' ').title()}, "
        f"{format(s.staffing.service_level, '.0%') if s.staffing.service_level else 'no SL target'} in "
        f"{s.staffing.threshold:g} s, {_METHODS[s.staffing.method].format(p=s.staffing.probability)}. Cost in {s.costs.currency or 'currency units'} at {s.costs.paid_hour:g} per "
        f"paid hour. Headcount is the schedule's heads; FTE the plan's scheduled hours over "
        f"{s.staffing.fte_hours_per_week:g} h a week.")
    sections.append({"heading": "Summary", "text": text, "table": r.summary()})
    for queue in queues:
        label = f" ({queue})" if len(queues) > 1 else ""
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
                             "table": bt.drop(columns=["queue"]), "max_rows": None})
        plan = r.objects["plan"].get((queue, BASE))
        if plan is not None:
            sections.append({"heading": f"Staffing plan{label}, base",
                             "figure": fig.get(_stem("staffing_plan", queue, queues)), "params": plan.params,
                             "table": plan.totals("D")})
    cols = [c for c in _VARIANT_COLUMNS if c in v.columns]
    grid_cols = [c for c in s.grid if c in v.columns]
    sections.append({"heading": "Variant comparison",
                     "text": "Every variant's forecast-driven staffing, FTE and cost; the schedule, the "
                             "simulation check and KPIs ran for the variants with detail.",
                     "figure": fig.get("variants"), "table": v[cols[:2] + grid_cols + cols[2:]],
                     "max_rows": 200})
    for queue in queues:
        label = f" ({queue})" if len(queues) > 1 else ""
        scheds = r.objects["schedules"].get((queue, BASE), [])
        if scheds:
            sections.append({"heading": f"Schedule{label}, base",
                             "figure": fig.get(_stem("schedule_coverage", queue, queues)),
                             "text": f"Shifts sized by wfm.schedule_week (time limit {s.schedule.time_limit:g} s) "
                                     "to cover the plan's productive agents in every interval; agents per "
                                     "template and day:",
                             "table": pd.concat([p.by_template() for p in scheds], axis=1)})
            sections.append({"heading": f"Schedule key figures{label}", "table": scheds[0].summary().to_frame()})
        ver = r.objects["verification"].get((queue, BASE))
        if ver is not None:
            sections.append({"heading": f"Simulation check{label}",
                             "figure": fig.get(_stem("simulation_check", queue, queues)),
                             "text": "The plan simulated call by call (wfm.verify_plan); flagged intervals are "
                                     "where the Erlang figure lies outside the simulated confidence interval.",
                             "table": ver.summary().to_frame()})
    if len(r.scorecard):
        card = r.scorecard[r.scorecard["variant"] == BASE]
        alerts = [a for a in card["alert"] if isinstance(a, str) and a]
        keep = [c for c in ("queue", "kpi", "name", "period", "value", "target", "status", "change", "trend")
                if c in card.columns]
        sections.append({"heading": "KPI scorecard, base",
                         "text": "KPIs of one simulated week under the base schedule against the targets.\n\n"
                                 + ("Alerts:\n\n" + "\n\n".join(alerts) if alerts else "No alerts."),
                         "table": card[keep], "max_rows": None})
    if n_failed:
        sections.append({"heading": "Failed variants", "table": r.failed, "max_rows": None})
    sections.append({"heading": "Scenario parameters", "params": _flat("", s.model_dump(mode="json"), {})})
    sections.append({"heading": "Files", "text": "Written next to this page: " + ", ".join(files["names"]) + "."})
    return sections


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
    """
    import matplotlib.pyplot as plt

    settings = result.loaded.scenario.output
    folder = output_dir(result, out)
    folder.mkdir(parents=True, exist_ok=True)
    staging = folder / f"{_STAGING}{secrets.token_hex(4)}"
    staging.mkdir()
    names, seconds = [], {}
    try:
        t0 = time.perf_counter()
        tables = result.tables()
        tables["timings"] = result.timings
        formats = list(settings.tables)
        if "parquet" in formats and "tables" not in settings.model_fields_set \
                and importlib.util.find_spec("pyarrow") is None:
            formats.remove("parquet")  # the default asks for Parquet only where pyarrow is installed
        for name, frame in tables.items():
            for fmt in formats:
                write_table(staging / f"{name}.{fmt}", _parquet_safe(frame) if fmt == "parquet" else frame)
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
            write_excel(staging / "wfm_plan.xlsx", {k: v for k, v in tables.items() if k != "timings"})
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


def summary_text(result, written=None, seconds=None):
    """The short summary ``wfm run`` prints: per queue the base plan's headcount, FTE, cost, SL, backtest WAPE."""
    v = result.variants
    s = result.loaded.scenario
    n_failed = int((v["status"] != "ok").sum())
    took = f" in {seconds:.1f} s" if seconds is not None else ""
    lines = [f"wfm run {result.loaded.name}: {v['queue'].nunique()} queue(s), {len(v)} variant(s), "
             f"{len(v) - n_failed} ok, {n_failed} failed{took} ({result.executor})."]
    cur = f" {s.costs.currency}" if s.costs.currency else ""
    for queue, row in result.summary().iterrows():
        g = row.get
        lines.append(
            f"  {queue}, base: headcount {_num(g('heads', np.nan), ',.0f')}, FTE {_num(g('fte', np.nan))}, "
            f"cost {_num(g('cost', np.nan), ',.0f')}{cur}, expected SL {_pct(g('service_level', np.nan))} "
            f"(simulated {_pct(g('simulated_service_level', np.nan))}), backtest WAPE "
            f"{_pct(g('backtest_wape', np.nan))}")
    ok = v[v["status"] == "ok"]
    if len(ok) > 1 and "fte" in ok:
        lines.append(f"  variants: FTE {_num(ok['fte'].min())} to {_num(ok['fte'].max())}, cost "
                     f"{_num(ok['cost'].min(), ',.0f')} to {_num(ok['cost'].max(), ',.0f')}{cur}, expected SL "
                     f"{_pct(ok['service_level'].min())} to {_pct(ok['service_level'].max())}")
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
