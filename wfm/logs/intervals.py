r"""
From a contact log to interval history on the open calendar, with the callers' patience.

Every contact counts in the interval it arrived in (its arrival floored to
the interval on the local wall clock), so a call that arrives at 23:59:50
and is answered at 00:00:05 belongs to the 23:30 interval of its own day and
opens no interval after midnight. Open intervals without a contact are
there with zero contacts; closed intervals are absent, as everywhere in wfm.

Patience
--------
A queued caller either abandons after waiting its patience or is answered
first, which censors its patience at the wait. With exponential patience of
rate :math:`\theta` (mean :math:`1/\theta`, the Erlang A model), the
log-likelihood of :math:`d` abandons and a total wait :math:`W` of every
caller (answered or not) is :math:`d \log\theta - \theta W`, so the maximum
likelihood estimate of the mean patience is :math:`W / d` [1]_ [2]_. Its
confidence interval takes :math:`d` as a Poisson count on the exposure
:math:`W` (exact, Garwood [3]_): :math:`\theta \in [\chi^2_{2d,\alpha/2} /
2W,\ \chi^2_{2d+2,1-\alpha/2} / 2W]`, inverted for the mean.

References
----------
.. [1] D. R. Cox and D. Oakes, "Analysis of Survival Data", Chapman and
   Hall, 1984, section 3.2 (exponential distribution, censored data).
.. [2] L. Brown, N. Gans, A. Mandelbaum, A. Sakov, H. Shen, S. Zeltyn and
   L. Zhao, "Statistical analysis of a telephone call center: a
   queueing-science perspective", Journal of the American Statistical
   Association 100(469), 36-50, 2005 (patience from censored waits).
.. [3] F. Garwood, "Fiducial limits for the Poisson distribution",
   Biometrika 28(3/4), 437-442, 1936.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from .. import _validation as v
from .._results import Result, interval_axis
from . import _parse as lp

__all__ = ["interval_history", "patience_estimate", "IntervalHistory", "patience_text"]

_NEEDED = ("arrival", "answered", "abandoned", "wait")


@dataclass(frozen=True)
class IntervalHistory(Result):
    """
    Interval history built from a contact log by :func:`interval_history`.

    Attributes
    ----------
    table : DataFrame
        One row per open interval (DatetimeIndex of interval starts, named
        ``timestamp``): ``calls`` (contacts offered), ``answered``,
        ``abandoned``, ``waiting`` (neither: no agent left to answer)
        [contacts per interval], ``handle_time`` [s per interval], ``aht``
        [s], ``wait_time`` (total wait of every contact) [s per interval],
        ``asa`` (mean wait of the answered) [s], ``answered_within`` and
        ``abandoned_within`` (within ``threshold``) [contacts per interval],
        ``service_level`` and ``abandon_rate`` [0-1]. Rates are NaN where
        their denominator is 0 (no contact offered, none answered).
        ``table[["calls", "aht"]]`` is what the forecasters and staffing
        take.
    patience : DataFrame
        The patience estimate: one row ``"all"`` (or one per hour of day of
        arrival, 0-23): ``patience``, ``lo``, ``hi`` [s] at ``params["level"]``,
        ``abandoned`` (abandons with a wait) [contacts], ``exposure`` (total
        wait) [s] and ``abandoned_no_wait`` (abandons with no abandon or end
        time, so no wait) [contacts]. The estimate is NaN where every abandon
        has no wait: it cannot be estimated (inf only where no caller hung up).
    notes : DataFrame
        Contacts left out (arrivals in closed intervals) and other notes.
    params : dict
        The arguments that built it.
    rejected : DataFrame
        Rows of the log set aside as bad (``on_bad_rows="reject"``), as
        read, with their ``line`` (or ``row``) and ``reason``; empty
        otherwise.
    """

    table: pd.DataFrame
    patience: pd.DataFrame
    notes: pd.DataFrame = field(default_factory=lambda: lp.notes_frame([]))
    params: dict = field(default_factory=dict)
    rejected: pd.DataFrame = field(default_factory=pd.DataFrame)

    def figures(self):
        """
        Over the whole log: ``intervals``, ``calls``, ``answered``, ``abandoned``, ``service_level`` and
        ``abandon_rate`` [0-1] (over every contact), ``asa`` and ``aht`` [s], and with one patience estimate
        ``patience`` [s] with its bounds ``patience_lo`` and ``patience_hi``.
        """
        t = self.table
        calls, answered = t["calls"].sum(), t["answered"].sum()
        base = calls - (t["abandoned_within"].sum() if self.params.get("sl_definition") ==
                        "exclude_short_abandons" else 0.0)
        row = self.patience.iloc[0] if len(self.patience) == 1 else None
        figures = {
            "intervals": len(t),
            "calls": calls, "answered": answered, "abandoned": t["abandoned"].sum(),
            "service_level": t["answered_within"].sum() / base if base > 0 else np.nan,
            "abandon_rate": t["abandoned"].sum() / calls if calls > 0 else np.nan,
            "asa": (t["asa"] * t["answered"]).sum() / answered if answered > 0 else np.nan,
            "aht": t["handle_time"].sum() / answered if answered > 0 else np.nan,
        }
        if row is not None:
            figures.update(patience=row["patience"], patience_lo=row["lo"], patience_hi=row["hi"])
        return {k: (val if k == "intervals" else float(val)) for k, val in figures.items()}

    def sheets(self):
        return {"intervals": self.table, "patience": self.patience, "notes": self.notes}

    def plot(self, ax=None, **kwargs):
        """Contacts offered per interval (bars) and the service level (line); returns the Axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(11, 4))
        t = self.table
        x = np.arange(len(t))
        ax.bar(x, t["calls"], width=1.0, color="0.8", label="contacts offered", **kwargs)
        ax.set_ylabel("contacts per interval")
        ax2 = ax.twinx()
        ax2.step(x, t["service_level"], where="mid", color="C0", label="service level")
        ax2.set_ylim(0, 1.02)
        ax2.set_ylabel("fraction of offered")
        interval_axis(ax, t.index)
        ax.set_title(f"Interval history of a contact log: {len(t)} open intervals, service level within "
                     f"{self.params['threshold']:g} s")
        return ax

    def __repr__(self):
        s = self.figures()
        text = (f"IntervalHistory: {len(self.table)} open {self.params['freq']} intervals, {s['calls']:,.0f} "
                f"contacts, service level {s['service_level']:.1%}, abandon rate {s['abandon_rate']:.1%}")
        if "patience" in s:
            text += ", " + patience_text(self.patience.iloc[0], level=self.params["level"])
        return text

    def _repr_html_(self):
        return (f"<h4>{repr(self)}</h4>" + self.summary().to_html(float_format=lambda x: f"{x:,.4g}")
                + self.patience.to_html(float_format=lambda x: f"{x:,.1f}")
                + self.table.head(20).to_html(float_format=lambda x: f"{x:.3f}"))


