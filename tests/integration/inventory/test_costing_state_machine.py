"""A Hypothesis state machine of costing over the real Postgres adapter (INV-7): receipts
at random unit costs, issues, adjustments either way and state changes in any order,
under FIFO and under moving average. After every step each SKU's quantity and value —
the cost position, the valuation query and the sum of its ledger's posted amounts — equal
a simple reference model written here, to the fen.

The reference keeps, per SKU, FIFO lots ``[quantity, taken, value]`` or the average's
``(quantity, value)``, and applies the rules docs/inventory.md states (units in without a
cost at the current unit cost; FIFO parts of a lot ``money(v·b/q) − money(v·a/q)``; the
average ``money(V·k/n)``, all of it for the last units). It shares no code with
``domain.inventory.costing``.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Coroutine
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any, TypeVar
from uuid import UUID

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from application.inventory.costing.queries import GetValuation
from application.inventory.costing.settings import SetCostingMethod
from application.inventory.ports import INVENTORY
from application.inventory.stock.movements import (
    AdjustStock,
    ChangeStockState,
    IssueStock,
    ReceiveStock,
)
from application.inventory.stock.queries import ListLedger
from application.inventory.warehouses.open import OpenWarehouse
from bootstrap import Container, build_container
from bootstrap.settings import Settings
from domain.inventory.costing import CostingMethod
from domain.inventory.stock import InsufficientStock, Target
from domain.inventory.warehouse import WarehouseKind
from tests.conftest import TenantHandle
from tests.integration.inventory.conftest import MakeSkus, caller

T = TypeVar("T")
QUANTITY = st.integers(min_value=1, max_value=7)
CENTS = st.integers(min_value=1, max_value=9999)  # unit costs 0.01 … 99.99


def fen(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)


def six(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.000001"), rounding=ROUND_HALF_EVEN)


@dataclass
class Reference:
    """One SKU's units and value, the naive way."""

    fifo: bool
    lots: list[list[Any]] = field(default_factory=list)  # [quantity, taken, value]
    quantity: int = 0
    value: Decimal = Decimal("0.00")
    last: Decimal = Decimal("0")  # the last unit cost known

    def current(self) -> Decimal:
        return six(self.value / self.quantity) if self.quantity else self.last

    def bring(self, units: int, unit_cost: Decimal | None) -> None:
        value = fen(units * (self.current() if unit_cost is None else unit_cost))
        self.quantity += units
        self.value += value
        self.last = six(value / units)
        if self.fifo:
            self.lots.append([units, 0, value])

    def take(self, units: int) -> Decimal:
        if self.quantity:
            self.last = self.current()
        if not self.fifo:
            cost = self.value if units == self.quantity else fen(self.value * units / self.quantity)
        else:
            cost, wanted = Decimal("0.00"), units
            for lot in self.lots:
                size, taken, value = lot
                use = min(wanted, size - taken)
                if use:
                    after = taken + use
                    part = value if after == size else fen(value * after / size)
                    before = fen(value * taken / size) if taken else Decimal("0.00")
                    cost += part - before
                    lot[1], wanted = after, wanted - use
            self.lots = [lot for lot in self.lots if lot[1] < lot[0]]
        self.quantity -= units
        self.value -= cost
        return cost


