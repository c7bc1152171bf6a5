"""Orders' scheduled work (ORD-1, ORD-5).

- ``orders.cancel_unpaid`` (every 60 s): cancel every tenant's own-API and staff orders
  unpaid past the tenant's limit and release their stock, each exactly once
  (``application.orders.sweeps``: FOR UPDATE SKIP LOCKED, so two schedulers or workers
  never cancel the same order twice).
- ``orders.restock`` (every 60 s): reserve the stock of orders marked abnormal
  ``out_of_stock`` once it has arrived, and release the abnormality.
- ``orders.release_holds`` (every 60 s): release the holds whose end has passed.

Both are tasks enqueued by the scheduler with the period in the message id (so a period
fires once) and never retried by the broker: the next period does the same work anyway.
"""

from __future__ import annotations

from datetime import datetime

import structlog

from application.orders.sweeps import OrderSweeps
from bootstrap import Container
from entrypoints.worker.scheduler import JobFunction, every
from entrypoints.worker.tasks import TaskMessage, register, worker_context

log = structlog.get_logger("shopkeeper.orders")

UNPAID_TASK = "orders.cancel_unpaid"
RESTOCK_TASK = "orders.restock"
HOLDS_TASK = "orders.release_holds"


@register(UNPAID_TASK, max_retries=0)
async def cancel_unpaid(container: Container, message: TaskMessage) -> None:
    cancelled = await container.get(OrderSweeps).cancel_unpaid_everywhere(
        lambda tenant_id: worker_context(tenant_id, UNPAID_TASK)
    )
    for tenant_id, count in cancelled.items():
        log.info("orders.unpaid_cancelled", tenant_id=str(tenant_id), cancelled=count)


@register(RESTOCK_TASK, max_retries=0)
async def restock(container: Container, message: TaskMessage) -> None:
    released = await container.get(OrderSweeps).restock_everywhere(
        lambda tenant_id: worker_context(tenant_id, RESTOCK_TASK)
    )
    for tenant_id, count in released.items():
        if count:
            log.info("orders.restocked", tenant_id=str(tenant_id), released=count)


@register(HOLDS_TASK, max_retries=0)
async def release_holds(container: Container, message: TaskMessage) -> None:
    released = await container.get(OrderSweeps).release_holds_everywhere(
        lambda tenant_id: worker_context(tenant_id, HOLDS_TASK)
    )
    for tenant_id, count in released.items():
        log.info("orders.holds_released", tenant_id=str(tenant_id), released=count)


def _enqueue(task: str) -> JobFunction:
    async def enqueue(container: Container, period_start: datetime) -> None:
        await container.task_queue.enqueue(
            task, {}, message_id=f"{task}:{period_start.isoformat()}"
        )

    return enqueue


every(60, UNPAID_TASK, _enqueue(UNPAID_TASK))
every(60, RESTOCK_TASK, _enqueue(RESTOCK_TASK))
every(60, HOLDS_TASK, _enqueue(HOLDS_TASK))
