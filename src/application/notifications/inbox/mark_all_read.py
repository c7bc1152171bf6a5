"""Mark all of one's messages read; answers how many were unread."""

from __future__ import annotations

from application.notifications.inbox.common import ENTITY, reader_of
from application.notifications.ports import NOTIFICATIONS
from application.shared.use_case import SIGNED_IN, Command, Work


class MarkAllRead(Command[int], action="inbox.mark_all_read", entity=ENTITY, permission=SIGNED_IN):
    pass


class MarkAllReadHandler:
    async def handle(self, command: MarkAllRead, work: Work) -> int:
        inbox = work.uow.of(NOTIFICATIONS).inbox
        return await inbox.mark_all_read(reader_of(work.ctx), work.clock.now())
