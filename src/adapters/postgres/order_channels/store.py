"""The channel mappings and connectors on one unit of work's connection (ORD-9, CHN-2)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Select, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.postgres.order_channels.tables import channel_connectors, channel_sku_mappings
from adapters.postgres.shared.errors import raise_for_constraint
from adapters.postgres.shared.stores import StoreParts
from application.orders.channels.ports import (
    ORDER_CHANNELS,
    ChannelRef,
    ChannelStore,
    ChannelStoreHolder,
    ConnectorSetting,
    SkuMapping,
)
from domain.shared.errors import NotFound, ValidationFailed

KEY = ORDER_CHANNELS
M, K = channel_sku_mappings.c, channel_connectors.c


class PostgresChannelStore(ChannelStore):
    def __init__(self, connection: AsyncConnection, tenant_id: UUID) -> None:
        self._conn = connection
        self._tenant = tenant_id

    async def set_mapping(self, mapping: SkuMapping, at: datetime) -> None:
        statement = insert(channel_sku_mappings).values(
            tenant_id=self._tenant,
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
            .where(M.tenant_id == self._tenant, M.channel_id == channel_id)
            .order_by(M.channel_sku_code)
        )
        return [SkuMapping(r.channel_id, r.channel_sku_code, r.sku_id) for r in rows]

    async def skus_of(self, channel_id: UUID, codes: Sequence[str]) -> dict[str, UUID]:
        if not codes:
            return {}
        rows = await self._conn.execute(
            select(M.channel_sku_code, M.sku_id).where(
                M.tenant_id == self._tenant,
                M.channel_id == channel_id,
                M.channel_sku_code.in_(list(codes)),
            )
        )
        return {r.channel_sku_code: r.sku_id for r in rows}

    async def codes_of(self, sku_id: UUID) -> list[SkuMapping]:
        rows = await self._conn.execute(
            select(M.channel_id, M.channel_sku_code, M.sku_id)
            .where(M.tenant_id == self._tenant, M.sku_id == sku_id)
            .order_by(M.channel_id, M.channel_sku_code)
        )
        return [SkuMapping(r.channel_id, r.channel_sku_code, r.sku_id) for r in rows]

    async def set_connector(self, setting: ConnectorSetting, at: datetime) -> None:
        statement = insert(channel_connectors).values(
            tenant_id=self._tenant,
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
        ).where(K.tenant_id == self._tenant, K.channel_id == channel_id)

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
            .where(K.tenant_id == self._tenant, K.channel_id == channel_id)
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


class PostgresChannelStoreHolder(ChannelStoreHolder):
    def __init__(self, parts: StoreParts) -> None:
        self.channels = PostgresChannelStore(parts.connection, parts.tenant_id)


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
