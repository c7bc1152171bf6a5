"""The products facade (CAT-1, CAT-4, CAT-8, CAT-11, CAT-12): builds each use case's
command or query and hands it to the runner."""

from __future__ import annotations

from uuid import UUID

from application.catalog.common import id_window
from application.catalog.ports.repositories import ProductFilters, ProductSort
from application.catalog.products.archive import ArchiveProduct, ArchiveProductHandler
from application.catalog.products.create import CreateProduct, CreateProductHandler
from application.catalog.products.inputs import ProductData
from application.catalog.products.queries import (
    DiffVersions,
    DiffVersionsHandler,
    GetProduct,
    GetProductHandler,
    ListProducts,
    ListProductsHandler,
    ListVersions,
    ListVersionsHandler,
    ProductsInCategory,
    ProductsInCategoryHandler,
    SearchProducts,
    SearchProductsHandler,
    number_after,
)
from application.catalog.products.restore import RestoreProduct, RestoreProductHandler
from application.catalog.products.revise import ReviseProduct, ReviseProductHandler
from application.catalog.products.views import ProductView, VersionView
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.pagination import Page, clamp_limit
from application.shared.runner import CommandRunner
from application.shared.use_case import runs
from domain.shared.audit import AuditChange


class ProductService:
    """``create``, ``revise``, ``archive``, ``restore`` and ``get``, ``list_products``,
    ``in_category``, ``search``, ``list_versions``, ``diff``."""

    def __init__(self, runner: CommandRunner, clock: Clock, ids: IdGenerator) -> None:
        self._runner = runner
        self._create = CreateProductHandler(clock, ids)
        self._revise = ReviseProductHandler(clock, ids)
        self._archive = ArchiveProductHandler(clock)
        self._restore = RestoreProductHandler(clock)

    @runs(CreateProduct)
    async def create(self, ctx: CallContext, code: str, data: ProductData) -> ProductView:
        return await self._runner.run(ctx, CreateProduct(code, data), self._create)

    @runs(ReviseProduct)
    async def revise(
        self, ctx: CallContext, product_id: UUID, data: ProductData, expected_version: int | None
    ) -> ProductView:
        command = ReviseProduct(product_id, data, expected_version)
        return await self._runner.run(ctx, command, self._revise)

    @runs(ArchiveProduct)
    async def archive(
        self, ctx: CallContext, product_id: UUID, expected_version: int | None
    ) -> None:
        await self._runner.run(ctx, ArchiveProduct(product_id, expected_version), self._archive)

    @runs(RestoreProduct)
    async def restore(
        self, ctx: CallContext, product_id: UUID, number: int, expected_version: int | None
    ) -> ProductView:
        command = RestoreProduct(product_id, number, expected_version)
        return await self._runner.run(ctx, command, self._restore)

    @runs(ListVersions)
    async def list_versions(
        self, ctx: CallContext, product_id: UUID, cursor: str | None, limit: int | None
    ) -> Page[VersionView]:
        size, after = clamp_limit(limit), number_after(cursor)
        query = ListVersions(product_id, after, size)
        return await self._runner.query(ctx, query, ListVersionsHandler())

    @runs(DiffVersions)
    async def diff(
        self, ctx: CallContext, product_id: UUID, older: int, newer: int
    ) -> tuple[AuditChange, ...]:
        query = DiffVersions(product_id, older, newer)
        return await self._runner.query(ctx, query, DiffVersionsHandler())

    @runs(GetProduct)
    async def get(self, ctx: CallContext, product_id: UUID) -> ProductView:
        return await self._runner.query(ctx, GetProduct(product_id), GetProductHandler())

    @runs(ListProducts)
    async def list_products(
        self, ctx: CallContext, cursor: str | None, limit: int | None
    ) -> Page[ProductView]:
        query = ListProducts(*id_window(cursor, limit))
        return await self._runner.query(ctx, query, ListProductsHandler())

    @runs(ProductsInCategory)
    async def in_category(
        self, ctx: CallContext, category_id: UUID, cursor: str | None, limit: int | None
    ) -> Page[ProductView]:
        query = ProductsInCategory(category_id, *id_window(cursor, limit))
        return await self._runner.query(ctx, query, ProductsInCategoryHandler())

    @runs(SearchProducts)
    async def search(
        self,
        ctx: CallContext,
        query: str | None,
        filters: ProductFilters,
        cursor: str | None,
        limit: int | None,
        sort: str = ProductSort.CREATED,
    ) -> Page[ProductView]:
        search = SearchProducts.of(query, filters, cursor, limit, sort)
        return await self._runner.query(ctx, search, SearchProductsHandler())
