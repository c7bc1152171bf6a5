"""The category tree (CAT-4): create, rename and move categories; read them.

Every tree change takes the tenant's tree lock (``CategoryRepository.lock_tree``) before
reading any ancestor path, then reads the paths and the subtree from the closure table,
lets the domain check names and cycles and compute the closure rows, and applies them in
the same transaction, with the audit record and the outbox event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final
from uuid import UUID

from application.catalog.common import id_after, id_page
from application.catalog.ports.store import CATALOG
from application.shared.access_policy import AccessPolicy
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.pagination import Page, clamp_limit
from application.shared.runner import CommandRunner
from application.shared.unit_of_work import UnitOfWork
from application.shared.versions import check_version
from domain.catalog.category import (
    Category,
    ClosureChange,
    closure_change_for_move,
    closure_rows_for_new,
)
from domain.catalog.permissions import CATALOG_READ, CATALOG_WRITE
from domain.shared.audit import AuditEntry, diff
from domain.shared.errors import NotFound, ValidationFailed
from domain.shared.events import DomainEvent

ENTITY = "category"


class _Keep:
    """A field the caller leaves as it is (absent from a PATCH)."""


KEEP: Final = _Keep()


@dataclass(frozen=True)
class CategoryChanges:
    name: str | _Keep = KEEP
    parent_id: UUID | _Keep | None = KEEP  # None: move to the top


def _snapshot(category: Category) -> dict[str, object]:
    parent = category.parent_id
    return {"name": category.name, "parentId": str(parent) if parent else None}


async def _parent_path(uow: UnitOfWork, parent_id: UUID | None) -> list[UUID]:
    if parent_id is None:
        return []
    path = await uow.of(CATALOG).categories.path(parent_id)
    if not path:
        raise ValidationFailed.single("parentId", "unknown_category", path=str(parent_id))
    return path


async def _load(uow: UnitOfWork, category_id: UUID) -> Category:
    category = await uow.of(CATALOG).categories.get(category_id)
    if category is None:
        raise NotFound(entity=ENTITY)
    return category


class CategoryService:
    """``create``, ``change`` (rename and/or move) and ``get``, ``list_categories``."""

    def __init__(
        self, runner: CommandRunner, access: AccessPolicy, clock: Clock, ids: IdGenerator
    ) -> None:
        self._runner = runner
        self._access = access
        self._clock = clock
        self._ids = ids

    async def create(self, ctx: CallContext, name: str, parent_id: UUID | None) -> Category:
        async def command(uow: UnitOfWork) -> Category:
            self._access.require(ctx, CATALOG_WRITE)
            await uow.of(CATALOG).categories.lock_tree()
            parent_path = await _parent_path(uow, parent_id)
            siblings = await uow.of(CATALOG).categories.child_names(parent_id, None)
            category = Category.create(self._ids.new_id(), name, parent_id, siblings)
            await uow.of(CATALOG).categories.add(
                category, closure_rows_for_new(category.id, parent_path), self._clock.now()
            )
            await uow.audit.record(
                AuditEntry(
                    "category.create",
                    ENTITY,
                    category.id,
                    changes=diff({}, _snapshot(category)),
                )
            )
            await uow.outbox.add(DomainEvent("category.created", ENTITY, category.id))
            return category

        return await self._runner.run(ctx, "category.create", ENTITY, command)

    async def change(
        self,
        ctx: CallContext,
        category_id: UUID,
        changes: CategoryChanges,
        expected_version: int | None,
    ) -> Category:
        async def command(uow: UnitOfWork) -> Category:
            self._access.require(ctx, CATALOG_WRITE)
            await uow.of(CATALOG).categories.lock_tree()  # before any path is read
            category = await _load(uow, category_id)
            check_version(expected_version, category.version)
            before, read_version = _snapshot(category), category.version
            old_parent = category.parent_id
            moved = False
            closure: ClosureChange | None = None
            if not isinstance(changes.parent_id, _Keep):
                new_parent = changes.parent_id
                new_path = await _parent_path(uow, new_parent)
                siblings = await uow.of(CATALOG).categories.child_names(new_parent, category.id)
                moved = category.move(new_parent, new_path, siblings)
                if moved:
                    old_path = await _parent_path(uow, old_parent)
                    subtree = await uow.of(CATALOG).categories.subtree(category.id)
                    closure = closure_change_for_move(category.id, old_path, new_path, subtree)
            renamed = False
            if not isinstance(changes.name, _Keep):
                siblings = await uow.of(CATALOG).categories.child_names(
                    category.parent_id, category.id
                )
                renamed = category.rename(changes.name, siblings)
            if not (moved or renamed):
                return category  # nothing changed: no write, no version, nothing recorded
            category.version = read_version + 1  # one version per command
            await uow.of(CATALOG).categories.save(category, read_version, self._clock.now())
            if closure is not None:
                await uow.of(CATALOG).categories.apply_closure(closure)
            after = _snapshot(category)
            await uow.audit.record(
                AuditEntry(
                    "category.update",
                    ENTITY,
                    category.id,
                    changes=diff(before, after),
                    detail={"version": category.version},
                )
            )
            changed = tuple(k for k in after if after[k] != before[k])
            await uow.outbox.add(
                DomainEvent("category.updated", ENTITY, category.id, changed_fields=changed)
            )
            return category

        return await self._runner.run(
            ctx, "category.update", ENTITY, command, entity_id=category_id
        )

    async def get(self, ctx: CallContext, category_id: UUID) -> Category:
        async def read(uow: UnitOfWork) -> Category:
            self._access.require(ctx, CATALOG_READ)
            return await _load(uow, category_id)

        return await self._runner.query(ctx, read)

    async def list_categories(
        self, ctx: CallContext, cursor: str | None, limit: int | None
    ) -> Page[Category]:
        size, after = clamp_limit(limit), id_after(cursor)

        async def read(uow: UnitOfWork) -> Page[Category]:
            self._access.require(ctx, CATALOG_READ)
            return await id_page(uow.of(CATALOG).categories.page, after, size)

        return await self._runner.query(ctx, read)
