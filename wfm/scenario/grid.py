r"""
What-if grids: dotted key paths, their lists of values, and the named variants they expand into.

A grid is a mapping under ``grid:`` from a dotted key path of the scenario to
a list of values::

    grid:
      forecast.volume_factor: [0.9, 1.0, 1.1, 1.2]
      aht.factor: [0.9, 1.0, 1.1]
      staffing.service_level: [0.8, 0.9]

Its variants are the cartesian product of the lists, in the file's order,
each named by its values: ``forecast.volume_factor=1.1,aht.factor=0.9,
staffing.service_level=0.9``. The file's own values are the variant
``base``, always first; a combination that gives exactly the base settings is
``base`` (it is not run twice). Each variant is the whole scenario with its
values put in place and validated again, so a bad value is an error naming
``grid.<path>[i]`` before anything runs; a path into a mapping of the
file's own names (``staffing.shrinkage.absence``, ``schedule.open_hours.sat``)
may only name an entry the file has (a new one is taken for a typo). The grid may vary the sections
:data:`~wfm.scenario.schema.GRID_SECTIONS` (not the data, horizon or output).
"""

from __future__ import annotations

import copy
import itertools
import json
from dataclasses import dataclass

from pydantic import ValidationError

from .._validation import _suggest
from .schema import GRID_SECTIONS, Scenario, ScenarioError, _model_at, validation_message

__all__ = ["Variant", "expand_grid", "set_path", "get_path", "format_value", "variant_name", "select_variants",
           "apply_overrides"]

BASE = "base"


@dataclass(frozen=True)
class Variant:
    """One point of the grid: its name, the grid values that make it, and the whole validated scenario."""

    name: str
    values: dict
    scenario: Scenario


