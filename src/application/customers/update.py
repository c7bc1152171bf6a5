"""Change a customer's profile (PATCH with If-Match)."""

from __future__ import annotations

from uuid import UUID

from application.customers.common import load_customer, record_change
from application.customers.inputs import CustomerChanges, changed_profile
from application.customers.ports import CUSTOMERS, PhoneNumberParser
from application.customers.views import CustomerView, present_for
from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from domain.customers.customer import ENTITY
from domain.customers.permissions import CUSTOMERS_WRITE
from domain.shared.errors import NotFound


class UpdateCustomer(Command[CustomerView], action="customer.update", permission=CUSTOMERS_WRITE):
    customer_id: UUID
    changes: CustomerChanges
    expected_version: int | None


class UpdateCustomerHandler:
    def __init__(self, phones: PhoneNumberParser) -> None:
        self._phones = phones

    async def handle(self, command: UpdateCustomer, work: Work) -> CustomerView:
        customer = await load_customer(work.uow, command.customer_id)
        check_version(command.expected_version, customer.version)
        if customer.profile is None:  # repositories hide erased customers; be sure
            raise NotFound(entity=ENTITY)
        profile = changed_profile(self._phones, customer.profile, command.changes)
        before, read_version = customer.snapshot(), customer.version
        if customer.revise(profile, work.clock.now()):
            # nothing changed: no write, no new version, nothing to audit
            await work.uow.of(CUSTOMERS).customers.save(customer, read_version)
            record_change(work, customer, before)
        return present_for(work, customer)
