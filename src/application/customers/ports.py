from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from application.shared.unit_of_work import StoreKey
from domain.customers.customer import Customer, PhoneNumber


@dataclass(frozen=True)
class CustomerPosition:
    """Where a page of customers ends: the sort key (newest first) of its last row."""

    created_at: datetime
    id: UUID


class CustomerRepository(Protocol):
    """Customers of the unit of work's tenant (CRM-1).

    The adapter encrypts the personal fields (FieldCipher), keeps the blind indexes for
    exact phone and email search and the hashed name terms for name search. Erased
    customers are invisible to every method: ``get`` answers None for them.
    """

    async def add(self, customer: Customer) -> None: ...

    async def get(self, customer_id: UUID) -> Customer | None: ...

    async def save(self, customer: Customer, expected_version: int) -> None:
        """Write the customer's state (an erased one: personal data and terms removed).

        Raises ``StaleVersion`` when the stored version is no longer ``expected_version``
        (another writer got there between our read and this write).
        """
        ...

    async def newest(self, after: CustomerPosition | None, limit: int) -> list[Customer]:
        """All customers, newest first, starting after ``after``."""
        ...

    async def find_by_phone(
        self, phone: PhoneNumber, after: CustomerPosition | None, limit: int
    ) -> list[Customer]: ...

    async def find_by_email(
        self, email: str, after: CustomerPosition | None, limit: int
    ) -> list[Customer]:
        """``email`` is normalised (``domain.customers.customer.normalise_email``)."""
        ...

    async def find_by_name_terms(
        self, terms: frozenset[str], after: CustomerPosition | None, limit: int
    ) -> list[Customer]:
        """Candidates whose name holds every term (``domain.customers.search_terms``);
        the caller confirms the match on the decrypted name."""
        ...


class PhoneNumberParser(Protocol):
    """Reads a phone number as people type it ("138 1234 5678", "+852 9123 4567").

    Numbers without a country code are read as Chinese. Returns None for anything that is
    not a valid number. (Numbering-plan data lives in a library, hence a port.)
    """

    def parse(self, raw: str) -> PhoneNumber | None: ...


class CustomerStore(Protocol):
    """The customers module's repositories in one unit of work (``uow.of(CUSTOMERS)``)."""

    customers: CustomerRepository


CUSTOMERS: StoreKey[CustomerStore] = StoreKey("customers")
