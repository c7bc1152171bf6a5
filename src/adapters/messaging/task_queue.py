"""The ``TaskQueue`` port on dramatiq: a named task becomes a message for the actor of that
name, on the queue of its area (``webhooks.deliver`` → queue ``webhooks``)."""

from __future__ import annotations

import asyncio

from dramatiq.broker import Broker
from dramatiq.common import current_millis
from dramatiq.message import Message, generate_unique_id

from adapters.messaging.broker import queue_for


def task_message(
    task: str, payload: dict[str, str], message_id: str | None = None
) -> Message[None]:
    return Message(
        queue_name=queue_for(task),
        actor_name=task,
        args=(dict(payload),),
        kwargs={},
        options={},
        message_id=message_id or generate_unique_id(),
        message_timestamp=current_millis(),
    )


class DramatiqTaskQueue:
    def __init__(self, broker: Broker) -> None:
        self._broker = broker

    async def enqueue(
        self,
        task: str,
        payload: dict[str, str],
        *,
        message_id: str | None = None,
        delay_ms: int = 0,
    ) -> None:
        message = task_message(task, payload, message_id)
        # redis-py's client is blocking: keep the event loop free while it talks to Redis.
        # Errors (Redis down) reach the caller, who decides whether the work may wait.
        await asyncio.to_thread(self._broker.enqueue, message, delay=delay_ms or None)
