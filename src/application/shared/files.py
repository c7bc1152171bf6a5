"""Ports for stored files (CAT-3, CAT-6): the file store and the media inspector.

The file store holds bytes under keys that always start with the tenant id, so one
tenant's files can never take another's name, and a tenant's files can be removed as a
whole. The local-disk adapter is the default; an object store (S3, OSS, MinIO) fits the
same port: ``put`` is an atomic PUT of one object, ``delete_tenant`` a prefix delete.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import BinaryIO, Protocol
from uuid import UUID

from domain.catalog.media import Rendition

# One path segment: lower-case letters, digits, '-', '_' and '.', not starting with '.'.
SEGMENT = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")


@dataclass(frozen=True)
class FileKey:
    """Where a file lives: the tenant, then a few safe segments (never user input)."""

    tenant_id: UUID
    segments: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.segments or not all(SEGMENT.match(s) for s in self.segments):
            # guard: keys are built from ids and fixed area names, never from user input
            raise ValueError(f"unsafe file key segments: {self.segments!r}")

    def __str__(self) -> str:
        return "/".join((str(self.tenant_id), *self.segments))


class FileStore(Protocol):
    async def put(self, key: FileKey, data: bytes | BinaryIO) -> None:
        """Write the bytes (a file is read from its current position to its end), all or
        nothing: a reader never sees a half-written file. Overwrites."""
        ...

    async def open(self, key: FileKey) -> AsyncIterator[bytes] | None:
        """The file's bytes in chunks; None when there is no such file."""
        ...

    async def exists(self, key: FileKey) -> bool: ...

    async def delete(self, key: FileKey) -> None:
        """Removes the file; no error when it is already gone."""
        ...

    async def delete_tenant(self, tenant_id: UUID) -> None:
        """Removes every file of the tenant (tenant deletion)."""
        ...


@dataclass(frozen=True)
class SniffedFile:
    content_type: str | None  # from the bytes; None when no known type matches
    byte_size: int
    sha256: str  # hex


@dataclass(frozen=True)
class ImageHeader:
    content_type: str  # the format the decoder reads the file as
    width: int
    height: int


class MediaInspector(Protocol):
    """Reads what a file is from its bytes. Decoding can be slow: implementations run it
    off the event loop. Undecodable images raise ``ValidationFailed file invalid_image``."""

    async def sniff(self, source: BinaryIO) -> SniffedFile:
        """Type, size and digest of the whole file (read from the start)."""
        ...

    async def image_header(self, source: BinaryIO) -> ImageHeader:
        """Format, width and height from the image's header, without decoding its pixels
        (a size past Pillow's bomb limit comes back as more pixels than the domain allows)."""
        ...

    async def thumbnails(
        self, source: BinaryIO, sizes: dict[Rendition, int]
    ) -> dict[Rendition, bytes]:
        """One thumbnail per entry (longest side at most that many pixels, never
        enlarged; EXIF orientation applied; metadata dropped), as ``THUMBNAIL_CONTENT_TYPE``."""
        ...
