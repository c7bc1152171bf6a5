"""Every signed-in user reads their own inbox: list, unread count, mark read.

No permission is needed beyond being a user: the inbox holds only what was sent to the
caller, and another user's message answers 404 exactly as a missing one does. API keys,
support staff and workers have no inbox. Marking messages read changes the reader's own
view, not business data, so it is not audited (failed and denied attempts still are, by
the runner).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from application.notifications.ports import NOTIFICATIONS, InboxPosition
from application.shared.clock import Clock
from application.shared.context import CallContext
from application.shared.pagination import Page, clamp_limit, decode_cursor, encode_cursor
from application.shared.runner import CommandRunner
from application.shared.unit_of_work import UnitOfWork
from domain.notifications.inbox import InboxMessage
from domain.shared.errors import NotFound, PermissionDenied, ValidationFailed

ENTITY = "inbox_message"


def _reader(ctx: CallContext) -> UUID:
    user_id = ctx.user_id
    if user_id is None:
        raise PermissionDenied("inbox_users_only")
    return user_id


def _position(cursor: str | None) -> InboxPosition | None:
    if not cursor:
        return None
    key = decode_cursor(cursor)
    try:
        return InboxPosition(datetime.fromisoformat(key[0]), UUID(key[1]))
    except (ValueError, IndexError):
        raise ValidationFailed.single("cursor", "invalid_cursor") from None


class Inbox:
    def __init__(self, runner: CommandRunner, clock: Clock) -> None:
        self._runner = runner
        self._clock = clock

    async def list(
        self, ctx: CallContext, unread_only: bool, cursor: str | None, limit: int | None
    ) -> Page[InboxMessage]:
        size = clamp_limit(limit)
        after = _position(cursor)

        async def read(uow: UnitOfWork) -> Page[InboxMessage]:
            rows = await uow.of(NOTIFICATIONS).inbox.newest(
                _reader(ctx), unread_only, after, size + 1
            )
            page = rows[:size]
            nxt = None
            if len(rows) > size:
                nxt = encode_cursor([page[-1].created_at.isoformat(), str(page[-1].id)])
            return Page(page, nxt)

        return await self._runner.query(ctx, read)

    async def unread_count(self, ctx: CallContext) -> int:
        async def read(uow: UnitOfWork) -> int:
            return await uow.of(NOTIFICATIONS).inbox.unread_count(_reader(ctx))

        return await self._runner.query(ctx, read)

    async def mark_read(self, ctx: CallContext, message_id: UUID) -> InboxMessage:
        async def command(uow: UnitOfWork) -> InboxMessage:
            reader = _reader(ctx)
            message = await uow.of(NOTIFICATIONS).inbox.get(message_id)
            if message is None or message.user_id != reader:
                raise NotFound(entity=ENTITY)
            now = self._clock.now()
            if message.mark_read(now):
                await uow.of(NOTIFICATIONS).inbox.mark_read(message.id, now)
            return message

        return await self._runner.run(ctx, "inbox.mark_read", ENTITY, command, entity_id=message_id)

    async def mark_all_read(self, ctx: CallContext) -> int:
        async def command(uow: UnitOfWork) -> int:
            return await uow.of(NOTIFICATIONS).inbox.mark_all_read(_reader(ctx), self._clock.now())

        return await self._runner.run(ctx, "inbox.mark_all_read", ENTITY, command)
