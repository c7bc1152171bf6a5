"""The customers module's use cases, gathered for the composition root and entrypoints."""

from __future__ import annotations

from application.customers.erase import EraseCustomer
from application.customers.ports import PhoneNumberParser
from application.customers.queries import CustomerQueries
from application.customers.register import RegisterCustomer
from application.customers.update import UpdateCustomer
from application.shared.access_policy import AccessPolicy
from application.shared.clock import Clock, IdGenerator
from application.shared.runner import CommandRunner


class CustomerService:
    """``create``, ``update``, ``erase`` (commands) and ``get``, ``list``, ``search``."""

    def __init__(
        self,
        runner: CommandRunner,
        access: AccessPolicy,
        phones: PhoneNumberParser,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self.create = RegisterCustomer(runner, access, phones, clock, ids)
        self.update = UpdateCustomer(runner, access, phones, clock)
        self.erase = EraseCustomer(runner, access, clock)
        queries = CustomerQueries(runner, access, phones)
        self.get = queries.get
        self.list = queries.list_customers
        self.search = queries.search
