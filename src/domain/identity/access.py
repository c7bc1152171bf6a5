"""Who may change whose access (PLT-2): the rules every user-administration use case shares.

- *No escalation, either way.* A caller may change a user's roles only if the caller holds
  every permission the user holds now and every permission the new roles give: taking
  roles away from someone who outranks you is as much an escalation as granting what you
  do not hold (removing ``owner`` from the owner hands the company to the remover).
- *A company always has an active owner.* A change that takes the last active owner out
  (a role change now; deactivation and deletion when they come) is refused.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from uuid import UUID

from domain.shared.errors import Conflict, PermissionDenied, ValidationFailed

OWNER_ROLE = "owner"


def check_role_change(
    caller: frozenset[str], held_now: frozenset[str], granted: Iterable[frozenset[str]]
) -> None:
    """Refuse a change of a user's roles the caller does not outrank (both directions)."""
    above = held_now - caller
    if above:
        raise PermissionDenied("user_outranks_caller", permissions=sorted(above))
    missing = frozenset().union(*granted) - caller
    if missing:
        raise ValidationFailed.single("roles", "permission_escalation", permissions=sorted(missing))


def check_an_owner_remains(owners: Collection[UUID], leaving: UUID) -> None:
    """``owners``: the tenant's active owners before the change; ``leaving`` stops being one."""
    if leaving in owners and not set(owners) - {leaving}:
        raise Conflict("last_owner")
