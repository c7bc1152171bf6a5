"""The customers module's permissions (PLT-2, PLT-4), and the built-in roles' grants."""

from __future__ import annotations

CUSTOMERS_READ = "customers:read"
CUSTOMERS_READ_PII = "customers:read_pii"
CUSTOMERS_WRITE = "customers:write"
CUSTOMERS_ERASE = "customers:erase"

PERMISSIONS = frozenset({CUSTOMERS_READ, CUSTOMERS_READ_PII, CUSTOMERS_WRITE, CUSTOMERS_ERASE})

GRANTS: dict[str, frozenset[str]] = {
    "finance": frozenset({CUSTOMERS_READ}),
    "customer_service": frozenset({CUSTOMERS_READ, CUSTOMERS_READ_PII, CUSTOMERS_WRITE}),
    "marketing": frozenset({CUSTOMERS_READ}),
}
