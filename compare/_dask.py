"""A worker plugin for the LocalCluster of ``DaskEngine``; imported only when Dask is used.

When a worker closes while a heartbeat to the scheduler is in flight, the worker's own shutdown cuts the
heartbeat's connection and dask.distributed logs "Failed to communicate with scheduler during heartbeat." with
a traceback (dask/distributed#7192, #3488). The results are complete by then and nothing failed, but the
traceback reached the user's terminal at the end of a good run. ``QuietClosingHeartbeat`` drops that one
record, and only while its worker is closing: a heartbeat that fails while the worker runs is still logged.
"""
from __future__ import annotations

import logging

from distributed import WorkerPlugin
from distributed.core import Status

HEARTBEAT_FAILED = "Failed to communicate with scheduler during heartbeat"
CLOSING = (Status.closing, Status.closed)   # not closing_gracefully: a retiring worker still runs


class _ClosingHeartbeatFilter(logging.Filter):
    def __init__(self, worker) -> None:
        super().__init__()
        self.worker = worker

    def filter(self, record: logging.LogRecord) -> bool:
        return not (self.worker.status in CLOSING and record.getMessage().startswith(HEARTBEAT_FAILED))


class QuietClosingHeartbeat(WorkerPlugin):
    """Its filter stays after teardown: a closing worker removes its plugins before it closes the connection
    pool that cuts the heartbeat, and the worker's process ends with it (the nanny starts a new process)."""

    name = "policy-compare-quiet-closing-heartbeat"

    def setup(self, worker) -> None:
        logging.getLogger("distributed.worker").addFilter(_ClosingHeartbeatFilter(worker))
