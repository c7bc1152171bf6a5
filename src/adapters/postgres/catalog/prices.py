"""Membership tiers, member prices and promotions in Postgres, and the rows that price one
SKU (CAT-10).

One member price per SKU and tier (``member_prices_sku_tier_key``); a tier that a member
price still names cannot be removed (``member_prices_tier_fkey``). The price query reads
only what can apply: the SKU's list price, its channel price on the channel, its member
price for the tier and the promotions active at the instant (``starts_at <= at`` and
``ends_at`` unset or after it) — every lookup an equality on an indexed key (timestamptz
comparisons are leakproof, so they stay usable under row-level security).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.postgres.catalog.brands import violated_constraint
from adapters.postgres.catalog.channels import tenant_currency
from application.catalog.ports.channels import StoredMemberPrice, StoredPromotion, TierSettings
from domain.catalog.membership import MembershipTier
from domain.catalog.pricing import ChannelPrice, MemberPrice, Promotion, SkuPrices
from domain.shared.errors import Conflict, StaleVersion
from domain.shared.money import Money

_PROMOTION_COLUMNS = "id, sku_id, channel_id, amount, starts_at, ends_at, version"


def _promotion(row: Row[Any], currency: str) -> StoredPromotion:
    promotion = Promotion(
        row.id, Money(row.amount, currency), row.starts_at, row.ends_at, row.channel_id
    )
    return StoredPromotion(row.sku_id, promotion, row.version)


def _member_price(row: Row[Any], currency: str) -> StoredMemberPrice:
    price = MemberPrice(row.id, row.tier, Money(row.amount, currency))
    return StoredMemberPrice(row.sku_id, price, row.version)


class PostgresPriceRepository:
    def __init__(self, conn: AsyncConnection, tenant_id: UUID) -> None:
        self._conn = conn
        self._tenant_id = tenant_id

    async def _execute(self, sql: str, params: dict[str, Any]) -> Any:
        return await self._conn.execute(text(sql), {"tenant_id": self._tenant_id, **params})

    # ---- membership tiers ------------------------------------------------------------

    async def tier_settings(self) -> TierSettings:
        version = await self._conn.scalar(
            text("SELECT version FROM membership_tier_sets WHERE tenant_id = :tenant_id"),
            {"tenant_id": self._tenant_id},
        )
        rows = await self._execute(
            "SELECT code, name FROM membership_tiers WHERE tenant_id = :tenant_id"
            " ORDER BY position",
            {},
        )
        return TierSettings(tuple(MembershipTier(r.code, r.name) for r in rows), version or 0)

    async def save_tiers(self, tiers: tuple[MembershipTier, ...], expected_version: int) -> int:
        if expected_version == 0:
            result = await self._execute(
                "INSERT INTO membership_tier_sets (tenant_id, version) VALUES (:tenant_id, 1)"
                " ON CONFLICT (tenant_id) DO NOTHING",
                {},
            )
        else:
            result = await self._execute(
                "UPDATE membership_tier_sets SET version = version + 1"
                " WHERE tenant_id = :tenant_id AND version = :expected",
                {"expected": expected_version},
            )
        if result.rowcount != 1:
            raise StaleVersion(expected=expected_version)
        codes = [t.code for t in tiers]
        try:
            await self._execute(
                "DELETE FROM membership_tiers WHERE tenant_id = :tenant_id"
                " AND NOT (code = ANY(CAST(:codes AS text[])))",
                {"codes": codes},
            )
        except IntegrityError as error:
            if violated_constraint(error) == "member_prices_tier_fkey":
                raise Conflict("membership_tier_in_use") from None
            raise
        for position, tier in enumerate(tiers):
            await self._execute(
                "INSERT INTO membership_tiers (tenant_id, code, name, position)"
                " VALUES (:tenant_id, :code, :name, :position)"
                " ON CONFLICT (tenant_id, code) DO UPDATE"
                " SET name = EXCLUDED.name, position = EXCLUDED.position",
                {"code": tier.code, "name": tier.name, "position": position},
            )
        return expected_version + 1

    # ---- member prices ---------------------------------------------------------------

    async def member_price(self, price_id: UUID) -> StoredMemberPrice | None:
        row = (
            await self._execute(
                "SELECT id, sku_id, tier, amount, version FROM member_prices"
                " WHERE tenant_id = :tenant_id AND id = :id",
                {"id": price_id},
            )
        ).first()
        if row is None:
            return None
        return _member_price(row, await tenant_currency(self._conn, self._tenant_id))

    async def member_prices_of(self, sku_id: UUID) -> list[StoredMemberPrice]:
        rows = (
            await self._execute(
                "SELECT m.id, m.sku_id, m.tier, m.amount, m.version FROM member_prices m"
                " JOIN membership_tiers t ON t.tenant_id = m.tenant_id AND t.code = m.tier"
                " WHERE m.tenant_id = :tenant_id AND m.sku_id = :sku_id ORDER BY t.position",
                {"sku_id": sku_id},
            )
        ).all()
        if not rows:
            return []
        currency = await tenant_currency(self._conn, self._tenant_id)
        return [_member_price(r, currency) for r in rows]

    async def add_member_price(self, price: StoredMemberPrice, at: datetime) -> None:
        try:
            await self._execute(
                "INSERT INTO member_prices (tenant_id, id, sku_id, tier, amount, version,"
                " created_at, updated_at) VALUES (:tenant_id, :id, :sku_id, :tier, :amount,"
                " :version, :at, :at)",
                {
                    "id": price.id,
                    "sku_id": price.sku_id,
                    "tier": price.price.tier,
                    "amount": price.price.amount.amount,
                    "version": price.version,
                    "at": at,
                },
            )
        except IntegrityError as error:
            if violated_constraint(error) == "member_prices_sku_tier_key":
                raise Conflict("member_price_taken", tier=price.price.tier) from None
            raise

    async def save_member_price(
        self, price: StoredMemberPrice, expected_version: int, at: datetime
    ) -> None:
        result = await self._execute(
            "UPDATE member_prices SET amount = :amount, version = :version, updated_at = :at"
            " WHERE tenant_id = :tenant_id AND id = :id AND version = :expected",
            {
                "id": price.id,
                "amount": price.price.amount.amount,
                "version": price.version,
                "at": at,
                "expected": expected_version,
            },
        )
        if result.rowcount != 1:
            raise StaleVersion(expected=expected_version)

    async def delete_member_price(self, price_id: UUID, expected_version: int) -> None:
        result = await self._execute(
            "DELETE FROM member_prices WHERE tenant_id = :tenant_id AND id = :id"
            " AND version = :expected",
            {"id": price_id, "expected": expected_version},
        )
        if result.rowcount != 1:
            raise StaleVersion(expected=expected_version)

    # ---- promotions ------------------------------------------------------------------

    async def promotion(self, promotion_id: UUID) -> StoredPromotion | None:
        row = (
            await self._execute(
                f"SELECT {_PROMOTION_COLUMNS} FROM promotions"
                " WHERE tenant_id = :tenant_id AND id = :id",
                {"id": promotion_id},
            )
        ).first()
        if row is None:
            return None
        return _promotion(row, await tenant_currency(self._conn, self._tenant_id))

    async def promotions_of(
        self, sku_id: UUID, after: UUID | None, limit: int
    ) -> list[StoredPromotion]:
        rows = (
            await self._execute(
                f"SELECT {_PROMOTION_COLUMNS} FROM promotions"
                " WHERE tenant_id = :tenant_id AND sku_id = :sku_id"
                " AND (CAST(:after AS uuid) IS NULL OR id > CAST(:after AS uuid))"
                " ORDER BY id LIMIT :limit",
                {"sku_id": sku_id, "after": after, "limit": limit},
            )
        ).all()
        if not rows:
            return []
        currency = await tenant_currency(self._conn, self._tenant_id)
        return [_promotion(r, currency) for r in rows]

    def _promotion_values(self, stored: StoredPromotion, at: datetime) -> dict[str, Any]:
        p = stored.promotion
        return {
            "id": p.id,
            "sku_id": stored.sku_id,
            "channel_id": p.channel_id,
            "amount": p.amount.amount,
            "starts_at": p.starts_at,
            "ends_at": p.ends_at,
            "version": stored.version,
            "at": at,
        }

    async def add_promotion(self, promotion: StoredPromotion, at: datetime) -> None:
        await self._execute(
            "INSERT INTO promotions (tenant_id, id, sku_id, channel_id, amount, starts_at,"
            " ends_at, version, created_at, updated_at) VALUES (:tenant_id, :id, :sku_id,"
            " :channel_id, :amount, :starts_at, :ends_at, :version, :at, :at)",
            self._promotion_values(promotion, at),
        )

    async def save_promotion(
        self, promotion: StoredPromotion, expected_version: int, at: datetime
    ) -> None:
        result = await self._execute(
            "UPDATE promotions SET channel_id = :channel_id, amount = :amount,"
            " starts_at = :starts_at, ends_at = :ends_at, version = :version, updated_at = :at"
            " WHERE tenant_id = :tenant_id AND id = :id AND sku_id = :sku_id"
            " AND version = :expected",
            {**self._promotion_values(promotion, at), "expected": expected_version},
        )
        if result.rowcount != 1:
            raise StaleVersion(expected=expected_version)

    async def delete_promotion(self, promotion_id: UUID, expected_version: int) -> None:
        result = await self._execute(
            "DELETE FROM promotions WHERE tenant_id = :tenant_id AND id = :id"
            " AND version = :expected",
            {"id": promotion_id, "expected": expected_version},
        )
        if result.rowcount != 1:
            raise StaleVersion(expected=expected_version)

    # ---- the price query -------------------------------------------------------------

    async def product_of_sku(self, sku_id: UUID) -> UUID | None:
        value = await self._conn.scalar(
            text("SELECT product_id FROM skus WHERE tenant_id = :tenant_id AND id = :id"),
            {"tenant_id": self._tenant_id, "id": sku_id},
        )
        return value if isinstance(value, UUID) else None

    async def sku_prices(
        self, sku_id: UUID, channel_id: UUID | None, tier: str | None, at: datetime
    ) -> SkuPrices | None:
        sku = (
            await self._execute(
                "SELECT id, list_price FROM skus WHERE tenant_id = :tenant_id AND id = :id",
                {"id": sku_id},
            )
        ).first()
        if sku is None:
            return None
        currency = await tenant_currency(self._conn, self._tenant_id)
        channel_prices: tuple[ChannelPrice, ...] = ()
        if channel_id is not None:
            amount = await self._conn.scalar(
                text(
                    "SELECT amount FROM channel_prices WHERE tenant_id = :tenant_id"
                    " AND channel_id = :channel_id AND sku_id = :sku_id"
                ),
                {"tenant_id": self._tenant_id, "channel_id": channel_id, "sku_id": sku_id},
            )
            if amount is not None:
                channel_prices = (ChannelPrice(channel_id, Money(amount, currency)),)
        member_prices: tuple[MemberPrice, ...] = ()
        if tier is not None:
            row = (
                await self._execute(
                    "SELECT id, sku_id, tier, amount, version FROM member_prices"
                    " WHERE tenant_id = :tenant_id AND sku_id = :sku_id AND tier = :tier",
                    {"sku_id": sku_id, "tier": tier},
                )
            ).first()
            if row is not None:
                member_prices = (_member_price(row, currency).price,)
        promotions = await self._execute(
            f"SELECT {_PROMOTION_COLUMNS} FROM promotions"
            " WHERE tenant_id = :tenant_id AND sku_id = :sku_id AND starts_at <= :at"
            " AND (ends_at IS NULL OR ends_at > :at)"
            " AND (channel_id IS NULL OR channel_id = CAST(:channel_id AS uuid))",
            {"sku_id": sku_id, "at": at, "channel_id": channel_id},
        )
        return SkuPrices(
            sku_id,
            Money(sku.list_price, currency) if sku.list_price is not None else None,
            channel_prices,
            member_prices,
            tuple(_promotion(r, currency).promotion for r in promotions),
        )
