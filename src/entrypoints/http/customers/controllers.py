"""/api/v1/customers: register, read, change, list, search and erase customers (CRM-1)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Response, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_204_NO_CONTENT
from msgspec import UNSET

from application.customers import (
    EraseCustomer,
    GetCustomer,
    ListCustomers,
    RegisterCustomer,
    SearchCustomers,
    UpdateCustomer,
    list_query,
    search_query,
)
from application.customers.inputs import KEEP, AddressInput, CustomerChanges, NewCustomer
from application.customers.orders import CustomerOrder, CustomerOrders, GetCustomerOrders
from application.customers.queries import CustomerSearch
from application.customers.views import CustomerView
from application.shared.pagination import Page
from entrypoints.http.conventions import Cursor, Limit, Rendered, etagged
from entrypoints.http.customers.schemas import (
    AddressOut,
    CustomerIn,
    CustomerOrderOut,
    CustomerOrderPageOut,
    CustomerOrdersOut,
    CustomerOut,
    CustomerPageOut,
    CustomerPatch,
)
from entrypoints.http.dependencies import Context, Dispatch, ExpectedVersion, Idempotent
from entrypoints.http.permissions import needs

PATH = "/api/v1/customers"


def customer_out(view: CustomerView) -> CustomerOut:
    return CustomerOut.of(
        view,
        addresses=[
            AddressOut(a.province, a.city, a.line, a.district, a.recipient, a.phone, a.postal_code)
            for a in view.addresses
        ],
    )


def orders_out(found: CustomerOrders) -> CustomerOrdersOut:
    def order_out(order: CustomerOrder) -> CustomerOrderOut:
        return CustomerOrderOut.of(order)

    last = found.last_order
    return CustomerOrdersOut.of(
        found.totals,
        customer_id=found.customer_id,
        last_order=order_out(last) if last else None,
        recent=CustomerOrderPageOut.of_page(found.recent, order_out),
    )


def page_out(page: Page[CustomerView]) -> CustomerPageOut:
    return CustomerPageOut.of_page(page, customer_out)


def _changes(data: JSONBody[CustomerPatch]) -> CustomerChanges:
    def keep_unset(value: Any) -> Any:
        return KEEP if value is UNSET else value

    return CustomerChanges(
        name=keep_unset(data.name),
        phone=keep_unset(data.phone),
        email=keep_unset(data.email),
        addresses=KEEP if data.addresses is UNSET else [a.to(AddressInput) for a in data.addresses],
        tags=keep_unset(data.tags),
        source_channel=keep_unset(data.source_channel),
        language=keep_unset(data.language),
    )


class CustomersController(Controller):
    path = "/"

    @get("/", opt=needs(ListCustomers))
    async def list_customers(
        self, ctx: Context, use_cases: Dispatch, cursor: Cursor = None, limit: Limit = None
    ) -> CustomerPageOut:
        """Newest first. Personal values are masked without ``customers:read_pii``."""
        return page_out(await use_cases.query(ctx, list_query(cursor, limit)))

    @get("/search", opt=needs(SearchCustomers))
    async def search_customers(
        self,
        ctx: Context,
        use_cases: Dispatch,
        q: Annotated[str | None, QueryParameter(description="Part of the name.")] = None,
        phone: Annotated[str | None, QueryParameter(description="The exact phone number.")] = None,
        email: Annotated[str | None, QueryParameter(description="The exact email.")] = None,
        cursor: Cursor = None,
        limit: Limit = None,
    ) -> CustomerPageOut:
        """Exactly one of ``q``, ``phone`` or ``email``. Chinese names match any part of
        them ("三丰" finds 张三丰); other words match by their beginning."""
        page = await use_cases.query(
            ctx, search_query(CustomerSearch(q, phone, email), cursor, limit)
        )
        return page_out(page)

    @post("/", opt=needs(RegisterCustomer))
    async def create_customer(
        self, ctx: Context, use_cases: Dispatch, idempotency: Idempotent, data: JSONBody[CustomerIn]
    ) -> Response[CustomerOut]:
        """Answers with the masked view (``piiMasked: true``) whoever asks: the answer
        may be kept 24 hours for Idempotency-Key replays. GET it to read it in full."""
        new = data.to(NewCustomer, addresses=[a.to(AddressInput) for a in data.addresses])
        return await idempotency.created(
            lambda: use_cases.run(ctx, RegisterCustomer(new)),
            lambda view: Rendered(customer_out(view), f"{PATH}/{view.id}", view.version),
        )

    @get("/{customer_id:uuid}", opt=needs(GetCustomer))
    async def get_customer(
        self, ctx: Context, use_cases: Dispatch, customer_id: FromPath[UUID]
    ) -> Response[CustomerOut]:
        """One customer of the company; their orders and totals are at
        ``/api/v1/customers/{customerId}/orders`` (the ``Link`` header, rel ``orders``)."""
        response = etagged(customer_out, await use_cases.query(ctx, GetCustomer(customer_id)))
        response.headers["Link"] = f'<{PATH}/{customer_id}/orders>; rel="orders"'
        return response

    @get("/{customer_id:uuid}/orders", opt=needs(GetCustomerOrders))
    async def get_customer_orders(
        self,
        ctx: Context,
        use_cases: Dispatch,
        customer_id: FromPath[UUID],
        cursor: Cursor = None,
        limit: Limit = None,
    ) -> CustomerOrdersOut:
        """The customer's orders on their profile (CRM-1): how many, their total and what
        was paid (cancelled orders and merge or split originals left out), the first and
        the last, and a page of their orders, newest first (``cursor``, ``limit``)."""
        found = await use_cases.query(ctx, GetCustomerOrders(customer_id, cursor, limit))
        return orders_out(found)

    @patch("/{customer_id:uuid}", opt=needs(UpdateCustomer))
    async def update_customer(
        self,
        ctx: Context,
        use_cases: Dispatch,
        customer_id: FromPath[UUID],
        data: JSONBody[CustomerPatch],
        expected_version: ExpectedVersion,
    ) -> Response[CustomerOut]:
        """Change the fields sent of a customer (If-Match)."""
        view = await use_cases.run(
            ctx, UpdateCustomer(customer_id, _changes(data), expected_version)
        )
        return etagged(customer_out, view)

    @delete("/{customer_id:uuid}", status_code=HTTP_204_NO_CONTENT, opt=needs(EraseCustomer))
    async def erase_customer(
        self,
        ctx: Context,
        use_cases: Dispatch,
        customer_id: FromPath[UUID],
        expected_version: ExpectedVersion,
    ) -> None:
        """Erases the personal data for good; the customer then reads as 404."""
        await use_cases.run(ctx, EraseCustomer(customer_id, expected_version))
