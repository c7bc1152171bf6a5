"""The customers module's repository on one unit of work's connection."""

from __future__ import annotations

from adapters.postgres.customers.repository import PostgresCustomerRepository
from adapters.postgres.shared.stores import StoreParts
from application.customers.ports import CUSTOMERS, CustomerStore

KEY = CUSTOMERS


class PostgresCustomerStore(CustomerStore):
    def __init__(self, parts: StoreParts) -> None:
        self.customers = PostgresCustomerRepository(
            parts.connection, parts.tenant_id, parts.cipher, parts.unreadable
        )


def build(parts: StoreParts) -> CustomerStore:
    return PostgresCustomerStore(parts)
