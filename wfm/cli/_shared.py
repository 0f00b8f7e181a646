"""The CLI's shared pieces: exit codes, printing, reading and writing tables, the reader flags' values."""

from __future__ import annotations

import argparse
import contextlib
from pathlib import Path


EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _jobs(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 0; got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 0; got {value}")
    return value


def _common(p):
    p.add_argument("--debug", action="store_true", help="show the traceback of an error")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar, no summary")
    return p


def _say(args, text):
    if not getattr(args, "quiet", False):
        print(text)


def _read_table(path, what, *, dayfirst=None, date_format=None, tz=None, allow_holes=False):
    """
    A CSV, Excel or Parquet table indexed by its interval starts, as wfm.report.write_table writes it.

    The interval starts are the ``timestamp`` column (the first column of wfm forecast's file, the third of wfm
    run's forecast.csv, after its ``queue`` and ``forecast_config``), else the first column. Label columns before
    it are dropped when they hold one value (one queue's table), and refused when they hold several.

    The timestamps are read as :func:`_timestamps` says: ISO 8601 as wfm writes it, no guessed day/month order,
    and varying UTC offsets only with the time zone (``--tz``). The table is one row per interval, as
    :func:`_check_intervals` checks: rows out of time order are sorted (the table is keyed by its interval starts;
    a spreadsheet sort by another column loses nothing), and a repeated interval, rows off one interval grid and
    an interval missing inside a day (staffed as 0 agents if let through) are errors naming the file, the times and
    the fix (``allow_holes=True`` lets the last through: a history of past weeks, whose closed intervals ``wfm history
    --missing closed`` leaves out). An ``aht`` column in minutes is refused (:func:`wfm._validation.check_aht_column`).
    """
    import pandas as pd

    from ..logs import read_table

    p = Path(path)
    frame, rows, _ = read_table(p, what)
    if frame.shape[1] == 0:
        raise ValueError(f"{what} {p.name!r} has no columns; its first column must hold the interval starts.")
    column = "timestamp" if "timestamp" in frame.columns else frame.columns[0]
    labels = [c for c in frame.columns[:list(frame.columns).index(column)]  # wfm run's queue, forecast_config
              if not pd.api.types.is_numeric_dtype(frame[c])]
    for label in labels:
        values = frame[label].dropna().unique()
        if len(values) > 1:
            raise ValueError(f"{what} {p.name!r} holds {len(values)} values in its column {label!r} ("
                             + ", ".join(repr(str(x)) for x in values[:4]) + (", ..." if len(values) > 4 else "")
                             + f"): one table per {label}. Give a file with the rows of one {label}, e.g. those "
                             f"where {label} is {str(values[0])!r}.")
    stamps = _timestamps(frame[column], f"{what} {p.name!r}", column, rows, dayfirst=dayfirst,
                         date_format=date_format, tz=tz)
    frame = frame.drop(columns=labels + [column])
    if "aht" in frame.columns and pd.api.types.is_numeric_dtype(frame["aht"]):  # wfm's tables: AHT in seconds
        from .._validation import check_aht_column

        check_aht_column(frame["aht"], f"{what} {p.name!r}: column 'aht'", rows=rows, warn=False)
    frame.index = stamps.rename(column)
    return _check_intervals(frame, f"{what} {p.name!r}", column, rows, allow_holes=allow_holes)


def _check_intervals(frame, where, column, rows, *, allow_holes=False):
    """
    ``frame`` (on its interval starts, rows in file order, ``rows`` their lines) sorted by time, one row per interval:
    a repeated interval, steps off one interval grid and an interval missing inside a day are errors naming ``where``.
    """
    import numpy as np
    import pandas as pd

    from .._validation import check_no_holes, infer_interval
    from ..logs import _parse as lp

    stamps = frame.index
    dup = np.asarray(stamps.duplicated(keep=False))
    if dup.any():
        raise ValueError(f"{where}: " + str(lp.rows_error(
            column, "repeats an interval", dup, rows, values=np.asarray(stamps.astype(str)), rejectable=False,
            hint="The table has one row per interval: remove (or add up) the repeated rows.")))
    if not stamps.is_monotonic_increasing:  # sorted in a spreadsheet by another column: keyed by time, so sort
        frame = frame.iloc[np.argsort(stamps.asi8, kind="stable")]
        stamps = frame.index
    if len(stamps) < 2:
        return frame
    try:
        step = infer_interval(stamps, column)
    except ValueError:
        gaps = np.diff(stamps.asi8)
        values, counts = np.unique(gaps, return_counts=True)
        i = int(np.flatnonzero(gaps < values[np.argmax(counts)])[0])
        usual = pd.Timedelta(int(values[np.argmax(counts)]), unit=stamps.unit)
        raise ValueError(f"{where}: the rows are not one interval each: most interval starts are {_minutes(usual)} "
                         f"apart, but {stamps[i]:%Y-%m-%d %H:%M} and {stamps[i + 1]:%H:%M} are "
                         f"{_minutes(stamps[i + 1] - stamps[i])} apart. Give one row per interval, all of one "
                         "length (as wfm writes them).") from None
    if not allow_holes:
        check_no_holes(stamps, where, step)
    return frame


def _whole_agents(flag):
    """The CLI's hint for a column of agents that is not whole (wfm._validation.check_whole), naming ``flag``."""
    return lambda _: (f"Give {flag} a column of whole agents (agents, the default: the plan's agents, rounded up), "
                      "or round this column up in the file.")


def _minutes(delta):
    return f"{delta.total_seconds() / 60:g} min"


_ISO = ("wfm writes interval starts in ISO 8601, YYYY-MM-DD HH:MM (with a UTC offset such as +01:00 in a time zone), "
        "and reads them as they are: write the column that way (as wfm forecast does) or say how it is written")
#: What to do when the offsets of a table change (wfm.logs names the rows and the offsets).
_ZONE_HINT = ("Pass --tz with the time zone they were written in (the --tz given to wfm forecast), e.g. --tz "
              "Europe/London, so the intervals keep their local clock.")


def _timestamps(values, where, column, rows, *, dayfirst=None, date_format=None, tz=None):
    """
    Interval starts of a column of wfm's own tables (a forecast, a plan, actuals), as a DatetimeIndex.

    Read by :func:`wfm.logs.parse_datetimes`: ISO 8601 as it is, a numeric date that reads both day-first and
    month-first only with ``dayfirst`` or ``date_format`` (never guessed), no time without a date, and offsets
    that change (a clock change) only with ``tz``. ISO 8601 reads even with a ``date_format`` meant for another
    file of the command; datetime cells (Excel, Parquet) are taken as they are. With ``tz``, times with an offset
    are converted to it, and the offsets they were written with must be the zone's; naive times are put on its
    local clock. Errors name ``where`` (the flag and file), the column and the rows.
    """
    import numpy as np
    import pandas as pd

    from ..logs import _parse as lp

    values = pd.Series(values).reset_index(drop=True)
    is_text = not (pd.api.types.is_datetime64_any_dtype(values.dtype) or pd.api.types.is_numeric_dtype(values.dtype))
    shown = values.to_numpy() if is_text else values.astype(str).to_numpy()  # values in messages, offsets kept
    text = values.astype("string").str.strip() if is_text else None
    if date_format and is_text and pd.to_datetime(text, format="ISO8601", errors="coerce", utc=True).notna().all():
        date_format = None  # wfm's own ISO 8601 output, beside a file of the command in another format
    try:
        stamps = lp.parse_datetimes(values, column, rows, dayfirst=dayfirst, date_format=date_format, required=True,
                                    what="interval starts (timestamps)", tz=tz, zone_hint=_ZONE_HINT)
    except (ValueError, TypeError) as err:
        about_offsets = "UTC offset" in str(err)  # the offsets, not the format, are what to fix
        raise type(err)(f"{where}: {err}" + ("" if about_offsets else
                        f" {_ISO}{'' if is_text else ' (or as date cells)'}.")) from None
    if tz is None:
        return pd.DatetimeIndex(stamps)
    if getattr(stamps.dt, "tz", None) is None:
        written = None
    elif is_text:
        written = lp._offsets(text.astype(object).fillna("")).to_numpy(dtype=object)
    else:  # datetime cells with a zone (Parquet)
        written = np.array([_offset_text(x) for x in _utc_offsets(stamps)], dtype=object)
    try:
        local = lp.localize(stamps, tz, column, rows)
    except ValueError as err:
        raise ValueError(f"{where}: {err}") from None
    if written is not None:
        zone = np.array([_offset_text(x) for x in _utc_offsets(local)], dtype=object)
        wrong = pd.notna(written) & (written != zone)
        if wrong.any():
            i = int(np.flatnonzero(wrong)[0])
            raise ValueError(f"{where}: " + str(lp.rows_error(
                column, f"holds UTC offsets that are not those of --tz {tz} at those times", wrong, rows,
                values=shown, hint=f"In {tz} row {rows[i]} is {zone[i]}. Pass --tz with the zone the file was "
                f"written in, or leave --tz out when its offset never changes.")))
    return pd.DatetimeIndex(local)


def _utc_offsets(stamps):
    """Seconds east of UTC of each time-zone-aware timestamp."""
    import numpy as np

    utc = stamps.dt.tz_convert("UTC").dt.tz_localize(None)
    return np.asarray((stamps.dt.tz_localize(None) - utc).dt.total_seconds(), dtype=float)


def _offset_text(seconds):
    sign = "-" if seconds < 0 else "+"
    minutes = int(round(abs(seconds) / 60))
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


@contextlib.contextmanager
def _in_file(path, flag=None):
    """
    Errors raised reading the file ``path`` (given to ``flag``, if any) start with them, as :func:`_read_table`'s do:
    ``--states 'states.csv': column 'start' ...``. An error that already names the file (or starts with the flag) is
    left as it is.
    """
    where = f"{flag} {Path(path).name!r}" if flag else repr(Path(path).name)
    try:
        yield
    except (ValueError, TypeError) as err:
        text = str(err)
        if Path(path).name in text or (flag and text.startswith(f"{flag}:")):
            raise
        try:
            new = type(err)(f"{where}: {text}")
        except Exception:  # an error class whose constructor takes other arguments
            new = ValueError(f"{where}: {text}")
        raise new from None


def _timestamp_options(args):
    """--dayfirst/--monthfirst, --date-format and --tz of a command that has them (None where it has not)."""
    return dict(dayfirst=_dayfirst(args) if hasattr(args, "dayfirst") else None,
                date_format=getattr(args, "date_format", None), tz=getattr(args, "tz", None))


def _zone(text):
    """--tz: a time zone name such as Europe/London or UTC (checked when the flags are parsed)."""
    import pandas as pd

    try:
        pd.Timestamp("2000-01-01", tz=text)
    except (LookupError, ValueError, TypeError):
        raise argparse.ArgumentTypeError(f"unknown time zone {text!r}; give an IANA name such as Europe/London, "
                                         f"America/New_York or UTC") from None
    return text


def _rules_yaml(path):
    """The YAML of a --rules file (None when it is empty); a missing file is an error naming --rules."""
    import yaml

    if not Path(path).exists():
        raise FileNotFoundError(f"--rules: no such file {str(path)!r}.")
    return yaml.safe_load(Path(path).read_text())


def _shift_rules(path):
    """
    (rules, keys set aside) of the --rules of wfm schedule and wfm intraday: shift rules, or a file whose schedule:
    section holds them (a scenario, roster rules). A scenario schedule section's solver options are set aside; any
    other key is an error naming it, the key it is close to and the keys accepted.
    """
    from .._validation import _suggest
    from ..roster.arguments import _RULE_KEYS as ROSTER_KEYS
    from ..scenario.schema import SECTIONS
    from ..schedule.shifts import _RULE_KEYS, _SOLVER_KEYS

    rules, where = _rules_yaml(path), f"--rules {Path(path).name!r}"
    if isinstance(rules, dict) and "schedule" in rules:  # a scenario or roster rules: the schedule section
        rules, where = rules["schedule"], where + " schedule:"
    if not isinstance(rules, dict):
        raise ValueError(f"{where} must hold a mapping of shift rules (shifts, week, open_hours) or a scenario with a "
                         f"schedule section; got {type(rules).__name__}.")
    unknown = [k for k in rules if k not in _RULE_KEYS + _SOLVER_KEYS]
    if unknown:
        k = unknown[0]
        why = (" The file has no schedule: section (it looks like a scenario or another wfm file)."
               if k in SECTIONS and not where.endswith(":") else
               f" {k!r} is a roster rule (wfm roster --rules), which holds its shift rules under schedule:."
               if k in ROSTER_KEYS else _suggest(k, _RULE_KEYS + _SOLVER_KEYS))
        raise ValueError(f"{where} has unknown key {k!r}.{why} The shift rules' keys are {', '.join(_RULE_KEYS)}; "
                         f"a scenario's schedule section may also hold {', '.join(_SOLVER_KEYS)} (set aside here).")
    return {k: x for k, x in rules.items() if k in _RULE_KEYS}, [k for k in rules if k in _SOLVER_KEYS]


def _schedule_week_start(flag, path):
    """
    (weekday, where it came from) wfm schedule sizes its weeks on. A --rules file with a schedule: section may state
    one: roster rules as week_start (the week wfm roster --requirement sizes on), a scenario as horizon.week_start;
    that is used, and a --week-start naming another day is refused. Else --week-start, else the first open day after
    the closed days of --requirement: None, which wfm.schedule_weeks reads from them (wfm.calendar.infer_week_start).
    """
    from ..calendar import check_week_start

    rules, name = _rules_yaml(path), Path(path).name
    horizon = rules.get("horizon") if isinstance(rules, dict) else None
    key = ("week_start" if "week_start" in rules else "horizon.week_start" if isinstance(horizon, dict)
           and "week_start" in horizon else None) if isinstance(rules, dict) and "schedule" in rules else None
    if flag is not None:
        check_week_start(flag, "--week-start")
    if key is None:
        return (flag, "--week-start") if flag is not None else (None, "inferred from --requirement")
    stated = rules["week_start"] if key == "week_start" else horizon["week_start"]
    _check_week_starts(flag, stated, key, name)
    return stated, f"the {key} of --rules"


def _check_week_starts(flag, stated, key, name):
    """The week start ``key`` of --rules file ``name`` checked, and a --week-start ``flag`` naming another day
    refused (neither silently wins). Returns the weekday, 0 (Monday) to 6."""
    from ..calendar import check_week_start

    day = check_week_start(stated, f"--rules {name!r} {key}")
    if flag is not None and check_week_start(flag, "--week-start") != day:
        raise ValueError(f"--week-start {flag} conflicts with --rules {name!r}, whose {key} is {stated}: the file "
                         f"sizes weeks from {stated}. Drop --week-start, or change {key} in the file.")
    return day


def _columns(frame, what, names):
    missing = [n for n in names if n not in frame.columns]
    if missing:
        raise ValueError(f"{what} has no column {missing[0]!r}; its columns are {list(frame.columns)}.")


def _write(path, frame):
    from ..report import write_table

    return write_table(path, frame)


def _shrinkage(text):
    """--shrinkage 0.3, or its components: breaks=0.1,absence=0.15 (fractions of paid time)."""
    def fraction(value, what):
        try:
            return float(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} must be a fraction such as 0.3; got {value!r}") from None

    if "=" not in text:
        return fraction(text, "--shrinkage")
    return {name: fraction(value, f"--shrinkage {name}") for name, value in _pairs(text, "--shrinkage").items()}


def _check_fraction_flags(*flags):
    """ValueError naming the flag for a fraction flag out of its bounds: ``(flag, value, low_closed, high_closed)``.

    The library's own check would name the Python argument (``service_level``) and every interval the one number
    was spread to; a percentage gets the same hint. A dict value (--shrinkage NAME=FRACTION,...) is checked by part.
    """
    from .._validation import field_fraction

    for flag, value, low_closed, high_closed in flags:
        parts = value.items() if isinstance(value, dict) else [("", value)]
        for name, part in parts:
            if part is None:
                continue
            try:
                field_fraction(part, low_closed=low_closed, high_closed=high_closed)
            except ValueError as err:
                raise ValueError(f"{flag}{' ' + name if name else ''} {err}") from None


def _check_seconds_flags(*flags):
    """ValueError naming the flag for a time flag below its bound: ``(flag, value, allow_zero)`` [s].

    The library's own check would name the Python argument (``threshold``) and every interval the one number was
    spread to, as :func:`_check_fraction_flags` says of fractions.
    """
    from .._validation import field_positive

    for flag, value, allow_zero in flags:
        try:
            field_positive(value, "seconds", allow_zero=allow_zero)
        except ValueError as err:
            raise ValueError(f"{flag} {err}") from None


def _pairs(text, flag):
    """'a=b,c=d' -> {'a': 'b', 'c': 'd'} for --columns and --outcomes."""
    out = {}
    for item in (x.strip() for x in text.split(",")):
        if not item:
            continue
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise argparse.ArgumentTypeError(f"{flag} takes name=value pairs separated by commas, e.g. "
                                             f"{'calls=Offered,date=Date' if flag == '--columns' else 'AGENT=answered,HANG=abandoned'}; "
                                             f"got {item!r}")
        out[key.strip()] = value.strip()
    return out


def _column_values(items, flag):
    """['type=PS,PE', 'queue=A'] -> {'type': ['PS', 'PE'], 'queue': ['A']} for --filter and --na."""
    out = {}
    for item in items or []:
        key, sep, values = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"{flag} takes COLUMN=VALUE[,VALUE...], e.g. {flag} type=PS; got {item!r}.")
        out.setdefault(key.strip(), []).extend(v.strip() for v in values.split(","))
    return out


