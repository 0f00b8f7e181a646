"""
Read interval reports exported by an ACD or a WFM tool: one row per interval (and queue).

An interval report gives, per interval, the contacts offered and usually the
answered and abandoned ones, the handle time (as an average or a total) and
the counts a service level is computed from. The interval start is a
timestamp, or a date and a clock time in two columns (``Date`` and
``Interval`` = ``"08:00"`` or ``"08:00 - 08:30"``). Nothing is guessed: a
date that reads both day-first and month-first needs ``dayfirst`` or
``date_format``, and a missing interval inside the open hours is an error
until ``missing=`` says what it means (see :func:`wfm.logs.fill_missing`).
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd

from .. import _validation as v
from . import _parse as lp
from . import _plausible, _rows
from .tables import read_table

__all__ = ["read_history", "HISTORY_ROLES"]

#: The columns an interval report may have: role -> meaning (the keyword arguments of :func:`read_history`).
HISTORY_ROLES = {
    "timestamp": "interval start (date and time in one column)",
    "date": "date of the interval, with its start in the time column",
    "time": "interval start on the clock ('08:00', or a range '08:00 - 08:30')",
    "queue": "queue, skill or split (a report of several queues)",
    "calls": "contacts offered [calls per interval]",
    "answered": "contacts answered [calls per interval]",
    "abandoned": "contacts abandoned [calls per interval]",
    "aht": "average handle time [s]",
    "handle_time": "total handle time of the interval [s]",
    "answered_within": "contacts answered within the service-level threshold [calls per interval]",
    "abandoned_within": "contacts abandoned within the threshold [calls per interval]",
}
_COUNTS = ("calls", "answered", "abandoned", "answered_within", "abandoned_within")


def read_history(source, *, columns=None, timestamp="timestamp", calls="calls", date=None, time=None,
                 answered=None, abandoned=None, aht=None, handle_time=None, answered_within=None,
                 abandoned_within=None, queue=None, interval=None, tz=None, dayfirst=None, date_format=None,
                 sort=False, missing="error", sheet=0, exclude=None, on_bad_rows="error", threshold=None):
    """
    Read and check an interval report: interval starts, contacts offered, and optionally answered, abandoned, AHT or handle time and service-level counts.

    Parameters
    ----------
    source : str, Path or DataFrame
        A CSV (optionally ``.gz``), Excel (``.xlsx``) or Parquet file, or a
        table in memory (see :func:`wfm.logs.read_table`).
    columns : dict, optional
        Role -> column name in ``source``, for any of the roles below (e.g.
        ``{"date": "Date", "time": "Interval", "calls": "Offered"}``); the
        same as passing them one by one.
    timestamp : str
        Column holding each interval's start (date and time). Not read when
        ``date`` and ``time`` are given.
    calls : str
        Column of contacts offered per interval. [calls per interval]
    date, time : str, optional
        Columns of the interval's date and its start on the clock
        (``"08:00"``, ``"8:00:00"`` or a range ``"08:00 - 08:30"``), for
        reports that split them.
    answered, abandoned : str, optional
        Columns of contacts answered and abandoned. [calls per interval]
    aht : str, optional
        Column of average handle time per answered contact. [s] Also read
        when written as durations, ``"h:mm:ss"``, or ``"m:ss"`` where
        hours:minutes would put nearly every value over 2 h (else an error:
        the reading is not guessed).
    handle_time : str, optional
        Column of total handle time per interval; AHT is handle time per
        answered call, ``handle_time / answered``. [s per interval] Give
        ``aht`` or ``handle_time``, not both. Without ``answered`` the only
        divisor is ``calls`` (offered), which counts abandoned calls as
        handled ones: that is refused when the report shows abandons (an
        ``abandoned`` column given, or a column named like answered or
        abandoned calls left unmapped), and otherwise read with a
        :class:`~wfm.logs.DataWarning` saying the AHT is per offered call
        (right only if every call was answered). A column that does not
        grow with the calls answered while being a plausible AHT itself
        holds each interval's average: it is refused, naming ``aht``.
    answered_within, abandoned_within : str, optional
        Columns of contacts answered within the service-level threshold and
        abandoned within it. [calls per interval]
    threshold : float, optional
        The answer-time target those columns count within. [s] When None,
        read from the ``answered_within`` column's name as ``wfm init``
        reads it ("Answered within 30s" is 30 s); a threshold given that
        the name contradicts is an error. Recorded in
        ``.attrs["threshold"]`` (None when neither says).
    queue : str, optional
        Column naming the queue of each row (a report of several queues):
        the result keeps it, one row per queue and interval.
    interval : float or str, optional
        Interval length, e.g. 1800 or ``"30min"``; inferred from the
        timestamps when None. [s]
    tz : str, optional
        Time zone of naive timestamps (they are localised, keeping their
        local clock) or to convert offset-carrying timestamps to.
    dayfirst : bool, optional
        Read numeric dates day-first (``01/10/2003`` is 1 October) or
        month-first. Needed when some date reads both ways; never guessed.
    date_format : str, optional
        strptime format of the timestamp (or date) column, e.g.
        ``"%d/%m/%Y %H:%M"``; every value must match it.
    sort : bool
        Sort rows by time instead of rejecting unsorted rows.
    missing : {"error", "zero", "closed", "interpolate"}
        What an interval missing inside the open hours means (see
        :func:`wfm.logs.fill_missing`); the default stops with the count and
        the first missing intervals.
    sheet : int or str
        Excel sheet to read.
    exclude : str, dict or list, optional
        Rows to leave out before reading, counted in the notes: a dict of
        column -> value(s) (``{"Interval": "Total"}``), or an expression on
        the columns as named in the report (``"Offered == 0 and Answered >
        0"``), as in :func:`wfm.logs.read_contacts`.
    on_bad_rows : {"error", "reject"}
        A row that breaks a rule on its own (a timestamp that does not
        read, a negative count, more answered than offered) is an error
        (default), or is set aside with its reason in
        ``.attrs["rejected"]`` (the rows as read, their ``line`` or
        ``row``, and ``reason``) and counted in the notes. Repeated or
        unsorted intervals stay errors; an interval set aside is then
        missing, and ``missing`` says what that means.

    Returns
    -------
    DataFrame
        Indexed by ``timestamp`` (a DatetimeIndex of interval starts, sorted,
        one row per interval, or per queue and interval with a ``queue``
        column) with float columns ``calls`` and, when given, ``answered``,
        ``abandoned``, ``aht`` [s] (NaN where nothing was answered: no call,
        no handle time), ``answered_within``, ``abandoned_within`` and
        ``service_level`` (``answered_within / calls``, NaN where ``calls``
        is 0) [0-1]. Pass ``frame["calls"]`` to the forecasters.
        ``.attrs["notes"]`` lists what was filled or reported; with
        ``answered_within``, ``.attrs["threshold"]`` is the threshold [s]
        of ``service_level`` (pass it to :func:`wfm.staffing_plan` so the
        plan is set against the same target).

    Raises
    ------
    ValueError, TypeError
        Naming the column, the problem and the rows (0-based positions in the
        table; for files, the line numbers with the header as line 1):
        missing columns, timestamps that do not parse, day/month dates read
        both ways without ``dayfirst``, non-numeric or NaN values, negative
        counts, more answered (or abandoned) than offered, AHT <= 0 where
        there were answered calls, repeated timestamps, unsorted rows (unless
        ``sort``), timestamps off the interval grid (e.g. 09:07 in 15-minute
        data), and intervals missing inside the open hours (unless
        ``missing``).

    Warns
    -----
    UnitWarning
        For an AHT under 20 s or over 2 h (minutes for seconds?) in a few
        rows, and counts with decimals. An AHT under 20 s in (nearly) every
        row (90%) is an error: the column is in minutes.
    PlausibilityWarning
        For intervals dated after now, naming the rows.

    Examples
    --------
    A report with no answered count: every call is taken as answered (the
    AHT is per offered call, and a DataWarning says so):

    >>> table = pd.DataFrame({"Interval": ["2024-03-04 08:00", "2024-03-04 08:30", "2024-03-04 09:00"],
    ...                       "Offered": [12, 18, 25], "HandleSec": [3600, 5400, 7250]})
    >>> read_history(table, timestamp="Interval", calls="Offered", handle_time="HandleSec")
                         calls    aht
    timestamp
    2024-03-04 08:00:00   12.0  300.0
    2024-03-04 08:30:00   18.0  300.0
    2024-03-04 09:00:00   25.0  290.0

    A report with the date and the interval in two columns, day-first:

    >>> report = pd.DataFrame({"Date": ["01/10/2003", "01/10/2003"], "Interval": ["08:00 - 08:30", "08:30 - 09:00"],
    ...                        "Offered": [40, 52], "Answered": [38, 47], "Abandoned": [2, 5],
    ...                        "Talk+ACW (s)": [11400, 14100], "Answered in 20 s": [30, 35]})
    >>> out = read_history(report, columns={"date": "Date", "time": "Interval", "calls": "Offered",
    ...                                     "answered": "Answered", "abandoned": "Abandoned",
    ...                                     "handle_time": "Talk+ACW (s)", "answered_within": "Answered in 20 s"},
    ...                    dayfirst=True)
    >>> out[["calls", "answered", "aht", "service_level"]].round(3)
                         calls  answered    aht  service_level
    timestamp
    2003-10-01 08:00:00   40.0      38.0  300.0          0.750
    2003-10-01 08:30:00   52.0      47.0  300.0          0.673
    >>> read_history(table.iloc[[0, 2, 1]], timestamp="Interval", calls="Offered")
    Traceback (most recent call last):
    ...
    ValueError: column 'Interval' is not sorted by time (a timestamp earlier than the one before) in 1 of 3 rows: ...
    """
    roles = dict(timestamp=timestamp, calls=calls, date=date, time=time, answered=answered, abandoned=abandoned,
                 aht=aht, handle_time=handle_time, answered_within=answered_within,
                 abandoned_within=abandoned_within, queue=queue)
    if columns is not None:
        lp.check_option_keys(columns, "columns", list(HISTORY_ROLES))
        roles.update(columns)
    v.check_choice(missing, "missing", ("error", "zero", "closed", "interpolate"))
    if roles["aht"] is not None and roles["handle_time"] is not None:
        raise ValueError(f"give aht or handle_time, not both; got aht={roles['aht']!r} and "
                         f"handle_time={roles['handle_time']!r}.")
    if (roles["date"] is None) != (roles["time"] is None):
        given, other = ("date", "time") if roles["time"] is None else ("time", "date")
        raise ValueError(f"a {given} column ({roles[given]!r}) needs a {other} column too: give both "
                         f"({lp.option('columns', {'date': 'Date', 'time': 'Interval'})}), or one timestamp "
                         "column.")
    if roles["date"] is not None:
        roles["timestamp"] = None
    frame, rows, source_name = read_table(source, "source", text=True, sheet=sheet)
    wanted = {role: col for role, col in roles.items() if col is not None}
    _check_columns(frame.columns, wanted, source_name)
    if len(frame) == 0:
        raise ValueError(f"{source_name.split(' (')[0]} has a header but no rows; export the report again.")
    notes = []
    _check_divisor(frame, roles, source_name, notes)
    raw = frame
    frame, kept = _rows.exclude_rows(frame, rows, exclude, {}, notes, log="history")
    options = dict(roles=roles, source_name=source_name, tz=tz, dayfirst=dayfirst, date_format=date_format,
                   interval=interval, sort=sort, missing=missing)
    result, rejected = _rows.read_rows(lambda part, part_rows, aside: (_read(part, part_rows, **options), aside),
                                       frame, kept, on_bad_rows, log="history",
                                       raw=raw.iloc[np.searchsorted(rows, kept)] if on_bad_rows == "reject"
                                       else None,
                                       label="row" if isinstance(source, pd.DataFrame) else "line")
    result, aside = result
    notes += aside
    if notes:
        warnings.warn(lp.data_note_text(lp.notes_frame(notes)), lp.DataWarning, stacklevel=2)
        before = result.attrs.get("notes")
        result.attrs["notes"] = pd.concat([lp.notes_frame(notes)] + ([before] if before is not None and len(before)
                                                                     else []), ignore_index=True)
    if on_bad_rows == "reject":
        result.attrs["rejected"] = rejected
    if roles["answered_within"] is not None:
        result.attrs["threshold"] = _within_threshold(roles["answered_within"], threshold)
    return result


#: Names of a column of calls answered within N seconds, as :func:`column_key` reads them ("Answered within 30s",
#: "Ans in 20 sec", "Calls under 15"); ``wfm init`` detects the column and its threshold the same way.
WITHIN_NAME = re.compile(r"^(?:answered|ans|calls)?(?:in|within|under)(\d+)(?:s|sec|secs|seconds)?$")


def threshold_of_column(name):
    """The threshold [s] an "answered within N s" column's name states, or None when it states none."""
    m = WITHIN_NAME.match(column_key(name))
    return int(m.group(1)) if m else None


def _within_threshold(column, threshold):
    """The threshold of the answered_within column: as given (checked against its name), else from its name."""
    named = threshold_of_column(column)
    if threshold is None:
        return None if named is None else float(named)
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float, np.integer, np.floating)) \
            or not 0 < threshold < np.inf:
        raise ValueError(f"threshold must be the answer-time target in seconds, > 0; got {threshold!r}.")
    threshold = float(threshold)
    if named is not None and named != threshold:
        raise ValueError(f"threshold is {threshold:g} s, but the answered_within column {column!r} counts calls "
                         f"answered within {named} s; leave threshold out (it is read from the name) or map the "
                         f"column of {threshold:g} s.")
    return threshold


