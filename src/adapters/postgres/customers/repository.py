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

from sqlalchemy import Row, text
from sqlalchemy.ext.asyncio import AsyncConnection

from application.customers.ports import CustomerPosition
from application.shared.field_cipher import FieldCipher
from domain.customers.customer import Address, Customer, CustomerProfile, PhoneNumber
from domain.customers.search_terms import name_terms
from domain.shared.errors import StaleVersion

NAME = "customer.name"
PHONE = "customer.phone"
EMAIL = "customer.email"
ADDRESSES = "customer.addresses"
NAME_GRAM = "customer.name_gram"

_COLUMNS = (
    "id, name_enc, phone_enc, email_enc, addresses_enc, tags, source_channel, version,"
    " created_at, updated_at, erased_at"
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


class PostgresCustomerRepository:
    def __init__(self, conn: AsyncConnection, tenant_id: UUID, cipher: FieldCipher) -> None:
        self._conn = conn
        self._tenant_id = tenant_id
        self._cipher = cipher

    # ---- writes ----------------------------------------------------------------------

    async def add(self, customer: Customer) -> None:
        values = await self._sealed(customer)
        await self._conn.execute(
            text(
                "INSERT INTO customers (tenant_id, id, name_enc, phone_enc, email_enc,"
                " addresses_enc, phone_bidx, email_bidx, tags, source_channel, version,"
                " created_at, updated_at, erased_at) VALUES (:tenant_id, :id, :name_enc,"
                " :phone_enc, :email_enc, :addresses_enc, :phone_bidx, :email_bidx, :tags,"
                " :source_channel, :version, :created_at, :updated_at, :erased_at)"
            ),
            {**values, "created_at": customer.created_at},
        )
        await self._replace_terms(customer)

    async def save(self, customer: Customer, expected_version: int) -> None:
        values = await self._sealed(customer)
        updated = await self._conn.execute(
            text(
                "UPDATE customers SET name_enc = :name_enc, phone_enc = :phone_enc,"
                " email_enc = :email_enc, addresses_enc = :addresses_enc,"
                " phone_bidx = :phone_bidx, email_bidx = :email_bidx, tags = :tags,"
                " source_channel = :source_channel, version = :version,"
                " updated_at = :updated_at, erased_at = :erased_at"
                " WHERE tenant_id = :tenant_id AND id = :id AND version = :expected_version"
                " AND erased_at IS NULL"
            ),
            {**values, "expected_version": expected_version},
        )
        if updated.rowcount != 1:
            raise StaleVersion(expected=expected_version)
        await self._replace_terms(customer)

    async def _sealed(self, customer: Customer) -> dict[str, Any]:
        """Column values: personal fields encrypted, blind indexes; NULL once erased."""
        profile = customer.profile
        values: dict[str, Any] = {
            "tenant_id": self._tenant_id,
            "id": customer.id,
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
        return values

    async def _replace_terms(self, customer: Customer) -> None:
        await self._conn.execute(
            text(
                "DELETE FROM customer_search_terms"
                " WHERE tenant_id = :tenant_id AND customer_id = :id"
            ),
            {"tenant_id": self._tenant_id, "id": customer.id},
        )
        if customer.profile is None:
            return
        terms = await self._term_hashes(name_terms(customer.profile.name))
        if terms:
            await self._conn.execute(
                text(
                    "INSERT INTO customer_search_terms (tenant_id, term, customer_id)"
                    " SELECT :tenant_id, term, :id FROM unnest(CAST(:terms AS bytea[])) AS term"
                ),
                {"tenant_id": self._tenant_id, "id": customer.id, "terms": terms},
            )

    # ---- reads -----------------------------------------------------------------------

    async def get(self, customer_id: UUID) -> Customer | None:
        row = (
            await self._conn.execute(
                text(
                    f"SELECT {_COLUMNS} FROM customers WHERE tenant_id = :tenant_id"
                    " AND id = :id AND erased_at IS NULL"
                ),
                {"tenant_id": self._tenant_id, "id": customer_id},
            )
        ).first()
        return await self._customer(row) if row is not None else None

    async def newest(self, after: CustomerPosition | None, limit: int) -> list[Customer]:
        return await self._page("TRUE", {}, after, limit)

    async def find_by_phone(
        self, phone: PhoneNumber, after: CustomerPosition | None, limit: int
    ) -> list[Customer]:
        return await self._page(
            "phone_bidx = :bidx", {"bidx": await self._phone_index(phone)}, after, limit
        )

    async def find_by_email(
        self, email: str, after: CustomerPosition | None, limit: int
    ) -> list[Customer]:
        return await self._page(
            "email_bidx = :bidx", {"bidx": await self._email_index(email)}, after, limit
        )

    async def find_by_name_terms(
        self, terms: frozenset[str], after: CustomerPosition | None, limit: int
    ) -> list[Customer]:
        hashes = await self._term_hashes(terms)
        return await self._page(
            "id IN (SELECT customer_id FROM customer_search_terms"
            " WHERE tenant_id = :tenant_id AND term = ANY(CAST(:terms AS bytea[]))"
            " GROUP BY customer_id HAVING count(*) = :term_count)",
            {"terms": hashes, "term_count": len(hashes)},
            after,
            limit,
        )

    async def _page(
        self,
        condition: str,
        params: dict[str, Any],
        after: CustomerPosition | None,
        limit: int,
    ) -> list[Customer]:
        """Newest first. The explicit tenant_id matches the index; RLS enforces it anyway."""
        clauses = ["tenant_id = :tenant_id", "erased_at IS NULL", condition]
        values = {**params, "tenant_id": self._tenant_id, "limit": limit}
        if after is not None:
            clauses.append("(created_at, id) < (:after_at, :after_id)")
            values.update(after_at=after.created_at, after_id=after.id)
        rows = await self._conn.execute(
            text(
                f"SELECT {_COLUMNS} FROM customers WHERE {' AND '.join(clauses)}"
                " ORDER BY created_at DESC, id DESC LIMIT :limit"
            ),
            values,
        )
        return [await self._customer(row) for row in rows]

    async def _customer(self, row: Row[Any]) -> Customer:
        tenant, customer_id = self._tenant_id, row.id
        profile = None
        if row.erased_at is None:
            name = await self._cipher.decrypt(tenant, NAME, customer_id, bytes(row.name_enc))
            phone = email = None
            addresses: Sequence[Address] = ()
            if row.phone_enc is not None:
                phone = PhoneNumber.from_international(
                    await self._cipher.decrypt(tenant, PHONE, customer_id, bytes(row.phone_enc))
                )
            if row.email_enc is not None:
                email = await self._cipher.decrypt(tenant, EMAIL, customer_id, bytes(row.email_enc))
            if row.addresses_enc is not None:
                plain = await self._cipher.decrypt(
                    tenant, ADDRESSES, customer_id, bytes(row.addresses_enc)
                )
                addresses = [_address_of(record) for record in json.loads(plain)]
            # Stored values were validated on the way in: rebuild without re-validating,
            # so a tightened rule never makes an old customer unreadable.
            profile = CustomerProfile(
                name=name,
                phone=phone,
                email=email,
                addresses=tuple(addresses),
                tags=tuple(row.tags),
                source_channel=row.source_channel,
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