def _shell_word(value):
    """``value`` as it is typed in a shell: quoted when it holds a space or a character the shell reads."""
    import re
    import shlex

    text = str(value)
    return shlex.quote(text) if re.search(r"[\s'\"$`;&|<>()\\*!#~]", text) else text


def _flag_names():
    """How the readers' options are named on the command line (for their error messages)."""
    def pairs(flag):
        return lambda d: f"{flag} " + ",".join(f"{k}={_shell_word(v)}" for k, v in (d or {"name": "Column"}).items())

    def per_column(flag):
        return lambda d: " ".join(f"{flag} {k}={','.join(str(x) for x in (v if isinstance(v, list) else [v]))}"
                                  for k, v in (d or {"column": "value"}).items())

    return {
        "columns": pairs("--columns"),
        "outcomes": pairs("--outcomes"),
        "dayfirst": lambda value: "--dayfirst" if value else "--monthfirst",
        "date_format": lambda value: f"--date-format '{value}'",
        "sort": lambda value: "--sort",
        "skew": lambda value: f"--skew {value}",
        "filters": per_column("--filter"),
        "na_values": per_column("--na"),
        "missing": lambda value: f"--missing {value}",
        "interval": lambda value: f"--interval {value:g}" if isinstance(value, (int, float)) else
        f"--interval {value}",
        "week_start": lambda value: f"--week-start {value}",
        "allow_shortfall": lambda value: "--allow-shortfall",
        "time_limit": lambda value: f"--time-limit {value:g}",
        "open_hours": lambda value: "--open-hours 08:00-18:00",
        "exclude": lambda value: " ".join(f'--exclude "{x}"' for x in _exclude_texts(value)),
        "fallback": per_column("--fallback"),
        "on_bad_rows": lambda value: f"--on-bad-rows {value}",
        "zero_wait_abandons": lambda value: f"--zero-wait-abandons {value}",
        "only": lambda value: "--only " + ",".join(value or []),
        "tz": lambda value: f"--tz {value}",
    }