def machine(
    loop: asyncio.AbstractEventLoop,
    c: Container,
    tenant: TenantHandle,
    fifo: bool,
    skus: list[UUID],
    warehouse: UUID,
) -> type[RuleBasedStateMachine]:
    def run(coroutine: Coroutine[Any, Any, T]) -> T:
        return loop.run_until_complete(coroutine)

    class CostingMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.ctx = caller(tenant)
            self.use_cases = c.use_cases
            self.sellable: dict[UUID, int] = {}
            self.model = {sku: run(self._reference(sku)) for sku in skus}

        async def _reference(self, sku: UUID) -> Reference:
            """Runs share the SKUs: each starts from what the database holds."""
            async with c.uow_factory.for_tenant(self.ctx) as uow:
                store = uow.of(INVENTORY)
                level = await store.stock.level(sku, warehouse)
                method = CostingMethod.FIFO if fifo else CostingMethod.MOVING_AVERAGE
                pool = await store.costs.lock_pool(sku, warehouse, method, need=10**9)
            self.sellable[sku] = level.figures.on_hand if level else 0
            reference = Reference(fifo, quantity=pool.quantity, value=pool.value)
            reference.last = pool.last_unit_cost
            reference.lots = [[lay.quantity, lay.taken, lay.value] for lay in pool.layers]
            return reference

        def _out(self, sku: UUID, units: int, call: Coroutine[Any, Any, Any]) -> None:
            try:
                moved = run(call)
            except InsufficientStock:
                assert self.sellable[sku] < units
                return
            assert self.sellable[sku] >= units
            self.sellable[sku] -= units
            assert moved.cost_amount == -self.model[sku].take(units)

        @rule(sku=st.sampled_from(skus), units=QUANTITY, cents=st.none() | CENTS)
        def receive(self, sku: UUID, units: int, cents: int | None) -> None:
            unit_cost = None if cents is None else Decimal(cents) / 100
            moved = run(
                self.use_cases.run(self.ctx, ReceiveStock(sku, warehouse, units, unit_cost))
            )
            self.model[sku].bring(units, unit_cost)
            self.sellable[sku] += units
            assert moved.cost_amount is not None and moved.cost_amount > -1

        @rule(sku=st.sampled_from(skus), units=QUANTITY)
        def issue(self, sku: UUID, units: int) -> None:
            self._out(sku, units, self.use_cases.run(self.ctx, IssueStock(sku, warehouse, units)))

        @rule(sku=st.sampled_from(skus), change=st.integers(-4, 4).filter(bool))
        def adjust(self, sku: UUID, change: int) -> None:
            command = AdjustStock(sku, warehouse, change, "count")
            if change < 0:
                self._out(sku, -change, self.use_cases.run(self.ctx, command))
                return
            run(self.use_cases.run(self.ctx, command))
            self.model[sku].bring(change, None)  # found units come in at the current cost
            self.sellable[sku] += change

        @rule(sku=st.sampled_from(skus), units=QUANTITY)
        def damage_and_restore(self, sku: UUID, units: int) -> None:
            """On hand → non-sellable and back: no value moves either way."""
            if self.sellable[sku] < units:
                return
            for to in (Target.NON_SELLABLE, Target.SELLABLE):
                moved = run(
                    self.use_cases.run(self.ctx, ChangeStockState(sku, warehouse, units, to))
                )
                assert moved.cost_amount is None

        @invariant()
        def values_equal_the_reference(self) -> None:
            valuation = run(self.use_cases.query(self.ctx, GetValuation()))
            valued = {v.sku_id: (v.quantity, v.value) for v in valuation.levels}
            for sku in skus:
                expected = self.model[sku]
                run(self._check(sku, expected))
                assert valued.get(sku, (0, Decimal("0.00"))) == (expected.quantity, expected.value)

        async def _check(self, sku: UUID, expected: Reference) -> None:
            async with c.uow_factory.for_tenant(self.ctx) as uow:
                position = await uow.of(INVENTORY).costs.position(sku, warehouse)
            assert (position.quantity, position.value) == (expected.quantity, expected.value)
            posted, cursor = Decimal("0.00"), None
            while True:
                page = await self.use_cases.query(
                    self.ctx, ListLedger(sku_id=sku, cursor=cursor, limit=200)
                )
                posted += sum((e.cost_amount or 0 for e in page.page.items), Decimal("0.00"))
                cursor = page.page.next_cursor
                if cursor is None:
                    break
            assert posted == expected.value

    return CostingMachine


@pytest.mark.parametrize("method", [CostingMethod.FIFO, CostingMethod.MOVING_AVERAGE])
def test_inv7_fifo_and_moving_average_values_equal_a_reference_model(
    settings: Settings, tenant: TenantHandle, make_skus: MakeSkus, method: CostingMethod
) -> None:
    loop = asyncio.new_event_loop()
    container = build_container(settings)
    try:
        ctx = caller(tenant)
        loop.run_until_complete(container.use_cases.run(ctx, SetCostingMethod(method, 0)))
        skus = loop.run_until_complete(make_skus(tenant, 2))
        code = f"C-{uuid.uuid4().hex[:4]}"
        warehouse = loop.run_until_complete(
            container.use_cases.run(ctx, OpenWarehouse(code, code, WarehouseKind.OWN, None, 1))
        ).id
        run_state_machine_as_test(
            machine(loop, container, tenant, method is CostingMethod.FIFO, skus, warehouse),
            settings=hypothesis_settings(
                max_examples=12,
                stateful_step_count=15,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
            ),
        )
    finally:
        loop.run_until_complete(container.aclose())
        loop.close()
