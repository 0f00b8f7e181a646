"""
Reforecast the rest of the day (and of the week) from the actuals so far.

:func:`reforecast` takes the forecast the day was planned on, the calls that
arrived up to ``now`` and a history of past days' forecasts with what
arrived, and returns the rest of the day updated, with a band calibrated on
that history. Methods: ``"bayes"`` (default; the empirical-Bayes model of
:mod:`wfm.intraday._model`), ``"ratio"`` (the practitioners' baseline: scale
the rest of the day by the morning's actual/forecast ratio) and
``"shrunk_ratio"`` (the same ratio shrunk towards 1 by the weight the
history gives it). :func:`reforecast_queues` does it for every queue of a
long-format table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import _validation as v
from .._results import Result
from . import _model
from ._checks import as_forecast_frame, check_actual, check_history, day_of, history_matrix, open_history

METHODS = ("bayes", "ratio", "shrunk_ratio")


@dataclass(frozen=True)
class Reforecast(Result):
    """
    The day's forecast updated with the actuals so far; built by :func:`reforecast`.

    Attributes
    ----------
    table : DataFrame
        One row per interval of the forecast: ``forecast`` (the forecast the
        day started from), ``actual`` (calls that arrived; NaN from ``now``
        on), ``reforecast`` (the actual where observed, the updated forecast
        after), ``lower`` and ``upper`` (the band at ``level``; equal to the
        actual where observed) [calls per interval], and ``observed``.
    params : dict
        ``method``, ``now``, ``day``, ``level``, ``interval`` [s],
        ``history_days`` (past days the model was fitted on), ``weight``
        (the morning ratio's weight, ratio methods), ``model`` (the fitted
        variances, ``"bayes"``), ``band_scale`` (the calibration factor of
        the band's dispersion) and ``day_correlation`` (how much of today's
        surprise carries to the next day).
    """

    table: pd.DataFrame
    params: dict = field(default_factory=dict)

    LABELS = {"day": "day reforecast", "now": "update at (now)", "morning_actual": "calls so far",
              "morning_forecast": "forecast so far",
              "morning_ratio": "actual / forecast so far", "rest_forecast": "rest of day: forecast",
              "rest_reforecast": "rest of day: reforecast", "rest_change": "rest of day: change",
              "day_forecast": "day: forecast", "day_reforecast": "day: actual + reforecast"}

    def _today(self):
        return self.table[self.table.index.normalize() == self.params["day"]]

    def figures(self):
        """
        Key figures: ``day`` (the day reforecast, ``"Mon 2003-10-20"``) and ``now`` (the time of the update)
        as text; ``morning_actual``, ``morning_forecast``, ``rest_forecast``, ``rest_reforecast``,
        ``day_forecast``, ``day_reforecast`` [calls], ``morning_ratio`` and ``rest_change`` [ratio].
        """
        t = self._today()
        obs = t["observed"].to_numpy()
        morning_a, morning_f = float(t["actual"][obs].sum()), float(t["forecast"][obs].sum())
        rest_f, rest_r = float(t["forecast"][~obs].sum()), float(t["reforecast"][~obs].sum())
        return {"day": f"{self.params['day']:%a %Y-%m-%d}", "now": f"{self.params['now']:%a %Y-%m-%d %H:%M}",
                "morning_actual": morning_a, "morning_forecast": morning_f,
                "morning_ratio": morning_a / morning_f if morning_f > 0 else float("nan"),
                "rest_forecast": rest_f, "rest_reforecast": rest_r,
                "rest_change": rest_r / rest_f - 1 if rest_f > 0 else float("nan"),
                "day_forecast": float(t["forecast"].sum()), "day_reforecast": float(t["reforecast"].sum())}

    def plot(self, ax=None, **kwargs):
        """Today's forecast, actuals, reforecast and band per interval; returns the Axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(10, 4))
        t = self._today()
        rest = ~t["observed"]
        ax.fill_between(t.index[rest], t["lower"][rest], t["upper"][rest], color="C1", alpha=0.25,
                        label=f"{self.params['level']:.0%} band", step="post")
        ax.step(t.index, t["forecast"], where="post", color="0.5", label="forecast", **kwargs)
        ax.step(t.index[~rest], t["actual"][~rest], where="post", color="k", label="actual")
        ax.step(t.index[rest], t["reforecast"][rest], where="post", color="C1", label="reforecast")
        ax.axvline(self.params["now"], color="C3", lw=0.8)
        clock_axis(ax, t.index)
        ax.set_ylabel("calls per interval")
        ax.set_title(f"Reforecast at {self.params['now']:%a %d %b %H:%M} ({self.params['method']})")
        ax.legend(loc="upper right", fontsize="small")
        return ax

    def __repr__(self):
        return f"Reforecast({self.params['method']}, now {self.params['now']})\n{self._summary_text()}"

    def _repr_html_(self):
        return (f"<h4>Reforecast ({self.params['method']}) at {self.params['now']}</h4>"
                + self.summary().to_html(float_format=lambda x: f"{x:,.3f}")
                + self._today().head(60).to_html(float_format=lambda x: f"{x:.1f}"))


