"""A carrier's price table and the tenant's logistics settings in Postgres (LOG-2, LOG-3):
each one row written whole at its version (0: not written yet)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Table, select, update
from sqlalchemy.dialects.postgresql import insert

from adapters.postgres.logistics.tables import carrier_price_tables, logistics_settings
from adapters.postgres.shared.rows import TenantRepository, one_updated
from application.logistics.ports import LogisticsSettings
from domain.logistics.rates import PriceTable, Rate


class _OneRow(TenantRepository):
    async def _put(
        self,
        table: Table,
        key: dict[str, Any],
        values: dict[str, Any],
        expected_version: int,
    ) -> None:
        """Insert the row at version 1, or update it from ``expected_version``."""
        values = {**values, "version": expected_version + 1}
        if expected_version == 0:
            statement = insert(table).values(tenant_id=self._tenant_id, **key, **values)
            result = await self._conn.execute(statement.on_conflict_do_nothing())
        else:
            found: list[ColumnElement[bool]] = [table.c[k] == v for k, v in key.items()]
            result = await self._conn.execute(
                update(table)
                .where(
                    table.c.tenant_id == self._tenant_id,
                    table.c.version == expected_version,
                    *found,
                )
                .values(values)
            )
        one_updated(result.rowcount, expected_version)


def _rates_json(table: PriceTable) -> list[dict[str, Any]]:
    return [
        {
            "regions": list(rate.regions),
            "first_grams": rate.first_grams,
            "first_price": str(rate.first_price),
            "additional_per_kg": str(rate.additional_per_kg),
            "max_grams": rate.max_grams,
        }
        for rate in table.rates
    ]


def _rates_of(data: list[dict[str, Any]]) -> tuple[Rate, ...]:
    return tuple(
        Rate(
            tuple(item["regions"]),
            item["first_grams"],
            Decimal(item["first_price"]),
            Decimal(item["additional_per_kg"]),
            item["max_grams"],
        )
        for item in data
    )


class PostgresPriceTables(_OneRow):
    async def get(self, carrier_id: UUID) -> PriceTable:
        c = carrier_price_tables.c
        row = await self._first(
            select(c.rates, c.version).where(
                c.tenant_id == self._tenant_id, c.carrier_id == carrier_id
            )
        )
        return (
            PriceTable(carrier_id, _rates_of(row.rates), row.version)
            if row
            else PriceTable(carrier_id)
        )

    async def put(self, table: PriceTable, expected_version: int, at: datetime) -> None:
        values = {"rates": _rates_json(table), "updated_at": at}
        await self._put(
            carrier_price_tables, {"carrier_id": table.carrier_id}, values, expected_version
        )


class PostgresLogisticsSettings(_OneRow):
    async def get(self) -> LogisticsSettings:
        c = logistics_settings.c
        row = await self._first(
            select(c.stall_hours, c.bill_tolerance_percent, c.version).where(
                c.tenant_id == self._tenant_id
            )
        )
        if row is None:
            return LogisticsSettings()
        return LogisticsSettings(row.stall_hours, row.bill_tolerance_percent, row.version)

    async def put(self, settings: LogisticsSettings, expected_version: int, at: datetime) -> None:
        values = {
            "stall_hours": settings.stall_hours,
            "bill_tolerance_percent": settings.bill_tolerance_percent,
            "updated_at": at,
        }
        await self._put(logistics_settings, {}, values, expected_version)
