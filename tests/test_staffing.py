"""Shrinkage, FTE and the StaffingPlan: figures checked against the formulas they state."""

import numpy as np
import pandas as pd
import pytest

import wfm
from wfm.staffing import fte, scheduled_agents, staffing_plan, total_shrinkage


# ---------------------------------------------------------------- shrinkage and FTE

def test_additive_and_multiplicative_shrinkage():
    parts = {"breaks": 0.10, "training": 0.05, "absence": 0.15}
    assert total_shrinkage(parts) == pytest.approx(0.30, abs=1e-15)
    assert total_shrinkage(parts, method="multiplicative") == pytest.approx(1 - 0.9 * 0.95 * 0.85, abs=1e-15)
    # compounding never exceeds adding
    assert total_shrinkage(parts, method="multiplicative") < total_shrinkage(parts)


def test_scheduled_agents_and_fte():
    assert scheduled_agents(14, 0.3) == pytest.approx(20.0)
    assert scheduled_agents(np.array([0, 7]), {"a": 0.2, "b": 0.3}).tolist() == [0.0, 14.0]
    assert fte(750, 37.5) == pytest.approx(20.0)
    assert fte(150, 37.5, weeks=0.2) == pytest.approx(20.0)


@pytest.mark.parametrize("bad,match", [
    (1.0, "shrinkage"), (-0.1, "shrinkage"), (30, "0.30"), ({"breaks": 0.6, "absence": 0.5}, "breaks"),
])
def test_bad_shrinkage(bad, match):
    with pytest.raises(ValueError, match=match):
        total_shrinkage(bad)


def test_parts_that_add_past_one_are_not_called_a_percentage():
    # 0.6 + 0.5 = 1.1 sits in the 1-100 range a percentage would, but each part is a fraction: no "0.01" hint
    with pytest.raises(ValueError, match="together they reach 1 or more") as err:
        total_shrinkage({"breaks": 0.6, "absence": 0.5})
    assert "Did you mean" not in str(err.value)
    with pytest.raises(ValueError, match="Did you mean 0.30"):  # one number of 30 still gets the hint
        total_shrinkage(30)


def test_unknown_shrinkage_method():
    with pytest.raises(ValueError, match="method"):
        total_shrinkage(0.2, method="compound")


# ---------------------------------------------------------------- the plan

@pytest.fixture(scope="module")
def week(bank_30min):
    """Last full week of bank_calls at 30 minutes. Module scope: read-only."""
    return wfm.calendar.last_full_week(bank_30min)


@pytest.fixture(scope="module")
def plan(week):
    """The demo plan (AHT 300 s, 80/20, 30% shrinkage). Module scope: read-only."""
    return staffing_plan(week, aht=300, service_level=0.8, threshold=20, shrinkage=0.3)


def test_plan_table_matches_the_functions(week, plan):
    tab = plan.table
    assert tab.index.equals(week.index)
    assert plan.params["interval"] == 1800
    np.testing.assert_array_equal(tab["agents"], wfm.required_agents(week, 300, 1800, 0.8, 20))
    np.testing.assert_allclose(tab["load"], week * 300 / 1800, rtol=1e-15)
    np.testing.assert_allclose(tab["service_level"], wfm.service_level(week, 300, 1800, tab["agents"], 20),
                               rtol=0, atol=1e-15)
    np.testing.assert_allclose(tab["scheduled_agents"], tab["agents"] / 0.7, rtol=1e-15)
    assert (tab["service_level"] >= 0.8).all()
    assert (tab["service_level_target"] == 0.8).all()
    assert (tab["binding_target"] == "service_level").all()
    assert list(tab.columns[:5]) == ["calls", "aht", "load", "agents", "scheduled_agents"]


def test_plan_totals(plan):
    tab = plan.table
    daily = plan.totals("D")
    assert len(daily) == 5
    assert daily["agent_hours"].sum() == pytest.approx(tab["agents"].sum() * 0.5)
    assert daily["scheduled_hours"].sum() == pytest.approx(tab["scheduled_agents"].sum() * 0.5)
    weekly = plan.totals("W")
    assert len(weekly) == 1
    assert weekly["required_fte"].iloc[0] == pytest.approx(tab["scheduled_agents"].sum() * 0.5 / 37.5)
    # five day-equivalents average to the week's FTE
    assert daily["required_fte"].mean() == pytest.approx(weekly["required_fte"].iloc[0])
    assert weekly["calls"].iloc[0] == tab["calls"].sum()


