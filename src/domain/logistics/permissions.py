"""The logistics module's permissions (LOG-*, PLT-2), and the built-in roles' grants."""

from __future__ import annotations

LOGISTICS_READ = "logistics:read"  # carriers
LOGISTICS_WRITE = "logistics:write"  # create and change carriers

PERMISSIONS = frozenset({LOGISTICS_READ, LOGISTICS_WRITE})

GRANTS: dict[str, frozenset[str]] = {
    "warehouse": frozenset({LOGISTICS_READ, LOGISTICS_WRITE}),
    "customer_service": frozenset({LOGISTICS_READ}),
    "finance": frozenset({LOGISTICS_READ}),
}
