"""End to end: one `wfm run` of a small scenario on the real bank data; its files and how they agree."""

import html
import json
import os
import re

import numpy as np
import pandas as pd
import pytest

from wfm import cli
from wfm.headline import HEADLINE_FIELDS

from .conftest import small_scenario, write_scenario

TABLES = ["variants", "forecast", "backtest", "requirements", "daily", "schedule_shifts", "coverage",
          "simulation_check", "kpis", "scorecard"]


def read(out, name):
    return pd.read_csv(out / f"{name}.csv")


def test_run_exits_0_and_prints_the_summary(main_run):
    code, _, printed = main_run
    assert code == 0
    first, base = printed.splitlines()[:2]
    assert "4 variant(s), 4 ok, 0 failed" in first
    assert base == "  bank_calls, base plan:"
    for label in ("heads to employ", "FTE", "weekly cost", "expected service level", "forecast backtest WAPE"):
        assert f"    {label} " in printed
    assert " USD" in printed and "variants (workload before shifts, every variant alike): required FTE" in printed


def _printed_headline(printed):
    """label -> text of the headline lines of the CLI summary (indented 4, label and text two spaces apart)."""
    lines = [line[4:] for line in printed.splitlines() if line.startswith("    ")]
    return dict(re.match(r"(.+?)\s{2,}(\S.*)$", line).groups() for line in lines)


def _report_headline(page):
    """figure key -> (text, label) of the report's headline cards."""
    cards = re.findall(r'<div class="card" data-figure="([a-z_]+)"><div class="value">(.*?)</div>'
                       r'<div class="label">(.*?)</div></div>', page)
    return {key: (html.unescape(text), html.unescape(label)) for key, text, label in cards}


def test_summary_report_and_workbook_show_the_same_headline(main_run):
    """The one headline: the CLI summary, the report's first section and the workbook's first sheet."""
    _, out, printed = main_run
    sheets = pd.read_excel(out / "wfm_plan.xlsx", sheet_name=None, keep_default_na=False)  # "n/a" stays text
    assert next(iter(sheets)) == "summary"
    book = sheets["summary"].set_index("figure")
    cli_lines = _printed_headline(printed)
    page = (out / "report.html").read_text()
    first = page.split("<section", 2)[1]  # the first section of the page holds the headline
    cards = _report_headline(first)
    assert list(cards) == list(book.index) == [key for key, *_ in HEADLINE_FIELDS]
    for key, row in book.iterrows():
        assert cards[key] == (row["text"], row["label"]), key
        assert cli_lines[row["label"]] == row["text"], key
    # the variants table carries the same figures as numbers
    v = read(out, "variants").set_index("variant").loc["base"]
    assert f"{v['heads_to_employ']:,.0f}" == book.loc["heads_to_employ", "text"]
    assert f"{v['fte']:,.1f}" == book.loc["fte", "text"]
    assert f"{v['required_fte']:,.1f}" == book.loc["required_fte", "text"]
    assert f"{v['required_cost']:,.0f} USD" == book.loc["required_weekly_cost", "text"]
    assert f"{v['cost']:,.0f} USD" == book.loc["weekly_cost", "text"]
    assert f"{v['service_level']:.1%}" == book.loc["service_level", "text"]


def test_each_service_level_label_shows_one_figure(main_run):
    """The headline's service level is with the scheduled agents, the variants line's with the required agents
    (plan_service_level): two figures of the base plan, two labels, each matching its own column."""
    _, out, printed = main_run
    v = read(out, "variants")
    base = v.set_index("variant").loc["base"]
    assert base["service_level"] != base["plan_service_level"]  # the shifts' agents are not the required ones
    assert _printed_headline(printed)["expected service level (as scheduled)"] == f"{base['service_level']:.1%}"
    ok = v[v["status"] == "ok"]
    assert (f"service level before shifts {ok['plan_service_level'].min():.1%} to "
            f"{ok['plan_service_level'].max():.1%}") in printed
    assert "plan SL" not in printed and "expected service level (before shifts)" not in _printed_headline(printed)


