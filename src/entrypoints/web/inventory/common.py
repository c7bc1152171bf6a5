"""What the inventory pages share: the tab bar, the company's warehouses for the pickers,
SKUs named by code or barcode, and the codes of the SKUs a page lists. (Reading a form's
numbers, ids and versions is ``entrypoints/web/forms.py``'s, as on every console page.)"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from litestar import Request
from litestar.response import Template

from application.inventory.alerts.queries import ListStockAlerts
from application.inventory.costing.queries import GetValuation
from application.inventory.counts.queries import ListCounts
from application.inventory.ports import NamedSku
from application.inventory.stock.movements import ReceiveStock
from application.inventory.stock.queries import ListLedger, ListStockLevels
from application.inventory.stock.skus import FindSku, SkuCodes
from application.inventory.transfers.commands import ListTransfers
from application.inventory.warehouses.queries import ListWarehouses
from application.shared.context import CallContext
from application.shared.pagination import every_page
from application.shared.use_cases import UseCases
from domain.inventory.warehouse import Warehouse
from entrypoints.web.inventory import labels
from entrypoints.web.pages import page

HOME = "/console/inventory"
# The inventory pages' tab bar: (label, link, the use case the page runs first).
TABS = (
    ("inventory.tab_stock", HOME, ListStockLevels),
    ("inventory.tab_ledger", f"{HOME}/ledger", ListLedger),
    ("inventory.tab_receive", f"{HOME}/receive", ReceiveStock),
    ("inventory.tab_alerts", f"{HOME}/alerts", ListStockAlerts),
    ("inventory.tab_counts", f"{HOME}/counts", ListCounts),
    ("inventory.tab_transfers", f"{HOME}/transfers", ListTransfers),
    ("inventory.tab_valuation", f"{HOME}/valuation", GetValuation),
)


async def shown(
    request: Request[Any, Any, Any], use_cases: UseCases, template: str, **context: Any
) -> Template:
    """An inventory page: ``page`` with the tab bar and the words for states and kinds."""
    return await page(request, use_cases, template, tabs=TABS, labels=labels, **context)


async def warehouses(use_cases: UseCases, ctx: CallContext) -> list[Warehouse]:
    """The company's warehouses (a company has a few), by code."""

    async def fetch(cursor: str | None, limit: int) -> Any:
        return await use_cases.query(ctx, ListWarehouses.window(cursor, limit))

    found: list[Warehouse] = await every_page(fetch)
    return sorted(found, key=lambda w: w.code)


async def sku_named(use_cases: UseCases, ctx: CallContext, code: str, field: str) -> NamedSku:
    """The SKU whose code or barcode was typed or scanned into ``field``."""
    return await use_cases.query(ctx, FindSku(code, field))


async def codes_of(use_cases: UseCases, ctx: CallContext, ids: Iterable[UUID]) -> dict[UUID, str]:
    return await use_cases.query(ctx, SkuCodes(tuple(dict.fromkeys(ids))))
