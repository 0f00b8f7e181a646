"""Input checks shared by every public function: the foundation's validation layer.

Each ``check_*`` helper takes a value and the argument's name, returns the
cleaned NumPy array (or scalar) and raises a ``ValueError`` / ``TypeError``
whose message names the argument, what was expected (with the unit), what
arrived and where; ``describe_positions`` and ``rows_error`` say which rows
and ``_suggest`` the likely intended name, for every message in the package.
The ``field_*`` helpers are the scenario file's pydantic field validators
(scenario schema, channels section): pydantic puts the field's path before
their message, so they take no name.

Checks that need a package's own concepts are that package's validation
layer, one module each: the readers' column parsers (``logs/_parse.py``),
the scenario file (``scenario/schema.py``, pydantic), capacity rules
(``capacity/rules.py``, ``capacity/_checks.py``), roster arguments
(``roster/arguments.py``), channels (``channels/_checks.py``), intraday
inputs (``intraday/_checks.py``) and the multi-skill simulator's types,
groups and routing (``simulation/_multiskill_inputs.py``). They build their
messages from the helpers here.

Two concepts sit below this module, which re-exports their names: the one
message for times on two clocks, naive against a time zone
(``_clock_checks.py``), and how an option is named to the user: a Python
argument, a CLI flag or a scenario key (``_option_words.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._clock_checks import check_same_clock, clock_mismatch, clock_state, file_clock, mixed_clocks  # noqa: F401
from ._option_words import option, option_names, round_up_hint  # noqa: F401 (re-exported)

__all__ = [
    "Inputs",
    "as_float_array",
    "broadcast_inputs",
    "check_choice",
    "check_fraction",
    "check_nonnegative",
    "check_positive",
    "check_whole",
    "describe_positions",
    "infer_interval",
    "wrap_like",
]

_MAX_SHOWN = 5


def renamed(new, old, new_name, old_name, where):
    """
    The value of a keyword argument renamed from ``old_name`` to ``new_name``: ``old`` (with a
    DeprecationWarning) when only the old name was given, else ``new``; both given is an error.
    """
    if old is None:
        return new
    if new is not None:
        raise TypeError(f"{where}: pass {new_name}= only ({old_name}= is its old name).")
    import warnings

    warnings.warn(f"{where}: {old_name}= is deprecated; pass {new_name}= (the same table).", DeprecationWarning,
                  stacklevel=3)
    return old


def _fmt_label(label) -> str:
    if isinstance(label, pd.Timestamp):
        return label.strftime("%Y-%m-%d %H:%M")
    return str(label)


def describe_positions(mask, index=None, rows=None) -> str:
    """Say where ``mask`` is true: a count, the first positions and their labels (or ``rows``: a file's lines)."""
    mask = np.asarray(mask, dtype=bool)
    if mask.ndim == 0:
        return ""
    flat = np.flatnonzero(mask.ravel())
    total = mask.size
    shown = flat[:_MAX_SHOWN].tolist()
    more = ", ..." if flat.size > _MAX_SHOWN else ""
    if rows is not None:
        return f" in {flat.size} of {total} rows: rows [{', '.join(str(rows[i]) for i in shown)}{more}]"
    positions = ", ".join(str(i) for i in shown)
    text = f" at {flat.size} of {total} intervals, positions [{positions}{more}]"
    if index is not None and len(index) == total:
        labels = ", ".join(_fmt_label(index[i]) for i in shown)
        text += f" ({labels}{more})"
    return text


def _show(values, mask) -> str:
    bad = np.asarray(values)[np.asarray(mask, dtype=bool)] if np.ndim(values) else values
    if np.ndim(bad) == 0:
        return repr(bad.item() if hasattr(bad, "item") else bad)
    uniq = pd.unique(np.asarray(bad).ravel())[:3]
    return ", ".join(repr(v.item() if hasattr(v, "item") else v) for v in uniq) + (
        ", ..." if len(pd.unique(np.asarray(bad).ravel())) > 3 else ""
    )


def as_float_array(value, name: str, *, index=None) -> np.ndarray:
    """Convert ``value`` to a float array; reject non-numeric data, booleans and NaN."""
    if value is None:
        raise TypeError(f"{name} is required; got None.")
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be numeric; got the string {value!r}.")
    if isinstance(value, pd.DataFrame):
        raise TypeError(
            f"{name} must be a number, an array or a Series; got a DataFrame with columns "
            f"{list(value.columns)[:5]}. Pass one column, e.g. df[{str(value.columns[0])!r}]."
        )
    raw = value.to_numpy() if isinstance(value, (pd.Series, pd.Index)) else np.asarray(value)
    if raw.dtype == bool:
        raise TypeError(f"{name} must be numeric; got booleans.")
    if raw.dtype.kind not in "iuf":
        if raw.dtype.kind == "O" or raw.dtype.kind in "USa":
            converted = pd.to_numeric(pd.Series(raw.ravel()), errors="coerce").to_numpy()
            original_missing = pd.isna(pd.Series(raw.ravel())).to_numpy()
            bad = np.isnan(converted) & ~original_missing
            if bad.any():
                raise TypeError(
                    f"{name} must be numeric; got non-numeric values "
                    f"{_show(raw.ravel(), bad)}{describe_positions(bad, index)}."
                )
            raw = converted.reshape(raw.shape)
        else:
            raise TypeError(f"{name} must be numeric; got dtype {raw.dtype}.")
    arr = raw.astype(float, copy=False)
    nan = np.isnan(arr)
    if nan.any():
        raise ValueError(
            f"{name} must not contain NaN; got NaN{describe_positions(nan, index)}. "
            "Fill or drop those intervals first."
        )
    return arr


def _fail(name, arr, mask, expected, index, hint="", rows=None):
    if mask.any():
        raise ValueError(
            f"{name} must be {expected}; got {_show(arr, mask)}"
            f"{describe_positions(mask, index, rows)}.{(' ' + hint) if hint else ''}"
        )


def check_positive(arr, name, unit="", *, index=None, allow_inf=False, hint=""):
    """Every value > 0 (and finite unless ``allow_inf``)."""
    expected = f"> 0{(' ' + unit) if unit else ''}"
    _fail(name, arr, ~(arr > 0), expected, index, hint)
    if not allow_inf:
        _fail(name, arr, np.isinf(arr), f"finite{(' ' + unit) if unit else ''}", index, hint)
    return arr


def check_nonnegative(arr, name, unit="", *, index=None, hint="", rows=None):
    """Every value >= 0 and finite (``rows``: a table's row labels, where the values are rows, not intervals)."""
    expected = f">= 0{(' ' + unit) if unit else ''}"
    _fail(name, arr, ~(arr >= 0), expected, index, hint, rows)
    _fail(name, arr, np.isinf(arr), f"finite{(' ' + unit) if unit else ''}", index, hint, rows)
    return arr


def check_whole(arr, name, *, index=None, rows=None, hint=""):
    """Non-negative whole numbers (agents); ``rows`` and ``hint`` (put before the rounding hint) as in
    :func:`check_nonnegative`."""
    check_nonnegative(arr, name, "agents", index=index, hint=hint, rows=rows)
    fractional = arr != np.floor(arr)
    if fractional.any():  # the rounding hint depends on who asks (Python or a CLI flag)
        hint = " ".join(t for t in (hint, round_up_hint()) if t)
        _fail(name, arr, fractional, "whole numbers of agents", index, hint, rows)
    return arr


def check_fraction(arr, name, *, index=None, closed_low=False, closed_high=True, hint=""):
    """Every value is a fraction in (0, 1] (bounds as given); hint at percentages, or ``hint`` when given."""
    low = "[" if closed_low else "("
    high = "]" if closed_high else ")"
    ok = (arr >= 0 if closed_low else arr > 0) & (arr <= 1 if closed_high else arr < 1)
    bad = ~ok
    if bad.any() and not hint:
        worst = float(np.asarray(arr)[bad].ravel()[0]) if np.ndim(arr) else float(arr)
        if 1 < worst <= 100:
            hint = percentage_hint(worst)
    _fail(name, arr, bad, f"a fraction in {low}0, 1{high}", index, hint)
    return arr


def check_choice(value, name, choices):
    """``value`` is one of ``choices``."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {list(choices)}; got {value!r}.")
    return value


def infer_interval(index, name="calls") -> float:
    """Interval length in seconds from a DatetimeIndex: its freq, or its most common step.

    The one place the package infers an interval length from timestamps.
    Steps longer than the interval (closed nights and weekends, missing
    intervals) and repeated timestamps are allowed; a step shorter than the
    most common one means irregular spacing, an error naming where it is.
    """
    if not isinstance(index, pd.DatetimeIndex):
        raise ValueError(
            f"interval was not given and {name} has no DatetimeIndex to infer it from; "
            "pass interval in seconds, e.g. interval=1800 for 30-minute intervals."
        )
    freq = index.freq
    if freq is not None:
        try:
            return float(pd.Timedelta(freq).total_seconds())
        except (ValueError, TypeError):
            pass
    if len(index) < 2:
        raise ValueError(
            f"interval cannot be inferred from {name}'s index with {len(index)} timestamp(s); "
            "pass interval in seconds."
        )
    all_steps = np.asarray((index[1:] - index[:-1]).total_seconds())
    steps = all_steps[all_steps > 0]
    if steps.size == 0:
        raise ValueError(f"interval cannot be inferred from {name}'s index: no two timestamps differ.")
    values, counts = np.unique(steps, return_counts=True)
    step = values[np.argmax(counts)]
    # The step between open intervals of one day is the interval length; gaps over
    # closed nights and weekends are longer. The smallest step must be that length too.
    if values[0] != step:
        short = np.r_[False, (all_steps > 0) & (all_steps < step)]
        raise ValueError(
            f"interval cannot be inferred from {name}'s index: the most common step is "
            f"{pd.Timedelta(seconds=step)} but some timestamps are only {pd.Timedelta(seconds=values[0])} "
            f"apart{describe_positions(short, index)}; pass interval in seconds or fix the index."
        )
    return float(step)


@dataclass
class Inputs:
    """Broadcast float arrays plus what is needed to wrap results back."""

    arrays: dict
    index: object
    kind: str  # "scalar", "array" or "series"
    shape: tuple


def broadcast_inputs(**named) -> Inputs:
    """Convert named inputs to float arrays, check they align and broadcast them.

    Series must share one index; arrays must broadcast against each other and
    against the Series length. ``None`` values are passed through.
    """
    index = None
    index_owner = None
    kind = "scalar"
    arrays = {}
    for name, value in named.items():
        if value is None:
            continue
        if isinstance(value, pd.Series):
            if index is None:
                index, index_owner = value.index, name
            elif not value.index.equals(index):
                raise ValueError(_misaligned(index_owner, index, name, value.index))
            kind = "series"
        elif np.ndim(value) > 0 and kind == "scalar":
            kind = "array"
    for name, value in named.items():
        if value is None:
            arrays[name] = None
            continue
        arrays[name] = as_float_array(value, name, index=index if isinstance(value, pd.Series) else None)
    present = {k: v for k, v in arrays.items() if v is not None}
    try:
        shape = np.broadcast_shapes(*(v.shape for v in present.values()))
    except ValueError:
        lengths = ", ".join(f"{k} has shape {v.shape}" for k, v in present.items() if v.ndim)
        raise ValueError(f"inputs do not broadcast together: {lengths}. Give one value per interval "
                         "or a single value for all intervals.") from None
    if index is not None and shape != (len(index),):
        lengths = ", ".join(f"{k} has {len(v)}" for k, v in present.items() if v.ndim)
        raise ValueError(f"inputs do not align with {index_owner}'s {len(index)} intervals: {lengths}.")
    for k, v in present.items():
        arrays[k] = np.broadcast_to(v, shape)
    return Inputs(arrays, index, kind, shape)


def wrap_like(result, inputs: Inputs, name=None):
    """Return ``result`` as the caller's type: float, ndarray or Series on the same index."""
    result = np.asarray(result)
    if inputs.kind == "scalar":
        value = result.reshape(()).item()
        return int(value) if result.dtype.kind in "iu" else float(value)
    if inputs.kind == "series":
        return pd.Series(result.reshape(len(inputs.index)), index=inputs.index, name=name)
    return result


# --------------------------------------------------------------------------
# Checks for forecast evaluation (actual vs forecast, bands, origins).
# --------------------------------------------------------------------------


def check_aligned(**named):
    """Series among ``named`` share one index; arrays share one length.

    ``None`` values are skipped. The message names both arguments, their
    lengths and first timestamps, the first timestamp each lacks and, when
    the lengths agree, the first position where the labels differ.
    """
    present = {k: val for k, val in named.items() if val is not None}
    first_name, first = None, None
    for name, value in present.items():
        if not isinstance(value, pd.Series):
            continue
        if first is None:
            first_name, first = name, value.index
        elif not value.index.equals(first):
            raise ValueError(_misaligned(first_name, first, name, value.index))
    lengths = {k: (len(val) if np.ndim(val) else None) for k, val in present.items()}
    sized = {k: n for k, n in lengths.items() if n is not None}
    if len(set(sized.values())) > 1:
        text = ", ".join(f"{k} has {n}" for k, n in sized.items())
        raise ValueError(f"{' and '.join(sized)} do not align: {text} intervals. "
                         "Give one value per interval of actual.")
    return first


def _misaligned(name_a, idx_a, name_b, idx_b) -> str:
    clocks = clock_mismatch(name_a, idx_a, name_b, idx_b)
    if clocks:
        return f"{name_a} and {name_b} do not align: {clocks}"

    def head(idx):
        return f"{len(idx)} intervals" + (f" from {_fmt_label(idx[0])}" if len(idx) else "")

    msg = f"{name_a} and {name_b} do not align: {name_a} has {head(idx_a)}, {name_b} has {head(idx_b)}"
    missing = idx_a.difference(idx_b)
    extra = idx_b.difference(idx_a)
    parts = []
    if len(missing):
        parts.append(f"first timestamp missing from {name_b}: {_fmt_label(missing[0])}")
    if len(extra):
        parts.append(f"first timestamp of {name_b} not in {name_a}: {_fmt_label(extra[0])}")
    if not parts:
        n = min(len(idx_a), len(idx_b))
        differ = np.flatnonzero(np.asarray(idx_a[:n]) != np.asarray(idx_b[:n]))
        where = int(differ[0]) if differ.size else n
        if where < n:
            parts.append(f"same timestamps in a different order, first at position {where} "
                         f"({name_a} {_fmt_label(idx_a[where])}, {name_b} {_fmt_label(idx_b[where])})")
        else:
            parts.append("the same timestamps repeat a different number of times")
    return msg + "; " + "; ".join(parts) + f". Align them first, e.g. {name_b}.reindex({name_a}.index)."


def check_nonempty(arr, name):
    """At least one interval."""
    if np.size(arr) == 0:
        raise ValueError(f"{name} must hold at least one interval; got none.")
    return arr


def check_ordered(lower, upper, *, index=None, lower_name="lower", upper_name="upper"):
    """``lower <= upper`` everywhere: a band's bounds are not swapped."""
    bad = np.asarray(lower) > np.asarray(upper)
    if bad.any():
        raise ValueError(
            f"{lower_name} must be <= {upper_name}; got {lower_name} above {upper_name}"
            f"{describe_positions(bad, index)}. The band is [{lower_name}, {upper_name}]; "
            "were the bounds swapped?"
        )
    return lower, upper


def check_count(value, name, *, minimum=1, unit=""):
    """One whole number >= ``minimum`` (season lengths, horizons, origins)."""
    unit_text = f" {unit}" if unit else ""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer, float, np.floating)):
        raise TypeError(f"{name} must be a whole number >= {minimum}{unit_text}; got {value!r}.")
    if value != np.floor(value) or value < minimum:
        raise ValueError(f"{name} must be a whole number >= {minimum}{unit_text}; got {value!r}.")
    return int(value)