def _read(frame, rows, *, roles, source_name, tz, dayfirst, date_format, interval, sort, missing):
    """The checks of read_history on the rows kept (an error names the rows that break a rule)."""
    stamps = _interval_starts(frame, roles, rows, tz, dayfirst, date_format)
    _plausible.warn_future(stamps, roles["timestamp"] or roles["date"], rows, stacklevel=6)
    data = {}
    for role in _COUNTS:
        if roles[role] is None:
            continue
        allow = None if role == "calls" else np.zeros(len(frame), dtype=bool)
        data[role] = _numbers(frame[roles[role]], roles[role], rows, allow_nan_where=allow, role=role)
        _nonnegative(data[role], roles[role], rows, "contacts")
        v.warn_implausible(data[role], f"column {roles[role]!r}", "counts", rows=rows, stacklevel=3)
    for role, base in (("answered", "calls"), ("abandoned", "calls"), ("answered_within", "answered"),
                       ("abandoned_within", "abandoned")):
        if role in data and base in data:
            over = data[role] > data[base]
            if over.any():
                raise lp.rows_error(roles[role], f"counts more contacts than {roles[base]!r}", over, rows,
                                    values=data[role],
                                    hint=f"{role.replace('_', ' ')} cannot exceed {base}; check the column "
                                         f"mapping ({lp.option('columns', {role: '...'})}).")
    served = data.get("answered", data["calls"])
    served_name = roles["answered"] or roles["calls"]
    if roles["handle_time"] is not None:
        total = _numbers(frame[roles["handle_time"]], roles["handle_time"], rows, allow_nan_where=served == 0,
                         role="handle_time")
        _nonnegative(total, roles["handle_time"], rows, "seconds")
        bad = (served > 0) & ~(total > 0)
        if bad.any():
            raise lp.rows_error(roles["handle_time"], f"must be > 0 seconds where {served_name!r} has calls", bad,
                                rows, values=total, hint="handle_time is the total handle time of the interval "
                                                         "in seconds.")
        _check_total_not_average(total, served, roles["handle_time"], served_name)
        with np.errstate(invalid="ignore", divide="ignore"):
            data["aht"] = np.where(served > 0, total / np.where(served > 0, served, 1), np.nan)
    elif roles["aht"] is not None:
        from ._text_numbers import aht_durations

        durations = aht_durations(frame[roles["aht"]], roles["aht"], rows)  # '4:24': read when it is certain
        values = _numbers(frame[roles["aht"]] if durations is None else pd.Series(durations), roles["aht"], rows,
                          allow_nan_where=served == 0, role="aht")
        bad = (served > 0) & ~(values > 0)
        if bad.any():
            raise lp.rows_error(roles["aht"], "must be > 0 seconds where there were calls", bad, rows,
                                values=values, hint="aht is the mean handle time per call in seconds.")
        data["aht"] = np.where(served > 0, values, np.nan)
    if "aht" in data:  # minutes for seconds: refused when (nearly) every row is under 20 s, else warned
        v.check_aht_column(data["aht"], f"column {roles['aht']!r}" if roles["aht"] else
                           f"the AHT of column {roles['handle_time']!r} (handle time per answered call)", rows=rows,
                           stacklevel=3)
    if "answered_within" in data:
        with np.errstate(invalid="ignore", divide="ignore"):
            data["service_level"] = np.where(data["calls"] > 0, data["answered_within"] / np.where(
                data["calls"] > 0, data["calls"], 1), np.nan)

    ts_name = roles["timestamp"] or f"{roles['date']}+{roles['time']}"
    keys = pd.DataFrame({"q": frame[roles["queue"]].to_numpy()}) if roles["queue"] else None
    dup = (pd.DataFrame({"q": keys["q"], "t": stamps}).duplicated(keep=False) if keys is not None
           else stamps.duplicated(keep=False))
    dup = np.asarray(dup)
    if dup.any() and keys is None and stamps.tz is None:
        from ._clock_change import looks_like_fall_back, repeated_hour

        start = repeated_hour(stamps, dup)
        if start is not None:
            problem, hint = looks_like_fall_back(start)
            raise lp.rows_error(ts_name, problem, dup, rows, values=stamps, rejectable=False, hint=hint)
    if dup.any():
        raise lp.rows_error(ts_name, "repeats an interval" + (" of the same queue" if keys is not None else ""),
                            dup, rows, values=stamps, rejectable=False,
                            hint="Each interval must appear once" + (" per queue" if keys is not None else "")
                                 + "; sum or drop the repeats first" + ("." if keys is not None else
                                                                         f", or name the queue column "
                                                                         f"({lp.option('columns', {'queue': 'Queue'})})."))
    group = pd.factorize(keys["q"])[0] if keys is not None else np.zeros(len(stamps), dtype=int)
    t = stamps.asi8
    back = np.r_[False, (t[1:] < t[:-1]) & (group[1:] == group[:-1])]
    order = np.lexsort((t, group))
    if back.any() and not sort:
        raw = frame[roles["timestamp"]].to_numpy() if roles["timestamp"] else stamps
        raise lp.rows_error(ts_name, "is not sorted by time (a timestamp earlier than the one before)", back,
                            rows, values=np.asarray(raw), rejectable=False,
                            hint=f"Sort the table, or pass {lp.option('sort', True)}.")
    step = _step(stamps, interval, group)
    wall = stamps.tz_localize(None) if stamps.tz is not None else stamps
    seconds = np.asarray((wall - wall.normalize()).total_seconds())
    off = ~np.isclose(np.mod(seconds, step), 0) & ~np.isclose(np.mod(seconds, step), step)
    if off.any():
        raise lp.rows_error(ts_name, f"is off the {step / 60:g}-minute interval grid", off, rows, values=stamps,
                            hint=f"Interval starts must fall on multiples of {step:g} seconds after midnight; pass "
                                 f"{lp.option('interval', step)} if the length was inferred wrongly.")
    out = pd.DataFrame(data, index=pd.DatetimeIndex(stamps, name="timestamp"))
    if keys is not None:
        out.insert(0, "queue", keys["q"].to_numpy())
    out = out.iloc[order]
    out.index.name = "timestamp"
    from .gaps import fill_missing

    if keys is None:
        return fill_missing(out, missing, interval=step, name=_source_label(source_name, ts_name),
                            stacklevel=3)
    parts, notes = [], []
    for q, part in out.groupby("queue", sort=False):
        filled = fill_missing(part.drop(columns="queue"), missing, interval=step,
                              name=f"{_source_label(source_name, ts_name)} (queue {q!r})", stacklevel=3)
        notes.append(filled.attrs.get("notes"))
        filled.attrs = {}  # concat compares attrs; the notes are gathered here
        filled.insert(0, "queue", q)
        parts.append(filled)
    result = pd.concat(parts)
    result.attrs["notes"] = pd.concat([n for n in notes if n is not None and len(n)] or [lp.notes_frame([])],
                                      ignore_index=True)
    return result


