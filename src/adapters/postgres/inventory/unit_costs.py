"""Unit costs for count values and transfer rows (INV-4, INV-5) and an order's price check
(ORD-5), read from costing's positions (INV-7): a SKU's value ÷ quantity in the warehouse
(or over every warehouse), six places, half-even; the last unit cost it had when none is
left."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import func, select

from adapters.postgres.inventory.tables import cost_positions
from adapters.postgres.shared.rows import TenantRepository
from domain.inventory.costing import unit


def _unit_cost(row: Any) -> Decimal:
    """Value ÷ quantity held, else the last unit cost (nothing left)."""
    return unit(row.value / row.quantity) if row.quantity else row.last_unit_cost


class CostPositionUnitCosts(TenantRepository):
    async def unit_costs(self, warehouse_id: UUID, sku_ids: Sequence[UUID]) -> dict[UUID, Decimal]:
        if not sku_ids:
            return {}
        rows = await self._conn.execute(
            select(
                cost_positions.c.sku_id,
                cost_positions.c.quantity,
                cost_positions.c.value,
                cost_positions.c.last_unit_cost,
            ).where(
                cost_positions.c.tenant_id == self._tenant_id,
                cost_positions.c.warehouse_id == warehouse_id,
                cost_positions.c.sku_id.in_(list(sku_ids)),
            )
        )
        return {row.sku_id: _unit_cost(row) for row in rows}

    async def average_unit_costs(self, sku_ids: Sequence[UUID]) -> dict[UUID, Decimal]:
        if not sku_ids:
            return {}
        c = cost_positions.c
        rows = await self._conn.execute(
            select(
                c.sku_id,
                func.sum(c.quantity).label("quantity"),
                func.sum(c.value).label("value"),
                func.max(c.last_unit_cost).label("last_unit_cost"),
            )
            .where(c.tenant_id == self._tenant_id, c.sku_id.in_(list(sku_ids)))
            .group_by(c.sku_id)
        )
        return {
            row.sku_id: _unit_cost(row)
            for row in rows
            if row.quantity or row.last_unit_cost  # never costed: left out
        }
