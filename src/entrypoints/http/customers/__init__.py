"""Customers over HTTP (CRM-1)."""

from litestar import Router

from entrypoints.http.customers.controllers import CustomersController

router = Router(
    path="/api/v1/customers",
    tags=["customers"],
    route_handlers=[CustomersController],
)
