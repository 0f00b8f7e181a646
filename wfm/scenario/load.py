"""
Read a scenario file and its interval history, checking everything that can be checked before a run.

Everything here raises :class:`~wfm.scenario.schema.ScenarioError` with one
line naming the file, the key path and the bad value; ``wfm run`` and ``wfm
validate`` turn it into exit code 2 before anything is computed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from pydantic import ValidationError

from ..datasets import bank_calls
from ..logs import read_header, read_history, read_table
from .._validation import option_names
from .grid import apply_overrides, expand_grid, scenario_options, select_variants
from .schema import Scenario, ScenarioError, validation_message

__all__ = ["LoadedScenario", "load_scenario", "load_history"]


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario with where it came from and its variants.

    Attributes
    ----------
    scenario : Scenario
        The validated file (pydantic model; ``model_dump()`` gives the dict).
    source : str
        The file (or ``"<dict>"``), as named in error messages.
    base_dir : Path
        Folder that relative paths in the file are resolved against.
    variants : list of Variant
        ``base`` and the grid's variants (see :func:`wfm.scenario.expand_grid`).
    detail : list of str
        Variants that get schedule sizing, the simulation check and KPIs.
    capacity_files : CapacityFiles or None
        The capacity section's files, read and checked at load
        (:func:`wfm.scenario.long_term.capacity_files`); None without a
        capacity section or when loaded without ``check_data``.
    """

    scenario: Scenario
    source: str
    base_dir: Path
    variants: list = field(default_factory=list)
    detail: list = field(default_factory=list)
    capacity_files: object = None

    @property
    def name(self):
        return self.scenario.name

    def resolve(self, path):
        """A path of the file, relative to the file's folder."""
        p = Path(path).expanduser()
        return p if p.is_absolute() else self.base_dir / p


def _read_yaml(path):
    import yaml

    p = Path(path)
    if not p.exists():
        raise ScenarioError(f"no such scenario file: {str(p)!r}.")
    if p.is_dir():
        raise ScenarioError(f"{str(p)!r} is a folder; give a scenario YAML file.")
    try:
        raw = yaml.safe_load(p.read_text())
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise ScenarioError(f"not valid YAML: {where}{problem}.", path=str(p)) from None
    if not isinstance(raw, dict):
        raise ScenarioError(f"must be a YAML mapping of sections (name, data, aht, staffing, ...); got "
                            f"{type(raw).__name__}.", path=str(p))
    return raw


def load_scenario(source, *, check_data=True):
    """
    Read and validate a scenario: its sections, grid, queue overrides, shift rules, KPI targets and data columns.

    Parameters
    ----------
    source : str, Path, dict or Scenario
        A YAML file, or the same structure as a dict (relative paths then
        resolve against the working directory).
    check_data : bool
        Also check that ``data.path`` exists and has the named columns
        (reads only the header).

    Returns
    -------
    LoadedScenario

    Raises
    ------
    ScenarioError
        One line: ``file: key.path: what is wrong; got value``.

    Examples
    --------
    >>> loaded = load_scenario({"name": "demo", "data": {"dataset": "bank_calls"}, "aht": 300,
    ...                         "grid": {"staffing.service_level": [0.8, 0.9]}})
    >>> [v.name for v in loaded.variants]
    ['base', 'staffing.service_level=0.9']
    >>> load_scenario({"name": "demo", "data": {"dataset": "bank_calls"}, "aht": 300,
    ...                "staffing": {"service_level": 80}})
    Traceback (most recent call last):
    ...
    wfm.scenario.schema.ScenarioError: <dict>: staffing.service_level: must be a fraction in (0, 1]; got 80. ...
    """
    if isinstance(source, LoadedScenario):
        return source
    if isinstance(source, Scenario):
        raw, name, base_dir = source.model_dump(), "<scenario>", Path.cwd()
    elif isinstance(source, dict):
        raw, name, base_dir = source, "<dict>", Path.cwd()
    elif isinstance(source, (str, Path)):
        raw, name, base_dir = _read_yaml(source), str(source), Path(source).resolve().parent
    else:
        raise TypeError(f"source must be a scenario YAML path or a dict; got {type(source).__name__}.")
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as err:
        loc, msg = validation_message(err)
        raise ScenarioError(msg, path=name, key=loc or None) from None
    variants = expand_grid(scenario, source=name)
    for queue, overrides in scenario.queues.items():
        if not isinstance(overrides, dict):
            raise ScenarioError("must be a mapping of dotted key paths to values.", path=name, key=f"queues.{queue}")
        for v in variants:
            apply_overrides(v.scenario, overrides, where=f"queues.{queue}", source=name)
    detail = select_variants(variants, scenario.schedule.variants if scenario.schedule else [], source=name)
    loaded = LoadedScenario(scenario, name, base_dir, variants, detail)
    _check_targets(loaded)
    if scenario.capacity is not None:  # what the capacity section takes from the staffing and aht sections
        from .long_term import inherited_section
        section = inherited_section(loaded)
    if check_data:
        _check_columns(loaded)
        if scenario.capacity is not None:  # its files, as far as they can be checked without the history
            from .long_term import capacity_files
            loaded = replace(loaded, capacity_files=capacity_files(loaded, section))
        if scenario.skills is not None:  # the centre's own checks (types, groups, targets, the calls file)
            from .skills_step import skills_input

            skills_input(loaded)
        if scenario.channels is not None:  # open hours and volume files, on the voice horizon when files are read
            from .channel_plans import check_channel_files

            check_channel_files(loaded, lambda: load_history(loaded))
    return loaded


