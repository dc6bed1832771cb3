"""``parallel.map_ordered``: the list a plain loop gives, in order, whatever the worker count."""
from __future__ import annotations

import numpy as np
import pytest

from compare import parallel
from compare.errors import ConfigError, InputError


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_the_result_of_a_plain_loop_in_order(workers):
    table = np.arange(1001) ** 2          # a closure over an array: nothing is pickled but index and result
    items = list(range(1001))[::-1]       # not a multiple of any chunk size
    got = parallel.map_ordered(lambda i: (i, int(table[i])), items, workers=workers, chunk=7)
    assert got == [(i, i * i) for i in items]


def test_an_error_in_a_worker_reaches_the_caller():
    def fail_on(i):
        if i == 37:
            raise InputError("bad item", path=f"doc{i}.txt")
        return i

    with pytest.raises(InputError, match="doc37.txt: bad item"):
        parallel.map_ordered(fail_on, range(100), workers=2, chunk=5)


def test_worker_counts():
    assert parallel.resolve(None) == parallel.resolve(1) == 1 and parallel.resolve(0) >= 1
    for bad in (-1, 1.5, True):
        with pytest.raises(ConfigError):
            parallel.resolve(bad)


@pytest.mark.parametrize("workers", [1, 2])
def test_started_work_runs_while_this_process_works_and_gives_the_loops_result(workers, corpus_docs):
    """``start``: the workers go on while this process does work of its own; ``result()`` is the plain loop's
    (on the bundled documents' lines)."""
    lines = [ln for d in corpus_docs.values() for ln in d.normalized.text.splitlines() if ln.strip()]
    pending = parallel.start(len, lines, workers=workers, desc="lengths")
    meanwhile = sum(len(ln) for ln in lines)           # this process's own work
    lengths = pending.result()
    assert lengths == [len(ln) for ln in lines] and sum(lengths) == meanwhile
    assert len(lines) > 1000
    with pytest.raises(ZeroDivisionError):
        parallel.start(lambda x: 1 // (x - 3), list(range(10)), workers=workers).result()


def test_started_work_gives_one_result_and_can_be_cancelled():
    """``result()`` twice: the same list (the work is not done again); ``cancel()`` ends the workers at once
    (this process's own work failed) and a later ``result()`` says so."""
    import multiprocessing
    import time

    pending = parallel.start(lambda x: x * 2, list(range(50)), workers=2)
    first = pending.result()
    assert first == list(range(0, 100, 2)) and pending.result() is first
    slow = parallel.start(lambda x: time.sleep(5) or x, list(range(20)), workers=2)
    assert len(multiprocessing.active_children()) >= 2
    began = time.perf_counter()
    slow.cancel()
    assert time.perf_counter() - began < 3 and not multiprocessing.active_children()
    with pytest.raises(RuntimeError, match="cancelled"):
        slow.result()


@pytest.mark.parametrize("workers", [1, 2])
def test_background_work_gives_its_value_and_can_be_cancelled(workers, corpus_docs):
    """``background(fn)``: ``fn()`` in a second process (with 2 workers) or here (with 1), its value sent
    back; ``cancel()`` ends that process at once; an error in it reaches ``result()``."""
    import multiprocessing
    import os
    import time

    text = "".join(d.normalized.text for d in corpus_docs.values())
    pending = parallel.background(lambda: (os.getpid(), sorted(set(text))), workers=workers)
    meanwhile = sorted(set(text))                     # this process's own work
    pid, value = pending.result()
    assert value == meanwhile and pending.result()[1] is value and len(value) > 1000
    assert (pid != os.getpid()) == (workers == 2) and not multiprocessing.active_children()
    slow = parallel.background(lambda: time.sleep(5), workers=workers)
    began = time.perf_counter()
    slow.cancel()
    assert time.perf_counter() - began < 3 and not multiprocessing.active_children()
    with pytest.raises(ZeroDivisionError):
        parallel.background(lambda: 1 // 0, workers=workers).result()
    pending.cancel()                                  # done: its value is forgotten (the memory freed)
    with pytest.raises(RuntimeError, match="cancelled"):
        pending.result()


def test_background_work_whose_process_is_killed_raises_instead_of_waiting():
    """A second process killed (say by the kernel's out-of-memory killer) before it sends its value: ``result()``
    says so at once, with the exit code, instead of waiting for ever."""
    import os
    import signal

    killed = parallel.background(lambda: os.kill(os.getpid(), signal.SIGKILL), workers=2)
    with pytest.raises(RuntimeError, match="ended without a result.*-9"):
        killed.result()
