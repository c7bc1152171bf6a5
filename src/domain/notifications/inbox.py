"""One message in a user's in-app inbox, already written in that user's language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID


@dataclass
class InboxMessage:
    id: UUID
    user_id: UUID
    topic: str
    title: str
    body: str
    link: str | None
    created_at: datetime
    read_at: datetime | None = None

    @property
    def unread(self) -> bool:
        return self.read_at is None

    def mark_read(self, at: datetime) -> bool:
        """True if this changed it; reading it again keeps the first time."""
        if self.read_at is not None:
            return False
        self.read_at = at
        return True
