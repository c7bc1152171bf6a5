"""One delivery attempt (CHN-3), as the worker runs it for a queued "webhooks.deliver".

1. A short transaction claims the delivery: it must be pending, due and not held by
   another attempt; the claim is a lease (a fresh token, expiring after twice the HTTP
   timeout plus a margin), not a row lock, so no transaction or connection stays open
   while the receiver takes its time.
2. The request is signed (fresh timestamp, same ``webhook-id``) and sent, with no
   transaction open. The sender refuses forbidden destinations without connecting.
3. A second short transaction records the attempt and settles the delivery, only if the
   token still holds the lease. If the lease was lost (this worker stalled past it and
   another attempt took over) the attempt is logged as ``lease_lost`` and changes
   nothing, so the log keeps exactly one success per delivery and series (a partial
   unique index enforces it too).

Then the next attempt is queued (with the backoff as delay) if the delivery is still
pending. A message that arrives early or while another attempt holds the lease queues
itself again for when the delivery is due or the lease runs out; a message for an attempt
already made is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from application.shared.clock import Clock, IdGenerator
from application.shared.messaging import TaskQueue
from application.shared.unit_of_work import UnitOfWork, UnitOfWorkFactory
from application.webhooks.common import ENDPOINT, enqueue_attempt, worker_context
from application.webhooks.ports import WEBHOOKS, DeliveryAttempt, RandomSource, WebhookSender
from domain.shared.audit import AuditEntry
from domain.shared.events import DomainEvent
from domain.webhooks.delivery import (
    ENDPOINT_INACTIVE,
    GONE,
    LEASE_LOST,
    AttemptResult,
    ClaimRefusal,
    DeliveryStatus,
    WebhookDelivery,
)
from domain.webhooks.endpoint import WebhookEndpoint
from domain.webhooks.retry import RetryPolicy
from domain.webhooks.signature import encode_body, signed_headers

LEASE_MARGIN = timedelta(seconds=5)


def lease_for(timeout_seconds: float) -> timedelta:
    """Long enough for the attempt (its deadline covers DNS, connect and response) with
    room for a slow settle and clock skew between workers; short enough that a crashed
    worker's delivery is taken over soon."""
    return timedelta(seconds=2 * timeout_seconds) + LEASE_MARGIN


@dataclass(frozen=True)
class DeliveryReport:
    """What a call to ``deliver`` did."""

    delivery_id: UUID
    refusal: ClaimRefusal | None = None  # set when no attempt was made
    attempt: int | None = None
    result: AttemptResult | None = None
    lease_held: bool = True  # False: the attempt's outcome was not accepted
    status: DeliveryStatus | None = None
    next_attempt_at: datetime | None = None

    @property
    def attempted(self) -> bool:
        return self.result is not None


@dataclass(frozen=True)
class _Claimed:
    delivery: WebhookDelivery
    endpoint: WebhookEndpoint
    secret: str | None  # None: the stored secret does not decrypt
    attempt: int


