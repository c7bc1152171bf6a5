"""Reading categories (CAT-4): the generic reads, declared for categories."""

from __future__ import annotations

from application.catalog.categories.common import ENTITY
from application.shared.reads import ById, InIdOrder
from domain.catalog.category import Category
from domain.catalog.permissions import CATALOG_READ


class GetCategory(ById[Category], entity=ENTITY, permission=CATALOG_READ):
    pass


class ListCategories(InIdOrder[Category], entity=ENTITY, permission=CATALOG_READ):
    pass
