from __future__ import annotations

from typing import Protocol

from domain.shared.events import DomainEvent


class Outbox(Protocol):
    """Domain events written in the same transaction as the change they describe."""

    async def add(self, event: DomainEvent) -> None: ...
