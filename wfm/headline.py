r"""
The headline of a plan: the figures a manager signs, computed once.

The CLI summary, the first screen of ``report.html`` and the first sheet of
the workbook all show :class:`Headline` rows, so a figure reads the same
everywhere. The figures follow from each other:

* **agents required**: the staffing plan's productive agents (peak) and
  agent-hours;
* **scheduled heads**: the distinct agents the schedule's weekly patterns
  need, and their paid hours. The schedule places breaks itself, so it
  covers the shrinkage components it models (``scheduled_components``,
  breaks by default) but not absence, training and the like;
* **heads to employ**: scheduled heads grossed up for the shrinkage the
  schedule does not model, :math:`\lceil H / (1 - s_u) \rceil` (including
  any part of the modelled components beyond the paid breaks the shifts
  place);
* **FTE to employ** (``fte``): heads to employ times the paid hours of a
  scheduled head per week, over the hours of one FTE, so that heads to
  employ x paid hours per head = FTE x hours per FTE;
* **weekly cost**: FTE to employ x hours per FTE x cost per paid hour, with
  its currency: the one cost of the plan;
* **required FTE** (``required_fte``): the FTE an Erlang calculator gives,
  the plan's scheduled hours (agents grossed up for all shrinkage) per week
  over the hours of one FTE, before shifts; with its weekly cost
  (``required_weekly_cost``). It is known without a schedule, so what-if
  variants that are not scheduled compare on it. The FTE to employ differs
  from it by what whole shifts cost over the requirement's shape.
* expected **service level** (Erlang at the forecast mean, call-weighted):
  with the agents the schedule puts on the phones when there is a schedule,
  labelled "(as scheduled)", else with the plan's required agents, labelled
  "(before shifts)" as the variants' ``plan_service_level``; **abandon rate**
  (Erlang A plans, on the same agents and label as the service level), the forecast's **backtest accuracy**, and the
  **probability of meeting the target** (call-weighted ``p_meet`` of a plan
  staffed to the forecast distribution).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import erlang as e
from ._results import Result, card_axes
from .staffing import total_shrinkage
from .staffing.plan import _effective_shrinkage

__all__ = ["Headline", "plan_headline", "paid_break_share", "HEADLINE_FIELDS", "SKILLS_FIELDS", "skills_headline", "channel_headline"]

#: Every figure of a headline: key, display label, unit, display format.
HEADLINE_FIELDS = (
    ("calls", "calls forecast per week", "calls", "count"),
    ("agents_required_peak", "agents required at the peak", "agents", "count"),
    ("agent_hours_required", "agent-hours required per week", "h", "hours"),
    ("required_fte", "required FTE (workload, before shifts)", "FTE", "fte"),
    ("required_weekly_cost", "weekly cost of the required FTE", "currency", "money"),
    ("scheduled_heads", "scheduled heads", "agents", "count"),
    ("paid_hours_per_head", "paid hours per scheduled head per week", "h", "hours1"),
    ("unscheduled_shrinkage", "shrinkage the schedule does not model", "fraction", "percent"),
    ("heads_to_employ", "heads to employ", "agents", "count"),
    ("fte", "FTE to employ", "FTE", "fte"),
    ("weekly_cost", "weekly cost", "currency", "money"),
    ("service_level", "expected service level", "fraction", "percent"),
    ("service_level_target", "service level target", "fraction", "percent"),
    ("abandon_rate", "expected abandon rate", "fraction", "percent"),
    ("backtest_wape", "forecast backtest WAPE (interval)", "fraction", "percent"),
    ("backtest_daily_wape", "forecast backtest WAPE (day)", "fraction", "percent"),
    ("p_meet", "probability of meeting the target", "fraction", "percent"),
)
#: The figures of a multi-skill centre's staffing (:func:`skills_headline`): key, label, unit, display format.
SKILLS_FIELDS = (
    ("skills_agents_peak", "multi-skill agents at the peak", "agents", "count"),
    ("skills_agent_hours", "multi-skill agent-hours", "h", "hours"),
    ("skills_cost", "multi-skill cost (agent-hours x group cost per agent-hour)", "cost", "number"),
    ("skills_per_type_cost", "cost staffing each type on its own (Erlang)", "cost", "number"),
    ("skills_pooled_cost", "cost of the pooled queue (Erlang, every agent every skill)", "cost", "number"),
    ("skills_saving_vs_per_type", "multi-skill saving against per-type Erlang", "fraction", "percent"),
    ("skills_excess_over_pooled", "multi-skill cost above pooled Erlang", "fraction", "percent"),
    ("skills_types_on_target", "interval-types on target (simulated)", "fraction", "percent"),
)
_LABEL = {key: label for key, label, _, _ in HEADLINE_FIELDS + SKILLS_FIELDS}
_UNIT = {key: unit for key, _, unit, _ in HEADLINE_FIELDS + SKILLS_FIELDS}
_FORMAT = {key: fmt for key, _, _, fmt in HEADLINE_FIELDS + SKILLS_FIELDS}


def _weighted(values, weights):
    values = np.asarray(values, dtype=float)
    weights = np.asarray(weights, dtype=float)
    ok = np.isfinite(values)
    total = weights[ok].sum()
    return float((values[ok] * weights[ok]).sum() / total) if total > 0 else math.nan


def paid_break_share(schedule):
    """
    Share of a schedule's paid hours that its shifts spend on paid breaks. [0-1]

    The shift rules' breaks with ``paid: true`` (an unpaid lunch is not paid
    time, so it is no shrinkage of it), counted from ``schedule.shifts``:
    agents x paid break length, over the paid hours.
    """
    shifts = schedule.shifts
    paid = float(schedule.paid_hours)
    if not paid or "breaks" not in shifts or shifts.empty:
        return 0.0
    seconds = np.array([sum(((end - start).total_seconds() for start, end, is_paid in b if is_paid), 0.0)
                        for b in shifts["breaks"]])
    return float((seconds * shifts["agents"].to_numpy(dtype=float)).sum() / 3600.0 / paid)


def _unscheduled(shrinkage, method, scheduled_components, placed=None, agents=None):
    """
    Shrinkage of the schedule's paid time that the schedule does not place, and what it is made of.

    The plan's total shrinkage :math:`s` (its ``method``) is the share of
    the paid time of the agents employed that is not on the phones. The
    schedule's heads are on the phones for their paid hours less the paid
    breaks their shifts place, a share :math:`p` of those hours
    (``placed``, :func:`paid_break_share`; at most the
    ``scheduled_components``' own total :math:`s_m`: paid breaks beyond the
    allowance are the shifts' cost, not shrinkage). Employing
    :math:`H / (1 - s_u)` heads with

    .. math:: 1 - s_u = (1 - s) / (1 - \\min(p, s_m))

    keeps the plan's convention: the employed agents' paid time times
    :math:`1 - s` is the time on the phones the schedule puts there. With
    the components placed whole (:math:`p = s_m`, or ``placed`` None: no
    schedule to look at) and multiplicative shrinkage this is the rest's own
    total; additive shares of all paid time are slightly more of the
    schedule's (training and absence 20% of all paid time, breaks 10%: 22.2%
    of the paid time left after breaks). Breaks allowed for but not placed
    (an unpaid lunch only) count as unscheduled. Shrinkage that varies by
    interval is weighted by the plan's ``agents`` as the plan grosses it up
    (scheduled hours over productive hours, ``_effective_shrinkage``).
    """
    total = _effective_shrinkage(total_shrinkage(shrinkage, method=method), agents) \
        if not isinstance(shrinkage, dict) or shrinkage else 0.0
    if not isinstance(shrinkage, dict):
        return total, ("shrinkage",)
    rest = [k for k in shrinkage if k not in scheduled_components]
    modelled = {k: val for k, val in shrinkage.items() if k in scheduled_components}
    s_m = _effective_shrinkage(total_shrinkage(modelled, method=method), agents) if modelled else 0.0
    p = s_m if placed is None else min(float(placed), s_m)
    if s_m - p > 1e-9:  # the shifts place less paid break than the plan allowed for
        rest.append(" + ".join(modelled) + " not placed by the shifts")
    return 1.0 - (1.0 - total) / (1.0 - p), tuple(rest)


def _warn_if_sized_on_scheduled_agents(tab, coverage):
    """Warn when the schedule covers the plan's ``scheduled_agents`` (shrinkage in) rather than its ``agents``."""
    if not {"agents", "scheduled_agents"} <= set(tab.columns) or "required" not in coverage:
        return
    required = float(coverage["required"].sum())
    agents = float(tab["agents"].reindex(coverage.index).fillna(0.0).sum())
    grossed = float(np.ceil(tab["scheduled_agents"].reindex(coverage.index).fillna(0.0)).sum())
    if grossed > 1.02 * agents and abs(required - grossed) < abs(required - agents):
        import warnings

        warnings.warn("the schedule covers the plan's scheduled_agents (agents grossed up for shrinkage), so the heads "
                      "to employ gross the shrinkage up a second time: size the schedule on plan.table['agents'] "
                      "(the agents on the phones; the schedule places the breaks and the headline adds the rest).",
                      UserWarning, stacklevel=3)


