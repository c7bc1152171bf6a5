"""Reading brands (CAT-6): the generic reads, declared for brands."""

from __future__ import annotations

from dataclasses import dataclass

from application.shared.reads import ById, InIdOrder
from domain.catalog.brand import ENTITY, Brand
from domain.catalog.permissions import CATALOG_READ


@dataclass(frozen=True)
class GetBrand(ById[Brand], entity=ENTITY, permission=CATALOG_READ):
    pass


@dataclass(frozen=True)
class ListBrands(InIdOrder[Brand], entity=ENTITY, permission=CATALOG_READ):
    pass
