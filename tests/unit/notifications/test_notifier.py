"""The Notifier on fakes: role expansion, one message per user in their language, channels
(ORD-7, INV-3)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from types import SimpleNamespace
from typing import Any
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.notifications.templates import JinjaMessageTemplates
from application.identity.ports import IDENTITY
from application.notifications.notifier import EMAILS_QUEUED, TransactionalNotifier
from application.notifications.ports import NOTIFICATIONS, QueuedEmail
from application.shared.unit_of_work import StoreKey
from domain.identity.role import Role
from domain.identity.user import User
from domain.notifications.inbox import InboxMessage
from domain.notifications.language import message_language
from domain.notifications.notification import (
    ALL_CHANNELS,
    Channel,
    InvalidNotification,
    Notification,
    expand_recipients,
)
from domain.shared.events import DomainEvent
from tests.fakes.clock import FakeClock
from tests.fakes.unit_of_work import FakeIds

TENANT = uuid.uuid4()


class Directory:
    """Users and roles of one tenant, as the Notifier reads them."""

    def __init__(self) -> None:
        self.users: dict[UUID, User] = {}
        self.roles: dict[str, Role] = {}
        self.members: dict[UUID, list[UUID]] = {}

    def role(self, key: str) -> Role:
        if key not in self.roles:
            self.roles[key] = Role(uuid.uuid4(), key, key, False, frozenset())
            self.members[self.roles[key].id] = []
        return self.roles[key]

    def user(self, locale: str, roles: tuple[str, ...] = (), active: bool = True) -> User:
        user = User(
            uuid.uuid4(),
            TENANT,
            f"{uuid.uuid4().hex[:6]}@example.com",
            "U",
            "x",
            locale=locale,
            active=active,
        )
        self.users[user.id] = user
        for key in roles:
            self.members[self.role(key).id].append(user.id)
        return user


class FakeUsers:
    def __init__(self, directory: Directory) -> None:
        self._d = directory

    async def get(self, user_id: UUID) -> User | None:
        return self._d.users.get(user_id)


class FakeRoles:
    def __init__(self, directory: Directory) -> None:
        self._d = directory

    async def by_key(self, key: str) -> Role | None:
        return self._d.roles.get(key)

    async def members(self, role_id: UUID) -> list[UUID]:
        return list(self._d.members[role_id])


class Collect:
    def __init__(self) -> None:
        self.items: list[Any] = []

    async def add(self, item: Any) -> None:
        self.items.append(item)

    async def add_many(self, items: Sequence[Any]) -> None:
        self.items.extend(items)


class FakeUow(SimpleNamespace):
    def of(self, key: StoreKey[Any]) -> Any:
        return self.stores[key]


def fake_uow(directory: Directory) -> Any:
    return FakeUow(
        tenant_id=TENANT,
        stores={
            IDENTITY: SimpleNamespace(users=FakeUsers(directory), roles=FakeRoles(directory)),
            NOTIFICATIONS: SimpleNamespace(inbox=Collect(), queued_emails=Collect()),
        },
        outbox=Collect(),
    )


@pytest.fixture
def notifier() -> TransactionalNotifier:
    return TransactionalNotifier(JinjaMessageTemplates(), FakeClock(), FakeIds())


def stock_low(**overrides: Any) -> Notification:
    values: dict[str, Any] = {
        "topic": "stock.low",
        "template": "stock.low",
        "params": {"sku": "SKU-1", "warehouse": "WH-SZ", "available": 3, "threshold": 5},
        "roles": ("warehouse",),
        "link": "/inventory/levels/1",
    }
    values.update(overrides)
    return Notification(**values)


async def test_a_role_reaches_each_member_once_in_their_language(
    notifier: TransactionalNotifier,
) -> None:
    d = Directory()
    both = d.user("zh-TW", ("warehouse", "purchasing"))
    listed_too = d.user("en", ("warehouse",))
    only_purchasing = d.user("zh-CN", ("purchasing",))
    d.user("en", ("finance",))  # not addressed
    uow = fake_uow(d)

    receipt = await notifier.notify(
        uow, stock_low(roles=("warehouse", "purchasing"), users=(listed_too.id,))
    )

    inbox: list[InboxMessage] = uow.of(NOTIFICATIONS).inbox.items
    assert sorted(m.user_id for m in inbox) == sorted([both.id, listed_too.id, only_purchasing.id])
    assert set(receipt.user_ids) == {both.id, listed_too.id, only_purchasing.id}
    titles = {m.user_id: m.title for m in inbox}
    assert titles[both.id] == "庫存警示：SKU-1 低於下限"
    assert titles[listed_too.id] == "Low stock: SKU-1 is below its minimum"
    assert titles[only_purchasing.id] == "库存预警：SKU-1 低于下限"
    assert all(m.link == "/inventory/levels/1" and m.read_at is None for m in inbox)
    # Inbox only (the default): no emails, no events.
    assert uow.of(NOTIFICATIONS).queued_emails.items == [] and uow.outbox.items == []


async def test_inactive_users_and_unknown_roles_are_skipped(
    notifier: TransactionalNotifier,
) -> None:
    d = Directory()
    active = d.user("en", ("warehouse",))
    d.user("en", ("warehouse",), active=False)
    uow = fake_uow(d)
    receipt = await notifier.notify(
        uow, stock_low(roles=("warehouse", "deleted_role"), users=(uuid.uuid4(),))
    )
    assert receipt.user_ids == (active.id,)
    assert receipt.unknown_roles == ("deleted_role",)
    assert [m.user_id for m in uow.of(NOTIFICATIONS).inbox.items] == [active.id]


async def test_email_channel_queues_one_email_per_user_and_one_event(
    notifier: TransactionalNotifier,
) -> None:
    d = Directory()
    a, b = d.user("en", ("warehouse",)), d.user("zh-TW", ("warehouse",))
    uow = fake_uow(d)
    receipt = await notifier.notify(uow, stock_low(channels={Channel.EMAIL}))

    emails: list[QueuedEmail] = uow.of(NOTIFICATIONS).queued_emails.items
    assert {e.user_id for e in emails} == {a.id, b.id}
    assert all(e.notification_id == receipt.notification_id for e in emails)
    assert all(e.template == "stock.low" and e.params["sku"] == "SKU-1" for e in emails)
    assert uow.of(NOTIFICATIONS).inbox.items == []
    events: list[DomainEvent] = uow.outbox.items
    assert [(e.event_type, e.entity_id) for e in events] == [
        (EMAILS_QUEUED, receipt.notification_id)
    ]


async def test_webhook_channel_records_an_event_with_ids_and_codes_only(
    notifier: TransactionalNotifier,
) -> None:
    d = Directory()
    user = d.user("en", ("warehouse",))
    uow = fake_uow(d)
    receipt = await notifier.notify(
        uow,
        stock_low(
            channels=ALL_CHANNELS,
            params={"sku": "S", "warehouse": "W", "available": Decimal("2.50"), "threshold": 5},
        ),
    )
    events = {e.event_type: e for e in uow.outbox.items}
    assert set(events) == {EMAILS_QUEUED, "notification.stock.low"}
    webhook = events["notification.stock.low"]
    assert webhook.entity_type == "notification"
    assert webhook.entity_id == receipt.notification_id
    assert webhook.data == {
        "topic": "stock.low",
        "template": "stock.low",
        "link": "/inventory/levels/1",
        "sku": "S",
        "warehouse": "W",
        "available": "2.50",
        "threshold": "5",
    }
    # Nothing rendered (no title, no email address) goes into the event.
    assert user.email not in str(webhook.data)


async def test_a_missing_template_fails_the_callers_command(
    notifier: TransactionalNotifier,
) -> None:
    d = Directory()
    d.user("en", ("warehouse",))
    with pytest.raises(LookupError):
        await notifier.notify(fake_uow(d), stock_low(template="stock.missing"))
    with pytest.raises(ValueError, match="threshold"):
        await notifier.notify(
            fake_uow(d), stock_low(params={"sku": "S", "warehouse": "W", "available": 1})
        )


# ---- domain rules ----------------------------------------------------------------------
@given(
    users=st.lists(st.integers(0, 9), max_size=6),
    roles=st.dictionaries(
        st.sampled_from(["a", "b", "c"]), st.lists(st.integers(0, 9), max_size=6), max_size=3
    ),
)
def test_expansion_reaches_everyone_addressed_exactly_once(
    users: list[int], roles: dict[str, list[int]]
) -> None:
    ids = [uuid.UUID(int=i + 1) for i in range(10)]
    expanded = expand_recipients(
        [ids[i] for i in users], {k: [ids[i] for i in v] for k, v in roles.items()}
    )
    addressed = {ids[i] for i in users} | {ids[i] for v in roles.values() for i in v}
    assert len(expanded) == len(set(expanded))
    assert set(expanded) == addressed
    assert expanded[: len(dict.fromkeys(users))] == [ids[i] for i in dict.fromkeys(users)]


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"topic": "Stock Low"}, "topic"),
        ({"template": "../etc/passwd"}, "template"),
        ({"roles": (), "users": ()}, "at least one"),
        ({"channels": frozenset()}, "channel"),
        ({"link": "https://evil.example.com/x"}, "link"),
        ({"link": "//evil.example.com/x"}, "link"),
        ({"link": "/orders/1\nBcc: x"}, "link"),
        ({"params": {"note": "line one\nline two"}}, "note"),
        ({"params": {"note": "x" * 201}}, "note"),
        ({"params": {"ok": True}}, "ok"),
        ({"params": {"ok": 1.5}}, "ok"),
        ({"params": {"topic": "x"}}, "topic"),
        ({"params": {"Bad-Name": "x"}}, "Bad-Name"),
    ],
)
def test_notifications_are_checked_when_made(changes: dict[str, Any], reason: str) -> None:
    with pytest.raises(InvalidNotification, match=reason):
        stock_low(**changes)


@pytest.mark.parametrize(
    ("locale", "language"),
    [
        ("zh-CN", "zh-CN"),
        ("zh-TW", "zh-TW"),
        ("zh-HK", "zh-TW"),
        ("zh-Hant-TW", "zh-TW"),
        ("zh_TW", "zh-TW"),
        ("zh-Hans", "zh-CN"),
        ("en", "en"),
        ("en-GB", "en"),
        ("fr-FR", "zh-CN"),
        ("", "zh-CN"),
        (None, "zh-CN"),
    ],
)
def test_user_locales_map_to_template_languages(locale: str | None, language: str) -> None:
    assert message_language(locale) == language


def test_inbox_message_keeps_the_first_read_time() -> None:
    clock = FakeClock()
    message = InboxMessage(uuid.uuid4(), uuid.uuid4(), "stock.low", "t", "b", None, clock.now())
    assert message.unread
    first = clock.now()
    assert message.mark_read(first)
    clock.advance(minutes=5)
    assert not message.mark_read(clock.now())
    assert message.read_at == first and not message.unread