def _check_targets(loaded):
    kpis = loaded.scenario.kpis
    if kpis is None or kpis.targets is None:
        return
    from ..evaluate import load_targets

    targets = kpis.targets
    if isinstance(targets, str):
        path = loaded.resolve(targets)
        if not path.exists():
            raise ScenarioError(f"no such KPI targets file: {str(path)!r}.", path=loaded.source, key="kpis.targets")
        targets = path
    try:
        spec = load_targets(targets)
    except (ValueError, TypeError) as err:
        raise ScenarioError(str(err), path=loaded.source, key="kpis.targets") from None
    import pandas as pd

    from ..evaluate._timeline import check_freq

    try:
        have = check_freq(kpis.freq, "kpis.freq")
    except (TypeError, ValueError) as err:
        raise ScenarioError(str(err), path=loaded.source, key="kpis.freq") from None
    for kpi, t in spec["kpis"].items():  # a weekly average scored against a daily target hides a red day
        want = t["frequency"]
        if want is None or check_freq("30min" if want == "interval" else want) == have or (
                want == "interval" and isinstance(have, tuple) and have[1] < pd.Timedelta(days=1)):
            continue
        raise ScenarioError(f"the KPI targets give kpis.{kpi}.frequency {want!r}, but kpis.freq is {kpis.freq!r}: the "
                            f"KPIs would be scored at another frequency than their targets. Set kpis.freq: {want} (or "
                            "change the frequency in the targets file).", path=loaded.source, key="kpis.freq")


def _data_columns(loaded):
    data = loaded.scenario.data
    roles = {**{k: getattr(data, k) for k in ("timestamp", "calls", "aht", "handle_time", "queue", "date", "time",
                                              "answered", "abandoned", "answered_within", "abandoned_within")
                if getattr(data, k) is not None}, **(data.columns or {})}
    if data.date is not None or (data.columns or {}).get("date") is not None:
        roles.pop("timestamp", None)  # a date and a time column stand for the timestamp
    return roles


def _check_columns(loaded):
    data = loaded.scenario.data
    if data.path is None:
        return
    path = loaded.resolve(data.path)
    if not path.exists():
        raise ScenarioError(f"no such data file: {str(path)!r}.", path=loaded.source, key="data.path")
    header = _header(path, loaded.source)
    for key, column in _data_columns(loaded).items():
        if column not in header:
            raise ScenarioError(f"column {column!r} is not in {path.name}; its columns are {header}.",
                                path=loaded.source, key=f"data.{key}")


