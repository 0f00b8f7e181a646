"""Schedule views: shifts with times per day, weekly patterns, the coverage heat table, the Gantt by start time.

A hand-made two-day schedule (the attributes a SchedulePlan has) whose every figure is counted by hand.
"""

from types import SimpleNamespace

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from wfm.report import coverage_heat, pattern_table, plot_gantt, shift_table

T = pd.Timestamp


@pytest.fixture
def schedule():
    """Mon 27 and Tue 28 Oct 2003: FT8 07:00-15:30 with a break at 11:00 (3 agents Mon, 2 Tue) or 11:30 (1 Mon),
    PT4 17:00-21:00 (2 Mon), a night N8 22:00-06:30 (1 Tue). Coverage of four intervals a day, one closed."""
    rows = [("2003-10-27", "FT8", "full_time", "07:00", "15:30", 8.0, 3, [("11:00", "11:30", False)]),
            ("2003-10-27", "FT8", "full_time", "07:00", "15:30", 8.0, 1, [("11:30", "12:00", False)]),
            ("2003-10-27", "PT4", "part_time", "17:00", "21:00", 4.0, 2, []),
            ("2003-10-28", "FT8", "full_time", "07:00", "15:30", 8.0, 2, [("11:00", "11:30", False)]),
            ("2003-10-28", "N8", "full_time", "22:00", "06:30", 8.0, 1, [("02:00", "02:30", True)])]
    shifts = []
    for day, name, contract, start, end, paid, agents, breaks in rows:
        d = T(day)

        def at(clock, after=None, day=day):
            t = T(f"{day} {clock}")
            return t + pd.Timedelta(days=1) if after is not None and t <= after else t

        s = at(start)
        shifts.append({"week": T("2003-10-27"), "day": d, "name": name, "contract": contract, "start": s,
                       "end": at(end, s), "paid_hours": paid, "agents": agents,
                       "breaks": [(at(a, s), at(b, s), p) for a, b, p in breaks], "cost": paid * agents * 22})
    idx = pd.DatetimeIndex([f"2003-10-{d} {h}" for d in (27, 28) for h in ("07:00", "07:30", "08:00", "21:00")])
    coverage = pd.DataFrame({"required": [2, 3, 4, 0, 1, 2, 3, 0], "scheduled": [4, 4, 4, 0, 2, 2, 2, 0],
                             "open": [True, True, True, False] * 2}, index=idx)
    patterns = pd.DataFrame({"week": T("2003-10-27"), "contract": ["full_time", "part_time"],
                             "days": ["Mon Tue", "Mon"], "days_off": ["Wed Thu Fri Sat Sun", "Tue Wed Thu Fri Sat Sun"],
                             "agents": [4, 2]})
    return SimpleNamespace(shifts=pd.DataFrame(shifts), coverage=coverage, patterns=patterns)


def test_shift_table_rows_times_breaks_and_agents_per_day(schedule):
    t = shift_table(schedule)
    assert list(t.columns) == ["shift", "contract", "start", "end", "paid_hours", "breaks", "Mon 27 Oct",
                               "Tue 28 Oct", "agent_days"]
    rows = {(r.shift, r.start, r.breaks): (r._7, r._8, r.agent_days) for r in t.itertuples()}
    assert rows == {("FT8", "07:00", "11:00-11:30 unpaid"): (3, 2, 5),
                    ("FT8", "07:00", "11:30-12:00 unpaid"): (1, 0, 1),
                    ("PT4", "17:00", ""): (2, 0, 2),
                    ("N8", "22:00", "02:00 +1d-02:30 +1d paid"): (0, 1, 1)}
    assert t.loc[t["shift"] == "N8", "end"].item() == "06:30 +1d"  # past midnight, said so
    assert t["start"].tolist() == sorted(t["start"])
    # nothing lost: agent-days per day add up to the schedule's
    per_day = schedule.shifts.groupby("day")["agents"].sum().to_numpy()
    np.testing.assert_array_equal(t[["Mon 27 Oct", "Tue 28 Oct"]].sum().to_numpy(), per_day)
    assert shift_table(schedule, max_days=1).columns.tolist()[6:] == ["Mon 27 Oct", "agent_days"]


def test_pattern_table_drops_a_single_week(schedule):
    p = pattern_table(schedule)
    assert list(p.columns) == ["contract", "days", "days_off", "agents"] and p["agents"].tolist() == [4, 2]
    two = SimpleNamespace(patterns=pd.concat([schedule.patterns, schedule.patterns.assign(week=T("2003-11-03"))]))
    assert pattern_table(two)["week"].tolist() == ["2003-10-27"] * 2 + ["2003-11-03"] * 2


def test_coverage_heat_required_against_scheduled(schedule):
    text, value = coverage_heat(schedule)
    assert list(text.columns) == ["Mon 27 Oct", "Tue 28 Oct"] and text.index.tolist() == ["07:00", "07:30", "08:00"]
    assert text.loc["07:30", "Mon 27 Oct"] == "3 / 4" and text.loc["08:00", "Tue 28 Oct"] == "3 / 2"
    assert value.loc["08:00", "Tue 28 Oct"] == -1 and value.loc["07:00", "Mon 27 Oct"] == 2  # short / over
    assert value.to_numpy().sum() == (4 + 4 + 4 + 2 + 2 + 2) - (2 + 3 + 4 + 1 + 2 + 3)


def test_gantt_one_row_per_start_and_shift(schedule):
    ax = plot_gantt(schedule)
    try:
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert labels == ["07:00 FT8", "17:00 PT4", "22:00 N8"]  # not one row per agent-shift
        counts = sorted(t.get_text() for t in ax.texts)
        assert counts == ["1", "2", "2", "4"]  # FT8 Mon 3 + 1 = 4, Tue 2; PT4 Mon 2; N8 Tue 1
        assert isinstance(ax.xaxis.get_major_formatter(), mdates.ConciseDateFormatter)  # date_axis's
    finally:
        plt.close(ax.figure)
