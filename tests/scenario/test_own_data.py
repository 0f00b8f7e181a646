"""A scenario on an interval report as ACDs export it: the data section passes every reader option through."""

from pathlib import Path

import pytest

import wfm
from wfm.logs import read_history
from wfm.scenario import ScenarioError, run_scenario

from .conftest import small_scenario

REPORT = Path(wfm.__file__).parent / "datasets" / "data" / "examples" / "interval_report.csv"
COLUMNS = {"date": "Date", "time": "Interval", "calls": "Offered", "answered": "Answered",
           "abandoned": "Abandoned", "handle_time": "Handle Time (s)", "answered_within": "Answered in 20s"}


def _scenario(**data):
    return small_scenario(data={"path": str(REPORT), "columns": COLUMNS, **data}, schedule=None, simulate=None,
                          kpis=None, grid={}, forecast={"method": "topdown", "backtest": None},
                          horizon={"days": 5, "week_start": "SUN"})


def test_the_example_report_is_forecast_on_its_own_sunday_thursday_week():
    result = run_scenario(_scenario(dayfirst=True), jobs=1)
    assert result.ok, result.failed
    history = read_history(REPORT, dayfirst=True, columns=COLUMNS)
    stamps = result.forecast["timestamp"]
    # the five open days after the report, Sunday to Thursday, 08:00-18:00 like the history
    assert sorted(set(stamps.dt.day_name())) == sorted(set(history.index.day_name()))
    assert stamps.min() > history.index.max()
    assert stamps.dt.strftime("%H:%M").min() == "08:00" and stamps.dt.strftime("%H:%M").max() == "17:30"


def test_an_ambiguous_day_month_order_is_refused_with_the_option_named():
    with pytest.raises(ScenarioError, match="dayfirst") as err:
        run_scenario(_scenario(), jobs=1)
    # in the scenario's words: its data section's keys, not read_history's arguments
    assert "pass data.dayfirst: true (day/month/year), data.dayfirst: false" in str(err.value)
    assert "dayfirst=" not in str(err.value)
