"""The fulfilment module's permissions (LOG-1, PLT-2), and the built-in roles' grants."""

from __future__ import annotations

FULFILMENT_PICK = "fulfilment:pick"  # waves, pick lists, pick and verify scans, weighing
FULFILMENT_SHIP = "fulfilment:ship"  # waybills, documents, shipping, interceptions

PERMISSIONS = frozenset({FULFILMENT_PICK, FULFILMENT_SHIP})

GRANTS: dict[str, frozenset[str]] = {
    "warehouse": frozenset({FULFILMENT_PICK, FULFILMENT_SHIP}),
    "customer_service": frozenset({FULFILMENT_SHIP}),  # intercepts on a refund request
}
