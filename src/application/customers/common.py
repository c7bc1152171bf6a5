"""Steps every customer command shares: find the customer, check its version, leave the
audit record and the outbox event in the command's transaction."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from application.customers.ports import CUSTOMERS
from application.shared.unit_of_work import UnitOfWork
from domain.customers.customer import PERSONAL_FIELDS, Customer
from domain.shared.audit import AuditEntry, diff
from domain.shared.errors import NotFound
from domain.shared.events import DomainEvent

ENTITY = "customer"


async def load_customer(uow: UnitOfWork, customer_id: UUID) -> Customer:
    """NotFound for unknown, erased and other tenants' ids alike (existence never leaks)."""
    customer = await uow.of(CUSTOMERS).customers.get(customer_id)
    if customer is None:
        raise NotFound(entity=ENTITY)
    return customer


async def record_change(
    uow: UnitOfWork,
    action: str,
    event_type: str,
    customer: Customer,
    before: dict[str, Any],
    changed: tuple[str, ...],
) -> None:
    """Audit (personal values redacted) and the event (field names only, never values)."""
    await uow.audit.record(
        AuditEntry(
            action,
            ENTITY,
            customer.id,
            changes=diff(before, customer.snapshot(), personal=PERSONAL_FIELDS),
            detail={"version": customer.version},
        )
    )
    await uow.outbox.add(DomainEvent(event_type, ENTITY, customer.id, changed_fields=changed))
