"""The capacity plan's weeks are the centre's weeks (a Sunday-Thursday centre plans Sunday weeks), not ISO weeks."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from wfm.capacity import weekly_demand, weekly_forecast
from wfm.capacity.demand import _weekly_totals
from wfm.datasets import bank_calls


@pytest.fixture(scope="module")
def sun_thu():
    """Real volumes of a Monday-Friday centre (bank_calls, 30 min) relabelled one day earlier: Sunday-Thursday."""
    h = bank_calls("30min")
    return pd.Series(h.to_numpy(), index=h.index - pd.Timedelta(days=1), name=h.name)


def _brute_weeks(history, first_weekday):
    """Weekly totals by plain Python: each day's calls summed into the week starting on ``first_weekday``
    (0 = Monday), a week missing days scaled up by the missing weekdays' shares of the mean week, a week under
    half a week dropped (the documented rule)."""
    days = {}
    for ts, c in history.items():
        days[ts.date()] = days.get(ts.date(), 0.0) + float(c)
    by_wd = {}
    for d, c in days.items():
        by_wd.setdefault(d.weekday(), []).append(c)
    mean = {wd: sum(cs) / len(cs) for wd, cs in by_wd.items()}
    share = {wd: m / sum(mean.values()) for wd, m in mean.items()}
    weeks = {}
    for d, c in days.items():
        start = d - dt.timedelta(days=(d.weekday() - first_weekday) % 7)
        total, covered = weeks.get(start, (0.0, 0.0))
        weeks[start] = (total + c, covered + share[d.weekday()])
    return {pd.Timestamp(w): t / cov for w, (t, cov) in sorted(weeks.items()) if cov >= 0.5}


def test_sunday_thursday_weeks_are_sunday_to_saturday_sums(sun_thu):
    got = _weekly_totals(sun_thu, 6)
    want = _brute_weeks(sun_thu, 6)
    assert (got.index.day_of_week == 6).all()
    assert list(got.index) == list(want)
    np.testing.assert_allclose(got.to_numpy(), list(want.values()), rtol=1e-12)
    # a full week (all five open days present) is the plain sum of its Sunday-Saturday calls
    full = [w for w in want if sun_thu[(sun_thu.index >= w) & (sun_thu.index < w + pd.Timedelta(days=7))]
            .index.normalize().nunique() == 5]
    assert len(full) >= 25
    for w in full[:5]:
        assert got[w] == pytest.approx(sun_thu[(sun_thu.index >= w) & (sun_thu.index < w + pd.Timedelta(days=7))].sum(),
                                       rel=1e-12)
    # and the Monday weeks (Monday-Thursday plus the next Sunday) are other figures: the test tells them apart
    monday = _brute_weeks(sun_thu, 0)
    assert not np.allclose(list(monday.values())[1:26], got.to_numpy()[1:26], rtol=1e-3)


def test_the_forecast_trends_the_sunday_weeks(sun_thu):
    # with damping 1 and no seasonality the forecast is the log-linear OLS trend of the weekly totals, projected:
    # recomputed here from the brute-force Sunday weeks
    fc = weekly_forecast(sun_thu, weeks=6, damping=1.0, seasonal_indices=None)
    assert fc.attrs["week_start"] == "SUN" and (fc["week"].dt.day_of_week == 6).all()
    want = _brute_weeks(sun_thu, 6)
    y = np.log(list(want.values()))
    t = np.arange(len(y))
    b, a = np.polyfit(t, y, 1)
    np.testing.assert_allclose(fc["calls"], np.exp(a + b * (len(y) - 1 + np.arange(1, 7))), rtol=1e-9)
    last = max(want)
    assert fc["week"].iloc[0] == last + pd.Timedelta(days=7)
    assert fc.attrs["history_weeks"] == len(want)


@pytest.mark.parametrize("last_day, kept", [("2003-10-21", True),    # Sun-Tue: 3 of 5 days, over half, scaled
                                            ("2003-10-20", False)])  # Sun-Mon: 2 of 5 days, under half, dropped
def test_a_history_cut_mid_week_never_halves_a_week(sun_thu, last_day, kept):
    h = sun_thu[sun_thu.index < pd.Timestamp(last_day) + pd.Timedelta(days=1)]
    cut_week = pd.Timestamp("2003-10-19")  # the Sunday of the cut week
    got = _weekly_totals(h, 6)
    want = _brute_weeks(h, 6)
    assert list(got.index) == list(want) and (cut_week in got.index) is kept
    np.testing.assert_allclose(got.to_numpy(), list(want.values()), rtol=1e-12)
    if kept:  # scaled up to a whole week: within 25% of the full weeks before it, not 3/5 of one
        assert got[cut_week] == pytest.approx(got.iloc[-5:-1].mean(), rel=0.25)
    fc = weekly_demand(h, weeks=4, aht=300, shrinkage=0.3)
    # the plan begins on the Sunday after the last counted week: the cut week itself when it was left out
    assert fc["week"].iloc[0] == (cut_week + pd.Timedelta(days=7) if kept else cut_week)
    assert (fc["week"].diff().dropna() == pd.Timedelta(days=7)).all()


def test_monday_centres_keep_iso_weeks():
    h = bank_calls("30min")  # open Monday-Friday: ISO weeks, as before week_start existed (the doctests pin them)
    inferred = weekly_demand(h, weeks=8, aht=300, shrinkage=0.3)
    pd.testing.assert_frame_equal(inferred, weekly_demand(h, weeks=8, aht=300, shrinkage=0.3, week_start="MON"))
    assert inferred.attrs["week_start"] == "MON" and (inferred["week"].dt.day_of_week == 0).all()


def test_week_start_can_be_set_and_start_moves_back_to_it(sun_thu):
    fc = weekly_forecast(sun_thu, weeks=3, week_start="MON", start="2003-11-06")  # a Thursday
    assert fc["week"].iloc[0] == pd.Timestamp("2003-11-03") and fc.attrs["week_start"] == "MON"
    fc = weekly_forecast(sun_thu, weeks=3, week_start=6, start="2003-11-06")
    assert fc["week"].iloc[0] == pd.Timestamp("2003-11-02")


def test_a_bad_week_start_is_named(sun_thu):
    with pytest.raises(ValueError, match="week_start must name a weekday.*'MON' to 'SUN'"):
        weekly_forecast(sun_thu, weeks=3, week_start="SNU")
    with pytest.raises(ValueError, match=r"different week starts .*give week_start="):
        weekly_demand({"a": sun_thu, "b": bank_calls("30min")}, weeks=3)


def test_project_supply_labels_the_demands_weeks(sun_thu):
    from wfm.capacity import project_supply

    staff = pd.DataFrame({"tenure_weeks": [60], "headcount": [10]})
    demand = weekly_demand(sun_thu, weeks=4, aht=300, shrinkage=0.3)
    start = demand["week"].iloc[0]
    weekly, _ = project_supply(staff, {"attrition": {0: 0.01}}, weeks=4, start=start,
                               week_start=demand.attrs["week_start"])
    assert list(weekly["week"]) == list(demand["week"])  # the Sunday itself, not the Monday six days before it
    iso, _ = project_supply(staff, {"attrition": {0: 0.01}}, weeks=4, start=start)
    assert iso["week"].iloc[0] == start - pd.Timedelta(days=6)
    with pytest.raises(ValueError, match="week_start must name a weekday"):
        project_supply(staff, weeks=4, start=start, week_start="XYZ")
