"""Reading categories (CAT-4): the generic reads, declared for categories."""

from __future__ import annotations

from dataclasses import dataclass

from application.catalog.categories.common import ENTITY
from application.shared.reads import ById, InIdOrder
from domain.catalog.category import Category
from domain.catalog.permissions import CATALOG_READ


@dataclass(frozen=True)
class GetCategory(ById[Category], entity=ENTITY, permission=CATALOG_READ):
    pass


@dataclass(frozen=True)
class ListCategories(InIdOrder[Category], entity=ENTITY, permission=CATALOG_READ):
    pass
