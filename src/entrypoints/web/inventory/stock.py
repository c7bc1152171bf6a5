"""Stock by warehouse and SKU (every state's figure and what is available), filtered by
warehouse and SKU code, paged; and a SKU's ledger: its movements with the document each
came from and the SKU × warehouse's figures after each row (the ledger query's own,
so a later page needs nothing from the pages before it)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.datastructures import State
from litestar.params import FromQuery
from litestar.response import Template

from application.inventory.stock.queries import ListLedger, ListStockLevels
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.web.inventory.common import codes_of, shown, sku_named, warehouses
from entrypoints.web.pages import is_htmx


class StockPages(Controller):
    path = "/"

    @get("/", name="console_stock", opt=needs(ListStockLevels))
    async def stock(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        warehouse: FromQuery[str] = "",
        sku: FromQuery[str] = "",
        cursor: FromQuery[str] = "",
    ) -> Template:
        wanted = await sku_named(use_cases, ctx, sku, "sku") if sku.strip() else None
        query = ListStockLevels(wanted.id if wanted else None, warehouse or None, cursor or None)
        levels = await use_cases.query(ctx, query)
        codes = await codes_of(use_cases, ctx, (level.sku_id for level in levels.items))
        places = await warehouses(use_cases, ctx)
        template = "inventory/_stock_table.html" if is_htmx(request) else "inventory/stock.html"
        return await shown(
            request,
            use_cases,
            template,
            levels=levels,
            codes=codes,
            places=places,
            names={w.id: w.code for w in places},
            warehouse=warehouse,
            sku=sku.strip(),
        )

    @get("/ledger", name="console_ledger", opt=needs(ListLedger))
    async def ledger(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        sku: FromQuery[str] = "",
        warehouse: FromQuery[str] = "",
        cursor: FromQuery[str] = "",
    ) -> Template:
        places = await warehouses(use_cases, ctx)
        values: dict[str, Any] = {"places": places, "sku": sku.strip(), "warehouse": warehouse}
        if sku.strip():
            named = await sku_named(use_cases, ctx, sku, "sku")
            query = ListLedger(named.id, warehouse or None, cursor or None)
            found = await use_cases.query(ctx, query)
            values |= {
                "named": named,
                "found": found,
                "rows": found.page.items,
                "names": {w.id: w.code for w in places},
            }
        return await shown(request, use_cases, "inventory/ledger.html", **values)
