"""Work spread over processes on one machine (``--workers N``), with the same result as one process.

``map_ordered(fn, items, workers=N)`` is ``[fn(x) for x in items]``: the items are handed to forked worker
processes by index (nothing but the index and the result crosses a process boundary, so ``fn`` may be a
closure over large arrays) and the results come back in the items' order. Every stage that uses it computes
each item independently of the others, so the output is byte-identical whatever the worker count.

Where the platform cannot fork (Windows), or for a single item, the work runs in this process.
"""
from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import TypeVar

from . import progress
from .errors import ConfigError

T = TypeVar("T")
R = TypeVar("R")

_TASK: tuple[Callable, Sequence] | None = None   # set in the parent before forking; the children inherit it


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


def _run(span: tuple[int, int]) -> list:
    fn, items = _TASK
    return [fn(items[i]) for i in range(*span)]


def map_ordered(fn: Callable[[T], R], items: Sequence[T], *, workers: int | None = 1, desc: str = "working",
                unit: str = "it", chunk: int | None = None) -> list[R]:
    """``[fn(x) for x in items]``, computed by ``workers`` processes; the order of ``items`` is kept."""
    n = resolve(workers)
    if n <= 1 or len(items) < 2 or not can_fork():
        return [fn(x) for x in progress.bar(items, desc=desc, total=len(items), unit=unit)]
    size = chunk or max(1, min(2000, -(-len(items) // (n * 8))))   # several chunks a worker: even load
    spans = [(lo, min(lo + size, len(items))) for lo in range(0, len(items), size)]
    global _TASK
    _TASK = (fn, items)
    try:
        with multiprocessing.get_context("fork").Pool(n) as pool:
            out: list[R] = []
            bar = progress.bar(pool.imap(_run, spans), desc=desc, total=len(spans), unit=f"×{size} {unit}")
            for part in bar:
                out.extend(part)
    finally:
        _TASK = None
    return out
