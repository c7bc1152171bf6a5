"""The category tree in Postgres: ``categories`` and its ``category_closure`` (CAT-4).

``lock_tree`` takes ``pg_advisory_xact_lock(TREE_LOCK_CLASS, hashtext(tenant_id))``: one
lock per tenant's tree, released when the transaction ends. Every tree change takes it
before reading any ancestor path (docs/catalog.md, "Category moves").
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.catalog.category import Category, ClosureChange, ClosureRow
from domain.catalog.checks import name_key
from domain.shared.errors import StaleVersion

# The advisory lock's class id (first key): "CAT4" as a 32-bit integer.
TREE_LOCK_CLASS = 0x43415434


def _category(row: Row[Any]) -> Category:
    return Category(row.id, row.name, row.parent_id, row.version)


class PostgresCategoryRepository:
    def __init__(self, conn: AsyncConnection, tenant_id: UUID) -> None:
        self._conn = conn
        self._tenant_id = tenant_id

    async def lock_tree(self) -> None:
        await self._conn.execute(
            text("SELECT pg_advisory_xact_lock(:lock_class, hashtext(:tenant))"),
            {"lock_class": TREE_LOCK_CLASS, "tenant": str(self._tenant_id)},
        )

    async def get(self, category_id: UUID) -> Category | None:
        row = (
            await self._conn.execute(
                text(
                    "SELECT id, name, parent_id, version FROM categories"
                    " WHERE tenant_id = :tenant_id AND id = :id"
                ),
                {"tenant_id": self._tenant_id, "id": category_id},
            )
        ).first()
        return _category(row) if row else None

    async def path(self, category_id: UUID) -> list[UUID]:
        rows = await self._conn.execute(
            text(
                "SELECT ancestor_id FROM category_closure"
                " WHERE tenant_id = :tenant_id AND descendant_id = :id ORDER BY depth DESC"
            ),
            {"tenant_id": self._tenant_id, "id": category_id},
        )
        return [r.ancestor_id for r in rows]

    async def subtree(self, category_id: UUID) -> dict[UUID, int]:
        rows = await self._conn.execute(
            text(
                "SELECT descendant_id, depth FROM category_closure"
                " WHERE tenant_id = :tenant_id AND ancestor_id = :id"
            ),
            {"tenant_id": self._tenant_id, "id": category_id},
        )
        return {r.descendant_id: r.depth for r in rows}

    async def child_names(self, parent_id: UUID | None, excluding: UUID | None) -> list[str]:
        rows = await self._conn.execute(
            text(
                "SELECT name FROM categories WHERE tenant_id = :tenant_id"
                " AND parent_id IS NOT DISTINCT FROM CAST(:parent AS uuid)"
                " AND id IS DISTINCT FROM CAST(:excluding AS uuid)"
            ),
            {"tenant_id": self._tenant_id, "parent": parent_id, "excluding": excluding},
        )
        return [r.name for r in rows]

    async def add(self, category: Category, closure: frozenset[ClosureRow], at: datetime) -> None:
        await self._conn.execute(
            text(
                "INSERT INTO categories (tenant_id, id, parent_id, name, name_key, version,"
                " created_at, updated_at)"
                " VALUES (:tenant_id, :id, :parent_id, :name, :name_key, :version, :at, :at)"
            ),
            {
                "tenant_id": self._tenant_id,
                "id": category.id,
                "parent_id": category.parent_id,
                "name": category.name,
                "name_key": name_key(category.name),
                "version": category.version,
                "at": at,
            },
        )
        await self._insert_closure(closure)

    async def save(self, category: Category, expected_version: int, at: datetime) -> None:
        updated = await self._conn.execute(
            text(
                "UPDATE categories SET name = :name, name_key = :name_key,"
                " parent_id = :parent_id, version = :version, updated_at = :at"
                " WHERE tenant_id = :tenant_id AND id = :id AND version = :expected_version"
            ),
            {
                "tenant_id": self._tenant_id,
                "id": category.id,
                "parent_id": category.parent_id,
                "name": category.name,
                "name_key": name_key(category.name),
                "version": category.version,
                "at": at,
                "expected_version": expected_version,
            },
        )
        if updated.rowcount != 1:
            raise StaleVersion(expected=expected_version)

    async def apply_closure(self, change: ClosureChange) -> None:
        if change.deleted:
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
            text(
                "INSERT INTO category_closure (tenant_id, ancestor_id, descendant_id, depth)"
                " SELECT :tenant_id, a, d, n FROM unnest(CAST(:ancestors AS uuid[]),"
                " CAST(:descendants AS uuid[]), CAST(:depths AS integer[])) AS r(a, d, n)"
            ),
            {
                "tenant_id": self._tenant_id,
                "ancestors": [r.ancestor_id for r in ordered],
                "descendants": [r.descendant_id for r in ordered],
                "depths": [r.depth for r in ordered],
            },
        )

    async def page(self, after: UUID | None, limit: int) -> list[Category]:
        rows = await self._conn.execute(
            text(
                "SELECT id, name, parent_id, version FROM categories"
                " WHERE tenant_id = :tenant_id"
                " AND (CAST(:after AS uuid) IS NULL OR id > CAST(:after AS uuid))"
                " ORDER BY id LIMIT :limit"
            ),
            {"tenant_id": self._tenant_id, "after": after, "limit": limit},
        )
        return [_category(r) for r in rows]
