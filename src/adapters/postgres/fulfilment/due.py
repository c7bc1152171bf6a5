"""Across tenants, as the platform role: the tenants with a channel report due (the
report sweep's; served by the partial index ``shipments_report_due``)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.postgres.fulfilment.tables import shipments
from adapters.postgres.fulfilment.waves import report_due


class PostgresDueReports:
    def __init__(self, platform_engine: AsyncEngine) -> None:
        self._engine = platform_engine

    async def tenants_with_reports_due(self, now: datetime) -> list[UUID]:
        found = select(shipments.c.tenant_id).where(report_due(now)).distinct()
        async with self._engine.connect() as conn:
            return [row.tenant_id for row in await conn.execute(found)]
