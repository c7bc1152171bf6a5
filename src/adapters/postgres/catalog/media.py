"""Product media rows in Postgres (CAT-3); the bytes are in the file store."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import bindparam, delete, insert, select, update

from adapters.postgres.catalog.tables import product_media, products
from adapters.postgres.shared.rows import AnyRow, TenantRepository, one_updated
from domain.catalog.media import ProductMedia, StoredFile

_READ = select(
    *(c for c in product_media.c if c.name not in ("tenant_id", "kind", "created_at", "updated_at"))
)


def _media(row: AnyRow) -> ProductMedia:
    file = StoredFile(
        row.file_id, row.content_type, row.byte_size, row.sha256, row.width, row.height
    )
    return ProductMedia(row.id, row.product_id, file, row.alt_text, row.position, row.version)


class PostgresProductMediaRepository(TenantRepository):
    async def lock_product(self, product_id: UUID) -> None:
        # NO KEY UPDATE: serialises media changes of the product without blocking the
        # foreign-key checks (KEY SHARE) of rows that point at it.
        await self._conn.execute(
            select(1)
            .select_from(products)
            .where(self._row_of(products, product_id))
            .with_for_update(key_share=True)  # FOR NO KEY UPDATE
        )

    async def of_product(self, product_id: UUID) -> list[ProductMedia]:
        rows = await self._conn.execute(
            _READ.where(
                product_media.c.tenant_id == self._tenant_id,
                product_media.c.product_id == product_id,
            ).order_by(product_media.c.position)
        )
        return [_media(r) for r in rows]

    async def get(self, media_id: UUID) -> ProductMedia | None:
        row = await self._first(_READ.where(self._row_of(product_media, media_id)))
        return _media(row) if row else None

    async def add(self, media: ProductMedia, at: datetime) -> None:
        file = media.file
        await self._conn.execute(
            insert(product_media).values(
                tenant_id=self._tenant_id,
                id=media.id,
                product_id=media.product_id,
                file_id=file.file_id,
                kind=str(file.kind),
                content_type=file.content_type,
                byte_size=file.byte_size,
                sha256=file.sha256,
                width=file.width,
                height=file.height,
                alt_text=media.alt_text,
                position=media.position,
                version=media.version,
                created_at=at,
                updated_at=at,
            )
        )

    async def save(self, media: ProductMedia, expected_version: int, at: datetime) -> None:
        result = await self._conn.execute(
            self._at_version(product_media, media.id, expected_version).values(
                alt_text=media.alt_text, version=media.version, updated_at=at
            )
        )
        one_updated(result.rowcount, expected_version)

    async def save_positions(self, media: Sequence[ProductMedia], at: datetime) -> None:
        if not media:
            return
        await self._conn.execute(
            update(product_media)
            .where(
                product_media.c.tenant_id == self._tenant_id,
                product_media.c.id == bindparam("media_id"),
            )
            .values(position=bindparam("new_position"), updated_at=at),
            [{"media_id": m.id, "new_position": m.position} for m in media],
        )

    async def delete(self, media_id: UUID) -> None:
        await self._conn.execute(delete(product_media).where(self._row_of(product_media, media_id)))
