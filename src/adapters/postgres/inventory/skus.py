"""The catalog's SKUs found by what people type or scan (PLT-8): a code or a barcode,
compared by the catalog's keys (``codes.code_key``, ``codes.barcode_key``)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from application.inventory.ports import NamedSku

_FIND = text(
    "SELECT s.id, s.code, s.barcode, p.name FROM skus s JOIN products p"
    " ON p.tenant_id = s.tenant_id AND p.id = s.product_id"
    " WHERE s.tenant_id = :tenant AND NOT s.archived"
    " AND (s.code_key = :code OR s.barcode_key = :barcode)"
    " ORDER BY s.code_key = :code DESC LIMIT 1"
)


class PostgresSkuDirectory:
    def __init__(self, conn: AsyncConnection, tenant_id: UUID) -> None:
        self._conn = conn
        self._tenant_id = tenant_id

    async def find(self, code_key: str, barcode_key: str) -> NamedSku | None:
        params = {"tenant": self._tenant_id, "code": code_key, "barcode": barcode_key}
        row = (await self._conn.execute(_FIND, params)).first()
        return None if row is None else NamedSku(row.id, row.code, row.barcode, row.name)
