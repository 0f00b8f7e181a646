"""Bad input to the intraday wing gets a message that names the argument, the day or the file and the fix
(review 31: findings 1.8, 1.9, 2.2, 2.3, 3.2, 3.3, 3.4, 4.3, and the CLI side of 1.2)."""

import re
import warnings

import numpy as np
import pandas as pd
import pytest

from wfm._validation import UnitWarning
from wfm.cli import main
from wfm.intraday import activities_until, out_of_adherence_now, reforecast_queues, replan

from .test_cli_report import files  # noqa: F401  (the fixture)
from .test_reforecast import toy  # noqa: F401  (the fixture)
from .test_replan import RULES, _ft8, day_plan, t  # noqa: F401  (day_plan is a fixture)


@pytest.mark.parametrize("premium, hint", [
    (150, "Did you mean 1.5? It is a multiplier, not a percentage."),
    (200, "Did you mean 2?"),
    (50, "Did you mean 1.5 (a premium of 50% on top) or 0.5 (50% of the cost)?"),
    (0, "got 0."),
])
def test_an_overtime_premium_that_is_no_multiplier_is_refused(day_plan, premium, hint):  # noqa: F811
    calls, sched = day_plan
    with pytest.raises(ValueError, match="overtime_premium multiplies .* above 0 and at most 5; ") as err:
        replan(calls, sched, RULES, aht=300, now=t("10:00"), overtime_premium=premium)
    assert hint in str(err.value)


def test_a_vto_saving_in_percent_is_refused_as_sl_80_is(day_plan):  # noqa: F811
    calls, sched = day_plan
    with pytest.raises(ValueError, match=r"vto_saving .* must be a fraction in \[0, 1\]; got 80.*Did you mean 0.80\?"):
        replan(calls, sched, RULES, aht=300, now=t("10:00"), vto_saving=80)


def test_a_time_zone_now_against_a_naive_day_names_both_clocks(day_plan):  # noqa: F811
    calls, sched = day_plan
    now = t("10:00").tz_localize("UTC")
    with pytest.raises(ValueError, match=r"now \(2024-03-04 10:00:00\+00:00\) is in time zone UTC and reforecast is "
                                         r"naive .*now='2024-03-04 10:00' if that is reforecast's local time"):
        replan(calls, sched, RULES, aht=300, now=now)
    with pytest.raises(ValueError, match="in time zone UTC and schedule is naive"):
        activities_until(sched, now)
    aware = calls.tz_localize("Europe/London")
    with pytest.raises(ValueError, match=r"is naive \(no time zone\) and reforecast is in time zone Europe/London; "
                                         r".*Use one clock: give now in Europe/London, e.g. "
                                         r"now='2024-03-04 10:00\+00:00'"):
        replan(aware, sched, RULES, aht=300, now=t("10:00"))


def test_nan_in_closed_hours_names_the_argument_and_the_times(day_plan):  # noqa: F811
    """The user's 24 hours of the day with the night as NaN: named as reforecast, with the times, and fillna(0)."""
    calls, sched = day_plan
    full_day = calls.reindex(pd.date_range(t("00:00"), periods=96, freq="15min"))
    with pytest.raises(ValueError) as err:
        replan(full_day, sched, RULES, aht=300, now=t("10:00"))
    text = str(err.value)
    assert text.startswith("reforecast holds NaN calls at 12 of the 56 intervals of 2024-03-04 from now (10:00): "
                           "21:00, 21:15, 21:30, 21:45, ... 23:45.")
    assert "reforecast.fillna(0)" in text and "position" not in text
    closed = replan(full_day.fillna(0.0), sched, RULES, aht=300, now=t("10:00"), target="interval")
    assert (closed.table.loc[t("21:00"):, "required"] == 0).all()


def test_an_implausible_aht_warns_once(day_plan):  # noqa: F811
    calls, sched = day_plan
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        replan(calls, sched, RULES, aht=5, now=t("10:00"), target="interval")
    units = [w for w in caught if issubclass(w.category, UnitWarning)]
    assert len(units) == 1 and "aht of 5 s is implausible" in str(units[0].message)
    assert units[0].filename == __file__                 # pointed at the caller's line


def test_a_clock_time_alone_or_another_day_is_refused_for_the_schedule():
    sched = pd.DataFrame([_ft8("ann", "08:00", "10:30", "12:00")])
    with pytest.raises(ValueError, match=r"activities_until: now \(\d{4}-\d\d-\d\d 12:05\) is not on the day of the "
                                         r"schedule, Mon 2024-03-04 \(a time of day alone is read as today's date\)\. "
                                         r"Give a full timestamp, e.g. now=pd.Timestamp\('2024-03-04 12:05'\)"):
        activities_until(sched, "12:05")
    with pytest.raises(ValueError, match="not on the day of the schedule, Mon 2024-03-04. Give"):
        activities_until(sched, "2024-03-06 12:05")
    assert activities_until(sched, "2024-03-04 23:59")["end"].max() == t("16:30")   # the whole day, uncut
    events = pd.DataFrame({"agent": ["ann"], "start": [t("10:50")], "duration": [600.0], "scheduled": ["work"],
                           "actual": ["break"]})
    assert len(out_of_adherence_now(events, t("11:00"))) == 1
    with pytest.raises(ValueError, match=r"out_of_adherence_now: now .* is not on the day of the events, "
                                         r"Mon 2024-03-04 \(a time of day alone"):
        out_of_adherence_now(events, "11:00")


