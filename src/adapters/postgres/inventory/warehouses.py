"""Warehouses and bins in Postgres (INV-1). Codes are unique per tenant (warehouses) and
per warehouse (bins) by constraint; a violation becomes a ``Conflict``."""

from __future__ import annotations

from uuid import UUID

from asyncpg import Record
from sqlalchemy import Uuid, bindparam, insert, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.exc import IntegrityError

from adapters.postgres.inventory.channel_supply import SUPPLIES_JSON, supplies_from_json
from adapters.postgres.inventory.tables import stock_ledger, warehouse_bins, warehouses
from adapters.postgres.shared.driver import DriverStatement
from adapters.postgres.shared.errors import raise_for_constraint
from adapters.postgres.shared.rows import (
    AnyRow,
    TenantRepository,
    columns_of,
    from_row,
    one_updated,
    values_of,
)
from application.inventory.ports import BinPlace
from domain.inventory.availability import ChannelSupply
from domain.inventory.warehouse import Bin, Warehouse, WarehouseKind
from domain.shared.errors import Conflict

_COLUMNS = [c for c in warehouses.c if c.name != "tenant_id"]
_READ = select(*_COLUMNS)
# Read on every reservation: built once, the tenant bound at execution.
_ALL = _READ.where(warehouses.c.tenant_id == bindparam("tenant", type_=Uuid)).order_by(
    warehouses.c.priority, warehouses.c.code
)


# Allocation reads the warehouses, the availability announcement every channel's settings:
# one statement for both (the settings' subquery runs once, not per row); sent on every
# reservation, so run on the driver (decision 82).
_ALL_WITH_SUPPLIES = DriverStatement(
    select(*_COLUMNS, SUPPLIES_JSON.label("supplies"))
    .where(warehouses.c.tenant_id == bindparam("tenant", type_=Uuid))
    .order_by(warehouses.c.priority, warehouses.c.code)
)


def _warehouse(row: AnyRow | Record) -> Warehouse:
    return from_row(Warehouse, row, kind=WarehouseKind(columns_of(row)["kind"]))


class PostgresWarehouseRepository(TenantRepository):
    async def get(self, warehouse_id: UUID) -> Warehouse | None:
        row = await self._first(_READ.where(self._row_of(warehouses, warehouse_id)))
        return _warehouse(row) if row else None

    async def add(self, warehouse: Warehouse) -> None:
        try:
            await self._insert(
                warehouses, values_of(warehouse, _COLUMNS, kind=warehouse.kind.value)
            )
        except IntegrityError as error:
            raise_for_constraint(
                error,
                {"warehouses_tenant_id_code_key": lambda: Conflict("warehouse_code_taken")},
            )

    async def save(self, warehouse: Warehouse, expected_version: int) -> None:
        columns = [c for c in _COLUMNS if c.name not in ("id", "created_at", "code", "kind")]
        result = await self._conn.execute(
            self._at_version(warehouses, warehouse.id, expected_version).values(
                values_of(warehouse, columns)
            )
        )
        one_updated(result.rowcount, expected_version)

    async def page(self, after: UUID | None, limit: int) -> list[Warehouse]:
        query = _READ.where(warehouses.c.tenant_id == self._tenant_id)
        if after is not None:
            query = query.where(warehouses.c.id > after)
        rows = await self._conn.execute(query.order_by(warehouses.c.id).limit(limit))
        return [_warehouse(row) for row in rows]

    async def all(self) -> list[Warehouse]:
        rows = await self._conn.execute(_ALL, {"tenant": self._tenant_id})
        return [_warehouse(row) for row in rows]

    async def all_with_supplies(self) -> tuple[list[Warehouse], list[ChannelSupply]]:
        rows = await _ALL_WITH_SUPPLIES.fetch(self._conn, {"tenant": self._tenant_id})
        if not rows:  # no warehouse row to carry the settings: read them alone
            found = await self._conn.scalar(select(SUPPLIES_JSON), {"tenant": self._tenant_id})
            return [], supplies_from_json(found)
        return [_warehouse(row) for row in rows], supplies_from_json(rows[0]["supplies"])

    async def add_bin(self, bin: Bin) -> None:
        try:
            await self._conn.execute(
                insert(warehouse_bins).values(
                    tenant_id=self._tenant_id,
                    id=bin.id,
                    warehouse_id=bin.warehouse_id,
                    code=bin.code,
                    name=bin.name,
                    zone=bin.zone,
                    created_at=bin.created_at,
                )
            )
        except IntegrityError as error:
            raise_for_constraint(
                error,
                {
                    "warehouse_bins_tenant_id_warehouse_id_code_key": lambda: Conflict(
                        "bin_code_taken"
                    )
                },
            )

    async def bins(self, warehouse_id: UUID) -> list[Bin]:
        columns = [c for c in warehouse_bins.c if c.name != "tenant_id"]
        rows = await self._conn.execute(
            select(*columns)
            .where(
                warehouse_bins.c.tenant_id == self._tenant_id,
                warehouse_bins.c.warehouse_id == warehouse_id,
            )
            .order_by(warehouse_bins.c.code)
        )
        return [from_row(Bin, row) for row in rows]

    async def bin_places(self, warehouse_id: UUID, sku_ids: list[UUID]) -> dict[UUID, BinPlace]:
        ledger = stock_ledger.c
        latest = (
            select(ledger.sku_id, warehouse_bins.c.code, warehouse_bins.c.zone)
            .join(
                warehouse_bins,
                (warehouse_bins.c.tenant_id == ledger.tenant_id)
                & (warehouse_bins.c.id == ledger.bin_id),
            )
            .where(
                ledger.tenant_id == self._tenant_id,
                ledger.warehouse_id == warehouse_id,
                ledger.sku_id.in_(sku_ids),
                ledger.bin_id.is_not(None),
                ledger.d_on_hand > 0,
            )
            .order_by(ledger.sku_id, ledger.seq.desc())
            .ext(distinct_on(ledger.sku_id))
        )
        rows = await self._conn.execute(latest)
        return {row.sku_id: BinPlace(row.code, row.zone) for row in rows}
