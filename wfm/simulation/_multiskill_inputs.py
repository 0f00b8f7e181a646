"""
The multi-skill simulator's validation layer: call types, agent groups, skills, routing and per-type inputs.

Each function takes what a user gives :func:`wfm.simulate_multiskill` (or
:func:`wfm.skills.centre`) and returns it as arrays by type and group, or
raises an error that names the argument, the type or group, and the fix.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _validation as v


def _skill_list(group, items, types):
    """A group's skills as a list in priority order (from a list, or a dict type -> priority)."""
    if isinstance(items, str) or not hasattr(items, "__iter__"):
        raise TypeError(f"skills[{group!r}] must be a list of call types in the group's priority order (or a dict "
                        f"call type -> priority, 1 first); got {items!r}.")
    if isinstance(items, dict):
        bad = [k for k, p in items.items() if isinstance(p, bool) or not np.isscalar(p) or not np.isfinite(p)]
        if bad:
            raise ValueError(f"skills[{group!r}][{bad[0]!r}] must be a priority number (1 first); got "
                             f"{items[bad[0]]!r}.")
        order = sorted(items, key=lambda k: (items[k], list(items).index(k)))
        levels = [float(items[k]) for k in order]
    else:
        order = list(items)
        levels = list(range(1, len(order) + 1))
    if not order:
        raise ValueError(f"skills[{group!r}] is empty: a group needs at least one call type it can answer.")
    for k in order:
        if k not in types:
            raise ValueError(f"skills[{group!r}] names the call type {k!r}, which is not among the call types "
                             f"{list(types)}. Check the spelling or add the type to calls.")
    if len(set(order)) != len(order):
        raise ValueError(f"skills[{group!r}] names a call type twice: {order}.")
    return order, levels


def _group_list(value, where, call_type, lists, groups, how):
    """A type's list of groups (a name or a list): each an agent group holding the skill ``call_type``."""
    order = [value] if isinstance(value, str) else list(value)
    if not order:
        raise ValueError(f"{where} is empty; {how}.")
    for g in order:
        if g not in lists:
            raise ValueError(f"{where} names the group {g!r}, which is not among the agent groups {groups}.")
        if call_type not in lists[g]:
            raise ValueError(f"{where} names the group {g!r}, which does not hold the skill {call_type!r} (its "
                             f"skills: {lists[g]}). Add {call_type!r} to skills[{g!r}] or drop the group.")
    return order


