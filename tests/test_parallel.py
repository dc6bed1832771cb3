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
