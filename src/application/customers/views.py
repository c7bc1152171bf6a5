"""What a reader sees of a customer: everything, or the masked view without read_pii."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from application.shared.use_case import Reading
from domain.customers import masking
from domain.customers.customer import Address, Customer
from domain.customers.permissions import CUSTOMERS_READ_PII


@dataclass(frozen=True)
class AddressView:
    province: str
    city: str
    line: str
    district: str | None = None
    recipient: str | None = None
    phone: str | None = None
    postal_code: str | None = None


@dataclass(frozen=True)
class CustomerView:
    id: UUID
    name: str | None  # None only when unreadable
    phone: str | None
    email: str | None
    addresses: list[AddressView]
    tags: list[str]
    source_channel: str | None
    language: str | None
    version: int
    created_at: datetime
    updated_at: datetime
    pii_masked: bool
    unreadable: list[str]  # fields whose stored value does not decrypt: shown as None


def _address(address: Address, masked: bool) -> AddressView:
    if masked:
        hidden = masking.mask_address(address)
        return AddressView(hidden.province, hidden.city, hidden.line)
    return AddressView(
        province=address.province,
        city=address.city,
        line=address.line,
        district=address.district,
        recipient=address.recipient,
        phone=address.phone.e164 if address.phone else None,
        postal_code=address.postal_code,
    )


def present(customer: Customer, *, masked: bool) -> CustomerView:
    profile = customer.profile
    if profile is None:  # repositories never hand out erased customers
        # guard: repositories never hand out erased customers
        raise ValueError("an erased customer has nothing to show")
    phone = email = None
    if profile.phone is not None:
        phone = masking.mask_phone(profile.phone) if masked else profile.phone.e164
    if profile.email is not None:
        email = masking.mask_email(profile.email) if masked else profile.email
    return CustomerView(
        id=customer.id,
        name=None
        if "name" in profile.unreadable
        else masking.mask_name(profile.name)
        if masked
        else profile.name,
        phone=phone,
        email=email,
        addresses=[_address(a, masked) for a in profile.addresses],
        tags=list(profile.tags),
        source_channel=profile.source_channel,
        language=profile.language,
        version=customer.version,
        created_at=customer.created_at,
        updated_at=customer.updated_at,
        pii_masked=masked,
        unreadable=list(profile.unreadable),
    )


def present_for(reader: Reading, customer: Customer) -> CustomerView:
    """Unmasked only for callers holding ``customers:read_pii``."""
    return present(customer, masked=not reader.allows(CUSTOMERS_READ_PII))
