"""Create a category under a parent, or at the top (CAT-4)."""

from __future__ import annotations

from uuid import UUID

from application.catalog.categories.common import ENTITY, parent_path, snapshot
from application.catalog.ports.store import CATALOG
from application.shared.use_case import Command, Work
from domain.catalog.category import Category, closure_rows_for_new
from domain.catalog.permissions import CATALOG_WRITE
from domain.shared.events import DomainEvent


class CreateCategory(Command[Category], action="category.create", permission=CATALOG_WRITE):
    name: str
    parent_id: UUID | None


class CreateCategoryHandler:
    async def handle(self, command: CreateCategory, work: Work) -> Category:
        categories = work.uow.of(CATALOG).categories
        await categories.lock_tree()
        path = await parent_path(work.uow, command.parent_id)
        siblings = await categories.child_names(command.parent_id, None)
        category = Category.create(work.ids.new_id(), command.name, command.parent_id, siblings)
        await categories.add(category, closure_rows_for_new(category.id, path), work.clock.now())
        work.audit(category.id, {}, snapshot(category))
        work.emit(DomainEvent("category.created", ENTITY, category.id))
        return category
