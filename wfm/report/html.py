"""One self-contained HTML page: headed sections of text, parameters, a figure and a table."""

from __future__ import annotations

import base64
import html
import io
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from .. import _validation as v
from .._version import __version__
from .._atomic import atomic_write
from ._common import (
    as_frame,
    check_max_rows,
    figure_of,
    is_integer_valued,
    number_kind,
    table_columns,
    type_error,
)
from .units import unit_of, unit_text

__all__ = ["write_html", "render_html", "SECTION_KEYS", "FORMAT_KINDS", "STATUS_COLOURS", "DEFAULT_MAX_ROWS"]

#: Keys of one section of :func:`write_html`; only ``heading`` is required.
SECTION_KEYS = ("heading", "text", "cards", "params", "figure", "heat", "table", "max_rows", "formats", "sortable",
                "units")
#: Display kinds of a table column (section key ``formats``; by default from the column name, see
#: :func:`wfm.report._common.number_kind`).
FORMAT_KINDS = ("percent", "id", "count", "money", "number", "text")
#: Rows of a section's table shown when the section gives no ``max_rows``.
DEFAULT_MAX_ROWS = 50
#: Cell colours of a ``status`` column (the KPI scorecard's traffic lights): background, text.
STATUS_COLOURS = {"green": ("#2e7d32", "#ffffff"), "amber": ("#f9a825", "#000000"),
                  "red": ("#c62828", "#ffffff"), "no data": ("#9e9e9e", "#ffffff"),
                  "input": ("#1565c0", "#ffffff"), "not scored": ("#e0e0e0", "#1f2328")}
