"""
Rolling-origin backtest inside one history, on the day x slot panel.

The forecasting layer may not import :mod:`wfm.evaluate` (it sits to the
right), so the little scoring that method selection and band calibration
need lives here: cut the panel at the start of each of the last few weeks,
forecast the next open days from the rows before the cut, and compare with
the rows after it. Scores are the interval WAPE, the daily-total WAPE and the
bias, as defined in :mod:`wfm.evaluate.accuracy`; ``wfm.backtest`` remains
the yardstick for judging a method from outside.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass
class Window:
    cut: int                 # first row the method does not see
    rows: np.ndarray         # rows scored (observed days at/after the cut)


@dataclass
class Pairs:
    """Actual and forecast calls of every scored cell, with the window and row of each."""

    actual: np.ndarray
    forecast: np.ndarray
    window: np.ndarray
    row: np.ndarray
    seconds: list = field(default_factory=list)
    origins: list = field(default_factory=list)

    def scores(self):
        """Mean over windows of interval WAPE, daily WAPE and bias."""
        out = {"wape": [], "daily_wape": [], "bias": []}
        for w in np.unique(self.window):
            m = self.window == w
            a, f = self.actual[m], self.forecast[m]
            total = a.sum()
            if total <= 0:
                continue
            out["wape"].append(np.abs(f - a).sum() / total)
            rows = self.row[m]
            da = np.bincount(rows - rows.min(), weights=a)
            df = np.bincount(rows - rows.min(), weights=f)
            out["daily_wape"].append(np.abs(df - da).sum() / total)
            out["bias"].append((f - a).sum() / total)
        return {k: float(np.mean(val)) if val else np.nan for k, val in out.items()}


def windows(panel, horizon_days, n_windows, min_train_days):
    """The last ``n_windows`` weekly origins with ``horizon_days`` observed days after them."""
    n = panel.n_hist
    observed = panel.observed[:n] & panel.template[:n].any(axis=1)
    dates = panel.dates[:n]
    week = np.asarray((dates - pd.to_timedelta(dates.day_of_week, unit="D")).asi8)
    starts = np.flatnonzero(np.r_[True, week[1:] != week[:-1]])
    obs_before = np.r_[0, np.cumsum(observed)]
    out = []
    for cut in starts[::-1]:
        if obs_before[cut] < min_train_days:
            break
        rows = np.flatnonzero(observed[cut:])[:horizon_days] + cut
        if rows.size < horizon_days:
            continue
        out.append(Window(int(cut), rows))
        if len(out) == n_windows:
            break
    return out[::-1]


def collect(point, panel, wins):
    """Fit ``point`` at each window's cut and gather (actual, forecast) on the observed cells after it."""
    actual, forecast, window, row, seconds = [], [], [], [], []
    for k, win in enumerate(wins):
        cut_panel = panel.history(win.cut)
        start = time.perf_counter()
        matrix = point(cut_panel)
        seconds.append(time.perf_counter() - start)
        block = panel.values[win.rows]
        seen = ~np.isnan(block)
        r, c = np.nonzero(seen)
        actual.append(block[r, c])
        forecast.append(matrix[win.rows][r, c])
        window.append(np.full(r.size, k))
        row.append(win.rows[r])
    if not wins:
        empty = np.zeros(0)
        return Pairs(empty, empty, empty.astype(int), empty.astype(int))
    return Pairs(np.concatenate(actual), np.maximum(np.concatenate(forecast), 0.0), np.concatenate(window),
                 np.concatenate(row), seconds, [panel.dates[w.cut] for w in wins])
