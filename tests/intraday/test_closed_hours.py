"""Closed hours and exported zeros: a zero-filled 24-hour grid gives the open-hours model, and zeros listed for the
rest of the day are not read as calls (review 31, findings 1.1 and 1.2)."""

import numpy as np
import pandas as pd
import pytest

import wfm
from wfm.intraday import error_history, reforecast

from .test_reforecast import toy  # noqa: F401  (the fixture)

DAY = pd.Timestamp("2003-10-20")


@pytest.fixture(scope="module")
def bank_grids(bank_30min):
    """Monday 20 October 2003 at the bank on its open-hours grid (07:00-21:00 weekdays) and the same calls
    zero-filled to 24 hours a day, 7 days a week (closed nights and weekends as 0); read-only."""
    past = bank_30min[bank_30min.index < DAY]
    week = bank_30min.index[(bank_30min.index >= DAY) & (bank_30min.index < DAY + pd.Timedelta(days=7))]
    plan = wfm.forecast_volume(past, week, method="weighted_average")
    today = bank_30min.loc["2003-10-20"].loc[:"2003-10-20 09:30"]
    past24 = past.reindex(pd.date_range(past.index[0].normalize(), DAY, freq="30min", inclusive="left"),
                          fill_value=0.0)
    plan24 = plan.reindex(pd.date_range(DAY, periods=7 * 48, freq="30min"), fill_value=0.0)
    today24 = today.reindex(pd.date_range(DAY, "2003-10-20 09:30", freq="30min"), fill_value=0.0)
    return dict(open=(plan, today, error_history(past, weeks=4)),
                zero_filled=(plan24, today24, error_history(past24, weeks=4)))


def test_error_history_of_a_zero_filled_export_is_that_of_the_open_hours(bank_grids):
    """The backtest sees the open intervals only: weekend days without a call and the nights are closed."""
    pd.testing.assert_frame_equal(bank_grids["zero_filled"][2], bank_grids["open"][2])


@pytest.mark.parametrize("method", ["bayes", "shrunk_ratio"])
@pytest.mark.parametrize("history_as", ["backtest of the 24h calls", "open-hours history zero-filled"])
def test_a_zero_filled_24h_grid_gives_the_open_hours_reforecast(bank_grids, method, history_as):
    """Same calls, same model: history days, bias, variances, day correlation, band scale, the reforecast and
    its band on every open interval of the week; 0 calls (band 0-0) in the closed ones."""
    plan, today, history = bank_grids["open"]
    plan24, today24, history24 = bank_grids["zero_filled"]
    if history_as != "backtest of the 24h calls":   # a zero-filled error history handed over as it is
        history24 = history.reindex(pd.date_range("2003-09-15", DAY, freq="30min", inclusive="left"),
                                    fill_value=0.0)
        assert len(history24) == 35 * 48 and (history24["forecast"] == 0).sum() > 0
    a = reforecast(plan, today, history, method=method)
    b = reforecast(plan24, today24, history24, method=method)
    assert a.params["history_days"] == b.params["history_days"] == 20   # four weeks of five open days
    for key in ("band_scale", "day_correlation", "weight", "day", "now"):
        assert b.params[key] == a.params[key], key
    assert b.params["model"] == a.params["model"]
    pd.testing.assert_frame_equal(b.table.reindex(a.table.index), a.table)
    closed = b.table[~b.table.index.isin(a.table.index)]
    assert len(closed) == 7 * 48 - 5 * 28
    assert (closed[["forecast", "reforecast", "lower", "upper"]].to_numpy() == 0).all()
    fa, fb = a.figures(), b.figures()
    assert fb == {k: pytest.approx(x) if isinstance(x, float) else x for k, x in fa.items()}


