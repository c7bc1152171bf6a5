"""The customer list with its search (name parts, exact phone or email; live as you type),
registering a customer, and a customer's profile with their orders."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Template

from application.catalog.reads import ListChannels
from application.customers.inputs import NewCustomer
from application.customers.orders import GetCustomerOrders
from application.customers.queries import (
    CustomerSearch,
    GetCustomer,
    ListCustomers,
    list_query,
    search_query,
)
from application.customers.register import RegisterCustomer
from application.inventory.stock.skus import FindSku
from application.orders.placing import PlaceOrder
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.web.pages import done, page, view_of

CHANNELS = 200  # the company's sales channels read to name a customer's source channel
# What the one search field means, and its label.
SEARCH_BY = {
    "name": "customers.by_name",
    "phone": "customers.by_phone",
    "email": "customers.by_email",
}


class NewCustomerForm(msgspec.Struct):
    name: str = ""
    phone: str = ""
    email: str = ""
    tags: str = ""


def _blank_as_none(value: str) -> str | None:
    return value.strip() or None


class CustomerPages(Controller):
    @get("/", name="console_customers", opt=needs(ListCustomers))
    async def customers(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        q: FromQuery[str] = "",
        by: FromQuery[str] = "name",
        cursor: FromQuery[str | None] = None,
    ) -> Template:
        by = by if by in SEARCH_BY else "name"
        if q.strip():
            search = CustomerSearch(**{by: q.strip()})
            found = await use_cases.query(ctx, search_query(search, cursor, None))
        else:
            found = await use_cases.query(ctx, list_query(cursor, None))
        # Live search asks for the results only (htmx targets #results).
        template = (
            "customers/_results.html"
            if request.headers.get("hx-target") == "results"
            else "customers/list.html"
        )
        return await page(
            request,
            use_cases,
            template,
            found=found,
            q=q,
            by=by,
            search_by=SEARCH_BY,
            register=RegisterCustomer,
        )

    @get("/new", name="console_customer_new", opt=needs(RegisterCustomer))
    async def new(self, request: Request[Any, Any, State], use_cases: Dispatch) -> Template:
        return await page(request, use_cases, "customers/new.html")

    @post("/new", opt=needs(RegisterCustomer))
    async def register(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        data: Annotated[NewCustomerForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Response[Any]:
        new = NewCustomer(
            name=data.name.strip(),
            phone=_blank_as_none(data.phone),
            email=_blank_as_none(data.email),
            tags=[tag.strip() for tag in data.tags.split(",") if tag.strip()],
        )
        view = await use_cases.run(ctx, RegisterCustomer(new))
        return done(request, f"/console/customers/{view.id}", "customers.registered")

    @get("/{customer_id:uuid}", name="console_customer", opt=needs(GetCustomer))
    async def customer(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        customer_id: FromPath[UUID],
        cursor: FromQuery[str | None] = None,
    ) -> Template:
        customer = await use_cases.query(ctx, GetCustomer(customer_id))
        orders = await use_cases.query(ctx, GetCustomerOrders(customer_id, cursor, None))
        view = await view_of(request, use_cases)
        channel = customer.source_channel
        if channel and view.can(ListChannels):  # the channel by its name, not its code
            found = await use_cases.query(ctx, ListChannels.window(None, CHANNELS))
            channel = next((c.name for c in found.items if c.code == channel), channel)
        return await page(
            request,
            use_cases,
            "customers/profile.html",
            view=view,
            customer=customer,
            channel=channel,
            orders=orders,
            new_order=view.can(PlaceOrder) and view.can(FindSku),
        )
