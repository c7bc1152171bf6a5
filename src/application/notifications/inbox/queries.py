"""Reading one's inbox: newest first, and the unread count."""

from __future__ import annotations

from application.notifications.inbox.common import ENTITY, position, reader_of
from application.notifications.ports import NOTIFICATIONS, InboxPosition
from application.shared.pagination import Page, clamp_limit, page_of, time_and_id
from application.shared.use_case import SIGNED_IN, Query, Reading
from domain.notifications.inbox import InboxMessage


class ListInbox(Query[Page[InboxMessage]], entity=ENTITY, permission=SIGNED_IN):
    unread_only: bool
    after: InboxPosition | None
    size: int

    @classmethod
    def window(cls, unread_only: bool, cursor: str | None, limit: int | None) -> ListInbox:
        size = clamp_limit(limit)
        return cls(unread_only, position(cursor), size)


class ListInboxHandler:
    async def handle(self, query: ListInbox, reading: Reading) -> Page[InboxMessage]:
        rows = await reading.uow.of(NOTIFICATIONS).inbox.newest(
            reader_of(reading.ctx), query.unread_only, query.after, query.size + 1
        )
        return page_of(rows, query.size, lambda m: time_and_id(m.created_at, m.id))


class CountUnread(Query[int], entity=ENTITY, permission=SIGNED_IN):
    pass


class CountUnreadHandler:
    async def handle(self, query: CountUnread, reading: Reading) -> int:
        return await reading.uow.of(NOTIFICATIONS).inbox.unread_count(reader_of(reading.ctx))
