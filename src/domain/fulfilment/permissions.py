"""The fulfilment module's permissions (LOG-1, PLT-2), and the built-in roles' grants."""

from __future__ import annotations

FULFILMENT_READ = "fulfilment:read"  # waves, their pick lists and parcels, read
FULFILMENT_PICK = "fulfilment:pick"  # planning waves, pick and verify scans, weighing
FULFILMENT_SHIP = "fulfilment:ship"  # waybills, documents, shipping, interceptions

PERMISSIONS = frozenset({FULFILMENT_READ, FULFILMENT_PICK, FULFILMENT_SHIP})

GRANTS: dict[str, frozenset[str]] = {
    "warehouse": frozenset({FULFILMENT_READ, FULFILMENT_PICK, FULFILMENT_SHIP}),
    # intercepts on a refund request: reads the parcel to find its button
    "customer_service": frozenset({FULFILMENT_READ, FULFILMENT_SHIP}),
}
