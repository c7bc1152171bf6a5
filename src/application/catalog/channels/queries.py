"""Reading sales channels (CHN-1): the generic reads, declared for channels."""

from __future__ import annotations

from dataclasses import dataclass

from application.catalog.channels.common import ENTITY
from application.shared.reads import ById, InIdOrder
from domain.catalog.channel import SalesChannel
from domain.catalog.permissions import CATALOG_READ


@dataclass(frozen=True)
class GetChannel(ById[SalesChannel], entity=ENTITY, permission=CATALOG_READ):
    pass


@dataclass(frozen=True)
class ListChannels(InIdOrder[SalesChannel], entity=ENTITY, permission=CATALOG_READ):
    pass
