"""
Reading a contact log: one row per call, chat, e-mail or ticket, as ACDs and ticketing systems export it.

The canonical columns and their meaning are in :mod:`wfm.logs.schemas`
(:data:`~wfm.logs.schemas.CONTACT_SCHEMA`). The steps, in order: rows kept
by ``filters`` and left out by ``exclude``, placeholders read as missing
(``na_values``), missing values taken from a ``fallback`` column
(:mod:`wfm.logs._rows`); outcome codes; times parsed, put on their date,
rolled over midnight or taken as clock skew (:mod:`wfm.logs._clock`);
durations, flags and scores; the derived ``answered``, ``abandoned``,
``wait`` and ``handle``; plausibility warnings (:mod:`wfm.logs._plausible`).
With ``on_bad_rows="reject"`` the rows an error names are set aside and the
rest are read.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .. import _validation as v
from . import _clock, _plausible, _rows
from . import _parse as lp
from ._rows import text_of
from .schemas import (_COUNT, _FLAG, _SCORE, _SECONDS, _TIME, CHANNELS, CONTACT_COLUMNS, OUTCOMES, _load,
                      _shown)

__all__ = ["read_contacts"]


def read_contacts(source, columns=None, *, outcomes=None, na_values=None, skew=3.0, filters=None, exclude=None,
                  fallback=None, zero_wait_abandons="keep", on_bad_rows="error", dayfirst=None, date_format=None,
                  tz=None, channels=None, csat_scale=(1, 5), ces_scale=(1, 7), qa_scale=(0, 100),
                  sentiment_scale=(-1, 1)):
    """
    Read and check a contact log (calls, chats, e-mails, tickets).

    Parameters
    ----------
    source : DataFrame or path
        One row per contact; a CSV or Parquet file, or a DataFrame (not
        changed).
    columns : dict, optional
        Canonical name -> name in ``source``, for the columns whose names
        differ (see the module docstring for the canonical schema).
    outcomes : dict, optional
        Outcome code -> ``"answered"``, ``"abandoned"`` or ``"other"``, for
        a log whose ``outcome`` column carries the ACD's codes, e.g.
        ``{"AGENT": "answered", "HANG": "abandoned", "PHANTOM": "other"}``.
        "other" rows are left out and counted in the notes; a code not in
        the mapping is an error naming the rows.
    na_values : dict, optional
        Column -> placeholder value(s) meaning "missing" in that column, e.g.
        ``{"answer": "0:00:00", "agent": "NO_SERVER", "customer": 0}``.
        Matched as text, before anything is parsed; counted in the notes.
    skew : float
        Clock-skew tolerance: an answer, abandon or end time at most this
        far before the arrival (or an end before the answer) is taken as
        equal to it, and the rows touched are counted in the notes; further
        is an error naming the rows (with times of day, unless the next day
        explains it: see "Midnight" below). [s]
    filters : dict, optional
        Column -> value or list of values to keep, e.g. ``{"queue": "PS",
        "type": ["PS", "PE"]}``; the other rows are left out and counted.
    exclude : str, dict or list, optional
        Rows to leave out, counted in the notes: a dict of column ->
        value(s), or an expression comparing columns (as named in your
        data, or canonical) with values or with each other, joined by
        ``and``, ``or``, ``not``, e.g. ``"q_start == '0:00:00'"`` or
        ``"outcome == 'HANG' and q_exit == q_start"``; or a list of them.
        It is applied to the table as read, before times are parsed, so
        times compare as text (``==``, ``!=``); ``<``, ``>`` compare
        numbers; ``isna(column)`` tests for blanks.
    fallback : dict, optional
        Column -> the column (or list of columns, in order) whose value is
        taken where it is missing or a placeholder, e.g. ``{"arrival":
        "vru_exit"}`` reads "q_start, else vru_exit"; counted in the notes.
    zero_wait_abandons : {"keep", "drop"}
        Abandons that waited 0 s (callers who hung up before queueing, in
        the IVR) are kept, with a :class:`PlausibilityWarning` when they are
        5% of the abandons or more (they pull the patience estimate down),
        or left out and counted.
    on_bad_rows : {"error", "reject"}
        A row that breaks a rule on its own (text where a time belongs, an
        answer before its arrival, a blank arrival) is an error naming the
        rows (default), or is set aside with its reason: the result's
        ``.attrs["rejected"]`` holds those rows as read, with their
        ``line`` (of a file; ``row`` of a DataFrame) and ``reason``, and
        the notes count them (``.attrs["rejected"]`` is there only in this
        mode, so logs read the default way concatenate as before). Errors
        about a whole column (dates that read
        both day-first and month-first, a missing column) stay errors.
    dayfirst : bool, optional
        Read numeric dates day-first (``01/10/2003`` is 1 October) or
        month-first; needed when a date reads both ways (never guessed).
    date_format : str, optional
        strptime format of the date or timestamp columns.
    tz : str, optional
        Time zone of naive times (localised), or to convert times with an
        offset to.
    channels : dict, optional
        Channel name -> ``"live"`` or ``"deferred"``, added to
        :data:`CHANNELS` (voice and chat live, email and ticket deferred).
    csat_scale, ces_scale, qa_scale, sentiment_scale : (low, high)
        Scales of the scores; a score outside its scale is an error. NPS is
        always 0-10.

    Returns
    -------
    DataFrame
        The canonical columns present in ``source`` and the extra columns as
        they were, plus ``channel`` (lower case, ``"voice"`` when absent),
        ``answered``, ``abandoned``, ``wait`` [s] (NaN when neither answered
        nor abandoned) and ``handle`` [s] (when it can be derived; 0 unless
        answered). Times are timestamps (ns), flags booleans, scores floats.
        Time-of-day columns are put on the ``date`` of their row. Rows left
        out, set aside and values adjusted are listed in ``.attrs["notes"]``
        (source, rows, problem, action) and in a :class:`DataWarning`;
        with ``on_bad_rows="reject"``, ``.attrs["rejected"]`` holds the rows
        set aside.

    Midnight
    --------
    An answer, abandon or end time of day earlier than the arrival's (by
    more than ``skew``) is read on the next day only when that puts it at
    most 4 h after the arrival (a call at 23:59:50 answered at 00:00:05);
    otherwise it is an error (an answer 16 s before the arrival is clock
    skew or a bad row, not a wait of 86,384 s). A time of day more than
    20 h later than the arrival's is on the previous day (before the
    arrival: skew or an error). See :mod:`wfm.logs._clock`.

    Warns
    -----
    DataWarning
        Rows adjusted, left out or set aside (the notes).
    PlausibilityWarning
        Read as given but probably wrong, naming the rows: a time column at
        exactly 00:00:00 far more often than chance (a placeholder: the
        message gives the ``na_values`` that fixes it), live waits over
        2 h, 5% or more of the abandons with a wait of 0 s, arrivals after
        now in a log read from a file (a DataFrame may be a simulation of
        a plan ahead). A DataFrame with a ``replication`` column (as
        :func:`wfm.simulate` writes its contacts) is a simulated log: its
        waits are what the simulated plan gave, so only placeholder times
        warn.

    Raises
    ------
    ValueError, TypeError
        Naming the column and the rows (unless ``on_bad_rows="reject"`` sets
        them aside): a missing ``arrival``, text where times or numbers
        belong, negative durations, times that end before they start
        (``answer``, ``abandon``, ``end``, ``first_response`` or ``resolved``
        before ``arrival`` beyond ``skew``; ``end`` before ``answer``), a
        contact both answered and abandoned, an answered contact without a
        handle time, an unknown channel, a score outside its scale.

    Examples
    --------
    An ACD export with its own column names:

    >>> raw = pd.DataFrame({"CallStart": ["2024-01-01 09:00:00", "2024-01-01 09:00:30"],
    ...                     "Answered": ["2024-01-01 09:00:12", None],
    ...                     "Talk": [200, None], "ACW": [40, None]})
    >>> log = read_contacts(raw, columns={"arrival": "CallStart", "answer": "Answered", "talk": "Talk",
    ...                                   "acw": "ACW"})
    >>> log[["arrival", "answered", "abandoned", "wait", "handle"]]
                  arrival  answered  abandoned  wait  handle
    0 2024-01-01 09:00:00      True      False  12.0   240.0
    1 2024-01-01 09:00:30     False       True   NaN     0.0

    A log with a date column, times of day, outcome codes and placeholders:
    the second call crosses midnight, the third is a phantom.

    >>> raw = pd.DataFrame({"date": ["01/10/2003"] * 3, "q_start": ["23:10:00", "23:59:50", "23:59:58"],
    ...                     "ser_start": ["23:10:20", "0:00:05", "0:00:00"], "ser_time": [180, 240, 0],
    ...                     "outcome": ["AGENT", "AGENT", "PHANTOM"]})
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     log = read_contacts(raw, {"arrival": "q_start", "answer": "ser_start", "handle": "ser_time"},
    ...                         outcomes={"AGENT": "answered", "HANG": "abandoned", "PHANTOM": "other"},
    ...                         na_values={"answer": "0:00:00"}, dayfirst=True)
    >>> log[["arrival", "answer", "wait"]]
                  arrival              answer  wait
    0 2003-10-01 23:10:00 2003-10-01 23:10:20  20.0
    1 2003-10-01 23:59:50 2003-10-02 00:00:05  15.0
    >>> for note in log.attrs["notes"].itertuples():
    ...     print(note.rows, note.problem, "->", note.action)
    1 held the placeholder '0:00:00' in 'answer' -> taken as missing
    1 had outcome codes mapped to 'other' (PHANTOM) -> left out
    1 crossed midnight ('answer' is a time of day earlier than the arrival's, and within 4 h of it on the
    next day) -> taken on the next day
    """
    kinds = _channels(channels)
    scales = {"csat": (lp.check_scale(csat_scale, "csat_scale"), "csat_scale"), "nps": ((0.0, 10.0), None),
              "ces": (lp.check_scale(ces_scale, "ces_scale"), "ces_scale"),
              "qa": (lp.check_scale(qa_scale, "qa_scale"), "qa_scale"),
              "sentiment": (lp.check_scale(sentiment_scale, "sentiment_scale"), "sentiment_scale")}
    skew = float(v.check_nonnegative(v.as_float_array(skew, "skew"), "skew", "seconds"))
    v.check_choice(zero_wait_abandons, "zero_wait_abandons", ("keep", "drop"))
    v.check_choice(on_bad_rows, "on_bad_rows", _rows.ON_BAD_ROWS)
    frame, mapping, rows = _load(source, "contacts", columns, CONTACT_COLUMNS, with_rows=True)
    lp.check_log_columns(frame, "contacts", ["arrival"], mapping)
    if len(frame) == 0 and not isinstance(source, pd.DataFrame):
        raise ValueError(f"contacts: file {str(source)!r} has a header but no rows; export the log again.")
    raw = frame.rename(columns={key: src for key, src in mapping.items()}) if on_bad_rows == "reject" else None
    all_rows = rows
    notes = []
    frame, rows = _rows.filter_rows(frame, rows, filters, notes)
    frame, rows = _rows.exclude_rows(frame, rows, exclude, mapping, notes)
    frame = _rows.placeholders(frame, na_values, mapping, notes)
    frame = _rows.fallback_columns(frame, fallback, mapping, notes)
    options = dict(mapping=mapping, outcomes=outcomes, kinds=kinds, scales=scales, skew=skew, dayfirst=dayfirst,
                   date_format=date_format, tz=tz, zero_wait_abandons=zero_wait_abandons,
                   future=not isinstance(source, pd.DataFrame),
                   simulated=isinstance(source, pd.DataFrame) and "replication" in source.columns)

    def read(part, part_rows, set_aside):
        more = list(set_aside)
        return _read(part, part_rows, more, **options), more

    (frame, more), rejected = _rows.read_rows(
        read, frame, rows, on_bad_rows, log="contacts",
        raw=None if raw is None else raw.iloc[np.searchsorted(all_rows, rows)],
        label="row" if isinstance(source, pd.DataFrame) else "line")
    notes += more
    frame.attrs["notes"] = lp.notes_frame(notes)
    if on_bad_rows == "reject":
        frame.attrs["rejected"] = rejected
    if notes:
        warnings.warn(lp.data_note_text(frame.attrs["notes"]), lp.DataWarning, stacklevel=2)
    return frame


def _read(frame, rows, notes, *, mapping, outcomes, kinds, scales, skew, dayfirst, date_format, tz,
          zero_wait_abandons, future, simulated):
    """The checks and derivations of read_contacts on the rows kept (an error names the rows that break a rule)."""
    frame, rows = _outcomes(frame, rows, outcomes, mapping, notes)
    names = [k for k, t in CONTACT_COLUMNS.items() if t == _TIME and k in frame.columns]
    times, suspects, paired = _clock.contact_times(frame, names, lambda name: _shown(name, mapping), rows, dayfirst,
                                           date_format, tz, skew, notes)
    for name, kind in CONTACT_COLUMNS.items():
        if name not in frame.columns:
            continue
        shown = _shown(name, mapping)
        if kind == _SECONDS:
            frame[name] = lp.parse_seconds(frame[name], shown, rows)
        elif kind == _FLAG:
            frame[name] = lp.parse_flags(frame[name], shown, rows)
        elif kind == _SCORE:
            scale, option = scales[name]
            frame[name] = lp.parse_scores(frame[name], shown, rows, scale, option=option)
        elif kind == _COUNT:
            counts = lp.parse_seconds(frame[name], shown, rows, unit="responses")
            counts = np.nan_to_num(counts, nan=0.0)
            bad = counts != np.floor(counts)
            if bad.any():
                raise lp.rows_error(shown, "must hold whole numbers of responses", bad, rows, values=counts)
            frame[name] = counts

    # channel
    if "channel" in frame.columns:
        raw = frame["channel"]
        blank = raw.isna().to_numpy()
        if blank.any():
            raise lp.rows_error(_shown("channel", mapping), "must name a channel in every row", blank, rows,
                                hint="Fill the blanks, e.g. with 'voice'.")
        channel = raw.astype(str).str.strip().str.lower()
        lp.check_known_labels(channel, _shown("channel", mapping), list(kinds), rows,
                              hint=f"Add other channels with {lp.option('channels', {'sms': 'deferred'})} "
                                   "('live' or 'deferred').")
        frame["channel"] = channel.to_numpy(dtype=object)
    else:
        frame["channel"] = "voice"
    live = frame["channel"].map(kinds).to_numpy() == "live"

    _clock.check_order(times, suspects, lambda name: _shown(name, mapping), rows, skew, paired)
    answered = _answered(frame, times, live, mapping, rows)
    abandoned = _abandoned(frame, times, live, answered, mapping, rows)
    frame["answered"] = answered
    frame["abandoned"] = abandoned
    frame["wait"] = wait = _wait(frame, times, answered, abandoned)
    handle = _handle(frame, times, answered, mapping, rows)
    if handle is not None:
        frame["handle"] = handle
    if not simulated:  # a simulated log's waits are what its plan gave, not misreads
        _plausible.warn_long_waits(wait, live, rows, stacklevel=5)
    if future:
        _plausible.warn_future(times["arrival"], _shown("arrival", mapping), rows, stacklevel=5)
    keep = _plausible.zero_wait_abandons(wait, abandoned, rows, zero_wait_abandons, notes, stacklevel=5,
                                         warn=not simulated)
    if not keep.all():
        frame = frame[keep]
    if "contact" not in frame.columns:
        frame.insert(0, "contact", np.arange(len(frame)))
    return frame.reset_index(drop=True)


def _outcomes(frame, rows, outcomes, mapping, notes):
    """Outcome codes -> answered / abandoned flags; 'other' rows are left out."""
    if outcomes is None:
        # a log read_contacts has read keeps its codes beside the answered / abandoned flags they were mapped to
        if "outcome" in frame.columns and not {"answered", "abandoned"} <= set(frame.columns):
            codes = sorted(pd.unique(text_of(frame["outcome"].dropna().to_numpy())))[:6]
            raise ValueError(f"contacts has an outcome column ({_shown('outcome', mapping)!r}) with codes "
                             f"{codes}; say what each means with "
                             f"{lp.option('outcomes', {str(c): 'answered' for c in codes[:2]})} "
                             "(answered, abandoned or other).")
        return frame, rows
    if not isinstance(outcomes, dict) or not outcomes:
        raise TypeError(f"outcomes must map the outcome codes to answered, abandoned or other, e.g. "
                        f"{lp.option('outcomes', {'AGENT': 'answered', 'HANG': 'abandoned'})}; got {outcomes!r}.")
    for code, meaning in outcomes.items():
        if meaning not in OUTCOMES:
            raise ValueError(f"outcomes[{code!r}] must be one of {list(OUTCOMES)}; got {meaning!r}."
                             f"{v._suggest(meaning, OUTCOMES)}")
    if "outcome" not in frame.columns:
        raise ValueError(f"outcomes needs the outcome column; map it with "
                         f"{lp.option('columns', {'outcome': 'YourColumn'})}. Its columns are "
                         f"{list(frame.columns)[:12]}.")
    for flag in ("answered", "abandoned"):
        if flag in frame.columns:
            raise ValueError(f"contacts has both an outcome column (mapped through outcomes) and an {flag!r} "
                             "column; give one of them.")
    table = {text_of([k])[0]: m for k, m in outcomes.items()}
    code = text_of(frame["outcome"].to_numpy())
    meaning = pd.Series(code, dtype=object).map(table).to_numpy(dtype=object)
    unknown = pd.isna(meaning)
    if unknown.any():
        new = sorted({str(c) for c in code[unknown]})[:6]
        raise lp.rows_error(_shown("outcome", mapping), "has outcome codes outside the outcomes mapping", unknown,
                            rows, values=code,
                            hint=f"Codes without a meaning: {new}. Give each one answered, abandoned or other: "
                                 f"{lp.option('outcomes', {**outcomes, **{c: '?' for c in new}})}.")
    other = meaning == "other"
    if other.any():
        which = sorted({str(c) for c in code[other]})
        notes.append(("contacts", int(other.sum()), f"had outcome codes mapped to 'other' ({', '.join(which)})",
                      "left out"))
    keep = ~other
    frame = frame[keep].reset_index(drop=True)
    frame["answered"] = meaning[keep] == "answered"
    frame["abandoned"] = meaning[keep] == "abandoned"
    return frame, rows[keep]


def _channels(channels):
    kinds = dict(CHANNELS)
    if channels is not None:
        if not isinstance(channels, dict):
            raise TypeError(f"channels must be a dict of channel -> 'live' or 'deferred'; got "
                            f"{type(channels).__name__}.")
        for key, kind in channels.items():
            v.check_choice(kind, f"channels[{key!r}]", ("live", "deferred"))
        kinds.update({str(k).strip().lower(): kind for k, kind in channels.items()})
    return kinds


def _answered(frame, times, live, mapping, rows):
    deferred = ~live
    flag = frame["answered"].to_numpy(dtype=bool) if "answered" in frame.columns else None
    if "answer" in times:
        answered = times["answer"].notna().to_numpy()
        if flag is not None:
            bad = flag & ~answered & live
            if bad.any():
                raise lp.rows_error(_shown("answered", mapping), "is True but 'answer' is empty", bad, rows,
                                   hint="Give an answer time for every answered contact, or drop one of the "
                                        "columns.")
            answered = answered | (flag & deferred)
    elif flag is not None:
        answered = flag.copy()
    elif "abandoned" in frame.columns or "abandon" in times:
        gone = frame["abandoned"].to_numpy(dtype=bool) if "abandoned" in frame.columns else \
            times["abandon"].notna().to_numpy()
        answered = ~gone & live
    elif not live.any():  # tickets only: answered means a first response (below)
        answered = np.zeros(len(frame), dtype=bool)
    else:
        raise ValueError("contacts needs 'answer' (a time), 'answered' or 'abandoned' (flags) to tell answered "
                         f"contacts from the others; its columns are {list(frame.columns)[:12]}. Map yours with "
                         "columns={'answer': 'AnswerTime'}.")
    if "first_response" in times:
        answered = answered | (times["first_response"].notna().to_numpy() & deferred)
    return answered


def _abandoned(frame, times, live, answered, mapping, rows):
    if "abandoned" in frame.columns:
        abandoned = frame["abandoned"].to_numpy(dtype=bool)
    elif "abandon" in times:
        abandoned = times["abandon"].notna().to_numpy()
    else:
        abandoned = live & ~answered
    both = abandoned & answered
    if both.any():
        raise lp.rows_error(_shown("abandoned", mapping) if "abandoned" in frame.columns else "abandon",
                           "marks contacts that were also answered", both, rows,
                           hint="A contact is answered or abandoned, not both.")
    return abandoned & live


def _wait(frame, times, answered, abandoned):
    arrival = times["arrival"]
    derived = np.full(len(frame), np.nan)
    if "answer" in times:
        derived = np.where(answered, (times["answer"] - arrival).dt.total_seconds().to_numpy(), derived)
    gone = None
    if "abandon" in times:
        gone = (times["abandon"] - arrival).dt.total_seconds().to_numpy()
    elif "end" in times:
        gone = (times["end"] - arrival).dt.total_seconds().to_numpy()
    if gone is not None:
        derived = np.where(abandoned, gone, derived)
    if "wait" in frame.columns:
        given = frame["wait"].to_numpy(dtype=float)
        return np.where(np.isnan(given), derived, given)
    return derived


def _handle(frame, times, answered, mapping, rows):
    if "talk" in frame.columns:
        parts = [frame[k].to_numpy(dtype=float) for k in ("talk", "hold", "acw") if k in frame.columns]
        blank = np.isnan(parts[0]) & answered
        if blank.any():
            raise lp.rows_error(_shown("talk", mapping), "is empty for answered contacts", blank, rows,
                               hint="AHT would leave them out; fill the talk time or mark them unanswered.")
        total = np.sum([np.nan_to_num(p) for p in parts], axis=0)
    elif "handle" in frame.columns:
        total = frame["handle"].to_numpy(dtype=float)
        blank = np.isnan(total) & answered
        if blank.any():
            raise lp.rows_error(_shown("handle", mapping), "is empty for answered contacts", blank, rows)
        total = np.nan_to_num(total)
    elif "answer" in times and "end" in times:
        total = (times["end"] - times["answer"]).dt.total_seconds().to_numpy()
        blank = np.isnan(total) & answered
        if blank.any():
            raise lp.rows_error(_shown("end", mapping), "is empty for answered contacts (handle = end - answer)",
                               blank, rows)
        total = np.nan_to_num(total)
    else:
        return None
    return np.where(answered, total, 0.0)

