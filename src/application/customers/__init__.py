"""Customers (CRM-1): register, read, update, list, search and erase; one file per use
case, run through ``UseCases`` (registered in ``bootstrap/modules/customers.py``)."""

from application.customers.erase import EraseCustomer as EraseCustomer
from application.customers.queries import GetCustomer as GetCustomer
from application.customers.queries import ListCustomers as ListCustomers
from application.customers.queries import SearchCustomers as SearchCustomers
from application.customers.queries import list_query as list_query
from application.customers.queries import search_query as search_query
from application.customers.register import RegisterCustomer as RegisterCustomer
from application.customers.update import UpdateCustomer as UpdateCustomer
