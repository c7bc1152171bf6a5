"""The customer aggregate (CRM-1): who bought from the tenant, and how to reach them.

Name, phone, email and addresses are personal data. The domain holds them in the clear;
adapters encrypt them at rest, and readers without ``customers:read_pii`` see them masked
(``domain.customers.masking``). Erasing a customer drops the profile for good while the
row — an anonymous id other records point to — stays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.notifications.language import LANGUAGES
from domain.shared.errors import Conflict, FieldError, ValidationFailed
from domain.shared.events import DomainEvent, RecordsEvents
from domain.shared.text import has_control_characters

ENTITY = "customer"

MAX_NAME_LENGTH = 100
MAX_EMAIL_LENGTH = 254
MAX_TAGS = 20
MAX_TAG_LENGTH = 32
MAX_ADDRESSES = 10
MAX_RECIPIENT_LENGTH = 100
MAX_REGION_LENGTH = 50  # province, city, district
MAX_ADDRESS_LINE_LENGTH = 200

# Personal fields of the snapshot: audited as "changed" with their values redacted.
PERSONAL_FIELDS: frozenset[str] = frozenset({"name", "phone", "email", "addresses"})

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SOURCE_CHANNEL = re.compile(r"^[a-z][a-z0-9_]{1,31}$")
_POSTAL_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z -]{1,10}[0-9A-Za-z]$")
_INTERNATIONAL = re.compile(r"^\+([1-9][0-9]{0,2}) ([0-9]{2,14})$")


@dataclass(frozen=True)
class PhoneNumber:
    """A validated phone number: ITU country calling code and national significant number.

    Parsing free-form input needs numbering-plan data (a port does it); the domain keeps
    the two parts so that masking can work on the national number.
    """

    country_code: int
    national_number: str

    def __post_init__(self) -> None:
        if (
            not 1 <= self.country_code <= 999
            or not self.national_number.isdigit()
            or len(str(self.country_code)) + len(self.national_number) > 15  # E.164's limit
        ):
            raise ValidationFailed.single("phone", "invalid_phone")

    @property
    def e164(self) -> str:
        return f"+{self.country_code}{self.national_number}"

    @property
    def international(self) -> str:
        """E.164 with the country code set apart ("+86 13812345678"): how it is stored."""
        return f"+{self.country_code} {self.national_number}"

    @classmethod
    def from_international(cls, value: str) -> PhoneNumber:
        found = _INTERNATIONAL.match(value)
        if found is None:
            raise ValidationFailed.single("phone", "invalid_phone")
        return cls(int(found.group(1)), found.group(2))


@dataclass(frozen=True)
class Address:
    """A delivery address in the Chinese order: province (or region), city, district, line."""

    province: str
    city: str
    district: str
    line: str
    recipient: str | None = None
    phone: PhoneNumber | None = None
    postal_code: str | None = None

    def snapshot(self) -> dict[str, Any]:
        return {
            "recipient": self.recipient,
            "phone": self.phone.e164 if self.phone else None,
            "province": self.province,
            "city": self.city,
            "district": self.district,
            "line": self.line,
            "postalCode": self.postal_code,
        }


def normalise_email(email: str) -> str | None:
    """Lower-cased and stripped; None when it is not an address."""
    value = email.strip().lower()
    if not _EMAIL.match(value) or len(value) > MAX_EMAIL_LENGTH:
        return None
    return value


_FORM_ORDER = ("name", "phone", "email", "addresses", "tags", "sourceChannel", "language")


def _form_position(path: str) -> int:
    root = path.split("[", 1)[0].split(".", 1)[0]
    return _FORM_ORDER.index(root) if root in _FORM_ORDER else len(_FORM_ORDER)


class _Checker:
    """Collects every field error, so a form shows all its mistakes at once."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def text(self, path: str, value: str | None, max_length: int, *, required: bool) -> str | None:
        cleaned = " ".join(value.split()) if value is not None else ""
        if not cleaned:
            if required:
                self.errors.append(FieldError(path, "required"))
            return None
        if len(cleaned) > max_length:
            self.errors.append(FieldError(path, "too_long", {"max": max_length}))
        elif has_control_characters(cleaned):
            self.errors.append(FieldError(path, "invalid_characters"))
        return cleaned


