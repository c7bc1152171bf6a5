"""Inventory's scheduled work (INV-2, INV-6).

- ``inventory.expire_reservations`` (every 30 s): release every tenant's expired
  reservations, each exactly once (``application.inventory.reservations.expiry``).
- ``inventory.check_ledger`` (daily): the ledger check for every tenant; a difference is
  logged as an error naming the tenant and the stock levels.

- ``inventory.sweep_alerts`` (every 60 s): evaluate every level's thresholds in every
  tenant (a changed threshold, anything a command missed); an alert is raised once
  however many sweepers run (``application.inventory.alerts.evaluate``).
- ``inventory.stock_alert`` (outbox event) → subscriber ``inventory.stock_alert_notify``:
  inbox and email to the holders of ``inventory:alerts``, then the task
  ``inventory.robot_alert`` for a company with a WeChat Work / DingTalk robot.

- ``inventory.stock_import_check`` / ``inventory.stock_import_commit``: the opening-stock
  import's jobs (``application.inventory.imports``).

- ``inventory.close_stock_values`` (hourly; a day closes once it is over, at the tenant's
  midnight): the daily closing of stock values per tenant holding valued stock (INV-7),
  each tenant's unfinished re-valuations first, then the closings no longer kept pruned.
- ``inventory.revalue``: one back-dated movement's re-valuation job (enqueued by the
  receipt's HTTP handler; the closing runs any the queue lost).

The scheduled ones are tasks enqueued by the scheduler with the period in the message id
(so a period fires once) and never retried by the broker: the next period does the same work anyway.
"""

from __future__ import annotations

from uuid import UUID

import structlog

from application.identity.tenant_operations import TenantOperations
from application.inventory.alerts.delivery import ROBOT_TASK, AlertDelivery
from application.inventory.alerts.evaluate import STOCK_ALERT, StockAlertSweep
from application.inventory.costing.closing import StockClosings
from application.inventory.costing.revaluation import REVALUE_KIND, Revaluations
from application.inventory.imports.common import CHECK_KIND as IMPORT_CHECK
from application.inventory.imports.common import COMMIT_KIND as IMPORT_COMMIT
from application.inventory.imports.service import StockImports
from application.inventory.reservations.expiry import ReservationExpiry
from application.inventory.stock.check import LedgerCheck
from application.shared.context import Actor, ActorKind, SystemContext
from bootstrap import Container
from entrypoints.worker.events import EventWork, subscribe
from entrypoints.worker.scheduler import enqueue_task, every
from entrypoints.worker.tasks import (
    TaskMessage,
    job_of,
    register,
    register_sweep,
    worker_context,
)

log = structlog.get_logger("shopkeeper.inventory")

EXPIRE_TASK = "inventory.expire_reservations"
CHECK_TASK = "inventory.check_ledger"
SWEEP_ALERTS_TASK = "inventory.sweep_alerts"
CLOSE_TASK = "inventory.close_stock_values"


register_sweep(
    EXPIRE_TASK,
    lambda c: c.get(ReservationExpiry).expire_all,
    log,
    "inventory.reservations_expired",
    "released",
)


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


register_sweep(
    SWEEP_ALERTS_TASK,
    lambda c: c.get(StockAlertSweep).sweep_all,
    log,
    "inventory.alerts_raised",
    "raised",
)


@subscribe(STOCK_ALERT, name="inventory.stock_alert_notify")
async def notify_stock_alert(work: EventWork) -> None:
    alert_id = work.event.entity_id
    if await work.container.get(AlertDelivery).notify(work.uow, alert_id):
        work.after_commit(
            ROBOT_TASK,
            {"tenant_id": str(work.event.tenant_id), "alert_id": str(alert_id)},
            message_id=f"{ROBOT_TASK}:{alert_id}",
        )


@register(ROBOT_TASK, max_retries=5)
async def robot_alert(container: Container, message: TaskMessage) -> None:
    tenant_id = UUID(message.payload["tenant_id"])
    alert_id = UUID(message.payload["alert_id"])
    sent = await container.get(AlertDelivery).send_to_robot(
        worker_context(tenant_id, ROBOT_TASK), alert_id
    )
    log.info("inventory.robot_alert", tenant_id=str(tenant_id), alert_id=str(alert_id), sent=sent)


@register(IMPORT_CHECK, time_limit_ms=60 * 60 * 1000)
async def check_stock_import(container: Container, message: TaskMessage) -> None:
    await container.get(StockImports).run_check(*job_of(message))


@register(IMPORT_COMMIT, time_limit_ms=60 * 60 * 1000)
async def commit_stock_import(container: Container, message: TaskMessage) -> None:
    await container.get(StockImports).run_commit(*job_of(message))


register_sweep(
    CLOSE_TASK,
    lambda c: c.get(StockClosings).close_all,
    log,
    "inventory.stock_values_closed",
    "days",
    quiet_when_none=True,
)


@register(REVALUE_KIND)
async def revalue(container: Container, message: TaskMessage) -> None:
    await container.get(Revaluations).run(*job_of(message))


every(30, EXPIRE_TASK, enqueue_task(EXPIRE_TASK))
every(86400, CHECK_TASK, enqueue_task(CHECK_TASK))
every(60, SWEEP_ALERTS_TASK, enqueue_task(SWEEP_ALERTS_TASK))
every(3600, CLOSE_TASK, enqueue_task(CLOSE_TASK))
