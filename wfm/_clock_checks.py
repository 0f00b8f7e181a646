"""
Timestamps on two clocks: the one message for a mix of naive times and times in a time zone (or two zones).

A naive timestamp is a wall-clock reading with no zone; one in a time zone is an instant. Put side by side they
match no label, and compared they fail in pandas far from the argument that brought them. Every check that meets
the mistake words it with :func:`mixed_clocks`: which argument, column or file holds which clock, why that matters
there, and the fix that applies where the user stands: ``tz_localize``/``tz_convert`` for a Python object on a
DatetimeIndex (:func:`index_fix`), ``.dt.tz_localize`` for a table's time columns (:func:`column_fix`), and, worded by
the caller, a reader's ``tz=``, the command line's ``--tz`` or a scenario file's ``data.tz``.

The lowest layer: it imports nothing from wfm; :mod:`wfm._validation` re-exports its names.
"""

from __future__ import annotations

import pandas as pd


def clock_state(tz) -> str:
    """
    How a clock is named in a message: ``"naive (no time zone)"`` for None, else ``"in time zone <tz>"``.

    Examples
    --------
    >>> clock_state(None), clock_state(pd.Timestamp("2024-01-01", tz="Europe/London").tz)
    ('naive (no time zone)', 'in time zone Europe/London')
    """
    return "naive (no time zone)" if tz is None else f"in time zone {tz}"


def file_clock(tz) -> str:
    """How the clock of a file's timestamps is named: read without a time zone given, those written with a UTC offset
    carry one (``tz``) and the others none."""
    return "written without UTC offsets (local times)" if tz is None else "written with UTC offsets"


def mixed_clocks(a, clock_a, b, clock_b, fix, *, why="", plural=(False, False)) -> str:
    """
    The message for ``a`` and ``b`` on different clocks: both named, both clocks, ``why`` it matters, the ``fix``.

    ``"{a} is {clock a} and {b} is {clock b}; their times are on different clocks{why}. Use one clock: {fix}."``

    Parameters
    ----------
    a, b : str
        What holds the times, as the user knows it: an argument (``actual``), a column (``schedules['start']``),
        a file or a flag with its file (``--actual 'actual.csv'``).
    clock_a, clock_b : tzinfo, None or str
        The clock of each: a time zone, None for naive times (both worded by :func:`clock_state`), or a ``str``
        already in words (``"written with UTC offsets ('2024-01-01 00:00-05:00')"``).
    fix : str
        What to do at this boundary, with the names and values that apply (one sentence, no final full stop).
    why : str
        What the mix would do here, put after "different clocks" (``", so no arrival would fall ..."``).
    plural : (bool, bool)
        Whether ``a`` and ``b`` name several things (``"contacts and states"``: "are", not "is").

    Examples
    --------
    >>> mixed_clocks("now", pd.Timestamp("2024-03-04 10:00", tz="UTC").tz, "schedule", None,
    ...              "give now on schedule's clock, e.g. now=pd.Timestamp('2024-03-04 10:00')")
    "now is in time zone UTC and schedule is naive (no time zone); their times are on different clocks. Use one clock: give now on schedule's clock, e.g. now=pd.Timestamp('2024-03-04 10:00')."
    """
    said = [c if isinstance(c, str) else clock_state(c) for c in (clock_a, clock_b)]
    is_a, is_b = ("are" if p else "is" for p in plural)
    return (f"{a} {is_a} {said[0]} and {b} {is_b} {said[1]}; their times are on different clocks{why}. "
            f"Use one clock: {fix}.")


def _zone(tz) -> str:
    return f'"{tz}"'


def index_fix(a, tz_a, b, tz_b) -> str:
    """
    The fix for two Python objects on DatetimeIndexes (a Series, a DataFrame or the index itself) on the clocks
    ``tz_a`` and ``tz_b``: ``tz_convert`` one when both have a zone, else ``tz_localize`` the naive one (or take
    the zone off the other).

    ``a`` and ``b`` are Python names (``calls``, or ``calls.index``: the fix then reassigns ``calls``).

    Examples
    --------
    >>> print(index_fix("actual", None, "forecast", pd.Timestamp("2024-01-01", tz="UTC").tz))
    actual = actual.tz_localize("UTC") if its times are UTC times (else tz_localize its own zone, then tz_convert("UTC")), or forecast = forecast.tz_localize(None) for its local times without the zone
    """
    a, b = (str(n).removesuffix(".index") for n in (a, b))
    if tz_a is not None and tz_b is not None:
        return f"{b} = {b}.tz_convert({_zone(tz_a)}), or {a} = {a}.tz_convert({_zone(tz_b)})"
    (naive, zoned, zone) = (a, b, tz_b) if tz_a is None else (b, a, tz_a)
    return (f"{naive} = {naive}.tz_localize({_zone(zone)}) if its times are {zone} times (else tz_localize its own "
            f"zone, then tz_convert({_zone(zone)})), or {zoned} = {zoned}.tz_localize(None) for its local times "
            "without the zone")


def column_fix(column, tz_column, other, tz_other) -> str:
    """
    The fix for a table's time column (``column``, as ``schedules['start']``) against another object's index
    (``other``, as ``calls.index``): ``.dt.tz_localize`` on the column (and the table's other time columns), or the
    other object's ``tz_localize``; one of the two is naive (two zones compare as instants).

    Examples
    --------
    >>> print(column_fix("schedules['start']", None, "calls.index", pd.Timestamp("2024-01-01", tz="UTC").tz))
    schedules['start'] = schedules['start'].dt.tz_localize("UTC") if its times are UTC times, and the same for the table's other time columns; or calls = calls.tz_localize(None) for its local times without the zone
    """
    other = str(other).removesuffix(".index")
    if tz_column is None:
        return (f"{column} = {column}.dt.tz_localize({_zone(tz_other)}) if its times are {tz_other} times, and the "
                f"same for the table's other time columns; or {other} = {other}.tz_localize(None) for its local times "
                "without the zone")
    return (f"{other} = {other}.tz_localize({_zone(tz_column)}) if its times are {tz_column} times; or {column} = "
            f"{column}.dt.tz_localize(None) for its local times without the zone, and the same for the table's other "
            "time columns")


def clock_mismatch(name_a, idx_a, name_b, idx_b):
    """
    Why two DatetimeIndexes do not match when their clocks differ (naive against a zone, or two zones): the
    :func:`mixed_clocks` message with :func:`index_fix`; None when they are on one clock or not both DatetimeIndexes.
    """
    if not (isinstance(idx_a, pd.DatetimeIndex) and isinstance(idx_b, pd.DatetimeIndex)):
        return None
    tz_a, tz_b = idx_a.tz, idx_b.tz
    if str(tz_a) == str(tz_b):
        return None
    return mixed_clocks(name_a, tz_a, name_b, tz_b, index_fix(name_a, tz_a, name_b, tz_b))


def check_same_clock(index, name, reference, reference_name, *, fix=None):
    """
    ``index`` and ``reference`` are both naive or both in time zones, so they compare (two zones compare as instants).

    The error is :func:`mixed_clocks`, with ``fix`` or, by default, :func:`column_fix` when ``name`` is a column
    (``schedules['start']``) and :func:`index_fix` otherwise.
    """
    if (index.tz is None) != (reference.tz is None):
        if fix is None:
            fix = (column_fix(name, index.tz, reference_name, reference.tz) if str(name).endswith("]") else
                   index_fix(name, index.tz, reference_name, reference.tz))
        raise ValueError(mixed_clocks(name, index.tz, reference_name, reference.tz, fix))
    return index
