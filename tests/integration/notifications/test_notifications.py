"""Notifications against the real Postgres and a real local SMTP server (ORD-7, INV-3).

An inbox message to a role reaches each of its users once, in their language; an email
reaches the SMTP server (aiosmtpd on 127.0.0.1) in the recipient's language; a change
that rolls back notifies nobody, by any channel.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any

import asyncpg
import pytest
from aiosmtpd.controller import Controller

from adapters.notifications.smtp import SmtpEmailSender
from adapters.notifications.templates import JinjaMessageTemplates
from adapters.postgres.notifications.inbox import PostgresDueEmails
from adapters.system import Uuid7Generator
from application.identity.access_admin import CreateUser, NewUser
from application.notifications.emails import NotificationEmails, SendOutcome
from application.notifications.notifier import EMAILS_QUEUED
from application.notifications.ports import NotificationReceipt
from application.shared.messages import PublishedEvent
from bootstrap import Container, build_container
from bootstrap.settings import Settings
from domain.identity.user import User
from domain.notifications.notification import ALL_CHANNELS, Channel, Notification
from entrypoints.worker.events import EventWork
from entrypoints.worker.notifications import queue_emails, send_email
from entrypoints.worker.tasks import TaskMessage, worker_context
from tests.conftest import PASSWORD, TenantHandle
from tests.fakes.clock import FakeClock
from tests.support.databases import TestDatabase
from tests.support.processes import free_port
from tests.support.smtp_sink import Mailbox


class RolledBack(RuntimeError):
    pass


async def add_user(
    tenant: TenantHandle, roles: list[str], locale: str, name: str = "测试用户"
) -> User:
    address = f"{locale.lower()}-{uuid.uuid4().hex[:8]}@example.com"
    return await tenant.container.use_cases.run(
        tenant.admin_context, CreateUser(NewUser(address, name, PASSWORD, roles, locale))
    )


async def notify(
    container: Container, tenant: TenantHandle, notification: Notification, commit: bool = True
) -> NotificationReceipt:
    async with container.uow_factory.for_tenant(tenant.admin_context) as uow:
        receipt = await container.notifier.notify(uow, notification)
        if commit:
            await uow.commit()
    return receipt


def stock_low(**overrides: Any) -> Notification:
    values: dict[str, Any] = {
        "topic": "stock.low",
        "template": "stock.low",
        "params": {"sku": "SKU-42", "warehouse": "SZ-01", "available": 3, "threshold": 10},
        "roles": ("warehouse",),
        "link": "/inventory/levels/42",
    }
    values.update(overrides)
    return Notification(**values)


@pytest.fixture
async def owner(database: TestDatabase) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(database.owner_url)
    try:
        yield conn
    finally:
        await conn.close()


async def inbox_rows(conn: asyncpg.Connection, tenant: TenantHandle) -> list[asyncpg.Record]:
    return list(
        await conn.fetch(
            "SELECT user_id, topic, title, body, link, read_at FROM inbox_messages"
            " WHERE tenant_id = $1",
            tenant.id,
        )
    )


# ---- the inbox -------------------------------------------------------------------------
async def test_a_role_reaches_each_of_its_users_once_in_their_language(
    container: Container, tenant: TenantHandle, owner: asyncpg.Connection
) -> None:
    zh_tw = await add_user(tenant, ["warehouse"], "zh-TW")
    en = await add_user(tenant, ["warehouse"], "en")
    both_roles = await add_user(tenant, ["warehouse", "purchasing"], "zh-CN")
    bystander = await add_user(tenant, ["finance"], "en")

    receipt = await notify(
        container,
        tenant,
        stock_low(roles=("warehouse", "purchasing"), users=(en.id, both_roles.id)),
    )

    rows = await inbox_rows(owner, tenant)
    assert sorted(r["user_id"] for r in rows) == sorted([zh_tw.id, en.id, both_roles.id])
    assert bystander.id not in receipt.user_ids
    titles = {r["user_id"]: r["title"] for r in rows}
    assert titles[zh_tw.id] == "庫存警示：SKU-42 低於下限"
    assert titles[en.id] == "Low stock: SKU-42 is below its minimum"
    assert titles[both_roles.id] == "库存预警：SKU-42 低于下限"
    assert all(r["link"] == "/inventory/levels/42" and r["read_at"] is None for r in rows)
    assert all("SZ-01" in r["body"] for r in rows)


async def test_a_rolled_back_change_notifies_nobody(
    container: Container, tenant: TenantHandle, owner: asyncpg.Connection
) -> None:
    await add_user(tenant, ["warehouse"], "en")
    with pytest.raises(RolledBack):
        async with container.uow_factory.for_tenant(tenant.admin_context) as uow:
            await container.notifier.notify(uow, stock_low(channels=ALL_CHANNELS))
            raise RolledBack
    await notify(container, tenant, stock_low(channels=ALL_CHANNELS), commit=False)
    for table in ("inbox_messages", "queued_emails", "outbox"):
        count = await owner.fetchval(
            f"SELECT count(*) FROM {table} WHERE tenant_id = $1", tenant.id
        )
        assert count == 0, table


async def test_the_webhook_channel_writes_an_event_for_the_webhooks_fan_out(
    container: Container, tenant: TenantHandle, owner: asyncpg.Connection
) -> None:
    user = await add_user(tenant, ["warehouse"], "en")
    receipt = await notify(container, tenant, stock_low(channels={Channel.WEBHOOK}))
    rows = await owner.fetch(
        "SELECT event_type, entity_type, entity_id, data FROM outbox WHERE tenant_id = $1",
        tenant.id,
    )
    assert [(r["event_type"], r["entity_type"], r["entity_id"]) for r in rows] == [
        ("notification.stock.low", "notification", receipt.notification_id)
    ]
    assert user.email not in rows[0]["data"]
    assert await inbox_rows(owner, tenant) == []


# ---- email through a real SMTP server (tests/support/smtp_sink.py) --------------------
@pytest.fixture(scope="module")
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield mailbox, controller.port
    finally:
        controller.stop()


@pytest.fixture(scope="module")
async def mail_container(
    settings: Settings, smtp_server: tuple[Mailbox, int]
) -> AsyncIterator[Container]:
    services = build_container(dataclasses.replace(settings, smtp_port=smtp_server[1]))
    yield services
    await services.aclose()


async def run_email_task(container: Container, tenant: TenantHandle, email_id: uuid.UUID) -> None:
    """The worker's ``notifications.email`` handler, called as the actor would."""
    payload = {"tenant_id": str(tenant.id), "email_id": str(email_id)}
    await send_email(container, TaskMessage("notifications.email", str(email_id), payload))