# Scenario-file fields (pydantic validators): pydantic puts the field's path before the message.


def field_fraction(value, *, low_closed=False, high_closed=True, allow_none=False):
    """A section field that is a fraction; a percentage (1 < value <= 100) gets the fraction it likely meant."""
    if value is None and allow_none:
        return value
    low, high = ("[" if low_closed else "("), ("]" if high_closed else ")")
    ok = (value >= 0 if low_closed else value > 0) and (value <= 1 if high_closed else value < 1)
    if not ok:
        hint = " " + percentage_hint(value) if 1 < value <= 100 else ""
        raise ValueError(f"must be a fraction in {low}0, 1{high}; got {value:g}.{hint}")
    return value


def field_positive(value, unit="", *, allow_none=True, allow_zero=False):
    """A section field that is > 0 (or >= 0 with ``allow_zero``), in ``unit``."""
    if value is None and allow_none:
        return value
    if not (value >= 0 if allow_zero else value > 0):
        raise ValueError(f"must be {'>= 0' if allow_zero else '> 0'}{(' ' + unit) if unit else ''}; got {value:g}.")
    return value


def field_count(value, what=""):
    """A section field that is a whole number of ``what`` >= 1 (None passes: the field is optional)."""
    if value is not None and value < 1:
        raise ValueError(f"must be a whole number{(' of ' + what) if what else ''} >= 1; got {value}.")
    return value


