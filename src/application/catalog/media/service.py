"""The product media facade (CAT-3): upload, list, re-order, alt text, delete, serve.
The stored files are handled here, around the commands: stored before the upload's
transaction, discarded when it fails, and a deleted item's files after the commit."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from application.catalog.media.change_alt_text import ChangeAltText, ChangeAltTextHandler
from application.catalog.media.common import Upload
from application.catalog.media.delete import DeleteMedia, DeleteMediaHandler
from application.catalog.media.queries import GetMedia, GetMediaHandler, ListMedia, ListMediaHandler
from application.catalog.media.reorder import ReorderMedia, ReorderMediaHandler
from application.catalog.media.upload import (
    CheckMediaUpload,
    CheckMediaUploadHandler,
    UploadMedia,
    UploadMediaHandler,
)
from application.catalog.media_files import MEDIA_AREA, FileContent, MediaFiles
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.runner import CommandRunner
from application.shared.use_case import runs
from domain.catalog.media import ProductMedia, Rendition


class MediaService:
    def __init__(
        self, runner: CommandRunner, files: MediaFiles, clock: Clock, ids: IdGenerator
    ) -> None:
        self._runner = runner
        self._files = files
        self._ids = ids
        self._upload = UploadMediaHandler(clock)
        self._alt_text = ChangeAltTextHandler(clock)
        self._reorder = ReorderMediaHandler(clock)
        self._delete = DeleteMediaHandler(clock)

    @runs(UploadMedia)
    async def upload(self, ctx: CallContext, product_id: UUID, upload: Upload) -> ProductMedia:
        await self._runner.query(ctx, CheckMediaUpload(product_id), CheckMediaUploadHandler())
        media_id, file_id = self._ids.new_id(), self._ids.new_id()
        stored = await self._files.store_upload(ctx.tenant_id, MEDIA_AREA, file_id, upload.source)
        command = UploadMedia(media_id, product_id, stored, upload.alt_text)
        try:
            return await self._runner.run(ctx, command, self._upload)
        except BaseException:
            await self._files.discard(ctx.tenant_id, MEDIA_AREA, stored)
            raise

    @runs(ListMedia)
    async def list_media(self, ctx: CallContext, product_id: UUID) -> list[ProductMedia]:
        return await self._runner.query(ctx, ListMedia(product_id), ListMediaHandler())

    @runs(GetMedia)
    async def get(self, ctx: CallContext, media_id: UUID) -> ProductMedia:
        return await self._runner.query(ctx, GetMedia(media_id), GetMediaHandler())

    @runs(ChangeAltText)
    async def change_alt_text(
        self, ctx: CallContext, media_id: UUID, alt_text: str | None, expected_version: int | None
    ) -> ProductMedia:
        command = ChangeAltText(media_id, alt_text, expected_version)
        return await self._runner.run(ctx, command, self._alt_text)

    @runs(ReorderMedia)
    async def reorder(
        self, ctx: CallContext, product_id: UUID, order: Sequence[UUID]
    ) -> list[ProductMedia]:
        """``order`` names each of the product's media once; returns them in that order."""
        return await self._runner.run(ctx, ReorderMedia(product_id, order), self._reorder)

    @runs(DeleteMedia)
    async def delete(self, ctx: CallContext, media_id: UUID, expected_version: int | None) -> None:
        deleted = await self._runner.run(ctx, DeleteMedia(media_id, expected_version), self._delete)
        await self._files.discard(ctx.tenant_id, MEDIA_AREA, deleted.file)

    @runs(GetMedia)
    async def content(self, ctx: CallContext, media_id: UUID, rendition: Rendition) -> FileContent:
        """The bytes of one rendition; another tenant's id is a 404 (row-level security)."""
        media = await self.get(ctx, media_id)
        return await self._files.content(ctx.tenant_id, MEDIA_AREA, media.file, rendition)
