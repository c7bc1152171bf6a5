"""Product media and brand logos (CAT-3, CAT-6): which files are accepted and how a
product's media are ordered.

A file's type is what its bytes say (an adapter sniffs them), never the name or the
content type the client sent. Accepted:

- images: JPEG, PNG, WebP, GIF, at most ``MAX_IMAGE_BYTES`` and ``MAX_IMAGE_PIXELS``
  pixels (a decompression-bomb guard: a small file can declare a huge canvas); each gets
  ``small`` and ``medium`` WebP thumbnails;
- videos: MP4, WebM, QuickTime (MOV), at most ``MAX_VIDEO_BYTES``; served as uploaded
  (no thumbnails: a poster frame needs a video decoder this service does not carry);
- brand logos: images only, at most ``MAX_LOGO_BYTES``.

A product holds at most ``MAX_MEDIA_PER_PRODUCT`` items, in the merchant's order
(position 0 first, new items appended). Alt text is single-line, at most
``MAX_ALT_TEXT_LENGTH`` characters, optional (empty means none).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from domain.catalog.checks import FieldChecks
from domain.shared.errors import DomainError, FieldError, ValidationFailed
from domain.shared.events import DomainEvent, RecordsEvents

MiB = 1024 * 1024
MAX_IMAGE_BYTES = 10 * MiB
MAX_VIDEO_BYTES = 200 * MiB
MAX_LOGO_BYTES = 2 * MiB
MAX_IMAGE_PIXELS = 40_000_000  # e.g. 8000 x 5000; a 50-megapixel camera needs resizing first
MAX_MEDIA_PER_PRODUCT = 30
MAX_ALT_TEXT_LENGTH = 250
ENTITY = "product_media"


class MediaKind(StrEnum):
    IMAGE = "image"
    VIDEO = "video"


class Rendition(StrEnum):
    """What can be served: the file as uploaded, or a thumbnail (images only)."""

    ORIGINAL = "original"
    SMALL = "small"
    MEDIUM = "medium"


# Longest side of each thumbnail, in pixels (never enlarged).
THUMBNAIL_SIZES: dict[Rendition, int] = {Rendition.SMALL: 200, Rendition.MEDIUM: 800}
THUMBNAIL_CONTENT_TYPE = "image/webp"

IMAGE_TYPES: dict[str, str] = {  # content type -> file extension when served
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/gif": "gif",
}
VIDEO_TYPES: dict[str, str] = {
    "video/mp4": "mp4",
    "video/webm": "webm",
    "video/quicktime": "mov",
}


class FileTooLarge(DomainError):
    """The file is larger than its kind allows (HTTP 413)."""

    code = "file_too_large"


def kind_of(content_type: str) -> MediaKind | None:
    """The kind of an accepted (sniffed) content type; None when it is not accepted."""
    if content_type in IMAGE_TYPES:
        return MediaKind.IMAGE
    if content_type in VIDEO_TYPES:
        return MediaKind.VIDEO
    return None


def extension_of(content_type: str) -> str:
    return IMAGE_TYPES.get(content_type) or VIDEO_TYPES.get(content_type) or "bin"


def max_bytes(kind: MediaKind) -> int:
    return MAX_IMAGE_BYTES if kind is MediaKind.IMAGE else MAX_VIDEO_BYTES


def check_media_file(content_type: str, size: int, *, logo: bool = False) -> MediaKind:
    """The kind of a sniffed file, or why it is refused: ``unsupported_file_type`` (not
    an accepted type; for a logo, not an image) or ``FileTooLarge``."""
    kind = kind_of(content_type)
    if kind is None or (logo and kind is not MediaKind.IMAGE):
        allowed = sorted(IMAGE_TYPES) if logo else sorted(IMAGE_TYPES) + sorted(VIDEO_TYPES)
        raise ValidationFailed.single("file", "unsupported_file_type", allowed=allowed)
    limit = MAX_LOGO_BYTES if logo else max_bytes(kind)
    if size > limit:
        raise FileTooLarge(max_mib=limit // MiB)
    if size == 0:
        raise ValidationFailed.single("file", "required")
    return kind


def check_pixels(width: int, height: int) -> None:
    if width <= 0 or height <= 0 or width * height > MAX_IMAGE_PIXELS:
        raise ValidationFailed.single(
            "file", "image_too_many_pixels", max_megapixels=MAX_IMAGE_PIXELS // 1_000_000
        )


def check_alt_text(value: str | None, path: str = "altText") -> str:
    check = FieldChecks()
    clean = check.text(path, value, MAX_ALT_TEXT_LENGTH, required=False)
    check.raise_if_failed()
    return clean or ""


def renditions_of(kind: MediaKind) -> tuple[Rendition, ...]:
    if kind is MediaKind.IMAGE:
        return (Rendition.ORIGINAL, Rendition.SMALL, Rendition.MEDIUM)
    return (Rendition.ORIGINAL,)


@dataclass(frozen=True)
class StoredFile:
    """A sniffed and stored file: its id names its renditions in the file store."""

    file_id: UUID
    content_type: str
    byte_size: int
    sha256: str  # hex digest of the original bytes
    width: int | None = None  # images only
    height: int | None = None

    @property
    def kind(self) -> MediaKind:
        kind = kind_of(self.content_type)
        assert kind is not None  # only accepted types are stored
        return kind

    def content_type_of(self, rendition: Rendition) -> str:
        return self.content_type if rendition is Rendition.ORIGINAL else THUMBNAIL_CONTENT_TYPE


@dataclass
class ProductMedia(RecordsEvents):
    """One image or video of a product. Records ``product_media.created`` and
    ``product_media.updated`` (with its product's id)."""

    id: UUID
    product_id: UUID
    file: StoredFile
    alt_text: str
    position: int  # 0-based display order among the product's media
    version: int = 1

    @classmethod
    def create(
        cls,
        media_id: UUID,
        product_id: UUID,
        file: StoredFile,
        alt_text: str | None,
        existing_count: int,
    ) -> ProductMedia:
        """Appended after the ``existing_count`` media the product has."""
        clean = check_alt_text(alt_text)
        if existing_count >= MAX_MEDIA_PER_PRODUCT:
            raise ValidationFailed.single("file", "too_many", max=MAX_MEDIA_PER_PRODUCT)
        media = cls(media_id, product_id, file, clean, existing_count)
        media._happened("product_media.created", ())
        return media

    def change_alt_text(self, value: str | None) -> bool:
        """Returns whether anything changed."""
        clean = check_alt_text(value)
        if clean == self.alt_text:
            return False
        self.alt_text = clean
        self.version += 1
        self._happened("product_media.updated", ("altText",))
        return True

    def _happened(self, event_type: str, changed: tuple[str, ...]) -> None:
        data = {"productId": str(self.product_id)}
        self.record_event(DomainEvent(event_type, ENTITY, self.id, changed, data=data))


def check_order(current: Sequence[UUID], requested: Sequence[UUID]) -> list[UUID]:
    """A new display order must name each of the product's media exactly once: one that
    was added or deleted meanwhile makes the list stale (``media_order_mismatch``), so the
    caller re-reads instead of silently dropping or resurrecting an item."""
    check = FieldChecks()
    seen: set[UUID] = set()
    known = set(current)
    for i, media_id in enumerate(requested):
        if media_id in seen:
            check.add(FieldError(f"order[{i}]", "duplicate"))
        elif media_id not in known:
            check.add(FieldError(f"order[{i}]", "unknown_media"))
        seen.add(media_id)
    if not check.failed and seen != known:
        check.add(FieldError("order", "media_order_mismatch", {"count": len(known)}))
    check.raise_if_failed()
    return list(requested)


def reorder(media: Sequence[ProductMedia], requested: Sequence[UUID]) -> list[ProductMedia]:
    """Sets positions in the requested order; returns the items whose position changed.
    Positions are not part of an item's version (its ETag covers its alt text)."""
    order = check_order([m.id for m in media], requested)
    position = {media_id: i for i, media_id in enumerate(order)}
    moved = []
    for item in media:
        if item.position != position[item.id]:
            item.position = position[item.id]
            moved.append(item)
    return moved


def close_gap(media: Sequence[ProductMedia], removed: ProductMedia) -> list[ProductMedia]:
    """After a deletion the later items move up one, so positions stay 0..n-1. Returns
    the items moved."""
    moved = []
    for item in media:
        if item.id != removed.id and item.position > removed.position:
            item.position -= 1
            moved.append(item)
    return moved
