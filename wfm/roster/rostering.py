r"""
Rosters: who works which shift on which day, for named agents with contracts,
requests and fairness, as one CP-SAT model with a proven bound.

:func:`roster_agents` turns a demand (cover per day and shift type, or a sized
:class:`~wfm.schedule.SchedulePlan`, or an interval requirement that it
sizes first with :func:`~wfm.schedule.schedule_week`) into a
:class:`~wfm.roster.Roster`. Contract rules are hard; cover, requests and fairness are
the weighted objective. The model is described in
:mod:`wfm.roster.model`; :mod:`wfm.roster.instance_format` reads
the public shift-scheduling benchmark into these same arguments.

References
----------
.. [1] T. Curtois and R. Qu, "Computational results on new staff scheduling
   benchmark instances", technical report, ASAP Research Group, University
   of Nottingham, 2014 (the benchmark's rules and objective).
.. [2] E. K. Burke, P. De Causmaecker, G. Vanden Berghe and H. Van Landeghem,
   "The state of the art of nurse rostering", Journal of Scheduling 7(6),
   441-499, 2004.
.. [3] L. Perron and F. Didier, "CP-SAT", OR-Tools v9, Google, 2024.
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np
import pandas as pd

from .. import _validation as v
from .._validation import option
from ..calendar import _WEEKDAYS
from .arguments import (AGENT_FIELDS, check_not_shift_rules, cover_from_frame, read_agents, read_requests, read_rules,
                        weekends_of, weeks_of)
from .demand import plans_and_requirement, rules_and_cover_from_plans
from .hints import hint_from_table, pattern_hint
from .model import Problem, build_and_solve
from .result import make_roster
from .search import solve_lns
from .seam import read_previous

__all__ = ["AGENT_FIELDS", "SIZING_SHARE", "roster_agents"]

#: Share of ``time_limit`` that sizing an interval requirement may take (split over its weeks); the search
#: has the rest. [fraction]
SIZING_SHARE = 0.25


def roster_agents(demand, agents, rules, *, requests=None, previous=None, time_limit=60.0, allow_shortfall=False,
                  hint=None, method="lns", num_workers=8, seed=0, mip_gap=0.0, stop_at=None, verbose=False,
                  dayfirst=None, date_format=None):
    r"""
    Roster named agents: which agent works which shift type on which day.

    One CP-SAT model over the whole horizon (described in
    :mod:`wfm.roster.model`): contract rules are hard; the
    objective is the weighted under- and over-cover, plus the weight of
    every unmet request, plus the fairness terms (weight times the spread,
    most minus fewest over agents, of working weekends, late shifts and
    unmet request weight). The proven bound (CP-SAT's, or the linear
    relaxation's, see ``method``) gives the gap.

    Parameters
    ----------
    demand : DataFrame, SchedulePlan, list of SchedulePlan or Series
        * Cover per day and shift type: columns ``day`` (0-based day of the
          horizon, or a date), ``shift`` (a name in ``rules["shifts"]``),
          ``required`` [agents] and optionally ``weight_under`` and
          ``weight_over`` [penalty per agent short / above]; by default the
          shift's paid hours times ``rules["cover_weights"]``.
        * A sized plan (:func:`wfm.schedule_week`, :func:`wfm.schedule_weeks`)
          or a list of them: their shifts (template, start time and breaks)
          become the shift types, their agents per shift the cover, weighted
          by paid hours times ``rules["cover_weights"]``. A plan of several
          weeks is rostered as those weeks, on their calendar days; one plan
          of at most 7 days repeats week after week for ``rules["days"]``
          (7 by default) from the week start on or before its first day.
          ``Roster.coverage`` then compares agents on the phones per
          interval with the plan's requirement.
        * An interval requirement [agents per interval] (closed intervals
          may be absent), sized first with
          ``wfm.schedule_weeks(..., rules["schedule"], week_start=rules["week_start"])``;
          without ``rules["week_start"]``, on the requirement's own weeks
          (the first open day after its closed days,
          :func:`wfm.calendar.infer_week_start`: Sunday for a
          Sunday-Thursday centre), as ``wfm roster``, ``wfm schedule`` and
          the scenario runner do.
    agents : DataFrame
        One row per named agent: ``agent`` (unique name) and any of
        ``contract`` (only shift types of this contract), ``skills`` (a
        list; a shift type with a ``skill`` needs it), ``days_off`` (day
        numbers or dates: fixed days off and approved time off),
        ``max_shifts`` (dict shift -> most shifts of that type; lists and
        dicts may also be strings as a CSV cell holds them: ``"0;5"``,
        ``"french;german"``, ``"E=5;L=3"``),
        ``min_paid_hours``/``max_paid_hours`` (over the horizon) [h],
        ``min_paid_hours_per_week``/``max_paid_hours_per_week`` [h],
        ``min_days_per_week``/``max_days_per_week`` [days],
        ``min_consecutive_days``/``max_consecutive_days`` (working days),
        ``min_consecutive_days_off`` [days], ``min_working_weekends``/``max_working_weekends`` and
        ``min_rest_hours`` (between the end of a shift and the start of the
        next day's) [h]. A missing column or an empty cell: no such rule.
        Runs of working days or days off that touch either end of the
        horizon are not held to the minimum (they continue outside it);
        per-week minimums apply to full planning weeks (from
        ``rules["week_start"]``).
    rules : dict
        ``start`` (day 0, a date, local midnight in the plans' time zone;
        "2024-01-01"; from the plans when demand is sized), ``days``
        (horizon length; from the plans when demand is sized),
        ``week_start`` (the weekday planning weeks start on, "MON" ...
        "SUN"; by default a sized plan's own, an interval requirement's
        inferred from its open days, else Monday), ``shifts`` (list of
        ``{"name", "paid": "8h", "start": "07:00", "breaks": [{"start":
        "2h", "length": "15min", "paid": True}], "skill", "contract",
        "late"}``; from the plans when demand is sized),
        ``forbidden_successions`` (pairs [shift, next day's shift]),
        ``weekend`` (["sat", "sun"]), ``fairness`` (``{"weekends": 1,
        "lates": 1, "requests": 1}``: penalty per unit of spread),
        ``late_after`` ("20:00": a shift ending after this clock time is a
        late one unless it sets ``late``), ``max_weekend_spread`` (a hard
        cap on most minus fewest working weekends), ``cover_weights``
        (``{"under": 100, "over": 1}`` per agent-hour), ``skills`` (the
        known skills) and ``schedule`` (shift rules for sizing an interval
        requirement).
    requests : DataFrame, optional
        ``agent``, ``day`` (a day number or a date, as in ``days_off``),
        ``shift`` (empty: the whole day), ``kind`` ("on" or "off") and
        ``weight`` (penalty when unmet).
    dayfirst : bool, optional
        Dates written as text in ``requests``, the cover's ``day`` and
        ``days_off`` are day-first (True: ``02/01/2024`` is 2 January) or
        month-first (False). ISO dates and dates that read one way only
        need nothing; a date that reads both ways is an error naming the
        rows (:func:`wfm.logs.parse_datetimes`), never guessed. Rows are
        named from 0, or by line number when the tables' index is named
        ``"line"`` (as ``wfm roster`` reads its files).
    date_format : str, optional
        strptime format of those dates, e.g. ``"%d/%m/%Y"``.
    previous : Roster or DataFrame, optional
        The roster this one follows (it must end the day before day 0), or
        its grid: agents (index) x the days before day 0 (columns in order,
        the last the day just before; the shift worked, "" when off, as
        :meth:`Roster.grid`). Its last days join the rules across the seam:
        runs of working days and days off that start before day 0 are held
        to the minimum and maximum consecutive days, and day 0's shift keeps
        the minimum rest after the previous day's end (from a Roster's end
        times; from a grid, for shift types of these rules) and the
        forbidden successions. Agents it does not have start free, as
        without it; weekly and weekend rules count each horizon's own days.
    time_limit : float
        Seconds for the whole call [s]: sizing an interval requirement
        (at most :data:`SIZING_SHARE` of it), the search, and saying why
        when there is no roster. It returns by then (plus a small
        allowance: building the model and the results object) with the best
        roster found, its proven bound and ``status`` "time_limit" when the
        search was stopped (``params["solver_message"]`` says how far it
        got); with none found, a ValueError says so.
    allow_shortfall : bool
        False: every required agent is covered (under-cover is a hard rule)
        and a demand the agents cannot cover raises a ValueError naming
        where. True: under-cover is penalised by its weight instead (the
        benchmark's cover is soft: pass True), and
        ``Roster.cover``/``Roster.coverage`` report the shortfall.
    method : {"lns", "cp-sat"}
        "cp-sat": one CP-SAT search on the whole model. "lns" (default):
        the same for a model of at most 20,000 agent x day x shift-type
        cells with a hard cover; with a soft day-shift cover, the least
        shortfall first (up to 30% of the time), then the whole objective over
        the rosters with at most that shortfall (10%) and with more (5%),
        so the better of the two is the answer and the lower of their
        bounds the proven bound, then large-neighbourhood search for the
        rest. When the objective is cover and requests alone (no fairness
        weight, no weekend spread cap), its linear relaxation comes first
        (column generation: HiGHS for the LP, CP-SAT for each agent's
        patterns; up to 40% of the time, :mod:`wfm.roster.relaxation`):
        its Lagrangian bound is the proven bound, and the stages search only
        the cells its LP leaves unsettled. A larger model gets an agent-by-agent start or the hint and
        CP-SAT on the whole model for part of the time (the first roster
        and the proven bound), then large-neighbourhood search: free a few
        agents, or every agent over a window of days, fix the rest, solve
        that part with CP-SAT and keep it when it is no worse.
    hint : DataFrame, optional
        A roster to start from (``agent``, ``day``, ``shift``), e.g. an
        earlier :attr:`Roster.table`. With a sized demand and no hint, the
        plan's shifts are handed to the agents week by week as the warm
        start (one run of days off per week, rest-aware shift matching,
        weekends shared).
    num_workers : int
        CP-SAT search workers (threads; they share the machine's cores).
        The default 8 runs CP-SAT's whole portfolio (LP-guided, core-based
        and neighbourhood-search workers), which finds better rosters than
        one worker per core even on a 2-core machine. A model searched in
        parts (``method="lns"`` on more than 20,000 cells) uses at most 2.
    seed : int
        Solver seed (the search is deterministic for a given seed and
        worker count, up to the time limit).
    mip_gap : float
        Stop when the proven relative gap is at most this. [0-1]
    stop_at : float, optional
        Stop as soon as a roster with an objective at most this is found
        (e.g. a known good value); otherwise search until ``time_limit``
        or a proof of optimality.
    verbose : bool
        Print the solver's log.

    Returns
    -------
    Roster
        Its ``params`` hold the inputs, among them ``week_start`` ("MON" ...
        "SUN") and ``week_start_inferred`` (True when it was read from an
        interval requirement's open days, not given).

    Raises
    ------
    ValueError
        Bad input, naming the agent (or row) and the field: contradictory
        contract bounds, a day off outside the horizon, an unknown shift or
        skill. Without ``allow_shortfall``, a demand no roster can cover
        (the message lists where the best roster falls short). Contract
        rules no roster can meet (the message names the agent).

    Examples
    --------
    Two agents, three days, one 8-hour day shift; two agents needed on day 0,
    one on days 1 and 2; Bea asks for day 2 off.

    >>> agents = pd.DataFrame({"agent": ["Ann", "Bea"], "max_paid_hours": [16, 24]})
    >>> demand = pd.DataFrame({"day": [0, 1, 2], "shift": "D", "required": [2, 1, 1]})
    >>> requests = pd.DataFrame({"agent": ["Bea"], "day": [2], "shift": [None], "kind": ["off"],
    ...                          "weight": [5]})
    >>> r = roster_agents(demand, agents, {"days": 3, "shifts": [{"name": "D", "paid": "8h"}]},
    ...                   requests=requests, time_limit=10)
    >>> r.grid()
    day    0  1  2
    agent
    Ann    D     D
    Bea    D  D
    >>> r.objective, r.status
    (0.0, 'optimal')
    """
    t0 = time.perf_counter()
    v.check_positive(v.as_float_array(time_limit, "time_limit"), "time_limit", "seconds")
    deadline = t0 + float(time_limit)
    allow_shortfall = v.check_flag(allow_shortfall, "allow_shortfall")
    v.check_choice(method, "method", ("lns", "cp-sat"))
    if not isinstance(rules, dict):
        raise TypeError(f"rules must be a dict (see wfm.roster_agents); got {type(rules).__name__}.")
    check_not_shift_rules(rules, time_limit=time_limit)  # shift rules given as roster rules: say what goes where
    if not isinstance(agents, pd.DataFrame):
        raise TypeError(f"agents must be a DataFrame with one row per agent; got {type(agents).__name__}.")
    plans, requirement, break_plans, planned = None, None, {}, None
    inferred = isinstance(demand, pd.Series) and "week_start" not in rules  # sized on the requirement's own weeks
    if isinstance(demand, pd.DataFrame):
        R = read_rules(rules)
    else:
        plans, requirement = plans_and_requirement(demand, rules, SIZING_SHARE * float(time_limit))
        R, demand, break_plans, planned = rules_and_cover_from_plans(plans, rules)
    R["read"] = {"dayfirst": dayfirst, "date_format": date_format}
    A_ = read_agents(agents, R)
    if planned is not None:  # a sized plan: each shift type only on the days the plan has it
        A_["allowed"] &= planned[None, :, :]
    before = None
    if previous is not None:  # the previous roster's last days: day 0 keeps the rest and successions after them
        before, forbidden = read_previous(previous, R, A_)
        A_["allowed"][:, 0, :] &= ~forbidden
    pos = {a: i for i, a in enumerate(A_["names"])}
    rq = read_requests(requests, R, pos)
    cover = cover_from_frame(demand, R, allow_shortfall)
    hint_arr = None
    if hint is not None:
        hint_arr = hint_from_table(hint, R, pos)
    elif plans is not None:
        hint_arr = pattern_hint(cover, R, A_)
    prob = _problem(R, A_, cover, rq, hint_arr, before)
    search = solve_lns if method == "lns" else build_and_solve
    sol = search(prob, time_limit=max(deadline - time.perf_counter(), 0.1), num_workers=num_workers,
                 verbose=verbose, seed=seed, relative_gap=mip_gap, stop_at=stop_at)
    if sol.status == "infeasible" or (sol.assign is None and not allow_shortfall):
        raise ValueError(_diagnose(prob, cover, R, sol, deadline, float(time_limit), allow_shortfall))
    if sol.assign is None:
        raise ValueError(f"no roster found within {option('time_limit', float(time_limit))} s ({sol.message}); "
                         "raise it.")
    return make_roster(sol, prob, R, cover, rq, plans, requirement, break_plans, {
        "time_limit": float(time_limit), "allow_shortfall": allow_shortfall, "num_workers": int(num_workers),
        "seed": int(seed), "start": R["start"], "days": R["days"], "week_start": _WEEKDAYS[R["week_start"]].upper(),
        "week_start_inferred": inferred, "shifts": R["names"], "fairness": R["fairness"],
        "max_weekend_spread": R["max_weekend_spread"], "variables": sol.variables, "constraints": sol.constraints,
        "solve_seconds": sol.seconds, "build_seconds": sol.build_seconds, "solver_message": sol.message,
        "seconds": time.perf_counter() - t0, "warm_start": hint_arr is not None,
        "previous_days": 0 if before is None else int(before.shape[1])})


def _problem(R, A_, cover, rq, hint, before=None):
    """The checked :class:`~wfm.roster.model.Problem` of the read rules, agents, cover and requests."""
    return Problem(
        agents=A_["names"], days=R["days"], shift_names=R["names"],
        paid=np.array([s.paid for s in R["shifts"]], dtype=np.int64),
        late=np.array([bool(s.late) for s in R["shifts"]]),
        allowed=A_["allowed"], max_shifts=A_["max_shifts"], min_total=A_["min_total"], max_total=A_["max_total"],
        weeks=weeks_of(R["dates"], R["week_start"]), min_week=A_["min_week"], max_week=A_["max_week"],
        min_days_week=A_["min_days_week"], max_days_week=A_["max_days_week"], min_cons=A_["min_cons"],
        max_cons=A_["max_cons"], min_off=A_["min_off"], max_weekends=A_["max_weekends"],
        min_weekends=A_["min_weekends"], weekends=weekends_of(R["dates"], R["weekend"]),
        follow=A_["follow"], cover=cover, interval_cover=None, requests=rq, fairness=R["fairness"],
        max_weekend_spread=R["max_weekend_spread"], hint=hint, before=before)


def _shortfall(assign, cover):
    _A, _D = assign.shape
    n = np.array([(assign[:, d] == s).sum() for d, s in zip(cover["day"], cover["shift"])])
    return np.maximum(cover["required"] - n, 0) > 0


def _infeasible_agents(prob, cover, deadline):
    """Agents (at most 3) whose own rules admit no roster, each checked alone until ``deadline``."""
    bad = []
    for a in range(len(prob.agents)):
        left = deadline - time.perf_counter()
        if left < 0.1 or len(bad) >= 3:
            break
        one = dataclasses.replace(
            prob, agents=[prob.agents[a]], allowed=prob.allowed[a:a + 1], max_shifts=prob.max_shifts[a:a + 1],
            follow=prob.follow[a:a + 1], hint=None, max_weekend_spread=None,
            cover={k: val[:0] if isinstance(val, np.ndarray) else val for k, val in cover.items()},
            requests={k: val[:0] for k, val in prob.requests.items()}, fairness={k: 0.0 for k in prob.fairness},
            **{k: getattr(prob, k)[a:a + 1] for k in ("min_total", "max_total", "min_week", "max_week",
                                                       "min_days_week", "max_days_week", "min_cons", "max_cons",
                                                       "min_off", "max_weekends", "min_weekends")},
            before=None if prob.before is None else prob.before[a:a + 1])
        if build_and_solve(one, time_limit=min(5.0, left), num_workers=1).status == "infeasible":
            bad.append(prob.agents[a])
    return bad


def _diagnose(prob, cover, R, sol, deadline, time_limit, allow_shortfall):
    """Why no roster, in what is left of the time: an agent whose own rules are infeasible, else where the cover
    falls short; or, when the search neither found a roster nor proved there is none, that it ran out of time."""
    bad = _infeasible_agents(prob, cover, deadline)
    if bad:
        return (f"no roster meets the contract rules of agent {bad[0]!r}" + (f" (also {bad[1:]})" if bad[1:] else "")
                + " on its own: check its min/max paid hours, days per week, consecutive days and days off "
                "against the shift lengths and the horizon.")
    if sol.status != "infeasible":
        return (f"no roster found within {option('time_limit', time_limit)} s: the search neither found one nor "
                f"proved there is none ({sol.message}). Raise it, or pass {option('allow_shortfall', True)} for the "
                "best roster with the shortfall reported.")
    if allow_shortfall:
        return ("no roster meets the agents' rules together (e.g. rules['max_weekend_spread'] with the agents' "
                "max_working_weekends); relax them.")
    left = deadline - time.perf_counter()
    soft = dataclasses.replace(prob, cover=dict(cover, under=np.full(len(cover["day"]), 1000.0), hard=False), hint=None)
    res = build_and_solve(soft, time_limit=max(left, 0.5), num_workers=2)
    if res.assign is None:
        return f"no roster meets the agents' rules together; relax them or pass {option('allow_shortfall', True)}."
    short = _shortfall(res.assign, cover)
    where = [f"day {int(d)} ({R['dates'][int(d)]:%a %Y-%m-%d}) shift {R['names'][int(s)]!r}"
             for d, s in zip(cover["day"][short], cover["shift"][short])][:5]
    n = np.array([(res.assign[:, d] == s).sum() for d, s in zip(cover["day"], cover["shift"])])
    missing = int(np.maximum(cover["required"] - n, 0).sum())
    return (f"demand cannot be covered with these {len(prob.agents)} agents under their rules: the best roster found "
            f"is {missing} agent-shifts short at {int(short.sum())} of {short.size} day-shift covers, e.g. "
            + "; ".join(where) + f". Add agents, relax their rules, or pass {option('allow_shortfall', True)} for the "
            "roster with the shortfall reported.")