def routing_tables(types, skills, routing=None, primary_groups=None):
    """
    Validated routing of a multi-skill centre as lists and index tables.

    Parameters
    ----------
    types : sequence
        Call type names.
    skills : dict
        Group name -> the call types it answers, in the group's priority
        order (a list, or a dict call type -> priority with 1 first).
    routing : dict, optional
        Call type -> its groups in the order an arriving call tries them.
        Types left out (or all when None) try the groups that hold their
        skill in the order of the priority each group gives the type (the
        groups where it is the primary skill first), then fewest skills
        first (specialists before generalists), then the order of
        ``skills``.
    primary_groups : dict, optional
        Call type -> the groups that may take it at once when an overflow
        delay applies (see :func:`simulate_multiskill`). Types left out (or
        all when None): the groups holding the type at their first priority
        level, or every group holding it when it is first in none.

    Returns
    -------
    dict
        ``groups`` (names), ``skills``, ``routing`` and ``primary_groups``
        (resolved lists), and the tables of the event loop: ``type_groups``
        [types x groups] and ``group_types`` [groups x types], positions
        padded with -1, and ``primary`` [types x groups] (bool).

    Raises
    ------
    ValueError
        Naming the group or the type: a group with no skill or one naming an
        unknown type, a type no group can answer, a routing list naming an
        unknown type or group, or a group without the type's skill.
    """
    types = list(types)
    if not isinstance(skills, dict) or not skills:
        raise TypeError("skills must be a non-empty dict: agent group -> the call types it answers (in priority "
                        f"order), e.g. {{'general': ['service', 'sales']}}; got {skills!r}.")
    parsed = {g: _skill_list(g, items, types) for g, items in skills.items()}
    lists = {g: p[0] for g, p in parsed.items()}
    levels = {g: p[1] for g, p in parsed.items()}
    groups = list(lists)
    holders = {i: [g for g in groups if i in lists[g]] for i in types}
    orphans = [i for i in types if not holders[i]]
    if orphans:
        raise ValueError(f"no agent group can answer the call type {orphans[0]!r} (types without a group: {orphans}). "
                         "Add it to the skills of at least one group.")
    routing = {} if routing is None else routing
    if not isinstance(routing, dict):
        raise TypeError(f"routing must be a dict: call type -> its groups in order; got {type(routing).__name__}.")
    resolved = {}
    for i in types:
        if i in routing:
            order = _group_list(routing[i], f"routing[{i!r}]", i, lists, groups,
                                f"list the groups an arriving {i!r} call tries, in order")
            if len(set(order)) != len(order):
                raise ValueError(f"routing[{i!r}] names a group twice: {order}.")
            resolved[i] = order
        else:
            resolved[i] = sorted(holders[i], key=lambda g: (levels[g][lists[g].index(i)], len(lists[g]),
                                                            groups.index(g)))
    unknown = [k for k in routing if k not in types]
    if unknown:
        raise ValueError(f"routing names the call type {unknown[0]!r}, which is not among the call types {types}.")
    type_groups = np.full((len(types), len(groups)), -1, np.int64)
    group_types = np.full((len(groups), len(types)), -1, np.int64)
    group_level = np.zeros((len(groups), len(types)))
    for a, i in enumerate(types):
        type_groups[a, :len(resolved[i])] = [groups.index(g) for g in resolved[i]]
    for b, g in enumerate(groups):
        group_types[b, :len(lists[g])] = [types.index(i) for i in lists[g]]
        group_level[b, :len(lists[g])] = levels[g]
    primary, prim = _primary(types, groups, lists, levels, holders, primary_groups)
    return dict(groups=groups, skills=lists, routing=resolved, type_groups=type_groups, group_types=group_types,
                group_level=group_level, primary=primary, primary_groups=prim)


def _primary(types, groups, lists, levels, holders, primary_groups):
    """The primary groups of each type (validated, or the default) as lists and a [types x groups] bool table."""
    given = {} if primary_groups is None else primary_groups
    if not isinstance(given, dict):
        raise TypeError(f"primary_groups must be a dict: call type -> its primary groups; got {type(given).__name__}.")
    unknown = [k for k in given if k not in types]
    if unknown:
        raise ValueError(f"primary_groups names the call type {unknown[0]!r}, which is not among the call types "
                         f"{types}.")
    out = {}
    for i in types:
        if i in given:
            out[i] = _group_list(given[i], f"primary_groups[{i!r}]", i, lists, groups,
                                 f"list the groups that take {i!r} calls at once")
        else:
            first = [g for g in holders[i] if levels[g][lists[g].index(i)] == levels[g][0]]
            out[i] = first or list(holders[i])
    table = np.array([[g in out[i] for g in groups] for i in types], dtype=np.bool_)
    return table, out


