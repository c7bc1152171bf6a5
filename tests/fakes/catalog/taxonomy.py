"""Fake category tree (with its closure rows), brands and product types."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from domain.catalog.brand import Brand
from domain.catalog.category import Category, ClosureChange, ClosureRow
from domain.catalog.checks import name_key
from domain.catalog.product_type import ProductType
from domain.shared.errors import Conflict
from tests.fakes.catalog.tables import CatalogTables, check_version, fresh, id_page


class FakeCategoryRepository:
    def __init__(self, tables: CatalogTables) -> None:
        self._t = tables

    async def lock_tree(self) -> None:
        """Nothing to serialise: the fake runs one unit of work at a time."""

    async def get(self, category_id: UUID) -> Category | None:
        found = self._t.categories.get(category_id)
        return fresh(found) if found else None

    async def path(self, category_id: UUID) -> list[UUID]:
        rows = [r for r in self._t.closure if r.descendant_id == category_id]
        return [r.ancestor_id for r in sorted(rows, key=lambda r: -r.depth)]

    async def subtree(self, category_id: UUID) -> dict[UUID, int]:
        return {r.descendant_id: r.depth for r in self._t.closure if r.ancestor_id == category_id}

    async def child_names(self, parent_id: UUID | None, excluding: UUID | None) -> list[str]:
        return [
            c.name
            for c in self._t.categories.values()
            if c.parent_id == parent_id and c.id != excluding
        ]

    async def add(self, category: Category, closure: frozenset[ClosureRow], at: datetime) -> None:
        assert category.id not in self._t.categories, "duplicate primary key"
        self._t.categories[category.id] = fresh(category)
        self._t.closure |= closure

    async def save(self, category: Category, expected_version: int, at: datetime) -> None:
        stored = self._t.categories.get(category.id)
        check_version(stored.version if stored else None, expected_version)
        self._t.categories[category.id] = fresh(category)

    async def apply_closure(self, change: ClosureChange) -> None:
        self._t.closure = {
            r for r in self._t.closure if (r.ancestor_id, r.descendant_id) not in change.deleted
        } | change.inserted

    async def page(self, after: UUID | None, limit: int) -> list[Category]:
        return id_page(self._t.categories.values(), lambda c: c.id, after, limit)


class FakeBrandRepository:
    def __init__(self, tables: CatalogTables) -> None:
        self._t = tables

    async def get(self, brand_id: UUID) -> Brand | None:
        found = self._t.brands.get(brand_id)
        return fresh(found) if found else None

    async def by_name(self, name: str) -> Brand | None:
        key = name_key(name)
        found = next((b for b in self._t.brands.values() if name_key(b.name) == key), None)
        return fresh(found) if found else None

    async def add(self, brand: Brand, at: datetime) -> None:
        self._write(brand)

    async def save(self, brand: Brand, expected_version: int, at: datetime) -> None:
        stored = self._t.brands.get(brand.id)
        check_version(stored.version if stored else None, expected_version)
        self._write(brand)

    def _write(self, brand: Brand) -> None:
        if any(
            b.id != brand.id and name_key(b.name) == name_key(brand.name)
            for b in self._t.brands.values()
        ):
            raise Conflict("brand_name_taken", name=brand.name)
        self._t.brands[brand.id] = fresh(brand)

    async def page(self, after: UUID | None, limit: int) -> list[Brand]:
        return id_page(self._t.brands.values(), lambda b: b.id, after, limit)


class FakeProductTypeRepository:
    def __init__(self, tables: CatalogTables) -> None:
        self._t = tables

    async def get(self, type_id: UUID) -> ProductType | None:
        found = self._t.product_types.get(type_id)
        return fresh(found) if found else None

    async def add(self, product_type: ProductType, at: datetime) -> None:
        self._write(product_type)

    async def save(self, product_type: ProductType, expected_version: int, at: datetime) -> None:
        stored = self._t.product_types.get(product_type.id)
        check_version(stored.version if stored else None, expected_version)
        self._write(product_type)

    def _write(self, product_type: ProductType) -> None:
        if any(
            t.id != product_type.id and name_key(t.name) == name_key(product_type.name)
            for t in self._t.product_types.values()
        ):
            raise Conflict("product_type_name_taken", name=product_type.name)
        self._t.product_types[product_type.id] = fresh(product_type)

    async def page(self, after: UUID | None, limit: int) -> list[ProductType]:
        return id_page(self._t.product_types.values(), lambda t: t.id, after, limit)
