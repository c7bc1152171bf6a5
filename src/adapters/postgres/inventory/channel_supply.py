"""Per-channel supply settings and the availability last announced (CHN-1/CHN-2)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Text, Uuid, bindparam, cast, delete, func, insert, literal_column, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement

from adapters.postgres.inventory.tables import (
    channel_availability,
    channel_supply,
    channel_supply_warehouses,
)
from adapters.postgres.shared.errors import raise_for_constraint
from adapters.postgres.shared.rows import AnyRow, TenantRepository, one_updated
from domain.inventory.availability import ChannelSupply, ShareKind
from domain.inventory.reservation import AllocationStrategy
from domain.shared.errors import NotFound

# Read after every stock movement (the availability announcement): built once.
_ALL = select(channel_supply).where(channel_supply.c.tenant_id == bindparam("tenant", type_=Uuid))


# Every channel's settings with their warehouses as one JSON array, for reading them beside
# the warehouses in one statement (``PostgresWarehouseRepository.all_with_supplies``).
_s, _sw = channel_supply.c, channel_supply_warehouses.c
_EMPTY: ColumnElement[Any] = literal_column("'[]'::json")
SUPPLIES_JSON = (
    select(
        func.coalesce(
            func.json_agg(
                func.json_build_object(
                    "channel_id",
                    _s.channel_id,
                    "strategy",
                    _s.strategy,
                    "safety_stock",
                    _s.safety_stock,
                    "share_kind",
                    _s.share_kind,
                    "share_value",
                    cast(_s.share_value, Text),
                    "version",
                    _s.version,
                    "warehouse_ids",
                    select(
                        func.coalesce(
                            func.json_agg(aggregate_order_by(_sw.warehouse_id, _sw.position)),
                            _EMPTY,
                        )
                    )
                    .where(_sw.tenant_id == _s.tenant_id, _sw.channel_id == _s.channel_id)
                    .scalar_subquery(),
                )
            ),
            _EMPTY,
        )
    )
    .where(_s.tenant_id == bindparam("tenant", type_=Uuid))
    .scalar_subquery()
)


def supplies_from_json(found: list[dict[str, Any]] | None) -> list[ChannelSupply]:
    """``SUPPLIES_JSON``'s answer as settings (JSON carries ids and the amount as text)."""
    return [
        ChannelSupply(
            UUID(item["channel_id"]),
            tuple(UUID(w) for w in item["warehouse_ids"]),
            AllocationStrategy(item["strategy"]),
            int(item["safety_stock"]),
            ShareKind(item["share_kind"]),
            Decimal(item["share_value"]),
            int(item["version"]),
        )
        for item in found or ()
    ]


def _supply(row: AnyRow, warehouse_ids: tuple[UUID, ...]) -> ChannelSupply:
    return ChannelSupply(
        row.channel_id,
        warehouse_ids,
        AllocationStrategy(row.strategy),
        int(row.safety_stock),
        ShareKind(row.share_kind),
        row.share_value,
        row.version,
    )


class PostgresChannelSupplyRepository(TenantRepository):
    async def _warehouses(self) -> dict[UUID, list[UUID]]:
        rows = await self._conn.execute(
            select(channel_supply_warehouses.c.channel_id, channel_supply_warehouses.c.warehouse_id)
            .where(channel_supply_warehouses.c.tenant_id == self._tenant_id)
            .order_by(channel_supply_warehouses.c.channel_id, channel_supply_warehouses.c.position)
        )
        found: dict[UUID, list[UUID]] = {}
        for row in rows:
            found.setdefault(row.channel_id, []).append(row.warehouse_id)
        return found

    async def get(self, channel_id: UUID) -> ChannelSupply | None:
        row = await self._first(
            select(channel_supply).where(
                channel_supply.c.tenant_id == self._tenant_id,
                channel_supply.c.channel_id == channel_id,
            )
        )
        if row is None:
            return None
        return _supply(row, tuple((await self._warehouses()).get(channel_id, ())))

    async def all(self) -> list[ChannelSupply]:
        rows = (await self._conn.execute(_ALL, {"tenant": self._tenant_id})).all()
        warehouses = await self._warehouses() if rows else {}
        return [_supply(row, tuple(warehouses.get(row.channel_id, ()))) for row in rows]

    async def put(self, supply: ChannelSupply, expected_version: int, at: datetime) -> None:
        values = {
            "strategy": supply.strategy.value,
            "safety_stock": supply.safety_stock,
            "share_kind": supply.share_kind.value,
            "share_value": supply.share_value,
            "version": supply.version,
            "updated_at": at,
        }
        if expected_version == 0:
            await self._insert(channel_supply, {"channel_id": supply.channel_id, **values})
        else:
            result = await self._conn.execute(
                channel_supply.update()
                .where(
                    channel_supply.c.tenant_id == self._tenant_id,
                    channel_supply.c.channel_id == supply.channel_id,
                    channel_supply.c.version == expected_version,
                )
                .values(values)
            )
            one_updated(result.rowcount, expected_version)
        await self._conn.execute(
            delete(channel_supply_warehouses).where(
                channel_supply_warehouses.c.tenant_id == self._tenant_id,
                channel_supply_warehouses.c.channel_id == supply.channel_id,
            )
        )
        if supply.warehouse_ids:
            try:
                await self._conn.execute(
                    insert(channel_supply_warehouses),
                    [
                        {
                            "tenant_id": self._tenant_id,
                            "channel_id": supply.channel_id,
                            "warehouse_id": warehouse_id,
                            "position": position,
                        }
                        for position, warehouse_id in enumerate(supply.warehouse_ids)
                    ],
                )
            except IntegrityError as error:
                raise_for_constraint(
                    error,
                    {
                        "channel_supply_warehouses_tenant_id_warehouse_id_fkey": lambda: NotFound(
                            entity="warehouse"
                        )
                    },
                )

    async def announce(self, channel_id: UUID, sku_id: UUID, quantity: int) -> bool:
        statement = pg_insert(channel_availability).values(
            tenant_id=self._tenant_id, channel_id=channel_id, sku_id=sku_id, quantity=quantity
        )
        upsert = statement.on_conflict_do_update(
            constraint="channel_availability_pkey",
            set_={
                "quantity": statement.excluded.quantity,
                "updated_at": statement.excluded.updated_at,
            },
            where=channel_availability.c.quantity != statement.excluded.quantity,
        ).returning(channel_availability.c.quantity)
        return (await self._first(upsert)) is not None
