"""Wire types for catalog media, brand logos (CAT-3, CAT-6) and related products (CAT-9)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

from litestar.datastructures import UploadFile

from domain.catalog.media import MAX_ALT_TEXT_LENGTH
from domain.catalog.related import MAX_LINKS_PER_KIND
from entrypoints.http.limits import stated
from entrypoints.http.wire import WireIn, WireOut


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


class FileOut(WireOut):
    content_type: str  # as sniffed from the bytes
    byte_size: int
    width: int | None  # images only
    height: int | None
    urls: dict[str, str]  # rendition (original, small, medium) -> URL to GET it


class MediaOut(WireOut):
    id: UUID
    product_id: UUID
    kind: str  # image | video
    alt_text: str
    position: int  # 0-based display order
    version: int
    file: FileOut


class MediaListOut(WireOut):
    items: list[MediaOut]


class MediaPatch(WireIn):
    # one line; "" or null removes it
    alt_text: Annotated[str, stated(max_length=MAX_ALT_TEXT_LENGTH)] | None


class MediaOrderIn(WireIn):
    order: list[UUID]  # every media id of the product, once, in the new display order


class RelatedItemOut(WireOut):
    id: UUID
    code: str
    name: str


class RelatedOut(WireOut):
    product_id: UUID
    cross_sell: list[RelatedItemOut]  # archived products left out
    up_sell: list[RelatedItemOut]


class RelatedIn(WireIn):
    # the whole list of this kind, in display order
    product_ids: Annotated[list[UUID], stated(max_items=MAX_LINKS_PER_KIND, unique=True)]
