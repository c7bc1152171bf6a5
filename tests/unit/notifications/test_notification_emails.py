"""Sending queued notification emails on fakes: once, retried with backoff, given up, skipped
(ORD-7, INV-3). The SQL of claims and leases is tested against Postgres in integration."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime, timedelta
from types import SimpleNamespace, TracebackType
from typing import Any
from uuid import UUID

import pytest

from adapters.notifications.templates import JinjaMessageTemplates
from application.identity.ports import IDENTITY
from application.notifications.emails import EmailPolicy, NotificationEmails, SendOutcome
from application.notifications.ports import (
    NOTIFICATIONS,
    EmailClaim,
    EmailNotSent,
    OutgoingEmail,
    QueuedEmail,
)
from application.shared.context import CallContext
from application.shared.unit_of_work import StoreKey
from domain.identity.user import User
from tests.fakes.clock import FakeClock
from tests.fakes.unit_of_work import FakeIds

TENANT = uuid.uuid4()


class Rows:
    """queued_emails with the adapter's claim and lease rules."""

    def __init__(self) -> None:
        self.rows: dict[UUID, dict[str, Any]] = {}

    async def claim(
        self, email_id: UUID, token: UUID, now: datetime, lease_until: datetime
    ) -> EmailClaim | None:
        row = self.rows.get(email_id)
        if row is None or row["email"].status != "pending":
            return None
        if row["lease_until"] is not None and row["lease_until"] >= now:
            return None
        row.update(token=token, lease_until=lease_until)
        row["email"] = dataclasses.replace(row["email"], attempts=row["email"].attempts + 1)
        return EmailClaim(row["email"], token)

    async def finish(
        self,
        claim: EmailClaim,
        status: str,
        at: datetime,
        error: str | None = None,
        next_attempt_at: datetime | None = None,
    ) -> bool:
        row = self.rows[claim.email.id]
        if row["token"] != claim.token:
            return False
        row["email"] = dataclasses.replace(
            row["email"],
            status=status,
            last_error=error,
            sent_at=at if status == "sent" else None,
            next_attempt_at=next_attempt_at or row["email"].next_attempt_at,
        )
        row.update(token=None, lease_until=None)
        return True


class FakeFactory:
    def __init__(self, rows: Rows, users: dict[UUID, User]) -> None:
        self.rows, self.users = rows, users

    def for_tenant(self, ctx: CallContext) -> Any:
        users = self.users

        rows = self.rows

        class Uow:
            async def __aenter__(self) -> Any:
                self.stores = {
                    NOTIFICATIONS: SimpleNamespace(queued_emails=rows),
                    IDENTITY: SimpleNamespace(users=SimpleNamespace(get=self._get)),
                }
                return self

            def of(self, key: StoreKey[Any]) -> Any:
                return self.stores[key]

            @staticmethod
            async def _get(user_id: UUID) -> User | None:
                return users.get(user_id)

            async def commit(self) -> None:
                pass

            async def __aexit__(
                self,
                exc_type: type[BaseException] | None,
                exc: BaseException | None,
                tb: TracebackType | None,
            ) -> None:
                pass

        return Uow()


class Outbox:
    """A mail server that takes mail, or refuses it as told."""

    def __init__(self) -> None:
        self.sent: list[OutgoingEmail] = []
        self.refuse: EmailNotSent | None = None

    async def send(self, email: OutgoingEmail) -> None:
        if self.refuse is not None:
            raise self.refuse
        self.sent.append(email)


