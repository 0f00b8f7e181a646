"""Demand: weekly volume and AHT forecasts, and required FTE equal to a direct Erlang computation."""

import numpy as np
import pandas as pd
import pytest

import wfm
from wfm.capacity import required_fte, week_profile, weekly_demand, weekly_forecast


def _synthetic(weekly_totals, start="2021-01-04"):
    """Half-hourly history 09:00-17:00 Mon-Fri whose weekly totals are ``weekly_totals`` (synthetic, exact)."""
    days = pd.bdate_range(start, periods=5 * len(weekly_totals))
    slots = pd.timedelta_range("09:00:00", "16:30:00", freq="30min")
    index = pd.DatetimeIndex([d + s for d in days for s in slots])
    shape = np.tile(np.r_[np.linspace(1, 2, 8), np.linspace(2, 1, 8)], 5)
    shape = shape / shape.sum()
    values = np.concatenate([t * shape for t in weekly_totals])
    return pd.Series(values, index=index, name="calls")


def test_required_fte_equals_required_agents_on_the_representative_week(bank_30min):
    fc = weekly_forecast(bank_30min, weeks=5, aht=np.array([280.0, 300, 320, 300, 290]))
    profile = week_profile(bank_30min)
    shrink = np.array([0.25, 0.3, 0.35, 0.3, 0.3])
    got = required_fte(fc, profile, service_level=0.8, threshold=20, max_occupancy=0.9, shrinkage=shrink,
                       fte_hours_per_week=37.5)
    for w in range(5):
        calls = fc["calls"].iloc[w] * profile.to_numpy()                    # the week spread over its profile
        agents = wfm.required_agents(calls, fc["aht"].iloc[w], 1800, 0.8, 20, max_occupancy=0.9)
        hours = agents.sum() * 0.5
        assert got["agent_hours"].iloc[w] == pytest.approx(hours, rel=1e-12)
        assert got["required_fte"].iloc[w] == pytest.approx(hours / (37.5 * (1 - shrink[w])), rel=1e-12)
    assert (got["required_fte_lower"] <= got["required_fte"]).all()
    assert (got["required_fte"] <= got["required_fte_upper"]).all()


def test_erlang_a_targets_reach_the_requirement(bank_30min):
    fc = weekly_forecast(bank_30min, weeks=2, aht=300)
    profile = week_profile(bank_30min)
    got = required_fte(fc, profile, model="erlang_a", patience=120, service_level=0.8, threshold=20, shrinkage=0)
    calls = fc["calls"].iloc[0] * profile.to_numpy()
    agents = wfm.required_agents(calls, 300, 1800, 0.8, 20, model="erlang_a", patience=120)
    assert got["required_fte"].iloc[0] == pytest.approx(agents.sum() * 0.5 / 37.5, rel=1e-12)


def test_week_profile_of_bank_calls_sums_to_one_per_week(bank_30min):
    p = week_profile(bank_30min)
    assert p.sum() == pytest.approx(1.0)
    # the weekday shares equal each weekday's mean daily calls over the sum of the five means
    daily = bank_30min.groupby(bank_30min.index.normalize()).sum()
    means = daily.groupby(daily.index.day_of_week).mean()
    np.testing.assert_allclose(p.groupby(level="weekday").sum().to_numpy(), (means / means.sum()).to_numpy())


def test_straight_log_trend_is_continued_exactly():
    totals = 10_000 * 1.01 ** np.arange(30)                                 # +1% a week, no noise
    fc = weekly_forecast(_synthetic(totals), weeks=10, damping=1.0)
    np.testing.assert_allclose(fc["calls"], 10_000 * 1.01 ** np.arange(30, 40), rtol=1e-9)
    np.testing.assert_allclose(fc["calls_lower"], fc["calls"], rtol=1e-6)  # no residuals: no band


def test_damped_trend_levels_off():
    totals = 10_000 * 1.01 ** np.arange(30)
    fc = weekly_forecast(_synthetic(totals), weeks=300, damping=0.9)
    # the trend adds b * sum_k 0.9^k, at most b * 9 (log scale): the forecast tends to last * 1.01^9
    assert fc["calls"].iloc[-1] == pytest.approx(totals[-1] * 1.01 ** 9, rel=1e-6)


def test_caller_monthly_indices_are_removed_then_put_back():
    # A flat 10,000 calls a week times a monthly index; the forecast must give 10,000 x the index of each week.
    idx = {m: 1.0 + 0.2 * np.sin(2 * np.pi * m / 12) for m in range(1, 13)}
    start = pd.Timestamp("2021-01-04")
    weeks = pd.date_range(start, periods=30, freq="7D")
    totals = 10_000 * np.array([idx[(w + pd.Timedelta(days=3)).month] for w in weeks])
    fc = weekly_forecast(_synthetic(totals, start), weeks=20, seasonal_indices=idx)
    expected = 10_000 * np.array([idx[(w + pd.Timedelta(days=3)).month] for w in fc["week"]])
    np.testing.assert_allclose(fc["calls"], expected, rtol=1e-6)


