"""Logistics' scheduled work (LOG-2).

- ``logistics.track`` (every 5 minutes): each tenant's connected carriers' tracking events
  pulled since their cursors, and the waybills with no scan for the tenant's hours
  alerted as stalled (``application.logistics.tracking``: the stalled waybills locked
  ``FOR UPDATE SKIP LOCKED``, each alerted once).

- ``logistics.statement_reconcile``: a carrier statement's reconciliation job
  (``application.logistics.settlement``), enqueued by its upload.

The sweep is enqueued by the scheduler with the period in the message id and never retried by the
broker: the next period asks again from the same cursor.
"""

from __future__ import annotations

import structlog

from application.logistics.settlement import RECONCILE_KIND, Settlements
from application.logistics.tracking import TrackingSweeps
from bootstrap import Container
from entrypoints.worker.scheduler import enqueue_task, every
from entrypoints.worker.tasks import TaskMessage, job_of, register, register_sweep

log = structlog.get_logger("shopkeeper.logistics")

TRACK_TASK = "logistics.track"

register_sweep(
    TRACK_TASK,
    lambda c: c.get(TrackingSweeps).track_everywhere,
    log,
    "logistics.tracked",
    "events",
    quiet_when_none=True,
)

every(300, TRACK_TASK, enqueue_task(TRACK_TASK))


@register(RECONCILE_KIND, time_limit_ms=60 * 60 * 1000)
async def reconcile_statement(container: Container, message: TaskMessage) -> None:
    await container.get(Settlements).run(*job_of(message))
