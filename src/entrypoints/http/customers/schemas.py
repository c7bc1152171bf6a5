"""Wire types for /api/v1/customers (camelCase; separate read, create and update types)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from msgspec import UNSET, UnsetType

from domain.customers.customer import (
    MAX_ADDRESS_LINE_LENGTH,
    MAX_ADDRESSES,
    MAX_NAME_LENGTH,
    MAX_RECIPIENT_LENGTH,
    MAX_REGION_LENGTH,
    MAX_TAG_LENGTH,
    MAX_TAGS,
    SOURCE_CHANNEL,
)
from domain.notifications.language import LANGUAGES
from entrypoints.http.limits import stated
from entrypoints.http.wire import PageOut, WireIn, WireOut

Region = Annotated[str, stated(min_length=1, max_length=MAX_REGION_LENGTH)]
Name = Annotated[str, stated(min_length=1, max_length=MAX_NAME_LENGTH)]
Tags = Annotated[
    list[Annotated[str, stated(min_length=1, max_length=MAX_TAG_LENGTH)]],
    stated(max_items=MAX_TAGS),
]


class AddressIn(WireIn):
    province: Region  # province, autonomous region or municipality
    city: Region
    district: Region
    line: Annotated[str, stated(min_length=1, max_length=MAX_ADDRESS_LINE_LENGTH)]  # street, room
    recipient: Annotated[str, stated(max_length=MAX_RECIPIENT_LENGTH)] | None = None
    phone: str | None = None
    postal_code: str | None = None


Addresses = Annotated[list[AddressIn], stated(max_items=MAX_ADDRESSES)]


class CustomerIn(WireIn):
    name: Name
    phone: str | None = None  # as typed; stored in E.164, Chinese when no country code
    email: Annotated[str, stated(email=True)] | None = None
    addresses: Addresses = []
    tags: Tags = []
    # a short slug: own_shop, tmall, jd, offline, wechat...
    source_channel: Annotated[str, stated(pattern=SOURCE_CHANNEL)] | None = None
    # the language emails to the customer are written in (ORD-7); none: zh-CN
    language: Annotated[str, stated(choices=LANGUAGES)] | None = None


class CustomerPatch(WireIn):
    """Only the fields sent change; ``null`` clears an optional field; addresses and tags
    are replaced as a whole."""

    name: Name | UnsetType = UNSET
    phone: str | UnsetType | None = UNSET
    email: Annotated[str, stated(email=True)] | UnsetType | None = UNSET
    addresses: Addresses | UnsetType = UNSET
    tags: Tags | UnsetType = UNSET
    source_channel: Annotated[str, stated(pattern=SOURCE_CHANNEL)] | UnsetType | None = UNSET
    language: Annotated[str, stated(choices=LANGUAGES)] | UnsetType | None = UNSET


class AddressOut(WireOut):
    province: str
    city: str
    line: str  # "***" when masked
    district: str | None
    recipient: str | None
    phone: str | None
    postal_code: str | None


class CustomerOut(WireOut):
    """A field whose stored value does not decrypt (moved, altered, or its key gone) is
    null and named in ``unreadable`` (e.g. ``["phone"]``); the rest of the customer, and
    every other customer of a list, reads as usual."""

    id: UUID
    name: str | None  # null only when "name" is in ``unreadable``
    phone: str | None
    email: str | None
    addresses: list[AddressOut]
    tags: list[str]
    source_channel: str | None
    language: str | None
    version: int
    created_at: datetime
    updated_at: datetime
    pii_masked: bool  # true: name, phone, email and addresses are masked (no read_pii)
    unreadable: list[str]  # name, phone, email, addresses: those that do not decrypt


class CustomerPageOut(PageOut[CustomerOut]):
    items: list[CustomerOut]


class CustomerOrderOut(WireOut):
    id: UUID
    number: str
    status: str
    channel_id: UUID | None  # null: the company's own order
    currency: str
    total: Decimal
    paid_amount: Decimal
    placed_at: datetime
    paid_at: datetime | None


class CustomerOrderPageOut(PageOut[CustomerOrderOut]):
    items: list[CustomerOrderOut]


class CustomerOrdersOut(WireOut):
    """A customer's orders on their profile (CRM-1). ``orders``, ``total`` and ``paid``
    count the orders that stand and are not cancelled; ``recent`` lists every order that
    stands (cancelled ones too), newest first."""

    customer_id: UUID
    orders: int
    total: Decimal
    paid: Decimal
    first_placed_at: datetime | None
    last_placed_at: datetime | None
    last_order: CustomerOrderOut | None
    recent: CustomerOrderPageOut
