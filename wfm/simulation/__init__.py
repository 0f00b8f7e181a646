r"""
Discrete-event simulation of one contact queue: check a plan against the
queue it stands for, and produce contact-level and agent-state logs.

The Erlang formulas of :mod:`wfm.erlang` assume each interval is in steady
state on its own. A real queue carries its backlog from one interval into
the next, handle times are not exponential and agents do not keep to their
schedules. :func:`simulate` plays the queue out, contact by contact, over a
horizon of intervals, and :func:`verify_plan` sets the simulated service
level and abandonment of a staffing plan beside its Erlang figures.

The model
---------
* **Arrivals**: a Poisson process whose rate is constant within each interval
  (``calls`` expected contacts per interval), so the number of arrivals in an
  interval is Poisson with mean ``calls``, at uniformly spread times.
* **Handle time**: mean ``aht`` of the arrival interval; exponential when
  ``handle_cv`` is 1 (the default), lognormal with that coefficient of
  variation otherwise.
* **Patience**: exponential with mean ``patience`` [s] (Erlang A); none when
  ``patience`` is None (Erlang C): callers wait as long as it takes.
* **One first-come-first-served queue** served by identical agents; an idle
  agent takes the next contact, the agent idle longest first.
* **Staffing** changes at interval boundaries (agents per interval: agent k
  is on duty while more than k agents are, so when the count drops the
  highest-numbered agents leave) or follows individual schedules with
  breaks (see :mod:`wfm.simulation.schedules`). An agent who leaves (end of
  its spell, a break, the end of its shift) while on a contact finishes it
  first; a break then starts when the contact ends and lasts its full
  length.
* **Open blocks**: intervals are labelled by their start and run for
  ``interval`` seconds (inferred from the index like everywhere in wfm).
  Consecutive labels one interval apart form an open block; a longer step
  (a closed night, a weekend) closes the centre. At the end of each block
  arrivals stop and the agents on duty at the close stay until every contact
  that arrived in the block is answered or has abandoned, so no queue
  crosses a closure. Each contact therefore ends answered or abandoned; the
  one exception is a contact that no agent is left to answer while callers
  never hang up, which is reported as still ``waiting``. Each block starts
  empty, as a centre opens: the first interval of a block answers more within
  the threshold than the steady state the Erlang formulas describe (about
  0.83 against 0.795 in a half-hour of 10 Erlangs on 10 agents with patience
  60 s), so compare a steady state with Erlang after dropping the first
  intervals (``benchmarks/bench_simulate_erlang_a.py``).

Per interval (the contact's arrival interval): service level = contacts
answered within ``threshold`` over contacts offered (``sl_definition=
"offered"``, as in :func:`wfm.erlang.service_level`), abandon rate =
abandoned over offered, ASA = mean wait of the answered contacts (as
:func:`wfm.erlang.erlang_a_asa`; with no abandonment it equals the Erlang C
ASA), occupancy = busy agent-seconds over staffed (logged-in, not on a break)
agent-seconds spent in the interval.

Replications are independent: each has its own random streams, spawned from
``seed`` by :class:`numpy.random.SeedSequence`, and within it arrivals,
handle times, patience and deviations draw from separate streams, so two
runs with the same seed and different staffing see the same callers.

References
----------
.. [1] N. Gans, G. Koole and A. Mandelbaum, "Telephone call centers:
   tutorial, review, and research prospects", Manufacturing & Service
   Operations Management 5(2), 79-141, 2003.
.. [2] A. M. Law, "Simulation Modeling and Analysis", 5th ed., McGraw-Hill,
   2015, chapter 9 (confidence intervals from independent replications).
.. [3] W. G. Cochran, "Sampling Techniques", 3rd ed., Wiley, 1977, chapter 6
   (the ratio estimator and its variance, used for every rate).
"""


from ._result import Simulation
from .schedules import (Deviations, activity_log, agent_schedules, apply_deviations, as_deviations, logged_out_rows,
                        nominal_coverage, periods_from_counts, schedule_table)
from .voice import simulate
from .verify import Verification, verify_plan
from .operations import SimulatedLogs, simulate_logs
from .multiskill import MultiskillSimulation, simulate_multiskill
from .channels import ChannelSimulation, simulate_callbacks, simulate_chat, simulate_deferred, simulate_redials

__all__ = ["simulate", "Simulation", "verify_plan", "Verification", "activity_log", "agent_schedules", "Deviations",
           "SimulatedLogs", "simulate_logs", "simulate_multiskill", "MultiskillSimulation", "ChannelSimulation",
           "simulate_callbacks", "simulate_chat", "simulate_deferred", "simulate_redials"]
