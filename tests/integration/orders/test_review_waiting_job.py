"""Every order awaiting review reviewed again as a job (ORD-1, ORD-5, PLT-9): the ranges
of waiting orders are disjoint and cover them all, two are reviewed at a time, each page
writes what the rules changed — only the columns some order of it changed, every one of
them — with its audit records and events, and the job counts what it reviewed. A run
with nothing left waiting reviews nothing; a page the database rolls back for meeting other
work (a deadlock) is done again, and the job goes on."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg
import pytest

from application.orders import review_job
from application.orders.common import store_of
from application.orders.lifecycle import RecordPayment
from application.orders.ports import OrderPosition
from application.orders.queries import GetOrder
from application.orders.review import ReviewWaitingHandler, SaveRuleSet
from application.orders.review_job import WaitingReviews, ranges_of
from application.shared.pagination import time_and_id_after
from domain.orders.payment_records import PaymentMethod
from domain.orders.status import OrderStatus
from domain.shared.errors import Contention
from tests.conftest import TenantHandle
from tests.integration.orders.conftest import caller, place, stocked_sku
from tests.support.databases import TestDatabase

RULES = [
    {  # every order: a carrier and a priority (columns no status change writes)
        "id": "sf",
        "name": "顺丰",
        "priority": 1,
        "actions": [
            {"kind": "assign_carrier", "carrier": "sf"},
            {"kind": "set_priority", "priority": 5},
        ],
    },
    {
        "id": "big",
        "name": "大额",
        "priority": 2,
        "conditions": [{"kind": "amount_between", "min": "30.00"}],
        "actions": [{"kind": "hold", "hours": 4, "reason": "核实"}],
    },
    {"id": "ok", "name": "自动审核", "priority": 3, "actions": [{"kind": "approve"}]},
]


async def _waiting(tenant: TenantHandle, count: int) -> list[UUID]:
    """``count`` paid orders awaiting review (no rules yet), totals 10.00, 20.00 …"""
    run, ctx = tenant.container.use_cases.run, caller(tenant)
    sku = await stocked_sku(tenant, 100, "10.00")
    found = []
    for quantity in range(1, count + 1):
        order = await run(ctx, place(sku, quantity))
        paid = await run(ctx, RecordPayment(order.id, PaymentMethod.CASH, order.total))
        assert paid.order.status is OrderStatus.AWAITING_REVIEW
        found.append(order.id)
    return found


async def test_the_ranges_are_disjoint_and_cover_every_waiting_order(tenant: TenantHandle) -> None:
    ids = await _waiting(tenant, 5)
    async with tenant.container.uow_factory.for_tenant(caller(tenant)) as uow:
        orders = store_of(uow).orders
        total, ends = await orders.waiting_ranges(2)
        assert total == 5 and len(ends) == 3  # runs of 2, 2 and 1, newest first
        seen: list[UUID] = []
        for after, down_to in ranges_of(ends):
            page = await orders.lock_awaiting_review(_at(after), 10, _at(down_to))
            seen.extend(o.id for o in page)
    assert seen == list(reversed(ids))  # each once, in order


def _at(cursor: str | None) -> OrderPosition | None:
    key = time_and_id_after(cursor)
    return OrderPosition(*key) if key else None


async def test_the_job_reviews_every_waiting_order_in_ranges_two_at_a_time(
    tenant: TenantHandle, database: TestDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = await _waiting(tenant, 5)
    ctx, use_cases = caller(tenant), tenant.container.use_cases
    await use_cases.run(ctx, SaveRuleSet(RULES, 0))
    monkeypatch.setattr(review_job, "RANGE", 2)  # three ranges, two at a time
    reviews = tenant.container.get(WaitingReviews)
    job = await reviews.start(ctx, enqueue=False)
    done = await reviews.run(tenant.id, job.id)
    assert done.succeeded and done.done == done.total == 5
    for quantity, order_id in enumerate(ids, start=1):
        order = (await use_cases.query(ctx, GetOrder(order_id))).order
        assert order.carrier == "sf" and order.priority == 5
        if quantity >= 3:  # 30.00 and more: held for 4 hours by "big"
            assert order.status is OrderStatus.HELD and order.hold is not None
            assert order.hold.until is not None and order.resume_status is not None
        else:
            assert order.status is OrderStatus.APPROVED and order.hold is None
    owner = await asyncpg.connect(database.owner_url)
    try:
        rows = await owner.fetch(
            "SELECT status, carrier, priority, hold_until, version FROM orders"
            " WHERE tenant_id = $1 ORDER BY placed_at",
            tenant.id,
        )
        audited = await owner.fetchval(
            "SELECT count(*) FROM audit_log WHERE tenant_id = $1"
            " AND action = 'order.review_waiting'",
            tenant.id,
        )
    finally:
        await owner.close()
    assert [r["status"] for r in rows] == ["approved"] * 2 + ["held"] * 3
    assert all(r["carrier"] == "sf" and r["priority"] == 5 for r in rows)
    assert [r["hold_until"] is not None for r in rows] == [False] * 2 + [True] * 3
    assert audited == 5  # one record an order, each in its page's transaction
    again = await reviews.run(tenant.id, (await reviews.start(ctx, enqueue=False)).id)
    assert again.succeeded and again.done == 0  # nothing left waiting


async def test_a_page_rolled_back_for_contention_is_done_again_and_the_job_goes_on(
    tenant: TenantHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ORD-1, PLT-1 (decision 103): the first page's transaction ends as a deadlock would —
    its work done, then ``Contention`` from the unit of work, everything rolled back — and
    the job reviews that page again instead of failing."""
    ids = await _waiting(tenant, 3)
    ctx, use_cases = caller(tenant), tenant.container.use_cases
    await use_cases.run(ctx, SaveRuleSet(RULES[2:], 0))  # approve every order
    reviewed = ReviewWaitingHandler.handle
    rolled_back: list[object] = []

    async def deadlocked_once(self: ReviewWaitingHandler, command: Any, work: Any) -> Any:
        page = await reviewed(self, command, work)
        if not rolled_back:
            rolled_back.append(page)
            raise Contention
        return page

    monkeypatch.setattr(ReviewWaitingHandler, "handle", deadlocked_once)
    reviews = tenant.container.get(WaitingReviews)
    done = await reviews.run(tenant.id, (await reviews.start(ctx, enqueue=False)).id)
    assert len(rolled_back) == 1
    assert done.succeeded and done.done == done.total == 3
    for order_id in ids:
        order = (await use_cases.query(ctx, GetOrder(order_id))).order
        assert order.status is OrderStatus.APPROVED
        approvals = [e for e in order.timeline if e.to_status == OrderStatus.APPROVED.value]
        assert len(approvals) == 1  # by the page done again: the first wrote nothing
