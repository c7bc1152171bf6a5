"""The category tree in Postgres: ``categories`` and its ``category_closure`` (CAT-4).

``lock_tree`` takes ``pg_advisory_xact_lock(TREE_LOCK_CLASS, hashtext(tenant_id))``: one
lock per tenant's tree, released when the transaction ends. Every tree change takes it
before reading any ancestor path (docs/catalog.md, "Category moves").
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import func, insert, select, text

from adapters.postgres.catalog.named import changed_named_row, new_named_row
from adapters.postgres.catalog.tables import categories, category_closure
from adapters.postgres.shared.rows import AnyRow, TenantRepository, one_updated
from domain.catalog.category import Category, ClosureChange, ClosureRow

# The advisory lock's class id (first key): "CAT4" as a 32-bit integer.
TREE_LOCK_CLASS = 0x43415434

_READ = select(categories.c.id, categories.c.name, categories.c.parent_id, categories.c.version)


def _category(row: AnyRow) -> Category:
    return Category(row.id, row.name, row.parent_id, row.version)


class PostgresCategoryRepository(TenantRepository):
    async def lock_tree(self) -> None:
        await self._conn.execute(
            select(func.pg_advisory_xact_lock(TREE_LOCK_CLASS, func.hashtext(str(self._tenant_id))))
        )

    async def get(self, category_id: UUID) -> Category | None:
        row = await self._first(_READ.where(self._row_of(categories, category_id)))
        return _category(row) if row else None

    async def path(self, category_id: UUID) -> list[UUID]:
        rows = await self._conn.execute(
            select(category_closure.c.ancestor_id)
            .where(
                category_closure.c.tenant_id == self._tenant_id,
                category_closure.c.descendant_id == category_id,
            )
            .order_by(category_closure.c.depth.desc())
        )
        return [r.ancestor_id for r in rows]

    async def subtree(self, category_id: UUID) -> dict[UUID, int]:
        rows = await self._conn.execute(
            select(category_closure.c.descendant_id, category_closure.c.depth).where(
                category_closure.c.tenant_id == self._tenant_id,
                category_closure.c.ancestor_id == category_id,
            )
        )
        return {r.descendant_id: r.depth for r in rows}

    async def child_names(self, parent_id: UUID | None, excluding: UUID | None) -> list[str]:
        rows = await self._conn.execute(
            select(categories.c.name).where(
                categories.c.tenant_id == self._tenant_id,
                categories.c.parent_id.is_not_distinct_from(parent_id),
                categories.c.id.is_distinct_from(excluding),
            )
        )
        return [r.name for r in rows]

    async def add(self, category: Category, closure: frozenset[ClosureRow], at: datetime) -> None:
        await self._conn.execute(
            insert(categories).values(
                tenant_id=self._tenant_id,
                parent_id=category.parent_id,
                **new_named_row(category, at),
            )
        )
        await self._insert_closure(closure)

    async def save(self, category: Category, expected_version: int, at: datetime) -> None:
        updated = await self._conn.execute(
            self._at_version(categories, category.id, expected_version).values(
                parent_id=category.parent_id, **changed_named_row(category, at)
            )
        )
        one_updated(updated.rowcount, expected_version)

    async def apply_closure(self, change: ClosureChange) -> None:
        if change.deleted:
            # Hand-written: a subtree move deletes its rows by the thousand; one statement
            # over two arrays (unnest) whatever their number, not a parameter per value.
            ancestors, descendants = zip(*sorted(change.deleted), strict=True)
            await self._conn.execute(
                text(
                    "DELETE FROM category_closure c"
                    " USING unnest(CAST(:ancestors AS uuid[]), CAST(:descendants AS uuid[]))"
                    " AS d(ancestor_id, descendant_id)"
                    " WHERE c.tenant_id = :tenant_id AND c.ancestor_id = d.ancestor_id"
                    " AND c.descendant_id = d.descendant_id"
                ),
                {
                    "tenant_id": self._tenant_id,
                    "ancestors": list(ancestors),
                    "descendants": list(descendants),
                },
            )
        await self._insert_closure(change.inserted)

    async def _insert_closure(self, rows: frozenset[ClosureRow]) -> None:
        if not rows:
            return
        ordered = sorted(rows, key=lambda r: (r.depth, str(r.ancestor_id), str(r.descendant_id)))
        await self._conn.execute(
            insert(category_closure),
            [
                {
                    "tenant_id": self._tenant_id,
                    "ancestor_id": r.ancestor_id,
                    "descendant_id": r.descendant_id,
                    "depth": r.depth,
                }
                for r in ordered
            ],
        )

    async def page(self, after: UUID | None, limit: int) -> list[Category]:
        query = _READ.where(categories.c.tenant_id == self._tenant_id)
        if after is not None:
            query = query.where(categories.c.id > after)
        rows = await self._conn.execute(query.order_by(categories.c.id).limit(limit))
        return [_category(r) for r in rows]
