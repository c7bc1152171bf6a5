"""Reading product types (CAT-5): the generic reads, declared for product types."""

from __future__ import annotations

from application.shared.reads import ById, InIdOrder
from domain.catalog.permissions import CATALOG_READ
from domain.catalog.product_type import ENTITY, ProductType


class GetProductType(ById[ProductType], entity=ENTITY, permission=CATALOG_READ):
    pass


class ListProductTypes(InIdOrder[ProductType], entity=ENTITY, permission=CATALOG_READ):
    pass
