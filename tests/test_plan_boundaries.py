"""
Staffing plans at their boundaries (review30 items 1, 3, 10, 14, 15): the working week of a plan shorter than a week,
an interval that contradicts the index or is typed in minutes, unit slips at the Erlang dispatchers, NaN AHT where no
calls arrive, and the expected service level of a plan staffed to a quantile.
"""

import warnings

import numpy as np
import pandas as pd
import pytest

import wfm
from wfm._validation import UnitWarning

MON_FRI = ["Mon", "Tue", "Wed", "Thu", "Fri"]
EXAMPLES = "wfm/datasets/data/examples/"


@pytest.fixture(scope="module")
def week(bank_30min):
    """The bank's last full week, Mon 20 - Fri 24 October 2003 (real data)."""
    return wfm.calendar.last_full_week(bank_30min)


def _quiet_plan(calls, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return wfm.staffing_plan(calls, **kw)


# --- item 1: the working week of a plan shorter than a week -------------------------------------------------------


def test_the_working_week_travels_with_the_data_that_knows_it(bank_30min):
    """last_full_week and a Forecast's table carry the history's weekdays (attrs["open_days"]), so the README's
    staffing_plan(week) and a plan of a 3-day forecast need no open_days and warn of nothing."""
    week = wfm.calendar.last_full_week(bank_30min)
    assert week.attrs["open_days"] == tuple(MON_FRI)  # the bank has data Monday to Friday only
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plan = wfm.staffing_plan(week.loc["2003-10-22":], aht=300, shrinkage=0.3)
        assert plan.totals("W")["week_share"].tolist() == [0.6]
        fc = wfm.forecast.forecast(bank_30min, wfm.future_intervals(bank_30min, days=3), method="seasonal_naive")
        assert fc.table.attrs["open_days"] == tuple(MON_FRI)
        for p in (wfm.staffing_plan(fc.table["forecast"], aht=300), wfm.staffing_plan_from_forecast(fc.table, aht=300)):
            assert p.totals("W")["week_share"].tolist() == [0.6]
    # an explicit open_days wins over the data's
    seven = _quiet_plan(week.loc["2003-10-22":], aht=300, open_days=MON_FRI + ["Sat", "Sun"])
    assert seven.totals("W")["week_share"].tolist() == [pytest.approx(3 / 7)]


def test_a_wednesday_to_friday_plan_of_a_weekday_centre_is_three_fifths_of_a_week(week):
    full = _quiet_plan(week, aht=300, shrinkage=0.3, open_days=MON_FRI)
    part = wfm.staffing_plan(week.loc["2003-10-22":], aht=300, shrinkage=0.3, open_days=MON_FRI)
    weekly = part.totals("W")
    assert weekly["week_share"].tolist() == [0.6]  # before: 1.0, so 298.8 FTE
    # the week's FTE is the Wed-Fri hours over 3/5 of 37.5 h, which is the mean of those days' FTE in the full plan
    # (a day's FTE is its hours over a fifth of 37.5 h): two routes through different code, one number
    daily = full.totals("D")["required_fte"]
    expected = daily.loc["2003-10-22":].mean()
    assert weekly["required_fte"].iloc[0] == pytest.approx(expected, rel=1e-12)
    assert part.figures()["required_fte"] == pytest.approx(expected, rel=1e-12)
    assert part.figures()["required_fte"] == pytest.approx(497.97, abs=0.01)  # the review's "about 498"
    # Wed-Fri carries 5% less work per day than the week (Mondays peak): the full week's FTE is the share-weighted
    # mean of its parts, exactly
    mon_tue = _quiet_plan(week.loc[:"2003-10-21"], aht=300, shrinkage=0.3, open_days=MON_FRI)
    assert full.figures()["required_fte"] == pytest.approx(0.4 * mon_tue.figures()["required_fte"]
                                                           + 0.6 * part.figures()["required_fte"], rel=1e-12)
    assert part.figures()["required_fte"] == pytest.approx(full.figures()["required_fte"], rel=0.06)


def test_a_plan_under_a_week_without_open_days_warns_once_naming_the_fix(week, bank_30min):
    bare = week.loc["2003-10-22":].copy()
    bare.attrs.clear()  # three days that do not carry the history's weekdays (as read back from a file)
    with pytest.warns(UserWarning) as caught:
        plan = wfm.staffing_plan(bare, aht=300)
    texts = [str(w.message) for w in caught if "less than a week" in str(w.message)]
    assert len(texts) == 1
    assert "covers 3 day(s), Wed 22 Oct 2003 to Fri 24 Oct 2003" in texts[0] and "open_days=['Mon'," in texts[0]
    assert plan.totals("W")["week_share"].tolist() == [1.0]  # what it then counts, as the warning says
    # a plan of two weeks shows the centre's weekdays itself: no warning, and a holiday is a share of 0.8
    two = bank_30min.loc["2003-10-06":"2003-10-17"]  # Tue 14 Oct was closed
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plan = wfm.staffing_plan(two, aht=300)
    assert plan.totals("W")["week_share"].tolist() == [1.0, 0.8]


def test_open_days_are_spelled_as_in_open_calendar_and_give_the_week_start():
    idx = pd.date_range("2024-06-03 08:00", periods=3 * 24, freq="h")  # Mon 3 - Wed 5 June 2024, every hour
    idx = idx[(idx.hour >= 8) & (idx.hour < 18)]
    calls = pd.Series(40.0, index=idx)
    by_name = wfm.staffing_plan(calls, aht=240, open_days=["sun", "Mon", "Tue", "Wed", "Thu"])
    by_number = wfm.staffing_plan(calls, aht=240, open_days=[6, 0, 1, 2, 3])
    assert by_name.params["open_days"] == by_number.params["open_days"] == ("Mon", "Tue", "Wed", "Thu", "Sun")
    assert by_name.params["week_start"] == "SUN"  # a Sunday-Thursday centre, as infer_week_start reads one
    assert by_name.totals("W")["week_share"].tolist() == [0.6]
    # a day off open_days (a special opening) adds its hours to its week, not a share of a working week: warned
    with pytest.warns(UserWarning, match=r"intervals on Mon 03 Jun 2024, a weekday open_days=\['Tue', 'Wed', 'Thu', "
                                         r"'Fri', 'Sat'\] leaves out: their hours count"):
        special = wfm.staffing_plan(calls, aht=240, open_days=["Tue", "Wed", "Thu", "Fri", "Sat"])
    weekly = special.totals("W")
    assert special.params["week_start"] == "TUE"  # a Tuesday-Saturday centre: Monday ends the week before
    # the week of Tue 28 May holds the special Monday only (its one day), that of Tue 4 June Tue and Wed of five
    assert weekly["week_share"].tolist() == [0.2, 0.4]
    assert weekly["required_fte"].tolist() == pytest.approx((weekly["scheduled_hours"] / weekly["week_share"]
                                                             / 37.5).tolist())
    with pytest.warns(UserWarning, match="a weekday open_days="):
        alone = wfm.staffing_plan(calls.loc[:"2024-06-03"], aht=240, open_days=["Tue", "Wed", "Thu", "Fri", "Sat"])
    assert alone.totals("W")["week_share"].tolist() == [0.2]  # a week of a special opening only: its one day
    with pytest.raises(ValueError, match="open_days must name weekdays"):
        wfm.staffing_plan(calls, aht=240, open_days=["Mon", "Funday"])
    with pytest.raises(ValueError, match="names no weekday"):
        wfm.staffing_plan(calls, aht=240, open_days=[])


def test_staffing_plan_from_forecast_takes_open_days(bank_30min):
    fc = wfm.forecast_volume(bank_30min, wfm.future_intervals(bank_30min, days=2), method="topdown")
    plan = wfm.staffing_plan_from_forecast(fc, aht=300, open_days=MON_FRI)
    assert plan.totals("W")["week_share"].tolist() == [0.4]
    assert plan.figures()["required_fte"] == pytest.approx(plan.figures()["scheduled_hours"] / 0.4 / 37.5)


def test_wfm_staff_reads_the_open_days_wfm_forecast_writes(tmp_path, capsys):
    from wfm import cli

    fc2, fc5 = tmp_path / "fc2.csv", tmp_path / "fc5.csv"
    for days, path in (("2", fc2), ("5", fc5)):
        assert cli.main(["forecast", "--dataset", "bank_calls", "--days", days, "--method", "topdown",
                         "--out", str(path)]) == 0
    assert (pd.read_csv(fc2)["open_days"] == "Mon,Tue,Wed,Thu,Fri").all()
    staffed = {}
    for name, path, extra in (("2", fc2, []), ("5", fc5, [])):
        out = tmp_path / f"staff{name}.csv"
        capsys.readouterr()
        assert cli.main(["staff", "--forecast", str(path), "--aht", "300", "--out", str(out), *extra]) == 0
        said = capsys.readouterr()
        assert "less than a week" not in said.err
        staffed[name] = said.out
    assert "(0.4 working week(s) in 1 week(s) starting MON" in staffed["2"]  # before: 1 working week, 4.8 FTE-like
    # a forecast file without the column: warned, naming the flag; the flag gives the same share
    bare = tmp_path / "bare.csv"
    pd.read_csv(fc2).drop(columns="open_days").to_csv(bare, index=False)
    assert cli.main(["staff", "--forecast", str(bare), "--aht", "300", "--out", str(tmp_path / "b.csv")]) == 0
    err = capsys.readouterr().err
    assert "less than a week" in err and "--open-days Mon,Tue,Wed,Thu,Fri" in err and "open_days=" not in err
    assert cli.main(["staff", "--forecast", str(bare), "--aht", "300", "--open-days", "Mon-Fri",
                     "--out", str(tmp_path / "c.csv")]) == 0
    said = capsys.readouterr()
    assert "(0.4 working week(s)" in said.out and "less than a week" not in said.err
    assert cli.main(["staff", "--forecast", str(bare), "--aht", "300", "--open-days", "Mon-Fx",
                     "--out", str(tmp_path / "d.csv")]) == 2
    assert "--open-days takes weekdays and ranges" in capsys.readouterr().err


def test_open_days_flag_reads_ranges_and_lists():
    from wfm.cli._shared import _open_days

    assert _open_days("Mon-Fri") == MON_FRI
    assert _open_days("Sun-Thu") == ["Mon", "Tue", "Wed", "Thu", "Sun"]  # a range across the week's end
    assert _open_days("mon,wed,Fri-Sat") == ["Mon", "Wed", "Fri", "Sat"]


# --- item 3: interval against the index, and in seconds -------------------------------------------------------------


@pytest.mark.parametrize("interval", [30, 900])
def test_an_interval_that_contradicts_the_index_is_refused_naming_both(week, interval):
    # before: interval=30 staffed 18,472 agents at the peak, interval=900 629 (the true answer is 319)
    with pytest.raises(ValueError, match=rf"interval={interval} s disagrees with calls' DatetimeIndex, whose "
                                         r"intervals are 1800 s \(30 minutes\) apart.*interval=1800"):
        _quiet_plan(week, aht=300, interval=interval)
    assert _quiet_plan(week, aht=300, interval=1800).figures()["peak_agents"] == 319


@pytest.mark.parametrize("call", [lambda: wfm.service_level(100, 180, 30, 14, 20),
                                  lambda: wfm.required_agents(100, 180, 30, 0.8, 20)])
def test_an_interval_under_a_minute_warns_that_it_is_in_seconds(call):
    with pytest.warns(UnitWarning, match=r"interval of 30 s is implausible .*1800 for 30 minutes"):
        call()


# --- item 10: unit checks at the public dispatchers, once per call ---------------------------------------------------


@pytest.mark.parametrize("call, word", [
    (lambda: wfm.required_agents(100, 3, 1800, 0.8, 20), "aht of 3 s"),
    (lambda: wfm.required_agents(100, 180, 1800, 0.8, 0.5), "threshold of 0.5 s"),
    (lambda: wfm.required_agents(100, 180, 1800, 0.8, 20, model="erlang_a", patience=2), "patience of 2 s"),
    (lambda: wfm.service_level([100, 80], [3, 3], 1800, [14, 12], 20), "aht of 3 s"),
    (lambda: wfm.service_level(100, 180, 1800, 14, 20, model="erlang_a", patience=2), "patience of 2 s"),
    (lambda: wfm.erlang.asa(100, 3, 1800, 14), "aht of 3 s"),
    (lambda: wfm.erlang.occupancy(100, 3, 1800, 14), "aht of 3 s"),
    (lambda: wfm.erlang.wait_probability(100, 3, 1800, 14), "aht of 3 s"),
    (lambda: wfm.erlang.abandon_rate(100, 180, 1800, 14, patience=2), "patience of 2 s"),
])
def test_the_dispatchers_warn_once_for_a_likely_unit_slip(call, word):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    units = [str(w.message) for w in caught if issubclass(w.category, UnitWarning)]
    assert len(units) == 1 and word in units[0], units
    assert caught[0].filename == __file__  # the warning points at the caller's line


def test_plausible_units_at_the_dispatchers_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert wfm.required_agents(100, 180, 1800, 0.8, 20) == 14
        wfm.service_level(100, 180, 1800, 14, 20, model="erlang_a", patience=120)
        wfm.required_agents(pd.Series([100.0, 0.0], index=pd.date_range("2024-01-01 08:00", periods=2,
                                                                         freq="30min")), 180, None, 0.8, 20)


# --- item 15: NaN AHT where no calls arrive ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def report_24x7():
    from wfm.logs import read_history

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the file's three implausible AHTs, warned by the reader
        h = read_history(EXAMPLES + "interval_report_24x7.csv",
                         columns={"timestamp": "Interval Start", "calls": "Calls Offered", "answered": "Calls Handled",
                                  "abandoned": "Abandoned", "aht": "Avg Handle Time (sec)",
                                  "answered_within": "Answered within 30s"})
    return h[["calls", "aht"]].iloc[-672:]  # its last week of quarter-hours, as the review took it


def test_nan_aht_where_no_calls_arrive_is_accepted(report_24x7):
    x = report_24x7
    idle = x["aht"].isna()
    assert idle.sum() == 9 and (x.loc[idle, "calls"] == 0).all()  # "AHT empty where nothing was handled"
    plan = _quiet_plan(x)  # before: ValueError "aht must not contain NaN"
    assert (plan.table.loc[idle, "agents"] == 0).all()
    # the AHT of an interval without calls plays no part: any value there gives the same plan
    for filler in (60.0, 3000.0):
        other = _quiet_plan(x.assign(aht=x["aht"].fillna(filler)))
        np.testing.assert_array_equal(plan.table["agents"], other.table["agents"])
        assert plan.figures()["required_fte"] == other.figures()["required_fte"]
    busy = ~idle & (x["calls"] > 0)
    assert plan.table.loc[idle, "aht"].unique() == pytest.approx(
        np.average(x.loc[busy, "aht"], weights=x.loc[busy, "calls"]))  # what the table shows there, as documented
    wfm.verify_plan(plan, replications=2, seed=1)  # the plan is simulated as it stands (no NaN AHT inside)


def test_nan_aht_where_calls_arrive_is_still_refused(report_24x7):
    x = report_24x7.copy()
    x.loc[x.index[x["calls"] > 0][5], "aht"] = np.nan
    with pytest.raises(ValueError, match="aht must not contain NaN; got NaN at 1 of 672 intervals"):
        _quiet_plan(x)


# --- item 14: the expected service level of a plan staffed to a quantile ---------------------------------------------


def test_a_quantile_plan_reports_its_expected_service_level_and_p_meet(bank_30min):
    fc = wfm.forecast_volume(bank_30min, wfm.future_intervals(bank_30min, days=5), method="topdown")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a five-day forecast cannot show the working week: warned
        plan = wfm.staffing_plan_from_forecast(fc, aht=300, probability=0.9)
    f, tab = plan.figures(), plan.table
    weights = tab["calls"] / tab["calls"].sum()
    assert f["expected_service_level"] == pytest.approx((tab["expected_service_level"] * weights).sum())
    assert f["p_meet"] == pytest.approx((tab["p_meet"] * weights).sum())
    assert f["service_level"] == pytest.approx((tab["service_level"] * weights).sum())  # the key keeps its meaning
    assert f["expected_service_level"] < f["service_level"]  # the review's 0.928 against 0.985
    assert f["p_meet"] >= 0.85  # staffed for the 90% quantile of every interval's rate
    assert f["p_meet"] == pytest.approx(wfm.plan_headline(plan).figures()["p_meet"])  # the headline's own
    labels = plan.summary()["figure"]
    assert labels["service_level"] == "service level at the forecast mean (call-weighted)"
    assert labels["expected_service_level"] == "expected service level (call-weighted)"
    point = _quiet_plan(fc["forecast"].rename("calls"), aht=300)
    assert "expected_service_level" not in point.figures()
    assert point.summary()["figure"]["service_level"] == "service level (call-weighted)"


@pytest.mark.parametrize("kw, word", [(dict(aht=5), "aht of 5 s"), (dict(aht=300, threshold=0.5), "threshold of 0.5 s")])
def test_weekly_demand_warns_once_though_it_staffs_through_required_agents(bank_30min, kw, word):
    """weekly_forecast warns about its AHT; required_fte then staffs without warning about it again."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        wfm.weekly_demand(bank_30min, weeks=2, **kw)
    units = [str(w.message) for w in caught if issubclass(w.category, UnitWarning)]
    assert len(units) == 1 and word in units[0], units
