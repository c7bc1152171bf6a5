"""What support staff see of dramatiq's Redis queues: lengths, dead letters, retry.

dramatiq's Redis layout (``dramatiq/brokers/redis/dispatch.lua``), under the namespace:
``<q>`` a list of waiting message ids, ``<q>.msgs`` the bodies of waiting and in-flight
messages, ``<q>.DQ.msgs`` delayed ones (retries waiting for their backoff), ``<q>.XQ`` a
sorted set of dead-lettered ids by time and ``<q>.XQ.msgs`` their bodies (kept 7 days).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from dramatiq.brokers.redis import RedisBroker
from dramatiq.common import current_millis, q_name
from dramatiq.message import Message

from adapters.messaging.broker import dead_letter_note_key

# Bookkeeping of the failed run; a retried message starts with a fresh retry budget.
_RUN_OPTIONS = frozenset({"retries", "traceback", "requeue_timestamp", "eta", "redis_message_id"})


@dataclass(frozen=True)
class QueueStats:
    queue: str
    waiting: int  # in the queue, not yet fetched
    in_flight: int  # fetched by a worker, not yet acknowledged
    delayed: int  # retries waiting for their backoff, and tasks enqueued with a delay
    dead: int


@dataclass(frozen=True)
class DeadLetter:
    queue: str
    message_id: str
    task: str
    payload: dict[str, Any]
    attempts: int
    dead_at: datetime
    error: str  # the exception's type and where it was raised (never its message)

    @property
    def tenant_id(self) -> str | None:
        value = self.payload.get("tenant_id")
        return str(value) if value else None


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _escape_glob(text: str) -> str:
    return "".join(f"\\{c}" if c in "*?[]\\" else c for c in text)


class BrokerQueues:
    def __init__(self, broker: RedisBroker) -> None:
        self._broker = broker
        self._redis: Any = broker.client  # redis.Redis (bytes replies)
        self._ns = broker.namespace

    def _key(self, name: str) -> str:
        return f"{self._ns}:{name}"

    def _discover(self) -> set[str]:
        queues: set[str] = set()
        start = len(self._ns) + 1
        for raw in self._redis.scan_iter(match=_escape_glob(self._ns) + ":*", count=500):
            name = (raw.decode() if isinstance(raw, bytes) else str(raw))[start:]
            if name.startswith("__"):  # heartbeats and acks
                continue
            for suffix in (".msgs", ".XQ", ".DQ"):
                name = name.removesuffix(suffix)
            queues.add(name)
        return queues

    async def stats(self, known: Iterable[str] = ()) -> list[QueueStats]:
        return await asyncio.to_thread(self._stats, set(known))

    def _stats(self, known: set[str]) -> list[QueueStats]:
        result = []
        for queue in sorted(known | self._discover()):
            pipe = self._redis.pipeline(transaction=False)
            pipe.llen(self._key(queue))
            pipe.hlen(self._key(f"{queue}.msgs"))
            pipe.hlen(self._key(f"{queue}.DQ.msgs"))
            pipe.zcard(self._key(f"{queue}.XQ"))
            waiting, bodies, delayed, dead = pipe.execute()
            result.append(QueueStats(queue, waiting, max(bodies - waiting, 0), delayed, dead))
        return result

    async def dead_letters(self, queue: str | None = None) -> list[DeadLetter]:
        return [letter for _, letter in await asyncio.to_thread(self._dead_letters, queue)]

    def _dead_letters(self, only: str | None) -> list[tuple[str, DeadLetter]]:
        letters: list[tuple[str, DeadLetter]] = []
        queues = [only] if only else sorted(self._discover())
        for queue in queues:
            entries = self._redis.zrange(self._key(f"{queue}.XQ"), 0, -1, withscores=True)
            if not entries:
                continue
            ids = [redis_id for redis_id, _ in entries]
            bodies = self._redis.hmget(self._key(f"{queue}.XQ.msgs"), ids)
            notes = self._redis.mget([dead_letter_note_key(self._ns, _text(i)) for i in ids])
            for (redis_id, score), body, raw_note in zip(entries, bodies, notes, strict=True):
                if body is None:
                    continue
                message = Message.decode(body)
                note = json.loads(raw_note) if raw_note else {}
                args = message.args
                payload = args[0] if args and isinstance(args[0], dict) else {}
                letters.append(
                    (
                        _text(redis_id),
                        DeadLetter(
                            queue=queue,
                            message_id=message.message_id,
                            task=message.actor_name,
                            payload=payload,
                            attempts=int(note.get("attempts", 0)) + 1,
                            dead_at=datetime.fromtimestamp(score / 1000, UTC),
                            error=str(note.get("error", "")),
                        ),
                    )
                )
        return letters

    async def retry(self, message_ids: Iterable[str] | None) -> list[DeadLetter]:
        """Re-enqueue dead letters (all when ``message_ids`` is None); returns those retried.

        Enqueued first, removed from the dead letters second: a crash in between leaves a
        duplicate, which consumers deduplicate, rather than a lost message.
        """
        wanted = None if message_ids is None else set(message_ids)
        return await asyncio.to_thread(self._retry, wanted)

    def _retry(self, wanted: set[str] | None) -> list[DeadLetter]:
        retried = []
        for redis_id, letter in self._dead_letters(None):
            if wanted is not None and letter.message_id not in wanted:
                continue
            body = self._redis.hget(self._key(f"{letter.queue}.XQ.msgs"), redis_id)
            if body is None:
                continue  # retried by someone else meanwhile
            old = Message.decode(body)
            fresh: Message[Any] = Message(
                queue_name=q_name(old.queue_name),
                actor_name=old.actor_name,
                args=old.args,
                kwargs=old.kwargs,
                options={k: v for k, v in old.options.items() if k not in _RUN_OPTIONS},
                message_id=old.message_id,
                message_timestamp=current_millis(),
            )
            self._broker.enqueue(fresh)
            pipe = self._redis.pipeline(transaction=True)
            pipe.zrem(self._key(f"{letter.queue}.XQ"), redis_id)
            pipe.hdel(self._key(f"{letter.queue}.XQ.msgs"), redis_id)
            pipe.delete(dead_letter_note_key(self._ns, redis_id))
            pipe.execute()
            retried.append(letter)
        return retried
