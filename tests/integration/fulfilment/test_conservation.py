"""Conservation through fulfilment (LOG-1), in the database through the use cases: every
shipped unit is issued from stock exactly once (the ledger says so and still sums to each
figure), an interception before dispatch gives back the pick lock and cancels the order,
one after dispatch asks the carrier and notes it on the order; a short pick ships part of
an order now and the rest in a later wave; a marketplace order's shipment is reported to
the platform per sub-order."""

from __future__ import annotations

from uuid import UUID

import pytest

from application.fulfilment.planning import PlanWaves
from application.fulfilment.scanning import ListWaveShipments, ScanPick
from application.fulfilment.shipping import InterceptShipment, ShipShipment
from application.fulfilment.shortages import ShortenShipment, ShortLine
from application.inventory.ports import INVENTORY
from application.inventory.stock.check import CheckLedger
from application.orders.queries import GetOrder
from domain.fulfilment.shipment import ShipmentStatus
from domain.orders.status import OrderStatus
from domain.shared.errors import Conflict
from tests.conftest import TenantHandle
from tests.e2e.fulfilment.support import approved_order, carrier, stocked
from tests.integration.fulfilment.parcels import marketplace_parcel, through
from tests.integration.orders.conftest import caller
from tests.support.carrier import RunningCarrier
from tests.support.marketplace import RunningMarketplace


async def _figures(tenant: TenantHandle, sku: UUID, warehouse: UUID) -> tuple[int, int, int]:
    async with tenant.container.uow_factory.for_tenant(caller(tenant)) as uow:
        level = await uow.of(INVENTORY).stock.level(sku, warehouse)
    assert level is not None
    return level.figures.on_hand, level.figures.reserved, level.figures.pick_locked


async def _issues(tenant: TenantHandle, sku: UUID) -> int:
    async with tenant.container.uow_factory.for_tenant(caller(tenant)) as uow:
        rows = await uow.of(INVENTORY).stock.ledger(sku, None, None, 500)
    return sum(-row.deltas.on_hand for row in rows if row.kind.value == "issue")


async def test_shipped_units_are_issued_once_and_an_interception_gives_back_the_lock(
    tenant: TenantHandle, sim: RunningCarrier
) -> None:
    ctx, run, query = (
        caller(tenant),
        tenant.container.use_cases.run,
        tenant.container.use_cases.query,
    )
    owner = await tenant.headers("owner")
    goods = await stocked(tenant.client, owner, 20)
    sku, warehouse = UUID(goods.sku), UUID(goods.warehouse)
    code = await carrier(tenant, tenant.client, sim.url)
    orders = [await approved_order(tenant.client, owner, (goods.sku, n)) for n in (2, 1, 3)]
    (wave,) = await run(ctx, PlanWaves(code, warehouse))
    assert await _figures(tenant, sku, warehouse) == (20, 0, 6)
    await run(ctx, ScanPick(wave.id, goods.barcode, 6))
    shipments = {s.order_id: s for s in await query(ctx, ListWaveShipments(wave.id))}
    first, second, third = (shipments[UUID(str(o["id"]))] for o in orders)

    shipped = await through(ctx, tenant, first, goods.barcode)
    with pytest.raises(Conflict):  # shipped once: a second dispatch issues nothing
        await run(ctx, ShipShipment(shipped.id, shipped.version))
    await through(ctx, tenant, second, goods.barcode)
    stopped = await run(ctx, InterceptShipment(third.id, third.version, "买家退款"))
    assert stopped.status is ShipmentStatus.INTERCEPTED

    assert await _figures(tenant, sku, warehouse) == (17, 0, 0)
    assert await _issues(tenant, sku) == 3  # 2 + 1 shipped, each unit once
    assert await query(ctx, CheckLedger()) == []
    statuses = [(await query(ctx, GetOrder(UUID(str(o["id"]))))).order.status for o in orders]
    assert statuses == [OrderStatus.SHIPPED, OrderStatus.SHIPPED, OrderStatus.CANCELLED]

    sim.control.post("/sim/clock", json={"advance": 90})  # the carrier has picked it up
    asked = await run(ctx, InterceptShipment(shipped.id, shipped.version, "买家拒收"))
    assert asked.status is ShipmentStatus.INTERCEPTION_REQUESTED
    order = (await query(ctx, GetOrder(first.order_id))).order
    assert order.timeline[-1].kind == "interception_requested"
    assert await _figures(tenant, sku, warehouse) == (17, 0, 0)  # it comes back as a return


async def test_a_marketplace_shipment_is_reported_per_sub_order(
    tenant: TenantHandle, sim: RunningCarrier, market: RunningMarketplace
) -> None:
    parcel = await marketplace_parcel(tenant, sim, market)
    shipped = await through(caller(tenant), tenant, parcel.shipment, parcel.goods.barcode)
    shop = parcel.shop
    assert shipped.channel_reported is True
    confirmations = market.control.get(f"/sim/shops/{shop}/shipments").json()["shipments"]
    assert confirmations == [
        {
            "platformOrderId": f"{shop}-1",
            "subOrderIds": [f"{shop}-1-a"],
            "carrier": shipped.carrier_code,
            "trackingNo": shipped.tracking_no,
        }
    ]


async def test_a_short_pick_ships_part_now_and_the_rest_in_a_later_wave(
    tenant: TenantHandle, sim: RunningCarrier
) -> None:
    ctx, run = caller(tenant), tenant.container.use_cases.run
    query = tenant.container.use_cases.query
    owner = await tenant.headers("owner")
    goods = await stocked(tenant.client, owner, 5)
    sku, warehouse = UUID(goods.sku), UUID(goods.warehouse)
    code = await carrier(tenant, tenant.client, sim.url)
    placed = await approved_order(tenant.client, owner, (goods.sku, 3))
    (wave,) = await run(ctx, PlanWaves(code, warehouse))
    await run(ctx, ScanPick(wave.id, goods.barcode, 3))
    (shipment,) = await query(ctx, ListWaveShipments(wave.id))
    line = shipment.lines[0]
    short = ShortenShipment(shipment.id, (ShortLine(line.line_id, 1),), shipment.version)
    shipment = await run(ctx, short)
    assert await _figures(tenant, sku, warehouse) == (5, 2, 1)
    await through(ctx, tenant, shipment, goods.barcode)
    order_id = UUID(str(placed["id"]))
    assert (await query(ctx, GetOrder(order_id))).order.status is OrderStatus.PARTLY_SHIPPED
    assert await _figures(tenant, sku, warehouse) == (4, 2, 0)
    (later,) = await run(ctx, PlanWaves(code, warehouse))
    await run(ctx, ScanPick(later.id, goods.barcode, 2))
    (rest,) = await query(ctx, ListWaveShipments(later.id))
    assert [x.quantity for x in rest.lines] == [2]
    await through(ctx, tenant, rest, goods.barcode)
    assert (await query(ctx, GetOrder(order_id))).order.status is OrderStatus.SHIPPED
    assert await _figures(tenant, sku, warehouse) == (2, 0, 0)
    assert await query(ctx, CheckLedger()) == []