#: Coverage of the interval on how a handle-time column grows with the calls answered (:func:`_growth`): the 95%
#: that wfm's other intervals default to (the patience estimate's ``level``).
GROWTH_LEVEL = 0.95


def _growth(total, served):
    """
    How a column grows with the calls answered, from the rows with both > 0: +1 in proportion (a total), -1 not at
    all (an average per call), 0 when the rows cannot tell; and the exponent b of ``column ~ answered ** b``.

    b is the least-squares slope of log(column) on log(answered): 1 for a total (answered x AHT), 0 for an average.
    The cut is 1/2 because b < 1/2 exactly when the column varies less from interval to interval (in logs) than
    column / answered does: the reading with the smaller spread is the per-call one. The rows tell when the
    slope's :data:`GROWTH_LEVEL` interval lies on one side of 1/2; they cannot when the calls answered hardly vary.
    """
    from scipy import stats

    use = (served > 0) & (total > 0)
    x, y = np.log(served[use]), np.log(total[use])
    n = x.size
    xc = x - x.mean() if n else x
    sxx = float((xc ** 2).sum())
    if n < 3 or sxx <= 1e-12 * n:
        return 0, np.nan
    b = float((xc * (y - y.mean())).sum() / sxx)
    resid = y - y.mean() - b * xc
    half = stats.t.ppf(0.5 + GROWTH_LEVEL / 2, n - 2) * np.sqrt(float((resid ** 2).sum()) / (n - 2) / sxx)
    return (1 if b - half > 0.5 else -1 if b + half < 0.5 else 0), b


