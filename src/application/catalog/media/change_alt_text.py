"""Change a media item's alt text (CAT-3)."""

from __future__ import annotations

from uuid import UUID

from application.catalog.common import load_product
from application.catalog.media.common import load_media
from application.catalog.ports.store import CATALOG
from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from domain.catalog.media import ProductMedia
from domain.catalog.permissions import CATALOG_WRITE


class ChangeAltText(
    Command[ProductMedia],
    action="product_media.update",
    permission=CATALOG_WRITE,
    target="media_id",
):
    media_id: UUID
    alt_text: str | None
    expected_version: int | None


class ChangeAltTextHandler:
    async def handle(self, command: ChangeAltText, work: Work) -> ProductMedia:
        media = await load_media(work.uow, command.media_id)
        check_version(command.expected_version, media.version)
        await load_product(work.uow, media.product_id, changing=True)
        before, read_version = {"altText": media.alt_text}, media.version
        if not media.change_alt_text(command.alt_text):
            return media
        await work.uow.of(CATALOG).product_media.save(media, read_version, work.clock.now())
        work.audit(media.id, before, {"altText": media.alt_text}, detail={"version": media.version})
        work.publish(media)
        return media
