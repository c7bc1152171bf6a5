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

from sqlalchemy import Row, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from application.shared.field_cipher import FieldCipher
from application.shared.messages import PublishedEvent
from application.webhooks.ports import (
    DeliveryAttempt,
    DeliveryFilter,
    DeliveryPosition,
    StalledDelivery,
)
from domain.shared.errors import StaleVersion
from domain.webhooks.delivery import DeliveryStatus, WebhookDelivery
from domain.webhooks.endpoint import WebhookEndpoint

SECRET_FIELD = "webhook.secret"  # noqa: S105 - the FieldCipher field name; row = endpoint id

_ENDPOINT_COLUMNS = "id, url, description, event_types, active, version, created_at, updated_at"
_DELIVERY_COLUMNS = (
    "id, endpoint_id, event_id, event_type, payload, status, attempts, series,"
    " next_attempt_at, last_status_code, last_error, created_at, updated_at, succeeded_at,"
    " lease_token, lease_expires_at"
)
_ATTEMPT_COLUMNS = (
    "id, delivery_id, series, attempt, attempted_at, status_code, error, duration_ms, succeeded"
)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, (str, bytes)) else value


def _endpoint(row: Row[Any]) -> WebhookEndpoint:
    return WebhookEndpoint(
        id=row.id,
        url=row.url,
        event_types=tuple(row.event_types),
        description=row.description,
        active=row.active,
        created_at=row.created_at,
        updated_at=row.updated_at,
        version=row.version,
    )


def _delivery(row: Row[Any]) -> WebhookDelivery:
    return WebhookDelivery(
        id=row.id,
        endpoint_id=row.endpoint_id,
        event_id=row.event_id,
        event_type=row.event_type,
        payload=_json(row.payload),
        created_at=row.created_at,
        updated_at=row.updated_at,
        status=DeliveryStatus(row.status),
        attempts=row.attempts,
        series=row.series,
        next_attempt_at=row.next_attempt_at,
        last_status_code=row.last_status_code,
        last_error=row.last_error,
        succeeded_at=row.succeeded_at,
        lease_token=row.lease_token,
        lease_expires_at=row.lease_expires_at,
    )


def _attempt(row: Row[Any]) -> DeliveryAttempt:
    return DeliveryAttempt(
        id=row.id,
        delivery_id=row.delivery_id,
        series=row.series,
        attempt=row.attempt,
        attempted_at=row.attempted_at,
        status_code=row.status_code,
        error=row.error,
        duration_ms=row.duration_ms,
        succeeded=row.succeeded,
    )


