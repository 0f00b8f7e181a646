"""
Weeks read from the data's open days by default (week_start=None), everywhere a week is counted.

The shipped example centre (wfm/datasets/data/examples) opens Sunday to Thursday: its planning week starts on
Sunday, as staffing_plan, weekly_demand, the CLI and `wfm run` infer (wfm.calendar.infer_week_start). With a
Monday default, kpis, forecast_accuracy, backtest, error_history and schedule_weeks cut each of its real weeks
in two (the review30 reproducer: weekly KPIs of the example log 556 + 2,103 calls, a one-week plan scheduled as
2 weeks). An explicit week_start still wins.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import wfm
from wfm.logs import read_contacts

EXAMPLES = Path(wfm.__file__).parent / "datasets" / "data" / "examples"
SUNDAY = pd.Timestamp("2024-06-23")  # the first day of the example log's week (Sun 23 - Thu 27 June 2024)


@pytest.fixture(scope="module")
def log():
    # the README's reading of the example contact log
    return read_contacts(
        EXAMPLES / "contact_log.csv",
        {"arrival": "q_start", "abandon": "q_exit", "answer": "ser_start", "end": "ser_exit", "agent": "server",
         "customer": "customer_id"},
        outcomes={"AGENT": "answered", "HANG": "abandoned", "PHANTOM": "other"},
        na_values={"ser_start": "0:00:00", "ser_exit": "0:00:00", "server": "NO_SERVER", "customer_id": 0},
        filters={"type": "PS"}, dayfirst=True)


@pytest.fixture(scope="module")
def calls(example_calls):
    """The example interval report's calls (tests/conftest.py): a Sunday-Thursday centre, 2-27 June 2024."""
    return example_calls


def _sunday_weeks(series):
    """Totals per Sunday-to-Saturday week, by pandas' own weekly periods (W-SAT: weeks ending Saturday)."""
    return series.groupby(series.index.to_period("W-SAT")).sum()


def test_weekly_kpis_of_the_example_log_are_one_week_per_real_week(log):
    k = wfm.kpis(log, freq="W")
    real_weeks = log["arrival"].dt.to_period("W-SAT").nunique()
    assert real_weeks == 1
    assert len(k) == real_weeks and k["period"].tolist() == [SUNDAY]
    assert k["offered"].tolist() == [len(log)] == [2659]  # the README's wfm history count
    assert k.attrs["week_start"] == "SUN" and k.attrs["week_start_inferred"] is True
    monday = wfm.kpis(log, freq="W", week_start="MON")  # an explicit week start still wins
    assert monday["period"].tolist() == [SUNDAY - pd.Timedelta("6D"), SUNDAY + pd.Timedelta("1D")]
    assert monday["offered"].sum() == len(log) and monday.attrs["week_start_inferred"] is False


def test_schedule_weeks_of_a_one_week_sunday_thursday_plan_is_one_week(calls):
    rules = yaml.safe_load((EXAMPLES / "shift_rules.yaml").read_text())
    week = calls.loc[SUNDAY:]  # the report's last week, Sun 23 - Thu 27 June
    assert sorted(set(week.index.day_name())) == ["Monday", "Sunday", "Thursday", "Tuesday", "Wednesday"]
    plan = wfm.staffing_plan(week, aht=240, shrinkage=0.3)
    for kwargs in ({}, {"plan": plan}):
        sched = wfm.schedule_weeks(plan.table["agents"], rules, time_limit=20, mip_gap=0.05, **kwargs)
        assert sched.figures()["weeks"] == 1 and sched.weeks["week"].tolist() == [SUNDAY]
        assert sched.params["week_start"] == 6 and sched.params["week_start_inferred"] is True
    # Monday weeks would cut it (Sun | Mon-Thu): a plan of at most 7 days is one rolling week from its first day
    split = wfm.schedule_weeks(plan.table["agents"], rules, week_start="MON", time_limit=20, mip_gap=0.05)
    assert split.figures()["weeks"] == 1 and split.params["week_start_inferred"] is False
    assert split.params["rolling_week"] and split.params["week_start"] == 6


