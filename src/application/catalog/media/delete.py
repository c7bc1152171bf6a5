"""Delete a media item (CAT-3): the gap in positions closes; its files are removed after
the commit (the handler answers the deleted item, whose files ``MediaService`` discards)."""

from __future__ import annotations

from uuid import UUID

from application.catalog.common import load_product
from application.catalog.media.common import fields, load_media
from application.catalog.ports.store import CATALOG
from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from domain.catalog.media import ENTITY, ProductMedia, close_gap
from domain.catalog.permissions import CATALOG_WRITE
from domain.shared.events import DomainEvent


class DeleteMedia(
    Command[ProductMedia],
    action="product_media.delete",
    permission=CATALOG_WRITE,
    target="media_id",
):
    media_id: UUID
    expected_version: int | None


class DeleteMediaHandler:
    async def handle(self, command: DeleteMedia, work: Work) -> ProductMedia:
        media_store = work.uow.of(CATALOG).product_media
        found = await load_media(work.uow, command.media_id)
        await media_store.lock_product(found.product_id)
        media = await load_media(work.uow, command.media_id)  # as it is under the lock
        check_version(command.expected_version, media.version)
        await load_product(work.uow, media.product_id, changing=True)
        others = await media_store.of_product(media.product_id)
        await media_store.delete(media.id)
        await media_store.save_positions(close_gap(others, media), work.clock.now())
        work.audit(media.id, fields(media), {})
        work.emit(
            DomainEvent(
                "product_media.deleted", ENTITY, media.id, data={"productId": str(media.product_id)}
            )
        )
        return media