def test_headline_figures_follow_from_each_other(main_run):
    """heads to employ x paid hours per head = FTE x hours per FTE; one cost = FTE x 37.5 h x 22 USD."""
    _, out, _ = main_run
    book = pd.read_excel(out / "wfm_plan.xlsx", sheet_name="summary").set_index("figure")["value"]
    shifts = read(out, "schedule_shifts")
    base = shifts[shifts["variant"] == "base"]
    # scheduled heads come from the schedule: its full- and part-time patterns
    assert book["scheduled_heads"] == read(out, "variants").set_index("variant").loc["base", "heads"]
    np.testing.assert_allclose(book["paid_hours_per_head"] * book["scheduled_heads"],
                               (base["paid_hours"] * base["agents"]).sum())
    assert book["heads_to_employ"] == np.ceil(book["scheduled_heads"] / (1 - 0.3) - 1e-9)
    np.testing.assert_allclose(book["heads_to_employ"] * book["paid_hours_per_head"], book["fte"] * 37.5)
    np.testing.assert_allclose(book["weekly_cost"], book["fte"] * 37.5 * 22.0)


def test_every_file_is_written_whole(main_run):
    _, out, _ = main_run
    for name in TABLES:
        assert len(pd.read_parquet(out / f"{name}.parquet")) == len(read(out, name)) > 0, name
    for png in ("forecast", "backtest", "staffing_plan", "schedule_coverage", "schedule_gantt", "simulation_check",
                "variants"):
        assert (out / f"{png}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", png
    page = (out / "report.html").read_text()
    headings = re.findall(r"<h2>(.*?)</h2>", page)
    assert headings[:7] == ["Headline, base plan", "Variants", "Variants: required FTE and service level before shifts",
                            "Shifts, base",
                            "Weekly patterns, base", "Coverage, base", "Shifts by start time, base"]
    for heading in ("Staffing plan, base", "Forecast", "Backtest", "Simulation check",
                    "KPI scorecard, base (simulated)", "Scenario parameters"):
        assert heading in headings, heading
    assert page.count("data:image/png;base64,") >= 7
    assert "staffing.service_level" in page  # the parameters and the grid
    sheets = pd.read_excel(out / "wfm_plan.xlsx", sheet_name=None)
    assert list(sheets)[:6] == ["summary", "requirement", "shifts", "patterns", "coverage", "variants"]
    assert len(sheets["requirement"]) == 140 and len(sheets["variants"]) == 4  # the base plan; every variant
    assert len(sheets["requirements"] if "requirements" in sheets else read(out, "requirements")) == 4 * 140
    manifest = json.loads((out / ".wfm-manifest.json").read_text())
    assert set(manifest["files"]) == {p.name for p in out.iterdir() if not p.name.startswith(".")}
    assert not [p for p in out.iterdir() if p.name.startswith(".") and p.name != ".wfm-manifest.json"]


def test_variants_table(main_run, bank_30min):
    _, out, _ = main_run
    v = read(out, "variants")
    assert v["variant"].tolist() == ["base", "forecast.volume_factor=1,staffing.service_level=0.9",
                                     "forecast.volume_factor=1.1,staffing.service_level=0.8",
                                     "forecast.volume_factor=1.1,staffing.service_level=0.9"]
    assert (v["status"] == "ok").all()
    assert v["detail"].tolist() == [True, False, False, True]
    assert v["forecast.volume_factor"].tolist() == [1.0, 1.0, 1.1, 1.1]
    assert v["staffing.service_level"].tolist() == [0.8, 0.9, 0.8, 0.9]
    # more calls or a higher target never needs fewer agents: every variant carries the required FTE (like
    # with like), only the variants sized into shifts the FTE to employ and heads
    ah = v["agent_hours"]
    assert ah[3] > ah[2] > ah[0] and ah[3] > ah[1] > ah[0]
    rf = v["required_fte"]
    assert rf[3] > rf[2] > rf[0] and rf[3] > rf[1] > rf[0]
    np.testing.assert_allclose(rf, v["scheduled_hours"] / 37.5)  # one week: its scheduled hours over 37.5 h
    assert v["fte"].notna().tolist() == v["detail"].tolist() == v["heads_to_employ"].notna().tolist()
    assert v.loc[3, "heads_to_employ"] > v.loc[0, "heads_to_employ"] and v.loc[3, "fte"] > v.loc[0, "fte"]
    # the one weekly cost: FTE to employ x 37.5 h x the paid hour of the scenario; its twin for required FTE
    np.testing.assert_allclose(v["cost"], v["fte"] * 37.5 * 22.0)
    np.testing.assert_allclose(v["required_cost"], v["required_fte"] * 37.5 * 22.0)
    # the scenario's forecast (topdown) backtested on the same two weeks beats the seasonal naive forecast
    import wfm

    naive = wfm.backtest("seasonal_naive", bank_30min, n_origins=2).summary().set_index(["level", "metric"])
    assert (v["backtest_wape"] < 0.8 * naive.loc[("interval", "wape"), "value"]).all()
    assert v.loc[v["detail"], "heads"].gt(0).all() and v.loc[~v["detail"], "heads"].isna().all()


def test_tables_agree_with_each_other(main_run):
    _, out, _ = main_run
    v = read(out, "variants").set_index("variant")
    req = read(out, "requirements")
    fc = read(out, "forecast")
    # every variant staffs the one forecast, times its volume factor
    for name, part in req.groupby("variant"):
        np.testing.assert_allclose(part["calls"].to_numpy(), fc["forecast"].to_numpy() * v.loc[name,
                                   "forecast.volume_factor"])
        assert part["service_level"].ge(part["service_level_target"] - 1e-12).all()
    # daily totals add up to the variant's week
    daily = read(out, "daily").groupby("variant")[["agent_hours", "scheduled_hours"]].sum()
    np.testing.assert_allclose(daily["agent_hours"], v.loc[daily.index, "agent_hours"])
    np.testing.assert_allclose(daily["scheduled_hours"], v.loc[daily.index, "scheduled_hours"])
    np.testing.assert_allclose(req.groupby("variant")["agents"].max(), v.loc[daily.index, "peak_agents"])
    # the schedule covers the requirement in every interval (the scenario does not allow a shortfall)
    cov = read(out, "coverage")
    assert set(cov["variant"]) == {"base", "forecast.volume_factor=1.1,staffing.service_level=0.9"}
    assert (cov["scheduled"] >= cov["required"]).all()
    for name, part in cov.groupby("variant"):
        agents = req[req["variant"] == name].set_index("timestamp")["agents"]
        required = part.set_index("timestamp")["required"]
        pd.testing.assert_series_equal(required.reindex(agents.index), agents, check_names=False)
        assert required.drop(agents.index).eq(0).all()  # closed intervals of the week grid
    shifts = read(out, "schedule_shifts")
    paid = shifts.groupby("variant").apply(lambda s: (s["paid_hours"] * s["agents"]).sum(), include_groups=False)
    np.testing.assert_allclose(paid, v.loc[paid.index, "paid_hours"])
    # the simulation check and the KPIs are of the same plan
    check = read(out, "simulation_check")
    for name, part in check.groupby("variant"):
        assert part["agents"].tolist() == req.loc[req["variant"] == name, "agents"].tolist()
    kpis = read(out, "kpis")
    assert len(kpis) == 2 * 5 and kpis["service_level"].between(0, 1).all()
    card = read(out, "scorecard")
    assert {"service_level", "asa", "occupancy"} <= set(card["kpi"])
    assert set(card["status"]) <= {"green", "amber", "red", "no data", "input", "not scored"}
    assert card["reason"].str.len().gt(0).all()  # every status explained
    # the simulated week is scored against the schedule it ran on and carries customer-side fields
    for kpi in ("adherence", "shrinkage", "utilisation", "fcr", "csat"):
        if kpi in kpis:
            assert kpis[kpi].notna().all(), kpi
    assert kpis["adherence"].between(0, 1).all()


def test_rerun_replaces_results_whole(tmp_path, capsys):
    out = tmp_path / "out"
    first = write_scenario(tmp_path, small_scenario(schedule=None, simulate=None, kpis=None, grid={},
                                                    forecast={"method": "seasonal_naive"}), "a.yaml")
    assert cli.main(["run", str(first), "--out", str(out), "--jobs", "1", "--quiet"]) == 0
    (out / "my_notes.txt").write_text("not wfm's")
    second = write_scenario(tmp_path, small_scenario(schedule=None, simulate=None, kpis=None, grid={},
                                                     forecast={"method": "seasonal_naive", "backtest": None},
                                                     output={"tables": ["csv"], "excel": False}), "b.yaml")
    assert cli.main(["run", str(second), "--out", str(out), "--jobs", "1", "--quiet"]) == 0
    names = {p.name for p in out.iterdir()}
    assert "backtest.csv" not in names and "backtest.png" not in names  # the first run's leftovers are gone
    assert "wfm_plan.xlsx" not in names and not [n for n in names if n.endswith(".parquet")]
    assert "my_notes.txt" in names  # never touches files wfm did not write
    assert "variants.csv" in names and "report.html" in names
    assert not [n for n in names if n.startswith(".wfm-staging") or n.endswith(".tmp")]


def test_a_failed_write_leaves_the_previous_results(tmp_path, monkeypatch):
    from wfm.scenario import output

    out = tmp_path / "out"
    path = write_scenario(tmp_path, small_scenario(schedule=None, simulate=None, kpis=None, grid={},
                                                   forecast={"method": "seasonal_naive", "backtest": None}))
    assert cli.main(["run", str(path), "--out", str(out), "--jobs", "1", "--quiet"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(output, "write_excel", broken)
    assert cli.main(["run", str(path), "--out", str(out), "--jobs", "1", "--quiet"]) == 2
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_failing_variant_exits_1_and_the_others_are_written(tmp_path, capsys, jobs):
    # max_heads 5 is a valid rule, but no schedule of 5 agents covers the bank's week: that variant fails
    s = small_scenario(simulate=None, kpis=None,
                       grid={"schedule.max_heads": [2000, 5], "staffing.service_level": [0.8, 0.9]})
    s["schedule"]["variants"] = "all"
    s["forecast"]["backtest"] = None
    path = write_scenario(tmp_path, s)
    code = cli.main(["run", str(path), "--out", str(tmp_path / "out"), "--jobs", jobs])
    assert code == 1
    printed = capsys.readouterr().out
    assert "5 variant(s), 3 ok, 2 failed" in printed and "FAILED" in printed
    v = pd.read_csv(tmp_path / "out" / "variants.csv")
    bad = v[v["status"] == "failed"]
    assert bad["variant"].str.contains("schedule.max_heads=5").all() and len(bad) == 2
    assert bad["error"].str.startswith("schedule: ValueError").all()
    assert bad["required_fte"].notna().all()  # the staffing before the failing step is kept
    cov = pd.read_csv(tmp_path / "out" / "coverage.csv")
    assert set(cov["variant"]) == set(v.loc[v["status"] == "ok", "variant"])
    assert "Failed variants" in (tmp_path / "out" / "report.html").read_text()


def test_workbook_number_formats_headers_and_filters(main_run):
    """wfm_plan.xlsx opens in openpyxl with %, #,##0, #,##0.0 and currency formats, frozen headers, filters and widths."""
    from openpyxl import load_workbook

    _, out, _ = main_run
    wb = load_workbook(out / "wfm_plan.xlsx")

    def fmt(ws, column, row=2):
        header = [c.value for c in ws[1]]
        return ws.cell(row=row, column=header.index(column) + 1).number_format

    summary = wb["summary"]
    figures = {summary.cell(row=i, column=5).value: summary.cell(row=i, column=3).number_format
               for i in range(2, summary.max_row + 1)}
    assert figures["service_level"] == figures["p_meet"] == figures["backtest_wape"] == "0.0%"
    assert figures["heads_to_employ"] == figures["scheduled_heads"] == "#,##0"  # counts (units: wfm.report.units)
    assert figures["fte"] == figures["paid_hours_per_head"] == "#,##0.0"
    assert figures["weekly_cost"] == '#,##0 "USD"'
    req = wb["requirement"]
    assert fmt(req, "agents") == "#,##0" and isinstance(req.cell(row=2, column=[c.value for c in req[1]].index("agents")
                                                             + 1).value, int)
    assert fmt(req, "service_level") == fmt(req, "occupancy") == "0.0%"
    variants = wb["variants"]
    assert [c.value for c in variants[1]][:8] == ["queue", "variant", "required_fte", "required_cost",
                                                  "plan_service_level", "heads_to_employ", "fte", "cost"]
    assert fmt(variants, "cost") == '#,##0 "USD"' and fmt(variants, "service_level") == "0.0%"
    assert fmt(variants, "staffing.service_level") == "0.0%"
    assert fmt(wb["shifts"], "paid_hours") == "#,##0.0"
    for ws in wb.worksheets:
        assert ws.freeze_panes is not None and ws.freeze_panes.endswith("2"), ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.title
        assert all(ws.column_dimensions[c].width >= 6 for c in ("A", "B")), ws.title


def test_report_variants_sortable_and_the_schedule_readable(main_run):
    _, out, _ = main_run
    page = (out / "report.html").read_text()
    section = page.split("<h2>Variants</h2>", 1)[1].split("</section>", 1)[0]
    header = re.findall(r'<th[^>]*scope="col">(.*?)</th>', section)
    assert header[:8] == ["variant", "required_fte", "required_cost", "plan_service_level", "heads_to_employ", "fte",
                          "cost", "service_level"]
    assert 'class="data sortable"' in section and "<script>" in page and "data-v=" in section
    assert "volume_factor=1.1 service_level=0.9" in section  # short labels
    assert re.search(r'<td class="num" data-v="[0-9.]+">9[0-9]\.[0-9]%</td>', section)  # SL as a percentage
    shifts = page.split("<h2>Shifts, base</h2>", 1)[1].split("</section>", 1)[0]
    assert re.findall(r'<th[^>]*scope="col">(.*?)</th>', shifts)[:6] == ["shift", "contract", "start", "end",
                                                                         "paid_hours", "breaks"]
    assert "Mon 27 Oct" in shifts and "unpaid" in shifts
    card = page.split("KPI scorecard, base (simulated)</h2>", 1)[1].split("</section>", 1)[0]
    sl = re.search(r"<td>service_level</td>.*?</tr>", card).group(0)
    assert re.search(r"<td>\d+\.\d%</td><td>80\.0%</td>", sl)  # value and target of a rate as %
    aht = re.search(r"<td>aht</td>.*?</tr>", card).group(0)
    assert "<td>300.0 s</td>" in aht  # seconds said so
    params = page.split("Scenario parameters</h2>", 1)[1]
    assert '<th scope="row">simulate.seed</th><td>7</td>' in params


def test_a_second_run_into_a_locked_folder_exits_2_naming_the_other_run(tmp_path, capsys):
    from wfm.report.locking import LOCK_NAME, lock_folder

    out = tmp_path / "out"
    path = write_scenario(tmp_path, small_scenario(schedule=None, simulate=None, kpis=None, grid={},
                                                   forecast={"method": "seasonal_naive", "backtest": None}))
    with lock_folder(out, what="wfm run other"):  # held by this process, seen from another run
        record = json.loads((out / LOCK_NAME).read_text())
        record["pid"] = os.getppid()  # a live process other than this one
        (out / LOCK_NAME).write_text(json.dumps(record))
        assert cli.main(["run", str(path), "--out", str(out), "--jobs", "1", "--quiet"]) == 2
        err = capsys.readouterr().err
        assert f"pid {os.getppid()}" in err and record["started"] in err and "in use by another wfm run other" in err
        assert not (out / "variants.csv").exists()
    assert not (out / LOCK_NAME).exists()  # the holder released it
    assert cli.main(["run", str(path), "--out", str(out), "--jobs", "1", "--quiet"]) == 0
    assert not (out / LOCK_NAME).exists()


def test_ctrl_c_while_writing_exits_130_and_leaves_the_previous_results(tmp_path, monkeypatch, capsys):
    from wfm.scenario import output

    out = tmp_path / "out"
    path = write_scenario(tmp_path, small_scenario(schedule=None, simulate=None, kpis=None, grid={},
                                                   forecast={"method": "seasonal_naive", "backtest": None}))
    assert cli.main(["run", str(path), "--out", str(out), "--jobs", "1", "--quiet"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(output, "write_excel", interrupted)  # Ctrl-C after the tables, plots and page are staged
    assert cli.main(["run", str(path), "--out", str(out), "--jobs", "1", "--quiet"]) == 130
    assert "interrupted" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # no lock, no staging folder, files as they were


def test_two_queues_each_get_their_headline_and_sheets(tmp_path, bank_30min, capsys):
    """Two queues (the bank's calls, and a third of them): a headline per queue in all three outputs."""
    a = bank_30min.rename_axis("timestamp").reset_index().assign(queue="retail")
    b = a.assign(queue="business", calls=a["calls"] // 3)
    pd.concat([a, b]).to_csv(tmp_path / "queues.csv", index=False)
    s = small_scenario(simulate=None, kpis=None, grid={}, data={"path": "queues.csv", "queue": "queue"},
                       forecast={"method": "seasonal_naive", "backtest": None})
    s["schedule"]["time_limit"] = 3
    out = tmp_path / "out"
    assert cli.main(["run", str(write_scenario(tmp_path, s)), "--out", str(out), "--jobs", "1"]) == 0
    printed = capsys.readouterr().out
    assert "  business, base plan:" in printed and "  retail, base plan:" in printed
    book = pd.read_excel(out / "wfm_plan.xlsx", sheet_name=None, keep_default_na=False)
    assert list(book)[:5] == ["summary", "requirement business", "shifts business", "patterns business",
                              "coverage business"]
    assert "requirement retail" in book and "shifts retail" in book
    summary = book["summary"]
    assert summary["queue"].tolist() == ["business"] * len(HEADLINE_FIELDS) + ["retail"] * len(HEADLINE_FIELDS)
    heads = summary[summary["figure"] == "heads_to_employ"].set_index("queue")["value"]
    assert heads["retail"] > 2 * heads["business"]  # three times the calls, some economy of scale
    page = (out / "report.html").read_text()
    assert re.findall(r"<h2>(Headline, \w+), base plan</h2>", page) == ["Headline, business", "Headline, retail"]
    for queue in ("business", "retail"):
        section = page.split(f"<h2>Headline, {queue}, base plan</h2>", 1)[1].split("</section>", 1)[0]
        texts = dict(re.findall(r'data-figure="(\w+)"><div class="value">(.*?)</div>', section))
        rows = summary[summary["queue"] == queue].set_index("figure")["text"]
        assert {k: html.unescape(t) for k, t in texts.items()} == rows.to_dict()


def test_every_variants_column_the_docstring_names_is_written_and_every_written_one_is_named(main_run):
    """ScenarioResult's docstring is the variants table's contract (issue 31: no stale entrance)."""
    from wfm.scenario import ScenarioResult

    _, out, _ = main_run
    doc = ScenarioResult.__doc__
    section = doc.split("    variants : DataFrame", 1)[1].split("    forecast : DataFrame", 1)[0]
    always, roster = section.split("with a roster section", 1)
    named = set(re.findall(r"``([a-z_]+)``", always))
    written = pd.read_csv(out / "variants.csv").columns
    grid = {c for c in written if "." in c}  # the grid values, by their scenario keys
    assert named - set(written) == set(), "named in the docstring, not written"
    assert set(written) - named - grid == set(), "written, not named in the docstring"
    assert set(re.findall(r"``([a-z_]+)``", roster)) == {"roster_status", "roster_gap", "roster_coverage_loss"}