def _check_total_not_average(total, served, column, served_name):
    """
    Refuse a column mapped as total handle time (``handle_time``) that holds each interval's average per call.

    Two signs, both from the data. It does not grow with the calls answered (:func:`_growth`), and is a plausible
    AHT itself (20 s to 2 h, ``PLAUSIBLE["aht"]``) in nearly every row (:data:`~wfm._validation.MINUTES_SHARE`,
    as for the unit checks): an average, whatever the totals' AHT looks like. Or its total reading (column /
    answered) is under 20 s in nearly every row while the column itself is a plausible AHT and the rows cannot
    tell how it grows: an average in seconds or a total in minutes, and the message names both. A total that grows
    with the calls answered passes (its unit is checked next, :func:`wfm._validation.check_aht_column`).
    """
    low, high = v.PLAUSIBLE["aht"][:2]
    use = (served > 0) & (total > 0)
    if use.sum() < 3:
        return
    grows, b = _growth(total, served)
    c, a = total[use], served[use]
    plausible = ((c >= low) & (c <= high)).mean() >= v.MINUTES_SHARE
    short = (c / a < low).mean() >= v.MINUTES_SHARE
    if not plausible or grows > 0 or (grows == 0 and not short):
        return
    as_total, as_average = c.sum() / a.sum(), (c * a).sum() / a.sum()
    fix = (f"Map it as the average handle time, {lp.option('columns', {'aht': column})}, in place of "
           f"handle_time")
    readings = (f"Read as a total it gives an AHT of {as_total:,.0f} s (handle time / answered, over the whole "
                f"report; under {low:g} s in {int((c / a < low).sum())} of {c.size} rows); read as an average, "
                f"{as_average:,.0f} s (weighted by the calls answered).")
    if grows < 0:
        raise ValueError(f"column {column!r} is mapped as handle_time, the total handle time of each interval, but "
                         f"it holds each interval's average per call: it does not grow with the calls answered "
                         f"({served_name!r}; where they double, the column changes x{2 ** b:.2f}, a total would "
                         f"double). {readings} {fix}. If it does hold totals, divide it by the answered count "
                         f"yourself and map that column as aht.")
    raise ValueError(f"column {column!r} is mapped as handle_time, the total handle time of each interval, but "
                     f"divided by the calls answered ({served_name!r}) it is under {low:g} s, shorter than any "
                     f"contact, while the column itself is {low:g} s to {high / 3600:g} h: it looks like each "
                     f"interval's average per call (the rows cannot tell whether it grows with the calls answered). "
                     f"{readings} If it is the average, {fix[0].lower()}{fix[1:]}; if it is a total in minutes, "
                     f"multiply it by 60.")


