"""The categories, brands and product types an import creates when asked (CAT-2; #9 item
17; ``domain.catalog.import_references`` says which). Planned in memory with new ids, so
the file's rows resolve against them in the preview and the commit alike; written by the
commit in its transaction before the products, each with the audit record and event the
HTTP path writes for it. A name the catalog would refuse (too long, a reserved character)
is the error of the first row naming it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from application.catalog.categories.common import snapshot as category_snapshot
from application.catalog.ports.store import CATALOG
from application.catalog.product_types.common import snapshot as type_snapshot
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_case import Changes
from domain.catalog.brand import Brand
from domain.catalog.category import Category, category_path_key, closure_rows_for_new
from domain.catalog.checks import name_key
from domain.catalog.import_references import MissingReferences
from domain.catalog.product_type import ProductType
from domain.shared.errors import DomainError
from domain.shared.events import DomainEvent
from domain.shared.file_rows import RowError


@dataclass
class Creations:
    """What the import will create: each category with its ancestors' ids (root first),
    in creation order (parents first), the brands and the product types."""

    categories: list[tuple[Category, list[UUID]]] = field(default_factory=list)
    brands: list[Brand] = field(default_factory=list)
    product_types: list[ProductType] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def plan_creations(
    missing: MissingReferences,
    paths: dict[UUID, list[str]],
    new_id: Callable[[], UUID],
) -> Creations:
    """``paths``: every stored category's path of names, by id."""
    planned = Creations()
    known = {category_path_key(names): category_id for category_id, names in paths.items()}
    children: dict[UUID | None, list[str]] = {}  # the names under each parent (None: roots)
    for names in paths.values():
        parent = known.get(category_path_key(names[:-1])) if len(names) > 1 else None
        children.setdefault(parent, []).append(names[-1])
    for wanted, row in missing.category_paths:
        parent_id: UUID | None = None
        ancestors: list[UUID] = []
        for depth in range(1, len(wanted) + 1):
            key = category_path_key(wanted[:depth])
            if key in known:
                parent_id = known[key]
                ancestors = [*ancestors, parent_id]
                continue
            try:
                category = Category.create(
                    new_id(), wanted[depth - 1], parent_id, children.get(parent_id, [])
                )
            except DomainError as error:
                planned.errors.append(RowError(row, "category", error.code, error.params))
                break
            planned.categories.append((category, ancestors))
            children.setdefault(parent_id, []).append(category.name)
            known[key] = category.id
            parent_id, ancestors = category.id, [*ancestors, category.id]
    for name, row in missing.brands:
        try:
            planned.brands.append(Brand.create(new_id(), name))
        except DomainError as error:
            planned.errors.append(RowError(row, "brand", error.code, error.params))
    for name, row in missing.product_types:
        try:
            planned.product_types.append(ProductType.create(new_id(), name, []))
        except DomainError as error:
            planned.errors.append(RowError(row, "product_type", error.code, error.params))
    return planned


def created_lookups(
    creations: Creations, paths: dict[UUID, list[str]]
) -> tuple[dict[str, UUID], dict[str, UUID]]:
    """The path keys and brand name keys of what will be created, for the row lookups."""
    names = {cid: list(path) for cid, path in paths.items()}
    categories: dict[str, UUID] = {}
    for category, _ in creations.categories:
        parent = names.get(category.parent_id) if category.parent_id else []
        names[category.id] = [*(parent or []), category.name]
        categories[category_path_key(names[category.id])] = category.id
    brands = {name_key(b.name): b.id for b in creations.brands}
    return categories, brands


async def write_creations(
    uow: UnitOfWork, changes: Changes, creations: Creations, import_id: UUID, now: datetime
) -> None:
    """The commit's first writes: parents before children, each audited and announced
    under the import's actor, as ``CreateCategory``/``CreateBrand``/``CreateProductType``."""
    store = uow.of(CATALOG)
    detail = {"import": str(import_id)}
    if creations.categories:
        await store.categories.lock_tree()
    for category, ancestors in creations.categories:
        await store.categories.add(category, closure_rows_for_new(category.id, ancestors), now)
        changes.audit(
            category.id,
            {},
            category_snapshot(category),
            detail=detail,
            action="category.create",
            entity="category",
        )
        changes.emit(DomainEvent("category.created", "category", category.id))
    for brand in creations.brands:
        await store.brands.add(brand, now)
        changes.audit(
            brand.id, {}, {"name": brand.name}, detail=detail, action="brand.create", entity="brand"
        )
        changes.publish(brand)
    for product_type in creations.product_types:
        await store.product_types.add(product_type, now)
        changes.audit(
            product_type.id,
            {},
            type_snapshot(product_type),
            detail=detail,
            action="product_type.create",
            entity="product_type",
        )
        changes.publish(product_type)
