"""
Run a scenario's queues and variants as tasks on a ``dask.distributed`` cluster.

``wfm run scenario.yaml --dask tcp://scheduler:8786`` submits to an existing
scheduler; ``--dask local`` starts a :class:`distributed.LocalCluster` of two
single-threaded worker processes for the run and closes it afterwards. The
tasks are the same functions the local run calls
(:func:`wfm.scenario.runner.prepare` per queue and forecast setting, then
:func:`wfm.scenario.runner.run_variant` per variant), each a pure function
of its inputs with the scenario's seed, so the tables equal those of a local
run. Each forecast is sent to the cluster once (``Client.scatter``) and
shared by the variants that need it. The workers need wfm installed (the
same version); the scenario's files are read here, on the client.

Needs ``dask[distributed]`` (``pip install 'wfm[dask]'``).
"""

from __future__ import annotations

__all__ = ["DaskExecutor", "local_cluster"]


def local_cluster(n_workers=2):
    """A LocalCluster of ``n_workers`` single-threaded worker processes, quiet, without a dashboard."""
    from distributed import LocalCluster

    return LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None,
                        silence_logs=40)


class DaskExecutor:
    """Submit tasks to a Dask scheduler (an address, ``"local"``, or a :class:`distributed.Client`)."""

    name = "dask"

    def __init__(self, address, *, shared_type, crashed):
        """``shared_type``: arguments of this type are scattered once and shared by the tasks;
        ``crashed(args, err)``: the failure result of a task the cluster could not run."""
        self.address = address
        self.shared_type, self.crashed = shared_type, crashed
        self.client = None
        self.cluster = None
        self.own_client = False

    def __enter__(self):
        try:
            from distributed import Client
        except ImportError:
            raise ImportError("--dask needs dask.distributed: pip install 'dask[distributed]' (or 'wfm[dask]').") \
                from None
        if hasattr(self.address, "submit"):
            self.client = self.address
        elif self.address == "local":
            self.cluster = local_cluster()
            self.client = Client(self.cluster)
            self.own_client = True
        else:
            try:
                self.client = Client(self.address, timeout="20s")
            except (OSError, TimeoutError) as err:
                raise OSError(f"--dask {self.address}: cannot reach the dask scheduler ({err}). Start one with "
                              "`dask scheduler` and `dask worker ADDRESS`, or use --dask local.") from None
            self.own_client = True
        self.name = f"dask ({len(self.client.scheduler_info().get('workers', {}))} workers)"
        return self

    def __exit__(self, *exc):
        if self.own_client:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        return False

    def map(self, fn, items, done=None):
        from distributed import as_completed

        shared = {}
        payload = []
        for args in items:
            row = []
            for a in args:
                if isinstance(a, self.shared_type):  # shared by many variants: send it to the cluster once
                    if id(a) not in shared:
                        shared[id(a)] = self.client.scatter(a, hash=False)
                    a = shared[id(a)]
                row.append(a)
            payload.append(row)
        futures = [self.client.submit(fn, *row, pure=False) for row in payload]
        index = {f.key: i for i, f in enumerate(futures)}
        out = [None] * len(items)
        for fut in as_completed(futures):
            i = index[fut.key]
            try:
                out[i] = fut.result()
            except Exception as err:  # noqa: BLE001 - a task the cluster could not run fails alone
                out[i] = self.crashed(items[i], err)
            if done:
                done()
        return out
