"""Customers (CRM-1)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.phone_numbers import LibPhoneNumberParser
from application.customers.service import CustomerService

if TYPE_CHECKING:
    from bootstrap import Container


def register(c: Container) -> None:
    c.add(CustomerService(c.runner, LibPhoneNumberParser(), c.clock, c.ids))
