"""Sales channels and listings with their channel prices in Postgres (CAT-7, CHN-1).

The unique index on ``(tenant_id, code)`` is the rule for channel codes; a violation (two
writers racing for one code) becomes ``Conflict channel_code_taken``. A listing's channel
prices are rewritten with it on every save.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.postgres.catalog.brands import violated_constraint
from domain.catalog.channel import ChannelKind, Listing, ListingStatus, SalesChannel
from domain.shared.errors import Conflict, StaleVersion
from domain.shared.money import Money

CODE_CONSTRAINT = "sales_channels_code_key"
_CHANNEL_COLUMNS = "id, code, name, kind, platform, active, version"
_LISTING_COLUMNS = "product_id, channel_id, status, published_at, unpublished_at, version"


async def tenant_currency(conn: AsyncConnection, tenant_id: UUID) -> str:
    value = await conn.scalar(
        text("SELECT currency FROM tenants WHERE id = :tenant_id"), {"tenant_id": tenant_id}
    )
    return str(value).strip()


def _channel(row: Row[Any]) -> SalesChannel:
    return SalesChannel(
        row.id, row.code, row.name, ChannelKind(row.kind), row.platform, row.active, row.version
    )


class PostgresChannelRepository:
    def __init__(self, conn: AsyncConnection, tenant_id: UUID) -> None:
        self._conn = conn
        self._tenant_id = tenant_id

    async def get(self, channel_id: UUID) -> SalesChannel | None:
        row = (
            await self._conn.execute(
                text(
                    f"SELECT {_CHANNEL_COLUMNS} FROM sales_channels"
                    " WHERE tenant_id = :tenant_id AND id = :id"
                ),
                {"tenant_id": self._tenant_id, "id": channel_id},
            )
        ).first()
        return _channel(row) if row else None

    async def add(self, channel: SalesChannel, at: datetime) -> None:
        await self._write(
            "INSERT INTO sales_channels (tenant_id, id, code, name, kind, platform, active,"
            " version, created_at, updated_at) VALUES (:tenant_id, :id, :code, :name, :kind,"
            " :platform, :active, :version, :at, :at)",
            channel,
            {"at": at},
        )

    async def save(self, channel: SalesChannel, expected_version: int, at: datetime) -> None:
        rowcount = await self._write(
            "UPDATE sales_channels SET name = :name, active = :active, version = :version,"
            " updated_at = :at"
            " WHERE tenant_id = :tenant_id AND id = :id AND version = :expected_version",
            channel,
            {"at": at, "expected_version": expected_version},
        )
        if rowcount != 1:
            raise StaleVersion(expected=expected_version)

    async def _write(self, sql: str, channel: SalesChannel, extra: dict[str, Any]) -> int:
        values = {
            "tenant_id": self._tenant_id,
            "id": channel.id,
            "code": channel.code,
            "name": channel.name,
            "kind": str(channel.kind),
            "platform": channel.platform,
            "active": channel.active,
            "version": channel.version,
            **extra,
        }
        try:
            result = await self._conn.execute(text(sql), values)
        except IntegrityError as error:
            if violated_constraint(error) == CODE_CONSTRAINT:
                raise Conflict("channel_code_taken", channel_code=channel.code) from None
            raise
        return result.rowcount

    async def page(self, after: UUID | None, limit: int) -> list[SalesChannel]:
        rows = await self._conn.execute(
            text(
                f"SELECT {_CHANNEL_COLUMNS} FROM sales_channels WHERE tenant_id = :tenant_id"
                " AND (CAST(:after AS uuid) IS NULL OR id > CAST(:after AS uuid))"
                " ORDER BY id LIMIT :limit"
            ),
            {"tenant_id": self._tenant_id, "after": after, "limit": limit},
        )
        return [_channel(r) for r in rows]


class PostgresListingRepository:
    def __init__(self, conn: AsyncConnection, tenant_id: UUID) -> None:
        self._conn = conn
        self._tenant_id = tenant_id

    async def hold(self, product_id: UUID, channel_id: UUID) -> None:
        params = {"tenant_id": self._tenant_id, "product_id": product_id, "channel_id": channel_id}
        await self._conn.execute(
            text(
                "SELECT 1 FROM products WHERE tenant_id = :tenant_id AND id = :product_id FOR SHARE"
            ),
            params,
        )
        await self._conn.execute(
            text(
                "SELECT 1 FROM sales_channels WHERE tenant_id = :tenant_id AND id = :channel_id"
                " FOR SHARE"
            ),
            params,
        )

    async def get(self, product_id: UUID, channel_id: UUID) -> Listing | None:
        found = await self._load(
            "AND product_id = :product_id AND channel_id = :channel_id",
            {"product_id": product_id, "channel_id": channel_id},
        )
        return found[0] if found else None

    async def of_product(self, product_id: UUID) -> list[Listing]:
        return await self._load("AND product_id = :product_id", {"product_id": product_id})

    async def published_on(self, channel_id: UUID) -> list[Listing]:
        return await self._load(
            "AND channel_id = :channel_id AND status = 'published'", {"channel_id": channel_id}
        )

    async def _load(self, where: str, params: dict[str, Any]) -> list[Listing]:
        rows = (
            await self._conn.execute(
                text(
                    f"SELECT {_LISTING_COLUMNS} FROM channel_listings"
                    f" WHERE tenant_id = :tenant_id {where} ORDER BY product_id, channel_id"
                ),
                {"tenant_id": self._tenant_id, **params},
            )
        ).all()
        if not rows:
            return []
        currency = await tenant_currency(self._conn, self._tenant_id)
        prices: dict[tuple[UUID, UUID], dict[UUID, Money]] = {
            (r.product_id, r.channel_id): {} for r in rows
        }
        for p in await self._conn.execute(
            text(
                "SELECT product_id, channel_id, sku_id, amount FROM channel_prices"
                " WHERE tenant_id = :tenant_id AND product_id = ANY(CAST(:products AS uuid[]))"
                " AND channel_id = ANY(CAST(:channels AS uuid[]))"
            ),
            {
                "tenant_id": self._tenant_id,
                "products": sorted({r.product_id for r in rows}, key=str),
                "channels": sorted({r.channel_id for r in rows}, key=str),
            },
        ):
            key = (p.product_id, p.channel_id)
            if key in prices:
                prices[key][p.sku_id] = Money(p.amount, currency)
        return [
            Listing(
                r.product_id,
                r.channel_id,
                ListingStatus(r.status),
                prices[(r.product_id, r.channel_id)],
                r.published_at,
                r.unpublished_at,
                r.version,
            )
            for r in rows
        ]

    def _values(self, listing: Listing) -> dict[str, Any]:
        return {
            "tenant_id": self._tenant_id,
            "product_id": listing.product_id,
            "channel_id": listing.channel_id,
            "status": str(listing.status),
            "published_at": listing.published_at,
            "unpublished_at": listing.unpublished_at,
            "version": listing.version,
        }

    async def add(self, listing: Listing) -> None:
        result = await self._conn.execute(
            text(
                "INSERT INTO channel_listings (tenant_id, product_id, channel_id, status,"
                " published_at, unpublished_at, version) VALUES (:tenant_id, :product_id,"
                " :channel_id, :status, :published_at, :unpublished_at, :version)"
                " ON CONFLICT (tenant_id, product_id, channel_id) DO NOTHING"
            ),
            self._values(listing),
        )
        if result.rowcount != 1:  # a racing writer created it first
            raise StaleVersion(expected=0)
        await self._write_prices(listing)

    async def save(self, listing: Listing, expected_version: int) -> None:
        result = await self._conn.execute(
            text(
                "UPDATE channel_listings SET status = :status, published_at = :published_at,"
                " unpublished_at = :unpublished_at, version = :version"
                " WHERE tenant_id = :tenant_id AND product_id = :product_id"
                " AND channel_id = :channel_id AND version = :expected_version"
            ),
            {**self._values(listing), "expected_version": expected_version},
        )
        if result.rowcount != 1:
            raise StaleVersion(expected=expected_version)
        await self._conn.execute(
            text(
                "DELETE FROM channel_prices WHERE tenant_id = :tenant_id"
                " AND product_id = :product_id AND channel_id = :channel_id"
            ),
            {
                "tenant_id": self._tenant_id,
                "product_id": listing.product_id,
                "channel_id": listing.channel_id,
            },
        )
        await self._write_prices(listing)

    async def _write_prices(self, listing: Listing) -> None:
        if not listing.prices:
            return
        await self._conn.execute(
            text(
                "INSERT INTO channel_prices (tenant_id, product_id, channel_id, sku_id, amount)"
                " VALUES (:tenant_id, :product_id, :channel_id, :sku_id, :amount)"
            ),
            [
                {
                    "tenant_id": self._tenant_id,
                    "product_id": listing.product_id,
                    "channel_id": listing.channel_id,
                    "sku_id": sku_id,
                    "amount": money.amount,
                }
                for sku_id, money in sorted(listing.prices.items(), key=lambda i: str(i[0]))
            ],
        )