def patience_text(row, *, label="patience", level=0.95):
    """
    One line on a patience estimate (a row of :attr:`IntervalHistory.patience` or the dict of
    :func:`patience_estimate`): the figure and its interval, or why there is none; never 'inf s' or 'nan s'.

    Examples
    --------
    >>> patience_text(patience_estimate([30, 60, 10, 100], [False, True, False, True]))
    'patience: 100 s (95% 28-826 s; 2 abandons over 0.1 h waited)'
    >>> patience_text(patience_estimate([30, np.nan, 10], [False, True, False]))
    "patience: not estimated: none of the 1 abandon(s) has a wait (no abandon or end time, no wait column); map the time callers hung up, columns={'abandon': 'YourColumn'}, or their waits, columns={'wait': 'YourColumn'}"
    """
    waited = f"{row['exposure'] / 3600:,.1f} h waited"
    if np.isnan(row["patience"]):
        if row.get("abandoned_no_wait", 0) > 0:
            return (f"{label}: not estimated: none of the {row['abandoned_no_wait']:.0f} abandon(s) has a wait (no "
                    "abandon or end time, no wait column); map the time callers hung up, "
                    f"{lp.option('columns', {'abandon': 'YourColumn'})}, or their waits, "
                    f"{lp.option('columns', {'wait': 'YourColumn'})}")
        return f"{label}: not estimated: no caller waited"
    if np.isinf(row["patience"]):
        return (f"{label}: no caller hung up over {waited}, so no finite estimate (at least {row['lo']:.0f} s at "
                f"{level:.0%})")
    return (f"{label}: {row['patience']:.0f} s ({level:.0%} {row['lo']:.0f}-{row['hi']:.0f} s; "
            f"{row['abandoned']:.0f} abandons over {waited})")


