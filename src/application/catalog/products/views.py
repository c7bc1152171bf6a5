"""What a reader sees of a product and of its versions: costs only with read_cost."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from application.shared.use_case import Reading
from domain.catalog.permissions import CATALOG_READ_COST
from domain.catalog.product import Product, Sku
from domain.catalog.versions import ProductVersion, redact_costs
from domain.shared.audit import AuditChange

VERSION_ENTITY = "product_version"


@dataclass(frozen=True)
class ProductView:
    product: Product
    cost_hidden: bool

    @property
    def skus(self) -> tuple[Sku, ...]:
        if not self.cost_hidden:
            return self.product.skus
        return tuple(replace(s, cost=None) for s in self.product.skus)


@dataclass(frozen=True)
class VersionView:
    number: int
    actor: str
    at: datetime
    changes: tuple[AuditChange, ...]  # costs redacted without catalog:read_cost
    restored_from: int | None


def view(reader: Reading, product: Product) -> ProductView:
    return ProductView(product, not reader.allows(CATALOG_READ_COST))


def version_view(reader: Reading, version: ProductVersion) -> VersionView:
    changes = version.changes
    if not reader.allows(CATALOG_READ_COST):
        changes = redact_costs(changes)
    return VersionView(version.number, version.actor, version.at, changes, version.restored_from)
