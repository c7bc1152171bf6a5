"""Sales channels (CHN-1, CAT-7): create, rename, deactivate / reactivate, read.

Channels are never deleted (listings, and later orders, name them): deactivating is the
end of a channel. Deactivation unpublishes every listing of the channel in the same
transaction, each with its ``product.unpublished`` event; a deactivated channel accepts no
publication. Reactivating publishes nothing back — that is a decision per product.
Managing channels needs ``catalog:publish`` (docs/catalog.md, "Permissions").
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.catalog.common import id_after, id_page
from application.catalog.ports.store import CATALOG
from application.catalog.unpublishing import unpublish_channel
from application.shared.access_policy import AccessPolicy
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.pagination import Page, clamp_limit
from application.shared.runner import CommandRunner
from application.shared.unit_of_work import UnitOfWork
from application.shared.versions import check_version
from domain.catalog.channel import ChannelKind, SalesChannel
from domain.catalog.permissions import CATALOG_PUBLISH, CATALOG_READ
from domain.shared.audit import AuditEntry, diff
from domain.shared.errors import NotFound, ValidationFailed
from domain.shared.events import DomainEvent

ENTITY = "sales_channel"
KINDS = [str(k) for k in ChannelKind]


@dataclass(frozen=True)
class ChannelChanges:
    """Only what is set changes."""

    name: str | None = None
    active: bool | None = None


def _state(channel: SalesChannel) -> dict[str, object]:
    return {"name": channel.name, "active": channel.active}


async def _load(uow: UnitOfWork, channel_id: UUID) -> SalesChannel:
    channel = await uow.of(CATALOG).channels.get(channel_id)
    if channel is None:
        raise NotFound(entity=ENTITY)
    return channel


class ChannelService:
    """``create``, ``change`` and ``get``, ``list_channels``."""

    def __init__(
        self, runner: CommandRunner, access: AccessPolicy, clock: Clock, ids: IdGenerator
    ) -> None:
        self._runner = runner
        self._access = access
        self._clock = clock
        self._ids = ids

    async def create(
        self, ctx: CallContext, code: str, name: str, kind: str, platform: str | None
    ) -> SalesChannel:
        async def command(uow: UnitOfWork) -> SalesChannel:
            self._access.require(ctx, CATALOG_PUBLISH)
            if kind not in KINDS:
                raise ValidationFailed.single("kind", "invalid_choice", allowed=KINDS)
            channel = SalesChannel.create(
                self._ids.new_id(), code, name, ChannelKind(kind), platform
            )
            await uow.of(CATALOG).channels.add(channel, self._clock.now())
            state = {**_state(channel), "code": channel.code, "kind": kind, "platform": platform}
            await uow.audit.record(
                AuditEntry("sales_channel.create", ENTITY, channel.id, changes=diff({}, state))
            )
            await uow.outbox.add(
                DomainEvent("sales_channel.created", ENTITY, channel.id, data={"code": code})
            )
            return channel

        return await self._runner.run(ctx, "sales_channel.create", ENTITY, command)

    async def change(
        self,
        ctx: CallContext,
        channel_id: UUID,
        changes: ChannelChanges,
        expected_version: int | None,
    ) -> SalesChannel:
        async def command(uow: UnitOfWork) -> SalesChannel:
            self._access.require(ctx, CATALOG_PUBLISH)
            channel = await _load(uow, channel_id)
            check_version(expected_version, channel.version)
            before, read_version, now = _state(channel), channel.version, self._clock.now()
            if changes.name is not None:
                channel.rename(changes.name)
            deactivated = changes.active is False and channel.active
            if changes.active is not None:
                channel.set_active(changes.active)
            changed = diff(before, _state(channel))
            if not changed:
                return channel
            channel.version = read_version + 1
            await uow.of(CATALOG).channels.save(channel, read_version, now)
            await uow.audit.record(
                AuditEntry(
                    "sales_channel.update",
                    ENTITY,
                    channel.id,
                    changes=changed,
                    detail={"version": channel.version},
                )
            )
            fields = tuple(c.field for c in changed)
            await uow.outbox.add(DomainEvent("sales_channel.updated", ENTITY, channel.id, fields))
            if deactivated:
                await unpublish_channel(uow, channel.id, now)
            return channel

        return await self._runner.run(
            ctx, "sales_channel.update", ENTITY, command, entity_id=channel_id
        )

    async def get(self, ctx: CallContext, channel_id: UUID) -> SalesChannel:
        async def read(uow: UnitOfWork) -> SalesChannel:
            self._access.require(ctx, CATALOG_READ)
            return await _load(uow, channel_id)

        return await self._runner.query(ctx, read)

    async def list_channels(
        self, ctx: CallContext, cursor: str | None, limit: int | None
    ) -> Page[SalesChannel]:
        size, after = clamp_limit(limit), id_after(cursor)

        async def read(uow: UnitOfWork) -> Page[SalesChannel]:
            self._access.require(ctx, CATALOG_READ)
            return await id_page(uow.of(CATALOG).channels.page, after, size)

        return await self._runner.query(ctx, read)
