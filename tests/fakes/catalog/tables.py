"""One tenant's catalog tables and the reading rules every fake repository shares."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar
from uuid import UUID

from application.catalog.ports.channels import StoredMemberPrice, StoredPromotion, TierSettings
from application.catalog.ports.files import ExportRecord, ImportRecord
from domain.catalog.brand import Brand
from domain.catalog.category import Category, ClosureRow
from domain.catalog.channel import Listing, SalesChannel
from domain.catalog.media import ProductMedia
from domain.catalog.product import Product
from domain.catalog.product_type import ProductType
from domain.catalog.related import RelationKind
from domain.catalog.versions import ProductVersion
from domain.shared.errors import StaleVersion

E = TypeVar("E")


def fresh(entity: E) -> E:
    """A copy with no pending events: what a row reads back as."""
    clone = copy.deepcopy(entity)
    events = getattr(clone, "events", None)
    if isinstance(events, list):
        events.clear()
    return clone


def id_page(rows: Iterable[E], key: Callable[[E], UUID], after: UUID | None, limit: int) -> list[E]:
    """Rows in id order after ``after`` (how every ``page`` of the adapters reads)."""
    ordered = sorted(rows, key=key)
    return [fresh(r) for r in ordered if after is None or key(r) > after][:limit]


def check_version(stored: int | None, expected: int) -> None:
    """The adapters' ``UPDATE … WHERE version = :expected``: no row, no update."""
    if stored != expected:
        raise StaleVersion(expected=expected)


@dataclass
class CatalogTables:
    """One tenant's catalog tables."""

    categories: dict[UUID, Category] = field(default_factory=dict)
    closure: set[ClosureRow] = field(default_factory=set)
    brands: dict[UUID, Brand] = field(default_factory=dict)
    product_types: dict[UUID, ProductType] = field(default_factory=dict)
    products: dict[UUID, Product] = field(default_factory=dict)
    versions: dict[tuple[UUID, int], ProductVersion] = field(default_factory=dict)
    search_terms: dict[UUID, frozenset[str]] = field(default_factory=dict)
    channels: dict[UUID, SalesChannel] = field(default_factory=dict)
    listings: dict[tuple[UUID, UUID], Listing] = field(default_factory=dict)
    tiers: TierSettings = field(default_factory=lambda: TierSettings((), 0))
    member_prices: dict[UUID, StoredMemberPrice] = field(default_factory=dict)
    promotions: dict[UUID, StoredPromotion] = field(default_factory=dict)
    media: dict[UUID, ProductMedia] = field(default_factory=dict)
    related: dict[tuple[UUID, RelationKind], tuple[UUID, ...]] = field(default_factory=dict)
    imports: dict[UUID, ImportRecord] = field(default_factory=dict)
    exports: dict[UUID, ExportRecord] = field(default_factory=dict)

    def copy(self) -> CatalogTables:
        return copy.deepcopy(self)
