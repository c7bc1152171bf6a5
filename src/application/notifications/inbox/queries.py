"""Reading one's inbox: newest first, and the unread count."""

from __future__ import annotations

from dataclasses import dataclass

from application.notifications.inbox.common import ENTITY, reader_of
from application.notifications.ports import NOTIFICATIONS, InboxPosition
from application.shared.pagination import Page, encode_cursor
from application.shared.use_case import SIGNED_IN, Query, Reading
from domain.notifications.inbox import InboxMessage


@dataclass(frozen=True)
class ListInbox(Query[Page[InboxMessage]], entity=ENTITY, permission=SIGNED_IN):
    unread_only: bool
    after: InboxPosition | None
    size: int


class ListInboxHandler:
    async def handle(self, query: ListInbox, reading: Reading) -> Page[InboxMessage]:
        size = query.size
        rows = await reading.uow.of(NOTIFICATIONS).inbox.newest(
            reader_of(reading.ctx), query.unread_only, query.after, size + 1
        )
        page = rows[:size]
        nxt = None
        if len(rows) > size:
            nxt = encode_cursor([page[-1].created_at.isoformat(), str(page[-1].id)])
        return Page(page, nxt)


@dataclass(frozen=True)
class CountUnread(Query[int], entity=ENTITY, permission=SIGNED_IN):
    pass


class CountUnreadHandler:
    async def handle(self, query: CountUnread, reading: Reading) -> int:
        return await reading.uow.of(NOTIFICATIONS).inbox.unread_count(reader_of(reading.ctx))