def check_datetime_index(value, name, why):
    """``value`` is a Series on a sorted DatetimeIndex without repeated timestamps."""
    if not isinstance(value, pd.Series):
        kind = f"a DataFrame with columns {list(value.columns)[:5]}" if isinstance(value, pd.DataFrame) else \
            type(value).__name__
        raise TypeError(f"{name} must be a Series on a DatetimeIndex {why}; got {kind}.")
    idx = value.index
    if not isinstance(idx, pd.DatetimeIndex):
        raise TypeError(f"{name} must be on a DatetimeIndex {why}; got a {type(idx).__name__}.")
    check_unique_sorted(idx, name, fix=f"{name}.sort_index()")
    return idx


def check_unique_sorted(idx, name, *, fix):
    """A DatetimeIndex with no repeated timestamp, in time order; ``fix`` names the call that sorts it."""
    dup = idx.duplicated()
    if dup.any():
        raise ValueError(f"{name} must not repeat a timestamp; got repeats{describe_positions(dup, idx)}.")
    if not idx.is_monotonic_increasing:
        back = np.r_[False, np.asarray(idx[1:] < idx[:-1])]
        raise ValueError(f"{name} must be sorted by time; got timestamps earlier than the one before"
                         f"{describe_positions(back, idx)}. Use {fix}.")