class PostgresWebhookRepository:
    def __init__(self, conn: AsyncConnection, tenant_id: UUID, cipher: FieldCipher) -> None:
        self._conn = conn
        self._tenant_id = tenant_id
        self._cipher = cipher

    # ---- endpoints -------------------------------------------------------------------
    async def add_endpoint(self, endpoint: WebhookEndpoint, secret: str) -> None:
        sealed = await self._cipher.encrypt(self._tenant_id, SECRET_FIELD, endpoint.id, secret)
        await self._conn.execute(
            text(
                "INSERT INTO webhook_endpoints (tenant_id, id, url, description, event_types,"
                " secret_enc, active, version, created_at, updated_at) VALUES (:tenant_id,"
                " :id, :url, :description, :event_types, :secret_enc, :active, :version,"
                " :created_at, :updated_at)"
            ),
            {**self._endpoint_values(endpoint), "secret_enc": sealed},
        )

    def _endpoint_values(self, endpoint: WebhookEndpoint) -> dict[str, Any]:
        return {
            "tenant_id": self._tenant_id,
            "id": endpoint.id,
            "url": endpoint.url,
            "description": endpoint.description,
            "event_types": list(endpoint.event_types),
            "active": endpoint.active,
            "version": endpoint.version,
            "created_at": endpoint.created_at,
            "updated_at": endpoint.updated_at,
        }

    async def get_endpoint(self, endpoint_id: UUID) -> WebhookEndpoint | None:
        row = (
            await self._conn.execute(
                text(
                    f"SELECT {_ENDPOINT_COLUMNS} FROM webhook_endpoints"
                    " WHERE tenant_id = :tenant_id AND id = :id"
                ),
                {"tenant_id": self._tenant_id, "id": endpoint_id},
            )
        ).first()
        return _endpoint(row) if row is not None else None

    async def list_endpoints(self) -> list[WebhookEndpoint]:
        rows = await self._conn.execute(
            text(
                f"SELECT {_ENDPOINT_COLUMNS} FROM webhook_endpoints"
                " WHERE tenant_id = :tenant_id ORDER BY created_at, id"
            ),
            {"tenant_id": self._tenant_id},
        )
        return [_endpoint(r) for r in rows]

    async def save_endpoint(self, endpoint: WebhookEndpoint, expected_version: int) -> None:
        updated = await self._conn.execute(
            text(
                "UPDATE webhook_endpoints SET url = :url, description = :description,"
                " event_types = :event_types, active = :active, version = :version,"
                " updated_at = :updated_at"
                " WHERE tenant_id = :tenant_id AND id = :id AND version = :expected_version"
            ),
            {**self._endpoint_values(endpoint), "expected_version": expected_version},
        )
        if updated.rowcount != 1:
            raise StaleVersion(expected=expected_version)

    async def delete_endpoint(self, endpoint_id: UUID) -> None:
        await self._conn.execute(
            text("DELETE FROM webhook_endpoints WHERE tenant_id = :tenant_id AND id = :id"),
            {"tenant_id": self._tenant_id, "id": endpoint_id},
        )

    async def replace_secret(self, endpoint_id: UUID, secret: str) -> None:
        sealed = await self._cipher.encrypt(self._tenant_id, SECRET_FIELD, endpoint_id, secret)
        await self._conn.execute(
            text(
                "UPDATE webhook_endpoints SET secret_enc = :secret_enc"
                " WHERE tenant_id = :tenant_id AND id = :id"
            ),
            {"tenant_id": self._tenant_id, "id": endpoint_id, "secret_enc": sealed},
        )

    async def secret_of(self, endpoint_id: UUID) -> str:
        sealed = (
            await self._conn.execute(
                text(
                    "SELECT secret_enc FROM webhook_endpoints"
                    " WHERE tenant_id = :tenant_id AND id = :id"
                ),
                {"tenant_id": self._tenant_id, "id": endpoint_id},
            )
        ).scalar_one()
        return await self._cipher.decrypt(self._tenant_id, SECRET_FIELD, endpoint_id, sealed)

    # ---- events ----------------------------------------------------------------------
    async def event(self, event_id: UUID) -> PublishedEvent | None:
        row = (
            await self._conn.execute(
                text(
                    "SELECT id, event_type, entity_type, entity_id, changed_fields, data,"
                    " occurred_at, request_id FROM outbox"
                    " WHERE tenant_id = :tenant_id AND id = :id"
                ),
                {"tenant_id": self._tenant_id, "id": event_id},
            )
        ).first()
        if row is None:
            return None
        return PublishedEvent(
            id=row.id,
            tenant_id=self._tenant_id,
            event_type=row.event_type,
            entity_type=row.entity_type,
            entity_id=row.entity_id,
            changed_fields=tuple(row.changed_fields),
            occurred_at=row.occurred_at,
            request_id=row.request_id,
            data={str(k): str(v) for k, v in (_json(row.data) or {}).items()},
        )

    # ---- deliveries ------------------------------------------------------------------
    def _delivery_values(self, delivery: WebhookDelivery) -> dict[str, Any]:
        return {
            "tenant_id": self._tenant_id,
            "id": delivery.id,
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
        inserted = await self._conn.execute(
            text(
                "INSERT INTO webhook_deliveries (tenant_id, id, endpoint_id, event_id,"
                " event_type, payload, status, attempts, series, next_attempt_at,"
                " last_status_code, last_error, created_at, updated_at, succeeded_at,"
                " lease_token, lease_expires_at) VALUES (:tenant_id, :id, :endpoint_id,"
                " :event_id, :event_type, CAST(:payload AS jsonb), :status, :attempts,"
                " :series, :next_attempt_at, :last_status_code, :last_error, :created_at,"
                " :updated_at, :succeeded_at, :lease_token, :lease_expires_at)"
                " ON CONFLICT (tenant_id, endpoint_id, event_id) DO NOTHING RETURNING id"
            ),
            {
                **self._delivery_values(delivery),
                "endpoint_id": delivery.endpoint_id,
                "event_id": delivery.event_id,
                "event_type": delivery.event_type,
                "payload": json.dumps(delivery.payload, ensure_ascii=False),
                "created_at": delivery.created_at,
            },
        )
        return inserted.first() is not None

    async def deliveries_of_event(self, event_id: UUID) -> list[WebhookDelivery]:
        rows = await self._conn.execute(
            text(
                f"SELECT {_DELIVERY_COLUMNS} FROM webhook_deliveries"
                " WHERE tenant_id = :tenant_id AND event_id = :event_id ORDER BY id"
            ),
            {"tenant_id": self._tenant_id, "event_id": event_id},
        )
        return [_delivery(r) for r in rows]

    async def get_delivery(
        self, delivery_id: UUID, *, lock: bool = False
    ) -> WebhookDelivery | None:
        row = (
            await self._conn.execute(
                text(
                    f"SELECT {_DELIVERY_COLUMNS} FROM webhook_deliveries"
                    " WHERE tenant_id = :tenant_id AND id = :id" + (" FOR UPDATE" if lock else "")
                ),
                {"tenant_id": self._tenant_id, "id": delivery_id},
            )
        ).first()
        return _delivery(row) if row is not None else None

    _UPDATE_DELIVERY = (
        "UPDATE webhook_deliveries SET status = :status, attempts = :attempts,"
        " series = :series, next_attempt_at = :next_attempt_at,"
        " last_status_code = :last_status_code, last_error = :last_error,"
        " updated_at = :updated_at, succeeded_at = :succeeded_at,"
        " lease_token = :lease_token, lease_expires_at = :lease_expires_at"
        " WHERE tenant_id = :tenant_id AND id = :id"
    )

    async def save_delivery(self, delivery: WebhookDelivery) -> None:
        await self._conn.execute(text(self._UPDATE_DELIVERY), self._delivery_values(delivery))

    async def settle_delivery(self, delivery: WebhookDelivery, lease_token: UUID) -> bool:
        updated = await self._conn.execute(
            text(self._UPDATE_DELIVERY + " AND lease_token = :held_token"),
            {**self._delivery_values(delivery), "held_token": lease_token},
        )
        return updated.rowcount == 1

    async def list_deliveries(
        self, flt: DeliveryFilter, after: DeliveryPosition | None, limit: int
    ) -> list[WebhookDelivery]:
        clauses = ["tenant_id = :tenant_id"]
        params: dict[str, Any] = {"tenant_id": self._tenant_id, "limit": limit}
        if flt.status is not None:
            clauses.append("status = :status")
            params["status"] = flt.status.value
        if flt.endpoint_id is not None:
            clauses.append("endpoint_id = :endpoint_id")
            params["endpoint_id"] = flt.endpoint_id
        if after is not None:
            clauses.append("(created_at, id) < (:after_created_at, :after_id)")
            params.update(after_created_at=after.created_at, after_id=after.id)
        rows = await self._conn.execute(
            text(
                f"SELECT {_DELIVERY_COLUMNS} FROM webhook_deliveries"
                f" WHERE {' AND '.join(clauses)}"
                " ORDER BY created_at DESC, id DESC LIMIT :limit"
            ),
            params,
        )
        return [_delivery(r) for r in rows]

    # ---- attempts --------------------------------------------------------------------
    async def add_attempt(self, attempt: DeliveryAttempt) -> None:
        await self._conn.execute(
            text(
                f"INSERT INTO webhook_attempts (tenant_id, {_ATTEMPT_COLUMNS}) VALUES"
                " (:tenant_id, :id, :delivery_id, :series, :attempt, :attempted_at,"
                " :status_code, :error, :duration_ms, :succeeded)"
            ),
            {
                "tenant_id": self._tenant_id,
                "id": attempt.id,
                "delivery_id": attempt.delivery_id,
                "series": attempt.series,
                "attempt": attempt.attempt,
                "attempted_at": attempt.attempted_at,
                "status_code": attempt.status_code,
                "error": attempt.error,
                "duration_ms": attempt.duration_ms,
                "succeeded": attempt.succeeded,
            },
        )

    async def attempts_of(self, delivery_id: UUID) -> list[DeliveryAttempt]:
        rows = await self._conn.execute(
            text(
                f"SELECT {_ATTEMPT_COLUMNS} FROM webhook_attempts"
                " WHERE tenant_id = :tenant_id AND delivery_id = :delivery_id"
                " ORDER BY attempted_at, series, attempt"
            ),
            {"tenant_id": self._tenant_id, "delivery_id": delivery_id},
        )
        return [_attempt(r) for r in rows]


class PostgresStalledDeliveries:
    """Overdue pending deliveries of every tenant (platform role; ids only)."""

    def __init__(self, platform_engine: AsyncEngine) -> None:
        self._engine = platform_engine

    async def overdue(self, before: datetime, limit: int) -> list[StalledDelivery]:
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                text(
                    "SELECT tenant_id, id, series, attempts FROM webhook_deliveries"
                    " WHERE status = 'pending' AND next_attempt_at < :before"
                    " AND (lease_token IS NULL OR lease_expires_at < :before)"
                    " ORDER BY next_attempt_at LIMIT :limit"
                ),
                {"before": before, "limit": limit},
            )
            return [StalledDelivery(r.tenant_id, r.id, r.series, r.attempts + 1) for r in rows]
