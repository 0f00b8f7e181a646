"""Review item 21: wfm.replan printed "HighsMipSolverData::transformNewIntegerFeasibleSolution tmpSolver.run();"
from HiGHS's C code (ERGO-Code/HiGHS issue 2783: no option silences it), which a notebook shows."""

import ctypes
import os
import warnings

import pytest

import wfm
from wfm.schedule.milp import quiet_solver


def test_quiet_solver_drops_c_level_output_and_only_in_its_block(capfd):
    libc = ctypes.CDLL(None)
    with quiet_solver():
        os.write(1, b"written to fd 1\n")
        libc.printf(b"buffered by C stdio\n")  # still in C's buffer at the block's end: flushed into the null device
    print("after", flush=True)
    with quiet_solver(False):
        os.write(1, b"verbose\n")
    out = capfd.readouterr().out
    assert "written to fd 1" not in out and "buffered by C stdio" not in out
    assert "after" in out and "verbose" in out


@pytest.mark.filterwarnings("ignore")
def test_replan_prints_nothing(capfd):
    """The review's replan (bank calls scaled to 5%, Monday 20 Oct 2003 re-forecast at 11:30) printed the line."""
    calls = wfm.datasets.bank_calls("30min") * 0.05
    day = calls.loc["2003-10-20"]
    past = calls[calls.index < "2003-10-20"]
    fc = wfm.forecast_volume(past, day.index)
    rf = wfm.reforecast(fc, day.loc[:"2003-10-20 11:30"], wfm.intraday.error_history(past, weeks=4))
    plan = wfm.staffing_plan(fc["forecast"], aht=300)
    rules = {"shifts": [{"name": "D8", "paid": "8h", "breaks": [{"length": "30min", "paid": False,
                                                                 "start_after": ["3h", "5h"]}]},
                        {"name": "P4", "paid": "4h", "contract": "part_time"}], "week": {"days_per_week": 5}}
    sched = wfm.schedule_weeks(plan.table["agents"], rules, time_limit=10)
    capfd.readouterr()
    wfm.replan(rf, sched, rules, aht=300)
    captured = capfd.readouterr()
    assert "Highs" not in captured.out and "Highs" not in captured.err
