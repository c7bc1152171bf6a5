"""/api/v1/customers: register, read, change, list, search and erase customers (CRM-1)."""

from __future__ import annotations

from typing import Annotated, Any, cast
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.datastructures import State
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_204_NO_CONTENT
from msgspec import UNSET

from application.customers.inputs import KEEP, AddressInput, CustomerChanges, NewCustomer
from application.customers.queries import CustomerSearch
from application.customers.service import CustomerService
from application.customers.views import CustomerView
from application.shared.context import CallContext
from application.shared.pagination import Page
from entrypoints.http.conventions import (
    Cursor,
    IdempotencyKey,
    IfMatch,
    Limit,
    etag,
    expected_version,
    idempotent,
    json_response,
)
from entrypoints.http.customers.schemas import (
    AddressIn,
    AddressOut,
    CustomerIn,
    CustomerOut,
    CustomerPageOut,
    CustomerPatch,
)

PATH = "/api/v1/customers"


def customer_out(view: CustomerView) -> CustomerOut:
    return CustomerOut(
        id=view.id,
        name=view.name,
        phone=view.phone,
        email=view.email,
        addresses=[
            AddressOut(a.province, a.city, a.line, a.district, a.recipient, a.phone, a.postal_code)
            for a in view.addresses
        ],
        tags=view.tags,
        source_channel=view.source_channel,
        version=view.version,
        created_at=view.created_at,
        updated_at=view.updated_at,
        pii_masked=view.pii_masked,
    )


def page_out(page: Page[CustomerView]) -> CustomerPageOut:
    return CustomerPageOut([customer_out(v) for v in page.items], page.next_cursor)


def _address(data: JSONBody[AddressIn]) -> AddressInput:
    return AddressInput(
        data.province,
        data.city,
        data.district,
        data.line,
        data.recipient,
        data.phone,
        data.postal_code,
    )


def _changes(data: JSONBody[CustomerPatch]) -> CustomerChanges:
    def keep_unset(value: Any) -> Any:
        return KEEP if value is UNSET else value

    return CustomerChanges(
        name=keep_unset(data.name),
        phone=keep_unset(data.phone),
        email=keep_unset(data.email),
        addresses=KEEP if data.addresses is UNSET else [_address(a) for a in data.addresses],
        tags=keep_unset(data.tags),
        source_channel=keep_unset(data.source_channel),
    )


def _with_etag(view: CustomerView) -> Response[CustomerOut]:
    return Response(customer_out(view), headers={"ETag": etag(view.version)})


def _service(request: Request[CallContext, Any, State]) -> CustomerService:
    service: CustomerService = request.app.state.container.get(CustomerService)
    return service


class CustomersController(Controller):
    path = PATH
    tags = ["customers"]

    @get("/")
    async def list_customers(
        self,
        request: Request[CallContext, Any, State],
        cursor: Cursor = None,
        limit: Limit = None,
    ) -> CustomerPageOut:
        """Newest first. Personal values are masked without ``customers:read_pii``."""
        return page_out(await _service(request).list(request.user, cursor, limit))

    @get("/search")
    async def search_customers(
        self,
        request: Request[CallContext, Any, State],
        q: Annotated[str | None, QueryParameter(description="Part of the name.")] = None,
        phone: Annotated[str | None, QueryParameter(description="The exact phone number.")] = None,
        email: Annotated[str | None, QueryParameter(description="The exact email.")] = None,
        cursor: Cursor = None,
        limit: Limit = None,
    ) -> CustomerPageOut:
        """Exactly one of ``q``, ``phone`` or ``email``. Chinese names match any part of
        them ("三丰" finds 张三丰); other words match by their beginning."""
        page = await _service(request).search(
            request.user, CustomerSearch(q, phone, email), cursor, limit
        )
        return page_out(page)

    @post("/")
    async def create_customer(
        self,
        request: Request[CallContext, Any, State],
        data: JSONBody[CustomerIn],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[CustomerOut]:
        """Answers with the masked view (``piiMasked: true``) whoever asks: the answer
        may be kept 24 hours for Idempotency-Key replays. GET it to read it in full."""
        service = _service(request)
        new = NewCustomer(
            data.name,
            data.phone,
            data.email,
            [_address(a) for a in data.addresses],
            data.tags,
            data.source_channel,
        )

        def render(view: CustomerView) -> Response[bytes]:
            return json_response(
                customer_out(view),
                201,
                {"ETag": etag(view.version), "Location": f"{PATH}/{view.id}"},
            )

        response = await idempotent(request, lambda: service.create(request.user, new), render)
        return cast("Response[CustomerOut]", response)  # the body is a rendered CustomerOut

    @get("/{customer_id:uuid}")
    async def get_customer(
        self, request: Request[CallContext, Any, State], customer_id: FromPath[UUID]
    ) -> Response[CustomerOut]:
        return _with_etag(await _service(request).get(request.user, customer_id))

    @patch("/{customer_id:uuid}")
    async def update_customer(
        self,
        request: Request[CallContext, Any, State],
        customer_id: FromPath[UUID],
        data: JSONBody[CustomerPatch],
        if_match: IfMatch = None,
    ) -> Response[CustomerOut]:
        view = await _service(request).update(
            request.user, customer_id, _changes(data), expected_version(request)
        )
        return _with_etag(view)

    @delete("/{customer_id:uuid}", status_code=HTTP_204_NO_CONTENT)
    async def erase_customer(
        self,
        request: Request[CallContext, Any, State],
        customer_id: FromPath[UUID],
        if_match: IfMatch = None,
    ) -> None:
        """Erases the personal data for good; the customer then reads as 404."""
        await _service(request).erase(request.user, customer_id, expected_version(request))
