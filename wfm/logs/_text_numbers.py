"""
Numbers of an interval report written as text the way exports write them: an AHT as ``m:ss`` or ``h:mm:ss``,
``5,287`` with a comma between thousands, ``9%``. An AHT written as a duration is read when its reading is
certain; the others are refused with the pattern named and the way out (:func:`text_number_problem`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _validation as v
from .._clock_text import clock_seconds
from . import _parse as lp

__all__ = ["aht_durations", "text_number_problem"]

_DURATION = r"\d{1,2}:\d{2}(?::\d{2})?"
_THOUSANDS = r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?"
_DECIMAL_COMMA = r"-?\d+,\d+"
_PERCENT = r"-?\d+(?:[.,]\d+)?\s*%"


def aht_durations(column, name, rows):
    """
    Seconds of an AHT column written as durations ('4:24', '0:04:24'), or None when it is not one.

    A column is one when its every value is a duration, blank or 0. 'h:mm:ss' reads one way. 'm:ss' reads as
    minutes:seconds or hours:minutes; wfm takes minutes:seconds only when hours:minutes puts (nearly) every value
    (:data:`~wfm._validation.MINUTES_SHARE`, as the unit checks) over 2 h and minutes:seconds puts them between
    20 s and 2 h (``PLAUSIBLE["aht"]``): the column is then not in hours:minutes. Otherwise it is an error naming
    both readings: wfm does not guess.
    """
    text = column.astype(str).str.strip()
    blank = column.isna().to_numpy() | text.isin(["", "nan", "None"]).to_numpy()
    duration = text.str.fullmatch(_DURATION).to_numpy()
    zero = ~duration & ~blank & (pd.to_numeric(text, errors="coerce") == 0).to_numpy()
    if not duration.any() or not (duration | blank | zero).all():
        return None
    seconds = clock_seconds(np.where(duration, text.to_numpy(dtype=str), "0:00"))  # 'm:ss' read as h:mm here
    if np.isnan(seconds).any():
        raise lp.rows_error(name, "holds durations with 60 or more minutes or seconds ('4:60')", np.isnan(seconds),
                            rows, values=column.to_numpy(), kind=TypeError,
                            hint="Correct or leave out those rows: each part after a colon runs from 00 to 59.")
    short = duration & (text.str.count(":") == 1).to_numpy()
    hm, ms = seconds[short], seconds[short] / 60
    low, high = v.PLAUSIBLE["aht"][:2]
    some = ms > 0
    if some.any():
        not_hm = (hm[some] > high).mean() >= v.MINUTES_SHARE
        fits = ((ms[some] >= low) & (ms[some] <= high)).mean() >= v.MINUTES_SHARE
        if not (not_hm and fits):
            first = text.to_numpy()[short][some][0]
            raise lp.rows_error(name, "holds handle times as 'm:ss' or 'h:mm' text", short, rows,
                                values=column.to_numpy(), rejectable=False,
                                hint=f"They read two ways ({first!r} is {ms[some][0]:g} s as minutes:seconds, "
                                     f"{hm[some][0]:g} s as hours:minutes), and the column's values do not rule "
                                     "one out: wfm does not guess. Export the AHT in seconds, or as 'h:mm:ss' "
                                     "('0:04:24').")
    seconds[short] = ms
    return np.where(blank, np.nan, np.where(duration, seconds, 0.0))


def text_number_problem(bad, role, *, count):
    """
    (problem, hint) for a column whose non-numeric values ``bad`` (texts) all follow one export pattern; None when
    they do not. ``role`` is the column's role in :data:`~wfm.logs.HISTORY_ROLES`; ``count`` says it counts contacts.
    """
    texts = pd.Series(np.asarray(bad, dtype=str)).str.strip()
    first = texts.iloc[0]
    if texts.str.fullmatch(_DURATION).all():
        seconds = clock_seconds([first])[0]
        as_ms = f"{first!r} is {seconds / 60:g} s as minutes:seconds" if first.count(":") == 1 else \
            f"{first!r} is {seconds:g} s"
        if not count:
            return ("holds durations as text", f"wfm reads {role} in seconds: convert them ({as_ms}) or export "
                                               "the column in seconds.")
        return ("holds durations as text", f"{role} counts contacts: check the column mapping "
                                           f"({lp.option('columns', {role: 'COLUMN'})}).")
    if texts.str.fullmatch(_THOUSANDS).all():
        return (f"holds numbers with a comma between thousands ({first!r} is {first.replace(',', '')})",
                "wfm reads plain numbers: export them without the separator (in Excel: Format Cells > Number, "
                "untick 'Use 1000 Separator (,)', then save as CSV), or from Python read the file with "
                "pandas.read_csv(path, thousands=',') and pass the DataFrame. If the commas are decimal commas, "
                "export with decimal points instead.")
    if texts.str.fullmatch(_DECIMAL_COMMA).all():
        return (f"holds numbers with a decimal comma ({first!r} is {first.replace(',', '.')})",
                "export them with a decimal point (in Excel: File > Options > Advanced, untick 'Use system "
                "separators', decimal separator '.'), or from Python read the file with pandas.read_csv(path, "
                "decimal=',') and pass the DataFrame.")
    if texts.str.fullmatch(_PERCENT).all():
        if count:
            return (f"holds percentages ({first!r}, a rate, not a count of contacts)",
                    f"Map the column that counts them ({lp.option('columns', {role: 'COLUMN'})}); if the report "
                    f"has none, leave {role} out (wfm init maps a column by its name: remove or rename it in the "
                    "export).")
        return (f"holds percentages ({first!r})", f"{role} is not a rate: check the column mapping.")
    return None

