"""Permissions are ``module:action`` strings; built-in roles are fixed sets of them (PLT-2).

Built-in roles are defined here, in code, so that a new permission reaches every tenant's
built-in roles with the release that introduces it. Tenant admins cannot edit them; they
create custom roles instead. The table is documented in docs/roles.md.
"""

from __future__ import annotations

import re

from domain.shared.errors import ValidationFailed

CUSTOMERS_READ = "customers:read"
CUSTOMERS_READ_PII = "customers:read_pii"
CUSTOMERS_WRITE = "customers:write"
CUSTOMERS_ERASE = "customers:erase"
ROLES_READ = "roles:read"
ROLES_MANAGE = "roles:manage"
USERS_READ = "users:read"
USERS_MANAGE = "users:manage"
API_KEYS_MANAGE = "api_keys:manage"
AUDIT_READ = "audit:read"
JOBS_READ = "jobs:read"
WEBHOOKS_MANAGE = "webhooks:manage"
CATALOG_READ = "catalog:read"
CATALOG_WRITE = "catalog:write"
CATALOG_PUBLISH = "catalog:publish"
CATALOG_IMPORT = "catalog:import"
CATALOG_READ_COST = "catalog:read_cost"

ALL_PERMISSIONS: frozenset[str] = frozenset(
    {
        CUSTOMERS_READ,
        CUSTOMERS_READ_PII,
        CUSTOMERS_WRITE,
        CUSTOMERS_ERASE,
        ROLES_READ,
        ROLES_MANAGE,
        USERS_READ,
        USERS_MANAGE,
        API_KEYS_MANAGE,
        AUDIT_READ,
        JOBS_READ,
        WEBHOOKS_MANAGE,
        CATALOG_READ,
        CATALOG_WRITE,
        CATALOG_PUBLISH,
        CATALOG_IMPORT,
        CATALOG_READ_COST,
    }
)

_ADMINISTRATION = frozenset(
    {ROLES_READ, ROLES_MANAGE, USERS_READ, USERS_MANAGE, API_KEYS_MANAGE, AUDIT_READ, JOBS_READ}
)

BUILTIN_ROLES: dict[str, frozenset[str]] = {
    "owner": ALL_PERMISSIONS,
    "admin": ALL_PERMISSIONS,
    "finance": frozenset({CUSTOMERS_READ, CATALOG_READ, CATALOG_READ_COST}),
    "warehouse": frozenset({CATALOG_READ}),
    "customer_service": frozenset(
        {CUSTOMERS_READ, CUSTOMERS_READ_PII, CUSTOMERS_WRITE, CATALOG_READ}
    ),
    "marketing": frozenset({CUSTOMERS_READ, CATALOG_READ, CATALOG_WRITE, CATALOG_PUBLISH}),
    "purchasing": frozenset({CATALOG_READ, CATALOG_READ_COST}),
    "hr": frozenset({USERS_READ}),
    "staff": frozenset(),
}

_PERMISSION = re.compile(r"^[a-z_]+:[a-z_]+$")


def validate_permissions(permissions: list[str]) -> frozenset[str]:
    """A custom role may hold only known permissions."""
    unknown = sorted(p for p in permissions if p not in ALL_PERMISSIONS or not _PERMISSION.match(p))
    if unknown:
        raise ValidationFailed.single("permissions", "unknown_permission", permissions=unknown)
    return frozenset(permissions)
