"""Pick, verify, short picks, ship and intercept in any order keep stock and orders
consistent (LOG-1),
on the typed fakes: on hand is what was received less the units shipped, each issued once;
the pick lock is the units of the parcels not yet dispatched; reserved the units of
orders not yet in a wave; the ledger sums to every figure; a shipped parcel's order is
shipped, an intercepted one's cancelled."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any, TypeVar
from uuid import UUID

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from application.fulfilment.planning import PlanWaves
from application.fulfilment.scanning import (
    ScanPick,
    ScanVerify,
    WeighShipment,
)
from application.fulfilment.shipping import (
    BookWaybill,
    InterceptShipment,
    ShipShipment,
)
from application.fulfilment.shortages import ShortenShipment, ShortLine
from application.inventory.stock.check import CheckLedger
from application.orders.common import OrderOutOfStock
from application.orders.lifecycle import ApproveOrder, RecordPayment
from application.shared.use_case import Command
from domain.fulfilment.shipment import BEFORE_DISPATCH, ShipmentStatus
from domain.fulfilment.wave import SkuFact
from domain.inventory.stock import Deltas
from domain.orders.payment_records import PaymentMethod
from domain.orders.status import OrderStatus
from domain.shared.errors import Conflict
from tests.unit.fulfilment.desk import register_fulfilment
from tests.unit.orders.test_use_cases import CTX, TENANT, make_shop, order

R = TypeVar("R")
STOCK = 12


class FulfilmentMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.shop = self.loop.run_until_complete(make_shop())
        register_fulfilment(self.shop)
        self.sku = self.loop.run_until_complete(self.shop.sku(STOCK))
        tables = self.shop.db.tenant(TENANT)
        tables.fulfilment.skus[self.sku] = SkuFact(self.sku, "CUP-1", "6901234567892", 250)
        self.waiting: dict[UUID, int] = {}  # approved orders not in a wave -> units
        self.later: dict[UUID, int] = {}  # units a short pick left for a later wave
        self.shipped = 0

    def run(self, command: Command[R]) -> R:
        return self.loop.run_until_complete(self.shop.use_cases.run(CTX, command))

    def _shipments(self) -> list[Any]:
        return list(self.shop.db.tenant(TENANT).fulfilment.shipments.values())

    def _order(self, order_id: UUID) -> Any:
        return self.shop.db.tenant(TENANT).orders.orders[order_id].order

    @rule(units=st.integers(1, 3))
    def approve_an_order(self, units: int) -> None:
        try:
            placed = self.run(order((self.sku, units)))
        except OrderOutOfStock:
            return
        paid = self.run(
            RecordPayment(placed.id, PaymentMethod.ALIPAY, placed.total, uuid.uuid4().hex)
        )
        self.run(ApproveOrder(placed.id, paid.order.version))
        self.waiting[placed.id] = units

    @rule()
    def plan_and_pick(self) -> None:
        rest = {o for o in self.later if self._order(o).status is OrderStatus.PARTLY_SHIPPED}
        waves = self.run(PlanWaves("SF"))
        assert {o for w in waves for o in w.order_ids} == set(self.waiting) | rest
        self.waiting.clear()
        for planned in rest:
            del self.later[planned]
        for wave in waves:
            for line in wave.lines:
                self.run(ScanPick(wave.id, "6901234567892", line.quantity))

    @rule(data=st.data())
    def ship_one(self, data: st.DataObject) -> None:
        ready = sorted(
            (s for s in self._shipments() if s.status is ShipmentStatus.PICKING), key=lambda s: s.id
        )
        if not ready:
            return
        shipment = data.draw(st.sampled_from(ready))
        for _ in range(sum(line.quantity for line in shipment.lines)):
            shipment = self.run(ScanVerify(shipment.id, "6901234567892"))
        shipment = self.run(WeighShipment(shipment.id, (shipment.expected_grams or 0) + 3))
        shipment = self.run(BookWaybill(shipment.id, shipment.version))
        shipment = self.run(ShipShipment(shipment.id, shipment.version))
        self.shipped += sum(line.quantity for line in shipment.lines)
        try:  # a second dispatch issues nothing
            self.run(ShipShipment(shipment.id, shipment.version))
            raise AssertionError("shipped twice")
        except Conflict:
            pass

    @rule(data=st.data())
    def short_one(self, data: st.DataObject) -> None:
        """The picker finds one unit fewer of a parcel's first line."""
        ready = sorted(
            (
                s
                for s in self._shipments()
                if s.status is ShipmentStatus.PICKING and sum(x.quantity for x in s.lines) > 1
            ),
            key=lambda s: s.id,
        )
        if not ready:
            return
        shipment = data.draw(st.sampled_from(ready))
        line = shipment.lines[0]
        self.run(
            ShortenShipment(
                shipment.id, (ShortLine(line.line_id, line.quantity - 1),), shipment.version
            )
        )
        self.later[shipment.order_id] = self.later.get(shipment.order_id, 0) + 1

    @rule(data=st.data())
    def intercept_one(self, data: st.DataObject) -> None:
        candidates = sorted(
            (
                s
                for s in self._shipments()
                if s.status in (*BEFORE_DISPATCH, ShipmentStatus.SHIPPED)
            ),
            key=lambda s: s.id,
        )
        if not candidates:
            return
        shipment = data.draw(st.sampled_from(candidates))
        stopped = self.run(InterceptShipment(shipment.id, shipment.version, "退款"))
        shipped = shipment.status is ShipmentStatus.SHIPPED
        if not shipped:  # everything the order still held goes back
            self.later.pop(shipment.order_id, None)
        expected = ShipmentStatus.INTERCEPTION_REQUESTED if shipped else ShipmentStatus.INTERCEPTED
        assert stopped.status is expected

    @invariant()
    def stock_matches_the_parcels(self) -> None:
        locked = sum(
            line.quantity
            for s in self._shipments()
            if s.status in BEFORE_DISPATCH
            for line in s.lines
        )
        expected = Deltas(
            on_hand=STOCK - self.shipped,
            reserved=sum(self.waiting.values()) + sum(self.later.values()),
            pick_locked=locked,
        )
        assert self.shop.level(self.sku) == expected
        assert self.loop.run_until_complete(self.shop.use_cases.query(CTX, CheckLedger())) == []

    @invariant()
    def orders_follow_their_parcels(self) -> None:
        parcels: dict[UUID, list[Any]] = {}
        for shipment in self._shipments():
            parcels.setdefault(shipment.order_id, []).append(shipment)
        gone = (ShipmentStatus.SHIPPED, ShipmentStatus.INTERCEPTION_REQUESTED)
        for order_id, shipments in parcels.items():
            placed = self._order(order_id)
            left = sum(x.quantity for s in shipments if s.status in gone for x in s.lines)
            assert sum(placed.shipped_quantities.values()) == left
            stopped = any(s.status is ShipmentStatus.INTERCEPTED for s in shipments)
            if stopped and not left:
                assert placed.status is OrderStatus.CANCELLED
            elif left == sum(line.quantity for line in placed.lines):
                assert placed.status is OrderStatus.SHIPPED
            elif left:
                assert placed.status is OrderStatus.PARTLY_SHIPPED
            else:
                assert placed.status is OrderStatus.PICKING

    def teardown(self) -> None:
        self.loop.close()


