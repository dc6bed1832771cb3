"""The engines give the same output, byte for byte: one process, forked workers, and Dask (a LocalCluster of
two worker processes), from the command line and on a lawref subset of more than 20,000 articles."""
from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
import threading
import time
import types
import urllib.request

import numpy as np
import pytest

from compare import pipeline
from compare.align import to_frame
from compare.errors import ConfigError
from compare.parallel import DaskEngine

from .conftest import lawref_files, run_cli

pytest.importorskip("dask.distributed", reason="dask[distributed] is in the test extras; install '.[test]'")


def test_align_on_a_dask_local_cluster_is_byte_identical():
    """With the dashboard asked for: its link is printed, the output is the same."""
    local = run_cli("align", "--format", "jsonl", "--quiet")
    dask = run_cli("align", "--format", "jsonl", "--quiet", "--engine", "dask", "--workers", "2",
                   "--dashboard", "127.0.0.1:0")
    assert local.returncode == dask.returncode == 0, dask.stderr[-1500:]
    assert local.stdout == dask.stdout and local.stdout.count("\n") > 300
    assert "Traceback" not in dask.stderr
    assert re.search(r"Dask dashboard: http://127\.0\.0\.1:\d+/status", dask.stderr), dask.stderr[-500:]


CLOSING_HEARTBEAT = """
import asyncio, sys, time
from dask.distributed import Client, LocalCluster
from compare.parallel import DaskEngine

def slow_heartbeats(cluster):
    # the scheduler answers heartbeats after 2 s, so one is in flight when the worker closes
    scheduler = cluster.scheduler
    answer = scheduler.handlers["heartbeat_worker"]
    async def slow(*args, **kwargs):
        await asyncio.sleep(2)
        return answer(*args, **kwargs)
    cluster.loop.add_callback(scheduler.handlers.__setitem__, "heartbeat_worker", slow)

if __name__ == "__main__":
    if sys.argv[1] == "unplugged":   # DaskEngine without its plugin: the race happens there too
        Client.register_plugin = lambda self, plugin, *args, **kwargs: None
    if sys.argv[1] in ("engine", "unplugged"):
        with DaskEngine(workers=1) as engine:
            slow_heartbeats(engine.cluster)
            print(engine.map_ordered(str.upper, ["a"], desc="upper", unit="it", chunk=1))
            time.sleep(1.5)
    else:
        with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            with Client(cluster) as client:
                slow_heartbeats(cluster)
                print(client.submit(str.upper, "a").result())
                time.sleep(1.5)
"""


def test_a_heartbeat_cut_by_the_closing_worker_prints_no_traceback(tmp_path):
    """A worker that closes while its heartbeat is in flight cuts the heartbeat's connection, and
    dask.distributed logs the failure with a traceback (a clean-clone CI run printed one at the end of a good
    ``--engine dask`` run). The scheduler here answers heartbeats after 2 s, so the race happens every time:
    a bare LocalCluster and DaskEngine without its plugin print the traceback, DaskEngine does not."""
    script = tmp_path / "closing_heartbeat.py"
    script.write_text(CLOSING_HEARTBEAT, encoding="utf-8")
    bare, unplugged, engine = (subprocess.run([sys.executable, str(script), how], capture_output=True, text=True,
                                              timeout=120) for how in ("bare", "unplugged", "engine"))
    assert bare.returncode == unplugged.returncode == engine.returncode == 0, (bare.stderr[-1500:],
                                                                              engine.stderr[-1500:])
    for control in (bare, unplugged):
        assert "Failed to communicate with scheduler during heartbeat" in control.stderr
        assert "Traceback" in control.stderr
    assert engine.stdout.strip() == "['A']"
    assert "Traceback" not in engine.stderr and "heartbeat" not in engine.stderr, engine.stderr[-1500:]


def test_only_a_closing_workers_heartbeat_failure_is_dropped():
    """A heartbeat that fails while the worker runs (the scheduler gone, the network down) or retires (it still
    runs) is still logged, and so is everything else a closing worker says."""
    from distributed.core import Status

    from compare._dask import _ClosingHeartbeatFilter

    def record(msg):
        return logging.LogRecord("distributed.worker", logging.ERROR, __file__, 1, msg, None, None)

    heartbeat = "Failed to communicate with scheduler during heartbeat."
    for status, kept in ((Status.running, True), (Status.paused, True), (Status.closing_gracefully, True),
                         (Status.closing, False), (Status.closed, False)):
        quiet = _ClosingHeartbeatFilter(types.SimpleNamespace(status=status))
        assert quiet.filter(record(heartbeat)) is kept, status
        assert quiet.filter(record("Unexpected exception during heartbeat. Closing worker.")) is True