def plan_headline(plan, schedule=None, *, backtest=None, cost_per_paid_hour=0.0, currency="",
                  scheduled_components=("breaks",), week_start=None):
    """
    The headline figures of a plan, each computed once.

    Parameters
    ----------
    plan : StaffingPlan
        The staffing plan (agents per interval, with its ``shrinkage``,
        ``shrinkage_method``, ``fte_hours_per_week`` and targets in ``params``).
    schedule : SchedulePlan, optional
        The schedule sized for the plan (one week or several). Without it
        the heads are not known and only the plan's own figures are given.
    backtest : Backtest, optional
        The forecast's backtest; gives ``backtest_wape`` (interval) and
        ``backtest_daily_wape``: WAPE pooled over every origin's forecasts
        (sum |F - A| / sum A, :meth:`Backtest.summary`'s ``value``).
    cost_per_paid_hour : float
        [currency per paid hour] Without one (0, the default) the costs
        are not known (NaN, shown "n/a"), never a cost of 0.
    currency : str
        Shown with the cost, e.g. ``"USD"``.
    scheduled_components : tuple of str
        Shrinkage components (keys of the plan's ``shrinkage`` dict) that the
        schedule models itself: its shifts' paid breaks
        (:func:`paid_break_share`). What these components take beyond the
        paid breaks the shifts place is grossed up like the rest: a breaks
        allowance of 10% where the shifts place only an unpaid lunch is not
        in the schedule's paid hours. A plain shrinkage fraction counts as
        not modelled by the schedule.
    week_start : str or int, optional
        Weekday planning weeks start on, for the per-week figures; default
        the plan's own ``week_start``.

    Returns
    -------
    Headline

    Examples
    --------
    >>> import wfm
    >>> from wfm.datasets import bank_calls
    >>> week = wfm.calendar.last_full_week(bank_calls("30min"))
    >>> plan = wfm.staffing_plan(week, aht=300, shrinkage={"breaks": 0.1, "absence": 0.15})
    >>> h = plan_headline(plan)
    >>> h.figures()["agents_required_peak"], round(h.figures()["required_fte"], 1)
    (319, 491.0)
    """
    tab = plan.table
    figures = plan.figures()
    if week_start is None:
        week_start = plan.params.get("week_start") or "MON"
    # working weeks in the horizon: a week the horizon cuts counts as its share (StaffingPlan.totals' week_share)
    n_weeks = float(plan.totals("W", week_start=week_start)["week_share"].sum()) \
        if len(tab) and isinstance(tab.index, pd.DatetimeIndex) else 1.0
    hours_per_fte = float(plan.params.get("fte_hours_per_week", 37.5))
    required_fte = figures.get("required_fte", figures["scheduled_hours"] / n_weeks / hours_per_fte)
    rate = float(cost_per_paid_hour) if cost_per_paid_hour and float(cost_per_paid_hour) > 0 else math.nan
    out = {
        "required_fte": required_fte,
        "required_weekly_cost": required_fte * hours_per_fte * rate,
        "calls": figures["calls"] / n_weeks,
        "agents_required_peak": figures["peak_agents"],
        "agent_hours_required": figures["agent_hours"] / n_weeks,
        "service_level_target": plan.params.get("service_level", math.nan),
        "service_level": figures.get("service_level", math.nan),
        "abandon_rate": _weighted(tab["abandon_rate"], tab["calls"]) if "abandon_rate" in tab else math.nan,
        "p_meet": _weighted(tab["p_meet"], tab["calls"]) if "p_meet" in tab else math.nan,
    }
    sl_basis = "before shifts"
    placed = paid_break_share(schedule) if schedule is not None else None
    shrink, components = _unscheduled(plan.params.get("shrinkage", 0.0), plan.params.get("shrinkage_method",
                                                                                          "additive"),
                                      scheduled_components, placed, tab["agents"] if "agents" in tab else None)
    if schedule is not None:
        _warn_if_sized_on_scheduled_agents(tab, schedule.coverage)
        heads = int(schedule.heads)
        paid_per_head = float(schedule.paid_hours) / n_weeks / heads if heads else 0.0
        employ = int(math.ceil(heads / (1.0 - shrink) - 1e-9)) if heads else 0
        cov = schedule.coverage
        if "service_level" in cov and "calls" in tab:
            calls = tab["calls"].reindex(cov.index).fillna(0.0)
            out["service_level"], sl_basis = _weighted(cov["service_level"], calls), "as scheduled"
            if "abandon_rate" in tab and plan.params.get("patience") is not None:  # on the service level's basis
                on = cov["scheduled"].reindex(tab.index).fillna(0.0).to_numpy(dtype=float)
                ab = e.abandon_rate(tab["calls"], tab["aht"], plan.params["interval"], on, plan.params["patience"])
                out["abandon_rate"] = _weighted(ab, tab["calls"].where(tab.index.isin(cov.index), 0.0))
        out.update(scheduled_heads=heads, paid_hours_per_head=paid_per_head, unscheduled_shrinkage=shrink,
                   heads_to_employ=employ, fte=employ * paid_per_head / hours_per_fte)
    else:
        out.update(scheduled_heads=math.nan, paid_hours_per_head=math.nan, unscheduled_shrinkage=shrink,
                   heads_to_employ=math.nan, fte=math.nan)
    out["weekly_cost"] = out["fte"] * hours_per_fte * rate
    if backtest is not None:
        scores = backtest.summary().set_index(["level", "metric"])["value"]  # pooled over the origins
        out["backtest_wape"] = float(scores.get(("interval", "wape"), math.nan))
        out["backtest_daily_wape"] = float(scores.get(("day", "wape"), math.nan))
    else:
        out["backtest_wape"] = out["backtest_daily_wape"] = math.nan
    figures_out = {key: out[key] for key, *_ in HEADLINE_FIELDS}
    params = dict(currency=currency, cost_per_paid_hour=float(cost_per_paid_hour), hours_per_fte=hours_per_fte,
                  weeks=n_weeks, unscheduled_components=components, scheduled_components=tuple(scheduled_components),
                  paid_break_share=placed, week_start=week_start, service_level_basis=sl_basis)
    return Headline(values=figures_out, params=params)


