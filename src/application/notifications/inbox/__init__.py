"""The user's inbox: one file per use case, run through ``UseCases``."""

from application.notifications.inbox.mark_all_read import MarkAllRead as MarkAllRead
from application.notifications.inbox.mark_read import MarkRead as MarkRead
from application.notifications.inbox.queries import CountUnread as CountUnread
from application.notifications.inbox.queries import ListInbox as ListInbox
