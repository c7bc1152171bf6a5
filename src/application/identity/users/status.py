"""Deactivate and reactivate a user (PLT-2, #9 item 12).

A deactivated user cannot log in, and every session and refresh token of theirs is revoked
in the same transaction, so their access token stops working on the next request (the
``Authenticator`` checks the session and ``active`` on each). Nobody acts on a user who
holds a permission they lack, and the last active owner cannot be deactivated.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from application.identity.ports import IDENTITY
from application.identity.roles.common import no_escalation
from application.identity.users.owners import keep_an_owner
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from domain.identity.permissions import USERS_MANAGE
from domain.identity.user import User
from domain.shared.errors import NotFound


class SetUserActive(Command[User], action="user.set_active", permission=USERS_MANAGE):
    user_id: UUID
    active: bool
    expected_version: int | None


async def managed_user(work: Work, user_id: UUID) -> User:
    """The user ``work``'s caller may act on: found, and holding no permission the caller
    lacks (403 otherwise)."""
    user = await work.uow.of(IDENTITY).users.get(user_id)
    if user is None:
        raise NotFound(entity="user")
    held = await work.uow.of(IDENTITY).roles.permissions_of_user(user.id)
    no_escalation(work.ctx, [], held)
    return user


async def change_active(uow: UnitOfWork, user: User, active: bool, now: datetime) -> bool:
    """Deactivate (the last active owner stays; every session revoked in this transaction)
    or reactivate; False when the user already is so. Shared by the admin's command and
    support's ``TenantOperations.set_user_active``."""
    if user.active == active:
        return False
    if not active:
        await keep_an_owner(uow, user)
    user.active = active
    user.version += 1
    await uow.of(IDENTITY).users.save(user)
    if not active:
        await uow.of(IDENTITY).sessions.revoke_all_of_user(user.id, "user_deactivated", now)
    return True


class SetUserActiveHandler:
    async def handle(self, command: SetUserActive, work: Work) -> User:
        user = await managed_user(work, command.user_id)
        check_version(command.expected_version, user.version)
        if not await change_active(work.uow, user, command.active, work.clock.now()):
            return user
        action = "user.reactivate" if command.active else "user.deactivate"
        work.audit(user.id, {"active": not user.active}, {"active": user.active}, action=action)
        return user
