"""In-memory stand-ins for the after-sales module's store (``uow.of(AFTERSALES)``): cases,
the tenant's after-sales settings, and the case figures of the return analysis (the SKU
figures read orders' and the catalog's tables: tests/integration/aftersales)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from application.aftersales.ports import (
    AFTERSALES,
    ANY_CASE,
    AftersalesSettings,
    AftersalesStore,
    CaseFigures,
    CaseFilter,
    CaseRepository,
    ReturnFigures,
    SettingsRepository,
)
from domain.aftersales.analysis import SkuFigures
from domain.aftersales.case import AftersalesCase
from domain.aftersales.flows import CaseStatus
from domain.shared.errors import StaleVersion
from tests.fakes.stores import FakeStore

ZERO = Decimal("0.00")


@dataclass
class AftersalesTables:
    cases: dict[UUID, AftersalesCase] = field(default_factory=dict)
    settings: AftersalesSettings = field(default_factory=AftersalesSettings)

    def copy(self) -> AftersalesTables:
        return AftersalesTables(copy.deepcopy(self.cases), self.settings)


class FakeCaseRepository(CaseRepository):
    def __init__(self, tables: AftersalesTables) -> None:
        self._t = tables

    async def add(self, case: AftersalesCase) -> None:
        self._t.cases[case.id] = copy.deepcopy(case)

    async def get(self, case_id: UUID, *, for_update: bool = False) -> AftersalesCase | None:
        return copy.deepcopy(self._t.cases.get(case_id))

    async def save(self, case: AftersalesCase, expected_version: int) -> None:
        stored = self._t.cases.get(case.id)
        if stored is None or stored.version != expected_version:
            raise StaleVersion(expected=expected_version)
        self._t.cases[case.id] = copy.deepcopy(case)

    async def page(
        self, after: UUID | None, limit: int, where: CaseFilter = ANY_CASE
    ) -> list[AftersalesCase]:
        def shown(case: AftersalesCase) -> bool:
            return (
                (where.kind is None or case.kind is where.kind)
                and (where.status is None or case.status is where.status)
                and (where.order_id is None or case.order_id == where.order_id)
            )

        ids = sorted(
            i for i, c in self._t.cases.items() if (after is None or i > after) and shown(c)
        )
        return [copy.deepcopy(self._t.cases[i]) for i in ids[:limit]]

    async def of_order(self, order_id: UUID, *, for_update: bool = False) -> list[AftersalesCase]:
        found = [c for c in self._t.cases.values() if c.order_id == order_id]
        return [copy.deepcopy(c) for c in sorted(found, key=lambda c: (c.created_at, c.id))]


class FakeSettingsRepository(SettingsRepository):
    def __init__(self, tables: AftersalesTables) -> None:
        self._t = tables

    async def get(self) -> AftersalesSettings:
        return self._t.settings

    async def put(self, settings: AftersalesSettings, expected_version: int, at: datetime) -> None:
        if self._t.settings.version != expected_version:
            raise StaleVersion(expected=expected_version)
        self._t.settings = settings


class FakeReturnFigures(ReturnFigures):
    def __init__(self, tables: AftersalesTables) -> None:
        self._t = tables

    async def skus(self, start: datetime, end: datetime) -> list[SkuFigures]:
        raise NotImplementedError("sold units read orders' tables: tests/integration/aftersales")

    async def cases(self, start: datetime, end: datetime) -> CaseFigures:
        counted = [
            c
            for c in self._t.cases.values()
            if start <= c.created_at < end and c.status is not CaseStatus.REJECTED
        ]
        reasons: dict[str, int] = {}
        for case in counted:
            reasons[case.reason.value] = reasons.get(case.reason.value, 0) + 1
        return CaseFigures(
            cases=len(counted),
            reasons=reasons,
            refund_total=sum((r.amount for c in counted for r in c.refunds), ZERO),
            insurance_claims=sum(len(c.claims) for c in counted),
            insurance_total=sum((x.amount for c in counted for x in c.claims), ZERO),
        )


class FakeAftersalesStore(AftersalesStore):
    def __init__(self, tables: AftersalesTables) -> None:
        self.cases = FakeCaseRepository(tables)
        self.settings = FakeSettingsRepository(tables)
        self.figures = FakeReturnFigures(tables)


def build(tables: AftersalesTables) -> AftersalesStore:
    return FakeAftersalesStore(tables)


# Found by the fake unit of work (tests/fakes/stores.py).
FAKE = FakeStore(AFTERSALES, AftersalesTables, lambda tables, parts: build(tables))