def test_yearly_seasonality_from_two_years_of_history():
    weeks = pd.date_range("2021-01-04", periods=104, freq="7D")
    iso = weeks.isocalendar().week.to_numpy()
    season = 1 + 0.15 * np.cos(2 * np.pi * (iso - 1) / 52)
    fc = weekly_forecast(_synthetic(10_000 * season), weeks=52, damping=1.0)
    wk = fc["week"].dt.isocalendar().week.to_numpy()
    truth = 10_000 * (1 + 0.15 * np.cos(2 * np.pi * (wk - 1) / 52))
    # estimated from the history itself (3-week smoothing flattens the peak a little)
    np.testing.assert_allclose(fc["calls"], truth, rtol=0.01)


def test_aht_history_is_trended_with_a_band(bank_30min):
    aht = pd.Series(300.0 + 0.0 * bank_30min.to_numpy(), index=bank_30min.index)
    fc = weekly_forecast(bank_30min, weeks=4, aht=aht)
    np.testing.assert_allclose(fc["aht"], 300.0, rtol=1e-9)


def test_monthly_vacation_shrinkage_and_sites(bank_30min):
    hist = {"east": bank_30min, "west": (bank_30min * 0.5).round()}
    shrink = {"vacation": {m: (0.12 if m in (7, 8) else 0.05) for m in range(1, 13)}, "absence": 0.06}
    d = weekly_demand(hist, weeks=52, aht=300, shrinkage=shrink)
    assert sorted(d["site"].unique()) == ["east", "west"]
    month = (d["week"] + pd.Timedelta(days=3)).dt.month
    np.testing.assert_allclose(d["shrinkage"], np.where(month.isin([7, 8]), 0.18, 0.11))
    # half the calls need fewer, but more than half the FTE (economies of scale of Erlang C)
    east, west = (d[d["site"] == s]["required_fte"].to_numpy() for s in ("east", "west"))
    assert ((west < east) & (west > 0.5 * east)).all()


def test_per_site_shrinkage_and_one_call_agree(bank_30min):
    hist = {"a": bank_30min, "b": (bank_30min * 0.3).round()}
    together = weekly_demand(hist, weeks=6, aht=300, shrinkage=0.3)
    per_site = weekly_demand(hist, weeks=6, aht=300, shrinkage={"a": 0.3, "b": 0.4})
    a = per_site["site"] == "a"
    np.testing.assert_allclose(per_site.loc[a, "required_fte"], together.loc[a, "required_fte"], rtol=1e-12)
    # same agent-hours at site b, divided by 37.5 x 0.6 instead of 37.5 x 0.7
    np.testing.assert_allclose(per_site.loc[~a, "required_fte"], together.loc[~a, "required_fte"] * 0.7 / 0.6,
                               rtol=1e-12)


def test_required_fte_is_the_weekly_jobs_interval_fte_and_says_so():
    # issue 25: the same week sized by the capacity demand and by the weekly job. On the same calls, AHT and
    # targets the capacity requirement IS StaffingPlan.totals' required FTE (the interval requirement); the weekly job's
    # headline FTE is the scheduled one (whole shifts, only the unscheduled shrinkage grossed up). The basis is
    # carried in attrs, and schedule_factor = headline FTE / plan FTE puts capacity on the scheduled basis.
    import wfm
    from wfm.capacity import required_fte, week_profile
    from wfm.headline import plan_headline

    idx = pd.date_range("2024-01-01 08:00", periods=20, freq="30min")
    idx = idx.append(idx + pd.Timedelta(days=1))
    calls = pd.Series(np.r_[np.linspace(20, 60, 20), np.linspace(30, 50, 20)], index=idx)
    shrink = {"breaks": 0.10, "training": 0.05, "absence": 0.15}
    plan = wfm.staffing_plan(calls, aht=300, shrinkage=shrink, max_occupancy=0.9)
    fc = pd.DataFrame({"site": "all", "week": [pd.Timestamp("2024-01-01")], "calls": [calls.sum()],
                       "calls_lower": [calls.sum()], "calls_upper": [calls.sum()], "aht": [300.0],
                       "aht_lower": [300.0], "aht_upper": [300.0]})
    targets = dict(service_level=0.8, threshold=20, max_occupancy=0.9, shrinkage=shrink)
    d = required_fte(fc, week_profile(calls), **targets)
    weekly = plan.totals("W")
    assert d["agent_hours"].iloc[0] == pytest.approx(weekly["agent_hours"].iloc[0], rel=1e-12)
    assert d["required_fte"].iloc[0] == pytest.approx(weekly["required_fte"].iloc[0], rel=1e-12)
    assert d.attrs["fte_basis"].startswith("interval requirement")
    rules = {"shifts": [{"name": "day", "paid": "8h", "breaks": [{"length": "30min", "paid": True,
                                                                  "start_after": ["3h", "5h"]}]}],
             "week": {"days_per_week": [1, 5]}}
    sched = wfm.schedule_weeks(plan.table["agents"], rules, plan=plan, time_limit=20)
    headline = plan_headline(plan, sched).figures()["fte"]
    factor = headline / weekly["required_fte"].iloc[0]
    assert factor > 1                                     # shifts cover the intervals with slack
    on_schedule = required_fte(fc, week_profile(calls), **targets, schedule_factor=factor)
    assert on_schedule["required_fte"].iloc[0] == pytest.approx(headline, rel=1e-12)
    assert "schedule_factor" in on_schedule.attrs["fte_basis"]


