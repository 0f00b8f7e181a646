"""Checks and small conversions shared by the report writers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _validation as v


def type_error(name, expected, value):
    """``TypeError`` saying what ``name`` must be and what arrived."""
    return TypeError(f"{name} must be {expected}; got {type(value).__name__}.")


def as_frame(table, name):
    """A DataFrame from a DataFrame or Series (a Series becomes one column)."""
    if isinstance(table, pd.Series):
        return table.to_frame(name=table.name if table.name is not None else "value")
    if not isinstance(table, pd.DataFrame):
        raise type_error(name, "a pandas DataFrame (or Series)", table)
    return table


def has_default_index(frame):
    """True for an unnamed 0, 1, 2, ... index, which carries no information and is left out."""
    idx = frame.index
    return (isinstance(idx, pd.RangeIndex) and idx.name is None and idx.start == 0 and idx.step == 1)


def figure_of(figure, name="figure"):
    """The matplotlib Figure of a Figure, SubFigure or Axes."""
    fig = figure if hasattr(figure, "savefig") else getattr(figure, "figure", None)
    if fig is None or not hasattr(fig, "savefig"):
        raise type_error(name, "a matplotlib Figure or Axes", figure)
    return fig


def check_suffix(path, allowed, hint=""):
    """The suffix of ``path`` (lower case), one of ``allowed``."""
    suffix = path.suffix.lower()
    expected = "a file name ending in " + " or ".join(allowed)
    v.check_rule(suffix in allowed, "path", str(path), expected, hint)
    return suffix


def check_max_rows(value, name):
    """None (all rows) or a whole number >= 1."""
    return None if value is None else v.check_count(value, name, minimum=1, unit="rows")


def flat_label(label):
    """A column label as text (a day as 2003-10-20); a MultiIndex tuple joined with ' / '."""
    if isinstance(label, tuple):
        return " / ".join(flat_label(x) for x in label if not (isinstance(x, str) and x == ""))
    if isinstance(label, pd.Timestamp):
        pattern = ("%Y-%m-%d" if label == label.normalize() else
                   "%Y-%m-%d %H:%M" if label.second == 0 and label.microsecond == 0 else "%Y-%m-%d %H:%M:%S")
        return label.strftime(pattern)
    return str(label)


def table_columns(frame, unnamed="index"):
    """(labels as text, columns as Series, number of index columns) of a table, its index first.

    The index is left out when it is the default 0, 1, 2, ...; an unnamed
    index is headed ``unnamed`` (``level_i`` in a MultiIndex). Labels that
    repeat a column's get `` (index)``.
    """
    labels = [flat_label(c) for c in frame.columns]
    columns = [frame.iloc[:, j].reset_index(drop=True) for j in range(frame.shape[1])]
    if has_default_index(frame):
        return labels, columns, 0
    idx = frame.index
    names = [flat_label(n) if n is not None else (unnamed if idx.nlevels == 1 else f"level_{i}")
             for i, n in enumerate(idx.names)]
    names = [n if n not in labels else f"{n} (index)" for n in names]
    levels = [pd.Series(idx.get_level_values(i)) for i in range(idx.nlevels)]
    return names + labels, levels + columns, idx.nlevels


def is_integer_valued(values):
    """Every finite value of a float array is a whole number."""
    finite = values[np.isfinite(values)]
    return finite.size > 0 and bool(np.all(finite == np.round(finite))) and bool(np.all(np.abs(finite) < 1e15))


# Column kinds by name, shared by the HTML and Excel writers (STYLE: rates and targets are fractions 0-1).
_PERCENT_NAMES = ("service_level", "occupancy", "shrinkage", "abandon_rate", "adherence", "p_meet", "wape",
                  "utilisation", "utilization", "efficiency", "share", "rate", "fcr", "csat", "gap")
_ID_NAMES = ("seed", "id", "year", "replications", "n_origins", "origin")
_COUNT_NAMES = ("agents", "heads", "heads_to_employ", "scheduled_heads", "required", "scheduled", "on_break",
                "over", "under", "peak_agents", "agents_required_peak", "intervals_short", "flagged_intervals",
                "kpi_alerts")


def number_kind(name):
    """
    How a numeric column is shown, from its name: ``percent``, ``id``, ``count``, ``money`` or None.

    ``percent`` for rates and targets (fractions 0-1: service level, abandon
    rate, occupancy, shrinkage, WAPE, ...; also their ``_target``, ``_lo``
    and ``_hi``), ``id`` for seeds and ids (no thousands separator),
    ``count`` for agents and heads (whole numbers), ``money`` for costs.

    Examples
    --------
    >>> [number_kind(c) for c in ["service_level_target", "seed", "heads", "weekly_cost", "aht"]]
    ['percent', 'id', 'count', 'money', None]
    """
    name = str(name).strip().lower().replace(" ", "_")
    for end in ("_target", "_lo", "_hi", "_simulated", "_expected"):
        if name.endswith(end) and name != end.strip("_"):
            name = name[: -len(end)]
    parts = name.split(".")
    leaf = parts[-1]
    if "shrinkage" in parts[:-1]:  # a shrinkage component of a grid path: staffing.shrinkage.absence
        return "percent"
    if leaf in _ID_NAMES or leaf.endswith(("_id", "_seed")):
        return "id"
    if leaf in _COUNT_NAMES:
        return "count"
    if (leaf == "cost" or leaf.endswith("_cost")) and "_per_" not in leaf:
        return "money"
    if any(leaf == p or leaf.endswith("_" + p) or leaf.startswith(p + "_") for p in _PERCENT_NAMES) \
            and not leaf.endswith(("_count", "_calls", "_per_hour")):
        return "percent"
    return None
