"""Steps the category use cases share.

Every tree change takes the tenant's tree lock (``CategoryRepository.lock_tree``) before
reading any ancestor path, then reads the paths and the subtree from the closure table,
lets the domain check names and cycles and compute the closure rows, and applies them in
the same transaction, with the audit record and the outbox event.
"""

from __future__ import annotations

from uuid import UUID

from application.catalog.ports.store import CATALOG
from application.shared.unit_of_work import UnitOfWork
from domain.catalog.category import Category
from domain.shared.errors import NotFound, ValidationFailed

ENTITY = "category"


def snapshot(category: Category) -> dict[str, object]:
    parent = category.parent_id
    return {"name": category.name, "parentId": str(parent) if parent else None}


async def parent_path(uow: UnitOfWork, parent_id: UUID | None) -> list[UUID]:
    if parent_id is None:
        return []
    path = await uow.of(CATALOG).categories.path(parent_id)
    if not path:
        raise ValidationFailed.single("parentId", "unknown_category", path=str(parent_id))
    return path


async def load_category(uow: UnitOfWork, category_id: UUID) -> Category:
    category = await uow.of(CATALOG).categories.get(category_id)
    if category is None:
        raise NotFound(entity=ENTITY)
    return category
