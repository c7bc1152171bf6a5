"""The tenant's after-sales policy (one row once saved)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from adapters.postgres.aftersales.tables import aftersales_settings
from adapters.postgres.shared.rows import TenantRepository, one_updated
from application.aftersales.ports import AftersalesSettings

_T = aftersales_settings


class PostgresSettingsRepository(TenantRepository):
    async def get(self) -> AftersalesSettings:
        row = await self._first(
            select(_T.c.ship_exchange_first, _T.c.version).where(_T.c.tenant_id == self._tenant_id)
        )
        if row is None:
            return AftersalesSettings()
        return AftersalesSettings(row.ship_exchange_first, row.version)

    async def put(self, settings: AftersalesSettings, expected_version: int, at: datetime) -> None:
        values = {
            "ship_exchange_first": settings.ship_exchange_first,
            "version": settings.version,
            "updated_at": at,
        }
        statement = (
            insert(_T)
            .values(tenant_id=self._tenant_id, **values)
            .on_conflict_do_update(
                index_elements=[_T.c.tenant_id],
                set_=values,
                where=_T.c.version == expected_version,
            )
        )
        result = await self._conn.execute(statement)
        one_updated(result.rowcount, expected_version)
