"""
Which rows of a log are read: filters, exclusions, placeholders, fallback columns, and rows set aside.

Every step here works on the table as read (text where the file holds text,
numbers where it holds numbers), before anything is parsed, and counts what
it did in the reader's notes. :func:`read_rows` runs a reader and, with
``on_bad_rows="reject"``, sets aside the rows an error names (with the
reason per row) and reads the rest.
"""

from __future__ import annotations

import ast
import operator
import re
import warnings

import numpy as np
import pandas as pd

from .. import _validation as v
from . import _parse as lp

__all__ = ["text_of", "as_list", "filter_rows", "exclude_rows", "placeholders", "fallback_columns", "read_rows",
           "ON_BAD_ROWS"]

#: What a reader does with rows that break a rule on their own.
ON_BAD_ROWS = ("error", "reject")


def _one_text(x):
    """One value as text: stripped, and a whole float without its '.0' (1.0 reads as '1', as in a CSV)."""
    if isinstance(x, (float, np.floating)) and np.isfinite(x) and float(x).is_integer():
        return str(int(x))
    return str(x).strip()


def text_of(values):
    """
    Values as stripped text, for matching codes, placeholders and filters (1.0 reads as '1'); None where missing.

    Each distinct value is converted once; whole columns of numbers without a Python loop.

    Examples
    --------
    >>> text_of(pd.Series([" 0:00:00", 1.0, None, 2.5, "AGENT"])).tolist()
    ['0:00:00', '1', None, '2.5', 'AGENT']
    """
    series = pd.Series(values)
    if series.dtype.kind not in "iufb":
        series = series.astype(object)
    codes, uniques = pd.factorize(series)
    arr = np.asarray(uniques)
    if arr.dtype.kind in "iub":
        text = arr.astype(str).astype(object)
    elif arr.dtype.kind == "f":
        text = arr.astype(str).astype(object)
        with np.errstate(invalid="ignore"):
            whole = np.isfinite(arr) & (np.mod(arr, 1) == 0)
        small = whole & (np.abs(arr) < 2.0 ** 53)
        text[small] = arr[small].astype(np.int64).astype(str)
        if (whole & ~small).any():
            text[whole & ~small] = [_one_text(x) for x in arr[whole & ~small]]
    else:
        obj = arr.astype(object)
        if pd.api.types.infer_dtype(obj, skipna=False) == "string":  # the usual case: text of a CSV
            text = np.array([x.strip() for x in obj], dtype=object)
        else:
            text = np.array([_one_text(x) for x in obj], dtype=object)
    out = text[np.maximum(codes, 0)] if len(text) else np.full(len(codes), None, dtype=object)
    return np.where(codes < 0, None, out)


def as_list(value):
    return list(value) if isinstance(value, (list, tuple, set, np.ndarray, pd.Index)) else [value]


def _column(frame, name, mapping, option_text, log):
    """The frame's column for ``name``: a canonical name or the name in the user's data."""
    reverse = {src: key for key, src in mapping.items()}
    found = name if name in frame.columns else reverse.get(name, name)
    if found not in frame.columns:
        shown = [mapping.get(c, c) for c in frame.columns]
        raise ValueError(f"{option_text} names column {name!r}, which {log} does not have; its columns are "
                         f"{shown[:12]}.{v._suggest(name, shown)}")
    return found


def filter_rows(frame, rows, filters, notes, log="contacts"):
    """Keep the rows whose columns match ``filters`` (column -> value or values)."""
    if not filters:
        return frame, rows
    if not isinstance(filters, dict):
        raise TypeError(f"filters must be a dict of column -> value(s) to keep, e.g. "
                        f"{lp.option('filters', {'queue': ['PS']})}; got {type(filters).__name__}.")
    keep = np.ones(len(frame), dtype=bool)
    for column, wanted in filters.items():
        if column not in frame.columns:
            raise ValueError(f"{lp.option('filters', {column: wanted})} names column {column!r}, which {log} "
                             f"does not have; its columns are {list(frame.columns)[:12]}."
                             f"{v._suggest(column, frame.columns)}")
        text = text_of(frame[column].to_numpy())
        keep &= np.isin(text, [text_of([w])[0] for w in as_list(wanted)])
    dropped = int((~keep).sum())
    if dropped:
        shown = {k: as_list(w) for k, w in filters.items()}
        notes.append((log, dropped, f"did not match the filters {shown}", "left out"))
    return frame[keep].reset_index(drop=True), rows[keep]


