"""Publishing products on sales channels (上架/下架, CAT-7, CHN-1) and their channel prices.

``publish`` reports every blocker at once (``channel.publish_blockers``); publishing a
``new`` product also launches it (new → active) with its new version, in the same
transaction. Publishing what is published, or unpublishing what is not, is no change: no
write, no audit, no event. Channel prices (per SKU, replacing the list price on the
channel, CAT-10) are set with ``publish`` or ``set_prices``; a published listing never
loses the price of an active SKU (the same blockers refuse it). Events
``product.published`` / ``product.unpublished`` (data ``{channelId}``) go through the
outbox; a change of channel prices is ``product.updated`` with ``channelPrices``.
Pushing to a marketplace is a connector's job (CHN-2), driven by those events.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from uuid import UUID

from application.catalog.common import load_product
from application.catalog.ports.store import CATALOG
from application.catalog.products import save_product
from application.catalog.tenant_terms import tenant_terms
from application.catalog.unpublishing import record_listing, unpublish_listing
from application.shared.access_policy import AccessPolicy
from application.shared.clock import Clock
from application.shared.context import CallContext
from application.shared.runner import CommandRunner
from application.shared.unit_of_work import UnitOfWork
from application.shared.versions import check_version
from domain.catalog.channel import Listing, SalesChannel, publish_blockers
from domain.catalog.permissions import CATALOG_PUBLISH, CATALOG_READ
from domain.catalog.product import ENTITY as PRODUCT_ENTITY
from domain.shared.audit import AuditChange, diff
from domain.shared.errors import Conflict, ValidationFailed
from domain.shared.events import DomainEvent

# Prices as sent: SKU id → amount; SKUs left out have no channel price.
PriceInput = Mapping[UUID, Decimal]


def _prices_text(listing: Listing) -> dict[str, str]:
    return {
        str(k): str(v.amount) for k, v in sorted(listing.prices.items(), key=lambda i: str(i[0]))
    }


async def _channel(uow: UnitOfWork, channel_id: UUID) -> SalesChannel:
    """A channel named in a request body: unknown is a field error, not a 404."""
    channel = await uow.of(CATALOG).channels.get(channel_id)
    if channel is None:
        raise ValidationFailed.single("channelId", "unknown_channel")
    return channel


async def _listing(uow: UnitOfWork, product_id: UUID, channel_id: UUID) -> tuple[Listing, bool]:
    """The stored listing, or a new unpublished one (version 0, not stored yet)."""
    stored = await uow.of(CATALOG).listings.get(product_id, channel_id)
    if stored is not None:
        return stored, True
    return Listing(product_id, channel_id, version=0), False


class ListingService:
    """``publish``, ``unpublish``, ``set_prices`` and ``listings_of``."""

    def __init__(self, runner: CommandRunner, access: AccessPolicy, clock: Clock) -> None:
        self._runner = runner
        self._access = access
        self._clock = clock

    async def listings_of(self, ctx: CallContext, product_id: UUID) -> list[Listing]:
        async def read(uow: UnitOfWork) -> list[Listing]:
            self._access.require(ctx, CATALOG_READ)
            await load_product(uow, product_id)
            return await uow.of(CATALOG).listings.of_product(product_id)

        return await self._runner.query(ctx, read)

    async def publish(
        self,
        ctx: CallContext,
        product_id: UUID,
        channel_id: UUID,
        prices: PriceInput | None = None,
    ) -> Listing:
        """上架, with the channel prices replaced first when ``prices`` is given."""

        async def command(uow: UnitOfWork) -> Listing:
            self._access.require(ctx, CATALOG_PUBLISH)
            await uow.of(CATALOG).listings.hold(product_id, channel_id)
            product = await load_product(uow, product_id)
            channel = await _channel(uow, channel_id)
            listing, stored = await _listing(uow, product_id, channel_id)
            read_version, now = listing.version, self._clock.now()
            before = _prices_text(listing)
            priced = False
            if prices is not None:
                currency = (await tenant_terms(uow)).currency
                priced = listing.set_prices(product, prices, currency)
            published = listing.publish(product, channel, now)
            if not (priced or published):
                return listing
            listing.version = read_version + 1  # one version per command
            product_version = product.version
            if product.launch(now):
                product.version = product_version + 1
                await save_product(ctx, uow, product, product_version, "product.launch")
            await self._store(uow, listing, stored, read_version)
            changes = diff({"prices": before}, {"prices": _prices_text(listing)})
            if published:
                changes += (AuditChange("status", "unpublished", "published"),)
            if priced:
                listing.events.append(_prices_event(listing))
            await record_listing(uow, listing, "listing.publish", changes)
            return listing

        return await self._runner.run(
            ctx, "listing.publish", PRODUCT_ENTITY, command, entity_id=product_id
        )

    async def unpublish(self, ctx: CallContext, product_id: UUID, channel_id: UUID) -> Listing:
        """下架: always allowed; an unknown or unpublished listing is no change."""

        async def command(uow: UnitOfWork) -> Listing:
            self._access.require(ctx, CATALOG_PUBLISH)
            await load_product(uow, product_id)
            await _channel(uow, channel_id)
            listing, stored = await _listing(uow, product_id, channel_id)
            if stored:
                await unpublish_listing(uow, listing, self._clock.now())
            return listing

        return await self._runner.run(
            ctx, "listing.unpublish", PRODUCT_ENTITY, command, entity_id=product_id
        )

    async def set_prices(
        self,
        ctx: CallContext,
        product_id: UUID,
        channel_id: UUID,
        prices: PriceInput,
        expected_version: int | None,
    ) -> Listing:
        """Replace the listing's channel prices as a whole. A stored listing needs its
        version (If-Match); the first prices of a product on a channel create it."""

        async def command(uow: UnitOfWork) -> Listing:
            self._access.require(ctx, CATALOG_PUBLISH)
            await uow.of(CATALOG).listings.hold(product_id, channel_id)
            product = await load_product(uow, product_id)
            if product.archived:
                raise Conflict("product_archived", product_code=product.code)
            channel = await _channel(uow, channel_id)
            listing, stored = await _listing(uow, product_id, channel_id)
            if stored:
                check_version(expected_version, listing.version)
            read_version, before = listing.version, _prices_text(listing)
            currency = (await tenant_terms(uow)).currency
            if not listing.set_prices(product, prices, currency):
                return listing
            if listing.published:
                blockers = publish_blockers(product, channel, listing.prices)
                if blockers:
                    raise ValidationFailed(blockers)
            listing.version = read_version + 1
            await self._store(uow, listing, stored, read_version)
            listing.events.append(_prices_event(listing))
            changes = diff({"prices": before}, {"prices": _prices_text(listing)})
            await record_listing(uow, listing, "listing.prices", changes)
            return listing

        return await self._runner.run(
            ctx, "listing.prices", PRODUCT_ENTITY, command, entity_id=product_id
        )

    async def _store(
        self, uow: UnitOfWork, listing: Listing, stored: bool, read_version: int
    ) -> None:
        if stored:
            await uow.of(CATALOG).listings.save(listing, read_version)
        else:
            await uow.of(CATALOG).listings.add(listing)


def _prices_event(listing: Listing) -> DomainEvent:
    return DomainEvent(
        "product.updated",
        PRODUCT_ENTITY,
        listing.product_id,
        ("channelPrices",),
        data={"channelId": str(listing.channel_id)},
    )
