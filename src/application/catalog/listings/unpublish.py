"""Unpublish a product from a sales channel (下架, CAT-7): always allowed; an unknown or
unpublished listing is no change."""

from __future__ import annotations

from uuid import UUID

from application.catalog.common import load_product
from application.catalog.listings.common import channel_named, listing_of
from application.catalog.references import channel_of
from application.catalog.unpublishing import unpublish_listing
from application.shared.references import Reference, resolved_or_raise
from application.shared.use_case import Command, Work
from domain.catalog.channel import Listing
from domain.catalog.permissions import CATALOG_PUBLISH
from domain.catalog.product import ENTITY as PRODUCT_ENTITY


class UnpublishListing(
    Command[Listing], action="listing.unpublish", entity=PRODUCT_ENTITY, permission=CATALOG_PUBLISH
):
    product_id: UUID
    channel_id: Reference  # an id, or the channel's code (``channel``)


class UnpublishListingHandler:
    async def handle(self, command: UnpublishListing, work: Work) -> Listing:
        channel_id = await resolved_or_raise(work.uow, channel_of, "channel", command.channel_id)
        await load_product(work.uow, command.product_id)
        await channel_named(work.uow, channel_id)
        listing, stored = await listing_of(work.uow, command.product_id, channel_id)
        if stored:
            await unpublish_listing(work, listing, work.clock.now())
        return listing
