r"""
A KPI scorecard: each KPI's latest value against its target, a red / amber /
green status in the KPI's direction, the change on the previous period, a
trend and the alerts for KPIs off target.

The targets are the KPI template managers keep in Excel, as YAML (or the
same structure as a dict), checked by the pydantic model :class:`KpiTargets`
(one :class:`KpiTarget` per KPI; ``KpiTargets.model_json_schema()`` documents
every key with its unit)::

    title: Inbound voice, daily
    kpis:
      service_level:           # higher is better (the catalogue's direction)
        name: Service level (80/20)
        frequency: D
        target: 0.80           # green at or above
        red: 0.70              # red below; amber in between
        source: ACD contact log
        action: Re-forecast the afternoon; call in part-timers.
      shrinkage:               # on target within a band
        target: 0.30           # the planned shrinkage
        tolerance: 0.02        # green within 0.28-0.32
        red: [0.25, 0.35]      # red outside; amber in between

Keys of each KPI (only ``target`` is required):

=============== ====================================================================================
key             meaning
=============== ====================================================================================
``name``        label shown on the scorecard (default: the KPI's label, ``Service level``)
``frequency``   how often it is measured: ``interval``/``15min``/``30min``/``h``, ``D``, ``W``,
                ``M``; checked against the frequency the KPIs were computed at
``target``      the value aimed at, in the KPI's unit (rates as fractions: 0.8, not 80; times in s)
``direction``   ``higher``, ``lower`` or ``band``; default: the KPI's direction in
                :func:`wfm.evaluate.catalogue` (required for KPIs without one, e.g. ``contacts``)
``tolerance``   band KPIs: how far either side of the target is still green (default 0)
``red``         where red starts: a value (below it when higher is better, above it when lower is
                better) or, for a band KPI, a ``[low, high]`` pair outside which it is red; between
                green and red the status is amber. Default: no amber (off target is red)
``source``      where the data comes from (default: the catalogue's source)
``action``      the action plan when it is off target
``description`` free text
=============== ====================================================================================

Status
------
**green** when the value meets the target: at or above it when higher is
better, at or below it when lower is better, within ``tolerance`` of it for a
band KPI. **red** past ``red``, **amber** in between; "no data" when the KPI
was not computed or is NaN in the latest period. So a CSAT of 0.759 against
0.80 is never green, and a shrinkage of 0.009 against a planned 0.30 (a band
KPI) is red, not "better than target". ``red`` on the good side of the
target, a band without a ``[low, high]`` pair around it, a tolerance on a
KPI that is not a band, or a rate given as a percentage are errors naming
the key path.

Not scored, and inputs echoed back
----------------------------------
Some KPIs of a simulated run are not outcomes of the plan: a simulation
that does not model shrinkage cannot score shrinkage, and survey answers
drawn from an assumed customer model say nothing about the plan.
``not_scored={kpi: reason}`` shows such a KPI's value with the status
**not scored** and the reason. A KPI that echoes an input back (the AHT a
simulation was given) is scored **input** when it lies within
``inputs={kpi: (input, tolerance)}`` of the input (sampling noise), and
scored against its target otherwise, its reason naming the input.
Every row has a ``reason``: why it has its status.

Basis
-----
KPIs computed from simulated or synthetic inputs (``wfm.kpis(...,
basis="simulated")``) keep their ``basis`` on the scorecard: in its table,
its text and HTML, and the title of its plot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .. import _validation as v
from .._results import Result, card_axes
from ..logs import _parse as lp
from ._timeline import check_freq
from .kpi import BASES, CATALOGUE, KPI_LABELS, KPI_NAMES

__all__ = ["scorecard", "Scorecard", "load_targets", "band_status", "KpiTarget", "KpiTargets", "TARGET_KEYS", "STATUS_COLOURS",
           "DIRECTIONS", "STATUSES", "SIMULATION_NOT_SCORED"]

#: Cell colours of the HTML table and the tiles.
STATUS_COLOURS = {"green": "#2e7d32", "amber": "#f9a825", "red": "#c62828", "no data": "#9e9e9e",
                  "input": "#1565c0", "not scored": "#757575"}
#: Every status a scorecard row can have (see the module docstring).
STATUSES = tuple(STATUS_COLOURS)

_SHRINKAGE = ("the simulation does not model shrinkage: its agents are on the queue for every scheduled minute "
              "(the plan's shrinkage is added to the heads instead), so there is no simulated shrinkage to score")
_CUSTOMERS = ("it is synthetic, drawn from the assumed customer model of wfm.simulation.customers (fixed rates and a "
              "survey model), not an outcome of the plan")
#: KPIs a simulated run (:func:`wfm.simulation.simulate_logs`) does not produce meaningfully, with the reason:
#: pass it as ``not_scored`` when scoring simulated KPIs.
SIMULATION_NOT_SCORED = {
    **{k: _SHRINKAGE for k in ("shrinkage", "planned_shrinkage", "unplanned_shrinkage", "absenteeism")},
    "adherence": "the simulated agents follow the schedule by construction (only calls running into breaks and "
                 "shift ends move them off it), so adherence is not an outcome of the plan",
    "conformance": "the simulated agents follow the schedule by construction",
    "utilisation": "the simulated agents log in for every scheduled minute by construction",
    **{k: _CUSTOMERS for k in ("csat", "csat_mean", "nps", "ces", "qa", "net_sentiment", "fcr", "transfer_rate",
                               "escalation_rate", "complaint_rate", "complaints")},
}
#: The directions a KPI can have (see the module docstring).
DIRECTIONS = ("higher", "lower", "band")
_DIRECTION = {row[0]: row[4] for row in CATALOGUE}
_UNITS = {row[0]: row[3] for row in CATALOGUE}
_SOURCES = {row[0]: row[5] for row in CATALOGUE}
_FRACTION_UNITS = ("0-1",)


# --------------------------------------------------------------------------
# The definition file, as pydantic models.
# --------------------------------------------------------------------------


class KpiTarget(BaseModel):
    """One KPI's target and its green / amber / red bands, in the KPI's unit."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, description="Label shown on the scorecard (default: the KPI's column name).")
    frequency: str | None = Field(
        None, description="How often the KPI is measured: interval, 15min, 30min, h, D, W or M; must match the "
                          "freq the KPIs were computed at.")
    target: float = Field(
        ..., allow_inf_nan=False,
        description="The value aimed at, in the KPI's unit: rates as fractions 0-1 (0.80, never 80), times in "
                    "seconds, NPS in points, costs in currency. Green means meeting it.")
    direction: Literal["higher", "lower", "band"] | None = Field(
        None, description="Which values are good: 'higher' (green at or above the target), 'lower' (at or "
                          "below), 'band' (within tolerance either side). Default: the KPI's direction in "
                          "wfm.evaluate.catalogue().")
    tolerance: float = Field(
        0.0, ge=0, allow_inf_nan=False,
        description="Band KPIs only: how far either side of the target the value stays green. [KPI unit]")
    red: float | tuple[float, float] | None = Field(
        None, description="Where red starts [KPI unit]: a value below which (higher is better) or above which "
                          "(lower is better) the status is red, or for a band KPI a [low, high] pair outside "
                          "which it is red. Amber lies between green and red. Default: no amber.")
    source: str | None = Field(None, description="Where the data comes from (default: the catalogue's source).")
    action: str = Field("", description="The action plan when the KPI is off target.")
    description: str = Field("", description="Free text.")

    @model_validator(mode="before")
    @classmethod
    def _old_keys(cls, data):
        if not isinstance(data, dict):
            return {"target": data}  # `asa: 30` is a bare target
        if "amber" in data:
            raise ValueError("amber is no longer a key: green now means meeting the target (within tolerance for "
                             "a band KPI), and red gives where red starts; amber lies between.")
        if "higher_is_better" in data:
            data = dict(data)
            better = data.pop("higher_is_better")
            if not isinstance(better, bool):
                raise ValueError(f"higher_is_better must be true or false; got {better!r}. Prefer direction: "
                                 "higher, lower or band.")
            if data.get("direction", None) not in (None, "higher" if better else "lower"):
                raise ValueError(f"higher_is_better: {str(better).lower()} contradicts direction: "
                                 f"{data['direction']}; give direction only.")
            data["direction"] = "higher" if better else "lower"
        return data


class KpiTargets(BaseModel):
    """KPI targets for :func:`wfm.scorecard`: a title and one :class:`KpiTarget` per KPI column of wfm.kpis."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field("", description="Title of the scorecard.")
    kpis: dict[str, KpiTarget] = Field(
        ..., description="KPI column name of wfm.kpis (see wfm.evaluate.catalogue()) -> its target and bands.")

    @model_validator(mode="before")
    @classmethod
    def _bare_mapping(cls, data):
        if isinstance(data, dict) and "kpis" not in data and "title" not in data:
            return {"kpis": data}  # the kpis mapping itself
        return data

    @field_validator("kpis", mode="before")
    @classmethod
    def _known_kpis(cls, value):
        if not isinstance(value, dict) or not value:
            raise ValueError(f"kpis must be a mapping of KPI name -> definition with at least one KPI; got "
                             f"{value!r}.")
        for kpi in value:
            if kpi not in KPI_NAMES:
                raise ValueError(f"kpis.{kpi}: unknown KPI {kpi!r}.{v._suggest(str(kpi), KPI_NAMES)} The KPIs "
                                 "are the columns of wfm.kpis (see wfm.evaluate.catalogue()).")
        return value

    @model_validator(mode="after")
    def _resolve(self):
        for kpi, t in self.kpis.items():
            _resolve_target(kpi, t)
        return self


def _bad(path, expected, value, hint=""):
    return ValueError(f"{path} must be {expected}; got {value!r}.{(' ' + hint) if hint else ''}")


def _resolve_target(kpi, t):
    """Fill a KPI's defaults from the catalogue and check its values against its unit and direction."""
    path = f"kpis.{kpi}"
    if t.direction is None:
        if _DIRECTION[kpi] is None:
            raise ValueError(f"{path} needs direction (higher, lower or band): for {kpi} no direction is good "
                             "by itself.")
        t.direction = _DIRECTION[kpi]
    band = t.direction == "band"
    if t.tolerance and not band:
        raise _bad(f"{path}.tolerance", f"0 for a KPI where {t.direction} is better", t.tolerance,
                   "Green means meeting the target; set the target to the value that should count as green, or "
                   "direction: band.")
    if t.red is None:
        t.red = (t.target - t.tolerance, t.target + t.tolerance) if band else t.target
    if band and not isinstance(t.red, tuple):
        raise _bad(f"{path}.red", "a [low, high] pair for a band KPI", t.red)
    if not band and isinstance(t.red, tuple):
        raise _bad(f"{path}.red", f"one value when {t.direction} is better", list(t.red))
    values = [("target", t.target)] + ([("red", x) for x in t.red] if band else [("red", t.red)])
    if _UNITS[kpi] in _FRACTION_UNITS:
        for key, val in values:
            if not 0 <= val <= 1:
                hint = f"Did you mean {val / 100:g}? Rates are fractions, not percentages." if 1 < val <= 100 else ""
                raise _bad(f"{path}.{key}", "a fraction in [0, 1]", val, hint)
    if not np.isfinite([x for _, x in values]).all():
        raise _bad(f"{path}.red", "finite", t.red)
    ok = {"higher": lambda: t.red <= t.target, "lower": lambda: t.red >= t.target,
          "band": lambda: t.red[0] <= t.target - t.tolerance and t.red[1] >= t.target + t.tolerance}[t.direction]()
    if not ok:
        need = {"higher": "at or below the target (higher is better)", "lower": "at or above the target (lower "
                "is better)", "band": "a [low, high] pair around the green band target +- tolerance"}[t.direction]
        raise _bad(f"{path}.red", need, list(t.red) if band else t.red,
                   f"The target is {t.target:g}; red gives where the status turns red.")
    if t.frequency is not None:
        try:
            check_freq("30min" if t.frequency == "interval" else t.frequency, f"{path}.frequency")
        except (TypeError, ValueError) as err:
            raise ValueError(str(err)) from None
    t.name = t.name or KPI_LABELS[kpi]
    t.source = t.source or _SOURCES[kpi]


#: Keys of one KPI's definition.
TARGET_KEYS = tuple(KpiTarget.model_fields)


def _validation_error(err, where):
    """The first problem of a pydantic ValidationError as wfm's message: the key path, what was expected, what came."""
    e = err.errors(include_url=False)[0]
    loc = [str(x) for x in e["loc"] if x != "float" and "[" not in str(x)]  # union members are not keys
    path = ".".join(loc)
    kind, value = e["type"], e.get("input")
    if kind == "extra_forbidden":
        parent = ".".join(loc[:-1]) or "targets"
        keys = list(KpiTarget.model_fields) if len(loc) == 3 else list(KpiTargets.model_fields)
        return ValueError(f"{where}{parent} has unknown key {loc[-1]!r}.{v._suggest(loc[-1], keys)} The keys are "
                          f"{keys}.")
    if kind == "missing":
        parent = ".".join(loc[:-1]) or "targets"
        return ValueError(f"{where}{parent} needs the key {loc[-1]!r}.")
    if kind == "value_error":
        msg = e["msg"].removeprefix("Value error, ")
        return ValueError(f"{where}{msg}" if not loc or msg.startswith("kpis") else f"{where}{path}: {msg}")
    if kind.startswith("float") or kind == "finite_number":
        return _bad(f"{where}{path}", "a finite number", value)
    if kind in ("greater_than_equal",):
        return _bad(f"{where}{path}", ">= 0", value)
    if kind in ("literal_error",):
        return _bad(f"{where}{path}", "one of 'higher', 'lower', 'band'", value)
    if kind.startswith("string"):
        return _bad(f"{where}{path}", "text", value)
    if kind in ("dict_type", "model_type"):
        return TypeError(f"{where}{path or 'targets'} must be a mapping; got {type(value).__name__} {value!r}.")
    return ValueError(f"{where}{path}: {e['msg']}; got {value!r}.")


def load_targets(targets):
    """
    Read and check KPI targets from a YAML file or a dict (validated by :class:`KpiTargets`).

    Parameters
    ----------
    targets : str, Path, dict or KpiTargets
        A YAML file with the keys ``title`` (optional) and ``kpis`` (KPI
        column name -> definition, see the module docstring), or the same
        structure as a dict. A dict without ``kpis`` is read as the ``kpis``
        mapping itself.

    Returns
    -------
    dict
        ``{"title": str, "kpis": {kpi: definition}}`` with every key of
        :data:`TARGET_KEYS` filled in: ``direction`` from the catalogue,
        ``red`` a value (a ``[low, high]`` list for a band KPI), ``frequency``
        None when not given.

    Raises
    ------
    ValueError, TypeError
        Naming the file and the key path (``kpis.asa.red``) and the bad value:
        an unknown key or KPI, a missing target, a rate given as a percentage,
        ``red`` on the good side of the target.

    Warns
    -----
    UnitWarning
        An ``aht`` target or red under 20 s or over 2 h (minutes typed for
        seconds), as :func:`wfm.staffing_plan` warns of such an ``aht``.

    Examples
    --------
    >>> spec = load_targets({"service_level": {"target": 0.8, "red": 0.7},
    ...                      "shrinkage": {"target": 0.3, "tolerance": 0.02, "red": [0.25, 0.35]}})
    >>> spec["kpis"]["service_level"]["direction"], spec["kpis"]["shrinkage"]["direction"]
    ('higher', 'band')
    >>> load_targets({"csat": {"target": 80}})
    Traceback (most recent call last):
    ...
    ValueError: kpis.csat.target must be a fraction in [0, 1]; got 80.0. Did you mean 0.8? Rates are fractions, not percentages.
    """
    where = ""
    if isinstance(targets, KpiTargets):
        model = targets
    else:
        if isinstance(targets, (str, Path)):
            path = Path(targets)
            if not path.exists():
                raise FileNotFoundError(f"targets: no such file {str(path)!r}.")
            import yaml

            try:
                raw = yaml.safe_load(path.read_text())
            except yaml.YAMLError as err:
                raise ValueError(f"targets file {path.name!r} is not valid YAML: {err}") from None
            where = f"{path.name}: "
            if raw is None:
                raise ValueError(f"targets file {path.name!r} is empty; it needs a 'kpis' mapping.")
        elif isinstance(targets, dict):
            raw = targets
        else:
            raise TypeError(f"targets must be the path of a YAML file, a dict or KpiTargets; got "
                            f"{type(targets).__name__}.")
        if not isinstance(raw, dict):
            raise TypeError(f"{where}targets must be a mapping with the keys 'title' and 'kpis'; got "
                            f"{type(raw).__name__}.")
        try:
            model = KpiTargets.model_validate(raw)
        except ValidationError as err:
            raise _validation_error(err, where) from None
    kpis = {}
    for kpi, t in model.kpis.items():
        d = t.model_dump()
        d["red"] = list(d["red"]) if isinstance(d["red"], tuple) else d["red"]
        kpis[kpi] = d
        if kpi == "aht":  # minutes for seconds (5 for 300), as the plan's aht warns
            for key in ("target", "red"):
                v.warn_implausible(d[key], f"{where}kpis.aht.{key}", "aht", stacklevel=3)
    return {"title": model.title, "kpis": kpis}


# --------------------------------------------------------------------------
# The scorecard.
# --------------------------------------------------------------------------


def _frames(kpis):
    """{normalised freq or None: frame}."""
    if isinstance(kpis, pd.DataFrame):
        return {"_any": kpis}
    if isinstance(kpis, dict) and kpis and all(isinstance(f, pd.DataFrame) for f in kpis.values()):
        return {check_freq(k, "kpis key"): f for k, f in kpis.items()}
    raise TypeError("kpis must be a DataFrame from wfm.kpis, or a dict of frequency -> such DataFrame "
                    "(e.g. {'D': daily, 'W': weekly}).")


def _pick(frames, kpi, freq, where=""):
    """The frame a KPI is read from (``where``: the targets file, for the error)."""
    if "_any" in frames:
        frame = frames["_any"]
        have = frame.attrs.get("freq", "_unknown")
        if freq is not None and have != "_unknown":
            want = check_freq("30min" if freq == "interval" else freq)
            if check_freq(have) != want and not (freq == "interval" and isinstance(check_freq(have), tuple)
                                                 and check_freq(have)[1] < pd.Timedelta(days=1)):
                given = lp.option("freq", have)  # freq='W' from Python, --freq W from the command line
                both = (f", or compute both and pass a dict such as {{{have!r}: ..., {freq!r}: ...}}"
                        if given == f"freq={have!r}" else "")
                raise ValueError(f"{where}kpis.{kpi}.frequency is {freq!r} but the KPIs were computed with {given}; "
                                 f"compute them with {lp.option('freq', freq)} to score them against these "
                                 f"targets{both}.")
        return frame
    if freq is None:
        return next(iter(frames.values()))
    want = check_freq("30min" if freq == "interval" else freq)
    if want not in frames:
        raise ValueError(f"kpis.{kpi}.frequency is {freq!r} but no KPIs at that frequency were given; the keys are "
                         f"{list(frames)}.")
    return frames[want]


def _group_columns(frame):
    by = frame.attrs.get("by")
    if by is not None:
        return [b for b in by if b in frame.columns]
    return [c for c in frame.columns if c not in ("period", "basis") and c not in KPI_NAMES]


def _basis(frame, rows, override):
    """The basis of each of ``rows`` (of ``frame``): the override, else the frame's basis column, else measured."""
    if override is not None:
        return [override] * len(rows)
    if "basis" in frame.columns:
        return [str(b) for b in rows["basis"]]
    return [frame.attrs.get("basis", "measured")] * len(rows)


def _bands(spec):
    """(green_low, green_high, red_low, red_high) of a checked definition: green inside the first pair, red
    outside the second, amber in between."""
    t, red = spec["target"], spec["red"]
    if spec["direction"] == "higher":
        return t, np.inf, red, np.inf
    if spec["direction"] == "lower":
        return -np.inf, t, -np.inf, red
    return t - spec["tolerance"], t + spec["tolerance"], red[0], red[1]


def band_status(value, green_low, green_high, red_low, red_high):
    """
    Traffic-light status of KPI values against their bands: green, amber, red, or no data for NaN.

    Parameters
    ----------
    value : array_like
        KPI values. [KPI unit]
    green_low, green_high : array_like
        Green from ``green_low`` to ``green_high`` (ends included). [KPI unit]
    red_low, red_high : array_like
        Red below ``red_low`` or above ``red_high``; amber between green and red. [KPI unit]

    Returns
    -------
    ndarray of str

    Examples
    --------
    Service level (higher is better) against 0.80, red below 0.70:

    >>> band_status([0.85, 0.759, 0.60, float("nan")], 0.80, float("inf"), 0.70, float("inf")).tolist()
    ['green', 'amber', 'red', 'no data']
    """
    value = np.asarray(value, dtype=float)
    green = (value >= green_low) & (value <= green_high)
    red = (value < red_low) | (value > red_high)
    out = np.where(green, "green", np.where(red, "red", "amber"))
    return np.where(np.isnan(value), "no data", out).astype(object)


def format_value(value, unit):
    """A KPI value for people: fractions as %, seconds as s, NPS as points, counts with separators."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "-"
    if unit in ("0-1", "fraction"):
        return f"{value:.1%}"
    if unit == "s":
        return f"{value:,.0f} s" if abs(value) >= 100 else f"{value:.1f} s"
    if unit == "points":
        return f"{value:+.0f}"
    if unit == "count":
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    if unit == "currency":
        return f"{value:,.2f}"
    if unit == "h":
        return f"{value:,.1f} h"
    return f"{value:,.2f}"


def _format_change(value, unit):
    if value is None or np.isnan(value):
        return ""
    if unit in ("0-1", "fraction"):
        return f"{value * 100:+.1f} pts"
    if unit == "points":
        return f"{value:+.0f}"
    text = format_value(abs(value), unit)
    return ("+" if value >= 0 else "-") + text


_BARS = "▁▂▃▄▅▆▇█"


def sparkline(values):
    """A text sparkline of a trend (blank for missing values)."""
    arr = np.asarray([np.nan if x is None else x for x in values], dtype=float)
    ok = np.isfinite(arr)
    if not ok.any():
        return ""
    lo, hi = arr[ok].min(), arr[ok].max()
    filled = np.where(ok, arr, lo)
    scaled = np.zeros(arr.size, dtype=int) if hi == lo else np.round((filled - lo) / (hi - lo) * 7).astype(int)
    return "".join(_BARS[min(max(s, 0), 7)] if o else " " for s, o in zip(scaled, ok))


def scorecard(kpis, targets, *, trend=12, basis=None, not_scored=None, inputs=None):
    """
    Score KPIs against their targets: value, target, status, change, trend and alerts.

    Parameters
    ----------
    kpis : DataFrame or dict
        The output of :func:`wfm.kpis` (one row per period and group), or a
        dict of frequency -> such a DataFrame when the definitions measure
        KPIs at several frequencies (``{"D": daily, "W": weekly}``).
    targets : str, Path or dict
        The KPI definitions: a YAML file or a dict (see
        :func:`load_targets`).
    trend : int
        Periods in the trend, the latest included. [periods]
    basis : {"measured", "simulated", "synthetic"}, optional
        Where the KPIs' inputs came from; None reads the ``basis`` column
        :func:`wfm.kpis` writes (measured when there is none).
    not_scored : dict of str -> str, optional
        KPI -> why it is not scored (e.g. :data:`SIMULATION_NOT_SCORED` for
        a simulated run): its value is shown, its status is "not scored".
    inputs : dict of str -> (float, float), optional
        KPI -> (input, tolerance) in the KPI's unit, for a KPI that echoes
        an input back (a simulation's AHT): within the tolerance of the
        input (sampling noise) its status is "input"; beyond it, it is
        scored against its target and its reason names the input.

    Returns
    -------
    Scorecard
        ``.table`` with one row per KPI (and group): the latest period's
        value, its target and thresholds, ``status`` (green, amber, red,
        no data, input or not scored), ``reason`` (why: the comparison with
        the target, the input echoed, or why it is not scored), ``basis``
        (measured, simulated or synthetic), ``change`` on
        the previous period (in the KPI's unit; rates in fraction points),
        ``trend`` (list of the last values, oldest first)
        and ``alert`` (text, empty when green); ``.alerts``.

    Raises
    ------
    ValueError, TypeError
        For bad definitions (see :func:`load_targets`), or a KPI whose
        frequency differs from the frequency the KPIs were computed at.

    Examples
    --------
    >>> periods = pd.date_range("2024-01-01", periods=3, freq="D")
    >>> k = pd.DataFrame({"period": periods, "service_level": [0.82, 0.78, 0.66], "asa": [18.0, 25.0, 41.0]})
    >>> card = scorecard(k, {"service_level": {"target": 0.8, "red": 0.7},
    ...                      "asa": {"target": 20, "red": 40}})
    >>> card.table[["kpi", "value", "target", "status", "change"]]
                 kpi  value  target status  change
    0  service_level   0.66     0.8    red   -0.12
    1            asa  41.00    20.0    red   16.00
    >>> card.table.loc[0, "trend"]
    [0.82, 0.78, 0.66]
    """
    spec = load_targets(targets)
    if basis is not None:
        v.check_choice(basis, "basis", BASES)
    not_scored, inputs = _check_exceptions(not_scored, inputs)
    n_trend = v.check_count(trend, "trend", minimum=1, unit="periods")
    frames = _frames(kpis)
    where = f"{Path(targets).name}: " if isinstance(targets, (str, Path)) else ""
    rows = []
    for kpi, d in spec["kpis"].items():
        frame = _pick(frames, kpi, d["frequency"], where)
        if "period" not in frame.columns:
            raise ValueError("kpis must have a 'period' column, as wfm.kpis returns.")
        groups = _group_columns(frame)
        gl, gh, rl, rh = _bands(d)
        name = _measured_name(d["name"], frame) if kpi == "service_level" else d["name"]
        base = {"kpi": kpi, "name": name, "target": d["target"], "direction": d["direction"],
                "tolerance": d["tolerance"], "green_low": gl, "green_high": gh, "red_low": rl, "red_high": rh,
                "unit": _UNITS[kpi], "frequency": d["frequency"], "source": d["source"], "action": d["action"]}
        if kpi not in frame.columns:
            keys = frame.drop_duplicates(groups) if groups else frame.head(1)
            for (_, key), b in zip(keys.iterrows(), _basis(frame, keys, basis)):
                rows.append({**base, **key[groups].to_dict(), "period": pd.NaT, "value": np.nan, "previous": np.nan,
                             "basis": b, "trend": [], "missing": _not_computed(kpi, frame)})
            continue
        f = frame.sort_values("period", kind="stable")
        g = f.groupby(groups, sort=False, dropna=False) if groups else None
        if g is None:
            last = f.tail(1)
            prev = f[kpi].iloc[-2] if len(f) > 1 else np.nan
            tail = [f[kpi].tail(n_trend).tolist()]
            keys = [{}]
            lasts = [(last["period"].iloc[0], last[kpi].iloc[0], prev)]
            bases = _basis(frame, last, basis)
        else:
            last = g.tail(1).reset_index(drop=True)
            second = g.nth(-2).reset_index(drop=True) if len(f) else f.head(0)
            prev_map = second.set_index(groups)[kpi] if len(second) else pd.Series(dtype=float)
            trend_map = g.tail(n_trend).groupby(groups, sort=False, dropna=False)[kpi].agg(list)
            keys = last[groups].to_dict("records")
            bases = _basis(frame, last, basis)
            lasts, tail = [], []
            for key, (_, r) in zip(keys, last.iterrows()):
                idx = tuple(key[c] for c in groups) if len(groups) > 1 else key[groups[0]]
                prev = prev_map.get(idx, np.nan) if len(prev_map) else np.nan
                lasts.append((r["period"], r[kpi], prev))
                tail.append(trend_map.get(idx, []))
        for key, (period, value, prev), tr, b in zip(keys, lasts, tail, bases):
            rows.append({**base, **key, "period": period, "value": float(value), "previous": float(prev), "basis": b,
                         "trend": [float(x) for x in tr], "missing": "" if np.isfinite(value) else
                         "no value in the latest period (its denominator was 0)"})
    table = pd.DataFrame(rows)
    group_cols = [c for c in table.columns if c not in _TABLE_COLUMNS + ["previous", "missing"]]
    table["status"] = band_status(table["value"], *(table[c].to_numpy(dtype=float) for c in _BAND_COLUMNS))
    table["change"] = table["value"] - table["previous"]
    table["alert"] = [_alert(r) for r in table.itertuples(index=False)]
    table["reason"] = [r.alert if r.status != "green" else _meets(r) for r in table.itertuples(index=False)]
    _apply_exceptions(table, not_scored, inputs)
    table = table[group_cols + _TABLE_COLUMNS]
    return Scorecard(table, dict(title=spec["title"], trend=n_trend, targets=spec["kpis"]))


#: Contact KPIs -> the contact-log column they are computed from (and other ways to get them).
_CONTACT_COLUMN = {
    **dict.fromkeys(("fcr",), ("customer", "")), **dict.fromkeys(("transfer_rate",), ("transferred", "")),
    "escalation_rate": ("escalated", ""), **dict.fromkeys(("complaints", "complaint_rate"), ("complaint", "")),
    **dict.fromkeys(("csat", "csat_mean", "csat_responses"), ("csat", "")),
    **dict.fromkeys(("nps", "nps_responses"), ("nps", "")), **dict.fromkeys(("ces", "ces_responses"), ("ces", "")),
    **dict.fromkeys(("qa", "qa_evaluations"), ("qa", "")), "net_sentiment": ("sentiment", ""),
    "aht": ("handle", ", or talk, hold and acw, or answer and end"),
    **dict.fromkeys(("first_response_time", "response_rate"), ("first_response", ", or responses= (ticket responses)")),
    "resolution_time": ("resolved", ""), "interactions_per_ticket": ("responses", ""),
    "tickets": ("channel", " holding email or ticket (deferred contacts)"),
}


def _not_computed(kpi, frame):
    """Why a KPI is not in ``frame``: the sources it needs that were not given, or the contact-log column."""
    from ..logs.schemas import CONTACT_SCHEMA

    need = [x.strip() for x in _SOURCES[kpi].split(",")]
    if "contacts" in frame.columns:  # a contact log was given
        if need == ["contacts"] and kpi in _CONTACT_COLUMN:
            column, other = _CONTACT_COLUMN[kpi]
            meaning = {name: text for name, _, text in CONTACT_SCHEMA}[column].split(";")[0]
            how = lp.option("columns", {column: "YourColumn"})  # --columns on the command line
            how += " of wfm.evaluate.read_contacts" if how.startswith("columns=") else ""
            return f"not computed: the contact log has no {column!r} column, {meaning}{other}; map yours with {how}"
        need = [x for x in need if x != "contacts"] or need
    return f"not computed: it needs {', '.join(need)}"


_RATIO_LABEL = re.compile(r"\b(\d+(?:\.\d+)?)\s*/\s*(\d+(?:\.\d+)?)\b")  # the "80/20" of a label


def _measured_name(name, frame):
    """
    The service level's label with the threshold it was measured at (``frame.attrs["definitions"]``, as
    :func:`wfm.kpis` sets it): "Service level (80/20)" of KPIs measured within 30 s reads "Service level (80/30)",
    a label without a ratio gets "(within 30 s)". A label is never left naming a threshold that was not used.
    """
    thr = (frame.attrs.get("definitions") or {}).get("threshold")
    if thr is None:
        return name
    values = sorted(set(thr.values())) if isinstance(thr, dict) else [thr]
    if len(values) == 1:
        ratio = _RATIO_LABEL.search(name)
        if ratio:
            return name if float(ratio.group(2)) == values[0] else \
                name[:ratio.start(2)] + f"{values[0]:g}" + name[ratio.end(2):]
        return f"{name} (within {values[0]:g} s)"
    return f"{name} (within " + ", ".join(f"{c} {t:g} s" for c, t in thr.items()) + ")"


_BAND_COLUMNS = ["green_low", "green_high", "red_low", "red_high"]
_TABLE_COLUMNS = ["kpi", "name", "period", "value", "target", "status", "reason", "basis", "change", "trend", "alert",
                  "direction", "tolerance"] + _BAND_COLUMNS + ["unit", "frequency", "source", "action"]


def _check_exceptions(not_scored, inputs):
    """``not_scored`` as {kpi: reason} and ``inputs`` as {kpi: (input, tolerance)}, checked."""
    not_scored = {} if not_scored is None else not_scored
    inputs = {} if inputs is None else inputs
    for name, value in (("not_scored", not_scored), ("inputs", inputs)):
        if not isinstance(value, dict):
            raise TypeError(f"{name} must be a dict keyed by KPI name; got {type(value).__name__}.")
        unknown = [k for k in value if k not in KPI_NAMES]
        if unknown:
            raise ValueError(f"{name} has unknown KPI {unknown[0]!r}.{v._suggest(str(unknown[0]), KPI_NAMES)} The "
                             "KPIs are the columns of wfm.kpis (see wfm.evaluate.catalogue()).")
    for kpi, reason in not_scored.items():
        if not isinstance(reason, str) or not reason.strip():
            raise ValueError(f"not_scored[{kpi!r}] must be the reason as text; got {reason!r}.")
    out = {}
    for kpi, pair in inputs.items():
        try:
            value, tol = (float(x) for x in pair)
        except (TypeError, ValueError):
            raise ValueError(f"inputs[{kpi!r}] must be (input, tolerance) in the KPI's unit; got {pair!r}.") from None
        if not (np.isfinite(value) and np.isfinite(tol) and tol >= 0):
            raise ValueError(f"inputs[{kpi!r}] must be a finite input and a tolerance >= 0; got {pair!r}.")
        out[kpi] = (value, tol)
    return not_scored, out


def _meets(r):
    """Why a green row is green: the value against its target, in the KPI's direction."""
    name, val, tgt = _label(r), format_value(r.value, r.unit), format_value(r.target, r.unit)
    if r.direction == "band":
        return (f"{name} is {val}, within the green band {format_value(r.green_low, r.unit)} to "
                f"{format_value(r.green_high, r.unit)} (target {tgt}).")
    side = "at or above" if r.direction == "higher" else "at or below"
    return f"{name} is {val}, {side} the target {tgt}."


def _precise(value, unit):
    """A value with one more decimal than :func:`format_value` gives large seconds (300.3 s, not 300 s)."""
    return f"{value:,.1f} s" if unit == "s" else format_value(value, unit)


def _apply_exceptions(table, not_scored, inputs):
    """Rows not scored (with their reason) and inputs echoed back within their tolerance (status 'input')."""
    for i, r in enumerate(table.itertuples(index=False)):
        if r.kpi in not_scored:
            table.iloc[i, table.columns.get_loc("status")] = "not scored"
            table.iloc[i, table.columns.get_loc("reason")] = f"Not scored: {not_scored[r.kpi]}."
            table.iloc[i, table.columns.get_loc("alert")] = ""
        elif r.kpi in inputs and np.isfinite(r.value):
            given, tol = inputs[r.kpi]
            echo = (f"an input ({format_value(given, r.unit)}) echoed back; sampling noise "
                    f"\u00b1{format_value(tol, r.unit)}")
            if abs(r.value - given) <= tol:
                table.iloc[i, table.columns.get_loc("status")] = "input"
                table.iloc[i, table.columns.get_loc("alert")] = ""
                table.iloc[i, table.columns.get_loc("reason")] = (
                    f"Input: {_label(r)} is {_precise(r.value, r.unit)}, {echo}: it measures nothing about "
                    "the plan, so it is not scored against the target.")
            else:
                table.iloc[i, table.columns.get_loc("reason")] = (
                    f"{r.reason} It is {echo}, and lies outside that noise.")


def _label(r):
    """The KPI's name for display, marked when its inputs were not measured: 'CSAT (simulated)'."""
    return r.name if r.basis == "measured" else f"{r.name} ({r.basis})"


def _alert(r):
    if r.status == "green":
        return ""
    r = r._replace(name=_label(r))
    when = f" on {pd.Timestamp(r.period):%Y-%m-%d %H:%M}".replace(" 00:00", "") if pd.notna(r.period) else ""
    if r.status == "no data":
        text = f"{r.name}: {r.missing}{when}."
    elif r.direction == "band":
        lo, hi = (r.red_low, r.red_high) if r.status == "red" else (r.green_low, r.green_high)
        limits = "red limits" if r.status == "red" else "green band"
        text = (f"{r.name} is {format_value(r.value, r.unit)}{when}, outside the {limits} "
                f"{format_value(lo, r.unit)} to {format_value(hi, r.unit)} (target {format_value(r.target, r.unit)}).")
    else:
        side = "below" if r.direction == "higher" else "above"
        if r.status == "red":
            threshold = r.red_low if r.direction == "higher" else r.red_high
            text = (f"{r.name} is {format_value(r.value, r.unit)}{when}, {side} the red threshold "
                    f"{format_value(threshold, r.unit)} (target {format_value(r.target, r.unit)}).")
        else:
            text = f"{r.name} is {format_value(r.value, r.unit)}{when}, {side} the target " \
                   f"{format_value(r.target, r.unit)}."
    if r.action and r.status != "no data":
        text += f" Action: {r.action}"
    return text


@dataclass(frozen=True)
class Scorecard(Result):
    """
    KPIs against targets: value, status, change, trend and alerts.

    Built by :func:`scorecard`.

    Attributes
    ----------
    table : DataFrame
        One row per KPI (and group, with the group columns first): ``kpi``,
        ``name``, ``period`` (the latest), ``value``, ``target``, ``status``
        (green, amber, red, no data), ``change`` (value - previous period's,
        in the KPI's unit), ``trend`` (list of the last values, oldest
        first, ready for a sparkline), ``alert`` (text; empty when green),
        ``direction`` (higher, lower, band), ``tolerance``, ``green_low``,
        ``green_high``, ``red_low``, ``red_high`` (green inside the first
        pair, red outside the second), ``unit``, ``frequency``, ``source``,
        ``action``.
    params : dict
        ``title``, ``trend`` and the checked ``targets``.
    """

    table: pd.DataFrame
    params: dict = field(default_factory=dict)

    def figures(self):
        """``kpis`` and how many are ``green``, ``amber``, ``red`` and ``no_data``, and ``alerts`` (texts)."""
        counts = self.table["status"].value_counts()
        return {"kpis": int(len(self.table)),
                **{s.replace(" ", "_"): int(counts.get(s, 0)) for s in STATUSES},
                "alerts": int((self.table["alert"] != "").sum())}

    @property
    def alerts(self):
        """The rows out of bounds (amber, red) or without data, worst first: group, kpi, status, value, alert."""
        order = {"red": 0, "amber": 1, "no data": 2}
        out = self.table[self.table["status"].isin(list(order))]
        out = out.assign(_o=out["status"].map(order)).sort_values("_o", kind="stable").drop(columns="_o")
        groups = [c for c in self.table.columns if c not in _TABLE_COLUMNS]
        return out[groups + ["kpi", "name", "period", "status", "basis", "value", "target", "alert",
                             "action"]].reset_index(drop=True)

    def _headline(self):
        counts = self.table["status"].value_counts()
        parts = ", ".join(f"{counts.get(s, 0)} {s}" for s in STATUSES if counts.get(s, 0))
        title = self.params.get("title") or "KPI scorecard"
        return f"{title}{self._basis_note()}: {len(self.table)} KPI(s): {parts}"

    def _basis_note(self):
        """' (simulated inputs)' when every KPI came from simulated inputs, ' (3 KPIs from simulated inputs)' when
        some did; '' when all were measured."""
        basis = self.table["basis"] if "basis" in self.table else pd.Series(dtype=object)
        other = basis[basis != "measured"]
        if not len(other):
            return ""
        kinds = " or ".join(sorted(set(other)))
        if len(other) == len(basis):
            return f" ({kinds} inputs)"
        return f" ({len(other)} KPI(s) from {kinds} inputs)"

    def __repr__(self):
        t = self.table
        groups = [c for c in t.columns if c not in _TABLE_COLUMNS]
        shown = t[groups].copy()
        shown["name"] = [_label(r) for r in t.itertuples(index=False)]
        shown["value"] = [format_value(x, u) for x, u in zip(t["value"], t["unit"])]
        shown["target"] = [format_value(x, u) for x, u in zip(t["target"], t["unit"])]
        shown["status"] = t["status"]
        shown["change"] = [_format_change(x, u) for x, u in zip(t["change"], t["unit"])]
        shown["trend"] = [sparkline(x) for x in t["trend"]]
        text = f"{self._headline()}\n{shown.to_string(index=False)}"
        alerts = [a for a in t["alert"] if a]
        if alerts:
            text += "\nAlerts:\n  " + "\n  ".join(alerts)
        return text

    def _repr_html_(self):
        t = self.table
        groups = [c for c in t.columns if c not in _TABLE_COLUMNS]
        head = "".join(f"<th>{h}</th>" for h in groups + ["KPI", "period", "value", "target", "status", "change",
                                                          "trend"])
        body = []
        for r in t.itertuples(index=False):
            colour = STATUS_COLOURS[r.status]
            cells = [f"<td>{getattr(r, g)}</td>" for g in groups]
            period = "" if pd.isna(r.period) else f"{pd.Timestamp(r.period):%Y-%m-%d %H:%M}".replace(" 00:00", "")
            cells += [f"<td title='{r.kpi}'>{_label(r)}</td>", f"<td>{period}</td>",
                      f"<td style='text-align:right'>{format_value(r.value, r.unit)}</td>",
                      f"<td style='text-align:right'>{format_value(r.target, r.unit)}</td>",
                      f"<td style='background:{colour};color:white;font-weight:bold;text-align:center'>"
                      f"{r.status}</td>",
                      f"<td style='text-align:right'>{_format_change(r.change, r.unit)}</td>",
                      f"<td style='font-family:monospace'>{sparkline(r.trend)}</td>"]
            body.append("<tr>" + "".join(cells) + "</tr>")
        html = f"<h4>{self._headline()}</h4><table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        alerts = [a for a in t["alert"] if a]
        if alerts:
            html += "<p><b>Alerts</b></p><ul>" + "".join(f"<li>{a}</li>" for a in alerts) + "</ul>"
        return html

    def plot(self, ax=None, *, ncols=4, **kwargs):
        """
        KPI tiles: the value, target and status colour of each KPI, with its trend as a sparkline.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Drawn on (its frame is hidden, the tiles are laid out inside it
            and a caption under it says how to read a tile); a new figure
            when None.
        ncols : int
            Tiles per row.
        **kwargs
            Passed to the sparkline's ``plot``.

        Returns
        -------
        matplotlib Axes
        """
        import matplotlib.pyplot as plt
        from matplotlib.patches import FancyBboxPatch

        t = self.table
        n = len(t)
        ncols = max(1, min(v.check_count(ncols, "ncols"), n))
        nrows = int(np.ceil(n / ncols))
        if ax is None:
            _, ax = plt.subplots(figsize=(3.2 * ncols, 2.0 * nrows + 0.3))
        card_axes(ax, f"Each tile: the KPI in its latest period, its target and the change on the period before; "
                      f"the line: its last {self.params.get('trend', 12)} periods, oldest at the left (dashed: the "
                      "target)")
        ax.set_xlim(0, ncols)
        ax.set_ylim(0, nrows)
        groups = [c for c in t.columns if c not in _TABLE_COLUMNS]
        for i, r in enumerate(t.itertuples(index=False)):
            col, row = i % ncols, nrows - 1 - i // ncols
            colour = STATUS_COLOURS[r.status]
            ax.add_patch(FancyBboxPatch((col + 0.04, row + 0.06), 0.92, 0.88,
                                        boxstyle="round,pad=0.0,rounding_size=0.04", facecolor=colour, alpha=0.15,
                                        edgecolor=colour, lw=2))
            label = _label(r) + (" - " + ", ".join(str(getattr(r, g)) for g in groups) if groups else "")
            ax.text(col + 0.1, row + 0.84, label, fontsize=9, va="top", ha="left")
            ax.text(col + 0.1, row + 0.62, format_value(r.value, r.unit), fontsize=15, fontweight="bold", va="top",
                    ha="left", color=colour)
            ax.text(col + 0.1, row + 0.30,
                    f"target {format_value(r.target, r.unit)}  {_format_change(r.change, r.unit)}",
                    fontsize=8, va="top", ha="left", color="0.3")
            values = np.asarray(r.trend, dtype=float)
            if values.size > 1 and np.isfinite(values).any():
                inset = ax.inset_axes([col + 0.55, row + 0.36, 0.38, 0.3], transform=ax.transData)
                inset.plot(np.arange(values.size), values, color=colour, lw=1.5, **kwargs)
                inset.axhline(r.target, color="0.5", lw=0.8, ls="--")
                inset.set_axis_off()
        ax.set_title(self._headline(), fontsize=10)
        return ax
