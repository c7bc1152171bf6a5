"""Promotional prices (CAT-10): a price of one SKU during ``[startsAt, endsAt)``, on one
channel or on all of them (the precedence rule, ``domain.catalog.pricing``).

Times come as instants (with an offset) or as wall-clock times of the tenant's time zone
(no offset: ``pricing.local_window`` reads them, DST gaps and folds included); they are
stored as instants and shown in the tenant's zone. Managing promotions needs
``catalog:publish``. Events ``promotion.created|updated|deleted`` carry the SKU id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from application.catalog.common import id_after, id_page
from application.catalog.member_prices import load_sku
from application.catalog.ports.channels import StoredPromotion
from application.catalog.ports.store import CATALOG
from application.catalog.price_changes import record_price_change
from application.catalog.tenant_terms import tenant_terms
from application.shared.access_policy import AccessPolicy
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.pagination import Page, clamp_limit
from application.shared.runner import CommandRunner
from application.shared.unit_of_work import UnitOfWork
from application.shared.versions import check_version
from domain.catalog.permissions import CATALOG_PUBLISH, CATALOG_READ
from domain.catalog.pricing import Promotion, local_window
from domain.shared.audit import AuditChange, diff
from domain.shared.errors import NotFound, ValidationFailed

ENTITY = "promotion"


@dataclass(frozen=True)
class PromotionData:
    amount: Decimal  # in the tenant currency
    starts_at: datetime  # with an offset, or wall-clock time of the tenant's zone
    ends_at: datetime | None = None  # None: open-ended
    channel_id: UUID | None = None  # None: every channel


@dataclass(frozen=True)
class PromotionView:
    stored: StoredPromotion
    time_zone: str  # the tenant's, to show the window in


def instant(value: datetime, time_zone: str) -> datetime:
    """An aware datetime as is; a wall-clock time read in the tenant's zone."""
    if value.tzinfo is not None:
        return value
    return local_window(value, None, time_zone)[0]


def _state(stored: StoredPromotion | None) -> dict[str, object]:
    if stored is None:
        return {}
    p = stored.promotion
    return {
        "amount": str(p.amount.amount),
        "startsAt": p.starts_at.isoformat(),
        "endsAt": p.ends_at.isoformat() if p.ends_at else None,
        "channelId": str(p.channel_id) if p.channel_id else None,
    }


async def _load(uow: UnitOfWork, promotion_id: UUID) -> StoredPromotion:
    stored = await uow.of(CATALOG).prices.promotion(promotion_id)
    if stored is None:
        raise NotFound(entity=ENTITY)
    return stored


async def _record(
    uow: UnitOfWork, verb: str, stored: StoredPromotion, changes: tuple[AuditChange, ...]
) -> None:
    await record_price_change(
        uow, ENTITY, verb, stored.id, stored.sku_id, stored.version, changes, {}
    )


class PromotionService:
    """``create``, ``change``, ``delete`` and ``get``, ``of_sku``."""

    def __init__(
        self, runner: CommandRunner, access: AccessPolicy, clock: Clock, ids: IdGenerator
    ) -> None:
        self._runner = runner
        self._access = access
        self._clock = clock
        self._ids = ids

    async def _promotion(
        self, ctx: CallContext, uow: UnitOfWork, promotion_id: UUID, data: PromotionData
    ) -> tuple[Promotion, str]:
        terms = await tenant_terms(uow)
        if (
            data.channel_id is not None
            and await uow.of(CATALOG).channels.get(data.channel_id) is None
        ):
            raise ValidationFailed.single("channelId", "unknown_channel")
        promotion = Promotion.create(
            promotion_id,
            data.amount,
            terms.currency,
            instant(data.starts_at, terms.time_zone),
            instant(data.ends_at, terms.time_zone) if data.ends_at is not None else None,
            data.channel_id,
        )
        return promotion, terms.time_zone

    async def create(self, ctx: CallContext, sku_id: UUID, data: PromotionData) -> PromotionView:
        async def command(uow: UnitOfWork) -> PromotionView:
            self._access.require(ctx, CATALOG_PUBLISH)
            await load_sku(uow, sku_id)
            promotion, zone = await self._promotion(ctx, uow, self._ids.new_id(), data)
            stored = StoredPromotion(sku_id, promotion)
            await uow.of(CATALOG).prices.add_promotion(stored, self._clock.now())
            await _record(uow, "create", stored, diff({}, _state(stored)))
            return PromotionView(stored, zone)

        return await self._runner.run(ctx, "promotion.create", ENTITY, command)

    async def change(
        self,
        ctx: CallContext,
        promotion_id: UUID,
        data: PromotionData,
        expected_version: int | None,
    ) -> PromotionView:
        """Amount, window and channel as a whole; the SKU stays."""

        async def command(uow: UnitOfWork) -> PromotionView:
            self._access.require(ctx, CATALOG_PUBLISH)
            stored = await _load(uow, promotion_id)
            check_version(expected_version, stored.version)
            promotion, zone = await self._promotion(ctx, uow, stored.id, data)
            changed = StoredPromotion(stored.sku_id, promotion, stored.version + 1)
            changes = diff(_state(stored), _state(changed))
            if not changes:
                return PromotionView(stored, zone)
            await uow.of(CATALOG).prices.save_promotion(changed, stored.version, self._clock.now())
            await _record(uow, "update", changed, changes)
            return PromotionView(changed, zone)

        return await self._runner.run(
            ctx, "promotion.update", ENTITY, command, entity_id=promotion_id
        )

    async def delete(
        self, ctx: CallContext, promotion_id: UUID, expected_version: int | None
    ) -> None:
        async def command(uow: UnitOfWork) -> None:
            self._access.require(ctx, CATALOG_PUBLISH)
            stored = await _load(uow, promotion_id)
            check_version(expected_version, stored.version)
            await uow.of(CATALOG).prices.delete_promotion(stored.id, stored.version)
            await _record(uow, "delete", stored, diff(_state(stored), {}))

        await self._runner.run(ctx, "promotion.delete", ENTITY, command, entity_id=promotion_id)

    async def get(self, ctx: CallContext, promotion_id: UUID) -> PromotionView:
        async def read(uow: UnitOfWork) -> PromotionView:
            self._access.require(ctx, CATALOG_READ)
            stored = await _load(uow, promotion_id)
            return PromotionView(stored, (await tenant_terms(uow)).time_zone)

        return await self._runner.query(ctx, read)

    async def of_sku(
        self, ctx: CallContext, sku_id: UUID, cursor: str | None, limit: int | None
    ) -> Page[PromotionView]:
        size, after = clamp_limit(limit), id_after(cursor)

        async def read(uow: UnitOfWork) -> Page[PromotionView]:
            self._access.require(ctx, CATALOG_READ)
            await load_sku(uow, sku_id)
            zone = (await tenant_terms(uow)).time_zone

            async def fetch(position: UUID | None, count: int) -> list[StoredPromotion]:
                return await uow.of(CATALOG).prices.promotions_of(sku_id, position, count)

            page = await id_page(fetch, after, size)
            return Page([PromotionView(s, zone) for s in page.items], page.next_cursor)

        return await self._runner.query(ctx, read)
