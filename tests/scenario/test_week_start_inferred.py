"""
A scenario without ``horizon.week_start`` plans on the history's own weeks: a Sunday-Thursday centre's weekly plan
and capacity plan start on Sunday (they used to take the default Monday, cutting each Sunday off its week), as
``wfm init`` writes and the capacity plan in Python infers (wfm.calendar.infer_week_start); the run says so.

History: real volumes relabelled, the bank's last four weeks (``bank_calls("30min")``) with every date moved one
day earlier, so its Monday-Friday week becomes Sunday-Thursday (as ``bank_sun_thu_3w`` in benchmarks/panel.py).
"""

import numpy as np
import pandas as pd
import pytest
import yaml

import wfm
from wfm.scenario import run_scenario, summary_text

QUEUE = "bank_sun_thu"


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The same Sunday-Thursday scenario run without horizon.week_start and with week_start SUN."""
    folder = tmp_path_factory.mktemp("sun_thu")
    calls = wfm.datasets.bank_calls("30min")
    calls = pd.Series(calls.to_numpy(), index=calls.index - pd.Timedelta(days=1), name="calls")
    calls = calls[calls.index >= calls.index[-1].normalize() - pd.Timedelta(days=27)]
    assert set(calls.index.day_name()) == {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday"}
    calls.rename_axis("timestamp").to_frame().to_csv(folder / f"{QUEUE}.csv")
    pd.DataFrame({"site": QUEUE, "tenure_weeks": [30, 120], "headcount": [300, 200]}).to_csv(folder / "staff.csv",
                                                                                            index=False)
    out = {}
    for name, horizon in (("left out", {"days": 5}), ("SUN", {"days": 5, "week_start": "SUN"})):
        s = {"name": "sun_thu", "data": {"path": f"{QUEUE}.csv"}, "horizon": horizon,
             "forecast": {"method": "topdown", "backtest": None}, "aht": 300,
             "staffing": {"model": "erlang_c", "service_level": 0.8, "threshold": 20, "shrinkage": 0.3},
             "schedule": {"shifts": [{"name": "FT8", "paid": "8h"}], "week": {"days_per_week": 5}, "time_limit": 5},
             "simulate": None, "kpis": None, "capacity": {"staff": "staff.csv", "demand": {"weeks": 6}}}
        (folder / "s.yaml").write_text(yaml.safe_dump(s, sort_keys=False))
        with pytest.warns(UserWarning, match="day"):  # one open weekday with no data: a holiday, said so
            out[name] = run_scenario(folder / "s.yaml", jobs=1)
        assert out[name].ok, out[name].failed
    return out


def test_weeks_start_on_sunday_with_and_without_the_key(runs):
    for name, result in runs.items():
        row = result.variants.iloc[0]
        assert row["week_start"] == "SUN" and bool(row["week_start_inferred"]) == (name == "left out")
        assert result.headline().params["week_start"] == "SUN"
        schedule = result.objects["schedule"][(QUEUE, "base")]
        # the five open days Sunday-Thursday are one week, not a Sunday cut off a Monday week
        assert schedule.params["week_start"] == 6 and schedule.figures().get("weeks", 1) == 1
        first = schedule.coverage.index[0]
        assert first.day_name() == "Sunday" and first > pd.Timestamp("2003-10-23")
        assert (result.capacity_plan["week"].dt.day_name() == "Sunday").all()


def test_inferring_it_is_giving_it(runs):
    """Left out, the run is the run with week_start SUN: the same headline and the same capacity plan."""
    left, given = runs["left out"], runs["SUN"]
    a, b = left.headline().figures(), given.headline().figures()
    assert a.keys() == b.keys()
    np.testing.assert_allclose([a[k] for k in a], [b[k] for k in a], rtol=1e-12, equal_nan=True)
    pd.testing.assert_frame_equal(left.capacity_plan, given.capacity_plan)


def test_the_summary_says_which_week_start_and_whether_it_was_inferred(runs):
    assert ("\n  weeks start SUN: inferred from the history's open days (the first open day after the closed days), "
            "as horizon.week_start is not given\n") in summary_text(runs["left out"])
    text = summary_text(runs["SUN"])
    assert "\n  weeks start SUN (horizon.week_start)\n" in text and "inferred" not in text


def test_the_written_scenario_holds_the_week_start_it_ran_on(runs):
    # scenario.yaml is "the scenario as it ran": before, it held the schema default MON for this Sunday-Thursday
    # run, so running the written file again planned Monday weeks
    for result in runs.values():
        assert result.scenario_as_run(mode="json")["horizon"]["week_start"] == "SUN"
        assert result.params["horizon"]["week_start"] == "SUN"  # it held the default MON