_FIGURE_DPI = 100
_MISSING = "\u2013"  # en dash for NaN / None
_MAX_PARAM_CHARS = 400

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       color: #1f2328; margin: 0; background: #fff; line-height: 1.45; }
main { max-width: 1200px; margin: 0 auto; padding: 1.5rem 2rem 3rem; }
h1 { font-size: 1.7rem; margin: 0 0 1rem; }
h2 { font-size: 1.25rem; margin: 2.2rem 0 0.6rem; padding-bottom: 0.2rem; border-bottom: 1px solid #d0d7de; }
nav ol { margin: 0 0 1rem; padding-left: 1.4rem; }
p { margin: 0.4rem 0 0.8rem; max-width: 60rem; }
.note, footer { color: #59636e; font-size: 0.85rem; }
.scroll { overflow: auto; max-height: 75vh; margin: 0.5rem 0 0.4rem; }
table { border-collapse: collapse; font-size: 0.85rem; font-variant-numeric: tabular-nums; }
th, td { padding: 0.22rem 0.6rem; border-bottom: 1px solid #e6e9ec; white-space: nowrap; }
thead th { position: sticky; top: 0; background: #f6f8fa; border-bottom: 2px solid #d0d7de;
           text-align: left; vertical-align: bottom; }
tbody th { text-align: left; font-weight: 600; background: #fbfcfd; }
tbody tr:hover td, tbody tr:hover th { background: #f2f6fc; }
td.num, th.num { text-align: right; }
td.na { color: #8c959f; }
td.status { font-weight: 600; text-align: center; }
table.params { font-size: 0.8rem; margin-bottom: 0.8rem; }
table.params th { background: none; font-weight: 600; color: #59636e; }
table.params td { white-space: normal; max-width: 50rem; }
figure { margin: 0.6rem 0 1rem; }
figure img { max-width: 100%; height: auto; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr)); gap: 0.6rem;
         margin: 0.6rem 0 0.8rem; }
.card { border: 1px solid #d0d7de; border-radius: 6px; padding: 0.45rem 0.7rem; background: #f6f8fa; }
.card .value { font-size: 1.35rem; font-weight: 600; font-variant-numeric: tabular-nums; }
.card .label { font-size: 0.8rem; color: #59636e; }
table.heat td { text-align: center; min-width: 4.5rem; }
table.sortable thead th { cursor: pointer; }
table.sortable thead th[aria-sort="ascending"]::after { content: " \\25B2"; }
table.sortable thead th[aria-sort="descending"]::after { content: " \\25BC"; }
footer { margin-top: 3rem; border-top: 1px solid #d0d7de; padding-top: 0.5rem; }
@media print { thead th { position: static; } tbody tr:hover td { background: none; }
               .scroll { max-height: none; overflow: visible; } }
"""
_CSS += "".join(f"td.status-{name.replace(' ', '-')} {{ background: {bg}; color: {fg}; }}\n"
                for name, (bg, fg) in STATUS_COLOURS.items())


def _esc(value) -> str:
    return html.escape(str(value), quote=True)


# --------------------------------------------------------------------------
# Numbers and times as text.
# --------------------------------------------------------------------------


def _decimals(values) -> int:
    """Decimals that show four significant digits of a column's largest value."""
    finite = np.abs(values[np.isfinite(values) & (values != 0)])
    if finite.size == 0:
        return 0
    return int(np.clip(3 - math.floor(math.log10(float(finite.max()))), 0, 6))


def _number(x, decimals=None) -> str:
    """One number with thousands separators; about four significant digits unless ``decimals`` is given."""
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, (int, np.integer)):
        return f"{int(x):,}"
    x = float(x)
    if not math.isfinite(x):
        return _MISSING if math.isnan(x) else ("\u221e" if x > 0 else "\u2212\u221e")
    if decimals is None:
        decimals = 0 if x == round(x) and abs(x) < 1e15 else _decimals(np.array([x]))
    elif x != round(x) and math.floor(math.log10(abs(x))) + 1 + decimals < 2:
        # too small for the column's decimals (0.0123 among tens): three significant digits of its own
        decimals = min(2 - math.floor(math.log10(abs(x))), 10)
    return f"{x:,.{decimals}f}"


def _time_format(stamps) -> str:
    """strftime pattern showing no more than the column needs (date, minutes or seconds)."""
    stamps = stamps[stamps.notna()]
    if len(stamps) == 0:
        return "%Y-%m-%d %H:%M"
    wall = stamps.dt.tz_localize(None) if stamps.dt.tz is not None else stamps
    if (wall == wall.dt.normalize()).all():
        return "%Y-%m-%d"
    return "%Y-%m-%d %H:%M" if (wall.dt.second == 0).all() and (wall.dt.microsecond == 0).all() else \
        "%Y-%m-%d %H:%M:%S"


def _is_missing(x) -> bool:
    return x is None or x is pd.NaT or x is pd.NA or (isinstance(x, (float, np.floating)) and math.isnan(x))


def _is_number(x) -> bool:
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, (bool, np.bool_))


def _scalar(x) -> str:
    """One value of a mixed (object) column or a parameter."""
    if _is_missing(x):
        return _MISSING
    if isinstance(x, (bool, np.bool_, int, np.integer, float, np.floating)):
        return _number(x)
    if isinstance(x, pd.Timestamp):
        return x.strftime(_time_format(pd.Series([x])) + (" %Z" if x.tz is not None else ""))
    return str(x)


def _kind_text(arr, kind):
    """Cells of a float column of a display kind, or None to use the default."""
    if kind == "percent":
        return [_MISSING if not math.isfinite(x) else f"{x:.1%}" for x in arr]
    if kind == "id":
        return [_MISSING if not math.isfinite(x) else (f"{x:.0f}" if x == round(x) else f"{x:g}") for x in arr]
    if kind in ("count", "money"):
        return [_MISSING if not math.isfinite(x) else f"{x:,.0f}" for x in arr]
    return None


def _column(values: pd.Series, kind=None):
    """(cells as plain text, is numeric, note for the header) of one column.

    ``kind`` (one of :data:`FORMAT_KINDS`) shows rates as percentages, ids
    and seeds without thousands separators, counts and money as whole numbers.
    """
    if kind == "text":
        return [_scalar(x) for x in values], False, ""
    if pd.api.types.is_bool_dtype(values):
        return [str(bool(x)) if pd.notna(x) else _MISSING for x in values], False, ""
    if isinstance(values.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(values):
        pattern = _time_format(values)
        cells = [x.strftime(pattern) if pd.notna(x) else _MISSING for x in values]
        tz = values.dt.tz
        return cells, False, f" ({tz})" if tz is not None else ""
    if pd.api.types.is_integer_dtype(values):
        if kind == "id":
            return [f"{int(x)}" if pd.notna(x) else _MISSING for x in values], True, ""
        if kind == "percent":
            return _kind_text(values.to_numpy(dtype=float, na_value=np.nan), kind), True, ""
        return [f"{int(x):,}" if pd.notna(x) else _MISSING for x in values], True, ""
    if pd.api.types.is_float_dtype(values):
        arr = values.to_numpy(dtype=float, na_value=np.nan)
        cells = _kind_text(arr, kind)
        if cells is not None:
            return cells, True, ""
        decimals = 0 if is_integer_valued(arr) else _decimals(arr)
        return [_number(x, decimals) for x in arr], True, ""
    cells = [_scalar(x) for x in values]
    numbers = [_is_number(x) for x in values]
    numeric = any(numbers) and all(is_num or _is_missing(x) for is_num, x in zip(numbers, values))
    return cells, numeric, ""


# --------------------------------------------------------------------------
# Building blocks.
# --------------------------------------------------------------------------


def _sort_key(x) -> str:
    """The value a sortable table sorts a cell by (numbers as numbers, the rest as text)."""
    if _is_missing(x):
        return ""
    if isinstance(x, (bool, np.bool_)):
        return str(int(x))
    if _is_number(x):
        return repr(float(x))
    if isinstance(x, pd.Timestamp):
        return x.isoformat()
    return str(x)


def _unit_column(values: pd.Series, unit):
    """(cells, is numeric, note) of a numeric column in its unit, or in one unit per row; None when not numeric."""
    if not (pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)):
        return None
    arr = values.to_numpy(dtype=float, na_value=np.nan)
    rows = unit if isinstance(unit, (list, tuple)) else [unit] * len(arr)
    return [unit_text(x, u) if u else _number(x) for x, u in zip(arr, rows)], True, ""


def _table_html(frame: pd.DataFrame, max_rows, formats=None, sortable=False, units=None) -> str:
    n = len(frame)
    shown = frame if max_rows is None or n <= max_rows else frame.iloc[:max_rows]
    labels, values, n_index = table_columns(shown, unnamed="")
    formats, units = formats or {}, units or {}
    kinds = [formats.get(label, number_kind(label) if label not in units else None) if j >= n_index
             else formats.get(label) for j, label in enumerate(labels)]
    columns = []
    for col, kind, label in zip(values, kinds, labels):
        unit = units.get(label) if label not in formats else None
        if isinstance(unit, (list, tuple)):
            unit = list(unit)[: len(shown)]
        columns.append((unit is not None and _unit_column(col, unit)) or _column(col, kind))
    status = [label.strip().lower() == "status" for label in labels]
    num = ' class="num"'
    head = "".join(f"<th{num if numeric and j >= n_index else ''} scope=\"col\">{_esc(label + note)}</th>"
                   for j, (label, (_, numeric, note)) in enumerate(zip(labels, columns)))
    rows = []
    for i in range(len(shown)):
        cells = []
        for j, (texts, numeric, _) in enumerate(columns):
            text = texts[i]
            if j < n_index:
                cells.append(f"<th scope=\"row\">{_esc(text)}</th>")
                continue
            classes = ["num"] if numeric else []
            if text == _MISSING:
                classes.append("na")
            if status[j]:
                key = text.strip().lower()
                if key in STATUS_COLOURS:
                    classes += ["status", f"status-{key.replace(' ', '-')}"]
            attr = f" class=\"{' '.join(classes)}\"" if classes else ""
            if sortable and numeric:
                attr += f" data-v=\"{_esc(_sort_key(values[j].iloc[i]))}\""
            cells.append(f"<td{attr}>{_esc(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    cls = "data sortable" if sortable else "data"
    out = (f"<div class=\"scroll\"><table class=\"{cls}\"><thead><tr>{head}</tr></thead>"
           f"<tbody>\n" + "\n".join(rows) + "\n</tbody></table></div>\n")
    if n == 0:
        out += "<p class=\"note\">No rows.</p>\n"
    elif len(shown) < n:
        out += f"<p class=\"note\">Showing the first {len(shown):,} of {n:,} rows.</p>\n"
    return out


def _param(value) -> str:
    """A parameter's value as short text."""
    if isinstance(value, dict):
        text = ", ".join(f"{k}: {_param(x)}" for k, x in value.items())
    elif isinstance(value, (list, tuple, set)):
        text = ", ".join(_param(x) for x in value)
        text = f"[{text}]" if isinstance(value, list) and any(isinstance(x, dict) for x in value) else text
    elif isinstance(value, pd.Series):
        text = f"Series of {len(value):,} values" + (f" ({value.name})" if value.name is not None else "")
    elif isinstance(value, pd.DataFrame):
        text = f"DataFrame of {value.shape[0]:,} rows \u00d7 {value.shape[1]:,} columns"
    elif isinstance(value, np.ndarray) and value.ndim > 0:
        text = f"array of {value.size:,} values" if value.size > 6 else ", ".join(_param(x) for x in value.tolist())
    elif isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        text = str(int(value))  # seeds, counts and ids as written, without thousands separators
    elif isinstance(value, (float, np.floating)) and math.isfinite(value):
        text = f"{float(value):.6g}"
    else:
        text = _scalar(value)
    return text if len(text) <= _MAX_PARAM_CHARS else text[: _MAX_PARAM_CHARS - 1] + "\u2026"


def _params_html(params: dict) -> str:
    if not params:
        return ""
    rows = "".join(f"<tr><th scope=\"row\">{_esc(k)}</th><td>{_esc(_param(x))}</td></tr>" for k, x in params.items())
    return f"<table class=\"params\"><tbody>{rows}</tbody></table>\n"


def _figure_html(fig, alt) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=_FIGURE_DPI, bbox_inches="tight")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"<figure><img alt=\"{_esc(alt)}\" src=\"data:image/png;base64,{data}\"></figure>\n"


def _cards_html(cards: pd.DataFrame) -> str:
    """Key figures as cards: the value large, its label below (``data-figure`` keeps the figure's key)."""
    out = []
    for i in range(len(cards)):
        row = cards.iloc[i]
        key = f" data-figure=\"{_esc(row['figure'])}\"" if "figure" in cards.columns else ""
        out.append(f"<div class=\"card\"{key}><div class=\"value\">{_esc(row['text'])}</div>"
                   f"<div class=\"label\">{_esc(row['label'])}</div></div>")
    return "<div class=\"cards\">" + "".join(out) + "</div>\n"


def _heat_colour(x, scale):
    """Background of a heat cell: white at 0, blue above (over), red below (under)."""
    if not math.isfinite(x) or x == 0 or scale <= 0:
        return ""
    t = min(abs(x) / scale, 1.0)
    light = 0.92 - 0.45 * t
    r, g, b = (light, light, 1.0) if x > 0 else (1.0, light, light)
    return f" style=\"background: #{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}\""


def _heat_html(heat: dict) -> str:
    """A table of text cells coloured by a number of the same shape (e.g. scheduled - required agents)."""
    text, value = heat["text"], heat["value"]
    arr = value.to_numpy(dtype=float)
    scale = float(np.nanmax(np.abs(arr))) if arr.size and np.isfinite(arr).any() else 0.0
    labels, _, _ = table_columns(text.iloc[:0], unnamed="")
    head = "".join(f"<th scope=\"col\">{_esc(label)}</th>" for label in labels)
    rows = []
    for i in range(len(text)):
        cells = [f"<th scope=\"row\">{_esc(_scalar(text.index[i]))}</th>"]
        for j in range(text.shape[1]):
            cells.append(f"<td{_heat_colour(arr[i, j], scale)}>{_esc(_scalar(text.iat[i, j]))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    legend = f"<p class=\"note\">{_esc(heat['legend'])}</p>\n" if heat.get("legend") else ""
    return (f"<div class=\"scroll\"><table class=\"heat\"><thead><tr>{head}</tr></thead><tbody>\n"
            + "\n".join(rows) + "\n</tbody></table></div>\n" + legend)


_SORT_JS = """
document.querySelectorAll("table.sortable").forEach(function (table) {
  table.querySelectorAll("thead th").forEach(function (th, col) {
    th.addEventListener("click", function () {
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      var asc = th.getAttribute("aria-sort") !== "ascending";
      table.querySelectorAll("thead th").forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      function key(row) {
        var c = row.cells[col], v = c.hasAttribute("data-v") ? c.getAttribute("data-v") : c.textContent;
        var n = parseFloat(v);
        return v !== "" && !isNaN(n) && isFinite(v) ? n : v;
      }
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        if (x === y) { return 0; }
        if (x === "") { return 1; }
        if (y === "") { return -1; }
        var r = (typeof x === typeof y) ? (x < y ? -1 : 1) : (typeof x === "number" ? -1 : 1);
        return asc ? r : -r;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
});
"""


def _text_html(text: str) -> str:
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join("<p>" + "<br>\n".join(_esc(line) for line in p.splitlines()) + "</p>\n" for p in paragraphs)


def _check_sections(sections):
    if not isinstance(sections, (list, tuple)):
        raise type_error("sections", "a list of dicts", sections)
    checked = []
    for i, section in enumerate(sections):
        name = f"sections[{i}]"
        v.check_keys(section, name, SECTION_KEYS, required=("heading",))
        s = {k: x for k, x in section.items() if x is not None}
        if not isinstance(s.get("heading"), str):
            raise type_error(f"{name}['heading']", "a str", section["heading"])
        if "text" in s and not isinstance(s["text"], str):
            raise type_error(f"{name}['text']", "a str", s["text"])
        if "table" in s:
            s["table"] = as_frame(s["table"], f"{name}['table']")
        if "figure" in s:
            s["figure"] = figure_of(s["figure"], f"{name}['figure']")
        if "params" in s and not isinstance(s["params"], dict):
            raise type_error(f"{name}['params']", "a dict", s["params"])
        if "cards" in s:
            s["cards"] = as_frame(s["cards"], f"{name}['cards']")
            missing = [c for c in ("label", "text") if c not in s["cards"].columns]
            v.check_rule(not missing, f"{name}['cards']", f"<columns {list(s['cards'].columns)}>",
                         "a table with the columns 'label' and 'text' (e.g. Headline.table)")
        if "heat" in s:
            heat = s["heat"]
            if not isinstance(heat, dict):
                raise type_error(f"{name}['heat']", "a dict with 'text' and 'value' DataFrames", heat)
            v.check_keys(heat, f"{name}['heat']", ("text", "value", "legend"), required=("text", "value"))
            text, value = as_frame(heat["text"], f"{name}['heat']['text']"), \
                as_frame(heat["value"], f"{name}['heat']['value']")
            v.check_rule(text.shape == value.shape, f"{name}['heat']", f"<text {text.shape}, value {value.shape}>",
                         "'text' and 'value' of the same shape")
        if "formats" in s:
            if not isinstance(s["formats"], dict):
                raise type_error(f"{name}['formats']", "a dict of column -> kind", s["formats"])
            for col, kind in s["formats"].items():
                v.check_rule(kind is None or kind in FORMAT_KINDS, f"{name}['formats'][{col!r}]", repr(kind),
                             "one of " + ", ".join(FORMAT_KINDS) + " or None")
        if "units" in s:
            if not isinstance(s["units"], dict):
                raise type_error(f"{name}['units']", "a dict of column -> unit", s["units"])
            for col, unit in s["units"].items():
                for one in (unit if isinstance(unit, (list, tuple)) else [unit]):
                    if one is not None:
                        try:
                            unit_of(one)
                        except ValueError as err:
                            raise ValueError(f"{name}['units'][{col!r}]: {err}") from None
        s["max_rows"] = check_max_rows(section.get("max_rows", DEFAULT_MAX_ROWS), f"{name}['max_rows']")
        checked.append(s)
    return checked


def render_html(*, title, sections) -> str:
    """The page :func:`write_html` writes, as a string."""
    if not isinstance(title, str):
        raise type_error("title", "a str", title)
    sections = _check_sections(sections)
    parts = ["<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
             "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
             f"<meta name=\"generator\" content=\"wfm {_esc(__version__)}\">\n"
             f"<title>{_esc(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
             f"<h1>{_esc(title)}</h1>\n"]
    nav = ""
    if len(sections) >= 3:
        nav = ("<nav><ol>" + "".join(f"<li><a href=\"#section-{i + 1}\">{_esc(s['heading'])}</a></li>"
                                     for i, s in enumerate(sections)) + "</ol></nav>\n")
    # key figures (cards) in the first section come first on the page, the table of contents after them
    nav_after = 0 if sections and "cards" in sections[0] else -1
    if nav_after < 0:
        parts.append(nav)
    for i, s in enumerate(sections):
        parts.append(f"<section id=\"section-{i + 1}\">\n<h2>{_esc(s['heading'])}</h2>\n")
        if "cards" in s:
            parts.append(_cards_html(s["cards"]))
        if "text" in s:
            parts.append(_text_html(s["text"]))
        if "params" in s:
            parts.append(_params_html(s["params"]))
        if "figure" in s:
            parts.append(_figure_html(s["figure"], s["heading"]))
        if "heat" in s:
            parts.append(_heat_html(s["heat"]))
        if "table" in s:
            parts.append(_table_html(s["table"], s["max_rows"], s.get("formats"), bool(s.get("sortable")),
                                     s.get("units")))
        parts.append("</section>\n")
        if i == nav_after:
            parts.append(nav)
    script = f"<script>{_SORT_JS}</script>\n" if any(s.get("sortable") and "table" in s for s in sections) else ""
    parts.append(f"<footer>Written by wfm {_esc(__version__)}.</footer>\n</main>\n{script}</body>\n</html>\n")
    return "".join(parts)


def write_html(path, *, title, sections):
    """
    Write one self-contained HTML report: headed sections of text, parameters, a figure and a table.

    The page has its CSS (and, with a sortable table, its script) inline and
    its figures embedded as base64 PNG, so it is one file to mail or
    archive, with no link to anything outside it.
    It is written atomically (see :func:`atomic_write`). All text is escaped.

    Parameters
    ----------
    path : str or path-like
        The ``.html`` file to write.
    title : str
        Title of the page.
    sections : list of dict
        In page order, each with the keys (only ``heading`` required; a
        value of None counts as absent, except for ``max_rows``):

        - ``heading`` (str)
        - ``text`` (str): plain text; a blank line starts a new paragraph.
        - ``params`` (dict): the arguments behind the section, shown as a
          small name/value table (e.g. ``plan.params``).
        - ``figure`` (matplotlib Figure or Axes): embedded as PNG; the
          figure is left open.
        - ``table`` (DataFrame or Series): its index shown as row headers
          unless it is the default 0, 1, 2, ...; integers with thousands
          separators; floats with one number of decimals per column (four
          significant digits of its largest value, at least two for the
          others); times without needless seconds; NaN as a dash. A column named ``status`` with values ``green``,
          ``amber``, ``red``, ``no data``, ``input`` or ``not scored`` gets
          coloured cells.
        - ``max_rows`` (int or None): rows of the table shown, with the
          note "Showing the first N of M rows" when there are more; None
          shows all. Default :data:`DEFAULT_MAX_ROWS` (50).
        - ``formats`` (dict): column -> display kind of
          :data:`FORMAT_KINDS` (``percent``: 0.9099 as 91.0%; ``id``:
          2003 without a thousands separator; ``count``, ``money``: whole
          numbers; ``number``; ``text``) or None for the default. Columns
          not given get a kind from their name (rates and targets such as
          ``service_level``, ``abandon_rate``, ``occupancy`` as percentages;
          ``seed`` and ids as written; agents and heads whole) unless
          ``units`` gives their unit.
        - ``units`` (dict): column -> unit of
          :data:`wfm.report.units.UNIT_FORMATS` (or a list, one per row):
          the column shown in its unit (fractions as %, counts whole, a CSAT
          mean with two decimals, ...). ``formats`` wins over it.
        - ``sortable`` (bool): the table sorts by a click on a column
          heading (a few lines of inline script, numbers by their value).
        - ``cards`` (DataFrame with ``label`` and ``text``, optionally
          ``figure``): key figures shown large, before the section's text,
          e.g. :meth:`wfm.headline.Headline.table`. When the first section
          has cards, the table of contents follows it, so the figures are
          the first screen.
        - ``heat`` (dict with ``text`` and ``value`` DataFrames of one
          shape, and an optional ``legend``): a table of the text cells,
          each coloured by its value (blue above 0, red below, deeper with
          the magnitude), e.g. :func:`wfm.report.coverage_heat`.

        Parts are shown in the order cards, text, params, figure, heat, table.

    Returns
    -------
    Path

    Raises
    ------
    ValueError
        For an unknown section key (naming the section and the key) or a
        missing heading.
    TypeError
        For a value of the wrong kind.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import wfm
    >>> idx = pd.date_range("2024-01-01 08:00", periods=3, freq="30min")
    >>> plan = wfm.staffing_plan(pd.Series([100, 250, 0], index=idx), aht=180)
    >>> out = write_html(pathlib.Path(tempfile.mkdtemp()) / "plan.html", title="Monday", sections=[
    ...     {"heading": "Staffing plan", "text": "Erlang C, 80/20.", "params": plan.params,
    ...      "table": plan.table, "max_rows": 2}])
    >>> page = out.read_text()
    >>> "Showing the first 2 of 3 rows" in page, "<th scope=\\"row\\">2024-01-01 08:30</th>" in page
    (True, True)
    """
    page = render_html(title=title, sections=sections)
    return atomic_write(Path(path), lambda tmp: tmp.write_text(page, encoding="utf-8"))