async def test_an_email_reaches_the_smtp_server_in_the_recipients_language(
    mail_container: Container,
    smtp_server: tuple[Mailbox, int],
    tenant: TenantHandle,
    owner: asyncpg.Connection,
) -> None:
    mailbox, _ = smtp_server
    zh_tw = await add_user(tenant, ["warehouse"], "zh-TW", name="陳小華")
    en = await add_user(tenant, ["warehouse"], "en", name="Alice Chen")
    order = Notification(
        topic="order.status_changed",
        template="order.status_changed",
        params={"orderNumber": "SO-2024-0007", "status": "shipped"},
        roles=("warehouse",),
        link="/orders/7",
        channels={Channel.EMAIL},
    )
    receipt = await notify(mail_container, tenant, order)
    assert len(receipt.email_ids) == 2
    assert await inbox_rows(owner, tenant) == []  # email only

    for email_id in receipt.email_ids:
        await run_email_task(mail_container, tenant, email_id)

    [tw] = mailbox.to(zh_tw.email)
    assert tw["Subject"] == "訂單 SO-2024-0007 已出貨"
    assert tw["To"].addresses[0].addr_spec == zh_tw.email
    assert tw["To"].addresses[0].display_name == "陳小華"
    assert tw["Content-Language"] == "zh-TW"
    assert tw.get_content_charset() == "utf-8"
    assert "訂單 SO-2024-0007 的狀態已變更為「已出貨」" in tw.get_content()
    assert tw["Auto-Submitted"] == "auto-generated"
    # The raw message is 7-bit safe: non-ASCII only inside encoded words and the body encoding.
    raw = next(e for e in mailbox.envelopes if zh_tw.email in e.rcpt_tos)
    assert raw.content.isascii()
    assert raw.mail_from == "no-reply@shopkeeper.test"

    [en_mail] = mailbox.to(en.email)
    assert en_mail["Subject"] == "Order SO-2024-0007 shipped"
    assert en_mail["To"].addresses[0].addr_spec == en.email
    assert en_mail["Content-Language"] == "en"
    assert "View the order: /orders/7" in en_mail.get_content()

    statuses = await owner.fetch(
        "SELECT status, attempts, sent_at FROM queued_emails WHERE tenant_id = $1", tenant.id
    )
    assert [(r["status"], r["attempts"]) for r in statuses] == [("sent", 1), ("sent", 1)]

    # A duplicate task (delivery is at least once) sends nothing more.
    await run_email_task(mail_container, tenant, receipt.email_ids[0])
    assert len(mailbox.to(zh_tw.email)) == 1 and len(mailbox.to(en.email)) == 1


async def test_a_rolled_back_change_sends_no_email(
    mail_container: Container,
    smtp_server: tuple[Mailbox, int],
    tenant: TenantHandle,
    owner: asyncpg.Connection,
) -> None:
    mailbox, port = smtp_server
    user = await add_user(tenant, ["warehouse"], "en")
    with pytest.raises(RolledBack):
        async with mail_container.uow_factory.for_tenant(tenant.admin_context) as uow:
            receipt = await mail_container.notifier.notify(uow, stock_low(channels={Channel.EMAIL}))
            assert receipt.email_ids
            raise RolledBack
    # Even its email ids, replayed as tasks, and every sweep afterwards find nothing.
    for email_id in receipt.email_ids:
        await run_email_task(mail_container, tenant, email_id)
    swept = await _sweeper(mail_container, port, later=timedelta(hours=1)).sweep()
    assert tenant.id not in {d.tenant_id for d in swept}
    assert mailbox.to(user.email) == []
    assert (
        await owner.fetchval("SELECT count(*) FROM queued_emails WHERE tenant_id = $1", tenant.id)
        == 0
    )


