"""In-memory stand-ins for the customers module's ports: a field cipher, a phone parser and
the store (``uow.of(CUSTOMERS)``) whose repository keeps rows the way the Postgres adapter
does (personal fields sealed, blind indexes, hashed name terms), so use-case tests see the
same contract."""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from application.customers.ports import (
    CUSTOMERS,
    CustomerPosition,
    CustomerStore,
    PhoneNumberParser,
)
from application.shared.field_cipher import FieldCipher
from domain.customers.customer import Address, Customer, CustomerProfile, PhoneNumber
from domain.customers.search_terms import name_terms
from domain.shared.errors import StaleVersion
from tests.fakes.stores import FakeStore


class UndecryptableFake(Exception):
    pass


class FakeFieldCipher(FieldCipher):
    """Not encryption — a reversible scramble bound to tenant, field and row like the real
    one, so a value moved to another row fails to open."""

    def __init__(self) -> None:
        self.sealed: list[tuple[UUID, str, UUID]] = []

    @staticmethod
    def _binding(tenant_id: UUID, field: str, row_id: UUID) -> bytes:
        return hashlib.sha256(f"{tenant_id}|{field}|{row_id}".encode()).digest()[:8]

    async def encrypt(self, tenant_id: UUID, field: str, row_id: UUID, plaintext: str) -> bytes:
        self.sealed.append((tenant_id, field, row_id))
        scrambled = bytes(b ^ 0x5A for b in plaintext.encode())
        return self._binding(tenant_id, field, row_id) + scrambled

    async def decrypt(self, tenant_id: UUID, field: str, row_id: UUID, ciphertext: bytes) -> str:
        if ciphertext[:8] != self._binding(tenant_id, field, row_id):
            raise UndecryptableFake(field)
        return bytes(b ^ 0x5A for b in ciphertext[8:]).decode()

    async def blind_index(self, tenant_id: UUID, field: str, normalised: str) -> bytes:
        return hashlib.sha256(f"{tenant_id}|{field}|{normalised}".encode()).digest()


class FakePhoneNumberParser(PhoneNumberParser):
    """Chinese mobiles (11 digits starting with 1, optional +86) and "+<cc> <digits>"."""

    _MOBILE = re.compile(r"^(?:\+?86)?(1\d{10})$")
    _OTHER = re.compile(r"^\+([1-9]\d{0,2}) (\d{4,12})$")

    def parse(self, raw: str) -> PhoneNumber | None:
        compact = re.sub(r"[\s-]", "", raw)
        if found := self._MOBILE.match(compact):
            return PhoneNumber(86, found.group(1))
        if (found := self._OTHER.match(raw.strip())) and found.group(1) != "86":
            return PhoneNumber(int(found.group(1)), found.group(2))
        return None


@dataclass
class CustomerTables:
    """One tenant's ``customers`` and ``customer_search_terms``."""

    rows: dict[UUID, dict[str, Any]] = field(default_factory=dict)
    terms: set[tuple[bytes, UUID]] = field(default_factory=set)

    def copy(self) -> CustomerTables:
        return CustomerTables(copy.deepcopy(self.rows), set(self.terms))


RowFilter = Callable[[UUID, dict[str, Any]], bool]


