"""Customers in Postgres, their personal data encrypted (CRM-1, PLT-4).

Personal fields are sealed with the FieldCipher under logical names (``customer.name``,
``customer.phone``, ``customer.email``, ``customer.addresses``), each bound to tenant,
field and row. Exact search goes through blind indexes (HMAC of the E.164 phone and of
the lower-cased email); name search through ``customer_search_terms``, one keyed hash per
name term (``customer.name_gram``). Every lookup is an equality, so it can use an index
under row-level security.

This module also holds the libphonenumber adapter of the ``PhoneNumberParser`` port: it
is the only other adapter the customers slice needs.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    LargeBinary,
    Row,
    Uuid,
    any_,
    delete,
    func,
    insert,
    literal,
    select,
    true,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY

from adapters.postgres.customers.tables import customer_search_terms, customers
from adapters.postgres.shared.rows import one_updated
from adapters.postgres.shared.unreadable import EncryptedTenantRepository
from application.customers.ports import CustomerPosition
from domain.customers.customer import ENTITY, Address, Customer, CustomerProfile, PhoneNumber
from domain.customers.search_terms import name_terms

NAME = "customer.name"
PHONE = "customer.phone"
EMAIL = "customer.email"
ADDRESSES = "customer.addresses"
NAME_GRAM = "customer.name_gram"

_COLUMNS = (
    customers.c.id,
    customers.c.name_enc,
    customers.c.phone_enc,
    customers.c.email_enc,
    customers.c.addresses_enc,
    customers.c.tags,
    customers.c.source_channel,
    customers.c.language,
    customers.c.version,
    customers.c.created_at,
    customers.c.updated_at,
    customers.c.erased_at,
)


def _address_record(address: Address) -> dict[str, Any]:
    return {
        "province": address.province,
        "city": address.city,
        "district": address.district,
        "line": address.line,
        "recipient": address.recipient,
        "phone": address.phone.international if address.phone else None,
        "postalCode": address.postal_code,
    }


def _address_of(record: dict[str, Any]) -> Address:
    phone = record.get("phone")
    return Address(
        province=record["province"],
        city=record["city"],
        district=record["district"],
        line=record["line"],
        recipient=record.get("recipient"),
        phone=PhoneNumber.from_international(phone) if phone else None,
        postal_code=record.get("postalCode"),
    )


def _hashes(values: list[bytes]) -> ColumnElement[list[bytes]]:
    """Term hashes as one ``bytea[]`` parameter, whatever their number."""
    return literal(values, ARRAY(LargeBinary))


class PostgresCustomerRepository(EncryptedTenantRepository):
    """Customers and their search terms; names, phones and addresses sealed by the
    cipher (``EncryptedTenantRepository``)."""

    # ---- writes ----------------------------------------------------------------------

    async def add(self, customer: Customer) -> None:
        values = await self._sealed(customer)
        await self._conn.execute(
            insert(customers).values(
                **values,
                tenant_id=self._tenant_id,
                id=customer.id,
                created_at=customer.created_at,
            )
        )
        await self._replace_terms(customer)

    async def save(self, customer: Customer, expected_version: int) -> None:
        values = await self._sealed(customer)
        c = customers.c
        updated = await self._conn.execute(
            update(customers)
            .where(
                c.tenant_id == self._tenant_id,
                c.id == customer.id,
                c.version == expected_version,
                c.erased_at.is_(None),
            )
            .values(values)
        )
        one_updated(updated.rowcount, expected_version)
        await self._replace_terms(customer)

    async def _sealed(self, customer: Customer) -> dict[str, Any]:
        """What saving writes: personal fields encrypted, blind indexes; NULL once erased."""
        profile = customer.profile
        values: dict[str, Any] = {
            "name_enc": None,
            "phone_enc": None,
            "email_enc": None,
            "addresses_enc": None,
            "phone_bidx": None,
            "email_bidx": None,
            "tags": [],
            "source_channel": None,
            "language": None,
            "version": customer.version,
            "updated_at": customer.updated_at,
            "erased_at": customer.erased_at,
        }
        if profile is None:
            return values
        tenant, row = self._tenant_id, customer.id
        values["name_enc"] = await self._cipher.encrypt(tenant, NAME, row, profile.name)
        if profile.phone is not None:
            values["phone_enc"] = await self._cipher.encrypt(
                tenant, PHONE, row, profile.phone.international
            )
            values["phone_bidx"] = await self._phone_index(profile.phone)
        if profile.email is not None:
            values["email_enc"] = await self._cipher.encrypt(tenant, EMAIL, row, profile.email)
            values["email_bidx"] = await self._email_index(profile.email)
        if profile.addresses:
            records = [_address_record(a) for a in profile.addresses]
            values["addresses_enc"] = await self._cipher.encrypt(
                tenant, ADDRESSES, row, json.dumps(records, ensure_ascii=False)
            )
        values["tags"] = list(profile.tags)
        values["source_channel"] = profile.source_channel
        values["language"] = profile.language
        return values

    async def _replace_terms(self, customer: Customer) -> None:
        s = customer_search_terms.c
        await self._conn.execute(
            delete(customer_search_terms).where(
                s.tenant_id == self._tenant_id, s.customer_id == customer.id
            )
        )
        if customer.profile is None:
            return
        terms = await self._term_hashes(name_terms(customer.profile.name))
        if terms:
            term = func.unnest(_hashes(terms)).column_valued("term")
            await self._conn.execute(
                insert(customer_search_terms).from_select(
                    [s.tenant_id, s.term, s.customer_id],
                    select(literal(self._tenant_id, Uuid), term, literal(customer.id, Uuid)),
                )
            )

    # ---- reads -----------------------------------------------------------------------

    async def get(self, customer_id: UUID) -> Customer | None:
        c = customers.c
        row = await self._first(
            select(*_COLUMNS).where(
                c.tenant_id == self._tenant_id, c.id == customer_id, c.erased_at.is_(None)
            )
        )
        return await self._customer(row) if row is not None else None

    async def newest(self, after: CustomerPosition | None, limit: int) -> list[Customer]:
        return await self._page(true(), after, limit)

    async def find_by_phone(
        self, phone: PhoneNumber, after: CustomerPosition | None, limit: int
    ) -> list[Customer]:
        bidx = await self._phone_index(phone)
        return await self._page(customers.c.phone_bidx == bidx, after, limit)

    async def find_by_email(
        self, email: str, after: CustomerPosition | None, limit: int
    ) -> list[Customer]:
        bidx = await self._email_index(email)
        return await self._page(customers.c.email_bidx == bidx, after, limit)

    async def find_by_name_terms(
        self, terms: frozenset[str], after: CustomerPosition | None, limit: int
    ) -> list[Customer]:
        hashes = await self._term_hashes(terms)
        s = customer_search_terms.c
        having_every_term = (
            select(s.customer_id)
            .where(s.tenant_id == self._tenant_id, s.term == any_(_hashes(hashes)))
            .group_by(s.customer_id)
            .having(func.count() == len(hashes))
        )
        return await self._page(customers.c.id.in_(having_every_term), after, limit)

    async def _page(
        self, condition: ColumnElement[bool], after: CustomerPosition | None, limit: int
    ) -> list[Customer]:
        """Newest first. The explicit tenant_id matches the index; RLS enforces it anyway."""
        c = customers.c
        query = select(*_COLUMNS).where(
            c.tenant_id == self._tenant_id, c.erased_at.is_(None), condition
        )
        if after is not None:
            query = query.where(tuple_(c.created_at, c.id) < tuple_(after.created_at, after.id))
        rows = await self._conn.execute(
            query.order_by(c.created_at.desc(), c.id.desc()).limit(limit)
        )
        return [await self._customer(row) for row in rows]

    async def _customer(self, row: Row[*tuple[Any, ...]]) -> Customer:
        tenant, customer_id = self._tenant_id, row.id
        profile = None
        if row.erased_at is None:
            # Each field on its own: one that does not decrypt is left empty and named in
            # ``unreadable`` (adapters/postgres/shared/unreadable.py), the others are shown.
            unreadable: list[str] = []

            async def open_(field: str, name: str, sealed: Any) -> str | None:
                if sealed is None:
                    return None
                plain = await self._unreadable.open(
                    self._cipher, tenant, ENTITY, field, customer_id, bytes(sealed)
                )
                if plain is None:
                    unreadable.append(name)
                return plain

            name = await open_(NAME, "name", row.name_enc)
            phone_text = await open_(PHONE, "phone", row.phone_enc)
            email = await open_(EMAIL, "email", row.email_enc)
            addresses_text = await open_(ADDRESSES, "addresses", row.addresses_enc)
            phone = PhoneNumber.from_international(phone_text) if phone_text else None
            addresses: Sequence[Address] = (
                [_address_of(record) for record in json.loads(addresses_text)]
                if addresses_text
                else ()
            )
            # Stored values were validated on the way in: rebuild without re-validating,
            # so a tightened rule never makes an old customer unreadable.
            profile = CustomerProfile(
                name=name or "",
                phone=phone,
                email=email,
                addresses=tuple(addresses),
                tags=tuple(row.tags),
                source_channel=row.source_channel,
                language=row.language,
                unreadable=tuple(unreadable),
            )
        return Customer(
            id=customer_id,
            profile=profile,
            created_at=row.created_at,
            updated_at=row.updated_at,
            version=row.version,
            erased_at=row.erased_at,
        )

    # ---- blind indexes -----------------------------------------------------------------

    async def _phone_index(self, phone: PhoneNumber) -> bytes:
        return await self._cipher.blind_index(self._tenant_id, PHONE, phone.e164)

    async def _email_index(self, email: str) -> bytes:
        return await self._cipher.blind_index(self._tenant_id, EMAIL, email)

    async def _term_hashes(self, terms: frozenset[str]) -> list[bytes]:
        index = self._cipher.blind_index
        return [await index(self._tenant_id, NAME_GRAM, term) for term in sorted(terms)]