EXAMPLE_REPORT = dict(columns={"date": "Date", "time": "Interval", "calls": "Offered", "answered": "Answered",
                               "abandoned": "Abandoned", "handle_time": "Handle Time (s)"},
                      dayfirst=True, missing="zero")


@pytest.fixture(scope="module")
def own_report():
    """The bundled example interval report (SYNTHETIC, tools/make_example_exports.py), as wfm init reads it."""
    from pathlib import Path

    from wfm.logs import read_history

    return read_history(Path(wfm.__file__).parent / "datasets" / "data" / "examples" / "interval_report.csv",
                        **EXAMPLE_REPORT)


def test_aht_history_per_site_for_one_site_and_several(own_report):
    # A dict of AHT histories keyed by the sites is taken per site, also for ONE site: the scenario runner
    # always passes dicts, and a one-queue dict used to reach weekly_forecast whole (TypeError: unhashable
    # type: 'dict'). Cross-check: each site's rows equal the function called on that site's bare history.
    calls, aht = own_report["calls"], own_report["aht"]
    kw = dict(weeks=8, service_level=0.8, threshold=20, max_occupancy=0.85, shrinkage=0.27)
    bare = weekly_demand(calls, aht=aht, **kw)
    one = weekly_demand({"report": calls}, aht={"report": aht}, **kw)
    pd.testing.assert_frame_equal(one.drop(columns="site"), bare.drop(columns="site"))
    assert (one["site"] == "report").all()
    assert 200 < bare["aht"].iloc[0] < 280           # the report's own AHT (mean 240 s), not a 300 s default
    # a second site: twice the calls, 10% longer calls (derived from the same report)
    two = weekly_demand({"report": calls, "bigger": calls * 2}, aht={"report": aht, "bigger": aht * 1.1}, **kw)
    bigger = weekly_demand(calls * 2, aht=aht * 1.1, **kw)
    for site, alone in (("report", bare), ("bigger", bigger)):
        got = two[two["site"] == site].drop(columns="site").reset_index(drop=True)
        pd.testing.assert_frame_equal(got, alone.drop(columns="site"))


def test_an_aht_in_minutes_warns_naming_aht():
    """aht=5 (minutes meant) is allowed but needs ~1/60 of the agents: a UnitWarning, as the weekly plan gives."""
    history = _synthetic([1000.0] * 8)
    with pytest.warns(wfm._validation.UnitWarning, match=r"aht of 5 s is implausible \(expected 20 s to 2 h\)"):
        weekly_forecast(history, weeks=4, aht=5)
    with pytest.warns(wfm._validation.UnitWarning, match=r"aht of 5 s"):
        weekly_forecast(history, weeks=4, aht=pd.Series(5.0, index=history.index))
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", wfm._validation.UnitWarning)
        weekly_forecast(history, weeks=4, aht=300)


def test_seasonal_indices_as_percentages_are_refused_with_the_multiplier():
    """{1: 107, 2: 102, ...} (percentages) used to end in a MILP infeasibility advising class_max."""
    indices = {m: 1.0 for m in range(1, 13)} | {1: 107, 2: 102}
    with pytest.raises(ValueError, match=r"seasonal_indices must be multipliers around 1.*\[1\] = 107, \[2\] = 102"
                                         r"\. Did you mean 1\.07\?.*between about 0\.5 and 2"):
        weekly_forecast(_synthetic([1000.0] * 8), weeks=4, seasonal_indices=indices)
    # a strong but real peak (a tax helpline's month at 3 times the average) is still taken
    fc = weekly_forecast(_synthetic([1000.0] * 8), weeks=4, seasonal_indices={m: 1.0 for m in range(1, 13)} | {3: 3.0})
    assert fc["seasonal_index"].max() == 3.0


def test_shrinkage_defaults_to_none_as_in_staffing_plan(bank_30min):
    """One default for one concept: weekly_demand, like staffing_plan, adds no shrinkage unless given (it used to
    add 30% silently: 540.6 FTE against staffing_plan's 367.0 for the same week, review of 7 Dec)."""
    import inspect

    assert inspect.signature(wfm.staffing_plan).parameters["shrinkage"].default == 0.0  # the premise
    d = weekly_demand(bank_30min, weeks=2, aht=300)
    np.testing.assert_allclose(d["required_fte"], weekly_demand(bank_30min, weeks=2, aht=300, shrinkage=0.0)
                               ["required_fte"], rtol=1e-12)
    assert (d["required_fte"] < weekly_demand(bank_30min, weeks=2, aht=300, shrinkage=0.3)["required_fte"]).all()
