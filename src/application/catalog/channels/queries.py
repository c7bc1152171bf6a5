"""Reading sales channels (CHN-1): the generic reads, declared for channels."""

from __future__ import annotations

from application.catalog.channels.common import ENTITY
from application.shared.reads import ById, InIdOrder
from domain.catalog.channel import SalesChannel
from domain.catalog.permissions import CATALOG_READ


class GetChannel(ById[SalesChannel], entity=ENTITY, permission=CATALOG_READ):
    pass


class ListChannels(InIdOrder[SalesChannel], entity=ENTITY, permission=CATALOG_READ):
    pass
