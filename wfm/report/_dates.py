"""Date axes that say which day and month each tick is."""

from __future__ import annotations

#: Tick labels by the locator's resolution (years, months, days, hours, minutes, seconds): a day tick names its
#: weekday, day and month ("Mon 27 Oct"), so a week is never read as the month of the axis's last tick.
_FORMATS = ["%Y", "%b", "%a %d %b", "%H:%M", "%H:%M", "%S.%f"]
#: Labels of ticks at the start of the next coarser unit: a month tick in January shows its year, an hour tick at
#: midnight its day ("Tue 28 Oct"), a day tick on the 1st its day as any other day ("Sat 01 Nov").
_ZERO_FORMATS = ["", "%Y", "%a %d %b", "%a %d %b", "%H:%M", "%H:%M"]
#: The year (months and days) or the day (hours) of the axis, shown at its right end.
_OFFSET_FORMATS = ["", "%Y", "%Y", "%Y", "%a %d %b %Y", "%a %d %b %Y %H:%M"]


def date_axis(axis):
    """
    Put unambiguous date ticks on a matplotlib date axis (``ax.xaxis``): months by name, days as
    ``Mon 27 Oct``, hours as ``HH:MM`` with their day at midnight; returns the axis.

    Matplotlib's default concise labels show a day tick as its number and the
    month and year of the axis's *last* tick at its end, so a week from Monday
    27 October whose axis ends on 1 November reads "28 29 30 31 ... 2003-Nov".
    """
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator()
    axis.set_major_locator(locator)
    axis.set_major_formatter(mdates.ConciseDateFormatter(locator, formats=_FORMATS, zero_formats=_ZERO_FORMATS,
                                                         offset_formats=_OFFSET_FORMATS))
    return axis