class DeliverWebhook:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        sender: WebhookSender,
        queue: TaskQueue,
        policy: RetryPolicy,
        clock: Clock,
        ids: IdGenerator,
        random: RandomSource,
        *,
        lease: timedelta,
    ) -> None:
        self._uow_factory = uow_factory
        self._sender = sender
        self._queue = queue
        self._policy = policy
        self._clock = clock
        self._ids = ids
        self._random = random
        self._lease = lease

    async def __call__(
        self,
        tenant_id: UUID,
        delivery_id: UUID,
        *,
        series: int | None = None,
        attempt: int | None = None,
    ) -> DeliveryReport:
        """Make one attempt of the delivery if it is due. ``series``/``attempt`` are what
        the queued message was sent for (None: whatever is next)."""
        ctx = worker_context(tenant_id)
        token = self._ids.new_id()
        claimed: _Claimed | None = None
        async with self._uow_factory.for_tenant(ctx) as uow:
            delivery = await uow.of(WEBHOOKS).webhooks.get_delivery(delivery_id, lock=True)
            if delivery is None:
                return DeliveryReport(delivery_id, ClaimRefusal.FINISHED)
            now = self._clock.now()
            refusal = delivery.why_not_claimable(now, series, attempt)
            if refusal is None and delivery.abandoned_last_attempt(self._policy, now):
                await uow.of(WEBHOOKS).webhooks.save_delivery(delivery)
                await uow.commit()
                return self._report(delivery, ClaimRefusal.FINISHED)
            if refusal is not None:
                report = self._report(delivery, refusal)
            else:
                claimed = await self._claim(uow, delivery, token, now)
                if claimed.secret is None:
                    return await self._hold(uow, claimed, now)
                if claimed.endpoint.active:
                    await uow.commit()
                    report = None
                else:
                    # Paused by its owner (or gone): give up without sending anything.
                    result = AttemptResult(None, ENDPOINT_INACTIVE, 0)
                    await self._settle(uow, claimed, token, result, now)
                    await uow.commit()
                    return self._report(delivery, None, claimed.attempt, result)
        if report is not None:
            await self._requeue_when_due(tenant_id, delivery, report.refusal)
            return report
        assert claimed is not None
        return await self._attempt(tenant_id, claimed, token)

    async def _claim(
        self, uow: UnitOfWork, delivery: WebhookDelivery, token: UUID, now: datetime
    ) -> _Claimed:
        endpoint = await uow.of(WEBHOOKS).webhooks.get_endpoint(delivery.endpoint_id)
        if endpoint is None:
            # guard: deleting an endpoint deletes its deliveries in the same transaction
            raise LookupError("delivery without endpoint")
        secret = await uow.of(WEBHOOKS).webhooks.secret_of(endpoint.id) if endpoint.active else ""
        number = delivery.claim(token, now, self._lease)
        await uow.of(WEBHOOKS).webhooks.save_delivery(delivery)
        return _Claimed(delivery, endpoint, secret, number)

    async def _hold(self, uow: UnitOfWork, claimed: _Claimed, now: datetime) -> DeliveryReport:
        """Nothing can be signed: hold the delivery (no attempt made, none queued) until
        the endpoint's secret is rotated. The unreadable value itself is logged and audited
        by the unit of work (``personal_data.unreadable``); this audits what it held."""
        delivery = claimed.delivery
        delivery.hold(now)
        await uow.of(WEBHOOKS).webhooks.save_delivery(delivery)
        await uow.audit.record(
            AuditEntry(
                "webhook_endpoint.secret_unreadable",
                ENDPOINT,
                claimed.endpoint.id,
                outcome="failed",
                detail={"delivery": str(delivery.id)},
            )
        )
        await uow.commit()
        return self._report(delivery, ClaimRefusal.HELD)

    async def _attempt(self, tenant_id: UUID, claimed: _Claimed, token: UUID) -> DeliveryReport:
        delivery = claimed.delivery
        assert claimed.secret is not None
        body = encode_body(delivery.payload)
        timestamp = int(self._clock.now().timestamp())
        headers = signed_headers(claimed.secret, delivery.webhook_id, timestamp, body)
        result = await self._sender.send(claimed.endpoint.url, headers, body)
        async with self._uow_factory.for_tenant(worker_context(tenant_id)) as uow:
            held = await self._settle(uow, claimed, token, result, self._clock.now())
            await uow.commit()
        if held and delivery.status is DeliveryStatus.PENDING:
            await enqueue_attempt(
                self._queue,
                self._ids,
                tenant_id,
                delivery,
                at=delivery.next_attempt_at,
                now=self._clock.now(),
            )
        return self._report(delivery, None, claimed.attempt, result, lease_held=held)

    async def _settle(
        self,
        uow: UnitOfWork,
        claimed: _Claimed,
        token: UUID,
        result: AttemptResult,
        now: datetime,
    ) -> bool:
        delivery = claimed.delivery
        gone = delivery.settle(result, self._policy, now, self._random.random())
        held = await uow.of(WEBHOOKS).webhooks.settle_delivery(delivery, token)
        await uow.of(WEBHOOKS).webhooks.add_attempt(
            DeliveryAttempt(
                id=self._ids.new_id(),
                delivery_id=delivery.id,
                series=delivery.series,
                attempt=claimed.attempt,
                attempted_at=now,
                status_code=result.status_code,
                error=result.error if held else LEASE_LOST,
                duration_ms=result.duration_ms,
                succeeded=held and result.succeeded,
            )
        )
        if held and gone:
            await self._deactivate(uow, claimed.endpoint.id, delivery.id, now)
        return held

    async def _deactivate(
        self, uow: UnitOfWork, endpoint_id: UUID, delivery_id: UUID, now: datetime
    ) -> None:
        """The receiver answered 410 Gone: stop sending to it until its owner says so."""
        endpoint = await uow.of(WEBHOOKS).webhooks.get_endpoint(endpoint_id)
        if endpoint is None:
            return
        stored_version = endpoint.version
        if not endpoint.deactivate(now):
            return
        await uow.of(WEBHOOKS).webhooks.save_endpoint(endpoint, stored_version)
        await uow.audit.record(
            AuditEntry(
                "webhook_endpoint.deactivate",
                ENDPOINT,
                endpoint.id,
                detail={"reason": GONE, "delivery": str(delivery_id)},
            )
        )
        await uow.outbox.add(
            DomainEvent("webhook_endpoint.updated", ENDPOINT, endpoint.id, ("active",))
        )

    async def _requeue_when_due(
        self, tenant_id: UUID, delivery: WebhookDelivery, refusal: ClaimRefusal | None
    ) -> None:
        """An early message waits for the due time; one that met another attempt's lease
        comes back when the lease runs out, in case that attempt's worker died."""
        if refusal is ClaimRefusal.NOT_DUE:
            at, attempt = delivery.next_attempt_at, delivery.next_attempt
        elif refusal is ClaimRefusal.LEASED:
            # Named for the attempt in flight: stale once that attempt settles, acted on
            # (a new claim) if its lease ran out unsettled.
            at, attempt = delivery.lease_expires_at, delivery.attempts
        else:
            return
        await enqueue_attempt(
            self._queue,
            self._ids,
            tenant_id,
            delivery,
            at=at,
            now=self._clock.now(),
            attempt=attempt,
        )

    @staticmethod
    def _report(
        delivery: WebhookDelivery,
        refusal: ClaimRefusal | None,
        attempt: int | None = None,
        result: AttemptResult | None = None,
        *,
        lease_held: bool = True,
    ) -> DeliveryReport:
        return DeliveryReport(
            delivery.id,
            refusal,
            attempt,
            result,
            lease_held,
            delivery.status,
            delivery.next_attempt_at,
        )
