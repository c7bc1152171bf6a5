"""The after-sales module's ports (ORD-6, LOG-4).

``AftersalesStore`` (``uow.of(AFTERSALES)``) is what its use cases read and write in their
unit of work: the cases, the tenant's after-sales settings and the return figures the
analysis reads. Orders (refunds, replacement orders) and inventory (return receipts) are
reached through their own ports, in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol
from uuid import UUID

from application.shared.unit_of_work import StoreKey
from domain.aftersales.analysis import SkuFigures
from domain.aftersales.case import AftersalesCase
from domain.aftersales.flows import CaseKind, CaseStatus


@dataclass(frozen=True)
class CaseFilter:
    """Which cases a listing shows: of one kind, in one status, of one order (None: any)."""

    kind: CaseKind | None = None
    status: CaseStatus | None = None
    order_id: UUID | None = None


ANY_CASE = CaseFilter()


class CaseRepository(Protocol):
    async def add(self, case: AftersalesCase) -> None: ...

    async def get(self, case_id: UUID, *, for_update: bool = False) -> AftersalesCase | None: ...

    async def save(self, case: AftersalesCase, expected_version: int) -> None:
        """Raises ``StaleVersion`` unless the stored case is still at that version."""
        ...

    async def page(
        self, after: UUID | None, limit: int, where: CaseFilter = ANY_CASE
    ) -> list[AftersalesCase]:
        """In id (creation) order, after the id ``after``; only those ``where`` names."""
        ...

    async def of_order(self, order_id: UUID, *, for_update: bool = False) -> list[AftersalesCase]:
        """The order's cases, oldest first (``for_update``: locked, so two cases opened
        at once for one order cannot both claim its last units)."""
        ...


@dataclass(frozen=True)
class AftersalesSettings:
    """The tenant's after-sales policy: ship an exchange's replacement at once (before the
    returned goods arrive) or hold it until they do."""

    ship_exchange_first: bool = False
    version: int = 0  # 0: never saved


class SettingsRepository(Protocol):
    async def get(self) -> AftersalesSettings: ...

    async def put(self, settings: AftersalesSettings, expected_version: int, at: datetime) -> None:
        """Create (``expected_version`` 0) or replace at that version (``StaleVersion``)."""
        ...


@dataclass(frozen=True)
class CaseFigures:
    """What the return analysis counts over the cases opened in a period."""

    cases: int
    reasons: dict[str, int]
    refund_total: Decimal
    insurance_claims: int
    insurance_total: Decimal


class ReturnFigures(Protocol):
    async def skus(self, start: datetime, end: datetime) -> list[SkuFigures]:
        """Per SKU sold or returned in ``[start, end)``: units sold (orders placed then,
        not cancelled) and units returned (return-and-refund and exchange cases opened
        then, not rejected), with its code and its product."""
        ...

    async def cases(self, start: datetime, end: datetime) -> CaseFigures: ...


class AftersalesStore(Protocol):
    cases: CaseRepository
    settings: SettingsRepository
    figures: ReturnFigures


AFTERSALES: StoreKey[AftersalesStore] = StoreKey("aftersales")
