"""Wire types for webhook endpoints and deliveries (camelCase on the wire)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from domain.webhooks.destination import MAX_URL_LENGTH
from domain.webhooks.endpoint import EVENT_SUBSCRIPTION, MAX_DESCRIPTION_LENGTH, MAX_EVENT_TYPES
from entrypoints.http.limits import stated
from entrypoints.http.wire import PageOut, WireIn, WireOut

# https, a host, no credentials, no fragment, no spaces (where loopback is allowed, in
# development, http too; an address in a forbidden range is refused all the same).
WEBHOOK_URL = re.compile(r"^https://[^\s/?#@:]+(?::[0-9]{1,5})?(?:[/?][^\s#]*)?$")
Url = Annotated[str, stated(pattern=WEBHOOK_URL, max_length=MAX_URL_LENGTH)]
# "*", an event type (catalog.product.created) or a prefix of types (catalog.*)
EventTypes = Annotated[
    list[Annotated[str, stated(pattern=EVENT_SUBSCRIPTION)]],
    stated(min_items=1, max_items=MAX_EVENT_TYPES),
]

Description = Annotated[str, stated(max_length=MAX_DESCRIPTION_LENGTH)]


class EndpointIn(WireIn):
    url: Url
    event_types: EventTypes
    description: Description = ""
    active: bool = True


class EndpointPatch(WireIn):
    url: Url | None = None
    event_types: EventTypes | None = None
    description: Description | None = None
    active: bool | None = None


class EndpointOut(WireOut):
    id: UUID
    url: str
    event_types: list[str]
    description: str
    active: bool
    # The stored signing secret does not decrypt: deliveries are held until the secret is
    # rotated (POST .../rotate-secret), which sends them.
    needs_new_secret: bool
    version: int
    created_at: datetime
    updated_at: datetime


class EndpointWithSecretOut(WireOut):
    """The secret is shown here only: verify deliveries with it (Standard Webhooks)."""

    secret: str
    endpoint: EndpointOut


class DeliveryOut(WireOut):
    id: UUID
    webhook_id: str  # the ``webhook-id`` header of every attempt
    endpoint_id: UUID
    event_id: UUID
    event_type: str
    status: str  # pending | succeeded | dead
    series: int  # 1, then one more per replay
    attempt_count: int  # in the current series
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    updated_at: datetime
    succeeded_at: datetime | None


class DeliveryPageOut(PageOut[DeliveryOut]):
    items: list[DeliveryOut]


class AttemptOut(WireOut):
    id: UUID
    series: int
    attempt: int
    attempted_at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int
    succeeded: bool


class DeliveryDetailOut(WireOut):
    delivery: DeliveryOut
    payload: dict[str, Any]
    attempts: list[AttemptOut]
