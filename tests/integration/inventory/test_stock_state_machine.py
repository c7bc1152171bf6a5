"""A Hypothesis state machine over the real Postgres adapter (INV-1, INV-2, INV-4, INV-5,
INV-6): receipts, reservations, releases, pick locks, shipments, issues, state changes,
adjustments, transfers (shipped, then received in parts with damaged and short units) and
count sessions (with stock received between a line's count and the posting) in any order.
After every step no figure is negative, every figure equals a simple model's, and every
figure equals the sum of its ledger (the ledger check finds nothing).

Hypothesis drives steps synchronously, so the machine runs its own event loop with its
own container (the session's pools belong to the test loop). Kept small (two SKUs, two
warehouses, short runs) to finish in seconds.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar
from uuid import UUID

from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    rule,
    run_state_machine_as_test,
)

from application.inventory.counts.commands import (
    ApproveCount,
    CancelCount,
    CreateCount,
    EnterCounts,
    Entry,
    StartCount,
    SubmitCount,
)
from application.inventory.ports import INVENTORY, ReservationRequest
from application.inventory.reservations.commands import (
    CommitReservation,
    PickLockReservation,
    ReleaseReservation,
    ReserveStock,
)
from application.inventory.stock.check import CheckLedger
from application.inventory.stock.movements import (
    AdjustStock,
    ChangeStockState,
    IssueStock,
    ReceiveStock,
)
from application.inventory.transfers.commands import (
    CancelTransfer,
    ReceivedQuantities,
    ReceiveTransfer,
    RequestTransfer,
    ShipTransfer,
)
from application.inventory.warehouses.open import OpenWarehouse
from bootstrap import Container, build_container
from bootstrap.settings import Settings
from domain.inventory import stock
from domain.inventory.count import CountKind
from domain.inventory.reservation import RequestedLine
from domain.inventory.stock import FIGURES, Deltas, InsufficientStock, Target
from domain.inventory.transfer import ReceivedLine, shipped_in, shipped_out
from domain.inventory.warehouse import WarehouseKind
from tests.conftest import TenantHandle
from tests.integration.inventory.conftest import MakeSkus, caller

T = TypeVar("T")
QUANTITY = st.integers(min_value=1, max_value=6)


@dataclass
class Model:
    """The reference: figures per (SKU, warehouse), and each open reservation's lines."""

    levels: dict[tuple[UUID, UUID], Deltas] = field(default_factory=dict)
    picking: set[UUID] = field(default_factory=set)

    def of(self, sku: UUID, warehouse: UUID) -> Deltas:
        return self.levels.get((sku, warehouse), Deltas())

    def apply(self, sku: UUID, warehouse: UUID, deltas: Deltas) -> bool:
        after = self.of(sku, warehouse) + deltas
        taken = stock.needs_available(deltas)
        if any(getattr(after, f) < 0 for f in FIGURES) or (
            taken and self.of(sku, warehouse).available < taken
        ):
            return False
        self.levels[(sku, warehouse)] = after
        return True


