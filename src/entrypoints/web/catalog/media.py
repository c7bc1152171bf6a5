"""Catalog → a product's media: upload an image or video (multipart, with the form's CSRF
token; the bytes decide the type, as in the API) and show them — thumbnails served from
the console's own session, as the API serves them (``MediaService``)."""

from __future__ import annotations

from typing import Annotated, Any, BinaryIO, cast
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State, UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, QueryParameter
from litestar.response import Template
from msgspec import Struct

from application.catalog.media import MediaService, Upload
from domain.catalog.media import MAX_VIDEO_BYTES, Rendition
from domain.shared.errors import DomainError, ValidationFailed
from entrypoints.http.catalog.media import FORM_OVERHEAD, IfNoneMatch, serve
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.web.catalog.editor import PRODUCTS, refused_on_product
from entrypoints.web.pages import done


class MediaForm(Struct):
    file: UploadFile | None = None
    alt_text: str = ""


class MediaPages(Controller):
    path = ""

    @post(
        "/products/{product_id:uuid}/media",
        status_code=303,
        request_max_body_size=MAX_VIDEO_BYTES + FORM_OVERHEAD,
        opt=needs(MediaService.upload),
    )
    async def upload(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        media: NamedDependency[MediaService],
        product_id: FromPath[UUID],
        data: Annotated[MediaForm, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Response[Any] | Template:
        try:
            if data.file is None:
                raise ValidationFailed.single("file", "required")
            await media.upload(
                ctx, product_id, Upload(cast("BinaryIO", data.file.file), data.alt_text or None)
            )
        except DomainError as error:
            return await refused_on_product(request, ctx, use_cases, product_id, error)
        finally:
            if data.file is not None:
                await data.file.close()
        return done(request, f"{PRODUCTS}/{product_id}#media", "catalog.media_added")

    @get("/media/{media_id:uuid}/content", opt=needs(MediaService.content))
    async def content(
        self,
        ctx: Context,
        media: NamedDependency[MediaService],
        media_id: FromPath[UUID],
        if_none_match: IfNoneMatch = None,
        size: Annotated[Rendition, QueryParameter(name="size")] = Rendition.ORIGINAL,
    ) -> Response[Any]:
        return serve(await media.content(ctx, media_id, size), if_none_match)