class World:
    def __init__(self) -> None:
        self.clock = FakeClock()
        self.rows = Rows()
        self.users: dict[UUID, User] = {}
        self.server = Outbox()
        self.emails = NotificationEmails(
            FakeFactory(self.rows, self.users),  # type: ignore[arg-type]
            JinjaMessageTemplates(),
            self.server,
            SimpleNamespace(),  # type: ignore[arg-type]  # no enqueueing here
            SimpleNamespace(),  # type: ignore[arg-type]
            self.clock,
            FakeIds(),
            EmailPolicy(max_attempts=3),
        )

    def queue(self, locale: str = "en", active: bool = True) -> tuple[User, UUID]:
        user = User(
            uuid.uuid4(), TENANT, "li.lei@example.com", "李雷", "x", locale=locale, active=active
        )
        self.users[user.id] = user
        email = QueuedEmail(
            uuid.uuid4(),
            uuid.uuid4(),
            user.id,
            "order.status_changed",
            "order.status_changed",
            {"orderNumber": "SO-1", "status": "paid"},
            "/orders/1",
            self.clock.now(),
            self.clock.now(),
        )
        self.rows.rows[email.id] = {"email": email, "token": None, "lease_until": None}
        return user, email.id

    def row(self, email_id: UUID) -> QueuedEmail:
        email: QueuedEmail = self.rows.rows[email_id]["email"]
        return email


@pytest.fixture
def world() -> World:
    return World()


async def test_an_email_is_sent_once_in_the_users_language_now(world: World) -> None:
    user, email_id = world.queue(locale="en")
    user.locale = "zh-TW"  # changed after the notification: the email follows the user
    assert await world.emails.send(TENANT, email_id) is SendOutcome.SENT
    assert await world.emails.send(TENANT, email_id) is SendOutcome.NOT_CLAIMED
    [mail] = world.server.sent
    assert (mail.to_address, mail.to_name, mail.language) == (user.email, "李雷", "zh-TW")
    assert mail.subject == "訂單 SO-1 已付款"
    assert mail.reference == str(email_id)
    assert world.row(email_id).status == "sent"


async def test_a_refused_send_is_retried_later_then_given_up(world: World) -> None:
    _, email_id = world.queue()
    world.server.refuse = EmailNotSent("connection refused")
    start = world.clock.now()
    assert await world.emails.send(TENANT, email_id) is SendOutcome.RETRY
    row = world.row(email_id)
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "connection refused")
    assert row.next_attempt_at == start + timedelta(seconds=30)
    assert await world.emails.send(TENANT, email_id) is SendOutcome.RETRY
    assert world.row(email_id).next_attempt_at == start + timedelta(seconds=60)
    assert await world.emails.send(TENANT, email_id) is SendOutcome.FAILED  # 3 attempts
    assert world.row(email_id).status == "failed"
    assert world.server.sent == []


async def test_a_permanent_refusal_is_not_retried(world: World) -> None:
    _, email_id = world.queue()
    world.server.refuse = EmailNotSent("recipient refused: [550]", permanent=True)
    assert await world.emails.send(TENANT, email_id) is SendOutcome.FAILED
    assert world.row(email_id).attempts == 1


async def test_inactive_users_get_no_email(world: World) -> None:
    _, email_id = world.queue(active=False)
    assert await world.emails.send(TENANT, email_id) is SendOutcome.SKIPPED
    assert world.server.sent == [] and world.row(email_id).status == "skipped"


async def test_an_email_in_another_workers_hands_is_left_alone(world: World) -> None:
    _, email_id = world.queue()
    claim = await world.rows.claim(
        email_id, uuid.uuid4(), world.clock.now(), world.clock.now() + timedelta(minutes=5)
    )
    assert claim is not None
    assert await world.emails.send(TENANT, email_id) is SendOutcome.NOT_CLAIMED
    world.clock.advance(minutes=6)  # that worker died: its lease ran out
    assert await world.emails.send(TENANT, email_id) is SendOutcome.SENT
    # The dead worker's late outcome no longer counts.
    assert not await world.rows.finish(claim, "failed", world.clock.now(), "late")
    assert world.row(email_id).status == "sent"


def test_retry_delays_double_up_to_a_ceiling() -> None:
    policy = EmailPolicy()
    delays = [policy.retry_delay(n).total_seconds() for n in range(1, 10)]
    assert delays[:4] == [30, 60, 120, 240]
    assert max(delays) == 3600