def test_plan_presentation(plan):
    html = plan._repr_html_()
    assert "StaffingPlan" in html and "<table" in html and "binding_target" in html
    assert "140 intervals" in repr(plan)
    ax = plan.plot()
    assert ax.get_ylabel() == "calls per interval"
    assert len(ax.figure.axes) == 2  # calls and agents axes
    import matplotlib.pyplot as plt

    fig, given = plt.subplots()
    assert plan.plot(ax=given) is given
    plt.close("all")


def test_plan_from_dataframe_with_aht_column(week):
    frame = pd.DataFrame({"calls": week, "aht": np.where(week.index.hour < 12, 280.0, 320.0)}, index=week.index)
    plan = staffing_plan(frame, shrinkage={"breaks": 0.1, "absence": 0.2})
    expected = wfm.required_agents(week, frame["aht"], 1800, 0.8, 20)
    np.testing.assert_array_equal(plan.table["agents"], expected)
    np.testing.assert_allclose(plan.table["scheduled_agents"], expected / 0.7)


def test_erlang_a_plan_with_every_target(week):
    plan = staffing_plan(week, aht=300, model="erlang_a", patience=180, max_abandon_rate=0.03,
                         max_occupancy=0.9, max_asa=15)
    tab = plan.table
    assert (tab["service_level"] >= 0.8).all()
    assert (tab["abandon_rate"] <= 0.03).all()
    assert (tab["occupancy"] <= 0.9).all()
    assert (tab["asa"] <= 15).all()
    fewer = tab["agents"] - 1
    sl = wfm.service_level(week, 300, 1800, fewer, 20, model="erlang_a", patience=180)
    ab = wfm.abandon_rate(week, 300, 1800, fewer, 180)
    occ = wfm.occupancy(week, 300, 1800, fewer, model="erlang_a", patience=180)
    asa_ = wfm.asa(week, 300, 1800, fewer, model="erlang_a", patience=180)
    missed = (sl < 0.8) | (ab > 0.03) | (occ > 0.9) | (asa_ > 15)
    assert missed.all()
    # the reported binding target is one that one agent fewer misses
    for name, miss in [("service_level", sl < 0.8), ("abandon_rate", ab > 0.03), ("occupancy", occ > 0.9),
                       ("asa", asa_ > 15)]:
        named = tab["binding_target"].str.contains(name)
        assert (named == miss).all(), name


def test_zero_volume_and_minimum_staffing():
    idx = pd.date_range("2024-01-01 00:00", periods=4, freq="15min")
    calls = pd.Series([0.0, 10.0, 0.0, 50.0], index=idx)
    plan = staffing_plan(calls, aht=240)
    assert plan.table["agents"].tolist()[0::2] == [0, 0]
    assert plan.params["interval"] == 900
    floor = staffing_plan(calls, aht=240, min_agents=3)
    assert floor.table["agents"].tolist()[0::2] == [3, 3]
    assert (floor.table["binding_target"].iloc[[0, 2]] == "min_agents").all()
    assert (floor.table["agents"] >= plan.table["agents"]).all()


def test_plan_bad_input():
    idx = pd.date_range("2024-01-01", periods=3, freq="30min")
    with pytest.raises(ValueError, match="aht is required"):
        staffing_plan(pd.Series([1, 2, 3], index=idx))
    with pytest.raises(ValueError, match="'calls' column"):
        staffing_plan(pd.DataFrame({"volume": [1, 2, 3]}, index=idx), aht=300)
    with pytest.raises(ValueError, match="calls.*NaN.*positions \\[1\\]"):
        staffing_plan(pd.Series([1, np.nan, 3], index=idx), aht=300)
    with pytest.raises(ValueError, match="interval"):
        staffing_plan(pd.Series([1, 2, 3], index=pd.DatetimeIndex(["2024-01-01"] * 3)), aht=300)


