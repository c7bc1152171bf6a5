"""Inventory's scheduled work (INV-2, INV-6).

- ``inventory.expire_reservations`` (every 30 s): release every tenant's expired
  reservations, each exactly once (``application.inventory.reservations.expiry``).
- ``inventory.check_ledger`` (daily): the ledger check for every tenant; a difference is
  logged as an error naming the tenant and the stock levels.

- ``inventory.close_stock_values`` (hourly; a day closes once it is over): the daily
  closing of stock values per tenant (INV-7), each tenant's unfinished re-valuations first.
- ``inventory.revalue``: one back-dated movement's re-valuation job (enqueued by the
  receipt's HTTP handler; the closing runs any the queue lost).

The scheduled ones are tasks enqueued by the scheduler with the period in the message id
(so a period fires once) and never retried by the broker: the next period does the same work anyway.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import structlog

from application.identity.tenant_operations import TenantOperations
from application.inventory.costing.closing import StockClosings
from application.inventory.costing.revaluation import REVALUE_KIND, Revaluations
from application.inventory.reservations.expiry import ReservationExpiry
from application.inventory.stock.check import LedgerCheck
from application.shared.context import Actor, ActorKind, SystemContext
from bootstrap import Container
from entrypoints.worker.scheduler import JobFunction, every
from entrypoints.worker.tasks import TaskMessage, register, worker_context

log = structlog.get_logger("shopkeeper.inventory")

EXPIRE_TASK = "inventory.expire_reservations"
CHECK_TASK = "inventory.check_ledger"
CLOSE_TASK = "inventory.close_stock_values"


@register(EXPIRE_TASK, max_retries=0)
async def expire_reservations(container: Container, message: TaskMessage) -> None:
    released = await container.get(ReservationExpiry).expire_all(
        lambda tenant_id: worker_context(tenant_id, EXPIRE_TASK)
    )
    for tenant_id, count in released.items():
        log.info("inventory.reservations_expired", tenant_id=str(tenant_id), released=count)


@register(CHECK_TASK, max_retries=0)
async def check_ledgers(container: Container, message: TaskMessage) -> None:
    ctx = SystemContext(Actor(ActorKind.SYSTEM, CHECK_TASK), "scheduled ledger check")
    check = container.get(LedgerCheck)
    for tenant in await container.get(TenantOperations).list_all(ctx):
        report = await check.check_tenant(ctx, tenant.id)
        if not report.ok:
            log.error(
                "inventory.ledger_differs",
                tenant_id=str(tenant.id),
                levels=[f"{d.sku_id}@{d.warehouse_id}" for d in report.differences[:20]],
                count=len(report.differences),
            )


@register(CLOSE_TASK, max_retries=0)
async def close_stock_values(container: Container, message: TaskMessage) -> None:
    ctx = SystemContext(Actor(ActorKind.SYSTEM, CLOSE_TASK), "scheduled stock value closing")
    closings = container.get(StockClosings)
    for tenant in await container.get(TenantOperations).list_all(ctx):
        closed = await closings.close_tenant(tenant.id, container.clock.now())
        if closed:
            log.info("inventory.stock_values_closed", tenant_id=str(tenant.id), days=len(closed))


@register(REVALUE_KIND)
async def revalue(container: Container, message: TaskMessage) -> None:
    await container.get(Revaluations).run(
        UUID(message.payload["tenant_id"]), UUID(message.payload["job_id"])
    )


def _enqueue(task: str) -> JobFunction:
    async def enqueue(container: Container, period_start: datetime) -> None:
        await container.task_queue.enqueue(
            task, {}, message_id=f"{task}:{period_start.isoformat()}"
        )

    return enqueue


every(30, EXPIRE_TASK, _enqueue(EXPIRE_TASK))
every(86400, CHECK_TASK, _enqueue(CHECK_TASK))
every(3600, CLOSE_TASK, _enqueue(CLOSE_TASK))
