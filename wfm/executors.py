"""
Where tasks run: here, on local processes or on a Dask cluster, all behind :class:`concurrent.futures.Executor`.

Scenario variants and the forecasts of many queues are independent tasks.
:func:`open_executor` gives an :class:`~concurrent.futures.Executor` for a
run (this process, a :class:`~concurrent.futures.ProcessPoolExecutor`, or the
executor of a ``dask.distributed`` client), and :func:`run_tasks` submits the
tasks to any executor and collects their results in order, turning a task
whose worker died into a failure result of the caller's choosing so the
other tasks finish.
"""

from __future__ import annotations

import os
from concurrent.futures import Executor, Future, as_completed
from contextlib import contextmanager

__all__ = ["SerialExecutor", "open_executor", "run_tasks", "local_cluster"]


class SerialExecutor(Executor):
    """An executor that runs each task at once, in this process: the reference the others must match."""

    name = "serial"

    def submit(self, fn, /, *args, **kwargs):
        future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as err:  # noqa: BLE001 - handed to the caller through the future, as a pool would
            future.set_exception(err)
        return future


def local_cluster(n_workers=2):
    """A :class:`distributed.LocalCluster` of ``n_workers`` single-threaded worker processes, quiet, no dashboard."""
    from distributed import LocalCluster

    return LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None,
                        silence_logs=40)


@contextmanager
def open_executor(jobs=0, dask=None, n_tasks=None, *, flag="--dask"):
    """
    An executor for a run, closed (and its pool or cluster shut down) on leaving the block.

    Parameters
    ----------
    jobs : int
        Local worker processes: 0 for one per CPU, 1 to run every task here.
    dask : str or distributed.Client, optional
        A scheduler address, ``"local"`` (a :func:`local_cluster` for the run)
        or a client; overrides ``jobs``. Needs ``dask[distributed]``.
    n_tasks : int, optional
        Tasks to come; no more processes than tasks, and none for one task.
    flag : str
        How the user named the Dask option, for error messages.

    Yields
    ------
    concurrent.futures.Executor
        With a ``name`` attribute for reports ("serial", "2 processes",
        "dask (2 workers)").

    Examples
    --------
    >>> with open_executor(jobs=1) as ex:
    ...     run_tasks(ex, pow, [(2, 3), (3, 2)])
    [8, 9]
    """
    if dask is not None and dask is not False:
        try:
            from distributed import Client
        except ImportError:
            raise ImportError(f"{flag} needs dask.distributed: pip install 'dask[distributed]' (or 'wfm[dask]').") \
                from None
        cluster = client = None
        own = True
        if isinstance(dask, Client):
            client, own = dask, False
        elif dask == "local":
            cluster = local_cluster()
            client = Client(cluster)
        else:
            try:
                client = Client(dask, timeout="20s")
            except (OSError, TimeoutError) as err:
                raise OSError(f"{flag} {dask}: cannot reach the dask scheduler ({err}). Start one with "
                              f"`dask scheduler` and `dask worker ADDRESS`, or use {flag} local.") from None
        ex = client.get_executor(pure=False)
        ex.name = f"dask ({len(client.scheduler_info().get('workers', {}))} workers)"
        try:
            yield ex
        finally:
            if own:
                client.close()
            if cluster is not None:
                cluster.close()
        return
    jobs = (os.cpu_count() or 1) if not jobs else int(jobs)
    if jobs == 1 or (n_tasks is not None and n_tasks <= 1):
        yield SerialExecutor()
        return
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=min(jobs, n_tasks) if n_tasks else jobs)
    pool.name = f"{pool._max_workers} processes"
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def run_tasks(executor, fn, items, *, crashed=None, done=None, share=()):
    """
    Run ``fn(*args)`` for every ``args`` in ``items`` on ``executor``; the results in the order of ``items``.

    Parameters
    ----------
    executor : concurrent.futures.Executor
    fn : callable
        A module-level function (it is pickled to the workers).
    items : list of tuple
        The arguments of each task.
    crashed : callable, optional
        ``crashed(args, err)`` gives the result of a task that raised or whose
        worker died; without it the error is raised.
    done : callable, optional
        Called once per finished task (e.g. a progress bar's ``update``).
    share : tuple of types
        On a Dask executor, arguments of these types are sent to the cluster
        once and shared by every task that takes them.
    """
    client = getattr(executor, "_client", None)
    scattered = {}
    if client is not None and share:
        def send(a):
            if isinstance(a, share):
                if id(a) not in scattered:
                    scattered[id(a)] = client.scatter(a, hash=False)
                return scattered[id(a)]
            return a
        items_sent = [tuple(send(a) for a in args) for args in items]
    else:
        items_sent = items
    futures = {executor.submit(fn, *args): i for i, args in enumerate(items_sent)}
    out = [None] * len(items)
    for future in as_completed(futures):
        i = futures[future]
        try:
            out[i] = future.result()
        except Exception as err:  # noqa: BLE001 - a task that failed is reported, the others finish
            if crashed is None:
                raise
            out[i] = crashed(items[i], err)
        if done:
            done()
    return out
