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
from application.shared.use_case import Changes
from domain.catalog.channel import Listing
from domain.catalog.product import ENTITY as PRODUCT_ENTITY
from domain.shared.audit import AuditChange


def record_listing(
    work: Changes, listing: Listing, action: str, changes: tuple[AuditChange, ...]
) -> None:
    """The audit record and outbox events of a listing change (entity: the product)."""
    work.audit(
        listing.product_id,
        changes=changes,
        detail={"channelId": str(listing.channel_id), "version": listing.version},
        action=action,
        entity=PRODUCT_ENTITY,
    )
    work.publish(listing)


async def unpublish_listing(
    work: Changes, listing: Listing, at: datetime, reason: str = "listing.unpublish"
) -> bool:
    read_version = listing.version
    if not listing.unpublish(at):
        return False
    await work.uow.of(CATALOG).listings.save(listing, read_version)
    record_listing(work, listing, reason, (AuditChange("status", "published", "unpublished"),))
    return True


async def unpublish_product_everywhere(
    work: Changes, product_id: UUID, at: datetime, reason: str
) -> None:
    for listing in await work.uow.of(CATALOG).listings.of_product(product_id):
        await unpublish_listing(work, listing, at, reason)


async def unpublish_channel(work: Changes, channel_id: UUID, at: datetime) -> None:
    for listing in await work.uow.of(CATALOG).listings.published_on(channel_id):
        await unpublish_listing(work, listing, at, "listing.unpublish_channel_deactivated")
