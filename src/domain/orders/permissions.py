"""The orders module's permissions (ORD-*, PLT-2), and the built-in roles' grants.

``orders:adjust_price`` guards manual price changes (a reason is required and kept in the
timeline); ``orders:review`` approving, holding, releasing and cancelling.
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