def skills_headline(staffing):
    """
    The headline of a multi-skill centre's staffing (a :class:`wfm.skills.SkillStaffing`), each figure computed once.

    ``skills_agents_peak``: the most agents on duty in one interval, all
    groups [count]; ``skills_agent_hours``: agents x interval length, summed
    [h]; ``skills_cost``: agent-hours x their group's cost per agent-hour,
    summed over groups [the centre's cost units]; the same cost for staffing each
    type on its own with Erlang (``skills_per_type_cost``) and for the
    pooled queue (``skills_pooled_cost``, every agent every skill); the
    saving against the first and the excess over the second [0-1]; and the
    share of interval-types whose simulated service meets every target
    [0-1]. Read from ``staffing.figures()`` and ``staffing.intervals``.

    Returns
    -------
    Headline
        ``values`` (and ``figures()``) the keys of :data:`SKILLS_FIELDS`.
    """
    f = staffing.figures()
    per = staffing.intervals
    figures = {
        "skills_agents_peak": f["peak_agents"], "skills_agent_hours": f["agent_hours"],
        "skills_cost": f["cost"], "skills_per_type_cost": f["per_type_cost"], "skills_pooled_cost": f["pooled_cost"],
        "skills_saving_vs_per_type": f["saving_vs_per_type"], "skills_excess_over_pooled": f["excess_over_pooled"],
        "skills_types_on_target": f["types_on_target"],
    }
    return Headline(values=figures, params=dict(currency="", method=staffing.params["method"],
                                                 intervals=len(per), interval=float(staffing.params["interval"])))


