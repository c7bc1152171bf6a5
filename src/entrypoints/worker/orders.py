"""Orders' scheduled work (ORD-1, ORD-5).

- ``orders.cancel_unpaid`` (every 60 s): cancel every tenant's own-API and staff orders
  unpaid past the tenant's limit and release their stock, each exactly once
  (``application.orders.sweeps``: FOR UPDATE SKIP LOCKED, so two schedulers or workers
  never cancel the same order twice).
- ``orders.restock`` (every 60 s): reserve the stock of orders marked abnormal
  ``out_of_stock`` once it has arrived, and release the abnormality.
- ``orders.release_holds`` (every 60 s): release the holds whose end has passed.
- ``orders.auto_merge`` (every 60 s): merge the orders past their merge wait, each group
  once (skip locked).
- ``orders.complete_delivered`` (every 10 min): complete the orders delivered seven days
  ago (确认收货: the no-questions return window over), each once (skip locked).
- ``orders.review_waiting`` (a job's task, queued by ``POST
  /api/v1/orders/rules/review-waiting/jobs``): every order awaiting review reviewed again
  by the current rule set (``application.orders.review_job``).

All are tasks enqueued by the scheduler with the period in the message id (so a period
fires once) and never retried by the broker: the next period does the same work anyway.
"""

from __future__ import annotations

import structlog

from application.orders.review_job import REVIEW_KIND, WaitingReviews
from application.orders.sweeps import OrderSweeps
from bootstrap import Container
from entrypoints.worker.scheduler import enqueue_task, every
from entrypoints.worker.tasks import TaskMessage, job_of, register, register_sweep

log = structlog.get_logger("shopkeeper.orders")

UNPAID_TASK = "orders.cancel_unpaid"
RESTOCK_TASK = "orders.restock"
HOLDS_TASK = "orders.release_holds"
MERGE_TASK = "orders.auto_merge"
COMPLETE_TASK = "orders.complete_delivered"


register_sweep(
    UNPAID_TASK,
    lambda c: c.get(OrderSweeps).cancel_unpaid_everywhere,
    log,
    "orders.unpaid_cancelled",
    "cancelled",
)
register_sweep(
    RESTOCK_TASK,
    lambda c: c.get(OrderSweeps).restock_everywhere,
    log,
    "orders.restocked",
    "released",
    quiet_when_none=True,
)
register_sweep(
    HOLDS_TASK,
    lambda c: c.get(OrderSweeps).release_holds_everywhere,
    log,
    "orders.holds_released",
    "released",
)
register_sweep(
    COMPLETE_TASK,
    lambda c: c.get(OrderSweeps).complete_delivered_everywhere,
    log,
    "orders.completed",
    "completed",
    quiet_when_none=True,
)
register_sweep(
    MERGE_TASK,
    lambda c: c.get(OrderSweeps).merge_everywhere,
    log,
    "orders.merged",
    "merged",
    quiet_when_none=True,
)


@register(REVIEW_KIND, time_limit_ms=60 * 60 * 1000)
async def review_waiting(container: Container, message: TaskMessage) -> None:
    await container.get(WaitingReviews).run(*job_of(message))


every(60, UNPAID_TASK, enqueue_task(UNPAID_TASK))
every(60, RESTOCK_TASK, enqueue_task(RESTOCK_TASK))
every(60, HOLDS_TASK, enqueue_task(HOLDS_TASK))
every(60, MERGE_TASK, enqueue_task(MERGE_TASK))
every(600, COMPLETE_TASK, enqueue_task(COMPLETE_TASK))
