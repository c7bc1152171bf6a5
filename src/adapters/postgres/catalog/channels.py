"""Sales channels and listings with their channel prices in Postgres (CAT-7, CHN-1).

The unique index on ``(tenant_id, code)`` is the rule for channel codes; a violation (two
writers racing for one code) becomes ``Conflict channel_code_taken``. A listing's channel
prices are rewritten with it on every save.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Executable, delete, insert, select, update
from sqlalchemy.dialects.postgresql import insert as upsert
from sqlalchemy.exc import IntegrityError

from adapters.postgres.catalog.sql import any_of, tenant_currency
from adapters.postgres.catalog.tables import (
    channel_listings,
    channel_prices,
    products,
    sales_channels,
)
from adapters.postgres.shared.errors import raise_for_constraint
from adapters.postgres.shared.rows import AnyRow, TenantRepository, one_updated
from domain.catalog.channel import ChannelKind, Listing, ListingStatus, SalesChannel
from domain.shared.errors import Conflict, StaleVersion
from domain.shared.money import Money

_CHANNELS = select(
    *(c for c in sales_channels.c if c.name not in ("tenant_id", "created_at", "updated_at"))
)
_LISTINGS = select(*(c for c in channel_listings.c if c.name != "tenant_id"))


def _channel(row: AnyRow) -> SalesChannel:
    return SalesChannel(
        row.id,
        row.code,
        row.name,
        ChannelKind(row.kind),
        row.platform,
        row.active,
        row.version,
        shop_group=row.shop_group,
    )


class PostgresChannelRepository(TenantRepository):
    async def get(self, channel_id: UUID) -> SalesChannel | None:
        row = await self._first(
            _CHANNELS.where(
                self._row_of(sales_channels, channel_id),
            )
        )
        return _channel(row) if row else None

    async def by_code(self, code: str) -> SalesChannel | None:
        row = await self._first(
            _CHANNELS.where(
                sales_channels.c.tenant_id == self._tenant_id, sales_channels.c.code == code
            )
        )
        return _channel(row) if row else None

    async def add(self, channel: SalesChannel, at: datetime) -> None:
        await self._write(
            insert(sales_channels).values(
                tenant_id=self._tenant_id,
                id=channel.id,
                code=channel.code,
                name=channel.name,
                kind=str(channel.kind),
                platform=channel.platform,
                shop_group=channel.shop_group,
                active=channel.active,
                version=channel.version,
                created_at=at,
                updated_at=at,
            ),
            channel,
        )

    async def save(self, channel: SalesChannel, expected_version: int, at: datetime) -> None:
        rowcount = await self._write(
            self._at_version(sales_channels, channel.id, expected_version).values(
                name=channel.name,
                active=channel.active,
                shop_group=channel.shop_group,
                version=channel.version,
                updated_at=at,
            ),
            channel,
        )
        one_updated(rowcount, expected_version)

    async def _write(self, statement: Executable, channel: SalesChannel) -> int:
        try:
            result = await self._conn.execute(statement)
        except IntegrityError as error:
            raise_for_constraint(
                error,
                {
                    "sales_channels_code_key": lambda: Conflict(
                        "channel_code_taken", channel_code=channel.code
                    )
                },
            )
        return result.rowcount

    async def shop_groups(self) -> dict[UUID, str]:
        c = sales_channels.c
        rows = await self._conn.execute(
            select(c.id, c.shop_group).where(
                c.tenant_id == self._tenant_id, c.shop_group.is_not(None)
            )
        )
        return {row.id: row.shop_group for row in rows}

    async def page(self, after: UUID | None, limit: int) -> list[SalesChannel]:
        query = _CHANNELS.where(sales_channels.c.tenant_id == self._tenant_id)
        if after is not None:
            query = query.where(sales_channels.c.id > after)
        rows = await self._conn.execute(query.order_by(sales_channels.c.id).limit(limit))
        return [_channel(r) for r in rows]


class PostgresListingRepository(TenantRepository):
    async def hold(self, product_id: UUID, channel_id: UUID) -> None:
        await self._conn.execute(
            select(1)
            .select_from(products)
            .where(self._row_of(products, product_id))
            .with_for_update(read=True)
        )
        await self._conn.execute(
            select(1)
            .select_from(sales_channels)
            .where(self._row_of(sales_channels, channel_id))
            .with_for_update(read=True)
        )

    async def get(self, product_id: UUID, channel_id: UUID) -> Listing | None:
        found = await self._load(
            channel_listings.c.product_id == product_id,
            channel_listings.c.channel_id == channel_id,
        )
        return found[0] if found else None

    async def of_product(self, product_id: UUID) -> list[Listing]:
        return await self._load(channel_listings.c.product_id == product_id)

    async def published_on(self, channel_id: UUID) -> list[Listing]:
        return await self._load(
            channel_listings.c.channel_id == channel_id,
            channel_listings.c.status == str(ListingStatus.PUBLISHED),
        )

    async def _load(self, *where: ColumnElement[bool]) -> list[Listing]:
        rows = (
            await self._conn.execute(
                _LISTINGS.where(channel_listings.c.tenant_id == self._tenant_id, *where).order_by(
                    channel_listings.c.product_id, channel_listings.c.channel_id
                )
            )
        ).all()
        if not rows:
            return []
        currency = await tenant_currency(self._conn, self._tenant_id)
        prices: dict[tuple[UUID, UUID], dict[UUID, Money]] = {
            (r.product_id, r.channel_id): {} for r in rows
        }
        for p in await self._conn.execute(
            select(
                channel_prices.c.product_id,
                channel_prices.c.channel_id,
                channel_prices.c.sku_id,
                channel_prices.c.amount,
            ).where(
                channel_prices.c.tenant_id == self._tenant_id,
                any_of(channel_prices.c.product_id, sorted({r.product_id for r in rows}, key=str)),
                any_of(channel_prices.c.channel_id, sorted({r.channel_id for r in rows}, key=str)),
            )
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
            "status": str(listing.status),
            "published_at": listing.published_at,
            "unpublished_at": listing.unpublished_at,
            "version": listing.version,
        }

    async def add(self, listing: Listing) -> None:
        result = await self._conn.execute(
            upsert(channel_listings)
            .values(
                tenant_id=self._tenant_id,
                product_id=listing.product_id,
                channel_id=listing.channel_id,
                **self._values(listing),
            )
            .on_conflict_do_nothing(
                index_elements=[
                    channel_listings.c.tenant_id,
                    channel_listings.c.product_id,
                    channel_listings.c.channel_id,
                ]
            )
        )
        if result.rowcount != 1:  # a racing writer created it first
            raise StaleVersion(expected=0)
        await self._write_prices(listing)

    async def save(self, listing: Listing, expected_version: int) -> None:
        result = await self._conn.execute(
            update(channel_listings)
            .where(
                channel_listings.c.tenant_id == self._tenant_id,
                channel_listings.c.product_id == listing.product_id,
                channel_listings.c.channel_id == listing.channel_id,
                channel_listings.c.version == expected_version,
            )
            .values(**self._values(listing))
        )
        one_updated(result.rowcount, expected_version)
        await self._conn.execute(
            delete(channel_prices).where(
                channel_prices.c.tenant_id == self._tenant_id,
                channel_prices.c.product_id == listing.product_id,
                channel_prices.c.channel_id == listing.channel_id,
            )
        )
        await self._write_prices(listing)

    async def _write_prices(self, listing: Listing) -> None:
        if not listing.prices:
            return
        await self._conn.execute(
            insert(channel_prices),
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
