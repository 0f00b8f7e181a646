"""replan writes nothing to the terminal. Review item 21: on the review's day (bank calls scaled to 5%, Monday
20 Oct 2003 re-forecast at 11:30) it printed "HighsMipSolverData::transformNewIntegerFeasibleSolution
tmpSolver.run();" from HiGHS's C code (HiGHS 1.12, ERGO-Code/HiGHS issue 2783), which no log option silences; it
came from repairing a sub-MIP heuristic's solution, and replan now runs HiGHS without those heuristics."""

import ctypes

import pytest

import wfm


@pytest.mark.filterwarnings("ignore")
def test_replan_writes_nothing_to_stdout_or_stderr(capfd):
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
    libc = ctypes.CDLL(None)
    libc.fflush(None)                      # whatever C buffered before (the scheduler's solves) goes out now
    capfd.readouterr()
    rp = wfm.replan(rf, sched, rules, aht=300)
    libc.fflush(None)                      # C's stdout is block-buffered on a pipe: out with it before reading
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")
    assert rp.figures()["service_level_after"] >= 0.8   # and the plan still meets the day's target