def placeholders(frame, na_values, mapping, notes, log="contacts"):
    """Replace each column's placeholder values ('0:00:00', 'NO_SERVER', 0) by missing."""
    if not na_values:
        return frame
    if not isinstance(na_values, dict):
        raise TypeError(f"na_values must be a dict of column -> placeholder value(s), e.g. "
                        f"{lp.option('na_values', {'answer': '0:00:00'})}; got {type(na_values).__name__}.")
    for column, values in na_values.items():
        name = _column(frame, column, mapping, lp.option("na_values", {column: values}), log)
        text = text_of(frame[name].to_numpy())
        wanted = [text_of([x])[0] for x in as_list(values)]
        hit = np.isin(text, wanted)
        if hit.any():
            frame[name] = frame[name].astype(object).where(~hit, None)
            shown = wanted[0] if len(wanted) == 1 else wanted
            notes.append((log, int(hit.sum()), f"held the placeholder {shown!r} in {name!r}", "taken as missing"))
    return frame


def fallback_columns(frame, fallback, mapping, notes, log="contacts"):
    """
    Fill a column's missing values from another column ("q_start, else vru_exit"), counted in the notes.

    ``fallback`` maps a column (canonical or as named in the data) to the
    column (or list of columns, tried in order) whose value is taken where
    it is missing; placeholders (``na_values``) are missing already.
    """
    if not fallback:
        return frame
    if not isinstance(fallback, dict):
        raise TypeError(f"fallback must be a dict of column -> the column to take where it is missing, e.g. "
                        f"{lp.option('fallback', {'arrival': 'vru_exit'})}; got {type(fallback).__name__}.")
    for column, others in fallback.items():
        text = lp.option("fallback", {column: others})
        name = _column(frame, column, mapping, text, log)
        for other in as_list(others):
            source = _column(frame, other, mapping, text, log)
            target = frame[name]
            blank = (target.isna() | (target.astype(str).str.strip() == "")).to_numpy()
            take = blank & frame[source].notna().to_numpy()
            if take.any():
                frame[name] = target.astype(object).where(~take, frame[source].astype(object))
                notes.append((log, int(take.sum()), f"had no {mapping.get(name, name)!r}",
                              f"took {mapping.get(source, source)!r} instead"))
    return frame


# --------------------------------------------------------------------------
# Exclusions: by value, or by an expression on the table's columns.
# --------------------------------------------------------------------------

_CMP = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
        ast.Gt: operator.gt, ast.GtE: operator.ge}
_CMP_TEXT = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}