def test_forecast_accuracy_scores_weeks_of_the_centre(calls):
    forecast = calls * 1.1 + 1.0  # any forecast: the week level sums it per week before scoring
    got = wfm.metrics.forecast_accuracy(calls, forecast, levels=["week"]).set_index("metric")["value"]
    weekly_a, weekly_f = _sunday_weeks(calls), _sunday_weeks(forecast)
    assert len(weekly_a) == 4
    assert got["mae"] == pytest.approx(np.mean(np.abs(weekly_f - weekly_a)))
    assert got["rmse"] == pytest.approx(np.sqrt(np.mean((weekly_f - weekly_a) ** 2)))
    monday = wfm.metrics.forecast_accuracy(calls, forecast, levels=["week"], week_start="MON")
    assert monday.set_index("metric")["value"]["mae"] != pytest.approx(got["mae"])  # 5 Monday weeks, cut


def _same_slot_last_week(history, future_index):
    """The same weekday and time of day the last time it was open (a seasonal naive forecast)."""
    last = history.groupby([history.index.day_of_week, history.index.time]).last()
    slots = pd.MultiIndex.from_arrays([future_index.day_of_week, future_index.time])
    return pd.DataFrame({"forecast": last.reindex(slots).to_numpy()}, index=future_index)


def test_backtest_origins_and_week_scores_fall_on_the_centre_weeks(calls):
    bt = wfm.backtest(_same_slot_last_week, calls, n_origins=3, levels=("interval", "week"))
    assert bt.timings.index.strftime("%a %d").tolist() == ["Sun 09", "Sun 16", "Sun 23"]
    assert bt.params["week_start"] == "SUN" and bt.params["week_start_inferred"] is True
    # each origin forecasts its own Sunday-Thursday week: one week, scored as that week's total
    week = bt.scores[(bt.scores["level"] == "week")].set_index(["origin", "metric"])["value"]
    totals = bt.forecasts.groupby("origin")[["actual", "forecast"]].sum()
    wape = (totals["forecast"] - totals["actual"]).abs() / totals["actual"]
    for origin, value in wape.items():
        assert week[origin, "wape"] == pytest.approx(value)
    explicit = wfm.backtest(_same_slot_last_week, calls, n_origins=2, week_start="MON")
    assert explicit.timings.index.strftime("%a %d").tolist() == ["Mon 10", "Mon 17"]


@pytest.mark.filterwarnings("ignore:history is too short", "ignore:Mean of empty slice")  # the first origins' bands
def test_error_history_forecasts_the_centre_weeks(calls):
    errors = wfm.intraday.error_history(calls, weeks=3)
    days = errors.index.normalize().unique()
    # three Sunday origins, each forecasting its week's five open days (the last one the report's last week)
    assert days[0] == pd.Timestamp("2024-06-09") and days[-1] == pd.Timestamp("2024-06-27") and len(days) == 15
    assert (errors["actual"] == calls.loc[errors.index]).all()


def test_wfm_history_counts_the_log_weeks_from_its_open_days(tmp_path, capsys):
    from wfm import cli

    flags = ["--columns", "arrival=q_start,abandon=q_exit,answer=ser_start,end=ser_exit,agent=server",
             "--outcomes", "AGENT=answered,HANG=abandoned,PHANTOM=other", "--na", "ser_start=0:00:00",
             "--na", "ser_exit=0:00:00", "--na", "server=NO_SERVER", "--filter", "type=PS", "--dayfirst"]
    argv = ["history", str(EXAMPLES / "contact_log.csv"), "--freq", "30min", "--out", str(tmp_path / "h.csv")]
    assert cli.main(argv + flags) == 0
    assert "calls per week (starting SUN, read from the log's open days): 23 Jun 2,659\n" in capsys.readouterr().out
    assert cli.main(argv + flags + ["--week-start", "MON"]) == 0  # the flag still wins
    assert "calls per week (starting MON): 17 Jun 556, 24 Jun 2,103\n" in capsys.readouterr().out
