"""The ``Notifier``: a notification becomes inbox rows, queued emails and an event, all in
the caller's transaction (ORD-7, INV-3)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from uuid import UUID

from application.customers.ports import CUSTOMERS
from application.identity.ports import IDENTITY
from application.notifications.ports import (
    NOTIFICATIONS,
    MessageTemplates,
    NotificationReceipt,
    QueuedEmail,
)
from application.shared.clock import Clock, IdGenerator
from application.shared.unit_of_work import UnitOfWork
from domain.identity.user import User
from domain.notifications.inbox import InboxMessage
from domain.notifications.language import message_language
from domain.notifications.notification import Channel, Notification, expand_recipients
from domain.shared.events import DomainEvent

ENTITY = "notification"
# Written when a notification queued emails; the notifications subscriber turns it into
# one "notifications.email" task per email once the transaction has committed.
EMAILS_QUEUED = "notification.emails_queued"
# How long the event path has before the periodic sweep sends a queued email itself.
SWEEP_GRACE = timedelta(minutes=2)


def webhook_event_type(topic: str) -> str:
    return f"notification.{topic}"


class TransactionalNotifier:
    def __init__(self, templates: MessageTemplates, clock: Clock, ids: IdGenerator) -> None:
        self._templates = templates
        self._clock = clock
        self._ids = ids

    async def notify(self, uow: UnitOfWork, notification: Notification) -> NotificationReceipt:
        return (await self.notify_many(uow, [notification]))[0]

    async def notify_many(
        self, uow: UnitOfWork, notifications: Sequence[Notification]
    ) -> list[NotificationReceipt]:
        """Each role's members and each user read once for all the notifications, and
        their events written in one statement (a page of orders reviewed at once)."""
        roles: dict[str, list[UUID] | None] = {}
        for key in dict.fromkeys(k for n in notifications for k in n.roles):
            role = await uow.of(IDENTITY).roles.by_key(key)
            # A role the tenant deleted must not fail the business change that notifies.
            roles[key] = None if role is None else await uow.of(IDENTITY).roles.members(role.id)
        users: dict[UUID, User | None] = {}
        events: list[DomainEvent] = []
        receipts = []
        for notification in notifications:
            keys = list(dict.fromkeys(notification.roles))
            members = {k: found for k in keys if (found := roles[k]) is not None}
            unknown = [k for k in keys if roles[k] is None]
            user_ids = expand_recipients(notification.users, members)
            for user_id in user_ids:
                if user_id not in users:
                    users[user_id] = await _active_user(uow, user_id)
            recipients = [user for user_id in user_ids if (user := users[user_id]) is not None]
            receipts.append(await self._send(uow, notification, recipients, unknown, events))
        if events:
            await uow.outbox.add_many(events)
        return receipts

    async def _send(
        self,
        uow: UnitOfWork,
        notification: Notification,
        recipients: list[User],
        unknown: list[str],
        events: list[DomainEvent],
    ) -> NotificationReceipt:
        """The inbox rows and queued emails of one notification; its events added to
        ``events``."""
        notification_id = self._ids.new_id()
        now = self._clock.now()
        inbox_ids: list[UUID] = []
        email_ids: list[UUID] = []
        for user in recipients:
            # Rendered for every recipient whatever the channels: a missing template or
            # parameter fails the caller's command now, in its tests, not a worker later.
            rendered = self._templates.render(
                notification.template,
                message_language(user.locale),
                notification.values,
                notification.link,
            )
            if notification.wants(Channel.INBOX):
                message = InboxMessage(
                    id=self._ids.new_id(),
                    user_id=user.id,
                    topic=notification.topic,
                    title=rendered.subject,
                    body=rendered.body,
                    link=notification.link,
                    created_at=now,
                )
                await uow.of(NOTIFICATIONS).inbox.add(message)
                inbox_ids.append(message.id)
            if notification.wants(Channel.EMAIL):
                email = self._email(notification, notification_id, user_id=user.id)
                await uow.of(NOTIFICATIONS).queued_emails.add(email)
                email_ids.append(email.id)
        for customer_id in dict.fromkeys(notification.customers):
            language = await _customer_language(uow, customer_id)
            if language is None:
                continue  # no such customer, or no address to write to
            self._templates.render(
                notification.template, language, notification.values, notification.link
            )
            email = self._email(notification, notification_id, customer_id=customer_id)
            await uow.of(NOTIFICATIONS).queued_emails.add(email)
            email_ids.append(email.id)

        if email_ids:
            events.append(
                DomainEvent(
                    EMAILS_QUEUED, ENTITY, notification_id, data={"topic": notification.topic}
                )
            )
        if notification.wants(Channel.WEBHOOK):
            # Ids, codes and numbers only (the parameters), never the rendered text.
            data = {k: str(v) for k, v in notification.values.items()}
            data.update(topic=notification.topic, template=notification.template)
            if notification.link:
                data["link"] = notification.link
            events.append(
                DomainEvent(
                    webhook_event_type(notification.topic), ENTITY, notification_id, data=data
                )
            )
        return NotificationReceipt(
            notification_id,
            tuple(u.id for u in recipients),
            tuple(inbox_ids),
            tuple(email_ids),
            tuple(unknown),
        )

    def _email(
        self,
        notification: Notification,
        notification_id: UUID,
        *,
        user_id: UUID | None = None,
        customer_id: UUID | None = None,
    ) -> QueuedEmail:
        now = self._clock.now()
        return QueuedEmail(
            id=self._ids.new_id(),
            notification_id=notification_id,
            user_id=user_id,
            customer_id=customer_id,
            topic=notification.topic,
            template=notification.template,
            params=notification.values,
            link=notification.link,
            created_at=now,
            next_attempt_at=now + SWEEP_GRACE,
        )


async def _customer_language(uow: UnitOfWork, customer_id: UUID) -> str | None:
    """The language to write to the customer in, None when there is no one to write to
    (no such customer, erased, or no email address)."""
    customer = await uow.of(CUSTOMERS).customers.get(customer_id)
    profile = customer.profile if customer is not None else None
    if profile is None or profile.email is None:
        return None
    return message_language(profile.language)


async def _active_user(uow: UnitOfWork, user_id: UUID) -> User | None:
    user = await uow.of(IDENTITY).users.get(user_id)
    return user if user is not None and user.active else None
