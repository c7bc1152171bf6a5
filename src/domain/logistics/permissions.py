"""The logistics module's permissions (LOG-*, PLT-2), and the built-in roles' grants."""

from __future__ import annotations

LOGISTICS_READ = "logistics:read"  # carriers
LOGISTICS_WRITE = "logistics:write"  # carriers, price tables, tracking settings and events
LOGISTICS_SETTLE = "logistics:settle"  # carrier statements and cash-on-delivery remittances

PERMISSIONS = frozenset({LOGISTICS_READ, LOGISTICS_WRITE, LOGISTICS_SETTLE})

GRANTS: dict[str, frozenset[str]] = {
    "warehouse": frozenset({LOGISTICS_READ, LOGISTICS_WRITE}),
    "customer_service": frozenset({LOGISTICS_READ}),
    "finance": frozenset({LOGISTICS_READ, LOGISTICS_SETTLE}),
}
