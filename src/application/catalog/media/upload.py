"""Upload a product image or video (CAT-3): checked before the file is processed
(``CheckMediaUpload``, audited as the upload when refused), then written under a lock on
the product."""

from __future__ import annotations

from uuid import UUID

from application.catalog.common import load_product
from application.catalog.media.common import fields
from application.catalog.ports.store import CATALOG
from application.shared.use_case import Command, Query, Reading, Work
from domain.catalog.media import ProductMedia, StoredFile
from domain.catalog.permissions import CATALOG_WRITE


class CheckMediaUpload(Query[None], action="product_media.create", permission=CATALOG_WRITE):
    """The upload's pre-check: its permission and a product that takes changes."""

    product_id: UUID


class CheckMediaUploadHandler:
    async def handle(self, query: CheckMediaUpload, reading: Reading) -> None:
        await load_product(reading.uow, query.product_id, changing=True)


class UploadMedia(
    Command[ProductMedia],
    action="product_media.create",
    permission=CATALOG_WRITE,
    target="media_id",
):
    media_id: UUID
    product_id: UUID
    stored: StoredFile
    alt_text: str | None


class UploadMediaHandler:
    async def handle(self, command: UploadMedia, work: Work) -> ProductMedia:
        media_store, product_id = work.uow.of(CATALOG).product_media, command.product_id
        await media_store.lock_product(product_id)
        await load_product(work.uow, product_id, changing=True)
        existing = await media_store.of_product(product_id)
        media = ProductMedia.create(
            command.media_id, product_id, command.stored, command.alt_text, len(existing)
        )
        await media_store.add(media, work.clock.now())
        work.audit(media.id, {}, fields(media))
        work.publish(media)
        return media