def format_figure(key, value, currency=""):
    """One headline figure as text: percentages for rates, whole numbers for heads, the currency with cost."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "n/a"
    kind = _FORMAT[key]
    if key == "p_meet" and value >= 0.999:  # a probability near one is no guarantee: never shown as 100.0%
        return ">99.9%"
    if kind == "percent":
        return f"{value:.1%}"
    if kind == "count":
        return f"{value:,.0f}"
    if kind == "hours":
        return f"{value:,.0f} h"
    if kind == "hours1":
        return f"{value:,.1f} h"
    if kind == "fte":
        return f"{value:,.1f}"
    if kind == "number":
        return f"{value:,.1f}"
    return f"{value:,.0f} {currency}".strip()


@dataclass(frozen=True)
class Headline(Result):
    """
    The headline figures of a plan, built by :func:`plan_headline`.

    Attributes
    ----------
    values : dict
        Snake_case keys of :data:`HEADLINE_FIELDS` to numbers (NaN where a
        figure is not known, e.g. heads without a schedule); :meth:`figures`
        returns a copy.
    params : dict
        ``currency``, ``cost_per_paid_hour``, ``hours_per_fte``, ``weeks``
        in the horizon, and which shrinkage components the schedule does
        and does not model (``paid_break_share``: the share of paid time
        the schedule's shifts spend on paid breaks, None without a
        schedule), and ``service_level_basis``: the agents of the
        expected service level and abandon rate ("as scheduled" or
        "before shifts").
    """

    values: dict
    params: dict

    def figures(self):
        """The headline figures as plain numbers (a copy of :attr:`values`)."""
        return dict(self.values)

    @property
    def table(self):
        """One row per figure: ``figure`` (key), ``label``, ``value``, ``unit`` and ``text`` (as displayed)."""
        cur = self.params.get("currency", "")
        basis = dict.fromkeys(("service_level", "abandon_rate"), f" ({self.params['service_level_basis']})") \
            if self.params.get("service_level_basis") else {}
        rows = [(key, _LABEL[key] + basis.get(key, ""), value, cur if _UNIT[key] == "currency" else _UNIT[key],
                 format_figure(key, value, cur)) for key, value in self.values.items()]
        return pd.DataFrame(rows, columns=["figure", "label", "value", "unit", "text"])

    def note(self):
        """Which shrinkage the heads to employ are grossed up for, as a sentence."""
        comps = ", ".join(self.params["unscheduled_components"]) or "none"
        return (f"Heads to employ gross the scheduled heads up for the shrinkage the schedule does not model "
                f"({comps}: {format_figure('unscheduled_shrinkage', self.values['unscheduled_shrinkage'])}"
                + ("" if self.params.get("paid_break_share") is None else
                   f"; the shifts' paid breaks take {self.params['paid_break_share']:.1%} of paid time") + "); "
                f"FTE to employ = heads to employ x paid hours per head / {self.params['hours_per_fte']:g} h. "
                f"Required FTE = the plan's hours grossed up for all shrinkage per week / "
                f"{self.params['hours_per_fte']:g} h: the workload before shifts, as an Erlang calculator gives "
                f"it. Expected service level (and abandon rate): Erlang at the forecast mean, call-weighted, with "
                + ("the agents the schedule puts on the phones (as scheduled)."
                   if self.params.get("service_level_basis") == "as scheduled"
                   else "the plan's required agents (before shifts)."))

    def text(self):
        """The headline as lines of text (the CLI summary)."""
        tab = self.table
        width = int(tab["label"].str.len().max())
        return "\n".join(f"{r.label:<{width}}  {r.text}" for r in tab.itertuples())

    def __repr__(self):
        return "Headline\n" + self.text()

    def summary(self):
        """The figures as displayed: index ``key``, columns ``figure`` (label), ``value`` (the number), ``unit`` and
        ``text`` (formatted, "n/a" where not known)."""
        tab = self.table.rename(columns={"figure": "key", "label": "figure"}).set_index("key")
        return tab[["figure", "value", "unit", "text"]]

    def sheets(self):
        return {"table": self.table}

    def plot(self, ax=None, **kwargs):
        """The headline as a card: label and formatted value (with its unit) per figure, on an Axes with its frame
        hidden; the caption under it says so."""
        import matplotlib.pyplot as plt

        tab = self.table
        if ax is None:
            _, ax = plt.subplots(figsize=(7, 0.3 * len(tab) + 0.8))
        card_axes(ax, "figure (left) and its value in its unit (right); n/a: not computed from this plan's inputs")
        for i, r in enumerate(tab.itertuples()):
            y = 1 - (i + 0.5) / len(tab)
            ax.text(0.0, y, r.label, va="center", fontsize="small", **kwargs)
            ax.text(1.0, y, r.text, va="center", ha="right", fontsize="small", fontweight="bold", **kwargs)
        ax.set_title("Headline")
        return ax

    def _repr_html_(self):
        tab = self.table[["label", "text"]].rename(columns={"label": "figure", "text": "value"})
        return "<h4>Headline</h4>" + tab.to_html(index=False) + f"<p>{self.note()}</p>"


def _seconds_text(seconds):
    """'20 s', '24 h', '3 days' for a time in seconds ('the threshold' for one that varies by interval)."""
    values = np.unique(np.asarray(seconds, dtype=float))
    if values.size != 1:
        return "the threshold"
    seconds = float(values[0])
    if seconds >= 2 * 86400 and seconds % 86400 == 0:
        return f"{seconds / 86400:g} days"
    for unit, size in (("h", 3600), ("min", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds / size:g} {unit}"
    return f"{seconds:g} s"


def _service_level_of(name, plan, threshold):
    """What a channel's ``service_level`` counts, in words (voice, chat and callbacks differ in the denominator)."""
    p = plan.params if plan is not None else {}
    if name == "voice":
        return f"calls answered within {_seconds_text(threshold)} / calls offered"
    if name == "callbacks":
        return (f"calls answered within {_seconds_text(threshold)} / calls that stayed in the queue (those taking a "
                "callback left out)")
    if name == "voice_redials":
        return f"attempts answered within {_seconds_text(p.get('threshold', threshold))} / attempts (redials included)"
    if p.get("channel") == "chat":
        return f"sessions with a first response within {_seconds_text(p['threshold'])} / sessions offered"
    if p.get("channel") == "deferred":
        return f"items started within the deadline of {_seconds_text(p['deadline'])} / items arrived"
    return ""


