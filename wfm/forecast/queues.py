"""
Many queues at once: long-format history in, every queue forecast on its own calendar, on any executor.

Each queue is forecast exactly as :func:`wfm.forecast.forecast` forecasts one
series, from its own history and its own open calendar (inferred, or given
per queue), so a 24/7 queue, a weekday queue and a Sunday-Thursday queue can
share one table. The queues are independent tasks: they run here, on local
processes or on a Dask cluster through :mod:`wfm.executors`, and give the
same table wherever they run.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _validation as v
from ..calendar import future_intervals
from ..executors import open_executor, run_tasks

__all__ = ["forecast_queues"]

#: Per-queue calendar keys accepted in ``calendars``.
QUEUE_CALENDAR_KEYS = ("open_hours", "open_days", "holidays", "special_days", "week_start")


def _forecast_chunk(items, days, method, level, options):
    """Forecast a few queues (one task): a list of long-format tables."""
    from ._core import forecast

    out = []
    for name, history, calendar in items:
        cal = {k: val for k, val in calendar.items() if k != "week_start"}
        try:
            future = future_intervals(history, days=days, **cal)
            fc = forecast(history, future, method=method, level=level, week_start=calendar.get("week_start"),
                          **cal, **options)
        except Exception as err:
            err.add_note(f"raised while forecasting queue {name!r}")
            raise
        table = fc.table.reset_index(names="timestamp")
        table.insert(0, "queue", name)
        table["method"] = fc.method
        table["coverage"] = fc.params["band"].get("coverage", np.nan)
        out.append(table)
    return out


def forecast_queues(history, days=5, *, method="auto", level=0.8, queue="queue", timestamp="timestamp",
                    calls="calls", calendars=None, executor=None, jobs=1, dask=None, chunk=8, progress=True,
                    **options):
    """
    Forecast calls per interval for every queue of a long-format history, each on its own calendar.

    Parameters
    ----------
    history : DataFrame
        One row per queue and open interval: a ``queue`` column, a
        ``timestamp`` column (interval starts) and a ``calls`` column
        [calls per interval]. Closed intervals are absent, as in
        :func:`wfm.forecast_volume`. Column names are set by ``queue``,
        ``timestamp`` and ``calls``.
    days : int
        Open days to forecast after each queue's history ends, on that
        queue's calendar. [open days]
    method, level, **options
        As in :func:`wfm.forecast_volume`, for every queue.
    calendars : dict, optional
        ``{queue: {"open_hours": ..., "open_days": ..., "holidays": ...,
        "special_days": ..., "week_start": "SUN"}}``: a queue's own
        calendar overrides and planning week; queues left out have their
        calendar and weeks inferred from their history (as
        :func:`wfm.forecast.forecast` infers them).
    executor : concurrent.futures.Executor, optional
        Where to run the queues (e.g. ``distributed.Client(...).get_executor()``
        or a :class:`~concurrent.futures.ProcessPoolExecutor`); the caller
        keeps it open. Default: one opened for the call from ``jobs`` and
        ``dask``, as in :func:`wfm.executors.open_executor`.
    jobs : int
        Local worker processes when no executor is given: 1 (default) runs
        every queue in this process, 0 one per CPU. [count]
    dask : str or distributed.Client, optional
        A Dask scheduler address, ``"local"`` or a client (overrides
        ``jobs``).
    chunk : int
        Queues per task. [count]
    progress : bool
        Show a tqdm progress bar (per queue).

    Returns
    -------
    DataFrame
        Long format, queues in the order they first appear in ``history``:
        ``queue``, ``timestamp``, ``forecast``, ``lower``, ``upper`` [calls
        per interval], ``method`` (the method used for that queue; for
        ``"auto"`` the one its backtest chose) and ``coverage`` (of its band
        in its in-history backtest [fraction]; NaN when the history was too
        short for one). The same wherever it runs.

    Raises
    ------
    ValueError
        When a column is missing or a queue's history is bad; the message
        names the column or the queue.

    Examples
    --------
    Two queues: the bank's calls, and the same calls halved on a
    Sunday-Thursday week (dates moved a day earlier):

    >>> from wfm.datasets import bank_calls
    >>> bank = bank_calls("30min").iloc[-28 * 40:]
    >>> a = pd.DataFrame({"queue": "weekday", "timestamp": bank.index, "calls": bank.to_numpy()})
    >>> b = pd.DataFrame({"queue": "sun-thu", "timestamp": bank.index - pd.Timedelta(days=1),
    ...                   "calls": (bank.to_numpy() // 2)})
    >>> out = forecast_queues(pd.concat([a, b]), days=5, calendars={"sun-thu": {"week_start": "SUN"}},
    ...                       progress=False)
    >>> out.groupby("queue", sort=False)["timestamp"].agg(["min", "size"])
                             min  size
    queue
    weekday  2003-10-27 07:00:00   140
    sun-thu  2003-10-26 07:00:00   140
    """
    if not isinstance(history, pd.DataFrame):
        raise TypeError(f"history must be a long-format DataFrame with columns {queue!r}, {timestamp!r} and "
                        f"{calls!r}; got {type(history).__name__}. For one series use wfm.forecast_volume.")
    missing = [c for c in (queue, timestamp, calls) if c not in history.columns]
    if missing:
        raise ValueError(f"history lacks column(s) {missing}; it has {list(history.columns)}. Name the columns "
                         "with queue=, timestamp= and calls=.")
    days = v.check_count(days, "days", unit="open days")
    chunk = v.check_count(chunk, "chunk")
    calendars = {} if calendars is None else dict(calendars)
    names = pd.unique(history[queue])
    unknown = [q for q in calendars if q not in set(names)]
    if unknown:
        raise ValueError(f"calendars names queue(s) {unknown[:5]} that history does not hold; its queues are "
                         f"{list(names[:10])}{' ...' if len(names) > 10 else ''}.")
    for q, cal in calendars.items():
        bad = [k for k in cal if k not in QUEUE_CALENDAR_KEYS]
        if bad:
            raise ValueError(f"calendars[{q!r}] has unknown key(s) {bad}; allowed: {list(QUEUE_CALENDAR_KEYS)}.")
    try:
        stamps = pd.DatetimeIndex(history[timestamp])
    except (TypeError, ValueError) as err:
        raise ValueError(f"history column {timestamp!r} must hold timestamps; {err}") from None
    frame = pd.DataFrame({"q": history[queue].to_numpy(), "calls": history[calls].to_numpy()},
                         index=pd.DatetimeIndex(stamps, name="timestamp"))
    items = []
    for name, part in frame.groupby("q", sort=False):
        series = part["calls"].rename("calls")
        items.append((name, series, dict(calendars.get(name, {}))))
    tasks = [(items[i:i + chunk], days, method, level, options) for i in range(0, len(items), chunk)]
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(items), desc="forecasting queues", unit="queue")

    try:
        if executor is not None:
            results = _run(executor, tasks, bar)
        else:
            with open_executor(jobs=jobs, dask=dask, n_tasks=len(tasks), flag="dask") as ex:
                results = _run(ex, tasks, bar)
    finally:
        if bar is not None:
            bar.close()
    tables = [t for chunk_tables in results for t in chunk_tables]
    if not tables:
        return pd.DataFrame(columns=["queue", "timestamp", "forecast", "lower", "upper", "method", "coverage"])
    return pd.concat(tables, ignore_index=True)


def _run(executor, tasks, bar):
    """Run the chunks; the bar advances by the mean chunk size per finished task (they finish out of order)."""
    mean = round(float(np.mean([len(t[0]) for t in tasks]))) if tasks else 0

    def tick():
        if bar is not None:
            bar.update(min(mean, bar.total - bar.n))

    return run_tasks(executor, _forecast_chunk, tasks, done=tick)