def _header(path, source):
    try:
        return read_header(path, "data.path")
    except (ValueError, TypeError, FileNotFoundError) as err:
        raise ScenarioError(str(err), path=source, key="data.path") from None
    except Exception as err:  # unreadable file: say so in one line
        raise ScenarioError(f"cannot read {path.name}: {type(err).__name__}: {err}", path=source,
                            key="data.path") from None


def load_history(loaded):
    """
    The interval history of each queue: ``{queue: DataFrame}`` with ``calls`` (and ``aht`` when given).

    One queue, named after the data set or the file, unless ``data.queue``
    (or ``queue`` in ``data.columns``) names a column that splits the file.
    Errors in the data (bad timestamps, negative counts, ...) raise
    :class:`ScenarioError` at ``data``, naming the file's lines (and the
    queue of those lines).
    """
    out = _read(loaded)
    unknown = [q for q in loaded.scenario.queues if q not in out]
    if unknown:
        raise ScenarioError(f"names a queue that is not in the data: {unknown[0]!r}; the queues are {list(out)}.",
                            path=loaded.source, key=f"queues.{unknown[0]}")
    return out


#: Options of wfm.logs.read_history that the data section sets under the same names.
DATA_OPTIONS = ("dayfirst", "date_format", "columns", "sort", "interval", "missing", "exclude", "on_bad_rows", "tz")


def _read(loaded):
    data = loaded.scenario.data
    if data.dataset is not None:
        return {data.dataset: bank_calls(data.freq).to_frame()}
    _check_columns(loaded)
    path = loaded.resolve(data.path)
    columns = dict(data.columns or {})
    queue = data.queue or columns.pop("queue", None)  # a queue column named in data.columns splits the file too
    if columns.get("queue", queue) != queue:
        raise ScenarioError(f"data.queue is {queue!r} but data.columns names queue {columns['queue']!r}; give the "
                            "queue column once, as data.queue.", path=loaded.source, key="data.queue")
    columns.pop("queue", None)
    options = dict(timestamp=data.timestamp, calls=data.calls, aht=data.aht, handle_time=data.handle_time,
                   interval=data.interval, tz=data.tz, sort=data.sort, columns=columns or None, date=data.date,
                   time=data.time, answered=data.answered, abandoned=data.abandoned,
                   answered_within=data.answered_within, abandoned_within=data.abandoned_within,
                   dayfirst=data.dayfirst, date_format=data.date_format, missing=data.missing,
                   exclude=data.exclude, on_bad_rows=data.on_bad_rows)
    try:
        with option_names(scenario_options("data", DATA_OPTIONS)):  # hints name data.dayfirst, not dayfirst=True
            if queue is None:
                return {Path(data.path).name.split(".")[0]: read_history(path, **options)}
            both = read_history(path, queue=queue, **options)  # errors name the file's lines
        return {str(q): part.drop(columns="queue") for q, part in both.groupby(both["queue"].astype(str), sort=True)}
    except (ValueError, TypeError, FileNotFoundError, ImportError) as err:
        raise ScenarioError(f"{path.name}: {_queues_of(err, path, queue)}{err}", path=loaded.source,
                            key="data") from None


def _queues_of(err, path, column):
    """'queue 'B': ' for an error naming lines of one queue (of a file with data.queue), else ''."""
    import re

    import numpy as np

    lines = getattr(err, "wfm_rows", None)
    if lines is None:  # an error about rows that setting them aside would not fix: the lines it shows
        shown = re.search(r"rows \[([\d, ]+)", str(err))
        lines = [int(x) for x in re.findall(r"\d+", shown.group(1))] if shown else []  # "rows [2, 3, ...]"
    if column is None or not len(lines):
        return ""
    raw, rows, _ = read_table(path, "data.path", text=True)
    queues = sorted(raw[column].astype(str).to_numpy()[np.isin(rows, lines)].tolist())
    names = list(dict.fromkeys(queues))
    return f"queue {names[0]!r}: " if len(names) == 1 else (f"queues {names}: " if names else "")
