"""What the inbox use cases share.

Every signed-in user reads their own inbox: list, unread count, mark read. No permission
is needed beyond being a user (``SIGNED_IN``): the inbox holds only what was sent to the
caller, and another user's message answers 404 exactly as a missing one does. API keys,
support staff and workers have no inbox. Marking messages read changes the reader's own
view, not business data, so it is not audited (failed and denied attempts still are, by
the runner).
"""

from __future__ import annotations

from uuid import UUID

from application.notifications.ports import InboxPosition
from application.shared.context import CallContext
from application.shared.pagination import time_and_id_after
from domain.shared.errors import PermissionDenied

ENTITY = "inbox_message"


def reader_of(ctx: CallContext) -> UUID:
    user_id = ctx.user_id
    if user_id is None:
        raise PermissionDenied("inbox_users_only")
    return user_id


def position(cursor: str | None) -> InboxPosition | None:
    after = time_and_id_after(cursor)
    return InboxPosition(*after) if after else None
