"""ORD-6: ``FindCases`` — the cases of one kind, in one status or of one order, oldest
first and paged by id, only the tenant's own (the console's case list reads it)."""

from __future__ import annotations

from uuid import UUID

import httpx

from application.aftersales.ports import CaseFilter
from application.aftersales.queries import FindCases
from domain.aftersales.flows import CaseKind, CaseStatus
from tests.conftest import TenantFactory, TenantHandle
from tests.e2e.aftersales.support import open_case, paid_order, step
from tests.integration.orders.conftest import caller


async def _found(tenant: TenantHandle, where: CaseFilter, limit: int = 50) -> list[str]:
    page = await tenant.container.use_cases.query(
        caller(tenant), FindCases.window(where, None, limit)
    )
    return [str(case.id) for case in page.items]


async def test_cases_found_by_kind_status_and_order(
    tenant: TenantHandle, new_tenant: TenantFactory, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    first = await paid_order(client, owner, (2, "10.00"))
    second = await paid_order(client, owner, (1, "20.00"))
    returned = await open_case(client, owner, first, "return_refund", (0, 1))
    refund = await open_case(client, owner, first, "refund_only", (0, 1))
    other = await open_case(client, owner, second, "return_refund", (0, 1))
    await step(client, owner, other, "reject", {"reason": "超过售后期"})

    kind = CaseFilter(kind=CaseKind.RETURN_REFUND)
    assert await _found(tenant, kind) == [returned["id"], other["id"]]
    review = CaseFilter(kind=CaseKind.RETURN_REFUND, status=CaseStatus.REVIEW)
    assert await _found(tenant, review) == [returned["id"]]
    of_first = CaseFilter(order_id=UUID(first["id"]))
    assert await _found(tenant, of_first) == [returned["id"], refund["id"]]
    assert await _found(tenant, CaseFilter(status=CaseStatus.COMPLETED)) == []

    page = await tenant.container.use_cases.query(
        caller(tenant), FindCases.window(of_first, None, 1)
    )
    assert [str(c.id) for c in page.items] == [returned["id"]] and page.next_cursor
    rest = await tenant.container.use_cases.query(
        caller(tenant), FindCases.window(of_first, page.next_cursor, 1)
    )
    assert [str(c.id) for c in rest.items] == [refund["id"]]

    stranger = await new_tenant()
    assert await _found(stranger, of_first) == []
