"""Wire types for /api/v1/customers (camelCase; separate read, create and update types)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from msgspec import UNSET, UnsetType

from domain.customers.customer import SOURCE_CHANNEL
from domain.notifications.language import LANGUAGES
from entrypoints.http.limits import stated
from entrypoints.http.wire import PageOut, WireIn, WireOut


class AddressIn(WireIn):
    province: str  # province, autonomous region or municipality
    city: str
    district: str
    line: str  # street, building, room
    recipient: str | None = None
    phone: str | None = None
    postal_code: str | None = None


class CustomerIn(WireIn):
    name: str
    phone: str | None = None  # as typed; stored in E.164, Chinese when no country code
    email: Annotated[str, stated(email=True)] | None = None
    addresses: list[AddressIn] = []
    tags: list[str] = []
    # a short slug: own_shop, tmall, jd, offline, wechat...
    source_channel: Annotated[str, stated(pattern=SOURCE_CHANNEL)] | None = None
    # the language emails to the customer are written in (ORD-7); none: zh-CN
    language: Annotated[str, stated(choices=LANGUAGES)] | None = None


class CustomerPatch(WireIn):
    """Only the fields sent change; ``null`` clears an optional field; addresses and tags
    are replaced as a whole."""

    name: str | UnsetType = UNSET
    phone: str | UnsetType | None = UNSET
    email: str | UnsetType | None = UNSET
    addresses: list[AddressIn] | UnsetType = UNSET
    tags: list[str] | UnsetType = UNSET
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
