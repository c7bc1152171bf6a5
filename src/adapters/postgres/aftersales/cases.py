"""After-sales cases with their lines and refunds (ORD-6)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import Column, Table, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from adapters.postgres.aftersales.tables import (
    aftersales_case_lines,
    aftersales_cases,
    aftersales_refunds,
)
from adapters.postgres.shared.errors import raise_for_constraint
from adapters.postgres.shared.rows import (
    AnyRow,
    TenantRepository,
    from_row,
    one_updated,
    values_of,
)
from application.aftersales.ports import ANY_CASE, CaseFilter
from domain.aftersales.case import AftersalesCase
from domain.aftersales.flows import CaseKind, CaseStatus
from domain.aftersales.records import (
    CaseEntry,
    CaseLine,
    CaseRefund,
    InsuranceClaim,
    ReturnReason,
)
from domain.shared.errors import NotFound

R = TypeVar("R", CaseLine, CaseRefund)
_LINE_COLUMNS = [c for c in aftersales_case_lines.c if c.name not in ("tenant_id", "case_id")]
_REFUND_COLUMNS = [c for c in aftersales_refunds.c if c.name not in ("tenant_id", "case_id")]
_NO_SKU = {"aftersales_case_lines_tenant_id_sku_id_fkey": lambda: NotFound(entity="sku")}
_SAVE_LINE = (
    update(aftersales_case_lines)
    .where(
        aftersales_case_lines.c.tenant_id == bindparam("t"),
        aftersales_case_lines.c.case_id == bindparam("c"),
        aftersales_case_lines.c.line_no == bindparam("no"),
    )
    .values(resellable=bindparam("resellable"), damaged=bindparam("damaged"))
)


def _entry(entry: CaseEntry) -> dict[str, Any]:
    return {
        "at": entry.at.isoformat(),
        "actor": entry.actor,
        "action": entry.action,
        "status": entry.status.value,
        "reason": entry.reason,
        "detail": dict(entry.detail),
    }


def _entry_of(data: dict[str, Any]) -> CaseEntry:
    return CaseEntry(
        datetime.fromisoformat(data["at"]),
        data["actor"],
        data["action"],
        CaseStatus(data["status"]),
        data["reason"],
        tuple(data["detail"].items()),
    )


def _claim(claim: InsuranceClaim) -> dict[str, Any]:
    return {
        "id": str(claim.id),
        "amount": str(claim.amount),
        "insurer": claim.insurer,
        "claim_no": claim.claim_no,
        "recorded_by": claim.recorded_by,
        "recorded_at": claim.recorded_at.isoformat(),
    }


def _claim_of(data: dict[str, Any]) -> InsuranceClaim:
    return InsuranceClaim(
        UUID(data["id"]),
        Decimal(data["amount"]),
        data["insurer"],
        data["claim_no"],
        data["recorded_by"],
        datetime.fromisoformat(data["recorded_at"]),
    )


def _header(case: AftersalesCase) -> dict[str, Any]:
    """The case's own row's values that change."""
    return {
        "status": case.status.value,
        "tracking_no": case.tracking_no,
        "replacement_order_id": case.replacement_order_id,
        "channel_refund_status": case.channel_refund_status,
        "claims": [_claim(c) for c in case.claims],
        "timeline": [_entry(e) for e in case.timeline],
        "version": case.version,
        "updated_at": case.updated_at,
    }


class PostgresCaseRepository(TenantRepository):
    async def add(self, case: AftersalesCase) -> None:
        await self._insert(
            aftersales_cases,
            {
                "id": case.id,
                "order_id": case.order_id,
                "kind": case.kind.value,
                "currency": case.currency,
                "reason": case.reason.value,
                "reason_text": case.reason_text,
                "evidence": list(case.evidence),
                "refund_amount": case.refund_amount,
                "created_by": case.created_by,
                "created_at": case.created_at,
                **_header(case),
            },
        )
        if case.lines:
            try:
                await self._conn.execute(
                    insert(aftersales_case_lines),
                    [
                        {
                            "tenant_id": self._tenant_id,
                            "case_id": case.id,
                            **values_of(line, _LINE_COLUMNS),
                        }
                        for line in case.lines
                    ],
                )
            except IntegrityError as error:
                raise_for_constraint(error, _NO_SKU)
        await self._add_refunds(case, case.refunds)

    async def get(self, case_id: UUID, *, for_update: bool = False) -> AftersalesCase | None:
        query = select(aftersales_cases).where(self._row_of(aftersales_cases, case_id))
        row = await self._first(query.with_for_update() if for_update else query)
        return None if row is None else (await self._complete([row]))[0]

    async def of_order(self, order_id: UUID, *, for_update: bool = False) -> list[AftersalesCase]:
        query = (
            select(aftersales_cases)
            .where(
                aftersales_cases.c.tenant_id == self._tenant_id,
                aftersales_cases.c.order_id == order_id,
            )
            .order_by(aftersales_cases.c.created_at, aftersales_cases.c.id)
        )
        rows = list(await self._conn.execute(query.with_for_update() if for_update else query))
        return await self._complete(rows)

    async def page(
        self, after: UUID | None, limit: int, where: CaseFilter = ANY_CASE
    ) -> list[AftersalesCase]:
        cases = aftersales_cases.c
        query = select(aftersales_cases).where(cases.tenant_id == self._tenant_id)
        if after is not None:
            query = query.where(cases.id > after)
        if where.kind is not None:
            query = query.where(cases.kind == where.kind.value)
        if where.status is not None:
            query = query.where(cases.status == where.status.value)
        if where.order_id is not None:
            query = query.where(cases.order_id == where.order_id)
        rows = list(await self._conn.execute(query.order_by(aftersales_cases.c.id).limit(limit)))
        return await self._complete(rows)

    async def save(self, case: AftersalesCase, expected_version: int) -> None:
        result = await self._conn.execute(
            self._at_version(aftersales_cases, case.id, expected_version).values(**_header(case))
        )
        one_updated(result.rowcount, expected_version)
        if case.lines:
            await self._conn.execute(
                _SAVE_LINE,
                [
                    {
                        "t": self._tenant_id,
                        "c": case.id,
                        "no": line.line_no,
                        "resellable": line.resellable,
                        "damaged": line.damaged,
                    }
                    for line in case.lines
                ],
            )
        stored = {
            r.id
            for r in await self._conn.execute(
                select(aftersales_refunds.c.id).where(
                    aftersales_refunds.c.tenant_id == self._tenant_id,
                    aftersales_refunds.c.case_id == case.id,
                )
            )
        }
        await self._add_refunds(case, [r for r in case.refunds if r.id not in stored])

    async def _add_refunds(
        self, case: AftersalesCase, refunds: list[CaseRefund] | tuple[CaseRefund, ...]
    ) -> None:
        if not refunds:
            return
        await self._conn.execute(
            insert(aftersales_refunds),
            [
                {
                    "tenant_id": self._tenant_id,
                    "case_id": case.id,
                    **values_of(r, _REFUND_COLUMNS),
                }
                for r in refunds
            ],
        )

    async def _complete(self, rows: list[AnyRow]) -> list[AftersalesCase]:
        """The cases of ``rows`` with their lines and refunds (one read of each)."""
        if not rows:
            return []
        ids = [row.id for row in rows]
        lines = await self._children(
            aftersales_case_lines, CaseLine, ids, aftersales_case_lines.c.line_no
        )
        refunds = await self._children(
            aftersales_refunds, CaseRefund, ids, aftersales_refunds.c.refunded_at
        )
        return [
            from_row(
                AftersalesCase,
                row,
                kind=CaseKind(row.kind),
                status=CaseStatus(row.status),
                reason=ReturnReason(row.reason),
                evidence=tuple(row.evidence),
                lines=tuple(lines.get(row.id, ())),
                refunds=tuple(refunds.get(row.id, ())),
                claims=tuple(_claim_of(c) for c in row.claims),
                timeline=tuple(_entry_of(e) for e in row.timeline),
            )
            for row in rows
        ]

    async def _children(
        self, table: Table, record: type[R], ids: list[UUID], order: Column[Any]
    ) -> dict[UUID, list[R]]:
        """The rows of ``table`` belonging to the cases ``ids``, per case, in ``order``."""
        found: dict[UUID, list[R]] = {}
        for r in await self._conn.execute(
            select(table)
            .where(table.c.tenant_id == self._tenant_id, table.c.case_id.in_(ids))
            .order_by(table.c.case_id, order)
        ):
            found.setdefault(r.case_id, []).append(from_row(record, r))
        return found
