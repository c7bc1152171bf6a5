"""Tenant admins register, change, rotate and remove webhook endpoints (CHN-3).

The secret is generated here (``whsec_`` + 32 random bytes), stored encrypted, and returned
only by ``create`` and ``rotate_secret``. Each change leaves an audit record (the URL
redacted: it may hold the receiver's token) and an outbox event with ids and field names.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.shared.access_policy import AccessPolicy
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.runner import CommandRunner
from application.shared.unit_of_work import UnitOfWork
from application.shared.versions import check_version
from application.webhooks.common import ENDPOINT, load_endpoint
from application.webhooks.ports import WEBHOOKS, RandomSource
from domain.shared.audit import AuditEntry, diff
from domain.shared.events import DomainEvent
from domain.webhooks.endpoint import SENSITIVE_FIELDS, WebhookEndpoint
from domain.webhooks.permissions import WEBHOOKS_MANAGE
from domain.webhooks.signature import SECRET_BYTES, new_secret


@dataclass(frozen=True)
class NewEndpoint:
    url: str
    event_types: list[str]
    description: str = ""
    active: bool = True


@dataclass(frozen=True)
class EndpointChanges:
    url: str | None = None
    event_types: list[str] | None = None
    description: str | None = None
    active: bool | None = None


@dataclass(frozen=True)
class EndpointWithSecret:
    endpoint: WebhookEndpoint
    secret: str  # shown once


class WebhookEndpoints:
    def __init__(
        self,
        runner: CommandRunner,
        access: AccessPolicy,
        clock: Clock,
        ids: IdGenerator,
        random: RandomSource,
        *,
        allow_loopback: bool,
    ) -> None:
        self._runner = runner
        self._access = access
        self._clock = clock
        self._ids = ids
        self._random = random
        self._allow_loopback = allow_loopback

    def _new_secret(self) -> str:
        return new_secret(self._random.token_bytes(SECRET_BYTES))

    async def create(self, ctx: CallContext, new: NewEndpoint) -> EndpointWithSecret:
        async def command(uow: UnitOfWork) -> EndpointWithSecret:
            self._access.require(ctx, WEBHOOKS_MANAGE)
            endpoint = WebhookEndpoint.register(
                self._ids.new_id(),
                new.url.strip(),
                new.event_types,
                new.description,
                new.active,
                self._clock.now(),
                allow_loopback=self._allow_loopback,
            )
            secret = self._new_secret()
            await uow.of(WEBHOOKS).webhooks.add_endpoint(endpoint, secret)
            snapshot = endpoint.snapshot()
            await uow.audit.record(
                AuditEntry(
                    "webhook_endpoint.create",
                    ENDPOINT,
                    endpoint.id,
                    changes=diff({}, snapshot, personal=SENSITIVE_FIELDS),
                )
            )
            await uow.outbox.add(
                DomainEvent(
                    "webhook_endpoint.created", ENDPOINT, endpoint.id, tuple(sorted(snapshot))
                )
            )
            return EndpointWithSecret(endpoint, secret)

        return await self._runner.run(ctx, "webhook_endpoint.create", ENDPOINT, command)

    async def list(self, ctx: CallContext) -> list[WebhookEndpoint]:
        async def read(uow: UnitOfWork) -> list[WebhookEndpoint]:
            self._access.require(ctx, WEBHOOKS_MANAGE)
            return await uow.of(WEBHOOKS).webhooks.list_endpoints()

        return await self._runner.query(ctx, read)

    async def get(self, ctx: CallContext, endpoint_id: UUID) -> WebhookEndpoint:
        async def read(uow: UnitOfWork) -> WebhookEndpoint:
            self._access.require(ctx, WEBHOOKS_MANAGE)
            return await load_endpoint(uow, endpoint_id)

        return await self._runner.query(ctx, read)

    async def update(
        self,
        ctx: CallContext,
        endpoint_id: UUID,
        changes: EndpointChanges,
        expected_version: int | None,
    ) -> WebhookEndpoint:
        async def command(uow: UnitOfWork) -> WebhookEndpoint:
            self._access.require(ctx, WEBHOOKS_MANAGE)
            endpoint = await load_endpoint(uow, endpoint_id)
            check_version(expected_version, endpoint.version)
            stored_version = endpoint.version
            before = endpoint.snapshot()
            changed = endpoint.change(
                self._clock.now(),
                url=changes.url.strip() if changes.url is not None else None,
                event_types=changes.event_types,
                description=changes.description,
                active=changes.active,
                allow_loopback=self._allow_loopback,
            )
            if not changed:
                return endpoint
            await uow.of(WEBHOOKS).webhooks.save_endpoint(endpoint, stored_version)
            await uow.audit.record(
                AuditEntry(
                    "webhook_endpoint.update",
                    ENDPOINT,
                    endpoint.id,
                    changes=diff(before, endpoint.snapshot(), personal=SENSITIVE_FIELDS),
                )
            )
            await uow.outbox.add(
                DomainEvent("webhook_endpoint.updated", ENDPOINT, endpoint.id, changed)
            )
            return endpoint

        return await self._runner.run(
            ctx, "webhook_endpoint.update", ENDPOINT, command, entity_id=endpoint_id
        )

    async def rotate_secret(self, ctx: CallContext, endpoint_id: UUID) -> EndpointWithSecret:
        """A new secret takes effect at once: the next attempt is signed with it."""

        async def command(uow: UnitOfWork) -> EndpointWithSecret:
            self._access.require(ctx, WEBHOOKS_MANAGE)
            endpoint = await load_endpoint(uow, endpoint_id)
            stored_version = endpoint.version
            secret = self._new_secret()
            endpoint.secret_rotated(self._clock.now())
            await uow.of(WEBHOOKS).webhooks.save_endpoint(endpoint, stored_version)
            await uow.of(WEBHOOKS).webhooks.replace_secret(endpoint.id, secret)
            await uow.audit.record(
                AuditEntry(
                    "webhook_endpoint.rotate_secret",
                    ENDPOINT,
                    endpoint.id,
                    detail={"version": endpoint.version},
                )
            )
            await uow.outbox.add(
                DomainEvent("webhook_endpoint.secret_rotated", ENDPOINT, endpoint.id, ("secret",))
            )
            return EndpointWithSecret(endpoint, secret)

        return await self._runner.run(
            ctx, "webhook_endpoint.rotate_secret", ENDPOINT, command, entity_id=endpoint_id
        )

    async def delete(
        self, ctx: CallContext, endpoint_id: UUID, expected_version: int | None
    ) -> None:
        """Removes the endpoint with its delivery log."""

        async def command(uow: UnitOfWork) -> None:
            self._access.require(ctx, WEBHOOKS_MANAGE)
            endpoint = await load_endpoint(uow, endpoint_id)
            check_version(expected_version, endpoint.version)
            await uow.of(WEBHOOKS).webhooks.delete_endpoint(endpoint.id)
            await uow.audit.record(
                AuditEntry(
                    "webhook_endpoint.delete",
                    ENDPOINT,
                    endpoint.id,
                    changes=diff(endpoint.snapshot(), {}, personal=SENSITIVE_FIELDS),
                )
            )
            await uow.outbox.add(DomainEvent("webhook_endpoint.deleted", ENDPOINT, endpoint.id))

        await self._runner.run(
            ctx, "webhook_endpoint.delete", ENDPOINT, command, entity_id=endpoint_id
        )