def test_a_closed_interval_or_day_in_the_history_counts_as_absent(toy):  # noqa: F811
    """A past day with an interval of forecast 0 and actual 0 among today's open ones is incomplete, as if the row
    were missing; a past day whose forecast is 0 all day is closed (even with calls), as if it were absent."""
    history, today, actual, f = toy
    days = history.index.normalize()
    base = reforecast(today, actual, history.loc[days != days[0]])
    holed = history.copy()
    holed.loc[holed.index[5], ["forecast", "actual"]] = 0.0       # day 1, 09:30: closed
    closed_day = pd.DataFrame({"forecast": 0.0, "actual": 3.0},
                              index=history.index[days == days[0]] - pd.Timedelta(days=1))
    rf = reforecast(today, actual, pd.concat([closed_day, holed]))
    assert rf.params["history_days"] == base.params["history_days"] == 9
    pd.testing.assert_frame_equal(rf.table, base.table)


def test_too_few_open_days_names_the_closed_ones_and_the_clock(toy):  # noqa: F811
    history, today, actual, f = toy
    shut = history.copy()
    shut.loc[shut.index.normalize() > shut.index[0].normalize() + pd.Timedelta(days=2), "forecast"] = 0.0
    shut.loc[shut["forecast"] == 0, "actual"] = 0.0
    with pytest.raises(ValueError, match=r"3 complete day\(s\) .*\(20 open intervals from 07:00 to 16:30\); 7 are "
                                         r"closed days \(forecast 0 all day\)"):
        reforecast(today, actual, shut)


def _exported(actual, today):
    """The ACD's view of the day: actuals so far, then every later interval of the day listed as 0."""
    return actual.reindex(today.index, fill_value=0.0)


def test_zeros_listed_for_the_rest_of_the_day_are_an_error_naming_the_run_and_the_fix(toy):  # noqa: F811
    history, today, actual, f = toy
    with pytest.raises(ValueError) as err:
        reforecast(today, _exported(actual, today), history)
    text = str(err.value)
    run = f"{f[6:].sum():,.0f}"
    assert "ends in 14 interval(s) of 0 calls, 2024-03-14 10:00 to 2024-03-14 16:30" in text
    assert f"against {run} calls forecast" in text
    assert "now='2024-03-14 10:00'" in text and "keep actual up to 2024-03-14 09:30" in text


def test_with_now_given_the_exported_zeros_are_the_intervals_not_reached(toy):  # noqa: F811
    history, today, actual, f = toy
    rf = reforecast(today, _exported(actual, today), history, now="2024-03-14 10:00")
    pd.testing.assert_frame_equal(rf.table, reforecast(today, actual, history).table)
    assert rf.figures()["day"] == "Thu 2024-03-14"
    late = _exported(actual, today).copy()
    late.iloc[8] = 4.0                                   # a call after now is still refused
    with pytest.raises(ValueError, match="actuals in the future, first 2024-03-14 11:00"):
        reforecast(today, late, history, now="2024-03-14 10:00")


def test_a_short_quiet_end_is_taken_as_calls(toy):  # noqa: F811
    """Zeros at the end whose forecast totals under 10 calls are plausible (a small queue): read as calls."""
    history, today, actual, f = toy
    small = today * 0.02                                # about 2-3 calls per interval
    quiet = (actual * 0.02).round()
    quiet.iloc[-2:] = 0.0                               # two quiet intervals, ~5 calls forecast
    assert small["forecast"].iloc[4:6].sum() < 10
    rf = reforecast(small, quiet, history * 0.02, method="ratio")
    assert rf.params["now"] == pd.Timestamp("2024-03-14 10:00")
    assert rf.figures()["morning_actual"] == quiet.sum()


def test_the_day_after_a_finished_day_is_named_in_the_summary(toy):  # noqa: F811
    """Full actuals of a day (no zeros) on a two-day forecast: the next day is reforecast, and the summary says so."""
    history, today, actual, f = toy
    full = pd.Series(np.round(f * 1.1), index=today.index)
    two_days = pd.concat([today, today.set_axis(today.index + pd.Timedelta(days=1))])
    rf = reforecast(two_days, full, history)
    summary = rf.summary()
    assert summary.loc["day", "value"] == "Fri 2024-03-15"
    assert summary.loc["now", "value"] == "Thu 2024-03-14 17:00"
