"""The orders module's permissions (PLT-2) and the grants proposed for the built-in roles —
declared, not yet published.

Why not ``permissions.py``: ``domain/identity/permissions.py`` gathers every
``domain.<module>.permissions`` by itself, so a file of that name would publish these to
every tenant's built-in roles at once, and docs/roles.md (checked by a test) would have to
change with it. That belongs with the orders use cases, which check these permissions;
until then nothing can use them. Wiring is one step: rename this file to
``permissions.py`` and add the rows and grants to docs/roles.md (docs/orders.md, next steps).
"""

from __future__ import annotations

ORDERS_READ = "orders:read"
ORDERS_WRITE = "orders:write"  # create and edit orders, record payments
ORDERS_REVIEW = "orders:review"  # approve, hold, release, cancel; abnormal queue
ORDERS_ADJUST_PRICE = "orders:adjust_price"  # manual price changes, with a reason
ORDERS_IMPORT = "orders:import"  # files and channel pulls
ORDERS_RULES = "orders:rules"  # edit, dry-run and switch on the review rule set

PERMISSIONS = frozenset(
    {
        ORDERS_READ,
        ORDERS_WRITE,
        ORDERS_REVIEW,
        ORDERS_ADJUST_PRICE,
        ORDERS_IMPORT,
        ORDERS_RULES,
    }
)

# owner and admin hold every permission; price adjustments, imports and the rule set stay
# with them until a tenant grants them in a custom role.
GRANTS: dict[str, frozenset[str]] = {
    "customer_service": frozenset({ORDERS_READ, ORDERS_WRITE, ORDERS_REVIEW}),
    "warehouse": frozenset({ORDERS_READ}),
    "finance": frozenset({ORDERS_READ}),
    "marketing": frozenset({ORDERS_READ}),
}
