"""Mark one of one's messages read (not audited: the reader's own view)."""

from __future__ import annotations

from uuid import UUID

from application.notifications.inbox.common import ENTITY, reader_of
from application.notifications.ports import NOTIFICATIONS
from application.shared.use_case import SIGNED_IN, Command, Work
from domain.notifications.inbox import InboxMessage
from domain.shared.errors import NotFound


class MarkRead(
    Command[InboxMessage],
    action="inbox.mark_read",
    entity=ENTITY,
    permission=SIGNED_IN,
    target="message_id",
):
    message_id: UUID


class MarkReadHandler:
    async def handle(self, command: MarkRead, work: Work) -> InboxMessage:
        inbox = work.uow.of(NOTIFICATIONS).inbox
        reader = reader_of(work.ctx)
        message = await inbox.get(command.message_id)
        if message is None or message.user_id != reader:
            raise NotFound(entity=ENTITY)
        now = work.clock.now()
        if message.mark_read(now):
            await inbox.mark_read(message.id, now)
        return message