#: A unit written as the last word of a column name ('Handle Time s', 'AHT_sec'), dropped when names are matched.
_LAST_UNIT = re.compile(r"[\s_\-](?:mins?|minutes|h|hrs?|hours|ms|msecs?|milliseconds|s|secs?|seconds)\s*$")


def column_key(name):
    """A column name as it is matched: lower case, units (in brackets or a last word) dropped, letters and digits."""
    text = re.sub(r"\(.*?\)|\[.*?\]", "", str(name).lower())
    return re.sub(r"[^a-z0-9]", "", re.sub(_LAST_UNIT, "", text))


#: Column names (as :func:`column_key` reads them) of answered and of abandoned calls in ACD reports; ``wfm init``
#: detects these roles by the same names (:data:`wfm.scenario.draft.REPORT_NAMES`).
ANSWERED_NAMES = ("answered", "handled", "callsanswered", "callshandled", "answeredcalls", "handledcalls",
                   "acdcalls", "ans")
ABANDONED_NAMES = ("abandoned", "abandons", "abandonedcalls", "callsabandoned", "abandon", "abncalls",
                    "abandcalls", "aband", "abn")


def _check_divisor(frame, roles, source_name, notes):
    """
    AHT from a total handle time is per answered call. Without ``answered`` the divisor would be the calls offered:
    refused when the report shows abandons, else noted (``notes``) as an AHT per offered call.
    """
    if roles["handle_time"] is None or roles["answered"] is not None:
        return
    handle, calls, source = roles["handle_time"], roles["calls"], source_name.split(" (")[0]
    why = (f"{source}: the AHT is handle time per answered call, and column {handle!r} (handle_time) has no answered "
           f"count to divide by: the calls offered ({calls!r}) count abandoned calls as handled and give too low an "
           f"AHT.")
    added = "; a report without one needs it added (offered minus abandoned and any other outcome)"
    if roles["abandoned"] is not None:
        raise ValueError(f"{why} The report counts abandons ({roles['abandoned']!r}): map its answered column "
                         f"({lp.option('columns', {'answered': 'Answered'})}){added}.")
    mapped = {c for c in roles.values() if c is not None}
    key = {c: column_key(c) for c in frame.columns if c not in mapped}  # matched as wfm init matches them
    for names, what in ((ANSWERED_NAMES, "answered"), (ABANDONED_NAMES, "abandoned")):
        found = [c for c, k in key.items() if k in names]
        if found:
            column = found[0] if what == "answered" else "Answered"
            raise ValueError(f"{why} The report has a column of {what} calls, {found[0]!r}, left unmapped: map "
                             f"its answered column ({lp.option('columns', {'answered': column})})"
                             f"{added if what == 'abandoned' else ''}.")
    notes.append((_source_label(source_name, handle), len(frame),
                  f"have no answered count: AHT is {handle!r} / {calls!r}, handle time per offered call, right only "
                  "if every call was answered (if some were abandoned, it is too low)",
                  f"map the answered column if the report has one ({lp.option('columns', {'answered': 'Answered'})})"))


