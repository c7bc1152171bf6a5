"""The inventory module's permissions (INV-*, PLT-2), and the built-in roles' grants.

``inventory:costing`` guards unit costs and stock values: without it the ledger and the
receipts answer without them (INV-7).
"""

from __future__ import annotations

INVENTORY_READ = "inventory:read"
INVENTORY_WRITE = "inventory:write"  # warehouses, receipts, issues, adjustments, reservations
# Stock counts (盘点, INV-4): count sessions and blind entry; the variance report also needs
# inventory:read and approval (posting) inventory:write, so a role holding this alone
# counts blind and cannot post.
INVENTORY_COUNT = "inventory:count"
INVENTORY_TRANSFER = "inventory:transfer"  # request, ship, receive, cancel transfers (INV-5)
INVENTORY_COSTING = "inventory:costing"  # unit costs and values (INV-7)
INVENTORY_ALERTS = "inventory:alerts"  # receive stock alerts (INV-3): inbox and email

PERMISSIONS = frozenset(
    {
        INVENTORY_READ,
        INVENTORY_WRITE,
        INVENTORY_COUNT,
        INVENTORY_TRANSFER,
        INVENTORY_COSTING,
        INVENTORY_ALERTS,
    }
)

GRANTS: dict[str, frozenset[str]] = {
    "warehouse": frozenset(
        {INVENTORY_READ, INVENTORY_WRITE, INVENTORY_COUNT, INVENTORY_TRANSFER, INVENTORY_ALERTS}
    ),
    "finance": frozenset({INVENTORY_READ, INVENTORY_COSTING}),
    "purchasing": frozenset({INVENTORY_READ, INVENTORY_COSTING, INVENTORY_ALERTS}),
    "customer_service": frozenset({INVENTORY_READ}),
    "marketing": frozenset({INVENTORY_READ}),
}
