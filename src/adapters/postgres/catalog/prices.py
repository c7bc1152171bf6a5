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

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import (
    DateTime,
    Text,
    Uuid,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import insert as upsert
from sqlalchemy.exc import IntegrityError

from adapters.postgres.catalog.sql import any_of, tenant_currency, tenant_currency_of
from adapters.postgres.catalog.tables import (
    channel_prices,
    member_prices,
    membership_tier_sets,
    membership_tiers,
    promotions,
    skus,
)
from adapters.postgres.shared.driver import DriverStatement
from adapters.postgres.shared.errors import raise_for_constraint
from adapters.postgres.shared.rows import AnyRow, TenantRepository, one_updated
from application.catalog.ports.channels import StoredMemberPrice, StoredPromotion, TierSettings
from domain.catalog.membership import MembershipTier
from domain.catalog.pricing import ChannelPrice, MemberPrice, Promotion, SkuPrices
from domain.shared.errors import Conflict
from domain.shared.money import Money

_PROMOTIONS = select(
    *(c for c in promotions.c if c.name not in ("tenant_id", "created_at", "updated_at"))
)
_MEMBER_PRICES = select(
    member_prices.c.id,
    member_prices.c.sku_id,
    member_prices.c.tier,
    member_prices.c.amount,
    member_prices.c.version,
)


# What prices one SKU (CAT-10), read once per order line: one statement, built once — the
# SKU's list price, the tenant's currency, its price on the channel and for the tier (none
# when either is NULL), and the promotions active at the instant as parallel arrays (the
# aggregate's one row, so a SKU without promotions still answers).
_TENANT, _SKU = bindparam("tenant", type_=Uuid), bindparam("sku", type_=Uuid)
_CHANNEL, _TIER = bindparam("channel", type_=Uuid), bindparam("tier", type_=Text)
_AT = bindparam("at", type_=DateTime(timezone=True))
_p, _cp, _mp = promotions.c, channel_prices.c, member_prices.c
_ACTIVE = (
    select(
        func.array_agg(_p.id).label("ids"),
        func.array_agg(_p.amount).label("amounts"),
        func.array_agg(_p.starts_at).label("starts"),
        func.array_agg(_p.ends_at).label("ends"),
        func.array_agg(_p.channel_id).label("channels"),
    )
    .where(
        _p.tenant_id == skus.c.tenant_id,
        _p.sku_id == skus.c.id,
        _p.starts_at <= _AT,
        or_(_p.ends_at.is_(None), _p.ends_at > _AT),
        or_(_p.channel_id.is_(None), _p.channel_id == _CHANNEL),
    )
    .lateral("active")
)
_SKU_PRICES = (
    select(
        skus.c.list_price,
        tenant_currency_of(_TENANT).label("currency"),
        _cp.amount.label("channel_amount"),
        _mp.id.label("member_id"),
        _mp.tier.label("member_tier"),
        _mp.amount.label("member_amount"),
        _ACTIVE.c.ids.label("promotion_ids"),
        _ACTIVE.c.amounts.label("promotion_amounts"),
        _ACTIVE.c.starts.label("promotion_starts"),
        _ACTIVE.c.ends.label("promotion_ends"),
        _ACTIVE.c.channels.label("promotion_channels"),
    )
    .select_from(
        skus.outerjoin(
            channel_prices,
            and_(
                _cp.tenant_id == skus.c.tenant_id,
                _cp.channel_id == _CHANNEL,
                _cp.sku_id == skus.c.id,
            ),
        )
        .outerjoin(
            member_prices,
            and_(_mp.tenant_id == skus.c.tenant_id, _mp.sku_id == skus.c.id, _mp.tier == _TIER),
        )
        .join(_ACTIVE, true())
    )
    .where(skus.c.tenant_id == _TENANT, skus.c.id == _SKU)
)
# Every placement's (and every price quote's): on the driver (decision 82).
_SKU_PRICES_ON_DRIVER = DriverStatement(_SKU_PRICES)


def _promotion(row: AnyRow, currency: str) -> StoredPromotion:
    promotion = Promotion(
        row.id, Money(row.amount, currency), row.starts_at, row.ends_at, row.channel_id
    )
    return StoredPromotion(row.sku_id, promotion, row.version)


def _member_price(row: AnyRow, currency: str) -> StoredMemberPrice:
    price = MemberPrice(row.id, row.tier, Money(row.amount, currency))
    return StoredMemberPrice(row.sku_id, price, row.version)


class PostgresPriceRepository(TenantRepository):
    # ---- membership tiers ------------------------------------------------------------

    async def tier_settings(self) -> TierSettings:
        version = await self._conn.scalar(
            select(membership_tier_sets.c.version).where(
                membership_tier_sets.c.tenant_id == self._tenant_id
            )
        )
        rows = await self._conn.execute(
            select(membership_tiers.c.code, membership_tiers.c.name)
            .where(membership_tiers.c.tenant_id == self._tenant_id)
            .order_by(membership_tiers.c.position)
        )
        return TierSettings(tuple(MembershipTier(r.code, r.name) for r in rows), version or 0)

    async def save_tiers(self, tiers: tuple[MembershipTier, ...], expected_version: int) -> int:
        if expected_version == 0:
            result = await self._conn.execute(
                upsert(membership_tier_sets)
                .values(tenant_id=self._tenant_id, version=1)
                .on_conflict_do_nothing(index_elements=[membership_tier_sets.c.tenant_id])
            )
        else:
            result = await self._conn.execute(
                update(membership_tier_sets)
                .where(
                    membership_tier_sets.c.tenant_id == self._tenant_id,
                    membership_tier_sets.c.version == expected_version,
                )
                .values(version=membership_tier_sets.c.version + 1)
            )
        one_updated(result.rowcount, expected_version)
        try:
            await self._conn.execute(
                delete(membership_tiers).where(
                    membership_tiers.c.tenant_id == self._tenant_id,
                    ~any_of(membership_tiers.c.code, [t.code for t in tiers]),
                )
            )
        except IntegrityError as error:
            raise_for_constraint(
                error, {"member_prices_tier_fkey": lambda: Conflict("membership_tier_in_use")}
            )
        for position, tier in enumerate(tiers):
            statement = upsert(membership_tiers).values(
                tenant_id=self._tenant_id, code=tier.code, name=tier.name, position=position
            )
            await self._conn.execute(
                statement.on_conflict_do_update(
                    index_elements=[membership_tiers.c.tenant_id, membership_tiers.c.code],
                    set_={"name": statement.excluded.name, "position": statement.excluded.position},
                )
            )
        return expected_version + 1

    # ---- member prices ---------------------------------------------------------------

    async def member_price(self, price_id: UUID) -> StoredMemberPrice | None:
        row = await self._first(_MEMBER_PRICES.where(self._row_of(member_prices, price_id)))
        if row is None:
            return None
        return _member_price(row, await tenant_currency(self._conn, self._tenant_id))

    async def member_prices_of(self, sku_id: UUID) -> list[StoredMemberPrice]:
        rows = (
            await self._conn.execute(
                _MEMBER_PRICES.join_from(
                    member_prices,
                    membership_tiers,
                    (membership_tiers.c.tenant_id == member_prices.c.tenant_id)
                    & (membership_tiers.c.code == member_prices.c.tier),
                )
                .where(
                    member_prices.c.tenant_id == self._tenant_id,
                    member_prices.c.sku_id == sku_id,
                )
                .order_by(membership_tiers.c.position)
            )
        ).all()
        if not rows:
            return []
        currency = await tenant_currency(self._conn, self._tenant_id)
        return [_member_price(r, currency) for r in rows]

    async def add_member_price(self, price: StoredMemberPrice, at: datetime) -> None:
        try:
            await self._conn.execute(
                insert(member_prices).values(
                    tenant_id=self._tenant_id,
                    id=price.id,
                    sku_id=price.sku_id,
                    tier=price.price.tier,
                    amount=price.price.amount.amount,
                    version=price.version,
                    created_at=at,
                    updated_at=at,
                )
            )
        except IntegrityError as error:
            raise_for_constraint(
                error,
                {
                    "member_prices_sku_tier_key": lambda: Conflict(
                        "member_price_taken", tier=price.price.tier
                    )
                },
            )

    async def save_member_price(
        self, price: StoredMemberPrice, expected_version: int, at: datetime
    ) -> None:
        result = await self._conn.execute(
            self._at_version(member_prices, price.id, expected_version).values(
                amount=price.price.amount.amount, version=price.version, updated_at=at
            )
        )
        one_updated(result.rowcount, expected_version)

    async def delete_member_price(self, price_id: UUID, expected_version: int) -> None:
        result = await self._conn.execute(
            delete(member_prices).where(
                self._row_of(member_prices, price_id),
                member_prices.c.version == expected_version,
            )
        )
        one_updated(result.rowcount, expected_version)

    # ---- promotions ------------------------------------------------------------------

    async def promotion(self, promotion_id: UUID) -> StoredPromotion | None:
        row = await self._first(_PROMOTIONS.where(self._row_of(promotions, promotion_id)))
        if row is None:
            return None
        return _promotion(row, await tenant_currency(self._conn, self._tenant_id))

    async def promotions_of(
        self, sku_id: UUID, after: UUID | None, limit: int
    ) -> list[StoredPromotion]:
        query = _PROMOTIONS.where(
            promotions.c.tenant_id == self._tenant_id, promotions.c.sku_id == sku_id
        )
        if after is not None:
            query = query.where(promotions.c.id > after)
        rows = (await self._conn.execute(query.order_by(promotions.c.id).limit(limit))).all()
        if not rows:
            return []
        currency = await tenant_currency(self._conn, self._tenant_id)
        return [_promotion(r, currency) for r in rows]

    def _promotion_values(self, stored: StoredPromotion, at: datetime) -> dict[str, Any]:
        p = stored.promotion
        return {
            "channel_id": p.channel_id,
            "amount": p.amount.amount,
            "starts_at": p.starts_at,
            "ends_at": p.ends_at,
            "version": stored.version,
            "updated_at": at,
        }

    async def add_promotion(self, promotion: StoredPromotion, at: datetime) -> None:
        await self._conn.execute(
            insert(promotions).values(
                tenant_id=self._tenant_id,
                id=promotion.promotion.id,
                sku_id=promotion.sku_id,
                created_at=at,
                **self._promotion_values(promotion, at),
            )
        )

    async def save_promotion(
        self, promotion: StoredPromotion, expected_version: int, at: datetime
    ) -> None:
        result = await self._conn.execute(
            update(promotions)
            .where(
                self._row_of(promotions, promotion.promotion.id),
                promotions.c.sku_id == promotion.sku_id,
                promotions.c.version == expected_version,
            )
            .values(**self._promotion_values(promotion, at))
        )
        one_updated(result.rowcount, expected_version)

    async def delete_promotion(self, promotion_id: UUID, expected_version: int) -> None:
        result = await self._conn.execute(
            delete(promotions).where(
                self._row_of(promotions, promotion_id),
                promotions.c.version == expected_version,
            )
        )
        one_updated(result.rowcount, expected_version)

    # ---- the price query -------------------------------------------------------------

    async def product_of_sku(self, sku_id: UUID) -> UUID | None:
        value = await self._conn.scalar(select(skus.c.product_id).where(self._row_of(skus, sku_id)))
        return value if isinstance(value, UUID) else None

    async def sku_codes(self, sku_ids: Sequence[UUID]) -> dict[UUID, str]:
        rows = await self._conn.execute(
            select(skus.c.id, skus.c.code).where(
                skus.c.tenant_id == self._tenant_id, any_of(skus.c.id, list(sku_ids))
            )
        )
        return {row.id: row.code for row in rows}

    async def list_prices(self, sku_ids: Sequence[UUID]) -> dict[UUID, Decimal]:
        rows = await self._conn.execute(
            select(skus.c.id, skus.c.list_price).where(
                skus.c.tenant_id == self._tenant_id,
                any_of(skus.c.id, list(sku_ids)),
                skus.c.list_price.is_not(None),
            )
        )
        return {row.id: row.list_price for row in rows}

    async def sku_prices(
        self, sku_id: UUID, channel_id: UUID | None, tier: str | None, at: datetime
    ) -> SkuPrices | None:
        row = await _SKU_PRICES_ON_DRIVER.fetchrow(
            self._conn,
            {
                "tenant": self._tenant_id,
                "sku": sku_id,
                "channel": channel_id,
                "tier": tier,
                "at": at,
            },
        )
        if row is None:
            return None
        currency = str(row["currency"]).strip()
        channel_prices_found: tuple[ChannelPrice, ...] = ()
        if channel_id is not None and row["channel_amount"] is not None:
            channel_prices_found = (
                ChannelPrice(channel_id, Money(row["channel_amount"], currency)),
            )
        member_prices_found: tuple[MemberPrice, ...] = ()
        if row["member_id"] is not None:
            member_prices_found = (
                MemberPrice(
                    row["member_id"], row["member_tier"], Money(row["member_amount"], currency)
                ),
            )
        active = zip(
            row["promotion_ids"] or (),
            row["promotion_amounts"] or (),
            row["promotion_starts"] or (),
            row["promotion_ends"] or (),
            row["promotion_channels"] or (),
            strict=True,
        )
        return SkuPrices(
            sku_id,
            Money(row["list_price"], currency) if row["list_price"] is not None else None,
            channel_prices_found,
            member_prices_found,
            tuple(
                Promotion(pid, Money(amount, currency), starts, ends, channel)
                for pid, amount, starts, ends, channel in active
            ),
        )