def _source_label(source_name, column):
    return f"{source_name.split(' (')[0]}, column {column!r}"


def _check_columns(columns, wanted, source):
    missing = {role: col for role, col in wanted.items() if col not in columns}
    if missing:
        roles = ", ".join(f"{role}={col!r}" for role, col in missing.items())
        first = next(iter(missing))
        raise ValueError(f"{source} has no column for {roles}; its columns are {list(columns)[:12]}. Name the "
                         f"columns of your report, e.g. {lp.option('columns', {first: 'YourColumn'})}.")


_AMPM = r"(?:\s*[AaPp]\.?\s*[Mm]\.?)?"
_RANGE = rf"^\s*(\d{{1,2}}:\d{{2}}(?::\d{{2}})?{_AMPM})\s*(?:-|–|to)\s*\d{{1,2}}:\d{{2}}(?::\d{{2}})?{_AMPM}\s*$"


def _interval_starts(frame, roles, rows, tz, dayfirst, date_format):
    """DatetimeIndex of interval starts from a timestamp column or a date and a clock-time column."""
    if roles["date"] is not None:
        dates = lp.parse_datetimes(frame[roles["date"]], roles["date"], rows, dayfirst=dayfirst,
                                   date_format=date_format, required=True, what="dates", leave_out=True,
                                   missing_hint=lambda miss: _no_date_hint(frame, roles["time"], miss))
        notmidnight = (dates != dates.dt.normalize()).to_numpy()
        if notmidnight.any():
            raise lp.rows_error(roles["date"], "must hold dates only (the time is in the time column); got a time "
                                "of day", notmidnight, rows, values=dates.array)
        clock = frame[roles["time"]]
        text = clock.astype(str).str.extract(_RANGE)[0]
        clock = clock.where(text.isna(), text)
        secs = lp.parse_clock_seconds(clock, roles["time"], rows, leave_out=True)
        blank = np.isnan(secs)
        if blank.any():
            raise lp.rows_error(roles["time"], "is empty", blank, rows)
        stamps = dates + pd.to_timedelta(secs, unit="s")
        name = roles["date"]
    else:
        stamps = lp.parse_datetimes(frame[roles["timestamp"]], roles["timestamp"], rows, dayfirst=dayfirst,
                                    date_format=date_format, required=True, what="timestamps", tz=tz,
                                    leave_out=True, missing_hint=lambda miss: _no_date_hint(frame, None, miss))
        name = roles["timestamp"]
    stamps = lp.localize(stamps, tz, name, rows)
    return pd.DatetimeIndex(stamps)


