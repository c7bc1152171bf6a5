"""Reading cases and the return analysis (ORD-6, LOG-4)."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date, datetime, time, timedelta
from uuid import UUID

from application.aftersales.common import store_of
from application.aftersales.ports import CaseFilter
from application.shared.pagination import Page
from application.shared.reads import ById, InIdOrder, id_page, id_window
from application.shared.tenant_terms import tenant_terms
from application.shared.use_case import Query, Reading
from domain.aftersales.analysis import ReturnAnalysis, rates
from domain.aftersales.case import ENTITY, AftersalesCase
from domain.aftersales.permissions import AFTERSALES_READ
from domain.shared.errors import ValidationFailed

MAX_PERIOD = timedelta(days=366)


class GetCase(ById[AftersalesCase], entity=ENTITY, permission=AFTERSALES_READ):
    pass


class ListCases(InIdOrder[AftersalesCase], entity=ENTITY, permission=AFTERSALES_READ):
    """Cases, oldest first."""


class FindCases(Query[Page[AftersalesCase]], entity=ENTITY, permission=AFTERSALES_READ):
    """Cases of one kind, in one status or of one order (each optional), oldest first."""

    where: CaseFilter
    after: UUID | None
    size: int

    @classmethod
    def window(cls, where: CaseFilter, cursor: str | None, limit: int | None) -> FindCases:
        return cls(where, *id_window(cursor, limit))


class FindCasesHandler:
    async def handle(self, query: FindCases, reading: Reading) -> Page[AftersalesCase]:
        cases = store_of(reading.uow).cases

        def fetch(after: UUID | None, limit: int) -> Awaitable[list[AftersalesCase]]:
            return cases.page(after, limit, query.where)

        return await id_page(fetch, query.after, query.size)


class GetReturnAnalysis(Query[ReturnAnalysis], entity=ENTITY, permission=AFTERSALES_READ):
    """From the day ``start`` to the day ``end`` (included) in the tenant's time zone, at
    most a year."""

    start: date
    end: date


class GetReturnAnalysisHandler:
    async def handle(self, query: GetReturnAnalysis, reading: Reading) -> ReturnAnalysis:
        if query.end < query.start:
            raise ValidationFailed.single("to", "period_ends_before_it_starts")
        if query.end - query.start >= MAX_PERIOD:
            raise ValidationFailed.single("to", "period_too_long", max=MAX_PERIOD.days)
        zone = (await tenant_terms(reading.uow)).zone
        start = datetime.combine(query.start, time(), zone)
        end = datetime.combine(query.end + timedelta(days=1), time(), zone)
        figures = store_of(reading.uow).figures
        skus, spus = rates(await figures.skus(start, end))
        cases = await figures.cases(start, end)
        return ReturnAnalysis(
            skus=skus,
            spus=spus,
            reasons=cases.reasons,
            cases=cases.cases,
            refund_total=cases.refund_total,
            insurance_claims=cases.insurance_claims,
            insurance_total=cases.insurance_total,
        )
