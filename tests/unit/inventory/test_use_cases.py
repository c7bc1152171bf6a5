"""Inventory's use cases on the typed fakes (INV-2, CHN-1/CHN-2): allocation strategies,
all-or-nothing reservations, coalesced availability announcements, expiry once; and a
Hypothesis state machine of movements against a reference model (cheap on the fakes, so
it runs many more steps than its Postgres twin)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from adapters.identity.access_policy import RoleBasedAccessPolicy
from application.inventory.alerts.evaluate import STOCK_ALERT, SweepStockAlerts
from application.inventory.alerts.thresholds import SetStockThreshold
from application.inventory.ports import ReservationRequest
from application.inventory.reservations.commands import (
    CommitReservation,
    PickLockReservation,
    ReleaseReservation,
    ReserveStock,
)
from application.inventory.reservations.expiry import ExpireReservations
from application.inventory.stock.check import CheckLedger
from application.inventory.stock.movements import IssueStock, ReceiveStock
from application.inventory.supply import SetChannelSupply
from application.inventory.warehouses.open import OpenWarehouse
from application.shared.context import Actor, ActorKind, CallContext
from application.shared.runner import CommandRunner
from application.shared.use_cases import UseCases
from bootstrap.modules.inventory import register_use_cases
from domain.catalog.channel import ChannelKind, SalesChannel
from domain.identity.permissions import ALL_PERMISSIONS
from domain.inventory.alerts import (
    AlertKind,
    AlertStatus,
    CategoryThreshold,
    StockAlert,
    Thresholds,
)
from domain.inventory.availability import ShareKind
from domain.inventory.reservation import AllocationStrategy, RequestedLine, ReservationStatus
from domain.inventory.stock import Deltas, InsufficientStock
from domain.inventory.warehouse import WarehouseKind
from domain.shared.errors import NotFound
from tests.fakes.clock import FakeClock
from tests.fakes.unit_of_work import FakeDatabase, FakeIds

TENANT = uuid.UUID("0190a000-0000-7000-8000-0000000000aa")
START = datetime(2026, 12, 6, 10, tzinfo=UTC)
CTX = CallContext(TENANT, Actor(ActorKind.SUPPORT, "test"), ALL_PERMISSIONS)


@dataclass
class Store:
    db: FakeDatabase
    use_cases: UseCases
    clock: FakeClock

    def sku(self) -> UUID:
        sku = uuid.uuid4()
        self.db.tenant(TENANT).inventory.skus.add(sku)
        return sku

    def channel(self) -> UUID:
        channel = SalesChannel.create(uuid.uuid4(), "own_shop", "自营", ChannelKind.OWN_SHOP)
        self.db.tenant(TENANT).catalog.channels[channel.id] = channel
        return channel.id

    async def warehouse(self, code: str, region: str | None = None, priority: int = 100) -> UUID:
        command = OpenWarehouse(code, code, WarehouseKind.OWN, region, priority)
        return (await self.use_cases.run(CTX, command)).id

    def level(self, sku: UUID, warehouse: UUID) -> Deltas:
        return self.db.tenant(TENANT).inventory.levels.get((sku, warehouse, None), Deltas())

    def events(self, kind: str) -> list[dict[str, str]]:
        return [
            {**e.data, "sku": str(e.entity_id)}
            for e in self.db.tenant(TENANT).outbox
            if e.event_type == kind
        ]


def make_store() -> Store:
    db, clock, ids = FakeDatabase(), FakeClock(START), FakeIds()
    use_cases = UseCases(CommandRunner(db, RoleBasedAccessPolicy(), clock, ids))
    register_use_cases(use_cases)
    return Store(db, use_cases, clock)


async def reserve(store: Store, *lines: RequestedLine, **request: object) -> list[UUID]:
    made = await store.use_cases.run(CTX, ReserveStock(ReservationRequest(lines, **request)))  # type: ignore[arg-type]
    return [line.warehouse_id for line in made.lines]


async def test_allocation_follows_the_channel_strategy() -> None:
    store = make_store()
    sku = store.sku()
    north = await store.warehouse("BJ", "北京", priority=1)
    south = await store.warehouse("GZ", "广东", priority=2)
    await store.use_cases.run(CTX, ReceiveStock(sku, north, 5))
    await store.use_cases.run(CTX, ReceiveStock(sku, south, 50))
    assert await reserve(store, RequestedLine(sku, 1)) == [north]  # no channel: priority
    channel = store.channel()
    for strategy, region, expected in (
        (AllocationStrategy.PRIORITY, "广东", north),
        (AllocationStrategy.MOST_AVAILABLE, None, south),
        (AllocationStrategy.REGION, "广东", south),
        (AllocationStrategy.REGION, "上海", north),  # no warehouse there: by priority
    ):
        version = store.db.tenant(TENANT).inventory.supplies.get(channel) or None
        await store.use_cases.run(
            CTX,
            SetChannelSupply(
                channel,
                (),
                strategy,
                0,
                ShareKind.PERCENT,
                Decimal(100),
                version.version if version else 0,
            ),
        )
        found = await reserve(
            store, RequestedLine(sku, 1), channel_id=channel, shipping_region=region
        )
        assert found == [expected], strategy
    # A named warehouse is the only one tried.
    assert await reserve(store, RequestedLine(sku, 1, south)) == [south]
    with pytest.raises(InsufficientStock) as refused:
        await reserve(store, RequestedLine(sku, 10, north))
    # a SKU the catalog does not know is named by its id
    assert refused.value.params == {
        "sku": str(sku),
        "sku_code": str(sku),
        "requested": 10,
        "available": 2,
    }
    with pytest.raises(NotFound):  # a channel the tenant does not have
        await reserve(store, RequestedLine(sku, 1), channel_id=uuid.uuid4())


async def test_a_reservation_takes_every_line_or_none() -> None:
    store = make_store()
    a, b = store.sku(), store.sku()
    main = await store.warehouse("MAIN")
    await store.use_cases.run(CTX, ReceiveStock(a, main, 5))
    await store.use_cases.run(CTX, ReceiveStock(b, main, 1))
    with pytest.raises(InsufficientStock):
        await reserve(store, RequestedLine(a, 3), RequestedLine(b, 2))
    assert store.level(a, main) == Deltas(on_hand=5)  # nothing committed
    assert await reserve(store, RequestedLine(a, 3), RequestedLine(b, 1)) == [main, main]


async def test_availability_changes_are_announced_once_per_command() -> None:
    store = make_store()
    a, b = store.sku(), store.sku()
    main = await store.warehouse("MAIN")
    channel = store.channel()
    await store.use_cases.run(
        CTX,
        SetChannelSupply(
            channel, (main,), AllocationStrategy.PRIORITY, 1, ShareKind.PERCENT, Decimal(50), 0
        ),
    )
    await store.use_cases.run(CTX, ReceiveStock(a, main, 11))  # (11 − 1) × 50% = 5
    await store.use_cases.run(CTX, ReceiveStock(a, main, 1))  # (12 − 1) × 50% = 5: silent
    await store.use_cases.run(CTX, ReceiveStock(b, main, 3))  # 1
    await reserve(store, RequestedLine(a, 2), RequestedLine(a, 2), RequestedLine(b, 1))
    assert store.events("inventory.channel_availability_changed") == [
        {"channelId": str(channel), "sellable": "5", "sku": str(a)},
        {"channelId": str(channel), "sellable": "1", "sku": str(b)},
        *sorted(
            [
                {"channelId": str(channel), "sellable": "3", "sku": str(a)},  # (8 − 1) / 2
                {"channelId": str(channel), "sellable": "0", "sku": str(b)},  # (2 − 1) / 2
            ],
            key=lambda e: e["sku"],
        ),
    ]


async def test_expired_reservations_are_released_once() -> None:
    store = make_store()
    sku = store.sku()
    main = await store.warehouse("MAIN")
    await store.use_cases.run(CTX, ReceiveStock(sku, main, 5))
    soon = START.replace(hour=11)
    await reserve(store, RequestedLine(sku, 2), expires_at=soon)
    await reserve(store, RequestedLine(sku, 1))
    assert await store.use_cases.run(CTX, ExpireReservations()) == 0  # not due yet
    store.clock.advance(hours=2)
    assert await store.use_cases.run(CTX, ExpireReservations()) == 1
    assert await store.use_cases.run(CTX, ExpireReservations()) == 0
    assert store.level(sku, main) == Deltas(on_hand=5, reserved=1)
    statuses = sorted(r.status for r in store.db.tenant(TENANT).inventory.reservations.values())
    assert statuses == [ReservationStatus.ACTIVE, ReservationStatus.EXPIRED]


class FakeStockMachine(RuleBasedStateMachine):
    """Receipts, issues, reservations and their releases, pick locks and shipments on
    the fakes: no figure negative, each equal to the model and to its ledger."""

    def __init__(self) -> None:
        super().__init__()
        import asyncio

        self.loop = asyncio.new_event_loop()
        self.store = make_store()
        self.sku = self.store.sku()
        self.warehouse = self.loop.run_until_complete(self.store.warehouse("MAIN"))
        self.model = Deltas()
        self.open: dict[UUID, tuple[int, bool]] = {}  # reservation -> (quantity, picking)

    def run(self, command: object) -> object:
        return self.loop.run_until_complete(self.store.use_cases.run(CTX, command))  # type: ignore[arg-type]

    @rule(quantity=st.integers(1, 5))
    def receive(self, quantity: int) -> None:
        self.run(ReceiveStock(self.sku, self.warehouse, quantity))
        self.model += Deltas(on_hand=quantity)

    @rule(quantity=st.integers(1, 5))
    def issue(self, quantity: int) -> None:
        try:
            self.run(IssueStock(self.sku, self.warehouse, quantity))
        except InsufficientStock:
            assert self.model.available < quantity
            return
        self.model += Deltas(on_hand=-quantity)

    @rule(quantity=st.integers(1, 5))
    def reserve(self, quantity: int) -> None:
        try:
            made = self.run(ReserveStock(ReservationRequest((RequestedLine(self.sku, quantity),))))
        except InsufficientStock:
            assert self.model.available < quantity
            return
        self.open[made.id] = (quantity, False)  # type: ignore[attr-defined]
        self.model += Deltas(reserved=quantity)

    @rule(data=st.data())
    def advance(self, data: st.DataObject) -> None:
        if not self.open:
            return
        reservation = data.draw(st.sampled_from(sorted(self.open)))
        quantity, picking = self.open[reservation]
        step = data.draw(st.sampled_from(["release", "ship"] + ([] if picking else ["pick"])))
        if step == "pick":
            self.run(PickLockReservation(reservation))
            self.open[reservation] = (quantity, True)
            self.model += Deltas(reserved=-quantity, pick_locked=quantity)
            return
        del self.open[reservation]
        lock = Deltas(pick_locked=-quantity) if picking else Deltas(reserved=-quantity)
        if step == "release":
            self.run(ReleaseReservation(reservation))
            self.model += lock
        else:
            self.run(CommitReservation(reservation))
            self.model += lock + Deltas(on_hand=-quantity)

    @invariant()
    def figures_equal_the_model_and_the_ledger(self) -> None:
        found = self.store.level(self.sku, self.warehouse)
        assert found == self.model
        assert min(found.as_dict().values()) >= 0 and found.available >= 0
        differences = self.loop.run_until_complete(self.store.use_cases.query(CTX, CheckLedger()))
        assert differences == []

    def teardown(self) -> None:
        self.loop.close()


TestFakeStockMachine = FakeStockMachine.TestCase
TestFakeStockMachine.settings = settings(max_examples=40, stateful_step_count=25, deadline=None)


# ---- thresholds and alerts (INV-3), on the fakes ---------------------------------------
def alerts(store: Store) -> list[StockAlert]:
    """The tenant's alerts as committed (each transaction works on a copy of the tables)."""
    return list(store.db.tenant(TENANT).inventory.alerts.values())


