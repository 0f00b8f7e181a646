r"""
A KPI scorecard: each KPI's latest value against its target, a red / amber /
green status, the change on the previous period, a trend and the alerts for
KPIs out of bounds.

The targets are the KPI template managers keep in Excel, as YAML (or the
same structure as a dict)::

    title: Inbound voice, daily
    kpis:
      service_level:
        name: Service level (80/20)
        frequency: D
        target: 0.80
        amber: 0.80        # worse than this turns amber (default: the target)
        red: 0.70          # worse than this turns red (default: amber)
        higher_is_better: true
        source: ACD contact log
        action: Re-forecast the afternoon; call in part-timers.

Keys of each KPI (only ``target`` is required):

================== =================================================================================
key                meaning
================== =================================================================================
``name``           label shown on the scorecard (default: the KPI's column name)
``frequency``      how often it is measured: ``interval``/``15min``/``30min``/``h``, ``D``, ``W``,
                   ``M``; checked against the frequency the KPIs were computed at
``target``         the value aimed at, in the KPI's unit (rates as fractions: 0.8, not 80)
``amber``          the threshold past which the status turns amber (default: ``target``)
``red``            the threshold past which it turns red (default: ``amber``)
``higher_is_better`` direction; defaults from the catalogue where one direction is better
``source``         where the data comes from (default: the catalogue's source)
``action``         the action plan when it is out of bounds
``description``    free text
================== =================================================================================

Status, for a KPI where higher is better (mirror it when lower is better):
**green** when the value is at or above ``amber``, **amber** when below
``amber`` but at or above ``red``, **red** when below ``red``; "no data"
when the KPI was not computed or is NaN in the latest period. So ``red <=
amber <= target`` when higher is better, and ``target <= amber <= red``
when lower is better; anything else is an error naming the KPI and the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import _validation as v
from ._timeline import check_freq
from .kpi import CATALOGUE, KPI_NAMES

__all__ = ["scorecard", "Scorecard", "load_targets", "TARGET_KEYS", "STATUS_COLOURS"]

#: Keys of one KPI's definition.
TARGET_KEYS = ("name", "frequency", "target", "amber", "red", "higher_is_better", "source", "action", "description")
_TOP_KEYS = ("title", "kpis")
#: Cell colours of the HTML table and the tiles.
STATUS_COLOURS = {"green": "#2e7d32", "amber": "#f9a825", "red": "#c62828", "no data": "#9e9e9e"}
_BETTER = {row[0]: row[4] for row in CATALOGUE}
_UNITS = {row[0]: row[3] for row in CATALOGUE}
_SOURCES = {row[0]: row[5] for row in CATALOGUE}
_FRACTION_UNITS = ("0-1",)


# --------------------------------------------------------------------------
# The definition file.
# --------------------------------------------------------------------------


def _number(value, path):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not np.isfinite(value):
        raise _bad_target(path, "a finite number", value)
    return float(value)


def _text(value, path):
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _bad_target(path, "text", value)
    return value


def load_targets(targets):
    """
    Read and check KPI definitions from a YAML file or a dict.

    Parameters
    ----------
    targets : str, Path or dict
        A YAML file with the keys ``title`` (optional) and ``kpis`` (KPI
        column name -> definition, see the module docstring), or the same
        structure as a dict. A dict without ``kpis`` is read as the ``kpis``
        mapping itself.

    Returns
    -------
    dict
        ``{"title": str, "kpis": {kpi: definition}}`` with every key of
        :data:`TARGET_KEYS` filled in (``frequency`` None when not given).

    Raises
    ------
    ValueError, TypeError
        Naming the file, the key path (``kpis.asa.red``) and the bad value:
        an unknown key or KPI, a missing target, a rate given as a
        percentage, thresholds in the wrong order for the direction.

    Examples
    --------
    >>> spec = load_targets({"service_level": {"target": 0.8, "red": 0.7}})
    >>> spec["kpis"]["service_level"]["amber"], spec["kpis"]["service_level"]["higher_is_better"]
    (0.8, True)
    """
    where = ""
    if isinstance(targets, (str, Path)):
        path = Path(targets)
        if not path.exists():
            raise FileNotFoundError(f"targets: no such file {str(path)!r}.")
        import yaml

        try:
            raw = yaml.safe_load(path.read_text())
        except yaml.YAMLError as err:
            raise ValueError(f"targets file {path.name!r} is not valid YAML: {err}") from None
        where = f" in {path.name}"
    elif isinstance(targets, dict):
        raw = targets if "kpis" in targets else {"kpis": targets}
    else:
        raise TypeError(f"targets must be the path of a YAML file or a dict; got {type(targets).__name__}.")
    if raw is None:
        raise ValueError(f"targets{where} is empty; it needs a 'kpis' mapping.")
    _check_yaml_keys(raw, f"targets{where}", _TOP_KEYS, required=("kpis",))
    kpis = raw["kpis"]
    if not isinstance(kpis, dict) or not kpis:
        raise _bad_target(f"kpis{where}", "a mapping of KPI name -> definition with at least one KPI", kpis)
    out = {}
    for kpi, spec in kpis.items():
        path = f"kpis.{kpi}{where}"
        if kpi not in KPI_NAMES:
            raise ValueError(f"{path}: unknown KPI {kpi!r}.{v._suggest(kpi, KPI_NAMES)} The KPIs are the columns "
                             "of wfm.kpis (see wfm.evaluate.catalogue()).")
        if not isinstance(spec, dict):
            spec = {"target": spec}  # `asa: 30` is a bare target
        _check_yaml_keys(spec, path, TARGET_KEYS, required=("target",))
        target = _number(spec["target"], f"{path}.target")
        amber = _number(spec["amber"], f"{path}.amber") if spec.get("amber") is not None else target
        red = _number(spec["red"], f"{path}.red") if spec.get("red") is not None else amber
        if _UNITS[kpi] in _FRACTION_UNITS:
            for key, val in (("target", target), ("amber", amber), ("red", red)):
                if not 0 <= val <= 1:
                    hint = f"Did you mean {val / 100:g}? Rates are fractions, not percentages." if 1 < val <= 100 \
                        else ""
                    raise _bad_target(f"{path}.{key}", "a fraction in [0, 1]", val, hint)
        better = spec.get("higher_is_better")
        if better is None:
            if _BETTER[kpi] is None:
                raise ValueError(f"{path} needs higher_is_better (true or false): for {kpi} neither direction is "
                                 "better by itself.")
            better = _BETTER[kpi] == "higher"
        elif not isinstance(better, bool):
            raise _bad_target(f"{path}.higher_is_better", "true or false", better)
        ordered = (red <= amber <= target) if better else (target <= amber <= red)
        if not ordered:
            order = "red <= amber <= target" if better else "target <= amber <= red"
            raise _bad_target(f"{path}", f"ordered {order} when {'higher' if better else 'lower'} is better",
                               {"target": target, "amber": amber, "red": red},
                               "amber and red are the thresholds past which the status turns amber and red.")
        freq = spec.get("frequency")
        if freq is not None:
            if not isinstance(freq, str):
                raise _bad_target(f"{path}.frequency", "a frequency such as 'D', 'W' or 'M'", freq)
            try:
                check_freq("30min" if freq == "interval" else freq, f"{path}.frequency")
            except (TypeError, ValueError) as err:
                raise ValueError(str(err)) from None
        out[kpi] = {"name": _text(spec.get("name"), f"{path}.name") or kpi, "frequency": freq, "target": target,
                    "amber": amber, "red": red, "higher_is_better": better,
                    "source": _text(spec.get("source"), f"{path}.source") or _SOURCES[kpi],
                    "action": _text(spec.get("action"), f"{path}.action"),
                    "description": _text(spec.get("description"), f"{path}.description")}
    return {"title": _text(raw.get("title"), f"title{where}"), "kpis": out}


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


def _pick(frames, kpi, freq):
    """The frame a KPI is read from."""
    if "_any" in frames:
        frame = frames["_any"]
        have = frame.attrs.get("freq", "_unknown")
        if freq is not None and have != "_unknown":
            want = check_freq("30min" if freq == "interval" else freq)
            if check_freq(have) != want and not (freq == "interval" and isinstance(check_freq(have), tuple)
                                                 and check_freq(have)[1] < pd.Timedelta(days=1)):
                raise ValueError(f"kpis.{kpi}.frequency is {freq!r} but the KPIs were computed with freq={have!r}; "
                                 f"compute wfm.kpis(..., freq={freq!r}) too and pass a dict such as "
                                 f"{{{have!r}: ..., {freq!r}: ...}}.")
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
    return [c for c in frame.columns if c != "period" and c not in KPI_NAMES]


def _status(value, amber, red, higher):
    value = np.asarray(value, dtype=float)
    if higher:
        status = np.where(value >= amber, "green", np.where(value >= red, "amber", "red"))
    else:
        status = np.where(value <= amber, "green", np.where(value <= red, "amber", "red"))
    return np.where(np.isnan(value), "no data", status).astype(object)


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


def scorecard(kpis, targets, *, trend=12):
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

    Returns
    -------
    Scorecard
        ``.table`` with one row per KPI (and group): the latest period's
        value, its target and thresholds, ``status`` (green, amber, red or
        no data), ``change`` on the previous period (in the KPI's unit; rates
        in fraction points), ``trend`` (list of the last values, oldest first)
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
    >>> card = scorecard(k, {"service_level": {"target": 0.8, "amber": 0.8, "red": 0.7},
    ...                      "asa": {"target": 20, "amber": 30, "red": 40}})
    >>> card.table[["kpi", "value", "target", "status", "change"]]
                 kpi  value  target status  change
    0  service_level   0.66     0.8    red   -0.12
    1            asa  41.00    20.0    red   16.00
    >>> card.table.loc[0, "trend"]
    [0.82, 0.78, 0.66]
    """
    spec = load_targets(targets)
    n_trend = v.check_count(trend, "trend", minimum=1, unit="periods")
    frames = _frames(kpis)
    rows = []
    for kpi, d in spec["kpis"].items():
        frame = _pick(frames, kpi, d["frequency"])
        if "period" not in frame.columns:
            raise ValueError("kpis must have a 'period' column, as wfm.kpis returns.")
        groups = _group_columns(frame)
        base = {"kpi": kpi, "name": d["name"], "target": d["target"], "amber": d["amber"], "red": d["red"],
                "higher_is_better": d["higher_is_better"], "unit": _UNITS[kpi], "frequency": d["frequency"],
                "source": d["source"], "action": d["action"]}
        if kpi not in frame.columns:
            keys = frame[groups].drop_duplicates() if groups else pd.DataFrame(index=[0])
            for _, key in keys.iterrows():
                rows.append({**base, **key.to_dict(), "period": pd.NaT, "value": np.nan, "previous": np.nan,
                             "trend": [], "missing": f"not computed: it needs {_SOURCES[kpi]}"})
            continue
        f = frame.sort_values("period", kind="stable")
        g = f.groupby(groups, sort=False, dropna=False) if groups else None
        if g is None:
            last = f.tail(1)
            prev = f[kpi].iloc[-2] if len(f) > 1 else np.nan
            tail = [f[kpi].tail(n_trend).tolist()]
            keys = [{}]
            lasts = [(last["period"].iloc[0], last[kpi].iloc[0], prev)]
        else:
            last = g.tail(1).reset_index(drop=True)
            second = g.nth(-2).reset_index(drop=True) if len(f) else f.head(0)
            prev_map = second.set_index(groups)[kpi] if len(second) else pd.Series(dtype=float)
            trend_map = g.tail(n_trend).groupby(groups, sort=False, dropna=False)[kpi].agg(list)
            keys = last[groups].to_dict("records")
            lasts, tail = [], []
            for key, (_, r) in zip(keys, last.iterrows()):
                idx = tuple(key[c] for c in groups) if len(groups) > 1 else key[groups[0]]
                prev = prev_map.get(idx, np.nan) if len(prev_map) else np.nan
                lasts.append((r["period"], r[kpi], prev))
                tail.append(trend_map.get(idx, []))
        for key, (period, value, prev), tr in zip(keys, lasts, tail):
            rows.append({**base, **key, "period": period, "value": float(value), "previous": float(prev),
                         "trend": [float(x) for x in tr], "missing": "" if np.isfinite(value) else
                         "no value in the latest period (its denominator was 0)"})
    table = pd.DataFrame(rows)
    group_cols = [c for c in table.columns if c not in _TABLE_COLUMNS + ["previous", "missing"]]
    status = np.empty(len(table), dtype=object)
    for better in (True, False):
        m = (table["higher_is_better"] == better).to_numpy()
        status[m] = _status(table.loc[m, "value"], table.loc[m, "amber"].to_numpy(dtype=float),
                            table.loc[m, "red"].to_numpy(dtype=float), better)
    table["status"] = status
    table["change"] = table["value"] - table["previous"]
    table["alert"] = [_alert(r) for r in table.itertuples(index=False)]
    table = table[group_cols + _TABLE_COLUMNS]
    return Scorecard(table, dict(title=spec["title"], trend=n_trend, targets=spec["kpis"]))