def per_type(value, name, types, index, unit, allow_none=False):
    """A per-type input (number, dict/Series by type, or DataFrame interval x type) as a [T, I] array."""
    t_count = len(index)
    if value is None:
        if allow_none:
            return np.full((t_count, len(types)), np.inf)
        raise TypeError(f"{name} is required: {unit} per call type.")
    if isinstance(value, pd.DataFrame):
        missing = [i for i in types if i not in value.columns]
        if missing:
            raise ValueError(f"{name} has no column for the call type {missing[0]!r}; its columns are "
                             f"{list(value.columns)}.")
        if not value.index.equals(index):
            raise ValueError(f"{name} must have the index of calls ({t_count} intervals from {index[0]}); "
                             f"got {len(value.index)} rows.")
        cols = [value[i] for i in types]
    elif isinstance(value, (dict, pd.Series)):
        keys = list(value.keys())
        missing = [i for i in types if i not in keys]
        if missing:
            raise ValueError(f"{name} has no value for the call type {missing[0]!r}; it has {keys}.")
        extra = [k for k in keys if k not in types]
        if extra:
            raise ValueError(f"{name} names the call type {extra[0]!r}, which is not among the call types {types}.")
        cols = [value[i] for i in types]
    else:
        cols = [value] * len(types)
    out = np.empty((t_count, len(types)))
    for j, (i, col) in enumerate(zip(types, cols)):
        label = f"{name}[{i!r}]"
        if col is None and allow_none:
            out[:, j] = np.inf
            continue
        if isinstance(col, pd.Series) and not col.index.equals(index):
            raise ValueError(f"{label} must have the index of calls ({t_count} intervals from {index[0]}).")
        arr = v.as_float_array(col, label)
        if arr.ndim > 1 or (arr.ndim == 1 and arr.size != t_count):
            raise ValueError(f"{label} must be one number or one per interval ({t_count}); got shape {arr.shape}.")
        v.check_positive(arr, label, unit, index=index if arr.ndim else None)
        out[:, j] = arr
    return out


def calls_frame(calls):
    if isinstance(calls, pd.Series):
        calls = calls.to_frame(calls.name if calls.name is not None else "calls")
    if not isinstance(calls, pd.DataFrame):
        raise TypeError("calls must be a DataFrame: one column of expected calls per interval for each call type, "
                        f"on a DatetimeIndex; got {type(calls).__name__}.")
    if calls.shape[1] == 0:
        raise ValueError("calls has no column: give one column of expected calls per call type.")
    index = v.check_datetime_index(calls.iloc[:, 0], "calls", "labelling each interval by its start, so calls get "
                                   "times")
    v.check_nonempty(calls.iloc[:, 0], "calls")
    if calls.columns.duplicated().any():
        raise ValueError(f"calls names a call type twice: {list(calls.columns)}.")
    arr = np.empty(calls.shape)
    for j, i in enumerate(calls.columns):
        col = v.as_float_array(calls[i], f"calls[{i!r}]", index=index)
        v.check_nonnegative(col, f"calls[{i!r}]", "expected calls per interval", index=index)
        arr[:, j] = col
    return list(calls.columns), index, arr


def agents_array(agents, groups, index):
    """Agents per interval and group as an int [T, G] array."""
    t_count = len(index)
    if isinstance(agents, pd.DataFrame):
        if not agents.index.equals(index):
            raise ValueError(f"agents must have the index of calls ({t_count} intervals from {index[0]}); got "
                             f"{len(agents.index)} rows.")
        source = {g: agents[g] for g in agents.columns}
    elif isinstance(agents, (dict, pd.Series)):
        source = dict(agents.items())
    elif len(groups) == 1 and agents is not None:
        source = {groups[0]: agents}
    else:
        raise TypeError("agents must be a dict or Series (group -> agents) or a DataFrame of agents per interval "
                        f"with one column per group {groups}; got {type(agents).__name__}.")
    extra = [g for g in source if g not in groups]
    if extra:
        raise ValueError(f"agents names the group {extra[0]!r}, which is not among the agent groups {groups}.")
    missing = [g for g in groups if g not in source]
    if missing:
        raise ValueError(f"agents has no count for the group {missing[0]!r}; give agents for every group {groups} "
                         "(0 for a group not staffed).")
    out = np.empty((t_count, len(groups)), np.int64)
    for j, g in enumerate(groups):
        arr = v.as_float_array(source[g], f"agents[{g!r}]")
        if arr.ndim > 1 or (arr.ndim == 1 and arr.size != t_count):
            raise ValueError(f"agents[{g!r}] must be one count or one per interval ({t_count}); got shape "
                             f"{arr.shape}.")
        v.check_nonnegative(arr, f"agents[{g!r}]", index=index if arr.ndim else None)
        out[:, j] = v.check_whole(np.broadcast_to(arr, (t_count,)).copy(), f"agents[{g!r}]", index=index)
    return out


