"""Inputs on another interval grid, interval-end stamps, and wfm intraday's rules and re-plan flags: clear errors."""

import pandas as pd
import pytest
import yaml

from wfm.cli import main
from wfm.intraday import reforecast

from .test_cli_report import files  # noqa: F401  (the fixture)
from .test_reforecast import toy  # noqa: F401  (the fixture)


def _halves(frame):
    """Each 30-minute interval split into two 15-minute ones with half its calls (sums back exactly)."""
    first = frame / 2
    second = first.set_axis(frame.index + pd.Timedelta("15min"))
    return pd.concat([first, second]).sort_index()


def _hourly(frame):
    """The 30-minute intervals summed per hour (the toy day opens at 07:00 with 20 half-hours: 10 whole hours)."""
    return frame.groupby(frame.index.floor("h")).sum()


def test_history_at_15_minutes_is_an_error_and_summing_it_back_gives_the_30_minute_result(toy):  # noqa: F811
    history, today, actual, f = toy
    with pytest.raises(ValueError, match=r"history's intervals are 15min long, forecast's 30min\. Resample history "
                                         r"to 30min first: sum forecast and actual per 30min interval"):
        reforecast(today, actual, _halves(history))
    # the advised fix (sum to the forecast's intervals) gives exactly the 30-minute history's reforecast
    back = _halves(history).resample("30min").sum().reindex(history.index)
    pd.testing.assert_frame_equal(reforecast(today, actual, back).table, reforecast(today, actual, history).table)


def test_hourly_history_and_history_off_the_clock_are_errors(toy):  # noqa: F811
    history, today, actual, f = toy
    with pytest.raises(ValueError, match=r"history's intervals are 1h long, forecast's 30min\. Give history at "
                                         r"30min intervals"):
        reforecast(today, actual, _hourly(history))
    with pytest.raises(ValueError, match=r"history is on a different grid from forecast: 200 of 200 .* first "
                                         r"2024-03-04 07:15"):
        reforecast(today, actual, history.set_axis(history.index + pd.Timedelta("15min")))


def test_coarser_actuals_are_a_grid_error_not_missing_intervals(toy):  # noqa: F811
    history, today, actual, f = toy
    with pytest.raises(ValueError, match=r"actual's intervals are 30min long, forecast's 15min") as err:
        reforecast(_halves(today), actual, _halves(history))
    assert "misses" not in str(err.value)


def test_actuals_stamped_at_interval_ends_are_named(toy):  # noqa: F811
    history, today, actual, f = toy
    ends = actual.set_axis(actual.index + pd.Timedelta("30min"))
    with pytest.raises(ValueError, match=r"actual starts at 07:30 on 2024-03-14, one interval after forecast's first "
                                         r"interval \(07:00\).* look like interval ends: stamp each interval by its "
                                         r"start \(07:00 for 07:00-07:30\)") as err:
        reforecast(today, ends, history)
    assert "misses" not in str(err.value)


def _run(files, *extra, history="history.csv", forecast="forecast.csv", actual="actual.csv"):  # noqa: F811
    return main(["intraday", "--forecast", str(files / forecast), "--actual", str(files / actual),
                 "--history", str(files / history), "--out", str(files / "out"), *extra])


def test_cli_names_history_and_actual_on_another_grid(files, capsys):  # noqa: F811
    history = pd.read_csv(files / "history.csv", index_col=0, parse_dates=True)
    _halves(history).to_csv(files / "h15.csv", index_label="timestamp")
    _hourly(history).to_csv(files / "h60.csv", index_label="timestamp")
    assert _run(files, history="h15.csv") == 2
    assert ("--history's intervals are 15min long, --forecast's 30min. Resample --history to 30min first: sum calls "
            "(or forecast and actual) per 30min interval, e.g. wfm history --freq 30min") in capsys.readouterr().err
    assert _run(files, history="h60.csv") == 2
    assert "--history's intervals are 1h long, --forecast's 30min" in capsys.readouterr().err
    _halves(pd.read_csv(files / "forecast.csv", index_col=0, parse_dates=True)).to_csv(
        files / "f15.csv", index_label="timestamp")
    assert _run(files, forecast="f15.csv", history="h15.csv") == 2
    assert "--actual's intervals are 30min long, --forecast's 15min" in capsys.readouterr().err


