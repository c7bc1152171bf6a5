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


class ProcessedMessages(Protocol):
    """Which messages a consumer has already handled (table ``processed_messages``).

    ``claim`` records the message in the caller's transaction: it returns ``False`` when the
    message was handled before (by a committed transaction), so a redelivered message does
    its work once. The claim commits with the work or rolls back with it.
    """

    async def claim(self, consumer: str, message_id: str) -> bool: ...
