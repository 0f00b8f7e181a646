"""
A multi-skill centre from its contact log: which agents answered which call
types (the skill structure), and each type's volumes, handle times and
patience through :func:`wfm.interval_history`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import _validation as v
from .._results import Result
from ..logs import PlausibilityWarning, interval_history, read_contacts
from ..logs.intervals import patience_text
from .model import centre as make_centre

__all__ = ["skills_from_log", "LogSkills"]


def skills_from_log(contacts, freq="30min", *, type_column="queue", min_share=0.0, min_agents=1, threshold=20,
                    calendar=None, **read_options):
    """
    Skill structure and per-type histories of a contact log.

    An agent holds a skill when it answered calls of that type (at least
    ``min_share`` of its answered calls); agents with the same skill set
    form a group, its skills ordered by the calls the group answered of
    each (most first). Each type's history is
    :func:`wfm.interval_history` of its rows on the calendar of the whole
    log, so every type has the same intervals. Every call type of the log
    is kept, also one no agent answered (an unstaffed queue): its demand is
    in the histories, no group holds it, and :meth:`LogSkills.centre` asks
    for a group to answer it.

    Parameters
    ----------
    contacts : DataFrame or path
        A contact log (:func:`wfm.read_contacts`; ``read_options`` are
        passed on when it needs reading) with a call-type column and an
        ``agent`` column.
    freq : str or float
        Interval length, e.g. ``"30min"``. [s]
    type_column : str
        Column holding the call type (the canonical ``queue``).
    min_share : float
        Share of an agent's answered calls below which a type is not counted
        as its skill (0 counts every type it answered once). [0-1]
    min_agents : int
        A skill set held by fewer agents joins the largest group whose
        skills include it (an agent who never got a call of one of its
        skills in the log looks like a smaller set); kept when none does.
    threshold : float
        Answer-time target of the histories' service level. [s]
    calendar : DatetimeIndex or OpenCalendar, optional
        The open intervals; inferred from the whole log when None.

    Returns
    -------
    LogSkills

    Raises
    ------
    ValueError
        When the type or agent column is missing, or no call was answered;
        when ``calendar`` is on another clock or grid than the log and
        ``freq`` (see :func:`wfm.interval_history`).

    Warns
    -----
    PlausibilityWarning
        For a call type no agent holds, naming it and its calls offered.

    Examples
    --------
    A simulated log gives back the simulated structure:

    >>> from wfm.simulation import simulate_multiskill
    >>> idx = pd.date_range("2024-01-01 08:00", periods=4, freq="30min")
    >>> calls = pd.DataFrame({"service": 100.0, "sales": 40.0}, index=idx)
    >>> sim = simulate_multiskill(calls, {"svc": 12, "sal": 7, "both": 3},
    ...     {"svc": ["service"], "sal": ["sales"], "both": ["sales", "service"]},
    ...     aht={"service": 180, "sales": 300}, patience=200, seed=1, log=True)
    >>> found = skills_from_log(sim.contacts, "30min", calendar=idx)
    >>> found.groups["skills"].tolist()
    [('service',), ('sales',), ('service', 'sales')]
    """
    log = contacts if isinstance(contacts, pd.DataFrame) and "answered" in contacts else \
        read_contacts(contacts, **read_options)
    for col in (type_column, "agent"):
        if col not in log.columns:
            raise ValueError(f"the contact log has no {col!r} column; skills_from_log needs the call type "
                             f"(type_column={type_column!r}) and the agent who answered. Columns: {list(log.columns)}.")
    if "replication" in log.columns and log["replication"].nunique() > 1:
        raise ValueError("the contact log holds several replications; pass one, e.g. log[log.replication == 0].")
    v.check_fraction(v.as_float_array(min_share, "min_share"), "min_share", closed_low=True, closed_high=False)
    answered = log[log["answered"].astype(bool) & log["agent"].notna()]
    if answered.empty:
        raise ValueError("no answered call with an agent in the contact log: no skill can be read from it.")
    counts = pd.crosstab(answered["agent"], answered[type_column])
    share = counts.div(counts.sum(axis=1), axis=0)
    holds = (counts > 0) & (share >= min_share)
    offered = log[type_column].dropna().value_counts()  # every type of the log, answered or not
    types = [t for t in counts.sum().sort_values(ascending=False).index]
    types += [t for t in offered.index if t not in counts.columns]
    counts, holds = counts.reindex(columns=types, fill_value=0), holds.reindex(columns=types, fill_value=False)
    sets = holds.apply(lambda row: tuple(t for t in types if row[t]), axis=1)
    sets = _merge_small(sets, v.check_count(min_agents, "min_agents", minimum=1))
    groups = []
    for key, members in sets.groupby(sets, sort=False):
        if not key:
            continue
        volume = counts.loc[members.index, list(key)].sum().sort_values(ascending=False)
        groups.append({"group": "+".join(volume.index), "skills": tuple(volume.index), "agents": len(members),
                       "calls": int(volume.sum())})
    group_table = pd.DataFrame(groups).sort_values(["calls"], ascending=False).set_index("group")
    held = {t for key in group_table["skills"] for t in key}
    unheld = {t: (int(offered[t]), int(counts[t].sum())) for t in types if t not in held}
    if unheld:
        warnings.warn(_unheld_text(unheld, min_share) + " Its demand is in calls() and volumes(); centre() asks for "
                      "a group to answer it.", PlausibilityWarning, stacklevel=2)
    whole = interval_history(log, freq, threshold=threshold, calendar=calendar)
    idx = whole.table.index
    histories = {t: interval_history(log[log[type_column] == t], freq, threshold=threshold, calendar=idx)
                 for t in types}
    return LogSkills(table=counts.rename_axis(index="agent", columns="type"), groups=group_table,
                     histories=histories, params=dict(freq=freq, type_column=type_column, min_share=float(min_share),
                                                      threshold=float(threshold), types=types,
                                                      unheld={t: n for t, (n, _) in unheld.items()}))


def _unheld_text(unheld, min_share):
    """Why each call type no group holds has none: none of its calls answered, or too few for ``min_share``."""
    parts = [f"{t!r}: {n:,} calls offered, " + ("none answered" if not a else
                                                f"{a:,} answered, under min_share={min_share:g} of every agent's calls")
             for t, (n, a) in unheld.items()]
    return ("no agent in the log holds the skill of call type(s) " + "; ".join(parts) + ".")


def _merge_small(sets, min_agents):
    """Agents of a skill set held by fewer than ``min_agents`` go to the largest group holding all their skills."""
    size = sets.value_counts()
    big = [k for k in size.index if size[k] >= min_agents]
    out = sets.copy()
    for key in size.index:
        if size[key] >= min_agents:
            continue
        hosts = [k for k in big if set(key) <= set(k)]
        if hosts:
            out[sets == key] = [max(hosts, key=lambda k: size[k])] * int(size[key])
    return out


@dataclass(frozen=True, repr=False)
class LogSkills(Result):
    """
    Skill structure and per-type histories read from a contact log (built by :func:`skills_from_log`).

    Attributes
    ----------
    table : DataFrame
        Calls answered per agent (rows) and call type (columns).
    groups : DataFrame
        One row per group of agents with the same skill set: ``skills``
        (tuple, most-answered first), ``agents`` (how many), ``calls``
        (answered by them).
    histories : dict
        Call type -> :class:`wfm.logs.IntervalHistory` on the log's calendar.
    params : dict
        The arguments that built it.
    """

    table: pd.DataFrame
    groups: pd.DataFrame
    histories: dict
    params: dict = field(default_factory=dict)

    def calls(self):
        """Calls offered per interval (rows) and type (columns). [calls per interval]"""
        return pd.DataFrame({t: h.table["calls"] for t, h in self.histories.items()})

    def volumes(self):
        """Per type over the log: ``calls`` (offered), ``answered``, ``aht`` [s], ``service_level``, ``abandon_rate``, ``patience`` [s]."""
        rows = {}
        for t, h in self.histories.items():
            tab = h.table
            answered = tab["answered"].sum()
            pat = h.patience.loc["all", "patience"] if "all" in h.patience.index else np.nan
            rows[t] = {"calls": tab["calls"].sum(), "answered": answered, "aht": tab["handle_time"].sum() / answered if answered else np.nan,
                       "service_level": tab["answered_within"].sum() / tab["calls"].sum(),
                       "abandon_rate": tab["abandoned"].sum() / tab["calls"].sum(), "patience": pat}
        return pd.DataFrame.from_dict(rows, orient="index").rename_axis("type")

    def skills(self):
        """The log's skill structure as :func:`wfm.skills.centre` takes it: group -> its call types (most answered
        first)."""
        return {g: list(row["skills"]) for g, row in self.groups.iterrows()}

    def centre(self, *, targets=None, cost=None, calls=None, patience="log", skills=None, aht=None):
        """
        A :class:`wfm.skills.Centre` with the log's skill structure.

        Parameters
        ----------
        targets, cost
            As in :func:`wfm.skills.centre`.
        calls : DataFrame, optional
            Expected calls per interval and type (e.g. a forecast); the
            log's offered calls by default. A type left out of it is left
            out of the centre.
        patience : {"log", None}
            Each type's patience estimated from the log (none for a type no
            caller of which hung up), or none. A type whose abandons have no
            wait (no abandon or end time) has no estimate: an error.
        skills : dict, optional
            Group -> call types, as in :func:`wfm.skills.centre`; the log's
            (:meth:`skills`) by default. A call type no agent answered in the
            log has no group there: add it to one, e.g.
            ``skills={**found.skills(), "premium": ["premium"]}``.
        aht : dict, optional
            Call type -> mean handle time [s], replacing the log's; needed
            for a type none of whose calls was answered (the log has no
            handle time for it).

        Raises
        ------
        ValueError
            For a call type of ``calls`` that no group holds or that has no
            handle time, naming it, its calls in the log and the fix; and
            for a patience the log cannot estimate.
        """
        vol = self.volumes()
        expected = self.calls() if calls is None else calls
        types = [t for t in expected.columns if t in vol.index]
        skills = self.skills() if skills is None else skills
        held = {t for s in skills.values() for t in s}
        unheld = [t for t in expected.columns if t not in held]
        if unheld:
            t = unheld[0]
            none = t in vol.index and vol.loc[t, "answered"] == 0
            seen = (f"{vol.loc[t, 'calls']:,.0f} calls offered in the log" + (", none answered" if none else "")
                    if t in vol.index else "not in the log")
            example = f"skills={{**found.skills(), {str(t) + '_team'!r}: [{t!r}]}}" + (f", aht={{{t!r}: 300}}"
                                                                                      if none else "")
            raise ValueError(f"no group holds the call type {t!r} ({seen}), so its demand cannot be staffed. Add it "
                             f"to a group (a new one, or an existing group's list): found.centre({example}, ...)"
                             + (" with its handle time in seconds, which the log cannot give" if none else "")
                             + f"; or leave its demand out knowingly: found.centre(calls=found.calls().drop("
                             f"columns=[{t!r}]), ...).")
        handle = vol["aht"].reindex(types).to_dict()
        handle.update(aht or {})
        missing = [t for t in expected.columns if not np.isfinite(handle.get(t, np.nan))]
        if missing:
            raise ValueError(f"the call type {missing[0]!r} has no handle time: none of its calls was answered in the "
                             f"log. Give it in seconds, e.g. aht={{{missing[0]!r}: 300}}.")
        unknown = [t for t in types if "all" in self.histories[t].patience.index
                   and np.isnan(self.histories[t].patience.loc["all", "patience"])
                   and self.histories[t].patience.loc["all", "abandoned_no_wait"] > 0]
        if patience is not None and unknown:
            raise ValueError(f"the patience of call type(s) {unknown} cannot be estimated from the log: "
                             + "; ".join(patience_text(self.histories[t].patience.loc["all"], label=str(t))
                                         for t in unknown[:3])
                             + ". Or pass patience=None to size with no abandonment (Erlang C).")
        pat = None if patience is None else {t: (float(p) if np.isfinite(p) else None)
                                             for t, p in vol["patience"].reindex(types).items()}
        return make_centre(expected.astype(float), skills, aht=handle, patience=pat, targets=targets, cost=cost)

    def figures(self):
        """Plain numbers: ``agents``, ``groups``, ``types`` (every type of the log), ``calls`` (answered),
        ``multi_skilled`` (share of agents with two or more skills) and ``types_without_group`` (types no agent
        holds, e.g. none of their calls answered)."""
        skills = (self.table > 0).sum(axis=1)
        return {"agents": int(len(self.table)), "groups": int(len(self.groups)), "types": int(self.table.shape[1]),
                "calls": int(self.table.to_numpy().sum()), "multi_skilled": float((skills >= 2).mean()),
                "types_without_group": len(self.params.get("unheld", {}))}

    def summary(self):
        """The groups with their skills, agents and calls."""
        return self.groups.assign(skills=self.groups["skills"].map(", ".join))

    def plot(self, ax=None, **kwargs):
        """Calls answered per group and type (stacked bars); returns the Axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(9, 4))
        agent_group = {}
        for g, row in self.groups.iterrows():
            for a in self.table.index[(self.table[list(row["skills"])] > 0).all(axis=1)
                                      & ((self.table > 0).sum(axis=1) == len(row["skills"]))]:
                agent_group[a] = g
        by_group = self.table.groupby(pd.Series(agent_group).reindex(self.table.index)).sum()
        by_group.plot.bar(stacked=True, ax=ax, **kwargs)
        ax.set_xlabel("agent group (bars stacked by call type)")
        ax.set_ylabel("calls answered")
        ax.set_title("Calls answered per agent group and call type")
        return ax

    def __repr__(self):
        f = self.figures()
        unheld = self.params.get("unheld", {})
        note = ("\nno group holds: " + ", ".join(f"{t} ({n:,} calls offered)" for t, n in unheld.items())
                if unheld else "")
        return (f"LogSkills: {f['agents']} agents in {f['groups']} groups, {f['types']} call types, {f['calls']} calls "
                f"answered\n{self.summary().to_string()}{note}")

    def _repr_html_(self):
        return (f"<h4>Skills from a log: {self.figures()['agents']} agents in {len(self.groups)} groups</h4>"
                + self.summary().to_html() + self.volumes().to_html(float_format=lambda x: f"{x:,.3g}"))