class _Expression:
    """A validated exclusion expression: comparisons of columns with values or with each other, and/or/not."""

    def __init__(self, text, frame, mapping, log, rows=None):
        self.text, self.frame, self.mapping, self.log, self.rows = text, frame, mapping, log, rows
        self.option = lp.option("exclude", text)
        quoted = {}

        def name(match):
            key = f"__col{len(quoted)}__"
            quoted[key] = match.group(1)
            return key
        source = re.sub(r"`([^`]+)`", name, text)
        try:
            tree = ast.parse(source.strip(), mode="eval")
        except SyntaxError:
            raise ValueError(f"{self.option} is not an expression wfm reads; write comparisons joined by and, or, "
                             "not, e.g. \"q_start == '0:00:00'\" or \"outcome == 'HANG' and q_exit == q_start\" "
                             "(backticks around names with spaces).") from None
        self.quoted = quoted
        self.tree = tree.body

    def fail(self, what):
        return ValueError(f"{self.option}: {what}. An exclusion compares columns with values (==, !=, <, <=, >, "
                          ">=, in, not in) or with each other, joined by and, or, not; isna(column) and "
                          "notna(column) test for blanks.")

    def column(self, node):
        name = self.quoted.get(node.id, node.id)
        return _column(self.frame, name, self.mapping, self.option, self.log)

    def evaluate(self):
        out = self.node(self.tree)
        if not isinstance(out, np.ndarray) or out.dtype != bool:
            raise self.fail("it does not say which rows to leave out (a comparison is needed)")
        return out

    def node(self, node):
        if isinstance(node, ast.BoolOp):
            parts = [self.node(x) for x in node.values]
            self.check_bool(parts)
            return np.logical_and.reduce(parts) if isinstance(node.op, ast.And) else np.logical_or.reduce(parts)
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.BitAnd, ast.BitOr)):
            parts = [self.node(node.left), self.node(node.right)]
            self.check_bool(parts)
            return parts[0] & parts[1] if isinstance(node.op, ast.BitAnd) else parts[0] | parts[1]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Not, ast.Invert)):
            part = self.node(node.operand)
            self.check_bool([part])
            return ~part
        if isinstance(node, ast.Compare):
            out, left = np.ones(len(self.frame), dtype=bool), node.left
            for op, right in zip(node.ops, node.comparators):
                out &= self.compare(left, op, right)
                left = right
            return out
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("isna", "notna") \
                and len(node.args) == 1 and isinstance(node.args[0], ast.Name) and not node.keywords:
            values = self.frame[self.column(node.args[0])]
            blank = (values.isna() | (values.astype(str).str.strip() == "")).to_numpy()
            return blank if node.func.id == "isna" else ~blank
        raise self.fail(f"{ast.unparse(node)!r} is not allowed there")

    def check_bool(self, parts):
        if not all(isinstance(p, np.ndarray) and p.dtype == bool for p in parts):
            raise self.fail("and, or and not join comparisons")

    def operand(self, node):
        """('column', name) or ('value', constant) or ('values', list)."""
        if isinstance(node, ast.Name):
            return "column", self.column(node)
        if isinstance(node, ast.Constant) and isinstance(node.value, (str, int, float)) \
                and not isinstance(node.value, bool):
            return "value", node.value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant) \
                and isinstance(node.operand.value, (int, float)):
            return "value", -node.operand.value
        if isinstance(node, (ast.List, ast.Tuple)):
            values = [self.operand(x) for x in node.elts]
            if not all(kind == "value" for kind, _ in values):
                raise self.fail("a list after in / not in holds values only")
            return "values", [x for _, x in values]
        raise self.fail(f"{ast.unparse(node)!r} is neither a column nor a value")

    def numbers(self, name):
        values = self.frame[name]
        out = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
        bad = np.isnan(out) & values.notna().to_numpy()
        if bad.any():
            raise lp.rows_error(self.mapping.get(name, name), f"is compared with a number in {self.option} but "
                                "holds text", bad, self.rows, values=values.to_numpy(), rejectable=False,
                                hint="Compare text with == or != and a quoted value.")
        return out

    def compare(self, left, op, right):
        (lk, lv), (rk, rv) = self.operand(left), self.operand(right)
        if isinstance(op, (ast.In, ast.NotIn)):
            if lk != "column" or rk != "values":
                raise self.fail("in and not in take a column on the left and a list of values on the right")
            hit = np.isin(text_of(self.frame[lv].to_numpy()), [text_of([x])[0] for x in rv])
            return hit if isinstance(op, ast.In) else ~hit
        if type(op) not in _CMP or "values" in (lk, rk):
            raise self.fail(f"the comparison {ast.unparse(op) if hasattr(op, '_fields') else op} is not allowed")
        if lk == rk == "value":
            raise self.fail("a comparison needs a column")
        fn = _CMP[type(op)]
        text = any(kind == "value" and isinstance(x, str) for kind, x in ((lk, lv), (rk, rv))) or (
            lk == rk == "column" and not all(pd.api.types.is_numeric_dtype(self.frame[x].dtype) for x in (lv, rv)))
        if text:
            if not isinstance(op, (ast.Eq, ast.NotEq)):
                raise self.fail(f"text is compared with == or != only (times are text here, not yet read as "
                                f"times); got {_CMP_TEXT[type(op)]}")
            a = text_of(self.frame[lv].to_numpy()) if lk == "column" else np.full(len(self.frame), lv, dtype=object)
            b = text_of(self.frame[rv].to_numpy()) if rk == "column" else np.full(len(self.frame), rv, dtype=object)
            same = np.array([x is not None and x == y for x, y in zip(a, b)], dtype=bool) if lk == rk == "column" \
                else (a == b) & pd.notna(a) & pd.notna(b)
            return np.asarray(same if isinstance(op, ast.Eq) else ~same, dtype=bool)
        a = self.numbers(lv) if lk == "column" else float(lv)
        b = self.numbers(rv) if rk == "column" else float(rv)
        with np.errstate(invalid="ignore"):
            return np.asarray(fn(a, b), dtype=bool)


