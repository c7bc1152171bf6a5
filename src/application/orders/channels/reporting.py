"""Shipments reported back to the sales channel (CHN-2 shipment side): the platform told
that its sub-orders left with a carrier under a tracking number, through the channel's
connector. Fulfilment calls it through its own port (``ShipmentReports``), in its
command's unit of work."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from application.orders.channels.intake import channel_ref
from application.orders.channels.ports import ORDER_CHANNELS, Connectors
from application.shared.unit_of_work import UnitOfWork


class ChannelShipments:
    def __init__(self, connectors: Connectors) -> None:
        self._connectors = connectors

    async def report(
        self,
        uow: UnitOfWork,
        channel_id: UUID,
        platform_order_id: str,
        sub_order_ids: Sequence[str],
        carrier: str,
        tracking_no: str,
    ) -> bool:
        setting = await uow.of(ORDER_CHANNELS).channels.connector(channel_id)
        if setting is None:
            return False
        connector = self._connectors.connector(setting.kind, setting.endpoint)
        channel = await channel_ref(uow, channel_id)
        await connector.report_shipment(
            channel, platform_order_id, sub_order_ids, carrier, tracking_no
        )
        return True
