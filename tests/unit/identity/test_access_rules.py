"""The rules of who may change whose access (#9, item 1), as the domain states them."""

from __future__ import annotations

import uuid

import pytest

from domain.identity.access import check_an_owner_remains, check_role_change
from domain.shared.errors import Conflict, PermissionDenied, ValidationFailed

MANAGER = frozenset({"users:manage", "users:read"})


def test_taking_roles_away_from_someone_who_outranks_the_caller_is_refused() -> None:
    with pytest.raises(PermissionDenied) as refused:
        check_role_change(MANAGER, MANAGER | {"customers:erase"}, [])
    assert refused.value.code == "user_outranks_caller"
    assert refused.value.params["permissions"] == ["customers:erase"]


def test_granting_what_the_caller_lacks_is_refused() -> None:
    with pytest.raises(ValidationFailed) as refused:
        check_role_change(MANAGER, frozenset(), [frozenset({"audit:read"})])
    assert refused.value.errors[0].code == "permission_escalation"


def test_a_change_within_the_callers_permissions_passes() -> None:
    check_role_change(MANAGER, frozenset({"users:read"}), [MANAGER])


def test_the_last_active_owner_cannot_leave() -> None:
    only, other = uuid.uuid4(), uuid.uuid4()
    with pytest.raises(Conflict) as refused:
        check_an_owner_remains([only], only)
    assert refused.value.code == "last_owner"
    check_an_owner_remains([only, other], only)
    check_an_owner_remains([only], other)  # not an owner: nothing to keep
