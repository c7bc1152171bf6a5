"""/api/v1/catalog: product media (CAT-3) and brand logos (CAT-6).

Uploads are multipart/form-data, streamed to a temporary file by Litestar with the
route's body cap (``request_max_body_size``: past it, 413 before the use case runs); the
use case then applies the per-kind limits. Files are served with the type sniffed at
upload, ``nosniff``, a sandboxing CSP, an ETag (``If-None-Match`` gives 304) and
``Cache-Control: private, no-cache`` (tenant data: no shared caches; always revalidated).
"""

from __future__ import annotations

import asyncio
import hashlib
from typing import Annotated, Any, BinaryIO, cast
from uuid import UUID

from litestar import Controller, Response, delete, get, patch, post, put
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, HeaderParameter, JSONBody, QueryParameter
from litestar.response import Stream
from litestar.status_codes import HTTP_204_NO_CONTENT, HTTP_304_NOT_MODIFIED

from application.catalog.brand_logos import BrandLogoService
from application.catalog.media import (
    ChangeAltText,
    GetMedia,
    ListMedia,
    MediaService,
    ReorderMedia,
    Upload,
)
from application.catalog.media_files import FileContent
from domain.catalog.media import (
    MAX_LOGO_BYTES,
    MAX_VIDEO_BYTES,
    ProductMedia,
    Rendition,
    extension_of,
    renditions_of,
)
from entrypoints.http.catalog.schemas.media import (
    FileOut,
    LogoUploadForm,
    MediaListOut,
    MediaOrderIn,
    MediaOut,
    MediaPatch,
    MediaUploadForm,
)
from entrypoints.http.catalog.schemas.products import BrandOut
from entrypoints.http.catalog.taxonomy import brand_out
from entrypoints.http.conventions import Rendered, etagged, with_etag
from entrypoints.http.dependencies import Context, Dispatch, ExpectedVersion, Idempotent
from entrypoints.http.permissions import needs

CATALOG = "/api/v1/catalog"
# The multipart envelope around the file (boundaries, part headers, the alt text).
FORM_OVERHEAD = 64 * 1024
Multipart = Body(media_type=RequestEncodingType.MULTI_PART)
IfNoneMatch = Annotated[str | None, HeaderParameter(name="If-None-Match", required=False)]
Size = Annotated[
    Rendition,
    QueryParameter(name="size", description="original (default), small or medium (images)."),
]


def media_out(media: ProductMedia) -> MediaOut:
    file = media.file
    base = f"{CATALOG}/media/{media.id}/content"
    urls = {
        str(r): base + ("" if r is Rendition.ORIGINAL else f"?size={r}")
        for r in renditions_of(file.kind)
    }
    return MediaOut(
        media.id,
        media.product_id,
        str(file.kind),
        media.alt_text,
        media.position,
        media.version,
        FileOut(file.content_type, file.byte_size, file.width, file.height, urls),
    )


def _source(upload: UploadFile) -> BinaryIO:
    """The spooled temporary file Litestar streamed the part into (a binary file)."""
    return cast("BinaryIO", upload.file)


def _hash_upload(source: BinaryIO, alt_text: str | None) -> bytes:
    """What an Idempotency-Key's request is compared by: the file's bytes and the alt text
    (the multipart boundary differs between two sends of the same form)."""
    digest = hashlib.sha256((alt_text or "").encode() + b"\0")
    source.seek(0)
    while chunk := source.read(256 * 1024):
        digest.update(chunk)
    source.seek(0)
    return digest.digest()


def serve(content: FileContent, if_none_match: str | None) -> Response[Any]:
    name = f"{content.file.file_id}-{content.rendition}.{extension_of(content.content_type)}"
    headers = {
        "ETag": content.etag,
        "Cache-Control": "private, no-cache",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        # A name of our own making (ids and a fixed extension): nothing the client sent.
        "Content-Disposition": f'inline; filename="{name}"',
    }
    if if_none_match == content.etag:
        return Response(b"", status_code=HTTP_304_NOT_MODIFIED, headers=headers)
    return Stream(content.chunks, media_type=content.content_type, headers=headers)


