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
peaks.csv                   the peak periods of each queue's history: busiest interval and hour of
                            the day, weekday and week of the month, with their peak-to-average
                            ratios and the days behind each (:func:`wfm.forecast.peak_summary`)
requirements.csv            the staffing plan of every variant, long (``queue``, ``variant``)
daily.csv                   agent-hours and required FTE per day of every variant
schedule_shifts.csv         shifts of the sized schedules (base and marked variants)
coverage.csv                required against scheduled agents per interval
simulation_check.csv        Erlang against simulated service level per interval
kpis.csv, scorecard.csv     KPIs per period of one simulated run of the horizon, and their
                            scorecard (the latest period: status and the reason for it)
capacity_variants.csv,      with a ``capacity`` section: one row per long-term what-if, the weekly
capacity_plan.csv,          plan of every what-if, and its finance roll-up by month (heads, FTE,
capacity_monthly.csv        hires and cost)
timings.csv                 seconds per step
skills_agents.csv, ...      with a ``skills`` section: agents per group and interval, service per call type and
                            interval with its confidence bounds, per-interval totals (skills_service, skills_intervals)
channel_<name>.csv,         with a ``channels`` section: agents per interval of each channel (chat, each
channels_headline.csv       deferred queue, redials, callbacks), and agents, FTE and cost per channel and in total
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
scenario.yaml               the validated scenario as it ran, every default filled in
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
is in ``.wfm-manifest.json``), all or none (:func:`wfm._atomic.replace_all`:
a folder standing where a file goes is refused before anything moves, and a
move failing part-way, e.g. on a workbook held open by Excel, puts the
previous files back). So a crash while computing or rendering leaves the
previous results untouched, a reader never sees a half-written file, and a
rerun into the same folder replaces the results whole. Files in
the folder that wfm did not write are never touched. A run killed in the
middle of the moves (``kill -9``, a power cut) leaves the previous files in
a hidden ``.wfm-previous-*`` folder; the next run into the folder moves back
those the folder lacks and deletes the rest once its own files are in place
(:func:`wfm._atomic.recover_leftovers`), and removes the hidden
``.wfm-staging-*`` folder such a run was filling.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import time
from pathlib import Path

import numpy as np
import pandas as pd

from .._atomic import replace_all, staging_folder
from .._version import __version__ as _version
from ..capacity.result import risk_note
from ..report import lock_folder, write_excel, write_figure, write_html, write_table
from ..report.scenario_page import as_text, headline_of, page_sections, plots, workbook_tables
from ..report.channel_views import channel_lines, channel_tables
from ..report.skills_views import skills_lines
from .grid import BASE

__all__ = ["MANIFEST", "output_dir", "summary_text", "write_outputs"]

MANIFEST = ".wfm-manifest.json"


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
    staging = staging_folder(folder)
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
                frame_out = as_text(frame)
                write_table(staging / f"{name}.{fmt}", _parquet_safe(frame_out) if fmt == "parquet" else frame_out)
                names.append(f"{name}.{fmt}")
        seconds["tables"] = time.perf_counter() - t0
        figures = []
        if settings.plots or settings.html:
            t0 = time.perf_counter()
            figures = plots(result)
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
                           sections=page_sections(result, {"figures": figures, "names": listed}))
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

        (staging / "scenario.yaml").write_text(yaml.safe_dump(result.scenario_as_run(mode="json"), sort_keys=False))
        names.append("scenario.yaml")
        _swap(folder, staging, names, result)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return {"folder": folder, "files": names, "seconds": seconds}


def _swap(folder, staging, names, result):
    """Move the staged files and the new manifest into ``folder`` and drop the previous run's leftovers: all or none."""
    manifest = folder / MANIFEST
    previous = []
    if manifest.exists():
        try:
            previous = json.loads(manifest.read_text()).get("files", [])
        except (ValueError, OSError):
            previous = []
    record = {"wfm": _version, "scenario": result.loaded.name, "source": result.loaded.source,
              "written": pd.Timestamp.now().isoformat(timespec="seconds"), "files": names}
    (staging / MANIFEST).write_text(json.dumps(record, indent=1))
    leftovers = [n for n in previous if n not in names and "/" not in n and not n.startswith(".")]
    replace_all(folder, staging, [*names, MANIFEST], remove=leftovers)


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
    if risk_note(row):
        lines.append(f"    {risk_note(row)}")
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
                         f"{fte_cap:,.1f} (capacity.staffing, else the staffing section; the trend's volume and AHT), "
                         f"weekly job {weekly['required_fte'].iloc[0]:,.1f} (the staffing section)")
    return lines


def week_start_text(day, inferred, key="horizon.week_start"):
    """'SUN (horizon.week_start)', or how the open days gave it when ``key`` (the key or keys left out) is not given."""
    if not inferred:
        return f"{day} ({key})"
    return (f"{day}: inferred from the history's open days (the first open day after the closed days), as {key} "
            f"{'are' if ' and ' in key else 'is'} not given")


def _week_lines(variants):
    """Which weekday the plan's weeks start on per queue, and whether the file gave it or the open days did."""
    if "week_start" not in variants:
        return []
    first = variants.dropna(subset=["week_start"]).drop_duplicates("queue")
    rolled = first["schedule_weeks_from"].fillna("") if "schedule_weeks_from" in first else [""] * len(first)
    said = {q: week_start_text(w, bool(inferred)) + (
                f"; the shifts are sized in weeks from {r}, the plan's first day, which {w} weeks would cut" if r else "")
            for q, w, inferred, r in zip(first["queue"], first["week_start"], first["week_start_inferred"], rolled)}
    if len(set(said.values())) <= 1:
        return [f"  weeks start {text}" for text in list(said.values())[:1]]
    return [f"  {q}: weeks start {text}" for q, text in said.items()]


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
        h = headline_of(result, queue)
        if h is None:
            lines.append(f"  {queue}, base plan: no headline (the base variant failed or has no detail)")
            continue
        lines.append(f"  {queue}, base plan:")
        lines += ["    " + line for line in h.text().splitlines()]
    lines += _week_lines(v)  # after the headlines: the weeks their weekly figures are on
    lines += _capacity_lines(result, cur)
    lines += skills_lines(result.objects.get("skills_headline"), result.skills_error)
    lines += channel_lines(result.channels, s.costs.currency)
    ok = v[v["status"] == "ok"]
    if len(ok) > 1 and "required_fte" in ok:
        lines.append(f"  variants (workload before shifts, every variant alike): required FTE "
                     f"{_num(ok['required_fte'].min())} to {_num(ok['required_fte'].max())}, weekly cost "
                     f"{_num(ok['required_cost'].min(), ',.0f')} to {_num(ok['required_cost'].max(), ',.0f')}{cur}, "
                     f"service level before shifts {_pct(ok['plan_service_level'].min())} to "
                     f"{_pct(ok['plan_service_level'].max())}")
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