def channel_headline(voice, channels, *, shrinkage=0.0, fte_hours_per_week=37.5, cost_per_paid_hour=0.0, currency="",
                     weeks=None, callbacks=None, failed=None):
    """
    The headline per channel and their total: agents, agent-hours, required FTE and weekly cost.

    Parameters
    ----------
    voice : StaffingPlan
        The voice plan (its own ``required_fte``, grossed up for its own shrinkage).
    channels : dict
        Name -> :class:`wfm.channels.ChannelPlan` (``chat``, deferred work by
        name, ``voice_redials``). Deferred work counts its dedicated agents
        (blended work is done by the voice agents). ``voice_redials`` sizes
        the voice channel again with redials: shown beside it, not added to
        the total.
    shrinkage : float
        Shrinkage of the channel agents, for their FTE. [0-1)
    fte_hours_per_week : float
        Paid hours of one FTE per week. [h]
    cost_per_paid_hour : float
        [currency per paid hour]; 0 leaves the costs unknown (NaN), as :func:`plan_headline`.
    currency : str
    weeks : float, optional
        Working weeks in the horizon; default the voice plan's (:meth:`StaffingPlan.totals`).
    callbacks : DataFrame, optional
        :func:`wfm.channels.callback_queue` at the voice agents: a row with its service level and callback rate.
    failed : dict, optional
        Channel name -> why it could not be sized: a row each with ``status``
        ``failed`` and the reason in ``note``, not in the total (whose note
        names them).

    Returns
    -------
    DataFrame
        One row per channel, then ``total``: ``channel``, ``status``
        (``ok`` or ``failed``), ``in_total``,
        ``agents_required_peak`` [agents; whole, pandas ``Int64``, <NA> for
        a failed channel and callbacks; the total's is the most agents
        on duty at once], ``agent_hours_required`` [h per week],
        ``required_fte`` [FTE], ``required_weekly_cost`` [currency],
        ``service_level`` and ``service_level_target`` [0-1],
        ``service_level_of`` (what the service level counts: the channels
        differ, e.g. callbacks count only the calls that stayed in the
        queue, deferred work the items started within the deadline),
        ``currency`` and ``note``.
    """
    if weeks is None:
        weeks = float(voice.totals("W")["week_share"].sum()) if len(voice.table) else 1.0
    rate = float(cost_per_paid_hour) if cost_per_paid_hour and float(cost_per_paid_hour) > 0 else math.nan
    vf = voice.figures()
    voice_fte = vf.get("required_fte", vf["scheduled_hours"] / weeks / fte_hours_per_week)
    rows = [dict(channel="voice", in_total=True, agents_required_peak=vf["peak_agents"],
                 agent_hours_required=vf["agent_hours"] / weeks, required_fte=voice_fte,
                 service_level=vf.get("service_level", math.nan),
                 service_level_target=voice.params.get("service_level", math.nan))]
    on_duty = [voice.table["agents"]]
    for name, plan in channels.items():
        f = plan.figures()
        hours = f["agent_hours"] / weeks
        rows.append(dict(channel=name, in_total=name != "voice_redials", agents_required_peak=f["peak_agents"],
                         agent_hours_required=hours, required_fte=hours / (1 - shrinkage) / fte_hours_per_week,
                         service_level=f["service_level"], service_level_target=f["service_level_target"]))
        if name != "voice_redials":
            on_duty.append(plan.table["agents"])
    if callbacks is not None and len(callbacks):
        rows.append(dict(channel="callbacks", in_total=False, service_level=_weighted(
            callbacks["service_level"], callbacks["calls"] * (1 - callbacks["callback_rate"])),
            callback_rate=_weighted(callbacks["callback_rate"], callbacks["calls"])))
    threshold = voice.params.get("threshold", math.nan)
    for row in rows:
        row["status"] = "ok"
        row["service_level_of"] = _service_level_of(row["channel"], channels.get(row["channel"]), threshold)
    failed = dict(failed or {})
    rows += [dict(channel=name, status="failed", in_total=False, note=str(why)) for name, why in failed.items()]
    out = pd.DataFrame(rows)
    counted = out[out["in_total"]]
    together = pd.concat(on_duty, axis=1, sort=True).fillna(0.0).sum(axis=1) if isinstance(voice.table.index, pd.DatetimeIndex) \
        else pd.Series([math.nan])
    total = dict(channel="total", status="ok", in_total=True, agents_required_peak=float(together.max()),
                 agent_hours_required=float(counted["agent_hours_required"].sum()),
                 required_fte=float(counted["required_fte"].sum()),
                 note=(f"excludes the failed channel(s) {', '.join(failed)}: not sized, not counted" if failed
                       else ""))
    out = pd.concat([out, pd.DataFrame([total])], ignore_index=True)
    out["required_weekly_cost"] = out["required_fte"] * fte_hours_per_week * rate
    out["currency"] = currency
    out["note"] = out["note"].fillna("") if "note" in out else ""
    out["agents_required_peak"] = out["agents_required_peak"].round().astype("Int64")  # a count; <NA> without agents
    first = ["channel", "status", "in_total"]
    return out[first + [c for c in out.columns if c not in first]]
