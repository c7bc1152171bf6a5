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

from application.catalog.ports.store import CATALOG
from application.shared.unit_of_work import UnitOfWork
from domain.catalog.channel import unpriced_on_channel
from domain.catalog.product import Product
from domain.shared.errors import FieldError, ValidationFailed


async def unpriced_listing_errors(uow: UnitOfWork, product: Product) -> list[FieldError]:
    """Each active SKU without a price on a channel where the product is published
    (``sku_unpriced_on_channel``, naming the SKU and the channel), or no active SKU left
    (``published_product_has_no_skus``). Only a SKU without a list price can lack a price,
    so a product with active SKUs that all have one reads nothing."""
    active = product.active_skus
    if active and all(s.list_price is not None for s in active):
        return []
    errors: list[FieldError] = []
    for listing in await uow.of(CATALOG).listings.of_product(product.id):
        if not listing.published:
            continue
        channel = await uow.of(CATALOG).channels.get(listing.channel_id)
        if channel is not None:
            errors.extend(unpriced_on_channel(product, channel, listing.prices))
    return errors


async def refuse_unpriced_listings(uow: UnitOfWork, product: Product) -> None:
    """ValidationFailed with ``unpriced_listing_errors``, if there are any."""
    errors = await unpriced_listing_errors(uow, product)
    if errors:
        raise ValidationFailed(errors)