_TABLE_COLUMNS = ["kpi", "name", "period", "value", "target", "status", "change", "trend", "alert", "amber", "red",
                  "higher_is_better", "unit", "frequency", "source", "action"]


def _alert(r):
    if r.status == "green":
        return ""
    when = f" on {pd.Timestamp(r.period):%Y-%m-%d %H:%M}".replace(" 00:00", "") if pd.notna(r.period) else ""
    if r.status == "no data":
        text = f"{r.name}: {r.missing}{when}."
    else:
        side = "below" if r.higher_is_better else "above"
        threshold = r.red if r.status == "red" else r.amber
        text = (f"{r.name} is {format_value(r.value, r.unit)}{when}, {side} the {r.status} threshold "
                f"{format_value(threshold, r.unit)} (target {format_value(r.target, r.unit)}).")
    if r.action and r.status != "no data":
        text += f" Action: {r.action}"
    return text


@dataclass(frozen=True)
class Scorecard:
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
        ``amber``, ``red``, ``higher_is_better``, ``unit``, ``frequency``,
        ``source``, ``action``.
    params : dict
        ``title``, ``trend`` and the checked ``targets``.
    """

    table: pd.DataFrame
    params: dict = field(default_factory=dict)

    @property
    def alerts(self):
        """The rows out of bounds (amber, red) or without data, worst first: group, kpi, status, value, alert."""
        order = {"red": 0, "amber": 1, "no data": 2}
        out = self.table[self.table["status"] != "green"]
        out = out.assign(_o=out["status"].map(order)).sort_values("_o", kind="stable").drop(columns="_o")
        groups = [c for c in self.table.columns if c not in _TABLE_COLUMNS]
        return out[groups + ["kpi", "name", "period", "status", "value", "target", "alert", "action"]].reset_index(
            drop=True)

    def _headline(self):
        counts = self.table["status"].value_counts()
        parts = ", ".join(f"{counts.get(s, 0)} {s}" for s in ("green", "amber", "red", "no data")
                          if counts.get(s, 0))
        title = self.params.get("title") or "KPI scorecard"
        return f"{title}: {len(self.table)} KPI(s): {parts}"

    def __repr__(self):
        t = self.table
        groups = [c for c in t.columns if c not in _TABLE_COLUMNS]
        shown = t[groups + ["name"]].copy()
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
            cells += [f"<td title='{r.kpi}'>{r.name}</td>", f"<td>{period}</td>",
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
            Drawn on (its frame is hidden and the tiles are laid out inside
            it); a new figure when None.
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
            _, ax = plt.subplots(figsize=(3.2 * ncols, 2.0 * nrows))
        ax.set_axis_off()
        ax.set_xlim(0, ncols)
        ax.set_ylim(0, nrows)
        groups = [c for c in t.columns if c not in _TABLE_COLUMNS]
        for i, r in enumerate(t.itertuples(index=False)):
            col, row = i % ncols, nrows - 1 - i // ncols
            colour = STATUS_COLOURS[r.status]
            ax.add_patch(FancyBboxPatch((col + 0.04, row + 0.06), 0.92, 0.88,
                                        boxstyle="round,pad=0.0,rounding_size=0.04", facecolor=colour, alpha=0.15,
                                        edgecolor=colour, lw=2))
            label = r.name + (" - " + ", ".join(str(getattr(r, g)) for g in groups) if groups else "")
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


def _bad_target(path, expected, value, hint=""):
    """The error for a KPI definition entry: the key path, what it must be, what arrived."""
    return ValueError(f"{path} must be {expected}; got {value!r}.{(' ' + hint) if hint else ''}")


def _check_yaml_keys(mapping, path, allowed, required=()):
    """A YAML mapping at ``path`` with keys among ``allowed`` and every key of ``required``."""
    if not isinstance(mapping, dict):
        raise TypeError(f"{path} must be a mapping with keys from {list(allowed)}; got {type(mapping).__name__} "
                        f"{mapping!r}.")
    for key in mapping:
        if key not in allowed:
            raise ValueError(f"{path} has unknown key {key!r}.{v._suggest(key, allowed)} The keys are {list(allowed)}.")
    for key in required:
        if key not in mapping:
            raise ValueError(f"{path} needs the key {key!r}; got keys {list(mapping)}.")
    return mapping