def patience_estimate(wait, abandoned, *, level=0.95):
    r"""
    Mean patience of callers from their waits: the exponential MLE under censoring, with its confidence interval.

    Parameters
    ----------
    wait : array-like
        Time each caller waited in the queue: until answered (a censored
        patience) or until it hung up (its patience). NaN waits are left
        out: of callers still waiting, or of abandons whose time of hanging
        up is not known (counted in ``abandoned_no_wait``). [s]
    abandoned : array-like of bool
        Whether each caller hung up before an answer.
    level : float
        Coverage of the interval. [0-1]

    Returns
    -------
    dict
        ``patience`` (total wait / abandons), ``lo``, ``hi`` [s],
        ``abandoned`` [contacts], ``exposure`` (total wait) [s] and
        ``abandoned_no_wait`` [contacts]. With no abandon the estimate and
        ``hi`` are inf (no caller hung up); with abandons none of which has a
        wait, or with no wait at all, all three are NaN: patience cannot be
        estimated.

    References
    ----------
    See the module docstring: Cox and Oakes (1984), Brown et al. (2005),
    Garwood (1936).

    Examples
    --------
    Four callers waited 30, 60, 10 and 100 s; two of them hung up. The
    estimate is 200 s / 2 = 100 s:

    >>> est = patience_estimate([30, 60, 10, 100], [False, True, False, True])
    >>> round(est["patience"], 1), round(est["lo"], 1), round(est["hi"], 1)
    (100.0, 27.6, 825.8)
    """
    wait = np.asarray(wait, dtype=float)
    gone = np.asarray(abandoned, dtype=bool)
    lvl = v.check_level_fraction(level)
    ok = ~np.isnan(wait)
    d = float(gone[ok].sum())
    w = float(wait[ok].sum())
    return _patience(np.array([d]), np.array([w]), lvl, np.array([float((gone & ~ok).sum())]))


def _patience(d, w, level, lost):
    """Vectorised estimate over groups: arrays of abandons with a wait, exposures and abandons with no wait -> dict
    of arrays (or floats). NaN where every abandon has no wait: the data cannot say how patient callers are."""
    alpha = 1 - level
    with np.errstate(divide="ignore", invalid="ignore"):
        est = np.where(d > 0, w / np.where(d > 0, d, 1), np.where(w > 0, np.inf, np.nan))
        rate_lo = np.where(d > 0, stats.chi2.ppf(alpha / 2, 2 * np.maximum(d, 1)) / (2 * w), 0.0)
        rate_hi = stats.chi2.ppf(1 - alpha / 2, 2 * d + 2) / (2 * w)
        lo = np.where(w > 0, 1 / rate_hi, np.nan)
        hi = np.where(w > 0, np.where(rate_lo > 0, 1 / rate_lo, np.inf), np.nan)
    unknown = (d == 0) & (lost > 0)
    est, lo, hi = (np.where(unknown, np.nan, x) for x in (est, lo, hi))
    out = {"patience": est, "lo": lo, "hi": hi, "abandoned": d, "exposure": w, "abandoned_no_wait": lost}
    if d.size == 1:
        return {k: float(x[0]) for k, x in out.items()}
    return out


