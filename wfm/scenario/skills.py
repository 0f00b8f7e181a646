"""
A multi-skill centre file: the YAML that ``wfm skills`` reads.

The keys are the arguments of :func:`wfm.skills.centre` (``calls`` is the
path of a CSV or Parquet table: interval starts in the first column, one
column of expected calls per call type), plus an optional ``staffing``
mapping of :func:`wfm.skills.staff_centre` options::

    calls: calls_by_type.csv
    aht: {billing: 240, sales: 300}
    patience: {billing: 180, sales: 120}
    targets: {billing: {service_level: 0.8, threshold: 20}, sales: {max_abandon_rate: 0.05}}
    skills: {billing+sales: {sales: 1, billing: 2}, billing: [billing]}
    cost: {billing+sales: 1.03}
    staffing: {method: simulation, replications: 8, seed: 0}
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from ..logs import read_table
from ..skills import centre, staff_centre

__all__ = ["CENTRE_KEYS", "STAFFING_KEYS", "load_centre", "staff_centre_file"]

CENTRE_KEYS = ("calls", "skills", "aht", "patience", "targets", "cost", "max_agents", "routing", "aht_by_group",
               "interval", "handle_cv", "staffing")
STAFFING_KEYS = ("method", "start_from", "replications", "intervals", "warmup", "check", "tolerance", "seed", "level")


def load_centre(path):
    """The :class:`wfm.skills.Centre` of a centre file and its ``staffing`` options (a dict)."""
    path = Path(path)
    spec = yaml.safe_load(path.read_text())
    if not isinstance(spec, dict):
        raise ValueError(f"{path.name}: a centre file is a mapping with keys {list(CENTRE_KEYS)}; got "
                         f"{type(spec).__name__}.")
    unknown = [k for k in spec if k not in CENTRE_KEYS]
    if unknown:
        raise ValueError(f"{path.name}: unknown key {unknown[0]!r}; the keys are {list(CENTRE_KEYS)}.")
    for key in ("calls", "skills", "aht"):
        if key not in spec:
            raise ValueError(f"{path.name}: the key {key!r} is required.")
    options = dict(spec.pop("staffing", None) or {})
    bad = [k for k in options if k not in STAFFING_KEYS]
    if bad:
        raise ValueError(f"{path.name}: staffing has unknown key {bad[0]!r}; the keys are {list(STAFFING_KEYS)}.")
    source = path.parent / spec.pop("calls")
    frame, _, _ = read_table(source, "calls")
    if not isinstance(frame.index, pd.DatetimeIndex):
        frame = frame.set_index(frame.columns[0])
        frame.index = pd.DatetimeIndex(pd.to_datetime(frame.index), name="interval")
    return centre(frame.astype(float), spec.pop("skills"), **spec), options


def staff_centre_file(path, **overrides):
    """:func:`wfm.skills.staff_centre` of a centre file (``overrides`` replace its ``staffing`` options)."""
    c, options = load_centre(path)
    options.update({k: val for k, val in overrides.items() if val is not None})
    return staff_centre(c, **options)
