"""Register a customer (CRM-1)."""

from __future__ import annotations

from application.customers.common import record_change
from application.customers.inputs import NewCustomer, new_profile
from application.customers.ports import CUSTOMERS, PhoneNumberParser
from application.customers.views import CustomerView, present
from application.shared.use_case import Command, Work
from domain.customers.customer import Customer
from domain.customers.permissions import CUSTOMERS_WRITE


class RegisterCustomer(Command[CustomerView], action="customer.create", permission=CUSTOMERS_WRITE):
    new: NewCustomer


class RegisterCustomerHandler:
    def __init__(self, phones: PhoneNumberParser) -> None:
        self._phones = phones

    async def handle(self, command: RegisterCustomer, work: Work) -> CustomerView:
        """Answers with the *masked* view whatever the caller may read: the answer may be
        kept 24 hours as an idempotent replay, where erasing the customer would not reach
        it, and the caller has just sent the values anyway."""
        profile = new_profile(self._phones, command.new)
        customer = Customer.register(work.ids.new_id(), profile, work.clock.now())
        await work.uow.of(CUSTOMERS).customers.add(customer)
        record_change(work, customer, {})
        return present(customer, masked=True)
