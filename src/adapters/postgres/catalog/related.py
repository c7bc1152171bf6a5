"""Related-product links in Postgres (CAT-9). Foreign keys keep every link inside the
tenant; links to archived products stay stored."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import delete, insert, select

from adapters.postgres.catalog.sql import any_of
from adapters.postgres.catalog.tables import products, related_products
from adapters.postgres.shared.rows import TenantRepository
from application.catalog.ports.repositories import RelatedProductSummary
from domain.catalog.related import RelatedProducts, RelationKind


class PostgresRelatedProductRepository(TenantRepository):
    async def get(self, product_id: UUID) -> RelatedProducts:
        rows = await self._conn.execute(
            select(related_products.c.kind, related_products.c.related_product_id)
            .where(
                related_products.c.tenant_id == self._tenant_id,
                related_products.c.product_id == product_id,
            )
            .order_by(related_products.c.kind, related_products.c.position)
        )
        links: dict[RelationKind, list[UUID]] = {}
        for row in rows:
            links.setdefault(RelationKind(row.kind), []).append(row.related_product_id)
        return RelatedProducts(product_id, {k: tuple(v) for k, v in links.items()})

    async def replace(self, product_id: UUID, kind: RelationKind, related: Sequence[UUID]) -> None:
        await self._conn.execute(
            delete(related_products).where(
                related_products.c.tenant_id == self._tenant_id,
                related_products.c.product_id == product_id,
                related_products.c.kind == str(kind),
            )
        )
        if related:
            await self._conn.execute(
                insert(related_products),
                [
                    {
                        "tenant_id": self._tenant_id,
                        "product_id": product_id,
                        "kind": str(kind),
                        "related_product_id": related_id,
                        "position": position,
                    }
                    for position, related_id in enumerate(related)
                ],
            )

    async def summaries(self, product_ids: Sequence[UUID]) -> dict[UUID, RelatedProductSummary]:
        if not product_ids:
            return {}
        rows = await self._conn.execute(
            select(
                products.c.id,
                products.c.code,
                products.c.name,
                products.c.archived_at.is_not(None).label("archived"),
            ).where(products.c.tenant_id == self._tenant_id, any_of(products.c.id, product_ids))
        )
        return {r.id: RelatedProductSummary(r.id, r.code, r.name, r.archived) for r in rows}
