r"""
Open intervals, holidays, special days and interval lengths of a contact centre.

A history of calls holds only the intervals the centre was open: nights,
weekends and holidays are absent, not zero. This module reads the open
calendar back out of such a history, lets the caller override it, and builds
the open intervals of the days ahead.

* :func:`open_calendar` infers the open days of the week and the open hours
  of each from the history (an interval counts as open when it is present on
  at least half of the dates of its weekday), and lists the closed days: the
  days of an open weekday that are missing from the record.
* Holidays come from the ``holidays`` package (country and region given) or
  from a list of dates; special days given by the caller are closed, open
  for part of the day, or abnormal with a volume factor.
* :func:`future_intervals` builds the DatetimeIndex of open intervals for
  the next open days. On a time-zone-aware index every day keeps its local
  clock: a centre open 07:00-21:00 opens at 07:00 local time on the day the
  clocks change, and a 24/7 centre has 23 hours of intervals on the spring
  change day and 25 on the autumn one.
* :func:`resample` moves interval counts between 5, 15, 30 and 60 minutes.

Timestamps label the start of each interval. Days, weekdays and times of day
are always those of the local wall clock.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import _validation as v
from ._clock_text import clock_seconds, parse_clock
from ._calendar_days import day_masks, days_intervals, open_intervals_from

__all__ = [
    "OpenCalendar",
    "by_time_of_day",
    "check_week_start",
    "clock_seconds",
    "future_intervals",
    "holiday_dates",
    "infer_week_start",
    "last_full_week",
    "open_calendar",
    "parse_clock",
    "parse_open_hours",
    "resample",
    "week_of",
    "weekday_presence",
]

_DAY = 86_400
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_FREQS = {"5min": 300, "15min": 900, "30min": 1800, "60min": 3600, "1h": 3600, "h": 3600}


def check_week_start(week_start, name="week_start"):
    """
    The weekday a planning week starts on, as 0 (Monday) to 6 (Sunday).

    Parameters
    ----------
    week_start : str or int
        ``"MON"`` ... ``"SUN"`` (any case, full names too) or 0-6 with
        Monday = 0.
    name : str
        What the value is, for the error message (an argument, a YAML key, a flag).

    Examples
    --------
    >>> check_week_start("SUN"), check_week_start("saturday"), check_week_start(0)
    (6, 5, 0)
    """
    if isinstance(week_start, (bool, np.bool_)) or not isinstance(week_start, (str, int, np.integer)):
        raise TypeError(f"{name} must name a weekday, 'MON' to 'SUN' (or 0-6, Monday = 0); got {week_start!r}.")
    full = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    if isinstance(week_start, str) and week_start.strip().lower() not in full + tuple(d.lower() for d in _WEEKDAYS):
        raise ValueError(f"{name} must name a weekday, 'MON' to 'SUN'; got {week_start!r}."
                         f"{v._suggest(week_start.strip().upper(), [d.upper() for d in _WEEKDAYS])}")
    return _weekday(week_start, name)


def infer_week_start(index, open_days=None):
    """
    The weekday a centre's planning week starts on, read from the days it is open.

    The week starts on the first open weekday after the longest run of closed
    weekdays (a Sunday-Thursday centre's week starts on Sunday, a
    Monday-Friday centre's on Monday); a centre open every day of the week
    keeps ISO weeks (Monday). Ties go to the run that ends nearest Monday.

    Closed weekdays are only evidence when the data spans a whole week:
    data from fewer than 7 consecutive days (a forecast of three days, a
    plan of Wednesday and Thursday) cannot show which weekdays the centre
    closes, and its first day says nothing about where the week starts.
    Without ``open_days`` such data keeps ISO weeks (``"MON"``) when they
    hold it in one week, else its weeks start on its first day, so it is
    never split in two (a one-week Sunday-Thursday log is one week).

    Parameters
    ----------
    index : DatetimeIndex, Series or DataFrame
        Open intervals (naive or time-zone aware): a history, a forecast or a
        plan, or its index. Days with no interval count as closed. A Series
        or DataFrame carrying ``attrs["open_days"]`` (as
        :func:`last_full_week` and a forecast's table do) is read from
        those weekdays.
    open_days : sequence, optional
        The weekdays the centre opens (``"Mon"``-``"Sun"`` or 0-6, Monday =
        0), as in :func:`open_calendar`: when given, the week is read from
        them and ``index`` is not looked at.

    Returns
    -------
    str
        ``"MON"`` ... ``"SUN"``.

    Examples
    --------
    >>> names = ["Sun", "Mon", "Tue", "Wed", "Thu"]
    >>> sun_thu = pd.DatetimeIndex([d for d in pd.date_range("2024-06-02", periods=14, freq="D")
    ...                             if d.strftime("%a") in names])  # two Sunday-Thursday weeks
    >>> infer_week_start(sun_thu)
    'SUN'
    >>> infer_week_start(pd.date_range("2024-06-03", periods=14, freq="D"))
    'MON'

    Wednesday and Thursday alone show no closed weekday; the open days say it:

    >>> wed_thu = pd.date_range("2024-06-05", periods=2, freq="D")
    >>> infer_week_start(wed_thu), infer_week_start(wed_thu, open_days=names), infer_week_start(sun_thu[:5])
    ('MON', 'SUN', 'SUN')
    """
    days = _open_weekdays(index, open_days)
    if days is None:  # under a week of data, or none: Monday unless that splits it, else its first day
        idx = pd.DatetimeIndex(index.index if isinstance(index, (pd.Series, pd.DataFrame)) else index)
        wall = wall_clock(idx).normalize()
        if not len(wall) or len(week_of(pd.DatetimeIndex([wall.min(), wall.max()])).unique()) == 1:
            return "MON"
        return _WEEKDAYS[wall.min().day_of_week].upper()
    if days.all():
        return "MON"
    best_len, best_start = -1, 0
    for first in range(7):  # seven weekdays, not intervals: the longest closed run ending before an open day
        if not days[first] or days[(first - 1) % 7]:
            continue
        run = 0
        while not days[(first - 1 - run) % 7]:
            run += 1
        if run > best_len or (run == best_len and first < best_start):
            best_len, best_start = run, first
    return _WEEKDAYS[best_start].upper()


def _open_weekdays(data, open_days=None):
    """Seven booleans, Monday first: the weekdays ``open_days`` (or ``data.attrs["open_days"]``) name, else those
    ``data``'s index has days on when it spans at least 7 days; None when neither says."""
    if open_days is None:
        open_days = getattr(data, "attrs", {}).get("open_days")
    out = np.zeros(7, bool)
    if open_days is not None:
        out[[_WEEKDAYS.index(d) for d in open_day_names(open_days)]] = True
        return out
    idx = data.index if isinstance(data, (pd.Series, pd.DataFrame)) else pd.DatetimeIndex(data)
    if not len(idx):
        return None
    days = wall_clock(pd.DatetimeIndex(idx)).normalize()
    if (days.max() - days.min()).days + 1 < 7:  # fewer than 7 days: no weekday can show it is closed
        return None
    return weekday_presence(days)[2]  # open_calendar's rule: a weekday seen once in ten weeks is no open day


def weekday_presence(dates):
    """
    The open weekdays by how often each has data: open on at least half of its dates in the span (the one rule).

    A campaign Saturday in ten weeks of Monday-Friday is a special opening, a holiday Monday keeps Mondays open;
    each weekday counts its own dates from the first to the last of ``dates`` (DatetimeIndex, wall-clock days,
    repeats once). :func:`open_calendar`, :func:`infer_week_start` and ``wfm init`` read open days by it.
    Returns ``with_data`` and ``in_span`` (ints, Monday first) and ``open_days`` (bools): ``with_data >=
    in_span / 2`` and ``with_data > 0``.

    >>> days = pd.bdate_range("2026-08-17", "2026-10-23").append(pd.DatetimeIndex(["2026-09-12"]))
    >>> with_data, in_span, open_days = weekday_presence(days)  # Saturday: 1 of the 9 in the span
    >>> int(with_data[5]), int(in_span[5]), open_days.astype(int).tolist()
    (1, 9, [1, 1, 1, 1, 1, 0, 0])
    """
    days = pd.DatetimeIndex(pd.unique(wall_clock(pd.DatetimeIndex(dates)).normalize()))
    if not len(days):
        return np.zeros(7, int), np.zeros(7, int), np.zeros(7, bool)
    span = pd.date_range(days.min(), days.max(), freq="D")
    with_data = np.bincount(days.day_of_week, minlength=7)
    in_span = np.bincount(span.day_of_week, minlength=7)
    return with_data, in_span, (with_data >= 0.5 * np.maximum(in_span, 1)) & (with_data > 0)


def open_day_names(open_days):
    """
    The weekdays ``open_days`` names, checked, as ``("Mon", ..., "Sun")`` names in weekday order.

    ``open_days``: one weekday or a sequence of them, ``"Mon"``-``"Sun"``
    (any case) or 0-6 with Monday 0, as :func:`open_calendar` takes them.
    An empty sequence is an error naming the option.

    >>> open_day_names(["sun", 0, "Tue", 3, "thu"])
    ('Mon', 'Tue', 'Thu', 'Sun')
    """
    given = [open_days] if isinstance(open_days, (str, int, np.integer)) else list(open_days)
    if not given:
        raise ValueError(f"{v.option('open_days', [])} names no weekday; give the weekdays the centre opens, e.g. "
                         f"{v.option('open_days', ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'])}.")
    return tuple(_WEEKDAYS[d] for d in sorted({_weekday(d, "open_days") for d in given}))


def week_of(index, week_start="MON"):
    """
    The first day of the planning week of each timestamp, on the local wall clock.

    Parameters
    ----------
    index : DatetimeIndex
        Interval starts (naive or time-zone aware).
    week_start : str or int
        The weekday weeks start on: ``"MON"`` (ISO weeks), ``"SUN"``,
        ``"SAT"``, ...

    Returns
    -------
    DatetimeIndex
        Naive midnight of the week's first day for every timestamp.

    Examples
    --------
    >>> idx = pd.DatetimeIndex(["2024-01-06 09:00", "2024-01-07 09:00", "2024-01-08 09:00"])  # Sat, Sun, Mon
    >>> week_of(idx, "SUN").strftime("%a %d").tolist()
    ['Sun 31', 'Sun 07', 'Sun 07']
    >>> week_of(idx).strftime("%a %d").tolist()
    ['Mon 01', 'Mon 01', 'Mon 08']
    """
    first = check_week_start(week_start)
    days = wall_clock(pd.DatetimeIndex(index)).normalize()
    return days - pd.to_timedelta((days.day_of_week - first) % 7, unit="D")


def last_full_week(calls, open_days=5, *, week_start=None):
    """
    The last planning week in which ``calls`` has ``open_days`` open days.

    Parameters
    ----------
    calls : Series or DataFrame on a DatetimeIndex
        Interval history; only open intervals need be present.
    open_days : int
        Days with data that make a week full (5 for a weekday centre, 7 for 24/7).
    week_start : str or int, optional
        The weekday weeks start on (``"MON"``, ``"SUN"``, ...; see
        :func:`week_of`). None (default): read from the open days of
        ``calls`` (:func:`infer_week_start`), so a Sunday-Thursday centre's
        last full week is Sunday to Thursday, not Monday to Thursday plus
        the next Sunday.

    Returns
    -------
    Series or DataFrame
        The rows of that week, with ``attrs["open_days"]``: the weekdays
        the whole of ``calls`` has data on (``("Mon", ..., "Fri")`` for the
        bank), which :func:`wfm.staffing_plan` reads as the centre's working
        week (a week has no way to show it), and ``attrs["week_start"]``
        (``"MON"`` ... ``"SUN"``), the weekday the week starts on.

    Examples
    --------
    >>> from wfm.datasets import bank_calls
    >>> week = last_full_week(bank_calls("30min"))
    >>> week.index[0], week.index[-1], week.attrs["open_days"]
    (Timestamp('2003-10-20 07:00:00'), Timestamp('2003-10-24 20:30:00'), ('Mon', 'Tue', 'Wed', 'Thu', 'Fri'))
    """
    if not isinstance(calls.index, pd.DatetimeIndex):
        raise TypeError("calls needs a DatetimeIndex to find calendar weeks.")
    days = wall_clock(calls.index).normalize()
    first = check_week_start(infer_week_start(calls) if week_start is None else week_start)
    week_start = week_of(calls.index, first)
    per_week = pd.Series(days, index=week_start).groupby(level=0).nunique()
    full = per_week.index[per_week >= open_days]
    if len(full) == 0:
        raise ValueError(f"calls has no week with {open_days} open days; its weeks have at most "
                         f"{int(per_week.max()) if len(per_week) else 0}.")
    out = calls[week_start == full[-1]].copy()
    out.attrs["open_days"] = tuple(_WEEKDAYS[d] for d in np.unique(days.day_of_week))
    out.attrs["week_start"] = _WEEKDAYS[first].upper()
    return out


# --------------------------------------------------------------------------
# Wall-clock keys of an index: the pure helpers every model uses.
# --------------------------------------------------------------------------


def wall_clock(index):
    """The naive local wall-clock times of ``index`` (the index itself when it is naive)."""
    return index.tz_localize(None) if index.tz is not None else index


def slot_keys(index, interval):
    """
    (date, weekday, slot) of each timestamp on the local wall clock.

    ``date`` is the normalised wall-clock day, ``weekday`` 0 (Monday) to 6 and
    ``slot`` the interval's number within its day, seconds since midnight
    divided by ``interval``.
    """
    wall = wall_clock(index)
    date = wall.normalize()
    seconds = np.asarray((wall - date).total_seconds())
    slot = np.floor(seconds / interval + 1e-9).astype(np.int64)
    return date, np.asarray(wall.day_of_week), slot


def _interval_seconds(value, name="interval"):
    if isinstance(value, str):
        if value in _FREQS:
            return float(_FREQS[value])
        try:
            value = pd.Timedelta(value).total_seconds()
        except ValueError:
            raise ValueError(f"{name} must be seconds or a length such as '30min'; got {value!r}.") from None
    arr = v.as_float_array(value, name)
    if arr.ndim:
        raise ValueError(f"{name} must be one number of seconds; got shape {arr.shape}.")
    v.check_positive(arr, name, "seconds")
    seconds = float(arr)
    if _DAY % seconds:
        raise ValueError(f"{name} must divide a day into whole intervals (e.g. 300, 900, 1800, 3600 "
                         f"seconds); got {seconds:g} seconds.")
    return seconds


# --------------------------------------------------------------------------
# Holidays and special days.
# --------------------------------------------------------------------------


def holiday_dates(holidays, start, end):
    """
    Public holidays between two dates, from the ``holidays`` package or a list.

    Parameters
    ----------
    holidays : str, tuple, holidays.HolidayBase or sequence of dates
        A country code (``"US"``), a country and region (``("US", "NY")``),
        a ``holidays`` calendar object, or the dates themselves.
    start, end : date-like
        First and last day wanted (inclusive).

    Returns
    -------
    Series
        Holiday names indexed by date (a naive DatetimeIndex at midnight),
        sorted; ``""`` for dates given without a name.

    Examples
    --------
    >>> holiday_dates("US", "2003-08-25", "2003-10-31")
    2003-09-01       Labor Day
    2003-10-13    Columbus Day
    dtype: object
    """
    start, end = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    if start.tz is not None:
        start, end = start.tz_localize(None), end.tz_localize(None)
    years = list(range(start.year, end.year + 1))
    if isinstance(holidays, (str, tuple)) and not (isinstance(holidays, tuple) and holidays
                                                     and not isinstance(holidays[0], str)):
        import holidays as _holidays

        country, subdiv = (holidays, None) if isinstance(holidays, str) else (holidays[0], (holidays[1:] or
                                                                                              (None,))[0])
        try:
            cal = _holidays.country_holidays(country, subdiv=subdiv, years=years)
        except NotImplementedError:
            raise v.bad_holidays(holidays, "is not a country the holidays package knows") from None
        items = cal.items()
    elif hasattr(holidays, "items") and hasattr(holidays, "get"):
        if hasattr(holidays, "_populate"):  # a holidays.HolidayBase: make sure the years are filled in
            for year in years:
                holidays.get(_dt.date(year, 1, 1))
        items = holidays.items()
    else:
        try:
            dates = pd.DatetimeIndex(pd.to_datetime(list(holidays)))
        except (TypeError, ValueError):
            raise v.bad_holidays(holidays, "is not a list of dates") from None
        items = [(d, "") for d in dates]
    out = pd.Series({pd.Timestamp(d).normalize(): str(name) for d, name in items}, dtype=object)
    if len(out) == 0:
        return pd.Series([], index=pd.DatetimeIndex([]), dtype=object)
    out.index = pd.DatetimeIndex(out.index).tz_localize(None) if pd.DatetimeIndex(out.index).tz else \
        pd.DatetimeIndex(out.index)
    out = out.sort_index()
    return out[(out.index >= start) & (out.index <= end)]


def parse_open_hours(value, name="open_hours"):
    """
    Opening hours per weekday, read from any of the forms wfm accepts.

    Parameters
    ----------
    value : tuple, str or dict
        ``("07:00", "21:00")`` for every day, ``"24h"`` (also ``"24/7"``)
        for around the clock, or a dict per weekday (``"mon"``/``"Mon"``/0
        for Monday) of such pairs, ``"24h"`` or None (closed). Close is
        exclusive; ``"24:00"`` is midnight.
    name : str
        What the value is, for the error message.

    Returns
    -------
    dict
        ``{weekday: (open, close)}`` in seconds after midnight [s], Monday =
        0; for a pair or ``"24h"`` the key is ``None`` (every day). A day given
        as None maps to None (closed).

    Examples
    --------
    >>> parse_open_hours({"mon": ["07:00", "21:00"], "sat": "24h", "sun": None})
    {0: (25200, 75600), 5: (0, 86400), 6: None}
    """
    if isinstance(value, dict):
        out = {}
        for key, hours in value.items():
            day = _weekday(key, name)
            out[day] = None if hours is None else _hours_pair(hours, f"{name}[{key!r}]")
        return out
    return {None: _hours_pair(value, name)}


def _hours_pair(hours, name):
    if isinstance(hours, str) and hours.strip().lower() in ("24h", "24/7", "all day"):
        return (0, _DAY)
    if isinstance(hours, str) or not hasattr(hours, "__len__") or len(hours) != 2:
        raise ValueError(f"{name} must be a pair of times ('07:00', '21:00') or '24h'; got {hours!r}.")
    start, stop = parse_clock(hours[0], f"{name}[0]"), parse_clock(hours[1], f"{name}[1]", allow_24=True)
    if stop <= start:
        raise ValueError(f"{name} must close after it opens; got {list(hours)!r}. Use '24:00' for midnight.")
    return start, stop


def _hours_to_slots(hours, interval, name):
    """Boolean mask of the slots open between ``hours`` = (open, close), close exclusive."""
    start, stop = _hours_pair(hours, name)
    starts = np.arange(int(_DAY // interval)) * interval
    return (starts >= start) & (starts < stop)


def _weekday(value, name):
    if isinstance(value, (int, np.integer)) and 0 <= int(value) <= 6:
        return int(value)
    text = str(value).strip()[:3].title()
    if text in _WEEKDAYS:
        return _WEEKDAYS.index(text)
    raise ValueError(f"{name} must name weekdays as 0-6 (Monday = 0) or 'Mon'-'Sun'; got {value!r}.")


def _special_days(special_days, interval):
    """{date: (factor, slot mask or None)} from the caller's special days."""
    if special_days is None:
        return {}
    if isinstance(special_days, pd.Series):
        special_days = special_days.to_dict()
    if not hasattr(special_days, "items"):
        raise TypeError("special_days must map dates to a volume factor, 'closed' or opening hours, e.g. "
                        "{'2003-12-24': ('07:00', '13:00'), '2003-12-26': 0.7}; got "
                        f"{type(special_days).__name__}.")
    out = {}
    for key, value in special_days.items():
        try:
            day = pd.Timestamp(key)
        except (TypeError, ValueError):
            raise ValueError(f"special_days keys must be dates; got {key!r}.") from None
        day = (day.tz_localize(None) if day.tz is not None else day).normalize()
        where = f"special_days[{day.date()}]"
        hours, factor = None, 1.0
        if isinstance(value, str) and value.strip().lower() == "closed":
            factor = 0.0
        elif isinstance(value, (tuple, list)) and len(value) in (2, 3):
            hours = _hours_to_slots(tuple(value[:2]), interval, where)
            if len(value) == 3:
                factor = value[2]
        else:
            factor = value
        if not isinstance(factor, (int, float, np.integer, np.floating)) or isinstance(factor, bool) \
                or not np.isfinite(factor) or factor < 0:
            raise ValueError(f"{where} must be a volume factor >= 0 (0 closes the day), 'closed', or opening "
                             f"hours ('07:00', '13:00') with an optional factor; got {value!r}.")
        out[day] = (float(factor), hours)
    return out


# --------------------------------------------------------------------------
# The open calendar.
# --------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class OpenCalendar:
    """
    When a centre is open: the weekly template, closed days and special days.

    Built by :func:`open_calendar`; every field is data, and the methods only
    look things up.

    Attributes
    ----------
    interval : float
        Interval length. [s]
    slots : ndarray of bool, shape (7, 86400 / interval)
        ``slots[weekday, k]`` is True when the interval starting ``k *
        interval`` seconds after midnight (local wall clock) is open on that
        weekday (Monday = 0).
    closed : DatetimeIndex
        Days of an open weekday on which the centre is closed: missing from
        the history, holidays, and special days with factor 0.
    special : dict
        ``{date: (factor, slot mask or None)}``: abnormal days (volume
        factor, 1 = normal) and days with their own opening hours.
    holidays : Series
        Holiday names by date for the period the calendar was asked about.
    tz : tzinfo or None
        Time zone of the history's index.
    """

    interval: float
    slots: np.ndarray
    closed: pd.DatetimeIndex
    special: dict = field(default_factory=dict)
    holidays: pd.Series = field(default_factory=lambda: pd.Series([], dtype=object))
    tz: object = None

    @property
    def open_days(self):
        """Weekdays (Monday = 0) with at least one open interval."""
        return tuple(int(d) for d in np.flatnonzero(self.slots.any(axis=1)))

    @property
    def intervals_per_week(self):
        """Open intervals in a regular week. [count]"""
        return int(self.slots.sum())

    def hours(self):
        """
        Opening hours of each open weekday as a table.

        Returns
        -------
        DataFrame
            Indexed by weekday name: ``open`` and ``close`` (first interval's
            start and last interval's end, "HH:MM") and ``intervals`` (open
            intervals that day); a weekday with a break in its hours shows
            the first opening and the last closing.
        """
        rows = {}
        for day in self.open_days:
            idx = np.flatnonzero(self.slots[day])
            rows[_WEEKDAYS[day]] = {"open": _fmt_seconds(idx[0] * self.interval),
                                    "close": _fmt_seconds((idx[-1] + 1) * self.interval),
                                    "intervals": int(idx.size)}
        return pd.DataFrame.from_dict(rows, orient="index", columns=["open", "close", "intervals"])

    def day_slots(self, date):
        """Open-slot mask of one date: its special hours, its weekday's hours, or none when closed."""
        date = pd.Timestamp(date).normalize()
        special = self.special.get(date)
        if special is not None and special[0] == 0:
            return np.zeros(self.slots.shape[1], dtype=bool)
        if date in self.closed:
            return np.zeros(self.slots.shape[1], dtype=bool)
        if special is not None and special[1] is not None:
            return special[1]
        return self.slots[date.day_of_week]

    def factor(self, dates):
        """Volume factor of each date: the special day's factor, else 1."""
        dates = pd.DatetimeIndex(dates)
        return np.array([self.special.get(d, (1.0, None))[0] for d in dates], dtype=float)

    def is_open(self, index):
        """True where a timestamp of ``index`` falls in an open interval of this calendar."""
        date, weekday, slot = slot_keys(pd.DatetimeIndex(index), self.interval)
        ok = self.slots[weekday, np.clip(slot, 0, self.slots.shape[1] - 1)].copy()
        ok &= ~date.isin(self.closed)
        for day, (factor, hours) in self.special.items():
            on = date == day
            if on.any():
                ok[on] = (factor > 0) & (hours[slot[on]] if hours is not None else ok[on])
        return ok

    def open_dates(self, start, end):
        """Dates from ``start`` to ``end`` (inclusive) with at least one open interval."""
        days = pd.date_range(pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize(), freq="D")
        return days[day_masks(self, days).any(axis=1)]

    def __repr__(self):
        hours = self.hours()
        text = "; ".join(f"{d} {r.open}-{r.close}" for d, r in hours.iterrows())
        return (f"OpenCalendar({self.interval / 60:g}-minute intervals, {self.intervals_per_week} open intervals a "
                f"week: {text}; {len(self.closed)} closed day(s), {len(self.special)} special day(s))")


def _fmt_seconds(seconds):
    seconds = int(seconds)
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def _history_index(history, name="history"):
    if isinstance(history, pd.DatetimeIndex):
        index = history
    elif isinstance(history, (pd.Series, pd.DataFrame)):
        index = history.index
        if not isinstance(index, pd.DatetimeIndex):
            raise TypeError(f"{name} must be on a DatetimeIndex of interval starts; got a {type(index).__name__}.")
    else:
        raise TypeError(f"{name} must be a Series or DataFrame on a DatetimeIndex of interval starts; got "
                        f"{type(history).__name__}.")
    v.check_nonempty(index, name)
    return index


def open_calendar(history, *, open_hours=None, open_days=None, holidays=None, special_days=None,
                  interval=None, until=None):
    """
    The open-interval calendar of a centre, inferred from its history.

    Parameters
    ----------
    history : Series, DataFrame or DatetimeIndex
        Interval history of open intervals only (closed intervals absent).
    open_hours : tuple or dict, optional
        Override the inferred hours: ``("07:00", "21:00")`` for every open
        day, ``"24h"``, or ``{"Sat": ("09:00", "13:00"), ...}`` per weekday
        (weekdays left out keep their inferred hours). Close is exclusive:
        ``"21:00"`` makes 20:30 the last 30-minute interval.
    open_days : sequence, optional
        Override the inferred open weekdays (0-6 or "Mon"-"Sun").
    holidays : str, tuple, holidays.HolidayBase or sequence of dates, optional
        Closed holidays, as in :func:`holiday_dates`. A holiday on which the
        history shows the centre open (say Columbus Day) is taken as a
        working day in every year: only holidays never seen open close the
        centre.
    special_days : dict, optional
        ``{date: value}``: a number is a volume factor (0 closes the day,
        1.2 expects 20% more calls), ``"closed"`` closes it, and
        ``("07:00", "13:00")`` (optionally with a third item, the factor)
        gives that day its own hours.
    interval : float or str, optional
        Interval length, inferred from the history when None. [s]
    until : date-like, optional
        Last date the calendar should cover holidays for; default the
        history's last date plus 400 days.

    Returns
    -------
    OpenCalendar

    Examples
    --------
    The bank is open weekdays 07:00-21:00, and six weekdays are missing:

    >>> from wfm.datasets import bank_calls
    >>> cal = open_calendar(bank_calls("30min"))
    >>> cal.hours()
        open  close  intervals
    Mon  07:00  21:00         28
    Tue  07:00  21:00         28
    Wed  07:00  21:00         28
    Thu  07:00  21:00         28
    Fri  07:00  21:00         28
    >>> cal.closed.strftime("%a %d %b").tolist()
    ['Fri 04 Apr', 'Mon 07 Apr', 'Mon 26 May', 'Fri 04 Jul', 'Mon 01 Sep', 'Tue 14 Oct']
    """
    index = _history_index(history)
    step = (_interval_seconds(v.infer_interval(index, "history"), "the interval of history") if interval is None
            else _interval_seconds(interval))
    date, weekday, slot = slot_keys(index, step)
    n = int(_DAY // step)
    dates = pd.DatetimeIndex(pd.unique(date))
    span = pd.date_range(dates[0], dates[-1], freq="D")
    # an interval is open when present on at least half of the dates of its weekday
    days_per_weekday, _, day_open = weekday_presence(dates)
    counts = np.zeros((7, n))
    np.add.at(counts, (weekday, np.clip(slot, 0, n - 1)), 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        slots = counts >= 0.5 * np.maximum(days_per_weekday, 1)[:, None]
    if open_days is not None:
        wanted = {_WEEKDAYS.index(d) for d in open_day_names(open_days)}
        for d in wanted:
            if not day_open[d] and open_hours is None and not slots[d].any():
                # a weekday the history never saw: give it the hours of the open weekdays
                slots[d] = slots[day_open].any(axis=0) if day_open.any() else True
        day_open = np.isin(np.arange(7), sorted(wanted))
    slots &= day_open[:, None]
    if open_hours is not None:
        if isinstance(open_hours, dict):
            for key, hours in open_hours.items():
                d = _weekday(key, "open_hours")
                slots[d] = _hours_to_slots(hours, step, f"open_hours[{key!r}]")
        else:
            mask = _hours_to_slots(open_hours, step, "open_hours")
            for d in range(7):
                if day_open[d]:
                    slots[d] = mask
    end = pd.Timestamp(until).normalize() if until is not None else span[-1] + pd.Timedelta(days=400)
    if end.tz is not None:
        end = end.tz_localize(None)
    present = pd.DatetimeIndex(dates)
    missing = span[slots[span.day_of_week].any(axis=1) & ~span.isin(present)]
    names = pd.Series([], dtype=object)
    closed = missing
    if holidays is not None:
        names = holiday_dates(holidays, span[0], max(end, span[-1]))
        seen_open = set(names[names.index.isin(present)].to_numpy()) - {""}
        shut = names[~names.isin(seen_open) & ~names.index.isin(present)]
        closed = closed.union(pd.DatetimeIndex(shut.index))
    special = _special_days(special_days, step)
    shut_special = [d for d, (f, _) in special.items() if f == 0]
    if shut_special:
        closed = closed.union(pd.DatetimeIndex(shut_special))
    return OpenCalendar(interval=step, slots=slots, closed=pd.DatetimeIndex(closed, name="date"),
                        special=special, holidays=names, tz=index.tz)


def future_intervals(history, days=5, *, open_hours=None, open_days=None, holidays=None, special_days=None,
                     start=None, calendar=None):
    """
    Open intervals of the next open days after a history ends.

    Parameters
    ----------
    history : Series, DataFrame or DatetimeIndex
        Interval history of open intervals; its calendar (open days and
        hours) is inferred, as in :func:`open_calendar`.
    days : int
        Open days to cover. A day counts when it has at least one open
        interval at or after ``start``. [days]
    open_hours, open_days, holidays, special_days
        Overrides and closures, as in :func:`open_calendar`. Closed days are
        skipped: they are not forecast at all (zero volume is not the same
        as closed).
    start : timestamp, optional
        First instant to include; default the end of the history's last
        interval. Must not fall before it.
    calendar : OpenCalendar, optional
        A calendar already built; the overrides above are then ignored.

    Returns
    -------
    DatetimeIndex
        Interval starts, named ``"timestamp"``, in the history's time zone.
        On a time-zone-aware index each day keeps its local clock: a 24/7
        centre has 46 half-hours on the spring change day and 50 on the
        autumn one.

    Examples
    --------
    The bank's record ends on Friday 24 October 2003; the next five open
    days are 27 to 31 October, 28 half-hours each:

    >>> from wfm.datasets import bank_calls
    >>> future = future_intervals(bank_calls("30min"), days=5)
    >>> len(future), future[0], future[-1]
    (140, Timestamp('2003-10-27 07:00:00'), Timestamp('2003-10-31 20:30:00'))

    With US holidays, Veterans Day (Tuesday 11 November) is skipped, while
    Columbus Day stays open because the bank worked on it in 2003:

    >>> future = future_intervals(bank_calls("30min"), days=12, holidays="US")
    >>> future.normalize().unique()[-3:].strftime("%a %d %b").tolist()
    ['Fri 07 Nov', 'Mon 10 Nov', 'Wed 12 Nov']
    """
    days = v.check_count(days, "days", unit="open days")
    index = _history_index(history)
    if calendar is None:
        calendar = open_calendar(index, open_hours=open_hours, open_days=open_days, holidays=holidays,
                                 special_days=special_days)
    step = calendar.interval
    end_of_history = index.max() + pd.Timedelta(seconds=step)
    if start is None:
        start = end_of_history
    else:
        start = pd.Timestamp(start)
        if index.tz is not None and start.tz is None:
            start = start.tz_localize(index.tz)
        if (start.tz is None) != (index.tz is None):
            raise ValueError(v.mixed_clocks(f"start ({start})", start.tz, "the history's index", index.tz,
                                            f"give start as the history's local time, e.g. '{start:%Y-%m-%d %H:%M}'"))
        if start < end_of_history:
            raise v.future_before_history("start", start, index.max(), step)
    return _open_intervals_from(calendar, start, days, index.tz)


def _open_intervals_from(calendar, start, days, tz):
    first_day = wall_clock(pd.DatetimeIndex([start]))[0].normalize()
    return open_intervals_from(calendar, start, days, tz, first_day)


# --------------------------------------------------------------------------
# Resampling between interval lengths.
# --------------------------------------------------------------------------


def resample(history, freq, *, partial="drop"):
    """
    Move interval history to another interval length: 5, 15, 30 or 60 minutes.

    Going coarser sums the calls of the finer intervals inside each coarse
    one (and handle time; AHT becomes the call-weighted mean). Going finer
    spreads each interval's calls evenly over its sub-intervals, keeping the
    totals and the AHT (a flat shape within the coarse interval is all the
    data can say).

    Parameters
    ----------
    history : Series or DataFrame
        Calls per interval (a Series), or a DataFrame with a ``calls``
        column and optionally ``aht`` [s] or ``handle_time`` [s per
        interval], on a DatetimeIndex of open intervals.
    freq : {"5min", "15min", "30min", "60min"} or seconds
        Target interval length.
    partial : {"drop", "keep", "scale"}
        What to do with a coarse interval that only some of its finer
        intervals reach, such as the bank's last slot 21:00-21:05 at 30
        minutes, or an hour cut by the opening time: ``"drop"`` leaves it
        out (the default; the counts of the dropped intervals are lost),
        ``"keep"`` keeps the sum of what is there, and ``"scale"``
        multiplies that sum up to the full interval (assuming a flat rate).
        Ignored when going finer.

    Returns
    -------
    Series or DataFrame
        The same kind as ``history``, on the new intervals.

    Examples
    --------
    >>> from wfm.datasets import bank_calls
    >>> five = bank_calls("5min")
    >>> half_hours = resample(five, "30min")
    >>> half_hours.equals(bank_calls("30min").astype(float))
    True
    >>> len(resample(five, "30min", partial="keep")) - len(half_hours)
    164
    >>> resample(half_hours.iloc[:2], "15min").tolist()
    [280.0, 280.0, 304.5, 304.5]
    """
    v.check_choice(partial, "partial", ("drop", "keep", "scale"))
    index = _history_index(history)
    target = _interval_seconds(freq, "freq")
    source = _interval_seconds(v.infer_interval(index, "history"), "the interval of history")
    frame = history.to_frame("calls") if isinstance(history, pd.Series) else history.copy()
    if "calls" not in frame.columns:
        raise ValueError(f"history must have a 'calls' column to resample; got columns {list(frame.columns)}.")
    calls = v.as_float_array(frame["calls"], "calls", index=index)
    handle = None
    if "handle_time" in frame.columns:
        handle = v.as_float_array(frame["handle_time"], "handle_time", index=index)
    elif "aht" in frame.columns:
        aht = frame["aht"].to_numpy(dtype=float)
        handle = np.where(calls > 0, np.nan_to_num(aht) * calls, 0.0)
    if target == source:
        out = frame.astype(float)
    elif target > source:
        if target % source:
            raise ValueError(f"freq of {target:g} s is not a whole number of the history's {source:g}-second "
                             "intervals; pick a multiple.")
        wall = wall_clock(index)
        keys = wall.floor(pd.Timedelta(seconds=target))
        codes, labels = pd.factorize(keys, sort=True)
        sums = np.bincount(codes, weights=calls, minlength=len(labels))
        present = np.bincount(codes, minlength=len(labels))
        full = int(target // source)
        data = {"calls": sums}
        if handle is not None:
            hsum = np.bincount(codes, weights=handle, minlength=len(labels))
            data["handle_time"] = hsum
        out = pd.DataFrame(data, index=pd.DatetimeIndex(labels))
        if partial == "drop":
            out = out[present == full]
        elif partial == "scale":
            factor = full / present
            out = out.mul(factor, axis=0)
        if index.tz is not None:
            out.index = out.index.tz_localize(index.tz, ambiguous="infer", nonexistent="shift_forward")
    else:
        if source % target:
            raise ValueError(f"freq of {target:g} s does not split the history's {source:g}-second intervals "
                             "evenly; pick a divisor.")
        k = int(source // target)
        offsets = pd.to_timedelta(np.arange(k) * target, unit="s")
        new_index = (index.repeat(k) + np.tile(offsets, len(index)))
        data = {"calls": np.repeat(calls / k, k)}
        if handle is not None:
            data["handle_time"] = np.repeat(handle / k, k)
        out = pd.DataFrame(data, index=new_index)
    if handle is not None and "aht" in frame.columns and "handle_time" not in frame.columns:
        with np.errstate(invalid="ignore", divide="ignore"):
            out["aht"] = np.where(out["calls"] > 0, out["handle_time"] / out["calls"], np.nan)
        out = out.drop(columns="handle_time")
    out.index.name = index.name or "timestamp"
    if isinstance(history, pd.Series):
        return out["calls"].rename(history.name)
    return out


def by_time_of_day(index, profile, name="profile"):
    """
    Values per interval from a time-of-day profile: each interval takes the value of the latest time at or before it.

    Parameters
    ----------
    index : DatetimeIndex
        Interval starts; the local wall clock is read.
    profile : dict
        ``{"HH:MM": value}``, e.g. an AHT profile ``{"07:00": 280, "12:00": 320}``.
    name : str
        What the profile is, for error messages (e.g. ``"aht.profile"``).

    Returns
    -------
    Series
        On ``index``, float.

    Examples
    --------
    >>> idx = pd.date_range("2024-01-01 07:00", periods=4, freq="3h")
    >>> by_time_of_day(idx, {"07:00": 280, "12:00": 320}).tolist()
    [280.0, 280.0, 320.0, 320.0]
    """
    if not isinstance(profile, dict) or not profile:
        raise TypeError(f"{name} must map clock times 'HH:MM' to values; got {profile!r}.")
    starts = np.array([parse_clock(k, f"{name} key {k!r}") for k in profile])
    values = np.array([float(x) for x in profile.values()])
    order = np.argsort(starts)
    starts, values = starts[order], values[order]
    wall = wall_clock(pd.DatetimeIndex(index))
    seconds = np.asarray((wall - wall.normalize()).total_seconds())
    pos = np.searchsorted(starts, seconds, side="right") - 1
    if len(pos) and pos.min() < 0:
        first = wall[int(np.argmax(pos < 0))]
        raise ValueError(f"{name} starts at {min(profile, key=lambda k: parse_clock(k, name))} but the horizon has "
                         f"an interval at {first:%H:%M}; add a time at or before it.")
    return pd.Series(values[pos], index=index, dtype=float)
