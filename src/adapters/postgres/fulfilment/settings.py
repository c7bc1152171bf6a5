"""The tenant's fulfilment settings and the catalog's SKU facts fulfilment reads (LOG-1)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID

from sqlalchemy import Numeric, column, select, table, update
from sqlalchemy.dialects.postgresql import insert

from adapters.postgres.fulfilment.tables import fulfilment_settings
from adapters.postgres.shared.rows import TenantRepository, one_updated
from application.fulfilment.ports import FulfilmentSettings
from domain.fulfilment.wave import SkuFact

# The catalog's SKUs, named (decisions.md, section 29: no import of another module's
# adapter): the columns fulfilment reads.
_skus = table(
    "skus",
    column("tenant_id"),
    column("id"),
    column("code"),
    column("barcode"),
    column("weight_grams", Numeric(11, 3)),
)


class PostgresSkuFacts(TenantRepository):
    async def facts(self, sku_ids: Sequence[UUID]) -> dict[UUID, SkuFact]:
        rows = await self._conn.execute(
            select(_skus.c.id, _skus.c.code, _skus.c.barcode, _skus.c.weight_grams).where(
                _skus.c.tenant_id == self._tenant_id, _skus.c.id.in_(list(sku_ids))
            )
        )
        return {
            row.id: SkuFact(
                row.id,
                row.code,
                row.barcode,
                int(Decimal(row.weight_grams).quantize(Decimal(1), ROUND_HALF_UP))
                if row.weight_grams is not None
                else None,
            )
            for row in rows
        }


class PostgresFulfilmentSettings(TenantRepository):
    async def get(self) -> FulfilmentSettings:
        row = await self._first(
            select(
                fulfilment_settings.c.weight_tolerance_percent, fulfilment_settings.c.version
            ).where(fulfilment_settings.c.tenant_id == self._tenant_id)
        )
        return (
            FulfilmentSettings(row.weight_tolerance_percent, row.version)
            if row
            else FulfilmentSettings()
        )

    async def put(self, settings: FulfilmentSettings, expected_version: int, at: datetime) -> None:
        values = {
            "weight_tolerance_percent": settings.weight_tolerance_percent,
            "version": expected_version + 1,
            "updated_at": at,
        }
        if expected_version == 0:
            statement = insert(fulfilment_settings).values(tenant_id=self._tenant_id, **values)
            result = await self._conn.execute(statement.on_conflict_do_nothing())
        else:
            result = await self._conn.execute(
                update(fulfilment_settings)
                .where(
                    fulfilment_settings.c.tenant_id == self._tenant_id,
                    fulfilment_settings.c.version == expected_version,
                )
                .values(values)
            )
        one_updated(result.rowcount, expected_version)
