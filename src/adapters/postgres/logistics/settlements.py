"""Carrier statements and COD remittances in Postgres (ORD-11): their lines, differences
and unreadable rows as JSONB on their row."""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from adapters.postgres.logistics.tables import carrier_statements, cod_remittances
from adapters.postgres.shared.errors import raise_for_constraint
from adapters.postgres.shared.rows import AnyRow, TenantRepository, from_row, one_updated, values_of
from domain.logistics.settlement import CarrierStatement, CodRemittance, Difference, Remitted
from domain.shared.errors import Conflict
from domain.shared.file_rows import RowError

_STATEMENT = [c for c in carrier_statements.c if c.name != "tenant_id"]
_REMITTANCE = [c for c in cod_remittances.c if c.name != "tenant_id"]
_CHANGING = ["status", "lines", "billed_total", "differences", "errors", "version"]


def _differences(items: list[dict[str, Any]]) -> tuple[Difference, ...]:
    return tuple(Difference(**item) for item in items)


def _statement(row: AnyRow) -> CarrierStatement:
    return from_row(
        CarrierStatement,
        row,
        differences=_differences(row.differences),
        errors=tuple(RowError(**item) for item in row.errors),
    )


def _statement_json(statement: CarrierStatement) -> dict[str, Any]:
    return {
        "differences": [asdict(d) for d in statement.differences],
        "errors": [
            {"row": e.row, "column": e.column, "code": e.code, "params": dict(e.params)}
            for e in statement.errors
        ],
    }


class PostgresSettlements(TenantRepository):
    async def add_statement(self, statement: CarrierStatement) -> None:
        values = values_of(statement, _STATEMENT, **_statement_json(statement))
        await self._insert(carrier_statements, values)

    async def statement(
        self, statement_id: UUID, *, for_update: bool = False
    ) -> CarrierStatement | None:
        query = select(*_STATEMENT).where(self._row_of(carrier_statements, statement_id))
        row = await self._first(query.with_for_update() if for_update else query)
        return _statement(row) if row else None

    async def save_statement(self, statement: CarrierStatement, expected_version: int) -> None:
        values = values_of(statement, _STATEMENT, **_statement_json(statement))
        result = await self._conn.execute(
            update(carrier_statements)
            .where(
                self._row_of(carrier_statements, statement.id),
                carrier_statements.c.version == expected_version,
            )
            .values({name: values[name] for name in _CHANGING})
        )
        one_updated(result.rowcount, expected_version)

    async def add_remittance(self, remittance: CodRemittance) -> None:
        values = values_of(
            remittance,
            _REMITTANCE,
            lines=[
                {"tracking_no": x.tracking_no, "amount": str(x.amount)} for x in remittance.lines
            ],
            differences=[asdict(d) for d in remittance.differences],
        )
        try:
            await self._insert(cod_remittances, values)
        except IntegrityError as error:
            raise_for_constraint(
                error,
                {
                    "cod_remittances_tenant_id_carrier_code_key": lambda: Conflict(
                        "remittance_recorded"
                    )
                },
            )

    async def remittance(self, remittance_id: UUID) -> CodRemittance | None:
        row = await self._first(
            select(*_REMITTANCE).where(self._row_of(cod_remittances, remittance_id))
        )
        if row is None:
            return None
        return from_row(
            CodRemittance,
            row,
            lines=tuple(Remitted(x["tracking_no"], Decimal(x["amount"])) for x in row.lines),
            differences=_differences(row.differences),
        )
