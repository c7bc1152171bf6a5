"""The after-sales module's permissions (ORD-6, LOG-4, PLT-2), and the built-in roles' grants.

``aftersales:refund`` alone records a case's refund: money leaves the company, so customer
service opens and moves cases and finance (or the owner) pays them out.
"""

from __future__ import annotations

AFTERSALES_READ = "aftersales:read"  # cases, their timelines, the return analysis
AFTERSALES_WRITE = "aftersales:write"  # open, review, receive, inspect, complete cases
AFTERSALES_REFUND = "aftersales:refund"  # record a case's refund against its payments

PERMISSIONS = frozenset({AFTERSALES_READ, AFTERSALES_WRITE, AFTERSALES_REFUND})

GRANTS: dict[str, frozenset[str]] = {
    "customer_service": frozenset({AFTERSALES_READ, AFTERSALES_WRITE}),
    "warehouse": frozenset({AFTERSALES_READ, AFTERSALES_WRITE}),
    "finance": frozenset({AFTERSALES_READ, AFTERSALES_REFUND}),
    "marketing": frozenset({AFTERSALES_READ}),
}