def test_plan_totals_on_a_sunday_week():
    """A Sunday-to-Thursday centre: week_start="SUN" keeps its five days in one week; Monday weeks split them."""
    idx = pd.DatetimeIndex([d + pd.Timedelta(hours=h) for d in pd.date_range("2024-01-07", periods=5, freq="D")
                            for h in (9, 10)])  # Sun 7 .. Thu 11 January 2024
    plan = wfm.staffing_plan(pd.Series(50.0, index=idx), aht=240, service_level=0.8, threshold=20)
    sunday = plan.totals("W", week_start="SUN")
    assert sunday.index.tolist() == [pd.Timestamp("2024-01-07")]
    assert sunday["calls"].iloc[0] == 500.0
    # hand count: the Sunday alone falls in the Monday week of 1 January, a fifth of the working week
    monday = plan.totals("W", week_start="MON")
    assert monday.index.tolist() == [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-08")]
    assert monday["calls"].tolist() == [100.0, 400.0]
    assert monday["week_share"].tolist() == [0.2, 0.8] and sunday["week_share"].tolist() == [1.0]
    # the same working week's FTE whichever weekday the weeks start on (scheduled hours over the shares)
    np.testing.assert_allclose(monday["required_fte"], sunday["required_fte"].iloc[0])
    with pytest.raises(ValueError, match="week_start"):
        plan.totals("W", week_start="Sonday")
    # the plan reads its week from the open days: Sunday to Thursday, so its weeks start on Sunday
    assert plan.params["week_start"] == "SUN"
    assert plan.totals("W").equals(sunday)
    assert plan.figures()["required_fte"] == pytest.approx(sunday["required_fte"].iloc[0])
    on_mondays = wfm.staffing_plan(pd.Series(50.0, index=idx), aht=240, week_start="MON")
    assert on_mondays.totals("W").equals(monday)
    assert on_mondays.figures()["required_fte"] == pytest.approx(plan.figures()["required_fte"], rel=1e-12)
    with pytest.raises(ValueError, match="week_start"):
        wfm.staffing_plan(pd.Series(50.0, index=idx), aht=240, week_start="Sonday")


@pytest.mark.parametrize("days, expected", [(("Sun", "Mon", "Tue", "Wed", "Thu"), "SUN"),
                                            (("Mon", "Tue", "Wed", "Thu", "Fri"), "MON"),
                                            (("Sat", "Sun", "Mon", "Tue", "Wed", "Thu", "Fri"), "MON"),
                                            (("Mon", "Tue", "Wed", "Thu", "Fri", "Sat"), "MON"),
                                            (("Tue", "Wed", "Thu", "Fri", "Sat"), "TUE"),
                                            (("Sat", "Sun", "Mon", "Tue", "Wed"), "SAT")])
def test_week_start_is_the_first_open_day_after_the_longest_closed_run(days, expected):
    names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    dates = [d for d in pd.date_range("2024-06-03", periods=21, freq="D") if names[d.day_of_week] in days]
    assert wfm.calendar.infer_week_start(pd.DatetimeIndex(dates)) == expected


@pytest.mark.parametrize("kw, word", [({"aht": 5}, "aht of 5 s"), ({"aht": 300, "threshold": 0.33}, "threshold"),
                                      ({"aht": 300, "model": "erlang_a", "patience": 2}, "patience")])
def test_plan_warns_on_likely_unit_mistakes(kw, word):
    """AHT in minutes, a threshold of 0.33 s, a patience of 2 s: allowed, but each gets a UnitWarning naming it."""
    idx = pd.date_range("2024-01-01 08:00", periods=4, freq="30min")
    with pytest.warns(UserWarning, match=word):
        wfm.staffing_plan(pd.Series(100.0, index=idx), **kw)


def test_plan_with_plausible_units_does_not_warn():
    import warnings

    idx = pd.date_range("2024-01-01 08:00", periods=4, freq="30min")
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        # open_days given: a plan of one day also warns that it cannot tell the working week (tested elsewhere)
        wfm.staffing_plan(pd.Series(100.0, index=idx), aht=300, threshold=20, open_days=["Mon", "Tue", "Wed"])


@pytest.mark.parametrize("flags, named", [
    (["--max-abandon-rate", "0.05"], "--max-abandon-rate 0.05 needs --model erlang_a"),
    (["--patience", "144"], "--patience 144 needs --model erlang_a"),
])
def test_staff_command_refuses_abandonment_flags_with_erlang_c_naming_the_flag(tmp_path, capsys, flags, named):
    # Before, `wfm staff --max-abandon-rate 0.05` (or --patience) with the default Erlang C exited 0 with the
    # FTE unchanged: the flag was silently ignored.
    from wfm import cli

    idx = pd.date_range("2024-01-01 08:00", periods=4, freq="30min")
    pd.DataFrame({"calls": [100.0, 120.0, 90.0, 60.0]}, index=idx.rename("timestamp")).to_csv(tmp_path / "f.csv")
    out = tmp_path / "plan.csv"
    assert cli.main(["staff", "--forecast", str(tmp_path / "f.csv"), "--aht", "240", *flags, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"wfm staff: error: {named}: Erlang C (--model erlang_c) has no abandonment" in err
    assert "Pass --model erlang_a" in err and "model=" not in err and not out.exists()
    extra = [] if "--patience" in flags else ["--patience", "144"]
    assert cli.main(["staff", "--forecast", str(tmp_path / "f.csv"), "--aht", "240", "--model", "erlang_a", *flags,
                     *extra, "--out", str(out), "--quiet"]) == 0
