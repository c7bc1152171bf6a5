"""The buyer's email on a status change (ORD-7), through the notifier's email channel and
a real SMTP server on 127.0.0.1: the order's customer hears of the steps they see — paid,
cancelled — in the language on their profile; the back office's own moves (a hold) and a
customer without an email address send nothing."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from uuid import UUID

import asyncpg

from application.customers.inputs import NewCustomer
from application.customers.register import RegisterCustomer
from application.orders.lifecycle import CancelOrder, HoldOrder, RecordPayment
from application.orders.placing import NewLine, NewOrder, PlaceOrder
from application.shared.versions import ANY_VERSION
from bootstrap import Container, build_container
from bootstrap.settings import Settings
from domain.orders.payment_records import PaymentMethod
from entrypoints.worker.notifications import send_email
from entrypoints.worker.tasks import TaskMessage
from tests.conftest import TenantHandle
from tests.integration.orders.conftest import RECEIVER, caller, stocked_sku
from tests.support.databases import TestDatabase
from tests.support.smtp_sink import smtp_sink


async def _customer(container: Container, tenant: TenantHandle, **given: str | None) -> UUID:
    view = await container.use_cases.run(caller(tenant), RegisterCustomer(NewCustomer(**given)))
    return view.id


async def _send_queued(container: Container, tenant: TenantHandle, database: TestDatabase) -> int:
    """The worker's ``notifications.email`` task for every email queued to a customer."""
    conn = await asyncpg.connect(database.owner_url)
    try:
        ids = await conn.fetch(
            "SELECT id FROM queued_emails WHERE tenant_id = $1 AND customer_id IS NOT NULL"
            " AND status = 'pending' ORDER BY created_at, id",
            tenant.id,
        )
    finally:
        await conn.close()
    for row in ids:
        payload = {"tenant_id": str(tenant.id), "email_id": str(row["id"])}
        await send_email(container, TaskMessage("notifications.email", str(row["id"]), payload))
    return len(ids)


async def test_ord7_the_buyer_is_emailed_paid_and_cancelled_in_their_language(
    settings: Settings, tenant: TenantHandle, database: TestDatabase
) -> None:
    sku = await stocked_sku(tenant, 10, "25.00")
    with smtp_sink() as (mailbox, port):
        container = build_container(dataclasses.replace(settings, smtp_port=port))
        try:
            ctx = caller(tenant)
            mei = await _customer(
                container, tenant, name="林美", email="mei@example.com", language="zh-TW"
            )
            ann = await _customer(
                container, tenant, name="Ann Lee", email="ann@example.com", language="en"
            )
            silent = await _customer(container, tenant, name="王五")  # no email address

            number: dict[UUID, str] = {}
            for customer in (mei, ann, silent):
                new = NewOrder((NewLine(sku, 2),), RECEIVER, customer_id=customer)
                order = await container.use_cases.run(ctx, PlaceOrder(new))
                number[order.id] = order.number.value
            first, second, _ = number
            for order_id in number:
                await container.use_cases.run(
                    ctx, RecordPayment(order_id, PaymentMethod.CASH, Decimal("50.00"))
                )
            await container.use_cases.run(ctx, HoldOrder(first, "核对地址", None, ANY_VERSION))
            await container.use_cases.run(ctx, CancelOrder(first, "买家取消", ANY_VERSION))
            assert await _send_queued(container, tenant, database) == 3
        finally:
            await container.aclose()

    paid, cancelled = mailbox.to("mei@example.com")
    assert paid["Subject"] == f"您的訂單 {number[first]} 已付款，正在為您備貨"
    assert paid["Content-Language"] == "zh-TW"
    assert paid["To"].addresses[0].display_name == "林美"
    assert cancelled["Subject"] == f"您的訂單 {number[first]} 已取消"
    assert "款項將按原路退回" in cancelled.get_content()
    [english] = mailbox.to("ann@example.com")
    assert english["Subject"] == f"Your order {number[second]} is paid and being prepared"
    assert english["Content-Language"] == "en"
    assert len(mailbox.envelopes) == 3  # the hold and the customer without email: nothing
