"""The brands facade (CAT-6): create, rename, read. Logos: ``catalog.brand_logos``."""

from __future__ import annotations

from uuid import UUID

from application.catalog.brands.create import CreateBrand, CreateBrandHandler
from application.catalog.brands.queries import (
    GetBrand,
    GetBrandHandler,
    ListBrands,
    ListBrandsHandler,
)
from application.catalog.brands.rename import RenameBrand, RenameBrandHandler
from application.catalog.common import id_window
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.pagination import Page
from application.shared.runner import CommandRunner
from application.shared.use_case import runs
from domain.catalog.brand import Brand


class BrandService:
    """``create``, ``rename`` and ``get``, ``list_brands``."""

    def __init__(self, runner: CommandRunner, clock: Clock, ids: IdGenerator) -> None:
        self._runner = runner
        self._create = CreateBrandHandler(clock, ids)
        self._rename = RenameBrandHandler(clock)

    @runs(CreateBrand)
    async def create(self, ctx: CallContext, name: str) -> Brand:
        return await self._runner.run(ctx, CreateBrand(name), self._create)

    @runs(RenameBrand)
    async def rename(
        self, ctx: CallContext, brand_id: UUID, name: str, expected_version: int | None
    ) -> Brand:
        command = RenameBrand(brand_id, name, expected_version)
        return await self._runner.run(ctx, command, self._rename)

    @runs(GetBrand)
    async def get(self, ctx: CallContext, brand_id: UUID) -> Brand:
        return await self._runner.query(ctx, GetBrand(brand_id), GetBrandHandler())

    @runs(ListBrands)
    async def list_brands(
        self, ctx: CallContext, cursor: str | None, limit: int | None
    ) -> Page[Brand]:
        query = ListBrands(*id_window(cursor, limit))
        return await self._runner.query(ctx, query, ListBrandsHandler())
