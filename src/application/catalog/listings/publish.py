"""Publish a product on a sales channel (上架, CAT-7, CHN-1), with its channel prices
replaced first when they are given.

Every blocker is reported at once (``channel.publish_blockers``); publishing a ``new``
product also launches it (new → active) with its new version, in the same transaction.
Publishing what is published, with the same prices, is no change: no write, no audit, no
event.
"""

from __future__ import annotations

from uuid import UUID

from application.catalog.common import load_product
from application.catalog.listings.common import (
    PriceInput,
    channel_named,
    listing_of,
    prices_diff,
    prices_text,
    record_new_prices,
    store_listing,
)
from application.catalog.ports.store import CATALOG
from application.catalog.products.saving import save_product
from application.catalog.references import channel_of
from application.catalog.unpublishing import record_listing
from application.shared.references import Reference, resolved_or_raise
from application.shared.tenant_terms import tenant_terms
from application.shared.use_case import Command, Work
from domain.catalog.channel import Listing
from domain.catalog.permissions import CATALOG_PUBLISH
from domain.catalog.product import ENTITY as PRODUCT_ENTITY
from domain.shared.audit import AuditChange


class PublishListing(
    Command[Listing], action="listing.publish", entity=PRODUCT_ENTITY, permission=CATALOG_PUBLISH
):
    product_id: UUID
    channel_id: Reference  # an id, or the channel's code (``channel``)
    prices: PriceInput | None = None


class PublishListingHandler:
    async def handle(self, command: PublishListing, work: Work) -> Listing:
        channel_id = await resolved_or_raise(work.uow, channel_of, "channel", command.channel_id)
        uow = work.uow
        await uow.of(CATALOG).listings.hold(command.product_id, channel_id)
        product = await load_product(uow, command.product_id)
        channel = await channel_named(uow, channel_id)
        listing, stored = await listing_of(uow, command.product_id, channel_id)
        read_version, now = listing.version, work.clock.now()
        before = prices_text(listing)
        priced = False
        if command.prices is not None:
            currency = (await tenant_terms(uow)).currency
            priced = listing.set_prices(product, command.prices, currency)
        published = listing.publish(product, channel, now)
        if not (priced or published):
            return listing
        listing.version = read_version + 1  # one version per command
        product_version = product.version
        if product.launch(now):
            product.version = product_version + 1
            await save_product(work, product, product_version, action="product.launch")
        await store_listing(uow, listing, stored, read_version)
        changes = prices_diff(before, listing)
        if published:
            changes += (AuditChange("status", "unpublished", "published"),)
        if priced:
            record_new_prices(listing)
        record_listing(work, listing, command.action, changes)
        return listing
