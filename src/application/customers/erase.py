"""Erase a customer's personal data for good (CRM-1, right to erasure).

The row stays as an anonymous id that orders and other records point to; its name,
phone, email, addresses, blind indexes, name terms and tags are gone, and the customer
reads as 404 from then on.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.customers.common import load_customer, record_change
from application.customers.ports import CUSTOMERS
from application.shared.clock import Clock
from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from domain.customers.permissions import CUSTOMERS_ERASE


@dataclass(frozen=True)
class EraseCustomer(
    Command[None], action="customer.erase", permission=CUSTOMERS_ERASE, target="customer_id"
):
    customer_id: UUID
    expected_version: int | None


class EraseCustomerHandler:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    async def handle(self, command: EraseCustomer, work: Work) -> None:
        customer = await load_customer(work.uow, command.customer_id)
        check_version(command.expected_version, customer.version)
        before, read_version = customer.snapshot(), customer.version
        customer.erase(self._clock.now())
        await work.uow.of(CUSTOMERS).customers.save(customer, read_version)
        record_change(work, customer, before)
