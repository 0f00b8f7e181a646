r"""
Rolling-origin backtest: refit a forecasting method at each origin on the
history before it, forecast the next open days, and score the forecast
against what happened.

A forecasting method is any function ``f(history, future_index)`` that takes
the calls before the origin (a Series on a DatetimeIndex) and the timestamps
to forecast, and returns a DataFrame on exactly ``future_index`` with a
``forecast`` column and, optionally, a prediction band in ``lower`` and
``upper`` [calls per interval]. The method never sees a timestamp at or
after the origin: it gets a copy of ``history[history.index < origin]``.

References
----------
.. [1] L. J. Tashman, "Out-of-sample tests of forecasting accuracy: an
   analysis and review", International Journal of Forecasting 16(4),
   437-450, 2000. (Rolling-origin evaluation.)
.. [2] R. J. Hyndman and G. Athanasopoulos, "Forecasting: Principles and
   Practice", 3rd ed., OTexts, 2021, section 5.10 (time series
   cross-validation).
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import _validation as v
from .._results import INTERVALS_LABEL, Result, legend_below
from ..calendar import _WEEKDAYS, check_week_start, infer_week_start
from ..metrics import _check_level, _check_levels, _group, error_ratio, forecast_accuracy
from ._windows import FUTURE_FROM_HISTORY, _check_history, _default_origins, _label, _open_days, backtest_origins

__all__ = ["backtest", "backtest_origins", "Backtest"]


def _resolve_method(method, level, week_start="MON"):
    """(callable f(history, future_index), its name for display)."""
    if isinstance(method, str):
        from ._core import forecast_volume  # the methods by name; _core imports the in-history engine below

        def by_name(history, future_index):
            out = forecast_volume(history, future_index, method=method, level=level, week_start=week_start)
            return getattr(out, "table", out)

        return by_name, method
    if not callable(method):
        raise TypeError(
            "method must be a function f(history, future_index) -> DataFrame with a 'forecast' column, "
            f"or a method name of wfm.forecast_volume; got {type(method).__name__}."
        )
    inner = getattr(method, "func", method)  # functools.partial keeps the function in .func
    return method, getattr(method, "__name__", getattr(inner, "__name__", type(method).__name__))


def _future_index(index, days, origin, horizon):
    """Timestamps of ``index`` at/after ``origin`` on its first ``horizon`` open days."""
    start = index.searchsorted(origin, side="left")
    after_days = days[start:].unique()
    if len(after_days) < horizon:
        last = _label(index[-1])
        raise ValueError(
            f"horizon of {horizon} open days from origin {_label(origin)} runs past the history: history has "
            f"{len(after_days)} open day(s) at or after it and ends at {last}. Pick an earlier origin or a "
            "shorter horizon."
        )
    stop = days.searchsorted(after_days[horizon - 1], side="right")
    return index[start:stop]


def _as_origin(value, tz):
    try:
        origin = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise TypeError(f"origins must be timestamps, e.g. '2003-10-06'; got {value!r}.") from None
    if origin is pd.NaT:
        raise ValueError(f"origins must be timestamps; got {value!r}.")
    if tz is not None and origin.tz is None:
        origin = origin.tz_localize(tz)
    elif tz is None and origin.tz is not None:
        raise ValueError(v.mixed_clocks(f"origins ({value!r})", origin.tz, "history's index", None,
                                        f"give the origin as history's local time, e.g. '{origin:%Y-%m-%d %H:%M}'"))
    return origin


def _check_output(out, future_index, origin):
    """The method's DataFrame, checked: forecast column, optional band, on future_index, no NaN."""
    where = f"at origin {_label(origin)}"
    if not isinstance(out, pd.DataFrame):
        raise TypeError(f"method must return a DataFrame with a 'forecast' column on future_index; got "
                        f"{type(out).__name__} {where}.")
    if "forecast" not in out.columns:
        raise ValueError(f"method must return a 'forecast' column; got columns {list(out.columns)} {where}.")
    has = [c for c in ("lower", "upper") if c in out.columns]
    if len(has) == 1:
        missing = "upper" if has == ["lower"] else "lower"
        raise ValueError(f"method returned {has[0]} without {missing} {where}; a band needs both.")
    named = {"future_index": pd.Series(0.0, index=future_index), f"method's output {where}": out["forecast"]}
    v.check_aligned(**named)
    frame = pd.DataFrame(index=future_index)
    for col in ["forecast", *has]:
        arr = v.as_float_array(out[col], f"method's {col} {where}", index=future_index)
        v.check_finite(arr, f"method's {col} {where}", "calls", index=future_index)
        frame[col] = arr
    if has:
        v.check_ordered(frame["lower"].to_numpy(), frame["upper"].to_numpy(), index=future_index,
                        lower_name=f"method's lower {where}", upper_name="upper")
    return frame


