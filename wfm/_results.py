"""
The results contract: what every wfm results object offers, written once.

A results object is what a public wfm function returns when the answer is
more than one number (a forecast, a staffing plan, a schedule, a roster, a
simulation, a capacity plan, a scorecard, a scenario run). Each is a thin,
frozen dataclass over pandas tables and offers the same six things, with
the same return types, so that a notebook, the report and the scenario
runner treat every one alike:

``table``
    A :class:`~pandas.DataFrame`: the rows the result is about (one per
    interval, shift, agent-day, week, variant, ...). An attribute or a
    property; the class docstring names its columns and their units.
``params``
    A dict of the inputs that made the result (units as in the function's
    arguments), so a result says how it was made.
``figures()``
    A method returning a dict of the key figures as plain Python numbers
    (``int``, ``float``; ``nan`` where a figure is undefined, never ``None``)
    or short strings, under snake_case keys that name the unit where it is
    not obvious. It is what a program reads.
``summary()``
    A method returning a DataFrame that a person reads. By default it is the
    figures, one row each, indexed by the figure's key, with columns
    ``figure`` (a display label) and ``value``; a class whose figures have
    more structure (per level and metric, per agent) documents its own
    columns, and is still a DataFrame.
``plot(ax=None, **kwargs)``
    Draws the result on ``ax`` (a new figure when None) with labelled axes
    and units, and returns the :class:`matplotlib.axes.Axes`.
``_repr_html_()``
    The notebook view: a heading, the summary and the first rows of the
    table.
``to_excel(path)``
    Writes a workbook whole or not at all (a sheet ``summary`` and one sheet
    per table of :meth:`Result.sheets`) and returns its :class:`~pathlib.Path`.

:class:`Result` holds the shared parts; a class gives ``table``, ``params``,
``figures()`` and ``plot()``, and overrides the rest only where it has more
to show. ``tests/test_results_contract.py`` holds every public results class
to this page.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._atomic import atomic_write

__all__ = ["Result", "figures_frame", "plain"]


class Result:
    """
    Shared behaviour of wfm's results objects (see the module docstring for the contract).

    Subclasses are frozen dataclasses with ``table`` and ``params``; they
    define :meth:`figures` and ``plot`` and may set ``LABELS`` (figure key ->
    display label) and ``TITLE`` (the heading of the notebook view).
    """

    LABELS: dict = {}
    TITLE: str = ""

    def figures(self) -> dict:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def summary(self) -> pd.DataFrame:
        """The figures, one row each: index ``key``, columns ``figure`` (label) and ``value``."""
        return figures_frame(self.figures(), self.LABELS)

    def sheets(self) -> dict:
        """The tables :meth:`to_excel` writes after the summary, by sheet name (default: ``table``)."""
        return {"table": self.table}

    def to_excel(self, path):
        """
        Write the summary and :meth:`sheets` to an Excel workbook, whole or not at all.

        Parameters
        ----------
        path : str or path-like
            The ``.xlsx`` file to write (replaced if it exists).

        Returns
        -------
        Path
        """
        frames = {"summary": self.summary(), **self.sheets()}

        def write(tmp):
            with pd.ExcelWriter(tmp, engine="openpyxl") as xl:
                for name, frame in frames.items():
                    _excel_ready(frame).to_excel(xl, sheet_name=str(name)[:31])

        return atomic_write(path, write)

    def _summary_text(self) -> str:
        """The summary as aligned ``label  value`` lines, numbers to 4 significant digits (for ``__repr__``)."""
        s = self.summary()
        return s["value"].map(_text).set_axis(s["figure"]).to_string(header=False) if "figure" in s else s.to_string()

    def _title(self) -> str:
        return self.TITLE or type(self).__name__

    def _repr_html_(self) -> str:
        table = self.table
        return (f"<h4>{self._title()}</h4>" + self.summary().to_html(float_format=_fmt, na_rep="-")
                + f"<p>First {min(20, len(table))} of {len(table)} rows</p>"
                + table.head(20).to_html(float_format=_fmt, na_rep="-"))


def figures_frame(figures: dict, labels: dict) -> pd.DataFrame:
    """A figures dict as the contract's summary frame: index ``key``, columns ``figure`` and ``value``."""
    keys = list(figures)
    return pd.DataFrame({"figure": [labels.get(k, k.replace("_", " ")) for k in keys],
                         "value": pd.Series(list(figures.values()), index=keys, dtype=object)},
                        index=pd.Index(keys, name="key"))


def plain(figures: dict) -> dict:
    """The figures as plain Python values: NumPy scalars unwrapped, None as ``nan`` (undefined)."""
    out = {}
    for key, value in figures.items():
        if value is None:
            value = float("nan")
        elif isinstance(value, np.generic):
            value = value.item()
        out[key] = value
    return out


def _text(x):
    if isinstance(x, (int, np.integer)) and not isinstance(x, bool):
        return f"{x:,}"
    if isinstance(x, (float, np.floating)):
        return f"{x:,.4g}" if np.isfinite(x) else "-"
    return str(x)


def _fmt(x):
    return f"{x:,.4g}" if np.isfinite(x) else "-"


def _excel_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Excel holds no time zones and no lists: local wall-clock times, lists and mappings as text."""
    out = frame.copy()
    if isinstance(out.index, pd.DatetimeIndex) and out.index.tz is not None:
        out.index = out.index.tz_localize(None)
    for col in out.columns:
        if isinstance(out[col].dtype, pd.DatetimeTZDtype):
            out[col] = out[col].dt.tz_localize(None)
        elif out[col].dtype == object:
            out[col] = out[col].map(lambda x: str(x) if isinstance(x, (list, tuple, dict, set, np.ndarray)) else
                                    (x.tz_localize(None) if isinstance(x, pd.Timestamp) and x.tz else x))
    return out
