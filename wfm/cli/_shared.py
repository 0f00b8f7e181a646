"""The CLI's shared pieces: exit codes, printing, reading and writing tables, the reader flags' values."""

from __future__ import annotations

import argparse
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


def _read_table(path, what):
    """A CSV or Parquet table indexed by its first column (timestamps), as wfm.report.write_table writes it."""
    import pandas as pd

    from ..logs import read_table

    p = Path(path)
    frame, _, _ = read_table(p, what)
    if not isinstance(frame.index, pd.DatetimeIndex):
        frame = frame.set_index(frame.columns[0])
    try:
        frame.index = pd.DatetimeIndex(pd.to_datetime(frame.index), name=frame.index.name or "timestamp")
    except (ValueError, TypeError):
        raise ValueError(f"{what} {p.name!r}: its first column must hold interval starts (timestamps); got "
                         f"{str(frame.index[0])!r}.") from None
    return frame


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


def _flag_names():
    """How the readers' options are named on the command line (for their error messages)."""
    def pairs(flag):
        return lambda d: f"{flag} " + ",".join(f"{k}={v}" for k, v in (d or {"name": "Column"}).items())

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


def _open_hours(text):
    if text is None:
        return None
    if text.strip().lower() in ("24h", "24/7"):
        return "24h"
    start, sep, stop = text.partition("-")
    if not sep:
        raise ValueError(f"--open-hours takes OPEN-CLOSE, e.g. 08:00-18:00, or 24h; got {text!r}.")
    return (start.strip(), stop.strip())
