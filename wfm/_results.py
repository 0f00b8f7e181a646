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
    not obvious; whole agents, heads and hires are ``int``. It is what a
    program reads.
``summary()``
    A method returning a DataFrame that a person reads. By default it is the
    figures, one row each, indexed by the figure's key, with columns
    ``figure`` (a display label) and ``value``; a class whose figures have
    more structure (per level and metric, per agent) documents its own
    columns, and is still a DataFrame.
``plot(ax=None, **kwargs)``
    Draws the result on ``ax`` (a new figure when None) and returns the
    :class:`matplotlib.axes.Axes`. Both axes are labelled, with the unit
    where there is one (``agents``, ``calls per interval``, ``[0-1]``,
    ``[s]``); a time axis says whose clock (:data:`TIME_LABEL`,
    :data:`INTERVALS_LABEL`, ``week starting``) and names the day of its
    ticks (:func:`date_axis`, :func:`interval_axis`); a categorical axis
    names its categories (``variant``, ``agent group``). A card of figures
    (no ticks, no frame) says what it shows in its x label, under it.
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

import functools

import numpy as np
import pandas as pd

from ._atomic import atomic_write

__all__ = ["Result", "figures_frame", "plain", "TIME_LABEL", "INTERVALS_LABEL", "date_axis", "interval_axis",
           "week_label", "card_axes", "legend_below"]


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


# Axes of the results' plots: each x axis names its clock, and its ticks name their day.

#: x label of a time axis: the index's own wall clock (its time zone where it has one).
TIME_LABEL = "time (local)"
#: x label of an axis with one step per interval (closed hours and gaps take no room).
INTERVALS_LABEL = "time (local), intervals in order"

#: Tick labels by the locator's resolution (years, months, days, hours, minutes, seconds): a day tick names its
#: weekday, day and month ("Mon 27 Oct"), so a week is never read as the month of the axis's last tick.
_FORMATS = ["%Y", "%b", "%a %d %b", "%H:%M", "%H:%M", "%S.%f"]
#: Labels of ticks at the start of the next coarser unit: a month tick in January shows its year, an hour tick at
#: midnight its day ("Tue 28 Oct"), a day tick on the 1st its day as any other day ("Sat 01 Nov").
_ZERO_FORMATS = ["", "%Y", "%a %d %b", "%a %d %b", "%H:%M", "%H:%M"]
#: The year (months and days) or the day (hours and minutes) of the axis, shown at its right end; hour ticks over
#: several days show the first and last day instead (:func:`_concise_formatter`).
_OFFSET_FORMATS = ["", "%Y", "%Y", "%a %d %b %Y", "%a %d %b %Y", "%a %d %b %Y %H:%M"]


@functools.lru_cache(maxsize=1)
def _concise_formatter():
    """Matplotlib's concise date labels, whose offset names the days of hour ticks: one day, or first and last."""
    import matplotlib.dates as mdates

    class DayOffsetFormatter(mdates.ConciseDateFormatter):
        _span = ""

        def format_ticks(self, values):
            labels = super().format_ticks(values)
            days = sorted({mdates.num2date(x, tz=self._tz).date() for x in values})
            hours = len(days) > 1 and any(":" in text for text in labels)
            self._span = f"{days[0]:%a %d %b} - {days[-1]:%a %d %b %Y}" if hours else ""
            return labels

        def get_offset(self):
            offset = super().get_offset()
            return self._span if offset and self._span else offset

    return DayOffsetFormatter


def date_axis(axis):
    """
    Put unambiguous date ticks on a matplotlib date axis (``ax.xaxis``): months by name, days as
    ``Mon 27 Oct``, hours as ``HH:MM`` with their day at midnight and at the axis's end (one day, or the
    first and last), on the wall clock of the data (a time-zone-aware index keeps its zone); returns the axis.

    Matplotlib's default concise labels show a day tick as its number and the
    month and year of the axis's *last* tick at its end, so a week from Monday
    27 October whose axis ends on 1 November reads "28 29 30 31 ... 2003-Nov".
    """
    import datetime

    import matplotlib.dates as mdates

    tz = axis.get_units() if isinstance(axis.get_units(), datetime.tzinfo) else None
    locator = mdates.AutoDateLocator(tz=tz)
    axis.set_major_locator(locator)
    axis.set_major_formatter(_concise_formatter()(locator, tz=tz, formats=_FORMATS, zero_formats=_ZERO_FORMATS,
                                                  offset_formats=_OFFSET_FORMATS))
    return axis


def interval_axis(ax, index):
    """
    Label an x axis of interval positions (0, 1, ...: one per row of ``index``, so closed hours take no room) by
    the local time: each day's first interval named ``Mon 20 Oct`` with a line between days or, for one day, its
    hours (``10:00``) and the day in the x label; sets the limits and the x label; returns the Axes.
    """
    if isinstance(index, pd.DatetimeIndex) and len(index):
        days = index.normalize()
        if days[0] == days[-1]:
            ticks = np.flatnonzero((index.minute == 0) & (index.second == 0))
            ticks = ticks[::max(1, int(np.ceil(len(ticks) / 10)))] if len(ticks) else np.array([0])
            ax.set_xticks(ticks, [f"{index[i]:%H:%M}" for i in ticks])
            ax.set_xlabel(f"time of day (local), {index[0]:%a %d %b %Y}")
        else:
            starts = np.flatnonzero(np.r_[True, days[1:] != days[:-1]])
            ax.set_xticks(starts, [f"{index[i]:%a %d %b}" for i in starts])
            for s in starts[1:]:
                ax.axvline(s - 0.5, color="0.6", lw=0.5)
            ax.set_xlabel(INTERVALS_LABEL)
    else:
        ax.set_xlabel("interval (in order)")
    ax.set_xlim(-0.5, len(index) - 0.5)
    return ax


def week_label(weeks):
    """x label of an axis of weeks: ``week starting`` for week-start dates, ``week number`` for numbered weeks."""
    return "week starting" if isinstance(weeks, pd.DatetimeIndex) else "week number"


def card_axes(ax, caption):
    """Make ``ax`` a card of figures: no ticks, no frame, and ``caption`` (what the card shows) under it."""
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlabel(caption, fontsize="small", color="0.3")
    return ax


def legend_below(ax, handles=None, labels=None, *, tick_lines=1, **kwargs):
    """
    A legend centred under the x label of ``ax``, a fixed distance in points below the Axes (whatever its size),
    so it never covers the label; ``tick_lines`` is the lines of text in a tick label. Returns the Legend.
    """
    from matplotlib.transforms import offset_copy

    below = offset_copy(ax.transAxes, fig=ax.figure, y=-(26 + 12 * tick_lines), units="points")
    args = () if handles is None else (handles, labels)
    return ax.legend(*args, loc="upper center", bbox_to_anchor=(0.5, 0.0), bbox_transform=below, fontsize="small",
                     frameon=False, **kwargs)