def _exclude_texts(value):
    """An exclude option (expression, dict or list) as the expressions --exclude takes."""
    items = value if isinstance(value, (list, tuple)) else [value]
    out = []
    for item in items:
        if isinstance(item, dict):
            out += [f"{k} in {list(v) if isinstance(v, (list, tuple)) else [v]!r}" for k, v in item.items()]
        else:
            out.append(str(item))
    return out


def _bad_rows(args):
    """--on-bad-rows, which --rejected FILE implies is reject."""
    return "reject" if getattr(args, "rejected", None) else getattr(args, "on_bad_rows", "error")


def _write_rejected(args, frame):
    """Write the rows a reader set aside (--on-bad-rows reject) to --rejected, or beside --out; say so."""
    rejected = frame.attrs.get("rejected")
    if rejected is None:
        return None
    out = Path(args.out)
    path = Path(args.rejected) if args.rejected else out.with_name(out.name.split(".")[0] + "_rejected.csv")
    if not len(rejected):
        _say(args, "  rejected: no row set aside")
        return None
    _write(path, rejected)
    reasons = rejected["reason"].value_counts()
    _say(args, f"  rejected: {len(rejected):,} row(s) set aside, written to {path} ("
               + "; ".join(f"{n:,} {reason}" for reason, n in reasons.items()) + ")")
    return path


