"""Create a category under a parent, or at the top (CAT-4)."""

from __future__ import annotations

from application.catalog.categories.common import ENTITY, parent_path, snapshot
from application.catalog.ports.store import CATALOG
from application.catalog.references import category_of
from application.shared.references import Reference, resolved_or_raise
from application.shared.use_case import Command, Work
from domain.catalog.category import Category, closure_rows_for_new
from domain.catalog.permissions import CATALOG_WRITE
from domain.shared.events import DomainEvent


class CreateCategory(Command[Category], action="category.create", permission=CATALOG_WRITE):
    name: str
    # an id (``parentId``), or the parent's path or its id as text (``parent``)
    parent_id: Reference | None


class CreateCategoryHandler:
    async def handle(self, command: CreateCategory, work: Work) -> Category:
        categories = work.uow.of(CATALOG).categories
        await categories.lock_tree()
        parent_id = command.parent_id
        if parent_id is not None:
            parent_id = await resolved_or_raise(work.uow, category_of, "parent", parent_id)
        path = await parent_path(work.uow, parent_id)
        siblings = await categories.child_names(parent_id, None)
        category = Category.create(work.ids.new_id(), command.name, parent_id, siblings)
        await categories.add(category, closure_rows_for_new(category.id, path), work.clock.now())
        work.audit(category.id, {}, snapshot(category))
        work.emit(DomainEvent("category.created", ENTITY, category.id))
        return category