def interval_history(contacts, freq="30min", *, threshold=20, calendar=None, open_hours=None, open_days=None,
                     patience_by=None, level=0.95, sl_definition="offered", **read_options):
    """
    Interval history of a contact log on its open calendar: offered, answered, abandoned, AHT, waits, service level and the callers' patience.

    Parameters
    ----------
    contacts : DataFrame or path
        A contact log as :func:`wfm.logs.read_contacts` returns it (or a
        simulated one, ``wfm.simulate(...).contacts`` of one replication);
        anything else is read with :func:`~wfm.logs.read_contacts` and
        ``read_options`` first.
    freq : str or float
        Interval length, e.g. ``"30min"`` or 1800. [s]
    threshold : float
        Answer-time target of the service level. [s]
    calendar : OpenCalendar or DatetimeIndex, optional
        The open calendar, or the exact open intervals. By default the
        calendar is inferred from the intervals that received a contact (as
        :func:`wfm.calendar.open_calendar` does), with ``open_hours`` and
        ``open_days`` as overrides.
    open_hours, open_days : optional
        Overrides of the inferred calendar.
    patience_by : {None, "hour"}
        One patience estimate for the whole log, or one per hour of day of
        arrival.
    level : float
        Coverage of the patience interval. [0-1]
    sl_definition : {"offered", "exclude_short_abandons"}
        Service level over all contacts offered, or over those less the ones
        that abandoned within ``threshold`` (as in :func:`wfm.service_level`).
    **read_options
        Passed to :func:`~wfm.logs.read_contacts` when ``contacts`` needs
        reading (``columns``, ``outcomes``, ``dayfirst``, ``exclude``,
        ``fallback``, ``on_bad_rows``, ...).

    Returns
    -------
    IntervalHistory
        ``.table`` per open interval, ``.patience``, ``.notes``, ``.params``.
        Contacts that arrived in a closed interval are left out and counted
        in ``.notes`` (with a :class:`~wfm.logs.DataWarning`).

    Raises
    ------
    ValueError
        When ``calendar`` is on another clock than the log (naive against a
        time zone) or another grid than ``freq``: its arrivals would all be
        left out as closed.

    Warns
    -----
    UnitWarning
        When the patience estimate is under 5 s.
    PlausibilityWarning
        When an interval's ASA is over an hour (naming the intervals), and
        the reader's warnings (placeholder times, waits of hours, abandons
        that waited 0 s, arrivals after now).

    Examples
    --------
    A simulated morning: the history gives back the simulator's own counts.

    >>> import wfm
    >>> idx = pd.date_range("2024-01-01 08:00", periods=6, freq="30min")
    >>> sim = wfm.simulate(pd.Series(60.0, index=idx), 240, 8, patience=120, seed=3)
    >>> hist = interval_history(sim.contacts, "30min", calendar=idx)
    >>> bool((hist.table["calls"] == sim.intervals["offered"]).all())
    True
    >>> bool((hist.table["service_level"] == sim.intervals["service_level"]).all())
    True
    >>> p = hist.patience.loc["all"]
    >>> bool(p["lo"] < 120 < p["hi"])
    True
    """
    from .._calendar_days import days_intervals
    from ..calendar import _interval_seconds, open_calendar, wall_clock

    step = _interval_seconds(freq, "freq")
    t = float(threshold)
    v.check_nonnegative(np.asarray(t), "threshold", "seconds")
    v.warn_implausible(t, "threshold", stacklevel=3)
    v.check_choice(sl_definition, "sl_definition", ("offered", "exclude_short_abandons"))
    v.check_choice(patience_by, "patience_by", (None, "hour"))
    lvl = v.check_level_fraction(level)
    log = _as_log(contacts, read_options)
    read_notes = list(log.attrs.get("notes", lp.notes_frame([])).itertuples(index=False, name=None))
    notes = []
    arrival = pd.DatetimeIndex(log["arrival"])
    if len(arrival) == 0:
        raise ValueError("contacts is empty: no contact to build an interval history from.")
    # interval of each arrival on the local wall clock (offsets in whole multiples of freq keep this exact)
    _check_calendar(calendar, arrival, step, freq)
    delta = pd.Timedelta(seconds=step)
    key = (arrival.tz_convert("UTC").floor(delta).tz_convert(arrival.tz) if arrival.tz is not None
           else arrival.floor(delta))
    if isinstance(calendar, pd.DatetimeIndex):
        expected = calendar
    else:
        present = pd.DatetimeIndex(pd.unique(key)).sort_values()
        cal = calendar if calendar is not None else open_calendar(present, open_hours=open_hours,
                                                                  open_days=open_days, interval=step)
        days = cal.open_dates(wall_clock(present)[0].normalize(), wall_clock(present)[-1].normalize())
        expected = days_intervals(cal, days, arrival.tz) if len(days) else present[:0]
    expected = pd.DatetimeIndex(expected).sort_values()
    pos = expected.get_indexer(key)
    outside = pos < 0
    if outside.any():
        first = ", ".join(str(x) for x in pd.unique(arrival[outside])[:3])
        notes.append(("contacts", int(outside.sum()), f"arrived in an interval the open calendar has closed (first "
                      f"{first})", "left out of the interval history"))
    keep = ~outside
    n = len(expected)
    where = pos[keep]
    answered = log["answered"].to_numpy(dtype=bool)[keep]
    abandoned = log["abandoned"].to_numpy(dtype=bool)[keep]
    wait = log["wait"].to_numpy(dtype=float)[keep]
    handle = log["handle"].to_numpy(dtype=float)[keep] if "handle" in log.columns else None

    def count(mask, weights=None):
        w = mask if weights is None else np.where(mask, weights, 0.0)
        return np.bincount(where, weights=w, minlength=n).astype(float)

    calls = np.bincount(where, minlength=n).astype(float)
    ans = count(answered)
    aban = count(abandoned)
    within = count(answered & (wait <= t))
    short = count(abandoned & (wait < t))
    wait_answered = count(answered, wait)
    base = calls - short if sl_definition == "exclude_short_abandons" else calls
    with np.errstate(divide="ignore", invalid="ignore"):
        table = pd.DataFrame({
            "calls": calls, "answered": ans, "abandoned": aban, "waiting": calls - ans - aban,
            "handle_time": count(answered, handle) if handle is not None else np.nan,
            "aht": np.nan,
            "wait_time": count(~np.isnan(wait), wait),
            "asa": np.where(ans > 0, wait_answered / ans, np.nan),
            "answered_within": within, "abandoned_within": short,
            "service_level": np.where(base > 0, within / base, np.nan),
            "abandon_rate": np.where(calls > 0, aban / calls, np.nan),
        }, index=pd.DatetimeIndex(expected, name="timestamp"))
        table["aht"] = np.where(ans > 0, table["handle_time"] / ans, np.nan)
    # patience: abandons over the total wait of every caller, overall or per hour of arrival
    ok = ~np.isnan(wait)
    if patience_by == "hour":
        hour = np.asarray(wall_clock(arrival[keep]).hour)[ok]
        d = np.bincount(hour, weights=abandoned[ok].astype(float), minlength=24)
        w = np.bincount(hour, weights=wait[ok], minlength=24)
        seen = np.bincount(hour, minlength=24) > 0
        lost = np.bincount(np.asarray(wall_clock(arrival[keep]).hour)[~ok],
                           weights=abandoned[~ok].astype(float), minlength=24)
        seen |= lost > 0
        est = _patience(d[seen], w[seen], lvl, lost[seen])
        patience = pd.DataFrame(est, index=pd.Index(np.flatnonzero(seen), name="hour"))
    else:
        est = _patience(np.array([float(abandoned[ok].sum())]), np.array([float(wait[ok].sum())]), lvl,
                        np.array([float(abandoned[~ok].sum())]))
        patience = pd.DataFrame([est], index=pd.Index(["all"], name="group"))
    v.warn_implausible(patience["patience"].to_numpy(), "the patience estimate", "patience", stacklevel=3)
    lost, gone = int(abandoned[~ok].sum()), int(abandoned.sum())
    if 0 < lost < gone:  # all of them: the estimate is NaN and says why
        warnings.warn(f"{lost} of the {gone} abandons have no wait (no abandon or end time): the patience estimate "
                      "leaves them out but keeps the waits of every other caller, so it runs high. Map the time "
                      f"callers hung up ({lp.option('columns', {'abandon': 'YourColumn'})}) or give their waits "
                      f"({lp.option('columns', {'wait': 'YourColumn'})}).", lp.PlausibilityWarning, stacklevel=2)
    from ._plausible import warn_asa

    warn_asa(table["asa"].to_numpy(), table.index, stacklevel=3)
    if handle is not None and ans.sum() > 0:
        v.warn_implausible(table["handle_time"].sum() / ans.sum(), "the log's AHT", "aht", stacklevel=3)
    if notes:  # the reader's own notes were reported when the log was read
        warnings.warn(lp.data_note_text(lp.notes_frame(notes)), lp.DataWarning, stacklevel=2)
    notes = lp.notes_frame(read_notes + notes)
    params = dict(freq=freq, interval=step, threshold=t, level=lvl, sl_definition=sl_definition,
                  patience_by=patience_by, calendar="given" if calendar is not None else "inferred",
                  open_hours=open_hours, open_days=open_days)
    rejected = log.attrs.get("rejected")
    return IntervalHistory(table, patience, notes, params, rejected if rejected is not None else pd.DataFrame())


