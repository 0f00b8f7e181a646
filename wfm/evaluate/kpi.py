r"""
Contact-centre KPIs from the raw logs, per period and group, the same way every time.

:func:`kpis` reads a contact log (and, when given, the agent-state log, the
schedule, the staff list, ticket responses, cost rates and a forecast) and returns one row per period and group with one column per KPI.
Every rate is a ratio of sums over the rows of its period and group (each
contact, or each second, weighs the same), so a weekly value is never an
average of daily ones. A KPI's column is present when the inputs it needs
are; its value is NaN where its denominator is zero (no answered contact for
ASA, no survey answer for CSAT). Rates are fractions, times seconds, NPS
points.

The contact log
---------------
One row per contact; the columns it may have (read with
:func:`wfm.evaluate.read_contacts`, which maps other names to these and
derives what is missing; only ``arrival`` is required):

{contact_schema}

The agent-state log has ``agent``, ``state``, ``start``, ``end``; the
schedule ``agent``, ``activity``, ``start``, ``end``; the staff list ``agent``,
``team``, ``hire``, ``leave`` (see :func:`wfm.evaluate.read_states`,
:func:`~wfm.evaluate.read_schedule`, :func:`~wfm.evaluate.read_staff`, and :mod:`wfm.evaluate.schedule_adherence` for
how states and schedule activities are compared).

The catalogue
-------------

Every column :func:`kpis` can return (:func:`catalogue` gives the same table as a DataFrame; rates are
fractions, "scale" is the score's own scale):

{catalogue}

Definitions (keyword arguments of :func:`kpis`, each with its default)
----------------------------------------------------------------------

* ``threshold=20`` [s] (or a dict per channel): answer-time target of the
  service level. "Within" is wait <= threshold, as in :mod:`wfm.erlang`.
* ``sl_definition="offered"``: the service-level base. ``"offered"`` (all
  live contacts offered), ``"answered"`` (answered contacts only) or
  ``"exclude_short_abandons"`` (offered less short abandons; abandon_rate
  then leaves them out of both its terms too). This is the definition of
  :func:`wfm.staffing_plan`, :func:`wfm.erlang.service_level`, the
  simulator and :mod:`wfm.logs`: a scenario measures its KPIs on its
  plan's definition and threshold.
* ``short_abandon=None`` [s]: abandons with a wait shorter than this many
  seconds are short. None (the default): the service-level ``threshold``
  (per channel with a dict), so a short abandon is one that abandoned
  before the answer-time target, as the plan was staffed to; give a number
  of seconds (e.g. 5) for a fixed cut-off of your own.
* ``fcr_days=7`` [days]: the repeat window of first-contact resolution. A
  further contact is any contact of the same customer arriving at or after
  the contact's arrival (its own row excluded), within the window, on any
  channel or queue. Contacts in the last ``fcr_days`` of the log have an
  incomplete window; they are counted and reported in ``attrs["notes"]``.
* ``csat_scale=(1, 5)``, ``csat_top=2``: CSAT is the share of answers at or
  above ``high - csat_top + 1``.
* ``ces_scale=(1, 7)``, ``qa_scale=(0, 100)``, ``sentiment_scale=(-1, 1)``;
  NPS is always 0-10. A score outside its scale is an error.
* ``channels=None``: more channel names, ``{"sms": "deferred"}``.
* ``activities=None``: state and schedule labels -> activities (see
  :mod:`wfm.evaluate.schedule_adherence`); ``unpaid=("lunch",)``: scheduled
  activities that are not paid.
* ``responses=None``: ticket responses (``contact``, ``time``).
* ``costs=None``: ``{"paid_hour": ..., "telephony_minute": ..., "fixed":
  ..., "budget": ...}`` (currency; ``fixed`` and ``budget`` per period of
  ``freq``). Paid hours come from the schedule, else from logged-in time.
  Telephony minutes are wait plus handle time of voice contacts. With
  ``by``, ``fixed`` is shared in proportion to handled contacts and
  ``budget_variance`` is left out.
* ``forecast=None``: forecast contacts per interval (a Series on a
  DatetimeIndex, or a DataFrame with ``interval``, ``forecast`` and the
  ``by`` columns); actual contacts are counted on its intervals.

Periods and groups
------------------
``freq`` is ``"15min"``, ``"30min"``, ``"h"``, ``"D"``, ``"W"`` (weeks from
``week_start``, Monday by default), ``"M"`` (calendar months) or None (the whole log). Contacts count
in the period they arrive in; state and schedule time in the period it is
spent in (spells are cut at period edges). ``by`` names columns of the
contact log (``queue``, ``channel``, ``agent``, ``reason``,
``complaint_category``, any other), or ``team`` (from the staff list). State
and schedule KPIs need ``by`` columns the state log has (``agent``,
``team``, or e.g. ``replication``); cost KPIs need them too; staff-list KPIs
need ``by`` to be None or ``team``. A KPI
that a grouping cannot give is left out and said so in ``attrs["notes"]``.

How it is computed
------------------
Each source has a fact builder, a pure function that turns its rows into
sums per period and group: ``_contact_facts`` (flow and waits, tickets,
handling, surveys, telephony seconds), ``_response_facts`` (ticket response
gaps), ``_timeline_facts`` (state, schedule and adherence seconds, from the
schedule laid beside the states), ``_staff_facts`` (headcount, leavers) and
``_forecast_facts`` (forecast errors), in :mod:`wfm.evaluate._facts`. :func:`kpis` reads and checks the
sources, calls the builders of those given, merges their sums on period and
group, and divides (``_rates``; cost KPIs from paid hours and telephony
minutes). Hidden sums start with ``_``.

References
----------
.. [1] B. Cleveland, "Call Center Management on Fast Forward", 3rd ed.,
   ICMI Press, 2012. (Service level, ASA, abandonment, occupancy,
   adherence and conformance, shrinkage.)
.. [2] F. F. Reichheld, "The one number you need to grow", Harvard Business
   Review 81(12), 46-54, 2003. (Net Promoter Score.)
.. [3] M. Dixon, K. Freeman and N. Toman, "Stop trying to delight your
   customers", Harvard Business Review 88(7/8), 116-122, 2010. (Customer
   effort score.)
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import _validation as v
from ..calendar import check_week_start, infer_week_start
from ..logs import _parse as lp
from ..metrics import error_ratio
from ..logs.contacts import read_contacts
from ..logs.schemas import (CHANNELS, SCHEDULE_ACTIVITIES, read_responses, read_staff,
                    read_schedule, read_states, schema_table)
from ._facts import (_contact_facts, _forecast_facts, _forecast_frame, _response_facts, _staff_facts,
                     _timeline_facts, _timeline_for)
from ._timeline import check_freq, edges_for

__all__ = ["kpis", "catalogue", "CATALOGUE", "DEFINITIONS", "KPI_NAMES", "KPI_LABELS", "kpi_label", "BASES"]


# --------------------------------------------------------------------------
# The catalogue, as data: the docs table, the column order and what the scorecard knows.
# --------------------------------------------------------------------------

# (kpi, area, formula, unit, direction, source). direction says which values are good, for the scorecard:
# "higher" (at or above the target is green), "lower" (at or below), "band" (within a tolerance either side of
# the target: too little shrinkage is as wrong as too much, occupancy burns agents out above its band and wastes
# them below it, a forecast bias is good at 0), None (a volume or a level, good or bad only by context).
CATALOGUE = (
    ("contacts", "volume", "contacts of every channel arriving in the period", "count", None, "contacts"),
    ("offered", "volume", "live (voice, chat) contacts arriving", "count", None, "contacts"),
    ("answered", "volume", "live contacts answered", "count", None, "contacts"),
    ("abandoned", "volume", "live contacts abandoned", "count", "lower", "contacts"),
    ("short_abandoned", "volume", "abandoned with wait < short_abandon (default: < threshold)", "count", None, "contacts"),
    ("handled", "volume", "contacts answered by an agent, every channel", "count", None, "contacts"),
    ("tickets", "volume", "deferred (email, ticket) contacts created", "count", None, "contacts"),
    ("complaints", "volume", "contacts flagged complaint", "count", "lower", "contacts"),
    ("peak_hour_contacts", "volume", "most contacts arriving in one clock hour of the period", "count", None,
     "contacts"),
    ("contacts_change", "volume", "contacts / contacts of the previous period - 1", "fraction", None, "contacts"),
    ("service_level", "speed", "answered with wait <= threshold / offered (sl_definition: or / answered, or / "
     "offered less short abandons)", "0-1", "higher", "contacts"),
    ("asa", "speed", "sum of waits of answered contacts / answered", "s", "lower", "contacts"),
    ("average_wait", "speed", "sum of waits of answered and abandoned contacts / their count", "s", "lower",
     "contacts"),
    ("longest_wait", "speed", "longest wait of a live contact", "s", "lower", "contacts"),
    ("abandon_rate", "speed", "abandoned / offered (short abandons out of both with sl_definition="
     "'exclude_short_abandons')", "0-1", "lower", "contacts"),
    ("short_abandon_rate", "speed", "short_abandoned / offered", "0-1", None, "contacts"),
    ("first_response_time", "speed", "mean (first response - created) of responded tickets", "s", "lower",
     "contacts"),
    ("response_time", "speed", "mean time from the previous response (or creation) to each response", "s",
     "lower", "responses"),
    ("resolution_time", "speed", "mean (resolved - created) of resolved tickets", "s", "lower", "contacts"),
    ("response_rate", "speed", "tickets with a response / tickets", "0-1", "higher", "contacts"),
    ("interactions_per_ticket", "speed", "agent responses / tickets", "count", "lower", "contacts"),
    ("aht", "efficiency", "sum of (talk + hold + acw) of handled contacts / handled", "s", "lower", "contacts"),
    ("occupancy", "efficiency", "handling time / (handling + available time)", "0-1", "band", "states"),
    ("utilisation", "efficiency", "logged-in time / shift time (scheduled, leave excluded)", "fraction", "higher",
     "states, schedule"),
    ("shrinkage", "efficiency", "1 - time on the queue during paid scheduled time / paid scheduled time", "0-1",
     "band", "states, schedule"),
    ("planned_shrinkage", "efficiency", "paid scheduled time not planned as work / paid scheduled time", "0-1",
     None, "schedule"),
    ("unplanned_shrinkage", "efficiency", "shrinkage - planned_shrinkage", "fraction", "lower",
     "states, schedule"),
    ("absenteeism", "efficiency", "paid time of shifts never logged in to / paid scheduled time", "0-1", "lower",
     "states, schedule"),
    ("adherence", "efficiency", "time in the scheduled activity / scheduled time (leave excluded)", "0-1",
     "higher", "states, schedule"),
    ("conformance", "efficiency", "time on the queue (handling + available) / time scheduled to work",
     "fraction", "band", "states, schedule"),
    ("agent_hours", "efficiency", "time on the queue (handling + available)", "h", None, "states"),
    ("paid_hours", "efficiency", "paid scheduled time (unpaid activities excluded)", "h", None, "schedule"),
    ("contacts_per_hour", "efficiency", "handled / agent_hours", "1/h", "higher", "contacts, states"),
    ("downtime", "efficiency", "time in technical downtime", "s", "lower", "states"),
    ("forecast_wape", "efficiency", "sum |forecast - actual| / sum actual over the period's intervals", "0-1",
     "lower", "forecast"),
    ("forecast_bias", "efficiency", "sum (forecast - actual) / sum actual; > 0 is over-forecast", "fraction",
     "band", "forecast"),
    ("fcr", "quality", "handled contacts of a known customer with no further contact by that customer within "
     "fcr_days / handled contacts of known customers", "0-1", "higher", "contacts"),
    ("transfer_rate", "quality", "transferred / handled", "0-1", "lower", "contacts"),
    ("escalation_rate", "quality", "escalated / handled", "0-1", "lower", "contacts"),
    ("complaint_rate", "quality", "complaints / contacts", "0-1", "lower", "contacts"),
    ("csat", "quality", "answers in the top csat_top boxes of csat_scale / answers (4 and 5 of 1-5)", "0-1",
     "higher", "contacts"),
    ("csat_mean", "quality", "mean CSAT answer", "scale", "higher", "contacts"),
    ("csat_responses", "quality", "CSAT answers", "count", None, "contacts"),
    ("nps", "quality", "100 * (promoters 9-10 - detractors 0-6) / answers", "points", "higher", "contacts"),
    ("nps_responses", "quality", "NPS answers", "count", None, "contacts"),
    ("ces", "quality", "mean customer-effort answer on ces_scale (higher is easier)", "scale", "higher",
     "contacts"),
    ("ces_responses", "quality", "CES answers", "count", None, "contacts"),
    ("qa", "quality", "mean QA score on qa_scale", "scale", "higher", "contacts"),
    ("qa_evaluations", "quality", "QA evaluations", "count", None, "contacts"),
    ("net_sentiment", "quality", "(positive - negative) / scored contacts", "-1 to 1", "higher", "contacts"),
    ("cost", "cost", "paid hours x paid_hour + telephony minutes x telephony_minute + fixed", "currency", "lower",
     "costs"),
    ("cost_per_contact", "cost", "cost / handled", "currency", "lower", "costs"),
    ("budget_variance", "cost", "cost / budget - 1; > 0 is over budget", "fraction", "lower", "costs"),
    ("headcount", "people", "mean of the agents employed at the period's start and end", "count", None, "staff"),
    ("leavers", "people", "agents whose employment ends in the period (start < leave <= end)", "count", "lower",
     "staff"),
    ("attrition_rate", "people", "leavers / headcount (per period, not annualised)", "fraction", "lower",
     "staff"),
)
KPI_NAMES = tuple(row[0] for row in CATALOGUE)
_ACRONYMS = {"asa": "ASA", "aht": "AHT", "fcr": "FCR", "csat": "CSAT", "nps": "NPS", "ces": "CES", "qa": "QA",
             "wape": "WAPE"}


def kpi_label(kpi):
    """
    The display label of a KPI column: its words, the first capitalised, acronyms in capitals.

    Examples
    --------
    >>> kpi_label("service_level"), kpi_label("asa"), kpi_label("csat_responses"), kpi_label("forecast_wape")
    ('Service level', 'ASA', 'CSAT responses', 'Forecast WAPE')
    """
    words = [_ACRONYMS.get(w, w) for w in str(kpi).split("_")]
    return " ".join([words[0][:1].upper() + words[0][1:]] + words[1:])


#: Display label of each KPI (:func:`kpi_label`): the scorecard's default ``name``.
KPI_LABELS = {k: kpi_label(k) for k in KPI_NAMES}


def _rst_table(width=70):
    """The catalogue as a reStructuredText simple table (formula last, wrapped), for the module docstring."""
    import textwrap

    head = ("kpi", "unit", "source", "formula")
    w = [max(len(r[0]) for r in CATALOGUE), 8, max(len(r[5]) for r in CATALOGUE), width]
    rule = " ".join("=" * n for n in w)
    lines = [rule, " ".join(h.ljust(n) for h, n in zip(head, w)).rstrip(), rule]
    for kpi, _, formula, unit, _, source in CATALOGUE:
        wrapped = textwrap.wrap(formula, width) or [""]
        lines.append(" ".join([kpi.ljust(w[0]), unit.ljust(w[1]), source.ljust(w[2]), wrapped[0]]))
        lines += [" " * (w[0] + w[1] + w[2] + 3) + more for more in wrapped[1:]]
    lines.append(rule)
    return "\n".join(lines)


__doc__ = __doc__.replace("{catalogue}", _rst_table()).replace("{contact_schema}", schema_table())
_UNITS = {row[0]: row[3] for row in CATALOGUE}

#: Keyword arguments of :func:`kpis` and their defaults (see the module docstring).
DEFINITIONS = {
    "threshold": 20.0, "sl_definition": "offered", "short_abandon": None, "fcr_days": 7.0,
    "csat_scale": (1, 5), "csat_top": 2, "ces_scale": (1, 7), "qa_scale": (0, 100), "sentiment_scale": (-1, 1),
    "channels": None, "activities": None, "unpaid": ("lunch",), "responses": None, "costs": None,
    "forecast": None,
}
SL_DEFINITIONS = ("offered", "answered", "exclude_short_abandons")
#: Where the inputs of :func:`kpis` come from (its ``basis``): real logs, the simulator, made-up data.
BASES = ("measured", "simulated", "synthetic")
_WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
COST_KEYS = ("paid_hour", "telephony_minute", "fixed", "budget")


def catalogue():
    """
    The KPI catalogue: every column :func:`kpis` can return, with its formula, unit and source.

    Returns
    -------
    DataFrame
        ``kpi``, ``area`` (volume, speed, efficiency, quality, cost, people),
        ``formula``, ``unit``, ``direction`` (which values are good, as the
        scorecard scores them: "higher", "lower", "band" for on target within
        a tolerance either side, or missing for volumes and levels),
        ``source`` (the inputs it needs) and ``label`` (how the scorecard
        names it, :data:`KPI_LABELS`).

    Examples
    --------
    >>> cat = catalogue().set_index("kpi")
    >>> cat.loc["aht", "formula"]
    'sum of (talk + hold + acw) of handled contacts / handled'
    >>> cat.loc[["service_level", "asa", "shrinkage"], "direction"].tolist()
    ['higher', 'lower', 'band']
    """
    out = pd.DataFrame(list(CATALOGUE), columns=["kpi", "area", "formula", "unit", "direction", "source"])
    return out.assign(label=out["kpi"].map(KPI_LABELS))


# --------------------------------------------------------------------------
# Definitions.
# --------------------------------------------------------------------------


def _definitions(given):
    removed = [k for k in ("customers", "margin") if k in given]
    if removed:
        raise TypeError(f"kpis got {removed[0]!r}: the customer-value KPIs (customers, churn_rate, retention, mrr, "
                        "clv) are not contact-centre KPIs and were removed from wfm.kpis.")
    unknown = [k for k in given if k not in DEFINITIONS]
    if unknown:
        raise TypeError(f"kpis got unknown definition {unknown[0]!r}.{v._suggest(unknown[0], DEFINITIONS)} The "
                        f"definitions are {list(DEFINITIONS)}.")
    d = dict(DEFINITIONS, **given)
    v.check_choice(d["sl_definition"], "sl_definition", SL_DEFINITIONS)
    for name in ("short_abandon", "fcr_days"):
        if d[name] is None and name == "short_abandon":  # the threshold's seconds, set per contact in _facts
            continue
        arr = v.as_float_array(d[name], name)
        if arr.ndim:
            raise TypeError(f"{name} must be one number; got an array.")
        d[name] = float(v.check_nonnegative(arr, name, "seconds" if name == "short_abandon" else "days"))
    if d["fcr_days"] <= 0:
        raise ValueError(f"fcr_days must be > 0 days; got {d['fcr_days']:g}.")
    thr = d["threshold"]
    if isinstance(thr, dict):
        d["threshold"] = {str(k).lower(): float(v.check_nonnegative(v.as_float_array(x, f"threshold[{k!r}]"),
                                                                    f"threshold[{k!r}]", "seconds"))
                          for k, x in thr.items()}
    else:
        arr = v.as_float_array(thr, "threshold")
        if arr.ndim:
            raise TypeError("threshold must be one number of seconds, or a dict of channel -> seconds.")
        d["threshold"] = float(v.check_nonnegative(arr, "threshold", "seconds"))
    for ch, t in (d["threshold"].items() if isinstance(d["threshold"], dict) else [(None, d["threshold"])]):
        v.warn_implausible(t, "threshold" if ch is None else f"threshold[{ch!r}]", "threshold", stacklevel=4)
    top = d["csat_top"]
    low, high = lp.check_scale(d["csat_scale"], "csat_scale")
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or not 1 <= top <= high - low:
        raise ValueError(f"csat_top must be a whole number of top boxes from 1 to {high - low:g}; got {top!r}.")
    unpaid = d["unpaid"]
    unpaid = (unpaid,) if isinstance(unpaid, str) else tuple(unpaid or ())
    for a in unpaid:
        v.check_choice(a, "unpaid", SCHEDULE_ACTIVITIES)
    d["unpaid"] = unpaid
    if d["costs"] is not None:
        costs = lp.check_option_keys(d["costs"], "costs", COST_KEYS)
        d["costs"] = {k: float(v.check_nonnegative(v.as_float_array(x, f"costs[{k!r}]"), f"costs[{k!r}]",
                                                   "currency")) for k, x in costs.items()}
    return d


def _by(by):
    if by is None:
        return []
    out = [by] if isinstance(by, str) else list(by)
    for b in out:
        if not isinstance(b, str):
            raise TypeError(f"by must name columns (strings); got {b!r}.")
        if b == "period":
            raise ValueError("by must not be 'period': periods come from freq.")
    if len(set(out)) != len(out):
        raise ValueError(f"by must not repeat a column; got {out}.")
    return out


# --------------------------------------------------------------------------
# The main function: read and check the sources, build the facts of each, merge, compute the ratios.
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Sources:
    """The inputs of :func:`kpis`, read and checked (None where not given)."""

    contacts: pd.DataFrame | None
    states: pd.DataFrame | None
    schedule: pd.DataFrame | None
    staff: pd.DataFrame | None
    responses: pd.DataFrame | None
    forecast: pd.DataFrame | None
    team_of: pd.Series | None  # agent -> team, from the staff list
    kinds: dict  # channel -> "live" or "deferred"


def kpis(contacts, *, states=None, schedule=None, staff=None, freq="D", by=None, week_start=None,
         basis=None, roster=None, dayfirst=None, date_format=None, tz=None, **definitions):
    """
    Every contact-centre KPI the inputs allow, per period and group.

    Parameters
    ----------
    contacts : DataFrame, path, logs object or None
        Contact log with canonical column names (see
        :func:`wfm.evaluate.read_contacts`, which maps other names). Or an
        object holding logs, such as the :class:`~wfm.simulation.SimulatedLogs`
        of :func:`wfm.simulation.simulate_logs` or the
        :class:`~wfm.Simulation` of :func:`wfm.simulate`: its ``contacts``,
        and its ``agent_states`` and ``schedule`` where ``states`` and
        ``schedule`` are not given. None computes only state, schedule and
        staff-list KPIs.
    states : DataFrame or path, optional
        Agent-state log (``agent``, ``state``, ``start``, ``end``), e.g.
        ``Simulation.agent_states`` (with several replications, pass
        ``by="replication"``: each replication has its own agents).
    schedule : DataFrame or path, optional
        Schedule (``agent``, ``activity``, ``start``, ``end``).
    staff : DataFrame or path, optional
        The staff list (``agent``, ``team``, ``hire``, ``leave``;
        :func:`~wfm.evaluate.read_staff`): teams, headcount and attrition.
        (``roster=`` is its deprecated name.)
    freq : str or None
        Reporting period: ``"15min"``, ``"30min"``, ``"h"``, ``"D"``, ``"W"``
        (weeks from ``week_start``), ``"M"`` (calendar month) or None (the
        whole log).
    by : str or list of str, optional
        Group columns (see the module docstring), e.g. ``"queue"``,
        ``["queue", "channel"]``, ``"agent"``, ``"team"``.
    week_start : str or int, optional
        The weekday weeks start on with ``freq="W"``: ``"MON"`` (ISO weeks),
        ``"SUN"``, ``"SAT"``, ... or 0-6 with Monday 0 (see
        :func:`wfm.calendar.check_week_start`). Weeks run from local
        midnight of that day. None (default): read from the days the inputs
        have contacts (else schedule, state or forecast times) on
        (:func:`wfm.calendar.infer_week_start`: a Sunday-Thursday centre's
        weeks start on Sunday, a centre open every day keeps Monday), as
        :func:`wfm.staffing_plan` reads its weeks; inputs spanning under a
        week keep Monday unless that splits them).
    dayfirst, date_format, tz : optional
        How the times of ``contacts``, ``states`` and ``schedule`` given as
        files (or as text) are read, passed to :func:`read_contacts`,
        :func:`read_states` and :func:`read_schedule`: numeric dates
        day-first (``02/01/2024`` is 2 January) or month-first, needed when
        a date reads both ways (never guessed); a strptime format; the time
        zone of naive times.
    basis : {"measured", "simulated", "synthetic"}, optional
        Where the inputs come from: a real centre's logs (``"measured"``),
        :func:`wfm.simulate` and :mod:`wfm.simulation.customers`
        (``"simulated"``), or made-up data (``"synthetic"``). Carried in the
        ``basis`` column, and from there onto the scorecard, so that KPIs of
        a simulated week never read as measured. None (the default): the
        contact log's ``attrs["basis"]``, which the simulator sets to
        ``"simulated"``, else ``"measured"``; a basis given here wins.
    **definitions
        KPI definitions, each with the default of :data:`DEFINITIONS`:
        ``threshold``, ``sl_definition``, ``short_abandon``, ``fcr_days``,
        ``csat_scale``, ``csat_top``, ``ces_scale``, ``qa_scale``,
        ``sentiment_scale``, ``channels``, ``activities``, ``unpaid``,
        ``responses``, ``costs``, ``forecast``.

    Returns
    -------
    DataFrame
        One row per period and group: ``period`` (the period's start), the
        ``by`` columns, ``basis``, then the KPI columns the inputs allow, in
        the order of :func:`catalogue`. Rates are fractions, times seconds, NPS points;
        NaN where a denominator is 0. Rows without contacts (a period with
        only state time or a forecast) count 0 contacts. A group
        value missing from a row (contacts no agent answered, grouped by
        agent) is its own group (NaN), never dropped. ``attrs`` holds
        ``freq``, ``by``, ``week_start`` (``"MON"`` ...) and
        ``week_start_inferred`` (whether it was read from the data), the
        ``definitions`` used and ``notes``, records
        of what was adjusted, left out or not computable (``source``,
        ``problem``, ``rows``, ``seconds``, ``action``, ``kind``; read them
        with ``pandas.DataFrame(k.attrs["notes"])``); notes that adjusted
        or reported rows also raise a :class:`wfm._validation.DataWarning`.

    Raises
    ------
    ValueError, TypeError
        Naming the column and rows for bad logs (see the readers), an unknown
        definition or ``by`` column, a definition out of range.

    Examples
    --------
    Four calls: two answered within 20 s, one after 40 s, one abandoned
    after 3 s (a short abandon). Service level 2 / 4, ASA (10 + 15 + 40) / 3,
    AHT (230 + 120 + 350) / 3:

    >>> t = lambda s: pd.Timestamp("2024-01-01 09:00") + pd.Timedelta(seconds=s)
    >>> log = pd.DataFrame({"arrival": [t(0), t(60), t(120), t(180)],
    ...                     "answer": [t(10), t(75), t(160), pd.NaT],
    ...                     "abandon": [pd.NaT, pd.NaT, pd.NaT, t(183)],
    ...                     "talk": [200, 100, 300, None], "acw": [30, 20, 50, None]})
    >>> k = kpis(log, freq="D")
    >>> k.loc[0, ["offered", "answered", "abandoned", "service_level", "asa", "abandon_rate", "aht"]]
    offered            4.000000
    answered           3.000000
    abandoned          1.000000
    service_level      0.500000
    asa               21.666667
    abandon_rate       0.250000
    aht              233.333333
    Name: 0, dtype: float64

    With short abandons (abandoned before the 20 s threshold) left out of
    the service-level base, 2 of 3:

    >>> float(kpis(log, sl_definition="exclude_short_abandons")["service_level"].iloc[0])
    0.666...
    """
    d = _definitions(definitions)
    contacts, states, schedule = _unpack_logs(contacts, states, schedule)
    if basis is None:
        basis = contacts.attrs.get("basis", "measured") if isinstance(contacts, pd.DataFrame) else "measured"
    v.check_choice(basis, "basis", BASES)
    week_start = None if week_start is None else check_week_start(week_start)
    fq = check_freq(freq)
    by = _by(by)
    notes = []
    staff = v.renamed(staff, roster, "staff", "roster", "kpis")
    dates = dict(dayfirst=dayfirst, date_format=date_format, tz=tz)  # how the readers read times in the logs
    src = _read_sources(contacts, states, schedule, staff, d, by, notes, dates)
    edges, week_start, inferred = _edges(src, fq, week_start)
    has_contacts = src.contacts is not None
    out = _merge(_facts(src, d, by, fq, edges, notes), ["_p"] + by, has_contacts)
    out = _rates(out, d, by, notes, has_contacts)
    return _finish(out, edges, freq, by, d, notes, basis, week_start, inferred)


def _unpack_logs(contacts, states, schedule):
    """The contact log, states and schedule of a logs object (``.contacts``, ``.agent_states``, ``.schedule``),
    such as a SimulatedLogs or a Simulation; what the caller gave otherwise."""
    if contacts is None or isinstance(contacts, (pd.DataFrame, str)) or hasattr(contacts, "__fspath__"):
        return contacts, states, schedule
    log = getattr(contacts, "contacts", None)
    if not isinstance(log, pd.DataFrame):
        raise TypeError(f"contacts must be a contact log (a DataFrame or a file path) or an object holding one, "
                        f"such as wfm.simulation.simulate_logs(...) or wfm.simulate(...); got "
                        f"{type(contacts).__name__}.")
    if states is None:
        states = getattr(contacts, "agent_states", None)
    if schedule is None:
        schedule = getattr(contacts, "schedule", None)
        schedule = schedule if isinstance(schedule, pd.DataFrame) else None
    return log, states, schedule


def _read_sources(contacts, states, schedule, staff, d, by, notes, dates):
    """Read every input given (their times as ``dates`` says: dayfirst, date_format, tz), check that ``by`` names
    columns they have, and put the team on contacts."""
    kinds = dict(CHANNELS, **{str(k).lower(): x for k, x in (d["channels"] or {}).items()})
    staff_f = read_staff(staff) if staff is not None else None
    c = None
    if contacts is not None:
        c = read_contacts(contacts, channels=d["channels"], csat_scale=d["csat_scale"], ces_scale=d["ces_scale"],
                          qa_scale=d["qa_scale"], sentiment_scale=d["sentiment_scale"], **dates)
    sched = read_schedule(schedule, activities=d["activities"], staff=staff_f,
                          by=[b for b in by if b not in ("agent", "team")], **dates) if schedule is not None else None
    st = read_states(states, activities=d["activities"], **dates) if states is not None else None
    if c is None and sched is None and st is None:
        raise TypeError("kpis needs contacts, states or a schedule; got none of them.")
    responses = read_responses(d["responses"], c) if d["responses"] is not None and c is not None else None
    team_of = None
    if staff_f is not None:
        team_of = pd.Series(staff_f["team"].to_numpy(), index=pd.Index(staff_f["agent"]))
    if c is not None and "team" in by and "team" not in c.columns:
        c = _with_team(c, team_of, notes)
    if c is not None:
        for b in by:
            if b not in c.columns:
                raise ValueError(f"by names {b!r}, which contacts have no column for; its columns are "
                                 f"{list(c.columns)[:14]}.")
    elif any(b not in ("agent", "team") for b in by) and not all(
            b in f.columns for f in (sched, st) if f is not None for b in by if b != "team"):
        raise ValueError(f"by must name columns of the state log or schedule, or 'team'; got {by}.")
    forecast = _forecast_frame(d["forecast"], by) if d["forecast"] is not None else None
    return _Sources(c, st, sched, staff_f, responses, forecast, team_of, kinds)


def _with_team(c, team_of, notes):
    """Contacts with the team of the agent who handled them (from the staff list)."""
    if team_of is None:
        raise ValueError("by names 'team', but contacts have no team column and no staff list was given; pass "
                         "staff= (agent, team).")
    if "agent" not in c.columns:
        raise ValueError("by names 'team', but contacts have no agent column to look the team up by.")
    c = c.assign(team=c["agent"].map(team_of))
    lost = c["agent"].notna() & c["team"].isna()
    if lost.any():
        notes.append(dict(source="contacts", problem="were handled by agents not on the staff list",
                          rows=int(lost.sum()), seconds=np.nan, action="grouped under a blank team",
                          kind="reported"))
    return c


def _edges(src, fq, week_start):
    """Period edges covering every timestamp of the sources, on one clock, the week start (0-6) used (read from the
    days of the sources when ``week_start`` is None) and whether it was read from them."""
    times, names = [], []  # the names say which input is on which clock when they differ
    if src.contacts is not None:
        times.append(src.contacts["arrival"])
        names.append("contacts")
    for name, f in (("schedule", src.schedule), ("states", src.states)):
        if f is not None:
            times += [f["start"], f["end"] - pd.Timedelta(1, "ns")]
            names += [name, name]
    if src.forecast is not None:
        times.append(src.forecast["interval"])
        names.append("forecast")
    _same_clock(times, names)
    if week_start is None:  # the weeks of the days the centre worked: contacts, else any activity
        stamps = times[:1] if src.contacts is not None and len(src.contacts) else times
        days = [pd.DatetimeIndex(t).dropna() for t in stamps]
        days = days[0].append(days[1:]) if len(days) > 1 else days[0]
        first = check_week_start(infer_week_start(days))
        return edges_for(times, fq, first), first, True
    return edges_for(times, fq, week_start), week_start, False


def _facts(src, d, by, fq, edges, notes):
    """The facts of each source given, one frame per source keyed by period code ``_p`` and ``by``."""
    edges_ns = edges.asi8
    c = src.contacts
    parts = []
    if c is not None:
        parts.append(_contact_facts(c, d, src.kinds, src.responses, by, edges_ns, fq, notes))
        if src.responses is not None:
            parts.append(_response_facts(src.responses, c, src.kinds, by, edges_ns))
    tl = _timeline_for(src, by, notes)
    if tl is not None:
        parts.append(_timeline_facts(tl, by, src.team_of, edges_ns, d["unpaid"], src.schedule is not None,
                                     src.states is not None))
    if src.staff is not None and set(by) <= {"team"}:
        parts.append(_staff_facts(src.staff, edges, by))
    elif src.staff is not None:
        notes.append(dict(source="staff list", problem=f"cannot be split by {by}", rows=0, seconds=np.nan,
                          action="headcount and attrition left out", kind="info"))
    if src.forecast is not None and c is not None:
        parts.append(_forecast_facts(src.forecast, c, by, edges_ns, notes))
    return parts


# Columns whose missing values are not zeros: maxima, levels (headcount, forecast terms), group keys.
_NOT_SUMMED = {"longest_wait", "peak_hour_contacts", "headcount", "leavers", "_hc_start", "_hc_end", "_fc_abs", "_fc_err",
               "_fc_act"}
# Counts returned as whole numbers when they are.
_COUNTS = ("contacts", "offered", "answered", "abandoned", "short_abandoned", "handled", "tickets", "complaints",
           "peak_hour_contacts", "csat_responses", "nps_responses", "ces_responses", "qa_evaluations", "leavers")


def _merge(parts, keys, has_contacts):
    """One row per period and group: the facts of every source side by side (a sum missing in a row is 0)."""
    out = parts[0]
    for part in parts[1:]:
        out = out.merge(part, on=keys, how="outer")
    out = out.sort_values(keys, kind="stable").reset_index(drop=True)
    for col in out.columns:
        if col not in keys and col not in _NOT_SUMMED:
            out[col] = out[col].fillna(0.0)
    if has_contacts and "peak_hour_contacts" in out:
        out["peak_hour_contacts"] = out["peak_hour_contacts"].fillna(0.0)
    return out


def _finish(out, edges, freq, by, d, notes, basis, week_start, inferred=False):
    """The period column, the KPI columns in catalogue order, whole counts as integers, the notes in attrs."""
    out.insert(0, "period", edges[out.pop("_p").to_numpy()])
    out = out[["period"] + by + [k for k in KPI_NAMES if k in out.columns]]
    out.insert(1 + len(by), "basis", basis)
    for col in _COUNTS:
        if col in out and np.all(np.mod(out[col].to_numpy(dtype=float), 1) == 0):
            out[col] = out[col].astype(np.int64)
    notes_frame = pd.DataFrame(notes, columns=["source", "problem", "rows", "seconds", "action", "kind"])
    loud = notes_frame[notes_frame["kind"] != "info"]
    if len(loud):
        warnings.warn(lp.data_note_text(loud), lp.DataWarning, stacklevel=3)
    used = {k: d[k] for k in DEFINITIONS if k not in ("responses", "forecast")}
    out.attrs = {"freq": freq, "by": by, "week_start": _WEEKDAYS[week_start],
                 "week_start_inferred": inferred, "basis": basis, "definitions": used,
                 "notes": notes_frame.to_dict("records")}
    return out


def _same_clock(times, names):
    """The inputs' times (``names`` says whose) are all naive or all in time zones; else the mixed-clock message:
    which inputs are naive, which in a zone, and the fix for each (the readers' ``tz`` for the logs)."""
    zones = [getattr(pd.DatetimeIndex(t), "tz", None) for t in times]
    naive = list(dict.fromkeys(n for n, z in zip(names, zones) if z is None))
    aware = {n: z for n, z in zip(names, zones) if z is not None}
    if not naive or not aware:
        return
    shown = list(dict.fromkeys(str(z) for z in aware.values()))
    zone = shown[0]
    logs = [n for n in naive if n != "forecast"]
    fixes = [f"pass {v.option('tz', zone)}, which reads the times of {' and '.join(logs)} as {zone} times and "
             f"converts the others to it"] if logs else []
    if "forecast" in naive:
        fixes.append(f'give forecast in {zone}: forecast = forecast.tz_localize("{zone}") for a Series, '
                     f'forecast["interval"] = forecast["interval"].dt.tz_localize("{zone}") for a table')
    clock = f"in time zone{'s' if len(shown) > 1 else ''} {' and '.join(shown)}"
    raise ValueError(v.mixed_clocks(" and ".join(naive), None, " and ".join(aware), clock, "; ".join(fixes),
                                    plural=(len(naive) > 1, len(aware) > 1)))


def _ratio(num, den):
    """num / den; NaN where den is 0."""
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


_RATIOS = (
    ("service_level", "_sl_num", "_sl_den"), ("asa", "_wait_answered", "answered"),
    ("average_wait", "_wait_sum", "_wait_n"), ("abandon_rate", "_ab_num", "_ab_den"),
    ("short_abandon_rate", "short_abandoned", "offered"), ("first_response_time", "_frt_sum", "_responded"),
    ("response_time", "_rt_sum", "_rt_n"), ("resolution_time", "_res_sum", "_resolved"),
    ("response_rate", "_responded", "tickets"), ("interactions_per_ticket", "_responses", "tickets"),
    ("aht", "_handle_sum", "handled"), ("complaint_rate", "complaints", "contacts"),
    ("fcr", "_fcr_num", "_fcr_den"), ("transfer_rate", "_transferred", "handled"),
    ("escalation_rate", "_escalated", "handled"), ("csat", "_csat_top", "csat_responses"),
    ("csat_mean", "_csat_sum", "csat_responses"), ("ces", "_ces_sum", "ces_responses"),
    ("qa", "_qa_sum", "qa_evaluations"), ("net_sentiment", "_sent_net", "_sent_n"),
    ("occupancy", "_handling", "_on_queue"), ("utilisation", "_logged_in", "_shift"),
    ("planned_shrinkage", "_planned", "_paid"), ("absenteeism", "_absent", "_absent_base"),
    ("adherence", "_in_adherence", "_scheduled"), ("conformance", "_worked", "_scheduled_work"),
    ("contacts_per_hour", "handled", "agent_hours"), ("attrition_rate", "leavers", "headcount"),
)


def _rates(out, d, by, notes, has_contacts):
    for name, num, den in _RATIOS:
        if num in out and den in out:
            out[name] = _ratio(out[num], out[den])
    if "_nps_net" in out:
        out["nps"] = 100 * _ratio(out["_nps_net"], out["nps_responses"])
    if "_productive_paid" in out:
        out["shrinkage"] = 1 - _ratio(out["_productive_paid"], out["_paid"])
        out["unplanned_shrinkage"] = _ratio(out["_paid"] - out["_productive_paid"] - out["_planned"], out["_paid"])
    if "_fc_abs" in out:
        out["forecast_wape"] = error_ratio(out["_fc_abs"], out["_fc_act"])
        out["forecast_bias"] = error_ratio(out["_fc_err"], out["_fc_act"])
    if "contacts" in out and has_contacts:
        out["contacts_change"] = _change(out, by)
    costs = d["costs"]
    if costs:
        _costs(out, costs, by, notes)
    return out


def _change(out, by):
    """contacts / contacts of the previous period of the same group - 1 (NaN without one, or from 0)."""
    keys = by
    prev = out[["_p"] + keys + ["contacts"]].copy()
    prev["_p"] = prev["_p"] + 1
    prev = prev.rename(columns={"contacts": "_prev"})
    merged = out[["_p"] + keys].merge(prev, on=["_p"] + keys, how="left")
    return _ratio(out["contacts"].to_numpy(), merged["_prev"].to_numpy()) - 1


def _costs(out, costs, by, notes):
    if "paid_hours" in out:
        hours = out["paid_hours"]
    elif "_logged_in" in out:
        hours = out["_logged_in"] / 3600
    else:
        if costs.get("paid_hour"):
            notes.append(dict(source="costs", problem="need paid hours (a schedule, or states) for every group",
                              rows=0, seconds=np.nan, action="cost KPIs left out", kind="info"))
            return
        hours = 0.0
    cost = hours * costs.get("paid_hour", 0.0) + out.get("_telephony", 0.0) / 60 * costs.get("telephony_minute",
                                                                                               0.0)
    fixed = costs.get("fixed", 0.0)
    if fixed:
        if by:
            handled = out["handled"] if "handled" in out else pd.Series(1.0, index=out.index)
            total = handled.groupby(out["_p"]).transform("sum")
            cost = cost + fixed * _ratio(handled, total)
        else:
            cost = cost + fixed
    out["cost"] = cost
    if "handled" in out:
        out["cost_per_contact"] = _ratio(out["cost"], out["handled"])
    if costs.get("budget") and not by:
        out["budget_variance"] = error_ratio(out["cost"] - costs["budget"], np.full(len(out), costs["budget"]))