def _no_date_hint(frame, time, miss):
    """
    What rows with no date are, and the option that leaves them out: blank rows (every cell empty, as Excel writes
    a spacer line), or a total or summary row whose word is in the ``time`` column ('Total'); None for others.
    """
    part = frame.iloc[np.flatnonzero(miss)].astype(str).apply(lambda c: c.str.strip())
    blank = (frame.iloc[np.flatnonzero(miss)].isna() | part.isin(["", "nan", "None"])).all(axis=1).to_numpy()
    reject = lp.option("on_bad_rows", "reject")
    if reject.startswith("--"):  # the command line: wfm init writes it to the scenario, wfm run reads it there
        reject += " (on_bad_rows: reject under data: in a scenario)"
    if blank.all():
        one = blank.size == 1
        return (f"{'That row is' if one else 'Those rows are'} blank (every cell empty): set {'it' if one else 'them'} "
                f"aside with {reject}, or delete {'it' if one else 'them'} from the export.")
    words = list(dict.fromkeys(part[time][~blank])) if time is not None else []
    if words and all(lp._WORD.match(w) for w in words):
        name = time if str(time).isidentifier() else f"`{time}`"
        rule = f"{name} == {words[0]!r}" if len(words) == 1 else f"{name} in {words[:5]!r}"
        return (f"{', '.join(repr(w) for w in words[:3])} in column {time!r}: a total or summary row"
                f"{' (and blank rows)' if blank.any() else ''}? Leave such rows out with "
                f"{lp.option('exclude', rule)}, or set every row that breaks a rule aside with {reject}.")
    return None


