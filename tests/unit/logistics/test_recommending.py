"""LOG-3: the recommendation reads the order through orders' ``OrderParcels`` port — its
province, its lines' weight (else the catalog's, by its SKUs' units) and cash on delivery
— never orders' store: an order only the port knows is recommended for; one it does not
know is a 404."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from adapters.identity.access_policy import RoleBasedAccessPolicy
from application.logistics.recommending import RecommendCarrier, RecommendCarrierHandler
from application.orders.ports import OrderParcels, ParcelOrder
from application.shared.runner import CommandRunner
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_cases import UseCases
from domain.fulfilment.wave import SkuFact
from domain.logistics.carrier import Carrier
from domain.logistics.rates import PriceTable, Rate
from domain.shared.errors import NotFound
from tests.fakes.clock import FakeClock
from tests.fakes.unit_of_work import FakeDatabase, FakeIds
from tests.unit.orders.test_use_cases import CTX, START, TENANT


class Parcels(OrderParcels):
    def __init__(self, parcels: dict[UUID, ParcelOrder]) -> None:
        self.parcels = parcels

    async def parcel(self, uow: UnitOfWork, order_id: UUID) -> ParcelOrder | None:
        return self.parcels.get(order_id)


async def test_log3_the_recommendation_reads_the_order_through_orders_port() -> None:
    db = FakeDatabase()
    sku, cod_order, plain_order = uuid4(), uuid4(), uuid4()
    parcels = Parcels(
        {
            cod_order: ParcelOrder("浙江省", 0, ((sku, 3),), True),  # weight by the catalog
            plain_order: ParcelOrder("浙江省", 1500, ((sku, 1),), False),
        }
    )
    use_cases = UseCases(CommandRunner(db, RoleBasedAccessPolicy(), FakeClock(START), FakeIds()))
    use_cases.register(RecommendCarrierHandler(parcels))
    tables = db.tenant(TENANT)
    cheap = Carrier.create(uuid4(), "YTO", "圆通", False, START)
    collects = Carrier.create(uuid4(), "SF", "顺丰", True, START)
    for carrier, first in ((cheap, "5.00"), (collects, "9.00")):
        tables.logistics.carriers[carrier.id] = carrier
        rate = Rate(("浙江",), 1000, Decimal(first), Decimal("1.00"), 30_000)
        tables.logistics.price_tables[carrier.id] = PriceTable(carrier.id, (rate,), 1)
    tables.fulfilment.skus[sku] = SkuFact(sku, "CUP-1", "6901234567892", 700)

    plain = await use_cases.query(CTX, RecommendCarrier(plain_order))
    assert plain.best is not None and plain.best.carrier.code == "YTO"
    assert plain.best.postage == Decimal("6.00")  # 1.5 kg: the first kilogram and one more
    cod = await use_cases.query(CTX, RecommendCarrier(cod_order))  # 3 × 700 g
    assert cod.best is not None and cod.best.carrier.code == "SF"
    assert cod.best.postage == Decimal("11.00")
    with pytest.raises(NotFound):
        await use_cases.query(CTX, RecommendCarrier(uuid4()))
