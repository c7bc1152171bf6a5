"""Create a sales channel (CHN-1), optionally in a shop group (ORD-4). Managing channels
needs ``catalog:publish``."""

from __future__ import annotations

from application.catalog.channels.common import ENTITY, KINDS, state
from application.catalog.ports.store import CATALOG
from application.shared.use_case import Command, Work
from domain.catalog.channel import ChannelKind, SalesChannel
from domain.catalog.permissions import CATALOG_PUBLISH
from domain.shared.errors import ValidationFailed
from domain.shared.events import DomainEvent


class CreateChannel(
    Command[SalesChannel], action="sales_channel.create", permission=CATALOG_PUBLISH
):
    code: str
    name: str
    kind: str
    platform: str | None
    shop_group: str | None = None  # the code of its shop group; None: a group of its own


class CreateChannelHandler:
    async def handle(self, command: CreateChannel, work: Work) -> SalesChannel:
        kind = command.kind
        if kind not in KINDS:
            raise ValidationFailed.single("kind", "invalid_choice", allowed=KINDS)
        channel = SalesChannel.create(
            work.ids.new_id(),
            command.code,
            command.name,
            ChannelKind(kind),
            command.platform,
            command.shop_group,
        )
        await work.uow.of(CATALOG).channels.add(channel, work.clock.now())
        created = {
            **state(channel),
            "code": channel.code,
            "kind": kind,
            "platform": command.platform,
        }
        work.audit(channel.id, {}, created)
        work.emit(
            DomainEvent("sales_channel.created", ENTITY, channel.id, data={"code": command.code})
        )
        return channel
