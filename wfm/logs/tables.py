"""
The one table reader of wfm: a DataFrame, or a CSV, Excel or Parquet file.

Every reader of user data (interval histories, contact, state and schedule
logs, forecasts given to the CLI) starts here, so every file type is read the
same way everywhere, and a file that is not there or of an unknown kind gives
the same clear error.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["read_table", "read_header", "TABLE_SUFFIXES"]

#: File endings read, by kind.
TABLE_SUFFIXES = {"csv": (".csv", ".txt", ".csv.gz", ".csv.zip", ".csv.bz2", ".txt.gz"),
                  "parquet": (".parquet", ".pq"), "excel": (".xlsx", ".xlsm")}


def _kind(path, name):
    lower = path.name.lower()
    for kind, endings in TABLE_SUFFIXES.items():
        if lower.endswith(endings):
            return kind
    endings = ", ".join(e for group in TABLE_SUFFIXES.values() for e in group)
    raise ValueError(f"{name}: cannot read {path.name!r}; give a file ending in one of {endings}, or a DataFrame.")


def _path(source, name):
    if not isinstance(source, (str, Path)):
        raise TypeError(f"{name} must be a DataFrame or the path of a CSV, Excel or Parquet file; got "
                        f"{type(source).__name__}.")
    path = Path(source)
    if not path.exists():
        raise FileNotFoundError(f"{name}: no such file {str(path)!r}.")
    return path


def read_table(source, name="source", *, text=False, sheet=0):
    """
    Read a table from a DataFrame or a CSV, Excel or Parquet file.

    Parameters
    ----------
    source : DataFrame, str or Path
        A table in memory, or a ``.csv``/``.txt`` (optionally ``.gz``,
        ``.zip``, ``.bz2``), ``.xlsx`` or ``.parquet`` file.
    name : str
        What the table is, as the user knows it (an argument, a flag, a YAML
        key), for error messages.
    text : bool
        Read CSV and Excel cells as text (blank cells as missing), so that
        the caller parses dates, times and numbers itself and nothing is
        guessed. Parquet and DataFrames keep their types.
    sheet : int or str
        Excel sheet to read.

    Returns
    -------
    frame : DataFrame
        The table on a fresh 0..n-1 index; a Parquet file's stored index
        becomes its first column(s).
    rows : ndarray of int
        The label of each row in error messages: the line number in a CSV
        file (the header is line 1) or an Excel sheet, the 0-based position
        otherwise.
    where : str
        A description of the source for messages, e.g. ``"file calls.csv
        (rows are line numbers)"``.

    Examples
    --------
    >>> frame, rows, where = read_table(pd.DataFrame({"calls": [3, 4]}))
    >>> rows.tolist(), where
    ([0, 1], 'the table')
    """
    if isinstance(source, pd.DataFrame):
        return source.reset_index(drop=True), np.arange(len(source)), "the table"
    path = _path(source, name)
    kind = _kind(path, name)
    dtype = str if text else None
    if kind == "parquet":
        frame = pd.read_parquet(path)
        # an index written with the table (a timestamp, say) becomes its first column
        frame = frame.reset_index(drop=isinstance(frame.index, pd.RangeIndex))
        return frame, np.arange(len(frame)), f"file {path.name}"
    try:
        if kind == "excel":
            frame = pd.read_excel(path, sheet_name=sheet, dtype=dtype)
        else:
            frame = pd.read_csv(path, dtype=dtype, keep_default_na=True)
    except pd.errors.EmptyDataError:
        raise ValueError(f"{name}: file {str(path)!r} is empty (no header, no rows); export the table again with "
                         "its header row.") from None
    # line numbers: the header is line 1, the first data row line 2
    return frame, np.arange(len(frame)) + 2, f"file {path.name} (rows are line numbers)"


def read_header(source, name="source"):
    """
    The column names of a table, reading no more of a file than its header.

    Examples
    --------
    >>> read_header(pd.DataFrame({"timestamp": [], "calls": []}))
    ['timestamp', 'calls']
    """
    if isinstance(source, pd.DataFrame):
        return list(source.columns)
    path = _path(source, name)
    kind = _kind(path, name)
    if kind == "parquet":
        import pyarrow.parquet as pq

        return list(pq.read_schema(path).names)
    if kind == "excel":
        return list(pd.read_excel(path, nrows=0).columns)
    try:
        return list(pd.read_csv(path, nrows=0).columns)
    except pd.errors.EmptyDataError:
        raise ValueError(f"{name}: file {str(path)!r} is empty (no header, no rows).") from None