def test_the_dask_dashboard_serves_while_the_cluster_works():
    """``DaskEngine(dashboard=…)``: Dask's dashboard (bokeh) answers at ``dashboard_link`` while work runs,
    and shows the tasks; without ``dashboard`` the LocalCluster serves none."""
    pytest.importorskip("bokeh", reason="bokeh is in the test extras; install '.[test]'")
    with DaskEngine(workers=1, dashboard="127.0.0.1:0") as engine:
        link = engine.dashboard_link
        assert link and link.startswith("http://127.0.0.1:") and link.endswith("/status")
        assert engine.map_ordered(str.upper, ["a", "b", "c"], desc="upper", unit="it", chunk=1) == ["A", "B", "C"]
        with urllib.request.urlopen(link, timeout=30) as r:
            page = r.read().decode("utf-8", "replace")
        assert r.status == 200 and "Dask" in page
        with urllib.request.urlopen(link.replace("/status", "/json/counts.json"), timeout=30) as r:
            counts = json.loads(r.read())
        assert counts["workers"] == 1
    with DaskEngine(workers=1) as engine:
        assert engine.dashboard_link is None


def test_the_dashboard_option_is_dasks():
    r = run_cli("align", "--quiet", "--dashboard", ":8787")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "--dashboard is Dask's: use it with --engine dask" in r.stderr


def test_a_dashboard_address_that_cannot_serve_is_named_without_a_traceback():
    r = run_cli("align", "--quiet", "--engine", "dask", "--workers", "1", "--dashboard", "foo")
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr[-800:]
    assert "cannot start a local Dask cluster (dashboard at 'foo')" in r.stderr


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:9", "foo"])
def test_an_unreachable_scheduler_is_named_without_a_traceback(address):
    r = subprocess.run([sys.executable, "-m", "compare", "align", "--engine", "dask", "--scheduler",
                        address, "--quiet"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert f"cannot reach the Dask scheduler {address}" in r.stderr


def test_a_lawref_subset_of_20000_articles_on_dask_equals_the_local_engine():
    """Every seventh lawref file (sorted by path): the pairs of the local engine in one process and of a
    LocalCluster with two worker processes, compared as the CSV a researcher gets."""
    files = lawref_files()[::7]
    loaded = pipeline.load(files)
    segmented = pipeline.segment_all(loaded.documents)
    articles = sum(len(s.measures) for s in segmented)
    assert articles >= 20_000, articles
    t = time.perf_counter()
    local = pipeline.align_documents(loaded.documents, segmented=segmented)
    t_local = time.perf_counter() - t
    with DaskEngine(workers=2) as engine:
        t = time.perf_counter()
        dask = pipeline.align_documents(loaded.documents, segmented=segmented, workers=engine)
        t_dask = time.perf_counter() - t
    a, b = to_frame(local).to_csv(index=False), to_frame(dask).to_csv(index=False)
    assert len(local.pairs) > 1000 and a == b
    print(f"{articles} articles, {len(local.pairs)} pairs: local {t_local:.1f}s, dask {t_dask:.1f}s "
          f"({t_dask / t_local:.2f}x)")


def test_shared_objects_go_once_and_functions_refer_to_them():
    """``parallel.sharing``: a function that refers to a shared object is pickled without it (a reference),
    the object is loaded once a worker however many references and stages use it, nested shared objects stay
    references, the results equal a plain loop's, and the workers let go of everything at the end."""
    from compare import parallel

    big = np.arange(2_000_000, dtype=np.int64)            # 16 MB
    holder = {"big": big, "tag": "outer"}                  # shared after big: refers to it
    blob, used = parallel._dumps(lambda k: int(big[k]) + len(holder["tag"]), {id(big): "t1", id(holder): "t2"})
    assert len(blob) < 10_000 and used == {"t1", "t2"}
    alone, _ = parallel._dumps(lambda k: int(big[k]), {})
    assert len(alone) > 16_000_000

    with DaskEngine(workers=2) as engine:
        with parallel.sharing(engine, big, holder):
            assert len(engine._blobs) == 2 and len(engine._shared) == 2
            first = parallel.map_ordered(lambda k: int(big[k * 1000]) + len(holder["tag"]), range(50),
                                         workers=engine)
            # the worker's big and holder["big"] are one object: loaded once, the reference resolved to it
            same = parallel.map_ordered(lambda k: holder["big"] is big and holder["big"][7] == 7, range(4),
                                        workers=engine)
            held = engine.client.run(lambda: sorted(k for k in parallel._LOADED if k != "task"))
        left = engine.client.run(lambda: len(parallel._LOADED))
        assert not engine._shared and not engine._blobs
        with pytest.raises(TypeError):   # an object that cannot be pickled: nothing of the call stays shared
            engine.share(holder, threading.Lock())
        assert not engine._shared and not engine._blobs and not engine._objects
    assert first == [k * 1000 + 5 for k in range(50)] and same == [True] * 4
    # a worker that ran a task loaded both objects (a worker may have run none); none is left after the block
    assert any(held.values()) and all(len(tokens) in (0, 2) for tokens in held.values())
    assert set(left.values()) == {0}
    with pytest.raises(ConfigError, match="inside 'with DaskEngine"):
        DaskEngine(workers=1).share(big)
