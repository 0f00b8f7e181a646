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
#: A cell that is one number with a comma in it: '243,5' (a decimal comma) or '1,234' (a comma between thousands).
_COMMA_MARK = r"-?\d+,\d+"
#: A cell that is one number with one dot and three digits after it: '1.234' (1234 with a dot between thousands?).
_DOT_THREE = r"-?\d+\.\d{3}"
#: A cell that is one number with one dot and other than three digits after it: '126.5', a decimal point.
_DOT_DECIMAL = r"-?\d+\.(?:\d{1,2}|\d{4,})"


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


def _open_text(path):
    """The text of a CSV file, decompressed as pandas reads it ('.gz', '.bz2', '.zip' of one file)."""
    import bz2
    import gzip
    import io
    import zipfile

    lower = path.name.lower()
    if lower.endswith(".gz"):
        raw = gzip.open(path, "rb")
    elif lower.endswith(".bz2"):
        raw = bz2.open(path, "rb")
    elif lower.endswith(".zip"):
        archive = zipfile.ZipFile(path)
        raw = archive.open(archive.namelist()[0])
    else:
        raw = open(path, "rb")
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


def _line_numbers(path, sep, n):
    """
    The line of the file each of the ``n`` data rows pandas read starts on, or None when they cannot be matched.

    pandas skips blank (and blank-looking) lines, and a quoted field may run
    over several lines; when the file has exactly ``n + 1`` lines neither
    happened and the rows are lines 2 to n + 1. Otherwise the file is read
    again with :mod:`csv`, whose records know their lines.
    """
    import csv

    with _open_text(path) as f:
        count, last = 0, "\n"
        for chunk in iter(lambda: f.read(1 << 20), ""):
            count += chunk.count("\n")
            last = chunk[-1]
    if count + (last != "\n") == n + 1:
        return np.arange(n) + 2
    starts, before = [], 0
    with _open_text(path) as f:
        reader = csv.reader(f, delimiter=sep)
        for record in reader:
            if record and not (len(record) == 1 and not record[0].strip()):
                starts.append(before + 1)
            before = reader.line_num
    return np.asarray(starts[1:]) if len(starts) == n + 1 else None


def _delimiter(path, name):
    """
    ';' or a tab when the header line holds no comma but several fields split by one of them; else ','.

    Such a file (a European Excel export, a tab-separated export) is read
    with that delimiter when its numbers are written with decimal points
    ('126.5'). A number with a comma ('243,5', '1,234': a decimal comma, or
    a comma between thousands) is an error naming the column and the lines,
    and so is a file whose every number with a dot has three digits after it
    ('1.234': 1234 with a dot between thousands, or 1.234?): wfm does not
    guess which.
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
            text = cells.apply(lambda c: c.str.strip())
            marks = text.apply(lambda c: c.str.fullmatch(_COMMA_MARK)).to_numpy(dtype=bool)
            problem = ("holds numbers with a comma ('243,5' may be 243.5 with a decimal comma, '1,234' may be 1234 "
                       "with a comma between thousands)")
            if not marks.any() and not text.apply(lambda c: c.str.fullmatch(_DOT_DECIMAL)).to_numpy(dtype=bool).any():
                marks = text.apply(lambda c: c.str.fullmatch(_DOT_THREE)).to_numpy(dtype=bool)
                problem = ("holds numbers with a dot and three digits after it, and no number of the file has a dot "
                           "with other than three ('1.234' may be 1234 with a dot between thousands, or 1.234)")
            if marks.any():
                raise _ambiguous_numbers(path, name, sep, what, cells, marks, problem)
            return sep
    return ","


def _ambiguous_numbers(path, name, sep, what, cells, marks, problem):
    """The error for numbers of a semicolon or tab file that read two ways: the column, the lines and the fix."""
    from .._validation import rows_error

    columns = cells.columns[marks.any(axis=0)]
    first = marks[:, list(cells.columns).index(columns[0])]
    lines = _line_numbers(path, sep, len(cells))
    also = f" (and columns {[str(c) for c in columns[1:6]]})" if len(columns) > 1 else ""
    err = rows_error(columns[0], problem + also, first, lines if lines is not None else np.arange(len(cells)) + 2,
                     values=cells[columns[0]].to_numpy(),
                     hint="wfm does not guess which. Save the file with a point for decimals and no thousands "
                          "separators (in Excel: File > Options > Advanced, untick 'Use system separators' and set the "
                          "decimal separator to '.', then Save As > 'CSV UTF-8 (Comma delimited)'); or, from Python, "
                          f"read it yourself, e.g. pandas.read_csv({path.name!r}, "
                          f"sep={sep!r}, decimal=',', thousands='.'), and pass the DataFrame.")
    rows = "line numbers" if lines is not None else "counted from 2, the first row after the header"
    return ValueError(f"{name}: file {str(path)!r} (rows are {rows}) is {what}-delimited, and its {err}")


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
        comma. Such a file's numbers are read with decimal points ('126.5');
        a number with a comma ('243,5': a decimal comma or a comma between
        thousands), or only numbers with a dot and three digits ('1.234'),
        are an error naming the column and the lines.
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
        The label of each row in error messages: the line of a CSV file it
        starts on (blank lines and quoted line breaks counted; the header is
        line 1 when no blank line comes before it), the row of an Excel sheet,
        the 0-based position otherwise.
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
            lines = np.arange(len(frame)) + 2  # the header on the sheet's row 1
        else:
            sep = _delimiter(path, name)
            frame = _read_csv(path, name, dtype=dtype, keep_default_na=True, sep=sep)
            lines = _line_numbers(path, sep, len(frame))
    except pd.errors.EmptyDataError:
        raise ValueError(f"{name}: file {str(path)!r} is empty (no header, no rows); export the table again with "
                         "its header row.") from None
    if lines is None:  # the csv module splits the file into other rows than pandas: no line numbers to give
        return frame, np.arange(len(frame)) + 2, f"file {path.name} (rows counted from 2, the first after the header)"
    return frame, lines, f"file {path.name} (rows are line numbers)"


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
