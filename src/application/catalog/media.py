"""Product media (CAT-3): upload, list, re-order, alt text, delete, serve.

An upload is checked first (permission, product exists in the tenant and is not
archived) in a read of its own, so a refused caller costs no decoding and stores nothing;
then the file is sniffed, thumbnailed and stored (``MediaFiles``); then one transaction
writes the row, the audit record and the outbox event, under a lock on the product (the
30-item cap and positions hold under concurrent uploads). If that transaction fails the
stored files are removed. Deleting a row removes its files after the commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import BinaryIO
from uuid import UUID

from application.catalog.common import load_product
from application.catalog.media_files import MEDIA_AREA, FileContent, MediaFiles
from application.catalog.ports.store import CATALOG
from application.shared.access_policy import AccessPolicy
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.runner import CommandRunner
from application.shared.unit_of_work import UnitOfWork
from application.shared.versions import check_version
from domain.catalog.media import ENTITY, ProductMedia, Rendition, close_gap, reorder
from domain.catalog.permissions import CATALOG_READ, CATALOG_WRITE
from domain.shared.audit import AuditEntry, diff
from domain.shared.errors import NotFound
from domain.shared.events import DomainEvent


async def _media(uow: UnitOfWork, media_id: UUID) -> ProductMedia:
    media = await uow.of(CATALOG).product_media.get(media_id)
    if media is None:
        raise NotFound(entity=ENTITY)
    return media


def _fields(media: ProductMedia) -> dict[str, object]:
    file = media.file
    return {
        "productId": str(media.product_id),
        "kind": str(file.kind),
        "contentType": file.content_type,
        "byteSize": file.byte_size,
        "altText": media.alt_text,
        "position": media.position,
    }


@dataclass(frozen=True)
class Upload:
    source: BinaryIO  # read from the start; the client's name and type are never used
    alt_text: str | None = None


class MediaService:
    def __init__(
        self,
        runner: CommandRunner,
        access: AccessPolicy,
        files: MediaFiles,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._runner = runner
        self._access = access
        self._files = files
        self._clock = clock
        self._ids = ids

    async def upload(self, ctx: CallContext, product_id: UUID, upload: Upload) -> ProductMedia:
        async def precheck(uow: UnitOfWork) -> None:
            self._access.require(ctx, CATALOG_WRITE)
            await load_product(uow, product_id, changing=True)

        await self._runner.query(ctx, precheck, action="product_media.create", entity_type=ENTITY)
        media_id, file_id = self._ids.new_id(), self._ids.new_id()
        stored = await self._files.store_upload(ctx.tenant_id, MEDIA_AREA, file_id, upload.source)

        async def command(uow: UnitOfWork) -> ProductMedia:
            self._access.require(ctx, CATALOG_WRITE)
            await uow.of(CATALOG).product_media.lock_product(product_id)
            await load_product(uow, product_id, changing=True)
            existing = await uow.of(CATALOG).product_media.of_product(product_id)
            media = ProductMedia.create(
                media_id, product_id, stored, upload.alt_text, len(existing)
            )
            await uow.of(CATALOG).product_media.add(media, self._clock.now())
            await uow.audit.record(
                AuditEntry(
                    "product_media.create", ENTITY, media.id, changes=diff({}, _fields(media))
                )
            )
            await uow.outbox.add(
                DomainEvent(
                    "product_media.created", ENTITY, media.id, data={"productId": str(product_id)}
                )
            )
            return media

        try:
            return await self._runner.run(
                ctx, "product_media.create", ENTITY, command, entity_id=media_id
            )
        except BaseException:
            await self._files.discard(ctx.tenant_id, MEDIA_AREA, stored)
            raise

    async def list_media(self, ctx: CallContext, product_id: UUID) -> list[ProductMedia]:
        """All of a product's media in display order (at most ``MAX_MEDIA_PER_PRODUCT``)."""

        async def read(uow: UnitOfWork) -> list[ProductMedia]:
            self._access.require(ctx, CATALOG_READ)
            await load_product(uow, product_id, changing=False)
            return await uow.of(CATALOG).product_media.of_product(product_id)

        return await self._runner.query(ctx, read)

    async def get(self, ctx: CallContext, media_id: UUID) -> ProductMedia:
        async def read(uow: UnitOfWork) -> ProductMedia:
            self._access.require(ctx, CATALOG_READ)
            return await _media(uow, media_id)

        return await self._runner.query(ctx, read)

    async def change_alt_text(
        self, ctx: CallContext, media_id: UUID, alt_text: str | None, expected_version: int | None
    ) -> ProductMedia:
        async def command(uow: UnitOfWork) -> ProductMedia:
            self._access.require(ctx, CATALOG_WRITE)
            media = await _media(uow, media_id)
            check_version(expected_version, media.version)
            await load_product(uow, media.product_id, changing=True)
            before, read_version = {"altText": media.alt_text}, media.version
            if not media.change_alt_text(alt_text):
                return media
            await uow.of(CATALOG).product_media.save(media, read_version, self._clock.now())
            await uow.audit.record(
                AuditEntry(
                    "product_media.update",
                    ENTITY,
                    media.id,
                    changes=diff(before, {"altText": media.alt_text}),
                    detail={"version": media.version},
                )
            )
            await uow.outbox.add(
                DomainEvent(
                    "product_media.updated",
                    ENTITY,
                    media.id,
                    changed_fields=("altText",),
                    data={"productId": str(media.product_id)},
                )
            )
            return media

        return await self._runner.run(
            ctx, "product_media.update", ENTITY, command, entity_id=media_id
        )

    async def reorder(
        self, ctx: CallContext, product_id: UUID, order: Sequence[UUID]
    ) -> list[ProductMedia]:
        """``order`` names each of the product's media once; returns them in that order."""

        async def command(uow: UnitOfWork) -> list[ProductMedia]:
            self._access.require(ctx, CATALOG_WRITE)
            await uow.of(CATALOG).product_media.lock_product(product_id)
            await load_product(uow, product_id, changing=True)
            media = await uow.of(CATALOG).product_media.of_product(product_id)
            before = [str(m.id) for m in media]
            moved = reorder(media, order)
            result = sorted(media, key=lambda m: m.position)
            if not moved:
                return result
            await uow.of(CATALOG).product_media.save_positions(moved, self._clock.now())
            await uow.audit.record(
                AuditEntry(
                    "product_media.reorder",
                    "product",
                    product_id,
                    changes=diff({"media": before}, {"media": [str(m.id) for m in result]}),
                )
            )
            await uow.outbox.add(
                DomainEvent(
                    "product.media_reordered", "product", product_id, changed_fields=("media",)
                )
            )
            return result

        return await self._runner.run(
            ctx, "product_media.reorder", "product", command, entity_id=product_id
        )

    async def delete(self, ctx: CallContext, media_id: UUID, expected_version: int | None) -> None:
        async def command(uow: UnitOfWork) -> ProductMedia:
            self._access.require(ctx, CATALOG_WRITE)
            found = await _media(uow, media_id)
            await uow.of(CATALOG).product_media.lock_product(found.product_id)
            media = await _media(uow, media_id)  # as it is under the lock
            check_version(expected_version, media.version)
            await load_product(uow, media.product_id, changing=True)
            others = await uow.of(CATALOG).product_media.of_product(media.product_id)
            await uow.of(CATALOG).product_media.delete(media.id)
            await uow.of(CATALOG).product_media.save_positions(
                close_gap(others, media), self._clock.now()
            )
            await uow.audit.record(
                AuditEntry(
                    "product_media.delete", ENTITY, media.id, changes=diff(_fields(media), {})
                )
            )
            await uow.outbox.add(
                DomainEvent(
                    "product_media.deleted",
                    ENTITY,
                    media.id,
                    data={"productId": str(media.product_id)},
                )
            )
            return media

        deleted = await self._runner.run(
            ctx, "product_media.delete", ENTITY, command, entity_id=media_id
        )
        await self._files.discard(ctx.tenant_id, MEDIA_AREA, deleted.file)

    async def content(self, ctx: CallContext, media_id: UUID, rendition: Rendition) -> FileContent:
        """The bytes of one rendition; another tenant's id is a 404 (row-level security)."""
        media = await self.get(ctx, media_id)
        return await self._files.content(ctx.tenant_id, MEDIA_AREA, media.file, rendition)
