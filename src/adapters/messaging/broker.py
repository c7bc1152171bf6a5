"""The dramatiq broker (docs/events-and-jobs.md).

Built by the composition root from Settings. Keys live under ``<redis_prefix>dramatiq``, so
test runs (each with its own prefix) never share queues with each other or with a
developer's worker.
"""

from __future__ import annotations

import json
import traceback
from typing import Any

import redis
from dramatiq.broker import Broker
from dramatiq.brokers.redis import DEFAULT_DEAD_MESSAGE_TTL, RedisBroker
from dramatiq.middleware import (
    AgeLimit,
    AsyncIO,
    CurrentMessage,
    Middleware,
    Retries,
    ShutdownNotifications,
    TimeLimit,
)
from redis.backoff import ExponentialWithJitterBackoff
from redis.retry import Retry

# Retries: a failing message is retried with exponential backoff from 1 s up to 10 min,
# 12 times (about 40 minutes in all), then dead-lettered for `shopkeeper jobs retry`.
# dramatiq's defaults (20 retries, 15 s to 7 days) would keep a broken message for weeks.
DEFAULT_MAX_RETRIES = 12
DEFAULT_MIN_BACKOFF_MS = 1_000
DEFAULT_MAX_BACKOFF_MS = 600_000


def broker_namespace(redis_prefix: str) -> str:
    return f"{redis_prefix}dramatiq"


def dead_letter_note_key(namespace: str, redis_message_id: str) -> str:
    return f"{namespace}:__dead_letter__.{redis_message_id}"


class DeadLetterNotes(Middleware):
    """Why a message was dead-lettered, for `shopkeeper jobs dead-letters`.

    dramatiq stores the body as it was enqueued, without the failure. This keeps, beside
    it and for as long as dramatiq keeps the dead letter, the exception's type and where it
    was raised — not its message, which may quote personal data — and the attempt count.
    """

    def before_nack(self, broker: Broker, message: Any) -> None:
        if not isinstance(broker, RedisBroker):
            return
        error = getattr(message, "_exception", None)
        where = ""
        if isinstance(error, BaseException) and error.__traceback__ is not None:
            frame = traceback.extract_tb(error.__traceback__)[-1]
            where = f" at {frame.filename.rsplit('/src/', 1)[-1]}:{frame.lineno} in {frame.name}"
        note = {
            "error": (type(error).__name__ + where) if error is not None else "",
            "attempts": int(message.options.get("retries", 0)),
        }
        broker.client.set(
            dead_letter_note_key(broker.namespace, message.options["redis_message_id"]),
            json.dumps(note),
            px=DEFAULT_DEAD_MESSAGE_TTL,
        )


#: A dispatch command the broker's Lua script has no branch for: a call with it runs the
#: maintenance (when asked to) and nothing else.
SWEEP_COMMAND = "sweep"


class SweepingRedisBroker(RedisBroker):
    """dramatiq's Redis broker with a deterministic hand-back of dead workers' messages.

    dramatiq hands a dead worker's fetched-but-unacked messages back to their queue only in
    its "maintenance", which a broker call runs by chance (``maintenance_chance`` per
    million calls) and only for the queue that call touches: an idle queue, polled about
    once a second, is swept about every 1,000 s. ``sweep()`` runs that maintenance on every
    declared queue and delay queue now; the worker calls it every
    ``SHOPKEEPER_BROKER_SWEEP_SECONDS`` (docs/events-and-jobs.md, "Broker settings").
    """

    def _should_do_maintenance(self, command: str) -> int:
        if command == SWEEP_COMMAND:
            return 1
        return int(super()._should_do_maintenance(command))

    def sweep(self) -> None:
        """Requeue the messages of every worker whose heartbeat is older than the timeout,
        on every declared queue. Also records this broker's own heartbeat."""
        sweep_queue = self._dispatch(SWEEP_COMMAND)  # type: ignore[no-untyped-call]
        for queue in sorted(self.get_declared_queues() | self.get_declared_delay_queues()):
            sweep_queue(queue)


def queue_for(task: str) -> str:
    """Each area has its own queue: the task name up to its first dot."""
    return task.split(".", 1)[0]


def build_broker(
    redis_url: str,
    redis_prefix: str,
    *,
    heartbeat_timeout_ms: int,
    maintenance_chance: int,
) -> SweepingRedisBroker:
    # Fail fast when Redis is down (the relay leaves events in the outbox and tries again);
    # a blocked call would stall the relay and the workers' shutdown instead.
    client = redis.Redis.from_url(
        redis_url,
        socket_connect_timeout=2,
        socket_timeout=10,
        health_check_interval=30,
        retry=Retry(ExponentialWithJitterBackoff(base=0.05, cap=0.5), retries=2),
    )
    middleware: list[Middleware] = [
        AgeLimit(),
        TimeLimit(),
        ShutdownNotifications(),
        Retries(
            max_retries=DEFAULT_MAX_RETRIES,
            min_backoff=DEFAULT_MIN_BACKOFF_MS,
            max_backoff=DEFAULT_MAX_BACKOFF_MS,
        ),
        AsyncIO(),  # the event loop thread our async handlers run on
        CurrentMessage(),  # actors read the message id to deduplicate
        DeadLetterNotes(),
    ]
    return SweepingRedisBroker(  # type: ignore[no-untyped-call]
        client=client,
        namespace=broker_namespace(redis_prefix),
        heartbeat_timeout=heartbeat_timeout_ms,
        maintenance_chance=maintenance_chance,
        middleware=middleware,
    )
