"""Change a customer's profile (PATCH with If-Match)."""

from __future__ import annotations

from uuid import UUID

from application.customers.common import ENTITY, load_customer, record_change
from application.customers.inputs import CustomerChanges, changed_profile
from application.customers.ports import CUSTOMERS, PhoneNumberParser
from application.customers.views import CustomerView, present_for
from application.shared.access_policy import AccessPolicy
from application.shared.clock import Clock
from application.shared.context import CallContext
from application.shared.runner import CommandRunner
from application.shared.unit_of_work import UnitOfWork
from application.shared.versions import check_version
from domain.customers.permissions import CUSTOMERS_WRITE
from domain.shared.errors import NotFound

ACTION = "customer.update"


class UpdateCustomer:
    def __init__(
        self, runner: CommandRunner, access: AccessPolicy, phones: PhoneNumberParser, clock: Clock
    ) -> None:
        self._runner = runner
        self._access = access
        self._phones = phones
        self._clock = clock

    async def __call__(
        self,
        ctx: CallContext,
        customer_id: UUID,
        changes: CustomerChanges,
        expected_version: int | None,
    ) -> CustomerView:
        async def command(uow: UnitOfWork) -> CustomerView:
            self._access.require(ctx, CUSTOMERS_WRITE)
            customer = await load_customer(uow, customer_id)
            check_version(expected_version, customer.version)
            if customer.profile is None:  # repositories hide erased customers; be sure
                raise NotFound(entity=ENTITY)
            profile = changed_profile(self._phones, customer.profile, changes)
            before, read_version = customer.snapshot(), customer.version
            changed = customer.revise(profile, self._clock.now())
            if changed:  # nothing changed: no write, no new version, nothing to audit
                await uow.of(CUSTOMERS).customers.save(customer, read_version)
                await record_change(uow, ACTION, "customer.updated", customer, before, changed)
            return present_for(self._access, ctx, customer)

        return await self._runner.run(ctx, ACTION, ENTITY, command, entity_id=customer_id)
