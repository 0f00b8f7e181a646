"""Schedules on the wall clock: the weeks the clocks change in Europe/London and America/New_York.

Open hours and start windows are local clock times, so a centre open 08:00-20:00
opens at 08:00 on the day the clocks change, and its shifts start at the clock
times asked for. Shifts are paid by the time elapsed: on the spring change day a
centre open around the clock has 23 hours to cover, on the autumn one 25.

The changes used (both on a Sunday, so a Monday-Sunday week holds them):
Europe/London 2024-03-31 01:00 GMT -> 02:00 BST and 2024-10-27 02:00 BST -> 01:00 GMT;
America/New_York 2024-03-10 02:00 EST -> 03:00 EDT and 2024-11-03 02:00 EDT -> 01:00 EST.
"""

import numpy as np
import pandas as pd
import pytest

from wfm.schedule import schedule_week, shift_coverage

from .test_schedule_week import check_rules_kept

# (zone, Monday of the week, the change day, hours on the change day)
DST_WEEKS = [
    ("Europe/London", "2024-03-25", "2024-03-31", 23),
    ("Europe/London", "2024-10-21", "2024-10-27", 25),
    ("America/New_York", "2024-03-04", "2024-03-10", 23),
    ("America/New_York", "2024-10-28", "2024-11-03", 25),
]
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _local_grid(tz, first_day, days, freq="30min"):
    """Every interval from local midnight of ``first_day`` to local midnight ``days`` days later."""
    start = pd.Timestamp(first_day).tz_localize(tz)
    end = (pd.Timestamp(first_day) + pd.Timedelta(days=days)).tz_localize(tz)
    return pd.date_range(start, end, freq=freq, inclusive="left")


@pytest.mark.parametrize("tz,monday,change,hours", DST_WEEKS)
def test_the_index_has_the_hours_of_the_change_day(tz, monday, change, hours):
    """The fixture itself: the change day has 23 or 25 hours of 30-minute intervals."""
    idx = _local_grid(tz, monday, 7)
    assert len(idx) == 7 * 48 + 2 * (hours - 24)
    day = idx.tz_localize(None).normalize() == pd.Timestamp(change)
    assert day.sum() == 2 * hours


@pytest.mark.parametrize("tz,monday,change,hours", DST_WEEKS)
def test_open_hours_and_start_windows_keep_their_clock_times(tz, monday, change, hours):
    # Every day, local clock: 2 agents 08:00-12:00, 3 agents 12:00-16:00, 1 agent 16:00-20:00; closed otherwise.
    # Four-hour shifts may start at 08:00, 12:00 or 16:00 only (window 08:00-16:00, step 4h): the one
    # schedule covering this is 2, 3 and 1 agents at those clock times, 24 paid hours a day.
    idx = _local_grid(tz, monday, 7)
    wall = idx.tz_localize(None)
    hour = wall.hour + wall.minute / 60
    need = np.select([(hour >= 8) & (hour < 12), (hour >= 12) & (hour < 16), (hour >= 16) & (hour < 20)],
                     [2, 3, 1], 0)
    req = pd.Series(need, index=idx)
    rules = {"shifts": [{"name": "S4", "paid": "4h", "starts": ["08:00", "16:00"], "step": "4h"}],
             "open_hours": {d: ["08:00", "20:00"] for d in DAYS}, "week": {"days_per_week": 7}}
    plan = schedule_week(req, rules)
    check_rules_kept(plan, rules, req, open_hours=rules["open_hours"])
    # coverage equals the requirement in every interval, the change day included
    np.testing.assert_array_equal(plan.coverage["scheduled"], need)
    assert plan.coverage["under"].sum() == 0 and plan.coverage["over"].sum() == 0
    # shifts start at the clock times asked for, with 2, 3 and 1 agents, on each of the 7 days
    tab = plan.shifts
    local = tab["start"].dt.tz_localize(None)
    got = tab.groupby([local.dt.normalize(), local.dt.strftime("%H:%M")])["agents"].sum()
    want = {(pd.Timestamp(monday) + pd.Timedelta(days=d), clock): n
            for d in range(7) for clock, n in (("08:00", 2), ("12:00", 3), ("16:00", 1))}
    assert got.to_dict() == want
    # each shift lasts 4 elapsed hours and, away from the change itself, 4 clock hours
    assert ((tab["end"] - tab["start"]) == pd.Timedelta("4h")).all()
    assert ((tab["end"].dt.tz_localize(None) - local) == pd.Timedelta("4h")).all()
    # a shift belongs to its local day, given as local midnight
    assert (tab["day"] == tab["start"].dt.normalize()).all()
    assert str(tab["day"].dt.tz) == tz
    assert plan.paid_hours == 7 * 6 * 4 and plan.heads == 6
    # the open flag is the wall clock's 08:00-20:00
    np.testing.assert_array_equal(plan.coverage["open"], (hour >= 8) & (hour < 20))


