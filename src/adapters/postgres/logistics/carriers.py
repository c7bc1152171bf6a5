"""Carriers in Postgres (LOG-3): codes unique per tenant by constraint."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from adapters.postgres.logistics.tables import carriers
from adapters.postgres.shared.errors import raise_for_constraint
from adapters.postgres.shared.rows import TenantRepository, from_row, one_updated, values_of
from domain.logistics.carrier import Carrier
from domain.shared.errors import Conflict

_COLUMNS = [c for c in carriers.c if c.name != "tenant_id"]
_READ = select(*_COLUMNS)
_CHANGING = [c for c in _COLUMNS if c.name not in ("id", "code", "created_at")]


class PostgresCarrierRepository(TenantRepository):
    async def get(self, carrier_id: UUID) -> Carrier | None:
        row = await self._first(_READ.where(self._row_of(carriers, carrier_id)))
        return from_row(Carrier, row) if row else None

    async def by_code(self, code: str) -> Carrier | None:
        row = await self._first(
            _READ.where(carriers.c.tenant_id == self._tenant_id, carriers.c.code == code)
        )
        return from_row(Carrier, row) if row else None

    async def add(self, carrier: Carrier) -> None:
        try:
            await self._insert(carriers, values_of(carrier, _COLUMNS))
        except IntegrityError as error:
            raise_for_constraint(
                error, {"carriers_tenant_id_code_key": lambda: Conflict("carrier_code_taken")}
            )

    async def save(self, carrier: Carrier, expected_version: int) -> None:
        result = await self._conn.execute(
            self._at_version(carriers, carrier.id, expected_version).values(
                values_of(carrier, _CHANGING)
            )
        )
        one_updated(result.rowcount, expected_version)

    async def page(self, after: UUID | None, limit: int) -> list[Carrier]:
        query = _READ.where(carriers.c.tenant_id == self._tenant_id)
        if after is not None:
            query = query.where(carriers.c.id > after)
        rows = await self._conn.execute(query.order_by(carriers.c.id).limit(limit))
        return [from_row(Carrier, row) for row in rows]
