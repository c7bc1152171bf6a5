"""The ledger check (INV-6): every stock figure must be the sum of its ledger rows.

``CheckLedger`` answers a tenant's differences to a caller with ``inventory:read``;
``LedgerCheck`` runs it for support (``shopkeeper inventory check-ledger``) and the
scheduler across tenants, as the platform role, recorded in the operator audit.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.inventory.common import store_of
from application.inventory.ports import LedgerDifference
from application.shared.context import SystemContext
from application.shared.unit_of_work import UnitOfWorkFactory
from application.shared.use_case import Query, Reading
from domain.inventory.permissions import INVENTORY_READ


class CheckLedger(Query[list[LedgerDifference]], entity="stock_ledger", permission=INVENTORY_READ):
    pass


class CheckLedgerHandler:
    async def handle(self, query: CheckLedger, reading: Reading) -> list[LedgerDifference]:
        return await store_of(reading.uow).stock.differences()


@dataclass(frozen=True)
class TenantLedgerReport:
    tenant_id: UUID
    differences: list[LedgerDifference]

    @property
    def ok(self) -> bool:
        return not self.differences


class LedgerCheck:
    """The check across tenants for operators and the scheduler."""

    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self._uow_factory = uow_factory

    async def check_tenant(self, ctx: SystemContext, tenant_id: UUID) -> TenantLedgerReport:
        async with self._uow_factory.for_system(ctx, tenant_id) as uow:
            differences = await store_of(uow).stock.differences()
            await uow.operator_audit.record(
                ctx,
                "inventory.check_ledger",
                tenant_id,
                {"reason": ctx.reason, "differences": len(differences)},
            )
            await uow.commit()
        return TenantLedgerReport(tenant_id, differences)