FulfilmentMachine.TestCase.settings = settings(
    max_examples=25, stateful_step_count=12, deadline=None
)
test_fulfilment_keeps_stock_and_orders_consistent = FulfilmentMachine.TestCase


def test_a_short_pick_ships_part_and_a_later_wave_the_rest() -> None:
    machine = FulfilmentMachine()
    machine.approve_an_order(3)
    machine.plan_and_pick()
    (shipment,) = machine._shipments()
    line = shipment.lines[0]
    short = ShortenShipment(shipment.id, (ShortLine(line.line_id, 2),), shipment.version)
    machine.run(short)
    machine.later[shipment.order_id] = 1
    machine.stock_matches_the_parcels()
    for _ in range(2):
        shipment = machine.run(ScanVerify(shipment.id, "6901234567892"))
    shipment = machine.run(WeighShipment(shipment.id, 500))
    shipment = machine.run(BookWaybill(shipment.id, shipment.version))
    machine.run(ShipShipment(shipment.id, shipment.version))
    machine.shipped += 2
    assert machine._order(shipment.order_id).status is OrderStatus.PARTLY_SHIPPED
    machine.stock_matches_the_parcels()
    machine.plan_and_pick()
    rest = next(s for s in machine._shipments() if s.status is ShipmentStatus.PICKING)
    assert [x.quantity for x in rest.lines] == [1]
    rest = machine.run(ScanVerify(rest.id, "6901234567892"))
    rest = machine.run(WeighShipment(rest.id, 250))
    rest = machine.run(BookWaybill(rest.id, rest.version))
    machine.run(ShipShipment(rest.id, rest.version))
    machine.shipped += 1
    assert machine._order(rest.order_id).status is OrderStatus.SHIPPED
    machine.stock_matches_the_parcels()
    machine.orders_follow_their_parcels()
    machine.teardown()
