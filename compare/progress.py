"""Progress on stderr for the stages that can take more than a few seconds (tqdm).

Off unless the command line turns it on: only when stderr is a terminal and ``--quiet`` was not given.
Progress never changes a result: it only wraps iterations.
"""
from __future__ import annotations

import sys

_enabled = False


def enable(on: bool) -> None:
    global _enabled
    _enabled = bool(on)


def enabled() -> bool:
    return _enabled


def bar(iterable, *, desc: str, total: int | None = None, unit: str = "it"):
    """``iterable``, with a progress bar on stderr when progress is on."""
    if not _enabled:
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, desc=desc, total=total, unit=unit, file=sys.stderr, leave=False, mininterval=0.5,
                dynamic_ncols=True)


_timings: list[tuple[str, float]] | None = None


def record() -> list[tuple[str, float]]:
    """Start recording the wall time of every ``stage`` (for benchmarks); the list fills as stages end."""
    global _timings
    _timings = []
    return _timings


class stage:
    """``with progress.stage("candidates"):`` names a stage: its wall time is recorded when recording is on,
    and a line on stderr says when it ends when progress is on. Nothing else changes."""

    def __init__(self, name: str):
        self.name = name

    def __enter__(self) -> "stage":
        import time

        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        import time

        seconds = time.perf_counter() - self.t0
        if _timings is not None:
            _timings.append((self.name, seconds))
        if _enabled and exc[0] is None and seconds >= 1.0:
            print(f"policy-compare: {self.name}: {seconds:.1f} s", file=sys.stderr)
