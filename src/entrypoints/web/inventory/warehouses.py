"""Settings → warehouses: the company's warehouses (kind, region, priority, open or
closed) and a form to open one (``OpenWarehouse``, as ``POST /api/v1/inventory/warehouses``)."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.response import Template

from application.inventory.warehouses.open import OpenWarehouse
from application.inventory.warehouses.queries import ListWarehouses
from domain.inventory.warehouse import WarehouseKind
from domain.shared.errors import ValidationFailed
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.web.forms import Form, a_number
from entrypoints.web.inventory.common import warehouses
from entrypoints.web.inventory.labels import WAREHOUSE_KINDS
from entrypoints.web.pages import done, page

PLACE = "/console/settings/warehouses"
DEFAULT_PRIORITY = 100


class WarehouseForm(msgspec.Struct):
    code: str = ""
    name: str = ""
    kind: str = WarehouseKind.OWN.value
    region: str = ""
    priority: str = ""


class WarehousePages(Controller):
    path = "/settings/warehouses"

    @get("/", name="console_warehouses", opt=needs(ListWarehouses))
    async def list(
        self, request: Request[Any, Any, State], ctx: Context, use_cases: Dispatch
    ) -> Template:
        return await page(
            request,
            use_cases,
            "inventory/warehouses.html",
            places=await warehouses(use_cases, ctx),
            kinds=WAREHOUSE_KINDS,
            opens=OpenWarehouse,
        )

    @post("/", status_code=303, opt=needs(OpenWarehouse))
    async def open(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        data: Annotated[WarehouseForm, Form],
    ) -> Response[Any]:
        if data.kind not in set(WarehouseKind):
            raise ValidationFailed.single("kind", "invalid_choice", allowed=list(WarehouseKind))
        command = OpenWarehouse(
            data.code.strip(),
            data.name.strip(),
            WarehouseKind(data.kind),
            data.region.strip() or None,
            a_number("priority", data.priority) if data.priority.strip() else DEFAULT_PRIORITY,
        )
        opened = await use_cases.run(ctx, command)
        return done(request, PLACE, "inventory.warehouse_opened", warehouse=opened.code)
