"""Wire types for catalog media, brand logos (CAT-3, CAT-6) and related products (CAT-9)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import msgspec
from litestar.datastructures import UploadFile


@dataclass
class MediaUploadForm:
    """multipart/form-data: ``file`` (its name and declared type are ignored: the bytes
    decide) and an optional ``altText``."""

    file: UploadFile
    altText: str | None = None  # the form field's wire name (camelCase)


@dataclass
class LogoUploadForm:
    """multipart/form-data: ``file``, an image (JPEG, PNG, WebP, GIF) of at most 2 MiB."""

    file: UploadFile


class FileOut(msgspec.Struct, rename="camel"):
    content_type: str  # as sniffed from the bytes
    byte_size: int
    width: int | None  # images only
    height: int | None
    urls: dict[str, str]  # rendition (original, small, medium) -> URL to GET it


class MediaOut(msgspec.Struct, rename="camel"):
    id: UUID
    product_id: UUID
    kind: str  # image | video
    alt_text: str
    position: int  # 0-based display order
    version: int
    file: FileOut


class MediaListOut(msgspec.Struct, rename="camel"):
    items: list[MediaOut]


class MediaPatch(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    alt_text: str | None  # ≤ 250 characters, one line; "" or null removes it


class MediaOrderIn(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    order: list[UUID]  # every media id of the product, once, in the new display order


class RelatedItemOut(msgspec.Struct, rename="camel"):
    id: UUID
    code: str
    name: str


class RelatedOut(msgspec.Struct, rename="camel"):
    product_id: UUID
    cross_sell: list[RelatedItemOut]  # archived products left out
    up_sell: list[RelatedItemOut]


class RelatedIn(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    product_ids: list[UUID]  # the whole list of this kind, in display order (≤ 20)