def _at_origin(caught, name, origin):
    """The warnings of the method's fit at one origin, again, each saying it is about that origin (the method saw
    only the history before it): a fit's "history is too short" is about the origin's history, not the user's."""
    for w in caught:
        warnings.warn(f"backtest of {name!r} at origin {_label(origin)} (one backtest fit, on the history before "
                      f"that origin only; not your whole history): {w.message}", w.category, stacklevel=3)


def backtest(method, history, origins=None, horizon=5, levels=("interval", "day"), *, n_origins=4, level=0.8,
             season=None, week_start=None):
    r"""
    Judge a forecasting method by refitting it at rolling origins and scoring what it would have said.

    At each origin the method gets a copy of the calls strictly before the
    origin and the timestamps of the next ``horizon`` open days, and its
    forecast is scored against the calls that arrived with
    :func:`~wfm.metrics.forecast_accuracy`. MASE is scaled on the history
    the method saw. Nothing at or after the origin reaches the method.

    Parameters
    ----------
    method : callable or str
        ``f(history, future_index) -> DataFrame`` with a ``forecast`` column
        (and optionally ``lower`` and ``upper``) on exactly ``future_index``.
        A name is a method of ``wfm.forecast_volume``, once that exists.
    history : Series
        Calls per interval on a sorted DatetimeIndex of open intervals; both
        what the method is fitted on and the actuals it is scored against.
        Closed intervals (nights, weekends, holidays) are simply absent.
        [calls per interval]
    origins : sequence of timestamps, optional
        Where each forecast starts: the method sees ``history.index <
        origin``. Default: :func:`backtest_origins`, the last ``n_origins``
        week starts (``week_start``) with ``horizon`` open days after them.
    horizon : int
        Open days forecast from each origin: the history's own timestamps on
        the first ``horizon`` dates at or after the origin, so missing days
        are skipped, not forecast. [open days]
    levels : sequence of {"interval", "hour", "day", "week"}
        Levels to score at, as in :func:`~wfm.metrics.forecast_accuracy`.
    n_origins : int
        Number of default origins; ignored when ``origins`` is given. [count]
    level : float
        Coverage of the method's band, if it returns one. [fraction, 0-1)
    season : int, optional
        Lag of the seasonal naive forecast that scales MASE, as in
        :func:`~wfm.metrics.forecast_accuracy`. [intervals]
    week_start : str or int, optional
        The weekday weeks start on (``"MON"``, ``"SUN"``, ...): the default
        origins fall on it, the ``"week"`` level is scored in these weeks,
        and a method given by name gets it. None (default): read from the
        history's ``attrs["open_days"]``, else its open days
        (:func:`wfm.calendar.infer_week_start`: Sunday for a
        Sunday-Thursday centre, Monday for one open every day), as
        :func:`wfm.staffing_plan` reads its weeks.

    Returns
    -------
    Backtest
        ``scores`` (origin, level, metric, value), ``forecasts`` (origin,
        timestamp, actual, forecast and the band), ``timings`` (fit and
        forecast seconds per origin) and ``summary()``.

    Raises
    ------
    ValueError
        When an origin has no history before it, when its horizon runs past
        the history, or when the method's output is not a forecast on
        ``future_index``; the message names the origin.

    Examples
    --------
    Forecast each half-hour as the same half-hour on the same weekday the
    last time it was open, over the last four weeks of the bank's record:

    >>> from wfm.datasets import bank_calls
    >>> def same_slot_last_week(history, future_index):
    ...     last = history.groupby([history.index.day_of_week, history.index.time]).last()
    ...     slots = pd.MultiIndex.from_arrays([future_index.day_of_week, future_index.time])
    ...     return pd.DataFrame({"forecast": last.reindex(slots).to_numpy()}, index=future_index)
    >>> result = backtest(same_slot_last_week, bank_calls("30min"))
    >>> result.timings.index.strftime("%a %d %b").tolist()
    ['Mon 29 Sep', 'Mon 06 Oct', 'Mon 13 Oct', 'Mon 20 Oct']
    >>> pooled = result.summary().set_index(["level", "metric"])["value"]
    >>> round(float(pooled["interval", "wape"]), 3), round(float(pooled["day", "wape"]), 3)
    (0.09, 0.079)
    """
    level = _check_level(level)
    inferred = week_start is None
    if not inferred:
        check_week_start(week_start)
    index = _check_history(history)
    week_start = _WEEKDAYS[check_week_start(infer_week_start(history) if inferred else week_start)].upper()
    fn, name = _resolve_method(method, level, week_start)
    horizon = v.check_count(horizon, "horizon", unit="open days")
    levels = _check_levels(levels)
    if season is not None:
        season = v.check_count(season, "season", unit="intervals")
    if origins is None:
        n_origins = v.check_count(n_origins, "n_origins")
        origin_index = _default_origins(index, horizon, n_origins, week_start)
    else:
        if isinstance(origins, (str, pd.Timestamp)) or np.ndim(origins) == 0:
            origins = [origins]
        parsed = [_as_origin(o, index.tz) for o in origins]
        if not parsed:
            raise ValueError("origins must hold at least one timestamp; got none. Pass None for the default.")
        origin_index = pd.DatetimeIndex(parsed, name="origin").as_unit(index.unit).sort_values()
        dup = origin_index.duplicated()
        if dup.any():
            raise ValueError(f"origins must not repeat; got {_label(origin_index[dup][0])} twice.")
    _, days = _open_days(index)
    values = history.to_numpy(dtype=float)

    # Check every origin before fitting anything: a bad last origin should not cost a long run.
    windows = []
    for origin in origin_index:
        n_before = index.searchsorted(origin, side="left")
        if n_before == 0:
            raise ValueError(f"origin {_label(origin)} has no history before it: history starts at "
                             f"{_label(index[0])}. The method needs calls before the origin to fit on.")
        windows.append((origin, n_before, _future_index(index, days, origin, horizon)))

    scores, forecasts, seconds = [], [], []
    band_at = {}
    for origin, n_before, future_index in windows:
        fit = pd.Series(values[:n_before].copy(), index=index[:n_before].copy(), name=history.name)
        start = time.perf_counter()
        token = FUTURE_FROM_HISTORY.set(True)  # the history's own timestamps: its closures are not holes
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                out = fn(fit, future_index.copy())
        except Exception as err:
            err.add_note(f"raised by method {name!r} at origin {_label(origin)}")
            raise
        finally:
            FUTURE_FROM_HISTORY.reset(token)
        _at_origin(caught, name, origin)
        seconds.append(time.perf_counter() - start)
        frame = _check_output(out, future_index, origin)
        band_at[origin] = "lower" in frame.columns
        actual = history.iloc[n_before:n_before + len(future_index)].astype(float)
        table = forecast_accuracy(actual, frame, level=level, levels=levels, season=season,
                                  history=history.iloc[:n_before], week_start=week_start)
        table.insert(0, "origin", origin)
        scores.append(table)
        stacked = frame.reset_index(names="timestamp")
        stacked.insert(0, "origin", origin)
        stacked.insert(2, "actual", actual.to_numpy())
        forecasts.append(stacked)
    if len(set(band_at.values())) > 1:
        with_band = [o for o, b in band_at.items() if b]
        without = [o for o, b in band_at.items() if not b]
        raise ValueError(f"method returned lower and upper at origin {_label(with_band[0])} but not at origin "
                         f"{_label(without[0])}; return a band at every origin or at none.")
    params = dict(method=name, horizon=horizon, levels=levels, level=level, season=season,
                  origins=list(origin_index), n_origins=len(origin_index), week_start=week_start,
                  week_start_inferred=inferred)
    return Backtest(
        scores=pd.concat(scores, ignore_index=True),
        forecasts=pd.concat(forecasts, ignore_index=True),
        timings=pd.Series(seconds, index=origin_index, name="seconds"),
        params=params,
    )


