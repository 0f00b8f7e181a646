"""The main job's workbook: every numeric cell of every sheet in the number format of its column's unit.

Evidence: the workbook written by the small main job (the package's `main_run`) read back with openpyxl; each
sheet's columns looked up in the units their producers declare (wfm.report.units, the KPI catalogue, the
headline's fields, the scorecard's own unit column, the backtest's metric per row). A numeric column with no
declared unit fails, so no column falls back to a guess. Independently of the declarations, a percent-formatted
cell never holds a value beyond 2 (no 1717.1% for a standard deviation of 17.2 calls), and the cases of issue 25
are checked by name: the plan's rate_sd, the KPIs' csat_mean and csat_responses, the backtest's WAPE row, the
scorecard's trend.
"""

import numbers

import pytest
from openpyxl import load_workbook

from wfm.report import units as u
from wfm.report.units import unit_format

CURRENCY = "USD"
SHEETS = {"requirement": u.PLAN_UNITS, "coverage": u.COVERAGE_UNITS, "patterns": u.PATTERN_UNITS,
          "variants": u.VARIANT_UNITS, "daily": u.TOTALS_UNITS, "simulation_check": u.CHECK_UNITS,
          "kpis": u.KPI_UNITS, "forecast": u.FORECAST_UNITS, "peaks": u.PEAK_UNITS}
PER_ROW = ("value", "target", "change", "tolerance", "green_low", "green_high", "red_low", "red_high")


@pytest.fixture(scope="module")
def book(main_run):
    """The main job's workbook as {sheet: (header, rows of cells)} (module scope: read only)."""
    _, out, _ = main_run
    wb = load_workbook(out / "wfm_plan.xlsx")
    return {ws.title: ([c.value for c in ws[1]], [list(r) for r in ws.iter_rows(min_row=2)]) for ws in wb.worksheets}


def _is_number(x):
    return isinstance(x, numbers.Number) and not isinstance(x, bool)


def _unit(sheet, column, header, row):
    """The declared unit of one cell: by sheet and column, or per row where a sheet's rows differ in unit."""
    value = dict(zip(header, (c.value for c in row)))
    if sheet == "summary":
        return u.HEADLINE_UNITS[value["figure"]] if column == "value" else None
    if sheet == "scorecard":
        return u.unit_of(value["unit"]) if column in PER_ROW else None
    if sheet == "backtest":
        return u.METRIC_UNITS[value["metric"]] if column in ("value", "min", "max") else \
            "count" if column == "origins" else None
    if sheet == "shifts":
        return "h" if column == "paid_hours" else "count"  # the day columns and agent_days: agents
    if sheet == "variants" and column not in u.VARIANT_UNITS:
        return u.scenario_key_unit(column)
    return SHEETS[sheet].get(column)


def test_every_numeric_cell_has_its_units_format(book):
    assert {"summary", "requirement", "shifts", "patterns", "coverage", "variants", "daily", "simulation_check",
            "kpis", "scorecard", "forecast", "backtest", "peaks"} <= set(book)
    checked, undeclared, wrong = 0, set(), []
    for sheet, (header, rows) in book.items():
        for j, column in enumerate(header):
            for row in rows:
                cell = row[j]
                if not _is_number(cell.value) or (sheet != "summary" and column in ("timestamp",)):
                    continue
                unit = _unit(sheet, column, header, row)
                if unit is None:
                    undeclared.add((sheet, column))
                    continue
                checked += 1
                if cell.number_format != unit_format(unit, CURRENCY):
                    wrong.append((sheet, column, unit, cell.number_format, cell.value))
                if cell.number_format.endswith("%"):
                    assert abs(cell.value) <= 2, (sheet, column, cell.value)  # a percent is a fraction
    assert not undeclared, f"numeric columns without a declared unit: {sorted(undeclared)}"
    assert not wrong, wrong[:10]
    assert checked > 5000


def _column(book, sheet, name):
    header, rows = book[sheet]
    return [r[header.index(name)] for r in rows]


def test_the_cases_of_issue_25(book):
    # a standard deviation of 17.2 calls is calls, not 1717.1%
    assert {c.number_format for c in _column(book, "requirement", "rate_sd")} == {"#,##0.0"}
    # CSAT 4.15 on a 1-5 scale is a score, not 415.3%; 8,360 answers a count, not 836000.0%
    assert {c.number_format for c in _column(book, "kpis", "csat_mean")} == {"0.00"}
    assert {c.number_format for c in _column(book, "kpis", "csat_responses")} == {"#,##0"}
    assert {c.number_format for c in _column(book, "kpis", "csat")} == {"0.0%"}
    # the backtest's WAPE (5.1%) as a percentage, its RMSE in calls, in one column
    metric = [c.value for c in _column(book, "backtest", "metric")]
    mean = _column(book, "backtest", "value")
    assert {m.number_format for m, k in zip(mean, metric) if k == "wape"} == {"0.0%"}
    assert {m.number_format for m, k in zip(mean, metric) if k == "rmse"} == {"#,##0.0"}
    # the scorecard's trend is readable text in the KPI's unit, not a list of raw floats
    kpi = [c.value for c in _column(book, "scorecard", "kpi")]
    trend = {k: c.value for k, c in zip(kpi, _column(book, "scorecard", "trend"))}
    assert isinstance(trend["service_level"], str) and trend["service_level"].count("%") == 5
    assert trend["asa"].endswith(" s")
    value = {k: c.number_format for k, c in zip(kpi, _column(book, "scorecard", "value"))}
    assert value["service_level"] == "0.0%" and value["asa"] == value["aht"] == "#,##0.0" and value["nps"] == "0.0"
