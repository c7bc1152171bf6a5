"""Parcels shipped in the database through the use cases, with a carrier connected to a
running simulated carrier whose price table covers 浙江 (8.00 the first kilogram, 2.50
each next): one order of one 1.2 kg unit per parcel."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from application.fulfilment.planning import PlanWaves
from application.fulfilment.scanning import ListWaveShipments, ScanPick
from application.logistics.carriers import carrier_by_code
from application.logistics.rates import SetPriceTable
from domain.fulfilment.shipment import Shipment
from domain.logistics.rates import Rate
from tests.conftest import TenantHandle
from tests.e2e.fulfilment.support import approved_order, carrier, stocked
from tests.integration.fulfilment.parcels import through
from tests.integration.orders.conftest import caller
from tests.support.carrier import RunningCarrier

ZHEJIANG = Rate(("浙江省",), 1000, Decimal("8.00"), Decimal("2.50"), 30_000)


async def shipped_parcels(
    tenant: TenantHandle, sim: RunningCarrier, count: int
) -> tuple[str, UUID, list[Shipment]]:
    """The carrier's code and id, and its ``count`` parcels shipped (in order)."""
    ctx, run = caller(tenant), tenant.container.use_cases.run
    owner = await tenant.headers("owner")
    goods = await stocked(tenant.client, owner, 20, grams="1200")
    code = await carrier(tenant, tenant.client, sim.url)
    async with tenant.container.uow_factory.for_tenant(ctx) as uow:
        carrier_id = (await carrier_by_code(uow, code)).id
    await run(ctx, SetPriceTable(carrier_id, (ZHEJIANG,), 0))
    for _ in range(count):
        await approved_order(tenant.client, owner, (goods.sku, 1))
    (wave,) = await run(ctx, PlanWaves(code, UUID(goods.warehouse)))
    await run(ctx, ScanPick(wave.id, goods.barcode, count))
    shipments = await tenant.container.use_cases.query(ctx, ListWaveShipments(wave.id))
    return code, carrier_id, [await through(ctx, tenant, s, goods.barcode) for s in shipments]
