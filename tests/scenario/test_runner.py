"""The runner from Python: queues, AHT forms, staffing methods, forecast settings in the grid, Dask."""

import numpy as np
import pandas as pd
import pytest

import wfm
from wfm.scenario import run_scenario
from wfm.scenario.output import summary_text

from .conftest import small_scenario, write_scenario

LIGHT = dict(schedule=None, simulate=None, kpis=None)


def _two_queues(tmp_path, bank_30min, short=False):
    """Two queues in one long CSV with AHT: 'retail' (the bank's calls) and 'business' (a third of them)."""
    a = bank_30min.rename_axis("timestamp").reset_index().assign(queue="retail", aht=300.0)
    b = a.assign(queue="business", calls=a["calls"] // 3, aht=420.0)
    if short:
        b = b.tail(28 * 3)  # three days: too little history for a forecast
    path = tmp_path / "queues.csv"
    pd.concat([a, b]).to_csv(path, index=False)
    return path


def test_several_queues_with_overrides(tmp_path, bank_30min):
    _two_queues(tmp_path, bank_30min)
    s = small_scenario(**LIGHT, data={"path": "queues.csv", "queue": "queue", "aht": "aht"},
                       aht={"forecast": {"weeks": 4}},
                       queues={"business": {"staffing.service_level": 0.9, "staffing.threshold": 30}},
                       grid={"forecast.volume_factor": [1.0, 1.1]})
    result = run_scenario(write_scenario(tmp_path, s), jobs=1)
    v = result.variants
    assert v[["queue", "variant"]].values.tolist() == [["business", "base"],
                                                       ["business", "forecast.volume_factor=1.1"],
                                                       ["retail", "base"], ["retail", "forecast.volume_factor=1.1"]]
    assert (v["status"] == "ok").all()
    req = result.requirements
    business = req[req["queue"] == "business"]
    assert (business["service_level_target"] == 0.9).all()
    np.testing.assert_allclose(business["aht"], 420.0)  # the AHT forecast of a flat history is flat
    retail = req[req["queue"] == "retail"]
    assert (retail["service_level_target"] == 0.8).all()
    assert set(result.forecast["queue"]) == {"business", "retail"} and "aht" in result.forecast
    assert list(result.summary().index) == ["business", "retail"]


def test_a_queue_that_cannot_be_forecast_fails_alone(tmp_path, bank_30min):
    _two_queues(tmp_path, bank_30min, short=True)
    s = small_scenario(**LIGHT, data={"path": "queues.csv", "queue": "queue"}, grid={})
    result = run_scenario(write_scenario(tmp_path, s), jobs=1)
    v = result.variants.set_index("queue")
    # three days forecast (with a warning: the band is not calibrated), but cannot be backtested
    assert v.loc["business", "status"] == "failed" and v.loc["business", "error"].startswith("backtest: ")
    assert "history is too short" in v.loc["business", "warnings"]
    assert v.loc["retail", "status"] == "ok" and not result.ok
    assert set(result.requirements["queue"]) == {"retail"}


def test_aht_profile_and_factor(tmp_path):
    s = small_scenario(**LIGHT, aht={"profile": {"07:00": 320, "12:00": 280, "18:30": 300}, "factor": 1.1},
                       grid={})
    result = run_scenario(s, jobs=1)
    req = result.requirements.set_index("timestamp")
    hhmm = pd.DatetimeIndex(req.index).strftime("%H:%M")
    np.testing.assert_allclose(req.loc[hhmm == "07:00", "aht"], 352.0)
    np.testing.assert_allclose(req.loc[hhmm == "11:30", "aht"], 352.0)
    np.testing.assert_allclose(req.loc[hhmm == "12:00", "aht"], 308.0)
    np.testing.assert_allclose(req.loc[hhmm == "20:30", "aht"], 330.0)
    late = run_scenario(small_scenario(**LIGHT, aht={"profile": {"08:00": 300}}, grid={}), jobs=1)
    assert late.variants.loc[0, "status"] == "failed"
    assert "aht.profile starts at 08:00 but the horizon has an interval at 07:00" in late.variants.loc[0, "error"]


@pytest.mark.parametrize("method", ["point", "expected"])
def test_staffing_methods_match_the_library(method):
    s = small_scenario(**LIGHT, grid={}, staffing={"method": method, "service_level": 0.8, "threshold": 20})
    result = run_scenario(s, jobs=1)
    history = wfm.datasets.bank_calls("30min")
    fc = wfm.forecast.forecast(history, wfm.future_intervals(history, days=5), "topdown", 0.8)
    if method == "point":
        plan = wfm.staffing_plan(fc.table["forecast"].rename("calls"), 300, service_level=0.8, threshold=20)
    else:
        plan = wfm.staffing_plan_from_forecast(fc.table, 300, method="expected", service_level=0.8, threshold=20)
    got = result.requirements.drop(columns=["queue", "variant"]).set_index("timestamp")
    pd.testing.assert_frame_equal(got, plan.table.rename_axis("timestamp"), check_freq=False)


def test_forecast_settings_in_the_grid_get_their_own_forecast():
    s = small_scenario(**LIGHT, grid={"forecast.method": ["topdown", "seasonal_naive"],
                                      "forecast.volume_factor": [1.0, 1.2]})
    s["forecast"]["backtest"] = None
    result = run_scenario(s, jobs=1)
    assert sorted(set(result.forecast["forecast_config"])) == ["base", "forecast.method=seasonal_naive"]
    v = result.variants.set_index("variant")
    assert v.loc["forecast.method=seasonal_naive,forecast.volume_factor=1", "forecast_method"] == "seasonal_naive"
    assert v.loc["forecast.method=topdown,forecast.volume_factor=1.2", "forecast_method"] == "topdown"


def test_result_object():
    loaded = wfm.scenario.load_scenario(small_scenario(**LIGHT, grid={}))
    result = run_scenario(loaded, jobs=1)
    assert "ScenarioResult('small_bank_week': 1 queue(s), 1 variant row(s), 0 failed)" in repr(result)
    assert result.ok and result.failed.empty
    assert list(result.tables()) == ["variants", "forecast", "backtest", "peaks", "requirements", "daily"]
    assert "<h4>Scenario small_bank_week</h4>" in result._repr_html_()


@pytest.mark.dask
def test_dask_local_cluster_gives_the_same_tables(tmp_path):
    from wfm.executors import local_cluster

    s = small_scenario(simulate={"replications": 2, "seed": 3})
    s["forecast"]["backtest"]["n_origins"] = 1
    s["schedule"]["variants"] = "all"
    local = run_scenario(s, jobs=1)
    from distributed import Client

    with local_cluster(2) as cluster, Client(cluster) as client:
        remote = run_scenario(s, dask=client)
    assert remote.executor.startswith("dask")
    for name in local.TABLES:
        pd.testing.assert_frame_equal(getattr(local, name), getattr(remote, name), obj=name)


def test_a_horizon_longer_than_a_week_keeps_every_kpi_and_weights_the_weeks():
    """horizon.days 8 spans two planning weeks: one schedule over both, KPIs with the schedule-based columns."""
    s = small_scenario(grid={}, horizon={"days": 8}, simulate={"replications": 2, "seed": 7},
                       forecast={"method": "topdown", "backtest": None})
    s["schedule"]["variants"] = []
    result = run_scenario(s, jobs=1)
    assert result.ok, result.failed
    sched = result.objects["schedule"][("bank_calls", "base")]
    assert sched.shifts["week"].nunique() == 2
    for column in ("adherence", "shrinkage", "utilisation"):
        assert result.kpis[column].notna().all(), column
    # one headline over both weeks: heads are the most any week needs, service level weighted by calls
    headline = result.headline()
    plan = result.objects["plan"][("bank_calls", "base")]
    calls = plan.table["calls"].reindex(sched.coverage.index).fillna(0)
    weighted = (sched.coverage["service_level"] * calls).sum() / calls.sum()
    assert headline.figures()["service_level"] == pytest.approx(weighted)
    assert headline.figures()["scheduled_heads"] == sched.heads
    assert result.variants.loc[0, "cost"] == pytest.approx(headline.figures()["weekly_cost"])


def test_a_horizon_of_three_days_counts_as_three_fifths_of_the_banks_week():
    """horizon.days 3 (Mon-Wed): the plan knows the history's open days, so its week share is 3/5 (before: 1, so
    required_fte 348 against 526 for the five days)."""
    fte = {}
    for days in (3, 5):
        s = small_scenario(**LIGHT, grid={}, horizon={"days": days}, forecast={"method": "topdown", "backtest": None})
        result = run_scenario(s, jobs=1)
        row = result.variants.iloc[0]
        plan = result.objects["plan"][("bank_calls", "base")]
        assert plan.params["open_days"] == ("Mon", "Tue", "Wed", "Thu", "Fri")
        assert plan.totals("W")["week_share"].tolist() == [days / 5]
        assert row["required_fte"] == pytest.approx(plan.figures()["scheduled_hours"] / (days / 5) / 37.5)
        assert "less than a week" not in row["warnings"]
        fte[days] = row["required_fte"]
    # Mon-Wed of the forecast carries about the week's mean work per day (Mondays peak, Fridays dip)
    assert fte[3] == pytest.approx(fte[5], rel=0.01)


def test_the_scenarios_cost_per_paid_hour_prices_shifts_without_one():
    """Review33 item 4: costs.paid_hour (the headline's cost) set and a shift rule with no cost_per_paid_hour: the
    shifts' cost is that template's paid hours x costs.paid_hour (before: x 1, so the shifts summed to the paid hours
    whatever the headline said); a template with its own cost keeps it."""
    s = small_scenario(simulate=None, kpis=None, grid={}, forecast={"method": "topdown", "backtest": None})
    s["schedule"] = {**s["schedule"], "variants": [],
                     "shifts": [{k: v for k, v in s["schedule"]["shifts"][0].items() if k != "cost_per_paid_hour"},
                                s["schedule"]["shifts"][1]]}
    s["costs"] = {"paid_hour": 25.0}
    result = run_scenario(s, jobs=1)
    sched = result.objects["schedule"][("bank_calls", "base")]
    rate = sched.shifts["name"].map({"FT8": 25.0, "PT4": 23.1})
    assert "FT8" in set(sched.shifts["name"])
    np.testing.assert_allclose(sched.shifts["cost"], sched.shifts["paid_hours"] * sched.shifts["agents"] * rate)
    assert sched.cost == pytest.approx(sched.shifts["cost"].sum()) and sched.cost > 22 * sched.paid_hours


def test_the_summary_says_when_the_shifts_are_sized_in_weeks_from_the_plans_first_day():
    """A five-day plan from Wednesday on Monday weeks is sized as one week from Wednesday (schedule_weeks'
    rolling week); the summary's week line says so beside horizon.week_start, and a plan from Monday does not."""
    lines = {}
    for start in ("2003-10-29", None):
        s = small_scenario(simulate=None, kpis=None, grid={}, horizon={"days": 5, "week_start": "MON", "start": start},
                           forecast={"method": "topdown", "backtest": None})
        if start is None:
            del s["horizon"]["start"]
        s["schedule"]["variants"] = []
        result = run_scenario(s, jobs=1)
        assert result.ok, result.failed
        sched = result.objects["schedule"][("bank_calls", "base")]
        assert sched.params["rolling_week"] is (start is not None)
        lines[start] = [line for line in summary_text(result).splitlines() if "weeks start" in line]
    assert lines["2003-10-29"] == ["  weeks start MON (horizon.week_start); the shifts are sized in weeks from WED, "
                                   "the plan's first day, which MON weeks would cut"]
    assert lines[None] == ["  weeks start MON (horizon.week_start)"]
