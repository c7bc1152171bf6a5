"""Customers (CRM-1)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.phone_numbers import LibPhoneNumberParser
from application.customers.erase import EraseCustomerHandler
from application.customers.orders import GetCustomerOrdersHandler
from application.customers.ports import PhoneNumberParser
from application.customers.queries import (
    GetCustomerHandler,
    ListCustomersHandler,
    SearchCustomersHandler,
)
from application.customers.register import RegisterCustomerHandler
from application.customers.update import UpdateCustomerHandler
from application.shared.use_cases import UseCases

if TYPE_CHECKING:
    from bootstrap import Container


def register_use_cases(use_cases: UseCases, phones: PhoneNumberParser) -> None:
    """The customers' handlers (the unit tests register the same on the fakes)."""
    use_cases.register(
        RegisterCustomerHandler(phones),
        UpdateCustomerHandler(phones),
        EraseCustomerHandler(),
        GetCustomerHandler(),
        GetCustomerOrdersHandler(),
        ListCustomersHandler(),
        SearchCustomersHandler(phones),
    )


def register(c: Container) -> None:
    register_use_cases(c.use_cases, LibPhoneNumberParser())