def _dayfirst(args):
    return True if args.dayfirst else (False if args.monthfirst else None)


def _history_options(args):
    """Reader flags of an interval report -> keyword arguments of wfm.logs.read_history."""
    return dict(columns=args.columns, dayfirst=_dayfirst(args), date_format=args.date_format, tz=args.tz,
                sort=args.sort, missing=args.missing, exclude=args.exclude, on_bad_rows=_bad_rows(args))


def _contact_options(args):
    """Reader flags of a contact log -> keyword arguments of wfm.logs.read_contacts."""
    return dict(columns=args.columns, outcomes=args.outcomes, na_values=_column_values(args.na, "--na") or None,
                filters=_column_values(args.filter, "--filter") or None, skew=args.skew, dayfirst=_dayfirst(args),
                date_format=args.date_format, tz=args.tz, exclude=args.exclude,
                fallback=_column_values(args.fallback, "--fallback") or None,
                zero_wait_abandons=args.zero_wait_abandons, on_bad_rows=_bad_rows(args))


def _open_days(text, flag="--open-days"):
    """'Mon-Fri', 'Sun-Thu' or 'Mon,Wed,Fri' (days and ranges, comma-separated) -> weekday names; None for None."""
    from ..calendar import _WEEKDAYS, _weekday

    if text is None:
        return None
    days = []
    for item in str(text).split(","):
        first, sep, last = item.strip().partition("-")
        try:
            a, b = _weekday(first, flag), _weekday(last if sep else first, flag)
        except ValueError:
            raise ValueError(f"{flag} takes weekdays and ranges, e.g. Mon-Fri, Sun-Thu or Mon,Wed,Fri; got "
                             f"{text!r}.") from None
        days += [_WEEKDAYS[(a + k) % 7] for k in range((b - a) % 7 + 1)]
    return [d for d in _WEEKDAYS if d in days]


def _open_hours(text):
    if text is None:
        return None
    if text.strip().lower() in ("24h", "24/7"):
        return "24h"
    start, sep, stop = text.partition("-")
    if not sep:
        raise ValueError(f"--open-hours takes OPEN-CLOSE, e.g. 08:00-18:00, or 24h; got {text!r}.")
    return (start.strip(), stop.strip())