class RecordingQueue:
    def __init__(self) -> None:
        self.tasks: list[tuple[str, dict[str, str], str | None]] = []

    async def enqueue(
        self,
        task: str,
        payload: dict[str, str],
        *,
        message_id: str | None = None,
        delay_ms: int = 0,
    ) -> None:
        self.tasks.append((task, payload, message_id))


def _sweeper(
    container: Container, port: int, later: timedelta, queue: RecordingQueue | None = None
) -> NotificationEmails:
    """The sweep as the scheduler runs it, on a clock moved ``later``."""
    clock = FakeClock()
    clock.advance(seconds=later.total_seconds())
    return NotificationEmails(
        container.uow_factory,
        JinjaMessageTemplates(),
        SmtpEmailSender("127.0.0.1", port, container.settings.smtp_sender),
        queue or RecordingQueue(),  # type: ignore[arg-type]
        PostgresDueEmails(container.platform_engine),
        clock,
        Uuid7Generator(),
    )


async def test_the_event_subscriber_queues_one_task_per_email(
    mail_container: Container, tenant: TenantHandle, owner: asyncpg.Connection
) -> None:
    await add_user(tenant, ["warehouse"], "en")
    await add_user(tenant, ["warehouse"], "zh-CN")
    receipt = await notify(mail_container, tenant, stock_low(channels={Channel.EMAIL}))
    row = await owner.fetchrow(
        "SELECT id, event_type, entity_type, entity_id, occurred_at FROM outbox"
        " WHERE tenant_id = $1",
        tenant.id,
    )
    assert row["event_type"] == EMAILS_QUEUED
    event = PublishedEvent(
        row["id"],
        tenant.id,
        row["event_type"],
        row["entity_type"],
        row["entity_id"],
        (),
        row["occurred_at"],
    )
    ctx = worker_context(tenant.id, "notifications.queue_emails")
    async with mail_container.uow_factory.for_tenant(ctx) as uow:
        work = EventWork(event, uow, ctx, mail_container)
        await queue_emails(work)
    queued = [(q.task, q.payload, q.message_id) for q in work._after_commit]
    expected = [
        ("notifications.email", {"tenant_id": str(tenant.id), "email_id": str(i)}, str(i))
        for i in receipt.email_ids
    ]
    assert sorted(queued, key=str) == sorted(expected, key=str)


async def test_the_sweep_sends_an_email_whose_task_was_lost(
    mail_container: Container,
    smtp_server: tuple[Mailbox, int],
    tenant: TenantHandle,
) -> None:
    mailbox, port = smtp_server
    user = await add_user(tenant, ["warehouse"], "zh-CN")
    receipt = await notify(mail_container, tenant, stock_low(channels={Channel.EMAIL}))
    # Not due yet: the event path has a grace period before the sweep steps in.
    assert receipt.email_ids[0] not in {
        d.email_id for d in await _sweeper(mail_container, port, timedelta(0)).sweep()
    }
    queue = RecordingQueue()
    sweeper = _sweeper(mail_container, port, timedelta(minutes=3), queue)
    due = [d for d in await sweeper.sweep() if d.tenant_id == tenant.id]
    assert [d.email_id for d in due] == list(receipt.email_ids)
    # Taken once: the next sweep leaves it to the task it enqueued.
    assert tenant.id not in {d.tenant_id for d in await sweeper.sweep()}
    assert any(t[1]["email_id"] == str(receipt.email_ids[0]) for t in queue.tasks)
    assert await sweeper.send(tenant.id, receipt.email_ids[0]) is SendOutcome.SENT
    [mail] = mailbox.to(user.email)
    assert mail["Subject"] == "库存预警：SKU-42 低于下限"


async def test_an_unreachable_server_leaves_the_email_for_a_retry(
    mail_container: Container, tenant: TenantHandle, owner: asyncpg.Connection
) -> None:
    await add_user(tenant, ["warehouse"], "en")
    receipt = await notify(mail_container, tenant, stock_low(channels={Channel.EMAIL}))
    closed_port = free_port()
    sender = _sweeper(mail_container, closed_port, timedelta(0))
    assert await sender.send(tenant.id, receipt.email_ids[0]) is SendOutcome.RETRY
    row = await owner.fetchrow(
        "SELECT status, attempts, last_error, next_attempt_at, lease_token FROM queued_emails"
        " WHERE tenant_id = $1",
        tenant.id,
    )
    assert (row["status"], row["attempts"], row["lease_token"]) == ("pending", 1, None)
    assert "refused" in row["last_error"].lower() or "connect" in row["last_error"].lower()
