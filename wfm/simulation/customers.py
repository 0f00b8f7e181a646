r"""
Customer-side fields of simulated contacts: who called, why, whether it was
resolved, and what they said about it.

:func:`wfm.simulate` plays the queue out and logs arrival, answer or abandon,
wait, handle time and agent. :func:`add_customer_fields` adds, with its own
seeded random streams, the fields a contact centre's KPIs also need, so that
the whole catalogue of :func:`wfm.kpis` can be shown on realistic data:
customer ids with repeat contacts (first-contact resolution), reason codes,
transfers and escalations, complaints, the split of handle time into talk,
hold and after-contact work, and survey answers (CSAT, NPS, CES), a
sentiment score and QA evaluations that depend on the wait, on resolution
and on the agent.

Every field is synthetic: KPIs computed from them describe the model, not a
centre; pass ``basis="simulated"`` to :func:`wfm.kpis` so that every output
says so.

The model (every rate is an argument; defaults in brackets)
-----------------------------------------------------------
* **Agents** have a skill z ~ N(0, 1), fixed per agent label.
* **Transfers and escalations**: each answered contact is transferred with
  probability ``transfer_rate`` [0.08] and escalated with probability
  ``escalation_rate`` [0.05], independently.
* **Resolution**: an answered contact is left unresolved with probability
  ``min(0.95, (unresolved_rate + 0.15 transferred + 0.25 escalated) *
  exp(-skill_effect z))`` [0.15, 0.3].
* **Repeat contacts**: an unresolved contact's customer contacts again after
  an exponential delay with mean ``repeat_delay`` [86,400 s, one day]; an
  abandoned caller tries again with probability ``retry_rate`` [0.6] after an
  exponential delay with mean ``retry_delay`` [600 s]. The repeat is the
  first contact of the log arriving after that delay that is not already a
  repeat (repeats aimed at one contact, such as the first after a closed
  night, take the next ones in turn); when none is left the repeat falls
  outside the log. A repeat
  keeps the customer and the reason of the contact it repeats. Every other
  contact is a first contact: a new customer, or, with ``customers`` = N, a
  customer drawn uniformly from N (so some customers call again by chance).
* **Reasons** of first contacts are drawn from ``reasons`` [:data:`REASONS`].
* **Complaints**: probability ``complaint_rate * (1 + wait / 120 s) * (2 if
  the contact repeats an unresolved one)`` [0.02], capped at 0.9. The
  category is ``wait_time`` when the wait exceeded 120 s, else follows the
  reason (:data:`COMPLAINT_CATEGORIES`).
* **Handle time split**: after-contact work is a Beta(2, 8) share of the
  handle time (mean 20 %); a ``hold_rate`` [0.3] share of contacts has a
  Beta(1, 9) share on hold; talk is the rest. ``talk + hold + acw`` equals
  the simulated handle time.
* **Experience**: a latent score L = 1 - 0.5 min(wait / 60 s, 4) - 1.2
  unresolved - 0.4 transferred - 0.5 escalated + 0.3 z + N(0, 0.8).
  A ``survey_rate`` [0.25] share of answered contacts answers the survey:
  CSAT (1-5) cuts L at -1.5, -0.7, 0, 0.7; NPS (0-10) is round(7.5 + 1.6 L +
  N(0, 1)) clipped; CES (1-7, 7 easiest) is round(5 + L + N(0, 0.8))
  clipped. Every answered contact gets a sentiment tanh(0.8 L + N(0, 0.3)) in
  (-1, 1). A ``qa_rate`` [0.05] share is QA-evaluated: round(80 + 8 z + N(0,
  8)) clipped to 0-100.

Replications (a ``replication`` column) are treated as separate worlds: repeats
never link contacts of two replications. The same seed gives the same fields.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _validation as v

__all__ = ["add_customer_fields", "REASONS", "COMPLAINT_CATEGORIES"]

#: Reason codes of first contacts and their probabilities.
REASONS = {"billing": 0.28, "technical": 0.22, "account": 0.16, "order_status": 0.14, "product_info": 0.10,
           "cancellation": 0.05, "other": 0.05}
#: Complaint category by reason (``wait_time`` when the wait exceeded 120 s).
COMPLAINT_CATEGORIES = {"billing": "billing", "technical": "product", "product_info": "product",
                        "account": "service", "order_status": "service", "cancellation": "service",
                        "other": "service"}

_REQUIRED = ["arrival", "answered", "abandoned", "wait", "handle", "agent"]


def _rate(value, name):
    arr = v.as_float_array(value, name)
    if arr.ndim:
        raise TypeError(f"{name} must be one number; got an array.")
    return float(v.check_fraction(arr, name, closed_low=True))


def _positive(value, name, unit):
    arr = v.as_float_array(value, name)
    if arr.ndim:
        raise TypeError(f"{name} must be one number; got an array.")
    return float(v.check_positive(arr, name, unit))


def add_customer_fields(contacts, *, seed, customers=None, reasons=None, transfer_rate=0.08,
                        escalation_rate=0.05, unresolved_rate=0.15, skill_effect=0.3, repeat_delay=86400.0,
                        retry_rate=0.6, retry_delay=600.0, complaint_rate=0.02, hold_rate=0.3, survey_rate=0.25,
                        qa_rate=0.05):
    """
    Add seeded customer-side fields to a simulated contact log.

    See the module docstring for the model and every probability.

    Parameters
    ----------
    contacts : DataFrame
        ``Simulation.contacts`` or any log with ``arrival``, ``answered``,
        ``abandoned``, ``wait`` [s], ``handle`` [s] and ``agent``
        (optionally ``replication``).
    seed : int
        Seed of every draw; the same seed gives the same fields.
    customers : int, optional
        Size of the customer base first contacts draw from; None gives every
        first contact a new customer.
    reasons : dict, optional
        Reason code -> probability of a first contact (summing to 1);
        :data:`REASONS` when None.
    transfer_rate, escalation_rate : float
        Probability that an answered contact is transferred / escalated. [0-1]
    unresolved_rate : float
        Base probability that an answered contact is not resolved. [0-1]
    skill_effect : float
        How much one standard deviation of agent skill scales the odds of
        leaving a contact unresolved: ``exp(-skill_effect z)``. [-]
    repeat_delay : float
        Mean delay before an unresolved customer contacts again. [s]
    retry_rate : float
        Probability that an abandoned caller tries again. [0-1]
    retry_delay : float
        Mean delay before an abandoned caller tries again. [s]
    complaint_rate : float
        Base probability that a contact is a complaint. [0-1]
    hold_rate : float
        Share of answered contacts with hold time. [0-1]
    survey_rate : float
        Share of answered contacts that answer the CSAT, NPS and CES survey.
        [0-1]
    qa_rate : float
        Share of answered contacts given a QA evaluation. [0-1]

    Returns
    -------
    DataFrame
        A copy of ``contacts`` with ``channel`` ("voice" when absent),
        ``customer`` (int), ``reason``, ``transferred``, ``escalated``,
        ``resolved_first`` (the model's truth: not repeated because
        unresolved), ``repeat_of`` (row of the contact it repeats, -1 for a
        first contact), ``complaint``, ``complaint_category`` (None unless a
        complaint), ``talk``, ``hold``, ``acw`` [s], ``csat``, ``nps``,
        ``ces``, ``sentiment`` and ``qa`` (NaN where not answered or not
        surveyed).

    Raises
    ------
    ValueError
        For a missing column, a rate outside [0, 1], a delay <= 0 or reason
        probabilities that do not sum to 1, naming the argument.

    Examples
    --------
    >>> from wfm.simulation import simulate
    >>> idx = pd.date_range("2024-01-01 08:00", periods=16, freq="30min")
    >>> sim = simulate(pd.Series(60.0, index=idx), 180, 8, patience=120, seed=1)
    >>> full = add_customer_fields(sim.contacts, seed=1)
    >>> full[["customer", "reason", "talk", "hold", "acw", "csat"]].columns.tolist()
    ['customer', 'reason', 'talk', 'hold', 'acw', 'csat']
    >>> bool(np.allclose(full["talk"] + full["hold"] + full["acw"], full["handle"]))
    True
    """
    v.check_frame_columns(contacts, "contacts", _REQUIRED, hint="Pass Simulation.contacts.")
    rates = {name: _rate(val, name) for name, val in dict(
        transfer_rate=transfer_rate, escalation_rate=escalation_rate, unresolved_rate=unresolved_rate,
        retry_rate=retry_rate, complaint_rate=complaint_rate, hold_rate=hold_rate, survey_rate=survey_rate,
        qa_rate=qa_rate).items()}
    repeat_delay = _positive(repeat_delay, "repeat_delay", "seconds")
    retry_delay = _positive(retry_delay, "retry_delay", "seconds")
    skill_effect = float(v.as_float_array(skill_effect, "skill_effect"))
    reasons = dict(REASONS if reasons is None else reasons)
    p_reason = v.as_float_array(list(reasons.values()), "reasons")
    v.check_fraction(p_reason, "reasons", closed_low=True)
    if not np.isclose(p_reason.sum(), 1.0):
        raise ValueError(f"reasons must be probabilities summing to 1; got a sum of {p_reason.sum():g}.")
    if customers is not None:
        customers = v.check_count(customers, "customers", minimum=1)
    if seed is None:
        raise TypeError("seed is required (an int): the same seed gives the same fields.")
    seed = v.check_count(seed, "seed", minimum=0)

    out = contacts.reset_index(drop=True).copy()
    n = len(out)
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence([seed, 9161]).spawn(8)]
    r_skill, r_flags, r_link, r_reason, r_complaint, r_split, r_survey, r_qa = streams

    answered = out["answered"].to_numpy(dtype=bool)
    abandoned = out["abandoned"].to_numpy(dtype=bool)
    wait = np.nan_to_num(out["wait"].to_numpy(dtype=float))
    handle = np.nan_to_num(out["handle"].to_numpy(dtype=float))
    arrival = pd.DatetimeIndex(out["arrival"]).as_unit("ns").asi8

    # agent skill, one per label (sorted labels, so the draw does not depend on row order)
    agents = out["agent"]
    labels = pd.Index(pd.unique(agents.dropna())).sort_values()
    skill_of = pd.Series(r_skill.standard_normal(len(labels)), index=labels)
    z = agents.map(skill_of).to_numpy(dtype=float, na_value=0.0)

    u = r_flags.random((3, n))
    transferred = answered & (u[0] < rates["transfer_rate"])
    escalated = answered & (u[1] < rates["escalation_rate"])
    p_unres = np.minimum(0.95, (rates["unresolved_rate"] + 0.15 * transferred + 0.25 * escalated)
                         * np.exp(-skill_effect * z))
    unresolved = answered & (u[2] < p_unres)
    retry = abandoned & (r_link.random(n) < rates["retry_rate"])
    delay = np.where(unresolved, repeat_delay, retry_delay) * r_link.standard_exponential(n)
    source = unresolved | retry

    reps = out["replication"].to_numpy() if "replication" in out.columns else np.zeros(n, dtype=np.int64)
    parent = _repeat_parents(arrival, reps, source, delay)
    root, customer = _customer_ids(parent, customers, r_link)

    codes = list(reasons)
    reason_code = r_reason.choice(len(codes), size=n, p=p_reason / p_reason.sum())
    reason = np.asarray(codes, dtype=object)[reason_code[root]]

    repeats_unresolved = (parent >= 0) & unresolved[np.maximum(parent, 0)]
    p_complaint = np.minimum(0.9, rates["complaint_rate"] * (1 + wait / 120) * np.where(repeats_unresolved, 2, 1))
    complaint = r_complaint.random(n) < p_complaint
    category = np.where(wait > 120, "wait_time",
                        pd.Series(reason).map({**COMPLAINT_CATEGORIES, **{r: "service" for r in codes
                                                                           if r not in COMPLAINT_CATEGORIES}}))
    category = np.where(complaint, category, None).astype(object)

    acw = handle * r_split.beta(2, 8, n)
    hold = np.where(r_split.random(n) < rates["hold_rate"], (handle - acw) * r_split.beta(1, 9, n), 0.0)
    talk = handle - acw - hold

    latent = (1.0 - 0.5 * np.minimum(wait / 60, 4) - 1.2 * unresolved - 0.4 * transferred - 0.5 * escalated
              + 0.3 * z + r_survey.normal(0, 0.8, n))
    surveyed = answered & (r_survey.random(n) < rates["survey_rate"])
    csat, nps, ces, sentiment = _survey_scores(latent, r_survey)
    evaluated = answered & (r_qa.random(n) < rates["qa_rate"])
    qa = np.clip(np.round(80 + 8 * z + r_qa.normal(0, 8, n)), 0, 100)

    if "channel" not in out.columns:
        out["channel"] = "voice"
    out["customer"] = customer
    out["reason"] = reason
    out["transferred"] = transferred
    out["escalated"] = escalated
    out["resolved_first"] = answered & ~unresolved
    out["repeat_of"] = parent
    out["complaint"] = complaint
    out["complaint_category"] = category
    out["talk"] = np.where(answered, talk, 0.0)
    out["hold"] = np.where(answered, hold, 0.0)
    out["acw"] = np.where(answered, acw, 0.0)
    out["csat"] = np.where(surveyed, csat, np.nan)
    out["nps"] = np.where(surveyed, nps, np.nan)
    out["ces"] = np.where(surveyed, ces, np.nan)
    out["sentiment"] = np.where(answered, sentiment, np.nan)
    out["qa"] = np.where(evaluated, qa, np.nan)
    return out


def _repeat_parents(arrival, reps, source, delay):
    """Row of the contact each contact repeats (-1 for a first contact), within each replication.

    A contact of ``source`` (unresolved, or an abandoned caller who tries
    again) comes back ``delay`` seconds later as the first contact arriving
    then; ``arrival`` in nanoseconds.
    """
    parent = np.full(arrival.size, -1, dtype=np.int64)
    for rep in pd.unique(reps):  # replications are separate worlds; a handful of them
        rows = np.flatnonzero(reps == rep)
        order = rows[np.argsort(arrival[rows], kind="stable")]
        t = arrival[order]
        src = np.flatnonzero(source[order])
        target = np.searchsorted(t, t[src] + np.round(delay[order][src] * 1e9).astype(np.int64), side="left")
        inside = target < order.size
        src, target = src[inside], target[inside]
        # a contact repeats at most one earlier contact: repeats aimed at the same contact (say, the first
        # of the morning after a closed night) take the next ones, in order of the time they were aimed at
        by_time = np.lexsort((src, target))
        src, target = src[by_time], target[by_time]
        rank = np.arange(target.size)
        target = np.maximum.accumulate(target - rank) + rank if target.size else target
        inside = target < order.size
        parent[order[target[inside]]] = order[src[inside]]
    return parent


def _customer_ids(parent, customers, rng):
    """``(root, customer)``: the first contact of each chain of repeats, and the customer id of each row.

    First contacts get new ids (``customers`` None) or ids drawn from a base
    of ``customers``; a repeat has the customer of its chain's first contact.
    """
    n = parent.size
    root = np.where(parent >= 0, parent, np.arange(n))
    for _ in range(64):  # pointer jumping: chains of repeats share the customer of their first contact
        nxt = root[root]
        if np.array_equal(nxt, root):
            break
        root = nxt
    first_rows = np.flatnonzero(parent < 0)
    ids = np.empty(n, dtype=np.int64)
    if customers is None:
        ids[first_rows] = np.arange(first_rows.size)
    else:
        ids[first_rows] = rng.integers(0, customers, first_rows.size)
    return root, ids[root]


def _survey_scores(latent, rng):
    """CSAT (1-5), NPS (0-10), CES (1-7) and sentiment (-1, 1) from each contact's latent satisfaction."""
    n = latent.size
    csat = 1.0 + np.searchsorted(np.array([-1.5, -0.7, 0.0, 0.7]), latent, side="right")
    nps = np.clip(np.round(7.5 + 1.6 * latent + rng.normal(0, 1, n)), 0, 10)
    ces = np.clip(np.round(5 + latent + rng.normal(0, 0.8, n)), 1, 7)
    sentiment = np.tanh(0.8 * latent + rng.normal(0, 0.3, n))
    return csat, nps, ces, sentiment
