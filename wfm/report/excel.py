"""An Excel workbook with one sheet per table, written with openpyxl."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from .. import _validation as v
from .._atomic import atomic_write
from ._common import (
    as_frame,
    check_suffix,
    is_integer_valued,
    table_columns,
    type_error,
)
from .units import unit_format

__all__ = ["write_excel", "sheet_names", "EXCEL_FORMATS"]

#: Excel number format of each display kind of ``formats``; a money column gets its currency through ``units``
#: (unit ``currency`` with ``currency=``) or ``formats`` (e.g. ``'#,##0 "USD"'``). Columns are best formatted by
#: their unit (``units=``, see :mod:`wfm.report.units`).
EXCEL_FORMATS = {"percent": "0.0%", "id": "0", "count": "0", "money": "#,##0", "number": "#,##0.0",
                 "decimal": "0.000", "integer": "#,##0", "text": "@"}

_MAX_NAME = 31
_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_MAX_ROWS, _MAX_COLS, _MAX_TEXT = 1_048_576, 16_384, 32_767
_MIN_WIDTH, _MAX_WIDTH = 6, 60


def sheet_names(names):
    """
    Excel sheet names for ``names``, in order: legal and distinct.

    Excel allows at most 31 characters, none of ``[ ] : * ? / \\``, no
    apostrophe at either end, not "History", and compares names without
    case. Forbidden characters become ``_``, long names are cut, an empty
    name becomes ``Sheet`` and a repeated one gets `` (2)``, `` (3)``, ...

    Examples
    --------
    >>> sheet_names(["plan 2024/01/01", "Plan 2024_01_01", "a very long name for the staffing plan table", ""])
    ['plan 2024_01_01', 'Plan 2024_01_01 (2)', 'a very long name for the staffi', 'Sheet']
    """
    out, seen = [], set()
    for raw in names:
        name = _FORBIDDEN.sub("_", str(raw)).strip("'").strip()[:_MAX_NAME].strip() or "Sheet"
        if name.lower() == "history":
            name = "History_"
        candidate, k = name, 1
        while candidate.lower() in seen:
            k += 1
            tail = f" ({k})"
            candidate = name[: _MAX_NAME - len(tail)].rstrip() + tail
        seen.add(candidate.lower())
        out.append(candidate)
    return out


def _time_format(wall: pd.Series) -> str:
    wall = wall.dropna()
    if len(wall) and (wall == wall.dt.normalize()).all():
        return "yyyy-mm-dd"
    if len(wall) and ((wall.dt.second != 0) | (wall.dt.microsecond != 0)).any():
        return "yyyy-mm-dd hh:mm:ss"
    return "yyyy-mm-dd hh:mm"


def _clean_text(text: str, illegal) -> str:
    text = illegal.sub("", text)
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 1] + "\u2026"


def _cell_value(x, illegal):
    """One value of a mixed (object) column as something openpyxl writes faithfully."""
    if x is None or x is pd.NaT or x is pd.NA:
        return None
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        return float(x) if np.isfinite(x) else None
    if isinstance(x, pd.Timestamp):
        return (x.tz_localize(None) if x.tz is not None else x).to_pydatetime()
    if isinstance(x, pd.Timedelta):
        return x.to_pytimedelta()
    return _clean_text(x if isinstance(x, str) else str(x), illegal)


def _number_format(arr, kind, integer_dtype):
    """The Excel number format of a numeric column: its kind's, else whole numbers, one or three decimals."""
    if kind is not None:
        return EXCEL_FORMATS.get(kind, kind)  # a kind, or an Excel format string as given
    if integer_dtype or is_integer_valued(arr):
        return EXCEL_FORMATS["integer"]
    finite = np.abs(arr[np.isfinite(arr)])
    return EXCEL_FORMATS["number"] if finite.size and finite.max() >= 10 else EXCEL_FORMATS["decimal"]


