"""Register a customer (CRM-1)."""

from __future__ import annotations

from application.customers.common import ENTITY, record_change
from application.customers.inputs import NewCustomer, new_profile
from application.customers.ports import CUSTOMERS, PhoneNumberParser
from application.customers.views import CustomerView, present
from application.shared.access_policy import AccessPolicy
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.runner import CommandRunner
from application.shared.unit_of_work import UnitOfWork
from domain.customers.customer import ERASED_SNAPSHOT, Customer
from domain.customers.permissions import CUSTOMERS_WRITE

ACTION = "customer.create"


class RegisterCustomer:
    def __init__(
        self,
        runner: CommandRunner,
        access: AccessPolicy,
        phones: PhoneNumberParser,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._runner = runner
        self._access = access
        self._phones = phones
        self._clock = clock
        self._ids = ids

    async def __call__(self, ctx: CallContext, new: NewCustomer) -> CustomerView:
        """Answers with the *masked* view whatever the caller may read: the answer may be
        kept 24 hours as an idempotent replay, where erasing the customer would not reach
        it, and the caller has just sent the values anyway."""

        async def command(uow: UnitOfWork) -> CustomerView:
            self._access.require(ctx, CUSTOMERS_WRITE)
            profile = new_profile(self._phones, new)
            customer = Customer.register(self._ids.new_id(), profile, self._clock.now())
            await uow.of(CUSTOMERS).customers.add(customer)
            changed = tuple(
                name
                for name, value in customer.snapshot().items()
                if value != ERASED_SNAPSHOT[name]
            )
            await record_change(uow, ACTION, "customer.created", customer, {}, changed)
            return present(customer, masked=True)

        return await self._runner.run(ctx, ACTION, ENTITY, command)
