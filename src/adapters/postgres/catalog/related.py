"""Related-product links in Postgres (CAT-9). Foreign keys keep every link inside the
tenant; links to archived products stay stored."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from application.catalog.ports.repositories import RelatedProductSummary
from domain.catalog.related import RelatedProducts, RelationKind


class PostgresRelatedProductRepository:
    def __init__(self, conn: AsyncConnection, tenant_id: UUID) -> None:
        self._conn = conn
        self._tenant_id = tenant_id

    async def get(self, product_id: UUID) -> RelatedProducts:
        rows = await self._conn.execute(
            text(
                "SELECT kind, related_product_id FROM related_products"
                " WHERE tenant_id = :tenant_id AND product_id = :product_id"
                " ORDER BY kind, position"
            ),
            {"tenant_id": self._tenant_id, "product_id": product_id},
        )
        links: dict[RelationKind, list[UUID]] = {}
        for row in rows:
            links.setdefault(RelationKind(row.kind), []).append(row.related_product_id)
        return RelatedProducts(product_id, {k: tuple(v) for k, v in links.items()})

    async def replace(self, product_id: UUID, kind: RelationKind, related: Sequence[UUID]) -> None:
        params = {"tenant_id": self._tenant_id, "product_id": product_id, "kind": str(kind)}
        await self._conn.execute(
            text(
                "DELETE FROM related_products WHERE tenant_id = :tenant_id"
                " AND product_id = :product_id AND kind = :kind"
            ),
            params,
        )
        if related:
            await self._conn.execute(
                text(
                    "INSERT INTO related_products (tenant_id, product_id, kind,"
                    " related_product_id, position)"
                    " VALUES (:tenant_id, :product_id, :kind, :related, :position)"
                ),
                [
                    {**params, "related": related_id, "position": position}
                    for position, related_id in enumerate(related)
                ],
            )

    async def summaries(self, product_ids: Sequence[UUID]) -> dict[UUID, RelatedProductSummary]:
        if not product_ids:
            return {}
        rows = await self._conn.execute(
            text(
                "SELECT id, code, name, archived_at IS NOT NULL AS archived FROM products"
                " WHERE tenant_id = :tenant_id AND id = ANY(:ids)"
            ),
            {"tenant_id": self._tenant_id, "ids": list(product_ids)},
        )
        return {r.id: RelatedProductSummary(r.id, r.code, r.name, r.archived) for r in rows}
