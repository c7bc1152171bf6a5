"""The permissions a custom role or an API key may be given, by module, as the settings
pages offer them."""

from __future__ import annotations

from itertools import groupby

from domain.identity.permissions import ALL_PERMISSIONS

# Each module's heading over its permissions: the menu's word for it where the menu has one.
GROUP_NAMES = {
    "aftersales": "nav.aftersales",
    "api_keys": "nav.api_keys",
    "audit": "nav.audit",
    "catalog": "nav.catalog",
    "customers": "nav.customers",
    "fulfilment": "nav.fulfilment",
    "inventory": "nav.inventory",
    "jobs": "nav.jobs",
    "logistics": "roles.group_logistics",
    "orders": "nav.orders",
    "roles": "nav.roles",
    "users": "nav.users",
    "webhooks": "nav.webhooks",
}


def permission_groups() -> list[tuple[str, list[str]]]:
    """Every permission the service declares, by module (``orders:review`` → orders), each
    module under its heading's message id (the module's code when it has none)."""
    ordered = sorted(ALL_PERMISSIONS)
    return [
        (GROUP_NAMES.get(group, group), list(items))
        for group, items in groupby(ordered, lambda p: p.split(":")[0])
    ]
