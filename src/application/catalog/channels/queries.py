"""Reading sales channels (CHN-1)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.catalog.channels.common import ENTITY, load_channel
from application.catalog.common import id_page
from application.catalog.ports.store import CATALOG
from application.shared.pagination import Page
from application.shared.use_case import Query, Reading
from domain.catalog.channel import SalesChannel
from domain.catalog.permissions import CATALOG_READ


@dataclass(frozen=True)
class GetChannel(Query[SalesChannel], entity=ENTITY, permission=CATALOG_READ):
    channel_id: UUID


class GetChannelHandler:
    async def handle(self, query: GetChannel, reading: Reading) -> SalesChannel:
        return await load_channel(reading.uow, query.channel_id)


@dataclass(frozen=True)
class ListChannels(Query[Page[SalesChannel]], entity=ENTITY, permission=CATALOG_READ):
    after: UUID | None
    size: int


class ListChannelsHandler:
    async def handle(self, query: ListChannels, reading: Reading) -> Page[SalesChannel]:
        return await id_page(reading.uow.of(CATALOG).channels.page, query.after, query.size)
