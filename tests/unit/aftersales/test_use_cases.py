"""The after-sales use cases on the typed fakes (ORD-6, LOG-4), as bootstrap wires them
with orders' ``OrderAftersales`` and inventory's return receipts: a return's goods into the
returns warehouse exactly as received, refunds once per key and never above the case, a
case never claiming more than was sold, an exchange's held replacement released when the
goods arrive, the settings' versions, and the case figures of the return analysis."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from uuid import UUID

import pytest

from application.aftersales.extras import ClaimInsurance, ClaimInsuranceHandler
from application.aftersales.opening import OpenCase, OpenCaseHandler
from application.aftersales.receiving import ReceiveCaseReturn, ReceiveCaseReturnHandler
from application.aftersales.refunds import RefundCase, RefundCaseHandler
from application.aftersales.settings import (
    GetSettings,
    GetSettingsHandler,
    SetSettings,
    SetSettingsHandler,
)
from application.aftersales.steps import (
    STEPS,
    ApproveCase,
    CaseStepHandler,
    CompleteCase,
    InspectCase,
    RejectCase,
)
from application.inventory.reservations.engine import RESERVATIONS
from application.inventory.stock.movements import RETURN_RECEIPTS
from application.inventory.warehouses.open import OpenWarehouse
from application.orders.aftersales import OrderAftersales
from application.orders.common import StockKeeper
from application.orders.lifecycle import RecordPayment
from domain.aftersales.case import AftersalesCase
from domain.aftersales.flows import CaseKind, CaseStatus
from domain.aftersales.records import ReceivedUnits, ReturnReason
from domain.inventory.stock import Deltas
from domain.inventory.warehouse import WarehouseKind
from domain.orders.order import Order
from domain.orders.payment_records import PaymentMethod
from domain.shared.errors import Conflict, StaleVersion, ValidationFailed
from tests.fakes.aftersales import FakeReturnFigures
from tests.unit.orders.test_use_cases import CTX, TENANT, Shop, make_shop, order

QUALITY = ReturnReason.QUALITY_ISSUE


async def _desk() -> Shop:
    shop = await make_shop()
    orders = OrderAftersales(StockKeeper(RESERVATIONS), shop.notifier)
    shop.use_cases.register(
        OpenCaseHandler(),
        ReceiveCaseReturnHandler(RETURN_RECEIPTS, orders),
        RefundCaseHandler(orders),
        ClaimInsuranceHandler(),
        GetSettingsHandler(),
        SetSettingsHandler(),
    )
    steps = CaseStepHandler(orders)
    for step in STEPS:
        shop.use_cases.add(step, steps)
    return shop


async def _paid(shop: Shop, units: int = 3) -> tuple[Order, UUID]:
    """A paid order of ``units`` of a new SKU (9.00 each): the order and its payment."""
    sku = await shop.sku(units + 2)
    placed = await shop.use_cases.run(CTX, order((sku, units)))
    paid = await shop.use_cases.run(
        CTX, RecordPayment(placed.id, PaymentMethod.ALIPAY, placed.total, "PAY-1")
    )
    return paid.order, paid.order.payments[0].id


async def _returns(shop: Shop) -> UUID:
    opened = OpenWarehouse("RT", "退货仓", WarehouseKind.RETURNS, None, 9)
    return (await shop.use_cases.run(CTX, opened)).id


async def _opened(shop: Shop, paid: Order, kind: CaseKind, units: int) -> AftersalesCase:
    lines = ((paid.lines[0].id, units),)
    case = await shop.use_cases.run(CTX, OpenCase(paid.id, kind, QUALITY, lines))
    return await shop.use_cases.run(CTX, ApproveCase(case.id, case.version, "同意"))


async def test_a_return_comes_in_as_received_and_is_refunded_once_per_key() -> None:
    shop = await _desk()
    paid, payment = await _paid(shop)
    returns = await _returns(shop)
    case = await _opened(shop, paid, CaseKind.RETURN_REFUND, 2)
    assert case.status is CaseStatus.AWAITING_RETURN and case.refund_amount == Decimal("18.00")
    receipt = ReceiveCaseReturn(case.id, returns, (ReceivedUnits(1, 1, 1),), case.version)
    case = await shop.use_cases.run(CTX, receipt)
    assert case.status is CaseStatus.RECEIVED
    level = shop.db.tenant(TENANT).inventory.levels[(paid.lines[0].sku_id, returns, None)]
    assert level == Deltas(on_hand=1, non_sellable=1)
    case = await shop.use_cases.run(CTX, InspectCase(case.id, case.version))
    with pytest.raises(Conflict) as above:
        await shop.use_cases.run(CTX, RefundCase(case.id, payment, Decimal("18.01"), "RF-0"))
    assert above.value.code == "aftersales_refund_refused"
    once = RefundCase(case.id, payment, Decimal("10.00"), "RF-1")
    case = await shop.use_cases.run(CTX, once)
    case = await shop.use_cases.run(CTX, once)  # the same key again: nothing new
    assert case.refunded == Decimal("10.00") and len(case.refunds) == 1
    case = await shop.use_cases.run(CTX, RefundCase(case.id, payment, Decimal("8.00"), "RF-2"))
    assert case.status is CaseStatus.REFUNDED
    refunds = shop.db.tenant(TENANT).orders.orders[paid.id].order.refunds
    assert [r.amount for r in refunds] == [Decimal("10.00"), Decimal("8.00")]
    case = await shop.use_cases.run(CTX, CompleteCase(case.id, case.version))
    assert case.status is CaseStatus.COMPLETED


async def test_a_refused_receipt_changes_neither_the_case_nor_the_stock() -> None:
    shop = await _desk()
    paid, _ = await _paid(shop)
    returns = await _returns(shop)
    case = await _opened(shop, paid, CaseKind.RETURN_REFUND, 1)
    too_many = ReceiveCaseReturn(case.id, returns, (ReceivedUnits(1, 2),), case.version)
    with pytest.raises(Conflict) as refused:
        await shop.use_cases.run(CTX, too_many)
    assert refused.value.code == "aftersales_receipt_refused"
    selling = shop.warehouse  # not a returns warehouse: inventory refuses
    with pytest.raises(ValidationFailed) as wrong:
        await shop.use_cases.run(
            CTX, ReceiveCaseReturn(case.id, selling, (ReceivedUnits(1, 1),), case.version)
        )
    assert [e.code for e in wrong.value.errors] == ["not_a_returns_warehouse"]
    stored = shop.db.tenant(TENANT).aftersales.cases[case.id]
    assert stored.status is CaseStatus.AWAITING_RETURN and stored.version == case.version
    assert (paid.lines[0].sku_id, returns, None) not in shop.db.tenant(TENANT).inventory.levels


async def test_cases_never_claim_more_than_was_sold() -> None:
    shop = await _desk()
    paid, _ = await _paid(shop, 3)
    await _opened(shop, paid, CaseKind.RETURN_REFUND, 2)
    with pytest.raises(ValidationFailed) as refused:
        await shop.use_cases.run(
            CTX, OpenCase(paid.id, CaseKind.RETURN_REFUND, QUALITY, ((paid.lines[0].id, 2),))
        )
    (error,) = refused.value.errors
    assert (error.code, error.params) == ("more_than_returnable", {"returnable": 1})
    rejected = await shop.use_cases.run(
        CTX, OpenCase(paid.id, CaseKind.RETURN_REFUND, QUALITY, ((paid.lines[0].id, 1),))
    )
    rejected = await shop.use_cases.run(CTX, RejectCase(rejected.id, "不符合", rejected.version))
    assert rejected.status is CaseStatus.REJECTED


async def test_an_exchange_holds_its_replacement_until_the_goods_are_back() -> None:
    shop = await _desk()
    paid, _ = await _paid(shop)
    returns = await _returns(shop)
    case = await _opened(shop, paid, CaseKind.EXCHANGE, 1)
    assert case.replacement_order_id is not None
    orders = shop.db.tenant(TENANT).orders.orders
    replacement = orders[case.replacement_order_id].order
    assert replacement.hold is not None and replacement.total == Decimal("0.00")
    receipt = ReceiveCaseReturn(case.id, returns, (ReceivedUnits(1, 1),), case.version)
    await shop.use_cases.run(CTX, receipt)
    released = shop.db.tenant(TENANT).orders.orders[case.replacement_order_id].order
    assert released.hold is None


async def test_the_settings_are_versioned() -> None:
    shop = await _desk()
    assert (await shop.use_cases.query(CTX, GetSettings())).version == 0
    saved = await shop.use_cases.run(CTX, SetSettings(True, 0))
    assert saved.ship_exchange_first and saved.version == 1
    with pytest.raises(StaleVersion):
        await shop.use_cases.run(CTX, SetSettings(False, 0))
    assert (await shop.use_cases.query(CTX, GetSettings())).ship_exchange_first


async def test_the_case_figures_count_refunds_claims_and_reasons_not_rejected_cases() -> None:
    shop = await _desk()
    paid, payment = await _paid(shop, 4)
    case = await _opened(shop, paid, CaseKind.REFUND_ONLY, 1)
    case = await shop.use_cases.run(CTX, RefundCase(case.id, payment, Decimal("9.00"), "RF-9"))
    await shop.use_cases.run(CTX, ClaimInsurance(case.id, Decimal("12.00"), "华泰"))
    size = ReturnReason.SIZE_OR_FIT
    lines = ((paid.lines[0].id, 1),)
    other = await shop.use_cases.run(CTX, OpenCase(paid.id, CaseKind.RETURN_REFUND, size, lines))
    await shop.use_cases.run(CTX, RejectCase(other.id, "超时", other.version))
    now = shop.clock.now()
    figures = await FakeReturnFigures(shop.db.tenant(TENANT).aftersales).cases(
        now - timedelta(days=1), now + timedelta(days=1)
    )
    assert (figures.cases, figures.reasons) == (1, {"quality_issue": 1})
    assert (figures.refund_total, figures.insurance_claims) == (Decimal("9.00"), 1)
    assert figures.insurance_total == Decimal("12.00")
