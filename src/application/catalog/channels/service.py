"""The sales channels facade (CHN-1, CAT-7): builds each use case's command or query and
hands it to the runner. Managing channels needs ``catalog:publish`` (docs/catalog.md)."""

from __future__ import annotations

from uuid import UUID

from application.catalog.channels.change import ChangeChannel, ChangeChannelHandler, ChannelChanges
from application.catalog.channels.create import CreateChannel, CreateChannelHandler
from application.catalog.channels.queries import (
    GetChannel,
    GetChannelHandler,
    ListChannels,
    ListChannelsHandler,
)
from application.catalog.common import id_window
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.pagination import Page
from application.shared.runner import CommandRunner
from application.shared.use_case import runs
from domain.catalog.channel import SalesChannel


class ChannelService:
    """``create``, ``change`` and ``get``, ``list_channels``."""

    def __init__(self, runner: CommandRunner, clock: Clock, ids: IdGenerator) -> None:
        self._runner = runner
        self._create = CreateChannelHandler(clock, ids)
        self._change = ChangeChannelHandler(clock)

    @runs(CreateChannel)
    async def create(
        self, ctx: CallContext, code: str, name: str, kind: str, platform: str | None
    ) -> SalesChannel:
        command = CreateChannel(code, name, kind, platform)
        return await self._runner.run(ctx, command, self._create)

    @runs(ChangeChannel)
    async def change(
        self,
        ctx: CallContext,
        channel_id: UUID,
        changes: ChannelChanges,
        expected_version: int | None,
    ) -> SalesChannel:
        command = ChangeChannel(channel_id, changes, expected_version)
        return await self._runner.run(ctx, command, self._change)

    @runs(GetChannel)
    async def get(self, ctx: CallContext, channel_id: UUID) -> SalesChannel:
        return await self._runner.query(ctx, GetChannel(channel_id), GetChannelHandler())

    @runs(ListChannels)
    async def list_channels(
        self, ctx: CallContext, cursor: str | None, limit: int | None
    ) -> Page[SalesChannel]:
        query = ListChannels(*id_window(cursor, limit))
        return await self._runner.query(ctx, query, ListChannelsHandler())
