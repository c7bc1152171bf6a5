"""A delivery: one event on its way to one endpoint, and its attempts (CHN-3).

A delivery is ``pending`` until an attempt gets a 2xx (``succeeded``) or it gives up
(``dead``: attempts exhausted, or the receiver answered 410 Gone). Replaying a finished
delivery starts a new *series* of attempts under the same ``webhook-id``.

Concurrent attempts on one delivery are prevented by a lease: an attempt claims the
delivery in a short transaction (a fresh token and an expiry), sends the request with no
transaction open, and settles in a second short transaction only if its token still holds
the claim. A crashed worker's lease runs out and the delivery becomes claimable again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.shared.errors import Conflict
from domain.webhooks.retry import RetryPolicy
from domain.webhooks.signature import message_id

# Error codes of an attempt (webhook_attempts.error, webhook_deliveries.last_error).
REFUSED_DESTINATION = "refused_destination"
ENDPOINT_INACTIVE = "endpoint_inactive"
LEASE_LOST = "lease_lost"
ABANDONED = "attempt_abandoned"
UNEXPECTED_STATUS = "unexpected_status"
GONE = "gone"
GONE_STATUS = 410
# The endpoint's signing secret does not decrypt (moved or altered ciphertext, a data key
# gone): nothing can be signed, so the delivery is held, not tried, until a new secret.
SECRET_UNREADABLE = "secret_unreadable"  # noqa: S105 - an error code, not a secret


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    DEAD = "dead"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def webhook_payload(
    event_id: UUID,
    event_type: str,
    entity_type: str,
    entity_id: UUID,
    changed_fields: tuple[str, ...],
    details: dict[str, str],
    occurred_at: datetime,
) -> dict[str, Any]:
    """The body receivers get: ids and changed field names, never personal data. A
    receiver that needs the values fetches them with its own credentials."""
    return {
        "type": event_type,
        "timestamp": _iso(occurred_at),
        "data": {
            "eventId": str(event_id),
            "entityType": entity_type,
            "entityId": str(entity_id),
            "changedFields": list(changed_fields),
            "details": dict(details),
        },
    }


@dataclass(frozen=True)
class AttemptResult:
    """What one HTTP attempt came to: a status code, or an error code (never a body)."""

    status_code: int | None
    error: str | None
    duration_ms: int

    @property
    def succeeded(self) -> bool:
        return self.error is None and self.status_code is not None and 200 <= self.status_code < 300


class ClaimRefusal(StrEnum):
    FINISHED = "finished"  # succeeded or dead: nothing to do
    STALE = "stale"  # a message for an attempt that already happened
    NOT_DUE = "not_due"  # scheduled later
    LEASED = "leased"  # another attempt holds it right now
    HELD = "held"  # waiting for the endpoint's new secret (``SECRET_UNREADABLE``)


@dataclass
class WebhookDelivery:
    id: UUID
    endpoint_id: UUID
    event_id: UUID
    event_type: str
    payload: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    status: DeliveryStatus = DeliveryStatus.PENDING
    attempts: int = 0  # in the current series, counted when claimed
    series: int = 1
    next_attempt_at: datetime | None = None
    last_status_code: int | None = None
    last_error: str | None = None
    succeeded_at: datetime | None = None
    lease_token: UUID | None = None
    lease_expires_at: datetime | None = None

    @classmethod
    def for_event(
        cls,
        delivery_id: UUID,
        endpoint_id: UUID,
        event_id: UUID,
        event_type: str,
        payload: dict[str, Any],
        now: datetime,
    ) -> WebhookDelivery:
        return cls(
            delivery_id, endpoint_id, event_id, event_type, payload, now, now, next_attempt_at=now
        )

    @property
    def webhook_id(self) -> str:
        return message_id(self.id)

    @property
    def next_attempt(self) -> int:
        return self.attempts + 1

    @property
    def held(self) -> bool:
        """Pending but not scheduled: its endpoint's secret must be replaced first."""
        return (
            self.status is DeliveryStatus.PENDING
            and self.next_attempt_at is None
            and self.last_error == SECRET_UNREADABLE
        )

    # ---- claiming an attempt ---------------------------------------------------------
    def why_not_claimable(
        self, now: datetime, series: int | None = None, attempt: int | None = None
    ) -> ClaimRefusal | None:
        """None when an attempt may start now. ``series``/``attempt`` name the attempt a
        queued message was sent for: a message for an attempt already made is stale."""
        if self.status is not DeliveryStatus.PENDING:
            return ClaimRefusal.FINISHED
        if self.held:
            return ClaimRefusal.HELD
        if series is not None and series != self.series:
            return ClaimRefusal.STALE
        if attempt is not None and (
            self.attempts > attempt or (self.attempts == attempt and self.lease_token is None)
        ):
            return ClaimRefusal.STALE
        if self.lease_token is not None and self.lease_expires_at and self.lease_expires_at > now:
            return ClaimRefusal.LEASED
        if self.next_attempt_at is not None and self.next_attempt_at > now:
            return ClaimRefusal.NOT_DUE
        return None

    def claim(self, token: UUID, now: datetime, lease: timedelta) -> int:
        """Take the lease for the next attempt; answers its number in the series."""
        refusal = self.why_not_claimable(now)
        if refusal is not None:
            raise Conflict("webhook_delivery_not_claimable", reason=refusal.value)
        self.attempts += 1
        self.lease_token = token
        self.lease_expires_at = now + lease
        self.updated_at = now
        return self.attempts

    def abandoned_last_attempt(self, policy: RetryPolicy, now: datetime) -> bool:
        """The last allowed attempt was claimed and never settled (its worker died) and
        its lease has run out: the delivery is dead rather than tried beyond its budget."""
        if (
            self.status is not DeliveryStatus.PENDING
            or self.lease_token is None
            or (self.lease_expires_at is not None and self.lease_expires_at > now)
            or not policy.exhausted(self.attempts)
        ):
            return False
        self.status = DeliveryStatus.DEAD
        self.last_error = ABANDONED
        self.next_attempt_at = None
        self.lease_token = None
        self.lease_expires_at = None
        self.updated_at = now
        return True

    def hold(self, now: datetime) -> None:
        """Give back the claimed attempt unmade (nothing was sent, so it does not count
        against the retry budget) and wait, unscheduled, for ``release``: the sweep of
        overdue deliveries passes over a delivery with no due time."""
        self.attempts -= 1
        self.lease_token = None
        self.lease_expires_at = None
        self.next_attempt_at = None
        self.last_error = SECRET_UNREADABLE
        self.updated_at = now

    def release(self, now: datetime) -> bool:
        """The endpoint has a new secret: due at once. False when it was not held."""
        if not self.held:
            return False
        self.next_attempt_at = now
        self.updated_at = now
        return True

    # ---- settling it -----------------------------------------------------------------
    def settle(
        self, result: AttemptResult, policy: RetryPolicy, now: datetime, draw: float
    ) -> bool:
        """Record the outcome of the attempt holding the lease. Answers True when the
        receiver said the endpoint is gone (410), which deactivates it."""
        self.lease_token = None
        self.lease_expires_at = None
        self.updated_at = now
        self.last_status_code = result.status_code
        gone = result.error is None and result.status_code == GONE_STATUS
        if result.succeeded:
            self.status = DeliveryStatus.SUCCEEDED
            self.succeeded_at = now
            self.next_attempt_at = None
            self.last_error = None
            return False
        self.last_error = result.error or (GONE if gone else UNEXPECTED_STATUS)
        if gone or result.error == ENDPOINT_INACTIVE or policy.exhausted(self.attempts):
            self.status = DeliveryStatus.DEAD
            self.next_attempt_at = None
        else:
            delay = policy.delay(self.attempts, draw)
            self.next_attempt_at = now + timedelta(seconds=delay)
        return gone

    # ---- replay ----------------------------------------------------------------------
    def replay(self, now: datetime) -> None:
        """Start a new series of attempts for a finished delivery (same ``webhook-id``)."""
        if self.status is DeliveryStatus.PENDING:
            raise Conflict("webhook_delivery_pending")
        self.status = DeliveryStatus.PENDING
        self.series += 1
        self.attempts = 0
        self.next_attempt_at = now
        self.last_status_code = None
        self.last_error = None
        self.succeeded_at = None
        self.lease_token = None
        self.lease_expires_at = None
        self.updated_at = now
