"""Who hears of what fulfilment finds (LOG-1), on the typed fakes: a weight past the
tolerance tells the warehouse once per weighing that flags it, an interception after
dispatch tells the warehouse and customer service, by inbox and email."""

from __future__ import annotations

from application.fulfilment.notices import INTERCEPTION_REQUESTED, WEIGHT_FLAGGED
from application.fulfilment.planning import PlanWaves
from application.fulfilment.scanning import ScanPick, ScanVerify, WeighShipment
from application.fulfilment.shipping import BookWaybill, InterceptShipment, ShipShipment
from domain.fulfilment.wave import SkuFact, Wave
from domain.notifications.notification import Channel, Notification
from tests.unit.fulfilment.desk import approved, register_fulfilment
from tests.unit.orders.test_use_cases import CTX, TENANT, Shop, make_shop, order

CODE = "6901234567892"


async def _planned(units: int) -> tuple[Shop, Wave]:
    """An approved order of ``units`` cups in its wave."""
    shop = await make_shop()
    register_fulfilment(shop)
    sku = await shop.sku(5)
    await approved(shop, order((sku, units)))
    shop.db.tenant(TENANT).fulfilment.skus[sku] = SkuFact(sku, "CUP-1", CODE, 250)
    (wave,) = await shop.use_cases.run(CTX, PlanWaves("SF"))
    return shop, wave


async def test_a_flagged_weight_and_an_interception_after_dispatch_tell_the_roles() -> None:
    shop, wave = await _planned(2)
    await shop.use_cases.run(CTX, ScanPick(wave.id, CODE, 2))
    (shipment,) = shop.db.tenant(TENANT).fulfilment.shipments.values()
    for _ in range(2):
        shipment = await shop.use_cases.run(CTX, ScanVerify(shipment.id, CODE))
    before = len(shop.notifier.sent)

    def told(topic: str) -> list[Notification]:
        return [n for n in shop.notifier.sent[before:] if n.topic == topic]

    shipment = await shop.use_cases.run(CTX, WeighShipment(shipment.id, 800))  # 500 expected
    (heavy,) = told(WEIGHT_FLAGGED)
    assert heavy.roles == ("warehouse",) and heavy.channels == {Channel.INBOX}
    assert heavy.params == {
        "orderNumber": shipment.order_number,
        "grams": 800,
        "expectedGrams": 500,
        "deviationPercent": "60.0",
    }
    shipment = await shop.use_cases.run(CTX, WeighShipment(shipment.id, 505))  # within 5 %
    assert len(told(WEIGHT_FLAGGED)) == 1

    shipment = await shop.use_cases.run(CTX, BookWaybill(shipment.id, shipment.version))
    shipment = await shop.use_cases.run(CTX, ShipShipment(shipment.id, shipment.version))
    assert told(INTERCEPTION_REQUESTED) == []
    await shop.use_cases.run(CTX, InterceptShipment(shipment.id, shipment.version, "买家拒收"))
    (asked,) = told(INTERCEPTION_REQUESTED)
    assert asked.roles == ("warehouse", "customer_service")
    assert asked.channels == {Channel.INBOX, Channel.EMAIL}
    assert asked.params["trackingNo"] == shipment.tracking_no
    assert asked.link == f"/fulfilment/shipments/{shipment.id}"


async def test_an_interception_before_dispatch_tells_nobody_of_a_carrier_request() -> None:
    shop, _ = await _planned(1)
    (shipment,) = shop.db.tenant(TENANT).fulfilment.shipments.values()
    await shop.use_cases.run(CTX, InterceptShipment(shipment.id, shipment.version, "退款"))
    assert [n for n in shop.notifier.sent if n.topic == INTERCEPTION_REQUESTED] == []


def _status_changes(shop: Shop, since: int) -> list[str]:
    return [
        str(n.params["status"])
        for n in shop.notifier.sent[since:]
        if n.topic == "order.status_changed"
    ]


async def test_ord7_the_status_changes_fulfilment_makes_tell_the_roles_concerned() -> None:
    shop = await make_shop()
    register_fulfilment(shop)
    sku = await shop.sku(5)
    await approved(shop, order((sku, 1)))
    shop.db.tenant(TENANT).fulfilment.skus[sku] = SkuFact(sku, "CUP-1", CODE, 250)
    since = len(shop.notifier.sent)
    (wave,) = await shop.use_cases.run(CTX, PlanWaves("SF"))
    assert _status_changes(shop, since) == ["picking"]  # approved → allocated → picking: once
    (told,) = [n for n in shop.notifier.sent[since:] if n.topic == "order.status_changed"]
    assert told.roles and told.channels == {Channel.INBOX, Channel.WEBHOOK}
    await shop.use_cases.run(CTX, ScanPick(wave.id, CODE, 1))
    (shipment,) = shop.db.tenant(TENANT).fulfilment.shipments.values()
    shipment = await shop.use_cases.run(CTX, ScanVerify(shipment.id, CODE))
    shipment = await shop.use_cases.run(CTX, WeighShipment(shipment.id, 250))
    shipment = await shop.use_cases.run(CTX, BookWaybill(shipment.id, shipment.version))
    since = len(shop.notifier.sent)
    shipment = await shop.use_cases.run(CTX, ShipShipment(shipment.id, shipment.version))
    assert _status_changes(shop, since) == ["shipped"]
    since = len(shop.notifier.sent)
    await shop.use_cases.run(CTX, InterceptShipment(shipment.id, shipment.version, "拒收"))
    assert _status_changes(shop, since) == []  # asked of the carrier: the status stays


async def test_ord7_an_interception_before_dispatch_tells_of_the_cancelled_order() -> None:
    shop, _ = await _planned(1)
    (shipment,) = shop.db.tenant(TENANT).fulfilment.shipments.values()
    since = len(shop.notifier.sent)
    await shop.use_cases.run(CTX, InterceptShipment(shipment.id, shipment.version, "退款"))
    assert _status_changes(shop, since) == ["cancelled"]