def machine(
    loop: asyncio.AbstractEventLoop,
    c: Container,
    tenant: TenantHandle,
    skus: list[UUID],
    warehouses: list[UUID],
) -> type[RuleBasedStateMachine]:
    def run(coroutine: Coroutine[Any, Any, T]) -> T:
        return loop.run_until_complete(coroutine)

    class StockMachine(RuleBasedStateMachine):
        reservations = Bundle("reservations")

        def __init__(self) -> None:
            super().__init__()
            # Runs share the SKUs (new ones would need catalog rows per run): each run
            # starts from what the database holds now, read into the model.
            self.model = Model()
            self.lines: dict[UUID, tuple[UUID, UUID, int]] = {}
            # Shipped transfers: id -> (SKU, destination, units still in transit, version).
            self.in_transit: dict[UUID, tuple[UUID, UUID, int, int]] = {}
            self.ctx = caller(tenant)
            self.use_cases = c.use_cases
            for sku in skus:
                for warehouse in warehouses:
                    self.model.levels[(sku, warehouse)] = run(self._figures(sku, warehouse))

        async def _figures(self, sku: UUID, warehouse: UUID) -> Deltas:
            async with c.uow_factory.for_tenant(self.ctx) as uow:
                level = await uow.of(INVENTORY).stock.level(sku, warehouse)
            return level.figures if level else Deltas()

        def _expect(
            self, sku: UUID, warehouse: UUID, deltas: Deltas, call: Coroutine[Any, Any, object]
        ) -> None:
            allowed = self.model.apply(sku, warehouse, deltas)
            try:
                run(call)
            except InsufficientStock:
                assert not allowed, "refused a movement the stock allowed"
                return
            assert allowed, "accepted a movement the stock did not allow"

        @rule(sku=st.sampled_from(skus), warehouse=st.sampled_from(warehouses), quantity=QUANTITY)
        def receive(self, sku: UUID, warehouse: UUID, quantity: int) -> None:
            self._expect(
                sku,
                warehouse,
                stock.receipt(quantity),
                self.use_cases.run(self.ctx, ReceiveStock(sku, warehouse, quantity)),
            )

        @rule(sku=st.sampled_from(skus), warehouse=st.sampled_from(warehouses), quantity=QUANTITY)
        def issue(self, sku: UUID, warehouse: UUID, quantity: int) -> None:
            self._expect(
                sku,
                warehouse,
                stock.issue(quantity),
                self.use_cases.run(self.ctx, IssueStock(sku, warehouse, quantity)),
            )

        @rule(
            sku=st.sampled_from(skus),
            warehouse=st.sampled_from(warehouses),
            change=st.integers(min_value=-4, max_value=4).filter(bool),
        )
        def adjust(self, sku: UUID, warehouse: UUID, change: int) -> None:
            self._expect(
                sku,
                warehouse,
                stock.adjustment(change),
                self.use_cases.run(self.ctx, AdjustStock(sku, warehouse, change, "test")),
            )

        @rule(
            sku=st.sampled_from(skus),
            warehouse=st.sampled_from(warehouses),
            quantity=QUANTITY,
            to=st.sampled_from(list(Target)),
        )
        def change_state(self, sku: UUID, warehouse: UUID, quantity: int, to: Target) -> None:
            self._expect(
                sku,
                warehouse,
                stock.state_change(quantity, to),
                self.use_cases.run(self.ctx, ChangeStockState(sku, warehouse, quantity, to)),
            )

        @rule(target=reservations, sku=st.sampled_from(skus), quantity=QUANTITY)
        def reserve(self, sku: UUID, quantity: int) -> UUID | None:
            # Priority order: the first warehouse with enough available serves it whole.
            expected = next(
                (w for w in warehouses if self.model.of(sku, w).available >= quantity), None
            )
            try:
                request = ReservationRequest((RequestedLine(sku, quantity),))
                made = run(self.use_cases.run(self.ctx, ReserveStock(request)))
            except InsufficientStock:
                assert expected is None
                return None
            assert expected is not None and made.lines[0].warehouse_id == expected
            self.model.apply(sku, expected, stock.reservation(quantity))
            self.lines[made.id] = (sku, expected, quantity)
            return made.id

        @rule(reservation=consumes(reservations))
        def release(self, reservation: UUID | None) -> None:
            if reservation is None:
                return
            sku, warehouse, quantity = self.lines.pop(reservation)
            picking = reservation in self.model.picking
            assert self.model.apply(sku, warehouse, stock.release(quantity, pick_locked=picking))
            run(self.use_cases.run(self.ctx, ReleaseReservation(reservation)))

        @rule(reservation=reservations)
        def pick(self, reservation: UUID | None) -> None:
            if (
                reservation is None
                or reservation not in self.lines
                or reservation in self.model.picking
            ):
                return
            sku, warehouse, quantity = self.lines[reservation]
            assert self.model.apply(sku, warehouse, stock.pick_lock(quantity))
            self.model.picking.add(reservation)
            run(self.use_cases.run(self.ctx, PickLockReservation(reservation)))

        @rule(reservation=consumes(reservations))
        def ship(self, reservation: UUID | None) -> None:
            if reservation is None or reservation not in self.lines:
                return
            sku, warehouse, quantity = self.lines.pop(reservation)
            picking = reservation in self.model.picking
            assert self.model.apply(sku, warehouse, stock.shipment(quantity, pick_locked=picking))
            run(self.use_cases.run(self.ctx, CommitReservation(reservation)))

        @rule(
            sku=st.sampled_from(skus),
            route=st.permutations(warehouses),
            quantity=QUANTITY,
        )
        def transfer(self, sku: UUID, route: list[UUID], quantity: int) -> None:
            """INV-5: ship out of the source's on hand into the destination's in transit,
            both or neither."""
            source, destination = route[0], route[1]
            request = RequestTransfer(source, destination, ((sku, quantity),))
            made = run(self.use_cases.run(self.ctx, request))
            out_ok = self.model.apply(sku, source, shipped_out(quantity))
            try:
                run(self.use_cases.run(self.ctx, ShipTransfer(made.id, 1)))
            except InsufficientStock:
                assert not out_ok, "refused a shipment the stock allowed"
                run(self.use_cases.run(self.ctx, CancelTransfer(made.id, 1)))
                return
            assert out_ok, "shipped what the source did not have"
            assert self.model.apply(sku, destination, shipped_in(quantity))
            self.in_transit[made.id] = (sku, destination, quantity, 2)

        @rule(data=st.data())
        def receive_transfer(self, data: st.DataObject) -> None:
            """INV-5: a partial receipt; damaged units to non-sellable, short ones close in
            transit."""
            if not self.in_transit:
                return
            transfer_id = data.draw(st.sampled_from(sorted(self.in_transit)))
            sku, destination, outstanding, version = self.in_transit.pop(transfer_id)
            received = data.draw(st.integers(0, outstanding))
            damaged = data.draw(st.integers(0, outstanding - received))
            short = data.draw(st.integers(0, outstanding - received - damaged))
            if received + damaged + short == 0:
                received = 1
            got = ReceivedQuantities(sku, received, damaged, short)
            run(self.use_cases.run(self.ctx, ReceiveTransfer(transfer_id, (got,), version)))
            deltas = ReceivedLine(1, received, damaged, short).deltas
            assert self.model.apply(sku, destination, deltas)
            left = outstanding - received - damaged - short
            if left:
                self.in_transit[transfer_id] = (sku, destination, left, version + 1)

        @rule(
            sku=st.sampled_from(skus),
            warehouse=st.sampled_from(warehouses),
            counted=st.integers(min_value=0, max_value=8),
            arriving=st.integers(min_value=0, max_value=3),
        )
        def count(self, sku: UUID, warehouse: UUID, counted: int, arriving: int) -> None:
            """INV-4: count a line (its book snapshotted then), receive ``arriving`` units
            after it was counted, approve: on hand = what it was at posting + (counted −
            book), so the arrivals are kept."""
            created = run(
                self.use_cases.run(self.ctx, CreateCount(warehouse, CountKind.CYCLE, (sku,)))
            )
            run(self.use_cases.run(self.ctx, StartCount(created.id, 1)))
            run(self.use_cases.run(self.ctx, EnterCounts(created.id, (Entry(sku, counted),))))
            book = self.model.of(sku, warehouse).on_hand
            if arriving:
                self.receive(sku, warehouse, arriving)
            run(self.use_cases.run(self.ctx, SubmitCount(created.id, 2)))
            variance = counted - book
            allowed = variance == 0 or self.model.apply(
                sku, warehouse, stock.count_variance(variance)
            )
            try:
                run(self.use_cases.run(self.ctx, ApproveCount(created.id, 3)))
            except InsufficientStock:
                assert not allowed, "refused a count posting the stock allowed"
                run(self.use_cases.run(self.ctx, CancelCount(created.id, 3)))
                return
            assert allowed, "posted a count variance the stock did not allow"

        @invariant()
        def figures_match_the_model_and_the_ledger(self) -> None:
            for sku in skus:
                for warehouse in warehouses:
                    found = run(self._figures(sku, warehouse))
                    assert all(getattr(found, f) >= 0 for f in FIGURES)
                    assert found == self.model.of(sku, warehouse)
            assert run(self.use_cases.query(self.ctx, CheckLedger())) == []

        def teardown(self) -> None:
            for reservation in list(self.lines):  # leave no locks for the next run
                self.lines.pop(reservation)
                run(self.use_cases.run(self.ctx, ReleaseReservation(reservation)))

    return StockMachine


def test_any_sequence_of_movements_keeps_figures_equal_to_the_ledger(
    settings: Settings, tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    loop = asyncio.new_event_loop()
    container = build_container(settings)
    try:
        skus = loop.run_until_complete(make_skus(tenant, 2))
        warehouses = two_warehouses(loop, container, tenant)
        run_state_machine_as_test(
            machine(loop, container, tenant, skus, warehouses),
            settings=settings_for_machine(),
        )
    finally:
        loop.run_until_complete(container.aclose())
        loop.close()


def two_warehouses(
    loop: asyncio.AbstractEventLoop, container: Container, tenant: TenantHandle
) -> list[UUID]:
    """Two new warehouses (priorities 1 and 2) for a machine's runs."""
    return [
        loop.run_until_complete(
            container.use_cases.run(
                caller(tenant),
                OpenWarehouse(f"W{i}-{uuid.uuid4().hex[:4]}", f"W{i}", WarehouseKind.OWN, None, i),
            )
        ).id
        for i in (1, 2)
    ]


def settings_for_machine() -> hypothesis_settings:
    return hypothesis_settings(
        max_examples=10,
        stateful_step_count=12,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
