"""Mark all of one's messages read; answers how many were unread."""

from __future__ import annotations

from dataclasses import dataclass

from application.notifications.inbox.common import ENTITY, reader_of
from application.notifications.ports import NOTIFICATIONS
from application.shared.clock import Clock
from application.shared.use_case import SIGNED_IN, Command, Work


@dataclass(frozen=True)
class MarkAllRead(Command[int], action="inbox.mark_all_read", entity=ENTITY, permission=SIGNED_IN):
    pass


class MarkAllReadHandler:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    async def handle(self, command: MarkAllRead, work: Work) -> int:
        inbox = work.uow.of(NOTIFICATIONS).inbox
        return await inbox.mark_all_read(reader_of(work.ctx), self._clock.now())
