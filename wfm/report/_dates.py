"""Date axes that say which day and month each tick is: :func:`wfm._results.date_axis`, which the results' plots
share."""

from __future__ import annotations

from .._results import date_axis

__all__ = ["date_axis"]
