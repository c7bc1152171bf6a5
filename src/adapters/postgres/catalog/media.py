"""Product media rows in Postgres (CAT-3); the bytes are in the file store."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.catalog.media import ProductMedia, StoredFile
from domain.shared.errors import StaleVersion

COLUMNS = (
    "id, product_id, file_id, content_type, byte_size, sha256, width, height, alt_text,"
    " position, version"
)


def _media(row: Row[Any]) -> ProductMedia:
    file = StoredFile(
        row.file_id, row.content_type, row.byte_size, row.sha256, row.width, row.height
    )
    return ProductMedia(row.id, row.product_id, file, row.alt_text, row.position, row.version)


class PostgresProductMediaRepository:
    def __init__(self, conn: AsyncConnection, tenant_id: UUID) -> None:
        self._conn = conn
        self._tenant_id = tenant_id

    async def lock_product(self, product_id: UUID) -> None:
        # NO KEY UPDATE: serialises media changes of the product without blocking the
        # foreign-key checks (KEY SHARE) of rows that point at it.
        await self._conn.execute(
            text(
                "SELECT 1 FROM products WHERE tenant_id = :tenant_id AND id = :id FOR NO KEY UPDATE"
            ),
            {"tenant_id": self._tenant_id, "id": product_id},
        )

    async def of_product(self, product_id: UUID) -> list[ProductMedia]:
        rows = await self._conn.execute(
            text(
                f"SELECT {COLUMNS} FROM product_media"
                " WHERE tenant_id = :tenant_id AND product_id = :product_id ORDER BY position"
            ),
            {"tenant_id": self._tenant_id, "product_id": product_id},
        )
        return [_media(r) for r in rows]

    async def get(self, media_id: UUID) -> ProductMedia | None:
        row = (
            await self._conn.execute(
                text(
                    f"SELECT {COLUMNS} FROM product_media WHERE tenant_id = :tenant_id AND id = :id"
                ),
                {"tenant_id": self._tenant_id, "id": media_id},
            )
        ).first()
        return _media(row) if row else None

    async def add(self, media: ProductMedia, at: datetime) -> None:
        file = media.file
        await self._conn.execute(
            text(
                "INSERT INTO product_media (tenant_id, id, product_id, file_id, kind,"
                " content_type, byte_size, sha256, width, height, alt_text, position, version,"
                " created_at, updated_at) VALUES (:tenant_id, :id, :product_id, :file_id, :kind,"
                " :content_type, :byte_size, :sha256, :width, :height, :alt_text, :position,"
                " :version, :at, :at)"
            ),
            {
                "tenant_id": self._tenant_id,
                "id": media.id,
                "product_id": media.product_id,
                "file_id": file.file_id,
                "kind": str(file.kind),
                "content_type": file.content_type,
                "byte_size": file.byte_size,
                "sha256": file.sha256,
                "width": file.width,
                "height": file.height,
                "alt_text": media.alt_text,
                "position": media.position,
                "version": media.version,
                "at": at,
            },
        )

    async def save(self, media: ProductMedia, expected_version: int, at: datetime) -> None:
        result = await self._conn.execute(
            text(
                "UPDATE product_media SET alt_text = :alt_text, version = :version,"
                " updated_at = :at"
                " WHERE tenant_id = :tenant_id AND id = :id AND version = :expected_version"
            ),
            {
                "tenant_id": self._tenant_id,
                "id": media.id,
                "alt_text": media.alt_text,
                "version": media.version,
                "at": at,
                "expected_version": expected_version,
            },
        )
        if result.rowcount != 1:
            raise StaleVersion(expected=expected_version)

    async def save_positions(self, media: Sequence[ProductMedia], at: datetime) -> None:
        if not media:
            return
        await self._conn.execute(
            text(
                "UPDATE product_media SET position = :position, updated_at = :at"
                " WHERE tenant_id = :tenant_id AND id = :id"
            ),
            [
                {"tenant_id": self._tenant_id, "id": m.id, "position": m.position, "at": at}
                for m in media
            ],
        )

    async def delete(self, media_id: UUID) -> None:
        await self._conn.execute(
            text("DELETE FROM product_media WHERE tenant_id = :tenant_id AND id = :id"),
            {"tenant_id": self._tenant_id, "id": media_id},
        )
