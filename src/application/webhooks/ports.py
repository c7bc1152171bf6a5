"""Ports of the webhooks slice (CHN-3): its repository, the HTTP sender, and the sweep of
deliveries whose queued message was lost."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from application.shared.messages import PublishedEvent
from application.shared.unit_of_work import StoreKey
from domain.webhooks.delivery import AttemptResult, DeliveryStatus, WebhookDelivery
from domain.webhooks.endpoint import WebhookEndpoint


@dataclass(frozen=True)
class DeliveryAttempt:
    """One row of the attempt log: outcome codes and timing, never a secret or a body."""

    id: UUID
    delivery_id: UUID
    series: int
    attempt: int
    attempted_at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int
    succeeded: bool


@dataclass(frozen=True)
class DeliveryFilter:
    status: DeliveryStatus | None = None
    endpoint_id: UUID | None = None


@dataclass(frozen=True)
class DeliveryPosition:
    """Where a page of deliveries ends (newest first)."""

    created_at: datetime
    id: UUID


class WebhookRepository(Protocol):
    """Endpoints, deliveries and attempts of the unit of work's tenant.

    The adapter encrypts endpoint secrets with the FieldCipher (field ``webhook.secret``,
    row = endpoint id); the aggregate never holds one.
    """

    async def add_endpoint(self, endpoint: WebhookEndpoint, secret: str) -> None: ...

    async def get_endpoint(self, endpoint_id: UUID) -> WebhookEndpoint | None: ...

    async def list_endpoints(self) -> list[WebhookEndpoint]: ...

    async def save_endpoint(self, endpoint: WebhookEndpoint, expected_version: int) -> None:
        """Raises ``StaleVersion`` when the stored version is not ``expected_version``."""
        ...

    async def delete_endpoint(self, endpoint_id: UUID) -> None:
        """Its deliveries and their attempts go with it."""
        ...

    async def replace_secret(self, endpoint_id: UUID, secret: str) -> None: ...

    async def secret_of(self, endpoint_id: UUID) -> str | None:
        """None when the stored secret does not decrypt (logged, and audited as
        ``personal_data.unreadable`` when the unit of work ends)."""
        ...

    async def event(self, event_id: UUID) -> PublishedEvent | None:
        """An outbox event of this tenant."""
        ...

    async def add_delivery(self, delivery: WebhookDelivery) -> bool:
        """False when the endpoint already has a delivery of this event (nothing written)."""
        ...

    async def held_deliveries(self, endpoint_id: UUID) -> list[WebhookDelivery]:
        """The endpoint's deliveries held for a new secret, locked until the transaction
        ends."""
        ...

    async def deliveries_of_event(self, event_id: UUID) -> list[WebhookDelivery]: ...

    async def get_delivery(
        self, delivery_id: UUID, *, lock: bool = False
    ) -> WebhookDelivery | None:
        """``lock`` holds the row until the transaction ends (keep that transaction short)."""
        ...

    async def save_delivery(self, delivery: WebhookDelivery) -> None: ...

    async def settle_delivery(self, delivery: WebhookDelivery, lease_token: UUID) -> bool:
        """Write the settled state only if ``lease_token`` still holds the delivery's lease;
        False when another attempt took it over (nothing written)."""
        ...

    async def list_deliveries(
        self, flt: DeliveryFilter, after: DeliveryPosition | None, limit: int
    ) -> list[WebhookDelivery]: ...

    async def add_attempt(self, attempt: DeliveryAttempt) -> None: ...

    async def attempts_of(self, delivery_id: UUID) -> list[DeliveryAttempt]: ...


class WebhookSender(Protocol):
    """Sends one signed request and reports how it went.

    Before sending it resolves the host, refuses the attempt without connecting when any
    address is forbidden (``domain.webhooks.destination``), connects to the address it
    checked, follows no redirect and reads no response body.
    """

    async def send(self, url: str, headers: dict[str, str], body: bytes) -> AttemptResult: ...


@dataclass(frozen=True)
class StalledDelivery:
    tenant_id: UUID
    delivery_id: UUID
    series: int
    next_attempt: int


class StalledDeliveries(Protocol):
    """Across tenants (platform role): pending deliveries overdue by more than a grace
    period and not held by an attempt — their queued message was lost."""

    async def overdue(self, before: datetime, limit: int) -> list[StalledDelivery]: ...


class RandomSource(Protocol):
    def random(self) -> float:
        """Uniform in [0, 1) (retry jitter)."""
        ...

    def token_bytes(self, n: int) -> bytes:
        """Cryptographically strong random bytes (webhook secrets)."""
        ...


class WebhookStore(Protocol):
    """The webhooks module's repositories in one unit of work (``uow.of(WEBHOOKS)``)."""

    webhooks: WebhookRepository


WEBHOOKS: StoreKey[WebhookStore] = StoreKey("webhooks")
