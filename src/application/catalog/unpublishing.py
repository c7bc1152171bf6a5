"""Taking listings off sale (下架) inside another command's transaction (CAT-7).

Used when a product is archived or discontinued (``channel.must_unpublish``), when a
channel is deactivated, and by the unpublish command itself: each listing that was
published is saved unpublished with its audit record and its ``product.unpublished``
event, in the caller's unit of work. A listing already unpublished writes nothing.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from application.catalog.ports.store import CATALOG
from application.shared.unit_of_work import UnitOfWork
from domain.catalog.channel import Listing
from domain.catalog.product import ENTITY as PRODUCT_ENTITY
from domain.shared.audit import AuditChange, AuditEntry


async def record_listing(
    uow: UnitOfWork, listing: Listing, action: str, changes: tuple[AuditChange, ...]
) -> None:
    """The audit record and outbox events of a listing change (entity: the product)."""
    await uow.audit.record(
        AuditEntry(
            action,
            PRODUCT_ENTITY,
            listing.product_id,
            changes=changes,
            detail={"channelId": str(listing.channel_id), "version": listing.version},
        )
    )
    for event in listing.events:
        await uow.outbox.add(event)
    listing.events.clear()


async def unpublish_listing(
    uow: UnitOfWork, listing: Listing, at: datetime, reason: str = "listing.unpublish"
) -> bool:
    read_version = listing.version
    if not listing.unpublish(at):
        return False
    await uow.of(CATALOG).listings.save(listing, read_version)
    change = AuditChange("status", "published", "unpublished")
    await record_listing(uow, listing, reason, (change,))
    return True


async def unpublish_product_everywhere(
    uow: UnitOfWork, product_id: UUID, at: datetime, reason: str
) -> None:
    for listing in await uow.of(CATALOG).listings.of_product(product_id):
        await unpublish_listing(uow, listing, at, reason)


async def unpublish_channel(uow: UnitOfWork, channel_id: UUID, at: datetime) -> None:
    for listing in await uow.of(CATALOG).listings.published_on(channel_id):
        await unpublish_listing(uow, listing, at, "listing.unpublish_channel_deactivated")
