"""Steps every customer command shares: find the customer, and note its change."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from application.customers.ports import CUSTOMERS
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_case import Work
from domain.customers.customer import ENTITY, PERSONAL_FIELDS, Customer
from domain.shared.errors import NotFound


async def load_customer(uow: UnitOfWork, customer_id: UUID) -> Customer:
    """NotFound for unknown, erased and other tenants' ids alike (existence never leaks)."""
    customer = await uow.of(CUSTOMERS).customers.get(customer_id)
    if customer is None:
        raise NotFound(entity=ENTITY)
    return customer


def record_change(work: Work, customer: Customer, before: dict[str, Any]) -> None:
    """The audit record (personal values redacted) and the customer's events (field names
    only, never values)."""
    work.audit(
        customer.id,
        before,
        customer.snapshot(),
        personal=PERSONAL_FIELDS,
        detail={"version": customer.version},
    )
    work.publish(customer)
