"""Turning an upload into stored files (CAT-3, CAT-6), shared by product media and logos.

The steps, before any transaction: sniff the bytes (type, size, digest), check them
against the domain's rules, read an image's header (pixel limit) and decode it into its
thumbnails, then write the original and the thumbnails to the file store under keys of a
new file id. The caller then commits the row that references them; if that fails,
``discard`` removes the files, so nothing is left that no row references. (A process
killed between the two leaves files under an id no row names; they hold only what the
tenant uploaded and go with the tenant's files on deletion.)
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import suppress
from dataclasses import dataclass
from typing import BinaryIO
from uuid import UUID

from application.shared.files import FileKey, FileStore, MediaInspector
from domain.catalog.media import (
    THUMBNAIL_SIZES,
    MediaKind,
    Rendition,
    StoredFile,
    check_media_file,
    check_pixels,
    renditions_of,
)
from domain.shared.errors import NotFound, ValidationFailed

MEDIA_AREA = "media"
LOGO_AREA = "brand-logos"


def file_key(tenant_id: UUID, area: str, file_id: UUID, rendition: Rendition) -> FileKey:
    return FileKey(tenant_id, ("catalog", area, str(file_id), str(rendition)))


@dataclass(frozen=True)
class FileContent:
    """One rendition of a stored file, ready to be served."""

    file: StoredFile
    rendition: Rendition
    content_type: str
    chunks: AsyncIterator[bytes]

    @property
    def etag(self) -> str:
        return f'"{self.file.sha256[:32]}-{self.rendition}"'


class MediaFiles:
    def __init__(self, store: FileStore, inspector: MediaInspector) -> None:
        self._store = store
        self._inspector = inspector

    async def store_upload(
        self, tenant_id: UUID, area: str, file_id: UUID, source: BinaryIO, *, logo: bool = False
    ) -> StoredFile:
        sniffed = await self._inspector.sniff(source)
        kind = check_media_file(sniffed.content_type or "", sniffed.byte_size, logo=logo)
        assert sniffed.content_type is not None  # check_media_file refused it otherwise
        width = height = None
        thumbnails: dict[Rendition, bytes] = {}
        if kind is MediaKind.IMAGE:
            header = await self._inspector.image_header(source)
            check_pixels(header.width, header.height)
            if header.content_type != sniffed.content_type:
                raise ValidationFailed.single("file", "invalid_image")
            width, height = header.width, header.height
            thumbnails = await self._inspector.thumbnails(source, THUMBNAIL_SIZES)
        stored = StoredFile(
            file_id, sniffed.content_type, sniffed.byte_size, sniffed.sha256, width, height
        )
        try:
            source.seek(0)
            await self._store.put(file_key(tenant_id, area, file_id, Rendition.ORIGINAL), source)
            for rendition, data in thumbnails.items():
                await self._store.put(file_key(tenant_id, area, file_id, rendition), data)
        except BaseException:
            await self.discard(tenant_id, area, stored)
            raise
        return stored

    async def discard(self, tenant_id: UUID, area: str, file: StoredFile) -> None:
        """Removes every rendition; never raises (the caller is already handling a failure
        or has committed the change that dropped the file)."""
        for rendition in renditions_of(file.kind):
            with suppress(Exception):
                await self._store.delete(file_key(tenant_id, area, file.file_id, rendition))

    async def content(
        self, tenant_id: UUID, area: str, file: StoredFile, rendition: Rendition
    ) -> FileContent:
        if rendition not in renditions_of(file.kind):
            raise NotFound(entity="rendition")
        chunks = await self._store.open(file_key(tenant_id, area, file.file_id, rendition))
        if chunks is None:
            raise NotFound(entity="file")
        return FileContent(file, rendition, file.content_type_of(rendition), chunks)