class ProductMediaController(Controller):
    path = ""

    @post(
        "/products/{product_id:uuid}/media",
        request_max_body_size=MAX_VIDEO_BYTES + FORM_OVERHEAD,
        opt=needs(MediaService.upload),
    )
    async def upload_media(
        self,
        ctx: Context,
        media: NamedDependency[MediaService],
        idempotency: Idempotent,
        product_id: FromPath[UUID],
        data: Annotated[MediaUploadForm, Multipart],
    ) -> Response[MediaOut]:
        """Adds an image (JPEG, PNG, WebP, GIF; ≤ 10 MiB, ≤ 40 megapixels) or a video
        (MP4, WebM, MOV; ≤ 200 MiB) at the end of the product's media (≤ 30). The type is
        read from the bytes; images get small and medium WebP thumbnails."""
        source = _source(data.file)
        try:
            return await idempotency.created(
                lambda: media.upload(ctx, product_id, Upload(source, data.altText)),
                lambda added: Rendered(
                    media_out(added), f"{CATALOG}/media/{added.id}", added.version
                ),
                lambda: asyncio.to_thread(_hash_upload, source, data.altText),
            )
        finally:
            await data.file.close()

    @get("/products/{product_id:uuid}/media", opt=needs(ListMedia))
    async def list_media(
        self, ctx: Context, use_cases: Dispatch, product_id: FromPath[UUID]
    ) -> MediaListOut:
        """All of the product's media, in display order."""
        items = await use_cases.query(ctx, ListMedia(product_id))
        return MediaListOut([media_out(m) for m in items])

    @put("/products/{product_id:uuid}/media/order", opt=needs(ReorderMedia))
    async def reorder_media(
        self,
        ctx: Context,
        use_cases: Dispatch,
        product_id: FromPath[UUID],
        data: JSONBody[MediaOrderIn],
    ) -> MediaListOut:
        """``order`` must name every media item of the product once (a list made before
        an upload or a deletion is refused: ``media_order_mismatch``)."""
        items = await use_cases.run(ctx, ReorderMedia(product_id, data.order))
        return MediaListOut([media_out(m) for m in items])

    @get("/media/{media_id:uuid}", opt=needs(GetMedia))
    async def get_media(
        self, ctx: Context, use_cases: Dispatch, media_id: FromPath[UUID]
    ) -> Response[MediaOut]:
        """One image or video of a product, with its renditions."""
        return etagged(media_out, await use_cases.query(ctx, GetMedia(media_id)))

    @patch("/media/{media_id:uuid}", opt=needs(ChangeAltText))
    async def change_media(
        self,
        ctx: Context,
        use_cases: Dispatch,
        media_id: FromPath[UUID],
        data: JSONBody[MediaPatch],
        expected_version: ExpectedVersion,
    ) -> Response[MediaOut]:
        """Change a media item's alt text (If-Match)."""
        changed = await use_cases.run(ctx, ChangeAltText(media_id, data.alt_text, expected_version))
        return etagged(media_out, changed)

    @delete(
        "/media/{media_id:uuid}", status_code=HTTP_204_NO_CONTENT, opt=needs(MediaService.delete)
    )
    async def delete_media(
        self,
        ctx: Context,
        media: NamedDependency[MediaService],
        media_id: FromPath[UUID],
        expected_version: ExpectedVersion,
    ) -> None:
        """Removes the item and its files; later items move up one place."""
        await media.delete(ctx, media_id, expected_version)

    @get("/media/{media_id:uuid}/content", opt=needs(MediaService.content))
    async def media_content(
        self,
        ctx: Context,
        media: NamedDependency[MediaService],
        media_id: FromPath[UUID],
        size: Size = Rendition.ORIGINAL,
        if_none_match: IfNoneMatch = None,
    ) -> Response[Any]:
        """The file (``original``) or a thumbnail; videos have only the original."""
        return serve(await media.content(ctx, media_id, size), if_none_match)


class BrandLogoController(Controller):
    path = "/brands/{brand_id:uuid}/logo"

    @put(
        "/",
        request_max_body_size=MAX_LOGO_BYTES + FORM_OVERHEAD,
        opt=needs(BrandLogoService.set_logo),
    )
    async def set_logo(
        self,
        ctx: Context,
        logos: NamedDependency[BrandLogoService],
        brand_id: FromPath[UUID],
        data: Annotated[LogoUploadForm, Multipart],
        expected_version: ExpectedVersion,
    ) -> Response[BrandOut]:
        """Sets or replaces the logo: an image (JPEG, PNG, WebP, GIF) of at most 2 MiB."""
        try:
            brand = await logos.set_logo(ctx, brand_id, _source(data.file), expected_version)
        finally:
            await data.file.close()
        return with_etag(brand_out(brand), brand.version)

    @delete("/", status_code=200, opt=needs(BrandLogoService.remove_logo))
    async def remove_logo(
        self,
        ctx: Context,
        logos: NamedDependency[BrandLogoService],
        brand_id: FromPath[UUID],
        expected_version: ExpectedVersion,
    ) -> Response[BrandOut]:
        """Remove the brand's logo."""
        return etagged(brand_out, await logos.remove_logo(ctx, brand_id, expected_version))

    @get("/", opt=needs(BrandLogoService.logo))
    async def get_logo(
        self,
        ctx: Context,
        logos: NamedDependency[BrandLogoService],
        brand_id: FromPath[UUID],
        size: Size = Rendition.ORIGINAL,
        if_none_match: IfNoneMatch = None,
    ) -> Response[Any]:
        """The brand's logo image, in the size asked for."""
        return serve(await logos.logo(ctx, brand_id, size), if_none_match)
