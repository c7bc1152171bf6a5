"""Brand logos (CAT-6): set (replace), remove, serve. An image only, checked and
thumbnailed like product images; setting or removing one is a change of the brand (its
version and ETag move, If-Match required). The files of a replaced or removed logo are
removed after the commit; those of a logo whose transaction failed, at once. The use
cases are ``brands.set_logo`` and ``brands.remove_logo``.
"""

from __future__ import annotations

from typing import BinaryIO
from uuid import UUID

from application.catalog.brands.common import load_brand
from application.catalog.brands.remove_logo import RemoveLogo, RemoveLogoHandler
from application.catalog.brands.set_logo import (
    CheckLogoChange,
    CheckLogoChangeHandler,
    SetLogo,
    SetLogoHandler,
)
from application.catalog.media_files import LOGO_AREA, FileContent, MediaFiles
from application.catalog.reads import GetBrand
from application.shared.clock import IdGenerator
from application.shared.context import CallContext
from application.shared.reads import GetOne
from application.shared.runner import CommandRunner
from application.shared.use_case import runs
from domain.catalog.brand import Brand
from domain.catalog.media import Rendition
from domain.shared.errors import NotFound


class BrandLogoService:
    def __init__(self, runner: CommandRunner, files: MediaFiles, ids: IdGenerator) -> None:
        self._runner = runner
        self._files = files
        self._ids = ids

    @runs(SetLogo)
    async def set_logo(
        self, ctx: CallContext, brand_id: UUID, source: BinaryIO, expected_version: int | None
    ) -> Brand:
        check = CheckLogoChange(brand_id, expected_version)
        await self._runner.query(ctx, check, CheckLogoChangeHandler())
        stored = await self._files.store_upload(
            ctx.tenant_id, LOGO_AREA, self._ids.new_id(), source, logo=True
        )
        handler = SetLogoHandler()
        try:
            brand = await self._runner.run(
                ctx, SetLogo(brand_id, stored, expected_version), handler
            )
        except BaseException:
            await self._files.discard(ctx.tenant_id, LOGO_AREA, stored)
            raise
        if handler.replaced is not None:
            await self._files.discard(ctx.tenant_id, LOGO_AREA, handler.replaced)
        return brand

    @runs(RemoveLogo)
    async def remove_logo(
        self, ctx: CallContext, brand_id: UUID, expected_version: int | None
    ) -> Brand:
        handler = RemoveLogoHandler()
        brand = await self._runner.run(ctx, RemoveLogo(brand_id, expected_version), handler)
        if handler.removed is not None:
            await self._files.discard(ctx.tenant_id, LOGO_AREA, handler.removed)
        return brand

    @runs(GetBrand)
    async def logo(self, ctx: CallContext, brand_id: UUID, rendition: Rendition) -> FileContent:
        brand = await self._runner.query(ctx, GetBrand(brand_id), GetOne(load_brand))
        if brand.logo is None:
            raise NotFound(entity="logo")
        return await self._files.content(ctx.tenant_id, LOGO_AREA, brand.logo, rendition)
