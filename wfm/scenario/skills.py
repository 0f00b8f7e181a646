"""
A multi-skill centre file: the YAML that ``wfm skills`` reads, and the ``skills`` section of a scenario.

The keys are the arguments of :func:`wfm.skills.centre` (``calls`` is the
path of a CSV or Parquet table: interval starts in the first column, one
column of expected calls per call type), plus an optional ``staffing``
mapping of :func:`wfm.skills.staff_centre` options and a ``description``
(free text shown with the results, e.g. that the data are synthetic)::

    calls: calls_by_type.csv
    aht: {billing: 240, sales: 300}
    patience: {billing: 180, sales: 120}
    targets: {billing: {service_level: 0.8, threshold: 20}, sales: {max_abandon_rate: 0.05}}
    skills: {billing+sales: {sales: 1, billing: 2}, billing: [billing]}
    cost: {billing+sales: 1.03}       # per agent-hour; 1 for a group not named
    staffing: {method: simulation, replications: 8, seed: 0}

A centre file holds these keys at its top level; a scenario holds them under
``skills:`` (:class:`wfm.scenario.schema.SkillsSection`). Both go through
:func:`centre_from_spec`, so they read alike and fail alike.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import yaml

from .._validation import UnitWarning
from ..logs import read_table
from ..logs._parse import parse_datetimes
from ..skills import centre, staff_centre
from ..skills.model import check_unbroken

__all__ = ["CENTRE_KEYS", "REQUIRED_KEYS", "STAFFING_KEYS", "check_centre_keys", "centre_from_spec", "load_centre",
           "staff_centre_file"]

CENTRE_KEYS = ("calls", "skills", "aht", "patience", "targets", "cost", "max_agents", "routing", "aht_by_group",
               "interval", "handle_cv", "overflow_delay", "primary_groups", "staffing", "description")
REQUIRED_KEYS = ("calls", "skills", "aht")
STAFFING_KEYS = ("method", "start_from", "replications", "intervals", "warmup", "check", "tolerance", "seed", "level",
                 "min_calls", "exhaustive")


def check_centre_keys(spec, where):
    """Raise ValueError naming ``where`` for an unknown or missing key of a centre spec or its ``staffing``."""
    if not isinstance(spec, dict):
        raise ValueError(f"{where}: a centre is a mapping with keys {list(CENTRE_KEYS)}; got {type(spec).__name__}.")
    unknown = [k for k in spec if k not in CENTRE_KEYS]
    if unknown:
        raise ValueError(f"{where}: unknown key {unknown[0]!r}; the keys are {list(CENTRE_KEYS)}.")
    for key in REQUIRED_KEYS:
        if spec.get(key) is None:  # absent or null
            raise ValueError(f"{where}: the key {key!r} is required.")
    options = spec.get("staffing") or {}
    if not isinstance(options, dict):
        raise ValueError(f"{where}: staffing must be a mapping of staff_centre options {list(STAFFING_KEYS)}; got "
                         f"{options!r}.")
    bad = [k for k in options if k not in STAFFING_KEYS]
    if bad:
        raise ValueError(f"{where}: staffing has unknown key {bad[0]!r}; the keys are {list(STAFFING_KEYS)}.")


def _interval_starts(values, rows, source, where):
    """The calls file's first column as timestamps, never guessing the day/month order (the file has no dayfirst
    key: an ambiguous date is an error naming the column and lines, and asking for ISO dates)."""
    column = values.name if values.name is not None else "first column"
    try:
        # in microseconds, as pandas reads text dates and as wfm.skills.synthetic_centre's date_range: unchanged
        return pd.DatetimeIndex(parse_datetimes(pd.Series(values), column, rows, required=True)).as_unit("us")
    except (ValueError, TypeError) as err:
        text = str(err).split(" wfm does not guess the order")[0]
        if text != str(err):
            text += (" wfm does not guess the order and a centre file has no dayfirst key: write the dates in ISO "
                     "8601 (year-month-day, e.g. 2024-03-04 08:00), which read one way only.")
        raise type(err)(f"{where}: calls file {source.name}: {text}") from None


def centre_from_spec(spec, base_dir, where):
    """
    The :class:`wfm.skills.Centre` of a centre spec, its ``staffing`` options and its ``description``.

    Parameters
    ----------
    spec : dict
        The keys of :data:`CENTRE_KEYS` (None values count as absent).
    base_dir : Path
        Folder the ``calls`` path is relative to.
    where : str
        How errors name the spec (the file, or ``file: skills``).

    Returns
    -------
    (Centre, dict, str)

    Raises
    ------
    ValueError, TypeError, FileNotFoundError
        From the key checks, the calls table and :func:`wfm.skills.centre`.
    """
    check_centre_keys(spec, where)
    spec = {k: val for k, val in spec.items() if val is not None}
    options = dict(spec.pop("staffing", None) or {})
    description = str(spec.pop("description", "") or "")
    source = Path(base_dir) / spec.pop("calls")
    frame, rows, _ = read_table(source, "calls")
    if not isinstance(frame.index, pd.DatetimeIndex):
        frame = frame.set_index(frame.columns[0])
        frame.index = pd.DatetimeIndex(_interval_starts(frame.index, rows, source, where), name="interval")
    check_unbroken(frame, spec.get("interval"), f"{where}: calls file {source.name}")
    with warnings.catch_warnings(record=True) as caught:  # a unit warning names the spec: skills.aht['billing']
        warnings.simplefilter("always", UnitWarning)
        made = centre(frame.astype(float), spec.pop("skills"), **spec)
    for w in caught:
        sep = ": " if Path(where).suffix else "."  # a centre file's name, or a scenario's section key
        text = f"{where}{sep}{w.message}" if issubclass(w.category, UnitWarning) else w.message
        warnings.warn_explicit(text, w.category, w.filename, w.lineno)
    return made, options, description


def load_centre(path):
    """The :class:`wfm.skills.Centre` of a centre file and its ``staffing`` options (a dict)."""
    path = Path(path)
    c, options, _ = centre_from_spec(yaml.safe_load(path.read_text()), path.parent, path.name)
    return c, options


def staff_centre_file(path, **overrides):
    """:func:`wfm.skills.staff_centre` of a centre file (``overrides`` replace its ``staffing`` options)."""
    c, options = load_centre(path)
    options.update({k: val for k, val in overrides.items() if val is not None})
    return staff_centre(c, **options)