def format_value(value):
    """A grid value as it appears in a variant name: ``0.9``, ``erlang_a``, ``{"absence":0.2}``."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return f"{value:g}"
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"), sort_keys=True, default=str)


def scenario_options(section, keys):
    """
    How options ``keys`` are set in scenario section ``section``, for :func:`wfm._validation.option_names`: a
    reader's hint then says ``roster.dayfirst: true``, not the Python argument ``dayfirst=True``.

    Examples
    --------
    >>> from wfm._validation import option, option_names
    >>> with option_names(scenario_options("roster", ["dayfirst", "date_format"])):
    ...     option("dayfirst", True), option("date_format", "%d/%m/%Y")
    ('roster.dayfirst: true', "roster.date_format: '%d/%m/%Y'")
    """
    def text(key):
        return lambda value: f"{section}.{key}: {value!r}" if isinstance(value, str) else \
            f"{section}.{key}: {format_value(value)}"

    return {key: text(key) for key in keys}


def variant_name(values):
    """``path=value,path=value`` for the grid values of a variant; ``base`` when there are none."""
    return ",".join(f"{k}={format_value(v)}" for k, v in values.items()) or BASE


def get_path(config, path):
    """The value at a dotted path of a (dumped) scenario dict."""
    node = config
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(path)
        node = node[part]
    return node


def set_path(config, path, value, *, where="grid", source=None):
    """A deep copy of the scenario dict ``config`` with ``value`` at the dotted ``path``."""
    try:
        return _set_path(config, path, value, where)
    except ScenarioError as err:
        if err.path is None and source is not None:
            raise ScenarioError(err.message, path=source, key=err.key) from None
        raise


def _set_path(config, path, value, where):
    parts = path.split(".")
    if not parts[0] or any(not p for p in parts):
        raise ScenarioError(f"key path {path!r} must be dotted key names, e.g. staffing.service_level.",
                            key=f"{where}.{path}")
    if parts[0] not in GRID_SECTIONS:
        raise ScenarioError(f"{where} may vary the sections {', '.join(GRID_SECTIONS)}; got section "
                            f"{parts[0]!r}.", key=f"{where}.{path}")
    out = copy.deepcopy(config)
    node = out
    for i, part in enumerate(parts[:-1]):
        nxt = node.get(part) if isinstance(node, dict) else None
        if nxt is None:
            done = ".".join(parts[:i + 1])
            if isinstance(node, dict) and part in node:
                raise ScenarioError(f"section {done!r} is not in the scenario, so {path!r} cannot be varied; add "
                                    f"{done!r} to the file first.", key=f"{where}.{path}")
            raise ScenarioError(f"unknown key {part!r} in {'.'.join(parts[:i]) or 'the scenario'!r}.",
                                key=f"{where}.{path}")
        if not isinstance(nxt, dict):
            raise ScenarioError(f"{'.'.join(parts[:i + 1])} is {format_value(nxt)}, not a mapping, so it has no "
                                f"key {parts[i + 1]!r}.", key=f"{where}.{path}")
        node = nxt
    if parts[-1] not in node and len(parts) > 1 and _model_at(tuple(parts[:-1])) is None:
        _new_part(node, parts, where)  # a mapping of the user's names (shrinkage parts, open days): no new name
    node[parts[-1]] = value
    return out


def _new_part(node, parts, where):
    """Refuse a key path naming an entry a free mapping of the base (``staffing.shrinkage``, ...) does not have."""
    done, key = ".".join(parts[:-1]), parts[-1]
    hint = _suggest(key, node)
    raise ScenarioError(f"unknown key {key!r} in {done!r}, which has {', '.join(map(repr, node)) or 'no keys'}.{hint} "
                        f"{'A grid' if where == 'grid' else 'An override'} varies what the file has: to add {key!r}, "
                        f"put it in the file's {done} at the base plan's value (e.g. 0 for a shrinkage part, null for "
                        f"a closed day), then vary it (or vary the whole {done}).", key=f"{where}.{'.'.join(parts)}")


def _validate(config, key, source):
    try:
        return Scenario.model_validate(config)
    except ValidationError as err:
        loc, msg = validation_message(err)
        raise ScenarioError(f"{loc}: {msg}" if loc else msg, path=source, key=key) from None


def apply_overrides(scenario, overrides, *, where, source=None):
    """``scenario`` with ``{dotted path: value}`` put in place and validated again."""
    config = scenario.model_dump()
    for path, value in overrides.items():
        config = set_path(config, path, value, where=where, source=source)
    return _validate(config, where, source)


def _dump(scenario):
    return json.dumps(scenario.model_dump(mode="json"), sort_keys=True, default=str)


def _erlang_c_drops_patience(config, paths):
    """
    ``config`` without the base's ``staffing.patience`` when a grid value makes the model Erlang C.

    Erlang C has no abandonment, so a patience given with it is refused; a grid that compares
    ``staffing.model: [erlang_c]`` with an Erlang A base means Erlang C without the base's patience. A patience
    the grid itself sets is kept (and refused with Erlang C, as in a file).
    """
    staffing = config.get("staffing") or {}
    if (staffing.get("model") != "erlang_c" or staffing.get("patience") is None
            or "staffing.patience" in paths or not any(p == "staffing" or p.startswith("staffing.") for p in paths)):
        return config
    return {**config, "staffing": {**staffing, "patience": None}}


def expand_grid(scenario, *, source=None):
    """
    The variants of a scenario: ``base`` first, then the cartesian product of its grid.

    Parameters
    ----------
    scenario : Scenario
    source : str, optional
        The file, for error messages.

    Returns
    -------
    list of Variant

    Raises
    ------
    ScenarioError
        A grid key outside the sections a grid may vary, an empty list, or a
        value that makes the scenario invalid (named ``grid.<path>[i]``).
    """
    base_config = scenario.model_dump()
    base_key = _dump(scenario)
    paths = list(scenario.grid)
    for path in paths:
        values = scenario.grid[path]
        if not values:
            raise ScenarioError("must be a non-empty list of values.", path=source, key=f"grid.{path}")
        for i, value in enumerate(values):  # each value on its own first: the error names it
            config = _erlang_c_drops_patience(set_path(base_config, path, value, where="grid", source=source),
                                              {path})
            try:
                Scenario.model_validate(config)
            except ValidationError as err:
                loc, msg = validation_message(err)
                if msg.startswith("unknown key"):  # the path is wrong, not the value
                    at = f"grid.{loc}"
                elif loc in (path, "") or loc.startswith(path + ".") or path.startswith(loc + "."):
                    at = f"grid.{path}[{i}]"
                else:  # the value breaks a rule elsewhere (erlang_a without patience, ...)
                    at = f"grid.{path}[{i}] ({loc})"
                raise ScenarioError(msg, path=source, key=at) from None
    variants = [Variant(BASE, {}, scenario)]
    seen = {base_key}
    for combo in itertools.product(*(scenario.grid[p] for p in paths)):
        values = dict(zip(paths, combo))
        config = base_config
        for path, value in values.items():
            config = set_path(config, path, value, where="grid", source=source)
        config = _erlang_c_drops_patience(config, set(values))
        name = variant_name(values)
        variant_scenario = _validate(config, f"grid variant {name}", source)
        key = _dump(variant_scenario)
        if key in seen:
            continue  # the base settings again (or a repeated value): already a variant
        seen.add(key)
        variants.append(Variant(name, values, variant_scenario))
    return variants


def select_variants(variants, selection, *, source=None, key="schedule.variants"):
    """
    Names of the variants a selection marks: ``base`` always, plus names, ``{path: value}`` matches or ``"all"``.

    A ``{path: value}`` selection marks every variant whose scenario has that
    value at that path (so ``{staffing.service_level: 0.9}`` marks all the
    variants at 90%). A selection that marks nothing is an error.
    """
    names = [v.name for v in variants]
    if selection == "all":
        return names
    chosen = {BASE}
    for i, item in enumerate(selection or []):
        if isinstance(item, str):
            if item not in names:
                raise ScenarioError(f"names no variant of the grid: {item!r}. The variants are named like "
                                    f"{names[-1]!r}.", path=source, key=f"{key}[{i}]")
            chosen.add(item)
            continue
        hits = []
        for variant in variants:
            config = variant.scenario.model_dump()
            try:
                if all(get_path(config, p) == val for p, val in item.items()):
                    hits.append(variant.name)
            except KeyError as err:
                raise ScenarioError(f"unknown key path {err.args[0]!r}.", path=source, key=f"{key}[{i}]") from None
        if not hits:
            raise ScenarioError(f"selects no variant of the grid: {item!r}.", path=source, key=f"{key}[{i}]")
        chosen.update(hits)
    return [n for n in names if n in chosen]
