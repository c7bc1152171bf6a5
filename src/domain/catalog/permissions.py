"""The catalog's permissions (PLT-2), and what each built-in role is granted of them."""

from __future__ import annotations

CATALOG_READ = "catalog:read"
CATALOG_WRITE = "catalog:write"
CATALOG_PUBLISH = "catalog:publish"
CATALOG_IMPORT = "catalog:import"
CATALOG_READ_COST = "catalog:read_cost"

PERMISSIONS = frozenset(
    {CATALOG_READ, CATALOG_WRITE, CATALOG_PUBLISH, CATALOG_IMPORT, CATALOG_READ_COST}
)

GRANTS: dict[str, frozenset[str]] = {
    "finance": frozenset({CATALOG_READ, CATALOG_READ_COST}),
    "warehouse": frozenset({CATALOG_READ}),
    "customer_service": frozenset({CATALOG_READ}),
    "marketing": frozenset({CATALOG_READ, CATALOG_WRITE, CATALOG_PUBLISH}),
    "purchasing": frozenset({CATALOG_READ, CATALOG_READ_COST}),
}
