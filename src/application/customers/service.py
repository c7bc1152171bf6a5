"""The customers module's use cases, gathered for the composition root and entrypoints."""

from __future__ import annotations

from uuid import UUID

from application.customers.erase import EraseCustomer, EraseCustomerHandler
from application.customers.inputs import CustomerChanges, NewCustomer
from application.customers.ports import PhoneNumberParser
from application.customers.queries import (
    CustomerSearch,
    GetCustomer,
    GetCustomerHandler,
    ListCustomers,
    ListCustomersHandler,
    SearchCustomers,
    SearchCustomersHandler,
    list_query,
    search_query,
)
from application.customers.register import RegisterCustomer, RegisterCustomerHandler
from application.customers.update import UpdateCustomer, UpdateCustomerHandler
from application.customers.views import CustomerView
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.pagination import Page
from application.shared.runner import CommandRunner
from application.shared.use_case import runs


class CustomerService:
    """``create``, ``update``, ``erase`` (commands) and ``get``, ``list``, ``search``."""

    def __init__(
        self, runner: CommandRunner, phones: PhoneNumberParser, clock: Clock, ids: IdGenerator
    ) -> None:
        self._runner = runner
        self._register = RegisterCustomerHandler(phones, clock, ids)
        self._update = UpdateCustomerHandler(phones, clock)
        self._erase = EraseCustomerHandler(clock)
        self._get = GetCustomerHandler()
        self._list = ListCustomersHandler()
        self._search = SearchCustomersHandler(phones)

    @runs(RegisterCustomer)
    async def create(self, ctx: CallContext, new: NewCustomer) -> CustomerView:
        return await self._runner.run(ctx, RegisterCustomer(new), self._register)

    @runs(UpdateCustomer)
    async def update(
        self,
        ctx: CallContext,
        customer_id: UUID,
        changes: CustomerChanges,
        expected_version: int | None,
    ) -> CustomerView:
        command = UpdateCustomer(customer_id, changes, expected_version)
        return await self._runner.run(ctx, command, self._update)

    @runs(EraseCustomer)
    async def erase(
        self, ctx: CallContext, customer_id: UUID, expected_version: int | None
    ) -> None:
        command = EraseCustomer(customer_id, expected_version)
        await self._runner.run(ctx, command, self._erase)

    @runs(GetCustomer)
    async def get(self, ctx: CallContext, customer_id: UUID) -> CustomerView:
        return await self._runner.query(ctx, GetCustomer(customer_id), self._get)

    @runs(ListCustomers)
    async def list(
        self, ctx: CallContext, cursor: str | None, limit: int | None
    ) -> Page[CustomerView]:
        return await self._runner.query(ctx, list_query(cursor, limit), self._list)

    @runs(SearchCustomers)
    async def search(
        self, ctx: CallContext, search: CustomerSearch, cursor: str | None, limit: int | None
    ) -> Page[CustomerView]:
        return await self._runner.query(ctx, search_query(search, cursor, limit), self._search)
