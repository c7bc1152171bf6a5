"""A Hypothesis state machine over batches on the real Postgres adapter (INV-8, INV-6):
receipts into batches, issues by the picking suggestion (one SKU first expiry first out,
the other first in first out), issues from a named batch, reservations, their release and
their shipment (which takes batches by the suggestion too), transfers between the two
warehouses (shipped out of the suggested batches, in transit, received into the same
batches: INV-5) and counts per batch (each batch counted anew, its variance posted:
INV-4), in any order. After every step each batch's figure equals a simple model's, the
batches of a SKU × warehouse add up to its on-hand figure, every figure equals the
model's, and every figure equals the sum of its ledger — per batch too (the ledger check finds
nothing).

Like tests/integration/inventory/test_stock_state_machine.py, it runs its own event loop
and container, and keeps runs short.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID

from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    rule,
    run_state_machine_as_test,
)

from application.inventory.batches.settings import SetSkuStockSettings
from application.inventory.counts.commands import (
    ApproveCount,
    BatchCount,
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
    ReleaseReservation,
    ReserveStock,
)
from application.inventory.stock.check import CheckLedger
from application.inventory.stock.movements import IssueStock, ReceiveStock
from application.inventory.transfers.commands import (
    BatchDiscrepancy,
    ReceivedQuantities,
    ReceiveTransfer,
    RequestTransfer,
    ShipTransfer,
)
from bootstrap import Container, build_container
from bootstrap.settings import Settings
from domain.inventory.batches import PickingRule
from domain.inventory.count import CountKind
from domain.inventory.reservation import RequestedLine
from domain.inventory.stock import Deltas, InsufficientStock
from tests.conftest import TenantHandle
from tests.integration.inventory.conftest import MakeSkus, caller
from tests.integration.inventory.test_stock_state_machine import (
    settings_for_machine,
    two_warehouses,
)

T = TypeVar("T")
QUANTITY = st.integers(min_value=1, max_value=6)
TODAY = date.today()
# Batch numbers and their expiry: FEFO order is B2, B1, then B3 (no expiry) last.
EXPIRY = {"B1": TODAY + timedelta(days=10), "B2": TODAY + timedelta(days=5), "B3": None}


@dataclass
class Model:
    """Per (SKU, warehouse): on hand, reserved and in transit; per (SKU, warehouse,
    batch): on hand."""

    on_hand: dict[tuple[UUID, UUID], int] = field(default_factory=dict)
    reserved: dict[tuple[UUID, UUID], int] = field(default_factory=dict)
    in_transit: dict[tuple[UUID, UUID], int] = field(default_factory=dict)
    batches: dict[tuple[UUID, UUID, str], int] = field(default_factory=dict)

    def available(self, sku: UUID, warehouse: UUID) -> int:
        key = (sku, warehouse)
        return self.on_hand.get(key, 0) - self.reserved.get(key, 0)

    def take(self, sku: UUID, warehouse: UUID, batch: str, quantity: int) -> None:
        self.batches[(sku, warehouse, batch)] -= quantity
        self.on_hand[(sku, warehouse)] -= quantity


def machine(
    loop: asyncio.AbstractEventLoop,
    c: Container,
    tenant: TenantHandle,
    rules: dict[UUID, PickingRule],
    warehouses: list[UUID],
    first_in: dict[tuple[UUID, UUID, str], datetime],
) -> type[RuleBasedStateMachine]:
    """``first_in``: when each batch first came into each warehouse (the FIFO order), kept
    across runs like the database's rows."""
    skus = sorted(rules)

    def run(coroutine: Coroutine[Any, Any, T]) -> T:
        return loop.run_until_complete(coroutine)

    class BatchMachine(RuleBasedStateMachine):
        reservations = Bundle("reservations")
        transfers = Bundle("transfers")

        def __init__(self) -> None:
            super().__init__()
            self.ctx = caller(tenant)
            self.use_cases = c.use_cases
            self.model = Model()
            self.lines: dict[UUID, tuple[UUID, UUID, int]] = {}
            # transfers shipped, not received: SKU, destination, the batches shipped
            self.travelling: dict[UUID, tuple[UUID, UUID, list[tuple[str, int]]]] = {}
            for sku in skus:
                for warehouse in warehouses:
                    level, batches = run(self._read(sku, warehouse))
                    self.model.on_hand[(sku, warehouse)] = level.on_hand
                    self.model.reserved[(sku, warehouse)] = level.reserved
                    self.model.in_transit[(sku, warehouse)] = level.in_transit
                    for number, on_hand in batches.items():
                        self.model.batches[(sku, warehouse, number)] = on_hand

        async def _read(self, sku: UUID, warehouse: UUID) -> tuple[Deltas, dict[str, int]]:
            async with c.uow_factory.for_tenant(self.ctx) as uow:
                store = uow.of(INVENTORY)
                level = await store.stock.level(sku, warehouse)
                stock = await store.batches.stock(sku, warehouse)
            return (level.figures if level else Deltas()), {
                s.batch.number: s.on_hand for s in stock
            }

        def _order(self, sku: UUID, warehouse: UUID) -> list[str]:
            """The model's picking order of the batches holding stock."""
            held = [b for b in EXPIRY if self.model.batches.get((sku, warehouse, b), 0) > 0]

            def fifo(b: str) -> tuple[datetime, str]:
                return first_in[(sku, warehouse, b)], b

            if rules[sku] is PickingRule.FIFO:
                return sorted(held, key=fifo)
            return sorted(held, key=lambda b: (EXPIRY[b] is None, EXPIRY[b] or date.max, *fifo(b)))

        def _suggested(self, sku: UUID, warehouse: UUID, quantity: int) -> list[tuple[str, int]]:
            picks, left = [], quantity
            for b in self._order(sku, warehouse):
                take = min(left, self.model.batches[(sku, warehouse, b)])
                if take:
                    picks.append((b, take))
                    left -= take
            return picks if left == 0 else []

        @rule(
            sku=st.sampled_from(skus),
            warehouse=st.sampled_from(warehouses),
            batch=st.sampled_from(sorted(EXPIRY)),
            quantity=QUANTITY,
        )
        def receive(self, sku: UUID, warehouse: UUID, batch: str, quantity: int) -> None:
            command = ReceiveStock(
                sku, warehouse, quantity, batch_no=batch, expiry_date=EXPIRY[batch]
            )
            run(self.use_cases.run(self.ctx, command))
            self._came_in(sku, warehouse, batch, quantity)

        def _came_in(self, sku: UUID, warehouse: UUID, batch: str, quantity: int) -> None:
            key = (sku, warehouse, batch)
            self.model.batches[key] = self.model.batches.get(key, 0) + quantity
            self.model.on_hand[(sku, warehouse)] += quantity
            if key not in first_in and self.model.batches[key]:
                first_in[key] = run(self._first_in(sku, warehouse, batch))

        async def _first_in(self, sku: UUID, warehouse: UUID, batch: str) -> datetime:
            async with c.uow_factory.for_tenant(self.ctx) as uow:
                stock = await uow.of(INVENTORY).batches.stock(sku, warehouse)
            return next(s.first_received_at for s in stock if s.batch.number == batch)

        @rule(sku=st.sampled_from(skus), warehouse=st.sampled_from(warehouses), quantity=QUANTITY)
        def issue(self, sku: UUID, warehouse: UUID, quantity: int) -> None:
            picks = self._suggested(sku, warehouse, quantity)
            allowed = bool(picks) and self.model.available(sku, warehouse) >= quantity
            try:
                run(self.use_cases.run(self.ctx, IssueStock(sku, warehouse, quantity)))
            except InsufficientStock:
                assert not allowed, "refused an issue the batches allowed"
                return
            assert allowed, "issued what the batches did not hold"
            for batch, taken in picks:
                self.model.take(sku, warehouse, batch, taken)

        @rule(
            sku=st.sampled_from(skus),
            warehouse=st.sampled_from(warehouses),
            batch=st.sampled_from(sorted(EXPIRY)),
            quantity=QUANTITY,
        )
        def issue_batch(self, sku: UUID, warehouse: UUID, batch: str, quantity: int) -> None:
            if (sku, warehouse, batch) not in first_in:
                return  # never received here: not a batch of this warehouse yet
            held = self.model.batches.get((sku, warehouse, batch), 0)
            allowed = held >= quantity and self.model.available(sku, warehouse) >= quantity
            command = IssueStock(sku, warehouse, quantity, batch_no=batch)
            try:
                run(self.use_cases.run(self.ctx, command))
            except InsufficientStock:
                assert not allowed, "refused an issue the batch allowed"
                return
            assert allowed, "issued what the batch did not hold"
            self.model.take(sku, warehouse, batch, quantity)

        @rule(
            target=reservations,
            sku=st.sampled_from(skus),
            warehouse=st.sampled_from(warehouses),
            quantity=QUANTITY,
        )
        def reserve(self, sku: UUID, warehouse: UUID, quantity: int) -> UUID | None:
            allowed = self.model.available(sku, warehouse) >= quantity
            request = ReservationRequest((RequestedLine(sku, quantity, warehouse),))
            try:
                made = run(self.use_cases.run(self.ctx, ReserveStock(request)))
            except InsufficientStock:
                assert not allowed
                return None
            assert allowed
            self.model.reserved[(sku, warehouse)] += quantity
            self.lines[made.id] = (sku, warehouse, quantity)
            return made.id

        @rule(reservation=consumes(reservations))
        def release(self, reservation: UUID | None) -> None:
            if reservation is None or reservation not in self.lines:
                return
            sku, warehouse, quantity = self.lines.pop(reservation)
            run(self.use_cases.run(self.ctx, ReleaseReservation(reservation)))
            self.model.reserved[(sku, warehouse)] -= quantity

        @rule(reservation=consumes(reservations))
        def ship(self, reservation: UUID | None) -> None:
            """The shipment takes the suggested batches (the batches always hold what
            was reserved: every unit came in through one)."""
            if reservation is None or reservation not in self.lines:
                return
            sku, warehouse, quantity = self.lines.pop(reservation)
            picks = self._suggested(sku, warehouse, quantity)
            assert picks, "the batches hold less than the SKU × warehouse"
            run(self.use_cases.run(self.ctx, CommitReservation(reservation)))
            self.model.reserved[(sku, warehouse)] -= quantity
            for batch, taken in picks:
                self.model.take(sku, warehouse, batch, taken)

        @rule(
            target=transfers,
            sku=st.sampled_from(skus),
            source=st.sampled_from(warehouses),
            quantity=QUANTITY,
        )
        def ship_transfer(self, sku: UUID, source: UUID, quantity: int) -> UUID | None:
            """INV-5: out of the suggested batches, into the other warehouse's transit."""
            destination = next(w for w in warehouses if w != source)
            picks = self._suggested(sku, source, quantity)
            allowed = bool(picks) and self.model.available(sku, source) >= quantity
            request = RequestTransfer(source, destination, ((sku, quantity),))
            transfer = run(self.use_cases.run(self.ctx, request))
            try:
                run(self.use_cases.run(self.ctx, ShipTransfer(transfer.id, 1)))
            except InsufficientStock:
                assert not allowed, "refused a transfer the batches allowed"
                return None
            assert allowed, "shipped what the batches did not hold"
            for batch, taken in picks:
                self.model.take(sku, source, batch, taken)
            self.model.in_transit[(sku, destination)] += quantity
            self.travelling[transfer.id] = (sku, destination, picks)
            return transfer.id

        @rule(
            transfer=consumes(transfers),
            damaged=st.integers(min_value=0, max_value=6),
            name_last=st.booleans(),
        )
        def receive_transfer(self, transfer: UUID | None, damaged: int, name_last: bool) -> None:
            """INV-5: every unit arrives in the batch it left, some damaged (non-sellable):
            named in the batch shipped last, or (unnamed) after the sound units in
            shipping order."""
            if transfer is None or transfer not in self.travelling:
                return
            sku, destination, picks = self.travelling.pop(transfer)
            quantity = sum(n for _, n in picks)
            damaged = min(damaged, quantity)
            left = dict(picks)
            named: tuple[BatchDiscrepancy, ...] = ()
            if name_last and damaged:
                last, units = picks[-1]
                left[last] -= min(damaged, units)
                named = (BatchDiscrepancy(last, damaged=min(damaged, units)),)
            sound = quantity - damaged
            got = ReceivedQuantities(sku, sound, damaged, batches=named)
            run(self.use_cases.run(self.ctx, ReceiveTransfer(transfer, (got,), 2)))
            self.model.in_transit[(sku, destination)] -= quantity
            for batch, _ in picks:  # the sound units fill the batches in shipping order
                arrived = min(left[batch], sound)
                sound -= arrived
                self._came_in(sku, destination, batch, arrived)

        @rule(
            sku=st.sampled_from(skus),
            warehouse=st.sampled_from(warehouses),
            counted=st.tuples(*(st.integers(min_value=0, max_value=8) for _ in EXPIRY)),
        )
        def count(self, sku: UUID, warehouse: UUID, counted: tuple[int, ...]) -> None:
            """INV-4: each batch counted anew (a batch not here yet is found, with its
            expiry); posted unless the losses would take reserved units (409, nothing)."""
            found = dict(zip(sorted(EXPIRY), counted, strict=True))
            held = {b: self.model.batches.get((sku, warehouse, b), 0) for b in EXPIRY}
            change = sum(found.values()) - sum(held.values())
            allowed = self.model.available(sku, warehouse) + change >= 0
            batches = tuple(BatchCount(b, n, expiry_date=EXPIRY[b]) for b, n in found.items() if n)
            use = self.use_cases
            session = run(use.run(self.ctx, CreateCount(warehouse, CountKind.CYCLE, (sku,))))
            run(use.run(self.ctx, StartCount(session.id, 1)))
            entry = Entry(sku, sum(found.values()), batches)
            run(use.run(self.ctx, EnterCounts(session.id, (entry,))))
            run(use.run(self.ctx, SubmitCount(session.id, 2)))
            try:
                run(use.run(self.ctx, ApproveCount(session.id, 3)))
            except InsufficientStock:
                assert not allowed, "refused a count posting the stock allowed"
                run(use.run(self.ctx, CancelCount(session.id, 3)))
                return
            assert allowed, "a count posting took reserved units"
            for batch, n in found.items():
                self._came_in(sku, warehouse, batch, n - held[batch])

        @invariant()
        def batches_and_figures_match_the_model_and_the_ledger(self) -> None:
            for sku in skus:
                for warehouse in warehouses:
                    level, batches = run(self._read(sku, warehouse))
                    assert level.on_hand == self.model.on_hand[(sku, warehouse)]
                    assert level.reserved == self.model.reserved[(sku, warehouse)]
                    assert level.in_transit == self.model.in_transit[(sku, warehouse)]
                    expected = {
                        b: n
                        for (s, w, b), n in self.model.batches.items()
                        if (s, w) == (sku, warehouse) and n
                    }
                    # a batch holding only damaged units (non-sellable) shows on hand 0
                    assert {b: n for b, n in batches.items() if n} == expected
                    assert sum(batches.values()) == level.on_hand
            assert run(self.use_cases.query(self.ctx, CheckLedger())) == []

        def teardown(self) -> None:
            for reservation in list(self.lines):  # leave no locks for the next run
                self.lines.pop(reservation)
                run(self.use_cases.run(self.ctx, ReleaseReservation(reservation)))

    return BatchMachine


def test_any_sequence_over_batches_keeps_every_figure_equal_to_its_ledger(
    settings: Settings, tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    """INV-8, INV-6, INV-4, INV-5: counts and transfers included."""
    loop = asyncio.new_event_loop()
    container = build_container(settings)
    try:
        fefo, fifo = loop.run_until_complete(make_skus(tenant, 2))
        rules = {fefo: PickingRule.FEFO, fifo: PickingRule.FIFO}
        for sku, rule_ in rules.items():
            loop.run_until_complete(
                container.use_cases.run(
                    caller(tenant), SetSkuStockSettings(sku, True, False, rule_, 0)
                )
            )
        warehouses = two_warehouses(loop, container, tenant)
        run_state_machine_as_test(
            machine(loop, container, tenant, rules, warehouses, {}),
            settings=settings_for_machine(),
        )
    finally:
        loop.run_until_complete(container.aclose())
        loop.close()
