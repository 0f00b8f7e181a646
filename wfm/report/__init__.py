"""
Report writers: HTML pages, Excel workbooks, CSV/Parquet tables and figures, each written atomically.

Every writer goes through :func:`atomic_write`: the content goes to a
temporary file in the target's folder, which is renamed onto the target only
once it is complete, so a reader (or a crash) never meets a half-written
report, and a failed write leaves the previous file as it was.

- :func:`write_html`: one self-contained page (inline CSS, figures embedded
  as PNG) of headed sections with text, parameters, a figure and a table.
- :func:`write_excel`: one workbook, one sheet per table.
- :func:`write_table`: CSV or Parquet by the file's suffix.
- :func:`write_figure`: a matplotlib figure as PNG (or SVG, PDF).
- :func:`lock_folder`: a lock on an output folder while a run writes into it
  (:class:`FolderLockedError` for a second run).
- :mod:`wfm.report.schedule_views`: a schedule's shifts with times and breaks
  per day, weekly patterns, a coverage heat table and a Gantt by start time.
- :mod:`wfm.report.intraday_page`: the intraday page (forecast, actual,
  reforecast, staffing gap, actions).
- :mod:`wfm.report.skills_views`: a multi-skill centre's staffing (agents per
  group, service per type with its bounds) as tables, sheets and a section.

The writers format and write; they compute nothing. They may read any
results object of :mod:`wfm` (its ``table``, ``params`` and ``plot()``) but
never import :mod:`wfm.scenario`.
"""

from .._atomic import atomic_write
from .excel import sheet_names, write_excel
from .files import write_figure, write_table
from .html import render_html, write_html
from .locking import FolderLockedError, lock_folder
from .schedule_views import coverage_heat, pattern_table, plot_gantt, shift_table
from .intraday_page import intraday_sections, write_intraday_page
from .skills_views import skills_sections, skills_sheets, skills_tables

__all__ = ["atomic_write", "render_html", "sheet_names", "write_excel", "write_figure", "write_html", "write_table",
           "FolderLockedError", "lock_folder", "coverage_heat", "pattern_table", "plot_gantt", "shift_table",
           "intraday_sections", "write_intraday_page", "skills_sections", "skills_sheets", "skills_tables"]