async def test_alerts_fire_once_per_crossing_with_category_defaults_field_by_field() -> None:
    """INV-3 on the fakes: the nearest category with defaults (here the top one: shoes has
    none) and the SKU's own values combine field by field; one alert per crossing,
    re-armed on recovery; the sweep raises nothing twice."""
    store = make_store()
    sku = store.sku()
    main = await store.warehouse("MAIN")
    tables = store.db.tenant(TENANT).inventory  # set up before any command copies it
    shoes, top = uuid.uuid4(), uuid.uuid4()
    tables.sku_categories[sku] = [shoes, top]  # nearest first
    tables.category_thresholds[top] = CategoryThreshold(top, Thresholds(3, 20), 1, START)
    run = store.use_cases.run
    await run(CTX, ReceiveStock(sku, main, 10))
    assert await run(CTX, SweepStockAlerts()) == 0
    await run(CTX, IssueStock(sku, main, 8))  # 2 < 3 (the top category's low)
    await run(CTX, IssueStock(sku, main, 1))
    assert await run(CTX, SweepStockAlerts()) == 0
    assert [(a.kind, a.quantity) for a in alerts(store)] == [(AlertKind.LOW, 2)]
    await run(CTX, ReceiveStock(sku, main, 25))  # 26 > 20 (the top's high): low recovers
    kinds = sorted((a.kind, a.status) for a in alerts(store))
    assert kinds == [(AlertKind.HIGH, AlertStatus.OPEN), (AlertKind.LOW, AlertStatus.RESOLVED)]
    # The SKU's own high overrides the top's 20; its low still comes from the top.
    await run(CTX, SetStockThreshold(sku, main, None, 30, 0))
    assert [a.kind for a in alerts(store) if a.status is AlertStatus.OPEN] == []
    await run(CTX, IssueStock(sku, main, 25))  # 1 < 3: a second low alert
    assert len(store.events(STOCK_ALERT)) == 3
