"""Rules that user and role administration share (PLT-2)."""

from __future__ import annotations

from application.identity.ports import IDENTITY
from application.shared.context import CallContext
from application.shared.unit_of_work import UnitOfWork
from domain.identity.access import check_role_change
from domain.identity.role import Role
from domain.shared.errors import ValidationFailed


async def roles_by_key(uow: UnitOfWork, keys: list[str]) -> list[Role]:
    roles = []
    for key in keys:
        role = await uow.of(IDENTITY).roles.by_key(key)
        if role is None:
            raise ValidationFailed.single("roles", "unknown_role", role=key)
        roles.append(role)
    return roles


def no_escalation(
    ctx: CallContext, roles: list[Role], held_now: frozenset[str] = frozenset()
) -> None:
    """Nobody hands out a permission they do not hold themselves, nor changes the access of
    someone holding one they do not (``held_now``): ``domain.identity.access``."""
    check_role_change(ctx.permissions, held_now, (role.permissions for role in roles))