def clock_axis(ax, index):
    """Label a one-day x axis by the time of day (``10:00``) on the wall clock of ``index``; returns the Axes."""
    import matplotlib.dates as mdates

    tz = getattr(index, "tz", None)
    ax.xaxis.set_major_locator(mdates.HourLocator(byhour=range(0, 24, 2), tz=tz))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%H:%M", tz=tz))
    ax.set_xlabel(f"time of day (local), {index[0]:%a %d %b %Y}" if len(index) else "time of day (local)")
    return ax


def _weight_from_history(f_hist, a_hist, observed):
    """Least-squares weight of the morning's ratio in the rest of the day's, through (1, 1), in [0, 1]."""
    fm, am = f_hist[:, observed].sum(1), a_hist[:, observed].sum(1)
    fr, ar = f_hist[:, ~observed].sum(1), a_hist[:, ~observed].sum(1)
    ok = (fm > 0) & (fr > 0)
    x, y = am[ok] / fm[ok] - 1, ar[ok] / fr[ok] - 1
    if not observed.any() or not (~observed).any() or (x ** 2).sum() == 0:
        return 0.0
    return float(np.clip((x * y).sum() / (x ** 2).sum(), 0.0, 1.0))


def _ratio_predict(f, a, observed, weight):
    fm, am = f[..., observed].sum(-1), a[..., observed].sum(-1)
    ratio = np.where(fm > 0, am / np.where(fm > 0, fm, 1.0), 1.0)
    return f * (1.0 + weight * (ratio - 1.0))[..., None], ratio


def _bayes(f_hist, a_hist, f_day, a_day, observed, level):
    e_hist, p_hist = _model.log_errors(a_hist, f_hist)
    par = _model.fit(e_hist, p_hist)
    e_day, p_day = _model.log_errors(a_day, f_day)
    mean, var = _model.conditional(par, np.vstack([e_hist, e_day[None]]), np.vstack([p_hist, p_day[None]]),
                                   observed)
    p_all = np.vstack([p_hist, p_day[None]])
    c2 = np.expm1(np.maximum(var - p_all, 1e-8))
    point = (np.vstack([f_hist, f_day[None]]) + 0.5) * np.exp(mean) - 0.5
    point = np.maximum(point, 0.0)
    rest = ~observed
    scale = _model.calibrate(a_hist[:, rest], point[:-1, rest], c2[:-1, rest], level)
    # the day's surprise: its mean log error (observed and expected); how much of it the next day keeps
    day_means = e_hist.mean(1)
    dev = day_means[:-1] - par["mu"], day_means[1:] - par["mu"]
    phi = float(np.clip((dev[0] * dev[1]).sum() / max((dev[0] ** 2).sum(), 1e-12), 0.0, 1.0))
    u = float(mean[-1].mean())
    marginal = par["tau2"] + par["s2"] + par["sigma2"]
    return point[-1], c2[-1] * scale, dict(model=par, band_scale=scale, day_correlation=phi, day_error=u,
                                           marginal=marginal)


