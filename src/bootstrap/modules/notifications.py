"""Notifications (docs/notifications.md): the inbox and the email queue (the notifier
itself is in the kernel: every module notifies through it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.notifications.smtp import SmtpEmailSender
from adapters.postgres.notifications.inbox import PostgresDueEmails
from application.notifications.emails import NotificationEmails
from application.notifications.inbox.mark_all_read import MarkAllReadHandler
from application.notifications.inbox.mark_read import MarkReadHandler
from application.notifications.inbox.queries import CountUnreadHandler, ListInboxHandler

if TYPE_CHECKING:
    from bootstrap import Container


def register(c: Container) -> None:
    settings = c.settings
    c.use_cases.register(
        ListInboxHandler(), CountUnreadHandler(), MarkReadHandler(), MarkAllReadHandler()
    )
    c.add(
        NotificationEmails(
            c.uow_factory,
            c.templates,
            SmtpEmailSender(settings.smtp_host, settings.smtp_port, settings.smtp_sender),
            c.task_queue,
            PostgresDueEmails(c.platform_engine),
            c.clock,
            c.ids,
        ),
    )
