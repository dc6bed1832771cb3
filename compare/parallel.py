"""Work spread over processes (``--workers N``) or a Dask cluster (``--engine dask``), with the same result as
one process.

``map_ordered(fn, items, workers=N)`` is ``[fn(x) for x in items]``: the items are handed to forked worker
processes by index (nothing but the index and the result crosses a process boundary, so ``fn`` may be a
closure over large arrays) and the results come back in the items' order. Every stage that uses it computes
each item independently of the others, so the output is byte-identical whatever the worker count.
Where the platform cannot fork (Windows), or for a single item, the work runs in this process.
``start(fn, items, workers=N)`` starts the same work and returns at once, so that this process can do work of
its own meanwhile (two cores are then both busy); ``.result()`` collects it.

``workers`` may also be a :class:`DaskEngine`: ``fn`` and ``items`` are sent once to every worker of a
dask.distributed cluster (a LocalCluster of worker processes, or the scheduler at an address), the items go
out in chunks as tasks, and the results are gathered in order: the same list, so the same output. Large objects
that the functions of several stages refer to are sent once for all of them inside ``with sharing(engine,
objects…)``: a function is then sent with references to them, which each worker resolves once.
"""
from __future__ import annotations

import multiprocessing
import os
import uuid
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from typing import TypeVar

from . import progress
from .errors import ConfigError

T = TypeVar("T")
R = TypeVar("R")

_TASK: tuple[Callable, Sequence] | None = None   # in each forked worker: its pool's function and items


def resolve(workers: int | None) -> int:
    """The number of processes to use: ``None`` or 1 → 1, 0 → every core this process may use, N → N."""
    if workers is None:
        return 1
    if not isinstance(workers, int) or isinstance(workers, bool) or workers < 0:
        raise ConfigError(f"workers must be a whole number >= 0 (0: every core), not {workers!r}")
    if workers == 0:
        return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
    return workers


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _install(fn: Callable, items: Sequence) -> None:
    """A pool worker's initializer: its task (with fork, nothing is pickled; a worker the pool forks again to
    replace one that died gets the same task)."""
    global _TASK
    _TASK = (fn, items)


def _run(span: tuple[int, int]) -> list:
    fn, items = _TASK
    return [fn(items[i]) for i in range(*span)]


