"""Erase a customer's personal data for good (CRM-1, right to erasure).

The row stays as an anonymous id that orders and other records point to; its name,
phone, email, addresses, blind indexes, name terms and tags are gone, and the customer
reads as 404 from then on.
"""

from __future__ import annotations

from uuid import UUID

from application.customers.common import load_customer, record_change
from application.customers.ports import CUSTOMERS
from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from domain.customers.permissions import CUSTOMERS_ERASE


class EraseCustomer(Command[None], action="customer.erase", permission=CUSTOMERS_ERASE):
    customer_id: UUID
    expected_version: int | None


class EraseCustomerHandler:
    async def handle(self, command: EraseCustomer, work: Work) -> None:
        customer = await load_customer(work.uow, command.customer_id)
        check_version(command.expected_version, customer.version)
        before, read_version = customer.snapshot(), customer.version
        customer.erase(work.clock.now())
        await work.uow.of(CUSTOMERS).customers.save(customer, read_version)
        record_change(work, customer, before)
