"""Customers over HTTP (CRM-1)."""

from litestar import Router

from application.customers.service import CustomerService
from entrypoints.http.customers.controllers import CustomersController
from entrypoints.http.dependencies import service

router = Router(
    path="/api/v1/customers",
    tags=["customers"],
    route_handlers=[CustomersController],
    dependencies={"customers": service(CustomerService)},
)
