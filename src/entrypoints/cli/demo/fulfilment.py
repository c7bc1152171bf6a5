"""The demo tenant's fulfilment (LOG-1, LOG-3): a carrier (SF, connected to the simulated
carrier at ``SHOPKEEPER_DEMO_CARRIER_URL``, which ``make run`` starts, so its waybills
book) and one wave — the demo's own-shop order approved, planned and picked, its parcel
waiting to be verified — through the real use cases, and only where missing, so ``demo
load`` stays safe to run twice."""

from __future__ import annotations

from application.fulfilment.planning import PlanWaves
from application.fulfilment.scanning import ListWaves, ScanPick
from application.logistics.carriers import ConnectCarrier, CreateCarrier, ListCarriers
from application.orders.lifecycle import ApproveOrder
from application.orders.ports import OrderFilter
from application.orders.queries import ListOrders
from application.shared.context import CallContext
from application.shared.pagination import every_page
from bootstrap import Container
from domain.orders.status import OrderStatus

# Found by ``shopkeeper demo load`` (``entrypoints/cli/demo/__init__.py``).
AFTER: tuple[str, ...] = ("orders",)  # ships the demo's orders
SUMMARY = (
    "Demo fulfilment: carrier SF (顺丰速运, booking with the simulated carrier),"
    " one wave planned and picked"
)

CARRIER = "SF"
SIMULATED = "simulated"  # the gateway kind of ``shopkeeper carrier sim``


async def load(c: Container, ctx: CallContext) -> None:
    """Create the carrier and the picked wave where missing (idempotent)."""
    run, query = c.use_cases.run, c.use_cases.query
    carriers = await every_page(lambda p, n: query(ctx, ListCarriers.window(p, n)))
    carrier = next((found for found in carriers if found.code == CARRIER), None)
    if carrier is None:
        carrier = await run(ctx, CreateCarrier(CARRIER, "顺丰速运", cash_on_delivery=True))
    if carrier.endpoint is None:  # an operator's own choice of gateway is kept
        endpoint = c.settings.demo_carrier_url
        await run(ctx, ConnectCarrier(carrier.id, SIMULATED, endpoint))
    if (await query(ctx, ListWaves.window(None, 1))).items:
        return
    waiting = await query(ctx, ListOrders(OrderFilter(status=OrderStatus.AWAITING_REVIEW)))
    own = [s.order for s in waiting.items if s.order.channel_id is None]
    if not own:
        return
    await run(ctx, ApproveOrder(own[0].id, own[0].version))
    for wave in await run(ctx, PlanWaves(CARRIER)):
        for line in wave.lines:
            await run(ctx, ScanPick(wave.id, line.barcode or line.sku_code, line.quantity))
