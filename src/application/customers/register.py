"""Register a customer (CRM-1)."""

from __future__ import annotations

from dataclasses import dataclass

from application.customers.common import record_change
from application.customers.inputs import NewCustomer, new_profile
from application.customers.ports import CUSTOMERS, PhoneNumberParser
from application.customers.views import CustomerView, present
from application.shared.clock import Clock, IdGenerator
from application.shared.use_case import Command, Work
from domain.customers.customer import Customer
from domain.customers.permissions import CUSTOMERS_WRITE


@dataclass(frozen=True)
class RegisterCustomer(Command[CustomerView], action="customer.create", permission=CUSTOMERS_WRITE):
    new: NewCustomer


class RegisterCustomerHandler:
    def __init__(self, phones: PhoneNumberParser, clock: Clock, ids: IdGenerator) -> None:
        self._phones = phones
        self._clock = clock
        self._ids = ids

    async def handle(self, command: RegisterCustomer, work: Work) -> CustomerView:
        """Answers with the *masked* view whatever the caller may read: the answer may be
        kept 24 hours as an idempotent replay, where erasing the customer would not reach
        it, and the caller has just sent the values anyway."""
        profile = new_profile(self._phones, command.new)
        customer = Customer.register(self._ids.new_id(), profile, self._clock.now())
        await work.uow.of(CUSTOMERS).customers.add(customer)
        record_change(work, customer, {})
        return present(customer, masked=True)
