"""A product's published listings keep a price for every active SKU (CAT-7, CAT-10).

Publishing and channel prices refuse an active SKU without a price on the channel
(``channel.publish_blockers``); a revision or a restore of the product must not bring that
state in through the back door — removing a SKU's list price, or adding a SKU without one,
while the product is published on a channel that has no channel price for it.

Called after the product row is written: that UPDATE holds the row, so a publication or
a change of channel prices racing the revision (they share-lock the row first,
``ListingRepository.hold``) has either committed — and its listing is read here — or
waits for this transaction and then checks the revised product itself.
"""

from __future__ import annotations

from application.ports.unit_of_work import UnitOfWork
from domain.catalog.channel import unpriced_on_channel
from domain.catalog.product import Product
from domain.shared.errors import FieldError, ValidationFailed


async def refuse_unpriced_listings(uow: UnitOfWork, product: Product) -> None:
    """ValidationFailed naming each SKU and channel (``sku_unpriced_on_channel``)."""
    errors: list[FieldError] = []
    for listing in await uow.listings.of_product(product.id):
        if not listing.published:
            continue
        channel = await uow.channels.get(listing.channel_id)
        if channel is not None:
            errors.extend(unpriced_on_channel(product, channel, listing.prices))
    if errors:
        raise ValidationFailed(errors)
