"""The steps around the product media commands that handle stored files (CAT-3): an
upload's file is stored before its transaction and discarded when it fails, a deleted
item's files go after the commit, and a rendition is served from the file store. The
other media use cases (list, get, alt text, re-order) run through ``UseCases``."""

from __future__ import annotations

from uuid import UUID

from application.catalog.media.common import Upload, load_media
from application.catalog.media.delete import DeleteMedia, DeleteMediaHandler
from application.catalog.media.queries import GetMedia
from application.catalog.media.upload import (
    CheckMediaUpload,
    CheckMediaUploadHandler,
    UploadMedia,
    UploadMediaHandler,
)
from application.catalog.media_files import MEDIA_AREA, FileContent, MediaFiles
from application.shared.clock import IdGenerator
from application.shared.context import CallContext
from application.shared.reads import GetOne
from application.shared.runner import CommandRunner
from application.shared.use_case import runs
from domain.catalog.media import ProductMedia, Rendition


class MediaService:
    def __init__(self, runner: CommandRunner, files: MediaFiles, ids: IdGenerator) -> None:
        self._runner = runner
        self._files = files
        self._ids = ids
        self._upload = UploadMediaHandler()
        self._delete = DeleteMediaHandler()

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

    @runs(DeleteMedia)
    async def delete(self, ctx: CallContext, media_id: UUID, expected_version: int | None) -> None:
        deleted = await self._runner.run(ctx, DeleteMedia(media_id, expected_version), self._delete)
        await self._files.discard(ctx.tenant_id, MEDIA_AREA, deleted.file)

    @runs(GetMedia)
    async def content(self, ctx: CallContext, media_id: UUID, rendition: Rendition) -> FileContent:
        """The bytes of one rendition; another tenant's id is a 404 (row-level security)."""
        media = await self._runner.query(ctx, GetMedia(media_id), GetOne(load_media))
        return await self._files.content(ctx.tenant_id, MEDIA_AREA, media.file, rendition)
