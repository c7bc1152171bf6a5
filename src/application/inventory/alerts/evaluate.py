"""Alerts are evaluated at the end of each stock-moving command, once per touched SKU ×
warehouse, and by a scheduled sweep (INV-3).

``evaluate_alerts`` reads the touched levels with their thresholds in force and their
open alerts (one query), raises an alert for each new crossing and resolves each alert
whose level recovered (re-arming it). A raise is an insert into a partial unique index
(one open alert per SKU × warehouse × kind), so two evaluations racing — a command and a
sweep, or two sweepers — raise it once, and only the one that inserted emits
``inventory.stock_alert``. Delivery (inbox, email, robot) follows that event
(``alerts.delivery``); webhooks receive the event itself.

The sweep (``SweepStockAlerts``) evaluates every level of the tenant: it catches a changed
threshold (a new category default raises alerts without any movement) and anything a
command missed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol
from uuid import UUID

from application.inventory.common import store_of
from application.shared.context import CallContext
from application.shared.use_case import Command, Work, runs
from application.shared.use_cases import UseCases
from domain.inventory.alerts import ENTITY, AlertStatus, StockAlert, judge
from domain.inventory.permissions import INVENTORY_WRITE
from domain.shared.events import DomainEvent

STOCK_ALERT = "inventory.stock_alert"
STOCK_ALERT_RESOLVED = "inventory.stock_alert_resolved"


async def evaluate_alerts(work: Work, levels: set[tuple[UUID, UUID]] | None) -> int:
    """Raise and resolve the alerts of ``levels`` (SKU, warehouse) — every level of the
    tenant when None. Answers how many alerts it raised."""
    if levels is not None and not levels:
        return 0
    store = store_of(work.uow).alerts
    watched = await store.watch(sorted(levels, key=str) if levels is not None else None)
    raised = 0
    now = work.clock.now()
    for level in watched:
        crossings, recoveries = judge(level)
        for recovery in recoveries:
            alert_id = await store.resolve(
                recovery.sku_id, recovery.warehouse_id, recovery.kind, now
            )
            if alert_id is not None:
                work.emit(
                    DomainEvent(
                        STOCK_ALERT_RESOLVED,
                        ENTITY,
                        alert_id,
                        ("status",),
                        {
                            "skuId": str(recovery.sku_id),
                            "warehouseId": str(recovery.warehouse_id),
                            "kind": recovery.kind.value,
                        },
                    )
                )
        for crossing in crossings:
            alert = StockAlert(
                work.ids.new_id(),
                crossing.sku_id,
                crossing.warehouse_id,
                crossing.kind,
                AlertStatus.OPEN,
                crossing.threshold,
                crossing.quantity,
                now,
            )
            if await store.raise_alert(alert):
                raised += 1
                work.emit(
                    DomainEvent(
                        STOCK_ALERT,
                        ENTITY,
                        alert.id,
                        ("status",),
                        {
                            "skuId": str(alert.sku_id),
                            "warehouseId": str(alert.warehouse_id),
                            "kind": alert.kind.value,
                            "threshold": str(alert.threshold),
                            "quantity": str(alert.quantity),
                        },
                    )
                )
                work.audit(
                    alert.id,
                    detail={
                        "sku_id": str(alert.sku_id),
                        "warehouse_id": str(alert.warehouse_id),
                        "kind": alert.kind.value,
                        "threshold": alert.threshold,
                        "quantity": alert.quantity,
                    },
                    action="stock_alert.raise",
                    entity=ENTITY,
                )
    return raised


class SweepStockAlerts(
    Command[int], action="stock_alert.sweep", entity=ENTITY, permission=INVENTORY_WRITE
):
    """Evaluate every level of the tenant (the scheduler's sweep)."""


class SweepStockAlertsHandler:
    async def handle(self, command: SweepStockAlerts, work: Work) -> int:
        return await evaluate_alerts(work, None)


class WatchedTenants(Protocol):
    """Across tenants (the platform role): those with thresholds or an open alert."""

    async def tenants_watched(self) -> list[UUID]: ...


class StockAlertSweep:
    """The sweep across tenants, each in its own context (the worker's): only the tenants
    with thresholds or an open alert have anything to evaluate."""

    def __init__(self, use_cases: UseCases, watched: WatchedTenants) -> None:
        self._use_cases = use_cases
        self._watched = watched

    @runs(SweepStockAlerts)
    async def sweep_all(self, context_for: Callable[[UUID], CallContext]) -> dict[UUID, int]:
        found = {}
        for tenant_id in await self._watched.tenants_watched():
            raised = await self._use_cases.run(context_for(tenant_id), SweepStockAlerts())
            if raised:
                found[tenant_id] = raised
        return found
