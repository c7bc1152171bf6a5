"""Brands in Postgres (CAT-6). The unique index on ``(tenant_id, name_key)`` is the rule;
a violation (two writers racing for one name) becomes ``Conflict brand_name_taken``."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.catalog.brand import Brand
from domain.catalog.checks import name_key
from domain.catalog.media import StoredFile
from domain.shared.errors import Conflict, StaleVersion

NAME_CONSTRAINT = "brands_name_key"
COLUMNS = (
    "id, name, version, logo_file_id, logo_content_type, logo_byte_size, logo_sha256,"
    " logo_width, logo_height"
)


def violated_constraint(error: IntegrityError) -> str | None:
    """The constraint a unique violation names (asyncpg's error, under SQLAlchemy's)."""
    for candidate in (error.orig, getattr(error.orig, "__cause__", None)):
        name = getattr(candidate, "constraint_name", None)
        if isinstance(name, str):
            return name
    return None


def _brand(row: Row[Any]) -> Brand:
    logo = None
    if row.logo_file_id is not None:
        logo = StoredFile(
            row.logo_file_id,
            row.logo_content_type,
            row.logo_byte_size,
            row.logo_sha256,
            row.logo_width,
            row.logo_height,
        )
    return Brand(row.id, row.name, row.version, logo)


def _logo_values(logo: StoredFile | None) -> dict[str, Any]:
    return {
        "logo_file_id": logo.file_id if logo else None,
        "logo_content_type": logo.content_type if logo else None,
        "logo_byte_size": logo.byte_size if logo else None,
        "logo_sha256": logo.sha256 if logo else None,
        "logo_width": logo.width if logo else None,
        "logo_height": logo.height if logo else None,
    }


class PostgresBrandRepository:
    def __init__(self, conn: AsyncConnection, tenant_id: UUID) -> None:
        self._conn = conn
        self._tenant_id = tenant_id

    async def get(self, brand_id: UUID) -> Brand | None:
        row = (
            await self._conn.execute(
                text(f"SELECT {COLUMNS} FROM brands WHERE tenant_id = :tenant_id AND id = :id"),
                {"tenant_id": self._tenant_id, "id": brand_id},
            )
        ).first()
        return _brand(row) if row else None

    async def add(self, brand: Brand, at: datetime) -> None:
        await self._write(
            "INSERT INTO brands (tenant_id, id, name, name_key, version, created_at, updated_at)"
            " VALUES (:tenant_id, :id, :name, :name_key, :version, :at, :at)",
            brand,
            {"at": at},
        )

    async def save(self, brand: Brand, expected_version: int, at: datetime) -> None:
        rowcount = await self._write(
            "UPDATE brands SET name = :name, name_key = :name_key, version = :version,"
            " logo_file_id = :logo_file_id, logo_content_type = :logo_content_type,"
            " logo_byte_size = :logo_byte_size, logo_sha256 = :logo_sha256,"
            " logo_width = :logo_width, logo_height = :logo_height, updated_at = :at"
            " WHERE tenant_id = :tenant_id AND id = :id AND version = :expected_version",
            brand,
            {"at": at, "expected_version": expected_version},
        )
        if rowcount != 1:
            raise StaleVersion(expected=expected_version)

    async def _write(self, sql: str, brand: Brand, extra: dict[str, Any]) -> int:
        values = {
            "tenant_id": self._tenant_id,
            "id": brand.id,
            "name": brand.name,
            "name_key": name_key(brand.name),
            "version": brand.version,
            **_logo_values(brand.logo),
            **extra,
        }
        try:
            result = await self._conn.execute(text(sql), values)
        except IntegrityError as error:
            if violated_constraint(error) == NAME_CONSTRAINT:
                raise Conflict("brand_name_taken", name=brand.name) from None
            raise
        return result.rowcount

    async def page(self, after: UUID | None, limit: int) -> list[Brand]:
        rows = await self._conn.execute(
            text(
                f"SELECT {COLUMNS} FROM brands WHERE tenant_id = :tenant_id"
                " AND (CAST(:after AS uuid) IS NULL OR id > CAST(:after AS uuid))"
                " ORDER BY id LIMIT :limit"
            ),
            {"tenant_id": self._tenant_id, "after": after, "limit": limit},
        )
        return [_brand(r) for r in rows]
