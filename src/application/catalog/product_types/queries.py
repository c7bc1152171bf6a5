"""Reading product types (CAT-5): the generic reads, declared for product types."""

from __future__ import annotations

from dataclasses import dataclass

from application.shared.reads import ById, InIdOrder
from domain.catalog.permissions import CATALOG_READ
from domain.catalog.product_type import ENTITY, ProductType


@dataclass(frozen=True)
class GetProductType(ById[ProductType], entity=ENTITY, permission=CATALOG_READ):
    pass


@dataclass(frozen=True)
class ListProductTypes(InIdOrder[ProductType], entity=ENTITY, permission=CATALOG_READ):
    pass
