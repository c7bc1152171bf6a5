"""The valuation report (INV-7): what each SKU × warehouse holds and is worth now, paged,
with the total of every level; by warehouse and SKU. Read straight from the costing
positions (``GetValuation``, the API's ``GET /valuation``): no job to wait for."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.datastructures import State
from litestar.params import FromQuery
from litestar.response import Template

from application.inventory.costing.queries import GetValuation
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.web.inventory.common import codes_of, shown, sku_named, warehouses


class ValuationPages(Controller):
    path = "/valuation"

    @get("/", name="console_valuation", opt=needs(GetValuation))
    async def valuation(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        warehouse: FromQuery[str] = "",
        sku: FromQuery[str] = "",
        cursor: FromQuery[str] = "",
    ) -> Template:
        wanted = await sku_named(use_cases, ctx, sku, "sku") if sku.strip() else None
        query = GetValuation(None, wanted.id if wanted else None, warehouse or None, cursor or None)
        found = await use_cases.query(ctx, query)
        places = await warehouses(use_cases, ctx)
        return await shown(
            request,
            use_cases,
            "inventory/valuation.html",
            valuation=found,
            codes=await codes_of(use_cases, ctx, (level.sku_id for level in found.levels)),
            places=places,
            names={w.id: w.code for w in places},
            warehouse=warehouse,
            sku=sku.strip(),
        )
