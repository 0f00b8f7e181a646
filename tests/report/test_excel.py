"""write_excel: one sheet per table that round-trips through openpyxl and pandas."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from wfm import report

import openpyxl


def test_round_trip_of_a_staffing_plan_and_its_totals(tmp_path, plan):
    out = report.write_excel(tmp_path / "week.xlsx", {"plan": plan.table, "totals": plan.totals("D")})
    back = pd.read_excel(out, sheet_name=None, index_col=0)
    assert list(back) == ["plan", "totals"]
    got = back["plan"]
    assert got.index.name == "timestamp" and list(got.columns) == list(plan.table.columns)
    assert pd.api.types.is_datetime64_dtype(got.index)
    pd.testing.assert_index_equal(got.index, plan.table.index, check_exact=True, exact=False)
    # openpyxl writes 16 significant digits (Excel itself keeps 15)
    pd.testing.assert_frame_equal(got, plan.table, check_dtype=False, check_index_type=False, rtol=1e-14)
    np.testing.assert_allclose(back["totals"]["required_fte"], plan.totals("D")["required_fte"], rtol=1e-14)


def test_layout_bold_header_frozen_panes_widths_filter(tmp_path, plan, scorecard):
    out = report.write_excel(tmp_path / "week.xlsx", {"plan": plan.table, "scorecard": scorecard})
    wb = openpyxl.load_workbook(out)
    ws = wb["plan"]
    assert [c.value for c in ws[1]] == ["timestamp", *plan.table.columns]
    assert all(c.font.bold for c in ws[1])
    assert not ws["B2"].font.bold
    assert ws.freeze_panes == "B2"  # below the header, right of the interval column
    assert wb["scorecard"].freeze_panes == "A2"  # no index column
    assert ws.auto_filter.ref == f"A1:K{len(plan.table) + 1}"
    assert ws.column_dimensions["A"].width >= len("2003-10-20 07:00")
    assert ws.column_dimensions["K"].width >= len("service_level") + 2  # binding_target values
    assert ws["A2"].value == dt.datetime(2003, 10, 20, 7, 0) and ws["A2"].number_format == "yyyy-mm-dd hh:mm"
    assert ws.max_row == len(plan.table) + 1


def test_time_zones_become_local_wall_clock_with_a_note(tmp_path):
    idx = pd.date_range("2024-03-31 01:00", periods=4, freq="30min", tz="Europe/Paris", name="start")
    frame = pd.DataFrame({"calls": [10, 20, 30, 40],
                          "logged_in": idx.tz_convert("UTC"),
                          "wait": pd.to_timedelta([20, 95, 3600, 5], unit="s")}, index=idx)
    out = report.write_excel(tmp_path / "tz.xlsx", {"q": frame})
    back = pd.read_excel(out, index_col=0)
    # 02:00-03:00 does not exist in Paris that night: wall-clock times jump from 01:30 to 03:00
    assert back.index.strftime("%H:%M").tolist() == ["01:00", "01:30", "03:00", "03:30"]
    assert back["logged_in"].dt.strftime("%H:%M").tolist() == ["00:00", "00:30", "01:00", "01:30"]  # UTC
    ws = openpyxl.load_workbook(out)["q"]
    assert "Europe/Paris" in ws["A1"].comment.text and "UTC" in ws["C1"].comment.text
    assert ws["B1"].comment is None
    assert ws["D3"].value == dt.timedelta(seconds=95)


def test_values_missing_text_formulas_and_objects(tmp_path):
    frame = pd.DataFrame({"queue": ["=1+1", "sales\x07", None],
                          "sl": [0.8, np.nan, np.inf],
                          "agents": pd.array([14, None, 3], dtype="Int64"),
                          "met": [True, False, True],
                          "breaks": [[1, 2], {"a": 1}, "x"]})
    out = report.write_excel(tmp_path / "v.xlsx", {"t": frame})
    ws = openpyxl.load_workbook(out)["t"]
    assert ws["A2"].value == "=1+1" and ws["A2"].data_type == "s"  # text, never a formula
    assert ws["A3"].value == "sales"  # control character dropped
    assert ws["A4"].value is None and ws["B3"].value is None and ws["B4"].value is None
    assert ws["C3"].value is None and ws["C2"].value == 14
    assert ws["D2"].value is True
    assert ws["E2"].value == "[1, 2]" and ws["E3"].value == "{'a': 1}"


def test_sheet_names_are_made_legal_and_distinct(tmp_path, scorecard):
    names = ["plan: week 43/2003", "Plan_ week 43_2003", "x" * 40, "", "'quoted'", "history", "a[1]*?\\"]
    out = report.write_excel(tmp_path / "n.xlsx", {name: scorecard for name in names})
    got = openpyxl.load_workbook(out).sheetnames
    assert got == ["plan_ week 43_2003", "Plan_ week 43_2003 (2)", "x" * 31, "Sheet", "quoted", "History_",
                   "a_1____"]
    assert got == report.sheet_names(names)
    assert all(len(n) <= 31 for n in got)
    assert len({n.lower() for n in got}) == len(got)


def test_long_duplicate_names_stay_within_31_characters():
    names = report.sheet_names(["staffing plan of the week of 20 October"] * 12)
    assert len(set(names)) == 12 and max(map(len, names)) == 31
    assert names[1] == "staffing plan of the week o (2)" and names[11] == "staffing plan of the week (12)"


def test_series_and_multiindex(tmp_path):
    s = pd.Series([1.5, 2.25], index=pd.MultiIndex.from_tuples([("a", 1), ("b", 2)], names=["queue", "day"]),
                  name="fte")
    out = report.write_excel(tmp_path / "s.xlsx", {"fte": s})
    ws = openpyxl.load_workbook(out)["fte"]
    assert [c.value for c in ws[1]] == ["queue", "day", "fte"]
    assert ws.freeze_panes == "C2"


@pytest.mark.parametrize(("path", "tables", "error", "match"), [
    ("r.xlsx", {}, ValueError, "tables must be at least one"),
    ("r.xls", {"a": pd.DataFrame({"x": [1]})}, ValueError, r"path must be a file name ending in \.xlsx"),
    ("r.csv", {"a": pd.DataFrame({"x": [1]})}, ValueError, "Use write_table"),
    ("r.xlsx", [pd.DataFrame()], TypeError, "tables must be a dict"),
    ("r.xlsx", {"a": [1, 2]}, TypeError, r"tables\['a'\] must be a pandas DataFrame"),
])
def test_bad_input(tmp_path, path, tables, error, match):
    with pytest.raises(error, match=match):
        report.write_excel(tmp_path / path, tables)
    assert not list(tmp_path.iterdir())


def test_day_labels_become_dates_in_the_header(tmp_path):
    by_template = pd.DataFrame({pd.Timestamp("2003-10-20"): [280, 194]}, index=pd.Index(["FT8", "PT4"], name="name"))
    ws = openpyxl.load_workbook(report.write_excel(tmp_path / "d.xlsx", {"t": by_template}))["t"]
    assert [c.value for c in ws[1]] == ["name", "2003-10-20"]


def test_a_table_larger_than_a_sheet_is_refused(tmp_path, monkeypatch, plan):
    from wfm.report import excel

    monkeypatch.setattr(excel, "_MAX_ROWS", 100)
    with pytest.raises(ValueError, match=r"tables\['plan'\] must be at most 99 rows .* got <140 rows x 11 columns>"):
        report.write_excel(tmp_path / "big.xlsx", {"plan": plan.table})
    assert not list(tmp_path.iterdir())


def test_number_formats_by_unit_and_as_given_never_by_name(tmp_path, plan):
    """Each column in its unit's format (wfm.report.units): fractions 0.0%, counts #,##0, seconds #,##0.0, money with
    its currency; a column mixing units gets one format per row; ``formats`` wins; a column with neither is
    formatted from its values, never from its name (a 'service_level' of 17.2 is not shown as 1720%)."""
    table = plan.table[["calls", "agents", "service_level", "occupancy", "asa"]].head(3)
    figures = pd.DataFrame({"label": ["heads to employ", "FTE", "weekly cost", "expected service level"],
                            "value": [679.0, 595.42, 491224.3, 0.979], "seed": [2003, 2003, 2003, 2003],
                            "cost": [1.5, 2.5, 3.5, 4.5], "service_level": [17.2, 20.5, 3.1, 4.0]})
    units = {"plan": {"calls": "calls", "agents": "count", "service_level": "0-1", "occupancy": "fraction",
                      "asa": "s"},
             "figures": {"value": ["count", "fte", "currency", "fraction"], "seed": "id", "cost": "currency"}}
    out = report.write_excel(tmp_path / "f.xlsx", {"plan": table, "figures": figures}, units=units, currency="USD",
                             formats={"figures": {"cost": '#,##0.00 "EUR"'}})
    wb = openpyxl.load_workbook(out)
    plan_ws = wb["plan"]
    header = [c.value for c in plan_ws[1]]
    fmt = {name: plan_ws.cell(row=2, column=header.index(name) + 1).number_format for name in header[1:]}
    assert fmt == {"calls": "#,##0.0", "agents": "#,##0", "service_level": "0.0%", "occupancy": "0.0%",
                   "asa": "#,##0.0"}
    assert isinstance(plan_ws.cell(row=2, column=header.index("agents") + 1).value, int)
    ws = wb["figures"]
    assert [ws.cell(row=i, column=2).number_format for i in range(2, 6)] == ["#,##0", "#,##0.0", '#,##0 "USD"',
                                                                          "0.0%"]
    assert ws.cell(row=2, column=3).number_format == "0"  # a seed: no thousands separator
    assert ws.cell(row=2, column=4).number_format == '#,##0.00 "EUR"'  # formats wins over units
    # no unit: from the values (not one is a whole number, the largest is >= 10), never a percent from the name
    assert ws.cell(row=2, column=5).number_format == "#,##0.0"
    assert ws.cell(row=5, column=2).value == 0.979  # the value itself is kept; only its display changes


def test_an_unknown_unit_is_named(tmp_path, plan):
    with pytest.raises(ValueError, match="unit must be one of.*'percent'"):
        report.write_excel(tmp_path / "f.xlsx", {"plan": plan.table}, units={"plan": {"agents": "percent"}})
    with pytest.raises(TypeError, match="units must be a dict"):
        report.write_excel(tmp_path / "f.xlsx", {"plan": plan.table}, units=["count"])


def test_formats_must_be_a_dict(tmp_path, plan):
    with pytest.raises(TypeError, match="formats must be a dict"):
        report.write_excel(tmp_path / "f.xlsx", {"plan": plan.table}, formats=["0.0%"])
