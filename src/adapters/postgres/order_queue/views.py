"""Saved views of the work queue in Postgres (ORD-8)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import delete, or_, select

from adapters.postgres.order_queue.tables import order_views
from adapters.postgres.shared.rows import AnyRow, TenantRepository, one_updated
from application.orders.queue.ports import QueueOrdering, SavedView, filter_json, filter_of

v = order_views.c


def _view(row: AnyRow) -> SavedView:
    return SavedView(
        row.id,
        row.owner,
        row.name,
        filter_of(row.filters),
        QueueOrdering(row.ordering),
        row.created_at,
        row.updated_at,
        row.version,
    )


class PostgresSavedViews(TenantRepository):
    async def visible_to(self, owner: str) -> list[SavedView]:
        rows = await self._conn.execute(
            select(order_views)
            .where(v.tenant_id == self._tenant_id, or_(v.owner.is_(None), v.owner == owner))
            .order_by(v.name, v.id)
        )
        return [_view(row) for row in rows]

    async def get(self, view_id: UUID) -> SavedView | None:
        row = await self._first(select(order_views).where(self._row_of(order_views, view_id)))
        return _view(row) if row is not None else None

    async def add(self, view: SavedView) -> None:
        await self._insert(
            order_views,
            {
                "id": view.id,
                "owner": view.owner,
                "name": view.name,
                "filters": filter_json(view.filters),
                "ordering": view.ordering.value,
                "version": view.version,
                "created_at": view.created_at,
                "updated_at": view.updated_at,
            },
        )

    async def save(self, view: SavedView, expected_version: int) -> None:
        result = await self._conn.execute(
            self._at_version(order_views, view.id, expected_version).values(
                name=view.name,
                filters=filter_json(view.filters),
                ordering=view.ordering.value,
                version=view.version,
                updated_at=view.updated_at,
            )
        )
        one_updated(result.rowcount, expected_version)

    async def delete(self, view_id: UUID) -> None:
        await self._conn.execute(delete(order_views).where(self._row_of(order_views, view_id)))
