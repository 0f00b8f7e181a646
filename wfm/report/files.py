"""Single files: a table as CSV or Parquet, a figure as PNG (or SVG, PDF)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from .._atomic import atomic_write
from ._common import as_frame, check_suffix, figure_of, has_default_index

__all__ = ["write_table", "write_figure"]


def write_table(path, frame):
    """
    Write a table to CSV or Parquet, chosen by the suffix of ``path``, atomically.

    The index is written as the leading column(s), so a StaffingPlan's
    interval starts travel with it, unless it is the default 0, 1, 2, ...
    Numbers keep full precision; CSV times are ISO 8601 (with the UTC offset
    when time-zone aware). Parquet keeps the dtypes, the index and the time
    zone, and needs ``pyarrow``.

    Parameters
    ----------
    path : str or path-like
        Ends in ``.csv`` or ``.parquet``.
    frame : DataFrame or Series

    Returns
    -------
    Path

    Raises
    ------
    ValueError
        For any other suffix.
    ImportError
        For ``.parquet`` without ``pyarrow``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import pandas as pd
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "agents.csv"
    >>> idx = pd.date_range("2024-01-01 08:00", periods=2, freq="30min", name="interval_start")
    >>> _ = write_table(out, pd.DataFrame({"calls": [100.0, 250.0], "agents": [14, 30]}, index=idx))
    >>> print(out.read_text())
    interval_start,calls,agents
    2024-01-01 08:00:00,100.0,14
    2024-01-01 08:30:00,250.0,30
    <BLANKLINE>
    """
    path = Path(path)
    suffix = check_suffix(path, (".csv", ".parquet"),
                          hint="Use write_excel for .xlsx and write_html for .html.")
    frame = as_frame(frame, "frame")
    index = not has_default_index(frame)
    if suffix == ".csv":
        return atomic_write(path, lambda tmp: frame.to_csv(tmp, index=index))
    if importlib.util.find_spec("pyarrow") is None:
        raise ImportError("writing Parquet needs pyarrow: pip install pyarrow (or pip install 'wfm[io]').")
    return atomic_write(path, lambda tmp: frame.to_parquet(tmp, engine="pyarrow"))


def write_figure(path, figure, dpi=120):
    """
    Save a matplotlib figure to PNG (or SVG, PDF by the suffix), atomically.

    Parameters
    ----------
    path : str or path-like
        Ends in ``.png`` (or ``.svg``, ``.pdf``).
    figure : Figure or Axes
        An Axes (as ``plan.plot()`` returns) stands for its figure. The
        figure is left open.
    dpi : float
        Resolution of a PNG. [dots per inch]

    Returns
    -------
    Path

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import matplotlib.figure
    >>> fig = matplotlib.figure.Figure(figsize=(4, 2))
    >>> _ = fig.subplots().plot([14, 30, 0])
    >>> out = write_figure(pathlib.Path(tempfile.mkdtemp()) / "agents.png", fig)
    >>> out.read_bytes()[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
    """
    path = Path(path)
    suffix = check_suffix(path, (".png", ".svg", ".pdf"))
    fig = figure_of(figure)
    return atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=dpi, bbox_inches="tight", format=suffix[1:]))
