"""Reading customers: one, a page of all, and search by name, phone or email (CRM-1).

Reads need ``customers:read``; the values come back masked unless the caller also holds
``customers:read_pii``. Searching by exact phone or email needs only ``customers:read``
(the caller already knows the value), and the results are masked just the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from application.customers.common import load_customer
from application.customers.inputs import parse_phone
from application.customers.ports import CUSTOMERS, CustomerPosition, PhoneNumberParser
from application.customers.views import CustomerView, present_for
from application.shared.pagination import Page, clamp_limit, decode_cursor, encode_cursor
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_case import Query, Reading
from domain.customers.customer import ENTITY, Customer, normalise_email
from domain.customers.permissions import CUSTOMERS_READ
from domain.customers.search_terms import name_matches, query_terms
from domain.shared.errors import FieldError, ValidationFailed

MAX_QUERY_LENGTH = 100
# Name search decrypts candidates to confirm them; it reads them in batches this big.
NAME_SCAN_BATCH = 100


@dataclass(frozen=True)
class CustomerSearch:
    """Exactly one criterion: part of the name, or an exact phone number or email."""

    name: str | None = None
    phone: str | None = None
    email: str | None = None


def _position(cursor: str | None) -> CustomerPosition | None:
    if not cursor:
        return None
    key = decode_cursor(cursor)
    try:
        created_at, customer_id = datetime.fromisoformat(key[0]), UUID(key[1])
    except (ValueError, IndexError):
        raise ValidationFailed.single("cursor", "invalid_cursor") from None
    if created_at.tzinfo is None:
        raise ValidationFailed.single("cursor", "invalid_cursor")
    return CustomerPosition(created_at, customer_id)


def _cursor_after(customer: Customer) -> str:
    return encode_cursor([customer.created_at.isoformat(), str(customer.id)])


def _position_of(customer: Customer) -> CustomerPosition:
    return CustomerPosition(customer.created_at, customer.id)


def _page(rows: list[Customer], size: int) -> tuple[list[Customer], str | None]:
    """``rows`` holds up to ``size + 1`` rows; the extra one only says there is more."""
    items = rows[:size]
    return items, _cursor_after(items[-1]) if len(rows) > size else None


class GetCustomer(Query[CustomerView], entity=ENTITY, permission=CUSTOMERS_READ):
    customer_id: UUID


class GetCustomerHandler:
    async def handle(self, query: GetCustomer, reading: Reading) -> CustomerView:
        return present_for(reading, await load_customer(reading.uow, query.customer_id))


class ListCustomers(Query[Page[CustomerView]], entity=ENTITY, permission=CUSTOMERS_READ):
    """Newest first."""

    after: CustomerPosition | None
    size: int


class ListCustomersHandler:
    async def handle(self, query: ListCustomers, reading: Reading) -> Page[CustomerView]:
        rows = await reading.uow.of(CUSTOMERS).customers.newest(query.after, query.size + 1)
        items, next_cursor = _page(rows, query.size)
        return Page([present_for(reading, c) for c in items], next_cursor)


class SearchCustomers(Query[Page[CustomerView]], entity=ENTITY, permission=CUSTOMERS_READ):
    search: CustomerSearch
    after: CustomerPosition | None
    size: int


class SearchCustomersHandler:
    def __init__(self, phones: PhoneNumberParser) -> None:
        self._phones = phones

    async def handle(self, query: SearchCustomers, reading: Reading) -> Page[CustomerView]:
        search, after, wanted = query.search, query.after, query.size + 1
        customers = reading.uow.of(CUSTOMERS).customers
        if search.name is not None:
            rows = await _by_name(reading.uow, search.name, after, wanted)
        elif search.phone is not None:
            errors: list[FieldError] = []
            phone = parse_phone(self._phones, search.phone, "phone", errors)
            if phone is None:
                raise ValidationFailed(errors or [FieldError("phone", "required")])
            rows = await customers.find_by_phone(phone, after, wanted)
        else:
            email = normalise_email(search.email or "")
            if email is None:
                raise ValidationFailed.single("email", "invalid_email")
            rows = await customers.find_by_email(email, after, wanted)
        items, next_cursor = _page(rows, query.size)
        return Page([present_for(reading, c) for c in items], next_cursor)


def search_query(search: CustomerSearch, cursor: str | None, limit: int | None) -> SearchCustomers:
    """Checked before the search runs (a malformed search is not an audited attempt)."""
    given = [v for v in (search.name, search.phone, search.email) if v is not None]
    size, after = clamp_limit(limit), _position(cursor)
    if len(given) != 1:
        raise ValidationFailed.single("q", "search_needs_one_criterion")
    return SearchCustomers(search, after, size)


def list_query(cursor: str | None, limit: int | None) -> ListCustomers:
    size, after = clamp_limit(limit), _position(cursor)
    return ListCustomers(after, size)


async def _by_name(
    uow: UnitOfWork, query: str, after: CustomerPosition | None, wanted: int
) -> list[Customer]:
    if len(query) > MAX_QUERY_LENGTH:
        raise ValidationFailed.single("q", "too_long", max=MAX_QUERY_LENGTH)
    terms = query_terms(query)
    if not terms:
        raise ValidationFailed.single("q", "search_query_too_short")
    found: list[Customer] = []
    while len(found) < wanted:
        batch = await uow.of(CUSTOMERS).customers.find_by_name_terms(terms, after, NAME_SCAN_BATCH)
        for candidate in batch:
            profile = candidate.profile
            if profile is not None and name_matches(profile.name, query):
                found.append(candidate)
                if len(found) == wanted:
                    break
        if len(batch) < NAME_SCAN_BATCH:
            break
        after = _position_of(batch[-1])
    return found
