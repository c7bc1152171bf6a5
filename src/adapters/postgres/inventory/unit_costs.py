"""PROVISIONAL unit costs for count values and transfer rows (INV-4, INV-5), until the
costing module (INV-7) lands: a SKU's unit cost in a warehouse is the unit cost of its
latest receipt there that carried one (``stock_ledger``, kind ``receipt``).

To re-point after costing merges: make ``PostgresInventoryStore.unit_costs`` the costing
module's read port (same ``UnitCostReader`` shape) and delete this file; counts and
transfers read it through ``store.unit_costs`` only.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import distinct_on

from adapters.postgres.inventory.tables import stock_ledger
from adapters.postgres.shared.rows import TenantRepository
from domain.inventory.stock import MovementKind


class LatestReceiptUnitCosts(TenantRepository):
    async def unit_costs(self, warehouse_id: UUID, sku_ids: Sequence[UUID]) -> dict[UUID, Decimal]:
        if not sku_ids:
            return {}
        rows = await self._conn.execute(
            select(stock_ledger.c.sku_id, stock_ledger.c.unit_cost)
            .where(
                stock_ledger.c.tenant_id == self._tenant_id,
                stock_ledger.c.warehouse_id == warehouse_id,
                stock_ledger.c.sku_id.in_(list(sku_ids)),
                stock_ledger.c.kind == MovementKind.RECEIPT.value,
                stock_ledger.c.unit_cost.is_not(None),
            )
            .ext(distinct_on(stock_ledger.c.sku_id))
            .order_by(stock_ledger.c.sku_id, stock_ledger.c.seq.desc())
        )
        return {row.sku_id: row.unit_cost for row in rows}
