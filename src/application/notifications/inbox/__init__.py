"""The user's inbox: one file per use case, gathered by ``Inbox``."""

from application.notifications.inbox.service import Inbox

__all__ = ["Inbox"]