def test_a_weeks_shifts_in_activities_until_name_activities_until():
    week = pd.DataFrame([_ft8("ann", "08:00", "10:30", "12:00"), _ft8("bob", "08:00", "10:30", "12:00")])
    week.loc[1, "start"] += pd.Timedelta(days=1)
    week.loc[1, "end"] += pd.Timedelta(days=1)
    with pytest.raises(ValueError) as err:
        activities_until(week, t("11:00"))
    text = str(err.value)
    assert text.startswith("activities_until: schedule holds shifts of another day: 1 of 2 shifts start on 2024-03-05, "
                           "its first shift's day is 2024-03-04.")
    assert "reforecast" not in text


def _long(frame, q):
    return frame.reset_index(names="timestamp").assign(queue=q)


def test_a_queue_missing_from_one_table_is_named_with_the_table(toy):  # noqa: F811
    history, today, actual, f = toy
    fc = pd.concat([_long(today, "billing"), _long(today, "spanish")])
    act = actual.rename("actual").to_frame()
    acts, hist = pd.concat([_long(act, "billing"), _long(act, "spanish")]), pd.concat(
        [_long(history, "billing"), _long(history, "spanish")])
    with pytest.raises(ValueError, match=re.escape("actual has no rows for queue(s) ['spanish'] of forecast (1 of 2; "
                                                   "actual has ['billing'])")):
        reforecast_queues(fc, _long(act, "billing"), hist)
    with pytest.raises(ValueError, match=re.escape("history has no rows for queue(s) ['spanish'] of forecast")):
        reforecast_queues(fc, acts, _long(history, "billing"))
    with pytest.raises(ValueError, match=r"^queue 'spanish': actual misses 6 interval\(s\)"):
        reforecast_queues(fc, _long(act, "billing"), hist, now="2024-03-14 10:00")
    other_days = _long(history.set_axis(history.index - pd.Timedelta(hours=3)), "spanish")
    with pytest.raises(ValueError, match=r"^queue 'spanish': history has 0 complete day\(s\) on the grid of "
                                         r"2024-03-14 \(20 open intervals from 07:00 to 16:30\)"):
        reforecast_queues(fc, acts, pd.concat([_long(history, "billing"), other_days]))


def _cli(files, *extra, actual="actual.csv"):  # noqa: F811
    return main(["intraday", "--forecast", str(files / "forecast.csv"), "--actual", str(files / actual),
                 "--history", str(files / "history.csv"), "--out", str(files / "out"), *extra])


def test_cli_names_offsets_in_one_file_and_the_tz_flag(files, capsys):  # noqa: F811
    act = pd.read_csv(files / "actual.csv")
    act["timestamp"] = act["timestamp"] + "-04:00"
    act.to_csv(files / "actual_tz.csv", index=False)
    assert _cli(files, actual="actual_tz.csv") == 2
    err = capsys.readouterr().err
    assert ("--actual 'actual_tz.csv' is written with UTC offsets and --forecast 'forecast.csv' is written without "
            "UTC offsets (local times); their times are on different clocks") in err
    assert "Use one clock: pass --tz" in err
    assert "Cannot subtract" not in err
    assert _cli(files, "--tz", "America/New_York", actual="actual_tz.csv") == 0   # 2024-03-14 is EDT, -04:00
    assert "wfm intraday: Thu 14 Mar 2024 10:00" in capsys.readouterr().out


def test_cli_refuses_exported_zeros_with_the_now_flag_and_writes_observed(files, capsys):  # noqa: F811
    act = pd.read_csv(files / "actual.csv", index_col=0, parse_dates=True)["actual"]
    fc = pd.read_csv(files / "forecast.csv", index_col=0, parse_dates=True)
    act.reindex(fc.index, fill_value=0.0).to_csv(files / "zeros.csv", index_label="timestamp")
    assert _cli(files, actual="zeros.csv") == 2
    err = capsys.readouterr().err
    assert "ends in 14 interval(s) of 0 calls" in err and "--now '2024-03-14 10:00'" in err and "now=" not in err
    assert _cli(files, "--now", "2024-03-14 10:00", actual="zeros.csv") == 0
    picture = pd.read_csv(files / "out" / "intraday.csv", index_col=0, parse_dates=True)
    assert list(picture.columns) == ["forecast", "actual", "reforecast", "lower", "upper", "observed"]
    np.testing.assert_array_equal(picture["observed"], np.arange(len(picture)) < 6)
