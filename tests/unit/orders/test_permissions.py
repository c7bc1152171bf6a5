"""The orders permissions are published in the shape identity gathers (PLT-2, ORD-*)."""

from __future__ import annotations

import re

from domain.identity.permissions import ALL_PERMISSIONS, ROLE_KEYS
from domain.orders import permissions as declared


def test_the_six_permissions_of_the_issue() -> None:
    assert {
        "orders:read",
        "orders:write",
        "orders:review",
        "orders:adjust_price",
        "orders:import",
        "orders:rules",
    } == declared.PERMISSIONS
    assert all(re.fullmatch(r"orders:[a-z_]+", p) for p in declared.PERMISSIONS)


def test_grants_are_what_identity_would_accept() -> None:
    for role, granted in declared.GRANTS.items():
        assert role in ROLE_KEYS and role not in ("owner", "admin")
        assert granted <= declared.PERMISSIONS


def test_published_to_the_built_in_roles() -> None:
    assert declared.PERMISSIONS <= ALL_PERMISSIONS
