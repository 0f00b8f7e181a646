"""
Scenarios: one YAML file describes a whole weekly plan; the runner calls the wfm functions in order.

:func:`load_scenario` reads and validates a file (:mod:`wfm.scenario.schema`
lists its sections and keys; :func:`scenario_schema` exports the JSON
Schema), :func:`expand_grid` turns its what-if grid into named variants
(:mod:`wfm.scenario.grid`), :func:`run_scenario` runs data -> forecast and
backtest -> staffing -> schedule -> simulation check -> KPIs for every queue
and variant, locally or on a Dask cluster (:mod:`wfm.scenario.runner`), and
:func:`write_outputs` writes the tables, plots, ``report.html`` and the
Excel workbook into a folder, replacing a previous run whole
(:mod:`wfm.scenario.output`).

The week after the bundled bank record, staffed at 80/20 with 30% shrinkage,
and with 10% more calls:

>>> from wfm.scenario import run_scenario
>>> result = run_scenario({"name": "demo", "data": {"dataset": "bank_calls"}, "aht": 300,
...     "staffing": {"shrinkage": 0.3}, "forecast": {"backtest": None}, "simulate": None,
...     "grid": {"forecast.volume_factor": [1.0, 1.1]}}, jobs=1)
>>> result.variants[["variant", "status", "peak_agents", "required_fte"]].round(1)
                      variant status  peak_agents  required_fte
0                        base     ok        325.0         545.3
1  forecast.volume_factor=1.1     ok        357.0         598.3
"""

from .grid import Variant, expand_grid
from .load import LoadedScenario, load_history, load_scenario
from .output import summary_text, write_outputs
from .long_term import CapacityResult
from .runner import ScenarioResult, run_capacity, run_scenario
from .schema import Scenario, ScenarioError, scenario_schema

__all__ = [
    "CapacityResult",
    "run_capacity",
    "LoadedScenario",
    "Scenario",
    "ScenarioError",
    "ScenarioResult",
    "Variant",
    "expand_grid",
    "load_history",
    "load_scenario",
    "run_scenario",
    "scenario_schema",
    "summary_text",
    "write_outputs",
]
