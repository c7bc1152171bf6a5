"""Customers: search, register, a profile with the customer's orders (CRM-1), masked
without ``customers:read_pii`` exactly as the use cases return them."""

from litestar import Router

from application.customers.queries import ListCustomers
from entrypoints.web.customers.pages import CustomerPages
from entrypoints.web.menu import MenuItem

router = Router(path="/customers", route_handlers=[CustomerPages])
MENU = (MenuItem("nav.customers", "/console/customers", ListCustomers, order=500),)
