"""Parcels in the database through the use cases: ``through`` takes a picked one to
shipped; ``marketplace_parcel`` makes a marketplace order's — the channel and its
connector to a running simulated marketplace, the order pulled, approved, planned into a
wave and picked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from application.fulfilment.planning import PlanWaves
from application.fulfilment.scanning import ListWaveShipments, ScanPick, ScanVerify, WeighShipment
from application.fulfilment.shipping import BookWaybill, ShipShipment
from application.orders.channels.intake import (
    ChannelIntake,
    ConfigureChannelConnector,
    SetChannelSkuMapping,
)
from application.orders.lifecycle import ApproveOrder
from application.orders.ports import OrderFilter
from application.orders.queries import ListOrders
from application.shared.context import CallContext
from domain.fulfilment.shipment import Shipment
from tests.conftest import TenantHandle
from tests.e2e.fulfilment.support import Stocked, carrier, stocked
from tests.e2e.orders.support import channel as new_channel
from tests.integration.orders.conftest import caller
from tests.support.carrier import RunningCarrier
from tests.support.marketplace import RunningMarketplace, put_order


@dataclass(frozen=True)
class Parcel:
    shipment: Shipment
    shop: str
    goods: Stocked


async def marketplace_parcel(
    tenant: TenantHandle, sim: RunningCarrier, market: RunningMarketplace
) -> Parcel:
    """One marketplace order of 2 units (one sub-order) in its picked parcel."""
    ctx, run, query = (
        caller(tenant),
        tenant.container.use_cases.run,
        tenant.container.use_cases.query,
    )
    owner = await tenant.headers("owner")
    goods = await stocked(tenant.client, owner, 5)
    shop = f"ship_{uuid4().hex[:10]}"
    channel_id = UUID(await new_channel(tenant.client, owner, shop))
    since = datetime.now(UTC) - timedelta(minutes=30)
    await run(ctx, ConfigureChannelConnector(channel_id, "simulated", market.url, since))
    await run(ctx, SetChannelSkuMapping(channel_id, "TM-CUP", UUID(goods.sku)))
    ago = (datetime.now(UTC) - timedelta(minutes=3)).isoformat()
    put_order(market, shop, f"{shop}-1", [(f"{shop}-1-a", "TM-CUP", 2, "50.00")], modified_at=ago)
    await tenant.container.get(ChannelIntake).pull(ctx, channel_id)
    (placed,) = (await query(ctx, ListOrders(OrderFilter(channel_id=channel_id)))).items
    await run(ctx, ApproveOrder(placed.order.id, placed.order.version))
    (wave,) = await run(ctx, PlanWaves(await carrier(tenant, tenant.client, sim.url), None))
    await run(ctx, ScanPick(wave.id, goods.barcode, 2))
    (shipment,) = await query(ctx, ListWaveShipments(wave.id))
    return Parcel(shipment, shop, goods)


async def through(
    ctx: CallContext, tenant: TenantHandle, shipment: Shipment, code: str
) -> Shipment:
    """Verified, weighed at its expected weight, booked and shipped."""
    run = tenant.container.use_cases.run
    for line in shipment.lines:
        for _ in range(line.quantity):
            shipment = await run(ctx, ScanVerify(shipment.id, code))
    shipment = await run(ctx, WeighShipment(shipment.id, shipment.expected_grams or 1))
    shipment = await run(ctx, BookWaybill(shipment.id, shipment.version))
    return await run(ctx, ShipShipment(shipment.id, shipment.version))
