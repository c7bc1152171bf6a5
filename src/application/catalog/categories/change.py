"""Rename and/or move a category (CAT-4): one version per command; no change, no write."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.catalog.categories.common import ENTITY, load_category, parent_path, snapshot
from application.catalog.common import KEEP, Keep
from application.catalog.ports.store import CATALOG
from application.catalog.references import category_of
from application.shared.references import Reference, resolved_or_raise
from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from domain.catalog.category import Category, ClosureChange, closure_change_for_move
from domain.catalog.permissions import CATALOG_WRITE
from domain.shared.events import DomainEvent


@dataclass(frozen=True)
class CategoryChanges:
    name: str | Keep = KEEP
    # None: move to the top; an id (``parentId``), or a path or an id as text (``parent``)
    parent_id: Reference | Keep | None = KEEP


class ChangeCategory(Command[Category], action="category.update", permission=CATALOG_WRITE):
    category_id: UUID
    changes: CategoryChanges
    expected_version: int | None


class ChangeCategoryHandler:
    async def handle(self, command: ChangeCategory, work: Work) -> Category:
        uow, changes = work.uow, command.changes
        categories = uow.of(CATALOG).categories
        await categories.lock_tree()  # before any path is read
        category = await load_category(uow, command.category_id)
        check_version(command.expected_version, category.version)
        before, read_version = snapshot(category), category.version
        old_parent = category.parent_id
        moved = False
        closure: ClosureChange | None = None
        if not isinstance(changes.parent_id, Keep):
            new_parent = changes.parent_id
            if new_parent is not None:
                new_parent = await resolved_or_raise(uow, category_of, "parent", new_parent)
            new_path = await parent_path(uow, new_parent)
            siblings = await categories.child_names(new_parent, category.id)
            moved = category.move(new_parent, new_path, siblings)
            if moved:
                old_path = await parent_path(uow, old_parent)
                subtree = await categories.subtree(category.id)
                closure = closure_change_for_move(category.id, old_path, new_path, subtree)
        renamed = False
        if not isinstance(changes.name, Keep):
            siblings = await categories.child_names(category.parent_id, category.id)
            renamed = category.rename(changes.name, siblings)
        if not (moved or renamed):
            return category  # nothing changed: no write, no version, nothing recorded
        category.version = read_version + 1  # one version per command
        await categories.save(category, read_version, work.clock.now())
        if closure is not None:
            await categories.apply_closure(closure)
        after = snapshot(category)
        work.audit(category.id, before, after, detail={"version": category.version})
        changed = tuple(k for k in after if after[k] != before[k])
        work.emit(DomainEvent("category.updated", ENTITY, category.id, changed_fields=changed))
        return category
