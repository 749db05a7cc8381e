"""`checker batch --scheduler`: the same per-file job on a Dask cluster (the optional 'dask' extra).

Workers need not share the driver's disk: the driver reads each submission (through the safe opener) and
sends its bytes; a worker plugin loads the pack and pipeline once per worker process; the worker returns the
small row and the rendered reports, and the driver writes them. At most four tasks per worker thread are in
flight, so the driver's memory stays flat for any cohort size.

Faults: a task whose worker dies is failed by the scheduler (after `distributed.scheduler.allowed-failures`
retries of its own: 0 for `--scheduler local`, and what CI's scheduler uses); the driver then lets what is in
flight finish and runs each failed task again alone on the cluster, so a file that kills its worker cannot
take innocent neighbours with it twice. A task that fails again is the caller's `lost` row.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from .errors import CheckerError
from .extras import install_command

try:
    import dask
    from distributed import Client, LocalCluster, WorkerPlugin, as_completed
except ImportError as e:  # pragma: no cover - exercised by installs without the extra
    raise CheckerError("--scheduler", f"needs the 'dask' extra ({e.name} is not installed): "
                                      f"{install_command('dask')}") from None

CONNECT_TIMEOUT = "10s"
IN_FLIGHT_PER_THREAD = 4


class CheckerPlugin(WorkerPlugin):
    """Loads the pack and pipeline once in each worker process (and again in a worker that replaces a dead one).
    A pack given as a file travels as its bytes, written under the same name in the worker's temp folder."""

    name = "checker-batch"

    def __init__(self, init: tuple[str, tuple[str, ...], str, str]) -> None:
        pack_ref, formats, audience, out = init
        path = Path(pack_ref)
        self.pack_file = (path.name, path.read_bytes()) if path.is_file() else None
        self.init = init

    def setup(self, worker: Any) -> None:
        from .batch import _init_worker

        pack_ref, formats, audience, out = self.init
        if self.pack_file is not None:
            folder = Path(tempfile.mkdtemp(prefix="checker-pack-"))
            name, data = self.pack_file
            (folder / name).write_bytes(data)
            pack_ref = str(folder / name)
        _init_worker(pack_ref, formats, audience, out)


class DaskRunner:
    """The Runner interface (`map` as results finish, a context manager) on a Dask cluster."""

    remote = True  # jobs take the file's bytes and return rendered reports

    def __init__(self, scheduler: str, init: tuple[str, tuple[str, ...], str, str], jobs: int) -> None:
        self.cluster: LocalCluster | None = None
        try:
            if scheduler == "local":
                with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
                    # loopback only, and no dashboard: its HTTP server would otherwise take port 8787
                    self.cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                                host="127.0.0.1", dashboard_address=None,
                                                scheduler_kwargs={"dashboard_address": "127.0.0.1:0"})
                self.client = Client(self.cluster)
            else:
                self.client = Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as e:
            self.close()
            raise CheckerError(scheduler, f"cannot reach the Dask scheduler: {e}") from None
        self.client.register_plugin(CheckerPlugin(init))
        threads = sum(self.client.nthreads().values()) or jobs
        self.limit = max(2, threads * IN_FLIGHT_PER_THREAD)

    def map(self, fn: Callable[..., Any], items: Iterable[tuple[Any, ...]],
            lost: Callable[..., Any] | None = None) -> Iterator[Any]:
        items = iter(items)
        pending: dict[Any, tuple[Any, ...]] = {}
        failed: list[tuple[Any, ...]] = []
        finished = as_completed()
        more = True
        while more or pending:
            while more and len(pending) < self.limit and not failed:  # a bounded number in flight
                args = next(items, None)
                if args is None:
                    more = False
                    break
                future = self.client.submit(fn, *args, pure=False)
                pending[future] = args
                finished.add(future)
            if pending:
                future = next(finished)
                args = pending.pop(future)
                if future.status == "finished":
                    yield future.result()
                else:  # its worker died (KilledWorker) or the task could not run
                    failed.append(args)
                future.release()
            if failed and not pending:
                for args in failed:
                    yield self._alone(fn, args, lost)
                failed = []

    def _alone(self, fn: Callable[..., Any], args: tuple[Any, ...], lost: Callable[..., Any] | None) -> Any:
        future = self.client.submit(fn, *args, pure=False)
        try:
            return future.result()
        except Exception:
            if lost is None:
                raise
            return lost(*args)
        finally:
            future.release()

    def close(self) -> None:
        client = getattr(self, "client", None)
        if client is not None:
            client.close()  # its futures are released: the scheduler cancels what is still queued
        if self.cluster is not None:
            self.cluster.close()

    def __enter__(self) -> DaskRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
