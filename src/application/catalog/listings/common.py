"""Steps the listing commands share: the channel named in a request, the listing (stored
or new), prices as sent, and storing the listing."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from uuid import UUID

from application.catalog.ports.store import CATALOG
from application.shared.unit_of_work import UnitOfWork
from domain.catalog.channel import Listing, SalesChannel
from domain.catalog.product import ENTITY as PRODUCT_ENTITY
from domain.shared.audit import AuditChange, diff
from domain.shared.errors import ValidationFailed
from domain.shared.events import DomainEvent

# Prices as sent: SKU id → amount; SKUs left out have no channel price.
PriceInput = Mapping[UUID, Decimal]


def prices_text(listing: Listing) -> dict[str, str]:
    return {
        str(k): str(v.amount) for k, v in sorted(listing.prices.items(), key=lambda i: str(i[0]))
    }


def prices_diff(before: dict[str, str], listing: Listing) -> tuple[AuditChange, ...]:
    return diff({"prices": before}, {"prices": prices_text(listing)})


async def channel_named(uow: UnitOfWork, channel_id: UUID) -> SalesChannel:
    """A channel named in a request body: unknown is a field error, not a 404."""
    channel = await uow.of(CATALOG).channels.get(channel_id)
    if channel is None:
        raise ValidationFailed.single("channelId", "unknown_channel")
    return channel


async def listing_of(uow: UnitOfWork, product_id: UUID, channel_id: UUID) -> tuple[Listing, bool]:
    """The stored listing, or a new unpublished one (version 0, not stored yet)."""
    stored = await uow.of(CATALOG).listings.get(product_id, channel_id)
    if stored is not None:
        return stored, True
    return Listing(product_id, channel_id, version=0), False


async def store_listing(uow: UnitOfWork, listing: Listing, stored: bool, read_version: int) -> None:
    if stored:
        await uow.of(CATALOG).listings.save(listing, read_version)
    else:
        await uow.of(CATALOG).listings.add(listing)


def record_new_prices(listing: Listing) -> None:
    """A change of channel prices is ``product.updated`` with ``channelPrices``."""
    listing.record_event(
        DomainEvent(
            "product.updated",
            PRODUCT_ENTITY,
            listing.product_id,
            ("channelPrices",),
            data={"channelId": str(listing.channel_id)},
        )
    )