class FakeCustomerRepository:
    def __init__(self, tables: CustomerTables, tenant_id: UUID, cipher: FieldCipher) -> None:
        self.tables = tables
        self._tenant_id = tenant_id
        self._cipher = cipher

    async def add(self, customer: Customer) -> None:
        assert customer.id not in self.tables.rows, "duplicate primary key"
        self.tables.rows[customer.id] = {
            **await self._sealed(customer),
            "created_at": customer.created_at,
        }
        await self._replace_terms(customer)

    async def save(self, customer: Customer, expected_version: int) -> None:
        row = self.tables.rows.get(customer.id)
        if row is None or row["erased_at"] is not None or row["version"] != expected_version:
            raise StaleVersion(expected=expected_version)
        row.update(await self._sealed(customer))
        await self._replace_terms(customer)

    async def get(self, customer_id: UUID) -> Customer | None:
        row = self.tables.rows.get(customer_id)
        if row is None or row["erased_at"] is not None:
            return None
        return await self._customer(customer_id, row)

    async def newest(self, after: CustomerPosition | None, limit: int) -> list[Customer]:
        return await self._page(lambda _id, _row: True, after, limit)

    async def find_by_phone(
        self, phone: PhoneNumber, after: CustomerPosition | None, limit: int
    ) -> list[Customer]:
        bidx = await self._cipher.blind_index(self._tenant_id, "customer.phone", phone.e164)
        return await self._page(lambda _id, row: row["phone_bidx"] == bidx, after, limit)

    async def find_by_email(
        self, email: str, after: CustomerPosition | None, limit: int
    ) -> list[Customer]:
        bidx = await self._cipher.blind_index(self._tenant_id, "customer.email", email)
        return await self._page(lambda _id, row: row["email_bidx"] == bidx, after, limit)

    async def find_by_name_terms(
        self, terms: frozenset[str], after: CustomerPosition | None, limit: int
    ) -> list[Customer]:
        hashes = {await self._term(t) for t in terms}

        def holds_all(customer_id: UUID, _row: dict[str, Any]) -> bool:
            return all((h, customer_id) in self.tables.terms for h in hashes)

        return await self._page(holds_all, after, limit)

    # ---- storage ---------------------------------------------------------------------

    async def _page(
        self, keep: RowFilter, after: CustomerPosition | None, limit: int
    ) -> list[Customer]:
        candidates = sorted(
            (
                (row["created_at"], customer_id)
                for customer_id, row in self.tables.rows.items()
                if row["erased_at"] is None and keep(customer_id, row)
            ),
            reverse=True,
        )
        if after is not None:
            candidates = [c for c in candidates if c < (after.created_at, after.id)]
        return [await self._customer(i, self.tables.rows[i]) for _, i in candidates[:limit]]

    async def _term(self, term: str) -> bytes:
        return await self._cipher.blind_index(self._tenant_id, "customer.name_gram", term)

    async def _replace_terms(self, customer: Customer) -> None:
        self.tables.terms = {t for t in self.tables.terms if t[1] != customer.id}
        if customer.profile is not None:
            for term in name_terms(customer.profile.name):
                self.tables.terms.add((await self._term(term), customer.id))

    async def _sealed(self, customer: Customer) -> dict[str, Any]:
        p, t, i, c = customer.profile, self._tenant_id, customer.id, self._cipher
        row: dict[str, Any] = {
            "name_enc": None,
            "phone_enc": None,
            "email_enc": None,
            "addresses_enc": None,
            "phone_bidx": None,
            "email_bidx": None,
            "tags": [],
            "source_channel": None,
            "version": customer.version,
            "updated_at": customer.updated_at,
            "erased_at": customer.erased_at,
        }
        if p is None:
            return row
        row["name_enc"] = await c.encrypt(t, "customer.name", i, p.name)
        if p.phone:
            row["phone_enc"] = await c.encrypt(t, "customer.phone", i, p.phone.international)
            row["phone_bidx"] = await c.blind_index(t, "customer.phone", p.phone.e164)
        if p.email:
            row["email_enc"] = await c.encrypt(t, "customer.email", i, p.email)
            row["email_bidx"] = await c.blind_index(t, "customer.email", p.email)
        if p.addresses:
            records = [
                {**a.snapshot(), "phone": a.phone.international if a.phone else None}
                for a in p.addresses
            ]
            row["addresses_enc"] = await c.encrypt(t, "customer.addresses", i, json.dumps(records))
        row["tags"], row["source_channel"] = list(p.tags), p.source_channel
        return row

    async def _customer(self, customer_id: UUID, row: dict[str, Any]) -> Customer:
        t, c = self._tenant_id, self._cipher

        async def opened(column: str, name: str) -> str | None:
            value = row[column]
            return None if value is None else await c.decrypt(t, name, customer_id, value)

        phone = await opened("phone_enc", "customer.phone")
        addresses = await opened("addresses_enc", "customer.addresses")
        profile = CustomerProfile(
            name=await opened("name_enc", "customer.name") or "",
            phone=PhoneNumber.from_international(phone) if phone else None,
            email=await opened("email_enc", "customer.email"),
            addresses=tuple(
                Address(
                    province=a["province"],
                    city=a["city"],
                    district=a["district"],
                    line=a["line"],
                    recipient=a["recipient"],
                    phone=PhoneNumber.from_international(a["phone"]) if a["phone"] else None,
                    postal_code=a["postalCode"],
                )
                for a in json.loads(addresses or "[]")
            ),
            tags=tuple(row["tags"]),
            source_channel=row["source_channel"],
        )
        return Customer(
            customer_id,
            profile,
            row["created_at"],
            row["updated_at"],
            row["version"],
            row["erased_at"],
        )


class FakeCustomerStore(CustomerStore):
    def __init__(self, customers: FakeCustomerRepository) -> None:
        self.customers = customers


def build(tables: CustomerTables, tenant_id: UUID, cipher: FieldCipher) -> CustomerStore:
    """Typed as the port, so mypy proves the fake store satisfies ``CustomerStore``."""
    return FakeCustomerStore(FakeCustomerRepository(tables, tenant_id, cipher))


# Found by the fake unit of work (tests/fakes/stores.py).
FAKE = FakeStore(
    CUSTOMERS, CustomerTables, lambda tables, parts: build(tables, parts.tenant_id, parts.cipher)
)