def check_finite(arr, name, unit="", *, index=None, hint=""):
    """Every value finite (no +-inf)."""
    _fail(name, arr, np.isinf(arr), f"finite{(' ' + unit) if unit else ''}", index, hint)
    return arr


# --------------------------------------------------------------------------
# Checks for schedule rules (keys, durations, clock times, interval grids).
# --------------------------------------------------------------------------


def check_rule(ok, name, value, expected, hint=""):
    """``ValueError("{name} must be {expected}; got {value}.")`` unless ``ok``.

    The one message shape of every rule check: the field's full name
    (``rules['shifts'][1] ('FT8').paid``), what it must be, what arrived.
    """
    if not ok:
        shown = value if isinstance(value, str) and value.startswith("<") else repr(value)
        raise ValueError(f"{name} must be {expected}; got {shown}.{(' ' + hint) if hint else ''}")
    return value


def check_keys(mapping, name, allowed, required=()):
    """``mapping`` is a dict whose keys are among ``allowed`` and include ``required``."""
    if not isinstance(mapping, dict):
        raise TypeError(f"{name} must be a dict with keys from {list(allowed)}; got {type(mapping).__name__}.")
    unknown = [k for k in mapping if k not in allowed]
    if unknown:
        raise ValueError(f"{name} has unknown key {unknown[0]!r}; the keys are {list(allowed)}.")
    missing = [k for k in required if k not in mapping]
    if missing:
        raise ValueError(f"{name} needs the key {missing[0]!r}; got keys {list(mapping)}.")
    return mapping


def check_flag(value, name):
    """``value`` is True or False."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {value!r}.")
    return bool(value)


def check_duration(value, name, *, allow_zero=False, at_most=None):
    """A duration: a pandas-style string ("4h", "1h30min", "15min") or a Timedelta.

    Returns a ``pd.Timedelta``. It must be > 0 (>= 0 with ``allow_zero``)
    and, when ``at_most`` is given, no longer than it.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (str, pd.Timedelta)):
        hint = ""
        if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_)):
            hint = _bare_duration_hint(value)
        raise TypeError(f"{name} must be a duration such as '4h', '1h30min' or '15min'; got {value!r}.{hint}")
    try:
        td = pd.Timedelta(value)
    except (ValueError, TypeError):
        raise ValueError(f"{name} must be a duration such as '4h', '1h30min' or '15min'; got {value!r}.") from None
    if pd.isna(td):
        raise ValueError(f"{name} must be a duration such as '4h'; got {value!r}.")
    low = "a duration >= 0" if allow_zero else "a duration > 0"
    check_rule(td >= pd.Timedelta(0) if allow_zero else td > pd.Timedelta(0), name, value, low)
    if at_most is not None:
        check_rule(td <= at_most, name, value, f"at most {_fmt_td(at_most)}")
    return td


def _bare_duration_hint(value) -> str:
    """What a bare number given as a duration most likely means: up to 12 hours (8 -> '8h'), up to 1440
    minutes (480 -> '480min', 8h), else seconds (28800 -> '28800s', 8h)."""
    v = float(value)
    if not np.isfinite(v) or v <= 0:
        return " Durations are strings with a unit, e.g. '8h' or '30min'."
    unit, text = (("hours", "h") if v <= 12 else ("minutes", "min") if v <= 1440 else ("seconds", "s"))
    td = pd.Timedelta(v, unit=text)
    given = f"{value:g}{text}"
    same = _fmt_td(td)
    also = f" ({same})" if same != given else ""
    return f" Durations are strings with a unit; {value:g} most likely means {unit}: '{given}'{also}."


