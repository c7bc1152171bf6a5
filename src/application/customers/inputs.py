"""Commands of the customers use cases, and how raw input becomes a validated profile."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import TypeVar

from application.customers.ports import PhoneNumberParser
from domain.customers.customer import Address, CustomerProfile, PhoneNumber
from domain.shared.errors import FieldError

MAX_RAW_PHONE_LENGTH = 40


class Keep(Enum):
    """A PATCH field the caller did not send: keep the stored value."""

    KEEP = "keep"


KEEP = Keep.KEEP
T = TypeVar("T")


@dataclass(frozen=True)
class AddressInput:
    province: str
    city: str
    district: str
    line: str
    recipient: str | None = None
    phone: str | None = None
    postal_code: str | None = None


@dataclass(frozen=True)
class NewCustomer:
    name: str
    phone: str | None = None
    email: str | None = None
    addresses: list[AddressInput] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    source_channel: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class CustomerChanges:
    """PATCH semantics: ``KEEP`` leaves a field alone, None clears an optional one."""

    name: str | Keep = KEEP
    phone: str | Keep | None = KEEP
    email: str | Keep | None = KEEP
    addresses: list[AddressInput] | Keep = KEEP
    tags: list[str] | Keep = KEEP
    source_channel: str | Keep | None = KEEP
    language: str | Keep | None = KEEP


def parse_phone(
    phones: PhoneNumberParser, raw: str | None, path: str, errors: list[FieldError]
) -> PhoneNumber | None:
    if raw is None or not raw.strip():
        return None
    parsed = phones.parse(raw) if len(raw) <= MAX_RAW_PHONE_LENGTH else None
    if parsed is None:
        errors.append(FieldError(path, "invalid_phone"))
    return parsed


def _addresses(
    phones: PhoneNumberParser, inputs: list[AddressInput], errors: list[FieldError]
) -> list[Address]:
    return [
        Address(
            province=a.province,
            city=a.city,
            district=a.district,
            line=a.line,
            recipient=a.recipient,
            phone=parse_phone(phones, a.phone, f"addresses[{i}].phone", errors),
            postal_code=a.postal_code,
        )
        for i, a in enumerate(inputs)
    ]


def new_profile(phones: PhoneNumberParser, new: NewCustomer) -> CustomerProfile:
    """Raises ``ValidationFailed`` naming every invalid field."""
    errors: list[FieldError] = []
    phone = parse_phone(phones, new.phone, "phone", errors)
    addresses = _addresses(phones, new.addresses, errors)
    return CustomerProfile.create(
        name=new.name,
        phone=phone,
        email=new.email,
        addresses=addresses,
        tags=new.tags,
        source_channel=new.source_channel,
        language=new.language,
        known_errors=errors,
    )


def _pick(change: T | Keep, current: T) -> T:
    return current if isinstance(change, Keep) else change


def changed_profile(
    phones: PhoneNumberParser, current: CustomerProfile, changes: CustomerChanges
) -> CustomerProfile:
    """The current profile with ``changes`` applied, validated as a whole."""
    errors: list[FieldError] = []
    phone = (
        current.phone
        if isinstance(changes.phone, Keep)
        else parse_phone(phones, changes.phone, "phone", errors)
    )
    addresses = (
        list(current.addresses)
        if isinstance(changes.addresses, Keep)
        else _addresses(phones, changes.addresses, errors)
    )
    return CustomerProfile.create(
        name=_pick(changes.name, current.name),
        phone=phone,
        email=_pick(changes.email, current.email),
        addresses=addresses,
        tags=_pick(changes.tags, list(current.tags)),
        source_channel=_pick(changes.source_channel, current.source_channel),
        language=_pick(changes.language, current.language),
        known_errors=errors,
    )
