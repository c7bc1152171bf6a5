from __future__ import annotations

from typing import Protocol


class TaskQueue(Protocol):
    """Hands work to background workers (dramatiq on Redis in production).

    Tasks are named (``"events.dispatch"``, ``"webhooks.deliver"``, ...) and carry ids only,
    never personal data. ``message_id`` makes a task traceable and lets the consumer
    deduplicate it. Delivery is at least once: handlers must be idempotent.
    """

    async def enqueue(
        self,
        task: str,
        payload: dict[str, str],
        *,
        message_id: str | None = None,
        delay_ms: int = 0,
    ) -> None: ...
