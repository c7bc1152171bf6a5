"""The inbox facade: list, unread count, mark read (see ``inbox.common``)."""

from __future__ import annotations

from uuid import UUID

from application.notifications.inbox.common import position
from application.notifications.inbox.mark_all_read import MarkAllRead, MarkAllReadHandler
from application.notifications.inbox.mark_read import MarkRead, MarkReadHandler
from application.notifications.inbox.queries import (
    CountUnread,
    CountUnreadHandler,
    ListInbox,
    ListInboxHandler,
)
from application.shared.clock import Clock
from application.shared.context import CallContext
from application.shared.pagination import Page, clamp_limit
from application.shared.runner import CommandRunner
from application.shared.use_case import runs
from domain.notifications.inbox import InboxMessage


class Inbox:
    def __init__(self, runner: CommandRunner, clock: Clock) -> None:
        self._runner = runner
        self._mark_read = MarkReadHandler()
        self._mark_all_read = MarkAllReadHandler()

    @runs(ListInbox)
    async def list(
        self, ctx: CallContext, unread_only: bool, cursor: str | None, limit: int | None
    ) -> Page[InboxMessage]:
        size = clamp_limit(limit)
        query = ListInbox(unread_only, position(cursor), size)
        return await self._runner.query(ctx, query, ListInboxHandler())

    @runs(CountUnread)
    async def unread_count(self, ctx: CallContext) -> int:
        return await self._runner.query(ctx, CountUnread(), CountUnreadHandler())

    @runs(MarkRead)
    async def mark_read(self, ctx: CallContext, message_id: UUID) -> InboxMessage:
        return await self._runner.run(ctx, MarkRead(message_id), self._mark_read)

    @runs(MarkAllRead)
    async def mark_all_read(self, ctx: CallContext) -> int:
        return await self._runner.run(ctx, MarkAllRead(), self._mark_all_read)
