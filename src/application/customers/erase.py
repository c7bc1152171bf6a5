"""Erase a customer's personal data for good (CRM-1, right to erasure).

The row stays as an anonymous id that orders and other records point to; its name,
phone, email, addresses, blind indexes, name terms and tags are gone, and the customer
reads as 404 from then on.
"""

from __future__ import annotations

from uuid import UUID

from application.customers.common import ENTITY, load_customer, record_change
from application.customers.ports import CUSTOMERS
from application.shared.access_policy import AccessPolicy
from application.shared.clock import Clock
from application.shared.context import CallContext
from application.shared.runner import CommandRunner
from application.shared.unit_of_work import UnitOfWork
from application.shared.versions import check_version
from domain.customers.permissions import CUSTOMERS_ERASE

ACTION = "customer.erase"


class EraseCustomer:
    def __init__(self, runner: CommandRunner, access: AccessPolicy, clock: Clock) -> None:
        self._runner = runner
        self._access = access
        self._clock = clock

    async def __call__(
        self, ctx: CallContext, customer_id: UUID, expected_version: int | None
    ) -> None:
        async def command(uow: UnitOfWork) -> None:
            self._access.require(ctx, CUSTOMERS_ERASE)
            customer = await load_customer(uow, customer_id)
            check_version(expected_version, customer.version)
            before, read_version = customer.snapshot(), customer.version
            changed = customer.erase(self._clock.now())
            await uow.of(CUSTOMERS).customers.save(customer, read_version)
            await record_change(uow, ACTION, "customer.erased", customer, before, changed)

        await self._runner.run(ctx, ACTION, ENTITY, command, entity_id=customer_id)
