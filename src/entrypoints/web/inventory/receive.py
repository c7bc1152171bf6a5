"""Receive stock: goods in at a warehouse (``ReceiveStock``, as ``POST
/api/v1/inventory/receipts``), the SKU typed or scanned by code or barcode; a unit cost only
for a role that sees costs. The stock page then shows the SKU's new figures."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.response import Template

from application.inventory.costing.queries import GetCostPosition
from application.inventory.stock.movements import ReceiveStock
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.web.forms import Form, a_required_number, an_amount
from entrypoints.web.inventory.common import HOME, shown, sku_named, warehouses
from entrypoints.web.pages import done


class ReceiptForm(msgspec.Struct):
    warehouse: str = ""
    sku: str = ""
    quantity: str = ""
    unit_cost: str = ""
    reason: str = ""


class ReceivePages(Controller):
    path = "/receive"

    @get("/", name="console_receive", opt=needs(ReceiveStock))
    async def form(
        self, request: Request[Any, Any, State], ctx: Context, use_cases: Dispatch
    ) -> Template:
        places = [w for w in await warehouses(use_cases, ctx) if not w.closed]
        return await shown(
            request, use_cases, "inventory/receive.html", places=places, costs=GetCostPosition
        )

    @post("/", status_code=303, opt=needs(ReceiveStock))
    async def receive(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        data: Annotated[ReceiptForm, Form],
    ) -> Response[Any]:
        named = await sku_named(use_cases, ctx, data.sku, "sku")
        command = ReceiveStock(
            named.id,
            data.warehouse,
            a_required_number("quantity", data.quantity),
            an_amount("unitCost", data.unit_cost),
            reason=data.reason or None,
        )
        moved = await use_cases.run(ctx, command)
        return done(
            request,
            f"{HOME}?{urlencode({'sku': named.code})}",
            "inventory.stock_received",
            sku=named.code,
            on_hand=moved.figures.on_hand,
            available=moved.figures.available,
        )
