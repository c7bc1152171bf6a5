"""Replace a listing's channel prices as a whole (CAT-10). A stored listing needs its
version (If-Match); the first prices of a product on a channel create it. A published
listing never loses the price of an active SKU (the publication's blockers refuse it)."""

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
from application.catalog.references import channel_of
from application.catalog.unpublishing import record_listing
from application.shared.references import Reference, resolved_or_raise
from application.shared.tenant_terms import tenant_terms
from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from domain.catalog.channel import Listing, publish_blockers
from domain.catalog.permissions import CATALOG_PUBLISH
from domain.catalog.product import ENTITY as PRODUCT_ENTITY
from domain.shared.errors import Conflict, ValidationFailed


class SetListingPrices(
    Command[Listing], action="listing.prices", entity=PRODUCT_ENTITY, permission=CATALOG_PUBLISH
):
    product_id: UUID
    channel_id: Reference  # an id, or the channel's code (``channel``)
    prices: PriceInput
    expected_version: int | None


class SetListingPricesHandler:
    async def handle(self, command: SetListingPrices, work: Work) -> Listing:
        channel_id = await resolved_or_raise(work.uow, channel_of, "channel", command.channel_id)
        uow = work.uow
        await uow.of(CATALOG).listings.hold(command.product_id, channel_id)
        product = await load_product(uow, command.product_id)
        if product.archived:
            raise Conflict("product_archived", product_code=product.code)
        channel = await channel_named(uow, channel_id)
        listing, stored = await listing_of(uow, command.product_id, channel_id)
        if stored:
            check_version(command.expected_version, listing.version)
        read_version, before = listing.version, prices_text(listing)
        currency = (await tenant_terms(uow)).currency
        if not listing.set_prices(product, command.prices, currency):
            return listing
        if listing.published:
            blockers = publish_blockers(product, channel, listing.prices)
            if blockers:
                raise ValidationFailed(blockers)
        listing.version = read_version + 1
        await store_listing(uow, listing, stored, read_version)
        record_new_prices(listing)
        record_listing(work, listing, command.action, prices_diff(before, listing))
        return listing
