"""
The tables a contact-centre manager reads: agents ranked with their
proficiency, teams, queues and channels, and one row per ticket.

Each report is :func:`wfm.kpis` over the whole log (``freq=None``) for one
grouping, plus what that grouping needs (the team's figures beside an
agent's, a ticket's own times). They take the same inputs and definitions
as :func:`wfm.kpis`.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .. import _validation as v
from ..logs import _parse as lp
from ..logs.contacts import read_contacts
from ..logs.schemas import CHANNELS, read_responses
from .kpi import kpis

__all__ = ["agent_report", "team_report", "queue_report", "ticket_report", "PROFICIENCY"]

#: Proficiency indices: (column, KPI, how the agent's value compares with the team's); 1 is as the team, > 1 better.
PROFICIENCY = (("aht_index", "aht", "team / agent"), ("fcr_index", "fcr", "agent / team"),
               ("qa_index", "qa", "agent / team"))


def agent_report(contacts, *, states=None, schedule=None, staff=None, roster=None, **definitions):
    r"""
    One row per agent, ranked by proficiency: the agent's KPIs against the team's.

    Proficiency compares an agent's AHT, FCR and QA with the team's (the
    whole centre without a staff list):

    .. math::

        \mathrm{aht\_index} = \frac{\mathrm{AHT}_{team}}{\mathrm{AHT}_{agent}},\quad
        \mathrm{fcr\_index} = \frac{\mathrm{FCR}_{agent}}{\mathrm{FCR}_{team}},\quad
        \mathrm{qa\_index} = \frac{\mathrm{QA}_{agent}}{\mathrm{QA}_{team}}

    and ``proficiency`` is the mean of the indices the data allows; 1 is
    as good as the team, above 1 better. Agents are ranked by it, 1 first.

    Parameters
    ----------
    contacts, states, schedule, staff, **definitions
        As for :func:`wfm.kpis`.

    Returns
    -------
    DataFrame
        ``rank``, ``agent``, ``team`` (with a staff list), ``proficiency``, the
        indices, ``team_aht``, ``team_fcr``, ``team_qa`` (those present),
        then every KPI of :func:`wfm.kpis` by agent. Contacts no agent
        handled are not an agent's: their count is in ``attrs["unhandled"]``.

    Examples
    --------
    >>> t = lambda s: pd.Timestamp("2024-01-01 09:00") + pd.Timedelta(seconds=s)
    >>> log = pd.DataFrame({"arrival": [t(0), t(60), t(120)], "answer": [t(5), t(65), t(125)],
    ...                     "handle": [300, 200, 100], "agent": ["ann", "bob", "bob"]})
    >>> agent_report(log)[["rank", "agent", "aht", "team_aht", "aht_index", "proficiency"]]
       rank agent    aht  team_aht  aht_index  proficiency
    0     1   bob  150.0     200.0   1.333333     1.333333
    1     2   ann  300.0     200.0   0.666667     0.666667
    """
    staff = v.renamed(staff, roster, "staff", "roster", "agent_report")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", lp.DataWarning)  # the same notes come again below
        if staff is not None:
            ref = kpis(contacts, states=states, schedule=schedule, staff=staff, freq=None, by="team",
                       **definitions).drop(columns="period")
        else:
            ref = kpis(contacts, states=states, schedule=schedule, freq=None, **definitions).drop(columns="period")
    by = ["agent", "team"] if staff is not None else "agent"
    k = kpis(contacts, states=states, schedule=schedule, staff=staff, freq=None, by=by, **definitions)
    k = k.drop(columns="period")
    unhandled = k["agent"].isna()
    n_unhandled = int(k.loc[unhandled, "contacts"].sum()) if "contacts" in k else 0
    k = k[~unhandled].reset_index(drop=True)
    present = [(col, kpi, how) for col, kpi, how in PROFICIENCY if kpi in k.columns]
    if staff is not None:
        team_vals = ref.set_index("team")
        refs = {kpi: k["team"].map(team_vals[kpi]).to_numpy(dtype=float) for _, kpi, _ in present}
    else:
        refs = {kpi: np.full(len(k), float(ref[kpi].iloc[0])) for _, kpi, _ in present}
    front = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        for col, kpi, how in present:
            agent_val = k[kpi].to_numpy(dtype=float)
            ratio = refs[kpi] / agent_val if how == "team / agent" else agent_val / refs[kpi]
            front[col] = np.where(np.isfinite(ratio), ratio, np.nan)
    indices = pd.DataFrame(front, index=k.index)
    proficiency = indices.mean(axis=1, skipna=True) if present else pd.Series(np.nan, index=k.index)
    out = k[["agent"] + (["team"] if "team" in k.columns else [])].copy()
    out["proficiency"] = proficiency.to_numpy()
    for col in indices.columns:
        out[col] = indices[col].to_numpy()
    for _, kpi, _ in present:
        out[f"team_{kpi}"] = refs[kpi]
    rest = k.drop(columns=[c for c in ("agent", "team") if c in k.columns])
    out = pd.concat([out, rest], axis=1)
    out.insert(0, "rank", out["proficiency"].rank(ascending=False, method="min", na_option="bottom").astype(int))
    out = out.sort_values(["rank", "agent"], kind="stable").reset_index(drop=True)
    out.attrs = dict(k.attrs, unhandled=n_unhandled)
    return out


def team_report(contacts, *, states=None, schedule=None, staff=None, roster=None, **definitions):
    """
    One row per team: every KPI over the whole log.

    Parameters
    ----------
    contacts, states, schedule, staff, **definitions
        As for :func:`wfm.kpis`; ``staff`` (the staff list) gives each agent's team (``roster=`` is its deprecated name).

    Returns
    -------
    DataFrame
        ``team`` and the KPIs of :func:`wfm.kpis` with ``by="team"``.
        Contacts no agent handled form a blank team.

    Examples
    --------
    >>> t = lambda s: pd.Timestamp("2024-01-01 09:00") + pd.Timedelta(seconds=s)
    >>> log = pd.DataFrame({"arrival": [t(0), t(60)], "answer": [t(5), t(95)], "handle": [300, 200],
    ...                     "agent": ["ann", "bob"]})
    >>> staff = pd.DataFrame({"agent": ["ann", "bob"], "team": ["North", "South"]})
    >>> team_report(log, staff=staff)[["team", "handled", "asa", "aht"]]
        team  handled   asa    aht
    0  North        1   5.0  300.0
    1  South        1  35.0  200.0
    """
    staff = v.renamed(staff, roster, "staff", "roster", "team_report")
    if staff is None:
        raise TypeError("team_report needs staff= (the staff list: agent, team; see wfm.evaluate.read_staff).")
    return kpis(contacts, states=states, schedule=schedule, staff=staff, freq=None, by="team",
                **definitions).drop(columns="period")


def queue_report(contacts, *, by=None, **definitions):
    """
    One row per queue and channel: every contact KPI over the whole log.

    Parameters
    ----------
    contacts : DataFrame or path
        Contact log (see :func:`wfm.evaluate.read_contacts`).
    by : str or list of str, optional
        Group columns; the ``queue`` and ``channel`` columns the log has when
        None.
    **definitions
        As for :func:`wfm.kpis`.

    Returns
    -------
    DataFrame
        The ``by`` columns and the contact KPIs.

    Examples
    --------
    >>> t = lambda s: pd.Timestamp("2024-01-01 09:00") + pd.Timedelta(seconds=s)
    >>> log = pd.DataFrame({"arrival": [t(0), t(60), t(90)], "answer": [t(5), t(95), pd.NaT],
    ...                     "queue": ["sales", "support", "support"]})
    >>> queue_report(log)[["queue", "channel", "offered", "abandon_rate"]]
         queue channel  offered  abandon_rate
    0    sales   voice        1           0.0
    1  support   voice        2           0.5
    """
    if by is None:
        frame = contacts if isinstance(contacts, pd.DataFrame) else read_contacts(
            contacts, channels=definitions.get("channels"))
        by = [c for c in ("queue",) if c in frame.columns] + ["channel"]
    return kpis(contacts, freq=None, by=by, **definitions).drop(columns="period")


def ticket_report(contacts, *, responses=None, channels=None, columns=None):
    """
    One row per ticket (deferred contact: e-mail, ticket): its times, responses and status.

    Parameters
    ----------
    contacts : DataFrame or path
        Contact log (see :func:`wfm.evaluate.read_contacts`); only deferred
        channels are reported.
    responses : DataFrame or path, optional
        One row per agent response (``contact``, ``time``); gives the
        response count, the first response when the log lacks it, and the
        mean time between responses.
    channels : dict, optional
        More channel names, as for :func:`wfm.kpis`.
    columns : dict, optional
        Column mapping of ``contacts`` (canonical -> yours).

    Returns
    -------
    DataFrame
        ``contact``, the ``queue``, ``channel``, ``customer``, ``agent`` and
        ``reason`` columns present, ``created``, ``first_response``,
        ``resolved``, ``first_response_time`` and ``resolution_time`` [s],
        ``responses``, ``response_time`` (mean time from the previous
        response, or creation, to each response) [s], ``status`` ("open",
        "responded" or "resolved"), and the survey scores present. Sorted by
        creation time.

    Examples
    --------
    T1 is answered after 2 h and again 21 h later: (7,200 + 75,600) / 2 s
    between responses.

    >>> log = pd.DataFrame({"contact": ["T1", "T2"], "channel": "email",
    ...                     "arrival": pd.to_datetime(["2024-01-01 09:00", "2024-01-01 10:00"]),
    ...                     "resolved": pd.to_datetime(["2024-01-02 09:00", None])})
    >>> replies = pd.DataFrame({"contact": ["T1", "T1"], "time": pd.to_datetime(["2024-01-01 11:00",
    ...                                                                          "2024-01-02 08:00"])})
    >>> ticket_report(log, responses=replies)[["contact", "first_response_time", "responses", "response_time",
    ...                                        "status"]]
      contact  first_response_time  responses  response_time    status
    0      T1               7200.0          2        41400.0  resolved
    1      T2                  NaN          0            NaN      open
    """
    c = read_contacts(contacts, columns, channels=channels)
    kinds = dict(CHANNELS, **{str(k).lower(): x for k, x in (channels or {}).items()})
    r = read_responses(responses, c) if responses is not None else None
    deferred = c["channel"].map(kinds).to_numpy() == "deferred"
    t = c[deferred].reset_index(drop=True)
    out = pd.DataFrame({"contact": t["contact"]})
    for col in ("queue", "channel", "customer", "agent", "reason"):
        if col in t.columns:
            out[col] = t[col].to_numpy()
    out["created"] = t["arrival"]
    first = t["first_response"] if "first_response" in t.columns else (
        t["answer"] if "answer" in t.columns else pd.Series(pd.NaT, index=t.index, dtype=t["arrival"].dtype))
    count = t["responses"].to_numpy(dtype=float) if "responses" in t.columns else np.zeros(len(t))
    mean_gap = np.full(len(t), np.nan)
    if r is not None:
        g = r.groupby("contact", sort=False)["time"]
        first = first.fillna(t["contact"].map(g.min()))
        prev = g.shift(1).fillna(r["contact"].map(pd.Series(c["arrival"].to_numpy(), index=c["contact"])))
        gaps = pd.Series((r["time"] - prev).dt.total_seconds().to_numpy(), index=r.index)
        per = gaps.groupby(r["contact"].to_numpy())
        count = t["contact"].map(per.size()).fillna(0).to_numpy(dtype=float)
        mean_gap = t["contact"].map(per.mean()).to_numpy(dtype=float)
    out["first_response"] = first.to_numpy()
    resolved = t["resolved"] if "resolved" in t.columns else pd.Series(pd.NaT, index=t.index,
                                                                       dtype=t["arrival"].dtype)
    out["resolved"] = resolved.to_numpy()
    out["first_response_time"] = (pd.Series(first.to_numpy()) - t["arrival"]).dt.total_seconds()
    out["resolution_time"] = (pd.Series(resolved.to_numpy()) - t["arrival"]).dt.total_seconds()
    out["responses"] = count.astype(np.int64)
    out["response_time"] = mean_gap
    out["status"] = np.where(resolved.notna(), "resolved", np.where(first.notna(), "responded", "open"))
    for col in ("csat", "nps", "ces", "sentiment", "qa"):
        if col in t.columns:
            out[col] = t[col].to_numpy()
    return out.sort_values("created", kind="stable").reset_index(drop=True)
