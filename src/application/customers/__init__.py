"""Customers (CRM-1): register, read, update, list, search and erase."""
