"""The :class:`Forecast` results object: a table, the method used, its backtest scores; presentation only."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from .. import _validation as v
from .._results import INTERVALS_LABEL, Result, figures_frame


@dataclass(frozen=True)
class Forecast(Result):
    """
    A volume forecast with its band, the method behind it and that method's backtest scores.

    Built by :func:`wfm.forecast.forecast`; :func:`wfm.forecast_volume`
    returns just its table.

    Attributes
    ----------
    table : DataFrame
        One row per future interval: ``forecast``, ``lower``, ``upper``
        [calls per interval], and ``actual`` once added with
        :meth:`with_actual`.
    method : str
        The method that made the forecast; for ``method="auto"`` the one
        the backtest chose.
    scores : DataFrame
        The rolling-origin backtest inside the history: one row per method
        tried, with ``wape`` (interval), ``daily_wape``, ``bias`` [fractions],
        ``windows`` (origins scored), ``seconds`` (mean fit time per origin
        [s]) and, for the method used, ``coverage`` of its calibrated band in
        those windows [fraction].
    params : dict
        The arguments that built it (``method``, ``level``, ``n_windows``,
        options and calendar overrides) plus ``dispersion`` (the band's
        coefficient of variation beyond Poisson noise, ``{"ordinary": c,
        "after_closure": c}``: days after a closure get their own),
        ``interval`` [s],
        ``calendar`` (:class:`~wfm.calendar.OpenCalendar`),
        ``week_start`` (``"MON"`` ... ``"SUN"``), ``week_start_inferred``
        (whether it was read from the open days), ``backtest_origins``
        and ``band``: how the band was
        calibrated (``{"calibration": "backtest", "windows": 6,
        "coverage": 0.80}``, or ``"one-step"`` with the one-step dispersion
        and its horizon scale when the history was too short; its
        ``distribution``: negative binomial for counts, gamma when the
        history is not whole numbers). For ``method="auto"`` also
        ``choice``: ``{"chosen", "reason", "level_shift"}``, what was
        chosen and why in words, and what the level-shift test saw
        (:mod:`wfm.forecast.shifts`: ``seen``, ``used``, ``date``,
        ``ratio``, ``description``, ``reason``).
    """

    table: pd.DataFrame
    method: str
    scores: pd.DataFrame = field(default_factory=pd.DataFrame)
    params: dict = field(default_factory=dict)

    @property
    def level(self):
        """Coverage the band was built for. [fraction]"""
        return self.params.get("level", 0.8)

    @property
    def coverage(self):
        """
        Coverage the band achieved in the in-history backtest that calibrated it. [fraction]

        NaN when the history was too short for two backtest origins and the
        band was calibrated on one-step errors instead
        (``params["band"]["calibration"]`` says which).
        """
        return float(self.params.get("band", {}).get("coverage", np.nan))

    def with_actual(self, actual):
        """
        The same forecast with an ``actual`` column, for plots and accuracy checks.

        Parameters
        ----------
        actual : Series
            Calls that arrived, on (a superset of) the forecast's index.
            [calls per interval]

        Returns
        -------
        Forecast
        """
        if not isinstance(actual, pd.Series):
            raise TypeError("actual must be a Series of calls on the forecast's timestamps; got "
                            f"{type(actual).__name__}.")
        missing = self.table.index.difference(actual.index)
        if len(missing):
            raise ValueError(f"actual must cover every forecast interval; it lacks {len(missing)} of "
                             f"{len(self.table)}, first {missing[0]}.")
        values = v.as_float_array(actual.reindex(self.table.index), "actual", index=self.table.index)
        table = self.table.copy()
        table["actual"] = values
        return replace(self, table=table)

    def totals(self, freq="D"):
        """
        Forecast (and actual) calls per day or week.

        Parameters
        ----------
        freq : {"D", "W"}
            Per calendar day, or per week starting on Monday.

        Returns
        -------
        DataFrame
            ``forecast`` (and ``actual``) summed per period. [calls per
            period] The band is not summed: the sum of interval bounds is not
            a band of the summed calls.
        """
        v.check_choice(freq, "freq", ("D", "W"))
        idx = self.table.index
        wall = idx.tz_localize(None) if idx.tz is not None else idx
        day = wall.normalize()
        key = day if freq == "D" else day - pd.to_timedelta(day.day_of_week, unit="D")
        cols = [c for c in ("forecast", "actual") if c in self.table.columns]
        out = self.table[cols].groupby(key).sum()
        out.index.name = "date" if freq == "D" else "week"
        return out

    def plot(self, ax=None, **kwargs):
        """Forecast with its band (and the actual calls, if added); returns the Axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(11, 4))
        t = self.table
        x = np.arange(len(t))
        ax.fill_between(x, t["lower"], t["upper"], color="C0", alpha=0.25, lw=0, label=f"{self.level:.0%} band")
        if "actual" in t.columns:
            ax.plot(x, t["actual"], color="0.15", lw=1, label="actual")
        ax.plot(x, t["forecast"], color="C0", lw=1.4, label=f"forecast ({self.method})", **kwargs)
        idx = t.index.tz_localize(None) if t.index.tz is not None else t.index
        days = idx.normalize()
        starts = np.flatnonzero(np.r_[True, days[1:] != days[:-1]]) if len(t) else np.array([], dtype=int)
        ax.set_xticks(starts)
        ax.set_xticklabels([days[i].strftime("%a\n%d %b") for i in starts], fontsize="small")
        for s in starts[1:]:
            ax.axvline(s - 0.5, color="0.8", lw=0.6)
        ax.set_xlim(-0.5, max(len(t) - 0.5, 0.5))
        ax.set_ylim(bottom=0)
        ax.set_xlabel(INTERVALS_LABEL)
        ax.set_ylabel("calls per interval")
        ax.set_title(f"Forecast by {self.method}, {self.level:.0%} band")
        ax.legend(loc="upper right", fontsize="small", frameon=False)
        return ax

    def heatmap(self, ax=None, column="forecast", **kwargs):
        """Mean ``column`` by weekday and time of day (see :func:`wfm.forecast.heatmap`); returns the Axes."""
        from .peaks import heatmap

        return heatmap(self.table[column], ax=ax, **kwargs)

    def figures(self):
        """Plain numbers: calls forecast, intervals, level, in-history coverage, and the level shift used."""
        shift = self.params.get("choice", {}).get("level_shift", {})
        return {"intervals": int(len(self.table)), "calls": float(self.table["forecast"].sum()),
                "level": float(self.level), "backtest_coverage": float(self.coverage),
                "backtest_wape": float(self.scores.loc[self.scores["method"] == self.method, "wape"].min())
                if "wape" in self.scores else np.nan,
                "level_shift_ratio": float(shift["ratio"]) if shift.get("used") else np.nan}

    def summary(self):
        """The figures under labels (index ``key``, columns ``figure``, ``value``), with the method and, for
        ``method="auto"``, why it was chosen and any level shift seen."""
        rows = {"method": self.method, **self.figures()}
        choice = self.params.get("choice")
        if choice:
            shift = choice.get("level_shift", {})
            rows["why"] = choice.get("reason", "")
            rows["level_shift"] = shift.get("description", "none seen") + (
                f": {shift['reason']}" if shift.get("reason") else "")
        rows["band"] = ", ".join(f"{k} {v}" for k, v in self.params.get("band", {}).items()
                                 if k in ("calibration", "windows", "distribution"))
        return figures_frame(rows, {})

    def sheets(self):
        return {"table": self.table, "backtest_scores": self.scores}

    def _headline(self):
        t = self.table
        first, last = (t.index[0], t.index[-1]) if len(t) else (None, None)
        span = f"{first:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M}" if first is not None else "no intervals"
        band = self.params.get("band", {})
        how = (f"covered {self.coverage:.0%} in a {band.get('windows')}-origin backtest"
               if band.get("calibration") == "backtest" else f"calibrated on {band.get('calibration', '-')} errors")
        choice = self.params.get("choice")
        why = ""
        if choice:
            shift = choice.get("level_shift", {})
            why = f". Why: {choice.get('reason', '')}"
            if shift.get("seen"):
                why += f". Saw a {shift['description']}; " + shift.get("reason", "")
        return (f"Forecast by {self.method}: {len(t)} intervals, {span}, {t['forecast'].sum():,.0f} calls, "
                f"{self.level:.0%} band (dispersion {self._dispersion()}; {how}){why}")

    def _dispersion(self):
        d = self.params.get("dispersion")
        if isinstance(d, dict):
            return ", ".join(f"{k.replace('_', ' ')} {val:.3f}" for k, val in d.items())
        return "-" if d is None else f"{d:.3f}"

    def __repr__(self):
        scores = self.scores.to_string(float_format=lambda x: f"{x:.4g}", na_rep="-", index=False) \
            if len(self.scores) else "(none)"
        return f"{self._headline()}\nbacktest in the history:\n{scores}\n{self.table.head(10)!r}"

    def _repr_html_(self):
        scores = self.scores.to_html(float_format=lambda x: f"{x:.4g}", na_rep="-", index=False) \
            if len(self.scores) else "<p>(none)</p>"
        return (f"<h4>{self._headline()}</h4><p>Rolling-origin backtest in the history</p>{scores}"
                f"<p>First intervals</p>{self.table.head(20).to_html(float_format=lambda x: f'{x:.1f}')}")
