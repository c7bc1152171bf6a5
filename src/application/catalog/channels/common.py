"""Steps the channel use cases share."""

from __future__ import annotations

from uuid import UUID

from application.catalog.ports.store import CATALOG
from application.shared.unit_of_work import UnitOfWork
from domain.catalog.channel import ChannelKind, SalesChannel
from domain.shared.errors import NotFound

ENTITY = "sales_channel"
KINDS = [str(k) for k in ChannelKind]


def state(channel: SalesChannel) -> dict[str, object]:
    return {"name": channel.name, "active": channel.active, "shopGroup": channel.shop_group}


async def load_channel(uow: UnitOfWork, channel_id: UUID) -> SalesChannel:
    channel = await uow.of(CATALOG).channels.get(channel_id)
    if channel is None:
        raise NotFound(entity=ENTITY)
    return channel
