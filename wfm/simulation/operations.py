"""
The logs of a simulated run of a plan: what an ACD and a WFM tool would have recorded.

:func:`simulate_logs` plays a staffing plan out once (under its schedule's
shifts and breaks when there is one), adds the customer-side fields of
:func:`wfm.simulation.customers.add_customer_fields`, and returns the contact
log, the agent-state log and the planned activities: the three logs
:func:`wfm.kpis` and :func:`wfm.adherence` read. Everything in them is
simulated.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .._results import Result
from .customers import add_customer_fields
from .schedules import activity_log
from .verify import plan_queue

__all__ = ["SimulatedLogs", "simulate_logs"]


@dataclass(frozen=True)
class SimulatedLogs(Result):
    """
    Logs of one simulated run, built by :func:`simulate_logs`.

    Attributes
    ----------
    contacts : DataFrame
        One row per contact, with customer-side fields (simulated).
    agent_states : DataFrame
        One row per agent-state spell.
    schedule : DataFrame or None
        The planned activities (``agent``, ``activity``, ``start``, ``end``)
        when the run followed a schedule.
    params : dict
        The arguments of the run.
    """

    contacts: pd.DataFrame
    agent_states: pd.DataFrame
    schedule: pd.DataFrame | None
    params: dict

    TITLE = "Simulated logs (synthetic)"

    @property
    def table(self):
        """The contact log (:attr:`contacts`)."""
        return self.contacts

    def figures(self):
        """Counts in the logs: ``contacts``, ``answered``, ``abandoned``, ``agents``, ``state_spells``."""
        c = self.contacts
        return {"contacts": int(len(c)), "answered": int(c["answered"].sum()), "abandoned": int(c["abandoned"].sum()),
                "agents": int(self.agent_states["agent"].nunique()), "state_spells": int(len(self.agent_states))}

    def sheets(self):
        out = {"contacts": self.contacts, "agent_states": self.agent_states}
        return out if self.schedule is None else {**out, "schedule": self.schedule}

    def plot(self, ax=None, **kwargs):
        """Contacts per interval of arrival, answered and abandoned stacked; returns the Axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(11, 4))
        counts = self.contacts.groupby("interval")[["answered", "abandoned"]].sum()
        x = range(len(counts))
        ax.bar(x, counts["answered"], width=1.0, color="C0", label="answered", **kwargs)
        ax.bar(x, counts["abandoned"], bottom=counts["answered"], width=1.0, color="C3", label="abandoned")
        ax.set_xlabel("interval (in order)")
        ax.set_ylabel("contacts per interval")
        ax.set_title("Simulated contact log (synthetic)")
        ax.legend(fontsize="small", frameon=False)
        return ax


def simulate_logs(plan, schedule=None, *, patience="plan", handle_cv=1.0, seed, threshold=None,
                  sl_definition=None, customers=True):
    """
    Simulate a plan once and return the contact, agent-state and schedule logs.

    Parameters
    ----------
    plan : StaffingPlan
        Its ``calls``, ``aht`` and (without a schedule) ``agents`` per interval.
    schedule : SchedulePlan, optional
        Shifts with breaks to staff the queue with, instead of the plan's
        agents per interval; the planned activities are returned with it.
    patience : float, optional
        Mean patience (Erlang A); None: callers never hang up. [s]
    handle_cv : float
        Coefficient of variation of handle times (1: exponential).
    seed : int
        Seed of the run (required: the logs must be reproducible).
    threshold : float, optional
        Answer-time target of the service level; the plan's when None (20 s
        if it has none). [s]
    sl_definition : str, optional
        As in :func:`wfm.simulate`; the plan's when None.
    customers : bool
        Add the seeded customer-side fields (repeat contacts, transfers,
        surveys) so FCR, CSAT and NPS have data.

    Returns
    -------
    SimulatedLogs
        Its ``contacts`` carry ``attrs["basis"] = "simulated"``, which
        :func:`wfm.kpis` reads (``wfm.kpis(logs)`` takes the whole object).

    Examples
    --------
    >>> import wfm
    >>> idx = pd.date_range("2024-01-01 08:00", periods=4, freq="30min")
    >>> plan = wfm.staffing_plan(pd.Series(40.0, index=idx), aht=240)
    >>> logs = simulate_logs(plan, seed=3)
    >>> bool((logs.contacts["answered"] | logs.contacts["abandoned"]).all()), logs.schedule is None
    (True, True)
    """
    from . import simulate

    if seed is None or isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, so the simulated logs can be reproduced; got {seed!r}.")
    tab, q = plan_queue(plan, patience=patience, threshold=threshold, sl_definition=sl_definition)
    patience, threshold, sl_definition = q["patience"], q["threshold"], q["sl_definition"]
    agents = tab["agents"] if schedule is None else schedule.shifts
    sim = simulate(tab["calls"], tab["aht"], agents, patience=patience, handle_cv=handle_cv, replications=1,
                   seed=seed, interval=q["interval"], threshold=threshold, sl_definition=sl_definition)
    contacts = add_customer_fields(sim.contacts, seed=seed) if customers else sim.contacts.copy()
    contacts.attrs["basis"] = "simulated"
    planned = None if schedule is None else activity_log(schedule.shifts)
    return SimulatedLogs(contacts=contacts, agent_states=sim.agent_states, schedule=planned,
                         params=dict(patience=patience, handle_cv=handle_cv, seed=seed, threshold=threshold,
                                     sl_definition=sl_definition, customers=customers))
