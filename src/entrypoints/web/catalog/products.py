"""Catalog → products: the list with live search (蓝牙 finds 蓝牙耳机), filters by category,
brand, channel and lifecycle, sorts and cursor paging — the API's ``SearchProducts``."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.datastructures import State
from litestar.params import FromQuery
from litestar.response import Template

from application.catalog.ports.repositories import ProductFilters
from application.catalog.product_filters import FilterReferences
from application.catalog.products import SearchProducts
from application.catalog.products.inputs import LIFECYCLES
from application.catalog.products.queries import SORTS
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.web.catalog.choices import choices
from entrypoints.web.catalog.rendering import catalog_page
from entrypoints.web.pages import is_htmx

PAGE_SIZE = 20


class ProductListPages(Controller):
    path = "/"

    @get("/", name="console_catalog", opt=needs(SearchProducts))
    async def products(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        q: FromQuery[str] = "",
        category: FromQuery[str] = "",
        brand: FromQuery[str] = "",
        channel: FromQuery[str] = "",
        status: FromQuery[str] = "",
        sort: FromQuery[str] = "created",
        cursor: FromQuery[str] = "",
    ) -> Template:
        filters = ProductFilters(lifecycle=status or None)
        named = FilterReferences(category or None, brand or None, channel or None)
        search = SearchProducts.of(q, filters, cursor or None, PAGE_SIZE, sort, named)
        found = await use_cases.query(ctx, search)
        asked = {
            "q": q,
            "category": category,
            "brand": brand,
            "channel": channel,
            "status": status,
            "sort": sort,
        }
        shown = {"found": found, "asked": asked}
        if is_htmx(request) and request.headers.get("hx-target") == "results":
            return await catalog_page(request, use_cases, "_results.html", **shown)
        return await catalog_page(
            request,
            use_cases,
            "products.html",
            lifecycles=LIFECYCLES,
            sorts=SORTS,
            **shown,
            **await choices(ctx, use_cases),
        )
