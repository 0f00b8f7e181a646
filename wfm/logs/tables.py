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


_BOMS = ((b"\xff\xfe", "UTF-16 (little-endian, with a byte-order mark)"),
         (b"\xfe\xff", "UTF-16 (big-endian, with a byte-order mark)"))
#: A cell that is one number with one decimal mark: '243,5' or '1.234' (a date has two, a time colons).
_ONE_MARK = r"-?\d+[.,]\d+"


def _not_utf8(path, name):
    """The error for a CSV file that is not UTF-8 text: where, what it looks like, and how to save it."""
    with open(path, "rb") as f:
        raw = f.read()
    looks = next((what for bom, what in _BOMS if raw.startswith(bom)), None)
    where = ""
    if looks is None:
        looks = "probably Windows-1252 or Latin-1 (what Excel's plain 'CSV' and many older systems write)"
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as err:  # an uncompressed file: say where
            line = raw[:err.start].count(b"\n") + 1
            text = raw[max(0, err.start - 20):err.start + 1].decode("cp1252", "replace").splitlines()[-1]
            where = f" (byte 0x{raw[err.start]:02x} on line {line}: {text!r})"
    return ValueError(f"{name}: file {str(path)!r} is not UTF-8 text{where}; it is {looks}. Save it as UTF-8 CSV "
                      f"(in Excel: Save As > 'CSV UTF-8 (Comma delimited)'), or convert it, e.g. iconv -f "
                      f"{'UTF-16' if 'UTF-16' in looks else 'CP1252'} -t UTF-8 {path.name} > utf8-{path.name}.")


def _read_csv(path, name, **kw):
    try:
        return pd.read_csv(path, **kw)
    except UnicodeDecodeError:
        raise _not_utf8(path, name) from None


def _delimiter(path, name):
    """
    ';' or a tab when the header line holds no comma but several fields split by one of them; else ','.

    Such a file (a European Excel export, a tab-separated export) is read
    with that delimiter only when no cell is a number with one decimal mark
    ('243,5', '1.234'): with a semicolon the mark may be a decimal comma, or
    a dot that separates thousands, and wfm does not guess which. Those
    files are an error naming the columns and the values.
    """
    import csv

    try:
        first = _read_csv(path, name, header=None, nrows=1, sep="\x1f", dtype=str, quoting=csv.QUOTE_NONE,
                          keep_default_na=False)
    except pd.errors.EmptyDataError:
        return ","
    line = str(first.iloc[0, 0]) if first.size else ""
    if "," in line:
        return ","
    for sep, what in ((";", "semicolon"), ("\t", "tab")):
        if sep in line:
            cells = _read_csv(path, name, sep=sep, dtype=str, keep_default_na=False)
            texts = cells.apply(lambda c: c.str.strip().str.fullmatch(_ONE_MARK))
            if texts.to_numpy(dtype=bool).any():
                cols = [str(c) for c in cells.columns[texts.any().to_numpy()]]
                shown = cells[cols[0]][texts[cols[0]].to_numpy(dtype=bool)].drop_duplicates().head(3).tolist()
                raise ValueError(
                    f"{name}: file {str(path)!r} is {what}-delimited and columns {cols[:6]} hold numbers with one "
                    f"decimal mark (values {shown}): '243,5' may be 243.5 with a decimal comma and '1.234' may be "
                    "1234 with a dot between thousands, and wfm does not guess which. Save the file as CSV with "
                    "commas between fields and a point for decimals (no thousands separators); or, from Python, read it "
                    f"yourself, e.g. pandas.read_csv({path.name!r}, sep={sep!r}, decimal=',', thousands='.'), and pass the "
                    "DataFrame.")
            return sep
    return ","


def read_table(source, name="source", *, text=False, sheet=0):
    """
    Read a table from a DataFrame or a CSV, Excel or Parquet file.

    Parameters
    ----------
    source : DataFrame, str or Path
        A table in memory, or a ``.csv``/``.txt`` (optionally ``.gz``,
        ``.zip``, ``.bz2``), ``.xlsx`` or ``.parquet`` file. A CSV file is
        UTF-8 text (else an error saying how to save it); its fields are
        split by commas, or by semicolons or tabs when the header holds no
        comma and no cell is a number with one decimal mark ('243,5',
        '1.234': an error, as the mark could be a decimal comma).
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
            frame = _read_csv(path, name, dtype=dtype, keep_default_na=True, sep=_delimiter(path, name))
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
        return list(_read_csv(path, name, nrows=0, sep=_delimiter(path, name)).columns)
    except pd.errors.EmptyDataError:
        raise ValueError(f"{name}: file {str(path)!r} is empty (no header, no rows).") from None