def _fmt_td(td) -> str:
    """'4h', '1h30min', '15min', '1 day' for a Timedelta."""
    td = pd.Timedelta(td)
    if td >= pd.Timedelta(days=1) and td % pd.Timedelta(days=1) == pd.Timedelta(0):
        days = td // pd.Timedelta(days=1)
        return f"{days} day" + ("s" if days != 1 else "")
    minutes = int(td.total_seconds() // 60)
    seconds = td.total_seconds() - 60 * minutes
    h, m = divmod(minutes, 60)
    text = (f"{h}h" if h else "") + (f"{m}min" if m else "")
    if seconds:
        text += f"{seconds:g}s"
    return text or "0min"


# --------------------------------------------------------------------------
# Checks for the simulator: tables of rows (agent schedules, shifts) and
# the staffing a queue needs.
# --------------------------------------------------------------------------


def describe_rows(mask, labels=None) -> str:
    """Say which rows of a table ``mask`` marks: a count, the first row numbers and their labels."""
    mask = np.asarray(mask, dtype=bool).ravel()
    flat = np.flatnonzero(mask)
    shown = flat[:_MAX_SHOWN].tolist()
    more = ", ..." if flat.size > _MAX_SHOWN else ""
    text = f" at {flat.size} of {mask.size} rows, rows [{', '.join(str(i) for i in shown)}{more}]"
    if labels is not None and len(labels) == mask.size:
        text += f" ({', '.join(str(labels[i]) for i in shown)}{more})"
    return text


def check_frame_columns(frame, name, required, *, hint=""):
    """``frame`` is a DataFrame holding every column of ``required``."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name} must be a DataFrame with columns {list(required)}; got {type(frame).__name__}.")
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} needs the columns {list(required)}; missing {missing}, got "
                         f"{list(frame.columns)[:8]}.{(' ' + hint) if hint else ''}")
    return frame


def check_rows(bad, name, expected, *, labels=None, hint=""):
    """No row is ``bad``: the message says what ``name`` must be and which rows are not."""
    bad = np.asarray(bad, dtype=bool)
    if bad.any():
        raise ValueError(f"{name} must {expected}; got otherwise{describe_rows(bad, labels)}."
                         f"{(' ' + hint) if hint else ''}")


def check_timestamps(values, name):
    """Timestamps without NaT; returns a DatetimeIndex (time zone kept)."""
    try:
        out = pd.DatetimeIndex(pd.to_datetime(pd.Series(values).reset_index(drop=True)))
    except (TypeError, ValueError) as err:
        raise TypeError(f"{name} must hold timestamps; {err}.") from None
    check_rows(out.isna(), name, "hold a timestamp in every row", hint="Drop or fill the missing times first.")
    return out


def check_staffed(calls, agents, *, index=None, hint=""):
    """Some agent is staffed wherever contacts arrive and callers never hang up (an unbounded queue)."""
    bad = (np.asarray(calls) > 0) & (np.asarray(agents) <= 0)
    _fail("agents", np.asarray(agents), bad, "> 0 wherever calls arrive when patience is None (callers "
          "who never hang up and no agent make an unbounded queue)", index, hint)
    return agents


# --------------------------------------------------------------------------
# Checks for interval histories, future indexes and tables read from files
# (forecasting, the calendar and the history reader).
# --------------------------------------------------------------------------


def bad_holidays(value, why):
    """The error for a ``holidays`` argument that cannot be turned into dates."""
    return ValueError(f"holidays {why}: got {value!r}. Pass a country code such as 'US', a country and region "
                      "such as ('US', 'NY'), a holidays.HolidayBase, or a list of dates.")


def future_before_history(name, first, last, step):
    """The error for a forecast index (or start) that does not begin after the history ends."""
    end = pd.Timestamp(last) + pd.Timedelta(seconds=step)
    return ValueError(f"{name} must start after the history ends; got {_fmt_label(pd.Timestamp(first))}, but the "
                      f"history runs to {_fmt_label(pd.Timestamp(last))} (its last interval ends at "
                      f"{_fmt_label(end)}). Forecast only what comes after the data, or cut the history first.")


def check_interval_history(history, name="history", *, unit="calls", allow_nan=False):
    """A Series of counts on a sorted, repeat-free DatetimeIndex: numeric, >= 0, no NaN, not empty.

    Returns ``(index, values)`` with ``values`` a float array.
    """
    index = check_datetime_index(history, name, f"of {unit} per interval")
    if len(index) == 0:
        raise ValueError(f"{name} must hold at least one interval; got none.")
    if allow_nan:
        raw = history.to_numpy()
        if raw.dtype == bool or (raw.dtype.kind not in "iuf" and raw.dtype.kind != "O"):
            raise TypeError(f"{name} must be numeric; got dtype {raw.dtype}.")
        values = pd.to_numeric(history, errors="coerce").to_numpy(dtype=float)
        bad = np.isnan(values) & ~pd.isna(history).to_numpy()
        if bad.any():
            raise TypeError(f"{name} must be numeric; got non-numeric values {_show(raw, bad)}"
                            f"{describe_positions(bad, index)}.")
        ok = ~np.isnan(values)
        check_nonnegative(values[ok], name, unit, index=index[ok])
        return index, values
    values = as_float_array(history, name, index=index)
    check_nonnegative(values, name, unit, index=index,
                      hint=f"{name} counts {unit} per interval and cannot be negative.")
    return index, values


def check_future_index_type(future_index, name="future_index"):
    """``future_index`` is a DatetimeIndex (a number of days is the usual slip: the hint builds one from it)."""
    if not isinstance(future_index, pd.DatetimeIndex):
        days = future_index if isinstance(future_index, (int, np.integer)) and not isinstance(
            future_index, (bool, np.bool_)) and future_index > 0 else 5
        raise TypeError(f"{name} must be a DatetimeIndex of the interval starts to forecast; got "
                        f"{type(future_index).__name__} {future_index!r}"[:200]
                        + f". Build one with wfm.future_intervals(history, days={days}).")
    return future_index


def check_future_index(future_index, history_index, step, name="future_index"):
    """A sorted, repeat-free DatetimeIndex that starts after the history ends, in the same time zone."""
    check_future_index_type(future_index, name)
    if len(future_index) == 0:
        raise ValueError(f"{name} must hold at least one interval to forecast; got none.")
    if (future_index.tz is None) != (history_index.tz is None):
        tz, other = future_index.tz, history_index.tz
        fix = (f"build {name} with wfm.future_intervals from the history, which keeps its clock, or "
               + (f'{name} = {name}.tz_localize("{other}") if its times are {other} times' if tz is None else
                  f"{name} = {name}.tz_localize(None) for its local times without the zone"))
        raise ValueError(mixed_clocks(name, tz, "the history", other, fix))
    check_unique_sorted(future_index, name, fix=f"{name}.sort_values()")
    if future_index[0] <= history_index[-1]:
        raise future_before_history(name, future_index[0], history_index[-1], step)
    wall = future_index.tz_localize(None) if future_index.tz is not None else future_index
    seconds = np.asarray((wall - wall.normalize()).total_seconds())
    off = ~np.isclose(np.mod(seconds + 1e-6, step), 0, atol=1e-3)
    if off.any():
        raise ValueError(f"{name} must hold starts of the history's {step / 60:g}-minute intervals; got timestamps "
                         f"off that grid{describe_positions(off, future_index)}. Resample the history "
                         "(wfm.calendar.resample) or build the index with wfm.future_intervals.")
    return future_index


def check_min_history(n_have, n_need, name, what, hint=""):
    """At least ``n_need`` of ``what`` in the history (weeks, days, intervals)."""
    if n_have < n_need:
        raise ValueError(f"{name} is too short: it holds {n_have} {what}, and at least {n_need} are needed"
                         f"{'; ' + hint if hint else '.'}")


def _plain(value):
    if isinstance(value, pd.Timestamp):
        return _fmt_label(value)
    return value.item() if hasattr(value, "item") else value


def rows_error(column, problem, mask, rows=None, *, values=None, hint="", kind=ValueError):
    """
    The error for a table column whose rows break a rule: the column, the rule, how many rows and which.

    ``column`` is a column name (shown as ``column 'aht'``) or a path such as
    ``staff['headcount']`` (shown as it is); ``rows`` labels each row in the
    message (line numbers of a file; positions when None).
    """
    mask = np.asarray(mask, dtype=bool).ravel()
    where = np.flatnonzero(mask)
    rows = np.arange(mask.size) if rows is None else np.asarray(rows)
    shown = where[:_MAX_SHOWN]
    more = ", ..." if where.size > _MAX_SHOWN else ""
    row_text = ", ".join(str(rows[i]) for i in shown)
    value_text = ""
    if values is not None:  # only the rows shown are taken, not a million timestamps turned into objects
        vals = values.take(shown) if getattr(values, "ndim", 0) == 1 else np.asarray(values, object).ravel()[shown]
        value_text = " (values " + ", ".join(repr(_plain(x)) for x in vals) + more + ")"
    label = str(column) if "[" in str(column) else f"column {column!r}"
    return kind(f"{label} {problem} in {where.size} of {mask.size} rows: rows [{row_text}{more}]"
                f"{value_text}.{(' ' + hint) if hint else ''}")


def check_level_fraction(level, name="level"):
    """One coverage fraction in (0, 1), e.g. 0.8; hints when a percentage arrives."""
    arr = as_float_array(level, name)
    if arr.ndim:
        raise ValueError(f"{name} must be one number, the band's coverage, e.g. 0.8; got shape {arr.shape}.")
    check_fraction(arr, name, closed_high=False)
    return float(arr)


def unknown_options(method, bad, allowed):
    """The error for options a forecasting method does not take."""
    return TypeError(f"method={method!r} got unknown option(s) {sorted(bad)}; it takes {sorted(set(allowed))}.")


def check_spacing(index, interval, name="calls"):
    """Timestamps of ``index`` are at least ``interval`` seconds apart: intervals never overlap.

    Returns the seconds of each timestamp from the first.
    """
    seconds = np.asarray((index - index[0]).total_seconds(), dtype=float) if len(index) else np.zeros(0)
    steps = np.diff(seconds)
    bad = np.r_[False, steps < interval - 1e-9]
    if bad.any():
        raise ValueError(
            f"{name} must be on timestamps at least one interval ({interval:g} s) apart; got steps of "
            f"{_show(np.r_[0.0, steps], bad)} s{describe_positions(bad, index)}. Intervals may not overlap: "
            "pass interval in seconds or fix the index."
        )
    return seconds


def percentage_hint(value):
    """The hint for a percentage given where a fraction belongs: 'Did you mean 0.80? ...'."""
    return f"Did you mean {value / 100:.2f}? Targets and rates are fractions, not percentages."


#: How alike (difflib's ratio, 0-1) a name must be to one of the choices to be suggested for it in a message.
SUGGEST_CUTOFF = 0.6

#: How alike a name must be to a needed one to be taken for its misspelling ('hire_dat' for 'hire_date': 0.94),
#: where that refuses a table rather than only hinting: a different word ending alike ('account' and
#: 'headcount': 0.75) stays a different column.
TYPO_CUTOFF = 0.8


def _closest(word, choices, cutoff=SUGGEST_CUTOFF):
    """The one of ``choices`` closest to ``word`` with difflib's ratio >= ``cutoff``, else None."""
    import difflib

    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=cutoff)
    return close[0] if close else None