def test_cli_replan_flags_need_a_schedule_and_are_checked(files, capsys):  # noqa: F811
    assert _run(files, "--aht", "300", "--service-level", "80") == 2
    assert ("--aht, --service-level: the re-plan's flags need --schedule (the day's shifts CSV); without it there is "
            "nothing to re-plan") in capsys.readouterr().err
    plan = ["--schedule", str(files / "shifts.csv"), "--rules", str(files / "rules.yaml")]
    assert _run(files, *plan, "--aht", "120", "--service-level", "80") == 2
    assert ("--service-level 80: the service-level target must be a fraction in (0, 1]; got 80. Did you mean 0.80?"
            in capsys.readouterr().err)
    assert _run(files, *plan, "--aht", "5") == 2  # minutes: refused as wfm staff does
    err = capsys.readouterr().err
    assert "--aht 5: the average handle time is in seconds" in err and "if it is in minutes, pass --aht 300" in err


def test_cli_rules_keys_are_checked_as_given(files, capsys):  # noqa: F811
    rules = yaml.safe_load((files / "rules.yaml").read_text())
    (files / "typo.yaml").write_text(yaml.safe_dump({("shift" if k == "shifts" else k): x for k, x in rules.items()}))
    code = _run(files, "--schedule", str(files / "shifts.csv"), "--rules", str(files / "typo.yaml"), "--aht", "120")
    assert code == 2
    assert "--rules 'typo.yaml' has unknown key 'shift'. Did you mean 'shifts'?" in capsys.readouterr().err
    (files / "scenario.yaml").write_text(yaml.safe_dump({"schedule": {**rules, "time_limit": 5}}))
    code = _run(files, "--schedule", str(files / "shifts.csv"), "--rules", str(files / "scenario.yaml"), "--aht", "120")
    assert code == 0, capsys.readouterr().err  # a scenario's schedule section, solver options set aside


def test_a_history_with_closed_intervals_left_out_is_read_as_the_library_reads_it(files, capsys):  # noqa: F811
    # `wfm history --missing closed` leaves closed intervals out of the history it writes; wfm intraday --history
    # takes such a history (its bands come from past weeks), where the CLI's other tables refuse a hole inside a day
    # (tests/test_cli_tables.py)
    history = pd.read_csv(files / "history.csv", index_col=0, parse_dates=True)
    day = history.index.normalize().unique()[3]
    hole = history.index[(history.index.normalize() == day)][5:7]  # two intervals inside that day
    history.drop(hole).to_csv(files / "history_closed.csv", index_label="timestamp")
    args = ["intraday", "--forecast", str(files / "forecast.csv"), "--actual", str(files / "actual.csv"),
            "--now", "2024-03-14 10:00"]
    assert main([*args, "--history", str(files / "history_closed.csv"), "--out", str(files / "o1")]) == 0, \
        capsys.readouterr().err
    got = pd.read_csv(files / "o1" / "intraday.csv", index_col=0)
    forecast = pd.read_csv(files / "forecast.csv", index_col=0, parse_dates=True)
    actual = pd.read_csv(files / "actual.csv", index_col=0, parse_dates=True)["actual"]
    want = reforecast(forecast[["forecast"]], actual, _errors(history.drop(hole)), now="2024-03-14 10:00").table
    assert got["forecast"].to_numpy() == pytest.approx(want["forecast"].to_numpy())


def _errors(history):
    """As wfm intraday takes --history: past forecasts and actuals as they are, calls through error_history."""
    from wfm.intraday import error_history

    return history if {"forecast", "actual"} <= set(history.columns) else error_history(history["calls"], weeks=8)