def _ratio(f_hist, a_hist, f_day, a_day, observed, level, weight):
    point_hist, _ = _ratio_predict(f_hist, a_hist, observed, weight)
    point, ratio = _ratio_predict(f_day[None], a_day[None], observed, weight)
    rest = ~observed
    scale = _model.calibrate(a_hist[:, rest], point_hist[:, rest], np.full(point_hist[:, rest].shape, 0.01), level)
    e_hist, _ = _model.log_errors(a_hist, f_hist)
    return point[0], np.full(f_day.shape, 0.01 * scale), dict(weight=weight, band_scale=scale, morning_ratio=float(
        ratio[0]), marginal=float(np.var(e_hist)), day_correlation=0.0, day_error=0.0, model=None)


def reforecast(forecast, actual, history, *, now=None, method="bayes", level=0.8, weight=None, days=60):
    """
    Update the rest of the day's forecast with the calls that arrived so far, with a calibrated band.

    Parameters
    ----------
    forecast : DataFrame or Series
        The forecast the day was planned on (a ``forecast`` column, e.g.
        :func:`wfm.forecast_volume`'s table), one row per open interval of
        the day or of the week, on a DatetimeIndex of interval starts. A
        forecast of 0 marks a closed interval (the nights of a zero-filled
        24-hour grid): it stays 0, with a band of 0 to 0, and is left out of
        the model, so a zero-filled grid gives what the open hours alone
        give. [calls per interval]
    actual : Series
        Calls that arrived, on intervals of ``forecast``'s grid before
        ``now``; every interval of today before ``now`` is needed. Without
        ``now``, actuals that end in a run of 0 against 10 calls forecast or
        more are refused: an export that lists the intervals not reached yet
        as 0 would otherwise make the day look over. [calls per interval]
    history : DataFrame
        Past days' forecasts with what arrived: ``forecast`` and ``actual``
        columns on a DatetimeIndex (or a ``timestamp`` column), e.g.
        ``wfm.backtest("auto", calls).forecasts`` or the forecasts of past
        weeks; days before today with every open interval of today's grid
        count. An interval with forecast 0 and actual 0 is closed, as if
        absent, and a day whose forecast is 0 throughout is a closed day,
        left out. At least 5 days; the last ``days`` are used. [calls per
        interval]
    now : timestamp, optional
        The time of the update: actuals are known before it; rows of
        ``actual`` from it on that hold 0 are taken as not reached yet and
        left out. On ``forecast``'s clock (naive, or in its time zone).
        Default: the end of the last interval of ``actual``.
    method : {"bayes", "ratio", "shrunk_ratio"}
        ``"bayes"``: the empirical-Bayes log-error model of
        :mod:`wfm.intraday._model` (a day level, a fading drift and interval
        noise, fitted on ``history``). ``"ratio"``: the rest of the day times
        the ratio of actual to forecast so far. ``"shrunk_ratio"``: that
        ratio shrunk towards 1, ``1 + weight * (ratio - 1)``.
    level : float
        Coverage of the band. [fraction, 0-1)
    weight : float, optional
        The morning ratio's weight for ``"shrunk_ratio"`` [0-1]; default
        the least-squares weight of past days' morning ratios in their
        afternoon ratios (in ``history``, same time of day).
    days : int
        Past days of ``history`` used, the most recent. [days]

    Returns
    -------
    Reforecast
        ``table`` with ``forecast``, ``actual``, ``reforecast``, ``lower``,
        ``upper`` and ``observed`` per interval of ``forecast``.

    Raises
    ------
    ValueError
        When ``actual`` has calls at or after ``now`` (actuals in the
        future), ends in zeros against 10 or more forecast calls and
        ``now`` is not given, has intervals off ``forecast``'s grid (another interval length
        or timestamps the forecast lacks; stamps one interval late are named
        as interval ends), misses an interval of today before ``now``, or
        ``history`` is on another interval length or clock than
        ``forecast`` (sum a finer one to the forecast's intervals) or has
        fewer than 5 complete days.

    Examples
    --------
    Monday 20 October 2003 at the bank, planned by ``auto`` the week before:

    >>> import wfm
    >>> calls = wfm.datasets.bank_calls("30min")
    >>> day = calls.loc["2003-10-20"]
    >>> past = calls[calls.index < "2003-10-20"]
    >>> plan = wfm.forecast_volume(past, day.index)
    >>> history = error_history(past, weeks=4)            # 20 past days' forecasts with what arrived
    >>> rf = reforecast(plan, day.loc[:"2003-10-20 09:30"], history)
    >>> f = rf.figures()

    The morning ran 5.3% under the plan; the rest of the day is taken down
    4.4% (28,273 calls arrived after 10:00):

    >>> round(f["morning_ratio"], 3), round(f["rest_forecast"]), round(f["rest_reforecast"])
    (0.947, 29236, 27962)
    """
    v.check_choice(method, "method", METHODS)
    level = v.check_level_fraction(level)
    days = v.check_count(days, "days", minimum=5, unit="days")
    frame, step = as_forecast_frame(forecast)
    f_all = frame["forecast"].to_numpy()
    now, actual = check_actual(actual, frame.index, step, now, f_all)
    day = day_of(frame.index, now, f_all > 0)
    today = frame.index.normalize() == day
    observed = np.asarray(frame.index[today] < now)
    f_day = f_all[today]
    a_day = np.where(observed, actual.reindex(frame.index[today]).to_numpy(), 0.0)
    is_open = f_day > 0                                       # closed: forecast 0 (a call there stays an actual)
    if not is_open.any():
        raise ValueError(f"forecast is 0 on every interval of {day:%Y-%m-%d}: a closed day, with nothing to "
                         "reforecast. Give now= within an open day's hours, or a forecast for the day.")
    slots = (frame.index[today] - day)[is_open]
    f_hist, a_hist, used = history_matrix(check_history(history, frame.index, day, step), slots, day, days)
    obs = observed[is_open]
    if method == "bayes":
        point, c2, info = _bayes(f_hist, a_hist, f_day[is_open], a_day[is_open], obs, level)
    else:
        if method == "ratio":
            w = 1.0 if weight is None else float(v.check_fraction(np.float64(weight), "weight", closed_low=True))
        else:
            w = _weight_from_history(f_hist, a_hist, obs) if weight is None else float(
                v.check_fraction(np.float64(weight), "weight", closed_low=True))
        point, c2, info = _ratio(f_hist, a_hist, f_day[is_open], a_day[is_open], obs, level, w)
    point_day, c2_day = np.zeros(len(f_day)), np.full(len(f_day), 1e-12)   # closed intervals: 0 calls
    point_day[is_open], c2_day[is_open] = point, c2
    return _assemble(frame, actual, now, day, today, observed, point_day, c2_day, info, level, method, step, used)