def _suggest(word, choices, cutoff=SUGGEST_CUTOFF) -> str:
    """' Did you mean 'x'?' when ``word`` is close to one of ``choices`` (:func:`_closest`)."""
    close = _closest(word, choices, cutoff)
    return f" Did you mean {close!r}?" if close else ""


# --------------------------------------------------------------------------
# Plausibility: values that are allowed but look like a unit mistake.
# --------------------------------------------------------------------------


class UnitWarning(UserWarning):
    """A value is allowed but looks like a unit mistake (minutes for seconds, a fraction for seconds); the run went on."""


#: Plausible ranges of the quantities checked by :func:`warn_implausible`: (low, high, what a slip looks like).
PLAUSIBLE = {
    "aht": (20.0, 7200.0, "aht is the mean handle time per call in seconds (300 for 5 minutes)"),
    "threshold": (1.0, np.inf, "threshold is the answer-time target in seconds (20 for 80/20)"),
    "patience": (5.0, np.inf, "patience is the mean time a caller waits before hanging up, in seconds"),
    "interval": (60.0, np.inf, "interval is the interval length in seconds (1800 for 30 minutes)"),
    "redial_delay": (20.0, np.inf, "redial_delay is the mean time from a failed attempt to the redial, in seconds "
                                   "(600 for 10 minutes)"),
}


