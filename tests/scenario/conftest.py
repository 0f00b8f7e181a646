"""Fixtures of the scenario tests: a small, fast scenario on the real bank data, and one CLI run of it."""

from pathlib import Path

import pytest
import yaml

from wfm import cli

REPO = Path(__file__).resolve().parents[2]
KPI_TARGETS = REPO / "scenarios" / "kpi_targets.yaml"


def pytest_configure(config):
    config.addinivalue_line("markers", "dask: runs a scenario on a dask.distributed LocalCluster (CI runs it)")


def small_scenario(**changes):
    """
    The main job in small: bank_calls at 30 minutes, the week after the record, topdown forecast,
    2 backtest origins, Erlang C 80/20, a 2-template schedule (5 s limit), 3 simulated replications,
    KPIs against scenarios/kpi_targets.yaml, a 2 x 2 grid with one marked variant besides base.
    """
    s = {
        "name": "small_bank_week",
        "description": "A small version of weekly_bank_calls for the tests.",
        "data": {"dataset": "bank_calls", "freq": "30min"},
        "horizon": {"days": 5},
        "forecast": {"method": "topdown", "level": 0.8, "backtest": {"n_origins": 2, "levels": ["interval", "day"]}},
        "aht": 300,
        "staffing": {"model": "erlang_c", "service_level": 0.8, "threshold": 20, "shrinkage": 0.3},
        "schedule": {
            "shifts": [
                {"name": "FT8", "paid": "8h", "contract": "full_time", "cost_per_paid_hour": 22.0,
                 "breaks": [{"length": "30min", "paid": False, "start_after": ["3h30min", "5h"]}]},
                {"name": "PT4", "paid": "4h", "contract": "part_time", "cost_per_paid_hour": 23.1},
            ],
            "week": {"days_per_week": 5},
            "open_hours": {d: ["07:00", "21:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
            "time_limit": 5,
            "variants": [{"forecast.volume_factor": 1.1, "staffing.service_level": 0.9}],
        },
        "simulate": {"replications": 3, "seed": 7},
        "kpis": {"targets": str(KPI_TARGETS), "freq": "D"},
        "costs": {"paid_hour": 22.0, "currency": "USD"},
        "grid": {"forecast.volume_factor": [1.0, 1.1], "staffing.service_level": [0.8, 0.9]},
        "output": {"tables": ["csv", "parquet"]},
    }
    if "grid" in changes:  # the marked variant is one of the default grid's
        s["schedule"]["variants"] = []
    s.update(changes)  # None writes `key: null`: the section is switched off
    return s


def write_scenario(folder, scenario, name="scenario.yaml"):
    path = Path(folder) / name
    path.write_text(yaml.safe_dump(scenario, sort_keys=False))
    return path


@pytest.fixture(scope="package")
def main_run(tmp_path_factory):
    """
    One `wfm run` of the small scenario in 2 processes, its exit code, output folder and printed summary.
    Package scope: the run takes seconds and the tests only read its files.
    """
    folder = tmp_path_factory.mktemp("run")
    path = write_scenario(folder, small_scenario())
    out = folder / "out"
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = cli.main(["run", str(path), "--out", str(out), "--jobs", "2"])
    return code, out, buf.getvalue()
