"""schedule_table's one-pass reading of plain breaks against its row-by-row reading (kept for odd breaks)."""

import pickle

import numpy as np
import pandas as pd
import pytest

import wfm
from wfm.simulation import schedules as sm


def _both(frame, origin, plain=True):
    keep, used = sm._plain_periods, []
    sm._plain_periods = lambda *a: used.append(keep(*a)) or used[-1]  # the one-pass reading, watched
    try:
        new = sm.schedule_table(frame, origin)
        sm._plain_periods = lambda *a: None  # the row-by-row reading, as before the one-pass path
        old = sm.schedule_table(frame, origin)
    finally:
        sm._plain_periods = keep
    assert (used[0] is not None) == plain  # the one pass reads the plain cases and leaves the others
    return new, old


def _same(new, old):
    for field in ("agent", "on_start", "on_end", "relative", "drain", "gap_state", "shift", "gap"):
        a, b = getattr(new, field), getattr(old, field)
        assert a.dtype == b.dtype and np.array_equal(a, b), field
    pd.testing.assert_index_equal(new.labels, old.labels)


@pytest.fixture(scope="module")
def bank_week_shifts():
    # the bank's last full week (real volumes, scaled to 20,000 calls), staffed with Erlang C and sized into shifts
    calls = wfm.calendar.last_full_week(wfm.datasets.bank_calls("15min"))
    calls = calls * (20000 / calls.sum())
    plan = wfm.staffing_plan(calls, aht=300, service_level=0.8, threshold=20)
    rules = {"shifts": [{"name": "FT8", "paid": "8h", "contract": "full_time",
                         "breaks": [{"length": "15min", "paid": True, "start_after": ["1h30min", "3h"]},
                                    {"length": "30min", "paid": False, "start_after": ["3h30min", "5h"]}]},
                        {"name": "PT4", "paid": "4h", "contract": "part_time"}],
             "week": {"days_per_week": 5}, "open_hours": {d: ["07:00", "21:00"] for d in
                                                           ["mon", "tue", "wed", "thu", "fri"]}}
    sized = wfm.schedule_week(plan.table["scheduled_agents"], rules, time_limit=30)
    return calls, wfm.simulation.agent_schedules(sized)


def test_bank_week_periods_match_the_row_by_row_reading(bank_week_shifts):
    calls, shifts = bank_week_shifts
    assert shifts["breaks"].map(len).max() == 2  # shifts with two breaks, shifts with none
    new, old = _both(shifts, calls.index[0])
    _same(new, old)
    # shuffled rows, tuples for lists, 'lunch'/'break' words for the paid flag: the same periods
    odd = shifts.sample(frac=1.0, random_state=2).copy()
    odd["breaks"] = [tuple((a, b, "break" if p else "lunch") for a, b, p in x) for x in odd["breaks"]]
    _same(*_both(odd, calls.index[0]))
    sim = wfm.simulate(calls, 300, shifts, seed=4)
    assert len(sim.contacts) > 0


def test_clock_zones_and_two_item_breaks():
    idx = pd.date_range("2024-03-31 00:00", periods=48, freq="30min", tz="Europe/London")
    t = idx[0]
    frame = pd.DataFrame({"agent": ["a", "b", "a", "c"],
                          "start": [t + pd.Timedelta(hours=h) for h in (8, 9, 14, 0)],
                          "end": [t + pd.Timedelta(hours=h) for h in (12, 17, 20, 23)],
                          "breaks": [[(t + pd.Timedelta(hours=10), t + pd.Timedelta(hours=10.25))],
                                     [(t + pd.Timedelta(hours=13), t + pd.Timedelta(hours=13.5), np.False_),
                                      (t + pd.Timedelta(hours=11), t + pd.Timedelta(hours=11.25), True)],
                                     None, np.nan]})
    new, old = _both(frame, t)
    _same(new, old)
    # agent b: a period, then one after each break, in time order (the breaks were given out of order)
    b = new.agent == list(new.labels).index("b")
    assert new.relative[b].tolist() == [False, True, True]
    assert new.gap[b].tolist() == [0.0, 900.0, 1800.0]
    assert new.gap_state[b].tolist() == [sm._NOT_LOGGED, sm.BREAK, sm.LUNCH]


@pytest.mark.parametrize("cell, error", [
    ([None], TypeError), ([("x", "y")], TypeError), ({1, 2}, TypeError),
    ([(pd.Timestamp("2024-01-01 10:00"), pd.Timestamp("2024-01-01 10:15"), "nap")], ValueError),
    ([(pd.Timestamp("2024-01-01 07:00"), pd.Timestamp("2024-01-01 07:15"))], ValueError),
    ([(pd.Timestamp("2024-01-01 10:00"), pd.Timestamp("2024-01-01 10:30")),
      (pd.Timestamp("2024-01-01 10:15"), pd.Timestamp("2024-01-01 10:45"))], ValueError),
    ([(pd.Timedelta("2h"), pd.Timedelta("2h15min"))], None),
])
def test_odd_breaks_get_the_row_by_row_answer(cell, error):
    t = pd.Timestamp("2024-01-01 00:00")
    frame = pd.DataFrame({"agent": ["a"], "start": [t + pd.Timedelta(hours=8)], "end": [t + pd.Timedelta(hours=16)],
                          "breaks": [cell]})
    assert sm._plain_periods(frame["breaks"], np.array([0]), np.array([28800.0]), np.array([57600.0]), t,
                             np.array([0])) is None
    if error is None:
        _same(*_both(frame, t, plain=False))
    else:
        with pytest.raises(error, match="breaks"):
            sm.schedule_table(frame, t)


def test_row_labels_are_the_listed_ones():
    # the labels of the error messages, written lazily: the same text the list of every row gave
    frame = pd.DataFrame({"agent": [7, "ann", 2.5], "start": pd.to_datetime(["2024-01-01 08:00", "2024-01-01 09:30",
                                                                             "2024-01-02 00:00"])})
    lazy = sm._RowLabels(frame["agent"], pd.DatetimeIndex(frame["start"]))
    listed = [f"agent {a} from {sm._fmt(s)}" for a, s in zip(frame["agent"], pd.DatetimeIndex(frame["start"]))]
    assert len(lazy) == 3 and [lazy[i] for i in range(3)] == listed == [
        "agent 7 from 2024-01-01 08:00", "agent ann from 2024-01-01 09:30", "agent 2.5 from 2024-01-02 00:00"]
    ints = pd.Series([7, 8])  # an integer column: numpy scalars print as the listed Python ints did
    assert sm._RowLabels(ints, pd.DatetimeIndex(frame["start"][:2]))[1] == "agent 8 from 2024-01-01 09:30"
    t = pd.Timestamp("2024-01-01")
    bad = pd.DataFrame({"agent": ["x", "x"], "start": [t + pd.Timedelta(hours=8), t + pd.Timedelta(hours=9)],
                        "end": [t + pd.Timedelta(hours=12), t + pd.Timedelta(hours=13)]})
    with pytest.raises(ValueError, match=r"rows \[1\] \(agent x from 2024-01-01 09:00\)"):
        sm.schedule_table(bad, t)
