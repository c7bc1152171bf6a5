"""The category tree's facade (CAT-4): create, rename and move categories; read them."""

from __future__ import annotations

from uuid import UUID

from application.catalog.categories.change import (
    CategoryChanges,
    ChangeCategory,
    ChangeCategoryHandler,
)
from application.catalog.categories.create import CreateCategory, CreateCategoryHandler
from application.catalog.categories.queries import (
    GetCategory,
    GetCategoryHandler,
    ListCategories,
    ListCategoriesHandler,
)
from application.catalog.common import id_window
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.pagination import Page
from application.shared.runner import CommandRunner
from application.shared.use_case import runs
from domain.catalog.category import Category


class CategoryService:
    """``create``, ``change`` (rename and/or move) and ``get``, ``list_categories``."""

    def __init__(self, runner: CommandRunner, clock: Clock, ids: IdGenerator) -> None:
        self._runner = runner
        self._create = CreateCategoryHandler(clock, ids)
        self._change = ChangeCategoryHandler(clock)

    @runs(CreateCategory)
    async def create(self, ctx: CallContext, name: str, parent_id: UUID | None) -> Category:
        return await self._runner.run(ctx, CreateCategory(name, parent_id), self._create)

    @runs(ChangeCategory)
    async def change(
        self,
        ctx: CallContext,
        category_id: UUID,
        changes: CategoryChanges,
        expected_version: int | None,
    ) -> Category:
        command = ChangeCategory(category_id, changes, expected_version)
        return await self._runner.run(ctx, command, self._change)

    @runs(GetCategory)
    async def get(self, ctx: CallContext, category_id: UUID) -> Category:
        return await self._runner.query(ctx, GetCategory(category_id), GetCategoryHandler())

    @runs(ListCategories)
    async def list_categories(
        self, ctx: CallContext, cursor: str | None, limit: int | None
    ) -> Page[Category]:
        query = ListCategories(*id_window(cursor, limit))
        return await self._runner.query(ctx, query, ListCategoriesHandler())
