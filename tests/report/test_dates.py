"""Date axes name the day and month of each tick: a week of October is never labelled "Nov".

Evidence: a step plot of the bank's last week (Mon 27 - Fri 31 October 2003, as the schedule-coverage plot draws
it, its axis running to Sat 1 November) and a 78-week axis, drawn; each tick's label is compared with the tick's
own date (matplotlib's default concise labels put "2003-Nov" under that week, the month of its last tick).
"""

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from wfm._results import date_axis

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _labels(ax):
    ax.figure.canvas.draw()
    ticks = [mdates.num2date(x).replace(tzinfo=None) for x in ax.get_xticks()]
    return list(zip(ticks, [t.get_text() for t in ax.get_xticklabels()])), ax.xaxis.get_offset_text().get_text()


@pytest.fixture
def week_axes():
    """A week's coverage as a step plot (function scope: each test draws its own figure)."""
    idx = pd.date_range("2003-10-27 07:00", "2003-10-31 20:30", freq="30min")
    idx = idx[(idx.hour >= 7) & (idx.hour < 21)]
    fig, ax = plt.subplots(figsize=(11, 4))
    ax.step(idx, np.arange(len(idx)) % 50, where="post")
    ax.set_xlim(pd.Timestamp("2003-10-27"), pd.Timestamp("2003-11-01 02:00"))
    yield ax
    plt.close(fig)


def test_the_default_labels_mislead_and_ours_name_each_day(week_axes):
    locator = mdates.AutoDateLocator()  # what the run's plots used before: matplotlib's concise labels
    week_axes.xaxis.set_major_locator(locator)
    week_axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    _, offset = _labels(week_axes)
    assert offset == "2003-Nov"  # under a week of October
    date_axis(week_axes.xaxis)
    after, offset = _labels(week_axes)
    assert "Nov" not in offset
    days = [(t, text) for t, text in after if text]
    assert len(days) >= 5
    for tick, text in days:
        assert text == tick.strftime("%a %d %b"), (tick, text)  # "Mon 27 Oct", ..., "Sat 01 Nov"


def test_a_long_axis_names_months_and_years_at_their_ticks():
    weeks = pd.date_range("2003-10-27", periods=78, freq="7D")
    fig, ax = plt.subplots(figsize=(11, 4))
    ax.step(weeks, np.ones(78), where="mid")
    date_axis(ax.xaxis)
    labels, _ = _labels(ax)
    plt.close(fig)
    for tick, text in labels:
        if text in MONTHS:
            assert MONTHS[tick.month - 1] == text and tick.day == 1
        elif text:
            assert text == str(tick.year) and tick.month == 1 and tick.day == 1


def test_the_run_outputs_use_it(week_axes):
    """The scenario's plots (and the Gantt of shifts) go through date_axis."""
    from wfm.report.scenario_page import _readable_dates

    _readable_dates(week_axes.figure)
    labels, offset = _labels(week_axes)
    assert "Nov" not in offset and "Mon 27 Oct" in [text for _, text in labels]


def test_a_time_zone_keeps_its_wall_clock():
    """A morning in New York (09:00-12:30 EST, 14:00-17:30 UTC) is labelled by its own clock, as matplotlib's
    default labels do; before, date_axis put UTC hours (14:00) under it."""
    idx = pd.date_range("2024-03-04 09:00", periods=8, freq="30min", tz="America/New_York")
    fig, ax = plt.subplots()
    ax.step(idx, np.arange(8))
    date_axis(ax.xaxis)
    labels, offset = _labels(ax)
    plt.close(fig)
    texts = [text for _, text in labels if text]
    assert "09:00" in texts and "12:00" in texts and not {"14:00", "17:00"} & set(texts), texts
    assert offset == "Mon 04 Mar 2024"


@pytest.mark.parametrize("end, offset", [("2024-03-04 18:00", "Mon 04 Mar 2024"),
                                         ("2024-03-05 20:00", "Mon 04 Mar - Tue 05 Mar 2024")])
def test_hour_ticks_say_their_day_at_the_end(end, offset):
    """Hour ticks name no day (but midnight's): the axis's end names it, or the first and last of several (the
    last alone would be read as every tick's day; before, a day of hour ticks showed only its year)."""
    idx = pd.date_range("2024-03-04 08:00", end, freq="30min")
    fig, ax = plt.subplots(figsize=(10, 3))
    ax.step(idx, np.arange(len(idx)))
    date_axis(ax.xaxis)
    labels, got = _labels(ax)
    plt.close(fig)
    assert any(":" in text for _, text in labels)
    assert got == offset


@pytest.mark.parametrize("periods, tz", [(28, None), (28, "Europe/London"), (3 * 28, None)])
def test_interval_positions_are_named_by_their_local_time(periods, tz):
    """One tick per interval position: a day's hours ('07:00', the day in the x label) or each day's first
    interval ('Mon 20 Oct'); each label is the local time of the interval at its position."""
    from wfm._results import interval_axis

    idx = pd.date_range("2003-10-20 07:00", periods=28, freq="30min", tz=tz)
    idx = idx.append([idx + pd.Timedelta(days=d) for d in range(1, periods // 28)])  # open hours only
    fig, ax = plt.subplots()
    ax.bar(np.arange(len(idx)), 1.0)
    interval_axis(ax, idx)
    ax.figure.canvas.draw()
    ticks = [(int(x), t.get_text()) for x, t in zip(ax.get_xticks(), ax.get_xticklabels())]
    label = ax.get_xlabel()
    plt.close(fig)
    if periods == 28:
        assert label == "time of day (local), Mon 20 Oct 2003"
        assert [t for _, t in ticks] == ["07:00", "09:00", "11:00", "13:00", "15:00", "17:00", "19:00"]
    else:
        assert label == "time (local), intervals in order"
        assert [t for _, t in ticks] == ["Mon 20 Oct", "Tue 21 Oct", "Wed 22 Oct"]
    for pos, text in ticks:
        assert text in (f"{idx[pos]:%H:%M}", f"{idx[pos]:%a %d %b}")
        assert idx[pos].minute == 0 and (periods == 28 or idx[pos].hour == 7)
