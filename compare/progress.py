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