def _assemble(frame, actual, now, day, today, observed, point, c2, info, level, method, step, used):
    f = frame["forecast"].to_numpy(dtype=float)
    out = pd.DataFrame({"forecast": f}, index=frame.index)
    out["actual"] = actual.reindex(frame.index).to_numpy(dtype=float)
    new = f.copy()
    c2_all = np.full(len(f), np.expm1(info["marginal"] * info["band_scale"]))
    pos = np.flatnonzero(today)
    new[pos] = point
    c2_all[pos] = c2
    later = np.asarray(frame.index.normalize() > day)
    if later.any() and method == "bayes":
        later_days = frame.index.normalize()[later]
        k = np.asarray((later_days - day).days, dtype=float)
        mu = info["model"]["mu"]
        shift = mu + info["day_correlation"] ** k * (info["day_error"] - mu)
        new[later] = np.where(f[later] > 0, np.maximum((f[later] + 0.5) * np.exp(shift) - 0.5, 0.0), 0.0)
    lower, upper = _model.nb_band(new, c2_all, level)
    obs_all = np.zeros(len(f), dtype=bool)
    obs_all[pos[observed]] = True
    obs_all |= np.asarray(frame.index < now) & out["actual"].notna().to_numpy()
    a = out["actual"].to_numpy()
    out["reforecast"] = np.where(obs_all, a, new)
    out["lower"] = np.where(obs_all, a, lower)
    out["upper"] = np.where(obs_all, a, upper)
    out["observed"] = obs_all
    params = dict(method=method, now=now, day=day, level=level, interval=step, history_days=used,
                  weight=info.get("weight"), model=info.get("model"), band_scale=info["band_scale"],
                  day_correlation=info["day_correlation"])
    return Reforecast(table=out, params=params)


