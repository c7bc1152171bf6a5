"""Brands in Postgres (CAT-6). The unique index on ``(tenant_id, name_key)`` is the rule;
a violation (two writers racing for one name) becomes ``Conflict brand_name_taken``."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Executable, insert, select
from sqlalchemy.exc import IntegrityError

from adapters.postgres.catalog.named import changed_named_row, new_named_row
from adapters.postgres.catalog.tables import brands
from adapters.postgres.shared.errors import raise_for_constraint
from adapters.postgres.shared.rows import AnyRow, TenantRepository, one_updated
from domain.catalog.brand import Brand
from domain.catalog.checks import name_key
from domain.catalog.media import StoredFile
from domain.shared.errors import Conflict

_LOGO = [c for c in brands.c if c.name.startswith("logo_")]
_READ = select(brands.c.id, brands.c.name, brands.c.version, *_LOGO)


def _brand(row: AnyRow) -> Brand:
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


class PostgresBrandRepository(TenantRepository):
    async def get(self, brand_id: UUID) -> Brand | None:
        row = await self._first(_READ.where(self._row_of(brands, brand_id)))
        return _brand(row) if row else None

    async def by_name(self, name: str) -> Brand | None:
        row = await self._first(
            _READ.where(brands.c.tenant_id == self._tenant_id, brands.c.name_key == name_key(name))
        )
        return _brand(row) if row else None

    async def add(self, brand: Brand, at: datetime) -> None:
        await self._write(
            insert(brands).values(tenant_id=self._tenant_id, **new_named_row(brand, at)),
            brand,
        )

    async def save(self, brand: Brand, expected_version: int, at: datetime) -> None:
        rowcount = await self._write(
            self._at_version(brands, brand.id, expected_version).values(
                **changed_named_row(brand, at), **_logo_values(brand.logo)
            ),
            brand,
        )
        one_updated(rowcount, expected_version)

    async def _write(self, statement: Executable, brand: Brand) -> int:
        try:
            result = await self._conn.execute(statement)
        except IntegrityError as error:
            raise_for_constraint(
                error, {"brands_name_key": lambda: Conflict("brand_name_taken", name=brand.name)}
            )
        return result.rowcount

    async def page(self, after: UUID | None, limit: int) -> list[Brand]:
        query = _READ.where(brands.c.tenant_id == self._tenant_id)
        if after is not None:
            query = query.where(brands.c.id > after)
        rows = await self._conn.execute(query.order_by(brands.c.id).limit(limit))
        return [_brand(r) for r in rows]
