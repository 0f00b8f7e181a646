"""
The intraday page of the HTML report: forecast against actual, the reforecast, the staffing gap and the actions.

:func:`intraday_sections` turns a :class:`wfm.intraday.Reforecast` (and,
when there is one, a :class:`wfm.intraday.Replan`) into sections for
:func:`wfm.report.write_html`; :func:`write_intraday_page` writes them as one
page. Formatting only: every figure is read from the results objects.
"""

from __future__ import annotations

import pandas as pd

from .html import write_html


def _cards(reforecast, replan, currency):
    f = reforecast.figures()
    rows = [("calls so far / forecast", f"{f['morning_actual']:,.0f} / {f['morning_forecast']:,.0f}"),
            ("rest of day: reforecast", f"{f['rest_reforecast']:,.0f} ({f['rest_change']:+.1%})"),
            ("day: actual + reforecast", f"{f['day_reforecast']:,.0f}")]
    if replan is not None:
        g = replan.figures()
        rows += [("expected service level", f"{g['service_level_before']:.1%} -> {g['service_level_after']:.1%}"),
                 ("cost of the actions", f"{g['cost']:,.0f} " + (currency or "(units of the shift rules' "
                                                                         "cost_per_paid_hour)"))]
    return pd.DataFrame(rows, columns=["label", "text"])


def intraday_sections(reforecast, replan=None, *, currency=None):
    """
    The intraday page's sections (for :func:`wfm.report.write_html`).

    Parameters
    ----------
    reforecast : Reforecast
    replan : Replan, optional
    currency : str, optional
        Label of the money the shift rules' ``cost_per_paid_hour`` is in (e.g.
        ``"USD"``), shown with the actions' cost; without it the cost is said to
        be in the units of ``cost_per_paid_hour``.

    Returns
    -------
    list of dict
        The day's picture (cards, the reforecast plot, one row per
        interval), and with ``replan`` the staffing gap (plot and table) and
        the actions.
    """
    import matplotlib.pyplot as plt

    p = reforecast.params
    day = reforecast.table[reforecast.table.index.normalize() == p["day"]]
    fig, ax = plt.subplots(figsize=(10, 3.6))
    reforecast.plot(ax=ax)
    sections = [{"heading": f"Intraday at {p['now']:%a %d %b %Y %H:%M}", "cards": _cards(reforecast, replan, currency),
                 "text": f"Reforecast by {p['method']} from {p['history_days']} past days; the band covers "
                         f"{p['level']:.0%}. Observed intervals show what arrived.",
                 "figure": fig, "table": day.drop(columns=["observed"]), "max_rows": None}]
    plt.close(fig)
    if replan is not None:
        fig, ax = plt.subplots(figsize=(10, 3.6))
        replan.plot(ax=ax, currency=currency)
        sections.append({"heading": "Staffing gap, rest of the day", "figure": fig,
                         "table": replan.table, "max_rows": None,
                         "params": {k: replan.params[k] for k in (
                             "service_level", "sl_definition", "threshold", "model", "patience", "max_overtime",
                             "max_vto", "overtime_premium", "status") if k in replan.params}})
        plt.close(fig)
        sections.append({"heading": "Actions", "table": replan.actions, "max_rows": None, "sortable": True,
                         "text": "Break moves, overtime, extra shifts and voluntary time off, cheapest first "
                                 "meeting the target; negative cost is a saving."})
    return sections


def write_intraday_page(path, reforecast, replan=None, *, title="Intraday", currency=None):
    """Write the intraday page (:func:`intraday_sections`) as one self-contained HTML file, atomically."""
    return write_html(path, title=title, sections=intraday_sections(reforecast, replan, currency=currency))
