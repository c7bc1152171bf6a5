"""/api/v1/orders/channels/{channelId}/sku-mappings (ORD-9, CHN-2): list a channel's SKU
mappings, and map a channel SKU code to a SKU (a PUT: setting it again changes nothing; a
new SKU for the code replaces the old)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, put
from litestar.params import FromPath, JSONBody

from application.orders.channels.intake import ListChannelSkuMappings, SetChannelSkuMapping
from application.orders.channels.ports import SkuMapping
from domain.orders.channel_codes import CHANNEL_SKU_CODE
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.limits import stated
from entrypoints.http.permissions import needs
from entrypoints.http.wire import WireIn, WireOut


class SkuMappingIn(WireIn):
    channel_sku_code: Annotated[str, stated(pattern=CHANNEL_SKU_CODE)]
    sku_id: UUID


class SkuMappingOut(WireOut):
    channel_id: UUID
    channel_sku_code: str
    sku_id: UUID


def _out(mapping: SkuMapping) -> SkuMappingOut:
    return SkuMappingOut(mapping.channel_id, mapping.channel_sku_code, mapping.sku_id)


class ChannelSkuMappingsController(Controller):
    path = "/{channel_id:uuid}/sku-mappings"

    @get("/", opt=needs(ListChannelSkuMappings))
    async def list_mappings(
        self, ctx: Context, use_cases: Dispatch, channel_id: FromPath[UUID]
    ) -> list[SkuMappingOut]:
        """The channel's SKU codes and the SKU each is, by code."""
        found = await use_cases.query(ctx, ListChannelSkuMappings(channel_id))
        return [_out(m) for m in found]

    @put("/", opt=needs(SetChannelSkuMapping))
    async def set_mapping(
        self,
        ctx: Context,
        use_cases: Dispatch,
        channel_id: FromPath[UUID],
        data: JSONBody[SkuMappingIn],
    ) -> SkuMappingOut:
        """Map a channel SKU code to a SKU; orders pulled later with the code get the SKU
        (before, the code marks them abnormal ``sku_not_mapped``)."""
        command = SetChannelSkuMapping(channel_id, data.channel_sku_code, data.sku_id)
        return _out(await use_cases.run(ctx, command))
