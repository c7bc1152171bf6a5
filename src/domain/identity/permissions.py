"""Permissions are ``module:action`` strings; built-in roles are fixed sets of them (PLT-2).

Each module declares its own in ``domain/<module>/permissions.py``: ``PERMISSIONS`` and
``GRANTS`` (what each built-in role gets of them). This module gathers them, so a new
module's permissions reach every tenant's built-in roles with the release that introduces
it, and no list here grows. Tenant admins cannot edit built-in roles; they create custom
roles instead. The table is documented in docs/roles.md (a test compares them).
"""

from __future__ import annotations

import importlib
import pkgutil
import re

from domain.shared.errors import ValidationFailed

ROLES_READ = "roles:read"
ROLES_MANAGE = "roles:manage"
USERS_READ = "users:read"
USERS_MANAGE = "users:manage"
API_KEYS_MANAGE = "api_keys:manage"
JOBS_READ = "jobs:read"  # the jobs of every module, with their progress

_IDENTITY = frozenset(
    {ROLES_READ, ROLES_MANAGE, USERS_READ, USERS_MANAGE, API_KEYS_MANAGE, JOBS_READ}
)
_IDENTITY_GRANTS: dict[str, frozenset[str]] = {"hr": frozenset({USERS_READ})}

# Every built-in role; owner and admin hold every permission.
ROLE_KEYS = (
    "owner",
    "admin",
    "finance",
    "warehouse",
    "customer_service",
    "marketing",
    "purchasing",
    "hr",
    "staff",
)
_EVERYTHING = ("owner", "admin")


def _declared() -> list[tuple[frozenset[str], dict[str, frozenset[str]]]]:
    import domain

    found = [(_IDENTITY, _IDENTITY_GRANTS)]
    for info in sorted(pkgutil.iter_modules(domain.__path__), key=lambda i: i.name):
        name = f"domain.{info.name}.permissions"
        if not info.ispkg or name == __name__:
            continue
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        found.append((module.PERMISSIONS, module.GRANTS))
    return found


def _gather() -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    declared = _declared()
    everything = frozenset().union(*(permissions for permissions, _ in declared))
    roles: dict[str, frozenset[str]] = {key: frozenset() for key in ROLE_KEYS}
    for permissions, grants in declared:
        for role, granted in grants.items():
            if role not in roles or role in _EVERYTHING or not granted <= permissions:
                # guard: a module's GRANTS is code, checked at import by every test run
                raise RuntimeError(f"a module grants {sorted(granted)} to role {role!r}")
            roles[role] |= granted
    for role in _EVERYTHING:
        roles[role] = everything
    return everything, roles


ALL_PERMISSIONS, BUILTIN_ROLES = _gather()

_PERMISSION = re.compile(r"^[a-z_]+:[a-z_]+$")


def validate_permissions(permissions: list[str]) -> frozenset[str]:
    """A custom role may hold only known permissions."""
    unknown = sorted(p for p in permissions if p not in ALL_PERMISSIONS or not _PERMISSION.match(p))
    if unknown:
        raise ValidationFailed.single("permissions", "unknown_permission", permissions=unknown)
    return frozenset(permissions)