def warn_implausible(value, name, kind=None, *, index=None, rows=None, stacklevel=3):
    """
    Warn (:class:`UnitWarning`) when a value is allowed but implausible: a likely unit mistake.

    ``kind`` is ``"aht"`` (under 20 s or over 2 h), ``"threshold"`` (under
    1 s), ``"patience"`` (under 5 s), ``"redial_delay"`` (under 20 s: 10
    typed for 10 minutes), ``"interval"`` (under 60 s: 30 typed
    for 30 minutes) or ``"counts"`` (numbers with decimals
    where whole contacts are counted); by default the ``name``. NaN is
    ignored. ``rows`` labels the values as a file's lines (the readers'),
    else their positions (and ``index`` labels) are named. Returns the
    warning text, or None when all is plausible.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = warn_implausible(5, "aht")
    >>> print(caught[0].message)
    aht of 5 s is implausible (expected 20 s to 2 h); aht is the mean handle time per call in seconds (300 for 5 minutes). Check the unit.
    >>> warn_implausible(300, "aht") is None
    True
    """
    import warnings

    kind = kind or name
    arr = np.asarray(value, dtype=float).ravel()
    arr_ok = arr[~np.isnan(arr)]
    if arr_ok.size == 0:
        return None
    if kind == "counts":
        bad = np.abs(arr - np.round(arr)) > 1e-9
        if not bad.any():
            return None
        where = describe_positions(bad, index, rows)
        text = (f"{name} holds numbers with decimals{where} (values {_show(arr, bad)}); "
                f"{name} counts contacts per interval, in whole numbers. Check that the column holds counts, not "
                "rates or averages.")
    else:
        low, high, meaning = PLAUSIBLE[kind]
        bad = (arr < low) | (arr > high)
        if not bad.any():
            return None
        where = describe_positions(bad, index, rows) if arr.size > 1 and np.unique(arr_ok).size > 1 else ""
        uniq = pd.unique(arr[bad])
        shown = ", ".join(f"{x:g}" for x in uniq[:3]) + (", ..." if uniq.size > 3 else "") + " s"
        span = f"{low:g} s to {high / 3600:g} h" if np.isfinite(high) else f"at least {low:g} s"
        text = f"{name} of {shown} is implausible (expected {span}){where}; {meaning}. Check the unit."
    warnings.warn(text, UnitWarning, stacklevel=stacklevel)
    return text


def warn_queue_units(*, aht=None, interval=None, threshold=None, patience=None, index=None, stacklevel=4):
    """
    :func:`warn_implausible` for each input of a queue formula given (not None): once per call, at a public entry.

    ``index`` labels the positions of an ``aht`` per interval. ``stacklevel``
    counts from :func:`warn_implausible`: 4 names the caller of the function
    that calls this.
    """
    for name, value in (("aht", aht), ("interval", interval), ("threshold", threshold), ("patience", patience)):
        if value is None or (isinstance(value, (int, float)) and PLAUSIBLE[name][0] <= value <= PLAUSIBLE[name][1]):
            continue  # one plausible number: the common case, checked without numpy
        warn_implausible(value, name, index=index if name == "aht" else None, stacklevel=stacklevel)


#: Share of a column's AHT values beyond the plausible range (under 20 s, or over 2 h and in milliseconds) from which
#: the column is taken to be in another unit (minutes, milliseconds) and refused.
MINUTES_SHARE = 0.9


def _aht_unit_slips(ok, low, high):
    """(values in another unit, what they are, why not seconds, the fix for those values) for an AHT column's
    non-NaN values ``ok``: minutes or hours (under ``low``), and milliseconds (over ``high``, and between ``low`` and
    ``high`` once divided by 1000)."""
    yield ok < low, f"under {low:g} s", "shorter than any contact", lambda x: _short_fix(x, low, high)
    yield ((ok > high) & (ok >= low * 1000) & (ok <= high * 1000), f"over {high / 3600:g} h", "longer than any contact",
           lambda x: f"the column looks like milliseconds, divide by 1000 ({np.median(x):.0f} ms is "
                     f"{np.median(x) / 1000:.3g} s)")


def _short_fix(values, low, high):
    """
    The fix for handle times under ``low``: minutes (x 60) only when that puts (nearly) every one of them
    (:data:`MINUTES_SHARE`) between ``low`` and ``high``; else hours (x 3600) when that does; else no unit fits.
    """
    x = float(np.median(values))
    for factor, unit in ((60, "minutes"), (3600, "hours")):
        if ((values * factor >= low) & (values * factor <= high)).mean() >= MINUTES_SHARE:
            return f"if the column is in {unit}, multiply it by {factor} ({x:.3g} {unit} is {x * factor:.3g} s)"
    return (f"neither minutes nor hours give handle times of {low:g} s to {high / 3600:g} h (x 60 gives "
            f"{x * 60:.3g} s, x 3600 {x * 3600:.3g} s): check what the column holds")


