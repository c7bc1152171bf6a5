from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID


class Clock(Protocol):
    def now(self) -> datetime:
        """Timezone-aware UTC now."""
        ...


class IdGenerator(Protocol):
    def new_id(self) -> UUID:
        """Time-ordered (v7) identifiers, so inserts stay local in the index."""
        ...