def _cheapest_cover(n, lengths, costs):
    """Least cost of shifts covering intervals 0..n-1 at least once, each inside [0, n) (dynamic programme).

    State: the length c of the covered prefix. A shift of length L starting at s <= c (and ending by n)
    extends it to s + L, any value in [max(c + 1, L), min(c + L, n)].
    """
    best = np.full(n + 1, np.inf)
    best[0] = 0.0
    for c in range(n):
        for length, cost in zip(lengths, costs):
            for new in range(max(c + 1, length), min(c + length, n) + 1):
                best[new] = min(best[new], best[c] + cost)
    return best[n]


def _cheapest_cover_by_counts(n, lengths, costs):
    """The same by brute force over how many shifts of each length: a shifts of length L1 and b of L2
    (each at most n) can cover [0, n) inside it exactly when a L1 + b L2 >= n (lay them end to end and
    pull the last ones back inside)."""
    return min(a * costs[0] + b * costs[1] for a in range(n // lengths[0] + 2) for b in range(n // lengths[1] + 2)
               if a * lengths[0] + b * lengths[1] >= n)


@pytest.mark.parametrize("tz,monday,change,hours", DST_WEEKS)
def test_paid_hours_on_the_change_day_are_elapsed_hours(tz, monday, change, hours):
    # One agent around the clock on the change day only; 3-hour and 5-hour shifts at any half hour
    # inside the day, one cost per paid hour. The day lasts `hours` elapsed hours (23 or 25), which
    # 3h and 5h shifts tile exactly (23 = 3 + 4 x 5, 25 = 5 x 5), so the cheapest schedule pays
    # exactly the day's elapsed hours: an hour fewer or more than on a 24-hour day.
    idx = _local_grid(tz, change, 1)
    req = pd.Series(1, index=idx)
    rules = {"shifts": [{"name": "S3", "paid": "3h"}, {"name": "S5", "paid": "5h"}],
             "open_hours": {change_day: "24h" for change_day in DAYS}, "week": {"days_per_week": 1}}
    plan = schedule_week(req, rules, mip_gap=0)
    check_rules_kept(plan, rules, req)
    assert plan.coverage["under"].sum() == 0
    lengths, costs = (6, 10), (3.0, 5.0)  # in 30-minute intervals; cost = paid hours
    assert plan.paid_hours == hours
    assert plan.paid_hours == _cheapest_cover(len(idx), lengths, costs)
    assert plan.paid_hours == _cheapest_cover_by_counts(len(idx), lengths, costs)
    # the paid hours are the shifts' elapsed lengths, read from the table
    elapsed = ((plan.shifts["end"] - plan.shifts["start"]).dt.total_seconds() / 3600 * plan.shifts["agents"]).sum()
    assert elapsed == plan.paid_hours
    # the first shift starts at local midnight and the last ends at the next local midnight
    assert plan.shifts["start"].min() == idx[0]
    assert plan.shifts["end"].max() == idx[-1] + pd.Timedelta("30min")
    np.testing.assert_array_equal(shift_coverage(plan.shifts, idx), plan.coverage["scheduled"])


@pytest.mark.parametrize("tz,monday,change,hours", DST_WEEKS)
def test_a_night_shift_across_the_change_is_paid_by_elapsed_time(tz, monday, change, hours):
    # Saturday 22:00 to Sunday 06:00 local needs one agent: 8 clock hours, but 7 elapsed hours in spring
    # and 9 in autumn. With 1-hour shifts the cheapest cover pays the elapsed hours.
    saturday = pd.Timestamp(change) - pd.Timedelta(days=1)
    idx = _local_grid(tz, saturday, 2, freq="1h")
    wall = idx.tz_localize(None)
    night = (wall >= saturday + pd.Timedelta("22h")) & (wall < saturday + pd.Timedelta("30h"))
    req = pd.Series(night.astype(int), index=idx)
    rules = {"shifts": [{"name": "H1", "paid": "1h"}], "week": {"days_per_week": [1, 2],
                                                                 "days_off_consecutive": False}}
    plan = schedule_week(req, rules, mip_gap=0)
    check_rules_kept(plan, rules, req)
    assert plan.paid_hours == int(night.sum()) == 8 + (hours - 24)
    # an 8-hour night shift from Saturday 22:00 lasts 8 elapsed hours: it ends at 07:00 by the clock in
    # spring and at 05:00 in autumn, and is paid 8 hours either way
    first_hour = (wall >= saturday + pd.Timedelta("22h")) & (wall < saturday + pd.Timedelta("23h"))
    night8 = {"shifts": [{"name": "N8", "paid": "8h", "starts": ["22:00", "22:00"], "within_open_hours": False}],
              "week": {"days_per_week": 1}}
    plan = schedule_week(pd.Series(first_hour.astype(int), index=idx), night8, mip_gap=0)
    (row,) = plan.shifts.itertuples()
    assert row.start.tz_localize(None) == saturday + pd.Timedelta("22h")
    assert row.end.tz_localize(None) == saturday + pd.Timedelta("30h") - pd.Timedelta(hours=hours - 24)
    assert row.end - row.start == pd.Timedelta("8h") and plan.paid_hours == 8