def check_aht_column(value, name, *, index=None, rows=None, warn=True, stacklevel=3):
    """
    Refuse a column of AHT in minutes or milliseconds; warn (:func:`warn_implausible`) for a few implausible values.

    When at least 90% (:data:`MINUTES_SHARE`) of the values (NaN ignored) are
    under 20 s, shorter than any contact, the column is not in seconds but
    (likely) minutes; when as many are over 2 h, longer than any contact,
    and between 20 s and 2 h once divided by 1000, it is in milliseconds.
    Either way a ValueError names ``name``, how many values and the
    conversion to seconds. A few such values among plausible ones are
    outliers: a :class:`UnitWarning` names them, as :func:`warn_implausible`
    does (unless ``warn`` is False: a reader whose caller warns later).

    Examples
    --------
    >>> check_aht_column([4.0, 4.5, 3.8], "column 'AHT'")
    Traceback (most recent call last):
    ...
    ValueError: column 'AHT' holds handle times under 20 s in 3 of 3 rows (values 4, 4.5, 3.8): shorter than any contact, so the column is not in seconds. wfm reads AHT in seconds: if the column is in minutes, multiply it by 60 (4 minutes is 240 s).
    >>> check_aht_column([245000.0, 310500.0, 198000.0], "column 'AHT'")
    Traceback (most recent call last):
    ...
    ValueError: column 'AHT' holds handle times over 2 h in 3 of 3 rows (values 245000, 310500, 198000): longer than any contact, so the column is not in seconds. wfm reads AHT in seconds: the column looks like milliseconds, divide by 1000 (245000 ms is 245 s).
    >>> check_aht_column([240.0, 300.0, np.nan], "aht") is None
    True
    """
    arr = np.asarray(value, dtype=float).ravel()
    ok = arr[~np.isnan(arr)]
    low, high = PLAUSIBLE["aht"][:2]
    for slip, beyond, why, fix in _aht_unit_slips(ok, low, high):
        if ok.size and slip.mean() >= MINUTES_SHARE:
            uniq = pd.unique(ok[slip])
            shown = ", ".join(f"{x:g}" for x in uniq[:3]) + (", ..." if uniq.size > 3 else "")
            raise ValueError(f"{name} holds handle times {beyond} in {int(slip.sum())} of {ok.size} rows (values "
                             f"{shown}): {why}, so the column is not in seconds. wfm reads AHT in seconds: "
                             f"{fix(ok[slip])}.")
    return warn_implausible(arr, name, "aht", index=index, rows=rows, stacklevel=stacklevel + 1) if warn else None


def holes_inside_days(index, interval):
    """
    Interval starts missing inside the days of ``index``: between a day's first and last interval, at a time of day
    another day of ``index`` has.

    ``index`` is a sorted DatetimeIndex of interval starts with no repeats, on a grid of ``interval`` seconds. A day
    absent whole, the hours before a day's first interval and after its last, and a stretch closed on every day
    (a lunch closure, the daytime of a centre open at night) are not holes: only a row missing where the other days
    have one is. A table of one day has none. Days and times of day are those of the wall clock; the grid runs in
    absolute time, so a clock change makes no hole.

    Examples
    --------
    >>> idx = pd.DatetimeIndex(["2024-03-04 08:00", "2024-03-04 08:30", "2024-03-04 09:00", "2024-03-05 08:00",
    ...                         "2024-03-05 09:00", "2024-03-06 08:30"])
    >>> holes_inside_days(idx, 1800).strftime("%Y-%m-%d %H:%M").tolist()
    ['2024-03-05 08:30']
    """
    index = index.as_unit("ns")
    t = index.asi8
    ns = int(round(float(interval) * 1e9))
    wall = index.tz_localize(None) if index.tz is not None else index
    day = wall.normalize().asi8
    after = np.zeros(len(t), dtype=np.int64)  # grid points missing after each row, within its day
    if len(t) > 1:
        after[:-1] = np.where(day[1:] == day[:-1], np.maximum(np.diff(t) // ns - 1, 0), 0)
    n = int(after.sum())
    if n == 0:
        return index[:0]
    k = np.arange(n) - np.repeat(np.cumsum(after) - after, after) + 1
    missing = pd.DatetimeIndex((np.repeat(t, after) + k * ns).astype("datetime64[ns]"))
    missing = missing.tz_localize("UTC").tz_convert(index.tz) if index.tz is not None else missing
    local = missing.tz_localize(None) if index.tz is not None else missing
    return missing[np.isin(local.asi8 - local.normalize().asi8, wall.asi8 - day)]  # a time of day seen elsewhere


def check_no_holes(index, name, interval=None):
    """
    Refuse intervals missing inside the days of ``index`` (:func:`holes_inside_days`), naming ``name``.

    A plan, a requirement or a forecast holds one row per open interval, so
    a row left out reads as closed: no call, no agent. A closure kept the
    same way every day (a lunch, nights, whole days, early closing on one
    weekday at its end) is not a hole. ``index`` that is not a DatetimeIndex
    or too short to have a grid passes, as do unsorted or repeated
    timestamps (other checks own those). ``interval`` [s] is inferred from
    ``index`` when None.

    Examples
    --------
    >>> idx = pd.DatetimeIndex(["2024-03-04 08:00", "2024-03-04 08:30", "2024-03-04 09:00", "2024-03-05 08:00",
    ...                         "2024-03-05 09:00"])
    >>> check_no_holes(idx, "calls")
    Traceback (most recent call last):
    ...
    ValueError: calls: 1 interval(s) missing inside the day's hours: 2024-03-05 08:30 (between that day's first and last rows, at times other days have). Left out, they would count as closed: no call, no agent. If the centre was open (and quiet), pass those intervals with 0 calls; if it was closed, leave the closure out the same way on every day (as a lunch or the nights are).
    """
    if not isinstance(index, pd.DatetimeIndex) or len(index) < 3:
        return
    if not index.is_monotonic_increasing or index.has_duplicates:
        return
    if interval is None:
        try:
            interval = infer_interval(index, name)
        except ValueError:
            return
    holes = holes_inside_days(index, float(interval))
    if len(holes):
        shown = ", ".join(f"{t:%Y-%m-%d %H:%M}" for t in holes[:5]) + (", ..." if len(holes) > 5 else "")
        raise ValueError(f"{name}: {len(holes)} interval(s) missing inside the day's hours: {shown} (between that "
                         "day's first and last rows, at times other days have). Left out, they would count as "
                         "closed: no call, no agent. If the centre was open (and quiet), pass those intervals with "
                         "0 calls; if it was closed, leave the closure out the same way on every day (as a lunch "
                         "or the nights are).")
