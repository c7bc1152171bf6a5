"""Fulfilment's scheduled work (LOG-1, CHN-2 shipment side).

- ``fulfilment.report_shipments`` (every 60 s): tell the sales channel again of the
  shipped parcels it was not told of, when their backoff is due
  (``application.fulfilment.reporting``: FOR UPDATE SKIP LOCKED, so two schedulers or
  workers never report a shipment twice).

Enqueued by the scheduler with the period in the message id (so a period fires once) and
never retried by the broker: the next period does the same work anyway.
"""

from __future__ import annotations

import structlog

from application.fulfilment.reporting import ShipmentSweeps
from entrypoints.worker.scheduler import enqueue_task, every
from entrypoints.worker.tasks import register_sweep

log = structlog.get_logger("shopkeeper.fulfilment")

REPORT_TASK = "fulfilment.report_shipments"

register_sweep(
    REPORT_TASK,
    lambda c: c.get(ShipmentSweeps).report_everywhere,
    log,
    "fulfilment.channel_reported",
    "reported",
    quiet_when_none=True,
)

every(60, REPORT_TASK, enqueue_task(REPORT_TASK))
