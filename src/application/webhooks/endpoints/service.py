"""Tenant admins register, change, rotate and remove webhook endpoints (CHN-3): the
facade that builds each use case's command or query and hands it to the runner."""

from __future__ import annotations

from uuid import UUID

from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.runner import CommandRunner
from application.shared.use_case import runs
from application.webhooks.endpoints.common import EndpointWithSecret
from application.webhooks.endpoints.create import (
    CreateEndpoint,
    CreateEndpointHandler,
    NewEndpoint,
)
from application.webhooks.endpoints.delete import DeleteEndpoint, DeleteEndpointHandler
from application.webhooks.endpoints.queries import (
    GetEndpoint,
    GetEndpointHandler,
    ListEndpoints,
    ListEndpointsHandler,
)
from application.webhooks.endpoints.rotate_secret import RotateSecret, RotateSecretHandler
from application.webhooks.endpoints.update import (
    EndpointChanges,
    UpdateEndpoint,
    UpdateEndpointHandler,
)
from application.webhooks.ports import RandomSource
from domain.webhooks.endpoint import WebhookEndpoint


class WebhookEndpoints:
    def __init__(
        self,
        runner: CommandRunner,
        clock: Clock,
        ids: IdGenerator,
        random: RandomSource,
        *,
        allow_loopback: bool,
    ) -> None:
        self._runner = runner
        self._create = CreateEndpointHandler(clock, ids, random, allow_loopback=allow_loopback)
        self._update = UpdateEndpointHandler(clock, allow_loopback=allow_loopback)
        self._rotate = RotateSecretHandler(clock, random)

    @runs(CreateEndpoint)
    async def create(self, ctx: CallContext, new: NewEndpoint) -> EndpointWithSecret:
        return await self._runner.run(ctx, CreateEndpoint(new), self._create)

    @runs(ListEndpoints)
    async def list(self, ctx: CallContext) -> list[WebhookEndpoint]:
        return await self._runner.query(ctx, ListEndpoints(), ListEndpointsHandler())

    @runs(GetEndpoint)
    async def get(self, ctx: CallContext, endpoint_id: UUID) -> WebhookEndpoint:
        return await self._runner.query(ctx, GetEndpoint(endpoint_id), GetEndpointHandler())

    @runs(UpdateEndpoint)
    async def update(
        self,
        ctx: CallContext,
        endpoint_id: UUID,
        changes: EndpointChanges,
        expected_version: int | None,
    ) -> WebhookEndpoint:
        command = UpdateEndpoint(endpoint_id, changes, expected_version)
        return await self._runner.run(ctx, command, self._update)

    @runs(RotateSecret)
    async def rotate_secret(self, ctx: CallContext, endpoint_id: UUID) -> EndpointWithSecret:
        """A new secret takes effect at once: the next attempt is signed with it."""
        return await self._runner.run(ctx, RotateSecret(endpoint_id), self._rotate)

    @runs(DeleteEndpoint)
    async def delete(
        self, ctx: CallContext, endpoint_id: UUID, expected_version: int | None
    ) -> None:
        """Removes the endpoint with its delivery log."""
        command = DeleteEndpoint(endpoint_id, expected_version)
        await self._runner.run(ctx, command, DeleteEndpointHandler())