def _check_calendar(calendar, arrival, step, freq):
    """
    Refuse a given calendar on another clock or grid than the log's: every arrival off it would be left out as
    arrived in a closed interval, which is not what happened.

    A naive calendar with a log in a time zone (or the other way round) matches no arrival; a calendar of intervals
    of another length than ``freq`` (or not on its grid) matches a part of them. Calendars in two different zones
    compare as instants, so they pass.
    """
    if calendar is None:
        return
    length = pd.Timedelta(seconds=step)
    if not isinstance(calendar, pd.DatetimeIndex):
        if float(calendar.interval) != step:
            raise ValueError(f"freq is {v._fmt_td(length)} ({step:g} s) but the calendar's intervals are "
                             f"{v._fmt_td(pd.Timedelta(seconds=float(calendar.interval)))}: arrivals would be "
                             "counted on one grid and looked up on the other. Pass freq equal to the calendar's "
                             "interval, or a calendar built with that interval.")
        return
    if (arrival.tz is None) != (calendar.tz is None):  # as v.check_same_clock: two zones compare as instants
        zone = arrival.tz or calendar.tz
        fix = (f'calendar=calendar.tz_localize("{zone}") if its times are {zone} times' if calendar.tz is None else
               f"pass {v.option('tz', str(zone))} (the log's times are then read as {zone} times), or "
               "calendar=calendar.tz_localize(None) for its local times without the zone")
        raise ValueError(v.mixed_clocks("the log (contacts)", arrival.tz, "calendar", calendar.tz, fix,
                                        why=", so no arrival would fall in an open interval of the calendar"))
    stamps = calendar.tz_convert("UTC") if calendar.tz is not None else calendar
    off = stamps != stamps.floor(length)
    grid = None
    if len(calendar) > 1 and not off.any():
        try:
            grid = v.infer_interval(calendar.sort_values(), "calendar")
        except ValueError:
            grid = None
    if off.any() or (grid is not None and grid != step):
        what = (f"its intervals are {v._fmt_td(pd.Timedelta(seconds=grid))} long" if grid is not None and not
                off.any() else f"{int(off.sum())} of its {len(calendar)} timestamps are not on the {v._fmt_td(length)} "
                f"grid (first {v._fmt_label(calendar[off][0])})")
        raise ValueError(f"freq is {freq!r} ({step:g} s) but calendar does not match it: {what}. Every arrival "
                         "in a part of an interval the calendar does not list would be left out of the history as "
                         "'closed'. Pass freq equal to the calendar's interval length"
                         + (f" (freq={v._fmt_td(pd.Timedelta(seconds=grid))!r})" if grid is not None else "")
                         + f", or a calendar of {v._fmt_td(length)} interval starts (e.g. pd.date_range(..., "
                         f"freq={v._fmt_td(length)!r})).")


def _as_log(contacts, read_options):
    """The contact log in canonical form: as given when already read, else through read_contacts."""
    ready = (isinstance(contacts, pd.DataFrame) and all(c in contacts.columns for c in _NEEDED)
             and pd.api.types.is_datetime64_any_dtype(contacts["arrival"].dtype)
             and contacts["answered"].dtype == bool and contacts["abandoned"].dtype == bool and not read_options)
    if not ready:
        from .contacts import read_contacts

        return read_contacts(contacts, **read_options)
    if "replication" in contacts.columns and contacts["replication"].nunique() > 1:
        raise ValueError("contacts holds several simulation replications; build the history of one, e.g. "
                         "contacts[contacts['replication'] == 0].")
    order = contacts["arrival"].to_numpy()
    if len(order) > 1 and (order[1:] < order[:-1]).any():
        contacts = contacts.sort_values("arrival", kind="stable")
    return contacts
