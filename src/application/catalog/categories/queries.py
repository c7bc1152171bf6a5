"""Reading categories (CAT-4)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.catalog.categories.common import ENTITY, load_category
from application.catalog.common import id_page
from application.catalog.ports.store import CATALOG
from application.shared.pagination import Page
from application.shared.use_case import Query, Reading
from domain.catalog.category import Category
from domain.catalog.permissions import CATALOG_READ


@dataclass(frozen=True)
class GetCategory(Query[Category], entity=ENTITY, permission=CATALOG_READ):
    category_id: UUID


class GetCategoryHandler:
    async def handle(self, query: GetCategory, reading: Reading) -> Category:
        return await load_category(reading.uow, query.category_id)


@dataclass(frozen=True)
class ListCategories(Query[Page[Category]], entity=ENTITY, permission=CATALOG_READ):
    after: UUID | None
    size: int


class ListCategoriesHandler:
    async def handle(self, query: ListCategories, reading: Reading) -> Page[Category]:
        return await id_page(reading.uow.of(CATALOG).categories.page, query.after, query.size)
