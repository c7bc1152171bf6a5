"""Delete a user (PLT-2, #9 item 12).

The row goes (a hard delete): their roles, sessions, refresh tokens and inbox go with it,
and the email is free for a new user. The audit history stays readable: earlier records
name the user by id, and the ``user.delete`` record keeps that id with the email and
display name it belonged to. The same guards as deactivation: no acting on a user who
holds a permission the caller lacks, and the last active owner stays.
"""

from __future__ import annotations

from uuid import UUID

from application.identity.ports import IDENTITY
from application.identity.users.owners import keep_an_owner
from application.identity.users.status import managed_user
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from domain.identity.permissions import USERS_MANAGE
from domain.identity.user import User


class DeleteUser(Command[None], action="user.delete", permission=USERS_MANAGE):
    user_id: UUID
    expected_version: int | None


async def remove_user(uow: UnitOfWork, user: User) -> None:
    """Delete the user unless they are the last active owner; shared by the admin's command
    and support's ``TenantOperations.delete_user``."""
    await keep_an_owner(uow, user)
    await uow.of(IDENTITY).users.delete(user.id)


class DeleteUserHandler:
    async def handle(self, command: DeleteUser, work: Work) -> None:
        user = await managed_user(work, command.user_id)
        check_version(command.expected_version, user.version)
        await remove_user(work.uow, user)
        work.audit(user.id, detail={"email": user.email, "displayName": user.display_name})
