from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from domain.shared.events import DomainEvent


class Outbox(Protocol):
    """Domain events written in the same transaction as the change they describe."""

    async def add(self, event: DomainEvent) -> None: ...

    async def add_many(self, events: Sequence[DomainEvent]) -> None:
        """Several events at once (bulk imports)."""
        ...