@dataclass(frozen=True)
class CustomerProfile:
    """What the tenant knows about a customer. Build it with ``create``, which validates."""

    name: str
    phone: PhoneNumber | None = None
    email: str | None = None
    addresses: tuple[Address, ...] = ()
    tags: tuple[str, ...] = ()
    source_channel: str | None = None
    # The language the customer is written to in (zh-CN, zh-TW or en; ORD-7); None: zh-CN.
    language: str | None = None
    # Fields whose stored value could not be decrypted (moved, altered, or its key gone):
    # empty here, and the customer cannot be revised until they are readable or erased.
    unreadable: tuple[str, ...] = ()

    @classmethod
    def create(
        cls,
        *,
        name: str,
        phone: PhoneNumber | None = None,
        email: str | None = None,
        addresses: list[Address] | tuple[Address, ...] = (),
        tags: list[str] | tuple[str, ...] = (),
        source_channel: str | None = None,
        language: str | None = None,
        known_errors: list[FieldError] | None = None,
    ) -> CustomerProfile:
        """Validate and normalise. ``known_errors`` (e.g. unparseable phone numbers found
        before the domain was reached) are reported together with the domain's own."""
        check = _Checker()
        check.errors.extend(known_errors or [])
        clean_name = check.text("name", name, MAX_NAME_LENGTH, required=True) or ""

        clean_email = None
        if email is not None and email.strip():
            clean_email = normalise_email(email)
            if clean_email is None:
                check.errors.append(FieldError("email", "invalid_email"))

        if len(addresses) > MAX_ADDRESSES:
            check.errors.append(FieldError("addresses", "too_many", {"max": MAX_ADDRESSES}))
        clean_addresses = tuple(
            cls._address(check, f"addresses[{i}]", a) for i, a in enumerate(addresses)
        )

        if len(tags) > MAX_TAGS:
            check.errors.append(FieldError("tags", "too_many", {"max": MAX_TAGS}))
        clean_tags: list[str] = []
        for i, tag in enumerate(tags):
            clean = check.text(f"tags[{i}]", tag, MAX_TAG_LENGTH, required=True)
            if clean and clean not in clean_tags:
                clean_tags.append(clean)

        channel = source_channel.strip() if source_channel is not None else None
        if channel == "":
            channel = None
        if channel is not None and not SOURCE_CHANNEL.match(channel):
            check.errors.append(FieldError("sourceChannel", "invalid_source_channel"))

        if language is not None and language not in LANGUAGES:
            check.errors.append(
                FieldError("language", "invalid_choice", {"allowed": list(LANGUAGES)})
            )

        if check.errors:
            # In the order of the form, whichever check found them.
            raise ValidationFailed(sorted(check.errors, key=lambda e: _form_position(e.field)))
        return cls(
            name=clean_name,
            phone=phone,
            email=clean_email,
            addresses=clean_addresses,
            tags=tuple(clean_tags),
            source_channel=channel,
            language=language,
        )

    @staticmethod
    def _address(check: _Checker, path: str, address: Address) -> Address:
        postal = address.postal_code.strip() if address.postal_code else None
        if postal and not _POSTAL_CODE.match(postal):
            check.errors.append(FieldError(f"{path}.postalCode", "invalid_postal_code"))
        return Address(
            province=check.text(
                f"{path}.province", address.province, MAX_REGION_LENGTH, required=True
            )
            or "",
            city=check.text(f"{path}.city", address.city, MAX_REGION_LENGTH, required=True) or "",
            district=check.text(
                f"{path}.district", address.district, MAX_REGION_LENGTH, required=True
            )
            or "",
            line=check.text(f"{path}.line", address.line, MAX_ADDRESS_LINE_LENGTH, required=True)
            or "",
            recipient=check.text(
                f"{path}.recipient", address.recipient, MAX_RECIPIENT_LENGTH, required=False
            ),
            phone=address.phone,
            postal_code=postal or None,
        )

    def snapshot(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "phone": self.phone.e164 if self.phone else None,
            "email": self.email,
            "addresses": [a.snapshot() for a in self.addresses],
            "tags": list(self.tags),
            "sourceChannel": self.source_channel,
            "language": self.language,
        }


ERASED_SNAPSHOT: dict[str, Any] = {
    "name": None,
    "phone": None,
    "email": None,
    "addresses": [],
    "tags": [],
    "sourceChannel": None,
    "language": None,
}


@dataclass
class Customer(RecordsEvents):
    """Records ``customer.created``, ``customer.updated`` and ``customer.erased`` with the
    names of the fields that changed (never their values)."""

    id: UUID
    profile: CustomerProfile | None  # None once erased
    created_at: datetime
    updated_at: datetime
    version: int = 1
    erased_at: datetime | None = None

    @classmethod
    def register(cls, customer_id: UUID, profile: CustomerProfile, at: datetime) -> Customer:
        customer = cls(customer_id, profile, created_at=at, updated_at=at)
        given = tuple(
            name for name, value in customer.snapshot().items() if value != ERASED_SNAPSHOT[name]
        )
        customer._happened("customer.created", given)
        return customer

    @property
    def erased(self) -> bool:
        return self.erased_at is not None

    def snapshot(self) -> dict[str, Any]:
        """Flat field → value view, for audit diffs and change detection."""
        return self.profile.snapshot() if self.profile else dict(ERASED_SNAPSHOT)

    def revise(self, profile: CustomerProfile, at: datetime) -> tuple[str, ...]:
        """Replace the profile; returns the names of the fields that changed (none: no-op)."""
        if self.erased:
            raise Conflict("customer_erased")
        if self.profile is not None and self.profile.unreadable:
            # Writing the profile back would overwrite what could not be read with nothing.
            raise Conflict("customer_unreadable", fields=list(self.profile.unreadable))
        before, after = self.snapshot(), profile.snapshot()
        changed = tuple(name for name in after if before.get(name) != after[name])
        if changed:
            self.profile = profile
            self.updated_at = at
            self.version += 1
            self._happened("customer.updated", changed)
        return changed

    def erase(self, at: datetime) -> tuple[str, ...]:
        """Forget the personal data and tags for good; the anonymous row stays."""
        if self.erased:
            raise Conflict("customer_erased")
        before = self.snapshot()
        self.profile = None
        self.erased_at = at
        self.updated_at = at
        self.version += 1
        erased = tuple(name for name in before if before[name] != ERASED_SNAPSHOT[name])
        self._happened("customer.erased", erased)
        return erased

    def _happened(self, event_type: str, changed: tuple[str, ...]) -> None:
        self.record_event(DomainEvent(event_type, ENTITY, self.id, changed_fields=changed))
