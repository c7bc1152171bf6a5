"""What the product media use cases share (CAT-3).

An upload is checked first (permission, product exists in the tenant and is not
archived) in a read of its own, so a refused caller costs no decoding and stores nothing;
then the file is sniffed, thumbnailed and stored (``MediaFiles``); then one transaction
writes the row, the audit record and the outbox event, under a lock on the product (the
30-item cap and positions hold under concurrent uploads). If that transaction fails the
stored files are removed. Deleting a row removes its files after the commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO
from uuid import UUID

from application.catalog.ports.store import CATALOG
from application.shared.unit_of_work import UnitOfWork
from domain.catalog.media import ENTITY, ProductMedia
from domain.shared.errors import NotFound


@dataclass(frozen=True)
class Upload:
    source: BinaryIO  # read from the start; the client's name and type are never used
    alt_text: str | None = None


async def load_media(uow: UnitOfWork, media_id: UUID) -> ProductMedia:
    media = await uow.of(CATALOG).product_media.get(media_id)
    if media is None:
        raise NotFound(entity=ENTITY)
    return media


def fields(media: ProductMedia) -> dict[str, object]:
    file = media.file
    return {
        "productId": str(media.product_id),
        "kind": str(file.kind),
        "contentType": file.content_type,
        "byteSize": file.byte_size,
        "altText": media.alt_text,
        "position": media.position,
    }