def reforecast_queues(forecast, actual, history, *, queue="queue", timestamp="timestamp", **options):
    """
    :func:`reforecast` for every queue of long-format tables.

    ``forecast``, ``actual`` and ``history`` each have a ``queue`` and a
    ``timestamp`` column (``actual`` an ``actual`` column, the others as in
    :func:`reforecast`); each queue is reforecast on its own history with
    ``options`` (``now``, ``method``, ``level``, ...). Returns the tables
    stacked, with the ``queue`` column first, and a dict of each queue's
    :class:`Reforecast`. A queue of ``forecast`` that ``history`` (or,
    without ``now``, ``actual``) has no rows for is an error naming the
    queue and the table; any other error of a queue's reforecast starts
    with the queue's name.
    """
    for name, frame in (("forecast", forecast), ("actual", actual), ("history", history)):
        v.check_frame_columns(frame, name, [queue, timestamp])
    queues = list(pd.unique(forecast[queue]))
    for name, frame, why in (
            ("history", history, "every queue is reforecast on its own past days"),
            ("actual", actual, "give its calls so far, 0 where none arrived")):
        missing = [q for q in queues if q not in set(frame[queue])]
        if missing and not (name == "actual" and options.get("now") is not None):
            raise ValueError(f"{name} has no rows for queue(s) {[str(q) for q in missing[:5]]} of forecast "
                             f"({len(missing)} of {len(queues)}; {name} has {sorted(map(str, set(frame[queue])))[:5]}"
                             f"): {why}.")
    results, tables = {}, []
    for q, f in forecast.groupby(queue, sort=False):
        a = actual[actual[queue] == q].set_index(timestamp)["actual"]
        h = history[history[queue] == q].set_index(timestamp)
        try:
            results[q] = reforecast(f.set_index(timestamp), a, h, **options)
        except (ValueError, TypeError) as err:
            raise type(err)(f"queue {q!r}: {err}") from None
        tables.append(results[q].table.reset_index().assign(**{queue: q}))
    table = pd.concat(tables, ignore_index=True)
    return table[[queue] + [c for c in table.columns if c != queue]], results


def error_history(calls, *, method="weighted_average", weeks=8, week_start=None):
    """
    Past forecasts with what arrived, for :func:`reforecast`'s ``history``: a backtest of ``method``.

    Parameters
    ----------
    calls : Series
        Interval history of calls, as for :func:`wfm.forecast_volume`. [calls per interval]
    method : str
        A method of :func:`wfm.forecast_volume`; ideally the one the day's
        forecast came from (``"auto"`` is slower). Default the weighted average.
    weeks : int
        Weekly origins: each forecasts the open days of its week. [weeks]
    week_start : str or int, optional
        The weekday the origins fall on (``"MON"``, ``"SUN"``, ...). None
        (default): read from the open days of ``calls``
        (:func:`wfm.calendar.infer_week_start`: Sunday for a
        Sunday-Thursday centre, Monday for one open every day), as
        :func:`wfm.backtest` does.

    Returns
    -------
    DataFrame
        ``forecast`` and ``actual`` on a DatetimeIndex of interval starts. [calls per interval]

    Notes
    -----
    ``calls`` is backtested on its open intervals, as
    :func:`wfm.forecast_volume` expects: a day without a single call is a
    closed day, and on each weekday the times before the first and after
    the last with a call on some day of that weekday are closed hours. Both
    are left out, so a zero-filled 24-hour export gives the same history as
    its open hours alone.
    """
    from ..forecast import backtest

    weeks = v.check_count(weeks, "weeks", unit="weeks")
    v.check_datetime_index(calls, "calls", "of interval starts")
    open_calls = open_history(calls)
    if not len(open_calls):
        raise ValueError("calls holds no call on any day: there are no open days to backtest.")
    idx = open_calls.index
    recent = idx[idx >= idx[-1] - pd.Timedelta(days=28)]
    horizon = max(1, int(round(len(recent.normalize().unique()) / 4)))
    bt = backtest(method, open_calls, n_origins=weeks, horizon=horizon, week_start=week_start)
    out = bt.forecasts.set_index("timestamp")[["forecast", "actual"]]
    return out[~out.index.duplicated(keep="last")].sort_index()