def exclude_rows(frame, rows, exclude, mapping, notes, log="contacts"):
    """
    Leave out the rows that match ``exclude``: a dict (column -> value(s)), an expression, or a list of either.

    Expressions compare columns (as named in the data, or canonical) with
    values or with each other, joined by ``and``, ``or``, ``not``: e.g.
    ``"q_start == '0:00:00'"`` or ``"outcome == 'HANG' and q_exit == q_start"``.
    Text is compared as text (times are not yet read as times, so compare
    them with ``==`` and ``!=``); ``<``, ``>`` compare numbers. Each
    exclusion's count goes into the notes.
    """
    if exclude is None or (isinstance(exclude, (list, tuple, dict, str)) and not exclude):
        return frame, rows
    items = exclude if isinstance(exclude, (list, tuple)) else [exclude]
    drop = np.zeros(len(frame), dtype=bool)
    for item in items:
        if isinstance(item, dict):
            hit = np.zeros(len(frame), dtype=bool)
            for column, values in item.items():
                name = _column(frame, column, mapping, lp.option("exclude", {column: values}), log)
                hit |= np.isin(text_of(frame[name].to_numpy()), [text_of([x])[0] for x in as_list(values)])
            label = {k: as_list(x) for k, x in item.items()}
        elif isinstance(item, str):
            hit = _Expression(item, frame, mapping, log, rows).evaluate()
            label = item
        else:
            raise TypeError(f"exclude must be an expression (text), a dict of column -> value(s), or a list of "
                            f"them, e.g. {lp.option('exclude', 'q_start == ' + repr('0:00:00'))}; got "
                            f"{type(item).__name__}.")
        new = hit & ~drop
        if new.any():
            notes.append((log, int(new.sum()), f"matched the exclusion {label!r}", "left out"))
        drop |= hit
    return frame[~drop].reset_index(drop=True), rows[~drop]


# --------------------------------------------------------------------------
# Rows set aside: read the rest, keep the rejected rows with their reasons.
# --------------------------------------------------------------------------


def read_rows(read, frame, rows, on_bad_rows, *, log, label="row", raw=None, max_rounds=50):
    """
    ``read(frame, rows, rejected_notes)`` -> result; with ``on_bad_rows="reject"`` rows an error names are set aside.

    A row error (:func:`wfm.logs._parse.rows_error` with ``rejectable``)
    names every row that breaks one rule; those rows go to the rejected
    table with the rule as their reason, and the rest are read again, until
    the read passes. Errors about the whole table (a missing column, dates
    that read both ways) are raised as they are.

    Returns
    -------
    result, rejected : the reader's result, and (None with ``"error"``) a
        DataFrame of the rejected rows as they were read (``raw``, with their original columns) with
        ``label`` (``"line"`` of a file, ``"row"`` of a table in memory) and
        ``reason``.
    """
    v.check_choice(on_bad_rows, "on_bad_rows", ON_BAD_ROWS)
    if on_bad_rows == "error":
        return read(frame, rows, []), None
    raw = frame if raw is None else raw
    reasons = pd.Series(None, index=rows, dtype=object)
    for _ in range(max_rounds):
        keep = reasons.isna().to_numpy()
        if not keep.any():
            raise ValueError(f"every row of {log} was set aside as a bad row; the first reason: "
                             f"{reasons.iloc[0]}.")
        counts = reasons.dropna().value_counts(sort=False)
        notes = [(log, int(n), f"were bad rows: {reason}",
                  f"set aside with their reason ({lp.option('on_bad_rows', 'reject')})") for reason, n in counts.items()]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = read(frame[keep].reset_index(drop=True), rows[keep], notes)
            except (ValueError, TypeError) as err:
                named = getattr(err, "wfm_rows", None)
                if named is None or not len(named):
                    raise
                hit = reasons.index.isin(named) & keep
                if not hit.any():
                    raise
                reasons[hit] = err.wfm_reason
                continue
        for w in caught:
            warnings.warn(w.message, w.category, stacklevel=3)
        bad = reasons.notna().to_numpy()
        rejected = raw[bad].reset_index(drop=True)
        rejected.insert(0, label, rows[bad])
        rejected["reason"] = reasons[bad].to_numpy()
        return result, rejected
    raise ValueError(f"{log}: more than {max_rounds} different row errors; fix the table or read it with "
                     f"{lp.option('on_bad_rows', 'error')} to see the first.")