@dataclass(frozen=True)
class Backtest(Result):
    """
    Scores and forecasts of a rolling-origin backtest; built by :func:`backtest`.

    Attributes
    ----------
    scores : DataFrame
        Columns ``origin``, ``level``, ``metric``, ``value``: the
        :func:`~wfm.metrics.forecast_accuracy` table of each origin.
    forecasts : DataFrame
        Columns ``origin``, ``timestamp``, ``actual``, ``forecast`` and, when
        the method gives a band, ``lower`` and ``upper``; one row per
        forecast interval, origins stacked. [calls per interval]
    timings : Series
        Seconds the method took to fit and forecast, per origin. [s]
    params : dict
        The arguments that built it: ``method`` (its name), ``horizon``,
        ``levels``, ``level``, ``season``, ``origins``, ``n_origins``,
        ``week_start`` (``"MON"`` ... ``"SUN"``) and ``week_start_inferred``
        (whether it was read from the history's open days).
    """

    scores: pd.DataFrame
    forecasts: pd.DataFrame
    timings: pd.Series
    params: dict = field(default_factory=dict)

    @property
    def table(self):
        """The scores of every origin (:attr:`scores`): one row per origin, level and metric."""
        return self.scores

    def figures(self):
        """
        Each score over every origin's forecasts at once (the ``value`` of :meth:`summary`) as
        ``<metric>_<level>`` (e.g. ``wape_interval``: the pooled WAPE, sum |F - A| / sum A over all the
        backtest's periods), plus ``origins`` and ``seconds`` (fit and forecast, summed over origins) [s].
        """
        s = self.summary()
        out = {f"{metric}_{level}": float(val) for level, metric, val in zip(s["level"], s["metric"], s["value"])}
        return {**out, "origins": int(self.scores["origin"].nunique()), "seconds": float(self.timings.sum())}

    def sheets(self):
        return {"scores": self.scores, "forecasts": self.forecasts}

    def summary(self):
        """
        Each score over the whole backtest, and its spread across origins.

        ``value`` is the metric over every origin's forecasts pooled, as
        :func:`~wfm.metrics.forecast_accuracy` defines it over a set of
        periods: WAPE and bias are ratios of sums (sum |F - A| / sum A, the
        standard WAPE over a set of forecasts, and the WAPE ``method="auto"``
        ranks methods on); MAE, sMAPE, MAPE, coverage, pinball, Winkler and
        MASE (each origin's errors on its own scale) means over all the
        periods; RMSE the root of the mean square; ``mape_excluded`` the
        periods left out in all. ``min`` and ``max`` are those of the
        per-origin scores (:attr:`scores`). The tracking signal (a running
        sum of errors in MAEs) is defined within one origin's horizon only:
        it is in :attr:`scores`, not here.

        Returns
        -------
        DataFrame
            Columns ``level``, ``metric``, ``value``, ``min``, ``max`` and
            ``origins`` (how many origins had the score), in the order of
            :attr:`scores`.
        """
        scores = self.scores[self.scores["metric"] != "tracking_signal"]
        grouped = scores.groupby(["level", "metric"], sort=False)["value"]
        out = grouped.agg(["min", "max", "count"]).rename(columns={"count": "origins"}).reset_index()
        pooled = self._pooled(scores)
        out.insert(2, "value", [pooled[key] for key in zip(out["level"], out["metric"])])
        return out

    def _pooled(self, scores):
        """{(level, metric): the metric over every origin's periods} from the per-origin scores, weighted by each
        origin's periods at that level (its sums of errors and actuals for the ratios)."""
        fc = self.forecasts
        first = check_week_start(self.params.get("week_start") or "MON")
        by_origin = fc.groupby("origin", sort=False)
        actual = by_origin["actual"].sum()
        total = float(fc["actual"].sum())
        band = error_ratio(float((fc["upper"] - fc["lower"]).sum()), total) if "lower" in fc else np.nan
        out = {}
        for level, part in scores.groupby("level", sort=False):
            wide = part.pivot(index="origin", columns="metric", values="value")
            n = by_origin["timestamp"].agg(lambda t: len(_group(pd.DatetimeIndex(t), level, first)[1]))
            n = n.reindex(wide.index).astype(float)

            def mean(metric, weights=n):
                val = wide[metric].dropna()
                return float((val * weights[val.index]).sum() / weights[val.index].sum())

            for metric in wide.columns:
                if metric == "wape":
                    value = error_ratio(float((wide["mae"] * n).sum()), float(actual[wide.index].sum()))
                elif metric == "bias":
                    value = error_ratio(float((fc["forecast"] - fc["actual"]).sum()), total)
                elif metric == "width":
                    value = band
                elif metric == "mape_excluded":
                    value = float(wide[metric].sum())
                elif metric == "rmse":
                    value = float(np.sqrt((wide[metric] ** 2 * n).sum() / n.sum()))
                elif metric == "mape":
                    value = mean(metric, n - wide["mape_excluded"])
                else:  # mae, smape, mase, coverage, pinball, winkler: means over periods
                    value = mean(metric)
                out[(level, metric)] = float(value)
        return out

    def error_by_time_of_day(self):
        """
        Forecast error by time of day over every backtest interval.

        Returns
        -------
        DataFrame
            Indexed by time of day: ``actual`` (mean calls), ``error`` (mean
            forecast - actual; > 0 over-forecasts), ``mae`` [calls per
            interval] and ``wape`` [fraction] of that time slot.
        """
        fc = self.forecasts
        slot = pd.DatetimeIndex(fc["timestamp"]).time
        err = fc["forecast"] - fc["actual"]
        frame = pd.DataFrame({"actual": fc["actual"].to_numpy(), "error": err.to_numpy(),
                              "abs_error": err.abs().to_numpy()})
        grouped = frame.groupby(slot)
        out = grouped.mean().rename(columns={"abs_error": "mae"})
        total = grouped.sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            wape = np.where(total["actual"] > 0, total["abs_error"] / total["actual"],
                            np.where(total["abs_error"] > 0, np.inf, 0.0))
        out["wape"] = wape
        out.index.name = "time_of_day"
        return out

    def plot(self, ax=None, **kwargs):
        """Actual and forecast calls, with the band, over each backtest window; returns the Axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(11, 4))
        fc = self.forecasts
        x = np.arange(len(fc))
        has_band = "lower" in fc.columns
        for k, (origin, part) in enumerate(fc.groupby("origin", sort=False)):
            xs = x[part.index]
            first = k == 0
            if has_band:
                ax.fill_between(xs, part["lower"], part["upper"], color="C0", alpha=0.2, lw=0,
                                label=f"{self.params.get('level', 0.8):.0%} band" if first else None)
            ax.plot(xs, part["actual"], color="0.2", lw=1, label="actual" if first else None)
            ax.plot(xs, part["forecast"], color="C0", lw=1.2, label="forecast" if first else None, **kwargs)
            if not first:
                ax.axvline(xs[0] - 0.5, color="0.3", lw=1)
        if len(fc):
            days = pd.DatetimeIndex(fc["timestamp"]).normalize()
            origin = fc["origin"].to_numpy()
            starts = np.flatnonzero(np.r_[True, (days[1:] != days[:-1]) | (origin[1:] != origin[:-1])])
            ax.set_xticks(starts)
            ax.set_xticklabels([days[i].strftime("%a\n%d %b") for i in starts], fontsize="small")
            for s in starts[1:]:
                ax.axvline(s - 0.5, color="0.8", lw=0.5)
            ax.set_xlim(-0.5, len(fc) - 0.5)
        ax.set_xlabel(INTERVALS_LABEL + ", origin by origin")
        ax.set_ylabel("calls per interval")
        ax.set_ylim(bottom=0)
        p = self.params
        ax.set_title(f"Backtest of {p.get('method')}: {p.get('n_origins')} origins, "
                     f"{p.get('horizon')} open days each")
        legend_below(ax, tick_lines=2, ncol=3)
        return ax

    def plot_error_by_time_of_day(self, ax=None, **kwargs):
        """Mean absolute error (bars) and mean error (line) by time of day; returns the Axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(9, 3.5))
        table = self.error_by_time_of_day()
        x = np.arange(len(table))
        ax.bar(x, table["mae"], color="0.75", label="mean absolute error", **kwargs)
        ax.plot(x, table["error"], color="C3", marker=".", label="mean error (> 0 over-forecast)")
        ax.axhline(0, color="0.3", lw=0.8)
        step = max(1, len(table) // 14)
        ax.set_xticks(x[::step])
        ax.set_xticklabels([t.strftime("%H:%M") for t in table.index[::step]], fontsize="small")
        ax.set_xlabel("time of day (local, interval start)")
        ax.set_ylabel("calls per interval")
        ax.set_title(f"Forecast error by time of day: {self.params.get('method')}")
        ax.legend(loc="upper right", fontsize="small", frameon=False)
        return ax

    def _headline(self):
        p = self.params
        origins = self.timings.index
        span = f"{_label(origins[0])[:10]} to {_label(origins[-1])[:10]}" if len(origins) else "none"
        return (f"Backtest of {p.get('method')}: {len(origins)} origins ({span}), horizon {p.get('horizon')} "
                f"open days, {self.timings.sum():.2f} s fitting")

    def _pivot(self):
        s = self.summary()
        table = s.pivot(index="metric", columns="level", values="value")
        return table.reindex(index=pd.unique(s["metric"]), columns=pd.unique(s["level"]))

    def __repr__(self):
        table = self._pivot().to_string(float_format=lambda x: f"{x:.4g}", na_rep="-")
        return f"{self._headline()}\nover every origin's forecasts ('-': not scored at that level):\n{table}"

    def _repr_html_(self):
        return (f"<h4>{self._headline()}</h4><p>Over every origin's forecasts</p>"
                + self._pivot().to_html(float_format=lambda x: f"{x:.4g}", na_rep="-")
                + "<p>Fit and forecast seconds per origin</p>" + self.timings.to_frame().to_html())
