"""The demo tenant's after-sales (ORD-6): a returns warehouse (RT-SH) and one return and
refund case on the demo's Tmall order, approved and waiting for the goods — through the
real use cases, and only where missing, so ``demo load`` stays safe to run twice."""

from __future__ import annotations

from application.aftersales.opening import OpenCase
from application.aftersales.queries import ListCases
from application.aftersales.steps import ApproveCase
from application.inventory.warehouses.open import OpenWarehouse
from application.inventory.warehouses.queries import ListWarehouses
from application.orders.ports import OrderFilter
from application.orders.queries import ListOrders
from application.shared.context import CallContext
from application.shared.pagination import every_page
from bootstrap import Container
from domain.aftersales.flows import CaseKind
from domain.aftersales.records import ReturnReason
from domain.inventory.warehouse import WarehouseKind
from domain.orders.status import OrderStatus

# Found by ``shopkeeper demo load`` (``entrypoints/cli/demo/__init__.py``).
AFTER: tuple[str, ...] = ("inventory", "orders", "fulfilment")  # a case on a demo order
SUMMARY = "Demo after-sales: returns warehouse RT-SH, one return-and-refund case awaiting the goods"

RETURNS = "RT-SH"


async def load(c: Container, ctx: CallContext) -> None:
    """Open the returns warehouse and the case where missing (idempotent)."""
    run, query = c.use_cases.run, c.use_cases.query
    warehouses = await every_page(lambda p, n: query(ctx, ListWarehouses.window(p, n)))
    if not any(w.code == RETURNS for w in warehouses):
        await run(ctx, OpenWarehouse(RETURNS, "上海退货仓", WarehouseKind.RETURNS, "上海", 9))
    if (await query(ctx, ListCases.window(None, 1))).items:
        return
    waiting = await query(ctx, ListOrders(OrderFilter(status=OrderStatus.AWAITING_REVIEW)))
    paid = [s.order for s in waiting.items if s.order.channel_id is not None]
    if not paid:
        return
    order = paid[0]
    line = order.lines[0]
    opened = await run(
        ctx,
        OpenCase(
            order.id,
            CaseKind.RETURN_REFUND,
            ReturnReason.QUALITY_ISSUE,
            ((line.id, 1),),
            reason_text="收到时外壳有划痕",
            evidence=("买家上传了两张照片",),
            tracking_no="SF1234567890",
        ),
    )
    await run(ctx, ApproveCase(opened.id, opened.version, "质量问题属实，同意退货"))
