"""A Hypothesis state machine over the real database (ORD-6): returns opened, received in
parts (resellable and damaged), inspected and refunded, refunds only and resends, in any
order on one paid order. After every step the returns warehouse holds exactly what the
cases received (resellable on hand, damaged non-sellable), the resends hold exactly their
units, the order's refunds are the cases' refunds to the fen — never more than a case
agreed nor than the payment held, each key once — and no line is claimed beyond what was
sold.

Hypothesis drives steps synchronously, so the machine runs its own event loop with its
own container (as inventory's machines do); one order per run, kept short.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID

from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    multiple,
    precondition,
    rule,
    run_state_machine_as_test,
)

from application.aftersales.opening import OpenCase
from application.aftersales.receiving import ReceiveCaseReturn
from application.aftersales.refunds import RefundCase
from application.aftersales.steps import ApproveCase, InspectCase
from application.inventory.ports import INVENTORY
from application.inventory.stock.movements import ReceiveStock
from application.inventory.warehouses.open import OpenWarehouse
from application.orders.lifecycle import RecordPayment
from application.orders.placing import NewLine, NewOrder, OrderSource, PlaceOrder
from application.orders.ports import ORDERS
from bootstrap import Container, build_container
from bootstrap.settings import Settings
from domain.aftersales.case import ReceiptRefused, RefundRefused
from domain.aftersales.flows import CaseKind, CaseStatus, CaseTransitionRefused
from domain.aftersales.records import ReceivedUnits, ReturnReason
from domain.inventory.stock import Deltas
from domain.inventory.warehouse import WarehouseKind
from domain.orders.errors import PaymentRefused
from domain.orders.payment_records import PaymentMethod
from domain.shared.errors import ValidationFailed
from tests.conftest import TenantHandle
from tests.integration.inventory.conftest import MakeSkus, caller
from tests.integration.orders.conftest import RECEIVER

T = TypeVar("T")
SOLD, PRICE = 6, Decimal("12.34")
UNITS = st.integers(min_value=0, max_value=2)
FEN = st.integers(min_value=1, max_value=2500).map(lambda f: Decimal(f) / 100)
KEYS = st.sampled_from(["K1", "K2", "K3", "K4"])


@dataclass
class Case:
    id: UUID
    version: int
    kind: CaseKind
    units: int  # the units the case names
    agreed: Decimal
    resellable: int = 0
    damaged: int = 0
    status: CaseStatus = CaseStatus.APPROVED
    refunds: dict[str, Decimal] | None = None

    @property
    def refunded(self) -> Decimal:
        return sum((self.refunds or {}).values(), Decimal("0.00"))


def machine(
    loop: asyncio.AbstractEventLoop,
    c: Container,
    tenant: TenantHandle,
    sku: UUID,
    own: UUID,
    returns: UUID,
) -> type[RuleBasedStateMachine]:
    def run(coroutine: Coroutine[Any, Any, T]) -> T:
        return loop.run_until_complete(coroutine)

    class AftersalesMachine(RuleBasedStateMachine):
        cases = Bundle("cases")

        def __init__(self) -> None:
            super().__init__()
            self.ctx = caller(tenant)
            self.use_cases = c.use_cases
            self.returns_before = run(self._level(returns))
            self.reserved_before = run(self._level(own)).reserved
            line = NewLine(sku, SOLD, unit_price=PRICE)
            order = run(
                c.use_cases.run(
                    self.ctx, PlaceOrder(NewOrder((line,), RECEIVER, OrderSource.STAFF))
                )
            )
            paid = run(
                c.use_cases.run(self.ctx, RecordPayment(order.id, PaymentMethod.CASH, order.total))
            )
            self.order_id, self.line_id = order.id, order.lines[0].id
            self.payment = paid.order.payments[0].id
            self.paid = order.total
            self.reserved_before += SOLD  # the order's own reservation
            self.all: list[Case] = []
            self.resent = 0

        async def _level(self, warehouse: UUID) -> Deltas:
            async with c.uow_factory.for_tenant(self.ctx) as uow:
                level = await uow.of(INVENTORY).stock.level(sku, warehouse)
            return level.figures if level else Deltas()

        def _claimed(self) -> int:
            """The line's units the cases name (a resend's too)."""
            return sum(k.units for k in self.all)

        @rule(target=cases, units=st.integers(min_value=1, max_value=4))
        def open_return(self, units: int) -> Any:
            command = OpenCase(
                self.order_id, CaseKind.RETURN_REFUND, ReturnReason.QUALITY_ISSUE,
                ((self.line_id, units),),
            )  # fmt: skip
            if units > SOLD - self._claimed():
                try:
                    run(self.use_cases.run(self.ctx, command))
                except ValidationFailed as refused:
                    assert refused.errors[0].code == "more_than_returnable"
                    return multiple()
                raise AssertionError("claimed more than was sold")
            opened = run(self.use_cases.run(self.ctx, command))
            approved = run(self.use_cases.run(self.ctx, ApproveCase(opened.id, opened.version)))
            assert approved.status is CaseStatus.AWAITING_RETURN
            assert opened.refund_amount == min(PRICE * units, self._holds())
            case = Case(
                opened.id, approved.version, CaseKind.RETURN_REFUND, units,
                opened.refund_amount, status=approved.status, refunds={},
            )  # fmt: skip
            self.all.append(case)
            return case

        @rule(target=cases, amount=FEN)
        def open_refund_only(self, amount: Decimal) -> Any:
            command = OpenCase(
                self.order_id, CaseKind.REFUND_ONLY, ReturnReason.NOT_RECEIVED, (),
                refund_amount=amount,
            )  # fmt: skip
            try:
                opened = run(self.use_cases.run(self.ctx, command))
            except ValidationFailed as refused:
                assert refused.errors[0].code == "more_than_paid"
                assert amount > self._holds()
                return multiple()
            approved = run(self.use_cases.run(self.ctx, ApproveCase(opened.id, opened.version)))
            case = Case(opened.id, approved.version, CaseKind.REFUND_ONLY, 0, amount, refunds={})
            self.all.append(case)
            return case

        @precondition(lambda self: self.resent < 2)  # keep units for returns
        @rule(units=st.integers(min_value=1, max_value=2))
        def resend(self, units: int) -> None:
            command = OpenCase(
                self.order_id, CaseKind.RESEND, ReturnReason.MISSING_PARTS,
                ((self.line_id, units),),
            )  # fmt: skip
            try:
                opened = run(self.use_cases.run(self.ctx, command))
            except ValidationFailed as refused:
                assert refused.errors[0].code == "more_than_returnable"
                assert units > SOLD - self._claimed()
                return
            approved = run(self.use_cases.run(self.ctx, ApproveCase(opened.id, opened.version)))
            assert approved.replacement_order_id is not None
            self.all.append(Case(opened.id, approved.version, CaseKind.RESEND, units, Decimal(0)))
            self.resent += units

        @rule(case=cases, resellable=UNITS, damaged=UNITS)
        def receive(self, case: Case, resellable: int, damaged: int) -> None:
            if case.kind is not CaseKind.RETURN_REFUND or resellable + damaged == 0:
                return
            command = ReceiveCaseReturn(
                case.id, returns, (ReceivedUnits(1, resellable, damaged),), case.version
            )
            outstanding = case.units - case.resellable - case.damaged
            receiving = case.status in (CaseStatus.AWAITING_RETURN, CaseStatus.PARTLY_RECEIVED)
            try:
                done = run(self.use_cases.run(self.ctx, command))
            except (ReceiptRefused, CaseTransitionRefused):
                assert not receiving or resellable + damaged > outstanding
                return
            assert receiving and resellable + damaged <= outstanding
            case.resellable += resellable
            case.damaged += damaged
            case.version, case.status = done.version, done.status

        @rule(case=cases)
        def inspect(self, case: Case) -> None:
            if case.status not in (CaseStatus.PARTLY_RECEIVED, CaseStatus.RECEIVED):
                return
            done = run(self.use_cases.run(self.ctx, InspectCase(case.id, case.version)))
            case.version, case.status = done.version, done.status

        @rule(case=cases, amount=FEN, key=KEYS)
        def refund(self, case: Case, amount: Decimal, key: str) -> None:
            if case.refunds is None:
                return
            command = RefundCase(case.id, self.payment, amount, key)
            ready = (
                CaseStatus.APPROVED if case.kind is CaseKind.REFUND_ONLY else CaseStatus.INSPECTED
            )
            try:
                done = run(self.use_cases.run(self.ctx, command))
            except CaseTransitionRefused:
                assert key not in case.refunds and case.status is not ready
                return
            except RefundRefused:
                assert amount > case.agreed - case.refunded
                return
            except PaymentRefused:
                assert amount > self._holds()
                return
            if key in case.refunds:  # the same refund again: nothing
                assert done.refunded == case.refunded and done.version == case.version
                return
            assert case.status is ready
            assert amount <= case.agreed - case.refunded and amount <= self._holds()
            case.refunds[key] = amount
            case.version, case.status = done.version, done.status

        def _holds(self) -> Decimal:
            return self.paid - sum((k.refunded for k in self.all), Decimal("0.00"))

        @invariant()
        def stock_and_money_are_consistent(self) -> None:
            level = run(self._level(returns))
            resellable = sum(k.resellable for k in self.all)
            damaged = sum(k.damaged for k in self.all)
            assert level.on_hand == self.returns_before.on_hand + resellable
            assert level.available == self.returns_before.available + resellable
            assert level.non_sellable == self.returns_before.non_sellable + damaged
            assert run(self._level(own)).reserved == self.reserved_before + self.resent
            order = run(self._order())
            refunded = sum((k.refunded for k in self.all), Decimal("0.00"))
            assert sum((r.amount for r in order.refunds), Decimal("0.00")) == refunded
            assert order.paid_amount == self.paid - refunded >= 0
            assert all(k.refunded <= k.agreed for k in self.all)
            assert self._claimed() <= SOLD

        async def _order(self) -> Any:
            async with c.uow_factory.for_tenant(self.ctx) as uow:
                stored = await uow.of(ORDERS).orders.get(self.order_id)
            assert stored is not None
            return stored.order

    return AftersalesMachine


def test_returns_refunds_and_resends_keep_stock_and_money_consistent(
    settings: Settings, tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    loop = asyncio.new_event_loop()
    container = build_container(settings)
    try:
        [sku] = loop.run_until_complete(make_skus(tenant, 1))
        own, returns = (
            loop.run_until_complete(
                container.use_cases.run(
                    caller(tenant), OpenWarehouse(f"AS-{kind.value}", "售后", kind, None, 1)
                )
            ).id
            for kind in (WarehouseKind.OWN, WarehouseKind.RETURNS)
        )
        loop.run_until_complete(
            container.use_cases.run(caller(tenant), ReceiveStock(sku, own, 100_000))
        )
        run_state_machine_as_test(
            machine(loop, container, tenant, sku, own, returns),
            settings=hypothesis_settings(
                max_examples=8,
                stateful_step_count=16,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
            ),
        )
    finally:
        loop.run_until_complete(container.aclose())
        loop.close()
