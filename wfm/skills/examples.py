"""
Example centres: a seeded synthetic centre of six call types and ten groups,
and the symmetric limited-cross-training case of Wallace and Whitt (2005).

Both are labelled as what they are: the synthetic centre is made up (no public
multi-skill data set carries skill structures and targets), and the Wallace-
Whitt centre takes the published parameters as stated in
:func:`wallace_whitt_centre`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .model import centre

__all__ = ["synthetic_centre", "wallace_whitt_centre", "SYNTHETIC_TYPES", "SYNTHETIC_SKILLS"]

#: Synthetic call types: peak calls per 30 minutes, AHT [s], patience [s] and targets.
SYNTHETIC_TYPES = {
    "billing": dict(peak=120, aht=240, patience=180, targets={"service_level": 0.8, "threshold": 20}),
    "technical": dict(peak=70, aht=420, patience=240, targets={"service_level": 0.8, "threshold": 60}),
    "sales": dict(peak=50, aht=300, patience=120, targets={"service_level": 0.8, "threshold": 20}),
    "retention": dict(peak=25, aht=360, patience=200, targets={"max_abandon_rate": 0.05}),
    "spanish": dict(peak=20, aht=300, patience=180, targets={"max_asa": 45}),
    "premium": dict(peak=15, aht=270, patience=90, targets={"service_level": 0.85, "threshold": 20}),
}

#: Synthetic agent groups: skills with their priority levels (1 first) and cost per agent-hour. Each group holds two or
#: three skills and serves its rarest skill first; a third skill costs 3% more.
SYNTHETIC_SKILLS = {
    "billing+premium": ({"premium": 1, "billing": 2}, 1.0),
    "billing+spanish": ({"spanish": 1, "billing": 2}, 1.0),
    "billing+retention": ({"retention": 1, "billing": 2}, 1.0),
    "billing+sales": ({"sales": 1, "billing": 2}, 1.0),
    "technical+premium": ({"premium": 1, "technical": 2}, 1.0),
    "technical+spanish": ({"spanish": 1, "technical": 2}, 1.0),
    "technical+billing": ({"billing": 1, "technical": 2}, 1.0),
    "sales+retention+premium": ({"premium": 1, "retention": 2, "sales": 3}, 1.03),
    "sales+technical+spanish": ({"spanish": 1, "sales": 2, "technical": 3}, 1.03),
    "billing+technical+retention": ({"retention": 1, "billing": 2, "technical": 3}, 1.03),
}


def synthetic_centre(day="2024-03-04", seed=7, scale=1.0):
    """
    A seeded synthetic centre (SYNTHETIC data): 6 call types, 10 agent groups, 48 half-hours.

    Unequal volumes and handle times (:data:`SYNTHETIC_TYPES`): billing
    carries about 40% of the calls, premium 5%; AHT from 240 s to 420 s.
    Targets mix a service level (80/20, 80/60, and 85/20 for premium), an
    abandon-rate cap (retention, 5%) and an ASA cap (spanish, 45 s). Groups
    (:data:`SYNTHETIC_SKILLS`): seven with two skills (cost 1.00 per agent-hour)
    and three with three (1.03); each serves its rarest skill first. Each type's day follows a two-peak profile (10:30
    and 14:30) with type-specific seeded noise of about 8%, between 00:00
    and 24:00 with few calls at night.

    Parameters
    ----------
    day : str
        Date of the 48 half-hours.
    seed : int
        Seed of the profile noise.
    scale : float
        Multiplier of every volume.

    Returns
    -------
    Centre

    Examples
    --------
    >>> c = synthetic_centre()
    >>> len(c.types), len(c.groups), len(c.calls)
    (6, 10, 48)
    """
    rng = np.random.default_rng(seed)
    idx = pd.date_range(day, periods=48, freq="30min")
    hours = np.arange(48) / 2 + 0.25
    shape = 0.05 + np.exp(-0.5 * ((hours - 10.5) / 2.0) ** 2) + 0.8 * np.exp(-0.5 * ((hours - 14.5) / 2.2) ** 2)
    shape /= shape.max()
    calls = pd.DataFrame({name: spec["peak"] * scale * shape * rng.lognormal(0.0, 0.08, 48)
                          for name, spec in SYNTHETIC_TYPES.items()}, index=idx).round(1)
    return centre(calls, {g: s for g, (s, _) in SYNTHETIC_SKILLS.items()},
                  aht={k: s["aht"] for k, s in SYNTHETIC_TYPES.items()},
                  patience={k: s["patience"] for k, s in SYNTHETIC_TYPES.items()},
                  targets={k: s["targets"] for k, s in SYNTHETIC_TYPES.items()},
                  cost={g: c for g, (_, c) in SYNTHETIC_SKILLS.items()})


def wallace_whitt_centre(skills="two", calls_per_type=None, intervals=1):
    r"""
    The symmetric case of Wallace and Whitt (2005): six call types, one
    mean handle time, each agent holding two skills.

    Parameters assumed, not checked against the paper (its base case's
    parameters and published staffing total could not be read here; see
    ``benchmarks/README.md``):
    six call types with equal arrival rates, exponential service with mean
    10 minutes for every type and agent, no abandonment, and the target 80%
    of calls answered within 20 seconds for every type. The total offered
    load is 90 Erlangs (15 per type: 45 calls per 30 minutes of each type). Each agent
    has a primary and a secondary skill; with ``skills="two"`` the six
    groups are the pairs (i, i+1 mod 6) in a ring (the "chain" design of
    limited flexibility), each group serving its primary type first.
    ``skills="all"`` gives one group with every skill (full flexibility),
    ``skills="one"`` six dedicated groups.

    Parameters
    ----------
    skills : {"two", "all", "one"}
        The cross-training design.
    calls_per_type : float, optional
        Calls per 30 minutes of each type; 45 (15 Erlangs at 600 s) by
        default.
    intervals : int
        Number of identical half-hours.

    Returns
    -------
    Centre

    References
    ----------
    .. [1] R. B. Wallace and W. Whitt, "A staffing algorithm for call centers
       with skill-based routing", Manufacturing & Service Operations
       Management 7(4), 276-294, 2005.
    """
    names = [f"type{k + 1}" for k in range(6)]
    per = 45.0 if calls_per_type is None else float(calls_per_type)
    idx = pd.date_range("2024-01-01 10:00", periods=intervals, freq="30min")
    calls = pd.DataFrame(per, index=idx, columns=names)
    if skills == "two":
        groups = {f"{names[k]}+{names[(k + 1) % 6]}": [names[k], names[(k + 1) % 6]] for k in range(6)}
    elif skills == "all":
        groups = {"all": {i: 1 for i in names}}
    elif skills == "one":
        groups = {i: [i] for i in names}
    else:
        raise ValueError(f"skills must be 'two', 'all' or 'one'; got {skills!r}.")
    return centre(calls, groups, aht=600, targets={"service_level": 0.8, "threshold": 20})
