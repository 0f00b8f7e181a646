"""What-if grids of a capacity plan as one Python call (the scenario file's ``capacity.grid`` without YAML)."""

from __future__ import annotations

import itertools

import pandas as pd

from .planning import capacity_plan
from .rules import CapacityRules, capacity_rules

__all__ = ["capacity_whatif"]

_PLAN_KEYS = ("requirement", "method")


def capacity_whatif(demand, staff, rules=None, grid=None, *, transfers=None, classes=None, **plan_kwargs):
    """
    Plan every combination of a grid of rule changes and return one row of figures per what-if.

    Parameters
    ----------
    demand, staff, rules, transfers, classes
        As in :func:`capacity_plan`; ``rules`` is the base the grid changes.
    grid : dict
        Key -> list of values. Keys are fields of :class:`CapacityRules`
        (``attrition_scale``, ``cost_per_hire``, ``seats``, ...) or
        ``requirement`` / ``method``; every combination is planned (the
        product of the lists), the base (no change) first.
    **plan_kwargs
        Passed to :func:`capacity_plan` (``time_limit``, ``mip_rel_gap``, ...).

    Returns
    -------
    whatif : DataFrame
        One row per what-if: ``variant`` ("base" or ``key=value,...``),
        ``status`` ("ok" or "failed"), ``error``, the grid's values and the
        plan's :meth:`~CapacityPlan.figures`. A failing combination (e.g. a
        hard shortfall its limits cannot meet) is a row with its error; the
        others finish. ``whatif.attrs["plans"]`` holds the plans by variant.

    Raises
    ------
    ValueError
        For a grid key that is neither a rule nor a plan option, naming it.

    Examples
    --------
    >>> demand = pd.DataFrame({"site": "all", "week": range(12), "required_fte": 20.0})
    >>> staff = pd.DataFrame({"tenure_weeks": [100], "headcount": [18]})
    >>> rules = {"attrition": {0: 0.02}, "lead_time_weeks": 2, "training_weeks": 2, "nesting_weeks": 0,
    ...          "class_min": 2, "class_max": 6}
    >>> w = capacity_whatif(demand, staff, rules, {"attrition_scale": [0.5, 2.0]})
    >>> w[["variant", "status", "hires", "classes"]]
                   variant status  hires  classes
    0                 base     ok      4        1
    1  attrition_scale=0.5     ok      3        1
    2  attrition_scale=2.0     ok      5        1
    """
    base = capacity_rules(rules)
    grid = dict(grid or {})
    fields = list(CapacityRules.model_fields)
    for key in grid:
        if key not in fields and key not in _PLAN_KEYS:
            from .._validation import _suggest

            raise ValueError(f"grid has unknown key {key!r}.{_suggest(key, fields + list(_PLAN_KEYS))} Keys are "
                             f"fields of CapacityRules or {list(_PLAN_KEYS)}.")
        if not isinstance(grid[key], (list, tuple)) or not grid[key]:
            raise ValueError(f"grid[{key!r}] must be a non-empty list of values; got {grid[key]!r}.")
    combos = [{}] + [dict(zip(grid, values)) for values in itertools.product(*grid.values())] if grid else [{}]
    rows, plans = [], {}
    for change in combos:
        name = ",".join(f"{k}={v}" for k, v in change.items()) or "base"
        row = {"variant": name, "status": "ok", "error": "", **change}
        try:
            rule_change = {k: v for k, v in change.items() if k in fields}
            options = {**plan_kwargs, **{k: v for k, v in change.items() if k in _PLAN_KEYS}}
            plan = capacity_plan(demand, staff, capacity_rules({**base.model_dump(exclude_unset=True), **rule_change}),
                                 transfers=transfers, classes=classes, **options)
            plans[name] = plan
            row.update(plan.figures())
        except (ValueError, RuntimeError) as err:
            row.update(status="failed", error=f"{type(err).__name__}: {err}")
        rows.append(row)
    out = pd.DataFrame(rows)
    out.attrs["plans"] = plans
    return out