def _column(values: pd.Series, illegal, kind=None):
    """(cell values, Excel number format or None, note for the header, display width) of one column.

    ``kind``: a display kind of :data:`EXCEL_FORMATS`, an Excel number format,
    or a list of either (one per row) for a column mixing kinds.
    """
    dtype = values.dtype
    if isinstance(kind, (list, tuple)):
        cells = [_cell_value(x, illegal) for x in values]
        fmts = [EXCEL_FORMATS.get(k, k) if k else None for k in kind]
        return cells, fmts, "", max((min(len(str(x)), 19) for x in cells if x is not None), default=1)
    if isinstance(dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(dtype):
        note = ""
        if isinstance(dtype, pd.DatetimeTZDtype):
            values = values.dt.tz_localize(None)
            note = (f"Times are local wall-clock times in {dtype.tz}, written without their time zone "
                    "(Excel has no time zones).")
        fmt = _time_format(values)
        cells = [None if pd.isna(x) else x.to_pydatetime() for x in values]
        return cells, fmt, note, len(fmt)
    if pd.api.types.is_timedelta64_dtype(dtype):
        return [None if pd.isna(x) else x.to_pytimedelta() for x in values], "[h]:mm:ss", "", 10
    if pd.api.types.is_bool_dtype(dtype):
        return [None if pd.isna(x) else bool(x) for x in values], None, "", 5
    if pd.api.types.is_integer_dtype(dtype):
        cells = [None if pd.isna(x) else int(x) for x in values]
        fmt = _number_format(values.to_numpy(dtype=float, na_value=np.nan), kind, True)
        return cells, fmt, "", max((len(f"{x:,}") for x in cells if x is not None), default=1)
    if pd.api.types.is_float_dtype(dtype):
        arr = values.to_numpy(dtype=float, na_value=np.nan)
        cells = [x if np.isfinite(x) else None for x in arr.tolist()]
        fmt = _number_format(arr, kind, False)
        width = max((min(len(f"{x:,.1f}"), 14) for x in cells if x is not None), default=1)
        return cells, fmt, "", width
    cells = [_cell_value(x, illegal) for x in values]
    width = max((min(len(x), _MAX_WIDTH) if isinstance(x, str) else min(len(str(x)), 19)
                 for x in cells if x is not None), default=1)
    return cells, None, "", width


def _kinds(labels, n_index, formats, units, currency):
    """The format of each column: as given in ``formats``, else its unit's, else None (from its values)."""
    out = []
    for label in labels:
        if label in formats:
            out.append(formats[label])
        elif units.get(label) is not None:
            unit = units[label]
            out.append([unit_format(u, currency) if u else None for u in unit] if isinstance(unit, (list, tuple))
                       else unit_format(unit, currency))
        else:
            out.append(None)
    return out


def _write_sheet(wb, name, frame, sheet_label, formats=None, units=None, currency=None):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    labels, values, n_index = table_columns(frame)
    n_rows, n_cols = len(frame), len(labels)
    v.check_rule(n_rows + 1 <= _MAX_ROWS and n_cols <= _MAX_COLS, f"tables[{sheet_label!r}]",
                 f"<{n_rows:,} rows x {n_cols:,} columns>",
                 f"at most {_MAX_ROWS - 1:,} rows and {_MAX_COLS:,} columns (Excel's sheet size)",
                 "Write it with write_table to CSV or Parquet instead.")
    ws = wb.create_sheet(name)
    kinds = _kinds(labels, n_index, formats or {}, units or {}, currency)
    columns = [_column(col, ILLEGAL_CHARACTERS_RE, kind) for col, kind in zip(values, kinds)]

    bold = Font(bold=True)
    header = []
    for label, (_, _, note, _) in zip(labels, columns):
        cell = WriteOnlyCell(ws, value=_clean_text(label, ILLEGAL_CHARACTERS_RE))
        cell.font = bold
        cell.alignment = Alignment(vertical="bottom")
        if note:
            cell.comment = Comment(note, "wfm", width=260, height=80)
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"
        header.append(cell)
    for j, (label, (_, _, _, width)) in enumerate(zip(labels, columns)):
        ws.column_dimensions[get_column_letter(j + 1)].width = float(
            np.clip(max(len(label) + 3, width + 2), _MIN_WIDTH, _MAX_WIDTH))  # 3: the filter button
    if n_cols:
        ws.freeze_panes = f"{get_column_letter(n_index + 1)}2"
        ws.auto_filter.ref = f"A1:{get_column_letter(n_cols)}{n_rows + 1}"
    ws.append(header)

    # Cells that need more than a value: a number format (times) or text that looks like a formula.
    styled = [fmt is not None or any(isinstance(x, str) and x.startswith("=") for x in cells)
              for cells, fmt, _, _ in columns]
    for i in range(n_rows):
        row = []
        for (cells, fmt, _, _), special in zip(columns, styled):
            x = cells[i]
            if special and x is not None:
                cell = WriteOnlyCell(ws, value=x)
                f = fmt[i] if isinstance(fmt, list) else fmt
                if f is not None:
                    cell.number_format = f
                if isinstance(x, str) and x.startswith("="):
                    cell.data_type = "s"  # text, never a formula
                x = cell
            row.append(x)
        ws.append(row)


def write_excel(path, tables, *, formats=None, units=None, currency=None):
    """
    Write tables to one Excel workbook, one sheet each, atomically.

    Each sheet has a bold header row with filters, frozen panes below it
    (and right of the index columns), column widths fitted to the content,
    and the index as the leading column(s) unless it is the default 0, 1,
    2, ... Times are Excel date-times; time-zone-aware ones become local
    wall-clock times in their own zone, with a comment on the header cell
    saying so (Excel has no time zones). Durations are Excel durations.
    Numbers keep 16 significant digits (Excel shows 15). NaN
    and infinities are left blank, lists and other objects are written as
    their text, and text starting with ``=`` stays text (never a formula).

    Parameters
    ----------
    path : str or path-like
        The ``.xlsx`` file to write.
    tables : dict of str -> DataFrame or Series
        Sheet name -> table, in sheet order. Names are made legal and
        distinct with :func:`sheet_names`.
    formats : dict, optional
        Sheet name (a key of ``tables``) -> {column: format}. A format is a
        kind of :data:`EXCEL_FORMATS` (``"percent"``, ``"count"``, ...), an
        Excel number format (``'#,##0 "USD"'``), None (General) or a list of
        these, one per row. It wins over ``units``.
    units : dict, optional
        Sheet name -> {column: unit}, a unit of
        :data:`wfm.report.units.UNIT_FORMATS` (``"fraction"``, ``"count"``,
        ``"s"``, ``"h"``, ``"currency"``, ... or the KPI catalogue's ``"0-1"``)
        or a list of units, one per row (a long table whose rows differ in
        unit). Each column is shown in its unit's format (fractions as
        ``0.0%``, counts ``#,##0``, ...). A column with neither format nor
        unit is never guessed from its name: whole numbers get ``#,##0``,
        other numbers ``#,##0.0`` or ``0.000`` from their size.
    currency : str, optional
        The currency of the ``currency`` and ``price`` units (``"USD"``).

    Returns
    -------
    Path

    Raises
    ------
    ValueError
        For no tables, another suffix than ``.xlsx``, or a table larger than
        an Excel sheet.
    ImportError
        Without ``openpyxl``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> idx = pd.date_range("2024-01-01 08:00", periods=2, freq="30min", tz="Europe/Paris", name="start")
    >>> plan = pd.DataFrame({"agents": [14, 30], "service_level": [0.888, 0.805]}, index=idx)
    >>> out = write_excel(pathlib.Path(tempfile.mkdtemp()) / "week.xlsx", {"plan: Mon/Tue": plan})
    >>> pd.read_excel(out, sheet_name=None, index_col=0)
    {'plan_ Mon_Tue':                      agents  service_level
    start
    2024-01-01 08:00:00      14          0.888
    2024-01-01 08:30:00      30          0.805}
    """
    path = Path(path)
    check_suffix(path, (".xlsx",), hint="Use write_table for .csv and .parquet.")
    if not isinstance(tables, dict):
        raise type_error("tables", "a dict of sheet name -> DataFrame", tables)
    if formats is not None and not isinstance(formats, dict):
        raise type_error("formats", "a dict of sheet name -> {column: number format}", formats)
    if units is not None and not isinstance(units, dict):
        raise type_error("units", "a dict of sheet name -> {column: unit}", units)
    v.check_rule(len(tables) > 0, "tables", "{}", "at least one sheet name -> DataFrame")
    frames = {key: as_frame(table, f"tables[{key!r}]") for key, table in tables.items()}
    try:
        from openpyxl import Workbook
    except ImportError as err:  # pragma: no cover - openpyxl is a dependency
        raise ImportError("write_excel needs openpyxl: pip install openpyxl") from err

    def write(tmp):
        wb = Workbook(write_only=True)
        wb.properties.creator = "wfm"
        for name, (key, frame) in zip(sheet_names(frames), frames.items()):
            _write_sheet(wb, name, frame, key, (formats or {}).get(key), (units or {}).get(key), currency)
        wb.save(tmp)

    return atomic_write(path, write)