def _numbers(column, name, rows, allow_nan_where=None, role="calls"):
    raw = column.to_numpy()
    if raw.dtype == bool:
        raise TypeError(f"column {name!r} must be numeric; got booleans.")
    values = pd.to_numeric(pd.Series(raw), errors="coerce").to_numpy(dtype=float)
    missing = pd.isna(pd.Series(raw)).to_numpy() | (np.isnan(values) & (pd.Series(raw).astype(str).str.strip()
                                                                        .str.lower().isin(["nan", ""])).to_numpy())
    bad = np.isnan(values) & ~missing
    if bad.any():
        from ._text_numbers import text_number_problem

        problem, hint = text_number_problem(raw[bad], role, count=role in _COUNTS) or ("holds non-numeric values", "")
        raise lp.rows_error(name, problem, bad, rows, values=raw, kind=TypeError, hint=hint)
    nan = np.isnan(values)
    if allow_nan_where is not None:
        nan &= ~allow_nan_where
    if nan.any():
        raise lp.rows_error(name, "is NaN (empty)", nan, rows,
                            hint="Fill or drop those rows first; a closed interval is simply absent.")
    inf = np.isinf(values)
    if inf.any():
        raise lp.rows_error(name, "is infinite", inf, rows, values=values)
    return values


def _nonnegative(values, name, rows, unit):
    bad = values < 0
    if bad.any():
        raise lp.rows_error(name, f"must be >= 0 {unit}", bad, rows, values=values,
                            hint=f"{name} counts {unit} per interval and cannot be negative.")


def _step(stamps, interval, group):
    from ..calendar import _interval_seconds

    if interval is not None:
        return _interval_seconds(interval)
    if len(stamps) < 2:
        raise ValueError(f"interval cannot be inferred from a single timestamp; pass "
                         f"{lp.option('interval', 1800)} in seconds.")
    first = group == group[0] if group.size else group
    one = stamps[first] if first.sum() >= 2 else stamps
    return _interval_seconds(v.infer_interval(one.sort_values(), "the timestamp column"),
                             "the interval of the timestamp column")
