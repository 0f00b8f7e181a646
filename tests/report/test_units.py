"""wfm.report.units: every column of the tables wfm makes has a declared unit, and each unit its number format.

Evidence: the producers' real tables (a staffing plan from a forecast of the bank's week, its totals, a
simulation check, the KPI catalogue, the headline's fields) have no numeric column without a unit; the
declarations agree with the data (a column declared a fraction holds values in [0, 1], a column whose values
exceed 1.5 is never declared a fraction); the unit -> Excel format table is the one the module documents.
"""

import numpy as np
import pandas as pd
import pytest

import wfm
from wfm.evaluate.kpi import CATALOGUE
from wfm.headline import HEADLINE_FIELDS
from wfm.report import units as u


@pytest.fixture(scope="module")
def forecast_plan():
    """An Erlang A plan of the week after the record, staffed to the forecast's 80% quantile under an occupancy
    cap (module scope: read-only); it has every column a plan can have but max_asa."""
    history = wfm.datasets.bank_calls("30min")
    future = wfm.calendar.future_intervals(history, days=2)
    fc = wfm.forecast.forecast(history, future, method="topdown", level=0.8)
    return wfm.staffing_plan_from_forecast(fc.table, aht=300, service_level=0.8, threshold=20, model="erlang_a",
                                           patience=180, max_abandon_rate=0.05, max_occupancy=0.9, shrinkage=0.3)


def _numeric(frame):
    return [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c]) and not
            pd.api.types.is_bool_dtype(frame[c])]


def _agree(frame, declared):
    """Every numeric column declared; fractions in [0, 1]; a column with values beyond 1.5 never a fraction."""
    missing = [c for c in _numeric(frame) if c not in declared]
    assert not missing, f"numeric columns without a unit: {missing}"
    for c in _numeric(frame):
        values = frame[c].to_numpy(dtype=float)
        values = values[np.isfinite(values)]
        if declared[c] == "fraction":
            assert ((values >= 0) & (values <= 1)).all(), c
        if values.size and np.abs(values).max() > 1.5:
            assert declared[c] != "fraction", c


def test_the_unit_formats_are_the_documented_ones():
    assert u.UNIT_FORMATS == {"fraction": "0.0%", "count": "#,##0", "calls": "#,##0.0", "agents": "#,##0.0",
                              "erlang": "#,##0.0", "s": "#,##0.0", "h": "#,##0.0", "fte": "#,##0.0",
                              "currency": "#,##0", "price": "#,##0.00", "score": "0.00", "points": "0.0",
                              "ratio": "0.00", "per_h": "#,##0.0", "id": "0"}
    assert u.unit_format("currency", "EUR") == '#,##0 "EUR"' and u.unit_format("price", "USD") == '#,##0.00 "USD"'
    assert u.unit_format("0-1") == "0.0%" and u.unit_format("-1 to 1") == u.unit_format("scale") == "0.00"
    assert u.unit_format("1/h") == "#,##0.0"
    with pytest.raises(ValueError, match="unit must be one of"):
        u.unit_format("percent")


def test_a_plan_from_a_forecast_and_its_totals_declare_every_column(forecast_plan):
    tab = forecast_plan.table
    assert {"lower", "upper", "rate_sd", "calls_staffed", "p_meet", "max_occupancy"} <= set(tab.columns)
    _agree(tab, u.PLAN_UNITS)
    assert u.PLAN_UNITS["rate_sd"] == "calls"  # a standard deviation of calls, never a percentage (issue 25)
    for freq in ("D", "W"):
        _agree(forecast_plan.totals(freq), u.TOTALS_UNITS)


def test_a_simulation_check_declares_every_column(forecast_plan):
    small = wfm.StaffingPlan(forecast_plan.table.head(6), forecast_plan.params)
    check = wfm.verify_plan(small, replications=2, seed=1)
    _agree(check.table, u.CHECK_UNITS)


def test_kpis_and_headline_have_units_of_the_table():
    assert set(u.KPI_UNITS) == {row[0] for row in CATALOGUE}
    assert u.KPI_UNITS["csat_mean"] == "score" and u.KPI_UNITS["csat_responses"] == "count"
    assert u.KPI_UNITS["csat"] == u.KPI_UNITS["service_level"] == "fraction" and u.KPI_UNITS["nps"] == "points"
    assert set(u.HEADLINE_UNITS) == {key for key, *_ in HEADLINE_FIELDS}
    assert u.HEADLINE_UNITS["heads_to_employ"] == "count" and u.HEADLINE_UNITS["fte"] == "fte"
    assert u.HEADLINE_UNITS["weekly_cost"] == "currency" and u.HEADLINE_UNITS["p_meet"] == "fraction"


def test_backtest_metrics_have_the_units_of_wfm_metrics():
    from wfm.metrics import POINT_METRICS

    assert set(POINT_METRICS) <= set(u.METRIC_UNITS)
    assert u.METRIC_UNITS["wape"] == "fraction" and u.METRIC_UNITS["mase"] == "ratio"
    assert u.METRIC_UNITS["rmse"] == "calls" and u.METRIC_UNITS["mape_excluded"] == "count"
