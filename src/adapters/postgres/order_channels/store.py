"""The channel mappings, connectors, orders waiting for a mapping and order-file imports on
one unit of work's connection (ORD-9, CHN-2)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Select, delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.postgres.order_channels.tables import (
    channel_connectors,
    channel_sku_mappings,
    channel_waiting_orders,
    order_imports,
)
from adapters.postgres.shared.errors import raise_for_constraint
from adapters.postgres.shared.import_records import ImportRecordRows
from adapters.postgres.shared.rows import TenantRepository
from adapters.postgres.shared.stores import StoreParts
from application.orders.channels.ports import (
    ORDER_CHANNELS,
    ChannelRef,
    ChannelStore,
    ChannelStoreHolder,
    ConnectorSetting,
    OrderImportRecord,
    PlatformSubOrder,
    SkuMapping,
    WaitingOrder,
)
from domain.shared.errors import NotFound, ValidationFailed

KEY = ORDER_CHANNELS
M, K, W = channel_sku_mappings.c, channel_connectors.c, channel_waiting_orders.c


class PostgresChannelStore(TenantRepository, ChannelStore):
    async def set_mapping(self, mapping: SkuMapping, at: datetime) -> None:
        statement = insert(channel_sku_mappings).values(
            tenant_id=self._tenant_id,
            channel_id=mapping.channel_id,
            channel_sku_code=mapping.channel_sku_code,
            sku_id=mapping.sku_id,
            updated_at=at,
        )
        try:
            await self._conn.execute(
                statement.on_conflict_do_update(
                    index_elements=[M.tenant_id, M.channel_id, M.channel_sku_code],
                    set_={"sku_id": mapping.sku_id, "updated_at": at},
                )
            )
        except IntegrityError as error:
            raise_for_constraint(
                error,
                {
                    "channel_sku_mappings_tenant_id_sku_id_fkey": lambda: ValidationFailed.single(
                        "skuId", "mapped_sku_unknown"
                    ),
                    "channel_sku_mappings_tenant_id_channel_id_fkey": lambda: NotFound(
                        entity="sales_channel"
                    ),
                },
            )

    async def mappings(self, channel_id: UUID) -> list[SkuMapping]:
        rows = await self._conn.execute(
            select(M.channel_id, M.channel_sku_code, M.sku_id)
            .where(M.tenant_id == self._tenant_id, M.channel_id == channel_id)
            .order_by(M.channel_sku_code)
        )
        return [SkuMapping(r.channel_id, r.channel_sku_code, r.sku_id) for r in rows]

    async def skus_of(self, channel_id: UUID, codes: Sequence[str]) -> dict[str, UUID]:
        if not codes:
            return {}
        rows = await self._conn.execute(
            select(M.channel_sku_code, M.sku_id).where(
                M.tenant_id == self._tenant_id,
                M.channel_id == channel_id,
                M.channel_sku_code.in_(list(codes)),
            )
        )
        return {r.channel_sku_code: r.sku_id for r in rows}

    async def codes_of(self, sku_id: UUID) -> list[SkuMapping]:
        rows = await self._conn.execute(
            select(M.channel_id, M.channel_sku_code, M.sku_id)
            .where(M.tenant_id == self._tenant_id, M.sku_id == sku_id)
            .order_by(M.channel_id, M.channel_sku_code)
        )
        return [SkuMapping(r.channel_id, r.channel_sku_code, r.sku_id) for r in rows]

    async def wait(self, waiting: WaitingOrder, at: datetime) -> None:
        subs = [
            {
                "subOrderId": s.sub_order_id,
                "channelSkuCode": s.channel_sku_code,
                "quantity": s.quantity,
                "unitPrice": str(s.unit_price),
                "title": s.title,
                "discount": str(s.discount),
                "tax": str(s.tax),
            }
            for s in waiting.sub_orders
        ]
        await self._insert(
            channel_waiting_orders,
            {
                "order_id": waiting.order_id,
                "channel_id": waiting.channel_id,
                "platform_order_id": waiting.platform_order_id,
                "codes": list(waiting.codes),
                "sub_orders": subs,
                "paid_amount": waiting.paid_amount,
                "paid_at": waiting.paid_at,
                "created_at": at,
            },
        )

    async def waiting(self, channel_id: UUID, code: str) -> list[WaitingOrder]:
        rows = await self._conn.execute(
            select(channel_waiting_orders)
            .where(
                W.tenant_id == self._tenant_id, W.channel_id == channel_id, W.codes.contains([code])
            )
            .order_by(W.order_id)
            .with_for_update()
        )
        return [
            WaitingOrder(
                r.order_id,
                r.channel_id,
                r.platform_order_id,
                tuple(r.codes),
                tuple(
                    PlatformSubOrder(
                        s["subOrderId"],
                        s["channelSkuCode"],
                        int(s["quantity"]),
                        Decimal(s["unitPrice"]),
                        s.get("title"),
                        Decimal(s["discount"]),
                        Decimal(s["tax"]),
                    )
                    for s in r.sub_orders
                ),
                r.paid_amount,
                r.paid_at,
            )
            for r in rows
        ]

    async def stop_waiting(self, order_id: UUID) -> None:
        await self._conn.execute(
            delete(channel_waiting_orders).where(
                W.tenant_id == self._tenant_id, W.order_id == order_id
            )
        )

    async def set_connector(self, setting: ConnectorSetting, at: datetime) -> None:
        statement = insert(channel_connectors).values(
            tenant_id=self._tenant_id,
            channel_id=setting.channel.channel_id,
            kind=setting.kind,
            endpoint=setting.endpoint,
            synced_until=setting.synced_until,
            updated_at=at,
        )
        await self._conn.execute(
            statement.on_conflict_do_update(
                index_elements=[K.tenant_id, K.channel_id],
                set_={"kind": setting.kind, "endpoint": setting.endpoint, "updated_at": at},
            )
        )

    def _select(self, channel_id: UUID) -> Select[Any]:
        return select(
            K.channel_id, K.kind, K.endpoint, K.synced_until, K.window_until, K.page_token
        ).where(K.tenant_id == self._tenant_id, K.channel_id == channel_id)

    async def connector(self, channel_id: UUID) -> ConnectorSetting | None:
        row = (await self._conn.execute(self._select(channel_id))).first()
        return _setting(row) if row is not None else None

    async def lock_connector(self, channel_id: UUID) -> ConnectorSetting | None:
        query = self._select(channel_id).with_for_update(skip_locked=True)
        row = (await self._conn.execute(query)).first()
        return _setting(row) if row is not None else None

    async def advance(
        self,
        channel_id: UUID,
        synced_until: datetime,
        window_until: datetime | None,
        page_token: str | None,
        at: datetime,
    ) -> None:
        await self._conn.execute(
            channel_connectors.update()
            .where(K.tenant_id == self._tenant_id, K.channel_id == channel_id)
            .values(
                synced_until=synced_until,
                window_until=window_until,
                page_token=page_token,
                updated_at=at,
            )
        )


def _setting(row: Any) -> ConnectorSetting:
    return ConnectorSetting(
        ChannelRef(row.channel_id, "", ""),  # code and platform: the catalog's (intake.py)
        row.kind,
        row.endpoint,
        row.synced_until,
        row.window_until,
        row.page_token,
    )


class PostgresOrderImports(ImportRecordRows[OrderImportRecord]):
    """The order-file imports' records (``ImportRecordRows``: the catalog import's)."""

    def __init__(self, conn: AsyncConnection, tenant_id: UUID) -> None:
        super().__init__(conn, tenant_id, order_imports, OrderImportRecord)


class PostgresChannelStoreHolder(ChannelStoreHolder):
    def __init__(self, parts: StoreParts) -> None:
        self.channels = PostgresChannelStore(parts.connection, parts.tenant_id)
        self.imports = PostgresOrderImports(parts.connection, parts.tenant_id)


def build(parts: StoreParts) -> ChannelStoreHolder:
    return PostgresChannelStoreHolder(parts)


class PostgresConnectedChannels:
    """Every channel with a connector, across tenants (the platform role)."""

    def __init__(self, platform_engine: AsyncEngine) -> None:
        self._engine = platform_engine

    async def all(self) -> list[tuple[UUID, UUID]]:
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(K.tenant_id, K.channel_id).order_by(K.tenant_id, K.channel_id)
            )
            return [(r.tenant_id, r.channel_id) for r in rows]
