"""Webhook endpoints, deliveries and attempts in Postgres (CHN-3).

Every query names its tenant explicitly as well as through row-level security: the CLI's
support commands run as the platform role, which bypasses it. Endpoint secrets are sealed
with the FieldCipher (``webhook.secret``, bound to tenant and endpoint id).

``PostgresStalledDeliveries`` is the one cross-tenant reader: the sweep that re-queues
overdue deliveries runs as the platform role and reads ids only.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    delete,
    exists,
    insert,
    literal_column,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.postgres.shared.outbox import load_published_event
from adapters.postgres.shared.rows import AnyRow, from_row, one_updated, values_of
from adapters.postgres.shared.unreadable import EncryptedTenantRepository
from adapters.postgres.webhooks.tables import (
    webhook_attempts,
    webhook_deliveries,
    webhook_endpoints,
)
from application.shared.messages import PublishedEvent
from application.webhooks.ports import (
    DeliveryAttempt,
    DeliveryFilter,
    DeliveryPosition,
    StalledDelivery,
)
from domain.webhooks.delivery import SECRET_UNREADABLE, DeliveryStatus, WebhookDelivery
from domain.webhooks.endpoint import ENTITY, WebhookEndpoint

# Written inline, not bound: a generic plan can use the partial index webhook_deliveries_due
# only when the query names its predicate's literal.
_PENDING: ColumnElement[str] = literal_column("'pending'")

SECRET_FIELD = "webhook.secret"  # noqa: S105 - the FieldCipher field name; row = endpoint id

_ENDPOINT_COLUMNS = tuple(
    c for c in webhook_endpoints.c if c.name not in ("tenant_id", "secret_enc")
)
_DELIVERY_COLUMNS = tuple(c for c in webhook_deliveries.c if c.name != "tenant_id")


def _held() -> ColumnElement[bool]:
    """A delivery held for its endpoint's new secret (``WebhookDelivery.held``)."""
    d = webhook_deliveries.c
    held = (d.status == _PENDING) & d.next_attempt_at.is_(None)
    return held & (d.last_error == SECRET_UNREADABLE)


# The endpoint needs a new secret while any of its deliveries is held for one.
_NEEDS_NEW_SECRET = (
    exists()
    .where(
        webhook_deliveries.c.tenant_id == webhook_endpoints.c.tenant_id,
        webhook_deliveries.c.endpoint_id == webhook_endpoints.c.id,
        _held(),
    )
    .label("needs_new_secret")
)
_ENDPOINT_READ = (*_ENDPOINT_COLUMNS, _NEEDS_NEW_SECRET)
_ATTEMPT_COLUMNS = tuple(c for c in webhook_attempts.c if c.name != "tenant_id")


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, (str, bytes)) else value


def _endpoint(row: AnyRow) -> WebhookEndpoint:
    return from_row(WebhookEndpoint, row, event_types=tuple(row.event_types))


def _delivery(row: AnyRow) -> WebhookDelivery:
    return from_row(
        WebhookDelivery, row, payload=_json(row.payload), status=DeliveryStatus(row.status)
    )