def _spans(count: int, workers: int, chunk: int | None) -> list[tuple[int, int]]:
    size = chunk or max(1, min(2000, -(-count // (workers * 8))))   # several chunks a worker: even load
    return [(lo, min(lo + size, count)) for lo in range(0, count, size)]


def map_ordered(fn: Callable[[T], R], items: Sequence[T], *, workers: "int | DaskEngine | None" = 1,
                desc: str = "working", unit: str = "it", chunk: int | None = None) -> list[R]:
    """``[fn(x) for x in items]``, computed by ``workers`` processes (or a :class:`DaskEngine`); the order of
    ``items`` is kept."""
    return start(fn, items, workers=workers, desc=desc, unit=unit, chunk=chunk).result()


class Pending:
    """Work started by :func:`start` (or :func:`background`): ``result()`` waits for it and returns
    ``[fn(x) for x in items]`` (or ``fn()``; the same object on every call); ``cancel()`` stops it (its
    workers are ended) when its result is not wanted, as when this process's own work failed or was
    interrupted."""

    def __init__(self, collect: Callable[[], list], cancel: Callable[[], None] | None = None):
        self._collect, self._cancel = collect, cancel
        self._value: list | None = None
        self._state = "pending"

    def result(self) -> list:
        if self._state == "cancelled":
            raise RuntimeError("this work was cancelled")
        if self._state == "pending":
            self._value, self._state = self._collect(), "done"
        return self._value

    def cancel(self) -> None:
        """End the work if it is still running; forget its result if it is done (the memory is freed)."""
        if self._state == "pending" and self._cancel is not None:
            self._cancel()
        self._state, self._value = "cancelled", None


def start(fn: Callable[[T], R], items: Sequence[T], *, workers: "int | DaskEngine | None" = 1,
          desc: str = "working", unit: str = "it", chunk: int | None = None) -> Pending:
    """``map_ordered``, started: with forked workers the work runs while this process goes on with other work
    (a stage that only this process can do), and ``result()`` collects it; call ``cancel()`` if this process
    fails before that. In one process or on Dask the work is done when ``result()`` is called. The result is
    the same either way."""
    if isinstance(workers, DaskEngine):
        engine = workers
        return Pending(lambda: engine.map_ordered(fn, items, desc=desc, unit=unit, chunk=chunk))
    n = resolve(workers)
    if n <= 1 or len(items) < 2 or not can_fork():
        return Pending(lambda: [fn(x) for x in progress.bar(items, desc=desc, total=len(items), unit=unit)])
    spans = _spans(len(items), n, chunk)
    size = spans[0][1] - spans[0][0]
    pool = multiprocessing.get_context("fork").Pool(n, initializer=_install, initargs=(fn, items))
    parts = pool.imap(_run, spans)

    def end() -> None:
        pool.terminate()
        pool.join()

    def collect() -> list:
        try:
            out: list = []
            for part in progress.bar(parts, desc=desc, total=len(spans), unit=f"×{size} {unit}"):
                out.extend(part)
            return out
        finally:
            end()

    return Pending(collect, end)


def background(fn: Callable[[], R], *, workers: "int | DaskEngine | None" = 1) -> Pending:
    """``fn()`` in one forked process while this process goes on with its own work, when ``workers`` allows
    a second process (and the platform forks); else, and on Dask, ``fn()`` runs here when ``result()`` is
    called. ``result()`` returns ``fn()``'s value (sent back pickled); ``cancel()`` ends the process."""
    if isinstance(workers, DaskEngine) or resolve(workers) <= 1 or not can_fork():
        return Pending(fn)
    from multiprocessing.connection import wait

    context = multiprocessing.get_context("fork")
    inbox, outbox = context.Pipe(duplex=False)

    def child() -> None:
        try:
            outcome = ("value", fn())
        except BaseException as e:   # sent back, raised by result()
            outcome = ("error", e)
        try:
            outbox.send(outcome)
        except Exception as e:       # an exception that cannot be pickled
            outbox.send(("error", RuntimeError(f"background work failed: {outcome[1]!r} ({e})")))

    proc = context.Process(target=child, daemon=True)
    proc.start()
    outbox.close()

    def end() -> None:
        if proc.is_alive():
            proc.terminate()
        proc.join()
        inbox.close()

    def collect():
        try:
            wait([inbox, proc.sentinel])   # a result, or the process's end (killed: no result comes)
            try:
                kind, value = inbox.recv()
            except EOFError:
                proc.join()
                raise RuntimeError(f"the background process ended without a result (exit code {proc.exitcode})"
                                   ) from None
            if kind == "error":
                raise value
            return value
        finally:
            end()

    return Pending(collect, end)


class _Task:
    """What every Dask worker needs for one ``map_ordered``: the function and the items (sent once)."""

    def __init__(self, fn: Callable, items: Sequence):
        self.fn, self.items = fn, items


@contextmanager
def sharing(workers: "int | DaskEngine | None", *objects):
    """While the block lasts, on Dask, ``objects`` (large objects that the functions of several stages refer
    to: the measures' keys, their n-grams, …) are sent to each worker once, and a function that refers to one
    of them is sent without it (a reference that the worker resolves). Elsewhere nothing is done: forked
    workers inherit them."""
    if not isinstance(workers, DaskEngine):
        yield
        return
    tokens = workers.share(*objects)
    try:
        yield
    finally:
        workers.forget(tokens)


def _dumps(obj, shared: dict[int, str]) -> tuple[bytes, set[str]]:
    """``obj`` pickled (cloudpickle: closures by value) with the shared objects in it (``id → token``) as
    references; the tokens it refers to."""
    import io

    import cloudpickle

    used: set[str] = set()

    class _Pickler(cloudpickle.Pickler):
        def persistent_id(self, o):
            token = shared.get(id(o))
            if token is None or o is obj:
                return None
            used.add(token)
            return token

    buf = io.BytesIO()
    _Pickler(buf, protocol=5).dump(obj)
    return buf.getvalue(), used


_LOADED: dict = {}   # on a Dask worker: the shared objects loaded (token → object), and the current task


def _load(blob: bytes, blobs: dict):
    """``blob`` unpickled on a worker, the shared objects it refers to loaded from ``blobs`` (token → bytes)
    once per worker."""
    import io
    import pickle

    class _Unpickler(pickle.Unpickler):
        def persistent_load(self, token):
            if token not in _LOADED:
                _LOADED[token] = _load(blobs[token], blobs)
            return _LOADED[token]

    return _Unpickler(io.BytesIO(blob)).load()


def _run_task(span: tuple[int, int], task, token: str | None = None, blobs: dict | None = None) -> list:
    if token is not None:   # the task pickled with references to shared objects: loaded once a worker
        held = _LOADED.get("task")   # (token, task), set in one step (a worker may run several threads)
        if held is None or held[0] != token:
            held = _LOADED["task"] = (token, _load(task, blobs))
        task = held[1]
    return [task.fn(task.items[i]) for i in range(*span)]


def _forget_loaded(tokens: list[str]) -> int:
    """On a worker: let go of shared objects (and of the task, which may refer to them); how many are left."""
    for token in tokens:
        _LOADED.pop(token, None)
    _LOADED.pop("task", None)
    return len(_LOADED)


class DaskEngine:
    """The engine past one machine: dask.distributed.

    ``DaskEngine(address="tcp://scheduler:8786")`` uses a running cluster (started with ``dask scheduler`` and
    ``dask worker``, dask-jobqueue or dask-kubernetes; every worker needs this package installed, the same
    version: the pair model and lexicons ship inside it). Without an address a LocalCluster of ``workers``
    processes (one thread each) is started on this machine and closed at the end. Use it as a context
    manager and pass it where a worker count goes (``workers=engine``): the results are the same, byte for
    byte, as in one process.

    ``dashboard`` (an address such as ``":8787"``): the LocalCluster serves Dask's dashboard there (it needs
    bokeh, in the ``dask`` extra); ``dashboard_link`` is its address, for a cluster at ``address`` too.
    """

    def __init__(self, *, address: str | None = None, workers: int | None = None, dashboard: str | None = None):
        self.address = address
        self.workers = resolve(workers if workers is not None else 0)
        self.dashboard = dashboard
        self.client = self.cluster = None
        self._shared: dict[int, str] = {}      # id of a shared object → its token (``sharing``)
        self._objects: dict[str, object] = {}  # token → the object (kept alive while shared: ids stay unique)
        self._blobs: dict = {}                 # token → its pickle, scattered to every worker

    def __enter__(self) -> "DaskEngine":
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise ConfigError("--engine dask needs dask.distributed: pip install 'policy-compare[dask]' "
                              "(or dask[distributed])") from None
        if self.dashboard and not self.address:
            try:
                import bokeh  # noqa: F401 - without it the LocalCluster would start with no dashboard, silently
            except ImportError:
                raise ConfigError("the Dask dashboard needs bokeh: pip install 'policy-compare[dask]' "
                                  "(or bokeh)") from None
        try:
            if self.address:
                self.client = Client(self.address, timeout="10s")
            else:
                self.cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                            dashboard_address=self.dashboard or None)
                self.client = Client(self.cluster)
                from ._dask import QuietClosingHeartbeat
                self.client.register_plugin(QuietClosingHeartbeat())   # no traceback from a closing worker
        except (OSError, TimeoutError, ValueError) as exc:   # unreachable, or not an address (no port, …)
            self.close()
            raise ConfigError(f"cannot reach the Dask scheduler {self.address or '(local cluster)'}: {exc}") from None
        except RuntimeError as exc:   # the LocalCluster did not start (its dashboard's address, …)
            self.close()
            where = f" (dashboard at {self.dashboard!r})" if self.dashboard else ""
            raise ConfigError(f"cannot start a local Dask cluster{where}: {exc}") from None
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._shared, self._objects, self._blobs = {}, {}, {}
        for part in (self.client, self.cluster):
            if part is not None:
                try:
                    part.close()
                except Exception:   # noqa: BLE001 - a cluster already gone is closed
                    pass
        self.client = self.cluster = None

    @property
    def dashboard_link(self) -> str | None:
        """The address of the cluster's dashboard (None when it serves none)."""
        if self.client is None or (self.cluster is not None and not self.dashboard):
            return None
        try:
            return self.client.dashboard_link
        except Exception:   # noqa: BLE001 - a scheduler without a dashboard
            return None

    @property
    def size(self) -> int:
        """Worker processes of the cluster (at least 1)."""
        return max(1, len(self.client.scheduler_info().get("workers", {}))) if self.client else self.workers

    def map_ordered(self, fn: Callable, items: Sequence, *, desc: str, unit: str, chunk: int | None) -> list:
        if self.client is None:
            raise ConfigError("a DaskEngine is used inside 'with DaskEngine(…) as engine:'")
        if len(items) == 0:
            return []
        if self._shared:   # the shared objects in it go as references, sent once (``sharing``)
            blob, _ = _dumps(_Task(fn, items), self._shared)
            task = self.client.scatter(blob, broadcast=True, hash=False)
            extra = {"token": uuid.uuid4().hex, "blobs": dict(self._blobs)}
        else:
            task, extra = self.client.scatter(_Task(fn, items), broadcast=True, hash=False), {}
        spans = _spans(len(items), self.size, chunk)
        futures = self.client.map(_run_task, spans, task=task, pure=False, **extra)
        out: list = []
        try:
            for f in progress.bar(futures, desc=f"{desc} (dask)", total=len(futures), unit="task"):
                out.extend(f.result())
        finally:
            self.client.cancel([*futures, task])
        return out

    def share(self, *objects) -> list[str]:
        """Send ``objects`` to every worker once (each pickled with references to those shared before it);
        until ``forget``, a function sent by ``map_ordered`` refers to them instead of carrying them. Returns
        their tokens."""
        if self.client is None:
            raise ConfigError("a DaskEngine is used inside 'with DaskEngine(…) as engine:'")
        tokens: list[str] = []
        try:
            for obj in objects:
                if obj is None or id(obj) in self._shared:
                    continue
                token = uuid.uuid4().hex
                blob, _ = _dumps(obj, self._shared)
                self._blobs[token] = self.client.scatter(blob, broadcast=True, hash=False)
                self._shared[id(obj)], self._objects[token] = token, obj
                tokens.append(token)
        except BaseException:   # nothing of this call stays shared
            self.forget(tokens)
            raise
        return tokens

    def forget(self, tokens: list[str]) -> None:
        """Stop sharing the objects of ``tokens``: the workers let go of them."""
        gone = [self._blobs.pop(t) for t in tokens if t in self._blobs]
        for t in tokens:
            obj = self._objects.pop(t, None)
            if obj is not None:
                self._shared.pop(id(obj), None)
        if self.client is not None and tokens and self.client.status == "running":
            try:
                self.client.cancel(gone)
                self.client.run(_forget_loaded, list(tokens))
            except Exception:   # noqa: BLE001 - a cluster already gone has nothing left to forget
                pass
