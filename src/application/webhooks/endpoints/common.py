"""What the endpoint use cases share (CHN-3). The secret is generated here (``whsec_`` +
32 random bytes), stored encrypted, and returned only by ``create`` and ``rotate_secret``.
Each change leaves an audit record (the URL redacted: it may hold the receiver's token)
and an outbox event with ids and field names."""

from __future__ import annotations

from dataclasses import dataclass

from application.webhooks.ports import RandomSource
from domain.webhooks.delivery import WebhookDelivery
from domain.webhooks.endpoint import WebhookEndpoint
from domain.webhooks.signature import SECRET_BYTES, new_secret


@dataclass(frozen=True)
class EndpointWithSecret:
    endpoint: WebhookEndpoint
    secret: str  # shown once
    # Deliveries the rotation released (they were held for a new secret): queued by
    # ``SecretRotation`` once the rotation has committed.
    released: tuple[WebhookDelivery, ...] = ()


def generate_secret(random: RandomSource) -> str:
    return new_secret(random.token_bytes(SECRET_BYTES))