def _aht_table(aht, aht_by_group, types, groups, skills, index):
    """Mean handle time by arrival interval, type and answering group, [T, I, G]."""
    base = per_type(aht, "aht", types, index, "seconds")
    out = np.repeat(base[:, :, None], len(groups), axis=2)
    if aht_by_group is None:
        return out
    if isinstance(aht_by_group, pd.DataFrame):
        table = {i: {g: aht_by_group.at[i, g] for g in aht_by_group.columns if pd.notna(aht_by_group.at[i, g])}
                 for i in aht_by_group.index}
    elif isinstance(aht_by_group, dict):
        table = aht_by_group
    else:
        raise TypeError("aht_by_group must be a dict {call type: {group: aht}} or a DataFrame (call types x groups) "
                        f"in seconds; got {type(aht_by_group).__name__}.")
    for i, row in table.items():
        if i not in types:
            raise ValueError(f"aht_by_group names the call type {i!r}, which is not among the call types {types}.")
        if not isinstance(row, dict):
            raise TypeError(f"aht_by_group[{i!r}] must be a dict group -> aht in seconds; got {row!r}.")
        for g, value in row.items():
            if g not in groups:
                raise ValueError(f"aht_by_group[{i!r}] names the group {g!r}, which is not among the agent groups "
                                 f"{groups}.")
            if i not in skills[g]:
                raise ValueError(f"aht_by_group[{i!r}][{g!r}] is given but the group {g!r} does not answer {i!r}.")
            arr = v.as_float_array(value, f"aht_by_group[{i!r}][{g!r}]")
            if arr.ndim:
                raise TypeError(f"aht_by_group[{i!r}][{g!r}] must be one number of seconds; got shape {arr.shape}.")
            v.check_positive(arr, f"aht_by_group[{i!r}][{g!r}]", "seconds")
            out[:, types.index(i), groups.index(g)] = float(arr)
    return out


def overflow_delays(overflow_delay, types):
    """Overflow delay per type [s] from None (0), one number or a dict/Series by type (types left out: 0)."""
    if overflow_delay is None:
        return np.zeros(len(types))
    if isinstance(overflow_delay, (dict, pd.Series)):
        unknown = [k for k in overflow_delay.keys() if k not in types]
        if unknown:
            raise ValueError(f"overflow_delay names the call type {unknown[0]!r}, which is not among the call types "
                             f"{types}.")
        values = [overflow_delay.get(i, 0.0) for i in types]
    else:
        values = [overflow_delay] * len(types)
    out = np.empty(len(types))
    for j, (i, value) in enumerate(zip(types, values)):
        arr = _one_number_of_seconds(value, f"overflow_delay[{i!r}]")
        if not arr >= 0:
            raise ValueError(f"overflow_delay[{i!r}] must be >= 0 seconds (inf: secondary groups never take the "
                             f"type); got {float(arr):g}.")
        out[j] = float(arr)
    return out


def thresholds(threshold, types):
    """Answer-time threshold per type [s] from one number or a dict/Series by type."""
    if isinstance(threshold, (dict, pd.Series)):
        missing = [i for i in types if i not in threshold]
        if missing:
            raise ValueError(f"threshold has no value for the call type {missing[0]!r}; it has "
                             f"{list(threshold.keys())}.")
        values = [threshold[i] for i in types]
    else:
        values = [threshold] * len(types)
    out = np.empty(len(types))
    for j, (i, value) in enumerate(zip(types, values)):
        out[j] = v.check_nonnegative(_one_number_of_seconds(value, f"threshold[{i!r}]"), f"threshold[{i!r}]", "seconds")
    return out


def _one_number_of_seconds(value, label):
    """``value`` as a 0-d float array for the per-type argument ``label``, or a TypeError naming it."""
    arr = v.as_float_array(value, label)
    if arr.ndim:
        raise TypeError(f"{label} must be one number of seconds; got shape {arr.shape}.")
    return arr