class PostgresWebhookRepository(EncryptedTenantRepository):
    """Endpoints (their secrets sealed by the cipher, ``EncryptedTenantRepository``) and
    deliveries."""

    # ---- endpoints -------------------------------------------------------------------
    async def add_endpoint(self, endpoint: WebhookEndpoint, secret: str) -> None:
        sealed = await self._cipher.encrypt(self._tenant_id, SECRET_FIELD, endpoint.id, secret)
        await self._conn.execute(
            insert(webhook_endpoints).values(**self._endpoint_values(endpoint), secret_enc=sealed)
        )

    def _endpoint_values(self, endpoint: WebhookEndpoint) -> dict[str, Any]:
        values = values_of(endpoint, _ENDPOINT_COLUMNS, event_types=list(endpoint.event_types))
        return {"tenant_id": self._tenant_id, **values}

    def _endpoint_is(self, endpoint_id: UUID) -> ColumnElement[bool]:
        return self._row_of(webhook_endpoints, endpoint_id)

    async def get_endpoint(self, endpoint_id: UUID) -> WebhookEndpoint | None:
        row = await self._first(select(*_ENDPOINT_READ).where(self._endpoint_is(endpoint_id)))
        return _endpoint(row) if row is not None else None

    async def list_endpoints(self) -> list[WebhookEndpoint]:
        rows = await self._conn.execute(
            select(*_ENDPOINT_READ)
            .where(webhook_endpoints.c.tenant_id == self._tenant_id)
            .order_by(webhook_endpoints.c.created_at, webhook_endpoints.c.id)
        )
        return [_endpoint(r) for r in rows]

    async def save_endpoint(self, endpoint: WebhookEndpoint, expected_version: int) -> None:
        values = self._endpoint_values(endpoint)
        del values["tenant_id"], values["id"], values["created_at"]
        updated = await self._conn.execute(
            update(webhook_endpoints)
            .where(
                self._endpoint_is(endpoint.id),
                webhook_endpoints.c.version == expected_version,
            )
            .values(**values)
        )
        one_updated(updated.rowcount, expected_version)

    async def delete_endpoint(self, endpoint_id: UUID) -> None:
        await self._conn.execute(delete(webhook_endpoints).where(self._endpoint_is(endpoint_id)))

    async def replace_secret(self, endpoint_id: UUID, secret: str) -> None:
        sealed = await self._cipher.encrypt(self._tenant_id, SECRET_FIELD, endpoint_id, secret)
        await self._conn.execute(
            update(webhook_endpoints)
            .where(self._endpoint_is(endpoint_id))
            .values(secret_enc=sealed)
        )

    async def secret_of(self, endpoint_id: UUID) -> str | None:
        sealed = (
            await self._conn.execute(
                select(webhook_endpoints.c.secret_enc).where(self._endpoint_is(endpoint_id))
            )
        ).scalar_one()
        return await self._unreadable.open(
            self._cipher, self._tenant_id, ENTITY, SECRET_FIELD, endpoint_id, sealed
        )

    # ---- events ----------------------------------------------------------------------
    async def event(self, event_id: UUID) -> PublishedEvent | None:
        return await load_published_event(self._conn, self._tenant_id, event_id)

    # ---- deliveries ------------------------------------------------------------------
    def _delivery_values(self, delivery: WebhookDelivery) -> dict[str, Any]:
        """What saving a delivery writes (the event it carries never changes)."""
        return {
            "status": delivery.status.value,
            "attempts": delivery.attempts,
            "series": delivery.series,
            "next_attempt_at": delivery.next_attempt_at,
            "last_status_code": delivery.last_status_code,
            "last_error": delivery.last_error,
            "updated_at": delivery.updated_at,
            "succeeded_at": delivery.succeeded_at,
            "lease_token": delivery.lease_token,
            "lease_expires_at": delivery.lease_expires_at,
        }

    async def add_delivery(self, delivery: WebhookDelivery) -> bool:
        d = webhook_deliveries.c
        inserted = await self._conn.execute(
            pg_insert(webhook_deliveries)
            .values(
                tenant_id=self._tenant_id,
                **values_of(delivery, _DELIVERY_COLUMNS, status=delivery.status.value),
            )
            .on_conflict_do_nothing(index_elements=[d.tenant_id, d.endpoint_id, d.event_id])
            .returning(d.id)
        )
        return inserted.first() is not None

    async def deliveries_of_event(self, event_id: UUID) -> list[WebhookDelivery]:
        d = webhook_deliveries.c
        rows = await self._conn.execute(
            select(*_DELIVERY_COLUMNS)
            .where(d.tenant_id == self._tenant_id, d.event_id == event_id)
            .order_by(d.id)
        )
        return [_delivery(r) for r in rows]

    async def held_deliveries(self, endpoint_id: UUID) -> list[WebhookDelivery]:
        d = webhook_deliveries.c
        rows = await self._conn.execute(
            select(*_DELIVERY_COLUMNS)
            .where(d.tenant_id == self._tenant_id, d.endpoint_id == endpoint_id, _held())
            .order_by(d.created_at, d.id)
            .with_for_update()
        )
        return [_delivery(r) for r in rows]

    def _delivery_is(self, delivery_id: UUID) -> ColumnElement[bool]:
        return self._row_of(webhook_deliveries, delivery_id)

    async def get_delivery(
        self, delivery_id: UUID, *, lock: bool = False
    ) -> WebhookDelivery | None:
        query = select(*_DELIVERY_COLUMNS).where(self._delivery_is(delivery_id))
        if lock:
            query = query.with_for_update()
        row = await self._first(query)
        return _delivery(row) if row is not None else None

    async def save_delivery(self, delivery: WebhookDelivery) -> None:
        await self._conn.execute(
            update(webhook_deliveries)
            .where(self._delivery_is(delivery.id))
            .values(self._delivery_values(delivery))
        )

    async def settle_delivery(self, delivery: WebhookDelivery, lease_token: UUID) -> bool:
        updated = await self._conn.execute(
            update(webhook_deliveries)
            .where(
                self._delivery_is(delivery.id),
                webhook_deliveries.c.lease_token == lease_token,
            )
            .values(self._delivery_values(delivery))
        )
        return updated.rowcount == 1

    async def list_deliveries(
        self, flt: DeliveryFilter, after: DeliveryPosition | None, limit: int
    ) -> list[WebhookDelivery]:
        d = webhook_deliveries.c
        query = select(*_DELIVERY_COLUMNS).where(d.tenant_id == self._tenant_id)
        if flt.status is not None:
            query = query.where(d.status == flt.status.value)
        if flt.endpoint_id is not None:
            query = query.where(d.endpoint_id == flt.endpoint_id)
        if after is not None:
            query = query.where(tuple_(d.created_at, d.id) < tuple_(after.created_at, after.id))
        rows = await self._conn.execute(
            query.order_by(d.created_at.desc(), d.id.desc()).limit(limit)
        )
        return [_delivery(r) for r in rows]

    # ---- attempts --------------------------------------------------------------------
    async def add_attempt(self, attempt: DeliveryAttempt) -> None:
        await self._insert(webhook_attempts, values_of(attempt, _ATTEMPT_COLUMNS))

    async def attempts_of(self, delivery_id: UUID) -> list[DeliveryAttempt]:
        a = webhook_attempts.c
        rows = await self._conn.execute(
            select(*_ATTEMPT_COLUMNS)
            .where(a.tenant_id == self._tenant_id, a.delivery_id == delivery_id)
            .order_by(a.attempted_at, a.series, a.attempt)
        )
        return [from_row(DeliveryAttempt, r) for r in rows]


class PostgresStalledDeliveries:
    """Overdue pending deliveries of every tenant (platform role; ids only)."""

    def __init__(self, platform_engine: AsyncEngine) -> None:
        self._engine = platform_engine

    async def overdue(self, before: datetime, limit: int) -> list[StalledDelivery]:
        d = webhook_deliveries.c
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(d.tenant_id, d.id, d.series, d.attempts)
                .where(
                    d.status == _PENDING,
                    d.next_attempt_at < before,
                    d.lease_token.is_(None) | (d.lease_expires_at < before),
                )
                .order_by(d.next_attempt_at)
                .limit(limit)
            )
            return [StalledDelivery(r.tenant_id, r.id, r.series, r.attempts + 1) for r in rows]
